//! The gateway's own answer to `initialize`, for the sessions it answers itself: composed and
//! OpenAPI servers, and a user's session that waits for a linked upstream account.

use serde::Deserialize;

use super::Session;
use crate::jsonrpc::Message;

/// The gateway's own answer to `initialize` for a session it answers itself (a composed server,
/// an account not linked yet): the version the client asked for if the gateway speaks it, else
/// its newest; tools only, whose list may change; `instructions` if given.
pub(super) fn own_initialize(session: &Session, init: &Message, instructions: Option<String>) -> (String, String) {
    #[derive(Deserialize)]
    struct Params {
        #[serde(rename = "protocolVersion")]
        protocol_version: Option<String>,
    }
    let asked = init.params_as::<Params>().and_then(|p| p.protocol_version);
    let version = asked
        .filter(|v| crate::gateway::mcp::SUPPORTED_VERSIONS.contains(&v.as_str()) || v == "2024-11-05")
        .unwrap_or_else(|| crate::gateway::mcp::SUPPORTED_VERSIONS[0].to_string());
    let mut result = serde_json::json!({
        "protocolVersion": version,
        "capabilities": { "tools": { "listChanged": true } },
        "serverInfo": { "name": session.server_name, "version": env!("CARGO_PKG_VERSION") },
    });
    if let Some(text) = instructions {
        result["instructions"] = serde_json::Value::String(text);
    }
    (version, Message::result_with(init.id_text(), &result.to_string()))
}
