//! The parts of the Prometheus metrics that observe owns: a lock-free histogram (encoded by
//! `prometheus-client`), label values that cost no allocation, the fixed list of method labels,
//! and how a finished call is classified (success or failure, and whose fault) as its activity
//! record would be, cheaply enough for every call, captured or not.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use prometheus_client::encoding::{EncodeLabelValue, EncodeMetric, LabelValueEncoder, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::{MetricType, TypedMetric};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::draft::Draft;
use super::shape::{fault_of_answer, may_be_tool_error};
use crate::model::Fault;

/// Bucket bounds (seconds) of a call's whole duration: from a millisecond to a minute.
pub const CALL_SECONDS: &[f64] =
    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];
/// Bucket bounds (seconds) of the time mcpcp adds to a call: from 50 µs to a second.
pub const ADDED_SECONDS: &[f64] =
    &[0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0];
/// Bucket bounds (seconds) of one activity writer transaction.
pub const COMMIT_SECONDS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

/// A histogram whose `observe` is three atomic additions (`prometheus-client`'s takes a mutex):
/// a count per bucket (not cumulative; the encoder adds them up, so `+Inf` always equals the
/// count) and the sum in nanoseconds. Clones share the counts.
#[derive(Debug, Clone)]
pub struct Histogram {
    inner: Arc<Cells>,
}

#[derive(Debug)]
struct Cells {
    bounds: &'static [f64],
    /// One per bound, then one for the values above the last bound.
    counts: Box<[AtomicU64]>,
    sum_nanos: AtomicU64,
}

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Histogram {
        let counts = (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect();
        Histogram { inner: Arc::new(Cells { bounds, counts, sum_nanos: AtomicU64::new(0) }) }
    }

    pub fn observe(&self, value: Duration) {
        let seconds = value.as_secs_f64();
        let cells = &*self.inner;
        let bucket = cells.bounds.iter().position(|bound| seconds <= *bound).unwrap_or(cells.bounds.len());
        if let Some(count) = cells.counts.get(bucket) {
            count.fetch_add(1, Ordering::Relaxed);
        }
        let nanos = u64::try_from(value.as_nanos()).unwrap_or(u64::MAX);
        cells.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// How many values were observed.
    pub fn count(&self) -> u64 {
        self.inner.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}

impl TypedMetric for Histogram {
    const TYPE: MetricType = MetricType::Histogram;
}

impl EncodeMetric for Histogram {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        // The encoder adds the bucket counts up itself; the last bound is `+Inf`.
        let cells = &*self.inner;
        let buckets: Vec<(f64, u64)> = cells
            .counts
            .iter()
            .enumerate()
            .map(|(i, count)| (cells.bounds.get(i).copied().unwrap_or(f64::INFINITY), count.load(Ordering::Relaxed)))
            .collect();
        let count = buckets.iter().map(|(_, n)| n).sum();
        let sum = Duration::from_nanos(cells.sum_nanos.load(Ordering::Relaxed)).as_secs_f64();
        encoder.encode_histogram::<NoLabelSet>(sum, count, &buckets, None)
    }

    fn metric_type(&self) -> MetricType {
        MetricType::Histogram
    }
}

/// A label value: a fixed text, or a name shared with the table of names the gateway serves.
/// Compared and hashed as its text; making one from either never allocates.
#[derive(Debug, Clone)]
pub enum Name {
    Fixed(&'static str),
    Shared(Arc<str>),
}

impl Name {
    /// The label of a value outside the bounded set (an unknown server, an unregistered tool).
    pub const OTHER: Name = Name::Fixed("_other");
    /// No value (the tool of a call that is not `tools/call`).
    pub const NONE: Name = Name::Fixed("");

    pub fn as_str(&self) -> &str {
        match self {
            Name::Fixed(s) => s,
            Name::Shared(s) => s,
        }
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl EncodeLabelValue for Name {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        EncodeLabelValue::encode(&self.as_str(), encoder)
    }
}

/// The `method` label of a JSON-RPC method: the methods of the MCP revisions the gateway serves,
/// `_other` for any other, `_none` for a request that carried no method (a GET stream, a
/// DELETE, a client's response, a request refused before its message was read).
pub fn method_label(method: Option<&str>) -> &'static str {
    const METHODS: &[&str] = &[
        "initialize",
        "ping",
        "tools/list",
        "tools/call",
        "resources/list",
        "resources/templates/list",
        "resources/read",
        "resources/subscribe",
        "resources/unsubscribe",
        "prompts/list",
        "prompts/get",
        "completion/complete",
        "logging/setLevel",
        "tasks/get",
        "tasks/result",
        "tasks/list",
        "tasks/cancel",
        "notifications/initialized",
        "notifications/cancelled",
        "notifications/progress",
        "notifications/roots/list_changed",
        "notifications/tasks/status",
    ];
    match method {
        None => "_none",
        Some(m) => METHODS.iter().find(|known| **known == m).copied().unwrap_or("_other"),
    }
}

/// How a finished call ended, as its activity record says it (`status`, `fault`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub failed: bool,
    /// Whose fault a failure was.
    pub fault: Option<Fault>,
}

impl Outcome {
    /// The record's `status`.
    pub fn status(self) -> &'static str {
        if self.failed { "failure" } else { "success" }
    }
}

/// Classifies a finished call from its draft and the JSON-RPC response sent (if any) the way
/// `shape` does for its record, without parsing a successful answer: the gateway writes every
/// response as `{"jsonrpc":"2.0","id":…,` then `"result"` or `"error"`, so the kind is read
/// after the id; only an error object, or a `tools/call` result that says `"isError": true`, is
/// parsed. Any other text is parsed whole.
pub fn outcome(draft: &Draft, response: Option<&[u8]>) -> Outcome {
    let answer = response.map_or(Answered::Result, |r| answered(r, draft.kind == "tool_call"));
    let (code, failed) = match (&draft.error, answer) {
        (Some((code, _)), _) => (Some(*code), true),
        (None, Answered::Error { code, message }) => (code, code.is_some() || message),
        (None, Answered::ToolError) => (None, true),
        (None, Answered::Result) => (None, false),
    };
    let failed = failed || draft.http_status >= 400;
    let fault = draft.fault.or_else(|| failed.then(|| fault_of_answer(code)));
    Outcome { failed, fault }
}

/// What a JSON-RPC response says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answered {
    Result,
    /// An error object: its code, and whether it has a message.
    Error {
        code: Option<i64>,
        message: bool,
    },
    /// A tool's result with `"isError": true`.
    ToolError,
}

/// An error object as `shape` reads it (a message that is not a string makes it unreadable).
#[derive(Deserialize)]
struct RpcError<'a> {
    code: Option<i64>,
    #[serde(borrow)]
    message: Option<std::borrow::Cow<'a, str>>,
}

fn answered(response: &[u8], tool_call: bool) -> Answered {
    if let Some(rest) = after_id(response) {
        if let Some(error) = rest.strip_prefix(b",\"error\":") {
            let mut values = serde_json::Deserializer::from_slice(error).into_iter::<RpcError<'_>>();
            return match values.next() {
                Some(Ok(e)) => Answered::Error { code: e.code, message: e.message.is_some() },
                _ => Answered::Result,
            };
        }
        if let Some(result) = rest.strip_prefix(b",\"result\":") {
            let may_say = tool_call && std::str::from_utf8(result).is_ok_and(may_be_tool_error);
            return if may_say { parsed(response, tool_call) } else { Answered::Result };
        }
    }
    parsed(response, tool_call)
}

/// What follows the id of a response written as `{"jsonrpc":"2.0","id":ID`.
fn after_id(response: &[u8]) -> Option<&[u8]> {
    let rest = response.strip_prefix(b"{\"jsonrpc\":\"2.0\",\"id\":")?;
    let end = if rest.first() == Some(&b'"') {
        let mut escaped = false;
        1 + rest[1..].iter().position(|&b| {
            let end = b == b'"' && !escaped;
            escaped = b == b'\\' && !escaped;
            end
        })? + 1
    } else {
        rest.iter().position(|&b| b == b',' || b == b'}')?
    };
    rest.get(end..)
}

/// The response parsed whole, as `shape` parses it.
fn parsed(response: &[u8], tool_call: bool) -> Answered {
    #[derive(Deserialize)]
    struct Response<'a> {
        #[serde(borrow)]
        result: Option<&'a RawValue>,
        #[serde(borrow)]
        error: Option<&'a RawValue>,
    }
    #[derive(Deserialize)]
    struct ToolResult {
        #[serde(rename = "isError", default)]
        is_error: bool,
    }
    let Ok(r) = serde_json::from_slice::<Response<'_>>(response) else { return Answered::Result };
    if let Some(error) = r.error {
        return match serde_json::from_str::<RpcError<'_>>(error.get()) {
            Ok(e) => Answered::Error { code: e.code, message: e.message.is_some() },
            Err(_) => Answered::Result,
        };
    }
    let tool_error = tool_call
        && r.result.is_some_and(|result| {
            may_be_tool_error(result.get())
                && serde_json::from_str::<ToolResult>(result.get()).is_ok_and(|t| t.is_error)
        });
    if tool_error { Answered::ToolError } else { Answered::Result }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::clock::Clock;

    fn draft(kind: &'static str) -> Draft {
        Draft::new(kind, Clock::system().now())
    }

    /// The classification agrees with the record's `status` and `fault` (`shape`), whether the
    /// response is read after its id or parsed whole.
    #[test]
    fn a_call_is_classified_as_its_record_says() {
        let shaper =
            super::super::shape::Shaper { redactor: super::super::redact::Redactor::new(&[]), max_output: 1024 };
        let cases: &[(&str, &str)] = &[
            ("tool_call", r#"{"jsonrpc":"2.0","id":1,"result":{"content":[]}}"#),
            ("tool_call", r#"{"jsonrpc":"2.0","id":"a\"b,}","result":{"content":[],"isError":true}}"#),
            ("tool_call", r#"{"jsonrpc":"2.0","id":2,"result":{"content":[],"isError":false}}"#),
            ("tool_call", r#"{"jsonrpc":"2.0","id":3,"result":{"content":[{"text":"\"isError\": true"}]}}"#),
            ("list", r#"{"jsonrpc":"2.0","id":4,"result":{"isError":true}}"#),
            ("tool_call", r#"{"jsonrpc":"2.0","id":5,"error":{"code":-32602,"message":"bad"}}"#),
            ("request", r#"{"jsonrpc":"2.0","id":null,"error":{"message":"m","code":-32000}}"#),
            ("request", r#"{"jsonrpc":"2.0","id":6,"error":{"data":{"x":1}}}"#),
            ("request", r#"{"jsonrpc":"2.0","id":6,"error":{"code":-1,"message":5}}"#),
            ("request", r#"{"jsonrpc":"2.0","id":6,"error":{"message":null}}"#),
            ("tool_call", "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": 7,\n  \"result\": {\"isError\": true}\n}"),
            ("tool_call", r#"{"id":8,"jsonrpc":"2.0","error":{"code":-32603,"message":"x"}}"#),
            ("request", "not json"),
        ];
        for (kind, response) in cases {
            let mut d = draft(kind);
            d.response = Some(bytes::Bytes::copy_from_slice(response.as_bytes()));
            let got = outcome(&d, Some(response.as_bytes()));
            let row = shaper.row(d);
            assert_eq!(got.status(), row.status, "{kind} {response}");
            assert_eq!(got.fault.map(Fault::as_str), row.fault.as_deref(), "{kind} {response}");
        }
        // A refusal or failure the gateway made says its fault itself.
        let mut d = draft("denied");
        d.http_status = 403;
        d.error = Some((-32000, "no group".into()));
        d.fault = Some(Fault::Client);
        assert_eq!(outcome(&d, None), Outcome { failed: true, fault: Some(Fault::Client) });
        assert_eq!(outcome(&draft("stream_open"), None), Outcome { failed: false, fault: None });
    }

    #[test]
    fn method_labels_are_a_fixed_set() {
        assert_eq!(method_label(Some("tools/call")), "tools/call");
        assert_eq!(method_label(Some("tools/call2")), "_other");
        assert_eq!(method_label(Some("x".repeat(1000).as_str())), "_other");
        assert_eq!(method_label(None), "_none");
    }

    #[test]
    fn the_histogram_counts_into_its_buckets() {
        let h = Histogram::new(&[0.001, 0.01]);
        for ms in [0, 1, 5, 50] {
            h.observe(Duration::from_millis(ms));
        }
        let mut registry = prometheus_client::registry::Registry::default();
        registry.register("t", "test", h.clone());
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
        assert!(text.contains("t_bucket{le=\"0.001\"} 2\n"), "{text}");
        assert!(text.contains("t_bucket{le=\"0.01\"} 3\n"), "{text}");
        assert!(text.contains("t_bucket{le=\"+Inf\"} 4\n"), "{text}");
        assert!(text.contains("t_count 4\n") && text.contains("t_sum 0.056\n"), "{text}");
        assert_eq!(h.count(), 4);
    }
}
