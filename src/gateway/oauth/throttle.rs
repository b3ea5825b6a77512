//! Throttling of failed sign-ins and registrations, by key.

use std::time::Instant;

use super::FAILURE_WINDOW;
use crate::gateway::Shared;

pub(super) fn throttled(shared: &Shared, key: &str, max: u32) -> bool {
    let Ok(map) = shared.oauth.failures.lock() else { return true };
    map.get(key).is_some_and(|(n, since)| *n >= max && since.elapsed() < FAILURE_WINDOW)
}

pub(super) fn note_failure(shared: &Shared, key: &str) {
    if let Ok(mut map) = shared.oauth.failures.lock() {
        let entry = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

pub(super) fn clear_failures(shared: &Shared, key: &str) {
    if let Ok(mut map) = shared.oauth.failures.lock() {
        map.remove(key);
    }
}
