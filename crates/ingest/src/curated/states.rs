use std::collections::{BTreeMap, HashSet};

use pactbase_model::{Ccode, PartialDate, Spell, State};
use serde::Deserialize;

use crate::DataError;

#[derive(Deserialize)]
struct StateRow {
    ccode: Ccode,
    abb: String,
    iso3: String,
    name: String,
    aliases: String,
}

#[derive(Deserialize)]
struct SpellRow {
    ccode: Ccode,
    start: String,
    end: String,
}

/// Reads a CSV with the exact header `header`, giving each row with its line number.
pub(super) fn rows<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    header: &[&str],
    errors: &mut Vec<DataError>,
) -> Vec<(usize, T)> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) if h.iter().eq(header.iter().copied()) => {}
        Ok(h) => {
            errors.push(
                DataError::file(
                    file,
                    format!("header is `{}`; expected `{}`", h.iter().collect::<Vec<_>>().join(","), header.join(",")),
                )
                .at(1, 1),
            );
            return Vec::new();
        }
        Err(e) => {
            errors.push(DataError::file(file, e.to_string()).at(1, 1));
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(DataError::file(file, e.to_string()).at(line, 1));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        match record.deserialize::<T>(Some(&csv::StringRecord::from(header.to_vec()))) {
            Ok(row) => out.push((line, row)),
            Err(e) => {
                let field = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err.field().map(|f| f as usize),
                    _ => None,
                };
                let col = field.map_or(1, |f| f + 1);
                let mut err = DataError::file(file, e.to_string()).at(line, col);
                if let Some(f) = field {
                    err = err.field(header[f]);
                }
                errors.push(err);
            }
        }
    }
    out
}

pub(super) fn read(
    states_file: &str,
    states_csv: &str,
    spells_file: &str,
    spells_csv: &str,
    errors: &mut Vec<DataError>,
) -> Vec<State> {
    let mut states: BTreeMap<Ccode, State> = BTreeMap::new();
    let mut seen_abb = HashSet::new();
    let mut seen_iso = HashSet::new();
    for (line, row) in rows::<StateRow>(states_file, states_csv, &["ccode", "abb", "iso3", "name", "aliases"], errors) {
        let err = |col, field: &str, msg: String| DataError::file(states_file, msg).at(line, col).field(field);
        if states.contains_key(&row.ccode) {
            errors.push(err(1, "ccode", format!("ccode {} appears twice", row.ccode)));
        }
        if row.abb.len() != 3 || !row.abb.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(err(2, "abb", format!("`{}` is not a three-letter COW abbreviation", row.abb)));
        } else if !seen_abb.insert(row.abb.clone()) {
            errors.push(err(2, "abb", format!("abbreviation {} appears twice", row.abb)));
        }
        if !row.iso3.is_empty() {
            if row.iso3.len() != 3 || !row.iso3.bytes().all(|b| b.is_ascii_uppercase()) {
                errors.push(err(3, "iso3", format!("`{}` is not an ISO 3166 alpha-3 code", row.iso3)));
            } else if !seen_iso.insert(row.iso3.clone()) {
                errors.push(err(3, "iso3", format!("ISO code {} appears twice", row.iso3)));
            }
        }
        if row.name.trim().is_empty() {
            errors.push(err(4, "name", "name is empty".into()));
        }
        let aliases = row.aliases.split(';').map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect();
        states.insert(
            row.ccode,
            State {
                ccode: row.ccode,
                abb: row.abb,
                iso3: (!row.iso3.is_empty()).then_some(row.iso3),
                name: row.name,
                aliases,
                spells: Vec::new(),
            },
        );
    }
    for (line, row) in rows::<SpellRow>(spells_file, spells_csv, &["ccode", "start", "end"], errors) {
        let err = |col, field: &str, msg: String| DataError::file(spells_file, msg).at(line, col).field(field);
        let start = PartialDate::parse(&row.start).map_err(|e| err(2, "start", e.to_string()));
        let end = match row.end.as_str() {
            "" => Ok(None),
            text => PartialDate::parse(text).map(Some).map_err(|e| err(3, "end", e.to_string())),
        };
        let (start, end) = match (start, end) {
            (Ok(s), Ok(e)) => (s, e),
            (s, e) => {
                errors.extend(s.err());
                errors.extend(e.err());
                continue;
            }
        };
        let Some(state) = states.get_mut(&row.ccode) else {
            errors.push(err(1, "ccode", format!("ccode {} is not in states.csv", row.ccode)));
            continue;
        };
        if end.is_some_and(|e| start.certainly_after(&e)) {
            errors.push(err(3, "end", "the spell ends before it starts".into()));
        }
        if state.spells.last().is_some_and(|prev| prev.end.is_none_or(|e| !start.certainly_after(&e))) {
            errors.push(err(2, "start", "overlaps the previous spell of this state (sort spells by start)".into()));
        }
        state.spells.push(Spell { start, end });
    }
    for s in states.values().filter(|s| s.spells.is_empty()) {
        errors.push(DataError::file(spells_file, format!("state {} ({}) has no membership spell", s.ccode, s.abb)));
    }
    states.into_values().collect()
}
