//! Streams Arrow record batches out as CSV, Parquet or JSON. Panels and similarity tables
//! are built batch by batch; writers take each batch as it comes, so a 2-million-row panel
//! never sits in memory whole.

use std::borrow::Cow;
use std::io::Write;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use arrow_array::{Array, ArrayRef, ListArray, RecordBatch, StringArray};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// RFC 4180 with a header; nulls are empty fields; text cells safe for spreadsheets
    /// ([`spreadsheet_safe`]).
    Csv,
    /// Snappy-compressed Parquet; opens in pyarrow, pandas, polars and R's arrow.
    Parquet,
    /// One JSON array of objects; nulls are `null`.
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Arrow(#[from] ArrowError),
    #[error(transparent)]
    Parquet(#[from] ParquetError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

enum Inner<W: Write + Send> {
    Csv(arrow_csv::Writer<W>),
    Parquet(ArrowWriter<W>),
    Json(arrow_json::ArrayWriter<W>),
}

/// A writer for batches of one schema.
pub struct BatchWriter<W: Write + Send> {
    inner: Inner<W>,
}

impl<W: Write + Send> BatchWriter<W> {
    pub fn new(format: TableFormat, out: W, schema: SchemaRef) -> Result<Self, ExportError> {
        Self::with_metadata(format, out, schema, Vec::new())
    }

    /// A writer whose Parquet file carries `metadata` as key-value pairs (CSV and JSON
    /// have no place for it: the CLI writes a sidecar instead).
    pub fn with_metadata(
        format: TableFormat,
        out: W,
        schema: SchemaRef,
        metadata: Vec<(String, String)>,
    ) -> Result<Self, ExportError> {
        let inner = match format {
            TableFormat::Csv => Inner::Csv(arrow_csv::WriterBuilder::new().with_header(true).build(out)),
            TableFormat::Json => Inner::Json(arrow_json::ArrayWriter::new(out)),
            TableFormat::Parquet => {
                let pairs: Vec<KeyValue> = metadata.into_iter().map(|(k, v)| KeyValue::new(k, v)).collect();
                let props = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .set_key_value_metadata((!pairs.is_empty()).then_some(pairs))
                    .build();
                Inner::Parquet(ArrowWriter::try_new(out, schema, Some(props))?)
            }
        };
        Ok(BatchWriter { inner })
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), ExportError> {
        match &mut self.inner {
            // Lists become text after the text cells are made safe: joined codes are not formulas.
            Inner::Csv(w) => w.write(&lists_as_text(&*spreadsheet_safe_batch(batch)?)?)?,
            Inner::Json(w) => w.write(batch)?,
            Inner::Parquet(w) => w.write(batch)?,
        }
        Ok(())
    }

    /// Completes the file (Parquet footer, JSON closing bracket) and returns the output.
    pub fn finish(self) -> Result<W, ExportError> {
        Ok(match self.inner {
            Inner::Csv(w) => w.into_inner(),
            Inner::Json(mut w) => {
                w.finish()?;
                w.into_inner()
            }
            Inner::Parquet(w) => w.into_inner()?,
        })
    }
}

/// A [`BatchWriter`] on a thread of its own, so that the next batch is built while the
/// last is encoded (Parquet's dictionaries and compression cost about as much as building
/// a panel's rows).
pub struct BackgroundWriter<W: Write + Send + 'static> {
    batches: Option<SyncSender<RecordBatch>>,
    writer: Option<JoinHandle<Result<W, ExportError>>>,
}

impl<W: Write + Send + 'static> BackgroundWriter<W> {
    pub fn new(mut writer: BatchWriter<W>) -> Self {
        let (batches, received) = sync_channel::<RecordBatch>(2);
        let writer = std::thread::spawn(move || {
            for batch in received {
                writer.write(&batch)?;
            }
            writer.finish()
        });
        BackgroundWriter { batches: Some(batches), writer: Some(writer) }
    }

    pub fn write(&mut self, batch: RecordBatch) -> Result<(), ExportError> {
        match self.batches.as_ref().map(|b| b.send(batch)) {
            Some(Ok(())) => Ok(()),
            // The writer stopped on an error: that error is the answer.
            _ => self.join().map(|_| ()),
        }
    }

    /// Waits for every batch to be written and completes the file.
    pub fn finish(mut self) -> Result<W, ExportError> {
        self.join()
    }

    fn join(&mut self) -> Result<W, ExportError> {
        self.batches.take();
        match self.writer.take() {
            Some(writer) => writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Err(ExportError::Io(std::io::Error::other("the output was already closed after an error"))),
        }
    }
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
/// Injection"): `=`, `+`, `-`, `@`, and tab and carriage return, which some spreadsheets
/// skip before one of those.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as CSV for spreadsheets should hold it: a cell that a spreadsheet would
/// run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`) gets a leading `'`, which
/// spreadsheets show as text and do not run. Plain numbers (`-9`, `+1.5`, `-2e3`) are
/// left as they are, so numeric values keep their meaning.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `[+-]digits[.digits][e[+-]digits]`, nothing else (no `inf`, no `nan`).
fn is_plain_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty()) && (digits(fraction) || fraction.is_empty()) && mantissa != "."
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

/// `batch` with its text columns made [`spreadsheet_safe`]; numeric columns untouched.
fn spreadsheet_safe_batch(batch: &RecordBatch) -> Result<Cow<'_, RecordBatch>, ArrowError> {
    let needs = |column: &ArrayRef| {
        column
            .as_any()
            .downcast_ref::<StringArray>()
            .is_some_and(|a| a.iter().flatten().any(|cell| matches!(spreadsheet_safe(cell), Cow::Owned(_))))
    };
    if !batch.columns().iter().any(needs) {
        return Ok(Cow::Borrowed(batch));
    }
    let columns = batch
        .columns()
        .iter()
        .map(|column| match column.as_any().downcast_ref::<StringArray>() {
            Some(text) if column.data_type() == &DataType::Utf8 => {
                let safe: StringArray = text.iter().map(|cell| cell.map(spreadsheet_safe)).collect();
                Arc::new(safe) as ArrayRef
            }
            _ => column.clone(),
        })
        .collect();
    RecordBatch::try_new(batch.schema(), columns).map(Cow::Owned)
}

/// CSV has no lists: a list column becomes its values `;`-joined (`3180;3215`), an empty or
/// null list an empty field.
fn lists_as_text(batch: &RecordBatch) -> Result<RecordBatch, ArrowError> {
    if !batch.schema().fields().iter().any(|f| matches!(f.data_type(), DataType::List(_))) {
        return Ok(batch.clone());
    }
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
        match column.as_any().downcast_ref::<ListArray>() {
            Some(list) => {
                let formatter = ArrayFormatter::try_new(list.values().as_ref(), &FormatOptions::default())?;
                let text: StringArray = (0..list.len())
                    .map(|row| {
                        (list.is_valid(row) && !list.value(row).is_empty()).then(|| {
                            let range = list.value_offsets()[row] as usize..list.value_offsets()[row + 1] as usize;
                            range.map(|i| formatter.value(i).to_string()).collect::<Vec<_>>().join(";")
                        })
                    })
                    .collect();
                fields.push(Field::new(field.name(), DataType::Utf8, true).with_metadata(field.metadata().clone()));
                columns.push(Arc::new(text));
            }
            None => {
                fields.push(field.as_ref().clone());
                columns.push(column.clone());
            }
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
}

#[cfg(test)]
mod tests {
    use arrow_array::builder::{Int32Builder, ListBuilder};
    use arrow_array::{Float64Array, Int32Array};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    use super::*;

    fn batch() -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![
            Field::new("ccode", DataType::Int32, false),
            Field::new("atop_ids", DataType::Utf8, true),
        ]));
        RecordBatch::try_new(
            schema,
            vec![Arc::new(Int32Array::from(vec![2, 770])), Arc::new(StringArray::from(vec![Some("3180;3215"), None]))],
        )
        .unwrap()
    }

    fn written(format: TableFormat) -> Vec<u8> {
        let b = batch();
        let mut w = BatchWriter::new(format, Vec::new(), b.schema()).unwrap();
        w.write(&b).unwrap();
        w.write(&b).unwrap();
        w.finish().unwrap()
    }

    #[test]
    fn csv_has_one_header_and_empty_nulls() {
        let text = String::from_utf8(written(TableFormat::Csv)).unwrap();
        assert_eq!(text, "ccode,atop_ids\n2,3180;3215\n770,\n2,3180;3215\n770,\n");
    }

    /// Issue 20 item 5: text that would run as a formula in a spreadsheet is neutralised
    /// in CSV; numbers, and every other format, are left as they are.
    #[test]
    fn csv_text_cells_never_run_as_formulas() {
        for (cell, safe) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-inf", "'-inf"),
            ("-", "'-"),
            ("-9", "-9"),
            ("+1.5", "+1.5"),
            ("-2e3", "-2e3"),
            ("-.5", "-.5"),
            ("NATO", "NATO"),
            ("3180;3215", "3180;3215"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell:?}");
        }
        let schema = Arc::new(Schema::new(vec![
            Field::new("ccode", DataType::Int32, false),
            Field::new("name", DataType::Utf8, true),
        ]));
        let b = RecordBatch::try_new(
            schema,
            vec![Arc::new(Int32Array::from(vec![-9, 2])), Arc::new(StringArray::from(vec![Some("=1+1"), None]))],
        )
        .unwrap();
        let mut w = BatchWriter::new(TableFormat::Csv, Vec::new(), b.schema()).unwrap();
        w.write(&b).unwrap();
        assert_eq!(String::from_utf8(w.finish().unwrap()).unwrap(), "ccode,name\n-9,'=1+1\n2,\n");
        let mut w = BatchWriter::new(TableFormat::Json, Vec::new(), b.schema()).unwrap();
        w.write(&b).unwrap();
        assert!(String::from_utf8(w.finish().unwrap()).unwrap().contains("\"=1+1\""), "JSON keeps the text");
    }

    #[test]
    fn lists_are_joined_in_csv_and_floats_keep_full_precision() {
        let mut ids = ListBuilder::new(Int32Builder::new());
        ids.values().append_slice(&[3180, 3215]);
        ids.append(true);
        ids.append(false);
        let schema = Arc::new(Schema::new(vec![
            Field::new("atop_ids", DataType::List(Arc::new(Field::new("item", DataType::Int32, true))), true),
            Field::new("x", DataType::Float64, true),
        ]));
        let x = Float64Array::from(vec![0.1 + 0.2, 1.0 / 3.0]);
        let b = RecordBatch::try_new(schema.clone(), vec![Arc::new(ids.finish()), Arc::new(x)]).unwrap();
        let mut w = BatchWriter::new(TableFormat::Csv, Vec::new(), schema).unwrap();
        w.write(&b).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(text, "atop_ids,x\n3180;3215,0.30000000000000004\n,0.3333333333333333\n");
    }

    #[test]
    fn json_is_one_array() {
        let text = String::from_utf8(written(TableFormat::Json)).unwrap();
        assert!(text.starts_with('[') && text.trim_end().ends_with(']'));
        assert_eq!(text.matches("\"ccode\"").count(), 4);
    }

    #[test]
    fn parquet_carries_key_value_metadata() {
        let b = batch();
        let metadata = vec![("pactbase.version".to_owned(), "0.1.0".to_owned())];
        let mut w = BatchWriter::with_metadata(TableFormat::Parquet, Vec::new(), b.schema(), metadata).unwrap();
        w.write(&b).unwrap();
        let bytes = bytes::Bytes::from(w.finish().unwrap());
        let reader = ParquetRecordBatchReaderBuilder::try_new(bytes).unwrap();
        let kv = reader.metadata().file_metadata().key_value_metadata().unwrap();
        assert!(kv.iter().any(|k| k.key == "pactbase.version" && k.value.as_deref() == Some("0.1.0")));
    }

    #[test]
    fn parquet_round_trips_types_and_nulls() {
        let bytes = bytes::Bytes::from(written(TableFormat::Parquet));
        let reader = ParquetRecordBatchReaderBuilder::try_new(bytes).unwrap().build().unwrap();
        let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, 4);
        assert_eq!(batches[0].schema().field(0).data_type(), &DataType::Int32);
        assert_eq!(batches.iter().map(|b| b.column(1).null_count()).sum::<usize>(), 2);
    }
}
