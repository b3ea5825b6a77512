//! The `audit` table: append-only and hash-chained.
//!
//! Each entry's `hash` is SHA-256 over its content and the previous entry's hash, so editing,
//! deleting or reordering entries breaks the chain at the first affected entry. Appends happen
//! inside the admin transaction (`BEGIN IMMEDIATE`), which serialises writers: reading the head
//! and appending the next link cannot interleave between processes.

use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use crate::model::{Actor, AuditActor, AuditEntry, ResourceRef};
use crate::secrets::hex;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry to append; id, prev_hash and hash are filled in by [`append`].
#[derive(Debug)]
pub struct NewEntry<'a> {
    pub time: &'a str,
    pub actor: &'a Actor,
    pub action: &'a str,
    pub resource: &'a ResourceRef,
    pub changes: &'a serde_json::Value,
    pub origin: &'a str,
}

/// The hashed content of an entry. A JSON array, so fields cannot bleed into each other.
#[allow(clippy::too_many_arguments)]
fn link_hash(
    id: i64,
    time: &str,
    actor: (&str, &str),
    action: &str,
    resource: (&str, &str, &str),
    changes: &str,
    origin: &str,
    prev_hash: &str,
) -> String {
    let content = serde_json::json!([
        id, time, actor.0, actor.1, action, resource.0, resource.1, resource.2, changes, origin, prev_hash
    ]);
    hex(&Sha256::digest(content.to_string().as_bytes()))
}

/// Appends one entry at the head of the chain; returns its id.
pub fn append(conn: &Connection, e: &NewEntry<'_>) -> rusqlite::Result<i64> {
    let head: Option<(i64, String)> = conn
        .query_row("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (id, prev_hash) = match head {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let changes = e.changes.to_string();
    let hash = link_hash(
        id,
        e.time,
        (&e.actor.kind, &e.actor.name),
        e.action,
        (&e.resource.kind, &e.resource.id, &e.resource.name),
        &changes,
        e.origin,
        &prev_hash,
    );
    conn.execute(
        "INSERT INTO audit (id, time, actor_kind, actor_name, action, resource_type, resource_id, resource_name, changes, origin, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id, e.time, e.actor.kind, e.actor.name, e.action, e.resource.kind, e.resource.id, e.resource.name, changes, e.origin,
            prev_hash, hash
        ],
    )?;
    Ok(id)
}

const SELECT: &str = "SELECT id, time, actor_kind, actor_name, action, resource_type, resource_id, resource_name, changes, origin, prev_hash, hash FROM audit";

struct RawEntry {
    id: i64,
    time: String,
    actor_kind: String,
    actor_name: String,
    action: String,
    resource_type: String,
    resource_id: String,
    resource_name: String,
    changes: String,
    origin: String,
    prev_hash: String,
    hash: String,
}

fn raw(row: &Row<'_>) -> rusqlite::Result<RawEntry> {
    Ok(RawEntry {
        id: row.get(0)?,
        time: row.get(1)?,
        actor_kind: row.get(2)?,
        actor_name: row.get(3)?,
        action: row.get(4)?,
        resource_type: row.get(5)?,
        resource_id: row.get(6)?,
        resource_name: row.get(7)?,
        changes: row.get(8)?,
        origin: row.get(9)?,
        prev_hash: row.get(10)?,
        hash: row.get(11)?,
    })
}

impl RawEntry {
    fn computed_hash(&self) -> String {
        link_hash(
            self.id,
            &self.time,
            (&self.actor_kind, &self.actor_name),
            &self.action,
            (&self.resource_type, &self.resource_id, &self.resource_name),
            &self.changes,
            &self.origin,
            &self.prev_hash,
        )
    }

    fn into_entry(self) -> AuditEntry {
        AuditEntry {
            id: self.id,
            time: self.time,
            actor: AuditActor::of(Actor { kind: self.actor_kind, name: self.actor_name }, &self.origin),
            action: self.action,
            resource: ResourceRef { kind: self.resource_type, id: self.resource_id, name: self.resource_name },
            changes: serde_json::from_str(&self.changes).unwrap_or(serde_json::Value::String(self.changes)),
            origin: self.origin,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}

/// Which entries `list` returns.
#[derive(Debug, Default)]
pub struct Filter<'a> {
    /// Entries at or after this time (stored form).
    pub since: Option<&'a str>,
    pub actor: Option<&'a str>,
    /// An exact action, or a prefix when it ends in `.*` (`server.*`).
    pub action: Option<&'a str>,
    /// A resource name, or `type:name`.
    pub resource: Option<&'a str>,
    /// At most this many, the newest; returned oldest first.
    pub limit: u32,
}

pub fn list(conn: &Connection, f: &Filter<'_>) -> rusqlite::Result<Vec<AuditEntry>> {
    let (action_exact, action_prefix) = match f.action {
        Some(a) => match a.strip_suffix('*') {
            Some(prefix) => (None, Some(format!("{}%", escape_like(prefix)))),
            None => (Some(a), None),
        },
        None => (None, None),
    };
    let (resource_type, resource_name) = match f.resource {
        Some(r) => match r.split_once(':') {
            Some((t, n)) => (Some(t), Some(n)),
            None => (None, Some(r)),
        },
        None => (None, None),
    };
    let sql = format!(
        "SELECT * FROM ({SELECT}
           WHERE (?1 IS NULL OR time >= ?1)
             AND (?2 IS NULL OR actor_name = ?2)
             AND (?3 IS NULL OR action = ?3)
             AND (?4 IS NULL OR action LIKE ?4 ESCAPE '\\')
             AND (?5 IS NULL OR resource_type = ?5)
             AND (?6 IS NULL OR resource_name = ?6 OR resource_id = ?6)
           ORDER BY id DESC LIMIT ?7)
         ORDER BY id ASC"
    );
    let mut stmt = conn.prepare(&sql)?;
    stmt.query_map(
        params![f.since, f.actor, action_exact, action_prefix, resource_type, resource_name, f.limit],
        |r| raw(r).map(RawEntry::into_entry),
    )?
    .collect()
}

/// Up to `limit` entries after the id `after`, in id order (what a SIEM sink delivers next).
pub fn after(conn: &Connection, after: i64, limit: i64) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id > ?1 ORDER BY id LIMIT ?2"))?;
    stmt.query_map(params![after, limit], |r| raw(r).map(RawEntry::into_entry))?.collect()
}

/// The id just before the first entry at or after `time` (the last id when there is none).
pub fn position_at(conn: &Connection, time: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE((SELECT MIN(id) - 1 FROM audit WHERE time >= ?1), (SELECT COALESCE(MAX(id), 0) FROM audit))",
        [time],
        |r| r.get(0),
    )
}

/// The id of the newest entry (0 for none).
pub fn last_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(id), 0) FROM audit", [], |r| r.get(0))
}

/// The number of entries after `after`, and the time of the first.
pub fn pending(conn: &Connection, after: i64) -> rusqlite::Result<(i64, Option<String>)> {
    conn.query_row(
        "SELECT COUNT(*), (SELECT time FROM audit WHERE id > ?1 ORDER BY id LIMIT 1) FROM audit WHERE id > ?1",
        [after],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Verification {
    /// How many entries the table holds.
    pub entries: i64,
    /// Hash of the newest entry: keep it elsewhere to detect a rewrite of the whole tail.
    pub head: String,
    pub broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct BrokenLink {
    pub id: i64,
    pub reason: String,
}

/// Walks the whole chain in id order and reports the first entry that does not check out.
pub fn verify(conn: &Connection) -> rusqlite::Result<Verification> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_id = 1;
    let mut entries = 0;
    while let Some(row) = rows.next()? {
        let e = raw(row)?;
        entries += 1;
        let reason = if e.id != expected_id {
            Some(format!("entry {expected_id} is missing (next entry is {})", e.id))
        } else if e.prev_hash != expected_prev {
            Some(format!(
                "its prev_hash does not match entry {}'s hash (an entry before it was changed, removed or reordered)",
                e.id - 1
            ))
        } else if e.computed_hash() != e.hash {
            Some("its content does not match its hash (the entry was modified)".to_string())
        } else {
            None
        };
        if let Some(reason) = reason {
            let id = if e.id != expected_id { expected_id } else { e.id };
            let (entries, head) = conn.query_row(
                "SELECT COUNT(*), COALESCE((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '') FROM audit",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            return Ok(Verification { entries, head, broken: Some(BrokenLink { id, reason }) });
        }
        expected_prev = e.hash;
        expected_id += 1;
    }
    Ok(Verification { entries, head: expected_prev, broken: None })
}
