//! Where a chart's parts go: the canvas, the title (shrunk or wrapped), the plot area and
//! the legend, for a wide canvas (desktop, reports, files) or a narrow one (phones).

/// The canvas a chart is laid out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 720 units wide, legend on the right: reports, files and wide screens.
    Wide,
    /// 360 units wide, title wrapped and legend below: drawn at about its own size on a
    /// 390 px phone, so that 12-unit text stays readable (at least 11 px) instead of being
    /// scaled down with a wide chart.
    Narrow,
}

/// Text size of labels, ticks and legend entries.
pub(crate) const FONT: f64 = 12.0;
/// Height of one legend row.
const ROW: f64 = 18.0;
/// About the width of a character of 12-unit sans-serif text (0.58 em): room for labels.
const CHAR: f64 = 7.0;

/// The plot area: left, top, width, height.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Area {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// Where legend entry `k` goes.
#[derive(Debug, Clone)]
pub(crate) struct Legend {
    pub x: f64,
    pub y: f64,
    pub columns: usize,
    pub column_width: f64,
}

impl Legend {
    /// Top-left corner of entry `k`'s swatch row: (x, baseline y of the row's centre).
    pub fn at(&self, k: usize) -> (f64, f64) {
        let (row, col) = (k / self.columns, k % self.columns);
        (self.x + col as f64 * self.column_width, self.y + row as f64 * ROW)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub width: f64,
    pub height: f64,
    pub title_size: f64,
    pub title_x: f64,
    /// The title, one line or wrapped, with each line's baseline.
    pub title: Vec<(f64, String)>,
    pub area: Area,
    pub legend: Legend,
}

impl Frame {
    /// Lays out a chart titled `title` whose legend lists `entries`.
    pub fn new(layout: Layout, title: &str, entries: &[&str]) -> Frame {
        match layout {
            Layout::Wide => wide(title, entries),
            Layout::Narrow => narrow(title, entries),
        }
    }
}

const WIDE: (f64, f64) = (720.0, 360.0);
const WIDE_MARGIN: (f64, f64, f64, f64) = (48.0, 170.0, 44.0, 64.0); // top, right, bottom, left

fn longest(entries: &[&str]) -> f64 {
    entries.iter().map(|e| e.chars().count()).max().unwrap_or(0) as f64
}

/// The title's font size on the wide canvas: 15, smaller for a long title so it stays
/// inside the chart (about 0.55 em a character).
pub(crate) fn title_size(title: &str) -> f64 {
    let fits = (WIDE.0 - WIDE_MARGIN.3 - 8.0) / (0.55 * 15.0);
    let chars = title.chars().count() as f64;
    if chars <= fits {
        15.0
    } else {
        (15.0 * fits / chars).max(10.0).floor()
    }
}

/// The legend on the right, widened for long names; below the plot when the names or
/// the entries do not fit beside it, so that no entry is clipped.
fn wide(title: &str, entries: &[&str]) -> Frame {
    let (top, right, bottom, left) = WIDE_MARGIN;
    let plot_h = WIDE.1 - top - bottom;
    let needed = 30.0 + CHAR * longest(entries);
    let beside = needed <= 300.0 && entries.len() as f64 * ROW <= plot_h;
    let (right, below) =
        if beside { (right.max(needed), 0.0) } else { (20.0, legend_rows(entries.len(), 2) * ROW + 12.0) };
    let width = WIDE.0;
    let area = Area { left, top, width: width - left - right, height: plot_h };
    let legend = if beside {
        Legend { x: left + area.width + 14.0, y: top + 8.0, columns: 1, column_width: 0.0 }
    } else {
        Legend { x: left, y: top + plot_h + bottom, columns: 2, column_width: (width - left - 20.0) / 2.0 }
    };
    Frame {
        width,
        height: WIDE.1 + below,
        title_size: title_size(title),
        title_x: left,
        title: vec![(24.0, title.to_owned())],
        area,
        legend,
    }
}

fn legend_rows(entries: usize, columns: usize) -> f64 {
    entries.div_ceil(columns) as f64
}

/// Title wrapped on words, legend below in one or two columns.
fn narrow(title: &str, entries: &[&str]) -> Frame {
    let width: f64 = 360.0;
    let title_size: f64 = 14.0;
    let per_line = ((width - 16.0) / (0.55 * title_size)).floor() as usize;
    let lines = wrap(title, per_line);
    let title: Vec<(f64, String)> =
        lines.into_iter().enumerate().map(|(i, l)| (20.0 + i as f64 * (title_size + 4.0), l)).collect();
    let top = title.last().map_or(20.0, |l| l.0) + 22.0;
    let (left, right, plot_h, axis) = (48.0, 14.0, 200.0, 34.0);
    let columns = if longest(entries) * CHAR + 24.0 <= (width - left) / 2.0 { 2 } else { 1 };
    let legend_y = top + plot_h + axis;
    let height = legend_y + legend_rows(entries.len(), columns) * ROW + 4.0;
    Frame {
        width,
        height,
        title_size,
        title_x: 10.0,
        title,
        area: Area { left, top, width: width - left - right, height: plot_h },
        legend: Legend { x: 10.0, y: legend_y, columns, column_width: (width - 10.0) / columns as f64 },
    }
}

/// Breaks `text` into lines of at most `width` characters at spaces (a longer word
/// stands alone).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_on_words() {
        assert_eq!(wrap("Entry into the Baghdad Pact: effect", 14), vec!["Entry into the", "Baghdad Pact:", "effect"]);
        assert_eq!(wrap("a verylongword b", 4), vec!["a", "verylongword", "b"]);
    }

    #[test]
    fn long_legends_move_below_the_wide_plot_and_stay_inside_the_canvas() {
        let short = Frame::new(Layout::Wide, "t", &["members"]);
        assert_eq!((short.area.width, short.height), (720.0 - 64.0 - 170.0, 360.0), "the usual frame");
        let name = "Security Treaty between Australia, New Zealand and the United States";
        let long = Frame::new(Layout::Wide, "t", &[name, "b"]);
        assert!(long.height > 360.0 && long.legend.y > long.area.top + long.area.height);
        let (x, _) = long.legend.at(1);
        assert!(x + CHAR * 2.0 < long.width);
        let many: Vec<String> = (0..16).map(|i| format!("series {i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(Frame::new(Layout::Wide, "t", &many).height > 360.0, "16 rows of 18 do not fit beside a plot 268 high");
    }

    #[test]
    fn narrow_frames_grow_with_their_title_and_legend() {
        let one = Frame::new(Layout::Narrow, "Members", &["a"]);
        let two = Frame::new(Layout::Narrow, &"word ".repeat(20), &["a", "b", "c", "d", "e"]);
        assert_eq!(one.width, 360.0);
        assert!(two.title.len() >= 2 && two.area.top > one.area.top && two.height > one.height);
        assert_eq!(two.legend.columns, 2);
    }
}
