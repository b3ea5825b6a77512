//! The activity log as users see it through `mcpcp logs`: every field of a real client's call and
//! of a refused request, redaction, capture modes, truncation, filters, following, export, and
//! durability (records are committed before answers are released; kill -9 loses nothing).

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

use super::client::{TestClient, args, connect, text};
use super::harness::{Gateway, fixture_stdio, with_http_fixture, with_stdio_fixture};
use super::http::Raw;
use crate::support::Mcpcp;

/// `mcpcp -o json logs tail ARGS` as parsed NDJSON.
pub(super) fn logs(m: &Mcpcp, extra: &[&str]) -> Vec<Value> {
    let mut a = vec!["-o", "json", "logs", "tail"];
    if !extra.contains(&"-n") {
        a.extend_from_slice(&["-n", "100000"]);
    }
    a.extend_from_slice(extra);
    json_lines(&m.ok(&a))
}

/// The records of `logs -o json` output, one JSON object a line.
fn json_lines(stdout: &str) -> Vec<Value> {
    stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

/// The `text` argument of each record that has one (the `echo` calls), in order.
fn input_texts(records: &[Value]) -> Vec<String> {
    records.iter().filter_map(|e| e["input"]["text"].as_str().map(String::from)).collect()
}

/// Fails naming (up to five of) the `answered` calls whose text is not among `shown`.
fn assert_all_shown(answered: &[String], shown: &[String], where_: &str) {
    let shown: std::collections::HashSet<&String> = shown.iter().collect();
    let missing: Vec<&String> = answered.iter().filter(|t| !shown.contains(t)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} answered calls are not {where_}: {:?}",
        missing.len(),
        answered.len(),
        &missing[..missing.len().min(5)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_clients_tool_call_is_recorded_with_every_field() {
    let (gw, token) = with_stdio_fixture();
    let config = rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig::with_uri(gw.url("fx"))
        .auth_header(token.clone())
        .custom_headers(
            [(reqwest::header::USER_AGENT, reqwest::header::HeaderValue::from_static("it-agent/2.5"))].into(),
        );
    let transport = rmcp::transport::StreamableHttpClientTransport::from_config(config);
    let client = rmcp::ServiceExt::serve(TestClient::default(), transport).await.unwrap();
    let r = client
        .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "logged call"}))))
        .await
        .unwrap();
    assert_eq!(text(&r), "logged call");
    // The record was committed before the answer was released: no waiting needed.
    let calls = logs(&gw.m, &["--type", "tool_call"]);
    assert_eq!(calls.len(), 1, "{calls:?}");
    let e = &calls[0];
    assert_eq!(e["server"], "fx");
    assert_eq!(e["type"], "tool_call");
    assert_eq!(e["level"], "info");
    assert_eq!(e["principal"], "token-1");
    assert_eq!(e["auth_method"], "api_token");
    assert_eq!(e["source_ip"], "127.0.0.1");
    assert_eq!(e["user_agent"], "it-agent/2.5");
    assert_eq!(e["client_name"], "mcpcp-it");
    assert_eq!(e["client_version"], "1.0.0");
    assert_eq!(e["method"], "tools/call");
    assert_eq!(e["tool"], "echo");
    assert_eq!(e["input"], json!({"text": "logged call"}));
    assert_eq!(e["output"]["content"][0]["text"], "logged call");
    assert_eq!(e["output"]["structuredContent"], json!({"echo": "logged call"}));
    assert_eq!(e["output_truncated"], false);
    assert!(e["output_size"].as_i64().unwrap() > 20);
    assert_eq!(e["status"], "success");
    assert_eq!(e["http_status"], 200);
    assert_eq!(e["error_code"], Value::Null);
    assert!(e["duration_us"].as_i64().unwrap() > 0);
    let trace = e["trace_id"].as_str().unwrap();
    assert!(trace.len() == 32 && trace.bytes().all(|b| b.is_ascii_hexdigit()), "{trace}");
    let time = chrono::DateTime::parse_from_rfc3339(e["time"].as_str().unwrap()).unwrap();
    assert!((chrono::Utc::now() - time.with_timezone(&chrono::Utc)).num_seconds() < 60);
    assert!(
        e["time"].as_str().unwrap().ends_with('Z') && e["time"].as_str().unwrap().len() == 27,
        "µs precision: {}",
        e["time"]
    );
    // The session's start was recorded with the same session id.
    let starts = logs(&gw.m, &["--type", "session_start"]);
    assert_eq!(starts.len(), 1);
    assert_eq!(starts[0]["session_id"], e["session_id"]);
    assert_eq!(starts[0]["method"], "initialize");
    // A tool error result is a failure with its message.
    let missing = client.call_tool(CallToolRequestParams::new("json").with_arguments(args(json!({"value": 3})))).await;
    let _ = missing;
    let failures = logs(&gw.m, &["--status", "failure", "--type", "tool_call"]);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0]["level"], "warn");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_refused_request_is_recorded() {
    let (gw, _) = with_stdio_fixture();
    let mut c = Raw::new(&gw.url("fx"), "mcpcp_wrong");
    c.http = reqwest::Client::builder().user_agent("curl/8.0").build().unwrap();
    let a = c
        .post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let refused = logs(&gw.m, &["--type", "auth_failure"]);
    assert_eq!(refused.len(), 1, "{refused:?}");
    let e = &refused[0];
    assert_eq!(e["server"], "fx");
    assert_eq!(e["status"], "failure");
    assert_eq!(e["level"], "warn");
    assert_eq!(e["http_status"], 401);
    assert_eq!(e["error_code"], -32000);
    assert!(e["error_message"].as_str().unwrap().contains("Unauthorized"));
    assert_eq!(e["principal"], Value::Null);
    assert_eq!(e["source_ip"], "127.0.0.1");
    assert_eq!(e["user_agent"], "curl/8.0");
    assert_eq!(e["method"], Value::Null, "the body of an unauthenticated request is not read");
    // A forged Origin is recorded as denied.
    let a = c
        .send(
            c.request(reqwest::Method::POST)
                .header("origin", "http://evil.example")
                .header("content-type", "application/json")
                .body("{}"),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(logs(&gw.m, &["--type", "denied"]).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_redacted_at_any_depth_before_storage() {
    let (gw, token) = with_stdio_fixture();
    let client = connect(&gw.url("fx"), &token, TestClient::default()).await.unwrap();
    let value = json!({"user": "ada", "password": "hunter2", "nested": [{"API-Key": "k-123", "keep": 1}, {"deep": {"refresh_token": "rt-9"}}]});
    client.call_tool(CallToolRequestParams::new("json").with_arguments(args(json!({"value": value})))).await.unwrap();
    let e = logs(&gw.m, &["--tool", "json"]).pop().unwrap();
    let expected = json!({"user": "ada", "password": "[redacted]", "nested": [{"API-Key": "[redacted]", "keep": 1}, {"deep": {"refresh_token": "[redacted]"}}]});
    assert_eq!(e["input"]["value"], expected);
    assert_eq!(e["output"]["structuredContent"], expected);
    // Nowhere in the file.
    drop(client);
    let db = std::fs::read(gw.m.data_dir().join("activity.db")).unwrap();
    let wal = std::fs::read(gw.m.data_dir().join("activity.db-wal")).unwrap_or_default();
    for secret in ["hunter2", "k-123", "rt-9"] {
        assert!(
            !db.windows(secret.len()).chain(wal.windows(secret.len())).any(|w| w == secret.as_bytes()),
            "{secret} stored"
        );
    }
}

/// Redaction fails closed: a key written with a JSON escape is matched as it decodes, and
/// arguments nested too deeply to be inspected are stored as a marker, never in clear.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escaped_keys_and_uninspectable_arguments_are_never_stored_in_clear() {
    let (gw, token) = with_stdio_fixture();
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-06-18").await;
    let escaped = r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"json","arguments":{"value":{"pass\u0077ord":"hunter2-escaped","keep":1}}}}"#;
    let a = c.post(escaped).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    // Too deep for any JSON parser with serde_json's limit, the upstream's included: a `ping`,
    // which the gateway answers itself, carries it. A gateway that refuses such a message as it
    // parses it records no input at all; one that takes it records the marker, never the value.
    let deep = format!(
        r#"{{"jsonrpc":"2.0","id":8,"method":"ping","params":{{"password":"hunter2-deep","x":{}1{}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let _ = c.post(deep).await;
    let calls = logs(&gw.m, &["--tool", "json"]);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0]["input"]["value"], json!({"password": "[redacted]", "keep": 1}));
    for record in logs(&gw.m, &[]).iter().filter(|r| r["method"] == "ping" && r["input"] != Value::Null) {
        assert_eq!(record["input"], "[not inspected: too deep]", "{record}");
    }
    let table = gw.m.ok(&["logs", "tail"]);
    let export = gw.m.dir.path().join("export.ndjson");
    gw.m.ok(&["logs", "export", "--output-file", export.to_str().unwrap()]);
    let mut stored = std::fs::read(gw.m.data_dir().join("activity.db")).unwrap();
    stored.extend(std::fs::read(gw.m.data_dir().join("activity.db-wal")).unwrap_or_default());
    stored.extend(std::fs::read(&export).unwrap());
    stored.extend(table.as_bytes());
    for entry in std::fs::read_dir(gw.m.data_dir().join("activity-journal")).into_iter().flatten().flatten() {
        stored.extend(std::fs::read(entry.path()).unwrap_or_default());
    }
    for secret in ["hunter2-escaped", "hunter2-deep"] {
        assert!(!stored.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} stored");
    }
}

/// `logs tail` shows what clients sent with control characters escaped: a server name from the
/// path with a newline (`%0A`), an escape sequence (`%1B[8m`) and a bidi override cannot print
/// a forged row or hide the real one; `--output json` keeps it exact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_tail_escapes_what_clients_send() {
    let (gw, token) = with_stdio_fixture();
    let c = Raw::new(&format!("{}/mcp/fx%0Afake-row%1B[8m%E2%80%AE", gw.base), &token);
    let a = c.post("{}").await;
    assert!(a.status.is_client_error(), "{}", a.status);
    let name = "fx\nfake-row\u{1b}[8m\u{202e}";
    let records = logs(&gw.m, &[]);
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["server"], name, "JSON is exact");
    let table = gw.m.ok(&["logs", "tail"]);
    assert_eq!(table.lines().count(), 2, "a header and one row: {table}");
    assert!(table.contains(r"fx\nfake-row\x1b[8m\u{202e}"), "{table}");
    assert!(!table.contains('\u{1b}') && !table.contains('\u{202e}'), "{table:?}");
    // Filtering by the exact name still finds it.
    assert_eq!(logs(&gw.m, &["--server", name]).len(), 1);
    // An error line quoting such text stays one visible line too.
    let r = gw.m.run(&["logs", "export", "--output-file", "/nonexistent\u{1b}[8m\nforged/x.ndjson"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{:?}", r.stderr);
    assert!(r.stderr.starts_with(r"error: cannot create /nonexistent\x1b[8m\nforged/x.ndjson"), "{:?}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capture_modes_and_truncation() {
    let m = Mcpcp::new().env("MCPCP_MAX_OUTPUT_BYTES", "256");
    for (name, mode) in [("full", "full"), ("meta", "metadata"), ("quiet", "off")] {
        m.ok(&["server", "create", name, "--command", fixture_stdio().to_str().unwrap(), "--capture", mode]);
    }
    let tokens: Vec<String> =
        ["full", "meta", "quiet"].iter().map(|s| m.ok(&["token", "create", s]).trim().to_string()).collect();
    let gw = Gateway::start(m, &[]);
    let long = "x".repeat(2000);
    for (server, token) in ["full", "meta", "quiet"].iter().zip(&tokens) {
        let client = connect(&gw.url(server), token, TestClient::default()).await.unwrap();
        let r = client
            .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": long}))))
            .await
            .unwrap();
        assert_eq!(text(&r).len(), 2000, "the client gets the whole answer");
        client.cancel().await.unwrap();
    }
    let full = logs(&gw.m, &["--server", "full", "--type", "tool_call"]);
    assert_eq!(full.len(), 1);
    assert_eq!(full[0]["output_truncated"], true);
    let stored = full[0]["output"].as_str().expect("a truncated output is kept as text");
    assert!(stored.len() <= 256 && stored.starts_with("{\"content\""), "{stored}");
    assert!(full[0]["output_size"].as_i64().unwrap() > 4000, "the original size is kept");
    assert_eq!(full[0]["input"]["text"].as_str().unwrap().len(), 2000, "inputs are not truncated");
    let meta = logs(&gw.m, &["--server", "meta", "--type", "tool_call"]);
    assert_eq!(meta.len(), 1);
    assert_eq!(meta[0]["tool"], "echo");
    assert_eq!(meta[0]["input"], Value::Null);
    assert_eq!(meta[0]["output"], Value::Null);
    assert_eq!(meta[0]["output_size"], Value::Null);
    assert!(logs(&gw.m, &["--server", "quiet"]).is_empty(), "capture off records nothing");
    // Changing the mode is audited and applies to the running gateway.
    gw.m.ok(&["server", "capture", "quiet", "full"]);
    assert_eq!(gw.m.last_audit()["changes"], json!({"capture": {"before": "off", "after": "full"}}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_tail_filters_by_every_flag() {
    let (gw, token) = with_stdio_fixture();
    gw.m.ok(&["server", "create", "other", "--command", fixture_stdio().to_str().unwrap()]);
    let other_token = gw.m.ok(&["token", "create", "other", "--name", "other-ci"]).trim().to_string();
    let client = connect(&gw.url("fx"), &token, TestClient::default()).await.unwrap();
    client
        .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "a", "customer_id": 42}))))
        .await
        .unwrap();
    client.call_tool(CallToolRequestParams::new("add").with_arguments(args(json!({"a": 1, "b": 2})))).await.unwrap();
    let _ = client.call_tool(CallToolRequestParams::new("nope")).await;
    client.cancel().await.unwrap();
    let mut other = None;
    for _ in 0..50 {
        match connect(&gw.url("other"), &other_token, TestClient::default()).await {
            Ok(c) => {
                other = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    let other = other.expect("the new token works");
    other
        .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "b", "customer_id": 7}))))
        .await
        .unwrap();
    other.cancel().await.unwrap();
    let m = &gw.m;
    let tools = |a: &[&str]| -> Vec<String> {
        logs(m, a).iter().map(|e| e["tool"].as_str().unwrap_or("-").to_string()).collect()
    };
    assert_eq!(tools(&["--type", "tool_call"]), ["echo", "add", "nope", "echo"]);
    assert_eq!(tools(&["--type", "tool_call", "--server", "other"]), ["echo"]);
    assert_eq!(tools(&["--type", "tool_call", "--user", "other-ci"]), ["echo"]);
    assert_eq!(tools(&["--tool", "add"]), ["add"]);
    assert_eq!(tools(&["--type", "tool_call", "--status", "failure"]), ["nope"]);
    assert_eq!(tools(&["--type", "tool_call", "--level", "warn"]), ["nope"]);
    assert_eq!(tools(&["--where", "input.customer_id=42"]), ["echo"]);
    assert_eq!(tools(&["--where", "input.customer_id=7", "--server", "other"]), ["echo"]);
    assert_eq!(tools(&["--where", "output.content[0].text=a"]), ["echo"]);
    assert_eq!(tools(&["--where", "method=tools/call", "-n", "2"]), ["nope", "echo"]);
    assert_eq!(tools(&["--type", "tool_call", "--since", "1h"]).len(), 4);
    assert!(tools(&["--type", "tool_call", "--until", "1h"]).is_empty());
    assert!(tools(&["--since", "2000-01-01T00:00:00Z", "--until", "2000-01-02T00:00:00Z"]).is_empty());
    let trace = logs(m, &["--tool", "add"])[0]["trace_id"].as_str().unwrap().to_string();
    assert_eq!(tools(&["--where", &format!("trace_id={trace}")]), ["add"]);
    assert_eq!(tools(&["--where", "http_status=200", "--tool", "add"]), ["add"]);
    // Bad flags are usage errors naming the problem.
    let err = m.fails(&["logs", "tail", "--where", "nosuchfield=1"], 2);
    assert!(err.contains("unknown field \"nosuchfield\""), "{err}");
    let err = m.fails(&["logs", "tail", "--where", "novalue"], 2);
    assert!(err.contains("expected FIELD=VALUE"), "{err}");
    let err = m.fails(&["logs", "tail", "--since", "soon"], 2);
    assert!(err.contains("--since"), "{err}");
    // The table for people.
    let table = m.ok(&["logs", "tail", "--type", "tool_call"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("TIME") && lines[0].contains("PRINCIPAL") && lines[0].contains("DURATION"), "{table}");
    assert_eq!(lines.len(), 5, "{table}");
    assert!(lines[3].contains("nope") && lines[3].contains("failure"), "{table}");
    assert!(!table.contains('\u{1b}'), "no colour when not a terminal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_tail_follow_sees_calls_made_after_it_started() {
    let (gw, token) = with_stdio_fixture();
    let mut follower =
        gw.m.command(&["-o", "json", "logs", "tail", "-f", "-n", "0", "--type", "tool_call"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
    let stdout = follower.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The follower starts at the end of the log (-n 0), so it prints only calls made after it
    // started: call until it prints one (no fixed wait for it to get ready).
    let client = connect(&gw.url("fx"), &token, TestClient::default()).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut sent = Vec::new();
    let line = loop {
        assert!(std::time::Instant::now() < deadline, "the follower printed none of {} calls", sent.len());
        let text = format!("followed-{}", sent.len());
        client.call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": text})))).await.unwrap();
        sent.push(text);
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            break line;
        }
    };
    let e: Value = serde_json::from_str(&line).unwrap();
    assert!(sent.iter().any(|t| e["input"]["text"] == t.as_str()), "{line}");
    let _ = follower.kill();
    let _ = follower.wait();
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_export_writes_ndjson_and_csv() {
    let (gw, token) = with_stdio_fixture();
    let client = connect(&gw.url("fx"), &token, TestClient::default()).await.unwrap();
    for i in 0..5 {
        client
            .call_tool(
                CallToolRequestParams::new("echo").with_arguments(args(json!({"text": format!("row, \"{i}\"")}))),
            )
            .await
            .unwrap();
    }
    client.cancel().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let nd = dir.path().join("out.ndjson");
    let out = gw.m.ok(&["logs", "export", "--type", "tool_call", "--output-file", nd.to_str().unwrap()]);
    assert_eq!(out.trim(), format!("exported 5 records to {}", nd.display()));
    let rows: Vec<Value> =
        std::fs::read_to_string(&nd).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[4]["input"]["text"], "row, \"4\"");
    let csv = dir.path().join("out.csv");
    let report = gw.m.json(&[
        "logs",
        "export",
        "--type",
        "tool_call",
        "--format",
        "csv",
        "--output-file",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(report["records"], 5);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("id,time,server,type,level,principal"));
    assert_eq!(lines.count(), 5);
    assert!(text.contains("\"{\"\"text\"\":\"\"row, \\\"\"4\\\"\"\"\"}\""), "{text}");
}

/// kill -9 while clients call in a loop: every call a client saw answered is in the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_answered_call() {
    let (gw, token) = with_stdio_fixture();
    let mut clients = Vec::new();
    for _ in 0..4 {
        let mut c = Raw::new(&gw.url("fx"), &token);
        c.handshake("2025-06-18").await;
        clients.push(c);
    }
    let answered = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut loops = Vec::new();
    for (n, c) in clients.into_iter().enumerate() {
        let answered = answered.clone();
        loops.push(tokio::spawn(async move {
            for i in 0.. {
                let text = format!("k9-{n}-{i}");
                let call = json!({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": text}}});
                let Ok(response) = c.request(reqwest::Method::POST).header("content-type", "application/json").body(call.to_string()).send().await else {
                    return;
                };
                let Ok(body) = response.text().await else { return };
                if body.contains(&format!("\"text\":\"{text}\"")) {
                    answered.lock().unwrap().push(text);
                }
            }
        }));
    }
    // Let the calls run, then kill the gateway without warning.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while answered.lock().unwrap().len() < 200 {
        assert!(std::time::Instant::now() < deadline, "calls did not get going");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = std::process::Command::new("kill").args(["-KILL", &gw.pid().to_string()]).status().unwrap();
    assert!(status.success());
    for l in loops {
        let _ = tokio::time::timeout(Duration::from_secs(10), l).await;
    }
    let answered = answered.lock().unwrap().clone();
    assert_all_shown(&answered, &input_texts(&logs(&gw.m, &["--type", "tool_call"])), "in the log");
    eprintln!("kill -9: {} answered calls, all {} recorded", answered.len(), answered.len());
    let check: String = rusqlite::Connection::open(gw.m.data_dir().join("activity.db"))
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

/// `mcpcp logs` while calls keep coming: every call answered before it started is in what it
/// shows (records reach `activity.db` from the journal a few milliseconds after the answer, and
/// `logs` waits for them, but not for the calls answered meanwhile).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_shows_every_answered_call_while_calls_keep_coming() {
    let (_upstream, gw, token) = with_http_fixture().await;
    let answered = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut loops = Vec::new();
    for worker in 0..2 {
        let mut c = Raw::new(&gw.url("remote"), &token);
        let (answered, stop) = (answered.clone(), stop.clone());
        loops.push(tokio::spawn(async move {
            c.handshake("2025-06-18").await;
            for i in 0.. {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                let text = format!("busy-{worker}-{i}");
                echo(&c, i, &text).await;
                answered.lock().unwrap().push(text);
            }
        }));
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while answered.lock().unwrap().len() < 200 {
        assert!(std::time::Instant::now() < deadline, "calls did not get going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for _ in 0..3 {
        let before: Vec<String> = answered.lock().unwrap().clone();
        let mut command = gw.m.command(&["-o", "json", "logs", "tail", "-n", "1000000", "--type", "tool_call"]);
        let started = std::time::Instant::now();
        let run =
            crate::support::Run::from(tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap());
        let took = started.elapsed();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        assert!(took < Duration::from_secs(3), "logs took {took:?} while calls kept coming");
        assert_all_shown(&before, &input_texts(&json_lines(&run.stdout)), "shown");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for l in loops {
        l.await.unwrap();
    }
}

/// The record of an `echo` call of server `fx` with `text`, as the recorder appends it to the
/// journal.
fn echo_record(text: &str) -> mcpcp::store::activity::NewRow {
    mcpcp::store::activity::NewRow {
        time: mcpcp::store::timestamp(chrono::Utc::now()),
        server: Some("fx".into()),
        kind: "tool_call".into(),
        level: "info".into(),
        status: "success".into(),
        tool: Some("echo".into()),
        input: Some(json!({ "text": text }).to_string()),
        trace_id: text.into(),
        ..Default::default()
    }
}

/// While a gateway holds the data directory, `mcpcp logs` waits for the records already in the
/// journal to reach `activity.db` (the gateway's writer moves them) instead of leaving them out.
/// Here the test holds `serve.lock` and plays the writer, a second late.
#[test]
fn logs_waits_for_the_records_a_running_gateway_has_not_written_yet() {
    use mcpcp::observe::activity::write_journal;
    use mcpcp::observe::journal::{self, Journal};
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let lock = std::fs::File::create(m.data_dir().join("serve.lock")).unwrap();
    lock.lock().unwrap();
    let db_path = m.data_dir().join("activity.db");
    let (journal, _, _) = Journal::open(&journal::dir_of(&db_path), 0).unwrap();
    for text in ["late-1", "late-2"] {
        journal.append(Some(echo_record(text)), Vec::new(), |_| {}).unwrap();
    }
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        let mut db = mcpcp::store::Db::open(&db_path, mcpcp::store::Schema::Activity, Default::default()).unwrap();
        write_journal(&mut db).unwrap();
        drop(journal);
    });
    let run = m.run(&["-o", "json", "logs", "tail", "--type", "tool_call"]);
    writer.join().unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(input_texts(&json_lines(&run.stdout)), ["late-1", "late-2"]);
}

/// Records a killed gateway left in the activity journal (appended and answered, never
/// written into `activity.db`): `mcpcp logs` writes them itself when no gateway runs, and a
/// gateway started afterwards does not write them again.
#[test]
fn records_left_in_the_journal_are_read_after_a_crash_and_written_once() {
    use mcpcp::observe::journal::{self, Journal};
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let dir = journal::dir_of(&m.data_dir().join("activity.db"));
    let (journal, _, _) = Journal::open(&dir, 0).unwrap();
    for text in ["left-1", "left-2"] {
        journal.append(Some(echo_record(text)), Vec::new(), |_| {}).unwrap();
    }
    drop(journal);
    let texts = |m: &Mcpcp| -> Vec<String> { input_texts(&logs(m, &["--type", "tool_call"])) };
    assert_eq!(texts(&m), ["left-1", "left-2"]);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "the journal's segments were written and deleted");
    let mut gw = Gateway::start(m, &[]);
    gw.stop();
    assert_eq!(texts(&gw.m), ["left-1", "left-2"]);
}

/// Rows in `activity.db`'s two tables: (`activity`, `activity_recent`).
fn table_rows(m: &Mcpcp) -> (i64, i64) {
    let conn = rusqlite::Connection::open(m.data_dir().join("activity.db")).unwrap();
    let count = |table: &str| conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap();
    (count("activity"), count("activity_recent"))
}

/// One `echo` call with `text` on the client's session; the answer must carry the text.
async fn echo(c: &Raw, id: usize, text: &str) {
    let a = c
        .post_json(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": "echo", "arguments": {"text": text}}}))
        .await;
    assert!(a.body.contains(text), "{}", a.body);
}

/// `n` echo calls from 4 clients at once, the texts `fold-ROUND-CLIENT-I`.
async fn echo_calls(url: &str, token: &str, round: usize, n: usize) {
    let mut loops = Vec::new();
    for worker in 0..4 {
        let mut c = Raw::new(url, token);
        loops.push(tokio::spawn(async move {
            c.handshake("2025-06-18").await;
            for i in 0..n / 4 {
                echo(&c, i, &format!("fold-{round}-{worker}-{i}")).await;
            }
        }));
    }
    for l in loops {
        l.await.unwrap();
    }
}

/// New records land in an unindexed table and move into the indexed one about a thousand at a
/// time: under sustained calls (to a Streamable HTTP upstream, so calls take the direct way) both
/// moves happen, nothing is lost or doubled, ids keep increasing, and a restart continues them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_move_into_the_indexed_table_in_batches() {
    let (_upstream, mut gw, token) = with_http_fixture().await;
    echo_calls(&gw.url("remote"), &token, 0, 2600).await;
    // `logs` waits until the records in the journal are written; the tables are read after.
    let entries = logs(&gw.m, &["--type", "tool_call"]);
    let (indexed, recent) = table_rows(&gw.m);
    assert!(indexed >= 2048, "two moves of at least 1024 records each happened: {indexed} moved");
    assert!(recent < 2048, "at most a move's worth plus a batch waits: {recent}");
    assert_eq!(entries.len(), 2600, "every call once");
    let texts: std::collections::HashSet<&str> = entries.iter().filter_map(|e| e["input"]["text"].as_str()).collect();
    assert_eq!(texts.len(), 2600, "no call recorded twice");
    let all = logs(&gw.m, &[]);
    let mut ids: Vec<i64> = all.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "ids are unique across both tables");
    assert_eq!(indexed + recent, all.len() as i64);
    let last = *ids.last().unwrap();

    // After a restart the waiting records are still read, then moved; new ids continue.
    gw.restart(&[]);
    echo_calls(&gw.url("remote"), &token, 1, 4).await;
    let after = logs(&gw.m, &["--type", "tool_call", "--since", "1h"]);
    assert_eq!(after.len(), 2604);
    let new_ids: Vec<i64> = after
        .iter()
        .filter(|e| e["input"]["text"].as_str().is_some_and(|t| t.starts_with("fold-1-")))
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(new_ids.len(), 4);
    assert!(new_ids.iter().all(|id| *id > last), "{new_ids:?} continue after {last}");
    let dir = tempfile::tempdir().unwrap();
    let nd = dir.path().join("out.ndjson");
    gw.m.ok(&["logs", "export", "--since", "1h", "--type", "tool_call", "--output-file", nd.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&nd).unwrap().lines().count(), 2604, "an export reads both tables");
}

/// A full disk: calls get a clear error instead of being served unlogged, the database is not
/// damaged, and the gateway recovers by itself once space is freed. Needs root for the small
/// tmpfs (CI runs as root); elsewhere it says so and checks nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_calls_clearly_and_recovers() {
    use std::process::Command;
    let m = Mcpcp::new();
    let mount_point = m.data_dir();
    std::fs::create_dir_all(&mount_point).unwrap();
    let mounted =
        Command::new("mount").args(["-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs"]).arg(&mount_point).status();
    if !mounted.is_ok_and(|s| s.success()) {
        assert!(std::env::var_os("CI").is_none(), "CI must be able to mount a tmpfs (it runs as root)");
        eprintln!("skipped: cannot mount a tmpfs here (not root)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mount_point.clone());
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "fx"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-06-18").await;
    let call = |i: usize| json!({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "y".repeat(2000)}}});
    let a = c.post_json(call(1)).await;
    assert_eq!(a.status, StatusCode::OK);

    // Fill the file system.
    let filler = mount_point.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let mut small = [0u8; 512];
        while f.write_all(&small).is_ok() {
            small[0] = small[0].wrapping_add(1);
        }
    }
    // Calls now fail with a clear error (the log may hold a little room in its WAL first).
    let mut refused = None;
    for i in 2..400 {
        let a = c.post_json(call(i)).await;
        if a.status != StatusCode::OK {
            refused = Some(a);
            break;
        }
    }
    let refused = refused.expect("calls kept being served while the activity log could not grow");
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{}", refused.body);
    let message = refused.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("activity log unavailable") && message.contains("does not serve calls it cannot log"),
        "{message}"
    );
    assert!(message.contains("full") || message.contains("disk"), "{message}");
    // Later calls are refused up front, without reaching the upstream.
    let a = c.post_json(call(1000)).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);

    // Free the space: the gateway recovers by itself.
    std::fs::remove_file(&filler).unwrap();
    let mut recovered = false;
    for _ in 0..250 {
        if c.post_json(call(2000)).await.status == StatusCode::OK {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(recovered, "the gateway did not recover within 5 s of space being freed:\n{}", gw.log());
    let check: String = rusqlite::Connection::open(mount_point.join("activity.db"))
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert!(logs(&gw.m, &["--type", "tool_call"]).len() >= 2);
}

/// Records older than `activity.retention_days` are pruned (in small steps) while the gateway runs.
#[test]
fn old_records_are_pruned() {
    let m = Mcpcp::new().env("MCPCP_RETENTION_DAYS", "7");
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    // Three records: two far older than a week, one from yesterday.
    let conn = rusqlite::Connection::open(m.data_dir().join("activity.db")).unwrap();
    let yesterday = mcpcp::store::timestamp(chrono::Utc::now() - chrono::Duration::days(1));
    for (time, trace) in [
        ("2020-01-01T00:00:00.000000Z", "old-1"),
        ("2021-06-01T00:00:00.000000Z", "old-2"),
        (yesterday.as_str(), "recent"),
    ] {
        conn.execute(
            "INSERT INTO activity (time, type, level, duration_us, status, trace_id) VALUES (?1, 'tool_call', 'info', 1, 'success', ?2)",
            [time, trace],
        )
        .unwrap();
    }
    drop(conn);
    let _gw = Gateway::start(m, &[]);
    let count = |m: &Mcpcp| -> i64 {
        rusqlite::Connection::open(m.data_dir().join("activity.db"))
            .unwrap()
            .query_row("SELECT COUNT(*) FROM activity WHERE trace_id LIKE 'old-%'", [], |r| r.get(0))
            .unwrap()
    };
    crate::support::wait_for("old records pruned", Duration::from_secs(10), || count(&_gw.m) == 0);
    let kept: i64 = rusqlite::Connection::open(_gw.m.data_dir().join("activity.db"))
        .unwrap()
        .query_row("SELECT COUNT(*) FROM activity WHERE trace_id = 'recent'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1, "recent records stay");
}

/// The recorded source address: forwarding headers count only from a `trusted_proxies` peer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    for (trusted, want) in [(None, "127.0.0.1"), (Some("127.0.0.1/32"), "203.0.113.5")] {
        let mut m = Mcpcp::new();
        if let Some(t) = trusted {
            m = m.env("MCPCP_TRUSTED_PROXIES", t);
        }
        m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
        let gw = Gateway::start(m, &[]);
        let c = Raw::new(&gw.url("fx"), "mcpcp_wrong");
        let a = c
            .send(
                c.request(reqwest::Method::POST)
                    .header("x-forwarded-for", "10.9.9.9, 203.0.113.5")
                    .header("content-type", "application/json")
                    .body("{}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        let refused = logs(&gw.m, &["--type", "auth_failure"]);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(refused[0]["source_ip"], want, "trusted_proxies {trusted:?}");
    }
}

/// Per-server IP rules: refused with 403 for the server's own callers, with the 401 any server
/// gives an unauthenticated caller otherwise, and recorded as `ip_denied`; changes reach the
/// running gateway within a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ip_rules_refuse_before_authentication_and_apply_live() {
    let m = Mcpcp::new().env("MCPCP_TRUSTED_PROXIES", "127.0.0.2/32");
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "fx"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
    let port = url::Url::parse(&gw.base).unwrap().port().unwrap();
    // From 127.0.0.1 directly, and from 127.0.0.2 (a trusted proxy; all of 127/8 is loopback) on
    // behalf of 203.0.113.5.
    let direct = format!("http://127.0.0.1:{port}/mcp/fx");
    let via_proxy =
        reqwest::Client::builder().local_address("127.0.0.2".parse::<std::net::IpAddr>().ok()).build().unwrap();
    let status = |url: String, client: Option<reqwest::Client>, token: String, body: Value| async move {
        let c = client.unwrap_or_default();
        c.post(&url)
            .header("accept", "application/json, text/event-stream")
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(status(direct.clone(), None, token.clone(), init.clone()).await, StatusCode::OK);

    gw.m.ok(&["server", "ip", "fx", "deny", "127.0.0.1"]);
    let started = std::time::Instant::now();
    super::harness::eventually("the deny rule to apply", std::time::Duration::from_secs(1), || {
        let (d, t, i) = (direct.clone(), token.clone(), init.clone());
        async move { status(d, None, t, i).await == StatusCode::FORBIDDEN }
    })
    .await;
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    // A caller without a valid token learns nothing from the address rule: it gets exactly what
    // a server that does not exist answers (so names cannot be enumerated by address), while the
    // record keeps the true reason.
    let answer = |path: &'static str, token: &'static str| {
        let url = format!("http://127.0.0.1:{port}/mcp/{path}");
        let init = init.clone();
        async move {
            let r = reqwest::Client::new()
                .post(&url)
                .header("accept", "application/json, text/event-stream")
                .bearer_auth(token)
                .json(&init)
                .send()
                .await
                .unwrap();
            let challenge = r.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_string());
            (r.status(), challenge, r.text().await.unwrap())
        }
    };
    for token in ["mcpcp_wrong", ""] {
        let (restricted, unknown) = (answer("fx", token).await, answer("no-such-server", token).await);
        assert_eq!(restricted.0, StatusCode::UNAUTHORIZED, "{restricted:?}");
        assert_eq!(restricted, unknown, "token {token:?}");
    }
    // (The second anonymous refusal from the same address within a minute is counted into a
    // summary record, not recorded on its own: `observe::sampling`.)
    let denied = logs(&gw.m, &["--type", "ip_denied"]);
    assert!(denied.len() >= 2, "{denied:?}");
    let last = denied.last().unwrap();
    assert_eq!(last["source_ip"], "127.0.0.1");
    assert_eq!(last["http_status"], 401);
    assert!(last["error_message"].as_str().unwrap().contains("may not reach server"), "{last}");
    // With the server's own token the refusal says what it is.
    assert!(denied.iter().any(|d| d["http_status"] == 403), "{denied:?}");

    // Allow-only: 10.0.0.0/8 admits neither 127.0.0.1 nor a client forwarded as 203.0.113.5.
    gw.m.ok(&["server", "ip", "fx", "remove", "127.0.0.1"]);
    gw.m.ok(&["server", "ip", "fx", "allow", "203.0.113.0/24"]);
    super::harness::eventually("the allow list to apply", std::time::Duration::from_secs(1), || {
        let (d, t, i) = (direct.clone(), token.clone(), init.clone());
        async move { status(d, None, t, i).await == StatusCode::FORBIDDEN }
    })
    .await;
    // The trusted proxy forwards a client inside the allowed range: admitted.
    let proxied = format!("http://127.0.0.1:{port}/mcp/fx");
    let r = via_proxy
        .post(&proxied)
        .header("accept", "application/json, text/event-stream")
        .header("x-forwarded-for", "203.0.113.5")
        .bearer_auth(&token)
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The same header from an untrusted peer is ignored.
    let r = reqwest::Client::new()
        .post(&proxied)
        .header("accept", "application/json, text/event-stream")
        .header("x-forwarded-for", "203.0.113.5")
        .bearer_auth(&token)
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
