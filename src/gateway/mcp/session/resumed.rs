//! Sessions resumed after a restart of the gateway. A client's request naming a session the
//! previous run left (`stored.rs`) rebuilds it from what was stored (its principal must be the
//! request's, on the same server, as for any session), without its upstream; its first request
//! that needs the upstream connects it: an HTTP upstream's session continues when the upstream
//! still knows it, and otherwise (the upstream restarted too, or it is a stdio process, which
//! did not survive) the upstream is initialized again with the client's original `initialize`
//! and `initialized`, as the stdio restart supervision does. The client carries on either way.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use super::stored::{Dormant, id_hash};
use super::{
    INITIALIZE_TIMEOUT, Lost, Session, State, Unlinked, Upstream, composed, dispatch, identity, upstream_bearer_for,
};
use crate::gateway::Shared;
use crate::jsonrpc::{self, Message};
use crate::model::{Fault, Transport, UpstreamAuth};
use crate::policy::Grant;
use crate::secrets::Secret;
use crate::upstream::{self, Outbound};

/// What a resumed session keeps to connect its upstream again.
#[derive(Debug)]
pub struct Resumed {
    /// The client's `initialize` (id 0).
    init: String,
    /// The upstream's session to continue (Streamable HTTP), if it named one.
    upstream_session: Option<Secret>,
}

/// The session `id` the previous run left, if the grant's principal holds it on the grant's
/// server: rebuilt, live again, and in use now. `None` (404 for the client) otherwise.
pub(crate) fn resume(shared: &Arc<Shared>, grant: &Grant, id: &str) -> Option<Arc<Session>> {
    let stored = &shared.sessions.stored;
    // Held while the session is rebuilt, so that two requests naming it resume it once.
    let mut dormant = stored.dormant.lock().ok()?;
    if let Some(live) = shared.sessions.get(id) {
        return Some(live);
    }
    if dormant.is_empty() {
        return None;
    }
    let hash = id_hash(id);
    let found = stored.take(&mut dormant, &hash, grant.server(), grant.principal())?;
    let session = match rebuild(shared, grant, id, found) {
        Some(session) => session,
        None => {
            tracing::warn!(server = grant.server().name, "a stored session could not be rebuilt");
            return None;
        }
    };
    // Still under the dormant table's lock: a second request naming the session finds it live.
    super::end_least_recently_used(shared, &session);
    if let Ok(mut map) = shared.sessions.map.write() {
        map.insert(session.id.clone(), session.clone());
    }
    drop(dormant);
    stored.resumed(id, hash, shared.clock.now());
    tracing::info!(
        session = session.id,
        server = session.server_name,
        principal = session.principal.display_name(),
        "session resumed after a restart"
    );
    Some(session)
}

/// A session from what was stored, its upstream not connected yet.
fn rebuild(shared: &Arc<Shared>, grant: &Grant, id: &str, dormant: Dormant) -> Option<Arc<Session>> {
    let init = Message::parse(dormant.init.as_bytes()).ok()?;
    let server = grant.server();
    let (caps, client) = super::client_of(&init);
    let linked_account = server.upstream_auth == UpstreamAuth::Oauth;
    let user = grant.principal().user_id();
    let unlinked = match linked_account && user.is_some() && shared.live.load().connection(server.id, user).is_none() {
        true => Some(Box::new(Unlinked::new(&init).ok()?)),
        false => None,
    };
    let sources = server.composed.is_some().then(|| Box::new(composed::Sources::new(&init)));
    let protocol_version = std::sync::OnceLock::new();
    let _ = protocol_version.set(dormant.protocol_version);
    // The upstream and the client may have seen this session's ids before the restart: the ids
    // the gateway mints go on from a random point, so none is used twice on the session.
    let first_id = |n: [u8; 4]| 1 + (u64::from(u32::from_le_bytes(n)) << 16);
    let next_id = first_id(crate::secrets::random_bytes().ok()?);
    let next_client_id = first_id(crate::secrets::random_bytes().ok()?);
    Some(Arc::new(Session {
        id: id.to_string(),
        server_id: server.id,
        server_name: server.name.clone(),
        principal: grant.principal().clone(),
        protocol_version,
        caps,
        client,
        legacy: false,
        upstream: tokio::sync::OnceCell::new(),
        unlinked,
        sources,
        state: Mutex::new(State::default()),
        next_id: AtomicU64::new(next_id),
        next_client_id: AtomicU64::new(next_client_id),
        closed: CancellationToken::new(),
        last_used: Mutex::new(Instant::now()),
        answer_times: shared.answer_times(server.id),
        linked_account,
        caller: identity::Caller::new(shared, server, grant.principal()),
        streams: super::super::resume::Streams::default(),
        shared: shared.clone(),
        resumed: Some(Box::new(Resumed { init: init.with_id("0"), upstream_session: dormant.upstream_session })),
    }))
}

/// Connects a session that has no upstream connection yet (one resumed after a restart, or one
/// whose user has just linked their upstream account), and keeps what the stored session knows of
/// it up to date.
pub(super) async fn connect(session: &Arc<Session>) -> Result<Upstream, Lost> {
    let upstream = match &session.resumed {
        Some(resumed) => reconnect(session, resumed).await?,
        None => super::unlinked::connect(session).await?,
    };
    let live = session.shared.live.load();
    if let Some(server) = live.servers().find(|s| s.id == session.server_id).filter(|_| !session.legacy) {
        // The connection is not the session's yet: say what it is from the connection itself.
        let kept = upstream.outbound.upstream_session().map(String::from);
        session.shared.sessions.stored.upstream_changed(&session.id, kept, server);
    }
    Ok(upstream)
}

/// Connects a resumed session's upstream: continues its HTTP upstream session if the upstream
/// still knows it, else initializes the upstream again with the client's `initialize`.
async fn reconnect(session: &Arc<Session>, resumed: &Resumed) -> Result<Upstream, Lost> {
    let shared = &session.shared;
    let operator = |reason: String| Lost { fault: Fault::Operator, reason };
    let server = shared
        .live
        .load()
        .servers()
        .find(|s| s.id == session.server_id)
        .cloned()
        .ok_or_else(|| operator("the server was deleted".into()))?;
    let user = session.principal.user_id();
    let bearer = match session.linked_account {
        true => {
            crate::gateway::oauth::ensure_fresh(shared, server.id, user).await;
            Some(upstream_bearer_for(shared, server.id, user))
        }
        false => None,
    };
    let hook = Some(session.caller.headers_hook());
    let continuing = resumed.upstream_session.as_ref().filter(|_| server.transport == Transport::Http);
    let (conn, continued) = match continuing {
        Some(id) => {
            let wanted = upstream::Continue {
                session_id: Secret::new(id.expose().to_string()),
                protocol_version: session.version().to_string(),
            };
            let (conn, continued) =
                upstream::connect_continuing(&server, &shared.http, &shared.upstreams, bearer, hook, wanted)
                    .map_err(|e| operator(e.to_string()))?;
            (conn, Some(continued))
        }
        None => {
            let conn = upstream::connect(&server, &shared.http, &shared.upstreams, bearer, hook)
                .map_err(|e| operator(e.to_string()))?;
            (conn, None)
        }
    };
    let (outbound, shutdown) = (conn.outbound, conn.shutdown);
    let (reader, closing) = (session.clone(), shutdown.clone());
    let inbound = conn.inbound;
    tokio::spawn(async move {
        dispatch(reader, inbound).await;
        closing.cancel();
    });
    if let Some(continued) = continued {
        match continued.await {
            Ok(Ok(true)) => {
                tracing::info!(session = session.id, server = session.server_name, "upstream session continued");
                return Ok(Upstream { outbound, shutdown });
            }
            Ok(Ok(false)) => {
                tracing::info!(
                    session = session.id,
                    server = session.server_name,
                    "the upstream no longer knows the session; initializing it again"
                );
            }
            Ok(Err((fault, reason))) => {
                shutdown.cancel();
                return Err(Lost { fault, reason });
            }
            Err(_) => {
                shutdown.cancel();
                return Err(Lost::upstream("the upstream connection closed"));
            }
        }
    }
    initialize_again(session, &resumed.init, &outbound, &shutdown).await?;
    tracing::info!(
        session = session.id,
        server = session.server_name,
        "upstream initialized again for a resumed session"
    );
    Ok(Upstream { outbound, shutdown })
}

/// Sends the client's original `initialize` (its answer is swallowed: the client has one) and
/// then `notifications/initialized` on a new upstream connection: a resumed session's, or that of
/// a session whose user has just linked their upstream account (`unlinked::connect`).
pub(super) async fn initialize_again(
    session: &Arc<Session>,
    init: &str,
    outbound: &upstream::Link,
    shutdown: &CancellationToken,
) -> Result<(), Lost> {
    let refused = |reason: String| {
        shutdown.cancel();
        Lost::upstream(&reason)
    };
    let init =
        Message::parse(init.as_bytes()).map_err(|e| refused(format!("the stored initialize is unreadable: {e}")))?;
    let answer = tokio::time::timeout(INITIALIZE_TIMEOUT, session.internal_request_on(outbound, &init, None)).await;
    let response = match answer {
        Ok(Ok(response)) => response,
        Ok(Err(lost)) => {
            shutdown.cancel();
            return Err(lost);
        }
        Err(_) => return Err(refused(format!("no answer to initialize within {} s", INITIALIZE_TIMEOUT.as_secs()))),
    };
    if response.result.is_none() {
        let error: String = response.error.as_deref().map_or("", |e| e.get()).chars().take(256).collect();
        return Err(refused(format!("the upstream refused initialize: {error}")));
    }
    let initialized = jsonrpc::notification("notifications/initialized", None);
    let out = Outbound::new(initialized, None, Some("notifications/initialized".into()));
    if outbound.send(out).await.is_err() || session.closed.is_cancelled() {
        return Err(refused("the session ended while it connected to the upstream".into()));
    }
    Ok(())
}
