//! The gateway's Prometheus metrics (`prometheus-client`): what every call, refusal and upstream
//! restart adds to them, and `/metrics` (`http.rs`: on the main listener behind a scrape token,
//! or on a listener of its own).
//!
//! Calls are counted where every call ends (`mcp::record`: `finish`, `settle`, and a refusal's
//! `describe_refusal`), once each, whether or not the server captures activity. A call costs a
//! few hash lookups and atomic additions: no allocation once its series exist.
//!
//! Cardinality is bounded: a `server` label names a server of the snapshot (`_other` for any
//! other name a request carried), a `tool` label a tool registered for that server (`_other` for
//! any other), a `method` label one of a fixed list (`observe::metrics::method_label`); reasons
//! and faults are the activity record's fixed words; there is no label for users or tokens.

mod http;

pub use http::read_token;
pub(crate) use http::{endpoint, serve};

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

use crate::model::Fault;
use crate::observe::activity::{Draft, Recorder};
use crate::observe::metrics::{ADDED_SECONDS, CALL_SECONDS, Histogram, Name, Outcome, method_label, outcome};
use crate::snapshot::Live;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    server: Name,
    method: &'static str,
    tool: Name,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DurationLabels {
    server: Name,
    method: &'static str,
    tool: Name,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AddedLabels {
    server: Name,
    method: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RefusalLabels {
    server: Name,
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    server: Name,
    fault: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServerLabels {
    server: Name,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// The metrics of one gateway.
#[derive(Debug)]
pub struct Metrics {
    /// Everything but what is read at each scrape (`http::scrape`).
    registry: Registry,
    calls: Family<CallLabels, Counter>,
    duration: Histograms<DurationLabels>,
    added: Histograms<AddedLabels>,
    refusals: Family<RefusalLabels, Counter>,
    upstream_errors: Family<ErrorLabels, Counter>,
    stdio_restarts: Family<ServerLabels, Counter>,
    spans_dropped: Counter,
    /// The server and tool names of the current snapshot, as label values.
    names: ArcSwap<Names>,
    /// The SHA-256 of the scrape token, when one is set.
    token: Option<http::Token>,
}

/// The names a label may take, from one snapshot.
#[derive(Debug, Default)]
struct Names {
    generation: Option<i64>,
    servers: HashMap<Box<str>, ServerNames>,
}

#[derive(Debug)]
struct ServerNames {
    name: Arc<str>,
    tools: HashMap<Box<str>, Arc<str>>,
}

impl Names {
    fn of(live: &Live) -> Names {
        let snapshot = live.load();
        let servers = snapshot
            .servers()
            .map(|s| {
                // A composed server's tools are its own names for other servers' tools.
                let composed = s.composed.iter().flat_map(|c| c.tools.keys());
                let tools =
                    s.tools.keys().chain(composed).map(|t| (Box::from(t.as_str()), Arc::from(t.as_str()))).collect();
                (Box::from(s.name.as_str()), ServerNames { name: Arc::from(s.name.as_str()), tools })
            })
            .collect();
        Names { generation: Some(snapshot.generation), servers }
    }

    fn server(&self, name: Option<&str>) -> (Name, Option<&ServerNames>) {
        match name.and_then(|n| self.servers.get(n)) {
            Some(s) => (Name::Shared(s.name.clone()), Some(s)),
            None => (Name::OTHER, None),
        }
    }
}

/// A finished call's labels and outcome, taken before its record is committed; counted with
/// [`Metrics::count`] once the commit is done, so its duration includes it.
#[derive(Debug)]
pub(crate) struct Sample {
    server: Name,
    method: &'static str,
    tool: Name,
    outcome: Outcome,
    /// The call reached the forward phase (its record says which credential went upstream).
    forwarded: bool,
    upstream_wait: Option<Duration>,
    started: Instant,
}

impl Metrics {
    /// The metrics of a gateway recording through `recorder`, scraped with `token` if given.
    pub(crate) fn new(recorder: &Recorder, token: Option<&crate::secrets::Secret>) -> Metrics {
        let mut registry = Registry::with_prefix("mcpcp");
        let calls = Family::<CallLabels, Counter>::default();
        registry.register(
            "calls",
            "Calls through the gateway by server, method, tool and status (success or failure, as the activity record says)",
            calls.clone(),
        );
        let duration: Histograms<DurationLabels> = Family::new_with_constructor(|| Histogram::new(CALL_SECONDS));
        registry.register_with_unit(
            "call_duration",
            "How long calls took, from the request's arrival to its answer, committed to the activity log",
            Unit::Seconds,
            duration.clone(),
        );
        let added: Histograms<AddedLabels> = Family::new_with_constructor(|| Histogram::new(ADDED_SECONDS));
        registry.register_with_unit(
            "call_added_duration",
            "The time mcpcp added to calls forwarded and answered whole: their duration less the wait on the upstream",
            Unit::Seconds,
            added.clone(),
        );
        let refusals = Family::<RefusalLabels, Counter>::default();
        registry.register(
            "refusals",
            "Requests the gateway refused, by server and reason (the activity record's type)",
            refusals.clone(),
        );
        let upstream_errors = Family::<ErrorLabels, Counter>::default();
        registry.register(
            "upstream_errors",
            "Forwarded calls that failed, by server and whose fault it was (client, upstream, operator, internal)",
            upstream_errors.clone(),
        );
        let stdio_restarts = Family::<ServerLabels, Counter>::default();
        registry.register(
            "stdio_restarts",
            "Restarts of stdio upstream processes that exited while their session lived",
            stdio_restarts.clone(),
        );
        let spans_dropped = Counter::default();
        registry.register(
            "spans_dropped",
            "Trace spans that never reached the OpenTelemetry collector: the export queue was full, or their export failed",
            spans_dropped.clone(),
        );
        if let Some(spans) = recorder.spans() {
            let counter = spans_dropped.clone();
            spans.on_drop(move |n| {
                counter.inc_by(n);
            });
        }
        registry.register_with_unit(
            "activity_commit_duration",
            "How long each activity writer transaction (a batch of records) took",
            Unit::Seconds,
            recorder.commit_seconds(),
        );
        registry.register("build", "The mcpcp build", Info::new(vec![("version", env!("CARGO_PKG_VERSION"))]));
        Metrics {
            registry,
            calls,
            duration,
            added,
            refusals,
            upstream_errors,
            stdio_restarts,
            spans_dropped,
            names: ArcSwap::from_pointee(Names::default()),
            token: token.map(http::Token::new),
        }
    }

    /// The counter of spans the trace exporter dropped (it increments it).
    pub fn spans_dropped(&self) -> Counter {
        self.spans_dropped.clone()
    }

    /// The label values of the current snapshot, made again when the snapshot changed.
    fn names(&self, live: &Live) -> arc_swap::Guard<Arc<Names>> {
        let names = self.names.load();
        if names.generation == Some(live.generation()) {
            return names;
        }
        self.names.store(Arc::new(Names::of(live)));
        self.names.load()
    }

    /// The labels and outcome of a finished call; `response` is the JSON-RPC response sent.
    pub(crate) fn sample(&self, live: &Live, draft: &Draft, response: Option<&[u8]>) -> Sample {
        let names = self.names(live);
        let (server, entry) = names.server(draft.server.as_deref());
        let method = method_label(draft.method.as_deref());
        let tool = match (method, entry) {
            ("tools/call", Some(entry)) => {
                draft.tool.as_deref().and_then(|t| entry.tools.get(t)).map_or(Name::OTHER, |t| Name::Shared(t.clone()))
            }
            ("tools/call", None) => Name::OTHER,
            _ => Name::NONE,
        };
        Sample {
            server,
            method,
            tool,
            outcome: outcome(draft, response),
            forwarded: draft.upstream_auth.is_some(),
            upstream_wait: draft.upstream_wait,
            started: draft.started,
        }
    }

    /// Counts a call; `committed` says whether its record was committed (if not, the client was
    /// answered with the activity log's failure instead).
    pub(crate) fn count(&self, sample: Sample, committed: bool) {
        let total = sample.started.elapsed();
        let outcome = if committed { sample.outcome } else { Outcome { failed: true, fault: Some(Fault::Internal) } };
        let Sample { server, method, tool, .. } = sample;
        self.calls
            .get_or_create(&CallLabels { server: server.clone(), method, tool: tool.clone(), status: outcome.status() })
            .inc();
        if let Some(wait) = sample.upstream_wait {
            self.added
                .get_or_create(&AddedLabels { server: server.clone(), method })
                .observe(total.saturating_sub(wait));
        }
        if committed && sample.forwarded && outcome.failed {
            let fault = outcome.fault.unwrap_or(Fault::Upstream).as_str();
            self.upstream_errors.get_or_create(&ErrorLabels { server: server.clone(), fault }).inc();
        }
        self.duration.get_or_create(&DurationLabels { server, method, tool }).observe(total);
    }

    /// Counts a refusal described in `draft` (its type is the reason).
    pub(crate) fn refused(&self, live: &Live, draft: &Draft) {
        let (server, _) = self.names(live).server(draft.server.as_deref());
        self.refusals.get_or_create(&RefusalLabels { server, reason: draft.kind }).inc();
    }

    /// Counts a restart of a stdio server's process.
    pub(crate) fn stdio_restart(&self, live: &Live, server: &str) {
        let (server, _) = self.names(live).server(Some(server));
        self.stdio_restarts.get_or_create(&ServerLabels { server }).inc();
    }
}
