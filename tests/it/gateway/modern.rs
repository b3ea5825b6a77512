//! 2026-07-28 (stateless) clients on the same `/mcp/{server}` endpoint, through a real `mcpcp
//! serve` to the rmcp fixtures (2025-era upstreams): `server/discover`, lists and calls answered
//! as modern results, each request authenticated, authorized, limited and recorded on its own;
//! the transport's refusals (header mismatch, missing `_meta`, unsupported version, removed
//! methods) answered with the spec's codes, recorded, and nothing forwarded. Raw HTTP: the
//! client here speaks the wire as the spec writes it.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::activity::logs;
use super::harness::{Gateway, children_of, eventually, fixture_stdio, with_http_fixture, with_stdio_fixture};
use super::http::Answer;
use super::identity::{PASSWORD, user_token};
use crate::support::Mcpcp;

const VERSION: &str = "2026-07-28";

/// A raw 2026-07-28 client: every request its own POST with the per-request `_meta` and the
/// standard headers.
struct Modern {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Modern {
    fn new(url: &str, token: &str) -> Modern {
        Modern { http: reqwest::Client::new(), url: url.to_string(), token: token.to_string() }
    }

    /// `params` with the required `_meta` keys added.
    fn params(params: Value) -> Value {
        let mut params = params;
        let meta = json!({
            "io.modelcontextprotocol/protocolVersion": VERSION,
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "modern-raw", "version": "1"},
        });
        params.as_object_mut().unwrap().insert("_meta".into(), meta);
        params
    }

    /// The standard headers for `method` and `params` (`Mcp-Name` from `name` or `uri`).
    fn headers(method: &str, params: &Value) -> Vec<(String, String)> {
        let mut h = vec![("mcp-protocol-version".into(), VERSION.into()), ("mcp-method".into(), method.into())];
        if let Some(name) = params.get("name").or_else(|| params.get("uri")).and_then(Value::as_str) {
            h.push(("mcp-name".into(), name.into()));
        }
        h
    }

    /// POSTs `body` with `headers` as given.
    async fn raw(&self, body: &Value, headers: &[(String, String)]) -> Answer {
        let mut r = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .body(body.to_string());
        for (k, v) in headers {
            r = r.header(k.as_str(), v.as_str());
        }
        let response = r.send().await.expect("request");
        let (status, headers) = (response.status(), response.headers().clone());
        Answer { status, headers, body: response.text().await.unwrap_or_default() }
    }

    /// A well-formed request.
    async fn request(&self, id: u64, method: &str, params: Value) -> Answer {
        let params = Modern::params(params);
        let headers = Modern::headers(method, &params);
        self.raw(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}), &headers).await
    }

    /// A well-formed request's result (its status checked).
    async fn result(&self, id: u64, method: &str, params: Value) -> Value {
        let a = self.request(id, method, params).await;
        assert_eq!(a.status, StatusCode::OK, "{method}: {}", a.body);
        assert!(a.header("mcp-session-id").is_none(), "a stateless answer names no session");
        let v = a.json();
        assert_eq!(v["id"], id, "{v}");
        v["result"].clone()
    }
}

fn names(list: &Value) -> Vec<String> {
    let mut n: Vec<String> =
        list["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect();
    n.sort();
    n
}

/// discover, list, call through a 2025-era upstream, as `result_of` the gateway's answers.
async fn discover_list_call(c: &Modern) {
    let d = c.result(1, "server/discover", json!({})).await;
    assert_eq!(d["resultType"], "complete", "{d}");
    assert_eq!(d["supportedVersions"][0], VERSION, "{d}");
    assert!(d["capabilities"]["tools"].is_object(), "{d}");
    assert!(d["_meta"]["io.modelcontextprotocol/serverInfo"]["name"].is_string(), "{d}");
    assert_eq!((d["ttlMs"].clone(), d["cacheScope"].clone()), (json!(0), json!("private")), "{d}");

    let list = c.result(2, "tools/list", json!({})).await;
    assert_eq!(list["resultType"], "complete", "{list}");
    assert_eq!((list["ttlMs"].clone(), list["cacheScope"].clone()), (json!(0), json!("private")));
    assert!(names(&list).contains(&"echo".to_string()), "{list}");

    let call = c.result(3, "tools/call", json!({"name": "echo", "arguments": {"text": "modern hi"}})).await;
    assert_eq!(call["resultType"], "complete", "{call}");
    assert!(call.get("ttlMs").is_none(), "a call's result is not cacheable: {call}");
    assert_eq!(call["content"][0]["text"], "modern hi", "{call}");
}

#[tokio::test]
async fn a_modern_client_discovers_lists_and_calls_a_stdio_upstream() {
    let (gw, token) = with_stdio_fixture();
    let c = Modern::new(&gw.url("fx"), &token);
    discover_list_call(&c).await;
    // A second round goes through the same upstream session: one child process.
    discover_list_call(&c).await;
    assert_eq!(children_of(gw.pid()).len(), 1, "one upstream session for the principal");

    // Each request is recorded as a 2025 session's would be: its method, tool and client, and
    // no session.
    let records = logs(&gw.m, &["--server", "fx"]);
    let calls: Vec<&Value> = records.iter().filter(|r| r["method"] == "tools/call").collect();
    assert_eq!(calls.len(), 2, "{records:?}");
    for r in &calls {
        assert_eq!(r["tool"], "echo", "{r}");
        assert_eq!(r["client_name"], "modern-raw", "{r}");
        assert_eq!(r["status"], "success", "{r}");
        assert!(r["session_id"].is_null(), "{r}");
    }
    assert_eq!(records.iter().filter(|r| r["method"] == "server/discover").count(), 2, "{records:?}");
    let list = records.iter().find(|r| r["method"] == "tools/list").unwrap();
    assert!(list["output"].to_string().contains("resultType"), "the record keeps what the client got: {list}");
}

#[tokio::test]
async fn a_modern_client_discovers_lists_and_calls_an_http_upstream() {
    let (_upstream, gw, token) = with_http_fixture().await;
    let c = Modern::new(&gw.url("remote"), &token);
    discover_list_call(&c).await;
    // Progress before the response: a stream, never resumable (no event ids), ending with a
    // modern result.
    let params = json!({"name": "progress", "arguments": {"steps": 2}, "_meta": {"progressToken": "p1"}});
    let mut params = Modern::params(params);
    params["_meta"]["progressToken"] = json!("p1");
    let headers = Modern::headers("tools/call", &params);
    let a = c.raw(&json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": params}), &headers).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let messages = a.messages();
    assert!(messages.iter().any(|m| m["method"] == "notifications/progress"), "{}", a.body);
    assert_eq!(messages.last().unwrap()["result"]["resultType"], "complete", "{}", a.body);
    assert!(!a.body.lines().any(|l| l.starts_with("id:")), "no event ids: {}", a.body);
}

/// One refusal case: what it is, the body, the headers, the HTTP status and JSON-RPC code.
type Case = (&'static str, Value, Vec<(String, String)>, u16, i64);

/// Every transport refusal of a modern request: the spec's status and code, a record, and
/// nothing reached the upstream (no upstream process was even started).
#[tokio::test]
async fn bad_modern_requests_are_refused_recorded_and_not_forwarded() {
    let (gw, token) = with_stdio_fixture();
    let c = Modern::new(&gw.url("fx"), &token);
    let call = |name: &str| {
        let params = Modern::params(json!({"name": name, "arguments": {"text": "x"}}));
        json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": params})
    };
    let good = Modern::headers("tools/call", &call("echo")["params"]);
    let with = |k: &str, v: &str| {
        let mut h: Vec<(String, String)> = good.iter().filter(|(n, _)| n != k).cloned().collect();
        if !v.is_empty() {
            h.push((k.to_string(), v.to_string()));
        }
        h
    };
    let cases: Vec<Case> = vec![
        ("Mcp-Method names another method", call("echo"), with("mcp-method", "tools/list"), 400, -32020),
        ("Mcp-Method missing", call("echo"), with("mcp-method", ""), 400, -32020),
        ("Mcp-Name names another tool than the body", call("add"), good.clone(), 400, -32020),
        ("Mcp-Name missing", call("echo"), with("mcp-name", ""), 400, -32020),
        ("version header missing", call("echo"), with("mcp-protocol-version", ""), 400, -32020),
        (
            "_meta without clientCapabilities",
            json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "echo",
                "_meta": {"io.modelcontextprotocol/protocolVersion": VERSION}}}),
            good.clone(),
            400,
            -32602,
        ),
        (
            "ping is gone in 2026-07-28",
            json!({"jsonrpc": "2.0", "id": 5, "method": "ping",
            "params": Modern::params(json!({}))}),
            with("mcp-method", "ping").into_iter().filter(|(k, _)| k != "mcp-name").collect(),
            404,
            -32601,
        ),
    ];
    for (what, body, headers, status, code) in &cases {
        let a = c.raw(body, headers).await;
        assert_eq!(a.status.as_u16(), *status, "{what}: {}", a.body);
        let v = a.json();
        assert_eq!(v["error"]["code"], *code, "{what}: {v}");
        assert_eq!(v["id"], 5, "{what}: {v}");
    }
    // A version mcpcp does not serve: the ones it does, to retry with.
    let future = json!({"jsonrpc": "2.0", "id": 6, "method": "tools/list", "params": {"_meta": {
        "io.modelcontextprotocol/protocolVersion": "2099-01-01", "io.modelcontextprotocol/clientCapabilities": {}}}});
    let headers =
        vec![("mcp-protocol-version".into(), "2099-01-01".into()), ("mcp-method".into(), "tools/list".into())];
    let a = c.raw(&future, &headers).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    let v = a.json();
    assert_eq!(v["error"]["code"], -32022, "{v}");
    assert_eq!(v["error"]["data"]["requested"], "2099-01-01", "{v}");
    let supported: Vec<&str> =
        v["error"]["data"]["supported"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(supported.contains(&VERSION) && supported.contains(&"2025-11-25"), "{v}");

    assert!(children_of(gw.pid()).is_empty(), "nothing was forwarded: no upstream was started");
    let records = logs(&gw.m, &["--server", "fx"]);
    let refused: Vec<&Value> = records.iter().filter(|r| r["http_status"] == 400 || r["http_status"] == 404).collect();
    assert_eq!(refused.len(), cases.len() + 1, "every refusal is recorded: {records:?}");
    assert!(refused.iter().all(|r| r["fault"] == "client"), "{refused:?}");
}

/// Tool state, a user's group grants and rate limits apply to each modern request, read from the
/// body (a header cannot widen them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tool_state_grants_and_limits_apply_per_modern_request() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap(), "--auth", "password"]);
    m.ok(&["tool", "sync", "fx"]);
    let r = m.run_stdin(&["user", "create", "ada", "--password-stdin"], PASSWORD);
    assert_eq!(r.code, 0, "{}", r.stderr);
    m.ok(&["group", "create", "support"]);
    m.ok(&["group", "add", "support", "ada"]);
    m.ok(&["group", "grant", "support", "fx", "--tools", "echo,add"]);
    m.ok(&["server", "limits", "fx", "--rate", "1/1h", "--per-user"]);
    let gw = Gateway::start(m, &[]);
    let c = Modern::new(&gw.url("fx"), &user_token(&gw, "fx", "ada").await);

    assert_eq!(names(&c.result(1, "tools/list", json!({})).await), ["add", "echo"]);
    let refused = c.request(2, "tools/call", json!({"name": "progress", "arguments": {"steps": 1}})).await;
    assert!(
        refused.json()["error"]["message"].as_str().unwrap().contains("Unknown tool: progress"),
        "{}",
        refused.body
    );

    gw.m.ok(&["tool", "stop", "fx", "add"]);
    eventually("the stop reaches the gateway", Duration::from_secs(5), || async {
        names(&c.result(3, "tools/list", json!({})).await) == ["echo"]
    })
    .await;
    let stopped = c.request(4, "tools/call", json!({"name": "add", "arguments": {"a": 1, "b": 2}})).await;
    assert!(stopped.json()["error"]["message"].as_str().unwrap().contains("stopped"), "{}", stopped.body);

    // The rate limit counts the calls that passed: one allowed, then 429.
    let ok = c.result(5, "tools/call", json!({"name": "echo", "arguments": {"text": "a"}})).await;
    assert_eq!(ok["content"][0]["text"], "a");
    let limited = c.request(6, "tools/call", json!({"name": "echo", "arguments": {"text": "b"}})).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    assert!(limited.header("retry-after").is_some());
    let records = logs(&gw.m, &["--server", "fx"]);
    assert!(records.iter().any(|r| r["http_status"] == 429 && r["tool"] == "echo"), "{records:?}");
}

/// Reads SSE messages from `response` until `want` holds for one (within 10 s); that message.
async fn next_event(response: &mut reqwest::Response, buf: &mut String, want: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let event: String = buf.drain(..end + 2).collect();
            let data: Vec<&str> = event.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
            if let Ok(v) = serde_json::from_str::<Value>(&data.join("\n"))
                && want(&v)
            {
                return v;
            }
        }
        let chunk = tokio::time::timeout_at(deadline, response.chunk()).await.expect("an event within 10 s");
        buf.push_str(&String::from_utf8_lossy(&chunk.unwrap().expect("the stream is open")));
    }
}

/// `subscriptions/listen`: acknowledged with what will be sent, then `tools/list_changed` (tagged
/// with the listen request's id) when an admin stops or starts a tool.
#[tokio::test]
async fn a_listener_hears_of_tool_stops_and_starts() {
    let (gw, token) = with_stdio_fixture();
    gw.m.ok(&["tool", "sync", "fx"]);
    let c = Modern::new(&gw.url("fx"), &token);
    let params = Modern::params(
        json!({"notifications": {"toolsListChanged": true, "resourceSubscriptions": ["fixture://static"]}}),
    );
    let headers = Modern::headers("subscriptions/listen", &params);
    let mut r = c
        .http
        .post(&c.url)
        .bearer_auth(&c.token)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(json!({"jsonrpc": "2.0", "id": "L1", "method": "subscriptions/listen", "params": params}).to_string());
    for (k, v) in &headers {
        r = r.header(k.as_str(), v.as_str());
    }
    let mut stream = r.send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut buf = String::new();
    let ack = next_event(&mut stream, &mut buf, |_| true).await;
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged", "{ack}");
    assert_eq!(
        ack["params"]["notifications"],
        json!({"toolsListChanged": true}),
        "resource subscriptions are not honoured: {ack}"
    );
    assert_eq!(ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], "L1");

    for action in ["stop", "start"] {
        gw.m.ok(&["tool", action, "fx", "echo"]);
        let changed = next_event(&mut stream, &mut buf, |v| v["method"] == "notifications/tools/list_changed").await;
        assert_eq!(changed["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], "L1", "{changed}");
    }
    let records = logs(&gw.m, &["--server", "fx"]);
    assert!(records.iter().any(|r| r["method"] == "subscriptions/listen"), "the listen is recorded: {records:?}");
}
