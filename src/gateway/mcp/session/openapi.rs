//! Sessions of OpenAPI servers. An OpenAPI server has no MCP upstream: the gateway answers
//! `initialize` and `tools/list` itself (the snapshot's catalogue of its operations), and a
//! `tools/call` is the operation's HTTP request at the server's base URL, with the server's
//! upstream credentials (its headers, or the caller's own linked account, or its shared
//! connection for an API token; a refused token is refreshed and the request made once more),
//! the identity headers it forwards and the call's `traceparent`. The request is the call's step
//! (`METHOD /path/{template}`), unless the call came through a composed server, whose step it is.
//!
//! Bounds: [`TIMEOUT`] for the whole exchange, [`MAX_ANSWER_BYTES`] of answer, redirects only
//! to the same scheme, host and port. A 2xx answer is the tool's result (`structuredContent`
//! when it is JSON, and its text); another status is a tool error (`isError`) carrying the
//! status and the body (the first [`ERROR_BODY_BYTES`]).

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Map, Value, json};

use super::forward::StepTaken;
use super::{Exchange, Final, Reply, Session, unlinked};
use crate::gateway::mcp::reply::Failure;
use crate::jsonrpc::{self, Message, code};
use crate::model::openapi::Operation;
use crate::model::{Fault, UpstreamAuth};
use crate::policy::Grant;

/// How long one HTTP exchange may take, answer included.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read.
pub const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;
/// How much of an error answer's body the tool error carries.
pub const ERROR_BODY_BYTES: usize = 4096;

/// The client for REST backends: no redirect to another origin.
fn client() -> Result<&'static reqwest::Client, String> {
    static CLIENT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let policy = reqwest::redirect::Policy::custom(|attempt| {
                let same = attempt.previous().first().is_some_and(|first| {
                    let next = attempt.url();
                    first.scheme() == next.scheme()
                        && first.host_str() == next.host_str()
                        && first.port_or_known_default() == next.port_or_known_default()
                });
                if attempt.previous().len() > 5 {
                    attempt.error("more than 5 redirects")
                } else if same {
                    attempt.follow()
                } else {
                    attempt.error("a redirect to another host")
                }
            });
            reqwest::Client::builder().timeout(TIMEOUT).redirect(policy).build().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The gateway's own answer to an OpenAPI server's `initialize`.
pub(super) fn initialize(session: &Session, init: &Message) -> (String, String) {
    super::own_initialize(session, init, None)
}

/// An OpenAPI session's answer to a client request.
pub(super) async fn forward(
    session: &Arc<Session>,
    grant: &Grant,
    msg: &Message,
    exchange: &mut Exchange,
    waiting: impl FnOnce(),
) -> Reply {
    let id = msg.id_text();
    let server = grant.server();
    let refuse = |code: i64, fault: Fault, message: String| {
        let json = jsonrpc::error_response(id, code, &message, None);
        Reply::Json(Final::refusal(json, Failure { fault, code, detail: message, kind: None }))
    };
    let Some(operations) = server.openapi.as_ref() else {
        let why = "the server is no longer an OpenAPI server";
        return Reply::Json(Final::failed(id, &session.server_name, Fault::Internal, why, why));
    };
    match msg.method() {
        "tools/list" => {
            let catalogue = server.catalogue.as_deref().unwrap_or("[]");
            let result = format!("{{\"tools\":{}}}", session.visible_catalogue(catalogue));
            return Reply::Json(Final::answer(Message::result_with(id, &result), false));
        }
        "tools/call" => {}
        other => {
            let message = format!("Method not found: {other} (an OpenAPI server offers tools only)");
            return refuse(code::METHOD_NOT_FOUND, Fault::Client, message);
        }
    }
    let params: Map<String, Value> = msg.params_as().unwrap_or_default();
    let name = params.get("name").and_then(Value::as_str).unwrap_or_default();
    let Some(op) = operations.get(name).cloned() else {
        return refuse(code::INVALID_PARAMS, Fault::Client, format!("Unknown tool: {name}"));
    };
    let arguments = match params.get("arguments") {
        Some(Value::Object(a)) => a.clone(),
        None | Some(Value::Null) => Map::new(),
        Some(_) => return refuse(code::INVALID_PARAMS, Fault::Client, "arguments must be an object".into()),
    };
    let user = session.principal.user_id();
    let connection = match (server.upstream_auth, user) {
        (UpstreamAuth::Oauth, Some(_)) => "user",
        (UpstreamAuth::Oauth, None) => "shared",
        (other, _) => other.as_str(),
    };
    if exchange.step.is_none() {
        let params_text = msg.params.as_deref().map_or_else(String::new, |p| p.get().to_string());
        exchange.step = Some(Box::new(StepTaken {
            target: op.target(),
            origin: false,
            connection,
            params: params_text,
            started: Instant::now(),
            ended: None,
            error: None,
        }));
    }
    let reply = call(session, grant, msg, &op, &arguments, exchange, waiting).await;
    if let Some(step) = exchange.step.as_mut() {
        step.ended = Some(Instant::now());
        if let Reply::Json(f) = &reply {
            step.error = f.failure.as_ref().map(|f| f.detail.clone()).or_else(|| http_error(&f.json));
        }
    }
    reply
}

/// The status line of a tool error this module made (for the step's error).
fn http_error(json: &str) -> Option<String> {
    let v: Value = serde_json::from_str(json).ok()?;
    let result = v.get("result")?;
    if result.get("isError") != Some(&Value::Bool(true)) {
        return None;
    }
    let text = result.get("content")?.get(0)?.get("text")?.as_str()?;
    Some(text.split(':').next().unwrap_or(text).to_string())
}

async fn call(
    session: &Arc<Session>,
    grant: &Grant,
    msg: &Message,
    op: &Operation,
    arguments: &Map<String, Value>,
    exchange: &mut Exchange,
    waiting: impl FnOnce(),
) -> Reply {
    let id = msg.id_text();
    let server = grant.server();
    let failed = |fault, reason: &str, detail: String| {
        Reply::Json(Final::failed(id, &session.server_name, fault, reason, detail))
    };
    let base = server.url.as_deref().unwrap_or_default();
    let request = match crate::model::openapi::call::request(op, base, arguments) {
        Ok(r) => r,
        Err(why) => return Reply::Json(tool_error(id, &format!("invalid arguments: {why}"), None)),
    };
    let client = match client() {
        Ok(c) => c,
        Err(e) => return failed(Fault::Internal, "the HTTP client cannot start", e),
    };
    let mut headers = match crate::upstream::credentials(server) {
        Ok(h) => h,
        Err(e) => return failed(Fault::Operator, "the upstream credentials cannot be read", e),
    };
    for (name, value) in &request.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            headers.insert(n, v);
        }
    }
    headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static("application/json, */*;q=0.5"));
    if let Some((media, _)) = &request.body
        && let Ok(v) = HeaderValue::from_str(media)
    {
        headers.insert(reqwest::header::CONTENT_TYPE, v);
    }
    if let Some(trace) = &exchange.trace {
        trace.apply(&mut headers);
    }
    (session.caller.headers_hook())(Some(exchange.trace_id.as_str()), &mut headers);
    let user = session.principal.user_id();
    let linked = server.upstream_auth == UpstreamAuth::Oauth;
    if linked {
        crate::gateway::oauth::ensure_fresh(&session.shared, server.id, user).await;
    }
    waiting();
    let bearer = || session.shared.live.load().connection(server.id, user).and_then(|c| c.authorization.clone());
    let mut sent_token = None;
    for attempt in 0..2 {
        let mut headers = headers.clone();
        if linked {
            let Some(token) = bearer() else {
                if user.is_some() {
                    return Reply::Json(unlinked::account_unlinked(session, msg));
                }
                let why = format!(
                    "server {:?} has no shared upstream connection for API tokens (`mcpcp server connect {}`)",
                    session.server_name, session.server_name
                );
                return failed(Fault::Operator, "the server's shared upstream connection is not linked", why);
            };
            headers.insert(reqwest::header::AUTHORIZATION, token.clone());
            sent_token = Some(token);
        }
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut builder = client.request(method, &request.url).headers(headers);
        if let Some((_, body)) = &request.body {
            builder = builder.body(body.clone());
        }
        exchange.sent = Some(Instant::now());
        let answer = exchange_once(builder).await;
        exchange.headers = exchange.sent;
        exchange.answered = Some(Instant::now());
        let (status, body) = match answer {
            Ok(a) => a,
            Err((fault, reason, detail)) => {
                return failed(fault, reason, format!("{} {}: {detail}", op.method, op.path));
            }
        };
        if attempt == 0
            && status == reqwest::StatusCode::UNAUTHORIZED
            && let Some(sent) = &sent_token
            && crate::gateway::oauth::refresh_refused(&session.shared, server.id, user, sent).await
        {
            continue;
        }
        return Reply::Json(result(id, status, &body));
    }
    failed(Fault::Upstream, "the upstream refused the credential", "401 after a refresh".into())
}

/// One HTTP exchange: the status and the body (bounded), or why not (fault, public reason,
/// detail).
async fn exchange_once(
    builder: reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, Vec<u8>), (Fault, &'static str, String)> {
    let unreachable = |e: reqwest::Error| {
        if e.is_timeout() {
            (
                Fault::Upstream,
                "the upstream did not answer in time",
                format!("no answer within {} s", TIMEOUT.as_secs()),
            )
        } else if e.is_redirect() {
            (Fault::Upstream, "the upstream redirected elsewhere", format!("{e:#}"))
        } else {
            (Fault::Upstream, "the upstream is unavailable", format!("{e:#}"))
        }
    };
    let mut response = builder.send().await.map_err(unreachable)?;
    let status = response.status();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            let why = format!("an answer larger than {} MiB", MAX_ANSWER_BYTES >> 20);
            return Err((Fault::Upstream, "the upstream's answer is too large", why));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}

/// The tool's result for an HTTP answer.
fn result(id: &str, status: reqwest::StatusCode, body: &[u8]) -> Final {
    let text = String::from_utf8_lossy(body);
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    if !status.is_success() {
        let mut shown = text.into_owned();
        if shown.len() > ERROR_BODY_BYTES {
            let mut cut = ERROR_BODY_BYTES;
            while !shown.is_char_boundary(cut) {
                cut -= 1;
            }
            shown.truncate(cut);
            shown.push_str(" […]");
        }
        let line = format!("HTTP {}: {shown}", status);
        let structured = json!({ "status": status.as_u16(), "body": parsed.filter(|_| body.len() <= ERROR_BODY_BYTES).unwrap_or(Value::String(shown)) });
        return tool_error(id, &line, Some(structured));
    }
    let mut result = json!({ "content": [{ "type": "text", "text": text }], "isError": false });
    if let Some(value) = parsed {
        result["structuredContent"] = match value {
            Value::Object(_) => value,
            other => json!({ "result": other }),
        };
    }
    Final::answer(Message::result_with(id, &result.to_string()), false)
}

/// A tool error (`isError`): the call reached the tool, which failed.
fn tool_error(id: &str, text: &str, structured: Option<Value>) -> Final {
    let mut result = json!({ "content": [{ "type": "text", "text": text }], "isError": true });
    if let Some(s) = structured {
        result["structuredContent"] = s;
    }
    Final::answer(Message::result_with(id, &result.to_string()), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_results() {
        let ok = result("1", reqwest::StatusCode::OK, br#"{"id":7}"#);
        let v: Value = serde_json::from_str(&ok.json).unwrap();
        assert_eq!(v["result"]["structuredContent"], json!({"id": 7}));
        assert_eq!(v["result"]["content"][0]["text"], "{\"id\":7}");
        let list = result("1", reqwest::StatusCode::OK, b"[1,2]");
        let v: Value = serde_json::from_str(&list.json).unwrap();
        assert_eq!(v["result"]["structuredContent"], json!({"result": [1, 2]}));
        let big = "x".repeat(10_000);
        let err = result("1", reqwest::StatusCode::NOT_FOUND, big.as_bytes());
        let v: Value = serde_json::from_str(&err.json).unwrap();
        assert_eq!(v["result"]["isError"], true);
        let text = v["result"]["content"][0]["text"].as_str().unwrap();
        assert!(text.starts_with("HTTP 404 Not Found: xxx") && text.len() < 4200, "{}", text.len());
        assert_eq!(http_error(&err.json).as_deref(), Some("HTTP 404 Not Found"));
    }
}
