//! `mcpcp user …`: end users, argon2id passwords from stdin, enable/disable/delete.

use serde_json::{Value, json};

use crate::support::{Mcpcp, changes, refused};

#[test]
fn create_with_password_stores_argon2id_and_never_the_password() {
    let m = Mcpcp::new();
    let u = m.run_stdin(
        &["-o", "json", "user", "create", "alice", "--email", "alice@example.com", "--password-stdin"],
        "correct horse battery\n",
    );
    assert_eq!(u.code, 0, "{}", u.stderr);
    let u: Value = serde_json::from_str(&u.stdout).unwrap();
    assert_eq!(u["name"], "alice");
    assert_eq!(u["email"], "alice@example.com");
    assert_eq!(u["has_password"], true);
    assert_eq!(u["disabled"], false);
    assert_eq!(u["groups"], json!([]));
    assert_eq!(u["sso_subject"], Value::Null);
    let hash: String =
        m.sqlite().query_row("SELECT password_hash FROM users WHERE name = 'alice'", [], |r| r.get(0)).unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(!hash.contains("correct horse"));

    let e = m.last_audit();
    assert_eq!(e["action"], "user.create");
    let mut expected = changes(&[
        ("name", Value::Null, json!("alice")),
        ("email", Value::Null, json!("alice@example.com")),
        ("disabled", Value::Null, json!(false)),
    ]);
    expected["password"] = json!({"changed": true});
    assert_eq!(e["changes"], expected);
    let everything = m.ok(&["-o", "json", "audit", "list"]);
    assert!(!everything.contains("correct horse") && !everything.contains("argon2"));
}

#[test]
fn create_without_password_is_sso_only() {
    let m = Mcpcp::new();
    let out = m.ok(&["user", "create", "bob"]);
    assert!(out.contains("without a password"), "{out}");
    assert_eq!(m.json(&["user", "show", "bob"])["has_password"], false);
    assert_eq!(
        m.last_audit()["changes"],
        changes(&[("name", Value::Null, json!("bob")), ("disabled", Value::Null, json!(false))])
    );
}

#[test]
fn list_and_show() {
    let m = Mcpcp::new();
    m.run_stdin(&["user", "create", "carol", "--password-stdin"], "password123");
    m.ok(&["user", "create", "bob", "--email", "bob@example.com"]);
    m.ok(&["group", "create", "eng"]);
    m.ok(&["group", "add", "eng", "bob"]);
    m.ok(&["user", "disable", "carol"]);
    let table = m.ok(&["user", "list"]);
    let rows: Vec<Vec<&str>> =
        table.lines().map(|l| l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect()).collect();
    assert_eq!(
        rows,
        [
            vec!["NAME", "EMAIL", "STATUS", "SIGN-IN", "GROUPS"],
            vec!["bob", "bob@example.com", "enabled", "sso (no password)", "eng"],
            vec!["carol", "-", "disabled", "password", "-"],
        ]
    );
    let bob = m.json(&["user", "show", "bob"]);
    assert_eq!(bob["groups"], json!(["eng"]));
    let shown = m.ok(&["user", "show", "carol"]);
    assert!(shown.lines().any(|l| l.starts_with("status:") && l.ends_with("disabled")), "{shown}");
    assert_eq!(m.json(&["user", "list"]).as_array().unwrap().len(), 2);
}

#[test]
fn disable_enable_delete_passwd() {
    let m = Mcpcp::new();
    m.run_stdin(&["user", "create", "dave", "--password-stdin"], "first-password");
    m.ok(&["group", "create", "ops"]);
    m.ok(&["group", "add", "ops", "dave"]);

    assert_eq!(m.json(&["user", "disable", "dave"])["disabled"], true);
    assert_eq!(m.last_audit()["action"], "user.disable");
    assert_eq!(m.last_audit()["changes"], changes(&[("disabled", json!(false), json!(true))]));
    refused(&m, &["user", "disable", "dave"], 1, "already disabled");
    assert_eq!(m.json(&["user", "enable", "dave"])["disabled"], false);
    assert_eq!(m.last_audit()["action"], "user.enable");
    refused(&m, &["user", "enable", "dave"], 1, "already enabled");

    let old: String =
        m.sqlite().query_row("SELECT password_hash FROM users WHERE name = 'dave'", [], |r| r.get(0)).unwrap();
    let r = m.run_stdin(&["user", "passwd", "dave", "--password-stdin"], "second-password\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let new: String =
        m.sqlite().query_row("SELECT password_hash FROM users WHERE name = 'dave'", [], |r| r.get(0)).unwrap();
    assert_ne!(old, new);
    let e = m.last_audit();
    assert_eq!(e["action"], "user.passwd");
    assert_eq!(e["changes"], json!({"password": {"changed": true}}));

    let deleted = m.json(&["user", "delete", "dave"]);
    assert_eq!(deleted["name"], "dave");
    refused(&m, &["user", "show", "dave"], 1, "no user named \"dave\"");
    assert_eq!(m.json(&["group", "show", "ops"])["members"], json!([]));
    assert_eq!(
        m.last_audit()["changes"],
        changes(&[
            ("name", json!("dave"), Value::Null),
            ("disabled", json!(false), Value::Null),
            ("groups", json!(["ops"]), Value::Null)
        ])
    );
}

#[test]
fn bad_input_is_refused() {
    let m = Mcpcp::new();
    m.ok(&["user", "create", "erin"]);
    refused(&m, &["user", "create", "Erin"], 2, "invalid user name \"Erin\"");
    refused(&m, &["user", "create", "erin"], 1, "already exists");
    refused(&m, &["user", "create", "frank", "--email", "not-an-email"], 2, "invalid email address");
    refused(&m, &["user", "show", "nobody"], 1, "no user named");
    refused(&m, &["user", "delete", "nobody"], 1, "no user named");
    // Passwords: empty stdin, too short, and no terminal without --password-stdin.
    for (input, needle, code) in [
        ("", "no password on standard input", 2),
        ("\n", "no password on standard input", 2),
        ("short\n", "password too short", 2),
    ] {
        let before = m.dump();
        let err = m.fails_stdin(&["user", "create", "frank", "--password-stdin"], input, code);
        assert!(err.contains(needle), "{err}");
        let err = m.fails_stdin(&["user", "passwd", "erin", "--password-stdin"], input, code);
        assert!(err.contains(needle), "{err}");
        assert_eq!(m.dump(), before);
    }
    refused(&m, &["user", "passwd", "erin"], 2, "not a terminal");
    let err = m.fails_stdin(&["user", "passwd", "nobody", "--password-stdin"], "long-enough-pw", 1);
    assert!(err.contains("no user named \"nobody\""), "{err}");
}
