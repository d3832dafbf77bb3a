//! One module per section of the report, each a `render` function over [`crate::Report`].

pub mod arms;
pub mod capabilities;
pub mod challenges;
pub mod exercises;
pub mod impact;
pub mod network;
pub mod overview;
pub mod partners;
pub mod recommendations;
pub mod sources;
pub mod timeline;
