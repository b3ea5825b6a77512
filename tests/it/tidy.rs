//! Repository rules checked as tests: module headers, where SQL lives, committed completions.

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
                assert!(!line.contains(keyword), "{}:{}: SQL outside src/store: {line}", file.display(), n + 1);
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
