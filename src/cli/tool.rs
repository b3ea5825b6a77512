//! `mcpcp tool …`

use clap::Subcommand;

use super::{Env, output};
use crate::gateway::admin::upstream::SyncTools;
use crate::model::ToolState;
use crate::ops::tool;

#[derive(Debug, Subcommand)]
pub enum ToolCommand {
    /// List a server's tools and their state.
    List { server: String },
    /// Ask the upstream for its tools and record them: new ones start offered, vanished ones go
    /// (stopped ones stay, stopped).
    Sync {
        server: String,
        /// Give up after this long (the upstream may need to start first).
        #[arg(long, value_name = "DURATION", default_value = "60s")]
        timeout: String,
    },
    /// Offer a stopped tool to clients again.
    Start { server: String, tool: String },
    /// Hide a tool from tools/list and refuse it in tools/call.
    Stop { server: String, tool: String },
}

pub fn run(cmd: ToolCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        ToolCommand::List { server } => {
            let tools = env.op(tool::ListTools { server: server.clone() })?;
            if env.json() {
                return output::json(&tools);
            }
            let rows = tools
                .iter()
                .map(|t| vec![t.name.clone(), t.state.as_str().into(), first_line(&t.description)])
                .collect();
            output::print_table(
                &["tool", "state", "description"],
                rows,
                &format!("server {server:?} has no tools yet"),
            );
            Ok(())
        }
        ToolCommand::Sync { server, timeout } => {
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.set_message(format!("asking {server:?} for its tools…"));
            spinner.enable_steady_tick(std::time::Duration::from_millis(100));
            let synced = env.op(SyncTools { server: server.clone(), timeout: Some(timeout) });
            spinner.finish_and_clear();
            let report = synced?;
            env.done(&report, || {
                let mut line = if report.changed() {
                    format!(
                        "synced {server:?}: {} added, {} removed, {} updated, {} unchanged",
                        report.added.len(),
                        report.removed.len(),
                        report.updated.len(),
                        report.unchanged
                    )
                } else {
                    format!("{server:?} is up to date: {} tools", report.unchanged)
                };
                if !report.kept_stopped.is_empty() {
                    line.push_str(&format!("\nnot listed this time, kept stopped: {}", report.kept_stopped.join(", ")));
                }
                line
            })
        }
        ToolCommand::Start { server, tool: name } => {
            let t =
                env.op(tool::SetToolState { server: server.clone(), tool: name.clone(), state: ToolState::Started })?;
            env.done(&t, || format!("started tool {:?} of server {server:?}", t.name))
        }
        ToolCommand::Stop { server, tool: name } => {
            let t =
                env.op(tool::SetToolState { server: server.clone(), tool: name.clone(), state: ToolState::Stopped })?;
            env.done(&t, || format!("stopped tool {:?} of server {server:?}", t.name))
        }
    }
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    if line.chars().count() > 72 {
        format!("{}…", line.chars().take(71).collect::<String>())
    } else {
        line.to_string()
    }
}
