//! The foot of every data page: what the data were as of (the registry's edits and each
//! imported dataset with its version, from the store's provenance) and how to cite the
//! page (title, pactbase's version, the data versions, the date, its address).

use maud::{html, Markup};
use pactbase_service::provenance::{imported, Imported};
use pactbase_store::{Edits, Store};

use crate::error::ApiError;

use super::context::RequestInfo;

/// What the data a page shows were made of, at one store revision.
pub(crate) struct Stamp {
    pub edits: Edits,
    pub datasets: Vec<Imported>,
}

impl Stamp {
    pub fn of(store: &Store) -> Result<Stamp, ApiError> {
        Ok(Stamp { edits: store.edits()?, datasets: imported(store)? })
    }

    /// The latest change: an edit or an import (its date).
    fn as_of(&self) -> Option<&str> {
        let imports = self.datasets.iter().map(|d| d.imported_at.as_str());
        imports.chain(self.edits.last.as_deref()).max().map(|t| &t[..t.len().min(10)])
    }

    fn registry(&self) -> String {
        let version = env!("CARGO_PKG_VERSION");
        match (&self.edits.last, self.edits.count) {
            (Some(last), n) => format!(
                "the registry of pactbase {version} with {n} edit{} (the latest {})",
                if n == 1 { "" } else { "s" },
                &last[..last.len().min(10)]
            ),
            (None, _) => format!("the registry of pactbase {version}"),
        }
    }

    fn data_versions(&self) -> Vec<String> {
        let mut out = vec![self.registry()];
        out.extend(self.datasets.iter().map(|d| format!("{} {}", d.title, d.version)));
        out
    }
}

/// Today (UTC) as YYYY-MM-DD, from the system clock (days since 1970 to a civil date,
/// after Howard Hinnant's algorithm).
pub(crate) fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The stamp and citation block at the end of a page.
pub(super) fn foot(title: &str, stamp: &Stamp, request: &RequestInfo) -> Markup {
    let today = today();
    let permalink = request.permalink();
    let versions = stamp.data_versions();
    let citation = format!(
        "“{title}”. pactbase {}. Data: {}. {permalink} (accessed {today}).",
        env!("CARGO_PKG_VERSION"),
        versions.join("; ")
    );
    let key: String = title.chars().filter(char::is_ascii_alphanumeric).take(24).collect();
    let bibtex = format!(
        "@misc{{pactbase-{key},\n  title = {{{title}}},\n  howpublished = {{pactbase {}}},\n  note = {{Data: {}}},\n  url = {{{permalink}}},\n  urldate = {{{today}}}\n}}",
        env!("CARGO_PKG_VERSION"),
        versions.join("; ")
    );
    html! {
        section.about aria-label="Data and citation" {
            p.stamp {
                "Data as of " @if let Some(date) = stamp.as_of() { strong { (date) } } @else { "this build" } ": "
                (versions.join("; ")) ". "
                a href="/data" { "About the research datasets" }
            }
            details.cite {
                summary { "Cite this page" }
                p { (citation) }
                pre { (bibtex) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_date_after_this_code_was_written() {
        let t = today();
        assert_eq!(t.len(), 10);
        assert!(t.as_str() > "2024-01-01" && &t[4..5] == "-", "{t}");
    }

    #[test]
    fn the_stamp_dates_the_latest_change_and_names_each_version() {
        let stamp = Stamp {
            edits: Edits { count: 2, last: Some("2025-03-01T10:00:00Z".into()) },
            datasets: vec![Imported {
                dataset: pactbase_model::research::Dataset::Atop,
                title: "ATOP".into(),
                version: "5.1".into(),
                imported_at: "2025-04-02 08:00:00".into(),
                as_catalogued: true,
            }],
        };
        assert_eq!(stamp.as_of(), Some("2025-04-02"));
        let request =
            RequestInfo { path: "/countries/PAK".into(), host: Some("example.org".into()), ..Default::default() };
        let text = foot("Pakistan", &stamp, &request).into_string();
        assert!(text.contains("with 2 edits (the latest 2025-03-01); ATOP 5.1"), "{text}");
        assert!(text.contains("http://example.org/countries/PAK (accessed "), "{text}");
    }
}
