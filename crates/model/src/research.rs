//! Rows of the field's research datasets as pactbase holds them once imported: typed,
//! validated, with states as COW codes. Importers produce these; the store keeps them;
//! panels and analyses consume them.

use serde::{Deserialize, Serialize};

use crate::{vocabulary, Ccode, PartialDate};

/// A research dataset pactbase imports: the key of the store's provenance and of the
/// data catalogue (`pactbase data list`). Each has one importer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dataset {
    Atop,
    CowStates,
    Nmc,
    Mme,
    SipriMilex,
    Rivalries,
    Contiguity,
    Capitals,
    Mindist,
    Majors,
    GmlMids,
    Igos,
    SipriArms,
}

vocabulary!(Dataset {
    Atop = "atop",
    CowStates = "cow-states",
    Nmc = "nmc",
    Mme = "mme",
    SipriMilex = "sipri-milex",
    Rivalries = "rivalries",
    Contiguity = "contiguity",
    Capitals = "capitals",
    Mindist = "mindist",
    Majors = "majors",
    GmlMids = "gml-mids",
    Igos = "igos",
    SipriArms = "sipri-arms",
});

/// A full calendar date, as COW and ATOP record entries and exits. Ordered by time.
///
/// `day` is 0 when the source gives the month but not the day (ATOP leaves a few days
/// blank); such a date sorts before every known day of its month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Ymd {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Ymd {
    pub const fn new(year: i32, month: u8, day: u8) -> Self {
        Ymd { year, month, day }
    }

    pub fn day_known(&self) -> bool {
        self.day != 0
    }

    /// True for a real calendar day, or a real month with an unknown day (0).
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.month) && self.day <= crate::date::days_in_month(self.year, self.month)
    }
}

/// The date at the precision the source gives (an unknown day is left out).
impl From<Ymd> for PartialDate {
    fn from(d: Ymd) -> Self {
        PartialDate { year: d.year, month: Some(d.month), day: d.day_known().then_some(d.day) }
    }
}

impl std::fmt::Display for Ymd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One spell of COW system membership (`states2016.csv`), end inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemSpell {
    pub ccode: Ccode,
    pub start: Ymd,
    pub end: Ymd,
}

/// ATOP's five obligation flags, as held by one member (FIELD.md §2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AtopObligations {
    pub defense: bool,
    pub offense: bool,
    pub neutral: bool,
    pub nonagg: bool,
    pub consul: bool,
}

impl AtopObligations {
    pub fn any(&self) -> bool {
        self.defense || self.offense || self.neutral || self.nonagg || self.consul
    }

    /// The obligations held, in words, in the codebook's order.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (self.defense, "defense"),
            (self.offense, "offense"),
            (self.neutral, "neutrality"),
            (self.nonagg, "nonaggression"),
            (self.consul, "consultation"),
        ]
        .into_iter()
        .filter_map(|(held, name)| held.then_some(name))
        .collect()
    }

    /// Valued tie (FIELD.md §3): 3 defense or offense, 2 neutrality or consultation,
    /// 1 nonaggression only, 0 none.
    pub fn tie_value(&self) -> u8 {
        if self.defense || self.offense {
            3
        } else if self.neutral || self.consul {
            2
        } else if self.nonagg {
            1
        } else {
            0
        }
    }
}

/// One row of ATOP's member file (`atop5_1m.csv`): a member in one phase of an alliance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtopMember {
    pub atopid: u32,
    /// COW code as ATOP gives it; a few (8152) are outside the COW system.
    pub ccode: Ccode,
    pub phase: u8,
    pub entry: Ymd,
    /// `None`: still in effect at the end of ATOP's data (`yrexit = 0`, 2018).
    pub exit: Option<Ymd>,
    pub obligations: AtopObligations,
    /// This member's obligations differ by partner (`obvary`).
    pub obvary: bool,
}

/// One phase of an ATOP alliance (`atop5_1aph.csv`): alliances renegotiated during their
/// life get a phase per version of their terms; unchanged alliances have one phase, 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtopPhase {
    pub atopid: u32,
    pub phase: u8,
    pub begin: Ymd,
    /// `None`: in effect at the end of the data.
    pub end: Option<Ymd>,
    pub obligations: AtopObligations,
}

/// One row of ATOP's alliance file (`atop5_1a.csv`), with the provisions pactbase uses.
/// Provision codes are `None` where ATOP could not locate the document (missing ≠ "no").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtopAlliance {
    pub atopid: u32,
    pub cowid: Option<u32>,
    pub begin: Ymd,
    /// `None`: in effect at the end of the data.
    pub end: Option<Ymd>,
    pub bilateral: bool,
    /// Obligations vary across members (`asymm`).
    pub asymmetric: bool,
    pub obligations: AtopObligations,
    pub milcon: Option<u8>,
    pub milaid: Option<u8>,
    pub intcom: Option<u8>,
    pub subord: Option<u8>,
    pub base: Option<u8>,
    pub organ1: Option<u8>,
    pub contrib: Option<u8>,
    pub armred: Option<u8>,
    pub specthrt: Option<u8>,
    pub ecaid: Option<u8>,
    pub members: Vec<Ccode>,
}

/// One state-year of COW National Material Capabilities. Blanks are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NmcRow {
    pub ccode: Ccode,
    pub year: i32,
    pub milex: Option<f64>,
    pub milper: Option<f64>,
    pub irst: Option<f64>,
    pub pec: Option<f64>,
    pub tpop: Option<f64>,
    pub upop: Option<f64>,
    pub cinc: Option<f64>,
}

/// The exercise domains of the MME data, in its column order.
pub const MME_DOMAINS: [&str; 6] = ["cpx", "air", "land", "sea", "amphibious", "cyber"];
/// The exercise focus columns of the MME data.
pub const MME_FOCUS: [&str; 3] = ["warfighting", "peacekeeping", "humanitarian"];

/// One multinational military exercise (MME v7), participants resolved to COW codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MmeExercise {
    /// MME's `MMEID`; a few ids are used by two different exercises in v7.
    pub id: String,
    /// Empty where MME has no name (`-9`).
    pub name: String,
    pub series: Option<String>,
    pub location: Option<String>,
    pub year: i32,
    pub month: Option<u8>,
    pub end_year: Option<i32>,
    /// Flags in [`MME_DOMAINS`] order.
    pub domains: [bool; 6],
    /// Flags in [`MME_FOCUS`] order.
    pub focus: [bool; 3],
    pub participants: Vec<Ccode>,
}

/// ATOP's own coding of one alliance, shown beside a registry agreement that cites it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtopCoding {
    pub alliance: AtopAlliance,
    pub phases: Vec<AtopPhase>,
    pub members: Vec<AtopMember>,
}

/// SIPRI military expenditure for one state-year, constant 2017 US$ millions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SipriMilex {
    pub ccode: Ccode,
    pub year: i32,
    pub usd2017m: f64,
}

/// A Thompson–Sakuwa–Suhas strategic rivalry between two states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rivalry {
    pub id: u32,
    pub name: String,
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub start: i32,
    /// `None`: ongoing.
    pub end: Option<i32>,
    pub positional: bool,
    pub spatial: bool,
    pub ideological: bool,
    pub interventionary: bool,
    pub principal: bool,
}

impl Rivalry {
    pub fn active_in(&self, year: i32) -> bool {
        self.start <= year && self.end.is_none_or(|e| e >= year)
    }
}

/// Provenance of one imported file: what was read, from where, and when it was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetFile {
    pub dataset: Dataset,
    /// The version the file declares, else its file name.
    pub version: String,
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Data rows read (header excluded).
    pub rows: usize,
    /// When the store took the import (UTC, `YYYY-MM-DD HH:MM:SS`); `None` until stored.
    pub imported_at: Option<String>,
}

/// A spell of COW direct contiguity between two states (`contdir`), directed as the file
/// gives it, end inclusive. `conttype` 1 is a land or river border; 2–5 separation by at
/// most 12, 24, 150 or 400 miles of water; 0 a spell COW records as not contiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContiguitySpell {
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub conttype: u8,
    pub start: Ymd,
    pub end: Ymd,
}

/// A state's capital over a span of days (peacesciencer's capitals compilation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capital {
    pub ccode: Ccode,
    pub name: String,
    pub start: Ymd,
    pub end: Ymd,
    /// Degrees north.
    pub lat: f64,
    /// Degrees east.
    pub lng: f64,
}

/// The minimum distance between two states' borders in one year (CShapes 2.0), km, for
/// a non-directed dyad (`ccode1 < ccode2`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MinDistance {
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub year: i32,
    pub km: f64,
}

/// A spell of COW major-power status, end inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorSpell {
    pub ccode: Ccode,
    pub start: Ymd,
    pub end: Ymd,
}

/// One state's part in one militarized interstate dispute (GML participant file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeParticipant {
    pub dispnum: u32,
    pub ccode: Ccode,
    pub start_year: i32,
    pub end_year: i32,
    /// On side A, the side that took the first militarized action.
    pub sidea: bool,
    /// Took part from the dispute's first day (an originator, not a joiner).
    pub orig: bool,
}

/// One year of one dispute between two states (GML dyadic dispute-years), with the
/// dispute-level fields that decide which dispute stands for a dyad-year with several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeYear {
    pub dispnum: u32,
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub year: i32,
    /// The dispute began this year for this dyad.
    pub onset: bool,
    /// Fatality level 0–6 (0 none … 6 more than 999 deaths); `None` where unknown (-9).
    pub fatality: Option<u8>,
    /// Highest hostility level 1–5 in the dispute.
    pub hostlev: u8,
    /// Shortest and longest duration in days the dates allow.
    pub mindur: u32,
    pub maxdur: u32,
    /// Both sides took militarized action.
    pub recip: bool,
    /// Month the dispute started, 1–12 (GML 2.2.1 gives dispute 1272 month 13).
    pub stmon: u8,
}

/// The number of intergovernmental organizations two states are both full members of in
/// one year (COW IGO 3.0 dyadic), for a non-directed dyad (`ccode1 < ccode2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedIgos {
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub year: i32,
    pub dyadigos: u16,
}
