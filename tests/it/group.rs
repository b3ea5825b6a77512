//! `mcpcp group …`: groups, members and server grants; all-or-nothing edits.

use serde_json::{Value, json};

use crate::support::{Mcpcp, changes, refused};

fn setup() -> Mcpcp {
    let m = Mcpcp::new();
    for u in ["alice", "bob", "carol"] {
        m.ok(&["user", "create", u]);
    }
    for s in ["files", "web"] {
        m.ok(&["server", "create", s, "--url", "https://a.example/mcp"]);
    }
    m.ok(&["group", "create", "eng"]);
    m
}

#[test]
fn create_list_show_delete() {
    let m = setup();
    let e = m.last_audit();
    assert_eq!(e["action"], "group.create");
    assert_eq!(e["changes"], changes(&[("name", Value::Null, json!("eng"))]));
    m.ok(&["group", "create", "ops"]);
    m.ok(&["group", "add", "eng", "alice", "bob"]);
    m.ok(&["group", "grant", "eng", "files"]);
    let table = m.ok(&["group", "list"]);
    let rows: Vec<Vec<&str>> =
        table.lines().map(|l| l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect()).collect();
    assert_eq!(rows, [vec!["GROUP", "MEMBERS", "SERVERS"], vec!["eng", "alice, bob", "files"], vec!["ops", "-", "-"]]);
    let g = m.json(&["group", "show", "eng"]);
    assert_eq!(g["members"], json!(["alice", "bob"]));
    assert_eq!(g["servers"], json!(["files"]));
    assert_eq!(m.json(&["group", "list"]).as_array().unwrap().len(), 2);
    let shown = m.ok(&["group", "show", "eng"]);
    assert!(shown.lines().any(|l| l.starts_with("members:") && l.ends_with("alice, bob")), "{shown}");

    m.ok(&["group", "delete", "eng"]);
    let e = m.last_audit();
    assert_eq!(e["action"], "group.delete");
    assert_eq!(
        e["changes"],
        changes(&[
            ("name", json!("eng"), Value::Null),
            ("members", json!(["alice", "bob"]), Value::Null),
            ("servers", json!(["files"]), Value::Null)
        ])
    );
    assert_eq!(m.json(&["user", "show", "alice"])["groups"], json!([]));
    refused(&m, &["group", "show", "eng"], 1, "no group named \"eng\"");
}

#[test]
fn add_and_remove_members_all_or_nothing() {
    let m = setup();
    let g = m.json(&["group", "add", "eng", "alice", "bob"]);
    assert_eq!(g["members"], json!(["alice", "bob"]));
    let e = m.last_audit();
    assert_eq!(e["action"], "group.add");
    assert_eq!(e["resource"]["name"], "eng");
    assert_eq!(e["changes"], changes(&[("members", json!([]), json!(["alice", "bob"]))]));
    // One unknown or already-present name refuses the whole command.
    refused(&m, &["group", "add", "eng", "carol", "zed"], 1, "no user named \"zed\"");
    refused(&m, &["group", "add", "eng", "carol", "alice"], 1, "user \"alice\" is already in group \"eng\"");
    refused(&m, &["group", "add", "eng", "carol", "carol"], 2, "named twice");
    refused(&m, &["group", "remove", "eng", "alice", "carol"], 1, "user \"carol\" is not in group \"eng\"");
    m.ok(&["group", "remove", "eng", "alice"]);
    let e = m.last_audit();
    assert_eq!(e["action"], "group.remove");
    assert_eq!(e["changes"], changes(&[("members", json!(["alice", "bob"]), json!(["bob"]))]));
    refused(&m, &["group", "add", "nope", "alice"], 1, "no group named \"nope\"");
}

#[test]
fn grant_and_revoke_servers() {
    let m = setup();
    let out = m.ok(&["group", "grant", "eng", "files", "web"]);
    assert_eq!(out.trim(), "group \"eng\" now grants \"files\", \"web\"");
    let e = m.last_audit();
    assert_eq!(e["action"], "group.grant");
    assert_eq!(e["changes"], changes(&[("servers", json!([]), json!(["files", "web"]))]));
    assert_eq!(m.json(&["server", "show", "web"])["groups"], json!(["eng"]));
    refused(&m, &["group", "grant", "eng", "files"], 1, "already grants server \"files\"");
    refused(&m, &["group", "grant", "eng", "nope"], 1, "no server named \"nope\"");
    m.ok(&["group", "revoke", "eng", "web"]);
    let e = m.last_audit();
    assert_eq!(e["action"], "group.revoke");
    assert_eq!(e["changes"], changes(&[("servers", json!(["files", "web"]), json!(["files"]))]));
    refused(&m, &["group", "revoke", "eng", "web"], 1, "does not grant server \"web\"");
}

#[test]
fn bad_names_and_duplicates() {
    let m = setup();
    refused(&m, &["group", "create", "Eng"], 2, "invalid group name \"Eng\"");
    refused(&m, &["group", "create", "eng"], 1, "already exists");
    refused(&m, &["group", "delete", "nope"], 1, "no group named");
    let r = m.run(&["group", "add", "eng"]);
    assert_eq!(r.code, 2, "a user is required: {}", r.stderr);
}

#[test]
fn a_grant_may_name_some_tools_of_one_server() {
    let m = setup();
    m.insert_tool("files", "read_file", "started");
    m.insert_tool("files", "search", "started");
    m.insert_tool("files", "delete_file", "started");
    let g = m.json(&["group", "grant", "eng", "files", "--tools", "search,read_file"]);
    assert_eq!(g["servers"], json!(["files"]));
    assert_eq!(g["tools"], json!({"files": ["read_file", "search"]}));
    let e = m.last_audit();
    assert_eq!(e["action"], "group.grant");
    assert_eq!(e["changes"]["tools"], json!({"before": {}, "after": {"files": ["read_file", "search"]}}));
    let shown = m.ok(&["group", "show", "eng"]);
    assert!(shown.lines().any(|l| l.starts_with("servers:") && l.ends_with("files (read_file, search)")), "{shown}");
    // Granting it again changes the tools; without --tools, to all of them.
    let g = m.json(&["group", "grant", "eng", "files", "--tools", "read_file"]);
    assert_eq!(g["tools"], json!({"files": ["read_file"]}));
    refused(&m, &["group", "grant", "eng", "files", "--tools", "read_file"], 1, "already grants");
    let g = m.json(&["group", "grant", "eng", "files"]);
    assert_eq!(g.get("tools"), None, "{g}");
    assert_eq!(m.last_audit()["changes"]["tools"], json!({"before": {"files": ["read_file"]}, "after": {}}));
    refused(&m, &["group", "grant", "eng", "files"], 1, "already grants");

    // Mistakes exit 2 and change nothing.
    refused(&m, &["group", "grant", "eng", "web", "--tools", "search"], 2, "server \"web\" has no tool \"search\"");
    refused(&m, &["group", "grant", "eng", "files", "--tools", "search,search"], 2, "named twice");
    refused(&m, &["group", "grant", "eng", "files", "web", "--tools", "search"], 2, "one server at a time");
    let g = m.json(&["group", "show", "eng"]);
    assert_eq!(g["servers"], json!(["files"]));
}
