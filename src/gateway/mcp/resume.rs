//! Resumable answer streams (2025-11-25 basic/transports §Resumability and Redelivery, SEP-1699
//! polling): a client of a 2025-11-25 session whose POST is answered with a stream of events can
//! lose its connection and reconnect with `GET` + `Last-Event-ID`, and gets every event after the
//! one it names, exactly once, then what follows.
//!
//! Such a stream begins with a priming event (an id, `retry: RETRY_MS`, empty data) and gives
//! each event an id `TOKEN-SEQ`: `TOKEN` is 128 random bits naming the stream in its session's
//! table only (it encodes nothing, and no other session can name it), `SEQ` counts the stream's
//! events. A task of its own (`pump`) reads what the session sends the stream into a buffer and
//! commits the call's record at the response, whoever is connected; the client's connection
//! (`Reader`) sends from the buffer. When the upstream closes its stream before the response
//! (`Item::Paused`; `upstream::Replies` resumes it upstream), the client's connection is closed
//! too, after what came before, so the polling the upstream asked for passes through.
//!
//! Bounds: a stream holds at most [`STREAM_BUFFER_BYTES`], a session's streams
//! [`SESSION_BUFFER_BYTES`], all of them [`TOTAL_BUFFER_BYTES`] (events already sent are dropped
//! first, oldest first; events not yet sent wait in the session's queue instead, as they would
//! for a slow client); a stream without a connection is kept [`RESUME_WINDOW`], and a session
//! holds at most [`STREAMS_PER_SESSION`]. A stream opened beyond those bounds is sent without
//! ids or priming, so no client waits on a resumption that cannot work.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use futures_util::stream;
use tokio::sync::{Notify, mpsc};
use tokio_util::sync::CancellationToken;

use super::reply::Item;
use super::session::Session;
use super::sse::{KEEP_ALIVE, sse_event};
use super::{Shared, record};
use crate::observe::activity::Draft;

/// The most one stream's buffer holds (events sent and not yet sent).
pub const STREAM_BUFFER_BYTES: usize = 1024 * 1024;
/// The most the buffers of one session's streams hold together.
pub const SESSION_BUFFER_BYTES: usize = 4 * 1024 * 1024;
/// The most the buffers of every stream hold together.
pub const TOTAL_BUFFER_BYTES: usize = 64 * 1024 * 1024;
/// How long a stream waits for its client to reconnect once its connection is gone.
pub const RESUME_WINDOW: Duration = Duration::from_secs(60);
/// The most resumable streams one session holds at once.
pub const STREAMS_PER_SESSION: usize = 64;
/// The `retry` (ms) a priming event asks for: how long a client waits before it reconnects.
pub const RETRY_MS: u64 = 500;

/// A session's resumable streams, by token, and the bytes their buffers hold.
#[derive(Debug, Default)]
pub struct Streams {
    map: Mutex<HashMap<String, Arc<Stream>>>,
    bytes: Arc<AtomicUsize>,
}

/// One resumable stream.
#[derive(Debug)]
pub struct Stream {
    token: String,
    inner: Mutex<Inner>,
    /// Woken at every change: a new event, a connection taken or gone, the end.
    wake: Notify,
    session_bytes: Arc<AtomicUsize>,
    total_bytes: Arc<AtomicUsize>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Events kept, oldest first, with consecutive sequence numbers.
    events: VecDeque<(u64, Bytes)>,
    bytes: usize,
    /// The sequence number of the next event (the priming event is 0).
    next_seq: u64,
    /// Events before this one were handed to a client connection.
    delivered: u64,
    /// The connection sending the stream now (0: none), and the last one handed out.
    reader: u64,
    generation: u64,
    /// Since when no connection sends the stream.
    left_at: Option<Instant>,
    /// The connection ends once it sent what is buffered (the upstream paused its stream).
    close_reader: bool,
    /// The response is in: nothing more comes.
    finished: bool,
    /// Dropped for its bounds or its window: nothing can be resumed.
    evicted: bool,
    /// Reconnections of the client, and resumptions of the upstream's stream.
    resumed: u32,
}

impl Stream {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn event_id(&self, seq: u64) -> String {
        format!("{}-{seq}", self.token)
    }

    /// Whether no connection has sent the stream for longer than the window.
    fn abandoned(inner: &Inner) -> bool {
        inner.reader == 0 && inner.left_at.is_some_and(|t| t.elapsed() > RESUME_WINDOW)
    }

    /// Drops what the buffer holds (the stream cannot be resumed any more).
    fn evict(&self, inner: &mut Inner) {
        inner.evicted = true;
        self.release(inner.bytes);
        inner.bytes = 0;
        inner.events.clear();
        self.wake.notify_waiters();
    }

    fn release(&self, n: usize) {
        self.session_bytes.fetch_sub(n, Ordering::Relaxed);
        self.total_bytes.fetch_sub(n, Ordering::Relaxed);
    }

    /// Whether `len` more bytes fit every bound.
    fn fits(&self, inner: &Inner, len: usize) -> bool {
        inner.bytes + len <= STREAM_BUFFER_BYTES
            && self.session_bytes.load(Ordering::Relaxed) + len <= SESSION_BUFFER_BYTES
            && self.total_bytes.load(Ordering::Relaxed) + len <= TOTAL_BUFFER_BYTES
    }

    /// Appends an event carrying `json` (its id added). Waits while the buffer is full of events
    /// not yet sent; `false` when the stream was evicted or the session ended meanwhile.
    async fn push(&self, json: &str, closed: &CancellationToken) -> bool {
        loop {
            let notified = self.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut inner = self.lock();
                if inner.evicted {
                    return false;
                }
                if Self::abandoned(&inner) {
                    self.evict(&mut inner);
                    return false;
                }
                let seq = inner.next_seq;
                let mut event = format!("id: {}\n", self.event_id(seq)).into_bytes();
                event.extend_from_slice(&sse_event(json));
                let event = Bytes::from(event);
                // Sent events go first, oldest first, to make room.
                while !self.fits(&inner, event.len()) && inner.events.front().is_some_and(|(s, _)| *s < inner.delivered)
                {
                    if let Some((_, old)) = inner.events.pop_front() {
                        inner.bytes -= old.len();
                        self.release(old.len());
                    }
                }
                // What is left is not sent yet; one event always fits an empty buffer.
                if inner.events.is_empty() || self.fits(&inner, event.len()) {
                    inner.bytes += event.len();
                    self.session_bytes.fetch_add(event.len(), Ordering::Relaxed);
                    self.total_bytes.fetch_add(event.len(), Ordering::Relaxed);
                    inner.events.push_back((seq, event));
                    inner.next_seq += 1;
                    drop(inner);
                    self.wake.notify_waiters();
                    return true;
                }
            }
            tokio::select! {
                _ = closed.cancelled() => return false,
                _ = notified => {}
                // The window may pass while nothing else happens.
                _ = tokio::time::sleep(RESUME_WINDOW) => {}
            }
        }
    }

    /// The upstream paused its stream: the client's connection closes after what came before.
    fn pause(&self) {
        let mut inner = self.lock();
        inner.resumed += 1;
        inner.close_reader = inner.reader != 0;
        drop(inner);
        self.wake.notify_waiters();
    }

    /// A connection that sends the events after `after` (the priming event's sequence number for
    /// the first one). `None` when one of them is no longer held.
    fn attach(self: &Arc<Self>, after: u64, closed: CancellationToken) -> Option<Reader> {
        let mut inner = self.lock();
        let first_held = inner.events.front().map_or(inner.next_seq, |(s, _)| *s);
        if inner.evicted || after >= inner.next_seq || after + 1 < first_held {
            return None;
        }
        inner.generation += 1;
        if inner.generation > 1 {
            inner.resumed += 1;
        }
        inner.reader = inner.generation;
        // Only this connection sends now: what it has not sent is not delivered.
        inner.delivered = after + 1;
        inner.close_reader = false;
        inner.left_at = None;
        let generation = inner.generation;
        drop(inner);
        // A connection still sending the stream (its client gone unnoticed) ends.
        self.wake.notify_waiters();
        Some(Reader { stream: self.clone(), generation, cursor: after + 1, prefix: None, closed })
    }

    /// Whether the stream is over: the response sent and its connection gone, or no
    /// connection for longer than the window.
    fn over(&self) -> bool {
        let inner = self.lock();
        inner.evicted
            || Self::abandoned(&inner)
            || (inner.finished && inner.reader == 0 && inner.delivered >= inner.next_seq)
    }
}

impl Streams {
    /// A new resumable stream of `session`, if its bounds allow one.
    fn open(&self, session: &Session) -> Option<Arc<Stream>> {
        let total = session.buffered_total();
        if total.load(Ordering::Relaxed) >= TOTAL_BUFFER_BYTES
            || self.bytes.load(Ordering::Relaxed) >= SESSION_BUFFER_BYTES
        {
            return None;
        }
        let token = crate::secrets::hex(&crate::secrets::random_bytes::<16>().ok()?);
        let stream = Arc::new(Stream {
            token: token.clone(),
            inner: Mutex::new(Inner { next_seq: 1, ..Inner::default() }),
            wake: Notify::new(),
            session_bytes: self.bytes.clone(),
            total_bytes: total,
        });
        let mut map = self.map.lock().ok()?;
        if map.len() >= STREAMS_PER_SESSION {
            return None;
        }
        map.insert(token, stream.clone());
        Some(stream)
    }

    fn remove(&self, stream: &Stream) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(&stream.token);
        }
        let mut inner = stream.lock();
        stream.release(inner.bytes);
        inner.bytes = 0;
        inner.events.clear();
        inner.evicted = true;
    }

    /// The connection that continues the stream `last_event_id` names, after that event. `None`
    /// for an id this session did not give, or whose stream can no longer be resumed.
    pub fn resume(&self, last_event_id: &str, closed: CancellationToken) -> Option<Reader> {
        let (token, seq) = last_event_id.split_once('-')?;
        if token.len() != 32 || seq.is_empty() || seq.len() > 19 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let stream = self.map.lock().ok()?.get(token).cloned()?;
        stream.attach(seq.parse().ok()?, closed)
    }
}

/// A client connection sending a stream's events, from `cursor` on.
#[derive(Debug)]
pub struct Reader {
    stream: Arc<Stream>,
    generation: u64,
    cursor: u64,
    /// The priming event, sent first on the stream's first connection.
    prefix: Option<Bytes>,
    closed: CancellationToken,
}

impl Drop for Reader {
    fn drop(&mut self) {
        let mut inner = self.stream.lock();
        if inner.reader == self.generation {
            inner.reader = 0;
            inner.left_at = Some(Instant::now());
        }
        drop(inner);
        self.stream.wake.notify_waiters();
    }
}

impl Reader {
    /// The connection's body.
    pub fn body(self) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> + Send + 'static {
        stream::unfold(self, |mut r| async move {
            if let Some(prefix) = r.prefix.take() {
                return Some((Ok(prefix), r));
            }
            loop {
                let stream = r.stream.clone();
                let notified = stream.wake.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                {
                    let mut inner = stream.lock();
                    if inner.reader != r.generation || inner.evicted {
                        return None;
                    }
                    let first = inner.events.front().map_or(inner.next_seq, |(s, _)| *s);
                    if r.cursor < first {
                        return None;
                    }
                    let index = usize::try_from(r.cursor.saturating_sub(first)).unwrap_or(usize::MAX);
                    if let Some((seq, event)) = inner.events.get(index).cloned() {
                        r.cursor = seq + 1;
                        inner.delivered = inner.delivered.max(r.cursor);
                        drop(inner);
                        stream.wake.notify_waiters();
                        return Some((Ok(event), r));
                    }
                    if inner.finished && r.cursor >= inner.next_seq {
                        return None;
                    }
                    if inner.close_reader {
                        inner.close_reader = false;
                        return None;
                    }
                }
                tokio::select! {
                    _ = &mut notified => {}
                    _ = r.closed.cancelled() => return None,
                    _ = tokio::time::sleep(KEEP_ALIVE) => return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), r)),
                }
            }
        })
    }
}

/// Whether a session's answer streams are resumable: a 2025-11-25 client (older ones cannot
/// read a priming event's empty data) on Streamable HTTP.
fn resumable(session: &Session) -> bool {
    !session.legacy && session.version() >= "2025-11-25"
}

/// The answer stream of a forwarded request: resumable when the session allows it (see the
/// module), else a plain stream that stays open until the response.
pub(super) fn respond(
    shared: &Arc<Shared>,
    session: &Arc<Session>,
    first: Item,
    rx: mpsc::Receiver<Item>,
    draft: Draft,
) -> axum::response::Response {
    let Some(stream) = resumable(session).then(|| session.streams.open(session)).flatten() else {
        let body = super::sse_stream(Some(first), rx, session.closed.clone(), Some((shared.clone(), draft)));
        return super::sse_response(body);
    };
    let Some(mut reader) = stream.attach(0, session.closed.clone()) else {
        session.streams.remove(&stream);
        let body = super::sse_stream(Some(first), rx, session.closed.clone(), Some((shared.clone(), draft)));
        return super::sse_response(body);
    };
    reader.prefix = Some(Bytes::from(format!("id: {}\nretry: {RETRY_MS}\ndata: \n\n", stream.event_id(0))));
    tokio::spawn(pump(shared.clone(), session.clone(), stream, first, rx, draft));
    super::sse_response(reader.body())
}

/// Reads what the session sends the stream into its buffer, and commits the call's record at the
/// response (before the response event is buffered); then keeps the stream for its client until
/// it is over.
async fn pump(
    shared: Arc<Shared>,
    session: Arc<Session>,
    stream: Arc<Stream>,
    first: Item,
    mut rx: mpsc::Receiver<Item>,
    mut draft: Draft,
) {
    let mut next = Some(first);
    let mut buffering = true;
    loop {
        let item = match next.take() {
            Some(item) => item,
            None => tokio::select! {
                _ = session.closed.cancelled() => break,
                item = rx.recv() => match item { Some(item) => item, None => break },
            },
        };
        match item {
            Item::Message(json) => {
                if buffering && !stream.push(&json, &session.closed).await {
                    // Evicted: the rest is not kept, but the call is still recorded.
                    buffering = false;
                    session.streams.remove(&stream);
                }
            }
            Item::Paused => stream.pause(),
            Item::Final(answer) => {
                draft.resumed = stream.lock().resumed;
                let json = record::settle_answer(&shared, draft, answer).await;
                if buffering && stream.push(&json, &session.closed).await {
                    stream.lock().finished = true;
                    stream.wake.notify_waiters();
                }
                break;
            }
        }
    }
    // Kept until the response was sent and its connection ended, or the window passed.
    loop {
        let notified = stream.wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if stream.over() || session.closed.is_cancelled() {
            break;
        }
        tokio::select! {
            _ = notified => {}
            _ = session.closed.cancelled() => {}
            _ = tokio::time::sleep(RESUME_WINDOW) => {}
        }
    }
    session.streams.remove(&stream);
}

#[cfg(test)]
mod tests {
    use futures_util::{FutureExt, StreamExt};

    use super::*;

    fn stream() -> Arc<Stream> {
        Arc::new(Stream {
            token: "ab".repeat(16),
            inner: Mutex::new(Inner { next_seq: 1, ..Inner::default() }),
            wake: Notify::new(),
            session_bytes: Arc::default(),
            total_bytes: Arc::default(),
        })
    }

    /// The next chunk a connection sends, if one is ready now.
    async fn next_now(body: &mut (impl futures_util::Stream<Item = Result<Bytes, Infallible>> + Unpin)) -> String {
        let chunk = body.next().now_or_never().flatten().expect("a chunk ready").unwrap();
        String::from_utf8(chunk.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_connection_continues_after_the_event_it_names() {
        let s = stream();
        let closed = CancellationToken::new();
        let first = s.attach(0, closed.clone()).unwrap();
        for n in 1..=3 {
            assert!(s.push(&format!("{{\"n\":{n}}}"), &closed).await);
        }
        let mut body = Box::pin(first.body());
        assert_eq!(next_now(&mut body).await, format!("id: {}-1\nevent: message\ndata: {{\"n\":1}}\n\n", s.token));
        assert!(next_now(&mut body).await.contains("\"n\":2"));
        // The client saw only the first; it resumes after it and gets 2 and 3 again, exactly.
        let second = s.attach(1, closed.clone()).unwrap();
        assert!(body.next().await.is_none(), "the replaced connection ends");
        drop(body);
        let mut body = Box::pin(second.body());
        assert!(next_now(&mut body).await.contains("\"n\":2"));
        assert!(next_now(&mut body).await.contains("\"n\":3"));
        assert!(body.next().now_or_never().is_none(), "nothing more yet");
        assert_eq!(s.lock().resumed, 1);
        // Ids it never gave are refused.
        assert!(s.attach(4, closed.clone()).is_none());
        // The upstream pauses: the connection ends after what came before.
        assert!(s.push("{\"n\":4}", &closed).await);
        s.pause();
        assert!(next_now(&mut body).await.contains("\"n\":4"));
        assert!(body.next().await.is_none());
        assert_eq!(s.lock().resumed, 2);
    }

    #[tokio::test]
    async fn sent_events_make_room_and_unsent_ones_wait() {
        let s = stream();
        let closed = CancellationToken::new();
        let big = format!("\"{}\"", "x".repeat(STREAM_BUFFER_BYTES / 4));
        let reader = s.attach(0, closed.clone()).unwrap();
        let mut body = Box::pin(reader.body());
        for _ in 0..12 {
            assert!(s.push(&big, &closed).await);
            next_now(&mut body).await;
            assert!(s.lock().bytes <= STREAM_BUFFER_BYTES, "sent events were dropped to make room");
        }
        // Event 1 is long gone: resuming after it cannot work.
        let first_held = s.lock().events.front().unwrap().0;
        assert!(first_held > 2);
        assert!(s.attach(1, closed.clone()).is_none());
        // A connection resuming from the oldest event held makes every held event unsent again:
        // nothing can be dropped, so a push waits.
        assert!(s.attach(first_held - 1, closed.clone()).is_some());
        assert!(s.push(&big, &closed).now_or_never().is_none());
        // From the newest: without a connection reading, sent events make room, then unsent ones
        // fill the buffer and a push waits.
        let newest = s.lock().next_seq - 1;
        assert!(s.attach(newest, closed.clone()).is_some());
        let mut pushed = 0;
        while s.push(&big, &closed).now_or_never() == Some(true) {
            pushed += 1;
        }
        assert!((1..=4).contains(&pushed), "{pushed}");
        assert!(s.lock().bytes <= STREAM_BUFFER_BYTES + big.len() + 64);
        assert_eq!(s.total_bytes.load(Ordering::Relaxed), s.lock().bytes);
        // Evicted: everything is released, and nothing can be resumed.
        let mut inner = s.lock();
        s.evict(&mut inner);
        drop(inner);
        assert_eq!(s.total_bytes.load(Ordering::Relaxed), 0);
        assert!(s.attach(first_held, closed).is_none());
    }
}
