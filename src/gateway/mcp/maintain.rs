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
                previous = current;
            }
            _ = tick.tick() => {
                let now = shared.clock.now();
                let snapshot = shared.live.load();
                for session in shared.sessions.all() {
                    if let Some(why) = lost_access(&snapshot, &session, now) {
                        shared.end_session(&session.id, why);
                    } else if session.idle_for() > shared.limits.session_idle {
                        shared.end_session(&session.id, "idle");
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

fn apply_snapshot(shared: &Shared, previous: &Snapshot, current: &Snapshot) {
    let now = shared.clock.now();
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
            let stopped = |s: &crate::snapshot::ServerConfig| {
                let mut v: Vec<&String> =
                    s.tools.iter().filter(|(_, st)| **st == crate::model::ToolState::Stopped).map(|(n, _)| n).collect();
                v.sort();
                v.into_iter().cloned().collect::<Vec<_>>()
            };
            // First, for what it does besides: ending a composed session's stale source sessions.
            let recomposed = session.compose_again(previous, current);
            // An OpenAPI server's operations changed (`server refresh`).
            let refreshed = after.openapi.is_some() && before.catalogue != after.catalogue;
            if recomposed
                || refreshed
                || stopped(before) != stopped(after)
                || session.granted_tools_changed(previous, current)
            {
                session.notify_client(jsonrpc::notification("notifications/tools/list_changed", None));
            }
        }
    }
}
