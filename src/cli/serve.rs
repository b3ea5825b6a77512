//! `mcpcp serve`: run the gateway on this data directory.

use std::fs::File;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use tokio_util::sync::CancellationToken;

use super::{Env, UsageError, output};
use crate::config::Config;
use crate::datadir::DataDir;
use crate::gateway::{self, Limits, OriginPolicy, Settings};
use crate::observe::activity::{self, Recorder};
use crate::observe::otlp;
use crate::snapshot::{self, Live};
use crate::store::OpenOptions;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [env: MCPCP_LISTEN] [default: 127.0.0.1:7330]
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// The externally visible base URL, used in every discovery document [env: MCPCP_PUBLIC_URL]
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// TLS certificate chain (PEM) [env: MCPCP_TLS_CERT]
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// TLS private key (PEM) [env: MCPCP_TLS_KEY]
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
    /// Serve TLS with a self-signed certificate kept in the data directory
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    pub tls_self_signed: bool,
    /// Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)
    #[arg(long)]
    pub insecure_http: bool,
    /// Also serve the Prometheus metrics at /metrics on this address [env: MCPCP_METRICS_LISTEN]
    /// [default: off]
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<String>,
    /// Serve the admin API (/api/v1) on this address instead of the main listener
    /// [env: MCPCP_ADMIN_LISTEN] [default: the main listener]
    #[arg(long, value_name = "ADDR")]
    pub admin_listen: Option<String>,
}

pub fn run(env: &mut Env) -> anyhow::Result<()> {
    let config = env.loaded.config.clone();
    let tls_on = config.tls.self_signed || config.tls.cert.is_some();
    if !config.listen.ip().is_loopback() && !tls_on && !config.insecure_http {
        return Err(UsageError(format!(
            "refusing to serve plain HTTP on {}: give --tls-cert/--tls-key or --tls-self-signed, or --insecure-http when a TLS-terminating proxy is in front",
            config.listen
        ))
        .into());
    }
    if let Some(addr) = config.metrics.listen
        && !addr.ip().is_loopback()
        && !tls_on
        && !config.insecure_http
    {
        return Err(UsageError(format!(
            "refusing to serve the metrics over plain HTTP on {addr}: give --tls-cert/--tls-key or --tls-self-signed (the metrics listener uses the same TLS), or --insecure-http when a TLS-terminating proxy is in front"
        ))
        .into());
    }
    if let Some(addr) = config.admin.listen
        && !addr.ip().is_loopback()
        && !tls_on
        && !config.insecure_http
    {
        return Err(UsageError(format!(
            "refusing to serve the admin API over plain HTTP on {addr}: give --tls-cert/--tls-key or --tls-self-signed (the admin listener uses the same TLS), or --insecure-http when a TLS-terminating proxy is in front"
        ))
        .into());
    }
    let metrics_token = config.metrics.token_file.as_deref().map(gateway::metrics::read_token).transpose()?;
    let dir = DataDir::open_or_create(&config.data_dir)?;
    let _lock = lock(&dir)?;
    let options = OpenOptions { busy_timeout: Duration::from_millis(config.busy_timeout_ms) };
    let mut db = dir.open_state(options)?;
    let key = dir.key()?;
    let first = snapshot::load(&mut db, &key)?;
    drop(db);
    let servers = first.servers().filter(|s| s.enabled).count();
    let live = Live::new(first);
    let clock = gateway::Clock::system();
    // The collector's exporter first: its thread builds a blocking HTTP client, which must not
    // happen on the runtime's threads.
    let spans = match &config.telemetry.otlp_endpoint {
        Some(endpoint) => Some(otlp::Spans::start(endpoint).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let mut recorder = Recorder::start(
        &dir.activity_path(),
        activity::Options {
            retention_days: config.activity.retention_days,
            max_output_bytes: config.activity.max_output_bytes,
            redact_keys: config.activity.redact_keys.clone(),
            open: options,
            clock: clock.clone(),
        },
    )?;
    if let Some(spans) = &spans {
        recorder = recorder.with_spans(spans.clone());
    }
    recorder.set_siem_max_backlog(config.siem.max_backlog);
    let _watcher = snapshot::watch(dir.state_path(), key.clone(), live.clone(), options)?;

    let tls = if let (Some(cert), Some(key)) = (&config.tls.cert, &config.tls.key) {
        Some(gateway::tls::from_files(cert, key)?)
    } else if config.tls.self_signed {
        Some(gateway::tls::self_signed(dir.root(), self_signed_names(&config))?)
    } else {
        None
    };
    let siem_settings = crate::siem::Settings {
        state_db: dir.state_path(),
        activity_db: dir.activity_path(),
        options,
        clock: clock.clone(),
        key: key.clone(),
    };
    let key_for_gateway = dir.key()?;
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let bound: SocketAddr = listener.local_addr()?;
        let metrics_listener = match config.metrics.listen {
            Some(addr) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr} for the metrics"))?,
            ),
            None => None,
        };
        let admin_listener = match config.admin.listen {
            Some(addr) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr} for the admin API"))?,
            ),
            None => None,
        };
        let base = gateway::base_url(bound, tls.is_some());
        let public = config.public_url.as_ref().map_or_else(|| base.clone(), |u| u.as_str().trim_end_matches('/').to_string());
        output::line_best_effort(&format!("mcpcp serving on {base} (public URL {public}), data directory {}", dir.root().display()));
        if let Some(endpoint) = &config.telemetry.otlp_endpoint {
            tracing::info!(endpoint = format!("{endpoint}/v1/traces"), "exporting spans over OTLP/HTTP");
        }
        if servers == 0 {
            output::line_best_effort(&format!(
                "no servers configured yet. Next: `mcpcp server create NAME --url URL` (or --command \"CMD ARGS\"), then `mcpcp token create NAME`; clients connect to {public}/mcp/NAME"
            ));
        } else {
            output::line_best_effort(&format!("{servers} server(s) at {public}/mcp/NAME"));
        }
        if let Some(metrics) = &metrics_listener {
            let url = gateway::base_url(metrics.local_addr()?, tls.is_some());
            let token = if metrics_token.is_some() { ", scrape token required" } else { "" };
            output::line_best_effort(&format!("mcpcp metrics on {url}/metrics{token}"));
        } else if metrics_token.is_some() {
            output::line_best_effort(&format!("mcpcp metrics on {base}/metrics, scrape token required"));
        }
        if let Some(admin) = &admin_listener {
            let url = gateway::base_url(admin.local_addr()?, tls.is_some());
            output::line_best_effort(&format!("mcpcp admin API on {url}/api/v1"));
        }
        let origins = OriginPolicy::new(bound, config.public_url.as_ref(), &config.allowed_origins, tls.is_some());
        tokio::spawn(recorder.clone().maintain());
        let settings = Settings {
            live,
            recorder,
            public_url: public.clone(),
            key: key_for_gateway,
            state_db: dir.state_path(),
            db_options: options,
            origins,
            limits: Limits {
                sessions_per_principal: config.sessions_per_principal as usize,
                busy_poll: std::time::Duration::from_micros(config.busy_poll_us.into()),
                max_connections: config.max_connections as usize,
                max_connections_per_ip: config.max_connections_per_ip as usize,
                ..Limits::default()
            },
            tls,
            client_metadata_private_networks: config.client_metadata_private_networks,
            trusted_proxies: config.trusted_proxies.clone(),
            clock,
            oauth: Default::default(),
            metrics: gateway::MetricsSettings { listener: metrics_listener, token: metrics_token },
            admin_listener,
        };
        let shutdown = CancellationToken::new();
        tokio::spawn(on_signal(shutdown.clone()));
        tokio::spawn(crate::siem::run(siem_settings, shutdown.clone()));
        gateway::launch(settings, listener, shutdown).await?;
        output::line_best_effort("mcpcp stopped");
        Ok::<(), anyhow::Error>(())
    })?;
    // Every record, the gateway's own at shutdown included, was handed over: export what is
    // queued, for at most 5 s (a collector that is down or hung does not hold the exit).
    if let Some(spans) = spans {
        spans.shutdown(Duration::from_secs(5));
    }
    // Upstream processes were asked to stop; give the runtime a moment to reap them.
    runtime.shutdown_timeout(Duration::from_secs(5));
    Ok(())
}

/// One `serve` per data directory: an exclusive lock on `serve.lock`, released at exit.
fn lock(dir: &DataDir) -> anyhow::Result<File> {
    try_lock(dir.root())?
        .ok_or_else(|| anyhow::anyhow!("another `mcpcp serve` is already running on {}", dir.root().display()))
}

/// Takes `serve.lock` of the data directory at `root` if no gateway holds it.
pub fn try_lock(root: &std::path::Path) -> anyhow::Result<Option<File>> {
    let path = root.join("serve.lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
    }
}

fn self_signed_names(config: &Config) -> Vec<String> {
    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    if let Some(host) = config.public_url.as_ref().and_then(|u| u.host_str()) {
        names.push(host.to_string());
    }
    if !config.listen.ip().is_unspecified() {
        names.push(config.listen.ip().to_string());
    }
    names.sort();
    names.dedup();
    names
}

async fn on_signal(shutdown: CancellationToken) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        tracing::warn!("cannot install signal handlers");
        return;
    };
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
        _ = int.recv() => tracing::info!("SIGINT: shutting down"),
    }
    shutdown.cancel();
}
