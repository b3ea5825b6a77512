//! Tool operations: list a server's tools, start and stop them.

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query, server::find};
use crate::model::{Tool, ToolState};
use crate::store::{self, Db};

pub fn list(db: &mut Db, server: &str) -> Result<Vec<Tool>> {
    query(db, |tx| {
        let server = find(tx, server)?;
        Ok(store::tools::list(tx, server.id)?)
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
