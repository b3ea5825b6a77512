//! JSON-RPC batches (2025-03-26 sessions only): bounded in size, each request run through the
//! pipeline and recorded on its own, a few forwarded at a time.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use futures_util::stream;

use super::pipeline::{self, Answer, Call};
use super::reply::Item;
use super::route::{self, Via};
use super::session::Session;
use super::{
    BATCH_CONCURRENCY, DEFAULT_VERSION, MAX_BATCH_ITEMS, Outcome, VERSION_HEADER, describe_message, header_str,
    parse_error_json, record,
};
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::{self, Kind, Message, ParseError, code};
use crate::policy::Grant;

/// A batch: allowed for sessions on 2025-03-26 only (removed in 2025-06-18). The batch's own
/// record is its items' records; notifications in it are passed on and not answered.
pub(super) async fn batch(
    call: &mut Call,
    grant: &Grant,
    headers: &HeaderMap,
    bytes: &[u8],
) -> Result<Outcome, Rejection> {
    let session = route::session(&call.shared, grant, headers, &mut call.draft)?;
    let version = header_str(headers, VERSION_HEADER).unwrap_or(session.version());
    if version != DEFAULT_VERSION && session.version() != DEFAULT_VERSION {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_REQUEST,
            "Invalid Request: batches are not allowed after protocol 2025-03-26",
        ));
    }
    let items: Vec<&serde_json::value::RawValue> =
        serde_json::from_slice(bytes).map_err(|e| super::accept::parse_rejection(ParseError::Json(e.to_string())))?;
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
                let mut item = call.item();
                if let Err(refused) = pipeline::run(&mut item, grant, &message, Via::Session(&session)).await {
                    tracing::debug!(why = refused.message, "batch element refused");
                }
            }
        }
    }
    if calls.is_empty() && answers.is_empty() {
        call.draft.kind = "notification";
        return Ok(Outcome::Done(StatusCode::ACCEPTED.into_response()));
    }
    // At most BATCH_CONCURRENCY of the batch's calls are upstream at once; answers keep the
    // batch's order.
    let pending: Vec<_> = calls.iter().map(|m| item(call.item(), grant, &session, m)).collect();
    let replies: Vec<String> =
        futures_util::StreamExt::collect(futures_util::StreamExt::buffered(stream::iter(pending), BATCH_CONCURRENCY))
            .await;
    answers.extend(replies);
    // The batch itself was recorded (and counted) per request; the envelope is neither.
    let json = format!("[{}]", answers.join(","));
    Ok(Outcome::Batch(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response()))
}

/// One request of a batch, through the pipeline: intermediate messages go to the GET stream;
/// the response is recorded before the batch's answer is released.
async fn item(mut call: Call, grant: &Grant, session: &std::sync::Arc<Session>, message: &Message) -> String {
    describe_message(&mut call.draft, message);
    let answer = match pipeline::run(&mut call, grant, message, Via::Session(session)).await {
        Ok(Answer::Whole(answer)) => answer,
        Ok(Answer::Stream(first, mut rx, _)) => {
            let mut last = None;
            let mut next = Some(first);
            // The next item is awaited only once `first` was taken (`Option::or` would await it first).
            while let Some(item) = match next.take() {
                Some(item) => Some(item),
                None => rx.recv().await,
            } {
                match item {
                    Item::Message(m) => session.notify_client(m),
                    // mcpcp resumes the upstream's stream itself; this client cannot resume.
                    Item::Paused => {}
                    Item::Final(answer) => {
                        last = Some(answer);
                        break;
                    }
                }
            }
            match last {
                Some(answer) => answer,
                None => {
                    let why = "the session ended before the upstream answered";
                    let fault = crate::model::Fault::Upstream;
                    super::reply::Final::failed(message.id_text(), &session.server_name, fault, why, why)
                }
            }
        }
        // A request is answered: neither can happen.
        Ok(Answer::Started(..) | Answer::Accepted) => {
            return jsonrpc::error_response(message.id_text(), code::INTERNAL_ERROR, "no answer", None);
        }
        Err(refused) => {
            record::describe_refusal(&call.shared, &mut call.draft, &refused);
            let json = refused.id(message.id_text()).body();
            return record::settle(
                &call.shared,
                call.draft,
                super::reply::Final::answer(json, false),
                message.id_text(),
            )
            .await;
        }
    };
    record::settle(&call.shared, call.draft, answer, message.id_text()).await
}
