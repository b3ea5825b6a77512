//! The token endpoint (code + PKCE, refresh rotation with reuse detection) and revocation (RFC 7009).

use std::sync::Arc;

use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

use super::state::{Code, Redemption};
use super::{CODE_LIFETIME, draft, oauth_error, public_json, record, with_db};
use crate::gateway::Shared;
use crate::identity::{oauth, token};
use crate::observe::activity::Draft;
use crate::ops;
use crate::ops::oauth::{ACCESS_LIFETIME, Client, Family, Issue};

#[derive(Debug, Deserialize)]
pub(super) struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    refresh_token: Option<String>,
    resource: Option<String>,
    token: Option<String>,
}

/// Client authentication at the token endpoint: the client id (from Basic or the form) and,
/// for confidential clients, a secret that matches.
async fn authenticate_client(shared: &Arc<Shared>, headers: &HeaderMap, form: &TokenForm) -> Result<Client, Response> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            let decoded = base64::engine::general_purpose::STANDARD.decode(b.trim()).ok()?;
            let text = String::from_utf8(decoded).ok()?;
            let (id, secret) = text.split_once(':')?;
            let dec =
                |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
            Some((dec(id)?, dec(secret)?))
        });
    let (client_id, secret) = match (&basic, &form.client_id) {
        (Some((id, secret)), _) => (id.clone(), Some(secret.clone())),
        (None, Some(id)) => (id.clone(), form.client_secret.clone()),
        (None, None) => {
            return Err(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication is required"));
        }
    };
    let lookup = client_id.clone();
    let client = with_db(shared, move |db| ops::oauth::client(db, &lookup))
        .await
        .map_err(|_| oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "cannot read clients"))?
        .ok_or_else(|| oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client"))?;
    if let Some(expected) = &client.secret_hash {
        use subtle::ConstantTimeEq;
        let presented = secret.map(|s| token::hash(&s)).unwrap_or_default();
        if !bool::from(presented.as_bytes().ct_eq(expected.as_bytes())) {
            return Err(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed"));
        }
    }
    Ok(client)
}

pub(super) async fn token(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    let client = match authenticate_client(&shared, &headers, &form).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut d = draft(&shared, "token", peer, &headers);
    d.client_name = Some(client.client_name.clone());
    let result = match form.grant_type.as_deref() {
        Some("authorization_code") => redeem_code(&shared, &client, &form, &mut d).await,
        Some("refresh_token") => refresh(&shared, &client, &form, &mut d).await,
        Some(other) => Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("grant_type {other} is not supported"),
        )),
        None => Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is missing")),
    };
    match result {
        Ok(body) => {
            d.status_ok();
            record(&shared, d).await;
            public_json(StatusCode::OK, body)
        }
        Err(response) => {
            d.http_status = response.status().as_u16();
            d.error = Some((0, "token request refused".into()));
            record(&shared, d).await;
            response
        }
    }
}

fn invalid_grant(why: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why)
}

/// What a presentation of a code found under the lock of the codes.
enum Claim {
    /// This request redeems the code (it was unused and everything matched): it issues tokens.
    Won(Code),
    /// The code was redeemed (or is being redeemed) by another request.
    Replay,
    /// The code is fine but this request's parameters are not.
    Refused(Response),
}

async fn redeem_code(
    shared: &Arc<Shared>,
    client: &Client,
    form: &TokenForm,
    d: &mut Draft,
) -> Result<serde_json::Value, Response> {
    let code = form
        .code
        .as_deref()
        .ok_or_else(|| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "code is missing"))?;
    let digest = token::hash(code);
    let now = shared.clock.now();
    // Check and mark in one critical section: of any number of parallel presentations, exactly
    // one finds the code unused and marks it running; every other one is a replay.
    let claim = {
        let Ok(mut codes) = shared.oauth.codes.lock() else {
            return Err(oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "cannot read codes"));
        };
        match codes.get_mut(&digest) {
            None => None,
            Some(entry) => {
                d.server = Some(entry.server.clone());
                d.principal = Some(entry.name.clone());
                Some(match entry.redemption {
                    Redemption::Running { .. } => {
                        entry.redemption = Redemption::Running { replayed: true };
                        Claim::Replay
                    }
                    Redemption::Done => Claim::Replay,
                    Redemption::Unused => match check_code(shared, entry, client, form, now) {
                        Ok(()) => {
                            entry.redemption = Redemption::Running { replayed: false };
                            Claim::Won(entry.clone())
                        }
                        Err(refusal) => Claim::Refused(refusal),
                    },
                })
            }
        }
    };
    let entry = match claim {
        Some(Claim::Won(entry)) => entry,
        Some(Claim::Refused(refusal)) => return Err(refusal),
        Some(Claim::Replay) => {
            revoke_code_grants(shared, &digest).await;
            return Err(invalid_grant("the code was already used; the tokens issued for it are revoked"));
        }
        None => {
            // No longer held (expired from memory, or the gateway restarted): if tokens were
            // issued for it, this is a replay all the same.
            if revoke_code_grants(shared, &digest).await > 0 {
                return Err(invalid_grant("the code was already used; the tokens issued for it are revoked"));
            }
            return Err(invalid_grant("unknown or expired code"));
        }
    };
    let issued = issue_tokens(
        shared,
        client,
        entry.user_id,
        entry.server_id,
        &entry.method,
        &entry.scope,
        Family::New { code_hash: digest.clone() },
    )
    .await;
    // Settle the redemption. A replay that came while the tokens were being issued found the
    // code running and marked it: the family is revoked now, before the winner's answer.
    let replayed = match shared.oauth.codes.lock() {
        Ok(mut codes) => match codes.get_mut(&digest) {
            Some(c) => {
                let replayed = c.redemption == Redemption::Running { replayed: true };
                c.redemption = Redemption::Done;
                replayed
            }
            None => false,
        },
        Err(_) => false,
    };
    if replayed && issued.is_ok() {
        revoke_code_grants(shared, &digest).await;
    }
    let (body, _) = issued?;
    d.auth_method = Some(if entry.method == "sso" { "sso" } else { "password" });
    Ok(body)
}

/// Whether `form` may redeem the unused code `entry`: in time, by its client, with its redirect
/// URI, PKCE verifier and resource.
fn check_code(
    shared: &Shared,
    entry: &Code,
    client: &Client,
    form: &TokenForm,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Response> {
    if now - entry.issued > CODE_LIFETIME {
        return Err(invalid_grant("the code expired"));
    }
    if entry.client_id != client.client_id {
        return Err(invalid_grant("the code was issued to another client"));
    }
    if form.redirect_uri.as_deref() != Some(entry.redirect_uri.as_str()) {
        return Err(invalid_grant("redirect_uri does not match the authorization request"));
    }
    let verifier = form.code_verifier.as_deref().ok_or_else(|| invalid_grant("code_verifier is required (PKCE)"))?;
    if !oauth::pkce_matches(verifier, &entry.challenge) {
        return Err(invalid_grant("code_verifier does not match the code_challenge"));
    }
    if let Some(r) = &form.resource
        && r.trim_end_matches('/') != shared.resource_url(&entry.server)
    {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_target",
            "resource does not match the authorization request",
        ));
    }
    Ok(())
}

/// Revokes every token family issued for the code with digest `code_hash` and makes that live;
/// returns how many families were revoked.
async fn revoke_code_grants(shared: &Arc<Shared>, code_hash: &str) -> usize {
    let now = shared.clock.now();
    let code_hash = code_hash.to_string();
    let revoked = with_db(shared, move |db| ops::oauth::revoke_code_grants(db, now, &code_hash)).await;
    match revoked {
        Ok(0) => 0,
        Ok(n) => {
            shared.reload_snapshot().await;
            n
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot revoke the tokens of a replayed code");
            0
        }
    }
}

async fn refresh(
    shared: &Arc<Shared>,
    client: &Client,
    form: &TokenForm,
    d: &mut Draft,
) -> Result<serde_json::Value, Response> {
    let presented = form
        .refresh_token
        .clone()
        .ok_or_else(|| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "refresh_token is missing"))?;
    let digest = token::hash(&presented);
    let lookup = digest.clone();
    let row = with_db(shared, move |db| ops::oauth::token(db, &lookup))
        .await
        .map_err(|_| oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "cannot read tokens"))?
        .filter(|t| t.kind == "refresh")
        .ok_or_else(|| invalid_grant("unknown refresh token"))?;
    let snapshot = shared.live.load();
    d.principal = snapshot.user(row.user_id).map(|u| u.name.clone());
    d.server = snapshot.servers().find(|s| s.id == row.server_id).map(|s| s.name.clone());
    let now = shared.clock.now();
    if row.grant_revoked {
        return Err(invalid_grant("the grant was revoked"));
    }
    if row.client_id != client.client_id {
        return Err(invalid_grant("the refresh token was issued to another client"));
    }
    if row.used_at.is_some() {
        // Reuse of a rotated refresh token: someone else has it. Revoke the whole family.
        let grant = row.grant_id;
        let _ = with_db(shared, move |db| ops::oauth::revoke_grant(db, now, grant, "refresh token reused")).await;
        shared.reload_snapshot().await;
        return Err(invalid_grant("the refresh token was already used; the grant is revoked"));
    }
    if ops::oauth::expired(&row, now) {
        return Err(invalid_grant("the refresh token expired"));
    }
    if let Some(r) = &form.resource {
        let server = d.server.clone().unwrap_or_default();
        if r.trim_end_matches('/') != shared.resource_url(&server) {
            return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_target", "resource does not match the grant"));
        }
    }
    if snapshot.user(row.user_id).is_none_or(|u| u.disabled) {
        return Err(invalid_grant("the user is disabled"));
    }
    let used = with_db(shared, move |db| ops::oauth::rotate_refresh(db, now, &digest))
        .await
        .map_err(|_| oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "cannot rotate the token"))?;
    if !used {
        return Err(invalid_grant("the refresh token was already used"));
    }
    d.auth_method = Some(if row.method == "sso" { "sso" } else { "password" });
    let (body, _) = issue_tokens(
        shared,
        client,
        row.user_id,
        row.server_id,
        &row.method,
        &row.scope,
        Family::Rotate { grant_id: row.grant_id, expires_at: row.grant_expires_at },
    )
    .await?;
    Ok(body)
}

/// Mints an access and a refresh token (in a new grant, or in `grant` when rotating), stores
/// their digests and makes the access token live before answering.
async fn issue_tokens(
    shared: &Arc<Shared>,
    client: &Client,
    user_id: i64,
    server_id: i64,
    method: &str,
    scope: &str,
    family: Family,
) -> Result<(serde_json::Value, i64), Response> {
    let (Ok(access), Ok(refresh)) = (oauth::mint(oauth::ACCESS_PREFIX), oauth::mint(oauth::REFRESH_PREFIX)) else {
        return Err(oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "rng"));
    };
    let now = shared.clock.now();
    let access_hash = token::hash(access.expose());
    let refresh_hash = token::hash(refresh.expose());
    let granted_scope = scope.to_string();
    let (client_id, method, scope) = (client.client_id.clone(), method.to_string(), scope.to_string());
    let grant_id = with_db(shared, move |db| {
        let issue = Issue {
            client_id: &client_id,
            user_id,
            server_id,
            method: &method,
            scope: &scope,
            access_hash: &access_hash,
            refresh_hash: &refresh_hash,
            family,
        };
        ops::oauth::issue_tokens(db, now, issue)
    })
    .await
    .map_err(|e| {
        tracing::warn!(error = %e, "cannot store tokens");
        oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "cannot store the tokens")
    })?;
    shared.reload_snapshot().await;
    let body = json!({
        "access_token": access.expose(),
        "token_type": "Bearer",
        "expires_in": ACCESS_LIFETIME.num_seconds(),
        "refresh_token": refresh.expose(),
        "scope": granted_scope,
    });
    Ok((body, grant_id))
}

/// Token revocation (RFC 7009): revokes the token's whole grant. Always 200, known token or not.
pub(super) async fn revoke(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    let client = match authenticate_client(&shared, &headers, &form).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(presented) = form.token.clone() else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "token is missing");
    };
    let digest = token::hash(&presented);
    let now = shared.clock.now();
    let client_id = client.client_id.clone();
    let revoked = with_db(&shared, move |db| ops::oauth::revoke_by_client(db, now, &digest, &client_id)).await;
    if let Ok(Some(row)) = &revoked {
        shared.reload_snapshot().await;
        let mut d = draft(&shared, "token_revoke", peer, &headers);
        let snapshot = shared.live.load();
        d.principal = snapshot.user(row.user_id).map(|u| u.name.clone());
        d.server = snapshot.servers().find(|s| s.id == row.server_id).map(|s| s.name.clone());
        d.client_name = Some(client.client_name.clone());
        d.status_ok();
        record(&shared, d).await;
    }
    public_json(StatusCode::OK, json!({}))
}
