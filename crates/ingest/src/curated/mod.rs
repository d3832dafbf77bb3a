//! pactbase's own curated data (`data/`): states, agreements and exercise series, as
//! described in `data/README.md`. Loading validates everything and reports every problem
//! with file, line and field; nothing partial is ever returned.

mod agreements;
mod exercises;
mod states;

use std::path::Path;

use pactbase_model::{Agreement, ExerciseSeries, State, StateIndex};

use crate::{DataError, DataErrors};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The files of a curated data folder: (path relative to the folder, contents).
pub struct DataFiles {
    /// How paths are shown in errors, e.g. `data/`.
    pub root: String,
    pub files: Vec<(String, String)>,
}

impl DataFiles {
    /// The `data/` folder compiled into this build.
    pub fn embedded() -> Self {
        DataFiles {
            root: "data/".into(),
            files: EMBEDDED.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect(),
        }
    }

    /// A data folder on disk, e.g. an editor's working copy.
    pub fn read_dir(dir: &Path) -> Result<Self, DataErrors> {
        let mut files = Vec::new();
        let root = format!("{}/", dir.display());
        let io =
            |p: &Path, e: std::io::Error| DataErrors(vec![DataError::file(&p.display().to_string(), e.to_string())]);
        let mut pending = vec![dir.to_path_buf()];
        while let Some(d) = pending.pop() {
            for entry in std::fs::read_dir(&d).map_err(|e| io(&d, e))? {
                let path = entry.map_err(|e| io(&d, e))?.path();
                if path.is_dir() {
                    pending.push(path);
                } else if matches!(path.extension().and_then(|e| e.to_str()), Some("toml" | "csv")) {
                    let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
                    let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    files.push((rel, text));
                }
            }
        }
        files.sort();
        Ok(DataFiles { root, files })
    }

    fn get(&self, rel: &str) -> Option<&str> {
        self.files.iter().find(|(p, _)| p == rel).map(|(_, t)| t.as_str())
    }

    fn under<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files
            .iter()
            .filter(move |(p, _)| p.starts_with(folder) && p.ends_with(".toml"))
            .map(|(p, t)| (p.as_str(), t.as_str()))
    }
}

/// Everything in a curated data folder, validated.
#[derive(Debug, Clone)]
pub struct Curated {
    pub states: Vec<State>,
    pub agreements: Vec<Agreement>,
    pub exercises: Vec<ExerciseSeries>,
}

pub fn load(data: &DataFiles) -> Result<Curated, DataErrors> {
    let mut errors = Vec::new();
    let path = |rel: &str| format!("{}{rel}", data.root);
    let required = |rel: &str, errors: &mut Vec<DataError>| {
        let text = data.get(rel);
        if text.is_none() {
            errors.push(DataError::file(&path(rel), "file is missing; see data/README.md"));
        }
        text.unwrap_or("")
    };
    let states_csv = required("states.csv", &mut errors);
    let spells_csv = required("state-spells.csv", &mut errors);
    let states = states::read(&path("states.csv"), states_csv, &path("state-spells.csv"), spells_csv, &mut errors);
    let index = StateIndex::new(states);

    let agreements: Vec<Agreement> = data
        .under("agreements/")
        .filter_map(|(rel, text)| agreements::read(&path(rel), rel, text, &index, &mut errors))
        .collect();
    agreements::check_unique(&agreements, &mut errors);

    let exercises: Vec<ExerciseSeries> = data
        .under("exercises/")
        .filter_map(|(rel, text)| exercises::read(&path(rel), rel, text, &index, &agreements, &mut errors))
        .collect();

    if errors.is_empty() {
        Ok(Curated { states: index.states().to_vec(), agreements, exercises })
    } else {
        Err(DataErrors(errors))
    }
}

/// A TOML file read into `T`, or a syntax or shape error at its line and column.
fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str, errors: &mut Vec<DataError>) -> Option<T> {
    match toml::from_str(text) {
        Ok(value) => Some(value),
        Err(e) => {
            let err = DataError::file(file, e.message().trim().to_owned());
            errors.push(match e.span() {
                Some(span) => err.at_offset(text, span.start),
                None => err,
            });
            None
        }
    }
}

/// The file name without folder and `.toml`, which must equal the record's id.
fn stem(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel).trim_end_matches(".toml")
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use pactbase_model::{InvocationOutcome, ObligationType, PartialDate, PartyCoverage, ReservationEffect};
    use proptest::prelude::*;

    const STATES: &str = "ccode,abb,iso3,name,aliases\n2,USA,USA,United States,America\n900,AUL,AUS,Australia,\n920,NEW,NZL,New Zealand,\n";
    const SPELLS: &str = "ccode,start,end\n2,1816-01-01,\n900,1920-01-10,\n920,1920-01-10,\n";
    const ANZUS: &str = r#"
id = "anzus"
name = "Security Treaty between Australia, New Zealand and the United States"
kinds = ["mutual-defense-pact"]
signed = "1951-09-01"
status = "in-force"
region = "Pacific"
summary = "Each party would act to meet a common danger."

[[sources]]
id = "treaty"
title = "ANZUS Treaty"
publisher = "Australian Treaty Series"
reference = "1952 ATS 2"

[[members]]
state = "USA"
joined = "1951-09-01"
role = "founding"

[[members]]
state = "AUL"
joined = "1951-09-01"
role = "founding"

[[obligations]]
type = "defense"
from = "all"
toward = "all"
"#;

    fn files(agreement: &str) -> DataFiles {
        DataFiles {
            root: "data/".into(),
            files: vec![
                ("states.csv".into(), STATES.into()),
                ("state-spells.csv".into(), SPELLS.into()),
                ("agreements/anzus.toml".into(), agreement.into()),
            ],
        }
    }

    fn errors(agreement: &str) -> Vec<String> {
        match load(&files(agreement)) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_valid_folder_loads() {
        let data = load(&files(ANZUS)).unwrap();
        assert_eq!(data.agreements[0].directed_obligations().len(), 2);
        assert_eq!(data.states.len(), 3);
    }

    #[test]
    fn each_problem_is_located_by_line_and_field() {
        let cases = [
            (ANZUS.replace("state = \"AUL\"", "state = \"AUS\""), "data/agreements/anzus.toml:22:9: members[1].state: unknown state `AUS`; write its COW abbreviation AUL"),
            (ANZUS.replace("id = \"anzus\"", "id = \"anzus-1951\""), "data/agreements/anzus.toml:2:6: id: id `anzus-1951` must equal the file name `anzus`"),
            (ANZUS.replace("from = \"all\"", "from = [\"NEW\"]"), "members"),
            (ANZUS.replace("region = \"Pacific\"", "region = \"Pacific\"\ncolour = \"blue\""), "anzus.toml:8:1: unknown field `colour`"),
            (ANZUS.replace("1951-09-01\"\nrole = \"founding\"\n\n[[members]]\nstate = \"AUL\"", "1951-09-01\"\nleft = \"1950\"\nrole = \"founding\"\n\n[[members]]\nstate = \"AUL\""), "leaves before it joined"),
            (ANZUS.replace("reference = \"1952 ATS 2\"", ""), "a source needs a `url` or a document `reference`"),
        ];
        for (text, expected) in cases {
            let errs = errors(&text);
            assert!(errs.iter().any(|e| e.contains(expected)), "expected {expected:?} in {errs:?}");
        }
    }

    const INVOKED: &str = r#"
[[reservations]]
state = "USA"
article = "Art. IV"
effect = "limits"
text = "Only an armed attack in the Pacific area."

[[invocations]]
date = "2001-09-14"
by = "AUL"
against = []
obligation = "defense"
article = "Art. IV"
outcome = "honoured"
note = "Australia invoked the treaty after the September 11 attacks."

[[invocations]]
date = "1965"
by = "USA"
against = "NEW"
obligation = "consultation"
outcome = "declined"
note = "Invented, to test ordering and a single state."
"#;

    #[test]
    fn invocations_and_reservations_are_read_in_date_order() {
        let data = load(&files(&format!("{ANZUS}{INVOKED}"))).unwrap();
        let a = &data.agreements[0];
        assert_eq!(a.reservations.len(), 1);
        assert_eq!((a.reservations[0].ccode, a.reservations[0].effect), (2, ReservationEffect::Limits));
        let dates: Vec<i32> = a.invocations.iter().map(|v| v.date.year).collect();
        assert_eq!(dates, [1965, 2001]);
        assert_eq!(a.invocations[0].against, [920]);
        assert_eq!(a.invocations[0].obligation, ObligationType::Consultation);
        assert_eq!(a.invocations[1].outcome, InvocationOutcome::Honoured);
        assert_eq!(a.invocations[1].source, "treaty", "the first source by default");
    }

    #[test]
    fn invocation_and_reservation_errors_are_located() {
        let with = |from: &str, to: &str| format!("{ANZUS}{}", INVOKED.replace(from, to));
        let cases = [
            (with("by = \"AUL\"", "by = \"NEW\""), "anzus.toml:39:6: invocations[0].by: NEW is not a member of this agreement; only a party can invoke the agreement"),
            (with("outcome = \"honoured\"", "outcome = \"ignored\""), "unknown value `ignored`; expected one of: honoured, limited, declined, disputed"),
            (with("state = \"USA\"\narticle", "state = \"NEW\"\narticle"), "anzus.toml:32:9: reservations[0].state: NEW is not a member of this agreement"),
            (with("against = \"NEW\"", "against = \"NZL\""), "invocations[1].against: unknown state `NZL`; write its COW abbreviation NEW"),
            (with("date = \"1965\"", "date = \"1950\""), "invocations[1].date: the invocation comes before the agreement was signed"),
            (with("effect = \"limits\"", "effect = \"limits\"\nsource = \"memo\""), "reservations[0].source: `memo` is not one of this file's source ids (treaty)"),
            (with("note = \"Australia invoked the treaty after the September 11 attacks.\"", "note = \" \""), "invocations[0].note: say what was asked"),
        ];
        for (text, expected) in cases {
            let errs = errors(&text);
            assert!(errs.iter().any(|e| e.contains(expected)), "expected {expected:?} in {errs:?}");
        }
    }

    const PARTIES: &str = r#"
[[signatories]]
state = "NEW"
signed = "1951-09-01"
note = "Invented for the test."

[[non_state_parties]]
name = "Cook Islands"
signed = "1997-12-05"
joined = "2005-09-06"
"#;

    #[test]
    fn signatories_non_state_parties_and_coverage_are_read() {
        let text = ANZUS
            .replace("region = \"Pacific\"", "region = \"Pacific\"\nparties = \"selected\"")
            .replace("joined = \"1951-09-01\"\nrole", "signed = \"1951-09-01\"\njoined = \"1952-04-29\"\nrole");
        let data = load(&files(&format!("{text}{PARTIES}"))).unwrap();
        let a = &data.agreements[0];
        assert_eq!(a.party_coverage, PartyCoverage::Selected);
        assert_eq!(a.members[0].signed, Some(PartialDate::ymd(1951, 9, 1)));
        assert_eq!(a.signatories.iter().map(|s| s.ccode).collect::<Vec<_>>(), [920]);
        assert_eq!(a.parties(), [2, 900], "a signatory is not a party");
        assert_eq!(a.non_state_parties[0].joined, Some(PartialDate::ymd(2005, 9, 6)));
        assert_eq!(load(&files(ANZUS)).unwrap().agreements[0].party_coverage, PartyCoverage::Complete, "the default");
    }

    #[test]
    fn party_list_errors_are_located() {
        let with = |from: &str, to: &str| format!("{ANZUS}{}", PARTIES.replace(from, to));
        let cases = [
            (with("state = \"NEW\"", "state = \"AUL\""), "anzus.toml:32:9: signatories[0].state: AUL is a member: give its signature as the member's `signed`"),
            (with("name = \"Cook Islands\"", "name = \"New Zealand\""), "anzus.toml:37:8: non_state_parties[0].name: New Zealand is a COW state (NEW): list it under [[members]]"),
            (with("signed = \"1997-12-05\"\njoined = \"2005-09-06\"\n", ""), "non_state_parties[0].joined: give the date it was bound"),
            (format!("{}{PARTIES}", ANZUS.replace("region = \"Pacific\"", "region = \"Pacific\"\nparties = \"some\"")), "unknown value `some`; expected one of: complete, selected"),
            (ANZUS.replace("joined = \"1951-09-01\"\nrole", "signed = \"1952\"\njoined = \"1951-09-01\"\nrole"), "members[0].signed: a member signs before it is bound"),
        ];
        for (text, expected) in cases {
            let errs = errors(&text);
            assert!(errs.iter().any(|e| e.contains(expected)), "expected {expected:?} in {errs:?}");
        }
    }

    #[test]
    fn missing_files_and_bad_states_are_reported_together() {
        let mut data = files(ANZUS);
        data.files.retain(|(p, _)| p != "state-spells.csv");
        data.files[0].1 = STATES.replace("900,AUL,AUS", "900,AUL,AU");
        let errs: Vec<String> = load(&data).unwrap_err().0.iter().map(|e| e.to_string()).collect();
        assert!(errs.iter().any(|e| e == "data/state-spells.csv: file is missing; see data/README.md"), "{errs:?}");
        assert!(errs.iter().any(|e| e.starts_with("data/states.csv:3:3: iso3:")), "{errs:?}");
    }

    #[test]
    fn overlapping_spells_are_refused() {
        let mut data = files(ANZUS);
        data.files[1].1 = format!("{SPELLS}2,1900-01-01,1901-01-01\n");
        let errs: Vec<String> = load(&data).unwrap_err().0.iter().map(|e| e.to_string()).collect();
        assert!(errs.iter().any(|e| e.contains("state-spells.csv:5:2: start: overlaps")), "{errs:?}");
    }

    proptest! {
        #[test]
        fn any_agreement_text_gives_data_or_located_errors(text in "\\PC{0,400}") {
            match load(&files(&text)) {
                Ok(_) => {}
                Err(e) => prop_assert!(e.0.iter().all(|e| e.file.starts_with("data/"))),
            }
        }

        #[test]
        fn mutating_one_byte_never_panics(at in 0usize..600, byte in 0u8..128) {
            let mut bytes = ANZUS.as_bytes().to_vec();
            let at = at % bytes.len();
            bytes[at] = byte;
            if let Ok(text) = String::from_utf8(bytes) {
                let _ = load(&files(&text));
            }
        }
    }
}
