//! The connections the gateway holds, bounded: in total and per client address. A connection
//! is *proven* once it has sent a whole request head; one that has not (a slow or silent
//! client, a slowloris) is the first to go when the table is full, so a flood of connections
//! that never finish a request cannot keep anyone else out: each new connection replaces the
//! oldest unproven one, and clients already served keep their connections.
//!
//! Time bounds live beside it: a connection must send its first request's head within
//! `Limits::header_timeout` (TLS handshake included), and HTTP/1.1 the later ones too (hyper's
//! header timer, which also closes a keep-alive connection idle that long); an HTTP/2
//! connection with no stream open is closed after `Limits::idle_timeout`.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio_util::sync::CancellationToken;

/// What a connection shares with the table and its requests.
#[derive(Debug)]
pub struct Conn {
    proven: AtomicBool,
    /// Whether the connection speaks HTTP/2 (it has opened a stream).
    http2: AtomicBool,
    /// HTTP/2 streams open (requests whose response body is not finished).
    streams: AtomicUsize,
    /// When the last stream ended or began, in ms after `born`.
    last: AtomicU64,
    born: Instant,
    /// Cancelled when the table evicts the connection.
    pub evicted: CancellationToken,
}

impl Conn {
    /// A request head arrived: the connection is proven.
    pub fn request_started(&self) {
        if !self.proven.load(Ordering::Relaxed) {
            self.proven.store(true, Ordering::Relaxed);
        }
    }

    pub fn proven(&self) -> bool {
        self.proven.load(Ordering::Relaxed)
    }

    pub fn is_http2(&self) -> bool {
        self.http2.load(Ordering::Relaxed)
    }

    /// Counts an HTTP/2 stream open until the guard is dropped (with its response body).
    pub fn stream(self: &Arc<Self>) -> StreamGuard {
        self.http2.store(true, Ordering::Relaxed);
        self.streams.fetch_add(1, Ordering::Relaxed);
        self.touch();
        StreamGuard(self.clone())
    }

    fn touch(&self) {
        let ms = u64::try_from(self.born.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    /// How long the connection has had no stream open (zero while one is).
    pub fn idle_for(&self) -> std::time::Duration {
        if self.streams.load(Ordering::Relaxed) > 0 {
            return std::time::Duration::ZERO;
        }
        let last = std::time::Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.born.elapsed().saturating_sub(last)
    }
}

/// An open HTTP/2 stream (see [`Conn::stream`]).
#[derive(Debug)]
pub struct StreamGuard(Arc<Conn>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.touch();
        self.0.streams.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A response body that holds its HTTP/2 stream open until it ends.
#[derive(Debug)]
pub struct Tracked<B> {
    body: B,
    _stream: StreamGuard,
}

impl<B> Tracked<B> {
    pub fn new(body: B, stream: StreamGuard) -> Tracked<B> {
        Tracked { body, _stream: stream }
    }
}

impl<B: hyper::body::Body + Unpin> hyper::body::Body for Tracked<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

#[derive(Debug)]
struct Entry {
    ip: Option<IpAddr>,
    conn: Arc<Conn>,
}

#[derive(Debug, Default)]
struct Inner {
    next: u64,
    /// By id, which is the order of acceptance.
    open: BTreeMap<u64, Entry>,
    per_ip: HashMap<IpAddr, usize>,
}

/// The table of open connections.
#[derive(Debug)]
pub struct Table {
    inner: Mutex<Inner>,
    max_total: usize,
    max_per_ip: usize,
}

/// A connection's place in the table; dropping it frees the place.
#[derive(Debug)]
pub struct Place {
    table: Arc<Table>,
    id: u64,
    pub conn: Arc<Conn>,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut inner = self.table.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(entry) = inner.open.remove(&self.id) {
            forget_ip(&mut inner, entry.ip);
        }
    }
}

fn forget_ip(inner: &mut Inner, ip: Option<IpAddr>) {
    let Some(ip) = ip else { return };
    if let Some(n) = inner.per_ip.get_mut(&ip) {
        *n -= 1;
        if *n == 0 {
            inner.per_ip.remove(&ip);
        }
    }
}

/// Why a connection was not taken.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The address holds its share of connections, all of them proven.
    PerAddress,
    /// The table is full of proven connections.
    Full,
}

impl Table {
    pub fn new(max_total: usize, max_per_ip: usize) -> Arc<Table> {
        Arc::new(Table { inner: Mutex::default(), max_total: max_total.max(1), max_per_ip: max_per_ip.max(1) })
    }

    /// Takes a place for a connection from `ip` (`None`: a trusted proxy, not counted per
    /// address). When the address or the table is full, the oldest unproven connection (of that
    /// address, or of all) is evicted to make room; when there is none, the connection is refused.
    pub fn admit(self: &Arc<Self>, ip: Option<IpAddr>) -> Result<Place, Refused> {
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(ip) = ip
            && inner.per_ip.get(&ip).copied().unwrap_or(0) >= self.max_per_ip
        {
            evict_oldest_unproven(&mut inner, Some(ip)).ok_or(Refused::PerAddress)?;
        }
        if inner.open.len() >= self.max_total {
            evict_oldest_unproven(&mut inner, None).ok_or(Refused::Full)?;
        }
        let id = inner.next;
        inner.next += 1;
        let conn = Arc::new(Conn {
            proven: AtomicBool::new(false),
            http2: AtomicBool::new(false),
            streams: AtomicUsize::new(0),
            last: AtomicU64::new(0),
            born: Instant::now(),
            evicted: CancellationToken::new(),
        });
        inner.open.insert(id, Entry { ip, conn: conn.clone() });
        if let Some(ip) = ip {
            *inner.per_ip.entry(ip).or_default() += 1;
        }
        Ok(Place { table: self.clone(), id, conn })
    }

    /// Connections open now.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|i| i.open.len()).unwrap_or(0)
    }
}

/// Evicts the oldest connection that has not sent a request head (from `ip` only, if given).
fn evict_oldest_unproven(inner: &mut Inner, ip: Option<IpAddr>) -> Option<()> {
    let id = inner.open.iter().find(|(_, e)| !e.conn.proven() && (ip.is_none() || e.ip == ip)).map(|(id, _)| *id)?;
    let entry = inner.open.remove(&id)?;
    entry.conn.evicted.cancel();
    forget_ip(inner, entry.ip);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn a_full_address_replaces_its_oldest_unproven_connection() {
        let t = Table::new(100, 3);
        let places: Vec<Place> = (0..3).map(|_| t.admit(ip("192.0.2.1")).unwrap()).collect();
        places[1].conn.request_started();
        let fourth = t.admit(ip("192.0.2.1")).unwrap();
        assert!(places[0].conn.evicted.is_cancelled(), "the oldest unproven goes");
        assert!(!places[1].conn.evicted.is_cancelled() && !places[2].conn.evicted.is_cancelled());
        assert_eq!(t.len(), 3);
        // Another address is not affected; a proxy (no address) is not counted per address.
        assert!(t.admit(ip("192.0.2.2")).is_ok());
        let _proxied: Vec<Place> = (0..10).map(|_| t.admit(None).unwrap()).collect();
        // All proven: the next one is refused.
        places[2].conn.request_started();
        fourth.conn.request_started();
        assert_eq!(t.admit(ip("192.0.2.1")).unwrap_err(), Refused::PerAddress);
    }

    #[test]
    fn a_full_table_replaces_the_oldest_unproven_and_places_come_back() {
        let t = Table::new(4, 100);
        let mut places: Vec<Place> = (0..4).map(|i| t.admit(ip(&format!("192.0.2.{i}"))).unwrap()).collect();
        for p in &places[..3] {
            p.conn.request_started();
        }
        let new = t.admit(ip("198.51.100.1")).unwrap();
        assert!(places[3].conn.evicted.is_cancelled());
        new.conn.request_started();
        assert_eq!(t.admit(ip("198.51.100.2")).unwrap_err(), Refused::Full);
        places.truncate(1);
        assert_eq!(t.len(), 2, "dropped places are freed; the evicted one was already");
        assert!(t.admit(ip("198.51.100.2")).is_ok());
    }

    #[test]
    fn streams_keep_a_connection_busy() {
        let t = Table::new(4, 4);
        let p = t.admit(ip("192.0.2.1")).unwrap();
        let guard = p.conn.stream();
        assert_eq!(p.conn.idle_for(), std::time::Duration::ZERO);
        drop(guard);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(p.conn.idle_for() >= std::time::Duration::from_millis(15));
    }
}
