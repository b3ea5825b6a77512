//! How the gateway authenticates to an upstream: static header credentials (`--upstream-auth
//! header`) reach the upstream with every request and nobody else (not the client, the log, the
//! audit trail or `server show`), change live, and are refused when malformed.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::activity::logs;
use super::harness::{Gateway, HttpUpstream, eventually, fixture_stdio};
use super::http::Raw;
use crate::support::Mcpcp;

const KEY: &str = "k-4f1d9c2e-secret";
const BEARER: &str = "Bearer t-8a7b6c5d-secret";
const ROTATED: &str = "k-rotated-0e9f-secret";

fn sha256(text: &str) -> String {
    mcpcp::identity::token::hash(text)
}

/// The headers the upstream saw (`whoami`: digests of authorization and x-api-key).
async fn seen_upstream(c: &Raw, id: u64) -> Value {
    let a =
        c.post_json(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "whoami"}})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()["result"]["structuredContent"].clone()
}

/// Fails if any of the secrets appears in `text`.
fn assert_secret_free(what: &str, text: &str) {
    for secret in [KEY, BEARER, ROTATED, "t-8a7b6c5d"] {
        assert!(!text.contains(secret), "{what} shows a credential: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_header_credentials_reach_the_upstream_and_nobody_else() {
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    let created = m.run_stdin(
        &[
            "-o",
            "json",
            "server",
            "create",
            "api",
            "--url",
            &upstream.url,
            "--upstream-auth",
            "header",
            "--header",
            "X-Api-Key",
            "--header",
            "Authorization",
            "--value-stdin",
        ],
        &format!("{KEY}\n{BEARER}\n"),
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert_secret_free("server create", &(created.stdout.clone() + &created.stderr));
    let server: Value = serde_json::from_str(&created.stdout).unwrap();
    assert_eq!(server["upstream_auth"], "header");
    assert_eq!(server["upstream_headers"], json!(["authorization", "x-api-key"]));
    let token = m.ok(&["token", "create", "api"]).trim().to_string();
    let gw = Gateway::start(m, &[]);

    let mut c = Raw::new(&gw.url("api"), &token);
    c.handshake("2025-06-18").await;
    let seen = seen_upstream(&c, 2).await;
    assert_eq!(seen["x-api-key"], sha256(KEY), "{seen}");
    assert_eq!(seen["authorization"], sha256(BEARER), "the client's token is never what goes upstream: {seen}");

    // Nobody else sees them: not `server show`, the activity log, the audit trail, the
    // database file or the gateway's own output.
    assert_secret_free("server show", &gw.m.ok(&["server", "show", "api"]));
    assert_secret_free("server show -o json", &gw.m.json(&["server", "show", "api"]).to_string());
    let records = logs(&gw.m, &[]);
    assert_secret_free("the activity log", &serde_json::to_string(&records).unwrap());
    let call = records.iter().find(|r| r["tool"] == "whoami").expect("the call's record");
    assert_eq!(call["upstream_auth"], "header");
    let audit = gw.m.audit();
    assert_secret_free("the audit trail", &serde_json::to_string(&audit).unwrap());
    let create = audit.iter().find(|e| e["action"] == "server.create").unwrap();
    assert_eq!(create["changes"]["upstream_header_values"], json!({"changed": true}));
    assert_secret_free("state.db", &String::from_utf8_lossy(&std::fs::read(gw.m.state_db()).unwrap()));
    assert_secret_free("the gateway's output", &gw.output.lock().unwrap());

    // A new value applies within a second: the session ends (its upstream connection carried the
    // old one) and the next session sends the new value.
    let old = c.session.clone();
    let r = gw.m.run_stdin(
        &["server", "upstream-auth", "api", "header", "--header", "X-Api-Key", "--value-stdin"],
        &format!("{ROTATED}\n"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let e = gw.m.last_audit();
    assert_eq!(e["action"], "server.upstream_auth");
    assert_eq!(
        e["changes"]["upstream_headers"],
        json!({"before": ["authorization", "x-api-key"], "after": ["x-api-key"]})
    );
    assert_secret_free("server.upstream_auth's audit row", &e.to_string());
    let took = eventually("the old session to end", Duration::from_secs(2), || {
        let c = c.clone();
        async move {
            c.post_json(json!({"jsonrpc": "2.0", "id": 3, "method": "ping"})).await.status == StatusCode::NOT_FOUND
        }
    })
    .await;
    assert!(took <= Duration::from_secs(1), "the change took {took:?}");
    let mut fresh = Raw::new(&gw.url("api"), &token);
    fresh.handshake("2025-06-18").await;
    assert_ne!(fresh.session, old);
    let seen = seen_upstream(&fresh, 4).await;
    assert_eq!(seen["x-api-key"], sha256(ROTATED), "{seen}");
    assert!(seen.get("authorization").is_none(), "{seen}");

    gw.m.ok(&["server", "upstream-auth", "api", "none"]);
    eventually("the credential to be dropped", Duration::from_secs(2), || {
        let (url, token) = (gw.url("api"), token.clone());
        async move { try_seen(&url, &token).await.is_some_and(|seen| seen.get("x-api-key").is_none()) }
    })
    .await;
}

/// A new session's `whoami`; `None` if the session ended on the way (a change applying).
async fn try_seen(url: &str, token: &str) -> Option<Value> {
    let mut c = Raw::new(url, token);
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
    let a = c.post_json(init).await;
    c.session = Some(a.header("mcp-session-id")?);
    c.version = Some("2025-06-18".into());
    c.post_json(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
    let a = c.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "whoami"}})).await;
    (a.status == StatusCode::OK).then(|| a.json()["result"]["structuredContent"].clone())
}

/// An upstream that refuses the gateway's credential is the operator's to fix: the client is
/// told so (`data.fault` = operator), and the record says which credential went up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_refuses_the_credential_is_the_operators_fault() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ =
                socket.write_all(b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
        }
    });
    let m = Mcpcp::new();
    let args = ["server", "create", "locked", "--url", &format!("http://{addr}/mcp")];
    let r = m.run_stdin(
        &[&args[..], &["--upstream-auth", "header", "--header", "X-Api-Key", "--value-stdin"]].concat(),
        "wrong\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let token = m.ok(&["token", "create", "locked"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let a = Raw::new(&gw.url("locked"), &token)
        .post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
        .await;
    let error = &a.json()["error"];
    assert_eq!(error["data"]["fault"], "operator", "{}", a.body);
    assert!(!a.body.contains(&addr.to_string()), "{}", a.body);
    let records = logs(&gw.m, &["--fault", "operator"]);
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["upstream_auth"], "header");
    assert!(records[0]["error_message"].as_str().unwrap().contains("401"), "{}", records[0]);
}

#[test]
fn bad_upstream_credentials_are_refused_and_change_nothing() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "api", "--url", "https://api.example/mcp"]);
    m.ok(&["server", "create", "local", "--command", fixture_stdio().to_str().unwrap()]);
    let cases: &[(&[&str], &str, i32, &str)] = &[
        (
            &["server", "upstream-auth", "api", "header", "--header", "Host", "--value-stdin"],
            "v\n",
            2,
            "set by the gateway",
        ),
        (
            &["server", "upstream-auth", "api", "header", "--header", "X Key", "--value-stdin"],
            "v\n",
            2,
            "invalid header name",
        ),
        (
            &["server", "upstream-auth", "api", "header", "--header", "X-Key", "--value-stdin"],
            "a\u{1}b\n",
            2,
            "control",
        ),
        (&["server", "upstream-auth", "api", "header", "--header", "X-Key", "--value-stdin"], "", 2, "expected 1 line"),
        (
            &["server", "upstream-auth", "api", "header", "--header", "X-Key", "--header", "x-key", "--value-stdin"],
            "a\nb\n",
            2,
            "given twice",
        ),
        (&["server", "upstream-auth", "api", "header"], "", 2, "needs --header"),
        (&["server", "upstream-auth", "api", "none"], "", 2, "already sends no upstream credential"),
        (&["server", "upstream-auth", "local", "header", "--header", "X-Key", "--value-stdin"], "v\n", 2, "--env"),
        (&["server", "upstream-auth", "nosuch", "none"], "", 1, "no server named"),
    ];
    for (args, input, code, needle) in cases {
        let before = m.dump();
        let err = m.fails_stdin(args, input, *code);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("a\u{1}b"), "the value is never echoed: {err}");
        assert_eq!(m.dump(), before, "{args:?} changed the database");
    }
    // clap refuses a --header without --value-stdin (usage, exit 2).
    let err = m.fails(&["server", "upstream-auth", "api", "header", "--header", "X-Key"], 2);
    assert!(err.contains("--value-stdin"), "{err}");
    let err = m.fails(
        &[
            "server",
            "create",
            "x",
            "--command",
            "/bin/true",
            "--upstream-auth",
            "header",
            "--header",
            "K",
            "--value-stdin",
        ],
        2,
    );
    assert!(err.contains("--env"), "{err}");
}

#[test]
fn bad_upstream_sign_in_settings_are_refused_and_change_nothing() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "api", "--url", "https://api.example/mcp"]);
    let url = ["server", "create", "x", "--url", "http://127.0.0.1:9/mcp"];
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        ([&url[..], &["--client-id", "c"]].concat(), 2, "need --upstream-auth oauth"),
        (vec!["server", "create", "x", "--command", "/bin/true", "--upstream-auth", "oauth"], 2, "--url servers"),
        ([&url[..], &["--upstream-auth", "oauth", "--client-secret-stdin"]].concat(), 2, "needs --client-id"),
        (
            [&url[..], &["--upstream-auth", "oauth", "--authorization-url", "https://a.example/auth"]].concat(),
            2,
            "go together",
        ),
        (
            [
                &url[..],
                &["--upstream-auth", "oauth", "--authorization-url", "https://a/x", "--token-url", "https://a/t"],
            ]
            .concat(),
            2,
            "needs --client-id",
        ),
        // Discovery fails: the upstream cannot be reached; the message says where.
        ([&url[..], &["--upstream-auth", "oauth"]].concat(), 1, "cannot reach"),
        (vec!["server", "upstream-auth", "api", "oauth", "--header", "X"], 2, "header mode"),
        (vec!["server", "upstream-auth", "nosuch", "oauth"], 1, "no server named"),
    ];
    for (args, code, needle) in cases {
        let before = m.dump();
        let err = m.fails(&args, code);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(m.dump(), before, "{args:?} changed the database");
    }
}
