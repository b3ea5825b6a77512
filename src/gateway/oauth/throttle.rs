//! Throttling of failed sign-ins and registrations, by key.

use std::time::{Duration, Instant};

use super::state::Failures;
use crate::gateway::Shared;

/// Failed sign-ins allowed per user and per address in `FAILURE_WINDOW` before refusing.
pub(super) const MAX_FAILURES: u32 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(900);

pub(super) fn throttled(shared: &Shared, key: &str, max: u32) -> bool {
    let Ok(map) = shared.oauth.failures.lock() else { return true };
    map.get(key).is_some_and(|f| f.count >= max && f.since.elapsed() < FAILURE_WINDOW)
}

/// Counts a failure under `key` (a full map of keys drops its oldest).
pub(super) fn note_failure(shared: &Shared, key: &str) {
    let Ok(mut map) = shared.oauth.failures.lock() else { return };
    match map.get_mut(key) {
        Some(f) if f.since.elapsed() < FAILURE_WINDOW => f.count = f.count.saturating_add(1),
        _ => map.insert(key.to_string(), Failures { count: 1, since: Instant::now() }),
    }
}

pub(super) fn clear_failures(shared: &Shared, key: &str) {
    if let Ok(mut map) = shared.oauth.failures.lock() {
        map.remove(key);
    }
}
