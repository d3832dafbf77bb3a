//! One CSV file of a research dataset, streamed: the header is checked by column name,
//! every field is parsed where it stands so that a problem is reported with its line,
//! column and field, and the bytes are hashed on the way through for provenance.
//!
//! Each reader declares its columns once, with what each can hold ([`Column`],
//! [`Holds`]): a range of codes, the years the dataset covers, a flag, an amount up to a
//! plausible magnitude in its unit. The typed getters of [`Row`] check every cell
//! against its column's declaration, so a file whose column names were swapped or
//! mistyped is refused rather than imported with values in the wrong fields. Only the
//! first [`CELLS_LISTED`] refused cells of a column are listed, with a count of the rest.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::ops::RangeInclusive;
use std::path::Path;

use csv::ByteRecord;
use pactbase_model::research::{Dataset, DatasetFile, Ymd};
use sha2::{Digest, Sha256};

use crate::DataError;

/// Told how many more bytes of input have been read, so that a caller can draw progress.
pub type Progress<'a> = &'a dyn Fn(u64);

/// Years a state-system dataset may mention.
pub const YEARS: RangeInclusive<i64> = 1815..=2030;

/// How many refused cells of one column are listed; the rest are counted.
pub const CELLS_LISTED: usize = 5;

/// What the cells of a column can hold, when they are not blank.
#[derive(Debug, Clone, PartialEq)]
pub enum Holds {
    /// Text as written: names, ids, versions.
    Text,
    /// A whole number in the range: codes, ids, months, days.
    Int(RangeInclusive<i64>),
    /// A year the dataset covers.
    Year(RangeInclusive<i64>),
    /// A calendar date written `YYYY-MM-DD`, in the state-system era ([`YEARS`]).
    Date,
    /// A number in the range that may be negative or fractional: coordinates, distances.
    Number(RangeInclusive<f64>),
    /// `0` or `1`.
    Flag,
    /// `1` for yes, blank (or `0`) for no.
    Mark,
    /// A number in the range: from a floor every state has (0, or more: every state has
    /// people) to a ceiling above what any state has had, in the column's unit (the second
    /// field, for messages), so that a column of another magnitude is refused.
    Amount(RangeInclusive<f64>, &'static str),
}

/// A column a reader needs: its name in the header and what its cells can hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: &'static str,
    pub holds: Holds,
}

impl Column {
    pub const fn new(name: &'static str, holds: Holds) -> Self {
        Column { name, holds }
    }
}

/// Refused cells per column (`None`: rows of the wrong shape), so that a swapped column
/// is listed by its first cells and a count, not a line per row.
#[derive(Default)]
struct Refusals {
    listed: Vec<DataError>,
    counts: HashMap<Option<usize>, usize>,
}

impl Refusals {
    fn push(&mut self, position: Option<usize>, e: DataError) {
        let count = self.counts.entry(position).or_default();
        *count += 1;
        if *count <= CELLS_LISTED {
            self.listed.push(e);
        }
    }
}

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
    /// The header's line and names, decoded and trimmed.
    pub header_line: usize,
    /// Rows of empty fields (of any number) are blank lines: spreadsheet exports pad
    /// their blank lines with commas.
    empty_rows_are_blank: bool,
    pub header: Vec<String>,
    reader: csv::Reader<Tap<'p>>,
    /// The columns this reader asked for, and where each one sits in a record.
    columns: &'static [Column],
    positions: Vec<usize>,
    record: ByteRecord,
    rows: usize,
    refusals: Refusals,
}

impl<'p> Table<'p> {
    /// Opens `path` and checks that its header has each of `columns` exactly once (other
    /// columns are allowed and skipped). Problems with the file or its header come back at
    /// once, since no row can be read without them.
    pub fn open(path: &Path, columns: &'static [Column], progress: Progress<'p>) -> Result<Self, Vec<DataError>> {
        let (file_name, mut reader) = Self::reader(path, progress, true)?;
        let header: Vec<String> = match reader.byte_headers() {
            Ok(h) => h.iter().map(|name| decode(name).trim_start_matches('\u{feff}').trim().to_owned()).collect(),
            Err(e) => return Err(vec![DataError::file(&file_name, e.to_string()).at(1, 1)]),
        };
        if header.iter().all(String::is_empty) {
            return Err(vec![DataError::file(&file_name, "the file is empty: expected a header line").at(1, 1)]);
        }
        Self::with_header(file_name, 1, header, reader, columns)
    }

    /// Opens a file whose header comes after lines of notes (SIPRI's exports put a title,
    /// notes and the date of the export above their table). The header is the first
    /// record `is_header` accepts; the records before it come back decoded and trimmed.
    /// Such exports pad blank lines with commas: rows of empty fields are skipped.
    /// `missing` says what header was expected when no record is one.
    pub fn open_after_notes(
        path: &Path,
        columns: &'static [Column],
        progress: Progress<'p>,
        is_header: impl Fn(&[String]) -> bool,
        missing: &str,
    ) -> Result<(Self, Vec<Vec<String>>), Vec<DataError>> {
        let (file_name, mut reader) = Self::reader(path, progress, false)?;
        let mut notes = Vec::new();
        let mut record = ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => return Err(vec![DataError::file(&file_name, missing).at(1, 1)]),
                Err(e) => {
                    let line = e.position().map_or(1, |p| p.line() as usize);
                    return Err(vec![DataError::file(&file_name, e.to_string()).at(line, 1)]);
                }
            }
            let fields: Vec<String> =
                record.iter().map(|f| decode(f).trim_start_matches('\u{feff}').trim().to_owned()).collect();
            if is_header(&fields) {
                let line = record.position().map_or(1, |p| p.line() as usize);
                let mut table = Self::with_header(file_name, line, fields, reader, columns)?;
                table.empty_rows_are_blank = true;
                return Ok((table, notes));
            }
            notes.push(fields);
        }
    }

    fn reader(
        path: &Path,
        progress: Progress<'p>,
        has_headers: bool,
    ) -> Result<(String, csv::Reader<Tap<'p>>), Vec<DataError>> {
        let file_name = path.display().to_string();
        let file = File::open(path).map_err(|e| vec![DataError::unreadable(&file_name, "cannot open", &e)])?;
        let tap = Tap { file, hasher: Sha256::new(), progress };
        // Records end at `\n` only: with the default CRLF terminator the csv crate counts
        // lines one short in CRLF files (ATOP's), and errors must name the right line. The
        // `\r` left at the end of a line's last field is trimmed like other whitespace.
        let reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(has_headers)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(tap);
        Ok((file_name, reader))
    }

    /// Checks that `header`, on line `header_line`, has each of `columns` exactly once.
    fn with_header(
        file_name: String,
        header_line: usize,
        header: Vec<String>,
        reader: csv::Reader<Tap<'p>>,
        columns: &'static [Column],
    ) -> Result<Self, Vec<DataError>> {
        let mut errors = Vec::new();
        let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
        for (i, name) in header.iter().enumerate() {
            if names.contains(&name.as_str()) && header[..i].contains(name) {
                errors.push(
                    DataError::file(&file_name, format!("column `{name}` appears twice"))
                        .at(header_line, i + 1)
                        .field(name),
                );
            }
        }
        let mut positions = Vec::with_capacity(columns.len());
        for &column in &names {
            match header.iter().position(|h| h == column) {
                Some(p) => positions.push(p),
                None => errors.push(missing_column(&file_name, header_line, &header, &names, column)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Table {
            file: file_name,
            header_line,
            empty_rows_are_blank: false,
            header,
            reader,
            columns,
            positions,
            record: ByteRecord::new(),
            rows: 0,
            refusals: Refusals::default(),
        })
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
                    let error = match e.kind() {
                        csv::ErrorKind::Io(io) => DataError::unreadable(&self.file, "cannot read", io),
                        _ => DataError::file(&self.file, e.to_string()),
                    };
                    self.refusals.push(None, error.at(line, 1));
                    return None;
                }
                Ok(true) => {}
            }
            if self.record.len() == 1 && self.record[0].trim_ascii().is_empty() {
                continue; // a blank line (in a CRLF file, a lone `\r`)
            }
            if self.empty_rows_are_blank && self.record.iter().all(|f| f.trim_ascii().is_empty()) {
                continue;
            }
            self.rows += 1;
            let line = self.record.position().map_or(0, |p| p.line() as usize);
            // No field of these datasets holds a NUL: one means the file is damaged, or
            // is not text at all.
            if let Some(position) = self.record.iter().position(|field| field.contains(&0)) {
                let e = DataError::file(&self.file, "a NUL byte (0x00): the file is damaged or not a CSV text file")
                    .at(line, position + 1);
                self.refusals.push(None, e.field(self.header.get(position).map_or("", String::as_str)));
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
                self.refusals.push(None, e);
                continue;
            }
            return Some(Row {
                file: &self.file,
                line,
                record: &self.record,
                header: &self.header,
                columns: self.columns,
                positions: &self.positions,
                refusals: &mut self.refusals,
                failed: false,
            });
        }
    }

    /// Where a declared column sits in a record.
    pub fn position(&self, column: &str) -> usize {
        self.positions[declared(self.columns, column)]
    }

    /// Reports a problem found across rows (a duplicate key) at `line`, in `column`.
    pub fn error(&mut self, line: usize, column: &str, message: impl Into<String>) {
        self.error_at(line, self.position(column), message);
    }

    pub fn error_at(&mut self, line: usize, position: usize, message: impl Into<String>) {
        let e = DataError::file(&self.file, message).at(line, position + 1).field(&self.header[position]);
        self.refusals.push(Some(position), e);
    }

    /// Reads whatever the parser left unread (so the hash covers the whole file) and
    /// returns the file's provenance with every problem found: the first refused cells of
    /// each column, then how many more each column has.
    pub fn finish(self, dataset: Dataset, version: &str) -> (DatasetFile, Vec<DataError>) {
        let mut tap = self.reader.into_inner();
        let mut errors = self.refusals.listed;
        // Problems found across rows come after the rows' own; report them in file order.
        errors.sort_by_key(|e| (e.line, e.column));
        let mut more: Vec<(Option<usize>, usize)> =
            self.refusals.counts.into_iter().filter(|&(_, n)| n > CELLS_LISTED).collect();
        more.sort_unstable();
        for (position, count) in more {
            let rest = count - CELLS_LISTED;
            let e = match position {
                Some(p) => DataError::file(
                    &self.file,
                    format!(
                        "{rest} more cells of this column are refused ({count} in all): is this the column its \
                         header names, or were two columns swapped?"
                    ),
                )
                .at(1, p + 1)
                .field(&self.header[p]),
                None => DataError::file(&self.file, format!("{rest} more rows are garbled ({count} in all)")),
            };
            errors.push(e);
        }
        if let Err(e) = io::copy(&mut tap, &mut io::sink()) {
            errors.push(DataError::unreadable(&self.file, "cannot read", &e));
        }
        let sha256 = tap.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let file = DatasetFile {
            dataset,
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
fn missing_column(file: &str, line: usize, header: &[String], columns: &[&str], column: &str) -> DataError {
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
                .at(line, i + 1)
                .field(column)
        }
        None => {
            let e = DataError::file(file, format!("missing column `{column}`"));
            DataError { line: Some(line), ..e }.field(column)
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
    columns: &'static [Column],
    positions: &'t [usize],
    refusals: &'t mut Refusals,
    failed: bool,
}

/// The index of `column` among a reader's declared columns.
fn declared(columns: &[Column], column: &str) -> usize {
    columns
        .iter()
        .position(|c| c.name == column)
        .unwrap_or_else(|| panic!("column `{column}` was not declared by this reader"))
}

impl<'t> Row<'t> {
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// Where a declared column sits in the record.
    pub fn position(&self, column: &str) -> usize {
        self.positions[declared(self.columns, column)]
    }

    /// What a declared column holds.
    fn holds(&self, column: &str) -> &'static Holds {
        &self.columns[declared(self.columns, column)].holds
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
        self.refusals.push(Some(position), e);
    }

    pub fn error(&mut self, column: &str, message: impl Into<String>) {
        self.error_at(self.position(column), message);
    }

    /// A whole number as its column declares it ([`Holds::Int`] or [`Holds::Year`]).
    pub fn int<T: TryFrom<i64> + Default>(&mut self, column: &str) -> T {
        self.int_at(self.position(column), self.holds(column))
    }

    /// A whole number at `position`, which holds what `holds` says (columns found by
    /// their header's shape, like ATOP's `mem1` … `mem59`).
    pub fn int_at<T: TryFrom<i64> + Default>(&mut self, position: usize, holds: &Holds) -> T {
        let (range, what) = match holds {
            Holds::Int(range) => (range, ""),
            Holds::Year(range) => (range, ", the years this dataset covers"),
            other => panic!("a whole number read from a column declared as {other:?}"),
        };
        let raw = self.raw_at(position);
        let parsed = std::str::from_utf8(raw).ok().and_then(|s| s.parse::<i64>().ok());
        match parsed {
            Some(v) if range.contains(&v) => T::try_from(v).unwrap_or_default(),
            Some(v) => {
                self.error_at(position, format!("{v} is outside {}..={}{what}", range.start(), range.end()));
                T::default()
            }
            None => {
                self.error_at(position, format!("{} is not a whole number", quote(raw)));
                T::default()
            }
        }
    }

    /// A whole number as its column declares it, or `None` for a blank field.
    pub fn opt_int<T: TryFrom<i64> + Default>(&mut self, column: &str) -> Option<T> {
        (!self.is_blank(column)).then(|| self.int(column))
    }

    /// A year its column's dataset covers.
    pub fn year(&mut self, column: &str) -> i32 {
        self.int(column)
    }

    /// An ISO calendar date, `YYYY-MM-DD` ([`Holds::Date`]), with a year of the
    /// state-system era.
    pub fn date(&mut self, column: &str) -> Ymd {
        if !matches!(self.holds(column), Holds::Date) {
            panic!("a date read from column `{column}` declared as {:?}", self.holds(column));
        }
        let raw = self.raw(column);
        let parts: Vec<Option<i64>> = raw
            .split(|&b| b == b'-')
            .map(|p| std::str::from_utf8(p).ok().filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())))
            .map(|p| p.and_then(|s| s.parse().ok()))
            .collect();
        let date = match parts[..] {
            [Some(y), Some(m), Some(d)] if YEARS.contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) => {
                Ymd::new(y as i32, m as u8, d as u8)
            }
            _ => {
                let message =
                    format!("{} is not a date YYYY-MM-DD from {} to {}", quote(raw), YEARS.start(), YEARS.end());
                self.error(column, message);
                return Ymd::new(0, 1, 1);
            }
        };
        if !date.is_valid() {
            self.error(column, format!("{date} is not a day of the calendar"));
        }
        date
    }

    /// A number as its column declares it ([`Holds::Number`]: coordinates, distances).
    pub fn float(&mut self, column: &str) -> f64 {
        let range = match self.holds(column) {
            Holds::Number(range) => range,
            other => panic!("a number read from column `{column}` declared as {other:?}"),
        };
        let raw = self.raw(column);
        match std::str::from_utf8(raw).ok().and_then(|s| s.parse::<f64>().ok()) {
            Some(v) if range.contains(&v) => v,
            Some(v) => {
                self.error(column, format!("{v} is outside {}..={}", range.start(), range.end()));
                0.0
            }
            None => {
                let message = format!("{} is not a number", quote(raw));
                self.error(column, message);
                0.0
            }
        }
    }

    /// A [`Holds::Flag`] (`0` or `1`) or [`Holds::Mark`] (`1`, or blank or `0`).
    pub fn flag(&mut self, column: &str) -> bool {
        let mark = match self.holds(column) {
            Holds::Flag => false,
            Holds::Mark => true,
            other => panic!("a flag read from column `{column}` declared as {other:?}"),
        };
        match self.raw(column) {
            b"0" => false,
            b"" if mark => false,
            b"1" => true,
            other => {
                let expected = if mark { "1 or blank" } else { "0 or 1" };
                let message = format!("{} is not {expected}", quote(other));
                self.error(column, message);
                false
            }
        }
    }

    /// A number within `range` (in `unit`) at `position`, or `None` for a blank field.
    pub fn amount_at(&mut self, position: usize, range: &RangeInclusive<f64>, unit: &str) -> Option<f64> {
        let raw = self.raw_at(position);
        if raw.is_empty() {
            return None;
        }
        let (min, max) = (*range.start(), *range.end());
        match std::str::from_utf8(raw).ok().and_then(|s| s.parse::<f64>().ok()) {
            Some(v) if v.is_finite() && range.contains(&v) => Some(v),
            Some(v) if v.is_finite() && v > max => {
                self.error_at(
                    position,
                    format!(
                        "{v} is more than {max} {unit}, more than any state has had: is this the column its header names?"
                    ),
                );
                None
            }
            Some(v) if v.is_finite() && v >= 0.0 => {
                self.error_at(
                    position,
                    format!(
                        "{v} is less than {min} {unit}, less than any state has: is this the column its header names?"
                    ),
                );
                None
            }
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

    /// An amount as its column declares it ([`Holds::Amount`]), or `None` for a blank field.
    pub fn amount(&mut self, column: &str) -> Option<f64> {
        match self.holds(column) {
            Holds::Amount(range, unit) => self.amount_at(self.position(column), range, unit),
            other => panic!("an amount read from column `{column}` declared as {other:?}"),
        }
    }

    /// A calendar date from year, month and day columns; a blank day is unknown (0).
    pub fn ymd(&mut self, year: &str, month: &str, day: &str) -> Ymd {
        let y = self.year(year);
        let m = self.int(month);
        let d = if self.is_blank(day) { 0 } else { self.int(day) };
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
