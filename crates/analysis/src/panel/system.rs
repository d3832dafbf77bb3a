//! Who is a member of the state system on which days of each year (COW spells).

use pactbase_model::research::{SystemSpell, Ymd};
use pactbase_model::Ccode;

/// Day of the year, 1-based, of a date.
pub(crate) fn day_of_year(d: Ymd) -> u16 {
    const BEFORE: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    let month = d.month.clamp(1, 12);
    BEFORE[usize::from(month - 1)] + u16::from(leap && month > 2) + u16::from(d.day.max(1))
}

fn days_in_year(year: i32) -> u16 {
    day_of_year(Ymd::new(year, 12, 31))
}

/// System members of one year, sorted by ccode, each with the day ranges it was a member.
#[derive(Debug, Clone, Default)]
pub struct SystemYear {
    pub year: i32,
    pub ccodes: Vec<Ccode>,
    /// For each entry of `ccodes`, its range into `days`.
    spans: Vec<(u32, u32)>,
    /// Inclusive day-of-year ranges.
    days: Vec<(u16, u16)>,
    /// Member on every day of the year: the common case, checked first.
    full: Vec<bool>,
}

impl SystemYear {
    /// True when states at positions `i` and `j` are members on at least one common day
    /// (the same-day rule of FIELD.md §1).
    #[inline]
    pub fn overlap(&self, i: usize, j: usize) -> bool {
        if self.full[i] || self.full[j] {
            return true;
        }
        let (a0, a1) = self.spans[i];
        let (b0, b1) = self.spans[j];
        self.days[a0 as usize..a1 as usize]
            .iter()
            .any(|&(s1, e1)| self.days[b0 as usize..b1 as usize].iter().any(|&(s2, e2)| s1 <= e2 && s2 <= e1))
    }

    pub fn position(&self, ccode: Ccode) -> Option<usize> {
        self.ccodes.binary_search(&ccode).ok()
    }
}

/// The state system year by year.
#[derive(Debug, Clone)]
pub struct System {
    first_year: i32,
    years: Vec<SystemYear>,
}

impl System {
    /// Builds the system for `first..=last`. `data_end` is the last day the spells
    /// describe (COW 2016: 2016-12-31); states still members that day continue after it,
    /// as peacesciencer's most-recent-year option does.
    pub fn new(spells: &[SystemSpell], data_end: Ymd, first: i32, last: i32) -> Self {
        let mut years: Vec<SystemYear> =
            (first..=last.max(first - 1)).map(|year| SystemYear { year, ..Default::default() }).collect();
        let mut sorted = spells.to_vec();
        sorted.sort_by_key(|s| (s.ccode, s.start));
        for s in &sorted {
            let end = if s.end >= data_end { Ymd::new(i32::MAX, 12, 31) } else { s.end };
            for year in s.start.year.max(first)..=end.year.min(last) {
                let y = &mut years[(year - first) as usize];
                let from = if s.start.year == year { day_of_year(s.start) } else { 1 };
                let to = if end.year == year { day_of_year(end) } else { days_in_year(year) };
                if y.ccodes.last() != Some(&s.ccode) {
                    y.ccodes.push(s.ccode);
                    y.spans.push((y.days.len() as u32, y.days.len() as u32));
                    y.full.push(false);
                }
                y.days.push((from, to));
                let k = y.ccodes.len() - 1;
                y.spans[k].1 += 1;
                if from == 1 && to == days_in_year(year) {
                    y.full[k] = true;
                }
            }
        }
        System { first_year: first, years }
    }

    pub fn year(&self, year: i32) -> Option<&SystemYear> {
        usize::try_from(year - self.first_year).ok().and_then(|i| self.years.get(i))
    }

    pub fn years(&self) -> &[SystemYear] {
        &self.years
    }

    pub fn is_member(&self, ccode: Ccode, year: i32) -> bool {
        self.year(year).is_some_and(|y| y.position(ccode).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(ccode: Ccode, start: (i32, u8, u8), end: (i32, u8, u8)) -> SystemSpell {
        SystemSpell { ccode, start: Ymd::new(start.0, start.1, start.2), end: Ymd::new(end.0, end.1, end.2) }
    }

    #[test]
    fn days_count_from_one_with_leap_years() {
        assert_eq!(day_of_year(Ymd::new(1975, 1, 1)), 1);
        assert_eq!(day_of_year(Ymd::new(1975, 12, 31)), 365);
        assert_eq!(day_of_year(Ymd::new(1976, 3, 1)), 61);
    }

    #[test]
    fn suriname_and_south_vietnam_never_share_a_day_of_1975() {
        let end = Ymd::new(2016, 12, 31);
        let spells = [
            spell(115, (1975, 11, 25), (2016, 12, 31)),
            spell(817, (1954, 6, 4), (1975, 4, 30)),
            spell(2, (1816, 1, 1), (2016, 12, 31)),
        ];
        let system = System::new(&spells, end, 1975, 1975);
        let y = system.year(1975).unwrap();
        let (sur, rvn, usa) = (y.position(115).unwrap(), y.position(817).unwrap(), y.position(2).unwrap());
        assert!(!y.overlap(sur, rvn));
        assert!(y.overlap(sur, usa) && y.overlap(rvn, usa));
    }

    #[test]
    fn states_alive_at_the_data_end_continue() {
        let spells = [spell(2, (1816, 1, 1), (2016, 12, 31)), spell(260, (1955, 5, 5), (1990, 10, 2))];
        let system = System::new(&spells, Ymd::new(2016, 12, 31), 2015, 2020);
        assert!(system.is_member(2, 2020));
        assert!(!system.is_member(260, 2017));
    }
}
