//! Impact studies as the front ends run them: who is treated when (the directed
//! obligations of the agreements studied), the outcome series from the imported datasets,
//! the design, and for one state its placebo and synthetic-control inference; `pactbase
//! impact`, the country page and report and `/api/v1/impact` all go through here.

use std::collections::{BTreeMap, HashSet};

use pactbase_analysis::assessment::timeline::{main_alliances, Timeline};
use pactbase_analysis::impact::{
    self, obligation_spells, placebo_in_space, synthetic_control, Bound, ComparisonGroup, Design, Estimate, Estimator,
    EventStudy, Focus, ObligationTypes, Observation, Panel, PlaceboInference, SyntheticControl, Treatment,
};
use pactbase_analysis::panel::{ArmsFlows, Exercises};
use pactbase_charts::{Band, Figure, LineChart, Options, Series};
use pactbase_model::research::Dataset;
use pactbase_model::{Agreement, Ccode, StateIndex};
use pactbase_store::{AgreementFilter, KindFilter, Store};
use serde::Serialize;

use crate::research::{require, system, REGISTRY_LAST_YEAR};
use crate::Result;

/// What an agreement's effect is measured on. One vocabulary for every front end: an
/// outcome is a variant here, its words below and its loader in [`observations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImpactOutcome {
    /// Military expenditure in logs: SIPRI's constant dollars where they cover the study's
    /// entries, else NMC's current dollars (with a caveat).
    Milex,
    SipriMilex,
    NmcMilex,
    Cinc,
    LogCinc,
    /// Multinational exercises per year (MME).
    Exercises,
    /// Arms imports, log(1 + SIPRI TIV) (1950–2021).
    ArmsImports,
}

impl ImpactOutcome {
    pub const ALL: [ImpactOutcome; 7] = [
        ImpactOutcome::Milex,
        ImpactOutcome::SipriMilex,
        ImpactOutcome::NmcMilex,
        ImpactOutcome::Cinc,
        ImpactOutcome::LogCinc,
        ImpactOutcome::Exercises,
        ImpactOutcome::ArmsImports,
    ];

    /// The word front ends take (`--outcome`, `outcome=`).
    pub fn name(self) -> &'static str {
        match self {
            ImpactOutcome::Milex => "milex",
            ImpactOutcome::SipriMilex => "sipri-milex",
            ImpactOutcome::NmcMilex => "nmc-milex",
            ImpactOutcome::Cinc => "cinc",
            ImpactOutcome::LogCinc => "log-cinc",
            ImpactOutcome::Exercises => "exercises",
            ImpactOutcome::ArmsImports => "arms-imports",
        }
    }

    pub fn parse(text: &str) -> Option<ImpactOutcome> {
        ImpactOutcome::ALL.into_iter().find(|o| o.name() == text)
    }

    /// The words accepted, for error messages.
    pub fn names() -> String {
        ImpactOutcome::ALL.map(ImpactOutcome::name).join(", ")
    }

    pub fn label(self) -> &'static str {
        match self {
            ImpactOutcome::Milex => {
                "log military expenditure (SIPRI constant dollars where they cover the study, else NMC)"
            }
            ImpactOutcome::SipriMilex => "log military expenditure (SIPRI, constant 2017 US$)",
            ImpactOutcome::NmcMilex => "log military expenditure (COW NMC, current US$)",
            ImpactOutcome::Cinc => "CINC, share of the system's capabilities (COW NMC)",
            ImpactOutcome::LogCinc => "log CINC (COW NMC)",
            ImpactOutcome::Exercises => "multinational exercises per year (MME)",
            ImpactOutcome::ArmsImports => "log(1 + arms imports, SIPRI TIV)",
        }
    }

    /// How the outcome is transformed, and what becomes of zeros.
    pub fn transformation(self) -> &'static str {
        match self {
            ImpactOutcome::Milex | ImpactOutcome::SipriMilex | ImpactOutcome::NmcMilex | ImpactOutcome::LogCinc => {
                "natural log (an effect of 0.10 is about 10%); a year of exactly zero has no log and is left out, counted in `zero_years`"
            }
            ImpactOutcome::Cinc => "as published, a share between 0 and 1; zeros kept",
            ImpactOutcome::Exercises => {
                "count of MME exercises the state took part in; a system member's year without one is 0 within MME's years, missing outside them"
            }
            ImpactOutcome::ArmsImports => {
                "log(1 + TIV imported from every supplier), so a system member's year without deliveries is 0 (kept) within SIPRI's years (1950–2021), missing outside them; an effect of 0.10 is about 10% for large flows"
            }
        }
    }
}

/// What makes a state treated: one agreement, or every agreement of a kind (or every
/// agreement in which someone holds an obligation of an ATOP type, and only that type).
#[derive(Debug, Clone)]
pub enum Treated {
    Agreement(Box<Agreement>),
    Kind(KindFilter),
}

impl Treated {
    /// The agreements studied, the obligation types that count, and the treatment in
    /// words.
    fn resolve(&self, store: &Store, bound: Bound) -> Result<(Vec<Agreement>, ObligationTypes, String)> {
        let verb = bound.verb();
        Ok(match self {
            Treated::Agreement(a) => {
                (vec![(**a).clone()], ObligationTypes::Any, format!("{verb} an obligation under {}", a.label()))
            }
            Treated::Kind(filter) => {
                let agreements = store.agreements(&AgreementFilter { kind: Some(*filter), ..Default::default() })?;
                match filter {
                    KindFilter::Obligation(t) => (
                        agreements,
                        ObligationTypes::Only(*t),
                        format!("first {verb} a {t} obligation (any agreement)"),
                    ),
                    KindFilter::Kind(k) => {
                        (agreements, ObligationTypes::Any, format!("first {verb} an obligation under a {k} agreement"))
                    }
                }
            }
        })
    }
}

/// One event study.
#[derive(Debug, Clone)]
pub struct Study {
    pub treated: Treated,
    /// Which side of an obligation makes a state treated (default: either).
    pub bound: Bound,
    pub outcome: ImpactOutcome,
    /// Relative years, from before entry (≤ −1) to after it (≥ 0).
    pub window: (i32, i32),
    /// One treated state to report on, optionally against named comparison states.
    pub state: Option<Ccode>,
    pub compare: Option<Vec<Ccode>>,
    pub comparison: ComparisonGroup,
    pub estimator: Estimator,
}

/// The outcome actually used.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeUsed {
    pub name: &'static str,
    pub label: &'static str,
    pub transformation: &'static str,
    /// State-years whose value is exactly zero and has no log: left out, never silently.
    pub zero_years: usize,
    /// Of those, the treated states' years within the window around their entry.
    pub zero_years_in_window: usize,
}

/// A study's results, as every front end shows them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudyResult {
    /// The treatment in words ("holds or is owed an obligation under SEATO").
    pub treatment: String,
    pub bound: Bound,
    /// Each treated state's first spell bound (its first and last year; no last year while
    /// it lasts): the treatment as the estimates use it.
    pub spells: Vec<Treatment>,
    pub outcome: OutcomeUsed,
    /// The estimates, their pre-trend test, samples and caveats.
    #[serde(flatten)]
    pub event_study: EventStudy,
    /// One treated state: each comparison state given its entry in turn.
    pub placebo: Option<PlaceboInference>,
    /// One treated state: a weighted average of comparison states that tracks it before entry.
    pub synthetic_control: Option<SyntheticControl>,
    /// What contributed and what was dropped, in sentences.
    pub sample: Vec<String>,
    /// What limits the reading, in sentences (pre-trends, a fallback outcome, dropped zeros).
    pub warnings: Vec<String>,
    /// The result in one sentence: the effect, or why none is stated.
    pub headline: String,
}

/// `-5..10` → (−5, 10); the window must hold the reference year −1 and the entry year 0.
pub fn parse_window(text: &str) -> Result<(i32, i32), String> {
    let bad = || format!("`{text}` is not a window: write FROM..TO, e.g. -5..10 (it must include -1 and 0)");
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let (a, b): (i32, i32) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > -1 || b < 0 {
        return Err(bad());
    }
    Ok((a, b))
}

/// Runs `study` on the imported datasets.
pub fn estimate(store: &Store, study: &Study, index: &StateIndex) -> Result<StudyResult> {
    let (agreements, types, treatment) = study.treated.resolve(store, study.bound)?;
    let spells = obligation_spells(&agreements, types, study.bound, REGISTRY_LAST_YEAR);
    let entries: Vec<(Ccode, i32)> =
        spells.iter().filter(|t| study.state.is_none_or(|s| t.state == s)).map(|t| (t.state, t.first_year)).collect();
    let (outcome, fallback) =
        resolve_outcome(store, study.outcome, &entries, study.state.is_some(), study.compare.as_deref())?;
    let series = observations(store, outcome)?;
    estimate_on(series, spells, study, treatment, fallback, index)
}

/// The series of `outcome`, with the years left out because they are zero.
#[derive(Clone)]
struct OutcomeSeries {
    outcome: ImpactOutcome,
    observations: Vec<Observation>,
    zeros: Vec<(Ccode, i32)>,
}

fn estimate_on(
    series: OutcomeSeries,
    spells: Vec<Treatment>,
    study: &Study,
    treatment: String,
    fallback: Option<String>,
    index: &StateIndex,
) -> Result<StudyResult> {
    let in_window = |&(s, t): &(Ccode, i32)| {
        spells.iter().any(|sp| {
            sp.state == s
                && study.state.is_none_or(|f| f == s)
                && (study.window.0..=study.window.1).contains(&(t - sp.first_year))
        })
    };
    let outcome = OutcomeUsed {
        name: series.outcome.name(),
        label: series.outcome.label(),
        transformation: series.outcome.transformation(),
        zero_years: series.zeros.len(),
        zero_years_in_window: series.zeros.iter().filter(|z| in_window(z)).count(),
    };
    let panel = Panel::new(series.observations, spells.iter().copied())?;
    let design = Design {
        window: study.window.0..=study.window.1,
        comparison: study.comparison,
        focus: study.state.map(|state| Focus { state, comparison: study.compare.clone() }),
    };
    let event_study = impact::estimate(&panel, &design, study.estimator)?;
    let (placebo, synthetic) = match study.state {
        Some(_) => (placebo_in_space(&panel, &design, study.estimator).ok(), synthetic_control(&panel, &design).ok()),
        None => (None, None),
    };
    let mut warnings: Vec<String> = fallback.into_iter().collect();
    if let Some(t) = event_study.pre_trends.as_ref().filter(|t| t.rejected) {
        warnings.push(format!(
            "The years before entry already differ from the comparison states (joint test of the {} pre-entry estimates: χ²({}) = {:.1}, p = {:.3}): parallel trends fail, so the post-entry average is not an estimate of the effect.",
            t.leads.len(),
            t.df,
            t.statistic,
            t.p_value
        ));
    }
    if let Some(sc) = synthetic.as_ref().filter(|sc| sc.fitted_years.1 - sc.fitted_years.0 + 1 < 8) {
        warnings.push(format!(
            "The synthetic control is fitted on {} pre-entry years only ({}–{}) with {} donors: so few years are matched almost perfectly by many mixes, and its estimate rests on little.",
            sc.fitted_years.1 - sc.fitted_years.0 + 1,
            sc.fitted_years.0,
            sc.fitted_years.1,
            sc.donors
        ));
    }
    if outcome.zero_years_in_window > 0 {
        warnings.push(format!(
            "{} year(s) of the treated states around entry are exactly zero and have no log: left out.",
            outcome.zero_years_in_window
        ));
    }
    warnings.extend(
        event_study
            .caveats
            .iter()
            .filter(|c| **c != impact::Caveat::PreTrends)
            .map(|c| format!("{}.", capitalise(c.text()))),
    );
    Ok(StudyResult {
        headline: headline(&event_study, placebo.as_ref(), synthetic.as_ref()),
        sample: sample(&event_study, index),
        treatment,
        bound: study.bound,
        spells,
        outcome,
        event_study,
        placebo,
        synthetic_control: synthetic,
        warnings,
    })
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `milex` becomes SIPRI's series when SIPRI is imported and reaches the year before each
/// entry studied (its base year), else NMC's, with the reason. SIPRI's series start at
/// different years (Pakistan 1951, India 1956, Iran 1960): a study of one state needs its own
/// base year and, with named comparison states, one of theirs; a study of many needs only
/// the dataset to reach back, as a state without its base year just does not contribute.
fn resolve_outcome(
    store: &Store,
    outcome: ImpactOutcome,
    entries: &[(Ccode, i32)],
    one_state: bool,
    compare: Option<&[Ccode]>,
) -> Result<(ImpactOutcome, Option<String>)> {
    if outcome != ImpactOutcome::Milex {
        return Ok((outcome, None));
    }
    if !store.has_dataset(Dataset::SipriMilex)? {
        return Ok((
            ImpactOutcome::NmcMilex,
            Some("SIPRI's constant-dollar expenditure is not imported (`pactbase import sipri-milex FILE`): NMC's current-dollar series is used, so exchange-rate and price movements enter the estimates.".into()),
        ));
    }
    let sipri = store.sipri()?;
    let first = sipri.iter().map(|r| r.year).min().unwrap_or(i32::MAX);
    let observed: HashSet<(Ccode, i32)> = sipri.iter().map(|r| (r.ccode, r.year)).collect();
    let base_covered = |&(state, entry): &(Ccode, i32)| {
        if !one_state {
            return entry > first;
        }
        observed.contains(&(state, entry - 1))
            && compare.is_none_or(|states| states.iter().any(|&c| observed.contains(&(c, entry - 1))))
    };
    let uncovered: Vec<i32> = entries.iter().filter(|e| !base_covered(e)).map(|&(_, g)| g).collect();
    if uncovered.is_empty() {
        return Ok((ImpactOutcome::SipriMilex, None));
    }
    let (lo, hi) = (uncovered.iter().min().unwrap_or(&0), uncovered.iter().max().unwrap_or(&0));
    let years = if lo == hi { lo.to_string() } else { format!("{lo}–{hi}") };
    let whose = match (one_state, compare) {
        (false, _) => "any state",
        (true, Some(_)) => "the entering state or every comparison state",
        (true, None) => "the entering state",
    };
    Ok((
        ImpactOutcome::NmcMilex,
        Some(format!(
            "SIPRI's constant-dollar series lacks the year before {} of the entries studied ({years}) for {whose}: NMC's current-dollar series is used instead, so exchange-rate and price movements (Pakistan's 1955 devaluation alone moves its series by −0.36) enter the estimates. Ask for `sipri-milex` to study the covered entries only.",
            uncovered.len()
        )),
    ))
}

fn observations(store: &Store, outcome: ImpactOutcome) -> Result<OutcomeSeries> {
    let mut zeros = Vec::new();
    // A log of zero does not exist: such years are counted and left out.
    let mut logged = |state: Ccode, year: i32, value: Option<f64>| -> Observation {
        let outcome = match value {
            Some(0.0) => {
                zeros.push((state, year));
                None
            }
            v => v.filter(|&v| v > 0.0).map(f64::ln),
        };
        Observation { state, year, outcome }
    };
    let observations = match outcome {
        ImpactOutcome::Milex | ImpactOutcome::SipriMilex => {
            require(store, Dataset::SipriMilex)?;
            store.sipri()?.into_iter().map(|r| logged(r.ccode, r.year, Some(r.usd2017m))).collect()
        }
        ImpactOutcome::NmcMilex | ImpactOutcome::LogCinc => {
            require(store, Dataset::Nmc)?;
            let milex = outcome == ImpactOutcome::NmcMilex;
            store.nmc()?.into_iter().map(|r| logged(r.ccode, r.year, if milex { r.milex } else { r.cinc })).collect()
        }
        ImpactOutcome::Cinc => {
            require(store, Dataset::Nmc)?;
            store.nmc()?.into_iter().map(|r| Observation { state: r.ccode, year: r.year, outcome: r.cinc }).collect()
        }
        ImpactOutcome::Exercises => {
            require(store, Dataset::Mme)?;
            let rows = store.mme()?;
            let years = rows.iter().map(|e| e.year);
            let (first, last) = (years.clone().min().unwrap_or(1980), years.max().unwrap_or(1980));
            let exercises = Exercises::new(&rows);
            let (system, _) = system(store, &store.state_index()?, (first, last))?;
            // Every system member in MME's years: no exercise is a 0, not a gap.
            system
                .years()
                .iter()
                .flat_map(|y| {
                    let exercises = &exercises;
                    y.ccodes.iter().map(move |&c| Observation {
                        state: c,
                        year: y.year,
                        outcome: Some(f64::from(exercises.state(c, y.year)[0])),
                    })
                })
                .collect()
        }
        ImpactOutcome::ArmsImports => {
            let flows = ArmsFlows::new(&crate::arms::transfers(store)?);
            let (system, _) = system(store, &store.state_index()?, flows.coverage())?;
            // Every system member in SIPRI's years: nothing imported is a 0, not a gap; the
            // log of one plus TIV keeps those zeros and tames the few huge years.
            system
                .years()
                .iter()
                .flat_map(|y| {
                    let flows = &flows;
                    y.ccodes.iter().map(move |&c| Observation {
                        state: c,
                        year: y.year,
                        outcome: flows.imports(c, y.year).map(f64::ln_1p),
                    })
                })
                .collect()
        }
    };
    Ok(OutcomeSeries { outcome, observations, zeros })
}

/// The result in one sentence.
fn headline(r: &EventStudy, placebo: Option<&PlaceboInference>, synthetic: Option<&SyntheticControl>) -> String {
    let interval = |e: &Estimate| format!("{:+.3} (95% CI {:+.3} to {:+.3})", e.value, e.ci_low, e.ci_high);
    let mut s = match (r.effect(), &r.post_att) {
        (Some(e), _) => format!("Average effect over the years after entry: {}.", interval(e)),
        (None, Some(e)) => format!(
            "No effect is stated: the states were already diverging before entry. The post-entry average, {}, mixes that trend with any effect.",
            interval(e)
        ),
        (None, None) => "No post-entry year could be estimated.".to_owned(),
    };
    if let Some(p) = placebo {
        s.push_str(&format!(
            " Given the same entry, {} comparison states moved by {:+.2} to {:+.2} (95% of them; spread {:.2}): by size the state ranks {} of {} (permutation p = {:.2}).",
            p.placebos.len(),
            p.central_95.0,
            p.central_95.1,
            p.spread,
            p.rank,
            p.placebos.len() + 1,
            p.p_value
        ));
    }
    if let Some(sc) = synthetic {
        s.push_str(&format!(
            " Synthetic control: {:+.3} after entry (pre-entry fit error {:.3}, placebo p = {:.2}).",
            sc.post_average, sc.pre_rmspe, sc.placebo_p_value
        ));
    }
    s
}

/// Which cohorts and states contribute, and which are dropped and why.
pub fn sample(r: &EventStudy, index: &StateIndex) -> Vec<String> {
    let with_entry: usize = r.cohorts.iter().map(|c| c.states.len()).sum();
    let contributing: Vec<i32> = r.cohorts.iter().filter(|c| c.contributing > 0).map(|c| c.entry).collect();
    let span = |years: &[i32]| match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "none".to_owned(),
    };
    let mut lines = vec![format!(
        "{} of {} treated states contribute ({} cohorts, entering {}), against {} comparison states.",
        r.treated_states.len(),
        with_entry,
        contributing.len(),
        span(&contributing),
        r.comparison_states.len()
    )];
    let mut by_reason: BTreeMap<&'static str, Vec<(Ccode, i32)>> = BTreeMap::new();
    for x in &r.excluded {
        by_reason.entry(x.reason.text()).or_default().push((x.state, x.entry));
    }
    for (reason, states) in by_reason {
        let mut years: Vec<i32> = states.iter().map(|&(_, g)| g).collect();
        years.sort_unstable();
        let cohorts: Vec<usize> =
            r.cohorts.iter().filter(|c| states.iter().any(|&(_, g)| g == c.entry)).map(|c| c.comparisons).collect();
        let most = cohorts.iter().max().copied().unwrap_or(0);
        let names: Vec<String> = states.iter().take(6).map(|&(s, _)| index.label(s)).collect();
        lines.push(format!(
            "Dropped, {reason}: {} state(s) entering {} ({}{}; at most {most} comparison state(s) observed beside them).",
            states.len(),
            span(&years),
            names.join(" "),
            if states.len() > names.len() { " …" } else { "" }
        ));
    }
    lines
}

/// A state's entry into one of its main alliances, studied.
#[derive(Debug, Clone)]
pub struct EntryStudy {
    pub agreement_id: String,
    /// The agreement's short label.
    pub agreement: String,
    /// The first year the state was bound by it.
    pub entry_year: i32,
    pub study: Study,
    pub result: StudyResult,
}

/// What a state's entries into its alliances changed in its military expenditure.
#[derive(Debug, Clone)]
pub struct EntryStudies {
    pub studies: Vec<EntryStudy>,
    /// Entries not studied, each with the reason in a sentence.
    pub skipped: Vec<String>,
}

/// Up to `max` of `ccode`'s entries into its main alliances ([`main_alliances`] of its
/// `timeline` and `agreements`), oldest first, each an event study of log military
/// expenditure (SIPRI's constant dollars where they cover the entry, else NMC's):
/// Callaway & Sant'Anna against never-treated states, window −5..10, treatment from the
/// obligations it holds or is owed, reporting the state's own effect with its placebo and
/// synthetic-control inference. Entries with fewer than five years of expenditure data
/// after them are listed as skipped, as are those that cannot be estimated. The country
/// report and the web's country page show these.
pub fn entry_studies(
    store: &Store,
    ccode: Ccode,
    timeline: &Timeline,
    agreements: &[Agreement],
    max: usize,
    index: &StateIndex,
) -> Result<EntryStudies> {
    let (mut studies, mut skipped) = (Vec::new(), Vec::new());
    let mut loaded: Vec<OutcomeSeries> = Vec::new();
    for (a, _) in main_alliances(timeline, agreements) {
        if studies.len() == max {
            break;
        }
        let study = Study {
            treated: Treated::Agreement(Box::new(a.clone())),
            bound: Bound::Either,
            outcome: ImpactOutcome::Milex,
            window: (-5, 10),
            state: Some(ccode),
            compare: None,
            comparison: ComparisonGroup::NeverTreated,
            estimator: Estimator::CallawaySantAnna,
        };
        let spells =
            obligation_spells(std::slice::from_ref(a), ObligationTypes::Any, Bound::Either, REGISTRY_LAST_YEAR);
        let Some(entry) = spells.iter().find(|t| t.state == ccode).map(|t| t.first_year) else {
            skipped.push(format!(
                "{} is not studied: it binds {} by no obligation in either direction.",
                a.label(),
                index.name(ccode)
            ));
            continue;
        };
        let (outcome, fallback) =
            resolve_outcome(store, study.outcome, &[(ccode, entry)], true, study.compare.as_deref())?;
        let series = match loaded.iter().find(|s| s.outcome == outcome) {
            Some(series) => series.clone(),
            None => {
                loaded.push(observations(store, outcome)?);
                loaded[loaded.len() - 1].clone()
            }
        };
        let data_last =
            series.observations.iter().filter(|o| o.outcome.is_some()).map(|o| o.year).max().unwrap_or(entry);
        if entry + 5 > data_last {
            skipped.push(format!(
                "Entry into {} ({entry}) is not studied: the expenditure data end in {data_last}, too soon after it.",
                a.label()
            ));
            continue;
        }
        let treatment = format!("{} an obligation under {}", Bound::Either.verb(), a.label());
        match estimate_on(series, spells, &study, treatment, fallback, index) {
            Ok(result) => studies.push(EntryStudy {
                agreement_id: a.id.clone(),
                agreement: a.label().to_owned(),
                entry_year: entry,
                study,
                result,
            }),
            Err(e) => skipped.push(format!("Entry into {} ({entry}) could not be estimated: {e}", a.label())),
        }
    }
    studies.sort_by_key(|s| s.entry_year);
    Ok(EntryStudies { studies, skipped })
}

/// The estimates with their 95% intervals over relative years, as an SVG chart.
pub fn chart(r: &StudyResult, study: &Study, index: &StateIndex) -> String {
    figure(r, study, index).svg(&Options::default())
}

/// The event study's estimates by relative year, the 95% interval drawn as a band.
pub fn figure(r: &StudyResult, study: &Study, index: &StateIndex) -> Figure {
    event_study_figure(chart_title(r, study, index), &r.event_study)
}

/// The chart's title: the treatment, the state studied (if one) and the outcome.
pub fn chart_title(r: &StudyResult, study: &Study, index: &StateIndex) -> String {
    let who = study.state.map(|s| format!(" — {}", index.name(s))).unwrap_or_default();
    format!("Treatment: {}{who}: effect on {}", r.treatment, r.outcome.label)
}

/// Estimates `e` by relative year under `title`, the 95% interval drawn as a band.
pub fn event_study_figure(title: String, e: &EventStudy) -> Figure {
    let line = LineChart {
        title,
        y_label: "effect relative to the year before entry".into(),
        y_from_zero: false,
        series: vec![Series {
            name: "estimate".into(),
            points: e
                .relative_years
                .iter()
                .map(|y| (f64::from(y.relative_year), y.estimate.as_ref().map(|e| e.value)))
                .collect(),
        }],
    };
    Figure::lines(line).with_band(Band {
        name: "95% CI".into(),
        series: 0,
        points: e
            .relative_years
            .iter()
            .map(|y| (f64::from(y.relative_year), y.estimate.as_ref().map(|e| (e.ci_low, e.ci_high))))
            .collect(),
    })
}

/// A few lines naming the design and the result: estimator, inference, who is compared
/// with whom, the samples, the headline and the warnings.
pub fn summary(r: &StudyResult, index: &StateIndex) -> String {
    let e = &r.event_study;
    let names = |v: &[Ccode]| {
        let shown: Vec<String> = v.iter().take(12).map(|&c| index.label(c)).collect();
        let more = if v.len() > 12 { format!(" … ({} states)", v.len()) } else { String::new() };
        format!("{}{more}", shown.join(" "))
    };
    let mut s = format!(
        "treatment: {} · outcome: {} ({})\nestimator: {} ({})\ntreated: {}\ncomparison ({}): {}",
        r.treatment,
        r.outcome.label,
        r.outcome.transformation,
        e.estimator.name(),
        e.estimator.inference(),
        names(&e.treated_states),
        match e.comparison_group {
            ComparisonGroup::NeverTreated => "never-treated states",
            ComparisonGroup::NotYetTreated => "never- and not-yet-treated states",
        },
        names(&e.comparison_states)
    );
    for line in &r.sample {
        s.push_str(&format!("\nsample: {line}"));
    }
    if let Some(t) = &e.pre_trends {
        s.push_str(&format!(
            "\npre-entry test: χ²({}) = {:.2}, p = {:.3} ({})",
            t.df,
            t.statistic,
            t.p_value,
            if t.rejected { "rejects parallel trends" } else { "does not reject parallel trends" }
        ));
    }
    s.push_str(&format!("\n{}", r.headline));
    for w in &r.warnings {
        s.push_str(&format!("\nwarning: {w}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{parse_window, ImpactOutcome};

    #[test]
    fn windows_must_hold_the_reference_and_entry_years() {
        assert_eq!(parse_window("-5..10").unwrap(), (-5, 10));
        assert_eq!(parse_window(" -3 .. 0").unwrap(), (-3, 0));
        for bad in ["0..10", "-5..-2", "5", "-5..x", ""] {
            assert!(parse_window(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn outcomes_are_one_vocabulary() {
        for o in ImpactOutcome::ALL {
            assert_eq!(ImpactOutcome::parse(o.name()), Some(o));
            assert!(!o.label().is_empty() && !o.transformation().is_empty());
        }
        assert_eq!(ImpactOutcome::parse("milex"), Some(ImpactOutcome::Milex));
        assert_eq!(ImpactOutcome::parse("gdp"), None);
    }
}
