mod agreements;
mod challenges;
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
use pactbase_store::Store;

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
    let db = pactbase_service::database::path(cli.global.db).map_err(database)?;
    if let Command::Init { data } = &cli.command {
        return init(&db, data.as_ref(), &out);
    }
    if let Command::Import(args) = &cli.command {
        return import::import(&db, args, &out);
    }
    if let Command::Data(DataCommand::Fetch(args)) = &cli.command {
        return data::fetch(&db, args, &out);
    }
    let mut store = open(&db)?;
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
        Command::Country { state, year } => country::country(&store, &state, year, &out),
        Command::Search { text, limit } => agreements::search(&store, &text.join(" "), limit, &out),
        Command::States => states::list(&store, &out),
        Command::Panel(args) => panel::panel(&store, &args, &out),
        Command::Similarity(args) => similarity::similarity(&store, &args, &out),
        Command::Network(args) => network::network(&store, &args, &out),
        Command::Signatories(args) => signatories::signatories(&store, &args, &out),
        Command::Trends(args) => trends::trends(&store, &args, &out),
        Command::Challenges { state, year } => challenges::challenges(&store, &state, year, &out),
        Command::Recommend(args) => recommend::recommend(&store, &args, &out),
        Command::Impact(args) => impact::impact(&store, &args, &out),
        Command::Report { state } => report::report(&store, &state, &out),
        Command::Serve { addr } => serve::serve(store, &db, &addr),
        Command::User(command) => user::user(&mut store, command, &out),
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
        Command::Country { .. } => &[Atop],
        Command::Similarity(_) | Command::Network(_) | Command::Signatories(_) => &[Atop],
        Command::Trends(_) => &[Atop, Mme],
        Command::Challenges { .. } => &[Atop, Rivalries],
        Command::Recommend(_) => &[Atop, Nmc, Mme, Rivalries],
        Command::Impact(_) => &[Nmc, Mme],
        _ => &[],
    }
}

/// The database at `db`, given the built-in registry first when it is new.
fn open(db: &std::path::Path) -> Result<Store> {
    pactbase_service::database::open(db, |db| eprintln!("pactbase: setting up {} from the built-in data", db.display()))
        .map_err(database)
}

fn database(e: DatabaseError) -> Failure {
    match e {
        DatabaseError::Data(errors) => Failure::Data(errors),
        other => Failure::Other(other.into()),
    }
}

fn init(db: &std::path::Path, data: Option<&PathBuf>, out: &Output) -> Result {
    let files = match data {
        Some(dir) => DataFiles::read_dir(dir).map_err(Failure::Data)?,
        None => DataFiles::embedded(),
    };
    let loaded = pactbase_service::database::init(db, &files).map_err(database)?;
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
