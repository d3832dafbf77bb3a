use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// pactbase: a sourced registry of defense agreements and the analyses of the field.
///
/// States are named by COW code (770), COW abbreviation (PAK), ISO 3166 alpha-3 or name,
/// case-insensitively.
///
/// Exit codes: 0 success; 1 I/O or database error; 2 bad usage (unknown flag or value);
/// 3 unknown state, agreement or kind; 4 invalid data (nothing was stored).
#[derive(Debug, Parser)]
#[command(name = "pactbase", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Database file [default: pactbase/pactbase.db in the user's data directory]
    #[arg(long, global = true, env = "PACTBASE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write output to FILE instead of standard output
    #[arg(long, short, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database, or refresh its curated registry, from the data/ folder
    ///
    /// Loads the data compiled into this build, or DIR with --data. The whole folder is
    /// validated first; on any problem nothing is changed and every problem is listed
    /// with file, line and field. Imported research datasets are kept.
    Init {
        /// Load this data folder instead of the built-in one
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
    /// List agreements, oldest first
    Agreements(AgreementsArgs),
    /// One agreement: parties with dates, obligations, provisions, sources, ATOP coding
    Show {
        /// Agreement id (e.g. nato, anzus, ukusa)
        id: String,
    },
    /// A state's profile: agreements over time with obligations, partners by strongest
    /// tie, kinds, counts per decade, exercises
    ///
    /// CSV output has one row per membership:
    /// agreement_id,ccode,agreement,kinds,joined,left,role,obligations,owed,partners.
    Country {
        /// The state (PAK, 770, Pakistan, ...)
        state: String,
        /// Only what was in effect in this year
        #[arg(long)]
        year: Option<i32>,
    },
    /// Full-text search over agreement names, summaries and texts
    Search {
        /// Words to find (all must match; each also matches as a prefix)
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// At most this many results
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// The states of the system, with codes, names and membership spells
    States,
    /// Load a research dataset from the publisher's files
    ///
    /// Each importer validates the whole file first (header by column name, every field,
    /// duplicate keys, codes outside the state system) and lists every problem with
    /// file:line:column; on any problem nothing is stored (exit 4). A good file replaces
    /// that dataset whole, in one transaction, with its provenance (file, SHA-256, rows,
    /// time); importing the same file again stores the same rows. See docs/IMPORT.md.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub dataset: Dataset,
    /// Validate and report, store nothing
    #[arg(long, global = true)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Dataset {
    /// ATOP 5.1: the folder holding atop5_1a.csv, atop5_1aph.csv and atop5_1m.csv
    Atop {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// COW state system membership spells (states2016.csv)
    CowStates {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// COW National Material Capabilities (nmc-7.0-abridged.csv)
    Nmc {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Multinational Military Exercises (mme_v7.csv); participant names are resolved to
    /// COW codes and every name that does not resolve is listed
    Mme {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// SIPRI military expenditure, constant US$, one column per year; country names are
    /// resolved to COW codes and every name that does not resolve is listed
    SipriMilex {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Thompson–Sakuwa–Suhas strategic rivalries (tss-strategic-rivalries.csv)
    Rivalries {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct AgreementsArgs {
    /// Only agreements this state has been a party to
    #[arg(long, value_name = "STATE")]
    pub member: Option<String>,
    /// Only this kind (mutual-defense-pact, security-assistance, exercise-and-training,
    /// technology-sharing, regional-defense-alliance, intelligence-sharing, arms-control)
    /// or ATOP obligation type (defense, offense, neutrality, nonaggression, consultation)
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only agreements in force in this year (with --member: the member was a party then)
    #[arg(long, value_name = "YEAR")]
    pub active_in: Option<i32>,
    /// Only agreements whose name, summary or text match these words
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
}
