//! Serving one modern (2026-07-28) request: each is authenticated, authorized, limited, routed,
//! forwarded and recorded on its own, through the same phases as a 2025 session's (`admit` ran
//! before; here `authorize` and `limit` per message, `route` to the principal's pooled upstream
//! session, `forward`, and the caller records). `server/discover` is answered by the gateway from
//! what the upstream said at `initialize`; everything else goes upstream as a 2025 request (the
//! modern `_meta` keys, `inputResponses` and `requestState` left out) and its answer comes back
//! as a modern result (`resultType`, cache hints on the cacheable ones, `-32002` as `-32602`).

use std::collections::BTreeMap;
use std::time::Instant;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use tokio::sync::mpsc;

use super::listen::Filter;
use super::pool::Bridge;
use super::{META_SERVER_INFO, MODERN_VERSIONS, Request, errors};
use crate::gateway::mcp::pipeline::{self, Answer, Call};
use crate::gateway::mcp::reply::{Final, Item};
use crate::gateway::mcp::{Outcome, SUPPORTED_VERSIONS, authorize, limit, respond, sse_response, sse_stream};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{Message, code};
use crate::model::Fault;
use crate::observe::trace::Phase;
use crate::policy::Grant;

/// Results that carry cache hints (2026-07-28 server/utilities/caching: `CacheableResult`).
const CACHEABLE: &[&str] =
    &["server/discover", "tools/list", "prompts/list", "resources/list", "resources/templates/list", "resources/read"];

/// authorize → limit → route → forward for one modern message of an admitted call; the caller
/// records the outcome.
pub(in crate::gateway) async fn serve(
    call: &mut Call,
    grant: &Grant,
    message: &Message,
    request: Request,
) -> Result<Outcome, Rejection> {
    call.draft.client_name = request.client_name;
    call.draft.client_version = request.client_version;
    if message.id.is_none() {
        // A modern client's only notification is `notifications/cancelled`, and over HTTP closing
        // the response stream is the cancellation (basic/transports/streamable-http): nothing to
        // pass on.
        return Ok(Outcome::Done(StatusCode::ACCEPTED.into_response()));
    }
    call.phase(Phase::Authorize, |c| authorize::message(&c.shared, grant, message, &c.draft))?;
    call.phase(Phase::Limit, |c| limit::calls(&c.shared, grant, message, &mut c.draft))?;
    let routed_at = Instant::now();
    let shared = call.shared.clone();
    let bridge = shared.bridges.get(&shared, grant, message.id_text(), &call.draft.trace_id).await;
    call.draft.trace.step(call.draft.started, Phase::Route, routed_at, bridge.is_err());
    let bridge = match bridge {
        Ok(bridge) => bridge,
        Err(failed) => return Ok(Outcome::Done(respond(failed, &mut call.draft))),
    };
    let method = message.method().to_string();
    if method == "subscriptions/listen" {
        return Ok(listen(call, grant, message, &bridge));
    }
    if method == "server/discover" {
        let answer = Final::answer(discover(&bridge, message.id_text()), false);
        return Ok(Outcome::Done(respond(answer, &mut call.draft)));
    }
    let upstream = for_upstream(message).map_err(|why| {
        Rejection::new(StatusCode::BAD_REQUEST, code::INVALID_PARAMS, format!("Invalid params: {why}"))
            .id(message.id_text())
    })?;
    // A request without `_meta` logLevel gets no `notifications/message` (2026-07-28 changelog:
    // logging is set per request).
    let logs = message.params.as_deref().is_some_and(|p| p.get().contains("io.modelcontextprotocol/logLevel"));
    Ok(match pipeline::forward(call, grant, &bridge.session, &upstream).await? {
        Answer::Whole(answer) => Outcome::Done(respond_modern(complete(answer, &method), &mut call.draft)),
        Answer::Stream(first, mut rx, session) => {
            // The stream ends with the response, which becomes a modern result too. A modern
            // stream is never resumed (2026-07-28 removed resumability): no event ids, no pause.
            let (tx, mut out) = mpsc::channel(64);
            let method = method.clone();
            tokio::spawn(async move {
                let mut next = Some(first);
                loop {
                    let item = match next.take() {
                        Some(item) => item,
                        None => match rx.recv().await {
                            Some(item) => item,
                            None => break,
                        },
                    };
                    if matches!(item, Item::Paused) || (!logs && is_log(&item)) {
                        continue;
                    }
                    if tx.send(modern_item(item, &method)).await.is_err() {
                        break;
                    }
                }
            });
            match out.recv().await {
                Some(first) => Outcome::Plain(first, out, session.closed.clone()),
                None => {
                    let why = "the upstream's answer stream ended before its response";
                    let failed = Final::failed(message.id_text(), &session.server_name, Fault::Upstream, why, why);
                    Outcome::Done(respond(failed, &mut call.draft))
                }
            }
        }
        Answer::Started(_, answer) => Outcome::Done(respond_modern(complete(answer, &method), &mut call.draft)),
        Answer::Accepted => Outcome::Done(StatusCode::ACCEPTED.into_response()),
    })
}

/// `subscriptions/listen`: the acknowledgment (of the types asked for that the server offers),
/// then the notifications as they come (`listen.rs`). Recorded when it opens.
fn listen(call: &mut Call, grant: &Grant, message: &Message, bridge: &Bridge) -> Outcome {
    #[derive(Deserialize, Default)]
    struct Caps<'a> {
        #[serde(borrow, default)]
        prompts: Option<&'a RawValue>,
        #[serde(borrow, default)]
        resources: Option<&'a RawValue>,
    }
    #[derive(Deserialize)]
    struct Init<'a> {
        #[serde(borrow, default)]
        capabilities: Option<Caps<'a>>,
    }
    let caps = serde_json::from_str::<Init<'_>>(&bridge.init).ok().and_then(|i| i.capabilities).unwrap_or_default();
    let mut filter = Filter::asked(message);
    filter.prompts &= caps.prompts.is_some();
    filter.resources &= caps.resources.is_some();
    let listeners = &call.shared.bridges.listeners;
    let (ack, rx) = listeners.open(grant.server().id, grant.principal(), message.id_text(), filter);
    call.draft.response = Some(bytes::Bytes::from(ack.clone()));
    let body = sse_stream(Some(Item::Message(ack)), rx, listeners.closed.clone(), None);
    Outcome::Done(sse_response(body))
}

fn is_log(item: &Item) -> bool {
    matches!(item, Item::Message(json) if json.contains("\"notifications/message\""))
}

/// [`respond`], with the HTTP status a modern error asks for: `-32601` is 404
/// (basic/transports/streamable-http: a modern client tells it from a legacy 404 by its body).
fn respond_modern(answer: Final, draft: &mut crate::observe::activity::Draft) -> axum::response::Response {
    let not_found = answer.json.contains("\"error\"")
        && Message::parse(answer.json.as_bytes()).ok().and_then(|m| m.error).is_some_and(|e| {
            serde_json::from_str::<serde_json::Value>(e.get()).ok().and_then(|v| v["code"].as_i64())
                == Some(code::METHOD_NOT_FOUND)
        });
    let mut response = respond(answer, draft);
    if not_found {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

fn modern_item(item: Item, method: &str) -> Item {
    match item {
        Item::Final(answer) => Item::Final(complete(answer, method)),
        other => other,
    }
}

/// The answer to `server/discover` (2026-07-28 server/discover): the versions mcpcp serves, and
/// the capabilities, instructions and identity the upstream gave at `initialize` (the identity
/// in `_meta`). Not to be cached beyond the caller: what a principal may see of a server is
/// theirs.
fn discover(bridge: &Bridge, id: &str) -> String {
    #[derive(Deserialize)]
    struct Init<'a> {
        #[serde(borrow, default)]
        capabilities: Option<&'a RawValue>,
        #[serde(rename = "serverInfo", borrow, default)]
        server_info: Option<&'a RawValue>,
        #[serde(borrow, default)]
        instructions: Option<&'a RawValue>,
    }
    let init: Option<Init<'_>> = serde_json::from_str(&bridge.init).ok();
    let versions: Vec<&str> = MODERN_VERSIONS.iter().chain(SUPPORTED_VERSIONS).copied().collect();
    let mut result = String::from("{\"resultType\":\"complete\",\"supportedVersions\":");
    result.push_str(&serde_json::to_string(&versions).unwrap_or_else(|_| "[]".into()));
    result.push_str(",\"capabilities\":");
    result.push_str(init.as_ref().and_then(|i| i.capabilities).map_or("{}", |c| c.get()));
    if let Some(text) = init.as_ref().and_then(|i| i.instructions) {
        result.push_str(",\"instructions\":");
        result.push_str(text.get());
    }
    if let Some(info) = init.as_ref().and_then(|i| i.server_info) {
        result.push_str(",\"_meta\":{\"");
        result.push_str(META_SERVER_INFO);
        result.push_str("\":");
        result.push_str(info.get());
        result.push('}');
    }
    result.push_str(",\"ttlMs\":0,\"cacheScope\":\"private\"}");
    Message::result_with(id, &result)
}

/// A modern request as a 2025 upstream takes it: without the modern `_meta` keys (the reserved
/// `io.modelcontextprotocol/` prefix) and the retry's `inputResponses` / `requestState`;
/// everything else (progress token, trace context, arguments) as sent.
fn for_upstream(message: &Message) -> Result<Message, String> {
    let Some(raw) = message.params.as_deref() else {
        return Message::parse(message.with_id(message.id_text()).as_bytes()).map_err(|e| e.to_string());
    };
    let mut params: BTreeMap<String, Box<RawValue>> = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
    params.remove("inputResponses");
    params.remove("requestState");
    if let Some(meta) = params.remove("_meta") {
        let mut meta: BTreeMap<String, Box<RawValue>> = serde_json::from_str(meta.get()).map_err(|e| e.to_string())?;
        meta.retain(|key, _| !key.starts_with("io.modelcontextprotocol/"));
        if !meta.is_empty() {
            let text = serde_json::to_string(&meta).map_err(|e| e.to_string())?;
            params.insert("_meta".into(), RawValue::from_string(text).map_err(|e| e.to_string())?);
        }
    }
    let text = serde_json::to_string(&params).map_err(|e| e.to_string())?;
    Message::parse(message.with_params(&text).as_bytes()).map_err(|e| e.to_string())
}

/// A 2025 upstream's answer as a modern result: `resultType: "complete"` where it has none, and
/// on cacheable results the cache hints it has not set (`ttlMs: 0`, `cacheScope: "private"`:
/// mcpcp's own filtering of lists by tool state and the caller's grants makes them per caller).
/// A 2025 "resource not found" (`-32002`) becomes the modern `-32602`.
fn complete(mut answer: Final, method: &str) -> Final {
    if let Some(json) = modern_response(&answer.json, method) {
        answer.json = json;
    }
    answer
}

fn modern_response(json: &str, method: &str) -> Option<String> {
    let message = Message::parse(json.as_bytes()).ok()?;
    if let Some(error) = message.error.as_deref() {
        let mut error: serde_json::Map<String, serde_json::Value> = serde_json::from_str(error.get()).ok()?;
        if error.get("code").and_then(serde_json::Value::as_i64) != Some(errors::LEGACY_RESOURCE_NOT_FOUND) {
            return None;
        }
        error.insert("code".into(), code::INVALID_PARAMS.into());
        let error = serde_json::Value::Object(error).to_string();
        return Some(format!("{{\"jsonrpc\":\"2.0\",\"id\":{},\"error\":{error}}}", message.id_text()));
    }
    #[derive(Deserialize)]
    struct Seen {
        #[serde(rename = "resultType")]
        result_type: Option<IgnoredAny>,
        #[serde(rename = "ttlMs")]
        ttl: Option<IgnoredAny>,
        #[serde(rename = "cacheScope")]
        scope: Option<IgnoredAny>,
    }
    let raw = message.result.as_deref()?.get();
    let seen: Seen = serde_json::from_str(raw).ok()?;
    let mut added = String::new();
    if seen.result_type.is_none() {
        added.push_str("\"resultType\":\"complete\",");
    }
    if CACHEABLE.contains(&method) {
        if seen.ttl.is_none() {
            added.push_str("\"ttlMs\":0,");
        }
        if seen.scope.is_none() {
            added.push_str("\"cacheScope\":\"private\",");
        }
    }
    if added.is_empty() {
        return None;
    }
    let rest = raw.trim_start().strip_prefix('{')?;
    if rest.trim_start().starts_with('}') {
        added.pop();
    }
    let result = format!("{{{added}{rest}");
    Some(Message::result_with(message.id_text(), &result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_2025_result_becomes_a_modern_one() {
        let v = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        let list = modern_response(r#"{"jsonrpc":"2.0","id":3,"result":{"tools":[]}}"#, "tools/list").unwrap();
        let list = v(&list);
        assert_eq!(list["result"]["resultType"], "complete");
        assert_eq!(list["result"]["ttlMs"], 0);
        assert_eq!(list["result"]["cacheScope"], "private");
        assert_eq!(list["id"], 3);
        let empty = v(&modern_response(r#"{"jsonrpc":"2.0","id":"a","result":{}}"#, "tools/call").unwrap());
        assert_eq!(empty["result"], serde_json::json!({"resultType": "complete"}));
        // Hints an upstream set stay as they are.
        let set = r#"{"jsonrpc":"2.0","id":1,"result":{"resultType":"complete","ttlMs":5,"cacheScope":"public"}}"#;
        assert_eq!(modern_response(set, "tools/list"), None);
        let gone = r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32002,"message":"Resource not found"}}"#;
        assert_eq!(v(&modern_response(gone, "resources/read").unwrap())["error"]["code"], -32602);
    }

    #[test]
    fn a_modern_request_loses_its_modern_members_upstream() {
        let m = Message::parse(
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"x":1},
            "requestState":"s","inputResponses":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
            "io.modelcontextprotocol/clientCapabilities":{},"progressToken":7}}}"#,
        )
        .unwrap();
        let up = for_upstream(&m).unwrap();
        let params: serde_json::Value = serde_json::from_str(up.params.as_deref().unwrap().get()).unwrap();
        assert_eq!(params, serde_json::json!({"name": "echo", "arguments": {"x": 1}, "_meta": {"progressToken": 7}}));
        assert_eq!(up.id_text(), "1");
    }
}
