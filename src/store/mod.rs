//! The only place that speaks SQL: opening the databases, migrations, and one module per aggregate.
//!
//! Every write runs in a `BEGIN IMMEDIATE` transaction: a deferred transaction that upgrades to a
//! write gets `SQLITE_BUSY` without waiting for `busy_timeout`, which would make concurrent CLI
//! processes fail instead of queueing.

pub mod activity;
pub mod admins;
pub mod audit;
pub mod composed;
pub mod connections;
pub mod groups;
mod migrate;
pub mod oauth;
pub mod openapi;
pub mod servers;
pub mod sessions;
pub mod siem;
pub mod signing_keys;
pub mod snapshot;
pub mod sso;
pub mod tokens;
pub mod tools;
pub mod users;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The handles `ops` holds inside a transaction and passes through to the functions here, and the
/// error those functions return: rusqlite's, named here so that no code outside `store` names the
/// SQLite library (`tests/it/tidy.rs` checks).
pub use rusqlite::{Connection, Error as SqliteError, Transaction};
use rusqlite::{ErrorCode, OpenFlags, TransactionBehavior};

pub use migrate::{ACTIVITY_SCHEMA_VERSION, STATE_SCHEMA_VERSION};

/// A storage failure, described in terms an operator can act on. No rusqlite type leaks out.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path} is locked: another process held the write lock for more than {waited_ms} ms")]
    Busy { path: PathBuf, waited_ms: u64 },
    #[error("database {path} is read-only: {detail}")]
    ReadOnly { path: PathBuf, detail: String },
    #[error("database {path} cannot be written: the disk is full")]
    Full { path: PathBuf },
    #[error("database {path} has schema version {found}, newer than this mcpcp knows ({known}); upgrade mcpcp")]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("database {path} is damaged or not an mcpcp database: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("database {path}: {detail}")]
    Other { path: PathBuf, detail: String },
}

/// How to open a database file.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// How long a writer waits for another process's write lock before giving up.
    pub busy_timeout: Duration,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self { busy_timeout: Duration::from_millis(5000) }
    }
}

/// An open SQLite database with mcpcp's pragmas applied and its schema migrated.
#[derive(Debug)]
pub struct Db {
    conn: Connection,
    path: PathBuf,
    busy_timeout: Duration,
}

/// Which of the two databases of a data directory a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    State,
    Activity,
}

impl Db {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path, schema: Schema, options: OpenOptions) -> Result<Db, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| map_err(path, options.busy_timeout, e))?;
        let mut db = Db { conn, path: path.to_path_buf(), busy_timeout: options.busy_timeout };
        // Processes that create a database at the same moment can get SQLITE_BUSY at once (not
        // after busy_timeout) while one of them switches it to WAL or migrates it: retry until
        // busy_timeout has passed.
        let deadline = std::time::Instant::now() + options.busy_timeout;
        loop {
            let attempt = db.configure().map_err(|e| db.err(e)).and_then(|()| migrate::run(&mut db, schema));
            match attempt {
                Err(StoreError::Busy { .. }) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                other => return other.map(|()| db),
            }
        }
    }

    fn configure(&self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(self.busy_timeout)?;
        // journal_mode=WAL is persistent; setting it again is a cheap no-op once set.
        let mode: String = self.conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %self.path.display(), mode, "database did not switch to WAL");
        }
        self.conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA trusted_schema=OFF;")?;
        Ok(())
    }

    /// The file this database lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`); commits if it returns `Ok`.
    pub fn write<T, E: DbFailure>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E> {
        self.transaction(TransactionBehavior::Immediate, f)
    }

    /// Runs `f` against one consistent read view.
    pub fn read<T, E: DbFailure>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E> {
        self.transaction(TransactionBehavior::Deferred, f)
    }

    /// Runs plain SQL reads in one read transaction, reporting errors against this database.
    pub fn read_sql<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        self.read(|tx| f(tx).map_err(|e| StoreError::Other { path: PathBuf::new(), detail: e.to_string() })).map_err(
            |e| match e {
                StoreError::Other { path, detail } if path.as_os_str().is_empty() => {
                    StoreError::Other { path: self.path.clone(), detail }
                }
                other => other,
            },
        )
    }

    fn transaction<T, E: DbFailure>(
        &mut self,
        behavior: TransactionBehavior,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let (path, waited) = (self.path.clone(), self.busy_timeout);
        let tx = self.conn.transaction_with_behavior(behavior).map_err(|e| E::from(map_err(&path, waited, e)))?;
        let value = f(&tx).map_err(|e| e.locate(&path, waited))?;
        tx.commit().map_err(|e| E::from(map_err(&path, waited, e)))?;
        Ok(value)
    }

    /// Converts a rusqlite error raised on this database into a [`StoreError`].
    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        map_err(&self.path, self.busy_timeout, e)
    }

    /// Settings for a connection that appends a lot (the activity writer): a 64 MiB page cache,
    /// and no checkpoints in the committing thread (see [`Db::checkpoint`]); the WAL file is cut
    /// back to 64 MiB after each checkpoint.
    pub fn tune_for_appends(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch(
                "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;",
            )
            .map_err(|e| self.err(e))
    }

    /// Copies committed WAL pages into the database without blocking writers
    /// (`PRAGMA wal_checkpoint(PASSIVE)`). Returns the frames in the WAL and how many of them are
    /// now in the database; when they are equal, the next write starts the WAL from the top.
    pub fn checkpoint(&mut self) -> Result<(i64, i64), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(1)?, r.get(2)?)))
            .map_err(|e| self.err(e))
    }

    /// `PRAGMA data_version` of this connection: it changes when another connection commits.
    pub fn data_version(&mut self) -> Result<i64, StoreError> {
        snapshot::data_version(&self.conn).map_err(|e| self.err(e))
    }

    pub(crate) fn conn(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// An error type that transaction closures return. SQL errors raised inside a closure carry no
/// path; `locate` turns them into a [`StoreError`] naming the database once the closure returns.
pub trait DbFailure: From<StoreError> {
    fn locate(self, path: &Path, waited: Duration) -> Self;
}

impl DbFailure for StoreError {
    fn locate(self, _path: &Path, _waited: Duration) -> Self {
        self
    }
}

/// A SQL error raised inside a transaction closure, before the database path is attached.
#[derive(Debug)]
pub struct SqlError(rusqlite::Error);

impl From<rusqlite::Error> for SqlError {
    fn from(e: rusqlite::Error) -> Self {
        SqlError(e)
    }
}

impl SqlError {
    /// Describes the error against the database file it came from.
    pub fn at(self, path: &Path, waited: Duration) -> StoreError {
        map_err(path, waited, self.0)
    }
}

pub(crate) fn map_err(path: &Path, waited: Duration, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(ffi, msg) = &e {
        let detail = msg.clone().unwrap_or_else(|| ffi.to_string());
        return match ffi.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                StoreError::Busy { path, waited_ms: u64::try_from(waited.as_millis()).unwrap_or(u64::MAX) }
            }
            ErrorCode::ReadOnly => StoreError::ReadOnly { path, detail },
            // SQLite cannot open a WAL database it may not write (it needs the -shm file): say why.
            ErrorCode::CannotOpen => match read_only_reason(&path) {
                Some(reason) => StoreError::ReadOnly { path, detail: reason },
                None => StoreError::Other { path, detail },
            },
            ErrorCode::DiskFull => StoreError::Full { path },
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => StoreError::Corrupt { path, detail },
            _ => StoreError::Other { path, detail },
        };
    }
    StoreError::Other { path, detail: e.to_string() }
}

/// Why `path` (or its directory) cannot be written, if that is the case.
fn read_only_reason(path: &Path) -> Option<String> {
    let probe = |p: &Path| match std::fs::OpenOptions::new().append(true).open(p) {
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {
            Some("the file system is mounted read-only".to_string())
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Some(format!("no write permission on {}", p.display()))
        }
        _ => None,
    };
    probe(path)
}

/// Current UTC time as stored in every `*_at` column: RFC 3339, microseconds, `Z` (sorts as text).
pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // Written digit by digit (every record takes one; chrono's formatter costs several times
    // more), as chrono writes it; years past four digits and leap seconds are left to chrono.
    let (year, nanos) = (t.year(), t.nanosecond());
    let (Ok(year), true) = (u32::try_from(year), nanos < 1_000_000_000) else {
        return t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    };
    if year > 9999 {
        return t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    }
    fn digits(out: &mut String, n: u32, width: u32) {
        for place in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
        }
    }
    let mut out = String::with_capacity(27);
    digits(&mut out, year, 4);
    let date_time = [(t.month(), '-'), (t.day(), 'T'), (t.hour(), ':'), (t.minute(), ':'), (t.second(), '.')];
    let mut separator = '-';
    for (n, next) in date_time {
        out.push(separator);
        digits(&mut out, n, 2);
        separator = next;
    }
    out.push(separator);
    digits(&mut out, nanos / 1000, 6);
    out.push('Z');
    out
}

/// Parses a stored timestamp back.
pub fn parse_timestamp(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&chrono::Utc))
}

/// Bumps the state generation; every admin transaction calls this once.
pub fn bump_generation(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation' RETURNING CAST(value AS INTEGER)",
        [],
        |r| r.get(0),
    )
}

/// The current state generation.
pub fn generation(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'", [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn timestamps_are_written_as_chrono_writes_them() {
        let chrono_wrote = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut seconds: i64 = -62_167_219_200; // 0000-01-01
        while seconds < 253_402_300_800 + 86_400 * 400 {
            for nanos in [0, 999, 1_000, 123_456_789, 999_999_999] {
                let t = chrono::DateTime::from_timestamp(seconds, nanos).unwrap();
                assert_eq!(super::timestamp(t), chrono_wrote(t));
            }
            seconds += 86_400 * 37 + 3_601;
        }
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_nano_opt(23, 59, 59, 1_500_000_000);
        let leap = leap.unwrap().and_utc();
        assert_eq!(super::timestamp(leap), chrono_wrote(leap));
        let today = chrono::DateTime::from_timestamp(1_796_601_600, 123_456_789).unwrap();
        assert_eq!(super::timestamp(today), chrono_wrote(today));
    }
}
