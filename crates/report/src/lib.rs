//! The country report: one self-contained HTML file from a [`ReportData`].
//!
//! Everything the page needs is inside it: CSS inline, charts as inline SVG from
//! `pactbase-charts` (text as real `<text>`, titled for screen readers), no scripts, no
//! fonts, no images, no requests. The only external addresses are the citation links in
//! the sources section, as plain `<a href>`. Every text from the data is HTML-escaped;
//! every section has a stable id ([`SECTIONS`]) and a heading, inside `<main>`, with a
//! table of contents in a `<nav>`. It prints one section per page, without backgrounds.
//!
//! The crate knows nothing about the store: the caller (the CLI's `report` command)
//! assembles [`ReportData`] from whatever data it has, and a section whose dataset is not
//! imported arrives as [`Missing`], which the page states plainly with the import command.

mod data;
mod style;

use std::fmt::Write;

use pactbase_charts::{BarChart, LineChart, Series};

pub use data::*;

/// The sections, in order: (id, heading, the question the section answers).
pub const SECTIONS: [(&str, &str, &str); 10] = [
    ("overview", "Overview", "Who the state is, what it has signed, and what binds it today."),
    (
        "timeline",
        "Agreements over time",
        "Which agreements it joined, when, of which kind, and what each obliges it to do.",
    ),
    ("partners", "Partners and obligations", "Whom it is tied to, and how strongly in each direction."),
    ("network", "Position in the alliance network", "How central it has been in the web of alliances, year by year."),
    ("exercises", "Joint exercises", "With whom, and in which domains, its forces exercise together."),
    (
        "capabilities",
        "Capability aggregation and burden sharing",
        "What its allies add to its own capability, and who pays for the alliances it belongs to.",
    ),
    ("impact", "Impact estimates", "What entering its alliances changed, estimated against comparable states."),
    (
        "challenges",
        "Challenges",
        "Where its commitments strain: rival partners, sovereignty costs, overlapping pledges.",
    ),
    ("recommendations", "Recommended partnerships", "Which partnerships could be added next, and why."),
    ("sources", "Sources", "Where every fact in this report comes from."),
];

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole report as one HTML document.
pub fn render(d: &ReportData) -> String {
    let name = escape(&d.state.name);
    let mut h = String::with_capacity(256 * 1024);
    let _ = write!(
        h,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{}">
<title>{name}: defense collaboration report</title>
<style>{}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header class="masthead">
<p class="kicker">pactbase country report</p>
<h1>{name}</h1>
<p class="subtitle">Defense collaboration treaties, partners and commitments, {} to {}</p>
<p class="meta">COW {} · {}{} · registry through {} · made by {}</p>
</header>
<nav aria-label="Sections of the report" class="toc"><h2 class="toc-title">Contents</h2><ol>"##,
        escape(&d.generator),
        style::CSS,
        first_year(d).map_or_else(|| "–".into(), |y| y.to_string()),
        d.as_of,
        d.state.ccode,
        escape(&d.state.abb),
        d.state.iso3.as_ref().map(|i| format!(" · ISO {}", escape(i))).unwrap_or_default(),
        d.as_of,
        escape(&d.generator),
    );
    for (id, title, _) in SECTIONS {
        let _ = write!(h, r##"<li><a href="#{id}">{title}</a></li>"##);
    }
    h.push_str("</ol></nav>\n<main id=\"main\">\n");
    for (i, (id, title, question)) in SECTIONS.iter().enumerate() {
        let body = match *id {
            "overview" => overview(d),
            "timeline" => timeline(d),
            "partners" => partners(d),
            "network" => network(d),
            "exercises" => exercises(d),
            "capabilities" => capabilities(d),
            "impact" => impact(d),
            "challenges" => challenges(d),
            "recommendations" => recommendations(d),
            _ => sources(d),
        };
        let _ = write!(
            h,
            r#"<section id="{id}" aria-labelledby="{id}-title">
<h2 id="{id}-title"><span class="num">{}</span> {title}</h2>
<p class="question">{question}</p>
{body}
</section>
"#,
            i + 1
        );
    }
    let _ = write!(
        h,
        r##"</main>
<footer class="colophon"><p>{name} · pactbase country report · registry through {} · Missing values are shown as missing, never as zero. Research datasets as listed under <a href="#sources">Sources</a>.</p></footer>
</body>
</html>
"##,
        d.as_of
    );
    h
}

// ---------------------------------------------------------------- helpers

fn first_year(d: &ReportData) -> Option<i32> {
    d.timeline.memberships.iter().map(|m| m.joined_year).min()
}

fn missing(m: &Missing) -> String {
    if m.import.is_empty() {
        return format!(
            r#"<div class="missing" role="note"><p><strong>Not available:</strong> {}.</p></div>"#,
            escape(&m.what)
        );
    }
    let commands: Vec<String> = m.import.iter().map(|c| format!("<code>{}</code>", escape(c))).collect();
    format!(
        r#"<div class="missing" role="note"><p><strong>Not available:</strong> this part needs {}, which is not imported into this database. Import it with {} and run the report again (see docs/IMPORT.md).</p></div>"#,
        escape(&m.what),
        commands.join(" and ")
    )
}

fn note(text: &str) -> String {
    format!(r#"<p class="note">{text}</p>"#)
}

fn state(s: &StateRef) -> String {
    format!(r#"<abbr title="{}">{}</abbr>"#, escape(&s.name), escape(&s.abb))
}

fn state_name(s: &StateRef) -> String {
    format!("{} <span class=\"abb\">{}</span>", escape(&s.name), escape(&s.abb))
}

/// A short list of states: the first `keep` as abbreviations, then a count.
fn states(list: &[StateRef], keep: usize) -> String {
    let shown: Vec<String> = list.iter().take(keep).map(state).collect();
    if list.len() > keep {
        let rest: Vec<&str> = list[keep..].iter().map(|s| s.name.as_str()).collect();
        format!(
            r#"{} <span class="more" title="{}">+{} more</span>"#,
            shown.join(" "),
            escape(&rest.join(", ")),
            list.len() - keep
        )
    } else {
        shown.join(" ")
    }
}

fn tags(items: &[String], class: &str) -> String {
    items.iter().map(|i| format!(r#"<span class="tag {class} t-{}">{}</span>"#, slug(i), escape(i))).collect()
}

fn slug(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// A table inside a labelled, keyboard-scrollable region (narrow screens scroll it).
fn table(caption: &str, headers: &[&str], rows: &[Vec<String>], class: &str) -> String {
    let mut t = format!(
        r#"<div class="scroll" role="region" aria-label="{}" tabindex="0"><table class="{class}"><caption>{}</caption><thead><tr>"#,
        escape(caption),
        escape(caption)
    );
    for hd in headers {
        let _ = write!(t, r#"<th scope="col">{hd}</th>"#);
    }
    t.push_str("</tr></thead><tbody>");
    for r in rows {
        t.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            if i == 0 {
                let _ = write!(t, r#"<th scope="row">{c}</th>"#);
            } else {
                let _ = write!(t, "<td>{c}</td>");
            }
        }
        t.push_str("</tr>");
    }
    t.push_str("</tbody></table></div>");
    t
}

fn figure(svg: &str, caption: &str) -> String {
    format!(r#"<figure class="chart">{svg}<figcaption>{caption}</figcaption></figure>"#)
}

/// A horizontal bar in a table cell, `value` of `max`, with the number beside it.
fn bar(value: f64, max: f64, text: &str) -> String {
    let pct = if max > 0.0 { (value / max * 100.0).clamp(0.0, 100.0) } else { 0.0 };
    format!(
        r#"<span class="barcell"><span class="bar" style="width:{pct:.1}%"></span><span class="barval">{text}</span></span>"#
    )
}

/// A date that does not break across lines.
fn date(text: &str) -> String {
    format!(r#"<span class="date">{}</span>"#, escape(text))
}

fn years(from: i32, to: Option<i32>) -> String {
    match to {
        Some(t) if t == from => from.to_string(),
        Some(t) => format!("{from}–{t}"),
        None => format!("{from}–"),
    }
}

/// 2007 2009 2011 2012 2013 → "2007, 2009, 2011–2013".
fn runs(list: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < list.len() {
        let mut j = i;
        while j + 1 < list.len() && list[j + 1] == list[j] + 1 {
            j += 1;
        }
        parts.push(if j > i { format!("{}–{}", list[i], list[j]) } else { list[i].to_string() });
        i = j + 1;
    }
    parts.join(", ")
}

fn fmt_f(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    s.replace('-', "−")
}

/// 77639.04 → "77,639".
fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        format!("−{out}")
    } else {
        out
    }
}

fn list_words(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn in_force(m: &MembershipRow, year: i32) -> bool {
    m.joined_year <= year && m.last_year.is_none_or(|l| l >= year)
}

const DEFENSE: [&str; 2] = ["defense", "offense"];

fn has_defense(m: &MembershipRow) -> bool {
    m.obligations.iter().chain(&m.owed).any(|o| DEFENSE.contains(&o.as_str()))
}

// ---------------------------------------------------------------- overview

fn spells(list: &[(String, Option<String>)]) -> String {
    if list.is_empty() {
        return "—".into();
    }
    let parts: Vec<String> = list
        .iter()
        .map(|(a, b)| format!("{}–{}", escape(a), b.as_deref().map_or_else(|| "present".into(), escape)))
        .collect();
    parts.join(", ")
}

fn overview(d: &ReportData) -> String {
    let mut h = String::new();
    let ms = &d.timeline.memberships;
    let current: Vec<&MembershipRow> = ms.iter().filter(|m| in_force(m, d.as_of)).collect();
    let defense_now: Vec<&PartnerRow> = d
        .partners
        .iter()
        .filter(|p| p.last_year.is_none_or(|l| l >= d.as_of) && (p.tie_out >= 3 || p.tie_in >= 3))
        .collect();
    let cards = [
        (ms.len().to_string(), "agreement memberships".to_string()),
        (current.len().to_string(), format!("in force in {}", d.as_of)),
        (d.partners.len().to_string(), "partners, ever".to_string()),
        (defense_now.len().to_string(), format!("defense partners in {}", d.as_of)),
    ];
    h.push_str(r#"<div class="cards">"#);
    for (n, what) in cards {
        let _ = write!(h, r#"<p class="card"><span class="big">{n}</span> {}</p>"#, escape(&what));
    }
    h.push_str("</div>");
    let _ = write!(
        h,
        r#"<dl class="facts"><div><dt>State</dt><dd>{}</dd></div><div><dt>COW code</dt><dd>{}</dd></div><div><dt>Abbreviation</dt><dd>{}</dd></div><div><dt>ISO 3166</dt><dd>{}</dd></div><div><dt>In the state system</dt><dd>{}</dd></div></dl>"#,
        escape(&d.state.name),
        d.state.ccode,
        escape(&d.state.abb),
        d.state.iso3.as_deref().map(escape).unwrap_or_else(|| "—".into()),
        spells(&d.state.spells)
    );
    h.push_str(r#"<h3>In brief</h3><div class="summary">"#);
    for p in summary(d) {
        let _ = write!(h, "<p>{p}</p>");
    }
    h.push_str("</div>");
    let _ = write!(h, "<h3>Current commitments ({})</h3>", d.as_of);
    if current.is_empty() {
        h.push_str(&note("No agreement in the registry is in force for this state."));
    } else {
        let rows: Vec<Vec<String>> = current
            .iter()
            .map(|m| {
                vec![
                    format!(r#"{} <span class="sub">{}</span>"#, escape(&m.label), escape(&m.name)),
                    tags(&m.kinds, "kind"),
                    date(&m.joined),
                    if m.obligations.is_empty() { "—".into() } else { tags(&m.obligations, "ob") },
                    if m.owed.is_empty() { "—".into() } else { tags(&m.owed, "ob") },
                    states(&m.partners, 6),
                ]
            })
            .collect();
        h.push_str(&table(
            &format!("Agreements in force in {}", d.as_of),
            &["Agreement", "Kinds", "Since", "It owes", "Owed to it", "Partners"],
            &rows,
            "wide",
        ));
    }
    h
}

/// A few data-driven sentences, each from one section's numbers (already escaped).
fn summary(d: &ReportData) -> Vec<String> {
    let mut out = Vec::new();
    let name = escape(&d.state.name);
    let ms = &d.timeline.memberships;
    if let Some(first) = ms.iter().min_by_key(|m| m.joined_year) {
        let current = ms.iter().filter(|m| in_force(m, d.as_of)).count();
        let defense = ms.iter().filter(|m| in_force(m, d.as_of) && has_defense(m)).count();
        out.push(format!(
            "{name} has joined {} agreement{} in the registry since {} ({}). {current} {} in force in {}, {defense} of them with a defense obligation.",
            ms.len(),
            if ms.len() == 1 { "" } else { "s" },
            first.joined_year,
            escape(&first.label),
            if current == 1 { "is" } else { "are" },
            d.as_of
        ));
    } else {
        out.push(format!("The registry records no agreement for {name}."));
    }
    let strong: Vec<String> = d
        .partners
        .iter()
        .filter(|p| p.tie_out >= 3 || p.tie_in >= 3)
        .filter(|p| p.last_year.is_none_or(|l| l >= d.as_of))
        .map(|p| escape(&p.partner.name))
        .collect();
    if !strong.is_empty() {
        out.push(format!("Defense obligations bind it today to {}.", list_words(&strong)));
    }
    if let Ok(n) = &d.network {
        if let (Some(deg), Some(eig)) = (
            n.years.iter().max_by_key(|y| (y.degree, -y.year)),
            n.years.iter().min_by_key(|y| (y.eigenvector_rank, y.year)),
        ) {
            out.push(format!(
                "In the alliance network it had the most allies in {} ({}), and ranked highest by eigenvector centrality in {} ({} of {} states).",
                deg.year, deg.degree, eig.year, eig.eigenvector_rank, eig.states
            ));
        }
    }
    if let Ok(c) = &d.capabilities.cinc {
        let ratios: Vec<(i32, f64)> = c
            .years
            .iter()
            .filter_map(|y| match (y.own, y.allied) {
                (Some(o), Some(a)) if o > 0.0 && y.partners > 0 => Some((y.year, a / o)),
                _ => None,
            })
            .collect();
        if let Some(&(year, ratio)) = ratios.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
            out.push(format!(
                "At the peak, in {year}, its defense partners together held {} times its own share of world capability (CINC).",
                fmt_f(ratio, 1)
            ));
        }
    }
    if let Ok(m) = &d.exercises.mme {
        if let Some(top) = m.by_partner.first() {
            out.push(format!(
                "It took part in {} multinational exercises recorded in {}–{}, most often alongside {} ({}).",
                m.total,
                m.coverage.0,
                m.coverage.1,
                escape(&top.partner.name),
                top.count
            ));
        }
    }
    if let Ok(i) = &d.impact {
        for s in &i.studies {
            if let Some((v, lo, hi)) = s.post_effect {
                let verdict =
                    if lo > 0.0 || hi < 0.0 { "distinguishable from zero" } else { "not distinguishable from zero" };
                out.push(format!(
                    "After entering {} in {}, its {} moved by {} on average (95% CI {} to {}), {verdict}.",
                    escape(&s.agreement),
                    s.entry_year,
                    escape(&s.outcome),
                    fmt_f(v, 2),
                    fmt_f(lo, 2),
                    fmt_f(hi, 2)
                ));
            }
        }
    }
    let c = &d.challenges;
    let costly: Vec<&SovereigntyRow> = c.sovereignty.iter().filter(|s| s.index.is_some_and(|i| i > 0.0)).collect();
    let conflicts = match &c.conflicts {
        Ok(k) if k.is_empty() => "no commitment conflict".to_string(),
        Ok(k) => format!("{} commitment conflict{}", k.len(), if k.len() == 1 { "" } else { "s" }),
        Err(_) => "commitment conflicts unchecked (rivalries not imported)".to_string(),
    };
    out.push(format!(
        "Challenges: {conflicts}; {} agreement{} with a sovereignty cost; overlapping commitments with {} partner{}.",
        costly.len(),
        if costly.len() == 1 { "" } else { "s" },
        c.overlaps.len(),
        if c.overlaps.len() == 1 { "" } else { "s" }
    ));
    if let Ok(r) = &d.recommendations {
        let top: Vec<String> = r.rows.iter().take(3).map(|x| escape(&x.partner.name)).collect();
        if !top.is_empty() {
            out.push(format!("The partnership model's likeliest new allies as of {}: {}.", r.as_of, list_words(&top)));
        }
    }
    out
}

// ---------------------------------------------------------------- timeline

fn timeline(d: &ReportData) -> String {
    let mut h = String::new();
    let ms = &d.timeline.memberships;
    if ms.is_empty() {
        return note("The registry records no agreement for this state.");
    }
    let first = ms.iter().map(|m| m.joined_year).min().unwrap_or(d.as_of);
    // Each agreement once, under its first-listed kind, so the bars add up to the total.
    let mut kinds: Vec<String> = Vec::new();
    for m in ms {
        let k = m.kinds.first().cloned().unwrap_or_else(|| "other".into());
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let series: Vec<Series> = kinds
        .iter()
        .map(|k| Series {
            name: kind_label(k).to_owned(),
            points: (first..=d.as_of)
                .map(|y| {
                    let n = ms
                        .iter()
                        .filter(|m| m.kinds.first().map_or("other", |x| x.as_str()) == k && in_force(m, y))
                        .count();
                    (f64::from(y), Some(n as f64))
                })
                .collect(),
        })
        .collect();
    let chart = BarChart {
        title: format!("{}: agreements in force per year, by kind", d.state.name),
        y_label: "agreements in force".into(),
        series,
    };
    h.push_str(&figure(
        &chart.svg(),
        "Each agreement counts once a year while the state is a member, under its first-listed kind (a pact that is also a regional alliance counts as a pact).",
    ));
    let rows: Vec<Vec<String>> = ms
        .iter()
        .map(|m| {
            vec![
                format!(
                    r#"{} <span class="sub">{} · <code>{}</code></span>"#,
                    escape(&m.label),
                    escape(&m.name),
                    escape(&m.agreement_id)
                ),
                tags(&m.kinds, "kind"),
                date(&m.joined),
                m.left.as_deref().map(date).unwrap_or_else(|| match m.last_year {
                    Some(y) => format!("{y} <span class=\"sub\">(agreement ended)</span>"),
                    None => "—".into(),
                }),
                escape(&m.role),
                if m.obligations.is_empty() { "—".into() } else { tags(&m.obligations, "ob") },
                if m.owed.is_empty() { "—".into() } else { tags(&m.owed, "ob") },
                states(&m.partners, 8),
            ]
        })
        .collect();
    h.push_str(&table(
        "Every membership, in order of joining",
        &["Agreement", "Kinds", "Joined", "Left", "Role", "It owes", "Owed to it", "Partners"],
        &rows,
        "wide",
    ));
    h.push_str(&note("Obligations follow ATOP's types: defense, offense, neutrality, nonaggression, consultation. “It owes” is what the state holds toward fellow members; “owed to it” is what they hold toward it. Security-assistance, exercise and technology agreements often carry no ATOP obligation (—)."));
    h
}

/// A kind's name short enough for a chart legend.
fn kind_label(kind: &str) -> &str {
    match kind {
        "mutual-defense-pact" => "defense pact",
        "security-assistance" => "security assistance",
        "exercise-and-training" => "exercises, training",
        "technology-sharing" => "technology sharing",
        "regional-defense-alliance" => "regional alliance",
        "intelligence-sharing" => "intelligence sharing",
        "arms-control" => "arms control",
        "nonaggression-and-friendship" => "nonaggression, friendship",
        other => other,
    }
}

// ---------------------------------------------------------------- partners

fn tie_word(v: u8) -> &'static str {
    match v {
        3 => "defense/offense",
        2 => "neutrality/consultation",
        1 => "nonaggression",
        _ => "none",
    }
}

/// A tie value 0–3 as three pips, the number and its meaning in the tooltip.
fn meter(v: u8) -> String {
    let pips: String = (1..=3).map(|i| if i <= v { "●" } else { "○" }).collect();
    format!(r#"<span class="meter" title="{v}: {}" aria-label="{v} of 3, {}">{pips}</span>"#, tie_word(v), tie_word(v))
}

fn partners(d: &ReportData) -> String {
    let mut h = String::new();
    if d.partners.is_empty() {
        return note("No partners: the state shares no agreement in the registry.");
    }
    let count = |v: u8| d.partners.iter().filter(|p| p.tie_out.max(p.tie_in) == v).count();
    let _ = write!(
        h,
        "<p>{} partners in all: {} with defense or offense obligations, {} with neutrality or consultation at most, {} with nonaggression at most, and {} that only share membership of an agreement without obligations between them.</p>",
        d.partners.len(),
        count(3),
        count(2),
        count(1),
        count(0)
    );
    let tied: Vec<&PartnerRow> = d.partners.iter().filter(|p| p.tie_out.max(p.tie_in) > 0).collect();
    let rows: Vec<Vec<String>> = tied
        .iter()
        .map(|p| {
            vec![
                state_name(&p.partner),
                p.strongest.as_deref().map(|s| tags(&[s.to_owned()], "ob")).unwrap_or_else(|| "—".into()),
                meter(p.tie_out),
                meter(p.tie_in),
                years(p.first_year, p.last_year),
                escape(&p.agreements.join(", ")),
            ]
        })
        .collect();
    h.push_str(&table(
        "Partners by strongest tie (3 defense/offense, 2 neutrality/consultation, 1 nonaggression)",
        &["Partner", "Strongest obligation", "Tie from it", "Tie toward it", "Years", "Shared agreements"],
        &rows,
        "wide",
    ));
    let untied: Vec<StateRef> =
        d.partners.iter().filter(|p| p.tie_out.max(p.tie_in) == 0).map(|p| p.partner.clone()).collect();
    if !untied.is_empty() {
        let names: Vec<String> = untied.iter().map(|s| escape(&s.name)).collect();
        let _ = write!(
            h,
            "<p class=\"note\">Fellow members without obligations between them ({}): {}.</p>",
            untied.len(),
            names.join(", ")
        );
    }
    h
}

// ---------------------------------------------------------------- network

fn network(d: &ReportData) -> String {
    let n = match &d.network {
        Ok(n) => n,
        Err(m) => return missing(m),
    };
    if n.years.is_empty() {
        return note("The state is in no year of the alliance network.");
    }
    let mut h = format!("<p>{}</p>", escape(&n.basis));
    let pts = |f: &dyn Fn(&NetworkYear) -> f64| -> Vec<(f64, Option<f64>)> {
        n.years.iter().map(|y| (f64::from(y.year), Some(f(y)))).collect()
    };
    let degree = LineChart {
        title: format!("{}: alliance partners per year (degree)", d.state.name),
        y_label: "allied states".into(),
        series: vec![Series { name: "degree".into(), points: pts(&|y| f64::from(y.degree)) }],
        y_from_zero: true,
    };
    let centrality = LineChart {
        title: format!("{}: centrality in the alliance network", d.state.name),
        y_label: "centrality (0–1)".into(),
        series: vec![
            Series { name: "eigenvector".into(), points: pts(&|y| y.eigenvector) },
            Series { name: "betweenness".into(), points: pts(&|y| y.betweenness) },
        ],
        y_from_zero: true,
    };
    h.push_str(&figure(&degree.svg(), "Degree: the number of states it shared an alliance with that year."));
    h.push_str(&figure(
        &centrality.svg(),
        "Eigenvector centrality: tied to well-connected states. Betweenness: share of shortest paths between other states that pass through it (a broker).",
    ));
    // Notable years: first, peaks, the largest changes in degree, last.
    let mut notable: Vec<(i32, String)> = Vec::new();
    let first = &n.years[0];
    let last = &n.years[n.years.len() - 1];
    notable.push((first.year, "first year in the network".into()));
    if let Some(y) = n.years.iter().max_by_key(|y| (y.degree, -y.year)) {
        notable.push((y.year, "most alliance partners".into()));
    }
    if let Some(y) = n.years.iter().min_by_key(|y| (y.eigenvector_rank, y.year)) {
        notable.push((y.year, "highest eigenvector rank".into()));
    }
    if let Some(y) = n.years.iter().max_by(|a, b| a.betweenness.total_cmp(&b.betweenness).then(b.year.cmp(&a.year))) {
        if y.betweenness > 0.0 {
            notable.push((y.year, "highest betweenness (most brokerage)".into()));
        }
    }
    let mut changes: Vec<(i32, i64)> =
        n.years.windows(2).map(|w| (w[1].year, i64::from(w[1].degree) - i64::from(w[0].degree))).collect();
    changes.sort_by_key(|c| (-c.1.abs(), c.0));
    for (year, delta) in changes.into_iter().filter(|c| c.1 != 0).take(4) {
        notable.push((year, format!("{} {} partners", if delta > 0 { "gained" } else { "lost" }, delta.abs())));
    }
    notable.push((last.year, "last year of the data".into()));
    notable.sort_by_key(|x| x.0);
    let mut merged: Vec<(i32, Vec<String>)> = Vec::new();
    for (y, why) in notable {
        match merged.last_mut() {
            Some(m) if m.0 == y => {
                if !m.1.contains(&why) {
                    m.1.push(why)
                }
            }
            _ => merged.push((y, vec![why])),
        }
    }
    let rows: Vec<Vec<String>> = merged
        .iter()
        .filter_map(|(year, why)| {
            let y = n.years.iter().find(|x| x.year == *year)?;
            Some(vec![
                year.to_string(),
                escape(&why.join("; ")),
                y.degree.to_string(),
                format!(
                    "{} <span class=\"sub\">rank {} of {}</span>",
                    fmt_f(y.eigenvector, 3),
                    y.eigenvector_rank,
                    y.states
                ),
                fmt_f(y.betweenness, 4),
            ])
        })
        .collect();
    h.push_str(&table("Notable years", &["Year", "Why", "Degree", "Eigenvector", "Betweenness"], &rows, ""));
    h
}

// ---------------------------------------------------------------- exercises

fn exercises(d: &ReportData) -> String {
    let mut h = String::new();
    let e = &d.exercises;
    h.push_str("<h3>Multinational military exercises (MME)</h3>");
    match &e.mme {
        Err(m) => h.push_str(&missing(m)),
        Ok(m) if m.total == 0 => h.push_str(&note(&format!(
            "The MME data ({}–{}) record no multinational exercise with this state.",
            m.coverage.0, m.coverage.1
        ))),
        Ok(m) => {
            let chart = LineChart {
                title: format!("{}: multinational exercises per year", d.state.name),
                y_label: "exercises".into(),
                series: vec![Series {
                    name: "exercises".into(),
                    points: m.per_year.iter().map(|&(y, n)| (f64::from(y), Some(n as f64))).collect(),
                }],
                y_from_zero: true,
            };
            let max_domain = m.by_domain.iter().map(|x| x.1).max().unwrap_or(0) as f64;
            let domain_rows: Vec<Vec<String>> = m
                .by_domain
                .iter()
                .map(|(dom, n)| {
                    vec![
                        escape(dom),
                        bar(*n as f64, max_domain, &format!("{n} ({:.0}%)", 100.0 * *n as f64 / m.total as f64)),
                    ]
                })
                .collect();
            h.push_str(r#"<div class="pair">"#);
            h.push_str(&figure(
                &chart.svg(),
                &format!("{} exercises in {}–{} (MME v7 coverage).", m.total, m.coverage.0, m.coverage.1),
            ));
            h.push_str(r#"<div>"#);
            h.push_str(&table("Exercises by domain", &["Domain", "Exercises (share of all)"], &domain_rows, ""));
            h.push_str(&note("An exercise can span several domains; cpx is a command-post exercise."));
            h.push_str("</div></div>");
            let max = m.by_partner.first().map_or(0, |p| p.count) as f64;
            let rows: Vec<Vec<String>> = m
                .by_partner
                .iter()
                .take(25)
                .map(|p| {
                    let doms: Vec<String> =
                        p.by_domain.iter().filter(|x| x.1 > 0).map(|(k, n)| format!("{} {n}", escape(k))).collect();
                    vec![
                        state_name(&p.partner),
                        bar(p.count as f64, max, &p.count.to_string()),
                        years(p.first_year, Some(p.last_year)),
                        doms.join(" · "),
                    ]
                })
                .collect();
            let caption = if m.by_partner.len() > 25 {
                format!("Partners in joint exercises: the 25 most frequent of {}", m.by_partner.len())
            } else {
                "Partners in joint exercises".to_string()
            };
            h.push_str(&table(&caption, &["Partner", "Joint exercises", "Years", "By domain"], &rows, ""));
        }
    }
    h.push_str("<h3>Exercise series in the registry</h3>");
    if e.series.is_empty() {
        h.push_str(&note("The registry records no recurring exercise series for this state."));
    } else {
        let rows: Vec<Vec<String>> = e
            .series
            .iter()
            .map(|s| {
                vec![
                    format!(r#"{} <span class="sub"><code>{}</code></span>"#, escape(&s.name), escape(&s.id)),
                    states(&s.partners, 8),
                    tags(&s.domains, "dom"),
                    escape(&s.focus.join(", ")),
                    runs(&s.years),
                    s.agreement.as_deref().map(|a| format!("<code>{}</code>", escape(a))).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect();
        h.push_str(&table(
            "Recurring exercises and training programmes",
            &["Series", "With", "Domains", "Focus", "Years held", "Under agreement"],
            &rows,
            "wide",
        ));
    }
    h
}

// ---------------------------------------------------------------- capabilities

fn capabilities(d: &ReportData) -> String {
    let mut h = String::new();
    h.push_str("<h3>Own and allied capability</h3>");
    match &d.capabilities.cinc {
        Err(m) => h.push_str(&missing(m)),
        Ok(c) => {
            let chart = LineChart {
                title: format!("{}: own CINC and its defense partners' combined CINC", d.state.name),
                y_label: "share of world capability (CINC)".into(),
                series: vec![
                    Series { name: "own".into(), points: c.years.iter().map(|y| (f64::from(y.year), y.own)).collect() },
                    Series {
                        name: "defense partners".into(),
                        points: c.years.iter().map(|y| (f64::from(y.year), y.allied)).collect(),
                    },
                ],
                y_from_zero: true,
            };
            let _ = write!(h, "<p>{}</p>", escape(&c.basis));
            h.push_str(&figure(&chart.svg(), "CINC (COW National Material Capabilities): a state's share of the world's military personnel and spending, iron and steel, energy and population. Gaps are years without defense partners or without data."));
            let pick: Vec<&CincYear> = c
                .years
                .iter()
                .filter(|y| y.year % 10 == 0 || Some(y.year) == c.years.last().map(|l| l.year))
                .filter(|y| y.own.is_some())
                .collect();
            let rows: Vec<Vec<String>> = pick
                .iter()
                .map(|y| {
                    let ratio = match (y.own, y.allied) {
                        (Some(o), Some(a)) if o > 0.0 => format!("{}×", fmt_f(a / o, 1)),
                        _ => "—".into(),
                    };
                    vec![
                        y.year.to_string(),
                        y.own.map(|v| fmt_f(v, 4)).unwrap_or_else(|| "—".into()),
                        y.allied.map(|v| fmt_f(v, 4)).unwrap_or_else(|| "—".into()),
                        y.partners.to_string(),
                        ratio,
                    ]
                })
                .collect();
            h.push_str(&table(
                "Capability by decade",
                &["Year", "Own CINC", "Defense partners' CINC", "Defense partners", "Partners ÷ own"],
                &rows,
                "",
            ));
        }
    }
    h.push_str("<h3>Burden sharing in its main alliances</h3>");
    match &d.capabilities.burden {
        Err(m) => h.push_str(&missing(m)),
        Ok(b) if b.alliances.is_empty() => {
            h.push_str(&note("No defense alliance of this state has expenditure data for its members."))
        }
        Ok(b) => {
            let _ = write!(h, "<p>Military expenditure of the members, {}.</p>", escape(&b.measure));
            for a in &b.alliances {
                let own = a.members.iter().find(|m| m.0.name == d.state.name);
                let _ = write!(h, r#"<h4>{} <span class="sub">{}</span></h4>"#, escape(&a.label), a.year);
                if let Some((_, _, share)) = own {
                    let range = match (
                        a.own_share.iter().min_by(|x, y| x.1.total_cmp(&y.1)),
                        a.own_share.iter().max_by(|x, y| x.1.total_cmp(&y.1)),
                    ) {
                        (Some(lo), Some(hi)) if a.own_share.len() > 1 => format!(
                            " Over its membership its share ranged from {:.1}% ({}) to {:.1}% ({}).",
                            lo.1 * 100.0,
                            lo.0,
                            hi.1 * 100.0,
                            hi.0
                        ),
                        _ => String::new(),
                    };
                    let _ = write!(
                        h,
                        "<p>In {}, {} paid {:.1}% of the members' combined military spending.{range}</p>",
                        a.year,
                        escape(&d.state.name),
                        share * 100.0
                    );
                }
                let max = a.members.first().map_or(0.0, |m| m.2);
                let rows: Vec<Vec<String>> = a
                    .members
                    .iter()
                    .map(|(s, v, share)| {
                        let name = if s.name == d.state.name {
                            format!("<strong>{}</strong>", state_name(s))
                        } else {
                            state_name(s)
                        };
                        vec![name, thousands(*v), bar(*share, max, &format!("{:.1}%", share * 100.0))]
                    })
                    .collect();
                h.push_str(&table(
                    &format!("{}: military expenditure shares, {}", a.label, a.year),
                    &["Member", "Expenditure", "Share of members' total"],
                    &rows,
                    "",
                ));
                if !a.without_data.is_empty() {
                    let names: Vec<String> = a.without_data.iter().map(|s| escape(&s.name)).collect();
                    h.push_str(&note(&format!("No figure for {} in {}.", names.join(", "), a.year)));
                }
            }
        }
    }
    h
}

// ---------------------------------------------------------------- impact

fn impact(d: &ReportData) -> String {
    let i = match &d.impact {
        Ok(i) => i,
        Err(m) => return missing(m),
    };
    let mut h = String::new();
    h.push_str("<p>Each study compares the state's path after entering an agreement with states that never entered it, relative to the year before entry (relative year −1 = 0). Estimates are in log points: −0.10 is roughly a 10% lower level than otherwise expected.</p>");
    if i.studies.is_empty() {
        h.push_str(&note("No entry of this state could be studied."));
    }
    for s in &i.studies {
        let _ = write!(h, r#"<article class="study"><h3>Entry into {} ({})</h3>"#, escape(&s.agreement), s.entry_year);
        let effect = match s.post_effect {
            Some((v, lo, hi)) => format!(
                "{} (95% CI {} to {}){}",
                fmt_f(v, 3),
                fmt_f(lo, 3),
                fmt_f(hi, 3),
                if lo > 0.0 || hi < 0.0 { "" } else { ": the interval includes zero" }
            ),
            None => "not estimated".into(),
        };
        let _ = write!(
            h,
            r#"<dl class="design"><div><dt>Outcome</dt><dd>{}</dd></div><div><dt>Estimator</dt><dd>{} <span class="sub">{}</span></dd></div><div><dt>Comparison group</dt><dd>{}</dd></div><div><dt>Average effect after entry</dt><dd>{}</dd></div></dl>"#,
            escape(&s.outcome),
            escape(&s.estimator),
            escape(&s.inference),
            escape(&s.comparison),
            effect
        );
        h.push_str(&figure(
            &s.chart_svg,
            "The estimate per relative year with its 95% confidence interval; year 0 is the year of entry.",
        ));
        if !s.caveats.is_empty() {
            h.push_str(r#"<ul class="caveats">"#);
            for c in &s.caveats {
                let _ = write!(h, "<li><strong>Caveat:</strong> {}</li>", escape(c));
            }
            h.push_str("</ul>");
        }
        let rows: Vec<Vec<String>> = s
            .rows
            .iter()
            .map(|r| {
                let (v, ci) = match r.estimate {
                    Some((v, lo, hi)) => (fmt_f(v, 3), format!("{} to {}", fmt_f(lo, 3), fmt_f(hi, 3))),
                    None => ("—".into(), "—".into()),
                };
                vec![r.relative_year.to_string(), v, ci, r.treated.to_string(), r.comparison.to_string()]
            })
            .collect();
        h.push_str(&table(
            &format!("{}: estimates per relative year ({} comparison states in all)", s.agreement, s.comparison_states),
            &["Relative year", "Estimate", "95% CI", "Treated", "Comparison"],
            &rows,
            "num",
        ));
        h.push_str("</article>");
    }
    for skip in &i.skipped {
        h.push_str(&note(&escape(skip)));
    }
    h
}

// ---------------------------------------------------------------- challenges

fn challenges(d: &ReportData) -> String {
    let c = &d.challenges;
    let mut h = format!("<p>{}</p>", escape(&c.basis));
    h.push_str("<h3>Commitment conflicts</h3><p class=\"note\">Obligations to defend both sides of a strategic rivalry, held by this state or by a partner pledged to both it and its rival.</p>");
    match &c.conflicts {
        Err(m) => h.push_str(&missing(m)),
        Ok(k) if k.is_empty() => h.push_str("<p>None found.</p>"),
        Ok(k) => {
            let rows: Vec<Vec<String>> = k
                .iter()
                .map(|x| {
                    vec![
                        state_name(&x.holder),
                        format!("{} ↔ {}", state(&x.a), state(&x.b)),
                        escape(&x.rivalry),
                        escape(&x.years),
                        escape(&x.toward_a.join(", ")),
                        escape(&x.toward_b.join(", ")),
                    ]
                })
                .collect();
            h.push_str(&table(
                "Defense owed to both rivals",
                &["Holder", "Rivals", "Rivalry", "Years", "Toward the first", "Toward the second"],
                &rows,
                "wide",
            ));
        }
    }
    h.push_str("<h3>Sovereignty costs</h3><p class=\"note\">Per agreement, 0 (none) to 1 (high): foreign bases on its soil, integrated command, subordination of its forces, dependence on aid; n/a where the provisions are not coded.</p>");
    let cell = |v: Option<f64>| match v {
        Some(v) if v > 0.0 => format!(r#"<strong class="cost">{}</strong>"#, fmt_f(v, 2)),
        Some(v) => format!(r#"<span class="na">{}</span>"#, fmt_f(v, 2)),
        None => r#"<span class="na">n/a</span>"#.into(),
    };
    let mut sov: Vec<&SovereigntyRow> = c.sovereignty.iter().collect();
    sov.sort_by(|a, b| b.index.unwrap_or(-1.0).total_cmp(&a.index.unwrap_or(-1.0)));
    let rows: Vec<Vec<String>> = sov
        .iter()
        .map(|s| {
            vec![
                escape(&s.agreement),
                cell(s.index),
                cell(s.components[0]),
                cell(s.components[1]),
                cell(s.components[2]),
                cell(s.components[3]),
            ]
        })
        .collect();
    h.push_str(&table(
        "Sovereignty-cost index and its components, highest first",
        &["Agreement", "Index", "Foreign bases", "Integrated command", "Subordination", "Aid dependence"],
        &rows,
        "num",
    ));
    let costly: Vec<&&SovereigntyRow> = sov.iter().filter(|s| !s.basis.is_empty()).collect();
    if !costly.is_empty() {
        h.push_str(r#"<p>Why the costs are not zero:</p><ul class="basis">"#);
        for s in costly {
            let basis: Vec<String> = s.basis.iter().map(|(k, why)| format!("{}: {}", escape(k), escape(why))).collect();
            let _ = write!(h, "<li><strong>{}</strong> — {}</li>", escape(&s.agreement), basis.join("; "));
        }
        h.push_str("</ul>");
    }
    h.push_str("<h3>Overlapping commitments</h3><p class=\"note\">Several agreements with the same partner in force at once: reinforcing, or redundant.</p>");
    if c.overlaps.is_empty() {
        h.push_str("<p>None found.</p>");
    } else {
        let rows: Vec<Vec<String>> = c
            .overlaps
            .iter()
            .map(|o| {
                vec![
                    state_name(&o.partner),
                    o.agreements.len().to_string(),
                    escape(&o.agreements.join(", ")),
                    escape(&o.years),
                ]
            })
            .collect();
        h.push_str(&table(
            "Partners with several agreements at once",
            &["Partner", "Agreements", "Which", "Years"],
            &rows,
            "wide",
        ));
    }
    h
}

// ---------------------------------------------------------------- recommendations

fn recommendations(d: &ReportData) -> String {
    let r = match &d.recommendations {
        Ok(r) => r,
        Err(m) => return missing(m),
    };
    let mut h = format!(
        "<p>States not allied with {} as of {}, ranked by the modelled probability that they form an alliance within {} years. The model is a logistic regression fitted on ATOP history (see docs/RECOMMEND.md); the reasons are the features that move each score most.</p>",
        escape(&d.state.name),
        r.as_of,
        r.horizon
    );
    if r.rows.is_empty() {
        return h + &note("No candidate partner.");
    }
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let reasons: Vec<String> = x.reasons.iter().map(|s| format!("<li>{}</li>", escape(s))).collect();
            vec![
                (i + 1).to_string(),
                state_name(&x.partner),
                bar(x.score, 1.0, &format!("{:.0}%", x.score * 100.0)),
                format!(r#"<ul class="reasons">{}</ul>"#, reasons.concat()),
            ]
        })
        .collect();
    h.push_str(&table("Likeliest new partners", &["Rank", "Partner", "Probability", "Why"], &rows, "wide"));
    h
}

// ---------------------------------------------------------------- sources

fn link(s: &SourceRow) -> String {
    let title = escape(&s.title);
    let linked = match &s.url {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
            format!(r#"<a href="{}" rel="noreferrer">{title}</a>"#, escape(u))
        }
        _ => title,
    };
    let mut out = format!("{linked}, {}", escape(&s.publisher));
    if let Some(r) = &s.reference {
        let _ = write!(out, ", {}", escape(r));
    }
    if let Some(c) = &s.consulted {
        let _ = write!(out, " (consulted {})", escape(c));
    }
    out
}

fn cited(list: &[CitedSources]) -> String {
    let mut h = String::from(r#"<ol class="cited">"#);
    for c in list {
        let items: Vec<String> = c.sources.iter().map(|s| format!("<li>{}</li>", link(s))).collect();
        let _ = write!(
            h,
            r#"<li><strong>{}</strong> <code>{}</code><ul>{}</ul></li>"#,
            escape(&c.label),
            escape(&c.id),
            if items.is_empty() { "<li>no source recorded</li>".into() } else { items.concat() }
        );
    }
    h.push_str("</ol>");
    h
}

fn sources(d: &ReportData) -> String {
    let s = &d.sources;
    let mut h = String::new();
    h.push_str("<h3>Research datasets</h3>");
    if s.datasets.is_empty() {
        h.push_str(&note("No research dataset is imported: this report rests on the curated registry alone."));
    } else {
        let rows: Vec<Vec<String>> = s
            .datasets
            .iter()
            .map(|x| {
                vec![
                    escape(&x.dataset),
                    escape(&x.version),
                    format!("<code>{}</code>", escape(&x.file)),
                    x.rows.to_string(),
                    format!(r#"<code class="hash">{}</code>"#, escape(&x.sha256)),
                    x.imported_at.as_deref().map(escape).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect();
        h.push_str(&table(
            "Imported datasets, with the SHA-256 of each file",
            &["Dataset", "Version", "File", "Rows", "SHA-256", "Imported (UTC)"],
            &rows,
            "wide",
        ));
    }
    if !s.not_imported.is_empty() {
        let items: Vec<String> = s
            .not_imported
            .iter()
            .map(|(ds, cmd)| format!("<li>{}: <code>{}</code></li>", escape(ds), escape(cmd)))
            .collect();
        let _ = write!(
            h,
            r#"<div class="missing" role="note"><p><strong>Not imported</strong>, so the parts that need them say so above:</p><ul>{}</ul></div>"#,
            items.concat()
        );
    }
    let _ = write!(h, "<h3>Agreements ({})</h3>", s.agreements.len());
    h.push_str(&cited(&s.agreements));
    if !s.exercises.is_empty() {
        let _ = write!(h, "<h3>Exercise series ({})</h3>", s.exercises.len());
        h.push_str(&cited(&s.exercises));
    }
    h
}

#[cfg(test)]
mod tests;
