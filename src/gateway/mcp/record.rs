//! `record`: every call becomes one activity record, committed before its answer is released;
//! if the record cannot be written, the client gets an error instead of an unlogged answer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::reply::Final;
use crate::gateway::rejection::Rejection;
use crate::jsonrpc::code;
use crate::model::{CaptureMode, Fault};
use crate::observe::activity::Draft;

/// Commits the draft, then releases the response. Every call is counted in the metrics here or
/// in [`settle`], once.
pub(crate) async fn finish(shared: &Shared, mut draft: Draft, response: Response) -> Response {
    if draft.http_status == 200 {
        draft.http_status = response.status().as_u16();
    }
    let sample = shared.metrics.sample(&shared.live, &draft, draft.response.as_deref());
    if !draft.writes() {
        shared.metrics.count(sample, true);
        return response;
    }
    record_step(&mut draft);
    draft.duration = draft.started.elapsed();
    let committed = shared.recorder.commit(draft).await;
    shared.metrics.count(sample, committed.is_ok());
    match committed {
        Ok(()) => response,
        Err(e) => log_unavailable(&e).into_response(),
    }
}

/// The `record` step: from the end of the last step until the record is committed (shaping it
/// and committing are measured by the writer, not here).
fn record_step(draft: &mut Draft) {
    let arrived = draft.started;
    let end_of_last = draft.trace.spans.iter().map(|s| s.start_us.saturating_add(s.duration_us)).max().unwrap_or(0);
    let from = arrived + std::time::Duration::from_micros(u64::from(end_of_last));
    draft.trace.step(arrived, crate::observe::trace::Phase::Record, from, false);
}

/// Records a refusal and answers with it.
pub(crate) async fn refused(shared: &Shared, mut draft: Draft, rejection: Rejection) -> Response {
    describe_refusal(shared, &mut draft, &rejection);
    if rejection.status == StatusCode::UNAUTHORIZED && draft.capture != CaptureMode::Off {
        let server = draft.server.as_deref().unwrap_or_default();
        tracing::info!(source = draft.source_ip.as_deref().unwrap_or("?"), server, "unauthenticated request refused");
    }
    finish(shared, draft, rejection.into_response()).await
}

/// Commits the record of an answer that is not an HTTP response of its own (a batch's item,
/// a legacy client's answer on its event stream); returns the JSON to send.
pub(crate) async fn settle(shared: &Shared, mut draft: Draft, answer: Final, id: &str) -> String {
    if !draft.writes() {
        answer.note_failure(&mut draft);
        shared.metrics.count(shared.metrics.sample(&shared.live, &draft, Some(answer.json.as_bytes())), true);
        return answer.json;
    }
    record_step(&mut draft);
    draft.duration = draft.started.elapsed();
    let body = answer.into_body(&mut draft);
    let sample = shared.metrics.sample(&shared.live, &draft, Some(&body));
    let committed = shared.recorder.commit(draft).await;
    shared.metrics.count(sample, committed.is_ok());
    match committed {
        Ok(()) => String::from_utf8(body.to_vec()).unwrap_or_default(),
        Err(e) => log_unavailable(&e).id(id).body(),
    }
}

/// [`settle`] for the response that ends an answer stream: its JSON-RPC id names a failed commit.
pub(crate) async fn settle_answer(shared: &Shared, draft: Draft, answer: Final) -> String {
    if !draft.writes() {
        // Nothing to write, but the call is counted (the id only names a failed commit).
        return settle(shared, draft, answer, "null").await;
    }
    let id = crate::jsonrpc::Message::parse(answer.json.as_bytes())
        .map(|m| m.id_text().to_string())
        .unwrap_or_else(|_| "null".into());
    settle(shared, draft, answer, &id).await
}

/// Fills in what the record of a refused request says, and counts the refusal in the metrics
/// (every refusal passes here once). A refusal of an anonymous request is sampled
/// (`observe::sampling`): when it is counted into a summary instead of recorded, the draft
/// captures nothing.
pub(crate) fn describe_refusal(shared: &Shared, draft: &mut Draft, rejection: &Rejection) {
    draft.kind = rejection_kind(rejection, draft.kind);
    draft.http_status = rejection.status.as_u16();
    draft.error = Some((rejection.code, rejection.recorded_message()));
    draft.fault = Some(rejection.fault);
    shared.metrics.refused(&shared.live, draft);
    if draft.capture != CaptureMode::Off && !shared.refusals.record_now(draft, std::time::Instant::now()) {
        draft.capture = CaptureMode::Off;
    }
}

/// What a refusal is recorded as.
pub(crate) fn rejection_kind(rejection: &Rejection, kind: &'static str) -> &'static str {
    if let Some(kind) = rejection.kind {
        return kind;
    }
    match rejection.status {
        StatusCode::UNAUTHORIZED => "auth_failure",
        StatusCode::FORBIDDEN | StatusCode::SERVICE_UNAVAILABLE => "denied",
        _ if kind == "request" || kind == "notification" => "invalid_request",
        _ => kind,
    }
}

pub(crate) fn log_unavailable(why: &str) -> Rejection {
    Rejection::new(
        StatusCode::SERVICE_UNAVAILABLE,
        code::INTERNAL_ERROR,
        format!("{why}; mcpcp does not serve calls it cannot log"),
    )
    .fault(Fault::Internal)
}
