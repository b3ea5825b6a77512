//! The `openapi_documents` and `openapi_operations` tables: where an OpenAPI server's document
//! comes from, and the operation each of its tools calls (the tools themselves are in `tools`).

use rusqlite::{Connection, OptionalExtension, params};

/// Where a server's document was read from, and what was taken of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub server_id: i64,
    pub source: String,
    pub hash: String,
    /// JSON (`model::openapi::Selection`).
    pub selection: String,
    pub skip_unsupported: bool,
    /// JSON array of `model::openapi::Skipped`.
    pub skipped: String,
    pub read_at: String,
}

pub fn document(conn: &Connection, server_id: i64) -> rusqlite::Result<Option<DocumentRow>> {
    conn.query_row(
        "SELECT server_id, source, hash, selection, skip_unsupported, skipped, read_at
         FROM openapi_documents WHERE server_id = ?1",
        [server_id],
        |r| {
            Ok(DocumentRow {
                server_id: r.get(0)?,
                source: r.get(1)?,
                hash: r.get(2)?,
                selection: r.get(3)?,
                skip_unsupported: r.get(4)?,
                skipped: r.get(5)?,
                read_at: r.get(6)?,
            })
        },
    )
    .optional()
}

/// Records (or replaces) the document of a server.
pub fn set_document(conn: &Connection, d: &DocumentRow) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO openapi_documents (server_id, source, hash, selection, skip_unsupported, skipped, read_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (server_id) DO UPDATE SET source = excluded.source, hash = excluded.hash,
           selection = excluded.selection, skip_unsupported = excluded.skip_unsupported,
           skipped = excluded.skipped, read_at = excluded.read_at",
        params![d.server_id, d.source, d.hash, d.selection, d.skip_unsupported, d.skipped, d.read_at],
    )?;
    Ok(())
}

/// A server's operations: (tool, operation JSON), by tool name.
pub fn operations(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT tool, operation FROM openapi_operations WHERE server_id = ?1 ORDER BY tool")?;
    stmt.query_map([server_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// Every OpenAPI server's operations, for the snapshot: (server id, tool, operation JSON).
pub fn all_operations(conn: &Connection) -> rusqlite::Result<Vec<(i64, String, String)>> {
    let mut stmt =
        conn.prepare("SELECT server_id, tool, operation FROM openapi_operations ORDER BY server_id, tool")?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect()
}

/// Adds or replaces the operation of a server's tool.
pub fn set_operation(conn: &Connection, server_id: i64, tool: &str, operation: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO openapi_operations (server_id, tool, operation) VALUES (?1, ?2, ?3)
         ON CONFLICT (server_id, tool) DO UPDATE SET operation = excluded.operation",
        params![server_id, tool, operation],
    )?;
    Ok(())
}

pub fn delete_operation(conn: &Connection, server_id: i64, tool: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM openapi_operations WHERE server_id = ?1 AND tool = ?2", params![server_id, tool])?;
    Ok(())
}
