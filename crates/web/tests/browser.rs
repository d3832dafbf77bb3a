//! The pages in headless Chromium, driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`; `.ci/run` installs them): Pakistan's country page, the network
//! explorer's year slider moved from the keyboard, a search for "ANZUS", and an edit by an
//! editor that then shows in the audit log; then every kind of page through axe-core's
//! accessibility rules (`tools/a11y`, installed by `npm ci`).
//!
//! Without chromedriver (or axe-core, for the audit) a test is skipped with a message,
//! except under `CI=true`, where it fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pactbase_ingest::curated::{self, DataFiles};
use pactbase_store::{Role, Store};
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// A skip with `message`, or a failure under `CI=true`.
fn missing<T>(message: &str) -> Option<T> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("skipping: {message}");
    None
}

/// chromedriver and the browser, or a skip (a failure in CI).
fn tools() -> Option<(PathBuf, PathBuf)> {
    let driver = find(&["chromedriver"]);
    let browser = find(&["chromium", "chromium-browser", "google-chrome"]);
    match (driver, browser) {
        (Some(d), Some(b)) => Some((d, b)),
        _ => {
            missing("chromedriver or chromium is missing: `apt-get install -y chromium chromium-driver` (see .ci/run)")
        }
    }
}

/// A database holding the built-in registry and an editor, served on a free port.
fn serve_registry(dir: &Path) -> (String, String) {
    let db = dir.join("pactbase.db");
    let data = curated::load(&DataFiles::embedded()).unwrap();
    let mut store = Store::open(&db).unwrap();
    store.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition).unwrap();
    let (token, digest) = pactbase_web::issue_token();
    store.add_user("erin", Role::Editor, &digest).unwrap();
    drop(store);
    let addr = pactbase_web::spawn(&db, "127.0.0.1:0").unwrap();
    (format!("http://{addr}"), token)
}

struct Driver {
    child: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Driver {
    fn start(driver: &Path, browser: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser.display().to_string(),
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--window-size=1200,900",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let reply: Value = match ureq::post(&format!("{base}/session")).send_json(caps) {
            Ok(r) => r.into_json().unwrap(),
            Err(ureq::Error::Status(code, r)) => panic!("new session: {code} {}", r.into_string().unwrap_or_default()),
            Err(e) => panic!("new session: {e}"),
        };
        let session = reply["value"]["sessionId"].as_str().expect("session id").to_owned();
        Driver { child, base, session, _profile: profile }
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let reply = match method {
            "GET" => ureq::get(&url).call(),
            _ => ureq::post(&url).send_json(body),
        };
        match reply {
            Ok(r) => r.into_json::<Value>().unwrap()["value"].take(),
            Err(ureq::Error::Status(code, r)) => {
                panic!("{method} {path}: {code} {}", r.into_string().unwrap_or_default())
            }
            Err(e) => panic!("{method} {path}: {e}"),
        }
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd("POST", "/element", json!({"using": "css selector", "value": css}));
        v[ELEMENT].as_str().unwrap().to_owned()
    }

    /// The rendered text of the first match (looked up afresh, so a node the page script
    /// has just replaced is never stale).
    fn text(&self, css: &str) -> String {
        let script = "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;";
        let v = self.cmd("POST", "/execute/sync", json!({"script": script, "args": [css]}));
        v.as_str().unwrap_or_else(|| panic!("no element matches {css}")).to_owned()
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/value"), json!({ "text": text }));
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/click"), json!({}));
    }

    fn script(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", json!({"script": script, "args": []}))
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", Value::Null).as_str().unwrap().to_owned()
    }

    /// Waits up to 15 s for `check` to hold.
    fn wait(&self, what: &str, check: impl Fn() -> bool) {
        let started = Instant::now();
        while !check() {
            assert!(started.elapsed() < Duration::from_secs(15), "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn pages_in_headless_chromium() {
    let Some((driver_bin, browser_bin)) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (site, token) = serve_registry(dir.path());
    let d = Driver::start(&driver_bin, &browser_bin);

    // Pakistan's country page.
    d.goto(&format!("{site}/countries/PAK"));
    assert_eq!(d.text("h1"), "Pakistan (PAK)");
    let title = d.cmd("GET", "/title", Value::Null);
    assert!(title.as_str().unwrap().starts_with("Pakistan"), "{title}");
    for section in ["#timeline", "#partners", "#position", "#exercises", "#impact", "#recommendations", "#challenges"] {
        d.find(section);
    }
    assert!(d.text("#partners + p + table").contains("United States"));

    // The network explorer: move the slider from the keyboard; the script redraws in place.
    d.goto(&format!("{site}/network?year=1960"));
    d.wait("the script to enhance the form", || {
        d.script("return document.getElementById('network-form').dataset.enhanced === 'true';") == json!(true)
    });
    assert!(d.text("#network-summary").starts_with("1960:"));
    d.type_into("#year", "\u{E012}"); // ArrowLeft
    d.wait("the 1959 network", || d.text("#network-summary").starts_with("1959:"));
    assert_eq!(d.text("#year-out"), "1959");
    d.wait("the address to follow", || d.url().contains("year=1959"));
    d.find("svg.network title");
    // The kind filter: Five Eyes alone, redrawn in place.
    let kind = d.find("#kind");
    d.cmd("POST", &format!("/element/{kind}/value"), json!({ "text": "intelligence" }));
    d.wait("the intelligence-sharing network", || {
        d.text("#network-summary").contains("intelligence-sharing agreements only")
    });
    d.wait("the address to follow", || d.url().contains("kind=intelligence-sharing"));

    // Search for ANZUS from the home page.
    d.goto(&format!("{site}/"));
    d.type_into("#q", "ANZUS");
    d.click("form.search button");
    d.wait("the results", || d.url().contains("/search?q=ANZUS"));
    let results = d.text("ol.results");
    assert!(results.contains("Security Treaty between Australia, New Zealand and the United States"), "{results}");
    d.click("ol.results a[href='/agreements/anzus']");
    d.wait("the agreement page", || d.url().ends_with("/agreements/anzus"));

    // Edit ANZUS as an editor, then find the change in the audit log.
    d.goto(&format!("{site}/agreements/anzus/edit"));
    d.type_into("#token", &token);
    d.script(
        "const t = document.getElementById('document'); const doc = JSON.parse(t.value); \
         doc.summary = 'Edited in the browser test.'; t.value = JSON.stringify(doc, null, 2);",
    );
    d.click("form.edit button");
    d.wait("the saved agreement", || d.url().ends_with("/agreements/anzus"));
    assert!(d.text("main").contains("Edited in the browser test."));
    d.goto(&format!("{site}/audit"));
    let audit = d.text("table.audit tbody tr");
    assert!(audit.contains("erin") && audit.contains("anzus") && audit.contains("summary"), "{audit}");
}

/// Every kind of page, with its folded forms opened, breaks none of axe-core's rules
/// (WCAG 2.1 A and AA and best practices: names, labels, contrast, landmarks, nesting).
#[test]
fn pages_pass_an_accessibility_audit() {
    let Some((driver_bin, browser_bin)) = tools() else { return };
    let axe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/a11y/node_modules/axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe) else {
        missing::<()>(&format!("{} is missing: `npm ci --prefix tools/a11y` (see .ci/run)", axe.display()));
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = serve_registry(dir.path());
    let d = Driver::start(&driver_bin, &browser_bin);
    let pages = [
        "/",
        "/search?q=anzus",
        "/agreements",
        "/agreements/seato",
        "/agreements/new",
        "/agreements/anzus/edit",
        "/countries/PAK",
        "/network?year=1990",
        "/case-studies",
        "/case-studies/five-eyes",
        "/compare?a=PAK&b=IND",
        "/trends",
        "/audit",
    ];
    let mut problems = Vec::new();
    for page in pages {
        d.goto(&format!("{site}{page}"));
        d.script(&axe);
        d.script("document.querySelectorAll('details').forEach(d => d.open = true);");
        let run = "const done = arguments[arguments.length - 1]; \
                   axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => \
                   `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')})`)));";
        let violations = d.cmd("POST", "/execute/async", json!({"script": run, "args": []}));
        for v in violations.as_array().expect("axe's violations") {
            problems.push(format!("{page}: {}", v.as_str().unwrap()));
        }
    }
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
}
