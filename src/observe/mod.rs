//! What the gateway observes: the activity log.

pub mod activity;
pub mod journal;
pub mod redact;
pub mod sampling;
