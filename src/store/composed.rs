//! The `composed_tools` table: the tools of composed servers, each forwarding to a tool of
//! another server.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::{ComposedTool, ToolState};

/// A composed tool to insert.
#[derive(Debug)]
pub struct NewComposedTool<'a> {
    pub server_id: i64,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub source_server_id: i64,
    pub source_server_name: &'a str,
    pub source_tool: &'a str,
    /// A JSON object.
    pub fixed: &'a str,
    /// A JSON array.
    pub hidden: &'a str,
    pub now: &'a str,
}

const SELECT: &str = "SELECT c.id, s.name, c.name, COALESCE(src.name, c.source_server_name), c.source_tool,
       c.description, c.fixed, c.hidden, c.created_at, c.updated_at, c.source_server_id IS NULL, t.state
     FROM composed_tools c
     JOIN servers s ON s.id = c.server_id
     LEFT JOIN servers src ON src.id = c.source_server_id
     LEFT JOIN tools t ON t.server_id = c.source_server_id AND t.name = c.source_tool";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ComposedTool> {
    let fixed: String = row.get(6)?;
    let hidden: String = row.get(7)?;
    let deleted: bool = row.get(10)?;
    let state: Option<String> = row.get(11)?;
    let status = match (deleted, state.as_deref().and_then(ToolState::parse)) {
        (true, _) => "source_deleted",
        (false, None) => "source_missing",
        (false, Some(ToolState::Stopped)) => "source_stopped",
        (false, Some(ToolState::Started)) => "ok",
    };
    Ok(ComposedTool {
        id: row.get(0)?,
        server: row.get(1)?,
        name: row.get(2)?,
        source_server: row.get(3)?,
        source_tool: row.get(4)?,
        description: row.get(5)?,
        fixed: serde_json::from_str(&fixed).unwrap_or_default(),
        hidden: serde_json::from_str(&hidden).unwrap_or_default(),
        status: status.to_string(),
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
    })
}

pub fn insert(conn: &Connection, t: &NewComposedTool<'_>) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO composed_tools (server_id, name, description, source_server_id, source_server_name, source_tool,
           fixed, hidden, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
        params![
            t.server_id,
            t.name,
            t.description,
            t.source_server_id,
            t.source_server_name,
            t.source_tool,
            t.fixed,
            t.hidden,
            t.now
        ],
        |r| r.get(0),
    )
}

/// The tools of composed server `server_id`, by name.
pub fn list(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<ComposedTool>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE c.server_id = ?1 ORDER BY c.name"))?;
    stmt.query_map([server_id], from_row)?.collect()
}

pub fn get(conn: &Connection, server_id: i64, name: &str) -> rusqlite::Result<Option<ComposedTool>> {
    conn.query_row(&format!("{SELECT} WHERE c.server_id = ?1 AND c.name = ?2"), params![server_id, name], from_row)
        .optional()
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM composed_tools WHERE id = ?1", [id])?;
    Ok(())
}

/// A composed tool as the gateway serves it, with its source tool as stored.
#[derive(Debug, Clone)]
pub struct ComposedRow {
    pub server_id: i64,
    pub name: String,
    pub description: Option<String>,
    /// `None`: the source server was deleted.
    pub source_server_id: Option<i64>,
    pub source_server_name: String,
    pub source_tool: String,
    /// A JSON object.
    pub fixed: String,
    /// A JSON array.
    pub hidden: String,
    /// The source tool as stored (`None`: its server does not offer it).
    pub source: Option<SourceTool>,
}

/// A source tool as stored.
#[derive(Debug, Clone)]
pub struct SourceTool {
    pub title: Option<String>,
    pub description: String,
    pub input_schema: String,
    pub state: ToolState,
}

/// Every composed tool, for the snapshot.
pub fn rows(conn: &Connection) -> rusqlite::Result<Vec<ComposedRow>> {
    let mut stmt = conn.prepare(
        "SELECT c.server_id, c.name, c.description, c.source_server_id, COALESCE(src.name, c.source_server_name),
                c.source_tool, c.fixed, c.hidden, t.title, t.description, t.input_schema, t.state
         FROM composed_tools c
         LEFT JOIN servers src ON src.id = c.source_server_id
         LEFT JOIN tools t ON t.server_id = c.source_server_id AND t.name = c.source_tool
         ORDER BY c.server_id, c.name",
    )?;
    stmt.query_map([], |r| {
        let state: Option<String> = r.get(11)?;
        let source = match state.as_deref().and_then(ToolState::parse) {
            Some(state) => {
                Some(SourceTool { title: r.get(8)?, description: r.get(9)?, input_schema: r.get(10)?, state })
            }
            None => None,
        };
        Ok(ComposedRow {
            server_id: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?,
            source_server_id: r.get(3)?,
            source_server_name: r.get(4)?,
            source_tool: r.get(5)?,
            fixed: r.get(6)?,
            hidden: r.get(7)?,
            source,
        })
    })?
    .collect()
}
