//! `GET /api/v1/logs`: the `TailLogs` operation, and with `follow=true` the activity log as a
//! stream, so `mcpcp --remote … logs tail -f` works like the local one.
//!
//! A follow stream first sends what `logs tail` would (the newest `lines` records; none when
//! `after` is given), then every record committed after them, as they come: NDJSON (one
//! record a line) by default, Server-Sent Events when the client accepts `text/event-stream`
//! (each record an event whose id is the record's, so a client that reconnects with
//! `Last-Event-ID` continues after it). The stream reads the log like the operation does,
//! through the same filter and the admin's scope, every [`POLL`]; it authenticates the token again
//! every second, so a revoked or expired token, a disabled admin or a lost binding ends or narrows
//! it within a second. Idle streams get a keep-alive (an empty line, or an SSE comment) every
//! [`KEEPALIVE`]. Streams are bounded: [`MAX_PER_TOKEN`] per admin token and [`MAX_STREAMS`] in
//! all, more are answered 429.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::problem::Problem;
use super::{Admitted, Shared, admit, authenticate};
use crate::model::ActivityEntry;
use crate::ops::logs::TailLogs;
use crate::ops::operation::Operation;

/// How often a stream looks for new records.
const POLL: Duration = Duration::from_millis(250);
/// How often a stream's token is checked again.
const REAUTHENTICATE: Duration = Duration::from_secs(1);
/// The longest a stream stays silent.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Follow streams per admin token, and in all.
pub const MAX_PER_TOKEN: usize = 4;
pub const MAX_STREAMS: usize = 64;

/// The open follow streams, per admin token.
#[derive(Debug, Default)]
pub struct Streams {
    open: std::sync::Mutex<HashMap<i64, usize>>,
}

/// One open stream; closing it (dropping) frees its place.
pub struct StreamSlot {
    streams: Arc<Shared>,
    token_id: i64,
}

impl Streams {
    fn open(shared: &Arc<Shared>, token_id: i64) -> Option<StreamSlot> {
        let mut open = shared.admin_api.streams.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let total: usize = open.values().sum();
        let mine = open.entry(token_id).or_insert(0);
        if *mine >= MAX_PER_TOKEN || total >= MAX_STREAMS {
            return None;
        }
        *mine += 1;
        Some(StreamSlot { streams: shared.clone(), token_id })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.admin_api.streams.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.token_id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.token_id);
            }
        }
    }
}

/// How the stream is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Ndjson,
    Sse,
}

impl Framing {
    fn of(headers: &HeaderMap) -> Framing {
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
        if accept.contains("text/event-stream") { Framing::Sse } else { Framing::Ndjson }
    }

    fn content_type(self) -> &'static str {
        match self {
            Framing::Ndjson => "application/x-ndjson",
            Framing::Sse => "text/event-stream",
        }
    }

    fn record(self, e: &ActivityEntry) -> Option<Bytes> {
        let json = serde_json::to_string(e).ok()?;
        Some(Bytes::from(match self {
            Framing::Ndjson => format!("{json}\n"),
            Framing::Sse => format!("id: {}\nevent: record\ndata: {json}\n\n", e.id),
        }))
    }

    fn keepalive(self) -> Bytes {
        Bytes::from_static(match self {
            Framing::Ndjson => b"\n",
            Framing::Sse => b": keep-alive\n\n",
        })
    }
}

/// The `/logs` route: the operation, or its stream with `follow=true`.
pub(super) async fn logs(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let admitted = match admit::<TailLogs>(&shared, peer, &headers, HashMap::new(), query, &body).await {
        Ok(admitted) => admitted,
        Err(problem) => return problem.into_response(),
    };
    if !admitted.op.follow {
        return match admitted.execute().await {
            Ok(output) => axum::Json(output).into_response(),
            Err(problem) => problem.into_response(),
        };
    }
    let framing = Framing::of(&headers);
    let mut admitted = admitted;
    // An SSE client that reconnects continues after the last record it received.
    if framing == Framing::Sse
        && let Some(last) = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
    {
        admitted.op.after = Some(last);
    }
    // Checked before the stream starts: a bad filter is a 400, not an empty stream.
    if let Err(e) = admitted.op.conditions(admitted.ctx.now) {
        return Problem::from_ops(&e).into_response();
    }
    let Some(slot) = Streams::open(&shared, admitted.token_id) else {
        return Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("too many log streams open (at most {MAX_PER_TOKEN} per admin token, {MAX_STREAMS} in all)"),
        )
        .into_response();
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::convert::Infallible>>(8);
    tokio::spawn(follow(shared, headers, admitted, framing, tx, slot));
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) });
    let mut response = Body::from_stream(chunks).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(framing.content_type()));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// Writes the stream until the client goes, the token stops being valid, or a read fails.
async fn follow(
    shared: Arc<Shared>,
    headers: HeaderMap,
    admitted: Admitted<TailLogs>,
    framing: Framing,
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::convert::Infallible>>,
    _slot: StreamSlot,
) {
    let Admitted { mut op, mut ctx, mut stores, .. } = admitted;
    op.follow = false;
    let mut checked = Instant::now();
    let mut sent = Instant::now();
    // Without `after`, the first read is the tail; when it finds nothing, following starts at
    // the newest record the admin may see.
    let mut first = op.after.is_none();
    loop {
        if checked.elapsed() >= REAUTHENTICATE {
            match authenticate(&shared, &headers).await {
                Ok(principal) => {
                    ctx.authority = principal.authority;
                    ctx.now = shared.clock.now();
                }
                Err(_) => return,
            }
            checked = Instant::now();
        }
        let read = op.clone();
        let read_ctx = ctx.clone();
        let find_end = first;
        let joined = tokio::task::spawn_blocking(move || {
            let entries = read.run(&mut stores, &read_ctx);
            // The id following starts after, when the tail found nothing: the newest record
            // the admin may see (a record after it matching the filter did not exist yet).
            let start = match &entries {
                Ok(found) if find_end && found.is_empty() => {
                    let end = TailLogs { lines: Some(1), ..TailLogs::default() };
                    Some(end.run(&mut stores, &read_ctx).map(|newest| newest.iter().map(|e| e.id).max().unwrap_or(0)))
                }
                _ => None,
            };
            (stores, entries, start)
        })
        .await;
        let Ok((back, entries, start)) = joined else { return };
        stores = back;
        let entries = match (entries, start.transpose()) {
            (Ok(entries), Ok(start)) => {
                if let Some(start) = start {
                    op.after = Some(start);
                }
                entries
            }
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "an admin API log stream ended: the log could not be read");
                return;
            }
        };
        if first {
            first = false;
            op.lines = None;
        }
        for e in &entries {
            op.after = Some(op.after.unwrap_or(0).max(e.id));
            let Some(chunk) = framing.record(e) else { continue };
            if tx.send(Ok(chunk)).await.is_err() {
                return;
            }
            sent = Instant::now();
        }
        if sent.elapsed() >= KEEPALIVE {
            if tx.send(Ok(framing.keepalive())).await.is_err() {
                return;
            }
            sent = Instant::now();
        }
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            () = tx.closed() => return,
        }
    }
}
