//! `mcpcp siem …`: sinks that stream the activity log and the audit trail to a SIEM.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use super::{Env, UsageError, output};
use crate::model::{ActivityFilter, SiemFormat, SiemKind, SiemSink, SiemStatus};
use crate::ops::siem::{AddSink, ListSinks, RemoveSink, SetSinkPaused, ShowSink, SinkStatus};
use crate::secrets::Secret;

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

#[derive(Args)]
#[command(group(clap::ArgGroup::new("receiver").required(true).args(["syslog", "hec", "http", "otlp"])))]
pub struct AddArgs {
    /// The sink's name: 1-63 lowercase letters, digits and '-'.
    pub name: String,
    /// A syslog receiver: tcp://HOST:PORT, tls://HOST:PORT (RFC 5425) or udp://HOST:PORT.
    #[arg(long, value_name = "URL")]
    pub syslog: Option<String>,
    /// A Splunk HTTP Event Collector, e.g. https://splunk.example.com:8088 (events are POSTed to
    /// /services/collector/event); needs --token-stdin.
    #[arg(long, value_name = "URL")]
    pub hec: Option<String>,
    /// An HTTPS endpoint that takes batches of newline-delimited JSON (one event per line),
    /// signed when --secret-stdin gives a secret.
    #[arg(long, value_name = "URL")]
    pub http: Option<String>,
    /// An OpenTelemetry collector's OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318 (log records
    /// are POSTed to /v1/logs as protobuf).
    #[arg(long, value_name = "URL")]
    pub otlp: Option<String>,
    /// --hec: read the HEC token from standard input (its first line); never from the command
    /// line.
    #[arg(long)]
    pub token_stdin: bool,
    /// --hec: the Splunk index events go to [default: the token's default index]
    #[arg(long, value_name = "INDEX")]
    pub index: Option<String>,
    /// --hec: the sourcetype of every event [default: mcpcp:activity or mcpcp:audit, by stream]
    #[arg(long, value_name = "SOURCETYPE")]
    pub sourcetype: Option<String>,
    /// --http: sign each request with HMAC-SHA256 (header X-MCPCP-Signature); the secret (at
    /// least 16 bytes) is read from standard input, its first line.
    #[arg(long)]
    pub secret_stdin: bool,
    /// --http, --otlp: a header sent with every request (repeatable): NAME=VALUE, or NAME alone
    /// to read its value from standard input (one line each, after the secret's). Values are
    /// encrypted at rest and never shown.
    #[arg(long = "header", value_name = "NAME[=VALUE]")]
    pub headers: Vec<String>,
    /// Allow http:// to a host that is not loopback: events, tokens and header values then
    /// cross the network in the clear.
    #[arg(long)]
    pub insecure_http: bool,
    /// PEM file of the CA certificate(s) the receiver's certificate must chain to (tls:// and
    /// https:// only; default: the system's trust store).
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// --syslog: the message format [default: rfc5424]
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

impl std::fmt::Debug for AddArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // --header values may be credentials: show the names only.
        let headers: Vec<&str> =
            self.headers.iter().map(|h| h.split_once('=').map_or(h.as_str(), |(n, _)| n)).collect();
        f.debug_struct("AddArgs")
            .field("name", &self.name)
            .field("syslog", &self.syslog)
            .field("hec", &self.hec)
            .field("http", &self.http)
            .field("otlp", &self.otlp)
            .field("headers", &headers)
            .finish_non_exhaustive()
    }
}

/// The receiver flag given: its kind and URL.
fn receiver(a: &AddArgs) -> anyhow::Result<(SiemKind, String)> {
    let given =
        [(SiemKind::Syslog, &a.syslog), (SiemKind::Hec, &a.hec), (SiemKind::Http, &a.http), (SiemKind::Otlp, &a.otlp)];
    given
        .into_iter()
        .find_map(|(kind, url)| url.clone().map(|u| (kind, u)))
        .ok_or_else(|| UsageError("give one of --syslog, --hec, --http or --otlp".into()).into())
}

/// Standard input is short (a token, a secret, a few header values); more is refused.
const MAX_STDIN_BYTES: u64 = 64 * 1024;

/// What `--token-stdin`, `--secret-stdin` and the `--header NAME` without a value read from
/// standard input, one line each in that order; and the headers, values from the command line
/// or from those lines.
struct FromStdin {
    token: Option<Secret>,
    secret: Option<Secret>,
    headers: Vec<(String, Secret)>,
}

fn read_stdin_credentials(a: &AddArgs) -> anyhow::Result<FromStdin> {
    let from_stdin = a.headers.iter().filter(|h| !h.contains('=')).count();
    let wanted = usize::from(a.token_stdin) + usize::from(a.secret_stdin) + from_stdin;
    let mut lines: std::vec::IntoIter<String> = Vec::new().into_iter();
    if wanted > 0 {
        let mut raw = Vec::new();
        std::io::stdin()
            .take(MAX_STDIN_BYTES + 1)
            .read_to_end(&mut raw)
            .context("cannot read the credentials from standard input")?;
        if raw.len() as u64 > MAX_STDIN_BYTES {
            return Err(
                UsageError("standard input is larger than 64 KiB; expected one line per credential".into()).into()
            );
        }
        let text = String::from_utf8(raw).map_err(|_| UsageError("standard input is not UTF-8 text".into()))?;
        lines = text.lines().map(|l| l.trim_end_matches('\r').to_string()).collect::<Vec<_>>().into_iter();
    }
    // A missing line is an empty value: the operation says what is missing, after it checked
    // that the flag applies at all.
    let mut line = || Secret::new(lines.next().unwrap_or_default());
    let token = a.token_stdin.then(&mut line);
    let secret = a.secret_stdin.then(&mut line);
    let mut headers = Vec::new();
    for h in &a.headers {
        match h.split_once('=') {
            Some((name, value)) => headers.push((name.to_string(), Secret::new(value.to_string()))),
            None => headers.push((h.clone(), line())),
        }
    }
    Ok(FromStdin { token, secret, headers })
}

/// A `--ca` file is small; a larger one is refused before it is read whole.
const MAX_CA_BYTES: u64 = 1024 * 1024;

fn read_ca(path: &std::path::Path) -> anyhow::Result<String> {
    let file = std::fs::File::open(path).map_err(|e| UsageError(format!("--ca {}: {e}", path.display())))?;
    let mut pem = Vec::new();
    file.take(MAX_CA_BYTES + 1)
        .read_to_end(&mut pem)
        .map_err(|e| UsageError(format!("--ca {}: {e}", path.display())))?;
    if pem.len() as u64 > MAX_CA_BYTES {
        return Err(UsageError(format!("--ca {}: larger than 1 MiB; not a CA certificate file", path.display())).into());
    }
    String::from_utf8(pem).map_err(|_| UsageError(format!("--ca {}: the file is not text", path.display())).into())
}

pub fn run(cmd: SiemCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        SiemCommand::Add(a) => {
            let (kind, url) = receiver(&a)?;
            let ca_pem = a.ca.as_deref().map(read_ca).transpose()?;
            let credentials = read_stdin_credentials(&a)?;
            let a = *a;
            let f = a.filter;
            let req = AddSink {
                name: a.name,
                kind,
                url,
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
                token: credentials.token,
                secret: credentials.secret,
                headers: credentials.headers,
                index: a.index,
                sourcetype: a.sourcetype,
                insecure_http: a.insecure_http,
            };
            let sink = env.op(req)?;
            env.done(&sink, || {
                let what =
                    if sink.kind == SiemKind::Syslog.as_str() { sink.format.as_str() } else { sink.kind.as_str() };
                format!(
                    "added sink {:?} ({what} to {}); the gateway starts delivering within a second",
                    sink.name, sink.url
                )
            })
        }
        SiemCommand::List => {
            let sinks = env.op(ListSinks {})?;
            if env.json() {
                return output::json(&sinks);
            }
            let rows = sinks
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.kind.clone(),
                        s.url.clone(),
                        s.format.as_str().to_string(),
                        streams(s),
                        filter(&s.filter),
                        if s.paused { "paused".into() } else { "active".into() },
                    ]
                })
                .collect();
            output::print_table(
                &["name", "kind", "receiver", "format", "streams", "filter", "state"],
                rows,
                "no sinks",
            );
            Ok(())
        }
        SiemCommand::Show { name } => {
            let s = env.op(ShowSink { sink: name })?;
            if env.json() {
                return output::json(&s);
            }
            let syslog = s.kind == SiemKind::Syslog.as_str();
            let set = |yes: bool| if yes { "set (encrypted at rest, never shown)".to_string() } else { "-".into() };
            let mut fields = vec![
                ("name", s.name.clone()),
                ("kind", s.kind.clone()),
                ("receiver", s.url.clone()),
                ("format", if syslog { s.format.as_str().to_string() } else { "json".into() }),
                ("ca", s.ca.clone().unwrap_or_else(|| "system trust store".into())),
            ];
            if s.kind == SiemKind::Hec.as_str() {
                fields.push(("token", set(s.token_set)));
                fields.push(("index", s.index.clone().unwrap_or_else(|| "- (the token's default)".into())));
                fields.push((
                    "sourcetype",
                    s.sourcetype.clone().unwrap_or_else(|| "- (mcpcp:activity, mcpcp:audit)".into()),
                ));
            }
            if s.kind == SiemKind::Http.as_str() {
                fields.push(("secret", if s.secret_set { set(true) } else { "- (requests unsigned)".into() }));
            }
            if !syslog && s.kind != SiemKind::Hec.as_str() {
                let headers = if s.headers.is_empty() {
                    "-".to_string()
                } else {
                    format!("{} (values encrypted at rest, never shown)", s.headers.join(", "))
                };
                fields.push(("headers", headers));
            }
            fields.extend([
                ("streams", streams(&s)),
                ("filter", filter(&s.filter)),
                ("from", s.from.clone()),
                ("state", if s.paused { "paused".into() } else { "active".into() }),
                ("created", output::time(&s.created_at)),
                ("updated", output::time(&s.updated_at)),
            ]);
            output::print_fields(&fields);
            Ok(())
        }
        SiemCommand::Pause { name } => {
            let s = env.op(SetSinkPaused { sink: name, paused: true })?;
            env.done(&s, || format!("paused sink {:?}; its backlog is kept", s.name))
        }
        SiemCommand::Resume { name } => {
            let s = env.op(SetSinkPaused { sink: name, paused: false })?;
            env.done(&s, || format!("resumed sink {:?}", s.name))
        }
        SiemCommand::Remove { name } => {
            let s = env.op(RemoveSink { sink: name })?;
            env.done(&s, || format!("removed sink {:?}", s.name))
        }
        SiemCommand::Status { name } => status(env, name),
        SiemCommand::Test { name } => test(env, name),
    }
}

fn test(env: &mut Env, name: String) -> anyhow::Result<()> {
    let report = env.op(crate::siem::TestSink { sink: name })?;
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

fn status(env: &mut Env, only: Option<String>) -> anyhow::Result<()> {
    let all = env.op(SinkStatus { sink: only })?;
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
