//! The HTTP receivers of SIEM sinks (`siem add --hec|--http|--otlp`): the kinds of sink, the
//! receiver's URL and the endpoint requests are posted to, the extra headers an operator adds,
//! Splunk HEC's index and sourcetype, and the checks on a token or signing secret.

use serde::{Deserialize, Serialize};

use super::Invalid;
use super::upstream_header::check_header;

/// What a sink's receiver speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SiemKind {
    /// Syslog over TCP, TLS or UDP.
    #[default]
    Syslog,
    /// Splunk's HTTP Event Collector.
    Hec,
    /// Newline-delimited JSON posted to any HTTPS endpoint, optionally signed.
    Http,
    /// OpenTelemetry logs over OTLP/HTTP (protobuf).
    Otlp,
}

impl SiemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SiemKind::Syslog => "syslog",
            SiemKind::Hec => "hec",
            SiemKind::Http => "http",
            SiemKind::Otlp => "otlp",
        }
    }

    pub fn parse(s: &str) -> Option<SiemKind> {
        match s {
            "syslog" => Some(SiemKind::Syslog),
            "hec" => Some(SiemKind::Hec),
            "http" => Some(SiemKind::Http),
            "otlp" => Some(SiemKind::Otlp),
            _ => None,
        }
    }

    /// The `siem add` flag that names a receiver of this kind.
    pub fn flag(self) -> &'static str {
        match self {
            SiemKind::Syslog => "--syslog",
            SiemKind::Hec => "--hec",
            SiemKind::Http => "--http",
            SiemKind::Otlp => "--otlp",
        }
    }
}

/// What a sink of an HTTP kind stores beside its URL (`siem_sinks.options`, JSON): nothing
/// secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SinkOptions {
    /// HEC: the Splunk index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// HEC: the sourcetype of every event (default by stream).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourcetype: Option<String>,
    /// The names (lowercase) of the extra headers, whose values are sealed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    /// `--http`: requests are signed with the sealed secret.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signed: bool,
}

/// The path of Splunk HEC's event endpoint.
pub const HEC_EVENT_PATH: &str = "/services/collector/event";
/// The path of OTLP/HTTP's logs endpoint (OTLP specification, "OTLP/HTTP Request").
pub const OTLP_LOGS_PATH: &str = "/v1/logs";

/// An HTTP receiver: the URL each batch is POSTed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpTarget {
    pub url: url::Url,
}

impl HttpTarget {
    /// Parses the URL given to `--hec`, `--http` or `--otlp` into the endpoint posted to: HEC's
    /// `/services/collector/event` and OTLP's `/v1/logs` are appended to the URL's path unless it
    /// already ends with them. `http://` is accepted for a loopback host (127.0.0.0/8, ::1,
    /// `localhost`) and elsewhere only with `insecure_http`: events, tokens and header values
    /// would cross the network in the clear.
    pub fn parse(kind: SiemKind, raw: &str, insecure_http: bool) -> Result<HttpTarget, Invalid> {
        let flag = kind.flag();
        let bad = |why: &str| Invalid(format!("{flag} {raw:?}: {why}"));
        let mut url = url::Url::parse(raw).map_err(|e| bad(&format!("{e} (expected https://HOST[:PORT][/PATH])")))?;
        let tls = match url.scheme() {
            "https" => true,
            "http" => false,
            other => return Err(bad(&format!("unknown scheme {other:?}: use https (or http)"))),
        };
        let loopback = match url.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(a)) => a.is_loopback(),
            Some(url::Host::Ipv6(a)) => a.is_loopback(),
            _ => return Err(bad("no host")),
        };
        if url.port() == Some(0) {
            return Err(bad("port 0"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            let how = match kind {
                SiemKind::Hec => "the token comes from standard input (--token-stdin)",
                _ => "give credentials with --header",
            };
            return Err(bad(&format!("credentials in the URL ({how})")));
        }
        if url.fragment().is_some() {
            return Err(bad("a fragment"));
        }
        if url.query().is_some() && kind != SiemKind::Http {
            return Err(bad("a query"));
        }
        if !tls && !loopback && !insecure_http {
            return Err(bad(
                "plain http:// to a host that is not loopback would send the events and credentials in the clear: \
                 use https://, or add --insecure-http when the network between is trusted",
            ));
        }
        let suffix = match kind {
            SiemKind::Hec => Some(HEC_EVENT_PATH),
            SiemKind::Otlp => Some(OTLP_LOGS_PATH),
            _ => None,
        };
        if let Some(suffix) = suffix {
            let path = url.path().trim_end_matches('/').to_string();
            let endpoint = if path.ends_with(suffix) {
                path
            } else if kind == SiemKind::Hec && path.ends_with("/services/collector") {
                format!("{path}/event")
            } else {
                format!("{path}{suffix}")
            };
            url.set_path(&endpoint);
        }
        Ok(HttpTarget { url })
    }

    pub fn is_tls(&self) -> bool {
        self.url.scheme() == "https"
    }

    /// The host, as a TLS server name (IPv6 without brackets).
    pub fn host(&self) -> String {
        match self.url.host() {
            Some(url::Host::Ipv6(a)) => a.to_string(),
            Some(h) => h.to_string(),
            None => String::new(),
        }
    }
}

/// Headers a sink's `--header` may not give: the gateway sets them, or they frame the request
/// or the connection (hop-by-hop, RFC 9110 §7.6.1), or they sign it.
const SINK_RESERVED: &[&str] = &[
    "host",
    "content-length",
    "content-type",
    "content-encoding",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authorization",
    "te",
    "trailer",
    "upgrade",
    "expect",
    "x-mcpcp-signature",
];

/// The HMAC signature header of an `--http` sink with a secret.
pub const SIGNATURE_HEADER: &str = "x-mcpcp-signature";

/// Checks one `--header NAME=VALUE` of a sink: a token name the gateway does not set itself, a
/// value of visible ASCII (never echoed: it may be an API key). Returns the name lowercased.
pub fn parse_sink_header(name: &str, value: &str) -> Result<(String, String), Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid(format!(
            "--header {name}: no value (give NAME=VALUE, or NAME with its value on a line of standard input)"
        )));
    }
    check_header(name, value, SINK_RESERVED).map_err(|e| Invalid(format!("--header: {}", e.0)))
}

/// A Splunk index name: lowercase letters, digits, `_` and `-`, starting with a letter or digit
/// (Splunk's own rule), at most 80 characters.
pub fn check_hec_index(index: &str) -> Result<(), Invalid> {
    let b = index.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 80
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-');
    if ok {
        Ok(())
    } else {
        Err(Invalid(format!(
            "--index {index:?}: a Splunk index name is 1-80 lowercase letters, digits, '_' and '-', starting with a letter or digit"
        )))
    }
}

/// A sourcetype: 1-255 characters, none of them a control character.
pub fn check_hec_sourcetype(sourcetype: &str) -> Result<(), Invalid> {
    if sourcetype.trim().is_empty() || sourcetype.chars().count() > 255 || sourcetype.chars().any(char::is_control) {
        return Err(Invalid(format!("--sourcetype {sourcetype:?}: use 1-255 characters without control characters")));
    }
    Ok(())
}

/// The longest token or secret accepted.
const MAX_CREDENTIAL_BYTES: usize = 4096;
/// The shortest signing secret accepted: HMAC-SHA256 with fewer bytes of key is guessable.
pub const MIN_SECRET_BYTES: usize = 16;

/// A HEC token: it travels in `Authorization: Splunk TOKEN`, so visible ASCII only. Never echoed.
pub fn check_hec_token(token: &str) -> Result<(), Invalid> {
    if token.is_empty() {
        return Err(Invalid("no HEC token on standard input (--token-stdin reads its first line)".into()));
    }
    if token.len() > MAX_CREDENTIAL_BYTES || !token.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err(Invalid(format!(
            "the HEC token on standard input is not one word of at most {MAX_CREDENTIAL_BYTES} visible ASCII characters"
        )));
    }
    Ok(())
}

/// A signing secret: at least [`MIN_SECRET_BYTES`] bytes, no control characters. Never echoed.
pub fn check_signing_secret(secret: &str) -> Result<(), Invalid> {
    if secret.is_empty() {
        return Err(Invalid("no signing secret on standard input (--secret-stdin reads its first line)".into()));
    }
    if secret.len() < MIN_SECRET_BYTES || secret.len() > MAX_CREDENTIAL_BYTES || secret.chars().any(char::is_control) {
        return Err(Invalid(format!(
            "the signing secret on standard input must be {MIN_SECRET_BYTES}-{MAX_CREDENTIAL_BYTES} bytes without control characters (e.g. `openssl rand -hex 32`)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn endpoint(kind: SiemKind, raw: &str) -> String {
        HttpTarget::parse(kind, raw, false).unwrap().url.to_string()
    }

    #[test]
    fn hec_and_otlp_endpoints_are_appended_unless_named() {
        assert_eq!(endpoint(SiemKind::Hec, "https://splunk:8088"), "https://splunk:8088/services/collector/event");
        assert_eq!(endpoint(SiemKind::Hec, "https://splunk:8088/"), "https://splunk:8088/services/collector/event");
        assert_eq!(
            endpoint(SiemKind::Hec, "https://splunk:8088/services/collector"),
            "https://splunk:8088/services/collector/event"
        );
        assert_eq!(
            endpoint(SiemKind::Hec, "https://x/services/collector/event/"),
            "https://x/services/collector/event"
        );
        assert_eq!(
            endpoint(SiemKind::Hec, "https://x/proxy/splunk"),
            "https://x/proxy/splunk/services/collector/event"
        );
        assert_eq!(endpoint(SiemKind::Otlp, "http://127.0.0.1:4318"), "http://127.0.0.1:4318/v1/logs");
        assert_eq!(endpoint(SiemKind::Otlp, "http://[::1]:4318/v1/logs"), "http://[::1]:4318/v1/logs");
        assert_eq!(endpoint(SiemKind::Http, "https://x/ingest?tenant=a"), "https://x/ingest?tenant=a");
        assert_eq!(HttpTarget::parse(SiemKind::Otlp, "http://[::1]:4318", false).unwrap().host(), "::1");
    }

    #[test]
    fn plain_http_only_to_loopback_unless_insecure() {
        for ok in ["http://127.0.0.1:8088", "http://localhost:1", "http://[::1]:2", "https://siem.example.com"] {
            assert!(HttpTarget::parse(SiemKind::Hec, ok, false).is_ok(), "{ok}");
        }
        let e = HttpTarget::parse(SiemKind::Hec, "http://siem.example.com:8088", false).unwrap_err().0;
        assert!(e.contains("--insecure-http"), "{e}");
        assert!(HttpTarget::parse(SiemKind::Hec, "http://siem.example.com:8088", true).is_ok());
        for (bad, why) in [
            ("ftp://x", "unknown scheme"),
            ("https://", "empty host"),
            ("not a url", "relative URL"),
            ("https://u:p@x", "credentials"),
            ("https://x/#f", "a fragment"),
            ("https://x:0", "port 0"),
            ("https://x/?a=b", "a query"),
        ] {
            let e = HttpTarget::parse(SiemKind::Otlp, bad, false).unwrap_err().0;
            assert!(e.contains(why), "{bad}: {e}");
            assert!(e.starts_with("--otlp "), "{e}");
        }
    }

    #[test]
    fn headers_indexes_sourcetypes_and_credentials() {
        assert_eq!(parse_sink_header("X-Api-Key", "k").unwrap(), ("x-api-key".into(), "k".into()));
        assert!(parse_sink_header("Authorization", "Bearer t").is_ok());
        for bad in ["Host", "Content-Type", "Connection", "X-MCPCP-Signature", "Transfer-Encoding", "a b", ""] {
            assert!(parse_sink_header(bad, "v").is_err(), "{bad}");
        }
        let e = parse_sink_header("X-Key", "secret\r\nX-Evil: 1").unwrap_err().0;
        assert!(!e.contains("secret"), "{e}");
        assert!(check_hec_index("main").is_ok() && check_hec_index("_internal").is_err());
        assert!(check_hec_index("Main").is_err() && check_hec_index(&"a".repeat(81)).is_err());
        assert!(check_hec_sourcetype("mcpcp:activity").is_ok() && check_hec_sourcetype("a\nb").is_err());
        assert!(check_hec_token("0f1e2d3c-aaaa-bbbb-cccc-111122223333").is_ok());
        assert!(check_hec_token("").is_err() && check_hec_token("two words").is_err());
        assert!(check_signing_secret("short").unwrap_err().0.contains("16-4096"));
        assert!(check_signing_secret("a signing secret of some length").is_ok());
    }
}
