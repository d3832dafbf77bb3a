//! Bearer tokens. A token is `pbt_<16 hex digits: a random id>_<64 hex digits: a 256-bit
//! random secret>`; the store keeps the id and the SHA-256 of the secret. The secret is
//! random, not a password, so a fast hash is as safe as a slow one and costs
//! microseconds and no memory: a check is one indexed lookup by id and a constant-time
//! comparison of two digests, and an unknown id is compared against a dummy digest, so the
//! work is the same whichever part is wrong. Tokens name no user. Failures are counted per
//! token ([`crate::limiter`]); those per client address are counted around every request
//! (`crate::limit_failed_auth`).

use axum::http::{header, HeaderMap, StatusCode};
use pactbase_store::{Role, Store, TokenDigest, User};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::limiter::Subject;
use crate::AppState;

const PREFIX: &str = "pbt_";
const ID_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case hex digits only, of exactly `N` bytes.
fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let digits = text.as_bytes();
    if digits.len() != 2 * N || !digits.iter().all(|d| d.is_ascii_digit() || (b'a'..=b'f').contains(d)) {
        return None;
    }
    let mut out = [0u8; N];
    for (i, pair) in digits.chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// A new token and what the store keeps of it.
pub fn issue_token() -> (String, TokenDigest) {
    let mut id = [0u8; ID_BYTES];
    let mut secret = [0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut id);
    OsRng.fill_bytes(&mut secret);
    let token = format!("{PREFIX}{}_{}", hex(&id), hex(&secret));
    (token, TokenDigest { id: hex(&id), sha256: hex(&Sha256::digest(secret)) })
}

/// A token's id and secret, if it is well-formed.
fn parse(token: &str) -> Option<(&str, [u8; SECRET_BYTES])> {
    let (id, secret) = token.strip_prefix(PREFIX)?.split_once('_')?;
    unhex::<ID_BYTES>(id)?;
    Some((id, unhex::<SECRET_BYTES>(secret)?))
}

/// The id part of a well-formed token.
pub(crate) fn token_id(token: &str) -> Option<&str> {
    parse(token).map(|(id, _)| id)
}

/// Compares every byte whatever the first difference, so the time says nothing of where
/// two digests differ.
pub(crate) fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
}

/// The bearer token of a request.
pub fn bearer(headers: &HeaderMap) -> Result<String, ApiError> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        unauthorized("this needs a token: send `Authorization: Bearer TOKEN` (see `pactbase user add`)")
    })?;
    let text = value.to_str().map_err(|_| unauthorized("the Authorization header is not a bearer token"))?;
    let token = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .ok_or_else(|| unauthorized("the Authorization header is not a bearer token"))?;
    Ok(token.trim().to_owned())
}

/// The user a token belongs to, with at least `role` (admin includes editor).
pub fn authorize(store: &Store, app: &AppState, token: &str, role: Role) -> Result<User, ApiError> {
    let wrong = || unauthorized("the token is not valid");
    if token.starts_with("pb_") {
        return Err(unauthorized(
            "this token is of an earlier kind, which is no longer accepted: ask an admin for a new one (`pactbase user add NAME`)",
        ));
    }
    let (id, secret) = parse(token).ok_or_else(wrong)?;
    let subject = Subject::Token(id.to_owned());
    app.limiter.check(&subject).map_err(ApiError::too_many_failures)?;
    let found = store.user_by_token_id(id)?;
    let stored = found.as_ref().and_then(|(_, digest)| unhex::<32>(digest));
    // An unknown id is compared against a digest no secret has, doing the same work.
    let expected = stored.unwrap_or([0xff; 32]);
    let matches = same_digest(&Sha256::digest(secret).into(), &expected);
    let user = match found {
        Some((user, _)) if matches && stored.is_some() => user,
        Some(_) => {
            app.limiter.record_failure(subject);
            return Err(wrong());
        }
        None => return Err(wrong()),
    };
    if role == Role::Admin && user.role != Role::Admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("`{}` is an {}; this needs the admin role", user.name, user.role.as_str()),
        ));
    }
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_a_random_id_and_secret_and_only_a_digest_is_kept() {
        let (token, digest) = issue_token();
        let (id, secret) = parse(&token).unwrap();
        assert_eq!(id, digest.id);
        assert_eq!(hex(&Sha256::digest(secret)), digest.sha256);
        assert!(!token.contains(&digest.sha256));
        let (other, _) = issue_token();
        assert_ne!(parse(&other).unwrap().0, id, "ids are random");
        assert_eq!(parse("pbt_zz_00"), None);
        assert_eq!(parse(&token.to_uppercase()), None);
        assert_eq!(parse(&format!("{token}0")), None);
        assert_eq!(parse("Bearer x"), None);
    }

    #[test]
    fn digests_are_compared_whole() {
        let a = [7u8; 32];
        let mut b = a;
        assert!(same_digest(&a, &b));
        b[31] ^= 1;
        assert!(!same_digest(&a, &b));
    }
}
