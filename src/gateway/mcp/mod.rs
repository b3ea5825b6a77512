//! The MCP endpoint `/mcp/{server}`: Streamable HTTP (2025-03-26, 2025-06-18, 2025-11-25) as
//! the request pipeline authenticate → authorize → route → forward, with every refusal mapped
//! to one [`Rejection`]. Protocol decisions are written down in `README.md` beside this file.

mod batch;
pub mod legacy;
mod maintain;
pub mod session;
mod sse;

pub use maintain::maintain;
use sse::sse_whole_response;
pub(crate) use sse::{sse_response, sse_stream};

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::rejection::Rejection;
use super::{InFlight, Shared};
use crate::identity::token;
use crate::jsonrpc::{self, Kind, Message, ParseError, code};
use crate::model::CaptureMode;
use crate::observe::activity::{self, Draft};
use crate::policy::{self, Denial, Grant, Principal};
use crate::snapshot::Snapshot;
use session::{Item, Reply, Session, Started};

/// Protocol revisions served over Streamable HTTP.
pub const SUPPORTED_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26"];
/// Assumed when a client sends no `MCP-Protocol-Version` (spec 2025-06-18 §Protocol Version Header).
const DEFAULT_VERSION: &str = "2025-03-26";
/// The most messages one JSON-RPC batch may hold; a larger batch is refused whole.
pub const MAX_BATCH_ITEMS: usize = 100;
/// How many of one batch's requests are forwarded upstream at once.
pub const BATCH_CONCURRENCY: usize = 8;

pub(crate) const SESSION_HEADER: &str = "mcp-session-id";
const VERSION_HEADER: &str = "mcp-protocol-version";

/// `/mcp/{server}` through axum's router: a server name that had to be percent-decoded. Every
/// other request to the endpoint is served by [`serve`] straight from the connection.
pub async fn endpoint(
    State(shared): State<Arc<Shared>>,
    Path(server): Path<String>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    serve(&shared, &server, peer, &method, &headers, body).await
}

/// The server a path `/mcp/{server}` names, when it needs no decoding (no `%`); `None` for
/// every other path, which axum's router serves.
pub(crate) fn plain_server(path: &str) -> Option<&str> {
    path.strip_prefix("/mcp/").filter(|s| !s.is_empty() && !s.contains(['/', '%']))
}

/// `/mcp/{server}`: every method. Runs the pipeline, then `record`: every request becomes one
/// activity record, committed before its response is released.
pub(crate) async fn serve(
    shared: &Arc<Shared>,
    server: &str,
    peer: std::net::SocketAddr,
    method: &Method,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let _inflight = InFlight::new(shared);
    if method == Method::OPTIONS {
        let mut response = preflight(shared, headers);
        shared.origins.cors_headers(headers, response.headers_mut());
        return response;
    }
    let mut draft = Draft::new("request", shared.clock.now());
    draft.server = Some(server.to_string());
    draft.client(shared.client_ip(peer, headers));
    draft.user_agent = header_str(headers, header::USER_AGENT.as_str()).map(String::from);
    let outcome = handle(shared, server, method, headers, body, &mut draft).await;
    let mut response = match outcome {
        Ok(Outcome::Done(response)) => finish(shared, draft, response).await,
        Ok(Outcome::Stream(first, rx, closed)) => {
            sse_response(sse_stream(Some(first), rx, closed, Some((shared.clone(), draft))))
        }
        Err(rejection) => {
            describe_refusal(shared, &mut draft, &rejection);
            if rejection.status == StatusCode::UNAUTHORIZED && draft.capture != CaptureMode::Off {
                let server = draft.server.as_deref().unwrap_or_default();
                tracing::info!(%peer, server, "unauthenticated request refused");
            }
            finish(shared, draft, rejection.into_response()).await
        }
    };
    shared.origins.cors_headers(headers, response.headers_mut());
    response
}

/// Fills in what the record of a refused request says. A refusal of an anonymous request is
/// sampled (`observe::sampling`): when it is counted into a summary instead of recorded, the
/// draft captures nothing.
pub(crate) fn describe_refusal(shared: &Shared, draft: &mut Draft, rejection: &Rejection) {
    draft.kind = rejection_kind(rejection, draft.kind);
    draft.http_status = rejection.status.as_u16();
    draft.error = Some((rejection.code, rejection.recorded_message()));
    if draft.capture != CaptureMode::Off && !shared.refusals.record_now(draft, std::time::Instant::now()) {
        draft.capture = CaptureMode::Off;
    }
}

/// What a refusal is recorded as.
pub(crate) fn rejection_kind(rejection: &Rejection, kind: &'static str) -> &'static str {
    if let Some(kind) = rejection.kind {
        return kind;
    }
    match rejection.status {
        StatusCode::UNAUTHORIZED => "auth_failure",
        StatusCode::FORBIDDEN | StatusCode::SERVICE_UNAVAILABLE => "denied",
        _ if kind == "request" || kind == "notification" => "invalid_request",
        _ => kind,
    }
}

/// `record`: commits the draft, then releases the response. If the record cannot be written,
/// the client gets an error instead of an unlogged answer.
pub(crate) async fn finish(shared: &Shared, mut draft: Draft, response: Response) -> Response {
    if !draft.writes() {
        return response;
    }
    draft.duration = draft.started.elapsed();
    if draft.http_status == 200 {
        draft.http_status = response.status().as_u16();
    }
    match shared.recorder.commit(draft).await {
        Ok(()) => response,
        Err(e) => log_unavailable(&e).into_response(),
    }
}

pub(crate) fn log_unavailable(why: &str) -> Rejection {
    Rejection::new(
        StatusCode::SERVICE_UNAVAILABLE,
        code::INTERNAL_ERROR,
        format!("{why}; mcpcp does not serve calls it cannot log"),
    )
}

/// What the pipeline produced.
enum Outcome {
    /// A whole response; `draft.response` holds its JSON-RPC body, if any.
    Done(Response),
    /// An SSE stream: the first item, the rest, and the session's end.
    Stream(Item, mpsc::Receiver<Item>, CancellationToken),
}

fn preflight(shared: &Shared, headers: &HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    shared.origins.preflight_headers(headers, response.headers_mut());
    if !response.headers().contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        return StatusCode::FORBIDDEN.into_response();
    }
    response
}

async fn handle(
    shared: &Arc<Shared>,
    server: &str,
    method: &Method,
    headers: &HeaderMap,
    body: Body,
    draft: &mut Draft,
) -> Result<Outcome, Rejection> {
    // A refusal here leaves a POST's body unread.
    let grant =
        admit(shared, server, headers, draft).map_err(|r| if *method == Method::POST { r.closing() } else { r })?;
    match *method {
        Method::POST => post(shared, &grant, headers, body, draft).await,
        Method::GET => get(shared, &grant, headers, draft).map(Outcome::Done),
        Method::DELETE => delete(shared, &grant, headers, draft).map(Outcome::Done),
        _ => Ok(Outcome::Done(
            (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, POST, DELETE, OPTIONS")]).into_response(),
        )),
    }
}

/// The phases every request to a server passes before its body is read: Host/Origin (cheap
/// checks first: a forged Host or Origin costs no token lookup), authenticate, authorize. Fills
/// in what the draft records about the caller.
pub(crate) fn admit(shared: &Shared, server: &str, headers: &HeaderMap, draft: &mut Draft) -> Result<Grant, Rejection> {
    shared.origins.check(headers).map_err(|why| Rejection::forbidden(format!("Forbidden: {why}")))?;
    let snapshot = shared.live.load();
    let mut ip_denied = false;
    if let Some(s) = snapshot.server(server) {
        draft.capture = s.capture;
        ip_denied = s.ip_rules != crate::policy::ip::IpRules::default()
            && !draft.client_ip.is_some_and(|ip| s.ip_rules.admits(ip));
    }
    if ip_denied {
        // A caller without a credential for this server gets what it would get from any server
        // (a 401 challenge, the same as for a server that does not exist), so address rules do
        // not reveal which names exist. The record keeps the true reason.
        let refused = || {
            Rejection::forbidden(format!(
                "Forbidden: address {} may not reach server {server:?}",
                draft.source_ip.as_deref().unwrap_or("unknown")
            ))
        };
        let granted = authenticate(shared, &snapshot, server, headers)
            .and_then(|principal| authorize(shared, &snapshot, server, &principal));
        return Err(match granted {
            Ok(grant) => {
                draft.principal = Some(grant.principal().display_name().to_string());
                draft.auth_method = Some(grant.principal().auth_method());
                refused()
            }
            Err(unauthenticated) => unauthenticated.record_reason(refused().message),
        }
        .recorded_as("ip_denied"));
    }
    let principal = authenticate(shared, &snapshot, server, headers)?;
    draft.principal = Some(principal.display_name().to_string());
    draft.auth_method = Some(principal.auth_method());
    authorize(shared, &snapshot, server, &principal)
}

/// authenticate: `Authorization: Bearer …` checked against the snapshot (no SQL): an API token
/// (`mcpcp_…`) or an access token mcpcp's authorization server issued (`mcpat_…`).
///
/// Tokens are looked up by their SHA-256 digest: timing can reveal at most how a digest of the
/// presented value compares, which tells an attacker nothing about any valid token. A failure
/// on a server that signs users in carries the protected resource metadata URL (RFC 9728).
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

/// authorize: the principal may use this server. A token of another server, or a server that does
/// not exist, looks the same as a bad token: nothing about other servers leaks.
fn authorize(shared: &Shared, snapshot: &Snapshot, server: &str, principal: &Principal) -> Result<Grant, Rejection> {
    let metadata = || metadata_url(shared, snapshot, server);
    let wrong =
        || Rejection::challenge(Some("invalid_token"), "the token is not valid for this server", metadata().as_deref());
    let config = snapshot.server(server).ok_or_else(wrong)?;
    let user = match principal {
        Principal::User { user_id, .. } => {
            snapshot.user(*user_id).map(|u| policy::UserFacts { disabled: u.disabled, reaches: &u.servers })
        }
        Principal::ApiToken { .. } => None,
    };
    policy::authorize(principal, config, user).map_err(|denial| match denial {
        Denial::WrongServer => wrong(),
        Denial::WrongMethod { required } => Rejection::challenge(
            Some("invalid_token"),
            &format!("this server requires {} sign-in", required.as_str()),
            metadata().as_deref(),
        ),
        Denial::UserDisabled => {
            Rejection::challenge(Some("invalid_token"), "the user is disabled", metadata().as_deref())
        }
        Denial::NoGroup { user } => Rejection::forbidden(format!(
            "Forbidden: user {user:?} is not in any group that grants server {server:?}; ask an administrator"
        )),
        Denial::Disabled => Rejection::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code::TRANSPORT,
            format!("server {server:?} is disabled by an administrator"),
        ),
    })
}

/// The protected resource metadata URL a refusal names, for a server whose users sign in; built
/// only when a request is refused.
fn metadata_url(shared: &Shared, snapshot: &Snapshot, server: &str) -> Option<String> {
    snapshot
        .server(server)
        .filter(|s| s.auth != crate::model::AuthMethod::ApiToken)
        .map(|_| shared.resource_metadata_url(server))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `MCP-Protocol-Version` must name a revision we serve (400 otherwise; spec 2025-06-18).
fn check_version(headers: &HeaderMap) -> Result<(), Rejection> {
    match header_str(headers, VERSION_HEADER) {
        None => Ok(()),
        Some(v) if SUPPORTED_VERSIONS.contains(&v) => Ok(()),
        Some(v) => Err(Rejection::bad_request(format!(
            "Bad Request: Unsupported protocol version: {v} (supported versions: {})",
            SUPPORTED_VERSIONS.join(", ")
        ))),
    }
}

/// The session a request names: it must exist, belong to this server and to this principal.
/// Anything else is 404, so a session id is useless to anyone but its owner.
fn find_session(
    shared: &Shared,
    grant: &Grant,
    headers: &HeaderMap,
    draft: &mut Draft,
) -> Result<Arc<Session>, Rejection> {
    let id = header_str(headers, SESSION_HEADER)
        .ok_or_else(|| Rejection::bad_request("Bad Request: Mcp-Session-Id header is required"))?;
    let session = shared.sessions.get(id).ok_or_else(Rejection::session_not_found)?;
    if session.server_id != grant.server().id || &session.principal != grant.principal() || session.legacy {
        return Err(Rejection::session_not_found());
    }
    // Any request on the session is use (a `ping` the gateway answers too): idle expiry and the
    // per-principal session cap go by it.
    session.touch();
    describe_session(draft, &session);
    Ok(session)
}

/// Copies what the session knows about its client into a draft.
pub(crate) fn describe_session(draft: &mut Draft, session: &Session) {
    draft.session_id = Some(session.id.clone());
    draft.client_name.clone_from(&session.client.name);
    draft.client_version.clone_from(&session.client.version);
}

/// Copies what a message says into a draft: method, type, tool, params.
pub(crate) fn describe_message(draft: &mut Draft, message: &Message) {
    draft.kind = match message.kind() {
        Ok(Kind::Response) => "response",
        _ => activity::kind_of(message.method()),
    };
    draft.method = message.method.clone();
    if message.method() == "tools/call" {
        draft.tool = tool_name(message);
    }
    draft.params = message.params.as_deref().map(|p| p.get().to_string());
}

fn tool_name(message: &Message) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Call<'a> {
        #[serde(borrow)]
        name: std::borrow::Cow<'a, str>,
    }
    message.params_as::<Call<'_>>().map(|c| c.name.into_owned())
}

async fn post(
    shared: &Arc<Shared>,
    grant: &Grant,
    headers: &HeaderMap,
    body: Body,
    draft: &mut Draft,
) -> Result<Outcome, Rejection> {
    let limit = shared.limits.max_body_bytes;
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = header_str(headers, header::CONTENT_LENGTH.as_str()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let bytes = read_body(body, limit).await?;
    // The body is read before the header checks, so their refusals keep the connection usable.
    let content_type = header_str(headers, header::CONTENT_TYPE.as_str()).unwrap_or("");
    if !content_type.get(..16).is_some_and(|t| t.eq_ignore_ascii_case("application/json")) {
        return Err(Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::TRANSPORT,
            "Unsupported Media Type: Content-Type must be application/json",
        ));
    }
    if let Some(accept) = header_str(headers, header::ACCEPT.as_str()) {
        let has =
            |wanted: &str| accept.as_bytes().windows(wanted.len()).any(|w| w.eq_ignore_ascii_case(wanted.as_bytes()));
        if !(has("application/json") || has("text/event-stream") || has("*/*")) {
            return Err(Rejection::new(
                StatusCode::NOT_ACCEPTABLE,
                code::TRANSPORT,
                "Not Acceptable: Client must accept application/json and text/event-stream",
            ));
        }
    }
    check_version(headers)?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return batch::batch(shared, grant, headers, &bytes, draft).await.map(Outcome::Done);
    }
    let message = Message::parse(&bytes).map_err(parse_rejection)?;
    let kind = message.kind().map_err(parse_rejection)?;
    describe_message(draft, &message);

    if message.method() == "initialize" {
        if kind != Kind::Request {
            return Err(Rejection::new(StatusCode::BAD_REQUEST, code::INVALID_REQUEST, "initialize must be a request"));
        }
        if headers.contains_key(SESSION_HEADER) {
            return Err(Rejection::new(
                StatusCode::BAD_REQUEST,
                code::INVALID_REQUEST,
                "Invalid Request: Server already initialized",
            ));
        }
        if draft.capture != CaptureMode::Off {
            shared.recorder.check().map_err(|e| log_unavailable(&e))?;
        }
        return Ok(Outcome::Done(match session::start(shared, grant, &message, None).await {
            Started::Session(session, json) => {
                describe_session(draft, &session);
                let mut r = json_response(json, draft);
                if let Ok(v) = HeaderValue::from_str(&session.id) {
                    r.headers_mut().insert(SESSION_HEADER, v);
                }
                tracing::info!(
                    session = session.id,
                    server = session.server_name,
                    principal = session.principal.display_name(),
                    client = session.client.name.as_deref().unwrap_or("?"),
                    version = session.version(),
                    "session started"
                );
                r
            }
            Started::Refused(json) => json_response(json, draft),
        }));
    }

    let session = find_session(shared, grant, headers, draft)?;
    match kind {
        Kind::Request => request(shared, grant, &session, &message, draft).await,
        Kind::Notification | Kind::Response => {
            session
                .forward_one_way(&message)
                .await
                .map_err(|why| Rejection::bad_request(format!("Bad Request: {why}")))?;
            Ok(Outcome::Done(StatusCode::ACCEPTED.into_response()))
        }
    }
}

/// route + forward for one client request.
async fn request(
    shared: &Arc<Shared>,
    grant: &Grant,
    session: &Arc<Session>,
    message: &Message,
    draft: &mut Draft,
) -> Result<Outcome, Rejection> {
    match route(shared, grant, message, draft) {
        Err(json) | Ok(Routed::Local(json)) => Ok(Outcome::Done(json_response(json, draft))),
        Ok(Routed::Limited(json, retry)) => {
            draft.http_status = 429;
            let mut response = json_response(json, draft);
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            let secs = retry.as_secs() + u64::from(retry.subsec_nanos() > 0);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(Outcome::Done(response))
        }
        Ok(Routed::Upstream) => {
            if draft.writes() {
                shared.recorder.check().map_err(|e| log_unavailable(&e))?;
            }
            let recorder = &shared.recorder;
            Ok(match session.forward(grant, message, || recorder.prepare(draft)).await {
                Reply::Json(json) => Outcome::Done(json_response(json, draft)),
                Reply::Stream(Item::Final(json, _), _) => Outcome::Done(sse_whole_response(&json, draft)),
                Reply::Stream(first, rx) => Outcome::Stream(first, rx, session.closed.clone()),
            })
        }
    }
}

pub(crate) enum Routed {
    Upstream,
    /// Answered by the gateway itself.
    Local(String),
    /// Refused by a rate limit or a used-up quota (`draft.kind` says which): the JSON-RPC error,
    /// and when to retry.
    Limited(String, std::time::Duration),
}

/// route: what the gateway answers itself, and what the tool state and the server's limits
/// forbid. `draft` describes `message` ([`describe_message`]). An admitted call's quota charges
/// go into `draft`, to be committed with its record.
pub(crate) fn route(shared: &Shared, grant: &Grant, message: &Message, draft: &mut Draft) -> Result<Routed, String> {
    match message.method() {
        "ping" => Ok(Routed::Local(Message::result_with(message.id_text(), "{}"))),
        "tools/call" => {
            // The tool's name as `describe_message` read it.
            let Some(name) = draft.tool.as_deref() else {
                return Err(jsonrpc::error_response(
                    message.id_text(),
                    code::INVALID_PARAMS,
                    "tools/call needs params.name",
                    None,
                ));
            };
            // The current snapshot, not the one the session started with: a stop is immediate.
            let snapshot = shared.live.load();
            let server = snapshot.server(&grant.server().name);
            if server.is_some_and(|s| s.tool_stopped(name)) {
                let m = format!("Unknown tool: {name} (it is stopped on this gateway)");
                return Err(jsonrpc::error_response(message.id_text(), code::INVALID_PARAMS, &m, None));
            }
            match server {
                Some(server) => Ok(limit_check(shared, server, grant, message, draft)),
                None => Ok(Routed::Upstream),
            }
        }
        _ => Ok(Routed::Upstream),
    }
}

/// limit: applies the server's limits to one `tools/call` through the gateway's
/// [`policy::limiter::Limiter`] (rates per principal, then server-wide, then the usage quotas;
/// a call is charged to all of them only if it fits all of them). The charges ride on the draft
/// to be committed with the call's record.
fn limit_check(
    shared: &Shared,
    server: &crate::snapshot::ServerConfig,
    grant: &Grant,
    message: &Message,
    draft: &mut Draft,
) -> Routed {
    use policy::limiter::{Caller, Refused, ServerLimits};
    let limits = ServerLimits {
        server_id: server.id,
        rate: server.rate.as_ref().map(|(g, _)| g),
        rate_per_user: server.rate_per_user.as_ref().map(|(g, _)| g),
        quota: server.quota,
        quota_per_user: server.quota_per_user,
    };
    let principal = grant.principal();
    let caller = Caller { method: principal.auth_method(), name: principal.display_name() };
    let now = shared.clock.now();
    let refused = match shared.limiter.check(&limits, caller, std::time::Instant::now(), now) {
        Ok(charges) => {
            draft.charges = charges;
            return Routed::Upstream;
        }
        Err(refused) => refused,
    };
    let (kind, text, data, retry) = match refused {
        Refused::Rate { which, retry_after } => {
            let rate = if which == "rate" { &server.rate } else { &server.rate_per_user };
            let rate = rate.as_ref().map_or("", |(_, text)| text.as_str());
            let reset = now + chrono::Duration::from_std(retry_after).unwrap_or_else(|_| chrono::Duration::zero());
            let data = serde_json::json!({
                "limit": which,
                "rate": rate,
                "remaining": 0,
                "retry_after_ms": retry_after.as_millis() as u64,
                "reset": crate::store::timestamp(reset),
            });
            let m = format!("Rate limit exceeded on server {:?} ({which}: {rate})", server.name);
            ("rate_limited", m, data, retry_after)
        }
        Refused::Quota { which, quota, exhausted } => {
            let quota = quota.describe();
            let retry = (exhausted.reset - now).to_std().unwrap_or_default();
            let data = serde_json::json!({
                "limit": which,
                "quota": quota,
                "used": exhausted.used,
                "remaining": 0,
                "retry_after_ms": retry.as_millis() as u64,
                "reset": crate::store::timestamp(exhausted.reset),
            });
            let m = format!(
                "Usage quota exhausted on server {:?} ({which}: {quota}); it resets at {}",
                server.name,
                crate::store::timestamp(exhausted.reset)
            );
            ("quota_exceeded", m, data, retry)
        }
    };
    draft.kind = kind;
    Routed::Limited(jsonrpc::error_response(message.id_text(), code::TRANSPORT, &text, Some(&data)), retry)
}

/// GET: the standalone stream for messages not tied to a request.
fn get(shared: &Arc<Shared>, grant: &Grant, headers: &HeaderMap, draft: &mut Draft) -> Result<Response, Rejection> {
    draft.kind = "stream_open";
    let accept = header_str(headers, header::ACCEPT.as_str()).unwrap_or("").to_ascii_lowercase();
    if !accept.contains("text/event-stream") {
        return Err(Rejection::new(
            StatusCode::NOT_ACCEPTABLE,
            code::TRANSPORT,
            "Not Acceptable: Client must accept text/event-stream",
        ));
    }
    check_version(headers)?;
    let session = find_session(shared, grant, headers, draft)?;
    let rx = session.attach_get_stream().ok_or_else(|| {
        Rejection::new(StatusCode::CONFLICT, code::TRANSPORT, "Conflict: Only one SSE stream is allowed per session")
    })?;
    Ok(sse_response(sse_stream(None, rx, session.closed.clone(), None)))
}

/// DELETE: the client ends its session.
fn delete(shared: &Arc<Shared>, grant: &Grant, headers: &HeaderMap, draft: &mut Draft) -> Result<Response, Rejection> {
    draft.kind = "session_end";
    check_version(headers)?;
    let session = find_session(shared, grant, headers, draft)?;
    // This request is the record of the session's end.
    shared.sessions.close(&session.id, "client ended the session");
    Ok(StatusCode::OK.into_response())
}

/// How long a request body may take to arrive once its head has.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, Rejection> {
    let read = tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, limit)).await.map_err(|_| {
        Rejection::new(
            StatusCode::REQUEST_TIMEOUT,
            code::INVALID_REQUEST,
            format!("Request Timeout: the body did not arrive within {} s", BODY_TIMEOUT.as_secs()),
        )
        .closing()
    })?;
    read.map_err(|e| {
        let too_large = std::error::Error::source(&e).is_some_and(|s| s.to_string().contains("length limit"))
            || e.to_string().contains("length limit");
        if too_large {
            self::too_large(limit)
        } else {
            Rejection::bad_request(format!("Bad Request: cannot read the body: {e}"))
        }
    })
}

fn too_large(limit: usize) -> Rejection {
    Rejection::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        code::INVALID_REQUEST,
        format!("Payload Too Large: the limit is {limit} bytes"),
    )
    .header(header::CONNECTION, HeaderValue::from_static("close"))
}

pub(crate) fn parse_rejection(e: ParseError) -> Rejection {
    match e {
        ParseError::Json(detail) => {
            Rejection::new(StatusCode::BAD_REQUEST, code::PARSE_ERROR, "Parse error").detail(detail)
        }
        ParseError::Invalid(why) => {
            Rejection::new(StatusCode::BAD_REQUEST, code::INVALID_REQUEST, format!("Invalid Request: {why}"))
        }
    }
}

fn parse_error_json(e: &ParseError) -> String {
    match e {
        ParseError::Json(_) => jsonrpc::error_response("null", code::PARSE_ERROR, "Parse error", None),
        ParseError::Invalid(why) => {
            jsonrpc::error_response("null", code::INVALID_REQUEST, &format!("Invalid Request: {why}"), None)
        }
    }
}

/// A JSON response; the body is shared with the draft (no copy).
fn json_response(json: String, draft: &mut Draft) -> Response {
    let body = Bytes::from(json);
    draft.response = Some(body.clone());
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_endpoint_paths_skip_the_router() {
        assert_eq!(plain_server("/mcp/github"), Some("github"));
        assert_eq!(plain_server("/mcp/a-b_c.1"), Some("a-b_c.1"));
        for path in ["/mcp/", "/mcp", "/mcp/a/sse", "/mcp/a/", "/mcp/a%20b", "/mcpx/a", "/x/mcp/a"] {
            assert_eq!(plain_server(path), None, "{path}");
        }
    }
}
