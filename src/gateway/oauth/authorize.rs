//! The authorization endpoint: `/authorize`, the login and consent forms, and issuing codes.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::state::{Code, PendingRequest, Redemption};
use super::throttle::{SignIn, Verdict};
use super::{
    CODE_LIFETIME, DOCUMENT_TTL, LOGIN_COOKIE, LOGIN_LIFETIME, REQUEST_LIFETIME, SCOPES, cookie_name, draft,
    login_cookie, pages, random_id, record, redirect_error, see_other, signed_in, sso, urlencode, with_db,
};
use crate::gateway::Shared;
use crate::identity::{oauth, password, token};
use crate::model::AuthMethod;
use crate::ops;
use crate::ops::oauth::{Client, NewClient};
use crate::secrets::Secret;

#[derive(Debug, Deserialize)]
pub(super) struct AuthorizeQuery {
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

/// The longest `state` and `scope` accepted, in bytes. A pending request keeps its parameters
/// until it is used or expires, so their sizes, times `MAX_PENDING`, bound the memory held.
pub(super) const MAX_STATE_BYTES: usize = 1024;
pub(super) const MAX_SCOPE_BYTES: usize = 1024;
/// The longest `client_id`, `redirect_uri` and `resource` accepted (they are URLs or short ids).
pub(super) const MAX_URI_BYTES: usize = 2048;

impl AuthorizeQuery {
    /// The first parameter longer than it may be, with its limit.
    fn oversize(&self) -> Option<(&'static str, usize)> {
        [
            ("client_id", &self.client_id, MAX_URI_BYTES),
            ("redirect_uri", &self.redirect_uri, MAX_URI_BYTES),
            ("resource", &self.resource, MAX_URI_BYTES),
            ("state", &self.state, MAX_STATE_BYTES),
            ("scope", &self.scope, MAX_SCOPE_BYTES),
            ("code_challenge", &self.code_challenge, 128),
            ("code_challenge_method", &self.code_challenge_method, 16),
            ("response_type", &self.response_type, 16),
            ("prompt", &self.prompt, 64),
        ]
        .into_iter()
        .find(|(_, value, max)| value.as_ref().is_some_and(|v| v.len() > *max))
        .map(|(name, _, max)| (name, max))
    }
}

enum ClientLookup {
    /// The client's metadata document could not be fetched or is not acceptable.
    Document(String),
    Store(ops::Error),
}

/// The client `client_id`: a registered one, or (for an https URL) the one its client ID metadata
/// document describes, fetched (cached for `DOCUMENT_TTL`) and recorded as a `cimd` client.
async fn find_client(shared: &Arc<Shared>, client_id: &str) -> Result<Option<Client>, ClientLookup> {
    use crate::identity::cimd;
    if !cimd::is_document_id(client_id) {
        let lookup = client_id.to_string();
        return with_db(shared, move |db| ops::oauth::client(db, &lookup)).await.map_err(ClientLookup::Store);
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
    let new = NewClient {
        client_id: client_id.to_string(),
        kind: "cimd",
        client_name: doc.client_name.clone(),
        redirect_uris: doc.redirect_uris.clone(),
        secret_hash: None,
        auth_method: "none".into(),
        metadata: doc.raw.clone(),
    };
    let now = shared.clock.now();
    let client =
        with_db(shared, move |db| ops::oauth::register_client(db, now, new)).await.map_err(ClientLookup::Store)?;
    tracing::info!(client_id, client = %client.client_name, "fetched a client ID metadata document");
    if let Ok(mut m) = shared.oauth.documents.lock() {
        m.retain(|(_, at)| at.elapsed() < DOCUMENT_TTL);
        m.insert(client_id.to_string(), (client.clone(), Instant::now()));
    }
    Ok(Some(client))
}

pub(super) async fn authorize(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<AuthorizeQuery>,
    headers: HeaderMap,
) -> Response {
    // Refused before anything is looked up or kept, and with a page rather than a redirect: the
    // oversize value may be the state a redirect would carry back.
    if let Some((name, max)) = q.oversize() {
        return pages::error(
            StatusCode::BAD_REQUEST,
            &format!("The request's {name} is too long (at most {max} bytes). Start again from the application."),
        );
    }
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
        connect: None,
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
    shared.oauth.add_pending(id.clone(), pending.clone(), REQUEST_LIFETIME);
    match signed_in {
        Some(_) => after_login(&shared, &id, pending).await,
        None if server.auth == AuthMethod::Sso => sso::start(&shared, sso::Continuation::Authorize(id.clone())).await,
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

/// The longest user name a sign-in form may carry (names are at most 64 bytes).
const MAX_USERNAME_BYTES: usize = 256;

#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    request: String,
    csrf: String,
    username: String,
    password: String,
}

pub(super) async fn login(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let pending = match pending_for_form(&shared, "sign-in", &form.request, &form.csrf) {
        Ok(p) => p,
        Err(page) => return page,
    };
    // No user name or password can be this long (names are at most 64 bytes, passwords
    // `password::MAX_LEN`), so refusing says nothing about any account.
    if form.username.len() > MAX_USERNAME_BYTES || form.password.len() > password::MAX_LEN {
        return pages::error(StatusCode::BAD_REQUEST, "The username or password is too long.");
    }
    let mut d = draft(&shared, "sign_in", peer, &headers);
    d.server = Some(pending.server.clone());
    d.principal = Some(form.username.clone());
    d.auth_method = Some("password");
    d.client_name = Some(pending.client_name.clone());
    let attempt = SignIn::new(&form.username, shared.client_ip(peer, &headers));
    match attempt.verdict(&shared) {
        Verdict::Check => {}
        Verdict::Wait(delay) => tokio::time::sleep(delay).await,
        Verdict::Refuse => {
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
    }
    let name = form.username.clone();
    let pw = Secret::new(form.password.clone());
    // The password check always runs (against a fixed hash for unknown users), so timing tells
    // nothing about which usernames exist.
    let checked = with_db(&shared, move |db| ops::oauth::check_password(db, &name, &pw)).await;
    let user_id = match checked {
        Ok(Some(id)) => id,
        Ok(None) => {
            attempt.failed(&shared);
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
    attempt.succeeded(&shared);
    d.status_ok();
    record(&shared, d).await;
    signed_in(&shared, &form.request, pending, user_id, &form.username, AuthMethod::Password).await
}

/// Signed in: issue a code if the user already consented to this client for this server, else
/// ask. A consent binds (user, client, server): approving a client for one server says nothing
/// about another, and the sign-in cookie (SameSite=Lax) rides along on any top-level navigation.
pub(super) async fn after_login(shared: &Arc<Shared>, id: &str, pending: PendingRequest) -> Response {
    let Some((user_id, name)) = pending.user.clone() else {
        return pages::error(StatusCode::BAD_REQUEST, "Not signed in.");
    };
    if let Some(link) = &pending.connect {
        // Signed in to link an upstream account: back to the link, which checks the user.
        if let Ok(mut map) = shared.oauth.pending.lock() {
            map.remove(id);
        }
        return see_other(&format!("{}/connect/{link}", shared.public_url));
    }
    let (client, server_id) = (pending.client_id.clone(), pending.server_id);
    let consented = with_db(shared, move |db| ops::oauth::has_consent(db, user_id, &client, server_id)).await;
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
pub(super) struct ConsentForm {
    request: String,
    csrf: String,
    decision: String,
}

pub(super) async fn consent(
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
    let allowed = form.decision == "allow";
    let decision = if allowed { "allow" } else { "deny" };
    d.params = Some(json!({ "client_id": pending.client_id, "decision": decision }).to_string());
    if !allowed {
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
    let (client, server_id) = (pending.client_id.clone(), pending.server_id);
    let now = shared.clock.now();
    if let Err(e) = with_db(&shared, move |db| ops::oauth::consent(db, now, user_id, &client, server_id)).await {
        tracing::warn!(error = %e, "cannot store a consent");
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot store the consent right now.");
    }
    d.status_ok();
    record(&shared, d).await;
    issue_code(&shared, &form.request, pending)
}

/// The activity log's name for how a user signed in.
fn activity_method(m: AuthMethod) -> &'static str {
    m.record_name()
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
        codes.retain(|c| now - c.issued < CODE_LIFETIME * 10);
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
                redemption: Redemption::Unused,
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
