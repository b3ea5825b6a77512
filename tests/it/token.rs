//! `mcpcp token …`: secrets shown once, stored as digests, listed and revoked.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{Mcpcp, changes, refused};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn create_prints_the_secret_once_and_stores_only_its_digest() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--command", "files-server"]);
    let r = m.run(&["token", "create", "files", "--name", "ci", "--expires", "30d"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // stdout is the secret alone, so `TOKEN=$(mcpcp token create …)` works; the note goes to stderr.
    let secret = r.stdout.trim_end().to_string();
    assert_eq!(r.stdout, format!("{secret}\n"));
    assert!(secret.starts_with("mcpcp_") && secret.len() == 49, "{secret}");
    assert!(secret[6..].bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    assert!(r.stderr.contains("shown only now"), "{}", r.stderr);

    let (hash, prefix): (String, String) = m
        .sqlite()
        .query_row("SELECT hash, prefix FROM tokens WHERE name = 'ci'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(hash, hex(&Sha256::digest(secret.as_bytes())));
    assert!(secret.starts_with(&prefix) && prefix.len() == 12);

    // Never again: not in list (table or JSON), not in the audit trail, not in the database.
    for out in
        [m.ok(&["token", "list"]), m.ok(&["-o", "json", "token", "list"]), m.ok(&["-o", "json", "audit", "list"])]
    {
        assert!(!out.contains(&secret));
    }
    m.sqlite().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let db = std::fs::read(m.state_db()).unwrap();
    assert!(!db.windows(secret.len()).any(|w| w == secret.as_bytes()));

    let e = m.last_audit();
    assert_eq!(e["action"], "token.create");
    assert_eq!(e["resource"]["name"], "files/ci");
    let token = &m.json(&["token", "list"])[0];
    let mut expected = changes(&[
        ("server", Value::Null, json!("files")),
        ("name", Value::Null, json!("ci")),
        ("prefix", Value::Null, json!(prefix)),
        ("expires_at", Value::Null, token["expires_at"].clone()),
    ]);
    expected["secret"] = json!({"changed": true});
    assert_eq!(e["changes"], expected);
}

#[test]
fn create_json_includes_the_secret_and_expiry() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--command", "files-server"]);
    let t = m.json(&["token", "create", "files", "--expires", "2h"]);
    assert!(t["token"].as_str().unwrap().starts_with("mcpcp_"));
    assert_eq!(t["name"], "token-1", "default name is token-ID");
    assert_eq!(t["server"], "files");
    assert_eq!(t["status"], "active");
    let created = chrono::DateTime::parse_from_rfc3339(t["created_at"].as_str().unwrap()).unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(t["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!((expires - created).num_seconds(), 7200);
    let never = m.json(&["token", "create", "files"]);
    assert_eq!(never["expires_at"], Value::Null);
    assert_eq!(never["name"], "token-2");
}

#[test]
fn list_filters_by_server_and_shows_status() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "a", "--command", "a"]);
    m.ok(&["server", "create", "b", "--command", "b"]);
    m.ok(&["token", "create", "a", "--name", "one"]);
    m.ok(&["token", "create", "b", "--name", "two"]);
    m.ok(&["token", "create", "a", "--name", "three"]);
    // An expired token, as the clock would make it.
    m.sqlite()
        .execute("UPDATE tokens SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE name = 'three'", [])
        .unwrap();
    m.ok(&["token", "revoke", "1"]);
    let all = m.json(&["token", "list"]);
    let summary: Vec<(i64, &str, &str, &str)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_i64().unwrap(),
                t["server"].as_str().unwrap(),
                t["name"].as_str().unwrap(),
                t["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, [(1, "a", "one", "revoked"), (2, "b", "two", "active"), (3, "a", "three", "expired")]);
    assert_eq!(m.json(&["token", "list", "b"]).as_array().unwrap().len(), 1);
    let table = m.ok(&["token", "list", "a"]);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["ID", "SERVER", "NAME", "PREFIX", "STATUS", "CREATED", "EXPIRES"]);
    assert_eq!(table.lines().count(), 3);
    assert!(table.lines().nth(1).unwrap().contains("revoked"));
    refused(&m, &["token", "list", "nope"], 1, "no server named");
}

#[test]
fn revoke_is_audited_and_final() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--command", "files-server"]);
    m.ok(&["token", "create", "files", "--name", "ci"]);
    let t = m.json(&["token", "revoke", "1"]);
    assert_eq!(t["status"], "revoked");
    let e = m.last_audit();
    assert_eq!(e["action"], "token.revoke");
    assert_eq!(e["resource"], json!({"type": "token", "id": "1", "name": "files/ci"}));
    assert_eq!(
        e["changes"],
        changes(&[("status", json!("active"), json!("revoked")), ("revoked_at", Value::Null, t["revoked_at"].clone())])
    );
    refused(&m, &["token", "revoke", "1"], 1, "already revoked");
    refused(&m, &["token", "revoke", "99"], 1, "no token with id 99");
    refused(&m, &["token", "revoke", "abc"], 2, "invalid token id");
}

#[test]
fn bad_input_is_refused() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--command", "files-server"]);
    m.ok(&["token", "create", "files", "--name", "ci"]);
    refused(&m, &["token", "create", "nope"], 1, "no server named \"nope\"");
    refused(&m, &["token", "create", "files", "--name", "ci"], 1, "already has a token named \"ci\"");
    refused(&m, &["token", "create", "files", "--name", "bad name"], 2, "invalid token name");
    for bad in ["3y", "0d", "10", "soon", "1.5h", "h"] {
        refused(&m, &["token", "create", "files", "--expires", bad], 2, "invalid duration");
    }
}
