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
use std::time::Instant;

use axum::http::{HeaderMap, Method, header};
use tokio::sync::mpsc;

use super::reply::{Final, Item, Reply};
use super::route::{self, Routed, Via};
use super::session::{self, Exchange, Session, Started};
use super::{Shared, accept, authenticate, authorize, describe_session, header_str, limit, record};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::Message;
use crate::observe::activity::Draft;
use crate::observe::trace::{Origin, Phase};
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
        let (parent, state) = (header_str(headers, "traceparent"), header_str(headers, "tracestate"));
        draft.trace.continue_from(&mut draft.trace_id, parent, state);
        Call { shared: shared.clone(), draft }
    }

    /// A call for one item of a batch: the batch's caller, its own record and span (in the
    /// caller's trace if it named one).
    pub(crate) fn item(&self) -> Call {
        let mut draft = self.draft.clone();
        if draft.trace.origin != Origin::Continued {
            draft.trace_id = crate::observe::activity::new_trace_id();
        }
        draft.trace.span_id = crate::observe::trace::new_span_id();
        draft.trace.spans.clear();
        Call { shared: self.shared.clone(), draft }
    }

    /// Times one phase: `f`'s result, its span added to the call's trace.
    pub(super) fn phase<T, E>(&mut self, phase: Phase, f: impl FnOnce(&mut Call) -> Result<T, E>) -> Result<T, E> {
        let start = Instant::now();
        let result = f(self);
        self.draft.trace.step(self.draft.started, phase, start, result.is_err());
        result
    }
}

/// accept → authenticate → authorize → limit, for an HTTP request to `server`, before its body
/// is read (cheap checks first: a forged Host or Origin costs no token lookup). A refusal of a
/// request with a body leaves the body unread, and so closes the connection.
pub(crate) fn admit(call: &mut Call, server: &str, entry: Entry, headers: &HeaderMap) -> Result<Grant, Rejection> {
    let closing = |r: Rejection| if entry.has_body() { r.closing() } else { r };
    call.phase(Phase::Accept, |c| accept::accept(&c.shared, entry, headers)).map_err(closing)?;
    let snapshot = call.shared.live.load();
    if let Some(s) = snapshot.server(server) {
        call.draft.capture = s.capture;
    }
    let principal = call.phase(Phase::Authenticate, |c| {
        let principal = authenticate::authenticate(&c.shared, &snapshot, server, headers)?;
        c.draft.principal = Some(principal.display_name().to_string());
        c.draft.auth_method = Some(principal.auth_method());
        Ok(principal)
    });
    let admitted = principal.and_then(|p| {
        call.phase(Phase::Authorize, |c| {
            let grant = authorize::server(&c.shared, &snapshot, server, &p)?;
            authorize::upstream_account(&snapshot, &grant)?;
            Ok(grant)
        })
    });
    let grant = admitted.map_err(|r| closing(limit::unadmitted(r, &snapshot, server, &call.draft)))?;
    call.phase(Phase::Limit, |c| limit::address(&snapshot, server, &c.draft)).map_err(closing)?;
    Ok(grant)
}

/// What a message's call produced.
pub(crate) enum Answer {
    /// The response, whole.
    Whole(Final),
    /// Messages came before the response: the first, the rest (ending with the response), and
    /// the session.
    Stream(Item, mpsc::Receiver<Item>, Arc<Session>),
    /// `initialize` started a session: it and the response.
    Started(Arc<Session>, Final),
    /// A notification or a response passed on: nothing to answer.
    Accepted,
}

/// authorize → limit → route → forward, for one message of an admitted call (`call.draft`
/// describes it). The caller records the answer or the refusal.
pub(crate) async fn run(call: &mut Call, grant: &Grant, message: &Message, via: Via<'_>) -> Result<Answer, Rejection> {
    call.phase(Phase::Authorize, |c| authorize::message(&c.shared, grant, message, &c.draft))?;
    call.phase(Phase::Limit, |c| limit::calls(&c.shared, grant, message, &mut c.draft))?;
    let routed = call.phase(Phase::Route, |_| Ok::<_, Rejection>(route::message(message, via)))?;
    match routed {
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
pub(super) async fn forward(
    call: &mut Call,
    grant: &Grant,
    session: &Arc<Session>,
    message: &Message,
) -> Result<Answer, Rejection> {
    ready_to_record(call, grant)?;
    let start = Instant::now();
    let mut exchange =
        Exchange { trace_id: call.draft.trace_id.clone(), trace: trace_headers(&call.draft), ..Exchange::default() };
    let (recorder, draft) = (&call.shared.recorder, &mut call.draft);
    let reply = session.forward(grant, message, &mut exchange, || recorder.prepare(draft)).await;
    let failed = match &reply {
        Reply::Json(f) | Reply::Stream(Item::Final(f), _) => f.failure.is_some(),
        Reply::Stream(..) => false,
    };
    if let Some(step) = exchange.step.take() {
        // A composed server's tool: the call it made to the source server is the record's step,
        // and the credential that went upstream is that call's (an OpenAPI server's tool: its
        // HTTP request).
        let ended = step.ended.unwrap_or_else(Instant::now);
        call.draft.upstream_auth = Some(step.connection);
        if step.origin {
            call.draft.origin = Some(step.target.clone());
        }
        call.draft.steps.push(crate::observe::activity::Step {
            target: step.target,
            connection: step.connection,
            params: step.params,
            offset: step.started.saturating_duration_since(call.draft.started),
            duration: ended.saturating_duration_since(step.started),
            error: step.error,
        });
    }
    let (arrived, trace) = (call.draft.started, &mut call.draft.trace);
    trace.step(arrived, Phase::Forward, start, failed);
    if let (Some(sent), Some(headers)) = (exchange.sent, exchange.headers) {
        trace.step_between(arrived, Phase::UpstreamHeaders, sent, headers, false);
    }
    if let (Some(from), Some(answered)) = (exchange.headers.or(exchange.sent), exchange.answered) {
        trace.step_between(arrived, Phase::UpstreamBody, from, answered, false);
    }
    Ok(match reply {
        Reply::Json(answer) | Reply::Stream(Item::Final(answer), _) => {
            call.draft.upstream_wait = Some(start.elapsed());
            Answer::Whole(answer)
        }
        Reply::Stream(first, rx) => Answer::Stream(first, rx, session.clone()),
    })
}

/// The trace context an HTTP upstream is sent: the call's span as the parent.
fn trace_headers(draft: &Draft) -> Option<crate::upstream::TraceHeaders> {
    let traceparent = draft.trace.traceparent(&draft.trace_id);
    let traceparent = axum::http::HeaderValue::from_maybe_shared(bytes::Bytes::from(traceparent)).ok()?;
    let tracestate = draft.trace.tracestate.as_deref().and_then(|s| axum::http::HeaderValue::from_str(s).ok());
    Some(crate::upstream::TraceHeaders { traceparent, tracestate })
}

/// forward for `initialize`: starts a session, whose upstream answers it.
async fn start(
    call: &mut Call,
    grant: &Grant,
    message: &Message,
    stream: Option<session::LegacyStream>,
) -> Result<Answer, Rejection> {
    ready_to_record(call, grant)?;
    let start_at = Instant::now();
    let started = session::start(&call.shared, grant, message, stream, &call.draft.trace_id).await;
    call.draft.upstream_wait = Some(start_at.elapsed());
    let failed = matches!(&started, Started::Refused(_));
    call.draft.trace.step(call.draft.started, Phase::UpstreamHandshake, start_at, failed);
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
