use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use pactbase_model::PartyCoverage;

/// pactbase: a sourced registry of defense agreements and the analyses of the field.
///
/// States are named by COW code (770), COW abbreviation (PAK), ISO 3166 alpha-3 or name,
/// case-insensitively.
///
/// Exit codes: 0 success; 1 I/O or database error (a file that cannot be read or written);
/// 2 bad usage (unknown flag or value); 3 unknown state, agreement or kind; 4 invalid data
/// (nothing was stored); 5 a dataset the command needs is not imported (the message names
/// the command that brings it).
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
    /// Panels, similarity and networks: also write what the output was made from (pactbase version,
    /// command, each dataset's version, SHA-256 and citation) as JSON to FILE. Parquet
    /// output carries the same as key-value metadata
    #[arg(long, global = true, value_name = "FILE.json")]
    pub provenance: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    /// Panels, similarity and networks only
    Parquet,
    /// Networks only (one year)
    Graphml,
    /// Networks only (one year), for Gephi
    Gexf,
    /// Markdown (codebook only)
    Md,
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
    /// A state's profile: what binds it at the reference year, agreements over time with
    /// their years and obligations, partners ranked by legal commitment and depth of
    /// cooperation (docs/PARTNERS.md), kinds, counts per decade, exercise series
    ///
    /// CSV output has one row per membership:
    /// agreement_id,ccode,agreement,kinds,joined,left,role,obligations,owed,partners,standing.
    Country {
        /// The state (PAK, 770, Pakistan, ...)
        state: String,
        #[command(flatten)]
        view: ViewArgs,
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
    /// file:line:column; on any problem nothing is stored (exit 4; a file that cannot be
    /// opened exits 1). Each column's values must be ones its field can hold (codes,
    /// years the dataset covers, plausible magnitudes), so a file whose column names were
    /// swapped is refused, with the first refused cells of each column. A good file replaces
    /// that dataset whole, in one transaction, with its provenance (file, SHA-256, rows,
    /// time); importing the same file again stores the same rows. See docs/IMPORT.md.
    Import(ImportArgs),
    /// The research datasets: what pactbase knows and has imported, fetching them from
    /// their publishers (or a copy), checking them, citing them
    ///
    /// The catalogue pins each dataset's version and the SHA-256 of every file; fetched
    /// files are checked before they are imported, and a file that does not match is never
    /// stored. See docs/DATA.md.
    #[command(subcommand)]
    Data(DataCommand),
    /// Research panels: state-year or dyad-year, derived from the stored data
    ///
    /// The dyad-year frame is the field's standard (peacesciencer's create_dyadyears():
    /// pairs of system members that share a day of the year; directed 1816-2016 has
    /// 1,912,290 rows). Columns: ccode1,ccode2,year (state-year: ccode,year), then per
    /// --with dataset: atop (atop_defense atop_offense atop_neutral atop_nonagg
    /// atop_consul atop_shareob atop_number atop_bilatno atop_multino atop_transyr
    /// atop_asymm atop_ids; 0 when not allied through 2018, empty after), nmc (cinc1 cinc2
    /// milex1 milex2 milper1 milper2), mme (mme_exercises and mme_<domain>), rivalry
    /// (tss_rivalry and type flags), sipri (sipri_milex1 sipri_milex2), contiguity
    /// (conttype), capdist (km), mindist (km), majors (cowmaj1 cowmaj2), mids (gmlmidonset
    /// gmlmidongoing dispnum), peaceyears (gmlmidspell), igos (dyadigos), arms (SIPRI TIV
    /// delivered from ccode1 to ccode2, tiv12, and back, tiv21); state-year: cowmaj,
    /// gmlmidonset, gmlmidongoing, gmlmidspell, tiv_imports, tiv_exports. A year a dataset does not cover
    /// is empty, never 0. Definitions: docs/PANELS.md. --format csv (default), parquet
    /// or json.
    Panel(PanelArgs),
    /// The columns of a panel: type, unit, source dataset and version, coverage and the
    /// rule for missing values
    ///
    /// The same descriptions are in the Parquet schema's field metadata of `pactbase
    /// panel`. --format csv, json or md (Markdown); the version column names the imported
    /// file's version where the dataset has been imported.
    Codebook(CodebookArgs),
    /// Alliance-portfolio similarity for every directed dyad-year (FPSIM measures)
    ///
    /// Columns ccode1,ccode2,year then sallyvus sallyvua sallybus sallybua sallyvwa
    /// sallybwa pallyv pallyb kallyv kallyb taub kallyv_values kallyb_values (see
    /// docs/SIMILARITY.md). --format csv (default), parquet or json.
    Similarity(SimilarityArgs),
    /// Alliance network of a year: node measures, components and blocs
    ///
    /// Columns year,ccode,degree,strength,betweenness,closeness,clustering,eigenvector,
    /// pagerank,component,bloc,modularity (the table view adds the state's name). --format
    /// csv (full precision) or parquet (typed, each column described, with the provenance)
    /// for one year or a long --years table; graphml or gexf writes the graph of one --year
    /// for Gephi and other tools.
    Network(NetworkArgs),
    /// Key signatories of an era, ranked by commitments and network position
    Signatories(SignatoriesArgs),
    /// Per-year trends: agreements by kind, bilateral vs multilateral alliances,
    /// provisions, exercises by domain and focus
    ///
    /// The registry's columns count its curated sample of agreements, not a census; ATOP's
    /// are empty after 2018 and MME's outside 1980-2010, the years the data describe.
    Trends(TrendsArgs),
    /// Where a state's commitments strain: calls on its commitments that failed or were
    /// limited, suspensions and sanctions, obligations toward both sides of a rivalry,
    /// sovereignty costs, overlapping commitments, partners organised apart
    Challenges {
        /// The state (PAK, 770, Pakistan, ...)
        state: String,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Partners a state could ally with next, with the reasons behind each score; or a
    /// back-test of the model against the alliances actually formed
    ///
    /// The model is a logistic regression fitted on the alliance history up to the year
    /// (see docs/RECOMMEND.md). Strategic rivals and states either side does not recognise
    /// are left out unless asked for. --backtest --format csv prints
    /// evaluation,method,auc,precision_at_k,k,pairs,positives.
    Recommend(RecommendArgs),
    /// Event-study estimates of what being bound by an agreement changed (see docs/IMPACT.md)
    ///
    /// With --state, also placebo-in-space inference and a synthetic control. Every result
    /// carries a joint test of the pre-entry estimates, and no effect is stated when it
    /// rejects. --dyadic --outcome arms-flow studies directed dyads instead of states: did
    /// arms flow from B to A change once A and B shared an agreement? With --state A, only
    /// the flows into A (its partners against its other suppliers).
    Impact(ImpactArgs),
    /// A state's arms imports by supplier (or exports by recipient) per five-year period:
    /// SIPRI TIV, shares, supplier concentration (HHI) and the agreements in force with
    /// each partner (see docs/ARMS.md)
    ///
    /// CSV has one row per period and partner: first_year,last_year,period_tiv,hhi,partner,
    /// partner_ccode,partner_kind,tiv,share,agreements (agreements `;`-separated as
    /// `id:kind|kind`). Needs `pactbase import sipri-arms DIR`.
    Arms(ArmsArgs),
    /// A self-contained HTML report on one state (charts inline, no network requests)
    Report {
        /// The state (PAK, 770, Pakistan, ...)
        state: String,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Serve the web application and JSON API (see README: "Web application")
    ///
    /// Prints the address to open. Reading is open; changes need a token from `pactbase
    /// user add`. `init`, `import` and edits made while it runs show at once, without a
    /// restart. Stops on Ctrl-C, finishing requests in flight.
    Serve(ServeArgs),
    /// Manage the users who may change the registry through the web API
    #[command(subcommand)]
    User(UserCommand),
}

/// Which year a country's assessment speaks of.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// The reference year: what binds the state at its end, and the record up to it
    /// [default: the registry's current year, 2025]
    #[arg(long, conflicts_with = "all_history")]
    pub year: Option<i32>,
    /// The whole record instead of one year (what binds it now is still read at the
    /// registry's current year)
    #[arg(long)]
    pub all_history: bool,
    /// Count partners through every agreement, universal conventions, amity and restraint
    /// treaties and organisations without obligations between the two included
    #[arg(long)]
    pub all_agreements: bool,
}

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Every dataset pactbase knows: version, coverage, where it comes from, whether it is
    /// imported (when, which files) and whether the imported files match the catalogue
    List,
    /// Download datasets, check every file against the catalogue's SHA-256, and import
    /// each in one transaction
    ///
    /// Without --from, files come from the publishers that serve a stable file; the others
    /// (conversions, web-form exports) need a copy. --from takes a folder or base URL laid
    /// out like ../shared/data (each file at its catalogue path; `pactbase data list
    /// --format json` shows them), or mirroring a publisher (host/path of its URL). A
    /// dropped connection is resumed; a truncated or altered file stores nothing.
    Fetch(FetchArgs),
    /// Recompute the SHA-256 of every imported file and compare it with what was imported
    /// and with the catalogue (exit 1 when a file differs)
    Verify,
    /// Citations (BibTeX, or plain text) for datasets: those named, those a panel's --with
    /// list reads, or else every imported one
    Cite(CiteArgs),
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Datasets to fetch (atop, cow-states, nmc, mme, sipri-milex, rivalries, ...)
    #[arg(value_parser = parse_dataset, required_unless_present = "all", conflicts_with = "all")]
    pub names: Vec<pactbase_model::research::Dataset>,
    /// Every dataset of the catalogue; those that cannot be fetched from where asked are
    /// listed with the reason
    #[arg(long)]
    pub all: bool,
    /// A folder or base URL holding a copy (see above) instead of the publishers
    #[arg(long, value_name = "DIR|URL")]
    pub from: Option<String>,
}

#[derive(Debug, Args)]
pub struct CiteArgs {
    /// Datasets to cite
    #[arg(value_parser = parse_dataset, conflicts_with = "panel")]
    pub names: Vec<pactbase_model::research::Dataset>,
    /// The datasets a panel with this --with list reads (e.g. atop,nmc), and the state system
    #[arg(long, value_name = "LIST")]
    pub panel: Option<String>,
    /// bibtex (default) or text
    #[arg(long, value_enum, default_value_t = CiteStyle::Bibtex)]
    pub style: CiteStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiteStyle {
    Bibtex,
    Text,
}

fn parse_dataset(word: &str) -> Result<pactbase_model::research::Dataset, String> {
    word.parse()
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (or give an existing one a new token and role); prints the token once
    ///
    /// Only the SHA-256 of the token's random secret is stored: keep the printed token, it
    /// cannot be shown again. Running this again for the same NAME replaces the token (and
    /// gives users whose token predates this kind a working one).
    Add {
        /// The user's name, recorded in the audit log
        name: String,
        /// editor: create and change agreements; admin: also revert changes
        #[arg(long, value_parser = ["editor", "admin"], default_value = "editor")]
        role: String,
    },
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// The state to recommend partners for (required unless --backtest)
    #[arg(required_unless_present = "backtest")]
    pub state: Option<String>,
    /// As of this year [default: 2025, the registry's current year: the network as known
    /// then, the model fitted on the alliances formed by 2018, ATOP's last year]
    #[arg(long)]
    pub year: Option<i32>,
    /// How many partners to list; with --backtest, the k of precision@k (the default 10
    /// is the k of every figure in docs/RECOMMEND.md)
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Also list strategic rivals (TSS), with a caution; by default they are left out and
    /// named below the list
    #[arg(long, conflicts_with = "backtest")]
    pub include_rivals: bool,
    /// Also list states that one side does not recognise (data/non-recognition.csv),
    /// with a caution; by default they are left out and named below the list
    #[arg(long, conflicts_with = "backtest")]
    pub include_unrecognised: bool,
    /// Back-test: fit on years up to --train-until, rank every unallied pair (strategic
    /// rivals aside), score against the alliances formed within --horizon years, beside
    /// the baselines, under four readings of what counts as a formation
    #[arg(long, conflicts_with = "state")]
    pub backtest: bool,
    /// Last year the back-tested model may see
    #[arg(long, requires = "backtest", default_value_t = 2000)]
    pub train_until: i32,
    /// Years after the cut-off in which formed alliances count (also the model's horizon)
    #[arg(long, default_value_t = 10)]
    pub horizon: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EstimatorArg {
    /// Callaway & Sant'Anna (2021): robust to staggered adoption (default)
    Cs,
    /// Two-way fixed-effects event-study regression, for comparison
    Twfe,
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// The agreement whose entry is the treatment (e.g. seato)
    #[arg(long, conflicts_with = "kind", required_unless_present = "kind")]
    pub agreement: Option<String>,
    /// Being bound by an agreement of this kind (or by an obligation of this ATOP type,
    /// under any agreement) is the treatment
    #[arg(long)]
    pub kind: Option<String>,
    /// Which side of a directed obligation makes a state treated: held (it holds one),
    /// owed (one is held toward it), either (the default: bound in one direction or the
    /// other, the closest to membership without counting partners bound by nothing) or
    /// both. Treatment ends with the obligation: a state's years after its first spell are
    /// left out (docs/IMPACT.md)
    #[arg(long, default_value = "either", value_parser = bound)]
    pub treatment: pactbase_analysis::impact::Bound,
    /// What is measured: milex (the default; log military expenditure, SIPRI's constant
    /// 2017 dollars where they cover the entries studied, else NMC's current dollars with a
    /// warning), sipri-milex, nmc-milex, cinc, log-cinc, exercises, arms-imports (log(1 +
    /// SIPRI TIV) from every supplier) or, with --dyadic, arms-flow (log(1 + TIV) delivered
    /// from B to A). A year of exactly zero has no log: it is left out and counted
    #[arg(long, default_value = "milex", value_parser = outcome)]
    pub outcome: OutcomeArg,
    /// Relative years, as FROM..TO
    #[arg(long, default_value = "-5..10", allow_hyphen_values = true)]
    pub window: String,
    /// Only this state's entry, against an explicit comparison group
    #[arg(long)]
    pub state: Option<String>,
    /// The comparison states for --state, comma-separated (default: never-treated states)
    #[arg(long, value_delimiter = ',', requires = "state")]
    pub compare: Vec<String>,
    /// Compare with not-yet-treated states as well as never-treated ones
    #[arg(long)]
    pub not_yet_treated: bool,
    #[arg(long, value_enum, default_value_t = EstimatorArg::Cs)]
    pub estimator: EstimatorArg,
    /// Also draw the estimates with their 95% intervals as an SVG chart
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
    /// Directed dyads (supplier to recipient) are the units, entry the first year both
    /// shared an agreement; needs --outcome arms-flow
    #[arg(long, conflicts_with_all = ["compare", "chart"])]
    pub dyadic: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArmsBy {
    /// What the state received, by supplier
    Supplier,
    /// What the state delivered, by recipient
    Recipient,
}

#[derive(Debug, Args)]
pub struct ArmsArgs {
    /// The state (PAK, 770, Pakistan, ...)
    pub state: String,
    /// Years, as A-B or one year [default: all SIPRI's years, 1950-2021]
    #[arg(long, value_name = "A-B")]
    pub years: Option<String>,
    /// Imports by supplier, or exports by recipient
    #[arg(long, value_enum, default_value_t = ArmsBy::Supplier)]
    pub by: ArmsBy,
    /// Also draw the main partners' deliveries per year, stacked, as an SVG chart
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<std::path::PathBuf>,
}

fn bound(word: &str) -> Result<pactbase_analysis::impact::Bound, String> {
    pactbase_analysis::impact::Bound::parse(word).ok_or_else(|| format!("`{word}`: held, owed, either or both"))
}

/// What `--outcome` names: a state's outcome, or the flow of arms within a directed dyad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeArg {
    State(pactbase_service::impact::ImpactOutcome),
    /// Arms delivered from B to A, log(1 + SIPRI TIV), per directed dyad (with --dyadic)
    ArmsFlow,
}

fn outcome(word: &str) -> Result<OutcomeArg, String> {
    use pactbase_service::impact::ImpactOutcome;
    match word {
        "arms-flow" => Ok(OutcomeArg::ArmsFlow),
        _ => ImpactOutcome::parse(word)
            .map(OutcomeArg::State)
            .ok_or_else(|| format!("`{word}`: {}, or arms-flow with --dyadic", ImpactOutcome::names())),
    }
}

/// Which alliance ties analyses use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TieSource {
    /// ATOP 5.1's member-level obligations (through 2018)
    Atop,
    /// The registry's curated directed obligations (through 2025)
    Curated,
    /// ATOP, with curated agreements replacing the ATOP alliances they code (through 2018)
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PanelUnit {
    StateYear,
    DyadYear,
}

#[derive(Debug, Args)]
pub struct PanelArgs {
    /// state-year or dyad-year
    #[arg(value_enum)]
    pub unit: PanelUnit,
    /// Dyad-years in both directions (A,B and B,A); otherwise ccode1 < ccode2
    #[arg(long)]
    pub directed: bool,
    /// Years, as A-B or one year [default: 1816 to the state system's last year]
    #[arg(long, value_name = "A-B")]
    pub years: Option<String>,
    /// Datasets to add, comma-separated: atop, nmc, mme, rivalry, sipri, contiguity,
    /// capdist, mindist, majors, mids, peaceyears, igos, arms
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub with: Vec<String>,
    /// Where alliance ties come from
    #[arg(long, value_enum, default_value_t = TieSource::Atop)]
    pub source: TieSource,
}

#[derive(Debug, Args)]
pub struct CodebookArgs {
    /// state-year or dyad-year
    #[arg(value_enum, default_value = "dyad-year")]
    pub unit: PanelUnit,
    /// The panel's datasets, as for `pactbase panel` (default: all of them)
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub with: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SimilarityArgs {
    /// Years, as A-B or one year [default: 1816-2018]
    #[arg(long, value_name = "A-B")]
    pub years: Option<String>,
    /// Where alliance ties come from
    #[arg(long, value_enum, default_value_t = TieSource::Atop)]
    pub source: TieSource,
    /// Only these measures, comma-separated (default: all)
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub measures: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NetworkLevel {
    /// An edge wherever two states share an alliance in effect
    Any,
    /// An edge wherever either owes the other defense or offense
    Defense,
}

#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// One year
    #[arg(long, conflicts_with = "years")]
    pub year: Option<i32>,
    /// A range of years, as A-B, in one long table
    #[arg(long, value_name = "A-B")]
    pub years: Option<String>,
    #[arg(long, value_enum, default_value_t = NetworkLevel::Any)]
    pub level: NetworkLevel,
    /// Only agreements of this kind (mutual-defense-pact, intelligence-sharing, …); their
    /// parties are tied even where the agreement sets no obligation
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Where alliance ties come from
    #[arg(long, value_enum, default_value_t = TieSource::Atop)]
    pub source: TieSource,
}

#[derive(Debug, Args)]
pub struct SignatoriesArgs {
    /// The era, as A-B [default: 1946-2018]
    #[arg(long, value_name = "A-B")]
    pub years: Option<String>,
    /// How many states to list
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Where alliance ties come from
    #[arg(long, value_enum, default_value_t = TieSource::Atop)]
    pub source: TieSource,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// Years, as A-B [default: 1946-2025]
    #[arg(long, value_name = "A-B")]
    pub years: Option<String>,
    /// Also draw the trends as an SVG chart into this file
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
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
    /// SIPRI Arms Transfers Database: the folder of SIPRI's "TIV of arms exports" tables,
    /// one .csv per supplier, as SIPRI's export writes them
    ///
    /// Suppliers and recipients are resolved to COW codes; rebel groups, international
    /// organisations and SIPRI's unknown parties are kept under SIPRI's names. Lists names
    /// that resolve to no state, deliveries in years a state is not a system member, and
    /// totals that do not add up within SIPRI's rounding.
    SipriArms {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Thompson–Sakuwa–Suhas strategic rivalries (tss-strategic-rivalries.csv)
    Rivalries {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// COW Direct Contiguity, directed spells with conttype 0-5 (contdir-3.2.csv)
    Contiguity {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Capitals with coordinates and date spells (capitals.csv, as peacesciencer has it)
    Capitals {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Minimum distance between borders in km, non-directed dyad-years (CShapes 2.0:
    /// mindist-cshapes-2.csv)
    Mindist {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// COW major powers, spells with dates (majors2016.csv)
    Majors {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Gibler-Miller-Little MIDs 2.2.1: the folder holding gml-disputes.csv,
    /// gml-participants.csv and gml-dyadic-dispute-years.csv
    GmlMids {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// COW IGO 3.0 dyadic: IGOs both states are full members of, per dyad-year
    /// (igo-3-dyadic.csv)
    Igos {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

impl Dataset {
    /// The dataset this subcommand imports and the path it was given.
    pub fn target(&self) -> (pactbase_model::research::Dataset, &std::path::Path) {
        use pactbase_model::research::Dataset as D;
        match self {
            Dataset::Atop { dir } => (D::Atop, dir),
            Dataset::CowStates { file } => (D::CowStates, file),
            Dataset::Nmc { file } => (D::Nmc, file),
            Dataset::Mme { file } => (D::Mme, file),
            Dataset::SipriMilex { file } => (D::SipriMilex, file),
            Dataset::Rivalries { file } => (D::Rivalries, file),
            Dataset::Contiguity { file } => (D::Contiguity, file),
            Dataset::Capitals { file } => (D::Capitals, file),
            Dataset::Mindist { file } => (D::Mindist, file),
            Dataset::Majors { file } => (D::Majors, file),
            Dataset::GmlMids { dir } => (D::GmlMids, dir),
            Dataset::Igos { file } => (D::Igos, file),
            Dataset::SipriArms { dir } => (D::SipriArms, dir),
        }
    }
}

#[derive(Debug, Args)]
pub struct AgreementsArgs {
    /// Only agreements this state has been a party to
    #[arg(long, value_name = "STATE")]
    pub member: Option<String>,
    /// Only this kind (mutual-defense-pact, security-assistance, exercise-and-training,
    /// technology-sharing, regional-defense-alliance, intelligence-sharing, arms-control,
    /// nonaggression-and-friendship) or ATOP obligation type (defense, offense, neutrality, nonaggression, consultation)
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only agreements in force in this year (with --member: the member was a party then)
    #[arg(long, value_name = "YEAR")]
    pub active_in: Option<i32>,
    /// Only agreements whose name, summary or text match these words
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
    /// Only agreements whose file lists every party (complete) or a selection (selected);
    /// see data/COVERAGE.md
    #[arg(long, value_name = "COVERAGE")]
    pub parties: Option<PartyCoverage>,
}

/// `pactbase serve`: the address and the server's limits (docs/SECURITY.md explains each).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Seconds a client has to send a request's headers; also closes idle keep-alive
    /// connections
    #[arg(long, env = "PACTBASE_HEADER_TIMEOUT", default_value_t = 10, value_name = "SECONDS")]
    pub header_timeout: u64,
    /// Seconds a client has to send a request's whole body
    #[arg(long, env = "PACTBASE_BODY_TIMEOUT", default_value_t = 30, value_name = "SECONDS")]
    pub body_timeout: u64,
    /// Seconds a response may wait on a client that reads nothing before the connection is
    /// closed
    #[arg(long, env = "PACTBASE_WRITE_TIMEOUT", default_value_t = 30, value_name = "SECONDS")]
    pub write_timeout: u64,
    /// Open connections at most (lowered to fit the open-file limit); more get 503
    #[arg(long, env = "PACTBASE_MAX_CONNECTIONS", default_value_t = 1024, value_name = "N")]
    pub max_connections: usize,
    /// Failed authentications allowed per client address, and per token, in each window;
    /// past them: 429 until the window ends
    #[arg(long, env = "PACTBASE_AUTH_FAILURES", default_value_t = 10, value_name = "N")]
    pub auth_failures: u32,
    /// The failure window, in seconds
    #[arg(long, env = "PACTBASE_AUTH_WINDOW", default_value_t = 60, value_name = "SECONDS")]
    pub auth_window: u64,
    /// Panel downloads streamed at once; more get 503 with Retry-After
    #[arg(long, env = "PACTBASE_PANEL_STREAMS", default_value_t = 4, value_name = "N")]
    pub panel_streams: usize,
    /// Longest search text, in characters (the same limit as `pactbase search`)
    #[arg(long, env = "PACTBASE_SEARCH_CHARS", default_value_t = 200, value_name = "N")]
    pub search_chars: usize,
    /// Most words in a search
    #[arg(long, env = "PACTBASE_SEARCH_WORDS", default_value_t = 12, value_name = "N")]
    pub search_words: usize,
    /// Milliseconds of database work one search may take
    #[arg(long, env = "PACTBASE_SEARCH_BUDGET", default_value_t = 2000, value_name = "MS")]
    pub search_budget: u64,
}
