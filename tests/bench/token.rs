//! The report's section 6, what attaching a linked account's token costs. One upstream (the
//! fixture, which serves whatever `Authorization` header it is sent: it checks none) behind two
//! servers of one gateway, both with API-token auth: `plain` (`upstream_auth` none) and `linked`
//! (`oauth`, with a shared linked account, the connection API-token principals use). On `linked`
//! the gateway checks before each request whether the account's token is due for a refresh (it
//! is a day from expiry: never) and sends it as `Authorization: Bearer`; on `plain` it does
//! neither. That the token really goes upstream is checked once with the fixture's `whoami`, so
//! the figures cannot pass without it.
//!
//! Each level runs `MCPCP_BENCH_SECONDS` rounds. A round is 1 s with every client calling the
//! three paths (direct, plain, linked) in turn, the order rotating, so all three see the same
//! load: the latencies; then 1 s of each path alone, the order rotating from round to round: the
//! calls per second, and the gateway process's CPU time per call (both gateway paths run in the
//! one process, so its CPU time is only theirs apart).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mcpcp::clock::Clock;

use super::{PollPath, Session, Setup, cpu_ns, env_num, levels};

/// The linked account's access token: as long as a typical JWT access token, so the bytes it adds
/// to every upstream request are not flattered.
fn access_token() -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let body: String = (0..1000).map(|i| alphabet[(i * 7 + 3) % alphabet.len()] as char).collect();
    format!("bench.{body}")
}

/// Marks `server` as signing in upstream (`upstream_auth` oauth, made-up endpoints: nothing
/// contacts them while the token is far from expiry) and links its shared account.
fn link_shared(data: &std::path::Path, server: &str, resource: &str, access: &str) {
    let dir = mcpcp::datadir::DataDir::open_or_create(data).unwrap();
    let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
    let key = dir.key().unwrap();
    let ctx = mcpcp::ops::Ctx::local_cli(&Clock::system());
    let setup = mcpcp::ops::upstream_auth::UpstreamOauthSetup {
        resource: resource.into(),
        issuer: Some("https://as.bench.invalid".into()),
        authorization_endpoint: "https://as.bench.invalid/authorize".into(),
        token_endpoint: "https://as.bench.invalid/token".into(),
        revocation_endpoint: None,
        iss_parameter: true,
        client_id: "mcpcp-bench".into(),
        client_secret: None,
        auth_method: "none".into(),
        registration: "admin",
        scopes: vec!["read".into()],
    };
    mcpcp::ops::upstream_auth::set_upstream_oauth(&mut db, &ctx, &key, server, setup).unwrap();
    let link = mcpcp::ops::connection::Link {
        server,
        user: None,
        access_token: mcpcp::secrets::Secret::new(access.into()),
        refresh_token: Some(mcpcp::secrets::Secret::new("bench-refresh".into())),
        expires_at: Some(chrono::Utc::now() + chrono::Duration::days(1)),
        scopes: vec!["read".into()],
        subject: Some("bench".into()),
    };
    mcpcp::ops::connection::link(&mut db, &ctx, &key, link).unwrap();
}

/// The answer to a `whoami` call: the upstream's view of the request's headers.
pub(crate) async fn whoami(s: &Session) -> String {
    let r = s.post(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami"}}"#.into()).await;
    assert!(r.status().is_success(), "{}", r.status());
    let body = String::from_utf8(r.bytes().await.unwrap().to_vec()).unwrap();
    assert!(body.contains(r#""result""#), "{body}");
    body
}

/// One client: a session on each path, and the id of its next call.
struct Client {
    sessions: Vec<Session>,
    next: AtomicU64,
}

/// Every client calls until `until`: `only` that path, or each path in turn, the order rotating
/// from call to call and client to client. The latencies, per path.
async fn drive(clients: &[Arc<Client>], only: Option<usize>, until: Instant) -> Vec<Vec<Duration>> {
    let workers: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(w, c)| {
            let c = c.clone();
            tokio::spawn(async move {
                let paths = c.sessions.len();
                let mut latencies = vec![Vec::new(); paths];
                let mut i = w;
                while Instant::now() < until {
                    let order: Vec<usize> = match only {
                        Some(p) => vec![p],
                        None => (0..paths).map(|k| (i + k) % paths).collect(),
                    };
                    for p in order {
                        let n = c.next.fetch_add(1, Ordering::Relaxed);
                        let t = Instant::now();
                        c.sessions[p].call(n).await;
                        latencies[p].push(t.elapsed());
                    }
                    i += 1;
                }
                latencies
            })
        })
        .collect();
    let mut all = vec![Vec::new(); clients.first().map_or(0, |c| c.sessions.len())];
    for w in workers {
        for (p, l) in w.await.unwrap().into_iter().enumerate() {
            all[p].extend(l);
        }
    }
    all
}

/// What one path measured at one level.
#[derive(Default)]
pub(crate) struct Measured {
    /// Under the shared load, sorted.
    latencies: Vec<Duration>,
    /// Calls made with the path alone, and how long that took.
    calls: usize,
    alone: Duration,
    /// The gateway's CPU time over those calls, ns.
    cpu_ns: u64,
    /// The upstream's and the clients' (this process's) CPU time over them, ns, when the
    /// upstream's process is known.
    upstream_cpu_ns: u64,
    client_cpu_ns: u64,
}

impl Measured {
    pub(crate) fn rate(&self) -> f64 {
        self.calls as f64 / self.alone.as_secs_f64()
    }

    pub(crate) fn ms(&self, q: f64) -> f64 {
        let l = &self.latencies;
        l[((l.len() as f64 * q) as usize).min(l.len() - 1)].as_secs_f64() * 1e3
    }

    pub(crate) fn cpu_us(&self) -> f64 {
        self.cpu_ns as f64 / 1e3 / self.calls as f64
    }

    /// The upstream's CPU µs per call.
    pub(crate) fn upstream_cpu_us(&self) -> f64 {
        self.upstream_cpu_ns as f64 / 1e3 / self.calls as f64
    }

    /// The clients' CPU µs per call.
    pub(crate) fn client_cpu_us(&self) -> f64 {
        self.client_cpu_ns as f64 / 1e3 / self.calls as f64
    }
}

/// `concurrency` clients on `paths`, for `seconds` rounds (see the module's comment).
pub(crate) async fn measure(paths: &[PollPath], concurrency: usize, seconds: u64) -> Vec<Measured> {
    measure_with(paths, None, concurrency, seconds).await
}

/// [`measure`], also reading the CPU time of the process `upstream` and of the clients.
pub(crate) async fn measure_with(
    paths: &[PollPath],
    upstream: Option<u32>,
    concurrency: usize,
    seconds: u64,
) -> Vec<Measured> {
    let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency * 2).build().unwrap();
    let mut clients = Vec::new();
    for c in 0..concurrency {
        let mut sessions = Vec::new();
        for p in paths {
            let s = Session::open(http.clone(), &p.url, p.token.as_deref()).await;
            s.call(0).await;
            sessions.push(s);
        }
        clients.push(Arc::new(Client { sessions, next: AtomicU64::new(1 + c as u64 * 1_000_000_000) }));
    }
    let mut measured: Vec<Measured> = paths.iter().map(|_| Measured::default()).collect();
    let second = Duration::from_secs(1);
    for round in 0..seconds as usize {
        for (m, l) in measured.iter_mut().zip(drive(&clients, None, Instant::now() + second).await) {
            m.latencies.extend(l);
        }
        for k in 0..paths.len() {
            let p = (round + k) % paths.len();
            let cpu_before = paths[p].pid.map(cpu_ns);
            let (upstream_before, client_before) = (upstream.map(cpu_ns), cpu_ns(std::process::id()));
            let start = Instant::now();
            let done = drive(&clients, Some(p), start + second).await;
            measured[p].alone += start.elapsed();
            measured[p].calls += done[p].len();
            if let (Some(pid), Some(before)) = (paths[p].pid, cpu_before) {
                measured[p].cpu_ns += cpu_ns(pid) - before;
            }
            if let (Some(pid), Some(before)) = (upstream, upstream_before) {
                measured[p].upstream_cpu_ns += cpu_ns(pid) - before;
                measured[p].client_cpu_ns += cpu_ns(std::process::id()) - client_before;
            }
        }
    }
    for m in &mut measured {
        m.latencies.sort();
    }
    measured
}

pub(crate) async fn token_cost() {
    let seconds = env_num("MCPCP_BENCH_SECONDS", 5);
    let setup = Setup::new().await;
    let upstream = setup.upstream.as_str();
    let mut tokens = Vec::new();
    for name in ["plain", "linked"] {
        setup.cli(&["server", "create", name, "--url", upstream]);
        tokens.push(setup.cli(&["token", "create", name]));
    }
    let access = access_token();
    link_shared(&setup.dir.path().join("data"), "linked", upstream, &access);
    let (gateway, base) = setup.serve();
    let pid = Some(gateway.0.id());
    let paths = [
        PollPath { name: "direct".into(), url: upstream.into(), token: None, pid: None },
        PollPath { name: "none".into(), url: format!("{base}/mcp/plain"), token: Some(tokens[0].clone()), pid },
        PollPath { name: "token".into(), url: format!("{base}/mcp/linked"), token: Some(tokens[1].clone()), pid },
    ];

    // The linked account's token reaches the upstream (the fixture reports its SHA-256); the
    // plain server's requests carry no Authorization at all.
    let http = reqwest::Client::new();
    let sent = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("Bearer {access}").as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let linked = whoami(&Session::open(http.clone(), &paths[2].url, paths[2].token.as_deref()).await).await;
    assert!(
        linked.contains(&format!("authorization: {sent}")),
        "the linked token did not reach the upstream: {linked}"
    );
    let plain = whoami(&Session::open(http, &paths[1].url, paths[1].token.as_deref()).await).await;
    assert!(!plain.contains("authorization"), "the plain server sent an Authorization header: {plain}");

    println!(
        "\n6. what attaching a linked account's token costs: tools/call echo through one gateway (API-token auth) to a server"
    );
    println!(
        "   with upstream_auth none and to one with upstream_auth oauth and a shared linked account (a {}-byte token, seen",
        access.len()
    );
    println!(
        "   to reach the upstream), and direct; a level is {seconds} rounds: 1 s of all paths in turn (p50, p99: the same load),"
    );
    println!("   then 1 s of each path alone (calls/s; the gateway's CPU per call, from /proc), the order rotating");
    println!(
        "   {:>11} {:>8} {:>10} {:>9} {:>9} {:>12}",
        "concurrency", "path", "calls/s", "p50 ms", "p99 ms", "CPU µs/call"
    );
    for concurrency in levels(&[1, 64]) {
        let m = measure(&paths, concurrency, seconds).await;
        for (path, s) in paths.iter().zip(&m) {
            let cpu = if path.pid.is_some() { format!("{:.1}", s.cpu_us()) } else { String::new() };
            println!(
                "   {concurrency:>11} {:>8} {:>10.0} {:>9.3} {:>9.3} {cpu:>12}",
                path.name,
                s.rate(),
                s.ms(0.5),
                s.ms(0.99)
            );
        }
        let (direct, none, token) = (&m[0], &m[1], &m[2]);
        println!(
            "   {concurrency:>11} ratio token/none: calls/s {:.3}, p50 {:.3}x, p99 {:.3}x, CPU {:.3}x",
            token.rate() / none.rate(),
            token.ms(0.5) / none.ms(0.5),
            token.ms(0.99) / none.ms(0.99),
            token.cpu_us() / none.cpu_us()
        );
        for (name, s) in [("none", none), ("token", token)] {
            println!(
                "   {concurrency:>11} {name:>5} vs direct: calls/s {:.3}, p50 {:.2}x, p99 {:.2}x",
                s.rate() / direct.rate(),
                s.ms(0.5) / direct.ms(0.5),
                s.ms(0.99) / direct.ms(0.99)
            );
        }
    }
}
