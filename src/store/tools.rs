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
