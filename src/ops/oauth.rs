//! What answering OAuth requests reads and changes in the state database: registered clients,
//! consents, grants (token families) and the digests of access and refresh tokens, refresh
//! rotation and revocation, and the password check of the sign-in page.
//!
//! These are the actions of end users and their clients, not admin changes: they do not go
//! through [`super::mutate`], write no audit entry and do not bump the state generation (the
//! gateway reloads its snapshot itself after issuing or revoking tokens, and the watcher sees the
//! commit). Each runs in one transaction at the `now` its caller passes: the gateway's clock. An
//! SSO sign-in, which creates users and changes their groups, is an audited operation
//! ([`super::sso::sign_in`]).

use chrono::{DateTime, Utc};

use super::{Result, query};
use crate::identity::{oauth, password};
use crate::secrets::Secret;
use crate::store::{self, Db};

pub use crate::store::oauth::{Client, TokenRow};

/// How long an access token is accepted.
pub const ACCESS_LIFETIME: chrono::Duration = chrono::Duration::minutes(15);
/// The absolute end of a token family (refresh tokens rotate inside it).
pub const GRANT_LIFETIME: chrono::Duration = chrono::Duration::days(30);

/// The client `client_id`, if it is registered (or its metadata document was recorded).
pub fn client(db: &mut Db, client_id: &str) -> Result<Option<Client>> {
    query(db, |tx| Ok(store::oauth::client(tx, client_id)?))
}

/// A client to record: registered (`dcr`) or described by its metadata document (`cimd`).
#[derive(Debug, Clone)]
pub struct NewClient {
    pub client_id: String,
    pub kind: &'static str,
    pub client_name: String,
    pub redirect_uris: Vec<String>,
    /// The digest of a confidential client's secret.
    pub secret_hash: Option<String>,
    pub auth_method: String,
    /// The registration or metadata document, stored as received.
    pub metadata: String,
}

/// Records a client at `now` (a client id recorded before keeps its kind and secret; its name,
/// redirect URIs and document are updated), and returns it as recorded.
pub fn register_client(db: &mut Db, now: DateTime<Utc>, new: NewClient) -> Result<Client> {
    let client = Client {
        client_id: new.client_id,
        kind: new.kind.into(),
        client_name: new.client_name,
        redirect_uris: new.redirect_uris,
        secret_hash: new.secret_hash,
        auth_method: new.auth_method,
        created_at: store::timestamp(now),
    };
    db.write(|tx| -> Result<()> { Ok(store::oauth::insert_client(tx, &client, &new.metadata)?) })?;
    Ok(client)
}

/// The user a sign-in form names, if the password is theirs and the user is not disabled. The
/// password check always runs (against a fixed hash for unknown users and users without a
/// password), so timing tells nothing about which user names exist.
pub fn check_password(db: &mut Db, name: &str, presented: &Secret) -> Result<Option<i64>> {
    let user = query(db, |tx| Ok(store::users::credentials(tx, name)?))?;
    let (id, hash, disabled) = match user {
        Some((id, Some(hash), disabled)) => (Some(id), hash, disabled),
        _ => (None, unknown_user_hash(), true),
    };
    let ok = password::verify(presented, &hash);
    Ok(if ok && !disabled { id } else { None })
}

/// An argon2id hash (of a random password, made once), checked for unknown users and users
/// without a password so their failures take as long as a wrong password.
fn unknown_user_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let random = oauth::mint("x").map(|s| s.expose().to_string()).unwrap_or_else(|_| "mcpcp-unknown-user".into());
        password::hash(&Secret::new(random)).unwrap_or_default()
    })
    .clone()
}

/// Whether the user approved the client for this server (a consent binds all three).
pub fn has_consent(db: &mut Db, user_id: i64, client_id: &str, server_id: i64) -> Result<bool> {
    query(db, |tx| Ok(store::oauth::has_consent(tx, user_id, client_id, server_id)?))
}

/// Remembers that the user approved the client for this server.
pub fn consent(db: &mut Db, now: DateTime<Utc>, user_id: i64, client_id: &str, server_id: i64) -> Result<()> {
    let now = store::timestamp(now);
    db.write(|tx| Ok(store::oauth::add_consent(tx, user_id, client_id, server_id, &now)?))
}

/// The access or refresh token with this digest, with its grant.
pub fn token(db: &mut Db, digest: &str) -> Result<Option<TokenRow>> {
    query(db, |tx| Ok(store::oauth::token(tx, digest)?))
}

/// Whether the token, or its family, has ended at `now` (a time that cannot be read counts as
/// ended).
pub fn expired(row: &TokenRow, now: DateTime<Utc>) -> bool {
    store::parse_timestamp(&row.expires_at).is_none_or(|e| e <= now)
        || store::parse_timestamp(&row.grant_expires_at).is_none_or(|e| e <= now)
}

/// The token family tokens are issued in.
#[derive(Debug, Clone)]
pub enum Family {
    /// A new family for the authorization code with this digest.
    New { code_hash: String },
    /// Refresh rotation inside an existing family, which ends at `expires_at`.
    Rotate { grant_id: i64, expires_at: String },
}

/// Tokens to store, by digest: an access token (accepted for [`ACCESS_LIFETIME`]) and a refresh
/// token (until the family ends, [`GRANT_LIFETIME`] after it began).
#[derive(Debug)]
pub struct Issue<'a> {
    pub client_id: &'a str,
    pub user_id: i64,
    pub server_id: i64,
    /// How the user signed in (`password` or `sso`).
    pub method: &'a str,
    pub scope: &'a str,
    pub access_hash: &'a str,
    pub refresh_hash: &'a str,
    pub family: Family,
}

/// Stores the digests of a new access and refresh token at `now`, in a new family or in the one
/// rotating, in one transaction; returns the family's grant id.
pub fn issue_tokens(db: &mut Db, now: DateTime<Utc>, issue: Issue<'_>) -> Result<i64> {
    let stamp = store::timestamp(now);
    db.write(|tx| {
        let (grant_id, grant_end) = match &issue.family {
            Family::Rotate { grant_id, expires_at } => (*grant_id, expires_at.clone()),
            Family::New { code_hash } => {
                let end = store::timestamp(now + GRANT_LIFETIME);
                let id = store::oauth::insert_grant(
                    tx,
                    &store::oauth::NewGrant {
                        user_id: issue.user_id,
                        client_id: issue.client_id,
                        server_id: issue.server_id,
                        method: issue.method,
                        scope: issue.scope,
                        now: &stamp,
                        expires_at: &end,
                        code_hash,
                    },
                )?;
                (id, end)
            }
        };
        let access_end = store::timestamp(now + ACCESS_LIFETIME);
        store::oauth::insert_token(tx, issue.access_hash, grant_id, "access", &stamp, &access_end)?;
        store::oauth::insert_token(tx, issue.refresh_hash, grant_id, "refresh", &stamp, &grant_end)?;
        Ok(grant_id)
    })
}

/// Marks the refresh token with this digest used (rotated) at `now`. False if it already was:
/// the caller treats that as reuse.
pub fn rotate_refresh(db: &mut Db, now: DateTime<Utc>, digest: &str) -> Result<bool> {
    let now = store::timestamp(now);
    db.write(|tx| Ok(store::oauth::use_token(tx, digest, &now)?))
}

/// Revokes a token family at `now`, saying why.
pub fn revoke_grant(db: &mut Db, now: DateTime<Utc>, grant_id: i64, why: &str) -> Result<()> {
    let now = store::timestamp(now);
    db.write(|tx| Ok(store::oauth::revoke_grant(tx, grant_id, why, &now)?))
}

/// Revokes every token family issued for the authorization code with digest `code_hash` (the
/// code was replayed); returns how many were live.
pub fn revoke_code_grants(db: &mut Db, now: DateTime<Utc>, code_hash: &str) -> Result<usize> {
    let now = store::timestamp(now);
    db.write(|tx| Ok(store::oauth::revoke_code_grants(tx, code_hash, "authorization code replayed", &now)?))
}

/// Token revocation by a client (RFC 7009): revokes the whole family of the token with this
/// digest, if it was issued to `client_id`; returns the token then.
pub fn revoke_by_client(db: &mut Db, now: DateTime<Utc>, digest: &str, client_id: &str) -> Result<Option<TokenRow>> {
    let now = store::timestamp(now);
    db.write(|tx| {
        let Some(row) = store::oauth::token(tx, digest)? else { return Ok(None) };
        if row.client_id != client_id {
            return Ok(None);
        }
        store::oauth::revoke_grant(tx, row.grant_id, "revoked by the client", &now)?;
        Ok(Some(row))
    })
}
