//! Sessions of users who have not linked their account at the upstream of a server whose users
//! sign in upstream (`upstream_auth` `oauth`). The client connects as usual: the gateway answers
//! `initialize` and `tools/list` itself (the tools stored for the server), and a request that
//! needs the upstream gets the link that links the user's account: as a URL elicitation
//! (`-32042`, 2025-11-25) to a client that declared `elicitation.url`, otherwise as the text of a
//! tool error any chat client shows. When the user has linked it, the client is told
//! (`notifications/elicitation/complete`, `notifications/tools/list_changed`) and the next request
//! connects the session to the upstream, replaying the client's `initialize`.

use std::sync::Arc;

use super::{Final, Lost, Session, Upstream, dispatch, upstream_bearer_for};
use crate::gateway::Shared;
use crate::gateway::mcp::reply::Failure;
use crate::jsonrpc::{self, Message, code};
use crate::model::Fault;
use crate::upstream;

/// What a session without its upstream keeps for when it gets one.
#[derive(Debug)]
pub struct Unlinked {
    /// The client's `initialize`, replayed to the upstream.
    init: String,
    /// The id of the URL elicitation the client is sent (one per session: every request asks
    /// for the same link).
    elicitation_id: String,
}

impl Unlinked {
    pub(super) fn new(init: &Message) -> Result<Unlinked, String> {
        let bytes: [u8; 16] = crate::secrets::random_bytes().map_err(|e| e.to_string())?;
        Ok(Unlinked { init: init.with_id("0"), elicitation_id: crate::secrets::hex(&bytes) })
    }
}

/// The gateway's own answer to `initialize` (`super::own_initialize`), with instructions that
/// say how to link the account.
pub(super) fn initialize(session: &Session, init: &Message) -> (String, String) {
    let instructions = format!(
        "Your account at the upstream of server {:?} is not linked yet. Calling a tool gives you \
         a link to link it; after that, the tools run as your account there.",
        session.server_name
    );
    super::own_initialize(session, init, Some(instructions))
}

/// The answer to a request of a session whose user has not linked their upstream account:
/// `tools/list` lists the stored tools; anything else gets the link.
pub(super) fn account_unlinked(session: &Session, msg: &Message) -> Final {
    let id = msg.id_text();
    let shared = &session.shared;
    if msg.method() == "tools/list" {
        let snapshot = shared.live.load();
        let catalogue = snapshot.servers().find(|s| s.id == session.server_id).and_then(|s| s.catalogue.clone());
        let result = format!("{{\"tools\":{}}}", session.visible_catalogue(catalogue.as_deref().unwrap_or("[]")));
        return Final::answer(Message::result_with(id, &result), false);
    }
    let name = session.principal.display_name();
    let url = session.principal.user_id().and_then(|user_id| {
        crate::gateway::oauth::link_for(shared, user_id, name, session.server_id, &session.server_name)
    });
    let detail = format!("user {name:?} has not linked an account at the upstream");
    let failure =
        |code| Failure { fault: Fault::Client, code, detail: detail.clone(), kind: Some("upstream_auth_required") };
    let Some(url) = url else {
        let message = format!("server {:?}: mcpcp cannot make a link right now; try again", session.server_name);
        let json = jsonrpc::error_response(id, code::INTERNAL_ERROR, &message, None);
        return Final::refusal(json, Failure { fault: Fault::Internal, ..failure(code::INTERNAL_ERROR) });
    };
    let message = format!(
        "Server {:?} runs its tools as your own account there, which is not linked yet. Open {url} \
         to link it (the link is yours alone and works once, for 10 minutes), then try again.",
        session.server_name
    );
    if session.caps.elicitation_url {
        let Some(unlinked) = &session.unlinked else { return Final::refusal(String::new(), failure(0)) };
        let data = serde_json::json!({ "elicitations": [{
            "mode": "url",
            "elicitationId": unlinked.elicitation_id,
            "url": url,
            "message": format!("Link your account at the upstream of server {:?}.", session.server_name),
        }]});
        let json = jsonrpc::error_response(
            id,
            code::URL_ELICITATION_REQUIRED,
            "This request requires more information.",
            Some(&data),
        );
        return Final::refusal(json, failure(code::URL_ELICITATION_REQUIRED));
    }
    if msg.method() == "tools/call" {
        let result = serde_json::json!({ "content": [{ "type": "text", "text": message }], "isError": true });
        return Final::refusal(Message::result_with(id, &result.to_string()), failure(0));
    }
    let json = jsonrpc::error_response(id, code::INVALID_REQUEST, &message, None);
    Final::refusal(json, failure(code::INVALID_REQUEST))
}

/// The user of `server_id` linked their account: their sessions that wait for it are told (the
/// elicitation completed; the tool list may have changed). Their next request connects upstream.
pub(crate) fn linked(shared: &Shared, server_id: i64, user_id: i64) {
    for session in shared.sessions.all() {
        if session.server_id != server_id || session.principal.user_id() != Some(user_id) || session.connected() {
            continue;
        }
        let Some(unlinked) = &session.unlinked else { continue };
        if session.caps.elicitation_url {
            let params = serde_json::json!({ "elicitationId": unlinked.elicitation_id }).to_string();
            session.notify(jsonrpc::notification("notifications/elicitation/complete", Some(&params)));
        }
        session.notify(jsonrpc::notification("notifications/tools/list_changed", None));
    }
}

/// Connects a session that waited for its user to link an account: the upstream gets the
/// client's `initialize` and then `notifications/initialized`, as if the client had just come.
pub(super) async fn connect(session: &Arc<Session>) -> Result<Upstream, Lost> {
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
    crate::gateway::oauth::ensure_fresh(shared, server.id, user).await;
    let bearer = upstream_bearer_for(shared, server.id, user);
    let hook = Some(session.caller.headers_hook());
    let conn = upstream::connect(&server, &shared.http, &shared.upstreams, Some(bearer), hook)
        .map_err(|e| operator(e.to_string()))?;
    let (outbound, shutdown) = (conn.outbound, conn.shutdown);
    let (reader, closing) = (session.clone(), shutdown.clone());
    let inbound = conn.inbound;
    tokio::spawn(async move {
        dispatch(reader, inbound).await;
        closing.cancel();
    });
    let Some(init) = session.unlinked.as_ref().map(|u| u.init.as_str()) else {
        shutdown.cancel();
        return Err(Lost { fault: Fault::Internal, reason: "the session kept no initialize".into() });
    };
    super::resumed::initialize_again(session, init, &outbound, &shutdown).await?;
    tracing::info!(
        session = session.id,
        server = session.server_name,
        "session connected upstream after its user linked an account"
    );
    Ok(Upstream { outbound, shutdown })
}
