//! What the benchmarks share.

/// Peak resident memory of this process so far, in MB (Linux).
pub fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Record batches written to a Parquet file as they come (encoded on a second thread, as
/// `pactbase panel` does), counted.
pub struct ParquetOut {
    path: std::path::PathBuf,
    writer: Option<pactbase_export::BackgroundWriter<std::io::BufWriter<std::fs::File>>>,
    pub rows: usize,
}

impl ParquetOut {
    pub fn new(path: &std::path::Path) -> Self {
        ParquetOut { path: path.to_owned(), writer: None, rows: 0 }
    }

    pub fn write(&mut self, batch: arrow_array::RecordBatch) -> Result<(), pactbase_export::ExportError> {
        self.rows += batch.num_rows();
        let w = match &mut self.writer {
            Some(w) => w,
            None => self.writer.insert(pactbase_export::BackgroundWriter::new(pactbase_export::BatchWriter::new(
                pactbase_export::TableFormat::Parquet,
                std::io::BufWriter::new(std::fs::File::create(&self.path).unwrap()),
                batch.schema(),
            )?)),
        };
        w.write(batch)
    }

    /// Closes the file; returns the rows written.
    pub fn finish(self) -> usize {
        if let Some(w) = self.writer {
            w.finish().unwrap();
        }
        self.rows
    }
}
