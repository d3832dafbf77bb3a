//! What the data shown were as of: how many edits the registry has had and when the last
//! was made, and every research dataset import (for pages' "data as of" stamp, their
//! citations and the change log).

use pactbase_model::research::Dataset;
use serde::Serialize;

use crate::{Result, Store};

/// Edits made through the web application or the API since the registry was loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Edits {
    pub count: i64,
    /// When the latest was made (UTC, ISO 8601).
    pub last: Option<String>,
}

/// One import of a dataset (one or more files taken in one transaction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Import {
    pub dataset: Dataset,
    pub version: String,
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    pub imported_at: String,
    pub files: usize,
    pub rows: i64,
}

impl Store {
    pub fn edits(&self) -> Result<Edits> {
        Ok(self.conn.query_row("SELECT COUNT(*), MAX(at) FROM audit_log", [], |r| {
            Ok(Edits { count: r.get(0)?, last: r.get(1)? })
        })?)
    }

    /// The latest `limit` imports, newest first.
    pub fn imports(&self, limit: usize) -> Result<Vec<Import>> {
        let mut stmt =
            self.conn.prepare("SELECT dataset, version, imported_at, path, rows FROM import_log ORDER BY id")?;
        let files = stmt.query_map([], |r| {
            let dataset: String = r.get(0)?;
            let dataset: Dataset = dataset.parse().map_err(|e: String| {
                rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
            })?;
            Ok((dataset, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, i64>(4)?))
        })?;
        // An import writes its files one after another in one transaction: a row starts a
        // new import when the dataset or time changes, or when its file was already taken
        // (the same import run twice within a second).
        let mut imports: Vec<(Import, Vec<String>)> = Vec::new();
        for file in files {
            let (dataset, version, imported_at, path, rows) = file?;
            match imports.last_mut() {
                Some((last, paths))
                    if last.dataset == dataset && last.imported_at == imported_at && !paths.contains(&path) =>
                {
                    last.files += 1;
                    last.rows += rows;
                    paths.push(path);
                }
                _ => imports.push((Import { dataset, version, imported_at, files: 1, rows }, vec![path])),
            }
        }
        Ok(imports.into_iter().rev().take(limit).map(|(i, _)| i).collect())
    }
}

#[cfg(test)]
mod tests {
    use pactbase_model::research::{Dataset, DatasetFile};

    use crate::Store;

    fn file(path: &str) -> DatasetFile {
        DatasetFile {
            dataset: Dataset::Rivalries,
            version: "2022".into(),
            path: path.into(),
            sha256: "0".repeat(64),
            rows: 0,
            imported_at: None,
        }
    }

    #[test]
    fn every_import_is_logged_even_when_a_later_one_replaces_it() {
        let mut store = Store::in_memory().unwrap();
        assert!(store.imports(10).unwrap().is_empty());
        store.replace_rivalries(&[], &file("a.csv")).unwrap();
        store.replace_rivalries(&[], &file("a.csv")).unwrap();
        let imports = store.imports(10).unwrap();
        assert_eq!(imports.len(), 2, "{imports:?}");
        assert_eq!((imports[0].dataset, imports[0].files), (Dataset::Rivalries, 1));
        assert_eq!(store.datasets().unwrap().len(), 1, "the provenance keeps only the latest");
        assert_eq!(store.imports(1).unwrap().len(), 1);
        assert_eq!(store.edits().unwrap().count, 0);
    }
}
