use pactbase_model::{Agreement, Domain, ExerciseSeries, Focus, StateIndex};
use serde::Deserialize;
use toml::Spanned;

use super::agreements::{Checker, RawSource};
use super::{is_slug, stem};
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
    sources: Spanned<Vec<RawSource>>,
}

pub(super) fn read(
    file: &str,
    rel: &str,
    text: &str,
    index: &StateIndex,
    agreements: &[Agreement],
    errors: &mut Vec<DataError>,
) -> Option<ExerciseSeries> {
    let raw: RawSeries = super::parse_toml(file, text, errors)?;
    let before = errors.len();
    let mut c = Checker { file, text, index, errors };
    if raw.id.get_ref() != stem(rel) || !is_slug(raw.id.get_ref()) {
        c.error(
            &raw.id,
            "id",
            format!("id `{}` must be a slug equal to the file name `{}`", raw.id.get_ref(), stem(rel)),
        );
    }
    let host = raw.host.as_ref().and_then(|h| c.state(h, "host"));
    if let Some(a) = &raw.agreement {
        if !agreements.iter().any(|x| x.id == *a.get_ref()) {
            c.error(a, "agreement", format!("no agreement `{}` in data/agreements", a.get_ref()));
        }
    }
    let participants: Vec<_> =
        raw.participants.iter().enumerate().filter_map(|(i, p)| c.state(p, &format!("participants[{i}]"))).collect();
    let years = raw.years.get_ref().clone();
    if years.windows(2).any(|w| w[0] >= w[1]) {
        c.error(&raw.years, "years", "years must be increasing, each once");
    }
    if years.iter().any(|y| !(1900..=2100).contains(y)) {
        c.error(&raw.years, "years", "a year is out of range 1900-2100");
    }
    let sources = c.sources(raw.sources);
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
