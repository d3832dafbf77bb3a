use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::PartialDate;

/// A Correlates of War state code (2 = United States, 770 = Pakistan).
pub type Ccode = u16;

/// A state of the Correlates of War system, with the names datasets and users call it by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct State {
    pub ccode: Ccode,
    /// COW abbreviation, e.g. `PAK`.
    pub abb: String,
    /// ISO 3166-1 alpha-3, where the state has one (COW `GMY` is ISO `DEU`).
    pub iso3: Option<String>,
    pub name: String,
    pub aliases: Vec<String>,
    /// System-membership spells, in order.
    pub spells: Vec<Spell>,
}

/// One spell of system membership; `end = None` means still a member.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spell {
    pub start: PartialDate,
    pub end: Option<PartialDate>,
}

impl State {
    /// True when the state is a system member on at least one day of `year`.
    pub fn member_in(&self, year: i32) -> bool {
        self.spells.iter().any(|s| s.start.year <= year && s.end.is_none_or(|e| e.year >= year))
    }

    /// True when both states are system members on one same day of `year`: the
    /// dyad-year frame's rule (FIELD.md §1; Suriname and South Vietnam share no day of 1975).
    pub fn shares_a_day_with(&self, other: &State, year: i32) -> bool {
        let first = (year, 1, 1);
        let last = (year, 12, 31);
        let days = |s: &Spell| {
            let from = s.start.earliest().max(first);
            let to = s.end.map_or(last, |e| e.latest().min(last));
            (from, to)
        };
        self.spells
            .iter()
            .map(days)
            .any(|(a0, a1)| other.spells.iter().map(days).any(|(b0, b1)| a0.max(b0) <= a1.min(b1)))
    }
}

/// Looks states up by any of the names the product accepts: COW code, COW abbreviation,
/// ISO alpha-3, name or alias, case-insensitively.
#[derive(Debug, Default, Clone)]
pub struct StateIndex {
    states: Vec<State>,
    by_key: HashMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown state `{query}`{}", suggestion_text(.suggestions))]
pub struct UnknownState {
    pub query: String,
    pub suggestions: Vec<String>,
}

fn suggestion_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "; states are named by COW code (770), COW abbreviation (PAK), ISO code or name (Pakistan)".into()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

impl StateIndex {
    pub fn new(states: Vec<State>) -> Self {
        let mut by_key = HashMap::new();
        // Passes in priority order: a COW abbreviation (`AUS` = Austria) is never shadowed
        // by another state's ISO code (`AUS` = Australia) or alias.
        let passes: [fn(&State) -> Vec<String>; 5] = [
            |s| vec![s.ccode.to_string()],
            |s| vec![s.abb.clone()],
            |s| vec![s.name.clone()],
            |s| s.iso3.iter().cloned().collect(),
            |s| s.aliases.clone(),
        ];
        for keys_of in passes {
            for (i, s) in states.iter().enumerate() {
                for key in keys_of(s) {
                    by_key.entry(key.to_lowercase()).or_insert(i);
                }
            }
        }
        StateIndex { states, by_key }
    }

    pub fn states(&self) -> &[State] {
        &self.states
    }

    pub fn get(&self, ccode: Ccode) -> Option<&State> {
        self.states.iter().find(|s| s.ccode == ccode)
    }

    pub fn lookup(&self, query: &str) -> Option<&State> {
        self.by_key.get(&query.trim().to_lowercase()).map(|&i| &self.states[i])
    }

    pub fn resolve(&self, query: &str) -> Result<&State, UnknownState> {
        self.lookup(query).ok_or_else(|| UnknownState { query: query.to_owned(), suggestions: self.suggest(query) })
    }

    /// Up to three states whose names or codes are close to `query`.
    pub fn suggest(&self, query: &str) -> Vec<String> {
        let q = query.trim().to_lowercase();
        let mut scored: Vec<(f64, usize)> = self
            .by_key
            .iter()
            .map(|(key, &i)| {
                let prefix_bonus = if key.starts_with(&q) && q.len() >= 3 { 0.2 } else { 0.0 };
                (strsim::jaro_winkler(&q, key) + prefix_bonus, i)
            })
            .filter(|(score, _)| *score >= 0.85)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<String> = Vec::new();
        for (_, i) in scored {
            let s = &self.states[i];
            let label = format!("{} ({}, {})", s.name, s.abb, s.ccode);
            if !out.contains(&label) {
                out.push(label);
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    pub fn label(&self, ccode: Ccode) -> String {
        self.get(ccode).map_or_else(|| ccode.to_string(), |s| s.abb.clone())
    }

    pub fn name(&self, ccode: Ccode) -> String {
        self.get(ccode).map_or_else(|| format!("state {ccode}"), |s| s.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> StateIndex {
        let spell = |y| vec![Spell { start: PartialDate::year(y), end: None }];
        StateIndex::new(vec![
            State {
                ccode: 770,
                abb: "PAK".into(),
                iso3: Some("PAK".into()),
                name: "Pakistan".into(),
                aliases: vec!["Islamic Republic of Pakistan".into()],
                spells: spell(1947),
            },
            State {
                ccode: 255,
                abb: "GMY".into(),
                iso3: Some("DEU".into()),
                name: "Germany".into(),
                aliases: vec![],
                spells: spell(1990),
            },
        ])
    }

    #[test]
    fn resolves_every_kind_of_name() {
        let idx = index();
        for q in ["770", "pak", "PAK", "Pakistan", "islamic republic of pakistan", " pakistan "] {
            assert_eq!(idx.resolve(q).unwrap().ccode, 770, "{q}");
        }
        assert_eq!(idx.resolve("deu").unwrap().ccode, 255);
        assert_eq!(idx.resolve("GMY").unwrap().ccode, 255);
    }

    #[test]
    fn suggests_on_typos() {
        let err = index().resolve("Pakistn").unwrap_err();
        assert_eq!(err.suggestions, vec!["Pakistan (PAK, 770)".to_string()]);
        assert!(err.to_string().contains("did you mean Pakistan"));
        let err = index().resolve("zzzz").unwrap_err();
        assert!(err.suggestions.is_empty());
    }

    #[test]
    fn membership_by_year() {
        let idx = index();
        assert!(idx.get(770).unwrap().member_in(1947));
        assert!(!idx.get(770).unwrap().member_in(1946));
    }

    #[test]
    fn states_that_never_meet_on_a_day_of_the_year_share_none() {
        let state = |ccode, start, end| State {
            ccode,
            abb: String::new(),
            iso3: None,
            name: String::new(),
            aliases: vec![],
            spells: vec![Spell { start, end }],
        };
        let suriname = state(115, PartialDate::ymd(1975, 11, 25), None);
        let south_vietnam = state(817, PartialDate::ymd(1954, 6, 4), Some(PartialDate::ymd(1975, 4, 30)));
        let usa = state(2, PartialDate::ymd(1816, 1, 1), None);
        assert!(!suriname.shares_a_day_with(&south_vietnam, 1975));
        assert!(suriname.shares_a_day_with(&usa, 1975) && south_vietnam.shares_a_day_with(&usa, 1975));
        assert!(!suriname.shares_a_day_with(&usa, 1974));
    }
}
