//! The MCP endpoint `/mcp/{server}`: Streamable HTTP (2025-03-26, 2025-06-18, 2025-11-25) as
//! the request pipeline authenticate → authorize → route → forward, with every refusal mapped
//! to one [`Rejection`]. Protocol decisions are written down in `README.md` beside this file.

pub mod legacy;
pub mod session;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::rejection::Rejection;
use super::{InFlight, Shared};
use crate::identity::token;
use crate::jsonrpc::{self, Kind, Message, ParseError, code};
use crate::policy::{self, Denial, Grant, Principal};
use crate::snapshot::Snapshot;
use session::{Item, Reply, Session, Started};

/// Protocol revisions served over Streamable HTTP.
pub const SUPPORTED_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26"];
/// Assumed when a client sends no `MCP-Protocol-Version` (spec 2025-06-18 §Protocol Version Header).
const DEFAULT_VERSION: &str = "2025-03-26";
/// SSE comment sent on idle streams so proxies keep them open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub(crate) const SESSION_HEADER: &str = "mcp-session-id";
const VERSION_HEADER: &str = "mcp-protocol-version";

/// `/mcp/{server}`: every method.
pub async fn endpoint(
    State(shared): State<Arc<Shared>>,
    Path(server): Path<String>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let _inflight = InFlight::new(&shared);
    let mut response = if method == Method::OPTIONS {
        preflight(&shared, &headers)
    } else {
        match handle(&shared, &server, &method, &headers, body).await {
            Ok(r) => r,
            Err(rejection) => {
                if rejection.status == StatusCode::UNAUTHORIZED {
                    tracing::info!(%peer, server, "unauthenticated request refused");
                }
                rejection.into_response()
            }
        }
    };
    shared.origins.cors_headers(&headers, response.headers_mut());
    response
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
) -> Result<Response, Rejection> {
    // Cheap checks first: a forged Host or Origin costs no token lookup.
    shared.origins.check(headers).map_err(|why| Rejection::forbidden(format!("Forbidden: {why}")))?;
    let snapshot = shared.live.load();
    let principal = authenticate(&snapshot, headers)?;
    let grant = authorize(&snapshot, server, &principal)?;
    match *method {
        Method::POST => post(shared, &grant, headers, body).await,
        Method::GET => get(shared, &grant, headers),
        Method::DELETE => delete(shared, &grant, headers),
        _ => Ok((StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, POST, DELETE, OPTIONS")]).into_response()),
    }
}

/// authenticate: `Authorization: Bearer mcpcp_…` checked against the snapshot (no SQL).
///
/// The token is looked up by its SHA-256 digest: timing can reveal at most how a digest of the
/// presented value compares, which tells an attacker nothing about any valid token.
pub fn authenticate(snapshot: &Snapshot, headers: &HeaderMap) -> Result<Principal, Rejection> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(Rejection::unauthorized(None, ""));
    };
    let value = value.to_str().unwrap_or("");
    let presented = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Rejection::unauthorized(Some("invalid_request"), "use the Bearer scheme"))?;
    let entry = snapshot
        .token(&token::hash(presented))
        .ok_or_else(|| Rejection::unauthorized(Some("invalid_token"), "the token is unknown or revoked"))?;
    if entry.expired(chrono::Utc::now()) {
        return Err(Rejection::unauthorized(Some("invalid_token"), "the token has expired"));
    }
    Ok(Principal::ApiToken { token_id: entry.id, token_name: entry.name.clone(), server_id: entry.server_id })
}

/// authorize: the principal may use this server. A token of another server, or a server that does
/// not exist, looks the same as a bad token: nothing about other servers leaks.
fn authorize(snapshot: &Snapshot, server: &str, principal: &Principal) -> Result<Grant, Rejection> {
    let wrong = || Rejection::unauthorized(Some("invalid_token"), "the token is not valid for this server");
    let config = snapshot.server(server).ok_or_else(wrong)?;
    policy::authorize(principal, config).map_err(|denial| match denial {
        Denial::WrongServer => wrong(),
        Denial::WrongMethod { required } => Rejection::unauthorized(
            Some("invalid_token"),
            &format!("this server requires {} sign-in", required.as_str()),
        ),
        Denial::Disabled => Rejection::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code::TRANSPORT,
            format!("server {server:?} is disabled by an administrator"),
        ),
    })
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
fn find_session(shared: &Shared, grant: &Grant, headers: &HeaderMap) -> Result<Arc<Session>, Rejection> {
    let id = header_str(headers, SESSION_HEADER)
        .ok_or_else(|| Rejection::bad_request("Bad Request: Mcp-Session-Id header is required"))?;
    let session = shared.sessions.get(id).ok_or_else(Rejection::session_not_found)?;
    if session.server_id != grant.server().id || &session.principal != grant.principal() || session.legacy {
        return Err(Rejection::session_not_found());
    }
    Ok(session)
}

async fn post(shared: &Arc<Shared>, grant: &Grant, headers: &HeaderMap, body: Body) -> Result<Response, Rejection> {
    let content_type = header_str(headers, header::CONTENT_TYPE.as_str()).unwrap_or("");
    if !content_type.to_ascii_lowercase().starts_with("application/json") {
        return Err(Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::TRANSPORT,
            "Unsupported Media Type: Content-Type must be application/json",
        ));
    }
    if let Some(accept) = header_str(headers, header::ACCEPT.as_str()) {
        let a = accept.to_ascii_lowercase();
        if !(a.contains("application/json") || a.contains("text/event-stream") || a.contains("*/*")) {
            return Err(Rejection::new(
                StatusCode::NOT_ACCEPTABLE,
                code::TRANSPORT,
                "Not Acceptable: Client must accept application/json and text/event-stream",
            ));
        }
    }
    check_version(headers)?;
    let limit = shared.limits.max_body_bytes;
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = header_str(headers, header::CONTENT_LENGTH.as_str()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let bytes = read_body(body, limit).await?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return batch(shared, grant, headers, &bytes).await;
    }
    let message = Message::parse(&bytes).map_err(parse_rejection)?;
    let kind = message.kind().map_err(parse_rejection)?;

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
        return Ok(match session::start(shared, grant, &message, None).await {
            Started::Session(session, json) => {
                let mut r = json_response(json);
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
            Started::Refused(json) => json_response(json),
        });
    }

    let session = find_session(shared, grant, headers)?;
    match kind {
        Kind::Request => Ok(request(shared, grant, &session, &message).await),
        Kind::Notification | Kind::Response => {
            session
                .forward_one_way(&message)
                .await
                .map_err(|why| Rejection::bad_request(format!("Bad Request: {why}")))?;
            Ok(StatusCode::ACCEPTED.into_response())
        }
    }
}

/// route + forward for one client request.
async fn request(shared: &Arc<Shared>, grant: &Grant, session: &Arc<Session>, message: &Message) -> Response {
    match route(shared, grant, message) {
        Err(json) => json_response(json),
        Ok(Routed::Local(json)) => json_response(json),
        Ok(Routed::Upstream) => match session.forward(grant, message).await {
            Reply::Json(json) => json_response(json),
            Reply::Stream(first, rx) => sse_response(sse_stream(Some(first), rx, session.closed.clone(), true)),
        },
    }
}

enum Routed {
    Upstream,
    /// Answered by the gateway itself.
    Local(String),
}

/// route: what the gateway answers itself, and what the tool state forbids.
fn route(shared: &Shared, grant: &Grant, message: &Message) -> Result<Routed, String> {
    match message.method() {
        "ping" => Ok(Routed::Local(Message::result_with(message.id_text(), "{}"))),
        "tools/call" => {
            #[derive(serde::Deserialize)]
            struct Call<'a> {
                #[serde(borrow)]
                name: std::borrow::Cow<'a, str>,
            }
            let Some(call) = message.params_as::<Call<'_>>() else {
                return Err(jsonrpc::error_response(
                    message.id_text(),
                    code::INVALID_PARAMS,
                    "tools/call needs params.name",
                    None,
                ));
            };
            // The current snapshot, not the one the session started with: a stop is immediate.
            let snapshot = shared.live.load();
            let stopped = snapshot.server(&grant.server().name).is_some_and(|s| s.tool_stopped(&call.name));
            if stopped {
                let m = format!("Unknown tool: {} (it is stopped on this gateway)", call.name);
                return Err(jsonrpc::error_response(message.id_text(), code::INVALID_PARAMS, &m, None));
            }
            Ok(Routed::Upstream)
        }
        _ => Ok(Routed::Upstream),
    }
}

/// JSON-RPC batches: allowed for sessions on 2025-03-26 only (removed in 2025-06-18).
async fn batch(shared: &Arc<Shared>, grant: &Grant, headers: &HeaderMap, bytes: &[u8]) -> Result<Response, Rejection> {
    let session = find_session(shared, grant, headers)?;
    let version = header_str(headers, VERSION_HEADER).unwrap_or(session.version());
    if version != DEFAULT_VERSION && session.version() != DEFAULT_VERSION {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_REQUEST,
            "Invalid Request: batches are not allowed after protocol 2025-03-26",
        ));
    }
    let items: Vec<&serde_json::value::RawValue> =
        serde_json::from_slice(bytes).map_err(|e| parse_rejection(ParseError::Json(e.to_string())))?;
    if items.is_empty() {
        return Err(Rejection::new(StatusCode::BAD_REQUEST, code::INVALID_REQUEST, "Invalid Request: empty batch"));
    }
    let mut answers = Vec::new();
    let mut calls = Vec::new();
    for raw in items {
        let message = match Message::parse(raw.get().as_bytes()) {
            Ok(m) => m,
            Err(e) => {
                answers.push(parse_error_json(&e));
                continue;
            }
        };
        match message.kind() {
            Ok(Kind::Request) if message.method() == "initialize" => {
                answers.push(jsonrpc::error_response(
                    message.id_text(),
                    code::INVALID_REQUEST,
                    "initialize must not be in a batch",
                    None,
                ));
            }
            Ok(Kind::Request) => calls.push(message),
            _ => {
                if let Err(why) = session.forward_one_way(&message).await {
                    tracing::debug!(why, "batch element refused");
                }
            }
        }
    }
    if calls.is_empty() && answers.is_empty() {
        return Ok(StatusCode::ACCEPTED.into_response());
    }
    let replies = futures_util::future::join_all(calls.iter().map(|m| batch_call(shared, grant, &session, m))).await;
    answers.extend(replies);
    Ok(json_response(format!("[{}]", answers.join(","))))
}

/// One request of a batch: intermediate messages go to the GET stream; the response is kept.
async fn batch_call(shared: &Arc<Shared>, grant: &Grant, session: &Arc<Session>, message: &Message) -> String {
    match route(shared, grant, message) {
        Err(json) | Ok(Routed::Local(json)) => json,
        Ok(Routed::Upstream) => match session.forward(grant, message).await {
            Reply::Json(json) => json,
            Reply::Stream(first, mut rx) => {
                session.notify_client(first);
                while let Some(item) = rx.recv().await {
                    match item {
                        Item::Message(m) => session.notify_client(m),
                        Item::Final(json) => return json,
                    }
                }
                jsonrpc::error_response(message.id_text(), code::INTERNAL_ERROR, "session closed", None)
            }
        },
    }
}

/// GET: the standalone stream for messages not tied to a request.
fn get(shared: &Arc<Shared>, grant: &Grant, headers: &HeaderMap) -> Result<Response, Rejection> {
    let accept = header_str(headers, header::ACCEPT.as_str()).unwrap_or("").to_ascii_lowercase();
    if !accept.contains("text/event-stream") {
        return Err(Rejection::new(
            StatusCode::NOT_ACCEPTABLE,
            code::TRANSPORT,
            "Not Acceptable: Client must accept text/event-stream",
        ));
    }
    check_version(headers)?;
    let session = find_session(shared, grant, headers)?;
    session.touch();
    let rx = session.attach_get_stream().ok_or_else(|| {
        Rejection::new(StatusCode::CONFLICT, code::TRANSPORT, "Conflict: Only one SSE stream is allowed per session")
    })?;
    Ok(sse_response(sse_stream(None, rx, session.closed.clone(), false)))
}

/// DELETE: the client ends its session.
fn delete(shared: &Arc<Shared>, grant: &Grant, headers: &HeaderMap) -> Result<Response, Rejection> {
    check_version(headers)?;
    let session = find_session(shared, grant, headers)?;
    shared.sessions.close(&session.id, "client ended the session");
    Ok(StatusCode::OK.into_response())
}

async fn read_body(body: Body, limit: usize) -> Result<Bytes, Rejection> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e).is_some_and(|s| s.to_string().contains("length limit"))
            || e.to_string().contains("length limit");
        if too_large {
            Rejection::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                code::INVALID_REQUEST,
                format!("Payload Too Large: the limit is {limit} bytes"),
            )
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

fn parse_rejection(e: ParseError) -> Rejection {
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

fn json_response(json: String) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response()
}

fn sse_response(stream: impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache, no-transform")),
            (header::HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no")),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

fn sse_event(json: &str) -> Bytes {
    let mut out = String::with_capacity(json.len() + 24);
    out.push_str("event: message\ndata: ");
    out.push_str(json);
    out.push_str("\n\n");
    Bytes::from(out)
}

/// An SSE body: `first`, then items until the response (`end_on_final`) or the session closes.
/// Idle streams carry a comment every [`KEEP_ALIVE`].
pub(crate) fn sse_stream(
    first: Option<String>,
    rx: mpsc::Receiver<Item>,
    closed: CancellationToken,
    end_on_final: bool,
) -> impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static {
    let head = stream::iter(first.map(|f| Ok(sse_event(&f))));
    let rest = stream::unfold((rx, closed, false), move |(mut rx, closed, done)| async move {
        if done {
            return None;
        }
        let item = tokio::select! {
            _ = closed.cancelled() => return None,
            item = tokio::time::timeout(KEEP_ALIVE, rx.recv()) => item,
        };
        match item {
            Err(_) => Some((Ok(Bytes::from_static(b": keep-alive\n\n")), (rx, closed, false))),
            Ok(None) => None,
            Ok(Some(Item::Message(json))) => Some((Ok(sse_event(&json)), (rx, closed, false))),
            Ok(Some(Item::Final(json))) => Some((Ok(sse_event(&json)), (rx, closed, end_on_final))),
        }
    });
    head.chain(rest)
}

/// Background upkeep: applies each new snapshot to live sessions (revoked tokens, deleted or
/// disabled servers end them; stopped tools announce a changed list), expires idle sessions and
/// requests the upstream never answered.
pub async fn maintain(shared: Arc<Shared>, shutdown: CancellationToken) {
    let mut changes = shared.live.subscribe();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut previous = shared.live.load();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            changed = changes.changed() => {
                if changed.is_err() {
                    return;
                }
                let current = changes.borrow_and_update().clone();
                apply_snapshot(&shared, &previous, &current);
                previous = current;
            }
            _ = tick.tick() => {
                let now = chrono::Utc::now();
                let snapshot = shared.live.load();
                for session in shared.sessions.all() {
                    if let Some(why) = lost_access(&snapshot, &session, now) {
                        shared.sessions.close(&session.id, why);
                    } else if session.idle_for() > shared.limits.session_idle {
                        shared.sessions.close(&session.id, "idle");
                    } else {
                        session.expire_requests(shared.limits.request_timeout).await;
                    }
                }
            }
        }
    }
}

/// Why a session may not continue under `snapshot`, if so.
fn lost_access(snapshot: &Snapshot, session: &Session, now: chrono::DateTime<chrono::Utc>) -> Option<&'static str> {
    let Some(server) = snapshot.servers().find(|s| s.id == session.server_id) else { return Some("server deleted") };
    if !server.enabled {
        return Some("server disabled");
    }
    match &session.principal {
        Principal::ApiToken { token_id, .. } => {
            let token = snapshot.token_ids_entry(*token_id);
            match token {
                None => Some("token revoked"),
                Some(t) if t.expired(now) => Some("token expired"),
                Some(_) => None,
            }
        }
    }
}

fn apply_snapshot(shared: &Shared, previous: &Snapshot, current: &Snapshot) {
    let now = chrono::Utc::now();
    for session in shared.sessions.all() {
        if let Some(why) = lost_access(current, &session, now) {
            shared.sessions.close(&session.id, why);
            continue;
        }
        let before = previous.servers().find(|s| s.id == session.server_id);
        let after = current.servers().find(|s| s.id == session.server_id);
        if let (Some(before), Some(after)) = (before, after) {
            let stopped = |s: &crate::snapshot::ServerConfig| {
                let mut v: Vec<&String> =
                    s.tools.iter().filter(|(_, st)| **st == crate::model::ToolState::Stopped).map(|(n, _)| n).collect();
                v.sort();
                v.into_iter().cloned().collect::<Vec<_>>()
            };
            if stopped(before) != stopped(after) {
                session.notify_client(jsonrpc::notification("notifications/tools/list_changed", None));
            }
        }
    }
}
