//! `mcpcp role …`

use clap::Subcommand;

use super::{Env, output};
use crate::model::Role;
use crate::ops::role::{self, BindRole, CreateRole, DeleteRole, ListIdpBindings, ListRoles, ShowRole, UpdateRole};

#[derive(Debug, Subcommand)]
pub enum RoleCommand {
    /// List every permission a role can grant, and what it allows.
    Permissions,
    /// List the roles, built-in and custom.
    List,
    /// Show one role and its permissions.
    Show { name: String },
    /// Create a custom role.
    Create {
        name: String,
        /// Permissions, comma-separated or repeated; `server.*` is every permission of servers.
        #[arg(long, required = true, value_name = "PERMISSION,…")]
        allow: Vec<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// Change a custom role's permissions (replaced) or description.
    Update {
        name: String,
        #[arg(long, value_name = "PERMISSION,…")]
        allow: Option<Vec<String>>,
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a custom role nobody holds.
    Delete { name: String },
    /// Give a role to every SSO admin in an identity provider's group (everywhere, or on servers).
    Bind {
        role: String,
        #[arg(long, value_name = "GROUP")]
        idp_group: String,
        /// Only on this server (repeatable).
        #[arg(long = "server", value_name = "SERVER")]
        servers: Vec<String>,
    },
    /// Take a role back from an identity provider's group.
    Unbind {
        role: String,
        #[arg(long, value_name = "GROUP")]
        idp_group: String,
        #[arg(long = "server", value_name = "SERVER")]
        servers: Vec<String>,
    },
    /// List the identity provider groups bound to roles.
    Bindings,
}

pub fn run(cmd: RoleCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        RoleCommand::Permissions => {
            let all = role::permissions();
            if env.json() {
                return output::json(&all);
            }
            let rows = all
                .iter()
                .map(|p| {
                    vec![
                        p.name.to_string(),
                        serde_json::to_value(p.reach)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default(),
                        p.description.into(),
                    ]
                })
                .collect();
            output::print_table(&["permission", "reach", "allows"], rows, "no permissions");
            Ok(())
        }
        RoleCommand::List => {
            let roles = env.op(ListRoles {})?;
            if env.json() {
                return output::json(&roles);
            }
            let rows = roles
                .iter()
                .map(|r| vec![r.name.clone(), kind(r).into(), r.permissions.join(","), r.description.clone()])
                .collect();
            output::print_table(&["name", "kind", "permissions", "description"], rows, "no roles");
            Ok(())
        }
        RoleCommand::Show { name } => {
            let r = env.op(ShowRole { role: name })?;
            if env.json() {
                return output::json(&r);
            }
            output::print_fields(&[
                ("name", r.name.clone()),
                ("kind", kind(&r).into()),
                ("description", if r.description.is_empty() { "-".into() } else { r.description.clone() }),
                ("permissions", output::list(&r.permissions)),
                ("created", output::opt_time(r.created_at.as_deref())),
                ("updated", output::opt_time(r.updated_at.as_deref())),
            ]);
            Ok(())
        }
        RoleCommand::Create { name, allow, description } => {
            let r = env.op(CreateRole { name, allow, description })?;
            env.done(&r, || format!("created role {:?} ({})", r.name, r.permissions.join(",")))
        }
        RoleCommand::Update { name, allow, description } => {
            let r = env.op(UpdateRole { role: name, allow, description })?;
            env.done(&r, || format!("updated role {:?} ({})", r.name, r.permissions.join(",")))
        }
        RoleCommand::Delete { name } => {
            let r = env.op(DeleteRole { role: name })?;
            env.done(&r, || format!("deleted role {:?}", r.name))
        }
        RoleCommand::Bind { role: name, idp_group, servers } => {
            let b = env.op(BindRole {
                role: name.clone(),
                idp_group: idp_group.clone(),
                servers: servers.clone(),
                remove: false,
            })?;
            env.done(&b, || format!("bound role {name:?} to identity provider group {idp_group:?} {}", place(&servers)))
        }
        RoleCommand::Unbind { role: name, idp_group, servers } => {
            let b = env.op(BindRole {
                role: name.clone(),
                idp_group: idp_group.clone(),
                servers: servers.clone(),
                remove: true,
            })?;
            env.done(&b, || {
                format!("unbound role {name:?} from identity provider group {idp_group:?} {}", place(&servers))
            })
        }
        RoleCommand::Bindings => {
            let all = env.op(ListIdpBindings {})?;
            if env.json() {
                return output::json(&all);
            }
            let rows = all
                .iter()
                .map(|b| {
                    vec![
                        b.idp_group.clone(),
                        b.role.clone(),
                        b.server.clone().unwrap_or_else(|| "*".into()),
                        output::time(&b.created_at),
                    ]
                })
                .collect();
            output::print_table(
                &["idp group", "role", "server", "created"],
                rows,
                "no identity provider groups are bound to roles",
            );
            Ok(())
        }
    }
}

fn kind(r: &Role) -> &'static str {
    if r.builtin { "built-in" } else { "custom" }
}

pub(super) fn place(servers: &[String]) -> String {
    if servers.is_empty() { "everywhere".into() } else { format!("on {}", servers.join(", ")) }
}
