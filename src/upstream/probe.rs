//! A short-lived client connection to an upstream: initialize, list its tools, close. Used by
//! `mcpcp tool sync` outside any client session.

use std::time::Duration;

use super::{Inbound, Outbound, connect};
use crate::jsonrpc::{self, Kind, Message};
use crate::policy::ServerConfig;

const PROBE_VERSION: &str = "2025-11-25";

/// Lists every tool `server`'s upstream offers (following pagination).
pub async fn list_tools(
    server: &ServerConfig,
    http: &super::Clients,
    timeout: Duration,
    bearer: Option<super::Bearer>,
) -> Result<Vec<serde_json::Value>, String> {
    let tasks = tokio_util::task::TaskTracker::new();
    let mut conn = connect(server, http, &tasks, bearer, None).map_err(|e| e.to_string())?;
    let result = tokio::time::timeout(timeout, async {
        let init = format!(
            "{{\"protocolVersion\":\"{PROBE_VERSION}\",\"capabilities\":{{}},\"clientInfo\":{{\"name\":\"mcpcp\",\"version\":\"{}\"}}}}",
            env!("CARGO_PKG_VERSION")
        );
        let response = call(&mut conn, 1, "initialize", &init).await?;
        if response.error.is_some() {
            return Err(format!("upstream refused initialize: {}", response.error.as_deref().map_or("", |e| e.get())));
        }
        let json = jsonrpc::notification("notifications/initialized", None);
        conn.outbound
            .send(Outbound::new(json, None, Some("notifications/initialized".into())))
            .await
            .map_err(|_| "upstream connection closed".to_string())?;
        let mut tools = Vec::new();
        let mut cursor: Option<String> = None;
        for page in 2..200 {
            let params = match &cursor {
                Some(c) => serde_json::json!({ "cursor": c }).to_string(),
                None => "{}".to_string(),
            };
            let response = call(&mut conn, page, "tools/list", &params).await?;
            let result: serde_json::Value = response
                .result
                .as_deref()
                .and_then(|r| serde_json::from_str(r.get()).ok())
                .ok_or_else(|| format!("tools/list failed: {}", response.error.as_deref().map_or("no result", |e| e.get())))?;
            if let Some(list) = result.get("tools").and_then(|t| t.as_array()) {
                tools.extend(list.iter().cloned());
            }
            cursor = result.get("nextCursor").and_then(|c| c.as_str()).map(String::from);
            if cursor.is_none() {
                return Ok(tools);
            }
        }
        Err("tools/list did not end after 200 pages".to_string())
    })
    .await;
    conn.shutdown.cancel();
    tasks.close();
    // Let the upstream stop (stdio: stdin closed, then SIGTERM/SIGKILL of its group).
    let _ = tokio::time::timeout(Duration::from_secs(6), tasks.wait()).await;
    result.map_err(|_| format!("upstream did not answer within {} s", timeout.as_secs()))?
}

async fn call(conn: &mut super::Connection, id: u64, method: &str, params: &str) -> Result<Message, String> {
    let id = id.to_string();
    let json = jsonrpc::request(&id, method, Some(params));
    conn.outbound
        .send(Outbound::new(json, Some(id.clone()), Some(method.into())))
        .await
        .map_err(|_| "upstream connection closed".to_string())?;
    while let Some(item) = conn.inbound.recv().await {
        match item {
            Inbound::Message { message, .. }
                if message.kind().ok() == Some(Kind::Response) && message.id_text() == id =>
            {
                return Ok(message);
            }
            Inbound::Message { message, .. } if message.kind().ok() == Some(Kind::Request) => {
                // No capabilities were declared; answer anything the upstream asks with an error.
                let reply =
                    jsonrpc::error_response(message.id_text(), jsonrpc::code::METHOD_NOT_FOUND, "not supported", None);
                let _ = conn.outbound.send(Outbound::new(reply, None, None)).await;
            }
            Inbound::Message { .. } | Inbound::Paused { .. } => {}
            Inbound::Lost { reason, .. } => return Err(reason),
        }
    }
    Err("upstream connection closed".into())
}
