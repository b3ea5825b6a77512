//! Throttling of failed sign-ins and registrations.
//!
//! Sign-in failures are counted in a window of `FAILURE_WINDOW` under three keys: the (user,
//! address) pair, the address and the user. A pair or an address over its limit is refused
//! without checking the password: whoever guesses from there only locks themselves out. A user
//! is never refused for failures made elsewhere: once failures for the user from all addresses
//! reach `USER_CEILING`, every attempt for that user waits `USER_DELAY` before the password is
//! checked, right or wrong, so a known user name cannot be locked out by strangers, guessing
//! costs time, and the wait says nothing about the password.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::state::Failures;
use crate::gateway::Shared;

/// The window failures are counted in.
pub(super) const FAILURE_WINDOW: Duration = Duration::from_secs(900);
/// Failed sign-ins of one user from one address before that pair is refused.
pub(super) const PAIR_LIMIT: u32 = 5;
/// Failed sign-ins from one address, for any users, before the address is refused.
pub(super) const ADDRESS_LIMIT: u32 = 20;
/// Failed sign-ins of one user, from all addresses, after which each attempt for the user waits.
pub(super) const USER_CEILING: u32 = 10;
/// How long each sign-in of a user over `USER_CEILING` waits before its password is checked.
pub(super) const USER_DELAY: Duration = Duration::from_secs(2);

/// Failures counted under `key` in the current window.
fn failures(shared: &Shared, key: &str) -> u32 {
    let Ok(map) = shared.oauth.failures.lock() else { return u32::MAX };
    map.get(key).filter(|f| f.since.elapsed() < FAILURE_WINDOW).map_or(0, |f| f.count)
}

/// Whether `key` has `max` failures or more in the current window.
pub(super) fn throttled(shared: &Shared, key: &str, max: u32) -> bool {
    failures(shared, key) >= max
}

/// Counts a failure under `key` (a full map of keys drops its oldest).
pub(super) fn note_failure(shared: &Shared, key: &str) {
    let Ok(mut map) = shared.oauth.failures.lock() else { return };
    match map.get_mut(key) {
        Some(f) if f.since.elapsed() < FAILURE_WINDOW => f.count = f.count.saturating_add(1),
        _ => map.insert(key.to_string(), Failures { count: 1, since: Instant::now() }),
    }
}

fn clear_failures(shared: &Shared, key: &str) {
    if let Ok(mut map) = shared.oauth.failures.lock() {
        map.remove(key);
    }
}

/// The throttling keys of one sign-in attempt.
#[derive(Debug)]
pub(super) struct SignIn {
    pair: String,
    address: String,
    user: String,
}

/// What to do with a sign-in attempt before checking its password.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Check the password now.
    Check,
    /// Wait this long, then check the password.
    Wait(Duration),
    /// Refuse (429) without checking.
    Refuse,
}

impl SignIn {
    pub(super) fn new(user: &str, address: IpAddr) -> SignIn {
        SignIn {
            pair: format!("pair:{address} {user}"),
            address: format!("ip:{address}"),
            user: format!("user:{user}"),
        }
    }

    pub(super) fn verdict(&self, shared: &Shared) -> Verdict {
        if throttled(shared, &self.pair, PAIR_LIMIT) || throttled(shared, &self.address, ADDRESS_LIMIT) {
            Verdict::Refuse
        } else if throttled(shared, &self.user, USER_CEILING) {
            Verdict::Wait(USER_DELAY)
        } else {
            Verdict::Check
        }
    }

    pub(super) fn failed(&self, shared: &Shared) {
        for key in [&self.pair, &self.address, &self.user] {
            note_failure(shared, key);
        }
    }

    /// The right password from this address clears the pair's count; the user's and the
    /// address's stay, since they count what others did.
    pub(super) fn succeeded(&self, shared: &Shared) {
        clear_failures(shared, &self.pair);
    }
}
