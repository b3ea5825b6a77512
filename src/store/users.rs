//! The `users` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::User;

const SELECT: &str =
    "SELECT id, name, email, password_hash IS NOT NULL, idp_subject, disabled, created_at, updated_at FROM users";

fn from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        has_password: row.get(3)?,
        sso_subject: row.get(4)?,
        disabled: row.get(5)?,
        groups: Vec::new(),
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

fn with_groups(conn: &Connection, mut user: User) -> rusqlite::Result<User> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.name FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = ?1 ORDER BY g.name",
    )?;
    user.groups = stmt.query_map([user.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(user)
}

pub fn insert(
    conn: &Connection,
    name: &str,
    email: Option<&str>,
    password_hash: Option<&str>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO users (name, email, password_hash, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
        params![name, email, password_hash, now],
        |r| r.get(0),
    )
}

pub fn get(conn: &Connection, name: &str) -> rusqlite::Result<Option<User>> {
    let user = conn.query_row(&format!("{SELECT} WHERE name = ?1"), [name], from_row).optional()?;
    user.map(|u| with_groups(conn, u)).transpose()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY name"))?;
    let users = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    users.into_iter().map(|u| with_groups(conn, u)).collect()
}

pub fn set_disabled(conn: &Connection, id: i64, disabled: bool, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE users SET disabled = ?2, updated_at = ?3 WHERE id = ?1", params![id, disabled, now])?;
    Ok(())
}

pub fn set_password(conn: &Connection, id: i64, password_hash: &str, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, password_hash, now],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM users WHERE id = ?1", [id])?;
    Ok(())
}

/// A user's id, password hash and whether they are disabled, for signing in.
pub fn credentials(conn: &Connection, name: &str) -> rusqlite::Result<Option<(i64, Option<String>, bool)>> {
    conn.query_row("SELECT id, password_hash, disabled FROM users WHERE name = ?1", [name], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .optional()
}

/// The user an IdP subject signed in as before, if any.
pub fn by_subject(conn: &Connection, subject: &str) -> rusqlite::Result<Option<User>> {
    let user = conn.query_row(&format!("{SELECT} WHERE idp_subject = ?1"), [subject], from_row).optional()?;
    user.map(|u| with_groups(conn, u)).transpose()
}

/// Creates a user on their first single sign-on (no password; bound to the IdP subject).
pub fn insert_sso(
    conn: &Connection,
    name: &str,
    email: Option<&str>,
    subject: &str,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO users (name, email, idp_subject, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
        params![name, email, subject, now],
        |r| r.get(0),
    )
}
