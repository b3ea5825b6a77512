//! Requests to the HTTP receivers: one POST per batch on reqwest (HTTP/1.1, kept-alive
//! connections; no proxy, no redirects; rustls with the sink's CA or the system's trust store).
//! A 2xx answer acknowledges the batch; anything else is a failure that says the status and a
//! bounded, escaped excerpt of the answer. Connect, request and answer are all bounded.

use std::time::Duration;

use aws_lc_rs::hmac;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{CONNECT_TIMEOUT, WRITE_TIMEOUT, tls_config};
use crate::model::{HttpTarget, SIGNATURE_HEADER, SiemKind};
use crate::secrets::SinkCredentials;
use crate::store::siem::SinkRow;

/// The most of an answer read (the rest is dropped with the connection).
const MAX_ANSWER: usize = 64 * 1024;
/// The most of an answer quoted in an error or a `siem test` report.
const EXCERPT_CHARS: usize = 300;
/// The longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// A sink's HTTP client and what every request of it carries.
pub struct Poster {
    kind: SiemKind,
    client: reqwest::Client,
    url: reqwest::Url,
    /// Content type, authorization and the extra headers.
    headers: HeaderMap,
    /// The key that signs each body (`--http --secret-stdin`).
    signer: Option<hmac::Key>,
    /// How requests go, for `siem test` and the log.
    pub description: String,
}

impl std::fmt::Debug for Poster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poster").field("description", &self.description).finish_non_exhaustive()
    }
}

/// What a receiver answered with a 2xx.
#[derive(Debug, Clone)]
pub struct Answer {
    /// `HTTP/1.1 200 OK`.
    pub status: String,
    pub code: u16,
    /// The start of the body, escaped.
    pub excerpt: String,
    /// The body as read (at most [`MAX_ANSWER`] bytes).
    pub body: Vec<u8>,
}

/// A request that did not succeed.
#[derive(Debug, Clone)]
pub struct Failure {
    pub message: String,
    /// What the receiver asked for in `Retry-After` (in seconds; at most a minute).
    pub retry_after: Option<Duration>,
}

/// The HMAC-SHA256 signature header value: `t=<unix seconds>,v1=<hex of HMAC(secret, "<t>." +
/// body)>`. A receiver recomputes it over the raw body and compares in constant time, and
/// refuses a `t` too far from its own clock (a replay).
pub fn signature(key: &hmac::Key, unix_seconds: i64, body: &[u8]) -> String {
    let mut ctx = hmac::Context::with_key(key);
    ctx.update(unix_seconds.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    format!("t={unix_seconds},v1={}", crate::secrets::hex(ctx.sign().as_ref()))
}

/// HEC's data channel (`X-Splunk-Request-Channel`, required when the token has indexer
/// acknowledgement on): a GUID stable for the sink, from the instance and the sink's id.
fn hec_channel(instance: &str, sink_id: i64) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("mcpcp-siem-channel:{instance}:{sink_id}").as_bytes());
    let h = crate::secrets::hex(&d[..16]);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

impl Poster {
    /// The client for a sink of an HTTP kind, with its credentials.
    pub fn new(sink: &SinkRow, credentials: &SinkCredentials, instance: &str) -> Result<Poster, String> {
        let kind = SiemKind::parse(&sink.kind).ok_or_else(|| format!("unknown kind of sink {:?}", sink.kind))?;
        // The URL was checked when the sink was added (`--insecure-http` included).
        let target = HttpTarget::parse(kind, &sink.url, true).map_err(|e| e.0)?;
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(WRITE_TIMEOUT)
            .pool_idle_timeout(Duration::from_secs(50))
            .tcp_nodelay(true)
            .http1_only()
            .user_agent(concat!("mcpcp/", env!("CARGO_PKG_VERSION")));
        let mut description = format!("HTTP/1.1 POST {}", target.url);
        if target.is_tls() {
            builder = builder.tls_backend_preconfigured(tls_config(sink.ca_pem.as_deref())?);
            let trust = if sink.ca_pem.is_some() { "the sink's CA" } else { "the system's trust store" };
            description.push_str(&format!(" over TLS, the certificate verified for {} against {trust}", target.host()));
        }
        let client = builder.build().map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        let encoder = super::super::encode::Encoder::for_kind(kind, &Default::default());
        let content_type = encoder.as_ref().map_or("application/json", |e| e.content_type());
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        for (name, value) in &credentials.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| format!("header {name:?}: {e}"))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| format!("header {name}: not a header value"))?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        if kind == SiemKind::Hec {
            let token = credentials.token.as_deref().ok_or("the sink has no HEC token")?;
            let mut value =
                HeaderValue::from_str(&format!("Splunk {token}")).map_err(|_| "the HEC token is not a header value")?;
            value.set_sensitive(true);
            headers.insert(reqwest::header::AUTHORIZATION, value);
            let channel = HeaderValue::from_str(&hec_channel(instance, sink.id)).map_err(|e| e.to_string())?;
            headers.insert(HeaderName::from_static("x-splunk-request-channel"), channel);
        }
        let signer = credentials.secret.as_deref().map(|s| hmac::Key::new(hmac::HMAC_SHA256, s.as_bytes()));
        if signer.is_some() {
            description.push_str(", signed (X-MCPCP-Signature)");
        }
        Ok(Poster { kind, client, url: target.url, headers, signer, description })
    }

    /// POSTs one body; `unix_seconds` is the signature's time. Ok for a 2xx answer.
    pub async fn post(&self, body: Vec<u8>, unix_seconds: i64) -> Result<Answer, Failure> {
        let mut request = self.client.post(self.url.clone()).headers(self.headers.clone());
        if let Some(key) = &self.signer {
            request = request.header(SIGNATURE_HEADER, signature(key, unix_seconds, &body));
        }
        let failed = |message: String| Failure { message, retry_after: None };
        let mut response = request
            .body(body)
            .send()
            .await
            .map_err(|e| failed(format!("cannot POST to {}: {}", self.url, chain(&e.without_url()))))?;
        let status = response.status();
        let version = format!("{:?}", response.version());
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
        let mut body = Vec::new();
        while body.len() < MAX_ANSWER {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(MAX_ANSWER - body.len())]),
                Ok(None) => break,
                Err(e) if status.is_success() => {
                    // The answer was cut short after a 2xx status line: the receiver took the
                    // batch, but a receiver that breaks off is not trusted to have kept it.
                    return Err(failed(format!(
                        "{} from {}, then the answer broke off: {}",
                        status,
                        self.url,
                        chain(&e)
                    )));
                }
                Err(_) => break,
            }
        }
        let excerpt = excerpt(&body);
        let line = format!("{version} {status}");
        if status.is_success() {
            if self.kind == SiemKind::Otlp {
                rejected(&self.url, &body);
            }
            return Ok(Answer { status: line, code: status.as_u16(), excerpt, body });
        }
        let quoted = if excerpt.is_empty() { String::new() } else { format!(": {excerpt}") };
        Err(Failure { message: format!("HTTP {status} from {}{quoted}", self.url), retry_after })
    }
}

/// Logs the records an OTLP collector's partial success says it rejected: per the OTLP
/// specification ("Partial Success") they are not sent again.
fn rejected(url: &reqwest::Url, body: &[u8]) {
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceResponse;
    use prost::Message;
    let Ok(answer) = ExportLogsServiceResponse::decode(body) else { return };
    if let Some(partial) = answer.partial_success.filter(|p| p.rejected_log_records > 0 || !p.error_message.is_empty())
    {
        tracing::warn!(
            url = %url,
            rejected = partial.rejected_log_records,
            message = %excerpt(partial.error_message.as_bytes()),
            "the OTLP collector rejected some log records"
        );
    }
}

/// An error with its causes (reqwest's own message names only the first layer; the TLS
/// verification failure is further down).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// The start of an answer as text: at most [`EXCERPT_CHARS`] characters, control characters
/// and invalid UTF-8 escaped, so a receiver's answer cannot forge lines in `siem status`.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_over_time_dot_body() {
        // Against HMAC built by hand from SHA-256 (RFC 2104): H(K^opad || H(K^ipad || m)).
        let key = hmac::Key::new(hmac::HMAC_SHA256, b"key");
        let header = signature(&key, 1_700_000_000, b"{\"a\":1}\n");
        let by_hand = {
            use sha2::{Digest, Sha256};
            let mut k = [0u8; 64];
            k[..3].copy_from_slice(b"key");
            let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
            let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
            let ih = Sha256::new().chain_update(&inner).chain_update(b"1700000000.{\"a\":1}\n").finalize();
            crate::secrets::hex(&Sha256::new().chain_update(&outer).chain_update(ih).finalize())
        };
        assert_eq!(header, format!("t=1700000000,v1={by_hand}"));
    }

    #[test]
    fn excerpts_are_bounded_and_escaped() {
        assert_eq!(excerpt(b"  {\"text\":\"Invalid token\",\"code\":4}\n"), "{\"text\":\"Invalid token\",\"code\":4}");
        assert_eq!(excerpt(b"a\x1b[31mred\r\nforged"), "a\\u{1b}[31mred\\r\\nforged");
        let long = excerpt(&[b'x'; 1000]);
        assert_eq!(long.chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b"\xff\xfe"), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn hec_channels_are_guids_stable_per_sink() {
        let c = hec_channel("0123456789abcdef", 3);
        assert_eq!(c.len(), 36);
        assert_eq!(c, hec_channel("0123456789abcdef", 3));
        assert_ne!(c, hec_channel("0123456789abcdef", 4));
    }
}
