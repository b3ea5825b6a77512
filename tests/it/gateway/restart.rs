//! Sessions that survive a restart of the gateway: clients holding sessions on an HTTP upstream
//! and on a stdio upstream carry on with their old `Mcp-Session-Id` after `mcpcp serve` was
//! stopped (SIGTERM) or killed (SIGKILL) and started again; an HTTP upstream's session continues
//! where the upstream survived, and is started again transparently where it did not. A revoked
//! token's session is refused, another principal's stays 404, an id never issued is 404, and the
//! table holds only the hash of each session id.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use reqwest::StatusCode;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::harness::{Gateway, eventually, fixture_stdio};
use super::http::Raw;
use crate::fixture_server::FixtureServer;
use crate::support::Mcpcp;

/// What the HTTP upstream saw: the session ids it issued (in order), and those requests carried.
#[derive(Clone, Default)]
struct Seen {
    issued: Arc<Mutex<Vec<String>>>,
    carried: Arc<Mutex<HashSet<String>>>,
}

async fn record(
    State(seen): State<Seen>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Some(id) = request.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()) {
        seen.carried.lock().unwrap().insert(id.to_string());
    }
    let response = next.run(request).await;
    if let Some(id) = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()) {
        let mut issued = seen.issued.lock().unwrap();
        if !issued.iter().any(|i| i == id) {
            issued.push(id.to_string());
        }
    }
    response
}

/// The rmcp fixture over Streamable HTTP (stateful sessions), watched by [`record`]; stops (and
/// forgets its sessions) when dropped.
struct Upstream {
    addr: SocketAddr,
    shutdown: CancellationToken,
}

impl Upstream {
    /// Starts on `addr` (a port of its own if `None`; an address a stopped upstream held is
    /// retried until it is free).
    async fn start(addr: Option<SocketAddr>, seen: &Seen) -> Upstream {
        use rmcp::transport::{
            StreamableHttpServerConfig, StreamableHttpService,
            streamable_http_server::session::local::LocalSessionManager,
        };
        let wanted = addr.unwrap_or_else(|| "127.0.0.1:0".parse().unwrap());
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let listener = loop {
            match tokio::net::TcpListener::bind(wanted).await {
                Ok(l) => break l,
                Err(e) => assert!(std::time::Instant::now() < deadline, "cannot bind {wanted}: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let addr = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        let server = FixtureServer::new();
        let config = StreamableHttpServerConfig::default()
            .with_legacy_session_mode(true)
            .disable_allowed_hosts()
            .with_cancellation_token(shutdown.child_token());
        let service =
            StreamableHttpService::new(move || Ok(server.clone()), Arc::new(LocalSessionManager::default()), config);
        let app = axum::Router::new()
            .nest_service("/mcp", service)
            .layer(axum::middleware::from_fn_with_state(seen.clone(), record));
        let stop = shutdown.clone();
        tokio::spawn(async move {
            axum::serve(listener, app).with_graceful_shutdown(async move { stop.cancelled_owned().await }).await
        });
        Upstream { addr, shutdown }
    }

    fn url(&self) -> String {
        format!("http://{}/mcp", self.addr)
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The stored sessions: (id hash, every column as text).
fn stored(m: &Mcpcp) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(m.data_dir().join("activity.db")).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT id_hash, server_id || ' ' || principal || ' ' || protocol_version || ' ' || init || ' '
               || coalesce(hex(upstream_sealed), '') || ' ' || created_at || ' ' || last_used_at FROM sessions",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Waits until the table holds exactly the sessions of `clients` (by their ids' hashes).
async fn stored_exactly(m: &Mcpcp, clients: &[&Raw]) {
    let want: HashSet<String> = clients.iter().map(|c| sha256_hex(c.session.as_deref().unwrap())).collect();
    eventually("the sessions' table to hold exactly the live sessions", Duration::from_secs(10), || {
        let have: HashSet<String> = stored(m).into_iter().map(|(hash, _)| hash).collect();
        let want = want.clone();
        async move { have == want }
    })
    .await;
}

/// Calls `echo` on every client's session at once; every call must succeed.
async fn all_call(clients: &[Raw], round: u64) {
    let calls: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let c = c.clone();
            tokio::spawn(async move {
                let text = format!("client {i} round {round}");
                let a = c
                    .post_json(json!({"jsonrpc": "2.0", "id": 100 * round + i as u64, "method": "tools/call",
                        "params": {"name": "echo", "arguments": {"text": text}}}))
                    .await;
                assert_eq!(a.status, StatusCode::OK, "client {i} round {round}: {}", a.body);
                let answer = a.json();
                assert_eq!(answer["result"]["content"][0]["text"], text, "client {i} round {round}: {answer}");
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap();
    }
}

async fn client(gw: &Gateway, server: &str, token: &str) -> Raw {
    let mut c = Raw::new(&gw.url(server), token);
    c.handshake("2025-11-25").await;
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_survive_a_restart_a_kill_9_and_an_upstream_restart() {
    let seen = Seen::default();
    let upstream = Upstream::start(None, &seen).await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url()]);
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let remote = m.ok(&["token", "create", "remote"]).trim().to_string();
    let other = m.ok(&["token", "create", "remote", "--name", "other"]).trim().to_string();
    let doomed = m.ok(&["token", "create", "remote", "--name", "doomed"]).trim().to_string();
    let fx = m.ok(&["token", "create", "fx"]).trim().to_string();
    let mut gw = Gateway::start(m, &[]);
    // The next runs listen where this one does: clients keep their URL, as after a real restart.
    let listen = gw.base.trim_start_matches("http://").to_string();

    let mut clients = Vec::new();
    for _ in 0..20 {
        clients.push(client(&gw, "remote", &remote).await);
    }
    for _ in 0..20 {
        clients.push(client(&gw, "fx", &fx).await);
    }
    let revoked = client(&gw, "remote", &doomed).await;
    all_call(&clients, 1).await;

    // Stored: the hash of each session id, never the id; nor the upstream's session id in clear.
    let mut everyone: Vec<&Raw> = clients.iter().collect();
    everyone.push(&revoked);
    stored_exactly(&gw.m, &everyone).await;
    let upstream_sessions = seen.issued.lock().unwrap().clone();
    assert_eq!(upstream_sessions.len(), 21, "one upstream session per HTTP client");
    for (hash, columns) in stored(&gw.m) {
        for c in &everyone {
            let id = c.session.as_deref().unwrap();
            assert!(!hash.contains(id) && !columns.contains(id), "a session id is stored in clear");
        }
        for upstream_id in &upstream_sessions {
            let hex: String = upstream_id.bytes().map(|b| format!("{b:02X}")).collect();
            assert!(!columns.contains(upstream_id.as_str()) && !columns.contains(&hex), "upstream session id in clear");
        }
    }

    // 1. SIGTERM; meanwhile the doomed token is revoked.
    assert_eq!(gw.stop(), Some(0), "{}", gw.log());
    gw.m.ok(&["token", "revoke", "3"]); // the third token made: doomed
    gw.restart(&["--listen", &listen]);
    // Another principal naming a session of the previous run gets 404, and the session stays its
    // owner's.
    let mut thief = Raw::new(&gw.url("remote"), &other);
    thief.session = clients[0].session.clone();
    thief.version = clients[0].version.clone();
    let a = thief.post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    // An id never issued is 404.
    let mut stranger = Raw::new(&gw.url("remote"), &remote);
    stranger.session = Some("a".repeat(64));
    stranger.version = Some("2025-11-25".into());
    let a = stranger.post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    all_call(&clients, 2).await;
    // The revoked token's session is refused, and its row is gone.
    let a = revoked.post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
    let everyone: Vec<&Raw> = clients.iter().collect();
    stored_exactly(&gw.m, &everyone).await;
    // The HTTP sessions went on on their upstream sessions: none was started.
    assert_eq!(*seen.issued.lock().unwrap(), upstream_sessions, "an upstream session was started again");
    assert!(upstream_sessions.iter().all(|id| seen.carried.lock().unwrap().contains(id)));

    // 2. SIGKILL, with one session started just before (waited for in the table, as the writer
    // commits within milliseconds).
    clients.push(client(&gw, "fx", &fx).await);
    let everyone: Vec<&Raw> = clients.iter().collect();
    stored_exactly(&gw.m, &everyone).await;
    gw.kill_9();
    gw.restart(&["--listen", &listen]);
    all_call(&clients, 3).await;
    assert_eq!(*seen.issued.lock().unwrap(), upstream_sessions, "an upstream session was started again");

    // 3. The upstream restarts too and forgets its sessions: each HTTP session starts a new
    // upstream session with its client's initialize, and the client does not notice.
    assert_eq!(gw.stop(), Some(0), "{}", gw.log());
    let addr = upstream.addr;
    drop(upstream);
    let _upstream = Upstream::start(Some(addr), &seen).await;
    gw.restart(&["--listen", &listen]);
    all_call(&clients, 4).await;
    let issued = seen.issued.lock().unwrap().clone();
    assert_eq!(issued.len(), 41, "each HTTP client's session got one new upstream session: {issued:?}");
    all_call(&clients, 5).await;
    assert_eq!(seen.issued.lock().unwrap().len(), 41);
}

/// A composed server's session resumes too (the gateway answers it; its session with a source
/// server is opened again on the next call), and so does the session of a real MCP client (rmcp)
/// that simply goes on after the restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn composed_sessions_and_an_rmcp_client_resume() {
    use super::client::{TestClient, args, connect, text};
    use rmcp::model::CallToolRequestParams;
    let seen = Seen::default();
    let upstream = Upstream::start(None, &seen).await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    m.ok(&["server", "create", "remote", "--url", &upstream.url()]);
    m.ok(&["tool", "sync", "fx"]);
    m.ok(&["tool", "sync", "remote"]);
    m.ok(&["server", "create", "desk", "--composed"]);
    m.ok(&["server", "tool", "add", "desk", "--from", "fx:add", "--as", "plus", "--set", "a=40"]);
    m.ok(&["server", "tool", "add", "desk", "--from", "remote:echo", "--as", "say"]);
    let desk = m.ok(&["token", "create", "desk"]).trim().to_string();
    let remote = m.ok(&["token", "create", "remote"]).trim().to_string();
    let mut gw = Gateway::start(m, &[]);
    let listen = gw.base.trim_start_matches("http://").to_string();

    let composed = client(&gw, "desk", &desk).await;
    let call = |id: u64, name: &str, arguments: serde_json::Value| json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name, "arguments": arguments}});
    assert_eq!(composed.post_json(call(1, "plus", json!({"b": 2}))).await.json()["result"]["content"][0]["text"], "42");
    assert_eq!(
        composed.post_json(call(2, "say", json!({"text": "hi"}))).await.json()["result"]["content"][0]["text"],
        "hi"
    );
    let rmcp = connect(&gw.url("remote"), &remote, TestClient::default()).await.unwrap();
    let echo = |t: &str| CallToolRequestParams::new("echo").with_arguments(args(json!({"text": t})));
    assert_eq!(text(&rmcp.call_tool(echo("before")).await.unwrap()), "before");
    eventually("both sessions stored", Duration::from_secs(10), || {
        let n = stored(&gw.m).len();
        async move { n == 2 }
    })
    .await;
    // `tool sync`'s, the composed session's source session with `remote`, and rmcp's session.
    let before = seen.issued.lock().unwrap().len();
    assert_eq!(before, 3);

    assert_eq!(gw.stop(), Some(0), "{}", gw.log());
    gw.restart(&["--listen", &listen]);
    let listed = composed.post_json(json!({"jsonrpc": "2.0", "id": 3, "method": "tools/list"})).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let mut names: Vec<String> = listed.json()["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["plus", "say"]);
    assert_eq!(composed.post_json(call(4, "plus", json!({"b": 3}))).await.json()["result"]["content"][0]["text"], "43");
    assert_eq!(
        composed.post_json(call(5, "say", json!({"text": "ho"}))).await.json()["result"]["content"][0]["text"],
        "ho"
    );
    assert_eq!(text(&rmcp.call_tool(echo("after")).await.unwrap()), "after");
    // rmcp's upstream session went on; the composed session opened a new source session.
    assert_eq!(seen.issued.lock().unwrap().len(), before + 1, "{:?}", seen.issued.lock().unwrap());
    rmcp.cancel().await.unwrap();
}
