//! Verified user access: on a server whose users sign in upstream, each user's calls reach the
//! upstream (a real OAuth-protected MCP server, `tests/interop/oauth_upstream.mjs`) with that
//! user's own linked token, never another's, under concurrent calls; a user with no linked
//! account connects, sees the stored tools, and is given a link instead of reaching the upstream
//! (`upstream_auth_required`): a URL elicitation if the client declared it, the text of a tool
//! error otherwise; once linked, the same session reaches the upstream; unlinking ends the
//! user's sessions.

use std::time::Duration;

use futures_util::StreamExt;

use mcpcp::clock::Clock;
use mcpcp::upstream::oauth::{discovery, registration, token};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::activity::logs;
use super::harness::{Gateway, InProcess, Served, eventually};
use super::http::Raw;
use super::oauth::{REDIRECT, VERIFIER, exchange, register};
use crate::support::Mcpcp;
use crate::upstream_oauth::{OauthUpstream, sign_in};

pub(super) const PASSWORD: &str = "a long enough password";

/// Links `user`'s account at the fixture as the gateway's callback will: the user signs in at
/// the upstream, mcpcp exchanges the code and stores the tokens.
pub(super) async fn link(m: &Mcpcp, found: &discovery::Discovered, client: &token::Client, user: &str) {
    let server = &found.authorization_server;
    let redirect = "http://127.0.0.1:9/connect/callback";
    let pkce = token::pkce().unwrap();
    let url = token::authorization_url(server, client, redirect, "s", &pkce.challenge, &found.resource, &found.scopes)
        .unwrap();
    let callback = sign_in(&url, user, redirect).await;
    let code = callback.query_pairs().find(|(k, _)| k == "code").unwrap().1.to_string();
    let granted =
        token::exchange_code(server, client, &code, &pkce.verifier, redirect, &found.resource, true).await.unwrap();
    let dir = mcpcp::datadir::DataDir::open_or_create(&m.data_dir()).unwrap();
    let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
    let request = mcpcp::ops::connection::Link {
        server: "gh",
        user: Some(user),
        expires_at: granted.expires_in.map(|s| chrono::Utc::now() + chrono::Duration::seconds(s as i64)),
        access_token: granted.access_token,
        refresh_token: granted.refresh_token,
        scopes: granted.scopes,
        subject: Some(user.to_string()),
    };
    let ctx = mcpcp::ops::Ctx::system("gateway", &Clock::system());
    mcpcp::ops::connection::link(&mut db, &ctx, &dir.key().unwrap(), request).unwrap();
}

/// The user's mcpcp access token for `gh` (mcpcp's own sign-in, password).
pub(super) async fn mcpcp_token(gw: &impl Served, user: &str) -> String {
    let client = register(gw.base(), REDIRECT).await;
    let mut browser = super::oauth::Browser::new(gw.base());
    let code = super::oauth::sign_in(gw, &mut browser, &client, "gh", user, PASSWORD).await;
    let (status, body) = exchange(gw, &client, &code, VERIFIER, "gh").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

/// A session opened with `initialize` declaring `capabilities`, then `initialized`.
async fn open_session(url: &str, token: &str, capabilities: Value) -> (Raw, Value) {
    let mut c = Raw::new(url, token);
    let a = c
        .post_json(
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25",
            "capabilities": capabilities, "clientInfo": {"name": "raw", "version": "1"}}}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    c.session = Some(a.header("mcp-session-id").expect("session id"));
    c.version = Some("2025-11-25".into());
    let n = c.post_json(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
    assert_eq!(n.status, StatusCode::ACCEPTED);
    (c, a.json())
}

/// The link in the text of a tool error.
fn link_in(text: &str, base: &str) -> String {
    let start = text.find(&format!("{base}/connect/")).unwrap_or_else(|| panic!("no link in {text}"));
    text[start..].split_whitespace().next().unwrap().to_string()
}

async fn call(c: &Raw, id: u64, name: &str) -> super::http::Answer {
    c.post_json(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name}})).await
}

async fn whoami(c: &Raw, id: u64) -> Value {
    let a =
        c.post_json(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "whoami"}})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()["result"]["structuredContent"].clone()
}

/// Waits until the gateway has loaded the state the commands so far wrote: its snapshot is at
/// the state generation they left.
async fn until_loaded(gw: &Gateway) {
    let generation: i64 =
        gw.m.sqlite()
            .query_row("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'", [], |r| r.get(0))
            .unwrap();
    eventually("the gateway to load the latest state", Duration::from_secs(2), || {
        let ready = format!("{}/readyz", gw.base);
        async move {
            let r: Value = reqwest::get(ready).await.unwrap().json().await.unwrap();
            r["generation"].as_i64().unwrap() >= generation
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_users_calls_carry_their_own_upstream_token() {
    let (fixture, found, client, m) = oauth_server(&[], &["alice", "bob", "carol"]).await;
    for user in ["alice", "bob"] {
        link(&m, &found, &client, user).await;
    }
    let gw = Gateway::start(m, &[]);

    // Alice and Bob call at once, each many times: every answer is their own account's.
    let mut calls = Vec::new();
    for user in ["alice", "bob"] {
        let token = mcpcp_token(&gw, user).await;
        let url = gw.url("gh");
        calls.push(tokio::spawn(async move {
            let mut c = Raw::new(&url, &token);
            c.handshake("2025-06-18").await;
            let seen: Vec<Value> = futures_util::future::join_all((0..20).map(|i| {
                let c = c.clone();
                async move { whoami(&c, 10 + i).await }
            }))
            .await;
            (user, c, seen)
        }));
    }
    let mut alice = None;
    for call in calls {
        let (user, c, seen) = call.await.unwrap();
        for s in &seen {
            assert_eq!(s["sub"], user, "{user} saw {s}");
        }
        if user == "alice" {
            alice = Some(c);
        }
    }
    let records = logs(&gw.m, &["--tool", "whoami"]);
    assert_eq!(records.len(), 40);
    assert!(records.iter().all(|r| r["upstream_auth"] == "user"), "{records:?}");
    assert!(records.iter().all(|r| r["upstream_subject"] == r["principal"]), "the linked account in each record");

    // Carol linked nothing: her client connects all the same and lists the tools the gateway
    // stored when a linked user's session listed them; a call gets the link (as the text of a
    // tool error: her client declared no URL elicitation), and nothing reaches the upstream.
    let listed = alice.as_ref().unwrap().post_json(json!({"jsonrpc": "2.0", "id": 50, "method": "tools/list"})).await;
    assert!(listed.body.contains("whoami"), "{}", listed.body);
    let carol = mcpcp_token(&gw, "carol").await;
    let (c, init) = open_session(&gw.url("gh"), &carol, json!({})).await;
    assert_eq!(init["result"]["serverInfo"]["name"], "gh", "{init}");
    assert_eq!(init["result"]["capabilities"]["tools"]["listChanged"], true, "{init}");
    eventually("carol to see the stored tools", Duration::from_secs(3), || {
        let c = c.clone();
        async move {
            let a = c.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).await;
            a.json()["result"]["tools"].as_array().is_some_and(|t| t.iter().any(|t| t["name"] == "whoami"))
        }
    })
    .await;
    let a = call(&c, 3, "whoami").await;
    assert_eq!(a.json()["result"]["isError"], true, "{}", a.body);
    let text = a.json()["result"]["content"][0]["text"].as_str().unwrap().to_string();
    assert!(link_in(&text, &gw.base).len() > gw.base.len() + 20, "{text}");
    let refused = logs(&gw.m, &["--type", "upstream_auth_required"]);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!((refused[0]["principal"].as_str(), refused[0]["tool"].as_str()), (Some("carol"), Some("whoami")));
    assert_eq!(refused[0]["fault"], "client");
    let stats = fixture.stats().await;
    assert!(stats["mcp"]["requests"].get("carol").is_none(), "carol reached the upstream: {stats}");

    // Unlinking ends Alice's session within a second; she is refused from then on. Disabling
    // Bob removes his link too. Both accounts' tokens are revoked at the upstream (RFC 7009):
    // the upstream itself refuses them from then on.
    let held = |user: &str| {
        let ids = |sql: &str| -> i64 { gw.m.sqlite().query_row(sql, [user], |r| r.get(0)).unwrap() };
        let user_id = ids("SELECT id FROM users WHERE name = ?1");
        let server_id = ids("SELECT id FROM servers WHERE name = 'gh' OR ?1 = ''");
        let dir = mcpcp::datadir::DataDir::open_or_create(&gw.m.data_dir()).unwrap();
        let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
        mcpcp::ops::connection::tokens_of(&mut db, &dir.key().unwrap(), server_id, Some(user_id)).unwrap().unwrap()
    };
    let (alices, bobs) = (held("alice"), held("bob"));
    let revocations = fixture.stats().await["revocations"].as_i64().unwrap();
    gw.m.ok(&["user", "disconnect", "alice", "gh"]);
    let alice = alice.unwrap();
    let took = eventually("alice's session to end", Duration::from_secs(2), || {
        let c = alice.clone();
        async move {
            let a = c.post_json(json!({"jsonrpc": "2.0", "id": 99, "method": "ping"})).await;
            a.status == StatusCode::NOT_FOUND || a.status == StatusCode::FORBIDDEN
        }
    })
    .await;
    assert!(took <= Duration::from_secs(1), "{took:?}");
    gw.m.ok(&["user", "disable", "bob"]);
    assert!(gw.m.json(&["user", "connections", "bob"]).as_array().unwrap().is_empty());
    eventually("both accounts' tokens to be revoked at the upstream", Duration::from_secs(5), || {
        let fixture = &fixture;
        async move { fixture.stats().await["revocations"].as_i64().unwrap() == revocations + 4 }
    })
    .await;
    for tokens in [alices, bobs] {
        let r = reqwest::Client::new().post(&fixture.resource).bearer_auth(&tokens.access).body("{}").send().await;
        assert_eq!(r.unwrap().status(), StatusCode::UNAUTHORIZED, "a removed account's token still works upstream");
    }
    // The gateway deletes a row once the upstream has answered, so just after it counted them.
    let m = &gw.m;
    eventually("revoked tokens to leave the queue", Duration::from_secs(2), || async move {
        m.sqlite().query_row("SELECT count(*) FROM upstream_revocations", [], |r| r.get::<_, i64>(0)).unwrap() == 0
    })
    .await;
}

/// A user's first call is refused with a link; the user opens it in a browser, signs in to
/// mcpcp, then at the upstream, and from then on calls as their own upstream account. The link
/// is bound to its user, single-use, and a replayed callback stores nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_links_their_account_through_the_link_then_calls_as_themselves() {
    let fixture = OauthUpstream::start();
    let m = Mcpcp::new();
    m.ok(&["group", "create", "eng"]);
    for user in ["alice", "bob"] {
        let r = m.run_stdin(&["user", "create", user, "--password-stdin"], PASSWORD);
        assert_eq!(r.code, 0, "{}", r.stderr);
        m.ok(&["group", "add", "eng", user]);
    }
    let gw = Gateway::start(m, &[]);
    // The administrator adds the server while the gateway runs: mcpcp discovers the upstream's
    // authorization server and registers itself there with the gateway's callback.
    let callback = format!("{}/connect/callback", gw.base);
    let create = ["-o", "json", "server", "create", "gh", "--url", &fixture.resource, "--auth", "password"];
    let out =
        gw.m.command(&[&create[..], &["--upstream-auth", "oauth", "--scopes", "mcp openid"]].concat())
            .env("MCPCP_PUBLIC_URL", &gw.base)
            .output()
            .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(created["upstream_auth"], "oauth");
    let e = gw.m.last_audit();
    assert_eq!(e["action"], "server.create");
    assert_eq!(e["changes"]["upstream_oauth"]["after"]["registration"], "dynamic");
    assert_eq!(e["changes"]["upstream_oauth"]["after"]["issuer"], fixture.issuer);
    assert_eq!(e["changes"]["upstream_client_secret"], json!({"changed": true}));
    assert_eq!(fixture.stats().await["registrations"], 1);
    gw.m.ok(&["group", "grant", "eng", "gh"]);
    until_loaded(&gw).await;
    let server =
        discovery::discover(&url::Url::parse(&fixture.resource).unwrap(), true).await.unwrap().authorization_server;
    let alice = mcpcp_token(&gw, "alice").await;
    let applied = eventually("the server's settings to apply", Duration::from_secs(2), || {
        let (url, token) = (gw.url("gh"), alice.clone());
        async move {
            let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25",
                "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
            Raw::new(&url, &token).post_json(init).await.status == StatusCode::OK
        }
    })
    .await;
    assert!(applied <= Duration::from_secs(1));
    // Alice's client declares URL elicitation: a call is answered with one (-32042) whose URL is
    // the link, and her GET stream will hear when the link is done.
    let (c, _) = open_session(&gw.url("gh"), &alice, json!({"elicitation": {"url": {}}})).await;
    let stream = c.request(reqwest::Method::GET).header("accept", "text/event-stream").send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut events = stream.bytes_stream();
    let a = call(&c, 2, "whoami").await;
    let error = &a.json()["error"];
    assert_eq!(error["code"], -32042, "{}", a.body);
    let elicitation = &error["data"]["elicitations"][0];
    assert_eq!(elicitation["mode"], "url", "{}", a.body);
    let link = elicitation["url"].as_str().unwrap().to_string();
    let elicitation_id = elicitation["elicitationId"].as_str().unwrap().to_string();
    assert!(link.starts_with(&format!("{}/connect/", gw.base)), "{link}");
    assert_eq!(
        call(&c, 3, "whoami").await.json()["error"]["data"]["elicitations"][0]["url"],
        link.as_str(),
        "one link"
    );

    // Bob's link opened in a browser signed in as alice is refused, and stores nothing.
    let bob = mcpcp_token(&gw, "bob").await;
    let (b, _) = open_session(&gw.url("gh"), &bob, json!({})).await;
    let text = call(&b, 2, "whoami").await.json()["result"]["content"][0]["text"].as_str().unwrap().to_string();
    let bobs_link = link_in(&text, &gw.base);
    let mut browser = super::oauth::Browser::new(&gw.base);
    let (status, _, page) = browser.get(&link).await;
    assert_eq!(status, StatusCode::OK, "a browser not signed in signs in first: {page}");
    let (status, headers, page) = browser
        .post_form(
            "/authorize/login",
            &[
                ("request", &super::oauth::field(&page, "request")),
                ("csrf", &super::oauth::field(&page, "csrf")),
                ("username", "alice"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(headers["location"].to_str().unwrap(), link, "signed in, back to the link");
    let (status, _, page) = browser.get(&bobs_link).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    assert!(page.contains("another user"), "{page}");

    // A code the upstream does not know: the exchange fails, a page says so, nothing is stored.
    let (status, headers, _) = browser.get(&link).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let sent = url::Url::parse(headers["location"].to_str().unwrap()).unwrap();
    let state = sent.query_pairs().find(|(k, _)| k == "state").unwrap().1.to_string();
    let iss: String = url::form_urlencoded::byte_serialize(server.issuer.as_bytes()).collect();
    let (status, _, page) = browser.get(&format!("{callback}?state={state}&code=bogus&iss={iss}")).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{page}");
    assert!(page.contains("did not give mcpcp a token"), "{page}");
    assert!(gw.m.json(&["server", "connections", "gh"]).as_array().unwrap().is_empty());

    // Alice's own link goes on to the upstream, where she signs in as herself.
    let (status, headers, _) = browser.get(&link).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let upstream_authorize = url::Url::parse(headers["location"].to_str().unwrap()).unwrap();
    assert!(upstream_authorize.as_str().starts_with(&server.authorization_endpoint), "{upstream_authorize}");
    let back = sign_in(&upstream_authorize, "alice", &callback).await;
    let (status, _, page) = browser.get(back.as_str()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("linked"), "{page}");
    let e = gw.m.last_audit();
    assert_eq!(e["action"], "connection.link");
    assert_eq!(e["actor"], json!({"kind": "user", "name": "alice", "via": "gateway"}));
    // The upstream named the account (an ID token: the server asks for `openid`).
    assert_eq!(gw.m.json(&["server", "connections", "gh"])[0]["subject"], "alice");

    // Her client hears that the elicitation completed, and the same session's calls now run as
    // her upstream account (the gateway connects it upstream, replaying her initialize).
    let mut heard = String::new();
    let waited = tokio::time::timeout(Duration::from_secs(5), async {
        while !heard.contains("notifications/elicitation/complete") {
            let Some(Ok(chunk)) = events.next().await else { break };
            heard.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await;
    assert!(waited.is_ok(), "no elicitation/complete on the GET stream: {heard}");
    assert!(heard.contains(&elicitation_id), "{heard}");
    assert_eq!(whoami(&c, 4).await["sub"], "alice");
    let record = logs(&gw.m, &["--tool", "whoami", "--status", "success"]).pop().unwrap();
    assert_eq!((record["upstream_auth"].as_str(), record["upstream_subject"].as_str()), (Some("user"), Some("alice")));
    let mut fresh = Raw::new(&gw.url("gh"), &alice);
    fresh.handshake("2025-06-18").await;
    assert_eq!(whoami(&fresh, 2).await["sub"], "alice");

    // The callback again, the link again, an unknown link: refused, nothing more stored.
    let before = gw.m.json(&["server", "connections", "gh"]);
    let (status, _, page) = browser.get(back.as_str()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    for gone in [link.clone(), format!("{}/connect/nope", gw.base)] {
        assert_eq!(browser.get(&gone).await.0, StatusCode::NOT_FOUND, "{gone}");
    }
    assert_eq!(gw.m.json(&["server", "connections", "gh"]), before);
    assert_eq!(before.as_array().unwrap().len(), 1);
    let links = logs(&gw.m, &["--type", "upstream_link"]);
    let statuses: Vec<&str> = links.iter().map(|r| r["status"].as_str().unwrap()).collect();
    // The refused foreign link (recorded under the browser's user), the link, the replay.
    assert_eq!(statuses, ["failure", "failure", "success", "failure"], "{links:?}");
    assert_eq!(links[0]["principal"], "alice");
    assert!(links[0]["error_message"].as_str().unwrap().contains("\"bob\""), "{}", links[0]);
}

/// With no client id given and an upstream authorization server that accepts client ID metadata
/// documents, `server create` names mcpcp by the document the gateway serves at its public URL
/// (`/connect/client.json`) instead of registering; the authorization server fetches it when a
/// user links their account, and the user then calls as themselves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcpcp_is_known_upstream_by_its_metadata_document_and_a_user_links_through_it() {
    let fixture = OauthUpstream::start_with(&["--cimd"]);
    let m = Mcpcp::new();
    m.ok(&["group", "create", "eng"]);
    let r = m.run_stdin(&["user", "create", "alice", "--password-stdin"], PASSWORD);
    assert_eq!(r.code, 0, "{}", r.stderr);
    m.ok(&["group", "add", "eng", "alice"]);
    let gw = Gateway::start(m, &[]);
    let document_url = format!("{}/connect/client.json", gw.base);
    let callback = format!("{}/connect/callback", gw.base);
    let served = reqwest::get(&document_url).await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "application/json");
    assert!(served.headers()["cache-control"].to_str().unwrap().contains("max-age="), "{:?}", served.headers());
    let document: Value = served.json().await.unwrap();
    assert_eq!(document["client_id"], document_url.as_str());
    assert_eq!(document["redirect_uris"], json!([callback]));
    assert_eq!(document["token_endpoint_auth_method"], "none");

    let create = ["-o", "json", "server", "create", "gh", "--url", &fixture.resource, "--auth", "password"];
    let out =
        gw.m.command(&[&create[..], &["--upstream-auth", "oauth"]].concat())
            .env("MCPCP_PUBLIC_URL", &gw.base)
            .output()
            .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let e = gw.m.last_audit();
    assert_eq!(e["action"], "server.create");
    let after = &e["changes"]["upstream_oauth"]["after"];
    assert_eq!(after["registration"], "metadata_document", "{e}");
    assert_eq!(after["client_id"], document_url.as_str());
    assert_eq!(after["auth_method"], "none");
    assert!(e["changes"].get("upstream_client_secret").is_none(), "a public client has no secret: {e}");
    gw.m.ok(&["group", "grant", "eng", "gh"]);
    until_loaded(&gw).await;

    // Alice's first call gets the link; she signs in to mcpcp, then at the upstream, whose
    // authorization server is asked for the client by the document's URL.
    let alice = mcpcp_token(&gw, "alice").await;
    let (c, _) = open_session(&gw.url("gh"), &alice, json!({})).await;
    let a = call(&c, 2, "whoami").await;
    assert_eq!(a.json()["result"]["isError"], true, "{}", a.body);
    let text = a.json()["result"]["content"][0]["text"].as_str().unwrap().to_string();
    let link = link_in(&text, &gw.base);
    let mut browser = super::oauth::Browser::new(&gw.base);
    let (status, _, page) = browser.get(&link).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, _, page) = browser
        .post_form(
            "/authorize/login",
            &[
                ("request", &super::oauth::field(&page, "request")),
                ("csrf", &super::oauth::field(&page, "csrf")),
                ("username", "alice"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (status, headers, _) = browser.get(&link).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let upstream_authorize = url::Url::parse(headers["location"].to_str().unwrap()).unwrap();
    let client_id = upstream_authorize.query_pairs().find(|(k, _)| k == "client_id").map(|(_, v)| v.to_string());
    assert_eq!(client_id.as_deref(), Some(document_url.as_str()));
    let back = sign_in(&upstream_authorize, "alice", &callback).await;
    let (status, _, page) = browser.get(back.as_str()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("linked"), "{page}");

    // The same session now calls as alice's upstream account, through the document's client.
    let who = whoami(&c, 3).await;
    assert_eq!(who["sub"], "alice", "{who}");
    assert_eq!(who["client_id"], document_url.as_str());
    let stats = fixture.stats().await;
    assert_eq!(stats["registrations"], 0, "nothing was registered: {stats}");
    assert!(stats["metadata_document_fetches"].as_i64().unwrap() >= 1, "{stats}");
}

/// A data directory with a password server `gh` in front of the OAuth-protected fixture
/// (started with `args`), whose users sign in upstream through a client mcpcp registered, and
/// `users` (password `PASSWORD`) in a group granting it; none linked yet.
async fn oauth_server(args: &[&str], users: &[&str]) -> (OauthUpstream, discovery::Discovered, token::Client, Mcpcp) {
    let fixture = OauthUpstream::start_with(args);
    let upstream = url::Url::parse(&fixture.resource).unwrap();
    let found = discovery::discover(&upstream, true).await.unwrap();
    let registered =
        registration::register(&found.authorization_server, "http://127.0.0.1:9/connect/callback", true).await.unwrap();
    let m = Mcpcp::new();
    m.ok(&["server", "create", "gh", "--url", &fixture.resource, "--auth", "password"]);
    m.ok(&["group", "create", "eng"]);
    for user in users {
        let r = m.run_stdin(&["user", "create", user, "--password-stdin"], PASSWORD);
        assert_eq!(r.code, 0, "{}", r.stderr);
        m.ok(&["group", "add", "eng", user]);
    }
    m.ok(&["group", "grant", "eng", "gh"]);
    let server = &found.authorization_server;
    let setup = mcpcp::ops::upstream_auth::UpstreamOauthSetup {
        resource: found.resource.clone(),
        issuer: Some(server.issuer.clone()),
        authorization_endpoint: server.authorization_endpoint.clone(),
        token_endpoint: server.token_endpoint.clone(),
        revocation_endpoint: server.revocation_endpoint.clone(),
        iss_parameter: server.iss_parameter,
        client_id: registered.client_id.clone(),
        client_secret: registered.client_secret.clone(),
        auth_method: registered.auth_method.clone(),
        registration: "dynamic",
        scopes: found.scopes.clone(),
    };
    {
        let dir = mcpcp::datadir::DataDir::open_or_create(&m.data_dir()).unwrap();
        let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
        let ctx = mcpcp::ops::Ctx::local_cli(&Clock::system());
        mcpcp::ops::upstream_auth::set_upstream_oauth(&mut db, &ctx, &dir.key().unwrap(), "gh", setup).unwrap();
    }
    let client = token::Client {
        client_id: registered.client_id,
        client_secret: registered.client_secret,
        auth_method: registered.auth_method,
    };
    (fixture, found, client, m)
}

/// A token near its expiry is refreshed once, however many calls wait on it; a refresh token the
/// upstream revoked removes the link (audited) and the user is asked to link again, not failed
/// over and over. The gateway runs in process on a clock the test moves: the token comes due
/// without waiting for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiring_token_is_refreshed_once_and_a_revoked_one_asks_for_a_new_link() {
    let (fixture, found, client, m) = oauth_server(&["--token-ttl", "600"], &["alice"]).await;
    link(&m, &found, &client, "alice").await;
    let ahead = std::sync::Arc::new(std::sync::Mutex::new(chrono::Duration::zero()));
    let clock = {
        let ahead = ahead.clone();
        Clock::from_fn(move || chrono::Utc::now() + *ahead.lock().unwrap())
    };
    let gw = InProcess::start(&m, clock).await;
    let alice = mcpcp_token(&gw, "alice").await;
    let mut c = Raw::new(&gw.url("gh"), &alice);
    c.handshake("2025-06-18").await;
    assert_eq!(whoami(&c, 2).await["sub"], "alice");
    let refreshes = || async { fixture.stats().await["token"]["served"]["refresh_token"].as_i64().unwrap_or(0) };
    assert_eq!(refreshes().await, 0, "a fresh token is not refreshed");

    // 40 s before the token's expiry it is due (within 60 s): 50 calls at once, one refresh.
    *ahead.lock().unwrap() = chrono::Duration::seconds(560);
    let seen = futures_util::future::join_all((0..50).map(|i| {
        let c = c.clone();
        async move { whoami(&c, 100 + i).await }
    }))
    .await;
    assert!(seen.iter().all(|s| s["sub"] == "alice"), "{seen:?}");
    assert_eq!(refreshes().await, 1, "{}", fixture.stats().await);
    assert_eq!(whoami(&c, 200).await["sub"], "alice");
    assert_eq!(refreshes().await, 1, "the refreshed token is not due again");

    // The upstream revokes alice's grant: the token is refused, the refresh too, the link goes
    // (audited), and her next session is refused with a new link rather than failing call after
    // call.
    let base = fixture.resource.trim_end_matches("/mcp").to_string();
    reqwest::Client::new().post(format!("{base}/_revoke-all?sub=alice")).send().await.unwrap();
    let failed =
        c.post_json(json!({"jsonrpc": "2.0", "id": 500, "method": "tools/call", "params": {"name": "whoami"}})).await;
    assert!(failed.json().get("result").is_none(), "{}", failed.body);
    let e = m.audit().into_iter().rev().find(|e| e["action"] == "connection.refresh_failed");
    assert!(e.is_some(), "no connection.refresh_failed in the audit trail");
    assert!(m.json(&["user", "connections", "alice"]).as_array().unwrap().is_empty());
    let (again, _) = open_session(&gw.url("gh"), &alice, json!({})).await;
    let a = call(&again, 2, "whoami").await;
    assert_eq!(a.json()["result"]["isError"], true, "{}", a.body);
    link_in(a.json()["result"]["content"][0]["text"].as_str().unwrap(), gw.base());
    gw.stop().await;
}

/// The upstream refuses a token the gateway held good (here: it expired upstream long before
/// the expiry the gateway was told): one refresh, one retry, and the call succeeds as the same
/// user.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_upstream_refuses_is_refreshed_once_and_the_call_retried() {
    let (fixture, found, client, m) = oauth_server(&["--token-ttl", "2"], &["alice"]).await;
    link(&m, &found, &client, "alice").await;
    // The gateway believes the token good for a long time.
    m.sqlite().execute("UPDATE upstream_connections SET expires_at = '2099-01-01T00:00:00.000000Z'", []).unwrap();
    let gw = Gateway::start(m, &[]);
    let alice = mcpcp_token(&gw, "alice").await;
    let mut c = Raw::new(&gw.url("gh"), &alice);
    c.handshake("2025-06-18").await;
    // Until the upstream itself refuses the token mcpcp holds:
    let ids = |sql: &str| -> i64 { gw.m.sqlite().query_row(sql, [], |r| r.get(0)).unwrap() };
    let (server_id, user_id) =
        (ids("SELECT id FROM servers WHERE name = 'gh'"), ids("SELECT id FROM users WHERE name = 'alice'"));
    let dir = mcpcp::datadir::DataDir::open_or_create(&gw.m.data_dir()).unwrap();
    let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
    let held =
        mcpcp::ops::connection::tokens_of(&mut db, &dir.key().unwrap(), server_id, Some(user_id)).unwrap().unwrap();
    eventually("the upstream to refuse the held token", Duration::from_secs(10), || {
        let (resource, access) = (fixture.resource.clone(), held.access.clone());
        async move {
            let r = reqwest::Client::new().post(&resource).bearer_auth(access).body("{}").send().await.unwrap();
            r.status() == StatusCode::UNAUTHORIZED
        }
    })
    .await;
    let unauthorized = fixture.stats().await["mcp"]["unauthorized"].as_i64().unwrap();

    assert_eq!(whoami(&c, 3).await["sub"], "alice", "retried with a refreshed token");
    let stats = fixture.stats().await;
    assert_eq!(stats["token"]["served"]["refresh_token"], 1, "{stats}");
    assert_eq!(
        stats["mcp"]["unauthorized"].as_i64().unwrap(),
        unauthorized + 1,
        "one refusal, then the retry: {stats}"
    );
    assert!(gw.m.audit().iter().all(|e| e["action"] != "connection.refresh_failed"));
}

/// `server connect`: an administrator authorizes the server's shared upstream connection in a
/// browser; from then on its API tokens reach the upstream as that account (recorded
/// `shared`), the link opens once, a forged one never, and `server disconnect` removes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_links_the_shared_connection_api_tokens_use() {
    use std::io::BufRead;
    let fixture = OauthUpstream::start();
    let gw = Gateway::start(Mcpcp::new(), &[]);
    let create = ["server", "create", "gh", "--url", &fixture.resource, "--upstream-auth", "oauth"];
    let out = gw.m.command(&create).env("MCPCP_PUBLIC_URL", &gw.base).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = gw.m.ok(&["token", "create", "gh"]).trim().to_string();
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
        "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
    let refused = eventually("the new server to be served", Duration::from_secs(2), || {
        let (url, token, init) = (gw.url("gh"), token.clone(), init.clone());
        async move { Raw::new(&url, &token).post_json(init).await.status == StatusCode::FORBIDDEN }
    })
    .await;
    assert!(refused <= Duration::from_secs(1));
    assert_eq!(logs(&gw.m, &["--type", "upstream_auth_required"]).len(), 1);

    // Without a shared connection, `tool sync` cannot ask the upstream and says how to.
    let r = gw.m.run(&["tool", "sync", "gh"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("server connect gh"), "{}", r.stderr);

    // Bad input changes nothing: a server that does not sign in upstream, a timeout too long.
    gw.m.ok(&["server", "create", "plain", "--url", "http://127.0.0.1:9/mcp"]);
    let r = gw.m.run(&["server", "connect", "plain"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("does not sign in at its upstream"), "{}", r.stderr);
    assert_eq!(gw.m.run(&["server", "connect", "gh", "--timeout", "11m"]).code, 2);

    // The administrator runs `server connect`; it prints the link and waits.
    let mut connect =
        gw.m.command(&["-o", "json", "server", "connect", "gh", "--timeout", "2m"])
            .env("MCPCP_PUBLIC_URL", &gw.base)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
    let stderr = std::io::BufReader::new(connect.stderr.take().unwrap());
    let prefix = format!("{}/connect/shared/", gw.base);
    let link = tokio::task::spawn_blocking(move || {
        stderr.lines().map_while(Result::ok).find_map(|l| l.trim().starts_with(&prefix).then(|| l.trim().to_string()))
    })
    .await
    .unwrap()
    .expect("server connect printed no link");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let opened = http.get(&link).send().await.unwrap();
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let authorize = url::Url::parse(opened.headers()["location"].to_str().unwrap()).unwrap();
    let back = sign_in(&authorize, "carol", &format!("{}/connect/callback", gw.base)).await;
    let page = http.get(back.as_str()).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("shared connection is linked"));
    let done = tokio::task::spawn_blocking(move || connect.wait_with_output()).await.unwrap().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let linked: Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!((linked["server"].as_str(), &linked["user"]), (Some("gh"), &Value::Null), "{linked}");
    let e = gw.m.last_audit();
    assert_eq!((e["action"].as_str(), e["actor"]["kind"].as_str()), (Some("connection.link"), Some("os_user")), "{e}");

    // `tool sync` asks the upstream as the shared connection.
    let synced = gw.m.json(&["tool", "sync", "gh"]);
    assert_eq!(synced["added"], json!(["echo", "whoami"]), "{synced}");

    // API tokens now reach the upstream as carol's account; the record says `shared`.
    let mut c = Raw::new(&gw.url("gh"), &token);
    eventually("the shared connection to apply", Duration::from_secs(2), || {
        let (url, token, init) = (gw.url("gh"), token.clone(), init.clone());
        async move { Raw::new(&url, &token).post_json(init).await.status == StatusCode::OK }
    })
    .await;
    c.handshake("2025-06-18").await;
    assert_eq!(whoami(&c, 2).await["sub"], "carol");
    let records = logs(&gw.m, &["--tool", "whoami"]);
    assert_eq!(records[0]["upstream_auth"], "shared", "{records:?}");

    // The link opens once; a forged one never; both are recorded.
    assert_eq!(http.get(&link).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let forged = format!("{}/connect/shared/{}", gw.base, "A".repeat(200));
    assert_eq!(http.get(&forged).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let failed: Vec<Value> =
        logs(&gw.m, &["--type", "upstream_link"]).into_iter().filter(|r| r["status"] == "failure").collect();
    assert_eq!(failed.len(), 2, "{failed:?}");

    // `server disconnect` removes it: API tokens are refused again, within a second.
    gw.m.ok(&["server", "disconnect", "gh"]);
    assert_eq!(gw.m.last_audit()["action"], "connection.unlink");
    let took = eventually("the shared connection's removal to apply", Duration::from_secs(2), || {
        let c = c.clone();
        async move { c.post_json(json!({"jsonrpc": "2.0", "id": 9, "method": "ping"})).await.status != StatusCode::OK }
    })
    .await;
    assert!(took <= Duration::from_secs(1), "{took:?}");
}

/// A user's sessions survive a restart of the gateway (`restart.rs` has the rest): one linked
/// goes on as its user upstream; one still waiting for its link, whose user links meanwhile,
/// connects upstream as that user on its next call, with its client's original `initialize`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_sessions_resume_after_a_restart_linked_or_linked_meanwhile() {
    let (_fixture, found, client, m) = oauth_server(&[], &["alice", "bob"]).await;
    link(&m, &found, &client, "alice").await;
    let mut gw = Gateway::start(m, &[]);
    let listen = gw.base.trim_start_matches("http://").to_string();
    let (alice, bob) = (mcpcp_token(&gw, "alice").await, mcpcp_token(&gw, "bob").await);
    let (a, _) = open_session(&gw.url("gh"), &alice, json!({})).await;
    assert_eq!(whoami(&a, 2).await["sub"], "alice");
    let (b, _) = open_session(&gw.url("gh"), &bob, json!({})).await;
    let waiting = call(&b, 2, "whoami").await;
    assert_eq!(waiting.json()["result"]["isError"], true, "{}", waiting.body);
    let stored = |m: &Mcpcp| -> i64 {
        let conn = rusqlite::Connection::open(m.data_dir().join("activity.db")).unwrap();
        conn.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0)).unwrap()
    };
    eventually("both sessions stored", Duration::from_secs(10), || {
        let n = stored(&gw.m);
        async move { n == 2 }
    })
    .await;
    assert_eq!(gw.stop(), Some(0), "{}", gw.log());
    link(&gw.m, &found, &client, "bob").await;
    gw.restart(&["--listen", &listen]);
    assert_eq!(whoami(&a, 3).await["sub"], "alice");
    assert_eq!(whoami(&b, 3).await["sub"], "bob");
    // Each still holds its own session only.
    let mut swapped = b.clone();
    swapped.session = a.session.clone();
    assert_eq!(call(&swapped, 4, "whoami").await.status, StatusCode::NOT_FOUND);
}
