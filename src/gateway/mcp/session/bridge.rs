//! Sessions the gateway keeps with a 2025-era upstream on behalf of 2026-07-28 (stateless)
//! clients: one per principal and server (`gateway::mcp::era::pool`), started with the gateway's
//! own `initialize` (no client capabilities: a stateless client cannot take the upstream's
//! requests on this session) and `initialized`, and kept out of the gateway's session table,
//! which clients reach by id.

use std::sync::Arc;

use super::{Final, Session, Started};
use crate::gateway::Shared;
use crate::jsonrpc::{self, Message};
use crate::model::Fault;
use crate::policy::Grant;

/// The newest 2025-era revision, the one a bridge session asks its upstream for.
pub const BRIDGE_VERSION: &str = "2025-11-25";

/// Opens a bridge session for `grant` (of trace `trace_id`): the session and the upstream's
/// answer to `initialize` (its `result`, JSON text), or the error answer for request `id`.
pub async fn open_bridge(
    shared: &Arc<Shared>,
    grant: &Grant,
    id: &str,
    trace_id: &str,
) -> Result<(Arc<Session>, String), Final> {
    let server = &grant.server().name;
    let params = serde_json::json!({
        "protocolVersion": BRIDGE_VERSION,
        "capabilities": {},
        "clientInfo": { "name": "mcpcp", "version": env!("CARGO_PKG_VERSION") },
    });
    let init = jsonrpc::request("0", "initialize", Some(&params.to_string()));
    let init = Message::parse(init.as_bytes())
        .map_err(|e| Final::failed(id, server, Fault::Internal, "cannot start an upstream session", e.to_string()))?;
    match super::open(shared, grant, &init, None, trace_id, true).await {
        Started::Session(session, answer) => {
            if let Some(upstream) = session.upstream.get() {
                let initialized = jsonrpc::notification("notifications/initialized", None);
                let method = Some("notifications/initialized".to_string());
                let _ = upstream.outbound.send(crate::upstream::Outbound::new(initialized, None, method)).await;
            }
            let result = Message::parse(answer.json.as_bytes())
                .ok()
                .and_then(|m| m.result)
                .map_or_else(|| "{}".to_string(), |r| r.get().to_string());
            Ok((session, result))
        }
        Started::Refused(answer) => {
            let detail = match answer.failure {
                Some(f) => f.detail,
                None => answer.json,
            };
            Err(Final::failed(id, server, Fault::Upstream, "the upstream refused the gateway's session", detail))
        }
    }
}
