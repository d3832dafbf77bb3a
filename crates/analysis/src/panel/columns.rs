//! Column builders for the panels. Keys are plain vectors; optional values use Arrow
//! builders so that "no data" is a null, never a made-up zero.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int32Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, Int32Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, SchemaRef};
use pactbase_model::coverage::MME;
use pactbase_model::research::{AtopObligations, NmcRow};
use pactbase_model::Ccode;

use super::alliances::{or, DyadTable, DyadTies, StateTable, StateYearTies};
use super::covariate_columns::{self, DyadCovariates, StateCovariates};
use super::onsets::{Onsets, ONSETS};
use super::{Inputs, SystemYear, With};

const OBLIGATIONS: [&str; 5] = ["defense", "offense", "neutral", "nonagg", "consul"];
const DOMAINS: [&str; 6] = ["cpx", "air", "land", "sea", "amphibious", "cyber"];
const RIVALRY_TYPES: [&str; 5] = ["positional", "spatial", "ideological", "interventionary", "principal"];

pub(super) fn int(name: &str) -> Field {
    Field::new(name, DataType::Int32, true)
}

pub(super) fn float(name: &str) -> Field {
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

/// `atop_ids` as an Arrow list: of atopids, or of registry ids (text) when the ties come
/// from the registry (`--source curated|both`). CSV writes it `;`-joined.
pub(super) fn ids_field(numeric: bool) -> Field {
    let item = if numeric { DataType::Int32 } else { DataType::Utf8 };
    Field::new("atop_ids", DataType::List(Arc::new(Field::new("item", item, true))), true)
}

enum Ids {
    Atop(ListBuilder<Int32Builder>),
    Registry(ListBuilder<StringBuilder>),
}

/// The alliance columns shared by both panels, after the keys.
struct AllianceColumns {
    obligations: Vec<Int32Builder>,
    counts: Vec<Int32Builder>,
    ids: Ids,
}

impl AllianceColumns {
    fn new(counts: usize, numeric_ids: bool) -> Self {
        let ids = if numeric_ids {
            Ids::Atop(ListBuilder::new(Int32Builder::new()))
        } else {
            Ids::Registry(ListBuilder::new(StringBuilder::new()))
        };
        AllianceColumns { obligations: ints(5), counts: ints(counts), ids }
    }

    fn push_null(&mut self) {
        self.obligations.iter_mut().chain(&mut self.counts).for_each(|b| b.append_null());
        self.push_ids(std::iter::empty::<&str>());
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
        self.push_ids(ids);
    }

    /// The ids as a list; none is null.
    fn push_ids(&mut self, ids: impl Iterator<Item = impl AsRef<str>>) {
        let mut any = false;
        match &mut self.ids {
            Ids::Atop(list) => {
                for id in ids {
                    // Checked numeric before the builder was chosen (`numeric_ids`).
                    list.values().append_option(id.as_ref().parse::<i32>().ok());
                    any = true;
                }
                list.append(any);
            }
            Ids::Registry(list) => {
                for id in ids {
                    list.values().append_value(id.as_ref());
                    any = true;
                }
                list.append(any);
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<ArrayRef>) {
        finish_all(out, &mut self.obligations, &mut []);
        finish_all(out, &mut self.counts, &mut []);
        out.push(match &mut self.ids {
            Ids::Atop(list) => Arc::new(list.finish()),
            Ids::Registry(list) => Arc::new(list.finish()),
        });
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
    covariates: DyadCovariates,
    emitted: bool,
    /// Per year: ties index + 1 for each (i, j) position pair, 0 when none.
    matrix: Vec<u32>,
    /// The same for the year before, for onsets.
    previous: Vec<u32>,
    onsets: Onsets,
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
            f.push(ids_field(true));
            f.extend(ONSETS.map(int));
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
        f.extend(covariate_columns::dyad_fields(with));
        f
    }

    pub fn new(with: With, numeric_ids: bool) -> Self {
        DyadColumns {
            with,
            ccode1: Vec::new(),
            ccode2: Vec::new(),
            year: Vec::new(),
            alliance: AllianceColumns::new(DYAD_COUNTS.len(), numeric_ids),
            nmc: floats(6),
            mme: ints(7),
            rivalry: ints(6),
            sipri: floats(2),
            covariates: DyadCovariates::new(with),
            emitted: false,
            matrix: Vec::new(),
            previous: Vec::new(),
            onsets: Onsets::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.year.len()
    }

    pub fn emitted(&self) -> bool {
        self.emitted
    }

    /// Moves a year before the panel's first through the counts that run over years.
    pub fn pass_year(&mut self, y: &SystemYear, directed: bool, inputs: &Inputs) {
        let ties = inputs.ties.as_ref().filter(|t| self.with.atop && y.year <= t.last_year);
        if !self.with.peaceyears && ties.is_none() {
            return;
        }
        if let Some(t) = ties {
            fill_ties(&mut self.matrix, t.dyads, y, y.year);
            fill_ties(&mut self.previous, t.dyads, y, y.year - 1);
        }
        let n = y.ccodes.len();
        for i in 0..n {
            let from = if directed { 0 } else { i + 1 };
            for j in (from..n).filter(|&j| j != i && y.overlap(i, j)) {
                let (a, b) = (y.ccodes[i], y.ccodes[j]);
                self.covariates.pass_year(y.year, a, b, inputs);
                if let Some(t) = ties {
                    let back = |m: &[u32]| if directed { 0 } else { m[j * n + i] };
                    let now = dyad_ties(t.dyads, self.matrix[i * n + j], back(&self.matrix));
                    let before = dyad_ties(t.dyads, self.previous[i * n + j], back(&self.previous));
                    self.onsets.pass((a, b), now.as_deref(), before.as_deref());
                }
            }
        }
    }

    pub fn push_year(&mut self, y: &SystemYear, directed: bool, inputs: &Inputs) {
        self.covariates.start_year(y, inputs);
        let n = y.ccodes.len();
        let year = y.year;
        let ties = inputs.ties.as_ref().filter(|t| self.with.atop && year <= t.last_year);
        if let Some(t) = ties {
            fill_ties(&mut self.matrix, t.dyads, y, year);
            fill_ties(&mut self.previous, t.dyads, y, year - 1);
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
                        None => {
                            self.alliance.push_null();
                            self.onsets.push_null();
                        }
                        Some(t) => {
                            let back = |m: &[u32]| if directed { 0 } else { m[j * n + i] };
                            let now = dyad_ties(t.dyads, self.matrix[i * n + j], back(&self.matrix));
                            let before = dyad_ties(t.dyads, self.previous[i * n + j], back(&self.previous));
                            push_dyad_ties(&mut self.alliance, t.dyads, now.as_deref());
                            self.onsets.push((a, b), now.as_deref(), before.as_deref());
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
                self.covariates.push(y, (i, j), inputs);
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
            self.onsets.finish(&mut cols);
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
        self.covariates.finish(&mut cols);
        RecordBatch::try_new(schema.clone(), cols)
    }
}

/// Per (i, j) position pair of `y`'s states: index + 1 of their ties in `year`, 0 when none.
fn fill_ties(matrix: &mut Vec<u32>, table: &DyadTable, y: &SystemYear, year: i32) {
    let n = y.ccodes.len();
    matrix.clear();
    matrix.resize(n * n, 0);
    for k in table.year_range(year) {
        let (_, a, b) = table.keys[k];
        if let (Some(i), Some(j)) = (y.position(a), y.position(b)) {
            matrix[i * n + j] = k as u32 + 1;
        }
    }
}

/// One dyad-year's ties from the ties each way (`back` is 0 for directed panels;
/// undirected ones merge both directions, as ATOP's dyad file does).
fn dyad_ties(table: &DyadTable, there: u32, back: u32) -> Option<Cow<'_, DyadTies>> {
    let get = |k: u32| (k > 0).then(|| &table.ties[k as usize - 1]);
    match (get(there), get(back)) {
        (Some(x), Some(y)) => {
            let mut m = x.clone();
            m.obligations = or(x.obligations, y.obligations);
            m.transition |= y.transition;
            for &a in &y.defense_alliances {
                if let Err(at) = m.defense_alliances.binary_search(&a) {
                    m.defense_alliances.insert(at, a);
                }
            }
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
            Some(Cow::Owned(m))
        }
        (x, y) => x.or(y).map(Cow::Borrowed),
    }
}

/// Writes one dyad-year's alliance columns.
fn push_dyad_ties(cols: &mut AllianceColumns, table: &DyadTable, t: Option<&DyadTies>) {
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
    covariates: StateCovariates,
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
            f.push(ids_field(true));
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
        f.extend(covariate_columns::state_fields(with));
        f
    }

    pub fn new(with: With, inputs: &Inputs<'a>, numeric_ids: bool) -> Self {
        let ties = match &inputs.ties {
            Some(t) => t.states.rows.iter().map(|r| ((r.ccode, r.year), r)).collect(),
            None => HashMap::new(),
        };
        StateColumns {
            with,
            ccode: Vec::new(),
            year: Vec::new(),
            alliance: AllianceColumns::new(STATE_COUNTS.len(), numeric_ids),
            nmc: floats(NMC.len()),
            mme: ints(7),
            rivalry: Int32Builder::new(),
            sipri: Float64Builder::new(),
            covariates: StateCovariates::new(with),
            ties,
            table: inputs.ties.as_ref().map(|t| t.states),
        }
    }

    /// Moves a year before the panel's first through the counts that run over years.
    pub fn pass_year(&mut self, y: &SystemYear, inputs: &Inputs) {
        for &c in &y.ccodes {
            self.covariates.pass_year(y.year, c, inputs);
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
            self.covariates.push(c, year, inputs);
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
        self.covariates.finish(&mut cols);
        RecordBatch::try_new(schema.clone(), cols)
    }
}
