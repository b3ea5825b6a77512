//! Reading an upstream's answer to one HTTP request (`Replies`): a JSON body, or an SSE stream
//! resumed with `Last-Event-ID` when the upstream closes it before the response.

use std::collections::VecDeque;
use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::sync::{Mutex, mpsc};
use tokio_util::sync::CancellationToken;

use super::http::{Spec, StreamableState, headers};
use super::sse::{Event, Parser};
use super::{Inbound, MAX_MESSAGE_BYTES, error_chain, parse};
use crate::jsonrpc::Message;
use crate::model::Fault;

/// The messages of one upstream HTTP response, read as they arrive: a JSON body (one message,
/// not streamed), an SSE stream (each `message` event), or nothing (202 Accepted, or an HTTP
/// error without a JSON-RPC body).
///
/// A request's SSE stream that ends before its response is resumed here (2025-11-25
/// basic/transports §Resumability and Redelivery, SEP-1699 polling): when the upstream gave the
/// stream an event id, mcpcp waits the `retry` time it asked for (at most [`MAX_RESUME_WAIT`])
/// and continues the stream with a `GET` carrying `Last-Event-ID` on the same upstream session,
/// as its client would; the caller learns of each pause ([`Next::Paused`]). A stream that cannot
/// be resumed answers the request with an error at once, instead of leaving it to the timeout.
#[derive(Debug)]
pub struct Replies {
    /// The upstream (shared, not copied per response).
    spec: Arc<Spec>,
    status: StatusCode,
    body: Body,
    shutdown: CancellationToken,
    /// The request this answers, when there is one (its upstream id, raw JSON).
    request_id: Option<Box<str>>,
    /// The upstream session a request's stream is resumed on (Streamable HTTP).
    state: Option<Arc<Mutex<StreamableState>>>,
    /// Whether the response to `request_id` came.
    answered: bool,
    /// Set when the stream ended and is to be resumed by the next read.
    resume_due: bool,
    /// Resumptions in a row that brought no message, and in all.
    fruitless: u32,
    resumes: u32,
}

/// What reading a response yields next.
#[derive(Debug)]
pub enum Next {
    /// A message, and whether it came on a stream.
    Message(Message, bool),
    /// The upstream closed the request's stream before its response (SEP-1699 polling); mcpcp
    /// resumes it on the next read.
    Paused,
}

/// The longest mcpcp waits before resuming an upstream's stream, whatever `retry` it asked for.
pub const MAX_RESUME_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long mcpcp waits before resuming a stream whose upstream named no `retry` time.
const DEFAULT_RESUME_WAIT: std::time::Duration = std::time::Duration::from_secs(1);
/// Resumptions in a row that bring nothing before mcpcp gives the answer up.
pub const MAX_FRUITLESS_RESUMES: u32 = 30;

enum Body {
    Json(Source),
    Sse { source: Source, parser: Parser, ready: VecDeque<Event> },
    Done,
}

/// An upstream response whose body is still to be read.
pub(super) enum Source {
    Reqwest(reqwest::Response),
    H1(super::h1::Exchange),
}

impl Source {
    pub(super) fn status(&self) -> StatusCode {
        match self {
            Source::Reqwest(r) => r.status(),
            Source::H1(e) => e.status,
        }
    }

    fn headers(&self) -> &HeaderMap {
        match self {
            Source::Reqwest(r) => r.headers(),
            Source::H1(e) => &e.headers,
        }
    }

    /// The next piece of the body; `None` at its end. Cancel-safe.
    async fn chunk(&mut self) -> Option<Result<bytes::Bytes, String>> {
        match self {
            Source::Reqwest(r) => r.chunk().await.map_err(|e| error_chain(&e)).transpose(),
            Source::H1(e) => e.chunk().await,
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Body::Json(_) => "Json",
            Body::Sse { .. } => "Sse",
            Body::Done => "Done",
        })
    }
}

fn is_event_stream(headers: &HeaderMap) -> bool {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    content_type.get(..17).is_some_and(|t| t.eq_ignore_ascii_case("text/event-stream"))
}

impl Replies {
    pub(super) fn new(
        spec: &Arc<Spec>,
        state: Option<&Arc<Mutex<StreamableState>>>,
        source: Source,
        shutdown: &CancellationToken,
        request_id: Option<&str>,
    ) -> Replies {
        let status = source.status();
        let body = if status == StatusCode::ACCEPTED {
            Body::Done
        } else if is_event_stream(source.headers()) {
            Body::Sse { source, parser: Parser::new(MAX_MESSAGE_BYTES), ready: VecDeque::new() }
        } else {
            Body::Json(source)
        };
        Replies {
            spec: spec.clone(),
            status,
            body,
            shutdown: shutdown.clone(),
            request_id: request_id.map(Into::into),
            state: state.cloned(),
            answered: false,
            resume_due: false,
            fruitless: 0,
            resumes: 0,
        }
    }

    /// An error answer to the request, made by the gateway (`text` says why): for an upstream
    /// that refused it with an HTTP error status and no JSON-RPC body, or whose stream ended
    /// before the response and cannot be resumed. The client learns at once.
    fn answer_for_upstream(&self, text: &str) -> Option<Message> {
        let id = self.request_id.as_deref()?;
        let data = serde_json::json!({
            "fault": Fault::Upstream.as_str(),
            "server": self.spec.server,
            "upstream_status": self.status.as_u16(),
        });
        let json = crate::jsonrpc::error_response(id, crate::jsonrpc::code::INTERNAL_ERROR, text, Some(&data));
        Message::parse(json.as_bytes()).ok()
    }

    /// See [`Replies::answer_for_upstream`]: the upstream refused the request.
    fn refusal(&self) -> Option<Message> {
        if self.status.is_success() {
            return None;
        }
        let reason = self.status.canonical_reason().unwrap_or("");
        let text = format!(
            "upstream server {:?} refused the request: HTTP {} {reason}",
            self.spec.server,
            self.status.as_u16()
        );
        self.answer_for_upstream(text.trim_end())
    }

    /// The HTTP status the upstream answered the request with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Whether everything was read.
    pub fn done(&self) -> bool {
        matches!(self.body, Body::Done)
    }

    /// The next message or pause; `None` at the end (or at shutdown).
    /// Reading an SSE stream is cancel-safe: a dropped call loses nothing.
    pub async fn next(&mut self) -> Option<Next> {
        loop {
            if self.resume_due {
                // Cancel-safe: a read dropped while it waits leaves the resumption due.
                let resumed = self.resume().await;
                self.resume_due = false;
                if let Err(why) = resumed {
                    self.body = Body::Done;
                    tracing::warn!(server = self.spec.server, why, "cannot resume the upstream's stream");
                    return self.unanswered(&why);
                }
            }
            let ended = match &mut self.body {
                Body::Done => return None,
                Body::Json(_) => {
                    let Body::Json(response) = std::mem::replace(&mut self.body, Body::Done) else { return None };
                    let read = read_json(&self.spec.server, self.status, response).await;
                    // An error status whose JSON-RPC body answers no request of ours (an id of
                    // null, say) refuses this one: answer it now, not at the request timeout.
                    let ours = |m: &Message| {
                        self.status.is_success()
                            || m.method.is_some()
                            || self.request_id.as_deref().is_none_or(|id| m.id_text() == id)
                    };
                    let message = read.filter(|(m, _)| ours(m)).or_else(|| self.refusal().map(|m| (m, false)));
                    return message.map(|(m, streamed)| Next::Message(m, streamed));
                }
                Body::Sse { source, parser, ready } => {
                    let mut found = None;
                    while let Some(event) = ready.pop_front() {
                        if event.data.is_empty() || !matches!(event.event.as_deref(), None | Some("message")) {
                            continue;
                        }
                        if let Some(message) = parse(&self.spec.server, event.data.as_bytes()) {
                            found = Some(message);
                            break;
                        }
                    }
                    if let Some(message) = found {
                        self.fruitless = 0;
                        if message.method.is_none()
                            && self.request_id.as_deref().is_some_and(|id| message.id_text() == id)
                        {
                            self.answered = true;
                            // A resumed stream (a GET) ends with the answer: the upstream may
                            // keep it open, but nothing more belongs to this request.
                            if self.resumes > 0 {
                                self.body = Body::Done;
                            }
                        }
                        return Some(Next::Message(message, true));
                    }
                    let chunk = tokio::select! {
                        _ = self.shutdown.cancelled() => return None,
                        chunk = source.chunk() => chunk,
                    };
                    match chunk.map(|c| c.map(|c| parser.feed(&c))) {
                        Some(Ok(Ok(events))) => {
                            ready.extend(events);
                            None
                        }
                        Some(Ok(Err(e))) => {
                            tracing::warn!(server = self.spec.server, error = %e, "upstream SSE stream dropped");
                            Some(false)
                        }
                        Some(Err(_)) | None => Some(parser.last_event_id().is_some()),
                    }
                }
            };
            // The stream ended (`resumable`: it had an event id to resume from).
            if let Some(resumable) = ended {
                if resumable && self.can_resume() {
                    self.resume_due = true;
                    return Some(Next::Paused);
                }
                self.body = Body::Done;
                let why =
                    format!("upstream server {:?} closed the answer's stream before the response", self.spec.server);
                return self.unanswered(&why);
            }
        }
    }

    /// Whether an ended stream is resumed: a request's stream, not yet answered, on a Streamable
    /// HTTP session, while the resumptions keep bringing something.
    fn can_resume(&self) -> bool {
        self.request_id.is_some()
            && !self.answered
            && self.state.is_some()
            && !self.shutdown.is_cancelled()
            && self.fruitless < MAX_FRUITLESS_RESUMES
    }

    /// An error answer to a request whose stream ended unanswered (`None` when it was answered,
    /// is not a request's, or the session is ending).
    fn unanswered(&self, why: &str) -> Option<Next> {
        if self.answered || self.shutdown.is_cancelled() {
            return None;
        }
        self.answer_for_upstream(why).map(|m| Next::Message(m, true))
    }

    /// Continues the ended stream: after the upstream's `retry` time, a `GET` with
    /// `Last-Event-ID` on the upstream session; its events follow the ones read.
    async fn resume(&mut self) -> Result<(), String> {
        let Body::Sse { parser, ready, .. } = &mut self.body else { return Err("nothing to resume".into()) };
        let last = parser.last_event_id().map(str::to_string).ok_or("the stream named no event id")?;
        let wait = parser.retry_ms().map_or(DEFAULT_RESUME_WAIT, std::time::Duration::from_millis);
        parser.discard_partial();
        ready.clear();
        let state = self.state.clone().ok_or("no upstream session")?;
        tokio::select! {
            _ = self.shutdown.cancelled() => return Err("the session ended".into()),
            _ = tokio::time::sleep(wait.min(MAX_RESUME_WAIT)) => {}
        }
        self.fruitless += 1;
        let mut h = headers(&self.spec, Some(&*state.lock().await), None);
        h.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        h.remove(CONTENT_TYPE);
        let id = HeaderValue::from_str(&last).map_err(|_| "the event id is not a header value")?;
        h.insert("last-event-id", id);
        let response = tokio::select! {
            _ = self.shutdown.cancelled() => return Err("the session ended".into()),
            r = self.spec.client.get(self.spec.url.clone()).headers(h).send() => r,
        };
        let response = response.map_err(|e| format!("cannot reach upstream {}: {}", self.spec.url, error_chain(&e)))?;
        if !response.status().is_success() || !is_event_stream(response.headers()) {
            return Err(format!("the upstream answered the resumption with HTTP {}", response.status()));
        }
        tracing::debug!(server = self.spec.server, "resumed the upstream's stream");
        self.resumes += 1;
        if let Body::Sse { source, .. } = &mut self.body {
            *source = Source::Reqwest(response);
        }
        Ok(())
    }

    /// Hands every remaining message (and pause) to the session.
    pub async fn forward_rest(mut self, related: Option<String>, inbound: mpsc::Sender<Inbound>) {
        while let Some(next) = self.next().await {
            let item = match next {
                Next::Message(message, streamed) => Inbound::Message { message, related: related.clone(), streamed },
                Next::Paused => Inbound::Paused { related: related.clone() },
            };
            if inbound.send(item).await.is_err() {
                return;
            }
        }
    }
}

/// The one message of a JSON response body.
async fn read_json(server: &str, status: StatusCode, response: Source) -> Option<(Message, bool)> {
    let body = match read_limited(response).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(server, error = %e, "cannot read upstream response");
            return None;
        }
    };
    if let Some(message) = parse(server, &body) {
        return Some((message, false));
    }
    if !status.is_success() {
        tracing::warn!(server, %status, "upstream answered with an HTTP error and no JSON-RPC body");
    }
    None
}

/// The body, at most [`MAX_MESSAGE_BYTES`]; a body that came in one piece is not copied.
async fn read_limited(mut response: Source) -> Result<bytes::Bytes, String> {
    let too_large = || format!("response larger than {MAX_MESSAGE_BYTES} bytes");
    let Some(first) = response.chunk().await.transpose()? else { return Ok(bytes::Bytes::new()) };
    if first.len() > MAX_MESSAGE_BYTES {
        return Err(too_large());
    }
    let Some(second) = response.chunk().await.transpose()? else { return Ok(first) };
    let mut body = Vec::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if body.len() + chunk.len() > MAX_MESSAGE_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.transpose()?;
    }
    Ok(body.into())
}
