use std::collections::{HashMap, HashSet};

use pactbase_model::{
    Agreement, AgreementKind, AtopException, AtopField, Ccode, Invocation, InvocationOutcome, Membership,
    NonStateParty, Obligation, ObligationType, PartialDate, Parties, PartyCoverage, Provisions, Reservation,
    ReservationEffect, Role, Signatory, Source, StateIndex, Status, Suspension, SuspensionScope, Target,
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
    #[serde(default)]
    parties: PartyCoverage,
    members: Spanned<Vec<RawMember>>,
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
    signed: Option<Spanned<PartialDate>>,
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
struct RawSignatory {
    state: Spanned<String>,
    signed: PartialDate,
    source: Option<Spanned<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNonStateParty {
    name: Spanned<String>,
    signed: Option<PartialDate>,
    joined: Option<Spanned<PartialDate>>,
    left: Option<Spanned<PartialDate>>,
    source: Option<Spanned<String>>,
    note: Option<String>,
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
struct RawReservation {
    state: Spanned<String>,
    article: Option<String>,
    effect: ReservationEffect,
    text: String,
    source: Option<Spanned<String>>,
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
    date: Spanned<PartialDate>,
    by: Spanned<String>,
    against: Option<Spanned<RawStates>>,
    obligation: ObligationType,
    article: Option<String>,
    outcome: InvocationOutcome,
    note: Spanned<String>,
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
        None
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
        if let Some(signed) = &m.signed {
            if signed.get_ref().certainly_after(m.joined.get_ref()) {
                c.error(signed, &field("signed"), "a member signs before it is bound (or omits `signed`)");
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
                signed: m.signed.map(Spanned::into_inner),
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
    let signatories = signatories(&mut c, raw.signatories, &members, &sources);
    let non_state_parties = non_state_parties(&mut c, raw.non_state_parties, &sources);

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

    let reservations = raw
        .reservations
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let field = |f: &str| format!("reservations[{i}].{f}");
            let ccode = party(&mut c, &r.state, &parties, &field("state"), "reservations are made by parties");
            let source = source_key(&mut c, &sources, r.source, &field("source"));
            Some(Reservation { ccode: ccode?, article: r.article, effect: r.effect, text: r.text, source })
        })
        .collect();

    let mut invocations = Vec::new();
    for (i, v) in raw.invocations.into_iter().enumerate() {
        let field = |f: &str| format!("invocations[{i}].{f}");
        if raw.signed.get_ref().certainly_after(v.date.get_ref()) {
            c.error(&v.date, &field("date"), "the invocation comes before the agreement was signed");
        }
        if v.note.get_ref().trim().is_empty() {
            c.error(&v.note, &field("note"), "say what was asked and what the partners did");
        }
        let by = party(&mut c, &v.by, &parties, &field("by"), "only a party can invoke the agreement");
        let mut against = Vec::new();
        if let Some(raw) = v.against {
            let at = raw.span().start;
            let states = match raw.into_inner() {
                RawStates::One(s) => vec![s],
                RawStates::Many(list) => list,
            };
            against.extend(states.iter().filter_map(|s| c.state_at(s, at, &field("against"))));
        }
        let source = source_key(&mut c, &sources, v.source, &field("source"));
        if let Some(by) = by {
            invocations.push(Invocation {
                date: v.date.into_inner(),
                by,
                against,
                obligation: v.obligation,
                article: v.article,
                outcome: v.outcome,
                note: v.note.into_inner().trim().to_owned(),
                source,
            });
        }
    }
    invocations.sort_by_key(|v| v.date);

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
        party_coverage: raw.parties,
        members,
        signatories,
        non_state_parties,
        obligations,
        reservations,
        invocations,
        atop_exceptions,
    })
}

/// States that signed and are not bound; one still bound must be listed as a member only.
fn signatories(c: &mut Checker, raw: Vec<RawSignatory>, members: &[Membership], sources: &[Source]) -> Vec<Signatory> {
    let mut out: Vec<Signatory> = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        let field = |f: &str| format!("signatories[{i}].{f}");
        let ccode = c.state(&s.state, &field("state"));
        let source = source_key(c, sources, s.source, &field("source"));
        let Some(ccode) = ccode else { continue };
        if members.iter().any(|m| m.ccode == ccode && m.left.is_none()) {
            c.error(
                &s.state,
                &field("state"),
                format!("{} is a member: give its signature as the member's `signed`", s.state.get_ref()),
            );
        } else if out.iter().any(|o| o.ccode == ccode) {
            c.error(&s.state, &field("state"), format!("{} is listed twice", s.state.get_ref()));
        } else {
            out.push(Signatory { ccode, signed: s.signed, source, note: s.note });
        }
    }
    out
}

/// Parties outside the COW state system, by name; a COW state must be a member instead.
fn non_state_parties(c: &mut Checker, raw: Vec<RawNonStateParty>, sources: &[Source]) -> Vec<NonStateParty> {
    let mut out = Vec::new();
    for (i, p) in raw.into_iter().enumerate() {
        let field = |f: &str| format!("non_state_parties[{i}].{f}");
        if let Some(state) = c.index.lookup(p.name.get_ref().trim()) {
            let hint = format!("{} is a COW state ({}): list it under [[members]]", p.name.get_ref(), state.abb);
            c.error(&p.name, &field("name"), hint);
        }
        if p.signed.is_none() && p.joined.is_none() {
            c.error(
                &p.name,
                &field("joined"),
                "give the date it was bound (`joined`), its signature (`signed`) or both",
            );
        }
        if let (Some(joined), Some(left)) = (&p.joined, &p.left) {
            if joined.get_ref().certainly_after(left.get_ref()) {
                c.error(left, &field("left"), "the party leaves before it joined");
            }
        }
        let source = source_key(c, sources, p.source, &field("source"));
        out.push(NonStateParty {
            name: p.name.into_inner().trim().to_owned(),
            signed: p.signed,
            joined: p.joined.map(Spanned::into_inner),
            left: p.left.map(Spanned::into_inner),
            source,
            note: p.note,
        });
    }
    out
}

/// A state that must be a party of the agreement (`why` says so in the error).
fn party(c: &mut Checker, abb: &Spanned<String>, parties: &HashSet<Ccode>, field: &str, why: &str) -> Option<Ccode> {
    let ccode = c.state(abb, field)?;
    if !parties.contains(&ccode) {
        c.error(abb, field, format!("{} is not a member of this agreement; {why}", abb.get_ref()));
        return None;
    }
    Some(ccode)
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
