//! `accept`: the transport's checks. Before any credential is looked at (cheapest first): Host
//! and Origin, a body's declared size, a stream's media type and protocol version. Once the
//! caller is admitted: the body itself, bounded in size and time, then a POST's media types and
//! protocol version (checked after the body was read, so their refusals keep the connection: a
//! 2026-07-28 client's probe is refused on the connection that then serves its fallback), and
//! the message in it.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::pipeline::Entry;
use super::{SUPPORTED_VERSIONS, Shared, VERSION_HEADER, describe_message, header_str};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{Message, ParseError, code};
use crate::observe::activity::Draft;

/// How long a request body may take to arrive once its head has.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The checks on a request's head for `entry`.
pub(crate) fn accept(shared: &Shared, entry: Entry, headers: &HeaderMap) -> Result<(), Rejection> {
    shared.origins.check(headers).map_err(|why| Rejection::forbidden(format!("Forbidden: {why}")))?;
    if entry.has_body() {
        // A declared length over the limit is refused before a byte of the body is read.
        let limit = shared.limits.max_body_bytes;
        let declared = header_str(headers, header::CONTENT_LENGTH.as_str()).and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > limit) {
            return Err(too_large(limit));
        }
    }
    match entry {
        Entry::Get => {
            if !header_str(headers, header::ACCEPT.as_str()).is_some_and(|a| accepts(a, "text/event-stream")) {
                return Err(Rejection::new(
                    StatusCode::NOT_ACCEPTABLE,
                    code::TRANSPORT,
                    "Not Acceptable: Client must accept text/event-stream",
                ));
            }
            version(headers)
        }
        Entry::Delete => version(headers),
        Entry::Post | Entry::LegacyOpen | Entry::LegacyPost => Ok(()),
    }
}

/// A Streamable HTTP POST's media types and protocol version, checked once its body was read.
#[cfg(test)]
pub(crate) fn content(headers: &HeaderMap) -> Result<(), Rejection> {
    media_types(headers)?;
    version(headers)
}

/// A Streamable HTTP POST's media types, checked once its body was read (its protocol version
/// after its message says which era it is of: [`version`], or `era::check`).
pub(crate) fn media_types(headers: &HeaderMap) -> Result<(), Rejection> {
    let content_type = header_str(headers, header::CONTENT_TYPE.as_str()).unwrap_or("");
    if !content_type.get(..16).is_some_and(|t| t.eq_ignore_ascii_case("application/json")) {
        return Err(Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::TRANSPORT,
            "Unsupported Media Type: Content-Type must be application/json",
        ));
    }
    if let Some(accept) = header_str(headers, header::ACCEPT.as_str())
        && !(accepts(accept, "application/json") || accepts(accept, "text/event-stream") || accepts(accept, "*/*"))
    {
        return Err(Rejection::new(
            StatusCode::NOT_ACCEPTABLE,
            code::TRANSPORT,
            "Not Acceptable: Client must accept application/json and text/event-stream",
        ));
    }
    Ok(())
}

/// Whether an `Accept` header names `wanted` (media types match whatever their case).
fn accepts(accept: &str, wanted: &str) -> bool {
    accept.as_bytes().windows(wanted.len()).any(|w| w.eq_ignore_ascii_case(wanted.as_bytes()))
}

/// `MCP-Protocol-Version` must name a revision we serve (400 otherwise; spec 2025-06-18).
pub(crate) fn version(headers: &HeaderMap) -> Result<(), Rejection> {
    match header_str(headers, VERSION_HEADER) {
        None => Ok(()),
        Some(v) if SUPPORTED_VERSIONS.contains(&v) => Ok(()),
        Some(v) => Err(Rejection::bad_request(format!(
            "Bad Request: Unsupported protocol version: {v} (supported versions: {})",
            SUPPORTED_VERSIONS.join(", ")
        ))),
    }
}

/// The body of an admitted request, at most `limit` bytes, within [`BODY_TIMEOUT`].
pub(crate) async fn body(body: Body, limit: usize) -> Result<Bytes, Rejection> {
    let read = tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, limit)).await.map_err(|_| {
        Rejection::new(
            StatusCode::REQUEST_TIMEOUT,
            code::INVALID_REQUEST,
            format!("Request Timeout: the body did not arrive within {} s", BODY_TIMEOUT.as_secs()),
        )
        .closing()
    })?;
    read.map_err(|e| {
        let too_large = std::error::Error::source(&e).is_some_and(|s| s.to_string().contains("length limit"))
            || e.to_string().contains("length limit");
        if too_large {
            self::too_large(limit)
        } else {
            Rejection::bad_request(format!("Bad Request: cannot read the body: {e}"))
        }
    })
}

fn too_large(limit: usize) -> Rejection {
    Rejection::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        code::INVALID_REQUEST,
        format!("Payload Too Large: the limit is {limit} bytes"),
    )
    .header(header::CONNECTION, HeaderValue::from_static("close"))
}

/// The one JSON-RPC message of a body, described into `draft` (method, type, tool, params).
pub(crate) fn message(bytes: &[u8], draft: &mut Draft) -> Result<Message, Rejection> {
    let message = Message::parse(bytes).map_err(parse_rejection)?;
    message.kind().map_err(parse_rejection)?;
    describe_message(draft, &message);
    Ok(message)
}

pub(crate) fn parse_rejection(e: ParseError) -> Rejection {
    match e {
        ParseError::Json(detail) => {
            Rejection::new(StatusCode::BAD_REQUEST, code::PARSE_ERROR, "Parse error").detail(detail)
        }
        ParseError::Invalid(why) => {
            Rejection::new(StatusCode::BAD_REQUEST, code::INVALID_REQUEST, format!("Invalid Request: {why}"))
        }
    }
}

/// `405` for a method the endpoint does not serve.
pub(crate) fn method_not_allowed() -> Response {
    (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, POST, DELETE, OPTIONS")]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::mcp::testing::{Fixture, headers};

    fn status(r: Result<(), Rejection>) -> u16 {
        r.err().map_or(200, |r| r.status.as_u16())
    }

    #[test]
    fn forged_host_or_origin_is_refused_before_anything_else() {
        let gw = Fixture::default().start();
        let mut h = headers(None);
        assert_eq!(status(accept(&gw.shared, Entry::Post, &h)), 200);
        h.insert("origin", HeaderValue::from_static("http://evil.example"));
        assert_eq!(status(accept(&gw.shared, Entry::LegacyPost, &h)), 403);
        let mut h = headers(None);
        h.insert("host", HeaderValue::from_static("evil.example"));
        let refused = accept(&gw.shared, Entry::Get, &h).unwrap_err();
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.message.contains("Host"), "{}", refused.message);
    }

    #[test]
    fn a_declared_body_over_the_limit_is_refused_unread() {
        let gw = Fixture::default().start();
        let mut h = headers(None);
        let over = (gw.shared.limits.max_body_bytes + 1).to_string();
        h.insert("content-length", HeaderValue::from_str(&over).unwrap());
        let refused = accept(&gw.shared, Entry::Post, &h).unwrap_err();
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(refused.headers.iter().any(|(n, v)| n == header::CONNECTION && v == "close"));
        // A GET's Content-Length is nobody's concern.
        h.insert("accept", HeaderValue::from_static("text/event-stream"));
        assert_eq!(status(accept(&gw.shared, Entry::Get, &h)), 200);
    }

    #[test]
    fn streams_need_the_event_stream_type_and_a_served_version() {
        let gw = Fixture::default().start();
        let mut h = headers(None);
        assert_eq!(status(accept(&gw.shared, Entry::Get, &h)), 406);
        h.insert("accept", HeaderValue::from_static("Text/Event-Stream"));
        assert_eq!(status(accept(&gw.shared, Entry::Get, &h)), 200);
        h.insert(VERSION_HEADER, HeaderValue::from_static("1999-01-01"));
        assert_eq!(status(accept(&gw.shared, Entry::Get, &h)), 400);
        assert_eq!(status(accept(&gw.shared, Entry::Delete, &h)), 400);
    }

    #[test]
    fn a_post_body_must_be_json_the_client_can_take() {
        let mut h = headers(None);
        assert_eq!(status(content(&h)), 415);
        h.insert("content-type", HeaderValue::from_static("application/json; charset=utf-8"));
        assert_eq!(status(content(&h)), 200);
        h.insert("accept", HeaderValue::from_static("text/html"));
        assert_eq!(status(content(&h)), 406);
        h.insert("accept", HeaderValue::from_static("*/*"));
        h.insert(VERSION_HEADER, HeaderValue::from_static("1999-01-01"));
        assert_eq!(status(content(&h)), 400);
    }

    #[test]
    fn a_body_that_is_not_one_message_is_a_parse_or_invalid_request_error() {
        let mut draft = Draft::new("request", crate::clock::Clock::system().now());
        assert_eq!(message(b"{", &mut draft).unwrap_err().code, code::PARSE_ERROR);
        assert_eq!(message(br#"{"id":1,"method":"x"}"#, &mut draft).unwrap_err().code, code::INVALID_REQUEST);
        let m = message(br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t"}}"#, &mut draft);
        assert!(m.is_ok());
        assert_eq!(draft.tool.as_deref(), Some("t"));
    }
}
