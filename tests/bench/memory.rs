//! The report's section 10, the gateway's memory: its resident set (`VmRSS` of
//! `/proc/<pid>/status`) once it serves and has answered one request, with one server on the
//! minimal hyper upstream capturing inputs and outputs (`full`), busy polling at its default; then
//! again with `MCPCP_BENCH_SESSIONS` idle sessions open (default 1000: each initialized, its
//! upstream session open, then left alone), and what each session adds. The sessions belong to
//! four API tokens, within the default cap of sessions per principal.

use super::{Session, Setup, Upstream, cli_of, env_num, mcpcp_exe, serve_with};

/// The resident set of process `pid`, KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

pub(crate) async fn memory() {
    let sessions = env_num("MCPCP_BENCH_SESSIONS", 1000) as usize;
    let setup = Setup::without_upstream();
    let upstream = Upstream::spawn("hyper");
    let (exe, data) = (mcpcp_exe(), setup.dir.path().join("data"));
    cli_of(&exe, &data, &["server", "create", "bench", "--url", &upstream.url, "--capture", "full"]);
    let tokens: Vec<String> =
        (0..4).map(|i| cli_of(&exe, &data, &["token", "create", "bench", "--name", &format!("t{i}")])).collect();
    let (gateway, base) = serve_with(&exe, &data, &[]);
    let (pid, url) = (gateway.0.id(), format!("{base}/mcp/bench"));
    let http = reqwest::Client::new();
    // One call first: the request path's first allocations are made.
    Session::open(http.clone(), &url, Some(&tokens[0])).await.call(1).await;
    let idle = rss_kib(pid);
    let mut open = Vec::with_capacity(sessions);
    for i in 0..sessions {
        open.push(Session::open(http.clone(), &url, Some(&tokens[i % tokens.len()])).await);
    }
    let with_sessions = rss_kib(pid);
    println!("\n10. memory: mcpcp serve with one server (hyper upstream, capture full), busy polling at its default");
    println!("   idle, after one call: RSS {:.1} MiB", idle as f64 / 1024.0);
    println!(
        "   with {sessions} idle sessions (each with its upstream session): RSS {:.1} MiB, {:.1} KiB a session",
        with_sessions as f64 / 1024.0,
        with_sessions.saturating_sub(idle) as f64 / sessions.max(1) as f64
    );
    drop(open);
    drop(gateway);
}
