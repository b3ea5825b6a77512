//! Rendering for people (aligned tables) and for scripts (JSON, a documented stable contract).
//!
//! Text for people escapes what a terminal would act on (`escape`): many values come from the
//! network (server names from a request path, user names, tool names, error texts), and a raw
//! newline would print a forged row, an escape sequence could hide the real one. JSON is left
//! exact: serde escapes control characters there.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;

/// Whether `c` is shown as an escape: C0 controls (tab and newline too), DEL, C1 controls,
/// line and paragraph separators, and the bidirectional controls that reorder what follows
/// them (Unicode TR9: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
fn needs_escape(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal would act on written as a visible escape: `\n`,
/// `\r`, `\t`, `\x1b` for the other C0 controls and DEL, `\u{85}` for the rest. Borrowed
/// when there is nothing to escape, as almost always.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c <= '\u{7f}' && needs_escape(c) => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `--output`: how results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// JSON for scripts: one document per command (JSON Schemas in packaging/schema/).
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
/// Every cell is escaped (`escape`).
pub fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut all: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_uppercase()).collect()];
    all.extend(rows.into_iter().map(|row| row.into_iter().map(|cell| escape(&cell).into_owned()).collect()));
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

/// `key: value` lines for `show` commands; values are escaped (`escape`).
pub fn print_fields(fields: &[(&str, String)]) {
    let width = fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in fields {
        line(&format!("{:width$}  {}", format!("{k}:"), escape(v), width = width + 1));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_acts_on() {
        assert_eq!(escape("files"), "files");
        assert!(matches!(escape("héllo wörld ✓"), Cow::Borrowed(_)));
        assert_eq!(escape("a\nfake-row"), "a\\nfake-row");
        assert_eq!(escape("x\r\t\u{0}\u{7}"), "x\\r\\t\\x00\\x07");
        assert_eq!(escape("\u{1b}[8mhidden\u{1b}[0m"), "\\x1b[8mhidden\\x1b[0m");
        assert_eq!(escape("del\u{7f}"), "del\\x7f");
        assert_eq!(escape("c1\u{85}\u{9b}"), "c1\\u{85}\\u{9b}");
        for (bidi, shown) in [
            ('\u{61c}', "\\u{61c}"),
            ('\u{200e}', "\\u{200e}"),
            ('\u{200f}', "\\u{200f}"),
            ('\u{202a}', "\\u{202a}"),
            ('\u{202e}', "\\u{202e}"),
            ('\u{2066}', "\\u{2066}"),
            ('\u{2069}', "\\u{2069}"),
            ('\u{2028}', "\\u{2028}"),
        ] {
            assert_eq!(escape(&format!("a{bidi}b")), format!("a{shown}b"));
        }
        // Neighbours of the escaped ranges are left alone.
        assert_eq!(escape("\u{a0}\u{200d}\u{2065}\u{206a}"), "\u{a0}\u{200d}\u{2065}\u{206a}");
    }

    #[test]
    fn tables_escape_every_cell() {
        let t = table(&["name", "note"], vec![vec!["a\nb".into(), "\u{1b}[8m".into()]]);
        assert_eq!(t, "NAME  NOTE\na\\nb  \\x1b[8m");
    }
}
