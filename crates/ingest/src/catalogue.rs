//! The data catalogue: for every research dataset pactbase imports, who publishes it,
//! which version, where to download it, the SHA-256 of each file pactbase pins, the
//! terms of use and how to cite it. The data live in `catalogue.toml` beside this crate,
//! compiled in and checked whole by the tests (docs/DATA.md).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use pactbase_model::research::Dataset;
use pactbase_model::Vocabulary;
use serde::{Deserialize, Serialize};

const SOURCE: &str = include_str!("../catalogue.toml");

/// What the pinned checksums are of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pinned {
    /// The publisher's own files, byte for byte.
    Publisher,
    /// A known copy that differs from what the publisher serves (a conversion, an
    /// extract, a web-form export): the entry's note says how.
    Copy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Archive {
    Zip,
}

/// A stable file the publisher serves for this version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Download {
    pub url: String,
    /// The download is an archive holding the files (each file's `member`).
    pub archive: Option<Archive>,
}

/// One file the importer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinnedFile {
    /// Where the file sits in a copy laid out like `../shared/data` (`atop-5.1/atop5_1a.csv`).
    pub path: String,
    /// Its name inside the publisher's archive.
    pub member: Option<String>,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
}

/// One dataset of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    #[serde(skip_deserializing, default = "placeholder")]
    pub dataset: Dataset,
    pub title: String,
    pub publisher: String,
    pub version: String,
    /// First and last year the data describe.
    pub coverage: (i32, i32),
    pub homepage: String,
    /// Licence or terms of use as the publisher states them.
    pub terms: String,
    /// Plain-text citation.
    pub citation: String,
    /// BibTeX entries (one or more).
    pub bibtex: String,
    /// What `pactbase import NAME` takes, inside a copy: a file, or the folder of files.
    pub import: String,
    pub pinned: Pinned,
    pub note: String,
    /// `None`: the publisher serves no stable file pactbase can fetch.
    pub download: Option<Download>,
    pub files: Vec<PinnedFile>,
}

fn placeholder() -> Dataset {
    Dataset::Atop
}

impl Entry {
    /// `FILE` or `DIR`: what `pactbase import` takes for this dataset.
    pub fn import_arg(&self) -> &'static str {
        if self.files.iter().any(|f| f.path == self.import) {
            "FILE"
        } else {
            "DIR"
        }
    }

    /// The pinned file at `path` (copy layout), if any.
    pub fn file(&self, path: &str) -> Option<&PinnedFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Whether `pactbase data fetch` can download it without `--from`.
    pub fn fetchable(&self) -> bool {
        self.download.is_some() && self.pinned == Pinned::Publisher
    }
}

/// The catalogue, one entry per [`Dataset`], in the vocabulary's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalogue {
    entries: Vec<Entry>,
}

impl Catalogue {
    /// Parses and checks catalogue text; every problem is listed.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let raw: BTreeMap<Dataset, Entry> = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut problems = Vec::new();
        let mut entries = Vec::new();
        for &dataset in Dataset::ALL {
            match raw.get(&dataset) {
                Some(entry) => {
                    let entry = Entry { dataset, ..entry.clone() };
                    problems.extend(check(&entry).into_iter().map(|p| format!("[{dataset}] {p}")));
                    entries.push(entry);
                }
                None => problems.push(format!("no entry for dataset `{dataset}`")),
            }
        }
        if problems.is_empty() {
            Ok(Catalogue { entries })
        } else {
            Err(problems.join("\n"))
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, dataset: Dataset) -> &Entry {
        self.entries
            .iter()
            .find(|e| e.dataset == dataset)
            .expect("the catalogue has every dataset (checked when parsed)")
    }
}

/// The catalogue compiled into this build.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::parse(SOURCE).expect("catalogue.toml is checked by the tests"))
}

fn check(e: &Entry) -> Vec<String> {
    let mut problems = Vec::new();
    if e.coverage.0 > e.coverage.1 {
        problems.push(format!("coverage {}-{} ends before it starts", e.coverage.0, e.coverage.1));
    }
    for (field, value) in
        [("title", &e.title), ("publisher", &e.publisher), ("version", &e.version), ("terms", &e.terms)]
    {
        if value.trim().is_empty() {
            problems.push(format!("{field} is empty"));
        }
    }
    if !e.bibtex.trim_start().starts_with('@') {
        problems.push("bibtex holds no entry".into());
    }
    if e.files.is_empty() {
        problems.push("no file is pinned".into());
    }
    let archive = e.download.as_ref().and_then(|d| d.archive);
    for f in &e.files {
        let hex = f.sha256.len() == 64 && f.sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hex {
            problems.push(format!("{}: sha256 must be 64 lowercase hex digits", f.path));
        }
        let inside = f.path == e.import || f.path.strip_prefix(&e.import).is_some_and(|rest| rest.starts_with('/'));
        if !inside {
            problems.push(format!("{}: not under the import path {}", f.path, e.import));
        }
        if f.path.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
            problems.push(format!("{}: a path inside the copy, without empty, `.` or `..` parts", f.path));
        }
        if archive.is_some() != f.member.is_some() {
            problems.push(format!("{}: a member name is given exactly when the download is an archive", f.path));
        }
    }
    if let Some(d) = &e.download {
        if !(d.url.starts_with("https://") || d.url.starts_with("http://")) {
            problems.push(format!("download url {} is not http(s)", d.url));
        }
        if e.pinned == Pinned::Copy {
            problems.push("a download is only given when the pins are the publisher's files".into());
        }
        if archive.is_none() && e.files.len() != 1 {
            problems.push("a download that is not an archive holds exactly one file".into());
        }
    }
    let mut paths: Vec<&str> = e.files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    if paths.windows(2).any(|w| w[0] == w[1]) {
        problems.push("a file is pinned twice".into());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_catalogue_is_valid_and_complete() {
        let catalogue = Catalogue::parse(SOURCE).unwrap_or_else(|problems| panic!("{problems}"));
        assert_eq!(catalogue.entries().len(), Dataset::ALL.len());
        let atop = catalogue.get(Dataset::Atop);
        assert_eq!((atop.version.as_str(), atop.coverage), ("5.1", (1815, 2018)));
        assert_eq!(atop.import_arg(), "DIR");
        assert!(atop.fetchable());
        assert_eq!(catalogue.get(Dataset::Nmc).import_arg(), "FILE");
        // Web-form exports and conversions can only come from a copy.
        assert!(!catalogue.get(Dataset::SipriArms).fetchable());
        assert!(!catalogue.get(Dataset::Nmc).fetchable());
    }

    #[test]
    fn every_citation_is_bibtex_a_parser_accepts() {
        for e in catalogue().entries() {
            let parsed = biblatex::Bibliography::parse(&e.bibtex)
                .unwrap_or_else(|err| panic!("{}: BibTeX does not parse: {err:?}", e.dataset));
            assert!(!parsed.is_empty(), "{}: no BibTeX entry", e.dataset);
            for entry in parsed.iter() {
                assert!(entry.title().is_ok(), "{}: {} has no title", e.dataset, entry.key);
            }
        }
    }

    #[test]
    fn every_problem_of_a_bad_catalogue_is_listed() {
        let bad = SOURCE.replacen("sha256 = \"eafd", "sha256 = \"EAFD", 1).replacen(
            "coverage = [1815, 2018]",
            "coverage = [2018, 1815]",
            1,
        );
        let problems = Catalogue::parse(&bad).unwrap_err();
        assert!(
            problems.contains("[atop] atop-5.1/atop5_1a.csv: sha256 must be 64 lowercase hex digits"),
            "{problems}"
        );
        assert!(problems.contains("[atop] coverage 2018-1815 ends before it starts"), "{problems}");
        let missing = Catalogue::parse("").unwrap_err();
        assert!(missing.contains("no entry for dataset `sipri-arms`"), "{missing}");
        let unknown = Catalogue::parse(&SOURCE.replacen("[atop]", "[atopp]", 1)).unwrap_err();
        assert!(unknown.contains("unknown value `atopp`"), "{unknown}");
    }
}
