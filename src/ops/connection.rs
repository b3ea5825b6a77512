//! Linked upstream accounts (per-user upstream access): storing a connection's tokens sealed to
//! its server and user, removing it, listing what is linked (never the tokens), and dropping
//! the connections a user no longer may use. Every change is audited (`connection.link`,
//! `connection.unlink`) in the transaction that makes it.

use chrono::{DateTime, Utc};

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query};
use crate::model::UpstreamConnection;
use crate::policy::rbac::Permission;
use crate::secrets::{SealKey, Secret};
use crate::store::{self, Db};

pub use crate::secrets::UpstreamTokens as Tokens;

/// A connection to store: whose, what the upstream granted, and until when.
#[derive(Debug)]
pub struct Link<'a> {
    pub server: &'a str,
    /// The mcpcp user; `None` for the server's shared connection.
    pub user: Option<&'a str>,
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub expires_at: Option<DateTime<Utc>>,
    pub scopes: Vec<String>,
    pub subject: Option<String>,
}

fn owner(server: &str, user: Option<&str>) -> String {
    match user {
        Some(u) => format!("{server}/{u}"),
        None => format!("{server}/shared"),
    }
}

/// Stores (or replaces) a connection.
pub fn link(db: &mut Db, ctx: &Ctx, key: &SealKey, link: Link<'_>) -> Result<UpstreamConnection> {
    let tokens = Tokens {
        access: link.access_token.expose().to_string(),
        refresh: link.refresh_token.as_ref().map(|r| r.expose().to_string()),
    };
    let now = ctx.timestamp();
    let expires_at = link.expires_at.map(store::timestamp);
    let scopes = link.scopes.join(" ");
    mutate(db, ctx, |tx| {
        let server = super::server::find(tx, link.server)?;
        let user = link.user.map(|u| super::user::find(tx, u)).transpose()?;
        let user_id = user.as_ref().map(|u| u.id);
        let sealed = tokens.seal(key, server.id, user_id).map_err(|e| Error::Internal(e.to_string()))?;
        let before = store::connections::get(tx, server.id, user_id)?;
        let id = store::connections::upsert(
            tx,
            &store::connections::NewConnection {
                server_id: server.id,
                user_id,
                subject: link.subject.as_deref(),
                scopes: &scopes,
                tokens_sealed: &sealed,
                expires_at: expires_at.as_deref(),
                now: &now,
            },
        )?;
        let after = store::connections::get(tx, server.id, user_id)?
            .ok_or_else(|| Error::Internal("the connection just stored is missing".into()))?;
        let changes = Changes::new()
            .field("subject", before.as_ref().map(|b| &b.subject), &after.subject)
            .field("scopes", before.as_ref().map(|b| &b.scopes), &after.scopes)
            .secret("tokens");
        let record = AuditRecord::new("connection.link", "connection", id, &owner(link.server, link.user), changes);
        Ok((after, record))
    })
}

/// `server connections`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListServerConnections {
    pub server: String,
}

/// `server disconnect`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisconnectServer {
    pub server: String,
}

/// `user connections`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListUserConnections {
    pub user: String,
}

/// `user disconnect`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisconnectUser {
    pub user: String,
    pub server: String,
}

crate::operation!(ListServerConnections, Get "/servers/{server}/connections", SERVER_READ, "List the upstream accounts linked for a server, per user and shared (never their tokens)", Vec<UpstreamConnection>, |op, stores, ctx| for_server(stores.state()?, ctx, &op.server));
crate::operation!(DisconnectServer, Delete "/servers/{server}/connection", SERVER_UPDATE, "Remove a server's shared upstream connection", UpstreamConnection, |op, stores, ctx| unlink(stores.state()?, ctx, &op.server, None));
crate::operation!(ListUserConnections, Get "/users/{user}/connections", USER_READ, "List the upstream accounts a user linked (never their tokens)", Vec<UpstreamConnection>, |op, stores, ctx| for_user(stores.state()?, ctx, &op.user));
crate::operation!(DisconnectUser, Delete "/users/{user}/connections/{server}", USER_MANAGE, "Remove a user's linked upstream account for a server", UpstreamConnection, |op, stores, ctx| unlink(stores.state()?, ctx, &op.server, Some(&op.user)));

/// Removes a connection; it must exist. The shared one is the server's (`server.update`), a
/// user's is the user's (`user.manage`).
pub fn unlink(db: &mut Db, ctx: &Ctx, server: &str, user: Option<&str>) -> Result<UpstreamConnection> {
    if user.is_some() {
        ctx.require_global(Permission::USER_MANAGE)?;
    }
    mutate(db, ctx, |tx| {
        let s = super::server::find(tx, server)?;
        if user.is_none() {
            ctx.require(Permission::SERVER_UPDATE, s.id, || format!("no server named {server:?}"))?;
        }
        let user_id = user.map(|u| super::user::find(tx, u)).transpose()?.map(|u| u.id);
        let found = store::connections::get(tx, s.id, user_id)?.ok_or_else(|| {
            Error::NotFound(match user {
                Some(u) => format!("user {u:?} has no connection to server {server:?}"),
                None => format!("server {server:?} has no shared connection"),
            })
        })?;
        store::connections::delete(tx, s.id, user_id)?;
        let changes = Changes::new().deleted(&found, &["id", "created_at", "refreshed_at", "expires_at"]);
        Ok((
            found.clone(),
            AuditRecord::new("connection.unlink", "connection", found.id, &owner(server, user), changes),
        ))
    })
}

pub fn for_user(db: &mut Db, ctx: &Ctx, user: &str) -> Result<Vec<UpstreamConnection>> {
    ctx.require_global(Permission::USER_READ)?;
    query(db, |tx| {
        let u = super::user::find(tx, user)?;
        Ok(store::connections::list_for_user(tx, u.id)?)
    })
}

pub fn for_server(db: &mut Db, ctx: &Ctx, server: &str) -> Result<Vec<UpstreamConnection>> {
    query(db, |tx| {
        let s = super::server::find(tx, server)?;
        ctx.require(Permission::SERVER_READ, s.id, || format!("no server named {server:?}"))?;
        Ok(store::connections::list_for_server(tx, s.id)?)
    })
}

/// Opens a connection's sealed tokens; fails for a value sealed for another server or user.
pub fn open_tokens(key: &SealKey, server_id: i64, user_id: Option<i64>, sealed: &[u8]) -> Result<Tokens> {
    Tokens::open(key, server_id, user_id, sealed)
        .map_err(|_| Error::Internal("the connection's tokens do not open for this server and user".into()))
}

/// Drops a user's connections to servers no group of theirs grants any more (none at all for a
/// disabled user); the names of the servers whose connection went, for the audit row.
pub(crate) fn drop_unreached(tx: &store::Connection, user_id: i64, disabled: bool) -> Result<Vec<String>> {
    let reached = if disabled { Vec::new() } else { store::groups::reached_by(tx, user_id)?.into_iter().collect() };
    Ok(store::connections::delete_unreached(tx, user_id, &reached)?)
}

/// The tokens of the owner's connection, opened; `None` if there is none.
pub fn tokens_of(db: &mut Db, key: &SealKey, server_id: i64, user_id: Option<i64>) -> Result<Option<Tokens>> {
    let sealed = query(db, |tx| Ok(store::connections::sealed(tx, server_id, user_id)?))?;
    sealed.map(|s| open_tokens(key, server_id, user_id, &s)).transpose()
}

/// Stores a refresh's tokens (the rotated refresh token replaces the old one in the same
/// write). Not an administrative change: no audit entry, as for mcpcp's own token rotation.
pub fn refreshed(
    db: &mut Db,
    now: DateTime<Utc>,
    key: &SealKey,
    server_id: i64,
    user_id: Option<i64>,
    tokens: &Tokens,
    expires_at: Option<DateTime<Utc>>,
) -> Result<bool> {
    let sealed = tokens.seal(key, server_id, user_id).map_err(|e| Error::Internal(e.to_string()))?;
    let (expires, now) = (expires_at.map(store::timestamp), store::timestamp(now));
    db.write(|tx| Ok(store::connections::update_tokens(tx, server_id, user_id, &sealed, expires.as_deref(), &now)?))
}

/// The upstream refused the connection's refresh token (revoked, expired): the connection is
/// removed, audited as `connection.refresh_failed`, and its user is asked to link again.
pub fn refresh_failed(db: &mut Db, ctx: &Ctx, server_id: i64, user_id: Option<i64>, why: &str) -> Result<()> {
    mutate(db, ctx, |tx| {
        let found = store::connections::get(tx, server_id, user_id)?
            .ok_or_else(|| Error::NotFound("the connection is gone".into()))?;
        store::connections::delete(tx, server_id, user_id)?;
        let changes = Changes::new().deleted(&found, &["id", "created_at", "refreshed_at", "expires_at"]).field(
            "reason",
            Option::<String>::None,
            why,
        );
        let owner = owner(&found.server, found.user.as_deref());
        Ok(((), AuditRecord::new("connection.refresh_failed", "connection", found.id, &owner, changes)))
    })
}

/// Up to `limit` tokens of removed connections queued for revocation at the upstream and tried
/// fewer than `max_attempts` times (the queue fills in the transactions that remove
/// connections). Not an administrative change: the removal was audited.
pub fn queued_revocations(db: &mut Db, max_attempts: i64, limit: usize) -> Result<Vec<store::connections::Revocation>> {
    query(db, |tx| Ok(store::connections::revocations(tx, max_attempts, limit)?))
}

/// A queued revocation was tried: `done` removes it, else it counts one more attempt (and goes
/// after the last).
pub fn revocation_tried(db: &mut Db, id: i64, done: bool, max_attempts: i64) -> Result<()> {
    db.write(|tx| {
        match done {
            true => store::connections::revocation_done(tx, id)?,
            false => store::connections::revocation_failed(tx, id, max_attempts)?,
        }
        Ok(())
    })
}
