//! Importing a research dataset: read and validate the publisher's files, replace the
//! dataset in the store in one transaction, and say what was read, stored and left
//! unresolved. `pactbase import` and `pactbase data fetch` both come through here, so a
//! fetched file is imported exactly as a local one.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pactbase_ingest::research::{
    atop, capitals, contiguity, cow_states, gml, igos, majors, mindist, mme, nmc, rivalries, sipri, sipri_arms,
    NotPlaced, Progress, Unresolved,
};
use pactbase_ingest::DataErrors;
use pactbase_model::arms::PartyKind;
use pactbase_model::research::{Dataset, DatasetFile};
use pactbase_model::StateIndex;
use pactbase_model::YearSpan;
use pactbase_store::Store;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input failed validation; nothing was stored.
    #[error("{0}")]
    Data(DataErrors),
    #[error(transparent)]
    Store(#[from] pactbase_store::StoreError),
}

/// What an import did (also the JSON shape of its summary).
#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    pub dataset: Dataset,
    pub dry_run: bool,
    pub files: Vec<DatasetFile>,
    pub rows_read: usize,
    /// Typed rows stored (0 on a dry run), described by `stored_as`.
    pub rows_stored: usize,
    pub stored_as: &'static str,
    /// Names that match no state; their entries are not stored, except where
    /// `unresolved_stored` says so.
    pub unresolved: Vec<Unresolved>,
    /// True when names that match no state are stored under their own names (SIPRI's arms
    /// transfers, whose parties include rebel groups and organisations).
    pub unresolved_stored: bool,
    /// Rows stored that no panel can place (a state outside the system that year), by reason.
    pub not_placed: Vec<NotPlaced>,
    pub notes: Vec<String>,
    pub elapsed_ms: u128,
}

/// The files the importer of `dataset` reads from `path` (a file, or the folder of ATOP
/// or of GML's MIDs), for a progress bar over their bytes.
pub fn input_files(dataset: Dataset, path: &Path) -> Vec<PathBuf> {
    match dataset {
        Dataset::Atop => [atop::ALLIANCE_FILE, atop::PHASE_FILE, atop::MEMBER_FILE].map(|f| path.join(f)).to_vec(),
        Dataset::GmlMids => [gml::DISPUTE_FILE, gml::PARTICIPANT_FILE, gml::DYADIC_FILE].map(|f| path.join(f)).to_vec(),
        Dataset::SipriArms => sipri_arms::files(path).unwrap_or_default(),
        _ => vec![path.to_owned()],
    }
}

/// Reads `dataset` from `path` and, given a store, replaces it there in one transaction;
/// without one (a dry run) only validates. States resolve through `index`.
pub fn import(
    store: Option<&mut Store>,
    index: &StateIndex,
    dataset: Dataset,
    path: &Path,
    progress: Progress,
) -> Result<ImportSummary, ImportError> {
    let started = Instant::now();
    let dry_run = store.is_none();
    let data = ImportError::Data;
    let mut summary = match dataset {
        Dataset::Atop => {
            let a = atop::read(path, index, progress).map_err(data)?;
            let stored = a.alliances.len() + a.phases.len() + a.members.len();
            let mut s = ImportSummary::new(dataset, a.files.clone(), stored, "alliance, phase and member rows");
            s.not_placed = a.not_placed.clone();
            s.notes.push(format!(
                "{} alliances, {} phases, {} member rows",
                a.alliances.len(),
                a.phases.len(),
                a.members.len()
            ));
            if let Some(store) = store {
                let listed = store.replace_atop(&a.alliances, &a.phases, &a.members, &a.agreements, &a.files)?;
                s.notes.push(format!(
                    "{listed} alliances listed as agreements `atop-<atopid>`; {} are curated agreements already",
                    a.alliances.len() - listed
                ));
            }
            s
        }
        Dataset::CowStates => {
            let c = cow_states::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_system_spells(&c.spells, &c.file)?;
            }
            ImportSummary::new(dataset, vec![c.file], c.spells.len(), "membership spells")
        }
        Dataset::Nmc => {
            let n = nmc::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_nmc(&n.rows, &n.file)?;
            }
            ImportSummary::new(dataset, vec![n.file], n.rows.len(), "state-years")
        }
        Dataset::Mme => {
            let m = mme::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_mme(&m.exercises, &m.file)?;
            }
            let mut s = ImportSummary::new(dataset, vec![m.file], m.exercises.len(), "exercises");
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
        Dataset::SipriMilex => {
            let p = sipri::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_sipri(&p.rows, &p.file)?;
            }
            let mut s = ImportSummary::new(dataset, vec![p.file], p.rows.len(), "state-years");
            s.unresolved = p.unresolved;
            for o in &p.outside_system {
                let years = match (o.years.first(), o.years.last()) {
                    (Some(&first), Some(&last)) => YearSpan::closed(first, last).to_string(),
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
        Dataset::Rivalries => {
            let r = rivalries::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_rivalries(&r.rivalries, &r.file)?;
            }
            let mut s = ImportSummary::new(dataset, vec![r.file], r.rivalries.len(), "rivalries");
            s.notes.extend(r.recoded.iter().map(|note| format!("code mapped through COW's successions: {note}")));
            s.not_placed = r.not_placed;
            if let Some(last) = r.observed_through {
                let ongoing = r.rivalries.iter().filter(|r| r.end.is_none()).count();
                s.notes.push(format!("{ongoing} rivalries end in {last}, the data's last year: stored as ongoing"));
            }
            s
        }
        Dataset::Contiguity => {
            let c = contiguity::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_contiguity(&c.spells, &c.file)?;
            }
            ImportSummary::new(dataset, vec![c.file], c.spells.len(), "spells").not_placed(c.not_placed)
        }
        Dataset::Capitals => {
            let c = capitals::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_capitals(&c.capitals, &c.file)?;
            }
            ImportSummary::new(dataset, vec![c.file], c.capitals.len(), "capitals").not_placed(c.not_placed)
        }
        Dataset::Mindist => {
            let d = mindist::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_mindist(&d.rows, &d.file)?;
            }
            ImportSummary::new(dataset, vec![d.file], d.rows.len(), "dyad-years").not_placed(d.not_placed)
        }
        Dataset::Majors => {
            let m = majors::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_majors(&m.spells, &m.file)?;
            }
            ImportSummary::new(dataset, vec![m.file], m.spells.len(), "spells").not_placed(m.not_placed)
        }
        Dataset::GmlMids => {
            let g = gml::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_gml_mids(&g.participants, &g.dyad_years, &g.files)?;
            }
            let stored = g.participants.len() + g.dyad_years.len();
            let mut s = ImportSummary::new(dataset, g.files, stored, "participant rows and dyadic dispute-years");
            s.notes.push(format!(
                "{} participant rows, {} dyadic dispute-years",
                g.participants.len(),
                g.dyad_years.len()
            ));
            if g.shared_dyad_years > 0 {
                s.notes.push(format!(
                    "{} directed dyad-years have more than one dispute: panels keep one, by peacesciencer's rule \
                     (docs/PANELS.md)",
                    g.shared_dyad_years
                ));
            }
            s.not_placed(g.not_placed)
        }
        Dataset::Igos => {
            let i = igos::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_igos(&i.rows, &i.file)?;
            }
            ImportSummary::new(dataset, vec![i.file], i.rows.len(), "dyad-years").not_placed(i.not_placed)
        }
        Dataset::SipriArms => {
            let a = sipri_arms::read(path, index, progress).map_err(data)?;
            if let Some(store) = store {
                store.replace_sipri_arms(&a.data, &a.files)?;
            }
            arms_summary(a)
        }
    };
    summary.dry_run = dry_run;
    if dry_run {
        summary.rows_stored = 0;
    }
    summary.elapsed_ms = started.elapsed().as_millis();
    Ok(summary)
}

impl ImportSummary {
    fn new(dataset: Dataset, files: Vec<DatasetFile>, rows_stored: usize, stored_as: &'static str) -> Self {
        let rows_read = files.iter().map(|f| f.rows).sum();
        ImportSummary {
            dataset,
            dry_run: false,
            files,
            rows_read,
            rows_stored,
            stored_as,
            unresolved: Vec::new(),
            unresolved_stored: false,
            not_placed: Vec::new(),
            notes: Vec::new(),
            elapsed_ms: 0,
        }
    }

    fn not_placed(mut self, not_placed: Vec<NotPlaced>) -> Self {
        self.not_placed = not_placed;
        self
    }
}

/// The arms import's summary: parties by kind, and every name, delivery and total that
/// needs a look (names that match no state are stored under their own names).
fn arms_summary(a: sipri_arms::SipriArms) -> ImportSummary {
    let stored = a.data.transfers.len();
    let mut s = ImportSummary::new(Dataset::SipriArms, a.files, stored, "deliveries (supplier, recipient, year)");
    let count = |kind| a.data.parties.iter().filter(|p| p.kind == kind).count();
    s.notes.push(format!(
        "years {}–{}; {} parties: {} states, {} non-state actors (SIPRI's *), {} organisations (**), {} unidentified, {} other",
        a.data.coverage.0,
        a.data.coverage.1,
        a.data.parties.len(),
        count(PartyKind::State),
        count(PartyKind::NonState),
        count(PartyKind::Organisation),
        count(PartyKind::Unidentified),
        count(PartyKind::Other),
    ));
    for u in &a.unresolved {
        s.notes.push(format!("{} first appears in {}", u.name.name, u.file));
    }
    s.unresolved = a.unresolved.into_iter().map(|u| u.name).collect();
    s.unresolved_stored = true;
    for o in &a.outside_system {
        let years = YearSpan::closed(o.first_year, o.last_year);
        let way = if o.role == "supplier" { "from" } else { "to" };
        s.notes.push(format!(
            "{} {} {} ({}) in {years}, when it is not a system member: stored, left out of panels",
            deliveries(o.deliveries),
            way,
            o.name,
            o.ccode
        ));
    }
    for m in &a.mismatches {
        s.notes.push(format!(
            "{}:{}: the total of {} is {}, its values add up to {}: more than SIPRI's rounding explains",
            m.file, m.line, m.what, m.total, m.sum
        ));
    }
    s
}

fn deliveries(n: usize) -> String {
    format!("{n} {}", if n == 1 { "delivery" } else { "deliveries" })
}

/// "1 entry", "3 entries".
pub fn entries(n: usize) -> String {
    format!("{n} {}", if n == 1 { "entry" } else { "entries" })
}
