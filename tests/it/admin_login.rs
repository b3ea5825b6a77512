//! Which admin a verified identity signs in as (`ops::admin_login::sign_in`, what the gateway
//! calls once the identity provider answered `mcpcp admin login`): by `--sso-subject`, bare or
//! with its issuer; created on first sign-in from a bound IdP group, audited as `system sso`;
//! nobody else, and nothing written for them.

use serde_json::json;

use crate::support::Mcpcp;

const ISSUER: &str = "https://idp.example";

fn identity(sub: &str, name: &str, groups: &[&str]) -> mcpcp::identity::oidc::IdpIdentity {
    mcpcp::identity::oidc::IdpIdentity {
        subject: format!("{ISSUER}|{sub}"),
        name: name.into(),
        email: Some(format!("{}@idp.example", name.to_lowercase())),
        groups: Some(groups.iter().map(|g| g.to_string()).collect()),
    }
}

fn sign_in(
    m: &Mcpcp,
    who: &mcpcp::identity::oidc::IdpIdentity,
) -> mcpcp::ops::Result<Option<mcpcp::ops::admin_login::SignedIn>> {
    let dir = mcpcp::datadir::DataDir::open_or_create(&m.data_dir()).unwrap();
    let mut db = dir.open_state(mcpcp::store::OpenOptions::default()).unwrap();
    let ctx = mcpcp::ops::Ctx::system("sso", &mcpcp::clock::Clock::system());
    mcpcp::ops::admin_login::sign_in(&mut db, &ctx, who, ISSUER)
}

fn audit_len(m: &Mcpcp) -> usize {
    m.json(&["audit", "list"]).as_array().unwrap().len()
}

#[test]
fn an_admin_is_found_by_subject_or_created_from_a_bound_group_and_nobody_else() {
    let m = Mcpcp::new().alone();
    m.ok(&["admin", "create", "dana", "--sso-subject", "dana-sub"]);
    m.ok(&["admin", "create", "erin", "--sso-subject", &format!("{ISSUER}|erin-sub")]);
    m.ok(&["role", "bind", "auditor", "--idp-group", "sec"]);
    let before = audit_len(&m);

    // By subject, bare or with the issuer; the groups come along, those bound marked.
    let dana = sign_in(&m, &identity("dana-sub", "Dana", &["sec", "x\ny", "other"])).unwrap().unwrap();
    assert_eq!((dana.admin.name.as_str(), dana.created), ("dana", false));
    assert_eq!(dana.groups, ["other", "sec"], "control characters dropped, sorted");
    assert_eq!(dana.bound, ["sec"]);
    let erin = sign_in(&m, &identity("erin-sub", "erin", &[])).unwrap().unwrap();
    assert_eq!(erin.admin.name, "erin");
    // Neither: no admin, nothing written.
    assert!(sign_in(&m, &identity("zed-sub", "zed", &["sales"])).unwrap().is_none());
    let no_groups = mcpcp::identity::oidc::IdpIdentity { groups: None, ..identity("zed-sub", "zed", &[]) };
    assert!(sign_in(&m, &no_groups).unwrap().is_none());
    assert_eq!(audit_len(&m), before, "reads only");

    // A bound group: created on first sign-in, as system sso; the next sign-in finds it.
    let kim = sign_in(&m, &identity("kim-sub", "Kim", &["sec"])).unwrap().unwrap();
    assert!(kim.created);
    let shown = m.json(&["admin", "show", "kim"]);
    assert_eq!(shown["sso_subject"], format!("{ISSUER}|kim-sub"));
    assert_eq!((shown["email"].as_str(), shown["bindings"].clone()), (Some("kim@idp.example"), json!([])));
    let audit = m.json(&["audit", "list"]);
    let entry = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!(entry["action"], "admin.create");
    assert_eq!((entry["actor"]["kind"].as_str(), entry["actor"]["name"].as_str()), (Some("system"), Some("sso")));
    assert_eq!(entry["changes"]["idp_groups"]["after"], json!(["sec"]), "{entry}");
    let again = sign_in(&m, &identity("kim-sub", "Kim", &[])).unwrap().unwrap();
    assert_eq!((again.admin.name.as_str(), again.created), ("kim", false));

    // An admin of the same name that is not this identity is never taken over.
    m.ok(&["admin", "create", "lee"]);
    let err = sign_in(&m, &identity("lee-sub", "lee", &["sec"])).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");

    // A disabled admin is returned as such: the gateway refuses it.
    m.ok(&["admin", "disable", "dana"]);
    assert!(sign_in(&m, &identity("dana-sub", "dana", &[])).unwrap().unwrap().admin.disabled);
}
