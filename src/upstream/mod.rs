//! Connections to upstream MCP servers: a local process over stdio, or a remote server over
//! Streamable HTTP (falling back to the 2024-11-05 HTTP+SSE transport).
//!
//! Every transport looks the same to the session layer: it sends JSON-RPC text and receives
//! parsed messages, plus a note when the connection dropped. Each downstream session owns its
//! own upstream connection, so server→client requests (sampling, elicitation, roots), progress
//! and subscriptions can never cross between clients.

pub mod h1;
mod http;
pub mod oauth;
mod probe;
mod replies;
pub mod sse;
mod stdio;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::error_chain;
use crate::jsonrpc::Message;
use crate::model::Transport;
use crate::policy::ServerConfig;

pub use http::{Direct, Next, Replies};
pub use probe::list_tools;

/// Largest single message accepted from an upstream (a stdio line or an SSE event).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// Something that came from the upstream.
#[derive(Debug)]
pub enum Inbound {
    /// A message; `related` is the upstream request id (raw JSON) whose response stream carried
    /// it, when the transport knows (Streamable HTTP POST streams do, stdio does not).
    /// `streamed` is false only for a response the upstream sent as a plain JSON body; the
    /// gateway answers its client the same way.
    Message { message: Message, related: Option<String>, streamed: bool },
    /// The connection dropped; requests in flight will not be answered. A stdio upstream is
    /// restarted and re-initialized; `restarting` says so. `reason` may name URLs and
    /// addresses: it is for the log and the record, not for clients. `fault` says whose fault
    /// the loss is (a command that cannot start is the operator's).
    Lost { reason: String, restarting: bool, fault: crate::model::Fault },
    /// The upstream closed the stream of request `related` before its response (SEP-1699
    /// polling); the transport resumes it (`Replies`).
    Paused { related: Option<String> },
}

/// A message for the upstream.
#[derive(Debug)]
pub struct Outbound {
    pub json: String,
    /// The id (raw JSON) if this is a request.
    pub request_id: Option<String>,
    /// The method, if a request or notification.
    pub method: Option<String>,
    /// The call's trace context for an HTTP upstream (`traceparent`, `tracestate`).
    pub trace: Option<TraceHeaders>,
    /// The trace id of the client request this forwards, for the headers it is sent with
    /// ([`ExtraHeaders`]).
    pub trace_id: Option<String>,
}

impl Outbound {
    /// A message that forwards no client request of a trace (a notification, a response, the
    /// gateway's own request).
    pub fn new(json: String, request_id: Option<String>, method: Option<String>) -> Outbound {
        Outbound { json, request_id, method, trace: None, trace_id: None }
    }
}

/// The W3C trace context headers of one request to an HTTP upstream: the gateway's span as the
/// parent of what the upstream does.
#[derive(Debug, Clone)]
pub struct TraceHeaders {
    pub traceparent: reqwest::header::HeaderValue,
    pub tracestate: Option<reqwest::header::HeaderValue>,
}

impl TraceHeaders {
    /// Adds them to `headers`.
    pub fn apply(&self, headers: &mut reqwest::header::HeaderMap) {
        const TRACEPARENT: reqwest::header::HeaderName = reqwest::header::HeaderName::from_static("traceparent");
        const TRACESTATE: reqwest::header::HeaderName = reqwest::header::HeaderName::from_static("tracestate");
        headers.insert(TRACEPARENT, self.traceparent.clone());
        if let Some(state) = &self.tracestate {
            headers.insert(TRACESTATE, state.clone());
        }
    }
}

/// Settings for upstream connections.
#[derive(Debug, Clone)]
pub struct Options {
    pub connect_timeout: Duration,
    pub user_agent: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { connect_timeout: Duration::from_secs(10), user_agent: format!("mcpcp/{}", env!("CARGO_PKG_VERSION")) }
    }
}

/// A live upstream connection. Dropping it (or cancelling `shutdown`) closes it; a stdio child is
/// stopped with its whole process group.
#[derive(Debug)]
pub struct Connection {
    pub outbound: Link,
    pub inbound: mpsc::Receiver<Inbound>,
    /// Cancelling it closes the connection (idempotent).
    pub shutdown: CancellationToken,
}

/// The way to the upstream: messages queue for the connection's task, which sends them in order.
/// Once a Streamable HTTP upstream's transport is known, a request can instead be POSTed by the
/// task forwarding it ([`Link::direct`]), which spares it the hand-offs to and from the
/// connection's tasks.
#[derive(Debug, Clone)]
pub struct Link {
    tx: mpsc::Sender<(Outbound, Queued)>,
    /// Messages handed to the connection's task and not yet sent by it.
    queued: Arc<AtomicUsize>,
    direct: Arc<OnceLock<Direct>>,
    /// The upstream's own session id (Streamable HTTP), once it named one.
    session: Arc<OnceLock<crate::secrets::Secret>>,
    /// Set when the connection closes for a gateway restart: the upstream session is kept (no
    /// `DELETE`), so the client's session continues on it after the restart.
    keep_session: Arc<std::sync::atomic::AtomicBool>,
}

/// The connection task's channel was closed.
#[derive(Debug)]
pub struct Closed;

/// Counts a message as queued until it was sent (dropped by the connection's task).
#[derive(Debug)]
pub struct Queued(Arc<AtomicUsize>);

impl Drop for Queued {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Link {
    /// Queues a message for the connection's task.
    pub async fn send(&self, out: Outbound) -> Result<(), Closed> {
        self.queued.fetch_add(1, Ordering::AcqRel);
        let ticket = Queued(self.queued.clone());
        self.tx.send((out, ticket)).await.map_err(|_| Closed)
    }

    /// The direct way for a request, when there is one and nothing queued is still unsent (a
    /// request must not overtake a notification the client sent before it).
    pub fn direct(&self) -> Option<&Direct> {
        let direct = self.direct.get()?;
        (self.queued.load(Ordering::Acquire) == 0).then_some(direct)
    }

    /// The upstream's own session id (Streamable HTTP), once the upstream named one.
    pub fn upstream_session(&self) -> Option<&str> {
        self.session.get().map(crate::secrets::Secret::expose)
    }

    /// The connection is closing for a gateway restart: its upstream session is not ended.
    pub fn keep_upstream_session(&self) {
        self.keep_session.store(true, Ordering::Release);
    }
}

/// An upstream session to continue instead of starting one (after a gateway restart): the
/// upstream's session id and the protocol version negotiated on it.
#[derive(Debug)]
pub struct Continue {
    pub session_id: crate::secrets::Secret,
    pub protocol_version: String,
}

/// Whether an upstream session could be continued: `Ok(true)` it is live, `Ok(false)` the
/// upstream no longer knows it (the connection then starts afresh with the next message, which
/// should be `initialize`), or why the upstream could not be asked.
pub type Continued = tokio::sync::oneshot::Receiver<Result<bool, (crate::model::Fault, String)>>;

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("server {0:?} has no usable upstream: {1}")]
    Misconfigured(String, String),
    #[error("{0}")]
    Client(String),
}

/// Opens a connection to `server`'s upstream. Stdio children start at once; HTTP connects with
/// the first message (which is the client's `initialize`).
///
/// The connection's task runs on `tasks`, so a shutdown can wait until every upstream process
/// has been stopped and reaped.
/// Where a connection's upstream access token comes from, asked before every request.
pub type Bearer = Arc<dyn Fn() -> Option<reqwest::header::HeaderValue> + Send + Sync>;

/// More headers for a connection's HTTP requests, asked before every request (so what they
/// carry can change from one to the next): given the trace id of the client request being
/// forwarded, if the request forwards one, it adds its headers to the map (after the
/// credentials, so its names win).
pub type ExtraHeaders = Arc<dyn Fn(Option<&str>, &mut reqwest::header::HeaderMap) + Send + Sync>;

pub fn connect(
    server: &ServerConfig,
    clients: &Clients,
    tasks: &TaskTracker,
    bearer: Option<Bearer>,
    extra_headers: Option<ExtraHeaders>,
) -> Result<Connection, ConnectError> {
    open(server, clients, tasks, bearer, extra_headers, None)
}

/// [`connect`] to a Streamable HTTP upstream, continuing the upstream session `session` instead
/// of starting one: the connection first asks the upstream with a `ping` on it whether it is
/// still there, and says so on the returned channel.
pub fn connect_continuing(
    server: &ServerConfig,
    clients: &Clients,
    tasks: &TaskTracker,
    bearer: Option<Bearer>,
    extra_headers: Option<ExtraHeaders>,
    session: Continue,
) -> Result<(Connection, Continued), ConnectError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    Ok((open(server, clients, tasks, bearer, extra_headers, Some((session, tx)))?, rx))
}

fn open(
    server: &ServerConfig,
    clients: &Clients,
    tasks: &TaskTracker,
    bearer: Option<Bearer>,
    extra_headers: Option<ExtraHeaders>,
    resume: Option<http::Resume>,
) -> Result<Connection, ConnectError> {
    let (out_tx, out_rx) = mpsc::channel(256);
    let session = Arc::new(OnceLock::new());
    let keep_session = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (in_tx, in_rx) = mpsc::channel(256);
    let shutdown = CancellationToken::new();
    let direct = Arc::new(OnceLock::new());
    match server.transport {
        Transport::Stdio => {
            let env = server.env.clone().map_err(|e| ConnectError::Misconfigured(server.name.clone(), e))?;
            if server.command.is_empty() {
                return Err(ConnectError::Misconfigured(server.name.clone(), "no command".into()));
            }
            let spec = stdio::Spec { server: server.name.clone(), command: server.command.clone(), env };
            tasks.spawn(stdio::run(spec, out_rx, in_tx, shutdown.clone()));
            // A process has no session to continue: it starts afresh.
            if let Some((_, answer)) = resume {
                let _ = answer.send(Ok(false));
            }
        }
        Transport::Http => {
            let url =
                server.url.clone().ok_or_else(|| ConnectError::Misconfigured(server.name.clone(), "no URL".into()))?;
            let url =
                url::Url::parse(&url).map_err(|e| ConnectError::Misconfigured(server.name.clone(), e.to_string()))?;
            let h1 = clients.h1.target(&url);
            let credentials = credentials(server).map_err(|e| ConnectError::Misconfigured(server.name.clone(), e))?;
            let spec = http::Spec {
                server: server.name.clone(),
                url,
                client: clients.http.clone(),
                h1,
                credentials,
                bearer,
                extra_headers,
                session: session.clone(),
                keep_session: keep_session.clone(),
            };
            tasks.spawn(http::run(spec, out_rx, in_tx, shutdown.clone(), direct.clone(), resume));
        }
        Transport::None => {
            let why = "a composed server has no upstream of its own".to_string();
            return Err(ConnectError::Misconfigured(server.name.clone(), why));
        }
    }
    let outbound = Link { tx: out_tx, queued: Arc::new(AtomicUsize::new(0)), direct, session, keep_session };
    Ok(Connection { outbound, inbound: in_rx, shutdown })
}

/// The headers the gateway authenticates to `server`'s upstream with (none unless its
/// `upstream_auth` is `header`), values marked sensitive.
pub(crate) fn credentials(server: &ServerConfig) -> Result<reqwest::header::HeaderMap, String> {
    use reqwest::header::{HeaderName, HeaderValue};
    let mut h = reqwest::header::HeaderMap::new();
    if server.upstream_auth != crate::model::UpstreamAuth::Header {
        return Ok(h);
    }
    let headers = server.upstream_headers.as_ref().map_err(|e| format!("cannot unseal the upstream headers: {e}"))?;
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("invalid header name {name:?}"))?;
        let mut value =
            HeaderValue::from_str(value.expose()).map_err(|_| format!("invalid value for header {name}"))?;
        value.set_sensitive(true);
        h.append(name, value);
    }
    Ok(h)
}

/// The HTTP clients for remote upstreams: reqwest for everything, and `h1` for the requests a
/// forwarding task POSTs to a plain-HTTP upstream itself.
#[derive(Debug, Clone)]
pub struct Clients {
    pub http: reqwest::Client,
    pub h1: h1::Client,
}

impl Clients {
    pub fn new(options: &Options) -> Result<Clients, ConnectError> {
        Ok(Clients { http: http_client(options)?, h1: h1::Client::new(options) })
    }
}

/// The HTTP client used for every upstream: no redirects (SSRF), bounded connect time.
pub fn http_client(options: &Options) -> Result<reqwest::Client, ConnectError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(options.connect_timeout)
        .tcp_nodelay(true)
        .user_agent(options.user_agent.clone())
        .build()
        .map_err(|e| ConnectError::Client(e.to_string()))
}

/// Parses one message from an upstream; logs and drops what is not JSON-RPC.
fn parse(server: &str, bytes: &[u8]) -> Option<Message> {
    match Message::parse(bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
            tracing::warn!(server, error = %e, message = %shown, "upstream sent something that is not JSON-RPC; dropped");
            None
        }
    }
}
