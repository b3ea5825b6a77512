//! The report's section 7, what telling the upstream who calls costs (`server identity`). One
//! upstream (the fixture) behind three servers of one gateway, all with API-token auth: `none`
//! (forwarding off), `headers,meta` (the `X-MCPCP-*` headers and `params._meta`, no signature)
//! and `all` (`headers,jwt,meta`: also an Ed25519-signed JWT for each request), plus the
//! upstream called directly, in the same run. That each path sends what it should is checked
//! once with the fixture's `whoami` and `meta`, so the figures cannot pass without it.
//!
//! Measured as section 6 (`token::measure`): each level runs `MCPCP_BENCH_SECONDS` rounds of 1 s
//! with every client calling the paths in turn (p50, p99 under the same load), then 1 s of each
//! path alone (calls/s, and the gateway's CPU time per call from /proc).

use super::token::{Measured, measure, whoami};
use super::{PollPath, Session, Setup, env_num, levels};

/// The answer of the fixture's `meta` tool: the `params._meta` the upstream received.
async fn meta(s: &Session) -> String {
    let r = s.post(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"meta"}}"#.into()).await;
    assert!(r.status().is_success(), "{}", r.status());
    String::from_utf8(r.bytes().await.unwrap().to_vec()).unwrap()
}

pub(crate) async fn identity_cost() {
    let seconds = env_num("MCPCP_BENCH_SECONDS", 5);
    let setup = Setup::new().await;
    let upstream = setup.upstream.as_str();
    // (server, --forward, the path's name in the report)
    let servers =
        [("none", "none", "none"), ("partial", "headers,meta", "hdr+meta"), ("all", "headers,jwt,meta", "all")];
    let mut tokens = Vec::new();
    for (name, forward, _) in servers {
        setup.cli(&["server", "create", name, "--url", upstream]);
        if forward != "none" {
            setup.cli(&["server", "identity", name, "--forward", forward]);
        }
        tokens.push(setup.cli(&["token", "create", name, "--name", "bench"]));
    }
    let (gateway, base) = setup.serve();
    let pid = Some(gateway.0.id());
    let mut paths = vec![PollPath { name: "direct".into(), url: upstream.into(), token: None, pid: None }];
    for ((name, _, label), token) in servers.iter().zip(&tokens) {
        let url = format!("{base}/mcp/{name}");
        paths.push(PollPath { name: (*label).into(), url, token: Some(token.clone()), pid });
    }

    // What each path sends: nothing, the headers and _meta, and those with the JWT.
    let http = reqwest::Client::new();
    for (p, (name, _, _)) in paths[1..].iter().zip(servers) {
        let s = Session::open(http.clone(), &p.url, p.token.as_deref()).await;
        let (seen, meta) = (whoami(&s).await, meta(&s).await);
        let (headers, jwt, in_meta) = (
            seen.contains("x-mcpcp-user: token:bench"),
            seen.contains("x-mcpcp-identity: ey"),
            meta.contains("io.mcpcp/identity"),
        );
        let want = match name {
            "none" => (false, false, false),
            "partial" => (true, false, true),
            _ => (true, true, true),
        };
        assert_eq!((headers, jwt, in_meta), want, "{name}: {seen} {meta}");
    }

    println!(
        "\n7. what telling the upstream who calls costs: tools/call echo through one gateway (API-token auth) to servers"
    );
    println!(
        "   with `server identity --forward` none, headers,meta and headers,jwt,meta (a JWT signed for each request;"
    );
    println!(
        "   each checked to reach the upstream), and direct; a level is {seconds} rounds: 1 s of all paths in turn (p50,"
    );
    println!(
        "   p99: the same load), then 1 s of each path alone (calls/s; the gateway's CPU per call, from /proc), the order rotating"
    );
    println!(
        "   {:>11} {:>8} {:>10} {:>9} {:>9} {:>12}",
        "concurrency", "path", "calls/s", "p50 ms", "p99 ms", "CPU µs/call"
    );
    for concurrency in levels(&[1, 64]) {
        let m: Vec<Measured> = measure(&paths, concurrency, seconds).await;
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
        let (direct, none) = (&m[0], &m[1]);
        for (path, s) in paths[2..].iter().zip(&m[2..]) {
            println!(
                "   {concurrency:>11} ratio {}/none: calls/s {:.3}, p50 {:.3}x (+{:.3} ms), p99 {:.3}x, CPU {:.3}x (+{:.1} µs)",
                path.name,
                s.rate() / none.rate(),
                s.ms(0.5) / none.ms(0.5),
                s.ms(0.5) - none.ms(0.5),
                s.ms(0.99) / none.ms(0.99),
                s.cpu_us() / none.cpu_us(),
                s.cpu_us() - none.cpu_us()
            );
        }
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
