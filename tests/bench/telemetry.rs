//! The report's section 8, what the telemetry costs together: exporting spans over OTLP and
//! forwarding the caller's identity with a signed JWT, on top of the traces every record keeps.
//! Each of two upstreams (the rmcp fixture and the minimal hyper server, each in a process of its
//! own, `Upstream`) behind two gateway processes of this build, configured the same
//! (API-token auth, the activity log capturing inputs and outputs, its traces kept): `off`
//! without a collector or forwarding, and `all` with `server identity --forward headers,jwt,meta`
//! and `MCPCP_OTLP_ENDPOINT` naming a sink in this process (a hyper server that takes each OTLP/HTTP
//! request whole, counts it and answers 200 with an empty body, an empty
//! `ExportTraceServiceResponse`); plus direct calls. That spans really reach the sink and the
//! upstream really gets the JWT is checked before measuring, so the figures cannot pass without
//! them. The report ends with the targets: at concurrency 1 `all` adds at most 0.15 ms to the
//! direct p50, at 64 it serves at least half the calls per second of direct; for each upstream.
//!
//! The rounds are those of section 6 (`token.rs`): 1 s of every client calling the three paths in
//! turn (p50, p99 under the same load), then 1 s of each path alone (calls/s, and each gateway
//! process's CPU time per call from `/proc`, the exporter's thread included, and the upstream's
//! and the clients'), the order rotating.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::token::{measure_with, whoami};
use super::{PollPath, Session, Setup, Upstream, cli_of, env_num, levels, mcpcp_exe, serve_with};

/// What the sink received.
#[derive(Default)]
struct Received {
    requests: AtomicU64,
    bytes: AtomicU64,
}

/// A collector that accepts and discards: its base URL.
async fn sink(received: Arc<Received>) -> String {
    use http_body_util::{BodyExt, Full};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let received = received.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let received = received.clone();
                    async move {
                        let body = request.into_body().collect().await?.to_bytes();
                        received.requests.fetch_add(1, Ordering::Relaxed);
                        received.bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
                        let answer = hyper::Response::builder()
                            .header("content-type", "application/x-protobuf")
                            .body(Full::new(bytes::Bytes::new()))
                            .unwrap();
                        Ok::<_, hyper::Error>(answer)
                    }
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    url
}

pub(crate) async fn telemetry_cost() {
    let seconds = env_num("MCPCP_BENCH_SECONDS", 5);
    let setup = Setup::without_upstream();
    let upstreams = Upstream::both();
    let exe = &mcpcp_exe();
    let received = Arc::new(Received::default());
    let collector = sink(received.clone()).await;
    // Two data directories, one gateway each, a server for each upstream on both.
    let on_dir = tempfile::tempdir().unwrap();
    let (off_data, on_data) = (setup.dir.path().join("data"), on_dir.path().join("data"));
    let mut tokens = Vec::new();
    for data in [&off_data, &on_data] {
        for u in &upstreams {
            let server = format!("bench-{}", u.kind);
            cli_of(exe, data, &["server", "create", &server, "--url", &u.url]);
            tokens.push(cli_of(exe, data, &["token", "create", &server]));
        }
    }
    for u in &upstreams {
        cli_of(exe, &on_data, &["server", "identity", &format!("bench-{}", u.kind), "--forward", "headers,jwt,meta"]);
    }
    let (off, off_base) = serve_with(exe, &off_data, &[]);
    // The exporter's own lines (at its exit: what it exported and dropped) are shown.
    let env = [("MCPCP_OTLP_ENDPOINT", collector.as_str()), ("MCPCP_LOG", "mcpcp::observe::otlp=info,warn")];
    let (on, on_base) = serve_with(exe, &on_data, &env);
    // `MCPCP_BENCH_COMPARE`: another build, configured as `all` (its own data directory, the
    // same sink), as one more path: an A/B comparison under the same load.
    let other = std::env::var_os("MCPCP_BENCH_COMPARE").map(|exe| {
        let (exe, dir) = (std::path::PathBuf::from(exe), tempfile::tempdir().unwrap());
        let data = dir.path().join("data");
        let mut tokens = Vec::new();
        for u in &upstreams {
            let server = format!("bench-{}", u.kind);
            cli_of(&exe, &data, &["server", "create", &server, "--url", &u.url]);
            cli_of(&exe, &data, &["server", "identity", &server, "--forward", "headers,jwt,meta"]);
            tokens.push(cli_of(&exe, &data, &["token", "create", &server]));
        }
        let (guard, base) = serve_with(&exe, &data, &env);
        (guard, base, tokens, dir)
    });

    println!(
        "\n8. what the telemetry costs together: tools/call echo through two gateways of this build, both keeping"
    );
    println!("   each call's trace with its record: `off` (no collector, no forwarding) and `all` (every call's spans");
    println!(
        "   exported over OTLP/HTTP to a sink that accepts and discards; the identity as headers, _meta and a JWT"
    );
    println!("   signed for each request),");
    println!(
        "   and direct; a level is {seconds} rounds: 1 s of all paths in turn (p50, p99: the same load), then 1 s"
    );
    println!(
        "   of each path alone (calls/s; CPU per call of the gateway, exporter thread included, of the upstream and"
    );
    println!("   of the clients, from /proc), the order rotating");
    let mut targets = Vec::new();
    let n = upstreams.len();
    for (k, u) in upstreams.iter().enumerate() {
        let mut paths = vec![
            PollPath { name: "direct".into(), url: u.url.clone(), token: None, pid: None },
            PollPath {
                name: "off".into(),
                url: format!("{off_base}/mcp/bench-{}", u.kind),
                token: Some(tokens[k].clone()),
                pid: Some(off.0.id()),
            },
            PollPath {
                name: "all".into(),
                url: format!("{on_base}/mcp/bench-{}", u.kind),
                token: Some(tokens[n + k].clone()),
                pid: Some(on.0.id()),
            },
        ];
        if let Some((guard, base, tokens, _)) = &other {
            paths.push(PollPath {
                name: "compare".into(),
                url: format!("{base}/mcp/bench-{}", u.kind),
                token: Some(tokens[k].clone()),
                pid: Some(guard.0.id()),
            });
        }
        // A call's spans reach the sink (a batch leaves within a second), the JWT the upstream.
        let before = received.requests.load(Ordering::Relaxed);
        let s = Session::open(reqwest::Client::new(), &paths[2].url, paths[2].token.as_deref()).await;
        s.call(1).await;
        let seen = whoami(&s).await;
        assert!(seen.contains("x-mcpcp-identity: ey"), "no JWT reached the upstream: {seen}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while received.requests.load(Ordering::Relaxed) == before {
            assert!(Instant::now() < deadline, "no spans reached the sink");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }

        println!("   upstream: {}", u.describe());
        println!(
            "   {:>11} {:>8} {:>10} {:>9} {:>9} {:>12} {:>12} {:>12}",
            "concurrency", "path", "calls/s", "p50 ms", "p99 ms", "CPU µs/call", "upstream µs", "clients µs"
        );
        for concurrency in levels(&[1, 64]) {
            let m = measure_with(&paths, Some(u.pid()), concurrency, seconds).await;
            for (path, s) in paths.iter().zip(&m) {
                let cpu = if path.pid.is_some() { format!("{:.1}", s.cpu_us()) } else { "-".into() };
                println!(
                    "   {concurrency:>11} {:>8} {:>10.0} {:>9.3} {:>9.3} {cpu:>12} {:>12.1} {:>12.1}",
                    path.name,
                    s.rate(),
                    s.ms(0.5),
                    s.ms(0.99),
                    s.upstream_cpu_us(),
                    s.client_cpu_us()
                );
            }
            let (direct, off, on) = (&m[0], &m[1], &m[2]);
            if let Some(b) = m.get(3) {
                println!(
                    "   {concurrency:>11} compare (MCPCP_BENCH_COMPARE, as all) vs all: calls/s {:+.1}%, p50 {:+.1}%, CPU per call {:+.1}%",
                    (b.rate() / on.rate() - 1.0) * 100.0,
                    (b.ms(0.5) / on.ms(0.5) - 1.0) * 100.0,
                    (b.cpu_us() / on.cpu_us() - 1.0) * 100.0
                );
            }
            println!(
                "   {concurrency:>11} added p50 (vs direct): off {:.3} ms, all {:.3} ms, telemetry {:+.3} ms",
                off.ms(0.5) - direct.ms(0.5),
                on.ms(0.5) - direct.ms(0.5),
                on.ms(0.5) - off.ms(0.5)
            );
            println!(
                "   {concurrency:>11} all/off: calls/s {:.3}, p99 {:.3}x, CPU {:.3}x; calls/s vs direct: off {:.3}, all {:.3}; gateway CPU per call vs the upstream's: off {:.2}x, all {:.2}x",
                on.rate() / off.rate(),
                on.ms(0.99) / off.ms(0.99),
                on.cpu_us() / off.cpu_us(),
                off.rate() / direct.rate(),
                on.rate() / direct.rate(),
                off.cpu_us() / off.upstream_cpu_us(),
                on.cpu_us() / on.upstream_cpu_us()
            );
            if concurrency == 1 {
                let added = on.ms(0.5) - direct.ms(0.5);
                let verdict = if added <= 0.15 { "met" } else { "missed" };
                targets
                    .push(format!("{}: concurrency 1, added p50 {added:.3} ms (target <= 0.150): {verdict}", u.kind));
            }
            if concurrency == 64 {
                let ratio = on.rate() / direct.rate();
                let verdict = if ratio >= 0.5 { "met" } else { "missed" };
                targets.push(format!(
                    "{}: concurrency 64, calls/s {ratio:.3} of direct (target >= 0.5): {verdict}",
                    u.kind
                ));
            }
        }
    }
    for target in targets {
        println!("   target: all, upstream {target}");
    }
    println!(
        "   the sink received {} requests, {:.1} MB of spans",
        received.requests.load(Ordering::Relaxed),
        received.bytes.load(Ordering::Relaxed) as f64 / 1e6
    );
    drop(other);
    drop(on);
    drop(off);
}
