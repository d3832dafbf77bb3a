//! `pactbase.Registry`: a handle on the database the CLI uses, with the CLI's commands as
//! methods. Each method releases the GIL for its whole run; the store is locked only while
//! it is read, so threads can compute on one handle at once.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use pactbase_analysis::assessment::View;
use pactbase_analysis::impact::{Bound, ComparisonGroup, Estimator};
use pactbase_analysis::panel::{self, With};
use pactbase_analysis::recommend::{Listing, Options};
use pactbase_analysis::similarity;
use pactbase_ingest::curated::DataFiles;
use pactbase_model::research::Dataset;
use pactbase_model::{AgreementKind, Vocabulary};
use pactbase_service::assessment::{self, Context, Request};
use pactbase_service::impact::{self, ImpactOutcome, Study, Treated};
use pactbase_service::network::NetworkData;
use pactbase_service::provenance::Provenance;
use pactbase_service::recommend::DEFAULT_YEAR;
use pactbase_service::registry::Listed;
use pactbase_service::similarity::SimilarityData;
use pactbase_service::{database, import, PanelData, Recommender};
use pactbase_store::{AgreementFilter, KindFilter, Store};
use pyo3::prelude::*;

use crate::arguments::{self, Names, Window, Years};
use crate::errors::{Failure, Result};
use crate::tables;

/// A handle on a pactbase database (see `pactbase.open`).
#[pyclass(module = "pactbase", frozen)]
pub struct Registry {
    path: PathBuf,
    store: Mutex<Store>,
}

impl Registry {
    fn store(&self) -> Result<MutexGuard<'_, Store>> {
        self.store
            .lock()
            .map_err(|_| Failure::Other("a call failed midway while reading the database; open it again".into()))
    }

    /// The provenance the CLI's Parquet output of `command` would carry.
    fn provenance(store: &Store, command: Vec<String>, datasets: &[Dataset]) -> Result<Vec<(String, String)>> {
        Ok(Provenance::of(store, command, datasets)?.key_values())
    }
}

/// The CLI command that writes the same table, for the provenance metadata.
fn cli_command(words: &[&str], options: &[(&str, Option<String>)]) -> Vec<String> {
    let mut command: Vec<String> = ["pactbase"].iter().chain(words).map(|w| w.to_string()).collect();
    for (flag, value) in options {
        if let Some(value) = value {
            command.push(format!("--{flag}"));
            if !value.is_empty() {
                command.push(value.clone());
            }
        }
    }
    command
}

fn years_text(years: Option<(i32, i32)>) -> Option<String> {
    years.map(|(a, b)| format!("{a}-{b}"))
}

#[pymethods]
impl Registry {
    /// Opens the database at ``path`` (default: the CLI's); see ``pactbase.open``.
    #[new]
    #[pyo3(signature = (path=None))]
    fn new(py: Python<'_>, path: Option<PathBuf>) -> PyResult<Self> {
        let registry = py.detach(|| -> Result<Registry> {
            let path = database::path(path)?;
            let store = database::open(&path, |_| ())?;
            Ok(Registry { path, store: Mutex::new(store) })
        })?;
        Ok(registry)
    }

    /// The database file.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    fn __repr__(&self) -> String {
        format!("pactbase.Registry('{}')", self.path.display())
    }

    /// (Re)loads the curated registry: the one built into pactbase, or the data folder
    /// ``data`` (validated whole first; on any problem nothing changes and ``InvalidData``
    /// lists them). Imported datasets and agreements edited through the web are kept.
    /// Returns what was loaded, as ``pactbase init --format json``.
    #[pyo3(signature = (data=None))]
    fn init(&self, py: Python<'_>, data: Option<PathBuf>) -> PyResult<Py<PyAny>> {
        let loaded = py.detach(|| -> Result<database::Loaded> {
            let files = match data {
                Some(dir) => DataFiles::read_dir(&dir).map_err(|e| Failure::InvalidData(e.to_string()))?,
                None => DataFiles::embedded(),
            };
            // No call of this handle reads while the registry is replaced.
            let _store = self.store()?;
            Ok(database::init(&self.path, &files)?)
        })?;
        tables::to_dict(py, &loaded)
    }

    /// Imports the research dataset ``name`` (``"atop"``, ``"cow-states"``, ``"nmc"``,
    /// ``"mme"``, ``"sipri-milex"``, ``"rivalries"``) from ``path`` (ATOP: its folder), as
    /// ``pactbase import``: validated whole, stored in one transaction with its provenance,
    /// replacing an earlier import. ``dry_run`` validates only. Returns the summary (rows
    /// read and stored, names that match no state, notes); a file that fails validation
    /// raises ``InvalidData`` and stores nothing.
    #[pyo3(signature = (name, path, dry_run=false))]
    fn import_dataset(&self, py: Python<'_>, name: String, path: PathBuf, dry_run: bool) -> PyResult<Py<PyAny>> {
        let summary = py.detach(|| -> Result<import::ImportSummary> {
            let dataset: Dataset = name.parse().map_err(Failure::BadInput)?;
            let mut store = self.store()?;
            let index = store.state_index()?;
            let target = if dry_run { None } else { Some(&mut *store) };
            Ok(import::import(target, &index, dataset, &path, &|_| ())?)
        })?;
        tables::to_dict(py, &summary)
    }

    /// The agreements, filtered as ``pactbase agreements``: ``member`` a state (COW code,
    /// abbreviation, ISO code or name) that has been a party; ``kind`` a kind of agreement or
    /// an ATOP obligation type; ``active_in`` a year it was in force (with ``member``: the
    /// member was a party then); ``text`` words of its name, summary or text; ``parties``
    /// ``"complete"`` or ``"selected"``. One row per agreement with the fields of
    /// ``pactbase agreements --format json`` (members as COW codes).
    #[pyo3(signature = (member=None, kind=None, active_in=None, text=None, parties=None))]
    fn agreements(
        &self,
        py: Python<'_>,
        member: Option<String>,
        kind: Option<String>,
        active_in: Option<i32>,
        text: Option<String>,
        parties: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let batch = py.detach(|| -> Result<RecordBatch> {
            let store = self.store()?;
            let index = store.state_index()?;
            let filter = AgreementFilter {
                member: member.as_deref().map(|m| arguments::state(&index, m)).transpose()?,
                kind: kind.as_deref().map(KindFilter::parse).transpose().map_err(Failure::BadInput)?,
                active_in: active_in.map(arguments::year).transpose()?,
                text,
                parties: parties.as_deref().map(str::parse).transpose().map_err(Failure::BadInput)?,
            };
            let agreements = store.agreements(&filter)?;
            let rows: Vec<Listed> = agreements.iter().map(|a| Listed::new(a, &index)).collect();
            Ok(tables::from_rows(tables::agreements(), &rows)?)
        })?;
        tables::to_python(py, tables::agreements(), vec![batch])
    }

    /// The agreement ``id`` whole, as ``pactbase show ID --format json``: parties with dates,
    /// obligations, provisions, sources, and ATOP's own coding when it cites an imported
    /// alliance. An unknown id raises ``UnknownAgreement`` naming the closest.
    fn agreement(&self, py: Python<'_>, id: String) -> PyResult<Py<PyAny>> {
        let shown = py.detach(|| -> Result<_> { Ok(pactbase_service::registry::shown(&*self.store()?, &id)?) })?;
        tables::to_dict(py, &shown)
    }

    /// The registry's parts of ``state``'s assessment, as ``pactbase country S --format
    /// json``: who binds it by defense, its memberships with their standing and
    /// obligations, its partners ranked by commitment and depth (docs/PARTNERS.md) and its
    /// exercises, at the end of ``year`` (default: the registry's current year), or over
    /// ``all_history``; ``all_agreements`` ranks partners through conventions and forums too.
    #[pyo3(signature = (state, year=None, all_history=false, all_agreements=false))]
    fn country(
        &self,
        py: Python<'_>,
        state: String,
        year: Option<i32>,
        all_history: bool,
        all_agreements: bool,
    ) -> PyResult<Py<PyAny>> {
        let core = py.detach(|| -> Result<_> {
            let store = self.store()?;
            let ctx = context(&store, &state, year, all_history, all_agreements)?;
            Ok(assessment::core(&ctx))
        })?;
        tables::to_dict(py, &core)
    }

    /// The challenges of ``state``'s commitments, as ``pactbase challenges S --format json``
    /// (docs/CHALLENGES.md): calls on them and what came of them, reservations,
    /// suspensions and sanctions, commitment conflicts, obligations toward both sides of a
    /// rivalry, sovereignty costs with the basis of each component, overlaps; at the end of
    /// ``year`` (default: the registry's current year), or over ``all_history``.
    #[pyo3(signature = (state, year=None, all_history=false))]
    fn challenges(&self, py: Python<'_>, state: String, year: Option<i32>, all_history: bool) -> PyResult<Py<PyAny>> {
        let challenges = py.detach(|| -> Result<_> {
            let store = self.store()?;
            let ctx = context(&store, &state, year, all_history, false)?;
            Ok(assessment::challenges(&store, &ctx)?)
        })?;
        tables::to_dict(py, &challenges)
    }

    /// The ``top`` likeliest new allies of ``state`` within ``horizon`` years as of
    /// ``year`` (default: the registry's current year), as ``pactbase recommend S --format
    /// json`` (docs/RECOMMEND.md): one row per candidate in rank order, with the modelled
    /// probability, the reasons in words and every feature's value and contribution to the
    /// log-odds. Strategic rivals and states either side does not recognise are left out
    /// unless ``include_rivals`` or ``include_unrecognised`` (then with ``cautions``); the
    /// schema metadata ``pactbase.left_out`` lists those left out, with why (JSON).
    #[pyo3(signature = (state, year=None, top=10, horizon=10, include_rivals=false, include_unrecognised=false))]
    #[allow(clippy::too_many_arguments)]
    fn recommend(
        &self,
        py: Python<'_>,
        state: String,
        year: Option<i32>,
        top: usize,
        horizon: i32,
        include_rivals: bool,
        include_unrecognised: bool,
    ) -> PyResult<Py<PyAny>> {
        let (schema, batch) = py.detach(|| -> Result<_> {
            let model = Recommender::load(&*self.store()?)?;
            let ccode = arguments::state(&model.index, &state)?;
            let year = arguments::year(year.unwrap_or(DEFAULT_YEAR))?;
            let options = Options { horizon, ..Options::default() };
            let listing = Listing { rivals: include_rivals, unrecognised: include_unrecognised };
            let found =
                model.recommend(ccode, year, top, &options, listing).map_err(|e| Failure::BadInput(e.to_string()))?;
            let rows: Vec<tables::Ranked> =
                found.partners.iter().enumerate().map(|(i, partner)| tables::Ranked { rank: i + 1, partner }).collect();
            let left_out = serde_json::to_string(&found.left_out).map_err(|e| Failure::Other(e.to_string()))?;
            let schema = tables::with_metadata(tables::recommendations(), vec![("pactbase.left_out".into(), left_out)]);
            Ok((schema, tables::from_rows(tables::recommendations(), &rows)?))
        })?;
        tables::to_python(py, schema, vec![batch])
    }

    /// An event study of what being bound by an agreement changed, as ``pactbase impact``
    /// (docs/IMPACT.md): the treatment is being bound by ``agreement`` (an id) or by an
    /// agreement of ``kind`` (or an ATOP obligation type); ``treatment`` which side of a
    /// directed obligation makes a state treated (``"held"``, ``"owed"``, ``"either"``,
    /// ``"both"``); ``outcome`` one of ``pactbase impact``'s (``"milex"``, ``"sipri-milex"``,
    /// ``"nmc-milex"``, ``"cinc"``, ``"log-cinc"``, ``"exercises"``, ``"arms-imports"``);
    /// ``window`` the relative years, ``(-5, 10)`` or ``"-5..10"``; ``state`` one treated
    /// state (with placebo and synthetic-control inference), against the ``compare``
    /// states when given; ``not_yet_treated`` adds states that enter later to the
    /// comparison group; ``estimator`` is ``"cs"`` (Callaway and Sant'Anna) or ``"twfe"``.
    /// One row per relative year; the schema metadata holds ``pactbase.summary`` (the
    /// CLI's summary) and ``pactbase.study`` (its JSON: pre-entry test, samples, headline,
    /// warnings).
    #[pyo3(
        signature = (*, outcome, agreement=None, kind=None, treatment="either".to_owned(), window=None, state=None, compare=None, not_yet_treated=false, estimator="cs".to_owned()),
        text_signature = "(self, *, outcome, agreement=None, kind=None, treatment='either', window=None, state=None, compare=None, not_yet_treated=False, estimator='cs')"
    )]
    #[allow(clippy::too_many_arguments)]
    fn impact(
        &self,
        py: Python<'_>,
        outcome: String,
        agreement: Option<String>,
        kind: Option<String>,
        treatment: String,
        window: Option<Window>,
        state: Option<String>,
        compare: Option<Names>,
        not_yet_treated: bool,
        estimator: String,
    ) -> PyResult<Py<PyAny>> {
        let (schema, batch) = py.detach(|| -> Result<_> {
            let store = self.store()?;
            let index = store.state_index()?;
            let treated = match (agreement, kind) {
                (Some(id), None) => Treated::Agreement(Box::new(pactbase_service::registry::agreement(&store, &id)?)),
                (None, Some(kind)) => Treated::Kind(KindFilter::parse(&kind).map_err(Failure::BadInput)?),
                _ => return Err(Failure::BadInput("give agreement=ID or kind=KIND (not both)".into())),
            };
            let study = Study {
                treated,
                bound: Bound::parse(&treatment).ok_or_else(|| {
                    Failure::BadInput(format!("unknown treatment `{treatment}`; choose from held, owed, either, both"))
                })?,
                outcome: ImpactOutcome::parse(&outcome).ok_or_else(|| {
                    Failure::BadInput(format!("unknown outcome `{outcome}`; choose from {}", ImpactOutcome::names()))
                })?,
                window: window.as_ref().map_or(Ok((-5, 10)), Window::range)?,
                state: state.as_deref().map(|s| arguments::state(&index, s)).transpose()?,
                compare: compare
                    .as_ref()
                    .map(|names| {
                        names.list().into_iter().map(|s| arguments::state(&index, s)).collect::<Result<Vec<_>>>()
                    })
                    .transpose()?,
                comparison: if not_yet_treated {
                    ComparisonGroup::NotYetTreated
                } else {
                    ComparisonGroup::NeverTreated
                },
                estimator: match estimator.as_str() {
                    "cs" => Estimator::CallawaySantAnna,
                    "twfe" => Estimator::TwoWayFixedEffects,
                    other => {
                        return Err(Failure::BadInput(format!("unknown estimator `{other}`; choose from cs, twfe")))
                    }
                },
            };
            let result = impact::estimate(&store, &study, &index)?;
            let rows: Vec<tables::RelativeYearRow> =
                result.event_study.relative_years.iter().map(tables::RelativeYearRow::from).collect();
            let metadata = vec![
                ("pactbase.summary".to_owned(), impact::summary(&result, &index)),
                (
                    "pactbase.study".to_owned(),
                    serde_json::to_string(&result).map_err(|e| Failure::Other(e.to_string()))?,
                ),
            ];
            let schema = tables::with_metadata(tables::relative_years(), metadata);
            Ok((schema.clone(), tables::from_rows(tables::relative_years(), &rows)?))
        })?;
        tables::to_python(py, schema, vec![batch])
    }

    /// The ``"dyad-year"`` or ``"state-year"`` panel, as ``pactbase panel``: the same
    /// columns and types as its Parquet output, and its provenance as schema metadata.
    /// ``years`` is ``(A, B)``, one year or ``"A-B"`` (default: the state system's span);
    /// ``directed`` gives both (A, B) and (B, A); ``with_`` names the datasets to join
    /// (a list or ``"atop,nmc"``: any value of the CLI's ``--with``); ``source`` is where
    /// alliance ties come from: ``"atop"``, ``"curated"`` (the registry) or ``"both"``.
    /// A dataset ``with_`` needs that is not imported raises ``MissingDataset``.
    #[pyo3(
        signature = (unit, years=None, directed=false, with_=None, source="atop".to_owned()),
        text_signature = "(self, unit, years=None, directed=False, with_=None, source='atop')"
    )]
    fn panel(
        &self,
        py: Python<'_>,
        unit: String,
        years: Option<Years>,
        directed: bool,
        with_: Option<Names>,
        source: String,
    ) -> PyResult<Py<PyAny>> {
        let (schema, batches) = py.detach(|| -> Result<_> {
            let dyads = match unit.as_str() {
                "dyad-year" => true,
                "state-year" => false,
                other => {
                    return Err(Failure::BadInput(format!("unknown unit `{other}`; choose from state-year, dyad-year")))
                }
            };
            let names = with_.as_ref().map(Names::list).unwrap_or_default();
            let with = With::parse(names.iter().copied()).map_err(|e| Failure::BadInput(format!("with_: {e}")))?;
            let years = years.as_ref().map(Years::range).transpose()?;
            let (data, metadata) = {
                let store = self.store()?;
                let data = PanelData::load(&store, with, arguments::source(&source)?, years)?;
                let mut datasets = vec![Dataset::CowStates];
                datasets.extend(pactbase_service::datasets_for(with));
                let command = cli_command(
                    &["panel", &unit],
                    &[
                        ("directed", directed.then(String::new)),
                        ("years", years_text(years)),
                        ("with", (!names.is_empty()).then(|| names.join(","))),
                        ("source", Some(source.clone())),
                    ],
                );
                (data, Registry::provenance(&store, command, &datasets)?)
            };
            let mut batches = Vec::new();
            let sink = |batch: RecordBatch| -> Result<(), ArrowError> {
                batches.push(batch);
                Ok(())
            };
            let (inputs, years) = (data.inputs(), data.years);
            if dyads {
                panel::dyad_years(&inputs, with, years, directed, sink)?;
            } else {
                panel::state_years(&inputs, with, years, sink)?;
            }
            let schema = batches.first().map(|b| b.schema()).expect("a panel is at least one batch");
            Ok((tables::with_metadata(schema, metadata), batches))
        })?;
        tables::to_python(py, schema, batches)
    }

    /// Foreign-policy similarity (FPSIM: S, pi, kappa, tau-b) of every directed dyad-year,
    /// as ``pactbase similarity`` (docs/SIMILARITY.md). ``years`` as for ``panel`` (default
    /// 1816-2018); ``measures`` keeps only the measures named (a list or ``"taub,pallyv"``).
    #[pyo3(
        signature = (years=None, source="atop".to_owned(), measures=None),
        text_signature = "(self, years=None, source='atop', measures=None)"
    )]
    fn similarity(
        &self,
        py: Python<'_>,
        years: Option<Years>,
        source: String,
        measures: Option<Names>,
    ) -> PyResult<Py<PyAny>> {
        let (schema, batches) = py.detach(|| -> Result<_> {
            let names = measures.as_ref().map(Names::list).unwrap_or_default();
            let columns = similarity::columns(&names).map_err(Failure::BadInput)?;
            let years = years.as_ref().map(Years::range).transpose()?;
            let tie_source = arguments::source(&source)?;
            let (data, metadata) = {
                let store = self.store()?;
                let data = SimilarityData::load(&store, tie_source, years)?;
                let command = cli_command(
                    &["similarity"],
                    &[
                        ("years", years_text(years)),
                        ("source", Some(source.clone())),
                        ("measures", (!names.is_empty()).then(|| names.join(","))),
                    ],
                );
                (data, Registry::provenance(&store, command, &SimilarityData::datasets(tie_source))?)
            };
            let mut batches = Vec::new();
            data.dyad_years(columns.as_deref(), |batch| -> Result<(), ArrowError> {
                batches.push(batch);
                Ok(())
            })?;
            let schema = match (&columns, batches.first()) {
                (_, Some(batch)) => batch.schema(),
                (Some(columns), None) => std::sync::Arc::new(similarity::schema().project(columns)?),
                (None, None) => similarity::schema(),
            };
            Ok((tables::with_metadata(schema, metadata), batches))
        })?;
        tables::to_python(py, schema, batches)
    }

    /// Node measures and blocs of the alliance network, as ``pactbase network``: one
    /// ``year`` or ``years`` ``(A, B)`` in one long table, one row per state-year.
    /// ``level`` is ``"any"`` (any shared alliance) or ``"defense"`` (defense or offense
    /// obligations); ``kind`` keeps one kind of agreement; ``source`` as for ``panel``.
    #[pyo3(
        signature = (year=None, years=None, level="any".to_owned(), kind=None, source="atop".to_owned()),
        text_signature = "(self, year=None, years=None, level='any', kind=None, source='atop')"
    )]
    fn network(
        &self,
        py: Python<'_>,
        year: Option<i32>,
        years: Option<Years>,
        level: String,
        kind: Option<String>,
        source: String,
    ) -> PyResult<Py<PyAny>> {
        let batch = py.detach(|| -> Result<RecordBatch> {
            let years = match (year, &years) {
                (Some(y), None) => (arguments::year(y)?, y),
                (None, Some(range)) => range.range()?,
                (Some(_), Some(_)) => return Err(Failure::BadInput("give year or years, not both".into())),
                (None, None) => {
                    return Err(Failure::BadInput("give year=Y (one network) or years=(A, B) (one long table)".into()))
                }
            };
            let level = arguments::level(&level)?;
            let kind = kind.as_deref().map(AgreementKind::parse).transpose().map_err(Failure::BadInput)?;
            let data = NetworkData::load(&*self.store()?, years, kind, arguments::source(&source)?)?;
            Ok(data.measure(level).table()?)
        })?;
        tables::to_python(py, batch.schema(), vec![batch])
    }
}

/// The assessment context of `state` at `year` (default: the registry's current year) or
/// over its whole history, as the CLI's `--year`, `--all-history` and `--all-agreements`.
fn context(store: &Store, state: &str, year: Option<i32>, all_history: bool, all_agreements: bool) -> Result<Context> {
    let ccode = arguments::state(&store.state_index()?, state)?;
    let view = match (all_history, year) {
        (true, _) => View::History,
        (false, Some(y)) => View::Year(arguments::year(y)?),
        (false, None) => Request::default().view,
    };
    Ok(Context::load(store, ccode, Request { view, include_all: all_agreements })?)
}
