//! Reading the activity log: the newest records matching a filter (`logs tail`), one record
//! (`logs show`) and every record matching a filter, a page at a time (`logs export`), limited
//! to the servers whose logs the actor may read.

use serde::{Deserialize, Serialize};

use super::operation::Stores;
use super::{Ctx, Error, Result, query};
use crate::model::{ActivityEntry, ActivityFilter, parse_since};
use crate::policy::rbac::Permission;
use crate::store::{self, activity::Condition};

/// The most records one request returns.
pub const MAX_LINES: i64 = 1_000_000;

/// `logs tail`: the newest records (oldest of them first), or with `after` those committed after
/// that record id (following).
#[derive(Debug, Default, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TailLogs {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub tool: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub fault: Option<String>,
    #[serde(default)]
    pub trace: Option<String>,
    #[serde(default, rename = "where")]
    pub wheres: Vec<String>,
    /// Only records with a step of this status: `success`, or `failure` (also spelt `error`).
    #[serde(default)]
    pub step_status: Option<String>,
    /// How many of the newest records (default 20).
    #[serde(default)]
    pub lines: Option<i64>,
    /// Only records after this id, oldest first (`logs tail -f`).
    #[serde(default)]
    pub after: Option<i64>,
    /// Over the admin API: keep the answer open and send each new record as it is committed
    /// (NDJSON, or SSE for `Accept: text/event-stream`). Not an operation's concern otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow: bool,
}

impl TailLogs {
    /// The filter as query conditions (usage errors name the bad flag).
    pub fn conditions(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<Condition>> {
        let mut c = Vec::new();
        if let Some(s) = &self.since {
            let at = parse_since(s, now).map_err(|e| Error::Invalid(format!("--since: {}", e.0)))?;
            c.push(Condition::Since(store::timestamp(at)));
        }
        if let Some(u) = &self.until
            && self.after.is_none()
        {
            let at = parse_since(u, now).map_err(|e| Error::Invalid(format!("--until: {}", e.0)))?;
            c.push(Condition::Until(store::timestamp(at)));
        }
        let filter = ActivityFilter {
            server: self.server.clone(),
            user: self.user.clone(),
            tool: self.tool.clone(),
            kind: self.kind.clone(),
            level: self.level.clone(),
            status: self.status.clone(),
            fault: self.fault.clone(),
            wheres: self.wheres.clone(),
        };
        c.extend(store::activity::filter_conditions(&filter)?);
        if let Some(trace) = &self.trace {
            if trace.len() != 32 || !trace.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::Invalid(format!("--trace {trace:?}: a trace id is 32 hex digits")));
            }
            c.push(Condition::Equals { column: "trace_id", value: trace.to_ascii_lowercase() });
        }
        if let Some(status) = &self.step_status {
            c.push(Condition::StepStatus(step_status(status)?.into()));
        }
        if let Some(after) = self.after {
            c.push(Condition::AfterId(after));
        }
        Ok(c)
    }
}

/// A step status as `steps` records it.
fn step_status(status: &str) -> Result<&'static str> {
    match status {
        "success" => Ok("success"),
        "failure" | "error" => Ok("failure"),
        other => Err(Error::Invalid(format!("--step-status {other:?}: success, failure or error"))),
    }
}

crate::operation!(TailLogs, Get "/logs", LOGS_READ, "The newest activity records matching a filter (or those after a record id)", Vec<ActivityEntry>, |op, stores, ctx| {
    let lines = op.lines.unwrap_or(20);
    if !(0..=MAX_LINES).contains(&lines) {
        return Err(Error::Invalid(format!("invalid number of lines {lines}: 0 to {MAX_LINES}")));
    }
    let mut conditions = op.conditions(ctx.now)?;
    conditions.extend(scope(stores, ctx)?);
    let limit = if op.after.is_some() { 10_000 } else { lines };
    query(stores.activity()?, |tx| Ok(store::activity::newest(tx, &conditions, limit)?))
});

/// Only the records of the servers whose logs the actor reads: a condition, or none for all.
fn scope(stores: &mut dyn Stores, ctx: &Ctx) -> Result<Option<Condition>> {
    let Some(ids) = ctx.authority.servers_with(Permission::LOGS_READ) else { return Ok(None) };
    let names = query(stores.state()?, |tx| {
        Ok(store::servers::list(tx)?.into_iter().filter(|s| ids.contains(&s.id)).map(|s| s.name).collect())
    })?;
    Ok(Some(Condition::In { column: "server", values: names }))
}

/// `logs show ID`: one record.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowLog {
    /// The record's id.
    pub id: String,
}

crate::operation!(ShowLog, Get "/logs/{id}", LOGS_READ, "One activity record, with its inputs, outputs and trace", ActivityEntry, |op, stores, ctx| {
    let missing = || Error::NotFound(format!("no activity record with id {}", op.id));
    let id: i64 = op.id.parse().map_err(|_| missing())?;
    let mut conditions = vec![Condition::Equals { column: "id", value: id.to_string() }];
    // A record of a server outside the actor's scope is answered as if it did not exist.
    conditions.extend(scope(stores, ctx)?);
    let found = query(stores.activity()?, |tx| Ok(store::activity::newest(tx, &conditions, 1)?))?;
    found.into_iter().next().ok_or_else(missing)
});

/// The most records, and about the most bytes of them, in one page of an export.
const PAGE_RECORDS: usize = 1000;
const PAGE_BYTES: usize = 8 << 20;

/// `logs export`: the records matching a filter, oldest first, a page at a time. The first
/// page (no `after_time`) fixes the last record id the export covers (`upto`) and counts the
/// records; each later one gives them back, with where the previous page ended.
#[derive(Debug, Default, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportLogs {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub server: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub tool: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub fault: Option<String>,
    #[serde(default)]
    pub trace: Option<String>,
    #[serde(default, rename = "where")]
    pub wheres: Vec<String>,
    #[serde(default)]
    pub step_status: Option<String>,
    /// The time and id of the last record of the previous page.
    #[serde(default)]
    pub after_time: Option<String>,
    #[serde(default)]
    pub after_id: Option<i64>,
    /// The last record id the export covers (from the first page).
    #[serde(default)]
    pub upto: Option<i64>,
}

impl ExportLogs {
    /// The first page of an export of the records `filter` matches.
    pub fn matching(filter: TailLogs) -> ExportLogs {
        ExportLogs {
            since: filter.since,
            until: filter.until,
            server: filter.server,
            user: filter.user,
            tool: filter.tool,
            kind: filter.kind,
            level: filter.level,
            status: filter.status,
            fault: filter.fault,
            trace: filter.trace,
            wheres: filter.wheres,
            step_status: filter.step_status,
            ..ExportLogs::default()
        }
    }

    /// The export's filter.
    fn filter(&self) -> TailLogs {
        TailLogs {
            since: self.since.clone(),
            until: self.until.clone(),
            server: self.server.clone(),
            user: self.user.clone(),
            tool: self.tool.clone(),
            kind: self.kind.clone(),
            level: self.level.clone(),
            status: self.status.clone(),
            fault: self.fault.clone(),
            trace: self.trace.clone(),
            wheres: self.wheres.clone(),
            step_status: self.step_status.clone(),
            ..TailLogs::default()
        }
    }
}

/// One page of an export.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogPage {
    /// In time order.
    pub records: Vec<ActivityEntry>,
    /// The last record id the export covers.
    pub upto: i64,
    /// How many records the export has in all (the first page only).
    pub total: Option<i64>,
    /// Whether more pages follow (the next starts after the last record of this one).
    pub more: bool,
}

crate::operation!(ExportLogs, Get "/logs/export", LOGS_READ, "A page of the activity records matching a filter, oldest first (an export)", LogPage, |op, stores, ctx| {
    let mut conditions = op.filter().conditions(ctx.now)?;
    conditions.extend(scope(stores, ctx)?);
    let first = op.after_time.is_none();
    if let Some(time) = op.after_time {
        let id = op.after_id.ok_or_else(|| Error::Invalid("after_time needs after_id".into()))?;
        conditions.push(Condition::AfterKey { time, id });
    }
    let db = stores.activity()?;
    query(db, |tx| {
        let upto = match op.upto {
            Some(upto) => upto,
            None => store::activity::ids(tx)?.0,
        };
        conditions.push(Condition::UpToId(upto));
        let total = if first { Some(store::activity::count(tx, &conditions)?) } else { None };
        let (mut records, mut bytes, mut more) = (Vec::new(), 0, false);
        store::activity::scan(tx, &conditions, |e| {
            if records.len() == PAGE_RECORDS || bytes > PAGE_BYTES {
                more = true;
                return false;
            }
            bytes += serialized_len(&e);
            records.push(e);
            true
        })?;
        Ok(LogPage { records, upto, total, more })
    })
});

/// The length of a record's JSON, without keeping it.
fn serialized_len(e: &ActivityEntry) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, e);
    count.0
}
