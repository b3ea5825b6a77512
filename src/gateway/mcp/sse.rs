//! Server-sent events: the `text/event-stream` bodies of Streamable HTTP answers (a whole
//! answer, or a stream ending with the response, recorded before it is released) and of the
//! standalone and legacy streams, with keep-alive comments on idle streams.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::session::Item;
use super::{Shared, record};
use crate::observe::activity::Draft;

/// SSE comment sent on idle streams so proxies keep them open.
pub(super) const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub(crate) fn sse_response(stream: impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache, no-transform")),
            (header::HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no")),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// What comes before the JSON of an SSE message event.
const SSE_EVENT_PREFIX: &str = "event: message\ndata: ";

/// A streamed answer whose response came first: the one event as a whole `text/event-stream`
/// body (no chunked stream to poll). The draft shares the JSON inside the event (no copy).
pub(super) fn sse_whole_response(json: &str, draft: &mut Draft) -> Response {
    let event = sse_event(json);
    draft.response = Some(if one_line(json) {
        event.slice(SSE_EVENT_PREFIX.len()..SSE_EVENT_PREFIX.len() + json.len())
    } else {
        Bytes::copy_from_slice(json.as_bytes())
    });
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache, no-transform")),
            (header::HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no")),
        ],
        event,
    )
        .into_response()
}

fn one_line(json: &str) -> bool {
    !json.bytes().any(|b| b == b'\n' || b == b'\r')
}

/// One SSE `message` event carrying `json`. A JSON text with line breaks (an upstream that
/// pretty-prints) becomes one `data:` line per line, which the client joins back with `\n`; JSON
/// strings cannot hold raw line breaks, so no value changes.
pub(super) fn sse_event(json: &str) -> Bytes {
    let mut out = String::with_capacity(json.len() + 24);
    if one_line(json) {
        out.push_str(SSE_EVENT_PREFIX);
        out.push_str(json);
        out.push_str("\n\n");
    } else {
        out.push_str("event: message\n");
        for line in json.split(['\r', '\n']) {
            out.push_str("data: ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    Bytes::from(out)
}

/// An SSE body: `first`, then items until the response or the session closes. With a `record`,
/// the response is the end: it is recorded (and committed) before it is released. Idle streams
/// carry a comment every [`KEEP_ALIVE`].
pub(crate) fn sse_stream(
    first: Option<Item>,
    rx: mpsc::Receiver<Item>,
    closed: CancellationToken,
    record: Option<(Arc<Shared>, Draft)>,
) -> impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static {
    struct State {
        first: Option<Item>,
        rx: mpsc::Receiver<Item>,
        closed: CancellationToken,
        record: Option<(Arc<Shared>, Draft)>,
        /// A POST stream ends at its response; the GET stream does not.
        post: bool,
        done: bool,
    }
    let post = record.is_some();
    let state = State { first, rx, closed, record, post, done: false };
    stream::unfold(state, |mut st| async move {
        if st.done {
            return None;
        }
        let item = loop {
            let next = match st.first.take() {
                Some(item) => item,
                None => {
                    let next = tokio::select! {
                        _ = st.closed.cancelled() => return None,
                        item = tokio::time::timeout(KEEP_ALIVE, st.rx.recv()) => item,
                    };
                    match next {
                        Err(_) => return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), st)),
                        Ok(None) => return None,
                        Ok(Some(item)) => item,
                    }
                }
            };
            // mcpcp resumes the upstream's stream itself: this stream stays open (a resumable
            // one is served by `resume.rs` instead).
            if !matches!(next, Item::Paused) {
                break next;
            }
            if let Some((_, draft)) = st.record.as_mut() {
                draft.resumed += 1;
            }
        };
        match item {
            Item::Message(json) => Some((Ok(sse_event(&json)), st)),
            Item::Paused => None,
            Item::Final(answer) => {
                st.done = st.post;
                let event = match st.record.take() {
                    Some((shared, draft)) => sse_event(&record::settle_answer(&shared, draft, answer).await),
                    None => sse_event(&answer.json),
                };
                Some((Ok(event), st))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_events_keep_pretty_printed_json_in_one_event() {
        let compact = r#"{"jsonrpc":"2.0","id":1,"result":{}}"#;
        assert_eq!(&sse_event(compact)[..], format!("event: message\ndata: {compact}\n\n").as_bytes());
        let pretty = "{\r\n  \"jsonrpc\": \"2.0\",\n  \"id\": 1,\n  \"result\": {\"text\": \"a\\nb\"}\n}";
        let event = String::from_utf8(sse_event(pretty).to_vec()).unwrap();
        assert!(event.ends_with("\n\n") && event.matches("\n\n").count() == 1, "one event: {event:?}");
        // What an SSE client reads: the data lines joined with \n.
        let data: Vec<&str> = event.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
        let value: serde_json::Value = serde_json::from_str(&data.join("\n")).unwrap();
        assert_eq!(value["result"]["text"], "a\nb");
    }
}
