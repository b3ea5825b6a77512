//! What the request path knows about a request (`Draft`), completed when it is recorded, and
//! the record's trace id and activity type.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::shape::{MAX_ERROR_BYTES, MAX_NAME_BYTES, MAX_USER_AGENT_BYTES, capped, floor_char};
use crate::model::CaptureMode;
use crate::policy::quota::Usage;

/// What the request path knows about one request; completed when it is recorded.
#[derive(Debug, Clone)]
pub struct Draft {
    pub time: DateTime<Utc>,
    pub started: Instant,
    pub server: Option<String>,
    pub kind: &'static str,
    pub principal: Option<String>,
    pub auth_method: Option<&'static str>,
    pub source_ip: Option<String>,
    /// The same address, for the IP rules.
    pub client_ip: Option<std::net::IpAddr>,
    pub user_agent: Option<String>,
    pub client_name: Option<String>,
    pub client_version: Option<String>,
    pub session_id: Option<String>,
    pub method: Option<String>,
    pub tool: Option<String>,
    /// The request's `params`, raw.
    pub params: Option<String>,
    /// The JSON-RPC response sent, raw (shared with the response body, not copied).
    pub response: Option<bytes::Bytes>,
    pub http_status: u16,
    /// A refusal made before any JSON-RPC response existed: (code, message).
    pub error: Option<(i64, String)>,
    pub trace_id: String,
    /// The call's span in its trace, and its timeline.
    pub trace: super::trace::Trace,
    pub capture: CaptureMode,
    /// Set when the draft was finished.
    pub duration: Duration,
    /// How long a forwarded call waited on its upstream, when its answer came whole (the first
    /// thing the upstream sent): what mcpcp added is `duration` less this (the metrics).
    pub upstream_wait: Option<Duration>,
    /// Usage-quota counts this call took; committed with the record (even when the server
    /// captures nothing), so a count is durable before the answer is released.
    pub charges: Vec<Usage>,
    /// Whose fault a refusal or failure is, when the gateway knows it; otherwise the record
    /// derives it from the JSON-RPC error (`shape::fault_of_answer`).
    pub fault: Option<crate::model::Fault>,
    /// Which credential a forwarded call carried upstream (`UpstreamAuth::as_str`).
    pub upstream_auth: Option<&'static str>,
    /// The linked upstream account's subject, when the call carried one and it is known.
    pub upstream_subject: Option<std::sync::Arc<str>>,
    /// How many times the answer's stream was resumed: the client reconnecting with
    /// `Last-Event-ID`, and mcpcp continuing an upstream's stream it closed before the response.
    pub resumed: u32,
    /// For a call to a composed server's tool: the source tool (`SERVER:TOOL`).
    pub origin: Option<String>,
    /// For a call to a composed server's tool: the calls the gateway made for it.
    pub steps: Vec<Step>,
    /// The parts of the record known before the answer, shaped early ([`super::activity::Recorder::prepare`]).
    pub(super) early: Option<Early>,
}

/// One call the gateway made to answer a call to a composed server's tool.
#[derive(Debug, Clone)]
pub struct Step {
    /// `SERVER:TOOL`.
    pub target: String,
    /// Which credential it carried upstream (`none`, `header`, `user`, `shared`).
    pub connection: &'static str,
    /// The `tools/call` params sent (the recorded input is their `arguments`).
    pub params: String,
    /// When it started and how long it took, from the call's arrival.
    pub offset: Duration,
    pub duration: Duration,
    /// Why it failed (the whole story, for the record), if it did.
    pub error: Option<String>,
}

/// The record's time, formatted, and its redacted inputs: shaped while the upstream works, so
/// the answer waits only for the parts that depend on it.
#[derive(Debug, Clone)]
pub(super) struct Early {
    pub(super) time: String,
    pub(super) input: Option<String>,
}

impl Draft {
    /// A draft of a request of type `kind` that arrived at `now` (by the gateway's clock).
    pub fn new(kind: &'static str, now: DateTime<Utc>) -> Draft {
        Draft {
            time: now,
            started: Instant::now(),
            server: None,
            kind,
            principal: None,
            auth_method: None,
            source_ip: None,
            client_ip: None,
            user_agent: None,
            client_name: None,
            client_version: None,
            session_id: None,
            method: None,
            tool: None,
            params: None,
            response: None,
            http_status: 200,
            error: None,
            trace_id: new_trace_id(),
            trace: super::trace::Trace::default(),
            capture: CaptureMode::Full,
            duration: Duration::ZERO,
            upstream_wait: None,
            charges: Vec::new(),
            fault: None,
            upstream_auth: None,
            upstream_subject: None,
            resumed: 0,
            origin: None,
            steps: Vec::new(),
            early: None,
        }
    }
}

impl Draft {
    /// Whether committing this draft writes anything (a record or quota counts).
    pub fn writes(&self) -> bool {
        self.capture != CaptureMode::Off || !self.charges.is_empty()
    }

    /// A copy to keep for later (a sampled refusal's summary): the texts taken from the request
    /// capped as a record caps them, without the request's params or the response, so what is
    /// kept per source is bounded however large the request was.
    pub fn kept(&self) -> Draft {
        let text = |t: &Option<String>, max| capped(t.as_ref().map(|t| t[..floor_char(t, max + 1)].to_string()), max);
        Draft {
            server: text(&self.server, MAX_NAME_BYTES),
            principal: text(&self.principal, MAX_NAME_BYTES),
            user_agent: text(&self.user_agent, MAX_USER_AGENT_BYTES),
            client_name: text(&self.client_name, MAX_NAME_BYTES),
            client_version: text(&self.client_version, MAX_NAME_BYTES),
            session_id: text(&self.session_id, MAX_NAME_BYTES),
            method: text(&self.method, MAX_NAME_BYTES),
            tool: text(&self.tool, MAX_NAME_BYTES),
            params: None,
            response: None,
            error: self.error.as_ref().map(|(code, m)| (*code, m[..floor_char(m, MAX_ERROR_BYTES)].to_string())),
            charges: Vec::new(),
            early: None,
            ..self.clone_light()
        }
    }

    /// The fixed-size fields of this draft (texts left empty).
    fn clone_light(&self) -> Draft {
        Draft {
            time: self.time,
            started: self.started,
            kind: self.kind,
            auth_method: self.auth_method,
            source_ip: self.source_ip.clone(),
            client_ip: self.client_ip,
            http_status: self.http_status,
            trace_id: self.trace_id.clone(),
            capture: self.capture,
            duration: self.duration,
            ..Draft::new(self.kind, self.time)
        }
    }

    /// The calling client's address.
    pub fn client(&mut self, ip: std::net::IpAddr) {
        // The address as text, as the thread last wrote it: a connection's requests come from
        // one address, and formatting one costs more than copying it.
        thread_local! {
            static LAST: std::cell::RefCell<Option<(std::net::IpAddr, String)>> = const { std::cell::RefCell::new(None) };
        }
        self.client_ip = Some(ip);
        self.source_ip = Some(LAST.with_borrow_mut(|last| match last {
            Some((seen, text)) if *seen == ip => text.clone(),
            _ => last.insert((ip, ip.to_string())).1.clone(),
        }));
    }

    /// Marks the draft as a success (HTTP 200, no error).
    pub fn status_ok(&mut self) {
        self.http_status = 200;
        self.error = None;
    }
}

/// A W3C trace id (32 hex digits): a random 64-bit prefix drawn once per process and a counter,
/// so ids are unique without a system call per request.
pub fn new_trace_id() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let prefix = *PREFIX.get_or_init(|| {
        crate::secrets::random_bytes::<8>().map(u64::from_le_bytes).unwrap_or_else(|_| fallback_prefix())
    });
    let mut id = String::with_capacity(32);
    for n in [prefix, COUNTER.fetch_add(1, Ordering::Relaxed)] {
        for shift in (0..16).rev() {
            id.push(char::from(b"0123456789abcdef"[((n >> (shift * 4)) & 0xf) as usize]));
        }
    }
    id
}

/// A trace id prefix when the OS random number generator fails: std's per-process hash keys
/// (seeded from the OS when it can) mixed with the process id. Trace ids need to be unique, not
/// secret.
fn fallback_prefix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.finish()
}

/// The activity type of a JSON-RPC method (documented in README.md).
pub fn kind_of(method: &str) -> &'static str {
    match method {
        "initialize" => "session_start",
        "tools/call" => "tool_call",
        "tools/list" | "resources/list" | "resources/templates/list" | "prompts/list" => "list",
        "resources/read" => "resource_read",
        "prompts/get" => "prompt_get",
        m if m.starts_with("notifications/") => "notification",
        _ => "request",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn trace_ids_are_32_hex_digits_and_unique() {
        let (a, b) = (new_trace_id(), new_trace_id());
        assert!(a.len() == 32 && a.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{a}");
        assert_eq!(a[..16], b[..16], "one prefix per process");
        let (x, y) = (u64::from_str_radix(&a[16..], 16).unwrap(), u64::from_str_radix(&b[16..], 16).unwrap());
        assert!(y > x, "{a} then {b}");
    }
}
