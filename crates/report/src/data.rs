//! What a report shows, as plain values: strings and numbers the caller assembles from
//! whatever store it has. Nothing here knows where the data came from.

/// A part of the report that needs a dataset which has not been imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    /// What is missing, in words ("the ATOP alliance data").
    pub what: String,
    /// The commands that would supply it (`pactbase import atop DIR`).
    pub import: Vec<String>,
}

/// Either the section's data or what must be imported to get it.
pub type Part<T> = Result<T, Missing>;

#[derive(Debug, Clone, PartialEq)]
pub struct ReportData {
    pub state: StateInfo,
    /// The last year the registry describes; "current" means in force in this year.
    pub as_of: i32,
    /// Who made the report ("pactbase 0.1.0").
    pub generator: String,
    pub timeline: Timeline,
    pub partners: Vec<PartnerRow>,
    pub network: Part<Network>,
    pub exercises: Exercises,
    pub capabilities: Capabilities,
    pub impact: Part<Impact>,
    pub challenges: Challenges,
    pub recommendations: Part<Recommendations>,
    pub sources: Sources,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StateInfo {
    pub ccode: u16,
    pub abb: String,
    pub name: String,
    pub iso3: Option<String>,
    /// System-membership spells as `(start, end)` dates; `None`: still a member.
    pub spells: Vec<(String, Option<String>)>,
}

/// A state named in the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StateRef {
    pub name: String,
    pub abb: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// One row per membership spell, in order of joining.
    pub memberships: Vec<MembershipRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MembershipRow {
    pub agreement_id: String,
    /// Short name (SEATO), else the official name.
    pub label: String,
    pub name: String,
    pub kinds: Vec<String>,
    pub joined: String,
    pub joined_year: i32,
    pub left: Option<String>,
    /// The last year the membership was in force (left, or the agreement ended).
    pub last_year: Option<i32>,
    pub role: String,
    /// Obligation types the state holds, and those held toward it.
    pub obligations: Vec<String>,
    pub owed: Vec<String>,
    pub partners: Vec<StateRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartnerRow {
    pub partner: StateRef,
    pub strongest: Option<String>,
    /// Valued ties (3 defense/offense, 2 neutrality/consultation, 1 nonaggression, 0 none).
    pub tie_out: u8,
    pub tie_in: u8,
    pub first_year: i32,
    pub last_year: Option<i32>,
    /// Labels of the agreements shared.
    pub agreements: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Where the ties come from and which level makes an edge, in words.
    pub basis: String,
    pub years: Vec<NetworkYear>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkYear {
    pub year: i32,
    pub degree: u32,
    pub eigenvector: f64,
    pub betweenness: f64,
    /// States in the system that year.
    pub states: usize,
    /// 1 = most central that year.
    pub eigenvector_rank: usize,
    pub degree_rank: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Exercises {
    /// The registry's recurring exercise series the state takes part in.
    pub series: Vec<ExerciseSeriesRow>,
    /// Multinational Military Exercises (MME) the state took part in.
    pub mme: Part<Mme>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseSeriesRow {
    pub id: String,
    pub name: String,
    pub partners: Vec<StateRef>,
    pub domains: Vec<String>,
    pub focus: Vec<String>,
    pub years: Vec<i32>,
    pub agreement: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mme {
    /// The years the dataset covers.
    pub coverage: (i32, i32),
    pub total: usize,
    /// Exercises per year (years without any included as 0).
    pub per_year: Vec<(i32, usize)>,
    /// Exercises per domain (cpx, air, land, sea, amphibious, cyber); one exercise can
    /// have several.
    pub by_domain: Vec<(String, usize)>,
    pub by_partner: Vec<PartnerExercises>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PartnerExercises {
    pub partner: StateRef,
    pub count: usize,
    pub first_year: i32,
    pub last_year: i32,
    pub by_domain: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Capabilities {
    pub cinc: Part<CincSeries>,
    pub burden: Part<Burden>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CincSeries {
    /// Which ties define a defense partner, in words.
    pub basis: String,
    pub years: Vec<CincYear>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CincYear {
    pub year: i32,
    pub own: Option<f64>,
    /// Summed CINC of the year's defense partners (those with a CINC that year).
    pub allied: Option<f64>,
    pub partners: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Burden {
    /// What the expenditure figures are ("SIPRI, constant 2017 US$ m").
    pub measure: String,
    pub alliances: Vec<AllianceBurden>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AllianceBurden {
    pub agreement_id: String,
    pub label: String,
    /// The year the shares are shown for.
    pub year: i32,
    /// Members with their expenditure and share of the members' total, largest first.
    pub members: Vec<(StateRef, f64, f64)>,
    /// Members without a figure that year.
    pub without_data: Vec<StateRef>,
    /// The state's share per year of its membership (where every figure is known).
    pub own_share: Vec<(i32, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Impact {
    pub studies: Vec<ImpactStudy>,
    /// Entries that could not be studied, and why.
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImpactStudy {
    pub agreement: String,
    pub entry_year: i32,
    pub outcome: String,
    pub estimator: String,
    pub inference: String,
    /// The comparison group in words, with the states.
    pub comparison: String,
    pub comparison_states: usize,
    /// The average effect over the post-entry years, when one is stated: `None` when the
    /// pre-entry years reject parallel trends (or nothing was estimated).
    pub post_effect: Option<Interval>,
    /// The result in one sentence: the effect or why none is stated, with the placebo and
    /// synthetic-control inference.
    pub headline: String,
    /// Which cohorts and states contribute, and which are dropped and why.
    pub sample: Vec<String>,
    /// What limits the reading (pre-trends, a fallback outcome, borrowed variance, …).
    pub caveats: Vec<String>,
    /// The command's own summary lines, as it prints them.
    pub summary: String,
    /// The estimates chart, SVG markup from `pactbase-charts` (its text already escaped).
    pub chart_svg: String,
    pub rows: Vec<RelativeYearRow>,
}

/// An estimate with its 95% confidence interval: (estimate, low, high).
pub type Interval = (f64, f64, f64);

#[derive(Debug, Clone, PartialEq)]
pub struct RelativeYearRow {
    /// Years since entry (0 = the year of entry, −1 the reference).
    pub relative_year: i32,
    pub estimate: Option<Interval>,
    pub treated: usize,
    pub comparison: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Challenges {
    /// Which ties were checked, in words.
    pub basis: String,
    /// `Err` when the rivalries are not imported.
    pub conflicts: Part<Vec<ConflictRow>>,
    pub sovereignty: Vec<SovereigntyRow>,
    pub overlaps: Vec<OverlapRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub holder: StateRef,
    pub a: StateRef,
    pub b: StateRef,
    pub rivalry: String,
    pub years: String,
    pub toward_a: Vec<String>,
    pub toward_b: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SovereigntyRow {
    pub agreement_id: String,
    pub agreement: String,
    /// 0 none – 1 high; `None` not coded.
    pub index: Option<f64>,
    /// Foreign bases, integrated command, subordination, aid dependence.
    pub components: [Option<f64>; 4],
    /// The basis of each non-zero component: (component, why).
    pub basis: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverlapRow {
    pub partner: StateRef,
    pub agreements: Vec<String>,
    pub years: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recommendations {
    pub as_of: i32,
    pub horizon: i32,
    /// The years whose formations the model learnt from.
    pub learnt_from: (i32, i32),
    pub rows: Vec<RecommendationRow>,
    /// Partners left out (strategic rivals, states not recognised), each with why.
    pub left_out: Vec<(StateRef, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationRow {
    pub partner: StateRef,
    /// Modelled probability of an alliance within the horizon.
    pub score: f64,
    /// Why, in plain words, the strongest first.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sources {
    pub agreements: Vec<CitedSources>,
    pub exercises: Vec<CitedSources>,
    pub datasets: Vec<DatasetRow>,
    /// Datasets the report could use but that are not imported: (dataset, command).
    pub not_imported: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CitedSources {
    pub id: String,
    pub label: String,
    pub sources: Vec<SourceRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub title: String,
    pub publisher: String,
    pub url: Option<String>,
    pub reference: Option<String>,
    pub consulted: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DatasetRow {
    pub dataset: String,
    pub version: String,
    pub file: String,
    pub sha256: String,
    pub rows: usize,
    pub imported_at: Option<String>,
    /// How to cite the dataset (plain text, from the data catalogue).
    pub citation: String,
}
