//! `mcpcp server tool …`: the tools of a composed server.

use clap::Subcommand;

use super::{Env, output};
use crate::ops::composed::{AddComposedTool, ListComposedTools, RemoveComposedTool};

#[derive(Debug, Subcommand)]
pub enum ServerToolCommand {
    /// Add another server's tool to a composed server, renamed, re-described, arguments fixed or hidden.
    Add {
        /// The composed server.
        name: String,
        /// The tool it forwards to.
        #[arg(long, value_name = "SERVER:TOOL")]
        from: String,
        /// The name clients see [default: the source tool's].
        #[arg(long = "as", value_name = "NEW_NAME")]
        new_name: Option<String>,
        /// The description clients see [default: the source tool's].
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        /// Fix an argument (repeatable): removed from the schema clients see; a client's value is replaced.
        #[arg(long = "set", value_name = "ARG=VALUE")]
        set: Vec<String>,
        /// Remove an optional argument from the schema clients see (repeatable); a client's value is dropped.
        #[arg(long = "hide", value_name = "ARG")]
        hide: Vec<String>,
    },
    /// Remove a tool from a composed server.
    Remove { name: String, tool: String },
    /// List a composed server's tools and where they forward to.
    List { name: String },
}

pub fn run(cmd: ServerToolCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        ServerToolCommand::Add { name, from, new_name, description, set, hide } => {
            let t = env.op(AddComposedTool { server: name, from, name: new_name, description, set, hide })?;
            env.done(&t, || {
                format!(
                    "added tool {:?} to server {:?}: it calls {}:{}",
                    t.name, t.server, t.source_server, t.source_tool
                )
            })
        }
        ServerToolCommand::Remove { name, tool } => {
            let t = env.op(RemoveComposedTool { server: name, tool })?;
            env.done(&t, || format!("removed tool {:?} from server {:?}", t.name, t.server))
        }
        ServerToolCommand::List { name } => {
            let tools = env.op(ListComposedTools { server: name.clone() })?;
            if env.json() {
                return output::json(&tools);
            }
            let rows = tools
                .iter()
                .map(|t| {
                    let fixed: Vec<String> = t.fixed.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    vec![
                        t.name.clone(),
                        format!("{}:{}", t.source_server, t.source_tool),
                        t.status.clone(),
                        output::list(&fixed),
                        output::list(&t.hidden),
                    ]
                })
                .collect();
            output::print_table(
                &["tool", "from", "status", "fixed", "hidden"],
                rows,
                &format!(
                    "server {name:?} has no tools yet (add one with `mcpcp server tool add {name} --from SERVER:TOOL`)"
                ),
            );
            Ok(())
        }
    }
}
