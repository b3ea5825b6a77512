//! `mcpcp tool …`: listing and the started/stopped state machine.

use serde_json::json;

use crate::support::{Mcpcp, changes, refused};

#[test]
fn list_start_and_stop() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--command", "files-server"]);
    assert!(m.ok(&["tool", "list", "files"]).contains("has no tools yet"));
    m.insert_tool("files", "read_file", "started");
    m.insert_tool("files", "write_file", "started");

    let tools = m.json(&["tool", "list", "files"]);
    let summary: Vec<(String, String)> = tools
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_string(), t["state"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(summary, [("read_file".into(), "started".into()), ("write_file".into(), "started".into())]);
    assert_eq!(tools[0]["server"], "files");
    assert_eq!(tools[0]["description"], "a test tool");

    let stopped = m.json(&["tool", "stop", "files", "write_file"]);
    assert_eq!(stopped["state"], "stopped");
    let e = m.last_audit();
    assert_eq!(e["action"], "tool.stop");
    assert_eq!(e["resource"]["type"], "tool");
    assert_eq!(e["resource"]["name"], "files/write_file");
    assert_eq!(e["changes"], changes(&[("state", json!("started"), json!("stopped"))]));

    let table = m.ok(&["tool", "list", "files"]);
    let rows: Vec<Vec<&str>> = table.lines().map(|l| l.split_whitespace().take(2).collect()).collect();
    assert_eq!(rows, [vec!["TOOL", "STATE"], vec!["read_file", "started"], vec!["write_file", "stopped"]]);

    refused(&m, &["tool", "stop", "files", "write_file"], 1, "already stopped");
    assert_eq!(
        m.ok(&["tool", "start", "files", "write_file"]).trim(),
        "started tool \"write_file\" of server \"files\""
    );
    let e = m.last_audit();
    assert_eq!(e["action"], "tool.start");
    assert_eq!(e["changes"], changes(&[("state", json!("stopped"), json!("started"))]));
    refused(&m, &["tool", "start", "files", "write_file"], 1, "already started");
}

#[test]
fn unknown_servers_and_tools_are_refused() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--command", "files-server"]);
    refused(&m, &["tool", "list", "nope"], 1, "no server named \"nope\"");
    refused(&m, &["tool", "stop", "nope", "t"], 1, "no server named \"nope\"");
    refused(&m, &["tool", "stop", "files", "missing"], 1, "server \"files\" has no tool \"missing\"");
}
