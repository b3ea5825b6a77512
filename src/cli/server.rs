//! `mcpcp server …`

use clap::{Args, Subcommand};

use super::{Env, output};
use crate::gateway::admin::openapi_server::RefreshServer;
use crate::gateway::admin::upstream::{CreateServer, SetUpstreamAuth};
use crate::model::{AuthMethod, CaptureMode, Server, UpstreamAuth};
use crate::ops::connection::{DisconnectServer, ListServerConnections};
use crate::ops::server;
use crate::secrets::Secret;

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Register an upstream MCP server (or compose one from other servers' tools, or turn a REST API's
    /// OpenAPI document into tools), exposed at /mcp/NAME.
    #[command(after_long_help = include_str!("help/server-openapi.txt"))]
    Create(CreateArgs),
    /// List servers.
    List,
    /// Show one server with its tools, tokens and groups.
    Show { name: String },
    /// The upstream accounts linked for a server (per user, and its shared one); never tokens.
    Connections { name: String },
    /// Authorize the server's shared upstream connection in your browser (used by its API tokens).
    #[command(after_long_help = include_str!("help/server-connect.txt"))]
    Connect {
        name: String,
        /// How long the link works and the command waits for the sign-in (at most 10m).
        #[arg(long, default_value = "10m")]
        timeout: String,
    },
    /// Remove the server's shared upstream connection (its API tokens are refused until a new one).
    Disconnect { name: String },
    /// Rename a server (its URL path changes with it).
    Rename { old: String, new: String },
    /// Delete a server with its tools, tokens and group grants.
    Delete { name: String },
    /// Enable a disabled server.
    Enable { name: String },
    /// Disable a server: clients are refused until it is enabled.
    Disable { name: String },
    /// Set what the activity log keeps of the server's requests.
    Capture {
        name: String,
        #[arg(value_enum)]
        mode: CaptureMode,
    },
    /// Rate limits and usage quotas on tools/call; no flags shows them.
    #[command(after_long_help = include_str!("help/server-limits.txt"))]
    Limits {
        name: String,
        /// Rate limit: N calls per INTERVAL, e.g. 100/1m, 5/1s, 1000/1d (GCRA: smooth, no fixed windows).
        #[arg(long, value_name = "N/INTERVAL", conflicts_with = "no_rate")]
        rate: Option<String>,
        /// Calls admitted at once from rest (default: N).
        #[arg(long, requires = "rate")]
        burst: Option<u32>,
        /// Remove the rate limit.
        #[arg(long)]
        no_rate: bool,
        /// Usage quota: N calls per calendar PERIOD (hour, day, week, month); refused until the period ends.
        #[arg(long, value_name = "N/PERIOD", conflicts_with = "no_quota")]
        quota: Option<String>,
        /// The quota's time zone (IANA name, e.g. Europe/Berlin): periods start at local midnight [default: UTC].
        #[arg(long, value_name = "TZ", requires = "quota")]
        timezone: Option<String>,
        /// Remove the quota.
        #[arg(long)]
        no_quota: bool,
        /// The limits apply to each principal (user or token) on its own, beside the server-wide ones.
        #[arg(long)]
        per_user: bool,
    },
    /// How the gateway authenticates to the upstream: none, or static headers (an API key).
    #[command(after_long_help = include_str!("help/server-upstream-auth.txt"))]
    UpstreamAuth {
        name: String,
        /// none: no credential of the gateway's own; header: the --header values with every request.
        #[arg(value_enum)]
        mode: UpstreamAuth,
        #[command(flatten)]
        headers: HeaderArgs,
        #[command(flatten)]
        oauth: super::upstream_oauth::OauthArgs,
    },
    /// What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it.
    #[command(after_long_help = include_str!("help/server-identity.txt"))]
    Identity(super::identity::IdentityArgs),
    /// Read an OpenAPI server's document again: shows what changed, applies it with --yes.
    #[command(after_long_help = include_str!("help/server-refresh.txt"))]
    Refresh {
        name: String,
        /// Read the document from here from now on (a file path or an http(s) URL) [default: where it was read from].
        #[arg(long, value_name = "FILE|URL")]
        openapi: Option<String>,
        /// Apply the changes (without it, they are only shown).
        #[arg(long)]
        yes: bool,
    },
    /// The tools of a composed server: other servers' tools, renamed, re-described, arguments fixed or hidden.
    #[command(after_long_help = include_str!("help/server-tool.txt"))]
    Tool {
        #[command(subcommand)]
        action: super::server_tool::ServerToolCommand,
    },
    /// Client address rules: deny wins; a non-empty allow list admits only its ranges.
    #[command(after_long_help = include_str!("help/server-ip.txt"))]
    Ip {
        name: String,
        #[command(subcommand)]
        action: IpAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum IpAction {
    /// Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted).
    Allow { cidr: String },
    /// Refuse clients from CIDR (403), before any authentication.
    Deny { cidr: String },
    /// Remove the rule for CIDR.
    Remove { cidr: String },
    /// Show the allow and deny lists.
    List,
}

#[derive(Args)]
#[command(group = clap::ArgGroup::new("upstream").required(true).args(["url", "command", "composed", "openapi"]))]
pub struct CreateArgs {
    /// Server name: 1-63 of a-z, 0-9 and '-'.
    pub name: String,
    /// A remote MCP server (Streamable HTTP, falling back to HTTP+SSE).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// A local MCP server started as a process speaking stdio, e.g. "npx -y @modelcontextprotocol/server-everything".
    #[arg(long, value_name = "CMD ARGS")]
    pub command: Option<String>,
    /// No upstream of its own: its tools are picked from other servers with `server tool add`.
    #[arg(long)]
    pub composed: bool,
    /// A REST API: its OpenAPI 3.0/3.1 document (JSON), a file or an http(s) URL; its operations become the tools.
    #[arg(long, value_name = "FILE|URL", requires = "base_url")]
    pub openapi: Option<String>,
    /// With --openapi: the API's base URL (http or https), which operation paths are appended to.
    #[arg(long, value_name = "URL", requires = "openapi")]
    pub base_url: Option<String>,
    /// With --openapi: import only these operations (operationIds, comma separated).
    #[arg(long, value_name = "ID,ID…", value_delimiter = ',', requires = "openapi", conflicts_with = "tag")]
    pub operations: Vec<String>,
    /// With --openapi: import only the operations with this tag.
    #[arg(long, value_name = "TAG", requires = "openapi")]
    pub tag: Option<String>,
    /// With --openapi: import what is supported and list what was skipped, instead of refusing.
    #[arg(long, requires = "openapi")]
    pub skip_unsupported: bool,
    /// An environment variable for the process (repeatable); values are encrypted at rest.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// How clients authenticate.
    #[arg(long, value_enum, default_value = "api-token")]
    pub auth: AuthMethod,
    /// What the server is for.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// What the activity log keeps: full (with inputs and outputs), metadata, or off.
    #[arg(long, value_enum, default_value = "full")]
    pub capture: CaptureMode,
    /// How the gateway authenticates to the upstream: none, or header (the --header values with
    /// every request).
    #[arg(long = "upstream-auth", value_enum, default_value = "none")]
    pub upstream_auth: UpstreamAuth,
    #[command(flatten)]
    pub headers: HeaderArgs,
    #[command(flatten)]
    pub oauth: super::upstream_oauth::OauthArgs,
}

/// Static headers for a server's upstream (`--upstream-auth header`).
#[derive(Debug, Args)]
pub struct HeaderArgs {
    /// A header for the upstream (repeatable), e.g. Authorization or X-Api-Key; its value comes
    /// from standard input (--value-stdin) and is encrypted at rest.
    #[arg(long = "header", value_name = "NAME")]
    pub headers: Vec<String>,
    /// Read the --header values from standard input: one line each, in the order of the flags.
    #[arg(long)]
    pub value_stdin: bool,
}

impl HeaderArgs {
    /// The headers `mode` and these flags name, the values read from standard input.
    fn values(self, mode: UpstreamAuth) -> anyhow::Result<Vec<(String, Secret)>> {
        match mode {
            UpstreamAuth::Oauth => {
                Err(super::UsageError("--header and --value-stdin need --upstream-auth header".into()).into())
            }
            UpstreamAuth::None if !self.headers.is_empty() || self.value_stdin => {
                Err(super::UsageError("--header and --value-stdin need --upstream-auth header".into()).into())
            }
            UpstreamAuth::None => Ok(Vec::new()),
            UpstreamAuth::Header if self.headers.is_empty() => Err(super::UsageError(
                "--upstream-auth header needs --header NAME and --value-stdin (the value on standard input)".into(),
            )
            .into()),
            UpstreamAuth::Header if !self.value_stdin => Err(super::UsageError(
                "--header needs --value-stdin: the values are read from standard input, one line per --header".into(),
            )
            .into()),
            UpstreamAuth::Header => {
                use std::io::Read;
                let mut raw = String::new();
                std::io::stdin()
                    .read_to_string(&mut raw)
                    .map_err(|e| anyhow::anyhow!("cannot read the header values from standard input: {e}"))?;
                let values: Vec<&str> = raw.lines().collect();
                if values.len() != self.headers.len() {
                    return Err(super::UsageError(format!(
                        "--value-stdin: expected {} line(s) on standard input, one value per --header, got {}",
                        self.headers.len(),
                        values.len()
                    ))
                    .into());
                }
                let pairs = self.headers.into_iter().zip(values).map(|(n, v)| (n, Secret::new(v.to_string())));
                Ok(pairs.collect())
            }
        }
    }

    fn given(&self) -> bool {
        !self.headers.is_empty() || self.value_stdin
    }
}

impl std::fmt::Debug for CreateArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // --env values may be credentials: show the keys only.
        let keys: Vec<&str> = self.env.iter().map(|e| e.split_once('=').map_or("?", |(k, _)| k)).collect();
        f.debug_struct("CreateArgs")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("command", &self.command)
            .field("composed", &self.composed)
            .field("openapi", &self.openapi)
            .field("base_url", &self.base_url)
            .field("env_keys", &keys)
            .field("auth", &self.auth)
            .field("description", &self.description)
            .field("capture", &self.capture)
            .field("upstream_auth", &self.upstream_auth)
            .field("headers", &self.headers)
            .finish()
    }
}

pub fn run(cmd: ServerCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        ServerCommand::Create(a) => {
            if a.command.is_some() && a.upstream_auth != UpstreamAuth::None {
                return Err(super::UsageError(
                    "--upstream-auth applies to --url servers; give a stdio server its credentials with --env".into(),
                )
                .into());
            }
            if (a.url.is_some() || a.composed || a.openapi.is_some()) && !a.env.is_empty() {
                return Err(super::UsageError("--env applies to --command servers only".into()).into());
            }
            if a.composed && a.upstream_auth != UpstreamAuth::None {
                return Err(super::UsageError(
                    "--upstream-auth applies to --url servers; a composed server's tools use their source servers' \
                     credentials"
                        .into(),
                )
                .into());
            }
            let (headers, oauth) = if a.upstream_auth == UpstreamAuth::Oauth && (a.url.is_some() || a.openapi.is_some())
            {
                if a.headers.given() {
                    return Err(
                        super::UsageError("--header and --value-stdin need --upstream-auth header".into()).into()
                    );
                }
                (Vec::new(), Some(a.oauth.request()?))
            } else {
                a.oauth.unused()?;
                (a.headers.values(a.upstream_auth)?, None)
            };
            let (openapi, openapi_document) = env.local_openapi_document(a.openapi)?;
            let s = env.op(CreateServer {
                name: a.name,
                url: a.url,
                command: a.command,
                composed: a.composed,
                openapi,
                openapi_document,
                base_url: a.base_url,
                operations: a.operations,
                tag: a.tag,
                skip_unsupported: a.skip_unsupported,
                env: a.env.into_iter().map(Secret::new).collect(),
                auth: Some(a.auth),
                description: a.description,
                capture: Some(a.capture),
                upstream_auth: a.upstream_auth,
                headers,
                oauth,
            })?;
            env.done(&s, || {
                let mut text = format!("created server {:?} ({}), served at /mcp/{}", s.name, target(&s), s.name);
                if let Some(d) = &s.openapi {
                    for skipped in &d.skipped {
                        text.push_str(&format!("\nskipped operation {}: {}", skipped.operation, skipped.reason));
                    }
                }
                text
            })
        }
        ServerCommand::Refresh { name, openapi, yes } => {
            // Through the admin API a document stored by file path is read here, on the caller's
            // machine (where `server create` read it), and sent.
            let openapi = match openapi {
                None if env.is_remote() => {
                    let shown = env.op(crate::ops::server::ShowServer { server: name.clone() })?;
                    shown.server.openapi.map(|d| d.source)
                }
                given => given,
            };
            let (openapi, openapi_document) = env.local_openapi_document(openapi)?;
            let plan = env.op(RefreshServer { server: name, openapi, openapi_document, yes })?;
            if env.json() {
                return output::json(&plan);
            }
            output::outln!("{}", refresh_text(&plan));
            Ok(())
        }
        ServerCommand::Connections { name } => {
            let linked = env.op(ListServerConnections { server: name.clone() })?;
            super::connections::print(env, &linked, &format!("server {name:?} has no linked upstream account"))
        }
        ServerCommand::Connect { name, timeout } => super::connections::connect(env, &name, &timeout),
        ServerCommand::Disconnect { name } => {
            let gone = env.op(DisconnectServer { server: name.clone() })?;
            env.done(&gone, || format!("removed the shared upstream connection of server {name:?}"))
        }
        ServerCommand::UpstreamAuth { name, mode, headers, oauth } => {
            let (headers, oauth) = if mode == UpstreamAuth::Oauth {
                if headers.given() {
                    return Err(super::UsageError("--header and --value-stdin need the header mode".into()).into());
                }
                (Vec::new(), Some(oauth.request()?))
            } else {
                oauth.unused()?;
                (headers.values(mode)?, None)
            };
            let s = env.op(SetUpstreamAuth { server: name, mode, headers, oauth })?;
            env.done(&s, || match s.upstream_auth {
                UpstreamAuth::None => format!("server {:?} sends no upstream credential", s.name),
                UpstreamAuth::Header => {
                    format!("server {:?} sends header(s) {} to its upstream", s.name, s.upstream_headers.join(", "))
                }
                UpstreamAuth::Oauth => format!("server {:?} signs each user in at its upstream", s.name),
            })
        }
        ServerCommand::Identity(a) => super::identity::run(a, env),
        ServerCommand::Tool { action } => super::server_tool::run(action, env),
        ServerCommand::List => {
            let servers = env.op(server::ListServers {})?;
            if env.json() {
                return output::json(&servers);
            }
            let rows = servers
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        if s.enabled { "enabled" } else { "disabled" }.into(),
                        s.auth.as_str().into(),
                        s.transport.as_str().into(),
                        target(s),
                    ]
                })
                .collect();
            output::print_table(
                &["name", "status", "auth", "transport", "upstream"],
                rows,
                "no servers (create one with `mcpcp server create`)",
            );
            Ok(())
        }
        ServerCommand::Show { name } => {
            let d = env.op(server::ShowServer { server: name })?;
            if env.json() {
                return output::json(&d);
            }
            let s = &d.server;
            let mut fields = vec![
                ("name", s.name.clone()),
                ("status", if s.enabled { "enabled" } else { "disabled" }.into()),
                ("auth", s.auth.as_str().into()),
                ("transport", s.transport.as_str().into()),
                ("upstream", target(s)),
                ("env", output::list(&s.env)),
                ("upstream auth", s.upstream_auth.as_str().into()),
                ("upstream headers", output::list(&s.upstream_headers)),
                ("description", if s.description.is_empty() { "-".into() } else { s.description.clone() }),
                ("capture", s.capture.as_str().into()),
                ("identity forward", s.identity_forward.to_string()),
                ("identity jwt header", s.identity_jwt_header.clone()),
                ("tools", format!("{} started, {} stopped", d.tools.started, d.tools.stopped)),
                ("active tokens", d.active_tokens.to_string()),
                ("groups", output::list(&d.groups)),
            ];
            if let Some(doc) = &s.openapi {
                fields.insert(5, ("openapi document", doc.source.clone()));
                if !doc.skipped.is_empty() {
                    let skipped: Vec<String> = doc.skipped.iter().map(|k| k.operation.clone()).collect();
                    fields.insert(6, ("skipped operations", skipped.join(", ")));
                }
            }
            fields.extend(limit_fields(&d.limits).into_iter().skip(1));
            if let Some(u) = &d.quota_usage {
                let (used, left) = (u.used.unwrap_or(0), u.remaining.unwrap_or(0));
                fields.push(("quota usage", format!("{used} used, {left} left, resets {}", output::time(&u.reset))));
            }
            if let Some(u) = &d.quota_usage_per_user {
                let each =
                    u.principals.iter().map(|p| format!("{} {} used, {} left", p.principal, p.used, p.remaining));
                let each: Vec<String> = each.collect();
                let each = if each.is_empty() { "nobody yet".to_string() } else { each.join("; ") };
                fields.push(("quota usage per user", format!("{each}, resets {}", output::time(&u.reset))));
            }
            fields.push(("ip allow", output::list(&d.ip_allow)));
            fields.push(("ip deny", output::list(&d.ip_deny)));
            fields.push(("created", output::time(&s.created_at)));
            fields.push(("updated", output::time(&s.updated_at)));
            output::print_fields(&fields);
            Ok(())
        }
        ServerCommand::Rename { old, new } => {
            let s = env.op(server::RenameServer { server: old.clone(), new_name: new })?;
            env.done(&s, || format!("renamed server {old:?} to {:?}, now served at /mcp/{}", s.name, s.name))
        }
        ServerCommand::Delete { name } => {
            let s = env.op(server::DeleteServer { server: name })?;
            env.done(&s, || format!("deleted server {:?} with its tools, tokens and grants", s.name))
        }
        ServerCommand::Enable { name } => {
            let s = env.op(server::SetServerEnabled { server: name, enabled: true })?;
            env.done(&s, || format!("enabled server {:?}", s.name))
        }
        ServerCommand::Capture { name, mode } => {
            let s = env.op(server::SetCapture { server: name, capture: mode })?;
            env.done(&s, || format!("server {:?} now captures {}", s.name, mode.as_str()))
        }
        ServerCommand::Limits { name, rate, burst, no_rate, quota, timezone, no_quota, per_user } => {
            let change = server::SetLimits { server: name, rate, burst, no_rate, quota, timezone, no_quota, per_user };
            let limits =
                if change.changes() { env.op(change)? } else { env.op(server::ShowLimits { server: change.server })? };
            if env.json() {
                return output::json(&limits);
            }
            output::print_fields(&limit_fields(&limits));
            Ok(())
        }
        ServerCommand::Ip { name, action } => {
            let (edit, cidr) = match action {
                IpAction::List => {
                    let lists = env.op(server::ListIpRules { server: name })?;
                    if env.json() {
                        return output::json(&lists);
                    }
                    output::print_fields(&[
                        ("server", lists.server.clone()),
                        ("allow", output::list(&lists.allow)),
                        ("deny", output::list(&lists.deny)),
                    ]);
                    return Ok(());
                }
                IpAction::Allow { cidr } => (server::IpEdit::Allow, cidr),
                IpAction::Deny { cidr } => (server::IpEdit::Deny, cidr),
                IpAction::Remove { cidr } => (server::IpEdit::Remove, cidr),
            };
            let lists = env.op(server::EditIpRules { server: name, action: edit, cidr })?;
            env.done(&lists, || {
                format!(
                    "server {:?}: allow {}; deny {}",
                    lists.server,
                    output::list(&lists.allow),
                    output::list(&lists.deny)
                )
            })
        }
        ServerCommand::Disable { name } => {
            let s = env.op(server::SetServerEnabled { server: name, enabled: false })?;
            env.done(&s, || format!("disabled server {:?}", s.name))
        }
    }
}

/// A server's limits as `key: value` lines (the first is the server's name).
fn limit_fields(l: &server::RateLimits) -> Vec<(&'static str, String)> {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    vec![
        ("server", l.server.clone()),
        ("rate", or_dash(&l.rate)),
        ("rate per user", or_dash(&l.rate_per_user)),
        ("quota", or_dash(&l.quota)),
        ("quota per user", or_dash(&l.quota_per_user)),
    ]
}

/// What `server refresh` found (and did).
fn refresh_text(plan: &crate::ops::openapi::RefreshPlan) -> String {
    let mut lines = Vec::new();
    for (sign, list) in [("+", &plan.added), ("-", &plan.removed), ("~", &plan.changed)] {
        lines.extend(list.iter().map(|t| format!("{sign} {t}")));
    }
    for s in &plan.skipped {
        lines.push(format!("skipped operation {}: {}", s.operation, s.reason));
    }
    let counts = format!("{} added, {} removed, {} changed", plan.added.len(), plan.removed.len(), plan.changed.len());
    lines.push(match (plan.changes(), plan.applied) {
        (false, true) => {
            format!("server {:?}: its tools are unchanged; the document's new source is recorded", plan.server)
        }
        (false, false) => format!("server {:?}: its tools are unchanged ({})", plan.server, plan.source),
        (true, true) => format!("server {:?}: refreshed from {} ({counts})", plan.server, plan.source),
        (true, false) => format!(
            "server {:?}: {counts} in {}; nothing changed yet: run again with --yes to apply",
            plan.server, plan.source
        ),
    });
    lines.join("\n")
}

/// The upstream in one line: the URL, or the command line.
fn target(s: &Server) -> String {
    match (&s.url, &s.command) {
        (Some(url), _) => url.clone(),
        (None, Some(argv)) => shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| argv.join(" ")),
        (None, None) if s.kind == "composed" => "(composed)".into(),
        (None, None) => "-".into(),
    }
}
