//! The one table of configuration keys: name, environment variable, documentation, how a value
//! is read and stored, and how `config check` shows it. The loader (file and environment
//! layers), `config check` and the generated reference (`packaging/mcpcp.toml.example`, the
//! long help of `mcpcp config check`) all walk [`KEYS`]; a key is named here and nowhere else.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use super::{
    Config, ConfigError, LogFormat, invalid, parse_bool, parse_cidrs, parse_listen, parse_num, parse_origins,
    parse_otlp_endpoint, parse_public_url,
};

/// One configuration key.
#[derive(Debug)]
pub struct Key {
    /// The dotted name in the file: `listen`, `activity.retention_days`.
    pub name: &'static str,
    /// The environment variable that sets it.
    pub env: &'static str,
    /// The row of `config check` (and key of its `sources`) this key reports to: its own name,
    /// or its table's for the keys shown together (`tls`).
    pub source: &'static str,
    /// What a value is, in the file and in the environment.
    pub kind: Kind,
    /// What it means, for the generated reference.
    pub doc: &'static str,
    /// An example value (TOML) for the reference, for keys unset by default.
    pub example: Option<&'static str>,
    /// Refused in the `mcpcp.toml` inside the data directory (only in a file named by
    /// `--config` or `MCPCP_CONFIG`).
    pub explicit_file_only: bool,
    /// Validates a read value and stores it; `origin` (the file or variable) heads errors.
    pub apply: fn(&mut Config, Value, &str) -> Result<(), ConfigError>,
    /// The value as `config check` shows it; `None` for keys that are shown by another key's
    /// row or not at all.
    pub show: Option<fn(&Config) -> String>,
}

/// The type of a key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    U32,
    U64,
    Usize,
    Text,
    /// A path; in a file, relative to the file.
    Path,
    /// An array in the file, comma-separated in the environment.
    List,
    LogFormat,
}

/// A value as read, before its key validates and stores it.
#[derive(Debug)]
pub enum Value {
    Bool(bool),
    U32(u32),
    U64(u64),
    Usize(usize),
    Text(String),
    Path(PathBuf),
    List(Vec<String>),
    LogFormat(LogFormat),
}

impl Kind {
    /// Reads an environment variable's value.
    pub(super) fn parse_env(self, v: &str, var: &str) -> Result<Value, ConfigError> {
        Ok(match self {
            Kind::Bool => Value::Bool(parse_bool(v, var)?),
            Kind::U32 => Value::U32(parse_num(v, var)?),
            Kind::U64 => Value::U64(parse_num(v, var)?),
            Kind::Usize => Value::Usize(parse_num(v, var)?),
            Kind::Text => Value::Text(v.to_string()),
            Kind::Path => Value::Path(PathBuf::from(v)),
            Kind::List => Value::List(v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()),
            Kind::LogFormat => Value::LogFormat(match v {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(invalid(var, format!("{v:?} is not text or json"))),
            }),
        })
    }

    /// How the environment form is described in the reference.
    pub(super) fn env_note(self) -> &'static str {
        match self {
            Kind::List => ", comma-separated",
            Kind::Bool => ", true/false, 1/0, yes/no or on/off",
            _ => "",
        }
    }
}

fn wrong_kind(origin: &str) -> ConfigError {
    invalid(origin, "internal error: a value of the wrong kind".into())
}

impl Value {
    fn bool(self, origin: &str) -> Result<bool, ConfigError> {
        if let Value::Bool(v) = self { Ok(v) } else { Err(wrong_kind(origin)) }
    }
    fn u32(self, origin: &str) -> Result<u32, ConfigError> {
        if let Value::U32(v) = self { Ok(v) } else { Err(wrong_kind(origin)) }
    }
    fn u64(self, origin: &str) -> Result<u64, ConfigError> {
        if let Value::U64(v) = self { Ok(v) } else { Err(wrong_kind(origin)) }
    }
    fn usize(self, origin: &str) -> Result<usize, ConfigError> {
        if let Value::Usize(v) = self { Ok(v) } else { Err(wrong_kind(origin)) }
    }
    fn text(self, origin: &str) -> Result<String, ConfigError> {
        if let Value::Text(v) = self { Ok(v) } else { Err(wrong_kind(origin)) }
    }
    fn path(self, origin: &str) -> Result<PathBuf, ConfigError> {
        if let Value::Path(v) = self { Ok(v) } else { Err(wrong_kind(origin)) }
    }
    fn list(self, origin: &str) -> Result<Vec<String>, ConfigError> {
        if let Value::List(v) = self { Ok(v) } else { Err(wrong_kind(origin)) }
    }
    fn log_format(self, origin: &str) -> Result<LogFormat, ConfigError> {
        if let Value::LogFormat(v) = self { Ok(v) } else { Err(wrong_kind(origin)) }
    }
}

/// A list as `config check`'s table shows it: `-` when empty.
fn list(items: &[String]) -> String {
    if items.is_empty() { "-".into() } else { items.join(", ") }
}

/// Every key, in the order `config check` shows them and the loader applies them.
pub static KEYS: &[Key] = &[
    Key {
        name: "data_dir",
        env: "MCPCP_DATA_DIR",
        source: "data_dir",
        kind: Kind::Path,
        doc: "The data directory; flag --data-dir. The default is relative to the working directory. \
              Allowed only in a file named by --config or MCPCP_CONFIG, not in the mcpcp.toml inside \
              the data directory.",
        example: None,
        explicit_file_only: true,
        apply: |c, v, o| {
            c.data_dir = v.path(o)?;
            Ok(())
        },
        show: Some(|c| c.data_dir.display().to_string()),
    },
    Key {
        name: "listen",
        env: "MCPCP_LISTEN",
        source: "listen",
        kind: Kind::Text,
        doc: "Address the gateway listens on, IP:PORT; flag --listen.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.listen = parse_listen(&v.text(o)?, o)?;
            Ok(())
        },
        show: Some(|c| c.listen.to_string()),
    },
    Key {
        name: "public_url",
        env: "MCPCP_PUBLIC_URL",
        source: "public_url",
        kind: Kind::Text,
        doc: "Externally visible base URL, http(s)://host[:port][/path], no query or fragment; flag \
              --public-url. Unset: derived from listen.",
        example: Some("\"https://mcp.example.com\""),
        explicit_file_only: false,
        apply: |c, v, o| {
            c.public_url = Some(parse_public_url(&v.text(o)?, o)?);
            Ok(())
        },
        show: Some(|c| c.public_url.as_ref().map_or_else(|| "(derived from listen)".into(), ToString::to_string)),
    },
    Key {
        name: "insecure_http",
        env: "MCPCP_INSECURE_HTTP",
        source: "insecure_http",
        kind: Kind::Bool,
        doc: "Allow plain HTTP on a non-loopback address (a TLS-terminating proxy is in front); flag \
              --insecure-http.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.insecure_http = v.bool(o)?;
            Ok(())
        },
        show: Some(|c| c.insecure_http.to_string()),
    },
    Key {
        name: "tls.cert",
        env: "MCPCP_TLS_CERT",
        source: "tls",
        kind: Kind::Path,
        doc: "TLS certificate file (PEM); give tls.key with it; flag --tls-cert. Unset by default.",
        example: Some("\"/etc/mcpcp/tls/cert.pem\""),
        explicit_file_only: false,
        apply: |c, v, o| {
            c.tls.cert = Some(v.path(o)?);
            Ok(())
        },
        show: Some(|c| match (&c.tls.cert, &c.tls.key, c.tls.self_signed) {
            (Some(cert), Some(key), _) => format!("cert {} key {}", cert.display(), key.display()),
            (_, _, true) => "self-signed".into(),
            _ => "off".into(),
        }),
    },
    Key {
        name: "tls.key",
        env: "MCPCP_TLS_KEY",
        source: "tls",
        kind: Kind::Path,
        doc: "TLS private key file (PEM); give tls.cert with it; flag --tls-key. Unset by default.",
        example: Some("\"/etc/mcpcp/tls/key.pem\""),
        explicit_file_only: false,
        apply: |c, v, o| {
            c.tls.key = Some(v.path(o)?);
            Ok(())
        },
        show: None,
    },
    Key {
        name: "tls.self_signed",
        env: "MCPCP_TLS_SELF_SIGNED",
        source: "tls",
        kind: Kind::Bool,
        doc: "Use a self-signed certificate, created once in the data directory (tls-cert.pem, \
              tls-key.pem); not together with tls.cert; flag --tls-self-signed.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.tls.self_signed = v.bool(o)?;
            Ok(())
        },
        show: None,
    },
    Key {
        name: "trusted_proxies",
        env: "MCPCP_TRUSTED_PROXIES",
        source: "trusted_proxies",
        kind: Kind::List,
        doc: "IPs or CIDRs of proxies whose X-Forwarded-For / Forwarded headers are believed.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.trusted_proxies = parse_cidrs(&v.list(o)?, o)?;
            Ok(())
        },
        show: Some(|c| list(&c.trusted_proxies.iter().map(ToString::to_string).collect::<Vec<_>>())),
    },
    Key {
        name: "allowed_origins",
        env: "MCPCP_ALLOWED_ORIGINS",
        source: "allowed_origins",
        kind: Kind::List,
        doc: "Browser origins (https://app.example.com) allowed besides the gateway's own.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.allowed_origins = parse_origins(&v.list(o)?, o)?;
            Ok(())
        },
        show: Some(|c| list(&c.allowed_origins)),
    },
    Key {
        name: "client_metadata_private_networks",
        env: "MCPCP_CLIENT_METADATA_PRIVATE_NETWORKS",
        source: "client_metadata_private_networks",
        kind: Kind::Bool,
        doc: "Let OAuth client ID metadata documents come from loopback and private addresses (and \
              plain HTTP on loopback), and the hosts an SSO provider's discovery document names be \
              private. Off: only global unicast hosts over HTTPS, the SSRF protection.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.client_metadata_private_networks = v.bool(o)?;
            Ok(())
        },
        show: Some(|c| c.client_metadata_private_networks.to_string()),
    },
    Key {
        name: "log.level",
        env: "MCPCP_LOG",
        source: "log.level",
        kind: Kind::Text,
        doc: "A tracing filter such as info or mcpcp=debug,info. MCPCP_LOG also sets what the admin \
              commands log on stderr (warn when unset).",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.log.level = v.text(o)?;
            Ok(())
        },
        show: Some(|c| c.log.level.clone()),
    },
    Key {
        name: "log.format",
        env: "MCPCP_LOG_FORMAT",
        source: "log.format",
        kind: Kind::LogFormat,
        doc: "text or json. Text is coloured only on a terminal (and without NO_COLOR); its values \
              show control characters as escapes.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.log.format = v.log_format(o)?;
            Ok(())
        },
        show: Some(|c| format!("{:?}", c.log.format).to_lowercase()),
    },
    Key {
        name: "activity.retention_days",
        env: "MCPCP_RETENTION_DAYS",
        source: "activity.retention_days",
        kind: Kind::U32,
        doc: "Activity records older than this many days are pruned; at least 1.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.activity.retention_days = v.u32(o)?;
            Ok(())
        },
        show: Some(|c| c.activity.retention_days.to_string()),
    },
    Key {
        name: "activity.max_output_bytes",
        env: "MCPCP_MAX_OUTPUT_BYTES",
        source: "activity.max_output_bytes",
        kind: Kind::Usize,
        doc: "Recorded outputs are cut to this many bytes (the original size is kept); at least 256.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.activity.max_output_bytes = v.usize(o)?;
            Ok(())
        },
        show: Some(|c| c.activity.max_output_bytes.to_string()),
    },
    Key {
        name: "activity.redact_keys",
        env: "MCPCP_REDACT_KEYS",
        source: "activity.redact_keys",
        kind: Kind::List,
        doc: "Argument keys whose values are stored as \"[redacted]\", in inputs and outputs at any \
              depth (compared lowercased, without - and _, as substrings).",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.activity.redact_keys = v.list(o)?;
            Ok(())
        },
        show: Some(|c| c.activity.redact_keys.join(", ")),
    },
    Key {
        name: "siem.max_backlog",
        env: "MCPCP_SIEM_MAX_BACKLOG",
        source: "siem.max_backlog",
        kind: Kind::U64,
        doc: "Activity records retention keeps for a SIEM sink that has not delivered them yet (a \
              receiver down, a paused sink); past this many the oldest are deleted as retention \
              says, and the sink sends a gap event with the count lost (`mcpcp siem status`).",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.siem.max_backlog = v.u64(o)?;
            Ok(())
        },
        show: Some(|c| c.siem.max_backlog.to_string()),
    },
    Key {
        name: "busy_timeout_ms",
        env: "MCPCP_BUSY_TIMEOUT_MS",
        source: "busy_timeout_ms",
        kind: Kind::U64,
        doc: "How long a command waits for another process's write lock, in milliseconds; 1 to 600000.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.busy_timeout_ms = v.u64(o)?;
            Ok(())
        },
        show: Some(|c| c.busy_timeout_ms.to_string()),
    },
    Key {
        name: "sessions_per_principal",
        env: "MCPCP_SESSIONS_PER_PRINCIPAL",
        source: "sessions_per_principal",
        kind: Kind::U32,
        doc: "Sessions one principal (user or token) may hold on one server; starting another ends \
              the least recently used one. Each session of a stdio server is a process. At least 1.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.sessions_per_principal = v.u32(o)?;
            Ok(())
        },
        show: Some(|c| c.sessions_per_principal.to_string()),
    },
    Key {
        name: "busy_poll_us",
        env: "MCPCP_BUSY_POLL_US",
        source: "busy_poll_us",
        kind: Kind::U32,
        doc: "After a request starts, its worker thread keeps polling for work this long (µs) while \
              it serves no other request, so its CPU does not halt before the upstream answers; 0 to \
              10000, 0 turns it off. Adaptive: only for a server whose upstream's recent answers (a \
              moving average) came within this window, and a worker whose polled requests keep \
              outlasting it stops polling for a while (8 requests, doubling up to 512). Lower \
              latency at low load for up to this much CPU time per request; nothing for slow \
              upstreams, under load or when idle.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.busy_poll_us = v.u32(o)?;
            Ok(())
        },
        show: Some(|c| c.busy_poll_us.to_string()),
    },
    Key {
        name: "max_connections",
        env: "MCPCP_MAX_CONNECTIONS",
        source: "max_connections",
        kind: Kind::U32,
        doc: "Connections the gateway holds at once (lowered to three quarters of the open-file \
              limit when that is smaller). When full, a new connection replaces the oldest one that \
              has not yet sent a whole request head, or is closed. At least 16.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.max_connections = v.u32(o)?;
            Ok(())
        },
        // Not in `config check` today (its output is a stable contract).
        show: Some(|c| c.max_connections.to_string()),
    },
    Key {
        name: "max_connections_per_ip",
        env: "MCPCP_MAX_CONNECTIONS_PER_IP",
        source: "max_connections_per_ip",
        kind: Kind::U32,
        doc: "Connections one client address may hold at once (trusted proxies are exempt), with the \
              same replacement rule; at least 1.",
        example: None,
        explicit_file_only: false,
        apply: |c, v, o| {
            c.max_connections_per_ip = v.u32(o)?;
            Ok(())
        },
        show: Some(|c| c.max_connections_per_ip.to_string()),
    },
    Key {
        name: "metrics.listen",
        env: "MCPCP_METRICS_LISTEN",
        source: "metrics.listen",
        kind: Kind::Text,
        doc: "Serve the Prometheus metrics at /metrics on a listener of its own, IP:PORT; flag \
              --metrics-listen. It serves TLS when the main listener does, and plain HTTP on a \
              non-loopback address only with insecure_http, like the main one. Unset: no such \
              listener.",
        example: Some("\"127.0.0.1:9464\""),
        explicit_file_only: false,
        apply: |c, v, o| {
            c.metrics.listen = Some(parse_listen(&v.text(o)?, o)?);
            Ok(())
        },
        show: Some(|c| c.metrics.listen.map_or_else(|| "off".into(), |a| a.to_string())),
    },
    Key {
        name: "admin.listen",
        env: "MCPCP_ADMIN_LISTEN",
        source: "admin.listen",
        kind: Kind::Text,
        doc: "Serve the admin API (/api/v1) on a listener of its own, IP:PORT, and not on the \
              main one; flag --admin-listen. For example a loopback or management-network \
              address while the main listener faces clients. It serves TLS when the main \
              listener does, and plain HTTP on a non-loopback address only with insecure_http. \
              Unset: the main listener serves the admin API.",
        example: Some("\"127.0.0.1:7331\""),
        explicit_file_only: false,
        apply: |c, v, o| {
            c.admin.listen = Some(parse_listen(&v.text(o)?, o)?);
            Ok(())
        },
        show: Some(|c| c.admin.listen.map_or_else(|| "main listener".into(), |a| a.to_string())),
    },
    Key {
        name: "metrics.token_file",
        env: "MCPCP_METRICS_TOKEN_FILE",
        source: "metrics.token_file",
        kind: Kind::Path,
        doc: "A file holding the scrape token (its first line, at least 16 characters; for example \
              from openssl rand -hex 32). With it /metrics is served on the main listener too, and \
              both listeners require Authorization: Bearer TOKEN. Unset: /metrics only on \
              metrics.listen, without a token.",
        example: Some("\"/etc/mcpcp/metrics-token\""),
        explicit_file_only: false,
        apply: |c, v, o| {
            c.metrics.token_file = Some(v.path(o)?);
            Ok(())
        },
        show: Some(|c| c.metrics.token_file.as_ref().map_or_else(|| "-".into(), |p| p.display().to_string())),
    },
    Key {
        name: "telemetry.otlp_endpoint",
        env: "MCPCP_OTLP_ENDPOINT",
        source: "telemetry.otlp_endpoint",
        kind: Kind::Text,
        doc: "An OpenTelemetry collector's OTLP/HTTP base URL, http(s)://host[:port][/path]: the \
              spans of every recorded call (the call, and each of its steps) are exported to \
              ENDPOINT/v1/traces as protobuf, in batches, from a bounded queue that never slows a \
              call (spans that do not fit are dropped and counted). Like every key, \
              MCPCP_OTLP_ENDPOINT overrides the file. No credentials in the URL: a collector's \
              headers (an API key) come from the standard OTEL_EXPORTER_OTLP_HEADERS. Unset: no \
              export, no cost.",
        example: Some("\"http://collector:4318\""),
        explicit_file_only: false,
        apply: |c, v, o| {
            c.telemetry.otlp_endpoint = Some(parse_otlp_endpoint(&v.text(o)?, o)?);
            Ok(())
        },
        show: Some(|c| c.telemetry.otlp_endpoint.clone().unwrap_or_else(|| "off".into())),
    },
];

/// Every environment variable mcpcp reads, with the key it sets.
pub fn env_vars() -> Vec<(&'static str, &'static str)> {
    std::iter::once(("MCPCP_CONFIG", "config file")).chain(KEYS.iter().map(|k| (k.env, k.name))).collect()
}

/// The names of each table of the file (`""` for the top level), in table order: what an
/// unknown key is told to be instead.
pub(super) static FIELDS: LazyLock<BTreeMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    let mut fields: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
    for key in KEYS {
        let (table, field) = split(key.name);
        let names = fields.entry(table).or_default();
        if !names.contains(&field) {
            names.push(field);
        }
        if !table.is_empty() {
            let top = fields.entry("").or_default();
            if !top.contains(&table) {
                top.push(table);
            }
        }
    }
    fields
});

/// `activity.retention_days` → (`activity`, `retention_days`); `listen` → (``, `listen`).
pub(super) fn split(name: &'static str) -> (&'static str, &'static str) {
    name.split_once('.').unwrap_or(("", name))
}

/// The key of `field` in `table`.
pub(super) fn find(table: &str, field: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| split(k.name) == (table, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    leaves(&name, v, out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }

    /// Every field of `Config` has exactly one key, and every key one field and its own variable.
    #[test]
    fn the_table_covers_the_config() {
        let mut fields = Vec::new();
        leaves("", &serde_json::to_value(Config::default()).unwrap(), &mut fields);
        let mut names: Vec<String> = KEYS.iter().map(|k| k.name.to_string()).collect();
        fields.sort();
        names.sort();
        assert_eq!(fields, names);
        let mut vars: Vec<&str> = KEYS.iter().map(|k| k.env).collect();
        vars.sort_unstable();
        vars.dedup();
        assert_eq!(vars.len(), KEYS.len());
        assert_eq!(env_vars().len(), KEYS.len() + 1);
    }
}
