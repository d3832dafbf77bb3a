//! Analyses over registry data. Everything here is pure: callers pass data in, results
//! come back as plain values; no I/O, no store.

pub mod arms;
pub mod assessment;
pub mod case_study;
pub mod challenges;
pub mod impact;
pub mod network;
pub mod panel;
pub mod recommend;
pub mod regions;
pub mod signatories;
pub mod similarity;
pub mod trends;
