//! The writer thread: moves journal entries into `activity.db` in batches (group commit), noting
//! in the same transaction how far it got; moves waiting records into the indexed table, and
//! applies retention.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::journal::{self, Entry, Journal, Retired};
use crate::clock::Clock;
use crate::policy::quota::{Period, Subject, Usage};
use crate::store::activity::UsageRow;
use crate::store::{self, Db, StoreError};

/// Quota counts of periods that began longer ago than this are deleted (the longest period, a
/// month, is shorter).
pub(super) const USAGE_KEPT: chrono::Duration = chrono::Duration::days(40);
/// Largest batch committed in one transaction.
const MAX_BATCH: usize = 1024;
/// How long the writer lets records gather before writing them in one transaction: readers
/// see a record at most about this much later than its answer.
const GATHER: Duration = Duration::from_millis(5);
/// Records waiting in `activity_recent` past which the writer moves them into `activity` (see
/// [`store::activity::fold`]): about 10 ms of work for a thousand records.
const FOLD_ROWS: usize = 1024;
/// How long the writer waits before trying again a move that failed.
const FOLD_RETRY: Duration = Duration::from_secs(1);
/// Rows deleted per retention step; small steps keep the write lock short.
const PRUNE_CHUNK: i64 = 2000;

pub(super) enum Job {
    /// A journal entry to write into the database.
    Record(Box<Entry>),
    Probe,
    Prune,
    /// Answered once everything queued before it was written.
    Barrier(oneshot::Sender<()>),
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
pub(super) fn open_journal(db: &mut Db) -> Result<(Journal, Vec<PathBuf>), StoreError> {
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
    let sql = |e: store::SqliteError| store::SqlError::from(e).at(&path, Duration::ZERO);
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
pub(super) fn note_failure(state: &Mutex<Option<String>>, failure: Option<String>) {
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

pub(super) struct Writer {
    pub(super) db: Db,
    /// Set by the checkpointer when the WAL grew long: finish the checkpoint between batches.
    pub(super) catch_up: Arc<AtomicBool>,
    pub(super) failure: Arc<Mutex<Option<String>>>,
    pub(super) retention: chrono::Duration,
    /// The wall clock of probes and retention.
    pub(super) clock: Clock,
    /// The id of the next record (ids increase across `activity` and `activity_recent`).
    pub(super) next_id: i64,
    /// Records waiting in `activity_recent`.
    pub(super) recent: usize,
    /// When the last fold failed, if it did.
    pub(super) fold_failed: Option<Instant>,
    pub(super) journal: Arc<Journal>,
    pub(super) backlog: Arc<AtomicUsize>,
    pub(super) drained: Arc<tokio::sync::Notify>,
    /// Each write of entries into the database, timed (the metrics).
    pub(super) commit_seconds: super::metrics::Histogram,
    /// Entries whose write failed, to try again (they are in the journal meanwhile).
    pub(super) unwritten: Vec<Entry>,
    /// Journal segments to delete once the entries up to their last are written.
    pub(super) retired: Vec<Retired>,
    /// Records retention keeps after the slowest SIEM sink's position (`siem.max_backlog`).
    pub(super) siem_max_backlog: Arc<AtomicU64>,
}

impl Writer {
    pub(super) fn run(mut self, rx: &mpsc::Receiver<Job>) {
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
    pub(super) fn retire_all(&mut self, paths: Vec<PathBuf>) {
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
            let now = store::timestamp(self.clock.now());
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
        let started = Instant::now();
        let result = write_entries(&mut self.db, self.next_id, &self.unwritten);
        self.commit_seconds.observe(started.elapsed());
        match result {
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
        let kept = store::timestamp(self.clock.now() - USAGE_KEPT);
        let path = self.db.path().to_path_buf();
        let pruned = self.db.write(|tx| {
            store::activity::prune_usage(tx, &kept).map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO))
        });
        if let Err(e) = pruned {
            tracing::warn!(error = %e, "pruning old quota counts failed");
        }
        let now = self.clock.now();
        let cutoff = store::timestamp(now - self.retention);
        let max_backlog = i64::try_from(self.siem_max_backlog.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
        for _ in 0..50 {
            let path = self.db.path().to_path_buf();
            let deleted = self.db.write(|tx| {
                siem_aware_prune(tx, &cutoff, max_backlog, &store::timestamp(now))
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

/// One retention step: deletes up to `PRUNE_CHUNK` records older than `cutoff`, keeping those
/// after the slowest SIEM sink's position unless more than `max_backlog` records follow it;
/// records deleted before a sink delivered them are counted lost on its cursor.
fn siem_aware_prune(
    tx: &store::Transaction<'_>,
    cutoff: &str,
    max_backlog: i64,
    now: &str,
) -> store::activity::PruneResult {
    let floor = match store::siem::slowest_activity_position(tx)? {
        Some(slowest) => {
            let (last_id, _) = store::activity::ids(tx)?;
            Some(slowest.max(last_id.saturating_sub(max_backlog)))
        }
        None => None,
    };
    let doomed = store::activity::prunable(tx, cutoff, PRUNE_CHUNK, floor)?;
    if floor.is_some() {
        store::siem::count_losses(tx, &doomed.ids, now)?;
    }
    store::activity::delete_ids(tx, &doomed.ids)
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
pub(super) fn usage_of_row(row: &UsageRow) -> Option<Usage> {
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
    use crate::store::activity::NewRow;
    use crate::store::{OpenOptions, Schema};

    fn sql(e: store::SqliteError) -> StoreError {
        StoreError::Other { path: PathBuf::new(), detail: e.to_string() }
    }

    /// Retention keeps the records after the slowest sink's position until more than the cap
    /// follow it; what it deletes before delivery is counted lost on the cursor; it never
    /// deletes the newest record.
    #[test]
    fn retention_keeps_undelivered_records_up_to_the_backlog_cap() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("activity.db"), Schema::Activity, OpenOptions::default()).unwrap();
        db.write(|tx| {
            for id in 1..=100 {
                let row = NewRow {
                    time: "2020-01-01T00:00:00.000000Z".into(),
                    kind: "tool_call".into(),
                    level: "info".into(),
                    status: "success".into(),
                    trace_id: format!("t{id}"),
                    ..NewRow::default()
                };
                store::activity::insert(tx, id, &row).map_err(sql)?;
            }
            store::activity::fold(tx).map_err(sql)?;
            store::siem::start_cursor(tx, 7, "activity", 40).map_err(sql)?;
            store::siem::start_cursor(tx, 7, "audit", 0).map_err(sql)
        })
        .unwrap();
        let cutoff = "2021-01-01T00:00:00.000000Z";
        let now = "2026-01-01T00:00:00.000000Z";
        let prune = |db: &mut Db, cap: i64| db.write(|tx| siem_aware_prune(tx, cutoff, cap, now).map_err(sql)).unwrap();
        let cursor = |db: &mut Db| db.read_sql(|tx| store::siem::cursor(tx, 7, "activity")).unwrap().unwrap();
        let count = |db: &mut Db| db.read_sql(|tx| store::activity::count(tx, &[])).unwrap();
        assert_eq!(prune(&mut db, 1000), 40, "only what the sink delivered goes");
        assert_eq!((count(&mut db), cursor(&mut db).lost), (60, 0));
        assert_eq!(prune(&mut db, 25), 35, "past the cap of 25, records 41-75 go");
        assert_eq!((count(&mut db), cursor(&mut db).lost), (25, 35));
        assert_eq!(db.read_sql(|tx| store::siem::last_lost_at(tx, 7)).unwrap().as_deref(), Some(now));
        assert_eq!(prune(&mut db, 25), 0);
        db.write(|tx| store::siem::forget_others(tx, &[]).map_err(sql)).unwrap();
        assert_eq!(prune(&mut db, 25), 24, "without sinks all go but the newest");
        assert_eq!(db.read_sql(|tx| store::activity::ids(tx)).unwrap().0, 100);
    }
}
