//! What a sink sends next: the events after its positions, read from `activity.db` (records by
//! id, filtered) and `state.db` (audit entries by id), and rendered into one batch of bytes:
//! syslog frames or datagrams, or one HTTP request's body, cut at its size limit. Runs on a
//! blocking thread.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::encode::Encoder;
use super::format::{Body, Event, MAX_DATAGRAM, Origin, frame};
use crate::model::{ActivityFilter, SiemFormat, SiemKind, SiemStream};
use crate::store::activity::Condition;
use crate::store::siem::SinkRow;
use crate::store::{self, Db, OpenOptions, Schema, StoreError};

/// Events per batch, and activity ids looked at per read (a filter that matches few records
/// still moves the position along).
pub const BATCH: usize = 1000;
/// Windows of [`BATCH`] ids one read walks at most before it returns.
const WINDOWS: usize = 20;

/// A sink's positions: the last activity record id and audit entry id taken, and how many of
/// the records lost to retention were reported by a gap event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Positions {
    pub activity: i64,
    pub audit: i64,
    pub lost_reported: i64,
}

/// A batch: the bytes to send (stream-framed, one datagram each, or an HTTP request's body), how
/// many events of each stream, and the positions once it is acknowledged.
#[derive(Debug, Default)]
pub struct Batch {
    pub bytes: Vec<u8>,
    pub datagrams: Vec<Vec<u8>>,
    pub activity: i64,
    pub audit: i64,
    pub next: Positions,
    /// At most [`BATCH`] events were read: more may be waiting.
    pub full: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty() && self.datagrams.is_empty()
    }
}

/// A sink's view of both databases.
#[derive(Debug)]
pub struct Reader {
    activity_db: Db,
    state_db: Db,
    sink_id: i64,
    streams: Vec<SiemStream>,
    conditions: Vec<Condition>,
    format: SiemFormat,
    /// The request body of an HTTP kind; `None` for syslog.
    encoder: Option<Encoder>,
    origin: Origin,
}

impl Reader {
    pub fn open(
        state: &Path,
        activity: &Path,
        options: OpenOptions,
        sink: &SinkRow,
        origin: Origin,
    ) -> Result<Reader, String> {
        let filter: ActivityFilter = serde_json::from_str(&sink.filter).unwrap_or_default();
        Ok(Reader {
            activity_db: Db::open(activity, Schema::Activity, options).map_err(|e| e.to_string())?,
            state_db: Db::open(state, Schema::State, options).map_err(|e| e.to_string())?,
            sink_id: sink.id,
            streams: crate::ops::siem::streams_of(sink),
            conditions: store::activity::filter_conditions(&filter).map_err(|e| e.0)?,
            format: SiemFormat::parse(&sink.format).unwrap_or(SiemFormat::Rfc5424),
            encoder: Encoder::for_kind(
                SiemKind::parse(&sink.kind).unwrap_or_default(),
                &crate::ops::siem::options_of(sink),
            ),
            origin,
        })
    }

    /// The acknowledged positions, creating the cursors at the sink's start when it has none.
    pub fn start(&mut self, sink: &SinkRow) -> Result<Positions, String> {
        let id = self.sink_id;
        self.activity_db
            .write(|tx| {
                let e =
                    |e: store::SqliteError| store::SqlError::from(e).at(Path::new("activity.db"), Default::default());
                store::siem::start_cursor(tx, id, "activity", sink.activity_start).map_err(e)?;
                store::siem::start_cursor(tx, id, "audit", sink.audit_start).map_err(e)?;
                let a = store::siem::cursor(tx, id, "activity").map_err(e)?.unwrap_or_default();
                let b = store::siem::cursor(tx, id, "audit").map_err(e)?.unwrap_or_default();
                Ok::<_, StoreError>(Positions {
                    activity: a.position,
                    audit: b.position,
                    lost_reported: a.lost_reported,
                })
            })
            .map_err(|e| e.to_string())
    }

    /// Reads and renders the events after `after`; `now` is when (an OTLP record's observed
    /// time).
    pub fn next(&mut self, after: Positions, datagrams: bool, now: DateTime<Utc>) -> Result<Batch, String> {
        let mut events = Vec::new();
        let mut next = after;
        let mut full = false;
        if self.streams.contains(&SiemStream::Activity) {
            let (conditions, id) = (&self.conditions, self.sink_id);
            let (rows, upto, last, lost) = self
                .activity_db
                .read_sql(|tx| {
                    let (last, _) = store::activity::ids(tx)?;
                    let mut rows = Vec::new();
                    let mut upto = after.activity;
                    for _ in 0..WINDOWS {
                        if upto >= last || rows.len() >= BATCH {
                            break;
                        }
                        let hi = last.min(upto + BATCH as i64);
                        rows.extend(store::activity::between(tx, conditions, upto, hi)?);
                        upto = hi;
                    }
                    let lost = store::siem::cursor(tx, id, "activity")?.map_or(0, |c| c.lost);
                    Ok((rows, upto, last, lost))
                })
                .map_err(|e| e.to_string())?;
            let reported = after.lost_reported;
            if lost > reported {
                let time = rows.first().map(|r| r.time.clone()).unwrap_or_default();
                events.push(Event {
                    stream: SiemStream::Activity,
                    seq: lost,
                    body: Body::Gap { lost: lost - reported, time },
                });
                next.lost_reported = lost;
            }
            full = rows.len() >= BATCH || upto < last;
            next.activity = upto;
            events.extend(rows.into_iter().map(|r| Event {
                stream: SiemStream::Activity,
                seq: r.id,
                body: Body::Activity(Box::new(r)),
            }));
        }
        if self.streams.contains(&SiemStream::Audit) && events.len() < BATCH {
            let room = (BATCH - events.len()) as i64;
            let entries =
                self.state_db.read_sql(|tx| store::audit::after(tx, after.audit, room)).map_err(|e| e.to_string())?;
            if entries.len() as i64 == room {
                full = true;
            }
            if let Some(last) = entries.last() {
                next.audit = last.id;
            }
            events.extend(entries.into_iter().map(|e| Event {
                stream: SiemStream::Audit,
                seq: e.id,
                body: Body::Audit(Box::new(e)),
            }));
        }
        let mut bytes = Vec::new();
        let mut taken = events.len();
        if let Some(encoder) = &self.encoder {
            // One request's body: as many events as fit its limit; the positions stop after the
            // last one taken, and the rest come in the next batch.
            let mut body = encoder.body(&self.origin, now);
            taken = events.iter().take_while(|e| body.push(e)).count();
            bytes = body.finish();
            if taken < events.len() {
                full = true;
                let last = |stream: SiemStream| {
                    events[..taken]
                        .iter()
                        .filter(|e| e.stream == stream && !matches!(e.body, Body::Gap { .. }))
                        .map(|e| e.seq)
                        .next_back()
                };
                if events[taken..].iter().any(|e| matches!(e.body, Body::Activity(_))) {
                    next.activity = last(SiemStream::Activity).unwrap_or(after.activity);
                    next.audit = after.audit;
                } else {
                    next.audit = last(SiemStream::Audit).unwrap_or(after.audit);
                }
            }
        }
        let events = &events[..taken];
        let count = |audit: bool| {
            events
                .iter()
                .filter(|e| matches!(e.body, Body::Audit(_)) == audit && !matches!(e.body, Body::Gap { .. }))
                .count() as i64
        };
        let mut batch = Batch { bytes, next, full, activity: count(false), audit: count(true), ..Batch::default() };
        for event in events.iter().filter(|_| self.encoder.is_none()) {
            if datagrams {
                batch.datagrams.push(event.render(self.format, &self.origin, Some(MAX_DATAGRAM)));
            } else {
                frame(self.format, &event.render(self.format, &self.origin, None), &mut batch.bytes);
            }
        }
        if events.is_empty() && next != after {
            // Nothing matched in the ids walked: the positions still move on.
            batch.full = true;
        }
        Ok(batch)
    }

    /// Notes that the receiver acknowledged events up to `upto` (`activity` and `audit` of
    /// them), at `now`.
    pub fn acknowledge(&mut self, upto: Positions, activity: i64, audit: i64, now: &str) -> Result<(), String> {
        let id = self.sink_id;
        self.activity_db
            .write(|tx| {
                let e =
                    |e: store::SqliteError| store::SqlError::from(e).at(Path::new("activity.db"), Default::default());
                store::siem::advance(tx, id, "activity", upto.activity, activity, upto.lost_reported).map_err(e)?;
                store::siem::advance(tx, id, "audit", upto.audit, audit, 0).map_err(e)?;
                if activity + audit > 0 {
                    store::siem::set_delivered(tx, id, now).map_err(e)?;
                }
                Ok::<_, StoreError>(())
            })
            .map_err(|e| e.to_string())
    }

    /// Records the sink's state, and an error when there is one.
    pub fn report(&mut self, state: &str, error: Option<&str>, now: &str) {
        let id = self.sink_id;
        let written = self.activity_db.write(|tx| {
            let e = |e: store::SqliteError| store::SqlError::from(e).at(Path::new("activity.db"), Default::default());
            match error {
                Some(message) => store::siem::set_error(tx, id, message, now).map_err(e),
                None => store::siem::set_state(tx, id, state, now).map_err(e),
            }
        });
        if let Err(e) = written {
            tracing::warn!(sink = id, error = %e, "cannot record a SIEM sink's state");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::path::PathBuf;

    use super::*;

    /// An HTTP request's body stops at its limit: the positions stop after the last event it
    /// took, and the next batch starts with the rest, so each event goes exactly once.
    #[test]
    fn http_bodies_stop_at_their_limit_and_the_next_batch_resumes_after_them() {
        let dir = tempfile::tempdir().unwrap();
        let (state, activity) = (dir.path().join("state.db"), dir.path().join("activity.db"));
        let sink = SinkRow {
            id: 4,
            name: "splunk".into(),
            kind: "hec".into(),
            url: "https://127.0.0.1:8088/services/collector/event".into(),
            format: "json".into(),
            ca_pem: None,
            streams: r#"["activity"]"#.into(),
            filter: "{}".into(),
            options: r#"{"index":"main"}"#.into(),
            secret_sealed: None,
            start_from: "beginning".into(),
            activity_start: 0,
            audit_start: 0,
            paused: false,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let origin = Origin { instance: "i".into(), host: "h".into(), pid: 1, version: "0" };
        let mut reader = Reader::open(&state, &activity, OpenOptions::default(), &sink, origin).unwrap();
        let start = reader.start(&sink).unwrap();
        let mut db = Db::open(&activity, Schema::Activity, OpenOptions::default()).unwrap();
        db.write(|tx| {
            let e = |e: store::SqliteError| StoreError::Other { path: PathBuf::new(), detail: e.to_string() };
            for id in 1..=3 {
                let row = store::activity::NewRow {
                    time: "2026-01-01T00:00:00.000000Z".into(),
                    kind: "tool_call".into(),
                    level: "info".into(),
                    status: "success".into(),
                    trace_id: format!("{id:032x}"),
                    input: Some(format!("{{\"q\":\"{}\"}}", "x".repeat(300_000))),
                    ..Default::default()
                };
                store::activity::insert(tx, id, &row).map_err(e)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
        let now = crate::clock::Clock::system().now();
        let first = reader.next(start, false, now).unwrap();
        assert!(first.bytes.len() <= super::super::encode::HEC_MAX_BODY, "{}", first.bytes.len());
        assert_eq!((first.activity, first.next.activity, first.full), (2, 2, true));
        let second = reader.next(first.next, false, now).unwrap();
        assert_eq!((second.activity, second.next.activity), (1, 3));
        let text = String::from_utf8(second.bytes).unwrap();
        let event: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!((event["index"].as_str(), event["event"]["id"].as_i64()), (Some("main"), Some(3)));
        assert!(reader.next(second.next, false, now).unwrap().is_empty());
    }

    /// Records lost to retention come out as one gap event before the next records, once.
    #[test]
    fn losses_become_one_gap_event() {
        let dir = tempfile::tempdir().unwrap();
        let (state, activity) = (dir.path().join("state.db"), dir.path().join("activity.db"));
        let sink = SinkRow {
            id: 3,
            name: "soc".into(),
            kind: "syslog".into(),
            url: "tcp://127.0.0.1:1".into(),
            format: "json".into(),
            ca_pem: None,
            streams: r#"["activity"]"#.into(),
            filter: "{}".into(),
            options: "{}".into(),
            secret_sealed: None,
            start_from: "beginning".into(),
            activity_start: 0,
            audit_start: 0,
            paused: false,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let origin = Origin { instance: "i".into(), host: "h".into(), pid: 1, version: "0" };
        let mut reader = Reader::open(&state, &activity, OpenOptions::default(), &sink, origin).unwrap();
        let start = reader.start(&sink).unwrap();
        let mut db = Db::open(&activity, Schema::Activity, OpenOptions::default()).unwrap();
        db.write(|tx| {
            let e = |e: store::SqliteError| StoreError::Other { path: PathBuf::new(), detail: e.to_string() };
            store::siem::count_losses(tx, "[1, 2, 3, 4, 5]", "2026-01-01T00:00:00.000000Z").map_err(e)
        })
        .unwrap();
        let batch = reader.next(start, false, crate::clock::Clock::system().now()).unwrap();
        let text = String::from_utf8(batch.bytes).unwrap();
        let event: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!((event["type"].as_str(), event["lost"].as_i64()), (Some("siem_gap"), Some(5)), "{text}");
        assert_eq!(event["event_id"], "i:activity:gap-5");
        assert_eq!((batch.next.lost_reported, batch.activity), (5, 0));
        reader.acknowledge(batch.next, 0, 0, "2026-01-01T00:00:00.000000Z").unwrap();
        assert!(
            reader.next(batch.next, false, crate::clock::Clock::system().now()).unwrap().is_empty(),
            "reported once"
        );
    }
}
