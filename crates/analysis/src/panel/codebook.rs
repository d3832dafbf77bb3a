//! What each panel column means: its unit, source dataset, definition and rule for
//! missing values. One table serves both the Parquet schema's field metadata and
//! `pactbase codebook`, so the two cannot disagree (docs/PANELS.md says the same in prose).

use std::collections::HashMap;
use std::sync::LazyLock;

use arrow_schema::{DataType, Field};
use pactbase_model::coverage;
use pactbase_model::research::Dataset;
use pactbase_model::YearSpan;

use super::With;

/// A source dataset as the codebook cites it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// The dataset (`store.has_dataset`, `pactbase data fetch`).
    pub dataset: Dataset,
    pub title: &'static str,
    /// The years the data describe, in the releases pactbase reads (ATOP 5.1, NMC 7.0, …).
    pub coverage: (i32, i32),
    /// Carried on past its last year for the states still there, as the state system is
    /// (peacesciencer's most-recent-year rule): no gap after `coverage`.
    pub continued: bool,
}

const fn source(dataset: Dataset, title: &'static str, coverage: (i32, i32)) -> Source {
    Source { dataset, title, coverage, continued: false }
}

const COW_STATES: Source =
    Source { continued: true, ..source(Dataset::CowStates, "COW State System Membership", (1816, 2016)) };
const ATOP: Source =
    source(Dataset::Atop, "Alliance Treaty Obligations and Provisions", (coverage::ATOP.first, coverage::ATOP.last));
const NMC: Source = source(Dataset::Nmc, "COW National Material Capabilities", (1816, 2022));
const MME: Source = source(Dataset::Mme, "Multinational Military Exercises", (coverage::MME.first, coverage::MME.last));
const RIVALRIES: Source = source(Dataset::Rivalries, "Thompson–Sakuwa–Suhas strategic rivalries", (1494, 2020));
const SIPRI: Source = source(Dataset::SipriMilex, "SIPRI Military Expenditure Database", (1949, 2018));
const CONTIGUITY: Source = source(Dataset::Contiguity, "COW Direct Contiguity", (1816, 2016));
const CAPITALS: Source = source(Dataset::Capitals, "Capitals (peacesciencer's compilation)", (1816, 2024));
const MINDIST: Source = source(Dataset::Mindist, "CShapes 2.0 minimum distances", (1886, 2019));
const MAJORS: Source = Source { continued: true, ..source(Dataset::Majors, "COW major powers", (1816, 2016)) };
const GML: Source = source(Dataset::GmlMids, "Gibler–Miller–Little MIDs", (1816, 2010));
const IGOS: Source = source(Dataset::Igos, "COW Intergovernmental Organizations (dyadic)", (1816, 2014));
const ARMS: Source = source(Dataset::SipriArms, "SIPRI Arms Transfers Database (TIV)", (1950, 2021));

/// What one column means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct About {
    pub unit: &'static str,
    pub source: Source,
    pub definition: String,
    pub missing: &'static str,
}

fn about(unit: &'static str, source: Source, definition: impl Into<String>, missing: &'static str) -> About {
    About { unit, source, definition: definition.into(), missing }
}

const KEY: &str = "never missing";
const NOT_COVERED: &str = "empty (null) in years the dataset does not cover";
static ATOP_MISSING: LazyLock<String> = LazyLock::new(|| {
    format!(
        "0 when not allied through ATOP's last year ({}; {} with --source curated), empty after",
        coverage::ATOP.last,
        coverage::REGISTRY_CURRENT_YEAR
    )
});
const NMC_MISSING: &str = "empty where NMC has no value for the state-year";
static MME_MISSING: LazyLock<String> = LazyLock::new(|| format!("0 when no exercise; empty outside {}", coverage::MME));
const ARMS_MISSING: &str =
    "0 when nothing was delivered (a delivery under 0.5m TIV is also 0, as SIPRI writes it: the delivery columns tell the two apart); empty outside 1950–2021";
const DELIVERY_MISSING: &str = "0 when SIPRI records no delivery; empty outside 1950–2021";

/// A dyadic column's base name and whose it is (`milex1`: `milex`, ccode1's).
fn side(name: &str, dyadic: bool) -> (&str, &'static str) {
    match name.strip_suffix('1').or_else(|| name.strip_suffix('2')) {
        Some(base) if dyadic => (base, if name.ends_with('1') { "ccode1's " } else { "ccode2's " }),
        _ => (name, ""),
    }
}

/// The column's meaning; `dyadic` for dyad-year panels (suffix 1 is ccode1's, 2 is ccode2's).
pub fn about_column(name: &str, dyadic: bool) -> Option<About> {
    let obligation = |o: &str| {
        format!(
            "1 if {} holds a {o} obligation toward {} under an alliance in effect during the year",
            if dyadic { "ccode1" } else { "the state" },
            if dyadic { "ccode2 (undirected: either toward the other)" } else { "any ally" }
        )
    };
    Some(match name {
        "ccode1" | "ccode2" | "ccode" => about("COW code", COW_STATES, "Correlates of War state code", KEY),
        "year" => about("year", COW_STATES, "calendar year", KEY),
        "atop_defense" => about("0/1", ATOP, obligation("defense"), &ATOP_MISSING),
        "atop_offense" => about("0/1", ATOP, obligation("offense"), &ATOP_MISSING),
        "atop_neutral" => about("0/1", ATOP, obligation("neutrality"), &ATOP_MISSING),
        "atop_nonagg" => about("0/1", ATOP, obligation("nonaggression"), &ATOP_MISSING),
        "atop_consul" => about("0/1", ATOP, obligation("consultation"), &ATOP_MISSING),
        "atop_shareob" => about("0/1", ATOP, "1 for allied dyads with no obligation toward each other", "empty unless allied without obligations"),
        "atop_number" => about("count", ATOP, "distinct alliances in effect shared that year", &ATOP_MISSING),
        "atop_bilatno" => about("count", ATOP, "bilateral alliances among them (no phase with more than two members)", &ATOP_MISSING),
        "atop_multino" => about("count", ATOP, "multilateral alliances among them", &ATOP_MISSING),
        "atop_transyr" => about("0/1", ATOP, "1 when a shared commitment starts or ends that year", &ATOP_MISSING),
        "atop_asymm" => about("0/1", ATOP, "1 when an alliance ATOP codes as asymmetric touches the dyad-year (obligations corrected by hand in ATOP's own dyad file)", &ATOP_MISSING),
        "atop_ally" => about("0/1", ATOP, "1 when the state is a member of an alliance in effect that year", &ATOP_MISSING),
        "atop_ids" => about("ATOP ids", ATOP, "the alliances in effect (atopid; registry ids with --source curated): a list in Parquet and JSON, `;`-separated in CSV", "empty when none or after ATOP's last year"),
        "atop_alliance" => about("0/1", ATOP, "1 when the dyad is allied with at least one obligation (any of defense, offense, neutrality, nonaggression, consultation) that year", &ATOP_MISSING),
        "atop_onset" => about("0/1", ATOP, "1 when the dyad shares an ATOP id it did not share the year before (an alliance formed, or a state joined one)", &ATOP_MISSING),
        "atop_defense_onset" => about("0/1", ATOP, "1 when an ATOP id new to the dyad that year carries a defense obligation of ccode1 toward ccode2 (undirected: either way)", &ATOP_MISSING),
        "atop_onset_spell" => about("years", ATOP, "years since the dyad's last alliance onset, counted as gmlmidspell counts peace years, from 1816", &ATOP_MISSING),
        "mme_exercises" => about("count", MME, "multinational military exercises begun that year with both (state-year: the state) taking part", &MME_MISSING),
        "tss_rivalry" => about("0/1", RIVALRIES, "1 when the two are strategic rivals that year (codes mapped through COW's successions: docs/IMPORT.md)", "0 when not rivals"),
        "tss_rivalries" => about("count", RIVALRIES, "strategic rivalries the state is engaged in that year", "0 when none"),
        "conttype" => about("type 0–5", CONTIGUITY, "closest COW direct contiguity that year: 1 land or river border; 2–5 separated by at most 12, 24, 150, 400 miles of water; 0 none", NOT_COVERED),
        "capdist" => about("km", CAPITALS, "great-circle distance between the capitals each state has on the first day of the year it has one (Vincenty formula on a sphere of radius 6,378,137 m, as peacesciencer's add_capital_distance)", "empty when either capital is unknown"),
        "mindist" => about("km", MINDIST, "minimum distance between the two states' borders (0 when contiguous)", "empty where CShapes has no value (before 1886, states it does not map)"),
        "dispnum" => about("GML dispute number", GML, "the dispute the dyad-year stands for after whittling (docs/PANELS.md)", "empty when no dispute or outside 1816–2010"),
        "gmlmidonset" => about("0/1", GML, if dyadic { "1 when a militarized dispute between the two begins that year (after whittling)" } else { "1 when the state enters a militarized dispute that year" }, NOT_COVERED),
        "gmlmidongoing" => about("0/1", GML, if dyadic { "1 when a militarized dispute between the two is under way that year" } else { "1 when the state takes part in a militarized dispute that year" }, NOT_COVERED),
        "gmlmidspell" => about("years", GML, "peace years: years since the last year with an ongoing dispute, counted as peacesciencer's add_peace_years() over the unit's years from 1816", NOT_COVERED),
        "dyadigos" => about("count", IGOS, "intergovernmental organizations both states are full members of", "empty where COW has no count (gaps in 1990; after 2014)"),
        "tiv12" => about("million TIV", ARMS, "major conventional arms delivered from ccode1 to ccode2 that year, in SIPRI's trend-indicator values", ARMS_MISSING),
        "tiv21" => about("million TIV", ARMS, "major conventional arms delivered from ccode2 to ccode1 that year, in SIPRI's trend-indicator values", ARMS_MISSING),
        "tiv_imports" => about("million TIV", ARMS, "major conventional arms the state received that year from every supplier, states or not (rebel groups, organisations, unidentified)", ARMS_MISSING),
        "tiv_exports" => about("million TIV", ARMS, "major conventional arms the state delivered that year to every recipient, states or not", ARMS_MISSING),
        "delivery12" | "delivery21" => about("0/1", ARMS, format!("1 when SIPRI records a delivery of major conventional arms from {} that year, those under 0.5m TIV included (which {} shows as 0)", if name == "delivery12" { "ccode1 to ccode2" } else { "ccode2 to ccode1" }, name.replace("delivery", "tiv")), DELIVERY_MISSING),
        "imports_any" => about("0/1", ARMS, "1 when SIPRI records a delivery to the state that year from any supplier, those under 0.5m TIV included (which tiv_imports shows as 0)", DELIVERY_MISSING),
        "exports_any" => about("0/1", ARMS, "1 when SIPRI records a delivery by the state that year to any recipient, those under 0.5m TIV included (which tiv_exports shows as 0)", DELIVERY_MISSING),
        "cowmaj" => about("0/1", MAJORS, "1 when the state is a COW major power on any day of the year", KEY),
        flag if flag.starts_with("tss_") => {
            about("0/1", RIVALRIES, format!("1 when their rivalry is {}", &flag[4..]), "0 when not rivals")
        }
        other => {
            let (base, whose) = side(other, dyadic);
            match base {
                "cinc" | "milex" | "milper" | "irst" | "pec" | "tpop" | "upop" => {
                    let (unit, what) = match base {
                        "cinc" => ("share 0–1", "Composite Index of National Capability"),
                        "milex" => ("thousands of current US$", "military expenditure"),
                        "milper" => ("thousands", "military personnel"),
                        "irst" => ("thousands of tons", "iron and steel production"),
                        "pec" => ("thousands of coal-ton equivalents", "primary energy consumption"),
                        "tpop" => ("thousands", "total population"),
                        _ => ("thousands", "urban population"),
                    };
                    about(unit, NMC, format!("{whose}{what}"), NMC_MISSING)
                }
                "sipri_milex" => about("millions of constant 2017 US$", SIPRI, format!("{whose}military expenditure"), "empty where SIPRI has no value"),
                "cowmaj" => about("0/1", MAJORS, format!("1 when {whose}state is a COW major power on any day of the year").replace("ccode1's state", "ccode1").replace("ccode2's state", "ccode2"), KEY),
                _ => {
                    let domain = other.strip_prefix("mme_")?;
                    about("count", MME, format!("of those exercises, the ones with a {domain} component"), &MME_MISSING)
                }
            }
        }
    })
}

/// `fields` with each one's meaning as Parquet/Arrow field metadata (`description`,
/// `unit`, `source`, `coverage`, `missing`).
pub fn described(fields: Vec<Field>, dyadic: bool) -> Vec<Field> {
    fields
        .into_iter()
        .map(|f| match about_column(f.name(), dyadic) {
            Some(a) => {
                let metadata = HashMap::from([
                    ("description".to_owned(), a.definition),
                    ("unit".to_owned(), a.unit.to_owned()),
                    ("source".to_owned(), format!("{} ({})", a.source.title, a.source.dataset)),
                    ("coverage".to_owned(), YearSpan::closed(a.source.coverage.0, a.source.coverage.1).to_string()),
                    ("missing".to_owned(), a.missing.to_owned()),
                ]);
                f.with_metadata(metadata)
            }
            None => f,
        })
        .collect()
}

/// The datasets `with` draws on, each once, in column order.
pub fn sources(with: With) -> Vec<Source> {
    let named = [
        (with.atop, ATOP),
        (with.nmc, NMC),
        (with.mme, MME),
        (with.rivalry, RIVALRIES),
        (with.sipri, SIPRI),
        (with.contiguity, CONTIGUITY),
        (with.capdist, CAPITALS),
        (with.mindist, MINDIST),
        (with.majors, MAJORS),
        (with.mids || with.peaceyears, GML),
        (with.igos, IGOS),
        (with.arms, ARMS),
    ];
    let mut out: Vec<Source> = Vec::new();
    for (on, s) in named {
        if on && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The type of a column as the codebook names it.
pub fn type_name(data_type: &DataType) -> String {
    match data_type {
        DataType::Int32 => "int32".into(),
        DataType::Float64 => "float64".into(),
        DataType::Utf8 => "string".into(),
        DataType::List(item) => format!("list<{}>", type_name(item.data_type())),
        other => other.to_string().to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_of_every_panel_is_described() {
        let all = With::parse(With::NAMES).unwrap();
        for (fields, dyadic) in [(crate::panel::dyad_fields(all), true), (crate::panel::state_fields(all), false)] {
            for f in described(fields, dyadic) {
                assert!(f.metadata().contains_key("description"), "{} has no description", f.name());
            }
        }
        let milex = about_column("milex1", true).unwrap();
        assert_eq!(
            (milex.unit, milex.definition.as_str()),
            ("thousands of current US$", "ccode1's military expenditure")
        );
        assert_eq!(about_column("sipri_milex", false).unwrap().unit, "millions of constant 2017 US$");
        assert_eq!(
            about_column("cowmaj2", true).unwrap().definition,
            "1 when ccode2 is a COW major power on any day of the year"
        );
    }
}
