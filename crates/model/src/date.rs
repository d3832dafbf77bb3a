use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date known to the precision its source gives: a year, a month or a day.
///
/// Sources often give only a year ("acceded in 1956"); treating that as January 1 would
/// invent precision, so comparisons use [`PartialDate::earliest`] and
/// [`PartialDate::latest`] explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date: {reason} (write YYYY, YYYY-MM or YYYY-MM-DD)")]
pub struct DateError {
    pub text: String,
    pub reason: &'static str,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate { year, month: None, day: None }
    }

    pub fn ymd(year: i32, month: u8, day: u8) -> Self {
        PartialDate { year, month: Some(month), day: Some(day) }
    }

    pub fn parse(text: &str) -> Result<Self, DateError> {
        let fail = |reason| DateError { text: text.to_owned(), reason };
        let mut parts = text.split('-');
        let year = parts.next().filter(|y| y.len() == 4).ok_or_else(|| fail("the year must have four digits"))?;
        let year: i32 = year.parse().map_err(|_| fail("the year is not a number"))?;
        let mut field = |max: u8, what| -> Result<Option<u8>, DateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 => match p.parse::<u8>() {
                    Ok(v) if (1..=max).contains(&v) => Ok(Some(v)),
                    _ => Err(fail(what)),
                },
                Some(_) => Err(fail("month and day take two digits")),
            }
        };
        let month = field(12, "the month must be 01-12")?;
        let day = field(31, "the day must be 01-31")?;
        if parts.next().is_some() {
            return Err(fail("too many parts"));
        }
        if let (Some(m), Some(d)) = (month, day) {
            if d > days_in_month(year, m) {
                return Err(fail("that day does not exist in that month"));
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// The first day the date can denote, as (year, month, day).
    pub fn earliest(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date can denote, as (year, month, day).
    pub fn latest(&self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        (self.year, month, self.day.unwrap_or_else(|| days_in_month(self.year, month)))
    }

    /// True when `self` certainly comes after `other` (no overlap of what they can denote).
    pub fn certainly_after(&self, other: &PartialDate) -> bool {
        self.earliest() > other.latest()
    }
}

/// The calendar year (UTC, proleptic Gregorian) of a moment given as seconds since
/// 1970-01-01T00:00:00Z.
pub fn year_of_unix_time(seconds: i64) -> i32 {
    // Howard Hinnant's civil_from_days, with years starting in March.
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let march_based_month = (5 * day_of_year + 2) / 153;
    let year = year_of_era + era * 400 + i64::from(march_based_month >= 10);
    i32::try_from(year).unwrap_or(i32::MAX)
}

pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for PartialDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, DateError> {
        PartialDate::parse(s)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        PartialDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PartialDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"))
            .description(Some("YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PartialDate {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_each_precision() {
        assert_eq!(PartialDate::parse("1949").unwrap(), PartialDate::year(1949));
        assert_eq!(PartialDate::parse("1949-04").unwrap().month, Some(4));
        assert_eq!(PartialDate::parse("1949-04-04").unwrap(), PartialDate::ymd(1949, 4, 4));
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in ["49", "1949-4", "1949-13", "1949-02-30", "1900-02-29", "1949-04-04-01", "", "year"] {
            assert!(PartialDate::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(PartialDate::parse("2000-02-29").is_ok());
    }

    #[test]
    fn bounds_follow_precision() {
        let d = PartialDate::parse("1956-02").unwrap();
        assert_eq!(d.earliest(), (1956, 2, 1));
        assert_eq!(d.latest(), (1956, 2, 29));
        assert!(PartialDate::parse("1957").unwrap().certainly_after(&d));
        assert!(!PartialDate::parse("1956").unwrap().certainly_after(&d));
    }

    #[test]
    fn years_of_moments() {
        assert_eq!(year_of_unix_time(0), 1970);
        assert_eq!(year_of_unix_time(-1), 1969);
        assert_eq!(year_of_unix_time(951_782_399), 2000, "2000-02-28T23:59:59Z");
        assert_eq!(year_of_unix_time(978_307_199), 2000, "2000-12-31T23:59:59Z");
        assert_eq!(year_of_unix_time(978_307_200), 2001, "2001-01-01T00:00:00Z");
        assert_eq!(year_of_unix_time(1_798_761_599), 2026, "2026-12-31T23:59:59Z");
        assert_eq!(year_of_unix_time(-4_733_596_800), 1820, "1820-01-01");
        assert_eq!(year_of_unix_time(-4_733_596_801), 1819, "1819-12-31T23:59:59Z");
    }

    proptest! {
        #[test]
        fn display_round_trips(y in 1000i32..3000, m in proptest::option::of(1u8..=12), d in 1u8..=28) {
            let date = PartialDate { year: y, month: m, day: m.map(|_| d) };
            prop_assert_eq!(PartialDate::parse(&date.to_string()).unwrap(), date);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = PartialDate::parse(&s);
        }
    }
}
