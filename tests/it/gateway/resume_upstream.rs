//! An upstream that closes its answer's stream before the response (2025-11-25 SEP-1699 polling):
//! mcpcp resumes it with `GET` + `Last-Event-ID` on the upstream session. A 2025-11-25 client's
//! stream is closed at the same point and the client resumes it from mcpcp; an older client's
//! stays open and gets the answer on it. An upstream that cannot resume answers the call with an
//! error at once, not at the request timeout.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};

use super::activity::logs;
use super::harness::Gateway;
use super::http::Raw;
use super::resume::{Events, Seen, open_stream, resume};
use crate::support::Mcpcp;

/// What the scripted upstream saw and does.
#[derive(Default)]
struct Script {
    /// GETs with `Last-Event-ID`: (the id, the session header).
    resumed: Vec<(String, String)>,
    /// The upstream id of the call waiting for its answer.
    waiting: Option<Value>,
    /// Refuse resumption (405), as an upstream without an event store would.
    refuse: bool,
}

const SESSION: &str = "upstream-session-1";

fn sse(body: &str) -> (StatusCode, [(&'static str, &'static str); 1], String) {
    (StatusCode::OK, [("content-type", "text/event-stream")], body.to_string())
}

/// A Streamable HTTP upstream whose `tools/call` stream sends a priming event (`retry: 50`) and
/// one progress notification, then ends; `GET` with `Last-Event-ID: e2` sends the answer.
async fn polling_upstream(script: Arc<Mutex<Script>>) -> String {
    let on_post = script.clone();
    let app = axum::Router::new().route(
        "/mcp",
        post(move |body: String| {
            let script = on_post.clone();
            async move {
                let message: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                match message["method"].as_str() {
                    Some("initialize") => {
                        let result = json!({"jsonrpc": "2.0", "id": message["id"], "result": {
                            "protocolVersion": message["params"]["protocolVersion"],
                            "capabilities": {"tools": {}}, "serverInfo": {"name": "polling", "version": "1"}}});
                        let mut h = HeaderMap::new();
                        h.insert("content-type", "application/json".parse().unwrap());
                        h.insert("mcp-session-id", SESSION.parse().unwrap());
                        (StatusCode::OK, h, result.to_string())
                    }
                    Some("tools/call") => {
                        script.lock().unwrap().waiting = Some(message["id"].clone());
                        let token = &message["params"]["_meta"]["progressToken"];
                        let progress = json!({"jsonrpc": "2.0", "method": "notifications/progress",
                            "params": {"progressToken": token, "progress": 1}});
                        let body = format!("id: e1\nretry: 50\ndata: \n\nid: e2\ndata: {progress}\n\n");
                        let (status, [(k, v)], body) = sse(&body);
                        let mut h = HeaderMap::new();
                        h.insert(k, v.parse().unwrap());
                        (status, h, body)
                    }
                    _ => (StatusCode::ACCEPTED, HeaderMap::new(), String::new()),
                }
            }
        })
        .get(move |headers: HeaderMap| {
            let script = script.clone();
            async move {
                let header = |n: &str| headers.get(n).map(|v| v.to_str().unwrap().to_string());
                let Some(last) = header("last-event-id") else {
                    return (StatusCode::METHOD_NOT_ALLOWED, [("content-type", "text/plain")], String::new());
                };
                let mut s = script.lock().unwrap();
                s.resumed.push((last.clone(), header("mcp-session-id").unwrap_or_default()));
                if s.refuse || last != "e2" {
                    return (StatusCode::METHOD_NOT_ALLOWED, [("content-type", "text/plain")], String::new());
                }
                let id = s.waiting.clone().unwrap_or(Value::Null);
                let answer =
                    json!({"jsonrpc": "2.0", "id": id, "result": {"content": [{"type": "text", "text": "polled"}]}});
                sse(&format!("id: e3\ndata: {answer}\n\n"))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/mcp")
}

async fn gateway(refuse: bool) -> (Gateway, String, Arc<Mutex<Script>>) {
    let script = Arc::new(Mutex::new(Script { refuse, ..Script::default() }));
    let url = polling_upstream(script.clone()).await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "polling", "--url", &url]);
    let token = m.ok(&["token", "create", "polling"]).trim().to_string();
    (Gateway::start(m, &[]), token, script)
}

fn call() -> Value {
    json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
        "params": {"name": "slow", "arguments": {}, "_meta": {"progressToken": "t"}}})
}

#[tokio::test]
async fn an_upstream_that_polls_is_resumed_and_so_is_the_client() {
    let (gw, token, script) = gateway(false).await;
    let mut raw = Raw::new(&gw.url("polling"), &token);
    raw.handshake("2025-11-25").await;
    // mcpcp's priming event, the progress, then the connection closes as the upstream's did.
    let mut events = open_stream(&raw, call()).await;
    let mut seen = Seen::default();
    while let Some(event) = events.next().await {
        seen.take(&event);
    }
    assert_eq!(seen.progress, vec![1]);
    assert!(seen.responses.is_empty(), "the answer is not on the closed stream");
    let mut events = Events::new(resume(&raw, seen.last_id.as_deref().unwrap()).await);
    while let Some(event) = events.next().await {
        seen.take(&event);
    }
    assert_eq!(seen.progress, vec![1], "nothing twice");
    assert_eq!(seen.responses.len(), 1);
    assert_eq!(seen.responses[0]["id"], 5);
    assert_eq!(seen.responses[0]["result"]["content"][0]["text"], "polled");
    // mcpcp resumed upstream with the upstream's own event id, on the upstream session.
    assert_eq!(script.lock().unwrap().resumed, vec![("e2".to_string(), SESSION.to_string())]);
    let calls = logs(&gw.m, &["--type", "tool_call"]);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["status"], "success");
    assert_eq!(calls[0]["resumed"], 2, "the upstream's pause and the client's reconnection: {:?}", calls[0]);
}

#[tokio::test]
async fn an_older_client_keeps_its_stream_while_mcpcp_resumes_the_upstream() {
    let (gw, token, script) = gateway(false).await;
    let mut raw = Raw::new(&gw.url("polling"), &token);
    raw.handshake("2025-06-18").await;
    let mut events = open_stream(&raw, call()).await;
    let mut seen = Seen::default();
    while let Some(event) = events.next().await {
        assert!(event.id.is_none() && event.retry.is_none(), "{event:?}");
        seen.take(&event);
    }
    assert_eq!((seen.progress.len(), seen.responses.len()), (1, 1));
    assert_eq!(seen.responses[0]["result"]["content"][0]["text"], "polled");
    assert_eq!(script.lock().unwrap().resumed.len(), 1);
    assert_eq!(logs(&gw.m, &["--type", "tool_call"])[0]["resumed"], 1);
}

#[tokio::test]
async fn an_upstream_that_cannot_resume_fails_the_call_at_once() {
    let (gw, token, script) = gateway(true).await;
    let mut raw = Raw::new(&gw.url("polling"), &token);
    raw.handshake("2025-06-18").await;
    let started = std::time::Instant::now();
    let mut events = open_stream(&raw, call()).await;
    let mut seen = Seen::default();
    while let Some(event) = events.next().await {
        seen.take(&event);
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "not left to the request timeout");
    assert_eq!(seen.responses.len(), 1);
    let error = &seen.responses[0]["error"];
    assert_eq!(error["data"]["fault"], "upstream", "{error}");
    assert_eq!(script.lock().unwrap().resumed.len(), 1);
    let calls = logs(&gw.m, &["--type", "tool_call"]);
    assert_eq!((calls[0]["status"].as_str(), calls[0]["fault"].as_str()), (Some("failure"), Some("upstream")));
}
