//! Agreement documents sent to the API and the edit pages: states named as on the command
//! line are resolved to COW codes, the document is parsed with the failing field path of
//! any malformed value (unknown fields are refused), then checked with the registry's
//! rules, the same function the curated loader (`data/` files) calls
//! (`pactbase_model::check::agreement`): slug ids, at least one kind and one member,
//! states that exist, dates in the state system's span and in order, no state a member
//! twice at once, obligations held by members, sources with http(s) addresses that are
//! cited by key, signatories and non-state parties apart from the members, reservations
//! and invocations made by members.

use std::collections::HashSet;

use pactbase_model::{check, Agreement, StateIndex};
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
    match check(agreement, index, replacing) {
        Ok(agreement) if problems.is_empty() => Ok((agreement, version)),
        Ok(_) => Err(ApiError::invalid(problems)),
        Err(found) => {
            problems.extend(found.into_iter().filter(|p| !named.contains(&p.field)));
            Err(ApiError::invalid(problems))
        }
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
/// that names no state is reported at its field path, with suggestions, and left as
/// [`check::UNNAMED`] so that the rest of the document is still checked. Numbers are left for
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
        *v = Value::from(check::UNNAMED);
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

/// `a` as it may be stored (source addresses normalised), or every problem by field
/// path: the registry's rules (`pactbase_model::check`, as for `data/` files) and, for a
/// change to an existing agreement (`replacing`), that the document keeps its id.
fn check(a: Agreement, index: &StateIndex, replacing: Option<&str>) -> Result<Agreement, Vec<FieldError>> {
    let mut problems = Vec::new();
    if let Some(id) = replacing.filter(|&id| id != a.id) {
        problems.push(FieldError {
            field: "id".into(),
            message: format!("must be `{id}`, the id of the agreement being changed"),
        });
    }
    let rules = check::Rules { index, years: check::Years::now() };
    match check::agreement(a, &rules) {
        Ok(a) if problems.is_empty() => Ok(a),
        Ok(_) => Err(problems),
        Err(found) => {
            let taken: HashSet<String> = problems.iter().map(|p| p.field.clone()).collect();
            let found = found.into_iter().map(|p| FieldError { field: p.path.to_string(), message: p.message });
            problems.extend(found.filter(|p| !taken.contains(&p.field)));
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use pactbase_ingest::curated::{self, DataFiles};
    use pactbase_model::{Parties, Target};
    use serde_json::json;

    use super::*;

    fn anzus() -> (StateIndex, Agreement) {
        let data = curated::load(&DataFiles::embedded()).unwrap();
        let anzus = data.agreements.iter().find(|a| a.id == "anzus").unwrap().clone();
        (StateIndex::new(data.states), anzus)
    }

    fn fields_of(doc: &Value, index: &StateIndex) -> Vec<(String, String)> {
        match document(doc.to_string().as_bytes(), index, Some("anzus")) {
            Ok(_) => vec![],
            Err(e) => e.fields.into_iter().map(|f| (f.field, f.message)).collect(),
        }
    }

    /// Issue 20 item 7: unknown fields and the same state twice are refused, not dropped.
    #[test]
    fn unknown_fields_and_duplicate_members_are_refused() {
        let (index, anzus) = anzus();
        let doc = serde_json::to_value(&anzus).unwrap();
        let mut bad = doc.clone();
        bad["colour"] = json!("blue");
        let got = fields_of(&bad, &index);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "colour");
        assert!(got[0].1.starts_with("unknown field `colour`"), "{got:?}");
        let mut bad = doc.clone();
        bad["members"][1]["joined_on"] = json!("1952");
        let got = fields_of(&bad, &index);
        assert_eq!(got[0].0, "members[1].joined_on");
        assert!(got[0].1.starts_with("unknown field `joined_on`, expected one of `ccode`, `joined`"), "{got:?}");
        let mut bad = doc.clone();
        bad["sources"][0]["link"] = json!("https://example.org");
        assert_eq!(fields_of(&bad, &index)[0].0, "sources[0].link");

        let mut bad = doc.clone();
        let again = bad["members"][1].clone();
        bad["members"].as_array_mut().unwrap().push(again);
        let got = fields_of(&bad, &index);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, format!("members[{}].ccode", anzus.members.len()));
        assert!(got[0].1.contains("is already a member"), "{got:?}");
    }

    /// Issue 20 item 7 and issue 15 item 2, through the API's checks.
    #[test]
    fn dates_and_links_are_refused_at_their_field() {
        let (index, _) = anzus();
        let (_, anzus) = anzus_doc();
        let mut bad = anzus.clone();
        bad["signed"] = json!("0001");
        bad["members"][0]["joined"] = json!("9999");
        bad["sources"][0]["url"] = json!("javascript:alert(1)");
        let got: Vec<String> = fields_of(&bad, &index).into_iter().map(|(f, _)| f).collect();
        for want in ["signed", "members[0].joined", "sources[0].url"] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        let mut doi = anzus.clone();
        doi["sources"][0]["url"] = json!("doi:10.1080/03050620208434");
        let (stored, _) = document(doi.to_string().as_bytes(), &index, Some("anzus")).unwrap();
        assert_eq!(stored.sources[0].url.as_deref(), Some("https://doi.org/10.1080/03050620208434"));
    }

    fn anzus_doc() -> (StateIndex, Value) {
        let (index, anzus) = anzus();
        (index, serde_json::to_value(&anzus).unwrap())
    }

    /// The registry's records about parties go through the same check, by field path.
    #[test]
    fn invocations_signatories_and_reservations_are_refused_at_their_field() {
        let (index, mut doc) = anzus_doc();
        let key = doc["sources"][0]["key"].clone();
        doc["invocations"] = json!([
            {"date": "2001-09-14", "by": "AUL", "obligation": "defense", "outcome": "honoured", "note": "After 9/11.", "source": key},
            {"date": "1950", "by": "India", "against": ["Atlantis"], "obligation": "defense", "outcome": "declined", "note": " ", "source": key},
        ]);
        doc["signatories"] = json!([{"ccode": "AUL", "signed": "1951-09-01", "source": key, "note": null}]);
        doc["reservations"] =
            json!([{"ccode": "IND", "article": null, "effect": "limits", "text": "…", "source": key}]);
        let got: Vec<String> = fields_of(&doc, &index).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            got,
            [
                "invocations[1].against[0]",
                "signatories[0].ccode",
                "reservations[0].ccode",
                "invocations[1].date",
                "invocations[1].by",
                "invocations[1].note",
            ]
        );
    }

    /// Documents stored before the registry recorded signatories, non-state parties,
    /// coverage, reservations, invocations and members' signatures still read.
    #[test]
    fn documents_without_the_newer_fields_are_read_with_their_defaults() {
        let (index, mut doc) = anzus_doc();
        for field in ["parties", "signatories", "non_state_parties", "reservations", "invocations"] {
            doc.as_object_mut().unwrap().remove(field).unwrap_or_else(|| panic!("{field}"));
        }
        for m in doc["members"].as_array_mut().unwrap() {
            m.as_object_mut().unwrap().remove("signed");
            m.as_object_mut().unwrap().remove("before_signature");
        }
        let (a, _) = document(doc.to_string().as_bytes(), &index, Some("anzus")).unwrap();
        assert!(a.invocations.is_empty() && a.signatories.is_empty() && a.members.iter().all(|m| m.signed.is_none()));
    }

    #[test]
    fn states_may_be_named_anywhere_a_document_refers_to_one() {
        let (index, anzus) = anzus();
        let anzus = &anzus;
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
