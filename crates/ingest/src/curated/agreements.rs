use std::collections::{HashMap, HashSet};

use pactbase_model::check::{self, FieldPath, Problem, Rules, Step, Years, UNNAMED};
use pactbase_model::{
    Agreement, AgreementKind, AtopException, AtopField, Ccode, Invocation, InvocationOutcome, Membership,
    NonStateParty, Obligation, ObligationType, PartialDate, Parties, PartyCoverage, Provisions, Reservation,
    ReservationEffect, Role, Signatory, Source, StateIndex, Status, Suspension, SuspensionScope, Target,
};
use serde::Deserialize;
use toml::Spanned;

use super::stem;
use crate::DataError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    short_names: Vec<String>,
    kinds: Vec<AgreementKind>,
    signed: PartialDate,
    in_force: Option<PartialDate>,
    ended: Option<PartialDate>,
    status: Status,
    region: String,
    depositary: Option<String>,
    atopid: Option<u32>,
    summary: String,
    text: Option<String>,
    #[serde(default)]
    provisions: Provisions,
    sources: Vec<RawSource>,
    #[serde(default)]
    parties: PartyCoverage,
    members: Vec<RawMember>,
    #[serde(default)]
    signatories: Vec<RawSignatory>,
    #[serde(default)]
    non_state_parties: Vec<RawNonStateParty>,
    #[serde(default)]
    obligations: Vec<RawObligation>,
    #[serde(default)]
    reservations: Vec<RawReservation>,
    #[serde(default)]
    invocations: Vec<RawInvocation>,
    #[serde(default)]
    atop_exceptions: Vec<RawAtopException>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    id: String,
    title: String,
    publisher: String,
    url: Option<String>,
    reference: Option<String>,
    consulted: Option<PartialDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    state: Spanned<String>,
    signed: Option<PartialDate>,
    joined: PartialDate,
    left: Option<PartialDate>,
    role: Role,
    source: Option<String>,
    note: Option<String>,
    #[serde(default)]
    suspensions: Vec<RawSuspension>,
    before_signature: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignatory {
    state: Spanned<String>,
    signed: PartialDate,
    source: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNonStateParty {
    name: String,
    signed: Option<PartialDate>,
    joined: Option<PartialDate>,
    left: Option<PartialDate>,
    source: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuspension {
    from: PartialDate,
    to: Option<PartialDate>,
    scope: SuspensionScope,
    #[serde(default)]
    toward: Vec<Spanned<String>>,
    note: Option<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawParties {
    Word(String),
    States(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObligation {
    #[serde(rename = "type")]
    kind: ObligationType,
    from: Spanned<RawParties>,
    toward: Spanned<RawParties>,
    #[serde(default)]
    conditional: bool,
    article: Option<String>,
    note: Option<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReservation {
    state: Spanned<String>,
    article: Option<String>,
    effect: ReservationEffect,
    text: String,
    source: Option<String>,
}

/// One state or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawStates {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInvocation {
    date: PartialDate,
    by: Spanned<String>,
    against: Option<Spanned<RawStates>>,
    obligation: ObligationType,
    article: Option<String>,
    outcome: InvocationOutcome,
    note: String,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAtopException {
    state: Spanned<String>,
    field: AtopField,
    ours: String,
    atop: String,
    reason: String,
}

/// Collects located errors for one file.
pub(super) struct Checker<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub index: &'a StateIndex,
    pub errors: &'a mut Vec<DataError>,
    /// The fields already reported (as the model's checks name them), so that a state
    /// that could not be named is not reported a second time as an unknown code.
    pub reported: HashSet<String>,
}

impl Checker<'_> {
    pub fn error<T>(&mut self, spanned: &Spanned<T>, field: &str, message: impl Into<String>) {
        self.error_at(spanned.span().start, field, message);
    }

    pub fn error_at(&mut self, offset: usize, field: &str, message: impl Into<String>) {
        let e = DataError::file(self.file, message).at_offset(self.text, offset).field(field);
        self.errors.push(e);
    }

    /// A COW abbreviation, exactly as `states.csv` spells it; `path` is the field as the
    /// model's checks name it (`members[2].ccode`), `field` as the file does.
    pub fn state(&mut self, abb: &Spanned<String>, path: String, field: &str) -> Option<Ccode> {
        self.state_at(abb.get_ref(), abb.span().start, path, field)
    }

    /// The `state` of item `i` of the file's list `list`, which the model names `ccode`;
    /// [`UNNAMED`] when it cannot be named (reported here).
    fn state_of(&mut self, abb: &Spanned<String>, list: &str, i: usize) -> Ccode {
        self.state(abb, format!("{list}[{i}].ccode"), &format!("{list}[{i}].state")).unwrap_or(UNNAMED)
    }

    pub fn state_at(&mut self, abb: &str, offset: usize, path: String, field: &str) -> Option<Ccode> {
        match super::state_abb(self.index, abb) {
            Ok(ccode) => Some(ccode),
            Err(message) => {
                self.error_at(offset, field, message);
                self.reported.insert(path);
                None
            }
        }
    }

    /// The problems the model's checks found, each at the place in the file its field
    /// path leads to, named as the file names it; fields already reported are skipped.
    pub fn problems(&mut self, problems: Vec<Problem>) {
        let problems: Vec<Problem> =
            problems.into_iter().filter(|p| !self.reported.contains(&p.path.to_string())).collect();
        if problems.is_empty() {
            return;
        }
        let document = toml_edit::ImDocument::parse(self.text).ok();
        for p in problems {
            let steps: Vec<Step> = p.path.0.iter().map(|&s| file_step(s)).collect();
            let offset = document.as_ref().map_or(0, |d| offset_of(d.as_item(), &steps));
            let mut e = DataError::file(self.file, p.message).at_offset(self.text, offset);
            if !steps.is_empty() {
                e = e.field(FieldPath(steps).to_string());
            }
            self.errors.push(e);
        }
    }
}

/// The model's field names as the data files write them: a source's `key` is its `id`,
/// a member's or ATOP exception's `ccode` its `state`.
fn file_step(step: Step) -> Step {
    match step {
        Step::Field("key") => Step::Field("id"),
        Step::Field("ccode") => Step::Field("state"),
        other => other,
    }
}

/// Where the value at `steps` starts in the file: the deepest part of the path the file
/// has (a missing `left` is reported at its member's `[[members]]`).
fn offset_of(root: &toml_edit::Item, steps: &[Step]) -> usize {
    let mut item = root;
    let mut offset = 0;
    for step in steps {
        let next = match step {
            Step::Field(name) => item.get(*name),
            Step::Index(i) => item.get(*i),
        };
        match next {
            Some(next) => {
                item = next;
                offset = item.span().map_or(offset, |s| s.start);
            }
            None => break,
        }
    }
    offset
}

/// The sources as the model holds them; they are checked with the record they belong to.
pub(super) fn sources(raw: Vec<RawSource>) -> Vec<Source> {
    raw.into_iter()
        .map(|s| Source {
            key: s.id,
            title: s.title,
            publisher: s.publisher,
            url: s.url,
            reference: s.reference,
            consulted: s.consulted,
        })
        .collect()
}

/// A `source = "..."` reference, defaulting to the first source.
fn source_key(sources: &[Source], raw: Option<String>) -> String {
    raw.unwrap_or_else(|| sources.first().map(|s| s.key.clone()).unwrap_or_default())
}

pub(super) fn read(
    file: &str,
    rel: &str,
    text: &str,
    index: &StateIndex,
    years: Years,
    errors: &mut Vec<DataError>,
) -> Option<Agreement> {
    let raw: RawAgreement = super::parse_toml(file, text, errors)?;
    let before = errors.len();
    let mut c = Checker { file, text, index, errors, reported: HashSet::new() };

    if raw.id.get_ref() != stem(rel) {
        c.error(&raw.id, "id", format!("id `{}` must equal the file name `{}`", raw.id.get_ref(), stem(rel)));
        c.reported.insert("id".into());
    }
    let mut kinds = raw.kinds;
    kinds.sort_unstable();
    kinds.dedup();
    let sources = sources(raw.sources);

    let mut members = Vec::new();
    for (i, m) in raw.members.into_iter().enumerate() {
        let ccode = c.state_of(&m.state, "members", i);
        let mut suspensions = Vec::new();
        for (j, s) in m.suspensions.into_iter().enumerate() {
            let toward = s
                .toward
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    let path = format!("members[{i}].suspensions[{j}].toward[{k}]");
                    c.state(t, path.clone(), &path).unwrap_or(UNNAMED)
                })
                .collect();
            suspensions.push(Suspension {
                from: s.from,
                to: s.to,
                scope: s.scope,
                toward,
                note: s.note,
                source: source_key(&sources, s.source),
            });
        }
        members.push(Membership {
            ccode,
            joined: m.joined,
            signed: m.signed,
            left: m.left,
            role: m.role,
            source: source_key(&sources, m.source),
            note: m.note,
            suspensions,
            before_signature: m.before_signature,
        });
    }
    let signatories = raw
        .signatories
        .into_iter()
        .enumerate()
        .map(|(i, s)| Signatory {
            ccode: c.state_of(&s.state, "signatories", i),
            signed: s.signed,
            source: source_key(&sources, s.source),
            note: s.note,
        })
        .collect();
    let non_state_parties = raw
        .non_state_parties
        .into_iter()
        .map(|p| NonStateParty {
            name: p.name.trim().to_owned(),
            signed: p.signed,
            joined: p.joined,
            left: p.left,
            source: source_key(&sources, p.source),
            note: p.note,
        })
        .collect();

    let mut obligations = Vec::new();
    for (i, o) in raw.obligations.into_iter().enumerate() {
        let from = match parties_of(&mut c, o.from, &format!("obligations[{i}].from"), false) {
            Some(Ok(from)) => from,
            _ => Parties::All,
        };
        let toward = match parties_of(&mut c, o.toward, &format!("obligations[{i}].toward"), true) {
            Some(Ok(Parties::All)) | None => Target::All,
            Some(Ok(Parties::States(s))) => Target::States(s),
            Some(Err(())) => Target::ThirdParty,
        };
        obligations.push(Obligation {
            kind: o.kind,
            from,
            toward,
            conditional: o.conditional,
            article: o.article,
            note: o.note,
            source: source_key(&sources, o.source),
        });
    }

    let reservations = raw
        .reservations
        .into_iter()
        .enumerate()
        .map(|(i, r)| Reservation {
            ccode: c.state_of(&r.state, "reservations", i),
            article: r.article,
            effect: r.effect,
            text: r.text,
            source: source_key(&sources, r.source),
        })
        .collect();

    let mut invocations = Vec::new();
    for (i, v) in raw.invocations.into_iter().enumerate() {
        let by = c.state(&v.by, format!("invocations[{i}].by"), &format!("invocations[{i}].by"));
        let mut against = Vec::new();
        if let Some(raw) = v.against {
            let at = raw.span().start;
            // One state may be written alone; the model's check names it as the list's first.
            let (states, alone) = match raw.into_inner() {
                RawStates::One(s) => (vec![s], true),
                RawStates::Many(list) => (list, false),
            };
            for (k, s) in states.iter().enumerate() {
                let path = format!("invocations[{i}].against[{k}]");
                let field = if alone { format!("invocations[{i}].against") } else { path.clone() };
                against.push(c.state_at(s, at, path, &field).unwrap_or(UNNAMED));
            }
        }
        invocations.push(Invocation {
            date: v.date,
            by: by.unwrap_or(UNNAMED),
            against,
            obligation: v.obligation,
            article: v.article,
            outcome: v.outcome,
            note: v.note.trim().to_owned(),
            source: source_key(&sources, v.source),
        });
    }

    let atop_exceptions = raw
        .atop_exceptions
        .into_iter()
        .enumerate()
        .map(|(i, e)| AtopException {
            ccode: c.state_of(&e.state, "atop_exceptions", i),
            field: e.field,
            ours: e.ours,
            atop: e.atop,
            reason: e.reason,
        })
        .collect();

    let agreement = Agreement {
        id: raw.id.into_inner(),
        name: raw.name,
        short_names: raw.short_names,
        kinds,
        signed: raw.signed,
        in_force: raw.in_force,
        ended: raw.ended,
        status: raw.status,
        region: raw.region,
        depositary: raw.depositary,
        atopid: raw.atopid,
        summary: raw.summary.trim().to_owned(),
        text: raw.text.map(|t| t.trim().to_owned()),
        provisions: raw.provisions,
        sources,
        party_coverage: raw.parties,
        members,
        signatories,
        non_state_parties,
        obligations,
        reservations,
        invocations,
        atop_exceptions,
    };
    match check::agreement(agreement, &Rules { index, years }) {
        Ok(agreement) => (c.errors.len() == before).then_some(agreement),
        Err(problems) => {
            c.problems(problems);
            None
        }
    }
}

/// `"all"`, a list of member states, or (toward only) `"third-party"`, which comes back
/// as `Err(())`. `None` when an error was reported. Whether the states listed are members
/// is the model's check.
fn parties_of(
    c: &mut Checker,
    raw: Spanned<RawParties>,
    field: &str,
    third_party_allowed: bool,
) -> Option<Result<Parties, ()>> {
    let at = raw.span().start;
    match raw.into_inner() {
        RawParties::Word(w) if w == "all" => Some(Ok(Parties::All)),
        RawParties::Word(w) if w == "third-party" && third_party_allowed => Some(Err(())),
        RawParties::Word(w) => {
            let expected = if third_party_allowed {
                "\"all\", \"third-party\" or a list of member states"
            } else {
                "\"all\" or a list of member states"
            };
            c.error_at(at, field, format!("`{w}`: expected {expected}"));
            c.reported.insert(field.to_owned());
            None
        }
        RawParties::States(list) => {
            let states = list
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let path = format!("{field}[{k}]");
                    c.state_at(s, at, path.clone(), &path).unwrap_or(UNNAMED)
                })
                .collect();
            Some(Ok(Parties::States(states)))
        }
    }
}

/// Ids are unique by construction (file names); ATOP ids must map to one agreement.
pub(super) fn check_unique(agreements: &[Agreement], errors: &mut Vec<DataError>) {
    let mut by_atopid: HashMap<u32, &str> = HashMap::new();
    for a in agreements {
        if let Some(atopid) = a.atopid {
            if let Some(other) = by_atopid.insert(atopid, &a.id) {
                errors.push(
                    DataError::file(
                        &format!("data/agreements/{}.toml", a.id),
                        format!("atopid {atopid} is also claimed by `{other}`"),
                    )
                    .field("atopid"),
                );
            }
        }
    }
}
