//! Hostile input at the gateway: what a client or an upstream can make it hold (connections,
//! batches, log records) is bounded, and a misbehaving upstream is answered for at once.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::Gateway;
use super::http::Raw;
use crate::support::Mcpcp;

/// An upstream speaking Streamable HTTP that accepts the handshake, then answers every other
/// request with `status` and a plain-text body (no JSON-RPC), as a proxy or a WAF in front of a
/// real server does; with `null_id`, a JSON-RPC error whose id is null (answering no request).
/// Returns its URL.
async fn refusing_upstream(status: u16, null_id: bool) -> String {
    use axum::routing::post;
    let app = axum::Router::new().route(
        "/mcp",
        post(move |body: String| async move {
            let message: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let status = axum::http::StatusCode::from_u16(status).unwrap();
            match message["method"].as_str() {
                Some("initialize") => (
                    axum::http::StatusCode::OK,
                    [("content-type", "application/json")],
                    json!({"jsonrpc": "2.0", "id": message["id"], "result": {"protocolVersion": "2025-06-18",
                        "capabilities": {"tools": {}}, "serverInfo": {"name": "refusing", "version": "1"}}})
                    .to_string(),
                ),
                _ if message.get("id").is_none() => {
                    (axum::http::StatusCode::ACCEPTED, [("content-type", "text/plain")], String::new())
                }
                _ if null_id => (
                    status,
                    [("content-type", "application/json")],
                    json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32600, "message": "bad"}}).to_string(),
                ),
                _ => (status, [("content-type", "text/plain")], "no\n".to_string()),
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/mcp")
}

/// An upstream that refuses a request with an HTTP error and no JSON-RPC body (or one answering
/// no request: id null): the client gets a JSON-RPC error at once naming the server and the
/// status (not the upstream's URL), instead of waiting for the request timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_http_error_without_a_body_is_answered_at_once() {
    let m = Mcpcp::new();
    let cases = [("forbid", 403u16, false), ("broken", 502, false), ("nullid", 400, true)];
    for (name, status, null_id) in cases {
        m.ok(&["server", "create", name, "--url", &refusing_upstream(status, null_id).await]);
    }
    let tokens: Vec<String> = cases.iter().map(|(s, ..)| m.ok(&["token", "create", s]).trim().to_string()).collect();
    let gw = Gateway::start(m, &[]);
    for ((server, status, _), token) in cases.into_iter().zip(&tokens) {
        let mut c = Raw::new(&gw.url(server), token);
        c.handshake("2025-06-18").await;
        let started = Instant::now();
        let a = c
            .post_json(
                json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "x", "arguments": {}}}),
            )
            .await;
        assert!(started.elapsed() < Duration::from_secs(5), "answered after {:?}", started.elapsed());
        let answer = a.json();
        assert_eq!(answer["id"], 7, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap_or_else(|| panic!("an error: {answer}"));
        assert!(message.contains("refused") && message.contains(&status.to_string()), "{message}");
        assert!(message.contains(server), "{message}");
        assert!(!message.contains("127.0.0.1"), "the upstream's address is not told: {message}");
        assert_eq!(answer["error"]["data"]["upstream_status"], status, "{answer}");
    }
}

/// An upstream whose `tools/call` takes 50 ms, counting how many calls it has at once (the
/// highest count is kept). Returns its URL and the highest count.
async fn counting_upstream() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use axum::routing::post;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let seen = most.clone();
    let app = axum::Router::new().route(
        "/mcp",
        post(move |body: String| {
            let (now, most) = (now.clone(), most.clone());
            async move {
                let message: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let result = match message["method"].as_str() {
                    Some("initialize") => json!({"protocolVersion": "2025-03-26", "capabilities": {"tools": {}},
                        "serverInfo": {"name": "counting", "version": "1"}}),
                    Some("tools/call") => {
                        let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(at_once, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        json!({"content": [{"type": "text", "text": "done"}]})
                    }
                    _ if message.get("id").is_none() => {
                        return (axum::http::StatusCode::ACCEPTED, [("content-type", "text/plain")], String::new());
                    }
                    _ => json!({}),
                };
                let answer = json!({"jsonrpc": "2.0", "id": message["id"], "result": result});
                (axum::http::StatusCode::OK, [("content-type", "application/json")], answer.to_string())
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/mcp"), seen)
}

/// A batch larger than the bound is refused whole with a JSON-RPC error and reaches no upstream;
/// a batch within it is forwarded a few calls at a time (never all at once), answered in order,
/// and each of its calls passes the server's rate limit on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_are_bounded_in_size_and_fan_out() {
    use std::sync::atomic::Ordering;
    let (url, most) = counting_upstream().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "up", "--url", &url]);
    m.ok(&["server", "limits", "up", "--rate", "12/1h", "--burst", "12"]);
    let token = m.ok(&["token", "create", "up"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let mut c = Raw::new(&gw.url("up"), &token);
    c.handshake("2025-03-26").await;
    let call = |id: usize| json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "t", "arguments": {}}});

    let a = c.post_json(Value::Array((0..3000).map(call).collect())).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert_eq!(a.json()["error"]["code"], -32600, "{}", a.body);
    assert!(a.body.contains("at most 100"), "{}", a.body);
    assert_eq!(most.load(Ordering::SeqCst), 0, "nothing of the refused batch went upstream");

    let a = c.post_json(Value::Array((0..40).map(call).collect())).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let answers = a.messages();
    assert_eq!(answers.len(), 40);
    assert!(answers.iter().enumerate().all(|(i, m)| m["id"] == i), "in order: {answers:?}");
    let done = answers.iter().filter(|m| m["result"]["content"][0]["text"] == "done").count();
    let limited =
        answers.iter().filter(|m| m["error"]["message"].as_str().is_some_and(|t| t.contains("Rate limit"))).count();
    assert_eq!((done, limited), (12, 28), "{answers:?}");
    let at_once = most.load(Ordering::SeqCst);
    assert!((2..=8).contains(&at_once), "calls upstream at once: {at_once}");
}

/// Bytes in every file under `dir`.
fn bytes_under(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| if e.file_type().unwrap().is_dir() { bytes_under(&e.path()) } else { e.metadata().unwrap().len() })
        .sum()
}

/// An anonymous client cannot fill the disk through the activity log: 2,000 refused requests
/// with 30 KB server names and user agents become one record with capped fields, plus one
/// summary counting the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_refusals_cost_the_log_a_bounded_amount() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "real", "--url", "http://127.0.0.1:9/mcp"]);
    let mut gw = Gateway::start(m, &[]);
    let before = bytes_under(&gw.m.data_dir());
    let http = reqwest::Client::builder().user_agent("u".repeat(30_000)).build().unwrap();
    let sent = futures_util::future::join_all((0..8).map(|task| {
        let (http, base) = (http.clone(), gw.base.clone());
        async move {
            let mut refused = 0;
            for i in 0..250 {
                let name = format!("{task}-{i}-{}", "n".repeat(30_000));
                let r = http.post(format!("{base}/mcp/{name}")).body("{}").send().await.unwrap();
                refused += usize::from(r.status() == StatusCode::UNAUTHORIZED);
            }
            refused
        }
    }))
    .await;
    assert_eq!(sent.iter().sum::<usize>(), 2000);
    let records = super::activity::logs(&gw.m, &[]);
    assert_eq!(records.len(), 1, "one record for the first refusal: {}", records.len());
    let first = &records[0];
    assert_eq!(first["type"], "auth_failure");
    assert!(first["server"].as_str().unwrap().len() <= 140, "server name capped");
    assert!(first["user_agent"].as_str().unwrap().len() <= 270, "user agent capped");
    gw.stop();
    let records = super::activity::logs(&gw.m, &[]);
    assert_eq!(records.len(), 2, "{records:?}");
    let summary = &records[1];
    assert_eq!(summary["input"]["suppressed"], 1999, "{summary}");
    assert!(summary["error_message"].as_str().unwrap().starts_with("1999 more refusals"), "{summary}");
    let grown = bytes_under(&gw.m.data_dir()).saturating_sub(before);
    assert!(grown < 512 * 1024, "the data directory grew by {grown} bytes");
}

/// RSS of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// 2,000 slowloris connections (a header line every second, never a whole request head) from
/// eight addresses against a gateway that holds at most 500: a client calling all the while is
/// served every time, `/healthz` answers on new connections, the gateway's memory stays bounded,
/// and the slow connections are closed after the header timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowloris_connections_cannot_crowd_out_clients() {
    use tokio::io::AsyncWriteExt;
    let m = Mcpcp::new().env("MCPCP_MAX_CONNECTIONS", "500");
    m.ok(&["server", "create", "fx", "--command", super::harness::fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "fx"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let addr: std::net::SocketAddr = gw.base.trim_start_matches("http://").parse().unwrap();
    let mut client = Raw::new(&gw.url("fx"), &token);
    client.handshake("2025-06-18").await;
    let rss_before = rss_kib(gw.pid());

    let stop = tokio_util::sync::CancellationToken::new();
    let mut attackers = Vec::new();
    for i in 0..2000u32 {
        let source = std::net::SocketAddr::from(([127, 0, 0, 2 + (i % 8) as u8], 0));
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(source).unwrap();
        let Ok(mut conn) = socket.connect(addr).await else { continue };
        let stop = stop.clone();
        attackers.push(tokio::spawn(async move {
            if conn.write_all(format!("POST /mcp/fx HTTP/1.1\r\nHost: {addr}\r\n").as_bytes()).await.is_err() {
                return;
            }
            for n in 0.. {
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                if conn.write_all(format!("x-slow-{n}: 1\r\n").as_bytes()).await.is_err() {
                    return;
                }
            }
        }));
    }

    // The client keeps calling for 5 s (MCPCP_SLOWLORIS_SECS: the long run of
    // tests/reliability/run.sh), and a new connection asks /healthz each round.
    let seconds = std::env::var("MCPCP_SLOWLORIS_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let started = Instant::now();
    let (mut calls, mut health) = (0, 0);
    while started.elapsed() < Duration::from_secs(seconds) {
        let a = client
            .post_json(json!({"jsonrpc": "2.0", "id": calls, "method": "tools/call",
            "params": {"name": "echo", "arguments": {"text": "still here"}}}))
            .await;
        assert_eq!(a.status, StatusCode::OK, "call {calls}: {}", a.body);
        assert_eq!(a.json()["result"]["content"][0]["text"], "still here");
        calls += 1;
        let fresh = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        let r = tokio::time::timeout(Duration::from_secs(5), fresh.get(format!("{}/healthz", gw.base)).send()).await;
        assert!(matches!(&r, Ok(Ok(r)) if r.status() == StatusCode::OK), "healthz {health}: {r:?}");
        health += 1;
    }
    assert!(calls > 20 && health > 20, "{calls} calls, {health} health checks");
    let ready: Value = reqwest::get(format!("{}/readyz", gw.base)).await.unwrap().json().await.unwrap();
    assert!(ready["connections"].as_u64().unwrap() <= 500, "{ready}");
    let rss_during = rss_kib(gw.pid());
    assert!(rss_during < rss_before + 64 * 1024, "RSS grew from {rss_before} KiB to {rss_during} KiB");
    eprintln!("slowloris: {calls} calls and {health} health checks served; RSS {rss_before} -> {rss_during} KiB");

    // No slow connection outlives the header timeout (10 s from its accept).
    super::harness::eventually("the slow connections to be closed", Duration::from_secs(15), || {
        let base = gw.base.clone();
        async move {
            let ready: Value = reqwest::get(format!("{base}/readyz")).await.unwrap().json().await.unwrap();
            ready["connections"].as_u64().unwrap() <= 3
        }
    })
    .await;
    stop.cancel();
    for a in attackers {
        let _ = a.await;
    }
}

/// Every endpoint that takes a body refuses one over its limit (413) without reading it into
/// memory, and answers quickly; the gateway's memory does not grow by the bodies sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused_on_every_endpoint() {
    let (gw, token) = super::harness::with_stdio_fixture();
    let rss_before = rss_kib(gw.pid());
    let big = bytes::Bytes::from(vec![b'{'; 12 * 1024 * 1024]);
    let http = reqwest::Client::new();
    for path in [
        "/mcp/fx",
        "/mcp/fx/messages?sessionId=x",
        "/register",
        "/authorize/login",
        "/authorize/consent",
        "/token",
        "/revoke",
    ] {
        for _ in 0..3 {
            let started = Instant::now();
            let r = http
                .post(format!("{}{path}", gw.base))
                .bearer_auth(&token)
                .header(
                    "content-type",
                    if path.starts_with("/mcp") || path == "/register" {
                        "application/json"
                    } else {
                        "application/x-www-form-urlencoded"
                    },
                )
                .header("accept", "application/json, text/event-stream")
                .body(big.clone())
                .send()
                .await;
            // A server may answer 413 and close before the whole body is sent, which the client
            // can see as a broken pipe: either way it must not be accepted.
            if let Ok(r) = r {
                assert!(
                    r.status() == StatusCode::PAYLOAD_TOO_LARGE || r.status() == StatusCode::BAD_REQUEST,
                    "{path}: {}",
                    r.status()
                );
            }
            assert!(started.elapsed() < Duration::from_secs(10), "{path} took {:?}", started.elapsed());
        }
    }
    let rss_after = rss_kib(gw.pid());
    assert!(rss_after < rss_before + 32 * 1024, "RSS grew from {rss_before} KiB to {rss_after} KiB");
}

/// JSON nested far deeper than any parser's recursion limit, in a message and in a batch, is a
/// parse error for the client, not a crash of the gateway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_json_is_refused_and_the_gateway_keeps_serving() {
    let (gw, token) = super::harness::with_stdio_fixture();
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-03-26").await;
    let deep = format!("{}1{}", "[".repeat(200_000), "]".repeat(200_000));
    let args = format!("{}{}", "{\"a\":".repeat(100_000), "1".to_string() + &"}".repeat(100_000));
    for body in [
        deep.clone(),
        format!(
            "{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"echo\",\"arguments\":{args}}}}}"
        ),
        format!("[{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{deep}}}]"),
    ] {
        let started = Instant::now();
        let a = c.post(body).await;
        assert!(started.elapsed() < Duration::from_secs(5), "answered after {:?}", started.elapsed());
        let refused = |m: &Value| m["error"]["code"] == -32700 && m["error"]["message"] == "Parse error";
        assert!(a.messages().iter().all(refused) && !a.messages().is_empty(), "{} {}", a.status, a.body);
    }
    let a = c.post_json(json!({"jsonrpc": "2.0", "id": 9, "method": "ping"})).await;
    assert_eq!(a.json()["id"], 9, "still serving: {}", a.body);
}

/// The soak of tests/reliability/run.sh (not run by `cargo test`): 500 calls/s
/// (MCPCP_SOAK_RATE) for 10 minutes (MCPCP_SOAK_SECS) from 32 sessions through the gateway to the
/// HTTP fixture upstream, with full capture. Every call must succeed, and the gateway's RSS at the
/// end may exceed its RSS at half time by at most 10%. Half time, because the activity writer's
/// page cache (64 MiB, `Db::tune_for_appends`) keeps every page it writes until it is full, which
/// takes until `activity.db` passes 64 MiB: about three minutes at 500 calls/s. Before that RSS
/// grows by design (a run with capture off stays flat from its first tenth).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a 10-minute soak: tests/reliability/run.sh runs it"]
async fn soak() {
    let env = |k: &str, default: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (seconds, rate) = (env("MCPCP_SOAK_SECS", 600), env("MCPCP_SOAK_RATE", 500));
    let (upstream, gw, token) = super::harness::with_http_fixture().await;
    let _upstream = upstream;
    // MCPCP_SOAK_CAPTURE=off|metadata: the same load with less (or nothing) written to the log,
    // to tell the log's share of the memory from the rest.
    if let Ok(mode) = std::env::var("MCPCP_SOAK_CAPTURE") {
        gw.m.ok(&["server", "capture", "remote", &mode]);
    }
    let sessions = 32u64;
    let period = Duration::from_secs_f64(sessions as f64 / rate as f64);
    let started = Instant::now();
    let rss_start = rss_kib(gw.pid());
    let baseline = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let sampler = {
        let (pid, baseline) = (gw.pid(), baseline.clone());
        // RSS every tenth of the run; the first is the baseline.
        tokio::spawn(async move {
            let mut series = Vec::new();
            for tenth in 1..=9 {
                tokio::time::sleep(Duration::from_secs(seconds / 10)).await;
                let rss = rss_kib(pid);
                if tenth == 5 {
                    baseline.store(rss, std::sync::atomic::Ordering::SeqCst);
                }
                series.push(rss);
            }
            series
        })
    };
    let tasks: Vec<_> = (0..sessions)
        .map(|i| {
            let (url, token) = (gw.url("remote"), token.clone());
            tokio::spawn(async move {
                let mut c = Raw::new(&url, &token);
                c.handshake("2025-06-18").await;
                let mut tick = tokio::time::interval_at(
                    tokio::time::Instant::now() + period.mul_f64(i as f64 / sessions as f64),
                    period,
                );
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                let (mut latencies, mut errors) = (Vec::new(), Vec::new());
                while started.elapsed() < Duration::from_secs(seconds) {
                    tick.tick().await;
                    let t = Instant::now();
                    let a = c
                        .post_json(json!({"jsonrpc": "2.0", "id": latencies.len(), "method": "tools/call",
                            "params": {"name": "echo", "arguments": {"text": "soak"}}}))
                        .await;
                    latencies.push(t.elapsed());
                    if a.status != StatusCode::OK || a.json()["result"]["content"][0]["text"] != "soak" {
                        errors.push(format!("{} {}", a.status, a.body));
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        let (l, e) = t.await.unwrap();
        latencies.extend(l);
        errors.extend(e);
    }
    let series = sampler.await.unwrap();
    println!("soak: RSS (KiB) at each tenth of the run: {series:?}");
    let rss_end = rss_kib(gw.pid());
    let baseline = baseline.load(std::sync::atomic::Ordering::SeqCst);
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "soak: {} calls in {elapsed:.0} s ({:.0} calls/s), {} errors, p50 {:?}, p99 {:?}, max {:?}; \
         gateway RSS {rss_start} KiB at start, {baseline} KiB at half time ({} s), {rss_end} KiB at the end ({:+.1}%)",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        errors.len(),
        at(0.5),
        at(0.99),
        latencies.last().unwrap(),
        seconds / 2,
        (rss_end as f64 / baseline as f64 - 1.0) * 100.0
    );
    assert!(errors.is_empty(), "{} errors, first: {:?}", errors.len(), errors.first());
    assert!(rss_end as f64 <= baseline as f64 * 1.10, "RSS grew from {baseline} to {rss_end} KiB");
}
