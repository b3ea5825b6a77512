//! Connections to syslog receivers: TCP, TLS (rustls; a private CA or the system's trust store;
//! a failed verification is an error, never a downgrade) and UDP. A stream connection watches
//! its read side, so a receiver that closes or resets it is noticed before its batches count
//! as delivered.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, WriteHalf};
use tokio::net::{TcpStream, UdpSocket};

use super::{CONNECT_TIMEOUT, WRITE_TIMEOUT, tls_config};
use crate::model::{SyslogTarget, SyslogTransport};

/// Sent data unacknowledged by the receiver's TCP for this long aborts the connection.
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);

trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

/// An open connection to a receiver.
pub struct Conn {
    kind: Kind,
    /// What the connection is (for `siem test`): the address, TLS version and peer.
    pub description: String,
}

enum Kind {
    Stream {
        writer: WriteHalf<Box<dyn Stream>>,
        /// Set by the reader when the receiver closed or reset the connection.
        closed: Arc<Mutex<Option<String>>>,
        reader: tokio::task::JoinHandle<()>,
    },
    Datagram(UdpSocket),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn").field("description", &self.description).finish_non_exhaustive()
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Kind::Stream { reader, .. } = &self.kind {
            reader.abort();
        }
    }
}

impl Conn {
    /// Whether messages go one per datagram.
    pub fn is_datagram(&self) -> bool {
        matches!(self.kind, Kind::Datagram(_))
    }

    /// Why the receiver's side ended, if it did.
    pub fn closed(&self) -> Option<String> {
        match &self.kind {
            Kind::Stream { closed, .. } => closed.lock().ok().and_then(|c| c.clone()),
            Kind::Datagram(_) => None,
        }
    }

    /// Writes and flushes a stream's bytes, within [`WRITE_TIMEOUT`].
    pub async fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        let Kind::Stream { writer, .. } = &mut self.kind else {
            return Err("internal error: a stream write on a datagram socket".into());
        };
        let written = tokio::time::timeout(WRITE_TIMEOUT, async {
            writer.write_all(bytes).await?;
            writer.flush().await
        })
        .await;
        match written {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("write failed: {e}")),
            Err(_) => Err(format!("the receiver took nothing for {} s (not reading?)", WRITE_TIMEOUT.as_secs())),
        }
    }

    /// A refusal of the datagrams sent (an ICMP port unreachable comes back as an error on the
    /// connected socket), if one arrives within `wait`.
    pub async fn refusal(&self, wait: Duration) -> Option<String> {
        let Kind::Datagram(socket) = &self.kind else { return None };
        let mut buf = [0u8; 512];
        match tokio::time::timeout(wait, socket.recv(&mut buf)).await {
            Ok(Err(e)) => Some(e.to_string()),
            _ => None,
        }
    }

    /// Ends a stream connection cleanly (TLS close_notify, then FIN), within a second.
    pub async fn close(&mut self) {
        if let Kind::Stream { writer, .. } = &mut self.kind {
            let _ = tokio::time::timeout(Duration::from_secs(1), writer.shutdown()).await;
        }
    }

    /// Sends one datagram.
    pub async fn send(&mut self, datagram: &[u8]) -> Result<(), String> {
        let Kind::Datagram(socket) = &self.kind else {
            return Err("internal error: a datagram on a stream".into());
        };
        match tokio::time::timeout(WRITE_TIMEOUT, socket.send(datagram)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(format!("send failed: {e}")),
            Err(_) => Err("send timed out".into()),
        }
    }
}

/// Opens a connection to `target` within [`CONNECT_TIMEOUT`].
pub async fn connect(target: &SyslogTarget, ca_pem: Option<&str>) -> Result<Conn, String> {
    let what = format!("{}:{}", target.host, target.port);
    match tokio::time::timeout(CONNECT_TIMEOUT, open(target, ca_pem)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(format!("cannot connect to {what}: {e}")),
        Err(_) => Err(format!("cannot connect to {what}: no answer within {} s", CONNECT_TIMEOUT.as_secs())),
    }
}

async fn resolve(target: &SyslogTarget) -> Result<Vec<SocketAddr>, String> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await
        .map_err(|e| format!("cannot resolve {}: {e}", target.host))?
        .collect();
    if addrs.is_empty() {
        return Err(format!("{} has no address", target.host));
    }
    Ok(addrs)
}

async fn open(target: &SyslogTarget, ca_pem: Option<&str>) -> Result<Conn, String> {
    let addrs = resolve(target).await?;
    if target.transport == SyslogTransport::Udp {
        let addr = addrs[0];
        let local: SocketAddr =
            if addr.is_ipv4() { ([0, 0, 0, 0], 0).into() } else { (std::net::Ipv6Addr::UNSPECIFIED, 0).into() };
        let socket = UdpSocket::bind(local).await.map_err(|e| e.to_string())?;
        socket.connect(addr).await.map_err(|e| e.to_string())?;
        return Ok(Conn { kind: Kind::Datagram(socket), description: format!("UDP to {addr}") });
    }
    let mut last = String::new();
    let mut tcp = None;
    for addr in &addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => {
                tcp = Some((s, *addr));
                break;
            }
            Err(e) => last = e.to_string(),
        }
    }
    let Some((tcp, addr)) = tcp else { return Err(last) };
    let _ = tcp.set_nodelay(true);
    let sock = socket2::SockRef::from(&tcp);
    let _ = sock.set_tcp_keepalive(
        &socket2::TcpKeepalive::new().with_time(Duration::from_secs(30)).with_interval(Duration::from_secs(10)),
    );
    let _ = sock.set_tcp_user_timeout(Some(TCP_USER_TIMEOUT));
    let (stream, description): (Box<dyn Stream>, String) = match target.transport {
        SyslogTransport::Tls => {
            let config = tls_config(ca_pem)?;
            let name = rustls::pki_types::ServerName::try_from(target.host.clone())
                .map_err(|e| format!("{}: not a TLS server name: {e}", target.host))?;
            let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
                .connect(name, tcp)
                .await
                .map_err(|e| format!("TLS handshake failed: {e}"))?;
            let version = tls.get_ref().1.protocol_version().map_or_else(|| "TLS".to_string(), |v| format!("{v:?}"));
            (Box::new(tls), format!("{version} to {addr}, certificate verified for {}", target.host))
        }
        _ => (Box::new(tcp), format!("TCP to {addr}")),
    };
    let (mut read, writer) = tokio::io::split(stream);
    let closed = Arc::new(Mutex::new(None));
    let seen = closed.clone();
    // Syslog receivers send nothing; whatever comes is read and dropped (bounded: one buffer),
    // and the end of the read side marks the connection closed.
    let reader = tokio::spawn(async move {
        let mut buf = vec![0u8; 4096];
        let why = loop {
            match read.read(&mut buf).await {
                Ok(0) => break "the receiver closed the connection".to_string(),
                Ok(_) => {}
                Err(e) => break format!("connection lost: {e}"),
            }
        };
        if let Ok(mut c) = seen.lock() {
            *c = Some(why);
        }
    });
    Ok(Conn { kind: Kind::Stream { writer, closed, reader }, description })
}
