//! Remote upstreams over Streamable HTTP (2025-03-26 and later), falling back to the 2024-11-05
//! HTTP+SSE transport when the first POST is answered 400, 404 or 405 (spec 2025-11-25,
//! basic/transports §Backwards Compatibility).

use std::sync::{Arc, OnceLock};

use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use tokio::sync::{Mutex, mpsc};
use tokio_util::sync::CancellationToken;

use super::replies::Source;
pub use super::replies::{Next, Replies};
use super::sse::Parser;
use super::{Inbound, MAX_MESSAGE_BYTES, Outbound, Queued, error_chain, parse};
use crate::jsonrpc::Message;
use crate::model::Fault;

pub struct Spec {
    pub server: String,
    pub url: url::Url,
    pub client: reqwest::Client,
    /// The way for `Direct::request` when the URL is plain `http` (see `h1`).
    pub h1: Option<super::h1::Target>,
    /// Headers sent with every request (`upstream_auth` `header`); their values are marked
    /// sensitive, so no debug output shows them.
    pub credentials: HeaderMap,
    /// The calling user's (or the shared) upstream access token, read afresh for every request
    /// (`upstream_auth` `oauth`): a refreshed token is used at once.
    pub bearer: Option<super::Bearer>,
    /// More headers, asked for every request (the caller's identity, `server identity`).
    pub extra_headers: Option<super::ExtraHeaders>,
    /// The upstream's session id, set once it named one (`Link::upstream_session`).
    pub session: Arc<OnceLock<crate::secrets::Secret>>,
    /// Set for a gateway restart: the upstream session is not ended (`Link::keep_upstream_session`).
    pub keep_session: Arc<std::sync::atomic::AtomicBool>,
}

/// An upstream session to continue, and where to say whether it could be.
pub type Resume = (super::Continue, tokio::sync::oneshot::Sender<Result<bool, (Fault, String)>>);

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("server", &self.server)
            .field("url", &self.url)
            .field("credentials", &self.credentials)
            .field("bearer", &self.bearer.is_some())
            .field("extra_headers", &self.extra_headers.is_some())
            .finish_non_exhaustive()
    }
}

impl Spec {
    /// The headers that authenticate the gateway (or the user it acts for) to the upstream,
    /// then the extra ones for a request forwarding trace `trace_id`.
    fn auth_headers(&self, trace_id: Option<&str>) -> HeaderMap {
        // Room for what every request adds (`headers`, the trace context, `Host` and
        // `User-Agent`), so the map is not grown header by header.
        let mut h = HeaderMap::with_capacity(self.credentials.len() + 10);
        for (name, value) in &self.credentials {
            h.append(name, value.clone());
        }
        if let Some(value) = self.bearer.as_ref().and_then(|b| b()) {
            h.insert(reqwest::header::AUTHORIZATION, value);
        }
        if let Some(extra) = &self.extra_headers {
            extra(trace_id, &mut h);
        }
        h
    }
}

#[derive(Debug, Default)]
pub(super) struct StreamableState {
    session_id: Option<HeaderValue>,
    protocol_version: Option<HeaderValue>,
}

enum Mode {
    Unknown,
    Streamable(Arc<Mutex<StreamableState>>),
    /// Legacy HTTP+SSE: messages are POSTed to `endpoint`; everything comes back on one stream.
    Legacy {
        endpoint: url::Url,
    },
}

pub async fn run(
    spec: Spec,
    mut outbound: mpsc::Receiver<(Outbound, Queued)>,
    inbound: mpsc::Sender<Inbound>,
    shutdown: CancellationToken,
    direct: Arc<OnceLock<Direct>>,
    resume: Option<Resume>,
) {
    let spec = Arc::new(spec);
    let mut mode = Mode::Unknown;
    if let Some((session, answer)) = resume {
        let (continued, said) = continue_session(&spec, session, &inbound, &shutdown, &direct).await;
        if let Some(state) = continued {
            mode = Mode::Streamable(state);
        }
        let _ = answer.send(said);
    }
    loop {
        // `_queued` counts the message as waiting until it was sent (see `Link::direct`).
        let (msg, _queued) = tokio::select! {
            _ = shutdown.cancelled() => break,
            msg = outbound.recv() => match msg { Some(m) => m, None => break },
        };
        let result = match &mode {
            Mode::Unknown => match first_post(&spec, &msg, &inbound, &shutdown).await {
                Ok(next) => {
                    if let Mode::Streamable(state) = &next {
                        let _ = direct.set(Direct {
                            spec: spec.clone(),
                            state: state.clone(),
                            inbound: inbound.clone(),
                            shutdown: shutdown.clone(),
                        });
                    }
                    mode = next;
                    Ok(())
                }
                Err(e) => Err(e),
            },
            Mode::Streamable(state) => {
                post(&spec, state.clone(), msg, &inbound, &shutdown).await.map_err(|e| (Fault::Upstream, e))
            }
            Mode::Legacy { endpoint } => legacy_post(&spec, endpoint, &msg).await.map_err(|e| (Fault::Upstream, e)),
        };
        if let Err((fault, reason)) = result {
            let _ = inbound.send(Inbound::Lost { reason, restarting: false, fault }).await;
            break;
        }
    }
    // Streamable HTTP: tell the upstream the session is over (spec: DELETE with the session id),
    // unless the gateway restarts and the session continues after it.
    if spec.keep_session.load(std::sync::atomic::Ordering::Acquire) {
        return;
    }
    if let Mode::Streamable(state) = mode {
        let state = state.lock().await;
        if let Some(id) = &state.session_id {
            let delete = spec.client.delete(spec.url.clone()).headers(spec.auth_headers(None));
            let _ = delete.header("mcp-session-id", id.clone()).send().await;
        }
    }
}

const SESSION_ID: HeaderName = HeaderName::from_static("mcp-session-id");
const PROTOCOL_VERSION: HeaderName = HeaderName::from_static("mcp-protocol-version");

pub(super) fn headers(spec: &Spec, state: Option<&StreamableState>, trace_id: Option<&str>) -> HeaderMap {
    let mut h = spec.auth_headers(trace_id);
    h.insert(ACCEPT, HeaderValue::from_static("application/json, text/event-stream"));
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(s) = state {
        if let Some(id) = &s.session_id {
            h.insert(SESSION_ID, id.clone());
        }
        if let Some(v) = &s.protocol_version {
            h.insert(PROTOCOL_VERSION, v.clone());
        }
    }
    h
}

/// The first message (the client's `initialize`) decides the transport.
async fn first_post(
    spec: &Arc<Spec>,
    msg: &Outbound,
    inbound: &mpsc::Sender<Inbound>,
    shutdown: &CancellationToken,
) -> Result<Mode, (Fault, String)> {
    let response = spec
        .client
        .post(spec.url.clone())
        .headers(headers(spec, None, msg.trace_id.as_deref()))
        .body(msg.json.clone())
        .send()
        .await
        .map_err(|e| (Fault::Upstream, format!("cannot reach upstream {}: {}", spec.url, error_chain(&e))))?;
    match response.status() {
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            tracing::info!(server = spec.server, status = %response.status(), "upstream refused Streamable HTTP; trying HTTP+SSE");
            legacy_connect(spec, msg, inbound, shutdown).await.map_err(|e| (Fault::Upstream, e))
        }
        // The upstream wants a credential the gateway does not have, or refuses the one it sent:
        // the configuration's to fix (`mcpcp server upstream-auth`).
        status @ (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => {
            let sent = match (&spec.bearer, spec.credentials.is_empty()) {
                (Some(_), _) => "the user's upstream token",
                (None, true) => "no credential",
                (None, false) => "its configured headers",
            };
            Err((Fault::Operator, format!("upstream {} answered initialize with HTTP {status} to {sent}", spec.url)))
        }
        status if status.is_success() => {
            let named = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok());
            if let Some(id) = named {
                let _ = spec.session.set(crate::secrets::Secret::new(id.to_string()));
            }
            let state = Arc::new(Mutex::new(StreamableState {
                session_id: response.headers().get("mcp-session-id").cloned(),
                protocol_version: None,
            }));
            // The negotiated version is read from the initialize result as it passes.
            let version_state = state.clone();
            let related = msg.request_id.clone();
            let (tap_tx, mut tap_rx) = mpsc::channel::<Inbound>(64);
            let forward = inbound.clone();
            tokio::spawn(async move {
                while let Some(item) = tap_rx.recv().await {
                    if let Inbound::Message { message, .. } = &item
                        && let Some(v) = negotiated_version(message)
                        && let Ok(hv) = HeaderValue::from_str(&v)
                    {
                        version_state.lock().await.protocol_version = Some(hv);
                    }
                    if forward.send(item).await.is_err() {
                        break;
                    }
                }
            });
            read_response(spec, Some(&state), response, related, &tap_tx, shutdown).await;
            Ok(Mode::Streamable(state))
        }
        status => Err((Fault::Upstream, format!("upstream {} answered initialize with HTTP {status}", spec.url))),
    }
}

/// Asks the upstream whether session `session` is still there (a `ping` on it) before the
/// connection continues it: the state to continue with if it is (the direct way and the GET
/// stream set up as after `initialize`), and what to tell the caller (`Ok(false)`: the upstream
/// answered 404 or 400, it no longer knows the session; the connection starts afresh).
async fn continue_session(
    spec: &Arc<Spec>,
    session: super::Continue,
    inbound: &mpsc::Sender<Inbound>,
    shutdown: &CancellationToken,
    direct: &Arc<OnceLock<Direct>>,
) -> (Option<Arc<Mutex<StreamableState>>>, Result<bool, (Fault, String)>) {
    let (Ok(id), Ok(version)) =
        (HeaderValue::from_str(session.session_id.expose()), HeaderValue::from_str(&session.protocol_version))
    else {
        return (None, Ok(false));
    };
    let state = StreamableState { session_id: Some(id), protocol_version: Some(version) };
    let h = headers(spec, Some(&state), None);
    let ping = r#"{"jsonrpc":"2.0","id":"mcpcp-continue","method":"ping"}"#;
    let sent = spec.client.post(spec.url.clone()).headers(h.clone()).body(ping).send();
    let response = match tokio::time::timeout(std::time::Duration::from_secs(30), sent).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            return (None, Err((Fault::Upstream, format!("cannot reach upstream {}: {}", spec.url, error_chain(&e)))));
        }
        Err(_) => return (None, Err((Fault::Upstream, format!("upstream {} did not answer in 30 s", spec.url)))),
    };
    match response.status() {
        StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST => return (None, Ok(false)),
        status @ (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => {
            return (None, Err((Fault::Operator, format!("upstream {} answered HTTP {status}", spec.url))));
        }
        status if !status.is_success() => {
            return (None, Err((Fault::Upstream, format!("upstream {} answered HTTP {status}", spec.url))));
        }
        _ => {}
    }
    // The answer to the ping is of no interest; read it to its end (it may be a short stream).
    let mut replies = Replies::new(spec, None, Source::Reqwest(response), shutdown, Some("\"mcpcp-continue\""));
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(next) = replies.next().await {
            if matches!(next, Next::Message(..)) {
                break;
            }
        }
    })
    .await;
    let _ = spec.session.set(session.session_id);
    let state = Arc::new(Mutex::new(state));
    let _ = direct.set(Direct {
        spec: spec.clone(),
        state: state.clone(),
        inbound: inbound.clone(),
        shutdown: shutdown.clone(),
    });
    tokio::spawn(get_stream(spec.clone(), h, inbound.clone(), shutdown.clone()));
    (Some(state), Ok(true))
}

fn negotiated_version(m: &Message) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Init {
        #[serde(rename = "protocolVersion")]
        protocol_version: String,
    }
    let r = m.result.as_deref()?;
    serde_json::from_str::<Init>(r.get()).ok().map(|i| i.protocol_version)
}

async fn post(
    spec: &Arc<Spec>,
    state: Arc<Mutex<StreamableState>>,
    msg: Outbound,
    inbound: &mpsc::Sender<Inbound>,
    shutdown: &CancellationToken,
) -> Result<(), String> {
    let mut h = headers(spec, Some(&*state.lock().await), msg.trace_id.as_deref());
    if let Some(trace) = &msg.trace {
        trace.apply(&mut h);
    }
    let has_session = h.contains_key(SESSION_ID);
    let is_initialized = msg.method.as_deref() == Some("notifications/initialized");
    // Only the GET stream opened after `notifications/initialized` needs the headers again.
    let get_headers = is_initialized.then(|| h.clone());
    let request = spec.client.post(spec.url.clone()).headers(h).body(msg.json);
    if msg.request_id.is_none() {
        // Notifications and responses are acknowledged at once; send them in order.
        let response =
            request.send().await.map_err(|e| format!("cannot reach upstream {}: {}", spec.url, error_chain(&e)))?;
        if response.status() == StatusCode::NOT_FOUND && has_session {
            return Err("the upstream ended its session".into());
        }
        if !response.status().is_success() {
            tracing::warn!(server = spec.server, status = %response.status(), "upstream refused a notification");
        }
        if let Some(h) = get_headers {
            tokio::spawn(get_stream(spec.clone(), h, inbound.clone(), shutdown.clone()));
        }
        return Ok(());
    }
    // Requests may take long: answer on their own task so others are not held up.
    let spec = spec.clone();
    let inbound = inbound.clone();
    let shutdown = shutdown.clone();
    let related = msg.request_id;
    tokio::spawn(async move {
        match request.send().await {
            Ok(response) if response.status() == StatusCode::NOT_FOUND && has_session => {
                let _ = inbound
                    .send(Inbound::Lost {
                        reason: "the upstream ended its session".into(),
                        restarting: false,
                        fault: Fault::Upstream,
                    })
                    .await;
            }
            Ok(response) => read_response(&spec, Some(&state), response, related, &inbound, &shutdown).await,
            Err(e) => {
                let reason = format!("cannot reach upstream {}: {}", spec.url, error_chain(&e));
                let _ = inbound.send(Inbound::Lost { reason, restarting: false, fault: Fault::Upstream }).await;
            }
        }
    });
    Ok(())
}

/// A Streamable HTTP upstream whose transport is known: a request can be POSTed by the task that
/// forwards it, which then reads the answer itself (see `Link::direct`).
pub struct Direct {
    spec: Arc<Spec>,
    state: Arc<Mutex<StreamableState>>,
    inbound: mpsc::Sender<Inbound>,
    shutdown: CancellationToken,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Direct").field("server", &self.spec.server).finish_non_exhaustive()
    }
}

impl Direct {
    /// Where the rest of a response's messages go: the session's inbound queue.
    pub fn inbound(&self) -> mpsc::Sender<Inbound> {
        self.inbound.clone()
    }

    /// POSTs a request. Returns what the upstream sends back on its response, or `None` when the
    /// connection was lost (reported to the session as [`Inbound::Lost`], which answers every
    /// request in flight). `waiting` runs after the first poll of the exchange, which sends the
    /// request on a connection that takes it at once: the caller's work overlaps the upstream's.
    /// `request_id` is the request's id as sent upstream (raw JSON): an HTTP error without a
    /// JSON-RPC body is answered with an error for it at once.
    /// `trace_id` is the trace of the client request it forwards; `trace` its context headers.
    pub async fn request(
        &self,
        json: String,
        request_id: &str,
        trace_id: Option<&str>,
        trace: Option<&super::TraceHeaders>,
        waiting: impl FnOnce(),
    ) -> Option<Replies> {
        let (mut h, has_session) = {
            let state = self.state.lock().await;
            (headers(&self.spec, Some(&state), trace_id), state.session_id.is_some())
        };
        if let Some(trace) = trace {
            trace.apply(&mut h);
        }
        let exchange = async {
            match &self.spec.h1 {
                Some(target) => target.post(h, json).await.map(Source::H1),
                None => match self.spec.client.post(self.spec.url.clone()).headers(h).body(json).send().await {
                    Ok(response) => Ok(Source::Reqwest(response)),
                    Err(e) => Err(error_chain(&e)),
                },
            }
        };
        // `join` polls the exchange first, then runs `waiting` to its end.
        let (sent, ()) = futures_util::future::join(exchange, async { waiting() }).await;
        let lost = match sent {
            Ok(source) if source.status() == StatusCode::NOT_FOUND && has_session => {
                "the upstream ended its session".to_string()
            }
            Ok(source) => {
                return Some(Replies::new(&self.spec, Some(&self.state), source, &self.shutdown, Some(request_id)));
            }
            Err(e) => format!("cannot reach upstream {}: {e}", self.spec.url),
        };
        let _ = self.inbound.send(Inbound::Lost { reason: lost, restarting: false, fault: Fault::Upstream }).await;
        None
    }
}

/// Reads one POST response: JSON, an SSE stream, or an error status.
async fn read_response(
    spec: &Arc<Spec>,
    state: Option<&Arc<Mutex<StreamableState>>>,
    response: reqwest::Response,
    related: Option<String>,
    inbound: &mpsc::Sender<Inbound>,
    shutdown: &CancellationToken,
) {
    Replies::new(spec, state, Source::Reqwest(response), shutdown, related.as_deref())
        .forward_rest(related, inbound.clone())
        .await;
}

/// The standalone GET stream for server-initiated messages. 405 means the upstream offers none.
async fn get_stream(spec: Arc<Spec>, mut h: HeaderMap, inbound: mpsc::Sender<Inbound>, shutdown: CancellationToken) {
    h.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
    h.remove(CONTENT_TYPE);
    let response = tokio::select! {
        _ = shutdown.cancelled() => return,
        r = spec.client.get(spec.url.clone()).headers(h).send() => r,
    };
    match response {
        Ok(r) if r.status().is_success() => {
            Replies::new(&spec, None, Source::Reqwest(r), &shutdown, None).forward_rest(None, inbound).await
        }
        Ok(r) => tracing::debug!(server = spec.server, status = %r.status(), "upstream has no GET stream"),
        Err(e) => tracing::debug!(server = spec.server, error = %e, "upstream GET stream failed"),
    }
}

/// Legacy HTTP+SSE: open the event stream, wait for the `endpoint` event, then POST there.
async fn legacy_connect(
    spec: &Arc<Spec>,
    first: &Outbound,
    inbound: &mpsc::Sender<Inbound>,
    shutdown: &CancellationToken,
) -> Result<Mode, String> {
    let response = spec
        .client
        .get(spec.url.clone())
        .headers(spec.auth_headers(first.trace_id.as_deref()))
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
        .map_err(|e| format!("cannot reach upstream {}: {}", spec.url, error_chain(&e)))?;
    if !response.status().is_success() {
        return Err(format!(
            "upstream {} speaks neither Streamable HTTP nor HTTP+SSE (GET: HTTP {})",
            spec.url,
            response.status()
        ));
    }
    let mut parser = Parser::new(MAX_MESSAGE_BYTES);
    let mut stream = response.bytes_stream();
    let endpoint = loop {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.next())
            .await
            .map_err(|_| "upstream HTTP+SSE stream sent no endpoint event within 10 s".to_string())?;
        let Some(Ok(chunk)) = chunk else {
            return Err("upstream HTTP+SSE stream closed before its endpoint event".into());
        };
        let events = parser.feed(&chunk).map_err(|e| e.to_string())?;
        if let Some(e) = events.into_iter().find(|e| e.event.as_deref() == Some("endpoint")) {
            break e.data;
        }
    };
    let endpoint =
        spec.url.join(endpoint.trim()).map_err(|e| format!("upstream sent a bad endpoint {endpoint:?}: {e}"))?;
    // The endpoint must stay on the upstream's origin: a stream must not redirect our POSTs.
    if endpoint.origin() != spec.url.origin() {
        return Err(format!("upstream endpoint {endpoint} is on another origin"));
    }
    let server = spec.server.clone();
    let inbound = inbound.clone();
    let shutdown = shutdown.clone();
    tokio::spawn(async move {
        loop {
            let chunk = tokio::select! {
                _ = shutdown.cancelled() => return,
                c = stream.next() => c,
            };
            let Some(Ok(chunk)) = chunk else {
                let _ = inbound
                    .send(Inbound::Lost {
                        reason: "upstream HTTP+SSE stream closed".into(),
                        restarting: false,
                        fault: Fault::Upstream,
                    })
                    .await;
                return;
            };
            let Ok(events) = parser.feed(&chunk) else { return };
            for e in events {
                if e.data.is_empty() || !matches!(e.event.as_deref(), None | Some("message")) {
                    continue;
                }
                if let Some(message) = parse(&server, e.data.as_bytes())
                    && inbound.send(Inbound::Message { message, related: None, streamed: true }).await.is_err()
                {
                    return;
                }
            }
        }
    });
    legacy_post(spec, &endpoint, first).await?;
    Ok(Mode::Legacy { endpoint })
}

async fn legacy_post(spec: &Arc<Spec>, endpoint: &url::Url, msg: &Outbound) -> Result<(), String> {
    let response = spec
        .client
        .post(endpoint.clone())
        .headers(spec.auth_headers(msg.trace_id.as_deref()))
        .header(CONTENT_TYPE, "application/json")
        .body(msg.json.clone())
        .send()
        .await
        .map_err(|e| format!("cannot reach upstream {endpoint}: {}", error_chain(&e)))?;
    if !response.status().is_success() {
        return Err(format!("upstream {endpoint} refused a message: HTTP {}", response.status()));
    }
    Ok(())
}
