//! The OAuth tables: registered clients, remembered consents, grants (token families) and the
//! digests of access and refresh tokens.

use rusqlite::{Connection, OptionalExtension, params};

/// A registered client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub client_id: String,
    pub kind: String,
    pub client_name: String,
    pub redirect_uris: Vec<String>,
    pub secret_hash: Option<String>,
    pub auth_method: String,
    pub created_at: String,
}

pub fn insert_client(conn: &Connection, c: &Client, metadata: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO oauth_clients (client_id, kind, client_name, redirect_uris, secret_hash, auth_method, metadata, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (client_id) DO UPDATE SET client_name = excluded.client_name, redirect_uris = excluded.redirect_uris,
           metadata = excluded.metadata",
        params![
            c.client_id,
            c.kind,
            c.client_name,
            serde_json::Value::from(c.redirect_uris.clone()).to_string(),
            c.secret_hash,
            c.auth_method,
            metadata,
            c.created_at
        ],
    )?;
    Ok(())
}

pub fn client(conn: &Connection, client_id: &str) -> rusqlite::Result<Option<Client>> {
    conn.query_row(
        "SELECT client_id, kind, client_name, redirect_uris, secret_hash, auth_method, created_at FROM oauth_clients WHERE client_id = ?1",
        [client_id],
        |r| {
            let uris: String = r.get(3)?;
            Ok(Client {
                client_id: r.get(0)?,
                kind: r.get(1)?,
                client_name: r.get(2)?,
                redirect_uris: serde_json::from_str(&uris).unwrap_or_default(),
                secret_hash: r.get(4)?,
                auth_method: r.get(5)?,
                created_at: r.get(6)?,
            })
        },
    )
    .optional()
}

/// Whether the user approved the client for this server (a consent binds all three).
pub fn has_consent(conn: &Connection, user_id: i64, client_id: &str, server_id: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM oauth_consents WHERE user_id = ?1 AND client_id = ?2 AND server_id = ?3)",
        params![user_id, client_id, server_id],
        |r| r.get(0),
    )
}

pub fn add_consent(
    conn: &Connection,
    user_id: i64,
    client_id: &str,
    server_id: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO oauth_consents (user_id, client_id, server_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![user_id, client_id, server_id, now],
    )?;
    Ok(())
}

/// A new grant (token family) for a user, client and server.
#[derive(Debug)]
pub struct NewGrant<'a> {
    pub user_id: i64,
    pub client_id: &'a str,
    pub server_id: i64,
    pub method: &'a str,
    pub scope: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
    /// Digest of the authorization code redeemed for it (unique: one family per code).
    pub code_hash: &'a str,
}

pub fn insert_grant(conn: &Connection, g: &NewGrant<'_>) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO oauth_grants (user_id, client_id, server_id, method, scope, created_at, expires_at, code_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        params![g.user_id, g.client_id, g.server_id, g.method, g.scope, g.now, g.expires_at, g.code_hash],
        |r| r.get(0),
    )
}

pub fn insert_token(
    conn: &Connection,
    hash: &str,
    grant_id: i64,
    kind: &str,
    now: &str,
    expires_at: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO oauth_tokens (hash, grant_id, kind, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, grant_id, kind, now, expires_at],
    )?;
    Ok(())
}

/// A token looked up by digest, with its grant.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub grant_id: i64,
    pub kind: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub user_id: i64,
    pub client_id: String,
    pub server_id: i64,
    pub method: String,
    pub scope: String,
    pub grant_expires_at: String,
    pub grant_revoked: bool,
}

pub fn token(conn: &Connection, hash: &str) -> rusqlite::Result<Option<TokenRow>> {
    conn.query_row(
        "SELECT t.grant_id, t.kind, t.expires_at, t.used_at, g.user_id, g.client_id, g.server_id, g.method, g.scope,
                g.expires_at, g.revoked_at IS NOT NULL
         FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id WHERE t.hash = ?1",
        [hash],
        |r| {
            Ok(TokenRow {
                grant_id: r.get(0)?,
                kind: r.get(1)?,
                expires_at: r.get(2)?,
                used_at: r.get(3)?,
                user_id: r.get(4)?,
                client_id: r.get(5)?,
                server_id: r.get(6)?,
                method: r.get(7)?,
                scope: r.get(8)?,
                grant_expires_at: r.get(9)?,
                grant_revoked: r.get(10)?,
            })
        },
    )
    .optional()
}

/// Marks a refresh token used (rotated). False if it already was: the caller treats that as reuse.
pub fn use_token(conn: &Connection, hash: &str, now: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("UPDATE oauth_tokens SET used_at = ?2 WHERE hash = ?1 AND used_at IS NULL", params![hash, now])?
        == 1)
}

pub fn revoke_grant(conn: &Connection, grant_id: i64, why: &str, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE oauth_grants SET revoked_at = ?2, revoked_why = ?3 WHERE id = ?1 AND revoked_at IS NULL",
        params![grant_id, now, why],
    )?;
    Ok(())
}

/// Revokes every grant issued for the authorization code with digest `code_hash` (a replayed
/// code); returns how many were live.
pub fn revoke_code_grants(conn: &Connection, code_hash: &str, why: &str, now: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE oauth_grants SET revoked_at = ?2, revoked_why = ?3 WHERE code_hash = ?1 AND revoked_at IS NULL",
        params![code_hash, now, why],
    )
}

/// Revokes a user's live grants, for every server or for the given ones; returns how many.
pub fn revoke_user_grants(
    conn: &Connection,
    user_id: i64,
    server_ids: Option<&[i64]>,
    why: &str,
    now: &str,
) -> rusqlite::Result<usize> {
    match server_ids {
        None => conn.execute(
            "UPDATE oauth_grants SET revoked_at = ?2, revoked_why = ?3 WHERE user_id = ?1 AND revoked_at IS NULL",
            params![user_id, now, why],
        ),
        Some(ids) => {
            let mut n = 0;
            for id in ids {
                n += conn.execute(
                    "UPDATE oauth_grants SET revoked_at = ?3, revoked_why = ?4 WHERE user_id = ?1 AND server_id = ?2 AND revoked_at IS NULL",
                    params![user_id, id, now, why],
                )?;
            }
            Ok(n)
        }
    }
}

/// A user's grant, for `mcpcp user sessions`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct GrantRow {
    pub id: i64,
    pub client_id: String,
    pub client_name: String,
    pub server: String,
    pub method: String,
    pub scope: String,
    pub created_at: String,
    pub expires_at: String,
}

/// A user's live grants (not revoked, not expired), oldest first.
pub fn user_grants(conn: &Connection, user_id: i64, now: &str) -> rusqlite::Result<Vec<GrantRow>> {
    let mut stmt = conn.prepare(
        "SELECT g.id, g.client_id, c.client_name, s.name, g.method, g.scope, g.created_at, g.expires_at
         FROM oauth_grants g JOIN oauth_clients c ON c.client_id = g.client_id JOIN servers s ON s.id = g.server_id
         WHERE g.user_id = ?1 AND g.revoked_at IS NULL AND g.expires_at > ?2 ORDER BY g.id",
    )?;
    stmt.query_map(params![user_id, now], |r| {
        Ok(GrantRow {
            id: r.get(0)?,
            client_id: r.get(1)?,
            client_name: r.get(2)?,
            server: r.get(3)?,
            method: r.get(4)?,
            scope: r.get(5)?,
            created_at: r.get(6)?,
            expires_at: r.get(7)?,
        })
    })?
    .collect()
}

/// Deletes tokens that expired more than a day ago (they can no longer be replayed meaningfully).
pub fn prune_tokens(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM oauth_tokens WHERE expires_at < ?1", [before])
}

/// Servers a user holds unrevoked sign-ins (grants) for.
pub fn granted_servers(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT server_id FROM oauth_grants WHERE user_id = ?1 AND revoked_at IS NULL")?;
    stmt.query_map([user_id], |r| r.get(0))?.collect()
}
