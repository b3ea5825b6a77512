//! Resumable answer streams (2025-11-25 SEP-1699): a client whose connection to mcpcp is cut in
//! the middle of an answer (a TCP proxy between them, cut by the test) reconnects with `GET` +
//! `Last-Event-ID` and gets every remaining event exactly once; the call keeps one record, which
//! counts the resumption; another principal's `GET` with a stolen `Last-Event-ID` gets nothing.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use super::activity::logs;
use super::harness::{Gateway, fixture_stdio, with_http_fixture, with_stdio_fixture};
use super::http::Raw;
use crate::support::Mcpcp;

/// A TCP proxy in front of the gateway whose connections the test can cut.
struct CuttingProxy {
    addr: std::net::SocketAddr,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl CuttingProxy {
    async fn start(target: std::net::SocketAddr) -> CuttingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let held = connections.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let handle = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                held.lock().unwrap().push(handle);
            }
        });
        CuttingProxy { addr, connections, accept }
    }

    /// Drops every connection through the proxy: both sockets close, mid-answer.
    fn cut(&self) {
        for c in self.connections.lock().unwrap().drain(..) {
            c.abort();
        }
    }

    /// The gateway's URL for `server`, through the proxy.
    fn url(&self, server: &str) -> String {
        format!("http://{}/mcp/{server}", self.addr)
    }
}

impl Drop for CuttingProxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}

fn gateway_addr(gw: &Gateway) -> std::net::SocketAddr {
    let url = reqwest::Url::parse(&gw.url("x")).unwrap();
    format!("{}:{}", url.host_str().unwrap(), url.port().unwrap()).parse().unwrap()
}

/// One SSE event as the client reads it.
#[derive(Debug, Clone, Default)]
pub(super) struct Event {
    pub(super) id: Option<String>,
    pub(super) retry: Option<u64>,
    pub(super) data: String,
}

/// Reads events from a `text/event-stream` response.
pub(super) struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    pub(super) fn new(response: reqwest::Response) -> Events {
        let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
        assert!(kind.as_deref().is_some_and(|k| k.starts_with("text/event-stream")), "{kind:?}");
        Events { response, buffer: String::new() }
    }

    /// The next event (comments skipped); `None` when the stream ended or broke.
    pub(super) async fn next(&mut self) -> Option<Event> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = Event::default();
                let mut fields = 0;
                for line in block.lines() {
                    let (field, value) = line.split_once(':').unwrap_or((line, ""));
                    let value = value.strip_prefix(' ').unwrap_or(value);
                    match field {
                        "id" => event.id = Some(value.to_string()),
                        "retry" => event.retry = value.parse().ok(),
                        "data" => event.data.push_str(value),
                        _ => continue,
                    }
                    fields += 1;
                }
                if fields > 0 {
                    return Some(event);
                }
                continue;
            }
            let left = deadline.checked_duration_since(Instant::now()).expect("an SSE event within 20 s");
            match tokio::time::timeout(left, self.response.chunk()).await.expect("an SSE event within 20 s") {
                Ok(Some(bytes)) => self.buffer.push_str(std::str::from_utf8(&bytes).unwrap()),
                Ok(None) | Err(_) => return None,
            }
        }
    }
}

const STEPS: u64 = 30;

fn progress_call(id: u64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": "progress", "arguments": {"steps": STEPS}, "_meta": {"progressToken": "p"}}})
}

pub(super) async fn open_stream(raw: &Raw, body: Value) -> Events {
    let response = raw
        .request(reqwest::Method::POST)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    Events::new(response)
}

pub(super) async fn resume(raw: &Raw, last_event_id: &str) -> reqwest::Response {
    let mut get = raw.request(reqwest::Method::GET).header("accept", "text/event-stream");
    get = get.header("last-event-id", last_event_id);
    get.send().await.unwrap()
}

/// What a client made of one answer: the progress values and responses it read, in order.
#[derive(Default)]
pub(super) struct Seen {
    pub(super) progress: Vec<u64>,
    pub(super) responses: Vec<Value>,
    pub(super) last_id: Option<String>,
}

impl Seen {
    pub(super) fn take(&mut self, event: &Event) {
        if let Some(id) = &event.id {
            self.last_id = Some(id.clone());
        }
        if event.data.is_empty() {
            return;
        }
        let message: Value = serde_json::from_str(&event.data).unwrap_or_else(|e| panic!("{e}: {event:?}"));
        if message["method"] == "notifications/progress" {
            self.progress.push(message["params"]["progress"].as_f64().unwrap() as u64);
        } else if message.get("id").is_some() {
            self.responses.push(message);
        }
    }
}

/// Calls `progress` through a proxy, cuts the connection after a few events, resumes with the
/// last event id it read: every event comes exactly once, and the record counts one resumption.
async fn cut_and_resume(gw: &Gateway, token: &str, server: &str) {
    let target = gateway_addr(gw);
    let proxy = CuttingProxy::start(target).await;
    let mut raw = Raw::new(&proxy.url(server), token);
    // The gateway serves its own Host only: the client names it, as a client of a real proxy would.
    let mut host = reqwest::header::HeaderMap::new();
    host.insert("host", target.to_string().parse().unwrap());
    raw.http = reqwest::Client::builder().default_headers(host).build().unwrap();
    raw.handshake("2025-11-25").await;
    let mut events = open_stream(&raw, progress_call(7)).await;

    // The priming event: an id, a retry time, no data.
    let priming = events.next().await.expect("a priming event");
    assert!(priming.data.is_empty() && priming.id.is_some(), "{priming:?}");
    assert!(priming.retry.is_some_and(|ms| ms > 0), "{priming:?}");
    let mut seen = Seen::default();
    seen.take(&priming);
    while seen.progress.len() < 3 {
        let event = events.next().await.expect("progress before the cut");
        assert!(event.id.is_some(), "every event of a resumable stream has an id: {event:?}");
        seen.take(&event);
    }
    proxy.cut();
    assert!(seen.responses.is_empty(), "the cut came before the answer");

    let last = seen.last_id.clone().unwrap();
    let response = resume(&raw, &last).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut events = Events::new(response);
    while let Some(event) = events.next().await {
        seen.take(&event);
    }
    assert_eq!(seen.progress, (1..=STEPS).collect::<Vec<_>>(), "every progress event exactly once");
    assert_eq!(seen.responses.len(), 1, "the answer exactly once");
    assert_eq!(seen.responses[0]["id"], 7);
    assert_eq!(seen.responses[0]["result"]["content"][0]["text"], "done");

    // One record for the call, which counts the resumption; the GET that resumed is a stream_open.
    let calls: Vec<Value> = logs(&gw.m, &["--type", "tool_call"]);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0]["tool"], "progress");
    assert_eq!(calls[0]["status"], "success");
    assert_eq!(calls[0]["resumed"], 1, "{:?}", calls[0]);
}

#[tokio::test]
async fn a_client_cut_off_mid_answer_resumes_and_gets_every_event_once_stdio() {
    let (gw, token) = with_stdio_fixture();
    cut_and_resume(&gw, &token, "fx").await;
}

#[tokio::test]
async fn a_client_cut_off_mid_answer_resumes_and_gets_every_event_once_http() {
    let (_upstream, gw, token) = with_http_fixture().await;
    cut_and_resume(&gw, &token, "remote").await;
}

#[tokio::test]
async fn a_stolen_last_event_id_gets_nothing() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "fx", "--name", "alice"]).trim().to_string();
    let other = m.ok(&["token", "create", "fx", "--name", "mallory"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let mut alice = Raw::new(&gw.url("fx"), &token);
    alice.handshake("2025-11-25").await;
    let mut events = open_stream(&alice, progress_call(1)).await;
    let mut seen = Seen::default();
    while seen.progress.is_empty() {
        seen.take(&events.next().await.expect("an event"));
    }
    let stolen = seen.last_id.clone().unwrap();

    // Another principal with alice's session and event id: the session is not theirs.
    let mut mallory = alice.clone();
    mallory.token = Some(other.clone());
    let r = resume(&mallory, &stolen).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!r.text().await.unwrap().contains("progress"));
    // With a session of their own: the id names no stream of it.
    let mut mallory = Raw::new(&gw.url("fx"), &other);
    mallory.handshake("2025-11-25").await;
    let r = resume(&mallory, &stolen).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(!r.text().await.unwrap().contains("progress"));
    // Nor do forged ones (other sequence numbers, other shapes).
    let (token_part, _) = stolen.split_once('-').unwrap();
    for forged in [format!("{token_part}-999999"), format!("{token_part}-x"), "x".repeat(400), String::new()] {
        let r = resume(&alice, &forged).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{forged:?}");
    }

    // Alice's own stream went on undisturbed.
    while let Some(event) = events.next().await {
        seen.take(&event);
    }
    assert_eq!(seen.progress, (1..=STEPS).collect::<Vec<_>>());
    assert_eq!(seen.responses.len(), 1);
    let calls = logs(&gw.m, &["--type", "tool_call"]);
    assert_eq!(calls.len(), 1);
    assert!(calls[0]["resumed"].is_null(), "{:?}", calls[0]);
}

#[tokio::test]
async fn older_clients_get_no_event_ids_or_priming() {
    let (gw, token) = with_stdio_fixture();
    let mut raw = Raw::new(&gw.url("fx"), &token);
    raw.handshake("2025-06-18").await;
    let mut events = open_stream(&raw, progress_call(1)).await;
    let mut seen = Seen::default();
    while let Some(event) = events.next().await {
        assert!(event.id.is_none() && event.retry.is_none() && !event.data.is_empty(), "{event:?}");
        seen.take(&event);
    }
    assert_eq!(seen.progress.len() as u64, STEPS);
    assert_eq!(seen.responses.len(), 1);
}
