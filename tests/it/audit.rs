//! The audit trail: one entry per mutating command, none for a failed one, filters, and the
//! hash chain that `audit verify` checks.

use serde_json::Value;

use crate::support::Mcpcp;

/// Every mutating command, in an order in which each succeeds, with a failing variant.
const COMMANDS: &[(&[&str], &[&str], &str)] = &[
    (
        &["server", "create", "s1", "--url", "https://a.example/mcp"],
        &["server", "create", "s1", "--url", "https://a.example/mcp"],
        "server.create",
    ),
    (&["server", "create", "s2", "--command", "srv"], &["server", "create", "S2", "--command", "srv"], "server.create"),
    (&["server", "rename", "s2", "s3"], &["server", "rename", "s2", "s3"], "server.rename"),
    (&["server", "disable", "s3"], &["server", "disable", "s3"], "server.disable"),
    (&["server", "enable", "s3"], &["server", "enable", "s3"], "server.enable"),
    (&["tool", "stop", "s1", "t1"], &["tool", "stop", "s1", "t1"], "tool.stop"),
    (&["tool", "start", "s1", "t1"], &["tool", "start", "s1", "nope"], "tool.start"),
    (&["token", "create", "s1", "--name", "ci"], &["token", "create", "s1", "--name", "ci"], "token.create"),
    (&["token", "revoke", "1"], &["token", "revoke", "1"], "token.revoke"),
    (&["user", "create", "alice"], &["user", "create", "alice"], "user.create"),
    (&["user", "disable", "alice"], &["user", "disable", "alice"], "user.disable"),
    (&["user", "enable", "alice"], &["user", "enable", "alice"], "user.enable"),
    (&["group", "create", "eng"], &["group", "create", "eng"], "group.create"),
    (&["group", "add", "eng", "alice"], &["group", "add", "eng", "alice"], "group.add"),
    (&["group", "grant", "eng", "s1", "s3"], &["group", "grant", "eng", "s1"], "group.grant"),
    (&["group", "revoke", "eng", "s3"], &["group", "revoke", "eng", "s3"], "group.revoke"),
    (&["group", "remove", "eng", "alice"], &["group", "remove", "eng", "alice"], "group.remove"),
    (&["group", "delete", "eng"], &["group", "delete", "eng"], "group.delete"),
    (&["user", "delete", "alice"], &["user", "delete", "alice"], "user.delete"),
    (&["server", "delete", "s3"], &["server", "delete", "s3"], "server.delete"),
];

#[test]
fn every_mutating_command_writes_exactly_one_entry_and_a_failed_one_none() {
    let m = Mcpcp::new();
    let mut expected_actions = Vec::new();
    for (ok, bad, action) in COMMANDS {
        if *action == "tool.stop" {
            m.insert_tool("s1", "t1", "started");
        }
        let before = m.audit().len();
        m.ok(ok);
        let entries = m.audit();
        assert_eq!(entries.len(), before + 1, "{ok:?} wrote {} entries", entries.len() - before);
        assert_eq!(entries.last().unwrap()["action"], *action, "{ok:?}");
        expected_actions.push(*action);
        let dump = m.dump();
        let r = m.run(bad);
        assert_ne!(r.code, 0, "{bad:?} should fail");
        assert_eq!(m.audit().len(), before + 1, "failed {bad:?} wrote an audit entry");
        assert_eq!(m.dump(), dump, "failed {bad:?} changed the database");
    }
    // user passwd (needs stdin).
    let before = m.audit().len();
    m.ok(&["user", "create", "bob"]);
    let r = m.run_stdin(&["user", "passwd", "bob", "--password-stdin"], "a-long-password");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(m.audit().len(), before + 2);
    assert_eq!(m.last_audit()["action"], "user.passwd");
    // Read-only commands write nothing.
    let before = m.audit().len();
    for args in [
        &["server", "list"][..],
        &["server", "show", "s1"],
        &["tool", "list", "s1"],
        &["token", "list"],
        &["user", "list"],
        &["user", "show", "bob"],
        &["group", "list"],
        &["audit", "list"],
        &["audit", "verify"],
        &["config", "check"],
    ] {
        m.ok(args);
    }
    assert_eq!(m.audit().len(), before);
    let actions: Vec<String> = m.audit().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect();
    assert_eq!(&actions[..expected_actions.len()], &expected_actions[..]);
}

#[test]
fn list_filters() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--command", "srv"]);
    m.ok(&["server", "create", "web", "--url", "https://a.example/mcp"]);
    m.ok(&["user", "create", "files"]);
    m.ok(&["server", "disable", "web"]);
    m.ok(&["group", "create", "eng"]);
    // Backdate the first two entries; the chain is then broken, but filtering still works.
    m.sqlite().execute("UPDATE audit SET time = '2020-01-01T00:00:00.000000Z' WHERE id <= 2", []).unwrap();

    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["audit", "list"];
        all.extend_from_slice(args);
        m.json(&all).as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(ids(&[]), [1, 2, 3, 4, 5]);
    assert_eq!(ids(&["-n", "2"]), [4, 5], "-n keeps the newest, oldest first");
    assert_eq!(ids(&["--since", "1h"]), [3, 4, 5]);
    assert_eq!(ids(&["--since", "2019-12-31T00:00:00Z"]), [1, 2, 3, 4, 5]);
    assert_eq!(ids(&["--action", "server.create"]), [1, 2]);
    assert_eq!(ids(&["--action", "server.*"]), [1, 2, 4]);
    assert_eq!(ids(&["--resource", "files"]), [1, 3]);
    assert_eq!(ids(&["--resource", "server:files"]), [1]);
    assert_eq!(ids(&["--resource", "user:files"]), [3]);
    let me = m.last_audit()["actor"]["name"].as_str().unwrap().to_string();
    assert_eq!(ids(&["--actor", &me]), [1, 2, 3, 4, 5]);
    assert_eq!(ids(&["--actor", "somebody-else"]), Vec::<i64>::new());
    assert_eq!(ids(&["--action", "server.*", "--since", "1h"]), [4]);

    let table = m.ok(&["audit", "list", "--action", "server.disable"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["ID", "TIME", "ACTOR", "ACTION", "RESOURCE", "CHANGES"]
    );
    assert!(
        lines[1].contains("server.disable")
            && lines[1].contains("server:web")
            && lines[1].contains("enabled: true → false"),
        "{table}"
    );
    assert!(m.ok(&["audit", "list", "--actor", "x"]).contains("no audit entries"));

    let err = m.fails(&["audit", "list", "--since", "yesterday"], 2);
    assert!(err.contains("invalid time \"yesterday\""), "{err}");
    assert_eq!(m.run(&["audit", "list", "-n", "0"]).code, 2);
}

fn populated() -> Mcpcp {
    let m = Mcpcp::new();
    for i in 0..6 {
        m.ok(&["server", "create", &format!("s{i}"), "--url", "https://a.example/mcp"]);
    }
    m
}

#[test]
fn verify_passes_on_an_intact_chain() {
    let m = populated();
    let out = m.ok(&["audit", "verify"]);
    assert!(out.starts_with("audit chain intact: 6 entries, head "), "{out}");
    let v = m.json(&["audit", "verify"]);
    assert_eq!(v["entries"], 6);
    assert_eq!(v["broken"], Value::Null);
    assert_eq!(v["head"], m.last_audit()["hash"]);
    // Each entry links to the one before it.
    let entries = m.audit();
    assert_eq!(entries[0]["prev_hash"], "0".repeat(64));
    for pair in entries.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
}

#[test]
fn verify_names_an_edited_entry() {
    let m = populated();
    m.sqlite()
        .execute("UPDATE audit SET changes = replace(changes, 'https://a.example/mcp', 'https://evil.example/mcp') WHERE id = 3", [])
        .unwrap();
    let err = m.fails(&["audit", "verify"], 1);
    assert!(err.contains("broken at entry 3") && err.contains("modified"), "{err}");
    // JSON still prints the verdict for scripts, and exits 1.
    let r = m.run(&["-o", "json", "audit", "verify"]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["broken"]["id"], 3);
}

#[test]
fn verify_names_an_edited_actor_or_time() {
    for sql in [
        "UPDATE audit SET actor_name = 'mallory' WHERE id = 4",
        "UPDATE audit SET time = '2020-01-01T00:00:00.000000Z' WHERE id = 4",
    ] {
        let m = populated();
        m.sqlite().execute(sql, []).unwrap();
        let err = m.fails(&["audit", "verify"], 1);
        assert!(err.contains("broken at entry 4"), "{sql}: {err}");
    }
}

#[test]
fn verify_names_a_deleted_entry() {
    let m = populated();
    m.sqlite().execute("DELETE FROM audit WHERE id = 2", []).unwrap();
    let err = m.fails(&["audit", "verify"], 1);
    assert!(err.contains("broken at entry 2") && err.contains("missing"), "{err}");
    let r = m.run(&["-o", "json", "audit", "verify"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["entries"], 5, "entries counts the whole table");
    assert_eq!(v["head"], m.last_audit()["hash"], "head is the newest entry's hash");
}

#[test]
fn verify_names_the_link_after_an_entry_rewritten_with_a_fresh_hash() {
    // An attacker who edits an entry and recomputes its hash still breaks the next link.
    use sha2::{Digest, Sha256};
    let m = populated();
    let conn = m.sqlite();
    type Row = (i64, String, String, String, String, String, String, String, String, String, String);
    let r: Row = conn
        .query_row(
            "SELECT id, time, actor_kind, actor_name, action, resource_type, resource_id, resource_name, changes, origin, prev_hash FROM audit WHERE id = 5",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?)),
        )
        .unwrap();
    let content = serde_json::json!([r.0, r.1, r.2, "mallory", r.4, r.5, r.6, r.7, r.8, r.9, r.10]).to_string();
    let hash: String = Sha256::digest(content.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    conn.execute("UPDATE audit SET actor_name = 'mallory', hash = ?1 WHERE id = 5", [&hash]).unwrap();
    let err = m.fails(&["audit", "verify"], 1);
    assert!(err.contains("broken at entry 6") && err.contains("prev_hash"), "{err}");
}

#[test]
fn new_entries_keep_extending_the_chain() {
    let m = populated();
    m.ok(&["group", "create", "eng"]);
    assert!(m.ok(&["audit", "verify"]).contains("7 entries"));
}
