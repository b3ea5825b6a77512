//! JSON-RPC batches (2025-03-26 sessions only): bounded in size, forwarded a few calls at a
//! time, each call routed (so limited) and recorded on its own.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;

use super::session::{Item, Reply, Session};
use super::{
    BATCH_CONCURRENCY, DEFAULT_VERSION, MAX_BATCH_ITEMS, Routed, Shared, VERSION_HEADER, describe_message,
    find_session, header_str, log_unavailable, parse_error_json, parse_rejection, route,
};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{self, Kind, Message, ParseError, code};
use crate::model::CaptureMode;
use crate::observe::activity::{self, Draft};
use crate::policy::Grant;

/// JSON-RPC batches: allowed for sessions on 2025-03-26 only (removed in 2025-06-18). Each
/// request of the batch is recorded on its own.
pub(super) async fn batch(
    shared: &Arc<Shared>,
    grant: &Grant,
    headers: &HeaderMap,
    bytes: &[u8],
    draft: &mut Draft,
) -> Result<Response, Rejection> {
    let session = find_session(shared, grant, headers, draft)?;
    let version = header_str(headers, VERSION_HEADER).unwrap_or(session.version());
    if version != DEFAULT_VERSION && session.version() != DEFAULT_VERSION {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_REQUEST,
            "Invalid Request: batches are not allowed after protocol 2025-03-26",
        ));
    }
    let items: Vec<&serde_json::value::RawValue> =
        serde_json::from_slice(bytes).map_err(|e| parse_rejection(ParseError::Json(e.to_string())))?;
    if items.is_empty() {
        return Err(Rejection::new(StatusCode::BAD_REQUEST, code::INVALID_REQUEST, "Invalid Request: empty batch"));
    }
    if items.len() > MAX_BATCH_ITEMS {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_REQUEST,
            format!("Invalid Request: a batch holds at most {MAX_BATCH_ITEMS} messages, this one {}", items.len()),
        ));
    }
    if draft.capture != CaptureMode::Off {
        shared.recorder.check().map_err(|e| log_unavailable(&e))?;
    }
    let mut answers = Vec::new();
    let mut calls = Vec::new();
    for raw in items {
        let message = match Message::parse(raw.get().as_bytes()) {
            Ok(m) => m,
            Err(e) => {
                answers.push(parse_error_json(&e));
                continue;
            }
        };
        match message.kind() {
            Ok(Kind::Request) if message.method() == "initialize" => {
                answers.push(jsonrpc::error_response(
                    message.id_text(),
                    code::INVALID_REQUEST,
                    "initialize must not be in a batch",
                    None,
                ));
            }
            Ok(Kind::Request) => calls.push(message),
            _ => {
                if let Err(why) = session.forward_one_way(&message).await {
                    tracing::debug!(why, "batch element refused");
                }
            }
        }
    }
    if calls.is_empty() && answers.is_empty() {
        draft.kind = "notification";
        return Ok(StatusCode::ACCEPTED.into_response());
    }
    // At most BATCH_CONCURRENCY of the batch's calls are upstream at once; answers keep the
    // batch's order.
    let mut pending = Vec::with_capacity(calls.len());
    for m in &calls {
        let mut d = draft.clone();
        d.trace_id = activity::new_trace_id();
        describe_message(&mut d, m);
        pending.push(batch_call(shared, grant, &session, m, d));
    }
    let replies: Vec<String> =
        futures_util::StreamExt::collect(futures_util::StreamExt::buffered(stream::iter(pending), BATCH_CONCURRENCY))
            .await;
    answers.extend(replies);
    // The batch itself was recorded per request; nothing more to record for the envelope.
    draft.capture = CaptureMode::Off;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], format!("[{}]", answers.join(",")))
        .into_response())
}

/// One request of a batch: intermediate messages go to the GET stream; the response is kept and
/// recorded before the batch answer is released.
async fn batch_call(
    shared: &Arc<Shared>,
    grant: &Grant,
    session: &Arc<Session>,
    message: &Message,
    mut draft: Draft,
) -> String {
    let json = match route(shared, grant, message, &mut draft) {
        Err(json) | Ok(Routed::Local(json)) | Ok(Routed::Limited(json, _)) => json,
        Ok(Routed::Upstream) => match session.forward(grant, message, || shared.recorder.prepare(&mut draft)).await {
            Reply::Json(json) => json,
            Reply::Stream(first, mut rx) => {
                let mut last = None;
                let mut next = Some(first);
                while let Some(item) = next.take().or(rx.recv().await) {
                    match item {
                        Item::Message(m) => session.notify_client(m),
                        Item::Final(json, _) => {
                            last = Some(json);
                            break;
                        }
                    }
                }
                last.unwrap_or_else(|| {
                    jsonrpc::error_response(message.id_text(), code::INTERNAL_ERROR, "session closed", None)
                })
            }
        },
    };
    if !draft.writes() {
        return json;
    }
    draft.response = Some(Bytes::from(json.clone()));
    draft.duration = draft.started.elapsed();
    match shared.recorder.commit(draft).await {
        Ok(()) => json,
        Err(e) => log_unavailable(&e).id(message.id_text()).body(),
    }
}
