//! `pactbase data`: fetching from a real HTTP server on 127.0.0.1 that serves the shared
//! research files under a publisher's paths or a copy's, including a corrupted file, a
//! connection dropped mid-file and a missing one; a folder copy; verify and cite.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use common::{ok, run, temp_db};
use serde_json::Value;

/// One file the server holds; the first full request for it may be cut off.
struct Route {
    body: Vec<u8>,
    cut_after: Option<usize>,
}

/// A small HTTP/1.1 server: GET with optional `Range: bytes=N-`, 404 for unknown paths.
/// Records every request line with its range.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(routes: HashMap<String, Route>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let routes = Arc::new(Mutex::new(routes));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &routes, &log);
            }
        });
        Server { base, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(mut stream: TcpStream, routes: &Mutex<HashMap<String, Route>>, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    reader.read_line(&mut request).unwrap();
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut from = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        if let Some(range) = line.to_ascii_lowercase().strip_prefix("range: bytes=") {
            from = range.trim().trim_end_matches('-').parse::<usize>().ok();
        }
    }
    log.lock().unwrap().push(format!("{path} {}", from.map_or("whole".into(), |f| format!("from {f}"))));
    let mut routes = routes.lock().unwrap();
    let Some(route) = routes.get_mut(&path) else {
        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    let total = route.body.len();
    let (status, start) = match from {
        Some(start) if start < total => ("206 Partial Content", start),
        _ => ("200 OK", 0),
    };
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", total - start);
    if start > 0 {
        head.push_str(&format!("Content-Range: bytes {start}-{}/{total}\r\n", total - 1));
    }
    head.push_str("\r\n");
    let end = match route.cut_after.take() {
        Some(cut) if start == 0 => cut,
        _ => total,
    };
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&route.body[start..end]);
    let _ = stream.flush();
}

fn file(rel: &str) -> Option<Vec<u8>> {
    Some(std::fs::read(pactbase_testdata::shared(rel)?).unwrap())
}

fn route(body: Vec<u8>) -> Route {
    Route { body, cut_after: None }
}

/// `data list --format json`, by dataset.
fn listed(db: &Path) -> HashMap<String, Value> {
    let list: Vec<Value> = serde_json::from_str(&ok(db, &["data", "list", "--format", "json"])).unwrap();
    list.into_iter().map(|d| (d["dataset"].as_str().unwrap().to_owned(), d)).collect()
}

#[test]
fn fetch_from_a_mirror_of_the_publishers_checks_unzips_and_imports() {
    let Some(states) = file("cow/states2016.csv") else { return };
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for name in ["atop5_1a.csv", "atop5_1aph.csv", "atop5_1m.csv"] {
        let Some(bytes) = file(&format!("atop-5.1/{name}")) else { return };
        archive.start_file(format!("ATOP 5.1 (.csv)/{name}"), stored).unwrap();
        archive.write_all(&bytes).unwrap();
    }
    let zipped = archive.finish().unwrap().into_inner();
    let server = Server::start(HashMap::from([
        ("/www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip".into(), route(zipped)),
        ("/correlatesofwar.org/wp-content/uploads/states2016.csv".into(), route(states)),
    ]));
    let (_dir, db) = temp_db();
    let out: Vec<Value> = serde_json::from_str(&ok(
        &db,
        &["data", "fetch", "atop", "cow-states", "--from", &server.base, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(out[0]["result"], "imported");
    assert_eq!(out[0]["import"]["rows_stored"], 4148);
    assert_eq!(out[1]["import"]["rows_stored"], 243);
    let list = listed(&db);
    assert_eq!(list["atop"]["status"], "as catalogued");
    assert_eq!(list["cow-states"]["imported"][0]["version"], "2016");
    assert_eq!(list["nmc"]["status"], "not imported");
    // What was fetched is checked again from where it was stored.
    let verified = ok(&db, &["data", "verify", "--format", "csv"]);
    assert_eq!(verified.lines().filter(|l| l.contains(",pinned,unchanged,")).count(), 4, "{verified}");
}

#[test]
fn a_corrupted_file_stores_nothing_and_says_what_to_do() {
    let Some(mut rivalries) = file("rivalries/tss-strategic-rivalries.csv") else { return };
    let at = rivalries.len() / 2;
    rivalries[at] = if rivalries[at] == b'1' { b'2' } else { b'1' };
    let server = Server::start(HashMap::from([("/rivalries/tss-strategic-rivalries.csv".into(), route(rivalries))]));
    let (dir, db) = temp_db();
    let out = run(&db, &["data", "fetch", "rivalries", "--from", &server.base]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("but the catalogue pins 7d975b0e"), "{stderr}");
    assert!(stderr.contains("Nothing was stored") && stderr.contains("Delete it and fetch again"), "{stderr}");
    assert_eq!(listed(&db)["rivalries"]["status"], "not imported");
    assert!(dir.path().join("downloads/rivalries/tss-strategic-rivalries.csv.rejected").exists());
    assert!(!dir.path().join("downloads/rivalries/tss-strategic-rivalries.csv").exists());
}

#[test]
fn a_connection_dropped_mid_file_is_resumed() {
    let Some(states) = file("cow/states2016.csv") else { return };
    let cut = states.len() / 3;
    let server =
        Server::start(HashMap::from([("/cow/states2016.csv".into(), Route { body: states, cut_after: Some(cut) })]));
    let (_dir, db) = temp_db();
    ok(&db, &["data", "fetch", "cow-states", "--from", &server.base]);
    // First the publisher's path on the mirror (absent), then the copy's, resumed once.
    let requests = server.requests();
    assert_eq!(requests[0], "/correlatesofwar.org/wp-content/uploads/states2016.csv whole");
    assert_eq!(requests[1..], ["/cow/states2016.csv whole".to_owned(), format!("/cow/states2016.csv from {cut}")]);
    assert_eq!(listed(&db)["cow-states"]["status"], "as catalogued");
}

#[test]
fn a_missing_file_is_a_404_that_names_the_address() {
    let server = Server::start(HashMap::new());
    let (_dir, db) = temp_db();
    let out = run(&db, &["data", "fetch", "mme", "--from", &server.base]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("mme: not found at {}/mme-7/mme_v7.csv (404)", server.base)), "{stderr}");
    assert_eq!(listed(&db)["mme"]["status"], "not imported");
}

#[test]
fn a_publisher_without_a_stable_file_needs_a_copy() {
    let (_dir, db) = temp_db();
    let out = run(&db, &["data", "fetch", "sipri-arms"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the publisher serves no file pactbase can check"), "{stderr}");
    assert!(stderr.contains("`--from DIR|URL`") && stderr.contains("pactbase import sipri-arms DIR"), "{stderr}");
}

#[test]
fn fetch_from_a_folder_and_verify_a_file_changed_since() {
    let Some(rivalries) = file("rivalries/tss-strategic-rivalries.csv") else { return };
    let copy = tempfile::tempdir().unwrap();
    std::fs::create_dir(copy.path().join("rivalries")).unwrap();
    let path = copy.path().join("rivalries/tss-strategic-rivalries.csv");
    std::fs::write(&path, &rivalries).unwrap();
    let (_dir, db) = temp_db();
    ok(&db, &["data", "fetch", "rivalries", "--from", copy.path().to_str().unwrap()]);
    ok(&db, &["data", "verify"]);
    std::fs::write(&path, [rivalries.as_slice(), b"265,Extra,2,20,2021,,1,,,,,\n"].concat()).unwrap();
    let out = run(&db, &["data", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tss-strategic-rivalries.csv (changed since imported)"), "{stderr}");
}

#[test]
fn cite_gives_bibtex_a_parser_accepts_for_a_panels_datasets() {
    let (_dir, db) = temp_db();
    let bibtex = ok(&db, &["data", "cite", "--panel", "atop,nmc,mme,rivalry,sipri"]);
    let parsed = biblatex::Bibliography::parse(&bibtex).unwrap_or_else(|e| panic!("{e:?}\n{bibtex}"));
    let keys: Vec<&str> = parsed.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "cow2017states",
            "leeds2002atop",
            "singer1972capability",
            "sipri2019milex",
            "dorazio2021mme",
            "thompson2022rivalries"
        ]
    );
    let text = ok(&db, &["data", "cite", "majors", "cow-states", "--style", "text"]);
    assert_eq!(text.lines().count(), 1, "COW states and majors share one reference: {text}");
    let none = run(&db, &["data", "cite"]);
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn outputs_say_which_data_they_were_made_from() {
    let Some(states) = pactbase_testdata::shared("cow/states2016.csv") else { return };
    let (dir, db) = temp_db();
    ok(&db, &["import", "cow-states", states.to_str().unwrap()]);
    let parquet = dir.path().join("sy.parquet");
    let sidecar = dir.path().join("sy.json");
    let args = ["panel", "state-year", "--years", "2000-2001", "--format", "parquet", "--output"];
    let mut args = args.map(str::to_owned).to_vec();
    args.extend([parquet.display().to_string(), "--provenance".into(), sidecar.display().to_string()]);
    ok(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let bytes = bytes::Bytes::from(std::fs::read(&parquet).unwrap());
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(bytes).unwrap();
    let kv: HashMap<String, String> = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .iter()
        .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
        .collect();
    assert_eq!(kv["pactbase.version"], env!("CARGO_PKG_VERSION"));
    assert!(kv["pactbase.command"].ends_with(&format!("--provenance {}", sidecar.display())));
    let datasets: Value = serde_json::from_str(&kv["pactbase.datasets"]).unwrap();
    assert_eq!(datasets[0]["dataset"], "cow-states");
    assert_eq!(datasets[0]["sha256"][0], "76733bacf602007038b72e2ebec24d37a34ba6dc36793eb7c894af82e952f735");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&sidecar).unwrap()).unwrap();
    assert_eq!(written["datasets"], datasets);
    let elsewhere = run(&db, &["agreements", "--provenance", sidecar.to_str().unwrap()]);
    assert_eq!(elsewhere.status.code(), Some(2));
}

#[test]
fn a_command_without_a_dataset_it_could_use_says_so_once() {
    let (_dir, db) = temp_db();
    let out = run(&db, &["challenges", "PAK"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let hints: Vec<&str> = stderr.lines().filter(|l| l.contains("data fetch")).collect();
    assert_eq!(hints, ["pactbase: without atop, rivalries (not imported) some results are missing: `pactbase data fetch atop rivalries` brings them (`pactbase data list` says which need --from)"]);
}
