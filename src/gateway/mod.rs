//! The gateway: `mcpcp serve`. One listener (HTTP/1.1 and HTTP/2, optionally TLS) serving every
//! enabled server at `/mcp/{server}`, and the shared state its requests are decided from.
//!
//! Tests start it the way the binary does: `launch(settings, listener, shutdown)` on a listener
//! bound to port 0.

pub mod admin;
mod connections;
mod jwks;
pub mod mcp;
pub mod metrics;
pub mod oauth;
mod origin;
pub mod rejection;
mod side;
pub mod tls;
mod workers;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::Service;

pub use origin::OriginPolicy;

use crate::observe::activity::{Draft, Recorder};
use crate::ops::{Ctx, tool};
use crate::snapshot::Live;
use crate::store::{Db, OpenOptions, Schema};
use crate::upstream;
use mcp::session::Sessions;

/// Everything requests share. Built once by [`launch`].
#[derive(Debug)]
pub struct Shared {
    pub live: Arc<Live>,
    pub sessions: Sessions,
    /// The upstream sessions 2026-07-28 (stateless) clients' requests go through, one per
    /// principal and server (`mcp::era`).
    pub bridges: mcp::era::Pool,
    /// Legacy HTTP+SSE streams waiting for their `initialize`.
    pub legacy: mcp::legacy::Waiting,
    pub upstream_options: upstream::Options,
    pub http: upstream::Clients,
    pub origins: OriginPolicy,
    pub limits: Limits,
    /// The activity log.
    pub recorder: Recorder,
    /// Refusals of anonymous requests, sampled before they are recorded.
    pub(crate) refusals: crate::observe::sampling::Refusals,
    /// The externally visible base URL, without a trailing slash: the OAuth issuer and the prefix
    /// of every resource URL.
    pub public_url: String,
    pub(crate) state_db: PathBuf,
    pub(crate) db_options: OpenOptions,
    /// The data directory's key (to unseal stdio environments when reloading the snapshot).
    key: crate::secrets::SealKey,
    /// The authorization server's in-memory state (codes, sign-in sessions, pending requests).
    pub(crate) oauth: Arc<oauth::AuthState>,
    /// Servers whose tools are being synced right now.
    syncing: Mutex<HashSet<String>>,
    /// The connections open now, bounded (`connections`).
    connections: Arc<connections::Table>,
    /// Requests being handled, for a bounded graceful shutdown.
    inflight: AtomicUsize,
    /// Every upstream connection's task; shutdown waits for them (children stopped and reaped).
    pub upstreams: tokio_util::task::TaskTracker,
    /// Client ID metadata documents may come from loopback and private addresses.
    pub(crate) client_metadata_private_networks: bool,
    trusted_proxies: Vec<ipnet::IpNet>,
    /// Rate limits' and usage quotas' state (`policy::limiter`).
    pub(crate) limiter: crate::policy::limiter::Limiter,
    /// The wall clock for time-bound decisions: quota periods, token expiry, code lifetime.
    pub(crate) clock: Clock,
    /// How fast each server's upstream answers (by server id), for the busy polling.
    answer_times: Mutex<std::collections::HashMap<i64, Arc<workers::AnswerTimes>>>,
    /// The Prometheus metrics (`/metrics`).
    pub metrics: metrics::Metrics,
    /// The admin API's state (rates per admin token).
    pub(crate) admin_api: admin::ApiState,
}

pub use crate::clock::Clock;

impl Shared {
    /// The calling client's address: the socket peer, or behind a trusted proxy the address it
    /// forwarded (`policy::ip::client_ip`).
    pub(crate) fn client_ip(&self, peer: std::net::SocketAddr, headers: &axum::http::HeaderMap) -> std::net::IpAddr {
        // Forwarding headers are read only from a trusted proxy (a client's would cost a walk
        // over whatever it sent, for nothing).
        if !self.trusted_proxies.iter().any(|net| net.contains(&peer.ip())) {
            return peer.ip();
        }
        let values =
            |name: &str| -> Vec<&str> { headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect() };
        let (xff, fwd) = (values("x-forwarded-for"), values("forwarded"));
        let hops = crate::policy::ip::forwarded_hops(&xff, &fwd);
        crate::policy::ip::client_ip(peer.ip(), hops.into_iter(), &self.trusted_proxies)
    }
}

/// Bounds on what a client can make the gateway hold.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest POST body accepted (413 beyond).
    pub max_body_bytes: usize,
    /// A request the upstream has not answered in this long gets an error.
    pub request_timeout: Duration,
    /// Sessions unused this long are closed.
    pub session_idle: Duration,
    /// Sessions one principal may hold on one server; starting another ends the least recently
    /// used (each session of a stdio server is a process).
    pub sessions_per_principal: usize,
    /// How long a worker polls for more work after a request starts (`gateway::workers`).
    pub busy_poll: Duration,
    /// How long shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
    /// Connections held at once (`connections::Table`).
    pub max_connections: usize,
    /// Connections one client address may hold at once (trusted proxies are not counted).
    pub max_connections_per_ip: usize,
    /// How long a new connection may take to send its first request's headers (TLS handshake
    /// included), and an HTTP/1.1 connection the next request's headers.
    pub header_timeout: Duration,
    /// A connection with no request in flight is closed after this long.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 4 * 1024 * 1024,
            request_timeout: Duration::from_secs(300),
            session_idle: Duration::from_secs(3600),
            sessions_per_principal: crate::config::DEFAULT_SESSIONS_PER_PRINCIPAL as usize,
            busy_poll: Duration::from_micros(crate::config::DEFAULT_BUSY_POLL_US.into()),
            shutdown_grace: Duration::from_secs(10),
            max_connections: crate::config::DEFAULT_MAX_CONNECTIONS as usize,
            max_connections_per_ip: crate::config::DEFAULT_MAX_CONNECTIONS_PER_IP as usize,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(90),
        }
    }
}

/// Counts a request as in flight while alive: for the shutdown's drain, and on its thread for
/// the worker's busy polling (`workers::request_started`).
#[derive(Debug)]
pub struct InFlight {
    shared: Arc<Shared>,
    _serving: workers::Serving,
}

impl InFlight {
    pub fn new(shared: &Arc<Shared>) -> InFlight {
        shared.inflight.fetch_add(1, Ordering::SeqCst);
        InFlight { shared: shared.clone(), _serving: workers::request_started() }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.shared.inflight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shared {
    /// The estimate of how fast a server's upstream answers, shared by all its sessions
    /// (`workers::AnswerTimes`; taken once per session, not per request).
    pub(crate) fn answer_times(&self, server_id: i64) -> Arc<workers::AnswerTimes> {
        let mut map = self.answer_times.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(server_id).or_insert_with(|| Arc::new(workers::AnswerTimes::new(self.limits.busy_poll))).clone()
    }

    /// Records the tools an upstream lists, in the background (one sync per server at a time).
    pub fn sync_tools(self: &Arc<Self>, server: &str, tools: Vec<serde_json::Value>) {
        let Ok(mut syncing) = self.syncing.lock() else { return };
        if !syncing.insert(server.to_string()) {
            return;
        }
        drop(syncing);
        let shared = self.clone();
        let server = server.to_string();
        tokio::task::spawn_blocking(move || {
            let definitions = tools.iter().filter_map(tool_definition).collect();
            let result = Db::open(&shared.state_db, Schema::State, shared.db_options)
                .map_err(crate::ops::Error::from)
                .and_then(|mut db| tool::sync(&mut db, &Ctx::system("gateway", &shared.clock), &server, definitions));
            match result {
                Ok(r) if r.changed() => tracing::info!(server, added = ?r.added, removed = ?r.removed, "synced tools"),
                Ok(_) => {}
                Err(e) => tracing::warn!(server, error = %e, "tool sync failed"),
            }
            if let Ok(mut syncing) = shared.syncing.lock() {
                syncing.remove(&server);
            }
        });
    }

    /// Loads the snapshot now and publishes it: after issuing or revoking tokens, so the next
    /// request sees them without waiting for the watcher.
    pub async fn reload_snapshot(self: &Arc<Self>) {
        let shared = self.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            shared.live.reload(|| {
                let mut db = Db::open(&shared.state_db, Schema::State, shared.db_options)?;
                crate::snapshot::load(&mut db, &shared.key)
            })
        })
        .await;
        match loaded {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "cannot reload the snapshot"),
            Err(e) => tracing::warn!(error = %e, "cannot reload the snapshot"),
        }
    }

    /// The resource URL of a server (RFC 8707): what clients put in `resource` and tokens are bound to.
    pub fn resource_url(&self, server: &str) -> String {
        format!("{}/mcp/{server}", self.public_url)
    }

    /// Where a server's protected resource metadata is (RFC 9728 §3.1: the path inserted after
    /// the well-known prefix).
    pub fn resource_metadata_url(&self, server: &str) -> String {
        format!("{}/.well-known/oauth-protected-resource/mcp/{server}", self.public_url)
    }

    /// Ends a session the gateway decided to end (access lost, idle, upstream gone, shutdown) and
    /// records it; a client's own DELETE is recorded as its request instead.
    pub fn end_session(&self, id: &str, why: &str) {
        let Some(session) = self.sessions.get(id) else { return };
        self.sessions.close(id, why);
        let capture = self.live.load().servers().find(|s| s.id == session.server_id).map(|s| s.capture);
        let mut draft = Draft::new("session_end", self.clock.now());
        draft.capture = capture.unwrap_or(crate::model::CaptureMode::Full);
        draft.server = Some(session.server_name.clone());
        draft.principal = Some(session.principal.display_name().to_string());
        draft.auth_method = Some(session.principal.auth_method());
        mcp::describe_session(&mut draft, &session);
        draft.params = Some(serde_json::json!({ "reason": why }).to_string());
        if draft.capture != crate::model::CaptureMode::Off {
            self.recorder.detached(draft);
        }
    }

    /// After `notifications/tools/list_changed`: list the tools again through `session`.
    pub fn refresh_tools(self: &Arc<Self>, session: Arc<mcp::session::Session>) {
        let shared = self.clone();
        tokio::spawn(async move {
            match mcp::session::list_tools(&session).await {
                Ok(tools) => shared.sync_tools(&session.server_name, tools),
                Err(e) => {
                    tracing::warn!(server = session.server_name, error = %e, "cannot list tools after list_changed")
                }
            }
        });
    }
}

/// Reads one tool definition from a `tools/list` result entry.
pub fn tool_definition(t: &serde_json::Value) -> Option<crate::store::tools::ToolDefinition> {
    Some(crate::store::tools::ToolDefinition {
        name: t.get("name")?.as_str()?.to_string(),
        title: t.get("title").and_then(|v| v.as_str()).map(String::from),
        description: t.get("description").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
        input_schema: t.get("inputSchema").map_or_else(|| "{\"type\":\"object\"}".to_string(), |s| s.to_string()),
    })
}

impl Shared {
    /// The gateway's state from its settings (everything but the listener and TLS).
    pub(crate) fn new(settings: Settings) -> anyhow::Result<Arc<Shared>> {
        let upstream_options = upstream::Options::default();
        let http = upstream::Clients::new(&upstream_options)?;
        let book = crate::policy::quota::Book::new(settings.recorder.usage_at_start().iter().cloned());
        let connections = connections::Table::new(
            connection_budget(settings.limits.max_connections),
            settings.limits.max_connections_per_ip,
        );
        let metrics = metrics::Metrics::new(&settings.recorder, settings.metrics.token.as_ref());
        let stored = mcp::session::Stored::open(mcp::session::Setup {
            path: settings.recorder.path(),
            options: settings.db_options,
            key: settings.key.clone(),
            now: settings.clock.now(),
            idle: settings.limits.session_idle,
            per_principal: settings.limits.sessions_per_principal,
            snapshot: &settings.live.load(),
        });
        Ok(Arc::new(Shared {
            live: settings.live,
            sessions: Sessions::with_store(stored),
            bridges: mcp::era::Pool::default(),
            legacy: mcp::legacy::Waiting::default(),
            upstream_options,
            http,
            origins: settings.origins,
            limits: settings.limits,
            recorder: settings.recorder,
            refusals: crate::observe::sampling::Refusals::default(),
            public_url: settings.public_url.trim_end_matches('/').to_string(),
            state_db: settings.state_db,
            db_options: settings.db_options,
            key: settings.key,
            oauth: settings.oauth,
            syncing: Mutex::new(HashSet::new()),
            connections,
            inflight: AtomicUsize::new(0),
            upstreams: tokio_util::task::TaskTracker::new(),
            client_metadata_private_networks: settings.client_metadata_private_networks,
            trusted_proxies: settings.trusted_proxies,
            limiter: crate::policy::limiter::Limiter::new(book, std::time::Instant::now()),
            clock: settings.clock,
            answer_times: Mutex::new(std::collections::HashMap::new()),
            metrics,
            admin_api: admin::ApiState::default(),
        }))
    }
}

/// What `launch` needs.
pub struct Settings {
    pub live: Arc<Live>,
    pub recorder: Recorder,
    pub public_url: String,
    pub key: crate::secrets::SealKey,
    pub state_db: PathBuf,
    pub db_options: OpenOptions,
    pub origins: OriginPolicy,
    pub limits: Limits,
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// Client ID metadata documents may come from loopback and private addresses.
    pub client_metadata_private_networks: bool,
    /// Proxies whose forwarding headers name the client (`trusted_proxies`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The wall clock for time-bound decisions (`Clock::system()` outside tests).
    pub clock: Clock,
    /// The authorization server's in-memory state (`AuthState::default()`; a test keeps a
    /// handle to see how much it holds).
    pub oauth: Arc<oauth::AuthState>,
    /// Where `/metrics` is served (`MetricsSettings::default()`: nowhere).
    pub metrics: MetricsSettings,
    /// A listener of its own for the admin API (`admin.listen`); `None`: the main listener
    /// serves it.
    pub admin_listener: Option<TcpListener>,
}

/// Where `/metrics` is served: on a listener of its own, and on the main one when a scrape
/// token is set (which the metrics listener then requires too).
#[derive(Debug, Default)]
pub struct MetricsSettings {
    pub listener: Option<TcpListener>,
    pub token: Option<crate::secrets::Secret>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("state_db", &self.state_db)
            .field("tls", &self.tls.is_some())
            .field("metrics", &self.metrics)
            .finish_non_exhaustive()
    }
}

/// Serves until `shutdown` is cancelled, then drains: no new connections, requests in flight
/// get `limits.shutdown_grace` to finish, then sessions (and their upstream processes) close.
pub async fn launch(mut settings: Settings, listener: TcpListener, shutdown: CancellationToken) -> anyhow::Result<()> {
    let tls = settings.tls.clone();
    let metrics_listener = settings.metrics.listener.take();
    let admin_listener = settings.admin_listener.take();
    let admin_apart = admin_listener.is_some();
    let shared = Shared::new(settings)?;
    if let Some(metrics_listener) = metrics_listener {
        tokio::spawn(metrics::serve(shared.clone(), metrics_listener, tls.clone(), shutdown.clone()));
    }
    if let Some(admin_listener) = admin_listener {
        let router = Router::new()
            .nest("/api/v1", admin_routes())
            .fallback(|| async { (axum::http::StatusCode::NOT_FOUND, "not found: the admin API is at /api/v1\n") });
        let router = router.with_state(shared.clone());
        tokio::spawn(side::serve(
            "admin API",
            router,
            admin_listener,
            tls.clone(),
            admin::MAX_CONNECTIONS,
            shutdown.clone(),
        ));
    }
    let maintenance = tokio::spawn(mcp::maintain(shared.clone(), shutdown.clone()));
    tokio::spawn(oauth::revoke_removed(shared.clone(), shutdown.clone()));
    let router = router(shared.clone(), !admin_apart);
    let graceful = GracefulShutdown::new();
    let served = shared.clone();
    let serve: workers::Serve = Arc::new(move |stream, peer, watcher, place| {
        Box::pin(serve_connection(stream, peer, watcher, place, served.clone(), router.clone(), tls.clone()))
    });
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut workers =
        workers::Workers::start(threads, shared.limits.busy_poll, serve).context("cannot start the worker threads")?;
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // A trusted proxy carries many clients: it is not held to one address's share.
        let counted = (!shared.trusted_proxies.iter().any(|net| net.contains(&peer.ip()))).then_some(peer.ip());
        let place = match shared.connections.admit(counted) {
            Ok(place) => place,
            Err(why) => {
                tracing::debug!(%peer, ?why, "connection refused: too many open");
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        workers.hand(stream, peer, graceful.watcher(), place);
    }
    drop(listener);
    tracing::info!("shutting down: waiting for requests in flight");
    let deadline = tokio::time::Instant::now() + shared.limits.shutdown_grace;
    while shared.inflight.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Sessions are suspended, not ended: their rows stay, an HTTP upstream keeps its session, and
    // each client's next request to the next run continues its session (`session/resumed.rs`).
    let open = shared.sessions.len();
    let ended = shared.sessions.suspend();
    for session in &ended {
        shared.end_session(&session.id, "gateway shutting down");
    }
    shared.sessions.flush().await;
    tracing::info!(sessions = open.saturating_sub(ended.len()), "sessions kept for the next run");
    shared.bridges.clear();
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    maintenance.abort();
    // Every upstream gets its stop sequence (stdin closed, SIGTERM, then SIGKILL of its process
    // group, each after 2 s) and is reaped before the gateway exits.
    shared.upstreams.close();
    if tokio::time::timeout(Duration::from_secs(6), shared.upstreams.wait()).await.is_err() {
        tracing::warn!("some upstream connections did not stop in time");
    }
    for summary in shared.refusals.due(std::time::Instant::now(), true) {
        shared.recorder.detached(summary);
    }
    // The records of sessions ended above are written before the process exits.
    let _ = tokio::time::timeout(Duration::from_secs(5), shared.recorder.flush()).await;
    workers.stop(Duration::from_secs(5)).await;
    Ok(())
}

/// The connections the gateway may hold: `configured`, or fewer when the open-file limit is
/// lower (a quarter of it stays for upstream connections, stdio pipes and the databases), so
/// `accept` never fails for want of a file descriptor.
fn connection_budget(configured: usize) -> usize {
    let files = std::fs::read_to_string("/proc/self/limits").ok().and_then(|limits| {
        let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
        line.split_whitespace().nth(3)?.parse::<usize>().ok()
    });
    match files {
        Some(files) if files * 3 / 4 < configured => {
            let budget = (files * 3 / 4).max(16);
            tracing::warn!(
                configured,
                budget,
                open_file_limit = files,
                "max_connections lowered to fit the open-file limit (raise it with ulimit -n)"
            );
            budget
        }
        _ => configured,
    }
}

/// Serves one connection (after its TLS handshake, if any) until it closes, the drain ends it, or
/// it is evicted or timed out (`connections`).
async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    watcher: hyper_util::server::graceful::Watcher,
    place: connections::Place,
    shared: Arc<Shared>,
    router: Router,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let limits = shared.limits.clone();
    let conn = place.conn.clone();
    // `/mcp/{server}` is served straight from here; everything else goes through the router.
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        use futures_util::future::{Either, FutureExt};
        conn.request_started();
        // An HTTP/2 stream counts as open until its response body ends (for the idle timeout).
        let stream = (request.version() == hyper::Version::HTTP_2).then(|| conn.stream());
        authority_as_host(&mut request);
        let answer = if let Some(server) = mcp::plain_server(request.uri().path()) {
            let server = server.to_string();
            let shared = shared.clone();
            Either::Left(async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::Body::new(body);
                Ok::<_, std::convert::Infallible>(
                    mcp::serve(&shared, &server, peer, &parts.method, &parts.headers, body).await,
                )
            })
        } else {
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            Either::Right(async move { router.call(request.map(axum::body::Body::new)).await })
        };
        answer.map(move |response| match stream {
            Some(guard) => {
                response.map(|r| r.map(|body| axum::body::Body::new(connections::Tracked::new(body, guard))))
            }
            None => response,
        })
    });
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    // hyper's header timer covers every request head after the first (and so closes an HTTP/1.1
    // connection idle that long); the first is bounded below, from the accept on.
    builder.http1().timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_timeout);
    builder
        .http2()
        .timer(hyper_util::rt::TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(30)))
        .keep_alive_timeout(Duration::from_secs(10))
        .max_concurrent_streams(256)
        // hyper's HTTP/2 default admits 16 MiB of headers per request; HTTP/1.1 stops at 400 KiB.
        .max_header_list_size(256 * 1024);
    let conn = place.conn.clone();
    let served = async move {
        match tls {
            Some(acceptor) => match acceptor.accept(stream).await {
                Ok(tls_stream) => {
                    watcher
                        .watch(builder.serve_connection_with_upgrades(TokioIo::new(tls_stream), service).into_owned())
                        .await
                }
                Err(e) => {
                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                    Ok(())
                }
            },
            None => {
                watcher.watch(builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned()).await
            }
        }
    };
    tokio::pin!(served);
    let born = tokio::time::Instant::now();
    let mut check = born + limits.header_timeout;
    let result = loop {
        tokio::select! {
            result = &mut served => break result,
            _ = conn.evicted.cancelled() => {
                tracing::debug!(%peer, "connection evicted: it sent no request while the connection table was full");
                return;
            }
            _ = tokio::time::sleep_until(check) => {
                if !conn.proven() {
                    tracing::debug!(%peer, "connection closed: no request head within the header timeout");
                    return;
                }
                let idle = conn.idle_for();
                if conn.is_http2() && idle >= limits.idle_timeout {
                    tracing::debug!(%peer, "HTTP/2 connection closed: idle");
                    return;
                }
                // HTTP/1.1 is watched by hyper's header timer from here on.
                check = if conn.is_http2() {
                    tokio::time::Instant::now() + (limits.idle_timeout - idle.min(limits.idle_timeout)).max(Duration::from_millis(100))
                } else {
                    tokio::time::Instant::now() + Duration::from_secs(86_400 * 365)
                };
            }
        }
    };
    drop(place);
    if let Err(e) = result {
        tracing::debug!(%peer, error = %e, "connection ended with an error");
    }
}

/// The request's authority becomes its `Host`, so the Host check sees what the client addressed:
/// HTTP/2 carries it as `:authority` and may send no `Host` at all, and an HTTP/1.1 request in
/// absolute form names its host in the target, which wins over `Host` (RFC 9112 §3.2.2).
fn authority_as_host<B>(request: &mut hyper::Request<B>) {
    let Some(authority) = request.uri().authority() else { return };
    match axum::http::HeaderValue::from_str(authority.as_str()) {
        Ok(value) => {
            request.headers_mut().insert(axum::http::header::HOST, value);
        }
        Err(_) => {
            request.headers_mut().remove(axum::http::header::HOST);
        }
    }
}

/// The admin API's routes, to nest under `/api/v1`.
fn admin_routes() -> Router<Arc<Shared>> {
    admin::router().layer(axum::extract::DefaultBodyLimit::max(admin::MAX_BODY))
}

/// The main listener's router; with `admin_api`, the admin API too (else it has a listener of
/// its own, and `/api/v1` is not found here).
fn router(shared: Arc<Shared>, admin_api: bool) -> Router {
    let router = Router::new()
        .route("/mcp/{server}", any(mcp::endpoint))
        .route("/mcp/{server}/sse", get(mcp::legacy::sse))
        .route("/mcp/{server}/messages", any(mcp::legacy::messages))
        .merge(oauth::routes())
        .route("/.well-known/jwks.json", get(jwks::keys))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics::endpoint));
    let router = if admin_api { router.nest("/api/v1", admin_routes()) } else { router };
    router.fallback(not_found).with_state(shared)
}

async fn ready(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let snapshot = shared.live.load();
    axum::Json(serde_json::json!({
        "status": "ready",
        "generation": snapshot.generation,
        "servers": snapshot.servers().filter(|s| s.enabled).count(),
        "sessions": shared.sessions.len(),
        "connections": shared.connections.len(),
        "requests": shared.inflight.load(Ordering::SeqCst),
    }))
}

async fn not_found() -> impl IntoResponse {
    (axum::http::StatusCode::NOT_FOUND, "not found: MCP servers are served at /mcp/{server}\n")
}

/// The address a listener is bound to, for messages.
pub fn base_url(addr: SocketAddr, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{addr}")
}
