//! mcpcp's benchmarks, one command: `cargo bench`. Prints a report:
//!
//! 1. `tools/call` through `mcpcp serve` (API-token auth, activity log on with inputs and outputs
//!    captured) against the same call straight to the upstream, in the same run: calls/s and
//!    p50/p99 latency at concurrency 1, 16 and 64, and the ratios. Also through mcpcp with the
//!    log off, and through a bare proxy of the same parts (the floor for any gateway here);
//!    `MCPCP_BENCH_COMPARE=/path/to/mcpcp` adds another build as one more path (A/B). Against
//!    two upstreams, each in a process of its own ([`Upstream`]): the rmcp fixture and a minimal
//!    server written on hyper (`tests/fixtures/hyper_upstream.rs`), about as fast as an MCP
//!    server can answer, so the ratios are not flattered by a slow upstream. Each path's CPU time
//!    per call is read from `/proc`: its own process (mcpcp, the bare proxy), the upstream's and
//!    the clients'.
//! 2. The activity writer alone: records committed per second.
//! 3. Filtered `mcpcp logs` queries over a large activity table (10 million rows by default).
//! 4. What traffic limits cost: the pipeline of 1 with every limit on (an IP allow list, rate
//!    limits and usage quotas, server-wide and per principal, none of them reached) against the
//!    same pipeline without limits, through the same gateway, each client calling both in turn so
//!    both paths see the same load; plus the decision alone and the writer with quota counts.
//! 5. Busy polling: mcpcp with its adaptive polling (the default window) against the same build
//!    with polling off (`MCPCP_BUSY_POLL_US=0`), at concurrency 1, against a loopback upstream
//!    and one that answers after 5 ms: latency added to direct calls, and the gateway process's
//!    CPU time per call read from `/proc`, as a ratio to polling off (same run, rounds
//!    alternating). `MCPCP_BENCH_COMPARE` adds that build as one more gateway.
//! 6. What attaching a linked account's token costs (`token.rs`): the same upstream behind two
//!    servers of one gateway, `upstream_auth` none and `oauth` with a shared linked account (its
//!    token sent as `Authorization: Bearer` on every upstream request; checked once), plus
//!    direct: p50/p99 with each client calling all three in turn (the same load), calls/s and
//!    the gateway's CPU time per call with each path alone, in alternating rounds; the ratios.
//! 7. What telling the upstream who calls costs (`identity.rs`): servers with `server identity
//!    --forward` none, `headers,meta` and `headers,jwt,meta` (a JWT signed for each request),
//!    each checked once to send what it should, and direct, measured as 6.
//! 8. What the telemetry costs together (`telemetry.rs`): two gateway processes of this build on the
//!    same upstream, both keeping traces; one exporting every call's spans to a sink in this
//!    process (checked to receive them) and forwarding the identity with a JWT, one with
//!    neither, plus direct, in the rounds of 6; against the targets (at concurrency 1 at most
//!    0.15 ms added to the direct p50, at 64 at least half its calls/s). Against both upstreams
//!    of 1, with the upstream's CPU time per call beside the gateways'. `MCPCP_BENCH_COMPARE`
//!    adds that build, configured as the one exporting and forwarding, as one more path.
//! 9. SIEM delivery (`siem.rs`): a syslog sink over TCP, then a Splunk HEC sink over HTTP, each
//!    draining a backlog of activity records while clients call through the same gateway:
//!    events/s delivered, calls/s served.
//! 10. Memory (`memory.rs`): the gateway's resident set once serving, and what each idle session
//!     adds (`MCPCP_BENCH_SESSIONS` of them, default 1000).
//! 11. What composing costs (`composed.rs`): a composed server's tool that forwards to one tool of
//!     a proxy server of the same gateway against that proxied call, and direct, measured as 6.
//!
//! Environment: `MCPCP_BENCH_ROWS` (rows for 3, default 10000000), `MCPCP_BENCH_SECONDS`
//! (seconds per load level in 1, 4, 6, 7, 8 and 11, and per path in 5, default 5), `MCPCP_BENCH_ONLY`
//! (`gateway`, `writer`, `query`, `limits`, `polling`, `token`, `identity`, `telemetry`, `siem`,
//! `memory` or `composed`), `MCPCP_BENCH_UPSTREAM` (`hyper` or `rmcp`: the only upstream of 1 and 8),
//! `MCPCP_BENCH_SIEM_EVENTS` (the backlog for 9, default 300000),
//! `MCPCP_BENCH_CONCURRENCY` (levels for 1, default `1,16,64`, and for 6, 7, 8 and 11, default `1,64`),
//! `MCPCP_BENCH_EXE` (the mcpcp to measure instead of this build's: the same source built with
//! symbols, `cargo build --profile profiling`, to profile the gateway with `perf` under this load).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod composed;
#[path = "../fixtures/fixture_server.rs"]
#[allow(dead_code)]
mod fixture_server;
#[path = "../fixtures/hyper_upstream.rs"]
mod hyper_upstream;
mod identity;
mod memory;
mod siem;
mod telemetry;
mod token;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mcpcp::model::CaptureMode;
use mcpcp::observe::activity::{Draft, Options, Recorder};
use mcpcp::store::activity::Condition;
use mcpcp::store::{self, Db, OpenOptions, Schema};

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn only(part: &str) -> bool {
    std::env::var("MCPCP_BENCH_ONLY").map_or(true, |o| o == part)
}

/// The concurrency levels to run: `MCPCP_BENCH_CONCURRENCY` (comma-separated), else `default`.
fn levels(default: &[usize]) -> Vec<usize> {
    std::env::var("MCPCP_BENCH_CONCURRENCY")
        .map(|v| v.split(',').filter_map(|c| c.trim().parse().ok()).collect())
        .unwrap_or_else(|_| default.to_vec())
}

fn main() {
    if let Ok(upstream) = std::env::var(BARE_PROXY_TO) {
        let single = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        single.block_on(bare_proxy(upstream));
        return;
    }
    if let Ok(kind) = std::env::var(UPSTREAM_CHILD) {
        serve_upstream(&kind);
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    println!("mcpcp benchmarks ({} CPUs)", std::thread::available_parallelism().map_or(1, |n| n.get()));
    if only("gateway") {
        runtime.block_on(gateway_vs_direct());
    }
    if only("writer") {
        runtime.block_on(writer());
    }
    if only("query") {
        query();
    }
    if only("limits") {
        runtime.block_on(limits_cost());
    }
    if only("polling") {
        runtime.block_on(busy_polling());
    }
    if only("token") {
        runtime.block_on(token::token_cost());
    }
    if only("identity") {
        runtime.block_on(identity::identity_cost());
    }
    if only("telemetry") {
        runtime.block_on(telemetry::telemetry_cost());
    }
    if only("siem") {
        runtime.block_on(siem::delivery());
    }
    if only("memory") {
        runtime.block_on(memory::memory());
    }
    if only("composed") {
        runtime.block_on(composed::composed_cost());
    }
}

// ---- 1. gateway vs direct -------------------------------------------------------------------

/// Set on a child copy of this program to make it a bare proxy to that URL.
const BARE_PROXY_TO: &str = "MCPCP_BENCH_BARE_PROXY_TO";

/// The floor for any gateway on this machine: a proxy built from the same parts as mcpcp
/// (hyper-util's server builder, mcpcp's own upstream HTTP/1.1 client `upstream::h1`, a
/// single-threaded tokio runtime) in a process of its own, that does nothing but pass each POST
/// to the upstream and the answer back, whole. No MCP logic, no authentication, no log. Prints
/// its URL, then serves until killed.
async fn bare_proxy(upstream: String) {
    use http_body_util::{BodyExt, Full};
    let target = mcpcp::upstream::h1::Client::new(&mcpcp::upstream::Options::default())
        .target(&url::Url::parse(&upstream).unwrap())
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("http://{}/mcp", listener.local_addr().unwrap());
    loop {
        let (stream, _) = listener.accept().await.unwrap();
        stream.set_nodelay(true).unwrap();
        let target = target.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let target = target.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = body.collect().await.unwrap().to_bytes();
                let mut headers = hyper::HeaderMap::new();
                for name in ["content-type", "accept", "mcp-session-id", "mcp-protocol-version"] {
                    if let Some(v) = parts.headers.get(name) {
                        headers.insert(name, v.clone());
                    }
                }
                let mut exchange = target.post(headers, String::from_utf8(body.to_vec()).unwrap()).await.unwrap();
                let mut answer = Vec::new();
                while let Some(chunk) = exchange.chunk().await {
                    answer.extend_from_slice(&chunk.unwrap());
                }
                let mut response = hyper::Response::new(Full::new(bytes::Bytes::from(answer)));
                *response.status_mut() = exchange.status;
                for name in ["content-type", "mcp-session-id"] {
                    if let Some(v) = exchange.headers.get(name) {
                        response.headers_mut().insert(name, v.clone());
                    }
                }
                Ok::<_, std::convert::Infallible>(response)
            }
        });
        tokio::spawn(async move {
            let builder = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
            let _ = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
        });
    }
}

/// Starts [`bare_proxy`] in a child process; returns the guard and its URL.
fn spawn_bare_proxy(upstream: &str) -> (Gateway, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(BARE_PROXY_TO, upstream)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut first).unwrap();
    (Gateway(child), first.trim().to_string())
}

/// Set on a child copy of this program to make it an upstream: `hyper` ([`hyper_upstream`]) or
/// `rmcp` ([`fixture_server`]).
const UPSTREAM_CHILD: &str = "MCPCP_BENCH_UPSTREAM_CHILD";

/// Serves the upstream `kind` on a port of its own; prints its URL, then serves until killed.
/// The hyper upstream runs on one single-threaded runtime (the cheapest way per call: no thread
/// hand-offs); the rmcp one on a multi-threaded runtime, as rmcp servers usually do.
fn serve_upstream(kind: &str) {
    let runtime = match kind {
        "hyper" => tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap(),
        "rmcp" => tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap(),
        other => panic!("{UPSTREAM_CHILD}={other}: hyper or rmcp"),
    };
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("http://{}/mcp", listener.local_addr().unwrap());
        match kind {
            "hyper" => hyper_upstream::serve(listener).await,
            _ => fixture_server::serve_http(listener, tokio_util::sync::CancellationToken::new()).await.unwrap(),
        }
    });
}

/// An upstream in a process of its own (so the clients' runtime is not its runtime, and its CPU
/// time can be read from `/proc`).
struct Upstream {
    /// `hyper` or `rmcp`.
    kind: &'static str,
    url: String,
    process: Gateway,
}

impl Upstream {
    fn spawn(kind: &'static str) -> Upstream {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(UPSTREAM_CHILD, kind)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut first).unwrap();
        Upstream { kind, url: first.trim().to_string(), process: Gateway(child) }
    }

    /// The upstreams sections 1 and 8 run against: the rmcp fixture and the minimal hyper one,
    /// or the one `MCPCP_BENCH_UPSTREAM` names (`rmcp` or `hyper`).
    fn both() -> Vec<Upstream> {
        let only = std::env::var("MCPCP_BENCH_UPSTREAM").ok();
        ["rmcp", "hyper"]
            .into_iter()
            .filter(|kind| only.as_deref().is_none_or(|o| o == *kind))
            .map(Upstream::spawn)
            .collect()
    }

    fn pid(&self) -> u32 {
        self.process.0.id()
    }

    /// How the report names it.
    fn describe(&self) -> &'static str {
        match self.kind {
            "hyper" => "minimal Streamable HTTP server on hyper (tests/fixtures/hyper_upstream.rs), own process",
            _ => "rmcp Streamable HTTP server (tests/fixtures/fixture_server.rs), own process",
        }
    }
}

struct Stats {
    calls: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
    /// CPU time over those calls, ns: the path's own process (a gateway or the bare proxy), the
    /// upstream's, and this process's (the clients').
    cpu_ns: Cpu,
}

/// CPU time, ns, of the processes a call passes.
#[derive(Default, Clone, Copy)]
struct Cpu {
    path: u64,
    upstream: u64,
    client: u64,
}

impl Cpu {
    /// Now, for a path through the process `path` (none for direct calls) to `upstream`.
    fn read(path: Option<u32>, upstream: Option<u32>) -> Cpu {
        Cpu { path: path.map_or(0, cpu_ns), upstream: upstream.map_or(0, cpu_ns), client: cpu_ns(std::process::id()) }
    }

    fn since(self, before: Cpu) -> Cpu {
        Cpu {
            path: self.path - before.path,
            upstream: self.upstream - before.upstream,
            client: self.client - before.client,
        }
    }

    fn add(&mut self, other: Cpu) {
        self.path += other.path;
        self.upstream += other.upstream;
        self.client += other.client;
    }
}

impl Stats {
    fn rate(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64()
    }

    /// CPU µs per call: the path's process, the upstream, the clients.
    fn cpu_us(&self) -> (f64, f64, f64) {
        let per = |ns: u64| ns as f64 / 1e3 / self.calls as f64;
        (per(self.cpu_ns.path), per(self.cpu_ns.upstream), per(self.cpu_ns.client))
    }
}

/// An MCP session over raw HTTP: initialize once, then `tools/call echo` as fast as it can.
struct Session {
    http: reqwest::Client,
    url: String,
    token: Option<String>,
    id: Option<String>,
}

impl Session {
    async fn open(http: reqwest::Client, url: &str, token: Option<&str>) -> Session {
        let mut s = Session { http, url: url.to_string(), token: token.map(String::from), id: None };
        let init = serde_json::json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}});
        let r = s.post(init.to_string()).await;
        s.id = r.headers().get("mcp-session-id").map(|v| v.to_str().unwrap().to_string());
        r.bytes().await.unwrap();
        s.post(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.into()).await.bytes().await.unwrap();
        s
    }

    async fn post(&self, body: String) -> reqwest::Response {
        let mut r = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18")
            .body(body);
        if let Some(t) = &self.token {
            r = r.bearer_auth(t);
        }
        if let Some(id) = &self.id {
            r = r.header("mcp-session-id", id);
        }
        r.send().await.unwrap()
    }

    async fn call(&self, n: u64) {
        let arguments = format!(r#"{{"text":"call {n} with a customer_id and some text"}}"#);
        self.call_tool(n, "echo", &arguments, b"call").await;
    }

    /// Calls the tool `name`; the answer must contain `expect`.
    async fn call_tool(&self, n: u64, name: &str, arguments: &str, expect: &[u8]) {
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":{n},"method":"tools/call","params":{{"name":"{name}","arguments":{arguments}}}}}"#
        );
        let r = self.post(body).await;
        assert!(r.status().is_success(), "{}", r.status());
        let body = r.bytes().await.unwrap();
        assert!(body.windows(expect.len()).any(|w| w == expect), "{}", String::from_utf8_lossy(&body));
    }
}

/// `concurrency` clients on each of `paths`, driven one path at a time in rounds of one second,
/// the order rotating from round to round, for `seconds` rounds: the paths share the machine's
/// conditions over the run, so a slow stretch of it cannot fall on one path alone. Each round
/// also reads the CPU time of the path's process, of `upstream` and of the clients.
async fn load(paths: &[PollPath], upstream: Option<u32>, concurrency: usize, seconds: u64) -> Vec<Stats> {
    let mut sessions = Vec::new();
    for p in paths {
        let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency * 2).build().unwrap();
        let mut open = Vec::new();
        for _ in 0..concurrency {
            let s = Arc::new(Session::open(http.clone(), &p.url, p.token.as_deref()).await);
            s.call(0).await;
            open.push(s);
        }
        sessions.push(open);
    }
    let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); paths.len()];
    let mut elapsed = vec![Duration::ZERO; paths.len()];
    let mut cpu = vec![Cpu::default(); paths.len()];
    let mut next = 1u64;
    for round in 0..seconds as usize {
        for k in 0..paths.len() {
            let p = (round + k) % paths.len();
            let cpu_before = Cpu::read(paths[p].pid, upstream);
            let deadline = Instant::now() + Duration::from_secs(1);
            let start = Instant::now();
            let workers: Vec<_> = sessions[p]
                .iter()
                .enumerate()
                .map(|(w, s)| {
                    let s = s.clone();
                    let first = next + (w as u64) * 1_000_000;
                    tokio::spawn(async move {
                        let mut latencies = Vec::new();
                        let mut n = first;
                        while Instant::now() < deadline {
                            let t = Instant::now();
                            s.call(n).await;
                            latencies.push(t.elapsed());
                            n += 1;
                        }
                        latencies
                    })
                })
                .collect();
            for w in workers {
                latencies[p].extend(w.await.unwrap());
            }
            elapsed[p] += start.elapsed();
            cpu[p].add(Cpu::read(paths[p].pid, upstream).since(cpu_before));
            next += 1_000_000 * concurrency as u64;
        }
    }
    latencies
        .into_iter()
        .zip(elapsed)
        .zip(cpu)
        .map(|((mut all, elapsed), cpu_ns)| {
            all.sort();
            let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
            Stats { calls: all.len(), elapsed, p50: pct(0.50), p99: pct(0.99), cpu_ns }
        })
        .collect()
}

/// `concurrency` clients, each with a session on both URLs, calling them in turn (the order
/// alternating) for `seconds`: the latencies of each path under one and the same load.
async fn load_paired(
    paths: [(&str, &str); 2],
    concurrency: usize,
    seconds: u64,
) -> (Vec<Duration>, Vec<Duration>, Duration) {
    let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency * 4).build().unwrap();
    let mut pairs = Vec::new();
    for _ in 0..concurrency {
        let a = Session::open(http.clone(), paths[0].0, Some(paths[0].1)).await;
        let b = Session::open(http.clone(), paths[1].0, Some(paths[1].1)).await;
        a.call(0).await;
        b.call(0).await;
        pairs.push((a, b));
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let workers: Vec<_> = pairs
        .into_iter()
        .enumerate()
        .map(|(w, (a, b))| {
            tokio::spawn(async move {
                let (mut la, mut lb) = (Vec::new(), Vec::new());
                let mut n = 1u64;
                while Instant::now() < deadline {
                    let first_a = (n + w as u64).is_multiple_of(2);
                    for on_a in [first_a, !first_a] {
                        let t = Instant::now();
                        if on_a {
                            a.call(n).await
                        } else {
                            b.call(n).await
                        }
                        if on_a { la.push(t.elapsed()) } else { lb.push(t.elapsed()) }
                    }
                    n += 1;
                }
                (la, lb)
            })
        })
        .collect();
    let (mut all_a, mut all_b) = (Vec::new(), Vec::new());
    for w in workers {
        let (la, lb) = w.await.unwrap();
        all_a.extend(la);
        all_b.extend(lb);
    }
    (all_a, all_b, start.elapsed())
}

struct Gateway(Child);

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let _ = self.0.wait();
    }
}

/// An rmcp Streamable HTTP upstream in this process, and a data directory for `mcpcp`.
struct Setup {
    upstream: String,
    shutdown: tokio_util::sync::CancellationToken,
    dir: tempfile::TempDir,
}

impl Setup {
    async fn new() -> Setup {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let upstream = format!("http://{}/mcp", listener.local_addr().unwrap());
        let shutdown = tokio_util::sync::CancellationToken::new();
        tokio::spawn(fixture_server::serve_http(listener, shutdown.clone()));
        Setup { upstream, shutdown, dir: tempfile::tempdir().unwrap() }
    }

    /// A data directory only: the upstreams run in processes of their own ([`Upstream`]).
    fn without_upstream() -> Setup {
        let shutdown = tokio_util::sync::CancellationToken::new();
        Setup { upstream: String::new(), shutdown, dir: tempfile::tempdir().unwrap() }
    }

    /// Runs an admin command; returns its output.
    fn cli(&self, args: &[&str]) -> String {
        cli_of(&mcpcp_exe(), &self.dir.path().join("data"), args)
    }

    /// Runs `mcpcp serve` (port 0); returns the guard and the base URL.
    fn serve(&self) -> (Gateway, String) {
        serve_of(&mcpcp_exe(), &self.dir.path().join("data"))
    }
}

/// The mcpcp to measure: this build's, or the one `MCPCP_BENCH_EXE` names (the same source built
/// with symbols, `cargo build --profile profiling`, to profile it under the bench's load).
fn mcpcp_exe() -> std::path::PathBuf {
    std::env::var_os("MCPCP_BENCH_EXE").map_or_else(|| env!("CARGO_BIN_EXE_mcpcp").into(), Into::into)
}

/// Runs an admin command of the mcpcp at `exe` on `data`; returns its output.
fn cli_of(exe: &std::path::Path, data: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(exe).arg("--data-dir").arg(data).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Runs `serve` (port 0) of the mcpcp at `exe` on `data`; returns the guard and the base URL.
fn serve_of(exe: &std::path::Path, data: &std::path::Path) -> (Gateway, String) {
    serve_with(exe, data, &[])
}

/// [`serve_of`] with more environment variables.
fn serve_with(exe: &std::path::Path, data: &std::path::Path, env: &[(&str, &str)]) -> (Gateway, String) {
    let mut child = Command::new(exe)
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("MCPCP_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut first).unwrap();
    let base = first.split_whitespace().nth(3).unwrap().to_string();
    (Gateway(child), base)
}

impl Drop for Setup {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn gateway_vs_direct() {
    let seconds = env_num("MCPCP_BENCH_SECONDS", 5);
    let setup = Setup::without_upstream();
    let upstreams = Upstream::both();
    let cli = |args: &[&str]| setup.cli(args);
    // Per upstream: a server logging inputs and outputs, and the same upstream again with the
    // activity log off, to show what logging costs.
    let mut tokens = Vec::new();
    for u in &upstreams {
        let (bench, nolog) = (format!("bench-{}", u.kind), format!("nolog-{}", u.kind));
        cli(&["server", "create", &bench, "--url", &u.url]);
        cli(&["server", "create", &nolog, "--url", &u.url, "--capture", "off"]);
        tokens.push((cli(&["token", "create", &bench]), cli(&["token", "create", &nolog])));
    }
    let (gateway, base) = setup.serve();
    // Another build of mcpcp on a data directory of its own, configured the same, as one more
    // path: an A/B comparison of two builds under the same load.
    let other = std::env::var_os("MCPCP_BENCH_COMPARE").map(|exe| {
        let (exe, dir) = (std::path::PathBuf::from(exe), tempfile::tempdir().unwrap());
        let data = dir.path().join("data");
        let mut tokens = Vec::new();
        for u in &upstreams {
            let name = format!("bench-{}", u.kind);
            cli_of(&exe, &data, &["server", "create", &name, "--url", &u.url]);
            tokens.push(cli_of(&exe, &data, &["token", "create", &name]));
        }
        let (guard, base) = serve_of(&exe, &data);
        (guard, base, tokens, dir)
    });

    println!("\n1. tools/call echo: through mcpcp (token auth, activity log capturing inputs and outputs) vs direct");
    println!("   {seconds} s per path and level, in rounds of 1 s; CPU µs per call from /proc/<pid>/task/*/schedstat:");
    println!("   the path's own process (mcpcp, the bare proxy), the upstream's, and the clients' (this process)");
    for (u, (token, nolog_token)) in upstreams.iter().zip(&tokens) {
        println!("   upstream: {}", u.describe());
        println!(
            "   {:>11} {:>8} {:>10} {:>9} {:>9} {:>10} {:>10} {:>17}",
            "concurrency", "path", "calls/s", "p50 ms", "p99 ms", "added p50", "added p99", "CPU path/up/cli"
        );
        let (_bare, bare) = spawn_bare_proxy(&u.url);
        let path = |name: &str, url: String, token: Option<&String>, pid: Option<u32>| PollPath {
            name: name.into(),
            url,
            token: token.cloned(),
            pid,
        };
        let mut paths = vec![
            path("direct", u.url.clone(), None, None),
            path("mcpcp", format!("{base}/mcp/bench-{}", u.kind), Some(token), Some(gateway.0.id())),
            path("no log", format!("{base}/mcp/nolog-{}", u.kind), Some(nolog_token), Some(gateway.0.id())),
            path("bare", bare, None, Some(_bare.0.id())),
        ];
        if let Some((guard, base, tokens, _)) = &other {
            let k = upstreams.iter().position(|x| x.kind == u.kind).unwrap();
            paths.push(path("compare", format!("{base}/mcp/bench-{}", u.kind), Some(&tokens[k]), Some(guard.0.id())));
        }
        for concurrency in levels(&[1, 16, 64]) {
            let mut stats = load(&paths, Some(u.pid()), concurrency, seconds).await.into_iter();
            let mut next = || stats.next().unwrap();
            let (direct, mcpcp, nolog, floor) = (next(), next(), next(), next());
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            // One line per path: calls/s, p50, p99, (beside direct) the latency it adds, CPU.
            let line = |path: &str, s: &Stats, vs_direct: bool, note: &str| {
                let added = if !vs_direct {
                    format!(" {:>10} {:>10}", "", "")
                } else {
                    format!(
                        " {:>10.3} {:>10.3}",
                        ms(s.p50.saturating_sub(direct.p50)),
                        ms(s.p99.saturating_sub(direct.p99))
                    )
                };
                let (own, up, client) = s.cpu_us();
                let own = if vs_direct { format!("{own:.1}") } else { "-".into() };
                println!(
                    "   {concurrency:>11} {path:>8} {:>10.0} {:>9.3} {:>9.3}{added} {:>17}{note}",
                    s.rate(),
                    ms(s.p50),
                    ms(s.p99),
                    format!("{own}/{up:.1}/{client:.1}")
                );
            };
            line("direct", &direct, false, "");
            line("mcpcp", &mcpcp, true, "");
            println!(
                "   {:>11} ratio: throughput {:.2} of direct (bare {:.2}), p50 {:.2}x, p99 {:.2}x; mcpcp CPU per call {:.2}x the upstream's",
                concurrency,
                mcpcp.rate() / direct.rate(),
                floor.rate() / direct.rate(),
                ms(mcpcp.p50) / ms(direct.p50),
                ms(mcpcp.p99) / ms(direct.p99),
                mcpcp.cpu_us().0 / mcpcp.cpu_us().1
            );
            line("no log", &nolog, true, "  (activity log off: what logging costs)");
            line("bare", &floor, true, "  (a bare proxy of the same parts: the floor)");
            if other.is_some() {
                let b = next();
                let note = format!(
                    "  (MCPCP_BENCH_COMPARE: {:+.1}% calls/s, p50 {:+.1}%)",
                    (b.rate() / mcpcp.rate() - 1.0) * 100.0,
                    (ms(b.p50) / ms(mcpcp.p50) - 1.0) * 100.0
                );
                line("compare", &b, true, &note);
            }
        }
    }
    let rows = cli(&[
        "-o",
        "json",
        "logs",
        "export",
        "--type",
        "tool_call",
        "--output-file",
        setup.dir.path().join("x").to_str().unwrap(),
    ]);
    println!(
        "   activity records written during the run: {}",
        serde_json::from_str::<serde_json::Value>(&rows).unwrap()["records"]
    );
}

// ---- 2. the activity writer ------------------------------------------------------------------

fn draft(i: u64) -> Draft {
    let mut d = Draft::new("tool_call", chrono::Utc::now());
    d.server = Some("bench".into());
    d.principal = Some("token-1".into());
    d.auth_method = Some("api_token");
    d.source_ip = Some("127.0.0.1".into());
    d.user_agent = Some("bench/1".into());
    d.client_name = Some("bench".into());
    // 64 sessions, as at concurrency 64.
    d.session_id = Some(format!("{:064x}", (i % 64).wrapping_mul(0x9e37_79b9_7f4a_7c15)));
    d.method = Some("tools/call".into());
    d.tool = Some(["echo", "add", "search", "fetch"][(i % 4) as usize].into());
    d.params = Some(format!(r#"{{"name":"echo","arguments":{{"text":"call {i}","customer_id":{}}}}}"#, i % 1000));
    d.response = Some(
        format!(r#"{{"jsonrpc":"2.0","id":{i},"result":{{"content":[{{"type":"text","text":"call {i}"}}]}}}}"#).into(),
    );
    d.capture = CaptureMode::Full;
    d.duration = Duration::from_micros(150);
    d
}

async fn writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("activity.db");
    let options = Options {
        retention_days: 30,
        max_output_bytes: 65536,
        redact_keys: vec!["password".into(), "token".into()],
        open: OpenOptions::default(),
        clock: mcpcp::clock::Clock::system(),
    };
    let recorder = Recorder::start(&path, options).unwrap();
    let rows = 300_000u64;
    let elapsed = produce(&recorder, rows, |_, _| {}).await;
    let wal = std::fs::metadata(dir.path().join("activity.db-wal")).map_or(0, |m| m.len());
    // One at a time, as at concurrency 1: how long a request waits for its record.
    let mut one = Vec::new();
    for i in 0..3000 {
        let t = Instant::now();
        recorder.commit(draft(rows + i)).await.unwrap();
        one.push(t.elapsed());
    }
    one.sort();
    let pct = |p: f64| one[((one.len() as f64 * p) as usize).min(one.len() - 1)].as_secs_f64() * 1e3;
    println!(
        "\n2. activity writer: {rows} records appended to the journal and written into activity.db in {:.2} s = {:.0} records/s; WAL {:.1} MB at the end",
        elapsed.as_secs_f64(),
        rows as f64 / elapsed.as_secs_f64(),
        wal as f64 / 1e6
    );
    println!(
        "   one record at a time: recorded (in the journal) after p50 {:.3} ms, p99 {:.3} ms",
        pct(0.5),
        pct(0.99)
    );
}

/// Records `rows` records from 8 producers, each waiting for its records as the gateway does,
/// with 64 in flight; `shape` adjusts each draft. Returns how long it took until all of them
/// were written into `activity.db`.
async fn produce(recorder: &Recorder, rows: u64, shape: impl Fn(&mut Draft, u64) + Copy + Send + 'static) -> Duration {
    let producers = 8;
    let start = Instant::now();
    let tasks: Vec<_> = (0..producers)
        .map(|p| {
            let r = recorder.clone();
            tokio::spawn(async move {
                let mut inflight = futures_util::stream::FuturesUnordered::new();
                let mut i = p;
                while i < rows {
                    let mut d = draft(i);
                    shape(&mut d, i);
                    inflight.push(r.commit(d));
                    if inflight.len() >= 64 {
                        futures_util::StreamExt::next(&mut inflight).await.unwrap().unwrap();
                    }
                    i += producers;
                }
                while let Some(done) = futures_util::StreamExt::next(&mut inflight).await {
                    done.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    recorder.flush().await;
    start.elapsed()
}

/// Records per second a fresh activity database takes from `produce`.
async fn writer_rate(rows: u64, shape: impl Fn(&mut Draft, u64) + Copy + Send + 'static) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        retention_days: 30,
        max_output_bytes: 65536,
        redact_keys: vec!["password".into(), "token".into()],
        open: OpenOptions::default(),
        clock: mcpcp::clock::Clock::system(),
    };
    let recorder = Recorder::start(&dir.path().join("activity.db"), options).unwrap();
    rows as f64 / produce(&recorder, rows, shape).await.as_secs_f64()
}

// ---- 3. queries over a large table -----------------------------------------------------------

fn query() {
    let rows = env_num("MCPCP_BENCH_ROWS", 10_000_000) as i64;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("activity.db");
    let mut db = Db::open(&path, Schema::Activity, OpenOptions::default()).unwrap();
    let start = Instant::now();
    // One row every 60 ms, ending now (10 million rows span about a week).
    let base = chrono::Utc::now() - chrono::Duration::milliseconds(rows * 60);
    let servers = ["files", "github", "search", "crm", "calendar", "wiki", "jira", "slack"];
    let users: Vec<String> = (0..200).map(|u| format!("user-{u}")).collect();
    let tools = [
        "read", "write", "list", "search", "fetch", "create", "update", "delete", "comment", "sync", "query", "export",
    ];
    // Rows go in as the writer puts them: into `activity_recent`, moved into `activity` in
    // batches; the newest thousand are left waiting there, as the writer leaves up to that many.
    let waiting = 1000.min(rows);
    let chunk = 100_000;
    let mut done = 0;
    while done < rows {
        let n = if done < rows - waiting { chunk.min(rows - waiting - done) } else { rows - done };
        db.write(|tx| {
            for i in done..done + n {
                let t = base + chrono::Duration::milliseconds(i * 60);
                let row = store::activity::NewRow {
                    time: store::timestamp(t),
                    server: Some(servers[(i % 8) as usize].into()),
                    kind: if i % 7 == 0 { "list" } else { "tool_call" }.into(),
                    level: if i % 97 == 0 { "warn" } else { "info" }.into(),
                    principal: Some(users[(i % 200) as usize].clone()),
                    auth_method: Some("api_token".into()),
                    source_ip: Some("10.0.0.1".into()),
                    method: Some("tools/call".into()),
                    tool: Some(tools[(i % 12) as usize].into()),
                    input: Some(format!(r#"{{"customer_id":{}}}"#, i % 5000)),
                    output: Some(r#"{"content":[{"type":"text","text":"ok"}]}"#.into()),
                    output_size: Some(40),
                    duration_us: 1200,
                    status: if i % 97 == 0 { "failure" } else { "success" }.into(),
                    http_status: Some(200),
                    trace_id: format!("{i:032x}"),
                    session_id: Some(format!("s{}", i / 50)),
                    ..Default::default()
                };
                store::activity::insert(tx, i + 1, &row)
                    .map_err(|e| store::StoreError::Other { path: path.clone(), detail: e.to_string() })?;
            }
            if done + n <= rows - waiting {
                store::activity::fold(tx)
                    .map_err(|e| store::StoreError::Other { path: path.clone(), detail: e.to_string() })?;
            }
            Ok::<(), store::StoreError>(())
        })
        .unwrap();
        done += n;
    }
    println!(
        "\n3. queries over {rows} activity rows (generated in {:.0} s); each is the newest 50 matches, as `mcpcp logs tail -n 50`:",
        start.elapsed().as_secs_f64()
    );
    let since = |h: i64| Condition::Since(store::timestamp(chrono::Utc::now() - chrono::Duration::hours(h)));
    let eq = |column: &'static str, value: &str| Condition::Equals { column, value: value.into() };
    let cases: Vec<(&str, Vec<Condition>)> = vec![
        ("--server github", vec![eq("server", "github")]),
        ("--user user-42", vec![eq("principal", "user-42")]),
        ("--tool delete", vec![eq("tool", "delete")]),
        ("--status failure", vec![eq("status", "failure")]),
        ("--level warn --user user-5", vec![eq("level", "warn"), eq("principal", "user-5")]),
        ("--type list --server crm", vec![eq("type", "list"), eq("server", "crm")]),
        ("--since 1h --server wiki", vec![since(1), eq("server", "wiki")]),
        (
            "--since 2h --where input.customer_id=42",
            vec![since(2), Condition::Json { column: "input", path: "$.customer_id".into(), value: "42".into() }],
        ),
        (
            "--until 3d --user user-7",
            vec![
                Condition::Until(store::timestamp(chrono::Utc::now() - chrono::Duration::days(3))),
                eq("principal", "user-7"),
            ],
        ),
    ];
    for (name, conditions) in cases {
        let start = Instant::now();
        let found = db.read_sql(|tx| store::activity::newest(tx, &conditions, 50)).unwrap();
        let took = start.elapsed();
        println!("   {:<45} {:>4} rows in {:>8.2} ms", name, found.len(), took.as_secs_f64() * 1000.0);
    }
}

// ---- 4. what limits cost ---------------------------------------------------------------------

async fn limits_cost() {
    let seconds = env_num("MCPCP_BENCH_SECONDS", 5);
    let setup = Setup::new().await;
    let (upstream, cli) = (setup.upstream.as_str(), |args: &[&str]| setup.cli(args));
    let mut tokens = Vec::new();
    for name in ["plain", "limited"] {
        cli(&["server", "create", name, "--url", upstream]);
        tokens.push(cli(&["token", "create", name]));
    }
    cli(&["server", "ip", "limited", "allow", "127.0.0.0/8"]);
    cli(&["server", "ip", "limited", "deny", "10.0.0.0/8"]);
    cli(&["server", "limits", "limited", "--rate", "1000000/1s", "--quota", "1000000000/month"]);
    cli(&["server", "limits", "limited", "--per-user", "--rate", "1000000/1s", "--quota", "1000000000/day"]);
    let (_gateway, base) = setup.serve();
    let (plain, limited) = (format!("{base}/mcp/plain"), format!("{base}/mcp/limited"));

    // The decision itself, as `mcp::limit_check` and `admit` make it per call: the address
    // parsed and checked, two GCRA limiters, two quotas checked and charged.
    let decisions = 1_000_000u32;
    let rules = mcpcp::policy::ip::IpRules {
        allow: vec!["127.0.0.0/8".parse().unwrap()],
        deny: vec!["10.0.0.0/8".parse().unwrap()],
    };
    let gcra = mcpcp::policy::rate::Gcra::new(mcpcp::policy::rate::Rate::parse("1000000/1s").unwrap(), 1_000_000);
    let month = mcpcp::policy::quota::Quota::parse("1000000000/month", None).unwrap();
    let mut book = mcpcp::policy::quota::Book::default();
    let mut tats = std::collections::HashMap::<(i64, String), u64>::new();
    let epoch = Instant::now();
    let start = Instant::now();
    for _ in 0..decisions {
        let ip: std::net::IpAddr = std::hint::black_box("127.0.0.1").parse().unwrap();
        assert!(rules.admits(ip));
        let (user, server) = ((1i64, format!("{}:{}", "api_token", "token-1")), (1i64, String::new()));
        let now = epoch.elapsed().as_nanos() as u64;
        let (mut a, mut b) = (tats.get(&user).copied().unwrap_or(0), tats.get(&server).copied().unwrap_or(0));
        gcra.check(&mut a, now).unwrap();
        gcra.check(&mut b, now).unwrap();
        let who = Some(("api_token".to_string(), "token-1".to_string()));
        let quotas = [
            (mcpcp::policy::quota::Subject { server_id: 1, principal: who }, month),
            (mcpcp::policy::quota::Subject { server_id: 1, principal: None }, month),
        ];
        let wall = chrono::Utc::now();
        book.check(&quotas, wall).unwrap();
        std::hint::black_box(book.charge(&quotas, wall));
        tats.insert(user, a);
        tats.insert(server, b);
    }
    let per_call = start.elapsed().as_nanos() as f64 / f64::from(decisions);

    println!(
        "\n4. what limits cost: IP rules + rate limits + usage quotas (server-wide and per principal), never reached"
    );
    println!("   the decision alone (IP rules, 2 rate limits, 2 quotas checked and charged): {per_call:.0} ns a call");
    // The writer's share: each committed batch also adds the calls' quota counts.
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for round in 0..4 {
        let charged = round % 2 == 1;
        let rate = writer_rate(100_000, move |d, i| {
            if charged {
                let start = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap().to_utc();
                for principal in [Some(("api_token".to_string(), format!("token-{}", i % 8))), None] {
                    d.charges.push(mcpcp::policy::quota::Usage {
                        subject: mcpcp::policy::quota::Subject { server_id: 1, principal },
                        period: mcpcp::policy::quota::Period::Month,
                        start,
                        used: 1,
                    });
                }
            }
        })
        .await;
        if charged { with.push(rate) } else { without.push(rate) }
    }
    let best = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    println!(
        "   the writer with 2 quota counts a record: {:.0} records/s, without: {:.0} ({:+.1}%)",
        best(&with),
        best(&without),
        (best(&without) / best(&with) - 1.0) * 100.0
    );
    println!(
        "   each of C clients calls both servers in turn (order alternating), {seconds} s a level: both paths see the same load"
    );
    println!(
        "   {:>11} {:>10} {:>10} {:>9} {:>9} {:>9} {:>17}",
        "concurrency", "path", "calls/s", "mean ms", "p50 ms", "p99 ms", "cost (mean, p50)"
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for concurrency in [1, 16, 64] {
        let (p, l, elapsed) = load_paired([(&plain, &tokens[0]), (&limited, &tokens[1])], concurrency, seconds).await;
        let summary = |mut v: Vec<Duration>| {
            v.sort();
            let mean = v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64;
            let pct = |q: f64| ms(v[((v.len() as f64 * q) as usize).min(v.len() - 1)]);
            (v.len() as f64 / elapsed.as_secs_f64(), mean, pct(0.5), pct(0.99))
        };
        let (pr, pm, p50, p99) = summary(p);
        let (lr, lm, l50, l99) = summary(l);
        println!("   {concurrency:>11} {:>10} {pr:>10.0} {pm:>9.3} {p50:>9.3} {p99:>9.3}", "no limits");
        println!(
            "   {concurrency:>11} {:>10} {lr:>10.0} {lm:>9.3} {l50:>9.3} {l99:>9.3} {:>+8.1}% {:>+6.1}%",
            "limits",
            (lm / pm - 1.0) * 100.0,
            (l50 / p50 - 1.0) * 100.0
        );
    }
}

// ---- 5. busy polling -------------------------------------------------------------------------

/// CPU time the process `pid` has used so far, in ns: the sum over its threads of
/// `/proc/<pid>/task/<tid>/schedstat` (time on a CPU, in ns; `/proc/<pid>/stat` counts in 10 ms
/// ticks, too coarse for a second of calls). A thread that has ended is not counted; the
/// gateway's threads (workers, the activity writer) live as long as it does.
fn cpu_ns(pid: u32) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().flatten() {
        let stat = std::fs::read_to_string(entry.path().join("schedstat")).unwrap_or_default();
        total += stat.split_whitespace().next().and_then(|t| t.parse::<u64>().ok()).unwrap_or(0);
    }
    total
}

/// One way to the upstream in [`busy_polling`]: the URL, its token, and the gateway process
/// (none for direct calls).
struct PollPath {
    name: String,
    url: String,
    token: Option<String>,
    pid: Option<u32>,
}

/// What [`poll_load`] measured on one path.
struct PollStats {
    p50: Duration,
    calls: usize,
    elapsed: Duration,
    /// The gateway's CPU time over those calls, ns.
    cpu_ns: u64,
}

impl PollStats {
    fn cpu_us_per_call(&self) -> f64 {
        self.cpu_ns as f64 / 1e3 / self.calls as f64
    }
}

/// One client per path calling `tool` with `arguments` one call at a time, in rounds of 1 s, the
/// order rotating, for `seconds` rounds; each round also reads the CPU time its gateway used.
async fn poll_load(paths: &[PollPath], tool: &str, arguments: &str, expect: &[u8], seconds: u64) -> Vec<PollStats> {
    let http = reqwest::Client::builder().pool_max_idle_per_host(2).build().unwrap();
    let mut sessions = Vec::new();
    for p in paths {
        let s = Session::open(http.clone(), &p.url, p.token.as_deref()).await;
        // A few calls first: connections open, the estimate of the upstream's answer times made.
        for n in 0..20 {
            s.call_tool(n, tool, arguments, expect).await;
        }
        sessions.push(s);
    }
    let mut stats: Vec<_> = paths.iter().map(|_| (Vec::<Duration>::new(), Duration::ZERO, 0u64)).collect();
    let mut n = 100;
    for round in 0..seconds as usize {
        for k in 0..paths.len() {
            let p = (round + k) % paths.len();
            let cpu_before = paths[p].pid.map(cpu_ns);
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(1) {
                let t = Instant::now();
                sessions[p].call_tool(n, tool, arguments, expect).await;
                stats[p].0.push(t.elapsed());
                n += 1;
            }
            stats[p].1 += start.elapsed();
            if let (Some(pid), Some(before)) = (paths[p].pid, cpu_before) {
                stats[p].2 += cpu_ns(pid) - before;
            }
        }
    }
    stats
        .into_iter()
        .map(|(mut all, elapsed, cpu_ns)| {
            all.sort();
            PollStats { p50: all[all.len() / 2], calls: all.len(), elapsed, cpu_ns }
        })
        .collect()
}

async fn busy_polling() {
    let seconds = env_num("MCPCP_BENCH_SECONDS", 5);
    // Two upstreams (the same rmcp fixture): one called with `echo`, answering at once, and one
    // called with `sleep` 5 ms, answering after 5 ms. mcpcp keeps its estimate per server.
    let setup = Setup::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let slow_upstream = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(fixture_server::serve_http(listener, setup.shutdown.clone()));
    // Each gateway: a process and a data directory of its own, with both servers.
    let start = |name: &str, exe: std::path::PathBuf, env: &[(&str, &str)]| {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut tokens = Vec::new();
        for (server, url) in [("fast", setup.upstream.as_str()), ("slow", slow_upstream.as_str())] {
            cli_of(&exe, &data, &["server", "create", server, "--url", url]);
            tokens.push(cli_of(&exe, &data, &["token", "create", server]));
        }
        let (guard, base) = serve_with(&exe, &data, env);
        (name.to_string(), guard, base, tokens, dir)
    };
    let exe = mcpcp_exe();
    let mut gateways = vec![start("adaptive", exe.clone(), &[]), start("off", exe, &[("MCPCP_BUSY_POLL_US", "0")])];
    if let Some(other) = std::env::var_os("MCPCP_BENCH_COMPARE") {
        gateways.push(start("compare", other.into(), &[]));
    }
    // Direct calls first, then one path through each gateway.
    let paths_to = |server: usize| {
        let mut paths: Vec<PollPath> = gateways
            .iter()
            .map(|(name, guard, base, tokens, _)| PollPath {
                name: name.clone(),
                url: format!("{base}/mcp/{}", ["fast", "slow"][server]),
                token: Some(tokens[server].clone()),
                pid: Some(guard.0.id()),
            })
            .collect();
        let url = [&setup.upstream, &slow_upstream][server].clone();
        paths.insert(0, PollPath { name: "direct".into(), url, token: None, pid: None });
        paths
    };
    println!(
        "\n5. busy polling: mcpcp with adaptive polling (busy_poll_us default) vs polling off (MCPCP_BUSY_POLL_US=0), concurrency 1"
    );
    println!(
        "   {seconds} s per path, in rounds of 1 s; CPU: the gateway process's, from /proc/<pid>/task/*/schedstat{}",
        if gateways.len() > 2 { "; compare: MCPCP_BENCH_COMPARE" } else { "" }
    );
    println!(
        "   {:>18} {:>9} {:>8} {:>8} {:>10} {:>12} {:>11}",
        "upstream", "path", "calls/s", "p50 ms", "added p50", "CPU µs/call", "CPU vs off"
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let cases = [
        ("loopback (echo)", 0, "echo", r#"{"text":"call with some text"}"#, &b"call"[..]),
        ("5 ms (sleep 5)", 1, "sleep", r#"{"ms":5}"#, &b"slept"[..]),
    ];
    for (label, server, tool, arguments, expect) in cases {
        let paths = paths_to(server);
        let stats = poll_load(&paths, tool, arguments, expect, seconds).await;
        let direct = &stats[0];
        let off = paths.iter().position(|p| p.name == "off").map(|i| &stats[i]).unwrap();
        for (path, s) in paths.iter().zip(&stats) {
            let (added, cpu, ratio) = if path.pid.is_none() {
                (String::new(), String::new(), String::new())
            } else {
                (
                    format!("{:.3}", ms(s.p50.saturating_sub(direct.p50))),
                    format!("{:.1}", s.cpu_us_per_call()),
                    format!("{:.2}", s.cpu_us_per_call() / off.cpu_us_per_call()),
                )
            };
            println!(
                "   {label:>18} {:>9} {:>8.0} {:>8.3} {added:>10} {cpu:>12} {ratio:>11}",
                path.name,
                s.calls as f64 / s.elapsed.as_secs_f64(),
                ms(s.p50)
            );
        }
    }
}
