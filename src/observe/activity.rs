//! The activity log writer: records travel over a bounded channel to one thread that commits
//! them in batches (group commit) and then acknowledges each one. A record that finds nothing
//! else waiting and the writer idle is committed by its own request task instead (see
//! [`Recorder::commit`]), which spares it two thread hand-offs.
//!
//! Architecture invariant: a response the gateway sends is released only after the record
//! describing it is committed, so a crash (even `kill -9`) cannot lose a call a client saw
//! answered. If the database cannot be written (disk full, I/O error), the gateway refuses
//! new calls with a clear error instead of serving unlogged ones, and probes until writes work.
//!
//! Redaction, truncation and parsing of inputs and outputs happen on the writer thread, off
//! the request path; the request path only moves strings.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::{mpsc, oneshot};

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
/// Largest batch committed in one transaction.
const MAX_BATCH: usize = 1024;
/// Records waiting in `activity_recent` past which the writer moves them into `activity` (see
/// [`store::activity::fold`]): about 10 ms of work for a thousand records.
const FOLD_ROWS: usize = 1024;
/// How long the writer waits before trying again a move that failed.
const FOLD_RETRY: Duration = Duration::from_secs(1);
/// Rows deleted per retention step; small steps keep the write lock short.
const PRUNE_CHUNK: i64 = 2000;

/// What the request path knows about one request; completed by the writer.
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
        }
    }
}

impl Draft {
    /// Whether committing this draft writes anything (a record or quota counts).
    pub fn writes(&self) -> bool {
        self.capture != CaptureMode::Off || !self.charges.is_empty()
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
    format!("{prefix:016x}{:016x}", COUNTER.fetch_add(1, Ordering::Relaxed))
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
    Record(Box<Draft>, Option<oneshot::Sender<Result<(), String>>>),
    Probe,
    Prune,
    /// Move the records waiting in `activity_recent` into `activity`.
    Fold,
    /// Answered once everything queued before it was written.
    Barrier(oneshot::Sender<()>),
}

/// The handle the gateway records through. Cloning is cheap.
#[derive(Clone)]
pub struct Recorder {
    tx: mpsc::Sender<Job>,
    failure: Arc<Mutex<Option<String>>>,
    /// The quota counts of recent periods, as persisted when the recorder started.
    usage_at_start: Arc<Vec<Usage>>,
    /// The writer's connection and settings: locked by the writer thread for each batch, and by
    /// a request task that commits its own record.
    writer: Arc<Mutex<Writer>>,
    /// Commits under way (waiting in the queue, being written, or being acknowledged).
    pending: Arc<AtomicUsize>,
    /// Set by the checkpointer when the WAL grew long (see [`WAL_CATCH_UP_FRAMES`]).
    catch_up: Arc<AtomicBool>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").field("pending", &self.pending.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

/// Counts a commit as under way until dropped.
struct Pending<'a>(&'a AtomicUsize);

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Record(d, _) => write!(f, "Record({})", d.kind),
            Job::Probe => f.write_str("Probe"),
            Job::Prune => f.write_str("Prune"),
            Job::Fold => f.write_str("Fold"),
            Job::Barrier(_) => f.write_str("Barrier"),
        }
    }
}

impl Recorder {
    /// Opens `activity.db` (migrating it) and starts the writer thread.
    pub fn start(path: &Path, options: Options) -> Result<Recorder, StoreError> {
        let mut db = Db::open(path, Schema::Activity, options.open)?;
        // The writer inserts into several indexes of a growing table: a larger page cache keeps
        // their hot pages in memory, and rarer checkpoints keep commits cheap.
        db.tune_for_appends()?;
        let (last_id, recent) = db.read_sql(|tx| store::activity::ids(tx))?;
        let since = store::timestamp(Utc::now() - USAGE_KEPT);
        let usage_at_start = db
            .read_sql(|tx| store::activity::usage_since(tx, &since))?
            .into_iter()
            .filter_map(|row| usage_of_row(&row))
            .collect();
        let (tx, rx) = mpsc::channel(8192);
        let failure = Arc::new(Mutex::new(None));
        let catch_up = Arc::new(AtomicBool::new(false));
        let writer = Arc::new(Mutex::new(Writer {
            db,
            catch_up: catch_up.clone(),
            failure: failure.clone(),
            redactor: Redactor::new(&options.redact_keys),
            max_output: options.max_output_bytes,
            retention: chrono::Duration::days(i64::from(options.retention_days)),
            next_id: last_id + 1,
            recent,
            fold_queued: false,
            fold_failed: None,
        }));
        let shared = writer.clone();
        std::thread::Builder::new().name("mcpcp-activity".into()).spawn(move || Writer::run(&shared, rx)).map_err(
            |e| StoreError::Other { path: path.to_path_buf(), detail: format!("cannot start the writer: {e}") },
        )?;
        // Checkpoints run beside the writer, so a commit (and the answer waiting for it) rarely
        // pays for one. Under sustained writes they never catch up with the end of the WAL, and
        // the WAL only starts again from the top once all of it was copied: when it has grown
        // past `WAL_CATCH_UP_FRAMES`, the writer copies the last few frames itself between two
        // batches (nothing can be appended meanwhile). The thread ends with the recorder.
        let mut checkpointer = Db::open(path, Schema::Activity, options.open)?;
        let alive = tx.downgrade();
        let long_wal = catch_up.clone();
        std::thread::Builder::new()
            .name("mcpcp-checkpoint".into())
            .spawn(move || {
                while alive.upgrade().is_some() {
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
            writer,
            pending: Arc::new(AtomicUsize::new(0)),
            catch_up,
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
            Err(_) => Err("activity writer state poisoned".into()),
        }
    }

    /// Records and waits until the record is committed.
    ///
    /// When no other commit is under way and the writer is idle, the record is written here, on
    /// the calling task: a one-row transaction (tens of microseconds) costs less than waking the
    /// writer thread and being woken by it. Otherwise it joins the queue and the writer's next
    /// batch, so under load records still share transactions. The WAL catch-up and a failed
    /// log are left to the writer thread.
    pub async fn commit(&self, draft: Draft) -> Result<(), String> {
        let alone = self.pending.fetch_add(1, Ordering::AcqRel) == 0;
        let _pending = Pending(&self.pending);
        let draft = if alone && !self.catch_up.load(Ordering::Relaxed) && self.check().is_ok() {
            match self.writer.try_lock() {
                Ok(mut writer) => {
                    let result = writer.commit_one(draft);
                    // Moving the waiting records is left to the writer thread.
                    let fold = writer.recent >= FOLD_ROWS && !std::mem::replace(&mut writer.fold_queued, true);
                    drop(writer);
                    if fold && self.tx.try_send(Job::Fold).is_err() {
                        // The queue is full: the writer is busy, and after its batch it moves
                        // them anyway (it does whenever enough wait).
                        tracing::debug!("activity fold not queued");
                    }
                    return result;
                }
                Err(_) => draft,
            }
        } else {
            draft
        };
        let (ack, done) = oneshot::channel();
        self.tx
            .send(Job::Record(Box::new(draft), Some(ack)))
            .await
            .map_err(|_| "the activity writer stopped".to_string())?;
        done.await.map_err(|_| "the activity writer stopped".to_string())?
    }

    /// Records without waiting (for events no response depends on, such as a session the
    /// gateway ended).
    pub fn detached(&self, draft: Draft) {
        if self.tx.try_send(Job::Record(Box::new(draft), None)).is_err() {
            tracing::warn!("activity queue full; an event record was dropped");
        }
    }

    /// Waits until every record queued so far is written (at shutdown).
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.tx.send(Job::Barrier(done)).await.is_ok() {
            let _ = written.await;
        }
    }

    /// Background upkeep: retention every minute, and a write probe every 500 ms while writes
    /// fail. Runs until the recorder's channel closes.
    pub async fn maintain(self) {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        let mut since_prune = Duration::from_secs(60);
        loop {
            tick.tick().await;
            since_prune += Duration::from_millis(500);
            if self.check().is_err() && self.tx.send(Job::Probe).await.is_err() {
                return;
            }
            if since_prune >= Duration::from_secs(60) {
                since_prune = Duration::ZERO;
                if self.tx.send(Job::Prune).await.is_err() {
                    return;
                }
            }
        }
    }
}

struct Writer {
    db: Db,
    /// Set by the checkpointer when the WAL grew long: finish the checkpoint between batches.
    catch_up: Arc<AtomicBool>,
    failure: Arc<Mutex<Option<String>>>,
    redactor: Redactor,
    max_output: usize,
    retention: chrono::Duration,
    /// The id of the next record (ids increase across `activity` and `activity_recent`).
    next_id: i64,
    /// Records waiting in `activity_recent`.
    recent: usize,
    /// A fold was asked of the writer thread and has not happened yet.
    fold_queued: bool,
    /// When the last fold failed, if it did.
    fold_failed: Option<Instant>,
}

impl Writer {
    fn run(shared: &Mutex<Writer>, mut rx: mpsc::Receiver<Job>) {
        while let Some(first) = rx.blocking_recv() {
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            // A panic while the lock was held cannot leave a transaction open (it rolls back
            // when dropped), so a poisoned lock is still usable.
            let mut writer = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            writer.batch(jobs);
        }
    }

    /// Writes one record in its own transaction.
    fn commit_one(&mut self, draft: Draft) -> Result<(), String> {
        self.commit(std::iter::once(draft)).0
    }

    /// Completes the drafts and writes their records and quota counts (summed per count) in one
    /// transaction, if there is anything to write; notes the outcome in the failure state.
    /// Returns the outcome and whether anything was written.
    fn commit(&mut self, drafts: impl IntoIterator<Item = Draft>) -> (Result<(), String>, bool) {
        let mut rows = Vec::new();
        let mut usage: std::collections::HashMap<(Subject, Period, DateTime<Utc>), i64> =
            std::collections::HashMap::new();
        for mut draft in drafts {
            for charge in std::mem::take(&mut draft.charges) {
                *usage.entry((charge.subject, charge.period, charge.start)).or_insert(0) +=
                    i64::try_from(charge.used).unwrap_or(i64::MAX);
            }
            if draft.capture != CaptureMode::Off {
                rows.push(self.row(draft));
            }
        }
        let usage: Vec<UsageRow> =
            usage.into_iter().map(|((subject, period, start), used)| usage_row(subject, period, start, used)).collect();
        let wrote = !rows.is_empty() || !usage.is_empty();
        let result = if wrote { self.write(&rows, &usage) } else { Ok(()) };
        self.set_failure(result.as_ref().err().cloned());
        (result, wrote)
    }

    /// Writes a batch of records in one transaction, acknowledges them, then does the upkeep
    /// asked for.
    fn batch(&mut self, jobs: Vec<Job>) {
        let mut drafts = Vec::new();
        let mut acks = Vec::new();
        let (mut probe, mut prune) = (false, false);
        let mut barriers = Vec::new();
        for job in jobs {
            match job {
                Job::Record(draft, ack) => {
                    drafts.push(*draft);
                    acks.extend(ack);
                }
                Job::Probe => probe = true,
                Job::Prune => prune = true,
                Job::Fold => self.fold_queued = false,
                Job::Barrier(done) => barriers.push(done),
            }
        }
        let (result, wrote) = self.commit(drafts);
        for ack in acks {
            let _ = ack.send(result.clone());
        }
        if probe && result.is_ok() && !wrote {
            let now = store::timestamp(Utc::now());
            let path = self.db.path().to_path_buf();
            let probed = self.db.write(|tx| {
                store::activity::probe(tx, &now).map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO))
            });
            self.set_failure(probed.err().map(|e| format!("activity log unavailable: {e}")));
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

    fn set_failure(&self, failure: Option<String>) {
        if let Ok(mut f) = self.failure.lock() {
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

    fn write(&mut self, rows: &[NewRow], usage: &[UsageRow]) -> Result<(), String> {
        let path = self.db.path().to_path_buf();
        let first = self.next_id;
        self.db
            .write(|tx| {
                for (id, row) in (first..).zip(rows) {
                    store::activity::insert(tx, id, row)
                        .map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO))?;
                }
                for row in usage {
                    store::activity::add_usage(tx, row)
                        .map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO))?;
                }
                Ok::<(), StoreError>(())
            })
            .map_err(|e| format!("activity log unavailable: {e}"))?;
        self.next_id += rows.len() as i64;
        self.recent += rows.len();
        Ok(())
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
                self.fold_queued = false;
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
            .filter(|r| r.get().contains("\"isError\""))
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
        let level = if d.http_status >= 500 || error_code == Some(-32603) {
            "error"
        } else if failed {
            "warn"
        } else {
            "info"
        };
        let (mut input, mut output, mut output_size, mut output_truncated) = (None, None, None, false);
        if d.capture == CaptureMode::Full {
            input = d.params.as_deref().and_then(|p| self.input_of(d.kind, p));
            let out = response.as_ref().and_then(|r| r.result.or(r.error)).map(|v| self.redactor.redact_text(v.get()));
            if let Some(out) = out {
                output_size = Some(out.len() as i64);
                let (text, cut) = truncate(out, self.max_output);
                output = Some(text);
                output_truncated = cut;
            }
        }
        NewRow {
            time: store::timestamp(d.time),
            server: d.server,
            kind: d.kind,
            level,
            principal: d.principal,
            auth_method: d.auth_method,
            source_ip: d.source_ip,
            user_agent: d.user_agent,
            client_name: d.client_name,
            client_version: d.client_version,
            session_id: d.session_id,
            method: d.method,
            tool: d.tool,
            input,
            output,
            output_size,
            output_truncated,
            duration_us: i64::try_from(d.duration.as_micros()).unwrap_or(i64::MAX),
            status: if failed { "failure" } else { "success" },
            http_status: Some(i64::from(d.http_status)),
            error_code,
            error_message,
            trace_id: d.trace_id,
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

/// The activity type of a JSON-RPC method (documented in README.md).
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

    /// One call at a time: every record is committed by its caller (the writer thread is never
    /// asked to), yet the waiting records are still moved into the indexed table once enough
    /// wait, and none is lost or doubled.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn records_committed_by_their_callers_are_moved_in_batches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("activity.db");
        let options = Options {
            retention_days: 30,
            max_output_bytes: 1024,
            redact_keys: vec!["password".into()],
            open: OpenOptions::default(),
        };
        let recorder = Recorder::start(&path, options).unwrap();
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
}
