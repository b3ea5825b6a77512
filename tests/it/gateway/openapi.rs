//! OpenAPI servers end to end: a small REST backend (axum) imported from its document; an MCP
//! client lists the operations as tools and calls each (path, query, header and body
//! arguments reach the backend; JSON answers are `structuredContent`); the API-key header goes
//! to the backend; a non-2xx answer is a tool error with its status; each call records its HTTP
//! step; a composed server forwards to an OpenAPI tool.

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

use super::client::{TestClient, args, connect, text};
use super::harness::Gateway;
use crate::support::Mcpcp;

const DOC: &str = r##"{"openapi": "3.1.0", "info": {"title": "pets", "version": "1"}, "paths": {
  "/pets/{petId}": {"get": {"operationId": "getPet", "summary": "One pet",
     "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "X-Trace-Note", "in": "header", "schema": {"type": "string"}}]}},
  "/pets": {"post": {"operationId": "createPet", "summary": "Create a pet",
     "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}}}}},
  "components": {"schemas": {"NewPet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}}"##;

/// The backend: `GET /pets/{id}` (404 for 404), `POST /pets` (needs `X-Api-Key: k-1`).
async fn backend() -> String {
    let app = Router::new()
        .route(
            "/v1/pets/{id}",
            get(|Path(id): Path<i64>, Query(q): Query<std::collections::HashMap<String, String>>, h: HeaderMap| async move {
                if id == 404 {
                    return (StatusCode::NOT_FOUND, Json(json!({"detail": "no such pet"})));
                }
                let note = h.get("x-trace-note").and_then(|v| v.to_str().ok()).map(String::from);
                let traced = h.contains_key("traceparent");
                (StatusCode::OK, Json(json!({"id": id, "verbose": q.get("verbose"), "note": note, "traced": traced})))
            }),
        )
        .route(
            "/v1/pets",
            axum::routing::post(|h: HeaderMap, Json(body): Json<Value>| async move {
                if h.get("x-api-key").and_then(|v| v.to_str().ok()) != Some("k-1") {
                    return (StatusCode::UNAUTHORIZED, Json(json!({"detail": "bad key"})));
                }
                (StatusCode::CREATED, Json(json!({"id": 7, "name": body["name"]})))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v1")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_are_tools_called_over_http_with_their_steps_recorded() {
    let base = backend().await;
    let m = Mcpcp::new();
    let doc = m.data_dir().parent().unwrap().join("pets.json");
    std::fs::write(&doc, DOC).unwrap();
    let doc = doc.display().to_string();
    let run = m.run_stdin(
        &[
            "server",
            "create",
            "pets",
            "--openapi",
            &doc,
            "--base-url",
            &base,
            "--upstream-auth",
            "header",
            "--header",
            "X-Api-Key",
            "--value-stdin",
        ],
        "k-1\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    m.ok(&["server", "create", "nokey", "--openapi", &doc, "--base-url", &base]);
    m.ok(&["server", "create", "desk", "--composed"]);
    m.ok(&["server", "tool", "add", "desk", "--from", "pets:getPet", "--as", "pet"]);
    let token = m.ok(&["token", "create", "pets"]).trim().to_string();
    let nokey_token = m.ok(&["token", "create", "nokey"]).trim().to_string();
    let desk_token = m.ok(&["token", "create", "desk"]).trim().to_string();
    let gw = Gateway::start(m, &[]);

    let client = connect(&gw.url("pets"), &token, TestClient::default()).await.unwrap();
    let mut tools = client.list_all_tools().await.unwrap();
    tools.sort_by(|a, b| a.name.cmp(&b.name));
    let seen: Vec<(&str, &str)> =
        tools.iter().map(|t| (t.name.as_ref(), t.description.as_deref().unwrap_or_default())).collect();
    assert_eq!(seen, [("createPet", "Create a pet"), ("getPet", "One pet")]);
    let create_schema = Value::Object((*tools[0].input_schema).clone());
    assert_eq!(create_schema["required"], json!(["name"]), "{create_schema}");

    let call = |name: &'static str, a: Value| CallToolRequestParams::new(name).with_arguments(args(a));
    let got =
        client.call_tool(call("getPet", json!({"petId": 3, "verbose": true, "X-Trace-Note": "hi"}))).await.unwrap();
    assert_eq!(got.is_error, Some(false));
    assert_eq!(got.structured_content, Some(json!({"id": 3, "verbose": "true", "note": "hi", "traced": true})));
    let created = client.call_tool(call("createPet", json!({"name": "rex"}))).await.unwrap();
    assert_eq!(created.structured_content, Some(json!({"id": 7, "name": "rex"})));
    // A non-2xx answer is a tool error with the status and the body.
    let missing = client.call_tool(call("getPet", json!({"petId": 404}))).await.unwrap();
    assert_eq!(missing.is_error, Some(true));
    assert!(text(&missing).starts_with("HTTP 404 Not Found: {\"detail\":\"no such pet\"}"), "{}", text(&missing));
    // A missing required argument is the caller's mistake, said before anything is sent.
    let bad = client.call_tool(call("getPet", json!({}))).await.unwrap();
    assert!(bad.is_error == Some(true) && text(&bad).contains("missing required argument \"petId\""), "{bad:?}");
    client.cancel().await.unwrap();
    // Without the key the backend refuses: the tool error says so.
    let nokey = connect(&gw.url("nokey"), &nokey_token, TestClient::default()).await.unwrap();
    let refused = nokey.call_tool(call("createPet", json!({"name": "rex"}))).await.unwrap();
    assert!(refused.is_error == Some(true) && text(&refused).starts_with("HTTP 401"), "{refused:?}");
    nokey.cancel().await.unwrap();
    // Through a composed server.
    let desk = connect(&gw.url("desk"), &desk_token, TestClient::default()).await.unwrap();
    let pet = desk.call_tool(call("pet", json!({"petId": 5}))).await.unwrap();
    assert_eq!(pet.structured_content.as_ref().map(|s| s["id"].clone()), Some(json!(5)));
    desk.cancel().await.unwrap();

    // Each call's record holds its HTTP request as a step.
    let records = super::activity::logs(&gw.m, &["--server", "pets", "--type", "tool_call"]);
    let create = records.iter().find(|r| r["tool"] == "createPet").unwrap();
    let step = &create["steps"][0];
    assert_eq!((step["target"].as_str(), step["connection"].as_str()), (Some("POST /pets"), Some("header")), "{step}");
    assert_eq!(step["input"], json!({"name": "rex"}), "{step}");
    assert!(step["duration_us"].as_u64().unwrap() > 0, "{step}");
    let failed = records.iter().find(|r| r["tool"] == "getPet" && r["input"]["petId"] == 404).unwrap();
    assert_eq!(failed["steps"][0]["error"], "HTTP 404 Not Found", "{failed}");
    let shown = gw.m.ok(&["logs", "show", &create["id"].to_string()]);
    assert!(shown.contains("steps (1):\n  1. POST /pets  connection header  success  at "), "{shown}");
    let composed = super::activity::logs(&gw.m, &["--server", "desk", "--type", "tool_call"]);
    assert_eq!(composed[0]["steps"][0]["target"], "pets:getPet", "{composed:?}");
}

/// `--upstream-auth oauth`: a user's call carries their own linked account's token (linked at
/// the OAuth fixture `oauth_upstream.mjs`), recorded as the step's `user` connection; a user
/// who has not linked one gets the link instead of reaching the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_own_linked_account_reaches_the_rest_api() {
    use mcpcp::upstream::oauth::{discovery, registration, token};
    let app = Router::new().route(
        "/me",
        get(|h: HeaderMap| async move {
            let auth = h.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            Json(json!({ "authorization": auth }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let fixture = crate::upstream_oauth::OauthUpstream::start();
    let found = discovery::discover(&url::Url::parse(&fixture.resource).unwrap(), true).await.unwrap();
    let registered =
        registration::register(&found.authorization_server, "http://127.0.0.1:9/connect/callback", true).await.unwrap();
    let m = Mcpcp::new();
    let doc = m.data_dir().parent().unwrap().join("me.json");
    let me = r#"{"openapi": "3.0.3", "info": {"title": "me", "version": "1"},
        "paths": {"/me": {"get": {"operationId": "whoAmI", "summary": "Who calls"}}}}"#;
    std::fs::write(&doc, me).unwrap();
    m.ok(&["server", "create", "gh", "--openapi", doc.to_str().unwrap(), "--base-url", &base, "--auth", "password"]);
    m.ok(&["group", "create", "eng"]);
    for user in ["alice", "bob"] {
        let r = m.run_stdin(&["user", "create", user, "--password-stdin"], super::verified_access::PASSWORD);
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
        let ctx = mcpcp::ops::Ctx::local_cli(&mcpcp::clock::Clock::system());
        mcpcp::ops::upstream_auth::set_upstream_oauth(&mut db, &ctx, &dir.key().unwrap(), "gh", setup).unwrap();
    }
    let client = token::Client {
        client_id: registered.client_id,
        client_secret: registered.client_secret,
        auth_method: registered.auth_method,
    };
    super::verified_access::link(&m, &found, &client, "alice").await;
    let gw = Gateway::start(m, &[]);
    let alice = super::verified_access::mcpcp_token(&gw, "alice").await;
    let c = connect(&gw.url("gh"), &alice, TestClient::default()).await.unwrap();
    let got = c.call_tool(CallToolRequestParams::new("whoAmI")).await.unwrap();
    let sent =
        got.structured_content.as_ref().and_then(|s| s["authorization"].as_str()).unwrap_or_default().to_string();
    assert!(sent.starts_with("Bearer ") && !sent.contains(&alice), "{got:?}");
    c.cancel().await.unwrap();
    let records = super::activity::logs(&gw.m, &["--server", "gh", "--type", "tool_call"]);
    assert_eq!(records[0]["steps"][0]["connection"], "user", "{records:?}");
    let bob = super::verified_access::mcpcp_token(&gw, "bob").await;
    let c = connect(&gw.url("gh"), &bob, TestClient::default()).await.unwrap();
    let answer = format!("{:?}", c.call_tool(CallToolRequestParams::new("whoAmI")).await);
    assert!(answer.contains("/connect/") && !answer.contains("Bearer"), "{answer}");
    c.cancel().await.unwrap();
}
