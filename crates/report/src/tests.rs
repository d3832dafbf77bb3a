use super::*;

fn s(name: &str, abb: &str) -> StateRef {
    StateRef { name: name.into(), abb: abb.into() }
}

fn missing(what: &str, cmd: &str) -> Missing {
    Missing { what: what.into(), import: vec![cmd.into()] }
}

/// A small report: one state, two memberships, everything optional missing.
fn data() -> ReportData {
    ReportData {
        state: StateInfo {
            ccode: 770,
            abb: "PAK".into(),
            name: "Pakistan".into(),
            iso3: Some("PAK".into()),
            spells: vec![("1947-08-14".into(), None)],
        },
        as_of: 2025,
        generator: "pactbase test".into(),
        timeline: Timeline {
            memberships: vec![
                MembershipRow {
                    agreement_id: "seato".into(),
                    label: "SEATO".into(),
                    name: "Southeast Asia Collective Defense Treaty".into(),
                    kinds: vec!["mutual-defense-pact".into()],
                    joined: "1954-09-08".into(),
                    joined_year: 1954,
                    left: Some("1972-11-08".into()),
                    last_year: Some(1972),
                    role: "founding".into(),
                    obligations: vec!["defense".into()],
                    owed: vec!["defense".into()],
                    partners: vec![s("United States", "USA")],
                },
                MembershipRow {
                    agreement_id: "pact<script>".into(),
                    label: "A <b>pact</b> & co".into(),
                    name: "Rock 'n' \"roll\"".into(),
                    kinds: vec!["arms-control".into()],
                    joined: "2000".into(),
                    joined_year: 2000,
                    left: None,
                    last_year: None,
                    role: "member".into(),
                    obligations: vec![],
                    owed: vec![],
                    partners: vec![s("India", "IND")],
                },
            ],
        },
        partners: vec![PartnerRow {
            partner: s("United States", "USA"),
            strongest: Some("defense".into()),
            tie_out: 3,
            tie_in: 3,
            first_year: 1954,
            last_year: Some(1972),
            agreements: vec!["SEATO".into()],
        }],
        network: Err(missing("the ATOP alliance data", "pactbase import atop DIR")),
        exercises: Exercises { series: vec![], mme: Err(missing("MME", "pactbase import mme FILE")) },
        capabilities: Capabilities {
            cinc: Err(missing("NMC", "pactbase import nmc FILE")),
            burden: Err(missing("NMC", "pactbase import nmc FILE")),
        },
        impact: Err(missing("NMC", "pactbase import nmc FILE")),
        challenges: Challenges {
            basis: "ties from the registry".into(),
            conflicts: Err(missing("the rivalries", "pactbase import rivalries FILE")),
            sovereignty: vec![],
            overlaps: vec![],
        },
        recommendations: Err(missing("NMC", "pactbase import nmc FILE")),
        sources: Sources {
            agreements: vec![CitedSources {
                id: "seato".into(),
                label: "SEATO".into(),
                sources: vec![
                    SourceRow {
                        title: "Treaty text".into(),
                        publisher: "Avalon".into(),
                        url: Some("https://example.org/seato?a=1&b=2".into()),
                        reference: None,
                        consulted: Some("2025-01".into()),
                    },
                    SourceRow {
                        title: "Not a link".into(),
                        publisher: "x".into(),
                        url: Some("javascript:alert(1)".into()),
                        reference: None,
                        consulted: None,
                    },
                ],
            }],
            exercises: vec![],
            datasets: vec![],
            not_imported: vec![("atop".into(), "pactbase import atop DIR".into())],
        },
    }
}

#[test]
fn every_section_is_present_with_its_id_and_heading() {
    let html = render(&data());
    for (id, title, _) in SECTIONS {
        assert!(html.contains(&format!(r#"<section id="{id}" aria-labelledby="{id}-title">"#)), "{id}");
        assert!(html.contains(&format!(r##"<a href="#{id}">{title}</a>"##)), "{id} in the contents");
    }
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("<main id=\"main\">") && html.contains("<nav aria-label="));
}

#[test]
fn text_is_escaped_and_only_citations_link_out() {
    let html = render(&data());
    assert!(!html.contains("<b>pact</b>") && html.contains("A &lt;b&gt;pact&lt;/b&gt; &amp; co"));
    assert!(!html.contains("pact<script>") && html.contains("Rock &#39;n&#39; &quot;roll&quot;"));
    assert!(html.contains(r#"<a href="https://example.org/seato?a=1&amp;b=2" rel="noreferrer">Treaty text</a>"#));
    assert!(!html.contains("javascript:"), "only http(s) addresses become links");
    for attr in ["src=\"http", "src='http", "href=\"http"] {
        let outside: usize = html.split("<section id=\"sources\"").next().unwrap().matches(attr).count();
        assert_eq!(outside, 0, "{attr} before the sources section");
    }
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("@import"));
}

#[test]
fn missing_data_names_the_import_command() {
    let html = render(&data());
    assert!(html.contains("<code>pactbase import atop DIR</code>"));
    assert!(html.contains("<code>pactbase import rivalries FILE</code>"));
    assert!(html.matches("class=\"missing\"").count() >= 6);
}

#[test]
fn the_summary_speaks_from_the_data() {
    let html = render(&data());
    assert!(html.contains("Pakistan has joined 2 agreements in the registry since 1954 (SEATO). 1 is in force in 2025"));
    assert!(html.contains("commitment conflicts unchecked"));
}

#[test]
fn year_runs_compact() {
    assert_eq!(runs(&[2007, 2009, 2011, 2012, 2013]), "2007, 2009, 2011–2013");
    assert_eq!(runs(&[]), "");
}
