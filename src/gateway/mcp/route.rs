//! `route`: where a message goes. The session a request names (it must exist and belong to this
//! server and principal; anything else is 404, so a session id is useless to anyone but its
//! owner), a new session for `initialize`, or the gateway itself for what it answers alone.

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};

use super::session::{LegacyStream, Session};
use super::{SESSION_HEADER, Shared, describe_session, header_str};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{Kind, Message, code};
use crate::observe::activity::Draft;
use crate::policy::Grant;

/// Where the entry point found the message's session.
pub(crate) enum Via<'a> {
    /// A live session (Streamable HTTP or legacy).
    Session(&'a Arc<Session>),
    /// `initialize`: a new session (on a legacy client's waiting event stream, if given).
    Start(Option<LegacyStream>),
}

/// The route phase's decision for one message.
pub(super) enum Routed<'a> {
    /// Answered by the gateway itself: the JSON-RPC response.
    Local(String),
    /// A request for the session's upstream.
    Upstream(&'a Arc<Session>),
    /// A notification or a response to the upstream's request: passed on, nothing to answer.
    OneWay(&'a Arc<Session>),
    /// `initialize`: start a session.
    Start(Option<LegacyStream>),
}

/// The Streamable HTTP session `headers` name.
pub(crate) fn session(
    shared: &Arc<Shared>,
    grant: &Grant,
    headers: &HeaderMap,
    draft: &mut Draft,
) -> Result<Arc<Session>, Rejection> {
    let id = header_str(headers, SESSION_HEADER)
        .ok_or_else(|| Rejection::bad_request("Bad Request: Mcp-Session-Id header is required"))?;
    // A session the previous run of the gateway left is resumed by its principal's request.
    let session = match shared.sessions.get(id) {
        Some(session) => session,
        None => super::session::resume(shared, grant, id).ok_or_else(Rejection::session_not_found)?,
    };
    if session.server_id != grant.server().id || &session.principal != grant.principal() || session.legacy {
        return Err(Rejection::session_not_found());
    }
    // Any request on the session is use (a `ping` the gateway answers too): idle expiry and the
    // per-principal session cap go by it.
    session.touch();
    describe_session(draft, &session);
    Ok(session)
}

/// Where a Streamable HTTP POST's message goes: `initialize` (a request outside any session)
/// starts one; everything else needs the session its header names.
pub(crate) fn post<'a>(
    shared: &Arc<Shared>,
    grant: &Grant,
    message: &Message,
    headers: &HeaderMap,
    draft: &mut Draft,
    found: &'a mut Option<Arc<Session>>,
) -> Result<Via<'a>, Rejection> {
    if message.method() != "initialize" {
        return Ok(Via::Session(found.insert(session(shared, grant, headers, draft)?)));
    }
    if message.id.is_none() {
        return Err(Rejection::new(StatusCode::BAD_REQUEST, code::INVALID_REQUEST, "initialize must be a request"));
    }
    if headers.contains_key(SESSION_HEADER) {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_REQUEST,
            "Invalid Request: Server already initialized",
        ));
    }
    Ok(Via::Start(None))
}

/// Routes one message that passed `authorize` and `limit`.
pub(super) fn message<'a>(message: &Message, via: Via<'a>) -> Routed<'a> {
    match via {
        Via::Start(stream) => Routed::Start(stream),
        Via::Session(session) => match message.kind() {
            Ok(Kind::Request) if message.method() == "ping" => {
                Routed::Local(Message::result_with(message.id_text(), "{}"))
            }
            Ok(Kind::Request) => Routed::Upstream(session),
            _ => Routed::OneWay(session),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::mcp::testing::{Fixture, TOKEN, headers};

    fn grant(gw: &crate::gateway::mcp::testing::Gateway) -> Grant {
        let snapshot = gw.shared.live.load();
        let principal = super::super::authenticate(&gw.shared, &snapshot, "fx", &headers(Some(TOKEN))).unwrap();
        super::super::authorize::server(&gw.shared, &snapshot, "fx", &principal).unwrap()
    }

    #[test]
    fn a_session_must_be_named_and_exist() {
        let gw = Fixture::default().start();
        let g = grant(&gw);
        let mut draft = Draft::new("request", crate::clock::Clock::system().now());
        let mut h = headers(Some(TOKEN));
        assert_eq!(session(&gw.shared, &g, &h, &mut draft).unwrap_err().status, StatusCode::BAD_REQUEST);
        h.insert(SESSION_HEADER, "0123".parse().unwrap());
        let refused = session(&gw.shared, &g, &h, &mut draft).unwrap_err();
        assert_eq!(
            (refused.status, refused.code, refused.kind),
            (StatusCode::NOT_FOUND, code::SESSION_NOT_FOUND, Some("invalid_request"))
        );
    }

    #[test]
    fn initialize_is_a_request_outside_any_session() {
        let gw = Fixture::default().start();
        let g = grant(&gw);
        let parse = |t: &str| Message::parse(t.as_bytes()).unwrap();
        let init = parse(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#);
        let mut draft = Draft::new("request", crate::clock::Clock::system().now());
        let mut found = None;
        let mut h = headers(Some(TOKEN));
        assert!(matches!(post(&gw.shared, &g, &init, &h, &mut draft, &mut found), Ok(Via::Start(None))));
        let note = parse(r#"{"jsonrpc":"2.0","method":"initialize"}"#);
        assert!(post(&gw.shared, &g, &note, &h, &mut draft, &mut found).is_err());
        h.insert(SESSION_HEADER, "0123".parse().unwrap());
        let refused = post(&gw.shared, &g, &init, &h, &mut draft, &mut found).err().unwrap();
        assert!(refused.message.contains("already initialized"), "{}", refused.message);
    }
}
