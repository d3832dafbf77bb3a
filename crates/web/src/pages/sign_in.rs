//! Editors sign in on the web with their token (`/sign-in`), which starts a session
//! (`crate::session`); `/sign-out` ends it. The header shows who is signed in; the forms
//! that change data carry the session's CSRF token ([`csrf_field`]).

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use pactbase_store::{Role, Store, User};
use serde::Deserialize;

use crate::error::ApiError;
use crate::params::Q;
use crate::session::{self, check_form, cleared_cookie};
use crate::{auth, with_store, Limits, Shared};

use super::context::{self, encode};
use super::parts::refusal;
use super::{layout, PageError};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/sign-in", get(sign_in_form).post(sign_in_submit)).route("/sign-out", post(sign_out))
}

/// The sign-in page's address, coming back to the current page.
pub(super) fn link() -> String {
    let path = context::request().path;
    if path.is_empty() || path == "/" || path.starts_with("/sign-") {
        "/sign-in".into()
    } else {
        format!("/sign-in?next={}", encode(&path))
    }
}

/// The header's account part: who is signed in and a sign-out button, or a sign-in link.
pub(super) fn account() -> Markup {
    html! {
        @match context::signed_in() {
            Some(s) => {
                form.account method="post" action="/sign-out" {
                    span { "Signed in as " strong { (s.user) } " (" (s.role.as_str()) ")" }
                    input type="hidden" name="csrf" value=(s.csrf);
                    button type="submit" { "Sign out" }
                }
            }
            None => { p.account { a href=(link()) { "Sign in" } " (editors)" } }
        }
    }
}

/// The hidden field that carries the session's CSRF token (nothing when signed out: the
/// form is then refused, and is not shown in the first place).
pub(super) fn csrf_field() -> Markup {
    html! { @if let Some(s) = context::signed_in() { input type="hidden" name="csrf" value=(s.csrf); } }
}

/// The user a state-changing form acts for (`session::form_user` for this request's
/// session and the form's `csrf`).
pub(super) fn form_user(store: &Store, csrf: &str, role: Role) -> Result<User, ApiError> {
    session::form_user(store, context::signed_in().as_ref(), csrf, role)
}

/// What readers see where editors see a form.
pub(super) fn sign_in_to_edit() -> Markup {
    html! { p.sign-in { a.button href=(link()) { "Sign in to edit" } } }
}

/// Where to go after signing in: a path on this site, else the home page.
fn destination(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    if local && !next.chars().any(char::is_control) && !next.starts_with("/sign-") {
        next
    } else {
        "/"
    }
}

/// "30 minutes", "12 hours".
fn span(d: Duration) -> String {
    let minutes = d.as_secs() / 60;
    match minutes {
        m if m >= 120 && m % 60 == 0 => format!("{} hours", m / 60),
        1 => "1 minute".into(),
        m => format!("{m} minutes"),
    }
}

fn form_page(next: &str, refused: Option<&ApiError>, limits: &Limits) -> Markup {
    html! {
        h1 { "Sign in" }
        @if let Some(s) = context::signed_in() {
            p { "You are signed in as " strong { (s.user) } " (" (s.role.as_str()) "). Signing in again replaces this session." }
        }
        p { "Editors sign in with the token an admin gave them (" code { "pactbase user add NAME --role editor" } "). The token is checked once, as the API checks it; the browser then keeps only a session cookie, never the token. The session ends after " (span(limits.session_idle)) " without use, " (span(limits.session_lifetime)) " after signing in, when you sign out, or when the server restarts." }
        @if let Some(e) = refused { (refusal(e)) }
        form.edit method="post" action="/sign-in" {
            input type="hidden" name="next" value=(destination(next));
            label for="token" { "Token" }
            input #token type="password" name="token" autocomplete="off" required;
            button type="submit" { "Sign in" }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Next {
    next: String,
}

async fn sign_in_form(State(state): State<Shared>, Q(q): Q<Next>) -> Response {
    layout("Sign in", form_page(&q.next, None, &state.limits)).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInForm {
    token: String,
    next: String,
}

/// Checks the token as the API does (the same failure limits apply: a wrong token is a
/// 401 counted against the client and the token, past which 429 with `Retry-After`), then
/// starts a session and goes back to the page the editor came from.
async fn sign_in_submit(State(state): State<Shared>, headers: HeaderMap, Form(f): Form<SignInForm>) -> Response {
    // A sign-in sent from another site would sign this browser in as someone else.
    if headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site") {
        return PageError(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "sign in from pactbase's own sign-in page",
        ))
        .into_response();
    }
    let token = f.token.trim().to_owned();
    let checked = with_store(&state, move |store, app| {
        let user = auth::authorize(store, app, &token, Role::Editor)?;
        let id = auth::token_id(&token)
            .map(str::to_owned)
            .ok_or_else(|| ApiError::internal("an accepted token has no id"))?;
        Ok((user, id))
    })
    .await;
    match checked {
        Ok((user, token_id)) => {
            state.sessions.end(&headers);
            let id = state.sessions.start(&user, &token_id);
            tracing::info!(user = %user.name, "signed in on the web");
            let cookie = state.sessions.cookie_for(&id, context::request().https);
            ([(header::SET_COOKIE, cookie)], Redirect::to(destination(&f.next))).into_response()
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            (e.status, layout("Sign in", form_page(&f.next, Some(&e), &state.limits))).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignOutForm {
    csrf: String,
}

async fn sign_out(State(state): State<Shared>, headers: HeaderMap, Form(f): Form<SignOutForm>) -> Response {
    let signed_in = context::signed_in();
    if let Err(e) = check_form(signed_in.as_ref(), &f.csrf) {
        return PageError(e).into_response();
    }
    state.sessions.end(&headers);
    ([(header::SET_COOKIE, cleared_cookie(context::request().https))], Redirect::to("/")).into_response()
}

#[cfg(test)]
mod tests {
    use super::destination;

    #[test]
    fn lifetimes_in_words() {
        use std::time::Duration;
        assert_eq!(super::span(Duration::from_secs(30 * 60)), "30 minutes");
        assert_eq!(super::span(Duration::from_secs(12 * 3600)), "12 hours");
        assert_eq!(super::span(Duration::from_secs(90 * 60)), "90 minutes");
    }

    #[test]
    fn only_local_paths_are_destinations() {
        assert_eq!(destination("/agreements/anzus"), "/agreements/anzus");
        for outside in ["https://evil.example/", "//evil.example/", "/\\evil.example", "", "/sign-out", "/a\nb"] {
            assert_eq!(destination(outside), "/", "{outside:?}");
        }
    }
}
