//! Analyses over registry data. Everything here is pure: callers pass data in, results
//! come back as plain values; no I/O, no store.

pub mod panel;
pub mod profile;
pub mod similarity;
