//! `mcpcp role` and `mcpcp admin`: roles, admins, bindings and admin tokens as data, each change
//! audited, secrets never shown twice, bad input refused with nothing changed. What an admin may
//! do with its token is in the admin API's tests.

use serde_json::{Value, json};

use crate::support::{Mcpcp, refused};

const PASSWORD: &str = "correct horse battery staple\n";

fn setup() -> Mcpcp {
    let m = Mcpcp::new();
    for s in ["a", "b"] {
        m.ok(&["server", "create", s, "--url", &format!("https://{s}.example.com/mcp")]);
    }
    m
}

#[test]
fn permissions_and_built_in_roles_are_listed() {
    let m = setup();
    let permissions = m.json(&["role", "permissions"]);
    let names: Vec<&str> = permissions.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for p in [
        "server.create",
        "server.update",
        "server.delete",
        "tool.manage",
        "token.manage",
        "policy.manage",
        "user.manage",
        "group.manage",
        "sso.manage",
        "siem.manage",
        "logs.read",
        "audit.read",
        "admin.manage",
    ] {
        assert!(names.contains(&p), "{p} missing from {names:?}");
    }
    assert_eq!(permissions[0]["reach"], "server", "{permissions}");
    let roles = m.json(&["role", "list"]);
    let by_name = |n: &str| roles.as_array().unwrap().iter().find(|r| r["name"] == n).cloned().unwrap();
    assert_eq!(by_name("owner")["permissions"].as_array().unwrap().len(), names.len());
    assert_eq!(by_name("auditor")["permissions"], json!(["audit.read", "logs.read"]));
    assert_eq!(by_name("server-manager")["builtin"], true);
    assert!(!by_name("admin")["permissions"].as_array().unwrap().contains(&json!("admin.manage")));
    let table = m.ok(&["role", "show", "viewer"]);
    assert!(table.contains("built-in") && table.contains("server.read"), "{table}");
}

#[test]
fn custom_roles_are_created_updated_and_deleted_each_audited() {
    let m = setup();
    let r = m.json(&[
        "role",
        "create",
        "token-desk",
        "--allow",
        "token.manage",
        "--allow",
        "server.read",
        "--description",
        "issues tokens",
    ]);
    assert_eq!(r["permissions"], json!(["server.read", "token.manage"]));
    assert_eq!(r["builtin"], false);
    assert_eq!(m.last_audit()["action"], "role.create");
    let r = m.json(&["role", "update", "token-desk", "--allow", "server.*"]);
    assert_eq!(r["permissions"], json!(["server.create", "server.delete", "server.read", "server.update"]));
    assert_eq!(r["description"], "issues tokens");
    let entry = m.last_audit();
    assert_eq!(entry["action"], "role.update");
    assert_eq!(entry["changes"]["permissions"]["before"], json!(["server.read", "token.manage"]));
    // Held: not deletable; released: deleted.
    m.ok(&["admin", "create", "erin"]);
    m.ok(&["admin", "grant", "erin", "token-desk", "--server", "a"]);
    refused(&m, &["role", "delete", "token-desk"], 1, "still held");
    m.ok(&["admin", "revoke", "erin", "token-desk", "--server", "a"]);
    m.ok(&["role", "delete", "token-desk"]);
    assert_eq!(m.last_audit()["action"], "role.delete");
    refused(&m, &["role", "show", "token-desk"], 1, "no role named \"token-desk\"");
}

#[test]
fn bad_roles_exit_2_and_change_nothing() {
    let m = setup();
    refused(&m, &["role", "create", "x", "--allow", "logs.write"], 2, "unknown permission \"logs.write\"");
    refused(&m, &["role", "create", "x", "--allow", "bogus.*"], 2, "bogus");
    refused(&m, &["role", "create", "x", "--allow", ","], 2, "at least one permission");
    refused(&m, &["role", "create", "auditor", "--allow", "logs.read"], 2, "built-in role");
    refused(&m, &["role", "create", "Bad_Name", "--allow", "logs.read"], 2, "invalid role name");
    refused(&m, &["role", "update", "owner", "--allow", "logs.read"], 2, "cannot be changed");
    refused(&m, &["role", "delete", "viewer"], 2, "cannot be deleted");
    refused(&m, &["role", "update", "nope", "--allow", "logs.read"], 1, "no role named \"nope\"");
    refused(&m, &["role", "bind", "nope", "--idp-group", "ops"], 1, "no role named");
    refused(&m, &["role", "bind", "auditor", "--idp-group", "ops", "--server", "zzz"], 1, "no server named \"zzz\"");
}

#[test]
fn identity_provider_groups_are_bound_to_roles() {
    let m = setup();
    let b = m.json(&["role", "bind", "auditor", "--idp-group", "secops"]);
    assert_eq!(
        b,
        json!([{"idp_group": "secops", "role": "auditor", "server": null, "created_at": b[0]["created_at"]}])
    );
    m.ok(&["role", "bind", "server-manager", "--idp-group", "platform", "--server", "a"]);
    assert_eq!(m.last_audit()["action"], "role.bind");
    refused(&m, &["role", "bind", "auditor", "--idp-group", "secops"], 1, "already holds");
    let all = m.json(&["role", "bindings"]);
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    m.ok(&["role", "unbind", "auditor", "--idp-group", "secops"]);
    refused(&m, &["role", "delete", "auditor"], 2, "cannot be deleted");
    assert_eq!(m.json(&["role", "bindings"]).as_array().unwrap().len(), 1);
}

#[test]
fn admins_hold_roles_everywhere_or_on_servers_each_change_audited() {
    let m = setup();
    let run = m.run_stdin(
        &["-o", "json", "admin", "create", "dana", "--email", "dana@example.com", "--password-stdin"],
        PASSWORD,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dana: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!((dana["has_password"].as_bool(), dana["bindings"].clone()), (Some(true), json!([])));
    let entry = m.last_audit();
    assert_eq!(entry["action"], "admin.create");
    assert!(!entry.to_string().contains("horse"), "{entry}");
    let dana = m.json(&["admin", "grant", "dana", "server-manager", "--server", "a", "--server", "b"]);
    assert_eq!(
        dana["bindings"],
        json!([{"role": "server-manager", "server": "a"}, {"role": "server-manager", "server": "b"}])
    );
    let dana = m.json(&["admin", "revoke", "dana", "server-manager", "--server", "b"]);
    assert_eq!(dana["bindings"], json!([{"role": "server-manager", "server": "a"}]));
    assert_eq!(m.last_audit()["action"], "admin.revoke");
    m.ok(&["admin", "grant", "dana", "auditor"]);
    let listed = m.ok(&["admin", "list"]);
    assert!(listed.contains("auditor, server-manager@a"), "{listed}");
    // A deleted server takes its scoped bindings with it.
    m.ok(&["server", "delete", "a"]);
    assert_eq!(m.json(&["admin", "show", "dana"])["bindings"], json!([{"role": "auditor", "server": null}]));
    m.ok(&["admin", "disable", "dana"]);
    assert_eq!(m.json(&["admin", "show", "dana"])["disabled"], true);
    m.ok(&["admin", "enable", "dana"]);
    let run = m.run_stdin(&["admin", "passwd", "dana", "--password-stdin"], "another long passphrase\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(m.last_audit()["action"], "admin.passwd");
    m.ok(&["admin", "delete", "dana"]);
    assert_eq!(m.last_audit()["action"], "admin.delete");
    // The person at the machine may remove the last owner admin (it is an owner regardless).
    m.ok(&["admin", "create", "olga"]);
    m.ok(&["admin", "grant", "olga", "owner"]);
    m.ok(&["admin", "delete", "olga"]);
}

#[test]
fn bad_admin_input_exits_2_and_changes_nothing() {
    let m = setup();
    m.ok(&["admin", "create", "dana"]);
    refused(&m, &["admin", "create", "Dana!"], 2, "invalid admin name");
    refused(&m, &["admin", "create", "x", "--email", "nope"], 2, "email");
    refused(&m, &["admin", "create", "dana"], 1, "already exists");
    refused(&m, &["admin", "grant", "dana", "nope"], 1, "no role named \"nope\"");
    refused(&m, &["admin", "grant", "dana", "auditor", "--server", "zzz"], 1, "no server named \"zzz\"");
    refused(&m, &["admin", "grant", "nobody", "auditor"], 1, "no admin named \"nobody\"");
    refused(&m, &["admin", "revoke", "dana", "auditor"], 1, "does not hold");
    let before = m.dump();
    assert_eq!(m.run_stdin(&["admin", "create", "x", "--password-stdin"], "").code, 2);
    assert_eq!(m.dump(), before);
}

#[test]
fn admin_tokens_are_shown_once_narrowed_never_widened_and_revoked() {
    let m = setup();
    m.ok(&["admin", "create", "ci"]);
    m.ok(&["admin", "grant", "ci", "server-manager", "--server", "a"]);
    let created = m.json(&[
        "admin",
        "token",
        "create",
        "ci",
        "--name",
        "deploy",
        "--expires",
        "90d",
        "--role",
        "server-manager",
        "--server",
        "a",
    ]);
    let secret = created["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("mcpcpa_") && secret.len() > 40, "{created}");
    assert_eq!((created["role"].as_str(), created["servers"].clone()), (Some("server-manager"), json!(["a"])));
    assert!(created["expires_at"].is_string());
    let entry = m.last_audit();
    assert_eq!(entry["action"], "admin.token.create");
    // Shown once: in no listing, no audit entry, nowhere in the database.
    let listed = m.ok(&["-o", "json", "admin", "token", "list"]);
    let audit = m.ok(&["-o", "json", "audit", "list"]);
    assert!(!listed.contains(&secret) && !audit.contains(&secret));
    assert!(!m.dump().contains(&secret[7..]), "the secret is stored");
    // Never widened: a role the admin lacks, a server it holds nothing on, a role held only on a.
    refused(&m, &["admin", "token", "create", "ci", "--role", "auditor"], 2, "never widened");
    refused(&m, &["admin", "token", "create", "ci", "--server", "b"], 2, "holds no role on server \"b\"");
    refused(&m, &["admin", "token", "create", "ci", "--role", "server-manager"], 2, "never widened");
    refused(&m, &["admin", "token", "create", "ci", "--role", "server-manager", "--server", "b"], 2, "never widened");
    refused(&m, &["admin", "token", "create", "ci", "--name", "deploy"], 1, "already has a token named");
    refused(&m, &["admin", "token", "create", "ci", "--expires", "soon"], 2, "");
    // Narrowed to the servers alone, or not at all: fine.
    m.ok(&["admin", "token", "create", "ci", "--server", "a"]);
    m.ok(&["admin", "token", "create", "ci"]);
    let id = created["id"].as_i64().unwrap().to_string();
    let revoked = m.json(&["admin", "token", "revoke", &id]);
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(m.last_audit()["action"], "admin.token.revoke");
    refused(&m, &["admin", "token", "revoke", &id], 1, "already revoked");
    refused(&m, &["admin", "token", "revoke", "x1"], 2, "invalid admin token id");
    let tokens = m.json(&["admin", "token", "list", "ci"]);
    assert_eq!(tokens.as_array().unwrap().len(), 3, "{tokens}");
}
