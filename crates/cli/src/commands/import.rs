//! `pactbase import DATASET PATH [--dry-run]`: reads and validates a research dataset,
//! replaces it in the store in one transaction (`pactbase_service::import`), and reports
//! what was read, stored and left unresolved.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_model::research::Dataset;
use pactbase_model::StateIndex;
use pactbase_service::import::{entries, ImportError, ImportSummary};
use pactbase_store::Store;

use crate::cli::ImportArgs;
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};

pub fn import(db: &Path, args: &ImportArgs, out: &Output) -> Result {
    import_into(db, args, out).map_err(|e| super::in_database(db, e))
}

fn import_into(db: &Path, args: &ImportArgs, out: &Output) -> Result {
    let (dataset, path) = args.dataset.target();
    let (mut store, index) = open(db, args.dry_run)?;
    let summary = run(store.as_mut(), &index, dataset, path)?;
    out.document(&text(&summary), &table(&summary), &summary)
}

/// Imports `dataset` from `path` with a progress bar on a terminal.
pub(super) fn run(
    store: Option<&mut Store>,
    index: &StateIndex,
    dataset: Dataset,
    path: &Path,
) -> Result<ImportSummary> {
    let bar = progress_bar(&pactbase_service::import::input_files(dataset, path));
    let progress = |bytes| bar.inc(bytes);
    let summary = pactbase_service::import::import(store, index, dataset, path, &progress);
    bar.finish_and_clear();
    summary.map_err(|e| match e {
        ImportError::Data(errors) => Failure::data(errors),
        // Kept as a store error so `in_database` can name the file and give its advice.
        ImportError::Store(e) => Failure::Other(e.into()),
    })
}

/// The store to write to (none on a dry run) and the states to resolve against. A dry
/// run never creates or initialises a database: without one it uses the built-in states.
pub(super) fn open(db: &Path, dry_run: bool) -> Result<(Option<Store>, StateIndex)> {
    if dry_run {
        let existing = if db.exists() { Some(super::open(db)?) } else { None };
        let index = match existing {
            Some(store) if store.is_initialised()? => store.state_index()?,
            _ => StateIndex::new(curated::load(&DataFiles::embedded()).map_err(Failure::data)?.states),
        };
        return Ok((None, index));
    }
    let mut store = super::open(db)?;
    if !store.is_initialised()? {
        eprintln!("pactbase: setting up {} from the built-in data", db.display());
        pactbase_service::database::load_curated(&mut store, &DataFiles::embedded())
            .map_err(|e| super::database(db, e))?;
    }
    let index = store.state_index()?;
    Ok((Some(store), index))
}

/// A bar over the input's bytes, drawn only when standard error is a terminal.
fn progress_bar(paths: &[PathBuf]) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("reading {bar:40} {bytes}/{total_bytes}") {
        bar.set_style(style);
    }
    bar
}

pub(super) fn text(summary: &ImportSummary) -> String {
    let mut s = String::new();
    let verb = if summary.dry_run { "checked" } else { "imported" };
    let _ = writeln!(s, "{verb} {}", summary.dataset);
    for f in &summary.files {
        let _ = writeln!(s, "  {}  version {}  {} rows  sha256 {}", f.path, f.version, f.rows, f.sha256);
    }
    let _ = writeln!(s, "  rows read    {}", summary.rows_read);
    if summary.dry_run {
        let _ = writeln!(s, "  rows stored  none (dry run: the file is valid; nothing was changed)");
    } else {
        let _ = writeln!(s, "  rows stored  {} {}", summary.rows_stored, summary.stored_as);
    }
    if !summary.unresolved.is_empty() {
        let _ = writeln!(
            s,
            "  {} names match no state and {} (a state's name belongs in data/states.csv aliases):",
            summary.unresolved.len(),
            if summary.unresolved_stored { "are stored under their own names" } else { "were not stored" }
        );
        let width = summary.unresolved.iter().map(|u| u.name.chars().count()).max().unwrap_or(0);
        for u in &summary.unresolved {
            let _ = writeln!(s, "    {:width$}  {:>12}, first on line {}", u.name, entries(u.count), u.first_line);
        }
    }
    for n in &summary.not_placed {
        let _ = writeln!(s, "  not placed in panels: {} ({}), e.g.", n.reason, rows(n.count));
        for example in &n.examples {
            let _ = writeln!(s, "    {example}");
        }
    }
    for note in &summary.notes {
        let _ = writeln!(s, "  note: {note}");
    }
    let _ = writeln!(s, "  elapsed      {:.2} s", summary.elapsed_ms as f64 / 1000.0);
    s
}

/// One row per file for CSV output.
pub(super) fn table(summary: &ImportSummary) -> Table {
    let unresolved: Vec<&str> = summary.unresolved.iter().map(|u| u.name.as_str()).collect();
    Table {
        headers: vec![
            "dataset",
            "path",
            "version",
            "sha256",
            "rows_read",
            "rows_stored",
            "unresolved",
            "not_placed",
            "dry_run",
            "elapsed_ms",
        ],
        rows: summary
            .files
            .iter()
            .map(|f| {
                vec![
                    summary.dataset.to_string(),
                    f.path.clone(),
                    f.version.clone(),
                    f.sha256.clone(),
                    f.rows.to_string(),
                    summary.rows_stored.to_string(),
                    unresolved.join(";"),
                    summary.not_placed.iter().map(|n| n.count).sum::<usize>().to_string(),
                    summary.dry_run.to_string(),
                    summary.elapsed_ms.to_string(),
                ]
            })
            .collect(),
    }
}

/// "1 row", "3 rows".
fn rows(n: usize) -> String {
    format!("{n} {}", if n == 1 { "row" } else { "rows" })
}
