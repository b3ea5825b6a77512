//! SIEM sinks as an operator describes them: the receiver's URL, the message format, the
//! streams, the activity filter and where delivery starts; their validation, and the records
//! `mcpcp siem` prints.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Invalid;

/// A sink name: `[a-z0-9][a-z0-9-]{0,62}`, like server names.
pub fn check_sink_name(name: &str) -> Result<(), Invalid> {
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
    if ok {
        Ok(())
    } else {
        Err(Invalid(format!(
            "invalid sink name {name:?}: use 1-63 lowercase letters, digits and '-', starting with a letter or digit"
        )))
    }
}

/// How a syslog sink reaches its receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SyslogTransport {
    /// RFC 6587 octet-counted frames over TCP.
    Tcp,
    /// The same over TLS (RFC 5425), the receiver's certificate verified.
    Tls,
    /// One datagram per message (RFC 5426), size-bounded; no acknowledgement.
    Udp,
}

/// A syslog receiver: `tcp://HOST:PORT`, `tls://HOST:PORT` or `udp://HOST:PORT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogTarget {
    pub transport: SyslogTransport,
    /// A DNS name or an IP address (without brackets).
    pub host: String,
    pub port: u16,
}

impl SyslogTarget {
    /// Parses a receiver URL; the scheme names the transport, and a port is required.
    pub fn parse(raw: &str) -> Result<SyslogTarget, Invalid> {
        let bad = |why: &str| Invalid(format!("invalid syslog receiver {raw:?}: {why}"));
        let url = url::Url::parse(raw)
            .map_err(|e| bad(&format!("{e} (expected tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT)")))?;
        let transport = match url.scheme() {
            "tcp" => SyslogTransport::Tcp,
            "tls" => SyslogTransport::Tls,
            "udp" => SyslogTransport::Udp,
            other => return Err(bad(&format!("unknown scheme {other:?}: use tcp, tls or udp"))),
        };
        let host = match url.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.to_string(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            _ => return Err(bad("no host")),
        };
        let port = url.port().ok_or_else(|| bad("no port (syslog has no default port here: give one)"))?;
        if port == 0 {
            return Err(bad("port 0"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("credentials in the URL"));
        }
        if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("a path, query or fragment (give only HOST:PORT)"));
        }
        Ok(SyslogTarget { transport, host, port })
    }

    /// The canonical URL, as stored and shown.
    pub fn url(&self) -> String {
        let scheme = match self.transport {
            SyslogTransport::Tcp => "tcp",
            SyslogTransport::Tls => "tls",
            SyslogTransport::Udp => "udp",
        };
        if self.host.contains(':') {
            format!("{scheme}://[{}]:{}", self.host, self.port)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }
}

/// What each event becomes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SiemFormat {
    /// RFC 5424 with structured data `[mcpcp@32473 …]` and the event as JSON in MSG.
    Rfc5424,
    /// ArcSight Common Event Format, as the MSG of an RFC 5424 message.
    Cef,
    /// The event as one JSON object (newline-delimited over TCP and TLS).
    Json,
}

impl SiemFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SiemFormat::Rfc5424 => "rfc5424",
            SiemFormat::Cef => "cef",
            SiemFormat::Json => "json",
        }
    }

    pub fn parse(s: &str) -> Option<SiemFormat> {
        match s {
            "rfc5424" => Some(SiemFormat::Rfc5424),
            "cef" => Some(SiemFormat::Cef),
            "json" => Some(SiemFormat::Json),
            _ => None,
        }
    }
}

/// The two streams a sink can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SiemStream {
    /// Activity records (`mcpcp logs`), by record id.
    Activity,
    /// Audit entries (`mcpcp audit`), by entry id.
    Audit,
}

impl SiemStream {
    pub const ALL: [SiemStream; 2] = [SiemStream::Activity, SiemStream::Audit];

    pub fn as_str(self) -> &'static str {
        match self {
            SiemStream::Activity => "activity",
            SiemStream::Audit => "audit",
        }
    }

    /// `activity,audit`, `activity` or `audit` (each once).
    pub fn parse_list(raw: &str) -> Result<Vec<SiemStream>, Invalid> {
        let mut out = Vec::new();
        for part in raw.split(',').map(str::trim) {
            let stream = match part {
                "activity" => SiemStream::Activity,
                "audit" => SiemStream::Audit,
                other => {
                    return Err(Invalid(format!("--streams: unknown stream {other:?}: use activity, audit or both")));
                }
            };
            if !out.contains(&stream) {
                out.push(stream);
            }
        }
        Ok(out)
    }
}

/// The activity filter of a sink: the flags of `logs tail` that describe which records, not
/// when. Stored as JSON; `store::activity::filter_conditions` turns it into SQL conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// A principal: token or user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// `FIELD=VALUE`, `input.PATH=VALUE`, `output.PATH=VALUE`; all must hold.
    #[serde(default, rename = "where", skip_serializing_if = "Vec::is_empty")]
    pub wheres: Vec<String>,
}

impl ActivityFilter {
    pub fn is_empty(&self) -> bool {
        *self == ActivityFilter::default()
    }
}

/// Where a new sink starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartFrom {
    /// With the events after the sink was added (its own `siem.add` audit entry included).
    Now,
    /// With the oldest event kept.
    Beginning,
    /// With the events at or after this time.
    Time(DateTime<Utc>),
}

impl StartFrom {
    /// `now`, `beginning`, or a time as `--since` takes it (a duration before `now`, RFC 3339).
    pub fn parse(raw: &str, now: DateTime<Utc>) -> Result<StartFrom, Invalid> {
        match raw {
            "now" => Ok(StartFrom::Now),
            "beginning" => Ok(StartFrom::Beginning),
            other => super::parse_since(other, now)
                .map(StartFrom::Time)
                .map_err(|e| Invalid(format!("--from: use now, beginning or a time: {}", e.0))),
        }
    }
}

/// Checks that `pem` holds one or more X.509 certificates (and nothing else that PEM could
/// smuggle in, such as a private key) that rustls accepts as trust anchors; returns them.
pub fn parse_ca_pem(pem: &[u8]) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, Invalid> {
    use rustls::pki_types::pem::{PemObject, SectionKind};
    let mut certs = Vec::new();
    for item in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
        let (kind, der) = item.map_err(|e| Invalid(format!("--ca: not a PEM file: {e}")))?;
        if kind != SectionKind::Certificate {
            return Err(Invalid(format!("--ca: the file holds a {kind:?} section; give only CA certificates")));
        }
        certs.push(rustls::pki_types::CertificateDer::from(der));
    }
    if certs.is_empty() {
        return Err(Invalid("--ca: no PEM certificate in the file (expected -----BEGIN CERTIFICATE-----)".into()));
    }
    let mut roots = rustls::RootCertStore::empty();
    for cert in &certs {
        roots.add(cert.clone()).map_err(|e| Invalid(format!("--ca: a certificate cannot be read: {e}")))?;
    }
    Ok(certs)
}

/// How `siem show` names a CA: how many certificates, and the SHA-256 of the first.
pub fn describe_ca(pem: &str) -> String {
    match parse_ca_pem(pem.as_bytes()) {
        Ok(certs) => {
            let digest: String = certs
                .first()
                .map(|c| Sha256::digest(c.as_ref()).iter().map(|b| format!("{b:02x}")).collect())
                .unwrap_or_default();
            let n = certs.len();
            format!("{n} certificate{} (SHA-256 {digest})", if n == 1 { "" } else { "s" })
        }
        Err(e) => format!("unreadable: {}", e.0),
    }
}

/// A sink as `siem list` and `siem show` print it. The JSON form is part of the `--output json`
/// contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SiemSink {
    pub id: i64,
    pub name: String,
    /// `syslog`, `hec` (Splunk HTTP Event Collector), `http` (NDJSON) or `otlp` (OTLP/HTTP logs).
    pub kind: String,
    /// The receiver, e.g. `tls://siem.example.com:6514`; for the HTTP kinds the URL each batch is
    /// POSTed to, e.g. `https://splunk.example.com:8088/services/collector/event`.
    pub url: String,
    /// The syslog message format; `json` for the HTTP kinds (their events are the `json` format).
    pub format: SiemFormat,
    /// The private CA the receiver's certificate must chain to (a description; the certificates
    /// are public data); `null` for the system's trust store.
    pub ca: Option<String>,
    /// HEC: the Splunk index events go to; `null` for the token's default index.
    pub index: Option<String>,
    /// HEC: the sourcetype of every event; `null` for `mcpcp:activity` and `mcpcp:audit` by
    /// stream.
    pub sourcetype: Option<String>,
    /// The names of the extra headers sent with each request (`--header`); their values are
    /// sealed at rest and never shown.
    pub headers: Vec<String>,
    /// Whether a HEC token is stored (sealed at rest, never shown).
    pub token_set: bool,
    /// Whether requests are signed with a secret (`X-MCPCP-Signature`; the secret is sealed at
    /// rest and never shown).
    pub secret_set: bool,
    pub streams: Vec<SiemStream>,
    /// The activity filter; empty for every record.
    pub filter: ActivityFilter,
    /// `now`, `beginning` or the time given to `--from`.
    pub from: String,
    pub paused: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// How far a sink is, as `siem status` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SiemStatus {
    pub name: String,
    /// `delivering` (connected, caught up or catching up), `retrying` (the last attempt failed;
    /// waiting before the next), `connecting`, `paused`, or `stopped` (no gateway runs).
    pub state: String,
    /// Since when the sink is in that state.
    pub since: Option<String>,
    /// Events the receiver acknowledged, over both streams.
    pub delivered: i64,
    /// Events not yet acknowledged: activity records matching the filter, and audit entries.
    pub lag_events: i64,
    /// How long ago the oldest event not yet acknowledged happened; 0 when caught up.
    pub lag_seconds: f64,
    /// The time of the oldest event not yet acknowledged.
    pub oldest_undelivered: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub last_delivery_at: Option<String>,
    /// Activity records retention deleted before the sink delivered them (past
    /// `siem.max_backlog`); each loss is also sent to the receiver as a gap event.
    pub lost: i64,
    pub last_lost_at: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn syslog_urls() {
        let t = SyslogTarget::parse("tls://siem.example.com:6514").unwrap();
        assert_eq!((t.transport, t.host.as_str(), t.port), (SyslogTransport::Tls, "siem.example.com", 6514));
        assert_eq!(SyslogTarget::parse("udp://[::1]:514").unwrap().url(), "udp://[::1]:514");
        assert_eq!(SyslogTarget::parse("tcp://10.0.0.1:601/").unwrap().url(), "tcp://10.0.0.1:601");
        for (bad, why) in [
            ("http://x:1", "unknown scheme"),
            ("tcp://x", "no port"),
            ("tcp://:514", "invalid syslog receiver"),
            ("not a url", "invalid syslog receiver"),
            ("tcp://u:p@x:1", "credentials"),
            ("tcp://x:1/path", "a path"),
            ("tcp://x:0", "port 0"),
        ] {
            let e = SyslogTarget::parse(bad).unwrap_err().0;
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn streams_and_start() {
        assert_eq!(
            SiemStream::parse_list("audit, activity,audit").unwrap(),
            vec![SiemStream::Audit, SiemStream::Activity]
        );
        assert!(SiemStream::parse_list("activity,trace").is_err());
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-02T00:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(StartFrom::parse("now", now).unwrap(), StartFrom::Now);
        assert_eq!(
            StartFrom::parse("1d", now).unwrap(),
            StartFrom::Time(chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap().with_timezone(&Utc))
        );
        assert!(StartFrom::parse("yesterday", now).is_err());
    }

    #[test]
    fn ca_files_must_be_certificates() {
        let cert = rcgen::generate_simple_self_signed(vec!["ca.test".into()]).unwrap();
        let pem = cert.cert.pem();
        assert_eq!(parse_ca_pem(pem.as_bytes()).unwrap().len(), 1);
        assert!(describe_ca(&pem).starts_with("1 certificate (SHA-256 "));
        assert!(parse_ca_pem(b"hello").unwrap_err().0.contains("no PEM certificate"));
        let key = cert.signing_key.serialize_pem();
        assert!(parse_ca_pem(key.as_bytes()).unwrap_err().0.contains("give only CA certificates"));
        let garbage = "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n";
        assert!(parse_ca_pem(garbage.as_bytes()).unwrap_err().0.contains("cannot be read"));
    }
}
