//! HTTP/1.1 to plain-HTTP upstreams, each connection read and written by the task that uses it.
//!
//! A pooled client (reqwest, hyper-util) runs every connection on a task of its own: a request
//! goes to that task over a channel, and its answer comes back over another, which wakes two
//! tasks (often on two threads) per call. Here the request's own task writes the request and
//! reads the answer on the connection's socket, so a call wakes nobody else; and it does so
//! directly (`wire`: the request in one buffer and one `write`, the response head read with
//! `httparse`, the body taken as its framing says), without a protocol state machine polled
//! around each step: what a gateway's upstream exchange needs, at a fraction of the cost. Idle
//! connections wait in a pool, unread; the next user looks at one first without waiting, which
//! notices a close (or stray bytes) that arrived meanwhile.
//!
//! Used for the forwarding task's POSTs to a Streamable HTTP upstream (`Direct::request`), the
//! hot path. `https` upstreams, and every upstream when the environment names an HTTP proxy
//! (which reqwest would use), stay on reqwest.

mod wire;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use hyper::StatusCode;
use hyper::header::{HeaderMap, HeaderValue};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::Options;

/// Idle connections kept per upstream address.
const MAX_IDLE: usize = 256;
/// An idle connection older than this is closed rather than reused.
const IDLE_FOR: Duration = Duration::from_secs(60);
/// What a connection's read buffer starts with, and the room it keeps free for a read.
const READ_BUFFER: usize = 8 * 1024;
const READ_ROOM: usize = 1024;

/// Idle connections per thread that opened them (see `take_idle`). Boxed, as in [`Exchange`]:
/// a connection moves between the two without being copied.
#[allow(clippy::vec_box)]
type Idle = HashMap<std::thread::ThreadId, Vec<Box<Conn>>>;

/// One connection, and what was read from it and not yet used.
struct Conn {
    stream: TcpStream,
    buf: BytesMut,
    /// When it last went back to the pool.
    idle_since: Instant,
    /// The thread that opened it, whose runtime's I/O driver watches its socket.
    owner: std::thread::ThreadId,
}

impl Conn {
    /// Whether an idle connection can take a request: nothing came on it while it was idle (a
    /// close, or bytes no request asked for). Never waits; no system call when the socket has
    /// not become readable since it was last read.
    fn usable(&mut self) -> bool {
        let mut probe = [0u8; 1];
        matches!(self.stream.try_read(&mut probe), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
    }

    /// Reads more into the buffer; the bytes read (0 at the connection's end).
    async fn read_more(&mut self) -> std::io::Result<usize> {
        if self.buf.capacity() - self.buf.len() < READ_ROOM {
            self.buf.reserve(READ_BUFFER);
        }
        self.stream.read_buf(&mut self.buf).await
    }

    /// Reads the response head (skipping interim responses).
    async fn head(&mut self) -> Result<wire::Head, String> {
        loop {
            if let Some(head) = wire::response_head(&mut self.buf)? {
                return Ok(head);
            }
            match self.read_more().await {
                Ok(0) => return Err("the upstream closed the connection before it answered".into()),
                Ok(_) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
    }
}

/// Where a connection goes: the host and port of an `http` URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Address {
    host: String,
    port: u16,
}

/// The client: a pool of idle connections per address. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// Per address, then per thread; looked up without building a key.
    idle: Mutex<HashMap<Address, Idle>>,
    connect_timeout: Duration,
    user_agent: HeaderValue,
    /// No proxy is named in the environment: reqwest would connect directly too.
    direct: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("h1::Client").field("direct", &self.inner.direct).finish_non_exhaustive()
    }
}

/// The environment variables through which reqwest takes a proxy for `http` URLs.
const PROXY_VARIABLES: [&str; 4] = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

impl Client {
    pub fn new(options: &Options) -> Client {
        let direct = PROXY_VARIABLES.iter().all(|v| std::env::var_os(v).is_none_or(|v| v.is_empty()));
        Client::with_direct(options, direct)
    }

    fn with_direct(options: &Options, direct: bool) -> Client {
        let user_agent =
            HeaderValue::from_str(&options.user_agent).unwrap_or_else(|_| HeaderValue::from_static("mcpcp"));
        Client {
            inner: Arc::new(Inner {
                idle: Mutex::new(HashMap::new()),
                connect_timeout: options.connect_timeout,
                user_agent,
                direct,
            }),
        }
    }

    /// A target for this client: `Some` for a plain `http` URL reached without a proxy.
    pub fn target(&self, url: &url::Url) -> Option<Target> {
        if url.scheme() != "http" || !self.inner.direct {
            return None;
        }
        let host = match url.host()? {
            url::Host::Domain(d) => d.to_string(),
            url::Host::Ipv4(ip) => ip.to_string(),
            url::Host::Ipv6(ip) => ip.to_string(),
        };
        let port = url.port_or_known_default()?;
        let host_header = match url.port() {
            Some(p) => HeaderValue::from_str(&format!("{}:{p}", url.host_str()?)),
            None => HeaderValue::from_str(url.host_str()?),
        }
        .ok()?;
        let path = &url[url::Position::BeforePath..url::Position::AfterQuery];
        // A request target as HTTP takes it (the URL parser has encoded what needed it).
        path.parse::<hyper::Uri>().ok()?;
        Some(Target(Arc::new(Place {
            client: self.clone(),
            address: Address { host, port },
            host_header,
            path: path.to_string(),
        })))
    }

    /// An idle connection this thread opened. The gateway serves connections on one
    /// single-threaded runtime per thread (`gateway::workers`); a connection opened on another
    /// would have its socket watched by that thread's runtime, and every answer would wake two
    /// threads.
    fn take_idle(&self, address: &Address) -> Option<Box<Conn>> {
        let mut idle = self.inner.idle.lock().ok()?;
        let list = idle.get_mut(address)?.get_mut(&std::thread::current().id())?;
        while let Some(conn) = list.pop() {
            if conn.idle_since.elapsed() < IDLE_FOR {
                return Some(conn);
            }
        }
        None
    }

    fn put_idle(&self, address: &Address, mut conn: Box<Conn>) {
        conn.idle_since = Instant::now();
        if let Ok(mut idle) = self.inner.idle.lock() {
            let by_thread = match idle.get_mut(address) {
                Some(by_thread) => by_thread,
                None => idle.entry(address.clone()).or_default(),
            };
            let list = by_thread.entry(conn.owner).or_default();
            if list.len() < MAX_IDLE {
                list.push(conn);
            }
        }
    }

    async fn connect(&self, address: &Address) -> Result<Box<Conn>, String> {
        let connecting = TcpStream::connect((address.host.as_str(), address.port));
        let stream = tokio::time::timeout(self.inner.connect_timeout, connecting)
            .await
            .map_err(|_| format!("connection timed out after {:?}", self.inner.connect_timeout))?
            .map_err(|e| e.to_string())?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        Ok(Box::new(Conn {
            stream,
            buf: BytesMut::with_capacity(READ_BUFFER),
            idle_since: Instant::now(),
            owner: std::thread::current().id(),
        }))
    }
}

/// One upstream URL to POST to. Cheap to clone: each [`Exchange`] holds one.
#[derive(Debug, Clone)]
pub struct Target(Arc<Place>);

#[derive(Debug)]
struct Place {
    client: Client,
    address: Address,
    host_header: HeaderValue,
    /// The request target: path and query.
    path: String,
}

impl Target {
    /// POSTs `body` with `headers`, on an idle connection when there is one that is still
    /// open; returns once the answer's head has arrived. A request that a reused connection
    /// did not take (it was found closed, or writing to it failed) is sent again on a new one;
    /// one that was sent is not.
    pub async fn post(&self, headers: HeaderMap, body: String) -> Result<Exchange, String> {
        let place = &*self.0;
        let mut request = Vec::with_capacity(256 + body.len() + 64 * headers.len());
        wire::post(
            &mut request,
            &place.path,
            &place.host_header,
            &place.client.inner.user_agent,
            &headers,
            body.as_bytes(),
        );
        loop {
            let (mut conn, reused) = match place.client.take_idle(&place.address) {
                Some(mut conn) => {
                    if !conn.usable() {
                        continue;
                    }
                    (conn, true)
                }
                None => (place.client.connect(&place.address).await?, false),
            };
            if let Err(e) = conn.stream.write_all(&request).await {
                if reused {
                    continue;
                }
                return Err(e.to_string());
            }
            let head = conn.head().await?;
            return Ok(Exchange {
                status: head.status,
                headers: head.headers,
                framing: head.body,
                keep_alive: head.keep_alive,
                conn: Some(conn),
                target: self.clone(),
            });
        }
    }
}

/// A request's answer, while its body is read. The connection goes back to the pool once the
/// body has ended (when the upstream keeps it open); dropped before that, it is closed.
pub struct Exchange {
    pub status: StatusCode,
    pub headers: HeaderMap,
    framing: wire::Framing,
    keep_alive: bool,
    /// Boxed: it moves in and out of the pool. `None` once the body has ended or failed.
    conn: Option<Box<Conn>>,
    target: Target,
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange").field("status", &self.status).finish_non_exhaustive()
    }
}

impl Exchange {
    /// The next piece of the body; `None` at its end. Cancel-safe: a dropped call loses nothing
    /// (what it read stays in the connection's buffer).
    pub async fn chunk(&mut self) -> Option<Result<Bytes, String>> {
        loop {
            let conn = self.conn.as_mut()?;
            match self.framing.next(&mut conn.buf) {
                Ok(wire::Step::Data(data)) => return Some(Ok(data)),
                Ok(wire::Step::Done) => {
                    if let Some(conn) = self.conn.take()
                        && self.keep_alive
                        && conn.buf.is_empty()
                    {
                        self.target.0.client.put_idle(&self.target.0.address, conn);
                    }
                    return None;
                }
                Ok(wire::Step::More) => {}
                Err(e) => {
                    self.conn = None;
                    return Some(Err(e));
                }
            }
            match conn.read_more().await {
                Ok(0) if self.framing.ends_with_connection() => {
                    self.conn = None;
                    return None;
                }
                Ok(0) => {
                    self.conn = None;
                    return Some(Err("the upstream closed the connection before the answer's end".into()));
                }
                Ok(_) => {}
                Err(e) => {
                    self.conn = None;
                    return Some(Err(e.to_string()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A plain HTTP/1.1 server on a real socket that answers every POST with `answer(body)`.
    /// Counts the connections it accepted and those it closed; closes each after
    /// `per_connection` answers, once `close` is notified.
    async fn server(
        per_connection: usize,
        close: Arc<tokio::sync::Notify>,
        answer: fn(&str) -> String,
    ) -> (url::Url, Arc<AtomicUsize>, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = url::Url::parse(&format!("http://{}/mcp?x=1", listener.local_addr().unwrap())).unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let closed = Arc::new(AtomicUsize::new(0));
        let (count, closing) = (accepted.clone(), closed.clone());
        tokio::spawn(async move {
            loop {
                let (mut stream, _) = listener.accept().await.unwrap();
                count.fetch_add(1, Ordering::SeqCst);
                let (closing, close) = (closing.clone(), close.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    for _ in 0..per_connection {
                        let body = loop {
                            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                                assert!(head.starts_with("post /mcp?x=1 http/1.1"), "{head}");
                                assert!(head.contains("\r\nhost: 127.0.0.1:"), "{head}");
                                assert!(head.contains("\r\nuser-agent: mcpcp/"), "{head}");
                                let length: usize = head
                                    .lines()
                                    .find_map(|l| l.strip_prefix("content-length: "))
                                    .unwrap()
                                    .parse()
                                    .unwrap();
                                if buf.len() >= end + 4 + length {
                                    let body = String::from_utf8(buf[end + 4..end + 4 + length].to_vec()).unwrap();
                                    buf.drain(..end + 4 + length);
                                    break body;
                                }
                            }
                            let mut chunk = [0u8; 4096];
                            match stream.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        if stream.write_all(answer(&body).as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    close.notified().await;
                    drop(stream);
                    closing.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        (url, accepted, closed)
    }

    fn json_answer(body: &str) -> String {
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len())
    }

    async fn read_all(exchange: &mut Exchange) -> String {
        let mut out = Vec::new();
        while let Some(chunk) = exchange.chunk().await {
            out.extend_from_slice(&chunk.unwrap());
        }
        String::from_utf8(out).unwrap()
    }

    fn headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static("application/json"));
        h
    }

    #[tokio::test]
    async fn calls_in_turn_share_one_connection() {
        let (url, accepted, _) = server(usize::MAX, Arc::default(), json_answer).await;
        let target = Client::new(&Options::default()).target(&url).unwrap();
        for i in 0..5 {
            let mut exchange = target.post(headers(), format!("{{\"n\":{i}}}")).await.unwrap();
            assert_eq!(exchange.status, StatusCode::OK);
            assert_eq!(read_all(&mut exchange).await, format!("{{\"n\":{i}}}"));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_connection_the_upstream_closed_while_idle_is_not_used_again() {
        // One answer per connection; the server closes it once the client has read the answer
        // (and put the connection back in the pool): every call needs a new connection.
        let close = Arc::new(tokio::sync::Notify::new());
        let (url, accepted, closed) = server(1, close.clone(), json_answer).await;
        let target = Client::new(&Options::default()).target(&url).unwrap();
        for i in 0..3 {
            let mut exchange = target.post(headers(), format!("{{\"n\":{i}}}")).await.unwrap();
            assert_eq!(read_all(&mut exchange).await, format!("{{\"n\":{i}}}"));
            let pooled =
                target.0.client.inner.idle.lock().unwrap()[&target.0.address][&std::thread::current().id()].len();
            assert_eq!(pooled, 1);
            close.notify_one();
            // The server has closed the connection (its FIN is on the idle connection) before
            // the next call takes it from the pool.
            let deadline = Instant::now() + Duration::from_secs(5);
            while closed.load(Ordering::SeqCst) < i + 1 {
                assert!(Instant::now() < deadline, "the server did not close connection {i}");
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_unfinished_body_closes_its_connection() {
        let (url, accepted, _) = server(usize::MAX, Arc::default(), json_answer).await;
        let target = Client::new(&Options::default()).target(&url).unwrap();
        let exchange = target.post(headers(), "{}".into()).await.unwrap();
        drop(exchange);
        let mut exchange = target.post(headers(), "{\"again\":1}".into()).await.unwrap();
        assert_eq!(read_all(&mut exchange).await, "{\"again\":1}");
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_streamed_body_arrives_in_pieces_and_the_connection_is_reused() {
        fn sse(body: &str) -> String {
            let event = format!("event: message\ndata: {body}\n\n");
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{event}\r\n{:x}\r\n{event}\r\n0\r\n\r\n",
                event.len(),
                event.len()
            )
        }
        let (url, accepted, _) = server(usize::MAX, Arc::default(), sse).await;
        let target = Client::new(&Options::default()).target(&url).unwrap();
        for _ in 0..2 {
            let mut exchange = target.post(headers(), "{}".into()).await.unwrap();
            assert_eq!(read_all(&mut exchange).await, "event: message\ndata: {}\n\n".repeat(2));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_upstream_that_is_not_listening_is_an_error_naming_the_cause() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = url::Url::parse(&format!("http://{}/mcp", listener.local_addr().unwrap())).unwrap();
        drop(listener);
        let target = Client::new(&Options::default()).target(&url).unwrap();
        let e = target.post(headers(), "{}".into()).await.unwrap_err();
        assert!(e.contains("refused"), "{e}");
    }

    #[test]
    fn https_and_proxied_upstreams_are_left_to_reqwest() {
        let options = Options::default();
        let http = url::Url::parse("http://[::1]:8080/mcp").unwrap();
        let target = Client::with_direct(&options, true).target(&http).unwrap();
        assert_eq!(target.0.address, Address { host: "::1".into(), port: 8080 });
        assert_eq!(target.0.host_header, "[::1]:8080");
        assert!(
            Client::with_direct(&options, true).target(&url::Url::parse("https://example.com/mcp").unwrap()).is_none()
        );
        assert!(Client::with_direct(&options, false).target(&http).is_none());
        let default_port = Client::with_direct(&options, true).target(&url::Url::parse("http://example.com/").unwrap());
        let default_port = default_port.unwrap();
        assert_eq!((default_port.0.address.port, default_port.0.host_header.to_str().unwrap()), (80, "example.com"));
    }
}
