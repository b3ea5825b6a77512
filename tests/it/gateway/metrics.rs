//! The Prometheus metrics at `/metrics`: calls through real stdio upstreams counted by server,
//! method, tool and status, refusals by reason, upstream errors by fault, restarts, sessions;
//! labels bounded (an unknown tool or server adds no series); the metrics listener; the scrape
//! token on the main listener.

use std::time::Duration;

use reqwest::StatusCode;
use rmcp::model::CallToolRequestParams;
use serde_json::json;

use super::activity::logs;
use super::client::{TestClient, args, connect, text};
use super::harness::{Gateway, eventually, fixture_stdio};
use super::http::Raw;
use crate::support::{Mcpcp, wait_for};

/// The base URL of the gateway's metrics listener, from the line `serve` prints.
fn metrics_base(gw: &Gateway) -> String {
    let mut base = String::new();
    wait_for("the metrics line", Duration::from_secs(10), || {
        let log = gw.log();
        let found =
            log.lines().find_map(|l| l.strip_prefix("mcpcp metrics on ")).and_then(|r| r.split("/metrics").next());
        base = found.unwrap_or_default().to_string();
        !base.is_empty()
    });
    base
}

async fn scrape(url: &str) -> String {
    let r = reqwest::get(url).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

/// The value of one series (`name{labels}` exactly as exposed), if it is there.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

fn series_of<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(&format!("{name}{{"))).collect()
}

/// A data directory with stdio fixture servers (tools registered before the gateway starts):
/// `fx`, `lim` (one call an hour) and `quo` (one call a day); a token for each.
fn servers() -> (Mcpcp, [String; 3]) {
    let m = Mcpcp::new();
    let fixture = fixture_stdio();
    let tokens = ["fx", "lim", "quo"].map(|name| {
        m.ok(&["server", "create", name, "--command", fixture.to_str().unwrap()]);
        m.ok(&["tool", "sync", name]);
        m.ok(&["token", "create", name]).trim().to_string()
    });
    m.ok(&["server", "limits", "lim", "--rate", "1/1h"]);
    m.ok(&["server", "limits", "quo", "--quota", "1/day"]);
    (m, tokens)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_refusals_and_upstream_failures_are_counted_with_bounded_labels() {
    let (m, [token, lim_token, quo_token]) = servers();
    let gw = Gateway::start(m, &["--metrics-listen", "127.0.0.1:0"]);
    let metrics = format!("{}/metrics", metrics_base(&gw));
    // Without a scrape token the main listener does not serve the metrics at all.
    let main = reqwest::get(format!("{}/metrics", gw.base)).await.unwrap();
    assert_eq!(main.status(), StatusCode::NOT_FOUND);
    let before = scrape(&metrics).await;
    assert_eq!(value(&before, "mcpcp_sessions_open{server=\"fx\"}"), Some(0.0), "{before}");
    assert!(value(&before, &format!("mcpcp_build_info{{version=\"{}\"}}", env!("CARGO_PKG_VERSION"))) == Some(1.0));
    assert!(series_of(&before, "mcpcp_calls_total").is_empty(), "{before}");

    let client = connect(&gw.url("fx"), &token, TestClient::default()).await.unwrap();
    for n in 0..3 {
        let r = client
            .call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": format!("call {n}")}))))
            .await
            .unwrap();
        assert_eq!(text(&r), format!("call {n}"));
    }
    // A tool the upstream does not have: forwarded, answered with -32602 (the client's fault).
    assert!(client.call_tool(CallToolRequestParams::new("no-such-tool-1")).await.is_err());
    let after = scrape(&metrics).await;
    let echo = "{server=\"fx\",method=\"tools/call\",tool=\"echo\"";
    assert_eq!(value(&after, &format!("mcpcp_calls_total{echo},status=\"success\"}}")), Some(3.0), "{after}");
    assert_eq!(value(&after, &format!("mcpcp_call_duration_seconds_count{echo}}}")), Some(3.0), "{after}");
    let other = "mcpcp_calls_total{server=\"fx\",method=\"tools/call\",tool=\"_other\",status=\"failure\"}";
    assert_eq!(value(&after, other), Some(1.0), "{after}");
    let added = value(&after, "mcpcp_call_added_duration_seconds_count{server=\"fx\",method=\"tools/call\"}");
    assert_eq!(added, Some(4.0), "{after}");
    assert_eq!(value(&after, "mcpcp_upstream_errors_total{server=\"fx\",fault=\"client\"}"), Some(1.0), "{after}");
    assert_eq!(value(&after, "mcpcp_sessions_open{server=\"fx\"}"), Some(1.0), "{after}");
    // The counter agrees with the activity log.
    assert_eq!(logs(&gw.m, &["--tool", "echo"]).len(), 3);

    // Another unknown tool and an unknown server add no series: their calls share `_other`.
    let calls_before = series_of(&after, "mcpcp_calls_total").len();
    assert!(client.call_tool(CallToolRequestParams::new("no-such-tool-2")).await.is_err());
    let nowhere = Raw::new(&format!("{}/mcp/no-such-server", gw.base), &token).post_json(json!({})).await;
    assert_eq!(nowhere.status, StatusCode::UNAUTHORIZED);
    let bounded = scrape(&metrics).await;
    assert_eq!(value(&bounded, other), Some(2.0), "{bounded}");
    assert!(!bounded.contains("no-such"), "{bounded}");
    let calls_after: Vec<&str> = series_of(&bounded, "mcpcp_calls_total");
    assert_eq!(calls_after.len(), calls_before + 1, "only the unknown server's series: {calls_after:#?}");
    assert!(calls_after.iter().any(|l| l.contains("server=\"_other\"")), "{calls_after:#?}");

    // Refusals by reason: no credential, an unknown server, a rate limit, a quota, an address.
    let mut anonymous = Raw::new(&gw.url("fx"), "");
    anonymous.token = None;
    assert_eq!(anonymous.post_json(json!({})).await.status, StatusCode::UNAUTHORIZED);
    for (server, token) in [("lim", &lim_token), ("quo", &quo_token)] {
        let limited = connect(&gw.url(server), token, TestClient::default()).await.unwrap();
        let call = || limited.call_tool(CallToolRequestParams::new("echo").with_arguments(args(json!({"text": "x"}))));
        call().await.unwrap();
        assert!(call().await.is_err(), "the second call to {server} is refused");
        limited.cancel().await.unwrap();
    }
    // A crash: the call fails (the upstream's fault) and the process is restarted.
    assert!(client.call_tool(CallToolRequestParams::new("crash")).await.is_err());
    eventually("the restart counted", Duration::from_secs(10), || {
        let metrics = metrics.clone();
        async move { value(&scrape(&metrics).await, "mcpcp_stdio_restarts_total{server=\"fx\"}") == Some(1.0) }
    })
    .await;
    gw.m.ok(&["server", "ip", "fx", "deny", "127.0.0.1"]);
    eventually("the address refused", Duration::from_secs(5), || {
        let url = gw.url("fx");
        let token = token.clone();
        async move { Raw::new(&url, &token).post_json(json!({})).await.status == StatusCode::FORBIDDEN }
    })
    .await;
    let last = scrape(&metrics).await;
    for (series, want) in [
        ("mcpcp_refusals_total{server=\"fx\",reason=\"auth_failure\"}", 1.0),
        ("mcpcp_refusals_total{server=\"_other\",reason=\"auth_failure\"}", 1.0),
        ("mcpcp_refusals_total{server=\"lim\",reason=\"rate_limited\"}", 1.0),
        ("mcpcp_refusals_total{server=\"quo\",reason=\"quota_exceeded\"}", 1.0),
        ("mcpcp_refusals_total{server=\"fx\",reason=\"ip_denied\"}", 1.0),
        ("mcpcp_upstream_errors_total{server=\"fx\",fault=\"upstream\"}", 1.0),
        ("mcpcp_upstream_errors_total{server=\"fx\",fault=\"client\"}", 2.0),
        ("mcpcp_calls_total{server=\"lim\",method=\"tools/call\",tool=\"echo\",status=\"failure\"}", 1.0),
        ("mcpcp_stdio_restarts_total{server=\"fx\"}", 1.0),
        ("mcpcp_spans_dropped_total", 0.0),
    ] {
        assert_eq!(value(&last, series), Some(want), "{series} in\n{last}");
    }
    assert!(value(&last, "mcpcp_activity_backlog").is_some(), "{last}");
    assert!(value(&last, "mcpcp_activity_commit_duration_seconds_count").is_some_and(|n| n > 0.0), "{last}");
    // No label names a principal.
    assert!(!last.contains("token-1"), "{last}");
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_token_guards_the_metrics_on_both_listeners() {
    use std::os::unix::fs::PermissionsExt;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let scrape_token = "0123456789abcdef0123456789abcdef";
    let file = m.data_dir().join("metrics-token");
    std::fs::write(&file, format!("{scrape_token}\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(m.data_dir().join("mcpcp.toml"), "[metrics]\ntoken_file = \"metrics-token\"\n").unwrap();
    let gw = Gateway::start(m, &["--metrics-listen", "127.0.0.1:0"]);
    let http = reqwest::Client::new();
    for base in [gw.base.clone(), metrics_base(&gw)] {
        let url = format!("{base}/metrics");
        let none = http.get(&url).send().await.unwrap();
        assert_eq!(none.status(), StatusCode::UNAUTHORIZED, "{url}");
        assert!(none.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
        for wrong in ["0123456789abcdef0123456789abcdeX", "0123456789abcdef", "", "0123456789abcdef0123456789abcdef0"] {
            let r = http.get(&url).bearer_auth(wrong).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{url} with {wrong:?}");
        }
        let ok = http.get(&url).bearer_auth(scrape_token).send().await.unwrap();
        assert_eq!(ok.status(), StatusCode::OK, "{url}");
        assert!(ok.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
        assert!(ok.text().await.unwrap().contains("mcpcp_build_info{version="));
        // OpenMetrics when the scraper asks for it.
        let om = http
            .get(&url)
            .bearer_auth(scrape_token)
            .header("accept", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5")
            .send()
            .await
            .unwrap();
        assert!(om.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
        assert!(om.text().await.unwrap().ends_with("# EOF\n"));
    }
    assert!(!gw.log().contains(scrape_token), "the token is never logged");
    let checked = gw.m.ok(&["config", "check"]);
    assert!(checked.contains("metrics-token"), "{checked}");
}

#[test]
fn a_bad_scrape_token_or_plain_metrics_off_loopback_stops_serve() {
    let m = Mcpcp::new();
    let plain = m.run(&["serve", "--listen", "127.0.0.1:0", "--metrics-listen", "0.0.0.0:0"]);
    assert_eq!(plain.code, 2, "{}", plain.stderr);
    assert!(plain.stderr.contains("refusing to serve the metrics over plain HTTP on 0.0.0.0:0"), "{}", plain.stderr);
    let file = std::env::temp_dir().join(format!("mcpcp-short-token-{}", std::process::id()));
    std::fs::write(&file, "tiny-secret-x\n").unwrap();
    let mut serve = m.command(&["serve", "--listen", "127.0.0.1:0"]);
    serve.env("MCPCP_METRICS_TOKEN_FILE", &file);
    let short = serve.output().unwrap();
    let _ = std::fs::remove_file(&file);
    let stderr = String::from_utf8_lossy(&short.stderr);
    assert_eq!(short.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("at least 16 characters") && !stderr.contains("tiny-secret-x"), "{stderr}");
}
