//! What the upstream sends a session: responses to the requests in flight (ids restored, tool
//! lists filtered), its own requests to the client and its notifications, each routed to the
//! right client stream; and the end of the connection, which fails every request in flight.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::mpsc;

use super::{ClientCaps, Final, Item, Lost, Pending, Session};
use crate::jsonrpc::{self, Kind, Message, code};
use crate::model::Fault;
use crate::upstream::Inbound;

/// Reads everything the upstream sends for one session until the session or connection ends.
pub(super) async fn dispatch(session: Arc<Session>, mut inbound: mpsc::Receiver<Inbound>) {
    loop {
        let item = tokio::select! {
            _ = session.closed.cancelled() => break,
            item = inbound.recv() => item,
        };
        let Some(item) = item else {
            fail_all(&session, &Lost::upstream("the upstream connection closed"));
            session.shared.end_session(&session.id, "upstream connection closed");
            // A composed session's source session is not among the gateway's: end it here.
            session.shutdown();
            break;
        };
        match item {
            Inbound::Message { message, related, streamed } => {
                on_message(&session, message, related.as_deref(), streamed).await
            }
            Inbound::Paused { related } => session.paused(related.as_deref()),
            Inbound::Lost { reason, restarting, fault } => {
                let lost = Lost { fault, reason };
                fail_all(&session, &lost);
                if !restarting {
                    session.shared.end_session(&session.id, &lost.reason);
                    session.shutdown();
                    break;
                }
                session.shared.metrics.stdio_restart(&session.shared.live, &session.server_name);
            }
        }
    }
}

/// Answers every request in flight with an error: the upstream will not. Clients learn the
/// server's name and that the connection was lost; `lost.reason` (which may name URLs and
/// addresses) stays with the log and the record.
fn fail_all(session: &Session, lost: &Lost) {
    let pending: Vec<Pending> = match session.state.lock() {
        Ok(mut st) => {
            st.progress.clear();
            st.to_client.clear();
            st.pending.drain().map(|(_, p)| p).collect()
        }
        Err(_) => return,
    };
    let reason = match lost.fault {
        Fault::Operator => "the upstream cannot be started as set up",
        _ => "the connection to the upstream was lost",
    };
    for p in pending {
        if let Some(tx) = p.to_client {
            let failed = Final::failed(&p.downstream_id, &session.server_name, lost.fault, reason, &lost.reason);
            let _ = tx.try_send(Item::Final(failed));
        } else if let Some(internal) = p.internal {
            let _ = internal.send(Err(lost.clone()));
        }
    }
}

impl Session {
    /// The upstream paused the stream of request `related` (it resumes it itself): the client's
    /// stream of that request hears of it.
    pub(super) fn paused(&self, related: Option<&str>) {
        let tx = related.and_then(|r| self.state.lock().ok()?.pending.get(r)?.to_client.clone());
        if let Some(tx) = tx {
            let _ = tx.try_send(Item::Paused);
        }
    }
}

pub(super) async fn on_message(session: &Arc<Session>, message: Message, related: Option<&str>, streamed: bool) {
    match message.kind() {
        Ok(Kind::Response) => on_response(session, message, streamed),
        Ok(Kind::Request) => on_upstream_request(session, message, related).await,
        Ok(Kind::Notification) => on_notification(session, message, related).await,
        Err(e) => tracing::debug!(server = session.server_name, error = %e, "ignored upstream message"),
    }
}

fn on_response(session: &Arc<Session>, message: Message, streamed: bool) {
    let Some(p) = session.unregister(message.id_text()) else {
        tracing::debug!(server = session.server_name, id = message.id_text(), "response to no pending request");
        return;
    };
    if let Some(internal) = p.internal {
        let _ = internal.send(Ok(message));
        return;
    }
    let json = if p.method == "tools/list" && message.result.is_some() {
        filter_tools_list(session, &message, &p.downstream_id)
    } else {
        message.with_id(&p.downstream_id)
    };
    if let Some(tx) = p.to_client {
        let _ = tx.try_send(Item::Final(Final::answer(json, streamed)));
    }
}

/// Hides stopped tools, and notices tools the state database does not know yet.
fn filter_tools_list(session: &Arc<Session>, message: &Message, downstream_id: &str) -> String {
    let snapshot = session.shared.live.load();
    let server = snapshot.servers().find(|s| s.id == session.server_id).cloned();
    let Some(raw) = message.result.as_deref() else { return message.with_id(downstream_id) };
    let Ok(mut result) = serde_json::from_str::<serde_json::Value>(raw.get()) else {
        return message.with_id(downstream_id);
    };
    let paginated = result.get("nextCursor").is_some_and(|c| !c.is_null());
    if let (Some(server), Some(tools)) = (server, result.get_mut("tools").and_then(|t| t.as_array_mut())) {
        let names: Vec<String> = tools.iter().filter_map(|t| t.get("name")?.as_str().map(String::from)).collect();
        let unknown =
            names.iter().any(|n| !server.tools.contains_key(n)) || server.tools.keys().any(|k| !names.contains(k));
        if unknown && !paginated {
            session.shared.sync_tools(&server.name, tools.clone());
        }
        let granted = session.granted_tools(&snapshot);
        if granted.is_some() || server.tools.values().any(|s| *s == crate::model::ToolState::Stopped) {
            tools.retain(|t| {
                let name = t.get("name").and_then(|n| n.as_str()).unwrap_or_default();
                !server.tool_stopped(name) && granted.as_ref().is_none_or(|g| g.contains(name))
            });
            return jsonrpc::Message::result_with(downstream_id, &result.to_string());
        }
    }
    message.with_id(downstream_id)
}

/// Which client capability a server→client request needs.
fn required_capability(method: &str) -> Option<fn(&ClientCaps) -> bool> {
    match method {
        "sampling/createMessage" => Some(|c| c.sampling),
        "elicitation/create" => Some(|c| c.elicitation),
        "roots/list" => Some(|c| c.roots),
        _ => None,
    }
}

async fn on_upstream_request(session: &Arc<Session>, message: Message, related: Option<&str>) {
    let upstream_id = message.id_text().to_string();
    if message.method() == "ping" {
        session.to_upstream(jsonrpc::Message::result_with(&upstream_id, "{}")).await;
        return;
    }
    if let Some(has) = required_capability(message.method())
        && !has(&session.caps)
    {
        let m = format!("the client did not declare the capability {} needs", message.method());
        session.to_upstream(jsonrpc::error_response(&upstream_id, code::METHOD_NOT_FOUND, &m, None)).await;
        return;
    }
    let client_id = format!("\"mcpcp-{}\"", session.next_client_id.fetch_add(1, Ordering::Relaxed));
    let Some(tx) = session.stream_for(related) else {
        let m = "no open stream to the client to deliver this request on";
        session.to_upstream(jsonrpc::error_response(&upstream_id, code::INTERNAL_ERROR, m, None)).await;
        return;
    };
    if let Ok(mut st) = session.state.lock() {
        st.to_client.insert(client_id.clone(), upstream_id.clone());
    }
    if tx.send(Item::Message(message.with_id(&client_id))).await.is_err() {
        if let Ok(mut st) = session.state.lock() {
            st.to_client.remove(&client_id);
        }
        let m = "the client's stream closed before the request could be delivered";
        session.to_upstream(jsonrpc::error_response(&upstream_id, code::INTERNAL_ERROR, m, None)).await;
    }
}

async fn on_notification(session: &Arc<Session>, message: Message, related: Option<&str>) {
    let json = match message.method() {
        "notifications/progress" => {
            #[derive(Deserialize)]
            struct P<'a> {
                #[serde(rename = "progressToken", borrow)]
                token: &'a RawValue,
            }
            let token = message.params_as::<P<'_>>().map(|p| p.token.get().to_string());
            let owner = token.and_then(|t| session.state.lock().ok()?.progress.get(&t).cloned());
            let tx = match owner {
                Some(upstream_id) if !session.legacy => session.stream_for(Some(&upstream_id)),
                _ => session.stream_for(related),
            };
            if let Some(tx) = tx {
                let _ = tx
                    .send(Item::Message(message.with_params(message.params.as_deref().map_or("{}", RawValue::get))))
                    .await;
            }
            return;
        }
        "notifications/cancelled" => {
            // The upstream withdrew a request it sent to the client: use the client's id.
            #[derive(Deserialize)]
            struct C<'a> {
                #[serde(rename = "requestId", borrow)]
                request_id: &'a RawValue,
            }
            let Some(c) = message.params_as::<C<'_>>() else { return };
            let client_id = session.state.lock().ok().and_then(|mut st| {
                let found =
                    st.to_client.iter().find(|(_, up)| up.as_str() == c.request_id.get()).map(|(k, _)| k.clone())?;
                st.to_client.remove(&found);
                Some(found)
            });
            let Some(client_id) = client_id else { return };
            jsonrpc::notification("notifications/cancelled", Some(&format!("{{\"requestId\":{client_id}}}")))
        }
        "notifications/tools/list_changed" => {
            session.shared.refresh_tools(session.clone());
            jsonrpc::notification(message.method(), message.params.as_deref().map(RawValue::get))
        }
        _ => jsonrpc::notification(message.method(), message.params.as_deref().map(RawValue::get)),
    };
    if let Some(tx) = session.stream_for(related) {
        let _ = tx.send(Item::Message(json)).await;
    }
}
