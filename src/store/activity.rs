//! The `activity` table of `activity.db`: batched inserts by the writer, filtered reads for
//! `mcpcp logs`, and retention.

use std::borrow::Cow;

use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::model::{ActivityEntry, ActivityFilter, Invalid};

/// A row to insert, already redacted and truncated. The activity journal holds these too.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRow {
    pub time: String,
    pub server: Option<String>,
    pub kind: Cow<'static, str>,
    pub level: Cow<'static, str>,
    pub principal: Option<String>,
    pub auth_method: Option<Cow<'static, str>>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub client_name: Option<String>,
    pub client_version: Option<String>,
    pub session_id: Option<String>,
    pub method: Option<String>,
    pub tool: Option<String>,
    pub input: Option<String>,
    pub output: Option<String>,
    pub output_size: Option<i64>,
    pub output_truncated: bool,
    pub duration_us: i64,
    pub status: Cow<'static, str>,
    pub http_status: Option<i64>,
    pub error_code: Option<i64>,
    pub error_message: Option<String>,
    pub trace_id: String,
    /// Whose fault a failure was (`client`, `upstream`, `operator`, `internal`).
    #[serde(default)]
    pub fault: Option<Cow<'static, str>>,
    /// Which credential went upstream (`none`, `header`); set for forwarded calls.
    #[serde(default)]
    pub upstream_auth: Option<Cow<'static, str>>,
    /// The linked upstream account's subject, when known.
    #[serde(default)]
    pub upstream_subject: Option<String>,
    /// The call's span, the caller's (continued traces), where the trace came from, and the
    /// call's steps (compact JSON, see `observe::trace`).
    #[serde(default)]
    pub span_id: Option<String>,
    #[serde(default)]
    pub parent_span_id: Option<String>,
    #[serde(default)]
    pub trace_origin: Option<Cow<'static, str>>,
    #[serde(default)]
    pub spans: Option<String>,
    /// How many times the call's answer stream was resumed, when it was.
    #[serde(default)]
    pub resumed: Option<i64>,
    /// For a call to a composed server's tool: the source tool (`SERVER:TOOL`) and the calls the
    /// gateway made for it (a JSON array).
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub steps: Option<String>,
}

/// Inserts a new record with id `id` into `activity_recent` (see [`fold`]).
pub fn insert(conn: &Connection, id: i64, r: &NewRow) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO activity_recent (id, time, server, type, level, principal, auth_method, source_ip, user_agent,
           client_name, client_version, session_id, method, tool, input, output, output_size, output_truncated,
           duration_us, status, http_status, error_code, error_message, trace_id, fault, upstream_auth,
           upstream_subject, span_id, parent_span_id, trace_origin, spans, resumed, origin, steps)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,
                 ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)",
    )?;
    stmt.execute(params![
        id,
        r.time,
        r.server,
        r.kind,
        r.level,
        r.principal,
        r.auth_method,
        r.source_ip,
        r.user_agent,
        r.client_name,
        r.client_version,
        r.session_id,
        r.method,
        r.tool,
        r.input,
        r.output,
        r.output_size,
        r.output_truncated,
        r.duration_us,
        r.status,
        r.http_status,
        r.error_code,
        r.error_message,
        r.trace_id,
        r.fault,
        r.upstream_auth,
        r.upstream_subject,
        r.span_id,
        r.parent_span_id,
        r.trace_origin,
        r.spans,
        r.resumed,
        r.origin,
        r.steps,
    ])?;
    Ok(())
}

/// Moves every row of `activity_recent` into `activity` (with its indexes); returns how many.
///
/// New records land in `activity_recent`, which has no index, so committing one dirties a
/// single page; moving them in batches shares each index page among many records.
pub fn fold(conn: &Connection) -> rusqlite::Result<usize> {
    let moved = conn.execute("INSERT INTO activity SELECT * FROM activity_recent ORDER BY id", [])?;
    conn.execute("DELETE FROM activity_recent", [])?;
    Ok(moved)
}

/// The largest record id in use, and how many records wait in `activity_recent`.
pub fn ids(conn: &Connection) -> rusqlite::Result<(i64, usize)> {
    conn.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM activity), 0), COALESCE((SELECT MAX(id) FROM activity_recent), 0)),
                (SELECT COUNT(*) FROM activity_recent)",
        [],
        |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.try_into().unwrap_or(usize::MAX))),
    )
}

/// The sequence number of the last activity-journal entry written into this database (0 for
/// none).
pub fn journal_seq(conn: &Connection) -> rusqlite::Result<u64> {
    let seq: Option<i64> = conn.query_row("SELECT seq FROM journal_position", [], |r| r.get(0)).optional()?;
    Ok(seq.and_then(|s| u64::try_from(s).ok()).unwrap_or(0))
}

/// Notes that journal entries up to `seq` are written (in the transaction that wrote them).
pub fn set_journal_seq(conn: &Connection, seq: u64) -> rusqlite::Result<()> {
    conn.execute("UPDATE journal_position SET seq = ?1", [i64::try_from(seq).unwrap_or(i64::MAX)])?;
    Ok(())
}

/// Updates the probe row: succeeds only if the database can be written again.
pub fn probe(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE writer_probe SET at = ?1", [now])?;
    Ok(())
}

/// Records retention may delete, as a JSON array of ids (for `json_each`).
#[derive(Debug)]
pub struct Prunable {
    pub ids: String,
}

/// What one retention step deleted.
pub type PruneResult = rusqlite::Result<usize>;

/// Up to `chunk` records older than `cutoff`, oldest first: none after `floor` (records a SIEM
/// sink has yet to deliver), and never the newest record, whose id the writer continues from
/// at start (so an id is never used twice, and a cursor never skips a record).
pub fn prunable(conn: &Connection, cutoff: &str, chunk: i64, floor: Option<i64>) -> rusqlite::Result<Prunable> {
    let ids: String = conn.query_row(
        "SELECT json_group_array(id) FROM (
           SELECT id FROM activity WHERE time < ?1 AND id <= ?3 AND id < (SELECT MAX(id) FROM activity)
           ORDER BY id LIMIT ?2)",
        params![cutoff, chunk, floor.unwrap_or(i64::MAX)],
        |r| r.get(0),
    )?;
    Ok(Prunable { ids })
}

/// Deletes the records `ids` (a JSON array); returns how many went.
pub fn delete_ids(conn: &Connection, ids: &str) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM activity WHERE id IN (SELECT value FROM json_each(?1))", [ids])
}

/// A usage-quota count: calls charged to a server (and principal, or `''` for the server-wide
/// count) in the period that began at `window_start`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    pub server_id: i64,
    pub auth_method: String,
    pub principal: String,
    pub period: String,
    pub window_start: String,
    pub used: i64,
}

/// Adds `row.used` to its count.
pub fn add_usage(conn: &Connection, row: &UsageRow) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO quota_usage (server_id, auth_method, principal, period, window_start, used)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (server_id, auth_method, principal, period, window_start) DO UPDATE SET used = used + excluded.used",
    )?;
    stmt.execute(params![row.server_id, row.auth_method, row.principal, row.period, row.window_start, row.used])?;
    Ok(())
}

/// Counts of periods that began at or after `since`.
pub fn usage_since(conn: &Connection, since: &str) -> rusqlite::Result<Vec<UsageRow>> {
    let mut stmt = conn.prepare(
        "SELECT server_id, auth_method, principal, period, window_start, used FROM quota_usage WHERE window_start >= ?1",
    )?;
    stmt.query_map([since], usage_row)?.collect()
}

/// One server's counts for the period `period` that began at `window_start`, largest first.
pub fn usage_of(
    conn: &Connection,
    server_id: i64,
    period: &str,
    window_start: &str,
) -> rusqlite::Result<Vec<UsageRow>> {
    let mut stmt = conn.prepare(
        "SELECT server_id, auth_method, principal, period, window_start, used FROM quota_usage
         WHERE server_id = ?1 AND period = ?2 AND window_start = ?3 ORDER BY used DESC, principal",
    )?;
    stmt.query_map(params![server_id, period, window_start], usage_row)?.collect()
}

fn usage_row(r: &Row<'_>) -> rusqlite::Result<UsageRow> {
    Ok(UsageRow {
        server_id: r.get(0)?,
        auth_method: r.get(1)?,
        principal: r.get(2)?,
        period: r.get(3)?,
        window_start: r.get(4)?,
        used: r.get(5)?,
    })
}

/// Deletes the counts of periods that began before `cutoff`.
pub fn prune_usage(conn: &Connection, cutoff: &str) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM quota_usage WHERE window_start < ?1", [cutoff])
}

/// Columns a filter may name, and the column each maps to.
pub const FIELDS: &[(&str, &str)] = &[
    ("server", "server"),
    ("type", "type"),
    ("level", "level"),
    ("principal", "principal"),
    ("user", "principal"),
    ("auth_method", "auth_method"),
    ("source_ip", "source_ip"),
    ("user_agent", "user_agent"),
    ("client_name", "client_name"),
    ("client_version", "client_version"),
    ("session_id", "session_id"),
    ("method", "method"),
    ("tool", "tool"),
    ("status", "status"),
    ("http_status", "http_status"),
    ("error_code", "error_code"),
    ("error_message", "error_message"),
    ("trace_id", "trace_id"),
    ("fault", "fault"),
    ("upstream_auth", "upstream_auth"),
    ("upstream_subject", "upstream_subject"),
    ("span_id", "span_id"),
    ("parent_span_id", "parent_span_id"),
    ("trace_origin", "trace_origin"),
    ("origin", "origin"),
    ("id", "id"),
];

/// Columns holding integers.
const INTEGER_COLUMNS: &[&str] = &["id", "http_status", "error_code", "output_size", "duration_us"];

/// One condition of a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// A column equals a value (compared as text).
    Equals {
        column: &'static str,
        value: String,
    },
    /// A JSON path inside `input` or `output` equals a value (compared as text).
    Json {
        column: &'static str,
        path: String,
        value: String,
    },
    /// `time >= value` / `time < value`.
    Since(String),
    Until(String),
    /// Rows after this id (for following).
    AfterId(i64),
    /// Rows at or before this id (an export's end, fixed when it starts).
    UpToId(i64),
    /// Rows after this one in time order (`time`, then `id`): an export's next page.
    AfterKey {
        time: String,
        id: i64,
    },
    /// A step of the record (a composed or OpenAPI call's `steps`) has this status.
    StepStatus(String),
    /// A column is one of these values (an empty list matches nothing).
    In {
        column: &'static str,
        values: Vec<String>,
    },
}

fn where_clause(conditions: &[Condition]) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    for c in conditions {
        match c {
            Condition::Equals { column, value } => {
                // Integer columns compare as integers (a value that is not one matches nothing);
                // the rest as text. A plain `column = ?` keeps the column's index usable.
                if INTEGER_COLUMNS.contains(column) {
                    match value.parse::<i64>() {
                        Ok(n) => args.push(Box::new(n)),
                        Err(_) => args.push(Box::new(value.clone())),
                    }
                } else {
                    args.push(Box::new(value.clone()));
                }
                sql.push(format!("{column} = ?{}", args.len()));
            }
            Condition::Json { column, path, value } => {
                args.push(Box::new(path.clone()));
                let p = args.len();
                args.push(Box::new(value.clone()));
                sql.push(format!("CAST(json_extract({column}, ?{p}) AS TEXT) = ?{}", args.len()));
            }
            Condition::Since(t) => {
                args.push(Box::new(t.clone()));
                sql.push(format!("time >= ?{}", args.len()));
            }
            Condition::Until(t) => {
                args.push(Box::new(t.clone()));
                sql.push(format!("time < ?{}", args.len()));
            }
            Condition::AfterId(id) => {
                args.push(Box::new(*id));
                sql.push(format!("id > ?{}", args.len()));
            }
            Condition::UpToId(id) => {
                args.push(Box::new(*id));
                sql.push(format!("id <= ?{}", args.len()));
            }
            Condition::AfterKey { time, id } => {
                // `time >= ?` first, so the index on `time` bounds the walk.
                args.push(Box::new(time.clone()));
                let t = args.len();
                args.push(Box::new(*id));
                sql.push(format!("time >= ?{t} AND (time > ?{t} OR id > ?{})", args.len()));
            }
            Condition::StepStatus(status) => {
                // `json_each` of a NULL `steps` yields no rows: records without steps never match.
                args.push(Box::new(status.clone()));
                sql.push(format!(
                    "EXISTS (SELECT 1 FROM json_each(steps) WHERE json_extract(value, '$.status') = ?{})",
                    args.len()
                ));
            }
            Condition::In { column, values } => {
                let mut marks = Vec::new();
                for v in values {
                    args.push(Box::new(v.clone()));
                    marks.push(format!("?{}", args.len()));
                }
                if marks.is_empty() {
                    sql.push("0".into());
                } else {
                    sql.push(format!("{column} IN ({})", marks.join(", ")));
                }
            }
        }
    }
    let clause = if sql.is_empty() { String::new() } else { format!("WHERE {}", sql.join(" AND ")) };
    (clause, args)
}

/// The columns of a record, in the order [`from_row`] reads them.
const COLUMNS: &str = "id, time, server, type, level, principal, auth_method, source_ip, user_agent, client_name,
    client_version, session_id, method, tool, input, output, output_size, output_truncated, duration_us, status,
    http_status, error_code, error_message, trace_id, fault, upstream_auth, upstream_subject,
    span_id, parent_span_id, trace_origin, spans, resumed, origin, steps";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ActivityEntry> {
    let json = |i: usize, truncated: bool| -> rusqlite::Result<Option<serde_json::Value>> {
        let text: Option<String> = r.get(i)?;
        Ok(text.map(|t| {
            if truncated {
                serde_json::Value::String(t)
            } else {
                serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t))
            }
        }))
    };
    let truncated: bool = r.get(17)?;
    Ok(ActivityEntry {
        id: r.get(0)?,
        time: r.get(1)?,
        server: r.get(2)?,
        kind: r.get(3)?,
        level: r.get(4)?,
        principal: r.get(5)?,
        auth_method: r.get(6)?,
        source_ip: r.get(7)?,
        user_agent: r.get(8)?,
        client_name: r.get(9)?,
        client_version: r.get(10)?,
        session_id: r.get(11)?,
        method: r.get(12)?,
        tool: r.get(13)?,
        input: json(14, false)?,
        output: json(15, truncated)?,
        output_size: r.get(16)?,
        output_truncated: truncated,
        duration_us: r.get(18)?,
        status: r.get(19)?,
        http_status: r.get(20)?,
        error_code: r.get(21)?,
        error_message: r.get(22)?,
        trace_id: r.get(23)?,
        fault: r.get(24)?,
        upstream_auth: r.get(25)?,
        upstream_subject: r.get(26)?,
        span_id: r.get(27)?,
        parent_span_id: r.get(28)?,
        trace_origin: r.get(29)?,
        spans: r.get::<_, Option<String>>(30)?.and_then(|s| serde_json::from_str(&s).ok()),
        resumed: r.get(31)?,
        origin: r.get(32)?,
        steps: r.get::<_, Option<String>>(33)?.and_then(|s| serde_json::from_str(&s).ok()),
    })
}

/// The newest `limit` rows matching, returned oldest first.
///
/// Records live in two tables, `activity` (indexed) and `activity_recent` (the last thousand or
/// so, unindexed): each is asked for its newest `limit` matches, which keeps the index walk on
/// `activity`, and the two are merged.
pub fn newest(conn: &Connection, conditions: &[Condition], limit: i64) -> rusqlite::Result<Vec<ActivityEntry>> {
    let (clause, args) = where_clause(conditions);
    // Newest by arrival time (ties in commit order); returned oldest first.
    let sql = format!(
        "SELECT * FROM (
           SELECT * FROM (SELECT {COLUMNS} FROM activity {clause} ORDER BY time DESC, id DESC LIMIT {limit})
           UNION ALL
           SELECT * FROM (SELECT {COLUMNS} FROM activity_recent {clause} ORDER BY time DESC, id DESC LIMIT {limit})
           ORDER BY time DESC, id DESC LIMIT {limit}
         ) ORDER BY time ASC, id ASC"
    );
    let mut stmt = conn.prepare(&sql)?;
    let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
    stmt.query_map(params.as_slice(), from_row)?.collect()
}

/// Rows matching in time order, calling `each` for every one (for exports).
pub fn scan(
    conn: &Connection,
    conditions: &[Condition],
    mut each: impl FnMut(ActivityEntry) -> bool,
) -> rusqlite::Result<()> {
    let (clause, args) = where_clause(conditions);
    // Both tables in time order, merged (SQLite merges a compound ORDER BY of ordered arms).
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM activity {clause} UNION ALL SELECT {COLUMNS} FROM activity_recent {clause}
         ORDER BY 2 ASC, 1 ASC"
    ))?;
    let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let mut rows = stmt.query(params.as_slice())?;
    while let Some(row) = rows.next()? {
        if !each(from_row(row)?) {
            break;
        }
    }
    Ok(())
}

/// The records with ids in (`after`, `upto`] matching `conditions`, in id order (commit order:
/// what a SIEM sink delivers next).
pub fn between(
    conn: &Connection,
    conditions: &[Condition],
    after: i64,
    upto: i64,
) -> rusqlite::Result<Vec<ActivityEntry>> {
    let mut all = conditions.to_vec();
    all.push(Condition::AfterId(after));
    let (clause, mut args) = where_clause(&all);
    args.push(Box::new(upto));
    let upto_arg = args.len();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM activity {clause} AND id <= ?{upto_arg}
         UNION ALL SELECT {COLUMNS} FROM activity_recent {clause} AND id <= ?{upto_arg} ORDER BY 1"
    ))?;
    let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
    stmt.query_map(params.as_slice(), from_row)?.collect()
}

/// The id just before the first record that arrived at or after `time` (the largest id when
/// none did yet): where delivery from `time` starts.
pub fn position_at(conn: &Connection, time: &str) -> rusqlite::Result<i64> {
    let first: Option<i64> = conn.query_row(
        "SELECT MIN(id) FROM (SELECT id FROM (SELECT id FROM activity WHERE time >= ?1 ORDER BY time LIMIT 1)
           UNION ALL SELECT id FROM (SELECT id FROM activity_recent WHERE time >= ?1 ORDER BY time LIMIT 1))",
        [time],
        |r| r.get(0),
    )?;
    match first {
        Some(id) => Ok(id - 1),
        None => ids(conn).map(|(last, _)| last),
    }
}

/// The number of records after `after` matching `conditions`, and the time of the first.
pub fn pending(conn: &Connection, conditions: &[Condition], after: i64) -> rusqlite::Result<(i64, Option<String>)> {
    let mut all = conditions.to_vec();
    all.push(Condition::AfterId(after));
    let (clause, args) = where_clause(&all);
    let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
    conn.query_row(
        &format!(
            "SELECT (SELECT COUNT(*) FROM activity {clause}) + (SELECT COUNT(*) FROM activity_recent {clause}),
                    (SELECT time FROM (SELECT id, time FROM activity {clause}
                       UNION ALL SELECT id, time FROM activity_recent {clause}) ORDER BY id LIMIT 1)"
        ),
        params.as_slice(),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The conditions of an activity filter (the flags of `logs tail` that say which records);
/// an error names the flag.
pub fn filter_conditions(f: &ActivityFilter) -> Result<Vec<Condition>, Invalid> {
    let mut c = Vec::new();
    for (value, column) in [
        (&f.server, "server"),
        (&f.user, "principal"),
        (&f.tool, "tool"),
        (&f.kind, "type"),
        (&f.level, "level"),
        (&f.status, "status"),
        (&f.fault, "fault"),
    ] {
        if let Some(v) = value {
            c.push(Condition::Equals { column, value: v.clone() });
        }
    }
    for w in &f.wheres {
        let (field, value) =
            w.split_once('=').ok_or_else(|| Invalid(format!("--where {w:?}: expected FIELD=VALUE")))?;
        let json = |column: &'static str, path: &str| -> Result<Condition, Invalid> {
            let ok = !path.is_empty() && path.chars().all(|ch| ch.is_ascii_alphanumeric() || "_.-[]".contains(ch));
            if !ok {
                return Err(Invalid(format!("--where {w:?}: a JSON path is letters, digits, '_', '-', '.' and [N]")));
            }
            Ok(Condition::Json { column, path: format!("$.{path}"), value: value.to_string() })
        };
        if let Some(path) = field.strip_prefix("input.") {
            c.push(json("input", path)?);
        } else if let Some(path) = field.strip_prefix("output.") {
            c.push(json("output", path)?);
        } else {
            let column = FIELDS.iter().find(|(name, _)| *name == field).map(|(_, col)| *col).ok_or_else(|| {
                let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                Invalid(format!(
                    "--where {w:?}: unknown field {field:?} (fields: {}, input.PATH, output.PATH)",
                    names.join(", ")
                ))
            })?;
            c.push(Condition::Equals { column, value: value.to_string() });
        }
    }
    Ok(c)
}

/// How many rows match.
pub fn count(conn: &Connection, conditions: &[Condition]) -> rusqlite::Result<i64> {
    let (clause, args) = where_clause(conditions);
    let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
    conn.query_row(
        &format!("SELECT (SELECT COUNT(*) FROM activity {clause}) + (SELECT COUNT(*) FROM activity_recent {clause})"),
        params.as_slice(),
        |r| r.get(0),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::store::{Db, OpenOptions, Schema, StoreError};

    fn sql(e: rusqlite::Error) -> StoreError {
        StoreError::Other { path: std::path::PathBuf::new(), detail: e.to_string() }
    }

    fn row(second: u32, tool: &str) -> NewRow {
        NewRow {
            time: format!("2026-01-01T00:00:{second:02}.000000Z"),
            kind: "tool_call".into(),
            level: "info".into(),
            tool: Some(tool.into()),
            status: "success".into(),
            trace_id: format!("trace-{second}"),
            ..NewRow::default()
        }
    }

    fn ids_of(entries: &[ActivityEntry]) -> Vec<i64> {
        entries.iter().map(|e| e.id).collect()
    }

    /// Records in `activity` and `activity_recent` read as one table: merged in time order,
    /// filtered and counted across both, and unchanged by a fold.
    #[test]
    fn both_tables_read_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("activity.db"), Schema::Activity, OpenOptions::default()).unwrap();
        let setup = |tx: &rusqlite::Transaction<'_>| -> rusqlite::Result<()> {
            // Ids 1-4 arrive at seconds 10, 20, 30, 40 and are moved into `activity`.
            for (id, second) in [(1, 10), (2, 20), (3, 30), (4, 40)] {
                insert(tx, id, &row(second, if id % 2 == 0 { "even" } else { "odd" }))?;
            }
            assert_eq!(fold(tx)?, 4);
            // Id 5 arrived at second 35 but committed after id 4; id 6 at second 50.
            insert(tx, 5, &row(35, "odd"))?;
            insert(tx, 6, &row(50, "even"))
        };
        db.write(|tx| setup(tx).map_err(sql)).unwrap();
        let read = |db: &mut Db| {
            db.read_sql(|tx| {
                let odd = [Condition::Equals { column: "tool", value: "odd".into() }];
                let mut all = Vec::new();
                scan(tx, &[], |e| {
                    all.push(e.id);
                    true
                })?;
                Ok((
                    ids_of(&newest(tx, &[], 3)?),
                    ids_of(&newest(tx, &odd, 10)?),
                    count(tx, &odd)?,
                    count(tx, &[Condition::Since("2026-01-01T00:00:30.000000Z".into())])?,
                    all,
                    ids_of(&newest(tx, &[Condition::AfterId(4)], 10)?),
                ))
            })
            .unwrap()
        };
        let before = read(&mut db);
        assert_eq!(before.0, vec![5, 4, 6], "the newest three by arrival, oldest first");
        assert_eq!(before.1, vec![1, 3, 5]);
        assert_eq!(before.2, 3);
        assert_eq!(before.3, 4, "seconds 30, 35, 40, 50");
        assert_eq!(before.4, vec![1, 2, 3, 5, 4, 6], "an export runs in arrival order across both tables");
        assert_eq!(before.5, vec![5, 6], "following by id sees the waiting records");
        assert_eq!(db.read_sql(|tx| ids(tx)).unwrap(), (6, 2));
        assert_eq!(db.write(|tx| fold(tx).map_err(sql)).unwrap(), 2);
        assert_eq!(db.read_sql(|tx| ids(tx)).unwrap(), (6, 0));
        assert_eq!(read(&mut db), before, "a fold changes nothing a reader sees");
    }
}
