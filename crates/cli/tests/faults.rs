//! The fault catalogue (issue 15): each fault is made to happen, and each test checks
//! that nothing was lost or corrupted (`PRAGMA integrity_check`, row counts, every
//! acknowledged change with its audit row) and that the message says what happened.
//! kill -9 mid-transaction uses the debug build's pause hook (`PACTBASE_PAUSE_AT`); the
//! file-system faults mount small tmpfs file systems (root, as in CI; skipped with a
//! message elsewhere, failing under CI=true). These are the slower tests, kept in one
//! binary.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{ok, run, temp_db};
use serde_json::{json, Value};

/// What a database holds, as far as a fault could change it: each table's row count and
/// a hash of its rows, and the imported files' provenance.
#[derive(Debug, PartialEq)]
struct Snapshot {
    integrity: String,
    tables: Vec<(String, i64, u64)>,
    datasets: Vec<(String, String, i64)>,
}

/// A hash of every row of `table` (rows sorted: some tables have no rowid).
fn table_hash(conn: &rusqlite::Connection, table: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
    let columns = stmt.column_count();
    let mut rows = stmt.query([]).unwrap();
    let mut all = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        all.push((0..columns).map(|i| format!("{:?}", row.get_ref(i).unwrap())).collect::<Vec<_>>().join("\u{1f}"));
    }
    all.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    all.hash(&mut h);
    h.finish()
}

fn snapshot(db: &Path) -> Snapshot {
    // Read-write where it can be (SQLite opens it read-only where not), so that a killed
    // writer's journal is recovered as any next user would; on a read-only file system,
    // where SQLite cannot make its WAL index, as immutable.
    let mut conn = rusqlite::Connection::open(db).unwrap();
    if conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).is_err() {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        conn = rusqlite::Connection::open_with_flags(format!("file:{}?immutable=1", db.display()), flags).unwrap();
    }
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    let tables = [
        "states",
        "agreements",
        "memberships",
        "agreement_text",
        "exercise_series",
        "audit_log",
        "users",
        "atop_members",
        "nmc",
        "rivalries",
        "mme_exercises",
        "system_spells",
        "sipri_milex",
    ];
    let tables = tables
        .iter()
        .map(|t| {
            let count = conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap();
            (t.to_string(), count, table_hash(&conn, t))
        })
        .collect();
    let mut stmt = conn.prepare("SELECT dataset, sha256, rows FROM datasets ORDER BY dataset, path").unwrap();
    let datasets = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    Snapshot { integrity, tables, datasets }
}

fn pactbase(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pactbase"));
    c.arg("--db").arg(db).env_remove("PACTBASE_DB").env_remove("PACTBASE_PAUSE_AT");
    c
}

/// Runs `pactbase ARGS` paused at `point` inside its transaction and kills it there with
/// SIGKILL.
fn kill_at(db: &Path, args: &[&str], point: &str) {
    let mut child = pactbase(db)
        .args(args)
        .env("PACTBASE_PAUSE_AT", point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let announced = format!("paused at {point}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) if line.contains(&announced) => break,
            Ok(_) => {}
            Err(_) => panic!("`pactbase {}` never reached {point}", args.join(" ")),
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

fn shared(rel: &str) -> Option<String> {
    pactbase_testdata::shared(rel).map(|p| p.display().to_string())
}

#[test]
fn kill_9_inside_init_and_import_leaves_the_database_as_it_was() {
    let (_dir, db) = temp_db();
    ok(&db, &["init"]);
    let rivalries = shared("rivalries/tss-strategic-rivalries.csv");
    if let Some(file) = &rivalries {
        ok(&db, &["import", "rivalries", file]);
    }
    let before = snapshot(&db);
    assert_eq!(before.integrity, "ok");
    for point in ["init:emptied", "init:filled"] {
        kill_at(&db, &["init"], point);
        assert_eq!(snapshot(&db), before, "after kill -9 at {point}");
    }
    if let Some(file) = &rivalries {
        for point in ["import:emptied", "import:filled"] {
            kill_at(&db, &["import", "rivalries", file], point);
            assert_eq!(snapshot(&db), before, "after kill -9 at {point}");
        }
    }
    // And the next run does its work.
    ok(&db, &["init"]);
    assert_eq!(snapshot(&db), before);
}

/// A free loopback port.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Serving {
    child: Child,
    base: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path, extra_env: &[(&str, &str)]) -> Serving {
    let port = free_port();
    let mut command = pactbase(db);
    command.args(["serve", "--addr", &format!("127.0.0.1:{port}")]).stdout(Stdio::null()).stderr(Stdio::null());
    for (k, v) in extra_env {
        command.env(k, v);
    }
    let child = command.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let serving = Serving { child, base };
    let deadline = Instant::now() + Duration::from_secs(60);
    while ureq::get(&format!("{}/healthz", serving.base)).call().is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    serving
}

fn token(db: &Path, name: &str) -> String {
    let out: Value = serde_json::from_str(&ok(db, &["user", "add", name, "--format", "json"])).unwrap();
    out["token"].as_str().unwrap().to_owned()
}

/// An acknowledged change: its audit entry and the version it made.
#[derive(Debug, Clone)]
struct Acked {
    agreement: String,
    entry: i64,
    version: i64,
}

#[test]
fn kill_9_of_the_server_during_writes_loses_no_acknowledged_change() {
    let (_dir, db) = temp_db();
    ok(&db, &["init"]);
    let editors = [(token(&db, "erin"), "anzus"), (token(&db, "omar"), "seato")];
    let server = serve(&db, &[]);
    let acked = Arc::new(Mutex::new(Vec::<Acked>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = editors
        .iter()
        .map(|(token, agreement)| {
            let (token, agreement, base) = (token.clone(), agreement.to_string(), server.base.clone());
            let (acked, stop) = (acked.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut aid = false;
                while !stop.load(Ordering::Relaxed) {
                    let Ok(current) = ureq::get(&format!("{base}/api/v1/agreements/{agreement}")).call() else { break };
                    let version = current.into_json::<Value>().unwrap()["version"].as_i64().unwrap();
                    aid = !aid;
                    let reply = ureq::patch(&format!("{base}/api/v1/agreements/{agreement}/provisions"))
                        .set("Authorization", &format!("Bearer {token}"))
                        .send_json(json!({"version": version, "provisions": {"military_aid": aid}}));
                    match reply {
                        Ok(r) => {
                            let entry: Value = r.into_json().unwrap();
                            acked.lock().unwrap().push(Acked {
                                agreement: agreement.clone(),
                                entry: entry["id"].as_i64().unwrap(),
                                version: entry["version_after"].as_i64().unwrap(),
                            });
                        }
                        Err(ureq::Error::Status(status, r)) => panic!("{status}: {}", r.into_string().unwrap()),
                        Err(_) => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < 40 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(server); // SIGKILL, mid-burst
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 40, "only {} changes were acknowledged", acked.len());

    let conn = rusqlite::Connection::open(&db).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    for a in &acked {
        let version: Option<i64> = conn
            .query_row(
                "SELECT version_after FROM audit_log WHERE id = ?1 AND agreement_id = ?2",
                (a.entry, &a.agreement),
                |r| r.get(0),
            )
            .ok();
        assert_eq!(version, Some(a.version), "acknowledged change {a:?} is missing");
    }
    // Nothing else: each agreement's version counts its audited changes, and its document
    // is the last change's.
    for (_, agreement) in &editors {
        let (version, doc): (i64, String) = conn
            .query_row("SELECT version, doc FROM agreements WHERE id = ?1", [agreement], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        let (changes, last): (i64, Option<String>) = conn
            .query_row(
                "SELECT count(*), (SELECT after FROM audit_log WHERE agreement_id = ?1 ORDER BY id DESC LIMIT 1)
                 FROM audit_log WHERE agreement_id = ?1",
                [agreement],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(version, 1 + changes, "{agreement}");
        assert_eq!(
            serde_json::from_str::<Value>(&doc).unwrap(),
            serde_json::from_str::<Value>(&last.unwrap()).unwrap()
        );
        let acked_here = acked.iter().filter(|a| &a.agreement == agreement).count() as i64;
        assert!(
            changes == acked_here || changes == acked_here + 1,
            "{agreement}: {changes} stored, {acked_here} acknowledged"
        );
    }
}

/// A tmpfs mounted at a folder of its own, unmounted when dropped.
struct Mount {
    dir: tempfile::TempDir,
}

impl Mount {
    /// `None` (skip, with a message) where mounting is not allowed, except under CI.
    fn tmpfs(kilobytes: u64) -> Option<Mount> {
        let dir = tempfile::tempdir().unwrap();
        let size = format!("size={kilobytes}k");
        let done = Command::new("mount").args(["-t", "tmpfs", "-o", &size, "tmpfs"]).arg(dir.path()).status();
        if !done.is_ok_and(|s| s.success()) {
            let message = "cannot mount a tmpfs here (needs root, as CI runs)";
            assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
            eprintln!("skipping: {message}");
            return None;
        }
        Some(Mount { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount_read_only(&self) {
        let done = Command::new("mount").args(["-o", "remount,ro"]).arg(self.path()).status().unwrap();
        assert!(done.success());
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// A database with the registry loaded, closed (no WAL left beside it).
fn registry_db() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = temp_db();
    ok(&db, &["init"]);
    (dir, db)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_full_disk_refuses_the_import_and_keeps_the_database() {
    let Some(nmc) = shared("cow/nmc-7.0-abridged.csv") else { return };
    let (_dir, source) = registry_db();
    let size = std::fs::metadata(&source).unwrap().len() / 1024;
    let Some(disk) = Mount::tmpfs(size + 96) else { return };
    let db = disk.path().join("pactbase.db");
    std::fs::copy(&source, &db).unwrap();
    let before = snapshot(&db);
    let out = run(&db, &["import", "nmc", &nmc]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains("disk") && message.contains("full") && message.contains("nothing was changed"),
        "{message}"
    );
    assert!(message.contains(&db.display().to_string()), "{message}");
    assert_eq!(snapshot(&db), before);
    // Reading still works on the full disk.
    assert!(ok(&db, &["show", "anzus"]).contains("ANZUS"));
}

/// Checks that a database that cannot be written is read, that writing commands say why
/// they fail, and that nothing changed.
fn read_only_behaviour(db: &Path) {
    let before = snapshot(db);
    assert!(ok(db, &["show", "anzus"]).contains("ANZUS"));
    assert!(ok(db, &["search", "north", "atlantic"]).contains("nato"));
    for args in [&["init"][..], &["user", "add", "someone"][..]] {
        let out = run(db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let message = stderr(&out);
        assert!(message.contains("read-only") && message.contains("writable"), "{args:?}: {message}");
    }
    // The server serves it, and refuses changes saying why.
    let server = serve(db, &[]);
    let r = ureq::get(&format!("{}/api/v1/agreements/anzus", server.base)).call().unwrap();
    assert_eq!(r.status(), 200);
    drop(server);
    assert_eq!(snapshot(db), before);
}

#[test]
fn a_read_only_file_system_or_file_is_read_and_writes_say_why_they_fail() {
    let (_dir, source) = registry_db();
    let Some(disk) = Mount::tmpfs(64 * 1024) else { return };
    let db = disk.path().join("pactbase.db");
    std::fs::copy(&source, &db).unwrap();
    // An editor, so the server has a change to refuse.
    let editor = token(&db, "erin");
    disk.remount_read_only();
    read_only_behaviour(&db);
    let server = serve(&db, &[]);
    let refused = ureq::patch(&format!("{}/api/v1/agreements/anzus/provisions", server.base))
        .set("Authorization", &format!("Bearer {editor}"))
        .send_json(json!({"version": 1, "provisions": {"military_aid": true}}));
    match refused {
        Err(ureq::Error::Status(503, r)) => assert!(r.into_string().unwrap().contains("read_only")),
        other => panic!("{other:?}"),
    }
    drop(server);

    // A read-only file in a writable folder: a read-only bind mount of the file alone.
    let (_dir2, db) = registry_db();
    let bound = Command::new("mount").arg("--bind").arg(&db).arg(&db).status().unwrap();
    assert!(bound.success());
    let ro = Command::new("mount").args(["-o", "remount,ro,bind"]).arg(&db).arg(&db).status().unwrap();
    read_only_behaviour(&db);
    let _ = Command::new("umount").arg(&db).status();
    assert!(ro.success());
}

#[test]
fn a_file_that_is_not_sqlite_or_is_from_a_newer_pactbase_is_refused_clearly() {
    let (_dir, db) = temp_db();
    let garbage = "this is not a database\n".repeat(200);
    std::fs::write(&db, &garbage).unwrap();
    for args in [&["show", "anzus"][..], &["init"][..], &["import", "nmc", "/nonexistent.csv"][..]] {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let message = stderr(&out);
        assert!(message.contains("not a pactbase database"), "{args:?}: {message}");
    }
    assert_eq!(std::fs::read_to_string(&db).unwrap(), garbage, "the file is untouched");

    let (_dir, db) = registry_db();
    rusqlite::Connection::open(&db).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let before = snapshot(&db);
    for args in [&["show", "anzus"][..], &["init"][..], &["serve", "--addr", "127.0.0.1:0"][..]] {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let message = stderr(&out);
        assert!(message.contains("newer pactbase (schema 99"), "{args:?}: {message}");
    }
    assert_eq!(snapshot(&db), before);
}

#[test]
fn readers_are_answered_during_an_import_and_see_it_when_it_commits() {
    let Some(atop) = shared("atop-5.1") else { return };
    let (_dir, db) = registry_db();
    let server = serve(&db, &[]);
    let status = |path: &str| match ureq::get(&format!("{}{path}", server.base)).call() {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(s, _)) => s,
        Err(e) => panic!("{path}: {e}"),
    };
    assert_eq!(status("/api/v1/agreements/atop-3535"), 404);
    let mut import = pactbase(&db)
        .args(["import", "atop", &atop])
        .env("PACTBASE_PAUSE_AT", "import:filled")
        .env("PACTBASE_PAUSE_MS", "3000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read only while the import is known to sit inside its transaction: from its
    // announcement of the pause for 2 of the pause's 3 seconds.
    let mut announcements = BufReader::new(import.stderr.take().unwrap()).lines();
    assert!(
        announcements.any(|line| line.unwrap().contains("paused at import:filled")),
        "the import never reached its pause"
    );
    let paused = Instant::now();
    let mut during = 0;
    while paused.elapsed() < Duration::from_secs(2) {
        // Readers see the old data, answered at once.
        assert_eq!(status("/api/v1/countries/PAK"), 200);
        assert_eq!(status("/api/v1/network/1990"), 200);
        assert_eq!(status("/api/v1/agreements/atop-3535"), 404, "seen before the commit");
        during += 1;
    }
    std::thread::spawn(move || announcements.for_each(drop));
    assert!(import.wait().unwrap().success());
    assert!(during > 3, "only {during} rounds of reads during the import");
    assert_eq!(status("/api/v1/agreements/atop-3535"), 200, "the import is seen once committed");
    let network: Value =
        ureq::get(&format!("{}/api/v1/network/1990", server.base)).call().unwrap().into_json().unwrap();
    assert_eq!(network["source"], "both");
}

/// How a file is damaged, and where the error must point.
struct Damage {
    name: &'static str,
    /// Rewrites the file's bytes.
    apply: fn(&[u8], usize) -> Vec<u8>,
    /// `line:column` the error names, given the clean file and the numeric column's
    /// 0-based place.
    at: fn(&[u8], usize) -> String,
}

/// The file's records as the CSV parser sees them, each with its line's bytes.
fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

/// The number of the file's last line that is not blank.
fn last_line(bytes: &[u8]) -> usize {
    lines(bytes).iter().rposition(|l| !l.iter().all(u8::is_ascii_whitespace)).unwrap() + 1
}

/// Line `n` (1-based) with field `column` replaced by `value`.
fn with_field(bytes: &[u8], n: usize, column: usize, value: &[u8]) -> Vec<u8> {
    let mut all = lines(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&all[n - 1][..]);
    let mut record = reader.byte_records().next().unwrap().unwrap();
    let fields: Vec<Vec<u8>> =
        record.iter().enumerate().map(|(i, f)| if i == column { value.to_vec() } else { f.to_vec() }).collect();
    record = csv::ByteRecord::from(fields);
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer.write_byte_record(&record).unwrap();
    let mut line = writer.into_inner().unwrap();
    line.pop();
    all[n - 1] = line;
    all.join(&b'\n')
}

const DAMAGES: [Damage; 5] = [
    Damage {
        // The file cut off in the middle of its last row, as an interrupted copy leaves it.
        name: "truncated mid-row",
        apply: |bytes, _| {
            let mut all = lines(bytes);
            while all.last().is_some_and(|l| l.iter().all(u8::is_ascii_whitespace)) {
                all.pop();
            }
            let last = all.pop().unwrap();
            let fields: Vec<&[u8]> = last.split(|&b| b == b',').collect();
            all.push(fields[..fields.len() / 2].join(&b','));
            all.join(&b'\n')
        },
        at: |bytes, _| format!("{}:", last_line(bytes)),
    },
    Damage { name: "NUL byte", apply: |b, c| with_field(b, 5, c, b"19\x0050"), at: |_, c| format!("5:{}", c + 1) },
    Damage {
        name: "a 50 MB line",
        apply: |bytes, _| {
            let mut all = lines(bytes);
            all.insert(5, vec![b'x'; 50 << 20]);
            all.join(&b'\n')
        },
        at: |_, _| "6:2".into(),
    },
    Damage { name: "non-UTF-8", apply: |b, c| with_field(b, 5, c, b"\xff\xfe1"), at: |_, c| format!("5:{}", c + 1) },
    Damage {
        name: "header names swapped",
        apply: |bytes, c| {
            let mut all = lines(bytes);
            let header = String::from_utf8(all[0].clone()).unwrap();
            let mut names: Vec<&str> = header.split(',').collect();
            let other = if c == 0 { 1 } else { 0 };
            names.swap(c, other);
            all[0] = names.join(",").into_bytes();
            all.join(&b'\n')
        },
        at: |_, _| "2:".into(),
    },
];

/// Rewrites a file's bytes.
type Rewrite = fn(&[u8]) -> Vec<u8>;

/// Rewritings that keep the data: each must import exactly the rows of the clean file.
const HARMLESS: [(&str, Rewrite); 3] = [
    ("a byte-order mark", |b| [&b"\xef\xbb\xbf"[..], b].concat()),
    ("CRLF line ends", |b| {
        // Byte by byte: SIPRI's file is Windows-1252, not UTF-8.
        let mut out = Vec::with_capacity(b.len() * 2);
        for (i, &byte) in b.iter().enumerate() {
            if byte == b'\n' && (i == 0 || b[i - 1] != b'\r') {
                out.push(b'\r');
            }
            out.push(byte);
        }
        out
    }),
    ("columns in another order", |b| {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(b);
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        for record in reader.byte_records() {
            let record = record.unwrap();
            let mut fields: Vec<&[u8]> = record.iter().collect();
            fields.reverse();
            writer.write_record(fields).unwrap();
        }
        writer.into_inner().unwrap()
    }),
];

#[test]
fn damaged_files_are_refused_at_their_place_for_every_importer() {
    // Each importer's file, and a numeric column whose place the damage targets.
    let cases = [
        ("cow-states", "cow/states2016.csv", "ccode"),
        ("nmc", "cow/nmc-7.0-abridged.csv", "ccode"),
        ("mme", "mme-7/mme_v7.csv", "s.year"),
        ("sipri-milex", "sipri/sipri-milex-constant-2017usd.csv", "1990"),
        ("rivalries", "rivalries/tss-strategic-rivalries.csv", "ccode1"),
        ("atop", "atop-5.1/atop5_1m.csv", "atopid"),
    ];
    let (dir, db) = registry_db();
    for (dataset, rel, column) in cases {
        let Some(clean) = shared(rel) else { return };
        let clean = PathBuf::from(clean);
        let bytes = std::fs::read(&clean).unwrap();
        let header = String::from_utf8_lossy(&bytes[..bytes.iter().position(|&b| b == b'\n').unwrap()]).into_owned();
        let place = header.trim().split(',').position(|h| h == column).unwrap();
        // Where the damaged copy goes: ATOP is a folder of three files.
        let folder = dir.path().join(dataset);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join(clean.file_name().unwrap());
        if dataset == "atop" {
            for name in ["atop5_1a.csv", "atop5_1aph.csv"] {
                std::fs::copy(clean.with_file_name(name), folder.join(name)).unwrap();
            }
        }
        let target = if dataset == "atop" { folder.clone() } else { file.clone() };
        let target = target.to_str().unwrap().to_owned();
        // The clean file imported once: what every harmless rewriting must give again.
        std::fs::write(&file, &bytes).unwrap();
        ok(&db, &["import", dataset, &target]);
        let clean_state = snapshot(&db);
        for damage in &DAMAGES {
            if damage.name == "header names swapped" && dataset != "nmc" {
                continue; // values that fit either column are the value checks' business
            }
            std::fs::write(&file, (damage.apply)(&bytes, place)).unwrap();
            let out = run(&db, &["import", dataset, &target]);
            let message = stderr(&out);
            assert_eq!(out.status.code(), Some(4), "{dataset}, {}: {message}", damage.name);
            let name = file.file_name().unwrap().to_str().unwrap();
            let at = format!("{name}:{}", (damage.at)(&bytes, place));
            assert!(message.contains(&at), "{dataset}, {}: expected {at} in {message}", damage.name);
            assert!(message.len() < 20_000, "{dataset}, {}: a {} byte message", damage.name, message.len());
            assert_eq!(snapshot(&db), clean_state, "{dataset}, {}: the database changed", damage.name);
        }
        for (name, rewrite) in HARMLESS {
            std::fs::write(&file, rewrite(&bytes)).unwrap();
            let out = run(&db, &["import", dataset, &target]);
            assert!(out.status.success(), "{dataset}, {name}: {}", stderr(&out));
            // The file's hash differs; the stored rows must not.
            assert_eq!(snapshot(&db).tables, clean_state.tables, "{dataset}, {name}");
        }
    }
}
