//! Streams Arrow record batches out as CSV, Parquet or JSON. Panels and similarity tables
//! are built batch by batch; writers take each batch as it comes, so a 2-million-row panel
//! never sits in memory whole.

use std::io::Write;

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// RFC 4180 with a header; nulls are empty fields.
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
            Inner::Csv(w) => w.write(batch)?,
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Int32Array, StringArray};
    use arrow_schema::{DataType, Field, Schema};
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
