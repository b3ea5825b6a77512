//! Every way the sign-in flow must refuse: bad credentials, redirect URI tricks, PKCE mistakes,
//! code replay, CSRF, throttling, and hostile text in client names.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::oauth::{Browser, REDIRECT, VERIFIER, authorize_url, exchange, field, register, setup, sign_in};

fn location(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers.get("location").map(|v| v.to_str().unwrap().to_string())
}

/// The pages' security headers.
fn assert_page_headers(headers: &reqwest::header::HeaderMap) {
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["referrer-policy"], "no-referrer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_unknown_and_disabled_users_get_the_same_answer() {
    let gw = setup();
    gw.m.run_stdin(&["user", "create", "carol", "--password-stdin"], "carol's password");
    gw.m.ok(&["user", "disable", "carol"]);
    let client = register(&gw.base, REDIRECT).await;
    for (user, password) in [("ada", "wrong password"), ("nobody", "whatever it is"), ("carol", "carol's password")] {
        let mut b = Browser::new(&gw.base);
        let (status, headers, page) = b.get(&authorize_url(&gw, &client, "notes")).await;
        assert_eq!(status, StatusCode::OK);
        assert_page_headers(&headers);
        let (status, headers, page) = b
            .post_form(
                "/authorize/login",
                &[
                    ("request", &field(&page, "request")),
                    ("csrf", &field(&page, "csrf")),
                    ("username", user),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{user}");
        assert!(location(&headers).is_none());
        assert!(page.contains("The username or password is not right."), "{user}: {page}");
        assert!(b.cookie.is_none(), "no sign-in cookie for {user}");
    }
    let failures = super::activity::logs(&gw.m, &["--type", "sign_in", "--status", "failure"]);
    assert_eq!(failures.len(), 3);
    assert!(failures.iter().all(|e| e["source_ip"] == "127.0.0.1" && e["auth_method"] == "password"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_are_throttled() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut b = Browser::new(&gw.base);
    let (_, _, page) = b.get(&authorize_url(&gw, &client, "notes")).await;
    let (request, csrf) = (field(&page, "request"), field(&page, "csrf"));
    for _ in 0..5 {
        let (status, _, _) = b
            .post_form(
                "/authorize/login",
                &[("request", &request), ("csrf", &csrf), ("username", "ada"), ("password", "nope")],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused from this address for a while now.
    let (status, _, page) = b
        .post_form(
            "/authorize/login",
            &[("request", &request), ("csrf", &csrf), ("username", "ada"), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{page}");
    assert!(page.contains("Too many failed attempts"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_uri_variants_get_an_error_page_and_no_redirect() {
    let gw = setup();
    let registered = "https://app.example/callback";
    let client = register(&gw.base, registered).await;
    for bad in [
        "https://app.example/callback/",
        "https://app.example/Callback",
        "https://other.example/callback",
        "https://app.example.evil.example/callback",
        "https://app.example@evil.example/callback",
        "https://app.example/callback#fragment",
        "https://app.example/callback?extra=1",
        "http://app.example/callback",
        "https://app.example:8443/callback",
        "https://app.example/callback%2F",
    ] {
        let url = format!(
            "{}/authorize?response_type=code&client_id={client}&redirect_uri={}&state=s&code_challenge={}&code_challenge_method=S256&resource={}",
            gw.base,
            url::form_urlencoded::byte_serialize(bad.as_bytes()).collect::<String>(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            url::form_urlencoded::byte_serialize(gw.url("notes").as_bytes()).collect::<String>(),
        );
        let (status, headers, page) = Browser::new(&gw.base).get(&url).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(location(&headers).is_none(), "{bad} redirected");
        assert!(page.contains("redirect URI does not match"), "{bad}: {page}");
    }
    // An unknown client is an error page too.
    let (status, headers, _) = Browser::new(&gw.base).get(&authorize_url(&gw, "mcpcl_unknown", "notes")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(location(&headers).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_refuses_unsafe_redirect_uris() {
    let gw = setup();
    for uri in [
        "javascript:alert(1)",
        "http://evil.example/cb",
        "https://good.example/cb#x",
        "data:text/html,x",
        "https://u@good.example/cb",
    ] {
        let r = reqwest::Client::new()
            .post(format!("{}/register", gw.base))
            .json(&json!({"redirect_uris": [uri]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_redirect_uri", "{uri}");
    }
    // Cursor registers a private-use scheme, an https URL and a loopback one at once.
    let r = reqwest::Client::new()
        .post(format!("{}/register", gw.base))
        .json(&json!({"client_name": "Cursor", "redirect_uris": ["cursor://anysphere.cursor-mcp/oauth/callback", "https://www.cursor.com/agents/mcp/oauth/callback", "http://localhost:8787/callback"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkce_is_required_and_checked() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let base = authorize_url(&gw, &client, "notes");
    for (variant, error) in [
        (base.replace("&code_challenge_method=S256", "&code_challenge_method=plain"), "invalid_request"),
        (
            base.split("&code_challenge=").next().unwrap().to_string()
                + "&resource="
                + &url::form_urlencoded::byte_serialize(gw.url("notes").as_bytes()).collect::<String>(),
            "invalid_request",
        ),
        (base.replace("response_type=code", "response_type=token"), "unsupported_response_type"),
        (base.split("&resource=").next().unwrap().to_string(), "invalid_target"),
    ] {
        let (status, headers, _) = Browser::new(&gw.base).get(&variant).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{variant}");
        let to = location(&headers).unwrap();
        assert!(
            to.starts_with(REDIRECT) && to.contains(&format!("error={error}")) && to.contains("state=st-1"),
            "{to}"
        );
    }
    // A wrong verifier, or none, is invalid_grant.
    let mut b = Browser::new(&gw.base);
    let code = sign_in(&gw, &mut b, &client, "notes", "ada", "correct horse battery").await;
    let (status, body) =
        exchange(&gw, &client, &code, "a-different-verifier-that-is-long-enough-to-be-valid-xx", "notes").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    let r = reqwest::Client::new()
        .post(format!("{}/token", gw.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("client_id", client.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_grant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_code_fails_and_revokes_its_tokens() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut b = Browser::new(&gw.base);
    let code = sign_in(&gw, &mut b, &client, "notes", "ada", "correct horse battery").await;
    let (status, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::OK);
    let access = tokens["access_token"].as_str().unwrap();
    let (status, body) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    let a = super::http::Raw::new(&gw.url("notes"), access)
        .post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "the replay revoked the first tokens");
    // Another client cannot redeem someone else's code either.
    let other = register(&gw.base, REDIRECT).await;
    let code = sign_in(&gw, &mut b, &client, "notes", "ada", "").await;
    let (status, body) = exchange(&gw, &other, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_without_their_csrf_token_are_refused() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut b = Browser::new(&gw.base);
    let (_, _, page) = b.get(&authorize_url(&gw, &client, "notes")).await;
    let request = field(&page, "request");
    for csrf in ["", "forged-token"] {
        let (status, headers, page) = b
            .post_form(
                "/authorize/login",
                &[("request", &request), ("csrf", csrf), ("username", "ada"), ("password", "correct horse battery")],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
        assert!(location(&headers).is_none() && b.cookie.is_none());
    }
    let (status, _, _) =
        b.post_form("/authorize/consent", &[("request", &request), ("csrf", "forged"), ("decision", "allow")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A consent is per client: a second client of the same signed-in user is asked again.
    let code = sign_in(&gw, &mut b, &client, "notes", "ada", "correct horse battery").await;
    assert!(!code.is_empty());
    let second = register(&gw.base, REDIRECT).await;
    let (status, _, page) = b.get(&authorize_url(&gw, &second, "notes")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Allow access?"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_supplied_text_is_rendered_inert() {
    let gw = setup();
    let r = reqwest::Client::new()
        .post(format!("{}/register", gw.base))
        .json(&json!({"client_name": "<script>alert('x')</script><img src=x onerror=alert(1)>", "redirect_uris": [REDIRECT]}))
        .send()
        .await
        .unwrap();
    let client = r.json::<Value>().await.unwrap()["client_id"].as_str().unwrap().to_string();
    let mut b = Browser::new(&gw.base);
    let (_, _, login) = b.get(&authorize_url(&gw, &client, "notes")).await;
    let (_, _, consent) = b
        .post_form(
            "/authorize/login",
            &[
                ("request", &field(&login, "request")),
                ("csrf", &field(&login, "csrf")),
                ("username", "ada"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    for page in [&login, &consent] {
        assert!(!page.contains("<script>") && !page.contains("<img"), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"),
            "{page}"
        );
    }
    assert!(consent.contains("127.0.0.1"), "the consent page names the redirect host");
}
