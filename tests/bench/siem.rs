//! The report's section 9, SIEM delivery: a syslog sink over TCP (RFC 5424, octet counting), then
//! a Splunk HEC sink over HTTP, each draining a backlog of activity records
//! (`MCPCP_BENCH_SIEM_EVENTS`, default 300,000, written into `activity.db` before the gateway
//! starts, shaped like a `tools/call` record with its input and output) while clients call
//! through the same gateway. The receivers are in this process: the syslog one parses each
//! octet-counted frame and counts it; the HEC one checks the token and counts the lines of each
//! request (one event each), parsing nothing else. Figures: events per second delivered over the
//! sustained part (after the first second), and the calls per second served meanwhile.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt;

use super::{Session, Setup, env_num};

const HEC_TOKEN: &str = "bench-hec-token";

/// Writes `n` tool-call records into the activity database of `data`.
fn prefill(data: &std::path::Path, n: u64) {
    // Opening through mcpcp creates and migrates the file.
    let path = data.join("activity.db");
    drop(mcpcp::store::Db::open(&path, mcpcp::store::Schema::Activity, mcpcp::store::OpenOptions::default()).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?1)
         INSERT INTO activity (id, time, server, type, level, principal, auth_method, source_ip, user_agent,
           session_id, method, tool, input, output, output_size, duration_us, status, http_status, trace_id)
         SELECT i, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now', '-1 hour'), 'bench', 'tool_call', 'info', 'token-1',
           'api_token', '127.0.0.1', 'bench/1', 'session-' || (i % 64), 'tools/call', 'echo',
           '{\"text\":\"call ' || i || ' with a customer_id and some text\"}',
           '{\"content\":[{\"type\":\"text\",\"text\":\"call ' || i || ' with a customer_id and some text\"}]}',
           80, 900 + i % 300, 'success', 200, printf('%032x', i)
         FROM c",
        [i64::try_from(n).unwrap()],
    )
    .unwrap();
}

/// Counts octet-counted syslog frames arriving on `listener`.
async fn receive(listener: tokio::net::TcpListener, count: Arc<AtomicU64>, bytes: Arc<AtomicU64>) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let (count, bytes) = (count.clone(), bytes.clone());
        tokio::spawn(async move {
            let mut buf = vec![0u8; 1 << 20];
            let mut pending: Vec<u8> = Vec::new();
            loop {
                let n = match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                bytes.fetch_add(n as u64, Ordering::Relaxed);
                pending.extend_from_slice(&buf[..n]);
                let mut at = 0;
                while let Some(space) = pending[at..].iter().position(|b| *b == b' ') {
                    let len: usize = std::str::from_utf8(&pending[at..at + space]).unwrap().parse().unwrap();
                    if pending.len() < at + space + 1 + len {
                        break;
                    }
                    assert!(pending[at + space + 1..].starts_with(b"<"), "not a syslog frame");
                    at += space + 1 + len;
                    count.fetch_add(1, Ordering::Relaxed);
                }
                pending.drain(..at);
            }
        });
    }
}

/// Counts the events of HEC requests (one per line) arriving on `listener`; refuses a wrong
/// token with 401, as HEC does.
async fn receive_hec(listener: tokio::net::TcpListener, count: Arc<AtomicU64>, bytes: Arc<AtomicU64>) {
    let app = axum::Router::new().route(
        "/services/collector/event",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let (count, bytes) = (count.clone(), bytes.clone());
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
                if auth != Some(&format!("Splunk {HEC_TOKEN}")) {
                    return (axum::http::StatusCode::UNAUTHORIZED, r#"{"text":"Invalid token","code":4}"#);
                }
                let events = 1 + body.iter().filter(|b| **b == b'\n').count();
                bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
                count.fetch_add(events as u64, Ordering::Relaxed);
                (axum::http::StatusCode::OK, r#"{"text":"Success","code":0}"#)
            }
        }),
    );
    let _ = axum::serve(listener, app).await;
}

/// Runs `siem add` with `input` on standard input.
fn add_with_stdin(setup: &Setup, args: &[&str], input: &str) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mcpcp"))
        .arg("--data-dir")
        .arg(setup.dir.path().join("data"))
        .args(["siem", "add"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "siem add {args:?}");
}

/// The receivers section 9 measures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Receiver {
    Syslog,
    Hec,
}

pub async fn delivery() {
    let events = env_num("MCPCP_BENCH_SIEM_EVENTS", 300_000);
    let clients_n = env_num("MCPCP_BENCH_SIEM_CLIENTS", 1);
    println!(
        "\n9. SIEM delivery: a syslog sink over TCP (RFC 5424), then a Splunk HEC sink over HTTP, each draining {events} records while clients call"
    );
    for receiver in [Receiver::Syslog, Receiver::Hec] {
        drain(receiver, events, clients_n).await;
    }
}

async fn drain(receiver: Receiver, events: u64, clients_n: u64) {
    println!("   {}", if receiver == Receiver::Syslog { "syslog over TCP:" } else { "Splunk HEC over HTTP:" });
    let setup = Setup::new().await;
    setup.cli(&["server", "create", "bench", "--url", &setup.upstream]);
    let token = setup.cli(&["token", "create", "bench"]);
    prefill(&setup.dir.path().join("data"), events);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (count, bytes) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    match receiver {
        Receiver::Syslog => {
            tokio::spawn(receive(listener, count.clone(), bytes.clone()));
            setup.cli(&["siem", "add", "bench", "--syslog", &format!("tcp://127.0.0.1:{port}"), "--from", "beginning"]);
        }
        Receiver::Hec => {
            tokio::spawn(receive_hec(listener, count.clone(), bytes.clone()));
            let url = format!("http://127.0.0.1:{port}");
            add_with_stdin(
                &setup,
                &["bench", "--hec", &url, "--token-stdin", "--from", "beginning"],
                &format!("{HEC_TOKEN}\n"),
            );
        }
    }
    let (_gateway, base) = setup.serve();
    let url = format!("{base}/mcp/bench");
    // Clients calling all along (each call after the last).
    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::new();
    for _ in 0..clients_n {
        let (url, token, stop, calls) = (url.clone(), token.clone(), stop.clone(), calls.clone());
        clients.push(tokio::spawn(async move {
            let s = Session::open(reqwest::Client::new(), &url, Some(&token)).await;
            let mut n = 1;
            while !stop.load(Ordering::Relaxed) {
                s.call(n).await;
                calls.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        }));
    }
    let start = Instant::now();
    while count.load(Ordering::Relaxed) == 0 {
        assert!(start.elapsed() < Duration::from_secs(30), "no event arrived in 30 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let first = start.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (t0, e0, c0) = (Instant::now(), count.load(Ordering::Relaxed), calls.load(Ordering::Relaxed));
    // Until the backlog is drained (the calls' own records keep coming after it).
    while count.load(Ordering::Relaxed) < events {
        assert!(start.elapsed() < Duration::from_secs(600), "delivery stalled at {}", count.load(Ordering::Relaxed));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (elapsed, e1, c1) = (t0.elapsed(), count.load(Ordering::Relaxed), calls.load(Ordering::Relaxed));
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        let _ = c.await;
    }
    let rate = (e1 - e0) as f64 / elapsed.as_secs_f64();
    let call_rate = (c1 - c0) as f64 / elapsed.as_secs_f64();
    println!("   first event after      {:>10.0} ms (gateway start, sink connect)", first.as_secs_f64() * 1000.0);
    println!(
        "   delivered              {:>10.0} events/s over {:.1} s ({} events, {:.0} bytes/event)",
        rate,
        elapsed.as_secs_f64(),
        e1 - e0,
        bytes.load(Ordering::Relaxed) as f64 / e1.max(1) as f64
    );
    println!("   calls served meanwhile {call_rate:>10.0} calls/s ({clients_n} client(s), each call after the last)");
}
