//! `pactbase data list|fetch|verify|cite`: the data catalogue (`pactbase_ingest::catalogue`)
//! against what the store holds; fetching goes through `pactbase_service::fetch` and the
//! same import as `pactbase import`.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use pactbase_analysis::panel::With;
use pactbase_ingest::catalogue::{catalogue, Entry};
use pactbase_model::research::{Dataset, DatasetFile};
use pactbase_model::Vocabulary;
use pactbase_model::YearSpan;
use pactbase_service::datasets::datasets;
use pactbase_service::fetch::{self, fetch_command, FetchError, Origin, Progress};
use pactbase_service::import::ImportSummary;
use pactbase_store::Store;
use serde::Serialize;

use crate::cli::{CiteArgs, CiteStyle, FetchArgs};
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};

/// Says once, in one line on standard error, which of `could_use` are not imported and
/// how to bring them.
pub fn hint_missing(store: &Store, could_use: &[Dataset]) -> Result {
    let mut missing = Vec::new();
    for &d in could_use {
        if !store.has_dataset(d)? {
            missing.push(d);
        }
    }
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|d| d.as_str()).collect();
        eprintln!(
            "pactbase: without {} (not imported) some results are missing: `{}` brings them (`pactbase data list` says which need --from)",
            names.join(", "),
            fetch_command(&missing)
        );
    }
    Ok(())
}

/// One dataset of `data list`.
#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    fetchable: bool,
    imported: Vec<DatasetFile>,
    /// `as catalogued`, `differs from the catalogue`, or `not imported`.
    status: &'static str,
}

pub fn list(store: &Store, out: &Output) -> Result {
    let listed: Vec<Listed> = datasets(store)?
        .into_iter()
        .map(|d| Listed {
            entry: d.entry,
            fetchable: d.entry.fetchable(),
            status: d.status.as_str(),
            imported: d.imported.into_iter().map(|f| f.file).collect(),
        })
        .collect();
    let table = Table {
        headers: vec!["dataset", "version", "coverage", "source", "imported", "status", "title"],
        rows: listed
            .iter()
            .map(|l| {
                let e = l.entry;
                vec![
                    e.dataset.to_string(),
                    e.version.clone(),
                    YearSpan::closed(e.coverage.0, e.coverage.1).to_string(),
                    if l.fetchable { "publisher".into() } else { "copy (--from)".into() },
                    l.imported.first().and_then(|f| f.imported_at.clone()).unwrap_or_default(),
                    l.status.to_owned(),
                    e.title.clone(),
                ]
            })
            .collect(),
    };
    out.tabular(&table, &listed)
}

/// What `data fetch` did for one dataset.
#[derive(Serialize)]
struct Outcome {
    dataset: Dataset,
    /// `imported`, `skipped` or `failed`.
    result: &'static str,
    sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    import: Option<ImportSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

pub fn fetch(db: &Path, args: &FetchArgs, out: &Output) -> Result {
    let datasets: Vec<Dataset> = if args.all { Dataset::ALL.to_vec() } else { args.names.clone() };
    let origin = args.from.as_deref().map_or(Origin::Publisher, Origin::parse);
    let (store, index) = super::import::open(db, false)?;
    let mut store = store.expect("a store, since this is no dry run");
    let staging = staging_dir(db);
    let mut outcomes = Vec::new();
    let mut failures: Vec<Failure> = Vec::new();
    for dataset in datasets {
        let entry = catalogue().get(dataset);
        let bar = Bar::new();
        let fetched = fetch::fetch(entry, &origin, &staging, &|p| bar.show(p));
        bar.clear();
        let outcome = match fetched {
            Ok(f) => match super::import::run(Some(&mut store), &index, dataset, &f.import) {
                Ok(summary) => {
                    Outcome { dataset, result: "imported", sources: f.sources, import: Some(summary), reason: None }
                }
                Err(failure) => {
                    let reason = failure.to_string();
                    failures.push(failure);
                    failed(dataset, f.sources, reason)
                }
            },
            Err(e @ FetchError::NoStableFile(..)) if args.all => skipped(dataset, Vec::new(), e.to_string()),
            Err(e) => {
                let reason = e.to_string();
                failures.push(Failure::Other(e.into()));
                failed(dataset, Vec::new(), reason)
            }
        };
        outcomes.push(outcome);
    }
    out.document(&fetch_text(&outcomes), &fetch_table(&outcomes), &outcomes)?;
    match failures.len() {
        0 => Ok(()),
        1 => Err(failures.remove(0)),
        n => Err(Failure::Other(anyhow::anyhow!(
            "{n} datasets were not fetched: {}",
            outcomes.iter().filter(|o| o.result == "failed").map(|o| o.dataset.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn skipped(dataset: Dataset, sources: Vec<String>, reason: String) -> Outcome {
    Outcome { dataset, result: "skipped", sources, import: None, reason: Some(reason) }
}

fn failed(dataset: Dataset, sources: Vec<String>, reason: String) -> Outcome {
    Outcome { dataset, result: "failed", sources, import: None, reason: Some(reason) }
}

/// Downloads are kept beside the database, so an interrupted one resumes.
fn staging_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("downloads")
}

fn fetch_text(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    for o in outcomes {
        match &o.import {
            Some(summary) => {
                s.push_str(&format!("{} {}: checked and ", o.dataset, catalogue().get(o.dataset).version));
                s.push_str(&super::import::text(summary));
            }
            None => s.push_str(&format!("{} {}: {}\n", o.dataset, o.result, o.reason.as_deref().unwrap_or(""))),
        }
    }
    s
}

fn fetch_table(outcomes: &[Outcome]) -> Table {
    Table {
        headers: vec!["dataset", "result", "rows_stored", "sources", "reason"],
        rows: outcomes
            .iter()
            .map(|o| {
                vec![
                    o.dataset.to_string(),
                    o.result.to_owned(),
                    o.import.as_ref().map_or_else(String::new, |s| s.rows_stored.to_string()),
                    o.sources.join(";"),
                    o.reason.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

/// One imported file checked again.
#[derive(Serialize)]
struct Checked {
    dataset: Dataset,
    path: String,
    imported_sha256: String,
    /// `pinned` when the imported bytes are a file the catalogue pins.
    catalogue: &'static str,
    /// The file at `path` now: `unchanged`, `changed` or `missing`.
    on_disk: &'static str,
}

pub fn verify(store: &Store, out: &Output) -> Result {
    let mut checked = Vec::new();
    for f in store.datasets()? {
        let entry = catalogue().get(f.dataset);
        let pinned = entry.files.iter().any(|p| p.sha256 == f.sha256);
        let on_disk = match fetch::sha256_file(Path::new(&f.path), &|_| {}) {
            Ok(sha) if sha == f.sha256 => "unchanged",
            Ok(_) => "changed",
            Err(_) => "missing",
        };
        checked.push(Checked {
            dataset: f.dataset,
            path: f.path,
            imported_sha256: f.sha256,
            catalogue: if pinned { "pinned" } else { "not pinned" },
            on_disk,
        });
    }
    let table = Table {
        headers: vec!["dataset", "path", "catalogue", "on_disk", "imported_sha256"],
        rows: checked
            .iter()
            .map(|c| {
                vec![
                    c.dataset.to_string(),
                    c.path.clone(),
                    c.catalogue.to_owned(),
                    c.on_disk.to_owned(),
                    c.imported_sha256.clone(),
                ]
            })
            .collect(),
    };
    out.tabular(&table, &checked)?;
    let differing: Vec<String> = checked
        .iter()
        .filter(|c| c.catalogue != "pinned" || c.on_disk == "changed")
        .map(|c| {
            format!(
                "{} ({})",
                c.path,
                if c.on_disk == "changed" { "changed since imported" } else { "not the catalogued version" }
            )
        })
        .collect();
    if differing.is_empty() {
        Ok(())
    } else {
        Err(Failure::Other(anyhow::anyhow!(
            "{} imported file(s) differ: {}. `pactbase data fetch NAME` imports the catalogued version",
            differing.len(),
            differing.join(", ")
        )))
    }
}

/// The datasets to cite: those named, a panel's, or every imported one.
fn cited(store: &Store, args: &CiteArgs) -> Result<Vec<Dataset>> {
    if let Some(list) = &args.panel {
        let with = With::parse([list.as_str()]).map_err(Failure::Usage)?;
        let mut datasets = vec![Dataset::CowStates];
        datasets.extend(pactbase_service::datasets_for(with));
        return Ok(datasets);
    }
    if !args.names.is_empty() {
        return Ok(args.names.clone());
    }
    let imported: BTreeSet<Dataset> = store.datasets()?.into_iter().map(|f| f.dataset).collect();
    Ok(imported.into_iter().collect())
}

#[derive(Serialize)]
struct Citation<'a> {
    dataset: Dataset,
    version: &'a str,
    citation: &'a str,
    bibtex: &'a str,
}

pub fn cite(store: &Store, args: &CiteArgs, out: &Output) -> Result {
    let datasets = cited(store, args)?;
    if datasets.is_empty() {
        return Err(Failure::Usage(
            "no dataset is imported: name the datasets to cite (pactbase data cite atop nmc) or give --panel LIST"
                .into(),
        ));
    }
    let citations: Vec<Citation> = datasets
        .iter()
        .map(|&d| {
            let e = catalogue().get(d);
            Citation { dataset: d, version: &e.version, citation: &e.citation, bibtex: e.bibtex.trim() }
        })
        .collect();
    // Datasets sharing a reference (COW states and majors) are cited once.
    let mut seen = BTreeSet::new();
    let text: Vec<&str> = citations
        .iter()
        .map(|c| match args.style {
            CiteStyle::Bibtex => c.bibtex,
            CiteStyle::Text => c.citation,
        })
        .filter(|t| seen.insert(*t))
        .collect();
    let separator = if args.style == CiteStyle::Bibtex { "\n\n" } else { "\n" };
    let table = Table {
        headers: vec!["dataset", "version", "citation"],
        rows: citations
            .iter()
            .map(|c| vec![c.dataset.to_string(), c.version.to_owned(), c.citation.to_owned()])
            .collect(),
    };
    out.document(&format!("{}\n", text.join(separator)), &table, &citations)
}

/// A byte-count bar on standard error when it is a terminal.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new() -> Bar {
        Bar(std::io::stderr().is_terminal().then(ProgressBar::hidden))
    }

    fn show(&self, progress: Progress) {
        let Some(bar) = &self.0 else { return };
        match progress {
            Progress::Start(what, total) => {
                bar.reset();
                bar.set_length(total.unwrap_or(0));
                bar.set_message(what.rsplit('/').next().unwrap_or(what).to_owned());
                let template = "{msg:30!} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}";
                if let Ok(style) = ProgressStyle::with_template(template) {
                    bar.set_style(style);
                }
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            Progress::Bytes(n) => bar.inc(n),
            Progress::Done => bar.set_draw_target(indicatif::ProgressDrawTarget::hidden()),
        }
    }

    fn clear(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
