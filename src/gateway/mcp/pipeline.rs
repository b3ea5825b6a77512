//! The request pipeline. Every call to `/mcp/{server}`, on every transport, passes the same
//! phases in the same order:
//!
//! `accept` → `authenticate` → `authorize` → `limit` → `route` → `forward` → `record`
//!
//! [`admit`] runs the phases an HTTP request passes once (accept, authenticate, authorize the
//! server, limit by address); [`run`] runs those each JSON-RPC message passes (authorize its
//! tool, limit its rate and quota, route, forward). Every entry point (a Streamable HTTP POST,
//! each item of a batch, a legacy POST, `initialize`, GET and DELETE) goes through `admit`, and
//! every message through `run`; `record` ends each call (`record.rs`). A phase returns the next
//! state or a [`Rejection`], which says the HTTP status, the JSON-RPC error and whose fault it is.

use std::sync::Arc;

use axum::http::{HeaderMap, Method, header};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::reply::{Final, Item, Reply};
use super::route::{self, Routed, Via};
use super::session::{self, Session, Started};
use super::{Shared, accept, authenticate, authorize, describe_session, header_str, limit, record};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::Message;
use crate::observe::activity::Draft;
use crate::policy::Grant;

/// How a request reached the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// Streamable HTTP POST: one message or a batch.
    Post,
    /// Streamable HTTP GET: the standalone event stream.
    Get,
    /// Streamable HTTP DELETE: the client ends its session.
    Delete,
    /// Legacy HTTP+SSE `GET …/sse`: opens the event stream.
    LegacyOpen,
    /// Legacy HTTP+SSE `POST …/messages`: one message, answered on the event stream.
    LegacyPost,
}

impl Entry {
    /// The Streamable HTTP entry for `method`; `None` for a method the endpoint does not serve.
    pub(crate) fn of(method: &Method) -> Option<Entry> {
        match *method {
            Method::POST => Some(Entry::Post),
            Method::GET => Some(Entry::Get),
            Method::DELETE => Some(Entry::Delete),
            _ => None,
        }
    }

    pub(crate) fn has_body(self) -> bool {
        matches!(self, Entry::Post | Entry::LegacyPost)
    }
}

/// One call on its way through the pipeline: the gateway, and the draft of its record, which
/// carries what the phases learn (the peer, the principal, the session, the message, timings).
/// The [`Grant`] `authorize` made travels beside it: it names the principal and the server's
/// snapshot entry, and forwarding takes one.
pub(crate) struct Call {
    pub shared: Arc<Shared>,
    pub draft: Draft,
}

impl Call {
    /// A call arriving from `peer` for `server`, recorded as `kind` until a phase says more.
    pub(crate) fn arrive(
        shared: &Arc<Shared>,
        server: &str,
        kind: &'static str,
        peer: std::net::SocketAddr,
        headers: &HeaderMap,
    ) -> Call {
        let mut draft = Draft::new(kind, shared.clock.now());
        draft.server = Some(server.to_string());
        draft.client(shared.client_ip(peer, headers));
        draft.user_agent = header_str(headers, header::USER_AGENT.as_str()).map(String::from);
        Call { shared: shared.clone(), draft }
    }

    /// A call for one item of a batch: the batch's caller, its own record.
    pub(crate) fn item(&self) -> Call {
        let mut draft = self.draft.clone();
        draft.trace_id = crate::observe::activity::new_trace_id();
        Call { shared: self.shared.clone(), draft }
    }
}

/// accept → authenticate → authorize → limit, for an HTTP request to `server`, before its body
/// is read (cheap checks first: a forged Host or Origin costs no token lookup). A refusal of a
/// request with a body leaves the body unread, and so closes the connection.
pub(crate) fn admit(call: &mut Call, server: &str, entry: Entry, headers: &HeaderMap) -> Result<Grant, Rejection> {
    let closing = |r: Rejection| if entry.has_body() { r.closing() } else { r };
    accept::accept(&call.shared, entry, headers).map_err(closing)?;
    let snapshot = call.shared.live.load();
    if let Some(s) = snapshot.server(server) {
        call.draft.capture = s.capture;
    }
    let admitted = authenticate::authenticate(&call.shared, &snapshot, server, headers).and_then(|principal| {
        call.draft.principal = Some(principal.display_name().to_string());
        call.draft.auth_method = Some(principal.auth_method());
        authorize::server(&call.shared, &snapshot, server, &principal)
    });
    let grant = admitted.map_err(|r| closing(limit::unadmitted(r, &snapshot, server, &call.draft)))?;
    limit::address(&snapshot, server, &call.draft).map_err(closing)?;
    authorize::upstream_account(&snapshot, &grant).map_err(closing)?;
    Ok(grant)
}

/// What a message's call produced.
pub(crate) enum Answer {
    /// The response, whole.
    Whole(Final),
    /// Messages came before the response: the first, the rest (ending with the response), and
    /// the session's end.
    Stream(Item, mpsc::Receiver<Item>, CancellationToken),
    /// `initialize` started a session: it and the response.
    Started(Arc<Session>, Final),
    /// A notification or a response passed on: nothing to answer.
    Accepted,
}

/// authorize → limit → route → forward, for one message of an admitted call (`call.draft`
/// describes it). The caller records the answer or the refusal.
pub(crate) async fn run(call: &mut Call, grant: &Grant, message: &Message, via: Via<'_>) -> Result<Answer, Rejection> {
    authorize::message(&call.shared, grant, message, &call.draft)?;
    limit::calls(&call.shared, grant, message, &mut call.draft)?;
    match route::message(message, via) {
        Routed::Local(json) => Ok(Answer::Whole(Final::answer(json, false))),
        Routed::Upstream(session) => forward(call, grant, session, message).await,
        Routed::OneWay(session) => {
            session
                .forward_one_way(message)
                .await
                .map_err(|why| Rejection::bad_request(format!("Bad Request: {why}")))?;
            Ok(Answer::Accepted)
        }
        Routed::Start(stream) => start(call, grant, message, stream).await,
    }
}

/// forward: a request to the session's upstream. The record's early parts are shaped while
/// the upstream works.
async fn forward(
    call: &mut Call,
    grant: &Grant,
    session: &Arc<Session>,
    message: &Message,
) -> Result<Answer, Rejection> {
    ready_to_record(call, grant)?;
    let (recorder, draft) = (&call.shared.recorder, &mut call.draft);
    let asked = std::time::Instant::now();
    let reply = session.forward(grant, message, || recorder.prepare(draft)).await;
    Ok(match reply {
        Reply::Json(answer) | Reply::Stream(Item::Final(answer), _) => {
            call.draft.upstream_wait = Some(asked.elapsed());
            Answer::Whole(answer)
        }
        Reply::Stream(first, rx) => Answer::Stream(first, rx, session.closed.clone()),
    })
}

/// forward for `initialize`: starts a session, whose upstream answers it.
async fn start(
    call: &mut Call,
    grant: &Grant,
    message: &Message,
    stream: Option<session::LegacyStream>,
) -> Result<Answer, Rejection> {
    ready_to_record(call, grant)?;
    let asked = std::time::Instant::now();
    let started = session::start(&call.shared, grant, message, stream).await;
    call.draft.upstream_wait = Some(asked.elapsed());
    Ok(match started {
        Started::Session(session, answer) => {
            describe_session(&mut call.draft, &session);
            tracing::info!(
                session = session.id,
                server = session.server_name,
                principal = session.principal.display_name(),
                client = session.client.name.as_deref().unwrap_or("?"),
                version = session.version(),
                "session started"
            );
            Answer::Started(session, answer)
        }
        Started::Refused(answer) => Answer::Whole(answer),
    })
}

/// mcpcp serves no call it cannot record: checked before anything reaches an upstream. The
/// record of a call that goes upstream says which credential it carries.
fn ready_to_record(call: &mut Call, grant: &Grant) -> Result<(), Rejection> {
    if call.draft.writes() {
        call.shared.recorder.check().map_err(|e| record::log_unavailable(&e))?;
    }
    let (server, user) = (grant.server(), grant.principal().user_id());
    call.draft.upstream_auth = Some(match (server.upstream_auth, user) {
        (crate::model::UpstreamAuth::Oauth, Some(_)) => "user",
        (crate::model::UpstreamAuth::Oauth, None) => "shared",
        (other, _) => other.as_str(),
    });
    if server.upstream_auth == crate::model::UpstreamAuth::Oauth {
        call.draft.upstream_subject =
            call.shared.live.load().connection(server.id, user).and_then(|c| c.subject.clone());
    }
    Ok(())
}
