//! Execution traces: every call's W3C trace context (a caller's `traceparent`, from the HTTP
//! header or `params._meta`, is continued; a malformed one starts a new trace and is noted),
//! the upstream gets the call's span as its parent, and the record keeps the call's steps, which
//! `logs show` draws as a waterfall and `logs tail --trace` finds.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::activity::logs;
use super::harness::{with_http_fixture, with_stdio_fixture};
use super::http::Raw;

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT: &str = "00f067aa0ba902b7";

/// `tools/call whoami` with `traceparent` (if given) as an HTTP header and `params` as given.
async fn whoami(c: &Raw, id: u64, traceparent: Option<&str>, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params});
    let mut r = c.request(reqwest::Method::POST).header("content-type", "application/json");
    if let Some(t) = traceparent {
        r = r.header("traceparent", t).header("tracestate", "vendor=opaque");
    }
    let response = r.body(body.to_string()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let json: Value = text
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .map_or_else(|| serde_json::from_str(&text).unwrap(), |d| serde_json::from_str(d).unwrap());
    json["result"]["structuredContent"].clone()
}

/// The steps of a record: (phase, start µs, duration µs, failed).
fn steps(record: &Value) -> Vec<(String, u64, u64, bool)> {
    record["spans"]
        .as_array()
        .unwrap_or_else(|| panic!("no spans in {record}"))
        .iter()
        .map(|s| {
            let failed = s.get(3).and_then(Value::as_str) == Some("failed");
            (s[0].as_str().unwrap().to_string(), s[1].as_u64().unwrap(), s[2].as_u64().unwrap(), failed)
        })
        .collect()
}

fn phases(record: &Value) -> Vec<String> {
    steps(record).into_iter().map(|s| s.0).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callers_trace_is_continued_to_the_upstream_and_kept_with_the_record() {
    let (_upstream, gw, token) = with_http_fixture().await;
    let mut c = Raw::new(&gw.url("remote"), &token);
    c.handshake("2025-06-18").await;
    // Once `initialized` has reached the upstream, requests take the direct way, which times
    // the answer's headers too.
    assert_eq!(c.post_json(json!({"jsonrpc": "2.0", "id": 9, "method": "tools/list"})).await.status, StatusCode::OK);

    // The HTTP header: the upstream gets the same trace, the call's span as parent.
    let seen = whoami(&c, 2, Some(&format!("00-{TRACE}-{PARENT}-01")), json!({"name": "whoami"})).await;
    let sent = seen["traceparent"].as_str().unwrap_or_else(|| panic!("no traceparent upstream: {seen}")).to_string();
    let parts: Vec<&str> = sent.split('-').collect();
    assert_eq!((parts[0], parts[1], parts[3]), ("00", TRACE, "01"), "{sent}");
    assert!(parts[2].len() == 16 && parts[2] != PARENT, "the call's own span: {sent}");
    let records = logs(&gw.m, &["--trace", TRACE]);
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0];
    assert_eq!((r["trace_origin"].as_str(), r["parent_span_id"].as_str()), (Some("continued"), Some(PARENT)));
    assert_eq!(r["span_id"], parts[2]);
    let names = phases(r);
    for phase in [
        "accept",
        "authenticate",
        "authorize",
        "limit",
        "route",
        "forward",
        "upstream.headers",
        "upstream.body",
        "record",
    ] {
        assert!(names.iter().any(|p| p == phase), "{phase} missing from {names:?}");
    }
    // The upstream's steps lie within `forward`, and every step within the call.
    let all = steps(r);
    let forward = all.iter().find(|s| s.0 == "forward").unwrap();
    for s in all.iter().filter(|s| s.0.starts_with("upstream.")) {
        assert!(s.1 >= forward.1 && s.1 + s.2 <= forward.1 + forward.2 + 1, "{s:?} outside {forward:?}");
    }
    let duration = r["duration_us"].as_u64().unwrap();
    assert!(all.iter().all(|s| s.1 + s.2 <= duration + 1 && !s.3), "{all:?} in {duration} µs");

    // `params._meta.traceparent` (2026-07-28) wins over the header.
    let other = "0af7651916cd43dd8448eb211c80319c";
    let meta = json!({"name": "whoami", "_meta": {"traceparent": format!("00-{other}-b7ad6b7169203331-00")}});
    let seen = whoami(&c, 3, Some(&format!("00-{TRACE}-{PARENT}-01")), meta).await;
    assert!(seen["traceparent"].as_str().unwrap().starts_with(&format!("00-{other}-")), "{seen}");
    assert!(seen["traceparent"].as_str().unwrap().ends_with("-00"), "sampled flag kept: {seen}");
    assert_eq!(logs(&gw.m, &["--trace", other])[0]["parent_span_id"], "b7ad6b7169203331");

    // A malformed traceparent is ignored: a new trace, and the record says why.
    let seen = whoami(&c, 4, Some("00-not-a-trace-01"), json!({"name": "whoami"})).await;
    let fresh = seen["traceparent"].as_str().unwrap().split('-').nth(1).unwrap().to_string();
    let r = &logs(&gw.m, &["--trace", &fresh])[0];
    assert_eq!((r["trace_origin"].as_str(), &r["parent_span_id"]), (Some("malformed"), &Value::Null));
    // No traceparent: a new trace, which the upstream joins.
    let seen = whoami(&c, 5, None, json!({"name": "whoami"})).await;
    let fresh = seen["traceparent"].as_str().unwrap().split('-').nth(1).unwrap().to_string();
    assert_eq!(logs(&gw.m, &["--trace", &fresh])[0]["trace_origin"], "new");

    // A refusal's trace ends at the step that refused it.
    let bad = Raw::new(&gw.url("remote"), "mcpcp_not_a_token");
    let a = bad.post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"})).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let refused = logs(&gw.m, &["--type", "auth_failure"]);
    let all = steps(refused.last().unwrap());
    assert_eq!(
        all.iter().map(|s| (s.0.as_str(), s.3)).collect::<Vec<_>>()[..2],
        [("accept", false), ("authenticate", true)]
    );

    // `logs tail --trace` needs a trace id.
    let r = gw.m.run(&["logs", "tail", "--trace", "xyz"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--trace"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_show_draws_a_calls_trace_as_a_waterfall() {
    for (stdio, server) in [(true, "fx"), (false, "remote")] {
        let (upstream, gw, token) = if stdio {
            let (gw, token) = with_stdio_fixture();
            (None, gw, token)
        } else {
            let (u, gw, token) = with_http_fixture().await;
            (Some(u), gw, token)
        };
        let mut c = Raw::new(&gw.url(server), &token);
        c.handshake("2025-06-18").await;
        assert_eq!(
            c.post_json(json!({"jsonrpc": "2.0", "id": 9, "method": "tools/list"})).await.status,
            StatusCode::OK
        );
        let a = c
            .post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "hi <b>"}}}))
            .await;
        assert_eq!(a.status, StatusCode::OK);
        let call = logs(&gw.m, &["--tool", "echo"]).pop().unwrap();
        let id = call["id"].as_i64().unwrap().to_string();
        let shown = gw.m.ok(&["logs", "show", &id]);
        for expected in ["tool:", "echo", "input:", "\"text\": \"hi <b>\"", "output:", "STEP", "forward", "record", "█"]
        {
            assert!(shown.contains(expected), "{expected:?} missing ({server}):\n{shown}");
        }
        assert_eq!(shown.contains("upstream.headers"), !stdio, "{server}:\n{shown}");
        let json: Value = serde_json::from_str(&gw.m.ok(&["-o", "json", "logs", "show", &id])).unwrap();
        assert_eq!(json["id"].as_i64(), call["id"].as_i64());
        assert!(json["spans"].as_array().is_some_and(|s| !s.is_empty()), "{json}");
        // The session's start shows the upstream handshake (a stdio server's process start in it).
        let start = logs(&gw.m, &["--type", "session_start"]).pop().unwrap();
        assert!(phases(&start).contains(&"upstream.handshake".to_string()), "{start}");
        let r = gw.m.run(&["logs", "show", "999999"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("no activity record with id 999999"), "{}", r.stderr);
        drop(upstream);
    }
}

/// Every upstream, stdio included, gets the call's trace context in `params._meta.traceparent`:
/// the call's span as parent, replacing the one the client sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_upstream_gets_the_trace_in_meta() {
    for stdio in [true, false] {
        let (upstream, gw, token, server) = if stdio {
            let (gw, token) = with_stdio_fixture();
            (None, gw, token, "fx")
        } else {
            let (u, gw, token) = with_http_fixture().await;
            (Some(u), gw, token, "remote")
        };
        let mut c = Raw::new(&gw.url(server), &token);
        c.handshake("2025-06-18").await;
        let params =
            json!({"name": "meta", "_meta": {"traceparent": format!("00-{TRACE}-{PARENT}-01"), "progressToken": 7}});
        let seen = whoami(&c, 2, None, params).await;
        let record =
            logs(&gw.m, &["--trace", TRACE]).pop().unwrap_or_else(|| panic!("no record of the trace ({server})"));
        let expected = format!("00-{TRACE}-{}-01", record["span_id"].as_str().unwrap());
        assert_eq!(seen["traceparent"], expected.as_str(), "{server}: {seen}");
        assert_eq!(seen["progressToken"], 7, "the client's other _meta members stay ({server}): {seen}");
        assert_eq!(record["parent_span_id"], PARENT);
        drop(upstream);
    }
}
