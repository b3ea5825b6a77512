//! Admins signing in through the identity provider (`mcpcp admin login`): which admin a verified
//! identity is, the admin created on its first sign-in from an identity provider group a role is
//! bound to (`role bind --idp-group`), and the short-lived admin token a sign-in issues.
//!
//! An identity is an admin when an admin's `sso_subject` is its subject (the ID token's `sub`,
//! or `ISSUER|sub`), or when one of its groups (the SSO settings' groups claim) has a role bound:
//! then an admin is created on the first sign-in, holding no role of its own. Anyone else is
//! not an admin. A sign-in's token keeps the groups asserted then: the roles bound to them count
//! in its authority (`admin::token_authority`), besides the admin's own.

use std::collections::BTreeSet;

use super::admin::{ADMIN_TOKEN_PREFIX, CreatedToken};
use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query};
use crate::identity::oidc::IdpIdentity;
use crate::identity::token;
use crate::model::{Admin, AdminName, parse_email};
use crate::store::{self, Db};

/// How long the admin token of a sign-in lives.
pub const SIGN_IN_TOKEN_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(12);
/// The most identity provider groups kept with a token; beyond it, only those a role is bound to.
pub const MAX_TOKEN_GROUPS: usize = 256;
/// The longest identity provider group name kept (longer ones cannot be bound either).
const MAX_GROUP_LEN: usize = 256;

/// The admin a verified identity signed in as.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub admin: Admin,
    /// Created by this sign-in.
    pub created: bool,
    /// The identity provider groups to keep with the token.
    pub groups: Vec<String>,
    /// Those of them a role is bound to.
    pub bound: Vec<String>,
}

/// The identity's groups as kept: valid names, sorted, without repeats, at most
/// `MAX_TOKEN_GROUPS` (those a role is bound to first).
fn kept_groups(id: &IdpIdentity, bound: &BTreeSet<String>) -> Vec<String> {
    let groups: BTreeSet<String> = id
        .groups
        .iter()
        .flatten()
        .filter(|g| !g.is_empty() && g.len() <= MAX_GROUP_LEN && !g.chars().any(char::is_control))
        .cloned()
        .collect();
    if groups.len() <= MAX_TOKEN_GROUPS {
        return groups.into_iter().collect();
    }
    groups.into_iter().filter(|g| bound.contains(g)).take(MAX_TOKEN_GROUPS).collect()
}

/// The subjects an admin's `sso_subject` may name this identity by: `ISSUER|sub` as mcpcp
/// records it, or the ID token's `sub` alone.
fn subjects<'a>(id: &'a IdpIdentity, issuer: &str) -> Vec<&'a str> {
    let mut out = vec![id.subject.as_str()];
    if let Some(sub) = id.subject.strip_prefix(issuer).and_then(|s| s.strip_prefix('|')) {
        out.push(sub);
    }
    out
}

/// The admin identity `id` (from the provider `issuer`) is, created on its first sign-in when one
/// of its groups has a role bound (audited in the same transaction, as `ctx`'s actor: `system
/// sso`); `None` when it is no admin. A disabled admin is returned as it is: the caller refuses it.
pub fn sign_in(db: &mut Db, ctx: &Ctx, id: &IdpIdentity, issuer: &str) -> Result<Option<SignedIn>> {
    let subjects = subjects(id, issuer);
    let (existing, bound_anywhere) =
        query(db, |tx| Ok((store::admins::by_subject(tx, &subjects)?, store::admins::idp_groups_bound(tx)?)))?;
    let groups = kept_groups(id, &bound_anywhere);
    let bound: Vec<String> = groups.iter().filter(|g| bound_anywhere.contains(*g)).cloned().collect();
    if let Some(admin) = existing {
        return Ok(Some(SignedIn { admin, created: false, groups, bound }));
    }
    if bound.is_empty() {
        return Ok(None);
    }
    let name = admin_name(id)?;
    let email = id.email.as_deref().and_then(|e| parse_email(e).ok());
    let now = ctx.timestamp();
    let created = mutate(db, ctx, |tx| {
        // Another sign-in of the same identity may have created it meanwhile.
        if let Some(admin) = store::admins::by_subject(tx, &subjects)? {
            return Err(Error::Conflict(format!("admin {:?} was created by another sign-in just now", admin.name)));
        }
        if store::admins::get(tx, name.as_str())?.is_some() {
            return Err(Error::Conflict(format!(
                "an admin named {:?} already exists and is not bound to this identity",
                name.as_str()
            )));
        }
        let admin_id = store::admins::insert(
            tx,
            &store::admins::NewAdmin {
                name: name.as_str(),
                email: email.as_deref(),
                password_hash: None,
                sso_subject: Some(&id.subject),
                now: &now,
            },
        )?;
        let admin = store::admins::get_by_id(tx, admin_id)?
            .ok_or_else(|| Error::Internal(format!("admin {admin_id} vanished")))?;
        let changes = Changes::new()
            .created(&admin, &["id", "created_at", "updated_at", "bindings", "has_password"])
            .field("idp_groups", None::<&str>, &bound);
        let out = SignedIn { admin, created: true, groups: groups.clone(), bound: bound.clone() };
        Ok((out, AuditRecord::new("admin.create", "admin", admin_id, name.as_str(), changes)))
    });
    match created {
        Ok(signed) => Ok(Some(signed)),
        // Lost a race with the same identity's other sign-in: use the admin it created.
        Err(Error::Conflict(why)) => match query(db, |tx| Ok(store::admins::by_subject(tx, &subjects)?))? {
            Some(admin) => Ok(Some(SignedIn { admin, created: false, groups, bound })),
            None => Err(Error::Conflict(why)),
        },
        Err(e) => Err(e),
    }
}

/// The name of an admin created on first sign-in: the IdP's preferred name, lowercased, if
/// valid; else the email; else a name derived from the subject.
fn admin_name(id: &IdpIdentity) -> Result<AdminName> {
    let candidates = [Some(id.name.to_lowercase()), id.email.as_ref().map(|e| e.to_lowercase())];
    for c in candidates.into_iter().flatten() {
        if let Ok(n) = AdminName::parse(&c) {
            return Ok(n);
        }
    }
    let digest = token::hash(&id.subject);
    Ok(AdminName::parse(&format!("sso-{}", &digest[..12]))?)
}

/// Issues the admin token of a sign-in of admin `admin_id`, for `SIGN_IN_TOKEN_LIFETIME`, keeping
/// `groups` with it; audited (`admin.login`) as `ctx`'s actor, the admin itself. A disabled admin
/// gets none (`Forbidden`-like `Conflict`, which the gateway answers with 403).
pub fn issue_token(db: &mut Db, ctx: &Ctx, admin_id: i64, groups: &[String]) -> Result<CreatedToken> {
    let minted = token::mint_with(ADMIN_TOKEN_PREFIX).map_err(|e| Error::Internal(e.to_string()))?;
    let now = ctx.timestamp();
    let expires_at = store::timestamp(ctx.now + SIGN_IN_TOKEN_LIFETIME);
    mutate(db, ctx, |tx| {
        let admin = store::admins::get_by_id(tx, admin_id)?
            .ok_or_else(|| Error::NotFound("the admin who signed in no longer exists".into()))?;
        if admin.disabled {
            return Err(Error::Conflict(format!("admin {:?} is disabled", admin.name)));
        }
        let name = format!("sso-{}", store::admins::token_next_id(tx)?);
        let id = store::admins::token_insert(
            tx,
            &store::admins::NewToken {
                admin_id,
                name: &name,
                prefix: &minted.prefix,
                hash: &minted.hash,
                role: None,
                servers: None,
                expires_at: Some(&expires_at),
                sign_in: Some("sso"),
                idp_groups: groups,
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
            .field("sign_in", None::<&str>, "sso")
            .field("idp_groups", None::<&str>, groups)
            .field("expires_at", None::<&str>, &expires_at)
            .secret("secret");
        let record = AuditRecord::new("admin.login", "admin_token", id, &format!("{}/{name}", admin.name), changes);
        Ok((CreatedToken { token, secret: minted.secret }, record))
    })
}
