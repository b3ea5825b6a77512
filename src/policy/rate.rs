//! Rate limits by GCRA (the generic cell rate algorithm): each call moves a "theoretical arrival
//! time" (TAT) forward by one emission interval (period / n); a call is admitted while the TAT
//! is at most `burst - 1` intervals ahead of now. This is a smooth token bucket with no windows:
//! over any span of length w at most `burst + ⌊w·n/period⌋` calls pass, so there is no doubling
//! at window boundaries. Time is passed in (nanoseconds on a monotonic clock), so the limiter is
//! pure and tests inject it.

use std::time::Duration;

use crate::model::{Invalid, parse_duration};

/// `N/INTERVAL`: n calls per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub period: Duration,
}

impl Rate {
    /// Parses `100/1m`, `5/1s`, `1000/1d`, `10/30s`.
    pub fn parse(raw: &str) -> Result<Rate, Invalid> {
        let bad = |why: &str| Invalid(format!("invalid rate {raw:?}: {why} (use N/INTERVAL, e.g. 100/1m)"));
        let (n, interval) = raw.split_once('/').ok_or_else(|| bad("no '/'"))?;
        let count: u32 = n.trim().parse().map_err(|_| bad("N is not a whole number"))?;
        if count == 0 {
            return Err(bad("N must be at least 1"));
        }
        let period = parse_duration(interval.trim())
            .ok()
            .and_then(|d| d.to_std().ok())
            .ok_or_else(|| bad("INTERVAL is not a duration"))?;
        if period.is_zero() {
            return Err(bad("INTERVAL must be longer than zero"));
        }
        Ok(Rate { count, period })
    }

    /// Time between calls at the sustained rate, in nanoseconds (at least 1).
    fn emission_ns(self) -> u64 {
        (self.period.as_nanos() / u128::from(self.count)).clamp(1, u128::from(u64::MAX)) as u64
    }
}

/// One limit: a rate and a burst (calls admitted at once from rest; the rate's N by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gcra {
    emission: u64,
    tolerance: u64,
}

/// A refusal: retry after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: Duration,
}

impl Gcra {
    pub fn new(rate: Rate, burst: u32) -> Gcra {
        let emission = rate.emission_ns();
        Gcra { emission, tolerance: emission.saturating_mul(u64::from(burst.max(1) - 1)) }
    }

    /// Admits a call at `now` (ns) against the state `tat`, moving it on success.
    pub fn check(&self, tat: &mut u64, now: u64) -> Result<(), Limited> {
        let start = (*tat).max(now);
        let ahead = start - now;
        if ahead > self.tolerance {
            return Err(Limited { retry_after: Duration::from_nanos(ahead - self.tolerance) });
        }
        *tat = start.saturating_add(self.emission);
        Ok(())
    }

    /// How many calls would be admitted right now, from state `tat`.
    pub fn remaining(&self, tat: u64, now: u64) -> u64 {
        let ahead = tat.saturating_sub(now);
        (self.tolerance + self.emission).saturating_sub(ahead) / self.emission
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: u64 = 1_000_000_000;

    #[test]
    fn parses_rates() {
        assert_eq!(Rate::parse("100/1m").ok(), Some(Rate { count: 100, period: Duration::from_secs(60) }));
        assert_eq!(Rate::parse("5/1s").ok(), Some(Rate { count: 5, period: Duration::from_secs(1) }));
        assert_eq!(Rate::parse("1000/1d").ok(), Some(Rate { count: 1000, period: Duration::from_secs(86_400) }));
        for bad in ["", "5", "0/1s", "x/1s", "5/", "5/never", "-1/1s"] {
            assert!(Rate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn exactly_n_pass_then_the_next_is_refused() {
        let rate = Rate { count: 10, period: Duration::from_secs(1) };
        let g = Gcra::new(rate, 10);
        let mut tat = 0;
        let now = 5 * SEC;
        for i in 0..10 {
            assert!(g.check(&mut tat, now).is_ok(), "call {i}");
        }
        let refused = g.check(&mut tat, now).err();
        assert_eq!(refused.map(|l| l.retry_after), Some(Duration::from_millis(100)));
        assert_eq!(g.remaining(tat, now), 0);
        // One emission interval later exactly one more passes.
        assert!(g.check(&mut tat, now + SEC / 10).is_ok());
        assert!(g.check(&mut tat, now + SEC / 10).is_err());
        // After a full period at rest the whole burst is back.
        assert_eq!(g.remaining(tat, now + 2 * SEC), 10);
    }

    /// No window of length w admits more than burst + ⌊w·n/period⌋, whatever the arrivals.
    #[test]
    fn no_window_admits_more_than_burst_plus_rate() {
        let rate = Rate { count: 7, period: Duration::from_secs(1) };
        for burst in [1u32, 3, 7] {
            let g = Gcra::new(rate, burst);
            // A deterministic, bursty arrival pattern (xorshift).
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15 ^ u64::from(burst);
            let mut now = 0u64;
            let mut tat = 0u64;
            let mut admitted = Vec::new();
            for _ in 0..20_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                now += if x.is_multiple_of(5) { x % (SEC / 2) } else { x % (SEC / 50) };
                if g.check(&mut tat, now).is_ok() {
                    admitted.push(now);
                }
            }
            assert!(admitted.len() > 100);
            for w in [SEC / 10, SEC / 2, SEC, 3 * SEC, 10 * SEC] {
                let cap = u64::from(burst) + w * u64::from(rate.count) / SEC;
                let mut j = 0;
                for i in 0..admitted.len() {
                    while admitted[i] - admitted[j] >= w {
                        j += 1;
                    }
                    let in_window = (i - j + 1) as u64;
                    assert!(in_window <= cap, "burst {burst}, window {w} ns: {in_window} > {cap}");
                }
            }
        }
    }
}
