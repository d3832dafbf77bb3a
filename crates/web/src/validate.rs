//! Agreement documents sent to the API and the edit pages: states named as on the command
//! line are resolved to COW codes, the document is parsed with the failing field path of
//! any malformed value, then checked with the rules of the curated loader (`data/` files):
//! slug ids, at least one kind and one member, states that exist, dates in order,
//! obligations held by members, sources that exist and are cited by key.

use std::collections::HashSet;

use pactbase_model::{Agreement, Ccode, Parties, StateIndex, Target};
use serde_json::Value;

use crate::error::{ApiError, FieldError};

/// A body: the agreement document, with an optional top-level `version` (the version
/// the change is based on), parsed and checked whole. States may be named as on the
/// command line ([`resolve_states`]). A change to an existing agreement passes its id as
/// `replacing`. Every problem found comes back at once, by field path (422).
pub fn document(
    body: &[u8],
    index: &StateIndex,
    replacing: Option<&str>,
) -> Result<(Agreement, Option<i64>), ApiError> {
    let mut value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid(vec![FieldError { field: String::new(), message: format!("not JSON: {e}") }]))?;
    let mut problems = resolve_states(&mut value, index);
    let version = match value.as_object_mut().and_then(|o| o.remove("version")) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(_) => {
            problems.push(FieldError { field: "version".into(), message: "must be an integer".into() });
            None
        }
    };
    let agreement: Agreement = match serde_path_to_error::deserialize(value) {
        Ok(a) => a,
        Err(e) => {
            let path = e.path().to_string();
            problems.push(FieldError {
                field: if path == "." { String::new() } else { path },
                message: e.into_inner().to_string(),
            });
            return Err(ApiError::invalid(problems));
        }
    };
    // A state that could not be named is already reported where it stands.
    let named: HashSet<String> = problems.iter().map(|p| p.field.clone()).collect();
    problems.extend(check(&agreement, index, replacing).into_iter().filter(|p| !named.contains(&p.field)));
    if problems.is_empty() {
        Ok((agreement, version))
    } else {
        Err(ApiError::invalid(problems))
    }
}

/// One more item of an agreement's lists, added without sending the whole document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addition {
    /// A state joins (most often an accession).
    Member,
    /// A source that memberships and obligations can then cite.
    Source,
    /// An obligation (defense, offense, neutrality, nonaggression, consultation).
    Obligation,
}

impl Addition {
    /// The request field and error-path prefix: `member`, `source` or `obligation`.
    pub fn field(self) -> &'static str {
        match self {
            Addition::Member => "member",
            Addition::Source => "source",
            Addition::Obligation => "obligation",
        }
    }

    /// The document's list.
    fn list(self) -> &'static str {
        match self {
            Addition::Member => "members",
            Addition::Source => "sources",
            Addition::Obligation => "obligations",
        }
    }

    /// Fields that may be left out, with their values when they are.
    fn optional(self) -> Vec<(&'static str, Value)> {
        match self {
            Addition::Member => {
                vec![("left", Value::Null), ("note", Value::Null), ("suspensions", Value::Array(vec![]))]
            }
            Addition::Source => vec![("url", Value::Null), ("reference", Value::Null), ("consulted", Value::Null)],
            Addition::Obligation => vec![
                ("from", Value::from("all")),
                ("toward", Value::from("all")),
                ("conditional", Value::Bool(false)),
                ("article", Value::Null),
                ("note", Value::Null),
            ],
        }
    }

    pub fn example(self) -> &'static str {
        match self {
            Addition::Member => {
                r#"{"ccode": "SWD", "joined": "2024-03-07", "role": "acceded", "source": "…", "note": "…"}"#
            }
            Addition::Source => {
                r#"{"key": "accession", "title": "…", "publisher": "…", "url": "https://…", "consulted": "2026-11-29"}"#
            }
            Addition::Obligation => {
                r#"{"type": "defense", "from": "all", "toward": {"states": ["PAK"]}, "conditional": false, "article": "Art. 2", "source": "text"}"#
            }
        }
    }
}

/// `current` with `item` appended to the list `addition` names (an object as in a
/// document; optional fields may be left out), checked whole as [`document`] checks a
/// change. Problems of the new item are reported under `member.…`, `source.…` or
/// `obligation.…`.
pub fn with_addition(
    current: &Agreement,
    addition: Addition,
    mut item: Value,
    index: &StateIndex,
) -> Result<Agreement, ApiError> {
    let Some(fields) = item.as_object_mut() else {
        return Err(ApiError::invalid(vec![FieldError {
            field: addition.field().into(),
            message: format!("must be an object, e.g. {}", addition.example()),
        }]));
    };
    for (key, empty) in addition.optional() {
        fields.entry(key).or_insert(empty);
    }
    let mut doc = serde_json::to_value(current).map_err(ApiError::internal)?;
    let list = doc[addition.list()].as_array_mut().ok_or_else(|| ApiError::internal("a document without its lists"))?;
    let prefix = format!("{}[{}]", addition.list(), list.len());
    list.push(item);
    recheck(current, &doc, index, &prefix, addition.field())
}

/// A member leaves: `current` with the open membership of `state` (named as on the
/// command line) ended on `left`, and `note` added to its note; checked whole as
/// [`document`] checks a change, with problems reported under `state`, `left` or `note`.
pub fn with_departure(
    current: &Agreement,
    state: &str,
    left: &str,
    note: Option<&str>,
    index: &StateIndex,
) -> Result<Agreement, ApiError> {
    let ccode = index.resolve(state.trim()).map_err(|e| invalid("state", e.to_string()))?.ccode;
    let Some(at) = current.members.iter().position(|m| m.ccode == ccode && m.left.is_none()) else {
        return Err(invalid("state", format!("{} has no open membership in {}", index.name(ccode), current.label())));
    };
    let mut doc = serde_json::to_value(current).map_err(ApiError::internal)?;
    let member = &mut doc["members"][at];
    member["left"] = Value::from(left.trim());
    if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
        member["note"] = match member["note"].as_str() {
            Some(old) => Value::from(format!("{old} {note}")),
            None => Value::from(note),
        };
    }
    recheck(current, &doc, index, &format!("members[{at}]."), "")
}

/// `current` without its obligation number `at` (from 0, in document order); the
/// number is reported under `obligation` when there is no such obligation.
pub fn without_obligation(current: &Agreement, at: usize, index: &StateIndex) -> Result<Agreement, ApiError> {
    if at >= current.obligations.len() {
        let count = current.obligations.len();
        return Err(invalid(
            "obligation",
            format!("{} has {count} obligation(s), numbered from 0; there is no number {at}", current.label()),
        ));
    }
    let mut doc = serde_json::to_value(current).map_err(ApiError::internal)?;
    if let Some(list) = doc["obligations"].as_array_mut() {
        list.remove(at);
    }
    recheck(current, &doc, index, "", "")
}

/// `current` with the provisions `changes` names set: `true` (provided for), `false`
/// (the sources establish it is not) or `null` (not established). Provisions not named
/// keep their value; an unknown name or value is reported under `provisions.NAME`.
pub fn with_provisions(current: &Agreement, changes: Value, index: &StateIndex) -> Result<Agreement, ApiError> {
    let Value::Object(changes) = changes else {
        return Err(invalid(
            "provisions",
            r#"must be an object, e.g. {"military_aid": true, "foreign_bases": null}"#.into(),
        ));
    };
    let mut doc = serde_json::to_value(current).map_err(ApiError::internal)?;
    let provisions =
        doc["provisions"].as_object_mut().ok_or_else(|| ApiError::internal("a document without provisions"))?;
    let names: Vec<String> = provisions.keys().cloned().collect();
    let mut problems = Vec::new();
    for (name, value) in changes {
        let field = format!("provisions.{name}");
        if !provisions.contains_key(&name) {
            problems.push(FieldError {
                field,
                message: format!("no such provision; the provisions are {}", names.join(", ")),
            });
        } else if !(value.is_boolean() || value.is_null()) {
            problems.push(FieldError { field, message: "must be true, false or null (not established)".into() });
        } else {
            provisions.insert(name, value);
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    recheck(current, &doc, index, "", "")
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::invalid(vec![FieldError { field: field.into(), message }])
}

/// `doc`, a changed copy of `current`, checked as [`document`] checks a change; the
/// paths of problems under `prefix` are reported under `field` instead, so that they
/// name the fields of the request rather than of the whole document.
fn recheck(
    current: &Agreement,
    doc: &Value,
    index: &StateIndex,
    prefix: &str,
    field: &str,
) -> Result<Agreement, ApiError> {
    let body = serde_json::to_vec(doc).map_err(ApiError::internal)?;
    document(&body, index, Some(&current.id)).map(|(a, _)| a).map_err(|mut e| {
        for f in &mut e.fields {
            if let Some(rest) = f.field.strip_prefix(prefix) {
                f.field = format!("{field}{rest}");
            }
        }
        e
    })
}

/// Replaces every state given as text (a COW code, abbreviation, ISO code or name, as the
/// command line takes them) by its COW code, so editors need not look codes up; a text
/// that names no state is reported at its field path, with suggestions, and left as 0 (no
/// state) so that the rest of the document is still checked. Numbers are left for
/// [`check`].
fn resolve_states(doc: &mut Value, index: &StateIndex) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut resolve = |v: &mut Value, field: String| {
        let Value::String(text) = v else { return };
        let message = match index.resolve(text.trim()) {
            Ok(state) => {
                *v = Value::from(state.ccode);
                return;
            }
            Err(_) if text.trim().is_empty() => "name the state: a COW code, abbreviation, ISO code or name".to_owned(),
            Err(e) => e.to_string(),
        };
        *v = Value::from(0);
        errors.push(FieldError { field, message });
    };
    for (i, m) in items(doc.get_mut("members")) {
        if let Some(c) = m.get_mut("ccode") {
            resolve(c, format!("members[{i}].ccode"));
        }
        for (j, s) in items(m.get_mut("suspensions")) {
            for (k, c) in items(s.get_mut("toward")) {
                resolve(c, format!("members[{i}].suspensions[{j}].toward[{k}]"));
            }
        }
    }
    for (i, o) in items(doc.get_mut("obligations")) {
        for side in ["from", "toward"] {
            for (k, c) in items(o.get_mut(side).and_then(|p| p.get_mut("states"))) {
                resolve(c, format!("obligations[{i}].{side}[{k}]"));
            }
        }
    }
    for (i, e) in items(doc.get_mut("atop_exceptions")) {
        if let Some(c) = e.get_mut("ccode") {
            resolve(c, format!("atop_exceptions[{i}].ccode"));
        }
    }
    for (i, s) in items(doc.get_mut("signatories")) {
        if let Some(c) = s.get_mut("ccode") {
            resolve(c, format!("signatories[{i}].ccode"));
        }
    }
    for (i, r) in items(doc.get_mut("reservations")) {
        if let Some(c) = r.get_mut("ccode") {
            resolve(c, format!("reservations[{i}].ccode"));
        }
    }
    for (i, v) in items(doc.get_mut("invocations")) {
        if let Some(c) = v.get_mut("by") {
            resolve(c, format!("invocations[{i}].by"));
        }
        for (k, c) in items(v.get_mut("against")) {
            resolve(c, format!("invocations[{i}].against[{k}]"));
        }
    }
    errors
}

/// The items of an array field, numbered; none when it is absent or not an array (the
/// typed parse reports that).
fn items(v: Option<&mut Value>) -> impl Iterator<Item = (usize, &mut Value)> {
    v.and_then(Value::as_array_mut).into_iter().flat_map(|a| a.iter_mut().enumerate())
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Every problem of `a`, by field path; empty when it may be stored. A change to an
/// existing agreement passes its id as `replacing`: the document must keep it.
fn check(a: &Agreement, index: &StateIndex, replacing: Option<&str>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut err = |field: String, message: String| errors.push(FieldError { field, message });
    if let Some(id) = replacing.filter(|&id| id != a.id) {
        err("id".into(), format!("must be `{id}`, the id of the agreement being changed"));
    } else if !is_slug(&a.id) {
        err("id".into(), "ids are lowercase letters, digits and '-'".into());
    } else if a.id.starts_with("atop-") {
        err("id".into(), "ids `atop-…` are reserved for ATOP's alliances".into());
    }
    if a.name.trim().is_empty() {
        err("name".into(), "a name is required".into());
    }
    if a.kinds.is_empty() {
        err("kinds".into(), "at least one kind is required".into());
    }
    if let Some(ended) = &a.ended {
        if a.signed.certainly_after(ended) {
            err("ended".into(), "the agreement ends before it was signed".into());
        }
    }
    if a.summary.trim().is_empty() {
        err("summary".into(), "a summary is required".into());
    }
    let mut keys = HashSet::new();
    for (i, s) in a.sources.iter().enumerate() {
        if s.key.trim().is_empty() {
            err(format!("sources[{i}].key"), "a source needs a key".into());
        } else if !keys.insert(s.key.as_str()) {
            err(format!("sources[{i}].key"), format!("`{}` is used by another source", s.key));
        }
        if s.title.trim().is_empty() {
            err(format!("sources[{i}].title"), "a source needs a title".into());
        }
        if s.publisher.trim().is_empty() {
            err(format!("sources[{i}].publisher"), "a source needs a publisher".into());
        }
        if s.url.is_none() && s.reference.is_none() {
            err(format!("sources[{i}].url"), "a source needs a url or a reference".into());
        }
    }
    if a.sources.is_empty() {
        err("sources".into(), "every fact needs a source: at least one source is required".into());
    }
    let known: Vec<&str> = a.sources.iter().map(|s| s.key.as_str()).collect();
    let cite = |field: String, key: &str, errors: &mut Vec<FieldError>| {
        if !known.contains(&key) {
            errors.push(FieldError {
                field,
                message: format!("`{key}` is not one of this agreement's source keys ({})", known.join(", ")),
            });
        }
    };
    let state = |field: String, ccode: Ccode, errors: &mut Vec<FieldError>| {
        if index.get(ccode).is_none() {
            errors.push(FieldError { field, message: format!("{ccode} is not a COW state code pactbase knows") });
        }
    };
    if a.members.is_empty() {
        errors.push(FieldError { field: "members".into(), message: "an agreement needs its parties".into() });
    }
    for (i, m) in a.members.iter().enumerate() {
        state(format!("members[{i}].ccode"), m.ccode, &mut errors);
        if let Some(left) = &m.left {
            if m.joined.certainly_after(left) {
                errors.push(FieldError {
                    field: format!("members[{i}].left"),
                    message: "the member leaves before it joined".into(),
                });
            }
        }
        cite(format!("members[{i}].source"), &m.source, &mut errors);
        for (j, s) in m.suspensions.iter().enumerate() {
            if let Some(to) = &s.to {
                if s.from.certainly_after(to) {
                    errors.push(FieldError {
                        field: format!("members[{i}].suspensions[{j}].to"),
                        message: "the suspension ends before it starts".into(),
                    });
                }
            }
            for (k, &c) in s.toward.iter().enumerate() {
                state(format!("members[{i}].suspensions[{j}].toward[{k}]"), c, &mut errors);
            }
            cite(format!("members[{i}].suspensions[{j}].source"), &s.source, &mut errors);
        }
    }
    let parties: HashSet<Ccode> = a.members.iter().map(|m| m.ccode).collect();
    for (i, o) in a.obligations.iter().enumerate() {
        if matches!(&o.from, Parties::States(list) if list.is_empty()) {
            errors.push(FieldError {
                field: format!("obligations[{i}].from"),
                message: "name the members that hold it, or \"all\"".into(),
            });
        }
        if matches!(&o.toward, Target::States(list) if list.is_empty()) {
            errors.push(FieldError {
                field: format!("obligations[{i}].toward"),
                message: "name the states it runs toward, or \"all\" or \"third-party\"".into(),
            });
        }
        if let Parties::States(list) = &o.from {
            for (k, c) in list.iter().enumerate() {
                if !parties.contains(c) {
                    errors.push(FieldError {
                        field: format!("obligations[{i}].from[{k}]"),
                        message: format!("{c} is not a member of this agreement; only members hold obligations"),
                    });
                }
            }
        }
        if let Target::States(list) = &o.toward {
            for (k, &c) in list.iter().enumerate() {
                state(format!("obligations[{i}].toward[{k}]"), c, &mut errors);
            }
        }
        cite(format!("obligations[{i}].source"), &o.source, &mut errors);
    }
    for (i, e) in a.atop_exceptions.iter().enumerate() {
        if a.atopid.is_none() {
            errors.push(FieldError {
                field: format!("atop_exceptions[{i}]"),
                message: "ATOP exceptions need an `atopid`".into(),
            });
        }
        state(format!("atop_exceptions[{i}].ccode"), e.ccode, &mut errors);
    }
    for (i, m) in a.members.iter().enumerate() {
        if m.signed.is_some_and(|s| s.certainly_after(&m.joined)) {
            errors.push(FieldError {
                field: format!("members[{i}].signed"),
                message: "a member signs before it is bound (or omits `signed`)".into(),
            });
        }
    }
    for (i, s) in a.signatories.iter().enumerate() {
        state(format!("signatories[{i}].ccode"), s.ccode, &mut errors);
        if a.members.iter().any(|m| m.ccode == s.ccode && m.left.is_none()) {
            errors.push(FieldError {
                field: format!("signatories[{i}].ccode"),
                message: format!("{} is a member: give its signature as the member's `signed`", s.ccode),
            });
        }
        cite(format!("signatories[{i}].source"), &s.source, &mut errors);
    }
    for (i, p) in a.non_state_parties.iter().enumerate() {
        if p.name.trim().is_empty() {
            errors.push(FieldError {
                field: format!("non_state_parties[{i}].name"),
                message: "a name is required".into(),
            });
        } else if let Some(st) = index.lookup(p.name.trim()) {
            errors.push(FieldError {
                field: format!("non_state_parties[{i}].name"),
                message: format!("{} is a COW state ({}): list it as a member", p.name, st.abb),
            });
        }
        if p.signed.is_none() && p.joined.is_none() {
            errors.push(FieldError {
                field: format!("non_state_parties[{i}].joined"),
                message: "give the date it was bound (`joined`), its signature (`signed`) or both".into(),
            });
        }
        cite(format!("non_state_parties[{i}].source"), &p.source, &mut errors);
    }
    // A member that could not be named is reported once, not again by everything that cites it.
    let unnamed_member = a.members.iter().any(|m| index.get(m.ccode).is_none());
    let party = |field: String, ccode: Ccode, why: &str, errors: &mut Vec<FieldError>| {
        if !unnamed_member && !parties.contains(&ccode) {
            errors.push(FieldError { field, message: format!("{ccode} is not a member of this agreement; {why}") });
        }
    };
    for (i, r) in a.reservations.iter().enumerate() {
        party(format!("reservations[{i}].ccode"), r.ccode, "reservations are made by parties", &mut errors);
        cite(format!("reservations[{i}].source"), &r.source, &mut errors);
    }
    for (i, v) in a.invocations.iter().enumerate() {
        if a.signed.certainly_after(&v.date) {
            errors.push(FieldError {
                field: format!("invocations[{i}].date"),
                message: "the invocation comes before the agreement was signed".into(),
            });
        }
        if v.note.trim().is_empty() {
            errors.push(FieldError {
                field: format!("invocations[{i}].note"),
                message: "say what was asked and what the partners did".into(),
            });
        }
        party(format!("invocations[{i}].by"), v.by, "only a party can invoke the agreement", &mut errors);
        for (k, &c) in v.against.iter().enumerate() {
            state(format!("invocations[{i}].against[{k}]"), c, &mut errors);
        }
        cite(format!("invocations[{i}].source"), &v.source, &mut errors);
    }
    errors
}

#[cfg(test)]
mod tests {
    use pactbase_ingest::curated::{self, DataFiles};
    use serde_json::json;

    use super::*;

    #[test]
    fn states_may_be_named_anywhere_a_document_refers_to_one() {
        let data = curated::load(&DataFiles::embedded()).unwrap();
        let index = StateIndex::new(data.states.clone());
        let anzus = data.agreements.iter().find(|a| a.id == "anzus").unwrap();
        let mut doc = serde_json::to_value(anzus).unwrap();
        let names = [(2, "United States of America"), (900, "AUL"), (920, "New Zealand")];
        let name = |c: &Value| names.iter().find(|(code, _)| c == &json!(code)).map(|(_, n)| json!(n)).unwrap();
        for m in doc["members"].as_array_mut().unwrap() {
            m["ccode"] = name(&m["ccode"]);
            for s in m["suspensions"].as_array_mut().unwrap() {
                for c in s["toward"].as_array_mut().unwrap() {
                    *c = name(c);
                }
            }
        }
        doc["obligations"][0]["from"] = json!({"states": ["USA", "Australia"]});
        doc["obligations"][0]["toward"] = json!({"states": ["NZL"]});
        let (read, _) = document(doc.to_string().as_bytes(), &index, Some("anzus")).unwrap();
        assert_eq!(read.members, anzus.members, "names and codes give the same members");
        assert_eq!(read.obligations[0].from, Parties::States(vec![2, 900]));
        assert_eq!(read.obligations[0].toward, Target::States(vec![920]));

        doc["obligations"][0]["toward"] = json!({"states": ["Nw Zealand", ""]});
        let e = document(doc.to_string().as_bytes(), &index, Some("anzus")).unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["obligations[0].toward[0]", "obligations[0].toward[1]"], "{:?}", e.fields);
        assert!(e.fields[0].message.contains("New Zealand"), "a suggestion: {}", e.fields[0].message);
    }
}
