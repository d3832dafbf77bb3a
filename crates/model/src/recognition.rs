//! Diplomatic non-recognition (`data/non-recognition.csv`): a state that does not
//! recognise another as a state, or as the government of its country, over a span of
//! dates. Two states of which one does not recognise the other cannot ally, so partner
//! recommendations leave such pairs out.

use serde::{Deserialize, Serialize};

use crate::{Ccode, PartialDate};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NonRecognition {
    /// The state that withholds recognition; `None` (`*` in the file): every state other
    /// than `not_recognised` and those in `except`. Taiwan is written this way: from the
    /// date given, every state but the Republic of China's diplomatic allies.
    pub state: Option<Ccode>,
    pub not_recognised: Ccode,
    pub from: PartialDate,
    /// When recognition was given; `None`: still withheld.
    pub to: Option<PartialDate>,
    /// For `state = None` only: the states that do recognise it.
    pub except: Vec<Ccode>,
    pub source_title: String,
    pub source_url: String,
}

impl NonRecognition {
    /// Whether `state` withholds recognition from `other` at the end of `year`: a
    /// recognition given during the year counts.
    pub fn withheld(&self, state: Ccode, other: Ccode, year: i32) -> bool {
        other == self.not_recognised
            && state != other
            && self.state.map_or(!self.except.contains(&state), |s| s == state)
            && self.from.year <= year
            && self.to.is_none_or(|to| to.year > year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        state: Option<Ccode>,
        not_recognised: Ccode,
        from: i32,
        to: Option<i32>,
        except: Vec<Ccode>,
    ) -> NonRecognition {
        NonRecognition {
            state,
            not_recognised,
            from: PartialDate::year(from),
            to: to.map(PartialDate::year),
            except,
            source_title: String::new(),
            source_url: String::new(),
        }
    }

    #[test]
    fn withheld_within_its_years_and_lifted_in_the_year_of_recognition() {
        // The United Arab Emirates recognised Israel in September 2020.
        let uae = row(Some(696), 666, 1971, Some(2020), vec![]);
        assert!(uae.withheld(696, 666, 2019));
        assert!(!uae.withheld(696, 666, 2020));
        assert!(!uae.withheld(666, 696, 2019), "directed: Israel recognises the Emirates");
        assert!(!uae.withheld(696, 666, 1970));
    }

    #[test]
    fn everyone_but_the_exceptions() {
        let taiwan = row(None, 713, 2024, None, vec![150, 572]);
        assert!(taiwan.withheld(770, 713, 2025));
        assert!(!taiwan.withheld(150, 713, 2025), "Paraguay recognises the Republic of China");
        assert!(!taiwan.withheld(713, 713, 2025));
        assert!(!taiwan.withheld(770, 713, 2023), "not recorded before the row's first year");
    }
}
