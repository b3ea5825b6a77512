//! What a session sends its upstream: the client's requests (answered as JSON or as a stream,
//! with a linked account's token refreshed first and a refused one retried once), its
//! notifications and responses, and its cancellations (ids rewritten to the upstream's).

use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::mpsc;

use super::inbound::on_message;
use super::{Final, Item, Pending, Reply, Session, unlinked};
use crate::gateway::workers;
use crate::jsonrpc::{self, Kind, Message};
use crate::model::Fault;
use crate::policy::Grant;
use crate::upstream::{Next, Outbound};

/// One request's exchange with the upstream, as the call's trace sees it: the trace context
/// sent (HTTP upstreams), and when the request went, its answer's headers came and its response
/// arrived.
#[derive(Debug, Default)]
pub struct Exchange {
    /// The call's trace id (the identity the upstream may be told names it).
    pub trace_id: String,
    pub trace: Option<crate::upstream::TraceHeaders>,
    pub sent: Option<Instant>,
    pub headers: Option<Instant>,
    pub answered: Option<Instant>,
    /// A composed server's session: the call it made to the tool's source server.
    pub step: Option<Box<StepTaken>>,
}

/// A call a composed session made to a source server's tool, or the HTTP request of an OpenAPI
/// server's tool, for the record's steps.
#[derive(Debug)]
pub struct StepTaken {
    /// `SERVER:TOOL`, or `METHOD /path/{template}`.
    pub target: String,
    /// The target is a composed tool's source (`SERVER:TOOL`), also the record's `origin`.
    pub origin: bool,
    /// Which credential it carried upstream (`none`, `header`, `user`, `shared`).
    pub connection: &'static str,
    /// The `tools/call` params sent.
    pub params: String,
    pub started: Instant,
    pub ended: Option<Instant>,
    /// Why it failed (the whole story), if the gateway answered for it.
    pub error: Option<String>,
}

impl Session {
    /// Forwards a client request upstream. Answers with JSON if the response is the first thing
    /// that comes back, or opens a stream if notifications or requests come first.
    /// `waiting` runs once the request is on its way, while the upstream works on it.
    /// `exchange.trace_id` is the request's trace (the upstream may be told it, `server identity`).
    pub async fn forward(
        self: &Arc<Self>,
        grant: &Grant,
        msg: &Message,
        exchange: &mut Exchange,
        waiting: impl FnOnce(),
    ) -> Reply {
        match &self.sources {
            Some(sources) => super::composed::forward(self, sources, grant, msg, exchange, waiting).await,
            None => self.forward_own(grant, msg, exchange, waiting).await,
        }
    }

    /// [`Session::forward`] for a session that is not composed (a composed session's source
    /// sessions are these): to its upstream, or an OpenAPI server's HTTP request.
    pub(super) async fn forward_own(
        self: &Arc<Self>,
        grant: &Grant,
        msg: &Message,
        exchange: &mut Exchange,
        waiting: impl FnOnce(),
    ) -> Reply {
        match grant.server().openapi.is_some() {
            true => super::openapi::forward(self, grant, msg, exchange, waiting).await,
            false => self.forward_upstream(grant, msg, exchange, waiting).await,
        }
    }

    /// [`Session::forward`] for a session with an upstream of its own.
    pub(super) async fn forward_upstream(
        self: &Arc<Self>,
        grant: &Grant,
        msg: &Message,
        exchange: &mut Exchange,
        waiting: impl FnOnce(),
    ) -> Reply {
        let trace_id = exchange.trace_id.clone();
        let request = Request { msg, server: grant.server(), trace_id: &trace_id };
        if !self.linked_account {
            return self.forward_once(&request, exchange, waiting).await.0;
        }
        // A linked upstream account's token near its expiry is refreshed first.
        let user = self.principal.user_id();
        crate::gateway::oauth::ensure_fresh(&self.shared, self.server_id, user).await;
        let sent = self.shared.live.load().connection(self.server_id, user).and_then(|c| c.authorization.clone());
        let (reply, status) = self.forward_once(&request, exchange, waiting).await;
        // The upstream refused a linked account's token the gateway held good (revoked there,
        // say): one refresh and one retry; if that fails too, the link goes and the user is
        // asked to link again.
        if let Some(sent) = sent
            && status == Some(reqwest::StatusCode::UNAUTHORIZED)
            && crate::gateway::oauth::refresh_refused(&self.shared, self.server_id, user, &sent).await
        {
            return self.forward_once(&request, exchange, || {}).await.0;
        }
        reply
    }

    /// One forwarding of a client request (see [`Session::forward`]), with the HTTP status the
    /// upstream answered it with when this task made the exchange (Streamable HTTP).
    async fn forward_once(
        self: &Arc<Self>,
        request: &Request<'_>,
        exchange: &mut Exchange,
        waiting: impl FnOnce(),
    ) -> (Reply, Option<reqwest::StatusCode>) {
        let msg = request.msg;
        let outbound = match self.outbound().await {
            Some(Ok(link)) => link,
            Some(Err(lost)) => {
                let reason = "the upstream is unavailable";
                let failed = Final::failed(msg.id_text(), &self.server_name, lost.fault, reason, lost.reason);
                return (Reply::Json(failed), None);
            }
            None => return (Reply::Json(unlinked::account_unlinked(self, msg)), None),
        };
        workers::upstream_chosen(&self.answer_times);
        let asked = Instant::now();
        exchange.sent = Some(asked);
        let id = self.next_upstream_id();
        let (tx, mut rx) = mpsc::channel(64);
        let progress_token = progress_token(msg);
        self.register(
            &id,
            Pending {
                downstream_id: msg.id_text().to_string(),
                method: msg.method().to_string(),
                progress_token,
                to_client: Some(tx),
                internal: None,
                started: asked,
                seq: 0,
            },
        );
        let traceparent = exchange.trace.as_ref().and_then(|t| t.traceparent.to_str().ok());
        let json = self.upstream_json(msg, &id, Some(request.server), Some(request.trace_id), traceparent);
        let mut first = None;
        let mut status = None;
        if let Some(direct) = outbound.direct() {
            // Streamable HTTP: POST from this task and read the answer here, until the first
            // thing for this client arrives; the rest of the stream is read on its own task.
            if let Some(mut replies) =
                direct.request(json, &id, Some(request.trace_id), exchange.trace.as_ref(), waiting).await
            {
                exchange.headers = Some(Instant::now());
                status = Some(replies.status());
                while first.is_none() {
                    match replies.next().await {
                        None => break,
                        Some(Next::Message(message, streamed)) => on_message(self, message, Some(&id), streamed).await,
                        Some(Next::Paused) => self.paused(Some(&id)),
                    }
                    first = rx.try_recv().ok();
                }
                // The stream usually ends right after the response: its last bytes are often
                // still on their way, so look again after the runtime has polled its sockets once
                // (this spares a task for 19 calls in 20). If it has not ended, its end (and
                // anything more) is read on another task, so the connection can be reused.
                if !replies.done() {
                    let mut more = futures_util::FutureExt::now_or_never(replies.next());
                    if more.is_none() {
                        tokio::task::yield_now().await;
                        more = futures_util::FutureExt::now_or_never(replies.next());
                    }
                    match more {
                        Some(None) => {}
                        Some(Some(next)) => {
                            match next {
                                Next::Message(message, streamed) => {
                                    on_message(self, message, Some(&id), streamed).await
                                }
                                Next::Paused => self.paused(Some(&id)),
                            }
                            tokio::spawn(replies.forward_rest(Some(id.clone()), direct.inbound()));
                        }
                        None => {
                            tokio::spawn(replies.forward_rest(Some(id.clone()), direct.inbound()));
                        }
                    }
                }
            }
        } else {
            let out = Outbound {
                json,
                request_id: Some(id.clone()),
                method: msg.method.clone(),
                trace: exchange.trace.clone(),
                trace_id: Some(request.trace_id.to_string()),
            };
            let sent = outbound.send(out).await;
            waiting();
            if sent.is_err() {
                self.unregister(&id);
                let failed = Final::failed(
                    msg.id_text(),
                    &self.server_name,
                    Fault::Upstream,
                    "the connection to the upstream is closed",
                    "the upstream connection's queue is closed",
                );
                return (Reply::Json(failed), None);
            }
        }
        if first.is_none() {
            first = tokio::select! {
                _ = self.closed.cancelled() => None,
                item = rx.recv() => item,
            };
        }
        if first.is_some() {
            exchange.answered = Some(Instant::now());
            self.answer_times.record(asked.elapsed());
            workers::upstream_answered();
        }
        let reply = match first {
            Some(Item::Final(f)) if !f.streamed => Reply::Json(f),
            Some(first) => Reply::Stream(first, rx),
            None => {
                self.unregister(&id);
                let why = "the session ended before the upstream answered";
                Reply::Json(Final::failed(msg.id_text(), &self.server_name, Fault::Upstream, why, why))
            }
        };
        (reply, status)
    }

    /// Forwards a client notification (or a response to an upstream request) upstream. A session
    /// still without its upstream drops notifications (it sends its own `initialized` when it
    /// connects).
    pub async fn forward_one_way(&self, msg: &Message) -> Result<(), String> {
        let Some(upstream) = self.upstream.get() else {
            return match msg.id {
                Some(_) => Err(format!("no request with id {} is waiting for an answer", msg.id_text())),
                None => Ok(()),
            };
        };
        let json = match msg.kind() {
            Ok(Kind::Response) => {
                let upstream_id = self
                    .state
                    .lock()
                    .ok()
                    .and_then(|mut st| st.to_client.remove(msg.id_text()))
                    .ok_or_else(|| format!("no request with id {} is waiting for an answer", msg.id_text()))?;
                msg.with_id(&upstream_id)
            }
            _ if msg.method() == "notifications/cancelled" => {
                let Some(rewritten) = self.rewrite_client_cancel(msg) else { return Ok(()) };
                rewritten
            }
            _ => match &msg.id {
                Some(_) => return Err("not a notification".into()),
                None => jsonrpc::notification(msg.method(), msg.params.as_deref().map(RawValue::get)),
            },
        };
        let out = Outbound::new(json, None, msg.method.clone());
        upstream.outbound.send(out).await.map_err(|_| "upstream connection closed".to_string())
    }

    /// `notifications/cancelled {requestId}` names the client's id; the upstream knows its own.
    fn rewrite_client_cancel(&self, msg: &Message) -> Option<String> {
        #[derive(Deserialize)]
        struct Cancel<'a> {
            #[serde(rename = "requestId", borrow)]
            request_id: &'a RawValue,
            #[serde(default)]
            reason: Option<String>,
        }
        let c: Cancel<'_> = msg.params.as_deref().and_then(|p| serde_json::from_str(p.get()).ok())?;
        let st = self.state.lock().ok()?;
        let upstream_id = st
            .pending
            .iter()
            .find(|(_, p)| p.downstream_id == c.request_id.get() && p.internal.is_none())
            .map(|(id, _)| id.clone())?;
        let mut params = format!("{{\"requestId\":{upstream_id}");
        if let Some(r) = c.reason {
            params.push_str(",\"reason\":");
            jsonrpc::push_json_string(&mut params, &r);
        }
        params.push('}');
        Some(jsonrpc::notification("notifications/cancelled", Some(&params)))
    }
}

/// A client request on its way upstream: the message, the server as the request's snapshot has
/// it, and the request's trace.
struct Request<'a> {
    msg: &'a Message,
    server: &'a crate::policy::ServerConfig,
    trace_id: &'a str,
}

fn progress_token(msg: &Message) -> Option<String> {
    #[derive(Deserialize)]
    struct Params<'a> {
        #[serde(rename = "_meta", borrow)]
        meta: Option<Meta<'a>>,
    }
    #[derive(Deserialize)]
    struct Meta<'a> {
        #[serde(rename = "progressToken", borrow)]
        progress_token: Option<&'a RawValue>,
    }
    // Most requests carry no progress token: skip parsing their params for one.
    let raw = msg.params.as_deref().filter(|p| p.get().contains("progressToken"))?;
    let p: Params<'_> = serde_json::from_str(raw.get()).ok()?;
    p.meta?.progress_token.map(|t| t.get().to_string())
}

/// Asks the upstream for its tools (used after `notifications/tools/list_changed`).
pub async fn list_tools(session: &Arc<Session>) -> Result<Vec<serde_json::Value>, String> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let params = match &cursor {
            Some(c) => format!("{{\"cursor\":{}}}", serde_json::Value::String(c.clone())),
            None => "{}".to_string(),
        };
        let request = jsonrpc::request("0", "tools/list", Some(&params));
        let msg = Message::parse(request.as_bytes()).map_err(|e| e.to_string())?;
        let response = session.internal_request(&msg).await.map_err(|l| l.reason)?;
        let result: serde_json::Value = response
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r.get()).ok())
            .ok_or_else(|| "tools/list failed upstream".to_string())?;
        if let Some(tools) = result.get("tools").and_then(|t| t.as_array()) {
            all.extend(tools.iter().cloned());
        }
        cursor = result.get("nextCursor").and_then(|c| c.as_str()).map(String::from);
        if cursor.is_none() {
            return Ok(all);
        }
    }
    Err("tools/list did not end after 100 pages".into())
}
