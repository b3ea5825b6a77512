//! `mcpcp audit …`

use clap::Subcommand;

use super::{Env, output};
use crate::ops::audit::{ListAudit, VerifyAudit};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List audit entries, newest last.
    List {
        /// Only entries since this long ago (1h, 7d) or this RFC 3339 time.
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Only entries by this actor name.
        #[arg(long)]
        actor: Option<String>,
        /// Only this action (server.create), or a family (server.*).
        #[arg(long)]
        action: Option<String>,
        /// Only this resource: NAME, ID or TYPE:NAME (server:files).
        #[arg(long)]
        resource: Option<String>,
        /// At most this many entries (the newest).
        #[arg(short = 'n', long = "limit", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
    },
    /// Check the hash chain and report the first broken link.
    Verify,
}

pub fn run(cmd: AuditCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::List { since, actor, action, resource, limit } => {
            let entries = env.op(ListAudit { since, actor, action, resource, limit: Some(limit) })?;
            if env.json() {
                return output::json(&entries);
            }
            let rows = entries
                .iter()
                .map(|e| {
                    vec![
                        e.id.to_string(),
                        output::time(&e.time),
                        match e.actor.via.as_str() {
                            "api" => format!("{} (api)", e.actor.name),
                            _ => e.actor.name.clone(),
                        },
                        e.action.clone(),
                        format!("{}:{}", e.resource.kind, e.resource.name),
                        summarize(&e.changes),
                    ]
                })
                .collect();
            output::print_table(&["id", "time", "actor", "action", "resource", "changes"], rows, "no audit entries");
            Ok(())
        }
        AuditCommand::Verify => {
            let v = env.op(VerifyAudit {})?;
            if env.json() {
                output::json(&v)?;
            } else if v.broken.is_none() {
                output::outln!("audit chain intact: {} entries, head {}", v.entries, v.head);
            }
            match v.broken {
                Some(b) => anyhow::bail!("audit chain broken at entry {}: {}", b.id, b.reason),
                None => Ok(()),
            }
        }
    }
}

/// `field: before → after` for each change, short enough for a table cell.
fn summarize(changes: &serde_json::Value) -> String {
    let Some(map) = changes.as_object() else { return changes.to_string() };
    let short = |v: &serde_json::Value| {
        let s = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if s.chars().count() > 40 { format!("{}…", s.chars().take(39).collect::<String>()) } else { s }
    };
    map.iter()
        .map(|(k, v)| {
            if v.get("changed").is_some() {
                format!("{k}: changed")
            } else {
                format!("{k}: {} → {}", short(&v["before"]), short(&v["after"]))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
