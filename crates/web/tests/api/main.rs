//! The JSON API end to end on a temporary database holding the built-in registry, one
//! module per concern (one test binary, so one link); on the real research data where it
//! is present.

mod common;
mod editing;
mod reading;
mod research;
mod shapes;
mod small_edits;
#[path = "../support/mod.rs"]
mod support;
