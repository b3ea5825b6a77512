//! The 2026-07-28 ("modern", stateless) revision toward clients, on the same `/mcp/{server}`
//! endpoint as the 2025 ones: which era a POST belongs to ([`modern`]), the transport's checks of a
//! modern request (its `_meta`, its version, the `Mcp-Method` / `Mcp-Name` headers; [`check`]),
//! and its serving through the same pipeline phases (`stateless.rs`) with a pooled upstream
//! session per principal and server (`pool.rs`). Spec: 2026-07-28 basic/index (per-request
//! `_meta`), basic/versioning, basic/transports/streamable-http (standard headers), server/discover.

mod listen;
mod pool;
mod stateless;

pub use pool::Pool;
pub(in crate::gateway) use stateless::serve;

use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{SESSION_HEADER, SUPPORTED_VERSIONS, VERSION_HEADER, header_str};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{Kind, Message, code};

/// The modern revisions mcpcp serves.
pub const MODERN_VERSIONS: &[&str] = &["2026-07-28"];
/// The first modern revision: a version at or after it (dates compare as text) is modern.
const FIRST_MODERN: &str = "2026-07-28";

/// `_meta` keys of the modern revision.
pub(crate) const META_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
pub(crate) const META_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
pub(crate) const META_SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";

/// Error codes of the modern revision (2026-07-28 changelog, error-code allocation).
pub mod errors {
    pub const HEADER_MISMATCH: i64 = -32020;
    pub const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;
    /// "Resource not found" of 2025 servers; modern is `-32602`.
    pub const LEGACY_RESOURCE_NOT_FOUND: i64 = -32002;
}

/// Methods the modern revision removed: a modern request naming one is `-32601` with 404.
const REMOVED_METHODS: &[&str] = &[
    "initialize",
    "notifications/initialized",
    "ping",
    "logging/setLevel",
    "resources/subscribe",
    "resources/unsubscribe",
];

fn is_modern_version(v: &str) -> bool {
    v >= FIRST_MODERN
}

/// Whether a POST is a modern one: its `MCP-Protocol-Version` is modern, or, outside any 2025
/// session, its `params._meta` names a protocol version (2026-07-28 basic/versioning: the version
/// travels on every request). A request naming a 2025 session is the session's.
pub(crate) fn modern(headers: &HeaderMap, message: &Message) -> bool {
    if header_str(headers, VERSION_HEADER).is_some_and(is_modern_version) {
        return true;
    }
    if headers.contains_key(SESSION_HEADER) {
        return false;
    }
    message.params.as_deref().is_some_and(|p| p.get().contains(META_VERSION))
        && meta(message).is_some_and(|m| m.version.is_some())
}

/// What a modern request says about its client.
#[derive(Debug, Default)]
pub(crate) struct Request {
    pub client_name: Option<String>,
    pub client_version: Option<String>,
}

#[derive(Deserialize, Default)]
struct Meta<'a> {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", default)]
    version: Option<String>,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities", default, borrow)]
    capabilities: Option<&'a RawValue>,
    #[serde(rename = "io.modelcontextprotocol/clientInfo", default)]
    client_info: Option<NameVersion>,
}

#[derive(Deserialize)]
struct NameVersion {
    name: Option<String>,
    version: Option<String>,
}

fn meta(message: &Message) -> Option<Meta<'_>> {
    #[derive(Deserialize)]
    struct Params<'a> {
        #[serde(rename = "_meta", borrow, default)]
        meta: Option<Meta<'a>>,
    }
    message.params_as::<Params<'_>>().and_then(|p| p.meta)
}

/// A refusal of a modern request: the status and JSON-RPC error the spec gives it, with the
/// request's id.
fn refuse(message: &Message, status: StatusCode, code: i64, text: impl Into<String>) -> Rejection {
    let id = if message.id.is_some() { message.id_text() } else { "null" };
    Rejection::new(status, code, text).id(id)
}

/// The transport's checks of a modern request, in the spec's order: the version header is there
/// and names the `_meta` version (`-32020`), the required `_meta` keys are there (`-32602`), the
/// version is one mcpcp serves (`-32022`, with the versions it does), `Mcp-Method` and `Mcp-Name`
/// are there and say what the body says (`-32020`), and the method still exists (`-32601`, 404).
/// All with 400 but the last. The headers are only checked here: authorization, limits and
/// routing read the body.
pub(crate) fn check(headers: &HeaderMap, message: &Message) -> Result<Request, Rejection> {
    let bad = |code: i64, text: String| refuse(message, StatusCode::BAD_REQUEST, code, text);
    if !matches!(message.kind(), Ok(Kind::Request) | Ok(Kind::Notification)) {
        return Err(bad(code::INVALID_REQUEST, "Invalid Request: a 2026-07-28 client posts no responses".into()));
    }
    let meta = meta(message).unwrap_or_default();
    let header = header_str(headers, VERSION_HEADER);
    let Some(header) = header else {
        return Err(bad(errors::HEADER_MISMATCH, "Header mismatch: the MCP-Protocol-Version header is missing".into()));
    };
    let missing: Vec<&str> = [(META_VERSION, meta.version.is_none()), (META_CAPABILITIES, meta.capabilities.is_none())]
        .into_iter()
        .filter_map(|(key, absent)| absent.then_some(key))
        .collect();
    if !missing.is_empty() {
        return Err(bad(code::INVALID_PARAMS, format!("Invalid params: missing _meta keys: {}", missing.join(", "))));
    }
    let version = meta.version.unwrap_or_default();
    if header != version {
        return Err(bad(
            errors::HEADER_MISMATCH,
            format!("Header mismatch: MCP-Protocol-Version is {header} but _meta names {version}"),
        ));
    }
    if !MODERN_VERSIONS.contains(&version.as_str()) {
        let supported: Vec<&str> = MODERN_VERSIONS.iter().chain(SUPPORTED_VERSIONS).copied().collect();
        return Err(bad(errors::UNSUPPORTED_PROTOCOL_VERSION, format!("Unsupported protocol version: {version}"))
            .data(serde_json::json!({ "supported": supported, "requested": version })));
    }
    let method = message.method();
    match header_str(headers, "mcp-method") {
        None => return Err(bad(errors::HEADER_MISMATCH, "Header mismatch: the Mcp-Method header is missing".into())),
        Some(m) if m != method => {
            return Err(bad(
                errors::HEADER_MISMATCH,
                format!("Header mismatch: Mcp-Method is {m:?} but the body's method is {method:?}"),
            ));
        }
        Some(_) => {}
    }
    if let Some(field) = named_by(method) {
        let body = body_name(message, field);
        let header = headers.get("mcp-name").map(|v| decode_header(v.as_bytes()));
        match (header, body) {
            (None, _) => {
                return Err(bad(errors::HEADER_MISMATCH, "Header mismatch: the Mcp-Name header is missing".into()));
            }
            (Some(h), body) if h.as_deref() != body.as_deref() => {
                return Err(bad(
                    errors::HEADER_MISMATCH,
                    format!("Header mismatch: Mcp-Name does not match the body's params.{field}"),
                ));
            }
            _ => {}
        }
    }
    if REMOVED_METHODS.contains(&method) {
        return Err(refuse(
            message,
            StatusCode::NOT_FOUND,
            code::METHOD_NOT_FOUND,
            format!("Method not found: {method} (removed in {version})"),
        ));
    }
    let (client_name, client_version) = meta.client_info.map_or((None, None), |c| (c.name, c.version));
    Ok(Request { client_name, client_version })
}

/// The params member `Mcp-Name` mirrors for `method`, if it has one.
fn named_by(method: &str) -> Option<&'static str> {
    match method {
        "tools/call" | "prompts/get" => Some("name"),
        "resources/read" => Some("uri"),
        _ => None,
    }
}

fn body_name(message: &Message, field: &str) -> Option<String> {
    let params: serde_json::Map<String, serde_json::Value> = message.params_as()?;
    params.get(field)?.as_str().map(String::from)
}

/// A header value as text: a `=?base64?…?=` value decoded (2026-07-28 basic/transports
/// §Standard headers: values that are not header-safe). `None` for bytes that are not UTF-8.
fn decode_header(raw: &[u8]) -> Option<String> {
    use base64::Engine;
    let text = std::str::from_utf8(raw).ok()?;
    match text.strip_prefix("=?base64?").and_then(|t| t.strip_suffix("?=")) {
        Some(encoded) => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
            String::from_utf8(bytes).ok()
        }
        None => Some(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn message(method: &str, params: serde_json::Value) -> Message {
        let text = serde_json::json!({"jsonrpc": "2.0", "id": 4, "method": method, "params": params}).to_string();
        Message::parse(text.as_bytes()).unwrap()
    }

    fn meta() -> serde_json::Value {
        serde_json::json!({ META_VERSION: "2026-07-28", META_CAPABILITIES: {} })
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn code_of(r: Result<Request, Rejection>) -> (u16, i64) {
        r.map_or_else(|e| (e.status.as_u16(), e.code), |_| (200, 0))
    }

    #[test]
    fn a_modern_request_is_known_by_its_header_or_its_meta() {
        let m = message("tools/list", serde_json::json!({ "_meta": meta() }));
        assert!(modern(&headers(&[]), &m));
        assert!(modern(
            &headers(&[("mcp-protocol-version", "2026-07-28")]),
            &message("tools/list", serde_json::json!({}))
        ));
        assert!(modern(&headers(&[("mcp-protocol-version", "2027-01-01")]), &m));
        assert!(!modern(
            &headers(&[("mcp-protocol-version", "2025-11-25")]),
            &message("tools/list", serde_json::json!({}))
        ));
        // A 2025 session's request is the session's, whatever its params say.
        assert!(!modern(&headers(&[("mcp-session-id", "abc")]), &m));
    }

    #[test]
    fn checks_follow_the_specs_order_and_codes() {
        let good = [("mcp-protocol-version", "2026-07-28"), ("mcp-method", "tools/call"), ("mcp-name", "echo")];
        let call = message("tools/call", serde_json::json!({ "_meta": meta(), "name": "echo" }));
        assert_eq!(code_of(check(&headers(&good), &call)), (200, 0));
        assert_eq!(code_of(check(&headers(&good[1..]), &call)), (400, -32020));
        let bare = message("tools/call", serde_json::json!({ "name": "echo" }));
        assert_eq!(code_of(check(&headers(&good), &bare)), (400, -32602));
        let other = [("mcp-protocol-version", "2026-07-28"), ("mcp-method", "tools/list"), ("mcp-name", "echo")];
        assert_eq!(code_of(check(&headers(&other), &call)), (400, -32020));
        let renamed = [("mcp-protocol-version", "2026-07-28"), ("mcp-method", "tools/call"), ("mcp-name", "rm")];
        assert_eq!(code_of(check(&headers(&renamed), &call)), (400, -32020));
        assert_eq!(code_of(check(&headers(&good[..2]), &call)), (400, -32020));
        let encoded =
            [("mcp-protocol-version", "2026-07-28"), ("mcp-method", "tools/call"), ("mcp-name", "=?base64?ZWNobw==?=")];
        assert_eq!(code_of(check(&headers(&encoded), &call)), (200, 0));
        let future = serde_json::json!({ "_meta": { META_VERSION: "2099-01-01", META_CAPABILITIES: {} } });
        let later = [("mcp-protocol-version", "2099-01-01"), ("mcp-method", "tools/list")];
        let refused = check(&headers(&later), &message("tools/list", future)).unwrap_err();
        assert_eq!((refused.status.as_u16(), refused.code), (400, -32022));
        let data = refused.data.unwrap();
        assert_eq!(data["requested"], "2099-01-01");
        assert_eq!(data["supported"][0], "2026-07-28");
        let ping = [("mcp-protocol-version", "2026-07-28"), ("mcp-method", "ping")];
        assert_eq!(
            code_of(check(&headers(&ping), &message("ping", serde_json::json!({ "_meta": meta() })))),
            (404, -32601)
        );
    }
}
