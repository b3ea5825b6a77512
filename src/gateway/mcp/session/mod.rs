//! Gateway sessions: one per connected MCP client, each with its own upstream connection.
//!
//! A session remaps JSON-RPC ids in both directions (downstream ids are kept per request and
//! restored on the way back; upstream-originated requests get ids minted here), routes what the
//! upstream sends to the right HTTP stream, and enforces tool state on the way through.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

mod bridge;
mod composed;
mod forward;
mod identity;
mod inbound;
mod openapi;
mod own;
mod resumed;
mod stored;
mod unlinked;

use super::super::Shared;
use super::super::workers::AnswerTimes;
pub use super::reply::{Final, Item, Reply};
use crate::jsonrpc::{self, Message};
use crate::model::Fault;
use crate::policy::{Grant, Principal};
use crate::upstream::{self, Outbound};
pub use bridge::{BRIDGE_VERSION, open_bridge};
pub use forward::{Exchange, list_tools};
use inbound::dispatch;
use own::own_initialize;
pub(crate) use resumed::resume;
pub use stored::{Setup, Stored};
pub use unlinked::Unlinked;
pub(crate) use unlinked::linked;

/// What a client declared it can do (`initialize` params.capabilities).
#[derive(Debug, Clone, Default)]
pub struct ClientCaps {
    pub sampling: bool,
    pub elicitation: bool,
    /// URL-mode elicitation (2025-11-25: `elicitation.url`).
    pub elicitation_url: bool,
    pub roots: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub name: Option<String>,
    pub version: Option<String>,
}

struct Pending {
    /// The downstream request id, raw JSON text.
    downstream_id: String,
    method: String,
    progress_token: Option<String>,
    to_client: Option<mpsc::Sender<Item>>,
    /// Set for the gateway's own requests.
    internal: Option<oneshot::Sender<Result<Message, Lost>>>,
    started: Instant,
    seq: u64,
}

#[derive(Default)]
struct State {
    /// Requests sent upstream and not yet answered, by upstream id (raw JSON text).
    pending: HashMap<String, Pending>,
    /// progressToken (raw JSON text) -> upstream request id.
    progress: HashMap<String, String>,
    /// Requests the upstream sent to the client: id minted for the client -> upstream id.
    to_client: HashMap<String, String>,
    get_stream: Option<mpsc::Sender<Item>>,
    seq: u64,
}

/// One client's session.
pub struct Session {
    pub id: String,
    pub server_id: i64,
    pub server_name: String,
    pub principal: Principal,
    protocol_version: std::sync::OnceLock<String>,
    pub caps: ClientCaps,
    pub client: ClientInfo,
    /// Legacy HTTP+SSE (2024-11-05): every message goes to the one event stream.
    pub legacy: bool,
    /// The connection to the upstream: made at `initialize`, or, for a session that waits for
    /// its principal to link an upstream account, when the first request after the link needs it.
    upstream: tokio::sync::OnceCell<Upstream>,
    /// Set while the session has no upstream connection because its user has not linked an
    /// upstream account yet (the gateway answers for it meanwhile).
    unlinked: Option<Box<Unlinked>>,
    /// Set for a composed server's session, which has no upstream of its own: its sessions with
    /// the source servers of its tools.
    sources: Option<Box<composed::Sources>>,
    state: Mutex<State>,
    next_id: AtomicU64,
    next_client_id: AtomicU64,
    /// Cancelled when the session ends: streams close, the upstream connection closes.
    pub closed: CancellationToken,
    last_used: Mutex<Instant>,
    /// How fast the upstream answers (shared by the server's sessions), for the busy polling.
    answer_times: Arc<AnswerTimes>,
    /// Calls carry the principal's linked upstream account (`upstream_auth` `oauth`): its token
    /// is refreshed when due and a refused one retried once. Fixed for the session's life (a
    /// change of the server's upstream settings ends its sessions).
    linked_account: bool,
    /// Who calls, as the upstream is told it (`server identity`).
    caller: Arc<identity::Caller>,
    /// The answer streams a client can resume (`resume.rs`).
    pub streams: super::resume::Streams,
    shared: Arc<Shared>,
    /// Set for a session resumed after a restart: how to connect its upstream again.
    resumed: Option<Box<resumed::Resumed>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("id", &self.id).field("server", &self.server_name).finish_non_exhaustive()
    }
}

/// A session's connection to its upstream.
struct Upstream {
    outbound: upstream::Link,
    shutdown: CancellationToken,
}

/// All live sessions.
#[derive(Debug, Default)]
pub struct Sessions {
    map: RwLock<HashMap<String, Arc<Session>>>,
    /// The bytes every session's resumable streams hold (`resume.rs`).
    buffered: Arc<std::sync::atomic::AtomicUsize>,
    /// The sessions' rows, kept across a restart (`stored.rs`).
    stored: stored::Stored,
}

impl Sessions {
    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        self.map.read().ok()?.get(id).cloned()
    }

    /// A new session (its client's `initialize` was answered), stored to survive a restart.
    fn insert(&self, session: Arc<Session>, init: &Message, server: &crate::policy::ServerConfig) {
        self.stored.created(&session, init, server, session.shared.clock.now());
        if let Ok(mut map) = self.map.write() {
            map.insert(session.id.clone(), session);
        }
    }

    pub fn remove(&self, id: &str) -> Option<Arc<Session>> {
        self.map.write().ok()?.remove(id)
    }

    pub fn all(&self) -> Vec<Arc<Session>> {
        self.map.read().map(|m| m.values().cloned().collect()).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.map.read().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ends a session: its streams close and its upstream connection is shut.
    pub fn close(&self, id: &str, why: &str) {
        if let Some(s) = self.remove(id) {
            tracing::info!(session = id, server = s.server_name, why, "session closed");
            self.stored.ended(&s);
            s.shutdown();
        }
    }
}

/// A fresh session id: 32 random bytes, hex (visible ASCII, spec 2025-11-25 §Session Management).
fn new_session_id() -> Result<String, String> {
    let bytes: [u8; 32] = crate::secrets::random_bytes().map_err(|e| e.to_string())?;
    Ok(crate::secrets::hex(&bytes))
}

#[derive(Deserialize)]
struct InitParams<'a> {
    #[serde(default, borrow)]
    capabilities: Option<&'a RawValue>,
    #[serde(default, rename = "clientInfo")]
    client_info: Option<NameVersion>,
}

#[derive(Deserialize)]
struct NameVersion {
    name: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize)]
struct Caps {
    sampling: Option<serde::de::IgnoredAny>,
    elicitation: Option<Elicitation>,
    roots: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Elicitation {
    url: Option<serde::de::IgnoredAny>,
}

/// The outcome of a client's `initialize`.
#[derive(Debug)]
pub enum Started {
    /// A session and the response to send (carrying `Mcp-Session-Id`).
    Session(Arc<Session>, Final),
    /// The upstream refused or failed: the JSON-RPC error response to send; no session.
    Refused(Final),
}

/// How long the upstream gets to answer `initialize` (a stdio server may need to start first).
const INITIALIZE_TIMEOUT: Duration = Duration::from_secs(60);

/// A legacy HTTP+SSE client's event stream, opened before its `initialize`.
#[derive(Debug)]
pub struct LegacyStream {
    pub id: String,
    pub tx: mpsc::Sender<Item>,
}

/// Why the upstream will not answer: whose fault, and the whole story (for the log and record).
#[derive(Debug, Clone)]
pub struct Lost {
    pub fault: Fault,
    pub reason: String,
}

impl Lost {
    fn upstream(reason: &str) -> Lost {
        Lost { fault: Fault::Upstream, reason: reason.to_string() }
    }
}

/// Starts a session for `grant` from the client's `initialize` request (of trace `trace_id`). A
/// user who has not linked their account at the upstream of a server that needs one gets a
/// session all the same, answered by the gateway until they link it (see [`Unlinked`]).
pub async fn start(
    shared: &Arc<Shared>,
    grant: &Grant,
    init: &Message,
    legacy: Option<LegacyStream>,
    trace_id: &str,
) -> Started {
    open(shared, grant, init, legacy, trace_id, false).await
}

/// Starts a session (see [`start`]). A `source` session is a composed session's with the source
/// server of a tool: it is kept by that session only (not among the gateway's sessions, which
/// clients reach), and its client is said to declare no capabilities, so the upstream's requests
/// to the client are refused.
async fn open(
    shared: &Arc<Shared>,
    grant: &Grant,
    init: &Message,
    legacy: Option<LegacyStream>,
    trace_id: &str,
    source: bool,
) -> Started {
    let client_id = init.id_text().to_string();
    let server = grant.server();
    let failed = |fault, reason: &str, detail: String| {
        tracing::warn!(server = server.name, detail, "{reason}");
        Started::Refused(Final::failed(&client_id, &server.name, fault, reason, detail))
    };
    let linked_account = server.upstream_auth == crate::model::UpstreamAuth::Oauth;
    let unlinked = linked_account
        && grant.principal().user_id().is_some()
        && shared.live.load().connection(server.id, grant.principal().user_id()).is_none();
    let caller = identity::Caller::new(shared, server, grant.principal());
    let is_composed = server.composed.is_some();
    let is_openapi = server.openapi.is_some();
    let conn = if unlinked || is_composed || is_openapi {
        None
    } else {
        if linked_account {
            crate::gateway::oauth::ensure_fresh(shared, server.id, grant.principal().user_id()).await;
        }
        let bearer = upstream_bearer(shared, grant);
        match upstream::connect(server, &shared.http, &shared.upstreams, bearer, Some(caller.headers_hook())) {
            Ok(c) => Some(c),
            Err(e) => return failed(Fault::Operator, "the upstream is not set up to be reached", e.to_string()),
        }
    };
    let (id, get_stream) = match legacy {
        Some(l) => (l.id, Some(l.tx)),
        None => match new_session_id() {
            Ok(id) => (id, None),
            Err(e) => return failed(Fault::Internal, "cannot create a session id", e),
        },
    };
    let legacy = get_stream.is_some();
    let (caps, client) = client_of(init);
    let caps = if source { ClientCaps::default() } else { caps };
    let unlinked = match unlinked {
        true => match Unlinked::new(init) {
            Ok(u) => Some(Box::new(u)),
            Err(e) => return failed(Fault::Internal, "cannot create an elicitation id", e),
        },
        false => None,
    };
    let sources = is_composed.then(|| Box::new(composed::Sources::new(init)));
    let upstream = tokio::sync::OnceCell::new();
    let inbound = conn.map(|c| {
        let _ = upstream.set(Upstream { outbound: c.outbound, shutdown: c.shutdown });
        c.inbound
    });
    let session = Arc::new(Session {
        id,
        server_id: server.id,
        server_name: server.name.clone(),
        principal: grant.principal().clone(),
        protocol_version: std::sync::OnceLock::new(),
        caps,
        client,
        legacy,
        upstream,
        unlinked,
        sources,
        state: Mutex::new(State { get_stream, ..State::default() }),
        next_id: AtomicU64::new(1),
        next_client_id: AtomicU64::new(1),
        closed: CancellationToken::new(),
        last_used: Mutex::new(Instant::now()),
        answer_times: shared.answer_times(server.id),
        linked_account,
        caller,
        streams: super::resume::Streams::default(),
        shared: shared.clone(),
        resumed: None,
    });
    let Some(inbound) = inbound else {
        let (version, answer) = match (is_composed, is_openapi && session.unlinked.is_none()) {
            (true, _) => composed::initialize(&session, init),
            (false, true) => openapi::initialize(&session, init),
            (false, false) => unlinked::initialize(&session, init),
        };
        let _ = session.protocol_version.set(version);
        if source {
            return Started::Session(session, Final::answer(answer, false));
        }
        end_least_recently_used(shared, &session);
        shared.sessions.insert(session.clone(), init, server);
        return Started::Session(session, Final::answer(answer, false));
    };
    tokio::spawn(dispatch(session.clone(), inbound));

    let Some(link) = session.upstream.get().map(|u| u.outbound.clone()) else {
        return failed(Fault::Internal, "the session lost its upstream", String::new());
    };
    let answer =
        tokio::time::timeout(INITIALIZE_TIMEOUT, session.internal_request_on(&link, init, Some(trace_id))).await;
    let response = match answer {
        Ok(Ok(r)) => r,
        Ok(Err(lost)) => {
            session.shutdown();
            return failed(lost.fault, "the upstream is unavailable", lost.reason);
        }
        Err(_) => {
            session.shutdown();
            let waited = format!("no answer to initialize within {} s", INITIALIZE_TIMEOUT.as_secs());
            return failed(Fault::Upstream, "the upstream did not answer initialize in time", waited);
        }
    };
    if response.error.is_some() || response.result.is_none() {
        session.shutdown();
        return Started::Refused(Final::answer(response.with_id(&client_id), false));
    }
    let _ = session.protocol_version.set(negotiated_version(&response));
    if source {
        return Started::Session(session.clone(), Final::answer(response.with_id(&client_id), false));
    }
    end_least_recently_used(shared, &session);
    shared.sessions.insert(session.clone(), init, server);
    Started::Session(session.clone(), Final::answer(response.with_id(&client_id), false))
}

/// The protocol version an upstream's answer to `initialize` names.
fn negotiated_version(response: &Message) -> String {
    #[derive(Deserialize)]
    struct InitResult {
        #[serde(rename = "protocolVersion")]
        protocol_version: String,
    }
    response
        .result
        .as_deref()
        .and_then(|r| serde_json::from_str::<InitResult>(r.get()).ok())
        .map(|r| r.protocol_version)
        .unwrap_or_default()
}

/// For a server whose users sign in upstream: the principal's linked account's token (see
/// [`upstream_bearer_for`]).
fn upstream_bearer(shared: &Arc<Shared>, grant: &Grant) -> Option<upstream::Bearer> {
    let server = grant.server();
    (server.upstream_auth == crate::model::UpstreamAuth::Oauth)
        .then(|| upstream_bearer_for(shared, server.id, grant.principal().user_id()))
}

/// The linked account's token of `user_id` (`None`: the shared one) at a server's upstream,
/// read from the live snapshot before every request (a refreshed or relinked token applies at
/// once). A user's session carries that user's token only; an API token's, the shared one.
fn upstream_bearer_for(shared: &Arc<Shared>, server_id: i64, user_id: Option<i64>) -> upstream::Bearer {
    let live = shared.live.clone();
    Arc::new(move || live.load().connection(server_id, user_id).and_then(|c| c.authorization.clone()))
}

/// Makes room for `new`: a principal keeps at most `limits.sessions_per_principal` sessions on a
/// server, so a client that never ends its sessions cannot pile up upstream processes. The least
/// recently used ones go; their clients get 404 and may initialize again.
fn end_least_recently_used(shared: &Arc<Shared>, new: &Session) {
    let mut theirs: Vec<Arc<Session>> = shared
        .sessions
        .all()
        .into_iter()
        .filter(|s| s.server_id == new.server_id && s.principal == new.principal)
        .collect();
    let keep = shared.limits.sessions_per_principal.saturating_sub(1);
    if theirs.len() <= keep {
        return;
    }
    theirs.sort_by_key(|s| std::cmp::Reverse(s.idle_for()));
    for old in &theirs[..theirs.len() - keep] {
        shared.end_session(&old.id, "too many sessions for this principal");
    }
}

impl Session {
    /// Marks the session used now (for idle expiry).
    pub fn touch(&self) {
        if let Ok(mut t) = self.last_used.lock() {
            *t = Instant::now();
        }
    }

    pub fn idle_for(&self) -> Duration {
        self.last_used.lock().map(|t| t.elapsed()).unwrap_or_default()
    }

    /// The bytes every session's resumable streams hold, together.
    pub(crate) fn buffered_total(&self) -> Arc<std::sync::atomic::AtomicUsize> {
        self.shared.sessions.buffered.clone()
    }

    /// Whether the session is connected to its upstream (a session whose user has not linked
    /// their upstream account yet is not).
    pub fn connected(&self) -> bool {
        self.upstream.get().is_some()
    }

    /// The negotiated protocol version.
    pub fn version(&self) -> &str {
        self.protocol_version.get().map_or("", String::as_str)
    }

    /// Ends the session's streams and upstream connection.
    pub fn shutdown(&self) {
        self.closed.cancel();
        for source in self.sources.as_ref().map(|s| s.open()).unwrap_or_default() {
            source.shutdown();
        }
        if let Some(u) = self.upstream.get() {
            u.shutdown.cancel();
        }
        if let Ok(mut st) = self.state.lock() {
            st.get_stream = None;
            st.pending.clear();
        }
    }

    fn next_upstream_id(&self) -> String {
        self.next_id.fetch_add(1, Ordering::Relaxed).to_string()
    }

    /// The way to the upstream, connecting first if the session waited for a linked account or
    /// was resumed after a restart (one connection however many requests ask at once). `None`:
    /// the session's user has still not linked their account.
    async fn outbound(self: &Arc<Self>) -> Option<Result<&upstream::Link, Lost>> {
        if let Some(u) = self.upstream.get() {
            return Some(Ok(&u.outbound));
        }
        if self.linked_account {
            self.shared.live.load().connection(self.server_id, self.principal.user_id())?;
        }
        Some(self.upstream.get_or_try_init(|| resumed::connect(self)).await.map(|u| &u.outbound))
    }

    /// Sends a request of the gateway's own and waits for the answer.
    async fn internal_request(self: &Arc<Self>, msg: &Message) -> Result<Message, Lost> {
        let link = match self.outbound().await {
            Some(link) => link?,
            None => return Err(Lost::upstream("the user has not linked an upstream account")),
        };
        self.internal_request_on(link, msg, None).await
    }

    /// `msg` as sent upstream: with the upstream's id, and `params._meta["io.mcpcp/identity"]`
    /// set when `server` forwards it, else removed (a client cannot forge it). `trace_id` is the
    /// trace of the client request it forwards.
    fn upstream_json(
        &self,
        msg: &Message,
        id: &str,
        server: Option<&crate::policy::ServerConfig>,
        trace_id: Option<&str>,
        traceparent: Option<&str>,
    ) -> String {
        let meta = server.and_then(|s| self.caller.meta(s, trace_id));
        // The call's trace context for every upstream, stdio included (2026-07-28, SEP-414):
        // the call's span as the parent, replacing the one the client sent.
        let traceparent = traceparent.map(|t| {
            let mut quoted = String::with_capacity(t.len() + 2);
            quoted.push('"');
            quoted.push_str(t);
            quoted.push('"');
            quoted
        });
        let members = [(crate::model::META_KEY, meta.as_deref()), ("traceparent", traceparent.as_deref())];
        let members = if traceparent.is_some() { &members[..] } else { &members[..1] };
        msg.with_id_and_meta(id, members)
    }

    /// Sends a request of the gateway's own (or the client's initialize, of trace `trace_id`) on
    /// `link` and waits for the answer.
    async fn internal_request_on(
        &self,
        link: &upstream::Link,
        msg: &Message,
        trace_id: Option<&str>,
    ) -> Result<Message, Lost> {
        let id = self.next_upstream_id();
        let (tx, rx) = oneshot::channel();
        self.register(
            &id,
            Pending {
                downstream_id: msg.id_text().to_string(),
                method: msg.method().to_string(),
                progress_token: None,
                to_client: None,
                internal: Some(tx),
                started: Instant::now(),
                seq: 0,
            },
        );
        let server = self.shared.live.load().server(&self.server_name).cloned();
        let json = self.upstream_json(msg, &id, server.as_deref(), trace_id, None);
        let out = Outbound {
            json,
            request_id: Some(id.clone()),
            method: msg.method.clone(),
            trace: None,
            trace_id: trace_id.map(String::from),
        };
        if link.send(out).await.is_err() {
            self.unregister(&id);
            return Err(Lost::upstream("the upstream connection is closed"));
        }
        rx.await.unwrap_or_else(|_| Err(Lost::upstream("the upstream connection closed before answering")))
    }

    fn register(&self, id: &str, mut pending: Pending) {
        if let Ok(mut st) = self.state.lock() {
            st.seq += 1;
            pending.seq = st.seq;
            if let Some(token) = &pending.progress_token {
                st.progress.insert(token.clone(), id.to_string());
            }
            st.pending.insert(id.to_string(), pending);
        }
    }

    fn unregister(&self, id: &str) -> Option<Pending> {
        let mut st = self.state.lock().ok()?;
        let p = st.pending.remove(id)?;
        if let Some(token) = &p.progress_token {
            st.progress.remove(token);
        }
        Some(p)
    }

    /// Attaches the client's standalone GET stream. Only one at a time (409 otherwise).
    pub fn attach_get_stream(&self) -> Option<mpsc::Receiver<Item>> {
        let mut st = self.state.lock().ok()?;
        if st.get_stream.as_ref().is_some_and(|s| !s.is_closed()) {
            return None;
        }
        let (tx, rx) = mpsc::channel(256);
        st.get_stream = Some(tx);
        Some(rx)
    }

    /// Creates a fresh session id (for legacy streams, which name the session before it starts).
    pub fn new_id() -> Option<String> {
        new_session_id().ok()
    }

    /// Sends a message to the client on the stream unrelated messages take (the GET stream, else
    /// the newest request stream), if one is open.
    pub fn notify(&self, json: String) {
        if let Some(tx) = self.stream_for(None) {
            let _ = tx.try_send(Item::Message(json));
        }
    }

    /// Sends a message to the client on the GET stream, if one is open.
    pub fn notify_client(&self, json: String) {
        let tx = self.state.lock().ok().and_then(|st| st.get_stream.clone());
        if let Some(tx) = tx {
            let _ = tx.try_send(Item::Message(json));
        }
    }

    /// Requests that waited longer than `limit` (a composed session's: in its sessions with
    /// source servers): answer the client with an error and tell the upstream to stop.
    pub async fn expire_requests(&self, limit: Duration) {
        self.expire_own_requests(limit).await;
        for source in self.sources.as_ref().map(|s| s.open()).unwrap_or_default() {
            source.expire_own_requests(limit).await;
        }
    }

    async fn expire_own_requests(&self, limit: Duration) {
        let expired: Vec<(String, Pending)> = match self.state.lock() {
            Ok(mut st) => {
                let ids: Vec<String> =
                    st.pending.iter().filter(|(_, p)| p.started.elapsed() > limit).map(|(id, _)| id.clone()).collect();
                ids.into_iter()
                    .filter_map(|id| {
                        let p = st.pending.remove(&id)?;
                        if let Some(t) = &p.progress_token {
                            st.progress.remove(t);
                        }
                        Some((id, p))
                    })
                    .collect()
            }
            Err(_) => Vec::new(),
        };
        for (id, p) in expired {
            let message = format!("the upstream did not answer within {} s", limit.as_secs());
            if let Some(tx) = p.to_client {
                let failed = Final::failed(&p.downstream_id, &self.server_name, Fault::Upstream, &message, &message);
                let _ = tx.try_send(Item::Final(failed));
            }
            let params = format!("{{\"requestId\":{id},\"reason\":\"timeout\"}}");
            let json = jsonrpc::notification("notifications/cancelled", Some(&params));
            if let Some(u) = self.upstream.get() {
                let out = Outbound::new(json, None, Some("notifications/cancelled".into()));
                let _ = u.outbound.send(out).await;
            }
        }
    }

    /// The stream an unrelated upstream message goes to: the GET stream, else the newest open
    /// request stream (legacy sessions have only the one stream).
    fn unrelated_stream(st: &State) -> Option<mpsc::Sender<Item>> {
        if let Some(tx) = st.get_stream.as_ref().filter(|t| !t.is_closed()) {
            return Some(tx.clone());
        }
        st.pending
            .values()
            .filter_map(|p| p.to_client.as_ref().map(|t| (p.seq, t)))
            .filter(|(_, t)| !t.is_closed())
            .max_by_key(|(seq, _)| *seq)
            .map(|(_, t)| t.clone())
    }

    fn stream_for(&self, related: Option<&str>) -> Option<mpsc::Sender<Item>> {
        let st = self.state.lock().ok()?;
        if self.legacy {
            return st.get_stream.clone();
        }
        if let Some(tx) =
            related.and_then(|r| st.pending.get(r)).and_then(|p| p.to_client.clone()).filter(|t| !t.is_closed())
        {
            return Some(tx);
        }
        Self::unrelated_stream(&st)
    }

    /// A composed session under a new snapshot: its sessions with source servers that were
    /// deleted, disabled or whose upstream settings changed end (the next call opens a new one).
    /// Whether the tools it offers changed (its client is then told the list changed).
    pub fn compose_again(&self, previous: &crate::snapshot::Snapshot, current: &crate::snapshot::Snapshot) -> bool {
        let Some(sources) = &self.sources else { return false };
        for open in sources.open() {
            let before = previous.servers().find(|s| s.id == open.server_id);
            let after = current.servers().find(|s| s.id == open.server_id);
            let stale = match (before, after) {
                (_, None) => true,
                (_, Some(a)) if !a.enabled => true,
                (Some(b), Some(a)) => !b.same_upstream(a),
                (None, Some(_)) => false,
            };
            if stale {
                sources.end(open.server_id);
            }
        }
        let catalogue = |snapshot: &crate::snapshot::Snapshot| {
            let server = snapshot.servers().find(|s| s.id == self.server_id);
            server.and_then(|s| s.composed.as_ref()).map(|c| c.catalogue.clone())
        };
        catalogue(previous) != catalogue(current)
    }

    /// The tools of the session's server its principal's groups grant, when not all of them (a
    /// user's groups may grant some tools only; an API token reaches every tool).
    pub(super) fn granted_tools(
        &self,
        snapshot: &crate::snapshot::Snapshot,
    ) -> Option<Arc<std::collections::HashSet<String>>> {
        let user = snapshot.user(self.principal.user_id()?)?;
        user.tools.get(&self.server_id).cloned()
    }

    /// A `tools/list` result's `tools` array (JSON) as the principal may see it: only the tools
    /// their groups grant.
    pub(super) fn visible_catalogue(&self, catalogue: &str) -> String {
        let Some(granted) = self.granted_tools(&self.shared.live.load()) else { return catalogue.to_string() };
        let mut tools: Vec<serde_json::Value> = serde_json::from_str(catalogue).unwrap_or_default();
        tools.retain(|t| t.get("name").and_then(|n| n.as_str()).is_some_and(|n| granted.contains(n)));
        serde_json::Value::Array(tools).to_string()
    }

    /// Whether the tools the principal's groups grant of the session's server differ between two
    /// snapshots (its client is then told the list changed).
    pub fn granted_tools_changed(
        &self,
        previous: &crate::snapshot::Snapshot,
        current: &crate::snapshot::Snapshot,
    ) -> bool {
        self.granted_tools(previous) != self.granted_tools(current)
    }

    async fn to_upstream(&self, json: String) {
        if let Some(u) = self.upstream.get() {
            let _ = u.outbound.send(Outbound::new(json, None, None)).await;
        }
    }
}

/// What a client's `initialize` says of it: the capabilities the gateway relays on, and its
/// name and version.
pub(super) fn client_of(init: &Message) -> (ClientCaps, ClientInfo) {
    let params: Option<InitParams<'_>> = init.params.as_deref().and_then(|p| serde_json::from_str(p.get()).ok());
    let caps = params
        .as_ref()
        .and_then(|p| p.capabilities)
        .and_then(|c| serde_json::from_str::<Caps>(c.get()).ok())
        .map(|c| ClientCaps {
            sampling: c.sampling.is_some(),
            elicitation_url: c.elicitation.as_ref().is_some_and(|e| e.url.is_some()),
            elicitation: c.elicitation.is_some(),
            roots: c.roots.is_some(),
        })
        .unwrap_or_default();
    let client =
        params.and_then(|p| p.client_info).map(|c| ClientInfo { name: c.name, version: c.version }).unwrap_or_default();
    (caps, client)
}
