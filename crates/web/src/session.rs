//! Editors' sessions on the web. Signing in checks a token exactly as the API does
//! ([`crate::auth::authorize`]) and starts a session: a random 256-bit id in a cookie
//! (`HttpOnly`, `SameSite=Strict`, `Path=/`, `Secure` over HTTPS), never the token. The
//! sessions are kept in memory, in a map of bounded size keyed by the SHA-256 of the id (a
//! lookup's timing then says nothing of the id), and end after `session_idle` without use,
//! `session_lifetime` after sign-in, at sign-out, or when the server restarts. Each session
//! carries its own CSRF token (a synchroniser token), which every state-changing form
//! sends back and [`Sessions::check_form`] compares in constant time. docs/SECURITY.md
//! explains the choices.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, StatusCode};
use pactbase_store::{Role, Store, User};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::auth::{hex, same_digest};
use crate::error::ApiError;

/// The cookie's name.
pub const COOKIE: &str = "pactbase_session";

/// Who is signed in on this request, and the CSRF token their forms carry.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: String,
    pub role: Role,
    /// The id of the token they signed in with: every change re-checks that it is still
    /// valid, so a token replaced with `pactbase user add` ends its sessions.
    token_id: String,
    pub csrf: String,
}

struct Session {
    signed_in: SignedIn,
    started: Instant,
    seen: Instant,
}

pub struct Sessions {
    idle: Duration,
    lifetime: Duration,
    capacity: usize,
    map: Mutex<HashMap<[u8; 32], Session>>,
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

fn key(id: &str) -> [u8; 32] {
    Sha256::digest(id.as_bytes()).into()
}

impl Sessions {
    pub fn new(idle: Duration, lifetime: Duration, capacity: usize) -> Self {
        Sessions { idle, lifetime, capacity: capacity.max(1), map: Mutex::new(HashMap::new()) }
    }

    fn live(&self, s: &Session, now: Instant) -> bool {
        now.duration_since(s.seen) < self.idle && now.duration_since(s.started) < self.lifetime
    }

    /// A new session for `user`, signed in with token `token_id`: its id (the cookie's
    /// value). When the map is full, expired sessions go first, then the least recently
    /// used.
    pub fn start(&self, user: &User, token_id: &str) -> String {
        let id = random_hex();
        let now = Instant::now();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= self.capacity {
            map.retain(|_, s| self.live(s, now));
            if map.len() >= self.capacity {
                if let Some(oldest) = map.iter().min_by_key(|(_, s)| s.seen).map(|(k, _)| *k) {
                    map.remove(&oldest);
                }
            }
        }
        let signed_in =
            SignedIn { user: user.name.clone(), role: user.role, token_id: token_id.to_owned(), csrf: random_hex() };
        map.insert(key(&id), Session { signed_in, started: now, seen: now });
        id
    }

    /// The session whose id the request's cookie carries, if it is live (its use counts).
    pub fn find(&self, headers: &HeaderMap) -> Option<SignedIn> {
        let id = cookie(headers)?;
        let now = Instant::now();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let k = key(id);
        match map.get_mut(&k) {
            Some(s) if self.live(s, now) => {
                s.seen = now;
                Some(s.signed_in.clone())
            }
            Some(_) => {
                map.remove(&k);
                None
            }
            None => None,
        }
    }

    /// Ends the request's session.
    pub fn end(&self, headers: &HeaderMap) {
        if let Some(id) = cookie(headers) {
            self.map.lock().unwrap_or_else(|e| e.into_inner()).remove(&key(id));
        }
    }

    /// Sessions remembered now (for tests of the bound).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The session's cookie: `Max-Age` is the session's whole lifetime (the server ends
    /// it sooner when idle).
    pub fn cookie_for(&self, id: &str, secure: bool) -> String {
        format!(
            "{COOKIE}={id}; Max-Age={}; Path=/; HttpOnly; SameSite=Strict{}",
            self.lifetime.as_secs(),
            if secure { "; Secure" } else { "" }
        )
    }
}

/// A cookie that makes the browser forget the session.
pub fn cleared_cookie(secure: bool) -> String {
    format!("{COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict{}", if secure { "; Secure" } else { "" })
}

/// The session id the request's `Cookie` header carries.
fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .filter(|id| id.len() == 64)
}

fn forbidden(detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
}

/// The session a state-changing form was sent in: a live session (`signed_in`) whose
/// CSRF token equals the form's (compared in constant time, whatever the lengths); else a
/// 403 that says what to do.
pub fn check_form<'a>(signed_in: Option<&'a SignedIn>, sent_csrf: &str) -> Result<&'a SignedIn, ApiError> {
    let Some(s) = signed_in else {
        return Err(forbidden("you are not signed in (or your session ended): sign in, then send the form again"));
    };
    let expected: [u8; 32] = Sha256::digest(s.csrf.as_bytes()).into();
    if !same_digest(&Sha256::digest(sent_csrf.as_bytes()).into(), &expected) {
        return Err(forbidden(
            "the form's security token is missing or does not match your session, so nothing was changed: reload the page and send the form again",
        ));
    }
    Ok(s)
}

/// The user a state-changing form acts for: the form passes [`check_form`], the token the
/// session began with is still valid, and its user has at least `role`.
pub fn form_user(store: &Store, signed_in: Option<&SignedIn>, sent_csrf: &str, role: Role) -> Result<User, ApiError> {
    let s = check_form(signed_in, sent_csrf)?;
    let user = match store.user_by_token_id(&s.token_id)? {
        Some((user, _)) if user.name == s.user => user,
        _ => {
            return Err(forbidden("the token you signed in with is no longer valid: sign in again with your new token"))
        }
    };
    if role == Role::Admin && user.role != Role::Admin {
        return Err(forbidden(format!("`{}` is an {}; this needs the admin role", user.name, user.role.as_str())));
    }
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> User {
        User { id: 1, name: name.into(), role: Role::Editor }
    }

    fn with_cookie(id: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, format!("theme=dark; {COOKIE}={id}").parse().unwrap());
        h
    }

    #[test]
    fn sessions_are_found_by_their_cookie_and_end() {
        let sessions = Sessions::new(Duration::from_secs(60), Duration::from_secs(600), 10);
        let id = sessions.start(&user("erin"), "0011");
        assert_eq!(id.len(), 64);
        let found = sessions.find(&with_cookie(&id)).unwrap();
        assert_eq!((found.user.as_str(), found.csrf.len()), ("erin", 64));
        assert!(sessions.find(&with_cookie(&random_hex())).is_none());
        assert!(sessions.find(&HeaderMap::new()).is_none());
        let other = sessions.start(&user("erin"), "0011");
        assert_ne!(sessions.find(&with_cookie(&other)).unwrap().csrf, found.csrf, "a token per session");
        sessions.end(&with_cookie(&id));
        assert!(sessions.find(&with_cookie(&id)).is_none());
        let cookie = sessions.cookie_for(&other, true);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.ends_with("; Secure"));
        assert!(!sessions.cookie_for(&other, false).contains("Secure"));
    }

    #[test]
    fn sessions_expire_when_idle_or_old() {
        let sessions = Sessions::new(Duration::from_millis(100), Duration::from_millis(250), 10);
        let idle = sessions.start(&user("a"), "01");
        let used = sessions.start(&user("b"), "02");
        for _ in 0..3 {
            std::thread::sleep(Duration::from_millis(60));
            assert!(sessions.find(&with_cookie(&used)).is_some(), "use keeps it");
        }
        assert!(sessions.find(&with_cookie(&idle)).is_none(), "idle past its time");
        std::thread::sleep(Duration::from_millis(80));
        assert!(sessions.find(&with_cookie(&used)).is_none(), "past its lifetime however used");
    }

    #[test]
    fn the_map_never_grows_past_its_capacity() {
        let sessions = Sessions::new(Duration::from_secs(60), Duration::from_secs(600), 50);
        let ids: Vec<String> = (0..1000).map(|_| sessions.start(&user("x"), "01")).collect();
        assert_eq!(sessions.len(), 50);
        assert!(sessions.find(&with_cookie(&ids[999])).is_some(), "the newest are kept");
        assert!(sessions.find(&with_cookie(&ids[0])).is_none());
    }
}
