//! Composed servers' tools (`server tool add|remove|list`): each forwards to a tool of another
//! server, renamed and re-described if wanted, with arguments fixed (`--set`) or hidden
//! (`--hide`). A tool of a composed server cannot be the source of another: a composed tool
//! forwards to a proxy server's tool, one step.

use std::collections::BTreeMap;

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query, server::find};
use crate::model::composed::{self as rules, Arguments};
use crate::model::{ComposedTool, Server, ToolName, Transport};
use crate::policy::rbac::Permission;
use crate::store::{self, Db};

/// `server tool add`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddComposedTool {
    /// The composed server.
    pub server: String,
    /// `SERVER:TOOL`: the tool it forwards to.
    pub from: String,
    /// The name clients see [default: the source tool's].
    #[serde(default, rename = "as")]
    pub name: Option<String>,
    /// The description clients see [default: the source tool's].
    #[serde(default)]
    pub description: Option<String>,
    /// `ARG=VALUE`: arguments the gateway sets (a string argument takes VALUE as it is, others
    /// as JSON).
    #[serde(default)]
    pub set: Vec<String>,
    /// Optional arguments removed from the schema clients see.
    #[serde(default)]
    pub hide: Vec<String>,
}

/// `server tool remove`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveComposedTool {
    pub server: String,
    pub tool: String,
}

/// `server tool list`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListComposedTools {
    pub server: String,
}

crate::operation!(AddComposedTool, Post "/servers/{server}/composed-tools", TOOL_MANAGE, "Add a tool to a composed server: another server's tool, renamed, re-described, arguments fixed or hidden", ComposedTool, |op, stores, ctx| add(stores.state()?, ctx, op));
crate::operation!(RemoveComposedTool, Delete "/servers/{server}/composed-tools/{tool}", TOOL_MANAGE, "Remove a tool from a composed server", ComposedTool, |op, stores, ctx| remove(stores.state()?, ctx, &op.server, &op.tool));
crate::operation!(ListComposedTools, Get "/servers/{server}/composed-tools", SERVER_READ, "List a composed server's tools and where they forward to", Vec<ComposedTool>, |op, stores, ctx| list(stores.state()?, ctx, &op.server));

/// The composed server `name`, if the actor holds `permission` on it.
fn composed(tx: &store::Connection, ctx: &Ctx, name: &str, permission: Permission) -> Result<Server> {
    let server = find(tx, name)?;
    ctx.require(permission, server.id, || format!("no server named {name:?}"))?;
    if server.transport != Transport::None {
        return Err(Error::Invalid(format!(
            "server {name:?} is not composed: its tools are its upstream's (`mcpcp tool list {name}`); create a \
             composed server with `mcpcp server create NAME --composed`"
        )));
    }
    Ok(server)
}

pub fn list(db: &mut Db, ctx: &Ctx, server: &str) -> Result<Vec<ComposedTool>> {
    query(db, |tx| {
        let s = composed(tx, ctx, server, Permission::SERVER_READ)?;
        Ok(store::composed::list(tx, s.id)?)
    })
}

/// Adds a tool to a composed server. Everything it names is checked against the state it is
/// added to (the source server and tool, the arguments of the tool's stored schema), in the
/// transaction that adds it; any mistake is `Invalid` and changes nothing.
pub fn add(db: &mut Db, ctx: &Ctx, req: AddComposedTool) -> Result<ComposedTool> {
    // A server outside the actor's reach is not revealed by a complaint about the input.
    query(db, |tx| composed(tx, ctx, &req.server, Permission::TOOL_MANAGE).map(|_| ()))?;
    let (source_server, source_tool) = rules::parse_source(&req.from)?;
    let name = match &req.name {
        Some(n) => ToolName::parse(n)?,
        None => source_tool.clone(),
    };
    if let Some(d) = &req.description
        && d.chars().count() > rules::MAX_DESCRIPTION
    {
        return Err(Error::Invalid(format!("--description: use at most {} characters", rules::MAX_DESCRIPTION)));
    }
    if req.set.len() > rules::MAX_ARGUMENTS || req.hide.len() > rules::MAX_ARGUMENTS {
        return Err(Error::Invalid(format!("at most {} --set and {0} --hide", rules::MAX_ARGUMENTS)));
    }
    let now = ctx.timestamp();
    let server_name = req.server.clone();
    mutate(db, ctx, |tx| {
        let server = composed(tx, ctx, &server_name, Permission::TOOL_MANAGE)?;
        let unknown = || Error::Invalid(format!("--from {}: no server named {:?}", req.from, source_server.as_str()));
        let source = store::servers::get(tx, source_server.as_str())?.ok_or_else(unknown)?;
        match ctx.require(Permission::SERVER_READ, source.id, String::new) {
            Err(Error::NotFound(_)) => return Err(unknown()),
            other => other?,
        }
        if source.transport == Transport::None {
            return Err(Error::Invalid(format!(
                "--from {}: server {:?} is composed; pick the tool it forwards to instead (`mcpcp server tool list {}`)",
                req.from, source.name, source.name
            )));
        }
        let definition = store::tools::definitions(tx, source.id)?
            .into_iter()
            .find(|t| t.name == source_tool.as_str())
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "--from {}: server {:?} has no tool {:?} (`mcpcp tool list {}` shows its tools; `mcpcp tool \
                     sync {}` asks its upstream)",
                    req.from,
                    source.name,
                    source_tool.as_str(),
                    source.name,
                    source.name
                ))
            })?;
        if store::composed::get(tx, server.id, name.as_str())?.is_some() {
            return Err(Error::Invalid(format!(
                "server {:?} already has a tool named {:?}; choose another name with --as",
                server.name,
                name.as_str()
            )));
        }
        let arguments = Arguments::of(&definition.input_schema);
        let mut fixed = BTreeMap::new();
        for raw in &req.set {
            let (arg, value) = arguments.fixed(source_tool.as_str(), raw)?;
            if fixed.insert(arg.clone(), value).is_some() {
                return Err(Error::Invalid(format!("--set {arg} is given twice")));
            }
        }
        let mut hidden = Vec::new();
        for raw in &req.hide {
            let arg = arguments.hidden(source_tool.as_str(), raw)?;
            if fixed.contains_key(&arg) || hidden.contains(&arg) {
                return Err(Error::Invalid(format!("--hide {arg}: the argument is already fixed or hidden")));
            }
            hidden.push(arg);
        }
        let text = |v: serde_json::Result<String>| v.map_err(|e| Error::Internal(e.to_string()));
        let (fixed_json, hidden_json) = (text(serde_json::to_string(&fixed))?, text(serde_json::to_string(&hidden))?);
        let id = store::composed::insert(
            tx,
            &store::composed::NewComposedTool {
                server_id: server.id,
                name: name.as_str(),
                description: req.description.as_deref(),
                source_server_id: source.id,
                source_server_name: &source.name,
                source_tool: source_tool.as_str(),
                fixed: &fixed_json,
                hidden: &hidden_json,
                now: &now,
            },
        )?;
        let added = store::composed::get(tx, server.id, name.as_str())?
            .ok_or_else(|| Error::Internal("the composed tool vanished".into()))?;
        let changes = Changes::new().created(&added, &["id", "server", "status", "created_at", "updated_at"]);
        let resource = format!("{}/{}", server.name, name.as_str());
        Ok((added, AuditRecord::new("composed_tool.add", "composed_tool", id, &resource, changes)))
    })
}

pub fn remove(db: &mut Db, ctx: &Ctx, server: &str, tool: &str) -> Result<ComposedTool> {
    mutate(db, ctx, |tx| {
        let s = composed(tx, ctx, server, Permission::TOOL_MANAGE)?;
        let found = store::composed::get(tx, s.id, tool)?.ok_or_else(|| {
            Error::NotFound(format!(
                "server {server:?} has no tool {tool:?} (`mcpcp server tool list {server}` shows its tools)"
            ))
        })?;
        store::composed::delete(tx, found.id)?;
        let changes = Changes::new().deleted(&found, &["id", "server", "status", "created_at", "updated_at"]);
        let resource = format!("{}/{}", s.name, found.name);
        Ok((found.clone(), AuditRecord::new("composed_tool.remove", "composed_tool", found.id, &resource, changes)))
    })
}
