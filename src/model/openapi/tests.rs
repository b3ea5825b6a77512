//! Documents as tools: the fixture, selections, invalid and unsupported parts, and requests.

use serde_json::{Value, json};

use super::*;

const PETS: &str = include_str!("../../../tests/fixtures/openapi/pets.json");

fn schema(t: &Tool) -> Value {
    serde_json::from_str(&t.input_schema).unwrap()
}

#[test]
fn a_document_becomes_tools() {
    let imported = import(PETS.as_bytes(), &Selection::default(), false).unwrap();
    let names: Vec<&str> = imported.tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["listPets", "createPet", "get_pet", "deletePet"]);
    let list = &imported.tools[0];
    assert_eq!(list.description, "List pets");
    assert_eq!(
        schema(list),
        json!({"type": "object", "properties": {
            "limit": {"type": "integer", "description": "How many"},
            "tag": {"type": "array", "items": {"type": "string"}}}})
    );
    // An object body's properties sit beside the parameters, its $refs resolved.
    let create = &imported.tools[1];
    assert_eq!(
        schema(create),
        json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "tag": {"type": "string", "maxLength": 32}}})
    );
    assert_eq!(create.operation.body.as_ref().unwrap().flat, Some(vec!["name".into(), "tag".into()]));
    // Path-level parameters are the operation's too; a sanitised operationId.
    let get = &imported.tools[2];
    assert_eq!(get.operation.operation_id, "get pet");
    assert_eq!(get.description, "One pet by id");
    assert_eq!(schema(get)["required"], json!(["petId"]));
    assert!(schema(get)["properties"]["X-Request-Tag"].is_object());
    assert_eq!(imported.tools[3].description, "DELETE /pets/{petId}");
}

#[test]
fn selections() {
    let by_id = Selection { operations: vec!["deletePet".into(), "listPets".into()], tag: None };
    let names: Vec<String> =
        import(PETS.as_bytes(), &by_id, false).unwrap().tools.into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["listPets", "deletePet"]);
    let by_tag = Selection { operations: vec![], tag: Some("admin".into()) };
    assert_eq!(import(PETS.as_bytes(), &by_tag, false).unwrap().tools.len(), 1);
    let unknown = Selection { operations: vec!["nope".into()], tag: None };
    assert!(import(PETS.as_bytes(), &unknown, false).unwrap_err().0.contains("no operation \"nope\""));
    let no_tag = Selection { operations: vec![], tag: Some("zzz".into()) };
    assert!(import(PETS.as_bytes(), &no_tag, false).unwrap_err().0.contains("tag \"zzz\""));
}

fn doc(paths: Value) -> Vec<u8> {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
           "components": {"schemas": {"Node": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Node"}}}}}})
    .to_string()
    .into_bytes()
}

#[test]
fn invalid_documents() {
    for (text, says) in [
        ("not json", "not valid JSON"),
        ("openapi: 3.0.0\npaths: {}", "YAML"),
        (r#"{"swagger": "2.0", "paths": {}}"#, "swagger"),
        (r#"{"openapi": "3.0.0"}"#, "no `paths`"),
        (r#"{"openapi": "3.1.0", "paths": {"pets": {}}}"#, "does not start with '/'"),
        (r#"{"openapi": "3.1.0", "paths": {}}"#, "no operation"),
    ] {
        let e = import(text.as_bytes(), &Selection::default(), true).unwrap_err();
        assert!(e.0.contains(says), "{text}: {e}");
    }
    let twice = doc(json!({"/a": {"get": {"operationId": "x"}}, "/b": {"get": {"operationId": "x"}}}));
    assert!(import(&twice, &Selection::default(), true).unwrap_err().0.contains("more than one operation"));
}

#[test]
fn collisions_are_refused() {
    let clash = doc(json!({"/a": {"get": {"operationId": "get a"}}, "/b": {"get": {"operationId": "get_a"}}}));
    let e = import(&clash, &Selection::default(), true).unwrap_err();
    assert!(e.0.contains("\"get a\" and \"get_a\" would both be the tool \"get_a\""), "{e}");
}

#[test]
fn unsupported_operations_are_named_and_skipped_only_when_asked() {
    let paths = json!({
        "/ok": {"get": {"operationId": "ok"}},
        "/cookie": {"get": {"operationId": "cookie", "parameters": [{"name": "s", "in": "cookie", "schema": {"type": "string"}}]}},
        "/form": {"post": {"operationId": "form", "requestBody": {"content": {"multipart/form-data": {"schema": {}}}}}},
        "/tree": {"post": {"operationId": "tree", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}},
        "/far": {"get": {"operationId": "far", "parameters": [{"name": "q", "in": "query", "schema": {"$ref": "https://example.com/q.json"}}]}},
        "/x/{id}": {"get": {"operationId": "undeclared"}},
        "/anon": {"get": {}}
    });
    let e = import(&doc(paths.clone()), &Selection::default(), false).unwrap_err().0;
    for says in [
        "cookie: parameter \"s\" is a cookie",
        "form: its request body is multipart/form-data",
        "tree: recursive schema: #/components/schemas/Node",
        "far: $ref \"https://example.com/q.json\" points outside the document",
        "undeclared: path parameter \"id\" is not declared",
        "GET /anon: it has no operationId",
        "--skip-unsupported",
    ] {
        assert!(e.contains(says), "{says} in {e}");
    }
    let imported = import(&doc(paths), &Selection::default(), true).unwrap();
    assert_eq!(imported.tools.len(), 1);
    assert_eq!(imported.skipped.len(), 6);
}

#[test]
fn non_object_bodies_are_one_argument() {
    let paths = json!({"/tags": {"put": {"operationId": "setTags", "parameters": [{"name": "name", "in": "query", "schema": {"type": "string"}}],
        "requestBody": {"required": true, "content": {"application/json; charset=utf-8": {"schema": {"type": "array", "items": {"type": "string"}}}}}}},
        "/clash": {"post": {"operationId": "clash", "parameters": [{"name": "name", "in": "query", "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}}});
    let imported = import(&doc(paths), &Selection::default(), false).unwrap();
    let tool = |name: &str| imported.tools.iter().find(|t| t.name == name).unwrap();
    let tags = tool("setTags");
    assert_eq!(schema(tags)["required"], json!(["body"]));
    assert_eq!(tags.operation.body.as_ref().unwrap().flat, None);
    // A body property named like a parameter: the body stays whole.
    assert!(schema(tool("clash"))["properties"]["body"].is_object());
}

#[test]
fn requests_are_built_from_arguments() {
    let imported = import(PETS.as_bytes(), &Selection::default(), false).unwrap();
    let args = |v: Value| v.as_object().unwrap().clone();
    let list = call::request(
        &imported.tools[0].operation,
        "http://h:1/api/",
        &args(json!({"limit": 2, "tag": ["a b", "c&d"]})),
    )
    .unwrap();
    assert_eq!(list.url, "http://h:1/api/pets?limit=2&tag=a+b&tag=c%26d");
    assert_eq!((list.method.as_str(), list.body), ("GET", None));
    let create =
        call::request(&imported.tools[1].operation, "http://h:1", &args(json!({"name": "rex", "extra": 1}))).unwrap();
    assert_eq!(create.body, Some(("application/json".into(), br#"{"name":"rex"}"#.to_vec())));
    let get = &imported.tools[2].operation;
    let r = call::request(get, "http://h:1", &args(json!({"petId": "../admin?x=1", "X-Request-Tag": "t"}))).unwrap();
    assert_eq!(r.url, "http://h:1/pets/..%2Fadmin%3Fx%3D1");
    assert_eq!(r.headers, [("X-Request-Tag".to_string(), "t".to_string())]);
    assert!(call::request(get, "http://h:1", &args(json!({"petId": ".."}))).unwrap_err().contains("path segment"));
    assert!(
        call::request(get, "http://h:1", &args(json!({}))).unwrap_err().contains("missing required argument \"petId\"")
    );
    assert!(
        call::request(get, "http://h:1", &args(json!({"petId": {"a": 1}}))).unwrap_err().contains("must be a string")
    );
    let bad_header = args(json!({"petId": 1, "X-Request-Tag": "a\r\nb"}));
    assert!(call::request(get, "http://h:1", &bad_header).unwrap_err().contains("printable ASCII"));
}
