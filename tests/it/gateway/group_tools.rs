//! Per-group tool visibility: `group grant GROUP SERVER --tools a,b` limits what the group's
//! members see in `tools/list` and may call, on a proxied server and on a composed one, and a
//! change reaches a connected client within a second.

use std::time::Duration;

use rmcp::model::CallToolRequestParams;
use serde_json::json;

use super::client::{TestClient, args, connect, text};
use super::harness::{Gateway, eventually, fixture_stdio};
use super::identity::{PASSWORD, user_token};
use crate::support::Mcpcp;

fn names(tools: &[rmcp::model::Tool]) -> Vec<String> {
    let mut n: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
    n.sort();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_granted_some_tools_sees_and_calls_only_those() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap(), "--auth", "password"]);
    m.ok(&["tool", "sync", "fx"]);
    m.ok(&["server", "create", "desk", "--composed", "--auth", "password"]);
    m.ok(&["server", "tool", "add", "desk", "--from", "fx:add", "--as", "plus"]);
    m.ok(&["server", "tool", "add", "desk", "--from", "fx:echo", "--as", "say"]);
    let r = m.run_stdin(&["user", "create", "ada", "--password-stdin"], PASSWORD);
    assert_eq!(r.code, 0, "{}", r.stderr);
    m.ok(&["group", "create", "support"]);
    m.ok(&["group", "add", "support", "ada"]);
    m.ok(&["group", "grant", "support", "fx", "--tools", "echo"]);
    m.ok(&["group", "grant", "support", "desk", "--tools", "plus"]);
    let gw = Gateway::start(m, &[]);

    // A proxied server: only `echo`; the others are unknown to this user.
    let fx = connect(&gw.url("fx"), &user_token(&gw, "fx", "ada").await, TestClient::default()).await.unwrap();
    assert_eq!(names(&fx.list_all_tools().await.unwrap()), ["echo"]);
    let echoed = fx.call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "hi"})))).await;
    assert_eq!(text(&echoed.unwrap()), "hi");
    let refused = fx.call_tool(CallToolRequestParams::new("add").with_arguments(args(json!({"a": 1, "b": 2})))).await;
    assert!(refused.unwrap_err().to_string().contains("Unknown tool: add"));

    // A composed server: only `plus`.
    let handler = TestClient::default();
    let desk = connect(&gw.url("desk"), &user_token(&gw, "desk", "ada").await, handler.clone()).await.unwrap();
    assert_eq!(names(&desk.list_all_tools().await.unwrap()), ["plus"]);
    let sum = desk.call_tool(CallToolRequestParams::new("plus").with_arguments(args(json!({"a": 1, "b": 2})))).await;
    assert_eq!(text(&sum.unwrap()), "3");
    let refused = desk.call_tool(CallToolRequestParams::new("say").with_arguments(args(json!({"text": "x"})))).await;
    assert!(refused.unwrap_err().to_string().contains("Unknown tool: say"));

    // Granting the whole server again shows the rest, and the client is told.
    gw.m.ok(&["group", "grant", "support", "desk"]);
    eventually("tools/list_changed", Duration::from_secs(1), || {
        let c = handler.tool_list_changed.clone();
        async move { *c.lock().unwrap() >= 1 }
    })
    .await;
    assert_eq!(names(&desk.list_all_tools().await.unwrap()), ["plus", "say"]);
    fx.cancel().await.unwrap();
    desk.cancel().await.unwrap();
}
