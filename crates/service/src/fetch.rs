//! Bringing a dataset's files from its publisher, or from a copy (`--from DIR|URL`), and
//! checking each against the SHA-256 the catalogue pins before anything is imported.
//!
//! A copy is laid out like `../shared/data` (each file at its catalogue `path`); a copy
//! may also mirror a publisher, holding its download at `<host>/<path of the URL>`.
//! Downloads go to a staging folder as `*.part` files, resume with HTTP ranges when the
//! connection drops, and are renamed into place only once their checksum matches: a
//! truncated or altered file is never imported (docs/DATA.md).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use pactbase_ingest::catalogue::{Archive, Entry, PinnedFile};
use pactbase_model::research::Dataset;
use pactbase_model::Vocabulary;
use sha2::{Digest, Sha256};

/// The command that brings `datasets`: `pactbase data fetch atop nmc`.
pub fn fetch_command(datasets: &[Dataset]) -> String {
    let names: Vec<&str> = datasets.iter().map(|d| d.as_str()).collect();
    format!("pactbase data fetch {}", names.join(" "))
}

/// Attempts per file before a dropped or refused connection is given up.
const ATTEMPTS: u32 = 4;

/// Where the files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The publisher's own download (`Entry::download`).
    Publisher,
    /// A local copy.
    Dir(PathBuf),
    /// A copy served over HTTP(S): a base URL.
    Url(String),
}

impl Origin {
    /// `--from`: a URL when it starts with http:// or https://, else a folder.
    pub fn parse(from: &str) -> Origin {
        if from.starts_with("http://") || from.starts_with("https://") {
            Origin::Url(from.trim_end_matches('/').to_owned())
        } else {
            Origin::Dir(PathBuf::from(from))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(
        "{0}: the publisher serves no file pactbase can check ({note}); fetch it from a copy with `--from DIR|URL`, or import your own file with `pactbase import {0} {arg}`",
        note = .1, arg = .2
    )]
    NoStableFile(Dataset, String, &'static str),
    #[error("{dataset}: not found at {tried} (404); check the address, or fetch from a copy with `--from DIR|URL`")]
    NotFound { dataset: Dataset, tried: String },
    #[error(
        "{dataset}: {url} stopped after {got} of {expected} bytes, {attempts} times; nothing was stored. Run the same command again to resume the download"
    )]
    Truncated { dataset: Dataset, url: String, got: u64, expected: u64, attempts: u32 },
    #[error("{dataset}: cannot download {url}: {message}; nothing was stored")]
    Network { dataset: Dataset, url: String, message: String },
    #[error(
        "{dataset}: {file} has SHA-256 {actual}, but the catalogue pins {expected}: it is not the copy pactbase knows (another release, or damaged). Nothing was stored; the file was kept as {kept}. Delete it and fetch again, or import a release you trust with `pactbase import {dataset} PATH`"
    )]
    Checksum { dataset: Dataset, file: String, expected: String, actual: String, kept: String },
    #[error("{dataset}: the archive {archive} holds no `{member}`: {message}")]
    Archive { dataset: Dataset, archive: String, member: String, message: String },
    #[error("{dataset}: {path}: {source}")]
    Io { dataset: Dataset, path: String, source: io::Error },
}

/// What a front end shows while files arrive: a new file (its size when known), then
/// bytes as they come.
pub enum Progress<'a> {
    Start(&'a str, Option<u64>),
    Bytes(u64),
    Done,
}

/// A fetched dataset, ready to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// What to hand the importer (a file, or the folder of files).
    pub import: PathBuf,
    /// Where each file came from.
    pub sources: Vec<String>,
}

/// Brings `entry`'s files from `origin` into `staging` (a local copy is read in place)
/// and checks each against its pinned SHA-256.
pub fn fetch(
    entry: &Entry,
    origin: &Origin,
    staging: &Path,
    progress: &dyn Fn(Progress),
) -> Result<Fetched, FetchError> {
    let fetcher = Fetcher { entry, staging, progress, agent: agent() };
    match origin {
        Origin::Publisher => match &entry.download {
            Some(download) if entry.fetchable() => fetcher.publisher(&download.url, download.archive, &download.url),
            _ => Err(FetchError::NoStableFile(entry.dataset, entry.note.clone(), entry.import_arg())),
        },
        Origin::Dir(dir) => {
            if let Some(mirrored) = entry.download.as_ref().filter(|_| entry.fetchable()) {
                let local = dir.join(mirror_path(&mirrored.url));
                if local.is_file() {
                    return fetcher.publisher(&local.to_string_lossy(), mirrored.archive, &mirrored.url);
                }
            }
            for f in &entry.files {
                let path = dir.join(&f.path);
                if !path.is_file() {
                    return Err(FetchError::NotFound { dataset: entry.dataset, tried: path.display().to_string() });
                }
                fetcher.check(f, &path, None)?;
            }
            Ok(Fetched {
                import: dir.join(&entry.import),
                sources: entry.files.iter().map(|f| dir.join(&f.path).display().to_string()).collect(),
            })
        }
        Origin::Url(base) => {
            if let Some(mirrored) = entry.download.as_ref().filter(|_| entry.fetchable()) {
                let url = format!("{base}/{}", mirror_path(&mirrored.url));
                match fetcher.publisher(&url, mirrored.archive, &mirrored.url) {
                    Err(FetchError::NotFound { .. }) => {}
                    other => return other,
                }
            }
            let mut sources = Vec::new();
            for f in &entry.files {
                let url = format!("{base}/{}", f.path);
                let part = fetcher.download(&url, &fetcher.staged(&f.path))?;
                fetcher.check(f, &part, Some(&fetcher.staged(&f.path)))?;
                sources.push(url);
            }
            Ok(Fetched { import: staging.join(&entry.import), sources })
        }
    }
}

/// Where a copy that mirrors a publisher holds `url`: `<host>/<path>`.
pub fn mirror_path(url: &str) -> String {
    url.split_once("://").map_or(url, |(_, rest)| rest).to_owned()
}

/// The SHA-256 of a file, lowercase hex.
pub fn sha256_file(path: &Path, progress: &dyn Fn(Progress)) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        progress(Progress::Bytes(n as u64));
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(30))
        .timeout_read(Duration::from_secs(60))
        .user_agent(concat!("pactbase/", env!("CARGO_PKG_VERSION")))
        .build()
}

struct Fetcher<'a> {
    entry: &'a Entry,
    staging: &'a Path,
    progress: &'a dyn Fn(Progress),
    agent: ureq::Agent,
}

impl Fetcher<'_> {
    fn staged(&self, path: &str) -> PathBuf {
        self.staging.join(path)
    }

    fn io(&self, path: &Path) -> impl Fn(io::Error) -> FetchError + '_ {
        let path = path.display().to_string();
        move |source| FetchError::Io { dataset: self.entry.dataset, path: path.clone(), source }
    }

    /// The publisher's download at `location` (a URL, or a local mirror of it; `url` is
    /// the publisher's address, which names the staged archive), unpacked when an archive.
    fn publisher(&self, location: &str, archive: Option<Archive>, url: &str) -> Result<Fetched, FetchError> {
        let local = !location.starts_with("http://") && !location.starts_with("https://");
        let name = url.rsplit('/').next().unwrap_or(url);
        match archive {
            None => {
                let file = &self.entry.files[0];
                let target = self.staged(&file.path);
                let part = if local { PathBuf::from(location) } else { self.download(location, &target)? };
                self.check(file, &part, (!local).then_some(&target))?;
                let import = if local { PathBuf::from(location) } else { self.staging.join(&self.entry.import) };
                Ok(Fetched { import, sources: vec![location.to_owned()] })
            }
            Some(Archive::Zip) => {
                let archive_path = if local {
                    PathBuf::from(location)
                } else {
                    let target = self.staged(&format!("{}/{name}", self.entry.dataset));
                    let part = self.download(location, &target)?;
                    fs::rename(&part, &target).map_err(self.io(&target))?;
                    target
                };
                self.unzip(&archive_path)?;
                Ok(Fetched { import: self.staging.join(&self.entry.import), sources: vec![location.to_owned()] })
            }
        }
    }

    /// Extracts every pinned member of the zip at `archive` and checks it.
    fn unzip(&self, archive: &Path) -> Result<(), FetchError> {
        let file = File::open(archive).map_err(self.io(archive))?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| self.archive_error(archive, "", e))?;
        for f in &self.entry.files {
            let member = f.member.as_deref().unwrap_or(&f.path);
            let target = self.staged(&f.path);
            let part = part_of(&target);
            create_parent(&part).map_err(self.io(&part))?;
            let mut inside = zip.by_name(member).map_err(|e| self.archive_error(archive, member, e))?;
            (self.progress)(Progress::Start(&f.path, Some(inside.size())));
            let mut out = File::create(&part).map_err(self.io(&part))?;
            io::copy(&mut inside, &mut out).map_err(self.io(&part))?;
            (self.progress)(Progress::Done);
            self.check(f, &part, Some(&target))?;
        }
        Ok(())
    }

    fn archive_error(&self, archive: &Path, member: &str, e: zip::result::ZipError) -> FetchError {
        FetchError::Archive {
            dataset: self.entry.dataset,
            archive: archive.display().to_string(),
            member: member.to_owned(),
            message: e.to_string(),
        }
    }

    /// Checks `path` against `file`'s pin; on success moves it to `target` (when given).
    /// A file that does not match is kept beside its target as `*.rejected`.
    fn check(&self, file: &PinnedFile, path: &Path, target: Option<&PathBuf>) -> Result<(), FetchError> {
        let size = fs::metadata(path).map_err(self.io(path))?.len();
        (self.progress)(Progress::Start(&file.path, Some(size)));
        let actual = sha256_file(path, self.progress).map_err(self.io(path))?;
        (self.progress)(Progress::Done);
        if actual != file.sha256 {
            let kept = match target {
                Some(target) => {
                    let rejected = target.with_file_name(format!(
                        "{}.rejected",
                        target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                    ));
                    fs::rename(path, &rejected).map_err(self.io(path))?;
                    rejected
                }
                None => path.to_owned(),
            };
            return Err(FetchError::Checksum {
                dataset: self.entry.dataset,
                file: file.path.clone(),
                expected: file.sha256.clone(),
                actual,
                kept: kept.display().to_string(),
            });
        }
        if let Some(target) = target {
            fs::rename(path, target).map_err(self.io(target))?;
        }
        Ok(())
    }

    /// Downloads `url` into `target`'s `.part` file, resuming after a dropped connection,
    /// and returns the `.part` file once it holds the whole body.
    fn download(&self, url: &str, target: &Path) -> Result<PathBuf, FetchError> {
        let dataset = self.entry.dataset;
        let part = part_of(target);
        create_parent(&part).map_err(self.io(&part))?;
        let mut attempts = 0;
        let mut started = false;
        loop {
            attempts += 1;
            let have = fs::metadata(&part).map_or(0, |m| m.len());
            let mut request = self.agent.get(url);
            if have > 0 {
                request = request.set("Range", &format!("bytes={have}-"));
            }
            let response = match request.call() {
                Ok(response) => response,
                Err(ureq::Error::Status(404 | 410, _)) => {
                    return Err(FetchError::NotFound { dataset, tried: url.to_owned() });
                }
                // The server holds no more bytes than we have: start again from scratch.
                Err(ureq::Error::Status(416, _)) if attempts < ATTEMPTS => {
                    fs::remove_file(&part).map_err(self.io(&part))?;
                    continue;
                }
                Err(ureq::Error::Status(code, r)) if code < 500 || attempts >= ATTEMPTS => {
                    let message = format!("the server answered {code} {}", r.status_text());
                    return Err(FetchError::Network { dataset, url: url.to_owned(), message });
                }
                Err(e) if attempts >= ATTEMPTS => {
                    return Err(FetchError::Network { dataset, url: url.to_owned(), message: e.to_string() });
                }
                Err(_) => {
                    pause(attempts);
                    continue;
                }
            };
            let resumed = response.status() == 206;
            let length: Option<u64> = response.header("Content-Length").and_then(|l| l.parse().ok());
            let offset = if resumed { have } else { 0 };
            let expected = length.map(|l| l + offset);
            if !started {
                (self.progress)(Progress::Start(url, expected));
                started = true;
            }
            if resumed {
                (self.progress)(Progress::Bytes(have));
            }
            let mut out = OpenOptions::new()
                .create(true)
                .write(true)
                .append(resumed)
                .truncate(!resumed)
                .open(&part)
                .map_err(self.io(&part))?;
            let copied = copy_counting(&mut response.into_reader(), &mut out, self.progress);
            out.flush().map_err(self.io(&part))?;
            let got = fs::metadata(&part).map_or(0, |m| m.len());
            let complete = copied.is_ok() && expected.is_none_or(|e| got == e);
            if complete {
                (self.progress)(Progress::Done);
                return Ok(part);
            }
            if attempts >= ATTEMPTS {
                (self.progress)(Progress::Done);
                return Err(FetchError::Truncated {
                    dataset,
                    url: url.to_owned(),
                    got,
                    expected: expected.unwrap_or(got),
                    attempts,
                });
            }
            pause(attempts);
        }
    }
}

/// Copies until the end or the first error, reporting bytes as they come; what arrived
/// before an error stays written, for the next attempt to resume after.
fn copy_counting(from: &mut dyn Read, to: &mut File, progress: &dyn Fn(Progress)) -> io::Result<()> {
    let mut buffer = vec![0; 1 << 16];
    loop {
        let n = from.read(&mut buffer)?;
        if n == 0 {
            return Ok(());
        }
        to.write_all(&buffer[..n])?;
        progress(Progress::Bytes(n as u64));
    }
}

fn part_of(target: &Path) -> PathBuf {
    let name = target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!("{name}.part"))
}

fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(parent) => fs::create_dir_all(parent),
        None => Ok(()),
    }
}

/// A short, growing wait before the next attempt.
fn pause(attempt: u32) {
    std::thread::sleep(Duration::from_millis(200 * u64::from(attempt)));
}
