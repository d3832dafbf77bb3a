//! The covariate columns of the panels (issue 10): contiguity, capital and border
//! distance, major powers, GML disputes with peace years, shared IGOs, and SIPRI's arms
//! transfers (issue 11). Each flag of
//! `With` adds its columns; a dataset not covering a year gives nulls, never 0.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int32Builder};
use arrow_array::ArrayRef;
use arrow_schema::Field;
use pactbase_model::Ccode;

use super::columns::{float, int};
use super::covariates::{great_circle_km, DyadPeaceYears, PeaceYears};
use super::{Inputs, SystemYear, With};

/// The dyad-year columns each covariate adds, in output order.
pub(super) fn dyad_fields(with: With) -> Vec<Field> {
    let mut f = Vec::new();
    if with.contiguity {
        f.push(int("conttype"));
    }
    if with.capdist {
        f.push(float("capdist"));
    }
    if with.mindist {
        f.push(float("mindist"));
    }
    if with.majors {
        f.extend([int("cowmaj1"), int("cowmaj2")]);
    }
    if with.mids {
        f.extend([int("gmlmidonset"), int("gmlmidongoing"), int("dispnum")]);
    }
    if with.peaceyears {
        f.push(int("gmlmidspell"));
    }
    if with.igos {
        f.push(int("dyadigos"));
    }
    if with.arms {
        f.extend([float("tiv12"), float("tiv21"), int("delivery12"), int("delivery21")]);
    }
    f
}

/// The state-year columns: major-power status and disputes; the other covariates are
/// dyadic only (COW's IGO file counts shared memberships, not a state's own).
pub(super) fn state_fields(with: With) -> Vec<Field> {
    let mut f = Vec::new();
    if with.majors {
        f.push(int("cowmaj"));
    }
    if with.mids {
        f.extend([int("gmlmidonset"), int("gmlmidongoing")]);
    }
    if with.peaceyears {
        f.push(int("gmlmidspell"));
    }
    if with.arms {
        f.extend([float("tiv_imports"), float("tiv_exports"), int("imports_any"), int("exports_any")]);
    }
    f
}

pub(super) struct DyadCovariates {
    with: With,
    conttype: Int32Builder,
    capdist: Float64Builder,
    mindist: Float64Builder,
    cowmaj: [Int32Builder; 2],
    mids: [Int32Builder; 3],
    spell: Int32Builder,
    dyadigos: Int32Builder,
    /// TIV delivered from ccode1 to ccode2 and back.
    tiv: [Float64Builder; 2],
    /// Whether anything was delivered, those under 0.5m TIV included, each way.
    delivery: [Int32Builder; 2],
    /// Per year, n×n: minimum distance and shared IGOs (NaN / -1 where the file has none).
    mindist_matrix: Vec<f64>,
    igo_matrix: Vec<i32>,
    capitals: Vec<Option<(f64, f64)>>,
    peace: DyadPeaceYears,
}

impl DyadCovariates {
    pub fn new(with: With) -> Self {
        DyadCovariates {
            with,
            conttype: Int32Builder::new(),
            capdist: Float64Builder::new(),
            mindist: Float64Builder::new(),
            cowmaj: [Int32Builder::new(), Int32Builder::new()],
            mids: [Int32Builder::new(), Int32Builder::new(), Int32Builder::new()],
            spell: Int32Builder::new(),
            dyadigos: Int32Builder::new(),
            tiv: [Float64Builder::new(), Float64Builder::new()],
            delivery: [Int32Builder::new(), Int32Builder::new()],
            mindist_matrix: Vec::new(),
            igo_matrix: Vec::new(),
            capitals: Vec::new(),
            peace: DyadPeaceYears::default(),
        }
    }

    /// Reads the year's dyadic files into n×n matrices before its rows are pushed.
    pub fn start_year(&mut self, y: &SystemYear, inputs: &Inputs) {
        let n = y.ccodes.len();
        if let Some(m) = inputs.mindist.filter(|_| self.with.mindist) {
            self.mindist_matrix.clear();
            self.mindist_matrix.resize(n * n, f64::NAN);
            for (a, b, km) in m.year(y.year) {
                if let (Some(i), Some(j)) = (y.position(a), y.position(b)) {
                    self.mindist_matrix[i * n + j] = km;
                    self.mindist_matrix[j * n + i] = km;
                }
            }
        }
        if let Some(m) = inputs.igos.filter(|_| self.with.igos) {
            self.igo_matrix.clear();
            self.igo_matrix.resize(n * n, -1);
            for (a, b, count) in m.year(y.year) {
                if let (Some(i), Some(j)) = (y.position(a), y.position(b)) {
                    self.igo_matrix[i * n + j] = i32::from(count);
                    self.igo_matrix[j * n + i] = i32::from(count);
                }
            }
        }
        if let Some(c) = inputs.capitals.filter(|_| self.with.capdist) {
            self.capitals = y.ccodes.iter().map(|&s| c.in_year(s, y.year)).collect();
        }
    }

    /// Moves the peace-year count of a dyad on through a year before the panel's first,
    /// so that `gmlmidspell` counts from the dyad's first year whatever `--years` says.
    pub fn pass_year(&mut self, year: i32, a: Ccode, b: Ccode, inputs: &Inputs) {
        if let Some(d) = inputs.disputes.filter(|d| self.with.peaceyears && d.covers(year)) {
            self.peace.of(a, b).next(d.dyad(year, a, b).is_some());
        }
    }

    pub fn push(&mut self, y: &SystemYear, (i, j): (usize, usize), inputs: &Inputs) {
        let (a, b, year, n) = (y.ccodes[i], y.ccodes[j], y.year, y.ccodes.len());
        if self.with.contiguity {
            self.conttype.append_option(inputs.contiguity.and_then(|c| c.conttype(a, b, year)).map(i32::from));
        }
        if self.with.capdist {
            let km = match (self.capitals.get(i).copied().flatten(), self.capitals.get(j).copied().flatten()) {
                (Some(p), Some(q)) => Some(great_circle_km(p, q)),
                _ => None,
            };
            self.capdist.append_option(km);
        }
        if self.with.mindist {
            let km = self.mindist_matrix.get(i * n + j).copied().filter(|v| !v.is_nan());
            self.mindist.append_option(km);
        }
        if self.with.majors {
            for (builder, s) in self.cowmaj.iter_mut().zip([a, b]) {
                builder.append_option(inputs.majors.map(|m| m.cowmaj(s, year)));
            }
        }
        let disputes = inputs.disputes.filter(|d| d.covers(year));
        let dispute = disputes.and_then(|d| d.dyad(year, a, b));
        if self.with.mids {
            let [onset, ongoing, dispnum] = &mut self.mids;
            onset.append_option(disputes.map(|_| i32::from(dispute.is_some_and(|d| d.onset))));
            ongoing.append_option(disputes.map(|_| i32::from(dispute.is_some())));
            dispnum.append_option(dispute.map(|d| d.dispnum as i32));
        }
        if self.with.peaceyears {
            let spell = disputes.map(|_| self.peace.of(a, b).next(dispute.is_some()) as i32);
            self.spell.append_option(spell);
        }
        if self.with.igos {
            let count = self.igo_matrix.get(i * n + j).copied().filter(|&c| c >= 0);
            self.dyadigos.append_option(count);
        }
        if self.with.arms {
            let [there, back] = &mut self.tiv;
            there.append_option(inputs.arms.and_then(|f| f.tiv(a, b, year)));
            back.append_option(inputs.arms.and_then(|f| f.tiv(b, a, year)));
            let [there, back] = &mut self.delivery;
            there.append_option(inputs.arms.and_then(|f| f.delivered(a, b, year)).map(i32::from));
            back.append_option(inputs.arms.and_then(|f| f.delivered(b, a, year)).map(i32::from));
        }
    }

    pub fn finish(&mut self, out: &mut Vec<ArrayRef>) {
        let w = self.with;
        if w.contiguity {
            out.push(Arc::new(self.conttype.finish()));
        }
        if w.capdist {
            out.push(Arc::new(self.capdist.finish()));
        }
        if w.mindist {
            out.push(Arc::new(self.mindist.finish()));
        }
        let ints = (self.cowmaj.iter_mut().map(|b| (w.majors, b)))
            .chain(self.mids.iter_mut().map(|b| (w.mids, b)))
            .chain([(w.peaceyears, &mut self.spell), (w.igos, &mut self.dyadigos)]);
        for (on, b) in ints {
            if on {
                out.push(Arc::new(b.finish()));
            }
        }
        if w.arms {
            out.extend(self.tiv.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
            out.extend(self.delivery.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
        }
    }
}

pub(super) struct StateCovariates {
    with: With,
    cowmaj: Int32Builder,
    mids: [Int32Builder; 2],
    spell: Int32Builder,
    /// TIV imported and exported, from and to every party (states or not).
    tiv: [Float64Builder; 2],
    /// Whether anything was imported, exported (those under 0.5m TIV included).
    delivery: [Int32Builder; 2],
    peace: HashMap<Ccode, PeaceYears>,
}

impl StateCovariates {
    pub fn new(with: With) -> Self {
        StateCovariates {
            with,
            cowmaj: Int32Builder::new(),
            mids: [Int32Builder::new(), Int32Builder::new()],
            spell: Int32Builder::new(),
            tiv: [Float64Builder::new(), Float64Builder::new()],
            delivery: [Int32Builder::new(), Int32Builder::new()],
            peace: HashMap::new(),
        }
    }

    /// As [`DyadCovariates::pass_year`], for a state.
    pub fn pass_year(&mut self, year: i32, ccode: Ccode, inputs: &Inputs) {
        if let Some(d) = inputs.disputes.filter(|d| self.with.peaceyears && d.covers(year)) {
            self.peace.entry(ccode).or_default().next(d.state(ccode, year).0);
        }
    }

    pub fn push(&mut self, ccode: Ccode, year: i32, inputs: &Inputs) {
        if self.with.majors {
            self.cowmaj.append_option(inputs.majors.map(|m| m.cowmaj(ccode, year)));
        }
        let disputes = inputs.disputes.filter(|d| d.covers(year));
        let (ongoing, onset) = disputes.map_or((false, false), |d| d.state(ccode, year));
        if self.with.mids {
            self.mids[0].append_option(disputes.map(|_| i32::from(onset)));
            self.mids[1].append_option(disputes.map(|_| i32::from(ongoing)));
        }
        if self.with.peaceyears {
            let spell = disputes.map(|_| self.peace.entry(ccode).or_default().next(ongoing) as i32);
            self.spell.append_option(spell);
        }
        if self.with.arms {
            self.tiv[0].append_option(inputs.arms.and_then(|f| f.imports(ccode, year)));
            self.tiv[1].append_option(inputs.arms.and_then(|f| f.exports(ccode, year)));
            self.delivery[0].append_option(inputs.arms.and_then(|f| f.imported(ccode, year)).map(i32::from));
            self.delivery[1].append_option(inputs.arms.and_then(|f| f.exported(ccode, year)).map(i32::from));
        }
    }

    pub fn finish(&mut self, out: &mut Vec<ArrayRef>) {
        let w = self.with;
        let builders = [(w.majors, &mut self.cowmaj)]
            .into_iter()
            .chain(self.mids.iter_mut().map(|b| (w.mids, b)))
            .chain([(w.peaceyears, &mut self.spell)]);
        for (on, b) in builders {
            if on {
                out.push(Arc::new(b.finish()));
            }
        }
        if w.arms {
            out.extend(self.tiv.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
            out.extend(self.delivery.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
        }
    }
}
