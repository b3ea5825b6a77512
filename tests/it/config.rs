//! `mcpcp config check` and the configuration layers as the binary sees them.

use serde_json::json;

use crate::support::Mcpcp;

#[test]
fn defaults_without_a_file() {
    let m = Mcpcp::new();
    let c = m.json(&["config", "check"]);
    assert_eq!(c["ok"], true);
    assert_eq!(c["file"], serde_json::Value::Null);
    assert_eq!(c["config"]["listen"], "127.0.0.1:7330");
    assert_eq!(c["config"]["activity"]["retention_days"], 30);
    assert_eq!(c["sources"]["listen"], "default");
    assert_eq!(c["sources"]["data_dir"], "flag");
    assert!(!m.data_dir().exists(), "config check must not create the data directory");
    let table = m.ok(&["config", "check"]);
    assert!(table.starts_with("configuration OK"), "{table}");
    assert!(
        table.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["listen", "127.0.0.1:7330", "default"]),
        "{table}"
    );
}

#[test]
fn file_then_env_then_flags() {
    let m = Mcpcp::new();
    let file = m.dir.path().join("mcpcp.toml");
    std::fs::write(
        &file,
        "listen = \"0.0.0.0:8443\"\npublic_url = \"https://mcp.example.com\"\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n\n[activity]\nretention_days = 7\n\n[tls]\nself_signed = true\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let c = m.json(&["--config", path, "config", "check"]);
    assert_eq!(c["file"], path);
    assert_eq!(c["config"]["listen"], "0.0.0.0:8443");
    assert_eq!(c["config"]["public_url"], "https://mcp.example.com/");
    assert_eq!(c["config"]["trusted_proxies"], json!(["10.0.0.0/8", "::1/128"]));
    assert_eq!(c["config"]["tls"]["self_signed"], true);
    assert_eq!(c["sources"]["activity.retention_days"], "file");

    let m = m.env("MCPCP_RETENTION_DAYS", "90").env("MCPCP_CONFIG", path);
    let c = m.json(&["config", "check"]);
    assert_eq!(c["config"]["activity"]["retention_days"], 90);
    assert_eq!(c["sources"]["activity.retention_days"], "env");
    assert_eq!(c["config"]["listen"], "0.0.0.0:8443", "the file named by MCPCP_CONFIG is read");
}

#[test]
fn the_file_in_the_data_directory_is_found() {
    let m = Mcpcp::new();
    std::fs::create_dir_all(m.data_dir()).unwrap();
    std::fs::write(m.data_dir().join("mcpcp.toml"), "[log]\nlevel = \"debug\"\n").unwrap();
    let c = m.json(&["config", "check"]);
    assert_eq!(c["config"]["log"]["level"], "debug");
    assert_eq!(c["sources"]["log.level"], "file");
    std::fs::write(m.data_dir().join("mcpcp.toml"), "data_dir = \"/elsewhere\"\n").unwrap();
    let err = m.fails(&["config", "check"], 1);
    assert!(err.contains("data_dir cannot be set"), "{err}");
}

#[test]
fn errors_name_the_problem() {
    let m = Mcpcp::new();
    let file = m.dir.path().join("bad.toml");
    let path = file.to_str().unwrap();
    for (content, needle) in [
        ("listen = \"127.0.0.1:7330\"\nlisten_port = 1\n", "unknown field `listen_port`"),
        ("[activity]\nretension_days = 3\n", "unknown field `retension_days`"),
        ("listen = \"localhost\"\n", "is not IP:PORT"),
        ("public_url = \"ftp://x\"\n", "must be http(s)"),
        ("trusted_proxies = [\"10.0.0.0/33\"]\n", "not an IP address or CIDR"),
        ("[tls]\ncert = \"c.pem\"\n", "give both a certificate and a key"),
        ("[activity]\nretention_days = 0\n", "at least 1"),
        ("sessions_per_principal = 0\n", "sessions_per_principal: must be at least 1"),
        ("busy_poll_us = 20000\n", "busy_poll_us: must be between 0 and 10000"),
        ("listen = \n", "bad.toml"),
    ] {
        std::fs::write(&file, content).unwrap();
        let err = m.fails(&["--config", path, "config", "check"], 1);
        assert!(err.contains(needle), "{content:?}: {err}");
        // An invalid configuration stops every command, not just `config check`.
        m.fails(&["--config", path, "server", "list"], 1);
    }
    let err = m.fails(&["--config", "/nonexistent/mcpcp.toml", "config", "check"], 1);
    assert!(err.contains("cannot read config file /nonexistent/mcpcp.toml"), "{err}");
    let m = m.env("MCPCP_BUSY_TIMEOUT_MS", "soon");
    let err = m.fails(&["config", "check"], 1);
    assert!(err.contains("MCPCP_BUSY_TIMEOUT_MS") && err.contains("not a number"), "{err}");
}

/// `[telemetry] otlp_endpoint`: shown by `config check` with its source, the environment
/// winning over the file; a value that is not a collector's base URL is refused, naming why.
#[test]
fn the_otlp_endpoint_is_checked() {
    let m = Mcpcp::new();
    let c = m.json(&["config", "check"]);
    assert_eq!(c["config"]["telemetry"]["otlp_endpoint"], serde_json::Value::Null);
    let file = m.dir.path().join("mcpcp.toml");
    std::fs::write(&file, "[telemetry]\notlp_endpoint = \"http://collector:4318\"\n").unwrap();
    let path = file.to_str().unwrap();
    let c = m.json(&["--config", path, "config", "check"]);
    assert_eq!(c["config"]["telemetry"]["otlp_endpoint"], "http://collector:4318");
    assert_eq!(c["sources"]["telemetry.otlp_endpoint"], "file");
    let table = m.ok(&["--config", path, "config", "check"]);
    assert!(
        table.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["telemetry.otlp_endpoint", "http://collector:4318", "file"]),
        "{table}"
    );
    let env = m.env("MCPCP_OTLP_ENDPOINT", "https://otel.example/ingest/");
    let c = env.json(&["--config", path, "config", "check"]);
    assert_eq!(c["config"]["telemetry"]["otlp_endpoint"], "https://otel.example/ingest");
    assert_eq!(c["sources"]["telemetry.otlp_endpoint"], "env");
    let bad = Mcpcp::new().env("MCPCP_OTLP_ENDPOINT", "http://collector:4318/v1/traces");
    let err = bad.fails(&["config", "check"], 1);
    assert!(err.contains("MCPCP_OTLP_ENDPOINT") && err.contains("mcpcp adds /v1/traces"), "{err}");
}
