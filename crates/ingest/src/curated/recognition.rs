//! `non-recognition.csv`: which states do not recognise which, when, on what source.

use std::collections::HashSet;

use pactbase_model::{NonRecognition, PartialDate, StateIndex};
use serde::Deserialize;

use super::state_abb;
use super::states::rows;
use crate::DataError;

pub(super) const FILE: &str = "non-recognition.csv";

const HEADER: [&str; 7] = ["state", "does_not_recognise", "from", "to", "except", "source_title", "source_url"];

#[derive(Deserialize)]
struct Row {
    state: String,
    does_not_recognise: String,
    from: String,
    to: String,
    except: String,
    source_title: String,
    source_url: String,
}

pub(super) fn read(file: &str, text: &str, index: &StateIndex, errors: &mut Vec<DataError>) -> Vec<NonRecognition> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (line, row) in rows::<Row>(file, text, &HEADER, errors) {
        let before = errors.len();
        let mut err = |col: usize, message: String| {
            errors.push(DataError::file(file, message).at(line, col).field(HEADER[col - 1]));
        };
        let state_in = |col: usize, abb: &str, err: &mut dyn FnMut(usize, String)| {
            state_abb(index, abb.trim()).map_err(|m| err(col, m)).ok()
        };
        let state = match row.state.trim() {
            "*" => None,
            abb => state_in(1, abb, &mut err),
        };
        let not_recognised = state_in(2, &row.does_not_recognise, &mut err);
        let except: Vec<_> = row
            .except
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .filter_map(|abb| state_in(5, abb, &mut err))
            .collect();
        let from = PartialDate::parse(row.from.trim()).map_err(|e| err(3, e.to_string())).ok();
        let to = match row.to.trim() {
            "" => None,
            text => PartialDate::parse(text).map_err(|e| err(4, e.to_string())).ok(),
        };
        if row.state.trim() != "*" && !except.is_empty() {
            err(5, "`except` lists exceptions to `*` only; leave it empty for a named state".into());
        }
        if let (Some(from), Some(to)) = (from, to) {
            if from.certainly_after(&to) {
                err(4, "recognition is dated before non-recognition starts".into());
            }
        }
        if row.source_title.trim().is_empty() {
            err(6, "every row needs its source's title".into());
        }
        let url = row.source_url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            err(7, format!("`{url}` is not a web address (http:// or https://)"));
        }
        if state.is_some() && state == not_recognised {
            err(2, "a state cannot withhold recognition from itself".into());
        }
        if errors.len() > before {
            continue;
        }
        let (Some(not_recognised), Some(from)) = (not_recognised, from) else { continue };
        if !seen.insert((state, not_recognised, row.from.trim().to_owned())) {
            errors.push(
                DataError::file(file, "the same non-recognition starts twice on this date").at(line, 1).field("state"),
            );
            continue;
        }
        out.push(NonRecognition {
            state,
            not_recognised,
            from,
            to,
            except,
            source_title: row.source_title.trim().to_owned(),
            source_url: url.to_owned(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> StateIndex {
        let csv = "ccode,abb,iso3,name,aliases\n666,ISR,ISR,Israel,\n713,TAW,TWN,Taiwan,\n770,PAK,PAK,Pakistan,\n150,PAR,PRY,Paraguay,\n";
        let spells = "ccode,start,end\n666,1948-05-14,\n713,1949-01-01,\n770,1947-08-14,\n150,1816-01-01,\n";
        let mut errors = Vec::new();
        let states = super::super::states::read("states.csv", csv, "state-spells.csv", spells, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        StateIndex::new(states)
    }

    const HEAD: &str = "state,does_not_recognise,from,to,except,source_title,source_url\n";

    fn read_text(body: &str) -> (Vec<NonRecognition>, Vec<String>) {
        let mut errors = Vec::new();
        let rows = read("data/non-recognition.csv", &format!("{HEAD}{body}"), &index(), &mut errors);
        (rows, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn valid_rows_load() {
        let (rows, errors) = read_text(
            "PAK,ISR,1948-05-14,,,International recognition of Israel,https://en.wikipedia.org/wiki/International_recognition_of_Israel\n\
             *,TAW,2024-01-15,,PAR,Foreign relations of Taiwan,https://en.wikipedia.org/wiki/Foreign_relations_of_Taiwan\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].state, rows[0].not_recognised), (Some(770), 666));
        assert_eq!((rows[1].state, rows[1].except.clone()), (None, vec![150]));
    }

    #[test]
    fn each_problem_is_located_by_line_column_and_field() {
        let (rows, errors) = read_text(
            "Pakistn,ISR,1948,,,t,https://example.org\n\
             PAK,ISR,1948,1947,,t,https://example.org\n\
             PAK,ISR,1949,,PAR,,example.org\n\
             PAK,PAK,1950,,,t,https://example.org\n",
        );
        assert!(rows.is_empty());
        let expected = [
            "data/non-recognition.csv:2:1: state: unknown state `Pakistn`; did you mean Pakistan (PAK, 770)?",
            "data/non-recognition.csv:3:4: to: recognition is dated before non-recognition starts",
            "data/non-recognition.csv:4:5: except: `except` lists exceptions to `*` only; leave it empty for a named state",
            "data/non-recognition.csv:4:6: source_title: every row needs its source's title",
            "data/non-recognition.csv:4:7: source_url: `example.org` is not a web address (http:// or https://)",
            "data/non-recognition.csv:5:2: does_not_recognise: a state cannot withhold recognition from itself",
        ];
        assert_eq!(errors, expected);
    }
}
