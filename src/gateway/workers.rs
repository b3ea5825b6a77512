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
//! seen without the CPU halting and waking again.

use std::cell::Cell;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
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
                runtime.block_on(async move {
                    if !busy_poll.is_zero() {
                        tokio::spawn(poll_for_work(busy_poll));
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

/// What this thread's poller goes by (see [`request_started`]).
struct Activity {
    /// When the last request on this thread started.
    last: Cell<Instant>,
    /// Requests this thread serves now.
    serving: Cell<usize>,
    /// Wakes the poller.
    wake: Arc<Notify>,
}

thread_local! {
    static ACTIVITY: Activity =
        Activity { last: Cell::new(Instant::now()), serving: Cell::new(0), wake: Arc::new(Notify::new()) };
}

/// A request this thread serves, until dropped.
#[derive(Debug)]
pub struct Serving(());

impl Drop for Serving {
    fn drop(&mut self) {
        ACTIVITY.with(|a| a.serving.set(a.serving.get().saturating_sub(1)));
    }
}

/// Marks the start of a request on this thread: its worker's poller keeps the thread polling for
/// work (answers from the upstream, the client's next request) for the busy-poll window while the
/// thread serves at most this one request.
///
/// Why: on a virtual machine, a CPU that goes idle halts, and waking it again for the next
/// packet costs tens of microseconds: on the 2-CPU bench machine, mcpcp added 0.141–0.150 ms to a
/// call at concurrency 1 without polling and 0.06–0.08 ms with a 250 µs window. Under load the
/// thread has other requests and nothing to wait for, so the poller stays asleep and costs
/// nothing; its price is CPU time at low load: up to the window per request.
pub fn request_started() -> Serving {
    ACTIVITY.with(|a| {
        a.last.set(Instant::now());
        a.serving.set(a.serving.get() + 1);
        a.wake.notify_one();
    });
    Serving(())
}

/// The poller of one worker: after a request starts, it yields to the runtime until the window
/// has passed or the thread serves more than one request. Each yield makes the runtime look at its
/// sockets without blocking, so the thread stays awake and sees the next packet at once.
async fn poll_for_work(window: Duration) {
    let wake = ACTIVITY.with(|a| a.wake.clone());
    loop {
        wake.notified().await;
        while ACTIVITY.with(|a| a.serving.get() <= 1 && a.last.get().elapsed() < window) {
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
