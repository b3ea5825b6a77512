//! The admin API (`/api/v1`) and the remote CLI: admin tokens authenticate, routes declare their
//! permissions, a scoped admin sees and changes its servers only, refusals are problem details
//! that change nothing, and the CLI gives the same output and exit codes remotely as locally.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::Gateway;
use crate::support::Mcpcp;

/// A gateway with servers `a` and `b`, a token on each, and admins.
fn gateway() -> Gateway {
    let m = Mcpcp::new();
    for s in ["a", "b"] {
        m.ok(&["server", "create", s, "--url", &format!("https://{s}.example.com/mcp")]);
        m.ok(&["token", "create", s, "--name", &format!("t{s}")]);
    }
    Gateway::start(m, &[])
}

/// An admin token for `admin` holding `roles` (`role` or `role@server`), narrowed by `narrow`.
fn admin_token(m: &Mcpcp, admin: &str, roles: &[&str], narrow: &[&str]) -> String {
    m.ok(&["admin", "create", admin]);
    for r in roles {
        match r.split_once('@') {
            Some((role, server)) => m.ok(&["admin", "grant", admin, role, "--server", server]),
            None => m.ok(&["admin", "grant", admin, r]),
        };
    }
    let mut args = vec!["admin", "token", "create", admin];
    args.extend_from_slice(narrow);
    m.ok(&args).trim().to_string()
}

/// The CLI pointed at the gateway's admin API with `token`.
fn remote(gw: &Gateway, token: &str) -> Mcpcp {
    Mcpcp::new().env("MCPCP_REMOTE", &gw.base).env("MCPCP_ADMIN_TOKEN", token)
}

async fn api(
    gw: &Gateway,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}/api/v1{path}", gw.base));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    if let Some(b) = body {
        request = request.json(&b);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[test]
fn a_server_manager_scoped_to_a_manages_a_and_never_sees_b() {
    let gw = gateway();
    let token = admin_token(&gw.m, "dana", &["server-manager@a"], &[]);
    let r = remote(&gw, &token);
    let listed = r.json(&["token", "list"]);
    assert_eq!(listed.as_array().unwrap().iter().map(|t| t["server"].clone()).collect::<Vec<_>>(), [json!("a")]);
    let created = r.json(&["token", "create", "a", "--name", "ci"]);
    assert!(created["token"].as_str().unwrap().starts_with("mcpcp_"));
    // b does not exist for dana: the same answers as for a server that does not exist.
    let before = gw.m.dump();
    assert!(r.fails(&["token", "create", "b"], 1).contains("no server named \"b\""));
    assert!(r.fails(&["token", "list", "b"], 1).contains("no server named \"b\""));
    let tb = gw.m.json(&["token", "list", "b"])[0]["id"].to_string();
    assert!(r.fails(&["token", "revoke", &tb], 1).contains(&format!("no token with id {tb}")));
    assert_eq!(gw.m.dump(), before, "a refused change changed the database");
    // Servers: only a is listed and shown; its limits are dana's to set, b's are not found.
    let servers = r.json(&["server", "list"]);
    assert_eq!(servers.as_array().unwrap().iter().map(|s| s["name"].clone()).collect::<Vec<_>>(), [json!("a")]);
    assert_eq!(r.json(&["server", "show", "a"])["active_tokens"], 2);
    assert!(r.fails(&["server", "show", "b"], 1).contains("no server named \"b\""));
    let limits = r.json(&["server", "limits", "a", "--rate", "100/1m"]);
    assert_eq!(limits["rate"], "100/1m burst 100");
    assert_eq!(gw.m.last_audit()["action"], "server.rate_limit");
    assert!(r.fails(&["server", "limits", "b", "--rate", "5/1s"], 1).contains("no server named \"b\""));
    assert!(r.fails(&["server", "limits", "a", "--rate", "lots"], 2).contains("rate"));
    // Logs: a's records only (a refused request to each server leaves one each; from two source
    // addresses, as refusals are sampled per source).
    for (server, source) in [("a", [127, 0, 0, 2]), ("b", [127, 0, 0, 3])] {
        let client =
            reqwest::blocking::Client::builder().local_address(std::net::IpAddr::from(source)).build().unwrap();
        let status = client
            .post(format!("{}/mcp/{server}", gw.base))
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .body(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
            .send()
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    crate::support::wait_for("both refusals recorded", Duration::from_secs(5), || {
        gw.m.ok(&["-o", "json", "logs", "tail", "--type", "auth_failure"]).lines().count() == 2
    });
    let seen = r.ok(&["-o", "json", "logs", "tail", "--type", "auth_failure"]);
    let servers: Vec<Value> =
        seen.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["server"].clone()).collect();
    assert_eq!(servers, [json!("a")], "{seen}");
    assert!(r.ok(&["logs", "tail", "--server", "b"]).contains("no activity records"));
    // Server changes: a's, not b's.
    gw.m.insert_tool("a", "search", "started");
    gw.m.insert_tool("b", "search", "started");
    assert_eq!(r.json(&["tool", "list", "a"])[0]["name"], "search");
    assert_eq!(r.json(&["tool", "stop", "a", "search"])["state"], "stopped");
    assert!(r.fails(&["tool", "stop", "b", "search"], 1).contains("no server named \"b\""));
    assert!(r.fails(&["tool", "list", "b"], 1).contains("no server named \"b\""));
    assert_eq!(r.json(&["server", "disable", "a"])["enabled"], false);
    assert_eq!(r.json(&["server", "capture", "a", "metadata"])["capture"], "metadata");
    assert!(r.fails(&["server", "disable", "b"], 1).contains("no server named \"b\""));
    assert!(r.fails(&["server", "delete", "b"], 1).contains("no server named \"b\""));
    assert!(r.fails(&["server", "rename", "b", "c"], 1).contains("no server named \"b\""));
    assert_eq!(gw.m.json(&["server", "show", "b"])["enabled"], true);
    // Not an auditor: the audit trail is refused, naming the permission.
    assert!(r.fails(&["audit", "list"], 1).contains("audit.read"));
    r.ok(&["token", "revoke", &created["id"].to_string()]);
    // Audited as the admin, through the API, with its token's prefix.
    let entry = gw.m.last_audit();
    let prefix = entry["actor"]["token"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        (entry["action"].as_str(), entry["actor"].clone()),
        (Some("token.revoke"), json!({"kind": "admin", "name": "dana", "via": "api", "token": prefix}))
    );
    assert!(prefix.starts_with("mcpcpa_") && token.starts_with(&prefix), "{entry}");
    assert_eq!(entry["origin"], format!("api 127.0.0.1 token {prefix}"));
    // The table names the admin and the API.
    let table = gw.m.ok(&["audit", "list", "-n", "1"]);
    assert!(table.contains("dana (api)") && table.contains("token.revoke"), "{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_problem_details_and_change_nothing() {
    let gw = gateway();
    let auditor = admin_token(&gw.m, "audra", &["auditor"], &[]);
    let owner = admin_token(&gw.m, "olga", &["owner"], &[]);
    let before = gw.m.dump();
    let post = reqwest::Method::POST;
    let (status, body) = api(&gw, reqwest::Method::GET, "/tokens", None, None).await;
    assert_eq!((status, body["status"].as_i64()), (StatusCode::UNAUTHORIZED, Some(401)), "{body}");
    let (status, _) = api(&gw, reqwest::Method::GET, "/tokens", Some("mcpcpa_nope"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = api(&gw, post.clone(), "/servers/a/tokens", Some(&auditor), Some(json!({}))).await;
    assert_eq!((status, body["permission"].as_str()), (StatusCode::FORBIDDEN, Some("token.manage")), "{body}");
    assert!(body["detail"].as_str().unwrap().contains("token.manage"));
    let (status, body) = api(&gw, post.clone(), "/servers/a/tokens", Some(&owner), Some(json!({"nmae": "x"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("unknown field `nmae`"), "{body}");
    let (status, body) = api(&gw, post.clone(), "/servers/a/tokens", Some(&owner), Some(json!({"server": "b"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = api(&gw, post.clone(), "/servers/a/tokens", Some(&owner), Some(json!(["x"]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) =
        api(&gw, post.clone(), "/servers/a/tokens", Some(&owner), Some(json!({"name": "x".repeat(2 << 20)}))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, body) = api(&gw, reqwest::Method::GET, "/nowhere", Some(&owner), None).await;
    assert_eq!((status, body["status"].as_i64()), (StatusCode::NOT_FOUND, Some(404)), "{body}");
    let (status, body) = api(&gw, post.clone(), "/servers/zzz/tokens", Some(&owner), Some(json!({}))).await;
    assert_eq!((status, body["detail"].as_str()), (StatusCode::NOT_FOUND, Some("no server named \"zzz\"")));
    // An OpenAPI document by file path would be read on the gateway's host: refused, by the API
    // (the remote CLI reads a path on its own machine and sends the document itself).
    let secret_file = gw.m.data_dir().join("secret.key");
    let path = secret_file.to_str().unwrap();
    let create = json!({"name": "api", "openapi": path, "base_url": "http://127.0.0.1:9/"});
    let (status, body) = api(&gw, post.clone(), "/servers", Some(&owner), Some(create)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("through the admin API, give an http(s) URL"), "{body}");
    assert_eq!(gw.m.dump(), before, "a refused request changed the database");
    // The auditor reads, and the answers are problem+json.
    let (status, body) = api(&gw, reqwest::Method::GET, "/tokens", Some(&auditor), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "auditor lacks server.read: {body}");
}

#[test]
fn an_auditor_reads_the_audit_trail_and_is_refused_every_change() {
    let gw = gateway();
    let token = admin_token(&gw.m, "audra", &["auditor"], &[]);
    let r = remote(&gw, &token);
    let entries = r.json(&["audit", "list", "-n", "1000"]);
    assert!(entries.as_array().unwrap().iter().any(|e| e["action"] == "admin.token.create"), "{entries}");
    assert_eq!(r.json(&["audit", "verify"])["broken"], Value::Null);
    let before = gw.m.dump();
    for (args, permission) in [
        (&["token", "create", "a"][..], "token.manage"),
        (&["token", "revoke", "1"], "token.manage"),
        (&["server", "limits", "a", "--quota", "5/day"], "policy.manage"),
        (&["server", "list"], "server.read"),
        (&["token", "list"], "server.read"),
    ] {
        let err = r.fails(args, 1);
        assert!(err.contains(&format!("needs the permission {permission}")), "{args:?}: {err}");
    }
    assert_eq!(gw.m.dump(), before);
}

#[test]
fn a_narrowed_token_cannot_exceed_its_narrowing() {
    let gw = gateway();
    let token = admin_token(&gw.m, "ed", &["admin"], &["--role", "server-manager", "--server", "a"]);
    let r = remote(&gw, &token);
    assert_eq!(r.json(&["token", "list"]).as_array().unwrap().len(), 1);
    assert!(r.fails(&["token", "create", "b"], 1).contains("no server named \"b\""));
    r.ok(&["token", "create", "a"]);
}

#[test]
fn a_revoked_admin_token_is_refused_at_the_next_request() {
    let gw = gateway();
    let token = admin_token(&gw.m, "dana", &["owner"], &[]);
    let r = remote(&gw, &token);
    r.ok(&["token", "list"]);
    let id = gw.m.json(&["admin", "token", "list"])[0]["id"].to_string();
    gw.m.ok(&["admin", "token", "revoke", &id]);
    // The very next request (the token is looked up on each one), well within a second.
    let started = std::time::Instant::now();
    assert!(r.fails(&["token", "list"], 1).contains("refused the admin token"));
    assert!(started.elapsed() < Duration::from_secs(1));
    // A disabled admin's tokens too.
    let other = admin_token(&gw.m, "erin", &["owner"], &[]);
    let r = remote(&gw, &other);
    r.ok(&["token", "list"]);
    gw.m.ok(&["admin", "disable", "erin"]);
    assert!(r.fails(&["token", "list"], 1).contains("refused the admin token"));
}

#[test]
fn the_remote_cli_prints_what_the_local_one_does() {
    let gw = gateway();
    let token = admin_token(&gw.m, "olga", &["owner"], &[]);
    let r = remote(&gw, &token);
    gw.m.ok(&["server", "limits", "a", "--quota", "1000/day", "--timezone", "Europe/Berlin"]);
    for args in [
        &["-o", "json", "token", "list"][..],
        &["token", "list"],
        &["token", "list", "a"],
        &["server", "list"],
        &["-o", "json", "server", "list"],
        &["server", "show", "a"],
        &["-o", "json", "server", "show", "a"],
        &["server", "limits", "a"],
        &["audit", "list", "-n", "5"],
        &["-o", "json", "audit", "list", "--action", "admin.*"],
        &["audit", "verify"],
        &["logs", "tail", "-n", "50"],
        &["tool", "list", "a"],
        &["-o", "json", "logs", "tail", "--type", "auth_failure"],
    ] {
        let (local, far) = (gw.m.run(args), r.run(args));
        assert_eq!((local.code, &local.stdout), (far.code, &far.stdout), "{args:?}: remote stderr {}", far.stderr);
    }
    for (args, code) in
        [(&["token", "create", "zzz"][..], 1), (&["token", "revoke", "x1"], 2), (&["token", "revoke", "999"], 1)]
    {
        let (local, far) = (gw.m.run(args), r.run(args));
        assert_eq!((local.code, &local.stderr), (code, &far.stderr), "{args:?}");
        assert_eq!(far.code, code, "{args:?}");
    }
    // Users and groups, made remotely (the password travels in the request body), shown alike.
    let made = r
        .run_stdin(&["user", "create", "ada", "--email", "ada@example.com", "--password-stdin"], "a long passphrase\n");
    assert_eq!(made.code, 0, "{}", made.stderr);
    r.ok(&["group", "create", "eng"]);
    r.ok(&["group", "add", "eng", "ada"]);
    r.ok(&["group", "grant", "eng", "a"]);
    let actor = gw.m.last_audit()["actor"].clone();
    assert_eq!((&actor["kind"], &actor["name"], &actor["via"]), (&json!("admin"), &json!("olga"), &json!("api")));
    assert!(!gw.m.ok(&["-o", "json", "audit", "list"]).contains("long passphrase"));
    for args in [
        &["user", "list"][..],
        &["-o", "json", "user", "show", "ada"],
        &["group", "list"],
        &["-o", "json", "group", "show", "eng"],
    ] {
        let (local, far) = (gw.m.run(args), r.run(args));
        assert_eq!((local.code, &local.stdout), (far.code, &far.stdout), "{args:?}: remote stderr {}", far.stderr);
    }
    for (args, code) in [(&["group", "add", "eng", "nobody"][..], 1), (&["user", "create", "Bad Name"], 2)] {
        let (local, far) = (gw.m.run(args), r.run(args));
        assert_eq!((local.code, &local.stderr), (code, &far.stderr), "{args:?}");
    }
    r.ok(&["user", "disable", "ada"]);
    assert_eq!(gw.m.json(&["user", "show", "ada"])["disabled"], true);
    // Admins and roles, remotely: olga (the only owner admin) provisions a CI admin, and cannot
    // take the owner role from herself.
    r.ok(&["role", "create", "desk", "--allow", "token.manage,server.read"]);
    r.ok(&["admin", "create", "ci"]);
    r.ok(&["admin", "grant", "ci", "desk", "--server", "a"]);
    let ci = r.json(&["admin", "token", "create", "ci", "--role", "desk", "--server", "a"]);
    assert!(ci["token"].as_str().unwrap().starts_with("mcpcpa_"));
    let ci = remote(&gw, ci["token"].as_str().unwrap());
    ci.ok(&["token", "create", "a"]);
    assert!(ci.fails(&["admin", "list"], 1).contains("admin.read"));
    assert!(r.fails(&["admin", "revoke", "olga", "owner"], 1).contains("no enabled admin holding the owner role"));
    assert!(r.fails(&["admin", "delete", "olga"], 1).contains("no enabled admin holding the owner role"));
    for args in [
        &["admin", "list"][..],
        &["-o", "json", "role", "list"],
        &["admin", "token", "list"],
        &["role", "show", "desk"],
    ] {
        let (local, far) = (gw.m.run(args), r.run(args));
        assert_eq!((local.code, &local.stdout), (far.code, &far.stdout), "{args:?}: remote stderr {}", far.stderr);
    }
    // Bad remote settings are usage errors.
    let bad = Mcpcp::new().env("MCPCP_REMOTE", "http://gw.example.com").env("MCPCP_ADMIN_TOKEN", &token);
    assert!(bad.fails(&["token", "list"], 2).contains("use https"));
    let none = Mcpcp::new().env("MCPCP_REMOTE", &gw.base);
    assert!(none.fails(&["token", "list"], 2).contains("needs an admin token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_declares_a_permission_and_the_openapi_document_matches_the_router() {
    let gw = gateway();
    let routes = mcpcp::gateway::admin::routes();
    assert!(!routes.is_empty());
    let (status, doc) = api(&gw, reqwest::Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = 0;
    for (path, methods) in paths {
        documented += methods.as_object().unwrap().len();
        for (method, op) in methods.as_object().unwrap() {
            assert!(op["x-permission"].is_string(), "{method} {path} declares no permission");
        }
    }
    // The routes, and the sign-in's two, which take no admin token.
    assert_eq!(documented, routes.len() + 2);
    for (path, method) in [("/api/v1/login", "get"), ("/api/v1/login/token", "post")] {
        assert_eq!(paths[path][method]["security"], serde_json::json!([]), "{path}");
        assert_eq!(paths[path][method]["x-permission"], "none", "{path}");
    }
    let (status, _) = api(&gw, reqwest::Method::POST, "/login/token", None, Some(serde_json::json!({}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the sign-in's code exchange is served without a token");
    for route in &routes {
        let path = format!("/api/v1{}", route.path);
        let op = &paths[&path][route.method.as_str().to_ascii_lowercase()];
        assert_eq!(op["x-permission"], route.permission.as_str(), "{path}");
        // Registered: without a token the route answers 401, not 404 or 405.
        let concrete = route
            .path
            .replace("{server}", "a")
            .replace("{id}", "1")
            .replace("{user}", "u")
            .replace("{group}", "g")
            .replace("{tool}", "t")
            .replace("{admin}", "x")
            .replace("{role}", "r");
        let method = reqwest::Method::from_bytes(route.method.as_str().as_bytes()).unwrap();
        let (status, _) = api(&gw, method, &concrete, None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{} {path}", route.method.as_str());
    }
}

#[test]
fn admin_listen_moves_the_admin_api_to_a_listener_of_its_own() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "a", "--url", "https://a.example.com/mcp"]);
    let token = admin_token(&m, "olga", &["owner"], &[]);
    let gw = Gateway::start(m, &["--admin-listen", "127.0.0.1:0"]);
    let mut admin_base = None;
    crate::support::wait_for("the admin listener's address", Duration::from_secs(10), || {
        admin_base = gw.log().lines().find_map(|l| {
            l.strip_prefix("mcpcp admin API on ").and_then(|u| u.strip_suffix("/api/v1")).map(String::from)
        });
        admin_base.is_some()
    });
    let admin_base = admin_base.unwrap();
    assert_ne!(admin_base, gw.base);
    let get = |base: &str| {
        reqwest::blocking::Client::new()
            .get(format!("{base}/api/v1/servers"))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .status()
    };
    // The admin API is served there, and not on the main listener any more.
    assert_eq!(get(&admin_base), StatusCode::OK);
    assert_eq!(get(&gw.base), StatusCode::NOT_FOUND);
    // The remote CLI works against it like against the main listener.
    let r = Mcpcp::new().env("MCPCP_REMOTE", &admin_base).env("MCPCP_ADMIN_TOKEN", &token);
    assert_eq!(r.ok(&["server", "list"]), gw.m.ok(&["server", "list"]));
    // MCP clients still reach the main listener.
    let health = reqwest::blocking::get(format!("{}/healthz", gw.base)).unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    // Plain HTTP off loopback is refused like the main listener's.
    let plain = gw.m.run(&["serve", "--listen", "127.0.0.1:0", "--admin-listen", "0.0.0.0:0"]);
    assert_eq!(plain.code, 2, "{}", plain.stderr);
    assert!(plain.stderr.contains("refusing to serve the admin API over plain HTTP on 0.0.0.0:0"), "{}", plain.stderr);
}

#[test]
fn the_remote_cli_verifies_the_gateways_certificate_and_trusts_a_ca_only_when_told() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "a", "--url", "https://a.example.com/mcp"]);
    let token = admin_token(&m, "olga", &["owner"], &[]);
    let gw = Gateway::start(m, &["--tls-self-signed"]);
    let url = gw.base.replace("127.0.0.1", "localhost");
    assert!(url.starts_with("https://"), "{url}");
    let r = Mcpcp::new().env("MCPCP_REMOTE", &url).env("MCPCP_ADMIN_TOKEN", &token);
    // Verified by default: a self-signed certificate is refused, and nothing is sent.
    let refused = r.fails(&["server", "list"], 1);
    assert!(refused.contains("cannot reach the admin API") && refused.contains("certificate"), "{refused}");
    // Trusted when its CA is given.
    let ca = gw.m.data_dir().join("tls-cert.pem");
    let ca = ca.to_str().unwrap();
    assert_eq!(r.ok(&["--remote-ca", ca, "server", "list"]), gw.m.ok(&["server", "list"]));
    // A file that is no certificate is a usage error naming it.
    let err = r.fails(&["--remote-ca", "/dev/null", "server", "list"], 2);
    assert!(err.contains("/dev/null"), "{err}");
    // Plain http only to a loopback address: the token would cross the network in clear.
    let err = Mcpcp::new()
        .env("MCPCP_REMOTE", "http://gw.example.com")
        .env("MCPCP_ADMIN_TOKEN", &token)
        .fails(&["server", "list"], 2);
    assert!(err.contains("use https"), "{err}");
}
