//! Drawing a [`Figure`] on a [`Frame`]: axes, lines with their bands, stacked bars,
//! events, the legend, and (when interactive) a focusable column per x value whose
//! values show on hover (`<title>`) and on keyboard focus (a tip the page's stylesheet
//! reveals; it stays hidden where there is no stylesheet).

use std::fmt::Write;

use crate::frame::{Area, Frame, FONT};
use crate::{escape, label, ticks, Figure, Layout, Plot, Series, PALETTE};

/// How to draw a figure.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub layout: Layout,
    /// Focusable columns with their values (for web pages); off for files and reports.
    pub interactive: bool,
    /// Prefix of the element ids, unique on the page (default: from the title).
    pub id: Option<&'a str>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options { layout: Layout::Wide, interactive: false, id: None }
    }
}

/// Tick labels: thousands and millions abbreviated so that they fit a narrow margin.
pub(crate) fn tick_label(v: f64) -> String {
    match v.abs() {
        a if a >= 1e6 => format!("{}M", label(v / 1e6)),
        a if a >= 1e4 => format!("{}k", label(v / 1e3)),
        _ => label(v),
    }
}

/// The x values of all series, sorted and without repeats.
pub(crate) fn xs(series: &[Series]) -> Vec<f64> {
    let mut xs: Vec<f64> = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs
}

/// Runs of x values at which no series has a value, as (first, last): years the data do
/// not cover, drawn as gaps rather than as zeros.
pub(crate) fn gaps(series: &[Series]) -> Vec<(f64, f64)> {
    let known = |x: f64| series.iter().any(|s| s.points.iter().any(|p| p.0 == x && p.1.is_some()));
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut open = false;
    for x in xs(series) {
        match (known(x), open) {
            (false, true) => out.last_mut().expect("an open gap").1 = x,
            (false, false) => {
                out.push((x, x));
                open = true;
            }
            (true, _) => open = false,
        }
    }
    out
}

/// "2011–2025", or "2011" for one year.
pub(crate) fn span_text(from: f64, to: f64) -> String {
    if from == to {
        label(from)
    } else {
        format!("{}–{}", label(from), label(to))
    }
}

fn value_at(s: &Series, x: f64) -> Option<f64> {
    let values: Vec<f64> = s.points.iter().filter(|p| p.0 == x).filter_map(|p| p.1).collect();
    (!values.is_empty()).then(|| values.iter().sum())
}

struct Canvas {
    svg: String,
    area: Area,
}

impl Canvas {
    fn gridline(&mut self, y: f64, value: f64) {
        let Area { left, width, .. } = self.area;
        let _ = write!(
            self.svg,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e5e5e5"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            left + width,
            left - 6.0,
            y + 4.0,
            tick_label(value)
        );
    }

    fn x_tick(&mut self, x: f64, value: f64) {
        let bottom = self.area.top + self.area.height;
        let _ = write!(
            self.svg,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{bottom}" y2="{}" stroke="#999"/><text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"##,
            bottom + 5.0,
            bottom + 18.0,
            tick_label(value)
        );
    }

    fn axes(&mut self, y_label: &str) {
        let Area { left, top, width, height } = self.area;
        let _ = write!(
            self.svg,
            r##"<line x1="{left}" x2="{}" y1="{}" y2="{}" stroke="#333"/><line x1="{left}" x2="{left}" y1="{top}" y2="{}" stroke="#333"/><text transform="translate(14 {}) rotate(-90)" text-anchor="middle">{}</text>"##,
            left + width,
            top + height,
            top + height,
            top + height,
            top + height / 2.0,
            escape(y_label)
        );
    }
}

/// The svg element, its title and description, white background and visible title.
fn open(frame: &Frame, id: &str, interactive: bool, title: &str, description: &str) -> String {
    // An image may not hold focusable parts: an interactive chart is a group.
    let role = if interactive { "group" } else { "img" };
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="{role}" aria-labelledby="{id}-t {id}-d" font-family="system-ui, sans-serif" font-size="{FONT}"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        frame.width,
        frame.height,
        escape(title),
        escape(description)
    );
    let _ = write!(svg, r#"<rect width="{}" height="{}" fill="white"/>"#, frame.width, frame.height);
    for (y, line) in &frame.title {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{y}" font-size="{}" font-weight="600">{}</text>"#,
            frame.title_x,
            frame.title_size,
            escape(line)
        );
    }
    svg
}

pub(crate) fn render(figure: &Figure, options: &Options) -> String {
    let (title, y_label, series) = match &figure.plot {
        Plot::Lines(c) => (&c.title, &c.y_label, &c.series),
        Plot::StackedBars(c) => (&c.title, &c.y_label, &c.series),
    };
    let mut entries: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    entries.extend(figure.bands.iter().map(|b| b.name.as_str()));
    let frame = Frame::new(options.layout, title, &entries);
    let derived;
    let id = match options.id {
        Some(id) => id,
        None => {
            derived = title.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
            &derived
        }
    };
    let mut canvas =
        Canvas { svg: open(&frame, id, options.interactive, title, &figure.description()), area: frame.area };
    let drawn = match &figure.plot {
        Plot::Lines(c) => lines(&mut canvas, figure, c.y_from_zero),
        Plot::StackedBars(_) => bars(&mut canvas, series, options.interactive),
    };
    let Some(x_at) = drawn else {
        let _ = write!(
            canvas.svg,
            r#"<text x="{}" y="{}">No data for this period.</text></svg>"#,
            frame.area.left,
            frame.height / 2.0
        );
        return canvas.svg;
    };
    events(&mut canvas, figure, &x_at);
    canvas.axes(y_label);
    legend(&mut canvas.svg, &frame, figure);
    if options.interactive {
        hits(&mut canvas, series, &x_at);
    }
    canvas.svg.push_str("</svg>");
    canvas.svg
}

/// Where each x value is drawn: its position, and the column around it.
struct XAt {
    /// (x, centre, column left, column right)
    columns: Vec<(f64, f64, f64, f64)>,
    lo: f64,
    hi: f64,
}

impl XAt {
    fn position(&self, x: f64) -> Option<f64> {
        if x < self.lo || x > self.hi {
            return None;
        }
        // Linear between the first and last column centres (bars: slots of one unit).
        let (first, last) = (self.columns.first()?, self.columns.last()?);
        if last.0 == first.0 {
            return Some(first.1);
        }
        Some(first.1 + (x - first.0) / (last.0 - first.0) * (last.1 - first.1))
    }
}

/// Bands, then lines; `None` when no series has a value.
fn lines(canvas: &mut Canvas, figure: &Figure, y_from_zero: bool) -> Option<XAt> {
    let Plot::Lines(chart) = &figure.plot else { return None };
    let values: Vec<(f64, f64)> = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|&(x, y)| y.map(|y| (x, y))))
        .chain(
            figure
                .bands
                .iter()
                .flat_map(|b| b.points.iter().filter_map(|&(x, v)| v.map(|(lo, hi)| [(x, lo), (x, hi)])).flatten()),
        )
        .collect();
    if values.is_empty() {
        return None;
    }
    // The x axis spans every x asked for, with or without data, so that a gap shows.
    let all_x = xs(&chart.series);
    let (x_lo, x_hi) = all_x
        .iter()
        .chain(values.iter().map(|v| &v.0))
        .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    let (mut y_lo, mut y_hi) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    if y_from_zero {
        y_lo = y_lo.min(0.0);
    }
    if y_hi <= y_lo {
        y_hi = y_lo + 1.0;
    }
    let Area { left, top, width, height } = canvas.area;
    let sx = |x: f64| left + if x_hi > x_lo { (x - x_lo) / (x_hi - x_lo) * width } else { width / 2.0 };
    let sy = |y: f64| top + height - (y - y_lo) / (y_hi - y_lo) * height;
    for t in ticks(y_lo, y_hi) {
        canvas.gridline(sy(t), t);
    }
    for t in ticks(x_lo, x_hi) {
        canvas.x_tick(sx(t), t);
    }
    let step = all_x.windows(2).map(|w| w[1] - w[0]).fold(f64::MAX, f64::min).min(1e12);
    for (from, to) in gaps(&chart.series) {
        // Shaded half a step wider on each side, so that one missing year shows.
        let (x0, x1) = (sx(from - step / 2.0).max(left), sx(to + step / 2.0).min(left + width));
        let _ = write!(
            canvas.svg,
            r##"<rect x="{x0:.1}" y="{top}" width="{:.1}" height="{height}" fill="#eeeeee"><title>no data {}</title></rect><text x="{:.1}" y="{}" text-anchor="middle" fill="#555">no data</text>"##,
            x1 - x0,
            span_text(from, to),
            (x0 + x1) / 2.0,
            top + 14.0
        );
    }
    for band in &figure.bands {
        let colour = PALETTE[band.series % PALETTE.len()];
        for run in band.points.split(|p| p.1.is_none()).filter(|r| !r.is_empty()) {
            let upper = run.iter().filter_map(|&(x, v)| v.map(|(_, hi)| (sx(x), sy(hi))));
            let lower = run.iter().rev().filter_map(|&(x, v)| v.map(|(lo, _)| (sx(x), sy(lo))));
            let mut d = String::new();
            for (k, (x, y)) in upper.chain(lower).enumerate() {
                let _ = write!(d, "{}{x:.1},{y:.1} ", if k == 0 { "M" } else { "L" });
            }
            let _ = write!(
                canvas.svg,
                r#"<path d="{}Z" fill="{colour}" fill-opacity="0.2" stroke="none"><title>{}</title></path>"#,
                d,
                escape(&band.name)
            );
        }
    }
    for (k, s) in chart.series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let mut path = String::new();
        let mut pen_down = false;
        for &(x, y) in &s.points {
            match y {
                Some(y) => {
                    let _ = write!(path, "{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, sx(x), sy(y));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(
            canvas.svg,
            r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2"><title>{}</title></path>"#,
            path.trim_end(),
            escape(&s.name)
        );
    }
    let xs = xs(&chart.series);
    let columns = xs
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let c = sx(x);
            let l = if i == 0 { left } else { (sx(xs[i - 1]) + c) / 2.0 };
            let r = if i + 1 == xs.len() { left + width } else { (sx(xs[i + 1]) + c) / 2.0 };
            (x, c, l, r)
        })
        .collect();
    Some(XAt { columns, lo: x_lo, hi: x_hi })
}

/// Stacked bars, one slot per x value from the first to the last; `None` when nothing is
/// above zero. Static charts carry each bar's numbers as a tooltip.
fn bars(canvas: &mut Canvas, series: &[Series], interactive: bool) -> Option<XAt> {
    let xs = xs(series);
    let total = |x: f64| -> f64 { series.iter().filter_map(|s| value_at(s, x)).sum() };
    let y_hi = xs.iter().map(|&x| total(x)).fold(0.0, f64::max);
    if y_hi <= 0.0 {
        return None;
    }
    let (x_lo, x_hi) = (xs[0], xs[xs.len() - 1]);
    let Area { left, top, width, height } = canvas.area;
    let slot = width / (x_hi - x_lo + 1.0).max(1.0);
    let sx = |x: f64| left + (x - x_lo) * slot;
    let sy = |y: f64| top + height - y / y_hi * height;
    for t in ticks(0.0, y_hi) {
        canvas.gridline(sy(t), t);
    }
    for t in ticks(x_lo, x_hi) {
        canvas.x_tick(sx(t) + slot / 2.0, t);
    }
    let gap = (slot * 0.15).min(2.0);
    for &x in &xs {
        let mut base = 0.0;
        let mut parts = Vec::new();
        for (k, s) in series.iter().enumerate() {
            let v = value_at(s, x).unwrap_or(0.0);
            if v > 0.0 {
                let _ = write!(
                    canvas.svg,
                    r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"#,
                    sx(x) + gap / 2.0,
                    sy(base + v),
                    (slot - gap).max(0.5),
                    sy(base) - sy(base + v),
                    PALETTE[k % PALETTE.len()]
                );
                parts.push(format!("{} {}", s.name, label(v)));
                base += v;
            }
        }
        if !interactive && !parts.is_empty() {
            let _ = write!(
                canvas.svg,
                r#"<rect x="{:.1}" y="{top}" width="{slot:.1}" height="{height}" fill="transparent"><title>{}: {}</title></rect>"#,
                sx(x),
                label(x),
                escape(&parts.join(", "))
            );
        }
    }
    let columns = xs.iter().map(|&x| (x, sx(x) + slot / 2.0, sx(x), sx(x) + slot)).collect();
    Some(XAt { columns, lo: x_lo, hi: x_hi })
}

/// A dashed line per event inside the x range, numbered at the top; the caption or the
/// description says what each number is.
fn events(canvas: &mut Canvas, figure: &Figure, x_at: &XAt) {
    let Area { top, height, .. } = canvas.area;
    // Numbers of events closer than a label's width go up a row, so none overlap.
    let mut last: Option<(f64, usize)> = None;
    for (n, e) in figure.events.iter().enumerate() {
        let Some(x) = x_at.position(e.x) else { continue };
        let row = match last {
            Some((at, row)) if x - at < 16.0 => (row + 1) % 2,
            _ => 0,
        };
        last = Some((x, row));
        let _ = write!(
            canvas.svg,
            r##"<g><line x1="{x:.1}" x2="{x:.1}" y1="{}" y2="{}" stroke="#444" stroke-dasharray="4 3"/><text x="{x:.1}" y="{}" text-anchor="middle" font-size="11" font-weight="600">{}</text><title>{}: {}</title></g>"##,
            top - 2.0 - 11.0 * row as f64,
            top + height,
            top - 4.0 - 11.0 * row as f64,
            n + 1,
            label(e.x),
            escape(&e.label)
        );
    }
}

/// A swatch and name per series (a line for lines, a square for bars) and per band.
fn legend(svg: &mut String, frame: &Frame, figure: &Figure) {
    let (series, bars) = match &figure.plot {
        Plot::Lines(c) => (&c.series, false),
        Plot::StackedBars(c) => (&c.series, true),
    };
    for (k, s) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let (lx, ly) = frame.legend.at(k);
        if bars {
            let _ = write!(svg, r#"<rect x="{lx}" y="{}" width="12" height="12" fill="{colour}"/>"#, ly - 6.0);
        } else {
            let _ = write!(
                svg,
                r#"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="3"/>"#,
                lx + 18.0
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}">{}</text>"#,
            lx + if bars { 18.0 } else { 24.0 },
            ly + 4.0,
            escape(&s.name)
        );
    }
    for (k, b) in figure.bands.iter().enumerate() {
        let (lx, ly) = frame.legend.at(series.len() + k);
        let colour = PALETTE[b.series % PALETTE.len()];
        let _ = write!(
            svg,
            r#"<rect x="{lx}" y="{}" width="18" height="12" fill="{colour}" fill-opacity="0.2"/><text x="{}" y="{}">{}</text>"#,
            ly - 6.0,
            lx + 24.0,
            ly + 4.0,
            escape(&b.name)
        );
    }
}

/// One focusable column per x value: hovering shows its `<title>`, focusing shows the
/// tip (the page's stylesheet reveals `.tip` on focus).
fn hits(canvas: &mut Canvas, series: &[Series], x_at: &XAt) {
    let Area { left, top, width, height } = canvas.area;
    for &(x, centre, l, r) in &x_at.columns {
        let values: Vec<String> =
            series.iter().filter_map(|s| value_at(s, x).map(|v| format!("{}: {}", s.name, label(v)))).collect();
        let text = if values.is_empty() {
            format!("{}: no data", label(x))
        } else {
            format!("{}: {}", label(x), values.join("; "))
        };
        let _ = write!(
            canvas.svg,
            r#"<g class="hit" tabindex="0" role="img" aria-label="{}"><rect class="col" x="{l:.1}" y="{top}" width="{:.1}" height="{height}" fill="transparent"/><title>{}</title>"#,
            escape(&text),
            (r - l).max(1.0),
            escape(&text)
        );
        let mut lines = vec![label(x)];
        lines.extend(if values.is_empty() { vec!["no data".to_owned()] } else { values });
        let w = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * 6.6 + 14.0;
        let h = lines.len() as f64 * 15.0 + 8.0;
        let tx = if centre > left + width / 2.0 {
            (centre - 8.0 - w).max(0.0)
        } else {
            (centre + 8.0).min(left + width - w)
        };
        let _ = write!(
            canvas.svg,
            r##"<g class="tip" visibility="hidden"><rect x="{tx:.1}" y="{}" width="{w:.1}" height="{h}" rx="3" fill="white" stroke="#333"/>"##,
            top + 2.0
        );
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                canvas.svg,
                r#"<text x="{:.1}" y="{:.1}"{}>{}</text>"#,
                tx + 7.0,
                top + 18.0 + i as f64 * 15.0,
                if i == 0 { r#" font-weight="600""# } else { "" },
                escape(line)
            );
        }
        canvas.svg.push_str("</g></g>");
    }
}
