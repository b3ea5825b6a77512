//! What the gateway observes: the activity log.

pub mod activity;
pub mod journal;
mod redact;
pub mod sampling;
