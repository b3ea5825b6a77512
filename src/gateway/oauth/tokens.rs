//! The token endpoint (code + PKCE, refresh rotation with reuse detection) and revocation (RFC 7009).

use std::sync::Arc;

use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

use super::{ACCESS_LIFETIME, CODE_LIFETIME, GRANT_LIFETIME, draft, oauth_error, public_json, record, sql, with_db};
use crate::gateway::Shared;
use crate::identity::{oauth, token};
use crate::observe::activity::Draft;
use crate::store;

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
async fn authenticate_client(
    shared: &Arc<Shared>,
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<store::oauth::Client, Response> {
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
    let client =
        with_db(shared, move |db| db.read_sql(|tx| store::oauth::client(tx, &lookup)).map_err(|e| e.to_string()))
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

async fn redeem_code(
    shared: &Arc<Shared>,
    client: &store::oauth::Client,
    form: &TokenForm,
    d: &mut Draft,
) -> Result<serde_json::Value, Response> {
    let code = form
        .code
        .as_deref()
        .ok_or_else(|| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "code is missing"))?;
    let digest = token::hash(code);
    let entry = shared
        .oauth
        .codes
        .lock()
        .ok()
        .and_then(|c| c.get(&digest).cloned())
        .ok_or_else(|| invalid_grant("unknown or expired code"))?;
    d.server = Some(entry.server.clone());
    d.principal = Some(entry.name.clone());
    if let Some(grant) = entry.redeemed {
        // A replayed code: revoke everything issued for it.
        let now = store::timestamp(chrono::Utc::now());
        let _ = with_db(shared, move |db| {
            db.write(|tx| store::oauth::revoke_grant(tx, grant, "authorization code replayed", &now).map_err(sql))
        })
        .await;
        shared.reload_snapshot().await;
        return Err(invalid_grant("the code was already used; the tokens issued for it are revoked"));
    }
    if shared.clock.now() - entry.issued > CODE_LIFETIME {
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
    let (body, grant_id) =
        issue_tokens(shared, client, entry.user_id, entry.server_id, &entry.method, &entry.scope, None).await?;
    if let Ok(mut codes) = shared.oauth.codes.lock()
        && let Some(c) = codes.get_mut(&digest)
    {
        c.redeemed = Some(grant_id);
    }
    d.auth_method = Some(if entry.method == "sso" { "sso" } else { "password" });
    Ok(body)
}

async fn refresh(
    shared: &Arc<Shared>,
    client: &store::oauth::Client,
    form: &TokenForm,
    d: &mut Draft,
) -> Result<serde_json::Value, Response> {
    let presented = form
        .refresh_token
        .clone()
        .ok_or_else(|| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "refresh_token is missing"))?;
    let digest = token::hash(&presented);
    let lookup = digest.clone();
    let row = with_db(shared, move |db| db.read_sql(|tx| store::oauth::token(tx, &lookup)).map_err(|e| e.to_string()))
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
        let stamp = store::timestamp(now);
        let _ = with_db(shared, move |db| {
            db.write(|tx| store::oauth::revoke_grant(tx, grant, "refresh token reused", &stamp).map_err(sql))
        })
        .await;
        shared.reload_snapshot().await;
        return Err(invalid_grant("the refresh token was already used; the grant is revoked"));
    }
    if store::parse_timestamp(&row.expires_at).is_none_or(|e| e <= now)
        || store::parse_timestamp(&row.grant_expires_at).is_none_or(|e| e <= now)
    {
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
    let stamp = store::timestamp(now);
    let used = with_db(shared, move |db| db.write(|tx| store::oauth::use_token(tx, &digest, &stamp).map_err(sql)))
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
        Some((row.grant_id, row.grant_expires_at)),
    )
    .await?;
    Ok(body)
}

/// Mints an access and a refresh token (in a new grant, or in `grant` when rotating), stores
/// their digests and makes the access token live before answering.
async fn issue_tokens(
    shared: &Arc<Shared>,
    client: &store::oauth::Client,
    user_id: i64,
    server_id: i64,
    method: &str,
    scope: &str,
    grant: Option<(i64, String)>,
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
        db.write(|tx| {
            let stamp = store::timestamp(now);
            let (grant_id, grant_end) = match grant {
                Some((id, end)) => (id, end),
                None => {
                    let end = store::timestamp(now + GRANT_LIFETIME);
                    let id = store::oauth::insert_grant(
                        tx,
                        &store::oauth::NewGrant {
                            user_id,
                            client_id: &client_id,
                            server_id,
                            method: &method,
                            scope: &scope,
                            now: &stamp,
                            expires_at: &end,
                        },
                    )
                    .map_err(sql)?;
                    (id, end)
                }
            };
            store::oauth::insert_token(
                tx,
                &access_hash,
                grant_id,
                "access",
                &stamp,
                &store::timestamp(now + ACCESS_LIFETIME),
            )
            .map_err(sql)?;
            store::oauth::insert_token(tx, &refresh_hash, grant_id, "refresh", &stamp, &grant_end).map_err(sql)?;
            Ok::<i64, String>(grant_id)
        })
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
    let now = store::timestamp(chrono::Utc::now());
    let client_id = client.client_id.clone();
    let revoked = with_db(&shared, move |db| {
        db.write(|tx| {
            let Some(row) = store::oauth::token(tx, &digest).map_err(sql)? else { return Ok(None) };
            if row.client_id != client_id {
                return Ok(None);
            }
            store::oauth::revoke_grant(tx, row.grant_id, "revoked by the client", &now).map_err(sql)?;
            Ok::<_, String>(Some(row))
        })
    })
    .await;
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
