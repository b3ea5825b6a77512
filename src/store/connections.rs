//! The `upstream_connections` table: linked upstream accounts, one per (server, user) or the
//! server's shared one; tokens only sealed.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::UpstreamConnection;

/// A connection to store (insert, or replace the one of the same owner).
#[derive(Debug)]
pub struct NewConnection<'a> {
    pub server_id: i64,
    pub user_id: Option<i64>,
    pub subject: Option<&'a str>,
    pub scopes: &'a str,
    pub tokens_sealed: &'a [u8],
    pub expires_at: Option<&'a str>,
    pub now: &'a str,
}

const COLUMNS: &str = "c.id, s.name, u.name, c.subject, c.scopes, c.expires_at, c.created_at, c.refreshed_at";
const FROM: &str = "upstream_connections c JOIN servers s ON s.id = c.server_id LEFT JOIN users u ON u.id = c.user_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<UpstreamConnection> {
    let scopes: String = r.get(4)?;
    Ok(UpstreamConnection {
        id: r.get(0)?,
        server: r.get(1)?,
        user: r.get(2)?,
        subject: r.get(3)?,
        scopes: scopes.split_whitespace().map(String::from).collect(),
        expires_at: r.get(5)?,
        created_at: r.get(6)?,
        refreshed_at: r.get(7)?,
    })
}

/// Stores a connection, replacing the owner's previous one (a new link, or a refresh).
pub fn upsert(conn: &Connection, c: &NewConnection<'_>) -> rusqlite::Result<i64> {
    delete(conn, c.server_id, c.user_id)?;
    conn.query_row(
        "INSERT INTO upstream_connections (server_id, user_id, subject, scopes, tokens_sealed, expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![c.server_id, c.user_id, c.subject, c.scopes, c.tokens_sealed, c.expires_at, c.now],
        |r| r.get(0),
    )
}

/// Removes the owner's connection to a server; whether there was one.
pub fn delete(conn: &Connection, server_id: i64, user_id: Option<i64>) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM upstream_connections WHERE server_id = ?1 AND COALESCE(user_id, 0) = COALESCE(?2, 0)",
        params![server_id, user_id],
    )? > 0)
}

/// The owner's connection to a server.
pub fn get(conn: &Connection, server_id: i64, user_id: Option<i64>) -> rusqlite::Result<Option<UpstreamConnection>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE c.server_id = ?1 AND COALESCE(c.user_id, 0) = COALESCE(?2, 0)"),
        params![server_id, user_id],
        from_row,
    )
    .optional()
}

/// The sealed tokens of the owner's connection to a server.
pub fn sealed(conn: &Connection, server_id: i64, user_id: Option<i64>) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.query_row(
        "SELECT tokens_sealed FROM upstream_connections WHERE server_id = ?1 AND COALESCE(user_id, 0) = COALESCE(?2, 0)",
        params![server_id, user_id],
        |r| r.get(0),
    )
    .optional()
}

pub fn list_for_user(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<UpstreamConnection>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM {FROM} WHERE c.user_id = ?1 ORDER BY s.name"))?;
    stmt.query_map([user_id], from_row)?.collect()
}

pub fn list_for_server(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<UpstreamConnection>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {COLUMNS} FROM {FROM} WHERE c.server_id = ?1 ORDER BY u.name NULLS FIRST"))?;
    stmt.query_map([server_id], from_row)?.collect()
}

/// Removes a user's connections to servers not in `reached`; the names of the servers whose
/// connection went.
pub fn delete_unreached(conn: &Connection, user_id: i64, reached: &[i64]) -> rusqlite::Result<Vec<String>> {
    let gone: Vec<(i64, String)> = {
        let mut stmt = conn.prepare(
            "SELECT c.server_id, s.name FROM upstream_connections c JOIN servers s ON s.id = c.server_id
             WHERE c.user_id = ?1 ORDER BY s.name",
        )?;
        stmt.query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
    };
    let mut names = Vec::new();
    for (server_id, name) in gone.into_iter().filter(|(s, _)| !reached.contains(s)) {
        delete(conn, server_id, Some(user_id))?;
        names.push(name);
    }
    Ok(names)
}

/// Removes every connection to a server (its upstream no longer signs users in); how many.
pub fn delete_for_server(conn: &Connection, server_id: i64) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM upstream_connections WHERE server_id = ?1", [server_id])
}

/// Stores refreshed tokens of the owner's connection; whether it still exists.
pub fn update_tokens(
    conn: &Connection,
    server_id: i64,
    user_id: Option<i64>,
    tokens_sealed: &[u8],
    expires_at: Option<&str>,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE upstream_connections SET tokens_sealed = ?3, expires_at = ?4, refreshed_at = ?5
         WHERE server_id = ?1 AND COALESCE(user_id, 0) = COALESCE(?2, 0)",
        params![server_id, user_id, tokens_sealed, expires_at, now],
    )? > 0)
}

/// Tokens of a removed connection, queued for revocation at the upstream's authorization server
/// (`upstream_revocations`, filled by a trigger when a connection is deleted).
#[derive(Debug, Clone)]
pub struct Revocation {
    pub id: i64,
    pub server_id: i64,
    pub user_id: Option<i64>,
    pub tokens_sealed: Vec<u8>,
    pub endpoint: String,
    pub resource: String,
    pub client_id: String,
    pub client_secret_sealed: Option<Vec<u8>>,
    pub auth_method: String,
    pub attempts: i64,
}

/// Up to `limit` queued revocations tried fewer than `max_attempts` times, oldest first.
pub fn revocations(conn: &Connection, max_attempts: i64, limit: usize) -> rusqlite::Result<Vec<Revocation>> {
    let mut stmt = conn.prepare(
        "SELECT id, server_id, user_id, tokens_sealed, endpoint, resource, client_id, client_secret_sealed,
                auth_method, attempts
         FROM upstream_revocations WHERE attempts < ?1 ORDER BY id LIMIT ?2",
    )?;
    stmt.query_map(params![max_attempts, i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        Ok(Revocation {
            id: r.get(0)?,
            server_id: r.get(1)?,
            user_id: r.get(2)?,
            tokens_sealed: r.get(3)?,
            endpoint: r.get(4)?,
            resource: r.get(5)?,
            client_id: r.get(6)?,
            client_secret_sealed: r.get(7)?,
            auth_method: r.get(8)?,
            attempts: r.get(9)?,
        })
    })?
    .collect()
}

/// A queued revocation is done (the endpoint answered), or given up.
pub fn revocation_done(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM upstream_revocations WHERE id = ?1", [id])?;
    Ok(())
}

/// A queued revocation failed once more; rows past the last attempt are dropped.
pub fn revocation_failed(conn: &Connection, id: i64, max_attempts: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE upstream_revocations SET attempts = attempts + 1 WHERE id = ?1", [id])?;
    conn.execute("DELETE FROM upstream_revocations WHERE id = ?1 AND attempts >= ?2", params![id, max_attempts])?;
    Ok(())
}
