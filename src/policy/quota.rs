//! Usage quotas: a cumulative number of `tools/call` per calendar period (hour, day, week or
//! month) in a time zone. `Quota::window` finds the period a moment falls in; `Book` holds the
//! counts and admits or refuses a call. Time is passed in, so all of it is pure and tests inject
//! the clock. The gateway persists each admitted call with its activity record and rebuilds the
//! book from those counts when it starts, so a restart never grants a fresh quota.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::model::Invalid;

/// A calendar period. Weeks start on Monday (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Hour,
    Day,
    Week,
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    pub fn parse(raw: &str) -> Option<Period> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "hour" | "hourly" => Some(Period::Hour),
            "day" | "daily" => Some(Period::Day),
            "week" | "weekly" => Some(Period::Week),
            "month" | "monthly" => Some(Period::Month),
            _ => None,
        }
    }
}

/// `N/PERIOD` in a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub count: u64,
    pub period: Period,
    pub tz: Tz,
}

/// The period a moment falls in: `start <= now < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Parses an IANA time zone name (`UTC`, `Europe/Berlin`, `America/New_York`).
pub fn parse_timezone(raw: &str) -> Result<Tz, Invalid> {
    raw.trim().parse::<Tz>().map_err(|_| {
        Invalid(format!("unknown time zone {raw:?} (use an IANA name such as UTC, Europe/Berlin or America/New_York)"))
    })
}

impl Quota {
    /// Parses `1000/day`, `50/hour`, `10000/month` and an optional time zone (UTC by default).
    pub fn parse(raw: &str, timezone: Option<&str>) -> Result<Quota, Invalid> {
        let bad = |why: &str| {
            Invalid(format!(
                "invalid quota {raw:?}: {why} (use N/PERIOD, PERIOD one of hour, day, week, month; e.g. 1000/day)"
            ))
        };
        let (n, period) = raw.split_once('/').ok_or_else(|| bad("no '/'"))?;
        let count: u64 = n.trim().parse().map_err(|_| bad("N is not a whole number"))?;
        if count == 0 {
            return Err(bad("N must be at least 1"));
        }
        if count > i64::MAX as u64 {
            return Err(bad("N is too large"));
        }
        let period = Period::parse(period).ok_or_else(|| bad("unknown PERIOD"))?;
        let tz = timezone.map(parse_timezone).transpose()?.unwrap_or(Tz::UTC);
        Ok(Quota { count, period, tz })
    }

    /// How the quota reads: `1000/day (UTC)`.
    pub fn describe(&self) -> String {
        format!("{}/{} ({})", self.count, self.period.as_str(), self.tz.name())
    }

    /// The period `now` falls in, with its bounds at local midnight (or the hour, the Monday, the
    /// first of the month) in the quota's time zone. A boundary that does not exist locally (a
    /// daylight-saving gap) moves to the first local time after it; one that exists twice takes
    /// the earlier.
    pub fn window(&self, now: DateTime<Utc>) -> Window {
        let local = now.with_timezone(&self.tz).naive_local();
        let date = local.date();
        let (start, next) = match self.period {
            Period::Hour => {
                let start = date.and_hms_opt(local.hour(), 0, 0).unwrap_or(local);
                (start, start + Duration::hours(1))
            }
            Period::Day => (midnight(date), midnight(date + Duration::days(1))),
            Period::Week => {
                let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
                (midnight(monday), midnight(monday + Duration::days(7)))
            }
            Period::Month => {
                let first = date.with_day(1).unwrap_or(date);
                let next = if first.month() == 12 {
                    NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
                };
                (midnight(first), midnight(next.unwrap_or(first + Duration::days(31))))
            }
        };
        let start = self.instant(start).min(now);
        let end = self.instant(next).max(now + Duration::microseconds(1));
        Window { start, end }
    }

    /// The instant a local wall-clock time names in the quota's zone.
    fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let mut t = local;
        // A daylight-saving gap is at most a few hours; step forward until the local time exists.
        for _ in 0..(4 * 24) {
            match self.tz.from_local_datetime(&t) {
                LocalResult::Single(x) => return x.with_timezone(&Utc),
                LocalResult::Ambiguous(earlier, _) => return earlier.with_timezone(&Utc),
                LocalResult::None => t += Duration::minutes(15),
            }
        }
        Utc.from_utc_datetime(&local)
    }
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// Who a count belongs to: a server and a principal (`None`: the server-wide count).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Subject {
    pub server_id: i64,
    /// (auth method, principal name) for a per-principal quota.
    pub principal: Option<(String, String)>,
}

/// One persisted count: calls charged to a subject in the period starting at `start`. The
/// activity journal holds these as the counts a call took.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub subject: Subject,
    pub period: Period,
    #[serde(with = "chrono::serde::ts_microseconds")]
    pub start: DateTime<Utc>,
    pub used: u64,
}

/// A quota that is used up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exhausted {
    pub used: u64,
    /// When the period ends and calls are admitted again.
    pub reset: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy)]
struct Counter {
    period: Period,
    tz: Tz,
    window: Window,
    used: u64,
}

/// The counts the gateway decides from: the current period's count per subject, seeded from
/// the persisted counts at start.
#[derive(Debug, Default)]
pub struct Book {
    current: HashMap<Subject, Counter>,
    /// Counts persisted before this process started, by (subject, period, start).
    carried: HashMap<(Subject, Period, DateTime<Utc>), u64>,
}

impl Book {
    /// A book that continues from persisted counts.
    pub fn new(persisted: impl IntoIterator<Item = Usage>) -> Book {
        let mut carried = HashMap::new();
        for u in persisted {
            *carried.entry((u.subject, u.period, u.start)).or_insert(0) += u.used;
        }
        Book { current: HashMap::new(), carried }
    }

    /// The subject's counter for the period `now` falls in (moving to a new period when the
    /// last one ended or the quota's period or zone changed its bounds).
    fn counter(&mut self, subject: &Subject, quota: &Quota, now: DateTime<Utc>) -> &mut Counter {
        let fresh = |carried: &HashMap<_, u64>| {
            let window = quota.window(now);
            let used = carried.get(&(subject.clone(), quota.period, window.start)).copied().unwrap_or(0);
            Counter { period: quota.period, tz: quota.tz, window, used }
        };
        let entry = self.current.entry(subject.clone()).or_insert_with(|| fresh(&self.carried));
        let current =
            entry.period == quota.period && entry.tz == quota.tz && entry.window.start <= now && now < entry.window.end;
        if !current {
            let next = fresh(&self.carried);
            // The same period under another zone with the same bounds keeps its count.
            let same = entry.period == next.period && entry.window.start == next.window.start;
            *entry = Counter { used: if same { entry.used.max(next.used) } else { next.used }, ..next };
        }
        entry
    }

    /// Whether one more call fits every quota (`(subject, quota)` pairs), without charging.
    pub fn check(&mut self, quotas: &[(Subject, Quota)], now: DateTime<Utc>) -> Result<(), (usize, Exhausted)> {
        for (i, (subject, quota)) in quotas.iter().enumerate() {
            let c = self.counter(subject, quota, now);
            if c.used >= quota.count {
                return Err((i, Exhausted { used: c.used, reset: c.window.end }));
            }
        }
        Ok(())
    }

    /// Charges one call to every quota; returns what to persist (subject, period, start).
    pub fn charge(&mut self, quotas: &[(Subject, Quota)], now: DateTime<Utc>) -> Vec<Usage> {
        quotas
            .iter()
            .map(|(subject, quota)| {
                let c = self.counter(subject, quota, now);
                c.used += 1;
                Usage { subject: subject.clone(), period: c.period, start: c.window.start, used: 1 }
            })
            .collect()
    }

    /// The count of the period `now` falls in and its end (`server show` reads the persisted
    /// counts instead; tests look at the book).
    #[cfg(test)]
    pub fn usage(&mut self, subject: &Subject, quota: &Quota, now: DateTime<Utc>) -> (u64, DateTime<Utc>) {
        let c = self.counter(subject, quota, now);
        (c.used, c.window.end)
    }

    /// Forgets counts of periods that ended before `now` (their subjects start afresh anyway).
    pub fn forget_before(&mut self, now: DateTime<Utc>) {
        self.current.retain(|_, c| c.window.end > now);
        self.carried.retain(|(_, period, start), _| *start + max_length(*period) > now);
    }
}

/// The longest a period can be (a month of 31 days plus a daylight-saving hour).
fn max_length(period: Period) -> Duration {
    match period {
        Period::Hour => Duration::hours(3),
        Period::Day => Duration::hours(26),
        Period::Week => Duration::days(7) + Duration::hours(2),
        Period::Month => Duration::days(31) + Duration::hours(2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn q(raw: &str, tz: Option<&str>) -> Quota {
        Quota::parse(raw, tz).unwrap()
    }

    #[test]
    fn parses_and_refuses() {
        assert_eq!(q("1000/day", None), Quota { count: 1000, period: Period::Day, tz: Tz::UTC });
        assert_eq!(q("5/Hour", Some("Europe/Berlin")).tz, chrono_tz::Europe::Berlin);
        assert_eq!(q("5/month", None).describe(), "5/month (UTC)");
        for bad in ["", "5", "0/day", "x/day", "5/fortnight", "5/1d", "-1/day"] {
            let e = Quota::parse(bad, None).unwrap_err().0;
            assert!(e.contains("invalid quota"), "{bad}: {e}");
        }
        let e = Quota::parse("5/day", Some("Mars/Olympus")).unwrap_err().0;
        assert!(e.contains("unknown time zone \"Mars/Olympus\""), "{e}");
    }

    #[test]
    fn windows_in_zones() {
        let cases = [
            // (quota, tz, now, start, end)
            ("1/hour", "UTC", "2026-11-28T07:59:59Z", "2026-11-28T07:00:00Z", "2026-11-28T08:00:00Z"),
            ("1/day", "UTC", "2026-11-28T00:00:00Z", "2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z"),
            ("1/day", "Europe/Berlin", "2026-11-28T23:30:00Z", "2026-11-28T23:00:00Z", "2026-11-29T23:00:00Z"),
            // Monday to Monday; 2026-11-28 is a Saturday.
            ("1/week", "UTC", "2026-11-28T12:00:00Z", "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z"),
            ("1/month", "UTC", "2026-12-31T23:59:59Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"),
            ("1/month", "UTC", "2028-02-29T10:00:00Z", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z"),
            ("1/month", "America/New_York", "2026-12-01T03:00:00Z", "2026-11-01T04:00:00Z", "2026-12-01T05:00:00Z"),
            // Half-hour offset: hours begin at :30 UTC in Kolkata.
            ("1/hour", "Asia/Kolkata", "2026-11-28T07:10:00Z", "2026-11-28T06:30:00Z", "2026-11-28T07:30:00Z"),
            // Berlin's spring-forward day is 23 hours long, its fall-back day 25.
            ("1/day", "Europe/Berlin", "2026-03-29T12:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"),
            ("1/day", "Europe/Berlin", "2026-10-25T12:00:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"),
            // Spring forward at 02:00 Berlin: the hour 01:00 local runs until 03:00 local.
            ("1/hour", "Europe/Berlin", "2026-03-29T00:30:00Z", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z"),
            // Midnight does not exist in Santiago on the day clocks go forward: the day begins at 01:00.
            ("1/day", "America/Santiago", "2026-09-06T12:00:00Z", "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z"),
        ];
        for (quota, tz, now, start, end) in cases {
            let w = q(quota, Some(tz)).window(at(now));
            assert_eq!((w.start, w.end), (at(start), at(end)), "{quota} {tz} at {now}");
        }
    }

    #[test]
    fn windows_tile_time() {
        // Over three years in several zones, every moment lies in its window and windows meet.
        for tz in
            ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago"]
        {
            for period in ["hour", "day", "week", "month"] {
                let quota = q(&format!("1/{period}"), Some(tz));
                let mut t = at("2025-01-01T00:00:00Z");
                let mut last_end: Option<DateTime<Utc>> = None;
                let step = if period == "hour" { Duration::minutes(37) } else { Duration::hours(7) };
                while t < at("2028-01-01T00:00:00Z") {
                    let w = quota.window(t);
                    assert!(w.start <= t && t < w.end, "{period} {tz} {t}: {w:?}");
                    assert!(w.end - w.start <= max_length(quota.period), "{period} {tz} {t}: {w:?}");
                    if let Some(end) = last_end.filter(|e| *e <= t) {
                        assert_eq!(w.start, end, "{period} {tz}: windows must meet at {t}");
                    }
                    assert_eq!(quota.window(w.start), w, "{period} {tz}: the start belongs to its window");
                    last_end = Some(w.end);
                    t += step;
                }
            }
        }
    }

    #[test]
    fn book_exhausts_and_resets_with_the_period() {
        let quota = q("3/hour", None);
        let server = Subject { server_id: 1, principal: None };
        let quotas = [(server.clone(), quota)];
        let mut book = Book::default();
        let mut now = at("2026-11-28T07:00:00Z");
        for _ in 0..3 {
            assert!(book.check(&quotas, now).is_ok());
            book.charge(&quotas, now);
            now += Duration::seconds(1);
        }
        let (i, e) = book.check(&quotas, now).unwrap_err();
        assert_eq!((i, e.used, e.reset), (0, 3, at("2026-11-28T08:00:00Z")));
        assert!(book.check(&quotas, at("2026-11-28T07:59:59.999999Z")).is_err());
        assert!(book.check(&quotas, at("2026-11-28T08:00:00Z")).is_ok());
        assert_eq!(book.usage(&server, &quota, at("2026-11-28T08:00:00Z")), (0, at("2026-11-28T09:00:00Z")));
    }

    #[test]
    fn book_continues_from_persisted_counts() {
        let quota = q("5/day", None);
        let alice = Subject { server_id: 1, principal: Some(("password".into(), "alice".into())) };
        let persisted = vec![
            Usage { subject: alice.clone(), period: Period::Day, start: at("2026-11-28T00:00:00Z"), used: 4 },
            // Yesterday's count and an hourly count do not carry into today's daily quota.
            Usage { subject: alice.clone(), period: Period::Day, start: at("2026-11-27T00:00:00Z"), used: 5 },
            Usage { subject: alice.clone(), period: Period::Hour, start: at("2026-11-28T00:00:00Z"), used: 5 },
        ];
        let mut book = Book::new(persisted);
        let quotas = [(alice.clone(), quota)];
        let now = at("2026-11-28T12:00:00Z");
        assert!(book.check(&quotas, now).is_ok());
        let charged = book.charge(&quotas, now);
        assert_eq!(charged[0].start, at("2026-11-28T00:00:00Z"));
        assert_eq!(book.check(&quotas, now).unwrap_err().1.used, 5);
        // Per-principal counts are separate.
        let bob = Subject { server_id: 1, principal: Some(("password".into(), "bob".into())) };
        assert!(book.check(&[(bob, quota)], now).is_ok());
    }

    #[test]
    fn a_changed_zone_moves_the_period_at_once() {
        let server = Subject { server_id: 1, principal: None };
        let mut book = Book::default();
        let now = at("2026-11-28T10:00:00Z");
        let utc = q("2/hour", None);
        book.check(&[(server.clone(), utc)], now).unwrap();
        book.charge(&[(server.clone(), utc)], now);
        book.charge(&[(server.clone(), utc)], now);
        // Kolkata's hour began at 09:30 UTC: another period, counted afresh, ending at 10:30.
        let kolkata = q("2/hour", Some("Asia/Kolkata"));
        assert_eq!(book.usage(&server, &kolkata, now), (0, at("2026-11-28T10:30:00Z")));
        // London's hour in winter has the same bounds as UTC's: the count stays.
        let mut book = Book::default();
        book.charge(&[(server.clone(), utc)], now);
        let london = q("2/hour", Some("Europe/London"));
        assert_eq!(book.usage(&server, &london, now), (1, at("2026-11-28T11:00:00Z")));
    }

    #[test]
    fn every_quota_must_fit_and_a_refusal_charges_nothing() {
        let server = Subject { server_id: 1, principal: None };
        let alice = Subject { server_id: 1, principal: Some(("api_token".into(), "alice".into())) };
        let quotas = [(alice.clone(), q("2/day", None)), (server.clone(), q("3/day", None))];
        let mut book = Book::default();
        let now = at("2026-11-28T12:00:00Z");
        for _ in 0..2 {
            book.check(&quotas, now).unwrap();
            book.charge(&quotas, now);
        }
        assert_eq!(book.check(&quotas, now).unwrap_err().0, 0);
        assert_eq!(book.usage(&server, &q("3/day", None), now).0, 2, "the refused call was not charged");
    }
}
