//! `mcpcp config …`

use clap::Subcommand;
use serde::Serialize;

use super::{Env, output};
use crate::config::{KEYS, Source};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration and show each effective value with where it came from.
    #[command(after_long_help = crate::config::check_reference())]
    Check,
}

/// The document `mcpcp config check --output json` prints.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct Checked<'a> {
    /// Always true: an invalid configuration is an error (exit code 1) with no document.
    ok: bool,
    /// The configuration file read, if any.
    file: Option<String>,
    /// Every effective value.
    config: &'a crate::config::Config,
    /// Where each value came from.
    sources: std::collections::BTreeMap<&'static str, Source>,
}

pub fn run(cmd: ConfigCommand, env: &Env) -> anyhow::Result<()> {
    match cmd {
        ConfigCommand::Check => {
            let l = &env.loaded;
            let c = &l.config;
            // One row (and one `sources` entry) per key that shows itself, in table order.
            let shown = KEYS.iter().filter_map(|k| k.show.map(|show| (k.source, show)));
            if env.json() {
                let sources = shown.map(|(k, _)| (k, l.source(k))).collect();
                return output::json(&Checked {
                    ok: true,
                    file: l.file.as_ref().map(|p| p.display().to_string()),
                    config: c,
                    sources,
                });
            }
            let rows: Vec<Vec<String>> = shown
                .map(|(k, show)| vec![k.to_string(), show(c), format!("{:?}", l.source(k)).to_lowercase()])
                .collect();
            match &l.file {
                Some(f) => output::outln!("configuration OK (file {})", f.display()),
                None => output::outln!("configuration OK (no file; defaults and environment)"),
            }
            output::outln!("{}", output::table(&["key", "value", "source"], rows));
            Ok(())
        }
    }
}
