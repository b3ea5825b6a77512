//! The report's section 11, what composing costs. One upstream (the fixture) behind one gateway
//! as the proxy server `src` and as the composed server `desk`, whose one tool `echo` forwards to
//! `src:echo` (issue 23: a composed tool that forwards to one upstream tool must cost within 10%
//! of the proxied call), plus the upstream called directly, in the same run. Both gateway paths
//! use API-token auth and keep the activity log with full capture; the composed call's record
//! carries its step. That the composed path really forwards is checked once (the answer is the
//! upstream's echo, and the record names its origin).
//!
//! Measured as section 6 (`token::measure`): each level runs `MCPCP_BENCH_SECONDS` rounds of 1 s
//! with every client calling the paths in turn (p50, p99 under the same load), then 1 s of each
//! path alone (calls/s, and the gateway's CPU time per call from /proc).

use super::token::measure;
use super::{PollPath, Session, Setup, env_num, levels};

pub(crate) async fn composed_cost() {
    let seconds = env_num("MCPCP_BENCH_SECONDS", 5);
    let setup = Setup::new().await;
    let upstream = setup.upstream.as_str();
    setup.cli(&["server", "create", "src", "--url", upstream]);
    setup.cli(&["tool", "sync", "src"]);
    setup.cli(&["server", "create", "desk", "--composed"]);
    setup.cli(&["server", "tool", "add", "desk", "--from", "src:echo"]);
    let proxied = setup.cli(&["token", "create", "src", "--name", "bench"]);
    let composed = setup.cli(&["token", "create", "desk", "--name", "bench"]);
    let (gateway, base) = setup.serve();
    let pid = Some(gateway.0.id());
    let paths = [
        PollPath { name: "direct".into(), url: upstream.into(), token: None, pid: None },
        PollPath { name: "proxied".into(), url: format!("{base}/mcp/src"), token: Some(proxied), pid },
        PollPath { name: "composed".into(), url: format!("{base}/mcp/desk"), token: Some(composed), pid },
    ];

    // The composed path forwards: its answer is the upstream's, and its record names the source.
    let s = Session::open(reqwest::Client::new(), &paths[2].url, paths[2].token.as_deref()).await;
    s.call(1).await;
    let records = setup.cli(&["logs", "tail", "--origin", "src:echo", "-o", "json"]);
    assert!(records.contains(r#""target":"src:echo""#), "the composed call has no step: {records}");

    println!(
        "\n11. what composing costs: tools/call echo through one gateway (API-token auth, full capture) to the proxy"
    );
    println!(
        "   server of the upstream and to a composed server whose `echo` forwards to it (a step recorded per call),"
    );
    println!(
        "   and direct; a level is {seconds} rounds: 1 s of all paths in turn (p50, p99: the same load), then 1 s of"
    );
    println!("   each path alone (calls/s; the gateway's CPU per call, from /proc), the order rotating");
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
        let (direct, proxied, composed) = (&m[0], &m[1], &m[2]);
        println!(
            "   {concurrency:>11} ratio composed/proxied: calls/s {:.3}, p50 {:.3}x (+{:.3} ms), p99 {:.3}x, CPU {:.3}x (+{:.1} µs)",
            composed.rate() / proxied.rate(),
            composed.ms(0.5) / proxied.ms(0.5),
            composed.ms(0.5) - proxied.ms(0.5),
            composed.ms(0.99) / proxied.ms(0.99),
            composed.cpu_us() / proxied.cpu_us(),
            composed.cpu_us() - proxied.cpu_us()
        );
        for (path, s) in paths[1..].iter().zip(&m[1..]) {
            println!(
                "   {concurrency:>11} {:>8} vs direct: calls/s {:.3}, p50 +{:.3} ms, p99 {:.2}x",
                path.name,
                s.rate() / direct.rate(),
                s.ms(0.5) - direct.ms(0.5),
                s.ms(0.99) / direct.ms(0.99)
            );
        }
    }
}
