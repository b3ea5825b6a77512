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
