//! OpenAPI servers' tools in the state database: storing what a document gives
//! (`server create --openapi`) and `server refresh` (what changed since, applied only when asked,
//! in one audited transaction). Reading the document (a file or a URL) happens before, in
//! `gateway::admin::openapi_server`; here it is already parsed.

use std::collections::BTreeMap;

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query, server::find};
use crate::model::openapi::{Imported, Selection, Skipped};
use crate::policy::rbac::Permission;
use crate::store::{self, Db};

/// A document read and parsed: where from, its hash, what was asked of it and what it gave.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: String,
    /// SHA-256, hex.
    pub hash: String,
    pub selection: Selection,
    pub skip_unsupported: bool,
    pub imported: Imported,
}

/// What `server refresh` finds (and did, with `applied`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct RefreshPlan {
    pub server: String,
    /// Where the document was read from.
    pub source: String,
    /// The hash of the document the tools came from, and of the one read now.
    pub hash_before: String,
    pub hash_after: String,
    /// Tools the document now gives that the server does not have.
    pub added: Vec<String>,
    /// Tools the server has that the document no longer gives (or the selection leaves out).
    pub removed: Vec<String>,
    /// Tools whose description, input schema or operation changed.
    pub changed: Vec<String>,
    /// Operations left out as unsupported (`--skip-unsupported`).
    pub skipped: Vec<Skipped>,
    /// Whether the change was made (`--yes`); without it nothing changes.
    pub applied: bool,
}

impl RefreshPlan {
    /// Whether the server's tools would change.
    pub fn changes(&self) -> bool {
        !(self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty())
    }
}

/// The stored tool definition of an imported tool.
fn definition(t: &crate::model::openapi::Tool) -> store::tools::ToolDefinition {
    store::tools::ToolDefinition {
        name: t.name.clone(),
        title: None,
        description: t.description.clone(),
        input_schema: t.input_schema.clone(),
    }
}

fn operation_json(t: &crate::model::openapi::Tool) -> Result<String> {
    serde_json::to_string(&t.operation).map_err(|e| Error::Internal(e.to_string()))
}

fn document_row(server_id: i64, doc: &Document, now: &str) -> Result<store::openapi::DocumentRow> {
    let text = |v: serde_json::Result<String>| v.map_err(|e| Error::Internal(e.to_string()));
    Ok(store::openapi::DocumentRow {
        server_id,
        source: doc.source.clone(),
        hash: doc.hash.clone(),
        selection: text(serde_json::to_string(&doc.selection))?,
        skip_unsupported: doc.skip_unsupported,
        skipped: text(serde_json::to_string(&doc.imported.skipped))?,
        read_at: now.to_string(),
    })
}

/// Stores the tools of a new OpenAPI server `server_id` (in `server create`'s transaction).
pub(super) fn store_new(tx: &store::Connection, server_id: i64, doc: &Document, now: &str) -> Result<()> {
    for t in &doc.imported.tools {
        store::tools::upsert(tx, server_id, &definition(t), now)?;
        store::openapi::set_operation(tx, server_id, &t.name, &operation_json(t)?)?;
    }
    store::openapi::set_document(tx, &document_row(server_id, doc, now)?)?;
    Ok(())
}

/// The stored document of the OpenAPI server `name` (the actor needs `permission` on it).
pub fn stored(db: &mut Db, ctx: &Ctx, name: &str, permission: Permission) -> Result<(Selection, bool, String)> {
    query(db, |tx| {
        let server = find(tx, name)?;
        ctx.require(permission, server.id, || format!("no server named {name:?}"))?;
        let row = openapi_document(tx, &server)?;
        let selection = serde_json::from_str(&row.selection).unwrap_or_default();
        Ok((selection, row.skip_unsupported, row.source))
    })
}

fn openapi_document(tx: &store::Connection, server: &crate::model::Server) -> Result<store::openapi::DocumentRow> {
    let not_openapi = || {
        Error::Invalid(format!(
            "server {:?} is not an OpenAPI server: `server refresh` re-reads the document of a server created with \
             --openapi (`mcpcp tool sync {}` asks an MCP upstream for its tools)",
            server.name, server.name
        ))
    };
    if server.kind != "openapi" {
        return Err(not_openapi());
    }
    store::openapi::document(tx, server.id)?.ok_or_else(not_openapi)
}

/// `server refresh`: compares what `doc` gives with the server's tools; with `apply`, makes the
/// server's tools what it gives (kept tools keep their state) in one audited transaction.
pub fn refresh(db: &mut Db, ctx: &Ctx, name: &str, doc: Document, apply: bool) -> Result<RefreshPlan> {
    let now = ctx.timestamp();
    let plan = |tx: &store::Connection| -> Result<(i64, RefreshPlan, bool)> {
        let server = find(tx, name)?;
        ctx.require(Permission::SERVER_UPDATE, server.id, || format!("no server named {name:?}"))?;
        let row = openapi_document(tx, &server)?;
        let definitions: BTreeMap<String, store::tools::ToolDefinition> =
            store::tools::definitions(tx, server.id)?.into_iter().map(|t| (t.name.clone(), t)).collect();
        let operations: BTreeMap<String, String> = store::openapi::operations(tx, server.id)?.into_iter().collect();
        let mut plan = RefreshPlan {
            server: server.name.clone(),
            source: doc.source.clone(),
            hash_before: row.hash.clone(),
            hash_after: doc.hash.clone(),
            skipped: doc.imported.skipped.clone(),
            ..RefreshPlan::default()
        };
        let mut given = std::collections::BTreeSet::new();
        for t in &doc.imported.tools {
            given.insert(t.name.clone());
            match (definitions.get(&t.name), operations.get(&t.name)) {
                (Some(d), Some(op)) => {
                    let same_op = serde_json::from_str::<crate::model::openapi::Operation>(op).ok().as_ref()
                        == Some(&t.operation);
                    if d.description != t.description || d.input_schema != t.input_schema || !same_op {
                        plan.changed.push(t.name.clone());
                    }
                }
                _ => plan.added.push(t.name.clone()),
            }
        }
        plan.removed = definitions.keys().filter(|n| !given.contains(*n)).cloned().collect();
        Ok((server.id, plan, row.source != doc.source))
    };
    let (_, found, source_changed) = query(db, |tx| plan(tx))?;
    if !apply || (!found.changes() && !source_changed && found.hash_before == found.hash_after) {
        return Ok(found);
    }
    mutate(db, ctx, |tx| {
        // Planned again under the write lock: another refresh may have run in between.
        let (server_id, planned, source_changed) = plan(tx)?;
        let planned = RefreshPlan { applied: true, ..planned };
        for t in &doc.imported.tools {
            store::tools::upsert(tx, server_id, &definition(t), &now)?;
            store::openapi::set_operation(tx, server_id, &t.name, &operation_json(t)?)?;
        }
        for gone in &planned.removed {
            store::tools::delete(tx, server_id, gone)?;
            store::openapi::delete_operation(tx, server_id, gone)?;
        }
        store::openapi::set_document(tx, &document_row(server_id, &doc, &now)?)?;
        let mut changes = Changes::new().field("openapi_hash", &planned.hash_before, &planned.hash_after);
        if source_changed {
            changes = changes.field("openapi_source", None::<()>, &planned.source);
        }
        for (field, list) in [("added", &planned.added), ("removed", &planned.removed), ("changed", &planned.changed)] {
            if !list.is_empty() {
                changes = changes.field(&format!("tools_{field}"), None::<()>, list);
            }
        }
        let record = AuditRecord::new("server.refresh", "server", server_id, &planned.server, changes);
        Ok((planned, record))
    })
}
