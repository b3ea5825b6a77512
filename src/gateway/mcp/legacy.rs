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

use super::pipeline::{self, Answer, Call, Entry};
use super::reply::{Final, Item};
use super::route::Via;
use super::session::{self, LegacyStream, Session};
use super::{InFlight, Shared, accept, describe_session, record, sse_response, sse_stream};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{self, Kind, Message, code};
use crate::observe::activity::Draft;
use crate::policy::{Grant, Principal};

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
    let mut call = Call::arrive(&shared, &server, "stream_open", peer, &headers);
    let opened = open_stream(&mut call, &server, &headers);
    let Call { draft, .. } = call;
    let mut response = match opened {
        Ok(r) => record::finish(&shared, draft, r).await,
        Err(rejection) => record::refused(&shared, draft, rejection).await,
    };
    shared.origins.cors_headers(&headers, response.headers_mut());
    response
}

/// Opens the event stream and names the endpoint the client posts to.
fn open_stream(call: &mut Call, server: &str, headers: &HeaderMap) -> Result<Response, Rejection> {
    let grant = pipeline::admit(call, server, Entry::LegacyOpen, headers)?;
    let shared = &call.shared;
    let id = session::Session::new_id().ok_or_else(|| Rejection::bad_request("cannot create a session"))?;
    call.draft.session_id = Some(id.clone());
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
    let mut call = Call::arrive(&shared, &server, "request", peer, &headers);
    let posted = post(&mut call, &server, &q.session_id, &headers, body).await;
    let Call { draft, .. } = call;
    let mut response = match posted {
        // The answer travels on the event stream; its record is written before it is sent there.
        Ok(Posted::Deferred) => (StatusCode::ACCEPTED, "Accepted").into_response(),
        Ok(Posted::Accepted) => {
            record::finish(&shared, draft, (StatusCode::ACCEPTED, "Accepted").into_response()).await
        }
        Err(rejection) => record::refused(&shared, draft, rejection).await,
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

/// Records the answer to a call, then sends it on the session's stream.
async fn answer(call: Call, session: &Session, answer: Final, id: &str) {
    let json = record::settle(&call.shared, call.draft, answer, id).await;
    session.notify_client(json);
}

/// Runs a request through the pipeline and answers it on the session's event stream.
async fn request(mut call: Call, grant: Grant, session: Arc<Session>, message: Message) {
    let id = message.id_text();
    match pipeline::run(&mut call, &grant, &message, Via::Session(&session)).await {
        Ok(Answer::Whole(reply)) => answer(call, &session, reply, id).await,
        Ok(Answer::Stream(first, mut rx, _)) => {
            let mut next = Some(first);
            // The next item is awaited only once `first` was taken (`Option::or` would await it first).
            while let Some(item) = match next.take() {
                Some(item) => Some(item),
                None => rx.recv().await,
            } {
                match item {
                    Item::Message(m) => session.notify_client(m),
                    // mcpcp resumes the upstream's stream itself; this client cannot resume.
                    Item::Paused => {}
                    Item::Final(reply) => return answer(call, &session, reply, id).await,
                }
            }
        }
        // A request is answered: neither can happen.
        Ok(Answer::Started(..) | Answer::Accepted) => {}
        Err(refused) => {
            record::describe_refusal(&call.shared, &mut call.draft, &refused);
            let json = refused.id(id).body();
            answer(call, &session, Final::answer(json, false), id).await;
        }
    }
}

async fn post(call: &mut Call, server: &str, id: &str, headers: &HeaderMap, body: Body) -> Result<Posted, Rejection> {
    let grant = pipeline::admit(call, server, Entry::LegacyPost, headers)?;
    let bytes = accept::body(body, call.shared.limits.max_body_bytes).await?;
    let message = accept::message(&bytes, &mut call.draft)?;

    // route: the session this stream belongs to, or the stream waiting for its `initialize`.
    if let Some(session) = call.shared.sessions.get(id) {
        if !session.legacy || session.server_id != grant.server().id || &session.principal != grant.principal() {
            return Err(Rejection::session_not_found());
        }
        // Any message on the session is use, as for Streamable HTTP.
        session.touch();
        describe_session(&mut call.draft, &session);
        if matches!(message.kind(), Ok(Kind::Request)) {
            let item = Call { shared: call.shared.clone(), draft: call.draft.clone() };
            tokio::spawn(request(item, grant, session, message));
            return Ok(Posted::Deferred);
        }
        pipeline::run(call, &grant, &message, Via::Session(&session)).await?;
        return Ok(Posted::Accepted);
    }

    // The owner is checked before the waiting stream is taken: another principal's message must
    // not touch it.
    let shared = call.shared.clone();
    let opened = shared
        .legacy
        .map
        .lock()
        .ok()
        .and_then(|mut w| {
            let mine = w.get(id).is_some_and(|o| o.server_id == grant.server().id && &o.principal == grant.principal());
            if mine { w.remove(id) } else { None }
        })
        .ok_or_else(Rejection::session_not_found)?;
    if !matches!(message.kind(), Ok(Kind::Request)) || message.method() != "initialize" {
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
    let tx = opened.tx.clone();
    let stream = LegacyStream { id: id.to_string(), tx: opened.tx };
    match pipeline::run(call, &grant, &message, Via::Start(Some(stream))).await? {
        Answer::Started(session, reply) => {
            let item = Call {
                shared: shared.clone(),
                draft: std::mem::replace(&mut call.draft, Draft::new("request", shared.clock.now())),
            };
            call.draft.capture = crate::model::CaptureMode::Off;
            answer(item, &session, reply, message.id_text()).await;
            let closed = opened.closed;
            let ended = session.closed.clone();
            tokio::spawn(async move {
                ended.cancelled().await;
                closed.cancel();
            });
            Ok(Posted::Deferred)
        }
        Answer::Whole(reply) => {
            // The upstream refused: no session; the answer goes on the stream, recorded now.
            reply.note_failure(&mut call.draft);
            call.draft.response = Some(axum::body::Bytes::from(reply.json.clone()));
            let _ = tx.send(Item::Message(reply.json)).await;
            Ok(Posted::Accepted)
        }
        Answer::Stream(..) | Answer::Accepted => Ok(Posted::Accepted),
    }
}
