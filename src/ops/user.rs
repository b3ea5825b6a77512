//! End-user operations: create, disable/enable, delete, set a password, and reading them.
//!
//! Passwords are hashed (argon2id, deliberately slow) before the write transaction starts, so
//! the write lock is never held while hashing.

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query};
use crate::identity::password;
use crate::model::{User, UserName, parse_email};
use crate::policy::rbac::Permission;
use crate::secrets::Secret;
use crate::store::{self, Db};

const BOOKKEEPING: &[&str] = &["id", "created_at", "updated_at"];

/// `user create`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    /// Without one the user signs in through SSO only.
    #[serde(default, with = "crate::secrets::wire::option")]
    #[schemars(with = "Option<String>")]
    pub password: Option<Secret>,
}

/// `user list`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListUsers {}

/// `user show`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowUser {
    pub user: String,
}

/// `user disable|enable`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetUserDisabled {
    pub user: String,
    pub disabled: bool,
}

/// `user delete`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteUser {
    pub user: String,
}

/// `user passwd`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetUserPassword {
    pub user: String,
    #[serde(with = "crate::secrets::wire::option")]
    #[schemars(with = "String")]
    pub password: Option<Secret>,
}

crate::operation!(CreateUser, Post "/users", USER_MANAGE, "Create an end user", User, |op, stores, ctx| {
    ctx.require_global(Permission::USER_MANAGE)?;
    create(stores.state()?, ctx, &op.name, op.email.as_deref(), op.password.as_ref())
});
crate::operation!(ListUsers, Get "/users", USER_READ, "List end users", Vec<User>, |_op, stores, ctx| {
    ctx.require_global(Permission::USER_READ)?;
    list(stores.state()?)
});
crate::operation!(ShowUser, Get "/users/{user}", USER_READ, "Show an end user and their groups", User, |op, stores, ctx| {
    ctx.require_global(Permission::USER_READ)?;
    show(stores.state()?, &op.user)
});
crate::operation!(SetUserDisabled, Patch "/users/{user}", USER_MANAGE, "Disable or enable an end user", User, |op, stores, ctx| {
    ctx.require_global(Permission::USER_MANAGE)?;
    set_disabled(stores.state()?, ctx, &op.user, op.disabled)
});
crate::operation!(DeleteUser, Delete "/users/{user}", USER_MANAGE, "Delete an end user", User, |op, stores, ctx| {
    ctx.require_global(Permission::USER_MANAGE)?;
    delete(stores.state()?, ctx, &op.user)
});
crate::operation!(SetUserPassword, Post "/users/{user}/password", USER_MANAGE, "Set an end user's password", User, |op, stores, ctx| {
    ctx.require_global(Permission::USER_MANAGE)?;
    let pw = op.password.ok_or_else(|| Error::Invalid("no password given".into()))?;
    set_password(stores.state()?, ctx, &op.user, &pw)
});

pub(crate) fn find(tx: &store::Connection, name: &str) -> Result<User> {
    store::users::get(tx, name)?.ok_or_else(|| Error::NotFound(format!("no user named {name:?}")))
}

fn hash(pw: &Secret) -> Result<String> {
    password::check_policy(pw)?;
    password::hash(pw).map_err(Error::Internal)
}

pub fn create(db: &mut Db, ctx: &Ctx, name: &str, email: Option<&str>, pw: Option<&Secret>) -> Result<User> {
    let name = UserName::parse(name)?;
    let email = email.map(parse_email).transpose()?;
    let hash = pw.map(hash).transpose()?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        if store::users::get(tx, name.as_str())?.is_some() {
            return Err(Error::Conflict(format!("a user named {:?} already exists", name.as_str())));
        }
        let id = store::users::insert(tx, name.as_str(), email.as_deref(), hash.as_deref(), &now)?;
        let user = find(tx, name.as_str())?;
        let mut changes = Changes::new().created(&user, &[BOOKKEEPING, &["groups", "has_password"]].concat());
        if hash.is_some() {
            changes = changes.secret("password");
        }
        Ok((user, AuditRecord::new("user.create", "user", id, name.as_str(), changes)))
    })
}

pub fn list(db: &mut Db) -> Result<Vec<User>> {
    query(db, |tx| Ok(store::users::list(tx)?))
}

pub fn show(db: &mut Db, name: &str) -> Result<User> {
    query(db, |tx| find(tx, name))
}

pub fn set_disabled(db: &mut Db, ctx: &Ctx, name: &str, disabled: bool) -> Result<User> {
    let now = ctx.timestamp();
    let action = if disabled { "user.disable" } else { "user.enable" };
    mutate(db, ctx, |tx| {
        let user = find(tx, name)?;
        if user.disabled == disabled {
            let state = if disabled { "disabled" } else { "enabled" };
            return Err(Error::Conflict(format!("user {name:?} is already {state}")));
        }
        store::users::set_disabled(tx, user.id, disabled, &now)?;
        let mut changes = Changes::new().field("disabled", user.disabled, disabled);
        if disabled {
            // A disabled user's sign-ins end at once (their sessions close within a second).
            let revoked = store::oauth::revoke_user_grants(tx, user.id, None, "user disabled", &now)?;
            if revoked > 0 {
                changes = changes.field("sign_ins_revoked", 0, revoked);
            }
            // And their linked upstream accounts go: an enabled user links them again.
            let dropped = super::connection::drop_unreached(tx, user.id, true)?;
            if !dropped.is_empty() {
                changes = changes.field("upstream_connections", &dropped, Vec::<String>::new());
            }
        }
        let updated = find(tx, name)?;
        Ok((updated, AuditRecord::new(action, "user", user.id, name, changes)))
    })
}

/// Deletes a user with their group memberships and linked upstream accounts.
pub fn delete(db: &mut Db, ctx: &Ctx, name: &str) -> Result<User> {
    mutate(db, ctx, |tx| {
        let user = find(tx, name)?;
        let linked: Vec<String> =
            store::connections::list_for_user(tx, user.id)?.into_iter().map(|c| c.server).collect();
        store::users::delete(tx, user.id)?;
        let mut changes = Changes::new().deleted(&user, &[BOOKKEEPING, &["has_password"]].concat());
        if !linked.is_empty() {
            // Their linked upstream accounts went with them (ON DELETE CASCADE).
            changes = changes.field("upstream_connections", &linked, Vec::<String>::new());
        }
        Ok((user.clone(), AuditRecord::new("user.delete", "user", user.id, name, changes)))
    })
}

pub fn set_password(db: &mut Db, ctx: &Ctx, name: &str, pw: &Secret) -> Result<User> {
    // Look the user up first so a typo is reported before the slow hash.
    query(db, |tx| find(tx, name))?;
    let hash = hash(pw)?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let user = find(tx, name)?;
        store::users::set_password(tx, user.id, &hash, &now)?;
        let updated = find(tx, name)?;
        Ok((updated, AuditRecord::new("user.passwd", "user", user.id, name, Changes::new().secret("password"))))
    })
}

/// `user sessions`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListUserSessions {
    pub user: String,
}

/// `user signout`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOutUser {
    pub user: String,
}

/// What `user signout` ended.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct SignedOut {
    /// How many sign-ins (token families) were revoked.
    pub revoked: usize,
    pub user: String,
}

crate::operation!(ListUserSessions, Get "/users/{user}/sessions", USER_READ, "List a user's sign-ins (one per client and server)", Vec<store::oauth::GrantRow>, |op, stores, ctx| sessions(stores.state()?, ctx, &op.user));
crate::operation!(SignOutUser, Post "/users/{user}/signout", USER_MANAGE, "End every sign-in of a user", SignedOut, |op, stores, ctx| {
    let revoked = signout(stores.state()?, ctx, &op.user)?;
    Ok(SignedOut { revoked, user: op.user })
});

/// A user's live sign-ins (OAuth grants), for `mcpcp user sessions`.
pub fn sessions(db: &mut Db, ctx: &Ctx, name: &str) -> Result<Vec<store::oauth::GrantRow>> {
    ctx.require_global(Permission::USER_READ)?;
    let now = ctx.timestamp();
    query(db, |tx| {
        let user = find(tx, name)?;
        Ok(store::oauth::user_grants(tx, user.id, &now)?)
    })
}

/// Ends every sign-in of a user: their tokens stop working and live sessions close.
pub fn signout(db: &mut Db, ctx: &Ctx, name: &str) -> Result<usize> {
    ctx.require_global(Permission::USER_MANAGE)?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let user = find(tx, name)?;
        let live = store::oauth::user_grants(tx, user.id, &now)?.len();
        if live == 0 {
            return Err(Error::Conflict(format!("user {name:?} has no sign-ins")));
        }
        let revoked = store::oauth::revoke_user_grants(tx, user.id, None, "signed out by an administrator", &now)?;
        let changes = Changes::new().field("sign_ins", live, 0);
        Ok((revoked, AuditRecord::new("user.signout", "user", user.id, name, changes)))
    })
}
