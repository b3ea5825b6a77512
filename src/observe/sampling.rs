//! Refusals of anonymous requests, sampled: per source address and record type, the first
//! refusal of each interval is recorded whole and the rest are counted into one summary record
//! when the interval ends. Anyone who can reach the port can send refusals, so recording each
//! one would let an anonymous client fill the disk; with sampling, one source costs the log at
//! most two records per record type per [`INTERVAL`].
//!
//! "Anonymous" means no credential was accepted: the request names no principal. Refusals of
//! authenticated callers are always recorded one by one.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::activity::Draft;

/// How long one sampling window lasts.
pub const INTERVAL: Duration = Duration::from_secs(60);
/// Windows kept at once; past this, new sources share one window (the unspecified address).
pub const MAX_SOURCES: usize = 4096;

/// Where refusals are counted: the client's address (an IPv6 client by its /64, which one
/// host usually holds whole) and the record type.
type Key = (IpAddr, &'static str);

#[derive(Debug)]
struct Window {
    started: Instant,
    /// Refusals counted but not recorded in this window.
    suppressed: u64,
    /// The last of them, as the summary's model (capped: `Draft::kept`).
    last: Option<Draft>,
}

/// The sampler of anonymous refusals.
#[derive(Debug, Default)]
pub struct Refusals {
    windows: Mutex<HashMap<Key, Window>>,
}

impl Refusals {
    /// Whether a refusal described by `draft` is recorded now; if not, it is counted for its
    /// window's summary. Refusals of known principals are always recorded.
    pub fn record_now(&self, draft: &Draft, now: Instant) -> bool {
        if draft.principal.is_some() {
            return true;
        }
        let ip = draft.client_ip.map_or(IpAddr::from([0u8; 4]), source_of);
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut key = (ip, draft.kind);
        if !windows.contains_key(&key) && windows.len() >= MAX_SOURCES {
            key = (IpAddr::from([0u8; 16]), draft.kind);
        }
        match windows.get_mut(&key) {
            Some(w) if now.duration_since(w.started) < INTERVAL => {
                w.suppressed += 1;
                w.last = Some(draft.kept());
                false
            }
            // A window that ended with suppressed refusals waits for `due` to summarise it.
            Some(w) if w.suppressed > 0 => {
                w.suppressed += 1;
                w.last = Some(draft.kept());
                false
            }
            _ => {
                windows.insert(key, Window { started: now, suppressed: 0, last: None });
                true
            }
        }
    }

    /// The summary records of windows that ended by `now` (all of them with `all`, at
    /// shutdown); ended windows are forgotten.
    pub fn due(&self, now: Instant, all: bool) -> Vec<Draft> {
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut summaries = Vec::new();
        windows.retain(|(ip, _), w| {
            let ended = all || now.duration_since(w.started) >= INTERVAL;
            if !ended {
                return true;
            }
            if let Some(mut d) = w.last.take() {
                let seconds = now.duration_since(w.started).as_secs().max(1);
                let n = w.suppressed;
                let from =
                    if ip.is_unspecified() { "sources past the sampling table's size".into() } else { ip.to_string() };
                d.error = Some((
                    d.error.as_ref().map_or(0, |e| e.0),
                    format!("{n} more refusals of this type from {from} in {seconds} s, recorded as this one summary"),
                ));
                d.params = Some(format!("{{\"suppressed\":{n},\"seconds\":{seconds}}}"));
                d.method = None;
                summaries.push(d);
            }
            false
        });
        summaries
    }
}

/// The address a refusal is counted under.
fn source_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let mut s = v6.segments();
            s[4..].fill(0);
            IpAddr::from(s)
        }
        IpAddr::V6(v6) => IpAddr::V4(v6.to_ipv4_mapped().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anonymous(ip: &str) -> Draft {
        let mut d = Draft::new("auth_failure", crate::clock::Clock::system().now());
        d.client(ip.parse().unwrap());
        d.error = Some((-32000, "Unauthorized".into()));
        d
    }

    #[test]
    fn one_record_per_window_then_one_summary() {
        let r = Refusals::default();
        let t0 = Instant::now();
        assert!(r.record_now(&anonymous("192.0.2.1"), t0));
        for i in 0..999 {
            assert!(!r.record_now(&anonymous("192.0.2.1"), t0 + Duration::from_millis(i)));
        }
        // Another source and another type have windows of their own.
        assert!(r.record_now(&anonymous("192.0.2.2"), t0));
        let mut denied = anonymous("192.0.2.1");
        denied.kind = "denied";
        assert!(r.record_now(&denied, t0));
        assert!(r.due(t0 + Duration::from_secs(1), false).is_empty(), "nothing ends early");
        let summaries = r.due(t0 + INTERVAL, false);
        assert_eq!(summaries.len(), 1);
        assert_eq!(summaries[0].params.as_deref(), Some("{\"suppressed\":999,\"seconds\":60}"));
        assert!(summaries[0].error.as_ref().unwrap().1.starts_with("999 more refusals"));
        // The next window starts with a recorded refusal again.
        assert!(r.record_now(&anonymous("192.0.2.1"), t0 + INTERVAL));
    }

    #[test]
    fn principals_are_always_recorded_and_ipv6_counts_by_its_64() {
        let r = Refusals::default();
        let t0 = Instant::now();
        let mut known = anonymous("192.0.2.1");
        known.principal = Some("alice".into());
        assert!((0..10).all(|_| r.record_now(&known, t0)));
        assert!(r.record_now(&anonymous("2001:db8:1:2::1"), t0));
        assert!(!r.record_now(&anonymous("2001:db8:1:2:ffff::9"), t0), "same /64");
        assert!(r.record_now(&anonymous("2001:db8:1:3::1"), t0), "another /64");
    }

    #[test]
    fn a_window_keeps_capped_texts_only() {
        let r = Refusals::default();
        let t0 = Instant::now();
        let mut big = anonymous("192.0.2.1");
        big.server = Some("n".repeat(30_000));
        big.user_agent = Some("u".repeat(30_000));
        big.params = Some("p".repeat(30_000));
        assert!(r.record_now(&big, t0));
        assert!(!r.record_now(&big, t0));
        let windows = r.windows.lock().unwrap();
        let kept = windows.values().next().unwrap().last.as_ref().unwrap();
        assert!(kept.server.as_ref().unwrap().len() < 200 && kept.user_agent.as_ref().unwrap().len() < 300);
        assert!(kept.params.is_none());
    }

    #[test]
    fn the_table_is_bounded() {
        let r = Refusals::default();
        let t0 = Instant::now();
        for i in 0..(MAX_SOURCES as u32 + 500) {
            r.record_now(&anonymous(&std::net::Ipv4Addr::from(0x0a00_0000 + i).to_string()), t0);
        }
        assert!(r.windows.lock().unwrap().len() <= MAX_SOURCES + 1);
        let summaries = r.due(t0, true);
        assert_eq!(summaries.len(), 1, "the overflow window summarises 499 refusals");
        assert!(summaries[0].params.as_deref().unwrap().contains("\"suppressed\":499"));
    }
}
