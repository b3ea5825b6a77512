//! Sessions of composed servers. A composed server has no upstream of its own: the gateway
//! answers `initialize` and `tools/list` itself (the snapshot's catalogue of its tools), and a
//! `tools/call` goes to the tool's source server through a session of that server's own, opened
//! on the first call and kept for the composed session's life (one per source server): the same
//! upstream connection, credentials (the caller's linked account, the server's headers or shared
//! connection) and identity forwarding a direct call to the source server would use, with the
//! tool's name and arguments rewritten (fixed arguments set, hidden ones dropped).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::forward::StepTaken;
use super::{Exchange, Final, Reply, Session, Started};
use crate::gateway::mcp::reply::Failure;
use crate::jsonrpc::{self, Message, code};
use crate::model::Fault;
use crate::policy::{ComposedTool, Grant};

/// What a composed session keeps: the client's `initialize`, and its sessions with the source
/// servers.
#[derive(Debug)]
pub struct Sources {
    /// The client's `initialize` (id `0`), which starts each source session.
    init: String,
    /// By source server id.
    sessions: Mutex<HashMap<i64, Arc<OnceCell<Arc<Session>>>>>,
}

impl Sources {
    pub(super) fn new(init: &Message) -> Sources {
        Sources { init: init.with_id("0"), sessions: Mutex::new(HashMap::new()) }
    }

    /// The source sessions open now.
    pub(super) fn open(&self) -> Vec<Arc<Session>> {
        let Ok(map) = self.sessions.lock() else { return Vec::new() };
        map.values().filter_map(|cell| cell.get().cloned()).collect()
    }

    /// Ends the source session of `server_id` (its server changed or went): the next call opens
    /// a new one.
    pub(super) fn end(&self, server_id: i64) {
        let cell = self.sessions.lock().ok().and_then(|mut map| map.remove(&server_id));
        if let Some(session) = cell.as_ref().and_then(|c| c.get()) {
            session.shutdown();
        }
    }
}

/// The gateway's own answer to a composed server's `initialize` (`super::own_initialize`): its
/// tools' list changes as the administrator composes.
pub(super) fn initialize(session: &Session, init: &Message) -> (String, String) {
    super::own_initialize(session, init, None)
}

/// A composed session's answer to a client request.
pub(super) async fn forward(
    session: &Arc<Session>,
    sources: &Sources,
    grant: &Grant,
    msg: &Message,
    exchange: &mut Exchange,
    waiting: impl FnOnce(),
) -> Reply {
    let id = msg.id_text();
    let Some(composed) = grant.server().composed.as_ref() else {
        let why = "the server is no longer composed";
        return Reply::Json(Final::failed(id, &session.server_name, Fault::Internal, why, why));
    };
    match msg.method() {
        "tools/list" => {
            let result = format!("{{\"tools\":{}}}", session.visible_catalogue(&composed.catalogue));
            Reply::Json(Final::answer(Message::result_with(id, &result), false))
        }
        "tools/call" => {
            let (source_grant, rewritten, origin) = match plan(session, grant, msg, composed) {
                Ok(planned) => planned,
                Err(refused) => return Reply::Json(refused),
            };
            let source = source_grant.server();
            let connection = match (source.upstream_auth, source_grant.principal().user_id()) {
                (crate::model::UpstreamAuth::Oauth, Some(_)) => "user",
                (crate::model::UpstreamAuth::Oauth, None) => "shared",
                (other, _) => other.as_str(),
            };
            let params = rewritten.params.as_deref().map_or_else(String::new, |p| p.get().to_string());
            let started = std::time::Instant::now();
            let step =
                StepTaken { target: origin, origin: true, connection, params, started, ended: None, error: None };
            exchange.step = Some(Box::new(step));
            let reply = match source_session(session, sources, &source_grant, id, &exchange.trace_id).await {
                Ok(child) => {
                    // The record's early parts are shaped now, while the source's upstream works.
                    waiting();
                    child.forward_own(&source_grant, &rewritten, exchange, || {}).await
                }
                Err(failed) => Reply::Json(failed),
            };
            if let Some(step) = exchange.step.as_mut() {
                step.ended = Some(std::time::Instant::now());
                if let Reply::Json(f) = &reply {
                    step.error = f.failure.as_ref().map(|f| f.detail.clone());
                }
            }
            reply
        }
        other => {
            let message = format!("Method not found: {other} (a composed server offers tools only)");
            let json = jsonrpc::error_response(id, code::METHOD_NOT_FOUND, &message, None);
            let failure = Failure { fault: Fault::Client, code: code::METHOD_NOT_FOUND, detail: message, kind: None };
            Reply::Json(Final::refusal(json, failure))
        }
    }
}

/// Where a `tools/call` goes: the grant to the source server, the request as the source tool
/// takes it, and the source tool (`SERVER:TOOL`). Refused (with the answer) when the tool is
/// unknown or its source is not offered now.
fn plan(
    session: &Arc<Session>,
    grant: &Grant,
    msg: &Message,
    composed: &crate::policy::Composed,
) -> Result<(Grant, Message, String), Final> {
    let id = msg.id_text();
    let server = &session.server_name;
    let params: serde_json::Map<String, serde_json::Value> = msg.params_as().unwrap_or_default();
    let name = params.get("name").and_then(|n| n.as_str()).unwrap_or_default();
    let refuse = |code: i64, fault: Fault, message: String| {
        let json = jsonrpc::error_response(id, code, &message, None);
        Final::refusal(json, Failure { fault, code, detail: message, kind: None })
    };
    let Some(tool) = composed.tools.get(name) else {
        return Err(refuse(code::INVALID_PARAMS, Fault::Client, format!("Unknown tool: {name}")));
    };
    let unavailable =
        |why: String| refuse(code::INVALID_PARAMS, Fault::Operator, format!("Tool {name} is unavailable: {why}"));
    if let Some(why) = &tool.unavailable {
        return Err(unavailable(why.clone()));
    }
    let snapshot = session.shared.live.load();
    let source = tool.source_server_id.and_then(|sid| snapshot.servers().find(|s| s.id == sid).cloned());
    let Some(source) = source else {
        return Err(unavailable(format!("its source server {:?} was deleted", tool.source_server)));
    };
    if source.tool_stopped(&tool.source_tool) {
        return Err(unavailable(format!("its source tool {} is stopped", tool.origin())));
    }
    let source_grant = match crate::policy::compose(grant, &source) {
        Ok(g) => g,
        Err(crate::policy::Denial::Disabled) => {
            return Err(unavailable(format!("its source server {:?} is disabled", source.name)));
        }
        Err(denial) => {
            let why = format!("the source server {:?} refused the call: {denial:?}", source.name);
            return Err(Final::failed(id, server, Fault::Internal, "the call cannot be forwarded", why));
        }
    };
    let rewritten = rewrite(msg, params, tool)
        .map_err(|e| Final::failed(id, server, Fault::Internal, "the call cannot be forwarded", e))?;
    Ok((source_grant, rewritten, tool.origin()))
}

/// The request as the source tool takes it: its name, and the arguments with the fixed ones set
/// and the hidden ones dropped (everything else in `params`, `_meta` included, kept).
fn rewrite(
    msg: &Message,
    mut params: serde_json::Map<String, serde_json::Value>,
    tool: &ComposedTool,
) -> Result<Message, String> {
    let arguments = match params.remove("arguments") {
        Some(serde_json::Value::Object(a)) => a,
        _ => serde_json::Map::new(),
    };
    params.insert("name".into(), tool.source_tool.clone().into());
    params.insert("arguments".into(), tool.arguments(arguments));
    let text = serde_json::Value::Object(params).to_string();
    Message::parse(msg.with_params(&text).as_bytes()).map_err(|e| e.to_string())
}

/// The composed session's session with the source server of `grant`: opened on first use (its
/// upstream gets the client's `initialize` and `initialized`), again when the last one ended.
async fn source_session(
    session: &Arc<Session>,
    sources: &Sources,
    grant: &Grant,
    id: &str,
    trace_id: &str,
) -> Result<Arc<Session>, Final> {
    let source = grant.server();
    let cell = {
        let Ok(mut map) = sources.sessions.lock() else {
            let why = "the composed session's sources are unavailable";
            return Err(Final::failed(id, &session.server_name, Fault::Internal, why, why));
        };
        let cell = map.entry(source.id).or_default();
        if cell.get().is_some_and(|s| s.closed.is_cancelled()) {
            *cell = Arc::default();
        }
        cell.clone()
    };
    let opened = cell
        .get_or_try_init(|| async {
            let init = match Message::parse(sources.init.as_bytes()) {
                Ok(init) => init,
                Err(e) => return Err(e.to_string()),
            };
            match super::open(&session.shared, grant, &init, None, trace_id, true).await {
                Started::Session(child, _) => {
                    let initialized = jsonrpc::notification("notifications/initialized", None);
                    if let Some(upstream) = child.upstream.get() {
                        let method = Some("notifications/initialized".to_string());
                        let _ = upstream.outbound.send(crate::upstream::Outbound::new(initialized, None, method)).await;
                    }
                    Ok(child)
                }
                Started::Refused(answer) => Err(match answer.failure {
                    Some(f) => f.detail,
                    None => answer.json,
                }),
            }
        })
        .await;
    opened.cloned().map_err(|detail| {
        let reason = format!("its source server {:?} is unavailable", source.name);
        Final::failed(id, &session.server_name, Fault::Upstream, &reason, detail)
    })
}
