//! `mcpcp logs show ID`: one call's record, its inputs and outputs, and its trace drawn as a
//! waterfall (each step's start and length as a bar on a common time axis) that reads in a
//! terminal. Every value is escaped (`output::escape`): names and texts come from clients and
//! upstreams.

use super::{Env, output};
use crate::model::ActivityEntry;
use crate::ops::logs::ShowLog;

/// The bar's width in characters (the whole call).
const BAR: usize = 40;

pub(super) fn show(id: i64, env: &mut Env) -> anyhow::Result<()> {
    let entry = env.op(ShowLog { id: id.to_string() })?;
    if env.json() {
        return output::json(&entry);
    }
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let mut fields = vec![
        ("id", entry.id.to_string()),
        ("time", entry.time.clone()),
        ("server", opt(&entry.server)),
        ("type", entry.kind.clone()),
        ("principal", opt(&entry.principal)),
        ("auth method", opt(&entry.auth_method)),
        ("source", opt(&entry.source_ip)),
        ("user agent", opt(&entry.user_agent)),
        ("client", format!("{} {}", opt(&entry.client_name), entry.client_version.clone().unwrap_or_default())),
        ("session", opt(&entry.session_id)),
        ("method", opt(&entry.method)),
        ("tool", opt(&entry.tool)),
        ("status", format!("{} (HTTP {})", entry.status, entry.http_status.map_or("-".into(), |s| s.to_string()))),
        ("duration", format!("{:.3} ms", entry.duration_us as f64 / 1000.0)),
        ("upstream auth", opt(&entry.upstream_auth)),
    ];
    if let Some(s) = &entry.upstream_subject {
        fields.push(("upstream account", s.clone()));
    }
    if let Some(m) = &entry.error_message {
        let code = entry.error_code.map_or_else(String::new, |c| format!(" ({c})"));
        let fault = entry.fault.as_deref().map_or_else(String::new, |f| format!(" [{f}]"));
        fields.push(("error", format!("{m}{code}{fault}")));
    }
    fields.push(("trace", entry.trace_id.clone()));
    fields.push(("span", opt(&entry.span_id)));
    let origin = entry.trace_origin.as_deref().unwrap_or("-");
    let parent = match (&entry.parent_span_id, origin) {
        (Some(p), _) => format!("{p} (the caller's span: trace continued)"),
        (None, "malformed") => "- (the caller's traceparent was not valid: a new trace)".into(),
        (None, _) => "- (a new trace)".into(),
    };
    fields.push(("parent span", parent));
    output::print_fields(&fields);
    for (label, value) in [("input", &entry.input), ("output", &entry.output)] {
        if let Some(v) = value {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                v => serde_json::to_string_pretty(v).unwrap_or_default(),
            };
            output::line("");
            output::line(&format!(
                "{label}{}:",
                if label == "output" && entry.output_truncated { " (truncated)" } else { "" }
            ));
            for l in text.lines() {
                output::line(&format!("  {}", output::escape(l)));
            }
        }
    }
    if let Some(serde_json::Value::Array(steps)) = &entry.steps {
        output::line("");
        for l in step_lines(steps) {
            output::line(&l);
        }
    }
    output::line("");
    for l in waterfall(&entry) {
        output::line(&l);
    }
    Ok(())
}

/// The trace's steps as lines: phase, start offset, duration and a bar placed on the call's
/// time axis (the axis spans the whole call).
pub(super) fn waterfall(entry: &ActivityEntry) -> Vec<String> {
    let steps = entry.spans.as_ref().map(|s| crate::observe::trace::decode(&s.to_string())).unwrap_or_default();
    if steps.is_empty() {
        return vec!["trace: no steps recorded".into()];
    }
    let total = steps
        .iter()
        .map(|(_, start, len, _)| start + len)
        .chain(std::iter::once(u64::try_from(entry.duration_us).unwrap_or(0)))
        .max()
        .unwrap_or(1)
        .max(1);
    let ms = |us: u64| format!("{:.3}", us as f64 / 1000.0);
    let mut lines = vec![format!(
        "{:22} {:>10} {:>10}  0{:>w$}",
        "STEP",
        "START ms",
        "TOOK ms",
        format!("{} ms", ms(total)),
        w = BAR - 1
    )];
    for (phase, start, len, failed) in steps {
        let from = usize::try_from(start * BAR as u64 / total).unwrap_or(BAR).min(BAR - 1);
        let width = usize::try_from(len * BAR as u64 / total).unwrap_or(BAR).clamp(1, BAR - from);
        let bar = format!("{}{}", " ".repeat(from), if failed { "x" } else { "█" }.repeat(width));
        let name = if phase.starts_with("upstream.") { format!("  {phase}") } else { phase.clone() };
        let mark = if failed { "  failed" } else { "" };
        lines.push(format!("{:22} {:>10} {:>10}  {bar:BAR$}{mark}", output::escape(&name), ms(start), ms(len)));
    }
    lines
}

/// A composed tool's calls to its source: one line each (target, connection, status, start and
/// length), then its input and output (pretty JSON) and error, indented.
fn step_lines(steps: &[serde_json::Value]) -> Vec<String> {
    let text = |v: &serde_json::Value, key: &str| v.get(key).and_then(|s| s.as_str()).unwrap_or("-").to_string();
    let ms = |v: &serde_json::Value, key: &str| v.get(key).and_then(|n| n.as_u64()).unwrap_or(0) as f64 / 1000.0;
    let mut lines = vec![format!("steps ({}):", steps.len())];
    for (i, step) in steps.iter().enumerate() {
        lines.push(format!(
            "  {}. {}  connection {}  {}  at {:.3} ms, took {:.3} ms",
            i + 1,
            output::escape(&text(step, "target")),
            output::escape(&text(step, "connection")),
            output::escape(&text(step, "status")),
            ms(step, "offset_us"),
            ms(step, "duration_us"),
        ));
        for key in ["input", "output"] {
            let Some(v) = step.get(key).filter(|v| !v.is_null()) else { continue };
            let body = match v {
                serde_json::Value::String(s) => s.clone(),
                v => serde_json::to_string_pretty(v).unwrap_or_default(),
            };
            lines.push(format!("     {key}:"));
            lines.extend(body.lines().map(|l| format!("       {}", output::escape(l))));
        }
        if let Some(e) = step.get("error").and_then(|e| e.as_str()) {
            lines.push(format!("     error: {}", output::escape(e)));
        }
    }
    lines
}
