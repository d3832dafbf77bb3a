//! The rules of what an agreement records about its parties besides the members' spells:
//! states that signed and are not bound, parties outside the state system, reservations
//! and the times a party called on the commitment.

use std::collections::HashSet;

use super::{FieldPath, Problems, When};
use crate::Agreement;

impl Problems<'_> {
    /// A signatory is a state that is not bound: never a current member, listed once.
    pub(super) fn signatories(&mut self, a: &Agreement) {
        let mut seen = HashSet::new();
        for (i, s) in a.signatories.iter().enumerate() {
            let at = FieldPath::field("signatories").at(i);
            let label = self.rules.index.label(s.ccode);
            self.state(at.then("ccode"), s.ccode);
            if a.members.iter().any(|m| m.ccode == s.ccode && m.left.is_none()) {
                self.push(
                    at.then("ccode"),
                    format!("{label} is a member: give its signature as the member's `signed`"),
                );
            } else if !seen.insert(s.ccode) {
                self.push(at.then("ccode"), format!("{label} is listed twice"));
            }
            self.in_span(at.then("signed"), &s.signed, When::Past);
            let message = format!("the state signs ({}) before the agreement was signed ({})", s.signed, a.signed);
            self.in_order(at.then("signed"), &a.signed, &s.signed, message);
            self.cite(at.then("source"), &s.source, &a.sources);
        }
    }

    /// A party outside the COW state system is named, dated, and not a COW state (which
    /// belongs among the members, where every analysis counts it).
    pub(super) fn non_state_parties(&mut self, a: &Agreement) {
        for (i, p) in a.non_state_parties.iter().enumerate() {
            let at = FieldPath::field("non_state_parties").at(i);
            let name = p.name.trim();
            if name.is_empty() {
                self.push(at.then("name"), "a name is required");
            } else if let Some(state) = self.rules.index.lookup(name) {
                let message = format!("{name} is a COW state ({}): list it among the members", state.abb);
                self.push(at.then("name"), message);
            }
            if p.signed.is_none() && p.joined.is_none() {
                let message = "give the date it was bound (`joined`), its signature (`signed`) or both";
                self.push(at.then("joined"), message);
            }
            if let Some(signed) = &p.signed {
                self.in_span(at.then("signed"), signed, When::Past);
            }
            if let Some(joined) = &p.joined {
                self.in_span(at.then("joined"), joined, When::Scheduled);
                if let Some(signed) = &p.signed {
                    self.in_order(
                        at.then("signed"),
                        signed,
                        joined,
                        "a party signs before it is bound (or omits `signed`)",
                    );
                }
            }
            if let Some(left) = &p.left {
                self.in_span(at.then("left"), left, When::Scheduled);
                if let Some(joined) = &p.joined {
                    self.in_order(at.then("left"), joined, left, "the party leaves before it joined");
                }
            }
            self.cite(at.then("source"), &p.source, &a.sources);
        }
    }

    /// Reservations are made by parties and say what they reserve.
    pub(super) fn reservations(&mut self, a: &Agreement) {
        for (i, r) in a.reservations.iter().enumerate() {
            let at = FieldPath::field("reservations").at(i);
            self.party(at.then("ccode"), a, r.ccode, "reservations are made by parties");
            if r.text.trim().is_empty() {
                self.push(at.then("text"), "quote or paraphrase what the reservation says");
            }
            self.cite(at.then("source"), &r.source, &a.sources);
        }
    }

    /// A call on the commitment is made by a party, after the signature, against states
    /// that exist, and says what was asked and what came of it.
    pub(super) fn invocations(&mut self, a: &Agreement) {
        for (i, v) in a.invocations.iter().enumerate() {
            let at = FieldPath::field("invocations").at(i);
            self.in_span(at.then("date"), &v.date, When::Past);
            self.in_order(at.then("date"), &a.signed, &v.date, "the invocation comes before the agreement was signed");
            self.party(at.then("by"), a, v.by, "only a party can invoke the agreement");
            for (k, &c) in v.against.iter().enumerate() {
                self.state(at.then("against").at(k), c);
            }
            if v.note.trim().is_empty() {
                self.push(at.then("note"), "say what was asked and what the partners did");
            }
            self.cite(at.then("source"), &v.source, &a.sources);
        }
    }
}
