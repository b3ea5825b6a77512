//! `mcpcp siem`: sinks as data (add, list, show, pause, resume, remove, each audited; bad input
//! refused with nothing changed). Delivery to real receivers is in `gateway/siem.rs`.

use serde_json::json;

use crate::support::{Mcpcp, refused};

#[test]
fn sinks_are_added_shown_paused_resumed_and_removed_each_audited() {
    let m = Mcpcp::new();
    let ca = m.dir.path().join("ca.pem");
    let cert = rcgen::generate_simple_self_signed(vec!["siem.test".into()]).unwrap();
    std::fs::write(&ca, cert.cert.pem()).unwrap();
    let soc = m.json(&[
        "siem",
        "add",
        "soc",
        "--syslog",
        "tls://siem.test:6514",
        "--ca",
        ca.to_str().unwrap(),
        "--streams",
        "activity",
        "--status",
        "failure",
        "--where",
        "input.customer=42",
        "--format",
        "cef",
    ]);
    assert_eq!(soc["name"], "soc");
    assert_eq!(soc["url"], "tls://siem.test:6514");
    assert_eq!(soc["format"], "cef");
    assert_eq!(soc["streams"], json!(["activity"]));
    assert_eq!(soc["filter"], json!({"status": "failure", "where": ["input.customer=42"]}));
    assert_eq!(soc["from"], "now");
    assert_eq!(soc["paused"], false);
    assert!(soc["ca"].as_str().unwrap().starts_with("1 certificate (SHA-256 "), "{soc}");
    let entry = m.last_audit();
    assert_eq!(entry["action"], "siem.add");
    assert_eq!(entry["resource"]["type"], "siem_sink");
    assert_eq!(entry["resource"]["name"], "soc");
    assert_eq!(entry["changes"]["url"]["after"], "tls://siem.test:6514");

    let relay = m.json(&["siem", "add", "relay", "--syslog", "udp://[::1]:514", "--from", "beginning"]);
    assert_eq!(relay["streams"], json!(["activity", "audit"]));
    assert_eq!(relay["format"], "rfc5424");
    assert_eq!(relay["from"], "beginning");
    let names: Vec<String> =
        m.json(&["siem", "list"]).as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["relay", "soc"]);
    assert_eq!(m.json(&["siem", "show", "soc"]), soc);
    let table = m.ok(&["siem", "list"]);
    assert!(table.contains("status=failure where input.customer=42"), "{table}");

    assert_eq!(m.json(&["siem", "pause", "soc"])["paused"], true);
    assert_eq!(m.last_audit()["action"], "siem.pause");
    refused(&m, &["siem", "pause", "soc"], 1, "already paused");
    assert_eq!(m.json(&["siem", "resume", "soc"])["paused"], false);
    assert_eq!(m.last_audit()["changes"], json!({"paused": {"before": true, "after": false}}));
    let status = m.json(&["siem", "status"]);
    assert_eq!(status.as_array().unwrap().len(), 2);
    assert_eq!(status[1]["name"], "soc");
    assert_eq!(status[1]["state"], "stopped", "no gateway runs: {status}");
    assert_eq!(status[1]["delivered"], 0);

    m.json(&["siem", "remove", "relay"]);
    assert_eq!(m.last_audit()["action"], "siem.remove");
    assert_eq!(m.json(&["siem", "list"]).as_array().unwrap().len(), 1);
    refused(&m, &["siem", "show", "relay"], 1, "no sink named \"relay\"");
    refused(&m, &["siem", "add", "soc", "--syslog", "tcp://x:1"], 1, "already exists");
}

#[test]
fn bad_sinks_exit_2_and_change_nothing() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--url", "https://files.example.com/mcp"]);
    let dir = m.dir.path();
    let key = dir.join("key.pem");
    let cert = rcgen::generate_simple_self_signed(vec!["siem.test".into()]).unwrap();
    std::fs::write(&key, cert.signing_key.serialize_pem()).unwrap();
    let text = dir.join("notes.pem");
    std::fs::write(&text, "not a certificate\n").unwrap();
    let good_ca = dir.join("ca.pem");
    std::fs::write(&good_ca, cert.cert.pem()).unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--syslog", "not a url"], "invalid syslog receiver"),
        (vec!["--syslog", "http://siem.test:514"], "unknown scheme \"http\""),
        (vec!["--syslog", "tcp://siem.test"], "no port"),
        (vec!["--syslog", "tls://siem.test:6514", "--ca", key.to_str().unwrap()], "give only CA certificates"),
        (vec!["--syslog", "tls://siem.test:6514", "--ca", text.to_str().unwrap()], "no PEM certificate"),
        (vec!["--syslog", "tls://siem.test:6514", "--ca", "/nonexistent/ca.pem"], "--ca /nonexistent/ca.pem"),
        (vec!["--syslog", "tcp://siem.test:514", "--ca", good_ca.to_str().unwrap()], "tls:// receivers only"),
        (vec!["--syslog", "tcp://siem.test:514", "--streams", "activity,traces"], "unknown stream"),
        (vec!["--syslog", "tcp://siem.test:514", "--where", "nonsense"], "expected FIELD=VALUE"),
        (vec!["--syslog", "tcp://siem.test:514", "--where", "colour=red"], "unknown field"),
        (vec!["--syslog", "tcp://siem.test:514", "--from", "yesterday"], "--from"),
        (vec!["--syslog", "tcp://siem.test:514", "--format", "xml"], "invalid value"),
    ];
    for (args, needle) in cases {
        let mut all = vec!["siem", "add", "soc"];
        all.extend(args);
        if needle == "invalid value" {
            // clap's own refusal (exit 2, several lines): nothing is stored either.
            let before = m.dump();
            assert_eq!(m.run(&all).code, 2);
            assert_eq!(m.dump(), before);
            continue;
        }
        refused(&m, &all, 2, needle);
    }
    refused(&m, &["siem", "add", "Bad_Name", "--syslog", "tcp://x:1"], 2, "invalid sink name");
}

const TOKEN: &str = "hec-token-5f0c1e2d-never-shown";
const SECRET: &str = "signing-secret-8a7b6c5d-never-shown";
const API_KEY: &str = "api-key-value-never-shown";

/// `siem add … -o json` with `input` on standard input; the sink as printed.
fn add_json(m: &Mcpcp, args: &[&str], input: &str) -> serde_json::Value {
    let mut all = vec!["-o", "json", "siem", "add"];
    all.extend_from_slice(args);
    let r = m.run_stdin(&all, input);
    assert_eq!(r.code, 0, "mcpcp {all:?}: {}{}", r.stdout, r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn http_sinks_keep_their_credentials_sealed_and_never_show_them() {
    let m = Mcpcp::new();
    let splunk = add_json(
        &m,
        &["splunk", "--hec", "https://splunk.test:8088", "--token-stdin", "--index", "main", "--sourcetype", "mcpcp"],
        &format!("{TOKEN}\n"),
    );
    assert_eq!(splunk["kind"], "hec");
    assert_eq!(splunk["url"], "https://splunk.test:8088/services/collector/event");
    assert_eq!((splunk["index"].as_str(), splunk["sourcetype"].as_str()), (Some("main"), Some("mcpcp")));
    assert_eq!((splunk["token_set"].as_bool(), splunk["secret_set"].as_bool()), (Some(true), Some(false)));
    assert_eq!(splunk["format"], "json");
    let entry = m.last_audit();
    assert_eq!(entry["action"], "siem.add");
    assert_eq!(entry["changes"]["token"], json!({"changed": true}));
    assert_eq!(entry["changes"]["url"]["after"], "https://splunk.test:8088/services/collector/event");

    let hook = add_json(
        &m,
        &[
            "hook",
            "--http",
            "https://hooks.test/ingest?tenant=acme",
            "--secret-stdin",
            "--header",
            "X-Api-Key",
            "--header",
            "X-Source=mcpcp-gateway",
        ],
        &format!("{SECRET}\n{API_KEY}\n"),
    );
    assert_eq!(hook["url"], "https://hooks.test/ingest?tenant=acme");
    assert_eq!(hook["headers"], json!(["x-api-key", "x-source"]));
    assert_eq!((hook["token_set"].as_bool(), hook["secret_set"].as_bool()), (Some(false), Some(true)));
    let entry = m.last_audit();
    assert_eq!(entry["changes"]["secret"], json!({"changed": true}));
    assert_eq!(entry["changes"]["header_values"], json!({"changed": true}));
    assert_eq!(entry["changes"]["headers"]["after"], json!(["x-api-key", "x-source"]));

    let otel = m.json(&["siem", "add", "otel", "--otlp", "http://127.0.0.1:4318", "--streams", "activity"]);
    assert_eq!((otel["kind"].as_str(), otel["url"].as_str()), (Some("otlp"), Some("http://127.0.0.1:4318/v1/logs")));
    // Plain http to another host only when asked for.
    let remote = m.json(&["siem", "add", "collector", "--otlp", "http://collector.test:4318", "--insecure-http"]);
    assert_eq!(remote["url"], "http://collector.test:4318/v1/logs");

    let shown = m.ok(&["siem", "show", "splunk"]);
    assert!(shown.contains("token:") && shown.contains("set (encrypted at rest, never shown)"), "{shown}");
    assert!(shown.contains("index:") && shown.contains("main"), "{shown}");
    let shown = m.ok(&["siem", "show", "hook"]);
    assert!(shown.contains("x-api-key, x-source (values encrypted at rest, never shown)"), "{shown}");
    let mut everything = String::new();
    for args in [
        vec!["siem", "show", "splunk"],
        vec!["siem", "show", "hook"],
        vec!["siem", "list"],
        vec!["siem", "status"],
        vec!["audit", "list"],
        vec!["-o", "json", "siem", "show", "splunk"],
        vec!["-o", "json", "siem", "show", "hook"],
        vec!["-o", "json", "siem", "list"],
        vec!["-o", "json", "siem", "status"],
        vec!["-o", "json", "audit", "list"],
    ] {
        everything.push_str(&m.ok(&args));
    }
    assert!(everything.contains("hooks.test") && everything.contains("splunk.test"));
    for secret in [TOKEN, SECRET, API_KEY, "mcpcp-gateway"] {
        assert!(!everything.contains(secret), "{secret} printed");
        // Sealed at rest: not in the database file either.
        let raw = std::fs::read(m.state_db()).unwrap();
        assert!(!raw.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} stored in the clear");
    }
    // A sealed blob is bound to its sink: copied to another, it no longer opens.
    m.sqlite()
        .execute(
            "UPDATE siem_sinks SET secret_sealed = (SELECT secret_sealed FROM siem_sinks WHERE name = 'splunk')
             WHERE name = 'hook'",
            [],
        )
        .unwrap();
    let err = m.fails(&["siem", "test", "hook"], 1);
    assert!(err.contains("credentials") && err.contains("could not be opened"), "{err}");
    m.json(&["siem", "remove", "splunk"]);
    assert_eq!(m.last_audit()["action"], "siem.remove");
}

#[test]
fn bad_http_sinks_exit_2_and_change_nothing() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "files", "--url", "https://files.example.com/mcp"]);
    let dir = m.dir.path();
    let cert = rcgen::generate_simple_self_signed(vec!["siem.test".into()]).unwrap();
    let key = dir.join("key.pem");
    std::fs::write(&key, cert.signing_key.serialize_pem()).unwrap();
    let text = dir.join("notes.pem");
    std::fs::write(&text, "not a certificate\n").unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, cert.cert.pem()).unwrap();
    let (key, text, ca) = (key.to_str().unwrap(), text.to_str().unwrap(), ca.to_str().unwrap());
    let hec = "https://splunk.test:8088";
    let hook = "https://hooks.test/ingest";
    let otlp = "http://127.0.0.1:4318";
    let token = format!("{TOKEN}\n");
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec!["--hec", "not a url", "--token-stdin"], &token, "--hec \"not a url\""),
        (vec!["--hec", "ftp://splunk.test", "--token-stdin"], &token, "unknown scheme \"ftp\""),
        (vec!["--hec", "http://splunk.test:8088", "--token-stdin"], &token, "--insecure-http"),
        (vec!["--hec", "https://u:p@splunk.test", "--token-stdin"], &token, "credentials in the URL"),
        (vec!["--hec", "https://splunk.test/?a=b", "--token-stdin"], &token, "a query"),
        (vec!["--hec", hec], "", "--hec needs --token-stdin"),
        (vec!["--hec", hec, "--token-stdin"], "", "no HEC token on standard input"),
        (vec!["--hec", hec, "--token-stdin"], "two words\n", "not one word"),
        (vec!["--hec", hec, "--token-stdin", "--ca", text], &token, "no PEM certificate"),
        (vec!["--hec", hec, "--token-stdin", "--ca", key], &token, "give only CA certificates"),
        (vec!["--hec", hec, "--token-stdin", "--index", "Main"], &token, "--index \"Main\""),
        (vec!["--hec", hec, "--token-stdin", "--sourcetype", "a\tb"], &token, "--sourcetype"),
        (vec!["--hec", hec, "--token-stdin", "--header", "X-A=1"], &token, "--header applies to --http and --otlp"),
        (vec!["--hec", hec, "--token-stdin", "--format", "cef"], &token, "--format applies to --syslog"),
        (vec!["--otlp", otlp, "--ca", ca], "", "--ca applies to https:// receivers only"),
        (vec!["--otlp", otlp, "--secret-stdin"], "a-long-enough-secret\n", "--secret-stdin applies to --http"),
        (vec!["--otlp", otlp, "--index", "main"], "", "--index applies to --hec"),
        (vec!["--http", hook, "--header", "Host=evil.test"], "", "set by the gateway itself"),
        (vec!["--http", hook, "--header", "X-MCPCP-Signature=t=1,v1=00"], "", "set by the gateway itself"),
        (vec!["--http", hook, "--header", "Transfer-Encoding=chunked"], "", "set by the gateway itself"),
        (vec!["--http", hook, "--header", "Bad Name=1"], "", "invalid header name"),
        (vec!["--http", hook, "--header", "X-Key"], "", "--header X-Key: no value"),
        (vec!["--http", hook, "--header", "X-Key"], "va\u{1}lue\n", "control"),
        (vec!["--http", hook, "--header", "X-Key=1", "--header", "x-key=2"], "", "given twice"),
        (vec!["--http", hook, "--secret-stdin"], "short\n", "16-4096 bytes"),
        (vec!["--http", hook, "--secret-stdin"], "", "no signing secret on standard input"),
        (vec!["--http", hook, "--token-stdin"], &token, "--token-stdin applies to --hec"),
        (vec!["--syslog", "tcp://siem.test:514", "--insecure-http"], "", "--insecure-http applies"),
        (vec!["--syslog", "tcp://siem.test:514", "--header", "X-A=1"], "", "--header applies"),
    ];
    for (args, input, needle) in cases {
        let mut all = vec!["siem", "add", "soc"];
        all.extend(args);
        let before = m.dump();
        let err = m.fails_stdin(&all, input, 2);
        assert!(err.contains(needle), "mcpcp {all:?}: error should mention {needle:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "mcpcp {all:?}: one line: {err}");
        for secret in [TOKEN, "a-long-enough-secret", "va\u{1}lue", "two words"] {
            assert!(!err.contains(secret), "mcpcp {all:?} echoed a credential: {err}");
        }
        assert_eq!(m.dump(), before, "mcpcp {all:?} changed something");
    }
    // clap's own refusals: two receivers, or none.
    for all in [vec!["siem", "add", "soc", "--hec", hec, "--http", hook], vec!["siem", "add", "soc", "--token-stdin"]] {
        let before = m.dump();
        assert_eq!(m.run(&all).code, 2, "{all:?}");
        assert_eq!(m.dump(), before);
    }
}
