//! Results as Python objects: tables as `pyarrow.Table`s whose buffers pyarrow takes over
//! through the Arrow C data interface (no copy), documents as the dicts of the CLI's JSON.

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_json::ReaderBuilder;
use arrow_pyarrow::{IntoPyArrow, Table};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema, SchemaRef};
use pactbase_analysis::impact::RelativeYear;
use pactbase_analysis::recommend::Partner;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use serde::Serialize;

/// Rows as the CLI's JSON has them, decoded into one record batch of `schema`; a field
/// the schema does not name is an error, so the two cannot drift apart unnoticed.
pub fn from_rows<T: Serialize>(schema: SchemaRef, rows: &[T]) -> Result<RecordBatch, ArrowError> {
    let mut decoder = ReaderBuilder::new(schema.clone()).with_strict_mode(true).build_decoder()?;
    decoder.serialize(rows)?;
    Ok(decoder.flush()?.unwrap_or_else(|| RecordBatch::new_empty(schema)))
}

/// `batches` as one `pyarrow.Table` of `schema` (whose metadata it keeps), marked so that
/// pandas reads its integer columns as nullable integers.
pub fn to_python(py: Python<'_>, schema: SchemaRef, batches: Vec<RecordBatch>) -> PyResult<Py<PyAny>> {
    let batches = batches
        .into_iter()
        .map(|b| b.with_schema(schema.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let table = Table::try_new(batches, schema).map_err(|e| PyValueError::new_err(e.to_string()))?;
    static NULLABLE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let nullable =
        NULLABLE.get_or_try_init(py, || py.import("pactbase._pandas")?.getattr("nullable").map(Bound::unbind))?;
    nullable.call1(py, (table.into_pyarrow(py)?,))
}

/// `value` as the Python object of its JSON (dicts, lists, str, int, float, None).
pub fn to_dict(py: Python<'_>, value: &impl Serialize) -> PyResult<Py<PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || py.import("json")?.getattr("loads").map(Bound::unbind))?;
    let text = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    loads.call1(py, (text,))
}

/// `schema` carrying `metadata` (the provenance of the CLI's Parquet files).
pub fn with_metadata(schema: SchemaRef, metadata: Vec<(String, String)>) -> SchemaRef {
    Arc::new(schema.as_ref().clone().with_metadata(metadata.into_iter().collect::<std::collections::HashMap<_, _>>()))
}

fn list(name: &str, item: DataType) -> Field {
    Field::new_list(name, Field::new_list_field(item, false), false)
}

/// The agreements listing: the fields of `pactbase agreements --format json`.
pub fn agreements() -> SchemaRef {
    use DataType::{Boolean, Int32, Utf8};
    Arc::new(Schema::new(vec![
        Field::new("id", Utf8, false),
        Field::new("name", Utf8, false),
        Field::new("label", Utf8, false),
        list("short_names", Utf8),
        Field::new("kinds", Utf8, false),
        Field::new("signed", Utf8, false),
        Field::new("in_force", Utf8, true),
        Field::new("ended", Utf8, true),
        Field::new("status", Utf8, false),
        Field::new("atopid", Int32, true),
        Field::new("bilateral", Boolean, false),
        list("members", Int32),
        Field::new("parties", Utf8, false),
        list("non_state_parties", Utf8),
    ]))
}

/// One candidate partner of `pactbase recommend`, with its rank.
#[derive(Serialize)]
pub struct Ranked<'a> {
    pub rank: usize,
    #[serde(flatten)]
    pub partner: &'a Partner,
}

/// Candidate partners: rank, partner (COW code), name, score, reasons and cautions in
/// words, and the model's statistics (baseline log-odds and every feature's
/// contribution), as `pactbase recommend --format json`.
pub fn recommendations() -> SchemaRef {
    use DataType::{Float64, Int32, Utf8};
    let contribution = Fields::from(vec![
        Field::new("feature", Utf8, false),
        Field::new("value", Float64, true),
        Field::new("standardised", Float64, false),
        Field::new("contribution", Float64, false),
        Field::new("explanation", Utf8, false),
    ]);
    let evidence = Fields::from(vec![
        list("common_allies", Int32),
        list("shared_rivals", Int32),
        Field::new("subregion", Utf8, true),
        Field::new("region", Utf8, true),
        Field::new("joint_exercises", Int32, true),
        Field::new("last_allied", Int32, true),
    ]);
    let flag = Fields::from(vec![
        Field::new("kind", Utf8, false),
        Field::new("by", Int32, true),
        Field::new("of", Int32, true),
    ]);
    let statistics = Fields::from(vec![
        Field::new("partner", Int32, false),
        Field::new("score", Float64, false),
        Field::new("baseline", Float64, false),
        list("contributions", DataType::Struct(contribution)),
        Field::new("evidence", DataType::Struct(evidence), false),
        list("flags", DataType::Struct(flag)),
    ]);
    Arc::new(Schema::new(vec![
        Field::new("rank", Int32, false),
        Field::new("partner", Int32, false),
        Field::new("name", Utf8, false),
        Field::new("score", Float64, false),
        list("reasons", Utf8),
        list("cautions", Utf8),
        Field::new("statistics", DataType::Struct(statistics), false),
    ]))
}

/// One relative year of an event study: the columns of `pactbase impact --format csv`
/// and the reference and binned flags.
#[derive(Serialize)]
pub struct RelativeYearRow {
    relative_year: i32,
    estimate: Option<f64>,
    std_error: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
    treated: usize,
    comparison: usize,
    reference: bool,
    binned: bool,
}

impl From<&RelativeYear> for RelativeYearRow {
    fn from(r: &RelativeYear) -> Self {
        let e = r.estimate.as_ref();
        RelativeYearRow {
            relative_year: r.relative_year,
            estimate: e.map(|e| e.value),
            std_error: e.map(|e| e.std_error),
            ci_low: e.map(|e| e.ci_low),
            ci_high: e.map(|e| e.ci_high),
            treated: r.treated,
            comparison: r.comparison,
            reference: r.reference,
            binned: r.binned,
        }
    }
}

pub fn relative_years() -> SchemaRef {
    use DataType::{Boolean, Float64, Int32};
    let mut fields = vec![Field::new("relative_year", Int32, false)];
    fields.extend(["estimate", "std_error", "ci_low", "ci_high"].map(|name| Field::new(name, Float64, true)));
    fields.extend(["treated", "comparison"].map(|name| Field::new(name, Int32, false)));
    fields.extend(["reference", "binned"].map(|name| Field::new(name, Boolean, false)));
    Arc::new(Schema::new(fields))
}
