//! Process configuration: built-in defaults < `mcpcp.toml` < `MCPCP_*` environment < flags.
//!
//! Each key is named once, in the table of [`KEYS`] (`keys.rs`), which drives the file layer
//! (`file.rs`), the environment layer, `mcpcp config check` and the generated reference
//! (`reference.rs`). The flags layer is the few options of `mcpcp serve` and the global ones.
//!
//! Unknown keys in the file are errors, not warnings: a misspelt `trusted_proxies` must not
//! silently leave a gateway trusting nobody (or everybody).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

mod file;
mod keys;
mod reference;

pub use keys::{KEYS, Key, Kind, env_vars};
pub use reference::{check_reference, example_file};

/// Where the data directory is when nothing says otherwise (relative to the working directory).
pub const DEFAULT_DATA_DIR: &str = "./mcpcp-data";
/// Where the gateway listens when nothing says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7330";
/// Sessions one principal may hold on one server unless configured otherwise.
pub const DEFAULT_SESSIONS_PER_PRINCIPAL: u32 = 256;
/// How long a worker thread polls for more work after a request starts, in microseconds.
pub const DEFAULT_BUSY_POLL_US: u32 = 250;
/// Connections the gateway holds at once unless configured otherwise (fewer when the process's
/// open-file limit is lower).
pub const DEFAULT_MAX_CONNECTIONS: u32 = 4096;
/// Connections one client address may hold at once unless configured otherwise.
pub const DEFAULT_MAX_CONNECTIONS_PER_IP: u32 = 256;

/// The validated configuration of one mcpcp process.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// The externally visible base URL; `None` means "derived from `listen`".
    #[serde(serialize_with = "url_opt")]
    #[schemars(with = "Option<String>")]
    pub public_url: Option<url::Url>,
    /// Allows plain HTTP on a non-loopback address.
    pub insecure_http: bool,
    pub tls: Tls,
    /// Proxies whose `X-Forwarded-For` / `Forwarded` headers are believed.
    #[schemars(with = "Vec<String>")]
    pub trusted_proxies: Vec<IpNet>,
    /// Browser origins allowed besides the gateway's own (`https://app.example.com`).
    pub allowed_origins: Vec<String>,
    /// Lets client ID metadata documents be fetched from loopback and private addresses (and over
    /// plain HTTP on loopback). Off: only public HTTPS hosts, the SSRF protection.
    pub client_metadata_private_networks: bool,
    pub log: Log,
    pub activity: Activity,
    pub siem: Siem,
    /// How long an admin command waits for another process's write lock, in milliseconds.
    pub busy_timeout_ms: u64,
    /// Sessions one principal may hold on one server; another ends the least recently used.
    pub sessions_per_principal: u32,
    /// How long a worker thread keeps polling for more work after a request starts while it
    /// serves at most one request, in microseconds (0: never): latency traded for CPU time.
    pub busy_poll_us: u32,
    /// Connections held at once; past it a new one replaces the oldest that has not finished
    /// sending a request, or is closed.
    pub max_connections: u32,
    /// Connections one client address (not a trusted proxy) may hold at once.
    pub max_connections_per_ip: u32,
    pub metrics: Metrics,
    pub telemetry: Telemetry,
    pub admin: Admin,
}

/// Where the gateway serves its admin API.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Admin {
    /// A listener of its own for the admin API (`/api/v1`), which the main listener then does
    /// not serve; `None`: the main listener serves it.
    pub listen: Option<SocketAddr>,
}

/// Where the gateway serves its Prometheus metrics.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Metrics {
    /// A listener of its own for `/metrics`; `None`: none.
    pub listen: Option<SocketAddr>,
    /// A file holding the scrape token: `/metrics` is then served on the main listener too, and
    /// both require the token.
    pub token_file: Option<PathBuf>,
}

/// Where the gateway sends what it observes besides the activity log.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Telemetry {
    /// An OpenTelemetry collector's OTLP/HTTP base URL (`http://collector:4318`, no trailing
    /// slash): every call's spans are exported to `{otlp_endpoint}/v1/traces`. Null: no export.
    pub otlp_endpoint: Option<String>,
}

/// The gateway's TLS: a certificate and key, or a self-signed certificate, or neither.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Tls {
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub self_signed: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Log {
    /// A tracing filter: `info`, `mcpcp=debug,info`, …
    pub level: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Activity {
    /// Activity records older than this many days are pruned.
    pub retention_days: u32,
    /// Recorded outputs are truncated to this many bytes (the original size is kept).
    pub max_output_bytes: usize,
    /// Argument keys whose values are replaced by `"[redacted]"` before anything is stored.
    pub redact_keys: Vec<String>,
}

/// SIEM delivery (`mcpcp siem`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Siem {
    /// Activity records retention keeps for a sink that has not delivered them; past this many
    /// the oldest go (the sink sends a gap event with the count).
    pub max_backlog: u64,
}

/// The default of `siem.max_backlog`.
pub const DEFAULT_SIEM_MAX_BACKLOG: u64 = 10_000_000;

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from(DEFAULT_DATA_DIR),
            listen: SocketAddr::from(([127, 0, 0, 1], 7330)),
            public_url: None,
            insecure_http: false,
            tls: Tls::default(),
            trusted_proxies: Vec::new(),
            allowed_origins: Vec::new(),
            client_metadata_private_networks: false,
            log: Log { level: "info".into(), format: LogFormat::Text },
            activity: Activity {
                retention_days: 30,
                max_output_bytes: 64 * 1024,
                redact_keys: [
                    "password",
                    "secret",
                    "token",
                    "authorization",
                    "api_key",
                    "apikey",
                    "cookie",
                    "private_key",
                ]
                .map(String::from)
                .to_vec(),
            },
            siem: Siem { max_backlog: DEFAULT_SIEM_MAX_BACKLOG },
            busy_timeout_ms: 5000,
            sessions_per_principal: DEFAULT_SESSIONS_PER_PRINCIPAL,
            busy_poll_us: DEFAULT_BUSY_POLL_US,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_connections_per_ip: DEFAULT_MAX_CONNECTIONS_PER_IP,
            metrics: Metrics::default(),
            admin: Admin::default(),
            telemetry: Telemetry::default(),
        }
    }
}

/// Values given as command-line flags: the top layer.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub listen: Option<String>,
    pub public_url: Option<String>,
    pub insecure_http: bool,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub tls_self_signed: bool,
    pub metrics_listen: Option<String>,
    pub admin_listen: Option<String>,
}

/// Where each effective value came from, for `mcpcp config check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Default,
    File,
    Env,
    Flag,
}

/// A loaded configuration with the provenance of each key and the file it came from.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub file: Option<PathBuf>,
    pub sources: BTreeMap<&'static str, Source>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {error}")]
    Read { path: PathBuf, error: std::io::Error },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

impl Loaded {
    /// Loads the configuration. `env` looks up environment variables (injected for tests).
    ///
    /// The file is `flags.config` (or `MCPCP_CONFIG`) if given, which must exist; otherwise
    /// `mcpcp.toml` inside the data directory, if present.
    pub fn load(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Result<Loaded, ConfigError> {
        let mut c = Config::default();
        let mut sources: BTreeMap<&'static str, Source> = BTreeMap::new();
        let mut set = |key: &'static str, source: Source| {
            sources.insert(key, source);
        };

        let env_data_dir = env("MCPCP_DATA_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
        let explicit =
            flags.config.clone().or_else(|| env("MCPCP_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from));
        let data_dir_before_file = flags.data_dir.clone().or(env_data_dir);
        let file = match &explicit {
            Some(path) => Some(path.clone()),
            None => {
                let implicit =
                    data_dir_before_file.unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR)).join("mcpcp.toml");
                implicit.exists().then_some(implicit)
            }
        };

        if let Some(path) = &file {
            let text =
                std::fs::read_to_string(path).map_err(|error| ConfigError::Read { path: path.clone(), error })?;
            let f = file::parse(&text)
                .map_err(|e| ConfigError::Parse { path: path.clone(), message: one_line(&e.to_string()) })?;
            let origin = path.display().to_string();
            for table in f.tables {
                if KEYS.iter().any(|k| k.source == table) {
                    set(table, Source::File);
                }
            }
            // In table order, as each key's errors would come.
            let mut values = f.values;
            values.sort_by_key(|(key, _)| KEYS.iter().position(|k| std::ptr::eq(k, *key)));
            for (key, value) in values {
                if key.explicit_file_only && explicit.is_none() {
                    return Err(ConfigError::Invalid {
                        origin,
                        message: format!("{} cannot be set in the mcpcp.toml inside the data directory", key.name),
                    });
                }
                let value = match value {
                    keys::Value::Path(p) => keys::Value::Path(resolve_relative(path, p)),
                    v => v,
                };
                (key.apply)(&mut c, value, &origin)?;
                set(key.source, Source::File);
            }
        }

        for key in KEYS {
            if let Some(v) = env(key.env).filter(|v| !v.is_empty()) {
                (key.apply)(&mut c, key.kind.parse_env(&v, key.env)?, key.env)?;
                set(key.source, Source::Env);
            }
        }

        if let Some(v) = &flags.data_dir {
            c.data_dir = v.clone();
            set("data_dir", Source::Flag);
        }
        if let Some(v) = &flags.listen {
            c.listen = parse_listen(v, "--listen")?;
            set("listen", Source::Flag);
        }
        if let Some(v) = &flags.public_url {
            c.public_url = Some(parse_public_url(v, "--public-url")?);
            set("public_url", Source::Flag);
        }
        if flags.insecure_http {
            c.insecure_http = true;
            set("insecure_http", Source::Flag);
        }
        if let Some(v) = &flags.metrics_listen {
            c.metrics.listen = Some(parse_listen(v, "--metrics-listen")?);
            set("metrics.listen", Source::Flag);
        }
        if let Some(v) = &flags.admin_listen {
            c.admin.listen = Some(parse_listen(v, "--admin-listen")?);
            set("admin.listen", Source::Flag);
        }
        if flags.tls_cert.is_some() || flags.tls_key.is_some() || flags.tls_self_signed {
            if flags.tls_cert.is_some() {
                c.tls.cert.clone_from(&flags.tls_cert);
            }
            if flags.tls_key.is_some() {
                c.tls.key.clone_from(&flags.tls_key);
            }
            c.tls.self_signed |= flags.tls_self_signed;
            set("tls", Source::Flag);
        }

        validate(&c)?;
        Ok(Loaded { config: c, file, sources })
    }

    /// The source of `key`.
    pub fn source(&self, key: &str) -> Source {
        self.sources.get(key).copied().unwrap_or(Source::Default)
    }
}

fn validate(c: &Config) -> Result<(), ConfigError> {
    if c.tls.cert.is_some() != c.tls.key.is_some() {
        return Err(invalid("tls", "give both a certificate and a key, or neither".into()));
    }
    if c.tls.self_signed && c.tls.cert.is_some() {
        return Err(invalid("tls", "choose a certificate and key, or self_signed, not both".into()));
    }
    if c.activity.retention_days == 0 {
        return Err(invalid("activity.retention_days", "must be at least 1".into()));
    }
    if c.activity.max_output_bytes < 256 {
        return Err(invalid("activity.max_output_bytes", "must be at least 256".into()));
    }
    if c.busy_timeout_ms == 0 || c.busy_timeout_ms > 600_000 {
        return Err(invalid("busy_timeout_ms", "must be between 1 and 600000".into()));
    }
    if c.sessions_per_principal == 0 {
        return Err(invalid("sessions_per_principal", "must be at least 1".into()));
    }
    if c.max_connections < 16 {
        return Err(invalid("max_connections", "must be at least 16".into()));
    }
    if c.max_connections_per_ip == 0 {
        return Err(invalid("max_connections_per_ip", "must be at least 1".into()));
    }
    if c.busy_poll_us > 10_000 {
        return Err(invalid("busy_poll_us", "must be between 0 and 10000".into()));
    }
    if tracing_subscriber::EnvFilter::try_new(&c.log.level).is_err() {
        return Err(invalid("log.level", format!("{:?} is not a valid log filter", c.log.level)));
    }
    Ok(())
}

fn url_opt<S: serde::Serializer>(u: &Option<url::Url>, s: S) -> Result<S::Ok, S::Error> {
    match u {
        Some(u) => s.serialize_str(u.as_str()),
        None => s.serialize_none(),
    }
}

fn invalid(origin: &str, message: String) -> ConfigError {
    ConfigError::Invalid { origin: origin.to_string(), message }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Relative paths in a config file are relative to the file, not to the working directory.
fn resolve_relative(file: &Path, p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        return p;
    }
    file.parent().map(|dir| dir.join(&p)).unwrap_or(p)
}

fn parse_listen(v: &str, origin: &str) -> Result<SocketAddr, ConfigError> {
    v.parse().map_err(|_| invalid(origin, format!("listen address {v:?} is not IP:PORT (e.g. 127.0.0.1:7330)")))
}

fn parse_public_url(v: &str, origin: &str) -> Result<url::Url, ConfigError> {
    let u = url::Url::parse(v).map_err(|e| invalid(origin, format!("public URL {v:?}: {e}")))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(invalid(origin, format!("public URL {v:?} must be http(s)://host[:port][/path]")));
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err(invalid(origin, format!("public URL {v:?} must not have a query or fragment")));
    }
    Ok(u)
}

/// An OTLP/HTTP collector's base URL: http(s)://host[:port][/path], without credentials (a
/// collector's API key goes in `OTEL_EXPORTER_OTLP_HEADERS`, never in a value `config check`
/// prints), a query or a fragment. The signal's path is added to it, so a URL already ending in
/// `/v1/traces` is refused rather than sent to `/v1/traces/v1/traces`.
fn parse_otlp_endpoint(v: &str, origin: &str) -> Result<String, ConfigError> {
    let u = url::Url::parse(v).map_err(|e| invalid(origin, format!("OTLP endpoint {v:?}: {e}")))?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return Err(invalid(origin, format!("OTLP endpoint {v:?} must be http(s)://host[:port][/path]")));
    }
    if !u.username().is_empty() || u.password().is_some() {
        // Not echoed: the value holds a secret.
        return Err(invalid(
            origin,
            "the OTLP endpoint must not hold credentials (set OTEL_EXPORTER_OTLP_HEADERS instead)".into(),
        ));
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err(invalid(origin, format!("OTLP endpoint {v:?} must not have a query or fragment")));
    }
    let base = u.as_str().trim_end_matches('/');
    if base.ends_with("/v1/traces") {
        return Err(invalid(
            origin,
            format!(
                "OTLP endpoint {v:?}: give the collector's base URL (http://collector:4318); mcpcp adds /v1/traces"
            ),
        ));
    }
    Ok(base.to_string())
}

fn parse_cidrs(list: &[String], origin: &str) -> Result<Vec<IpNet>, ConfigError> {
    list.iter()
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| invalid(origin, format!("{s:?} is not an IP address or CIDR")))
        })
        .collect()
}

/// Origins are `scheme://host[:port]`, compared as browsers send them (no path, no slash).
fn parse_origins(list: &[String], origin: &str) -> Result<Vec<String>, ConfigError> {
    list.iter()
        .map(|s| {
            let u = url::Url::parse(s).map_err(|e| invalid(origin, format!("origin {s:?}: {e}")))?;
            if !matches!(u.scheme(), "http" | "https")
                || u.host_str().is_none()
                || u.path() != "/"
                || u.query().is_some()
            {
                return Err(invalid(origin, format!("origin {s:?} must be scheme://host[:port]")));
            }
            Ok(u.origin().ascii_serialization())
        })
        .collect()
}

fn parse_bool(v: &str, origin: &str) -> Result<bool, ConfigError> {
    match v {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(invalid(origin, format!("{v:?} is not a boolean (true/false)"))),
    }
}

fn parse_num<T: std::str::FromStr>(v: &str, origin: &str) -> Result<T, ConfigError> {
    v.parse().map_err(|_| invalid(origin, format!("{v:?} is not a number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn layers_override_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\n[log]\nlevel = \"debug\"\n[activity]\nretention_days = 7\n",
        )
        .unwrap();
        let flags = Flags { config: Some(file.clone()), ..Flags::default() };
        let l = Loaded::load(&flags, &env_of(&[("MCPCP_LOG", "warn")])).unwrap();
        assert_eq!(l.config.listen.port(), 9000);
        assert_eq!(l.source("listen"), Source::File);
        assert_eq!(l.config.log.level, "warn");
        assert_eq!(l.source("log.level"), Source::Env);
        assert_eq!(l.config.activity.retention_days, 7);
        let flags = Flags { config: Some(file), listen: Some("127.0.0.1:9001".into()), ..Flags::default() };
        let l = Loaded::load(&flags, &env_of(&[("MCPCP_LISTEN", "127.0.0.1:9002")])).unwrap();
        assert_eq!(l.config.listen.port(), 9001);
        assert_eq!(l.source("listen"), Source::Flag);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "trusted_proxy = [\"10.0.0.1\"]\n").unwrap();
        let flags = Flags { config: Some(file.clone()), ..Flags::default() };
        let err = Loaded::load(&flags, &env_of(&[])).unwrap_err().to_string();
        assert!(err.contains("unknown field `trusted_proxy`"), "{err}");
        std::fs::write(&file, "trusted_proxies = [\"10.0.0.300/8\"]\n").unwrap();
        let err = Loaded::load(&flags, &env_of(&[])).unwrap_err().to_string();
        assert!(err.contains("10.0.0.300/8"), "{err}");
        let err = Loaded::load(&Flags::default(), &env_of(&[("MCPCP_LISTEN", "nope")])).unwrap_err().to_string();
        assert!(err.starts_with("MCPCP_LISTEN:"), "{err}");
    }

    /// The collector's base URL: from the file or (winning, like every key) the environment;
    /// refused with credentials, a query, another scheme, or the signal's path already on it.
    #[test]
    fn the_otlp_endpoint_is_a_base_url() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "[telemetry]\notlp_endpoint = \"http://collector:4318/\"\n").unwrap();
        let flags = Flags { config: Some(file), ..Flags::default() };
        let l = Loaded::load(&flags, &env_of(&[])).unwrap();
        assert_eq!(l.config.telemetry.otlp_endpoint.as_deref(), Some("http://collector:4318"));
        assert_eq!(l.source("telemetry.otlp_endpoint"), Source::File);
        let l = Loaded::load(&flags, &env_of(&[("MCPCP_OTLP_ENDPOINT", "https://otel.example/base")])).unwrap();
        assert_eq!(l.config.telemetry.otlp_endpoint.as_deref(), Some("https://otel.example/base"));
        assert_eq!(l.source("telemetry.otlp_endpoint"), Source::Env);
        assert_eq!(Loaded::load(&Flags::default(), &env_of(&[])).unwrap().config.telemetry.otlp_endpoint, None);
        for (bad, says) in [
            ("collector:4318", "http(s)://host"),
            ("grpc://collector:4317", "http(s)://host"),
            ("http://key:secret@collector:4318", "must not hold credentials"),
            ("http://:secret@collector:4318", "must not hold credentials"),
            ("http://collector:4318/?x=1", "query"),
            ("http://collector:4318/v1/traces", "mcpcp adds /v1/traces"),
        ] {
            let err =
                Loaded::load(&Flags::default(), &env_of(&[("MCPCP_OTLP_ENDPOINT", bad)])).unwrap_err().to_string();
            assert!(err.starts_with("MCPCP_OTLP_ENDPOINT:") && err.contains(says), "{bad}: {err}");
            assert!(!err.contains("secret"), "{err}");
        }
    }

    #[test]
    fn missing_explicit_file_is_an_error() {
        let flags = Flags { config: Some(PathBuf::from("/nonexistent/mcpcp.toml")), ..Flags::default() };
        assert!(matches!(Loaded::load(&flags, &env_of(&[])), Err(ConfigError::Read { .. })));
    }
}
