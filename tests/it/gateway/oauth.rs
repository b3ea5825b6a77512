//! mcpcp as the OAuth authorization server, driven over HTTP the way a browser and an MCP client
//! would: discovery, registration, the login and consent forms, code + PKCE, tokens, refresh,
//! revocation, and every refusal the flow must make.

use std::time::Duration;

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::harness::{Gateway, InProcess, Served, fixture_stdio};
use super::http::Raw;
use crate::support::Mcpcp;

pub const REDIRECT: &str = "http://127.0.0.1:5173/callback";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more-entropy";

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A gateway with two password servers (`notes`, `files`), an SSO-less setup, users `ada` (in
/// group `eng`, which grants `notes`) and `bob` (in no group).
pub fn setup() -> Gateway {
    Gateway::start(setup_data(), &[])
}

/// The data directory of `setup`.
pub fn setup_data() -> Mcpcp {
    let m = Mcpcp::new();
    for s in ["notes", "files"] {
        m.ok(&["server", "create", s, "--command", fixture_stdio().to_str().unwrap(), "--auth", "password"]);
    }
    for (u, pw) in [("ada", "correct horse battery"), ("bob", "bob's long password")] {
        let r = m.run_stdin(&["user", "create", u, "--password-stdin"], pw);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    m.ok(&["group", "create", "eng"]);
    m.ok(&["group", "add", "eng", "ada"]);
    m.ok(&["group", "grant", "eng", "notes"]);
    m
}

/// A browser: no redirects followed, cookies kept by hand.
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: Option<String>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { http, base: base.to_string(), cookie: None }
    }

    async fn keep_cookie(&mut self, r: &reqwest::Response) {
        if let Some(c) = r.headers().get("set-cookie") {
            self.cookie = Some(c.to_str().unwrap().split(';').next().unwrap().to_string());
        }
    }

    pub async fn get(&mut self, url: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let mut r = self.http.get(url);
        if let Some(c) = &self.cookie {
            r = r.header("cookie", c);
        }
        let r = r.send().await.unwrap();
        self.keep_cookie(&r).await;
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }

    pub async fn post_form(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let mut r = self.http.post(format!("{}{path}", self.base)).form(form);
        if let Some(c) = &self.cookie {
            r = r.header("cookie", c);
        }
        let r = r.send().await.unwrap();
        self.keep_cookie(&r).await;
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }
}

/// The value of a hidden form field.
pub fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no field {name} in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub async fn register(base: &str, redirect: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{base}/register"))
        .json(&json!({"client_name": "Test <b>Client</b>", "redirect_uris": [redirect], "token_endpoint_auth_method": "none"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["client_id"].as_str().unwrap().to_string()
}

pub fn authorize_url(gw: &impl Served, client: &str, server: &str) -> String {
    format!(
        "{}/authorize?response_type=code&client_id={client}&redirect_uri={}&state=st-1&code_challenge={}&code_challenge_method=S256&scope=mcp&resource={}",
        gw.base(),
        urlencode(REDIRECT),
        challenge(VERIFIER),
        urlencode(&gw.url(server)),
    )
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Signs in through the pages and returns the code from the final redirect.
pub async fn sign_in(
    gw: &impl Served,
    browser: &mut Browser,
    client: &str,
    server: &str,
    user: &str,
    password: &str,
) -> String {
    let (status, headers, page) = browser.get(&authorize_url(gw, client, server)).await;
    let (status, headers, page) = if status == StatusCode::SEE_OTHER {
        // Signed in on this browser and consented before: straight back with a code.
        (status, headers, page)
    } else {
        assert_eq!(status, StatusCode::OK, "{page}");
        browser
            .post_form(
                "/authorize/login",
                &[
                    ("request", &field(&page, "request")),
                    ("csrf", &field(&page, "csrf")),
                    ("username", user),
                    ("password", password),
                ],
            )
            .await
    };
    let location = if status == StatusCode::SEE_OTHER {
        headers["location"].to_str().unwrap().to_string()
    } else {
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("Allow access?"), "{page}");
        let (status, headers, page) = browser
            .post_form(
                "/authorize/consent",
                &[("request", &field(&page, "request")), ("csrf", &field(&page, "csrf")), ("decision", "allow")],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        headers["location"].to_str().unwrap().to_string()
    };
    let url = url::Url::parse(&location).unwrap();
    assert!(location.starts_with(REDIRECT), "{location}");
    let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(q.get("state").map(String::as_str), Some("st-1"));
    assert_eq!(q.get("iss"), Some(&gw.base().to_string()), "RFC 9207 iss");
    q.get("code").cloned().unwrap_or_else(|| panic!("no code in {location}"))
}

pub async fn exchange(gw: &impl Served, client: &str, code: &str, verifier: &str, server: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/token", gw.base()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("client_id", client),
            ("resource", &gw.url(server)),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert_eq!(r.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    (status, r.json().await.unwrap())
}

async fn refresh(gw: &impl Served, client: &str, refresh_token: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/token", gw.base()))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", client)])
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

pub async fn mcp_status(gw: &impl Served, server: &str, token: &str) -> (StatusCode, String) {
    let a = Raw::new(&gw.url(server), token)
        .post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
        .await;
    (a.status, a.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_documents() {
    let gw = setup();
    let http = reqwest::Client::new();
    let a = Raw::new(&gw.url("notes"), "")
        .send(reqwest::Client::new().post(gw.url("notes")).header("content-type", "application/json").body("{}"))
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let challenge = a.header("www-authenticate").unwrap();
    let prm_url = format!("{}/.well-known/oauth-protected-resource/mcp/notes", gw.base);
    assert!(challenge.contains(&format!("resource_metadata=\"{prm_url}\"")), "{challenge}");
    let prm: Value = http.get(&prm_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(prm["resource"], gw.url("notes"));
    assert_eq!(prm["authorization_servers"], json!([gw.base]));
    for path in ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"] {
        let r = http.get(format!("{}{path}", gw.base)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let md: Value = r.json().await.unwrap();
        assert_eq!(md["issuer"], gw.base, "issuer is the public URL exactly");
        assert_eq!(md["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(md["token_endpoint"], format!("{}/token", gw.base));
        assert_eq!(md["authorization_response_iss_parameter_supported"], true);
    }
    // An API-token server has no protected resource metadata, and its 401 names none.
    gw.m.ok(&["server", "create", "plain", "--command", fixture_stdio().to_str().unwrap()]);
    let r = http.get(format!("{}/.well-known/oauth-protected-resource/mcp/plain", gw.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_flow_then_refresh_rotation_and_revocation() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut browser = Browser::new(&gw.base);
    let code = sign_in(&gw, &mut browser, &client, "notes", "ada", "correct horse battery").await;
    let (status, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let refresh1 = tokens["refresh_token"].as_str().unwrap().to_string();
    assert!(access.starts_with("mcpat_") && refresh1.starts_with("mcprt_"));
    // The token works on its server right away, and only there.
    assert_eq!(mcp_status(&gw, "notes", &access).await.0, StatusCode::OK);
    assert_eq!(mcp_status(&gw, "files", &access).await.0, StatusCode::UNAUTHORIZED, "audience is one server");
    // Only digests are stored.
    let stored: i64 = gw
        .m
        .sqlite()
        .query_row("SELECT COUNT(*) FROM oauth_tokens WHERE hash = ?1", [mcpcp::identity::token::hash(&access)], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stored, 1);

    // The second sign-in remembers consent and the browser's login: straight to the code.
    let (status, headers, _) = browser.get(&authorize_url(&gw, &client, "notes")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().contains("code="));

    // Refresh rotates; reusing the old refresh token revokes the family.
    let (status, rotated) = refresh(&gw, &client, &refresh1).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let access2 = rotated["access_token"].as_str().unwrap().to_string();
    let refresh2 = rotated["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(refresh2, refresh1);
    assert_eq!(mcp_status(&gw, "notes", &access2).await.0, StatusCode::OK);
    let (status, body) = refresh(&gw, &client, &refresh1).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(mcp_status(&gw, "notes", &access2).await.0, StatusCode::UNAUTHORIZED, "the family is revoked");
    assert_eq!(refresh(&gw, &client, &refresh2).await.0, StatusCode::BAD_REQUEST);

    // Revocation (RFC 7009) of a fresh grant.
    let code = sign_in(&gw, &mut browser, &client, "notes", "ada", "").await;
    let (_, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    let access3 = tokens["access_token"].as_str().unwrap().to_string();
    assert_eq!(mcp_status(&gw, "notes", &access3).await.0, StatusCode::OK);
    let r = reqwest::Client::new()
        .post(format!("{}/revoke", gw.base))
        .form(&[("token", access3.as_str()), ("client_id", &client)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(mcp_status(&gw, "notes", &access3).await.0, StatusCode::UNAUTHORIZED);
    // Sign-in, consent and tokens are in the activity log with the user.
    let kinds: Vec<String> = super::activity::logs(&gw.m, &["--user", "ada"])
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect();
    for k in ["sign_in", "consent", "token", "token_revoke"] {
        assert!(kinds.iter().any(|x| x == k), "{k} not in {kinds:?}");
    }
    let _ = Duration::ZERO;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_and_access_tokens_expire_by_the_gateways_clock() {
    let m = setup_data();
    let now = std::sync::Arc::new(std::sync::Mutex::new(chrono::Utc::now()));
    let advance = |by: chrono::TimeDelta| *now.lock().unwrap() += by;
    let clock = {
        let now = now.clone();
        mcpcp::gateway::Clock::from_fn(move || *now.lock().unwrap())
    };
    let gw = InProcess::start(&m, clock).await;
    let client = register(gw.base(), REDIRECT).await;
    let mut browser = Browser::new(gw.base());
    // A code is good for 60 seconds.
    let code = sign_in(&gw, &mut browser, &client, "notes", "ada", "correct horse battery").await;
    advance(chrono::TimeDelta::seconds(61));
    let (status, body) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{body}");
    assert!(body["error_description"].as_str().unwrap().contains("expired"), "{body}");
    let code = sign_in(&gw, &mut browser, &client, "notes", "ada", "").await;
    advance(chrono::TimeDelta::seconds(59));
    let (status, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    assert_eq!(tokens["expires_in"], 900);
    // The access token works for 15 minutes, then is refused; the refresh token gets a new one.
    assert_eq!(mcp_status(&gw, "notes", &access).await.0, StatusCode::OK);
    advance(chrono::TimeDelta::seconds(899));
    assert_eq!(mcp_status(&gw, "notes", &access).await.0, StatusCode::OK);
    advance(chrono::TimeDelta::seconds(2));
    let (status, body) = mcp_status(&gw, "notes", &access).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, rotated) = refresh(&gw, &client, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    assert_eq!(mcp_status(&gw, "notes", rotated["access_token"].as_str().unwrap()).await.0, StatusCode::OK);
    gw.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_without_a_group_gets_403() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut browser = Browser::new(&gw.base);
    let code = sign_in(&gw, &mut browser, &client, "notes", "bob", "bob's long password").await;
    let (_, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    let (status, body) = mcp_status(&gw, "notes", tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("not in any group that grants server \\\"notes\\\""), "{body}");
    assert_eq!(super::activity::logs(&gw.m, &["--type", "denied", "--user", "bob"]).len(), 1);
}

/// Removing access in any way ends the user's sign-ins for the server at once: their tokens are
/// refused and live sessions close within a second. `user sessions` / `user signout` list and end
/// sign-ins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn losing_access_revokes_sign_ins_and_ends_sessions() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut browser = Browser::new(&gw.base);
    let token_for = async |browser: &mut Browser| {
        let code = sign_in(&gw, browser, &client, "notes", "ada", "correct horse battery").await;
        exchange(&gw, &client, &code, VERIFIER, "notes").await.1["access_token"].as_str().unwrap().to_string()
    };
    for (change, undo) in [
        (vec!["group", "remove", "eng", "ada"], vec!["group", "add", "eng", "ada"]),
        (vec!["group", "revoke", "eng", "notes"], vec!["group", "grant", "eng", "notes"]),
        (vec!["user", "disable", "ada"], vec!["user", "enable", "ada"]),
        (vec!["user", "signout", "ada"], vec![]),
    ] {
        let token = token_for(&mut browser).await;
        let mut c = Raw::new(&gw.url("notes"), &token);
        c.handshake("2025-06-18").await;
        let sessions = gw.m.json(&["user", "sessions", "ada"]);
        assert!(!sessions.as_array().unwrap().is_empty(), "{sessions}");
        assert_eq!(sessions[0]["server"], "notes");
        gw.m.ok(&change);
        let refused = std::sync::Mutex::new(StatusCode::OK);
        super::harness::eventually(&format!("{change:?} to end the session"), Duration::from_secs(1), || async {
            let a = c.post_json(json!({"jsonrpc": "2.0", "id": 9, "method": "tools/list"})).await;
            *refused.lock().unwrap() = a.status;
            a.status != StatusCode::OK
        })
        .await;
        let status = *refused.lock().unwrap();
        assert!(
            [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
            "{change:?}: {status}"
        );
        // The token itself is dead: a new session with it fails too.
        assert_ne!(mcp_status(&gw, "notes", &token).await.0, StatusCode::OK, "{change:?}");
        let action = format!("{}.{}", change[0], change[1]);
        let entry = gw.m.audit().into_iter().rev().find(|e| e["action"] == action.as_str()).unwrap();
        if change[1] != "signout" {
            assert!(
                entry["changes"]["sign_ins_revoked"]["after"].as_i64().is_some_and(|n| n >= 1),
                "{change:?}: {entry}"
            );
        } else {
            assert_eq!(entry["action"], "user.signout");
        }
        assert_eq!(gw.m.json(&["user", "sessions", "ada"]), json!([]));
        if !undo.is_empty() {
            // Issuing the next round's token reloads the snapshot, so no wait is needed.
            gw.m.ok(&undo);
        }
    }
    let err = gw.m.fails(&["user", "signout", "ada"], 1);
    assert!(err.contains("has no sign-ins"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_known_scopes_are_granted_and_prompt_consent_asks_again() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut browser = Browser::new(&gw.base);
    let code = sign_in(&gw, &mut browser, &client, "notes", "ada", "correct horse battery").await;
    let (status, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["scope"], "mcp");

    // Signed in and consented: straight back with a code, and unknown scopes are not granted.
    let url =
        authorize_url(&gw, &client, "notes").replace("scope=mcp", "scope=mcp%20admin%3Aeverything%20offline_access");
    let (status, headers, page) = browser.get(&url).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let location = url::Url::parse(headers["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).unwrap();
    let (status, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["scope"], "mcp offline_access", "admin:everything is not granted: {tokens}");

    // prompt=consent shows the consent page again; prompt=login the login page.
    let (status, _, page) = browser.get(&format!("{}&prompt=consent", authorize_url(&gw, &client, "notes"))).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Allow access?"), "{page}");
    let (status, _, page) = browser.get(&format!("{}&prompt=login", authorize_url(&gw, &client, "notes"))).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("name=\"password\""), "{page}");
}

/// Over TLS the sign-in cookie is `__Host-` prefixed and `Secure` (on plain-HTTP loopback it
/// cannot be, and the other tests show it is not).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_the_sign_in_cookie_is_host_prefixed_and_secure() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "notes", "--command", fixture_stdio().to_str().unwrap(), "--auth", "password"]);
    let r = m.run_stdin(&["user", "create", "ada", "--password-stdin"], "correct horse battery");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let gw = Gateway::start(m, &["--tls-self-signed"]);
    let cert = std::fs::read(gw.m.data_dir().join("tls-cert.pem")).unwrap();
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&cert).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = gw.base.replace("127.0.0.1", "localhost");
    let client: Value = http
        .post(format!("{base}/register"))
        .json(&json!({"client_name": "tls", "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let client = client["client_id"].as_str().unwrap().to_string();
    let mut browser = Browser { http, base: base.clone(), cookie: None };
    let (status, _, page) = browser.get(&authorize_url(&gw, &client, "notes").replace(&gw.base, &base)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let r = browser
        .http
        .post(format!("{base}/authorize/login"))
        .form(&[
            ("request", field(&page, "request").as_str()),
            ("csrf", field(&page, "csrf").as_str()),
            ("username", "ada"),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(cookie.starts_with("__Host-mcpcp_login="), "{cookie}");
    for attr in ["; Secure", "; HttpOnly", "; SameSite=Lax", "; Path=/"] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
}
