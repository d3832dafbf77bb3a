//! One CSV file of a research dataset, streamed: the header is checked by column name,
//! every field is parsed where it stands so that a problem is reported with its line,
//! column and field, and the bytes are hashed on the way through for provenance.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read};
use std::ops::RangeInclusive;
use std::path::Path;

use csv::ByteRecord;
use pactbase_model::research::{DatasetFile, Ymd};
use sha2::{Digest, Sha256};

use crate::DataError;

/// Told how many more bytes of input have been read, so that a caller can draw progress.
pub type Progress<'a> = &'a dyn Fn(u64);

/// Years a state-system dataset may mention.
pub const YEARS: RangeInclusive<i64> = 1815..=2030;

/// Longest cell quoted back in an error; garbled input can hold whole lines in one cell.
const QUOTE_MAX: usize = 40;

/// Hashes and counts the bytes the CSV parser pulls through it.
struct Tap<'p> {
    file: File,
    hasher: Sha256,
    progress: Progress<'p>,
}

impl Read for Tap<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.hasher.update(&buf[..n]);
        (self.progress)(n as u64);
        Ok(n)
    }
}

pub struct Table<'p> {
    /// The path as errors show it.
    pub file: String,
    /// The header's names, decoded and trimmed.
    pub header: Vec<String>,
    reader: csv::Reader<Tap<'p>>,
    /// The columns this reader asked for, and where each one sits in a record.
    columns: &'static [&'static str],
    positions: Vec<usize>,
    record: ByteRecord,
    rows: usize,
    pub errors: Vec<DataError>,
}

impl<'p> Table<'p> {
    /// Opens `path` and checks that its header has each of `columns` exactly once (other
    /// columns are allowed and skipped). Problems with the file or its header come back at
    /// once, since no row can be read without them.
    pub fn open(path: &Path, columns: &'static [&'static str], progress: Progress<'p>) -> Result<Self, Vec<DataError>> {
        let file_name = path.display().to_string();
        let file = File::open(path).map_err(|e| vec![DataError::file(&file_name, format!("cannot open: {e}"))])?;
        let tap = Tap { file, hasher: Sha256::new(), progress };
        // Records end at `\n` only: with the default CRLF terminator the csv crate counts
        // lines one short in CRLF files (ATOP's), and errors must name the right line. The
        // `\r` left at the end of a line's last field is trimmed like other whitespace.
        let mut reader =
            csv::ReaderBuilder::new().flexible(true).terminator(csv::Terminator::Any(b'\n')).from_reader(tap);
        let header: Vec<String> = match reader.byte_headers() {
            Ok(h) => h.iter().map(|name| decode(name).trim_start_matches('\u{feff}').trim().to_owned()).collect(),
            Err(e) => return Err(vec![DataError::file(&file_name, e.to_string()).at(1, 1)]),
        };
        if header.iter().all(String::is_empty) {
            return Err(vec![DataError::file(&file_name, "the file is empty: expected a header line").at(1, 1)]);
        }
        let mut errors = Vec::new();
        for (i, name) in header.iter().enumerate() {
            if columns.contains(&name.as_str()) && header[..i].contains(name) {
                errors.push(
                    DataError::file(&file_name, format!("column `{name}` appears twice")).at(1, i + 1).field(name),
                );
            }
        }
        let mut positions = Vec::with_capacity(columns.len());
        for &column in columns {
            match header.iter().position(|h| h == column) {
                Some(p) => positions.push(p),
                None => errors.push(missing_column(&file_name, &header, columns, column)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Table { file: file_name, header, reader, columns, positions, record: ByteRecord::new(), rows: 0, errors })
    }

    /// The next well-formed row, or `None` at the end of the file. A row whose number of
    /// fields differs from the header's (a truncated or garbled line) is reported and
    /// skipped; so is an I/O error, which ends the file.
    pub fn next_row(&mut self) -> Option<Row<'_>> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    self.errors.push(DataError::file(&self.file, e.to_string()).at(line, 1));
                    return None;
                }
                Ok(true) => {}
            }
            if self.record.len() == 1 && self.record[0].trim_ascii().is_empty() {
                continue; // a blank line (in a CRLF file, a lone `\r`)
            }
            self.rows += 1;
            let line = self.record.position().map_or(0, |p| p.line() as usize);
            // No field of these datasets holds a NUL: one means the file is damaged, or
            // is not text at all.
            if let Some(position) = self.record.iter().position(|field| field.contains(&0)) {
                let e = DataError::file(&self.file, "a NUL byte (0x00): the file is damaged or not a CSV text file")
                    .at(line, position + 1);
                self.errors.push(e.field(self.header.get(position).map_or("", String::as_str)));
                continue;
            }
            let (got, want) = (self.record.len(), self.header.len());
            if got != want {
                let column = got.min(want) + 1;
                let mut e = DataError::file(
                    &self.file,
                    format!("the row has {got} fields but the header has {want}: a truncated or garbled line"),
                )
                .at(line, column);
                if got < want {
                    e = e.field(&self.header[got]);
                }
                self.errors.push(e);
                continue;
            }
            return Some(Row {
                file: &self.file,
                line,
                record: &self.record,
                header: &self.header,
                columns: self.columns,
                positions: &self.positions,
                errors: &mut self.errors,
                failed: false,
            });
        }
    }

    /// Where a declared column sits in a record.
    pub fn position(&self, column: &str) -> usize {
        let i = self.columns.iter().position(|c| *c == column);
        self.positions[i.unwrap_or_else(|| panic!("column `{column}` was not declared by this reader"))]
    }

    /// Reports a problem found across rows (a duplicate key) at `line`, in `column`.
    pub fn error(&mut self, line: usize, column: &str, message: impl Into<String>) {
        self.error_at(line, self.position(column), message);
    }

    pub fn error_at(&mut self, line: usize, position: usize, message: impl Into<String>) {
        let e = DataError::file(&self.file, message).at(line, position + 1).field(&self.header[position]);
        self.errors.push(e);
    }

    /// Reads whatever the parser left unread (so the hash covers the whole file) and
    /// returns the file's provenance with every problem found.
    pub fn finish(self, dataset: &str, version: &str) -> (DatasetFile, Vec<DataError>) {
        let mut tap = self.reader.into_inner();
        let mut errors = self.errors;
        // Problems found across rows come after the rows' own; report them in file order.
        errors.sort_by_key(|e| (e.line, e.column));
        if let Err(e) = io::copy(&mut tap, &mut io::sink()) {
            errors.push(DataError::file(&self.file, format!("cannot read: {e}")));
        }
        let sha256 = tap.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let file = DatasetFile {
            dataset: dataset.to_owned(),
            version: version.to_owned(),
            path: self.file,
            sha256,
            rows: self.rows,
            imported_at: None,
        };
        (file, errors)
    }
}

/// Names the missing column and, when the header has a column of a similar name that
/// nobody asked for, points at it: a misspelt column is the usual cause.
fn missing_column(file: &str, header: &[String], columns: &[&str], column: &str) -> DataError {
    let near = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !columns.contains(&h.as_str()))
        .map(|(i, h)| (strsim::jaro_winkler(&h.to_lowercase(), &column.to_lowercase()), i, h))
        .filter(|(score, ..)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match near {
        Some((_, i, h)) => {
            DataError::file(file, format!("missing column `{column}`; column {} is `{h}`: misspelt?", i + 1))
                .at(1, i + 1)
                .field(column)
        }
        None => {
            let e = DataError::file(file, format!("missing column `{column}`"));
            DataError { line: Some(1), ..e }.field(column)
        }
    }
}

/// Text as the publishers write it: UTF-8, or Windows-1252 for files saved from Excel
/// (SIPRI's "Côte d’Ivoire" arrives as byte 0x92).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// One record of a [`Table`]. Parsers report a bad field and return a default, marking
/// the row failed; the caller checks [`Row::failed`] before using the values.
pub struct Row<'t> {
    file: &'t str,
    pub line: usize,
    record: &'t ByteRecord,
    header: &'t [String],
    columns: &'static [&'static str],
    positions: &'t [usize],
    errors: &'t mut Vec<DataError>,
    failed: bool,
}

impl<'t> Row<'t> {
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// Where a declared column sits in the record.
    pub fn position(&self, column: &str) -> usize {
        let i = self.columns.iter().position(|c| *c == column);
        self.positions[i.unwrap_or_else(|| panic!("column `{column}` was not declared by this reader"))]
    }

    /// The field at `position`, trimmed of surrounding whitespace.
    pub fn raw_at(&self, position: usize) -> &'t [u8] {
        self.record.get(position).unwrap_or_default().trim_ascii()
    }

    pub fn raw(&self, column: &str) -> &'t [u8] {
        self.raw_at(self.position(column))
    }

    pub fn is_blank(&self, column: &str) -> bool {
        self.raw(column).is_empty()
    }

    pub fn text(&self, column: &str) -> Cow<'t, str> {
        decode(self.raw(column))
    }

    /// A hash of the whole record, to tell a row entered twice from two rows that share
    /// a key.
    pub fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for field in self.record {
            std::hash::Hash::hash(field, &mut h);
        }
        std::hash::Hasher::finish(&h)
    }

    /// Reports a problem with the field at `position` and marks the row failed.
    pub fn error_at(&mut self, position: usize, message: impl Into<String>) {
        self.failed = true;
        let e = DataError::file(self.file, message).at(self.line, position + 1).field(&self.header[position]);
        self.errors.push(e);
    }

    pub fn error(&mut self, column: &str, message: impl Into<String>) {
        self.error_at(self.position(column), message);
    }

    /// A whole number within `range`.
    pub fn int<T: TryFrom<i64> + Default>(&mut self, column: &str, range: RangeInclusive<i64>) -> T {
        self.int_at(self.position(column), range)
    }

    pub fn int_at<T: TryFrom<i64> + Default>(&mut self, position: usize, range: RangeInclusive<i64>) -> T {
        let raw = self.raw_at(position);
        let parsed = std::str::from_utf8(raw).ok().and_then(|s| s.parse::<i64>().ok());
        match parsed {
            Some(v) if range.contains(&v) => T::try_from(v).unwrap_or_default(),
            Some(v) => {
                self.error_at(position, format!("{v} is outside {}..={}", range.start(), range.end()));
                T::default()
            }
            None => {
                self.error_at(position, format!("{} is not a whole number", quote(raw)));
                T::default()
            }
        }
    }

    /// A whole number within `range`, or `None` for a blank field.
    pub fn opt_int<T: TryFrom<i64> + Default>(&mut self, column: &str, range: RangeInclusive<i64>) -> Option<T> {
        (!self.is_blank(column)).then(|| self.int(column, range))
    }

    /// A year of the state-system era.
    pub fn year(&mut self, column: &str) -> i32 {
        self.int(column, YEARS)
    }

    /// `0` or `1`.
    pub fn flag(&mut self, column: &str) -> bool {
        match self.raw(column) {
            b"0" => false,
            b"1" => true,
            other => {
                let message = format!("{} is not 0 or 1", quote(other));
                self.error(column, message);
                false
            }
        }
    }

    /// A number ≥ 0 at `position`, or `None` for a blank field.
    pub fn amount_at(&mut self, position: usize) -> Option<f64> {
        let raw = self.raw_at(position);
        if raw.is_empty() {
            return None;
        }
        match std::str::from_utf8(raw).ok().and_then(|s| s.parse::<f64>().ok()) {
            Some(v) if v.is_finite() && v >= 0.0 => Some(v),
            Some(v) => {
                self.error_at(position, format!("{v} is not a non-negative amount"));
                None
            }
            None => {
                self.error_at(position, format!("{} is not a number", quote(raw)));
                None
            }
        }
    }

    pub fn amount(&mut self, column: &str) -> Option<f64> {
        self.amount_at(self.position(column))
    }

    /// A calendar date from year, month and day columns; a blank day is unknown (0).
    pub fn ymd(&mut self, year: &str, month: &str, day: &str) -> Ymd {
        let y = self.year(year);
        let m = self.int(month, 1..=12);
        let d = if self.is_blank(day) { 0 } else { self.int(day, 1..=31) };
        let date = Ymd::new(y, m, d);
        if !self.failed && !date.is_valid() {
            self.error(day, format!("{y}-{m:02}-{d:02} is not a day of the calendar"));
        }
        date
    }

    /// An end date, where a year of 0 means "not ended" (month and day then 0 or blank).
    pub fn end_ymd(&mut self, year: &str, month: &str, day: &str) -> Option<Ymd> {
        if self.raw(year) != b"0" {
            return Some(self.ymd(year, month, day));
        }
        for column in [month, day] {
            if !matches!(self.raw(column), b"" | b"0") {
                let message =
                    format!("{} given for an end that has not happened ({year} is 0)", quote(self.raw(column)));
                self.error(column, message);
            }
        }
        None
    }
}

/// A cell quoted for an error message, cut short when long.
pub fn quote(raw: &[u8]) -> String {
    let text = decode(raw);
    if text.chars().count() > QUOTE_MAX {
        format!("`{}…`", text.chars().take(QUOTE_MAX).collect::<String>())
    } else {
        format!("`{text}`")
    }
}
