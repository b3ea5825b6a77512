//! Background upkeep of live sessions: each new snapshot applied to them (revoked tokens,
//! deleted or disabled servers and changed upstream settings end them; stopped tools announce a
//! changed list), idle sessions
//! and unanswered requests expired, limiter state pruned, and sampled refusals summarised.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Shared;
use super::session::Session;
use crate::jsonrpc;
use crate::policy::Principal;
use crate::snapshot::Snapshot;

/// Background upkeep: applies each new snapshot to live sessions (revoked tokens, deleted or
/// disabled servers end them; stopped tools announce a changed list), expires idle sessions and
/// requests the upstream never answered.
pub async fn maintain(shared: Arc<Shared>, shutdown: CancellationToken) {
    let mut changes = shared.live.subscribe();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut previous = shared.live.load();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            changed = changes.changed() => {
                if changed.is_err() {
                    return;
                }
                let current = changes.borrow_and_update().clone();
                apply_snapshot(&shared, &previous, &current);
                shared.sessions.stored().apply(&current, shared.clock.now());
                previous = current;
            }
            _ = tick.tick() => {
                let now = shared.clock.now();
                let snapshot = shared.live.load();
                shared.sessions.stored().tick(&shared.sessions.all(), now, shared.limits.session_idle);
                for session in shared.sessions.all() {
                    if let Some(why) = lost_access(&snapshot, &session, now) {
                        shared.end_session(&session.id, why);
                    } else if session.idle_for() > shared.limits.session_idle {
                        shared.end_session(&session.id, "idle");
                    } else {
                        session.expire_requests(shared.limits.request_timeout).await;
                    }
                }
                for session in shared.bridges.sessions() {
                    if let Some(why) = lost_access(&snapshot, &session, now) {
                        shared.bridges.end(&session, why);
                    } else if session.idle_for() > shared.limits.session_idle {
                        shared.bridges.end(&session, "idle");
                    } else {
                        session.expire_requests(shared.limits.request_timeout).await;
                    }
                }
                shared.limiter.prune(std::time::Instant::now(), shared.clock.now());
                for summary in shared.refusals.due(std::time::Instant::now(), false) {
                    shared.recorder.detached(summary);
                }
            }
        }
    }
}

/// Why a session may not continue under `snapshot`, if so.
fn lost_access(snapshot: &Snapshot, session: &Session, now: chrono::DateTime<chrono::Utc>) -> Option<&'static str> {
    let Some(server) = snapshot.servers().find(|s| s.id == session.server_id) else { return Some("server deleted") };
    if !server.enabled {
        return Some("server disabled");
    }
    if server.upstream_auth == crate::model::UpstreamAuth::Oauth
        && session.connected()
        && snapshot.connection(server.id, session.principal.user_id()).is_none()
    {
        return Some("the upstream account was unlinked");
    }
    match &session.principal {
        Principal::ApiToken { token_id, .. } => {
            let token = snapshot.token_ids_entry(*token_id);
            match token {
                None => Some("token revoked"),
                Some(t) if t.expired(now) => Some("token expired"),
                Some(_) => None,
            }
        }
        Principal::User { user_id, grant_id, .. } => match snapshot.user(*user_id) {
            None => Some("user deleted"),
            Some(u) if u.disabled => Some("user disabled"),
            Some(u) if !u.servers.contains(&session.server_id) => Some("no group grants the server any more"),
            Some(_) if !snapshot.grant_live(*grant_id) => Some("signed out"),
            Some(_) => None,
        },
    }
}

/// The tools a server offers as the gateway shows them: each name (`tool sync` changes them)
/// and whether it is stopped (an admin's `tool stop` / `start`), and a composed server's
/// catalogue.
fn tool_list(server: &crate::snapshot::ServerConfig) -> (Vec<(String, bool)>, Option<Arc<str>>) {
    let mut tools: Vec<(String, bool)> =
        server.tools.iter().map(|(n, st)| (n.clone(), *st == crate::model::ToolState::Stopped)).collect();
    tools.sort();
    (tools, server.composed.as_ref().map(|c| c.catalogue.clone()))
}

/// The tools of `server_id` `principal`'s groups grant, when not all of them.
fn granted(
    snapshot: &Snapshot,
    principal: &Principal,
    server_id: i64,
) -> Option<Arc<std::collections::HashSet<String>>> {
    snapshot.user(principal.user_id()?)?.tools.get(&server_id).cloned()
}

fn apply_snapshot(shared: &Shared, previous: &Snapshot, current: &Snapshot) {
    let now = shared.clock.now();
    // Stateless clients' listen streams: told when what they may see of the tools changed.
    for server in current.servers() {
        if !shared.bridges.listeners.on(server.id) {
            continue;
        }
        let changed = previous.servers().find(|s| s.id == server.id).is_some_and(|b| tool_list(b) != tool_list(server));
        shared.bridges.listeners.notify(server.id, "notifications/tools/list_changed", |p| {
            changed || granted(previous, p, server.id) != granted(current, p, server.id)
        });
    }
    // The upstream sessions of stateless (2026-07-28) clients: ended as a client's would be, or
    // when the server's upstream settings changed; the next request opens another.
    for session in shared.bridges.sessions() {
        let before = previous.servers().find(|s| s.id == session.server_id);
        let after = current.servers().find(|s| s.id == session.server_id);
        let changed = matches!((before, after), (Some(b), Some(a)) if !b.same_upstream(a));
        if let Some(why) = lost_access(current, &session, now) {
            shared.bridges.end(&session, why);
        } else if changed {
            shared.bridges.end(&session, "the server's upstream settings changed");
        } else {
            session.compose_again(previous, current);
        }
    }
    for session in shared.sessions.all() {
        if let Some(why) = lost_access(current, &session, now) {
            shared.end_session(&session.id, why);
            continue;
        }
        let before = previous.servers().find(|s| s.id == session.server_id);
        let after = current.servers().find(|s| s.id == session.server_id);
        if let (Some(before), Some(after)) = (before, after) {
            // The session's upstream connection was made with the old settings (its URL, command,
            // environment or credentials): the client starts a new session.
            if !before.same_upstream(after) {
                shared.end_session(&session.id, "the server's upstream settings changed");
                continue;
            }
            // First, for what it does besides: ending a composed session's stale source sessions.
            let recomposed = session.compose_again(previous, current);
            // An OpenAPI server's operations changed (`server refresh`).
            let refreshed = after.openapi.is_some() && before.catalogue != after.catalogue;
            if recomposed
                || refreshed
                || tool_list(before) != tool_list(after)
                || session.granted_tools_changed(previous, current)
            {
                session.notify_client(jsonrpc::notification("notifications/tools/list_changed", None));
            }
        }
    }
}
