//! The gateway's client sessions in `activity.db` (`sessions`): written behind the request path
//! by the gateway's session writer, read once when the gateway starts.

use rusqlite::{Connection, params};

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// SHA-256 (hex) of the session id.
    pub id_hash: String,
    pub server_id: i64,
    /// `token:ID` or `user:ID:GRANT`.
    pub principal: String,
    pub protocol_version: String,
    /// The client's `initialize` request (id 0).
    pub init: String,
    /// The upstream's session id and settings digest, sealed (purpose bound to `id_hash`).
    pub upstream_sealed: Option<Vec<u8>>,
    pub created_at: String,
    pub last_used_at: String,
}

/// Every stored session.
pub fn load(conn: &Connection) -> rusqlite::Result<Vec<SessionRow>> {
    let mut stmt = conn.prepare(
        "SELECT id_hash, server_id, principal, protocol_version, init, upstream_sealed, created_at, last_used_at
         FROM sessions",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SessionRow {
            id_hash: r.get(0)?,
            server_id: r.get(1)?,
            principal: r.get(2)?,
            protocol_version: r.get(3)?,
            init: r.get(4)?,
            upstream_sealed: r.get(5)?,
            created_at: r.get(6)?,
            last_used_at: r.get(7)?,
        })
    })?;
    rows.collect()
}

/// Stores a session (a new one, or one whose id was stored before: replaced).
pub fn put(conn: &Connection, row: &SessionRow) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO sessions
           (id_hash, server_id, principal, protocol_version, init, upstream_sealed, created_at, last_used_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            row.id_hash,
            row.server_id,
            row.principal,
            row.protocol_version,
            row.init,
            row.upstream_sealed,
            row.created_at,
            row.last_used_at
        ],
    )?;
    Ok(())
}

/// A session's upstream changed (it connected, or started a new upstream session).
pub fn set_upstream(conn: &Connection, id_hash: &str, sealed: Option<&[u8]>) -> rusqlite::Result<()> {
    conn.execute("UPDATE sessions SET upstream_sealed = ?2 WHERE id_hash = ?1", params![id_hash, sealed])?;
    Ok(())
}

/// A session was used at `at` (written at most once a minute per session).
pub fn touch(conn: &Connection, id_hash: &str, at: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE sessions SET last_used_at = ?2 WHERE id_hash = ?1", params![id_hash, at])?;
    Ok(())
}

/// A session ended.
pub fn delete(conn: &Connection, id_hash: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sessions WHERE id_hash = ?1", params![id_hash])?;
    Ok(())
}
