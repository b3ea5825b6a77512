//! The request bodies of the HTTP kinds of sink, each bounded in size: Splunk HEC events (one
//! JSON object per event, the event's JSON in `event`), NDJSON (the event's JSON, one per line)
//! and an OTLP `ExportLogsServiceRequest` (protobuf, one LogRecord per event).

use chrono::{DateTime, Utc};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, InstrumentationScope, KeyValue, any_value};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs, SeverityNumber};
use opentelemetry_proto::tonic::resource::v1::Resource;
use prost::Message;

use super::format::{Body, Event, Origin};
use crate::model::{SiemKind, SiemStream, SinkOptions};

/// HEC refuses a request over its `max_content_length` (1,000,000 bytes by default): batches
/// stay well under it.
pub const HEC_MAX_BODY: usize = 800_000;
/// The largest NDJSON or OTLP request body.
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// How a sink of an HTTP kind puts events into a request.
#[derive(Debug, Clone)]
pub enum Encoder {
    Hec { index: Option<String>, sourcetype: Option<String> },
    Ndjson,
    Otlp,
}

impl Encoder {
    /// The encoder of an HTTP kind; `None` for syslog.
    pub fn for_kind(kind: SiemKind, options: &SinkOptions) -> Option<Encoder> {
        match kind {
            SiemKind::Syslog => None,
            SiemKind::Hec => {
                Some(Encoder::Hec { index: options.index.clone(), sourcetype: options.sourcetype.clone() })
            }
            SiemKind::Http => Some(Encoder::Ndjson),
            SiemKind::Otlp => Some(Encoder::Otlp),
        }
    }

    pub fn content_type(&self) -> &'static str {
        match self {
            Encoder::Hec { .. } => "application/json",
            Encoder::Ndjson => "application/x-ndjson",
            Encoder::Otlp => "application/x-protobuf",
        }
    }

    fn limit(&self) -> usize {
        match self {
            Encoder::Hec { .. } => HEC_MAX_BODY,
            _ => MAX_BODY,
        }
    }

    /// An empty body; `now` is the OTLP records' observed time.
    pub fn body<'a>(&'a self, origin: &'a Origin, now: DateTime<Utc>) -> BodyBuilder<'a> {
        BodyBuilder { encoder: self, origin, now, bytes: Vec::new(), records: Vec::new(), size: 0 }
    }
}

/// A request body being filled.
#[derive(Debug)]
pub struct BodyBuilder<'a> {
    encoder: &'a Encoder,
    origin: &'a Origin,
    now: DateTime<Utc>,
    bytes: Vec<u8>,
    records: Vec<LogRecord>,
    size: usize,
}

impl BodyBuilder<'_> {
    /// Adds `event` unless the body would pass its limit; returns whether it did. An event too
    /// large for the limit alone goes without its inputs, outputs and steps, and always into an
    /// empty body, so a batch never stalls on one event.
    pub fn push(&mut self, event: &Event) -> bool {
        let limit = self.encoder.limit();
        let empty = self.size == 0;
        let mut piece = self.encode(event);
        if piece.len() > limit
            && let Some(slim) = event.slim()
        {
            piece = self.encode(&slim);
        }
        if !empty && self.size + piece.len() > limit {
            return false;
        }
        self.size += piece.len();
        match piece {
            Piece::Bytes(b) => {
                if !empty {
                    self.bytes.push(b'\n');
                }
                self.bytes.extend_from_slice(&b);
            }
            Piece::Record(r, _) => self.records.push(*r),
        }
        true
    }

    fn encode(&self, event: &Event) -> Piece {
        match self.encoder {
            Encoder::Hec { index, sourcetype } => {
                Piece::Bytes(hec_event(event, self.origin, index.as_deref(), sourcetype.as_deref()).into_bytes())
            }
            Encoder::Ndjson => Piece::Bytes(event.json(self.origin).into_bytes()),
            Encoder::Otlp => {
                let record = log_record(event, self.origin, nanos(self.now));
                // A LogRecord in the repeated field: its length, a tag and a length prefix.
                let len = record.encoded_len() + 6;
                Piece::Record(Box::new(record), len)
            }
        }
    }

    /// The body: for HEC and NDJSON one event per line (NDJSON ends with a newline); for OTLP
    /// the encoded `ExportLogsServiceRequest`.
    pub fn finish(self) -> Vec<u8> {
        match self.encoder {
            Encoder::Otlp if self.records.is_empty() => Vec::new(),
            Encoder::Otlp => otlp_request(self.records, self.origin).encode_to_vec(),
            Encoder::Ndjson if !self.bytes.is_empty() => {
                let mut bytes = self.bytes;
                bytes.push(b'\n');
                bytes
            }
            _ => self.bytes,
        }
    }
}

/// One event encoded, and its size in the body.
enum Piece {
    Bytes(Vec<u8>),
    Record(Box<LogRecord>, usize),
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Bytes(b) => b.len() + 1,
            Piece::Record(_, len) => *len,
        }
    }
}

/// The sourcetype of an event when the sink names none: by stream.
pub fn default_sourcetype(stream: SiemStream) -> &'static str {
    match stream {
        SiemStream::Activity => "mcpcp:activity",
        SiemStream::Audit => "mcpcp:audit",
    }
}

/// One HEC event (Splunk, "Format events for HTTP Event Collector"): `time` in epoch seconds
/// with microseconds, `host`, `source` `mcpcp`, `sourcetype`, `index` when the sink names one,
/// and the event's JSON (as the `json` format renders it) in `event`.
pub fn hec_event(event: &Event, origin: &Origin, index: Option<&str>, sourcetype: Option<&str>) -> String {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let json = event.json(origin);
    let mut out = String::with_capacity(json.len() + 160);
    out.push('{');
    if let Some(t) = crate::store::parse_timestamp(event.time()) {
        out.push_str(&format!("\"time\":{}.{:06},", t.timestamp(), t.timestamp_subsec_micros()));
    }
    out.push_str("\"host\":");
    out.push_str(&quoted(&origin.host));
    out.push_str(",\"source\":\"mcpcp\",\"sourcetype\":");
    out.push_str(&quoted(sourcetype.unwrap_or(default_sourcetype(event.stream))));
    if let Some(index) = index {
        out.push_str(",\"index\":");
        out.push_str(&quoted(index));
    }
    out.push_str(",\"event\":");
    out.push_str(&json);
    out.push('}');
    out
}

fn nanos(t: DateTime<Utc>) -> u64 {
    t.timestamp_nanos_opt().and_then(|n| u64::try_from(n).ok()).unwrap_or(0)
}

fn text(key: &str, value: impl Into<String>) -> KeyValue {
    KeyValue {
        key: key.into(),
        value: Some(AnyValue { value: Some(any_value::Value::StringValue(value.into())) }),
        ..KeyValue::default()
    }
}

fn int(key: &str, value: i64) -> KeyValue {
    KeyValue {
        key: key.into(),
        value: Some(AnyValue { value: Some(any_value::Value::IntValue(value)) }),
        ..KeyValue::default()
    }
}

/// Bytes from lowercase or uppercase hex of exactly `len` bytes; `None` otherwise (or all zero,
/// which OTLP reads as no id).
fn id_bytes(hex: &str, len: usize) -> Option<Vec<u8>> {
    if hex.len() != len * 2 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..len).map(|i| hex.get(i * 2..i * 2 + 2).and_then(|b| u8::from_str_radix(b, 16).ok())).collect();
    bytes.filter(|b| b.iter().any(|x| *x != 0))
}

/// One OTLP LogRecord (OpenTelemetry logs data model): the event's time, a severity from the
/// record's level (audit entries INFO), the event's JSON as the body (a string: the same text
/// every other kind of sink sends, which a collector can parse), attributes named as the spans
/// exported by `telemetry.otlp_endpoint` name them, and the record's trace and span ids.
pub fn log_record(event: &Event, origin: &Origin, observed: u64) -> LogRecord {
    let time = crate::store::parse_timestamp(event.time()).map_or(0, nanos);
    let level = match &event.body {
        Body::Activity(e) => e.level.as_str(),
        Body::Gap { .. } => "warn",
        Body::Audit(_) | Body::Test { .. } => "info",
    };
    let (severity, severity_text) = match level {
        "error" => (SeverityNumber::Error, "ERROR"),
        "warn" => (SeverityNumber::Warn, "WARN"),
        _ => (SeverityNumber::Info, "INFO"),
    };
    let mut attributes = vec![text("mcpcp.event.id", event.id(origin)), text("mcpcp.stream", event.stream.as_str())];
    let mut opt = |key: &str, value: &Option<String>| {
        if let Some(v) = value {
            attributes.push(text(key, v.clone()));
        }
    };
    let mut record = LogRecord::default();
    let name = match &event.body {
        Body::Activity(e) => {
            opt("mcpcp.server", &e.server);
            opt("gen_ai.tool.name", &e.tool);
            opt("mcp.method.name", &e.method);
            opt("enduser.id", &e.principal);
            opt("mcpcp.auth_method", &e.auth_method);
            opt("mcp.session.id", &e.session_id);
            opt("client.address", &e.source_ip);
            opt("mcpcp.fault", &e.fault);
            attributes.push(text("mcpcp.record.type", e.kind.clone()));
            attributes.push(text("mcpcp.status", e.status.clone()));
            attributes.push(int("mcpcp.duration_us", e.duration_us));
            if let Some(status) = e.http_status {
                attributes.push(int("http.response.status_code", status));
            }
            if let Some(code) = e.error_code {
                attributes.push(text("rpc.response.status_code", code.to_string()));
            }
            record.trace_id = id_bytes(&e.trace_id, 16).unwrap_or_default();
            if !record.trace_id.is_empty() {
                record.span_id = e.span_id.as_deref().and_then(|s| id_bytes(s, 8)).unwrap_or_default();
            }
            "mcpcp.activity"
        }
        Body::Audit(e) => {
            attributes.push(text("mcpcp.record.type", "audit"));
            attributes.push(text("mcpcp.audit.action", e.action.clone()));
            attributes.push(text("enduser.id", e.actor.name.clone()));
            attributes.push(text("mcpcp.audit.actor_kind", e.actor.kind.clone()));
            attributes.push(text("mcpcp.audit.resource_type", e.resource.kind.clone()));
            attributes.push(text("mcpcp.audit.resource", e.resource.name.clone()));
            attributes.push(text("mcpcp.audit.origin", e.origin.clone()));
            "mcpcp.audit"
        }
        Body::Gap { lost, .. } => {
            attributes.push(text("mcpcp.record.type", "siem_gap"));
            attributes.push(int("mcpcp.siem.lost", *lost));
            "mcpcp.siem_gap"
        }
        Body::Test { .. } => {
            attributes.push(text("mcpcp.record.type", "siem_test"));
            "mcpcp.siem_test"
        }
    };
    record.time_unix_nano = time;
    record.observed_time_unix_nano = observed;
    record.severity_number = severity as i32;
    record.severity_text = severity_text.into();
    record.body = Some(AnyValue { value: Some(any_value::Value::StringValue(event.json(origin))) });
    record.attributes = attributes;
    record.event_name = name.into();
    record
}

/// The export request around `records`: the resource (service `mcpcp`, its version, the data
/// directory's instance as `service.instance.id`, the host) and the scope `mcpcp.siem`.
pub fn otlp_request(records: Vec<LogRecord>, origin: &Origin) -> ExportLogsServiceRequest {
    let resource = Resource {
        attributes: vec![
            text("service.name", "mcpcp"),
            text("service.version", origin.version),
            text("service.instance.id", origin.instance.clone()),
            text("host.name", origin.host.clone()),
        ],
        ..Resource::default()
    };
    let scope =
        InstrumentationScope { name: "mcpcp.siem".into(), version: origin.version.into(), ..Default::default() };
    ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: Some(resource),
            scope_logs: vec![ScopeLogs { scope: Some(scope), log_records: records, ..Default::default() }],
            ..Default::default()
        }],
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::ActivityEntry;

    fn origin() -> Origin {
        Origin { instance: "0123456789abcdef".into(), host: "gw1".into(), pid: 42, version: "0.1.0" }
    }

    fn record(id: i64, input_bytes: usize) -> ActivityEntry {
        let some = |s: &str| Some(s.to_string());
        ActivityEntry {
            id,
            time: "2026-01-02T03:04:05.123456Z".into(),
            server: some("files"),
            kind: "tool_call".into(),
            level: "error".into(),
            principal: some("ci"),
            auth_method: some("api_token"),
            source_ip: some("10.0.0.1"),
            user_agent: None,
            client_name: None,
            client_version: None,
            session_id: some("s1"),
            method: some("tools/call"),
            tool: some("read"),
            input: Some(serde_json::json!({"q": "x".repeat(input_bytes)})),
            output: None,
            output_size: None,
            output_truncated: false,
            duration_us: 1500,
            status: "failure".into(),
            http_status: Some(200),
            error_code: Some(-32603),
            error_message: some("boom"),
            trace_id: "0af7651916cd43dd8448eb211c80319c".into(),
            fault: some("upstream"),
            upstream_auth: None,
            upstream_subject: None,
            resumed: None,
            span_id: some("b7ad6b7169203331"),
            parent_span_id: None,
            trace_origin: None,
            spans: None,
            origin: None,
            steps: None,
        }
    }

    fn event(id: i64, input_bytes: usize) -> Event {
        Event { stream: SiemStream::Activity, seq: id, body: Body::Activity(Box::new(record(id, input_bytes))) }
    }

    #[test]
    fn hec_events_carry_time_host_source_sourcetype_index_and_the_event() {
        let line = hec_event(&event(7, 10), &origin(), Some("main"), None);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["time"].as_f64().unwrap(), 1_767_323_045.123456);
        assert!(line.starts_with("{\"time\":1767323045.123456,"), "{line}");
        assert_eq!((v["host"].as_str(), v["source"].as_str()), (Some("gw1"), Some("mcpcp")));
        assert_eq!((v["sourcetype"].as_str(), v["index"].as_str()), (Some("mcpcp:activity"), Some("main")));
        assert_eq!(v["event"]["event_id"], "0123456789abcdef:activity:7");
        assert_eq!(v["event"]["tool"], "read");
        let no_index: serde_json::Value =
            serde_json::from_str(&hec_event(&event(7, 10), &origin(), None, Some("custom"))).unwrap();
        assert_eq!(no_index.get("index"), None);
        assert_eq!(no_index["sourcetype"], "custom");
    }

    #[test]
    fn bodies_stop_at_their_limit_and_a_huge_event_goes_slim() {
        let hec = Encoder::Hec { index: None, sourcetype: None };
        let o = origin();
        let mut body = hec.body(&o, crate::clock::Clock::system().now());
        let mut taken = 0;
        while body.push(&event(taken + 1, 10_000)) {
            taken += 1;
        }
        let bytes = body.finish();
        assert!(bytes.len() <= HEC_MAX_BODY && bytes.len() > HEC_MAX_BODY - 11_000, "{}", bytes.len());
        assert_eq!(bytes.split(|b| *b == b'\n').count() as i64, taken);
        let mut body = hec.body(&o, crate::clock::Clock::system().now());
        assert!(body.push(&event(1, HEC_MAX_BODY + 1)), "an event alone always goes");
        let v: serde_json::Value = serde_json::from_slice(&body.finish()).unwrap();
        assert_eq!((v["event"]["id"].as_i64(), &v["event"]["input"]), (Some(1), &serde_json::Value::Null));
        let ndjson = Encoder::Ndjson;
        let mut body = ndjson.body(&o, crate::clock::Clock::system().now());
        assert!(body.push(&event(1, 5)) && body.push(&event(2, 5)));
        let text = String::from_utf8(body.finish()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn otlp_log_records_decode_with_their_fields() {
        let o = origin();
        let mut body = Encoder::Otlp.body(&o, DateTime::from_timestamp(1_800_000_000, 0).unwrap());
        assert!(body.push(&event(7, 10)));
        let request = ExportLogsServiceRequest::decode(body.finish().as_slice()).unwrap();
        let rl = &request.resource_logs[0];
        let attrs = |kvs: &[KeyValue]| -> Vec<(String, String)> {
            kvs.iter()
                .map(|kv| {
                    let v = match kv.value.as_ref().and_then(|v| v.value.clone()) {
                        Some(any_value::Value::StringValue(s)) => s,
                        Some(any_value::Value::IntValue(i)) => i.to_string(),
                        other => format!("{other:?}"),
                    };
                    (kv.key.clone(), v)
                })
                .collect()
        };
        let resource = attrs(&rl.resource.as_ref().unwrap().attributes);
        assert!(resource.contains(&("service.name".into(), "mcpcp".into())));
        assert!(resource.contains(&("service.instance.id".into(), "0123456789abcdef".into())));
        let r = &rl.scope_logs[0].log_records[0];
        assert_eq!(r.time_unix_nano, 1_767_323_045_123_456_000);
        assert_eq!(r.observed_time_unix_nano, 1_800_000_000_000_000_000);
        assert_eq!((r.severity_number, r.severity_text.as_str()), (SeverityNumber::Error as i32, "ERROR"));
        assert_eq!(crate::secrets::hex(&r.trace_id), "0af7651916cd43dd8448eb211c80319c");
        assert_eq!(crate::secrets::hex(&r.span_id), "b7ad6b7169203331");
        assert_eq!(r.event_name, "mcpcp.activity");
        let a = attrs(&r.attributes);
        for want in [
            ("mcpcp.event.id", "0123456789abcdef:activity:7"),
            ("mcpcp.stream", "activity"),
            ("mcpcp.server", "files"),
            ("gen_ai.tool.name", "read"),
            ("enduser.id", "ci"),
            ("mcpcp.status", "failure"),
            ("mcpcp.duration_us", "1500"),
        ] {
            assert!(a.contains(&(want.0.into(), want.1.into())), "{want:?} in {a:?}");
        }
        let Some(any_value::Value::StringValue(json)) = r.body.as_ref().and_then(|b| b.value.clone()) else {
            panic!("body is not a string")
        };
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["event_id"], "0123456789abcdef:activity:7");
    }
}
