//! The `groups`, `group_members` and `group_servers` tables.

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::Group;

fn names(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.query_map([id], |r| r.get(0))?.collect()
}

fn complete(conn: &Connection, id: i64, name: String, created_at: String) -> rusqlite::Result<Group> {
    let members = names(
        conn,
        "SELECT u.name FROM users u JOIN group_members m ON m.user_id = u.id WHERE m.group_id = ?1 ORDER BY u.name",
        id,
    )?;
    let servers = names(
        conn,
        "SELECT s.name FROM servers s JOIN group_servers g ON g.server_id = s.id WHERE g.group_id = ?1 ORDER BY s.name",
        id,
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT s.name, g.tools FROM servers s JOIN group_servers g ON g.server_id = s.id
         WHERE g.group_id = ?1 AND g.tools IS NOT NULL ORDER BY s.name",
    )?;
    let tools = stmt
        .query_map([id], |r| {
            let list: String = r.get(1)?;
            Ok((r.get::<_, String>(0)?, serde_json::from_str(&list).unwrap_or_default()))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Group { id, name, members, servers, tools, created_at })
}

pub fn insert(conn: &Connection, name: &str, now: &str) -> rusqlite::Result<i64> {
    conn.query_row("INSERT INTO groups (name, created_at) VALUES (?1, ?2) RETURNING id", params![name, now], |r| {
        r.get(0)
    })
}

pub fn get(conn: &Connection, name: &str) -> rusqlite::Result<Option<Group>> {
    let row: Option<(i64, String, String)> = conn
        .query_row("SELECT id, name, created_at FROM groups WHERE name = ?1", [name], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    row.map(|(id, name, created_at)| complete(conn, id, name, created_at)).transpose()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Group>> {
    let mut stmt = conn.prepare("SELECT id, name, created_at FROM groups ORDER BY name")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<(i64, String, String)>>>()?;
    rows.into_iter().map(|(id, name, created_at)| complete(conn, id, name, created_at)).collect()
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM groups WHERE id = ?1", [id])?;
    Ok(())
}

pub fn add_member(conn: &Connection, group_id: i64, user_id: i64) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO group_members (group_id, user_id) VALUES (?1, ?2)", params![group_id, user_id])?;
    Ok(())
}

pub fn remove_member(conn: &Connection, group_id: i64, user_id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2", params![group_id, user_id])?;
    Ok(())
}

/// Grants a server, every tool of it (`tools` `None`) or those of the JSON array `tools`.
pub fn grant(conn: &Connection, group_id: i64, server_id: i64, tools: Option<&str>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO group_servers (group_id, server_id, tools) VALUES (?1, ?2, ?3)",
        params![group_id, server_id, tools],
    )?;
    Ok(())
}

/// Changes which tools of a granted server the group grants (see [`grant`]).
pub fn set_tools(conn: &Connection, group_id: i64, server_id: i64, tools: Option<&str>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE group_servers SET tools = ?3 WHERE group_id = ?1 AND server_id = ?2",
        params![group_id, server_id, tools],
    )?;
    Ok(())
}

pub fn revoke(conn: &Connection, group_id: i64, server_id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM group_servers WHERE group_id = ?1 AND server_id = ?2", params![group_id, server_id])?;
    Ok(())
}

/// Names of the groups that grant a server.
pub fn granting(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<String>> {
    names(
        conn,
        "SELECT g.name FROM groups g JOIN group_servers s ON s.group_id = g.id WHERE s.server_id = ?1 ORDER BY g.name",
        server_id,
    )
}

/// Ids of the servers a user reaches through any group.
pub fn reached_by(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT s.server_id FROM group_members m JOIN group_servers s ON s.group_id = m.group_id WHERE m.user_id = ?1",
    )?;
    stmt.query_map([user_id], |r| r.get(0))?.collect()
}

/// Ids of a group's members.
pub fn member_ids(conn: &Connection, group_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT user_id FROM group_members WHERE group_id = ?1")?;
    stmt.query_map([group_id], |r| r.get(0))?.collect()
}
