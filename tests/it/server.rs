//! `mcpcp server …`: every subcommand, its outputs and its audit entries.

use serde_json::{Value, json};

use crate::support::{Mcpcp, changes, refused};

#[test]
fn create_http_server_prints_it_and_audits_every_field() {
    let m = Mcpcp::new();
    let s = m.json(&[
        "server",
        "create",
        "web",
        "--url",
        "https://mcp.example.com/mcp",
        "--auth",
        "password",
        "--description",
        "Docs search",
    ]);
    assert_eq!(s["name"], "web");
    assert_eq!(s["kind"], "proxy");
    assert_eq!(s["transport"], "http");
    assert_eq!(s["url"], "https://mcp.example.com/mcp");
    assert_eq!(s["command"], Value::Null);
    assert_eq!(s["env"], json!([]));
    assert_eq!(s["auth"], "password");
    assert_eq!(s["description"], "Docs search");
    assert_eq!(s["enabled"], true);
    assert!(s["id"].as_i64().unwrap() > 0);
    assert!(s["created_at"].as_str().unwrap().ends_with('Z'));

    let e = m.last_audit();
    assert_eq!(e["action"], "server.create");
    assert_eq!((e["actor"]["kind"].as_str(), e["actor"]["via"].as_str()), (Some("os_user"), Some("cli")));
    assert!(!e["actor"]["name"].as_str().unwrap().is_empty());
    assert_eq!(e["origin"], "cli");
    assert_eq!(e["resource"], json!({"type": "server", "id": s["id"].as_i64().unwrap().to_string(), "name": "web"}));
    assert_eq!(
        e["changes"],
        changes(&[
            ("name", Value::Null, json!("web")),
            ("kind", Value::Null, json!("proxy")),
            ("transport", Value::Null, json!("http")),
            ("url", Value::Null, json!("https://mcp.example.com/mcp")),
            ("auth", Value::Null, json!("password")),
            ("description", Value::Null, json!("Docs search")),
            ("enabled", Value::Null, json!(true)),
            ("capture", Value::Null, json!("full")),
            ("upstream_auth", Value::Null, json!("none")),
            ("identity_jwt_header", Value::Null, json!("x-mcpcp-identity")),
        ])
    );
}

#[test]
fn create_stdio_server_seals_env_values_everywhere() {
    let m = Mcpcp::new();
    let secret_value = "sk-live-0123456789abcdef";
    let out = m.ok(&[
        "server",
        "create",
        "files",
        "--command",
        "npx -y '@modelcontextprotocol/server-everything' stdio",
        "--env",
        &format!("API_KEY={secret_value}"),
        "--env",
        "MODE=fast",
    ]);
    assert!(out.contains("created server \"files\""), "{out}");
    assert!(out.contains("/mcp/files"), "{out}");
    let s = m.json(&["server", "show", "files"]);
    assert_eq!(s["transport"], "stdio");
    assert_eq!(s["command"], json!(["npx", "-y", "@modelcontextprotocol/server-everything", "stdio"]));
    assert_eq!(s["env"], json!(["API_KEY", "MODE"]));
    assert_eq!(s["url"], Value::Null);

    let e = m.last_audit();
    assert_eq!(e["changes"]["env"], json!({"before": null, "after": ["API_KEY", "MODE"]}));
    assert_eq!(e["changes"]["env_values"], json!({"changed": true}));

    // The value is in no output, no audit entry and not in clear anywhere in the database files.
    for args in [&["server", "show", "files"][..], &["server", "list"], &["audit", "list"]] {
        assert!(!m.ok(args).contains(secret_value));
        let mut json_args = vec!["-o", "json"];
        json_args.extend_from_slice(args);
        assert!(!m.ok(&json_args).contains(secret_value));
    }
    m.sqlite().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    for file in ["state.db", "state.db-wal"] {
        if let Ok(bytes) = std::fs::read(m.data_dir().join(file)) {
            assert!(
                !bytes.windows(secret_value.len()).any(|w| w == secret_value.as_bytes()),
                "{file} holds the value in clear"
            );
        }
    }
    // It is sealed: the stored blob is not the plaintext but has room for it plus nonce and tag.
    let sealed: Vec<u8> =
        m.sqlite().query_row("SELECT env_sealed FROM servers WHERE name = 'files'", [], |r| r.get(0)).unwrap();
    assert!(sealed.len() > 24 + 16 + secret_value.len());
}

#[test]
fn list_shows_a_table_for_people_and_json_for_scripts() {
    let m = Mcpcp::new();
    assert!(m.ok(&["server", "list"]).contains("no servers"));
    assert_eq!(m.json(&["server", "list"]), json!([]));
    m.ok(&["server", "create", "zeta", "--url", "http://127.0.0.1:9000/mcp"]);
    m.ok(&["server", "create", "alpha", "--command", "my-server --flag"]);
    m.ok(&["server", "disable", "zeta"]);
    let table = m.ok(&["server", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["NAME", "STATUS", "AUTH", "TRANSPORT", "UPSTREAM"]);
    let alpha: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(alpha, ["alpha", "enabled", "api-token", "stdio", "my-server", "--flag"]);
    let zeta: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(zeta, ["zeta", "disabled", "api-token", "http", "http://127.0.0.1:9000/mcp"]);
    let list = m.json(&["server", "list"]);
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["alpha", "zeta"]);
}

#[test]
fn show_counts_tools_tokens_and_groups() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--command", "files-server"]);
    m.insert_tool("files", "read", "started");
    m.insert_tool("files", "write", "stopped");
    m.insert_tool("files", "list", "started");
    m.ok(&["token", "create", "files"]);
    m.ok(&["token", "create", "files"]);
    m.ok(&["token", "revoke", "1"]);
    m.ok(&["group", "create", "eng"]);
    m.ok(&["group", "grant", "eng", "files"]);
    let d = m.json(&["server", "show", "files"]);
    assert_eq!(d["tools"], json!({"started": 2, "stopped": 1}));
    assert_eq!(d["active_tokens"], 1);
    assert_eq!(d["groups"], json!(["eng"]));
    let table = m.ok(&["server", "show", "files"]);
    assert!(table.contains("2 started, 1 stopped"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("groups:") && l.ends_with("eng")), "{table}");
}

#[test]
fn rename_moves_the_server_and_audits_the_name() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "old-name", "--url", "https://a.example/mcp"]);
    let out = m.ok(&["server", "rename", "old-name", "new-name"]);
    assert!(out.contains("/mcp/new-name"), "{out}");
    assert_eq!(m.json(&["server", "show", "new-name"])["url"], "https://a.example/mcp");
    m.fails(&["server", "show", "old-name"], 1);
    let e = m.last_audit();
    assert_eq!(e["action"], "server.rename");
    assert_eq!(e["resource"]["name"], "new-name");
    assert_eq!(e["changes"], changes(&[("name", json!("old-name"), json!("new-name"))]));
    let renamed = m.json(&["server", "rename", "new-name", "newer"]);
    assert_eq!(renamed["name"], "newer");
}

#[test]
fn enable_and_disable_are_audited_and_refuse_no_ops() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "s1", "--url", "https://a.example/mcp"]);
    refused(&m, &["server", "enable", "s1"], 1, "already enabled");
    let s = m.json(&["server", "disable", "s1"]);
    assert_eq!(s["enabled"], false);
    assert_eq!(m.last_audit()["action"], "server.disable");
    assert_eq!(m.last_audit()["changes"], changes(&[("enabled", json!(true), json!(false))]));
    refused(&m, &["server", "disable", "s1"], 1, "already disabled");
    assert_eq!(m.ok(&["server", "enable", "s1"]).trim(), "enabled server \"s1\"");
    assert_eq!(m.last_audit()["action"], "server.enable");
    assert_eq!(m.last_audit()["changes"], changes(&[("enabled", json!(false), json!(true))]));
}

#[test]
fn delete_removes_tools_tokens_and_grants() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "gone", "--url", "https://a.example/mcp", "--auth", "sso"]);
    m.insert_tool("gone", "t1", "started");
    m.ok(&["token", "create", "gone", "--name", "ci"]);
    m.ok(&["group", "create", "eng"]);
    m.ok(&["group", "grant", "eng", "gone"]);
    let deleted = m.json(&["server", "delete", "gone"]);
    assert_eq!(deleted["name"], "gone");
    m.fails(&["server", "show", "gone"], 1);
    assert_eq!(m.json(&["token", "list"]), json!([]));
    assert_eq!(m.json(&["group", "show", "eng"])["servers"], json!([]));
    let tools: i64 = m.sqlite().query_row("SELECT COUNT(*) FROM tools", [], |r| r.get(0)).unwrap();
    assert_eq!(tools, 0);
    let e = m.last_audit();
    assert_eq!(e["action"], "server.delete");
    assert_eq!(
        e["changes"],
        changes(&[
            ("name", json!("gone"), Value::Null),
            ("kind", json!("proxy"), Value::Null),
            ("transport", json!("http"), Value::Null),
            ("url", json!("https://a.example/mcp"), Value::Null),
            ("auth", json!("sso"), Value::Null),
            ("enabled", json!(true), Value::Null),
            ("capture", json!("full"), Value::Null),
            ("upstream_auth", json!("none"), Value::Null),
            ("identity_jwt_header", json!("x-mcpcp-identity"), Value::Null),
            ("groups", json!(["eng"]), json!([])),
            ("active_tokens", json!(1), json!(0)),
        ])
    );
}

#[test]
fn bad_input_is_refused_with_a_clear_error_and_changes_nothing() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "taken", "--url", "https://a.example/mcp"]);
    refused(
        &m,
        &["server", "create", "Bad_Name", "--url", "https://a.example/mcp"],
        2,
        "invalid server name \"Bad_Name\"",
    );
    refused(&m, &["server", "create", &"a".repeat(64), "--url", "https://a.example/mcp"], 2, "invalid server name");
    refused(&m, &["server", "create", "taken", "--url", "https://b.example/mcp"], 1, "already exists");
    refused(&m, &["server", "create", "s", "--url", "ftp://a.example"], 2, "scheme must be http or https");
    refused(&m, &["server", "create", "s", "--url", "not a url"], 2, "invalid URL");
    refused(&m, &["server", "create", "s", "--url", "https://user:pw@a.example/mcp"], 2, "credentials in the URL");
    // Credentials in the query are refused too, and the refusal does not print them back.
    for url in [
        "https://a.example/mcp?api_key=s3cr3t",
        "https://a.example/mcp?x=1&Access_Token=s3cr3t",
        "https://a.example/mcp?sig=s3cr3t",
    ] {
        let err = m.fails(&["server", "create", "s", "--url", url], 2);
        assert!(err.contains("looks like a credential"), "{err}");
        assert!(!err.contains("s3cr3t"), "the secret is not printed back: {err}");
    }
    m.ok(&["server", "create", "s", "--url", "https://a.example/mcp?tenant=acme&region=eu"]);
    refused(&m, &["server", "create", "s", "--command", "x 'unbalanced"], 2, "unbalanced quotes");
    refused(&m, &["server", "create", "s", "--command", "   "], 2, "command: it is empty");
    refused(&m, &["server", "create", "s", "--command", "x", "--env", "1BAD=v"], 2, "invalid --env key");
    refused(&m, &["server", "create", "s", "--command", "x", "--env", "NOEQUALS"], 2, "expected KEY=VALUE");
    refused(&m, &["server", "create", "s", "--command", "x", "--env", "A=1", "--env", "A=2"], 2, "given twice");
    refused(&m, &["server", "show", "nope"], 1, "no server named \"nope\"");
    refused(&m, &["server", "rename", "nope", "x"], 1, "no server named \"nope\"");
    refused(&m, &["server", "rename", "taken", "taken"], 1, "already called that");
    refused(&m, &["server", "rename", "taken", "Bad"], 2, "invalid server name");
    refused(&m, &["server", "delete", "nope"], 1, "no server named");
    refused(&m, &["server", "enable", "nope"], 1, "no server named");
}

#[test]
fn usage_errors_exit_with_two() {
    let m = Mcpcp::new();
    // Neither or both of --url and --command.
    let r = m.run(&["server", "create", "s"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = m.run(&["server", "create", "s", "--url", "https://a/mcp", "--command", "x"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // --env belongs to --command.
    let r = m.run(&["server", "create", "s", "--url", "https://a/mcp", "--env", "A=1"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = m.run(&["server", "create", "s", "--url", "https://a.example/mcp", "--auth", "magic"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("invalid value 'magic'") && r.stderr.contains("api-token, password, sso"),
        "{}",
        r.stderr
    );
    let r = m.run(&["server", "frobnicate"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn ip_rules_are_listed_normalised_and_audited() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--url", "https://a.example/mcp"]);
    let l = m.json(&["server", "ip", "files", "allow", "10.1.2.3/8"]);
    assert_eq!(l["allow"], json!(["10.0.0.0/8"]), "stored as the network");
    let e = m.last_audit();
    assert_eq!(e["action"], "server.ip_allow");
    assert_eq!(e["changes"], json!({"ip_allow": {"before": [], "after": ["10.0.0.0/8"]}}));
    m.ok(&["server", "ip", "files", "deny", "2001:db8::1"]);
    m.ok(&["server", "ip", "files", "deny", "10.9.0.0/16"]);
    let l = m.json(&["server", "ip", "files", "list"]);
    assert_eq!(l, json!({"server": "files", "allow": ["10.0.0.0/8"], "deny": ["10.9.0.0/16", "2001:db8::1/128"]}));
    // Moving a range from allow to deny is one change.
    m.ok(&["server", "ip", "files", "deny", "10.0.0.0/8"]);
    let e = m.last_audit();
    assert_eq!(e["changes"]["ip_allow"], json!({"before": ["10.0.0.0/8"], "after": []}));
    m.ok(&["server", "ip", "files", "remove", "10.0.0.0/8"]);
    assert_eq!(m.last_audit()["action"], "server.ip_remove");

    refused(&m, &["server", "ip", "files", "allow", "10.0.0.0/33"], 2, "invalid CIDR \"10.0.0.0/33\"");
    refused(&m, &["server", "ip", "files", "deny", "example.com"], 2, "invalid CIDR");
    refused(&m, &["server", "ip", "files", "deny", "10.9.0.0/16"], 1, "already has 10.9.0.0/16 on its deny list");
    refused(&m, &["server", "ip", "files", "remove", "192.0.2.0/24"], 1, "has no rule for 192.0.2.0/24");
    refused(&m, &["server", "ip", "nosuch", "allow", "10.0.0.0/8"], 1, "no server named \"nosuch\"");
    m.ok(&["server", "delete", "files"]);
    let left: i64 = m.sqlite().query_row("SELECT count(*) FROM server_ip_rules", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0, "rules go with their server");
}
