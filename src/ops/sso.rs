//! Single sign-on: the external OpenID Connect provider (`mcpcp sso set/show/disable`), and what a
//! successful SSO sign-in changes (the user created on first sign-in, groups from the IdP claim).

use serde::{Deserialize, Serialize};

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query};
use crate::identity::oidc::{IdpIdentity, SsoConfig};
use crate::model::{GroupName, UserName};
use crate::policy::rbac::Permission;
use crate::secrets::{SealKey, Secret, purpose};
use crate::store::sso::SsoRow;
use crate::store::{self, Db};

/// Scopes requested when `--scopes` is not given.
pub const DEFAULT_SCOPES: &[&str] = &["openid", "profile", "email"];

/// `sso set`: replaces the settings.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetSso {
    pub issuer: String,
    pub client_id: String,
    /// mcpcp's client secret at the provider (sealed at rest, never shown).
    #[serde(with = "crate::secrets::wire::one")]
    #[schemars(with = "String")]
    pub client_secret: Secret,
    /// [default: openid profile email]
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub groups_claim: Option<String>,
    /// `IDP_GROUP=GROUP` pairs.
    #[serde(default)]
    pub group_map: Vec<String>,
}

/// `sso show`.
#[derive(Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowSso {}

/// `sso disable`.
#[derive(Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableSso {}

crate::operation!(SetSso, Post "/sso", SSO_MANAGE, "Set up single sign-on through an OpenID Connect provider (the client secret is never shown)", SsoView, |op, stores, ctx| {
    ctx.require_global(Permission::SSO_MANAGE)?;
    let key = stores.key()?;
    set(stores.state()?, ctx, &key, op)
});
crate::operation!(ShowSso, Get "/sso", SSO_READ, "Show the single sign-on settings (never the client secret)", SsoView, |_op, stores, ctx| {
    ctx.require_global(Permission::SSO_READ)?;
    show(stores.state()?)
});
crate::operation!(DisableSso, Post "/sso/disable", SSO_MANAGE, "Turn single sign-on off (the settings stay for the next `sso set`)", SsoView, |_op, stores, ctx| {
    ctx.require_global(Permission::SSO_MANAGE)?;
    disable(stores.state()?, ctx)
});

/// The settings as shown (never the secret).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SsoView {
    pub issuer: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub groups_claim: Option<String>,
    pub group_map: std::collections::BTreeMap<String, String>,
    pub enabled: bool,
    pub updated_at: String,
}

impl From<&SsoRow> for SsoView {
    fn from(r: &SsoRow) -> SsoView {
        SsoView {
            issuer: r.issuer.clone(),
            client_id: r.client_id.clone(),
            scopes: r.scopes.clone(),
            groups_claim: r.groups_claim.clone(),
            group_map: r.group_map.iter().cloned().collect(),
            enabled: r.enabled,
            updated_at: r.updated_at.clone(),
        }
    }
}

/// Checks an issuer URL: HTTPS, or plain HTTP on a loopback address (for local providers).
pub fn parse_issuer(raw: &str) -> Result<String> {
    let url = url::Url::parse(raw).map_err(|e| Error::Invalid(format!("invalid --issuer {raw:?}: {e}")))?;
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(Error::Invalid(format!("invalid --issuer {raw:?}: use https:// (plain http only on loopback)")));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(Error::Invalid(format!("invalid --issuer {raw:?}: no query, fragment or userinfo")));
    }
    // The issuer is compared exactly with the provider's `iss`, so keep it as written.
    Ok(raw.to_string())
}

fn parse_map(tx: &store::Connection, pairs: &[String]) -> Result<Vec<(String, String)>> {
    let mut map = std::collections::BTreeMap::new();
    for pair in pairs {
        let Some((idp, group)) = pair.split_once('=') else {
            return Err(Error::Invalid(format!("invalid --group-map {pair:?}: use IDP_GROUP=GROUP")));
        };
        if idp.is_empty() {
            return Err(Error::Invalid(format!("invalid --group-map {pair:?}: the IdP group is empty")));
        }
        let group = GroupName::parse(group)?;
        if store::groups::get(tx, group.as_str())?.is_none() {
            return Err(Error::NotFound(format!("--group-map {pair:?}: no group named {:?}", group.as_str())));
        }
        if map.insert(idp.to_string(), group.as_str().to_string()).is_some() {
            return Err(Error::Invalid(format!("--group-map maps {idp:?} twice")));
        }
    }
    Ok(map.into_iter().collect())
}

pub fn set(db: &mut Db, ctx: &Ctx, key: &SealKey, s: SetSso) -> Result<SsoView> {
    let issuer = parse_issuer(&s.issuer)?;
    if s.client_id.trim().is_empty() {
        return Err(Error::Invalid("--client-id is empty".into()));
    }
    if s.client_secret.expose().is_empty() {
        return Err(Error::Invalid("the client secret is empty".into()));
    }
    let mut scopes: Vec<String> = if s.scopes.is_empty() {
        DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect()
    } else {
        s.scopes.iter().flat_map(|s| s.split([' ', ','])).filter(|s| !s.is_empty()).map(String::from).collect()
    };
    if !scopes.iter().any(|s| s == "openid") {
        scopes.insert(0, "openid".into());
    }
    scopes.dedup();
    if let Some(c) = &s.groups_claim
        && c.trim().is_empty()
    {
        return Err(Error::Invalid("--groups-claim is empty".into()));
    }
    if !s.group_map.is_empty() && s.groups_claim.is_none() {
        return Err(Error::Invalid("--group-map needs --groups-claim (the ID token claim listing groups)".into()));
    }
    let sealed = key
        .seal(purpose::SSO_CLIENT_SECRET, s.client_secret.expose().as_bytes())
        .map_err(|e| Error::Internal(e.to_string()))?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let group_map = parse_map(tx, &s.group_map)?;
        let before = store::sso::get(tx)?;
        let row = SsoRow {
            issuer,
            client_id: s.client_id.trim().to_string(),
            secret_sealed: sealed,
            scopes,
            groups_claim: s.groups_claim.clone(),
            group_map,
            enabled: true,
            updated_at: now.clone(),
        };
        store::sso::put(tx, &row)?;
        let view = SsoView::from(&row);
        let old = before.as_ref().map(SsoView::from);
        let changes = Changes::new()
            .field("issuer", old.as_ref().map(|o| &o.issuer), &view.issuer)
            .field("client_id", old.as_ref().map(|o| &o.client_id), &view.client_id)
            .field("scopes", old.as_ref().map(|o| &o.scopes), &view.scopes)
            .field("groups_claim", old.as_ref().map(|o| &o.groups_claim), &view.groups_claim)
            .field("group_map", old.as_ref().map(|o| &o.group_map), &view.group_map)
            .field("enabled", old.as_ref().map(|o| o.enabled), true)
            .secret("client_secret");
        Ok((view.clone(), AuditRecord::new("sso.set", "sso", 1, &view.issuer, changes)))
    })
}

pub fn show(db: &mut Db) -> Result<SsoView> {
    query(db, |tx| {
        let row = store::sso::get(tx)?.ok_or_else(|| Error::NotFound("single sign-on is not set up".into()))?;
        Ok(SsoView::from(&row))
    })
}

pub fn disable(db: &mut Db, ctx: &Ctx) -> Result<SsoView> {
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let row = store::sso::get(tx)?.ok_or_else(|| Error::NotFound("single sign-on is not set up".into()))?;
        if !row.enabled {
            return Err(Error::Conflict("single sign-on is already disabled".into()));
        }
        store::sso::set_enabled(tx, false, &now)?;
        let mut view = SsoView::from(&row);
        view.enabled = false;
        view.updated_at = now.clone();
        let changes = Changes::new().field("enabled", true, false);
        Ok((view.clone(), AuditRecord::new("sso.disable", "sso", 1, &view.issuer, changes)))
    })
}

/// The enabled settings for signing in, or `None` when SSO is not set up or disabled.
pub fn config(db: &mut Db, key: &SealKey) -> Result<Option<SsoConfig>> {
    let Some(row) = query(db, |tx| Ok(store::sso::get(tx)?))? else { return Ok(None) };
    if !row.enabled {
        return Ok(None);
    }
    let secret =
        key.open(purpose::SSO_CLIENT_SECRET, &row.secret_sealed).map_err(|e| Error::Internal(e.to_string()))?;
    let secret = String::from_utf8(secret).map_err(|_| Error::Internal("the SSO client secret is not UTF-8".into()))?;
    Ok(Some(SsoConfig {
        issuer: row.issuer,
        client_id: row.client_id,
        client_secret: Secret::new(secret),
        scopes: row.scopes,
        groups_claim: row.groups_claim,
        group_map: row.group_map,
    }))
}

/// The outcome of an SSO sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: i64,
    pub name: String,
    pub disabled: bool,
    pub created: bool,
}

/// Records an SSO sign-in: creates the user on first sign-in (JIT) and sets their membership of
/// every mapped group from the IdP's groups claim. Groups not in the map are left alone. Writes
/// (and audits, as actor `system sso`) only when something changes.
pub fn sign_in(db: &mut Db, ctx: &Ctx, id: &IdpIdentity, group_map: &[(String, String)]) -> Result<SignedIn> {
    let now = ctx.timestamp();
    let wanted: Option<std::collections::BTreeSet<String>> = id.groups.as_ref().map(|idp| {
        group_map.iter().filter(|(g, _)| idp.iter().any(|x| x == g)).map(|(_, ours)| ours.clone()).collect()
    });
    let mapped: std::collections::BTreeSet<&str> = group_map.iter().map(|(_, g)| g.as_str()).collect();
    // Nothing to write? Answer from a read.
    let existing = query(db, |tx| Ok(store::users::by_subject(tx, &id.subject)?))?;
    if let Some(u) = &existing {
        let unchanged = match &wanted {
            None => true,
            Some(w) => {
                let have: std::collections::BTreeSet<String> =
                    u.groups.iter().filter(|g| mapped.contains(g.as_str())).cloned().collect();
                &have == w
            }
        };
        if unchanged {
            return Ok(SignedIn { user_id: u.id, name: u.name.clone(), disabled: u.disabled, created: false });
        }
    }
    let name = sso_user_name(id)?;
    mutate(db, ctx, |tx| {
        let (user, created) = match store::users::by_subject(tx, &id.subject)? {
            Some(u) => (u, false),
            None => {
                if store::users::get(tx, name.as_str())?.is_some() {
                    return Err(Error::Conflict(format!(
                        "a user named {:?} already exists and did not sign in with single sign-on",
                        name.as_str()
                    )));
                }
                let uid = store::users::insert_sso(tx, name.as_str(), id.email.as_deref(), &id.subject, &now)?;
                let u = store::users::get(tx, name.as_str())?
                    .ok_or_else(|| Error::Internal(format!("user {uid} vanished")))?;
                (u, true)
            }
        };
        let before: Vec<String> = user.groups.clone();
        if let Some(wanted) = &wanted {
            for group in &mapped {
                let Some(g) = store::groups::get(tx, group)? else { continue };
                let is = user.groups.iter().any(|x| x == group);
                let should = wanted.contains(*group);
                if should && !is {
                    store::groups::add_member(tx, g.id, user.id)?;
                } else if is && !should {
                    store::groups::remove_member(tx, g.id, user.id)?;
                }
            }
        }
        let after = store::users::get(tx, &user.name)?.map(|u| u.groups).unwrap_or_default();
        let mut changes = Changes::new();
        if created {
            changes = changes.field("name", None::<&str>, &user.name).field("email", None::<&str>, &user.email).field(
                "sso_subject",
                None::<&str>,
                &id.subject,
            );
        }
        changes = changes.field("groups", &before, &after);
        // Signing in with fewer groups takes the lost servers' sign-ins away, as `group remove` does.
        let reached = store::groups::reached_by(tx, user.id)?;
        let lost: Vec<i64> =
            store::oauth::granted_servers(tx, user.id)?.into_iter().filter(|s| !reached.contains(s)).collect();
        if !lost.is_empty() {
            let n = store::oauth::revoke_user_grants(tx, user.id, Some(&lost), "group access removed", &now)?;
            changes = changes.field("sign_ins_revoked", 0, n);
        }
        let action = if created { "user.create" } else { "user.sso_groups" };
        let out = SignedIn { user_id: user.id, name: user.name.clone(), disabled: user.disabled, created };
        Ok((out, AuditRecord::new(action, "user", user.id, &user.name, changes)))
    })
}

/// The user name for a new SSO user: the IdP's preferred name, lowercased, if valid; else the
/// email; else a name derived from the subject.
fn sso_user_name(id: &IdpIdentity) -> Result<UserName> {
    let candidates = [Some(id.name.to_lowercase()), id.email.as_ref().map(|e| e.to_lowercase())];
    for c in candidates.into_iter().flatten() {
        if let Ok(n) = UserName::parse(&c) {
            return Ok(n);
        }
    }
    let digest = crate::identity::token::hash(&id.subject);
    Ok(UserName::parse(&format!("sso-{}", &digest[..12]))?)
}
