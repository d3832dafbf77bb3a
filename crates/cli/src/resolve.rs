//! Turns what users type (state names, kinds, agreement ids) into model values, or into
//! an error that says what was meant.

use pactbase_model::{AgreementKind, ObligationType, StateIndex, Vocabulary};
use pactbase_store::{KindFilter, Store};

use crate::failure::{Failure, Result};

pub fn state(index: &StateIndex, query: &str) -> Result<u16> {
    index.resolve(query).map(|s| s.ccode).map_err(|e| Failure::NotFound(e.to_string()))
}

/// A kind of the taxonomy only (the network's `--kind`).
pub fn agreement_kind(word: &str) -> Result<AgreementKind> {
    match kind(word)? {
        KindFilter::Kind(k) => Ok(k),
        KindFilter::Obligation(o) => Err(Failure::Usage(format!(
            "`{}` is an ATOP obligation type, not a kind of agreement; --level defense keeps defense and offense ties",
            o.as_str()
        ))),
    }
}

pub fn kind(word: &str) -> Result<KindFilter> {
    if let Ok(k) = AgreementKind::parse(word) {
        return Ok(KindFilter::Kind(k));
    }
    if let Ok(o) = ObligationType::parse(word) {
        return Ok(KindFilter::Obligation(o));
    }
    let words: Vec<&str> =
        AgreementKind::ALL.iter().map(|k| k.as_str()).chain(ObligationType::ALL.iter().map(|o| o.as_str())).collect();
    let near = closest(word, words.iter().copied());
    Err(Failure::NotFound(format!(
        "unknown kind `{word}`{}; kinds are: {}",
        near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default(),
        words.join(", ")
    )))
}

pub fn agreement(store: &Store, id: &str) -> Result<pactbase_model::Agreement> {
    if let Some(a) = store.agreement(id)? {
        return Ok(a);
    }
    let ids = store.agreement_ids()?;
    let near = closest(id, ids.iter().map(String::as_str));
    Err(Failure::NotFound(format!(
        "no agreement `{id}`{}; `pactbase agreements` lists them, `pactbase search WORDS` finds them",
        near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default()
    )))
}

pub fn year(year: i32) -> Result<i32> {
    if (1816..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(Failure::Usage(format!("year {year} is out of range: pactbase covers 1816 onward")))
    }
}

/// `A-B` or a single year, each in range, A ≤ B.
pub fn years(text: &str) -> Result<(i32, i32)> {
    let bad = || Failure::Usage(format!("`{text}` is not a year range: write A-B (1946-1991) or one year"));
    let (a, b) = match text.split_once('-') {
        Some((a, b)) => (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?),
        None => {
            let y = text.trim().parse().map_err(|_| bad())?;
            (y, y)
        }
    };
    if a > b {
        return Err(Failure::Usage(format!("`{text}`: the range starts after it ends")));
    }
    Ok((year(a)?, year(b)?))
}

fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(&word.to_lowercase(), c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges() {
        assert_eq!(years("1946-1991").unwrap(), (1946, 1991));
        assert_eq!(years("1990").unwrap(), (1990, 1990));
        for bad in ["1991-1946", "19x6-1991", "1700-1800", "-", ""] {
            assert!(years(bad).is_err(), "{bad}");
        }
    }
}
