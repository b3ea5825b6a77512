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

/// For a server whose users sign in upstream: an API token reaches it only through the shared
/// upstream connection an administrator linked (`mcpcp server connect`); refused otherwise, as
/// `upstream_auth_required`. A user without a linked account is admitted: their session is
/// answered by the gateway, which gives them the link (`session::unlinked`).
pub(super) fn upstream_account(snapshot: &Snapshot, grant: &Grant) -> Result<(), Rejection> {
    let server = grant.server();
    if server.upstream_auth != crate::model::UpstreamAuth::Oauth {
        return Ok(());
    }
    let user = grant.principal().user_id();
    if user.is_some() || snapshot.connection(server.id, user).is_some() {
        return Ok(());
    }
    Err(Rejection::forbidden(format!(
        "Forbidden: server {:?} has no shared upstream connection for API tokens; ask an administrator \
         to link one (mcpcp server connect)",
        server.name
    ))
    .recorded_as("upstream_auth_required"))
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
    // A tool the user's groups do not grant is one the server does not have, for them.
    if let Some(user) = grant.principal().user_id().and_then(|u| snapshot.user(u))
        && !user.may_use(grant.server().id, name)
    {
        return Err(invalid(format!("Unknown tool: {name}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::mcp::testing::{Fixture, OTHER_TOKEN, TOKEN, headers};

    fn grant(gw: &crate::gateway::mcp::testing::Gateway, token: &str, server: &str) -> Result<Grant, Rejection> {
        let snapshot = gw.shared.live.load();
        let principal = super::super::authenticate(&gw.shared, &snapshot, server, &headers(Some(token)))?;
        super::server(&gw.shared, &snapshot, server, &principal)
    }

    #[test]
    fn another_servers_token_or_an_unknown_server_looks_like_a_bad_token() {
        let gw = Fixture::default().start();
        assert!(grant(&gw, TOKEN, "fx").is_ok());
        for (token, server) in [(OTHER_TOKEN, "fx"), (TOKEN, "nosuch")] {
            let refused = grant(&gw, token, server).unwrap_err();
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{token} on {server}");
        }
    }

    #[test]
    fn a_disabled_server_is_the_operators_doing() {
        let gw = Fixture { disabled: true, ..Fixture::default() }.start();
        let refused = grant(&gw, TOKEN, "fx").unwrap_err();
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.fault, Fault::Operator);
    }

    #[test]
    fn a_stopped_tool_or_a_nameless_call_is_refused_per_message() {
        let gw = Fixture::default().start();
        let g = grant(&gw, TOKEN, "fx").unwrap();
        let check = |params: &str| {
            let m = Message::parse(
                format!(r#"{{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{params}}}"#).as_bytes(),
            )
            .unwrap();
            let mut draft = Draft::new("request", crate::clock::Clock::system().now());
            super::super::describe_message(&mut draft, &m);
            message(&gw.shared, &g, &m, &draft)
        };
        assert!(check(r#"{"name":"echo"}"#).is_ok());
        for params in [r#"{"name":"stopped"}"#, "{}"] {
            let refused = check(params).unwrap_err();
            assert_eq!((refused.status, refused.code, &*refused.id), (StatusCode::OK, code::INVALID_PARAMS, "3"));
        }
    }
}
