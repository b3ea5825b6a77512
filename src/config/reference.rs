//! The configuration reference, generated from the table of keys: `packaging/mcpcp.toml.example`
//! and the key list in the long help of `mcpcp config check` (and so its man page).

use super::Config;
use super::keys::{KEYS, Key, split};

/// The TOML text of `key`'s built-in default, or its example value when it has no default.
fn default_text(key: &Key, defaults: &toml::Table) -> Option<String> {
    let (table, field) = split(key.name);
    let value = if table.is_empty() { defaults.get(field) } else { defaults.get(table)?.get(field) };
    value.map(ToString::to_string)
}

fn defaults() -> toml::Table {
    toml::Table::try_from(Config::default()).unwrap_or_default()
}

/// `text` wrapped to lines of at most `width` characters, each starting with `prefix`.
fn wrap(text: &str, prefix: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from(prefix);
    for word in text.split_whitespace() {
        if line.len() > prefix.len() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(prefix);
        }
        if line.len() > prefix.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

const EXAMPLE_HEAD: &str = "\
# mcpcp.toml: the process configuration of mcpcp. Generated from the table of keys in
# src/config/keys.rs: `UPDATE_EXPECT=1 cargo test --test it config_reference` rewrites it.
#
# Every key is optional. Each commented line shows the key with its built-in default, or an
# example value where the default is \"unset\"; uncomment and change only what you need.
# Layers, later ones winning:
#   built-in defaults < this file < MCPCP_* environment variables < command-line flags
# An empty environment variable counts as unset. Unknown keys and invalid values are errors.
# Check the result with `mcpcp config check`.
#
# mcpcp reads the file named by --config / MCPCP_CONFIG (which must then exist), else
# DATA_DIR/mcpcp.toml if it exists. Relative paths in this file are relative to this file.
# Most keys configure the gateway (`mcpcp serve`); admin commands use data_dir and
# busy_timeout_ms.
";

/// `packaging/mcpcp.toml.example`: every key, commented out, with its default and meaning.
pub fn example_file() -> String {
    let defaults = defaults();
    let mut out = String::from(EXAMPLE_HEAD);
    let mut tables: Vec<&str> = Vec::new();
    for key in KEYS {
        let (table, _) = split(key.name);
        if !table.is_empty() && !tables.contains(&table) {
            tables.push(table);
        }
    }
    let entry = |out: &mut String, key: &Key| {
        let (_, field) = split(key.name);
        out.push_str(&wrap(key.doc, "# ", 96));
        out.push_str(&format!("# Environment: {}{}.\n", key.env, key.kind.env_note()));
        let value = default_text(key, &defaults).or(key.example.map(String::from)).unwrap_or_default();
        out.push_str(&format!("# {field} = {value}\n"));
    };
    for key in KEYS.iter().filter(|k| split(k.name).0.is_empty()) {
        out.push('\n');
        entry(&mut out, key);
    }
    for table in tables {
        out.push_str(&format!("\n# [{table}]\n"));
        for key in KEYS.iter().filter(|k| split(k.name).0 == table) {
            entry(&mut out, key);
        }
    }
    out
}

/// The key list of `mcpcp config check --help`: each key with its variable, default and meaning.
pub fn check_reference() -> String {
    let defaults = defaults();
    let mut out = String::from(
        "The configuration is built in layers, each overriding the one before: built-in defaults, \
         the configuration file, MCPCP_* environment variables (an empty variable counts as unset), \
         command-line flags. The file is the one named by --config or MCPCP_CONFIG, which must then \
         exist; without either, DATA_DIR/mcpcp.toml if present. Relative paths in a file are \
         relative to the file. Unknown keys and invalid values are errors (exit code 1), one line \
         naming the file or variable. In environment variables, lists are comma-separated and \
         booleans accept true/false, 1/0, yes/no, on/off. With --output json the document has \
         `ok` (always true), `file` (or null), `config` (every effective value) and `sources` \
         (default, file, env or flag per key); see packaging/schema/config-check.schema.json.\n\n\
         Keys, as written in the file (tables with a dot: `log.level` is `level` in `[log]`), with their environment variable and default:\n",
    );
    for key in KEYS {
        let default = default_text(key, &defaults).unwrap_or_else(|| "unset".into());
        out.push_str(&format!("\n{} ({}, default {}): {}\n", key.name, key.env, default, key.doc));
    }
    out
}
