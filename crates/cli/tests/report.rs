//! `pactbase report PAK` end to end on the real datasets: every section is in the file,
//! the file asks for nothing over the network, and headless Chromium renders it without
//! console errors. The screenshot goes to `target/report-pakistan.png` for review.
//!
//! Chromium is Debian's (`/usr/bin/chromium`, installed by `.ci/run`); without it the
//! browser part skips with a message, except under `CI=true`, where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::run;

/// The report's section ids, in order (the `pactbase-report` crate's `SECTIONS`).
const SECTIONS: [&str; 11] = [
    "overview",
    "timeline",
    "partners",
    "network",
    "exercises",
    "capabilities",
    "arms",
    "impact",
    "challenges",
    "recommendations",
    "sources",
];

const CHROMIUM: &str = "/usr/bin/chromium";

fn ok(out: Output, what: &str) -> Output {
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A database with every research dataset imported, or `None` (skip) without the data.
fn imported_db(dir: &Path) -> Option<PathBuf> {
    let db = dir.join("pactbase.db");
    common::import_all(&db)?;
    Some(db)
}

/// Every value of `attr="..."` in `html`.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle).filter_map(|(i, m)| html[i + m.len()..].split('"').next()).collect()
}

/// The markup of the report's section `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

/// The headless browser with a fresh profile, or `None` (skip) when it is not installed.
fn chromium(profile: &Path) -> Option<Command> {
    if !Path::new(CHROMIUM).exists() {
        let message = format!("{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`)");
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{message}");
        }
        eprintln!("skipping the browser checks: {message}");
        return None;
    }
    let mut c = Command::new(CHROMIUM);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    Some(c)
}

#[test]
fn pakistan_report_is_complete_self_contained_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    let Some(db) = imported_db(dir.path()) else { return };
    let file = dir.path().join("report.html");
    ok(run(&db, &["report", "PAK", "--output", &file.display().to_string()]), "report PAK");
    let html = std::fs::read_to_string(&file).unwrap();

    // Every section, with its heading, and no section saying its data are missing.
    for id in SECTIONS {
        assert!(html.contains(&format!("<section id=\"{id}\"")), "section {id} is missing");
        assert!(html.contains(&format!("<h2 id=\"{id}-title\"")), "section {id} has no heading");
    }
    assert!(!html.contains("Not available"), "every dataset is imported, yet a section says it is not");
    // What the brief asks of Pakistan's report, from the real data.
    for expected in ["SEATO", "Baghdad Pact", "Entry into SEATO (1954)", "Entry into Baghdad Pact (1955)", "SHA-256"] {
        assert!(html.contains(expected), "the report does not mention {expected}");
    }
    assert!(html.contains("Callaway &amp; Sant'Anna"), "the impact section names its estimator");
    // What its partnerships delivered: China supplies most of its arms since 2000, under
    // the agreements the table names; the United States in 1955–1964.
    let arms = section(&html, "arms");
    assert!(arms.contains("Arms imports of Pakistan by supplier, 1950–2021"), "the stacked chart");
    let row = |period: &str| arms.split("<tr>").find(|r| r.contains(&format!(">{period}<"))).unwrap_or_default();
    assert!(row("2015–2019").contains("<strong>China</strong>"), "{}", row("2015–2019"));
    assert!(row("1955–1959").contains("<strong>United States</strong>"), "{}", row("1955–1959"));
    assert!(arms.contains("Did arms follow the agreements?"));

    // No network requests: no src anywhere points outside the file, and the only
    // external hrefs are the citation links (<a href>) of the sources section.
    assert!(
        !html.contains("<script") && !html.contains("<link") && !html.contains("<img") && !html.contains("@import")
    );
    assert!(!html.contains("url("), "no CSS url(): fonts and images would be requests");
    let loads = attribute_values(&html, "src");
    assert!(loads.is_empty(), "the report loads {loads:?}");
    let sources_at = html.find("<section id=\"sources\"").unwrap();
    let sources_end = sources_at + html[sources_at..].find("</section>").unwrap();
    for (i, _) in html.match_indices("href=\"http") {
        assert!((sources_at..sources_end).contains(&i), "an external link outside the sources section at byte {i}");
        let tag_start = html[..i].rfind('<').unwrap();
        assert!(html[tag_start..].starts_with("<a "), "an external href on a tag other than <a>");
    }
    assert!(html[sources_at..sources_end].contains("<a href=\"https://"), "citation links are kept");

    // The browser: the sections render, no console errors, and a screenshot for review.
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", file.display());
    let Some(mut dump) = chromium(profile.path()) else { return };
    let dom = ok(dump.args(["--dump-dom", &url]).output().unwrap(), "chromium --dump-dom");
    let dom = String::from_utf8_lossy(&dom.stdout);
    for id in SECTIONS {
        assert!(dom.contains(&format!("<section id=\"{id}\"")), "section {id} did not render");
    }
    assert!(dom.matches("<svg").count() >= 8, "the charts rendered inline");

    let profile = tempfile::tempdir().unwrap();
    let mut log = chromium(profile.path()).unwrap();
    let logged = log.args(["--enable-logging=stderr", "--v=0", "--dump-dom", &url]).output().unwrap();
    let stderr = String::from_utf8_lossy(&logged.stderr);
    // Chromium logs console.error as `INFO:CONSOLE`, so the level says nothing: the report
    // runs no script, and any console line (a failed load, an exception) is an error.
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("CONSOLE") || l.contains("Uncaught")).collect();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));

    let profile = tempfile::tempdir().unwrap();
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&target).unwrap();
    let png = target.join("report-pakistan.png");
    let _ = std::fs::remove_file(&png);
    let mut shot = chromium(profile.path()).unwrap();
    ok(
        shot.arg(format!("--screenshot={}", png.display())).args(["--window-size=1280,4000", &url]).output().unwrap(),
        "chromium --screenshot",
    );
    let bytes = std::fs::read(&png).expect("the screenshot was written");
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 50_000, "a real screenshot, not a blank page");
    eprintln!("screenshot of the report: {}", png.display());
}

#[test]
fn a_report_without_research_data_says_what_to_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pactbase.db");
    let file = dir.path().join("report.html");
    ok(run(&db, &["report", "Pakistan", "--output", &file.display().to_string()]), "report Pakistan");
    let html = std::fs::read_to_string(&file).unwrap();
    for id in SECTIONS {
        assert!(html.contains(&format!("<section id=\"{id}\"")), "section {id} is missing");
    }
    for command in [
        "pactbase data fetch atop",
        "pactbase data fetch nmc",
        "pactbase data fetch mme",
        "pactbase data fetch sipri-arms",
    ] {
        assert!(html.contains(&format!("<code>{command}</code>")), "the report does not name `{command}`");
    }
    assert!(html.contains("Southeast Asia Collective Defense Treaty"), "the registry's own data are there");

    let out = run(&db, &["report", "Pakistn"]);
    assert_eq!(out.status.code(), Some(3), "an unknown state is exit 3");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Pakistan"), "with a suggestion");
}
