//! `pactbase report S`: the self-contained HTML country report. This module gathers
//! [`ReportData`] from the store with the loaders the other commands use; the
//! `pactbase-report` crate turns it into HTML. A section whose dataset is not imported
//! says so (with the import command) instead of failing the report.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use pactbase_analysis::network::{self, Level, Options};
use pactbase_analysis::panel::{self, DyadTable};
use pactbase_analysis::profile::{main_alliances, profile, Profile};
use pactbase_ingest::catalogue::catalogue;
use pactbase_model::research::{Dataset, MmeExercise, MME_DOMAINS};
use pactbase_model::{Agreement, Ccode, ExerciseSeries, Source, StateIndex, Vocabulary};
use pactbase_report::{
    AllianceBurden, Burden, Capabilities, Challenges, CincSeries, CincYear, CitedSources, ConflictRow, DatasetRow,
    ExerciseSeriesRow, Exercises, Impact, ImpactStudy, MembershipRow, Missing, Mme, Network, NetworkYear, OverlapRow,
    Part, PartnerExercises, PartnerRow, RecommendationRow, Recommendations, RelativeYearRow, ReportData, SourceRow,
    Sources, SovereigntyRow, StateInfo, StateRef, Timeline,
};
use pactbase_store::{AgreementFilter, Store};

use super::research::{self, REGISTRY_LAST_YEAR};
use crate::cli::TieSource;
use crate::failure::Result;
use crate::output::Output;
use crate::resolve;
use pactbase_service::impact::EntryStudy;

/// The datasets a report can use.
pub const DATASETS: [Dataset; 6] =
    [Dataset::Atop, Dataset::CowStates, Dataset::Nmc, Dataset::Mme, Dataset::SipriMilex, Dataset::Rivalries];

/// How many of the state's alliance entries the impact section studies.
const IMPACT_STUDIES: usize = 3;
/// How many alliances the burden-sharing part shows.
const BURDEN_ALLIANCES: usize = 4;

pub fn report(store: &Store, query: &str, out: &Output) -> Result {
    let index = store.state_index()?;
    let ccode = resolve::state(&index, query)?;
    let data = gather(store, &index, ccode)?;
    let html = pactbase_report::render(&data);
    out.raw(&html)?;
    if let Some(path) = &out.path {
        eprintln!("pactbase: wrote the report on {} to {}", data.state.name, path.display());
    }
    Ok(())
}

/// Everything the report shows about `ccode`.
pub fn gather(store: &Store, index: &StateIndex, ccode: Ccode) -> Result<ReportData> {
    let imported: BTreeSet<Dataset> = DATASETS.into_iter().filter(|&d| store.has_dataset(d).unwrap_or(false)).collect();
    let missing = |datasets: &[Dataset]| -> Option<Missing> {
        let absent: Vec<Dataset> = datasets.iter().copied().filter(|d| !imported.contains(d)).collect();
        (!absent.is_empty()).then(|| Missing {
            what: absent.iter().map(|&d| format!("the {}", catalogue().get(d).title)).collect::<Vec<_>>().join(" and "),
            import: vec![super::data::fetch_command(&absent)],
        })
    };
    let sref = |c: Ccode| StateRef { name: index.name(c), abb: index.label(c) };

    let agreements = store.agreements(&AgreementFilter { member: Some(ccode), ..Default::default() })?;
    let series = store.exercises(Some(ccode))?;
    let p = profile(ccode, None, &agreements, &series, REGISTRY_LAST_YEAR);
    let by_id: HashMap<&str, &Agreement> = agreements.iter().map(|a| (a.id.as_str(), a)).collect();

    let state = index.get(ccode);
    let state_info = StateInfo {
        ccode,
        abb: index.label(ccode),
        name: index.name(ccode),
        iso3: state.and_then(|s| s.iso3.clone()),
        spells: state
            .map(|s| s.spells.iter().map(|sp| (sp.start.to_string(), sp.end.map(|e| e.to_string()))).collect())
            .unwrap_or_default(),
    };

    // ATOP ties (network position, defense partners), loaded once when imported.
    let atop = if imported.contains(&Dataset::Atop) {
        Some(research::alliance_ties(store, TieSource::Atop, index, panel::ATOP_END.year)?)
    } else {
        None
    };
    let network = match &atop {
        Some(ties) => Ok(network_position(store, index, ccode, &ties.dyads)?),
        None => Err(missing(&[Dataset::Atop]).expect("atop is not imported")),
    };

    let data = ReportData {
        state: state_info,
        as_of: REGISTRY_LAST_YEAR,
        generator: format!("pactbase {}", env!("CARGO_PKG_VERSION")),
        timeline: Timeline { memberships: memberships(&p, &by_id, &sref) },
        partners: p
            .partners
            .iter()
            .map(|pt| PartnerRow {
                partner: sref(pt.ccode),
                strongest: pt.strongest.map(|o| o.as_str().to_owned()),
                tie_out: pt.tie_out,
                tie_in: pt.tie_in,
                first_year: pt.first_year,
                last_year: pt.last_year,
                agreements: pt.agreements.iter().map(|id| label_of(&by_id, id)).collect(),
            })
            .collect(),
        network,
        exercises: Exercises {
            series: series
                .iter()
                .map(|s| ExerciseSeriesRow {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    partners: s.participants.iter().filter(|&&c| c != ccode).map(|&c| sref(c)).collect(),
                    domains: s.domains.iter().map(|d| d.as_str().to_owned()).collect(),
                    focus: s.focus.iter().map(|f| f.as_str().to_owned()).collect(),
                    years: s.years.clone(),
                    agreement: s.agreement.clone(),
                })
                .collect(),
            mme: match missing(&[Dataset::Mme]) {
                Some(m) => Err(m),
                None => Ok(mme(&store.mme()?, ccode, &sref)),
            },
        },
        capabilities: Capabilities {
            cinc: match missing(&[Dataset::Nmc]) {
                Some(m) => Err(m),
                None => Ok(cinc(store, index, ccode, atop.as_ref().map(|t| &t.dyads))?),
            },
            burden: burden(store, ccode, &p, &agreements, &sref, &imported)?,
        },
        impact: match missing(&[Dataset::Nmc]) {
            Some(m) => Err(m),
            None => Ok(impact(store, index, ccode, &p, &agreements)?),
        },
        challenges: challenges(store, ccode, &sref, &by_id, missing(&[Dataset::Rivalries]))?,
        recommendations: match missing(&[Dataset::Atop, Dataset::Nmc]) {
            Some(m) => Err(m),
            None => recommendations(store, ccode, &sref)?,
        },
        sources: sources(store, &p, &by_id, &series, &imported)?,
    };
    Ok(data)
}

fn label_of(by_id: &HashMap<&str, &Agreement>, id: &str) -> String {
    by_id.get(id).map_or_else(|| id.to_owned(), |a| a.label().to_owned())
}

fn memberships(p: &Profile, by_id: &HashMap<&str, &Agreement>, sref: &dyn Fn(Ccode) -> StateRef) -> Vec<MembershipRow> {
    p.memberships
        .iter()
        .map(|m| {
            let ended = by_id.get(m.agreement_id.as_str()).and_then(|a| a.ended).map(|e| e.year);
            MembershipRow {
                agreement_id: m.agreement_id.clone(),
                label: m.label.clone(),
                name: m.agreement.clone(),
                kinds: m.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
                joined: m.joined.to_string(),
                joined_year: m.joined.year,
                left: m.left.map(|l| l.to_string()),
                last_year: [m.left.map(|l| l.year), ended].into_iter().flatten().min(),
                role: m.role.to_string(),
                obligations: m.obligations.iter().map(|o| o.as_str().to_owned()).collect(),
                owed: m.owed.iter().map(|o| o.as_str().to_owned()).collect(),
                partners: m.partners.iter().map(|&c| sref(c)).collect(),
            }
        })
        .collect()
}

/// Degree, eigenvector and betweenness of `ccode` in every year it is in the ATOP network.
fn network_position(store: &Store, index: &StateIndex, ccode: Ccode, dyads: &DyadTable) -> Result<Network> {
    let last = panel::ATOP_END.year;
    let first = index.get(ccode).and_then(|s| (1816..=last).find(|&y| s.member_in(y))).unwrap_or(last);
    let (system, _) = research::system(store, index, (first, last))?;
    let results = network::measure_years(&system, dyads, Level::Any, first..=last, &Options::default());
    let years = results
        .iter()
        .filter_map(|r| {
            let own = r.nodes.iter().find(|n| n.ccode == ccode)?;
            let rank = |f: &dyn Fn(&network::NodeMeasures) -> f64| {
                1 + r.nodes.iter().filter(|n| f(n) > f(own) + 1e-12).count()
            };
            Some(NetworkYear {
                year: r.graph.year,
                degree: own.degree,
                eigenvector: own.eigenvector,
                betweenness: own.betweenness,
                states: r.nodes.len(),
                eigenvector_rank: rank(&|n| n.eigenvector),
                degree_rank: rank(&|n| f64::from(n.degree)),
            })
        })
        .collect();
    Ok(Network {
        basis: format!(
            "ATOP 5.1 alliances among the members of the state system, {first}–{last}: two states are linked in a year when they share an alliance in force (any obligation). Measures as networkx defines them (docs/PERFORMANCE.md, FIELD.md §5)."
        ),
        years,
    })
}

fn mme(all: &[MmeExercise], ccode: Ccode, sref: &dyn Fn(Ccode) -> StateRef) -> Mme {
    let coverage = (all.iter().map(|e| e.year).min().unwrap_or(1980), all.iter().map(|e| e.year).max().unwrap_or(2016));
    let own: Vec<&MmeExercise> = all.iter().filter(|e| e.participants.contains(&ccode)).collect();
    let mut per_year: BTreeMap<i32, usize> = (coverage.0..=coverage.1).map(|y| (y, 0)).collect();
    let mut by_domain = [0usize; 6];
    struct Acc {
        count: usize,
        first: i32,
        last: i32,
        domains: [usize; 6],
    }
    let mut partners: BTreeMap<Ccode, Acc> = BTreeMap::new();
    for e in &own {
        *per_year.entry(e.year).or_default() += 1;
        for (k, &on) in e.domains.iter().enumerate() {
            by_domain[k] += usize::from(on);
        }
        let others: BTreeSet<Ccode> = e.participants.iter().copied().filter(|&c| c != ccode).collect();
        for c in others {
            let a = partners.entry(c).or_insert(Acc { count: 0, first: e.year, last: e.year, domains: [0; 6] });
            a.count += 1;
            a.first = a.first.min(e.year);
            a.last = a.last.max(e.year);
            for (k, &on) in e.domains.iter().enumerate() {
                a.domains[k] += usize::from(on);
            }
        }
    }
    let named = |counts: &[usize; 6]| -> Vec<(String, usize)> {
        MME_DOMAINS.iter().zip(counts).map(|(d, &n)| ((*d).to_owned(), n)).collect()
    };
    let mut by_partner: Vec<PartnerExercises> = partners
        .into_iter()
        .map(|(c, a)| PartnerExercises {
            partner: sref(c),
            count: a.count,
            first_year: a.first,
            last_year: a.last,
            by_domain: named(&a.domains),
        })
        .collect();
    by_partner.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.partner.name.cmp(&b.partner.name)));
    Mme {
        coverage,
        total: own.len(),
        per_year: per_year.into_iter().collect(),
        by_domain: named(&by_domain),
        by_partner,
    }
}

/// States holding, or owed, a defense or offense obligation with `ccode`, per year.
fn defense_partners(dyads: &DyadTable, ccode: Ccode, year: i32) -> BTreeSet<Ccode> {
    dyads
        .year_range(year)
        .filter_map(|k| {
            let (_, a, b) = dyads.keys[k];
            let o = &dyads.ties[k].obligations;
            if !(o.defense || o.offense) {
                return None;
            }
            if a == ccode {
                Some(b)
            } else if b == ccode {
                Some(a)
            } else {
                None
            }
        })
        .collect()
}

fn cinc(store: &Store, index: &StateIndex, ccode: Ccode, atop: Option<&DyadTable>) -> Result<CincSeries> {
    let caps = research::capabilities(store)?.expect("nmc is imported");
    let registry;
    let (dyads, last, basis) = match atop {
        Some(d) => (d, panel::ATOP_END.year, "Defense partners: states with a defense or offense obligation toward it, or it toward them, in ATOP 5.1 that year (through 2018, ATOP's last year)."),
        None => {
            registry = research::alliance_ties(store, TieSource::Curated, index, REGISTRY_LAST_YEAR)?;
            (&registry.dyads, registry.last_year, "Defense partners: states with a defense or offense obligation toward it, or it toward them, in the registry that year (ATOP is not imported).")
        }
    };
    let nmc_years: BTreeSet<i32> =
        store.nmc()?.iter().filter(|r| r.ccode == ccode && r.year <= last).map(|r| r.year).collect();
    let years = nmc_years
        .iter()
        .map(|&year| {
            let partners = defense_partners(dyads, ccode, year);
            let values: Vec<f64> = partners.iter().filter_map(|&c| caps.get(c, year).and_then(|r| r.cinc)).collect();
            CincYear {
                year,
                own: caps.get(ccode, year).and_then(|r| r.cinc),
                allied: (!values.is_empty()).then(|| values.iter().sum()),
                partners: partners.len(),
            }
        })
        .collect();
    Ok(CincSeries { basis: basis.to_owned(), years })
}

/// Members with their expenditure in a year, and members without a figure.
type Shares = (Vec<(Ccode, f64)>, Vec<Ccode>);

fn burden(
    store: &Store,
    ccode: Ccode,
    p: &Profile,
    agreements: &[Agreement],
    sref: &dyn Fn(Ccode) -> StateRef,
    imported: &BTreeSet<Dataset>,
) -> Result<Part<Burden>> {
    let (values, measure): (HashMap<(Ccode, i32), f64>, &str) = if imported.contains(&Dataset::SipriMilex) {
        (
            store.sipri()?.into_iter().map(|r| ((r.ccode, r.year), r.usd2017m)).collect(),
            "SIPRI, millions of constant 2017 US$",
        )
    } else if imported.contains(&Dataset::Nmc) {
        (
            store.nmc()?.into_iter().filter_map(|r| Some(((r.ccode, r.year), r.milex?))).collect(),
            "COW NMC, thousands of current US$ (SIPRI is not imported: `pactbase data fetch sipri-milex`)",
        )
    } else {
        return Ok(Err(Missing {
            what: "military expenditure: the SIPRI data (preferred) or the COW NMC".into(),
            import: vec![super::data::fetch_command(&[Dataset::SipriMilex])],
        }));
    };
    let mut alliances = Vec::new();
    for (a, _) in main_alliances(p, agreements) {
        if alliances.len() == BURDEN_ALLIANCES {
            break;
        }
        let own_years: BTreeSet<i32> = a
            .memberships_of(ccode)
            .flat_map(|m| {
                let end = [m.left.map(|l| l.year), a.ended.map(|e| e.year)].into_iter().flatten().min();
                m.joined.year..=end.unwrap_or(REGISTRY_LAST_YEAR)
            })
            .filter(|&y| a.active_in(y))
            .collect();
        let members =
            |y: i32| -> BTreeSet<Ccode> { a.members.iter().filter(|m| m.active_in(y)).map(|m| m.ccode).collect() };
        let shares = |y: i32| -> Option<Shares> {
            let (with, without): (Vec<Ccode>, Vec<Ccode>) =
                members(y).into_iter().partition(|c| values.contains_key(&(*c, y)));
            (values.contains_key(&(ccode, y)) && with.len() >= 2)
                .then(|| (with.iter().map(|&c| (c, values[&(c, y)])).collect(), without))
        };
        // The latest year of the membership with the state's figure and at least one ally's.
        let Some(year) = own_years.iter().rev().copied().find(|&y| shares(y).is_some()) else { continue };
        let (with, without) = shares(year).expect("found above");
        let total: f64 = with.iter().map(|x| x.1).sum();
        let mut rows: Vec<(StateRef, f64, f64)> = with.iter().map(|&(c, v)| (sref(c), v, v / total)).collect();
        rows.sort_by(|x, y| y.2.total_cmp(&x.2));
        let own_share = own_years
            .iter()
            .filter_map(|&y| {
                let (with, without) = shares(y)?;
                if !without.is_empty() {
                    return None;
                }
                let total: f64 = with.iter().map(|x| x.1).sum();
                with.iter().find(|x| x.0 == ccode).map(|x| (y, x.1 / total))
            })
            .collect();
        alliances.push(AllianceBurden {
            agreement_id: a.id.clone(),
            label: a.label().to_owned(),
            year,
            members: rows,
            without_data: without.iter().map(|&c| sref(c)).collect(),
            own_share,
        });
    }
    Ok(Ok(Burden { measure: measure.to_owned(), alliances }))
}

fn impact(store: &Store, index: &StateIndex, ccode: Ccode, p: &Profile, agreements: &[Agreement]) -> Result<Impact> {
    let found = pactbase_service::impact::entry_studies(store, ccode, p, agreements, IMPACT_STUDIES, index)
        .map_err(research::failure)?;
    let mut studies = Vec::new();
    for EntryStudy { agreement, entry_year, study, result: r, .. } in &found.studies {
        let e = &r.event_study;
        let names: Vec<String> = e.comparison_states.iter().take(10).map(|&c| index.label(c)).collect();
        let est = |e: &pactbase_analysis::impact::Estimate| (e.value, e.ci_low, e.ci_high);
        studies.push(ImpactStudy {
            agreement: agreement.to_owned(),
            entry_year: *entry_year,
            outcome: r.outcome.label.to_owned(),
            estimator: e.estimator.name().to_owned(),
            inference: e.estimator.inference().to_owned(),
            comparison: format!(
                "States never bound by {} ({} states, e.g. {}{}), observed over the same years.",
                agreement,
                e.comparison_states.len(),
                names.join(", "),
                if e.comparison_states.len() > names.len() { ", …" } else { "" }
            ),
            comparison_states: e.comparison_states.len(),
            post_effect: e.effect().map(est),
            headline: r.headline.clone(),
            sample: r.sample.clone(),
            caveats: r.warnings.clone(),
            summary: pactbase_service::impact::summary(r, index),
            chart_svg: pactbase_service::impact::chart(r, study, index),
            rows: e
                .relative_years
                .iter()
                .map(|y| RelativeYearRow {
                    relative_year: y.relative_year,
                    estimate: y.estimate.as_ref().map(est),
                    treated: y.treated,
                    comparison: y.comparison,
                })
                .collect(),
        });
    }
    Ok(Impact { studies, skipped: found.skipped })
}

fn year_spans(spans: &[(i32, i32)]) -> String {
    spans.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect::<Vec<_>>().join(", ")
}

fn challenges(
    store: &Store,
    ccode: Ccode,
    sref: &dyn Fn(Ccode) -> StateRef,
    by_id: &HashMap<&str, &Agreement>,
    rivalries_missing: Option<Missing>,
) -> Result<Challenges> {
    let c = pactbase_service::challenges(store, ccode, None).map_err(research::failure)?;
    let basis = match c.ties {
        "both" => "Alliance ties from ATOP 5.1 (through 2018) with the registry's agreements in place of the ATOP alliances they code (through 2025).",
        _ => "Alliance ties from the registry (ATOP is not imported: `pactbase data fetch atop`).",
    };
    let label = |id: &String| label_of(by_id, id);
    Ok(Challenges {
        basis: basis.to_owned(),
        conflicts: match rivalries_missing {
            Some(m) => Err(m),
            None => Ok(c
                .conflicts
                .iter()
                .map(|k| ConflictRow {
                    holder: sref(k.holder),
                    a: sref(k.a),
                    b: sref(k.b),
                    rivalry: k.rivalry.clone(),
                    years: year_spans(&k.spans),
                    toward_a: k.toward_a.clone(),
                    toward_b: k.toward_b.clone(),
                })
                .collect()),
        },
        sovereignty: c
            .sovereignty
            .iter()
            .map(|s| {
                let parts = [
                    ("foreign bases", &s.foreign_bases),
                    ("integrated command", &s.integrated_command),
                    ("subordination", &s.subordination),
                    ("aid dependence", &s.aid_dependence),
                ];
                SovereigntyRow {
                    agreement_id: s.agreement_id.clone(),
                    agreement: s.agreement.clone(),
                    index: s.index,
                    components: parts.map(|(_, c)| c.as_ref().map(|c| c.value)),
                    basis: parts
                        .iter()
                        .filter_map(|(k, c)| {
                            c.as_ref().filter(|c| c.value > 0.0).map(|c| ((*k).to_owned(), c.basis.clone()))
                        })
                        .collect(),
                }
            })
            .collect(),
        overlaps: c
            .overlaps
            .iter()
            .map(|o| OverlapRow {
                partner: sref(o.partner),
                agreements: o.agreements.iter().map(label).collect(),
                years: year_spans(&o.spans),
            })
            .collect(),
    })
}

fn recommendations(store: &Store, ccode: Ccode, sref: &dyn Fn(Ccode) -> StateRef) -> Result<Part<Recommendations>> {
    let (as_of, top) = (pactbase_service::recommend::DEFAULT_YEAR, 10);
    let model = super::recommend::load(store)?;
    let options = pactbase_analysis::recommend::Options::default();
    let found = match model.recommend(ccode, as_of, top, &options, Default::default()) {
        Ok(r) => r,
        Err(e) => {
            return Ok(Err(Missing { what: format!("a model for this state as of {as_of} ({e})"), import: Vec::new() }))
        }
    };
    Ok(Ok(Recommendations {
        as_of,
        horizon: found.horizon,
        learnt_from: (found.training_years.0, found.training_years.1 + found.horizon),
        rows: found
            .partners
            .iter()
            .map(|p| RecommendationRow { partner: sref(p.partner), score: p.score, reasons: p.reasons.clone() })
            .collect(),
        left_out: found.left_out.iter().map(|l| (sref(l.partner), l.why.join("; "))).collect(),
    }))
}

fn source_rows(sources: &[Source]) -> Vec<SourceRow> {
    sources
        .iter()
        .map(|s| SourceRow {
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            reference: s.reference.clone(),
            consulted: s.consulted.map(|c| c.to_string()),
        })
        .collect()
}

fn sources(
    store: &Store,
    p: &Profile,
    by_id: &HashMap<&str, &Agreement>,
    series: &[ExerciseSeries],
    imported: &BTreeSet<Dataset>,
) -> Result<Sources> {
    let mut seen = BTreeSet::new();
    let agreements = p
        .memberships
        .iter()
        .filter(|m| seen.insert(m.agreement_id.clone()))
        .filter_map(|m| by_id.get(m.agreement_id.as_str()))
        .map(|a| CitedSources { id: a.id.clone(), label: a.label().to_owned(), sources: source_rows(&a.sources) })
        .collect();
    let exercises = series
        .iter()
        .map(|s| CitedSources { id: s.id.clone(), label: s.name.clone(), sources: source_rows(&s.sources) })
        .collect();
    let datasets = store
        .datasets()?
        .into_iter()
        .map(|d| DatasetRow {
            file: Path::new(&d.path).file_name().map_or_else(|| d.path.clone(), |f| f.to_string_lossy().into_owned()),
            citation: catalogue().get(d.dataset).citation.clone(),
            dataset: d.dataset.to_string(),
            version: d.version,
            sha256: d.sha256,
            rows: d.rows,
            imported_at: d.imported_at,
        })
        .collect();
    let not_imported = DATASETS
        .into_iter()
        .filter(|d| !imported.contains(d))
        .map(|d| (catalogue().get(d).title.clone(), super::data::fetch_command(&[d])))
        .collect();
    Ok(Sources { agreements, exercises, datasets, not_imported })
}
