//! The exporter's thread against an exporter of the tests' own: batching, flushing, the bounded
//! queue, failures and backoff, and a shutdown that a hung collector cannot hold.

#![allow(clippy::unwrap_used)]

use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use opentelemetry_sdk::error::{OTelSdkError, OTelSdkResult};
use opentelemetry_sdk::trace::SpanData;

use super::*;

/// Keeps what it is sent; fails or hangs when told to.
#[derive(Debug, Clone, Default)]
struct Sink {
    batches: Arc<Mutex<Vec<Vec<SpanData>>>>,
    attempts: Arc<Mutex<Vec<Instant>>>,
    fail: Arc<AtomicBool>,
    hang: Arc<AtomicBool>,
}

impl SpanExporter for Sink {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        self.attempts.lock().unwrap().push(Instant::now());
        while self.hang.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
        if self.fail.load(Ordering::SeqCst) {
            return Err(OTelSdkError::InternalFailure("collector down".into()));
        }
        self.batches.lock().unwrap().push(batch);
        Ok(())
    }
}

impl Sink {
    fn spans(&self) -> usize {
        self.batches.lock().unwrap().iter().map(Vec::len).sum()
    }
}

fn settings() -> Settings {
    Settings {
        queue: 16,
        max_batch: 4,
        delay: Duration::from_millis(50),
        pause: Duration::from_millis(2),
        timeout: Duration::from_secs(1),
        first_backoff: Duration::from_millis(300),
        max_backoff: Duration::from_secs(1),
    }
}

fn start(sink: &Sink, settings: Settings) -> Spans {
    let sink = sink.clone();
    Spans::start_with("http://collector.test", settings, move || Ok(sink)).unwrap()
}

fn wait_for(what: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !what() {
        assert!(Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Calls go out in batches of at most `max_batch`, after `delay` at the latest; each call is
/// its span and its steps'.
#[test]
fn calls_are_exported_in_batches() {
    let sink = Sink::default();
    let spans = start(&sink, settings());
    for _ in 0..6 {
        spans.offer(map::example(2));
    }
    wait_for(|| sink.spans() == 18);
    let sizes: Vec<usize> = sink.batches.lock().unwrap().iter().map(Vec::len).collect();
    assert_eq!(sizes, vec![12, 6], "4 calls, then the 2 left after the delay");
    let s = spans.shutdown(Duration::from_secs(1));
    assert_eq!(s, Stats { offered: 18, exported: 18, ..Stats::default() });
}

/// Shutdown exports what waits without waiting for the batch's delay.
#[test]
fn shutdown_flushes_the_queue() {
    let sink = Sink::default();
    let spans = start(&sink, Settings { delay: Duration::from_secs(3600), ..settings() });
    spans.offer(map::example(0));
    let started = Instant::now();
    let s = spans.shutdown(Duration::from_secs(5));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!((s.exported, s.dropped()), (1, 0));
}

/// A collector that does not answer: offering never waits (the queue fills, then drops are
/// counted), and shutdown gives up after its bound, counting what was left as dropped.
#[test]
fn a_hung_collector_never_slows_a_call_nor_holds_the_exit() {
    let sink = Sink::default();
    sink.hang.store(true, Ordering::SeqCst);
    let spans = start(&sink, settings());
    let mut slowest = Duration::ZERO;
    for _ in 0..100 {
        let t = Instant::now();
        spans.offer(map::example(1));
        slowest = slowest.max(t.elapsed());
    }
    assert!(slowest < Duration::from_millis(5), "an offer took {slowest:?}");
    let s = spans.stats();
    // The queue holds 16 calls and the thread at most one batch (4 calls): at least 80 of the
    // 100 calls (2 spans each) are dropped.
    assert!((160..=200).contains(&s.dropped_queue_full), "{s:?}");
    let started = Instant::now();
    let s = spans.shutdown(Duration::from_millis(200));
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    assert_eq!((s.exported, s.dropped()), (0, 200), "{s:?}");
    assert!(s.dropped_unsent >= 32, "the queued calls and the hung batch: {s:?}");
    sink.hang.store(false, Ordering::SeqCst);
}

/// A failed export drops its batch and counts it; the thread waits out its backoff before
/// trying again, and exports again once the collector is back.
#[test]
fn failed_exports_are_counted_and_retried_after_a_backoff() {
    let sink = Sink::default();
    sink.fail.store(true, Ordering::SeqCst);
    let spans = start(&sink, settings());
    let told = Arc::new(AtomicU64::new(0));
    let metric = told.clone();
    spans.on_drop(move |n| {
        metric.fetch_add(n, Ordering::Relaxed);
    });
    spans.offer(map::example(1));
    wait_for(|| spans.stats().failed_exports == 1);
    spans.offer(map::example(1));
    wait_for(|| spans.stats().failed_exports == 2);
    let attempts = sink.attempts.lock().unwrap().clone();
    assert!(attempts[1] - attempts[0] >= Duration::from_millis(300), "{:?}", attempts[1] - attempts[0]);
    sink.fail.store(false, Ordering::SeqCst);
    spans.offer(map::example(1));
    wait_for(|| spans.stats().exported == 2);
    let attempts = sink.attempts.lock().unwrap().clone();
    assert!(attempts[2] - attempts[1] >= Duration::from_millis(600), "the backoff doubled");
    let s = spans.shutdown(Duration::from_secs(1));
    assert_eq!((s.offered, s.exported, s.dropped_export_failed, s.failed_exports), (6, 2, 4, 2));
    assert_eq!(spans.dropped_spans(), 4);
    assert_eq!(told.load(Ordering::Relaxed), 4, "the metric is told of every drop");
}

/// An exporter that cannot be built fails the start with its reason.
#[test]
fn an_exporter_that_cannot_be_built_fails_the_start() {
    let err = Spans::start_with("http://collector.test", settings(), || Err::<Sink, _>("no TLS".into())).unwrap_err();
    assert_eq!(err, "cannot export spans to http://collector.test: no TLS");
}

/// The real exporter builds (its blocking client on the thread), with mcpcp's resource.
#[test]
fn the_otlp_exporter_builds_with_the_resource() {
    let spans = Spans::start("http://127.0.0.1:9").unwrap();
    drop(spans);
    let r = resource();
    let get = |k: &'static str| r.get(&opentelemetry::Key::from_static_str(k)).map(|v| v.to_string());
    assert_eq!(get("service.name").as_deref(), Some("mcpcp"));
    assert_eq!(get("service.version").as_deref(), Some(env!("CARGO_PKG_VERSION")));
    let id = get("service.instance.id").unwrap();
    assert_eq!((id.len(), &id[14..15]), (36, "4"), "{id}");
}
