//! Opening a data directory written by an earlier schema: it is migrated in place, nothing is
//! lost, sealed secrets still open, and the audit chain still verifies.

use serde_json::json;

use crate::support::Mcpcp;

/// `tests/fixtures/state-v1/` is a data directory made with state schema 1 (before per-server
/// capture), with a stdio server holding a sealed environment, a token, a user in a group and a
/// stopped tool. It is copied, never opened in place.
#[test]
fn a_schema_1_data_directory_is_migrated_without_loss() {
    let m = Mcpcp::new();
    std::fs::create_dir_all(m.data_dir()).unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/state-v1");
    for file in ["state.db", "secret.key"] {
        std::fs::copy(fixture.join(file), m.data_dir().join(file)).unwrap();
    }
    let version = |m: &Mcpcp| -> i64 { m.sqlite().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap() };
    assert_eq!(version(&m), 1);

    let files = m.json(&["server", "show", "files"]);
    assert_eq!(version(&m), 19);
    assert_eq!(files["capture"], "full", "existing servers get the default");
    assert_eq!(files["identity_forward"], json!([]), "existing servers forward no identity");
    assert_eq!(files["identity_jwt_header"], "x-mcpcp-identity");
    assert_eq!(files["env"], json!(["API_KEY"]));
    assert_eq!(files["command"], json!(["files-server", "--root", "/srv"]));
    assert_eq!(files["tools"], json!({"started": 0, "stopped": 1}));
    assert_eq!(files["groups"], json!(["eng"]));
    assert_eq!(m.json(&["server", "show", "web"])["auth"], "password");
    let tokens = m.json(&["token", "list"]);
    assert_eq!(tokens[0]["name"], "ci");
    assert_eq!(tokens[0]["status"], "active");
    let alice = m.json(&["user", "show", "alice"]);
    assert_eq!(alice["has_password"], true);
    assert_eq!(alice["groups"], json!(["eng"]));
    let v = m.json(&["audit", "verify"]);
    assert_eq!(v["entries"], 7);
    assert_eq!(v["broken"], serde_json::Value::Null);
    // New writes extend the old chain; the sealed environment still opens (the gateway unseals it).
    m.ok(&["server", "capture", "files", "metadata"]);
    assert_eq!(m.json(&["audit", "verify"])["entries"], 8);
    let key: [u8; 32] = std::fs::read(m.data_dir().join("secret.key")).unwrap().try_into().unwrap();
    let sealed: Vec<u8> =
        m.sqlite().query_row("SELECT env_sealed FROM servers WHERE name = 'files'", [], |r| r.get(0)).unwrap();
    let plain = mcpcp::secrets::SealKey::from_bytes(key).open(mcpcp::secrets::purpose::SERVER_ENV, &sealed).unwrap();
    assert_eq!(String::from_utf8(plain).unwrap(), r#"{"API_KEY":"v1-secret"}"#);
    assert_eq!(files["kind"], "proxy", "schema 17 rebuilt `servers` with its rows");
    // Ids are never reused: the rebuilt table's sequence continues the old one.
    let (max_id, seq): (i64, i64) = m
        .sqlite()
        .query_row("SELECT (SELECT max(id) FROM servers), seq FROM sqlite_sequence WHERE name = 'servers'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(seq >= max_id, "sequence {seq} behind the largest id {max_id}");
    let fresh = m.json(&["server", "create", "later", "--composed"]);
    assert!(fresh["id"].as_i64().unwrap() > seq, "{fresh}");
}
