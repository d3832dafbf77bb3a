//! The agreement list as the front ends show it: the store's filters plus status, region
//! and origin, the registry's own agreements before ATOP's alliances, a choice of order,
//! pages of [`PAGE_SIZE`], and one label per agreement that names an ATOP alliance by its
//! members and years ("ATOP 3535: France–Russia, 1891–1917") instead of its number.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::Range;

use pactbase_model::YearSpan;
use pactbase_model::{Agreement, Ccode, Region, StateIndex, Status, Vocabulary};
use pactbase_store::{AgreementFilter, Store};

use crate::Result;

/// Rows per page of a list.
pub const PAGE_SIZE: usize = 50;

/// Where an agreement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The curated registry (including agreements added through the API).
    Registry,
    /// An ATOP alliance no registry agreement codes, listed as ATOP codes it.
    Atop,
}

impl Origin {
    pub fn of(a: &Agreement) -> Origin {
        // `atop-…` ids are reserved for ATOP's listings (the store refuses them otherwise).
        if a.id.starts_with("atop-") {
            Origin::Atop
        } else {
            Origin::Registry
        }
    }

    pub fn parse(word: &str) -> Result<Origin, String> {
        match word {
            "registry" | "curated" => Ok(Origin::Registry),
            "atop" => Ok(Origin::Atop),
            other => Err(format!("unknown origin `{other}`: registry or atop")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Registry => "registry",
            Origin::Atop => "atop",
        }
    }
}

/// The order of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// The registry's agreements first, then ATOP's alliances; each oldest first.
    #[default]
    RegistryFirst,
    Newest,
    Oldest,
    Name,
    /// Most parties first.
    Parties,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::RegistryFirst, Sort::Newest, Sort::Oldest, Sort::Name, Sort::Parties];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::RegistryFirst => "registry",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Name => "name",
            Sort::Parties => "parties",
        }
    }

    pub fn parse(word: &str) -> Result<Sort, String> {
        Sort::ALL.into_iter().find(|s| s.as_str() == word).ok_or_else(|| {
            let words: Vec<&str> = Sort::ALL.iter().map(|s| s.as_str()).collect();
            format!("unknown order `{word}`: {}", words.join(", "))
        })
    }
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub filter: AgreementFilter,
    pub status: Option<Status>,
    /// A party in this region.
    pub region: Option<Region>,
    pub origin: Option<Origin>,
    pub sort: Sort,
}

/// Every agreement matching `q`, in its order.
pub fn agreements(store: &Store, q: &Query) -> Result<Vec<Agreement>> {
    let mut list: Vec<Agreement> = store
        .agreements(&q.filter)?
        .into_iter()
        .filter(|a| q.status.is_none_or(|s| a.status == s))
        .filter(|a| q.region.is_none_or(|r| a.members.iter().any(|m| Region::of(m.ccode) == Some(r))))
        .filter(|a| q.origin.is_none_or(|o| Origin::of(a) == o))
        .collect();
    // The store lists oldest first; sorts are stable, so ties keep that order.
    match q.sort {
        Sort::RegistryFirst => list.sort_by_key(|a| Origin::of(a) == Origin::Atop),
        Sort::Newest => list.sort_by_key(|a| Reverse(a.signed)),
        Sort::Oldest => {}
        Sort::Name => list.sort_by_cached_key(|a| a.name.to_lowercase()),
        Sort::Parties => list.sort_by_key(|a| Reverse(a.parties().len())),
    }
    Ok(list)
}

/// Page `number` (from 1) of `total` rows: the rows it holds and how many pages there
/// are (at least 1). A page past the end is the last one.
pub fn page(total: usize, number: usize) -> (usize, Range<usize>, usize) {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let number = number.clamp(1, pages);
    let start = (number - 1) * PAGE_SIZE;
    (number, start..(start + PAGE_SIZE).min(total), pages)
}

/// How lists name an agreement: its name, or for an ATOP alliance its number, members
/// and years.
pub fn label(a: &Agreement, index: &StateIndex) -> String {
    let (Origin::Atop, Some(atopid)) = (Origin::of(a), a.atopid) else { return a.name.clone() };
    let names: Vec<String> = a.parties().into_iter().map(|c| index.name(c)).collect();
    let members = match names.len() {
        2 => names.join("–"),
        0..=4 => and_list(&names),
        n => format!("{} and {} others", names[..3].join(", "), n - 3),
    };
    let years = YearSpan::new(a.signed.year, a.ended.map(|end| end.year));
    format!("ATOP {atopid}: {members}, {years}")
}

fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Status words as lists show them ("in force").
pub fn status_text(s: Status) -> String {
    s.as_str().replace('-', " ")
}

/// A state's agreements: how many bind it in a year, and how many it has ever been party to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateAgreements {
    /// Registry agreements in force in the year with the state a party then.
    pub in_force: usize,
    /// Registry agreements and ATOP alliances it has ever been party to.
    pub ever: usize,
}

/// Per state, its agreements in force in `year` (the registry's current year: statuses say
/// what holds today) and ever.
pub fn per_state(store: &Store, year: i32) -> Result<HashMap<Ccode, StateAgreements>> {
    let mut out: HashMap<Ccode, StateAgreements> = HashMap::new();
    for a in store.agreements(&AgreementFilter::default())? {
        // Signed but not in force, or suspended as a whole, binds no one.
        let binding = Origin::of(&a) == Origin::Registry
            && a.active_in(year)
            && !matches!(a.status, Status::Signed | Status::Suspended);
        for c in a.parties() {
            let entry = out.entry(c).or_default();
            entry.ever += 1;
            if binding && a.memberships_of(c).any(|m| m.active_in(year)) {
                entry.in_force += 1;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use pactbase_model::State;

    use super::*;

    fn state(ccode: u16, abb: &str, name: &str) -> State {
        State { ccode, abb: abb.into(), iso3: None, name: name.into(), aliases: vec![], spells: vec![] }
    }

    /// Built from a document, as the store reads them, so that fields added to the model
    /// with defaults need no change here.
    fn agreement(id: &str, members: &[u16], signed: i32, ended: Option<i32>) -> Agreement {
        let members: Vec<_> = members
            .iter()
            .map(|c| serde_json::json!({"ccode": c, "joined": signed.to_string(), "left": null, "role": "founding", "source": "s", "note": null, "suspensions": []}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "id": id, "name": format!("ATOP alliance {id}"), "short_names": [], "kinds": [],
            "signed": signed.to_string(), "in_force": null, "ended": ended.map(|e| e.to_string()),
            "status": if ended.is_some() { "terminated" } else { "in-force" }, "region": "", "depositary": null,
            "atopid": id.strip_prefix("atop-").and_then(|n| n.parse::<u32>().ok()), "summary": "", "text": null,
            "provisions": {}, "sources": [], "members": members, "obligations": [], "atop_exceptions": []
        }))
        .unwrap()
    }

    #[test]
    fn atop_alliances_are_named_by_members_and_years() {
        let index = StateIndex::new(vec![
            state(220, "FRN", "France"),
            state(365, "RUS", "Russia"),
            state(200, "UKG", "United Kingdom"),
            state(2, "USA", "United States"),
            state(255, "GMY", "Germany"),
        ]);
        assert_eq!(
            label(&agreement("atop-3535", &[220, 365], 1891, Some(1917)), &index),
            "ATOP 3535: France–Russia, 1891–1917"
        );
        assert_eq!(
            label(&agreement("atop-1", &[220, 365, 200], 1900, None), &index),
            "ATOP 1: France, Russia and United Kingdom, 1900–"
        );
        assert_eq!(
            label(&agreement("atop-2", &[220, 365, 200, 2, 255], 1815, Some(1815)), &index),
            "ATOP 2: France, Russia, United Kingdom and 2 others, 1815"
        );
        let mut curated = agreement("nato", &[2, 200], 1949, None);
        curated.name = "North Atlantic Treaty".into();
        curated.atopid = Some(3180);
        assert_eq!(label(&curated, &index), "North Atlantic Treaty", "the registry's own name stands");
    }

    #[test]
    fn pages_hold_fifty_rows_and_a_page_past_the_end_is_the_last() {
        assert_eq!(page(0, 1), (1, 0..0, 1));
        assert_eq!(page(120, 2), (2, 50..100, 3));
        assert_eq!(page(120, 9), (3, 100..120, 3));
        assert_eq!(page(120, 0), (1, 0..50, 3));
    }

    #[test]
    fn words_parse_back() {
        for s in Sort::ALL {
            assert_eq!(Sort::parse(s.as_str()), Ok(s));
        }
        assert!(Sort::parse("size").unwrap_err().contains("newest"));
        assert_eq!(Origin::parse("curated"), Ok(Origin::Registry));
        assert!(Origin::parse("cow").is_err());
    }
}
