//! `authenticate`: `Authorization: Bearer …` checked against the snapshot (no SQL): an API token
//! (`mcpcp_…`) or an access token mcpcp's authorization server issued (`mcpat_…`).
//!
//! Tokens are looked up by their SHA-256 digest: timing can reveal at most how a digest of the
//! presented value compares, which tells an attacker nothing about any valid token. A failure
//! on a server that signs users in carries the protected resource metadata URL (RFC 9728).

use axum::http::{HeaderMap, header};

use super::Shared;
use crate::gateway::rejection::Rejection;
use crate::identity::token;
use crate::policy::Principal;
use crate::snapshot::Snapshot;

pub fn authenticate(
    shared: &Shared,
    snapshot: &Snapshot,
    server: &str,
    headers: &HeaderMap,
) -> Result<Principal, Rejection> {
    let refuse = |error: Option<&str>, why: &str| {
        Rejection::challenge(error, why, metadata_url(shared, snapshot, server).as_deref())
    };
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(refuse(None, ""));
    };
    let value = value.to_str().unwrap_or("");
    let presented = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| refuse(Some("invalid_request"), "use the Bearer scheme"))?;
    let digest = token::hash(presented);
    let now = shared.clock.now();
    if let Some(entry) = snapshot.token(&digest) {
        if entry.expired(now) {
            return Err(refuse(Some("invalid_token"), "the token has expired"));
        }
        return Ok(Principal::ApiToken {
            token_id: entry.id,
            token_name: entry.name.clone(),
            server_id: entry.server_id,
        });
    }
    if let Some(access) = snapshot.access_token(&digest) {
        if access.expired(now) || !snapshot.grant_live(access.grant_id) {
            return Err(refuse(Some("invalid_token"), "the access token has expired or was revoked"));
        }
        let name = snapshot.user(access.user_id).map(|u| u.name.clone()).unwrap_or_default();
        return Ok(Principal::User {
            user_id: access.user_id,
            name,
            method: access.method,
            grant_id: access.grant_id,
            server_id: access.server_id,
        });
    }
    Err(refuse(Some("invalid_token"), "the token is unknown or revoked"))
}

/// The protected resource metadata URL a refusal names, for a server whose users sign in; built
/// only when a request is refused.
pub(super) fn metadata_url(shared: &Shared, snapshot: &Snapshot, server: &str) -> Option<String> {
    snapshot
        .server(server)
        .filter(|s| s.auth != crate::model::AuthMethod::ApiToken)
        .map(|_| shared.resource_metadata_url(server))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::mcp::testing::{Fixture, TOKEN, headers};

    fn refusal(h: &HeaderMap) -> Rejection {
        let gw = Fixture::default().start();
        authenticate(&gw.shared, &gw.shared.live.load(), "fx", h).unwrap_err()
    }

    #[test]
    fn a_known_token_is_its_principal() {
        let gw = Fixture::default().start();
        let p = authenticate(&gw.shared, &gw.shared.live.load(), "fx", &headers(Some(TOKEN))).unwrap();
        assert!(matches!(p, Principal::ApiToken { server_id: 1, .. }), "{p:?}");
    }

    #[test]
    fn missing_malformed_and_unknown_credentials_are_challenged() {
        let challenge = |r: &Rejection| {
            r.headers.iter().find(|(n, _)| n == header::WWW_AUTHENTICATE).map(|(_, v)| v.to_str().unwrap().to_string())
        };
        let none = refusal(&headers(None));
        assert_eq!(none.status.as_u16(), 401);
        assert_eq!(challenge(&none).as_deref(), Some("Bearer realm=\"mcpcp\""));
        let mut basic = headers(None);
        basic.insert("authorization", "Basic dTpw".parse().unwrap());
        assert!(challenge(&refusal(&basic)).unwrap().contains("invalid_request"));
        let unknown = refusal(&headers(Some("mcpcp_nope")));
        assert!(challenge(&unknown).unwrap().contains("invalid_token"));
        assert_eq!(unknown.fault, crate::model::Fault::Client);
    }
}
