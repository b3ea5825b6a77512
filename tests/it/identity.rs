//! `mcpcp server identity` and `mcpcp key`: the setting is shown, changed with one audit entry
//! per change, refused with exit code 2 and nothing changed when malformed; the signing key is
//! made when a server first forwards a JWT, sealed and never shown, and `key rotate` keeps the
//! previous key published.

use serde_json::{Value, json};

use crate::support::{Mcpcp, refused};

fn with_servers() -> Mcpcp {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "api", "--url", "https://api.example.com/mcp"]);
    m.ok(&["server", "create", "files", "--command", "files-server --root /srv"]);
    m
}

#[test]
fn forwarding_is_off_by_default_shown_changed_and_audited() {
    let m = with_servers();
    let shown = m.json(&["server", "identity", "api"]);
    // The JWKS URL is the gateway's, derived from `listen` here (no `public_url` is set).
    let jwks = "http://127.0.0.1:7330/.well-known/jwks.json";
    assert_eq!(
        shown,
        json!({"server": "api", "forward": [], "jwt_header": "x-mcpcp-identity", "signing_key": null, "jwks": jwks})
    );
    let s = m.json(&["server", "show", "api"]);
    assert_eq!(
        (s["identity_forward"].clone(), s["identity_jwt_header"].clone()),
        (json!([]), json!("x-mcpcp-identity"))
    );
    assert!(m.ok(&["server", "show", "api"]).contains("identity forward:     none"));

    // headers alone: no key is made.
    let set = m.json(&["server", "identity", "api", "--forward", "headers"]);
    assert_eq!(set["forward"], json!(["headers"]));
    assert_eq!(set["signing_key"], Value::Null);
    let e = m.last_audit();
    assert_eq!(e["action"], "server.identity");
    assert_eq!(e["resource"]["name"], "api");
    assert_eq!(e["changes"], json!({"identity_forward": {"before": [], "after": ["headers"]}}));

    // Any order, any spacing; the first JWT makes the key in the same transaction and entry.
    let set =
        m.json(&["server", "identity", "api", "--forward", "meta, jwt,headers", "--jwt-header", "X-Backend-Identity"]);
    assert_eq!(set["forward"], json!(["headers", "jwt", "meta"]));
    assert_eq!(set["jwt_header"], "x-backend-identity");
    let kid = set["signing_key"].as_str().expect("a signing key").to_string();
    let e = m.last_audit();
    assert_eq!(
        e["changes"],
        json!({
            "identity_forward": {"before": ["headers"], "after": ["headers", "jwt", "meta"]},
            "identity_jwt_header": {"before": "x-mcpcp-identity", "after": "x-backend-identity"},
            "signing_key": {"before": null, "after": kid},
        })
    );
    assert_eq!(m.json(&["server", "show", "api"])["identity_forward"], json!(["headers", "jwt", "meta"]));
    // The private key is sealed: state.db holds the public key and a sealed blob only.
    let (public, sealed): (Vec<u8>, Vec<u8>) = m
        .sqlite()
        .query_row("SELECT public_key, private_key_sealed FROM signing_keys WHERE kid = ?1", [&kid], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(public.len(), 32);
    assert!(sealed.len() > 48 && sealed[0] == 1, "a sealed value");

    // The same again is refused (exit 1); `none` alone turns it off; the header stays.
    m.fails(&["server", "identity", "api", "--forward", "headers,jwt,meta"], 1);
    let off = m.json(&["server", "identity", "api", "--forward", "none"]);
    assert_eq!(off["forward"], json!([]));
    assert_eq!(off["jwt_header"], "x-backend-identity");
    assert_eq!(off["signing_key"], json!(kid), "the key stays for the next server that forwards a JWT");
    assert_eq!(
        m.last_audit()["changes"],
        json!({"identity_forward": {"before": ["headers", "jwt", "meta"], "after": []}})
    );
    let actions: Vec<Value> = m.audit().iter().map(|e| e["action"].clone()).collect();
    assert_eq!(actions.iter().filter(|a| *a == "server.identity").count(), 3, "{actions:?}");
}

#[test]
fn bad_values_exit_2_and_change_nothing() {
    let m = with_servers();
    m.ok(&["server", "identity", "api", "--forward", "headers"]);
    for bad in ["bogus", "", "none,jwt", "jwt,jwt", "headers,", "HEADERS"] {
        refused(&m, &["server", "identity", "api", "--forward", bad], 2, "--forward");
    }
    for bad in ["Authorization", "X-MCPCP-User", "bad header", "mcp-session-id"] {
        refused(&m, &["server", "identity", "api", "--forward", "jwt", "--jwt-header", bad], 2, "--jwt-header");
    }
    // A stdio upstream has no headers: only meta reaches it.
    refused(&m, &["server", "identity", "files", "--forward", "headers"], 2, "--forward meta");
    refused(&m, &["server", "identity", "files", "--forward", "jwt,meta"], 2, "--forward meta");
    assert_eq!(m.json(&["server", "identity", "files", "--forward", "meta"])["forward"], json!(["meta"]));
    refused(&m, &["server", "identity", "nope", "--forward", "meta"], 1, "no server named");
    assert_eq!(m.json(&["server", "identity", "api"])["forward"], json!(["headers"]));
}

#[test]
fn key_rotate_keeps_the_previous_key_published_and_deletes_older_ones_later() {
    let m = with_servers();
    assert_eq!(m.json(&["key", "list"]), json!([]));
    let first = m.json(&["key", "rotate"]);
    let k1 = first["kid"].as_str().unwrap().to_string();
    assert_eq!((first["previous"].clone(), first["deleted"].clone()), (Value::Null, json!([])));
    let e = m.last_audit();
    assert_eq!(e["action"], "key.rotate");
    assert_eq!(e["resource"]["type"], "signing_key");
    assert_eq!(e["changes"], json!({"current_key": {"before": null, "after": k1}}));
    // A server that forwards a JWT now uses that key; no second one is made.
    assert_eq!(m.json(&["server", "identity", "api", "--forward", "jwt"])["signing_key"], json!(k1));

    let second = m.json(&["key", "rotate"]);
    let k2 = second["kid"].as_str().unwrap().to_string();
    assert_ne!(k1, k2);
    assert_eq!(second["previous"], json!(k1));
    assert!(second["previous_published_until"].as_str().is_some());
    let keys = m.json(&["key", "list"]);
    let status: Vec<(&str, &str)> =
        keys.as_array().unwrap().iter().map(|k| (k["kid"].as_str().unwrap(), k["status"].as_str().unwrap())).collect();
    assert_eq!(status, [(k1.as_str(), "published"), (k2.as_str(), "current")]);
    assert!(!m.ok(&["key", "list"]).contains("BEGIN"), "no private key is shown");

    // Once the retired key's tokens have all expired (it was retired over 120 s ago), the next
    // rotation deletes it.
    m.sqlite()
        .execute("UPDATE signing_keys SET retired_at = '2020-01-01T00:00:00.000000Z' WHERE kid = ?1", [&k1])
        .unwrap();
    assert_eq!(m.json(&["key", "list"])[0]["status"], "retired");
    let third = m.json(&["key", "rotate"]);
    assert_eq!(third["deleted"], json!([k1]));
    assert_eq!(third["previous"], json!(k2));
    assert_eq!(m.last_audit()["changes"]["deleted_keys"], json!({"before": [], "after": [k1]}));
    let kids: Vec<String> =
        m.json(&["key", "list"]).as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_string()).collect();
    assert_eq!(kids, [k2, third["kid"].as_str().unwrap().to_string()]);
    assert_eq!(m.json(&["audit", "verify"])["broken"], Value::Null);
}
