//! Generated documentation kept in the repository: the man pages under `packaging/man/`, the
//! configuration reference and the JSON Schemas of `--output json`. `UPDATE_EXPECT=1` rewrites
//! them; without it a stale file fails its test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compares `generated` with the committed files in `dir` (those whose names `ours` accepts),
/// or rewrites them under `UPDATE_EXPECT=1`. Committed files no longer generated are stale too.
fn check_generated(dir: &Path, ours: impl Fn(&str) -> bool, generated: &BTreeMap<String, Vec<u8>>, how: &str) {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    std::fs::create_dir_all(dir).unwrap();
    let committed: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| ours(name))
        .collect();
    for name in &committed {
        if !generated.contains_key(name) {
            if update {
                std::fs::remove_file(dir.join(name)).unwrap();
            } else {
                panic!("{} is no longer generated: run `{how}` and commit the result", dir.join(name).display());
            }
        }
    }
    for (name, bytes) in generated {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, bytes).unwrap();
            continue;
        }
        let old = std::fs::read(&path).unwrap_or_default();
        assert!(&old == bytes, "{} is stale: run `{how}` and commit the result", path.display());
    }
}

/// One man page per command and subcommand, rendered from the clap definition.
fn man_pages() -> BTreeMap<String, Vec<u8>> {
    fn walk(cmd: clap::Command, out: &mut BTreeMap<String, Vec<u8>>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            walk(sub, out);
        }
        let man = clap_mangen::Man::new(cmd).manual("mcpcp manual");
        let mut page = Vec::new();
        man.render(&mut page).unwrap();
        out.insert(man.get_filename(), page);
    }
    use clap::CommandFactory;
    let mut cmd = mcpcp::cli::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = BTreeMap::new();
    walk(cmd, &mut out);
    out
}

/// The committed man pages match the CLI. `UPDATE_EXPECT=1` rewrites them.
#[test]
fn man_pages_are_up_to_date() {
    let pages = man_pages();
    assert!(pages.contains_key("mcpcp.1") && pages.contains_key("mcpcp-server-create.1"), "{:?}", pages.keys());
    check_generated(
        &root().join("packaging/man"),
        |name| name.ends_with(".1"),
        &pages,
        "UPDATE_EXPECT=1 cargo test --test it man_pages",
    );
}

/// The committed JSON Schemas match the types that print `--output json`.
#[test]
fn json_schemas_are_up_to_date() {
    let generated: BTreeMap<String, Vec<u8>> = mcpcp::cli::json_schemas()
        .into_iter()
        .map(|s| {
            (
                format!("{}.schema.json", s.name),
                format!("{}\n", serde_json::to_string_pretty(&s.schema).unwrap()).into_bytes(),
            )
        })
        .collect();
    check_generated(
        &root().join("packaging/schema"),
        |name| name.ends_with(".schema.json"),
        &generated,
        "UPDATE_EXPECT=1 cargo test --test it json_schemas",
    );
}

fn schema(name: &str) -> Value {
    let s = mcpcp::cli::json_schemas().into_iter().find(|s| s.name == name).unwrap();
    serde_json::to_value(&s.schema).unwrap()
}

/// Checks `value` against the parts of JSON Schema that schemars emits: `$ref` into `$defs`,
/// `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`,
/// `anyOf`/`oneOf`/`allOf` and `minimum`. Returns the first mismatch as `path: problem`.
fn validate(root: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    let s = match schema {
        Value::Bool(true) => return Ok(()),
        Value::Bool(false) => return Err(format!("{path}: no value is allowed here")),
        Value::Object(s) => s,
        _ => return Err(format!("{path}: unsupported schema {schema}")),
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").ok_or_else(|| format!("{path}: unsupported $ref {r}"))?;
        validate(root, &root["$defs"][name], value, path)?;
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !types.iter().any(|t| *t == actual || (*t == "number" && actual == "integer")) {
            return Err(format!("{path}: {actual} where the schema says {t}"));
        }
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), value.as_f64())
        && n < min
    {
        return Err(format!("{path}: {n} is below the minimum {min}"));
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        return Err(format!("{path}: {value} is not one of {e:?}"));
    }
    if let Some(c) = s.get("const")
        && c != value
    {
        return Err(format!("{path}: {value} is not {c}"));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = s.get(key).and_then(Value::as_array) {
            let errors: Vec<String> = options.iter().filter_map(|o| validate(root, o, value, path).err()).collect();
            if errors.len() == options.len() {
                return Err(format!("{path}: matches none of {key}: {}", errors.join("; ")));
            }
        }
    }
    for option in s.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        validate(root, option, value, path)?;
    }
    if let Value::Object(obj) = value {
        let properties = s.get("properties").and_then(Value::as_object);
        for required in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            let required = required.as_str().unwrap_or_default();
            if !obj.contains_key(required) {
                return Err(format!("{path}: the required property {required:?} is missing"));
            }
        }
        for (k, v) in obj {
            let child = format!("{path}.{k}");
            match (properties.and_then(|p| p.get(k)), s.get("additionalProperties")) {
                (Some(p), _) => validate(root, p, v, &child)?,
                (None, Some(extra)) => validate(root, extra, v, &child)?,
                // New fields may be added: an object without a rule for unknown members allows
                // them, as the contract says; but every field printed today must be in the schema.
                (None, None) if properties.is_some() => {
                    return Err(format!("{child}: printed but not in the schema"));
                }
                (None, None) => {}
            }
        }
    }
    if let (Value::Array(items), Some(item)) = (value, s.get("items")) {
        for (i, v) in items.iter().enumerate() {
            validate(root, item, v, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

fn conforms(name: &str, value: &Value) {
    let schema = schema(name);
    if let Err(e) = validate(&schema, &schema, value, "$") {
        panic!("output does not match {name}.schema.json: {e}\n{value:#}");
    }
}

fn conforms_each(name: &str, value: &Value) {
    let items = value.as_array().unwrap_or_else(|| panic!("expected an array of {name}: {value}"));
    assert!(!items.is_empty(), "expected at least one {name}");
    for item in items {
        conforms(name, item);
    }
}

/// Real `--output json` documents of every shape validate against their schemas.
#[test]
fn json_output_matches_the_schemas() {
    let m = crate::support::Mcpcp::new();
    conforms("server", &m.json(&["server", "create", "files", "--url", "https://files.example.com/mcp"]));
    conforms("server", &m.json(&["server", "create", "gh", "--command", "npx -y server-github", "--env", "TOKEN_A=x"]));
    conforms("server-limits", &m.json(&["server", "limits", "files"]));
    conforms("server-limits", &m.json(&["server", "limits", "files", "--rate", "100/1m", "--quota", "500/day"]));
    conforms("server-ip", &m.json(&["server", "ip", "files", "allow", "10.0.0.0/8"]));
    conforms("server-ip", &m.json(&["server", "ip", "files", "list"]));
    conforms_each("server", &m.json(&["server", "list"]));
    conforms("server-detail", &m.json(&["server", "show", "files"]));
    conforms("server-detail", &m.json(&["server", "show", "gh"]));
    conforms("server", &m.json(&["server", "disable", "gh"]));
    m.insert_tool("files", "search", "started");
    conforms_each("tool", &m.json(&["tool", "list", "files"]));
    conforms("tool", &m.json(&["tool", "stop", "files", "search"]));
    conforms("created-token", &m.json(&["token", "create", "files", "--name", "ci", "--expires", "30d"]));
    conforms("created-token", &m.json(&["token", "create", "files"]));
    conforms("token", &m.json(&["token", "revoke", "2"]));
    conforms_each("token", &m.json(&["token", "list"]));
    let alice = m.run_stdin(
        &["-o", "json", "user", "create", "alice", "--email", "a@example.com", "--password-stdin"],
        "password123",
    );
    assert_eq!(alice.code, 0, "{}", alice.stderr);
    conforms("user", &serde_json::from_str(&alice.stdout).unwrap());
    conforms("user", &m.json(&["user", "create", "bob"]));
    conforms("group", &m.json(&["group", "create", "eng"]));
    conforms("group", &m.json(&["group", "add", "eng", "alice", "bob"]));
    conforms("group", &m.json(&["group", "grant", "eng", "files"]));
    conforms_each("group", &m.json(&["group", "list"]));
    conforms_each("user", &m.json(&["user", "list"]));
    conforms("user", &m.json(&["user", "show", "alice"]));
    conforms("server-identity", &m.json(&["server", "identity", "files"]));
    conforms("server-identity", &m.json(&["server", "identity", "files", "--forward", "headers,jwt"]));
    conforms("server-detail", &m.json(&["server", "show", "files"]));
    conforms("key-rotation", &m.json(&["key", "rotate"]));
    conforms_each("signing-key", &m.json(&["key", "list"]));
    conforms("server", &m.json(&["server", "delete", "gh"]));
    conforms("siem-sink", &m.json(&["siem", "add", "soc", "--syslog", "tcp://127.0.0.1:6514", "--server", "files"]));
    let splunk = m.run_stdin(
        &[
            "-o",
            "json",
            "siem",
            "add",
            "splunk",
            "--hec",
            "https://splunk.example:8088",
            "--token-stdin",
            "--index",
            "main",
        ],
        "a-hec-token\n",
    );
    assert_eq!(splunk.code, 0, "{}", splunk.stderr);
    conforms("siem-sink", &serde_json::from_str(&splunk.stdout).unwrap());
    conforms(
        "siem-sink",
        &m.json(&["siem", "add", "otel", "--otlp", "http://127.0.0.1:4318", "--header", "X-Team=mcp"]),
    );
    conforms("siem-sink", &m.json(&["siem", "pause", "soc"]));
    conforms_each("siem-sink", &m.json(&["siem", "list"]));
    conforms("siem-sink", &m.json(&["siem", "show", "soc"]));
    conforms_each("siem-status", &m.json(&["siem", "status"]));
    conforms("permissions", &m.json(&["role", "permissions"]));
    conforms("role", &m.json(&["role", "create", "desk", "--allow", "token.manage", "--description", "d"]));
    conforms("role", &m.json(&["role", "update", "desk", "--allow", "server.read,token.manage"]));
    conforms_each("role", &m.json(&["role", "list"]));
    conforms("role", &m.json(&["role", "show", "owner"]));
    conforms_each("idp-binding", &m.json(&["role", "bind", "desk", "--idp-group", "ops", "--server", "files"]));
    conforms_each("idp-binding", &m.json(&["role", "bindings"]));
    conforms("admin", &m.json(&["admin", "create", "dana", "--email", "d@example.com"]));
    conforms("admin", &m.json(&["admin", "grant", "dana", "desk", "--server", "files"]));
    conforms("admin", &m.json(&["admin", "grant", "dana", "auditor"]));
    conforms_each("admin", &m.json(&["admin", "list"]));
    conforms("admin", &m.json(&["admin", "show", "dana"]));
    conforms(
        "created-admin-token",
        &m.json(&["admin", "token", "create", "dana", "--role", "desk", "--server", "files"]),
    );
    conforms("created-admin-token", &m.json(&["admin", "token", "create", "dana", "--expires", "30d"]));
    conforms("admin-token", &m.json(&["admin", "token", "revoke", "1"]));
    conforms_each("admin-token", &m.json(&["admin", "token", "list"]));
    conforms("admin", &m.json(&["admin", "disable", "dana"]));
    m.ok(&["role", "unbind", "desk", "--idp-group", "ops", "--server", "files"]);
    conforms_each("audit-entry", &m.json(&["audit", "list", "-n", "1000"]));
    conforms("audit-verify", &m.json(&["audit", "verify"]));
    conforms("config-check", &m.json(&["config", "check"]));
    let sso = m.run_stdin(
        &[
            "-o",
            "json",
            "sso",
            "set",
            "--issuer",
            "https://idp.example/realms/x",
            "--client-id",
            "mcpcp",
            "--client-secret-stdin",
            "--groups-claim",
            "groups",
            "--group-map",
            "engineering=eng",
        ],
        "idp-client-secret",
    );
    assert_eq!(sso.code, 0, "{}", sso.stderr);
    conforms("sso", &serde_json::from_str(&sso.stdout).unwrap());
    conforms("sso", &m.json(&["sso", "show"]));
    let file = m.dir.path().join("mcpcp.toml");
    std::fs::write(
        &file,
        "public_url = \"https://mcp.example.com\"\ntrusted_proxies = [\"10.0.0.0/8\"]\n[tls]\nself_signed = true\n",
    )
    .unwrap();
    conforms("config-check", &m.json(&["--config", file.to_str().unwrap(), "config", "check"]));
}

/// A broken audit chain still prints its document, with `broken` set.
#[test]
fn a_broken_audit_chain_matches_its_schema() {
    let m = crate::support::Mcpcp::new();
    m.ok(&["server", "create", "files", "--url", "https://files.example.com/mcp"]);
    m.ok(&["server", "disable", "files"]);
    m.sqlite().execute("UPDATE audit SET actor_name = 'mallory' WHERE id = 1", []).unwrap();
    let r = m.run(&["-o", "json", "audit", "verify"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["broken"].is_object(), "{v}");
    conforms("audit-verify", &v);
}

/// The validator above finds what it is for: a missing field, a wrong type, an unknown field.
#[test]
fn the_schema_check_finds_mismatches() {
    let s = schema("audit-verify");
    let head = "0".repeat(64);
    let good = serde_json::json!({"entries": 0, "head": head, "broken": null});
    assert_eq!(validate(&s, &s, &good, "$"), Ok(()));
    for bad in [
        serde_json::json!({"entries": 0, "broken": null}),
        serde_json::json!({"entries": "0", "head": head, "broken": null}),
        serde_json::json!({"entries": 0, "head": head, "broken": {"id": 1}}),
        serde_json::json!({"entries": 0, "head": head, "broken": null, "extra": 1}),
    ] {
        assert!(validate(&s, &s, &bad, "$").is_err(), "{bad}");
    }
}

/// `packaging/mcpcp.toml.example` is generated from the table of keys, and parses as the
/// defaults once uncommented.
#[test]
fn config_reference_is_up_to_date() {
    let example = mcpcp::config::example_file();
    let generated = BTreeMap::from([("mcpcp.toml.example".to_string(), example.clone().into_bytes())]);
    check_generated(
        &root().join("packaging"),
        |name| name == "mcpcp.toml.example",
        &generated,
        "UPDATE_EXPECT=1 cargo test --test it config_reference",
    );
    for key in mcpcp::config::KEYS {
        let field = key.name.rsplit('.').next().unwrap();
        assert!(example.contains(&format!("\n# {field} = ")), "{} is missing from the example", key.name);
        assert!(example.contains(key.env), "{} is missing from the example", key.env);
    }
    // Uncommented, the example is a valid file (data_dir aside: it is refused in DATA_DIR/mcpcp.toml
    // only, and this file is named explicitly).
    let m = crate::support::Mcpcp::new();
    let file = m.dir.path().join("example.toml");
    let uncommented: String = example
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| {
            let key = |k: &str| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            l.split_once(" = ").is_some_and(|(k, _)| key(k))
                || l.strip_prefix('[').and_then(|l| l.strip_suffix(']')).is_some_and(key)
        })
        .filter(|l| !l.starts_with("data_dir") && !l.starts_with("cert") && !l.starts_with("key"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, &uncommented).unwrap();
    let c = m.json(&["--config", file.to_str().unwrap(), "config", "check"]);
    assert_eq!(c["sources"]["listen"], "file", "{uncommented}");
    assert_eq!(c["config"]["activity"]["retention_days"], 30);
}
