//! `mcpcp server create --composed` and `server tool add|remove|list`: composing a server from
//! other servers' tools, every change audited, and every mistake refused with exit code 2 and
//! nothing changed.

use serde_json::json;

use crate::support::{Mcpcp, refused};

const ISSUE_SCHEMA: &str = r#"{"type":"object","properties":{"owner":{"type":"string"},"title":{"type":"string"},
    "limit":{"type":"integer"},"labels":{"type":"array"}},"required":["owner","title"]}"#;

/// A proxy server `tickets` with the tools `create_issue` and `close_issue` (stopped), and a
/// composed server `desk`.
fn composed() -> Mcpcp {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "tickets", "--command", "tickets-server"]);
    m.insert_tool_with_schema("tickets", "create_issue", "started", ISSUE_SCHEMA);
    m.insert_tool("tickets", "close_issue", "stopped");
    m.ok(&["server", "create", "desk", "--composed", "--description", "Support desk"]);
    m
}

#[test]
fn a_composed_server_is_a_server_without_an_upstream() {
    let m = composed();
    let s = m.json(&["server", "show", "desk"]);
    assert_eq!((s["kind"].as_str(), s["transport"].as_str()), (Some("composed"), Some("none")));
    assert_eq!((s["url"].clone(), s["command"].clone()), (json!(null), json!(null)));
    assert_eq!(s["description"], "Support desk");
    let e = m.last_audit();
    assert_eq!(
        (e["action"].as_str(), e["changes"]["kind"]["after"].as_str()),
        (Some("server.create"), Some("composed"))
    );
    // It gets what servers have: tokens, groups, limits, address rules, capture.
    m.ok(&["token", "create", "desk"]);
    m.ok(&["group", "create", "support"]);
    m.ok(&["group", "grant", "support", "desk"]);
    m.ok(&["server", "limits", "desk", "--rate", "10/1m"]);
    m.ok(&["server", "ip", "desk", "deny", "10.0.0.0/8"]);
    m.ok(&["server", "capture", "desk", "metadata"]);
    let table = m.ok(&["server", "list"]);
    assert!(table.lines().any(|l| l.starts_with("desk") && l.contains("none") && l.contains("(composed)")), "{table}");
    // It has no upstream to ask, sign in at or tell the caller's identity to.
    refused(&m, &["tool", "sync", "desk"], 2, "is composed");
    refused(&m, &["server", "upstream-auth", "desk", "oauth"], 2, "is composed");
    refused(&m, &["server", "identity", "desk", "--forward", "meta"], 2, "is composed");
    assert!(
        m.fails(&["server", "create", "bad", "--composed", "--url", "http://127.0.0.1:1/mcp"], 2)
            .contains("cannot be used")
    );
    refused(&m, &["server", "create", "bad", "--composed", "--env", "A=b"], 2, "--env");
}

#[test]
fn tools_are_added_listed_and_removed_with_an_audit_entry_each() {
    let m = composed();
    let added = m.json(&[
        "server",
        "tool",
        "add",
        "desk",
        "--from",
        "tickets:create_issue",
        "--as",
        "open_ticket",
        "--description",
        "Open a support ticket",
        "--set",
        "owner=acme",
        "--set",
        "limit=5",
        "--hide",
        "labels",
    ]);
    assert_eq!(added["name"], "open_ticket");
    assert_eq!(
        (added["source_server"].as_str(), added["source_tool"].as_str()),
        (Some("tickets"), Some("create_issue"))
    );
    assert_eq!(added["fixed"], json!({"owner": "acme", "limit": 5}));
    assert_eq!(added["hidden"], json!(["labels"]));
    assert_eq!(added["status"], "ok");
    let e = m.last_audit();
    assert_eq!(e["action"], "composed_tool.add");
    assert_eq!(e["resource"]["name"], "desk/open_ticket");
    assert_eq!(e["changes"]["fixed"]["after"], json!({"limit": 5, "owner": "acme"}));
    assert_eq!(e["changes"]["source_tool"]["after"], "create_issue");

    // A stopped source tool can be picked; it is offered once started.
    let out = m.ok(&["server", "tool", "add", "desk", "--from", "tickets:close_issue"]);
    assert_eq!(out.trim(), "added tool \"close_issue\" to server \"desk\": it calls tickets:close_issue");
    let table = m.ok(&["server", "tool", "list", "desk"]);
    let rows: Vec<Vec<&str>> = table.lines().map(|l| l.split_whitespace().take(3).collect()).collect();
    assert_eq!(
        rows,
        [
            vec!["TOOL", "FROM", "STATUS"],
            vec!["close_issue", "tickets:close_issue", "source_stopped"],
            vec!["open_ticket", "tickets:create_issue", "ok"]
        ]
    );

    let removed = m.json(&["server", "tool", "remove", "desk", "close_issue"]);
    assert_eq!(removed["name"], "close_issue");
    let e = m.last_audit();
    assert_eq!(
        (e["action"].as_str(), e["resource"]["name"].as_str()),
        (Some("composed_tool.remove"), Some("desk/close_issue"))
    );
    assert_eq!(m.json(&["server", "tool", "list", "desk"]).as_array().unwrap().len(), 1);
    refused(&m, &["server", "tool", "remove", "desk", "close_issue"], 1, "has no tool \"close_issue\"");

    // Deleting the source server leaves the tool, refused until removed.
    m.ok(&["server", "delete", "tickets"]);
    let listed = m.json(&["server", "tool", "list", "desk"]);
    assert_eq!(
        (listed[0]["status"].as_str(), listed[0]["source_server"].as_str()),
        (Some("source_deleted"), Some("tickets"))
    );
    // Deleting the composed server deletes its tools.
    m.ok(&["server", "delete", "desk"]);
    let count: i64 = m.sqlite().query_row("SELECT count(*) FROM composed_tools", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 0);
}

#[test]
fn bad_input_exits_2_and_changes_nothing() {
    let m = composed();
    m.ok(&["server", "tool", "add", "desk", "--from", "tickets:create_issue", "--set", "owner=acme"]);
    m.ok(&["server", "create", "other", "--composed"]);
    let add = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["server", "tool", "add", "desk"];
        args.extend_from_slice(extra);
        args.into_iter().map(String::from).collect()
    };
    let cases: &[(&[&str], &str)] = &[
        (&["--from", "nope:create_issue"], "no server named \"nope\""),
        (&["--from", "tickets:nope"], "has no tool \"nope\""),
        (&["--from", "tickets"], "SERVER:TOOL"),
        (&["--from", "tickets:create_issue"], "already has a tool named \"create_issue\""),
        (&["--from", "tickets:create_issue", "--as", "x", "--set", "nope=1"], "has no argument \"nope\""),
        (&["--from", "tickets:create_issue", "--as", "x", "--set", "owner"], "ARG=VALUE"),
        (&["--from", "tickets:create_issue", "--as", "x", "--set", "limit=five"], "not JSON"),
        (&["--from", "tickets:create_issue", "--as", "x", "--set", "owner=a", "--set", "owner=b"], "given twice"),
        (&["--from", "tickets:create_issue", "--as", "x", "--hide", "owner"], "is required"),
        (&["--from", "tickets:create_issue", "--as", "x", "--hide", "nope"], "has no argument \"nope\""),
        (&["--from", "tickets:create_issue", "--as", "x", "--set", "limit=1", "--hide", "limit"], "already fixed"),
        (&["--from", "tickets:create_issue", "--as", "has space"], "invalid tool name"),
        (&["--from", "desk:create_issue", "--as", "x"], "is composed"),
        (&["--from", "other:anything", "--as", "x"], "is composed"),
    ];
    for (extra, needle) in cases {
        let args = add(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&m, &args, 2, needle);
    }
    refused(&m, &["server", "tool", "add", "tickets", "--from", "tickets:create_issue"], 2, "is not composed");
    refused(&m, &["server", "tool", "list", "tickets"], 2, "is not composed");
    refused(
        &m,
        &["server", "tool", "add", "nowhere", "--from", "tickets:create_issue"],
        1,
        "no server named \"nowhere\"",
    );
}
