//! Events and their wire forms: RFC 5424 with structured data, CEF inside an RFC 5424 message,
//! or JSON; framed for a stream (RFC 6587 octet counting, or one JSON object per line) or
//! bounded for a datagram.

use std::fmt::Write as _;

use crate::model::{ActivityEntry, AuditEntry, SiemFormat, SiemStream};

/// The private enterprise number of the structured data element `mcpcp@32473` (RFC 5424 §7.2.2).
pub const SD_ID: &str = "mcpcp@32473";
/// The largest datagram sent over UDP.
pub const MAX_DATAGRAM: usize = 8192;

/// One event a sink sends.
#[derive(Debug, Clone)]
pub struct Event {
    pub stream: SiemStream,
    /// The record's or entry's id; for a gap event the total lost so far.
    pub seq: i64,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub enum Body {
    Activity(Box<ActivityEntry>),
    Audit(Box<AuditEntry>),
    /// Retention deleted `lost` records this sink had not delivered.
    Gap {
        lost: i64,
        time: String,
    },
    /// `siem test`: one event that says what it is.
    Test {
        time: String,
    },
}

/// What is the same for every event of a sink.
#[derive(Debug, Clone)]
pub struct Origin {
    pub instance: String,
    /// The HOSTNAME of RFC 5424 (printable US-ASCII, or `-`).
    pub host: String,
    pub pid: u32,
    pub version: &'static str,
}

impl Origin {
    pub fn new(instance: String) -> Origin {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        Origin {
            instance,
            host: header_field(host.trim(), 255),
            pid: std::process::id(),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

impl Event {
    /// The stable id a receiver de-duplicates by: instance, stream, sequence number.
    pub fn id(&self, origin: &Origin) -> String {
        match &self.body {
            Body::Gap { .. } => format!("{}:{}:gap-{}", origin.instance, self.stream.as_str(), self.seq),
            Body::Test { time } => format!("{}:test:{time}", origin.instance),
            _ => format!("{}:{}:{}", origin.instance, self.stream.as_str(), self.seq),
        }
    }

    /// When the event happened (RFC 3339, as stored).
    pub fn time(&self) -> &str {
        match &self.body {
            Body::Activity(e) => &e.time,
            Body::Audit(e) => &e.time,
            Body::Gap { time, .. } | Body::Test { time } => time,
        }
    }

    /// The event as JSON: the record's own fields with `event_id`, `stream` and `instance`
    /// in front (the record is serialized once, straight into the text).
    pub fn json(&self, origin: &Origin) -> String {
        let record = match &self.body {
            Body::Activity(e) => serde_json::to_string(e),
            Body::Audit(e) => serde_json::to_string(e),
            Body::Gap { lost, time } => serde_json::to_string(&serde_json::json!({
                "type": "siem_gap",
                "time": time,
                "level": "warn",
                "lost": lost,
                "message": format!("{lost} activity records were deleted by retention before this sink delivered them (siem.max_backlog)"),
            })),
            Body::Test { time } => serde_json::to_string(&serde_json::json!({
                "type": "siem_test",
                "time": time,
                "level": "info",
                "message": "a test event from `mcpcp siem test`",
            })),
        }
        .unwrap_or_else(|_| "{}".into());
        let quoted = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        let mut out = String::with_capacity(record.len() + 96);
        out.push_str("{\"event_id\":");
        out.push_str(&quoted(&self.id(origin)));
        out.push_str(",\"stream\":");
        out.push_str(&quoted(self.stream.as_str()));
        out.push_str(",\"instance\":");
        out.push_str(&quoted(&origin.instance));
        match record.strip_prefix('{') {
            Some(rest) if rest != "}" => {
                out.push(',');
                out.push_str(rest);
            }
            _ => out.push('}'),
        }
        out
    }

    /// PRI (RFC 5424 §6.2.1): facility local0 (16) for activity, log audit (13) for audit
    /// entries; severity from the level.
    fn pri(&self) -> u8 {
        let severity = |level: &str| match level {
            "error" => 3,
            "warn" => 4,
            _ => 6,
        };
        match &self.body {
            Body::Activity(e) => 16 * 8 + severity(&e.level),
            Body::Audit(_) => 13 * 8 + 5,
            Body::Gap { .. } => 16 * 8 + 4,
            Body::Test { .. } => 16 * 8 + 6,
        }
    }

    fn msgid(&self) -> String {
        match &self.body {
            Body::Activity(e) => header_field(&e.kind, 32),
            Body::Audit(_) => "audit".into(),
            Body::Gap { .. } => "siem_gap".into(),
            Body::Test { .. } => "siem_test".into(),
        }
    }

    /// The SD-PARAMs of the `mcpcp@32473` element.
    fn params(&self, origin: &Origin) -> Vec<(&'static str, String)> {
        let mut p = vec![("id", self.id(origin)), ("stream", self.stream.as_str().to_string())];
        let mut opt = |name: &'static str, v: Option<String>| {
            if let Some(v) = v {
                p.push((name, v));
            }
        };
        match &self.body {
            Body::Activity(e) => {
                opt("server", e.server.clone());
                opt("tool", e.tool.clone());
                opt("type", Some(e.kind.clone()));
                opt("method", e.method.clone());
                opt("principal", e.principal.clone());
                opt("auth_method", e.auth_method.clone());
                opt("status", Some(e.status.clone()));
                opt("level", Some(e.level.clone()));
                opt("duration_us", Some(e.duration_us.to_string()));
                opt("source_ip", e.source_ip.clone());
                opt("session_id", e.session_id.clone());
                opt("error_code", e.error_code.map(|c| c.to_string()));
                opt("fault", e.fault.clone());
                opt("trace_id", Some(e.trace_id.clone()));
            }
            Body::Audit(e) => {
                opt("action", Some(e.action.clone()));
                opt("actor", Some(e.actor.name.clone()));
                opt("actor_kind", Some(e.actor.kind.clone()));
                opt("resource_type", Some(e.resource.kind.clone()));
                opt("resource", Some(e.resource.name.clone()));
                opt("origin", Some(e.origin.clone()));
            }
            Body::Gap { lost, .. } => opt("lost", Some(lost.to_string())),
            Body::Test { .. } => {}
        }
        p
    }

    /// The RFC 5424 header up to and including the space before STRUCTURED-DATA.
    fn header(&self, origin: &Origin, out: &mut String) {
        let _ = write!(
            out,
            "<{}>1 {} {} mcpcp {} {} ",
            self.pri(),
            header_field(self.time(), 64),
            origin.host,
            origin.pid,
            self.msgid()
        );
    }

    /// The whole message (without framing). `budget` bounds its size in bytes (datagrams):
    /// inputs, outputs and steps go first, then the message is cut.
    pub fn render(&self, format: SiemFormat, origin: &Origin, budget: Option<usize>) -> Vec<u8> {
        let mut out = self.render_whole(format, origin);
        if let Some(limit) = budget
            && out.len() > limit
        {
            if let Some(smaller) = self.slim() {
                out = smaller.render_whole(format, origin);
            }
            if out.len() > limit {
                let mut cut = limit;
                while cut > 0 && !out.is_char_boundary(cut) {
                    cut -= 1;
                }
                out.truncate(cut);
            }
        }
        out.into_bytes()
    }

    /// The event without what can make it large (an activity record's inputs, outputs and
    /// steps), for a wire form with a size limit; `None` when nothing can go.
    pub fn slim(&self) -> Option<Event> {
        let Body::Activity(e) = &self.body else { return None };
        let mut slim = (**e).clone();
        slim.input = None;
        slim.output = None;
        slim.spans = None;
        Some(Event { stream: self.stream, seq: self.seq, body: Body::Activity(Box::new(slim)) })
    }

    fn render_whole(&self, format: SiemFormat, origin: &Origin) -> String {
        match format {
            SiemFormat::Json => self.json(origin),
            SiemFormat::Rfc5424 => {
                let mut out = String::with_capacity(1024);
                self.header(origin, &mut out);
                out.push('[');
                out.push_str(SD_ID);
                for (name, value) in self.params(origin) {
                    out.push(' ');
                    out.push_str(name);
                    out.push_str("=\"");
                    escape_param(&value, &mut out);
                    out.push('"');
                }
                out.push_str("] \u{feff}");
                out.push_str(&self.json(origin));
                out
            }
            SiemFormat::Cef => {
                let mut out = String::with_capacity(512);
                self.header(origin, &mut out);
                out.push_str("- ");
                self.cef(origin, &mut out);
                out
            }
        }
    }

    /// An ArcSight CEF line (CEF:0, header fields escaped for `|` and `\`, extension values for
    /// `\`, `=` and line breaks).
    fn cef(&self, origin: &Origin, out: &mut String) {
        let epoch_ms = crate::store::parse_timestamp(self.time()).map_or(0, |t| t.timestamp_millis());
        let (signature, name, severity, mut ext): (String, String, u8, Vec<(&str, String)>) = match &self.body {
            Body::Activity(e) => {
                let name = match (&e.method, &e.tool) {
                    (Some(m), Some(t)) => format!("{m} {t}"),
                    (Some(m), None) => m.clone(),
                    _ => e.kind.clone(),
                };
                let severity = match e.level.as_str() {
                    "error" => 8,
                    "warn" => 6,
                    _ => 3,
                };
                let mut ext = Vec::new();
                let mut opt = |k: &'static str, v: Option<String>| {
                    if let Some(v) = v {
                        ext.push((k, v));
                    }
                };
                opt("suser", e.principal.clone());
                opt("src", e.source_ip.clone().filter(|ip| ip.parse::<std::net::IpAddr>().is_ok()));
                opt("act", e.method.clone());
                opt("outcome", Some(e.status.clone()));
                opt("cs1Label", e.server.as_ref().map(|_| "server".to_string()));
                opt("cs1", e.server.clone());
                opt("cs2Label", e.tool.as_ref().map(|_| "tool".to_string()));
                opt("cs2", e.tool.clone());
                opt("cs3Label", Some("traceId".into()));
                opt("cs3", Some(e.trace_id.clone()));
                opt("cn1Label", Some("durationMicros".into()));
                opt("cn1", Some(e.duration_us.to_string()));
                opt("msg", e.error_message.clone());
                (e.kind.clone(), name, severity, ext)
            }
            Body::Audit(e) => {
                let ext = vec![
                    ("suser", e.actor.name.clone()),
                    ("act", e.action.clone()),
                    ("cs1Label", "resourceType".to_string()),
                    ("cs1", e.resource.kind.clone()),
                    ("cs2Label", "resource".to_string()),
                    ("cs2", e.resource.name.clone()),
                    ("cs4Label", "origin".to_string()),
                    ("cs4", e.origin.clone()),
                    ("msg", e.changes.to_string()),
                ];
                (e.action.clone(), format!("{} {}:{}", e.action, e.resource.kind, e.resource.name), 5, ext)
            }
            Body::Gap { lost, .. } => {
                ("siem_gap".into(), "activity records lost before delivery".into(), 7, vec![("cnt", lost.to_string())])
            }
            Body::Test { .. } => ("siem_test".into(), "mcpcp siem test".into(), 1, Vec::new()),
        };
        ext.insert(0, ("externalId", self.id(origin)));
        ext.insert(0, ("rt", epoch_ms.to_string()));
        let _ = write!(
            out,
            "CEF:0|mcpcp|mcpcp|{}|{}|{}|{severity}|",
            cef_header(origin.version),
            cef_header(&signature),
            cef_header(&name)
        );
        for (i, (k, v)) in ext.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(k);
            out.push('=');
            cef_value(v, out);
        }
    }
}

/// A header field of RFC 5424 (HOSTNAME, MSGID, …): printable US-ASCII only, at most `max`
/// bytes, `-` when nothing is left.
pub fn header_field(raw: &str, max: usize) -> String {
    let s: String = raw.chars().filter(|c| ('!'..='~').contains(c)).take(max).collect();
    if s.is_empty() { "-".into() } else { s }
}

/// PARAM-VALUE escaping (RFC 5424 §6.3.3): `"`, `\` and `]` are preceded by `\`.
pub fn escape_param(value: &str, out: &mut String) {
    for c in value.chars() {
        if matches!(c, '"' | '\\' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
}

fn cef_header(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn cef_value(v: &str, out: &mut String) {
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '=' => out.push_str("\\="),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// Appends `message` to `out` framed for a stream: octet counting (RFC 6587 §3.4.1) for syslog
/// messages, a newline after each JSON object.
pub fn frame(format: SiemFormat, message: &[u8], out: &mut Vec<u8>) {
    match format {
        SiemFormat::Json => {
            out.extend_from_slice(message);
            out.push(b'\n');
        }
        SiemFormat::Rfc5424 | SiemFormat::Cef => {
            let _ = std::io::Write::write_fmt(out, format_args!("{} ", message.len()));
            out.extend_from_slice(message);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn origin() -> Origin {
        Origin { instance: "0123456789abcdef".into(), host: "gw1".into(), pid: 42, version: "0.1.0" }
    }

    fn record() -> ActivityEntry {
        ActivityEntry {
            id: 7,
            time: "2026-01-02T03:04:05.123456Z".into(),
            server: Some("fi\"les]".into()),
            kind: "tool_call".into(),
            level: "error".into(),
            principal: Some("ci\\bot".into()),
            auth_method: Some("api_token".into()),
            source_ip: Some("10.0.0.1".into()),
            user_agent: None,
            client_name: None,
            client_version: None,
            session_id: None,
            method: Some("tools/call".into()),
            tool: Some("a=b|c".into()),
            input: Some(serde_json::json!({"q": "x".repeat(9000)})),
            output: None,
            output_size: None,
            output_truncated: false,
            duration_us: 1500,
            status: "failure".into(),
            http_status: None,
            error_code: Some(-32603),
            error_message: Some("line1\nline2".into()),
            trace_id: "0af7651916cd43dd8448eb211c80319c".into(),
            fault: Some("upstream".into()),
            upstream_auth: None,
            upstream_subject: None,
            resumed: None,
            span_id: None,
            parent_span_id: None,
            trace_origin: None,
            spans: None,
            origin: None,
            steps: None,
        }
    }

    fn event() -> Event {
        Event { stream: SiemStream::Activity, seq: 7, body: Body::Activity(Box::new(record())) }
    }

    #[test]
    fn rfc5424_has_structured_data_escaped_and_the_event_as_json() {
        let text = String::from_utf8(event().render(SiemFormat::Rfc5424, &origin(), None)).unwrap();
        assert!(text.starts_with("<131>1 2026-01-02T03:04:05.123456Z gw1 mcpcp 42 tool_call [mcpcp@32473 "), "{text}");
        assert!(text.contains(r#"id="0123456789abcdef:activity:7" stream="activity" server="fi\"les\]" tool="a=b|c""#));
        assert!(text.contains(r#"principal="ci\\bot""#), "{text}");
        let (_, msg) = text.split_once("] \u{feff}").unwrap();
        let json: serde_json::Value = serde_json::from_str(msg).unwrap();
        assert_eq!(json["event_id"], "0123456789abcdef:activity:7");
        assert_eq!(json["stream"], "activity");
        assert_eq!(json["server"], "fi\"les]");
        assert_eq!(json["id"], 7);
    }

    #[test]
    fn octet_counting_frames_by_bytes() {
        let mut out = Vec::new();
        frame(SiemFormat::Rfc5424, "é".as_bytes(), &mut out);
        assert_eq!(out, b"2 \xc3\xa9");
        let mut out = Vec::new();
        frame(SiemFormat::Json, b"{}", &mut out);
        assert_eq!(out, b"{}\n");
    }

    #[test]
    fn datagrams_drop_inputs_first_then_cut() {
        let whole = event().render(SiemFormat::Rfc5424, &origin(), None);
        assert!(whole.len() > MAX_DATAGRAM);
        let slim = event().render(SiemFormat::Rfc5424, &origin(), Some(MAX_DATAGRAM));
        assert!(slim.len() < 2048, "{}", slim.len());
        let text = String::from_utf8(slim).unwrap();
        let json: serde_json::Value = serde_json::from_str(text.split_once("] \u{feff}").unwrap().1).unwrap();
        assert_eq!(json["input"], serde_json::Value::Null);
        assert!(event().render(SiemFormat::Json, &origin(), Some(100)).len() <= 100);
    }

    #[test]
    fn cef_escapes_header_and_extension() {
        let text = String::from_utf8(event().render(SiemFormat::Cef, &origin(), None)).unwrap();
        let cef = text.split_once(" - ").unwrap().1;
        assert!(cef.starts_with("CEF:0|mcpcp|mcpcp|0.1.0|tool_call|tools/call a=b\\|c|8|rt=1767323045123 "), "{cef}");
        assert!(cef.contains("externalId=0123456789abcdef:activity:7"));
        assert!(cef.contains("cs2=a\\=b|c"));
        assert!(cef.contains("msg=line1\\nline2"));
        assert!(cef.contains("suser=ci\\\\bot"));
    }
}
