//! `mcpcp logs …`: read, follow and export the activity log.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};

use super::{Env, output};
use crate::model::ActivityEntry;
use crate::ops::logs::{ExportLogs, TailLogs};

#[derive(Debug, Subcommand)]
pub enum LogsCommand {
    /// Show the newest activity records (oldest of them first), and optionally follow new ones.
    Tail(TailArgs),
    /// Write activity records to a file.
    Export(ExportArgs),
    /// Show one call: its record, inputs and outputs, and its trace as a waterfall.
    Show {
        /// The record's id (`logs tail -o json` shows it).
        id: i64,
    },
}

#[derive(Debug, Args)]
pub struct Filters {
    /// Only records since this long ago (1h, 7d) or this RFC 3339 time.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only records before this long ago or this RFC 3339 time.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    #[arg(long)]
    pub server: Option<String>,
    /// The principal: a token name or user name.
    #[arg(long)]
    pub user: Option<String>,
    #[arg(long)]
    pub tool: Option<String>,
    /// tool_call, list, resource_read, prompt_get, request, notification, response,
    /// session_start, session_end, stream_open, auth_failure, denied, ip_denied, rate_limited,
    /// quota_exceeded, upstream_auth_required, upstream_link, invalid_request.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    #[arg(long, value_parser = ["info", "warn", "error"])]
    pub level: Option<String>,
    #[arg(long, value_parser = ["success", "failure"])]
    pub status: Option<String>,
    /// Only failures that were this party's fault: client (bad request, credentials, limits),
    /// upstream (unreachable, refused, timed out, invalid answer), operator (misconfiguration),
    /// internal (mcpcp itself).
    #[arg(long, value_enum)]
    pub fault: Option<crate::model::Fault>,
    /// Only the records of this trace (32 hex digits: a client's `traceparent`, or the
    /// `trace_id` of a record).
    #[arg(long = "trace", value_name = "TRACE_ID")]
    pub trace: Option<String>,
    /// FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE inside the JSON
    /// (`--where input.customer_id=42`). Repeatable; all must hold.
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub wheres: Vec<String>,
    /// Only calls to composed servers' tools that forwarded to this source tool.
    #[arg(long, value_name = "SERVER:TOOL")]
    pub origin: Option<String>,
    /// Only calls with a step of this status (composed and OpenAPI tools' steps): `error` finds
    /// the calls whose backend step failed.
    #[arg(long, value_parser = ["success", "failure", "error"], value_name = "STATUS")]
    pub step_status: Option<String>,
}

impl Filters {
    /// `--where` with `--origin` as one more condition.
    fn wheres(&self) -> Vec<String> {
        self.wheres.iter().cloned().chain(self.origin.as_ref().map(|o| format!("origin={o}"))).collect()
    }
}

#[derive(Debug, Args)]
pub struct TailArgs {
    /// How many of the newest records to show.
    #[arg(short = 'n', long = "lines", default_value_t = 20, value_parser = clap::value_parser!(i64).range(0..=1_000_000))]
    pub lines: i64,
    /// Keep printing records as they are committed.
    #[arg(short = 'f', long)]
    pub follow: bool,
    #[command(flatten)]
    pub filters: Filters,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Ndjson,
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (created or replaced).
    #[arg(long, value_name = "FILE")]
    pub output_file: std::path::PathBuf,
    #[arg(long, value_enum, default_value = "ndjson")]
    pub format: ExportFormat,
    #[command(flatten)]
    pub filters: Filters,
}

/// The filter flags as the `logs` operation's request.
fn request(f: &Filters) -> TailLogs {
    TailLogs {
        since: f.since.clone(),
        until: f.until.clone(),
        server: f.server.clone(),
        user: f.user.clone(),
        tool: f.tool.clone(),
        kind: f.kind.clone(),
        level: f.level.clone(),
        status: f.status.clone(),
        fault: f.fault.map(|fault| fault.as_str().to_string()),
        trace: f.trace.clone(),
        wheres: f.wheres(),
        step_status: f.step_status.clone(),
        lines: None,
        after: None,
        follow: false,
    }
}

pub fn run(cmd: LogsCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        LogsCommand::Tail(a) => tail(a, env),
        LogsCommand::Export(a) => export(a, env),
        LogsCommand::Show { id } => super::trace_view::show(id, env),
    }
}

fn tail(a: TailArgs, env: &mut Env) -> anyhow::Result<()> {
    let json = env.json();
    let color = !json && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut req = request(&a.filters);
    req.lines = Some(a.lines);
    let entries = env.op(req.clone())?;
    let mut last = entries.iter().map(|e| e.id).max();
    if last.is_none() && a.follow {
        // Follow from the current end, not from the beginning.
        last = env.op(TailLogs { lines: Some(1), ..TailLogs::default() })?.iter().map(|e| e.id).max();
    }
    if !json {
        if entries.is_empty() && !a.follow {
            output::line("no activity records");
        } else if !entries.is_empty() || a.follow {
            output::line(&header(color));
        }
    }
    for e in &entries {
        print_entry(e, json, color);
    }
    if !a.follow {
        return Ok(());
    }
    let from = TailLogs { after: Some(last.unwrap_or(0)), lines: None, ..req };
    if let Some(remote) = &env.remote {
        // The admin API streams what follows; it ends only when the token stops being valid
        // or the gateway stops.
        remote.follow_logs(&from, |e| print_entry(e, json, color))?;
        anyhow::bail!(
            "the admin API ended the log stream (the admin token was revoked or expired, or the gateway stopped)"
        );
    }
    let mut after = from.after;
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let fresh = env.op(TailLogs { after, ..from.clone() })?;
        for e in &fresh {
            print_entry(e, json, color);
            after = after.max(Some(e.id));
        }
    }
}

const COLUMNS: [&str; 9] = ["time", "server", "type", "principal", "method", "tool", "status", "duration", "source"];
const WIDTHS: [usize; 9] = [27, 12, 14, 14, 16, 16, 7, 9, 15];

fn header(color: bool) -> String {
    let cells: Vec<String> = COLUMNS.iter().zip(WIDTHS).map(|(c, w)| format!("{:w$}", c.to_uppercase())).collect();
    let line = cells.join(" ").trim_end().to_string();
    if color { format!("\x1b[1m{line}\x1b[0m") } else { line }
}

fn duration(us: i64) -> String {
    if us < 1000 {
        format!("{us}µs")
    } else if us < 1_000_000 {
        format!("{:.1}ms", us as f64 / 1000.0)
    } else {
        format!("{:.2}s", us as f64 / 1_000_000.0)
    }
}

fn print_entry(e: &ActivityEntry, json: bool, color: bool) {
    if json {
        if let Ok(text) = serde_json::to_string(e) {
            output::line(&text);
        }
        return;
    }
    // Every value is escaped: server names from the request path, principals, tools and error
    // texts come from clients and upstreams (`output::escape`).
    let dash = |v: &Option<String>| v.as_deref().map_or_else(|| "-".into(), |v| output::escape(v).into_owned());
    let cells = [
        output::escape(&e.time).into_owned(),
        dash(&e.server),
        output::escape(&e.kind).into_owned(),
        dash(&e.principal),
        dash(&e.method),
        dash(&e.tool),
        output::escape(&e.status).into_owned(),
        duration(e.duration_us),
        dash(&e.source_ip),
    ];
    let mut line: String = cells.iter().zip(WIDTHS).map(|(c, w)| format!("{c:w$}")).collect::<Vec<_>>().join(" ");
    line = line.trim_end().to_string();
    if let Some(m) = &e.error_message {
        let fault = e.fault.as_deref().map_or_else(String::new, |f| format!("[{}] ", output::escape(f)));
        line.push_str(&format!("  {fault}{}", output::escape(&m.chars().take(120).collect::<String>())));
    }
    if color {
        let code = match (e.level.as_str(), e.status.as_str()) {
            ("error", _) => "31",
            ("warn", _) | (_, "failure") => "33",
            _ => "0",
        };
        line = format!("\x1b[{code}m{line}\x1b[0m");
    }
    output::line(&line);
}

fn export(a: ExportArgs, env: &mut Env) -> anyhow::Result<()> {
    let mut req = ExportLogs::matching(request(&a.filters));
    // The first page checks the filter before the file is touched.
    let mut page = env.op(req.clone())?;
    let file =
        std::fs::File::create(&a.output_file).with_context(|| format!("cannot create {}", a.output_file.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let bar = indicatif::ProgressBar::new(u64::try_from(page.total.unwrap_or(0)).unwrap_or(0));
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} exporting [{bar:40}] {pos}/{len} records ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let written_to = || format!("cannot write {}", a.output_file.display());
    if a.format == ExportFormat::Csv {
        writeln!(out, "{}", CSV_COLUMNS.join(",")).with_context(written_to)?;
    }
    let mut written: u64 = 0;
    loop {
        for e in &page.records {
            match a.format {
                ExportFormat::Ndjson => writeln!(out, "{}", serde_json::to_string(e)?),
                ExportFormat::Csv => writeln!(out, "{}", csv_row(e)),
            }
            .with_context(written_to)?;
            written += 1;
        }
        bar.set_position(written);
        let Some(last) = page.records.last().filter(|_| page.more) else { break };
        req.after_time = Some(last.time.clone());
        req.after_id = Some(last.id);
        req.upto = Some(page.upto);
        page = env.op(req.clone())?;
    }
    out.flush().with_context(written_to)?;
    bar.finish_and_clear();
    let report = serde_json::json!({ "file": a.output_file.display().to_string(), "records": written });
    env.done(&report, || format!("exported {written} records to {}", a.output_file.display()))
}

const CSV_COLUMNS: [&str; 31] = [
    "id",
    "time",
    "server",
    "type",
    "level",
    "principal",
    "auth_method",
    "source_ip",
    "user_agent",
    "client_name",
    "client_version",
    "session_id",
    "method",
    "tool",
    "input",
    "output",
    "output_size",
    "output_truncated",
    "duration_us",
    "status",
    "http_status",
    "error_code",
    "error_message",
    "trace_id",
    "fault",
    "upstream_auth",
    "upstream_subject",
    "span_id",
    "parent_span_id",
    "trace_origin",
    "resumed",
];

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v.to_string() }
}

fn csv_row(e: &ActivityEntry) -> String {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let n = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let j = |v: &Option<serde_json::Value>| match v {
        Some(serde_json::Value::String(t)) => t.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    [
        e.id.to_string(),
        e.time.clone(),
        s(&e.server),
        e.kind.clone(),
        e.level.clone(),
        s(&e.principal),
        s(&e.auth_method),
        s(&e.source_ip),
        s(&e.user_agent),
        s(&e.client_name),
        s(&e.client_version),
        s(&e.session_id),
        s(&e.method),
        s(&e.tool),
        j(&e.input),
        j(&e.output),
        n(e.output_size),
        e.output_truncated.to_string(),
        e.duration_us.to_string(),
        e.status.clone(),
        n(e.http_status),
        n(e.error_code),
        s(&e.error_message),
        e.trace_id.clone(),
        s(&e.fault),
        s(&e.upstream_auth),
        s(&e.upstream_subject),
        s(&e.span_id),
        s(&e.parent_span_id),
        s(&e.trace_origin),
        n(e.resumed),
    ]
    .iter()
    .map(|v| csv_field(v))
    .collect::<Vec<_>>()
    .join(",")
}
