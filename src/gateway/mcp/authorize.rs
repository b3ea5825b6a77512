//! `authorize`: the principal may use this server (its token's audience, the sign-in method, a
//! group that grants it, the server enabled), and, per message, the tool it calls is not stopped.
//! A token of another server, or a server that does not exist, looks the same as a bad token:
//! nothing about other servers leaks.

use axum::http::StatusCode;

use super::Shared;
use super::authenticate::metadata_url;
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{Message, code};
use crate::model::Fault;
use crate::observe::activity::Draft;
use crate::policy::{self, Denial, Grant, Principal};
use crate::snapshot::Snapshot;

/// The server-wide decision, made once per HTTP request.
pub(super) fn server(
    shared: &Shared,
    snapshot: &Snapshot,
    server: &str,
    principal: &Principal,
) -> Result<Grant, Rejection> {
    let metadata = || metadata_url(shared, snapshot, server);
    let wrong =
        || Rejection::challenge(Some("invalid_token"), "the token is not valid for this server", metadata().as_deref());
    let config = snapshot.server(server).ok_or_else(wrong)?;
    let user = match principal {
        Principal::User { user_id, .. } => {
            snapshot.user(*user_id).map(|u| policy::UserFacts { disabled: u.disabled, reaches: &u.servers })
        }
        Principal::ApiToken { .. } => None,
    };
    policy::authorize(principal, config, user).map_err(|denial| match denial {
        Denial::WrongServer => wrong(),
        Denial::WrongMethod { required } => Rejection::challenge(
            Some("invalid_token"),
            &format!("this server requires {} sign-in", required.as_str()),
            metadata().as_deref(),
        ),
        Denial::UserDisabled => {
            Rejection::challenge(Some("invalid_token"), "the user is disabled", metadata().as_deref())
        }
        Denial::NoGroup { user } => Rejection::forbidden(format!(
            "Forbidden: user {user:?} is not in any group that grants server {server:?}; ask an administrator"
        )),
        Denial::Disabled => Rejection::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code::TRANSPORT,
            format!("server {server:?} is disabled by an administrator"),
        )
        .fault(Fault::Operator),
    })
}

/// The per-message decision: a `tools/call` names a tool, and not one stopped on this gateway.
/// Reads the current snapshot, not the one the session started with: a stop is immediate.
/// `draft` describes `message` (its tool name is read from there).
pub(super) fn message(shared: &Shared, grant: &Grant, message: &Message, draft: &Draft) -> Result<(), Rejection> {
    if message.method() != "tools/call" || message.id.is_none() {
        return Ok(());
    }
    let invalid = |m: String| Rejection::new(StatusCode::OK, code::INVALID_PARAMS, m).id(message.id_text());
    let Some(name) = draft.tool.as_deref() else {
        return Err(invalid("tools/call needs params.name".into()));
    };
    let snapshot = shared.live.load();
    if snapshot.server(&grant.server().name).is_some_and(|s| s.tool_stopped(name)) {
        return Err(invalid(format!("Unknown tool: {name} (it is stopped on this gateway)")));
    }
    Ok(())
}
