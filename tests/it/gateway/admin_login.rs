//! `mcpcp admin login` at the gateway, for what needs no identity provider (the whole sign-in in
//! a browser through a real one is tests/interop's `check_admin_sso`): `/api/v1/login` accepts
//! only loopback redirect URIs and sends the browser on to the IdP; the one-time code is single
//! use, short-lived and bound to the PKCE verifier; its exchange answers RFC 9457 problems; the
//! token it gives is the admin's with the roles bound to the IdP groups of the sign-in.

use std::sync::{Arc, Mutex};

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::harness::{Gateway, InProcess};
use crate::support::Mcpcp;

const VERIFIER: &str = "admin-login-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
const LOOPBACK: &str = "http://127.0.0.1:49152/callback";

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn login_url(base: &str, redirect_uri: &str) -> String {
    format!(
        "{base}/api/v1/login?redirect_uri={}&state=st-1&code_challenge={}&code_challenge_method=S256",
        enc(redirect_uri),
        challenge(VERIFIER)
    )
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A stand-in OpenID provider on loopback: its discovery document and an empty key set, enough
/// for mcpcp to send a browser there.
async fn provider() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let i = issuer.clone();
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            axum::routing::get(move || {
                let i = i.clone();
                async move {
                    axum::Json(json!({
                        "issuer": i, "authorization_endpoint": format!("{i}/auth"), "token_endpoint": format!("{i}/token"),
                        "jwks_uri": format!("{i}/jwks"), "response_types_supported": ["code"],
                        "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"]
                    }))
                }
            }),
        )
        .route("/jwks", axum::routing::get(|| async { axum::Json(json!({"keys": []})) }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    issuer
}

/// `/api/v1/login` refuses every redirect URI but a loopback one with a page (never a
/// redirect), and a malformed PKCE challenge; a good request goes on to the IdP through
/// `/sso/admin-login` at the public URL, with mcpcp's own callback, state, nonce and PKCE.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_accepts_only_loopback_redirect_uris_and_goes_on_to_the_identity_provider() {
    let issuer = provider().await;
    let m = Mcpcp::new().env("MCPCP_CLIENT_METADATA_PRIVATE_NETWORKS", "true");
    let r = m.run_stdin(&["sso", "set", "--issuer", &issuer, "--client-id", "mcpcp", "--client-secret-stdin"], "s-1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let gw = Gateway::start(m, &[]);
    let http = no_redirects();
    let get = |url: String| {
        let http = http.clone();
        async move {
            let r = http.get(url).send().await.unwrap();
            let (status, headers) = (r.status(), r.headers().clone());
            (status, headers, r.text().await.unwrap())
        }
    };
    for bad in [
        "https://127.0.0.1:49152/callback",
        "http://localhost:49152/callback",
        "http://evil.example:49152/callback",
        "http://127.0.0.1/callback",
        "http://127.0.0.1:49152/callback?next=https://evil.example",
        "http://user@127.0.0.1:49152/callback",
        "cursor://callback",
        "http://192.168.1.1:49152/<script>",
    ] {
        let (status, headers, page) = get(login_url(&gw.base, bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {page}");
        assert!(headers.get("location").is_none(), "{bad}");
        assert!(page.contains("redirect_uri"), "{bad}: {page}");
        assert!(!page.contains("<script>"), "escaped: {page}");
    }
    let good = login_url(&gw.base, LOOPBACK);
    for (what, url) in [
        ("a plain challenge", good.replace("S256", "plain")),
        ("a short challenge", good.replace(&challenge(VERIFIER), "abc")),
        ("no state", good.replace("state=st-1&", "")),
        ("a repeated field", format!("{good}&state=again")),
    ] {
        let (status, headers, page) = get(url).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {page}");
        assert!(headers.get("location").is_none(), "{what}");
    }

    let (status, headers, _) = get(good).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let next = headers["location"].to_str().unwrap().to_string();
    assert!(next.starts_with(&format!("{}/sso/admin-login?request=", gw.base)), "{next}");
    let (status, headers, page) = get(next.clone()).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let idp = url::Url::parse(headers["location"].to_str().unwrap()).unwrap();
    assert!(idp.as_str().starts_with(&format!("{issuer}/auth?")), "{idp}");
    let q: std::collections::HashMap<_, _> = idp.query_pairs().into_owned().collect();
    assert_eq!(q["redirect_uri"], format!("{}/sso/callback", gw.base), "the IdP knows one callback");
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(q.contains_key("nonce") && q.contains_key("state"));
    assert_ne!(q["code_challenge"], challenge(VERIFIER), "mcpcp's own PKCE with the IdP");
    assert!(headers["set-cookie"].to_str().unwrap().contains("HttpOnly"), "the flow is bound to the browser");
    // The IdP's answer comes back only with the browser's cookie and mcpcp's state.
    let (status, headers, page) = get(format!("{}/sso/callback?state={}&code=x", gw.base, enc(&q["state"]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(headers.get("location").is_none());
    let (status, _, page) = get(format!("{}/sso/admin-login?request=forged", gw.base)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(page.contains("mcpcp admin login"), "{page}");
}

/// Without SSO set up, a sign-in stops at a page saying so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_without_single_sign_on_says_so() {
    let gw = Gateway::start(Mcpcp::new(), &[]);
    let http = no_redirects();
    let r = http.get(login_url(&gw.base, LOOPBACK)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let next = r.headers()["location"].to_str().unwrap().to_string();
    let r = http.get(next).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().await.unwrap().contains("Single sign-on is not configured"));
}

/// The gateway in this process with a clock the test moves, and `POST /api/v1/login/token`.
struct Exchange {
    gw: InProcess,
    now: Arc<Mutex<chrono::DateTime<chrono::Utc>>>,
    http: reqwest::Client,
}

impl Exchange {
    async fn start(m: &Mcpcp) -> Exchange {
        let now = Arc::new(Mutex::new(chrono::Utc::now()));
        let n = now.clone();
        let gw = InProcess::start(m, mcpcp::gateway::Clock::from_fn(move || *n.lock().unwrap())).await;
        Exchange { gw, now, http: reqwest::Client::new() }
    }

    fn code(&self, m: &Mcpcp, admin: &str, groups: &[&str]) -> String {
        let id = m.json(&["admin", "show", admin])["id"].as_i64().unwrap();
        let groups = groups.iter().map(|g| g.to_string()).collect();
        let now = *self.now.lock().unwrap();
        self.gw.oauth.issue_admin_code(id, admin, groups, &challenge(VERIFIER), now).unwrap()
    }

    async fn post(&self, body: String) -> (StatusCode, String, Value) {
        let r = self
            .http
            .post(format!("{}/api/v1/login/token", self.gw.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let kind = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        (status, kind, serde_json::from_str(&r.text().await.unwrap()).unwrap_or(Value::Null))
    }

    async fn redeem(&self, code: &str, verifier: &str) -> (StatusCode, String, Value) {
        self.post(json!({"code": code, "code_verifier": verifier}).to_string()).await
    }

    async fn api(&self, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> StatusCode {
        let mut r = self.http.request(method, format!("{}/api/v1{path}", self.gw.base)).bearer_auth(token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send().await.unwrap().status()
    }
}

fn problem(status: StatusCode, kind: &str, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(kind, "application/problem+json", "{body}");
    assert_eq!(body["status"], expected.as_u16(), "{body}");
    assert!(body["detail"].is_string() && body["title"].is_string() && body["type"].is_string(), "{body}");
}

/// A code is redeemed once, within 60 s, with the verifier of its challenge; every refusal is a
/// problem and burns the code. The token is the admin's: it works at once, lives 12 h, and the
/// exchange is audited as the admin, via sso.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_is_single_use_short_lived_and_bound_to_the_verifier() {
    let m = Mcpcp::new().alone();
    m.ok(&["admin", "create", "olga", "--sso-subject", "olga-sub"]);
    m.ok(&["admin", "grant", "olga", "auditor"]);
    let x = Exchange::start(&m).await;

    let code = x.code(&m, "olga", &[]);
    let (status, kind, body) = x.redeem(&code, "a-wrong-verifier-a-wrong-verifier-a-wrong-verifier").await;
    problem(status, &kind, &body, StatusCode::BAD_REQUEST);
    let (status, kind, body) = x.redeem(&code, VERIFIER).await;
    problem(status, &kind, &body, StatusCode::BAD_REQUEST);
    assert!(body["detail"].as_str().unwrap().contains("already used"), "{body}");

    let code = x.code(&m, "olga", &[]);
    *x.now.lock().unwrap() += chrono::TimeDelta::seconds(61);
    let (status, kind, body) = x.redeem(&code, VERIFIER).await;
    problem(status, &kind, &body, StatusCode::BAD_REQUEST);

    let code = x.code(&m, "olga", &[]);
    let (id, _) = code.split_once('.').unwrap();
    let (status, kind, body) = x.redeem(&format!("{id}.forged-secret"), VERIFIER).await;
    problem(status, &kind, &body, StatusCode::BAD_REQUEST);
    let code = x.code(&m, "olga", &[]);
    let (status, _, created) = x.redeem(&code, VERIFIER).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let token = created["token"].as_str().unwrap();
    assert!(token.starts_with("mcpcpa_"));
    assert_eq!((created["admin"].as_str(), created["sign_in"].as_str()), (Some("olga"), Some("sso")));
    let expires = chrono::DateTime::parse_from_rfc3339(created["expires_at"].as_str().unwrap()).unwrap();
    let lifetime = expires.with_timezone(&chrono::Utc) - *x.now.lock().unwrap();
    assert!((lifetime - chrono::TimeDelta::hours(12)).abs() < chrono::TimeDelta::seconds(1), "{lifetime}");
    let (status, kind, body) = x.redeem(&code, VERIFIER).await;
    problem(status, &kind, &body, StatusCode::BAD_REQUEST);

    assert_eq!(x.api(token, reqwest::Method::GET, "/audit", None).await, StatusCode::OK);
    let audit = m.json(&["audit", "list"]);
    let login = audit.as_array().unwrap().iter().find(|e| e["action"] == "admin.login").unwrap();
    assert_eq!(login["actor"], json!({"kind": "admin", "name": "olga", "via": "sso"}), "{login}");
    assert_eq!(login["resource"]["name"], format!("olga/{}", created["name"].as_str().unwrap()));
    assert!(!login.to_string().contains(token), "no secret in the audit trail");
    let tokens = m.json(&["admin", "token", "list", "olga"]);
    assert_eq!(tokens[0]["sign_in"], "sso", "{tokens}");
    assert!(!tokens.to_string().contains(token));
    x.gw.stop().await;
}

/// Malformed exchanges are problems: not JSON, unknown or missing fields, an oversized body;
/// a disabled admin gets no token; failures from one address are throttled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exchange_errors_are_problems() {
    let m = Mcpcp::new().alone();
    m.ok(&["admin", "create", "olga"]);
    let x = Exchange::start(&m).await;
    for body in [
        "not json".to_string(),
        "[]".to_string(),
        json!({"code": "a.b"}).to_string(),
        json!({"code": "a.b", "code_verifier": VERIFIER, "extra": 1}).to_string(),
        json!({"code": "", "code_verifier": ""}).to_string(),
    ] {
        let (status, kind, problem_body) = x.post(body.clone()).await;
        problem(status, &kind, &problem_body, StatusCode::BAD_REQUEST);
    }
    let (status, kind, body) = x.post(format!("{{\"code\": \"{}\"}}", "x".repeat(8192))).await;
    problem(status, &kind, &body, StatusCode::PAYLOAD_TOO_LARGE);

    let code = x.code(&m, "olga", &[]);
    m.ok(&["admin", "disable", "olga"]);
    let (status, kind, body) = x.redeem(&code, VERIFIER).await;
    problem(status, &kind, &body, StatusCode::FORBIDDEN);
    assert!(body["detail"].as_str().unwrap().contains("disabled"), "{body}");
    assert!(m.json(&["admin", "token", "list"]).as_array().unwrap().is_empty(), "no token issued");

    // After 20 failures from this address, even a good code waits.
    let mut refused = 0;
    while x.redeem("nope.nope", VERIFIER).await.0 != StatusCode::TOO_MANY_REQUESTS {
        refused += 1;
        assert!(refused <= 20, "never throttled");
    }
    m.ok(&["admin", "enable", "olga"]);
    let code = x.code(&m, "olga", &[]);
    let (status, kind, body) = x.redeem(&code, VERIFIER).await;
    problem(status, &kind, &body, StatusCode::TOO_MANY_REQUESTS);
    assert!(body["detail"].as_str().unwrap().contains("from this address"), "{body}");
    x.gw.stop().await;
}

/// A sign-in's token holds the admin's own roles plus those bound to the IdP groups asserted at
/// the sign-in, and loses a group's role as soon as it is unbound; codes are held bounded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_token_holds_the_roles_of_its_idp_groups() {
    let m = Mcpcp::new().alone();
    m.ok(&["server", "create", "a", "--url", "https://a.example.com/mcp"]);
    m.ok(&["admin", "create", "gus"]);
    m.ok(&["role", "bind", "auditor", "--idp-group", "sec"]);
    m.ok(&["role", "bind", "server-manager", "--idp-group", "ops", "--server", "a"]);
    let x = Exchange::start(&m).await;
    let (_, _, created) = x.redeem(&x.code(&m, "gus", &["sec", "ops", "unbound"]), VERIFIER).await;
    let token = created["token"].as_str().unwrap().to_string();
    assert_eq!(created["idp_groups"], json!(["ops", "sec", "unbound"]), "{created}");
    let get = reqwest::Method::GET;
    assert_eq!(x.api(&token, get.clone(), "/audit", None).await, StatusCode::OK, "auditor from sec");
    assert_eq!(x.api(&token, get.clone(), "/servers/a/tools", None).await, StatusCode::OK, "manager of a from ops");
    let user = json!({"name": "zed"});
    assert_eq!(x.api(&token, reqwest::Method::POST, "/users", Some(user)).await, StatusCode::FORBIDDEN);

    // Another sign-in of gus in no group holds nothing of them.
    let (_, _, plain) = x.redeem(&x.code(&m, "gus", &[]), VERIFIER).await;
    let plain = plain["token"].as_str().unwrap().to_string();
    assert_eq!(x.api(&plain, get.clone(), "/audit", None).await, StatusCode::FORBIDDEN);

    m.ok(&["role", "unbind", "auditor", "--idp-group", "sec"]);
    assert_eq!(x.api(&token, get.clone(), "/audit", None).await, StatusCode::FORBIDDEN, "unbound at once");
    assert_eq!(x.api(&token, get, "/servers/a/tools", None).await, StatusCode::OK);

    let (id, now) = (m.json(&["admin", "show", "gus"])["id"].as_i64().unwrap(), *x.now.lock().unwrap());
    for _ in 0..mcpcp::gateway::oauth::MAX_ADMIN_CODES + 50 {
        x.gw.oauth.issue_admin_code(id, "gus", Vec::new(), &challenge(VERIFIER), now).unwrap();
    }
    assert_eq!(x.gw.oauth.admin_login_len().1, mcpcp::gateway::oauth::MAX_ADMIN_CODES);
    x.gw.stop().await;
}

/// `mcpcp admin login` end to end but for the identity provider: it prints the gateway's login
/// URL with its loopback redirect, state and challenge; the browser's return (made here with a
/// code issued for that challenge) ends its wait; it redeems the code with its verifier and
/// writes the token, 0600, to XDG_CONFIG_HOME/mcpcp/admin-token, which `--remote` then reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_login_writes_the_token_that_remote_commands_read() {
    use std::io::BufRead;
    use std::os::unix::fs::PermissionsExt;
    let m = Mcpcp::new().alone();
    m.ok(&["admin", "create", "olga"]);
    m.ok(&["admin", "grant", "olga", "auditor"]);
    let x = Exchange::start(&m).await;
    assert!(m.fails(&["admin", "login"], 2).contains("--remote"));

    let mut child = m
        .command(&["--remote", &x.gw.base, "admin", "login", "--wait", "60"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    // The URL, then the code the confirmation page will show; the rest is drained so the command
    // can still write to its standard error.
    let (url, shown) = tokio::task::spawn_blocking(move || {
        let mut lines = std::io::BufReader::new(stderr).lines().map_while(Result::ok);
        let url = lines.by_ref().find(|l| l.contains("/api/v1/login?")).unwrap();
        let shown = lines.by_ref().find(|l| l.contains("shows the code")).unwrap();
        std::thread::spawn(move || lines.for_each(drop));
        (url, shown)
    })
    .await
    .unwrap();
    let url = url::Url::parse(url.trim()).unwrap();
    assert!(url.as_str().starts_with(&format!("{}/api/v1/login?", x.gw.base)), "{url}");
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(q["redirect_uri"].starts_with("http://127.0.0.1:") && q["redirect_uri"].ends_with("/callback"));
    let expected = mcpcp::gateway::oauth::verification_code(&q["state"]);
    assert!(shown.contains(&format!("shows the code {expected}.")), "{shown}");

    // What the gateway does once the identity provider signed olga in.
    let id = m.json(&["admin", "show", "olga"])["id"].as_i64().unwrap();
    let now = *x.now.lock().unwrap();
    let code = x.gw.oauth.issue_admin_code(id, "olga", Vec::new(), &q["code_challenge"], now).unwrap();
    let back = format!("{}?code={}&state={}", q["redirect_uri"], enc(&code), enc(&q["state"]));
    let forged = format!("{}?code={}&state=forged", q["redirect_uri"], enc(&code));
    assert_eq!(x.http.get(&forged).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    let page = x.http.get(&back).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("You are signed in"));
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.contains("signed in as admin \"olga\""), "{stdout}");

    let file = m.dir.path().join("config/mcpcp/admin-token");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("mcpcpa_"));
    let remote = m.env("MCPCP_REMOTE", &x.gw.base);
    let audit = remote.json(&["audit", "list"]);
    assert!(audit.as_array().unwrap().iter().any(|e| e["action"] == "admin.login"), "{audit}");
    x.gw.stop().await;
}
