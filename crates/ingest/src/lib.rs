//! Readers for the files pactbase loads: its own curated `data/` folder and, in time,
//! the field's research datasets. Readers validate everything and report problems with
//! file, line and field; they never touch the store.

pub mod catalogue;
pub mod curated;
mod error;
pub mod research;

pub use error::{DataError, DataErrors};
