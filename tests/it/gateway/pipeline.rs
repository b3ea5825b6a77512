//! The request pipeline seen from every entry point: one table of refusal cases driven through
//! a Streamable HTTP POST, an item of a 2025-03-26 batch, a legacy HTTP+SSE POST and
//! `initialize`, each answered with the same status, JSON-RPC error (`data.fault` included) and
//! activity record.

use std::net::IpAddr;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::activity::logs;
use super::harness::{Gateway, fixture_stdio};
use super::http::Raw;
use crate::support::Mcpcp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Post,
    BatchItem,
    LegacyPost,
    Initialize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    BadOrigin,
    NoToken,
    WrongServersToken,
    StoppedTool,
    IpDenied,
    RateLimited,
    QuotaExhausted,
    UnknownSession,
    OthersSession,
}

const ENTRIES: [Entry; 4] = [Entry::Post, Entry::BatchItem, Entry::LegacyPost, Entry::Initialize];
const CASES: [Case; 9] = [
    Case::BadOrigin,
    Case::NoToken,
    Case::WrongServersToken,
    Case::StoppedTool,
    Case::IpDenied,
    Case::RateLimited,
    Case::QuotaExhausted,
    Case::UnknownSession,
    Case::OthersSession,
];

impl Case {
    fn server(self) -> &'static str {
        match self {
            Case::StoppedTool => "stopped",
            Case::IpDenied => "walled",
            Case::RateLimited => "rated",
            Case::QuotaExhausted => "quota",
            _ => "fx",
        }
    }

    /// The HTTP status, JSON-RPC error code and record type every entry point answers with.
    fn expected(self) -> (u16, i64, &'static str) {
        match self {
            Case::BadOrigin => (403, -32000, "denied"),
            Case::NoToken | Case::WrongServersToken => (401, -32000, "auth_failure"),
            Case::StoppedTool => (200, -32602, "tool_call"),
            Case::IpDenied => (403, -32000, "ip_denied"),
            Case::RateLimited => (429, -32000, "rate_limited"),
            Case::QuotaExhausted => (429, -32000, "quota_exceeded"),
            Case::UnknownSession | Case::OthersSession => (404, -32001, "invalid_request"),
        }
    }

    /// Refused for the message, after the request was admitted into a session.
    fn per_message(self) -> bool {
        matches!(self, Case::StoppedTool | Case::RateLimited | Case::QuotaExhausted)
    }

    fn needs_session(self) -> bool {
        self.per_message() || matches!(self, Case::UnknownSession | Case::OthersSession)
    }
}

/// `initialize` makes a session: cases about a session or a tool call do not apply to it.
fn applies(entry: Entry, case: Case) -> bool {
    entry != Entry::Initialize || !case.needs_session()
}

struct Setup {
    gw: Gateway,
    /// Each server's token, by server name (`a` on `fx`).
    tokens: std::collections::HashMap<&'static str, String>,
    /// Another principal's token on `fx`.
    b: String,
    /// A token of the server `other`.
    other: String,
}

fn setup() -> Setup {
    let m = Mcpcp::new();
    let fixture = fixture_stdio();
    let mut tokens = std::collections::HashMap::new();
    for server in ["fx", "stopped", "walled", "rated", "quota", "other"] {
        m.ok(&["server", "create", server, "--command", fixture.to_str().unwrap()]);
        tokens.insert(server, m.ok(&["token", "create", server, "--name", "a"]).trim().to_string());
    }
    let b = m.ok(&["token", "create", "fx", "--name", "b"]).trim().to_string();
    let other = tokens.remove("other").unwrap();
    m.ok(&["tool", "sync", "stopped"]);
    m.ok(&["tool", "stop", "stopped", "echo"]);
    m.ok(&["server", "ip", "walled", "deny", "127.0.0.0/8"]);
    m.ok(&["server", "limits", "rated", "--rate", "1/1h"]);
    m.ok(&["server", "limits", "quota", "--quota", "1/day"]);
    Setup { gw: Gateway::start(m, &[]), tokens, b, other }
}

fn call(id: u64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "x"}}})
}

fn initialize(version: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "table", "version": "1"}}})
}

/// What the client saw: the HTTP status and the JSON-RPC error.
#[derive(Debug)]
struct Seen {
    status: u16,
    error: Value,
}

/// A legacy HTTP+SSE event stream.
struct Events {
    stream: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
}

impl Events {
    async fn next(&mut self) -> (String, String) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                if event.starts_with(':') {
                    continue;
                }
                let name = event.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("message").to_string();
                let data = event.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or("").to_string();
                return (name, data);
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.stream.next())
                .await
                .expect("an event within 10 s")
                .expect("the stream is open")
                .unwrap();
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// Sends `case` through `entry` from `http` (bound to its own loopback address, so anonymous
/// refusals of different entries are each recorded, not sampled into one summary).
async fn drive(s: &Setup, http: &reqwest::Client, entry: Entry, case: Case, agent: &str) -> Seen {
    let server = case.server();
    let good = s.tokens[server].clone();
    let token = match case {
        Case::NoToken => None,
        Case::WrongServersToken => Some(s.other.clone()),
        Case::OthersSession => Some(s.b.clone()),
        _ => Some(good.clone()),
    };
    let refine = |mut r: reqwest::RequestBuilder| {
        r = r.header("user-agent", agent).header("content-type", "application/json");
        if case == Case::BadOrigin {
            r = r.header("origin", "http://evil.example");
        }
        r
    };
    if entry == Entry::LegacyPost {
        return drive_legacy(s, http, case, &good, token.as_deref(), refine).await;
    }
    let mut c = Raw { http: http.clone(), url: s.gw.url(server), token: Some(good), session: None, version: None };
    if case.needs_session() {
        c.handshake(if entry == Entry::BatchItem { "2025-03-26" } else { "2025-06-18" }).await;
    }
    if case == Case::UnknownSession {
        c.session = Some("0".repeat(64));
    }
    c.token = token;
    let body = match entry {
        Entry::Post => call(2),
        Entry::BatchItem => json!([call(2)]),
        _ => initialize("2025-06-18"),
    };
    let a = c.send(refine(c.request(reqwest::Method::POST)).body(body.to_string())).await;
    Seen { status: a.status.as_u16(), error: a.json()["error"].clone() }
}

async fn drive_legacy(
    s: &Setup,
    http: &reqwest::Client,
    case: Case,
    good: &str,
    token: Option<&str>,
    refine: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> Seen {
    let base = s.gw.url(case.server());
    let mut endpoint = format!("/mcp/{}/messages?sessionId={}", case.server(), "1".repeat(64));
    let mut events = None;
    if case.needs_session() {
        let r = http.get(format!("{base}/sse")).bearer_auth(good).header("accept", "text/event-stream").send();
        let r = r.await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let mut e = Events { stream: Box::pin(r.bytes_stream()), buffer: String::new() };
        let (name, data) = e.next().await;
        assert_eq!(name, "endpoint");
        endpoint = data;
        let post = |body: Value| {
            http.post(format!("{}{endpoint}", s.gw.base))
                .bearer_auth(good)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
        };
        assert_eq!(post(initialize("2024-11-05")).await.unwrap().status(), StatusCode::ACCEPTED);
        let (_, init) = e.next().await;
        assert!(init.contains("serverInfo"), "{init}");
        let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
        assert_eq!(post(initialized).await.unwrap().status(), StatusCode::ACCEPTED);
        events = Some(e);
    }
    if case == Case::UnknownSession {
        endpoint = format!("/mcp/{}/messages?sessionId={}", case.server(), "0".repeat(64));
    }
    let mut r = refine(http.post(format!("{}{endpoint}", s.gw.base))).body(call(2).to_string());
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    let body = r.text().await.unwrap();
    match events.filter(|_| case.per_message()) {
        Some(mut e) => {
            assert_eq!(status, 202, "{body}");
            let (_, answer) = e.next().await;
            let answer: Value = serde_json::from_str(&answer).unwrap();
            Seen { status, error: answer["error"].clone() }
        }
        None => Seen { status, error: serde_json::from_str::<Value>(&body).unwrap()["error"].clone() },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_entry_point_refuses_the_same_cases_the_same_way() {
    let s = setup();
    // One call each uses up the rate limit and the quota.
    for server in ["rated", "quota"] {
        let mut c = Raw::new(&s.gw.url(server), &s.tokens[server]);
        c.handshake("2025-06-18").await;
        let a = c.post_json(call(1)).await;
        assert!(a.json()["result"].is_object(), "the first call on {server} passes: {}", a.body);
    }
    let mut failures = Vec::new();
    for (n, entry) in ENTRIES.into_iter().enumerate() {
        let address: IpAddr = format!("127.0.0.{}", 10 + n).parse().unwrap();
        let http = reqwest::Client::builder().local_address(address).build().unwrap();
        for case in CASES.into_iter().filter(|c| applies(entry, *c)) {
            let agent = format!("table/{entry:?}/{case:?}");
            let seen = drive(&s, &http, entry, case, &agent).await;
            let (status, code, kind) = case.expected();
            // A batch answers each item in a 200; a legacy POST is accepted and answered on the
            // event stream: the refusal's status is then in the record.
            let http_status = match entry {
                Entry::BatchItem if case.per_message() => 200,
                Entry::LegacyPost if case.per_message() => 202,
                _ => status,
            };
            let mut wrong = Vec::new();
            if seen.status != http_status {
                wrong.push(format!("HTTP {} (expected {http_status})", seen.status));
            }
            if seen.error["code"] != code || seen.error["data"]["fault"] != "client" {
                wrong.push(format!("error {} (expected code {code}, data.fault client)", seen.error));
            }
            let records = logs(&s.gw.m, &["--where", &format!("user_agent={agent}")]);
            match records.as_slice() {
                [r] => {
                    let got = (&r["type"], &r["http_status"], &r["error_code"], &r["fault"], &r["status"]);
                    let want = (&json!(kind), &json!(status), &json!(code), &json!("client"), &json!("failure"));
                    if got != want {
                        wrong.push(format!("record {got:?} (expected {want:?})"));
                    }
                }
                other => wrong.push(format!("{} records", other.len())),
            }
            if !wrong.is_empty() {
                failures.push(format!("{entry:?} × {case:?}: {}", wrong.join("; ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A call that fails behind the gateway says whose fault it was: the client learns the server's
/// name and a reason, never the upstream's URL or address; the record keeps the whole story
/// and `logs tail --fault` finds it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_failures_name_the_server_and_fault_not_the_address() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "gone", "--url", "http://127.0.0.1:9/secret-path"]);
    m.ok(&["server", "create", "broken", "--command", "/nonexistent/mcp-server"]);
    let gone = m.ok(&["token", "create", "gone"]).trim().to_string();
    let broken = m.ok(&["token", "create", "broken"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    for (server, token, fault) in [("gone", &gone, "upstream"), ("broken", &broken, "operator")] {
        let a = Raw::new(&gw.url(server), token).post_json(initialize("2025-06-18")).await;
        let error = &a.json()["error"];
        assert_eq!(error["data"]["fault"], fault, "{}", a.body);
        assert_eq!(error["data"]["server"], server, "{}", a.body);
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(server), "{message}");
        for secret in ["127.0.0.1", ":9", "secret-path", "nonexistent"] {
            assert!(!a.body.contains(secret), "the client is told {secret:?}: {}", a.body);
        }
        let records = logs(&gw.m, &["--fault", fault, "--server", server]);
        assert_eq!(records.len(), 1, "{records:?}");
        let story = records[0]["error_message"].as_str().unwrap();
        let detail = if fault == "upstream" { "127.0.0.1:9" } else { "nonexistent" };
        assert!(story.contains(detail), "the record keeps the whole story: {story}");
        assert_eq!(records[0]["status"], "failure");
    }
    assert!(logs(&gw.m, &["--fault", "client"]).is_empty());
    assert_eq!(logs(&gw.m, &["--fault", "upstream"]).len(), 1);
}
