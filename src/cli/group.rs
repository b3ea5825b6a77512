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
    /// Let a group's members reach servers.
    Grant {
        group: String,
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
    },
    /// Take servers away from a group.
    Revoke {
        group: String,
        #[arg(required = true, value_name = "SERVER")]
        servers: Vec<String>,
    },
}

pub fn run(cmd: GroupCommand, env: &mut Env) -> anyhow::Result<()> {
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
            let rows = groups
                .iter()
                .map(|g| vec![g.name.clone(), output::list(&g.members), output::list(&g.servers)])
                .collect();
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
                ("servers", output::list(&g.servers)),
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
        GroupCommand::Grant { group, servers } => (group, Edit::Grant, servers),
        GroupCommand::Revoke { group, servers } => (group, Edit::Revoke, servers),
    };
    let g = env.op(EditGroup { group: name, edit, names: names.clone() })?;
    env.done(&g, || {
        let list = names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
        match edit {
            Edit::AddMembers => format!("added {list} to group {:?}", g.name),
            Edit::RemoveMembers => format!("removed {list} from group {:?}", g.name),
            Edit::Grant => format!("group {:?} now grants {list}", g.name),
            Edit::Revoke => format!("group {:?} no longer grants {list}", g.name),
        }
    })
}
