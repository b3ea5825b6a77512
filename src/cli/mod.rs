//! The command line: parse, call one operation, render. No business logic lives here.
//!
//! The file tree mirrors the command tree: `mcpcp server …` is `server.rs`, and so on.

mod admin;
mod admin_login;
mod audit;
mod config;
mod connections;
mod group;
mod identity;
mod key;
mod logs;
mod output;
mod remote;
mod role;
mod schemas;
mod serve;
mod server;
mod server_tool;
mod siem;
mod sso;
mod token;
mod tool;
mod trace_view;
mod upstream_oauth;
mod user;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};
use serde::Serialize;

pub use output::Format;
pub use schemas::{Shape, json_schemas};

use crate::config::{Flags, Loaded};
use crate::datadir::DataDir;
use crate::ops::Ctx;
use crate::secrets::SealKey;
use crate::store::{Db, OpenOptions};

/// mcpcp — one gateway for every MCP interaction of a team.
///
/// Admin commands work directly on the data directory's database, also while `mcpcp serve`
/// runs. Exit codes: 0 success, 1 failure, 2 usage error.
#[derive(Debug, Parser)]
#[command(
    name = "mcpcp",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_long_help = include_str!("help/mcpcp.txt")
)]
pub struct Cli {
    /// Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format: tables for people, JSON for scripts.
    #[arg(long, short = 'o', global = true, value_enum, default_value = "table")]
    pub output: Format,
    /// Run admin commands against this gateway's admin API instead of the local database
    /// [env: MCPCP_REMOTE]
    #[arg(long, global = true, value_name = "URL")]
    pub remote: Option<String>,
    /// The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the
    /// token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]
    #[arg(long, global = true, value_name = "FILE")]
    pub admin_token_file: Option<PathBuf>,
    /// A PEM file of the private CA that signed the --remote gateway's certificate (default:
    /// the system's trust store; the certificate is always verified)
    #[arg(long, global = true, value_name = "FILE")]
    pub remote_ca: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gateway: every enabled server at /mcp/NAME.
    #[command(after_long_help = include_str!("help/serve.txt"))]
    Serve(serve::ServeArgs),
    /// Upstream MCP servers exposed by the gateway.
    #[command(subcommand, after_long_help = include_str!("help/server.txt"))]
    Server(server::ServerCommand),
    /// The tools of a server, and which are offered.
    #[command(subcommand, after_long_help = include_str!("help/tool.txt"))]
    Tool(tool::ToolCommand),
    /// Server-scoped API tokens.
    #[command(subcommand, after_long_help = include_str!("help/token.txt"))]
    Token(token::TokenCommand),
    /// End users.
    #[command(subcommand, after_long_help = include_str!("help/user.txt"))]
    User(user::UserCommand),
    /// Groups of users, and the servers they grant.
    #[command(subcommand, after_long_help = include_str!("help/group.txt"))]
    Group(group::GroupCommand),
    /// The keys that sign the identity JWTs upstreams are given (`server identity --forward jwt`).
    #[command(subcommand, after_long_help = include_str!("help/key.txt"))]
    Key(key::KeyCommand),
    /// Single sign-on through an external OpenID Connect provider.
    #[command(subcommand, after_long_help = include_str!("help/sso.txt"))]
    Sso(sso::SsoCommand),
    /// The activity log: every request the gateway received.
    #[command(subcommand, after_long_help = include_str!("help/logs.txt"))]
    Logs(logs::LogsCommand),
    /// Administrators other than the person at the machine, their roles and API tokens.
    #[command(subcommand, after_long_help = include_str!("help/admin.txt"))]
    Admin(admin::AdminCommand),
    /// Admin roles: sets of permissions, built-in and custom.
    #[command(subcommand, after_long_help = include_str!("help/role.txt"))]
    Role(role::RoleCommand),
    /// The audit trail of administrative changes.
    #[command(subcommand, after_long_help = include_str!("help/audit.txt"))]
    Audit(audit::AuditCommand),
    /// Stream the activity log and the audit trail to SIEMs (syslog, Splunk HEC, HTTP, OTLP).
    #[command(subcommand, after_long_help = include_str!("help/siem.txt"))]
    Siem(siem::SiemCommand),
    /// The process configuration.
    #[command(subcommand, after_long_help = include_str!("help/config.txt"))]
    Config(config::ConfigCommand),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// A usage error found after parsing (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// What a command runs with: configuration, output format, who acts, and the database (opened
/// on first use so commands that need none, like `config check`, never create a data directory).
#[derive(Debug)]
pub struct Env {
    pub loaded: Loaded,
    pub format: Format,
    pub ctx: Ctx,
    dir: Option<DataDir>,
    db: Option<Db>,
    /// The activity database, once an operation asked for it.
    activity: Option<Db>,
    /// `--remote`: operations go to this admin API.
    remote: Option<remote::Remote>,
}

impl Env {
    /// Whether operations go to a `--remote` admin API.
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// With `--remote`, the OpenAPI document a file path names, read here to be sent (the admin
    /// API does not read files of the gateway's host); `None` for a URL or a local command.
    /// Returns the source to name (a path made absolute, as the local CLI stores it) and the text.
    pub fn local_openapi_document(&self, source: Option<String>) -> anyhow::Result<(Option<String>, Option<String>)> {
        use crate::gateway::admin::openapi_server::{is_url, read_local};
        match source {
            Some(path) if self.remote.is_some() && !is_url(&path) => {
                let (absolute, text) = read_local(&path)?;
                Ok((Some(absolute), Some(text)))
            }
            other => Ok((other, None)),
        }
    }

    /// Runs one admin operation: on the local database, or through the `--remote` admin API.
    pub fn op<O: crate::ops::operation::Operation>(&mut self, op: O) -> anyhow::Result<O::Output> {
        if let Some(remote) = &self.remote {
            return remote.call(&op);
        }
        let ctx = self.ctx.clone();
        Ok(op.run(self, &ctx)?)
    }

    fn data_dir(&mut self) -> anyhow::Result<&DataDir> {
        if self.dir.is_none() {
            self.dir = Some(DataDir::open_or_create(&self.loaded.config.data_dir)?);
        }
        self.dir.as_ref().ok_or_else(|| anyhow::anyhow!("data directory unavailable"))
    }

    /// The state database, opened (and migrated) on first use.
    pub fn db(&mut self) -> anyhow::Result<&mut Db> {
        if self.remote.is_some() {
            anyhow::bail!(UsageError(
                "this command does not work with --remote yet: run it on the gateway's machine".into()
            ));
        }
        if self.db.is_none() {
            let options =
                OpenOptions { busy_timeout: std::time::Duration::from_millis(self.loaded.config.busy_timeout_ms) };
            let db = self.data_dir()?.open_state(options)?;
            self.db = Some(db);
        }
        self.db.as_mut().ok_or_else(|| anyhow::anyhow!("database unavailable"))
    }

    /// The activity database (after the state database, so the data directory exists and is
    /// migrated), opened for this caller alone, with every answered call readable: records
    /// still in the activity journal are waited for while a gateway runs (it writes them within
    /// milliseconds), and written here when none does (after a crash).
    pub fn open_activity(&mut self) -> anyhow::Result<Db> {
        use crate::observe::activity;
        self.db()?;
        let root = self.loaded.config.data_dir.clone();
        let options =
            OpenOptions { busy_timeout: std::time::Duration::from_millis(self.loaded.config.busy_timeout_ms) };
        let mut db = Db::open(&root.join(crate::datadir::ACTIVITY_DB), crate::store::Schema::Activity, options)?;
        // The records of every call answered so far, and no more: under load the journal's
        // end keeps moving.
        let end = activity::journal_end(&db)?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while activity::journal_position(&mut db)? < end {
            if let Some(_no_gateway) = serve::try_lock(&root)? {
                activity::write_journal(&mut db)?;
                break;
            }
            if std::time::Instant::now() >= deadline {
                eprintln!("warning: the gateway has not yet written its latest records; they are left out");
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        Ok(db)
    }

    /// The key for secrets at rest.
    pub fn key(&mut self) -> anyhow::Result<SealKey> {
        Ok(self.data_dir()?.key()?)
    }

    pub fn json(&self) -> bool {
        self.format == Format::Json
    }

    /// Reports a finished mutation: the resulting record as JSON, or one line for people.
    pub fn done<T: Serialize>(&self, value: &T, message: impl FnOnce() -> String) -> anyhow::Result<()> {
        if self.json() {
            output::json(value)
        } else {
            output::outln!("{}", message());
            Ok(())
        }
    }
}

/// The CLI's databases and key, for operations: a failure to open them keeps its message.
impl crate::ops::operation::Stores for Env {
    fn state(&mut self) -> crate::ops::Result<&mut Db> {
        self.db().map_err(|e| crate::ops::Error::Internal(format!("{e:#}")))
    }

    fn activity(&mut self) -> crate::ops::Result<&mut Db> {
        if self.activity.is_none() {
            let db = self.open_activity().map_err(|e| crate::ops::Error::Internal(format!("{e:#}")))?;
            self.activity = Some(db);
        }
        self.activity.as_mut().ok_or_else(|| crate::ops::Error::Internal("activity database unavailable".into()))
    }

    fn key(&mut self) -> crate::ops::Result<SealKey> {
        Env::key(self).map_err(|e| crate::ops::Error::Internal(format!("{e:#}")))
    }

    fn public_url(&mut self) -> crate::ops::Result<String> {
        let config = &self.loaded.config;
        if let Some(u) = &config.public_url {
            return Ok(u.as_str().trim_end_matches('/').to_string());
        }
        if config.listen.port() == 0 {
            return Err(crate::ops::Error::Invalid(
                "set public_url (the gateway listens on port 0): the upstream sends users back to it".into(),
            ));
        }
        let tls = config.tls.cert.is_some() || config.tls.self_signed;
        Ok(crate::gateway::base_url(config.listen, tls))
    }

    fn gateway_running(&mut self) -> crate::ops::Result<bool> {
        let root = self.loaded.config.data_dir.clone();
        let free = serve::try_lock(&root)
            .map_err(|e| crate::ops::Error::Internal(format!("cannot tell whether a gateway runs: {e:#}")))?;
        Ok(free.is_none())
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Completions { shell } = cli.command {
        let mut script = Vec::new();
        print_completions(shell, &mut script);
        output::line(String::from_utf8_lossy(&script).trim_end_matches('\n'));
        return Ok(());
    }
    let mut flags = Flags { config: cli.config, data_dir: cli.data_dir, ..Flags::default() };
    if let Command::Serve(a) = &cli.command {
        flags.listen.clone_from(&a.listen);
        flags.public_url.clone_from(&a.public_url);
        flags.tls_cert.clone_from(&a.tls_cert);
        flags.tls_key.clone_from(&a.tls_key);
        flags.tls_self_signed = a.tls_self_signed;
        flags.insecure_http = a.insecure_http;
        flags.metrics_listen.clone_from(&a.metrics_listen);
        flags.admin_listen.clone_from(&a.admin_listen);
    }
    let loaded = Loaded::load(&flags, &|k| std::env::var(k).ok())?;
    init_tracing(&loaded, matches!(cli.command, Command::Serve(_)));
    if let Command::Admin(admin::AdminCommand::Login { wait }) = &cli.command {
        let url =
            cli.remote.or_else(|| std::env::var("MCPCP_REMOTE").ok().filter(|v| !v.is_empty())).ok_or_else(|| {
                UsageError("`admin login` signs in to a gateway: give --remote URL (or MCPCP_REMOTE)".into())
            })?;
        let wait = std::time::Duration::from_secs(*wait);
        return admin_login::run(&url, cli.remote_ca.as_deref(), cli.admin_token_file, wait, cli.output);
    }
    let remote = remote_of(cli.remote, cli.admin_token_file.as_deref(), cli.remote_ca.as_deref())?;
    if remote.is_some() && matches!(cli.command, Command::Serve(_) | Command::Config(_)) {
        anyhow::bail!(UsageError("--remote is for admin commands: `serve` and `config` run on this machine".into()));
    }
    let mut env = Env {
        loaded,
        format: cli.output,
        ctx: Ctx::local_cli(&crate::clock::Clock::system()),
        dir: None,
        db: None,
        activity: None,
        remote,
    };
    match cli.command {
        Command::Serve(_) => serve::run(&mut env),
        Command::Server(c) => server::run(c, &mut env),
        Command::Tool(c) => tool::run(c, &mut env),
        Command::Token(c) => token::run(c, &mut env),
        Command::User(c) => user::run(c, &mut env),
        Command::Group(c) => group::run(c, &mut env),
        Command::Key(c) => key::run(c, &mut env),
        Command::Admin(c) => admin::run(c, &mut env),
        Command::Role(c) => role::run(c, &mut env),
        Command::Sso(c) => sso::run(c, &mut env),
        Command::Logs(c) => logs::run(c, &mut env),
        Command::Audit(c) => audit::run(c, &mut env),
        Command::Siem(c) => siem::run(c, &mut env),
        Command::Config(c) => config::run(c, &env),
        Command::Completions { .. } => Ok(()),
    }
}

/// The admin API the commands go to, from `--remote` or `MCPCP_REMOTE`, with the token from
/// `--admin-token-file` or `MCPCP_ADMIN_TOKEN`.
fn remote_of(
    flag: Option<String>,
    token_file: Option<&std::path::Path>,
    ca: Option<&std::path::Path>,
) -> anyhow::Result<Option<remote::Remote>> {
    use anyhow::Context;
    let Some(url) = flag.or_else(|| std::env::var("MCPCP_REMOTE").ok().filter(|v| !v.is_empty())) else {
        if token_file.is_some() || ca.is_some() {
            anyhow::bail!(UsageError("--admin-token-file and --remote-ca go with --remote".into()));
        }
        return Ok(None);
    };
    let token = match token_file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --admin-token-file {}", path.display()))?
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
        None => match std::env::var("MCPCP_ADMIN_TOKEN").unwrap_or_default().trim() {
            "" => admin_login::token_from_default_file().unwrap_or_default(),
            token => token.to_string(),
        },
    };
    if token.is_empty() {
        anyhow::bail!(UsageError(
            "--remote needs an admin token: --admin-token-file FILE or MCPCP_ADMIN_TOKEN (`mcpcp admin token create`), \
             or sign in with `mcpcp admin login`"
                .into()
        ));
    }
    Ok(Some(remote::Remote::new(&url, crate::secrets::Secret::new(token), ca)?))
}

/// Diagnostics go to stderr so stdout stays clean for tables and JSON. The gateway logs at the
/// configured level; admin commands log warnings only unless `MCPCP_LOG` asks for more.
fn init_tracing(loaded: &Loaded, serving: bool) {
    use crate::config::{LogFormat, Source};
    let level = if serving || loaded.source("log.level") != Source::Default {
        loaded.config.log.level.as_str()
    } else {
        "warn"
    };
    // The platform verifier logs each refused certificate as an error of its own; the caller
    // (a SIEM sink, `siem test`) reports the refusal itself.
    let level = format!("{level},rustls_platform_verifier=off");
    let filter =
        tracing_subscriber::EnvFilter::try_new(&level).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    // Colours only for a terminal: a file or a pipe gets no escape sequences at all.
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(ansi);
    let _ = match loaded.config.log.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.fmt_fields(EscapedFields).try_init(),
    };
}

/// The text log's field formatter: tracing-subscriber's own, with every character a terminal
/// acts on escaped (`output::escape`), so a value from a request (a server name, a client's
/// name, an upstream's stderr line) can neither start a forged line nor hide one. Each event
/// stays one line. The JSON log needs nothing: serde escapes control characters.
struct EscapedFields;

impl<'writer> tracing_subscriber::fmt::FormatFields<'writer> for EscapedFields {
    fn format_fields<R: tracing_subscriber::field::RecordFields>(
        &self,
        mut writer: tracing_subscriber::fmt::format::Writer<'writer>,
        fields: R,
    ) -> std::fmt::Result {
        let mut raw = String::new();
        tracing_subscriber::fmt::format::DefaultFields::new()
            .format_fields(tracing_subscriber::fmt::format::Writer::new(&mut raw), fields)?;
        writer.write_str(&output::escape(&raw))
    }
}

/// Writes the completion script for `shell`.
pub fn print_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "mcpcp", out);
}

/// The one line `main` prints for an error: its chain, with control characters escaped (an
/// upstream's or a file's text may be in it; see `output::escape`).
pub fn error_line(err: &anyhow::Error) -> String {
    format!("error: {}", output::escape(&format!("{err:#}")))
}

/// The exit code for an error: 2 for usage errors, 1 for everything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let usage = err.chain().any(|cause| {
        cause.downcast_ref::<UsageError>().is_some()
            || matches!(cause.downcast_ref::<crate::ops::Error>(), Some(crate::ops::Error::Invalid(_)))
    });
    if usage { 2 } else { 1 }
}
