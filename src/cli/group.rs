//! `mcpcp group …`

use clap::Subcommand;

use super::{Env, output};
use crate::ops::group::{CreateGroup, DeleteGroup, Edit, EditGroup, ListGroups, ShowGroup};

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group of users.
    Create { name: String },
    /// List groups with their members and servers.
    List,
    /// Show one group.
    Show { name: String },
    /// Delete a group: its members lose the servers it granted.
    Delete { name: String },
    /// Add users to a group.
    Add {
        group: String,
        #[arg(required = true, value_name = "USER")]
        users: Vec<String>,
    },
    /// Remove users from a group.
    Remove {
        group: String,
        #[arg(required = true, value_name = "USER")]
        users: Vec<String>,
    },
    /// Let a group's members reach servers (or, with --tools, some tools of one server).
    #[command(after_long_help = include_str!("help/group-grant.txt"))]
    Grant {
        group: String,
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
        /// Only these tools of the server: its other tools are hidden from the members' tools/list and refused.
        #[arg(long, value_name = "TOOL,…", value_delimiter = ',')]
        tools: Option<Vec<String>>,
    },
    /// Take servers away from a group.
    Revoke {
        group: String,
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
    },
}

pub fn run(cmd: GroupCommand, env: &mut Env) -> anyhow::Result<()> {
    let mut tools = None;
    let (name, edit, names) = match cmd {
        GroupCommand::Create { name } => {
            let g = env.op(CreateGroup { name })?;
            return env.done(&g, || format!("created group {:?}", g.name));
        }
        GroupCommand::List => {
            let groups = env.op(ListGroups {})?;
            if env.json() {
                return output::json(&groups);
            }
            let rows = groups.iter().map(|g| vec![g.name.clone(), output::list(&g.members), servers(g)]).collect();
            output::print_table(&["group", "members", "servers"], rows, "no groups");
            return Ok(());
        }
        GroupCommand::Show { name } => {
            let g = env.op(ShowGroup { group: name })?;
            if env.json() {
                return output::json(&g);
            }
            output::print_fields(&[
                ("name", g.name.clone()),
                ("members", output::list(&g.members)),
                ("servers", servers(&g)),
                ("created", output::time(&g.created_at)),
            ]);
            return Ok(());
        }
        GroupCommand::Delete { name } => {
            let g = env.op(DeleteGroup { group: name })?;
            return env.done(&g, || format!("deleted group {:?}", g.name));
        }
        GroupCommand::Add { group, users } => (group, Edit::AddMembers, users),
        GroupCommand::Remove { group, users } => (group, Edit::RemoveMembers, users),
        GroupCommand::Grant { group, servers, tools: only } => {
            tools = only;
            (group, Edit::Grant, servers)
        }
        GroupCommand::Revoke { group, servers } => (group, Edit::Revoke, servers),
    };
    let g = env.op(EditGroup { group: name, edit, names: names.clone(), tools: tools.clone() })?;
    env.done(&g, || {
        let list = names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
        match edit {
            Edit::AddMembers => format!("added {list} to group {:?}", g.name),
            Edit::RemoveMembers => format!("removed {list} from group {:?}", g.name),
            Edit::Grant => match &tools {
                Some(t) => format!("group {:?} now grants {list}, tools {}", g.name, t.join(", ")),
                None => format!("group {:?} now grants {list}", g.name),
            },
            Edit::Revoke => format!("group {:?} no longer grants {list}", g.name),
        }
    })
}

/// A group's servers in one line, each granted in part followed by its tools:
/// `files (read_file, search), web`.
fn servers(g: &crate::model::Group) -> String {
    let each: Vec<String> = g
        .servers
        .iter()
        .map(|s| match g.tools.get(s) {
            Some(tools) => format!("{s} ({})", tools.join(", ")),
            None => s.clone(),
        })
        .collect();
    output::list(&each)
}
