//! Bearer tokens. A token is `pb_<hex of the user name>_<64 hex digits of randomness>`;
//! the store keeps only its argon2 hash. A verified token is remembered (by its SHA-256)
//! together with the hash it matched, so argon2 runs once per token, and a token replaced
//! by `pactbase user add` stops working at once.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::{header, HeaderMap, StatusCode};
use pactbase_store::{Role, Store, User};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

#[derive(Default)]
pub struct TokenCache {
    verified: Mutex<HashMap<[u8; 32], String>>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// A new token for `name` and the argon2 hash (PHC string) to store.
pub fn issue_token(name: &str) -> anyhow::Result<(String, String)> {
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let token = format!("pb_{}_{}", hex(name.as_bytes()), hex(&secret));
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(token.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the token: {e}"))?
        .to_string();
    Ok((token, hash))
}

/// The user name a token claims, if it is well-formed.
fn claimed_name(token: &str) -> Option<String> {
    let rest = token.strip_prefix("pb_")?;
    let (name, secret) = rest.rsplit_once('_')?;
    if secret.len() != 64 || unhex(secret).is_none() {
        return None;
    }
    String::from_utf8(unhex(name)?).ok()
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

/// The user a token belongs to, with at least `role` (admin includes editor). Runs on the
/// blocking pool (argon2 and the store are synchronous).
pub fn authorize(store: &Store, cache: &TokenCache, token: &str, role: Role) -> Result<User, ApiError> {
    let wrong = || unauthorized("the token is not valid");
    let name = claimed_name(token).ok_or_else(wrong)?;
    let (user, hash) = store.user_credentials(&name)?.ok_or_else(wrong)?;
    let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    let known = cache.verified.lock().unwrap_or_else(|e| e.into_inner()).get(&key) == Some(&hash);
    if !known {
        let parsed = PasswordHash::new(&hash).map_err(ApiError::internal)?;
        Argon2::default().verify_password(token.as_bytes(), &parsed).map_err(|_| wrong())?;
        cache.verified.lock().unwrap_or_else(|e| e.into_inner()).insert(key, hash);
    }
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
    fn tokens_name_their_user_and_verify() {
        let (token, hash) = issue_token("ayesha_k").unwrap();
        assert_eq!(claimed_name(&token).as_deref(), Some("ayesha_k"));
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(Argon2::default().verify_password(token.as_bytes(), &parsed).is_ok());
        assert!(Argon2::default().verify_password(b"pb_00_00", &parsed).is_err());
        assert_eq!(claimed_name("pb_zz_00"), None);
        assert_eq!(claimed_name("Bearer x"), None);
    }
}
