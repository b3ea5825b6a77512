//! The activity log writer. A request appends its finished record (redacted and capped here,
//! on the request path) to the activity journal, one `write` (see [`super::journal`]), and its
//! answer is released after that; one writer thread moves journal entries into `activity.db`
//! in batches (group commit), noting in the same transaction how far it got.
//!
//! Architecture invariant: a response the gateway sends is released only after the record
//! describing it is in the journal, so a crash (even `kill -9`) cannot lose a call a client saw
//! answered: entries not yet in the database are written when the log is next opened. If the
//! journal or the database cannot be written (disk full, I/O error), the gateway refuses new
//! calls with a clear error instead of serving unlogged ones, and probes until writes work.
//! Readers see a record once the writer has moved it, a few milliseconds after the answer (it
//! lets a batch gather for 5 ms); `mcpcp logs` waits for that (`Env::open_activity` in `cli`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::oneshot;

use super::journal::{self, Entry, Journal, Retired};
use super::redact::{Redactor, truncate};
use crate::model::CaptureMode;
use crate::policy::quota::{Period, Subject, Usage};
use crate::store::activity::{NewRow, UsageRow};
use crate::store::{self, Db, OpenOptions, Schema, StoreError};

/// Quota counts of periods that began longer ago than this are deleted (the longest period, a
/// month, is shorter).
const USAGE_KEPT: chrono::Duration = chrono::Duration::days(40);
/// WAL length (frames of one page) past which the writer finishes the checkpoint itself so the
/// WAL restarts from the top: 4096 frames of 4 KiB are 16 MiB.
const WAL_CATCH_UP_FRAMES: i64 = 4096;
/// The most bytes a record keeps of a name taken from a request (server name from the path,
/// tool, method, client name and version, session id, principal); longer ones are cut.
pub const MAX_NAME_BYTES: usize = 128;
/// The most bytes a record keeps of a `User-Agent`.
pub const MAX_USER_AGENT_BYTES: usize = 256;
/// The most bytes a record keeps of an error message.
pub const MAX_ERROR_BYTES: usize = 1024;
/// The most bytes of a call's inputs a record keeps; larger inputs are replaced by a marker.
/// Inputs are what an audit most needs, so they are kept whole up to this (the request body
/// limit is 4 MiB).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Largest batch committed in one transaction.
const MAX_BATCH: usize = 1024;
/// How long the writer lets records gather before writing them in one transaction: readers
/// see a record at most about this much later than its answer.
const GATHER: Duration = Duration::from_millis(5);
/// Journal entries not yet in the database past which new records are refused (the writer
/// is far behind: the database is failing or much slower than the requests).
const MAX_BACKLOG: usize = 65_536;
/// Records waiting in `activity_recent` past which the writer moves them into `activity` (see
/// [`store::activity::fold`]): about 10 ms of work for a thousand records.
const FOLD_ROWS: usize = 1024;
/// How long the writer waits before trying again a move that failed.
const FOLD_RETRY: Duration = Duration::from_secs(1);
/// Rows deleted per retention step; small steps keep the write lock short.
const PRUNE_CHUNK: i64 = 2000;

/// What the request path knows about one request; completed when it is recorded.
#[derive(Debug, Clone)]
pub struct Draft {
    pub time: DateTime<Utc>,
    pub started: Instant,
    pub server: Option<String>,
    pub kind: &'static str,
    pub principal: Option<String>,
    pub auth_method: Option<&'static str>,
    pub source_ip: Option<String>,
    /// The same address, for the IP rules.
    pub client_ip: Option<std::net::IpAddr>,
    pub user_agent: Option<String>,
    pub client_name: Option<String>,
    pub client_version: Option<String>,
    pub session_id: Option<String>,
    pub method: Option<String>,
    pub tool: Option<String>,
    /// The request's `params`, raw.
    pub params: Option<String>,
    /// The JSON-RPC response sent, raw (shared with the response body, not copied).
    pub response: Option<bytes::Bytes>,
    pub http_status: u16,
    /// A refusal made before any JSON-RPC response existed: (code, message).
    pub error: Option<(i64, String)>,
    pub trace_id: String,
    pub capture: CaptureMode,
    /// Set when the draft was finished.
    pub duration: Duration,
    /// Usage-quota counts this call took; committed with the record (even when the server
    /// captures nothing), so a count is durable before the answer is released.
    pub charges: Vec<Usage>,
    /// Whose fault a refusal or failure is, when the gateway knows it; otherwise the record
    /// derives it from the JSON-RPC error (`Writer::row`).
    pub fault: Option<crate::model::Fault>,
    /// The parts of the record known before the answer, shaped early ([`Recorder::prepare`]).
    early: Option<Early>,
}

/// The record's time, formatted, and its redacted inputs: shaped while the upstream works, so
/// the answer waits only for the parts that depend on it.
#[derive(Debug, Clone)]
struct Early {
    time: String,
    input: Option<String>,
}

impl Draft {
    pub fn new(kind: &'static str) -> Draft {
        Draft {
            time: Utc::now(),
            started: Instant::now(),
            server: None,
            kind,
            principal: None,
            auth_method: None,
            source_ip: None,
            client_ip: None,
            user_agent: None,
            client_name: None,
            client_version: None,
            session_id: None,
            method: None,
            tool: None,
            params: None,
            response: None,
            http_status: 200,
            error: None,
            trace_id: new_trace_id(),
            capture: CaptureMode::Full,
            duration: Duration::ZERO,
            charges: Vec::new(),
            fault: None,
            early: None,
        }
    }
}

impl Draft {
    /// Whether committing this draft writes anything (a record or quota counts).
    pub fn writes(&self) -> bool {
        self.capture != CaptureMode::Off || !self.charges.is_empty()
    }

    /// A copy to keep for later (a sampled refusal's summary): the texts taken from the request
    /// capped as a record caps them, without the request's params or the response, so what is
    /// kept per source is bounded however large the request was.
    pub fn kept(&self) -> Draft {
        let text = |t: &Option<String>, max| capped(t.as_ref().map(|t| t[..floor_char(t, max + 1)].to_string()), max);
        Draft {
            server: text(&self.server, MAX_NAME_BYTES),
            principal: text(&self.principal, MAX_NAME_BYTES),
            user_agent: text(&self.user_agent, MAX_USER_AGENT_BYTES),
            client_name: text(&self.client_name, MAX_NAME_BYTES),
            client_version: text(&self.client_version, MAX_NAME_BYTES),
            session_id: text(&self.session_id, MAX_NAME_BYTES),
            method: text(&self.method, MAX_NAME_BYTES),
            tool: text(&self.tool, MAX_NAME_BYTES),
            params: None,
            response: None,
            error: self.error.as_ref().map(|(code, m)| (*code, m[..floor_char(m, MAX_ERROR_BYTES)].to_string())),
            charges: Vec::new(),
            early: None,
            ..self.clone_light()
        }
    }

    /// The fixed-size fields of this draft (texts left empty).
    fn clone_light(&self) -> Draft {
        Draft {
            time: self.time,
            started: self.started,
            kind: self.kind,
            auth_method: self.auth_method,
            source_ip: self.source_ip.clone(),
            client_ip: self.client_ip,
            http_status: self.http_status,
            trace_id: self.trace_id.clone(),
            capture: self.capture,
            duration: self.duration,
            ..Draft::new(self.kind)
        }
    }

    /// The calling client's address.
    pub fn client(&mut self, ip: std::net::IpAddr) {
        self.client_ip = Some(ip);
        self.source_ip = Some(ip.to_string());
    }

    /// Marks the draft as a success (HTTP 200, no error).
    pub fn status_ok(&mut self) {
        self.http_status = 200;
        self.error = None;
    }
}

/// A W3C trace id (32 hex digits): a random 64-bit prefix drawn once per process and a counter,
/// so ids are unique without a system call per request.
pub fn new_trace_id() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let prefix = *PREFIX.get_or_init(|| {
        crate::secrets::random_bytes::<8>()
            .map(u64::from_le_bytes)
            .unwrap_or_else(|_| Utc::now().timestamp_nanos_opt().unwrap_or(1).unsigned_abs())
    });
    let mut id = String::with_capacity(32);
    for n in [prefix, COUNTER.fetch_add(1, Ordering::Relaxed)] {
        for shift in (0..16).rev() {
            id.push(char::from(b"0123456789abcdef"[((n >> (shift * 4)) & 0xf) as usize]));
        }
    }
    id
}

/// Settings of the writer.
#[derive(Debug, Clone)]
pub struct Options {
    pub retention_days: u32,
    pub max_output_bytes: usize,
    pub redact_keys: Vec<String>,
    pub open: OpenOptions,
}

enum Job {
    /// A journal entry to write into the database.
    Record(Box<Entry>),
    Probe,
    Prune,
    /// Answered once everything queued before it was written.
    Barrier(oneshot::Sender<()>),
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
    /// Dropped with the last clone: tells the checkpointer to stop.
    _alive: Arc<()>,
}

/// Turns drafts into rows: redaction and the output cap.
#[derive(Debug)]
struct Shaper {
    redactor: Redactor,
    max_output: usize,
}

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
        let since = store::timestamp(Utc::now() - USAGE_KEPT);
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
        let mut writer = Writer {
            drained: drained.clone(),
            db,
            catch_up: catch_up.clone(),
            failure: failure.clone(),
            retention: chrono::Duration::days(i64::from(options.retention_days)),
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
            _alive: alive,
        })
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
            return self.record(draft);
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
        self.record(draft)
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

    /// Appends the record of a draft, in a place in the backlog taken by [`Self::reserve`].
    fn record(&self, mut draft: Draft) -> Result<(), String> {
        let usage = std::mem::take(&mut draft.charges);
        let row = (draft.capture != CaptureMode::Off).then(|| self.shaper.row(draft));
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
        if let Err(e) = self.record(draft) {
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

/// Writes into the activity database `db` the journal entries past its position; returns what
/// the journal held (its segments are left in place).
fn write_left(db: &mut Db) -> Result<journal::Found, StoreError> {
    let path = db.path().to_path_buf();
    let other = |detail: String| StoreError::Other { path: path.clone(), detail };
    let position = db.read_sql(|tx| store::activity::journal_seq(tx))?;
    let found = journal::read(&journal::dir_of(&path), position).map_err(&other)?;
    if !found.entries.is_empty() {
        let (last_id, _) = db.read_sql(|tx| store::activity::ids(tx))?;
        write_entries(db, last_id + 1, &found.entries).map_err(other)?;
        tracing::info!(records = found.entries.len(), "activity journal entries of the last run written");
    }
    Ok(found)
}

/// Opens the journal of the activity database `db` after writing into `db` the entries a
/// previous run left; returns the journal and the segments read (to delete: they are written).
fn open_journal(db: &mut Db) -> Result<(Journal, Vec<PathBuf>), StoreError> {
    let found = write_left(db)?;
    let path = db.path().to_path_buf();
    let journal =
        Journal::after(&journal::dir_of(&path), &found).map_err(|detail| StoreError::Other { path, detail })?;
    Ok((journal, found.segments))
}

/// The sequence number of the last entry in the journal of the activity database `db`.
pub fn journal_end(db: &Db) -> Result<u64, StoreError> {
    let path = db.path().to_path_buf();
    journal::last_seq(&journal::dir_of(&path)).map_err(|detail| StoreError::Other { path, detail })
}

/// The sequence number of the last journal entry written into the activity database `db`.
pub fn journal_position(db: &mut Db) -> Result<u64, StoreError> {
    db.read_sql(|tx| store::activity::journal_seq(tx))
}

/// Writes into the activity database `db` the journal entries not yet in it, and deletes the
/// journal's segments. Only while no gateway runs on the database (it appends to them).
pub fn write_journal(db: &mut Db) -> Result<usize, StoreError> {
    let found = write_left(db)?;
    for segment in &found.segments {
        std::fs::remove_file(segment).map_err(|e| StoreError::Other {
            path: db.path().to_path_buf(),
            detail: format!("cannot delete {}: {e}", segment.display()),
        })?;
    }
    Ok(found.entries.len())
}

/// Writes journal entries into the database in one transaction: their rows with ids from
/// `first_id` on, their quota counts (summed per count), and the position of the last.
/// Returns how many rows were written.
fn write_entries(db: &mut Db, first_id: i64, entries: &[Entry]) -> Result<usize, String> {
    let Some(last) = entries.last() else { return Ok(0) };
    let mut usage: std::collections::HashMap<(&Subject, Period, DateTime<Utc>), i64> = std::collections::HashMap::new();
    for u in entries.iter().flat_map(|e| &e.usage) {
        *usage.entry((&u.subject, u.period, u.start)).or_insert(0) += i64::try_from(u.used).unwrap_or(i64::MAX);
    }
    let path = db.path().to_path_buf();
    let sql = |e: rusqlite::Error| store::SqlError::from(e).at(&path, Duration::ZERO);
    db.write(|tx| {
        let mut rows = 0;
        for (id, row) in (first_id..).zip(entries.iter().filter_map(|e| e.row.as_ref())) {
            store::activity::insert(tx, id, row).map_err(sql)?;
            rows += 1;
        }
        for ((subject, period, start), used) in usage {
            store::activity::add_usage(tx, &usage_row(subject.clone(), period, start, used)).map_err(sql)?;
        }
        store::activity::set_journal_seq(tx, last.seq).map_err(sql)?;
        Ok::<usize, StoreError>(rows)
    })
    .map_err(|e| format!("activity log unavailable: {e}"))
}

/// Notes whether records can be written, logging the changes.
fn note_failure(state: &Mutex<Option<String>>, failure: Option<String>) {
    if let Ok(mut f) = state.lock() {
        match (&*f, &failure) {
            (None, Some(e)) => {
                tracing::error!(error = %e, "activity log cannot be written; refusing calls until it can")
            }
            (Some(_), None) => tracing::info!("activity log writable again"),
            _ => {}
        }
        *f = failure;
    }
}

struct Writer {
    db: Db,
    /// Set by the checkpointer when the WAL grew long: finish the checkpoint between batches.
    catch_up: Arc<AtomicBool>,
    failure: Arc<Mutex<Option<String>>>,
    retention: chrono::Duration,
    /// The id of the next record (ids increase across `activity` and `activity_recent`).
    next_id: i64,
    /// Records waiting in `activity_recent`.
    recent: usize,
    /// When the last fold failed, if it did.
    fold_failed: Option<Instant>,
    journal: Arc<Journal>,
    backlog: Arc<AtomicUsize>,
    drained: Arc<tokio::sync::Notify>,
    /// Entries whose write failed, to try again (they are in the journal meanwhile).
    unwritten: Vec<Entry>,
    /// Journal segments to delete once the entries up to their last are written.
    retired: Vec<Retired>,
}

impl Writer {
    fn run(mut self, rx: &mpsc::Receiver<Job>) {
        while let Ok(first) = rx.recv() {
            // Let a batch gather: nobody waits for it (the records are in the journal), and a
            // sleeping writer is not woken by each record as one blocked in `recv` would be.
            if matches!(first, Job::Record(_)) {
                std::thread::sleep(GATHER);
            }
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            self.batch(jobs);
        }
    }

    /// Notes segments read at start for deletion (their entries are written).
    fn retire_all(&mut self, paths: Vec<PathBuf>) {
        for path in paths {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::warn!(file = %path.display(), error = %e, "cannot delete an activity journal segment");
            }
        }
    }

    /// Writes a batch of journal entries in one transaction, then does the upkeep asked for.
    fn batch(&mut self, jobs: Vec<Job>) {
        let (mut probe, mut prune) = (false, false);
        let mut barriers = Vec::new();
        for job in jobs {
            match job {
                Job::Record(entry) => self.unwritten.push(*entry),
                Job::Probe => probe = true,
                Job::Prune => prune = true,
                Job::Barrier(done) => barriers.push(done),
            }
        }
        let wrote = self.write();
        if probe && wrote.is_ok() {
            // The journal took the probe's entry (see `Recorder::maintain`); now the database.
            let now = store::timestamp(Utc::now());
            let path = self.db.path().to_path_buf();
            let probed = self
                .db
                .write(|tx| {
                    store::activity::probe(tx, &now).map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO))
                })
                .map_err(|e| format!("activity log unavailable: {e}"));
            note_failure(&self.failure, probed.err());
        }
        if self.recent >= FOLD_ROWS || (prune && self.recent > 0) {
            self.fold();
        }
        if prune {
            self.prune();
        }
        if self.catch_up.swap(false, Ordering::Relaxed)
            && let Err(e) = self.db.checkpoint()
        {
            tracing::debug!(error = %e, "activity checkpoint catch-up skipped");
        }
        for done in barriers {
            let _ = done.send(());
        }
    }

    /// Writes the entries waiting, if any; on failure keeps them and refuses calls until a
    /// probe succeeds. Deletes the journal segments that are all written, and starts a new one
    /// when the current one is long.
    fn write(&mut self) -> Result<(), ()> {
        if self.unwritten.is_empty() {
            return Ok(());
        }
        match write_entries(&mut self.db, self.next_id, &self.unwritten) {
            Ok(rows) => {
                self.next_id += rows as i64;
                self.recent += rows;
                self.backlog.fetch_sub(self.unwritten.len(), Ordering::AcqRel);
                self.drained.notify_waiters();
                let written = self.unwritten.last().map_or(0, |e| e.seq);
                self.unwritten.clear();
                match self.journal.rotate(journal::SEGMENT_BYTES) {
                    Ok(Some(retired)) => self.retired.push(retired),
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot start a new activity journal segment"),
                }
                let (done, kept): (Vec<_>, Vec<_>) =
                    std::mem::take(&mut self.retired).into_iter().partition(|r| r.last_seq <= written);
                self.retired = kept;
                self.retire_all(done.into_iter().map(|r| r.path).collect());
                Ok(())
            }
            Err(e) => {
                note_failure(&self.failure, Some(e));
                Err(())
            }
        }
    }

    /// Moves the records waiting in `activity_recent` into `activity`, in one transaction. A
    /// failure leaves them where they are (still read, still durable) and is tried again later.
    fn fold(&mut self) {
        if self.fold_failed.is_some_and(|at| at.elapsed() < FOLD_RETRY) {
            return;
        }
        let path = self.db.path().to_path_buf();
        match self
            .db
            .write(|tx| store::activity::fold(tx).map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO)))
        {
            Ok(_) => {
                self.recent = 0;
                self.fold_failed = None;
            }
            Err(e) => {
                tracing::warn!(error = %e, "moving recent activity records failed; trying again later");
                self.fold_failed = Some(Instant::now());
            }
        }
    }

    fn prune(&mut self) {
        let kept = store::timestamp(Utc::now() - USAGE_KEPT);
        let path = self.db.path().to_path_buf();
        let pruned = self.db.write(|tx| {
            store::activity::prune_usage(tx, &kept).map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO))
        });
        if let Err(e) = pruned {
            tracing::warn!(error = %e, "pruning old quota counts failed");
        }
        let cutoff = store::timestamp(Utc::now() - self.retention);
        for _ in 0..50 {
            let path = self.db.path().to_path_buf();
            let deleted = self.db.write(|tx| {
                store::activity::prune(tx, &cutoff, PRUNE_CHUNK)
                    .map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO))
            });
            match deleted {
                Ok(n) if (n as i64) < PRUNE_CHUNK => return,
                Ok(_) => std::thread::yield_now(),
                Err(e) => {
                    tracing::warn!(error = %e, "activity retention step failed");
                    return;
                }
            }
        }
    }
}

impl Shaper {
    /// See [`Recorder::prepare`].
    fn prepare(&self, draft: &mut Draft) {
        if draft.capture == CaptureMode::Off || draft.early.is_some() {
            return;
        }
        let input = match draft.capture {
            CaptureMode::Full => draft.params.as_deref().and_then(|p| self.input_of(draft.kind, p)),
            _ => None,
        };
        draft.early = Some(Early { time: store::timestamp(draft.time), input });
    }

    /// Completes a draft: status, level and error from the response; inputs and outputs
    /// redacted and capped, when the server captures them.
    fn row(&self, d: Draft) -> NewRow {
        #[derive(Deserialize)]
        struct Response<'a> {
            #[serde(borrow)]
            result: Option<&'a RawValue>,
            #[serde(borrow)]
            error: Option<&'a RawValue>,
        }
        #[derive(Deserialize)]
        struct RpcError {
            code: Option<i64>,
            message: Option<String>,
        }
        #[derive(Deserialize)]
        struct ToolResult {
            #[serde(rename = "isError", default)]
            is_error: bool,
        }
        #[derive(Deserialize)]
        struct ToolContent {
            #[serde(default)]
            content: Vec<serde_json::Value>,
        }
        let response: Option<Response<'_>> = d.response.as_deref().and_then(|r| serde_json::from_slice(r).ok());
        let rpc_error: Option<RpcError> =
            response.as_ref().and_then(|r| r.error).and_then(|e| serde_json::from_str(e.get()).ok());
        // Only a tool error's content is read (for its message); other results are not parsed.
        let tool_error = (d.kind == "tool_call")
            .then(|| response.as_ref().and_then(|r| r.result))
            .flatten()
            .filter(|r| may_be_tool_error(r.get()))
            .filter(|r| serde_json::from_str::<ToolResult>(r.get()).is_ok_and(|t| t.is_error))
            .and_then(|r| serde_json::from_str::<ToolContent>(r.get()).ok());
        let (error_code, error_message) = match (&d.error, &rpc_error, &tool_error) {
            (Some((code, message)), _, _) => (Some(*code), Some(message.clone())),
            (None, Some(e), _) => (e.code, e.message.clone()),
            (None, None, Some(t)) => (
                None,
                t.content.iter().find_map(|c| c.get("text")?.as_str().map(String::from)).or(Some("tool error".into())),
            ),
            _ => (None, None),
        };
        let failed = d.http_status >= 400 || error_code.is_some() || error_message.is_some();
        let fault = d.fault.or_else(|| failed.then(|| fault_of_answer(error_code)));
        let level = if d.http_status >= 500 || error_code == Some(-32603) {
            "error"
        } else if failed {
            "warn"
        } else {
            "info"
        };
        let (time, early_input) = match d.early {
            Some(Early { time, input }) => (time, Some(input)),
            None => (store::timestamp(d.time), None),
        };
        let (mut input, mut output, mut output_size, mut output_truncated) = (None, None, None, false);
        if d.capture == CaptureMode::Full {
            input = early_input.unwrap_or_else(|| d.params.as_deref().and_then(|p| self.input_of(d.kind, p)));
            let out = response.as_ref().and_then(|r| r.result.or(r.error)).map(|v| self.redactor.redact_text(v.get()));
            if let Some(out) = out {
                output_size = Some(out.len() as i64);
                let (text, cut) = truncate(out, self.max_output);
                output = Some(text);
                output_truncated = cut;
            }
        }
        NewRow {
            time,
            server: capped(d.server, MAX_NAME_BYTES),
            kind: d.kind.into(),
            level: level.into(),
            principal: capped(d.principal, MAX_NAME_BYTES),
            auth_method: d.auth_method.map(Into::into),
            source_ip: d.source_ip,
            user_agent: capped(d.user_agent, MAX_USER_AGENT_BYTES),
            client_name: capped(d.client_name, MAX_NAME_BYTES),
            client_version: capped(d.client_version, MAX_NAME_BYTES),
            session_id: capped(d.session_id, MAX_NAME_BYTES),
            method: capped(d.method, MAX_NAME_BYTES),
            tool: capped(d.tool, MAX_NAME_BYTES),
            input: input.map(|i| input_within(i, MAX_INPUT_BYTES)),
            output,
            output_size,
            output_truncated,
            duration_us: i64::try_from(d.duration.as_micros()).unwrap_or(i64::MAX),
            status: if failed { "failure" } else { "success" }.into(),
            http_status: Some(i64::from(d.http_status)),
            error_code,
            error_message: capped(error_message, MAX_ERROR_BYTES),
            trace_id: d.trace_id,
            fault: fault.map(|f| f.as_str().into()),
        }
    }

    /// The call's inputs: `arguments` of tools/call and prompts/get, else the params without
    /// `_meta`. Raw text is kept as it is unless something must be removed or redacted.
    fn input_of(&self, kind: &str, params: &str) -> Option<String> {
        #[derive(Deserialize)]
        struct Arguments<'a> {
            #[serde(borrow)]
            arguments: Option<&'a RawValue>,
        }
        if matches!(kind, "tool_call" | "prompt_get") {
            let args: Arguments<'_> = serde_json::from_str(params).ok()?;
            return Some(args.arguments.map_or_else(|| "{}".to_string(), |a| self.redactor.redact_text(a.get())));
        }
        if !params.contains("\"_meta\"") {
            return Some(self.redactor.redact_text(params));
        }
        let mut v: serde_json::Value = serde_json::from_str(params).ok()?;
        if let Some(map) = v.as_object_mut() {
            map.remove("_meta");
        }
        self.redactor.redact(&mut v);
        Some(v.to_string())
    }
}

/// `text` cut to at most `max` bytes (at a character boundary) and marked as cut: every text a
/// record takes from a request is bounded before it costs disk.
fn capped(text: Option<String>, max: usize) -> Option<String> {
    let text = text?;
    if text.len() <= max {
        return Some(text);
    }
    let (mut cut, _) = truncate(text, max);
    cut.push_str("…[cut]");
    Some(cut)
}

/// The largest char boundary of `t` at or below `max`.
fn floor_char(t: &str, max: usize) -> usize {
    let mut end = max.min(t.len());
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// A call's recorded inputs, or, past `max` bytes, a marker saying how large they were (a cut
/// JSON text would not parse, and `logs` shows inputs as JSON).
fn input_within(input: String, max: usize) -> String {
    if input.len() <= max {
        return input;
    }
    format!("\"[not recorded: {} bytes of input, over the {max}-byte limit]\"", input.len())
}

/// Whether a tool result's text may say `"isError": true` somewhere (the parse decides): most
/// results say nothing or `false`, and are not parsed again.
fn may_be_tool_error(result: &str) -> bool {
    memchr::memmem::find_iter(result.as_bytes(), b"\"isError\"").any(|at| {
        let after = result[at + "\"isError\"".len()..].trim_start();
        after.strip_prefix(':').is_some_and(|v| v.trim_start().starts_with("true"))
    })
}

/// The activity type of a JSON-RPC method (documented in README.md).
/// Whose fault an error the upstream answered with is (the gateway's own refusals and failures
/// say it themselves): a request the upstream calls malformed, unknown or with bad params is the
/// client's; any other error, or a tool's `isError` result, the upstream's.
fn fault_of_answer(error_code: Option<i64>) -> crate::model::Fault {
    use crate::jsonrpc::code;
    match error_code {
        Some(code::PARSE_ERROR | code::INVALID_REQUEST | code::METHOD_NOT_FOUND | code::INVALID_PARAMS) => {
            crate::model::Fault::Client
        }
        _ => crate::model::Fault::Upstream,
    }
}

pub fn kind_of(method: &str) -> &'static str {
    match method {
        "initialize" => "session_start",
        "tools/call" => "tool_call",
        "tools/list" | "resources/list" | "resources/templates/list" | "prompts/list" => "list",
        "resources/read" => "resource_read",
        "prompts/get" => "prompt_get",
        m if m.starts_with("notifications/") => "notification",
        _ => "request",
    }
}

/// The row that adds `used` to a quota count.
fn usage_row(subject: Subject, period: Period, start: DateTime<Utc>, used: i64) -> UsageRow {
    let (auth_method, principal) = subject.principal.unwrap_or_default();
    UsageRow {
        server_id: subject.server_id,
        auth_method,
        principal,
        period: period.as_str().to_string(),
        window_start: store::timestamp(start),
        used,
    }
}

/// A persisted quota count as the policy sees it; rows it cannot read are skipped.
fn usage_of_row(row: &UsageRow) -> Option<Usage> {
    let principal = (!row.auth_method.is_empty() || !row.principal.is_empty())
        .then(|| (row.auth_method.clone(), row.principal.clone()));
    Some(Usage {
        subject: Subject { server_id: row.server_id, principal },
        period: Period::parse(&row.period)?,
        start: DateTime::parse_from_rfc3339(&row.window_start).ok()?.with_timezone(&Utc),
        used: u64::try_from(row.used).ok()?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn only_results_that_say_is_error_true_are_parsed_for_it() {
        assert!(may_be_tool_error(r#"{"content":[],"isError":true}"#));
        assert!(may_be_tool_error(r#"{"content":[], "isError" :  true }"#));
        assert!(may_be_tool_error(r#"{"isError":false,"structuredContent":{"isError":true}}"#));
        assert!(!may_be_tool_error(r#"{"content":[],"isError":false}"#));
        assert!(!may_be_tool_error(r#"{"content":[{"type":"text","text":"\"isError\": true"}]}"#));
        assert!(!may_be_tool_error(r#"{"content":[]}"#));
    }

    #[test]
    fn trace_ids_are_32_hex_digits_and_unique() {
        let (a, b) = (new_trace_id(), new_trace_id());
        assert!(a.len() == 32 && a.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{a}");
        assert_eq!(a[..16], b[..16], "one prefix per process");
        let (x, y) = (u64::from_str_radix(&a[16..], 16).unwrap(), u64::from_str_radix(&b[16..], 16).unwrap());
        assert!(y > x, "{a} then {b}");
    }

    /// A draft shaped early (while the upstream works) becomes the record it would have become
    /// shaped at the commit: inputs redacted, `_meta` left out, nothing captured under
    /// `metadata`.
    #[test]
    fn a_draft_prepared_early_becomes_the_same_record() {
        let shaper = Shaper { redactor: Redactor::new(&["password".to_string()]), max_output: 16 };
        let requests = [
            ("tool_call", r#"{"name":"echo","arguments":{"n":1,"deep":[{"password":"p"}]}}"#),
            ("tool_call", r#"{"name":"echo"}"#),
            ("list", r#"{"cursor":"c","_meta":{"progressToken":1},"password":"p"}"#),
            ("resource_read", r#"{"uri":"file:///a"}"#),
        ];
        for (kind, params) in requests {
            for capture in [CaptureMode::Full, CaptureMode::Metadata] {
                let mut draft = Draft::new(kind);
                draft.capture = capture;
                draft.params = Some(params.to_string());
                draft.response = Some(bytes::Bytes::from_static(
                    br#"{"jsonrpc":"2.0","id":1,"result":{"password":"x","text":"0123456789abcdefghij"}}"#,
                ));
                let mut early = draft.clone();
                shaper.prepare(&mut early);
                assert!(early.early.is_some());
                let (late, early) = (shaper.row(draft), shaper.row(early));
                assert_eq!(early, late, "{kind} {capture:?}");
                if capture == CaptureMode::Full {
                    let input = early.input.unwrap();
                    assert!(!input.contains("\"p\"") && !input.contains("_meta"), "{input}");
                } else {
                    assert_eq!(early.input, None);
                }
            }
        }
    }

    fn options() -> Options {
        Options {
            retention_days: 30,
            max_output_bytes: 1024,
            redact_keys: vec!["password".into()],
            open: OpenOptions::default(),
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
            let mut draft = Draft::new("tool_call");
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
        let mut draft = Draft::new("tool_call");
        draft.tool = Some("first".into());
        recorder.commit(draft).await.unwrap();
        recorder.flush().await;
        drop(recorder);
        // What a gateway killed between appending and writing leaves behind.
        let (journal, _, _) = Journal::open(&journal::dir_of(&path), 1).unwrap();
        let start = Utc::now();
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
