//! Durations typed by operators (`30d`, `1h30m`) and points in time (`--since 1h` or RFC 3339).

use chrono::{DateTime, Duration, Utc};

use super::Invalid;

/// Parses `<number><unit>` pairs, units `s m h d w`: `90s`, `1h30m`, `30d`. Zero is refused.
pub fn parse_duration(raw: &str) -> Result<Duration, Invalid> {
    let bad = |why: &str| Invalid(format!("invalid duration {raw:?}: {why} (examples: 90s, 15m, 1h30m, 30d, 2w)"));
    if raw.is_empty() {
        return Err(bad("it is empty"));
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    for c in raw.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(bad(&format!("unknown unit {c:?}"))),
        };
        if digits.is_empty() {
            return Err(bad("a unit without a number"));
        }
        let n: i64 = digits.parse().map_err(|_| bad("number too large"))?;
        total = n.checked_mul(unit).and_then(|s| total.checked_add(s)).ok_or_else(|| bad("too large"))?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(bad("a number without a unit"));
    }
    if total == 0 {
        return Err(bad("it must be longer than zero"));
    }
    // 100 years is far beyond any sensible expiry or look-back and keeps date arithmetic safe.
    if total > 100 * 366 * 86_400 {
        return Err(bad("longer than 100 years"));
    }
    Ok(Duration::seconds(total))
}

/// Parses a look-back (`1h` = one hour before `now`) or an absolute RFC 3339 time.
pub fn parse_since(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Invalid> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    match parse_duration(raw) {
        Ok(d) => Ok(now - d),
        Err(_) => Err(Invalid(format!(
            "invalid time {raw:?}: give a duration before now (15m, 1h, 7d) or an RFC 3339 time (2026-11-28T09:00:00Z)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::seconds(90));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::seconds(5400));
        assert_eq!(parse_duration("30d").unwrap(), Duration::days(30));
        assert_eq!(parse_duration("2w").unwrap(), Duration::days(14));
        for bad in ["", "0d", "10", "d", "1y", "1.5h", "-1h", "99999999999999999999s", "40000d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn since() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(parse_since("1h", now).unwrap().to_rfc3339(), "2026-11-28T11:00:00+00:00");
        assert_eq!(parse_since("2026-01-01T00:00:00+01:00", now).unwrap().to_rfc3339(), "2025-12-31T23:00:00+00:00");
        assert!(parse_since("yesterday", now).unwrap_err().0.contains("RFC 3339"));
    }
}
