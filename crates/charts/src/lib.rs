//! Small, dependency-free SVG charts for reports, the web app and `--chart` files.
//!
//! Written by hand rather than with plotters because plotters measures text with system
//! fonts (its `ttf` feature, fontconfig); these charts keep labels as real `<text>` the
//! browser lays out, carry `<title>`/`<desc>` for screen readers, and embed inline in
//! self-contained HTML.

use std::fmt::Write;

/// A line chart with a shared x axis (years) and gaps where a series has no value.
#[derive(Debug, Clone)]
pub struct LineChart {
    pub title: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Draw the y axis from 0 (counts and shares) rather than from the data's minimum.
    pub y_from_zero: bool,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, Option<f64>)>,
}

/// A colour-blind-safe palette (Okabe–Ito), cycled.
const PALETTE: [&str; 8] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 360.0;
const MARGIN: (f64, f64, f64, f64) = (48.0, 170.0, 44.0, 64.0); // top, right, bottom, left

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The title's font size: 15px, smaller for a long title so it stays inside the chart
/// (about 0.55em a character in a sans-serif face).
fn title_size(title: &str) -> f64 {
    let fits = (WIDTH - MARGIN.3 - 8.0) / (0.55 * 15.0);
    let chars = title.chars().count() as f64;
    if chars <= fits {
        15.0
    } else {
        (15.0 * fits / chars).max(10.0).floor()
    }
}

/// About five round tick values spanning `lo..=hi`.
pub fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return vec![lo];
    }
    let raw = (hi - lo) / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() * step;
    (0..).map(|i| first + i as f64 * step).take_while(|v| *v <= hi + step * 1e-9).collect()
}

/// A horizontal gridline at height `y` across the plot area, labelled `value`.
fn y_gridline(svg: &mut String, (left, _, plot_w, _): (f64, f64, f64, f64), y: f64, value: f64) {
    let _ = write!(
        svg,
        r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e5e5e5"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
        left + plot_w,
        left - 6.0,
        y + 4.0,
        label(value)
    );
}

/// A tick below the plot area at `x`, labelled `value`.
fn x_tick(svg: &mut String, (_, top, _, plot_h): (f64, f64, f64, f64), x: f64, value: f64) {
    let _ = write!(
        svg,
        r##"<line x1="{x:.1}" x2="{x:.1}" y1="{}" y2="{}" stroke="#999"/><text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"##,
        top + plot_h,
        top + plot_h + 5.0,
        top + plot_h + 18.0,
        label(value)
    );
}

/// The x and y axis lines of the plot area `(left, top, width, height)`, and the y label.
fn axes(svg: &mut String, (left, top, plot_w, plot_h): (f64, f64, f64, f64), y_label: &str) {
    let _ = write!(
        svg,
        r##"<line x1="{left}" x2="{}" y1="{}" y2="{}" stroke="#333"/><line x1="{left}" x2="{left}" y1="{top}" y2="{}" stroke="#333"/><text transform="translate(14 {}) rotate(-90)" text-anchor="middle">{}</text>"##,
        left + plot_w,
        top + plot_h,
        top + plot_h,
        top + plot_h,
        top + plot_h / 2.0,
        escape(y_label)
    );
}

fn label(v: f64) -> String {
    if v.abs() >= 1000.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

impl LineChart {
    pub fn svg(&self) -> String {
        let points: Vec<(f64, f64)> =
            self.series.iter().flat_map(|s| s.points.iter().filter_map(|&(x, y)| y.map(|y| (x, y)))).collect();
        let (top, right, bottom, left) = MARGIN;
        let mut svg = String::new();
        let id = self.title.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d" font-family="system-ui, sans-serif" font-size="12"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
            escape(&self.title),
            escape(&self.description())
        );
        let _ = write!(
            svg,
            r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/><text x="{left}" y="24" font-size="{}" font-weight="600">{}</text>"#,
            title_size(&self.title),
            escape(&self.title)
        );
        if points.is_empty() {
            let _ = write!(svg, r#"<text x="{left}" y="{}">No data for this period.</text></svg>"#, HEIGHT / 2.0);
            return svg;
        }
        // The x axis spans every year asked for, with or without data, so a gap shows.
        let (x_lo, x_hi) = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
        let (mut y_lo, mut y_hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
        if self.y_from_zero {
            y_lo = y_lo.min(0.0);
        }
        if y_hi <= y_lo {
            y_hi = y_lo + 1.0;
        }
        let plot_w = WIDTH - left - right;
        let plot_h = HEIGHT - top - bottom;
        let sx = |x: f64| left + if x_hi > x_lo { (x - x_lo) / (x_hi - x_lo) * plot_w } else { plot_w / 2.0 };
        let sy = |y: f64| top + plot_h - (y - y_lo) / (y_hi - y_lo) * plot_h;
        for t in ticks(y_lo, y_hi) {
            let y = sy(t);
            y_gridline(&mut svg, (left, top, plot_w, plot_h), y, t);
        }
        for t in ticks(x_lo, x_hi) {
            let x = sx(t);
            x_tick(&mut svg, (left, top, plot_w, plot_h), x, t);
        }
        let step = self.x_step();
        for (from, to) in self.gaps() {
            // A shaded band, half a step wider on each side, so that one missing year shows.
            let (x0, x1) = (sx(from - step / 2.0).max(left), sx(to + step / 2.0).min(left + plot_w));
            let _ = write!(
                svg,
                r##"<rect x="{x0:.1}" y="{top}" width="{:.1}" height="{plot_h}" fill="#eeeeee"><title>no data {}</title></rect><text x="{:.1}" y="{}" text-anchor="middle" fill="#555">no data</text>"##,
                x1 - x0,
                span_text(from, to),
                (x0 + x1) / 2.0,
                top + 14.0
            );
        }
        axes(&mut svg, (left, top, plot_w, plot_h), &self.y_label);
        for (k, s) in self.series.iter().enumerate() {
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
                svg,
                r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2"><title>{}</title></path>"#,
                path.trim_end(),
                escape(&s.name)
            );
            let ly = top + 8.0 + k as f64 * 18.0;
            let lx = left + plot_w + 14.0;
            let _ = write!(
                svg,
                r#"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="3"/><text x="{}" y="{}">{}</text>"#,
                lx + 18.0,
                lx + 24.0,
                ly + 4.0,
                escape(&s.name)
            );
        }
        svg.push_str("</svg>");
        svg
    }

    /// A sentence for screen readers: what is plotted over which years.
    fn description(&self) -> String {
        let xs: Vec<f64> = self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
        let span = match (xs.iter().cloned().reduce(f64::min), xs.iter().cloned().reduce(f64::max)) {
            (Some(a), Some(b)) => format!(" from {} to {}", label(a), label(b)),
            _ => String::new(),
        };
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        let gaps: Vec<String> = self.gaps().into_iter().map(|(a, b)| span_text(a, b)).collect();
        let gaps = if gaps.is_empty() { String::new() } else { format!(" No data for {}.", gaps.join(", ")) };
        format!("{} ({}){span}: {}.{gaps}", self.title, self.y_label, names.join(", "))
    }

    /// The smallest distance between two x values (a year, for yearly series; 1 for one value).
    fn x_step(&self) -> f64 {
        let xs = self.xs();
        xs.windows(2).map(|w| w[1] - w[0]).reduce(f64::min).unwrap_or(1.0)
    }

    fn xs(&self) -> Vec<f64> {
        let mut xs: Vec<f64> = self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        xs
    }

    /// Runs of x values at which no series has a value, as (first, last): the years the
    /// data do not cover, drawn as gaps rather than as zeros.
    fn gaps(&self) -> Vec<(f64, f64)> {
        let known = |x: f64| self.series.iter().any(|s| s.points.iter().any(|p| p.0 == x && p.1.is_some()));
        let mut out: Vec<(f64, f64)> = Vec::new();
        let mut open = false;
        for x in self.xs() {
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
}

/// "2011–2025", or "2011" for a one-year gap.
fn span_text(from: f64, to: f64) -> String {
    if from == to {
        label(from)
    } else {
        format!("{}–{}", label(from), label(to))
    }
}

/// A stacked bar chart over a numeric x axis (years): one bar per x value, the series
/// stacked in order from the axis up. Missing values and zeros draw nothing.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub title: String,
    pub y_label: String,
    pub series: Vec<Series>,
}

impl BarChart {
    pub fn svg(&self) -> String {
        let (top, right, bottom, left) = MARGIN;
        let mut xs: Vec<f64> = self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let total = |x: f64| -> f64 {
            self.series.iter().flat_map(|s| s.points.iter().filter(move |p| p.0 == x)).filter_map(|p| p.1).sum()
        };
        let y_hi = xs.iter().map(|&x| total(x)).fold(0.0, f64::max);
        let id = self.title.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        let span = match (xs.first(), xs.last()) {
            (Some(a), Some(b)) => format!(" from {} to {}", label(*a), label(*b)),
            _ => String::new(),
        };
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d" font-family="system-ui, sans-serif" font-size="12"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
            escape(&self.title),
            escape(&format!("{} ({}, stacked){span}: {}.", self.title, self.y_label, names.join(", ")))
        );
        let _ = write!(
            svg,
            r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/><text x="{left}" y="24" font-size="{}" font-weight="600">{}</text>"#,
            title_size(&self.title),
            escape(&self.title)
        );
        if y_hi <= 0.0 {
            let _ = write!(svg, r#"<text x="{left}" y="{}">No data for this period.</text></svg>"#, HEIGHT / 2.0);
            return svg;
        }
        let (x_lo, x_hi) = (xs[0], xs[xs.len() - 1]);
        let plot_w = WIDTH - left - right;
        let plot_h = HEIGHT - top - bottom;
        let slots = (x_hi - x_lo + 1.0).max(1.0);
        let slot = plot_w / slots;
        let sx = |x: f64| left + (x - x_lo) * slot;
        let sy = |y: f64| top + plot_h - y / y_hi * plot_h;
        for t in ticks(0.0, y_hi) {
            let y = sy(t);
            y_gridline(&mut svg, (left, top, plot_w, plot_h), y, t);
        }
        for t in ticks(x_lo, x_hi) {
            let x = sx(t) + slot / 2.0;
            x_tick(&mut svg, (left, top, plot_w, plot_h), x, t);
        }
        let gap = (slot * 0.15).min(2.0);
        for &x in &xs {
            let mut base = 0.0;
            let mut parts = Vec::new();
            for (k, s) in self.series.iter().enumerate() {
                let v: f64 = s.points.iter().filter(|p| p.0 == x).filter_map(|p| p.1).sum();
                if v > 0.0 {
                    let colour = PALETTE[k % PALETTE.len()];
                    let _ = write!(
                        svg,
                        r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{colour}"/>"#,
                        sx(x) + gap / 2.0,
                        sy(base + v),
                        (slot - gap).max(0.5),
                        sy(base) - sy(base + v)
                    );
                    parts.push(format!("{} {}", s.name, label(v)));
                    base += v;
                }
            }
            if !parts.is_empty() {
                // A transparent hit area carrying the bar's numbers as a tooltip.
                let _ = write!(
                    svg,
                    r#"<rect x="{:.1}" y="{top}" width="{slot:.1}" height="{plot_h}" fill="transparent"><title>{}: {}</title></rect>"#,
                    sx(x),
                    label(x),
                    escape(&parts.join(", "))
                );
            }
        }
        axes(&mut svg, (left, top, plot_w, plot_h), &self.y_label);
        for (k, s) in self.series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let ly = top + 8.0 + k as f64 * 18.0;
            let lx = left + plot_w + 14.0;
            let _ = write!(
                svg,
                r#"<rect x="{lx}" y="{}" width="12" height="12" fill="{colour}"/><text x="{}" y="{}">{}</text>"#,
                ly - 6.0,
                lx + 18.0,
                ly + 4.0,
                escape(&s.name)
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

/// Several charts stacked into one SVG file.
pub fn stack(charts: &[LineChart]) -> String {
    let mut out =
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {}">"#, HEIGHT * charts.len() as f64);
    for (i, c) in charts.iter().enumerate() {
        let _ = write!(out, r#"<g transform="translate(0 {})">{}</g>"#, HEIGHT * i as f64, c.svg());
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> LineChart {
        LineChart {
            title: "Alliances <in force>".into(),
            y_label: "count".into(),
            y_from_zero: true,
            series: vec![Series {
                name: "defense & offense".into(),
                points: vec![(1950.0, Some(3.0)), (1951.0, None), (1952.0, Some(5.0))],
            }],
        }
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 10.0), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(1946.0, 2018.0), vec![1960.0, 1980.0, 2000.0]);
    }

    #[test]
    fn svg_escapes_text_breaks_lines_at_gaps_and_is_titled() {
        let svg = chart().svg();
        assert!(svg.contains("Alliances &lt;in force&gt;") && svg.contains("defense &amp; offense"));
        assert!(svg.contains("<title id=") && svg.contains("role=\"img\""));
        let path = svg.split("<path d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(path.matches('M').count(), 2, "a gap starts a new line: {path}");
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn bars_stack_in_order_and_escape_names() {
        let bars = BarChart {
            title: "In force".into(),
            y_label: "agreements".into(),
            series: vec![
                Series { name: "a & b".into(), points: vec![(2000.0, Some(2.0)), (2001.0, Some(1.0))] },
                Series { name: "c".into(), points: vec![(2000.0, Some(1.0)), (2001.0, None)] },
            ],
        };
        let svg = bars.svg();
        assert!(svg.contains("a &amp; b") && svg.contains("<title>2000: a &amp; b 2, c 1</title>"), "{svg}");
        assert_eq!(svg.matches("fill=\"#0072B2\"").count(), 3, "two bars and a legend key");
        assert!(BarChart { series: vec![], ..bars }.svg().contains("No data"));
    }

    #[test]
    fn long_titles_get_smaller_type() {
        assert_eq!(title_size("Alliances"), 15.0);
        let long = "Entry into Baghdad Pact — Pakistan: effect on log military expenditure (COW NMC)";
        assert!(title_size(long) < 15.0 && title_size(long) >= 10.0);
        let mut c = chart();
        c.title = long.into();
        assert!(c.svg().contains(&format!("font-size=\"{}\" font-weight", title_size(long))));
    }

    #[test]
    fn years_without_data_are_drawn_as_gaps_and_described() {
        let c = LineChart {
            title: "Exercises".into(),
            y_label: "exercises".into(),
            y_from_zero: true,
            series: vec![Series {
                name: "exercises".into(),
                points: (2008..=2013).map(|y| (f64::from(y), (y <= 2010).then_some(5.0))).collect(),
            }],
        };
        assert_eq!(c.gaps(), vec![(2011.0, 2013.0)]);
        let svg = c.svg();
        assert!(svg.contains("<title>no data 2011–2013</title>"), "{svg}");
        assert!(svg.contains("No data for 2011–2013."), "the description says so: {svg}");
        let tick_2012 = svg.contains(">2012</text>") || svg.contains(">2013</text>");
        assert!(tick_2012, "the axis runs on through the gap: {svg}");
        assert!(chart().gaps() == vec![(1951.0, 1951.0)], "one missing year is a gap too");
    }

    #[test]
    fn empty_charts_say_so() {
        let mut c = chart();
        c.series[0].points.iter_mut().for_each(|p| p.1 = None);
        assert!(c.svg().contains("No data"));
    }
}
