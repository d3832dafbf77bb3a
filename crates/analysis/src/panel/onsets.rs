//! The alliance outcome's own columns (issue 21.5): whether a dyad is allied, whether an
//! alliance (or a defense obligation) begins, and the years since one last began.
//!
//! An onset in year t is an ATOP id the dyad shares in t and did not share in t − 1 — an
//! alliance formed, or a state that joined one — as researchers derive it from ATOP's
//! dyad-year file; a defense onset is such an id under which the first state owes the
//! second defense (either way, undirected). Years since the last onset count as peace years
//! do (`PeaceYears`) over the dyad's years from 1816, whatever `--years` asks for.

use std::sync::Arc;

use arrow_array::builder::Int32Builder;
use arrow_array::ArrayRef;
use pactbase_model::Ccode;

use super::alliances::DyadTies;
use super::covariates::DyadPeaceYears;

/// The columns, after `atop_ids`.
pub(super) const ONSETS: [&str; 4] = ["atop_alliance", "atop_onset", "atop_defense_onset", "atop_onset_spell"];

#[derive(Default)]
pub(super) struct Onsets {
    builders: [Int32Builder; 4],
    spells: DyadPeaceYears,
}

fn ids(t: Option<&DyadTies>) -> &[u32] {
    t.map_or(&[], |t| &t.alliances)
}

fn defense_ids(t: Option<&DyadTies>) -> &[u32] {
    t.map_or(&[], |t| &t.defense_alliances)
}

/// True when `now` lists an id `before` does not (both ascending).
fn new_id(now: &[u32], before: &[u32]) -> bool {
    now.iter().any(|id| before.binary_search(id).is_err())
}

impl Onsets {
    /// (onset, defense onset, years since the last onset), moving the dyad's count on.
    fn observe(
        &mut self,
        dyad: (Ccode, Ccode),
        now: Option<&DyadTies>,
        before: Option<&DyadTies>,
    ) -> (bool, bool, u32) {
        let onset = new_id(ids(now), ids(before));
        let defense_onset = new_id(defense_ids(now), defense_ids(before));
        let spell = self.spells.of(dyad.0, dyad.1).next(onset);
        (onset, defense_onset, spell)
    }

    /// A year before the panel's: only the count moves.
    pub fn pass(&mut self, dyad: (Ccode, Ccode), now: Option<&DyadTies>, before: Option<&DyadTies>) {
        self.observe(dyad, now, before);
    }

    pub fn push(&mut self, dyad: (Ccode, Ccode), now: Option<&DyadTies>, before: Option<&DyadTies>) {
        let (onset, defense_onset, spell) = self.observe(dyad, now, before);
        let allied = now.is_some_and(|t| t.obligations.any());
        let [alliance, onsets, defense, spells] = &mut self.builders;
        alliance.append_value(i32::from(allied));
        onsets.append_value(i32::from(onset));
        defense.append_value(i32::from(defense_onset));
        spells.append_value(spell as i32);
    }

    /// After the ties' last year: unknown.
    pub fn push_null(&mut self) {
        self.builders.iter_mut().for_each(|b| b.append_null());
    }

    pub fn finish(&mut self, out: &mut Vec<ArrayRef>) {
        out.extend(self.builders.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ties(alliances: &[u32], defense: &[u32]) -> DyadTies {
        let mut t =
            DyadTies { alliances: alliances.to_vec(), defense_alliances: defense.to_vec(), ..Default::default() };
        t.obligations.consul = true;
        t.obligations.defense = !defense.is_empty();
        t
    }

    #[test]
    fn an_onset_is_an_id_new_since_last_year() {
        let mut o = Onsets::default();
        let d = (2, 20);
        let (a, ad, b) = (ties(&[1], &[]), ties(&[1, 2], &[2]), ties(&[2], &[2]));
        assert_eq!(o.observe(d, None, None), (false, false, 0));
        assert_eq!(o.observe(d, Some(&a), None), (true, false, 1), "first year allied");
        assert_eq!(o.observe(d, Some(&a), Some(&a)), (false, false, 0));
        assert_eq!(o.observe(d, Some(&ad), Some(&a)), (true, true, 1), "a second alliance, with defense");
        assert_eq!(o.observe(d, Some(&b), Some(&ad)), (false, false, 0), "one ended: no onset");
        assert_eq!(o.observe(d, None, Some(&b)), (false, false, 1));
    }
}
