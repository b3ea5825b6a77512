//! SIEM sinks: their rows in `state.db` (`siem_sinks`, and the instance id in `meta`), and their
//! delivery progress in `activity.db` (`siem_cursors`, `siem_status`).

use rusqlite::{Connection, OptionalExtension, Row, params};

/// A sink as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub url: String,
    pub format: String,
    pub ca_pem: Option<String>,
    /// A JSON array of stream names.
    pub streams: String,
    /// The activity filter, a JSON object.
    pub filter: String,
    /// What a kind of sink needs beyond its URL, a JSON object (HEC's index and sourcetype, the
    /// names of extra headers).
    pub options: String,
    /// The sink's credentials, sealed (purpose `siem_credentials`, bound to the id).
    pub secret_sealed: Option<Vec<u8>>,
    pub start_from: String,
    pub activity_start: i64,
    pub audit_start: i64,
    pub paused: bool,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, name, kind, url, format, ca_pem, streams, filter, start_from, activity_start, audit_start,
    paused, created_at, updated_at, options, secret_sealed";

fn sink(r: &Row<'_>) -> rusqlite::Result<SinkRow> {
    Ok(SinkRow {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        url: r.get(3)?,
        format: r.get(4)?,
        ca_pem: r.get(5)?,
        streams: r.get(6)?,
        filter: r.get(7)?,
        start_from: r.get(8)?,
        activity_start: r.get(9)?,
        audit_start: r.get(10)?,
        paused: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        options: r.get(14)?,
        secret_sealed: r.get(15)?,
    })
}

/// Inserts a sink (`id` is ignored); returns its id.
pub fn insert(conn: &Connection, s: &SinkRow) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO siem_sinks (name, kind, url, format, ca_pem, streams, filter, start_from, activity_start,
           audit_start, paused, created_at, updated_at, options, secret_sealed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            s.name,
            s.kind,
            s.url,
            s.format,
            s.ca_pem,
            s.streams,
            s.filter,
            s.start_from,
            s.activity_start,
            s.audit_start,
            s.paused,
            s.created_at,
            s.updated_at,
            s.options,
            s.secret_sealed
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Stores a sink's sealed credentials (sealed for its id, so after [`insert`]).
pub fn set_secret(conn: &Connection, id: i64, sealed: &[u8]) -> rusqlite::Result<()> {
    conn.execute("UPDATE siem_sinks SET secret_sealed = ?2 WHERE id = ?1", params![id, sealed])?;
    Ok(())
}

pub fn by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<SinkRow>> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM siem_sinks WHERE name = ?1"), [name], sink).optional()
}

/// Every sink, by name.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<SinkRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM siem_sinks ORDER BY name"))?;
    stmt.query_map([], sink)?.collect()
}

pub fn set_paused(conn: &Connection, id: i64, paused: bool, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE siem_sinks SET paused = ?2, updated_at = ?3 WHERE id = ?1", params![id, paused, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM siem_sinks WHERE id = ?1", [id])?;
    Ok(())
}

/// This data directory's instance id (state schema 14 made it).
pub fn instance(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("SELECT value FROM meta WHERE key = 'instance'", [], |r| r.get(0))
}

/// One stream's delivery progress, as the cursor table holds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub position: i64,
    pub delivered: i64,
    pub lost: i64,
    pub lost_reported: i64,
}

/// The cursor of a sink's stream, if it has one yet.
pub fn cursor(conn: &Connection, sink_id: i64, stream: &str) -> rusqlite::Result<Option<Cursor>> {
    conn.query_row(
        "SELECT position, delivered, lost, lost_reported FROM siem_cursors WHERE sink_id = ?1 AND stream = ?2",
        params![sink_id, stream],
        |r| Ok(Cursor { position: r.get(0)?, delivered: r.get(1)?, lost: r.get(2)?, lost_reported: r.get(3)? }),
    )
    .optional()
}

/// Creates a cursor at `position` unless the sink's stream has one.
pub fn start_cursor(conn: &Connection, sink_id: i64, stream: &str, position: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO siem_cursors (sink_id, stream, position) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![sink_id, stream, position],
    )?;
    Ok(())
}

/// Notes that the receiver acknowledged events up to `position` (`delivered` more of them, and
/// the gap event for losses up to `lost_reported`). A position never moves back.
pub fn advance(
    conn: &Connection,
    sink_id: i64,
    stream: &str,
    position: i64,
    delivered: i64,
    lost_reported: i64,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE siem_cursors SET position = MAX(position, ?3), delivered = delivered + ?4,
           lost_reported = MAX(lost_reported, ?5)
         WHERE sink_id = ?1 AND stream = ?2",
    )?;
    stmt.execute(params![sink_id, stream, position, delivered, lost_reported])?;
    Ok(())
}

/// Forgets every sink not in `keep` (removed sinks: their cursors no longer hold retention back).
pub fn forget_others(conn: &Connection, keep: &[i64]) -> rusqlite::Result<usize> {
    let keep = serde_json::to_string(keep).unwrap_or_else(|_| "[]".into());
    let a = conn.execute("DELETE FROM siem_cursors WHERE sink_id NOT IN (SELECT value FROM json_each(?1))", [&keep])?;
    let b = conn.execute("DELETE FROM siem_status WHERE sink_id NOT IN (SELECT value FROM json_each(?1))", [&keep])?;
    Ok(a + b)
}

/// What a sink's delivery task last reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusRow {
    pub state: String,
    pub since: String,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub last_delivery_at: Option<String>,
}

pub fn status(conn: &Connection, sink_id: i64) -> rusqlite::Result<Option<StatusRow>> {
    conn.query_row(
        "SELECT state, since, last_error, last_error_at, last_delivery_at FROM siem_status WHERE sink_id = ?1",
        [sink_id],
        |r| {
            Ok(StatusRow {
                state: r.get(0)?,
                since: r.get(1)?,
                last_error: r.get(2)?,
                last_error_at: r.get(3)?,
                last_delivery_at: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Sets a sink's state (keeping `since` when it is unchanged).
pub fn set_state(conn: &Connection, sink_id: i64, state: &str, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO siem_status (sink_id, state, since) VALUES (?1, ?2, ?3)
         ON CONFLICT (sink_id) DO UPDATE SET since = CASE WHEN state = excluded.state THEN since ELSE excluded.since END,
           state = excluded.state",
        params![sink_id, state, now],
    )?;
    Ok(())
}

/// Records a failure (the state becomes `retrying`).
pub fn set_error(conn: &Connection, sink_id: i64, error: &str, now: &str) -> rusqlite::Result<()> {
    set_state(conn, sink_id, "retrying", now)?;
    conn.execute(
        "UPDATE siem_status SET last_error = ?2, last_error_at = ?3 WHERE sink_id = ?1",
        params![sink_id, error, now],
    )?;
    Ok(())
}

/// Records an acknowledged batch.
pub fn set_delivered(conn: &Connection, sink_id: i64, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE siem_status SET last_delivery_at = ?2 WHERE sink_id = ?1", params![sink_id, now])?;
    Ok(())
}

/// The smallest activity position of any sink, if a sink takes the activity stream.
pub fn slowest_activity_position(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT MIN(position) FROM siem_cursors WHERE stream = 'activity'", [], |r| r.get(0))
}

/// Before retention deletes `doomed` (a JSON array of record ids), adds to each activity
/// cursor the records among them it has not delivered.
pub fn count_losses(conn: &Connection, doomed: &str, now: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE siem_cursors SET
           lost = lost + (SELECT COUNT(*) FROM json_each(?1) WHERE value > siem_cursors.position),
           last_lost_at = ?2
         WHERE stream = 'activity' AND position < (SELECT MAX(value) FROM json_each(?1))",
        params![doomed, now],
    )
}

/// The latest `lost_at` and total lost of a sink's activity stream.
pub fn last_lost_at(conn: &Connection, sink_id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT last_lost_at FROM siem_cursors WHERE sink_id = ?1 AND stream = 'activity'", [sink_id], |r| {
        r.get(0)
    })
    .optional()
    .map(Option::flatten)
}
