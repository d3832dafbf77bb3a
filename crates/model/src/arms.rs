//! Arms transfers as the SIPRI Arms Transfers Database records them: deliveries of major
//! conventional weapons from a supplier to a recipient in a year, valued in SIPRI's Trend
//! Indicator Values (TIV, millions). Suppliers and recipients are states of the COW
//! system, or parties that are not (rebel groups, international organisations, SIPRI's
//! "unknown" supplier or recipient), kept under SIPRI's own names.

use serde::{Deserialize, Serialize};

use crate::{vocabulary, Ccode};

/// What a supplier or recipient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartyKind {
    /// A state of the COW system, resolved through the states table.
    State,
    /// An armed non-state actor; SIPRI marks them `*` ("UNITA (Angola)*").
    NonState,
    /// An international organisation; SIPRI marks them `**` ("NATO**").
    Organisation,
    /// SIPRI could not tell who: "Unknown supplier(s)", "Unknown recipient(s)".
    Unidentified,
    /// A polity outside the COW system that SIPRI does not mark (Biafra, Palestine, Aruba).
    Other,
}

vocabulary!(PartyKind {
    State = "state",
    NonState = "non-state",
    Organisation = "organisation",
    Unidentified = "unidentified",
    Other = "other",
});

/// A supplier or recipient under SIPRI's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArmsParty {
    pub name: String,
    pub kind: PartyKind,
}

/// Deliveries from one party to another in one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ArmsTransfer {
    /// Index into [`ArmsTransfers::parties`].
    pub supplier: u32,
    pub recipient: u32,
    /// The COW states the parties are that year (`None` for parties that are not states).
    /// A name can stand for two states: SIPRI's "Germany" is West Germany until 1989.
    pub supplier_ccode: Option<Ccode>,
    pub recipient_ccode: Option<Ccode>,
    pub year: i32,
    /// TIV in millions, rounded by SIPRI to whole millions; 0 is a delivery under 0.5m.
    pub tiv: f64,
}

/// The imported SIPRI arms-transfer tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArmsTransfers {
    /// First and last year the tables cover: outside them flows are unknown, not 0.
    pub coverage: (i32, i32),
    pub parties: Vec<ArmsParty>,
    pub transfers: Vec<ArmsTransfer>,
}

impl ArmsTransfers {
    pub fn party(&self, index: u32) -> &ArmsParty {
        &self.parties[index as usize]
    }

    pub fn covers(&self, year: i32) -> bool {
        (self.coverage.0..=self.coverage.1).contains(&year)
    }
}
