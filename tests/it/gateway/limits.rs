//! Rate limits on `tools/call`: exactly N pass then 429 with Retry-After and the limit named in
//! the JSON-RPC error; per-principal budgets beside the server-wide one; live changes.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use super::activity::logs;
use super::harness::{Gateway, eventually, fixture_stdio};
use super::http::{Answer, Raw};
use crate::support::{Mcpcp, refused};

async fn call(c: &Raw, id: u64) -> Answer {
    c.post_json(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": "echo", "arguments": {"text": "hi"}}}))
        .await
}

fn setup() -> (Gateway, String, String) {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let a = m.ok(&["token", "create", "fx", "--name", "a"]).trim().to_string();
    let b = m.ok(&["token", "create", "fx", "--name", "b"]).trim().to_string();
    m.ok(&["server", "limits", "fx", "--rate", "3/1h"]);
    m.ok(&["server", "limits", "fx", "--rate", "2/1h", "--per-user"]);
    (Gateway::start(m, &[]), a, b)
}

#[test]
fn limits_are_set_shown_removed_and_audited() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--url", "https://a.example/mcp"]);
    assert_eq!(
        m.json(&["server", "limits", "fx"]),
        json!({"server": "fx", "rate": null, "rate_per_user": null, "quota": null, "quota_per_user": null})
    );
    let l = m.json(&["server", "limits", "fx", "--rate", "100/1m"]);
    assert_eq!(l["rate"], "100/1m burst 100");
    let e = m.last_audit();
    assert_eq!(e["action"], "server.rate_limit");
    assert_eq!(e["changes"], json!({"rate": {"before": null, "after": "100/1m burst 100"}}));
    let l = m.json(&["server", "limits", "fx", "--rate", "5/1s", "--burst", "2", "--per-user"]);
    assert_eq!(l["rate_per_user"], "5/1s burst 2");
    assert_eq!(l["rate"], "100/1m burst 100");
    m.ok(&["server", "limits", "fx", "--no-rate"]);
    assert_eq!(m.json(&["server", "limits", "fx"])["rate"], json!(null));
    refused(&m, &["server", "limits", "fx", "--rate", "0/1s"], 2, "invalid rate \"0/1s\"");
    refused(&m, &["server", "limits", "fx", "--rate", "ten/1s"], 2, "invalid rate");
    refused(&m, &["server", "limits", "fx", "--no-rate"], 1, "has no rate limit");
    refused(
        &m,
        &["server", "limits", "fx", "--rate", "5/1s", "--burst", "2", "--per-user"],
        1,
        "already has those limits",
    );
    refused(&m, &["server", "limits", "nosuch", "--rate", "5/1s"], 1, "no server named");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exactly_n_pass_then_429_per_user_isolated_and_capped_and_live() {
    let (gw, a, b) = setup();
    let mut ca = Raw::new(&gw.url("fx"), &a);
    let mut cb = Raw::new(&gw.url("fx"), &b);
    ca.handshake("2025-06-18").await;
    cb.handshake("2025-06-18").await;
    // a: its own budget of 2, then refused by the per-user limit.
    for id in 10..12 {
        let r = call(&ca, id).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = call(&ca, 12).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let retry: u64 = r.header("retry-after").and_then(|v| v.parse().ok()).unwrap_or(0);
    assert!((1..=1800).contains(&retry), "Retry-After {retry}");
    let err = &r.json()["error"];
    assert_eq!(err["data"]["limit"], "rate_per_user", "{err}");
    assert_eq!(err["data"]["remaining"], 0);
    assert!(err["data"]["reset"].as_str().is_some());
    assert_eq!(r.json()["id"], 12);
    // b is not affected by a's budget, but the server-wide 3 caps the sum: one more call.
    let r = call(&cb, 20).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(&cb, 21).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.json()["error"]["data"]["limit"], "rate");
    // Refusals are recorded with the principal.
    let limited = logs(&gw.m, &["--type", "rate_limited"]);
    assert_eq!(limited.len(), 2, "{limited:?}");
    assert_eq!(limited[0]["principal"], "a");
    assert_eq!(limited[0]["http_status"], 429);
    assert_eq!(limited[0]["tool"], "echo");
    // Other methods do not count.
    let r = cb.post_json(json!({"jsonrpc": "2.0", "id": 30, "method": "tools/list"})).await;
    assert_eq!(r.status, StatusCode::OK);

    // Live: lifting the limits lets calls through within a second.
    gw.m.ok(&["server", "limits", "fx", "--no-rate"]);
    gw.m.ok(&["server", "limits", "fx", "--no-rate", "--per-user"]);
    eventually("the lifted limit to apply", Duration::from_secs(1), || async {
        call(&ca, 40).await.status == StatusCode::OK
    })
    .await;
    // And a new, tighter limit holds within a second while the client keeps calling.
    gw.m.ok(&["server", "limits", "fx", "--rate", "1/1h"]);
    eventually("the new limit to apply", Duration::from_secs(1), || async {
        call(&ca, 50).await.status == StatusCode::TOO_MANY_REQUESTS
    })
    .await;
    for id in 60..65 {
        assert_eq!(call(&cb, id).await.status, StatusCode::TOO_MANY_REQUESTS, "the limit holds");
    }
}
