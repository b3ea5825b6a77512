//! `mcpcp server create --openapi` and `server refresh`: a REST API's OpenAPI document as a
//! server's tools; every bad input refused with exit code 2 and nothing changed; a refresh shows
//! what changed and applies it only with `--yes`, audited.

use serde_json::{Value, json};

use crate::support::{Mcpcp, refused};

fn fixture() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/openapi/pets.json").to_string()
}

/// A copy of the fixture in the test's data directory, changed by `edit`.
fn document(m: &Mcpcp, name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    edit(&mut doc);
    let path = m.data_dir().parent().unwrap().join(name);
    std::fs::write(&path, doc.to_string()).unwrap();
    path.display().to_string()
}

fn tool_names(m: &Mcpcp, server: &str) -> Vec<String> {
    let tools = m.json(&["tool", "list", server]);
    tools.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_document_becomes_a_server_with_its_operations_as_tools() {
    let m = Mcpcp::new();
    let s = m.json(&["server", "create", "pets", "--openapi", &fixture(), "--base-url", "http://127.0.0.1:9/api"]);
    assert_eq!((s["kind"].as_str(), s["transport"].as_str()), (Some("openapi"), Some("http")));
    assert_eq!(s["url"], "http://127.0.0.1:9/api");
    assert_eq!(s["openapi"]["source"], fixture());
    assert_eq!(s["openapi"]["hash"].as_str().unwrap().len(), 64);
    assert_eq!(tool_names(&m, "pets"), ["createPet", "deletePet", "get_pet", "listPets"]);
    let e = m.last_audit();
    assert_eq!(e["action"], "server.create");
    assert_eq!(e["changes"]["kind"]["after"], "openapi");
    assert_eq!(e["changes"]["tools"]["after"], json!(["listPets", "createPet", "get_pet", "deletePet"]));
    // It gets what servers have; its tools are managed like any server's.
    m.ok(&["token", "create", "pets"]);
    m.ok(&["group", "create", "vets"]);
    m.ok(&["group", "grant", "vets", "pets", "--tools", "listPets,get_pet"]);
    m.ok(&["server", "limits", "pets", "--rate", "10/1m"]);
    m.ok(&["server", "ip", "pets", "deny", "10.0.0.0/8"]);
    m.ok(&["server", "capture", "pets", "metadata"]);
    m.ok(&["tool", "stop", "pets", "deletePet"]);
    m.ok(&["server", "identity", "pets", "--forward", "headers"]);
    // Its tools can be a composed server's sources.
    m.ok(&["server", "create", "desk", "--composed"]);
    let added = m.json(&["server", "tool", "add", "desk", "--from", "pets:get_pet", "--as", "pet"]);
    assert_eq!(added["status"], "ok");
    // Its tools come from the document, not from an MCP upstream.
    refused(&m, &["tool", "sync", "pets"], 2, "server refresh pets");
    // A selection.
    m.ok(&[
        "server",
        "create",
        "some",
        "--openapi",
        &fixture(),
        "--base-url",
        "https://x.example",
        "--operations",
        "listPets,deletePet",
    ]);
    assert_eq!(tool_names(&m, "some"), ["deletePet", "listPets"]);
    m.ok(&["server", "create", "admin", "--openapi", &fixture(), "--base-url", "https://x.example", "--tag", "admin"]);
    assert_eq!(tool_names(&m, "admin"), ["deletePet"]);
    // Header credentials, as for a proxy server.
    let run = m.run_stdin(
        &[
            "server",
            "create",
            "keyed",
            "--openapi",
            &fixture(),
            "--base-url",
            "https://x.example",
            "--upstream-auth",
            "header",
            "--header",
            "X-Api-Key",
            "--value-stdin",
            "--output",
            "json",
        ],
        "k-123\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let keyed: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (keyed["upstream_auth"].as_str(), keyed["upstream_headers"].clone()),
        (Some("header"), json!(["x-api-key"]))
    );
    assert!(!m.dump().contains("k-123"), "the header value is stored sealed");
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "desk", "--composed"]);
    let base = ["--base-url", "http://127.0.0.1:9"];
    let create = |name: &'static str, doc: &str, more: &[&str]| -> Vec<String> {
        let mut args: Vec<String> =
            ["server", "create", name, "--openapi", doc].iter().map(|s| s.to_string()).collect();
        args.extend(more.iter().map(|s| s.to_string()));
        args
    };
    let check = |args: Vec<String>, needle: &str| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&m, &args, 2, needle);
    };
    let invalid = document(&m, "invalid.json", |d| {
        d["openapi"] = json!("2.0");
    });
    check(create("a", &invalid, &base), "not an OpenAPI 3.0 or 3.1 document");
    std::fs::write(m.data_dir().parent().unwrap().join("garbage.json"), "{ nope").unwrap();
    check(
        create("a", &m.data_dir().parent().unwrap().join("garbage.json").display().to_string(), &base),
        "not valid JSON",
    );
    check(create("a", "/nonexistent/openapi.json", &base), "cannot read the OpenAPI document");
    // An operation that cannot be a tool: which and why; --skip-unsupported imports the rest.
    let cookie = document(&m, "cookie.json", |d| {
        d["paths"]["/pets"]["get"]["parameters"] =
            json!([{"name": "session", "in": "cookie", "schema": {"type": "string"}}]);
    });
    check(create("a", &cookie, &base), "listPets: parameter \"session\" is a cookie (not supported)");
    let out = m.ok(&create("a", &cookie, &["--base-url", "http://127.0.0.1:9", "--skip-unsupported"])
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    assert!(out.contains("skipped operation listPets: parameter \"session\" is a cookie"), "{out}");
    assert_eq!(tool_names(&m, "a"), ["createPet", "deletePet", "get_pet"]);
    assert_eq!(m.json(&["server", "show", "a"])["openapi"]["skipped"][0]["operation"], "listPets");
    // Two operations that would be one tool.
    let clash = document(&m, "clash.json", |d| {
        d["paths"]["/pets"]["get"]["operationId"] = json!("get_pet");
    });
    check(create("b", &clash, &base), "would both be the tool \"get_pet\"");
    // A base URL that is not http(s), a missing one, an unknown operation, an unknown tag.
    check(create("b", &fixture(), &["--base-url", "ftp://files.example/api"]), "the scheme must be http or https");
    check(create("b", &fixture(), &["--base-url", "file:///etc"]), "the scheme must be http or https");
    check(
        create("b", &fixture(), &["--base-url", "http://127.0.0.1:9", "--operations", "listPets,nope"]),
        "no operation \"nope\"",
    );
    check(
        create("b", &fixture(), &["--base-url", "http://127.0.0.1:9", "--tag", "zzz"]),
        "no operation of the document has tag \"zzz\"",
    );
    let no_base = m.fails(&["server", "create", "b", "--openapi", &fixture()], 2);
    assert!(no_base.contains("--base-url"), "{no_base}");
    let both = m.fails(&["server", "create", "b", "--openapi", &fixture(), "--url", "http://127.0.0.1:9/mcp"], 2);
    assert!(both.contains("cannot be used"), "{both}");
    assert!(m.json(&["server", "list"]).as_array().unwrap().iter().all(|s| s["name"] != "b"));
}

#[test]
fn refresh_shows_what_changed_and_applies_only_with_yes() {
    let m = Mcpcp::new();
    let path = document(&m, "pets.json", |_| {});
    m.ok(&["server", "create", "pets", "--openapi", &path, "--base-url", "http://127.0.0.1:9"]);
    m.ok(&["tool", "stop", "pets", "listPets"]);
    let unchanged = m.json(&["server", "refresh", "pets"]);
    assert_eq!((unchanged["added"].clone(), unchanged["applied"].clone()), (json!([]), json!(false)));
    // The document changes: an operation goes, one comes, one is described anew.
    document(&m, "pets.json", |d| {
        d["paths"]["/pets/{petId}"].as_object_mut().unwrap().remove("delete");
        d["paths"]["/owners"] = json!({"get": {"operationId": "listOwners", "responses": {}}});
        d["paths"]["/pets"]["get"]["summary"] = json!("List all the pets");
    });
    let before = m.dump();
    let plan = m.ok(&["server", "refresh", "pets"]);
    assert!(plan.contains("+ listOwners\n- deletePet\n~ listPets\n"), "{plan}");
    assert!(plan.contains("run again with --yes"), "{plan}");
    let json_plan = m.json(&["server", "refresh", "pets"]);
    assert_eq!(json_plan["added"], json!(["listOwners"]));
    assert_eq!(json_plan["removed"], json!(["deletePet"]));
    assert_eq!(json_plan["changed"], json!(["listPets"]));
    assert_ne!(json_plan["hash_before"], json_plan["hash_after"]);
    assert_eq!(m.dump(), before, "a refresh without --yes changed the database");
    let applied = m.json(&["server", "refresh", "pets", "--yes"]);
    assert_eq!(applied["applied"], true);
    assert_eq!(tool_names(&m, "pets"), ["createPet", "get_pet", "listOwners", "listPets"]);
    // A kept tool keeps its state, and its new description.
    let tools = m.json(&["tool", "list", "pets"]);
    let list = tools.as_array().unwrap().iter().find(|t| t["name"] == "listPets").unwrap();
    assert_eq!((list["state"].as_str(), list["description"].as_str()), (Some("stopped"), Some("List all the pets")));
    let e = m.last_audit();
    assert_eq!(e["action"], "server.refresh");
    assert_eq!(e["changes"]["tools_added"]["after"], json!(["listOwners"]));
    assert_eq!(e["changes"]["tools_removed"]["after"], json!(["deletePet"]));
    assert_eq!(e["changes"]["openapi_hash"]["after"], applied["hash_after"]);
    // An invalid document is refused as at creation; so is refreshing a server without one.
    std::fs::write(&path, "{").unwrap();
    refused(&m, &["server", "refresh", "pets", "--yes"], 2, "not valid JSON");
    m.ok(&["server", "create", "desk", "--composed"]);
    refused(&m, &["server", "refresh", "desk"], 2, "is not an OpenAPI server");
    // Another document, kept as the source from then on.
    m.ok(&["server", "refresh", "pets", "--openapi", &fixture(), "--yes"]);
    assert_eq!(m.json(&["server", "show", "pets"])["openapi"]["source"], fixture());
    assert_eq!(tool_names(&m, "pets"), ["createPet", "deletePet", "get_pet", "listPets"]);
}
