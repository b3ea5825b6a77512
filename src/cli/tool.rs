//! `mcpcp tool …`

use clap::Subcommand;

use super::{Env, output};
use crate::model::ToolState;
use crate::ops::tool;

#[derive(Debug, Subcommand)]
pub enum ToolCommand {
    /// List a server's tools and their state.
    List { server: String },
    /// Ask the upstream for its tools and record them: new ones start offered, vanished ones go.
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
    let ctx = env.ctx.clone();
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
            let timeout =
                crate::model::parse_duration(&timeout)?.to_std().unwrap_or(std::time::Duration::from_secs(60));
            let key = env.key()?;
            let snapshot = crate::snapshot::load(env.db()?, &key)?;
            let config = snapshot
                .server(&server)
                .cloned()
                .ok_or_else(|| crate::ops::Error::NotFound(format!("no server named {server:?}")))?;
            // A server whose users sign in upstream is asked as its shared connection.
            let bearer = match config.upstream_auth {
                crate::model::UpstreamAuth::Oauth => {
                    let Some(authorization) =
                        snapshot.connection(config.id, None).and_then(|c| c.authorization.clone())
                    else {
                        anyhow::bail!(
                            "server {server:?} signs each user in at its upstream: link its shared connection first \
                             (`mcpcp server connect {server}`), or let a linked user's client list the tools"
                        );
                    };
                    Some(std::sync::Arc::new(move || Some(authorization.clone())) as crate::upstream::Bearer)
                }
                _ => None,
            };
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.set_message(format!("asking {server:?} for its tools…"));
            spinner.enable_steady_tick(std::time::Duration::from_millis(100));
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let listed = runtime.block_on(async {
                let http =
                    crate::upstream::Clients::new(&crate::upstream::Options::default()).map_err(|e| e.to_string())?;
                crate::upstream::list_tools(&config, &http, timeout, bearer).await
            });
            spinner.finish_and_clear();
            let tools = listed.map_err(|e| anyhow::anyhow!("cannot list the tools of {server:?}: {e}"))?;
            let definitions = tools.iter().filter_map(crate::gateway::tool_definition).collect();
            let report = tool::sync(env.db()?, &ctx, &server, definitions)?;
            env.done(&report, || {
                if report.changed() {
                    format!(
                        "synced {server:?}: {} added, {} removed, {} updated, {} unchanged",
                        report.added.len(),
                        report.removed.len(),
                        report.updated.len(),
                        report.unchanged
                    )
                } else {
                    format!("{server:?} is up to date: {} tools", report.unchanged)
                }
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
