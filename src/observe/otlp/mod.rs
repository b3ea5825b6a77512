//! Exporting the spans of every recorded call to an OpenTelemetry collector over OTLP/HTTP
//! (protobuf, `{endpoint}/v1/traces`), when `telemetry.otlp_endpoint` is set.
//!
//! The request path pays for a copy of a few of its record's fields and one `try_send` into a
//! bounded queue ([`Spans::offer`]): a full queue drops the call's spans and counts them, so a
//! slow or absent collector never slows a call. One thread (`mcpcp-otlp`) takes the calls from
//! the queue, turns them into spans (`map`), and exports them in batches (up to 512 calls, or
//! what came within a second; while a batch gathers the thread sleeps between looks at the queue,
//! so a call wakes it only when it starts a batch) through `opentelemetry-otlp`'s HTTP exporter on reqwest's blocking
//! client (the exporter's own retries: three, with backoff, within a 10 s timeout). A batch that
//! still fails is dropped and counted, and the thread backs off before the next attempt (1 s,
//! doubling up to a minute) while the queue fills and then drops. [`Spans::shutdown`] exports
//! what is queued, waiting a bounded time. [`Spans::stats`] counts what was exported and dropped.

mod map;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TryRecvError, TrySendError};
use std::task::{Context, Poll, Wake};
use std::time::{Duration, Instant};

use opentelemetry::{InstrumentationScope, KeyValue};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SpanExporter;

pub use map::{Call, Pending};

/// How the exporter batches, queues and backs off.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Calls waiting for the exporter's thread; past it a call's spans are dropped.
    pub queue: usize,
    /// The most calls exported in one request.
    pub max_batch: usize,
    /// How long a batch waits for more calls after its first.
    pub delay: Duration,
    /// While a batch gathers, how long the thread sleeps between two looks at the queue.
    pub pause: Duration,
    /// How long one export may take, its retries included.
    pub timeout: Duration,
    /// The pause after a failed export, doubled after each further one up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            queue: 2048,
            max_batch: 512,
            delay: Duration::from_secs(1),
            pause: Duration::from_millis(10),
            timeout: Duration::from_secs(10),
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
        }
    }
}

/// What the exporter did, in spans (a call is one span and one per step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Handed to the exporter by the request path.
    pub offered: u64,
    /// Accepted by the collector.
    pub exported: u64,
    /// Dropped on the request path: the queue was full.
    pub dropped_queue_full: u64,
    /// Dropped because their export failed (after the exporter's retries).
    pub dropped_export_failed: u64,
    /// Still queued or being exported when the gateway stopped (set by [`Spans::shutdown`]).
    pub dropped_unsent: u64,
    /// Export requests that failed.
    pub failed_exports: u64,
}

impl Stats {
    /// Spans that never reached the collector, whatever the reason.
    pub fn dropped(&self) -> u64 {
        self.dropped_queue_full + self.dropped_export_failed + self.dropped_unsent
    }
}

#[derive(Default)]
struct Counters {
    offered: AtomicU64,
    exported: AtomicU64,
    queue_full: AtomicU64,
    export_failed: AtomicU64,
    unsent: AtomicU64,
    failed_exports: AtomicU64,
    /// Told of every span dropped, whatever the reason (the `spans_dropped` metric).
    on_drop: std::sync::OnceLock<Box<dyn Fn(u64) + Send + Sync>>,
}

impl Counters {
    /// Counts `n` spans dropped for the reason `why`.
    fn drop_spans(&self, why: &AtomicU64, n: u64) {
        why.fetch_add(n, Ordering::Relaxed);
        if let Some(tell) = self.on_drop.get() {
            tell(n);
        }
    }
}

enum Item {
    Call(Box<Call>),
    /// Export everything queued before this, then answer.
    Flush(mpsc::Sender<()>),
}

/// The handle the recorder hands calls to. Cloning is cheap; the thread ends with the last one.
#[derive(Clone)]
pub struct Spans {
    tx: SyncSender<Item>,
    counters: Arc<Counters>,
    endpoint: Arc<str>,
}

impl std::fmt::Debug for Spans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spans").field("endpoint", &self.endpoint).field("stats", &self.stats()).finish()
    }
}

impl Spans {
    /// Starts exporting to the collector at `endpoint` (a base URL, as `config` validated it).
    pub fn start(endpoint: &str) -> Result<Spans, String> {
        let settings = Settings::default();
        let (url, timeout) = (format!("{endpoint}/v1/traces"), settings.timeout);
        Spans::start_with(endpoint, settings, move || otlp_http(&url, timeout))
    }

    /// Starts the exporter's thread, which builds its exporter with `make` (on that thread: the
    /// blocking HTTP client must not be built, used or dropped on an async runtime's thread).
    pub fn start_with<E, F>(endpoint: &str, settings: Settings, make: F) -> Result<Spans, String>
    where
        E: SpanExporter + 'static,
        F: FnOnce() -> Result<E, String> + Send + 'static,
    {
        let (tx, rx) = mpsc::sync_channel(settings.queue.max(1));
        let counters = Arc::new(Counters::default());
        let endpoint: Arc<str> = endpoint.into();
        let (ready_tx, ready) = mpsc::channel();
        let worker = Worker { rx, counters: counters.clone(), endpoint: endpoint.clone(), settings };
        std::thread::Builder::new()
            .name("mcpcp-otlp".into())
            .spawn(move || match make() {
                Ok(exporter) => {
                    let _ = ready_tx.send(Ok(()));
                    worker.run(&exporter);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })
            .map_err(|e| format!("cannot start the span exporter: {e}"))?;
        ready
            .recv()
            .map_err(|_| "the span exporter stopped while starting".to_string())?
            .map_err(|e| format!("cannot export spans to {endpoint}: {e}"))?;
        Ok(Spans { tx, counters, endpoint })
    }

    /// Hands a recorded call to the exporter without waiting: when the queue is full, its spans
    /// are dropped and counted.
    pub fn offer(&self, call: Call) {
        let spans = call.span_count();
        self.counters.offered.fetch_add(spans, Ordering::Relaxed);
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) = self.tx.try_send(Item::Call(Box::new(call)))
        {
            self.counters.drop_spans(&self.counters.queue_full, spans);
        }
    }

    /// Calls `tell` with the number of spans each time some are dropped, from then on (the
    /// gateway's `spans_dropped` metric; set once, before the gateway serves).
    pub fn on_drop(&self, tell: impl Fn(u64) + Send + Sync + 'static) {
        let _ = self.counters.on_drop.set(Box::new(tell));
    }

    /// What was exported and dropped so far.
    pub fn stats(&self) -> Stats {
        let c = &self.counters;
        Stats {
            offered: c.offered.load(Ordering::Relaxed),
            exported: c.exported.load(Ordering::Relaxed),
            dropped_queue_full: c.queue_full.load(Ordering::Relaxed),
            dropped_export_failed: c.export_failed.load(Ordering::Relaxed),
            dropped_unsent: c.unsent.load(Ordering::Relaxed),
            failed_exports: c.failed_exports.load(Ordering::Relaxed),
        }
    }

    /// Spans that never reached the collector so far (for the `spans_dropped` metric).
    pub fn dropped_spans(&self) -> u64 {
        self.stats().dropped()
    }

    /// Exports what is queued, waiting at most `within` (a collector that is down or slow
    /// cannot hold the gateway's exit); what is left then counts as dropped. Logs and returns
    /// the totals.
    pub fn shutdown(&self, within: Duration) -> Stats {
        let deadline = Instant::now() + within;
        let (done, flushed) = mpsc::channel();
        let mut item = Item::Flush(done);
        loop {
            match self.tx.try_send(item) {
                Ok(()) => {
                    let _ = flushed.recv_timeout(deadline.saturating_duration_since(Instant::now()));
                    break;
                }
                Err(TrySendError::Full(back)) if Instant::now() < deadline => {
                    item = back;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(_) => break,
            }
        }
        let s = self.stats();
        let settled = s.exported + s.dropped_queue_full + s.dropped_export_failed + s.dropped_unsent;
        self.counters.drop_spans(&self.counters.unsent, s.offered.saturating_sub(settled));
        let s = self.stats();
        tracing::info!(
            endpoint = %self.endpoint,
            exported = s.exported,
            dropped = s.dropped(),
            queue_full = s.dropped_queue_full,
            export_failed = s.dropped_export_failed,
            unsent = s.dropped_unsent,
            failed_exports = s.failed_exports,
            "span export stopped"
        );
        s
    }
}

/// `opentelemetry-otlp`'s OTLP/HTTP exporter (protobuf) to `url`, with mcpcp's resource. It
/// reads `OTEL_EXPORTER_OTLP_HEADERS` (and `OTEL_EXPORTER_OTLP_TRACES_HEADERS`) itself: the
/// standard way to give a collector's credentials.
fn otlp_http(url: &str, timeout: Duration) -> Result<opentelemetry_otlp::SpanExporter, String> {
    use opentelemetry_otlp::{Protocol, WithExportConfig};
    let mut exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(url)
        .with_protocol(Protocol::HttpBinary)
        .with_timeout(timeout)
        .build()
        .map_err(|e| e.to_string())?;
    exporter.set_resource(&resource());
    Ok(exporter)
}

/// The resource every span is exported with: the service, its version, and this process (a
/// random UUID per start, as the conventions recommend for `service.instance.id`).
pub fn resource() -> Resource {
    let b = crate::secrets::random_bytes::<16>().unwrap_or([0; 16]);
    let mut hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    // A version 4 (random) UUID: the version nibble and the variant bits set.
    hex.replace_range(12..13, "4");
    hex.replace_range(16..17, &format!("{:x}", 0x8 | (b[8] >> 4 & 0x3)));
    let uuid = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
    Resource::builder_empty()
        .with_attributes([
            KeyValue::new("service.name", "mcpcp"),
            KeyValue::new("service.version", env!("CARGO_PKG_VERSION")),
            KeyValue::new("service.instance.id", uuid),
        ])
        .build()
}

/// The exporter's thread: batches, exports, backs off.
struct Worker {
    rx: Receiver<Item>,
    counters: Arc<Counters>,
    endpoint: Arc<str>,
    settings: Settings,
}

/// How the exports have been going, for the log.
struct Health {
    failures_in_a_row: u64,
    backoff: Duration,
    retry_at: Option<Instant>,
    /// When the last warning about dropped spans was logged, and the drops counted then.
    warned: Option<Instant>,
    reported: u64,
}

impl Worker {
    fn run<E: SpanExporter>(self, exporter: &E) {
        let scope = InstrumentationScope::builder("mcpcp").with_version(env!("CARGO_PKG_VERSION")).build();
        let mut ids = map::Ids::new();
        let mut batch: Vec<Call> = Vec::new();
        let mut since: Option<Instant> = None;
        let mut waiting: Vec<mpsc::Sender<()>> = Vec::new();
        let mut open = true;
        let mut pause = self.settings.pause;
        let mut health = Health {
            failures_in_a_row: 0,
            backoff: self.settings.first_backoff,
            retry_at: None,
            warned: None,
            reported: 0,
        };
        loop {
            let now = Instant::now();
            let backing_off = health.retry_at.is_some_and(|r| now < r);
            let full = batch.len() >= self.settings.max_batch;
            let due = full || since.is_some_and(|s| now >= s + self.settings.delay);
            // A flush (shutdown) or the queue's end exports at once, backing off or not.
            if !batch.is_empty() && ((due && !backing_off) || !waiting.is_empty() || !open) {
                since = None;
                self.export(exporter, std::mem::take(&mut batch), &mut ids, &scope, &mut health);
                continue;
            }
            for done in waiting.drain(..) {
                let _ = done.send(());
            }
            if !open {
                return;
            }
            if full {
                // Backing off with a full batch: take no more, the queue holds (then drops) them.
                std::thread::sleep(health.retry_at.map_or(Duration::ZERO, |r| r.saturating_duration_since(now)));
                continue;
            }
            if batch.is_empty() {
                // Idle: wait for the first call of the next batch. This is the one time a batch
                // wakes the thread from the request path (a `try_send` to a thread that waits
                // in `recv` is a system call and a context switch).
                match self.rx.recv_timeout(Duration::from_secs(3600)) {
                    Ok(Item::Call(call)) => {
                        since = Some(Instant::now());
                        pause = self.settings.pause;
                        batch.push(*call);
                    }
                    Ok(Item::Flush(done)) => waiting.push(done),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => open = false,
                }
                continue;
            }
            // Gathering: take what queued meanwhile without blocking, then pause. A `try_send`
            // to a thread that sleeps wakes nobody, so calls cost the request path no system
            // call while a batch gathers; the pause grows while nothing comes (up to 4 times
            // `pause`: the queue holds 2048 calls, a burst of more than about 50,000 calls a
            // second would be needed to fill it meanwhile).
            let mut took = false;
            while batch.len() < self.settings.max_batch {
                match self.rx.try_recv() {
                    Ok(Item::Call(call)) => {
                        took = true;
                        batch.push(*call);
                    }
                    Ok(Item::Flush(done)) => waiting.push(done),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        open = false;
                        break;
                    }
                }
            }
            if !open || !waiting.is_empty() || batch.len() >= self.settings.max_batch {
                continue;
            }
            pause = if took { self.settings.pause } else { (pause * 2).min(self.settings.pause * 4) };
            let due_in = since.map_or(Duration::ZERO, |s| {
                (s + self.settings.delay).max(health.retry_at.unwrap_or(now)).saturating_duration_since(now)
            });
            std::thread::sleep(pause.min(due_in));
        }
    }

    fn export<E: SpanExporter>(
        &self,
        exporter: &E,
        calls: Vec<Call>,
        ids: &mut map::Ids,
        scope: &InstrumentationScope,
        health: &mut Health,
    ) {
        let mut spans = Vec::with_capacity(calls.iter().map(|c| c.span_count() as usize).sum());
        for call in calls {
            map::spans_into(call, ids, scope, &mut spans);
        }
        let n = spans.len() as u64;
        let c = &self.counters;
        let error = match block_on(exporter.export(spans)) {
            Ok(()) => {
                c.exported.fetch_add(n, Ordering::Relaxed);
                if health.failures_in_a_row > 0 {
                    tracing::info!(endpoint = %self.endpoint, failed = health.failures_in_a_row, "exporting spans again");
                }
                health.failures_in_a_row = 0;
                health.backoff = self.settings.first_backoff;
                health.retry_at = None;
                None
            }
            Err(e) => {
                c.drop_spans(&c.export_failed, n);
                c.failed_exports.fetch_add(1, Ordering::Relaxed);
                health.failures_in_a_row += 1;
                health.retry_at = Some(Instant::now() + health.backoff);
                health.backoff = (health.backoff * 2).min(self.settings.max_backoff);
                tracing::debug!(endpoint = %self.endpoint, error = %e, "span export failed");
                Some(e.to_string())
            }
        };
        // Drops are logged at once the first time, then at most once a minute while they go on.
        let (full, failed) = (c.queue_full.load(Ordering::Relaxed), c.export_failed.load(Ordering::Relaxed));
        if full + failed > health.reported && health.warned.is_none_or(|w| w.elapsed() >= Duration::from_secs(60)) {
            tracing::warn!(
                endpoint = %self.endpoint,
                dropped = full + failed - health.reported,
                queue_full = full,
                export_failed = failed,
                failed_exports = c.failed_exports.load(Ordering::Relaxed),
                error = error.as_deref().unwrap_or("-"),
                retry_in_s = health.retry_at.map_or(0.0, |r| r.saturating_duration_since(Instant::now()).as_secs_f64()),
                "spans dropped: the collector failed or the export queue was full"
            );
            health.warned = Some(Instant::now());
            health.reported = full + failed;
        }
    }
}

/// Runs a future to completion on this thread. The exporter's future does its HTTP on reqwest's
/// blocking client (and sleeps between retries with `std::thread::sleep`), so it needs no
/// runtime: this only polls, parking until woken.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Arc::new(Unpark(std::thread::current())).into();
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

#[cfg(test)]
mod tests;
