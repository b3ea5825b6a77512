//! Tool operations: list a server's tools, start and stop them.

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query, server::find};
use crate::model::{Tool, ToolState};
use crate::policy::rbac::Permission;
use crate::store::{self, Db};

/// `tool list`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListTools {
    pub server: String,
}

/// `tool start|stop`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetToolState {
    pub server: String,
    pub tool: String,
    pub state: ToolState,
}

crate::operation!(ListTools, Get "/servers/{server}/tools", SERVER_READ, "List a server's tools", Vec<Tool>, |op, stores, ctx| list(stores.state()?, ctx, &op.server));
crate::operation!(SetToolState, Post "/servers/{server}/tools/{tool}/state", TOOL_MANAGE, "Start or stop a tool", Tool, |op, stores, ctx| set_state(stores.state()?, ctx, &op.server, &op.tool, op.state));

pub fn list(db: &mut Db, ctx: &Ctx, server: &str) -> Result<Vec<Tool>> {
    query(db, |tx| {
        let found = find(tx, server)?;
        ctx.require(Permission::SERVER_READ, found.id, || format!("no server named {server:?}"))?;
        Ok(store::tools::list(tx, found.id)?)
    })
}

/// Moves a tool to `state`; a stopped tool is hidden from `tools/list` and refused in `tools/call`.
pub fn set_state(db: &mut Db, ctx: &Ctx, server: &str, tool: &str, state: ToolState) -> Result<Tool> {
    let now = ctx.timestamp();
    let action = match state {
        ToolState::Started => "tool.start",
        ToolState::Stopped => "tool.stop",
    };
    mutate(db, ctx, |tx| {
        let srv = find(tx, server)?;
        ctx.require(Permission::TOOL_MANAGE, srv.id, || format!("no server named {server:?}"))?;
        let current = store::tools::get(tx, srv.id, tool)?.ok_or_else(|| {
            Error::NotFound(format!(
                "server {server:?} has no tool {tool:?} (`mcpcp tool list {server}` shows its tools)"
            ))
        })?;
        if current.state == state {
            return Err(Error::Conflict(format!("tool {tool:?} of server {server:?} is already {}", state.as_str())));
        }
        store::tools::set_state(tx, current.id, state, &now)?;
        let changes = Changes::new().field("state", current.state, state);
        let updated = store::tools::get(tx, srv.id, tool)?.ok_or_else(|| Error::Internal("tool vanished".into()))?;
        Ok((updated, AuditRecord::new(action, "tool", current.id, &format!("{server}/{tool}"), changes)))
    })
}

/// What a sync changed.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct SyncReport {
    pub server: String,
    /// New tools, offered (started) from now on.
    pub added: Vec<String>,
    /// Tools the upstream no longer has.
    pub removed: Vec<String>,
    /// Tools whose title, description or input schema changed.
    pub updated: Vec<String>,
    pub unchanged: usize,
    /// Stopped tools the upstream did not list this time: kept, still stopped. What an upstream
    /// lists can differ from session to session (by the client's capabilities, or tools it adds
    /// at run time), so forgetting a stopped tool would let it be called the next time some
    /// session is offered it.
    #[serde(default)]
    pub kept_stopped: Vec<String>,
}

impl SyncReport {
    pub fn changed(&self) -> bool {
        !(self.added.is_empty() && self.removed.is_empty() && self.updated.is_empty())
    }
}

/// Records the tools an upstream offers now: new ones appear started, vanished ones are removed
/// (but stopped ones are kept, stopped: see [`SyncReport::kept_stopped`]), states of the others
/// are kept. Writes (and audits) only if something changed.
pub fn sync(db: &mut Db, ctx: &Ctx, server: &str, discovered: Vec<store::tools::ToolDefinition>) -> Result<SyncReport> {
    let mut seen = std::collections::BTreeMap::new();
    for t in discovered {
        if crate::model::ToolName::parse(&t.name).is_err() {
            tracing::warn!(server, tool = t.name, "upstream tool name is not a valid MCP tool name; not recorded");
            continue;
        }
        seen.insert(t.name.clone(), t);
    }
    let now = ctx.timestamp();
    let plan = |tx: &store::Connection| -> Result<(i64, SyncReport)> {
        let srv = find(tx, server)?;
        ctx.require(Permission::TOOL_MANAGE, srv.id, || format!("no server named {server:?}"))?;
        let stored: std::collections::BTreeMap<String, store::tools::ToolDefinition> =
            store::tools::definitions(tx, srv.id)?.into_iter().map(|t| (t.name.clone(), t)).collect();
        let mut report = SyncReport { server: srv.name.clone(), ..SyncReport::default() };
        for (name, t) in &seen {
            match stored.get(name) {
                None => report.added.push(name.clone()),
                Some(old) if old != t => report.updated.push(name.clone()),
                Some(_) => report.unchanged += 1,
            }
        }
        let stopped: std::collections::BTreeSet<String> = store::tools::list(tx, srv.id)?
            .into_iter()
            .filter(|t| t.state == crate::model::ToolState::Stopped)
            .map(|t| t.name)
            .collect();
        let (kept, removed) =
            stored.keys().filter(|n| !seen.contains_key(*n)).cloned().partition(|n| stopped.contains(n));
        (report.kept_stopped, report.removed) = (kept, removed);
        Ok((srv.id, report))
    };
    let (_, report) = query(db, |tx| plan(tx))?;
    if !report.changed() {
        return Ok(report);
    }
    mutate(db, ctx, |tx| {
        // Plan again under the write lock: another sync may have run in between.
        let (server_id, report) = plan(tx)?;
        let before: Vec<String> = store::tools::definitions(tx, server_id)?.into_iter().map(|t| t.name).collect();
        for name in report.added.iter().chain(&report.updated) {
            if let Some(t) = seen.get(name) {
                store::tools::upsert(tx, server_id, t, &now)?;
            }
        }
        for name in &report.removed {
            store::tools::delete(tx, server_id, name)?;
        }
        let after: Vec<String> = seen
            .keys()
            .chain(&report.kept_stopped)
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut changes = Changes::new().field("tools", &before, &after);
        if !report.updated.is_empty() {
            changes = changes.field("definitions_changed", None::<()>, &report.updated);
        }
        let record = AuditRecord::new("tool.sync", "server", server_id, server, changes);
        Ok((report, record))
    })
}
