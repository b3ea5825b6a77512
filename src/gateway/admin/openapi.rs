//! The OpenAPI 3.1 document of the admin API, generated from the routes (`super::routes`): each
//! operation's method, path, permission (`x-permission`), request fields (path and query
//! parameters, or a JSON body) and answer, with the JSON Schemas of its types.

use serde_json::{Map, Value, json};

use super::{RouteInfo, routes};
use crate::ops::operation::path_fields;

/// The document, with `server_url` as its server.
pub fn document(server_url: &str) -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for route in routes() {
        let (input_name, output_name) = (route.name.to_string(), format!("{}Output", route.name));
        let (input, mut input_defs) = split(route.input.clone());
        let (output, output_defs) = split(route.output.clone());
        input_defs.extend(output_defs);
        for (name, schema) in input_defs {
            schemas.insert(name, schema);
        }
        schemas.insert(output_name.clone(), output);
        let entry = paths.entry(format!("/api/v1{}", route.path)).or_insert_with(|| json!({}));
        entry[route.method.as_str().to_ascii_lowercase()] = operation(&route, &input, &input_name, &output_name);
        if !route.method.in_query() {
            // The body carries the request's fields but the path's.
            schemas.insert(format!("{input_name}Body"), without_path_fields(&input, route.path));
        }
        schemas.insert(input_name, input);
    }
    sign_in(&mut paths, &mut schemas);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "mcpcp admin API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Every admin command of mcpcp. Authenticate with an admin token \
                (`mcpcp admin token create`); each operation names the permission it needs \
                (`x-permission`). Errors are RFC 9457 problem details. An admin bound to the \
                single sign-on identity provider gets a 12-hour token with `mcpcp admin login` \
                instead (GET /api/v1/login in a browser, then POST /api/v1/login/token with \
                `code` and `code_verifier`; no token needed for either).",
        },
        "servers": [{"url": server_url}],
        "security": [{"adminToken": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"adminToken": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
            "responses": {
                "Problem": {
                    "description": "An RFC 9457 problem",
                    "content": {"application/problem+json": {"schema": {
                        "type": "object",
                        "required": ["type", "title", "status", "detail"],
                        "properties": {
                            "type": {"type": "string"},
                            "title": {"type": "string"},
                            "status": {"type": "integer"},
                            "detail": {"type": "string"},
                            "permission": {"type": "string"},
                        },
                    }}},
                },
            },
        },
    })
}

/// The admin sign-in through the identity provider (`gateway::oauth::admin_login`), which takes
/// no admin token: a browser's `GET /api/v1/login`, the command line's `POST /api/v1/login/token`.
fn sign_in(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let query = |name: &str, description: &str| json!({"name": name, "in": "query", "required": true, "description": description, "schema": {"type": "string"}});
    paths.insert(
        "/api/v1/login".into(),
        json!({"get": {
            "operationId": "StartAdminLogin",
            "summary": "Start an admin sign-in through the identity provider (opened in a browser by `mcpcp admin login`)",
            "x-permission": "none",
            "security": [],
            "parameters": [
                query("redirect_uri", "http://127.0.0.1:PORT/… or http://[::1]:PORT/…: the command line's loopback"),
                query("state", "1-512 visible ASCII characters, sent back with the code"),
                query("code_challenge", "the S256 PKCE challenge of the command line's verifier"),
                query("code_challenge_method", "S256"),
            ],
            "responses": {
                "303": {"description": "On to the identity provider (through /sso/admin-login at the public URL)"},
                "400": {"description": "An HTML page naming what is wrong with the request (never a redirect)",
                        "content": {"text/html": {"schema": {"type": "string"}}}},
            },
        }}),
    );
    schemas.insert(
        "RedeemAdminLoginBody".into(),
        json!({"type": "object", "additionalProperties": false, "required": ["code", "code_verifier"], "properties": {
            "code": {"type": "string", "description": "The one-time code the browser brought to the loopback"},
            "code_verifier": {"type": "string", "description": "The PKCE verifier (43-128 characters)"},
        }}),
    );
    let problem = json!({"$ref": "#/components/responses/Problem"});
    paths.insert(
        "/api/v1/login/token".into(),
        json!({"post": {
            "operationId": "RedeemAdminLogin",
            "summary": "Redeem an admin sign-in's one-time code for a 12-hour admin token (its secret is in the answer, once)",
            "x-permission": "none",
            "security": [],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RedeemAdminLoginBody"}}}},
            "responses": {
                "200": {"description": "The admin token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateAdminTokenOutput"}}}},
                "400": problem, "403": problem, "413": problem, "429": problem,
            },
        }}),
    );
}

/// A root schema without its `$defs` (moved to `components/schemas`) and `$schema`, with its
/// `$ref`s pointing there.
fn split(schema: schemars::Schema) -> (Value, Vec<(String, Value)>) {
    let mut value = retarget(schema.to_value());
    let defs = value
        .as_object_mut()
        .and_then(|o| {
            o.remove("$schema");
            o.remove("$defs")
        })
        .and_then(|d| d.as_object().cloned())
        .map(|d| d.into_iter().collect())
        .unwrap_or_default();
    (value, defs)
}

fn retarget(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match (k.as_str(), &v) {
                    ("$ref", Value::String(r)) => (k, Value::String(r.replace("#/$defs/", "#/components/schemas/"))),
                    _ => (k, retarget(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(retarget).collect()),
        other => other,
    }
}

/// `input` without the properties the path carries.
fn without_path_fields(input: &Value, path: &str) -> Value {
    let mut body = input.clone();
    let fields: Vec<&str> = path_fields(path).collect();
    if let Some(properties) = body.get_mut("properties").and_then(Value::as_object_mut) {
        properties.retain(|name, _| !fields.contains(&name.as_str()));
    }
    if let Some(required) = body.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|name| !name.as_str().is_some_and(|n| fields.contains(&n)));
    }
    body
}

fn operation(route: &RouteInfo, input: &Value, input_name: &str, output_name: &str) -> Value {
    let path_names: Vec<&str> = path_fields(route.path).collect();
    let properties = input.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let required: Vec<&str> = input
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut parameters = Vec::new();
    for name in &path_names {
        let schema = properties.get(*name).cloned().unwrap_or_else(|| json!({"type": "string"}));
        parameters.push(json!({"name": name, "in": "path", "required": true, "schema": schema}));
    }
    if route.method.in_query() {
        for (name, schema) in &properties {
            if !path_names.contains(&name.as_str()) {
                parameters.push(json!({
                    "name": name, "in": "query", "required": required.contains(&name.as_str()), "schema": schema,
                }));
            }
        }
    }
    let mut op = json!({
        "operationId": route.name,
        "summary": route.summary,
        "x-permission": route.permission.as_str(),
        "parameters": parameters,
        "responses": {
            "200": {"description": "Done", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{output_name}")}}}},
            "400": {"$ref": "#/components/responses/Problem"},
            "401": {"$ref": "#/components/responses/Problem"},
            "403": {"$ref": "#/components/responses/Problem"},
            "404": {"$ref": "#/components/responses/Problem"},
            "409": {"$ref": "#/components/responses/Problem"},
            "429": {"$ref": "#/components/responses/Problem"},
        },
    });
    if !route.method.in_query() {
        op["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{input_name}Body")}}},
        });
    }
    if route.path == "/logs" {
        // With follow=true the answer is a stream of the same records.
        let record = json!({"$ref": "#/components/schemas/ActivityEntry"});
        let content = &mut op["responses"]["200"]["content"];
        content["application/x-ndjson"] =
            json!({"schema": record.clone(), "x-stream": "one record a line, with follow=true"});
        content["text/event-stream"] = json!({"schema": record, "x-stream": "one record an event (id: the record's) with follow=true and Accept: text/event-stream"});
        op["responses"]["429"] = json!({"$ref": "#/components/responses/Problem"});
    }
    op
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Operation ids and component schemas are keyed by type names: two operations, or two
    /// types of one name with different schemas, would overwrite each other in the document.
    #[test]
    fn operation_ids_and_schema_names_are_unique() {
        let mut ids = BTreeMap::new();
        let mut defs: BTreeMap<String, (Value, &str)> = BTreeMap::new();
        for route in routes() {
            if let Some(other) = ids.insert(route.name, route.path) {
                panic!("operationId {} of {} is also {other}'s", route.name, route.path);
            }
            for schema in [&route.input, &route.output] {
                let (_, found) = split(schema.clone());
                for (name, value) in found {
                    match defs.get(&name) {
                        Some((seen, by)) if *seen != value => {
                            panic!("two schemas named {name}: {by}'s and {}'s", route.path)
                        }
                        _ => {
                            defs.insert(name, (value, route.path));
                        }
                    }
                }
            }
        }
        for name in defs.keys() {
            assert!(!ids.contains_key(name.as_str()), "{name} is an operation and a schema");
        }
    }
}
