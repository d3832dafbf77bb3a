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
