//! The 2024-11-05 HTTP+SSE transport, for old clients: `GET /mcp/{server}/sse` opens the event
//! stream and names an endpoint; every message is POSTed to `/mcp/{server}/messages?sessionId=…`
//! and answered with 202, the replies travelling on the stream.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::session::{self, Item, LegacyStream, Reply, Started};
use super::{InFlight, Shared, admit, describe_refusal, finish, log_unavailable, sse_response, sse_stream};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{self, Kind, Message, code};
use crate::model::CaptureMode;
use crate::observe::activity::Draft;
use crate::policy::Principal;

/// Streams opened but not yet initialized.
#[derive(Debug, Default)]
pub struct Waiting {
    map: Mutex<HashMap<String, Opened>>,
}

#[derive(Debug)]
struct Opened {
    server_id: i64,
    principal: Principal,
    tx: mpsc::Sender<Item>,
    closed: CancellationToken,
}

pub async fn sse(
    State(shared): State<Arc<Shared>>,
    Path(server): Path<String>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let mut draft = Draft::new("stream_open", shared.clock.now());
    draft.server = Some(server.clone());
    draft.client(shared.client_ip(peer, &headers));
    draft.user_agent = headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(String::from);
    let mut response = match open_stream(&shared, &server, &headers, &mut draft) {
        Ok(r) => finish(&shared, draft, r).await,
        Err(rejection) => {
            describe_refusal(&shared, &mut draft, &rejection);
            finish(&shared, draft, rejection.into_response()).await
        }
    };
    shared.origins.cors_headers(&headers, response.headers_mut());
    response
}

/// Opens the event stream and names the endpoint the client posts to.
fn open_stream(
    shared: &Arc<Shared>,
    server: &str,
    headers: &HeaderMap,
    draft: &mut Draft,
) -> Result<Response, Rejection> {
    let grant = admit(shared, server, headers, draft)?;
    let id = session::Session::new_id().ok_or_else(|| Rejection::bad_request("cannot create a session"))?;
    draft.session_id = Some(id.clone());
    let (tx, rx) = mpsc::channel(256);
    let closed = CancellationToken::new();
    if let Ok(mut waiting) = shared.legacy.map.lock() {
        let opened =
            Opened { server_id: grant.server().id, principal: grant.principal().clone(), tx, closed: closed.clone() };
        waiting.insert(id.clone(), opened);
    }
    let endpoint = format!("/mcp/{server}/messages?sessionId={id}");
    let head =
        futures_util::stream::iter([Ok(axum::body::Bytes::from(format!("event: endpoint\ndata: {endpoint}\n\n")))]);
    // When the client goes away, the session goes too.
    let guard = EndOnDrop { shared: shared.clone(), id, closed: closed.clone() };
    let body = head.chain(sse_stream(None, rx, closed, None)).map(move |item| {
        let _ = &guard;
        item
    });
    Ok(sse_response(body))
}

struct EndOnDrop {
    shared: Arc<Shared>,
    id: String,
    closed: CancellationToken,
}

impl Drop for EndOnDrop {
    fn drop(&mut self) {
        self.closed.cancel();
        if let Ok(mut waiting) = self.shared.legacy.map.lock() {
            waiting.remove(&self.id);
        }
        self.shared.end_session(&self.id, "legacy event stream closed");
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct SessionQuery {
    #[serde(rename = "sessionId")]
    session_id: String,
}

pub async fn messages(
    State(shared): State<Arc<Shared>>,
    Path(server): Path<String>,
    Query(q): Query<SessionQuery>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let _inflight = InFlight::new(&shared);
    let mut draft = Draft::new("request", shared.clock.now());
    draft.server = Some(server.clone());
    draft.client(shared.client_ip(peer, &headers));
    draft.user_agent = headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(String::from);
    let mut response = match post(&shared, &server, &q.session_id, &headers, body, &mut draft).await {
        // The answer travels on the event stream; its record is written before it is sent there.
        Ok(Posted::Deferred) => (StatusCode::ACCEPTED, "Accepted").into_response(),
        Ok(Posted::Accepted) => finish(&shared, draft, (StatusCode::ACCEPTED, "Accepted").into_response()).await,
        Err(rejection) => {
            describe_refusal(&shared, &mut draft, &rejection);
            finish(&shared, draft, rejection.into_response()).await
        }
    };
    shared.origins.cors_headers(&headers, response.headers_mut());
    response
}

enum Posted {
    /// Accepted; recorded now.
    Accepted,
    /// Accepted; a task answers on the stream and records then.
    Deferred,
}

/// Records `json` as the answer to `draft`, then sends it on the session's stream.
async fn answer(shared: &Shared, session: &session::Session, mut draft: Draft, json: String) {
    if draft.writes() {
        draft.duration = draft.started.elapsed();
        draft.response = Some(axum::body::Bytes::from(json.clone()));
        if let Err(e) = shared.recorder.commit(draft).await {
            let id = Message::parse(json.as_bytes()).map(|m| m.id_text().to_string()).unwrap_or_else(|_| "null".into());
            session.notify_client(log_unavailable(&e).id(&id).body());
            return;
        }
    }
    session.notify_client(json);
}

async fn post(
    shared: &Arc<Shared>,
    server: &str,
    id: &str,
    headers: &HeaderMap,
    body: Body,
    draft: &mut Draft,
) -> Result<Posted, Rejection> {
    // A refusal here leaves the body unread.
    let grant = admit(shared, server, headers, draft).map_err(Rejection::closing)?;
    let principal = grant.principal().clone();
    let bytes = super::read_body(body, shared.limits.max_body_bytes).await?;
    let message = Message::parse(&bytes).map_err(super::parse_rejection)?;
    let kind = message.kind().map_err(super::parse_rejection)?;
    super::describe_message(draft, &message);

    if let Some(session) = shared.sessions.get(id) {
        if !session.legacy || session.server_id != grant.server().id || session.principal != principal {
            return Err(Rejection::session_not_found());
        }
        // Any message on the session is use, as for Streamable HTTP (`find_session`).
        session.touch();
        super::describe_session(draft, &session);
        match kind {
            Kind::Request => {
                if draft.capture != CaptureMode::Off {
                    shared.recorder.check().map_err(|e| log_unavailable(&e))?;
                }
                let (shared, mut draft) = (shared.clone(), draft.clone());
                tokio::spawn(async move {
                    let reply = match super::route(&shared, &grant, &message, &mut draft) {
                        Err(json) | Ok(super::Routed::Local(json)) | Ok(super::Routed::Limited(json, _)) => {
                            Reply::Json(json)
                        }
                        Ok(super::Routed::Upstream) => {
                            session.forward(&grant, &message, || shared.recorder.prepare(&mut draft)).await
                        }
                    };
                    match reply {
                        Reply::Json(json) => answer(&shared, &session, draft, json).await,
                        Reply::Stream(first, mut rx) => {
                            let mut next = Some(first);
                            while let Some(item) = next.take().or(rx.recv().await) {
                                match item {
                                    Item::Message(m) => session.notify_client(m),
                                    Item::Final(m, _) => {
                                        answer(&shared, &session, draft, m).await;
                                        break;
                                    }
                                }
                            }
                        }
                    }
                });
                return Ok(Posted::Deferred);
            }
            Kind::Notification | Kind::Response => {
                session
                    .forward_one_way(&message)
                    .await
                    .map_err(|why| Rejection::bad_request(format!("Bad Request: {why}")))?;
            }
        }
        return Ok(Posted::Accepted);
    }

    // The owner is checked before the waiting stream is taken: another principal's message must
    // not touch it.
    let opened = shared
        .legacy
        .map
        .lock()
        .ok()
        .and_then(|mut w| {
            let mine = w.get(id).is_some_and(|o| o.server_id == grant.server().id && o.principal == principal);
            if mine { w.remove(id) } else { None }
        })
        .ok_or_else(Rejection::session_not_found)?;
    if kind != Kind::Request || message.method() != "initialize" {
        let _ = opened.tx.try_send(Item::Message(jsonrpc::error_response(
            message.id_text(),
            code::INVALID_REQUEST,
            "Server not initialized",
            None,
        )));
        if let Ok(mut w) = shared.legacy.map.lock() {
            w.insert(id.to_string(), opened);
        }
        return Err(Rejection::bad_request("Bad Request: Server not initialized"));
    }
    if draft.capture != CaptureMode::Off {
        shared.recorder.check().map_err(|e| log_unavailable(&e))?;
    }
    let tx = opened.tx.clone();
    let stream = LegacyStream { id: id.to_string(), tx: opened.tx };
    match session::start(shared, &grant, &message, Some(stream)).await {
        Started::Session(session, json) => {
            super::describe_session(draft, &session);
            answer(shared, &session, draft.clone(), json).await;
            let closed = opened.closed;
            let ended = session.closed.clone();
            tokio::spawn(async move {
                ended.cancelled().await;
                closed.cancel();
            });
        }
        Started::Refused(json) => {
            draft.response = Some(axum::body::Bytes::from(json.clone()));
            let _ = tx.send(Item::Message(json)).await;
            return Ok(Posted::Accepted);
        }
    }
    Ok(Posted::Deferred)
}
