//! The `signing_keys` table: the Ed25519 keys identity JWTs are signed with, the current one and
//! those retired but still published.

use rusqlite::{Connection, OptionalExtension, params};

/// A key as stored (its private half still sealed).
#[derive(Debug, Clone)]
pub struct KeyRow {
    pub id: i64,
    pub kid: String,
    pub algorithm: String,
    pub public_key: Vec<u8>,
    pub private_key_sealed: Vec<u8>,
    pub created_at: String,
    /// When a newer key replaced it; `None` for the current key.
    pub retired_at: Option<String>,
}

const SELECT: &str =
    "SELECT id, kid, algorithm, public_key, private_key_sealed, created_at, retired_at FROM signing_keys";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        id: r.get(0)?,
        kid: r.get(1)?,
        algorithm: r.get(2)?,
        public_key: r.get(3)?,
        private_key_sealed: r.get(4)?,
        created_at: r.get(5)?,
        retired_at: r.get(6)?,
    })
}

/// Every key, oldest first.
pub fn all(conn: &Connection) -> rusqlite::Result<Vec<KeyRow>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY id"))?;
    stmt.query_map([], from_row)?.collect()
}

/// The current key, if there is one.
pub fn current(conn: &Connection) -> rusqlite::Result<Option<KeyRow>> {
    conn.query_row(&format!("{SELECT} WHERE retired_at IS NULL"), [], from_row).optional()
}

/// Stores a new current key (the caller retires the old one first); returns its id.
pub fn insert(
    conn: &Connection,
    kid: &str,
    algorithm: &str,
    public_key: &[u8],
    private_key_sealed: &[u8],
    now: &str,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO signing_keys (kid, algorithm, public_key, private_key_sealed, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![kid, algorithm, public_key, private_key_sealed, now],
        |r| r.get(0),
    )
}

/// Retires the current key at `now`.
pub fn retire_current(conn: &Connection, now: &str) -> rusqlite::Result<usize> {
    conn.execute("UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL", [now])
}

/// Deletes the keys retired before `cutoff`; returns their kids.
pub fn delete_retired_before(conn: &Connection, cutoff: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("DELETE FROM signing_keys WHERE retired_at < ?1 RETURNING kid")?;
    let mut kids = stmt.query_map([cutoff], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    kids.sort();
    Ok(kids)
}
