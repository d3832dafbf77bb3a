//! Column builders for the panels. Keys are plain vectors; optional values use Arrow
//! builders so that "no data" is a null, never a made-up zero.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int32Builder, StringBuilder};
use arrow_array::{ArrayRef, Int32Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, SchemaRef};
use pactbase_model::coverage::MME;
use pactbase_model::research::{AtopObligations, NmcRow};
use pactbase_model::Ccode;

use super::alliances::{or, DyadTable, DyadTies, StateTable, StateYearTies};
use super::{Inputs, SystemYear, With};

const OBLIGATIONS: [&str; 5] = ["defense", "offense", "neutral", "nonagg", "consul"];
const DOMAINS: [&str; 6] = ["cpx", "air", "land", "sea", "amphibious", "cyber"];
const RIVALRY_TYPES: [&str; 5] = ["positional", "spatial", "ideological", "interventionary", "principal"];

fn int(name: &str) -> Field {
    Field::new(name, DataType::Int32, true)
}

fn float(name: &str) -> Field {
    Field::new(name, DataType::Float64, true)
}

fn flags(o: AtopObligations) -> [bool; 5] {
    [o.defense, o.offense, o.neutral, o.nonagg, o.consul]
}

fn ints(n: usize) -> Vec<Int32Builder> {
    (0..n).map(|_| Int32Builder::new()).collect()
}

fn floats(n: usize) -> Vec<Float64Builder> {
    (0..n).map(|_| Float64Builder::new()).collect()
}

fn finish_all(out: &mut Vec<ArrayRef>, ints: &mut [Int32Builder], floats: &mut [Float64Builder]) {
    out.extend(ints.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    out.extend(floats.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
}

/// The alliance columns shared by both panels, after the keys.
struct AllianceColumns {
    obligations: Vec<Int32Builder>,
    counts: Vec<Int32Builder>,
    ids: StringBuilder,
    buf: String,
}

impl AllianceColumns {
    fn new(counts: usize) -> Self {
        AllianceColumns { obligations: ints(5), counts: ints(counts), ids: StringBuilder::new(), buf: String::new() }
    }

    fn push_null(&mut self) {
        self.obligations.iter_mut().chain(&mut self.counts).for_each(|b| b.append_null());
        self.ids.append_null();
    }

    fn push(
        &mut self,
        obligations: AtopObligations,
        counts: &[Option<i32>],
        ids: impl Iterator<Item = impl AsRef<str>>,
    ) {
        for (b, on) in self.obligations.iter_mut().zip(flags(obligations)) {
            b.append_value(i32::from(on));
        }
        for (b, &v) in self.counts.iter_mut().zip(counts) {
            b.append_option(v);
        }
        self.buf.clear();
        for id in ids {
            if !self.buf.is_empty() {
                self.buf.push(';');
            }
            self.buf.push_str(id.as_ref());
        }
        if self.buf.is_empty() {
            self.ids.append_null();
        } else {
            self.ids.append_value(&self.buf);
        }
    }

    fn finish(&mut self, out: &mut Vec<ArrayRef>) {
        finish_all(out, &mut self.obligations, &mut []);
        finish_all(out, &mut self.counts, &mut []);
        out.push(Arc::new(self.ids.finish()));
    }
}

pub(super) struct DyadColumns {
    with: With,
    ccode1: Vec<i32>,
    ccode2: Vec<i32>,
    year: Vec<i32>,
    alliance: AllianceColumns,
    nmc: Vec<Float64Builder>,
    mme: Vec<Int32Builder>,
    rivalry: Vec<Int32Builder>,
    sipri: Vec<Float64Builder>,
    emitted: bool,
    /// Per year: ties index + 1 for each (i, j) position pair, 0 when none.
    matrix: Vec<u32>,
}

/// ATOP dyad counts after the five obligations, in column order.
const DYAD_COUNTS: [&str; 6] = ["shareob", "number", "bilatno", "multino", "transyr", "asymm"];

impl DyadColumns {
    pub fn fields(with: With) -> Vec<Field> {
        let mut f = vec![
            Field::new("ccode1", DataType::Int32, false),
            Field::new("ccode2", DataType::Int32, false),
            Field::new("year", DataType::Int32, false),
        ];
        if with.atop {
            f.extend(OBLIGATIONS.iter().chain(&DYAD_COUNTS).map(|n| int(&format!("atop_{n}"))));
            f.push(Field::new("atop_ids", DataType::Utf8, true));
        }
        if with.nmc {
            for n in ["cinc", "milex", "milper"] {
                f.extend([float(&format!("{n}1")), float(&format!("{n}2"))]);
            }
        }
        if with.mme {
            f.push(int("mme_exercises"));
            f.extend(DOMAINS.iter().map(|d| int(&format!("mme_{d}"))));
        }
        if with.rivalry {
            f.push(int("tss_rivalry"));
            f.extend(RIVALRY_TYPES.iter().map(|t| int(&format!("tss_{t}"))));
        }
        if with.sipri {
            f.extend([float("sipri_milex1"), float("sipri_milex2")]);
        }
        f
    }

    pub fn new(with: With) -> Self {
        DyadColumns {
            with,
            ccode1: Vec::new(),
            ccode2: Vec::new(),
            year: Vec::new(),
            alliance: AllianceColumns::new(DYAD_COUNTS.len()),
            nmc: floats(6),
            mme: ints(7),
            rivalry: ints(6),
            sipri: floats(2),
            emitted: false,
            matrix: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.year.len()
    }

    pub fn emitted(&self) -> bool {
        self.emitted
    }

    pub fn push_year(&mut self, y: &SystemYear, directed: bool, inputs: &Inputs) {
        let n = y.ccodes.len();
        let year = y.year;
        let ties = inputs.ties.as_ref().filter(|t| self.with.atop && year <= t.last_year);
        if let Some(t) = ties {
            self.matrix.clear();
            self.matrix.resize(n * n, 0);
            for k in t.dyads.year_range(year) {
                let (_, a, b) = t.dyads.keys[k];
                if let (Some(i), Some(j)) = (y.position(a), y.position(b)) {
                    self.matrix[i * n + j] = k as u32 + 1;
                }
            }
        }
        let nmc: Vec<Option<&NmcRow>> = match inputs.capabilities {
            Some(c) if self.with.nmc => y.ccodes.iter().map(|&s| c.get(s, year)).collect(),
            _ => Vec::new(),
        };
        let sipri: Vec<Option<f64>> = match inputs.sipri {
            Some(s) if self.with.sipri => y.ccodes.iter().map(|&c| s.get(c, year)).collect(),
            _ => Vec::new(),
        };
        for i in 0..n {
            let from = if directed { 0 } else { i + 1 };
            for j in from..n {
                if i == j || !y.overlap(i, j) {
                    continue;
                }
                let (a, b) = (y.ccodes[i], y.ccodes[j]);
                self.ccode1.push(a.into());
                self.ccode2.push(b.into());
                self.year.push(year);
                if self.with.atop {
                    match ties {
                        None => self.alliance.push_null(),
                        Some(t) => {
                            let there = self.matrix[i * n + j];
                            let back = if directed { 0 } else { self.matrix[j * n + i] };
                            push_dyad_ties(&mut self.alliance, t.dyads, there, back);
                        }
                    }
                }
                if self.with.nmc {
                    let get = |k: usize, f: fn(&NmcRow) -> Option<f64>| nmc.get(k).copied().flatten().and_then(f);
                    let fields: [fn(&NmcRow) -> Option<f64>; 3] = [|r| r.cinc, |r| r.milex, |r| r.milper];
                    for (c, f) in fields.into_iter().enumerate() {
                        self.nmc[2 * c].append_option(get(i, f));
                        self.nmc[2 * c + 1].append_option(get(j, f));
                    }
                }
                if self.with.mme {
                    match inputs.exercises {
                        // Outside MME's years exercise counts are unknown, not 0.
                        Some(e) if MME.contains(year) => {
                            for (bld, v) in self.mme.iter_mut().zip(e.dyad(year, a, b)) {
                                bld.append_value(v as i32);
                            }
                        }
                        _ => self.mme.iter_mut().for_each(|b| b.append_null()),
                    }
                }
                if self.with.rivalry {
                    push_rivalry(&mut self.rivalry, inputs, a, b, year);
                }
                if self.with.sipri {
                    self.sipri[0].append_option(sipri.get(i).copied().flatten());
                    self.sipri[1].append_option(sipri.get(j).copied().flatten());
                }
            }
        }
    }

    pub fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
        self.emitted = true;
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(Int32Array::from(std::mem::take(&mut self.ccode1))),
            Arc::new(Int32Array::from(std::mem::take(&mut self.ccode2))),
            Arc::new(Int32Array::from(std::mem::take(&mut self.year))),
        ];
        if self.with.atop {
            self.alliance.finish(&mut cols);
        }
        if self.with.nmc {
            finish_all(&mut cols, &mut [], &mut self.nmc);
        }
        if self.with.mme {
            finish_all(&mut cols, &mut self.mme, &mut []);
        }
        if self.with.rivalry {
            finish_all(&mut cols, &mut self.rivalry, &mut []);
        }
        if self.with.sipri {
            finish_all(&mut cols, &mut [], &mut self.sipri);
        }
        RecordBatch::try_new(schema.clone(), cols)
    }
}

/// Writes one dyad-year's alliance columns from the ties each way (`back` is 0 for
/// directed panels; undirected ones merge both directions, as ATOP's dyad file does).
fn push_dyad_ties(cols: &mut AllianceColumns, table: &DyadTable, there: u32, back: u32) {
    let get = |k: u32| (k > 0).then(|| &table.ties[k as usize - 1]);
    let merged: Option<DyadTies>;
    let t: Option<&DyadTies> = match (get(there), get(back)) {
        (Some(x), Some(y)) => {
            let mut m = x.clone();
            m.obligations = or(x.obligations, y.obligations);
            m.transition |= y.transition;
            for &a in &y.alliances {
                if let Err(at) = m.alliances.binary_search(&a) {
                    m.alliances.insert(at, a);
                    let info = &table.alliances[a as usize];
                    if info.bilateral {
                        m.bilateral += 1;
                    } else {
                        m.multilateral += 1;
                    }
                    m.asymmetric |= info.asymmetric;
                }
            }
            merged = Some(m);
            merged.as_ref()
        }
        (x, y) => x.or(y),
    };
    match t {
        None => cols.push(
            AtopObligations::default(),
            &[None, Some(0), Some(0), Some(0), Some(0), Some(0)],
            std::iter::empty::<&str>(),
        ),
        Some(t) => {
            let shareob = (!t.obligations.any()).then_some(1);
            let counts = [
                shareob,
                Some(t.alliances.len() as i32),
                Some(i32::from(t.bilateral)),
                Some(i32::from(t.multilateral)),
                Some(i32::from(t.transition)),
                Some(i32::from(t.asymmetric)),
            ];
            cols.push(t.obligations, &counts, table.labels(t));
        }
    }
}

fn push_rivalry(cols: &mut [Int32Builder], inputs: &Inputs, a: Ccode, b: Ccode, year: i32) {
    let Some(r) = inputs.rivalries else {
        cols.iter_mut().for_each(|c| c.append_null());
        return;
    };
    match r.active(a, b, year) {
        None => cols.iter_mut().for_each(|c| c.append_value(0)),
        Some(r) => {
            let types = [r.positional, r.spatial, r.ideological, r.interventionary, r.principal];
            cols[0].append_value(1);
            for (c, t) in cols[1..].iter_mut().zip(types) {
                c.append_value(i32::from(t));
            }
        }
    }
}

pub(super) struct StateColumns<'a> {
    with: With,
    ccode: Vec<i32>,
    year: Vec<i32>,
    alliance: AllianceColumns,
    nmc: Vec<Float64Builder>,
    mme: Vec<Int32Builder>,
    rivalry: Int32Builder,
    sipri: Float64Builder,
    ties: HashMap<(Ccode, i32), &'a StateYearTies>,
    table: Option<&'a StateTable>,
}

const STATE_COUNTS: [&str; 3] = ["ally", "number", "transyr"];
const NMC: [&str; 7] = ["cinc", "milex", "milper", "irst", "pec", "tpop", "upop"];

impl<'a> StateColumns<'a> {
    pub fn fields(with: With) -> Vec<Field> {
        let mut f = vec![Field::new("ccode", DataType::Int32, false), Field::new("year", DataType::Int32, false)];
        if with.atop {
            f.extend(OBLIGATIONS.iter().chain(&STATE_COUNTS).map(|n| int(&format!("atop_{n}"))));
            f.push(Field::new("atop_ids", DataType::Utf8, true));
        }
        if with.nmc {
            f.extend(NMC.iter().map(|n| float(n)));
        }
        if with.mme {
            f.push(int("mme_exercises"));
            f.extend(DOMAINS.iter().map(|d| int(&format!("mme_{d}"))));
        }
        if with.rivalry {
            f.push(int("tss_rivalries"));
        }
        if with.sipri {
            f.push(float("sipri_milex"));
        }
        f
    }

    pub fn new(with: With, inputs: &Inputs<'a>) -> Self {
        let ties = match &inputs.ties {
            Some(t) => t.states.rows.iter().map(|r| ((r.ccode, r.year), r)).collect(),
            None => HashMap::new(),
        };
        StateColumns {
            with,
            ccode: Vec::new(),
            year: Vec::new(),
            alliance: AllianceColumns::new(STATE_COUNTS.len()),
            nmc: floats(NMC.len()),
            mme: ints(7),
            rivalry: Int32Builder::new(),
            sipri: Float64Builder::new(),
            ties,
            table: inputs.ties.as_ref().map(|t| t.states),
        }
    }

    pub fn push_year(&mut self, y: &SystemYear, inputs: &Inputs) {
        let year = y.year;
        for &c in &y.ccodes {
            self.ccode.push(c.into());
            self.year.push(year);
            if self.with.atop {
                match &inputs.ties {
                    Some(t) if year <= t.last_year => match self.ties.get(&(c, year)) {
                        None => self.alliance.push(
                            AtopObligations::default(),
                            &[Some(0), Some(0), Some(0)],
                            std::iter::empty::<&str>(),
                        ),
                        Some(r) => {
                            let counts = [Some(1), Some(r.alliances.len() as i32), Some(i32::from(r.transition))];
                            let labels = self.table.into_iter().flat_map(|t| t.labels(r));
                            self.alliance.push(r.obligations, &counts, labels);
                        }
                    },
                    _ => self.alliance.push_null(),
                }
            }
            if self.with.nmc {
                let row = inputs.capabilities.and_then(|cap| cap.get(c, year));
                let values =
                    row.map(|r| [r.cinc, r.milex, r.milper, r.irst, r.pec, r.tpop, r.upop]).unwrap_or_default();
                for (b, v) in self.nmc.iter_mut().zip(values) {
                    b.append_option(v);
                }
            }
            if self.with.mme {
                match inputs.exercises {
                    Some(e) if MME.contains(year) => {
                        for (b, v) in self.mme.iter_mut().zip(e.state(c, year)) {
                            b.append_value(v as i32);
                        }
                    }
                    _ => self.mme.iter_mut().for_each(|b| b.append_null()),
                }
            }
            if self.with.rivalry {
                self.rivalry.append_option(inputs.rivalries.map(|r| r.count(c, year) as i32));
            }
            if self.with.sipri {
                self.sipri.append_option(inputs.sipri.and_then(|s| s.get(c, year)));
            }
        }
    }

    pub fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(Int32Array::from(std::mem::take(&mut self.ccode))),
            Arc::new(Int32Array::from(std::mem::take(&mut self.year))),
        ];
        if self.with.atop {
            self.alliance.finish(&mut cols);
        }
        if self.with.nmc {
            finish_all(&mut cols, &mut [], &mut self.nmc);
        }
        if self.with.mme {
            finish_all(&mut cols, &mut self.mme, &mut []);
        }
        if self.with.rivalry {
            cols.push(Arc::new(self.rivalry.finish()));
        }
        if self.with.sipri {
            cols.push(Arc::new(self.sipri.finish()));
        }
        RecordBatch::try_new(schema.clone(), cols)
    }
}
