//! `mcpcp siem …`: sinks that stream the activity log and the audit trail to a SIEM.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use super::{Env, UsageError, output};
use crate::model::{ActivityFilter, SiemFormat, SiemSink, SiemStatus};
use crate::ops::siem::{self, AddSink};

#[derive(Debug, Subcommand)]
pub enum SiemCommand {
    /// Add a sink: the gateway streams events to it from then on.
    Add(Box<AddArgs>),
    /// List sinks.
    List,
    /// Show one sink.
    Show { name: String },
    /// Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records).
    Pause { name: String },
    /// Deliver to a paused sink again, from where it stopped.
    Resume { name: String },
    /// Remove a sink; what it had not delivered is no longer kept for it.
    Remove { name: String },
    /// Send one test event to a sink's receiver and report what it answered (the sink's cursor
    /// is not touched).
    Test { name: String },
    /// Each sink's delivery: state, events delivered, lag, last error, losses.
    Status {
        /// Only this sink.
        name: Option<String>,
    },
}

/// The activity filter of a sink: the flags of `logs tail` that say which records.
#[derive(Debug, Args)]
pub struct SinkFilter {
    /// Only records of this server.
    #[arg(long)]
    pub server: Option<String>,
    /// Only records of this principal: a token name or user name.
    #[arg(long)]
    pub user: Option<String>,
    /// Only records of this tool.
    #[arg(long)]
    pub tool: Option<String>,
    /// Only records of this type (tool_call, list, auth_failure, denied, … as in `logs tail`).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Only records of this level.
    #[arg(long, value_parser = ["info", "warn", "error"])]
    pub level: Option<String>,
    /// Only successes or only failures.
    #[arg(long, value_parser = ["success", "failure"])]
    pub status: Option<String>,
    /// Only failures that were this party's fault.
    #[arg(long, value_enum)]
    pub fault: Option<crate::model::Fault>,
    /// FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE (as in `logs
    /// tail`). Repeatable; all must hold.
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub wheres: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The sink's name: 1-63 lowercase letters, digits and '-'.
    pub name: String,
    /// The syslog receiver: tcp://HOST:PORT, tls://HOST:PORT (RFC 5425) or udp://HOST:PORT.
    #[arg(long, value_name = "URL")]
    pub syslog: String,
    /// PEM file of the CA certificate(s) the receiver's certificate must chain to (tls:// only;
    /// default: the system's trust store).
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// The message format [default: rfc5424]
    #[arg(long, value_enum)]
    pub format: Option<SiemFormat>,
    /// The streams to send: activity, audit, or activity,audit [default: activity,audit]
    #[arg(long, value_name = "STREAMS")]
    pub streams: Option<String>,
    #[command(flatten)]
    pub filter: SinkFilter,
    /// Where delivery starts: now, beginning (the oldest event kept), or a time (1h, 7d, RFC
    /// 3339) [default: now]
    #[arg(long, value_name = "WHEN")]
    pub from: Option<String>,
}

/// A `--ca` file is small; a larger one is refused before it is read whole.
const MAX_CA_BYTES: u64 = 1024 * 1024;

fn read_ca(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| UsageError(format!("--ca {}: {e}", path.display())))?;
    let mut pem = Vec::new();
    file.take(MAX_CA_BYTES + 1)
        .read_to_end(&mut pem)
        .map_err(|e| UsageError(format!("--ca {}: {e}", path.display())))?;
    if pem.len() as u64 > MAX_CA_BYTES {
        return Err(UsageError(format!("--ca {}: larger than 1 MiB; not a CA certificate file", path.display())).into());
    }
    Ok(pem)
}

pub fn run(cmd: SiemCommand, env: &mut Env) -> anyhow::Result<()> {
    let ctx = env.ctx.clone();
    match cmd {
        SiemCommand::Add(a) => {
            let ca_pem = a.ca.as_deref().map(read_ca).transpose()?;
            let a = *a;
            let f = a.filter;
            let req = AddSink {
                name: a.name,
                syslog: a.syslog,
                ca_pem,
                format: a.format,
                streams: a.streams,
                filter: ActivityFilter {
                    server: f.server,
                    user: f.user,
                    tool: f.tool,
                    kind: f.kind,
                    level: f.level,
                    status: f.status,
                    fault: f.fault.map(|fault| fault.as_str().to_string()),
                    wheres: f.wheres,
                },
                from: a.from,
            };
            let mut activity = env.open_activity()?;
            let sink = siem::add(env.db()?, &mut activity, &ctx, req)?;
            env.done(&sink, || {
                format!(
                    "added sink {:?} ({} to {}); the gateway starts delivering within a second",
                    sink.name,
                    sink.format.as_str(),
                    sink.url
                )
            })
        }
        SiemCommand::List => {
            let sinks = siem::list(env.db()?)?;
            if env.json() {
                return output::json(&sinks);
            }
            let rows = sinks
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.url.clone(),
                        s.format.as_str().to_string(),
                        streams(s),
                        filter(&s.filter),
                        if s.paused { "paused".into() } else { "active".into() },
                    ]
                })
                .collect();
            output::print_table(&["name", "receiver", "format", "streams", "filter", "state"], rows, "no sinks");
            Ok(())
        }
        SiemCommand::Show { name } => {
            let s = siem::show(env.db()?, &name)?;
            if env.json() {
                return output::json(&s);
            }
            output::print_fields(&[
                ("name", s.name.clone()),
                ("kind", s.kind.clone()),
                ("receiver", s.url.clone()),
                ("format", s.format.as_str().to_string()),
                ("ca", s.ca.clone().unwrap_or_else(|| "system trust store".into())),
                ("streams", streams(&s)),
                ("filter", filter(&s.filter)),
                ("from", s.from.clone()),
                ("state", if s.paused { "paused".into() } else { "active".into() }),
                ("created", output::time(&s.created_at)),
                ("updated", output::time(&s.updated_at)),
            ]);
            Ok(())
        }
        SiemCommand::Pause { name } => {
            let s = siem::set_paused(env.db()?, &ctx, &name, true)?;
            env.done(&s, || format!("paused sink {:?}; its backlog is kept", s.name))
        }
        SiemCommand::Resume { name } => {
            let s = siem::set_paused(env.db()?, &ctx, &name, false)?;
            env.done(&s, || format!("resumed sink {:?}", s.name))
        }
        SiemCommand::Remove { name } => {
            let s = siem::remove(env.db()?, &ctx, &name)?;
            env.done(&s, || format!("removed sink {:?}", s.name))
        }
        SiemCommand::Status { name } => status(env, name.as_deref()),
        SiemCommand::Test { name } => test(env, &name),
    }
}

fn test(env: &mut Env, name: &str) -> anyhow::Result<()> {
    let (instance, sinks) = siem::sinks_for_delivery(env.db()?)?;
    let sink = sinks
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| crate::ops::Error::NotFound(format!("no sink named {name:?}")))?;
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    let clock = crate::clock::Clock::system();
    let report = runtime
        .block_on(crate::siem::test(&sink, &instance, &clock))
        .map_err(|e| anyhow::anyhow!("sink {name:?}: {e}"))?;
    if env.json() {
        return output::json(&report);
    }
    output::print_fields(&[
        ("sink", report.sink.clone()),
        ("connection", report.connection.clone()),
        ("event", report.event_id.clone()),
        ("bytes", report.bytes.to_string()),
        ("answer", report.answer.clone()),
    ]);
    Ok(())
}

fn status(env: &mut Env, only: Option<&str>) -> anyhow::Result<()> {
    let root = env.loaded.config.data_dir.clone();
    let mut activity = env.open_activity()?;
    let running = super::serve::try_lock(&root).context("cannot tell whether a gateway runs")?.is_none();
    let now = env.ctx.now;
    let all = siem::status(env.db()?, &mut activity, now, running, only)?;
    if env.json() {
        return output::json(&all);
    }
    let rows = all.iter().map(status_row).collect();
    output::print_table(
        &["name", "state", "delivered", "lag", "oldest undelivered", "lost", "last error"],
        rows,
        "no sinks",
    );
    Ok(())
}

fn status_row(s: &SiemStatus) -> Vec<String> {
    let lag = if s.lag_events == 0 { "0".to_string() } else { format!("{} ({:.1}s)", s.lag_events, s.lag_seconds) };
    let error = match (&s.last_error, &s.last_error_at) {
        (Some(e), Some(at)) => format!("{} ({})", output::escape(e), output::time(at)),
        (Some(e), None) => output::escape(e).into_owned(),
        _ => "-".into(),
    };
    let lost = match &s.last_lost_at {
        Some(at) if s.lost > 0 => format!("{} (last {})", s.lost, output::time(at)),
        _ => s.lost.to_string(),
    };
    vec![
        s.name.clone(),
        s.state.clone(),
        s.delivered.to_string(),
        lag,
        output::opt_time(s.oldest_undelivered.as_deref()),
        lost,
        error,
    ]
}

fn streams(s: &SiemSink) -> String {
    s.streams.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(",")
}

fn filter(f: &ActivityFilter) -> String {
    if f.is_empty() {
        return "-".into();
    }
    let mut parts = Vec::new();
    for (flag, value) in [
        ("server", &f.server),
        ("user", &f.user),
        ("tool", &f.tool),
        ("type", &f.kind),
        ("level", &f.level),
        ("status", &f.status),
        ("fault", &f.fault),
    ] {
        if let Some(v) = value {
            parts.push(format!("{flag}={v}"));
        }
    }
    parts.extend(f.wheres.iter().map(|w| format!("where {w}")));
    output::escape(&parts.join(" ")).into_owned()
}
