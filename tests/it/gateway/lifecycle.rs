//! The gateway process: first start, the data-directory lock, TLS rules, health endpoints,
//! graceful shutdown, and supervision of stdio upstreams (crash, restart, no zombies).

use std::time::Duration;

use reqwest::StatusCode;
use rmcp::model::CallToolRequestParams;
use serde_json::json;

use super::client::{TestClient, args, connect, text};
use super::harness::{Gateway, children_of, eventually, fixture_stdio, process_state, with_stdio_fixture};
use super::http::Raw;
use crate::support::Mcpcp;

#[test]
fn with_nothing_configured_it_says_what_to_do_next() {
    let gw = Gateway::start(Mcpcp::new(), &[]);
    crate::support::wait_for("the hint", Duration::from_secs(5), || gw.log().contains("no servers configured yet"));
    let out = gw.log();
    assert!(out.contains("mcpcp server create"), "{out}");
}

#[test]
fn one_gateway_per_data_directory() {
    let gw = Gateway::start(Mcpcp::new(), &[]);
    let err = gw.m.fails(&["serve", "--listen", "127.0.0.1:0"], 1);
    assert!(err.contains("another `mcpcp serve` is already running"), "{err}");
}

#[test]
fn plain_http_off_loopback_needs_an_explicit_override() {
    let m = Mcpcp::new();
    let r = m.run(&["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("refusing to serve plain HTTP on 0.0.0.0:0") && r.stderr.contains("--insecure-http"),
        "{}",
        r.stderr
    );
    let gw = Gateway::start(m, &["--listen", "0.0.0.0:0", "--insecure-http"]);
    assert!(gw.base.starts_with("http://0.0.0.0:"), "{}", gw.base);
}

#[tokio::test]
async fn self_signed_tls_serves_https_and_keeps_its_key_private() {
    use std::os::unix::fs::PermissionsExt;
    let gw = Gateway::start(Mcpcp::new(), &["--tls-self-signed"]);
    assert!(gw.base.starts_with("https://"), "{}", gw.base);
    let key = gw.m.data_dir().join("tls-key.pem");
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    let cert = reqwest::Certificate::from_pem(&std::fs::read(gw.m.data_dir().join("tls-cert.pem")).unwrap()).unwrap();
    let https = reqwest::Client::builder().add_root_certificate(cert).build().unwrap();
    let url = gw.base.replace("127.0.0.1", "localhost");
    let body = https.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(body.status(), StatusCode::OK);
    // Plain HTTP to the TLS port gets no answer.
    let plain = reqwest::Client::new().get(format!("{}/healthz", gw.base.replace("https", "http"))).send().await;
    assert!(plain.is_err() || plain.unwrap().status() != StatusCode::OK);
}

#[tokio::test]
async fn health_and_readiness() {
    let (gw, _) = with_stdio_fixture();
    let http = reqwest::Client::new();
    let h = http.get(format!("{}/healthz", gw.base)).send().await.unwrap();
    assert_eq!(h.status(), StatusCode::OK);
    let r: serde_json::Value = http.get(format!("{}/readyz", gw.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(r["status"], "ready");
    assert_eq!(r["servers"], 1);
    let nf = http.get(format!("{}/nope", gw.base)).send().await.unwrap();
    assert_eq!(nf.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_crash_mid_call_is_a_clean_error_and_the_child_is_restarted() {
    let (gw, token) = with_stdio_fixture();
    let client = connect(&gw.url("fx"), &token, TestClient::default()).await.unwrap();
    let before = children_of(gw.pid());
    assert_eq!(before.len(), 1, "one upstream process for the session: {before:?}");
    let crashed = client.call_tool(CallToolRequestParams::new("crash")).await;
    let err = crashed.expect_err("a crash is an error").to_string();
    assert!(err.contains("upstream"), "{err}");
    // A new child answers the next call; the old one is gone and not a zombie.
    let mut after = Vec::new();
    eventually("a restarted child", Duration::from_secs(5), || {
        let now = children_of(gw.pid());
        let fresh = now.iter().any(|p| !before.contains(p));
        after = now;
        async move { fresh }
    })
    .await;
    let r = client
        .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "alive"}))))
        .await
        .unwrap();
    assert_eq!(text(&r), "alive");
    assert!(
        process_state(before[0]).is_none(),
        "the crashed child {} is still there ({:?})",
        before[0],
        process_state(before[0])
    );
    assert!(after.iter().all(|p| process_state(*p) != Some('Z')), "zombies: {after:?}");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ending_a_session_stops_its_upstream_process() {
    let (gw, token) = with_stdio_fixture();
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-06-18").await;
    let children = children_of(gw.pid());
    assert_eq!(children.len(), 1);
    let d = c.send(c.request(reqwest::Method::DELETE)).await;
    assert_eq!(d.status, StatusCode::OK);
    eventually("the upstream process gone", Duration::from_secs(5), || async { process_state(children[0]).is_none() })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_calls_in_flight_finish_then_stops_upstreams() {
    let (mut gw, token) = with_stdio_fixture();
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-06-18").await;
    let children = children_of(gw.pid());
    let caller = c.clone();
    let call = tokio::spawn(async move {
        caller.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "sleep", "arguments": {"ms": 700}}})).await
    });
    // The call is in flight once the gateway counts it (`/readyz`).
    let ready = format!("{}/readyz", gw.base);
    super::harness::eventually("the call to be in flight", Duration::from_secs(5), || {
        let ready = ready.clone();
        async move {
            let r: serde_json::Value = reqwest::get(&ready).await.unwrap().json().await.unwrap();
            r["requests"] == 1
        }
    })
    .await;
    let stopper = tokio::task::spawn_blocking(move || {
        let code = gw.stop();
        (code, gw)
    });
    let answer = call.await.unwrap();
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["result"]["content"][0]["text"], "slept", "the call in flight finished: {}", answer.body);
    let (code, gw) = stopper.await.unwrap();
    assert_eq!(code, Some(0), "{}", gw.log());
    assert!(gw.log().contains("mcpcp stopped"));
    for p in children {
        assert!(process_state(p).is_none(), "upstream {p} outlived the gateway");
    }
}

#[test]
fn fixture_binary_exists() {
    assert!(fixture_stdio().exists());
}

#[test]
fn tool_sync_records_the_upstream_tools_once() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let report = m.json(&["tool", "sync", "fx"]);
    let added: Vec<&str> = report["added"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    for t in ["add", "echo", "progress", "sample"] {
        assert!(added.contains(&t), "{t} not in {added:?}");
    }
    assert!(!added.contains(&"dynamic"), "a hidden tool is not listed");
    let e = m.last_audit();
    assert_eq!(e["action"], "tool.sync");
    assert_eq!(e["resource"]["name"], "fx");
    assert_eq!(e["changes"]["tools"]["before"], json!([]));
    let tools = m.json(&["tool", "list", "fx"]);
    assert!(tools.as_array().unwrap().iter().all(|t| t["state"] == "started"), "new tools start offered");
    // A stopped tool stays stopped across syncs; an unchanged upstream writes nothing.
    m.ok(&["tool", "stop", "fx", "echo"]);
    let entries = m.audit().len();
    let again = m.ok(&["tool", "sync", "fx"]);
    assert!(again.contains("up to date"), "{again}");
    assert_eq!(m.audit().len(), entries, "no change, no audit entry");
    let echo =
        m.json(&["tool", "list", "fx"]).as_array().unwrap().iter().find(|t| t["name"] == "echo").cloned().unwrap();
    assert_eq!(echo["state"], "stopped");
    // Errors name the problem.
    let err = m.fails(&["tool", "sync", "nope"], 1);
    assert!(err.contains("no server named \"nope\""), "{err}");
    m.ok(&["server", "create", "broken", "--command", "/nonexistent/mcp-server"]);
    let err = m.fails(&["tool", "sync", "broken"], 1);
    assert!(err.contains("cannot list the tools of \"broken\"") && err.contains("/nonexistent/mcp-server"), "{err}");
}

/// Members of a process group (from /proc).
fn group_members(pgid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else { continue };
        let Some(after) = stat.rsplit_once(')').map(|(_, a)| a.to_string()) else { continue };
        let fields: Vec<&str> = after.split_whitespace().collect();
        if fields.get(2).and_then(|f| f.parse::<u32>().ok()) == Some(pgid) && fields.first() != Some(&"Z") {
            out.push(p);
        }
    }
    out
}

/// An upstream that leaves a child behind (a shell running the server, then `sleep`): stopping
/// the gateway stops the whole process group, not just the direct child.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_stops_whole_upstream_process_groups() {
    let m = Mcpcp::new();
    let command = format!("sh -c '{}; sleep 40'", fixture_stdio().display());
    m.ok(&["server", "create", "wrapped", "--command", &command]);
    let token = m.ok(&["token", "create", "wrapped"]).trim().to_string();
    let mut gw = Gateway::start(m, &[]);
    let mut c = Raw::new(&gw.url("wrapped"), &token);
    c.handshake("2025-06-18").await;
    let leader = children_of(gw.pid());
    assert_eq!(leader.len(), 1);
    assert!(group_members(leader[0]).len() >= 2, "the shell and the server share a group");
    let code = tokio::task::spawn_blocking(move || {
        let code = gw.stop();
        (code, gw)
    })
    .await
    .unwrap()
    .0;
    assert_eq!(code, Some(0));
    assert!(group_members(leader[0]).is_empty(), "left behind: {:?}", group_members(leader[0]));
}

/// A client that never ends its sessions cannot pile up upstream processes: a principal keeps at
/// most `sessions_per_principal` sessions on a server, and the least recently used one goes first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_principal_keeps_at_most_sessions_per_principal_on_a_server() {
    let m = Mcpcp::new().env("MCPCP_SESSIONS_PER_PRINCIPAL", "4");
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "fx", "--name", "a"]).trim().to_string();
    let other = m.ok(&["token", "create", "fx", "--name", "b"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let mut clients = Vec::new();
    for _ in 0..4 {
        let mut c = Raw::new(&gw.url("fx"), &token);
        c.handshake("2025-06-18").await;
        clients.push(c);
    }
    // Another principal's session does not count against a's.
    let mut b = Raw::new(&gw.url("fx"), &other);
    b.handshake("2025-06-18").await;
    // Use the first session again (a ping the gateway answers counts), so the second is now the
    // least recently used.
    let ping = json!({"jsonrpc": "2.0", "id": 7, "method": "ping"});
    assert_eq!(clients[0].post_json(ping.clone()).await.status, StatusCode::OK);
    let mut extra = Raw::new(&gw.url("fx"), &token);
    extra.handshake("2025-06-18").await;
    assert_eq!(clients[1].post_json(ping.clone()).await.status, StatusCode::NOT_FOUND, "the LRU session ended");
    for c in [&clients[0], &clients[2], &clients[3], &extra, &b] {
        assert_eq!(c.post_json(ping.clone()).await.status, StatusCode::OK);
    }
    // Its upstream process is gone: 4 stdio children for a, 1 for b.
    eventually("the ended session's process to exit", Duration::from_secs(10), || async {
        children_of(gw.pid()).len() == 5
    })
    .await;
    let ended = super::activity::logs(&gw.m, &["--type", "session_end"]);
    assert_eq!(ended.len(), 1, "{ended:?}");
    assert_eq!(ended[0]["input"]["reason"], "too many sessions for this principal");
    assert_eq!(ended[0]["principal"], "a");
}
