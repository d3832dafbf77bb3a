//! Years as people read them, written one way everywhere: spans with their end
//! ("1954–1972"), open spans ("1959–"), and runs of years ("2007, 2009, 2011–2013").

use std::fmt;

use serde::Serialize;

/// From a year to a year, or on past the data's end (`to = None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearSpan {
    pub from: i32,
    pub to: Option<i32>,
}

impl YearSpan {
    pub fn new(from: i32, to: Option<i32>) -> YearSpan {
        YearSpan { from, to }
    }

    /// From `first` to `last`, both included.
    pub fn closed(first: i32, last: i32) -> YearSpan {
        YearSpan { from: first, to: Some(last) }
    }

    pub fn contains(self, year: i32) -> bool {
        self.from <= year && self.to.is_none_or(|t| year <= t)
    }
}

/// "1954–1972", "2025" (one year), "1959–" (still running).
impl fmt::Display for YearSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) if to == self.from => write!(f, "{}", self.from),
            Some(to) => write!(f, "{}–{to}", self.from),
            None => write!(f, "{}–", self.from),
        }
    }
}

/// Sorted years as runs: 2007 2009 2011 2012 2013 → "2007, 2009, 2011–2013".
pub fn year_runs(years: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        parts.push(YearSpan::new(years[i], Some(years[j])).to_string());
        i = j + 1;
    }
    parts.join(", ")
}

/// Maximal runs of consecutive years, as closed spans.
pub fn spans(years: impl IntoIterator<Item = i32>) -> Vec<YearSpan> {
    let mut out: Vec<YearSpan> = Vec::new();
    for y in years {
        match out.last_mut() {
            Some(last) if last.to == Some(y - 1) => last.to = Some(y),
            Some(last) if last.to == Some(y) => {}
            _ => out.push(YearSpan::new(y, Some(y))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_show_their_end() {
        assert_eq!(YearSpan::new(1954, Some(1972)).to_string(), "1954–1972");
        assert_eq!(YearSpan::new(2025, Some(2025)).to_string(), "2025");
        assert_eq!(YearSpan::new(1959, None).to_string(), "1959–");
    }

    #[test]
    fn runs_and_spans() {
        assert_eq!(year_runs(&[2007, 2009, 2011, 2012, 2013]), "2007, 2009, 2011–2013");
        assert_eq!(year_runs(&[]), "");
        assert_eq!(spans([1950, 1951, 1953]), vec![YearSpan::new(1950, Some(1951)), YearSpan::new(1953, Some(1953))]);
    }
}
