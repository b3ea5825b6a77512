//! Schema migrations: numbered SQL files, applied in order, tracked by `PRAGMA user_version`.
//!
//! A shipped migration is never edited; a change is a new file. A database whose version is newer
//! than the binary knows is refused rather than misread.

use std::time::Duration;

use rusqlite::OptionalExtension;

use super::{Db, Schema, StoreError};

/// `PRAGMA application_id` of every mcpcp database ("mcpc"), so a foreign SQLite file is refused.
const APPLICATION_ID: i64 = 0x6d63_7063;

const STATE_MIGRATIONS: &[&str] = &[
    include_str!("migrations/state/0001_initial.sql"),
    include_str!("migrations/state/0002_server_capture.sql"),
    include_str!("migrations/state/0003_oauth.sql"),
    include_str!("migrations/state/0004_server_ip_rules.sql"),
    include_str!("migrations/state/0005_server_rate_limits.sql"),
    include_str!("migrations/state/0006_server_quotas.sql"),
    include_str!("migrations/state/0007_oauth_consent_per_server.sql"),
    include_str!("migrations/state/0008_server_upstream_auth.sql"),
    include_str!("migrations/state/0009_upstream_connections.sql"),
    include_str!("migrations/state/0010_server_upstream_oauth.sql"),
    include_str!("migrations/state/0011_upstream_oauth_metadata_document.sql"),
    include_str!("migrations/state/0012_upstream_revocations.sql"),
    include_str!("migrations/state/0013_identity_forwarding.sql"),
    include_str!("migrations/state/0014_siem_sinks.sql"),
    include_str!("migrations/state/0015_admins.sql"),
    include_str!("migrations/state/0016_admin_sign_in.sql"),
    include_str!("migrations/state/0017_composed_servers.sql"),
    include_str!("migrations/state/0018_group_tool_grants.sql"),
    include_str!("migrations/state/0019_openapi_servers.sql"),
];

const ACTIVITY_MIGRATIONS: &[&str] = &[
    include_str!("migrations/activity/0001_initial.sql"),
    include_str!("migrations/activity/0002_quota_usage.sql"),
    include_str!("migrations/activity/0003_drop_session_index.sql"),
    include_str!("migrations/activity/0004_recent_records.sql"),
    include_str!("migrations/activity/0005_journal.sql"),
    include_str!("migrations/activity/0006_fault.sql"),
    include_str!("migrations/activity/0007_upstream_auth.sql"),
    include_str!("migrations/activity/0008_upstream_subject.sql"),
    include_str!("migrations/activity/0009_traces.sql"),
    include_str!("migrations/activity/0010_siem_cursors.sql"),
    include_str!("migrations/activity/0011_recent_checks.sql"),
    include_str!("migrations/activity/0012_resumed.sql"),
    include_str!("migrations/activity/0013_composed_steps.sql"),
    include_str!("migrations/activity/0014_sessions.sql"),
];

/// The newest `state.db` schema version this binary knows.
pub const STATE_SCHEMA_VERSION: i64 = STATE_MIGRATIONS.len() as i64;
/// The newest `activity.db` schema version this binary knows.
pub const ACTIVITY_SCHEMA_VERSION: i64 = ACTIVITY_MIGRATIONS.len() as i64;

pub(super) fn run(db: &mut Db, schema: Schema) -> Result<(), StoreError> {
    let migrations = match schema {
        Schema::State => STATE_MIGRATIONS,
        Schema::Activity => ACTIVITY_MIGRATIONS,
    };
    let known = migrations.len() as i64;
    let (version, app_id) = versions(db)?;
    check(db, version, app_id, known)?;
    if version == known && app_id == APPLICATION_ID {
        return Ok(());
    }
    let path = db.path().to_path_buf();
    // A migration may rebuild a table others reference (SQLite changes no CHECK in place): with
    // foreign keys on, dropping the old table would delete the rows that reference it. They are
    // off while the migrations run (the pragma cannot change inside a transaction), and the
    // transaction commits only if every reference still holds (`foreign_key_check`).
    db.conn().execute_batch("PRAGMA foreign_keys = OFF").map_err(|e| sql(&path, e))?;
    let migrated = migrate(db, &path, migrations, known);
    let restored = db.conn().execute_batch("PRAGMA foreign_keys = ON").map_err(|e| sql(&path, e));
    migrated.and(restored)
}

fn migrate(db: &mut Db, path: &std::path::Path, migrations: &[&str], known: i64) -> Result<(), StoreError> {
    let path = path.to_path_buf();
    db.write(|tx| {
        // Another process may have migrated between our check and taking the write lock.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| sql(&path, e))?;
        let app_id: i64 = tx.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| sql(&path, e))?;
        check_at(&path, version, app_id, known)?;
        for (index, migration) in migrations.iter().enumerate().skip(usize::try_from(version).unwrap_or(0)) {
            tx.execute_batch(migration).map_err(|e| StoreError::Other {
                path: path.clone(),
                detail: format!("migration {} failed: {e}", index + 1),
            })?;
        }
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get::<_, String>(0))
            .optional()
            .map_err(|e| sql(&path, e))?;
        if let Some(table) = broken {
            return Err(StoreError::Other {
                path: path.clone(),
                detail: format!("migration left a broken reference in table {table}"),
            });
        }
        tx.pragma_update(None, "user_version", known).map_err(|e| sql(&path, e))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(|e| sql(&path, e))?;
        Ok(())
    })
}

fn sql(path: &std::path::Path, e: rusqlite::Error) -> StoreError {
    super::map_err(path, Duration::ZERO, e)
}

fn versions(db: &mut Db) -> Result<(i64, i64), StoreError> {
    let conn = db.conn();
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0));
    let app_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0));
    match (version, app_id) {
        (Ok(v), Ok(a)) => Ok((v, a)),
        (Err(e), _) | (_, Err(e)) => Err(db.err(e)),
    }
}

fn check(db: &Db, version: i64, app_id: i64, known: i64) -> Result<(), StoreError> {
    check_at(db.path(), version, app_id, known)
}

fn check_at(path: &std::path::Path, version: i64, app_id: i64, known: i64) -> Result<(), StoreError> {
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("application_id is {app_id:#x}, not mcpcp's"),
        });
    }
    if app_id == 0 && version != 0 {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("schema version {version} was not written by mcpcp"),
        });
    }
    if version > known {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found: version, known });
    }
    Ok(())
}
