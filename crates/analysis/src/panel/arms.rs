//! SIPRI arms transfers indexed for the panels' per-year lookups.

use std::collections::HashMap;

use pactbase_model::arms::ArmsTransfers;
use pactbase_model::Ccode;

/// TIV delivered per directed pair of states and year, and per state and year from and to
/// every party (states or not), within the years SIPRI's tables cover.
pub struct ArmsFlows {
    coverage: (i32, i32),
    /// (year, supplier, recipient) → TIV.
    dyads: HashMap<(i32, Ccode, Ccode), f64>,
    imports: HashMap<(Ccode, i32), f64>,
    exports: HashMap<(Ccode, i32), f64>,
}

impl ArmsFlows {
    pub fn new(data: &ArmsTransfers) -> Self {
        let mut flows = ArmsFlows {
            coverage: data.coverage,
            dyads: HashMap::new(),
            imports: HashMap::new(),
            exports: HashMap::new(),
        };
        for t in &data.transfers {
            if let (Some(a), Some(b)) = (t.supplier_ccode, t.recipient_ccode) {
                *flows.dyads.entry((t.year, a, b)).or_default() += t.tiv;
            }
            if let Some(b) = t.recipient_ccode {
                *flows.imports.entry((b, t.year)).or_default() += t.tiv;
            }
            if let Some(a) = t.supplier_ccode {
                *flows.exports.entry((a, t.year)).or_default() += t.tiv;
            }
        }
        flows
    }

    /// The first and last year of SIPRI's tables.
    pub fn coverage(&self) -> (i32, i32) {
        self.coverage
    }

    pub fn covers(&self, year: i32) -> bool {
        (self.coverage.0..=self.coverage.1).contains(&year)
    }

    /// TIV from `supplier` to `recipient` in `year`: 0 when nothing was delivered, `None`
    /// outside the tables' years.
    pub fn tiv(&self, supplier: Ccode, recipient: Ccode, year: i32) -> Option<f64> {
        self.covers(year).then(|| self.dyads.get(&(year, supplier, recipient)).copied().unwrap_or(0.0))
    }

    /// Whether SIPRI records any delivery from `supplier` to `recipient` in `year`, those
    /// under 0.5m TIV (written 0) included; `None` outside the tables' years.
    pub fn delivered(&self, supplier: Ccode, recipient: Ccode, year: i32) -> Option<bool> {
        self.covers(year).then(|| self.dyads.contains_key(&(year, supplier, recipient)))
    }

    /// Whether `ccode` received anything in `year` (as [`ArmsFlows::delivered`]).
    pub fn imported(&self, ccode: Ccode, year: i32) -> Option<bool> {
        self.covers(year).then(|| self.imports.contains_key(&(ccode, year)))
    }

    /// Whether `ccode` delivered anything in `year` (as [`ArmsFlows::delivered`]).
    pub fn exported(&self, ccode: Ccode, year: i32) -> Option<bool> {
        self.covers(year).then(|| self.exports.contains_key(&(ccode, year)))
    }

    /// What `ccode` received in `year` from every supplier, states or not.
    pub fn imports(&self, ccode: Ccode, year: i32) -> Option<f64> {
        self.covers(year).then(|| self.imports.get(&(ccode, year)).copied().unwrap_or(0.0))
    }

    /// What `ccode` delivered in `year` to every recipient, states or not.
    pub fn exports(&self, ccode: Ccode, year: i32) -> Option<f64> {
        self.covers(year).then(|| self.exports.get(&(ccode, year)).copied().unwrap_or(0.0))
    }
}

#[cfg(test)]
mod tests {
    use pactbase_model::arms::{ArmsParty, ArmsTransfer, PartyKind};

    use super::*;

    #[test]
    fn flows_are_zero_within_the_tables_years_and_unknown_outside() {
        let party = |name: &str, kind| ArmsParty { name: name.into(), kind };
        let transfer = |supplier, recipient, s, r, year, tiv| ArmsTransfer {
            supplier,
            recipient,
            supplier_ccode: s,
            recipient_ccode: r,
            year,
            tiv,
        };
        let data = ArmsTransfers {
            coverage: (1950, 2021),
            parties: vec![
                party("China", PartyKind::State),
                party("Pakistan", PartyKind::State),
                party("Unknown supplier(s)", PartyKind::Unidentified),
            ],
            transfers: vec![
                transfer(0, 1, Some(710), Some(770), 1990, 10.0),
                transfer(2, 1, None, Some(770), 1990, 3.0),
                transfer(1, 0, Some(770), Some(710), 1991, 0.0),
            ],
        };
        let flows = ArmsFlows::new(&data);
        assert_eq!(flows.tiv(710, 770, 1990), Some(10.0));
        assert_eq!(flows.tiv(770, 710, 1990), Some(0.0), "directed");
        assert_eq!(flows.tiv(710, 770, 1949), None);
        assert_eq!(flows.imports(770, 1990), Some(13.0), "unknown suppliers count in imports");
        assert_eq!(flows.exports(770, 1991), Some(0.0));
        assert_eq!(flows.exports(710, 2022), None);
    }
}
