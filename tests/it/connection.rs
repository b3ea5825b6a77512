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
    m.diverge();
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

fn oauth_setup(client_id: &str, secret: Option<&str>, method: &str) -> mcpcp::ops::upstream_auth::UpstreamOauthSetup {
    mcpcp::ops::upstream_auth::UpstreamOauthSetup {
        resource: "https://gh.example/mcp".into(),
        issuer: Some("https://as.gh.example".into()),
        authorization_endpoint: "https://as.gh.example/authorize".into(),
        token_endpoint: "https://as.gh.example/token".into(),
        revocation_endpoint: None,
        iss_parameter: true,
        client_id: client_id.into(),
        client_secret: secret.map(|s| Secret::new(s.into())),
        auth_method: method.into(),
        registration: "admin",
        scopes: vec!["repo".into()],
    }
}

fn set_oauth(
    m: &Mcpcp,
    server: &str,
    setup: mcpcp::ops::upstream_auth::UpstreamOauthSetup,
) -> Result<mcpcp::model::Server, mcpcp::ops::Error> {
    m.diverge();
    let dir = mcpcp::datadir::DataDir::open_or_create(&m.data_dir()).unwrap();
    let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
    let ctx = mcpcp::ops::Ctx::local_cli(&Clock::system());
    mcpcp::ops::upstream_auth::set_upstream_oauth(&mut db, &ctx, &dir.key().unwrap(), server, setup)
}

#[test]
fn upstream_sign_in_settings_are_sealed_audited_and_take_their_links_when_they_go() {
    const CLIENT_SECRET: &str = "cs-9c8b7a6f-secret";
    let m = setup();
    m.ok(&["server", "create", "local", "--command", "/bin/true"]);
    let s = set_oauth(&m, "gh", oauth_setup("mcpcp-client", Some(CLIENT_SECRET), "client_secret_basic")).unwrap();
    assert_eq!(s.upstream_auth, mcpcp::model::UpstreamAuth::Oauth);
    let e = m.last_audit();
    assert_eq!(e["action"], "server.upstream_auth");
    assert_eq!(e["changes"]["upstream_oauth"]["after"]["client_id"], "mcpcp-client");
    assert_eq!(e["changes"]["upstream_client_secret"], json!({"changed": true}));
    let everything = serde_json::to_string(&m.audit()).unwrap()
        + &String::from_utf8_lossy(&std::fs::read(m.state_db()).unwrap())
        + &m.ok(&["server", "show", "gh"]);
    assert!(!everything.contains(CLIENT_SECRET), "the client secret shows");
    // The gateway's snapshot holds it unsealed.
    m.diverge();
    let dir = mcpcp::datadir::DataDir::open_or_create(&m.data_dir()).unwrap();
    let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
    let snapshot = mcpcp::snapshot::load(&mut db, &dir.key().unwrap()).unwrap();
    let oauth = snapshot.server("gh").unwrap().upstream_oauth.clone().unwrap();
    assert_eq!(oauth.client_secret.unwrap().unwrap().expose(), CLIENT_SECRET);
    assert_eq!((oauth.scopes, oauth.iss_parameter), (vec!["repo".to_string()], true));
    drop(db);

    // Links survive new settings for the same client, not a new client.
    link(&m, "gh", Some("alice"), "alice-gh");
    set_oauth(&m, "gh", oauth_setup("mcpcp-client", Some(CLIENT_SECRET), "client_secret_post")).unwrap();
    assert_eq!(m.json(&["server", "connections", "gh"]).as_array().unwrap().len(), 1);
    set_oauth(&m, "gh", oauth_setup("another-client", None, "none")).unwrap();
    assert_eq!(m.last_audit()["changes"]["upstream_connections_removed"], json!({"before": 0, "after": 1}));
    assert!(m.json(&["server", "connections", "gh"]).as_array().unwrap().is_empty());
    // Leaving OAuth takes the settings and the links.
    link(&m, "gh", Some("bob"), "bob-gh");
    m.ok(&["server", "upstream-auth", "gh", "none"]);
    let e = m.last_audit();
    assert_eq!(e["changes"]["upstream_oauth"]["after"], Value::Null);
    assert_eq!(e["changes"]["upstream_connections_removed"], json!({"before": 0, "after": 1}));
    let rows: i64 = m.sqlite().query_row("SELECT COUNT(*) FROM server_upstream_oauth", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 0);

    // Bad settings are refused and change nothing.
    let before = m.dump();
    for (server, setup, needle) in [
        ("gh", oauth_setup("c", Some("s"), "none"), "has no secret"),
        ("gh", oauth_setup("c", None, "client_secret_basic"), "needs the client secret"),
        ("gh", oauth_setup("", None, "none"), "client id"),
        (
            "gh",
            mcpcp::ops::upstream_auth::UpstreamOauthSetup {
                token_endpoint: "ftp://x".into(),
                ..oauth_setup("c", None, "none")
            },
            "not an http(s) URL",
        ),
        ("local", oauth_setup("c", None, "none"), "runs a command"),
        ("nosuch", oauth_setup("c", None, "none"), "no server named"),
    ] {
        let err = set_oauth(&m, server, setup).unwrap_err().to_string();
        assert!(err.contains(needle), "{needle}: {err}");
    }
    assert_eq!(m.dump(), before);
}
