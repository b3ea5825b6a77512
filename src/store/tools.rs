//! The `tools` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::{Tool, ToolState};

const SELECT: &str = "SELECT t.id, s.name, t.name, t.title, t.description, t.state, t.created_at, t.updated_at
     FROM tools t JOIN servers s ON s.id = t.server_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Tool> {
    let state: String = row.get(5)?;
    Ok(Tool {
        id: row.get(0)?,
        server: row.get(1)?,
        name: row.get(2)?,
        title: row.get(3)?,
        description: row.get(4)?,
        state: ToolState::parse(&state).unwrap_or(ToolState::Stopped),
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

pub fn list(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<Tool>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE t.server_id = ?1 ORDER BY t.name"))?;
    stmt.query_map([server_id], from_row)?.collect()
}

pub fn get(conn: &Connection, server_id: i64, name: &str) -> rusqlite::Result<Option<Tool>> {
    conn.query_row(&format!("{SELECT} WHERE t.server_id = ?1 AND t.name = ?2"), params![server_id, name], from_row)
        .optional()
}

pub fn set_state(conn: &Connection, id: i64, state: ToolState, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE tools SET state = ?2, updated_at = ?3 WHERE id = ?1", params![id, state.as_str(), now])?;
    Ok(())
}

/// Counts of (started, stopped) tools of a server.
pub fn counts(conn: &Connection, server_id: i64) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT COALESCE(SUM(state = 'started'), 0), COALESCE(SUM(state = 'stopped'), 0) FROM tools WHERE server_id = ?1",
        [server_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// A tool as an upstream describes it, to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolDefinition {
    pub name: String,
    pub title: Option<String>,
    pub description: String,
    pub input_schema: String,
}

/// The stored definitions of a server's tools, by name.
pub fn definitions(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<ToolDefinition>> {
    let mut stmt =
        conn.prepare("SELECT name, title, description, input_schema FROM tools WHERE server_id = ?1 ORDER BY name")?;
    stmt.query_map([server_id], |r| {
        Ok(ToolDefinition { name: r.get(0)?, title: r.get(1)?, description: r.get(2)?, input_schema: r.get(3)? })
    })?
    .collect()
}

/// Adds a tool (started) or updates its definition, keeping its state.
pub fn upsert(conn: &Connection, server_id: i64, t: &ToolDefinition, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO tools (server_id, name, title, description, input_schema, state, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'started', ?6, ?6)
         ON CONFLICT (server_id, name) DO UPDATE SET
           title = excluded.title, description = excluded.description,
           input_schema = excluded.input_schema, updated_at = excluded.updated_at",
        params![server_id, t.name, t.title, t.description, t.input_schema, now],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, server_id: i64, name: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM tools WHERE server_id = ?1 AND name = ?2", params![server_id, name])?;
    Ok(())
}
