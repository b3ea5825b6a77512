//! Reading the activity log: the newest records matching a filter, limited to the servers whose
//! logs the actor may read.

use serde::{Deserialize, Serialize};

use super::{Error, Result, query};
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
        if let Some(after) = self.after {
            c.push(Condition::AfterId(after));
        }
        Ok(c)
    }
}

crate::operation!(TailLogs, Get "/logs", LOGS_READ, "The newest activity records matching a filter (or those after a record id)", Vec<ActivityEntry>, |op, stores, ctx| {
    let lines = op.lines.unwrap_or(20);
    if !(0..=MAX_LINES).contains(&lines) {
        return Err(Error::Invalid(format!("invalid number of lines {lines}: 0 to {MAX_LINES}")));
    }
    let mut conditions = op.conditions(ctx.now)?;
    // Only the servers whose logs the actor reads (all of them: no condition).
    if let Some(ids) = ctx.authority.servers_with(Permission::LOGS_READ) {
        let names = query(stores.state()?, |tx| {
            Ok(store::servers::list(tx)?.into_iter().filter(|s| ids.contains(&s.id)).map(|s| s.name).collect())
        })?;
        conditions.push(Condition::In { column: "server", values: names });
    }
    let limit = if op.after.is_some() { 10_000 } else { lines };
    query(stores.activity()?, |tx| Ok(store::activity::newest(tx, &conditions, limit)?))
});
