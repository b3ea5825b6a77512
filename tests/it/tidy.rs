//! Repository rules checked as tests: module headers, where SQL and rusqlite live, the layer matrix
//! between top-level modules, the clock rule, file length, committed completions.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_module_opens_with_a_doc_line_saying_what_it_owns() {
    for file in rust_files(&root().join("src")).into_iter().chain(rust_files(&root().join("tests/it"))) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("//! "), "{} must open with a `//!` line", file.display());
    }
}

#[test]
fn only_the_store_speaks_sql() {
    let sql = ["SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE", "PRAGMA "];
    for file in rust_files(&root().join("src")) {
        if file.starts_with(root().join("src/store")) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for keyword in sql {
                // At the start of a word: `SERVER_UPDATE ` is a name, not SQL.
                let found = line
                    .match_indices(keyword)
                    .any(|(at, _)| !line[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
                assert!(!found, "{}:{}: SQL outside src/store: {line}", file.display(), n + 1);
            }
        }
    }
}

#[test]
fn operations_and_storage_never_print() {
    for dir in ["src/ops", "src/store", "src/model", "src/identity"] {
        for file in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for bad in ["println!", "eprintln!", "print!(", "dbg!"] {
                assert!(!text.contains(bad), "{} uses {bad}: rendering belongs to src/cli", file.display());
            }
        }
    }
}

/// The committed completion scripts match the CLI. `UPDATE_EXPECT=1` rewrites them.
#[test]
fn completions_are_up_to_date() {
    use clap_complete::Shell;
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    for (shell, file) in [
        (Shell::Bash, "mcpcp.bash"),
        (Shell::Zsh, "_mcpcp"),
        (Shell::Fish, "mcpcp.fish"),
        (Shell::Elvish, "mcpcp.elv"),
        (Shell::PowerShell, "_mcpcp.ps1"),
    ] {
        let mut generated = Vec::new();
        mcpcp::cli::print_completions(shell, &mut generated);
        let path = root().join("completions").join(file);
        if update {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is stale: run `UPDATE_EXPECT=1 cargo test --test it completions` and commit the result",
            path.display()
        );
    }
}

/// `mcpcp completions SHELL` prints the same script the files hold.
#[test]
fn the_completions_command_prints_them() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mcpcp")).args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let mut expected = Vec::new();
    mcpcp::cli::print_completions(clap_complete::Shell::Bash, &mut expected);
    assert_eq!(out.stdout, expected);
    assert!(String::from_utf8_lossy(&out.stdout).contains("server"));
}

// ---- layering ----------------------------------------------------------------------------------

/// The top-level modules of `src/` (a module is the first path segment under `src/`), lowest layer
/// first, each with the modules it may use. A module may use only modules listed before it, so
/// the graph is acyclic and layered. ARCHITECTURE.md ("Layers") states the same matrix: change
/// both together, and only for a dependency that points down.
const LAYERS: &[(&str, &[&str])] = &[
    ("clock", &[]),
    ("model", &[]),
    ("jsonrpc", &[]),
    ("secrets", &[]),
    ("config", &[]),
    ("store", &["model", "secrets"]),
    ("datadir", &["secrets", "store"]),
    ("identity", &["model", "secrets"]),
    ("policy", &["model", "secrets"]),
    ("snapshot", &["identity", "model", "policy", "secrets", "store"]),
    ("ops", &["clock", "identity", "model", "policy", "secrets", "store"]),
    ("observe", &["clock", "jsonrpc", "model", "policy", "secrets", "store"]),
    ("upstream", &["identity", "jsonrpc", "model", "policy", "secrets"]),
    ("siem", &["clock", "model", "ops", "secrets", "store"]),
    (
        "gateway",
        &[
            "clock", "config", "identity", "jsonrpc", "model", "observe", "ops", "policy", "secrets", "siem",
            "snapshot", "store", "upstream",
        ],
    ),
    (
        "cli",
        &[
            "clock", "config", "datadir", "gateway", "model", "observe", "ops", "policy", "secrets", "siem",
            "snapshot", "store", "upstream",
        ],
    ),
];

fn show_layers() -> String {
    LAYERS.iter().map(|(m, uses)| format!("  {m:9} -> {}\n", uses.join(", "))).collect()
}

/// The lines of `text` that are not whole-line comments (`//`, `///`, `//!`).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")).map(|(n, l)| (n + 1, l))
}

/// The top-level module a file of `src/` belongs to, and the depth of its module path
/// (`src/gateway/oauth/mod.rs`: `gateway`, 2; `src/gateway/oauth/tokens.rs`: `gateway`, 3).
/// `None` for the crate root (`lib.rs`, `main.rs`).
fn module_of(file: &Path) -> Option<(String, usize)> {
    let rel = file.strip_prefix(root().join("src")).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let first = parts.first()?;
    if parts.len() == 1 && (first == "lib.rs" || first == "main.rs") {
        return None;
    }
    let depth = if parts.last().is_some_and(|l| l == "mod.rs") { parts.len() - 1 } else { parts.len() };
    Some((first.trim_end_matches(".rs").to_string(), depth))
}

/// The first segment of each path a reference names, from the text after `crate::` (or after
/// enough `super::` to reach the crate root): `store::audit` gives `store`; a group
/// `{model::Name, store::{self, Db}}` gives `model` and `store`.
fn first_segments(rest: &str) -> Vec<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let Some(group) = rest.strip_prefix('{') else { return vec![ident(rest)] };
    let (mut out, mut depth, mut item) = (Vec::new(), 0usize, String::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(ident(item.trim()));
                item.clear();
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    out.push(ident(item.trim()));
    out
}

/// Every top-level module a file refers to, with the line: `crate::x`, `use crate::{x, y::z}`,
/// and `super::…::x` with as many `super` as the file is deep (read at the file's own level: a
/// `super::` inside an inline `mod tests` names the file's module, whose items are its own).
fn references(file: &Path, modules: &[&str]) -> Vec<(usize, String)> {
    let Some((_, depth)) = module_of(file) else { return Vec::new() };
    let text = std::fs::read_to_string(file).unwrap();
    // Join the code so a `use crate::{…}` group spread over lines reads as one; keep line starts.
    let mut code = String::new();
    let mut starts = Vec::new();
    for (n, line) in code_lines(&text) {
        starts.push((code.len(), n));
        code.push_str(line);
        code.push('\n');
    }
    let line_at = |at: usize| starts.iter().rev().find(|(s, _)| *s <= at).map_or(0, |(_, n)| *n);
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        for m in first_segments(&code[at + "crate::".len()..]) {
            out.push((line_at(at), m));
        }
    }
    for (at, _) in code.match_indices("super::") {
        if code[..at].ends_with("super::") {
            continue;
        }
        let mut rest = &code[at..];
        let mut supers = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            supers += 1;
        }
        if supers == depth {
            for m in first_segments(rest) {
                out.push((line_at(at), m));
            }
        }
    }
    out.retain(|(_, m)| modules.contains(&m.as_str()));
    out
}

#[test]
fn the_layer_matrix_lists_every_module_and_points_down() {
    let mut found: Vec<String> =
        rust_files(&root().join("src")).iter().filter_map(|f| module_of(f)).map(|(m, _)| m).collect();
    found.sort();
    found.dedup();
    let mut listed: Vec<String> = LAYERS.iter().map(|(m, _)| m.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed, "the top-level modules of src/ and the layer matrix in tests/it/tidy.rs differ");
    for (i, (module, uses)) in LAYERS.iter().enumerate() {
        for used in *uses {
            assert!(
                LAYERS[..i].iter().any(|(m, _)| m == used),
                "the layer matrix lets {module} use {used}, which is not listed before it (a cycle, or a \
                 dependency pointing up):\n{}",
                show_layers()
            );
        }
    }
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let modules: Vec<&str> = LAYERS.iter().map(|(m, _)| *m).collect();
    let mut bad = Vec::new();
    for file in rust_files(&root().join("src")) {
        let Some((module, _)) = module_of(&file) else { continue };
        let allowed = LAYERS.iter().find(|(m, _)| *m == module).map_or(&[][..], |(_, uses)| *uses);
        for (line, used) in references(&file, &modules) {
            if used != module && !allowed.contains(&used.as_str()) {
                bad.push(format!("{}:{line}: {module} -> {used}", file.strip_prefix(root()).unwrap().display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "dependencies the layer matrix does not allow:\n  {}\nThe matrix (tests/it/tidy.rs, LAYERS; \
         ARCHITECTURE.md, \"Layers\"), each module with what it may use:\n{}Move the item to the lower \
         module that should own it rather than adding an edge that points up.",
        bad.join("\n  "),
        show_layers()
    );
}

/// The wall clock is read in src/clock.rs only (`Clock`), so tests can move time everywhere. The
/// rule covers every line of code in src/, unit tests included (they use `Clock::system()`);
/// whole-line comments are skipped. `Instant::now` (monotonic, for durations) is allowed.
#[test]
fn only_the_clock_reads_the_time_of_day() {
    for file in rust_files(&root().join("src")) {
        if file == root().join("src/clock.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in code_lines(&text) {
            for call in ["Utc::now", "Local::now", "SystemTime::now"] {
                assert!(
                    !line.contains(call),
                    "{}:{n}: {call} outside src/clock.rs: take the time from a crate::clock::Clock \
                     (the gateway's Shared::clock, ops::Ctx::now, activity Options::clock): {line}",
                    file.display()
                );
            }
        }
    }
}

/// Only src/store names the SQLite library; others see its handles as `store::Connection`,
/// `store::Transaction` and `store::SqliteError`.
#[test]
fn only_the_store_names_rusqlite() {
    for file in rust_files(&root().join("src")) {
        if file.starts_with(root().join("src/store")) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            assert!(!line.contains("rusqlite"), "{}:{}: rusqlite outside src/store: {line}", file.display(), n + 1);
        }
    }
}

/// The longest a file in src/ may grow (CONTRIBUTING.md: past about 800 lines, split it along a
/// seam).
const MAX_FILE_LINES: usize = 800;

#[test]
fn no_file_in_src_is_longer_than_800_lines() {
    for file in rust_files(&root().join("src")) {
        let rel = file.strip_prefix(root()).unwrap().to_string_lossy().into_owned();
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        assert!(
            lines <= MAX_FILE_LINES,
            "{rel} has {lines} lines, more than {MAX_FILE_LINES}: split it along a seam (CONTRIBUTING.md)"
        );
    }
}
