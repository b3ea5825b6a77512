//! Admin roles: the built-in ones (read-only), custom ones (create, update, delete), and roles
//! bound to an identity provider's groups.

use std::collections::BTreeSet;

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query, server::find as find_server};
use crate::model::{IdpBinding, Role, RoleName};
use crate::policy::rbac::{BUILTIN_ROLES, Permission, PermissionInfo, builtin_role, parse_permissions};
use crate::store::{self, Db};

/// The longest role description.
const MAX_DESCRIPTION: usize = 500;

fn builtin(name: &str) -> Option<Role> {
    builtin_role(name).map(|r| Role {
        name: r.name.into(),
        description: r.description.into(),
        permissions: r.permissions().into_iter().map(|p| p.as_str().to_string()).collect(),
        builtin: true,
        created_at: None,
        updated_at: None,
    })
}

/// A role by name, built-in or custom.
pub(crate) fn find(tx: &store::Connection, name: &str) -> Result<Role> {
    if let Some(role) = builtin(name) {
        return Ok(role);
    }
    Ok(store::admins::role_get(tx, name)?
        .ok_or_else(|| Error::NotFound(format!("no role named {name:?} (see `mcpcp role list`)")))?
        .role)
}

/// The permissions a role grants (names a later mcpcp no longer knows are ignored).
pub(crate) fn permissions_of(tx: &store::Connection, name: &str) -> Result<BTreeSet<Permission>> {
    Ok(find(tx, name)?.permissions.iter().filter_map(|p| Permission::parse(p)).collect())
}

fn check_description(description: &str) -> Result<()> {
    if description.chars().count() > MAX_DESCRIPTION || description.chars().any(char::is_control) {
        return Err(Error::Invalid(format!(
            "invalid role description: at most {MAX_DESCRIPTION} characters, without control characters"
        )));
    }
    Ok(())
}

/// `role list`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRoles {}

/// `role show`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowRole {
    pub role: String,
}

/// `role create`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRole {
    pub name: String,
    pub allow: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `role update`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRole {
    pub role: String,
    #[serde(default)]
    pub allow: Option<Vec<String>>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `role delete`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteRole {
    pub role: String,
}

/// `role bind|unbind`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BindRole {
    pub role: String,
    pub idp_group: String,
    #[serde(default)]
    pub servers: Vec<String>,
    #[serde(default)]
    pub remove: bool,
}

/// `role bindings`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListIdpBindings {}

crate::operation!(ListRoles, Get "/roles", ADMIN_READ, "List the roles, built-in and custom", Vec<Role>, |_op, stores, ctx| list(stores.state()?, ctx));
crate::operation!(ShowRole, Get "/roles/{role}", ADMIN_READ, "Show a role", Role, |op, stores, ctx| show(stores.state()?, ctx, &op.role));
crate::operation!(CreateRole, Post "/roles", ADMIN_MANAGE, "Create a custom role", Role, |op, stores, ctx| create(stores.state()?, ctx, &op.name, &op.allow, op.description.as_deref()));
crate::operation!(UpdateRole, Patch "/roles/{role}", ADMIN_MANAGE, "Change a custom role", Role, |op, stores, ctx| update(stores.state()?, ctx, &op.role, op.allow.as_deref(), op.description.as_deref()));
crate::operation!(DeleteRole, Delete "/roles/{role}", ADMIN_MANAGE, "Delete a custom role nobody holds", Role, |op, stores, ctx| delete(stores.state()?, ctx, &op.role));
crate::operation!(BindRole, Post "/roles/{role}/idp-groups", ADMIN_MANAGE, "Bind or unbind a role to an identity provider's group", Vec<IdpBinding>, |op, stores, ctx| bind_idp_group(stores.state()?, ctx, &op.role, &op.idp_group, &op.servers, op.remove));
crate::operation!(ListIdpBindings, Get "/idp-bindings", ADMIN_READ, "List the identity provider groups bound to roles", Vec<IdpBinding>, |_op, stores, ctx| idp_bindings(stores.state()?, ctx));

/// Every permission, for `role permissions`.
pub fn permissions() -> Vec<PermissionInfo> {
    crate::policy::rbac::PERMISSIONS.to_vec()
}

pub fn list(db: &mut Db, ctx: &Ctx) -> Result<Vec<Role>> {
    ctx.require_global(Permission::ADMIN_READ)?;
    query(db, |tx| {
        let mut roles: Vec<Role> = BUILTIN_ROLES.iter().filter_map(|r| builtin(r.name)).collect();
        roles.extend(store::admins::role_list(tx)?.into_iter().map(|r| r.role));
        Ok(roles)
    })
}

pub fn show(db: &mut Db, ctx: &Ctx, name: &str) -> Result<Role> {
    ctx.require_global(Permission::ADMIN_READ)?;
    query(db, |tx| find(tx, name))
}

pub fn create(db: &mut Db, ctx: &Ctx, name: &str, allow: &[String], description: Option<&str>) -> Result<Role> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    let name = RoleName::parse(name)?;
    if builtin_role(name.as_str()).is_some() {
        return Err(Error::Invalid(format!("{:?} is a built-in role: choose another name", name.as_str())));
    }
    let permissions = parse_permissions(allow).map_err(Error::Invalid)?;
    let description = description.unwrap_or_default();
    check_description(description)?;
    let names: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        if store::admins::role_get(tx, name.as_str())?.is_some() {
            return Err(Error::Conflict(format!("a role named {:?} already exists", name.as_str())));
        }
        let id = store::admins::role_insert(tx, name.as_str(), description, &names, &now)?;
        let role = find(tx, name.as_str())?;
        let changes = Changes::new().created(&role, &["builtin", "created_at", "updated_at"]);
        Ok((role, AuditRecord::new("role.create", "role", id, name.as_str(), changes)))
    })
}

/// Changes a custom role's permissions and description; admins holding it get the change within
/// a second.
pub fn update(db: &mut Db, ctx: &Ctx, name: &str, allow: Option<&[String]>, description: Option<&str>) -> Result<Role> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    if builtin_role(name).is_some() {
        return Err(Error::Invalid(format!("{name:?} is a built-in role: it cannot be changed")));
    }
    if allow.is_none() && description.is_none() {
        return Err(Error::Invalid("nothing to change: give --allow or --description".into()));
    }
    let permissions = allow.map(parse_permissions).transpose().map_err(Error::Invalid)?;
    if let Some(d) = description {
        check_description(d)?;
    }
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let row = store::admins::role_get(tx, name)?
            .ok_or_else(|| Error::NotFound(format!("no role named {name:?} (see `mcpcp role list`)")))?;
        let before = row.role;
        let names: Vec<&str> = match &permissions {
            Some(p) => p.iter().map(|p| p.as_str()).collect(),
            None => before.permissions.iter().map(String::as_str).collect(),
        };
        let description = description.unwrap_or(&before.description);
        store::admins::role_update(tx, row.id, description, &names, &now)?;
        let after = find(tx, name)?;
        let mut changes = Changes::new();
        if after.permissions != before.permissions {
            changes = changes.field("permissions", &before.permissions, &after.permissions);
        }
        if after.description != before.description {
            changes = changes.field("description", &before.description, &after.description);
        }
        Ok((after, AuditRecord::new("role.update", "role", row.id, name, changes)))
    })
}

/// Deletes a custom role that nothing holds.
pub fn delete(db: &mut Db, ctx: &Ctx, name: &str) -> Result<Role> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    if builtin_role(name).is_some() {
        return Err(Error::Invalid(format!("{name:?} is a built-in role: it cannot be deleted")));
    }
    mutate(db, ctx, |tx| {
        let row = store::admins::role_get(tx, name)?
            .ok_or_else(|| Error::NotFound(format!("no role named {name:?} (see `mcpcp role list`)")))?;
        let uses = store::admins::role_uses(tx, name)?;
        if uses > 0 {
            return Err(Error::Conflict(format!(
                "role {name:?} is still held ({uses} binding(s) or admin token(s)): revoke them first"
            )));
        }
        store::admins::role_delete(tx, row.id)?;
        let changes = Changes::new().deleted(&row.role, &["builtin", "created_at", "updated_at"]);
        Ok((row.role, AuditRecord::new("role.delete", "role", row.id, name, changes)))
    })
}

/// Binds (or with `remove`, unbinds) a role to an identity provider's group, everywhere or on
/// some servers: every SSO admin in that group holds it.
pub fn bind_idp_group(
    db: &mut Db,
    ctx: &Ctx,
    role: &str,
    idp_group: &str,
    servers: &[String],
    remove: bool,
) -> Result<Vec<IdpBinding>> {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    if idp_group.is_empty() || idp_group.len() > 256 || idp_group.chars().any(char::is_control) {
        return Err(Error::Invalid(format!(
            "invalid identity provider group {idp_group:?}: 1-256 characters, without control characters"
        )));
    }
    let now = ctx.timestamp();
    let action = if remove { "role.unbind" } else { "role.bind" };
    mutate(db, ctx, |tx| {
        let role = find(tx, role)?;
        let targets: Vec<Option<(i64, String)>> = if servers.is_empty() {
            vec![None]
        } else {
            servers.iter().map(|s| find_server(tx, s).map(|s| Some((s.id, s.name)))).collect::<Result<_>>()?
        };
        let mut changed = Vec::new();
        for target in &targets {
            let server_id = target.as_ref().map(|(id, _)| *id);
            let done = if remove {
                store::admins::idp_unbind(tx, idp_group, &role.name, server_id)?
            } else {
                store::admins::idp_bind(tx, idp_group, &role.name, server_id, &now)?
            };
            if done {
                changed.push(target.as_ref().map_or_else(|| "*".to_string(), |(_, n)| n.clone()));
            }
        }
        if changed.is_empty() {
            let state = if remove { "does not hold" } else { "already holds" };
            return Err(Error::Conflict(format!(
                "identity provider group {idp_group:?} {state} role {:?} there",
                role.name
            )));
        }
        let (before, after) = if remove { (changed.clone(), Vec::new()) } else { (Vec::new(), changed.clone()) };
        let changes = Changes::new().field("idp_group", None::<&str>, idp_group).field("servers", before, after);
        let bindings = store::admins::idp_bindings(tx, Some(&role.name))?;
        Ok((bindings, AuditRecord::new(action, "role", 0, &role.name, changes)))
    })
}

/// The identity provider groups bound to roles.
pub fn idp_bindings(db: &mut Db, ctx: &Ctx) -> Result<Vec<IdpBinding>> {
    ctx.require_global(Permission::ADMIN_READ)?;
    query(db, |tx| Ok(store::admins::idp_bindings(tx, None)?))
}
