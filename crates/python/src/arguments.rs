//! Python arguments to the values the analyses take, refused with the CLI's messages.

use pactbase_analysis::network::Level;
use pactbase_model::{input, Ccode, StateIndex};
use pactbase_service::TieSource;
use pyo3::FromPyObject;

use crate::errors::{Failure, Result};

/// Years as `(A, B)`, one year, or the CLI's text `"A-B"`.
#[derive(Debug, Clone, FromPyObject)]
pub enum Years {
    Range(i32, i32),
    One(i32),
    Text(String),
}

impl Years {
    /// The range, each year in pactbase's span and the first not after the last.
    pub fn range(&self) -> Result<(i32, i32)> {
        let text = match self {
            Years::Range(a, b) => format!("{a}-{b}"),
            Years::One(year) => year.to_string(),
            Years::Text(text) => text.clone(),
        };
        input::year_range(&text).map_err(Failure::BadInput)
    }
}

/// An event study's relative years as `(FROM, TO)` or the CLI's `"FROM..TO"`.
#[derive(Debug, Clone, FromPyObject)]
pub enum Window {
    Range(i32, i32),
    Text(String),
}

impl Window {
    pub fn range(&self) -> Result<(i32, i32)> {
        let text = match self {
            Window::Range(a, b) => format!("{a}..{b}"),
            Window::Text(text) => text.clone(),
        };
        pactbase_service::impact::parse_window(&text).map_err(Failure::BadInput)
    }
}

/// Names as one comma-separated string (`"atop,nmc"`, as the CLI's `--with`) or a list.
#[derive(Debug, Clone, FromPyObject)]
pub enum Names {
    One(String),
    Many(Vec<String>),
}

impl Names {
    pub fn list(&self) -> Vec<&str> {
        let all: Vec<&str> = match self {
            Names::One(text) => vec![text.as_str()],
            Names::Many(names) => names.iter().map(String::as_str).collect(),
        };
        all.into_iter().flat_map(|n| n.split(',')).map(str::trim).filter(|n| !n.is_empty()).collect()
    }
}

pub fn year(year: i32) -> Result<i32> {
    input::year(year).map_err(Failure::BadInput)
}

pub fn state(index: &StateIndex, query: &str) -> Result<Ccode> {
    index.resolve(query).map(|s| s.ccode).map_err(|e| Failure::UnknownState(e.to_string()))
}

/// `atop`, `curated` or `both`, as the CLI's `--source`.
pub fn source(word: &str) -> Result<TieSource> {
    TieSource::parse(word)
        .ok_or_else(|| Failure::BadInput(format!("unknown source `{word}`; choose from atop, curated, both")))
}

/// `any` or `defense`, as the CLI's `--level`.
pub fn level(word: &str) -> Result<Level> {
    [Level::Any, Level::Defense]
        .into_iter()
        .find(|l| l.as_str() == word)
        .ok_or_else(|| Failure::BadInput(format!("unknown level `{word}`; choose from any, defense")))
}
