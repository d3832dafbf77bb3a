//! Agreement documents sent to the API: parsed with the failing field path of any
//! malformed value, then checked with the rules of the curated loader (`data/` files):
//! slug ids, at least one kind and one member, states that exist, dates in order,
//! obligations held by members, sources that exist and are cited by key.

use std::collections::HashSet;

use pactbase_model::{Agreement, Ccode, Parties, StateIndex, Target};

use crate::error::{ApiError, FieldError};

/// A body: the agreement document, with an optional top-level `version` (the version
/// the change is based on).
pub fn parse(body: &[u8]) -> Result<(Agreement, Option<i64>), ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid(vec![FieldError { field: String::new(), message: format!("not JSON: {e}") }]))?;
    let version = match value.as_object_mut().and_then(|o| o.remove("version")) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(_) => {
            return Err(ApiError::invalid(vec![FieldError {
                field: "version".into(),
                message: "must be an integer".into(),
            }]))
        }
    };
    let agreement: Agreement = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::invalid(vec![FieldError {
            field: if path == "." { String::new() } else { path },
            message: e.into_inner().to_string(),
        }])
    })?;
    Ok((agreement, version))
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Every problem of `a`, by field path; empty when it may be stored. A change to an
/// existing agreement passes its id as `replacing`: the document must keep it.
pub fn check(a: &Agreement, index: &StateIndex, replacing: Option<&str>) -> Vec<FieldError> {
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
    errors
}
