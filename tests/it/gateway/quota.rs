//! Usage quotas on `tools/call`: set, shown and audited; exhausted → 429 `quota_exceeded` with the
//! period's reset; counts that survive a restart and `kill -9`; a new period admits again.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Datelike, DurationRound, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::json;

use super::activity::logs;
use super::harness::{Gateway, InProcess, fixture_stdio};
use super::http::{Answer, Raw};
use crate::support::{Mcpcp, refused};

async fn call(c: &Raw, id: u64) -> Answer {
    c.post_json(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": "echo", "arguments": {"text": format!("call {id}")}}}))
        .await
}

/// The first instant of the next calendar month (UTC).
fn next_month(now: DateTime<Utc>) -> DateTime<Utc> {
    let (y, m) = if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).unwrap()
}

/// Asserts a quota refusal: 429, Retry-After until the reset, the JSON-RPC error naming the quota.
fn assert_exhausted(r: &Answer, id: u64, limit: &str, quota: &str, reset: DateTime<Utc>) {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let body = r.json();
    assert_eq!(body["id"], id, "{body}");
    let data = &body["error"]["data"];
    assert_eq!(data["limit"], limit, "{body}");
    assert_eq!(data["quota"], quota, "{body}");
    assert_eq!(data["remaining"], 0, "{body}");
    assert_eq!(data["reset"], mcpcp::store::timestamp(reset), "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("quota exhausted") && message.contains("resets at"), "{message}");
    let retry: i64 = r.header("retry-after").and_then(|v| v.parse().ok()).expect("Retry-After");
    let expected = (reset - Utc::now()).num_seconds();
    assert!((expected - 5..=expected + 5).contains(&retry), "Retry-After {retry}, expected about {expected}");
}

#[test]
fn quotas_are_set_shown_removed_and_audited() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--url", "https://a.example/mcp"]);
    let l = m.json(&["server", "limits", "fx", "--quota", "1000/day"]);
    assert_eq!(l["quota"], "1000/day (UTC)");
    let e = m.last_audit();
    assert_eq!(e["action"], "server.quota");
    assert_eq!(e["changes"], json!({"quota": {"before": null, "after": "1000/day (UTC)"}}));
    let l = m.json(&["server", "limits", "fx", "--quota", "50/hour", "--timezone", "Asia/Kolkata", "--per-user"]);
    assert_eq!(l["quota_per_user"], "50/hour (Asia/Kolkata)");
    assert_eq!(l["quota"], "1000/day (UTC)");
    // A rate and a quota in one command: one transaction, one audit entry.
    let entries = m.audit().len();
    let l = m.json(&["server", "limits", "fx", "--rate", "5/1s", "--quota", "10/week", "--timezone", "Europe/Berlin"]);
    assert_eq!((l["rate"].as_str(), l["quota"].as_str()), (Some("5/1s burst 5"), Some("10/week (Europe/Berlin)")));
    assert_eq!(m.audit().len(), entries + 1);
    let e = m.last_audit();
    assert_eq!(e["action"], "server.limits");
    assert_eq!(
        e["changes"],
        json!({"rate": {"before": null, "after": "5/1s burst 5"},
               "quota": {"before": "1000/day (UTC)", "after": "10/week (Europe/Berlin)"}})
    );
    // `server show` has the limits, the usage of the current period and the IP rules.
    m.ok(&["server", "ip", "fx", "deny", "10.0.0.0/8"]);
    let d = m.json(&["server", "show", "fx"]);
    assert_eq!(d["limits"]["quota"], "10/week (Europe/Berlin)");
    assert_eq!(d["limits"]["quota_per_user"], "50/hour (Asia/Kolkata)");
    assert_eq!(d["quota_usage"]["used"], 0);
    assert_eq!(d["quota_usage"]["remaining"], 10);
    assert_eq!(d["quota_usage_per_user"]["principals"], json!([]));
    assert_eq!(d["ip_deny"], json!(["10.0.0.0/8"]));
    let text = m.ok(&["server", "show", "fx"]);
    let line = |key: &str| {
        let l = text.lines().find(|l| l.starts_with(&format!("{key}:"))).unwrap_or_else(|| panic!("{key} in:\n{text}"));
        l[key.len() + 1..].trim().to_string()
    };
    assert_eq!(line("quota"), "10/week (Europe/Berlin)");
    assert!(line("quota usage").starts_with("0 used, 10 left, resets 20"), "{text}");
    assert!(line("quota usage per user").starts_with("nobody yet, resets 20"), "{text}");
    assert_eq!(line("ip deny"), "10.0.0.0/8");
    m.ok(&["server", "limits", "fx", "--no-quota", "--per-user"]);
    assert_eq!(m.json(&["server", "limits", "fx"])["quota_per_user"], json!(null));
    assert_eq!(
        m.last_audit()["changes"],
        json!({"quota_per_user": {"before": "50/hour (Asia/Kolkata)", "after": null}})
    );

    refused(&m, &["server", "limits", "fx", "--quota", "0/day"], 2, "invalid quota \"0/day\"");
    refused(&m, &["server", "limits", "fx", "--quota", "5/fortnight"], 2, "unknown PERIOD");
    refused(&m, &["server", "limits", "fx", "--quota", "5/1d"], 2, "invalid quota");
    refused(&m, &["server", "limits", "fx", "--quota", "5/day", "--timezone", "Mars/Base"], 2, "unknown time zone");
    let err = m.fails(&["server", "limits", "fx", "--timezone", "UTC"], 2);
    assert!(err.contains("--quota <N/PERIOD>"), "clap names the missing flag: {err}");
    refused(&m, &["server", "limits", "fx", "--no-quota", "--per-user"], 1, "has no per-user quota");
    refused(
        &m,
        &["server", "limits", "fx", "--quota", "10/week", "--timezone", "Europe/Berlin"],
        1,
        "already has those",
    );
    // A bad quota beside a good rate changes neither.
    refused(&m, &["server", "limits", "fx", "--rate", "9/1s", "--quota", "x/day"], 2, "invalid quota");
    refused(&m, &["server", "limits", "nosuch", "--quota", "5/day"], 1, "no server named");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhausted_quota_stays_exhausted_across_restart_and_kill_9() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let a = m.ok(&["token", "create", "fx", "--name", "a"]).trim().to_string();
    let b = m.ok(&["token", "create", "fx", "--name", "b"]).trim().to_string();
    let c = m.ok(&["token", "create", "fx", "--name", "c"]).trim().to_string();
    m.ok(&["server", "limits", "fx", "--quota", "60/month"]);
    m.ok(&["server", "limits", "fx", "--quota", "25/month", "--per-user"]);
    let mut gw = Gateway::start(m, &[]);
    let reset = next_month(Utc::now());

    // a uses up its own 25, then is refused by the per-user quota.
    let mut ca = Raw::new(&gw.url("fx"), &a);
    ca.handshake("2025-06-18").await;
    for id in 100..125 {
        let r = call(&ca, id).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = call(&ca, 125).await;
    assert_exhausted(&r, 125, "quota_per_user", "25/month (UTC)", reset);
    assert_eq!(r.json()["error"]["data"]["used"], 25);
    let d = gw.m.json(&["server", "show", "fx"]);
    assert_eq!((d["quota_usage"]["used"].as_u64(), d["quota_usage"]["remaining"].as_u64()), (Some(25), Some(35)));
    assert_eq!(d["quota_usage"]["reset"], mcpcp::store::timestamp(reset));
    assert_eq!(
        d["quota_usage_per_user"]["principals"],
        json!([{"principal": "a", "auth_method": "api_token", "used": 25, "remaining": 0}])
    );

    // A clean restart does not give a its quota back.
    gw.restart(&[]);
    let mut ca = Raw::new(&gw.url("fx"), &a);
    ca.handshake("2025-06-18").await;
    assert_exhausted(&call(&ca, 200).await, 200, "quota_per_user", "25/month (UTC)", reset);

    // b calls from four loops; the gateway is killed with SIGKILL in the middle.
    let mut cb = Raw::new(&gw.url("fx"), &b);
    cb.handshake("2025-06-18").await;
    let answered = Arc::new(Mutex::new(0u64));
    let loops: Vec<_> = (0..4u64)
        .map(|n| {
            let (cb, answered) = (cb.clone(), answered.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    let body = json!({"jsonrpc": "2.0", "id": 1000 * n + i, "method": "tools/call",
                        "params": {"name": "echo", "arguments": {"text": "b"}}});
                    let sent = cb.request(reqwest::Method::POST).header("content-type", "application/json");
                    let Ok(r) = sent.body(body.to_string()).send().await else { return };
                    if r.status() != StatusCode::OK || r.text().await.is_err() {
                        return;
                    }
                    *answered.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while *answered.lock().unwrap() < 6 {
        assert!(std::time::Instant::now() < deadline, "calls did not get going");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    gw.kill_9();
    for l in loops {
        let _ = tokio::time::timeout(Duration::from_secs(10), l).await;
    }
    let before_kill = *answered.lock().unwrap();
    assert!(before_kill < 25, "b's calls should still be running when killed ({before_kill} answered)");

    // After the crash b gets only what is left of its 25: every call answered before the kill was
    // counted. (Calls cut off by the kill were not answered; they may be counted or not.)
    gw.restart(&[]);
    let until_refused = |client: Raw, first_id: u64| async move {
        let mut n = 0;
        loop {
            let r = call(&client, first_id + n).await;
            if r.status != StatusCode::OK {
                return (n, r);
            }
            n += 1;
            assert!(n <= 60, "the quota was granted afresh");
        }
    };
    let mut cb = Raw::new(&gw.url("fx"), &b);
    cb.handshake("2025-06-18").await;
    let (after, refusal) = until_refused(cb, 300).await;
    assert_exhausted(&refusal, 300 + after, "quota_per_user", "25/month (UTC)", reset);
    let b_total = before_kill + after;
    assert!((21..=25).contains(&b_total), "b got {b_total} calls ({before_kill} before the kill) of 25");
    // c finds the server-wide 60 nearly used: by a, by b, and by at most the 4 cut-off calls.
    let mut cc = Raw::new(&gw.url("fx"), &c);
    cc.handshake("2025-06-18").await;
    let (c_total, refusal) = until_refused(cc, 500).await;
    assert_exhausted(&refusal, 500 + c_total, "quota", "60/month (UTC)", reset);
    let total = 25 + b_total + c_total;
    assert!((56..=60).contains(&total), "{total} calls answered in all (a 25, b {b_total}, c {c_total}) of 60");
    let mut ca = Raw::new(&gw.url("fx"), &a);
    ca.handshake("2025-06-18").await;
    assert_eq!(call(&ca, 400).await.status, StatusCode::TOO_MANY_REQUESTS);
    let d = gw.m.json(&["server", "show", "fx"]);
    assert_eq!(d["quota_usage"]["remaining"], 0, "{d}");

    // Every refusal is in the activity log with the principal and source address.
    let refused = logs(&gw.m, &["--type", "quota_exceeded"]);
    assert!(refused.len() >= 4, "{refused:?}");
    for e in &refused {
        assert_eq!(e["http_status"], 429, "{e}");
        assert_eq!(e["source_ip"], "127.0.0.1", "{e}");
        assert_eq!(e["tool"], "echo", "{e}");
        assert_eq!(e["status"], "failure", "{e}");
    }
    let who: std::collections::BTreeSet<&str> = refused.iter().filter_map(|e| e["principal"].as_str()).collect();
    assert_eq!(who, ["a", "b", "c"].into_iter().collect());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_period_admits_again_by_the_gateways_clock() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "fx"]).trim().to_string();
    m.ok(&["server", "limits", "fx", "--quota", "2/hour"]);
    // The gateway's clock, moved by the test: half past the current hour.
    let hour = Utc::now().duration_trunc(chrono::Duration::hours(1)).unwrap();
    let now = Arc::new(Mutex::new(hour + chrono::Duration::minutes(30)));
    let clock = {
        let now = now.clone();
        mcpcp::gateway::Clock::from_fn(move || *now.lock().unwrap())
    };

    let gw = InProcess::start(&m, clock.clone()).await;
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-06-18").await;
    for id in 1..=2 {
        assert_eq!(call(&c, id).await.status, StatusCode::OK);
    }
    let r = call(&c, 3).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.json()["error"]["data"]["reset"], mcpcp::store::timestamp(hour + chrono::Duration::hours(1)));
    assert_eq!(r.header("retry-after").as_deref(), Some("1800"), "half an hour by the gateway's clock");

    // Restarted (same clock): still refused.
    gw.stop().await;
    let gw = InProcess::start(&m, clock.clone()).await;
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-06-18").await;
    assert_eq!(call(&c, 4).await.status, StatusCode::TOO_MANY_REQUESTS);
    // A minute before the hour ends: still refused. At the hour: a fresh period.
    *now.lock().unwrap() = hour + chrono::Duration::minutes(59);
    assert_eq!(call(&c, 5).await.status, StatusCode::TOO_MANY_REQUESTS);
    *now.lock().unwrap() = hour + chrono::Duration::hours(1);
    for id in 6..=7 {
        let r = call(&c, id).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = call(&c, 8).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["error"]["data"]["reset"], mcpcp::store::timestamp(hour + chrono::Duration::hours(2)));

    // Live: raising the number while the client calls holds within a second and keeps the
    // period's count (2 used of 4: two more pass).
    m.ok(&["server", "limits", "fx", "--quota", "4/hour"]);
    let mut id = 100;
    super::harness::eventually("the raised quota to apply", Duration::from_secs(1), || {
        id += 1;
        let c = c.clone();
        async move { call(&c, id).await.status == StatusCode::OK }
    })
    .await;
    assert_eq!(call(&c, 200).await.status, StatusCode::OK);
    assert_eq!(call(&c, 201).await.status, StatusCode::TOO_MANY_REQUESTS, "2 + 2 of 4 used");

    // The stored time zone decides the period: Kolkata's hours begin at :30 UTC, so the quota
    // starts a fresh count in the period ending at half past (in UTC it would stay used up).
    m.ok(&["server", "limits", "fx", "--quota", "1/hour", "--timezone", "Asia/Kolkata"]);
    let reset = mcpcp::store::timestamp(hour + chrono::Duration::minutes(90));
    let mut id = 300;
    super::harness::eventually("the Kolkata period to apply", Duration::from_secs(1), || {
        id += 1;
        let (c, reset) = (c.clone(), reset.clone());
        async move {
            let r = call(&c, id).await;
            r.status == StatusCode::TOO_MANY_REQUESTS && r.json()["error"]["data"]["reset"] == reset.as_str()
        }
    })
    .await;
    gw.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_is_counted_call_by_call_and_refusals_are_recorded_as_such() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap(), "--capture", "off"]);
    let token = m.ok(&["token", "create", "fx"]).trim().to_string();
    m.ok(&["server", "limits", "fx", "--quota", "2/month"]);
    let gw = Gateway::start(m, &[]);
    let mut old = Raw::new(&gw.url("fx"), &token);
    old.handshake("2025-03-26").await;
    let item = |id: u64| {
        json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": "echo", "arguments": {"text": format!("call {id}")}}})
    };
    let a = old.post_json(json!([item(1), item(2), item(3)])).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let answers = a.messages();
    let ok = answers.iter().filter(|m| m["result"].is_object()).count();
    let refused: Vec<_> = answers.iter().filter(|m| m["error"]["data"]["limit"] == "quota").collect();
    assert_eq!((ok, refused.len()), (2, 1), "{}", a.body);
    // The server captures nothing, yet the counts were committed: `server show` sees both.
    let d = gw.m.json(&["server", "show", "fx"]);
    assert_eq!((d["quota_usage"]["used"].as_u64(), d["quota_usage"]["remaining"].as_u64()), (Some(2), Some(0)));
    // With capture off no activity rows are written, so a capturing server shows the record type.
    gw.m.ok(&["server", "capture", "fx", "full"]);
    super::harness::eventually("capture full to apply", Duration::from_secs(2), || async {
        let _ = old.post_json(json!([item(10)])).await;
        !logs(&gw.m, &["--type", "quota_exceeded"]).is_empty()
    })
    .await;
    let e = &logs(&gw.m, &["--type", "quota_exceeded"])[0];
    assert_eq!((e["tool"].as_str(), e["principal"].is_string()), (Some("echo"), true), "{e}");
}
