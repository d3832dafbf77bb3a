//! The one assembly of a country assessment (`pactbase_analysis::assessment`): the CLI's
//! `report`, `country` and `challenges`, the web's country and home pages and the API's
//! country endpoints all ask here, so all give the same answers for the same state and
//! reference year.

use std::collections::HashMap;
use std::path::Path;

use pactbase_analysis::arms::Side;
use pactbase_analysis::assessment::{
    self as parts, capabilities, exercises, network as net, overview, partners, timeline, Arms, CitedSources,
    CountryAssessment, CountryCore, DatasetRecord, Impact, ImpactStudy, Missing, Part, Recommendations, Sources,
    StateInfo, View,
};
use pactbase_analysis::challenges::{self, AgreementRef, Challenges, Found};
use pactbase_analysis::network::{self as network_measures, Level, Options};
use pactbase_analysis::recommend::{Listing, Options as RecommendOptions};
use pactbase_model::arms::ArmsTransfers;
use pactbase_model::coverage::{ATOP, REGISTRY_CURRENT_YEAR, YEARS};
use pactbase_model::research::{Dataset, MmeExercise, Rivalry};
use pactbase_model::{Agreement, Ccode, ExerciseSeries, StateIndex, Vocabulary};
use pactbase_store::{AgreementFilter, Store};

use crate::catalogue::catalogue;
use crate::fetch::fetch_command;
use crate::research::{alliance_ties, capabilities as nmc, system, AllianceTies, TieSource};
use crate::{impact, Recommender, Result};

/// The datasets an assessment can use.
const DATASETS: [Dataset; 7] = [
    Dataset::Atop,
    Dataset::CowStates,
    Dataset::Nmc,
    Dataset::Mme,
    Dataset::SipriMilex,
    Dataset::SipriArms,
    Dataset::Rivalries,
];

/// How many of the state's alliance entries the impact part studies.
const IMPACT_STUDIES: usize = 3;
/// How many alliances the burden-sharing part shows.
const BURDEN_ALLIANCES: usize = 4;
/// How many partners the recommendations list, and their horizon in years.
const RECOMMENDED: usize = 10;
const HORIZON: i32 = 10;
/// How many of the top current partners the interoperability check compares.
const INTEROPERABILITY_PARTNERS: usize = 8;

/// What is asked for: the reference, and whether partners count through every agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Request {
    pub view: View,
    /// Rank partners through conventions, restraint treaties and forums too.
    pub include_all: bool,
}

impl Default for Request {
    fn default() -> Self {
        Request { view: View::Year(REGISTRY_CURRENT_YEAR), include_all: false }
    }
}

/// What `datasets` are, and the command that would bring them.
fn absent(datasets: &[Dataset]) -> Missing {
    Missing {
        datasets: datasets.iter().map(|d| d.as_str()).collect(),
        what: datasets.iter().map(|&d| format!("the {}", catalogue().get(d).title)).collect::<Vec<_>>().join(" and "),
        import: vec![fetch_command(datasets)],
    }
}

/// `missing(store, &[Dataset::Atop, Dataset::Nmc])`: those of the datasets a part needs
/// that are not imported.
fn missing(store: &Store, datasets: &[Dataset]) -> Result<Option<Missing>> {
    let mut not_imported = Vec::new();
    for &d in datasets {
        if !store.has_dataset(d)? {
            not_imported.push(d);
        }
    }
    Ok((!not_imported.is_empty()).then(|| absent(&not_imported)))
}

/// Everything the parts read, loaded once.
pub struct Context {
    pub ccode: Ccode,
    pub request: Request,
    pub index: StateIndex,
    /// The state's agreements (any role).
    pub agreements: Vec<Agreement>,
    /// The registry's agreements, all.
    pub registry: Vec<Agreement>,
    pub series: Vec<ExerciseSeries>,
    pub mme: Option<Vec<MmeExercise>>,
    pub rivalries: Option<Vec<Rivalry>>,
    pub arms: Option<ArmsTransfers>,
}

impl Context {
    pub fn load(store: &Store, ccode: Ccode, request: Request) -> Result<Context> {
        Ok(Context {
            ccode,
            request,
            index: store.state_index()?,
            agreements: store.agreements(&AgreementFilter { member: Some(ccode), ..Default::default() })?,
            registry: store.curated_agreements()?,
            series: store.exercises(Some(ccode))?,
            mme: store.has_dataset(Dataset::Mme)?.then(|| store.mme()).transpose()?,
            rivalries: store.has_dataset(Dataset::Rivalries)?.then(|| store.rivalries()).transpose()?,
            arms: store.has_dataset(Dataset::SipriArms)?.then(|| store.sipri_arms()).transpose()?,
        })
    }

    fn reference_year(&self) -> i32 {
        self.request.view.reference_year()
    }

    /// The last year an agreement's source describes: ATOP's for the alliances only ATOP
    /// lists (after 2018 nothing says whether they stand), none for the registry's.
    fn known_until(&self, a: &Agreement) -> Option<i32> {
        (!self.registry.iter().any(|r| r.id == a.id)).then_some(ATOP.last)
    }

    /// An agreement's label from the registry or ATOP's listing ("ATOP 3150").
    fn agreement_ref(&self, id: &str) -> AgreementRef {
        let label = match self.registry.iter().chain(&self.agreements).find(|a| a.id == id) {
            Some(a) => a.label().to_owned(),
            None if id.chars().all(|c| c.is_ascii_digit()) => format!("ATOP {id}"),
            None => id.to_owned(),
        };
        AgreementRef { id: id.to_owned(), label }
    }
}

/// The parts that rest on the registry: overview, timeline, partners and exercises.
pub fn core(ctx: &Context) -> CountryCore {
    let (ccode, view) = (ctx.ccode, ctx.request.view);
    let state = ctx.index.get(ccode);
    let timeline = timeline::timeline(ccode, view, &ctx.agreements, &|a| ctx.known_until(a));
    let without: Vec<Missing> = [
        (ctx.mme.is_none(), Dataset::Mme),
        (ctx.rivalries.is_none(), Dataset::Rivalries),
        (ctx.arms.is_none(), Dataset::SipriArms),
    ]
    .into_iter()
    .filter(|(lacking, _)| *lacking)
    .map(|(_, d)| absent(&[d]))
    .collect();
    let partners = partners::partners(
        ccode,
        view,
        &timeline,
        &partners::PartnerData {
            agreements: &ctx.agreements,
            series: &ctx.series,
            mme: ctx.mme.as_deref(),
            rivalries: ctx.rivalries.as_deref(),
            arms: ctx.arms.as_ref(),
            include_all: ctx.request.include_all,
            without,
        },
    );
    let mme = ctx.mme.as_deref().map(|rows| exercises::mme(rows, ccode, view)).ok_or_else(|| absent(&[Dataset::Mme]));
    CountryCore {
        state: StateInfo {
            ccode,
            abb: ctx.index.label(ccode),
            name: ctx.index.name(ccode),
            iso3: state.and_then(|s| s.iso3.clone()),
            spells: state.map(|s| s.spells.clone()).unwrap_or_default(),
        },
        view,
        reference_year: view.reference_year(),
        overview: overview::overview(&timeline, &partners),
        exercises: parts::Exercises { series: exercises::series(ccode, view, &ctx.series), mme },
        timeline,
        partners,
    }
}

/// Alliance ties up to the reference year: ATOP's through 2018 extended by the registry's
/// agreements to the reference year (`both`), else the registry's own.
fn ties(store: &Store, ctx: &Context) -> Result<(AllianceTies, String)> {
    let until = ctx.reference_year().max(ATOP.last);
    Ok(if store.has_dataset(Dataset::Atop)? {
        (
            alliance_ties(store, TieSource::Both, &ctx.index, until)?,
            format!(
                "ATOP 5.1's alliances through {}, with the registry's agreements in place of those they code and on to {until}; after {} only the registry's agreements are known",
                ATOP.last, ATOP.last
            ),
        )
    } else {
        (
            alliance_ties(store, TieSource::Curated, &ctx.index, until)?,
            format!(
                "the registry's agreements through {until} (ATOP is not imported: `{}`)",
                fetch_command(&[Dataset::Atop])
            ),
        )
    })
}

/// Every part, for the report and the country page. `recommender` is the loaded model
/// when the caller keeps one (the web, per store revision); else it is loaded here.
pub fn assess(store: &Store, ctx: &Context, recommender: Option<&Recommender>) -> Result<CountryAssessment> {
    let core = core(ctx);
    let (ties, basis) = ties(store, ctx)?;
    let network = network(store, ctx, &ties, &basis)?;
    let capabilities = capabilities(store, ctx, &core, &ties, &basis)?;
    let arms = arms(store, ctx)?;
    let impact = impact(store, ctx, &core)?;
    let challenges = challenges_with(store, ctx, &core, &ties, &basis)?;
    let recommendations = recommendations(store, ctx, recommender)?;
    let sources = sources(store, ctx, &core)?;
    Ok(CountryAssessment { core, network, capabilities, arms, impact, challenges, recommendations, sources })
}

fn network(store: &Store, ctx: &Context, ties: &AllianceTies, basis: &str) -> Result<Part<parts::NetworkPosition>> {
    let reference = ctx.reference_year();
    let first = ctx.index.get(ctx.ccode).and_then(|s| (YEARS.first..=reference).find(|&y| s.member_in(y)));
    let Some(first) = first else {
        return Ok(Err(Missing {
            datasets: vec![],
            what: format!("{} is not a member of the state system by {reference}", ctx.index.name(ctx.ccode)),
            import: vec![],
        }));
    };
    let (system, _) = system(store, &ctx.index, (first, reference))?;
    let results =
        network_measures::measure_years(&system, &ties.dyads, Level::Any, first..=reference, &Options::default());
    Ok(Ok(net::position(
        ctx.ccode,
        &results,
        reference,
        format!(
            "Ties: {basis}. Two states are linked in a year when they share an agreement with an obligation in force (any obligation). Measures as networkx defines them (degree, eigenvector and betweenness centrality); ranks are among all members of the state system that year."
        ),
    )))
}

fn capabilities(
    store: &Store,
    ctx: &Context,
    core: &CountryCore,
    ties: &AllianceTies,
    basis: &str,
) -> Result<parts::Capabilities> {
    let reference = ctx.reference_year();
    let cinc = match nmc(store)? {
        None => Err(absent(&[Dataset::Nmc])),
        Some(caps) => {
            let years: std::collections::BTreeSet<i32> =
                store.nmc()?.iter().filter(|r| r.ccode == ctx.ccode && r.year <= reference).map(|r| r.year).collect();
            Ok(capabilities::cinc(
                ctx.ccode,
                years.into_iter(),
                &ties.dyads,
                &caps,
                format!("Defense partners: states with a defense or offense obligation toward it, or it toward them, that year. Ties: {basis}."),
            ))
        }
    };
    let (values, measure): (HashMap<(Ccode, i32), f64>, String) = if store.has_dataset(Dataset::SipriMilex)? {
        (
            store.sipri()?.into_iter().map(|r| ((r.ccode, r.year), r.usd2017m)).collect(),
            "SIPRI, millions of constant 2017 US$".into(),
        )
    } else if store.has_dataset(Dataset::Nmc)? {
        (
            store.nmc()?.into_iter().filter_map(|r| Some(((r.ccode, r.year), r.milex?))).collect(),
            format!(
                "COW NMC, thousands of current US$ (SIPRI is not imported: `{}`)",
                fetch_command(&[Dataset::SipriMilex])
            ),
        )
    } else {
        (HashMap::new(), String::new())
    };
    let burden = if measure.is_empty() {
        Err(Missing {
            datasets: vec![Dataset::SipriMilex.as_str(), Dataset::Nmc.as_str()],
            what: "military expenditure: the SIPRI data (preferred) or the COW NMC".into(),
            import: vec![fetch_command(&[Dataset::SipriMilex])],
        })
    } else {
        let mut alliances = timeline::main_alliances(&core.timeline, &ctx.agreements);
        alliances.truncate(BURDEN_ALLIANCES);
        Ok(capabilities::burden(
            ctx.ccode,
            &alliances,
            &capabilities::Expenditure { values: &values, measure },
            reference,
        ))
    };
    Ok(parts::Capabilities { cinc, burden })
}

fn arms(store: &Store, ctx: &Context) -> Result<Part<Arms>> {
    if let Some(m) = missing(store, &[Dataset::SipriArms])? {
        return Ok(Err(m));
    }
    let until = (!ctx.request.view.is_history()).then(|| ctx.reference_year());
    let profile = crate::arms::profile(store, ctx.ccode, until)?;
    let chart_svg =
        crate::arms::chart(&ctx.index, ctx.ccode, Side::Imports, Some(profile.coverage), &profile.main_suppliers);
    Ok(Ok(Arms { headline: profile.event_study_headline(), profile, chart_svg }))
}

fn impact(store: &Store, ctx: &Context, core: &CountryCore) -> Result<Part<Impact>> {
    if let Some(m) = missing(store, &[Dataset::Nmc])? {
        return Ok(Err(m));
    }
    let found = impact::entry_studies(store, ctx.ccode, &core.timeline, &ctx.agreements, IMPACT_STUDIES, &ctx.index)?;
    let studies = found
        .studies
        .iter()
        .map(|s| ImpactStudy {
            agreement_id: s.agreement_id.clone(),
            agreement: s.agreement.clone(),
            entry_year: s.entry_year,
            outcome: s.result.outcome.label.to_owned(),
            result: s.result.event_study.clone(),
            headline: s.result.headline.clone(),
            sample: s.result.sample.clone(),
            warnings: s.result.warnings.clone(),
            summary: impact::summary(&s.result, &ctx.index),
            chart_svg: impact::chart(&s.result, &s.study, &ctx.index),
            chart_title: impact::chart_title(&s.result, &s.study, &ctx.index),
        })
        .collect();
    Ok(Ok(Impact { studies, skipped: found.skipped }))
}

/// The challenges part alone (for `pactbase challenges` and its endpoint).
pub fn challenges(store: &Store, ctx: &Context) -> Result<Challenges> {
    let core = core(ctx);
    let (ties, basis) = ties(store, ctx)?;
    challenges_with(store, ctx, &core, &ties, &basis)
}

fn challenges_with(
    store: &Store,
    ctx: &Context,
    core: &CountryCore,
    ties: &AllianceTies,
    basis: &str,
) -> Result<Challenges> {
    let (ccode, reference, view) = (ctx.ccode, ctx.reference_year(), ctx.request.view);
    let (invocations, reservations) = challenges::invocations_and_reservations(ccode, &ctx.agreements, reference);
    let episodes = challenges::episodes(ccode, &ctx.agreements, reference);
    let label = |id: &str| ctx.agreement_ref(id);
    let years = (YEARS.first, reference);
    let (conflicts, rival_pledges) = match &ctx.rivalries {
        Some(rivalries) => (
            Ok(Found {
                items: challenges::commitment_conflicts(ccode, &ties.dyads, rivalries, years, &label),
                examined: format!(
                    "{} strategic rivalries (Thompson, Sakuwa & Suhas) against the defense obligations in force each year to {reference}",
                    rivalries.len()
                ),
            }),
            Ok(Found {
                items: challenges::rival_pledges(&core.partners, rivalries, reference),
                examined: format!(
                    "its commitments toward the {} states it is tied to, against {} strategic rivalries",
                    core.partners.ranked.len(),
                    rivalries.len()
                ),
            }),
        ),
        None => (Err(absent(&[Dataset::Rivalries])), Err(absent(&[Dataset::Rivalries]))),
    };
    // In a year's view, the agreements that stand then; in the history view, all.
    let standing: Vec<Agreement> = ctx
        .agreements
        .iter()
        .filter(|a| view.is_history() || core.timeline.memberships.iter().any(|m| m.agreement_id == a.id && m.stands()))
        .cloned()
        .collect();
    let caps = nmc(store)?;
    let weaker = |a: &Agreement| -> Option<bool> {
        let cap = caps.as_ref()?;
        let joined = a.memberships_of(ccode).map(|m| m.joined.year).min()?;
        let cinc = |c| cap.get(c, joined).and_then(|r| r.cinc);
        let own = cinc(ccode)?;
        let strongest = a.parties().into_iter().filter(|&p| p != ccode).filter_map(cinc).reduce(f64::max)?;
        Some(own < strongest)
    };
    let atop_coding = |id: u32| store.atop_coding(id).ok().flatten().map(|c| c.alliance);
    let sovereignty = challenges::sovereignty_costs(ccode, &standing, &atop_coding, &weaker);
    let sovereignty = Found {
        examined: format!(
            "{} agreements {} it is a party to: ATOP's coding of bases, integrated command and subordination where ATOP codes the agreement, else the registry's provisions; aid dependence from the aid provisions and NMC capabilities",
            sovereignty.len(),
            if view.is_history() { "ever".to_string() } else { format!("in force in {reference}") }
        ),
        items: sovereignty,
    };
    let overlaps = Found {
        items: challenges::overlapping_commitments(&core.partners, reference),
        examined: format!(
            "the agreements that make it partners with each of {} states, year by year to {reference}",
            core.partners.ranked.len()
        ),
    };
    let current: Vec<(Ccode, usize)> = core
        .partners
        .current()
        .filter(|p| p.rival.as_ref().is_none_or(|r| !r.active))
        .take(INTEROPERABILITY_PARTNERS)
        .map(|p| (p.ccode, p.depth.exercises))
        .collect();
    let interoperability = challenges::interoperability(ccode, &current, &ctx.registry, &atop_coding, reference);
    Ok(Challenges {
        ccode,
        basis: format!("Ties: {basis}."),
        invocations,
        reservations,
        episodes,
        conflicts,
        rival_pledges,
        sovereignty,
        overlaps,
        interoperability,
    })
}

fn recommendations(store: &Store, ctx: &Context, recommender: Option<&Recommender>) -> Result<Part<Recommendations>> {
    if let Some(m) = missing(store, &[Dataset::Atop, Dataset::Nmc])? {
        return Ok(Err(m));
    }
    let loaded;
    let model = match recommender {
        Some(r) => r,
        None => {
            loaded = Recommender::load(store)?;
            &loaded
        }
    };
    // The model reads the network as far as its data reach: a later reference year is
    // answered as of their end.
    let as_of = ctx.reference_year().min(model.last_year());
    let options = RecommendOptions { horizon: HORIZON, ..Default::default() };
    Ok(match model.recommend(ctx.ccode, as_of, RECOMMENDED, &options, Listing::default()) {
        Ok(found) => Ok(Recommendations {
            as_of,
            horizon: found.horizon,
            learnt_from: (found.training_years.0, found.training_years.1 + found.horizon),
            partners: found.partners,
            left_out: found.left_out,
            datasets_missing: found.datasets_missing,
        }),
        Err(e) => Err(Missing {
            datasets: vec![],
            what: format!("a model for this state as of {as_of} ({e})"),
            import: vec![],
        }),
    })
}

fn sources(store: &Store, ctx: &Context, core: &CountryCore) -> Result<Sources> {
    let mut seen = std::collections::BTreeSet::new();
    let agreements = core
        .timeline
        .memberships
        .iter()
        .filter(|m| seen.insert(m.agreement_id.clone()))
        .filter_map(|m| ctx.agreements.iter().find(|a| a.id == m.agreement_id))
        .map(|a| CitedSources { id: a.id.clone(), label: a.label().to_owned(), sources: a.sources.clone() })
        .collect();
    let exercises = core
        .exercises
        .series
        .iter()
        .map(|s| CitedSources { id: s.id.clone(), label: s.name.clone(), sources: s.sources.clone() })
        .collect();
    let datasets = store
        .datasets()?
        .into_iter()
        .map(|d| DatasetRecord {
            file: Path::new(&d.path).file_name().map_or_else(|| d.path.clone(), |f| f.to_string_lossy().into_owned()),
            citation: catalogue().get(d.dataset).citation.clone(),
            dataset: d.dataset.to_string(),
            version: d.version,
            sha256: d.sha256,
            rows: d.rows,
            imported_at: d.imported_at,
        })
        .collect();
    let mut not_imported = Vec::new();
    for d in DATASETS {
        if !store.has_dataset(d)? {
            not_imported.push((catalogue().get(d).title.clone(), fetch_command(&[d])));
        }
    }
    Ok(Sources { agreements, exercises, datasets, not_imported })
}
