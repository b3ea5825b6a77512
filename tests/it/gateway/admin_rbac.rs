//! Every admin API route against every built-in role: a role holding the route's permission gets
//! past the permission check, every other gets a 403 naming the permission and changes nothing;
//! an admin scoped to one server is answered 404 for another server's resources (not revealed)
//! and 403 for what its role does not hold.

use reqwest::StatusCode;
use serde_json::Value;

use super::harness::Gateway;
use crate::support::Mcpcp;
use mcpcp::policy::rbac::{BUILTIN_ROLES, Reach};

/// `path` with its `{field}` segments filled: `server` with `server`, ids with one no token
/// has, every other name with one nothing has (so an allowed change finds nothing to change).
fn concrete(path: &str, server: &str) -> String {
    path.split('/')
        .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some("server") => server.to_string(),
            Some("id") => "999999".to_string(),
            Some(_) => "zz-missing".to_string(),
            None => seg.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A value the JSON Schema `schema` accepts (the first of each choice, the least of each
/// kind), `$ref`s resolved in `defs`.
fn sample(schema: &Value, defs: &Value) -> Value {
    if let Some(r) = schema["$ref"].as_str() {
        return sample(&defs[r.rsplit('/').next().unwrap()], defs);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    for choice in ["oneOf", "anyOf"] {
        if let Some(first) = schema[choice].as_array().and_then(|c| c.first()) {
            return sample(first, defs);
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|k| *k != "null").cloned().unwrap_or(Value::Null),
        k => k.clone(),
    };
    match kind.as_str() {
        Some("string") => Value::from("x1"),
        Some("integer" | "number") => Value::from(1),
        Some("boolean") => Value::from(false),
        Some("array") => Value::Array(Vec::new()),
        Some("object") => {
            let mut out = serde_json::Map::new();
            for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                // Fields checked for their form before anything is looked up get a valid one.
                let value = match name {
                    "cidr" => Value::from("10.0.0.0/8"),
                    "url" => Value::from("https://x1.example.com/mcp"),
                    "email" => Value::from("x1@example.com"),
                    "timeout" | "expires" => Value::from("5m"),
                    _ => sample(&schema["properties"][name], defs),
                };
                out.insert(name.to_string(), value);
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

/// The least request body (POST, PATCH) or query (GET, DELETE) `route` accepts: its required
/// fields but the path's.
fn fields(route: &mcpcp::gateway::admin::RouteInfo) -> serde_json::Map<String, Value> {
    let schema = serde_json::to_value(&route.input).unwrap();
    let Value::Object(mut all) = sample(&schema, &schema["$defs"]) else { return serde_json::Map::new() };
    for field in mcpcp::ops::operation::path_fields(route.path) {
        all.remove(field);
    }
    all
}

/// What the permission table gives each built-in role, written out apart from the
/// code's table so a change to either shows.
fn holds(role: &str, permission: &str) -> bool {
    match role {
        "owner" => true,
        "admin" => permission != "admin.manage",
        "server-manager" => {
            permission.starts_with("server.")
                || ["tool.manage", "token.manage", "policy.manage", "logs.read"].contains(&permission)
        }
        "auditor" => permission == "logs.read" || permission == "audit.read",
        "viewer" => permission.ends_with(".read") && permission != "logs.read" && permission != "audit.read",
        other => panic!("a built-in role the table does not know: {other}"),
    }
}

async fn request(
    gw: &Gateway,
    route: &mcpcp::gateway::admin::RouteInfo,
    path: &str,
    token: &str,
) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(route.method.as_str().as_bytes()).unwrap();
    let fields = fields(route);
    let mut url = format!("{}/api/v1{path}", gw.base);
    let in_query = route.method.in_query();
    if in_query && !fields.is_empty() {
        url.push('?');
        url.push_str(&serde_html_form::to_string(&fields).unwrap());
    }
    let mut r = reqwest::Client::new().request(method, url).bearer_auth(token);
    if !in_query {
        r = r.json(&fields);
    }
    let response = r.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn token_for(m: &Mcpcp, admin: &str, role: &str, server: Option<&str>) -> String {
    m.ok(&["admin", "create", admin]);
    match server {
        Some(s) => m.ok(&["admin", "grant", admin, role, "--server", s]),
        None => m.ok(&["admin", "grant", admin, role]),
    };
    m.ok(&["admin", "token", "create", admin]).trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_builtin_role_as_the_permission_table_says() {
    let m = Mcpcp::new();
    for s in ["a", "b"] {
        m.ok(&["server", "create", s, "--url", &format!("https://{s}.example.com/mcp")]);
        m.ok(&["token", "create", s]);
    }
    let roles: Vec<(&str, String)> =
        BUILTIN_ROLES.iter().map(|r| (r.name, token_for(&m, &format!("r-{}", r.name), r.name, None))).collect();
    let scoped = token_for(&m, "sm-a", "server-manager", Some("a"));
    let gw = Gateway::start(m, &[]);
    let routes = mcpcp::gateway::admin::routes();
    let mut cells = 0;
    for route in &routes {
        let method = route.method.as_str();
        let mutates = method != "GET";
        let permission = route.permission.as_str();
        for (role, token) in &roles {
            let holds = holds(role, permission);
            let path = concrete(route.path, "zz-missing");
            let before = mutates.then(|| gw.m.dump());
            let (status, body) = request(&gw, route, &path, token).await;
            cells += 1;
            // The request parsed, so the route's own checks ran (what a role holding the
            // permission gets is the operation's answer, not the parser's).
            let detail = body["detail"].as_str().unwrap_or("");
            assert!(
                !detail.starts_with("bad request:") && !detail.starts_with("bad query:"),
                "{method} {path}: {body}"
            );
            if holds {
                assert!(
                    ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::METHOD_NOT_ALLOWED]
                        .contains(&status)
                        && status != StatusCode::INTERNAL_SERVER_ERROR,
                    "{role} holds {permission}, yet {method} {path} answered {status}: {body}"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} lacks {permission}: {method} {path}: {body}");
                assert_eq!(body["permission"], permission, "{method} {path}");
                if let Some(before) = before {
                    assert_eq!(gw.m.dump(), before, "{role}'s refused {method} {path} changed the database");
                }
            }
        }
        // The server-manager of a: b's resources do not exist for it, a's reads are its own,
        // and what its role does not hold (or holds only for all servers) is a 403.
        let in_scope = holds("server-manager", permission) && route.permission.reach() == Reach::Server;
        if route.path.contains("{server}") {
            let path = concrete(route.path, "b");
            let before = mutates.then(|| gw.m.dump());
            let (status, body) = request(&gw, route, &path, &scoped).await;
            cells += 1;
            let expected = if in_scope { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN };
            assert_eq!(status, expected, "server-manager of a: {method} {path}: {body}");
            if in_scope {
                assert!(body["detail"].as_str().unwrap().contains("no server named \"b\""), "{method} {path}: {body}");
            }
            if let Some(before) = before {
                assert_eq!(gw.m.dump(), before, "the scoped admin's refused {method} {path} changed the database");
            }
            if !mutates && in_scope {
                let path = concrete(route.path, "a");
                let (status, body) = request(&gw, route, &path, &scoped).await;
                cells += 1;
                assert!(
                    ![StatusCode::FORBIDDEN, StatusCode::UNAUTHORIZED].contains(&status),
                    "server-manager of a: {method} {path}: {status} {body}"
                );
                assert!(
                    status != StatusCode::NOT_FOUND || !body["detail"].as_str().unwrap_or("").contains("server named"),
                    "server a hidden from its own manager: {method} {path}: {body}"
                );
            }
        } else if !in_scope && route.permission.reach() == Reach::Server && !mutates {
            // A read of every server's resources the role does not hold at all.
            let (status, _) = request(&gw, route, route.path, &scoped).await;
            cells += 1;
            assert_eq!(status, StatusCode::FORBIDDEN, "server-manager of a: {method} {}", route.path);
        }
    }
    assert!(cells > routes.len() * BUILTIN_ROLES.len(), "{cells} cells for {} routes", routes.len());
}
