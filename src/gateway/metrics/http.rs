//! `/metrics`: the Prometheus text format, or OpenMetrics when the scraper asks for it. On the
//! main listener only with a scrape token (`metrics.token_file`): without one the path is not
//! served there. On the metrics listener (`metrics.listen`), the token is required when one is
//! set, and nothing else is served.
//!
//! The token is compared as its SHA-256 digest in constant time (`subtle`), so neither its
//! length nor its bytes leak through timing; the process keeps only the digest, and neither is
//! ever logged.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::{prometheus_text, text};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::ServerLabels;
use crate::gateway::Shared;
use crate::secrets::Secret;

/// The shortest scrape token accepted.
const MIN_TOKEN_BYTES: usize = 16;
/// Connections the metrics listener serves at once; more are closed at once.
const MAX_CONNECTIONS: usize = 16;
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The SHA-256 of the scrape token.
#[derive(Debug)]
pub(super) struct Token([u8; 32]);

impl Token {
    pub(super) fn new(token: &Secret) -> Token {
        Token(Sha256::digest(token.expose().as_bytes()).into())
    }

    /// Whether the request carries `Authorization: Bearer` with the token.
    fn admits(&self, headers: &HeaderMap) -> bool {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map_or("", |(_, token)| token.trim());
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        !presented.is_empty() && bool::from(digest.ct_eq(&self.0))
    }
}

/// Reads the scrape token from `path`: its first line, at least 16 bytes, no spaces. A file
/// others may read is warned about.
pub fn read_token(path: &Path) -> anyhow::Result<Secret> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the metrics token file {}", path.display()))?;
    let token = text.lines().next().unwrap_or_default().trim();
    if token.len() < MIN_TOKEN_BYTES || token.contains(char::is_whitespace) {
        anyhow::bail!(
            "the metrics token file {} must hold one token of at least {MIN_TOKEN_BYTES} characters without spaces (for example from `openssl rand -hex 32`)",
            path.display()
        );
    }
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(file = %path.display(), "the metrics token file is readable by others than its owner (chmod 600 it)");
    }
    Ok(Secret::new(token.to_string()))
}

/// `/metrics` on the main listener: served only with a scrape token.
pub(crate) async fn endpoint(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match &shared.metrics.token {
        None => crate::gateway::not_found().await.into_response(),
        Some(token) if !token.admits(&headers) => unauthorized(),
        Some(_) => scrape(&shared, &headers),
    }
}

/// `/metrics` on the metrics listener: the token is required when one is set.
async fn own_endpoint(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match &shared.metrics.token {
        Some(token) if !token.admits(&headers) => unauthorized(),
        _ => scrape(&shared, &headers),
    }
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"mcpcp metrics\""))],
        "unauthorized: /metrics needs the scrape token (Authorization: Bearer)\n",
    )
        .into_response()
}

/// The metrics as text: OpenMetrics if the scraper accepts it, else the Prometheus text format.
/// What is read at each scrape (sessions open, the activity writer's backlog) goes into a
/// registry of its own.
fn scrape(shared: &Shared, headers: &HeaderMap) -> Response {
    let mut now = Registry::with_prefix("mcpcp");
    let sessions = Family::<ServerLabels, Gauge>::default();
    let names = shared.metrics.names(&shared.live);
    // Every server of the snapshot, with or without sessions.
    let mut open: BTreeMap<&str, i64> = names.servers.keys().map(|s| (&**s, 0)).collect();
    let all = shared.sessions.all();
    for session in &all {
        *open.entry(session.server_name.as_str()).or_default() += 1;
    }
    for (server, n) in open {
        sessions.get_or_create(&ServerLabels { server: names.server(Some(server)).0 }).inc_by(n);
    }
    now.register("sessions_open", "Client sessions open, by server", sessions);
    let backlog = Gauge::<i64>::default();
    backlog.set(i64::try_from(shared.recorder.backlog()).unwrap_or(i64::MAX));
    now.register("activity_backlog", "Activity records in the journal not yet written into activity.db", backlog);

    let openmetrics = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("application/openmetrics-text"));
    let mut body = String::with_capacity(16 * 1024);
    let encoded = if openmetrics {
        text::encode_registry(&mut body, &shared.metrics.registry)
            .and_then(|()| text::encode_registry(&mut body, &now))
            .and_then(|()| text::encode_eof(&mut body))
    } else {
        prometheus_text::encode(&mut body, &shared.metrics.registry)
            .and_then(|()| prometheus_text::encode(&mut body, &now))
    };
    if encoded.is_err() {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot encode the metrics\n").into_response();
    }
    let content_type = if openmetrics { OPENMETRICS } else { prometheus_text::CONTENT_TYPE };
    ([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body).into_response()
}

/// Serves `/metrics` on `listener` (with `tls` when the main listener has it) until `shutdown`.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: CancellationToken,
) {
    let router = Router::new()
        .route("/metrics", get(own_endpoint))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found: the metrics are at /metrics\n") })
        .with_state(shared);
    crate::gateway::side::serve("metrics", router, listener, tls, MAX_CONNECTIONS, shutdown).await;
}
