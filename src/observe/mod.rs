//! What the gateway observes: the activity log.

pub mod activity;
mod redact;
