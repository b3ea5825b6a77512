//! Group operations: groups, their members, and the servers they grant.
//!
//! A group is the only way a user reaches a server. Commands taking several users or servers
//! change all of them or none, with one audit entry for the group.

use std::collections::BTreeSet;

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query};
use crate::model::{Group, GroupName};
use crate::policy::rbac::Permission;
use crate::store::{self, Db};

fn find(tx: &store::Connection, name: &str) -> Result<Group> {
    store::groups::get(tx, name)?.ok_or_else(|| Error::NotFound(format!("no group named {name:?}")))
}

/// `group create`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGroup {
    pub name: String,
}

/// `group list`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListGroups {}

/// `group show`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowGroup {
    pub group: String,
}

/// `group delete`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteGroup {
    pub group: String,
}

/// `group add|remove|grant|revoke`: members or servers, all of `names` or none.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditGroup {
    pub group: String,
    pub edit: Edit,
    pub names: Vec<String>,
    /// With `grant` and one server: the only tools of it the group grants (its members see and
    /// may call no other). Granting a server again changes them; without `tools`, to all.
    #[serde(default)]
    pub tools: Option<Vec<String>>,
}

crate::operation!(CreateGroup, Post "/groups", GROUP_MANAGE, "Create a group", Group, |op, stores, ctx| {
    ctx.require_global(Permission::GROUP_MANAGE)?;
    create(stores.state()?, ctx, &op.name)
});
crate::operation!(ListGroups, Get "/groups", GROUP_READ, "List groups with their members and servers", Vec<Group>, |_op, stores, ctx| {
    ctx.require_global(Permission::GROUP_READ)?;
    list(stores.state()?)
});
crate::operation!(ShowGroup, Get "/groups/{group}", GROUP_READ, "Show a group", Group, |op, stores, ctx| {
    ctx.require_global(Permission::GROUP_READ)?;
    show(stores.state()?, &op.group)
});
crate::operation!(DeleteGroup, Delete "/groups/{group}", GROUP_MANAGE, "Delete a group", Group, |op, stores, ctx| {
    ctx.require_global(Permission::GROUP_MANAGE)?;
    delete(stores.state()?, ctx, &op.group)
});
crate::operation!(EditGroup, Patch "/groups/{group}", GROUP_MANAGE, "Add or remove members, grant or revoke servers", Group, |op, stores, ctx| {
    ctx.require_global(Permission::GROUP_MANAGE)?;
    edit(stores.state()?, ctx, &op.group, op.edit, &op.names, op.tools.as_deref())
});

pub fn create(db: &mut Db, ctx: &Ctx, name: &str) -> Result<Group> {
    let name = GroupName::parse(name)?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        if store::groups::get(tx, name.as_str())?.is_some() {
            return Err(Error::Conflict(format!("a group named {:?} already exists", name.as_str())));
        }
        let id = store::groups::insert(tx, name.as_str(), &now)?;
        let group = find(tx, name.as_str())?;
        let changes = Changes::new().field("name", None::<&str>, name.as_str());
        Ok((group, AuditRecord::new("group.create", "group", id, name.as_str(), changes)))
    })
}

pub fn list(db: &mut Db) -> Result<Vec<Group>> {
    query(db, |tx| Ok(store::groups::list(tx)?))
}

pub fn show(db: &mut Db, name: &str) -> Result<Group> {
    query(db, |tx| find(tx, name))
}

/// After a change to who reaches what: revokes the sign-ins (OAuth grants) of `users` for the
/// servers they no longer reach through any group. Returns how many were revoked.
/// What losing access took from the affected users: sign-ins revoked, linked upstream accounts
/// removed.
#[derive(Debug, Default)]
struct Lost {
    sign_ins: usize,
    connections: usize,
}

impl Lost {
    fn into_changes(self, mut changes: Changes) -> Changes {
        if self.sign_ins > 0 {
            changes = changes.field("sign_ins_revoked", 0, self.sign_ins);
        }
        if self.connections > 0 {
            changes = changes.field("upstream_connections_removed", 0, self.connections);
        }
        changes
    }
}

fn revoke_lost_access(tx: &store::Connection, users: &[i64], now: &str) -> Result<Lost> {
    let mut lost_all = Lost::default();
    for user in users {
        let reached = store::groups::reached_by(tx, *user)?;
        let granted = store::oauth::granted_servers(tx, *user)?;
        let lost: Vec<i64> = granted.into_iter().filter(|s| !reached.contains(s)).collect();
        if !lost.is_empty() {
            lost_all.sign_ins += store::oauth::revoke_user_grants(tx, *user, Some(&lost), "group access removed", now)?;
        }
        lost_all.connections += super::connection::drop_unreached(tx, *user, false)?.len();
    }
    Ok(lost_all)
}

pub fn delete(db: &mut Db, ctx: &Ctx, name: &str) -> Result<Group> {
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let group = find(tx, name)?;
        let members = store::groups::member_ids(tx, group.id)?;
        store::groups::delete(tx, group.id)?;
        let lost = revoke_lost_access(tx, &members, &now)?;
        let deleted = Changes::new().deleted(&group, &["id", "created_at"]).field("sign_ins_revoked", 0, lost.sign_ins);
        let changes = lost.into_changes(deleted);
        Ok((group.clone(), AuditRecord::new("group.delete", "group", group.id, name, changes)))
    })
}

/// Which relation of a group a command changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    AddMembers,
    RemoveMembers,
    Grant,
    Revoke,
}

impl Edit {
    fn action(self) -> &'static str {
        match self {
            Edit::AddMembers => "group.add",
            Edit::RemoveMembers => "group.remove",
            Edit::Grant => "group.grant",
            Edit::Revoke => "group.revoke",
        }
    }

    fn on_members(self) -> bool {
        matches!(self, Edit::AddMembers | Edit::RemoveMembers)
    }
}

/// The tools `--tools` names, checked against what `server` offers: sorted, each once, at least
/// one, none unknown. As stored: a JSON array.
fn tool_list(tx: &store::Connection, server: &str, tools: &[String]) -> Result<String> {
    let found = super::server::find(tx, server)?;
    let known: BTreeSet<String> = if found.transport == crate::model::Transport::None {
        store::composed::list(tx, found.id)?.into_iter().map(|t| t.name).collect()
    } else {
        store::tools::definitions(tx, found.id)?.into_iter().map(|t| t.name).collect()
    };
    let mut chosen = BTreeSet::new();
    for tool in tools {
        if !known.contains(tool) {
            let hint = if found.transport == crate::model::Transport::None {
                format!("`mcpcp server tool list {server}`")
            } else {
                format!("`mcpcp tool list {server}`; `mcpcp tool sync {server}` asks its upstream")
            };
            return Err(Error::Invalid(format!("--tools: server {server:?} has no tool {tool:?} ({hint})")));
        }
        if !chosen.insert(tool.as_str()) {
            return Err(Error::Invalid(format!("--tools: {tool:?} is named twice")));
        }
    }
    if chosen.is_empty() {
        return Err(Error::Invalid("--tools: name at least one tool".into()));
    }
    serde_json::to_string(&chosen).map_err(|e| Error::Internal(e.to_string()))
}

/// Adds or removes members, or grants or revokes servers: all of `names` or none. With
/// `tools`, a grant of one server grants only those of its tools.
pub fn edit(
    db: &mut Db,
    ctx: &Ctx,
    group: &str,
    edit: Edit,
    names: &[String],
    tools: Option<&[String]>,
) -> Result<Group> {
    if tools.is_some() && edit != Edit::Grant {
        return Err(Error::Invalid("--tools applies to `group grant`".into()));
    }
    if tools.is_some() && names.len() != 1 {
        return Err(Error::Invalid("--tools applies to one server at a time".into()));
    }
    if names.is_empty() {
        let what = if edit.on_members() { "user" } else { "server" };
        return Err(Error::Invalid(format!("name at least one {what}")));
    }
    let mut unique = BTreeSet::new();
    for n in names {
        if !unique.insert(n.as_str()) {
            return Err(Error::Invalid(format!("{n:?} is named twice")));
        }
    }
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let before = find(tx, group)?;
        let current = if edit.on_members() { &before.members } else { &before.servers };
        let mut affected = Vec::new();
        let granted_tools = match tools {
            Some(t) => Some(tool_list(tx, &names[0], t)?),
            None => None,
        };
        for name in names {
            let id =
                if edit.on_members() { super::user::find(tx, name)?.id } else { super::server::find(tx, name)?.id };
            let present = current.contains(name);
            match (edit, present) {
                (Edit::AddMembers, true) => {
                    return Err(Error::Conflict(format!("user {name:?} is already in group {group:?}")));
                }
                (Edit::RemoveMembers, false) => {
                    return Err(Error::Conflict(format!("user {name:?} is not in group {group:?}")));
                }
                (Edit::Grant, true) => {
                    // Granted again: its tools change (to the named ones, or to all).
                    let now_granted = before.tools.get(name).map(|t| serde_json::to_string(t).unwrap_or_default());
                    if now_granted == granted_tools {
                        return Err(Error::Conflict(format!("group {group:?} already grants server {name:?}")));
                    }
                    store::groups::set_tools(tx, before.id, id, granted_tools.as_deref())?;
                }
                (Edit::Revoke, false) => {
                    return Err(Error::Conflict(format!("group {group:?} does not grant server {name:?}")));
                }
                (Edit::AddMembers, false) => store::groups::add_member(tx, before.id, id)?,
                (Edit::RemoveMembers, true) => {
                    store::groups::remove_member(tx, before.id, id)?;
                    affected.push(id);
                }
                (Edit::Grant, false) => store::groups::grant(tx, before.id, id, granted_tools.as_deref())?,
                (Edit::Revoke, true) => {
                    store::groups::revoke(tx, before.id, id)?;
                    affected = store::groups::member_ids(tx, before.id)?;
                }
            }
        }
        // Losing access ends the affected users' sign-ins for those servers at once.
        let lost = revoke_lost_access(tx, &affected, &now)?;
        let after = find(tx, group)?;
        let mut changes = if edit.on_members() {
            Changes::new().field("members", &before.members, &after.members)
        } else {
            Changes::new().field("servers", &before.servers, &after.servers)
        };
        if before.tools != after.tools {
            changes = changes.field("tools", &before.tools, &after.tools);
        }
        let changes = lost.into_changes(changes);
        Ok((after, AuditRecord::new(edit.action(), "group", before.id, group, changes)))
    })
}
