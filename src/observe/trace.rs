//! Every call's W3C Trace Context (<https://www.w3.org/TR/trace-context/>) and its timeline: one
//! span per pipeline phase (`accept`, `authenticate`, `authorize`, `limit`, `route`, `forward`,
//! `record`) and per step of the upstream exchange, kept with the activity record as offsets
//! and durations from the call's arrival.
//!
//! An incoming `traceparent` (the `params._meta.traceparent` of the message, else the HTTP
//! header) is continued: the record takes its trace id and names its span as the parent. A
//! malformed one is ignored (a new trace starts) and the record says so. The upstream is sent
//! the call's own span as the parent of whatever it does.

use std::time::Instant;

/// The longest `tracestate` passed on (the W3C limit for propagation is 512 bytes).
pub const MAX_TRACESTATE: usize = 512;

/// A step of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Accept,
    Authenticate,
    Authorize,
    Limit,
    Route,
    Forward,
    Record,
    /// The upstream's session started: its process (stdio) and `initialize` handshake.
    UpstreamHandshake,
    /// The request sent upstream until the answer's HTTP headers came back.
    UpstreamHeaders,
    /// The answer's headers until the response message arrived.
    UpstreamBody,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Accept => "accept",
            Phase::Authenticate => "authenticate",
            Phase::Authorize => "authorize",
            Phase::Limit => "limit",
            Phase::Route => "route",
            Phase::Forward => "forward",
            Phase::Record => "record",
            Phase::UpstreamHandshake => "upstream.handshake",
            Phase::UpstreamHeaders => "upstream.headers",
            Phase::UpstreamBody => "upstream.body",
        }
    }

    /// Whether the step belongs to the upstream exchange (drawn under `forward`).
    pub fn upstream(self) -> bool {
        matches!(self, Phase::UpstreamHandshake | Phase::UpstreamHeaders | Phase::UpstreamBody)
    }
}

/// One step of a call's timeline, in microseconds from the call's arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub phase: Phase,
    pub start_us: u32,
    pub duration_us: u32,
    pub failed: bool,
}

/// Where the call's trace came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// No `traceparent` came with the call: mcpcp started the trace.
    #[default]
    New,
    /// The call's `traceparent` was continued.
    Continued,
    /// A `traceparent` came that is not valid: ignored, mcpcp started the trace.
    Malformed,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::New => "new",
            Origin::Continued => "continued",
            Origin::Malformed => "malformed",
        }
    }
}

/// A call's place in its trace and its timeline.
#[derive(Debug, Clone)]
pub struct Trace {
    /// This call's span (16 hex digits).
    pub span_id: String,
    /// The caller's span, when the trace was continued.
    pub parent_span_id: Option<String>,
    pub origin: Origin,
    /// The trace flags passed on (`sampled` as the caller said; set for new traces).
    pub flags: u8,
    /// The caller's `tracestate`, passed on as it came (bounded).
    pub tracestate: Option<String>,
    pub spans: Vec<Span>,
}

impl Default for Trace {
    fn default() -> Trace {
        Trace {
            span_id: new_span_id(),
            parent_span_id: None,
            origin: Origin::New,
            flags: 1,
            tracestate: None,
            spans: Vec::new(),
        }
    }
}

/// A parsed `traceparent`: trace id, parent span id, flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    pub trace_id: String,
    pub span_id: String,
    pub flags: u8,
}

/// Reads a `traceparent` (version `00`, or a later version's first four fields as the spec
/// allows): lowercase hex, ids not all zeros. `None` for anything else.
pub fn parse_traceparent(value: &str) -> Option<Parent> {
    let value = value.trim();
    if value.len() > 256 {
        return None;
    }
    let mut parts = value.split('-');
    let (version, trace_id, span_id, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex =
        |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !hex(version, 2) || version == "ff" || !hex(trace_id, 32) || !hex(span_id, 16) || !hex(flags, 2) {
        return None;
    }
    // Version 00 has exactly four fields; later versions may add more.
    if version == "00" && parts.next().is_some() {
        return None;
    }
    if trace_id.bytes().all(|b| b == b'0') || span_id.bytes().all(|b| b == b'0') {
        return None;
    }
    let flags = u8::from_str_radix(flags, 16).ok()?;
    Some(Parent { trace_id: trace_id.to_string(), span_id: span_id.to_string(), flags })
}

/// Whether a `tracestate` is one to pass on: bounded, visible ASCII (list members are checked
/// no further; the upstream parses them).
pub fn tracestate_ok(value: &str) -> bool {
    !value.is_empty() && value.len() <= MAX_TRACESTATE && value.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// A fresh span id: 16 hex digits, unique in the process (a random start stepped by an odd
/// constant: no two calls share one, none is zero), without a system call per call.
pub fn new_span_id() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static START: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let start = *START.get_or_init(|| crate::secrets::random_bytes::<8>().map(u64::from_le_bytes).unwrap_or(1));
    let mut n = start.wrapping_add(COUNTER.fetch_add(1, Ordering::Relaxed).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    if n == 0 {
        n = 1;
    }
    let mut id = String::with_capacity(16);
    push_hex(&mut id, n);
    id
}

/// Appends `n` as 16 lowercase hex digits.
fn push_hex(out: &mut String, n: u64) {
    for shift in (0..16).rev() {
        out.push(char::from(b"0123456789abcdef"[((n >> (shift * 4)) & 0xf) as usize]));
    }
}

/// Appends `n` in decimal (what `write!` does, without the formatting machinery).
fn push_decimal(out: &mut String, n: u32) {
    out.push_str(crate::jsonrpc::decimal(u64::from(n), &mut [0; 20]));
}

impl Trace {
    /// Continues `parent` (the call's `traceparent`, if one came): `trace_id` becomes its trace's
    /// id. A value that does not parse is noted and a new trace kept.
    pub fn continue_from(&mut self, trace_id: &mut String, traceparent: Option<&str>, tracestate: Option<&str>) {
        let Some(value) = traceparent else { return };
        match parse_traceparent(value) {
            Some(parent) => {
                *trace_id = parent.trace_id;
                self.parent_span_id = Some(parent.span_id);
                self.flags = parent.flags & 0x01;
                self.origin = Origin::Continued;
                self.tracestate = tracestate.filter(|s| tracestate_ok(s)).map(String::from);
            }
            None => self.origin = Origin::Malformed,
        }
    }

    /// The `traceparent` for the upstream: this call's span as the parent.
    pub fn traceparent(&self, trace_id: &str) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(8 + trace_id.len() + self.span_id.len());
        out.push_str("00-");
        out.push_str(trace_id);
        out.push('-');
        out.push_str(&self.span_id);
        out.push('-');
        out.push(char::from(HEX[usize::from(self.flags >> 4)]));
        out.push(char::from(HEX[usize::from(self.flags & 0x0f)]));
        out
    }

    /// Adds the step `phase` that ran from `start` until now, `arrived` being the call's arrival.
    pub fn step(&mut self, arrived: Instant, phase: Phase, start: Instant, failed: bool) {
        self.step_between(arrived, phase, start, Instant::now(), failed);
    }

    /// Adds the step `phase` that ran from `start` to `end`.
    pub fn step_between(&mut self, arrived: Instant, phase: Phase, start: Instant, end: Instant, failed: bool) {
        let micros = |d: std::time::Duration| u32::try_from(d.as_micros()).unwrap_or(u32::MAX);
        let start_us = micros(start.saturating_duration_since(arrived));
        let duration_us = micros(end.saturating_duration_since(start));
        self.spans.push(Span { phase, start_us, duration_us, failed });
    }

    /// The timeline as stored with the record: `[["accept",0,4],["authenticate",4,21,"failed"],…]`
    /// (phase, start µs, duration µs, and `"failed"` for the step that failed).
    pub fn encode(&self) -> Option<String> {
        if self.spans.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(24 * self.spans.len());
        out.push('[');
        for (i, s) in self.spans.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("[\"");
            out.push_str(s.phase.as_str());
            out.push_str("\",");
            push_decimal(&mut out, s.start_us);
            out.push(',');
            push_decimal(&mut out, s.duration_us);
            if s.failed {
                out.push_str(",\"failed\"");
            }
            out.push(']');
        }
        out.push(']');
        Some(out)
    }
}

/// A stored timeline, read back: (phase, start µs, duration µs, failed). Entries that do not
/// read are skipped.
pub fn decode(stored: &str) -> Vec<(String, u64, u64, bool)> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(stored) else { return Vec::new() };
    items
        .iter()
        .filter_map(|i| {
            let a = i.as_array()?;
            let phase = a.first()?.as_str()?.to_string();
            let failed = a.get(3).and_then(|f| f.as_str()) == Some("failed");
            Some((phase, a.get(1)?.as_u64()?, a.get(2)?.as_u64()?, failed))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_valid_traceparent_is_continued_and_anything_else_ignored() {
        let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let p = parse_traceparent(good).unwrap();
        assert_eq!(
            (p.trace_id.as_str(), p.span_id.as_str(), p.flags),
            ("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1)
        );
        // A later version may carry more fields.
        assert!(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra").is_some());
        for bad in [
            "",
            "garbage",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        ] {
            assert_eq!(parse_traceparent(bad), None, "{bad}");
        }
        let (mut trace, mut id) = (Trace::default(), "ours".to_string());
        trace.continue_from(&mut id, Some(good), Some("vendor=x"));
        assert_eq!((id.as_str(), trace.origin), ("4bf92f3577b34da6a3ce929d0e0e4736", Origin::Continued));
        assert_eq!(trace.traceparent(&id), format!("00-{id}-{}-01", trace.span_id));
        assert_eq!(trace.tracestate.as_deref(), Some("vendor=x"));
        let (mut trace, mut id) = (Trace::default(), "ours".to_string());
        trace.continue_from(&mut id, Some("00-nope"), None);
        assert_eq!((id.as_str(), trace.origin, trace.parent_span_id), ("ours", Origin::Malformed, None));
    }

    #[test]
    fn numbers_are_written_as_formatting_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 4_294_967, u32::MAX - 1, u32::MAX] {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
        for n in [0, 1, 0xabc, u64::MAX] {
            let mut out = String::new();
            push_hex(&mut out, n);
            assert_eq!(out, format!("{n:016x}"));
        }
        let trace = Trace { flags: 0, ..Trace::default() };
        let id = "4bf92f3577b34da6a3ce929d0e0e4736";
        assert_eq!(trace.traceparent(id), format!("00-{id}-{}-00", trace.span_id));
    }

    #[test]
    fn span_ids_are_16_hex_digits_unique_and_never_zero() {
        let ids: std::collections::HashSet<String> = (0..10_000).map(|_| new_span_id()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|i| i.len() == 16 && i != "0000000000000000"));
    }

    #[test]
    fn a_timeline_is_stored_compactly_and_read_back() {
        let arrived = Instant::now();
        let mut t = Trace::default();
        t.step_between(arrived, Phase::Accept, arrived, arrived + std::time::Duration::from_micros(4), false);
        let later = arrived + std::time::Duration::from_micros(4);
        t.step_between(arrived, Phase::Authenticate, later, later + std::time::Duration::from_micros(21), true);
        let stored = t.encode().unwrap();
        assert_eq!(stored, r#"[["accept",0,4],["authenticate",4,21,"failed"]]"#);
        assert_eq!(decode(&stored), vec![("accept".into(), 0, 4, false), ("authenticate".into(), 4, 21, true)]);
        assert_eq!(Trace::default().encode(), None);
    }
}
