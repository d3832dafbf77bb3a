//! What people type for years and words, read the same way by the command line and the
//! web API (each front end wraps the message in its own error).

use crate::coverage::YEARS;

/// A year pactbase can speak about.
pub fn year(year: i32) -> Result<i32, String> {
    if YEARS.contains(year) {
        Ok(year)
    } else {
        Err(format!("year {year} is out of range: pactbase covers {} to {}", YEARS.first, YEARS.last))
    }
}

/// `A-B` or a single year, each in range, A ≤ B.
pub fn year_range(text: &str) -> Result<(i32, i32), String> {
    let bad = || format!("`{text}` is not a year range: write A-B (1946-1991) or one year");
    let (a, b) = match text.split_once('-') {
        Some((a, b)) => (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?),
        None => {
            let y = text.trim().parse().map_err(|_| bad())?;
            (y, y)
        }
    };
    if a > b {
        return Err(format!("`{text}`: the range starts after it ends"));
    }
    Ok((year(a)?, year(b)?))
}

/// The candidate `word` was most likely meant to be, if one is close enough.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
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
        assert_eq!(year_range("1946-1991").unwrap(), (1946, 1991));
        assert_eq!(year_range("1990").unwrap(), (1990, 1990));
        for bad in ["1991-1946", "19x6-1991", "1700-1800", "-", ""] {
            assert!(year_range(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn suggestions_are_close_words_only() {
        let words = ["mutual-defense-pact", "security-assistance"];
        assert_eq!(closest("securty-assistance", words.into_iter()), Some("security-assistance"));
        assert_eq!(closest("friendship", words.into_iter()), None);
    }
}
