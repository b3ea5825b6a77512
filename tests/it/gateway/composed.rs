//! Composed servers end to end: a composed server made of tools from a stdio upstream and a
//! Streamable HTTP upstream shows only the picked tools, renamed and re-described; a fixed
//! argument reaches the upstream whatever the client sends; changes reach connected clients as
//! `notifications/tools/list_changed` within a second; a stopped source tool is refused.

use std::time::{Duration, Instant};

use rmcp::model::CallToolRequestParams;
use serde_json::json;

use super::client::{TestClient, args, connect, text};
use super::harness::{Gateway, HttpUpstream, eventually, fixture_stdio};
use crate::support::Mcpcp;

/// A gateway with the stdio fixture as `fx`, the HTTP fixture as `remote` (their tools
/// recorded), and the composed server `desk`: `plus` (`fx:add`, `a` fixed to 40) and `say`
/// (`remote:echo`). Returns it, a token for `desk`, and the upstream to keep alive.
async fn desk() -> (HttpUpstream, Gateway, String) {
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    m.ok(&["tool", "sync", "fx"]);
    m.ok(&["tool", "sync", "remote"]);
    m.ok(&["server", "create", "desk", "--composed"]);
    m.ok(&[
        "server",
        "tool",
        "add",
        "desk",
        "--from",
        "fx:add",
        "--as",
        "plus",
        "--description",
        "Adds to forty",
        "--set",
        "a=40",
    ]);
    m.ok(&["server", "tool", "add", "desk", "--from", "remote:echo", "--as", "say", "--description", "Says it back"]);
    let token = m.ok(&["token", "create", "desk"]).trim().to_string();
    (upstream, Gateway::start(m, &[]), token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_composed_server_offers_the_picked_tools_and_fixes_arguments() {
    let (_upstream, gw, token) = desk().await;
    let client = connect(&gw.url("desk"), &token, TestClient::default()).await.unwrap();
    let mut tools = client.list_all_tools().await.unwrap();
    tools.sort_by(|a, b| a.name.cmp(&b.name));
    let seen: Vec<(&str, &str)> =
        tools.iter().map(|t| (t.name.as_ref(), t.description.as_deref().unwrap_or_default())).collect();
    assert_eq!(seen, [("plus", "Adds to forty"), ("say", "Says it back")]);
    // The fixed argument is not in the schema the client sees.
    let plus = serde_json::Value::Object((*tools[0].input_schema).clone());
    let properties: Vec<&String> = plus["properties"].as_object().unwrap().keys().collect();
    assert_eq!(properties, ["b"], "{plus}");
    assert_eq!(plus["required"], json!(["b"]));

    let call = |name: &'static str, a: serde_json::Value| CallToolRequestParams::new(name).with_arguments(args(a));
    assert_eq!(text(&client.call_tool(call("plus", json!({"b": 2}))).await.unwrap()), "42");
    // A client's value for the fixed argument is replaced: the upstream gets 40.
    assert_eq!(text(&client.call_tool(call("plus", json!({"a": 1, "b": 2}))).await.unwrap()), "42");
    assert_eq!(text(&client.call_tool(call("say", json!({"text": "hello"}))).await.unwrap()), "hello");
    // The source servers' other tools are not the composed server's.
    let refused = client.call_tool(call("echo", json!({"text": "x"}))).await.unwrap_err().to_string();
    assert!(refused.contains("Unknown tool: echo"), "{refused}");

    // The calls are the composed server's, under the names its clients use.
    let records = super::activity::logs(&gw.m, &["--server", "desk", "--type", "tool_call"]);
    let mut names: Vec<&str> = records.iter().map(|r| r["tool"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["echo", "plus", "plus", "say"], "{records:?}");
    let plus = records.iter().find(|r| r["tool"] == "plus" && r["input"]["a"] == 1).unwrap();
    assert_eq!(plus["output"]["content"][0]["text"], "42");
    // Each record keeps the call it made to the source tool: what reached the upstream.
    assert_eq!(plus["origin"], "fx:add");
    let step = &plus["steps"][0];
    assert_eq!((step["target"].as_str(), step["connection"].as_str()), (Some("fx:add"), Some("none")));
    assert_eq!(step["input"], json!({"a": 40, "b": 2}), "{step}");
    assert_eq!((step["status"].as_str(), step["output"]["content"][0]["text"].as_str()), (Some("success"), Some("42")));
    assert!(step["duration_us"].as_u64().unwrap() > 0 && step["error"].is_null(), "{step}");
    assert_eq!(super::activity::logs(&gw.m, &["--origin", "fx:add"]).len(), 2);
    assert_eq!(super::activity::logs(&gw.m, &["--origin", "remote:echo"]).len(), 1);
    let shown = gw.m.ok(&["logs", "show", &plus["id"].to_string()]);
    assert!(shown.contains("steps (1):\n  1. fx:add  connection none  success  at "), "{shown}");
    assert!(shown.contains("\"a\": 40"), "{shown}");
    // A stopped source tool is left out of the list and refused, saying why.
    gw.m.ok(&["tool", "stop", "fx", "add"]);
    eventually("plus hidden", Duration::from_secs(1), || {
        let client = &client;
        async move { !client.list_all_tools().await.unwrap().iter().any(|t| t.name == "plus") }
    })
    .await;
    let refused = client.call_tool(call("plus", json!({"b": 2}))).await.unwrap_err().to_string();
    assert!(refused.contains("Tool plus is unavailable: its source tool fx:add is stopped"), "{refused}");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connected_clients_learn_of_an_added_tool_within_a_second() {
    let (_upstream, gw, token) = desk().await;
    let handler = TestClient::default();
    let client = connect(&gw.url("desk"), &token, handler.clone()).await.unwrap();
    assert_eq!(client.list_all_tools().await.unwrap().len(), 2);
    gw.m.ok(&["server", "tool", "add", "desk", "--from", "fx:echo"]);
    let added = Instant::now();
    let took = eventually("tools/list_changed", Duration::from_secs(1), || {
        let c = handler.tool_list_changed.clone();
        async move { *c.lock().unwrap() >= 1 }
    })
    .await;
    assert!(added.elapsed() <= Duration::from_secs(1), "list_changed after {took:?}");
    let tools = client.list_all_tools().await.unwrap();
    assert!(tools.iter().any(|t| t.name == "echo"), "{tools:?}");
    let r = client
        .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "composed"}))))
        .await
        .unwrap();
    assert_eq!(text(&r), "composed");
    gw.m.ok(&["server", "tool", "remove", "desk", "echo"]);
    eventually("a second list_changed", Duration::from_secs(1), || {
        let c = handler.tool_list_changed.clone();
        async move { *c.lock().unwrap() >= 2 }
    })
    .await;
    client.cancel().await.unwrap();
}

/// A source that fails mid-call: the client gets the failure, and the record's step says which
/// source failed and why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_source_shows_the_failing_step() {
    let (_upstream, gw, token) = desk().await;
    gw.m.ok(&["server", "tool", "add", "desk", "--from", "fx:crash", "--as", "boom"]);
    let client = connect(&gw.url("desk"), &token, TestClient::default()).await.unwrap();
    eventually("boom listed", Duration::from_secs(1), || {
        let client = &client;
        async move { client.list_all_tools().await.unwrap().iter().any(|t| t.name == "boom") }
    })
    .await;
    let said = client.call_tool(CallToolRequestParams::new("say").with_arguments(args(json!({"text": "hi"})))).await;
    assert!(said.is_ok(), "{said:?}");
    let failed = client.call_tool(CallToolRequestParams::new("boom")).await.unwrap_err().to_string();
    assert!(failed.contains("server \"fx\""), "{failed}");
    // `--step-status` tells the call whose step failed from the one whose step succeeded.
    let origins = |status: &str| -> Vec<String> {
        let found = super::activity::logs(&gw.m, &["--server", "desk", "--step-status", status]);
        found.iter().map(|r| r["origin"].as_str().unwrap_or_default().to_string()).collect()
    };
    assert_eq!(origins("error"), ["fx:crash"]);
    assert_eq!(origins("failure"), ["fx:crash"]);
    assert_eq!(origins("success"), ["remote:echo"]);
    let bad = gw.m.fails(&["logs", "tail", "--step-status", "broken"], 2);
    assert!(bad.contains("--step-status"), "{bad}");
    let records = super::activity::logs(&gw.m, &["--origin", "fx:crash"]);
    assert_eq!(records.len(), 1, "{records:?}");
    let (record, step) = (&records[0], &records[0]["steps"][0]);
    assert_eq!((record["status"].as_str(), record["fault"].as_str()), (Some("failure"), Some("upstream")));
    assert_eq!((step["target"].as_str(), step["status"].as_str()), (Some("fx:crash"), Some("failure")));
    assert!(step["error"].as_str().is_some_and(|e| !e.is_empty()), "{step}");
    let shown = gw.m.ok(&["logs", "show", &record["id"].to_string()]);
    assert!(shown.contains("1. fx:crash  connection none  failure") && shown.contains("error: "), "{shown}");
    client.cancel().await.unwrap();
}
