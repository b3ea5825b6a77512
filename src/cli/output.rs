//! Rendering for people (aligned tables) and for scripts (JSON, a documented stable contract).

use serde::Serialize;

/// `--output`: how results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// JSON for scripts: one document per command (shapes in README.md).
    Json,
}

/// Writes one line to stdout. A closed pipe (`mcpcp audit list | head`) ends the process quietly
/// instead of panicking, as command-line tools do.
pub fn line(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush())
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// Writes one line to stdout and ignores failures: for a long-running process (`serve`) whose
/// stdout may be closed by whoever started it.
pub fn line_best_effort(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::output::line(&format!($($arg)*)) };
}
pub(crate) use outln;

/// Prints `value` as pretty JSON on stdout.
pub fn json(value: &impl Serialize) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    line(&text);
    Ok(())
}

/// A borderless table with an upper-case header row and two spaces between columns.
pub fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut all: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_uppercase()).collect()];
    all.extend(rows);
    let columns = all.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| all.iter().filter_map(|r| r.get(c)).map(|cell| cell.chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &all {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                let pad = widths[c] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.pop();
    out
}

/// Prints a table, or a note when there is nothing to show.
pub fn print_table(header: &[&str], rows: Vec<Vec<String>>, empty: &str) {
    if rows.is_empty() {
        line(empty);
    } else {
        line(&table(header, rows));
    }
}

/// `key: value` lines for `show` commands.
pub fn print_fields(fields: &[(&str, String)]) {
    let width = fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in fields {
        line(&format!("{:width$}  {v}", format!("{k}:"), width = width + 1));
    }
}

/// A stored timestamp shortened to seconds for tables (`2026-11-28T09:00:01Z`).
pub fn time(ts: &str) -> String {
    match ts.split_once('.') {
        Some((secs, _)) => format!("{secs}Z"),
        None => ts.to_string(),
    }
}

pub fn opt_time(ts: Option<&str>) -> String {
    ts.map(time).unwrap_or_else(|| "-".into())
}

pub fn list(items: &[String]) -> String {
    if items.is_empty() { "-".into() } else { items.join(", ") }
}
