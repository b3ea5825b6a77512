//! The caller's identity carried to the upstream (`server identity`): through a real gateway to
//! the rmcp fixture, whose `whoami` echoes the `x-mcpcp-*` request headers and whose `meta`
//! echoes `params._meta`. A password user's, an SSO user's and an API token's name, email and
//! groups arrive as headers, a JWT that verifies against `/.well-known/jwks.json`, and `_meta`
//! (stdio too); what a client forges in the same headers or `_meta` never does; a change
//! applies to a live session within a second; a rotated key stays published until its tokens
//! have expired.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::activity::logs;
use super::harness::{Gateway, HttpUpstream, InProcess, Served, eventually, fixture_stdio};
use super::http::Raw;
use super::oauth::{Browser, REDIRECT, VERIFIER, exchange, register, sign_in};
use crate::support::Mcpcp;

pub(super) const PASSWORD: &str = "a long enough password";

/// `user`'s mcpcp access token for `server` (password sign-in through the pages).
pub(super) async fn user_token(gw: &impl Served, server: &str, user: &str) -> String {
    let client = register(gw.base(), REDIRECT).await;
    let mut browser = Browser::new(gw.base());
    let code = sign_in(gw, &mut browser, &client, server, user, PASSWORD).await;
    let (status, body) = exchange(gw, &client, &code, VERIFIER, server).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

/// Calls `tool` with `params` beside its name, sending `headers` too; its structured content.
async fn call(c: &Raw, id: u64, tool: &str, extra: Value, headers: &[(&str, &str)]) -> Value {
    let mut params = json!({"name": tool});
    params.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params});
    let mut r = c.request(reqwest::Method::POST).header("content-type", "application/json");
    for (name, value) in headers {
        r = r.header(*name, *value);
    }
    let a = c.send(r.body(body.to_string())).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let result = a.json()["result"].clone();
    assert!(result.get("structuredContent").is_some(), "{result} {}", a.body);
    result["structuredContent"].clone()
}

/// What a client forges: the identity headers and the `_meta` member.
const FORGED: &[(&str, &str)] = &[
    ("x-mcpcp-user", "mallory"),
    ("x-mcpcp-user-groups", "1:admins"),
    ("x-mcpcp-auth-method", "password"),
    ("x-mcpcp-identity", "forged.jwt.value"),
];

fn forged_meta() -> Value {
    json!({"_meta": {"progressToken": "p-1", "io.mcpcp/identity": {"sub": "mallory", "groups": [{"id": 1, "name": "admins"}]}}})
}

/// The claims of `jwt` once its signature checks out against the gateway's published key.
async fn verified(base: &str, jwt: &str) -> Value {
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!((header["alg"].as_str(), header["typ"].as_str()), (Some("EdDSA"), Some("JWT")), "{header}");
    let jwks: Value = reqwest::get(format!("{base}/.well-known/jwks.json")).await.unwrap().json().await.unwrap();
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .unwrap_or_else(|| panic!("kid {} is not published: {jwks}", header["kid"]));
    assert_eq!(
        (key["kty"].as_str(), key["crv"].as_str(), key["alg"].as_str(), key["use"].as_str()),
        (Some("OKP"), Some("Ed25519"), Some("EdDSA"), Some("sig"))
    );
    let x = URL_SAFE_NO_PAD.decode(key["x"].as_str().unwrap()).unwrap();
    mcpcp::identity::jwt::verify(jwt, &x).unwrap_or_else(|| panic!("{jwt} does not verify"))
}

fn group_id(m: &Mcpcp, name: &str) -> i64 {
    m.json(&["group", "list"]).as_array().unwrap().iter().find(|g| g["name"] == name).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_users_identity_reaches_the_upstream_as_headers_a_jwt_and_meta() {
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "api", "--url", &upstream.url, "--auth", "password"]);
    let r = m.run_stdin(&["user", "create", "ada", "--email", "ada@example.com", "--password-stdin"], PASSWORD);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for g in ["eng", "ops"] {
        m.ok(&["group", "create", g]);
        m.ok(&["group", "add", g, "ada"]);
    }
    m.ok(&["group", "grant", "eng", "api"]);
    let (eng, ops) = (group_id(&m, "eng"), group_id(&m, "ops"));
    m.ok(&["server", "identity", "api", "--forward", "headers,jwt,meta"]);
    let gw = Gateway::start(m, &[]);
    let token = user_token(&gw, "api", "ada").await;
    let mut c = Raw::new(&gw.url("api"), &token);
    c.handshake("2025-06-18").await;

    // The headers, however the client tried to set them itself.
    let seen = call(&c, 2, "whoami", json!({}), FORGED).await;
    assert_eq!(seen["x-mcpcp-user"], "ada", "{seen}");
    assert_eq!(seen["x-mcpcp-user-email"], "ada@example.com");
    assert_eq!(seen["x-mcpcp-user-groups"], format!("{eng}:eng,{ops}:ops"));
    assert_eq!(seen["x-mcpcp-auth-method"], "password");
    let trace_id = seen["x-mcpcp-trace-id"].as_str().unwrap().to_string();
    let records = logs(&gw.m, &["--where", &format!("trace_id={trace_id}")]);
    assert_eq!(records.len(), 1, "the trace id is the call's own record's: {records:?}");
    assert_eq!(records[0]["tool"], "whoami");

    // The JWT: signed by the published key, for this upstream, alive 60 s, for this request (its
    // trace) and unique.
    let jwt = seen["x-mcpcp-identity"].as_str().unwrap();
    assert_ne!(jwt, "forged.jwt.value");
    let claims = verified(&gw.base, jwt).await;
    assert_eq!(claims["iss"], gw.base.as_str());
    assert_eq!(claims["aud"], upstream.url.as_str());
    assert_eq!((claims["sub"].as_str(), claims["name"].as_str()), (Some("ada"), Some("ada")));
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["groups"], json!([{"id": eng, "name": "eng"}, {"id": ops, "name": "ops"}]));
    assert_eq!((claims["auth_method"].as_str(), claims["server"].as_str()), (Some("password"), Some("api")));
    assert_eq!(claims["trace_id"], trace_id.as_str());
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 60);
    let now = chrono::Utc::now().timestamp();
    assert!((claims["iat"].as_i64().unwrap() - now).abs() <= 5, "{claims}");
    assert_eq!(claims["jti"].as_str().unwrap().len(), 32);
    let again = call(&c, 3, "whoami", json!({}), &[]).await;
    let second = verified(&gw.base, again["x-mcpcp-identity"].as_str().unwrap()).await;
    assert_ne!(second["jti"], claims["jti"]);
    assert_ne!(second["trace_id"], claims["trace_id"], "each request its own trace");

    // _meta: the gateway's identity replaces the client's forgery; other members stay.
    let meta = call(&c, 4, "meta", forged_meta(), FORGED).await;
    let identity = &meta["io.mcpcp/identity"];
    assert_eq!(identity["sub"], "ada", "{meta}");
    assert_eq!(identity["email"], "ada@example.com");
    assert_eq!(identity["groups"], json!([{"id": eng, "name": "eng"}, {"id": ops, "name": "ops"}]));
    assert_eq!(identity["auth_method"], "password");
    assert_eq!(identity["trace_id"].as_str().unwrap().len(), 32);
    assert!(identity.get("exp").is_none() && identity.get("iss").is_none(), "unsigned: no token claims");
    assert_eq!(meta["progressToken"], "p-1");

    // A changed group applies to the next request (the snapshot, not a query), the JWT included.
    gw.m.ok(&["group", "remove", "ops", "ada"]);
    eventually("the groups to change", Duration::from_secs(2), || {
        let c = c.clone();
        let want = format!("{eng}:eng");
        async move { call(&c, 5, "whoami", json!({}), &[]).await["x-mcpcp-user-groups"] == want.as_str() }
    })
    .await;
    let after = call(&c, 6, "whoami", json!({}), &[]).await;
    let claims = verified(&gw.base, after["x-mcpcp-identity"].as_str().unwrap()).await;
    assert_eq!(claims["groups"], json!([{"id": eng, "name": "eng"}]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_token_is_the_identity_and_changes_apply_to_a_live_session_within_a_second() {
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    let token = m.ok(&["token", "create", "remote", "--name", "laptop"]).trim().to_string();
    let gw = Gateway::start(m, &[]);
    let mut c = Raw::new(&gw.url("remote"), &token);
    c.handshake("2025-06-18").await;

    // Off: nothing of the kind reaches the upstream, forged or not.
    let seen = call(&c, 2, "whoami", json!({}), FORGED).await;
    assert!(seen.as_object().unwrap().keys().all(|k| !k.starts_with("x-mcpcp-")), "{seen}");
    let meta = call(&c, 3, "meta", forged_meta(), &[]).await;
    assert!(meta.get("io.mcpcp/identity").is_none(), "a forged _meta member is removed: {meta}");
    assert_eq!(meta["progressToken"], "p-1");

    // On, for the same session, within a second.
    gw.m.ok(&["server", "identity", "remote", "--forward", "headers,jwt,meta"]);
    let took = eventually("the identity headers", Duration::from_secs(3), || {
        let c = c.clone();
        async move { call(&c, 4, "whoami", json!({}), FORGED).await.get("x-mcpcp-user").is_some() }
    })
    .await;
    assert!(took <= Duration::from_secs(1), "the change took {took:?}");
    let seen = call(&c, 5, "whoami", json!({}), FORGED).await;
    assert_eq!(seen["x-mcpcp-user"], "token:laptop", "{seen}");
    assert_eq!(seen["x-mcpcp-auth-method"], "api_token");
    assert!(seen.get("x-mcpcp-user-email").is_none() && seen.get("x-mcpcp-user-groups").is_none(), "{seen}");
    let claims = verified(&gw.base, seen["x-mcpcp-identity"].as_str().unwrap()).await;
    assert_eq!((claims["sub"].as_str(), claims["name"].as_str()), (Some("token:laptop"), Some("laptop")));
    assert_eq!((claims["server"].as_str(), claims["auth_method"].as_str()), (Some("remote"), Some("api_token")));
    assert_eq!(claims["groups"], json!([]));
    assert!(claims.get("email").is_none());
    let meta = call(&c, 6, "meta", forged_meta(), &[]).await;
    assert_eq!(meta["io.mcpcp/identity"]["sub"], "token:laptop", "{meta}");
    assert_eq!(meta["io.mcpcp/identity"]["server"], "remote");

    // Another header name for the JWT; then off again.
    gw.m.ok(&["server", "identity", "remote", "--forward", "jwt", "--jwt-header", "X-MCPCP-Assertion"]);
    eventually("the JWT under its new header, the headers gone", Duration::from_secs(2), || {
        let c = c.clone();
        async move {
            let seen = call(&c, 7, "whoami", json!({}), &[]).await;
            seen.get("x-mcpcp-assertion").is_some()
                && seen.get("x-mcpcp-user").is_none()
                && seen.get("x-mcpcp-trace-id").is_none()
        }
    })
    .await;
    gw.m.ok(&["server", "identity", "remote", "--forward", "none"]);
    eventually("forwarding to stop", Duration::from_secs(2), || {
        let c = c.clone();
        async move {
            call(&c, 8, "whoami", json!({}), FORGED)
                .await
                .as_object()
                .unwrap()
                .keys()
                .all(|k| !k.starts_with("x-mcpcp-"))
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stdio_upstream_gets_the_identity_in_meta() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "fx", "--name", "ci"]).trim().to_string();
    m.ok(&["server", "identity", "fx", "--forward", "meta"]);
    let gw = Gateway::start(m, &[]);
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-06-18").await;
    let meta = call(&c, 2, "meta", forged_meta(), &[]).await;
    let identity = &meta["io.mcpcp/identity"];
    assert_eq!(identity["sub"], "token:ci", "{meta}");
    assert_eq!((identity["auth_method"].as_str(), identity["server"].as_str()), (Some("api_token"), Some("fx")));
    let trace_id = identity["trace_id"].as_str().unwrap();
    assert_eq!(logs(&gw.m, &["--where", &format!("trace_id={trace_id}")])[0]["tool"], "meta");
    // A request with no _meta of its own gets one.
    let a = c.post_json(json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "meta"}})).await;
    assert_eq!(a.json()["result"]["structuredContent"]["io.mcpcp/identity"]["sub"], "token:ci", "{}", a.body);
}

/// An SSO user as the sign-in leaves them: created from the identity provider's claims (email,
/// groups mapped), holding an access token for an `--auth sso` server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sso_users_email_and_groups_come_from_the_identity_provider() {
    use mcpcp::clock::Clock;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "notes", "--command", fixture_stdio().to_str().unwrap(), "--auth", "sso"]);
    m.ok(&["group", "create", "eng"]);
    m.ok(&["group", "grant", "eng", "notes"]);
    m.ok(&["server", "identity", "notes", "--forward", "meta"]);
    let eng = group_id(&m, "eng");
    let gw = Gateway::start(m, &[]);

    // The sign-in's two writes (`sso::sign_in`, then the tokens), as the gateway makes them.
    let access = "mcpcp_at_sso-identity-test-0123456789abcdef";
    {
        let dir = mcpcp::datadir::DataDir::open_or_create(&gw.m.data_dir()).unwrap();
        let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
        let clock = Clock::system();
        let who = mcpcp::identity::oidc::IdpIdentity {
            subject: "https://idp.example|alice".into(),
            name: "alice".into(),
            email: Some("alice@idp.example".into()),
            groups: Some(vec!["engineering".into(), "sales".into()]),
        };
        let ctx = mcpcp::ops::Ctx::system("sso", &clock);
        let user = mcpcp::ops::sso::sign_in(&mut db, &ctx, &who, &[("engineering".into(), "eng".into())]).unwrap();
        let client = mcpcp::ops::oauth::register_client(
            &mut db,
            clock.now(),
            mcpcp::ops::oauth::NewClient {
                client_id: "sso-identity-test".into(),
                kind: "dcr",
                client_name: "test".into(),
                redirect_uris: vec![REDIRECT.into()],
                secret_hash: None,
                auth_method: "none".into(),
                metadata: "{}".into(),
            },
        )
        .unwrap();
        let server_id = gw.m.json(&["server", "show", "notes"])["id"].as_i64().unwrap();
        let issue = mcpcp::ops::oauth::Issue {
            client_id: &client.client_id,
            user_id: user.user_id,
            server_id,
            method: "sso",
            scope: "mcp",
            access_hash: &mcpcp::identity::token::hash(access),
            refresh_hash: &mcpcp::identity::token::hash("mcpcp_rt_sso-identity-test"),
            family: mcpcp::ops::oauth::Family::New { code_hash: mcpcp::identity::token::hash("code") },
        };
        mcpcp::ops::oauth::issue_tokens(&mut db, clock.now(), issue).unwrap();
    }
    let url = gw.url("notes");
    eventually("the gateway to accept the SSO user's token", Duration::from_secs(2), || {
        let url = url.clone();
        let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
            "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
        async move { Raw::new(&url, access).post_json(init).await.status == StatusCode::OK }
    })
    .await;
    let mut c = Raw::new(&gw.url("notes"), access);
    c.handshake("2025-06-18").await;
    let identity = call(&c, 2, "meta", json!({}), &[]).await["io.mcpcp/identity"].clone();
    assert_eq!(
        (identity["sub"].as_str(), identity["email"].as_str()),
        (Some("alice"), Some("alice@idp.example")),
        "{identity}"
    );
    assert_eq!(identity["groups"], json!([{"id": eng, "name": "eng"}]));
    assert_eq!(identity["auth_method"], "sso");
}

/// `key rotate` while calls go on: tokens signed by the old key and by the new one both verify
/// against the published set; the old key leaves it once its tokens have expired (the gateway's
/// clock moved past 120 s after the rotation).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_stays_published_until_its_tokens_have_expired() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    let token = m.ok(&["token", "create", "remote"]).trim().to_string();
    m.ok(&["server", "identity", "remote", "--forward", "jwt"]);
    let ahead = Arc::new(AtomicI64::new(0));
    let offset = ahead.clone();
    let clock = mcpcp::gateway::Clock::from_fn(move || {
        chrono::Utc::now() + chrono::Duration::seconds(offset.load(Ordering::SeqCst))
    });
    let gw = InProcess::start(&m, clock).await;
    let mut c = Raw::new(&gw.url("remote"), &token);
    c.handshake("2025-06-18").await;
    let old = call(&c, 2, "whoami", json!({}), &[]).await["x-mcpcp-identity"].as_str().unwrap().to_string();
    assert_eq!(verified(&gw.base, &old).await["aud"], upstream.url.as_str());

    let rotated = m.json(&["key", "rotate"]);
    let new_kid = rotated["kid"].as_str().unwrap().to_string();
    let jwks = format!("{}/.well-known/jwks.json", gw.base);
    let new = {
        let c = c.clone();
        let mut got = String::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while std::time::Instant::now() < deadline {
            let jwt = call(&c, 3, "whoami", json!({}), &[]).await["x-mcpcp-identity"].as_str().unwrap().to_string();
            let header: Value =
                serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').next().unwrap()).unwrap()).unwrap();
            if header["kid"] == new_kid.as_str() {
                got = jwt;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(!got.is_empty(), "the gateway did not sign with the new key within 2 s");
        got
    };
    // Both verify against the one published set.
    verified(&gw.base, &old).await;
    let signed = verified(&gw.base, &new).await;
    // Each request its own token, issued by the gateway's clock.
    ahead.store(31, Ordering::SeqCst);
    let later = call(&c, 4, "whoami", json!({}), &[]).await["x-mcpcp-identity"].as_str().unwrap().to_string();
    let later = verified(&gw.base, &later).await;
    assert_ne!(later["jti"], signed["jti"]);
    assert!(later["iat"].as_i64().unwrap() >= signed["iat"].as_i64().unwrap() + 30, "{later} {signed}");
    let kids = |v: Value| -> Vec<String> {
        v["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_string()).collect()
    };
    let published = kids(reqwest::get(&jwks).await.unwrap().json().await.unwrap());
    assert_eq!(published.len(), 2, "{published:?}");
    assert!(published.contains(&new_kid));

    // 121 s later every token of the old key has expired: only the new key is published.
    ahead.store(121, Ordering::SeqCst);
    let published = kids(reqwest::get(&jwks).await.unwrap().json().await.unwrap());
    assert_eq!(published, [new_kid]);
    gw.stop().await;
}
