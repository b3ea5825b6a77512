//! `mcpcp tool …`

use clap::Subcommand;

use super::{Env, output};
use crate::model::ToolState;
use crate::ops::tool;

#[derive(Debug, Subcommand)]
pub enum ToolCommand {
    /// List a server's tools and their state.
    List { server: String },
    /// Offer a stopped tool to clients again.
    Start { server: String, tool: String },
    /// Hide a tool from tools/list and refuse it in tools/call.
    Stop { server: String, tool: String },
}

pub fn run(cmd: ToolCommand, env: &mut Env) -> anyhow::Result<()> {
    let ctx = env.ctx.clone();
    match cmd {
        ToolCommand::List { server } => {
            let tools = tool::list(env.db()?, &server)?;
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
        ToolCommand::Start { server, tool: name } => {
            let t = tool::set_state(env.db()?, &ctx, &server, &name, ToolState::Started)?;
            env.done(&t, || format!("started tool {:?} of server {server:?}", t.name))
        }
        ToolCommand::Stop { server, tool: name } => {
            let t = tool::set_state(env.db()?, &ctx, &server, &name, ToolState::Stopped)?;
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
