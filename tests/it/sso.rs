//! `mcpcp sso …`: the OpenID Connect provider settings. The sign-in itself runs end to end
//! against a real provider in tests/interop (check 10).

use serde_json::{Value, json};

use crate::support::{Mcpcp, refused};

const SECRET: &str = "idp-client-secret-value-1";

fn set_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args =
        vec!["sso", "set", "--issuer", "https://idp.example/realms/x", "--client-id", "mcpcp", "--client-secret-stdin"];
    args.extend_from_slice(extra);
    args
}

#[test]
fn set_show_disable_with_audit_and_sealed_secret() {
    let m = Mcpcp::new();
    m.ok(&["group", "create", "eng"]);
    refused(&m, &["sso", "show"], 1, "single sign-on is not set up");
    let run = m.run_stdin(&set_args(&["--groups-claim", "groups", "--group-map", "engineering=eng"]), SECRET);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));

    let shown = m.json(&["sso", "show"]);
    assert_eq!(shown["issuer"], "https://idp.example/realms/x");
    assert_eq!(shown["scopes"], json!(["openid", "profile", "email"]));
    assert_eq!(shown["group_map"], json!({ "engineering": "eng" }));
    assert_eq!(shown["enabled"], true);
    assert!(!m.ok(&["sso", "show"]).contains(SECRET));

    let e = m.last_audit();
    assert_eq!(e["action"], "sso.set");
    assert_eq!(e["changes"]["client_secret"], json!({ "changed": true }), "{e}");
    assert_eq!(e["changes"]["issuer"], json!({ "before": null, "after": "https://idp.example/realms/x" }));
    assert!(!e.to_string().contains(SECRET));

    // Encrypted at rest: the secret's bytes are nowhere in the database.
    let sealed: Vec<u8> = m.sqlite().query_row("SELECT secret_sealed FROM sso", [], |r| r.get(0)).unwrap();
    assert!(!sealed.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));
    assert!(!m.dump().contains(SECRET));

    m.ok(&["sso", "disable"]);
    assert_eq!(m.json(&["sso", "show"])["enabled"], false);
    assert_eq!(m.last_audit()["action"], "sso.disable");
    refused(&m, &["sso", "disable"], 1, "already disabled");

    // Setting again replaces the settings and turns SSO back on.
    let run = m.run_stdin(&set_args(&["--scopes", "openid", "groups"]), SECRET);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown = m.json(&["sso", "show"]);
    assert_eq!(shown["enabled"], true);
    assert_eq!(shown["scopes"], json!(["openid", "groups"]));
    assert_eq!(shown["group_map"], json!({}));
}

#[test]
fn bad_settings_are_refused_and_change_nothing() {
    let m = Mcpcp::new();
    m.ok(&["group", "create", "eng"]);
    let cases: &[(&[&str], &str, i32, &str)] = &[
        (
            &["sso", "set", "--issuer", "http://idp.example", "--client-id", "x", "--client-secret-stdin"],
            SECRET,
            2,
            "use https://",
        ),
        (
            &["sso", "set", "--issuer", "not a url", "--client-id", "x", "--client-secret-stdin"],
            SECRET,
            2,
            "invalid --issuer",
        ),
        (
            &["sso", "set", "--issuer", "https://idp.example", "--client-id", "x", "--client-secret-stdin"],
            "",
            2,
            "no client secret",
        ),
        (
            &[
                "sso",
                "set",
                "--issuer",
                "https://idp.example",
                "--client-id",
                "x",
                "--client-secret-stdin",
                "--groups-claim",
                "g",
                "--group-map",
                "a=nosuch",
            ],
            SECRET,
            1,
            "no group named \"nosuch\"",
        ),
        (
            &[
                "sso",
                "set",
                "--issuer",
                "https://idp.example",
                "--client-id",
                "x",
                "--client-secret-stdin",
                "--group-map",
                "a=eng",
            ],
            SECRET,
            2,
            "--group-map needs --groups-claim",
        ),
        (
            &[
                "sso",
                "set",
                "--issuer",
                "https://idp.example",
                "--client-id",
                "x",
                "--client-secret-stdin",
                "--groups-claim",
                "g",
                "--group-map",
                "noequals",
            ],
            SECRET,
            2,
            "use IDP_GROUP=GROUP",
        ),
    ];
    for (args, input, code, needle) in cases {
        let before = m.dump();
        let err = m.fails_stdin(args, input, *code);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(m.dump(), before, "{args:?} changed the database");
    }
    // The secret is never taken from the command line.
    let err = m.fails(&["sso", "set", "--issuer", "https://idp.example", "--client-id", "x"], 2);
    assert!(err.contains("--client-secret-stdin"), "{err}");
    assert_eq!(m.audit().iter().filter(|e| e["action"].as_str().is_some_and(|a| a.starts_with("sso."))).count(), 0);
    let _: Value = m.json(&["group", "show", "eng"]);
}
