//! The `tokens` table. Holds digests only, never a token.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::{Token, TokenStatus};

/// A token to insert.
#[derive(Debug)]
pub struct NewToken<'a> {
    pub server_id: i64,
    pub name: &'a str,
    pub prefix: &'a str,
    pub hash: &'a str,
    pub created_by: &'a str,
    pub expires_at: Option<&'a str>,
    pub now: &'a str,
}

const SELECT: &str = "SELECT t.id, s.name, t.name, t.prefix, t.created_at, t.created_by, t.expires_at, t.revoked_at,
            t.server_id
     FROM tokens t JOIN servers s ON s.id = t.server_id";

/// Reads a row; `now` decides whether an unrevoked token has expired.
fn from_row(row: &Row<'_>, now: &str) -> rusqlite::Result<Token> {
    let expires_at: Option<String> = row.get(6)?;
    let revoked_at: Option<String> = row.get(7)?;
    let status = if revoked_at.is_some() {
        TokenStatus::Revoked
    } else if expires_at.as_deref().is_some_and(|e| e <= now) {
        TokenStatus::Expired
    } else {
        TokenStatus::Active
    };
    Ok(Token {
        id: row.get(0)?,
        server: row.get(1)?,
        server_id: row.get(8)?,
        name: row.get(2)?,
        prefix: row.get(3)?,
        status,
        created_at: row.get(4)?,
        created_by: row.get(5)?,
        expires_at,
        revoked_at,
    })
}

pub fn insert(conn: &Connection, t: &NewToken<'_>) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO tokens (server_id, name, prefix, hash, created_at, created_by, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![t.server_id, t.name, t.prefix, t.hash, t.now, t.created_by, t.expires_at],
        |r| r.get(0),
    )
}

pub fn get(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<Option<Token>> {
    conn.query_row(&format!("{SELECT} WHERE t.id = ?1"), [id], |r| from_row(r, now)).optional()
}

pub fn name_taken(conn: &Connection, server_id: i64, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM tokens WHERE server_id = ?1 AND name = ?2)",
        params![server_id, name],
        |r| r.get(0),
    )
}

/// Tokens of one server, or of all servers, oldest first.
pub fn list(conn: &Connection, server_id: Option<i64>, now: &str) -> rusqlite::Result<Vec<Token>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE ?1 IS NULL OR t.server_id = ?1 ORDER BY t.id"))?;
    stmt.query_map([server_id], |r| from_row(r, now))?.collect()
}

pub fn revoke(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE tokens SET revoked_at = ?2 WHERE id = ?1", params![id, now])?;
    Ok(())
}

/// The id the next token will get, for a default name.
pub fn next_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'tokens'), 0) + 1", [], |r| r.get(0))
}

/// Active (unrevoked, unexpired) tokens of a server.
pub fn count_active(conn: &Connection, server_id: i64, now: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM tokens WHERE server_id = ?1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?2)",
        params![server_id, now],
        |r| r.get(0),
    )
}
