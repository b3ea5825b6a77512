//! Admin changes made with the CLI (another process) reach the running gateway within 1 s:
//! revoked tokens are refused and their streams closed, stopped tools vanish, new servers and
//! tokens work, disabled and deleted servers end their sessions.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::StatusCode;
use rmcp::model::CallToolRequestParams;
use serde_json::json;

use super::client::{TestClient, args, connect, text};
use super::harness::{eventually, fixture_stdio, with_stdio_fixture};
use super::http::Raw;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_a_token_refuses_it_and_closes_its_streams_within_a_second() {
    let (gw, token) = with_stdio_fixture();
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-06-18").await;
    // An open GET stream and a long call in flight.
    let stream = c.request(reqwest::Method::GET).header("accept", "text/event-stream").send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut events = stream.bytes_stream();
    let caller = c.clone();
    let slow = tokio::spawn(async move {
        caller.post_json(json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "sleep", "arguments": {"ms": 30000}}})).await
    });
    let revoked_at = Instant::now();
    let id = gw.m.json(&["token", "list"])[0]["id"].as_i64().unwrap().to_string();
    gw.m.ok(&["token", "revoke", &id]);
    // The GET stream ends.
    loop {
        match tokio::time::timeout(Duration::from_secs(2), events.next()).await {
            Ok(None) | Ok(Some(Err(_))) => break,
            Ok(Some(Ok(_))) => continue,
            Err(_) => panic!("the GET stream was still open 2 s after the revoke"),
        }
    }
    let closed_after = revoked_at.elapsed();
    assert!(closed_after <= Duration::from_millis(1000), "stream closed after {closed_after:?}");
    // The call in flight ends too, and the token is refused from now on.
    let answer = tokio::time::timeout(Duration::from_secs(2), slow).await.expect("in-flight call ended").unwrap();
    assert_ne!(answer.json().get("result").map(|r| r["content"][0]["text"].clone()), Some(json!("slept")));
    let a = c.post_json(json!({"jsonrpc": "2.0", "id": 6, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let mut fresh = Raw::new(&gw.url("fx"), &token);
    let a = fresh
        .post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    fresh.session = None;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_tool_disappears_and_is_refused_on_live_sessions() {
    let (gw, token) = with_stdio_fixture();
    let handler = TestClient::default();
    let client = connect(&gw.url("fx"), &token, handler.clone()).await.unwrap();
    // The first tools/list through the gateway records the upstream's tools.
    assert!(client.list_all_tools().await.unwrap().iter().any(|t| t.name == "echo"));
    eventually("tools recorded", Duration::from_secs(5), || async {
        gw.m.run(&["tool", "list", "fx"]).stdout.contains("echo")
    })
    .await;
    gw.m.ok(&["tool", "stop", "fx", "echo"]);
    let took = eventually("echo hidden", Duration::from_secs(1), || {
        let client = &client;
        async move { !client.list_all_tools().await.unwrap().iter().any(|t| t.name == "echo") }
    })
    .await;
    assert!(took <= Duration::from_secs(1));
    let refused = client.call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "x"})))).await;
    let err = refused.expect_err("a stopped tool is refused").to_string();
    assert!(err.contains("echo"), "{err}");
    // The client was told the list changed.
    eventually("tools/list_changed", Duration::from_secs(2), || {
        let c = handler.tool_list_changed.clone();
        async move { *c.lock().unwrap() >= 1 }
    })
    .await;
    gw.m.ok(&["tool", "start", "fx", "echo"]);
    eventually("echo back", Duration::from_secs(1), || {
        let client = &client;
        async move { client.list_all_tools().await.unwrap().iter().any(|t| t.name == "echo") }
    })
    .await;
    let ok = client
        .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "back"}))))
        .await
        .unwrap();
    assert_eq!(text(&ok), "back");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_and_tokens_created_while_running_work_within_a_second() {
    let (gw, _token) = with_stdio_fixture();
    gw.m.ok(&["server", "create", "later", "--command", fixture_stdio().to_str().unwrap()]);
    let token = gw.m.ok(&["token", "create", "later"]).trim().to_string();
    let created = Instant::now();
    let client = loop {
        match connect(&gw.url("later"), &token, TestClient::default()).await {
            Ok(c) => break c,
            Err(e) => {
                assert!(created.elapsed() < Duration::from_secs(1), "not reachable after 1 s: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    let r = client
        .call_tool(CallToolRequestParams::new("add").with_arguments(args(json!({"a": 1, "b": 1}))))
        .await
        .unwrap();
    assert_eq!(text(&r), "2");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_or_deleting_a_server_ends_its_sessions() {
    for change in [["server", "disable", "fx"], ["server", "delete", "fx"]] {
        let (gw, token) = with_stdio_fixture();
        let mut c = Raw::new(&gw.url("fx"), &token);
        c.handshake("2025-06-18").await;
        let session = c.session.clone().unwrap();
        gw.m.ok(&change);
        let started = Instant::now();
        loop {
            let a = c.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).await;
            if a.status != StatusCode::OK {
                assert!(
                    [StatusCode::SERVICE_UNAVAILABLE, StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND]
                        .contains(&a.status)
                );
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(1), "{change:?}: still served after 1 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if change[1] == "disable" {
            gw.m.ok(&["server", "enable", "fx"]);
            eventually("server enabled", Duration::from_secs(1), || {
                let c = &c;
                async move {
                    c.post_json(json!({"jsonrpc": "2.0", "id": 3, "method": "ping"})).await.status
                        == StatusCode::NOT_FOUND
                }
            })
            .await;
            assert!(!session.is_empty(), "the old session stays ended");
        }
    }
}

/// An upstream's `notifications/tools/list_changed` makes the gateway record the new tool list
/// (audited as the gateway itself).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_list_change_is_synced_into_the_state_database() {
    let (gw, token) = with_stdio_fixture();
    let client = connect(&gw.url("fx"), &token, TestClient::default()).await.unwrap();
    client.list_all_tools().await.unwrap();
    eventually("tools recorded", Duration::from_secs(5), || async {
        gw.m.run(&["tool", "list", "fx"]).stdout.contains("echo")
    })
    .await;
    let names = |m: &crate::support::Mcpcp| -> Vec<String> {
        m.json(&["tool", "list", "fx"])
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!names(&gw.m).contains(&"dynamic".to_string()));
    client.call_tool(CallToolRequestParams::new("add_tool")).await.unwrap();
    eventually("the new tool recorded", Duration::from_secs(5), || async {
        names(&gw.m).contains(&"dynamic".to_string())
    })
    .await;
    let sync = gw.m.audit().into_iter().rev().find(|e| e["action"] == "tool.sync").unwrap();
    assert_eq!(sync["actor"], json!({"kind": "system", "name": "gateway", "via": "gateway"}));
    assert!(sync["changes"]["tools"]["after"].as_array().unwrap().contains(&json!("dynamic")));
    client.cancel().await.unwrap();
}

/// A stopped tool stays stopped when a sync does not see it: what an upstream lists differs from
/// session to session (here the fixture's `dynamic`, listed only in the session that called
/// `add_tool`), and forgetting the tool would let that session call it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_tool_stays_stopped_when_a_sync_does_not_see_it() {
    let (gw, token) = with_stdio_fixture();
    let client = connect(&gw.url("fx"), &token, TestClient::default()).await.unwrap();
    client.call_tool(CallToolRequestParams::new("add_tool")).await.unwrap();
    eventually("dynamic recorded", Duration::from_secs(5), || async {
        gw.m.run(&["tool", "list", "fx"]).stdout.contains("dynamic")
    })
    .await;
    gw.m.ok(&["tool", "stop", "fx", "dynamic"]);
    let client = &client;
    let refused = || async move {
        let call = client.call_tool(CallToolRequestParams::new("dynamic")).await;
        call.is_err_and(|e| e.to_string().contains("stopped on this gateway"))
    };
    eventually("dynamic refused", Duration::from_secs(2), refused).await;
    // `tool sync` asks a fresh upstream process, which does not list `dynamic`.
    let report = gw.m.json(&["tool", "sync", "fx"]);
    assert_eq!(report["kept_stopped"], json!(["dynamic"]), "{report}");
    assert!(!report["removed"].as_array().unwrap().contains(&json!("dynamic")), "{report}");
    let state = gw.m.json(&["tool", "list", "fx"]);
    let dynamic = state.as_array().unwrap().iter().find(|t| t["name"] == "dynamic").cloned();
    assert_eq!(dynamic.map(|t| t["state"].clone()), Some(json!("stopped")), "{state}");
    assert!(refused().await, "the session that lists dynamic still cannot call it");
}

/// Sessions the gateway ends at shutdown (a legacy HTTP+SSE session, bound to its event stream)
/// are recorded before it exits; Streamable HTTP sessions are not ended but kept for the next
/// run (`restart.rs`), so they have no such record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_ended_at_shutdown_are_recorded() {
    let (mut gw, token) = with_stdio_fixture();
    let mut kept = Raw::new(&gw.url("fx"), &token);
    kept.handshake("2025-06-18").await;
    let http = reqwest::Client::new();
    let stream =
        http.get(format!("{}/sse", gw.url("fx"))).bearer_auth(&token).header("accept", "text/event-stream").send();
    let mut stream = stream.await.unwrap().bytes_stream();
    let mut seen = String::new();
    while !seen.contains("\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.unwrap().unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let endpoint = seen.lines().find_map(|l| l.strip_prefix("data: ")).unwrap().to_string();
    let legacy = endpoint.split("sessionId=").nth(1).unwrap().to_string();
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "old", "version": "1"}}});
    let posted = http
        .post(format!("{}{endpoint}", gw.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(init.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::ACCEPTED);
    while !seen.contains("\"id\":1") {
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.unwrap().unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let gw = tokio::task::spawn_blocking(move || {
        gw.stop();
        gw
    })
    .await
    .unwrap();
    let ends = super::activity::logs(&gw.m, &["--type", "session_end"]);
    assert_eq!(ends.len(), 1, "{ends:?}");
    assert_eq!(ends[0]["session_id"], legacy.as_str());
    assert_eq!(ends[0]["input"]["reason"], "gateway shutting down");
    assert_ne!(kept.session.as_deref(), Some(legacy.as_str()));
}
