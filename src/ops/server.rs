//! Server operations: create, rename, enable/disable, delete, and reading them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::upstream_auth::{UpstreamAuthSpec, oauth_view, seal_upstream};
use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query};
use crate::model::{
    AuthMethod, CaptureMode, Server, ServerName, Transport, parse_command, parse_env_pair, parse_upstream_url,
};
use crate::policy::rbac::Permission;
use crate::secrets::{SealKey, purpose};
use crate::store::{self, Db};

/// Where a new server's upstream is.
#[derive(Debug)]
pub enum UpstreamSpec {
    Url(String),
    /// `env` holds `KEY=VALUE` pairs; values may be credentials.
    Command {
        command: String,
        env: Vec<crate::secrets::Secret>,
    },
    /// None: a composed server, whose tools are picked from other servers (`server tool add`).
    Composed,
    /// A REST API at `base_url` whose operations (of `document`) are the server's tools.
    OpenApi {
        base_url: String,
        document: Box<super::openapi::Document>,
    },
}

/// A server to create (`server create`, through `gateway::admin::upstream::CreateServer`, which
/// settles how the gateway authenticates upstream first).
#[derive(Debug)]
pub struct NewServer {
    pub name: String,
    pub upstream: UpstreamSpec,
    pub auth: AuthMethod,
    pub description: Option<String>,
    pub capture: CaptureMode,
    pub upstream_auth: UpstreamAuthSpec,
}

/// Fields never shown in a change set (bookkeeping, not configuration).
const BOOKKEEPING: &[&str] = &["id", "created_at", "updated_at"];

pub(crate) fn find(tx: &store::Connection, name: &str) -> Result<Server> {
    store::servers::get(tx, name)?.ok_or_else(|| Error::NotFound(format!("no server named {name:?}")))
}

pub fn create(db: &mut Db, ctx: &Ctx, key: &SealKey, req: NewServer) -> Result<Server> {
    ctx.require_global(Permission::SERVER_CREATE)?;
    let name = ServerName::parse(&req.name)?;
    let description = req.description.unwrap_or_default();
    if description.chars().count() > 1024 {
        return Err(Error::Invalid("description too long: use at most 1024 characters".into()));
    }
    let mut document = None;
    let (transport, url, command, env) = match req.upstream {
        UpstreamSpec::Url(raw) => (Transport::Http, Some(parse_upstream_url(&raw)?.to_string()), None, BTreeMap::new()),
        UpstreamSpec::OpenApi { base_url, document: d } => {
            let url = parse_upstream_url(&base_url).map_err(|e| Error::Invalid(format!("--base-url: {}", e.0)))?;
            document = Some(d);
            (Transport::Http, Some(url.to_string()), None, BTreeMap::new())
        }
        UpstreamSpec::Command { command, env } => {
            let argv = parse_command(&command)?;
            let mut vars = BTreeMap::new();
            for pair in &env {
                let (k, v) = parse_env_pair(pair.expose())?;
                if vars.insert(k.clone(), v).is_some() {
                    return Err(Error::Invalid(format!("--env {k} is given twice")));
                }
            }
            (Transport::Stdio, None, Some(argv), vars)
        }
        UpstreamSpec::Composed => (Transport::None, None, None, BTreeMap::new()),
    };
    if transport == Transport::Stdio && !matches!(req.upstream_auth, UpstreamAuthSpec::None) {
        return Err(Error::Invalid(
            "--upstream-auth applies to --url servers; give a stdio server its credentials with --env".into(),
        ));
    }
    if transport == Transport::None && !matches!(req.upstream_auth, UpstreamAuthSpec::None) {
        return Err(Error::Invalid(
            "--upstream-auth applies to --url servers; a composed server's tools use their source servers' credentials"
                .into(),
        ));
    }
    let upstream = seal_upstream(key, req.upstream_auth)?;
    let env_keys: Vec<String> = env.keys().cloned().collect();
    let env_sealed = if env.is_empty() {
        None
    } else {
        let plain = serde_json::to_vec(&env).map_err(|e| Error::Internal(e.to_string()))?;
        Some(key.seal(purpose::SERVER_ENV, &plain).map_err(|e| Error::Internal(e.to_string()))?)
    };
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        if store::servers::get(tx, name.as_str())?.is_some() {
            return Err(Error::Conflict(format!("a server named {:?} already exists", name.as_str())));
        }
        let id = store::servers::insert(
            tx,
            &store::servers::NewServer {
                name: name.as_str(),
                kind: match (transport, &document) {
                    (Transport::None, _) => "composed",
                    (_, Some(_)) => "openapi",
                    _ => "proxy",
                },
                transport,
                url: url.as_deref(),
                command: command.as_deref(),
                env_keys: &env_keys,
                env_sealed: env_sealed.as_deref(),
                auth: req.auth,
                description: &description,
                capture: req.capture,
                upstream: upstream.row(),
                now: &now,
            },
        )?;
        if let Some(doc) = &document {
            super::openapi::store_new(tx, id, doc, &now)?;
        }
        let server = find(tx, name.as_str())?;
        let mut changes = Changes::new().created(&server, BOOKKEEPING);
        if let Some(doc) = &document {
            let tools: Vec<&str> = doc.imported.tools.iter().map(|t| t.name.as_str()).collect();
            changes = changes.field("tools", None::<()>, tools);
        }
        if env_sealed.is_some() {
            changes = changes.secret("env_values");
        }
        if upstream.sealed.is_some() {
            changes = changes.secret("upstream_header_values");
        }
        if let Some(mut row) = upstream.oauth.clone() {
            row.server_id = id;
            store::servers::set_oauth(tx, &row, &now)?;
            changes = changes.field("upstream_oauth", Option::<serde_json::Value>::None, oauth_view(&row));
            if row.client_secret_sealed.is_some() {
                changes = changes.secret("upstream_client_secret");
            }
        }
        Ok((server, AuditRecord::new("server.create", "server", id, name.as_str(), changes)))
    })
}

/// Every server the actor may see (all of them for the person at the machine).
pub fn list(db: &mut Db, ctx: &Ctx) -> Result<Vec<Server>> {
    let mut servers = query(db, |tx| Ok(store::servers::list(tx)?))?;
    servers.retain(|s| ctx.sees(Permission::SERVER_READ, s.id));
    Ok(servers)
}

/// `server list`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListServers {}

/// `server show`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowServer {
    pub server: String,
}

/// `server limits NAME` without changes.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowLimits {
    pub server: String,
}

/// `server limits NAME` with changes: the rate limit and the usage quota, server-wide or (with
/// `per_user`) each principal's own.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetLimits {
    pub server: String,
    /// `N/INTERVAL`.
    #[serde(default)]
    pub rate: Option<String>,
    #[serde(default)]
    pub burst: Option<u32>,
    #[serde(default)]
    pub no_rate: bool,
    /// `N/PERIOD`.
    #[serde(default)]
    pub quota: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub no_quota: bool,
    #[serde(default)]
    pub per_user: bool,
}

impl SetLimits {
    /// Whether the request changes anything (else it shows the limits).
    pub fn changes(&self) -> bool {
        self.rate.is_some() || self.no_rate || self.quota.is_some() || self.no_quota
    }

    fn change(&self) -> Result<LimitChange> {
        let both = |a: &str, b: &str| Error::Invalid(format!("--{a} and --{b} cannot be used together"));
        let needs = |a: &str, b: &str| Error::Invalid(format!("--{a} needs --{b}"));
        if self.rate.is_some() && self.no_rate {
            return Err(both("rate", "no-rate"));
        }
        if self.quota.is_some() && self.no_quota {
            return Err(both("quota", "no-quota"));
        }
        if self.burst.is_some() && self.rate.is_none() {
            return Err(needs("burst", "rate"));
        }
        if self.timezone.is_some() && self.quota.is_none() {
            return Err(needs("timezone", "quota"));
        }
        let mut change = LimitChange::default();
        if let Some(raw) = &self.rate {
            change.rate = Some(Some((crate::policy::rate::Rate::parse(raw)?, self.burst)));
        } else if self.no_rate {
            change.rate = Some(None);
        }
        if let Some(raw) = &self.quota {
            change.quota = Some(Some(crate::policy::quota::Quota::parse(raw, self.timezone.as_deref())?));
        } else if self.no_quota {
            change.quota = Some(None);
        }
        Ok(change)
    }
}

/// `server rename`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameServer {
    pub server: String,
    pub new_name: String,
}

/// `server enable|disable`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetServerEnabled {
    pub server: String,
    pub enabled: bool,
}

/// `server capture`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetCapture {
    pub server: String,
    pub capture: CaptureMode,
}

/// `server delete`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteServer {
    pub server: String,
}

crate::operation!(RenameServer, Post "/servers/{server}/rename", SERVER_UPDATE, "Rename a server (it is then served at /mcp/NEW)", Server, |op, stores, ctx| rename(stores.state()?, ctx, &op.server, &op.new_name));
crate::operation!(SetServerEnabled, Post "/servers/{server}/enabled", SERVER_UPDATE, "Enable or disable a server", Server, |op, stores, ctx| set_enabled(stores.state()?, ctx, &op.server, op.enabled));
crate::operation!(SetCapture, Post "/servers/{server}/capture", SERVER_UPDATE, "Set what the activity log keeps of a server's requests", Server, |op, stores, ctx| set_capture(stores.state()?, ctx, &op.server, op.capture));
crate::operation!(DeleteServer, Delete "/servers/{server}", SERVER_DELETE, "Delete a server with its tools, tokens and grants", Server, |op, stores, ctx| delete(stores.state()?, ctx, &op.server));
crate::operation!(ListServers, Get "/servers", SERVER_READ, "List the servers", Vec<Server>, |_op, stores, ctx| list(stores.state()?, ctx));
crate::operation!(ShowServer, Get "/servers/{server}", SERVER_READ, "Show a server with its tools, tokens, groups, limits and IP rules", ServerDetail, |op, stores, ctx| show(stores, ctx, &op.server));
crate::operation!(ShowLimits, Get "/servers/{server}/limits", SERVER_READ, "Show a server's rate limits and usage quotas", RateLimits, |op, stores, ctx| {
    let db = stores.state()?;
    query(db, |tx| {
        let s = find(tx, &op.server)?;
        ctx.require(Permission::SERVER_READ, s.id, || format!("no server named {:?}", op.server))
    })?;
    rate_limits(db, &op.server)
});
crate::operation!(SetLimits, Patch "/servers/{server}/limits", POLICY_MANAGE, "Set or remove a server's rate limit and usage quota", RateLimits, |op, stores, ctx| {
    let change = op.change()?;
    set_limits(stores.state()?, ctx, &op.server, op.per_user, change)
});

/// A server with what hangs off it.
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ServerDetail {
    #[serde(flatten)]
    pub server: Server,
    pub tools: ToolCounts,
    pub active_tokens: i64,
    pub groups: Vec<String>,
    /// Rate limits and quotas (the `server` field repeats the name).
    pub limits: RateLimits,
    /// The server-wide quota's current period, if the server has one.
    pub quota_usage: Option<QuotaUsage>,
    /// The per-principal quota's current period: each principal that used it.
    pub quota_usage_per_user: Option<QuotaUsage>,
    pub ip_allow: Vec<String>,
    pub ip_deny: Vec<String>,
}

/// A quota's current period, as counted in `activity.db` (calls still being answered are not
/// in it yet).
#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct QuotaUsage {
    pub quota: String,
    pub period_start: String,
    /// When the period ends and the count starts again.
    pub reset: String,
    /// Server-wide: the calls counted in this period and what is left (per-user: absent).
    pub used: Option<u64>,
    pub remaining: Option<u64>,
    /// Per-user: each principal that made calls in this period.
    pub principals: Vec<PrincipalUsage>,
}

#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct PrincipalUsage {
    pub principal: String,
    pub auth_method: String,
    pub used: u64,
    pub remaining: u64,
}

#[derive(Debug, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ToolCounts {
    pub started: i64,
    pub stopped: i64,
}

/// A server with its counts, limits and rules; the quota usage comes from `activity` (the
/// activity database, where the gateway commits the counts).
pub fn show(stores: &mut dyn super::operation::Stores, ctx: &Ctx, name: &str) -> Result<ServerDetail> {
    let now = ctx.timestamp();
    let (detail, quotas) = query(stores.state()?, |tx| {
        let server = find(tx, name)?;
        ctx.require(Permission::SERVER_READ, server.id, || format!("no server named {name:?}"))?;
        let (started, stopped) = store::tools::counts(tx, server.id)?;
        let active_tokens = store::tokens::count_active(tx, server.id, &now)?;
        let groups = store::groups::granting(tx, server.id)?;
        let limits = rate_limits_of(tx, &server)?;
        let ip = ip_lists(tx, &server)?;
        let quotas = store::servers::quotas(tx, server.id)?;
        let detail = ServerDetail {
            server,
            tools: ToolCounts { started, stopped },
            active_tokens,
            groups,
            limits,
            quota_usage: None,
            quota_usage_per_user: None,
            ip_allow: ip.allow,
            ip_deny: ip.deny,
        };
        Ok((detail, quotas))
    })?;
    let mut detail = detail;
    for (scope, count, period, timezone) in quotas {
        let text = format!("{count}/{period}");
        // A zone unknown to this build counts in UTC, as the gateway does.
        let quota = crate::policy::quota::Quota::parse(&text, Some(&timezone))
            .or_else(|_| crate::policy::quota::Quota::parse(&text, None))?;
        let window = quota.window(ctx.now);
        let start = store::timestamp(window.start);
        let rows =
            query(stores.activity()?, |tx| Ok(store::activity::usage_of(tx, detail.server.id, &period, &start)?))?;
        let limit = quota.count;
        let mut usage = QuotaUsage {
            quota: quota.describe(),
            period_start: start,
            reset: store::timestamp(window.end),
            used: None,
            remaining: None,
            principals: Vec::new(),
        };
        if scope == "user" {
            usage.principals = rows
                .into_iter()
                .filter(|r| !r.principal.is_empty())
                .map(|r| {
                    let used = u64::try_from(r.used).unwrap_or(0);
                    PrincipalUsage {
                        principal: r.principal,
                        auth_method: r.auth_method,
                        used,
                        remaining: limit.saturating_sub(used),
                    }
                })
                .collect();
            detail.quota_usage_per_user = Some(usage);
        } else {
            let used = rows
                .iter()
                .filter(|r| r.principal.is_empty() && r.auth_method.is_empty())
                .map(|r| u64::try_from(r.used).unwrap_or(0))
                .sum::<u64>();
            usage.used = Some(used);
            usage.remaining = Some(limit.saturating_sub(used));
            detail.quota_usage = Some(usage);
        }
    }
    Ok(detail)
}

pub fn rename(db: &mut Db, ctx: &Ctx, old: &str, new: &str) -> Result<Server> {
    let new = ServerName::parse(new)?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let server = find(tx, old)?;
        ctx.require(Permission::SERVER_UPDATE, server.id, || format!("no server named {old:?}"))?;
        if server.name == new.as_str() {
            return Err(Error::Conflict(format!("server {old:?} is already called that")));
        }
        if store::servers::get(tx, new.as_str())?.is_some() {
            return Err(Error::Conflict(format!("a server named {:?} already exists", new.as_str())));
        }
        store::servers::rename(tx, server.id, new.as_str(), &now)?;
        let changes = Changes::new().field("name", &server.name, new.as_str());
        let renamed = find(tx, new.as_str())?;
        Ok((renamed, AuditRecord::new("server.rename", "server", server.id, new.as_str(), changes)))
    })
}

pub fn set_enabled(db: &mut Db, ctx: &Ctx, name: &str, enabled: bool) -> Result<Server> {
    let now = ctx.timestamp();
    let action = if enabled { "server.enable" } else { "server.disable" };
    mutate(db, ctx, |tx| {
        let server = find(tx, name)?;
        ctx.require(Permission::SERVER_UPDATE, server.id, || format!("no server named {name:?}"))?;
        if server.enabled == enabled {
            let state = if enabled { "enabled" } else { "disabled" };
            return Err(Error::Conflict(format!("server {name:?} is already {state}")));
        }
        store::servers::set_enabled(tx, server.id, enabled, &now)?;
        let changes = Changes::new().field("enabled", server.enabled, enabled);
        let updated = find(tx, name)?;
        Ok((updated, AuditRecord::new(action, "server", server.id, name, changes)))
    })
}

/// Deletes a server with its tools, tokens and group grants.
pub fn delete(db: &mut Db, ctx: &Ctx, name: &str) -> Result<Server> {
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let server = find(tx, name)?;
        ctx.require(Permission::SERVER_DELETE, server.id, || format!("no server named {name:?}"))?;
        let groups = store::groups::granting(tx, server.id)?;
        let active_tokens = store::tokens::count_active(tx, server.id, &now)?;
        store::servers::delete(tx, server.id)?;
        let changes = Changes::new()
            .deleted(&server, BOOKKEEPING)
            .field("groups", &groups, Vec::<String>::new())
            .field("active_tokens", active_tokens, 0);
        Ok((server.clone(), AuditRecord::new("server.delete", "server", server.id, name, changes)))
    })
}

/// Sets what the activity log keeps of a server's requests.
pub fn set_capture(db: &mut Db, ctx: &Ctx, name: &str, capture: CaptureMode) -> Result<Server> {
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let server = find(tx, name)?;
        ctx.require(Permission::SERVER_UPDATE, server.id, || format!("no server named {name:?}"))?;
        if server.capture == capture {
            return Err(Error::Conflict(format!("server {name:?} already captures {}", capture.as_str())));
        }
        store::servers::set_capture(tx, server.id, capture, &now)?;
        let changes = Changes::new().field("capture", server.capture, capture);
        let updated = find(tx, name)?;
        Ok((updated, AuditRecord::new("server.capture", "server", server.id, name, changes)))
    })
}

/// A server's IP allow and deny lists.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct IpLists {
    pub server: String,
    pub allow: Vec<String>,
    pub deny: Vec<String>,
}

fn ip_lists(tx: &store::Connection, server: &Server) -> Result<IpLists> {
    let mut lists = IpLists { server: server.name.clone(), ..IpLists::default() };
    for (cidr, action) in store::servers::ip_rules(tx, server.id)? {
        if action == "deny" { lists.deny.push(cidr) } else { lists.allow.push(cidr) }
    }
    Ok(lists)
}

/// Parses a CIDR (or a bare address, as a /32 or /128) into its normal form.
pub fn parse_cidr(raw: &str) -> Result<ipnet::IpNet> {
    let net = raw
        .parse::<ipnet::IpNet>()
        .or_else(|_| raw.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| {
            Error::Invalid(format!(
                "invalid CIDR {raw:?}: use an address or ADDRESS/PREFIX, e.g. 10.0.0.0/8 or 2001:db8::/32"
            ))
        })?;
    Ok(net.trunc())
}

/// Which change `ip_edit` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum IpEdit {
    Allow,
    Deny,
    Remove,
}

/// `server ip NAME list`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListIpRules {
    pub server: String,
}

/// `server ip NAME allow|deny|remove CIDR`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditIpRules {
    pub server: String,
    pub action: IpEdit,
    /// An address or ADDRESS/PREFIX.
    pub cidr: String,
}

crate::operation!(ListIpRules, Get "/servers/{server}/ip", SERVER_READ, "Show a server's client address allow and deny lists", IpLists, |op, stores, ctx| ip_list(stores.state()?, ctx, &op.server));
crate::operation!(EditIpRules, Post "/servers/{server}/ip", POLICY_MANAGE, "Allow, deny or remove a client address range of a server", IpLists, |op, stores, ctx| ip_edit(stores.state()?, ctx, &op.server, op.action, &op.cidr));

pub fn ip_list(db: &mut Db, ctx: &Ctx, name: &str) -> Result<IpLists> {
    query(db, |tx| {
        let server = find(tx, name)?;
        ctx.require(Permission::SERVER_READ, server.id, || format!("no server named {name:?}"))?;
        ip_lists(tx, &server)
    })
}

/// Allows, denies or removes `cidr` for server `name`, audited with both lists before and after.
pub fn ip_edit(db: &mut Db, ctx: &Ctx, name: &str, edit: IpEdit, cidr: &str) -> Result<IpLists> {
    let net = parse_cidr(cidr)?.to_string();
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let server = find(tx, name)?;
        ctx.require(Permission::POLICY_MANAGE, server.id, || format!("no server named {name:?}"))?;
        let before = ip_lists(tx, &server)?;
        let action = match edit {
            IpEdit::Allow => "server.ip_allow",
            IpEdit::Deny => "server.ip_deny",
            IpEdit::Remove => "server.ip_remove",
        };
        match edit {
            IpEdit::Allow | IpEdit::Deny => {
                let (list, word) =
                    if edit == IpEdit::Allow { (&before.allow, "allow") } else { (&before.deny, "deny") };
                if list.contains(&net) {
                    return Err(Error::Conflict(format!("server {name:?} already has {net} on its {word} list")));
                }
                store::servers::set_ip_rule(tx, server.id, &net, word, &now)?;
            }
            IpEdit::Remove => {
                if !store::servers::remove_ip_rule(tx, server.id, &net)? {
                    return Err(Error::NotFound(format!("server {name:?} has no rule for {net}")));
                }
            }
        }
        let after = ip_lists(tx, &server)?;
        let mut changes = Changes::new();
        if before.allow != after.allow {
            changes = changes.field("ip_allow", &before.allow, &after.allow);
        }
        if before.deny != after.deny {
            changes = changes.field("ip_deny", &before.deny, &after.deny);
        }
        Ok((after, AuditRecord::new(action, "server", server.id, name, changes)))
    })
}

/// A server's rate limits and usage quotas, as shown.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct RateLimits {
    pub server: String,
    /// Server-wide: `N/INTERVAL burst B`.
    pub rate: Option<String>,
    /// Each principal's own budget.
    pub rate_per_user: Option<String>,
    /// Server-wide usage quota: `N/PERIOD (TIME ZONE)`.
    pub quota: Option<String>,
    /// Each principal's own usage quota.
    pub quota_per_user: Option<String>,
}

fn describe_rate(count: u32, period_ms: i64, burst: u32) -> String {
    let secs = period_ms / 1000;
    let interval = if period_ms % 86_400_000 == 0 {
        format!("{}d", secs / 86_400)
    } else if period_ms % 3_600_000 == 0 {
        format!("{}h", secs / 3600)
    } else if period_ms % 60_000 == 0 {
        format!("{}m", secs / 60)
    } else if period_ms % 1000 == 0 {
        format!("{secs}s")
    } else {
        format!("{period_ms}ms")
    };
    format!("{count}/{interval} burst {burst}")
}

fn describe_quota((_, count, period, timezone): &store::servers::QuotaRow) -> String {
    format!("{count}/{period} ({timezone})")
}

fn rate_limits_of(tx: &store::Connection, server: &Server) -> Result<RateLimits> {
    let mut out = RateLimits { server: server.name.clone(), ..RateLimits::default() };
    for (scope, count, period_ms, burst) in store::servers::rate_limits(tx, server.id)? {
        let text = describe_rate(count, period_ms, burst);
        if scope == "user" { out.rate_per_user = Some(text) } else { out.rate = Some(text) }
    }
    for row in store::servers::quotas(tx, server.id)? {
        let text = describe_quota(&row);
        if row.0 == "user" { out.quota_per_user = Some(text) } else { out.quota = Some(text) }
    }
    Ok(out)
}

pub fn rate_limits(db: &mut Db, name: &str) -> Result<RateLimits> {
    query(db, |tx| rate_limits_of(tx, &find(tx, name)?))
}

/// What `set_limits` changes: for each of the rate and the quota, `None` leaves it alone,
/// `Some(None)` removes it and `Some(Some(..))` sets it.
#[derive(Debug, Clone, Default)]
pub struct LimitChange {
    /// The rate and its burst (the rate's N when not given).
    pub rate: Option<Option<(crate::policy::rate::Rate, Option<u32>)>>,
    pub quota: Option<Option<crate::policy::quota::Quota>>,
}

/// Sets or removes the server-wide (or, with `per_user`, the per-principal) rate limit and usage
/// quota of `name`, in one transaction with one audit entry.
pub fn set_limits(db: &mut Db, ctx: &Ctx, name: &str, per_user: bool, change: LimitChange) -> Result<RateLimits> {
    let scope = if per_user { "user" } else { "server" };
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let server = find(tx, name)?;
        ctx.require(Permission::POLICY_MANAGE, server.id, || format!("no server named {name:?}"))?;
        let before = rate_limits_of(tx, &server)?;
        let which = |what: &str| if per_user { format!("per-user {what}") } else { what.to_string() };
        match change.rate {
            Some(Some((rate, burst))) => {
                let burst = burst.unwrap_or(rate.count);
                if burst == 0 {
                    return Err(Error::Invalid("--burst must be at least 1".into()));
                }
                let period_ms = i64::try_from(rate.period.as_millis())
                    .ok()
                    .filter(|ms| *ms > 0)
                    .ok_or_else(|| Error::Invalid("the rate's interval must be at least 1ms".into()))?;
                store::servers::set_rate_limit(
                    tx,
                    server.id,
                    &(scope.to_string(), rate.count, period_ms, burst),
                    &now,
                )?;
            }
            Some(None) if !store::servers::remove_rate_limit(tx, server.id, scope)? => {
                return Err(Error::NotFound(format!("server {name:?} has no {}", which("rate limit"))));
            }
            _ => {}
        }
        match change.quota {
            Some(Some(quota)) => {
                let count = i64::try_from(quota.count).map_err(|_| Error::Invalid("the quota is too large".into()))?;
                let row = (scope.to_string(), count, quota.period.as_str().to_string(), quota.tz.name().to_string());
                store::servers::set_quota(tx, server.id, &row, &now)?;
            }
            Some(None) if !store::servers::remove_quota(tx, server.id, scope)? => {
                return Err(Error::NotFound(format!("server {name:?} has no {}", which("quota"))));
            }
            _ => {}
        }
        let after = rate_limits_of(tx, &server)?;
        if before == after {
            return Err(Error::Conflict(format!("server {name:?} already has those limits")));
        }
        let changes = if per_user {
            Changes::new().field("rate_per_user", &before.rate_per_user, &after.rate_per_user).field(
                "quota_per_user",
                &before.quota_per_user,
                &after.quota_per_user,
            )
        } else {
            Changes::new().field("rate", &before.rate, &after.rate).field("quota", &before.quota, &after.quota)
        };
        let action = match (change.rate.is_some(), change.quota.is_some()) {
            (true, true) => "server.limits",
            (false, true) => "server.quota",
            _ => "server.rate_limit",
        };
        Ok((after, AuditRecord::new(action, "server", server.id, name, changes)))
    })
}
