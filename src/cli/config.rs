//! `mcpcp config …`

use clap::Subcommand;
use serde::Serialize;

use super::{Env, output};
use crate::config::Source;

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration and show each effective value with where it came from.
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
            if env.json() {
                let keys = [
                    "data_dir",
                    "listen",
                    "public_url",
                    "insecure_http",
                    "tls",
                    "trusted_proxies",
                    "allowed_origins",
                    "client_metadata_private_networks",
                    "log.level",
                    "log.format",
                    "activity.retention_days",
                    "activity.max_output_bytes",
                    "activity.redact_keys",
                    "busy_timeout_ms",
                    "sessions_per_principal",
                    "busy_poll_us",
                ];
                let sources = keys.iter().map(|k| (*k, l.source(k))).collect();
                return output::json(&Checked {
                    ok: true,
                    file: l.file.as_ref().map(|p| p.display().to_string()),
                    config: c,
                    sources,
                });
            }
            let src = |k: &str| format!("{:?}", l.source(k)).to_lowercase();
            let tls = match (&c.tls.cert, &c.tls.key, c.tls.self_signed) {
                (Some(cert), Some(key), _) => format!("cert {} key {}", cert.display(), key.display()),
                (_, _, true) => "self-signed".into(),
                _ => "off".into(),
            };
            let rows = vec![
                vec!["data_dir".into(), c.data_dir.display().to_string(), src("data_dir")],
                vec!["listen".into(), c.listen.to_string(), src("listen")],
                vec![
                    "public_url".into(),
                    c.public_url.as_ref().map_or_else(|| "(derived from listen)".into(), ToString::to_string),
                    src("public_url"),
                ],
                vec!["insecure_http".into(), c.insecure_http.to_string(), src("insecure_http")],
                vec!["tls".into(), tls, src("tls")],
                vec![
                    "trusted_proxies".into(),
                    output::list(&c.trusted_proxies.iter().map(ToString::to_string).collect::<Vec<_>>()),
                    src("trusted_proxies"),
                ],
                vec!["allowed_origins".into(), output::list(&c.allowed_origins), src("allowed_origins")],
                vec![
                    "client_metadata_private_networks".into(),
                    c.client_metadata_private_networks.to_string(),
                    src("client_metadata_private_networks"),
                ],
                vec!["log.level".into(), c.log.level.clone(), src("log.level")],
                vec!["log.format".into(), format!("{:?}", c.log.format).to_lowercase(), src("log.format")],
                vec![
                    "activity.retention_days".into(),
                    c.activity.retention_days.to_string(),
                    src("activity.retention_days"),
                ],
                vec![
                    "activity.max_output_bytes".into(),
                    c.activity.max_output_bytes.to_string(),
                    src("activity.max_output_bytes"),
                ],
                vec!["activity.redact_keys".into(), c.activity.redact_keys.join(", "), src("activity.redact_keys")],
                vec!["busy_timeout_ms".into(), c.busy_timeout_ms.to_string(), src("busy_timeout_ms")],
                vec![
                    "sessions_per_principal".into(),
                    c.sessions_per_principal.to_string(),
                    src("sessions_per_principal"),
                ],
                vec!["busy_poll_us".into(), c.busy_poll_us.to_string(), src("busy_poll_us")],
            ];
            match &l.file {
                Some(f) => output::outln!("configuration OK (file {})", f.display()),
                None => output::outln!("configuration OK (no file; defaults and environment)"),
            }
            output::outln!("{}", output::table(&["key", "value", "source"], rows));
            Ok(())
        }
    }
}
