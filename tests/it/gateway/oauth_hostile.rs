//! The authorization server against hostile input: floods of authorization requests with large
//! parameters, a consent stretched to another server, one code redeemed in parallel, and
//! failed sign-ins meant to lock a stranger out.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use super::harness::{InProcess, Served};
use super::oauth::{
    Browser, REDIRECT, VERIFIER, authorize_url, exchange, field, mcp_status, register, setup, setup_data, sign_in,
};
use mcpcp::gateway::oauth::{MAX_PENDING, MAX_PENDING_PER_CLIENT};

/// `authorize_url` with `state` replaced.
fn with_state(url: &str, state: &str) -> String {
    url.replace("&state=st-1", &format!("&state={state}"))
}

/// Requests `urls` from a cookie-less browser, 16 at a time; every answer must be the login page.
async fn open_login_pages(base: &str, urls: &[String]) {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for batch in urls.chunks(16) {
        let answers = futures_util::future::join_all(batch.iter().map(|u| http.get(u).send())).await;
        for a in answers {
            let a = a.unwrap();
            assert_eq!(a.status(), StatusCode::OK, "{base}: {}", a.text().await.unwrap());
        }
    }
}

/// Oversize parameters are refused with a page before anything is kept, and however many
/// requests arrive, at most `MAX_PENDING_PER_CLIENT` per client and `MAX_PENDING` in all wait,
/// the oldest giving way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_requests_are_bounded_in_size_and_number() {
    let m = setup_data();
    let gw = InProcess::start(&m, mcpcp::gateway::Clock::system()).await;
    let client = register(gw.base(), REDIRECT).await;
    let url = authorize_url(&gw, &client, "notes");
    let long = |n: usize| "x".repeat(n);
    let resource = url::form_urlencoded::byte_serialize(gw.url("notes").as_bytes()).collect::<String>();
    for (what, oversize) in [
        ("state", with_state(&url, &long(60_000))),
        ("state", with_state(&url, &long(1025))),
        ("scope", url.replace("&scope=mcp", &format!("&scope=mcp%20{}", long(1100)))),
        ("resource", url.replace(&resource, &format!("{resource}{}", long(2100)))),
        ("redirect_uri", url.replace("callback", &format!("callback{}", long(2100)))),
        ("client_id", url.replace(&client, &long(2100))),
    ] {
        let (status, headers, page) = Browser::new(gw.base()).get(&oversize).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {page}");
        assert!(headers.get("location").is_none(), "{what}: no redirect");
        assert!(page.contains(&format!("{what} is too long")), "{what}: {page}");
    }
    assert_eq!(gw.oauth.pending_len(), 0, "nothing refused is kept");
    // The largest state allowed is kept, up to the per-client cap; the oldest request goes.
    let (_, _, first) = Browser::new(gw.base()).get(&with_state(&url, &long(1024))).await;
    let urls: Vec<String> = (0..MAX_PENDING_PER_CLIENT + 20).map(|_| with_state(&url, &long(1024))).collect();
    open_login_pages(gw.base(), &urls).await;
    assert_eq!(gw.oauth.pending_len(), MAX_PENDING_PER_CLIENT);
    let (status, _, page) = Browser::new(gw.base())
        .post_form(
            "/authorize/login",
            &[
                ("request", &field(&first, "request")),
                ("csrf", &field(&first, "csrf")),
                ("username", "ada"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the oldest request gave way: {page}");
    assert!(page.contains("has expired"), "{page}");
    // Across clients, the total is capped.
    let mut urls = Vec::new();
    for _ in 0..MAX_PENDING / MAX_PENDING_PER_CLIENT + 1 {
        let other = register(gw.base(), REDIRECT).await;
        urls.extend((0..MAX_PENDING_PER_CLIENT).map(|_| with_state(&authorize_url(&gw, &other, "notes"), &long(1024))));
    }
    open_login_pages(gw.base(), &urls).await;
    assert_eq!(gw.oauth.pending_len(), MAX_PENDING);
    // The newest requests still work.
    let mut b = Browser::new(gw.base());
    let code = sign_in(&gw, &mut b, &client, "notes", "ada", "correct horse battery").await;
    assert_eq!(exchange(&gw, &client, &code, VERIFIER, "notes").await.0, StatusCode::OK);
    gw.stop().await;
}

/// Registration documents and sign-in forms have size caps too, each answered with a clear
/// refusal: OAuth error JSON from `/register`, an error page from the sign-in form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_registrations_and_sign_in_forms_are_refused() {
    let gw = setup();
    let http = reqwest::Client::new();
    let uris: Vec<String> = (0..17).map(|i| format!("http://127.0.0.1:5173/cb{i}")).collect();
    let long_uri = format!("https://app.example/{}", "x".repeat(2100));
    let padding = "x".repeat(17 * 1024);
    for (body, error) in [
        (serde_json::json!({"redirect_uris": uris}), "invalid_redirect_uri"),
        (serde_json::json!({"redirect_uris": [long_uri]}), "invalid_redirect_uri"),
        (serde_json::json!({"redirect_uris": [REDIRECT], "client_name": padding}), "invalid_client_metadata"),
    ] {
        let r = http.post(format!("{}/register", gw.base)).json(&body).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert_eq!(r.json::<Value>().await.unwrap()["error"], error);
    }
    let client = register(&gw.base, REDIRECT).await;
    let mut b = Browser::new(&gw.base);
    let (_, _, page) = b.get(&authorize_url(&gw, &client, "notes")).await;
    let (request, csrf) = (field(&page, "request"), field(&page, "csrf"));
    for (user, password) in [("a".repeat(300), "whatever it is".to_string()), ("ada".into(), "p".repeat(1025))] {
        let (status, headers, page) = b
            .post_form(
                "/authorize/login",
                &[("request", &request), ("csrf", &csrf), ("username", &user), ("password", &password)],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
        assert!(headers.get("location").is_none() && page.contains("too long"), "{page}");
    }
    // The form is still good for a proper attempt.
    let (status, _, page) = b
        .post_form(
            "/authorize/login",
            &[("request", &request), ("csrf", &csrf), ("username", "ada"), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
}

/// Approving a client for one server is no approval for another: the user signed in on this
/// browser sees the consent page again, and a consent is remembered per server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_binds_the_server_it_was_given_for() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut b = Browser::new(&gw.base);
    sign_in(&gw, &mut b, &client, "notes", "ada", "correct horse battery").await;
    let (status, headers, page) = b.get(&authorize_url(&gw, &client, "files")).await;
    assert_eq!(status, StatusCode::OK, "{headers:?} {page}");
    assert!(page.contains("Allow access?") && page.contains("files"), "{page}");
    // Allowed, both consents are remembered: straight back with a code for either.
    let (status, headers, _) = b
        .post_form(
            "/authorize/consent",
            &[("request", &field(&page, "request")), ("csrf", &field(&page, "csrf")), ("decision", "allow")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().contains("code="));
    for server in ["notes", "files"] {
        let (status, headers, page) = b.get(&authorize_url(&gw, &client, server)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{server}: {page}");
        assert!(headers["location"].to_str().unwrap().contains("code="), "{server}");
    }
    let consents: i64 = gw.m.sqlite().query_row("SELECT COUNT(*) FROM oauth_consents", [], |r| r.get(0)).unwrap();
    assert_eq!(consents, 2);
}

/// 50 parallel redemptions of one code: exactly one gets tokens, every other one is a replay,
/// and the replays revoke the one family the code was redeemed for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_code_redeemed_fifty_times_in_parallel_issues_one_family_and_revokes_it() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut b = Browser::new(&gw.base);
    let code = sign_in(&gw, &mut b, &client, "notes", "ada", "correct horse battery").await;
    // One client, its connections opened first, so the 50 requests really are in flight together.
    let http = reqwest::Client::new();
    let form = [
        ("grant_type", "authorization_code".to_string()),
        ("code", code),
        ("redirect_uri", REDIRECT.to_string()),
        ("code_verifier", VERIFIER.to_string()),
        ("client_id", client.clone()),
        ("resource", gw.url("notes")),
    ];
    let redeem = |http: reqwest::Client, url: String, form: [(&'static str, String); 6]| async move {
        let r = http.post(url).form(&form).send().await.unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    let url = format!("{}/token", gw.base);
    let tasks: Vec<_> = (0..50).map(|_| tokio::spawn(redeem(http.clone(), url.clone(), form.clone()))).collect();
    let answers: Vec<(StatusCode, Value)> =
        futures_util::future::join_all(tasks).await.into_iter().map(Result::unwrap).collect();
    let winners: Vec<&Value> = answers.iter().filter(|(s, _)| *s == StatusCode::OK).map(|(_, b)| b).collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!((*status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{body}");
    }
    let access = winners[0]["access_token"].as_str().unwrap();
    assert_eq!(mcp_status(&gw, "notes", access).await.0, StatusCode::UNAUTHORIZED, "the replays revoked it");
    let (families, revoked): (i64, i64) =
        gw.m.sqlite()
            .query_row("SELECT COUNT(*), COUNT(revoked_at) FROM oauth_grants", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
    assert_eq!((families, revoked), (1, 1));
}

/// A code replayed once the gateway no longer holds it (here: after a restart) still revokes
/// the family issued for it: the grant records the code's digest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_replayed_after_a_restart_still_revokes_its_family() {
    let mut gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut b = Browser::new(&gw.base);
    let code = sign_in(&gw, &mut b, &client, "notes", "ada", "correct horse battery").await;
    let (status, tokens) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    gw.restart(&[]);
    assert_eq!(mcp_status(&gw, "notes", access).await.0, StatusCode::OK);
    let (status, body) = exchange(&gw, &client, &code, VERIFIER, "notes").await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{body}");
    assert!(body["error_description"].as_str().unwrap().contains("already used"), "{body}");
    assert_eq!(mcp_status(&gw, "notes", access).await.0, StatusCode::UNAUTHORIZED, "the replay revoked it");
}

/// A browser whose connections come from `address` (every 127.0.0.0/8 address is loopback).
fn browser_at(base: &str, address: &str) -> Browser {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(address.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    Browser { http, base: base.to_string(), cookie: None }
}

/// Signs in as `user` from `b` with `password`: (status, page, how long the answer took).
async fn try_password(
    gw: &impl Served,
    b: &mut Browser,
    client: &str,
    user: &str,
    password: &str,
) -> (StatusCode, String, Duration) {
    let (status, _, page) = b.get(&authorize_url(gw, client, "notes")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let form = [
        ("request", field(&page, "request")),
        ("csrf", field(&page, "csrf")),
        ("username", user.to_string()),
        ("password", password.to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let started = Instant::now();
    let (status, _, page) = b.post_form("/authorize/login", &form).await;
    (status, page, started.elapsed())
}

/// Failures lock the (user, address) pair that made them, not the user: the right password from
/// elsewhere works. Past the per-user ceiling every attempt for the user is slowed, never refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_throttle_the_guesser_not_the_user() {
    let gw = setup();
    let client = register(&gw.base, REDIRECT).await;
    let mut guesser = browser_at(&gw.base, "127.0.0.1");
    for _ in 0..5 {
        assert_eq!(try_password(&gw, &mut guesser, &client, "ada", "wrong guess").await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, page, _) = try_password(&gw, &mut guesser, &client, "ada", "correct horse battery").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the guessing address is refused: {page}");
    let mut ada = browser_at(&gw.base, "127.0.0.2");
    let (status, page, _) = try_password(&gw, &mut ada, &client, "ada", "correct horse battery").await;
    assert_eq!(status, StatusCode::OK, "ada signs in from her own address: {page}");
    assert!(page.contains("Allow access?"), "{page}");
    // Five more failures from a third address reach the per-user ceiling (10): from then on
    // every attempt for ada waits, right or wrong, and the right password still works.
    let mut second = browser_at(&gw.base, "127.0.0.3");
    for _ in 0..5 {
        let (status, _, took) = try_password(&gw, &mut second, &client, "ada", "wrong guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(took < Duration::from_secs(2), "below the ceiling no wait: {took:?}");
    }
    let mut ada = browser_at(&gw.base, "127.0.0.4");
    let (status, page, took) = try_password(&gw, &mut ada, &client, "ada", "correct horse battery").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Allow access?"), "{page}");
    assert!(took >= Duration::from_secs(2), "over the ceiling the attempt waits: {took:?}");
    let mut third = browser_at(&gw.base, "127.0.0.5");
    let (status, _, took) = try_password(&gw, &mut third, &client, "ada", "wrong guess").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(took >= Duration::from_secs(2), "a wrong password waits as long: {took:?}");
    // Another user is not slowed.
    let (status, _, took) = try_password(&gw, &mut third, &client, "bob", "bob's long password").await;
    assert_eq!(status, StatusCode::OK);
    assert!(took < Duration::from_secs(2), "{took:?}");
}
