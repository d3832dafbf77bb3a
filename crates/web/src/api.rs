//! The JSON API under `/api/v1` and its OpenAPI document (`/api/openapi.json`, generated
//! from the `#[utoipa::path]` annotations below).

use std::convert::Infallible;
use std::io::Write;

use arrow_schema::ArrowError;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use bytes::Bytes;
use pactbase_analysis::impact::{Bound, ComparisonGroup, Estimator};
use pactbase_analysis::panel::{self as apanel, With};
use pactbase_analysis::recommend::Listing;
use pactbase_export::{BatchWriter, TableFormat};
use pactbase_model::research::Dataset;
use pactbase_model::{
    Agreement, Ccode, Invocation, Membership, NonStateParty, Obligation, Provisions, Reservation, Signatory, Source,
};
use pactbase_service::assessment::Request;
use pactbase_service::impact::{parse_window, ImpactOutcome, Study, StudyResult, Treated};
use pactbase_service::registry::Listed;
use pactbase_service::{PanelData, TieSource};
use pactbase_store::Store;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use crate::error::ApiError;
use crate::params::{
    agreement_filter, check_year, given, parse_agreement_kind, parse_kind, parse_level, resolve_state, tie_source,
    AgreementQuery, AssessmentQuery, Path, Q,
};
use crate::{edit, params, with_store, Shared};

mod datasets;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/states", get(states))
        .route("/api/v1/datasets", get(datasets::list))
        .route("/api/v1/agreements", get(agreements).post(edit::create))
        .route("/api/v1/agreements/{id}", get(agreement).put(edit::update))
        .route("/api/v1/search", get(search))
        .route("/api/v1/countries/{state}", get(country))
        .route("/api/v1/countries/{state}/assessment", get(country_assessment))
        .route("/api/v1/countries/{state}/challenges", get(challenges))
        .route("/api/v1/countries/{state}/recommendations", get(recommendations))
        .route("/api/v1/countries/{state}/impact", get(country_impact))
        .route("/api/v1/countries/{state}/arms", get(country_arms))
        .route("/api/v1/network/{year}", get(network))
        .route("/api/v1/similarity", get(similarity))
        .route("/api/v1/trends", get(trends_api))
        .route("/api/v1/impact", get(impact_api))
        .route("/api/v1/panels/{unit}", get(panels))
        .route("/api/v1/agreements/{id}/members", post(edit::add_member))
        .route("/api/v1/agreements/{id}/sources", post(edit::add_source))
        .route("/api/v1/agreements/{id}/departures", post(edit::add_departure))
        .route("/api/v1/agreements/{id}/obligations", post(edit::add_obligation))
        .route("/api/v1/agreements/{id}/obligations/{number}", delete(edit::remove_obligation))
        .route("/api/v1/agreements/{id}/provisions", patch(edit::set_provisions))
        .route("/api/v1/audit", get(edit::audit))
        .route("/api/v1/audit/{id}", get(edit::audit_entry))
        .route("/api/v1/audit/{id}/revert", post(edit::revert))
        .route("/static/{name}", get(crate::asset))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "pactbase API", description = "Defense agreements, their obligations and the field's research datasets. Reading is open; writing needs a Bearer token with the editor role (`pactbase user add`)."),
    paths(
        states, agreements, agreement, search, country, country_assessment, challenges, recommendations, country_impact, country_arms, network, similarity,
        trends_api, impact_api, panels, edit::create, edit::update, edit::add_member, edit::add_source, edit::add_departure, edit::add_obligation, edit::remove_obligation, edit::set_provisions, edit::audit, edit::audit_entry, edit::revert
    ),
    components(schemas(Membership, Source, Obligation, Provisions, Signatory, NonStateParty, Reservation, Invocation)),
    modifiers(&BearerAuth, &ErrorResponses, &EditBodies)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every error has the same body (`crate::error`); every operation that reads parameters
/// or a body may answer 400, every one that names a state, agreement, kind or audit entry
/// 404, every secured one 401, 429 and 503, and every change based on a version (If-Match)
/// 409 and 428. Said once here rather than on each operation, which documents only the
/// statuses of its own.
struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.schemas.insert("Error".into(), crate::error::schema().into());
        const NAMING: [&str; 8] = ["state", "id", "a", "b", "member", "kind", "agreement", "compare"];
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in operations.into_iter().flatten() {
                let params = op.parameters.as_deref().unwrap_or_default();
                let names_something = path.contains('{') || params.iter().any(|p| NAMING.contains(&p.name.as_str()));
                let reads_input = !params.is_empty() || op.request_body.is_some();
                let secured = op.security.is_some();
                let versioned = params.iter().any(|p| p.name == "If-Match");
                let responses = &mut op.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.into())
                        .or_insert_with(|| ResponseBuilder::new().description(description).into());
                };
                if reads_input {
                    add("400", "A parameter or the body could not be read; the detail says which and how to fix it");
                }
                if names_something {
                    add("404", "Unknown state, agreement, kind or entry; the detail suggests the closest");
                }
                if secured {
                    add("401", "Missing or wrong token");
                    add("429", "Too many failed authentications from this client or for this token; Retry-After says when to try again");
                    add("503", "The database is read-only here, or another process is writing to it (Retry-After)");
                }
                if versioned {
                    add("409", "Stale version: the agreement changed since; nothing was written");
                    add("428", "No version given: a top-level `version` in the body or an If-Match header");
                }
                if op.request_body.is_some() {
                    add("413", "The body is larger than the server accepts (256 KB)");
                }
                for (status, response) in responses.iter_mut() {
                    if let (false, utoipa::openapi::RefOr::T(response)) = (status.starts_with('2'), response) {
                        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Error"))).build();
                        response.content = [("application/json".to_owned(), content)].into_iter().collect();
                    }
                }
            }
        }
    }
}

/// The small edits' bodies, `{"version": N, "<item>": …}`, are read field by field (so
/// that an item's optional fields may be left out); their schemas are written here.
struct EditBodies;

impl utoipa::Modify for EditBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::{ContentBuilder, Ref};
        const BODIES: [(&str, &str, &str); 4] = [
            ("add_member", "member", "Membership"),
            ("add_source", "source", "Source"),
            ("add_obligation", "obligation", "Obligation"),
            ("set_provisions", "provisions", "Provisions"),
        ];
        for item in openapi.paths.paths.values_mut() {
            for op in [&mut item.post, &mut item.patch].into_iter().flatten() {
                let Some(&(_, field, schema)) = BODIES.iter().find(|(id, ..)| op.operation_id.as_deref() == Some(*id))
                else {
                    continue;
                };
                let body = ObjectBuilder::new()
                    .property(
                        "version",
                        ObjectBuilder::new()
                            .schema_type(Type::Integer)
                            .description(Some("The version the change is based on (or an If-Match header)")),
                    )
                    .property(field, Ref::from_schema_name(schema))
                    .required(field);
                if let Some(request) = op.request_body.as_mut() {
                    let content = ContentBuilder::new().schema(Some(body)).build();
                    request.content = [("application/json".to_owned(), content)].into_iter().collect();
                }
            }
        }
    }
}

/// The OpenAPI 3.1 document of this API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi().merge_from(datasets::Doc::openapi())
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}

/// A JSON body that was serialized once and is served as is.
pub fn json_bytes(bytes: Bytes) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response()
}

#[utoipa::path(get, path = "/api/v1/states", tag = "registry",
    responses((status = 200, description = "Every state with COW code, abbreviation, ISO code, name, aliases and system membership spells", body = [pactbase_model::State])))]
async fn states(State(state): State<Shared>) -> Result<Response, ApiError> {
    with_store(&state, |store, app| {
        let index = app.cache.index(store)?;
        Ok(Json(index.states().to_vec()).into_response())
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/agreements", tag = "registry", params(AgreementQuery),
    responses((status = 200, description = "Agreements matching every filter, oldest first (as `pactbase agreements --format json`)", body = [Listed]),
              (status = 404, description = "Unknown state or kind (the detail suggests the closest)"),
              (status = 422, description = "The text search took longer than its time budget and was stopped")))]
async fn agreements(State(state): State<Shared>, Q(q): Q<AgreementQuery>) -> Result<Response, ApiError> {
    with_store(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let list = store.agreements(&agreement_filter(&index, &q)?)?;
        Ok(Json(list.iter().map(|a| Listed::new(a, &index)).collect::<Vec<_>>()).into_response())
    })
    .await
}

/// An agreement as `GET /api/v1/agreements/{id}` returns it.
#[derive(Serialize, utoipa::ToSchema)]
struct AgreementRecord {
    agreement: Agreement,
    /// Also the ETag; a change names the version it is based on.
    version: i64,
    /// `curated` (the registry, incl. agreements created through the API) or `atop`.
    origin: String,
    /// Changed through the API since the registry was loaded.
    edited: bool,
    /// ATOP's coding of the alliance (phases, members, provisions) when ATOP is imported.
    #[schema(value_type = Option<Object>)]
    atop_coding: Option<pactbase_model::research::AtopCoding>,
}

#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "registry",
    params(("id" = String, Path, example = "nato", description = "Agreement id, e.g. nato")),
    responses((status = 200, description = "The whole agreement document with its version (also as ETag), origin, and ATOP's coding when imported", body = AgreementRecord),
              (status = 404, description = "No such agreement")))]
async fn agreement(State(state): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    with_store(&state, move |store, _| {
        let v = store.agreement_versioned(&id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let atop_coding = match v.agreement.atopid {
            Some(atopid) if store.has_dataset(Dataset::Atop)? => store.atop_coding(atopid)?,
            _ => None,
        };
        let etag = format!("\"{}\"", v.version);
        let record = AgreementRecord {
            agreement: v.agreement,
            version: v.version,
            origin: v.origin,
            edited: v.edited,
            atop_coding,
        };
        Ok(([(header::ETAG, etag)], Json(record)).into_response())
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find (all must match; each also as a prefix); at most 200 characters and
    /// 12 words by default (`pactbase serve --search-chars/--search-words`)
    pub q: String,
    /// At most this many results (default 20, at most 200)
    #[param(minimum = 0)]
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/v1/search", tag = "registry", params(SearchQuery),
    responses((status = 200, description = "Best matches first, with the matching passage marked [ ]", body = [pactbase_store::SearchHit]),
              (status = 400, description = "The text is longer, or has more words, than a search may; the detail says the limit"),
              (status = 422, description = "The search took longer than its time budget and was stopped")))]
async fn search(State(state): State<Shared>, Q(q): Q<SearchQuery>) -> Result<Response, ApiError> {
    with_store(&state, move |store, _| Ok(Json(store.search(&q.q, q.limit.unwrap_or(20).min(200))?).into_response()))
        .await
}

/// Answers with `part` of the state named `s`, as `q` asks for it.
async fn of_country(
    state: &Shared,
    s: String,
    q: AssessmentQuery,
    part: impl FnOnce(&Store, &crate::AppState, Ccode, Request) -> Result<Response, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    with_store(state, move |store, app| {
        let ccode = resolve_state(&*app.cache.index(store)?, &s)?;
        part(store, app, ccode, q.request()?)
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/countries/{state}", tag = "analysis",
    params(("state" = String, Path, example = "PAK", description = "PAK, 770, Pakistan, …"), AssessmentQuery),
    responses((status = 200, description = "The registry's parts of the country assessment, as `pactbase country --format json`: what binds it at the reference year (overview), memberships with their years and standing (timeline), partners ranked by legal commitment and depth of cooperation, exercises", body = pactbase_analysis::assessment::CountryCore),
              (status = 404, description = "Unknown state")))]
async fn country(
    State(state): State<Shared>,
    Path(s): Path<String>,
    Q(q): Q<AssessmentQuery>,
) -> Result<Response, ApiError> {
    of_country(&state, s, q, |store, app, ccode, request| Ok(json_bytes(app.cache.core(store, ccode, request)?.1)))
        .await
}

#[utoipa::path(get, path = "/api/v1/countries/{state}/assessment", tag = "analysis",
    params(("state" = String, Path, example = "PAK", description = "PAK, 770, Pakistan, …"), AssessmentQuery),
    responses((status = 200, description = "The whole country assessment the country page and `pactbase report` show: the registry's parts and network position, capabilities, impact, challenges, recommendations and sources; a part whose dataset is not imported is `{\"missing\": {...}}`", body = pactbase_analysis::assessment::CountryAssessment),
              (status = 404, description = "Unknown state")))]
async fn country_assessment(
    State(state): State<Shared>,
    Path(s): Path<String>,
    Q(q): Q<AssessmentQuery>,
) -> Result<Response, ApiError> {
    of_country(&state, s, q, |store, app, ccode, request| {
        Ok(Json(&*app.cache.assessment(store, ccode, request)?).into_response())
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/countries/{state}/challenges", tag = "analysis",
    params(("state" = String, Path, example = "PAK", description = "PAK, 770, Pakistan, …"), AssessmentQuery),
    responses((status = 200, description = "Calls on its commitments and what came of them, reservations, suspensions and sanctions, commitment conflicts and pledges to both sides of a rivalry, sovereignty costs, overlapping commitments, interoperability: each with what was examined", body = pactbase_analysis::challenges::Challenges)))]
async fn challenges(
    State(state): State<Shared>,
    Path(s): Path<String>,
    Q(q): Q<AssessmentQuery>,
) -> Result<Response, ApiError> {
    of_country(&state, s, q, |store, app, ccode, request| {
        Ok(Json(&*app.cache.challenges(store, ccode, request)?).into_response())
    })
    .await
}

/// A state's entry studies as `GET /api/v1/countries/{state}/impact` sends them.
#[derive(Serialize, utoipa::ToSchema)]
struct CountryImpact<'a> {
    ccode: Ccode,
    studies: Vec<EntryStudyView<'a>>,
    /// Entries not studied, each with the reason in a sentence.
    skipped: &'a [String],
}

#[derive(Serialize, utoipa::ToSchema)]
struct EntryStudyView<'a> {
    agreement_id: &'a str,
    /// The agreement's short label.
    agreement: &'a str,
    /// The first year the state was bound by it.
    entry_year: i32,
    result: &'a StudyResult,
}

#[utoipa::path(get, path = "/api/v1/countries/{state}/impact", tag = "analysis",
    params(("state" = String, Path, example = "PAK", description = "PAK, 770, Pakistan, …")),
    responses((status = 200, description = "Event studies of the state's entries into its main alliances (log military expenditure, SIPRI's constant dollars where they cover the entry; treated while it holds or is owed an obligation), each with its pre-entry test, samples, placebo and synthetic-control inference, headline and warnings, as the country page and report show them; and the entries not studied with the reason", body = CountryImpact),
              (status = 422, description = "Not estimable: too few states entered or could compare"),
              (status = 503, description = "NMC is not imported")))]
async fn country_impact(State(state): State<Shared>, Path(s): Path<String>) -> Result<Response, ApiError> {
    with_store(&state, move |store, app| {
        let ccode = resolve_state(&*app.cache.index(store)?, &s)?;
        let found = app.cache.entry_studies(store, ccode)?;
        let studies: Vec<EntryStudyView> = found
            .studies
            .iter()
            .map(|e| EntryStudyView {
                agreement_id: &e.agreement_id,
                agreement: &e.agreement,
                entry_year: e.entry_year,
                result: &e.result,
            })
            .collect();
        // Through a `serde_json::Value`, whose objects keep their keys sorted: this answer
        // has always been sent with its keys in alphabetical order, at every level.
        let body = serde_json::to_value(CountryImpact { ccode, studies, skipped: &found.skipped })
            .map_err(ApiError::internal)?;
        Ok(Json(body).into_response())
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/countries/{state}/arms", tag = "analysis",
    params(("state" = String, Path, example = "PAK", description = "PAK, 770, Pakistan, …")),
    responses((status = 200, description = "The state's arms imports (SIPRI TIV, millions): `coverage` [first, last year], `tiv`, `main_suppliers` (name, ccode, tiv, `years` as [year, TIV] pairs; the rest summed as \"N other suppliers\"), `periods` (five-year periods with `tiv`, `hhi` and `partners`: names, ccode, kind, tiv, share, `agreements` in force with kinds, obligations, from, until), `event_study` (did flows from a partner change once they shared an agreement: relative years, post-entry effect, treated dyads) or `event_study_note` saying why it could not be estimated. See docs/ARMS.md", body = pactbase_analysis::arms::ArmsProfile),
              (status = 503, description = "SIPRI's arms transfers are not imported")))]
async fn country_arms(State(state): State<Shared>, Path(s): Path<String>) -> Result<Response, ApiError> {
    with_store(&state, move |store, app| {
        let ccode = resolve_state(&*app.cache.index(store)?, &s)?;
        Ok(Json(pactbase_service::arms::profile(store, ccode, None)?).into_response())
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendQuery {
    /// As of this year (default 2025, the registry's current year)
    #[param(minimum = 1816, maximum = 2100)]
    pub year: Option<i32>,
    /// How many partners (default 10, 1 to 50)
    #[param(minimum = 0)]
    pub top: Option<usize>,
    /// Also list strategic rivals, with a caution (default false: left out and named in `left_out`)
    pub include_rivals: Option<bool>,
    /// Also list states either side does not recognise, with a caution (default false)
    pub include_unrecognised: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/countries/{state}/recommendations", tag = "analysis",
    params(("state" = String, Path, example = "PAK", description = "PAK, 770, Pakistan, …"), RecommendQuery),
    responses((status = 200, description = "Likeliest next partners: reasons in plain words, cautions, and under `statistics` each feature's value and contribution to the log-odds; the rivals and unrecognised states left out", body = pactbase_service::recommend::Recommended),
              (status = 422, description = "The state is not a member of the state system that year"),
              (status = 503, description = "ATOP is not imported")))]
async fn recommendations(
    State(state): State<Shared>,
    Path(s): Path<String>,
    Q(q): Q<RecommendQuery>,
) -> Result<Response, ApiError> {
    with_store(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let ccode = resolve_state(&index, &s)?;
        let year = q.year.map(check_year).transpose()?;
        let listing = Listing {
            rivals: q.include_rivals.unwrap_or(false),
            unrecognised: q.include_unrecognised.unwrap_or(false),
        };
        let found = app.cache.recommendations(store, ccode, year, q.top.unwrap_or(10).clamp(1, 50), listing)?;
        Ok(Json(&*found).into_response())
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkQuery {
    /// any (shared alliance) or defense (defense/offense obligation); default any
    #[param(pattern = "^(any|defense)?$")]
    pub level: Option<String>,
    /// Only agreements of this kind (mutual-defense-pact, intelligence-sharing, …; see
    /// /api/v1/agreements); parties are tied even where the agreement sets no obligation
    pub kind: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/network/{year}", tag = "analysis",
    params(("year" = i32, Path, minimum = 1816, maximum = 2100, description = "The year"), NetworkQuery),
    responses((status = 200, description = "Graph measures, nodes with centralities and blocs, edges with valued ties", body = crate::cache::NetworkView),
              (status = 404, description = "Year outside the data")))]
async fn network(
    State(state): State<Shared>,
    Path(year): Path<String>,
    Q(q): Q<NetworkQuery>,
) -> Result<Response, ApiError> {
    let year: i32 = year.parse().map_err(|_| ApiError::bad_request(format!("`{year}` is not a year")))?;
    let level = parse_level(given(&q.level))?;
    let kind = parse_agreement_kind(given(&q.kind))?;
    with_store(&state, move |store, app| Ok(json_bytes(app.cache.network(store, year, level, kind)?.json.clone())))
        .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarityQuery {
    pub a: String,
    pub b: String,
    /// A-B or one year (default: the whole span of the data)
    pub years: Option<String>,
    /// Where the alliance ties come from, as the CLI's `--source`: atop (the default, as the
    /// CLI and Python: ATOP 5.1, matching the published FPSIM data), curated (the registry's
    /// obligations) or both (ATOP with the registry's agreements in place of the alliances they code)
    #[param(pattern = "^(atop|curated|both)?$")]
    pub source: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/similarity", tag = "analysis", params(SimilarityQuery),
    responses((status = 200, description = "FPSIM alliance-portfolio similarity of the dyad per year (years both are system members)", body = pactbase_service::similarity::DyadSimilarity)))]
async fn similarity(State(state): State<Shared>, Q(q): Q<SimilarityQuery>) -> Result<Response, ApiError> {
    with_store(&state, move |store, app| {
        let source = tie_source(given(&q.source))?;
        let index = app.cache.index(store)?;
        let dyad = (resolve_state(&index, &q.a)?, resolve_state(&index, &q.b)?);
        let years = params::years(&q.years)?;
        Ok(Json(app.cache.similarity(store, dyad, years, source)?).into_response())
    })
    .await
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearsQuery {
    /// A-B (default 1946-2025)
    pub years: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/trends", tag = "analysis", params(YearsQuery),
    responses((status = 200, description = "Per-year trends: registry agreements by kind (the registry is a curated sample, not a census), alliance forms and provisions (ATOP, through 2018), exercises (MME, 1980-2010); null where a dataset is not imported or does not cover the year", body = [pactbase_analysis::trends::YearTrend])))]
async fn trends_api(State(state): State<Shared>, Q(q): Q<YearsQuery>) -> Result<Response, ApiError> {
    let years = params::years(&q.years)?;
    with_store(&state, move |store, _| Ok(Json(pactbase_service::trends::trends(store, years)?.rows).into_response()))
        .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImpactQuery {
    /// The agreement whose entry is the treatment (e.g. seato)
    pub agreement: Option<String>,
    /// Or: entry into the first agreement of this kind
    pub kind: Option<String>,
    /// milex (default: log military expenditure, SIPRI constant dollars where they cover the entries, else NMC), sipri-milex, nmc-milex, cinc, log-cinc, exercises or arms-imports (log(1 + TIV imported), SIPRI)
    #[param(pattern = "^(milex|sipri-milex|nmc-milex|cinc|log-cinc|exercises|arms-imports)?$")]
    pub outcome: Option<String>,
    /// Which side of an obligation makes a state treated: held, owed, either (default) or both
    #[param(pattern = "^(held|owed|either|both)?$")]
    pub treatment: Option<String>,
    /// Relative years FROM..TO (default -5..10)
    pub window: Option<String>,
    /// cs (Callaway & Sant'Anna, default) or twfe
    #[param(pattern = "^(cs|twfe)?$")]
    pub estimator: Option<String>,
    /// Compare with not-yet-treated states as well
    pub not_yet_treated: Option<bool>,
    /// Report the effect for this treated state (code, abbreviation, ISO or name)
    pub state: Option<String>,
    /// With state: compare it with these states only (comma-separated)
    pub compare: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/impact", tag = "analysis", params(ImpactQuery),
    responses((status = 200, description = "Event-study estimates by relative year with the pre-entry test, samples, the treated states' spells, the outcome's transformation and zero years, a headline and warnings; with `state`, placebo-in-space and synthetic-control inference (methods: /methods#impact)", body = StudyResult),
              (status = 422, description = "Not estimable: too few treated or comparison states"),
              (status = 503, description = "The outcome's dataset is not imported")))]
async fn impact_api(State(state): State<Shared>, Q(q): Q<ImpactQuery>) -> Result<Response, ApiError> {
    with_store(&state, move |store, _| Ok(Json(impact_study(store, &q)?).into_response())).await
}

fn impact_study(store: &Store, q: &ImpactQuery) -> Result<StudyResult, ApiError> {
    let window = parse_window(given(&q.window).unwrap_or("-5..10")).map_err(ApiError::bad_request)?;
    let estimator = match given(&q.estimator).unwrap_or("cs") {
        "cs" => Estimator::CallawaySantAnna,
        "twfe" => Estimator::TwoWayFixedEffects,
        other => return Err(ApiError::bad_request(format!("unknown estimator `{other}`: cs or twfe"))),
    };
    let outcome = given(&q.outcome).unwrap_or("milex");
    let outcome = ImpactOutcome::parse(outcome)
        .ok_or_else(|| ApiError::bad_request(format!("unknown outcome `{outcome}`: {}", ImpactOutcome::names())))?;
    let bound = given(&q.treatment).unwrap_or("either");
    let bound = Bound::parse(bound)
        .ok_or_else(|| ApiError::bad_request(format!("unknown treatment `{bound}`: held, owed, either or both")))?;
    let treated = match (given(&q.agreement), given(&q.kind)) {
        (Some(id), None) => Treated::Agreement(Box::new(
            store.agreement(id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?,
        )),
        (None, Some(kind)) => Treated::Kind(parse_kind(kind)?),
        _ => return Err(ApiError::bad_request("give either agreement or kind")),
    };
    let index = store.state_index()?;
    let state = given(&q.state).map(|s| resolve_state(&index, s)).transpose()?;
    let compare = match given(&q.compare) {
        Some(_) if state.is_none() => {
            return Err(ApiError::bad_request("compare needs state: whose comparison is it?"))
        }
        Some(list) => Some(list.split(',').map(|s| resolve_state(&index, s.trim())).collect::<Result<Vec<_>, _>>()?),
        None => None,
    };
    let study = Study {
        treated,
        bound,
        outcome,
        window,
        state,
        compare,
        comparison: if q.not_yet_treated.unwrap_or(false) {
            ComparisonGroup::NotYetTreated
        } else {
            ComparisonGroup::NeverTreated
        },
        estimator,
    };
    Ok(pactbase_service::impact::estimate(store, &study, &index)?)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PanelQuery {
    /// Dyad-years in both directions
    pub directed: Option<bool>,
    /// A-B or one year
    pub years: Option<String>,
    /// Datasets to add, comma-separated, from: atop, nmc, mme, rivalry, sipri, contiguity,
    /// capdist, mindist, majors, mids, peaceyears, igos, arms (SIPRI TIV: dyad-year `tiv12`
    /// from ccode1 to ccode2 and `tiv21` back; state-year `tiv_imports`, `tiv_exports`)
    #[param(
        pattern = r"^\s*(atop|nmc|mme|rivalry|sipri|contiguity|capdist|mindist|majors|mids|peaceyears|igos|arms)?\s*(,\s*(atop|nmc|mme|rivalry|sipri|contiguity|capdist|mindist|majors|mids|peaceyears|igos|arms)?\s*)*$"
    )]
    pub with: Option<String>,
    /// csv (default) or parquet (Snappy; each column described in its field metadata)
    #[param(pattern = "^(csv|parquet)?$")]
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/panels/{unit}", tag = "analysis",
    params(("unit" = String, Path, pattern = "^(state-year|dyad-year)$", description = "state-year or dyad-year"), PanelQuery),
    responses((status = 200, description = "The panel as CSV or Parquet (`format`), streamed batch by batch (columns as `pactbase panel`, defined in `pactbase codebook`)",
                content((String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
              (status = 503, description = "A requested dataset is not imported, or as many panels are being streamed as the server allows (Retry-After)")))]
async fn panels(
    State(state): State<Shared>,
    Path(unit): Path<String>,
    Q(q): Q<PanelQuery>,
) -> Result<Response, ApiError> {
    let dyad = match unit.as_str() {
        "dyad-year" => true,
        "state-year" => false,
        other => return Err(ApiError::not_found(format!("no panel `{other}`: state-year or dyad-year"))),
    };
    let with = With::parse(q.with.as_deref()).map_err(|e| ApiError::bad_request(format!("with: {e}")))?;
    let requested = params::years(&q.years)?;
    let directed = q.directed.unwrap_or(false);
    let (format, content_type, file_name) = match given(&q.format).map(str::trim) {
        None | Some("csv") => (TableFormat::Csv, "text/csv; charset=utf-8", "attachment; filename=\"panel.csv\""),
        Some("parquet") => {
            (TableFormat::Parquet, "application/vnd.apache.parquet", "attachment; filename=\"panel.parquet\"")
        }
        Some(other) => return Err(ApiError::bad_request(format!("format: `{other}` is not csv or parquet"))),
    };
    // A stream holds a loaded panel's data while the client reads: bound how many run.
    let slot = state.panel_streams.clone().try_acquire_owned().map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            format!(
                "{} panels are being streamed, as many as the server allows; try again shortly",
                state.limits.panel_streams
            ),
        )
        .retry_after(std::time::Duration::from_secs(10))
    })?;
    // Check inputs before answering, so a missing dataset is a JSON error, not a broken stream.
    with_store(&state, move |store, _| Ok(pactbase_service::require_for(store, with)?)).await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, Infallible>>(4);
    let state2 = state.clone();
    tokio::task::spawn_blocking(move || {
        // Given back when the stream ends, however it ends (a client that stops reading is
        // cut off by the connection's write deadline, which ends this task's sends).
        let _slot = slot;
        let run = || -> anyhow::Result<()> {
            let store = state2.open_store().map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            let data = PanelData::load(&store, with, TieSource::Atop, requested)?;
            let (inputs, years) = (data.inputs(), data.years);
            let mut writer: Option<BatchWriter<ChannelWriter>> = None;
            let mut sink = |batch: arrow_array::RecordBatch| -> Result<(), StreamError> {
                if writer.is_none() {
                    let out = ChannelWriter { tx: tx.clone(), buf: Vec::new() };
                    writer = Some(BatchWriter::new(format, out, batch.schema())?);
                }
                writer.as_mut().map_or(Ok(()), |w| w.write(&batch)).map_err(StreamError::from)
            };
            let done = if dyad {
                apanel::dyad_years(&inputs, with, years, directed, &mut sink)
            } else {
                apanel::state_years(&inputs, with, years, &mut sink)
            };
            done.map_err(|e| anyhow::anyhow!("{}", e.0))?;
            if let Some(w) = writer {
                let mut out = w.finish().map_err(|e| anyhow::anyhow!("{e}"))?;
                out.flush()?;
            }
            Ok(())
        };
        if let Err(e) = run() {
            tracing::error!("panel stream failed: {e:#}");
        }
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static(file_name)),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Why streaming a panel stopped (an export error, or the client went away).
struct StreamError(String);

impl From<ArrowError> for StreamError {
    fn from(e: ArrowError) -> Self {
        StreamError(e.to_string())
    }
}

impl From<pactbase_export::ExportError> for StreamError {
    fn from(e: pactbase_export::ExportError) -> Self {
        StreamError(e.to_string())
    }
}

/// Sends what is written to the response body in chunks of about 64 KB.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, Infallible>>,
    buf: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buf.is_empty() {
            let chunk = Bytes::from(std::mem::take(&mut self.buf));
            self.tx
                .blocking_send(Ok(chunk))
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use utoipa::openapi::schema::Schema;
    use utoipa::openapi::RefOr;
    use utoipa::ToSchema;

    type Named = Vec<(String, RefOr<Schema>)>;

    /// `T`'s schema under its component name, and every schema it refers to.
    fn with<T: ToSchema>(all: &mut Named) {
        all.push((T::name().into_owned(), T::schema()));
        T::schemas(all);
    }

    /// The document keeps one schema per component name, so two Rust types of one name (a
    /// `Signatory` in the model and another in analysis) would silently share one, and one
    /// of them would be described wrongly: no name may stand for two schemas, and every
    /// component is the schema its name stands for among the bodies' types.
    #[test]
    fn no_two_types_share_a_component_name() {
        use pactbase_model::*;
        let mut all = Named::new();
        with::<State>(&mut all);
        with::<super::Listed>(&mut all);
        with::<super::AgreementRecord>(&mut all);
        with::<pactbase_store::SearchHit>(&mut all);
        with::<pactbase_analysis::assessment::CountryCore>(&mut all);
        with::<pactbase_analysis::assessment::CountryAssessment>(&mut all);
        with::<pactbase_analysis::challenges::Challenges>(&mut all);
        with::<super::CountryImpact>(&mut all);
        with::<pactbase_analysis::arms::ArmsProfile>(&mut all);
        with::<pactbase_service::recommend::Recommended>(&mut all);
        with::<crate::cache::NetworkView>(&mut all);
        with::<pactbase_service::similarity::DyadSimilarity>(&mut all);
        with::<pactbase_analysis::trends::YearTrend>(&mut all);
        with::<super::StudyResult>(&mut all);
        with::<pactbase_store::AuditEntry>(&mut all);
        with::<pactbase_store::AuditSummary>(&mut all);
        with::<Agreement>(&mut all);
        with::<crate::edit::Departure>(&mut all);
        with::<super::datasets::Dataset>(&mut all);
        with::<Membership>(&mut all);
        with::<Source>(&mut all);
        with::<Obligation>(&mut all);
        with::<Provisions>(&mut all);
        with::<Signatory>(&mut all);
        with::<NonStateParty>(&mut all);
        with::<Reservation>(&mut all);
        with::<Invocation>(&mut all);
        let mut by_name: BTreeMap<String, serde_json::Value> = BTreeMap::new();
        let mut clashes = Vec::new();
        for (name, schema) in all {
            let schema = serde_json::to_value(&schema).unwrap();
            match by_name.insert(name.clone(), schema.clone()) {
                Some(other) if other != schema => clashes.push(format!("{name}: {other}\n  and {schema}")),
                _ => {}
            }
        }
        assert!(
            clashes.is_empty(),
            "two types of one name (rename one with #[schema(as = …)]):\n{}",
            clashes.join("\n")
        );
        let doc = serde_json::to_value(super::openapi_document()).unwrap();
        for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
            if name != "Error" {
                assert_eq!(by_name.get(name), Some(schema), "component {name}: a body type missing from this test?");
            }
        }
    }
}
