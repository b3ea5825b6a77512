//! Administrators: create, disable, enable, delete, passwords, the roles they hold (bindings,
//! everywhere or on some servers), their API tokens, and the authority those give.
//!
//! Nothing can lock the last owner out: an admin cannot disable, delete or take the global
//! `owner` role from the last enabled admin who holds it (itself included). The person at the
//! machine, an owner regardless, can.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query, server::find as find_server};
use crate::identity::{password, token};
use crate::model::{Admin, AdminName, AdminToken, TokenStatus, parse_duration, parse_email};
use crate::policy::rbac::{Authority, Binding, OWNER, Permission};
use crate::secrets::Secret;
use crate::store::{self, Db};

/// Every admin API token starts with this (server tokens start with `mcpcp_`).
pub const ADMIN_TOKEN_PREFIX: &str = "mcpcpa_";

const BOOKKEEPING: &[&str] = &["id", "created_at", "updated_at", "bindings", "has_password"];

pub(crate) fn find(tx: &store::Connection, name: &str) -> Result<Admin> {
    store::admins::get(tx, name)?.ok_or_else(|| Error::NotFound(format!("no admin named {name:?}")))
}

/// What an admin may do: the roles it holds, each everywhere or on its servers.
pub(crate) fn authority_of(tx: &store::Connection, admin_id: i64) -> Result<Authority> {
    authority_from(tx, store::admins::bindings_of(tx, admin_id)?)
}

/// The authority of bindings: each role everywhere, or on the servers it is bound on.
fn authority_from(tx: &store::Connection, rows: Vec<store::admins::BindingRow>) -> Result<Authority> {
    let mut by_role: BTreeMap<String, Option<BTreeSet<i64>>> = BTreeMap::new();
    for row in rows {
        let entry = by_role.entry(row.binding.role.clone()).or_insert_with(|| Some(BTreeSet::new()));
        match (row.server_id, entry.as_mut()) {
            (None, _) => *entry = None,
            (Some(id), Some(ids)) => {
                ids.insert(id);
            }
            (Some(_), None) => {}
        }
    }
    let mut bindings = Vec::new();
    for (role, servers) in by_role {
        // A role deleted meanwhile grants nothing.
        let permissions = super::role::permissions_of(tx, &role).unwrap_or_default();
        bindings.push(Binding { role, permissions, servers });
    }
    Ok(Authority { bindings, within: None })
}

/// The authority an admin token carries: its admin's (with, for a token of a sign-in, the roles
/// bound to the identity provider groups asserted then), narrowed to its role and servers.
pub(crate) fn token_authority(tx: &store::Connection, row: &store::admins::TokenRow) -> Result<Authority> {
    let mut rows = store::admins::bindings_of(tx, row.admin_id)?;
    if row.token.sign_in.is_some() {
        rows.extend(store::admins::token_idp_bindings(tx, row.token.id)?);
    }
    let admin = authority_from(tx, rows)?;
    if row.token.role.is_none() && row.server_ids.is_none() {
        return Ok(admin);
    }
    let permissions = match &row.token.role {
        Some(role) => super::role::permissions_of(tx, role).unwrap_or_default(),
        None => crate::policy::rbac::PERMISSIONS.iter().map(|p| p.name).collect(),
    };
    let servers = row.server_ids.as_ref().map(|ids| ids.iter().copied().collect());
    let narrow = Authority {
        bindings: vec![Binding { role: row.token.role.clone().unwrap_or_else(|| "*".into()), permissions, servers }],
        within: None,
    };
    Ok(admin.narrowed(narrow))
}

/// Refuses an admin's change that would leave no enabled admin holding `owner` everywhere, when
/// one did.
fn keep_an_owner(tx: &store::Connection, ctx: &Ctx, before: &[i64]) -> Result<()> {
    if ctx.actor.kind == super::OS_USER {
        return Ok(());
    }
    if !before.is_empty() && store::admins::global_holders(tx, OWNER)?.is_empty() {
        return Err(Error::Conflict(
            "this would leave no enabled admin holding the owner role everywhere: grant owner to another admin first \
             (the person at the machine stays an owner regardless)"
                .into(),
        ));
    }
    Ok(())
}

fn hash(pw: &Secret) -> Result<String> {
    password::check_policy(pw)?;
    password::hash(pw).map_err(Error::Internal)
}

/// `admin create`.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAdmin {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, with = "crate::secrets::wire::option")]
    #[schemars(with = "Option<String>")]
    pub password: Option<Secret>,
    #[serde(default)]
    pub sso_subject: Option<String>,
}

/// `admin list`.
#[derive(Debug, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListAdmins {}

/// `admin show`.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowAdmin {
    pub admin: String,
}

/// `admin disable|enable`.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetAdminDisabled {
    pub admin: String,
    pub disabled: bool,
}

/// `admin delete`.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAdmin {
    pub admin: String,
}

/// `admin passwd`.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetAdminPassword {
    pub admin: String,
    #[serde(with = "crate::secrets::wire::option")]
    #[schemars(with = "String")]
    pub password: Option<Secret>,
}

/// `admin grant|revoke`.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BindAdmin {
    pub admin: String,
    pub role: String,
    #[serde(default)]
    pub servers: Vec<String>,
    #[serde(default)]
    pub revoke: bool,
}

/// `admin token list`.
#[derive(Debug, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListAdminTokens {
    #[serde(default)]
    pub admin: Option<String>,
}

/// `admin token revoke`.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeAdminToken {
    pub id: String,
}

crate::operation!(NewAdmin, Post "/admins", ADMIN_MANAGE, "Create an admin", Admin, |op, stores, ctx| {
    let req = CreateAdmin { name: &op.name, email: op.email.as_deref(), password: op.password.as_ref(), sso_subject: op.sso_subject.as_deref() };
    create(stores.state()?, ctx, req)
});
crate::operation!(ListAdmins, Get "/admins", ADMIN_READ, "List admins and the roles they hold", Vec<Admin>, |_op, stores, ctx| list(stores.state()?, ctx));
crate::operation!(ShowAdmin, Get "/admins/{admin}", ADMIN_READ, "Show an admin", Admin, |op, stores, ctx| show(stores.state()?, ctx, &op.admin));
crate::operation!(SetAdminDisabled, Patch "/admins/{admin}", ADMIN_MANAGE, "Disable or enable an admin", Admin, |op, stores, ctx| set_disabled(stores.state()?, ctx, &op.admin, op.disabled));
crate::operation!(DeleteAdmin, Delete "/admins/{admin}", ADMIN_MANAGE, "Delete an admin with its roles and tokens", Admin, |op, stores, ctx| delete(stores.state()?, ctx, &op.admin));
crate::operation!(SetAdminPassword, Post "/admins/{admin}/password", ADMIN_MANAGE, "Set an admin's password", Admin, |op, stores, ctx| {
    let pw = op.password.ok_or_else(|| Error::Invalid("no password given".into()))?;
    set_password(stores.state()?, ctx, &op.admin, &pw)
});
crate::operation!(BindAdmin, Post "/admins/{admin}/roles", ADMIN_MANAGE, "Grant or revoke a role, everywhere or on servers", Admin, |op, stores, ctx| bind(stores.state()?, ctx, &op.admin, &op.role, &op.servers, op.revoke));
crate::operation!(CreateAdminToken, Post "/admins/{admin}/tokens", ADMIN_MANAGE, "Create an admin API token (its secret is in the answer, once)", CreatedToken, |op, stores, ctx| token_create(stores.state()?, ctx, op));
crate::operation!(ListAdminTokens, Get "/admin-tokens", ADMIN_READ, "List admin tokens (never their secrets)", Vec<AdminToken>, |op, stores, ctx| token_list(stores.state()?, ctx, op.admin.as_deref()));
crate::operation!(RevokeAdminToken, Delete "/admin-tokens/{id}", ADMIN_MANAGE, "Revoke an admin token", AdminToken, |op, stores, ctx| token_revoke(stores.state()?, ctx, &op.id));

/// A new admin.
#[derive(Debug, Default)]
pub struct CreateAdmin<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub password: Option<&'a Secret>,
    pub sso_subject: Option<&'a str>,
}

pub fn create(db: &mut Db, ctx: &Ctx, req: CreateAdmin<'_>) -> Result<Admin> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    let name = AdminName::parse(req.name)?;
    let email = req.email.map(parse_email).transpose()?;
    if let Some(subject) = req.sso_subject
        && (subject.is_empty() || subject.len() > 255 || subject.chars().any(char::is_control))
    {
        return Err(Error::Invalid(format!(
            "invalid SSO subject {subject:?}: 1-255 characters, without control characters"
        )));
    }
    let hash = req.password.map(hash).transpose()?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        if store::admins::get(tx, name.as_str())?.is_some() {
            return Err(Error::Conflict(format!("an admin named {:?} already exists", name.as_str())));
        }
        if let Some(subject) = req.sso_subject
            && store::admins::subject_taken(tx, subject)?
        {
            return Err(Error::Conflict(format!("another admin already has the SSO subject {subject:?}")));
        }
        let id = store::admins::insert(
            tx,
            &store::admins::NewAdmin {
                name: name.as_str(),
                email: email.as_deref(),
                password_hash: hash.as_deref(),
                sso_subject: req.sso_subject,
                now: &now,
            },
        )?;
        let admin = find(tx, name.as_str())?;
        let mut changes = Changes::new().created(&admin, BOOKKEEPING);
        if hash.is_some() {
            changes = changes.secret("password");
        }
        Ok((admin, AuditRecord::new("admin.create", "admin", id, name.as_str(), changes)))
    })
}

pub fn list(db: &mut Db, ctx: &Ctx) -> Result<Vec<Admin>> {
    ctx.require_global(Permission::ADMIN_READ)?;
    query(db, |tx| Ok(store::admins::list(tx)?))
}

pub fn show(db: &mut Db, ctx: &Ctx, name: &str) -> Result<Admin> {
    ctx.require_global(Permission::ADMIN_READ)?;
    query(db, |tx| find(tx, name))
}

pub fn set_disabled(db: &mut Db, ctx: &Ctx, name: &str, disabled: bool) -> Result<Admin> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    let now = ctx.timestamp();
    let action = if disabled { "admin.disable" } else { "admin.enable" };
    mutate(db, ctx, |tx| {
        let admin = find(tx, name)?;
        if admin.disabled == disabled {
            let state = if disabled { "disabled" } else { "enabled" };
            return Err(Error::Conflict(format!("admin {name:?} is already {state}")));
        }
        let owners = store::admins::global_holders(tx, OWNER)?;
        store::admins::set_disabled(tx, admin.id, disabled, &now)?;
        keep_an_owner(tx, ctx, &owners)?;
        let updated = find(tx, name)?;
        let changes = Changes::new().field("disabled", admin.disabled, disabled);
        Ok((updated, AuditRecord::new(action, "admin", admin.id, name, changes)))
    })
}

/// Deletes an admin with its bindings and tokens.
pub fn delete(db: &mut Db, ctx: &Ctx, name: &str) -> Result<Admin> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    mutate(db, ctx, |tx| {
        let admin = find(tx, name)?;
        let owners = store::admins::global_holders(tx, OWNER)?;
        store::admins::delete(tx, admin.id)?;
        keep_an_owner(tx, ctx, &owners)?;
        let changes = Changes::new().deleted(&admin, &["id", "created_at", "updated_at", "has_password"]).field(
            "bindings",
            &admin.bindings,
            Vec::<String>::new(),
        );
        Ok((admin.clone(), AuditRecord::new("admin.delete", "admin", admin.id, name, changes)))
    })
}

pub fn set_password(db: &mut Db, ctx: &Ctx, name: &str, pw: &Secret) -> Result<Admin> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    query(db, |tx| find(tx, name))?;
    let hash = hash(pw)?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let admin = find(tx, name)?;
        store::admins::set_password(tx, admin.id, &hash, &now)?;
        let updated = find(tx, name)?;
        Ok((updated, AuditRecord::new("admin.passwd", "admin", admin.id, name, Changes::new().secret("password"))))
    })
}

/// Grants (or with `revoke`, takes back) a role, everywhere or on each of `servers`.
pub fn bind(db: &mut Db, ctx: &Ctx, name: &str, role: &str, servers: &[String], revoke: bool) -> Result<Admin> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    let now = ctx.timestamp();
    let action = if revoke { "admin.revoke" } else { "admin.grant" };
    mutate(db, ctx, |tx| {
        let admin = find(tx, name)?;
        let role = super::role::find(tx, role)?;
        let targets: Vec<Option<(i64, String)>> = if servers.is_empty() {
            vec![None]
        } else {
            servers.iter().map(|s| find_server(tx, s).map(|s| Some((s.id, s.name)))).collect::<Result<_>>()?
        };
        let owners = store::admins::global_holders(tx, OWNER)?;
        let mut changed = Vec::new();
        for target in &targets {
            let server_id = target.as_ref().map(|(id, _)| *id);
            let done = if revoke {
                store::admins::unbind(tx, admin.id, &role.name, server_id)?
            } else {
                store::admins::bind(tx, admin.id, &role.name, server_id, &now)?
            };
            if done {
                changed.push(target.as_ref().map_or_else(|| "*".to_string(), |(_, n)| n.clone()));
            }
        }
        if changed.is_empty() {
            let (state, place) = (if revoke { "does not hold" } else { "already holds" }, describe(servers));
            return Err(Error::Conflict(format!("admin {name:?} {state} role {:?} {place}", role.name)));
        }
        keep_an_owner(tx, ctx, &owners)?;
        let after = find(tx, name)?;
        let changes = Changes::new().field("bindings", &admin.bindings, &after.bindings);
        Ok((after, AuditRecord::new(action, "admin", admin.id, name, changes)))
    })
}

fn describe(servers: &[String]) -> String {
    if servers.is_empty() { "everywhere".into() } else { format!("on {}", servers.join(", ")) }
}

// ---- tokens ---------------------------------------------------------------------------------

/// `admin token create`.
#[derive(Debug, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAdminToken {
    pub admin: String,
    #[serde(default)]
    pub name: Option<String>,
    /// A duration such as `90d`; `None` never expires.
    #[serde(default)]
    pub expires: Option<String>,
    /// Narrow the token to one role its admin holds.
    #[serde(default)]
    pub role: Option<String>,
    /// Narrow the token to these servers.
    #[serde(default)]
    pub servers: Vec<String>,
}

/// A created admin token and its secret, which exists nowhere else.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: AdminToken,
    /// The secret, shown once.
    #[serde(rename = "token", with = "crate::secrets::wire::one")]
    #[schemars(with = "String")]
    pub secret: Secret,
}

fn check_token_name(name: &str) -> Result<()> {
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "invalid token name {name:?}: use 1-63 letters, digits and '.', '_', '-', starting with a letter or digit"
        )))
    }
}

pub fn token_create(db: &mut Db, ctx: &Ctx, req: CreateAdminToken) -> Result<CreatedToken> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    if let Some(name) = &req.name {
        check_token_name(name)?;
    }
    let expires_at = match &req.expires {
        Some(raw) => Some(store::timestamp(ctx.now + parse_duration(raw)?)),
        None => None,
    };
    let minted = token::mint_with(ADMIN_TOKEN_PREFIX).map_err(|e| Error::Internal(e.to_string()))?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let admin = find(tx, &req.admin)?;
        let role = req.role.as_deref().map(|r| super::role::find(tx, r)).transpose()?;
        let servers =
            req.servers.iter().map(|s| find_server(tx, s).map(|s| (s.id, s.name))).collect::<Result<Vec<_>>>()?;
        // Narrowed, never widened: what the token asks for must be held by its admin.
        let held = authority_of(tx, admin.id)?;
        if let Some((_, server)) = servers.iter().find(|(id, _)| !held.sees_server(*id)) {
            return Err(Error::Invalid(format!(
                "admin {:?} holds no role on server {server:?}: a token can be narrowed below its admin's rights, never widened",
                admin.name
            )));
        }
        let asked = Authority {
            bindings: vec![Binding {
                role: role.as_ref().map_or_else(|| "*".into(), |r| r.name.clone()),
                permissions: match &role {
                    Some(r) => super::role::permissions_of(tx, &r.name)?,
                    None => held.bindings.iter().flat_map(|b| b.permissions.iter().copied()).collect(),
                },
                servers: (!servers.is_empty()).then(|| servers.iter().map(|(id, _)| *id).collect()),
            }],
            within: None,
        };
        if role.is_some()
            && let Err(missing) = held.covers(&asked)
        {
            return Err(Error::Invalid(format!(
                "admin {:?} does not hold {missing} {}: a token can be narrowed below its admin's rights, never widened",
                admin.name,
                describe(&servers.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>())
            )));
        }
        let name = match &req.name {
            Some(n) => n.clone(),
            None => format!("token-{}", store::admins::token_next_id(tx)?),
        };
        if store::admins::token_name_taken(tx, admin.id, &name)? {
            return Err(Error::Conflict(format!("admin {:?} already has a token named {name:?}", admin.name)));
        }
        let server_ids: Vec<i64> = servers.iter().map(|(id, _)| *id).collect();
        let id = store::admins::token_insert(
            tx,
            &store::admins::NewToken {
                admin_id: admin.id,
                name: &name,
                prefix: &minted.prefix,
                hash: &minted.hash,
                role: role.as_ref().map(|r| r.name.as_str()),
                servers: (!server_ids.is_empty()).then_some(&server_ids[..]),
                expires_at: expires_at.as_deref(),
                sign_in: None,
                idp_groups: &[],
                now: &now,
            },
        )?;
        let token = store::admins::token_get(tx, id, &now)?
            .ok_or_else(|| Error::Internal("admin token vanished".into()))?
            .token;
        let changes = Changes::new()
            .field("admin", None::<&str>, &admin.name)
            .field("name", None::<&str>, &name)
            .field("prefix", None::<&str>, &minted.prefix)
            .field("role", None::<&str>, &token.role)
            .field("servers", None::<&str>, &token.servers)
            .field("expires_at", None::<&str>, &expires_at)
            .secret("secret");
        let record =
            AuditRecord::new("admin.token.create", "admin_token", id, &format!("{}/{name}", admin.name), changes);
        Ok((CreatedToken { token, secret: minted.secret }, record))
    })
}

/// The tokens of one admin, or of all.
pub fn token_list(db: &mut Db, ctx: &Ctx, admin: Option<&str>) -> Result<Vec<AdminToken>> {
    ctx.require_global(Permission::ADMIN_READ)?;
    let now = ctx.timestamp();
    query(db, |tx| {
        let admin_id = admin.map(|a| find(tx, a).map(|a| a.id)).transpose()?;
        Ok(store::admins::token_list(tx, admin_id, &now)?.into_iter().map(|t| t.token).collect())
    })
}

pub fn token_revoke(db: &mut Db, ctx: &Ctx, id: &str) -> Result<AdminToken> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    let id: i64 = id.parse().map_err(|_| {
        Error::Invalid(format!("invalid admin token id {id:?}: it is the number in `mcpcp admin token list`"))
    })?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let before = store::admins::token_get(tx, id, &now)?
            .ok_or_else(|| Error::NotFound(format!("no admin token with id {id}")))?
            .token;
        if before.status == TokenStatus::Revoked {
            return Err(Error::Conflict(format!("admin token {id} is already revoked")));
        }
        store::admins::token_revoke(tx, id, &now)?;
        let after = store::admins::token_get(tx, id, &now)?
            .ok_or_else(|| Error::Internal("admin token vanished".into()))?
            .token;
        let changes = Changes::new().field("status", before.status, after.status).field(
            "revoked_at",
            &before.revoked_at,
            &after.revoked_at,
        );
        let record = AuditRecord::new(
            "admin.token.revoke",
            "admin_token",
            id,
            &format!("{}/{}", after.admin, after.name),
            changes,
        );
        Ok((after, record))
    })
}

/// An admin authenticated by one of its tokens: who, through which token, with what authority.
#[derive(Debug, Clone)]
pub struct AdminPrincipal {
    pub admin: Admin,
    pub token: AdminToken,
    pub authority: Authority,
}

/// The admin a presented token belongs to, when the token is live (not revoked, not expired)
/// and its admin enabled; `None` otherwise (the caller answers 401 without saying which).
pub fn authenticate(
    db: &mut Db,
    now: chrono::DateTime<chrono::Utc>,
    presented: &str,
) -> Result<Option<AdminPrincipal>> {
    if !presented.starts_with(ADMIN_TOKEN_PREFIX) || presented.len() > 128 {
        return Ok(None);
    }
    let hash = token::hash(presented);
    let now = store::timestamp(now);
    query(db, |tx| {
        let Some(row) = store::admins::token_by_hash(tx, &hash, &now)? else { return Ok(None) };
        if row.token.status != TokenStatus::Active {
            return Ok(None);
        }
        let Some(admin) = store::admins::get_by_id(tx, row.admin_id)? else { return Ok(None) };
        if admin.disabled {
            return Ok(None);
        }
        let authority = token_authority(tx, &row)?;
        Ok(Some(AdminPrincipal { admin, token: row.token, authority }))
    })
}
