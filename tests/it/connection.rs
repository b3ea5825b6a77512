//! Linked upstream accounts (per-user upstream access): stored sealed to their server and user,
//! listed without their tokens, removed by `user disconnect`, and dropped with the access that
//! allowed them (a disabled or deleted user, a lost group). Every change is audited.

use mcpcp::clock::Clock;
use mcpcp::ops::connection::{self, Link};
use mcpcp::secrets::Secret;
use serde_json::{Value, json};

use crate::support::Mcpcp;

const ACCESS: &str = "at-5e1f0c9d-secret";
const REFRESH: &str = "rt-77aa01b2-secret";

/// Links `user`'s (or the shared) account for `server`, as the gateway's callback will.
fn link(m: &Mcpcp, server: &str, user: Option<&str>, subject: &str) {
    let dir = mcpcp::datadir::DataDir::open_or_create(&m.data_dir()).unwrap();
    let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
    let ctx = mcpcp::ops::Ctx::system("gateway", &Clock::system());
    let request = Link {
        server,
        user,
        access_token: Secret::new(ACCESS.into()),
        refresh_token: Some(Secret::new(REFRESH.into())),
        expires_at: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
        scopes: vec!["repo".into(), "read:user".into()],
        subject: Some(subject.into()),
    };
    connection::link(&mut db, &ctx, &dir.key().unwrap(), request).unwrap();
}

fn setup() -> Mcpcp {
    let m = Mcpcp::new();
    for server in ["gh", "jira"] {
        m.ok(&["server", "create", server, "--url", &format!("https://{server}.example/mcp"), "--auth", "password"]);
    }
    for user in ["alice", "bob"] {
        m.ok(&["user", "create", user]);
    }
    m.ok(&["group", "create", "eng"]);
    m.ok(&["group", "add", "eng", "alice", "bob"]);
    m.ok(&["group", "grant", "eng", "gh", "jira"]);
    m
}

#[test]
fn connections_are_listed_without_tokens_and_disconnected_with_an_audit_row() {
    let m = setup();
    link(&m, "gh", Some("alice"), "alice-gh");
    link(&m, "jira", Some("alice"), "alice@jira");
    link(&m, "gh", Some("bob"), "bob-gh");
    link(&m, "gh", None, "gh-bot");

    let alice = m.json(&["user", "connections", "alice"]);
    let servers: Vec<&str> = alice.as_array().unwrap().iter().map(|c| c["server"].as_str().unwrap()).collect();
    assert_eq!(servers, ["gh", "jira"]);
    assert_eq!(alice[0]["subject"], "alice-gh");
    assert_eq!(alice[0]["scopes"], json!(["repo", "read:user"]));
    let gh = m.json(&["server", "connections", "gh"]);
    let owners: Vec<Value> = gh.as_array().unwrap().iter().map(|c| c["user"].clone()).collect();
    assert_eq!(owners, [Value::Null, json!("alice"), json!("bob")], "the shared connection first");
    for out in [
        m.ok(&["user", "connections", "alice"]),
        m.ok(&["server", "connections", "gh"]),
        serde_json::to_string(&m.audit()).unwrap(),
        String::from_utf8_lossy(&std::fs::read(m.state_db()).unwrap()).into_owned(),
    ] {
        assert!(!out.contains(ACCESS) && !out.contains(REFRESH), "a token shows: {out}");
    }
    let linked = m.audit().into_iter().find(|e| e["action"] == "connection.link").unwrap();
    assert_eq!(linked["resource"]["name"], "gh/alice");
    assert_eq!(linked["changes"]["tokens"], json!({"changed": true}));

    m.ok(&["user", "disconnect", "alice", "gh"]);
    let e = m.last_audit();
    assert_eq!(e["action"], "connection.unlink");
    assert_eq!(e["resource"]["name"], "gh/alice");
    assert_eq!(e["changes"]["subject"], json!({"before": "alice-gh", "after": null}));
    assert_eq!(m.json(&["user", "connections", "alice"]).as_array().unwrap().len(), 1);
    crate::support::refused(&m, &["user", "disconnect", "alice", "gh"], 1, "has no connection to server");
    crate::support::refused(&m, &["user", "disconnect", "nobody", "gh"], 1, "no user named");
    assert!(m.ok(&["user", "connections", "bob"]).contains("bob-gh"));
}

#[test]
fn losing_access_drops_the_connections_it_allowed() {
    let m = setup();
    link(&m, "gh", Some("alice"), "alice-gh");
    link(&m, "jira", Some("alice"), "alice@jira");
    link(&m, "gh", Some("bob"), "bob-gh");
    link(&m, "jira", Some("bob"), "bob@jira");
    let count = |user: &str| m.json(&["user", "connections", user]).as_array().unwrap().len();

    // A group no longer granting jira takes jira's connections of its members.
    m.ok(&["group", "revoke", "eng", "jira"]);
    assert_eq!(m.last_audit()["changes"]["upstream_connections_removed"], json!({"before": 0, "after": 2}));
    assert_eq!((count("alice"), count("bob")), (1, 1));
    // A disabled user's go at once.
    m.ok(&["user", "disable", "alice"]);
    assert_eq!(m.last_audit()["changes"]["upstream_connections"], json!({"before": ["gh"], "after": []}));
    assert_eq!(count("alice"), 0);
    // A deleted user's go with them, and the audit row says which.
    m.ok(&["user", "delete", "bob"]);
    assert_eq!(m.last_audit()["changes"]["upstream_connections"], json!({"before": ["gh"], "after": []}));
    assert!(m.json(&["server", "connections", "gh"]).as_array().unwrap().is_empty());
}

#[test]
fn sealed_tokens_open_only_for_their_server_and_user() {
    let m = setup();
    link(&m, "gh", Some("alice"), "alice-gh");
    link(&m, "gh", Some("bob"), "bob-gh");
    let dir = mcpcp::datadir::DataDir::open_or_create(&m.data_dir()).unwrap();
    let key = dir.key().unwrap();
    let ids = |sql: &str| -> i64 { m.sqlite().query_row(sql, [], |r| r.get(0)).unwrap() };
    let (gh, alice, bob) = (
        ids("SELECT id FROM servers WHERE name = 'gh'"),
        ids("SELECT id FROM users WHERE name = 'alice'"),
        ids("SELECT id FROM users WHERE name = 'bob'"),
    );
    let sealed: Vec<u8> = m
        .sqlite()
        .query_row("SELECT tokens_sealed FROM upstream_connections WHERE user_id = ?1", [alice], |r| r.get(0))
        .unwrap();
    let tokens = connection::open_tokens(&key, gh, Some(alice), &sealed).unwrap();
    assert_eq!((tokens.access.as_str(), tokens.refresh.as_deref()), (ACCESS, Some(REFRESH)));
    // Alice's sealed tokens copied into Bob's row (or read as the shared or another server's)
    // do not open.
    for (server, user) in [(gh, Some(bob)), (gh, None), (gh + 1, Some(alice))] {
        assert!(connection::open_tokens(&key, server, user, &sealed).is_err(), "{server} {user:?}");
    }
}
