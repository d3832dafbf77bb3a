//! The pages in headless Chromium, driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`; `.ci/run` installs them), in one browser session against one
//! server on the registry and, where `../shared/data` has them, the research datasets:
//! the lists, the glossary, charts, the network explorer and the case studies at desktop
//! (1280 px) and phone (390 px) widths; Pakistan's country page, the network explorer's
//! year slider moved from the keyboard, a search for "ANZUS", editors signing in (the
//! session cookie's attributes, forms shown only to them, an edit through a form, CSRF
//! refusals, signing out) and an edit by an editor that then shows in the audit log; then
//! every kind of page, signed in and out, through axe-core's accessibility
//! rules (`tools/a11y`, installed by `npm ci`). Screenshots of the main pages at both
//! widths are written to `target/screenshots/` for review.
//!
//! Without chromedriver (or axe-core, for the audit) the test is skipped with a message,
//! except under `CI=true`, where it fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_model::research::Dataset;
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

/// The research datasets the pages draw on, where `../shared/data` has them.
const RESEARCH: [(Dataset, &str); 7] = [
    (Dataset::CowStates, "cow/states2016.csv"),
    (Dataset::Atop, "atop-5.1"),
    (Dataset::Nmc, "cow/nmc-7.0-abridged.csv"),
    (Dataset::Mme, "mme-7/mme_v7.csv"),
    (Dataset::SipriMilex, "sipri/sipri-milex-constant-2017usd.csv"),
    (Dataset::Rivalries, "rivalries/tss-strategic-rivalries.csv"),
    (Dataset::SipriArms, "sipri/arms-transfers-tiv-1950-2021"),
];

/// A database holding the built-in registry, the research datasets found and an editor,
/// served on a free port. Returns the address, the editor's token and whether every
/// dataset was imported.
fn serve_registry(dir: &Path) -> (String, String, bool) {
    let db = dir.join("pactbase.db");
    let data = curated::load(&DataFiles::embedded()).unwrap();
    let mut store = Store::open(&db).unwrap();
    store.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition).unwrap();
    let index = store.state_index().unwrap();
    let mut research = true;
    for (dataset, rel) in RESEARCH {
        match pactbase_testdata::shared(rel) {
            Some(path) => {
                pactbase_service::import::import(Some(&mut store), &index, dataset, &path, &|_| {}).unwrap();
            }
            None => research = false,
        }
    }
    let (token, digest) = pactbase_web::issue_token();
    store.add_user("erin", Role::Editor, &digest).unwrap();
    drop(store);
    let addr = pactbase_web::spawn(&db, "127.0.0.1:0").unwrap();
    (format!("http://{addr}"), token, research)
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

    /// Fetches the address of the first link matching `css` from the page: status,
    /// content type and body.
    fn follow(&self, css: &str) -> (u64, String, String) {
        let script = "const done = arguments[arguments.length - 1]; \
                      fetch(document.querySelector(arguments[0]).href) \
                        .then(async r => done([r.status, r.headers.get('content-type') || '', await r.text()]));";
        let v = self.cmd("POST", "/execute/async", json!({"script": script, "args": [css]}));
        (v[0].as_u64().unwrap(), v[1].as_str().unwrap().to_owned(), v[2].as_str().unwrap().to_owned())
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

    /// Resizes the window; the page's width becomes `width` CSS pixels.
    fn width(&self, width: u32) {
        self.cmd("POST", "/window/rect", json!({"width": width, "height": 900}));
        self.wait("the new width", || self.script("return window.innerWidth;") == json!(width));
    }

    /// The page's value of `expression` (a JavaScript expression).
    fn eval(&self, expression: &str) -> Value {
        self.script(&format!("return {expression};"))
    }

    /// The whole page (up to 5,000 px tall) as PNG in `target/screenshots/NAME-WIDTH.png`,
    /// for review: the window is made as tall as the page for the shot.
    fn screenshot(&self, name: &str) {
        let width = self.eval("window.innerWidth").as_u64().unwrap();
        let height = self.eval("document.documentElement.scrollHeight").as_u64().unwrap().min(5000);
        self.cmd("POST", "/window/rect", json!({"width": width, "height": height}));
        let png = self.cmd("GET", "/screenshot", Value::Null);
        self.width(width as u32);
        let bytes = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}-{width}.png")), bytes).unwrap();
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

/// One browser session and one server for every check (starting Chromium is the slow part).
#[test]
fn the_web_app_in_headless_chromium() {
    let Some((driver_bin, browser_bin)) = tools() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (site, token, research) = serve_registry(dir.path());
    let d = Driver::start(&driver_bin, &browser_bin);
    for width in [1280, 390] {
        d.width(width);
        lists(&d, &site, width);
        terms(&d, &site);
        charts(&d, &site, width, research);
        network(&d, &site, width);
        case_studies(&d, &site, width, research);
        citations(&d, &site, research);
        editors(&d, &site, &token, width);
    }
    d.width(1200);
    registry_flows(&d, &site, &token);
    // Signed in: every page with its forms and the header's sign-out button.
    accessibility(&d, &site, &PAGES, &PHONE_PAGES);
    d.click("header.site .account button");
    d.wait("signed out", || d.text("header.site").contains("Sign in"));
    // Signed out: the pages that then show readers a sign-in link instead of forms.
    let reader = ["/sign-in", "/agreements/anzus", "/agreements/new", "/audit"];
    accessibility(&d, &site, &reader, &reader);
}

/// Item 2: the lists browse — countries with their agreements in force, agreements fifty
/// to a page with named ATOP alliances, filters and a status column; on a phone the
/// parties stay readable.
fn lists(d: &Driver, site: &str, width: u32) {
    d.goto(&format!("{site}/countries"));
    let states = d.eval("document.querySelectorAll('#table-countries tbody tr').length").as_u64().unwrap();
    assert!(states > 200, "every state since 1816: {states}");
    let pakistan = d.text("#table-countries tbody tr:has(a[href='/countries/PAK'])");
    assert!(pakistan.contains("770") && pakistan.contains("Asia and Oceania"), "{pakistan}");
    d.screenshot("countries");

    d.goto(&format!("{site}/agreements"));
    assert_eq!(d.eval("document.querySelectorAll('#table-agreements tbody tr').length"), json!(50));
    assert!(d.text("[role=status]").contains("page 1 of"));
    let first = d.text("#table-agreements tbody tr td");
    assert!(!first.starts_with("ATOP"), "the registry's agreements come first: {first}");
    d.screenshot("agreements");
    d.click("nav.pager a[rel=next]");
    d.wait("page 2", || d.url().contains("page=2"));
    d.goto(&format!("{site}/agreements?origin=atop&status=terminated&region=europe&sort=newest"));
    let names =
        d.eval("[...document.querySelectorAll('#table-agreements tbody tr td:first-child')].map(t => t.innerText)");
    for name in names.as_array().unwrap() {
        let name = name.as_str().unwrap();
        assert!(name.starts_with("ATOP ") && name.contains(": ") && !name.contains("alliance"), "{name}");
    }
    let statuses =
        d.eval("[...document.querySelectorAll('#table-agreements td[data-label=Status]')].map(t => t.innerText)");
    assert!(statuses.as_array().unwrap().iter().all(|s| s.as_str().unwrap().contains("terminated")), "{statuses}");
    // Parties: a line of their own on a phone, a column on a desktop, never squeezed.
    d.goto(&format!("{site}/agreements?text=north%20atlantic"));
    let parties = "document.querySelector('#table-agreements td[data-label=Parties]')";
    let box_width = d.eval(&format!("{parties}.getBoundingClientRect().width")).as_f64().unwrap();
    if width < 600 {
        assert_eq!(d.eval(&format!("getComputedStyle({parties}).display")), json!("block"));
        assert!(box_width > 300.0, "the parties cell spans the phone's width: {box_width}");
    } else {
        assert!(box_width > 120.0, "{box_width}");
    }
    assert!(d.text("#table-agreements td[data-label=Parties]").contains("United States"));
}

/// Item 3: terms link to the glossary at their first use; pages name no repository file.
fn terms(d: &Driver, site: &str) {
    d.goto(&format!("{site}/agreements"));
    assert_eq!(
        d.eval("document.querySelectorAll('main a.term[href=\"/glossary#registry\"]').length"),
        json!(1),
        "the first use only"
    );
    d.click("main a.term[href='/glossary#registry']");
    d.wait("the glossary", || d.url().ends_with("/glossary#registry"));
    for slug in ["ccode", "defense", "valued-tie", "eigenvector", "s-score", "att", "auc", "sovereignty-cost"] {
        d.find(&format!("dt#{slug}"));
    }
    d.goto(&format!("{site}/methods"));
    d.find("h2#impact");
    for page in [
        "/agreements",
        "/countries",
        "/network",
        "/case-studies/nato",
        "/trends",
        "/compare",
        "/glossary",
        "/methods",
        "/agreements/seato",
        "/countries/PAK",
        "/data",
    ] {
        d.goto(&format!("{site}{page}"));
        let text = d.eval("document.querySelector('main').innerText + [...document.querySelectorAll('main a')].map(a => a.href).join(' ')");
        let text = text.as_str().unwrap();
        for pattern in ["docs/", ".md", "crates/"] {
            assert!(!text.contains(pattern), "{page} points at a repository file ({pattern})");
        }
    }
}

/// Item 4: charts laid out for the width (text at least 11 px), values on focus,
/// downloads and a table view.
fn charts(d: &Driver, site: &str, width: u32, research: bool) {
    d.goto(&format!("{site}/trends"));
    let shown = if width < 600 { ".narrow" } else { ".wide" };
    let svg = format!("document.querySelector('#figure-kinds {shown} svg')");
    let scale = d.eval(&format!("{svg}.getBoundingClientRect().width / {svg}.viewBox.baseVal.width")).as_f64().unwrap();
    assert!(12.0 * scale >= 11.0, "chart text drawn at {:.1} px at {width} px", 12.0 * scale);
    let hidden = if width < 600 { ".wide" } else { ".narrow" };
    assert_eq!(
        d.eval(&format!("getComputedStyle(document.querySelector('#figure-kinds {hidden}')).display")),
        json!("none")
    );
    // A value on keyboard focus.
    d.script(&format!("{svg}.querySelector('.hit:nth-of-type(20)').focus();"));
    let tip = format!("{svg}.querySelector('.hit:focus .tip')");
    assert_eq!(d.eval(&format!("getComputedStyle({tip}).visibility")), json!("visible"));
    assert!(d.eval(&format!("{tip}.textContent")).as_str().unwrap().contains("mutual-defense-pact"));
    // Downloads and the table.
    let (status, kind, body) = d.follow("#figure-kinds .downloads a[download$=\".svg\"]");
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml"));
    assert!(body.starts_with("<svg") && !body.contains("tabindex"), "the file is the static chart");
    let (status, _, csv) = d.follow("#figure-kinds .downloads a[download$=\".csv\"]");
    assert_eq!(status, 200);
    assert!(csv.starts_with("Year,mutual-defense-pact,"), "{csv}");
    assert_eq!(
        d.eval("getComputedStyle(document.querySelector('#figure-kinds .png')).display"),
        json!("inline"),
        "the script offers PNG"
    );
    // The PNG is drawn from the SVG: catch the download link the script clicks.
    d.script("window.png = null; HTMLAnchorElement.prototype.click = function () { window.png = this.href; };");
    d.click("#figure-kinds .png button");
    d.wait("the PNG", || {
        d.eval("window.png && window.png.startsWith('data:image/png;base64,') && window.png.length > 10000")
            == json!(true)
    });
    d.script("document.querySelector('#figure-kinds details').open = true;");
    assert!(d.text("#figure-kinds details table").contains("1990"));
    d.screenshot("trends");
    // Timelines too: labels above the bars on a phone.
    d.goto(&format!("{site}/agreements/nato"));
    let svg = format!("document.querySelector('figure.timeline {shown} svg')");
    let scale = d.eval(&format!("{svg}.getBoundingClientRect().width / {svg}.viewBox.baseVal.width")).as_f64().unwrap();
    let size = if width < 600 { 12.0 } else { 11.0 };
    assert!(size * scale >= 10.0 && (width > 600 || size * scale >= 11.0), "timeline text at {:.1} px", size * scale);
    // Timelines and networks download too: a standalone SVG, their data as CSV, PNG.
    let (status, kind, svg) = d.follow("#figure-timeline .downloads a[download$=\".svg\"]");
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml"));
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.contains("United States"),
        "{svg:.200}"
    );
    let (_, _, csv) = d.follow("#figure-timeline .downloads a[download$=\".csv\"]");
    assert!(csv.starts_with("Bar,From,To,Kind\n") && csv.contains("\nFrance,1949,"), "{csv:.300}");
    d.find("#figure-timeline details.chart-table table");
    d.find("#figure-timeline .png:not([hidden]) button");
    d.goto(&format!("{site}/network?year=1990"));
    for drawing in ["#figure-network", "#figure-ego"] {
        let (status, _, svg) = d.follow(&format!("{drawing} .downloads a[download$=\".svg\"]"));
        assert!(status == 200 && svg.starts_with("<svg xmlns="), "{drawing}: {status} {svg:.100}");
        d.find(&format!("{drawing} .png:not([hidden]) button"));
    }
    if research {
        // The impact estimates' 95% interval is a band.
        d.goto(&format!("{site}/countries/PAK"));
        assert!(d.eval("document.querySelectorAll('path[fill-opacity=\"0.2\"]').length").as_u64().unwrap() > 0);
        // The country page's charts download and show as tables like every other chart.
        let (status, _, csv) = d.follow("#figure-arms .downloads a[download$=\".csv\"]");
        assert!(status == 200 && csv.starts_with("Year,") && csv.contains("\n1990,"), "{status} {csv:.200}");
        let (status, kind, svg) = d.follow("[id^=figure-impact-] .downloads a[download$=\".svg\"]");
        assert_eq!((status, kind.as_str()), (200, "image/svg+xml"));
        assert!(svg.starts_with("<svg") && svg.contains("95% CI"), "{svg:.200}");
        let (_, _, csv) = d.follow("[id^=figure-impact-] .downloads a[download$=\".csv\"]");
        assert!(csv.starts_with("Relative year,estimate,"), "{csv:.200}");
        d.find("[id^=figure-impact-] details.chart-table table");
        d.find("#figure-arms .png button");
    }
}

/// Item 5: the explorer focuses on Pakistan, draws its ego network with labels that do
/// not overlap, a bloc legend, years to 2025, and answers a year outside the data.
fn network(d: &Driver, site: &str, width: u32) {
    d.goto(&format!("{site}/network"));
    assert!(d.text("#network-summary").starts_with("2025:"), "the registry's current year by default");
    assert_eq!(d.text("h2#focus"), "Focus: Pakistan");
    assert!(d.eval("document.querySelectorAll('ul.legend li').length").as_u64().unwrap() >= 2);
    // Labels are turned: compare their rotated boxes (separating axes), not their
    // screen-aligned bounding rectangles.
    let overlaps = |svg: &str| {
        format!("(() => {{ \
        const boxes = [...document.querySelectorAll('{svg} a text')].map(t => {{ const b = t.getBBox(); \
          const m = t.transform.baseVal.consolidate().matrix; \
          return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]] \
            .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]); }}); \
        const axes = p => [0, 1].map(i => {{ const dx = p[i + 1][0] - p[i][0], dy = p[i + 1][1] - p[i][1], l = Math.hypot(dx, dy); return [-dy / l, dx / l]; }}); \
        const apart = (p, q) => [...axes(p), ...axes(q)].some(a => {{ const P = p.map(v => v[0] * a[0] + v[1] * a[1]), Q = q.map(v => v[0] * a[0] + v[1] * a[1]); \
          return Math.max(...P) <= Math.min(...Q) + 1 || Math.max(...Q) <= Math.min(...P) + 1; }}); \
        let n = 0; for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (!apart(boxes[i], boxes[j])) n++; \
        return [boxes.length, n]; }})()")
    };
    for svg in ["svg.ego", "svg.network"] {
        let counted = d.eval(&overlaps(svg));
        let (labels, overlapping) = (counted[0].as_u64().unwrap(), counted[1].as_u64().unwrap());
        assert!(labels > 5 && overlapping == 0, "{overlapping} pairs of {labels} labels overlap in {svg}");
    }
    d.screenshot("network");
    d.goto(&format!("{site}/network?year=1700&focus=IND"));
    assert!(d.text("[role=alert]").contains("1816, the nearest year"), "{}", d.text("[role=alert]"));
    assert!(d.text("#network-summary").starts_with("1816:"));
    assert_eq!(d.text("h2#focus"), "Focus: India");
    if width > 600 {
        // The focus follows the form without a reload.
        d.goto(&format!("{site}/network?year=1990"));
        d.wait("the script", || d.eval("document.getElementById('network-form').dataset.enhanced") == json!("true"));
        let focus = d.find("#focus-state");
        d.cmd("POST", &format!("/element/{focus}/clear"), json!({}));
        d.type_into("#focus-state", "China\u{E007}");
        d.wait("China in focus", || d.text("h2#focus") == "Focus: China");
        d.wait("the address", || d.url().contains("focus=China"));
    }
}

/// Item 6: each case tells its story from the data and compares with Pakistan.
fn case_studies(d: &Driver, site: &str, width: u32, research: bool) {
    d.goto(&format!("{site}/case-studies/anzus"));
    assert!(d.text("h1").starts_with("ANZUS"));
    let events = d.text("#figure-members ol.events");
    assert!(events.contains("1986: United States suspends its obligations toward New Zealand"), "{events}");
    let compare = d.text("section[aria-labelledby=meaning] table");
    assert!(compare.contains("Pakistan") && compare.contains("integrated command"), "{compare}");
    if research {
        d.find("#figure-burden");
        d.find("#figure-exercises");
        assert!(d.text("section[aria-labelledby=meaning]").contains("median ANZUS member"));
    }
    d.find("#figure-cohesion");
    d.screenshot("case-anzus");
    d.goto(&format!("{site}/case-studies/five-eyes?state=IND"));
    assert!(d.text("section[aria-labelledby=intelligence]").contains("UKUSA"));
    assert_eq!(d.text("h2#meaning"), "What it means for India");
    if width > 600 {
        d.goto(&format!("{site}/agreements/nato"));
        d.click("p.case-link a");
        d.wait("the NATO case", || d.url().ends_with("/case-studies/nato"));
        assert!(d.text("#figure-members ol.events").contains("France leaves the integrated command"));
    }
}

/// Item 7: every page says what its data were as of and how to cite it; tables offer CSV;
/// the change log lists imports.
fn citations(d: &Driver, site: &str, research: bool) {
    for page in ["/", "/countries/PAK", "/network?year=1990", "/agreements/seato", "/data"] {
        d.goto(&format!("{site}{page}"));
        assert!(d.text("p.stamp").starts_with("Data as of"), "{page}");
        d.script("document.querySelector('details.cite').open = true;");
        let cite = d.text("details.cite p");
        assert!(cite.contains(&format!("{site}{page}")) && cite.contains("pactbase 0.1"), "{page}: {cite}");
    }
    d.goto(&format!("{site}/countries"));
    let (status, kind, csv) = d.follow("caption a.csv");
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(csv.starts_with("State,COW code,") && csv.contains("\nPakistan,770,PAK,"), "{}", &csv[..200]);
    d.goto(&format!("{site}/audit"));
    if research {
        assert!(d.text("#table-imports").contains("Alliance Treaty Obligations and Provisions"));
    }
}

/// Pakistan's country page, the network explorer's year slider moved from the keyboard,
/// a search for "ANZUS", and an edit by an editor that then shows in the audit log.
fn registry_flows(d: &Driver, site: &str, token: &str) {
    // Pakistan's country page.
    d.goto(&format!("{site}/countries/PAK"));
    assert_eq!(d.text("h1"), "Pakistan (PAK)");
    let title = d.cmd("GET", "/title", Value::Null);
    assert!(title.as_str().unwrap().starts_with("Pakistan"), "{title}");
    for section in
        ["#timeline", "#partners", "#position", "#exercises", "#arms", "#impact", "#recommendations", "#challenges"]
    {
        d.find(section);
    }
    assert!(d.text("#partners + p + table").contains("United States"));
    // What its partnerships delivered: China leads its suppliers in 2015–2019, under the JF-17 programme.
    let row = d.eval(
        "[...document.querySelectorAll('#table-arms-periods tbody tr')].map(r => r.textContent).find(t => t.includes('2015–2019')) || ''",
    );
    let row = row.as_str().unwrap();
    assert!(row.contains("China 72%") && row.contains("JF-17"), "{row}");

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

    // Edit ANZUS as an editor, signed in, then find the change in the audit log.
    sign_in(d, site, token, "/agreements/anzus/edit");
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

/// The pages the accessibility audit opens, signed in, at desktop width: every kind of
/// page, the editing forms and the sign-in page included.
const PAGES: [&str; 24] = [
    "/",
    "/search?q=anzus",
    "/agreements",
    "/agreements?page=2&origin=atop",
    "/agreements/seato",
    "/agreements/anzus",
    "/agreements/new",
    "/agreements/anzus/edit",
    "/countries",
    "/countries/PAK",
    "/countries/PAK/report",
    "/network?year=1990",
    "/network",
    "/case-studies",
    "/case-studies/five-eyes",
    "/case-studies/anzus",
    "/case-studies/nato",
    "/compare?a=PAK&b=IND",
    "/trends",
    "/glossary",
    "/methods",
    "/data",
    "/audit",
    "/sign-in",
];

/// And at phone width.
const PHONE_PAGES: [&str; 7] =
    ["/agreements", "/agreements/anzus", "/countries", "/network", "/case-studies/anzus", "/trends", "/glossary"];

/// Each of `pages` at desktop width and `phone` at phone width, with its folded forms
/// opened, breaks none of axe-core's rules (WCAG 2.1 A and AA and best practices: names,
/// labels, contrast, landmarks, nesting).
fn accessibility(d: &Driver, site: &str, pages: &[&str], phone: &[&str]) {
    let axe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/a11y/node_modules/axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe) else {
        missing::<()>(&format!("{} is missing: `npm ci --prefix tools/a11y` (see .ci/run)", axe.display()));
        return;
    };
    let mut problems = Vec::new();
    for (width, list) in [(1280, pages), (390, phone)] {
        d.width(width);
        for page in list {
            d.goto(&format!("{site}{page}"));
            d.script(&axe);
            d.script("document.querySelectorAll('details').forEach(d => d.open = true);");
            let run = "const done = arguments[arguments.length - 1]; \
                       axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => \
                       `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')})`)));";
            let violations = d.cmd("POST", "/execute/async", json!({"script": run, "args": []}));
            for v in violations.as_array().expect("axe's violations") {
                problems.push(format!("{page} at {width}px: {}", v.as_str().unwrap()));
            }
        }
    }
    assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
}

/// Signs in from the sign-in page, coming back to `then`.
fn sign_in(d: &Driver, site: &str, token: &str, then: &str) {
    d.goto(&format!("{site}/sign-in?next={}", then.replace('/', "%2F")));
    d.type_into("#token", token);
    d.click("form.edit button");
    d.wait("the page signed in", || d.url().ends_with(then));
}

/// Item 8: editors sign in with their token; the session cookie holds no token and is
/// HttpOnly, SameSite=Strict, Path=/ (not Secure over plain HTTP); the edit button and
/// forms show only to them; an edit through a form; forms posted without or with a wrong
/// CSRF token are refused and change nothing; signing out.
fn editors(d: &Driver, site: &str, token: &str, width: u32) {
    d.goto(&format!("{site}/agreements/anzus"));
    let forms =
        "document.querySelectorAll('main a[href$=\"/edit\"], main details.addition, main form[method=post]').length";
    assert_eq!(d.eval(forms), json!(0), "readers see no edit button or form");
    d.click("main p.sign-in a");
    d.wait("the sign-in page", || d.url().contains("/sign-in?next=%2Fagreements%2Fanzus"));
    d.screenshot("sign-in");
    d.type_into("#token", token);
    d.click("form.edit button");
    d.wait("back on the agreement", || d.url().ends_with("/agreements/anzus"));
    assert!(d.text("header.site .account").contains("Signed in as erin (editor)"));

    let cookies = d.cmd("GET", "/cookie", Value::Null);
    let cookie =
        cookies.as_array().unwrap().iter().find(|c| c["name"] == "pactbase_session").expect("the session cookie");
    assert_eq!(
        (&cookie["httpOnly"], &cookie["sameSite"], &cookie["path"]),
        (&json!(true), &json!("Strict"), &json!("/"))
    );
    assert_eq!(cookie["secure"], false, "plain HTTP here");
    let value = cookie["value"].as_str().unwrap();
    assert!(value.len() == 64 && !token.contains(value), "a random id, not the token");
    assert_eq!(d.eval("document.cookie"), json!(""), "scripts cannot read it");

    // An edit through the page's form.
    assert!(d.eval(forms).as_u64().unwrap() > 3, "editors see the button and the forms");
    d.script("document.querySelectorAll('details.addition').forEach(d => d.open = true);");
    let key = format!("browser-{width}");
    d.type_into("#sources-key", &key);
    d.type_into("#sources-title", &format!("Source added at {width} px"));
    d.type_into("#sources-publisher", "pactbase browser test");
    d.type_into("#sources-url", "https://example.org/browser-test");
    d.click("form[action='/agreements/anzus/sources'] button");
    d.wait("the sources", || d.url().ends_with("/agreements/anzus#sources"));
    assert!(d.text("main").contains(&format!("Source added at {width} px")));

    // Forms without the CSRF token, or with a wrong one, are refused with a page and
    // change nothing.
    let refused = d.cmd(
        "POST",
        "/execute/async",
        json!({"args": [], "script": "const done = arguments[arguments.length - 1]; (async () => { \
        const version = async () => (await (await fetch('/api/v1/agreements/anzus')).json()).version; \
        const before = await version(); \
        const send = async csrf => { const body = new URLSearchParams({version: before, intelligence_sharing: 'no'}); \
          if (csrf !== null) body.set('csrf', csrf); \
          const r = await fetch('/agreements/anzus/provisions', {method: 'POST', body}); \
          return [r.status, (await r.text()).includes('security token')]; }; \
        done([await send(null), await send('0'.repeat(64)), before, await version()]); })();"}),
    );
    assert_eq!(refused[0], json!([403, true]), "{refused}");
    assert_eq!(refused[1], json!([403, true]), "{refused}");
    assert_eq!(refused[2], refused[3], "nothing was written");

    d.click("header.site .account button");
    d.wait("signed out", || d.text("header.site").contains("Sign in"));
    let cookies = d.cmd("GET", "/cookie", Value::Null);
    assert!(!cookies.as_array().unwrap().iter().any(|c| c["name"] == "pactbase_session"), "{cookies}");
    d.goto(&format!("{site}/agreements/anzus"));
    assert_eq!(d.eval(forms), json!(0));
}
