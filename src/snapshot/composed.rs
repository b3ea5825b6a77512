//! Composed servers' tools as the gateway serves them, built from their rows: what each forwards
//! to, its fixed and hidden arguments, whether its source is offered, and the `tools/list` a
//! client sees (the source tool's definition, renamed, re-described, less the fixed and hidden
//! arguments).

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::ToolState;
use crate::policy::{Composed, ComposedTool};
use crate::store::composed::ComposedRow;

/// The composed servers' tools, by server id.
pub(super) fn build(rows: Vec<ComposedRow>) -> HashMap<i64, Arc<Composed>> {
    let mut tools: HashMap<i64, (HashMap<String, ComposedTool>, Vec<String>)> = HashMap::new();
    for row in rows {
        let fixed: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&row.fixed).unwrap_or_default();
        let hidden: Vec<String> = serde_json::from_str(&row.hidden).unwrap_or_default();
        let origin = format!("{}:{}", row.source_server_name, row.source_tool);
        let unavailable = match (&row.source_server_id, &row.source) {
            (None, _) => Some(format!("its source server {:?} was deleted", row.source_server_name)),
            (Some(_), None) => Some(format!("its source tool {origin} is no longer offered by its server")),
            (Some(_), Some(s)) if s.state == ToolState::Stopped => Some(format!("its source tool {origin} is stopped")),
            (Some(_), Some(_)) => None,
        };
        let (entries, catalogue) = tools.entry(row.server_id).or_default();
        if let (None, Some(source)) = (&unavailable, &row.source) {
            let removed: Vec<&str> = fixed.keys().chain(hidden.iter()).map(String::as_str).collect();
            let mut entry = serde_json::json!({
                "name": row.name,
                "description": row.description.as_deref().unwrap_or(&source.description),
                "inputSchema": crate::model::composed::client_schema(&source.input_schema, &removed),
            });
            // The source's title names the source tool: kept only when the tool keeps its name.
            if let (Some(title), true) = (&source.title, row.name == row.source_tool) {
                entry["title"] = title.as_str().into();
            }
            catalogue.push(entry.to_string());
        }
        let tool = ComposedTool {
            source_server_id: row.source_server_id,
            source_server: row.source_server_name,
            source_tool: row.source_tool,
            fixed: fixed.into_iter().collect(),
            hidden,
            unavailable,
        };
        entries.insert(row.name, tool);
    }
    tools
        .into_iter()
        .map(|(id, (tools, catalogue))| {
            (id, Arc::new(Composed { tools, catalogue: Arc::from(format!("[{}]", catalogue.join(","))) }))
        })
        .collect()
}
