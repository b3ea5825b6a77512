//! The MCP endpoint `/mcp/{server}`: Streamable HTTP (2025-03-26, 2025-06-18, 2025-11-25) and
//! the legacy HTTP+SSE transport, each entry point running the request pipeline
//! (`pipeline.rs`: accept → authenticate → authorize → limit → route → forward → record).
//! Protocol decisions are written down in `README.md` beside this file.

mod accept;
mod authenticate;
mod authorize;
mod batch;
pub mod era;
pub mod legacy;
mod limit;
mod maintain;
mod pipeline;
mod record;
mod reply;
pub mod resume;
mod route;
pub mod session;
mod sse;
#[cfg(test)]
pub(crate) mod testing;

pub use authenticate::authenticate;
pub use maintain::maintain;
use sse::sse_whole_response;
pub(crate) use sse::{sse_response, sse_stream};

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::rejection::Rejection;
use super::{InFlight, Shared};
use crate::jsonrpc::{self, Kind, Message, ParseError, code};
use crate::observe::activity::{self, Draft};
use crate::policy::Grant;
use pipeline::{Answer, Call, Entry};
use reply::{Final, Item};
use session::Session;

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

/// `/mcp/{server}`: every method. Runs the pipeline; every request becomes one activity
/// record, committed before its response is released.
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
    let Some(entry) = Entry::of(method) else {
        let mut response = accept::method_not_allowed();
        shared.origins.cors_headers(headers, response.headers_mut());
        return response;
    };
    let kind = match entry {
        Entry::Get => "stream_open",
        Entry::Delete => "session_end",
        _ => "request",
    };
    let mut call = Call::arrive(shared, server, kind, peer, headers);
    let outcome = handle(&mut call, server, entry, headers, body).await;
    let Call { draft, .. } = call;
    let mut response = match outcome {
        Ok(Outcome::Done(response)) => record::finish(shared, draft, response).await,
        Ok(Outcome::Batch(response)) => response,
        Ok(Outcome::Stream(first, rx, session)) => resume::respond(shared, &session, first, rx, draft),
        Ok(Outcome::Plain(first, rx, closed)) => {
            sse_response(sse_stream(Some(first), rx, closed, Some((shared.clone(), draft))))
        }
        Err(rejection) => record::refused(shared, draft, rejection).await,
    };
    shared.origins.cors_headers(headers, response.headers_mut());
    response
}

/// What the pipeline produced.
pub(super) enum Outcome {
    /// A whole response; `draft.response` holds its JSON-RPC body, if any.
    Done(Response),
    /// An SSE stream: the first item, the rest, and the session.
    Stream(Item, mpsc::Receiver<Item>, Arc<Session>),
    /// A batch's answers: each item was recorded and counted; the envelope is neither.
    Batch(Response),
    /// An SSE stream that is never resumed (a 2026-07-28 client's): the first item, the rest,
    /// and what ends it early.
    Plain(Item, mpsc::Receiver<Item>, tokio_util::sync::CancellationToken),
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
    call: &mut Call,
    server: &str,
    entry: Entry,
    headers: &HeaderMap,
    body: Body,
) -> Result<Outcome, Rejection> {
    let grant = pipeline::admit(call, server, entry, headers)?;
    match entry {
        Entry::Post => post(call, &grant, headers, body).await,
        Entry::Get => get(call, &grant, headers).map(Outcome::Done),
        Entry::Delete => delete(call, &grant, headers).map(Outcome::Done),
        Entry::LegacyOpen | Entry::LegacyPost => Ok(Outcome::Done(accept::method_not_allowed())),
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
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
    // 2026-07-28 (SEP-414): the trace context may come in `params._meta`; it wins over the
    // HTTP header. Most messages carry none: look for the word before parsing.
    if let Some(params) = message.params.as_deref().filter(|p| p.get().contains("traceparent")) {
        #[derive(serde::Deserialize)]
        struct Params<'a> {
            #[serde(rename = "_meta", borrow)]
            meta: Option<Meta<'a>>,
        }
        #[derive(serde::Deserialize)]
        struct Meta<'a> {
            #[serde(borrow)]
            traceparent: Option<std::borrow::Cow<'a, str>>,
            #[serde(borrow)]
            tracestate: Option<std::borrow::Cow<'a, str>>,
        }
        if let Some(meta) = serde_json::from_str::<Params<'_>>(params.get()).ok().and_then(|p| p.meta) {
            let (parent, state) = (meta.traceparent.as_deref(), meta.tracestate.as_deref());
            draft.trace.continue_from(&mut draft.trace_id, parent, state);
        }
    }
}

fn tool_name(message: &Message) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Call<'a> {
        #[serde(borrow)]
        name: std::borrow::Cow<'a, str>,
    }
    message.params_as::<Call<'_>>().map(|c| c.name.into_owned())
}

/// POST: one message, or a 2025-03-26 batch.
async fn post(call: &mut Call, grant: &Grant, headers: &HeaderMap, body: Body) -> Result<Outcome, Rejection> {
    let bytes = accept::body(body, call.shared.limits.max_body_bytes).await?;
    accept::media_types(headers)?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        accept::version(headers)?;
        return batch::batch(call, grant, headers, &bytes).await;
    }
    let message = accept::message(&bytes, &mut call.draft)?;
    // 2026-07-28: stateless, selected per request (`era`).
    if era::modern(headers, &message) {
        let request = era::check(headers, &message)?;
        return era::serve(call, grant, &message, request).await;
    }
    accept::version(headers)?;
    let mut session = None;
    let via = route::post(&call.shared, grant, &message, headers, &mut call.draft, &mut session)?;
    Ok(match pipeline::run(call, grant, &message, via).await? {
        Answer::Whole(answer) => Outcome::Done(respond(answer, &mut call.draft)),
        Answer::Stream(first, rx, session) => Outcome::Stream(first, rx, session),
        Answer::Started(session, answer) => {
            let mut response = respond(answer, &mut call.draft);
            if let Ok(v) = HeaderValue::from_str(&session.id) {
                response.headers_mut().insert(SESSION_HEADER, v);
            }
            Outcome::Done(response)
        }
        Answer::Accepted => Outcome::Done(StatusCode::ACCEPTED.into_response()),
    })
}

/// The HTTP response for a whole answer: SSE if the upstream streamed it, else JSON.
pub(super) fn respond(answer: Final, draft: &mut Draft) -> Response {
    if answer.streamed {
        answer.note_failure(draft);
        return sse_whole_response(&answer.json, draft);
    }
    let body = answer.into_body(draft);
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

/// GET: the standalone stream for messages not tied to a request, or, with `Last-Event-ID`, the
/// continuation of one of the session's answer streams (`resume.rs`).
fn get(call: &mut Call, grant: &Grant, headers: &HeaderMap) -> Result<Response, Rejection> {
    let session = route::session(&call.shared, grant, headers, &mut call.draft)?;
    if let Some(last) = headers.get("last-event-id") {
        let reader = last.to_str().ok().and_then(|id| session.streams.resume(id, session.closed.clone()));
        let Some(reader) = reader else {
            return Err(Rejection::bad_request(
                "Bad Request: Last-Event-ID names no stream of this session that can be resumed",
            ));
        };
        return Ok(sse_response(reader.body()));
    }
    let rx = session.attach_get_stream().ok_or_else(|| {
        Rejection::new(StatusCode::CONFLICT, code::TRANSPORT, "Conflict: Only one SSE stream is allowed per session")
    })?;
    Ok(sse_response(sse_stream(None, rx, session.closed.clone(), None)))
}

/// DELETE: the client ends its session.
fn delete(call: &mut Call, grant: &Grant, headers: &HeaderMap) -> Result<Response, Rejection> {
    let session = route::session(&call.shared, grant, headers, &mut call.draft)?;
    // This request is the record of the session's end.
    call.shared.sessions.close(&session.id, "client ended the session");
    Ok(StatusCode::OK.into_response())
}

fn parse_error_json(e: &ParseError) -> String {
    match e {
        ParseError::Json(_) => jsonrpc::error_response("null", code::PARSE_ERROR, "Parse error", None),
        ParseError::Invalid(why) => {
            jsonrpc::error_response("null", code::INVALID_REQUEST, &format!("Invalid Request: {why}"), None)
        }
    }
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
