//! ATOP 5.1 (FIELD.md §2): the alliance file (`atop5_1a.csv`, one row per alliance),
//! the phase file (`atop5_1aph.csv`, one row per alliance phase) and the member file
//! (`atop5_1m.csv`, one row per member per phase), read from one folder and checked
//! against each other.
//!
//! Member codes are kept as ATOP gives them, including the few outside the COW system
//! (8152). A member may hold two rows for the same alliance and phase when it left and
//! came back (Egypt and the Arab League, 1979–1989); two rows whose memberships overlap
//! are the same membership entered twice.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use pactbase_model::research::{AtopAlliance, AtopMember, AtopObligations, AtopPhase, Dataset, DatasetFile};
use pactbase_model::{Agreement, Ccode, StateIndex, Vocabulary};

use super::table::{Column, Holds, Progress, Row, Table, YEARS};
use super::{atop_agreement, NotPlaced, Placement, Version};
use crate::{DataError, DataErrors};

pub const DATASET: Dataset = Dataset::Atop;
pub const ALLIANCE_FILE: &str = "atop5_1a.csv";
pub const PHASE_FILE: &str = "atop5_1aph.csv";
pub const MEMBER_FILE: &str = "atop5_1m.csv";

/// ATOP's alliance ids by era (codebook §2.31): 1000–1999 for 1815–1913 ... 4000–7999
/// from 1990.
const ATOPID: Holds = Holds::Int(1000..=7999);
/// ATOP 5.1's last year: `yrexit = 0` is "in effect through 2018".
const ATOP_LAST_YEAR: i32 = pactbase_model::coverage::ATOP.last;
/// Member codes: COW codes, and a few of ATOP's own above them (8152).
const MEMBER_CODE: Holds = Holds::Int(1..=9999);
const MONTH: Holds = Holds::Int(1..=12);
const DAY: Holds = Holds::Int(1..=31);

const ALLIANCE_COLUMNS: &[Column] = &[
    Column::new("atopid", ATOPID),
    Column::new("cowid", Holds::Int(1..=9999)),
    Column::new("begyr", Holds::Year(YEARS)),
    Column::new("begmo", MONTH),
    Column::new("begday", DAY),
    Column::new("endyr", Holds::Year(YEARS)),
    Column::new("endmo", MONTH),
    Column::new("endday", DAY),
    Column::new("bilat", Holds::Flag),
    Column::new("asymm", Holds::Flag),
    Column::new("defense", Holds::Flag),
    Column::new("offense", Holds::Flag),
    Column::new("neutral", Holds::Flag),
    Column::new("nonagg", Holds::Flag),
    Column::new("consul", Holds::Flag),
    // Provision codes, each from 0 to the codebook's highest value.
    Column::new("milcon", Holds::Int(0..=3)),
    Column::new("milaid", Holds::Int(0..=4)),
    Column::new("intcom", Holds::Int(0..=1)),
    Column::new("subord", Holds::Int(0..=2)),
    Column::new("base", Holds::Int(0..=3)),
    Column::new("organ1", Holds::Int(0..=3)),
    Column::new("contrib", Holds::Int(0..=1)),
    Column::new("armred", Holds::Int(0..=2)),
    Column::new("specthrt", Holds::Int(0..=6)),
    Column::new("ecaid", Holds::Int(0..=3)),
    Column::new("version", Holds::Text),
];

const PHASE_COLUMNS: &[Column] = &[
    Column::new("atopid", ATOPID),
    Column::new("phase", Holds::Int(0..=9)),
    Column::new("begyr", Holds::Year(YEARS)),
    Column::new("begmo", MONTH),
    Column::new("begday", DAY),
    Column::new("endyr", Holds::Year(YEARS)),
    Column::new("endmo", MONTH),
    Column::new("endday", DAY),
    Column::new("defense", Holds::Flag),
    Column::new("offense", Holds::Flag),
    Column::new("neutral", Holds::Flag),
    Column::new("nonagg", Holds::Flag),
    Column::new("consul", Holds::Flag),
    Column::new("version", Holds::Text),
];

const MEMBER_COLUMNS: &[Column] = &[
    Column::new("atopid", ATOPID),
    Column::new("member", MEMBER_CODE),
    Column::new("phase", Holds::Int(0..=9)),
    Column::new("yrent", Holds::Year(YEARS)),
    Column::new("moent", MONTH),
    Column::new("dayent", DAY),
    Column::new("yrexit", Holds::Year(YEARS)),
    Column::new("moexit", MONTH),
    Column::new("dayexit", DAY),
    Column::new("defense", Holds::Flag),
    Column::new("offense", Holds::Flag),
    Column::new("neutral", Holds::Flag),
    Column::new("nonagg", Holds::Flag),
    Column::new("consul", Holds::Flag),
    Column::new("defcon", Holds::Flag),
    Column::new("offcon", Holds::Flag),
    Column::new("neucon", Holds::Flag),
    Column::new("concon", Holds::Flag),
    Column::new("obvary", Holds::Flag),
    Column::new("version", Holds::Text),
];

/// ATOP's alliances with their phases and members, and the registry agreement each
/// alliance becomes when no curated agreement claims it.
#[derive(Debug, Clone)]
pub struct Atop {
    pub alliances: Vec<AtopAlliance>,
    pub phases: Vec<AtopPhase>,
    pub members: Vec<AtopMember>,
    /// One per alliance, id `atop-<atopid>`; members outside the states table are left out.
    pub agreements: Vec<Agreement>,
    /// Member-years panels cannot place: codes outside the COW system (8152), years a
    /// member is not a system member.
    pub not_placed: Vec<NotPlaced>,
    pub files: Vec<DatasetFile>,
}

/// Which of a member's obligations are conditional (`defcon`, `offcon`, `neucon`,
/// `concon`; nonaggression has no conditions in ATOP).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Conditions {
    pub defense: bool,
    pub offense: bool,
    pub neutral: bool,
    pub consul: bool,
}

pub fn read(dir: &Path, index: &StateIndex, progress: Progress) -> Result<Atop, DataErrors> {
    let open = |name, columns| Table::open(&dir.join(name), columns, progress);
    let (mut a_table, mut p_table, mut m_table) = match (
        open(ALLIANCE_FILE, ALLIANCE_COLUMNS),
        open(PHASE_FILE, PHASE_COLUMNS),
        open(MEMBER_FILE, MEMBER_COLUMNS),
    ) {
        (Ok(a), Ok(p), Ok(m)) => (a, p, m),
        (a, p, m) => {
            let errors = [a.err(), p.err(), m.err()].into_iter().flatten().flatten().collect();
            return Err(DataErrors(errors));
        }
    };
    let mut versions = [Version::new(), Version::new(), Version::new()];
    let mut keys = Keys::default();
    let (alliances, alliance_lines) = read_alliances(&mut a_table, &mut versions[0], &mut keys);
    let (phases, phase_lines) = read_phases(&mut p_table, &mut versions[1], &mut keys);
    let (members, member_lines, conditions) = read_members(&mut m_table, &mut versions[2], &mut keys);

    let lines = Lines { alliances: &alliance_lines, phases: &phase_lines, members: &member_lines };
    check_keys(&alliances, &phases, &members, &lines, &keys, [&mut a_table, &mut p_table, &mut m_table]);
    check_obligations(&alliances, &phases, &members, &lines, &keys, [&mut a_table, &mut p_table]);

    let [a_version, p_version, m_version] = versions.map(|v| v.or_file_name(Path::new(DATASET.as_str())));
    let mut errors = Vec::new();
    for (table, version) in [(&p_table, &p_version), (&m_table, &m_version)] {
        if *version != a_version {
            let message = format!("version `{version}` differs from the alliance file's `{a_version}`");
            errors.push(DataError::file(&table.file, message).field("version"));
        }
    }
    let mut files = Vec::new();
    for (table, version) in [(a_table, &a_version), (p_table, &p_version), (m_table, &m_version)] {
        let (file, file_errors) = table.finish(DATASET, version);
        files.push(file);
        errors.extend(file_errors);
    }
    if !errors.is_empty() {
        return Err(DataErrors(errors));
    }
    let agreements = atop_agreement::build_all(&alliances, &phases, &members, &conditions, index, &a_version);
    let mut placement = Placement::default();
    for (m, &line) in members.iter().zip(&member_lines) {
        let last = m.exit.map_or(ATOP_LAST_YEAR, |e| e.year);
        match index.get(m.ccode) {
            None => placement
                .add("member code outside the COW system", line, || format!("{} in atopid {}", m.ccode, m.atopid)),
            Some(_) => (m.entry.year..=last).for_each(|y| placement.state_year(index, m.ccode, y, line)),
        }
    }
    Ok(Atop { alliances, phases, members, agreements, not_placed: placement.finish(), files })
}

fn obligations(row: &mut Row) -> AtopObligations {
    AtopObligations {
        defense: row.flag("defense"),
        offense: row.flag("offense"),
        neutral: row.flag("neutral"),
        nonagg: row.flag("nonagg"),
        consul: row.flag("consul"),
    }
}

/// A provision code; blank when ATOP did not locate the document.
fn provision(row: &mut Row, column: &str) -> Option<u8> {
    row.opt_int(column)
}

/// The keys of every row whose key fields could be read, even when another field of the
/// row could not: the cross-file checks use them, so that one bad cell does not make its
/// whole alliance look missing from the other files.
#[derive(Default)]
struct Keys {
    alliances: HashSet<u32>,
    phases: HashSet<(u32, u8)>,
    members: HashMap<u32, BTreeSet<Ccode>>,
    /// Member rows per alliance, read in full or not.
    member_rows: HashMap<u32, usize>,
}

fn read_alliances(table: &mut Table, version: &mut Version, keys: &mut Keys) -> (Vec<AtopAlliance>, Vec<usize>) {
    // ATOP lists each alliance's members in `mem1` ... `mem59`.
    let member_columns: Vec<usize> = (0..table.header.len())
        .filter(|&i| {
            table.header[i].strip_prefix("mem").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    let (mut alliances, mut lines) = (Vec::new(), Vec::new());
    while let Some(mut row) = table.next_row() {
        let atopid = row.int("atopid");
        if !row.failed() {
            keys.alliances.insert(atopid);
        }
        version.check(&mut row);
        let cowid = row.opt_int("cowid");
        let begin = row.ymd("begyr", "begmo", "begday");
        let end = row.end_ymd("endyr", "endmo", "endday");
        let bilateral = row.flag("bilat");
        let asymmetric = row.flag("asymm");
        let obligations = obligations(&mut row);
        let mut members = Vec::new();
        for &p in &member_columns {
            if !row.raw_at(p).is_empty() {
                members.push(row.int_at(p, &MEMBER_CODE));
            }
        }
        let alliance = AtopAlliance {
            atopid,
            cowid,
            begin,
            end,
            bilateral,
            asymmetric,
            obligations,
            milcon: provision(&mut row, "milcon"),
            milaid: provision(&mut row, "milaid"),
            intcom: provision(&mut row, "intcom"),
            subord: provision(&mut row, "subord"),
            base: provision(&mut row, "base"),
            organ1: provision(&mut row, "organ1"),
            contrib: provision(&mut row, "contrib"),
            armred: provision(&mut row, "armred"),
            specthrt: provision(&mut row, "specthrt"),
            ecaid: provision(&mut row, "ecaid"),
            members,
        };
        if let Some(end) = end.filter(|&e| e < begin) {
            row.error("endyr", format!("the alliance ends ({end}) before it begins ({begin})"));
        }
        if alliance.members.is_empty() && !row.failed() {
            let at = member_columns.first().copied().unwrap_or_else(|| row.position("atopid"));
            row.error_at(at, "the alliance lists no members");
        }
        if !row.failed() {
            lines.push(row.line);
            alliances.push(alliance);
        }
    }
    (alliances, lines)
}

fn read_phases(table: &mut Table, version: &mut Version, keys: &mut Keys) -> (Vec<AtopPhase>, Vec<usize>) {
    let (mut phases, mut lines) = (Vec::new(), Vec::new());
    while let Some(mut row) = table.next_row() {
        let key = (row.int("atopid"), row.int("phase"));
        if !row.failed() {
            keys.phases.insert(key);
        }
        version.check(&mut row);
        let phase = AtopPhase {
            atopid: key.0,
            phase: key.1,
            begin: row.ymd("begyr", "begmo", "begday"),
            end: row.end_ymd("endyr", "endmo", "endday"),
            obligations: obligations(&mut row),
        };
        if let Some(end) = phase.end.filter(|&e| e < phase.begin) {
            row.error("endyr", format!("the phase ends ({end}) before it begins ({})", phase.begin));
        }
        if !row.failed() {
            lines.push(row.line);
            phases.push(phase);
        }
    }
    (phases, lines)
}

fn read_members(
    table: &mut Table,
    version: &mut Version,
    keys: &mut Keys,
) -> (Vec<AtopMember>, Vec<usize>, Vec<Conditions>) {
    let (mut members, mut lines, mut conditions) = (Vec::new(), Vec::new(), Vec::new());
    while let Some(mut row) = table.next_row() {
        let (atopid, ccode) = (row.int("atopid"), row.int("member"));
        if !row.failed() {
            keys.members.entry(atopid).or_default().insert(ccode);
            *keys.member_rows.entry(atopid).or_default() += 1;
        }
        version.check(&mut row);
        let member = AtopMember {
            atopid,
            ccode,
            phase: row.int("phase"),
            entry: row.ymd("yrent", "moent", "dayent"),
            exit: row.end_ymd("yrexit", "moexit", "dayexit"),
            obligations: obligations(&mut row),
            obvary: row.flag("obvary"),
        };
        let conditional = Conditions {
            defense: row.flag("defcon"),
            offense: row.flag("offcon"),
            neutral: row.flag("neucon"),
            consul: row.flag("concon"),
        };
        if let Some(exit) = member.exit.filter(|&e| e < member.entry) {
            row.error("yrexit", format!("the member leaves ({exit}) before it enters ({})", member.entry));
        }
        // A condition qualifies an obligation the member holds (codebook §3).
        let o = &member.obligations;
        let c = &conditional;
        for (held, condition, column, obligation) in [
            (o.defense, c.defense, "defcon", "defense"),
            (o.offense, c.offense, "offcon", "offense"),
            (o.neutral, c.neutral, "neucon", "neutral"),
            (o.consul, c.consul, "concon", "consul"),
        ] {
            if condition && !held {
                let message =
                    format!("1, a condition on {obligation}, which this member does not hold (0): swapped columns?");
                row.error(column, message);
            }
        }
        if !row.failed() {
            lines.push(row.line);
            members.push(member);
            conditions.push(conditional);
        }
    }
    (members, lines, conditions)
}

/// An alliance's obligation flags, and a phase's, are those its members hold taken
/// together (ATOP codes an alliance with an obligation when any member has it; true of
/// every row of 5.1): a file whose obligation columns were swapped breaks this. Compared
/// only where every member row of the alliance was read.
fn check_obligations(
    alliances: &[AtopAlliance],
    phases: &[AtopPhase],
    members: &[AtopMember],
    lines: &Lines,
    keys: &Keys,
    [a_table, p_table]: [&mut Table; 2],
) {
    let mut read: HashMap<u32, usize> = HashMap::new();
    let mut by_alliance: HashMap<u32, AtopObligations> = HashMap::new();
    let mut by_phase: HashMap<(u32, u8), AtopObligations> = HashMap::new();
    for m in members {
        *read.entry(m.atopid).or_default() += 1;
        for held in [by_alliance.entry(m.atopid).or_default(), by_phase.entry((m.atopid, m.phase)).or_default()] {
            *held = either(held, &m.obligations);
        }
    }
    let complete = |atopid: u32| read.get(&atopid) == keys.member_rows.get(&atopid);
    for (a, &line) in alliances.iter().zip(lines.alliances) {
        if complete(a.atopid) {
            let held = by_alliance.get(&a.atopid).copied().unwrap_or_default();
            compare(a_table, line, &a.obligations, &held, "alliance");
        }
    }
    for (p, &line) in phases.iter().zip(lines.phases) {
        if complete(p.atopid) {
            let held = by_phase.get(&(p.atopid, p.phase)).copied().unwrap_or_default();
            compare(p_table, line, &p.obligations, &held, "phase");
        }
    }
}

fn either(a: &AtopObligations, b: &AtopObligations) -> AtopObligations {
    AtopObligations {
        defense: a.defense || b.defense,
        offense: a.offense || b.offense,
        neutral: a.neutral || b.neutral,
        nonagg: a.nonagg || b.nonagg,
        consul: a.consul || b.consul,
    }
}

/// Reports each flag of `stated` that differs from what the members `held`.
fn compare(table: &mut Table, line: usize, stated: &AtopObligations, held: &AtopObligations, what: &str) {
    for (column, s, h) in [
        ("defense", stated.defense, held.defense),
        ("offense", stated.offense, held.offense),
        ("neutral", stated.neutral, held.neutral),
        ("nonagg", stated.nonagg, held.nonagg),
        ("consul", stated.consul, held.consul),
    ] {
        if s != h {
            let members = if h { "a member row" } else { "no member row" };
            let message = format!(
                "{} here, but {members} of this {what} in {MEMBER_FILE} holds {column}: swapped columns?",
                u8::from(s)
            );
            table.error(line, column, message);
        }
    }
}

/// The line each parsed row came from, per file.
struct Lines<'a> {
    alliances: &'a [usize],
    phases: &'a [usize],
    members: &'a [usize],
}

/// Keys within and across the three files: one row per alliance and per phase, phases
/// and members of known alliances, the alliance's member list equal to its member rows,
/// and no membership entered twice.
fn check_keys(
    alliances: &[AtopAlliance],
    phases: &[AtopPhase],
    members: &[AtopMember],
    lines: &Lines,
    keys: &Keys,
    [a_table, p_table, m_table]: [&mut Table; 3],
) {
    let mut alliance_at: HashMap<u32, usize> = HashMap::new();
    for (a, &line) in alliances.iter().zip(lines.alliances) {
        if let Some(first) = alliance_at.insert(a.atopid, line) {
            a_table.error(line, "atopid", format!("duplicate key: atopid {} is already on line {first}", a.atopid));
        }
    }
    let mut phase_at: HashMap<(u32, u8), usize> = HashMap::new();
    for (p, &line) in phases.iter().zip(lines.phases) {
        if !keys.alliances.contains(&p.atopid) {
            p_table.error(line, "atopid", format!("atopid {} is not in {ALLIANCE_FILE}", p.atopid));
        }
        if let Some(first) = phase_at.insert((p.atopid, p.phase), line) {
            let message = format!("duplicate key: atopid {} phase {} is already on line {first}", p.atopid, p.phase);
            p_table.error(line, "phase", message);
        }
    }
    // (atopid, member, phase) -> indices of its rows, to find overlapping memberships.
    let mut spells: HashMap<(u32, Ccode, u8), Vec<usize>> = HashMap::new();
    for (i, (m, &line)) in members.iter().zip(lines.members).enumerate() {
        if !keys.alliances.contains(&m.atopid) {
            m_table.error(line, "atopid", format!("atopid {} is not in {ALLIANCE_FILE}", m.atopid));
        } else if !keys.phases.contains(&(m.atopid, m.phase)) {
            m_table.error(line, "phase", format!("atopid {} has no phase {} in {PHASE_FILE}", m.atopid, m.phase));
        }
        spells.entry((m.atopid, m.ccode, m.phase)).or_default().push(i);
    }
    let mut overlaps = Vec::new();
    for ((atopid, ccode, phase), mut rows) in spells {
        rows.sort_by_key(|&i| members[i].entry);
        for pair in rows.windows(2) {
            let (a, b) = (&members[pair[0]], &members[pair[1]]);
            if a.exit.is_none_or(|exit| b.entry < exit) {
                let message = format!(
                    "duplicate key: member {ccode} of atopid {atopid} phase {phase} already has a membership from {} on line {} that overlaps this one",
                    a.entry, lines.members[pair[0]]
                );
                overlaps.push((lines.members[pair[1]], message));
            }
        }
    }
    for (line, message) in overlaps {
        m_table.error(line, "member", message);
    }
    let mem1 = a_table.header.iter().position(|h| h == "mem1").unwrap_or_else(|| a_table.position("atopid"));
    let none = BTreeSet::new();
    for (a, &line) in alliances.iter().zip(lines.alliances) {
        let mut named = a.members.clone();
        named.sort_unstable();
        if let Some(twice) = named.windows(2).find(|w| w[0] == w[1]) {
            a_table.error_at(line, mem1, format!("member {} is listed twice", twice[0]));
        }
        named.dedup();
        let rows: Vec<Ccode> = keys.members.get(&a.atopid).unwrap_or(&none).iter().copied().collect();
        if named != rows {
            let only_named: Vec<_> = named.iter().filter(|c| !rows.contains(c)).collect();
            let only_rows: Vec<_> = rows.iter().filter(|c| !named.contains(c)).collect();
            let message = format!(
                "the members listed here and the rows of {MEMBER_FILE} differ: only here {only_named:?}, only there {only_rows:?}"
            );
            a_table.error_at(line, mem1, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{index, places};
    use pactbase_model::research::Ymd;
    use pactbase_model::{AgreementKind, ObligationType, Parties};

    const A_HEADER: &str = "atopid,cowid,begyr,begmo,begday,endyr,endmo,endday,bilat,asymm,defense,offense,neutral,nonagg,consul,milcon,milaid,intcom,subord,base,organ1,contrib,armred,specthrt,ecaid,mem1,mem2,mem3,version\n";
    const P_HEADER: &str =
        "atopid,phase,begyr,begmo,begday,endyr,endmo,endday,defense,offense,neutral,nonagg,consul,version\n";
    const M_HEADER: &str = "atopid,member,phase,yrent,moent,dayent,yrexit,moexit,dayexit,defense,offense,neutral,nonagg,consul,defcon,offcon,neucon,concon,obvary,version\n";

    /// A defense pact of the US, Pakistan and ATOP's 8152 in two phases; Pakistan
    /// leaves in 1972 and comes back in 1980.
    fn files() -> [String; 3] {
        [
            format!("{A_HEADER}3355,,1959,3,5,0,0,0,0,1,1,0,0,0,1,2,3,0,0,3,1,0,0,1,0,2,770,8152,5.1\n"),
            format!("{P_HEADER}3355,1,1959,3,5,1970,1,1,1,0,0,0,1,5.1\n3355,2,1970,1,1,0,0,0,0,0,0,0,1,5.1\n"),
            format!(
                "{M_HEADER}3355,2,1,1959,3,5,1970,1,1,1,0,0,0,1,1,0,0,0,0,5.1\n\
                 3355,2,2,1970,1,1,0,0,0,0,0,0,0,1,0,0,0,0,1,5.1\n\
                 3355,770,1,1959,3,5,1970,1,1,1,0,0,0,1,0,0,0,0,0,5.1\n\
                 3355,770,2,1970,1,1,1972,6,,0,0,0,0,1,0,0,0,0,0,5.1\n\
                 3355,770,2,1980,2,,0,0,0,0,0,0,0,1,0,0,0,0,0,5.1\n\
                 3355,8152,1,1959,3,5,1970,1,1,0,0,0,0,1,0,0,0,0,0,5.1\n"
            ),
        ]
    }

    fn read_files([a, p, m]: &[String; 3]) -> Result<Atop, DataErrors> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [(ALLIANCE_FILE, a), (PHASE_FILE, p), (MEMBER_FILE, m)] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        read(dir.path(), &index(), &|_| {})
    }

    #[test]
    fn reads_the_three_files_and_builds_the_agreement() {
        let atop = read_files(&files()).unwrap();
        assert_eq!((atop.alliances.len(), atop.phases.len(), atop.members.len()), (1, 2, 6));
        assert_eq!(atop.alliances[0].members, vec![2, 770, 8152]);
        assert_eq!(atop.alliances[0].milaid, Some(3));
        assert_eq!(atop.members[4].entry, Ymd::new(1980, 2, 0));
        assert!(atop.members.iter().any(|m| m.ccode == 8152), "ATOP's own codes are kept");
        assert_eq!(atop.files.len(), 3);
        assert!(atop.files.iter().all(|f| f.version == "5.1" && f.sha256.len() == 64));

        let a = &atop.agreements[0];
        assert_eq!(a.id, "atop-3355");
        assert_eq!(a.name, "ATOP alliance 3355 (USA, PAK)");
        assert_eq!(a.kinds, vec![AgreementKind::MutualDefensePact, AgreementKind::SecurityAssistance]);
        assert_eq!(a.provisions.foreign_bases, Some(true));
        assert_eq!(a.parties(), vec![2, 770], "8152 is not a registry party");
        let outside: Vec<&str> = a.non_state_parties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(outside, ["ATOP member code 8152 (outside the COW state system)"], "but it is counted");
        let stays: Vec<String> = a
            .memberships_of(770)
            .map(|m| format!("{}..{}", m.joined, m.left.map(|l| l.to_string()).unwrap_or_default()))
            .collect();
        assert_eq!(stays, vec!["1959-03-05..1972-06", "1980-02.."]);
        let us_defense =
            a.obligations.iter().find(|o| o.kind == ObligationType::Defense && o.from == Parties::States(vec![2]));
        let us_defense = us_defense.unwrap();
        assert!(us_defense.conditional);
        assert!(us_defense.note.as_deref().unwrap().contains("phase 1 only"), "{:?}", us_defense.note);
    }

    #[test]
    fn overlapping_membership_is_a_duplicate_key() {
        let [a, p, m] = files();
        let m = format!("{m}3355,770,2,1981,1,1,0,0,0,0,0,0,0,1,0,0,0,0,0,5.1\n");
        let err = read_files(&[a, p, m]).unwrap_err();
        assert_eq!(places(&err), vec![(Some(8), Some(2), Some("member".into()))], "{err}");
        assert!(err.0[0].file.ends_with(MEMBER_FILE));
    }

    #[test]
    fn members_must_belong_to_known_alliances_and_phases() {
        let [a, p, m] = files();
        let m = format!(
            "{m}3356,770,0,1981,1,1,0,0,0,0,0,0,0,1,0,0,0,0,0,5.1\n3355,200,7,1981,1,1,0,0,0,0,0,0,0,1,0,0,0,0,0,5.1\n"
        );
        let err = read_files(&[a, p, m]).unwrap_err();
        let located: Vec<_> =
            err.0.iter().map(|e| (e.file.rsplit('/').next().unwrap().to_owned(), e.line, e.field.clone())).collect();
        assert_eq!(
            located,
            vec![
                (ALLIANCE_FILE.into(), Some(2), Some("mem1".into())),
                (MEMBER_FILE.into(), Some(8), Some("atopid".into())),
                (MEMBER_FILE.into(), Some(9), Some("phase".into())),
            ],
            "{err}"
        );
    }

    #[test]
    fn years_out_of_range_and_bad_provisions_are_located() {
        let [a, p, m] = files();
        let a = a.replace("3355,,1959,3,5,0,0,0,0,1,1,0,0,0,1,2,3,0,", "3355,,1759,3,5,0,0,0,0,1,1,0,0,0,1,2,9,0,");
        let err = read_files(&[a, p, m]).unwrap_err();
        assert_eq!(
            places(&err),
            vec![(Some(2), Some(3), Some("begyr".into())), (Some(2), Some(17), Some("milaid".into()))],
            "{err}"
        );
    }

    #[test]
    fn a_missing_column_or_file_is_named() {
        let [a, p, m] = files();
        let err = read_files(&[a.clone(), p.clone(), m.replace("obvary", "obvar")]).unwrap_err();
        assert_eq!(places(&err), vec![(Some(1), Some(19), Some("obvary".into()))], "{err}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(ALLIANCE_FILE), a).unwrap();
        let err = read(dir.path(), &index(), &|_| {}).unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
        assert!(err.0[0].file.ends_with(PHASE_FILE) && err.0[0].message.starts_with("cannot open"));
    }

    /// Issue 20 item 8: obligation columns swapped in the member file break the tie
    /// between members' obligations, their conditions and the alliance's own flags.
    #[test]
    fn swapped_obligation_columns_are_refused() {
        let [a, p, m] = files();
        let err = read_files(&[a.clone(), p.clone(), m.replacen("defense,offense", "offense,defense", 1)]).unwrap_err();
        assert_eq!(places(&err), vec![(Some(2), Some(15), Some("defcon".into()))], "{err}");
        let err = read_files(&[a, p, m.replacen("nonagg,consul", "consul,nonagg", 1)]).unwrap_err();
        let located: Vec<_> =
            err.0.iter().map(|e| (e.file.rsplit('/').next().unwrap().to_owned(), e.line, e.field.clone())).collect();
        let at = |file: &str, line, field: &str| (file.to_owned(), Some(line), Some(field.to_owned()));
        assert_eq!(
            located,
            vec![
                at(ALLIANCE_FILE, 2, "nonagg"),
                at(ALLIANCE_FILE, 2, "consul"),
                at(PHASE_FILE, 2, "nonagg"),
                at(PHASE_FILE, 2, "consul"),
                at(PHASE_FILE, 3, "nonagg"),
                at(PHASE_FILE, 3, "consul"),
            ],
            "{err}"
        );
        assert!(err.0[0].message.contains("a member row of this alliance"), "{err}");
        assert!(err.0[1].message.contains("no member row of this alliance"), "{err}");
    }

    #[test]
    fn files_of_different_releases_are_refused() {
        let [a, p, m] = files();
        let err = read_files(&[a, p, m.replace(",5.1\n", ",5.0\n")]).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert!(err.0[0].message.contains("differs from the alliance file"), "{err}");
    }
}
