use std::collections::HashSet;

use pactbase_model::check::{self, is_slug, FieldPath, Rules, Years};
use pactbase_model::coverage::YEARS;
use pactbase_model::{Agreement, Domain, ExerciseSeries, Focus, StateIndex};
use serde::Deserialize;
use toml::Spanned;

use super::agreements::{self, Checker, RawSource};
use super::stem;
use crate::DataError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    id: Spanned<String>,
    name: String,
    host: Option<Spanned<String>>,
    agreement: Option<Spanned<String>>,
    domains: Vec<Domain>,
    focus: Vec<Focus>,
    participants: Vec<Spanned<String>>,
    years: Spanned<Vec<i32>>,
    summary: String,
    sources: Vec<RawSource>,
}

pub(super) fn read(
    file: &str,
    rel: &str,
    text: &str,
    index: &StateIndex,
    span: Years,
    agreements: &[Agreement],
    errors: &mut Vec<DataError>,
) -> Option<ExerciseSeries> {
    let raw: RawSeries = super::parse_toml(file, text, errors)?;
    let before = errors.len();
    let mut c = Checker { file, text, index, errors, reported: HashSet::new() };
    if raw.id.get_ref() != stem(rel) || !is_slug(raw.id.get_ref()) {
        c.error(
            &raw.id,
            "id",
            format!("id `{}` must be a slug equal to the file name `{}`", raw.id.get_ref(), stem(rel)),
        );
    }
    let host = raw.host.as_ref().and_then(|h| c.state(h, "host".into(), "host"));
    if let Some(a) = &raw.agreement {
        if !agreements.iter().any(|x| x.id == *a.get_ref()) {
            c.error(a, "agreement", format!("no agreement `{}` in data/agreements", a.get_ref()));
        }
    }
    let participants: Vec<_> = raw
        .participants
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let path = format!("participants[{i}]");
            c.state(p, path.clone(), &path)
        })
        .collect();
    let years = raw.years.get_ref().clone();
    if years.windows(2).any(|w| w[0] >= w[1]) {
        c.error(&raw.years, "years", "years must be increasing, each once");
    }
    if years.iter().any(|&y| !YEARS.contains(y)) {
        c.error(&raw.years, "years", format!("a year is outside {YEARS}"));
    }
    let sources = match check::sources(
        agreements::sources(raw.sources),
        &FieldPath::field("sources"),
        &Rules { index, years: span },
    ) {
        Ok(sources) => sources,
        Err(problems) => {
            c.problems(problems);
            Vec::new()
        }
    };
    (errors.len() == before).then(|| ExerciseSeries {
        id: raw.id.into_inner(),
        name: raw.name,
        host,
        agreement: raw.agreement.map(Spanned::into_inner),
        domains: raw.domains,
        focus: raw.focus,
        participants,
        years,
        summary: raw.summary.trim().to_owned(),
        sources,
    })
}
