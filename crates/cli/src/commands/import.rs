//! `pactbase import DATASET PATH [--dry-run]`: reads and validates a research dataset,
//! replaces it in the store in one transaction, and reports what was read, stored and
//! left unresolved.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states, mme, nmc, rivalries, sipri, Unresolved};
use pactbase_model::research::DatasetFile;
use pactbase_model::StateIndex;
use pactbase_store::Store;
use serde::Serialize;

use crate::cli::{Dataset, ImportArgs};
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};

/// What an import did (the JSON shape of its summary).
#[derive(Serialize)]
struct Summary {
    dataset: &'static str,
    dry_run: bool,
    files: Vec<DatasetFile>,
    rows_read: usize,
    /// Typed rows stored (0 on a dry run), described by `stored_as`.
    rows_stored: usize,
    stored_as: &'static str,
    /// Names that match no state; their entries are not stored.
    unresolved: Vec<Unresolved>,
    notes: Vec<String>,
    elapsed_ms: u128,
}

pub fn import(db: &Path, args: &ImportArgs, out: &Output) -> Result {
    import_into(db, args, out).map_err(|e| super::in_database(db, e))
}

fn import_into(db: &Path, args: &ImportArgs, out: &Output) -> Result {
    let started = Instant::now();
    let (mut store, index) = open(db, args.dry_run)?;
    let bar = progress_bar(&args.dataset);
    let progress = |bytes| bar.inc(bytes);
    let mut summary = match &args.dataset {
        Dataset::Atop { dir } => {
            let a = atop::read(dir, &index, &progress).map_err(Failure::Data)?;
            let stored = a.alliances.len() + a.phases.len() + a.members.len();
            let mut s = Summary::new("atop", a.files.clone(), stored).stored("alliance, phase and member rows");
            s.notes.push(format!(
                "{} alliances, {} phases, {} member rows",
                a.alliances.len(),
                a.phases.len(),
                a.members.len()
            ));
            if let Some(store) = &mut store {
                let listed = store.replace_atop(&a.alliances, &a.phases, &a.members, &a.agreements, &a.files)?;
                s.notes.push(format!(
                    "{listed} alliances listed as agreements `atop-<atopid>`; {} are curated agreements already",
                    a.alliances.len() - listed
                ));
            }
            s
        }
        Dataset::CowStates { file } => {
            let c = cow_states::read(file, &index, &progress).map_err(Failure::Data)?;
            if let Some(store) = &mut store {
                store.replace_system_spells(&c.spells, &c.file)?;
            }
            Summary::new("cow-states", vec![c.file], c.spells.len()).stored("membership spells")
        }
        Dataset::Nmc { file } => {
            let n = nmc::read(file, &index, &progress).map_err(Failure::Data)?;
            if let Some(store) = &mut store {
                store.replace_nmc(&n.rows, &n.file)?;
            }
            Summary::new("nmc", vec![n.file], n.rows.len()).stored("state-years")
        }
        Dataset::Mme { file } => {
            let m = mme::read(file, &index, &progress).map_err(Failure::Data)?;
            if let Some(store) = &mut store {
                store.replace_mme(&m.exercises, &m.file)?;
            }
            let mut s = Summary::new("mme", vec![m.file], m.exercises.len()).stored("exercises");
            s.unresolved = m.unresolved;
            s.notes.push(format!("{} participant slots hold -9, MME's \"not identified\"", m.unidentified));
            for shared in &m.shared_ids {
                let lines: Vec<String> = shared.lines.iter().map(usize::to_string).collect();
                s.notes.push(format!(
                    "MMEID {} names {} different exercises (lines {}); all are kept",
                    shared.id,
                    shared.lines.len(),
                    lines.join(", ")
                ));
            }
            s
        }
        Dataset::SipriMilex { file } => {
            let p = sipri::read(file, &index, &progress).map_err(Failure::Data)?;
            if let Some(store) = &mut store {
                store.replace_sipri(&p.rows, &p.file)?;
            }
            let mut s = Summary::new("sipri-milex", vec![p.file], p.rows.len()).stored("state-years");
            s.unresolved = p.unresolved;
            for o in &p.outside_system {
                let years = match (o.years.first(), o.years.last()) {
                    (Some(first), Some(last)) if first != last => format!("{first}–{last}"),
                    (Some(only), _) => only.to_string(),
                    _ => continue,
                };
                s.notes.push(format!(
                    "{} ({}): {} in {years}, when it is not a system member, not stored",
                    o.name,
                    o.ccode,
                    entries(o.years.len())
                ));
            }
            s
        }
        Dataset::Rivalries { file } => {
            let r = rivalries::read(file, &index, &progress).map_err(Failure::Data)?;
            if let Some(store) = &mut store {
                store.replace_rivalries(&r.rivalries, &r.file)?;
            }
            let mut s = Summary::new("rivalries", vec![r.file], r.rivalries.len()).stored("rivalries");
            if let Some(last) = r.observed_through {
                let ongoing = r.rivalries.iter().filter(|r| r.end.is_none()).count();
                s.notes.push(format!("{ongoing} rivalries end in {last}, the data's last year: stored as ongoing"));
            }
            s
        }
    };
    bar.finish_and_clear();
    summary.dry_run = args.dry_run;
    if args.dry_run {
        summary.rows_stored = 0;
    }
    summary.elapsed_ms = started.elapsed().as_millis();
    out.document(&summary.text(), &summary.table(), &summary)
}

/// The store to write to (none on a dry run) and the states to resolve against. A dry
/// run never creates or initialises a database: without one it uses the built-in states.
fn open(db: &Path, dry_run: bool) -> Result<(Option<Store>, StateIndex)> {
    if dry_run {
        let existing = if db.exists() { Some(super::open(db)?) } else { None };
        let index = match existing {
            Some(store) if store.is_initialised()? => store.state_index()?,
            _ => StateIndex::new(curated::load(&DataFiles::embedded()).map_err(Failure::Data)?.states),
        };
        return Ok((None, index));
    }
    let mut store = super::open(db)?;
    if !store.is_initialised()? {
        eprintln!("pactbase: setting up {} from the built-in data", db.display());
        super::load(&mut store, &DataFiles::embedded())?;
    }
    let index = store.state_index()?;
    Ok((Some(store), index))
}

/// A bar over the input's bytes, drawn only when standard error is a terminal.
fn progress_bar(dataset: &Dataset) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let paths: Vec<PathBuf> = match dataset {
        Dataset::Atop { dir } => {
            [atop::ALLIANCE_FILE, atop::PHASE_FILE, atop::MEMBER_FILE].map(|f| dir.join(f)).to_vec()
        }
        Dataset::CowStates { file }
        | Dataset::Nmc { file }
        | Dataset::Mme { file }
        | Dataset::SipriMilex { file }
        | Dataset::Rivalries { file } => vec![file.clone()],
    };
    let total = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("reading {bar:40} {bytes}/{total_bytes}") {
        bar.set_style(style);
    }
    bar
}

impl Summary {
    fn new(dataset: &'static str, files: Vec<DatasetFile>, rows_stored: usize) -> Self {
        let rows_read = files.iter().map(|f| f.rows).sum();
        Summary {
            dataset,
            dry_run: false,
            files,
            rows_read,
            rows_stored,
            stored_as: "rows",
            unresolved: Vec::new(),
            notes: Vec::new(),
            elapsed_ms: 0,
        }
    }

    fn stored(mut self, what: &'static str) -> Self {
        self.stored_as = what;
        self
    }

    fn text(&self) -> String {
        let mut s = String::new();
        let verb = if self.dry_run { "checked" } else { "imported" };
        let _ = writeln!(s, "{verb} {}", self.dataset);
        for f in &self.files {
            let _ = writeln!(s, "  {}  version {}  {} rows  sha256 {}", f.path, f.version, f.rows, f.sha256);
        }
        let _ = writeln!(s, "  rows read    {}", self.rows_read);
        if self.dry_run {
            let _ = writeln!(s, "  rows stored  none (dry run: the file is valid; nothing was changed)");
        } else {
            let _ = writeln!(s, "  rows stored  {} {}", self.rows_stored, self.stored_as);
        }
        if !self.unresolved.is_empty() {
            let _ = writeln!(
                s,
                "  {} names match no state and were not stored (a state's name belongs in data/states.csv aliases):",
                self.unresolved.len()
            );
            let width = self.unresolved.iter().map(|u| u.name.chars().count()).max().unwrap_or(0);
            for u in &self.unresolved {
                let _ = writeln!(s, "    {:width$}  {:>12}, first on line {}", u.name, entries(u.count), u.first_line);
            }
        }
        for note in &self.notes {
            let _ = writeln!(s, "  note: {note}");
        }
        let _ = writeln!(s, "  elapsed      {:.2} s", self.elapsed_ms as f64 / 1000.0);
        s
    }

    /// One row per file for CSV output.
    fn table(&self) -> Table {
        let unresolved: Vec<&str> = self.unresolved.iter().map(|u| u.name.as_str()).collect();
        Table {
            headers: vec![
                "dataset",
                "path",
                "version",
                "sha256",
                "rows_read",
                "rows_stored",
                "unresolved",
                "dry_run",
                "elapsed_ms",
            ],
            rows: self
                .files
                .iter()
                .map(|f| {
                    vec![
                        self.dataset.to_owned(),
                        f.path.clone(),
                        f.version.clone(),
                        f.sha256.clone(),
                        f.rows.to_string(),
                        self.rows_stored.to_string(),
                        unresolved.join(";"),
                        self.dry_run.to_string(),
                        self.elapsed_ms.to_string(),
                    ]
                })
                .collect(),
        }
    }
}

fn entries(n: usize) -> String {
    format!("{n} {}", if n == 1 { "entry" } else { "entries" })
}
