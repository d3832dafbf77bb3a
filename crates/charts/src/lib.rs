//! Small SVG charts (no drawing library) for reports, the web app and `--chart` files.
//!
//! Written by hand rather than with plotters because plotters measures text with system
//! fonts (its `ttf` feature, fontconfig); these charts keep labels as real `<text>` the
//! browser lays out, carry `<title>`/`<desc>` for screen readers, and embed inline in
//! self-contained HTML.
//!
//! [`LineChart::svg`] and [`BarChart::svg`] draw the wide, static chart of reports and
//! files. A [`Figure`] adds what a web page needs: confidence bands, dated events, a
//! narrow layout for phones, focusable values, and the numbers as a table.

mod frame;
mod render;

use pactbase_model::markup::escape;

pub use frame::Layout;
pub use render::Options;

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

/// A stacked bar chart over a numeric x axis (years): one bar per x value, the series
/// stacked in order from the axis up. Missing values and zeros draw nothing.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub title: String,
    pub y_label: String,
    pub series: Vec<Series>,
}

/// A shaded interval around a line (a confidence interval), in the colour of
/// `series` (its index in the chart).
#[derive(Debug, Clone)]
pub struct Band {
    pub name: String,
    pub series: usize,
    /// (x, (low, high)); `None` leaves a gap.
    pub points: Vec<(f64, Option<(f64, f64)>)>,
}

/// A dated event marked across the plot (a member leaves, obligations are suspended).
#[derive(Debug, Clone)]
pub struct Event {
    pub x: f64,
    pub label: String,
}

#[derive(Debug, Clone)]
pub enum Plot {
    Lines(LineChart),
    StackedBars(BarChart),
}

/// A chart with its bands and events.
#[derive(Debug, Clone)]
pub struct Figure {
    pub plot: Plot,
    pub bands: Vec<Band>,
    pub events: Vec<Event>,
}

/// A figure's numbers: one row per x value, a column per series (and per band, low and
/// high).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(f64, Vec<Option<f64>>)>,
}

/// A colour-blind-safe palette (Okabe–Ito), cycled.
const PALETTE: [&str; 8] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

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

/// A value as charts print it: whole numbers and large values without decimals, one
/// decimal from 1, two below.
pub fn label(v: f64) -> String {
    if v.abs() >= 1000.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

impl LineChart {
    /// The wide, static chart (reports and files).
    pub fn svg(&self) -> String {
        Figure::lines(self.clone()).svg(&Options::default())
    }
}

impl BarChart {
    /// The wide, static chart (reports and files).
    pub fn svg(&self) -> String {
        Figure::bars(self.clone()).svg(&Options::default())
    }
}

impl Figure {
    pub fn lines(chart: LineChart) -> Figure {
        Figure { plot: Plot::Lines(chart), bands: Vec::new(), events: Vec::new() }
    }

    pub fn bars(chart: BarChart) -> Figure {
        Figure { plot: Plot::StackedBars(chart), bands: Vec::new(), events: Vec::new() }
    }

    pub fn with_band(mut self, band: Band) -> Figure {
        self.bands.push(band);
        self
    }

    pub fn with_events(mut self, events: Vec<Event>) -> Figure {
        self.events.extend(events);
        self
    }

    pub fn title(&self) -> &str {
        match &self.plot {
            Plot::Lines(c) => &c.title,
            Plot::StackedBars(c) => &c.title,
        }
    }

    fn series(&self) -> &[Series] {
        match &self.plot {
            Plot::Lines(c) => &c.series,
            Plot::StackedBars(c) => &c.series,
        }
    }

    fn y_label(&self) -> &str {
        match &self.plot {
            Plot::Lines(c) => &c.y_label,
            Plot::StackedBars(c) => &c.y_label,
        }
    }

    pub fn svg(&self, options: &Options) -> String {
        render::render(self, options)
    }

    /// A sentence for screen readers: what is plotted over which years, and the events.
    pub fn description(&self) -> String {
        let xs = render::xs(self.series());
        let span = match (xs.first(), xs.last()) {
            (Some(a), Some(b)) => format!(" from {} to {}", label(*a), label(*b)),
            _ => String::new(),
        };
        let names: Vec<&str> = self.series().iter().map(|s| s.name.as_str()).collect();
        let stacked = if matches!(self.plot, Plot::StackedBars(_)) { ", stacked" } else { "" };
        let mut text = format!("{} ({}{stacked}){span}: {}.", self.title(), self.y_label(), names.join(", "));
        if let Plot::Lines(c) = &self.plot {
            let gaps: Vec<String> = render::gaps(&c.series).into_iter().map(|(a, b)| render::span_text(a, b)).collect();
            if !gaps.is_empty() {
                text.push_str(&format!(" No data for {}.", gaps.join(", ")));
            }
        }
        if !self.bands.is_empty() {
            let bands: Vec<&str> = self.bands.iter().map(|b| b.name.as_str()).collect();
            text.push_str(&format!(" Shaded: {}.", bands.join(", ")));
        }
        for (n, e) in self.events.iter().enumerate() {
            text.push_str(&format!(" Event {}, {}: {}.", n + 1, label(e.x), e.label));
        }
        text
    }

    /// The numbers drawn, by x value.
    pub fn table(&self) -> Table {
        let series = self.series();
        let mut headers = vec!["x".to_owned()];
        headers.extend(series.iter().map(|s| s.name.clone()));
        for b in &self.bands {
            headers.push(format!("{} (low)", b.name));
            headers.push(format!("{} (high)", b.name));
        }
        let mut xs = render::xs(series);
        xs.extend(self.bands.iter().flat_map(|b| b.points.iter().map(|p| p.0)));
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let rows = xs
            .into_iter()
            .map(|x| {
                let mut row: Vec<Option<f64>> =
                    series.iter().map(|s| s.points.iter().find(|p| p.0 == x).and_then(|p| p.1)).collect();
                for b in &self.bands {
                    let v = b.points.iter().find(|p| p.0 == x).and_then(|p| p.1);
                    row.push(v.map(|v| v.0));
                    row.push(v.map(|v| v.1));
                }
                (x, row)
            })
            .collect();
        Table { headers, rows }
    }
}

/// Several charts stacked into one SVG file.
pub fn stack(charts: &[LineChart]) -> String {
    let heights: Vec<f64> = charts
        .iter()
        .map(|c| {
            let names: Vec<&str> = c.series.iter().map(|s| s.name.as_str()).collect();
            frame::Frame::new(Layout::Wide, &c.title, &names).height
        })
        .collect();
    let mut out =
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 {}">"#, heights.iter().sum::<f64>());
    let mut y = 0.0;
    for (c, h) in charts.iter().zip(&heights) {
        out.push_str(&format!(r#"<g transform="translate(0 {y})">{}</g>"#, c.svg()));
        y += h;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::title_size;

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
    fn empty_charts_say_so() {
        let mut c = chart();
        c.series[0].points.iter_mut().for_each(|p| p.1 = None);
        assert!(c.svg().contains("No data"));
    }

    fn interactive(layout: Layout) -> Options<'static> {
        Options { layout, interactive: true, id: Some("c") }
    }

    #[test]
    fn bands_are_shaded_around_their_line_and_widen_the_y_range() {
        let band = Band {
            name: "95% CI".into(),
            series: 0,
            points: vec![(1950.0, Some((1.0, 4.0))), (1951.0, None), (1952.0, Some((4.0, 9.0)))],
        };
        let figure = Figure::lines(chart()).with_band(band);
        let svg = figure.svg(&Options::default());
        assert_eq!(
            svg.matches(r##"fill="#0072B2" fill-opacity="0.2""##).count(),
            3,
            "two runs and a legend swatch: {svg}"
        );
        assert!(svg.contains(">8</text>"), "the y axis reaches the band's top: {svg}");
        let t = figure.table();
        assert_eq!(t.headers, ["x", "defense & offense", "95% CI (low)", "95% CI (high)"]);
        assert_eq!(t.rows[2], (1952.0, vec![Some(5.0), Some(4.0), Some(9.0)]));
        assert_eq!(t.rows[1], (1951.0, vec![None, None, None]), "missing stays missing");
    }

    #[test]
    fn interactive_charts_have_a_focusable_column_per_year_with_its_values() {
        let svg = Figure::lines(chart()).svg(&interactive(Layout::Wide));
        assert!(svg.contains(r#"role="group""#), "an image may not hold focusable parts");
        assert_eq!(svg.matches(r#"class="hit" tabindex="0""#).count(), 3);
        assert!(svg.contains(r#"aria-label="1952: defense &amp; offense: 5""#), "{svg}");
        assert!(svg.contains("<title>1951: no data</title>"));
        assert!(svg.contains(r#"<g class="tip" visibility="hidden">"#), "tips stay hidden without a stylesheet");
        assert!(!chart().svg().contains("tabindex"), "static charts (reports, files) have no tab stops");
        let bars = BarChart { title: "b".into(), y_label: "n".into(), series: chart().series };
        let svg = Figure::bars(bars).svg(&interactive(Layout::Narrow));
        assert_eq!(svg.matches("tabindex").count(), 3);
    }

    #[test]
    fn narrow_charts_are_laid_out_at_phone_width_not_scaled() {
        let mut c = chart();
        c.title = "Entry into Baghdad Pact — Pakistan: effect on log military expenditure (COW NMC)".into();
        let svg = Figure::lines(c).svg(&interactive(Layout::Narrow));
        assert!(svg.contains(r#"viewBox="0 0 360 "#), "{svg}");
        assert!(svg.matches(r#"font-weight="600">"#).count() >= 2, "the title wraps instead of shrinking");
        assert!(!svg.contains("font-size=\"10\""), "no text below 11 units");
    }

    #[test]
    fn events_are_numbered_lines_within_the_range_and_described() {
        let figure = Figure::lines(chart()).with_events(vec![
            Event { x: 1951.0, label: "a member leaves".into() },
            Event { x: 1990.0, label: "outside".into() },
        ]);
        let svg = figure.svg(&Options::default());
        assert_eq!(svg.matches("stroke-dasharray").count(), 1);
        assert!(svg.contains("<title>1951: a member leaves</title>"));
        assert!(figure.description().contains("Event 1, 1951: a member leaves."));
    }

    #[test]
    fn large_ticks_are_abbreviated() {
        assert_eq!(render::tick_label(650000.0), "650k");
        assert_eq!(render::tick_label(2500000.0), "2.5M");
        assert_eq!(render::tick_label(1960.0), "1960");
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
        assert_eq!(render::gaps(&c.series), vec![(2011.0, 2013.0)]);
        let svg = c.svg();
        assert!(svg.contains("<title>no data 2011–2013</title>"), "{svg}");
        assert!(svg.contains("No data for 2011–2013."), "the description says so: {svg}");
        assert!(
            svg.contains(">2012</text>") || svg.contains(">2013</text>"),
            "the axis runs on through the gap: {svg}"
        );
        assert_eq!(render::gaps(&chart().series), vec![(1951.0, 1951.0)], "one missing year is a gap too");
    }
}
