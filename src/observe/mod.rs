//! What the gateway observes: the activity log (`activity`: the recorder; `draft`: what a request
//! knows; `shape`: the row recorded; `journal`; `writer`: into `activity.db`), each call's trace
//! (`trace`) and its export to an OpenTelemetry collector (`otlp`), and the parts of the
//! Prometheus metrics that belong here (`metrics`).

pub mod activity;
pub mod draft;
pub mod journal;
pub mod metrics;
pub mod otlp;
pub mod redact;
pub mod sampling;
mod shape;
pub mod trace;
mod writer;
