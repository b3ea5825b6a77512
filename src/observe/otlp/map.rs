//! A recorded call as OpenTelemetry spans: what the request path hands over ([`Call`], taken
//! from the draft and its record) and how the exporter's thread turns it into spans
//! ([`spans`]): one span for the call, whose ids are the record's, and one per step under it.
//!
//! The call's span has the record's trace id and span id, and the caller's span as its parent
//! when the trace was continued; it is a SERVER span for a request (an INTERNAL one for an event
//! the gateway records on its own, such as a session it ended). Each step (`accept`, …,
//! `record`) is a child of the call's span; the upstream exchange's steps (`upstream.*`) are
//! children of `forward` (of the call's span when there is no `forward`, as for `initialize`,
//! whose upstream handshake is its forwarding). Times are the record's wall-clock arrival plus
//! the steps' offsets. A failed step and a failed call have status ERROR naming the fault.
//!
//! Attributes follow the OpenTelemetry semantic conventions for MCP where they say something
//! (`mcp.method.name`, `mcp.session.id`, `gen_ai.tool.name`, `gen_ai.operation.name`,
//! `rpc.response.status_code`, `error.type`), then the general ones (`http.response.status_code`,
//! `client.address`, `user_agent.original`, `network.*`, `enduser.id` for the principal), and
//! mcpcp's own under `mcpcp.` for what no convention names (the server, the record's type, the
//! auth method, the status, the fault).

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use opentelemetry::trace::{SpanContext, SpanId, SpanKind, Status, TraceFlags, TraceId, TraceState};
use opentelemetry::{InstrumentationScope, KeyValue};
use opentelemetry_sdk::trace::{SpanData, SpanEvents, SpanLinks};

use crate::model::CaptureMode;
use crate::observe::draft::Draft;
use crate::observe::trace::{Phase, Span};
use crate::store::activity::NewRow;

/// One recorded call, as the request path hands it to the exporter: the ids, the times and the
/// steps from its draft, the attributes from its record (already capped there).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub(super) kind: SpanKind,
    pub(super) trace_id: u128,
    pub(super) span_id: u64,
    /// The caller's span, when the trace was continued.
    pub(super) parent: Option<u64>,
    pub(super) tracestate: Option<String>,
    pub(super) time: DateTime<Utc>,
    pub(super) duration: Duration,
    pub(super) steps: Vec<Span>,
    pub(super) record: Record,
}

/// What the call's span says about it: the record's fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Record {
    pub(super) kind: Cow<'static, str>,
    pub(super) server: Option<String>,
    pub(super) principal: Option<String>,
    pub(super) auth_method: Option<Cow<'static, str>>,
    pub(super) source_ip: Option<String>,
    pub(super) user_agent: Option<String>,
    pub(super) client_name: Option<String>,
    pub(super) client_version: Option<String>,
    pub(super) session_id: Option<String>,
    pub(super) method: Option<String>,
    pub(super) tool: Option<String>,
    pub(super) status: Cow<'static, str>,
    pub(super) http_status: Option<i64>,
    pub(super) error_code: Option<i64>,
    pub(super) error_message: Option<String>,
    pub(super) fault: Option<Cow<'static, str>>,
    pub(super) upstream_auth: Option<Cow<'static, str>>,
    pub(super) trace_origin: Option<Cow<'static, str>>,
}

/// What a call's spans take from its draft, before the draft becomes its record.
#[derive(Debug)]
pub struct Pending {
    kind: SpanKind,
    time: DateTime<Utc>,
    duration: Duration,
    steps: Vec<Span>,
    tracestate: Option<String>,
}

impl Pending {
    /// The parts of `draft` its spans need; `None` when nothing is exported for it: the server
    /// captures nothing (no record, no spans), or the caller's `traceparent` said the trace is
    /// not sampled (W3C `sampled` flag clear: the caller records nothing of it, so neither do
    /// we). `event`: a record the gateway makes on its own, not a request's.
    pub fn of(draft: &Draft, event: bool) -> Option<Pending> {
        if draft.capture == CaptureMode::Off || draft.trace.flags & 0x01 == 0 {
            return None;
        }
        Some(Pending {
            kind: if event { SpanKind::Internal } else { SpanKind::Server },
            time: draft.time,
            duration: draft.duration,
            steps: draft.trace.spans.clone(),
            tracestate: draft.trace.tracestate.clone(),
        })
    }

    /// The call, completed from its record; `None` if the record's ids are not W3C ids.
    pub fn call(self, row: &NewRow) -> Option<Call> {
        let hex64 = |s: &str| u64::from_str_radix(s, 16).ok().filter(|n| *n != 0 && s.len() == 16);
        let trace_id = u128::from_str_radix(&row.trace_id, 16).ok().filter(|n| *n != 0 && row.trace_id.len() == 32)?;
        let span_id = hex64(row.span_id.as_deref()?)?;
        let parent = match row.parent_span_id.as_deref() {
            Some(p) => Some(hex64(p)?),
            None => None,
        };
        Some(Call {
            kind: self.kind,
            trace_id,
            span_id,
            parent,
            tracestate: self.tracestate,
            time: self.time,
            duration: self.duration,
            steps: self.steps,
            record: Record {
                kind: row.kind.clone(),
                server: row.server.clone(),
                principal: row.principal.clone(),
                auth_method: row.auth_method.clone(),
                source_ip: row.source_ip.clone(),
                user_agent: row.user_agent.clone(),
                client_name: row.client_name.clone(),
                client_version: row.client_version.clone(),
                session_id: row.session_id.clone(),
                method: row.method.clone(),
                tool: row.tool.clone(),
                status: row.status.clone(),
                http_status: row.http_status,
                error_code: row.error_code,
                error_message: row.error_message.clone(),
                fault: row.fault.clone(),
                upstream_auth: row.upstream_auth.clone(),
                trace_origin: row.trace_origin.clone(),
            },
        })
    }
}

impl Call {
    /// How many spans the call becomes: its own and one per step.
    pub(super) fn span_count(&self) -> u64 {
        1 + self.steps.len() as u64
    }

    fn failed(&self) -> bool {
        self.record.status == "failure"
    }

    /// The span name: `{mcp.method.name} {target}` as the MCP conventions say (the tool of a
    /// `tools/call`), else the method, else the record's type (a refusal before any message was
    /// read, a stream, a sign-in event).
    fn name(&self) -> String {
        let r = &self.record;
        match (&r.method, &r.tool) {
            (Some(m), Some(t)) => format!("{m} {t}"),
            (Some(m), None) => m.clone(),
            _ => r.kind.to_string(),
        }
    }

    /// The ERROR status of a failed call or step: the fault, then the message.
    fn error(&self) -> Status {
        let r = &self.record;
        Status::error(match (&r.fault, &r.error_message) {
            (Some(f), Some(m)) => format!("{f} fault: {m}"),
            (Some(f), None) => format!("{f} fault"),
            (None, Some(m)) => m.clone(),
            (None, None) => "failed".into(),
        })
    }

    /// The call span's attributes, the record's texts moved into them (the call is not read
    /// for them again).
    fn take_attributes(&mut self) -> Vec<KeyValue> {
        let failed = self.failed();
        let r = &mut self.record;
        let mut a = Vec::with_capacity(24);
        let tool_call = r.method.as_deref() == Some("tools/call");
        // The conventions' `error.type`: the JSON-RPC error code, `tool_error` for a tool's
        // `isError` result, else the HTTP status.
        let error_type = failed.then(|| match (r.error_code, r.http_status) {
            (Some(code), _) => code.to_string(),
            (None, _) if r.kind == "tool_call" => "tool_error".into(),
            (None, Some(status)) => status.to_string(),
            (None, None) => "_OTHER".into(),
        });
        let mut text = |key: &'static str, v: &mut Option<String>| {
            if let Some(v) = v.take() {
                a.push(KeyValue::new(key, v));
            }
        };
        text("mcp.method.name", &mut r.method);
        text("mcp.session.id", &mut r.session_id);
        text("gen_ai.tool.name", &mut r.tool);
        text("mcpcp.server", &mut r.server);
        text("enduser.id", &mut r.principal);
        text("client.address", &mut r.source_ip);
        text("user_agent.original", &mut r.user_agent);
        text("mcpcp.client.name", &mut r.client_name);
        text("mcpcp.client.version", &mut r.client_version);
        if tool_call {
            a.push(KeyValue::new("gen_ai.operation.name", "execute_tool"));
        }
        let mut word = |key: &'static str, v: &Option<Cow<'static, str>>| {
            if let Some(v) = v {
                a.push(KeyValue::new(key, v.clone()));
            }
        };
        word("mcpcp.auth_method", &r.auth_method);
        word("mcpcp.fault", &r.fault);
        word("mcpcp.upstream_auth", &r.upstream_auth);
        word("mcpcp.trace_origin", &r.trace_origin);
        a.push(KeyValue::new("mcpcp.record.type", r.kind.clone()));
        a.push(KeyValue::new("mcpcp.status", r.status.clone()));
        a.push(KeyValue::new("network.transport", "tcp"));
        a.push(KeyValue::new("network.protocol.name", "http"));
        if let Some(status) = r.http_status {
            a.push(KeyValue::new("http.response.status_code", status));
        }
        if let Some(code) = r.error_code {
            a.push(KeyValue::new("rpc.response.status_code", code.to_string()));
        }
        if let Some(kind) = error_type {
            a.push(KeyValue::new("error.type", kind));
        }
        a
    }
}

/// Span ids for the steps: a SplitMix64 sequence from a random seed (unique within the process
/// with overwhelming probability, never zero), drawn on the exporter's thread.
#[derive(Debug)]
pub(super) struct Ids(u64);

impl Ids {
    pub(super) fn new() -> Ids {
        Ids(crate::secrets::random_bytes::<8>().map(u64::from_le_bytes).unwrap_or(0x2545_f491_4f6c_dd1d))
    }

    pub(super) fn next(&mut self) -> SpanId {
        loop {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            if z != 0 {
                return SpanId::from(z);
            }
        }
    }
}

/// The spans of one call: its own first, then its steps in the order they were recorded.
#[cfg(test)]
pub(super) fn spans(call: Call, ids: &mut Ids, scope: &InstrumentationScope) -> Vec<SpanData> {
    let mut out = Vec::new();
    spans_into(call, ids, scope, &mut out);
    out
}

/// [`spans`], appended to `out` (a batch's spans, sized for all of them).
pub(super) fn spans_into(mut call: Call, ids: &mut Ids, scope: &InstrumentationScope, out: &mut Vec<SpanData>) {
    let trace_id = TraceId::from(call.trace_id);
    let state = call.tracestate.as_deref().and_then(|s| s.parse::<TraceState>().ok()).unwrap_or_default();
    let context = |span_id: SpanId| SpanContext::new(trace_id, span_id, TraceFlags::SAMPLED, false, state.clone());
    let start = SystemTime::from(call.time);
    let at = |micros: u32| start + Duration::from_micros(u64::from(micros));
    let own = SpanId::from(call.span_id);
    let error = call.failed().then(|| call.error());
    let fault = call.record.fault.clone();
    let span = |context: SpanContext,
                parent: SpanId,
                kind: SpanKind,
                name: Cow<'static, str>,
                times: (SystemTime, SystemTime)| {
        SpanData {
            span_context: context,
            parent_span_id: parent,
            parent_span_is_remote: false,
            span_kind: kind,
            name,
            start_time: times.0,
            end_time: times.1,
            attributes: Vec::new(),
            dropped_attributes_count: 0,
            events: SpanEvents::default(),
            links: SpanLinks::default(),
            status: Status::Unset,
            instrumentation_scope: scope.clone(),
        }
    };
    let mut first = span(
        context(own),
        call.parent.map_or(SpanId::INVALID, SpanId::from),
        call.kind.clone(),
        Cow::Owned(call.name()),
        (start, start + call.duration),
    );
    first.parent_span_is_remote = call.parent.is_some();
    first.attributes = call.take_attributes();
    if let Some(error) = &error {
        first.status = error.clone();
    }
    out.push(first);
    let step_ids: Vec<SpanId> = call.steps.iter().map(|_| ids.next()).collect();
    for (i, step) in call.steps.iter().enumerate() {
        let parent = if step.phase.upstream() { forward_of(&call.steps, step, &step_ids).unwrap_or(own) } else { own };
        let end = at(step.start_us.saturating_add(step.duration_us));
        let mut s = span(
            context(step_ids[i]),
            parent,
            SpanKind::Internal,
            Cow::Borrowed(step.phase.as_str()),
            (at(step.start_us), end),
        );
        if step.failed {
            s.status = error.clone().unwrap_or_else(|| call.error());
            if let Some(fault) = &fault {
                s.attributes.push(KeyValue::new("mcpcp.fault", fault.clone()));
            }
        }
        out.push(s);
    }
}

/// The `forward` step an upstream step ran inside: the one whose time holds its start, else the
/// first one.
fn forward_of(steps: &[Span], step: &Span, ids: &[SpanId]) -> Option<SpanId> {
    let forwards = || steps.iter().zip(ids).filter(|(s, _)| s.phase == Phase::Forward);
    let holds = |s: &Span| s.start_us <= step.start_us && step.start_us <= s.start_us.saturating_add(s.duration_us);
    forwards().find(|(s, _)| holds(s)).or_else(|| forwards().next()).map(|(_, id)| *id)
}

/// A call of a trace mcpcp started, with `steps` steps, for the exporter's tests.
#[cfg(test)]
pub(super) fn example(steps: u32) -> Call {
    Call {
        kind: SpanKind::Server,
        trace_id: 0x4bf9_2f35_77b3_4da6_a3ce_929d_0e0e_4736,
        span_id: 0x00f0_67aa_0ba9_02b7,
        parent: None,
        tracestate: None,
        time: crate::clock::Clock::system().now(),
        duration: Duration::from_micros(100),
        steps: (0..steps).map(|i| Span { phase: Phase::Accept, start_us: i, duration_us: 1, failed: false }).collect(),
        record: Record { kind: "tool_call".into(), status: "success".into(), ..Record::default() },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn step(phase: Phase, start_us: u32, duration_us: u32, failed: bool) -> Span {
        Span { phase, start_us, duration_us, failed }
    }

    fn tool_call(parent: Option<u64>) -> Call {
        let time = DateTime::parse_from_rfc3339("2026-11-28T05:20:01.102934Z").unwrap().with_timezone(&Utc);
        Call {
            kind: SpanKind::Server,
            trace_id: 0x4bf9_2f35_77b3_4da6_a3ce_929d_0e0e_4736,
            span_id: 0x00f0_67aa_0ba9_02b7,
            parent,
            tracestate: Some("vendor=x".into()),
            time,
            duration: Duration::from_micros(900),
            steps: vec![
                step(Phase::Accept, 0, 10, false),
                step(Phase::Authenticate, 10, 20, false),
                step(Phase::Authorize, 30, 5, false),
                step(Phase::Limit, 35, 5, false),
                step(Phase::Route, 40, 5, false),
                step(Phase::Forward, 45, 800, false),
                step(Phase::UpstreamHeaders, 50, 600, false),
                step(Phase::UpstreamBody, 650, 190, false),
                step(Phase::Record, 845, 50, false),
            ],
            record: Record {
                kind: "tool_call".into(),
                server: Some("files".into()),
                principal: Some("ci".into()),
                auth_method: Some("api_token".into()),
                session_id: Some("5f0c".into()),
                method: Some("tools/call".into()),
                tool: Some("echo".into()),
                status: "success".into(),
                http_status: Some(200),
                trace_origin: Some("continued".into()),
                ..Record::default()
            },
        }
    }

    fn attr(span: &SpanData, key: &str) -> Option<String> {
        span.attributes.iter().find(|kv| kv.key.as_str() == key).map(|kv| kv.value.to_string())
    }

    /// The call's span carries the record's ids under the caller's span; each step is its
    /// child, the upstream steps children of `forward`; times are arrival plus offsets.
    #[test]
    fn a_call_becomes_its_span_and_one_child_per_step() {
        let scope = InstrumentationScope::builder("mcpcp").build();
        let call = tool_call(Some(0x1111_2222_3333_4444));
        let spans = spans(call.clone(), &mut Ids::new(), &scope);
        assert_eq!(spans.len() as u64, call.span_count());
        let own = &spans[0];
        assert_eq!(own.span_context.trace_id(), TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").unwrap());
        assert_eq!(own.span_context.span_id(), SpanId::from_hex("00f067aa0ba902b7").unwrap());
        assert_eq!(own.parent_span_id, SpanId::from_hex("1111222233334444").unwrap());
        assert!(own.parent_span_is_remote);
        assert_eq!((own.span_kind.clone(), own.name.as_ref()), (SpanKind::Server, "tools/call echo"));
        assert_eq!(own.span_context.trace_state().header(), "vendor=x");
        assert!(own.span_context.is_sampled());
        assert_eq!(own.status, Status::Unset);
        let start = SystemTime::from(call.time);
        assert_eq!((own.start_time, own.end_time), (start, start + Duration::from_micros(900)));
        for (key, value) in [
            ("mcp.method.name", "tools/call"),
            ("gen_ai.tool.name", "echo"),
            ("gen_ai.operation.name", "execute_tool"),
            ("mcp.session.id", "5f0c"),
            ("mcpcp.server", "files"),
            ("enduser.id", "ci"),
            ("mcpcp.auth_method", "api_token"),
            ("mcpcp.record.type", "tool_call"),
            ("mcpcp.status", "success"),
            ("http.response.status_code", "200"),
        ] {
            assert_eq!(attr(own, key).as_deref(), Some(value), "{key}");
        }
        assert_eq!(attr(own, "error.type"), None);

        let by_name = |n: &str| spans.iter().find(|s| s.name == n).unwrap();
        let forward = by_name("forward").span_context.span_id();
        for s in &spans[1..] {
            assert_eq!(s.span_context.trace_id(), own.span_context.trace_id());
            assert_eq!(s.span_kind, SpanKind::Internal);
            assert!(!s.parent_span_is_remote);
            let want = if s.name.starts_with("upstream.") { forward } else { own.span_context.span_id() };
            assert_eq!(s.parent_span_id, want, "{}", s.name);
        }
        let ids: std::collections::HashSet<SpanId> = spans.iter().map(|s| s.span_context.span_id()).collect();
        assert_eq!(ids.len(), spans.len(), "every span its own id");
        let headers = by_name("upstream.headers");
        assert_eq!(headers.start_time, start + Duration::from_micros(50));
        assert_eq!(headers.end_time, start + Duration::from_micros(650));
    }

    /// A refused call: ERROR with the fault on the call and on the step that failed; a trace
    /// mcpcp started has no parent; an `initialize`'s handshake hangs from the call's span.
    #[test]
    fn a_failure_is_an_error_naming_the_fault() {
        let scope = InstrumentationScope::builder("mcpcp").build();
        let mut call = tool_call(None);
        call.steps = vec![step(Phase::Accept, 0, 3, false), step(Phase::Authenticate, 3, 9, true)];
        call.record.status = "failure".into();
        call.record.kind = "auth_failure".into();
        call.record.method = None;
        call.record.tool = None;
        call.record.fault = Some("client".into());
        call.record.http_status = Some(401);
        call.record.error_code = Some(-32001);
        call.record.error_message = Some("Unauthorized".into());
        let spans = spans(call, &mut Ids::new(), &scope);
        let own = &spans[0];
        assert_eq!(own.name, "auth_failure");
        assert_eq!(own.parent_span_id, SpanId::INVALID);
        assert!(!own.parent_span_is_remote);
        assert_eq!(own.status, Status::error("client fault: Unauthorized"));
        assert_eq!(attr(own, "error.type").as_deref(), Some("-32001"));
        assert_eq!(attr(own, "rpc.response.status_code").as_deref(), Some("-32001"));
        assert_eq!(attr(own, "mcpcp.fault").as_deref(), Some("client"));
        assert_eq!(spans[1].status, Status::Unset);
        assert_eq!(spans[2].status, Status::error("client fault: Unauthorized"));

        let mut start = tool_call(None);
        start.record.method = Some("initialize".into());
        start.record.tool = None;
        start.steps = vec![step(Phase::Route, 0, 3, false), step(Phase::UpstreamHandshake, 3, 400, false)];
        let spans = super::spans(start, &mut Ids::new(), &scope);
        assert_eq!(spans[0].name, "initialize");
        assert_eq!(spans[2].parent_span_id, spans[0].span_context.span_id());
    }

    /// What the request path hands over: nothing for a server that captures nothing or an
    /// unsampled trace; the record's ids, parsed.
    #[test]
    fn only_recorded_and_sampled_calls_are_handed_over() {
        let mut draft = Draft::new("tool_call", crate::clock::Clock::system().now());
        draft.trace.spans.push(step(Phase::Accept, 0, 4, false));
        let row = NewRow {
            trace_id: draft.trace_id.clone(),
            span_id: Some(draft.trace.span_id.clone()),
            kind: "tool_call".into(),
            status: "success".into(),
            ..NewRow::default()
        };
        let call = Pending::of(&draft, false).unwrap().call(&row).unwrap();
        assert_eq!(format!("{:032x}", call.trace_id), draft.trace_id);
        assert_eq!(format!("{:016x}", call.span_id), draft.trace.span_id);
        assert_eq!((call.parent, call.span_count(), call.kind), (None, 2, SpanKind::Server));
        assert_eq!(Pending::of(&draft, true).unwrap().kind, SpanKind::Internal);
        let bad = NewRow { parent_span_id: Some("zz".into()), ..row.clone() };
        assert_eq!(Pending::of(&draft, false).unwrap().call(&bad), None);
        draft.trace.flags = 0;
        assert!(Pending::of(&draft, false).is_none());
        draft.trace.flags = 1;
        draft.capture = CaptureMode::Off;
        assert!(Pending::of(&draft, false).is_none());
    }
}
