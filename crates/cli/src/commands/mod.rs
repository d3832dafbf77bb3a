mod agreements;
mod arms;
mod assessment;
mod challenges;
mod codebook;
mod country;
pub mod data;
mod impact;
mod import;
mod network;
mod panel;
mod recommend;
mod report;
mod research;
mod serve;
mod show;
mod signatories;
mod similarity;
mod states;
mod trends;
mod user;

use std::path::PathBuf;

use pactbase_ingest::curated::DataFiles;
use pactbase_service::database::DatabaseError;
use pactbase_store::{Store, StoreError};

use pactbase_model::research::Dataset;

use crate::cli::{Cli, Command, DataCommand};
use crate::failure::{Failure, Result};
use crate::output::Output;

pub fn run(cli: Cli) -> Result {
    let out = Output {
        format: cli.global.format,
        path: cli.global.output.clone(),
        provenance: cli.global.provenance.clone(),
    };
    if out.provenance.is_some() && !matches!(cli.command, Command::Panel(_) | Command::Similarity(_)) {
        return Err(Failure::Usage("--provenance applies to panel and similarity outputs".into()));
    }
    let db = pactbase_service::database::path(cli.global.db).map_err(|e| Failure::Other(e.into()))?;
    if let Command::Init { data } = &cli.command {
        return init(&db, data.as_ref(), &out);
    }
    if let Command::Import(args) = &cli.command {
        return import::import(&db, args, &out);
    }
    if let Command::Data(DataCommand::Fetch(args)) = &cli.command {
        return data::fetch(&db, args, &out);
    }
    let mut store = match cli.command {
        Command::User(_) => open(&db)?,
        _ => open_for_reading(&db)?,
    };
    if !store.is_initialised()? {
        eprintln!("pactbase: setting up {} from the built-in data", db.display());
        pactbase_service::database::load_curated(&mut store, &DataFiles::embedded()).map_err(|e| database(&db, e))?;
    }
    data::hint_missing(&store, could_use(&cli.command))?;
    match cli.command {
        Command::Init { .. } | Command::Import(_) | Command::Data(DataCommand::Fetch(_)) => {
            unreachable!("handled above")
        }
        Command::Data(DataCommand::List) => data::list(&store, &out),
        Command::Data(DataCommand::Verify) => data::verify(&store, &out),
        Command::Data(DataCommand::Cite(args)) => data::cite(&store, &args, &out),
        Command::Agreements(args) => agreements::list(&store, &args, &out),
        Command::Show { id } => show::show(&store, &id, &out),
        Command::Country { state, view } => country::country(&store, &state, &view, &out),
        Command::Search { text, limit } => agreements::search(&store, &text.join(" "), limit, &out),
        Command::States => states::list(&store, &out),
        Command::Panel(args) => panel::panel(&store, &args, &out),
        Command::Codebook(args) => codebook::codebook(&store, &args, &out),
        Command::Similarity(args) => similarity::similarity(&store, &args, &out),
        Command::Network(args) => network::network(&store, &args, &out),
        Command::Signatories(args) => signatories::signatories(&store, &args, &out),
        Command::Trends(args) => trends::trends(&store, &args, &out),
        Command::Challenges { state, view } => challenges::challenges(&store, &state, &view, &out),
        Command::Recommend(args) => recommend::recommend(&store, &args, &out),
        Command::Impact(args) => impact::impact(&store, &args, &out),
        Command::Arms(args) => arms::arms(&store, &args, &out),
        Command::Report { state, view } => report::report(&store, &state, &view, &out),
        Command::Serve(args) => serve::serve(store, &db, &args),
        Command::User(command) => user::user(&mut store, command, &out).map_err(|e| in_database(&db, e)),
    }
}

/// What an output of the command now running is made from.
fn provenance(store: &Store, datasets: &[Dataset]) -> Result<pactbase_service::provenance::Provenance> {
    let command = std::env::args().collect();
    pactbase_service::provenance::Provenance::of(store, command, datasets).map_err(research::failure)
}

/// The research datasets a command could use, whose absence it mentions once (a panel
/// names its own and fails without them).
fn could_use(command: &Command) -> &'static [Dataset] {
    use Dataset::*;
    match command {
        Command::Serve { .. } | Command::Report { .. } => &[Atop, Nmc, Mme, SipriMilex, Rivalries],
        Command::Country { .. } => &[Mme, Rivalries],
        Command::Similarity(_) | Command::Network(_) | Command::Signatories(_) => &[Atop],
        Command::Trends(_) => &[Atop, Mme],
        Command::Challenges { .. } => &[Atop, Rivalries],
        Command::Recommend(_) => &[Atop, Nmc, Mme, Rivalries],
        Command::Impact(_) => &[Nmc, Mme],
        _ => &[],
    }
}

/// Opens the database for writing (creating it if needed); a failure says why and what
/// to do.
fn open(db: &std::path::Path) -> Result<Store> {
    Store::open(db).map_err(|e| database_failure(db, e))
}

/// Opens the database for a command that only reads: read-only when it exists with this
/// build's schema and the registry loaded (so a read-only file or file system is no
/// obstacle), else for writing, to create, set up or upgrade it.
fn open_for_reading(db: &std::path::Path) -> Result<Store> {
    if db.exists() {
        match Store::open_read_only(db) {
            Ok(store) if store.is_initialised().map_err(|e| database_failure(db, e))? => return Ok(store),
            // Not set up, an older schema, or a crashed writer's journal to recover:
            // these need writing.
            Ok(_) => {}
            Err(e) if e.is_read_only() => {}
            Err(e) => return Err(database_failure(db, e)),
        }
    }
    open(db)
}

/// A database error with the database named and, where there is one, the remedy.
pub(crate) fn database_failure(db: &std::path::Path, e: StoreError) -> Failure {
    let advice = e.advice().map(|a| format!("\n  {a}")).unwrap_or_default();
    Failure::Other(anyhow::anyhow!("cannot use the database {}: {e}{advice}", db.display()))
}

/// A failure while writing to the database: store errors get the database named and the
/// remedy.
pub(crate) fn in_database(db: &std::path::Path, failure: Failure) -> Failure {
    match failure {
        Failure::Other(e) => match e.downcast::<StoreError>() {
            Ok(e) => database_failure(db, e),
            Err(e) => Failure::Other(e),
        },
        other => other,
    }
}

/// A failure to find, create or fill the database, with the database named and the remedy.
fn database(db: &std::path::Path, e: DatabaseError) -> Failure {
    match e {
        DatabaseError::Data(errors) => Failure::Data(errors),
        DatabaseError::Store(e) | DatabaseError::Open { source: e, .. } => database_failure(db, e),
        other => Failure::Other(other.into()),
    }
}

fn init(db: &std::path::Path, data: Option<&PathBuf>, out: &Output) -> Result {
    let files = match data {
        Some(dir) => DataFiles::read_dir(dir).map_err(Failure::data)?,
        None => DataFiles::embedded(),
    };
    let loaded = pactbase_service::database::init(db, &files).map_err(|e| database(db, e))?;
    if !loaded.kept_edited.is_empty() {
        eprintln!(
            "pactbase: kept {} agreement(s) edited through the web API over data/: {}",
            loaded.kept_edited.len(),
            loaded.kept_edited.join(", ")
        );
    }
    let text = format!(
        "{}: loaded {} states, {} agreements, {} exercise series from {}\n",
        loaded.database, loaded.states, loaded.agreements, loaded.exercise_series, loaded.data
    );
    let table = crate::output::Table {
        headers: vec!["database", "states", "agreements", "exercise_series"],
        rows: vec![vec![
            loaded.database.clone(),
            loaded.states.to_string(),
            loaded.agreements.to_string(),
            loaded.exercise_series.to_string(),
        ]],
    };
    out.document(&text, &table, &loaded)
}
