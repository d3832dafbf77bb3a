use std::collections::{HashMap, HashSet};

use pactbase_model::{
    Agreement, AgreementKind, AtopException, AtopField, Ccode, Membership, Obligation, ObligationType, PartialDate,
    Parties, Provisions, Role, Source, StateIndex, Status, Suspension, SuspensionScope, Target,
};
use serde::Deserialize;
use toml::Spanned;

use super::{is_slug, stem};
use crate::DataError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    short_names: Vec<String>,
    kinds: Spanned<Vec<AgreementKind>>,
    signed: Spanned<PartialDate>,
    in_force: Option<PartialDate>,
    ended: Option<Spanned<PartialDate>>,
    status: Status,
    region: String,
    depositary: Option<String>,
    atopid: Option<u32>,
    summary: String,
    text: Option<String>,
    #[serde(default)]
    provisions: Provisions,
    sources: Spanned<Vec<RawSource>>,
    members: Spanned<Vec<RawMember>>,
    #[serde(default)]
    obligations: Vec<RawObligation>,
    #[serde(default)]
    atop_exceptions: Vec<RawAtopException>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    id: Spanned<String>,
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
    joined: Spanned<PartialDate>,
    left: Option<Spanned<PartialDate>>,
    role: Role,
    source: Option<Spanned<String>>,
    note: Option<String>,
    #[serde(default)]
    suspensions: Vec<RawSuspension>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuspension {
    from: Spanned<PartialDate>,
    to: Option<Spanned<PartialDate>>,
    scope: SuspensionScope,
    #[serde(default)]
    toward: Vec<Spanned<String>>,
    note: Option<String>,
    source: Option<Spanned<String>>,
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
    source: Option<Spanned<String>>,
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
}

impl Checker<'_> {
    pub fn error<T>(&mut self, spanned: &Spanned<T>, field: &str, message: impl Into<String>) {
        self.error_at(spanned.span().start, field, message);
    }

    pub fn error_at(&mut self, offset: usize, field: &str, message: impl Into<String>) {
        let e = DataError::file(self.file, message).at_offset(self.text, offset).field(field);
        self.errors.push(e);
    }

    /// A COW abbreviation, exactly as `states.csv` spells it.
    pub fn state(&mut self, abb: &Spanned<String>, field: &str) -> Option<Ccode> {
        self.state_at(abb.get_ref(), abb.span().start, field)
    }

    pub fn state_at(&mut self, abb: &str, offset: usize, field: &str) -> Option<Ccode> {
        match super::state_abb(self.index, abb) {
            Ok(ccode) => Some(ccode),
            Err(message) => {
                self.error_at(offset, field, message);
                None
            }
        }
    }

    pub fn sources(&mut self, raw: Spanned<Vec<RawSource>>) -> Vec<Source> {
        let at = raw.span().start;
        let raw = raw.into_inner();
        if raw.is_empty() {
            self.error_at(at, "sources", "at least one [[sources]] entry is required: every fact needs a source");
        }
        let mut keys = HashSet::new();
        let mut out = Vec::new();
        for (i, s) in raw.into_iter().enumerate() {
            if !keys.insert(s.id.get_ref().clone()) {
                self.error(&s.id, &format!("sources[{i}].id"), format!("source id `{}` appears twice", s.id.get_ref()));
            }
            if s.url.is_none() && s.reference.is_none() {
                self.error(&s.id, &format!("sources[{i}]"), "a source needs a `url` or a document `reference`");
            }
            out.push(Source {
                key: s.id.into_inner(),
                title: s.title,
                publisher: s.publisher,
                url: s.url,
                reference: s.reference,
                consulted: s.consulted,
            });
        }
        out
    }
}

/// Resolves a `source = "..."` reference, defaulting to the first source.
fn source_key(c: &mut Checker, sources: &[Source], raw: Option<Spanned<String>>, field: &str) -> String {
    match raw {
        None => sources.first().map(|s| s.key.clone()).unwrap_or_default(),
        Some(key) => {
            if !sources.iter().any(|s| s.key == *key.get_ref()) {
                let known: Vec<_> = sources.iter().map(|s| s.key.as_str()).collect();
                c.error(
                    &key,
                    field,
                    format!("`{}` is not one of this file's source ids ({})", key.get_ref(), known.join(", ")),
                );
            }
            key.into_inner()
        }
    }
}

pub(super) fn read(
    file: &str,
    rel: &str,
    text: &str,
    index: &StateIndex,
    errors: &mut Vec<DataError>,
) -> Option<Agreement> {
    let raw: RawAgreement = super::parse_toml(file, text, errors)?;
    let before = errors.len();
    let mut c = Checker { file, text, index, errors };

    if raw.id.get_ref() != stem(rel) {
        c.error(&raw.id, "id", format!("id `{}` must equal the file name `{}`", raw.id.get_ref(), stem(rel)));
    } else if !is_slug(raw.id.get_ref()) {
        c.error(&raw.id, "id", "ids are lowercase letters, digits and '-'");
    }
    let mut kinds = raw.kinds.get_ref().clone();
    kinds.sort_unstable();
    kinds.dedup();
    if kinds.is_empty() {
        c.error(&raw.kinds, "kinds", "at least one kind is required");
    }
    if let Some(ended) = &raw.ended {
        if raw.signed.get_ref().certainly_after(ended.get_ref()) {
            c.error(ended, "ended", "the agreement ends before it was signed");
        }
    }
    let sources = c.sources(raw.sources);

    let members_at = raw.members.span().start;
    let mut members = Vec::new();
    for (i, m) in raw.members.into_inner().into_iter().enumerate() {
        let field = |f: &str| format!("members[{i}].{f}");
        let ccode = c.state(&m.state, &field("state"));
        if let Some(left) = &m.left {
            if m.joined.get_ref().certainly_after(left.get_ref()) {
                c.error(left, &field("left"), "the member leaves before it joined");
            }
        }
        let mut suspensions = Vec::new();
        for (j, s) in m.suspensions.into_iter().enumerate() {
            let sfield = |f: &str| format!("members[{i}].suspensions[{j}].{f}");
            if let Some(to) = &s.to {
                if s.from.get_ref().certainly_after(to.get_ref()) {
                    c.error(to, &sfield("to"), "the suspension ends before it starts");
                }
            }
            let toward = s.toward.iter().filter_map(|t| c.state(t, &sfield("toward"))).collect();
            let source = source_key(&mut c, &sources, s.source, &sfield("source"));
            suspensions.push(Suspension {
                from: s.from.into_inner(),
                to: s.to.map(Spanned::into_inner),
                scope: s.scope,
                toward,
                note: s.note,
                source,
            });
        }
        let source = source_key(&mut c, &sources, m.source, &field("source"));
        if let Some(ccode) = ccode {
            members.push(Membership {
                ccode,
                joined: m.joined.into_inner(),
                left: m.left.map(Spanned::into_inner),
                role: m.role,
                source,
                note: m.note,
                suspensions,
            });
        }
    }
    if members.is_empty() && c.errors.len() == before {
        c.error_at(members_at, "members", "an agreement needs its parties as [[members]]");
    }
    let parties: HashSet<Ccode> = members.iter().map(|m| m.ccode).collect();

    let mut obligations = Vec::new();
    for (i, o) in raw.obligations.into_iter().enumerate() {
        let from = parties_of(&mut c, o.from, &parties, &format!("obligations[{i}].from"), false);
        let toward = parties_of(&mut c, o.toward, &parties, &format!("obligations[{i}].toward"), true);
        let source = source_key(&mut c, &sources, o.source, &format!("obligations[{i}].source"));
        if let (Some(Ok(from)), Some(toward)) = (from, toward) {
            let toward = match toward {
                Ok(Parties::All) => Target::All,
                Ok(Parties::States(s)) => Target::States(s),
                Err(()) => Target::ThirdParty,
            };
            obligations.push(Obligation {
                kind: o.kind,
                from,
                toward,
                conditional: o.conditional,
                article: o.article,
                note: o.note,
                source,
            });
        }
    }

    let mut atop_exceptions = Vec::new();
    for (i, e) in raw.atop_exceptions.into_iter().enumerate() {
        if raw.atopid.is_none() {
            c.error(&e.state, &format!("atop_exceptions[{i}]"), "ATOP exceptions need an `atopid`");
        }
        if let Some(ccode) = c.state(&e.state, &format!("atop_exceptions[{i}].state")) {
            atop_exceptions.push(AtopException { ccode, field: e.field, ours: e.ours, atop: e.atop, reason: e.reason });
        }
    }

    (errors.len() == before).then(|| Agreement {
        id: raw.id.into_inner(),
        name: raw.name,
        short_names: raw.short_names,
        kinds,
        signed: raw.signed.into_inner(),
        in_force: raw.in_force,
        ended: raw.ended.map(Spanned::into_inner),
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
    })
}

/// `"all"`, a list of member states, or (toward only) `"third-party"`, which comes back
/// as `Err(())`. `None` when an error was reported.
fn parties_of(
    c: &mut Checker,
    raw: Spanned<RawParties>,
    members: &HashSet<Ccode>,
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
            None
        }
        RawParties::States(list) => {
            let mut out = Vec::new();
            for s in list {
                let ccode = c.state_at(&s, at, field)?;
                // Obligations may protect named non-members (SEATO's protocol states), but only
                // members hold them.
                if !third_party_allowed && !members.contains(&ccode) {
                    c.error_at(
                        at,
                        field,
                        format!("{s} is not a member of this agreement; only members hold obligations"),
                    );
                    return None;
                }
                out.push(ccode);
            }
            Some(Ok(Parties::States(out)))
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
