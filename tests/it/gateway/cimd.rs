//! Client ID metadata documents: a client whose `client_id` is a URL is described by the JSON
//! document there, fetched by mcpcp with SSRF protection. Also the refusals of `--auth sso`
//! servers (the SSO sign-in itself runs against a real provider in tests/interop, check 10).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::StatusCode;
use serde_json::json;

use super::harness::{Gateway, fixture_stdio};
use super::oauth::{Browser, REDIRECT, VERIFIER, exchange, field};
use crate::support::Mcpcp;

/// Serves `/client.json` (the body `doc` gives for the URL) on loopback; counts the fetches.
async fn document_server(doc: impl Fn(&str) -> String + Send + Sync + 'static) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}/client.json", listener.local_addr().unwrap().port());
    let hits = Arc::new(AtomicUsize::new(0));
    let (h, u, doc) = (hits.clone(), url.clone(), Arc::new(doc));
    let app = axum::Router::new().route(
        "/client.json",
        axum::routing::get(move || {
            let (h, u, doc) = (h.clone(), u.clone(), doc.clone());
            async move {
                h.fetch_add(1, Ordering::SeqCst);
                ([("content-type", "application/json")], doc(&u))
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

/// A listener that counts the connections made to it and closes them: an HTTP proxy that
/// never forwards anything.
async fn counting_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            h.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, hits)
}

fn gateway(private_networks: bool) -> Gateway {
    gateway_with(Mcpcp::new(), private_networks)
}

fn gateway_with(mut m: Mcpcp, private_networks: bool) -> Gateway {
    if private_networks {
        m = m.env("MCPCP_CLIENT_METADATA_PRIVATE_NETWORKS", "true");
    }
    m.ok(&["server", "create", "notes", "--command", fixture_stdio().to_str().unwrap(), "--auth", "password"]);
    let r = m.run_stdin(&["user", "create", "ada", "--password-stdin"], "correct horse battery");
    assert_eq!(r.code, 0, "{}", r.stderr);
    m.ok(&["group", "create", "eng"]);
    m.ok(&["group", "add", "eng", "ada"]);
    m.ok(&["group", "grant", "eng", "notes"]);
    Gateway::start(m, &[])
}

fn authorize(gw: &Gateway, client: &str, redirect: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let challenge = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(VERIFIER.as_bytes()))
    };
    format!(
        "{}/authorize?response_type=code&client_id={}&redirect_uri={}&state=st-1&code_challenge={challenge}&code_challenge_method=S256&resource={}",
        gw.base,
        enc(client),
        enc(redirect),
        enc(&gw.url("notes"))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metadata_document_client_signs_in() {
    let gw = gateway(true);
    let md: serde_json::Value = reqwest::get(format!("{}/.well-known/oauth-authorization-server", gw.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(md["client_id_metadata_document_supported"], true);
    let (client, hits) = document_server(|url| {
        json!({"client_id": url, "client_name": "Doc <i>Client</i>", "redirect_uris": [REDIRECT],
               "token_endpoint_auth_method": "none"})
        .to_string()
    })
    .await;
    let mut browser = Browser::new(&gw.base);
    let (status, _, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert!(page.contains("Doc &lt;i&gt;Client&lt;/i&gt;"), "the document's name, escaped: {page}");
    let (status, _, page) = browser
        .post_form(
            "/authorize/login",
            &[
                ("request", &field(&page, "request")),
                ("csrf", &field(&page, "csrf")),
                ("username", "ada"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, headers, page) = browser
        .post_form(
            "/authorize/consent",
            &[("request", &field(&page, "request")), ("csrf", &field(&page, "csrf")), ("decision", "allow")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let location = url::Url::parse(headers["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).unwrap();
    let (status, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert!(tokens["access_token"].as_str().is_some_and(|t| !t.is_empty()));
    // A second authorization within the cache lifetime does not fetch again.
    let _ = browser.get(&authorize(&gw, &client, REDIRECT)).await;
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // A redirect URI the document does not list: an error page, no redirect.
    let (status, headers, page) = browser.get(&authorize(&gw, &client, "http://evil.example/cb")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(headers.get("location").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_documents_are_refused() {
    let gw = gateway(true);
    let (client, _) = document_server(|_| {
        json!({"client_id": "https://someone-else.example/client.json", "redirect_uris": [REDIRECT]}).to_string()
    })
    .await;
    let mut browser = Browser::new(&gw.base);
    let (status, headers, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(headers.get("location").is_none());
    assert!(page.contains("client_id is not the URL it was fetched from"), "{page}");
}

/// A document is held to the redirect policy of dynamic registration: https, loopback http or a
/// private-use scheme, never a script scheme; and the sign-in page's `form-action` never widens
/// to one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_with_unsafe_redirect_uris_are_refused() {
    let gw = gateway(true);
    for bad in ["http://evil.example/cb", "javascript:alert(document.domain)", "data:text/html,x", "vbscript:x"] {
        let (client, hits) = document_server(move |url| {
            json!({"client_id": url, "client_name": "Bad", "redirect_uris": [REDIRECT, bad]}).to_string()
        })
        .await;
        let mut browser = Browser::new(&gw.base);
        let (status, headers, page) = browser.get(&authorize(&gw, &client, bad)).await;
        assert_eq!(hits.load(Ordering::SeqCst), 1, "{bad}: fetched");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {page}");
        assert!(headers.get("location").is_none(), "{bad}");
        assert!(page.contains("cannot be used: redirect URI"), "{bad}: {page}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains(bad.split(':').next().unwrap()), "{bad}: {csp}");
        // Its listed good URI does not save it: the document as a whole is refused.
        let (status, _, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {page}");
    }
    assert_eq!(gw.m.sqlite().query_row("SELECT count(*) FROM oauth_clients", [], |r| r.get::<_, i64>(0)).unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_never_fetched_by_default() {
    let gw = gateway(false);
    let (client, hits) =
        document_server(|url| json!({"client_id": url, "redirect_uris": [REDIRECT]}).to_string()).await;
    let mut browser = Browser::new(&gw.base);
    // Plain HTTP on loopback: refused before any request.
    let (status, _, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(page.contains("must use https"), "{page}");
    // HTTPS to a name that resolves to loopback: refused after resolving, before connecting.
    let https = client.replace("http://127.0.0.1", "https://localhost");
    let (status, _, page) = browser.get(&authorize(&gw, &https, REDIRECT)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(page.contains("the client_id host is not a public address."), "{page}");
    assert!(
        !page.contains("127.0.0.1") && !page.contains("::1"),
        "the answer does not say where the name leads: {page}"
    );
    // Special-purpose ranges a block-list missed: refused before any connection is tried.
    for host in ["192.0.0.8", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]", "[2001::1]", "[fec0::1]", "[3fff::1]"] {
        let url = format!("https://{host}/client.json");
        let (status, _, page) = browser.get(&authorize(&gw, &url, REDIRECT)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{host}: {page}");
        assert!(page.contains("the client_id host is not a public address."), "{host}: {page}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing was fetched");
    assert_eq!(gw.m.sqlite().query_row("SELECT count(*) FROM oauth_clients", [], |r| r.get::<_, i64>(0)).unwrap(), 0);
}

/// Proxy settings in the gateway's environment do not apply to document fetches: a proxy
/// would resolve the name itself, past the address check, so the fetch goes straight to the
/// checked address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_variables_do_not_divert_document_fetches() {
    let (proxy, proxy_hits) = counting_proxy().await;
    let mut m = Mcpcp::new();
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"] {
        m = m.env(var, &proxy);
    }
    m = m.env("NO_PROXY", "").env("no_proxy", "");
    let gw = gateway_with(m, true);
    let (client, hits) = document_server(|url| {
        json!({"client_id": url, "client_name": "Direct", "redirect_uris": [REDIRECT]}).to_string()
    })
    .await;
    let mut browser = Browser::new(&gw.base);
    let (status, _, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Direct"), "{page}");
    assert_eq!(hits.load(Ordering::SeqCst), 1, "fetched from the pinned address");
    assert_eq!(proxy_hits.load(Ordering::SeqCst), 0, "the proxy was never asked");
}

/// A stand-in OpenID provider on loopback whose discovery document names its JWKS at another
/// origin (`localhost` rather than the issuer's `127.0.0.1`); counts the JWKS fetches.
async fn provider_naming_another_host() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let issuer = format!("http://127.0.0.1:{port}");
    let hits = Arc::new(AtomicUsize::new(0));
    let (h, i) = (hits.clone(), issuer.clone());
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            axum::routing::get(move || {
                let i = i.clone();
                async move {
                    axum::Json(json!({
                        "issuer": i, "authorization_endpoint": format!("{i}/auth"), "token_endpoint": format!("{i}/token"),
                        "jwks_uri": format!("http://localhost:{port}/jwks"), "response_types_supported": ["code"],
                        "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"]
                    }))
                }
            }),
        )
        .route(
            "/jwks",
            axum::routing::get(move || {
                let h = h.clone();
                async move {
                    h.fetch_add(1, Ordering::SeqCst);
                    axum::Json(json!({"keys": []}))
                }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (issuer, hits)
}

/// Hosts an OpenID provider's discovery document names (here its JWKS) are learned from the
/// network and held to the address policy; the configured issuer itself is reached as set, and
/// `client_metadata_private_networks` lifts the rule.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosts_named_by_a_discovery_document_must_be_public() {
    let (issuer, jwks_hits) = provider_naming_another_host().await;
    for private_networks in [false, true] {
        let mut m = Mcpcp::new();
        if private_networks {
            m = m.env("MCPCP_CLIENT_METADATA_PRIVATE_NETWORKS", "true");
        }
        m.ok(&["server", "create", "notes", "--command", fixture_stdio().to_str().unwrap(), "--auth", "sso"]);
        let r = m.run_stdin(
            &["sso", "set", "--issuer", &issuer, "--client-id", "mcpcp", "--client-secret-stdin"],
            "secret-1",
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let gw = Gateway::start(m, &[]);
        let client = super::oauth::register(&gw.base, REDIRECT).await;
        let mut browser = Browser::new(&gw.base);
        let (status, headers, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
        if private_networks {
            assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
            assert!(headers["location"].to_str().unwrap().starts_with(&format!("{issuer}/auth?")));
            assert_eq!(jwks_hits.load(Ordering::SeqCst), 1);
        } else {
            assert_eq!(status, StatusCode::BAD_GATEWAY, "{page}");
            assert!(headers.get("location").is_none());
            assert_eq!(jwks_hits.load(Ordering::SeqCst), 0, "the JWKS host was never asked");
            // The log line reaches the test through a reader thread: wait for it.
            crate::support::wait_for("the refusal in the gateway's log", std::time::Duration::from_secs(5), || {
                gw.log().contains("named a host that is not a public address")
            });
        }
    }
}

/// The gateway's own log on stderr escapes what clients send: a client name with a newline, an
/// escape sequence and a bidi override (from a metadata document), and a server name from a
/// request path, each stay inside their one line, visible.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_log_escapes_what_clients_send() {
    let gw = gateway(true);
    let (client, _) = document_server(|url| {
        json!({"client_id": url, "client_name": "Doc\nfake-log-line \u{1b}[8mhidden\u{202e}", "redirect_uris": [REDIRECT]})
            .to_string()
    })
    .await;
    let mut browser = Browser::new(&gw.base);
    let (status, _, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let refused = reqwest::Client::new()
        .post(format!("{}/mcp/notes%0Afake-log-line%1B[8m%E2%80%AE", gw.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error(), "{}", refused.status());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !gw.log().contains("fetched a client ID metadata document") && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let log = gw.log();
    assert!(log.contains(r"Doc\nfake-log-line \x1b[8mhidden\u{202e}"), "{log}");
    assert!(!log.contains('\u{1b}') && !log.contains('\u{202e}'), "{log:?}");
    assert!(!log.lines().any(|l| l.trim_start().starts_with("fake-log-line")), "{log}");
}

/// `--auth sso` servers without SSO set up (or with it disabled) refuse to start a sign-in, and
/// the callback refuses what mcpcp did not start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_servers_need_sso_set_up() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "notes", "--command", fixture_stdio().to_str().unwrap(), "--auth", "sso"]);
    m.ok(&["group", "create", "eng"]);
    let gw = Gateway::start(m, &[]);
    let client = super::oauth::register(&gw.base, REDIRECT).await;
    let mut browser = Browser::new(&gw.base);
    let (status, headers, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
    assert!(page.contains("Single sign-on is not configured"), "{page}");
    assert!(headers.get("location").is_none());

    let r = gw.m.run_stdin(
        &["sso", "set", "--issuer", "https://idp.example", "--client-id", "mcpcp", "--client-secret-stdin"],
        "secret-1",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    gw.m.ok(&["sso", "disable"]);
    let (status, _, page) = browser.get(&authorize(&gw, &client, REDIRECT)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "disabled SSO starts nothing: {page}");

    for q in ["", "?state=forged&code=x", "?state=forged&error=access_denied"] {
        let (status, headers, page) = browser.get(&format!("{}/sso/callback{q}", gw.base)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {page}");
        assert!(headers.get("location").is_none(), "{q}");
        assert!(page.contains("was not started in this browser"), "{page}");
    }
}
