//! The traffic limiter: the state of every rate limit (GCRA theoretical arrival times) and usage
//! quota (the current periods' counts) the gateway keeps, by server and caller, and the one
//! decision over them. A call is charged to every limit only if it fits all of them, so a
//! refusal costs no budget. Times are passed in (a monotonic instant for rates, the wall clock
//! for quota periods), so the limiter is tested without waiting.
//!
//! Keys that no longer matter are pruned: a rate key whose arrival time has passed is at rest,
//! the same as no key at all, and quota periods that ended are forgotten.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::quota::{Book, Exhausted, Quota, Subject, Usage};
use super::rate::Gcra;

/// The limits of one server, as the snapshot holds them.
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits<'a> {
    pub server_id: i64,
    pub rate: Option<&'a Gcra>,
    pub rate_per_user: Option<&'a Gcra>,
    pub quota: Option<Quota>,
    pub quota_per_user: Option<Quota>,
}

impl ServerLimits<'_> {
    fn any(&self) -> bool {
        self.rate.is_some() || self.rate_per_user.is_some() || self.quota.is_some() || self.quota_per_user.is_some()
    }
}

/// Who a per-caller limit counts: the authentication method and the principal's name.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub method: &'a str,
    pub name: &'a str,
}

/// Why a call was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A rate limit (`rate` or `rate_per_user`): retry after this long.
    Rate { which: &'static str, retry_after: Duration },
    /// A usage quota (`quota` or `quota_per_user`) is used up until its period ends.
    Quota { which: &'static str, quota: Quota, exhausted: Exhausted },
}

/// The limiter's state, shared by every request.
#[derive(Debug)]
pub struct Limiter {
    /// GCRA theoretical arrival times, ns after `epoch`, by (server id, caller key); the caller
    /// key is empty for a server-wide limit.
    rates: Mutex<HashMap<(i64, String), u64>>,
    epoch: Instant,
    /// The current quota periods' counts (seeded from `activity.db` at launch).
    quotas: Mutex<Book>,
}

impl Limiter {
    pub fn new(book: Book, epoch: Instant) -> Limiter {
        Limiter { rates: Mutex::new(HashMap::new()), epoch, quotas: Mutex::new(book) }
    }

    fn ns(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_nanos()).unwrap_or(u64::MAX)
    }

    /// Admits one call of `caller` to a server with `limits` at `at` (rates) and `now` (quota
    /// periods): the rate limits per caller, then server-wide, then the quotas. On success the
    /// call is charged to all of them and the quota usage to record with it is returned.
    pub fn check(
        &self,
        limits: &ServerLimits<'_>,
        caller: Caller<'_>,
        at: Instant,
        now: DateTime<Utc>,
    ) -> Result<Vec<Usage>, Refused> {
        if !limits.any() {
            return Ok(Vec::new());
        }
        // Lock order: rates, then quotas.
        let mut rates = self.rates.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let user_key = limits.rate_per_user.map(|_| (limits.server_id, format!("{}:{}", caller.method, caller.name)));
        let server_key = (limits.server_id, String::new());
        let mut user_tat = user_key.as_ref().and_then(|k| rates.get(k)).copied().unwrap_or(0);
        let mut server_tat = rates.get(&server_key).copied().unwrap_or(0);
        let ns = self.ns(at);
        for (limit, tat, which) in
            [(limits.rate_per_user, &mut user_tat, "rate_per_user"), (limits.rate, &mut server_tat, "rate")]
        {
            let Some(gcra) = limit else { continue };
            if let Err(limited) = gcra.check(tat, ns) {
                return Err(Refused::Rate { which, retry_after: limited.retry_after });
            }
        }
        let mut charges = Vec::new();
        if limits.quota.is_some() || limits.quota_per_user.is_some() {
            let mut list = Vec::with_capacity(2);
            if let Some(q) = limits.quota_per_user {
                let who = (caller.method.to_string(), caller.name.to_string());
                list.push((Subject { server_id: limits.server_id, principal: Some(who) }, q));
            }
            if let Some(q) = limits.quota {
                list.push((Subject { server_id: limits.server_id, principal: None }, q));
            }
            let mut book = self.quotas.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Err((i, exhausted)) = book.check(&list, now) {
                let which = if list[i].0.principal.is_some() { "quota_per_user" } else { "quota" };
                return Err(Refused::Quota { which, quota: list[i].1, exhausted });
            }
            charges = book.charge(&list, now);
        }
        if let Some(key) = user_key {
            rates.insert(key, user_tat);
        }
        if limits.rate.is_some() {
            rates.insert(server_key, server_tat);
        }
        Ok(charges)
    }

    /// Forgets what no longer limits anything at `at` and `now`: rate keys at rest (their
    /// arrival time has passed) and quota periods that ended.
    pub fn prune(&self, at: Instant, now: DateTime<Utc>) {
        let ns = self.ns(at);
        self.rates.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|_, tat| *tat > ns);
        self.quotas.lock().unwrap_or_else(std::sync::PoisonError::into_inner).forget_before(now);
    }

    /// Rate-limit keys held now.
    pub fn rate_keys(&self) -> usize {
        self.rates.lock().map(|r| r.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::rate::Rate;

    fn gcra(raw: &str, burst: u32) -> Gcra {
        Gcra::new(Rate::parse(raw).unwrap(), burst)
    }

    #[test]
    fn a_refusal_charges_nothing_and_keys_at_rest_are_pruned() {
        let (per_user, server) = (gcra("2/1s", 2), gcra("3/1s", 3));
        let limits = ServerLimits {
            server_id: 1,
            rate: Some(&server),
            rate_per_user: Some(&per_user),
            quota: None,
            quota_per_user: None,
        };
        let t0 = Instant::now();
        // Policy reads no clock: any fixed time of day will do (no quotas here).
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let limiter = Limiter::new(Book::new([]), t0);
        let (ada, bob) = (Caller { method: "password", name: "ada" }, Caller { method: "password", name: "bob" });
        assert!(limiter.check(&limits, ada, t0, now).is_ok());
        assert!(limiter.check(&limits, ada, t0, now).is_ok());
        assert!(matches!(limiter.check(&limits, ada, t0, now), Err(Refused::Rate { which: "rate_per_user", .. })));
        // ada's refusal charged nothing server-wide: bob gets the third server-wide call.
        assert!(limiter.check(&limits, bob, t0, now).is_ok());
        assert!(matches!(limiter.check(&limits, bob, t0, now), Err(Refused::Rate { which: "rate", .. })));
        assert_eq!(limiter.rate_keys(), 3, "ada, bob and the server");
        limiter.prune(t0 + Duration::from_millis(400), now);
        assert_eq!(limiter.rate_keys(), 3, "not at rest yet");
        limiter.prune(t0 + Duration::from_secs(2), now);
        assert_eq!(limiter.rate_keys(), 0, "every key at rest is forgotten");
        // A forgotten key behaves as a fresh one.
        assert!(limiter.check(&limits, ada, t0 + Duration::from_secs(2), now).is_ok());
    }

    #[test]
    fn no_limits_take_no_lock_and_hold_no_key() {
        let limits = ServerLimits { server_id: 1, rate: None, rate_per_user: None, quota: None, quota_per_user: None };
        let limiter = Limiter::new(Book::new([]), Instant::now());
        assert_eq!(
            limiter.check(
                &limits,
                Caller { method: "api_token", name: "t" },
                Instant::now(),
                DateTime::<Utc>::UNIX_EPOCH
            ),
            Ok(vec![])
        );
        assert_eq!(limiter.rate_keys(), 0);
    }
}
