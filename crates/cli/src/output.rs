//! Every command's results leave through here, as a table, CSV or JSON, to standard
//! output or `--output FILE`.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use arrow_array::RecordBatch;
use pactbase_export::{spreadsheet_safe, BackgroundWriter, BatchWriter, TableFormat};
use pactbase_service::provenance::Provenance;
use serde::Serialize;

use crate::cli::Format;
use crate::failure::{Failure, Result};

/// Rows for table and CSV output.
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

pub struct Output {
    pub format: Format,
    pub path: Option<PathBuf>,
    /// Where `batches` writes the provenance sidecar.
    pub provenance: Option<PathBuf>,
}

impl Output {
    /// Table and CSV from `table`, JSON from `json`.
    pub fn tabular(&self, table: &Table, json: &impl Serialize) -> Result {
        self.write(|w, format| match format {
            Format::Table => writeln!(w, "{}", grid(table)),
            Format::Json => json_to(w, json),
            _ => csv(w, table),
        })
    }

    /// A document: `text` for the table format, `table` for CSV, `json` for JSON.
    pub fn document(&self, text: &str, table: &Table, json: &impl Serialize) -> Result {
        self.write(|w, format| match format {
            Format::Table => w.write_all(text.as_bytes()),
            Format::Json => json_to(w, json),
            _ => csv(w, table),
        })
    }

    /// A finished document (GraphML, GEXF) as it is.
    pub fn raw(&self, text: &str) -> Result {
        let write = |w: &mut dyn Write| w.write_all(text.as_bytes());
        let result = match &self.path {
            Some(path) => File::create(path).and_then(|f| {
                let mut w = BufWriter::new(f);
                write(&mut w).and_then(|_| w.flush())
            }),
            None => write(&mut io::stdout().lock()),
        };
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        }
    }

    /// Streams record batches (panels, similarity) as CSV (also for `table`), JSON or
    /// Parquet, which carries `provenance` as key-value metadata (also written to the
    /// `--provenance` sidecar). `build` hands each batch to the sink as it is made.
    pub fn batches(
        &self,
        provenance: &Provenance,
        build: impl FnOnce(&mut dyn FnMut(RecordBatch) -> Result) -> Result,
    ) -> Result {
        if let Some(path) = &self.provenance {
            let file = File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            let mut w = BufWriter::new(file);
            json_to(&mut w, provenance)?;
            w.flush()?;
        }
        let format = match self.format {
            Format::Table | Format::Csv => TableFormat::Csv,
            Format::Json => TableFormat::Json,
            Format::Parquet if self.path.is_none() && io::stdout().is_terminal() => return Err(Failure::Usage(
                "Parquet is binary and standard output is a terminal: add --output FILE.parquet, or pipe the output"
                    .into(),
            )),
            Format::Parquet => TableFormat::Parquet,
            other => return Err(unsupported(other, "csv, json or parquet")),
        };
        let sink: Box<dyn Write + Send> = match &self.path {
            Some(path) => {
                Box::new(File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?)
            }
            None => Box::new(io::stdout()),
        };
        let mut out = Some(BufWriter::with_capacity(1 << 20, sink));
        let mut writer = None;
        let result = build(&mut |batch: RecordBatch| {
            if writer.is_none() {
                let out = out.take().expect("one writer per output");
                let batches = BatchWriter::with_metadata(format, out, batch.schema(), provenance.key_values())?;
                writer = Some(BackgroundWriter::new(batches));
            }
            writer.as_mut().expect("created above").write(batch)?;
            Ok(())
        })
        .and_then(|()| match writer {
            Some(w) => Ok(w.finish()?.flush()?),
            None => Ok(()),
        });
        match result {
            Err(Failure::Other(e)) if broken_pipe(&e) => Ok(()),
            other => other,
        }
    }

    fn write(&self, body: impl FnOnce(&mut dyn Write, Format) -> io::Result<()>) -> Result {
        if matches!(self.format, Format::Parquet | Format::Graphml | Format::Gexf | Format::Md) {
            return Err(unsupported(self.format, "table, csv or json"));
        }
        let result = match &self.path {
            Some(path) => {
                let file = File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                let mut w = BufWriter::new(file);
                body(&mut w, self.format).and_then(|_| w.flush())
            }
            None => {
                let mut w = BufWriter::new(io::stdout().lock());
                body(&mut w, self.format).and_then(|_| w.flush())
            }
        };
        match result {
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        }
    }
}

/// Widest a table cell gets before it is cut with `…` (CSV and JSON are never cut).
const MAX_CELL: usize = 60;

/// Renders `table` as aligned plain-text columns under an underlined header.
/// A reader that stopped early (`| head`): the writers wrap the I/O error in their own.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe))
        || e.to_string().contains("Broken pipe")
}

fn unsupported(format: Format, choices: &str) -> Failure {
    let name = format!("{format:?}").to_lowercase();
    Failure::Usage(format!("--format {name} does not apply to this command; use {choices}"))
}

pub fn grid(table: &Table) -> String {
    let cut = |cell: &str| -> String {
        if cell.chars().count() > MAX_CELL {
            cell.chars().take(MAX_CELL - 1).chain(['…']).collect()
        } else {
            cell.to_owned()
        }
    };
    let rows: Vec<Vec<String>> = table.rows.iter().map(|r| r.iter().map(|c| cut(c)).collect()).collect();
    let mut widths: Vec<usize> = table.headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let padded: Vec<String> = cells.zip(&widths).map(|(c, &w)| format!("{c:<w$}")).collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = line(&mut table.headers.iter().copied());
    out.push('\n');
    out.push_str(&widths.iter().map(|&w| "─".repeat(w)).collect::<Vec<_>>().join("  "));
    for row in &rows {
        out.push('\n');
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

/// CSV for spreadsheets as well as programs: a text cell that a spreadsheet would run as
/// a formula is neutralised with a leading `'` (`pactbase_export::spreadsheet_safe`);
/// numbers are written as they are.
fn csv(w: &mut dyn Write, table: &Table) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(&table.headers)?;
    for row in &table.rows {
        out.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()))?;
    }
    out.flush()
}

fn json_to(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}

/// `;`-joins displayable values for CSV and table cells.
pub fn joined<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    items.into_iter().map(|i| i.to_string()).collect::<Vec<_>>().join(";")
}
