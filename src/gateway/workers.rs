//! The threads that serve connections: one per CPU, each running a single-threaded tokio
//! runtime. The listener's task accepts a connection and hands it to the worker serving the
//! fewest; from then on the connection, and every task its requests spawn, stay on that thread.
//!
//! Why not one multi-threaded runtime: there, a task woken by a socket of one thread's I/O
//! driver often runs on the other, and idle workers are woken to look for work, so each call
//! pays extra thread wake-ups. On the 2-CPU bench machine a bare proxy added 0.115 ms at
//! concurrency 1 on a multi-threaded runtime and 0.084 ms on a single-threaded one; one
//! single-threaded runtime per CPU keeps that and still uses every CPU under load.
//!
//! Each worker also has a poller ([`request_started`]): for a short window after a request
//! starts, while the thread serves only that request, it keeps the thread awake so the answer is
//! seen without the CPU halting and waking again. It polls only where that pays: not for a
//! request whose upstream answers slower than the window ([`AnswerTimes`]), and not while
//! polling keeps finding nothing ([`Pacing`]).

use std::cell::Cell;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use hyper_util::server::graceful::Watcher;
use tokio::net::TcpStream;
use tokio::sync::{Notify, mpsc};

use super::connections::Place;

/// What a worker does with a connection it is handed.
pub type Serve = Arc<dyn Fn(TcpStream, SocketAddr, Watcher, Place) -> BoxFuture<'static, ()> + Send + Sync>;

type Handed = (std::net::TcpStream, SocketAddr, Watcher, Place);

struct Worker {
    queue: mpsc::UnboundedSender<Handed>,
    /// Connections it serves now.
    load: Arc<AtomicUsize>,
    thread: std::thread::JoinHandle<()>,
}

/// A connection counted in its worker's load until dropped: also when its task panics.
struct Served(Arc<AtomicUsize>);

impl Drop for Served {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

pub struct Workers {
    workers: Vec<Worker>,
    next: usize,
}

impl std::fmt::Debug for Workers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workers").field("threads", &self.workers.len()).finish_non_exhaustive()
    }
}

impl Workers {
    /// Starts `n` worker threads (at least one), each polling for work for `busy_poll` after a
    /// request starts (see [`request_started`]; zero: never).
    pub fn start(n: usize, busy_poll: Duration, serve: Serve) -> std::io::Result<Workers> {
        let mut workers = Vec::new();
        for i in 0..n.max(1) {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let (queue, mut handed) = mpsc::unbounded_channel::<Handed>();
            let load = Arc::new(AtomicUsize::new(0));
            let (serve, served) = (serve.clone(), load.clone());
            let thread = std::thread::Builder::new().name(format!("mcpcp-worker-{i}")).spawn(move || {
                ACTIVITY.with(|a| a.window.set(busy_poll));
                runtime.block_on(async move {
                    if !busy_poll.is_zero() {
                        tokio::spawn(poll_for_work());
                    }
                    while let Some((stream, peer, watcher, place)) = handed.recv().await {
                        match TcpStream::from_std(stream) {
                            Ok(stream) => {
                                let (serve, served) = (serve.clone(), Served(served.clone()));
                                tokio::spawn(async move {
                                    let _served = served;
                                    serve(stream, peer, watcher, place).await;
                                });
                            }
                            Err(e) => {
                                served.fetch_sub(1, Ordering::Relaxed);
                                tracing::warn!(%peer, error = %e, "cannot take over a connection");
                            }
                        }
                    }
                });
                // Whatever still runs here has outlived the gateway's drain.
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
            workers.push(Worker { queue, load, thread });
        }
        Ok(Workers { workers, next: 0 })
    }

    /// Hands a connection to the worker serving the fewest (the first of them after the last
    /// one chosen, so equal loads take turns).
    pub fn hand(&mut self, stream: TcpStream, peer: SocketAddr, watcher: Watcher, place: Place) {
        let stream = match stream.into_std() {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(%peer, error = %e, "cannot hand a connection to a worker");
                return;
            }
        };
        let n = self.workers.len();
        let chosen = (0..n)
            .map(|k| (self.next + k) % n)
            .min_by_key(|&i| self.workers[i].load.load(Ordering::Relaxed))
            .unwrap_or(0);
        self.next = (chosen + 1) % n;
        let worker = &self.workers[chosen];
        worker.load.fetch_add(1, Ordering::Relaxed);
        if worker.queue.send((stream, peer, watcher, place)).is_err() {
            worker.load.fetch_sub(1, Ordering::Relaxed);
            tracing::warn!(%peer, "a worker thread has stopped; connection dropped");
        }
    }

    /// Stops the workers once they have served what they were handed; waits up to `grace`.
    pub async fn stop(self, grace: Duration) {
        let threads: Vec<_> = self.workers.into_iter().map(|w| w.thread).collect();
        let joined = tokio::task::spawn_blocking(move || {
            for thread in threads {
                let _ = thread.join();
            }
        });
        if tokio::time::timeout(grace, joined).await.is_err() {
            tracing::warn!("some worker threads did not stop in time");
        }
    }
}

/// How long one upstream takes to answer, as the gateway sees it: a moving average of its
/// answer times (each new one weighs 1/4), shared by every session and thread that calls it.
/// Answers count as at most twice the busy-poll window: what matters is whether they fit in it,
/// so one slow call moves the estimate a bounded step and a few quick ones bring it back.
#[derive(Debug)]
pub struct AnswerTimes {
    /// µs; 0 until the first answer.
    estimate_us: AtomicU32,
    /// The longest an answer counts as (µs); 0: nothing is measured (polling is off).
    cap_us: u32,
}

impl AnswerTimes {
    /// Estimates for a gateway polling `window` after each request (zero: measures nothing).
    pub fn new(window: Duration) -> AnswerTimes {
        let cap = window.as_micros().saturating_mul(2).min(u128::from(u32::MAX));
        AnswerTimes { estimate_us: AtomicU32::new(0), cap_us: u32::try_from(cap).unwrap_or(u32::MAX) }
    }

    /// An answer that took `took`. Racing updates may lose one; the estimate stays an average.
    pub fn record(&self, took: Duration) {
        if self.cap_us == 0 {
            return;
        }
        let sample = i64::from(u32::try_from(took.as_micros()).unwrap_or(u32::MAX).min(self.cap_us));
        let old = i64::from(self.estimate_us.load(Ordering::Relaxed));
        let new = if old == 0 { sample } else { old + (sample - old) / 4 };
        self.estimate_us.store(u32::try_from(new.max(1)).unwrap_or(u32::MAX), Ordering::Relaxed);
    }

    /// The estimate; `None` before the first answer.
    pub fn estimate(&self) -> Option<Duration> {
        match self.estimate_us.load(Ordering::Relaxed) {
            0 => None,
            us => Some(Duration::from_micros(us.into())),
        }
    }

    /// Whether answers are expected within `window` (also when none has been measured yet: the
    /// first ones are polled for, which measures them).
    fn fit(&self, window: Duration) -> bool {
        self.estimate().is_none_or(|e| e <= window)
    }
}

/// Polled requests in a row that outlast the window before the thread stops polling a while.
const MISSES_BEFORE_BACKOFF: u32 = 4;
/// Requests left unpolled at the first back-off; each further one doubles it, up to the most.
const BACKOFF_FIRST: u32 = 8;
const BACKOFF_MOST: u32 = 512;

/// Whether a thread polls for its next request: it backs off when polling keeps finding nothing.
/// A polled request whose upstream answer (or, for a request answered without one, whose end)
/// comes after the window is a miss: the answer did not come while the thread spun (the upstream
/// is slower than its estimate says, or the machine is busy with something else and the
/// upstream or the gateway waited for a CPU). After several misses in a
/// row the next requests go unpolled, then one is polled again as a probe: a miss doubles the
/// back-off, an answer within the window ends it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Pacing {
    /// Polled requests in a row that outlasted the window.
    misses: u32,
    /// Requests still to start unpolled.
    skip: u32,
    /// The last back-off, in requests (0: none since the last answer within the window).
    backoff: u32,
}

impl Pacing {
    /// A request starts: whether to poll for it.
    fn poll_next(&mut self) -> bool {
        if self.skip == 0 {
            return true;
        }
        self.skip -= 1;
        false
    }

    /// A polled request ended: within the window or not.
    fn ended(&mut self, within_window: bool) {
        if within_window {
            *self = Pacing::default();
            return;
        }
        self.misses = self.misses.saturating_add(1);
        if self.misses >= MISSES_BEFORE_BACKOFF {
            self.backoff = if self.backoff == 0 { BACKOFF_FIRST } else { (self.backoff * 2).min(BACKOFF_MOST) };
            self.skip = self.backoff;
        }
    }
}

/// What this thread's poller goes by (see [`request_started`]).
struct Activity {
    /// The busy-poll window; zero on a thread without a poller.
    window: Cell<Duration>,
    /// The poller polls until then: the end of the window of the request polled for.
    until: Cell<Instant>,
    /// Requests this thread serves now.
    serving: Cell<usize>,
    /// Requests started on this thread, to number them.
    started: Cell<u64>,
    /// The number of the request polled for now; 0 when none.
    polled: Cell<u64>,
    pacing: Cell<Pacing>,
    /// Wakes the poller.
    wake: Arc<Notify>,
}

thread_local! {
    static ACTIVITY: Activity = Activity {
        window: Cell::new(Duration::ZERO),
        until: Cell::new(Instant::now()),
        serving: Cell::new(0),
        started: Cell::new(0),
        polled: Cell::new(0),
        pacing: Cell::new(Pacing::default()),
        wake: Arc::new(Notify::new()),
    };
}

/// A request this thread serves, until dropped.
#[derive(Debug)]
pub struct Serving {
    /// Its number on the thread, when it is polled for (0: not polled).
    number: u64,
    started: Option<Instant>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        // `try_with`: a task dropped while the thread ends finds its locals gone.
        let _ = ACTIVITY.try_with(|a| {
            a.serving.set(a.serving.get().saturating_sub(1));
            if let Some(started) = self.started
                && self.number != 0
                && a.polled.get() == self.number
            {
                // Still the request polled for (no other started since) and no upstream answer
                // settled it: did it end in time?
                a.polled.set(0);
                let mut pacing = a.pacing.get();
                pacing.ended(started.elapsed() <= a.window.get());
                a.pacing.set(pacing);
            }
        });
    }
}

/// Marks the start of a request on this thread: its worker's poller keeps the thread polling for
/// work (answers from the upstream, the client's next request) for the busy-poll window while the
/// thread serves at most this one request, unless the thread is backing off ([`Pacing`]) or the
/// request's upstream is known to answer slower than the window ([`upstream_chosen`]).
///
/// Why: on a virtual machine, a CPU that goes idle halts, and waking it again for the next
/// packet costs tens of microseconds: on the 2-CPU bench machine, mcpcp added 0.141–0.150 ms to a
/// call at concurrency 1 without polling and 0.06–0.08 ms with a 250 µs window. Under load the
/// thread has other requests and nothing to wait for, so the poller stays asleep and costs
/// nothing; its price is CPU time at low load, up to the window per request, spent only where
/// the answer is expected within it.
pub fn request_started() -> Serving {
    ACTIVITY.with(|a| {
        a.serving.set(a.serving.get() + 1);
        let window = a.window.get();
        if window.is_zero() {
            return Serving { number: 0, started: None };
        }
        let number = a.started.get() + 1;
        a.started.set(number);
        let mut pacing = a.pacing.get();
        let poll = pacing.poll_next();
        a.pacing.set(pacing);
        let now = Instant::now();
        if poll {
            a.until.set(now + window);
            a.polled.set(number);
            a.wake.notify_one();
        } else {
            // Not even the rest of the previous request's window.
            a.until.set(now);
            a.polled.set(0);
        }
        Serving { number: if poll { number } else { 0 }, started: Some(now) }
    })
}

/// The request this thread serves goes to the upstream whose answers `times` measures: if they
/// take longer than the window, the poller stops (spinning would only burn the CPU until the
/// window ends, and the answer would come after it anyway).
pub fn upstream_chosen(times: &AnswerTimes) {
    ACTIVITY.with(|a| {
        if a.polled.get() != 0 && !times.fit(a.window.get()) {
            a.polled.set(0);
            a.until.set(Instant::now());
        }
    });
}

/// The upstream has answered the request this thread serves: if it was polled for, its poll
/// round is settled now ([`Pacing`]: an answer within the window, or a miss), not when the
/// request ends (which also takes the activity record and the response).
pub fn upstream_answered() {
    ACTIVITY.with(|a| {
        if a.polled.get() != 0 && a.serving.get() == 1 {
            a.polled.set(0);
            let mut pacing = a.pacing.get();
            pacing.ended(Instant::now() <= a.until.get());
            a.pacing.set(pacing);
        }
    });
}

/// The poller of one worker: after a request starts, it yields to the runtime until the window
/// has passed or the thread serves more than one request. Each yield makes the runtime look at its
/// sockets without blocking, so the thread stays awake and sees the next packet at once.
async fn poll_for_work() {
    let wake = ACTIVITY.with(|a| a.wake.clone());
    loop {
        wake.notified().await;
        while ACTIVITY.with(|a| a.serving.get() <= 1 && Instant::now() < a.until.get()) {
            tokio::task::yield_now().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// Each worker answers a connection with its thread's name and keeps it open until the
    /// client closes it; a `!` from the client makes the connection's task panic.
    fn naming() -> Serve {
        Arc::new(|mut stream, _peer, _watcher, _place| {
            Box::pin(async move {
                let name = std::thread::current().name().unwrap_or("?").to_string();
                let _ = stream.write_all(format!("{name}\n").as_bytes()).await;
                let mut byte = [0u8; 1];
                if stream.read(&mut byte).await.is_ok_and(|n| n == 1) && byte[0] == b'!' {
                    panic!("the connection's task fails (as the test asks)");
                }
            })
        })
    }

    async fn connect(
        listener: &TcpListener,
        workers: &mut Workers,
        graceful: &hyper_util::server::graceful::GracefulShutdown,
    ) -> (TcpStream, String) {
        let client = TcpStream::connect(listener.local_addr().unwrap());
        let (accepted, client) = tokio::join!(listener.accept(), client);
        let (stream, peer) = accepted.unwrap();
        let place = super::super::connections::Table::new(100, 100).admit(None).unwrap();
        workers.hand(stream, peer, graceful.watcher(), place);
        let mut client = client.unwrap();
        let mut name = Vec::new();
        let mut byte = [0u8; 1];
        while client.read(&mut byte).await.unwrap() == 1 && byte[0] != b'\n' {
            name.push(byte[0]);
        }
        (client, String::from_utf8(name).unwrap())
    }

    #[test]
    fn answer_times_fit_the_window_while_the_upstream_answers_within_it() {
        let window = Duration::from_micros(250);
        let us = Duration::from_micros;
        let times = AnswerTimes::new(window);
        assert!(times.fit(window), "nothing measured yet: polled for, to measure it");
        times.record(us(100));
        assert_eq!(times.estimate(), Some(us(100)));
        assert!(times.fit(window));
        // One slow answer among quick ones counts as twice the window at most: still fits.
        times.record(Duration::from_millis(300));
        assert_eq!(times.estimate(), Some(us(200)));
        assert!(times.fit(window));
        // Two in a row: the upstream has become slow.
        times.record(Duration::from_millis(5));
        assert_eq!(times.estimate(), Some(us(275)));
        assert!(!times.fit(window));
        for _ in 0..20 {
            times.record(Duration::from_millis(5));
        }
        assert!(times.estimate().is_some_and(|e| e > us(490) && e <= us(500)), "{:?}", times.estimate());
        // Quick again: four answers bring it back within the window (about 400, 325, 268, 226).
        for fits in [false, false, false, true] {
            times.record(us(100));
            assert_eq!(times.fit(window), fits, "{:?}", times.estimate());
        }
        // An upstream that takes 5 ms from the start: its first answer settles it.
        let slow = AnswerTimes::new(window);
        slow.record(Duration::from_millis(5));
        assert!(!slow.fit(window));
        // Polling off: nothing is measured.
        let off = AnswerTimes::new(Duration::ZERO);
        off.record(us(100));
        assert_eq!(off.estimate(), None);
    }

    #[test]
    fn pacing_backs_off_after_misses_in_a_row_and_ends_on_an_answer_in_the_window() {
        let mut pacing = Pacing::default();
        for _ in 0..MISSES_BEFORE_BACKOFF - 1 {
            assert!(pacing.poll_next());
            pacing.ended(false);
        }
        // An answer within the window starts the count again.
        assert!(pacing.poll_next());
        pacing.ended(true);
        for _ in 0..MISSES_BEFORE_BACKOFF {
            assert!(pacing.poll_next());
            pacing.ended(false);
        }
        // Requests left unpolled before the next probe (the probe itself is polled).
        let unpolled = |p: &mut Pacing| (0..).take_while(|_| !p.poll_next()).count();
        assert_eq!(unpolled(&mut pacing), 8);
        for expected in [16, 32, 64, 128, 256, 512, 512] {
            pacing.ended(false);
            assert_eq!(unpolled(&mut pacing), expected);
        }
        pacing.ended(true);
        assert_eq!(pacing, Pacing::default());
        assert!(pacing.poll_next());
    }

    #[test]
    fn a_request_is_polled_for_unless_its_upstream_is_slower_than_the_window_or_the_thread_backs_off() {
        // A long window, so the checks below run well inside it; each test has a thread, and so
        // an `ACTIVITY`, of its own.
        let window = Duration::from_secs(1);
        ACTIVITY.with(|a| a.window.set(window));
        let polling = || ACTIVITY.with(|a| a.polled.get() != 0 && Instant::now() < a.until.get());
        let (fast, slow) = (AnswerTimes::new(window), AnswerTimes::new(window));
        fast.record(Duration::from_micros(100));
        slow.record(Duration::from_secs(5));
        let request = request_started();
        assert!(polling());
        upstream_chosen(&fast);
        assert!(polling());
        drop(request);
        let request = request_started();
        assert!(polling());
        upstream_chosen(&slow);
        assert!(!polling(), "polled for an upstream slower than the window");
        drop(request);
        assert_eq!(ACTIVITY.with(|a| (a.serving.get(), a.pacing.get())), (0, Pacing::default()));
        // Polled requests that outlast the window (their start moved back: injected times).
        for _ in 0..MISSES_BEFORE_BACKOFF {
            let mut request = request_started();
            assert!(polling());
            request.started = Instant::now().checked_sub(2 * window);
            drop(request);
        }
        for _ in 0..BACKOFF_FIRST {
            let request = request_started();
            assert!(!polling(), "polled while backing off");
            drop(request);
        }
        // The probe: answered within the window, so polling resumes.
        drop(request_started());
        assert_eq!(ACTIVITY.with(|a| a.pacing.get()), Pacing::default());
        // An upstream answer settles the round when it comes: after the window, a miss, even if
        // the request then ends quickly; within it, no miss, even if the request ends late.
        let request = request_started();
        ACTIVITY.with(|a| a.until.set(Instant::now()));
        upstream_answered();
        drop(request);
        assert_eq!(ACTIVITY.with(|a| a.pacing.get().misses), 1);
        let mut request = request_started();
        upstream_answered();
        request.started = Instant::now().checked_sub(2 * window);
        drop(request);
        assert_eq!(ACTIVITY.with(|a| a.pacing.get()), Pacing::default());
        assert_eq!(ACTIVITY.with(|a| a.serving.get()), 0);
    }

    #[test]
    fn without_a_window_nothing_is_polled_for() {
        let request = request_started();
        assert_eq!((request.number, request.started), (0, None));
        assert_eq!(ACTIVITY.with(|a| (a.serving.get(), a.polled.get())), (1, 0));
        drop(request);
        assert_eq!(ACTIVITY.with(|a| a.serving.get()), 0);
    }

    #[tokio::test]
    async fn connections_go_to_the_least_busy_worker_and_are_counted_until_they_close() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut workers = Workers::start(2, Duration::from_micros(250), naming()).unwrap();
        let (a, first) = connect(&listener, &mut workers, &graceful).await;
        let (b, second) = connect(&listener, &mut workers, &graceful).await;
        assert!(first.starts_with("mcpcp-worker-") && second.starts_with("mcpcp-worker-"), "{first} {second}");
        assert_ne!(first, second, "two connections on one worker while the other is idle");
        let loads = |w: &Workers| w.workers.iter().map(|w| w.load.load(Ordering::Relaxed)).collect::<Vec<_>>();
        assert_eq!(loads(&workers), [1, 1]);
        // The first worker's connection closes: the next connection goes there.
        drop(a);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while loads(&workers) != [0, 1] && loads(&workers) != [1, 0] {
            assert!(std::time::Instant::now() < deadline, "load not released: {:?}", loads(&workers));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let (mut c, third) = connect(&listener, &mut workers, &graceful).await;
        assert_eq!(third, first);
        // A connection whose task panics is not counted any more either.
        c.write_all(b"!").await.unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while loads(&workers) != [0, 1] && loads(&workers) != [1, 0] {
            assert!(std::time::Instant::now() < deadline, "load kept after a panic: {:?}", loads(&workers));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        drop((b, c));
        workers.stop(Duration::from_secs(5)).await;
    }
}
