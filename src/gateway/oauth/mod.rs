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

pub mod pages;
mod sso;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

use super::Shared;
use crate::identity::{oauth, password, token};
use crate::model::AuthMethod;
use crate::observe::activity::Draft;
use crate::secrets::Secret;
use crate::store::{self, Db, Schema};

/// How long an authorization code may be redeemed (RFC 9700 §2.1.1 and ASVS L3: ≤ 60 s).
const CODE_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// How long an access token is accepted.
const ACCESS_LIFETIME: chrono::Duration = chrono::Duration::minutes(15);
/// The absolute end of a token family (refresh tokens rotate inside it).
const GRANT_LIFETIME: chrono::Duration = chrono::Duration::days(30);
/// How long a pending authorization request (login and consent pages) stays valid.
const REQUEST_LIFETIME: Duration = Duration::from_secs(600);
/// The scopes mcpcp grants: `mcp` (use the server) and `offline_access` (a refresh token).
const SCOPES: &[&str] = &["mcp", "offline_access"];
/// How long a fetched client ID metadata document is reused.
const DOCUMENT_TTL: Duration = Duration::from_secs(300);
/// How long a browser stays signed in to mcpcp's pages.
const LOGIN_LIFETIME: Duration = Duration::from_secs(8 * 3600);
/// Failed sign-ins allowed per user and per address in `FAILURE_WINDOW` before refusing.
const MAX_FAILURES: u32 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(900);

/// An authorization request waiting for the user to sign in and consent.
#[derive(Debug, Clone)]
struct PendingRequest {
    client_id: String,
    client_name: String,
    redirect_uri: String,
    state: Option<String>,
    challenge: String,
    scope: String,
    server_id: i64,
    server: String,
    method: AuthMethod,
    csrf: String,
    /// `prompt=consent`: ask even if the user consented to this client before.
    force_consent: bool,
    created: Instant,
    /// The browser that started it (the login cookie's digest), once signed in.
    user: Option<(i64, String)>,
}

#[derive(Debug, Clone)]
struct LoginSession {
    user_id: i64,
    name: String,
    /// How the browser signed in: it is reused only for servers asking for the same method.
    method: AuthMethod,
    created: Instant,
}

#[derive(Debug, Clone)]
struct Code {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    user_id: i64,
    name: String,
    server_id: i64,
    server: String,
    scope: String,
    method: String,
    /// When it was issued, by the gateway's clock.
    issued: chrono::DateTime<chrono::Utc>,
    /// The grant the code was redeemed for: a replay revokes it (RFC 9700 §4.2.4, ASVS 10.4.2).
    redeemed: Option<i64>,
}

/// What the authorization server keeps in memory.
#[derive(Debug, Default)]
pub struct AuthState {
    pending: Mutex<HashMap<String, PendingRequest>>,
    logins: Mutex<HashMap<String, LoginSession>>,
    codes: Mutex<HashMap<String, Code>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    /// Sign-ins sent to the external IdP, by the `state` sent with them.
    sso_flows: Mutex<HashMap<String, sso::SsoFlow>>,
    /// Client ID metadata documents fetched, by URL.
    documents: Mutex<HashMap<String, (store::oauth::Client, Instant)>>,
    /// The OpenID Connect relying party (made on first use).
    rp: std::sync::OnceLock<crate::identity::oidc::RelyingParty>,
}

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/.well-known/oauth-protected-resource", get(resource_metadata_root))
        .route("/.well-known/oauth-protected-resource/mcp/{server}", get(resource_metadata))
        .route("/.well-known/oauth-authorization-server", get(server_metadata))
        .route("/.well-known/openid-configuration", get(server_metadata))
        .route("/register", post(register).options(preflight))
        .route("/authorize", get(authorize))
        .route("/authorize/login", post(login))
        .route("/authorize/consent", post(consent))
        .route("/token", post(token).options(preflight))
        .route("/revoke", post(revoke).options(preflight))
        .route("/sso/callback", get(sso::callback))
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

/// Runs database work off the async threads, on a fresh connection.
async fn with_db<T: Send + 'static>(
    shared: &Arc<Shared>,
    f: impl FnOnce(&mut Db) -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || {
        let mut db = Db::open(&shared.state_db, Schema::State, shared.db_options).map_err(|e| e.to_string())?;
        f(&mut db)
    })
    .await
    .map_err(|e| e.to_string())?
}

fn sql(e: rusqlite::Error) -> String {
    e.to_string()
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
        logins.retain(|_, s| s.created.elapsed() < LOGIN_LIFETIME);
        logins.insert(
            token::hash(&cookie),
            LoginSession { user_id, name: name.to_string(), method, created: Instant::now() },
        );
    }
    pending.user = Some((user_id, name.to_string()));
    if let Ok(mut map) = shared.oauth.pending.lock() {
        map.insert(id.to_string(), pending.clone());
    }
    let mut response = after_login(shared, id, pending).await;
    set_cookie(shared, &mut response, LOGIN_COOKIE, &cookie, LOGIN_LIFETIME);
    response
}

/// Records an authorization-server event in the activity log (before the answer goes out).
async fn record(shared: &Shared, mut draft: Draft) {
    draft.duration = draft.started.elapsed();
    if let Err(e) = shared.recorder.commit(draft).await {
        tracing::warn!(error = %e, "cannot record a sign-in event");
    }
}

fn draft(shared: &Shared, kind: &'static str, peer: std::net::SocketAddr, headers: &HeaderMap) -> Draft {
    let mut d = Draft::new(kind);
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
    for uri in &uris {
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
    let now = chrono::Utc::now();
    let client = store::oauth::Client {
        client_id: client_id.expose().to_string(),
        kind: "dcr".into(),
        client_name: name.clone(),
        redirect_uris: uris.clone(),
        secret_hash: secret.as_ref().map(|s| token::hash(s.expose())),
        auth_method: method.clone(),
        created_at: store::timestamp(now),
    };
    let metadata = String::from_utf8_lossy(&body).into_owned();
    let stored =
        with_db(&shared, move |db| db.write(|tx| store::oauth::insert_client(tx, &client, &metadata).map_err(sql)))
            .await;
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

// ---- throttling -------------------------------------------------------------------------------

fn throttled(shared: &Shared, key: &str, max: u32) -> bool {
    let Ok(map) = shared.oauth.failures.lock() else { return true };
    map.get(key).is_some_and(|(n, since)| *n >= max && since.elapsed() < FAILURE_WINDOW)
}

fn note_failure(shared: &Shared, key: &str) {
    if let Ok(mut map) = shared.oauth.failures.lock() {
        let entry = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

fn clear_failures(shared: &Shared, key: &str) {
    if let Ok(mut map) = shared.oauth.failures.lock() {
        map.remove(key);
    }
}

// ---- authorization endpoint -------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    scope: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    resource: Option<String>,
    /// OpenID Connect `prompt`: `login` asks for a fresh sign-in, `consent` for the consent page.
    prompt: Option<String>,
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

enum ClientLookup {
    /// The client's metadata document could not be fetched or is not acceptable.
    Document(String),
    Store(String),
}

/// The client `client_id`: a registered one, or (for an https URL) the one its client ID metadata
/// document describes, fetched (cached for `DOCUMENT_TTL`) and recorded as a `cimd` client.
async fn find_client(shared: &Arc<Shared>, client_id: &str) -> Result<Option<store::oauth::Client>, ClientLookup> {
    use crate::identity::cimd;
    if !cimd::is_document_id(client_id) {
        let lookup = client_id.to_string();
        return with_db(shared, move |db| {
            db.read_sql(|tx| store::oauth::client(tx, &lookup)).map_err(|e| e.to_string())
        })
        .await
        .map_err(ClientLookup::Store);
    }
    let cached = shared
        .oauth
        .documents
        .lock()
        .ok()
        .and_then(|m| m.get(client_id).filter(|(_, at)| at.elapsed() < DOCUMENT_TTL).map(|(c, _)| c.clone()));
    if let Some(c) = cached {
        return Ok(Some(c));
    }
    let doc = cimd::fetch(client_id, shared.client_metadata_private_networks)
        .await
        .map_err(|e| ClientLookup::Document(e.to_string()))?;
    let client = store::oauth::Client {
        client_id: client_id.to_string(),
        kind: "cimd".into(),
        client_name: doc.client_name.clone(),
        redirect_uris: doc.redirect_uris.clone(),
        secret_hash: None,
        auth_method: "none".into(),
        created_at: store::timestamp(chrono::Utc::now()),
    };
    let row = client.clone();
    let raw = doc.raw.clone();
    with_db(shared, move |db| db.write(|tx| store::oauth::insert_client(tx, &row, &raw).map_err(sql)))
        .await
        .map_err(ClientLookup::Store)?;
    tracing::info!(client_id, client = %client.client_name, "fetched a client ID metadata document");
    if let Ok(mut m) = shared.oauth.documents.lock() {
        m.retain(|_, (_, at)| at.elapsed() < DOCUMENT_TTL);
        m.insert(client_id.to_string(), (client.clone(), Instant::now()));
    }
    Ok(Some(client))
}

async fn authorize(State(shared): State<Arc<Shared>>, Query(q): Query<AuthorizeQuery>, headers: HeaderMap) -> Response {
    let Some(client_id) = q.client_id.clone() else {
        return pages::error(StatusCode::BAD_REQUEST, "The request names no client (client_id is missing).");
    };
    let client = match find_client(&shared, &client_id).await {
        Ok(Some(c)) => c,
        Ok(None) => return pages::error(StatusCode::BAD_REQUEST, "This application is not registered with mcpcp."),
        Err(ClientLookup::Document(why)) => {
            return pages::error(
                StatusCode::BAD_REQUEST,
                &format!("The application's client metadata document cannot be used: {why}."),
            );
        }
        Err(ClientLookup::Store(e)) => {
            tracing::warn!(error = %e, "cannot read OAuth clients");
            return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot read its clients right now.");
        }
    };
    let Some(redirect_uri) = q.redirect_uri.clone() else {
        return pages::error(StatusCode::BAD_REQUEST, "The request has no redirect_uri.");
    };
    if !oauth::redirect_matches(&client.redirect_uris, &redirect_uri) {
        return pages::error(
            StatusCode::BAD_REQUEST,
            "The redirect URI does not match any the application registered.",
        );
    }
    // From here on errors go back to the client.
    let state = q.state.as_deref();
    if q.response_type.as_deref() != Some("code") {
        return redirect_error(
            &shared,
            &redirect_uri,
            state,
            "unsupported_response_type",
            "only response_type=code is supported",
        );
    }
    let Some(challenge) = q.code_challenge.clone().filter(|c| (43..=128).contains(&c.len())) else {
        return redirect_error(
            &shared,
            &redirect_uri,
            state,
            "invalid_request",
            "PKCE is required: send code_challenge",
        );
    };
    if q.code_challenge_method.as_deref() != Some("S256") {
        return redirect_error(&shared, &redirect_uri, state, "invalid_request", "code_challenge_method must be S256");
    }
    let snapshot = shared.live.load();
    let server = q.resource.as_deref().and_then(|r| {
        let r = r.trim_end_matches('/');
        snapshot.servers().find(|s| shared.resource_url(&s.name) == r).cloned()
    });
    let Some(server) = server.filter(|s| s.auth != AuthMethod::ApiToken && s.enabled) else {
        return redirect_error(
            &shared,
            &redirect_uri,
            state,
            "invalid_target",
            "resource must be the URL of an mcpcp server that signs users in",
        );
    };
    // Only the scopes mcpcp knows are granted (RFC 6749 §3.3: the token response then names
    // the scope actually granted); `mcp` always.
    let mut scopes: Vec<&str> = vec!["mcp"];
    for s in q.scope.as_deref().unwrap_or_default().split(' ') {
        if SCOPES.contains(&s) && !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    let scope = scopes.join(" ");
    let prompts: Vec<&str> = q.prompt.as_deref().unwrap_or_default().split(' ').collect();
    let (Ok(id), Ok(csrf)) = (random_id(), random_id()) else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp could not start the sign-in.");
    };
    let mut pending = PendingRequest {
        client_id: client.client_id.clone(),
        client_name: client.client_name.clone(),
        redirect_uri,
        state: q.state.clone(),
        challenge,
        scope,
        server_id: server.id,
        server: server.name.clone(),
        method: server.auth,
        csrf: csrf.clone(),
        force_consent: prompts.contains(&"consent"),
        created: Instant::now(),
        user: None,
    };
    // Already signed in on this browser, the way this server asks for: straight to consent.
    let signed_in = login_cookie(&headers, &cookie_name(&shared, LOGIN_COOKIE)).and_then(|c| {
        let logins = shared.oauth.logins.lock().ok()?;
        let s = logins.get(&token::hash(&c))?.clone();
        (s.created.elapsed() < LOGIN_LIFETIME && s.method == server.auth).then_some(s)
    });
    let signed_in = signed_in.filter(|_| !prompts.contains(&"login"));
    let signed_in = signed_in.filter(|s| snapshot.user(s.user_id).is_some_and(|u| !u.disabled));
    if let Some(session) = &signed_in {
        pending.user = Some((session.user_id, session.name.clone()));
    }
    if let Ok(mut map) = shared.oauth.pending.lock() {
        map.retain(|_, p| p.created.elapsed() < REQUEST_LIFETIME);
        map.insert(id.clone(), pending.clone());
    }
    match signed_in {
        Some(_) => after_login(&shared, &id, pending).await,
        None if server.auth == AuthMethod::Sso => sso::start(&shared, &id).await,
        None => pages::login(
            &id,
            &csrf,
            &pending.client_name,
            &pending.server,
            pages::return_source(&pending.redirect_uri).as_deref(),
            None,
        ),
    }
}

/// The pending request `id` if its CSRF token matches (compared in constant time).
fn take_pending(shared: &Shared, id: &str, csrf: &str) -> Option<PendingRequest> {
    use subtle::ConstantTimeEq;
    let map = shared.oauth.pending.lock().ok()?;
    let p = map.get(id)?;
    let ok: bool = p.csrf.as_bytes().ct_eq(csrf.as_bytes()).into();
    (ok && p.created.elapsed() < REQUEST_LIFETIME).then(|| p.clone())
}

/// The pending request a posted form (`what`: "sign-in", "consent") belongs to, or the page
/// saying the form is stale or forged.
fn pending_for_form(shared: &Shared, what: &str, id: &str, csrf: &str) -> Result<PendingRequest, Response> {
    take_pending(shared, id, csrf).ok_or_else(|| {
        pages::error(
            StatusCode::BAD_REQUEST,
            &format!("This {what} form has expired or was not issued by mcpcp. Start again from the application."),
        )
    })
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    request: String,
    csrf: String,
    username: String,
    password: String,
}

async fn login(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let pending = match pending_for_form(&shared, "sign-in", &form.request, &form.csrf) {
        Ok(p) => p,
        Err(page) => return page,
    };
    let mut d = draft(&shared, "sign_in", peer, &headers);
    d.server = Some(pending.server.clone());
    d.principal = Some(form.username.clone());
    d.auth_method = Some("password");
    d.client_name = Some(pending.client_name.clone());
    let user_key = format!("user:{}", form.username);
    let ip_key = format!("ip:{}", shared.client_ip(peer, &headers));
    if throttled(&shared, &user_key, MAX_FAILURES) || throttled(&shared, &ip_key, MAX_FAILURES * 4) {
        d.http_status = 429;
        d.error = Some((0, "too many failed sign-ins".into()));
        record(&shared, d).await;
        let mut r = pages::login(
            &form.request,
            &form.csrf,
            &pending.client_name,
            &pending.server,
            pages::return_source(&pending.redirect_uri).as_deref(),
            Some("Too many failed attempts. Wait a few minutes and try again."),
        );
        *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return r;
    }
    let name = form.username.clone();
    let pw = Secret::new(form.password.clone());
    // The password check always runs (against a fixed hash for unknown users), so timing tells
    // nothing about which usernames exist.
    let checked = with_db(&shared, move |db| {
        let user = db.read_sql(|tx| store::users::credentials(tx, &name)).map_err(|e| e.to_string())?;
        let (id, hash, disabled) = match user {
            Some((id, Some(hash), disabled)) => (Some(id), hash, disabled),
            _ => (None, unknown_user_hash(), true),
        };
        let ok = password::verify(&pw, &hash);
        Ok(if ok && !disabled { id } else { None })
    })
    .await;
    let user_id = match checked {
        Ok(Some(id)) => id,
        Ok(None) => {
            note_failure(&shared, &user_key);
            note_failure(&shared, &ip_key);
            d.http_status = 401;
            d.error = Some((0, "wrong username or password".into()));
            record(&shared, d).await;
            return pages::login(
                &form.request,
                &form.csrf,
                &pending.client_name,
                &pending.server,
                pages::return_source(&pending.redirect_uri).as_deref(),
                Some("The username or password is not right."),
            );
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot check a password");
            return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot check passwords right now.");
        }
    };
    clear_failures(&shared, &user_key);
    d.status_ok();
    record(&shared, d).await;
    signed_in(&shared, &form.request, pending, user_id, &form.username, AuthMethod::Password).await
}

/// An argon2id hash (of a random password, made once), checked for unknown users and users
/// without a password so their failures take as long as a wrong password.
fn unknown_user_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let random = oauth::mint("x").map(|s| s.expose().to_string()).unwrap_or_else(|_| "mcpcp-unknown-user".into());
        password::hash(&Secret::new(random)).unwrap_or_default()
    })
    .clone()
}

/// Signed in: issue a code if the user already consented to this client, else ask.
async fn after_login(shared: &Arc<Shared>, id: &str, pending: PendingRequest) -> Response {
    let Some((user_id, name)) = pending.user.clone() else {
        return pages::error(StatusCode::BAD_REQUEST, "Not signed in.");
    };
    let client = pending.client_id.clone();
    let consented = with_db(shared, move |db| {
        db.read_sql(|tx| store::oauth::has_consent(tx, user_id, &client)).map_err(|e| e.to_string())
    })
    .await;
    match consented {
        Ok(true) if !pending.force_consent => issue_code(shared, id, pending),
        Ok(_) => {
            let host = url::Url::parse(&pending.redirect_uri)
                .ok()
                .and_then(|u| u.host_str().map(String::from).or_else(|| Some(u.scheme().to_string())))
                .unwrap_or_default();
            let back = pages::return_source(&pending.redirect_uri);
            pages::consent(id, &pending.csrf, &name, &pending.client_name, &host, &pending.server, back.as_deref())
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot read consents");
            pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot read consents right now.")
        }
    }
}

#[derive(Debug, Deserialize)]
struct ConsentForm {
    request: String,
    csrf: String,
    decision: String,
}

async fn consent(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<ConsentForm>,
) -> Response {
    let pending = match pending_for_form(&shared, "consent", &form.request, &form.csrf) {
        Ok(p) => p,
        Err(page) => return page,
    };
    let Some((user_id, name)) = pending.user.clone() else {
        return pages::error(StatusCode::BAD_REQUEST, "Sign in first.");
    };
    let mut d = draft(&shared, "consent", peer, &headers);
    d.server = Some(pending.server.clone());
    d.principal = Some(name);
    d.auth_method = Some(activity_method(pending.method));
    d.client_name = Some(pending.client_name.clone());
    d.params = Some(json!({ "client_id": pending.client_id, "decision": form.decision }).to_string());
    if form.decision != "allow" {
        d.http_status = 403;
        d.error = Some((0, "the user denied access".into()));
        record(&shared, d).await;
        if let Ok(mut map) = shared.oauth.pending.lock() {
            map.remove(&form.request);
        }
        return redirect_error(
            &shared,
            &pending.redirect_uri,
            pending.state.as_deref(),
            "access_denied",
            "the user denied access",
        );
    }
    let client = pending.client_id.clone();
    let now = store::timestamp(chrono::Utc::now());
    if let Err(e) =
        with_db(&shared, move |db| db.write(|tx| store::oauth::add_consent(tx, user_id, &client, &now).map_err(sql)))
            .await
    {
        tracing::warn!(error = %e, "cannot store a consent");
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot store the consent right now.");
    }
    d.status_ok();
    record(&shared, d).await;
    issue_code(&shared, &form.request, pending)
}

/// The activity log's name for how a user signed in.
fn activity_method(m: AuthMethod) -> &'static str {
    if m == AuthMethod::Sso { "sso" } else { "password" }
}

fn issue_code(shared: &Shared, id: &str, pending: PendingRequest) -> Response {
    let Some((user_id, name)) = pending.user.clone() else {
        return pages::error(StatusCode::BAD_REQUEST, "Not signed in.");
    };
    let Ok(code) = oauth::mint(oauth::CODE_PREFIX) else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "rng");
    };
    if let Ok(mut codes) = shared.oauth.codes.lock() {
        let now = shared.clock.now();
        codes.retain(|_, c| now - c.issued < CODE_LIFETIME * 10);
        codes.insert(
            token::hash(code.expose()),
            Code {
                client_id: pending.client_id.clone(),
                redirect_uri: pending.redirect_uri.clone(),
                challenge: pending.challenge.clone(),
                user_id,
                name,
                server_id: pending.server_id,
                server: pending.server.clone(),
                scope: pending.scope.clone(),
                method: activity_method(pending.method).into(),
                issued: now,
                redeemed: None,
            },
        );
    }
    if let Ok(mut map) = shared.oauth.pending.lock() {
        map.remove(id);
    }
    let sep = if pending.redirect_uri.contains('?') { '&' } else { '?' };
    let mut url = format!("{}{sep}code={}", pending.redirect_uri, urlencode(code.expose()));
    if let Some(s) = &pending.state {
        url.push_str(&format!("&state={}", urlencode(s)));
    }
    url.push_str(&format!("&iss={}", urlencode(&shared.public_url)));
    see_other(&url)
}

// ---- token endpoint ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct TokenForm {
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

async fn token(
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
async fn revoke(
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
