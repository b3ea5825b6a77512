//! Hostile input at the gateway: what a client or an upstream can make it hold (connections,
//! batches, log records) is bounded, and a misbehaving upstream is answered for at once.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::Gateway;
use super::http::Raw;
use crate::support::Mcpcp;

/// An upstream speaking Streamable HTTP that accepts the handshake, then answers every other
/// request with `status` and a plain-text body (no JSON-RPC), as a proxy or a WAF in front of a
/// real server does. Returns its URL.
async fn refusing_upstream(status: u16) -> String {
    use axum::routing::post;
    let app = axum::Router::new().route(
        "/mcp",
        post(move |body: String| async move {
            let message: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let status = axum::http::StatusCode::from_u16(status).unwrap();
            match message["method"].as_str() {
                Some("initialize") => (
                    axum::http::StatusCode::OK,
                    [("content-type", "application/json")],
                    json!({"jsonrpc": "2.0", "id": message["id"], "result": {"protocolVersion": "2025-06-18",
                        "capabilities": {"tools": {}}, "serverInfo": {"name": "refusing", "version": "1"}}})
                    .to_string(),
                ),
                _ if message.get("id").is_none() => {
                    (axum::http::StatusCode::ACCEPTED, [("content-type", "text/plain")], String::new())
                }
                _ => (status, [("content-type", "text/plain")], "no\n".to_string()),
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/mcp")
}

/// An upstream that refuses a request with an HTTP error and no JSON-RPC body: the client gets a
/// JSON-RPC error at once naming the server and the status (not the upstream's URL), instead of
/// waiting for the request timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_http_error_without_a_body_is_answered_at_once() {
    let m = Mcpcp::new();
    for (name, status) in [("forbid", 403u16), ("broken", 502)] {
        m.ok(&["server", "create", name, "--url", &refusing_upstream(status).await]);
    }
    let tokens: Vec<String> =
        ["forbid", "broken"].iter().map(|s| m.ok(&["token", "create", s]).trim().to_string()).collect();
    let gw = Gateway::start(m, &[]);
    for ((server, status), token) in [("forbid", 403), ("broken", 502)].into_iter().zip(&tokens) {
        let mut c = Raw::new(&gw.url(server), token);
        c.handshake("2025-06-18").await;
        let started = Instant::now();
        let a = c
            .post_json(
                json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "x", "arguments": {}}}),
            )
            .await;
        assert!(started.elapsed() < Duration::from_secs(5), "answered after {:?}", started.elapsed());
        let answer = a.json();
        assert_eq!(answer["id"], 7, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap_or_else(|| panic!("an error: {answer}"));
        assert!(message.contains("refused") && message.contains(&status.to_string()), "{message}");
        assert!(message.contains(server), "{message}");
        assert!(!message.contains("127.0.0.1"), "the upstream's address is not told: {message}");
        assert_eq!(answer["error"]["data"]["upstream_status"], status, "{answer}");
    }
}

/// An upstream whose `tools/call` takes 50 ms, counting how many calls it has at once (the
/// highest count is kept). Returns its URL and the highest count.
async fn counting_upstream() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use axum::routing::post;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let seen = most.clone();
    let app = axum::Router::new().route(
        "/mcp",
        post(move |body: String| {
            let (now, most) = (now.clone(), most.clone());
            async move {
                let message: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let result = match message["method"].as_str() {
                    Some("initialize") => json!({"protocolVersion": "2025-03-26", "capabilities": {"tools": {}},
                        "serverInfo": {"name": "counting", "version": "1"}}),
                    Some("tools/call") => {
                        let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(at_once, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        json!({"content": [{"type": "text", "text": "done"}]})
                    }
                    _ if message.get("id").is_none() => {
                        return (axum::http::StatusCode::ACCEPTED, [("content-type", "text/plain")], String::new());
                    }
                    _ => json!({}),
                };
                let answer = json!({"jsonrpc": "2.0", "id": message["id"], "result": result});
                (axum::http::StatusCode::OK, [("content-type", "application/json")], answer.to_string())
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/mcp"), seen)
}

/// A batch larger than the bound is refused whole with a JSON-RPC error and reaches no upstream;
/// a batch within it is forwarded a few calls at a time (never all at once), answered in order,
/// and each of its calls passes the server's rate limit on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_are_bounded_in_size_and_fan_out() {
    use std::sync::atomic::Ordering;
    let (url, most) = counting_upstream().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "up", "--url", &url]);
    m.ok(&["server", "limits", "up", "--rate", "12/1h", "--burst", "12"]);
    let token = m.ok(&["token", "create", "up"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let mut c = Raw::new(&gw.url("up"), &token);
    c.handshake("2025-03-26").await;
    let call = |id: usize| json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "t", "arguments": {}}});

    let a = c.post_json(Value::Array((0..3000).map(call).collect())).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert_eq!(a.json()["error"]["code"], -32600, "{}", a.body);
    assert!(a.body.contains("at most 100"), "{}", a.body);
    assert_eq!(most.load(Ordering::SeqCst), 0, "nothing of the refused batch went upstream");

    let a = c.post_json(Value::Array((0..40).map(call).collect())).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let answers = a.messages();
    assert_eq!(answers.len(), 40);
    assert!(answers.iter().enumerate().all(|(i, m)| m["id"] == i), "in order: {answers:?}");
    let done = answers.iter().filter(|m| m["result"]["content"][0]["text"] == "done").count();
    let limited =
        answers.iter().filter(|m| m["error"]["message"].as_str().is_some_and(|t| t.contains("Rate limit"))).count();
    assert_eq!((done, limited), (12, 28), "{answers:?}");
    let at_once = most.load(Ordering::SeqCst);
    assert!((2..=8).contains(&at_once), "calls upstream at once: {at_once}");
}
