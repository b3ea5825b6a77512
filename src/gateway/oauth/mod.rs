//! mcpcp as the OAuth 2.1 authorization server MCP clients sign users in to (MCP 2025-11-25
//! basic/authorization), and as the protected resource that accepts its tokens (RFC 9728).
//!
//! Endpoints sit at the root so 2025-03-26 clients, which look for `/authorize`, `/token` and
//! `/register` at the MCP server's origin, find them too. Authorization codes, login sessions
//! and pending authorization requests live in memory; clients, consents, grants and the digests
//! of access and refresh tokens in `state.db`.

// Handler helpers return the finished HTTP response as their error; it is built once and sent,
// so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub(crate) mod admin_login;
pub use admin_login::verification_code;
mod authorize;
mod client_metadata;
mod connect;
pub mod pages;
mod refresh;
mod revoke;
mod sso;
mod state;
mod throttle;
mod tokens;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

use super::Shared;
use crate::identity::{oauth, token};
use crate::model::AuthMethod;
use crate::observe::activity::Draft;
use crate::ops;
use crate::store::{Db, Schema};
pub(crate) use connect::link_for;
pub(crate) use refresh::{ensure_fresh, refresh_refused};
pub(crate) use revoke::revoke_removed;
pub use state::{
    AuthState, MAX_ADMIN_CODES, MAX_ADMIN_LOGINS, MAX_CODES, MAX_DOCUMENTS, MAX_FAILURE_KEYS, MAX_LOGINS, MAX_PENDING,
    MAX_PENDING_PER_CLIENT, MAX_SSO_FLOWS,
};
use state::{LoginSession, PendingRequest};
use throttle::{note_failure, throttled};

/// How long an authorization code may be redeemed (RFC 9700 §2.1.1 and ASVS L3: ≤ 60 s).
const CODE_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// How long a pending authorization request (login and consent pages) stays valid.
const REQUEST_LIFETIME: Duration = Duration::from_secs(600);
/// The scopes mcpcp grants: `mcp` (use the server) and `offline_access` (a refresh token).
const SCOPES: &[&str] = &["mcp", "offline_access"];
/// How long a fetched client ID metadata document is reused.
const DOCUMENT_TTL: Duration = Duration::from_secs(300);
/// The largest client registration document accepted (it is stored as received).
const MAX_REGISTRATION_BYTES: usize = 16 * 1024;
/// The most redirect URIs a client may register.
const MAX_REDIRECT_URIS: usize = 16;
/// How long a browser stays signed in to mcpcp's pages.
const LOGIN_LIFETIME: Duration = Duration::from_secs(8 * 3600);

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/.well-known/oauth-protected-resource", get(resource_metadata_root))
        .route("/.well-known/oauth-protected-resource/mcp/{server}", get(resource_metadata))
        .route("/.well-known/oauth-authorization-server", get(server_metadata))
        .route("/.well-known/openid-configuration", get(server_metadata))
        .route("/register", post(register).options(preflight))
        .route("/authorize", get(authorize::authorize))
        .route("/authorize/login", post(authorize::login))
        .route("/authorize/consent", post(authorize::consent))
        .route("/token", post(tokens::token).options(preflight))
        .route("/revoke", post(tokens::revoke).options(preflight))
        .route("/sso/callback", get(sso::callback))
        .route("/sso/admin-login", get(admin_login::start))
        .route("/sso/admin-login/confirm", post(admin_login::confirm))
        .route("/connect/callback", get(connect::callback))
        .route("/connect/shared/{sealed}", get(connect::start_shared))
        .route(crate::upstream::oauth::registration::DOCUMENT_PATH, get(client_metadata::document))
        .route("/connect/{id}", get(connect::start))
}

// ---- shared helpers ---------------------------------------------------------------------------

/// JSON for public endpoints any origin may read (metadata, registration, token).
fn public_json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut r = (status, axum::Json(body)).into_response();
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

async fn preflight() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Authorization, Content-Type, MCP-Protocol-Version"),
    );
    r
}

/// An OAuth error response (RFC 6749 §5.2).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    public_json(status, json!({ "error": error, "error_description": description }))
}

fn random_id() -> Result<String, Response> {
    crate::secrets::random_bytes::<32>()
        .map(|b| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
        .map_err(|_| pages::error(StatusCode::INTERNAL_SERVER_ERROR, "the random number generator failed"))
}

/// Runs an operation (`ops`) off the async threads, on a fresh connection to the state database.
async fn with_db<T: Send + 'static>(
    shared: &Arc<Shared>,
    f: impl FnOnce(&mut Db) -> ops::Result<T> + Send + 'static,
) -> ops::Result<T> {
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || {
        let mut db = Db::open(&shared.state_db, Schema::State, shared.db_options)?;
        f(&mut db)
    })
    .await
    .map_err(|e| ops::Error::Internal(e.to_string()))?
}

/// A cookie's name: `__Host-` prefixed over TLS; on plain HTTP (loopback) browsers would drop a
/// Secure cookie, so the name has no prefix there.
fn cookie_name(shared: &Shared, base: &'static str) -> String {
    if shared.public_url.starts_with("https://") { format!("__Host-{base}") } else { base.to_string() }
}

/// The browser's sign-in cookie.
const LOGIN_COOKIE: &str = "mcpcp_login";

fn login_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// Sets cookie `base` (HttpOnly, SameSite=Lax, `Secure` over TLS) for `max_age`; an empty value
/// with a zero age clears it.
fn set_cookie(shared: &Shared, response: &mut Response, base: &'static str, value: &str, max_age: Duration) {
    let secure = if shared.public_url.starts_with("https://") { "; Secure" } else { "" };
    let cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        cookie_name(shared, base),
        max_age.as_secs()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The user signed in on this browser: remembers the sign-in (cookie), attaches the user to the
/// pending request `id` and continues to consent.
async fn signed_in(
    shared: &Arc<Shared>,
    id: &str,
    mut pending: PendingRequest,
    user_id: i64,
    name: &str,
    method: AuthMethod,
) -> Response {
    let Ok(cookie) = random_id() else { return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "rng") };
    if let Ok(mut logins) = shared.oauth.logins.lock() {
        logins.retain(|s| s.created.elapsed() < LOGIN_LIFETIME);
        logins.insert(
            token::hash(&cookie),
            LoginSession { user_id, name: name.to_string(), method, created: Instant::now() },
        );
    }
    pending.user = Some((user_id, name.to_string()));
    if let Ok(mut map) = shared.oauth.pending.lock() {
        map.insert(id.to_string(), pending.clone());
    }
    let mut response = authorize::after_login(shared, id, pending).await;
    set_cookie(shared, &mut response, LOGIN_COOKIE, &cookie, LOGIN_LIFETIME);
    response
}

/// Sends the browser back to the client with an error (only once client and redirect URI are
/// known good; RFC 9700 §4.11: otherwise an error page, never a redirect).
fn redirect_error(
    shared: &Shared,
    redirect_uri: &str,
    state: Option<&str>,
    error: &str,
    description: &str,
) -> Response {
    let mut url =
        format!("{redirect_uri}{}error={}", if redirect_uri.contains('?') { '&' } else { '?' }, urlencode(error));
    url.push_str(&format!("&error_description={}", urlencode(description)));
    if let Some(s) = state {
        url.push_str(&format!("&state={}", urlencode(s)));
    }
    url.push_str(&format!("&iss={}", urlencode(&shared.public_url)));
    see_other(&url)
}

fn see_other(url: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(url) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Records an authorization-server event in the activity log (before the answer goes out).
async fn record(shared: &Shared, mut draft: Draft) {
    draft.duration = draft.started.elapsed();
    if let Err(e) = shared.recorder.commit(draft).await {
        tracing::warn!(error = %e, "cannot record a sign-in event");
    }
}

fn draft(shared: &Shared, kind: &'static str, peer: std::net::SocketAddr, headers: &HeaderMap) -> Draft {
    let mut d = Draft::new(kind, shared.clock.now());
    d.source_ip = Some(shared.client_ip(peer, headers).to_string());
    d.user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(String::from);
    d
}

// ---- discovery --------------------------------------------------------------------------------

/// Protected resource metadata of one server (RFC 9728), for servers that sign users in.
async fn resource_metadata(State(shared): State<Arc<Shared>>, Path(server): Path<String>) -> Response {
    let snapshot = shared.live.load();
    match snapshot.server(&server).filter(|s| s.auth != AuthMethod::ApiToken && s.enabled) {
        Some(_) => public_json(
            StatusCode::OK,
            json!({
                "resource": shared.resource_url(&server),
                "authorization_servers": [shared.public_url],
                "scopes_supported": ["mcp"],
                "bearer_methods_supported": ["header"],
                "resource_name": format!("mcpcp: {server}"),
            }),
        ),
        None => oauth_error(StatusCode::NOT_FOUND, "not_found", "no server here signs users in"),
    }
}

/// The root fallback: the gateway as a whole. Tokens are issued per server, so clients that find
/// only this document must name a server's URL as `resource`.
async fn resource_metadata_root(State(shared): State<Arc<Shared>>) -> Response {
    public_json(
        StatusCode::OK,
        json!({
            "resource": shared.public_url,
            "authorization_servers": [shared.public_url],
            "scopes_supported": ["mcp"],
            "bearer_methods_supported": ["header"],
            "resource_name": "mcpcp",
        }),
    )
}

/// Authorization server metadata (RFC 8414), also served as OpenID discovery. `issuer` is the
/// public URL exactly: clients compare it as a string.
async fn server_metadata(State(shared): State<Arc<Shared>>) -> Response {
    let base = &shared.public_url;
    public_json(
        StatusCode::OK,
        json!({
            "issuer": base,
            "authorization_endpoint": format!("{base}/authorize"),
            "token_endpoint": format!("{base}/token"),
            "registration_endpoint": format!("{base}/register"),
            "revocation_endpoint": format!("{base}/revoke"),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_post", "client_secret_basic"],
            "revocation_endpoint_auth_methods_supported": ["none", "client_secret_post", "client_secret_basic"],
            "scopes_supported": SCOPES,
            "authorization_response_iss_parameter_supported": true,
            "client_id_metadata_document_supported": true,
        }),
    )
}

// ---- dynamic client registration (RFC 7591) ---------------------------------------------------

#[derive(Debug, Deserialize)]
struct Registration {
    redirect_uris: Option<Vec<String>>,
    client_name: Option<String>,
    token_endpoint_auth_method: Option<String>,
    grant_types: Option<Vec<String>>,
    response_types: Option<Vec<String>>,
}

async fn register(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    // A client registering in a loop is refused for a while (per address).
    if throttled(&shared, &format!("register:{}", shared.client_ip(peer, &headers)), 30) {
        return oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "slow_down",
            "too many registrations from this address; try later",
        );
    }
    note_failure(&shared, &format!("register:{}", shared.client_ip(peer, &headers)));
    // The document is stored as received: its size is bounded.
    if body.len() > MAX_REGISTRATION_BYTES {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
            &format!("the client metadata document is too large (at most {MAX_REGISTRATION_BYTES} bytes)"),
        );
    }
    let Ok(reg) = serde_json::from_slice::<Registration>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
            "the body must be a JSON client metadata document",
        );
    };
    let uris = reg.redirect_uris.unwrap_or_default();
    if uris.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_redirect_uri",
            "redirect_uris must list at least one URI",
        );
    }
    if uris.len() > MAX_REDIRECT_URIS {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_redirect_uri",
            &format!("redirect_uris may list at most {MAX_REDIRECT_URIS} URIs"),
        );
    }
    for uri in &uris {
        if uri.len() > authorize::MAX_URI_BYTES {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_redirect_uri",
                &format!("a redirect URI may be at most {} bytes long", authorize::MAX_URI_BYTES),
            );
        }
        if let Err(why) = oauth::check_redirect_uri(uri) {
            return oauth_error(StatusCode::BAD_REQUEST, "invalid_redirect_uri", &why);
        }
    }
    if reg.grant_types.as_ref().is_some_and(|g| !g.iter().any(|t| t == "authorization_code")) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
            "grant_types must include authorization_code",
        );
    }
    if reg.response_types.as_ref().is_some_and(|r| r.iter().any(|t| t != "code")) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
            "only the code response type is supported",
        );
    }
    let method = reg.token_endpoint_auth_method.clone().unwrap_or_else(|| "none".into());
    if !["none", "client_secret_post", "client_secret_basic"].contains(&method.as_str()) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
            "unsupported token_endpoint_auth_method",
        );
    }
    let name: String =
        reg.client_name.clone().unwrap_or_else(|| "an unnamed application".into()).chars().take(200).collect();
    let Ok(client_id) = oauth::mint("mcpcl_") else {
        return oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "rng");
    };
    let secret = if method == "none" { None } else { oauth::mint("mcpcs_").ok() };
    let now = shared.clock.now();
    let client = ops::oauth::NewClient {
        client_id: client_id.expose().to_string(),
        kind: "dcr",
        client_name: name.clone(),
        redirect_uris: uris.clone(),
        secret_hash: secret.as_ref().map(|s| token::hash(s.expose())),
        auth_method: method.clone(),
        metadata: String::from_utf8_lossy(&body).into_owned(),
    };
    let stored = with_db(&shared, move |db| ops::oauth::register_client(db, now, client)).await;
    if let Err(e) = stored {
        tracing::warn!(error = %e, "client registration failed");
        return oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "the registration could not be stored");
    }
    tracing::info!(client = name, client_id = client_id.expose(), "registered an OAuth client");
    let mut body = json!({
        "client_id": client_id.expose(),
        "client_id_issued_at": now.timestamp(),
        "client_name": name,
        "redirect_uris": uris,
        "token_endpoint_auth_method": method,
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
    });
    if let Some(s) = secret {
        body["client_secret"] = json!(s.expose());
        body["client_secret_expires_at"] = json!(0);
    }
    public_json(StatusCode::CREATED, body)
}
