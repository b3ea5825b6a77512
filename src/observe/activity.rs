//! The activity log's recorder, through which the gateway records. A request appends its
//! finished record (redacted and capped here, on the request path) to the activity journal, one
//! `write` (see [`super::journal`]), and its answer is released after that; one writer thread
//! (see `super::writer`) moves journal entries into `activity.db` in batches (group commit),
//! noting in the same transaction how far it got.
//!
//! Architecture invariant: a response the gateway sends is released only after the record
//! describing it is in the journal, so a crash (even `kill -9`) cannot lose a call a client saw
//! answered: entries not yet in the database are written when the log is next opened. If the
//! journal or the database cannot be written (disk full, I/O error), the gateway refuses new
//! calls with a clear error instead of serving unlogged ones, and probes until writes work.
//! Readers see a record once the writer has moved it, a few milliseconds after the answer (it
//! lets a batch gather for 5 ms); `mcpcp logs` waits for that (`Env::open_activity` in `cli`).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use tokio::sync::oneshot;

pub use super::draft::{Draft, Step, kind_of, new_trace_id};
use super::journal::Journal;
use super::metrics::{COMMIT_SECONDS, Histogram};
use super::redact::Redactor;
use super::shape::Shaper;
pub use super::shape::{MAX_ERROR_BYTES, MAX_INPUT_BYTES, MAX_NAME_BYTES, MAX_USER_AGENT_BYTES};
use super::writer::{Job, USAGE_KEPT, Writer, note_failure, open_journal, usage_of_row};
pub use super::writer::{journal_end, journal_position, write_journal};
use crate::clock::Clock;
use crate::model::CaptureMode;
use crate::policy::quota::Usage;
use crate::store::{self, Db, OpenOptions, Schema, StoreError};

/// WAL length (frames of one page) past which the writer finishes the checkpoint itself so the
/// WAL restarts from the top: 4096 frames of 4 KiB are 16 MiB.
const WAL_CATCH_UP_FRAMES: i64 = 4096;
/// Journal entries not yet in the database past which new records are refused (the writer
/// is far behind: the database is failing or much slower than the requests).
const MAX_BACKLOG: usize = 65_536;

/// Settings of the writer.
#[derive(Debug, Clone)]
pub struct Options {
    pub retention_days: u32,
    pub max_output_bytes: usize,
    pub redact_keys: Vec<String>,
    pub open: OpenOptions,
    /// The wall clock of retention, write probes and the quota counts read at start (the
    /// gateway's).
    pub clock: Clock,
}

/// The handle the gateway records through. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct Recorder {
    tx: mpsc::Sender<Job>,
    failure: Arc<Mutex<Option<String>>>,
    /// The quota counts of recent periods, as persisted when the recorder started.
    usage_at_start: Arc<Vec<Usage>>,
    shaper: Arc<Shaper>,
    journal: Arc<Journal>,
    /// Journal entries not yet written into the database.
    backlog: Arc<AtomicUsize>,
    /// Notified by the writer after each batch written.
    drained: Arc<tokio::sync::Notify>,
    /// How long the writer's transactions take (for the metrics).
    commit_seconds: Histogram,
    /// Records retention keeps for a SIEM sink that has not delivered them (`siem.max_backlog`).
    siem_max_backlog: Arc<AtomicU64>,
    /// Dropped with the last clone: tells the checkpointer to stop.
    _alive: Arc<()>,
    /// `activity.db`, for readers (the admin API).
    path: Arc<std::path::PathBuf>,
    /// Where each record's spans are exported, when a collector is configured.
    spans: Option<super::otlp::Spans>,
}

/// The default of `siem.max_backlog`.
pub const DEFAULT_SIEM_MAX_BACKLOG: u64 = 10_000_000;

impl Recorder {
    /// Opens `activity.db` (migrating it), writes into it the journal entries a previous run
    /// left unwritten, and starts the writer thread.
    pub fn start(path: &Path, options: Options) -> Result<Recorder, StoreError> {
        let mut db = Db::open(path, Schema::Activity, options.open)?;
        // The writer inserts into several indexes of a growing table: a larger page cache keeps
        // their hot pages in memory, and rarer checkpoints keep commits cheap.
        db.tune_for_appends()?;
        let (journal, leftover) = open_journal(&mut db)?;
        let (last_id, recent) = db.read_sql(|tx| store::activity::ids(tx))?;
        let since = store::timestamp(options.clock.now() - USAGE_KEPT);
        let usage_at_start = db
            .read_sql(|tx| store::activity::usage_since(tx, &since))?
            .into_iter()
            .filter_map(|row| usage_of_row(&row))
            .collect();
        let (tx, rx) = mpsc::channel();
        let failure = Arc::new(Mutex::new(None));
        let catch_up = Arc::new(AtomicBool::new(false));
        let journal = Arc::new(journal);
        let backlog = Arc::new(AtomicUsize::new(0));
        let drained = Arc::new(tokio::sync::Notify::new());
        let commit_seconds = Histogram::new(COMMIT_SECONDS);
        let siem_max_backlog = Arc::new(AtomicU64::new(DEFAULT_SIEM_MAX_BACKLOG));
        let mut writer = Writer {
            siem_max_backlog: siem_max_backlog.clone(),
            drained: drained.clone(),
            commit_seconds: commit_seconds.clone(),
            db,
            catch_up: catch_up.clone(),
            failure: failure.clone(),
            retention: chrono::Duration::days(i64::from(options.retention_days)),
            clock: options.clock.clone(),
            next_id: last_id + 1,
            recent,
            fold_failed: None,
            journal: journal.clone(),
            backlog: backlog.clone(),
            unwritten: Vec::new(),
            retired: Vec::new(),
        };
        writer.retire_all(leftover);
        std::thread::Builder::new().name("mcpcp-activity".into()).spawn(move || writer.run(&rx)).map_err(|e| {
            StoreError::Other { path: path.to_path_buf(), detail: format!("cannot start the writer: {e}") }
        })?;
        // Checkpoints run beside the writer, so a batch rarely pays for one. Under sustained
        // writes they never catch up with the end of the WAL, and the WAL only starts again
        // from the top once all of it was copied: when it has grown past
        // `WAL_CATCH_UP_FRAMES`, the writer copies the last few frames itself between two
        // batches (nothing can be appended meanwhile). The thread ends with the recorder.
        let mut checkpointer = Db::open(path, Schema::Activity, options.open)?;
        let alive = Arc::new(());
        let watch = Arc::downgrade(&alive);
        let long_wal = catch_up.clone();
        std::thread::Builder::new()
            .name("mcpcp-checkpoint".into())
            .spawn(move || {
                while watch.upgrade().is_some() {
                    std::thread::sleep(Duration::from_millis(200));
                    match checkpointer.checkpoint() {
                        Ok((frames, _)) if frames > WAL_CATCH_UP_FRAMES => {
                            long_wal.store(true, Ordering::Relaxed);
                        }
                        Ok(_) => {}
                        Err(e) => tracing::debug!(error = %e, "activity checkpoint skipped"),
                    }
                }
            })
            .map_err(|e| StoreError::Other {
                path: path.to_path_buf(),
                detail: format!("cannot start the checkpointer: {e}"),
            })?;
        Ok(Recorder {
            tx,
            failure,
            usage_at_start: Arc::new(usage_at_start),
            shaper: Arc::new(Shaper {
                redactor: Redactor::new(&options.redact_keys),
                max_output: options.max_output_bytes,
            }),
            journal,
            backlog,
            drained,
            commit_seconds,
            siem_max_backlog,
            _alive: alive,
            path: Arc::new(path.to_path_buf()),
            spans: None,
        })
    }

    /// Where `activity.db` is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Journal entries not yet written into the database.
    pub fn backlog(&self) -> usize {
        self.backlog.load(Ordering::Relaxed)
    }

    /// The durations of the writer's transactions (each writes a batch of entries).
    pub fn commit_seconds(&self) -> Histogram {
        self.commit_seconds.clone()
    }

    /// Exports the spans of every record from now on (`observe::otlp`).
    pub fn with_spans(mut self, spans: super::otlp::Spans) -> Recorder {
        self.spans = Some(spans);
        self
    }

    /// The span exporter, when one is configured (its counts: `Spans::stats`, `dropped_spans`).
    pub fn spans(&self) -> Option<&super::otlp::Spans> {
        self.spans.as_ref()
    }

    /// Sets how many records retention keeps for a SIEM sink that has not delivered them: past
    /// that many, it deletes them and the sink's cursor counts them lost (`siem.max_backlog`).
    pub fn set_siem_max_backlog(&self, records: u64) {
        self.siem_max_backlog.store(records, Ordering::Relaxed);
    }

    /// The quota counts persisted before this recorder started (periods of the last 40 days).
    pub fn usage_at_start(&self) -> &[Usage] {
        &self.usage_at_start
    }

    /// Why records cannot be written now, if they cannot.
    pub fn check(&self) -> Result<(), String> {
        match self.failure.lock().map(|f| f.clone()) {
            Ok(None) => Ok(()),
            Ok(Some(e)) => Err(e),
            Err(_) => Err("activity log writer state poisoned".into()),
        }
    }

    /// Records: the draft is finished here (redacted, capped) and appended to the journal, with
    /// the quota counts it took. When this returns `Ok`, the record survives a crash.
    ///
    /// When the writer is far behind ([`MAX_BACKLOG`] entries), this waits for it to catch up
    /// first (up to 10 s), so requests slow to the pace of the database rather than fail.
    pub async fn commit(&self, draft: Draft) -> Result<(), String> {
        // The usual case: a place is free, and no clock or notification is needed.
        if self.reserve() {
            return self.record(draft, false);
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let drained = self.drained.notified();
            if self.reserve() {
                break;
            }
            self.check()?;
            if tokio::time::timeout_at(deadline, drained).await.is_err() {
                return Err(self.behind());
            }
        }
        self.record(draft, false)
    }

    /// Shapes what the record of `draft` takes from the request (its time and redacted inputs)
    /// ahead of the commit; called while the upstream works on the request. The draft's kind
    /// and params must be final.
    pub fn prepare(&self, draft: &mut Draft) {
        self.shaper.prepare(draft);
    }

    /// Takes a place in the backlog, if there is one.
    fn reserve(&self) -> bool {
        if self.backlog.fetch_add(1, Ordering::AcqRel) < MAX_BACKLOG {
            return true;
        }
        self.backlog.fetch_sub(1, Ordering::AcqRel);
        false
    }

    fn behind(&self) -> String {
        format!(
            "activity log unavailable: {} records wait to be written into activity.db",
            self.backlog.load(Ordering::Relaxed)
        )
    }

    /// Appends the record of a draft, in a place in the backlog taken by [`Self::reserve`], and
    /// hands its spans to the exporter once it is appended. `event`: not a request's record.
    fn record(&self, mut draft: Draft, event: bool) -> Result<(), String> {
        let usage = std::mem::take(&mut draft.charges);
        let pending = self.spans.as_ref().and_then(|_| super::otlp::Pending::of(&draft, event));
        let row = (draft.capture != CaptureMode::Off).then(|| self.shaper.row(draft));
        let call = pending.zip(row.as_ref()).and_then(|(p, row)| p.call(row));
        if row.is_none() && usage.is_empty() {
            self.backlog.fetch_sub(1, Ordering::AcqRel);
            return Ok(());
        }
        let tx = &self.tx;
        let appended = self.journal.append(row, usage, |entry| {
            // The writer only stops when every recorder is gone.
            let _ = tx.send(Job::Record(Box::new(entry)));
        });
        if let Err(e) = appended {
            self.backlog.fetch_sub(1, Ordering::AcqRel);
            let e = format!("activity log unavailable: {e}");
            note_failure(&self.failure, Some(e.clone()));
            return Err(e);
        }
        if let (Some(spans), Some(call)) = (&self.spans, call) {
            spans.offer(call);
        }
        Ok(())
    }

    /// Appends an empty entry to the journal, in order with the records.
    fn probe_journal(&self) -> Result<(), String> {
        if !self.reserve() {
            return Err(self.behind());
        }
        let tx = &self.tx;
        self.journal
            .append(None, Vec::new(), |entry| {
                let _ = tx.send(Job::Record(Box::new(entry)));
            })
            .map_err(|e| {
                self.backlog.fetch_sub(1, Ordering::AcqRel);
                format!("activity log unavailable: {e}")
            })
    }

    /// Records without waiting for anything (for events no response depends on, such as a
    /// session the gateway ended).
    pub fn detached(&self, draft: Draft) {
        if !self.reserve() {
            tracing::warn!(error = %self.behind(), "an event record was dropped");
            return;
        }
        if let Err(e) = self.record(draft, true) {
            tracing::warn!(error = %e, "an event record was dropped");
        }
    }

    /// Waits until every record appended so far is written into the database.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.tx.send(Job::Barrier(done)).is_ok() {
            let _ = written.await;
        }
    }

    /// Background upkeep: retention every minute, and a write probe every 500 ms while writes
    /// fail. Runs until the writer stops.
    pub async fn maintain(self) {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        let mut since_prune = Duration::from_secs(60);
        loop {
            tick.tick().await;
            since_prune += Duration::from_millis(500);
            // A probe: the journal takes an entry (one without a record or count, which
            // changes nothing when written), then the database a write.
            if self.check().is_err() {
                match self.probe_journal() {
                    Ok(()) if self.tx.send(Job::Probe).is_err() => return,
                    Ok(()) => {}
                    Err(e) => note_failure(&self.failure, Some(e)),
                }
            }
            if since_prune >= Duration::from_secs(60) {
                since_prune = Duration::ZERO;
                if self.tx.send(Job::Prune).is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::observe::journal;
    use crate::policy::quota::{Period, Subject};
    use crate::store::activity::NewRow;

    fn options() -> Options {
        Options {
            retention_days: 30,
            max_output_bytes: 1024,
            redact_keys: vec!["password".into()],
            open: OpenOptions::default(),
            clock: Clock::system(),
        }
    }

    /// One call at a time: every record goes through the journal, the waiting records are
    /// moved into the indexed table once enough wait, and none is lost or doubled.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn records_are_written_through_the_journal_and_moved_in_batches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("activity.db");
        let recorder = Recorder::start(&path, options()).unwrap();
        for i in 0..2100 {
            let mut draft = Draft::new("tool_call", Clock::system().now());
            draft.tool = Some("echo".into());
            draft.params = Some(format!(r#"{{"name":"echo","arguments":{{"n":{i},"password":"p"}}}}"#));
            recorder.commit(draft).await.unwrap();
        }
        recorder.flush().await;
        let mut db = Db::open(&path, Schema::Activity, OpenOptions::default()).unwrap();
        let (total, (max, recent), ids, seventh) = db
            .read_sql(|tx| {
                let mut ids = Vec::new();
                store::activity::scan(tx, &[], |e| {
                    ids.push(e.id);
                    true
                })?;
                let id7 = [store::activity::Condition::Equals { column: "id", value: "7".into() }];
                Ok((
                    store::activity::count(tx, &[])?,
                    store::activity::ids(tx)?,
                    ids,
                    store::activity::newest(tx, &id7, 1)?,
                ))
            })
            .unwrap();
        let indexed = total - recent as i64;
        assert_eq!(total, 2100);
        assert!(indexed >= 1024, "a thousand or more were moved: {indexed}");
        assert!(recent < 1100, "no more than a move's worth waits: {recent}");
        let mut distinct = ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            (ids.len(), distinct.len(), distinct.first(), max),
            (2100, 2100, Some(&1), 2100),
            "ids 1 to 2100, each once"
        );
        let input = seventh[0].input.clone().unwrap();
        assert_eq!(input, serde_json::json!({"n": 6, "password": "[redacted]"}));
    }

    /// Entries a crashed gateway left in the journal (appended, never written) are written
    /// when the log is next opened: records and quota counts once each, ids continuing, and
    /// the quota counts among those seen at start.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn entries_left_in_the_journal_are_written_once_at_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("activity.db");
        let recorder = Recorder::start(&path, options()).unwrap();
        let mut draft = Draft::new("tool_call", Clock::system().now());
        draft.tool = Some("first".into());
        recorder.commit(draft).await.unwrap();
        recorder.flush().await;
        drop(recorder);
        // What a gateway killed between appending and writing leaves behind.
        let (journal, _, _) = Journal::open(&journal::dir_of(&path), 1).unwrap();
        let start = Clock::system().now();
        let charge = Usage { subject: Subject { server_id: 7, principal: None }, period: Period::Day, start, used: 1 };
        for tool in ["second", "third"] {
            let row = NewRow {
                time: store::timestamp(start),
                kind: "tool_call".into(),
                level: "info".into(),
                status: "success".into(),
                tool: Some(tool.into()),
                trace_id: tool.into(),
                ..NewRow::default()
            };
            journal.append(Some(row), vec![charge.clone()], |_| {}).unwrap();
        }
        drop(journal);
        let mut db = Db::open(&path, Schema::Activity, OpenOptions::default()).unwrap();
        assert_eq!((journal_position(&mut db).unwrap(), journal_end(&db).unwrap()), (1, 3));
        drop(db);

        for _ in 0..2 {
            let recorder = Recorder::start(&path, options()).unwrap();
            let used: u64 = recorder.usage_at_start().iter().filter(|u| u.subject.server_id == 7).map(|u| u.used).sum();
            assert_eq!(used, 2);
            drop(recorder);
            let mut db = Db::open(&path, Schema::Activity, OpenOptions::default()).unwrap();
            assert_eq!(journal_position(&mut db).unwrap(), 3);
            let tools = db
                .read_sql(|tx| {
                    let mut tools = Vec::new();
                    store::activity::scan(tx, &[], |e| {
                        tools.push((e.id, e.tool.clone().unwrap_or_default()));
                        true
                    })?;
                    Ok(tools)
                })
                .unwrap();
            let want = [(1, "first"), (2, "second"), (3, "third")].map(|(i, t)| (i, t.to_string()));
            assert_eq!(tools, want);
        }
    }
}
