use pactbase_analysis::assessment::{
    overview, partners, timeline, Capabilities, CountryAssessment, CountryCore, Exercises, Missing, Sources, StateInfo,
    View,
};
use pactbase_analysis::challenges::{Challenges, Found};
use pactbase_model::{
    Agreement, AgreementKind, Ccode, Membership, Obligation, ObligationType, PartialDate, Parties, PartyCoverage,
    Provisions, Role, Source, State, StateIndex, Status, Target,
};

use super::*;

fn state(ccode: Ccode, abb: &str, name: &str) -> State {
    State { ccode, abb: abb.into(), iso3: None, name: name.into(), aliases: vec![], spells: vec![] }
}

fn member(ccode: Ccode, joined: i32, left: Option<i32>) -> Membership {
    Membership {
        ccode,
        signed: None,
        joined: PartialDate::year(joined),
        left: left.map(PartialDate::year),
        role: Role::Founding,
        source: "text".into(),
        note: None,
        suspensions: vec![],
        before_signature: None,
    }
}

fn agreement(
    id: &str,
    name: &str,
    kinds: Vec<AgreementKind>,
    members: Vec<Membership>,
    kind: ObligationType,
) -> Agreement {
    Agreement {
        id: id.into(),
        name: name.into(),
        short_names: vec![],
        kinds,
        signed: PartialDate::year(1954),
        in_force: None,
        ended: None,
        status: Status::InForce,
        region: "Asia".into(),
        depositary: None,
        atopid: None,
        summary: String::new(),
        text: None,
        provisions: Provisions::default(),
        sources: vec![
            Source {
                key: "text".into(),
                title: "Treaty text".into(),
                publisher: "Avalon".into(),
                url: Some("https://example.org/seato?a=1&b=2".into()),
                reference: None,
                consulted: None,
            },
            Source {
                key: "bad".into(),
                title: "Not a link".into(),
                publisher: "x".into(),
                url: Some("javascript:alert(1)".into()),
                reference: None,
                consulted: None,
            },
        ],
        party_coverage: PartyCoverage::Complete,
        members,
        signatories: vec![],
        non_state_parties: vec![],
        obligations: vec![Obligation {
            kind,
            from: Parties::All,
            toward: Target::All,
            conditional: false,
            article: None,
            note: None,
            source: "text".into(),
        }],
        reservations: vec![],
        invocations: vec![],
        atop_exceptions: vec![],
    }
}

fn missing(what: &str, cmd: &str) -> Missing {
    Missing { datasets: vec!["x"], what: what.into(), import: vec![cmd.into()] }
}

fn nothing<T>() -> Found<T> {
    Found { items: vec![], examined: "the test's agreements".into() }
}

/// A small assessment of Pakistan in 2025: SEATO (left 1972) and a pact with an awkward
/// name still in force; every research part missing.
fn assessment() -> (CountryAssessment, StateIndex) {
    let index = StateIndex::new(vec![
        state(2, "USA", "United States"),
        state(770, "PAK", "Pakistan"),
        state(750, "IND", "India"),
    ]);
    let agreements = vec![
        agreement(
            "seato",
            "SEATO",
            vec![AgreementKind::MutualDefensePact],
            vec![member(2, 1954, None), member(770, 1954, Some(1972)), member(750, 1954, None)],
            ObligationType::Defense,
        ),
        agreement(
            "pact<script>",
            "A <b>pact</b> & co 'n' \"roll\"",
            vec![AgreementKind::NonaggressionAndFriendship],
            vec![member(770, 2000, None), member(750, 2000, None)],
            ObligationType::Nonaggression,
        ),
    ];
    let view = View::Year(2025);
    let timeline = timeline::timeline(770, view, &agreements, &|_| None);
    let data = partners::PartnerData {
        agreements: &agreements,
        series: &[],
        mme: None,
        rivalries: None,
        arms: None,
        include_all: false,
        without: vec![missing("the strategic rivalries", "pactbase import rivalries FILE")],
    };
    let partners = partners::partners(770, view, &timeline, &data);
    let core = CountryCore {
        state: StateInfo {
            ccode: 770,
            abb: "PAK".into(),
            name: "Pakistan".into(),
            iso3: Some("PAK".into()),
            spells: vec![],
        },
        view,
        reference_year: 2025,
        overview: overview::overview(&timeline, &partners),
        timeline,
        partners,
        exercises: Exercises { series: vec![], mme: Err(missing("MME", "pactbase import mme FILE")) },
    };
    let a = CountryAssessment {
        core,
        network: Err(missing("the ATOP alliance data", "pactbase import atop DIR")),
        capabilities: Capabilities {
            cinc: Err(missing("NMC", "pactbase import nmc FILE")),
            burden: Err(missing("NMC", "pactbase import nmc FILE")),
        },
        arms: Err(missing("SIPRI's arms transfers", "pactbase import sipri-arms DIR")),
        impact: Err(missing("NMC", "pactbase import nmc FILE")),
        challenges: Challenges {
            ccode: 770,
            basis: "Ties: the registry's.".into(),
            invocations: nothing(),
            reservations: nothing(),
            episodes: nothing(),
            conflicts: Err(missing("the strategic rivalries", "pactbase import rivalries FILE")),
            rival_pledges: Err(missing("the strategic rivalries", "pactbase import rivalries FILE")),
            sovereignty: nothing(),
            overlaps: nothing(),
            interoperability: nothing(),
        },
        recommendations: Err(missing("NMC", "pactbase import nmc FILE")),
        sources: Sources {
            agreements: agreements
                .iter()
                .map(|a| pactbase_analysis::assessment::CitedSources {
                    id: a.id.clone(),
                    label: a.label().to_owned(),
                    sources: a.sources.clone(),
                })
                .collect(),
            exercises: vec![],
            datasets: vec![],
            not_imported: vec![("atop".into(), "pactbase import atop DIR".into())],
        },
    };
    (a, index)
}

#[test]
fn every_section_is_present_with_its_id_and_heading() {
    let (a, index) = assessment();
    let html = render(&a, &index, "pactbase test");
    for s in &SECTIONS {
        assert!(html.contains(&format!(r#"<section id="{}" aria-labelledby="{}-title">"#, s.id, s.id)), "{}", s.id);
        assert!(html.contains(&format!(r##"<a href="#{}">{}</a>"##, s.id, s.title)), "{} in the contents", s.id);
    }
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("<main id=\"main\">") && html.contains("<nav class=\"toc\" aria-label="));
    assert!(html.contains("Reference year 2025"), "the reference year is stated at the top");
}

#[test]
fn text_is_escaped_and_only_citations_link_out() {
    let (a, index) = assessment();
    let html = render(&a, &index, "pactbase test");
    assert!(!html.contains("<b>pact</b>") && html.contains("A &lt;b&gt;pact&lt;/b&gt; &amp; co"));
    assert!(!html.contains("pact<script>") && html.contains("&quot;roll&quot;"));
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
    let (a, index) = assessment();
    let html = render(&a, &index, "pactbase test");
    assert!(html.contains("<code>pactbase import atop DIR</code>"));
    assert!(html.contains("<code>pactbase import rivalries FILE</code>"));
    assert!(html.matches("class=\"missing\"").count() >= 6);
}

#[test]
fn the_summary_speaks_in_the_present_of_the_reference_year_only() {
    let (a, index) = assessment();
    let html = render(&a, &index, "pactbase test");
    assert!(
        html.contains(
            "Pakistan has joined 2 agreements in the registry since 1954 (SEATO); at the end of 2025, 1 is in force."
        ),
        "{html}"
    );
    assert!(html.contains("No defense obligation binds it at the end of 2025."), "SEATO ended for it in 1972");
    assert!(
        html.contains("Earlier, defense obligations bound it to India and United States through SEATO (1954–1972)."),
        "{html}"
    );
}

#[test]
fn the_arms_section_names_each_periods_suppliers_with_the_agreements_in_force() {
    use pactbase_analysis::arms::{ArmsProfile, MainPartner, PartnerShare, Period, SharedAgreement};
    use pactbase_analysis::assessment::Arms;
    use pactbase_model::arms::PartyKind;

    let (mut a, index) = assessment();
    let share = |name: &str, tiv: f64, share: f64, agreements: Vec<SharedAgreement>| PartnerShare {
        names: vec![name.into()],
        ccode: None,
        kind: PartyKind::State,
        tiv,
        share: Some(share),
        agreements,
    };
    let seato = SharedAgreement {
        id: "seato".into(),
        label: "SEATO <1954>".into(),
        kinds: vec![],
        obligations: vec![],
        from: 1955,
        until: Some(1972),
    };
    let profile = ArmsProfile {
        ccode: 770,
        coverage: (1950, 1964),
        tiv: 1500.0,
        main_suppliers: vec![MainPartner { name: "United States".into(), ccode: Some(2), tiv: 1200.0, years: vec![] }],
        periods: vec![
            Period { first_year: 1950, last_year: 1954, tiv: 0.0, hhi: None, partners: vec![] },
            Period {
                first_year: 1955,
                last_year: 1959,
                tiv: 1500.0,
                hhi: Some(0.68),
                partners: vec![
                    share("United States", 1200.0, 0.8, vec![seato]),
                    share("United Kingdom", 300.0, 0.2, vec![]),
                ],
            },
        ],
        event_study: None,
        event_study_note: Some("No event study of arms flows: no partner entered within the years.".into()),
    };
    a.arms = Ok(Arms { headline: profile.event_study_headline(), profile, chart_svg: "<svg></svg>".into() });
    let html = render(&a, &index, "pactbase test");
    let section = html.split("<section id=\"arms\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(section.contains("In all: 1,500."), "{section}");
    // The period without a delivery has no row; the other names its suppliers, escaped.
    assert!(!section.contains(">1950–1954<"));
    assert!(
        section
            .contains("<strong>United States</strong> 80% (SEATO &lt;1954&gt;); <strong>United Kingdom</strong> 20%"),
        "{section}"
    );
    assert!(section.contains("0.68") && section.contains("no partner entered within the years"));
}
