//! Alliance ties per (directed) dyad-year and per state-year, derived from member-level
//! obligations (ATOP's member file, or the registry's directed obligations), following
//! the ATOP codebook §2.5–2.7.

use std::collections::HashMap;

use pactbase_model::research::{AtopAlliance, AtopMember, AtopObligations, Ymd};
use pactbase_model::{Agreement, Ccode, ObligationType};

/// ATOP's data end: `yrexit = 0` means in effect through this day.
pub const ATOP_END: Ymd = Ymd::new(pactbase_model::coverage::ATOP.last, 12, 31);

/// An alliance (or registry agreement) as the dyadic columns describe it.
#[derive(Debug, Clone)]
pub struct AllianceInfo {
    /// What `atop_ids` shows: the atopid, or the registry id.
    pub label: String,
    pub bilateral: bool,
    pub asymmetric: bool,
}

/// A holds `obligations` toward B in `year` under alliance `alliance` (index into the
/// alliance list). `transition`: the pair's shared commitment starts or ends that year.
#[derive(Debug, Clone, Copy)]
pub struct PairYear {
    pub year: i32,
    pub a: Ccode,
    pub b: Ccode,
    pub alliance: u32,
    pub obligations: AtopObligations,
    pub transition: bool,
}

/// Ties of one directed dyad-year, over every alliance the two share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DyadTies {
    pub obligations: AtopObligations,
    /// Indices of the shared alliances, ascending.
    pub alliances: Vec<u32>,
    pub bilateral: u16,
    pub multilateral: u16,
    pub transition: bool,
    pub asymmetric: bool,
    /// The alliances under which A owes B defense, ascending.
    pub defense_alliances: Vec<u32>,
}

/// Every allied directed dyad-year, sorted by (year, a, b).
#[derive(Debug, Clone, Default)]
pub struct DyadTable {
    pub alliances: Vec<AllianceInfo>,
    pub keys: Vec<(i32, Ccode, Ccode)>,
    pub ties: Vec<DyadTies>,
}

impl DyadTable {
    pub fn from_pairs(alliances: Vec<AllianceInfo>, pairs: impl IntoIterator<Item = PairYear>) -> Self {
        let mut index: HashMap<(i32, Ccode, Ccode), usize> = HashMap::new();
        let mut keys = Vec::new();
        let mut ties: Vec<DyadTies> = Vec::new();
        for p in pairs {
            let i = *index.entry((p.year, p.a, p.b)).or_insert_with(|| {
                keys.push((p.year, p.a, p.b));
                ties.push(DyadTies::default());
                ties.len() - 1
            });
            let t = &mut ties[i];
            // The codebook's "during the year": an obligation held on any day counts.
            t.obligations = or(t.obligations, p.obligations);
            t.transition |= p.transition;
            if p.obligations.defense {
                if let Err(at) = t.defense_alliances.binary_search(&p.alliance) {
                    t.defense_alliances.insert(at, p.alliance);
                }
            }
            if let Err(at) = t.alliances.binary_search(&p.alliance) {
                t.alliances.insert(at, p.alliance);
                let info = &alliances[p.alliance as usize];
                if info.bilateral {
                    t.bilateral += 1;
                } else {
                    t.multilateral += 1;
                }
                t.asymmetric |= info.asymmetric;
            }
        }
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_unstable_by_key(|&i| keys[i]);
        DyadTable {
            alliances,
            keys: order.iter().map(|&i| keys[i]).collect(),
            ties: order.iter().map(|&i| std::mem::take(&mut ties[i])).collect(),
        }
    }

    /// The rows of one year, as a slice range.
    pub fn year_range(&self, year: i32) -> std::ops::Range<usize> {
        let start = self.keys.partition_point(|k| k.0 < year);
        let end = self.keys.partition_point(|k| k.0 <= year);
        start..end
    }

    pub fn labels<'a>(&'a self, ties: &'a DyadTies) -> impl Iterator<Item = &'a str> + 'a {
        ties.alliances.iter().map(|&i| self.alliances[i as usize].label.as_str())
    }
}

pub(crate) fn or(a: AtopObligations, b: AtopObligations) -> AtopObligations {
    AtopObligations {
        defense: a.defense | b.defense,
        offense: a.offense | b.offense,
        neutral: a.neutral | b.neutral,
        nonagg: a.nonagg | b.nonagg,
        consul: a.consul | b.consul,
    }
}

/// Directed pair-years from ATOP's member file (§2.7): all ordered pairs of members of the
/// same alliance phase, in the years both are members, dropping pairs in which one joined
/// after the other left (full dates). A's obligations toward B are A's member-row codes;
/// asymmetric multilateral alliances are flagged, since ATOP corrects those by hand.
/// States outside the COW system (`is_state` false, e.g. Annam 8152) are dropped.
pub fn atop_pairs(
    members: &[AtopMember],
    alliances: &[AtopAlliance],
    is_state: impl Fn(Ccode) -> bool,
) -> (Vec<AllianceInfo>, Vec<PairYear>) {
    atop_pairs_through(members, alliances, is_state, ATOP_END)
}

/// [`atop_pairs`] with the alliances still in effect at ATOP's end (`yrexit = 0`) carried
/// forward to `open_until`: the network "as far as known" for years after ATOP's data,
/// which assumes that what was in force in 2018 still is.
pub fn atop_pairs_through(
    members: &[AtopMember],
    alliances: &[AtopAlliance],
    is_state: impl Fn(Ccode) -> bool,
    open_until: Ymd,
) -> (Vec<AllianceInfo>, Vec<PairYear>) {
    let mut rows: Vec<&AtopMember> = members.iter().filter(|m| is_state(m.ccode)).collect();
    rows.sort_unstable_by_key(|m| (m.atopid, m.phase, m.ccode));
    let asymmetric: HashMap<u32, bool> = alliances.iter().map(|a| (a.atopid, a.asymmetric)).collect();
    // The codebook's BILAT: no more than two members in any phase. Counted from the member
    // file because the alliance file's flag contradicts it for a few alliances (SEATO, 3260,
    // is coded bilateral for its two-member second phase).
    let mut largest_phase: HashMap<u32, usize> = HashMap::new();
    for group in rows.chunk_by(|x, y| (x.atopid, x.phase) == (y.atopid, y.phase)) {
        let mut members: Vec<Ccode> = group.iter().map(|m| m.ccode).collect();
        members.dedup();
        let size = largest_phase.entry(group[0].atopid).or_insert(0);
        *size = (*size).max(members.len());
    }
    let mut infos = Vec::new();
    let mut slot: HashMap<u32, u32> = HashMap::new();
    let mut pairs = Vec::new();
    for group in rows.chunk_by(|x, y| (x.atopid, x.phase) == (y.atopid, y.phase)) {
        let atopid = group[0].atopid;
        let alliance = *slot.entry(atopid).or_insert_with(|| {
            infos.push(AllianceInfo {
                label: atopid.to_string(),
                bilateral: largest_phase[&atopid] <= 2,
                asymmetric: asymmetric.get(&atopid).copied().unwrap_or(false),
            });
            infos.len() as u32 - 1
        });
        for a in group {
            for b in group.iter().filter(|b| b.ccode != a.ccode) {
                let start = a.entry.max(b.entry);
                let (end, real_exit) = match (a.exit, b.exit) {
                    (None, None) => (open_until, false),
                    (Some(x), None) | (None, Some(x)) => (x, true),
                    (Some(x), Some(y)) => (x.min(y), true),
                };
                if start > end {
                    continue;
                }
                for year in start.year..=end.year {
                    pairs.push(PairYear {
                        year,
                        a: a.ccode,
                        b: b.ccode,
                        alliance,
                        obligations: a.obligations,
                        transition: year == start.year || (real_exit && year == end.year),
                    });
                }
            }
        }
    }
    (infos, pairs)
}

/// Directed pair-years from registry agreements' directed obligations, through
/// `last_year`; `alliance_offset` numbers them after alliances already listed.
pub fn registry_pairs(
    agreements: &[Agreement],
    last_year: i32,
    alliance_offset: u32,
) -> (Vec<AllianceInfo>, Vec<PairYear>) {
    let mut infos = Vec::new();
    let mut pairs = Vec::new();
    for ag in agreements {
        let alliance = alliance_offset + infos.len() as u32;
        infos.push(AllianceInfo { label: ag.id.clone(), bilateral: ag.is_bilateral(), asymmetric: false });
        let parties = ag.parties();
        let directed = ag.directed_obligations();
        for &a in &parties {
            for &b in parties.iter().filter(|&&b| b != a) {
                let kinds: Vec<ObligationType> =
                    directed.iter().filter(|d| d.from == a && d.toward == Some(b)).map(|d| d.kind).collect();
                let years: Vec<i32> =
                    (ag.signed.year..=last_year).filter(|&y| ag.active_in(y) && both_members(ag, a, b, y)).collect();
                for (k, &year) in years.iter().enumerate() {
                    let suspended = ag.suspended_between(a, b, year);
                    let obligations = if suspended { AtopObligations::default() } else { to_atop(&kinds) };
                    let first = k == 0 || years[k - 1] != year - 1;
                    let last = years.get(k + 1) != Some(&(year + 1)) && year != last_year;
                    pairs.push(PairYear { year, a, b, alliance, obligations, transition: first || last });
                }
            }
        }
    }
    (infos, pairs)
}

fn both_members(ag: &Agreement, a: Ccode, b: Ccode, year: i32) -> bool {
    ag.memberships_of(a).any(|m| m.active_in(year)) && ag.memberships_of(b).any(|m| m.active_in(year))
}

fn to_atop(kinds: &[ObligationType]) -> AtopObligations {
    let has = |k| kinds.contains(&k);
    AtopObligations {
        defense: has(ObligationType::Defense),
        offense: has(ObligationType::Offense),
        neutral: has(ObligationType::Neutrality),
        nonagg: has(ObligationType::Nonaggression),
        consul: has(ObligationType::Consultation),
    }
}

/// One row of ATOP's state-year file (§2.5).
#[derive(Debug, Clone, PartialEq)]
pub struct StateYearTies {
    pub ccode: Ccode,
    pub year: i32,
    /// Obligations the state holds toward anyone, on any day of the year.
    pub obligations: AtopObligations,
    /// Indices into the table's alliance list, ascending.
    pub alliances: Vec<u32>,
    /// Some membership starts or ends this year.
    pub transition: bool,
}

/// State-year ties with the alliances they refer to, sorted by (ccode, year).
#[derive(Debug, Clone, Default)]
pub struct StateTable {
    pub alliances: Vec<AllianceInfo>,
    pub rows: Vec<StateYearTies>,
}

impl StateTable {
    pub fn labels<'a>(&'a self, row: &'a StateYearTies) -> impl Iterator<Item = &'a str> + 'a {
        row.alliances.iter().map(|&i| self.alliances[i as usize].label.as_str())
    }
}

fn add_alliance(row: &mut StateYearTies, alliance: u32) {
    if let Err(at) = row.alliances.binary_search(&alliance) {
        row.alliances.insert(at, alliance);
    }
}

fn sorted(index: HashMap<(Ccode, i32), StateYearTies>) -> Vec<StateYearTies> {
    let mut rows: Vec<StateYearTies> = index.into_values().collect();
    rows.sort_unstable_by_key(|r| (r.ccode, r.year));
    rows
}

fn empty_row(ccode: Ccode, year: i32) -> StateYearTies {
    StateYearTies { ccode, year, obligations: AtopObligations::default(), alliances: Vec::new(), transition: false }
}

/// ATOP's state-year data (§2.5) from its member file: a row per state and year in which
/// it is a member of at least one alliance in effect.
pub fn atop_state_years(members: &[AtopMember], is_state: impl Fn(Ccode) -> bool) -> StateTable {
    let mut alliances = Vec::new();
    let mut slot: HashMap<u32, u32> = HashMap::new();
    let mut index: HashMap<(Ccode, i32), StateYearTies> = HashMap::new();
    for m in members.iter().filter(|m| is_state(m.ccode)) {
        let alliance = *slot.entry(m.atopid).or_insert_with(|| {
            alliances.push(AllianceInfo { label: m.atopid.to_string(), bilateral: false, asymmetric: false });
            alliances.len() as u32 - 1
        });
        let last = m.exit.map_or(ATOP_END.year, |e| e.year);
        for year in m.entry.year..=last {
            let row = index.entry((m.ccode, year)).or_insert_with(|| empty_row(m.ccode, year));
            row.obligations = or(row.obligations, m.obligations);
            add_alliance(row, alliance);
            row.transition |= year == m.entry.year || (m.exit.is_some() && year == last);
        }
    }
    StateTable { alliances, rows: sorted(index) }
}

/// State-years from directed pair-years (registry agreements): what each state holds
/// toward its partners.
pub fn pair_state_years(alliances: Vec<AllianceInfo>, pairs: &[PairYear]) -> StateTable {
    let mut index: HashMap<(Ccode, i32), StateYearTies> = HashMap::new();
    for p in pairs {
        let row = index.entry((p.a, p.year)).or_insert_with(|| empty_row(p.a, p.year));
        row.obligations = or(row.obligations, p.obligations);
        row.transition |= p.transition;
        add_alliance(row, p.alliance);
    }
    StateTable { alliances, rows: sorted(index) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(
        atopid: u32,
        ccode: Ccode,
        entry: (i32, u8, u8),
        exit: Option<(i32, u8, u8)>,
        ob: [bool; 5],
    ) -> AtopMember {
        AtopMember {
            atopid,
            ccode,
            phase: 1,
            entry: Ymd::new(entry.0, entry.1, entry.2),
            exit: exit.map(|e| Ymd::new(e.0, e.1, e.2)),
            obligations: AtopObligations {
                defense: ob[0],
                offense: ob[1],
                neutral: ob[2],
                nonagg: ob[3],
                consul: ob[4],
            },
            obvary: false,
        }
    }

    const DEF_CON: [bool; 5] = [true, false, false, false, true];
    const CON: [bool; 5] = [false, false, false, false, true];

    #[test]
    fn a_member_who_joined_after_the_other_left_is_never_paired() {
        let members = [
            member(1, 2, (1900, 1, 1), Some((1910, 3, 1)), CON),
            member(1, 20, (1910, 6, 1), None, CON),
            member(1, 200, (1900, 1, 1), None, CON),
        ];
        let (infos, pairs) = atop_pairs(&members, &[], |_| true);
        let t = DyadTable::from_pairs(infos, pairs);
        assert!(!t.keys.iter().any(|&(_, a, b)| (a, b) == (2, 20) || (a, b) == (20, 2)));
        assert!(t.keys.contains(&(1910, 200, 20)));
        assert!(t.keys.contains(&(1910, 2, 200)));
        assert!(!t.keys.contains(&(1911, 2, 200)));
    }

    #[test]
    fn obligations_run_from_each_members_own_row() {
        // Britain and France guarantee Sweden (defense), all three consult (1855).
        let members = [
            member(7, 200, (1855, 11, 21), Some((1856, 3, 30)), DEF_CON),
            member(7, 380, (1855, 11, 21), Some((1856, 3, 30)), CON),
        ];
        let (infos, pairs) = atop_pairs(&members, &[], |_| true);
        let t = DyadTable::from_pairs(infos, pairs);
        let get = |y, a, b| &t.ties[t.keys.iter().position(|&k| k == (y, a, b)).unwrap()];
        assert!(get(1855, 200, 380).obligations.defense);
        assert!(!get(1855, 380, 200).obligations.defense);
        assert!(get(1855, 380, 200).obligations.consul);
        assert!(get(1855, 200, 380).transition && get(1856, 200, 380).transition);
        assert_eq!(get(1856, 200, 380).multilateral + get(1856, 200, 380).bilateral, 1);
    }

    #[test]
    fn state_years_take_obligations_held_on_any_day_and_drop_non_cow_codes() {
        let members = [
            member(1, 2, (1900, 1, 1), Some((1901, 6, 1)), DEF_CON),
            member(2, 2, (1901, 1, 1), None, CON),
            member(2, 8152, (1901, 1, 1), None, CON),
        ];
        let table = atop_state_years(&members, |c| c < 1000);
        let rows = &table.rows;
        assert!(rows.iter().all(|r| r.ccode == 2));
        let y1901 = rows.iter().find(|r| r.year == 1901).unwrap();
        assert_eq!(table.labels(y1901).collect::<Vec<_>>(), vec!["1", "2"]);
        assert!(y1901.obligations.defense && y1901.transition);
        let y1902 = rows.iter().find(|r| r.year == 1902).unwrap();
        assert_eq!((y1902.obligations.defense, y1902.transition), (false, false));
        assert_eq!(rows.last().unwrap().year, 2018);
    }
}
