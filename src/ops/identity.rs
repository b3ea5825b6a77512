//! The caller's identity carried to a server's upstream: what each server's upstream is told
//! (`server identity`, audited `server.identity`), and the Ed25519 keys that sign the JWTs
//! (`key rotate`, audited `key.rotate`; `key list`). A key is generated, and sealed with the data
//! directory's key, before the transaction that stores it; the private half is never shown.

use serde::{Deserialize, Serialize};

use super::server::find;
use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query};
use crate::identity::jwt::{self, SigningKey};
use crate::model::{IdentityForward, Transport, parse_jwt_header};
use crate::policy::rbac::Permission;
use crate::secrets::{SealKey, purpose};
use crate::store::{self, Db};

/// A server's identity forwarding, as `server identity` shows it.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IdentitySettings {
    pub server: String,
    /// The ways the upstream learns who calls: any of `headers`, `jwt`, `meta`; empty for none.
    pub forward: IdentityForward,
    /// The header the signed JWT travels in (lowercase).
    pub jwt_header: String,
    /// The key id JWTs are signed with now (`null` until a server forwards a JWT or
    /// `key rotate` makes one).
    pub signing_key: Option<String>,
    /// Where upstreams fetch the keys that verify the JWT: the gateway's
    /// `/.well-known/jwks.json` (`null` when its public URL is not known here).
    pub jwks: Option<String>,
}

/// `server identity NAME` without changes.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowIdentity {
    pub server: String,
}

/// `server identity NAME --forward … --jwt-header …`: `None` leaves either as it is.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetIdentity {
    pub server: String,
    #[serde(default)]
    pub forward: Option<IdentityForward>,
    #[serde(default)]
    pub jwt_header: Option<String>,
}

/// `key rotate`.
#[derive(Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateKey {}

/// `key list`.
#[derive(Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListKeys {}

crate::operation!(ShowIdentity, Get "/servers/{server}/identity", SERVER_READ, "Show what a server's upstream is told about each caller", IdentitySettings, |op, stores, ctx| {
    let mut shown = show(stores.state()?, ctx, &op.server)?;
    shown.jwks = jwks(stores);
    Ok(shown)
});
crate::operation!(SetIdentity, Patch "/servers/{server}/identity", SERVER_UPDATE, "Set what a server's upstream is told about each caller", IdentitySettings, |op, stores, ctx| {
    let key = stores.key()?;
    let mut set = set(stores.state()?, ctx, &key, &op.server, op.forward, op.jwt_header.as_deref())?;
    set.jwks = jwks(stores);
    Ok(set)
});
// Signing keys are no server's: rotating one changes what every upstream verifies, which is the
// owners' (`admin.manage` names it); listing them is the read side of that (`admin.read`).
crate::operation!(RotateKey, Post "/keys", ADMIN_MANAGE, "Replace the identity JWT signing key (the old one stays published)", KeyRotation, |_op, stores, ctx| {
    ctx.require_global(Permission::ADMIN_MANAGE)?;
    let key = stores.key()?;
    rotate_key(stores.state()?, ctx, &key)
});
crate::operation!(ListKeys, Get "/keys", ADMIN_READ, "List the identity JWT signing keys (never a private key)", Vec<SigningKeyView>, |_op, stores, ctx| {
    ctx.require_global(Permission::ADMIN_READ)?;
    list_keys(stores.state()?, ctx)
});

/// The JWKS URL, when the public URL is known where the operation runs.
fn jwks(stores: &mut dyn super::operation::Stores) -> Option<String> {
    stores.public_url().ok().map(|public| format!("{public}/.well-known/jwks.json"))
}

/// A signing key as `key list` shows it (never its private half).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SigningKeyView {
    /// The RFC 7638 thumbprint of the public key: the JWT header's `kid`.
    pub kid: String,
    pub algorithm: String,
    /// `current` (signs new tokens), `published` (retired; still in /.well-known/jwks.json
    /// while tokens it signed may be valid) or `retired` (no longer published; deleted by the
    /// next rotation).
    pub status: String,
    pub created_at: String,
    pub retired_at: Option<String>,
    /// Until when a retired key is published.
    pub published_until: Option<String>,
}

/// What `key rotate` did.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KeyRotation {
    /// The new current key.
    pub kid: String,
    /// The key it replaced, published until `previous_published_until`.
    pub previous: Option<String>,
    pub previous_published_until: Option<String>,
    /// Keys retired long enough ago that no token they signed can be valid: deleted.
    pub deleted: Vec<String>,
}

/// A new key pair, its private half sealed for its row.
struct NewKey {
    kid: String,
    public_key: Vec<u8>,
    sealed: Vec<u8>,
}

fn new_key(key: &SealKey) -> Result<NewKey> {
    let generated = SigningKey::generate().map_err(|e| Error::Internal(e.to_string()))?;
    let kid = generated.key.kid().to_string();
    let sealed =
        key.seal(&purpose::signing_key(&kid), generated.pkcs8.expose()).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(NewKey { public_key: generated.key.public_key().to_vec(), kid, sealed })
}

fn store_key(tx: &store::Connection, k: &NewKey, now: &str) -> Result<i64> {
    Ok(store::signing_keys::insert(tx, &k.kid, jwt::ALGORITHM, &k.public_key, &k.sealed, now)?)
}

fn settings(tx: &store::Connection, name: &str) -> Result<IdentitySettings> {
    let server = find(tx, name)?;
    Ok(IdentitySettings {
        server: server.name,
        forward: server.identity_forward,
        jwt_header: server.identity_jwt_header,
        signing_key: store::signing_keys::current(tx)?.map(|k| k.kid),
        jwks: None,
    })
}

/// A server's identity forwarding.
pub fn show(db: &mut Db, ctx: &Ctx, name: &str) -> Result<IdentitySettings> {
    query(db, |tx| {
        let server = find(tx, name)?;
        ctx.require(Permission::SERVER_READ, server.id, || format!("no server named {name:?}"))?;
        settings(tx, name)
    })
}

/// Sets what `name`'s upstream is told about each caller (`forward`) and the JWT's header;
/// `None` leaves either as it is. The first server to forward a JWT makes the signing key, in
/// the same transaction. Live sessions pick the change up with their next request.
pub fn set(
    db: &mut Db,
    ctx: &Ctx,
    key: &SealKey,
    name: &str,
    forward: Option<IdentityForward>,
    jwt_header: Option<&str>,
) -> Result<IdentitySettings> {
    let jwt_header = jwt_header.map(parse_jwt_header).transpose()?;
    let fresh_key = if forward.is_some_and(|f| f.jwt) { Some(new_key(key)?) } else { None };
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let before = find(tx, name)?;
        ctx.require(Permission::SERVER_UPDATE, before.id, || format!("no server named {name:?}"))?;
        let forward = forward.unwrap_or(before.identity_forward);
        let header = jwt_header.clone().unwrap_or_else(|| before.identity_jwt_header.clone());
        if before.transport == Transport::None && forward != crate::model::IdentityForward::default() {
            return Err(Error::Invalid(format!(
                "server {name:?} is composed: it has no upstream of its own; each source server forwards the \
                 caller's identity as its own settings say"
            )));
        }
        if before.transport == Transport::Stdio && (forward.headers || forward.jwt) {
            return Err(Error::Invalid(format!(
                "server {name:?} runs a command: its upstream has no HTTP headers; forward the identity with --forward meta"
            )));
        }
        if forward == before.identity_forward && header == before.identity_jwt_header {
            return Err(Error::Conflict(format!("server {name:?} already forwards the identity that way")));
        }
        store::servers::set_identity(tx, before.id, forward, &header, &now)?;
        let mut changes = Changes::new().field("identity_forward", before.identity_forward, forward).field(
            "identity_jwt_header",
            &before.identity_jwt_header,
            &header,
        );
        if forward.jwt && store::signing_keys::current(tx)?.is_none() {
            let k = fresh_key.as_ref().ok_or_else(|| Error::Internal("no signing key was prepared".into()))?;
            store_key(tx, k, &now)?;
            changes = changes.field("signing_key", None::<&str>, &k.kid);
        }
        let after = settings(tx, name)?;
        Ok((after, AuditRecord::new("server.identity", "server", before.id, name, changes)))
    })
}

/// Replaces the current signing key with a new one. The old key stays published for
/// `jwt::RETIRED_KEY_PUBLISHED_SECS` (every token it signed expires first); keys retired longer
/// ago than that are deleted.
pub fn rotate_key(db: &mut Db, ctx: &Ctx, key: &SealKey) -> Result<KeyRotation> {
    let fresh = new_key(key)?;
    let now = ctx.timestamp();
    let keep = chrono::Duration::seconds(jwt::RETIRED_KEY_PUBLISHED_SECS);
    let cutoff = store::timestamp(ctx.now - keep);
    let published_until = store::timestamp(ctx.now + keep);
    mutate(db, ctx, |tx| {
        let previous = store::signing_keys::current(tx)?.map(|k| k.kid);
        let deleted = store::signing_keys::delete_retired_before(tx, &cutoff)?;
        store::signing_keys::retire_current(tx, &now)?;
        let id = store_key(tx, &fresh, &now)?;
        let mut changes = Changes::new().field("current_key", &previous, &fresh.kid);
        if !deleted.is_empty() {
            changes = changes.field("deleted_keys", Vec::<String>::new(), &deleted);
        }
        let rotation = KeyRotation {
            kid: fresh.kid.clone(),
            previous_published_until: previous.as_ref().map(|_| published_until.clone()),
            previous,
            deleted,
        };
        Ok((rotation, AuditRecord::new("key.rotate", "signing_key", id, &fresh.kid, changes)))
    })
}

/// Every stored signing key, oldest first, with whether it is published at `ctx.now`.
pub fn list_keys(db: &mut Db, ctx: &Ctx) -> Result<Vec<SigningKeyView>> {
    let keep = chrono::Duration::seconds(jwt::RETIRED_KEY_PUBLISHED_SECS);
    let rows = query(db, |tx| Ok(store::signing_keys::all(tx)?))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let until = row.retired_at.as_deref().and_then(store::parse_timestamp).map(|r| r + keep);
            let status = match until {
                None => "current",
                Some(until) if ctx.now < until => "published",
                Some(_) => "retired",
            };
            SigningKeyView {
                kid: row.kid,
                algorithm: row.algorithm,
                status: status.into(),
                created_at: row.created_at,
                retired_at: row.retired_at,
                published_until: until.map(store::timestamp),
            }
        })
        .collect())
}
