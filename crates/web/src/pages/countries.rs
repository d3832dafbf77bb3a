//! `/countries`: every state of the state system with its codes, region, years in the
//! system and how many agreements bind it today, each linked to its page.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::html;
use pactbase_model::coverage::YEARS;
use pactbase_model::YearSpan;
use pactbase_model::{Region, Vocabulary};
use pactbase_service::{listing, REGISTRY_LAST_YEAR};
use serde::Deserialize;

use crate::error::ApiError;
use crate::params::{given, Q};
use crate::Shared;

use super::glossary::term;
use super::tables::{data_table, Cell, DataTable};
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/countries", get(countries))
}

#[derive(Deserialize)]
struct CountryListParams {
    /// `current`: only states in the system now.
    members: Option<String>,
    region: Option<String>,
    /// `name` (default), `in-force` or `code`.
    sort: Option<String>,
}

async fn countries(State(state): State<Shared>, Q(p): Q<CountryListParams>) -> PageResult {
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let year = REGISTRY_LAST_YEAR;
        let counts = listing::per_state(store, year)?;
        let region = given(&p.region).map(Region::parse).transpose().map_err(ApiError::bad_request)?;
        let current = match given(&p.members) {
            None | Some("all") => false,
            Some("current") => true,
            Some(other) => return Err(ApiError::bad_request(format!("members: `{other}`: all or current"))),
        };
        let mut states: Vec<_> = index
            .states()
            .iter()
            .filter(|s| !current || s.member_in(year))
            .filter(|s| region.is_none_or(|r| Region::of(s.ccode) == Some(r)))
            .collect();
        match given(&p.sort) {
            None | Some("name") => states.sort_by(|a, b| a.name.cmp(&b.name)),
            Some("code") => states.sort_by_key(|s| s.ccode),
            Some("in-force") => states.sort_by_key(|s| std::cmp::Reverse(counts.get(&s.ccode).map_or(0, |c| c.in_force))),
            Some(other) => return Err(ApiError::bad_request(format!("sort: `{other}`: name, code or in-force"))),
        }
        let spells = |s: &pactbase_model::State| -> String {
            s.spells
                .iter()
                .map(|sp| YearSpan::new(sp.start.year, sp.end.map(|e| e.year)).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let selected = |v: &str, field: &Option<String>| given(field) == Some(v);
        let body = html! {
            h1 { "Countries" }
            p { "Every state of the Correlates of War " (term("state-system")) " since " (YEARS.first) ", with its " (term("ccode")) " and "
                (term("cow-abbreviation")) ", and the " (term("registry")) "'s agreements that bind it in " (year)
                " (in force, the state a party that year). Open a state for its timeline, partners, network position and challenges." }
            form.filters action="/countries" method="get" {
                label { "States "
                    select name="members" {
                        option value="all" { "all, since " (YEARS.first) }
                        option value="current" selected[selected("current", &p.members)] { "in the system in " (year) }
                    }
                }
                label { "Region "
                    select name="region" {
                        option value="" { "any" }
                        @for r in Region::ALL { option value=(r.as_str()) selected[region == Some(*r)] { (r.name()) } }
                    }
                }
                label { "Order "
                    select name="sort" {
                        option value="name" { "by name" }
                        option value="in-force" selected[selected("in-force", &p.sort)] { "most agreements in force" }
                        option value="code" selected[selected("code", &p.sort)] { "by COW code" }
                    }
                }
                button type="submit" { "Show" }
            }
            p role="status" { (states.len()) " states." }
            (data_table(DataTable {
                id: "countries",
                caption: html! { "States and their agreements in force in " (year) },
                headers: vec!["State".into(), "COW code".into(), "Abbreviation".into(), "Region".into(), "In the system".into(),
                              format!("In force {year}"), "Agreements ever".into()],
                rows: states.iter().map(|s| {
                    let c = counts.get(&s.ccode).copied().unwrap_or_default();
                    vec![
                        Cell::markup(html! { a href=(format!("/countries/{}", s.abb)) { (s.name) } }, s.name.clone()),
                        Cell::text(s.ccode.to_string()),
                        Cell::text(s.abb.clone()),
                        Cell::text(Region::of(s.ccode).map_or("", |r| r.name())),
                        Cell::text(spells(s)),
                        Cell::text(c.in_force.to_string()),
                        Cell::text(c.ever.to_string()),
                    ]
                }).collect(),
                stack: true,
            }))
        };
        Ok(("Countries".into(), body))
    })
    .await
}
