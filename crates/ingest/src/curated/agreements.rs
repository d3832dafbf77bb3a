use std::collections::{HashMap, HashSet};

use pactbase_model::check::{self, FieldPath, Problem, Rules, Step, Years};
use pactbase_model::{
    Agreement, AgreementKind, AtopException, AtopField, Ccode, Membership, Obligation, ObligationType, PartialDate,
    Parties, Provisions, Role, Source, StateIndex, Status, Suspension, SuspensionScope, Target,
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
    members: Vec<RawMember>,
    #[serde(default)]
    obligations: Vec<RawObligation>,
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

    pub fn state_at(&mut self, abb: &str, offset: usize, path: String, field: &str) -> Option<Ccode> {
        if let Some(s) = self.index.lookup(abb).filter(|s| s.abb == abb) {
            return Some(s.ccode);
        }
        let hint = match self.index.lookup(abb) {
            Some(s) => format!("; write its COW abbreviation {}", s.abb),
            None => match self.index.suggest(abb).first() {
                Some(s) => format!("; did you mean {s}?"),
                None => "; states are named by their COW abbreviation (see data/states.csv)".into(),
            },
        };
        self.error_at(offset, field, format!("unknown state `{abb}`{hint}"));
        self.reported.insert(path);
        None
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

/// States that could not be named stand as code 0 (no state), so that every other field
/// keeps its place in the lists and is still checked.
const UNNAMED: Ccode = 0;

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
        let ccode = c.state(&m.state, format!("members[{i}].ccode"), &format!("members[{i}].state"));
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
            ccode: ccode.unwrap_or(UNNAMED),
            joined: m.joined,
            left: m.left,
            role: m.role,
            source: source_key(&sources, m.source),
            note: m.note,
            suspensions,
            before_signature: m.before_signature,
        });
    }

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

    let atop_exceptions = raw
        .atop_exceptions
        .into_iter()
        .enumerate()
        .map(|(i, e)| AtopException {
            ccode: c
                .state(&e.state, format!("atop_exceptions[{i}].ccode"), &format!("atop_exceptions[{i}].state"))
                .unwrap_or(UNNAMED),
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
        members,
        obligations,
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
