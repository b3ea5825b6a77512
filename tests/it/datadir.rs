//! The data directory: layout and permissions, SQLite settings, schema versions, and how a locked,
//! read-only or foreign database is reported.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use crate::support::{Mcpcp, refused};

#[test]
fn created_on_first_use_with_private_permissions() {
    let m = Mcpcp::new();
    assert!(!m.data_dir().exists());
    m.ok(&["server", "list"]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&m.data_dir()), 0o700);
    let key = m.data_dir().join("secret.key");
    assert_eq!(mode(&key), 0o600);
    assert_eq!(std::fs::read(&key).unwrap().len(), 32);
    assert!(m.state_db().exists());
    assert!(m.data_dir().join("activity.db").exists());
    // The key is created once and kept.
    let first = std::fs::read(&key).unwrap();
    m.ok(&["server", "create", "s", "--command", "x", "--env", "A=1"]);
    assert_eq!(std::fs::read(&key).unwrap(), first);
    assert_ne!(first, vec![0u8; 32]);
}

#[test]
fn databases_use_wal_and_carry_their_schema_version() {
    let m = Mcpcp::new();
    m.ok(&["server", "list"]);
    for (file, version) in [("state.db", 19), ("activity.db", 14)] {
        let conn = rusqlite::Connection::open(m.data_dir().join(file)).unwrap();
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal", "{file}");
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, version, "{file}");
        let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
        assert_eq!(app, 0x6d63_7063, "{file}");
    }
}

#[test]
fn a_newer_schema_is_refused() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "s", "--url", "https://a.example/mcp"]);
    m.sqlite().execute_batch("PRAGMA user_version = 99").unwrap();
    let err = m.fails(&["server", "list"], 1);
    assert!(err.contains("schema version 99, newer than this mcpcp knows (19); upgrade mcpcp"), "{err}");
    let v: i64 = m.sqlite().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 99, "the newer database is left alone");
}

#[test]
fn a_foreign_sqlite_file_is_refused() {
    let m = Mcpcp::new();
    m.ok(&["server", "list"]);
    for file in ["state.db", "state.db-wal", "state.db-shm"] {
        let _ = std::fs::remove_file(m.data_dir().join(file));
    }
    let conn = rusqlite::Connection::open(m.state_db()).unwrap();
    conn.execute_batch("CREATE TABLE other (x); PRAGMA user_version = 3;").unwrap();
    drop(conn);
    let err = m.fails(&["server", "list"], 1);
    assert!(err.contains("not an mcpcp database") && err.contains("was not written by mcpcp"), "{err}");
    std::fs::write(m.state_db(), b"this is not a database at all, just some bytes in a file......").unwrap();
    let err = m.fails(&["server", "list"], 1);
    assert!(err.contains("damaged or not an mcpcp database"), "{err}");
}

#[test]
fn a_data_dir_that_is_a_file_is_refused() {
    let m = Mcpcp::new();
    std::fs::write(m.data_dir(), b"").unwrap();
    let err = m.fails(&["server", "list"], 1);
    assert!(err.contains("is not a directory"), "{err}");
}

#[test]
fn a_locked_database_fails_after_the_busy_timeout_and_writes_nothing() {
    let m = Mcpcp::new().env("MCPCP_BUSY_TIMEOUT_MS", "300");
    m.ok(&["server", "create", "s", "--url", "https://a.example/mcp"]);
    let before = m.dump();
    let mut holder = m.sqlite();
    let tx = holder.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive).unwrap();
    let started = std::time::Instant::now();
    let err = m.fails(&["server", "create", "t", "--url", "https://a.example/mcp"], 1);
    assert!(err.contains("is locked") && err.contains("300 ms"), "{err}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(300), "it waited for the lock first");
    tx.rollback().unwrap();
    assert_eq!(m.dump(), before);
    // Once the lock is gone the same command succeeds.
    m.ok(&["server", "create", "t", "--url", "https://a.example/mcp"]);
}

/// A read-only file system under the data directory. Needs root (CI runs as root); elsewhere the
/// test says so and checks nothing.
#[test]
fn a_read_only_database_is_reported_and_nothing_is_written() {
    let m = Mcpcp::new();
    let mount_point = m.data_dir();
    std::fs::create_dir_all(&mount_point).unwrap();
    let mounted =
        Command::new("mount").args(["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs"]).arg(&mount_point).status();
    if !mounted.is_ok_and(|s| s.success()) {
        assert!(std::env::var_os("CI").is_none(), "CI must be able to mount a tmpfs (it runs as root)");
        eprintln!("skipped: cannot mount a tmpfs here (not root)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mount_point.clone());
    m.ok(&["server", "create", "s", "--url", "https://a.example/mcp"]);
    let before = m.dump();
    let remounted = Command::new("mount").args(["-o", "remount,ro"]).arg(&mount_point).status().unwrap();
    assert!(remounted.success());
    let r = m.run(&["server", "create", "t", "--url", "https://a.example/mcp"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: ") && r.stderr.trim_end().lines().count() == 1, "{}", r.stderr);
    assert!(r.stderr.contains("read-only") || r.stderr.contains("readonly"), "{}", r.stderr);
    let remounted = Command::new("mount").args(["-o", "remount,rw"]).arg(&mount_point).status().unwrap();
    assert!(remounted.success());
    assert_eq!(m.dump(), before);
    refused(&m, &["server", "create", "s", "--url", "https://a.example/mcp"], 1, "already exists");
}

#[test]
fn a_missing_key_file_is_refused_not_replaced() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "s", "--command", "x", "--env", "API_KEY=v"]);
    std::fs::remove_file(m.data_dir().join("secret.key")).unwrap();
    let err = m.fails(&["server", "list"], 1);
    assert!(err.contains("secret.key") && err.contains("restore the key file"), "{err}");
    assert!(!m.data_dir().join("secret.key").exists(), "no new key may be made");
}

#[test]
fn database_files_are_private() {
    let m = Mcpcp::new();
    m.ok(&["server", "list"]);
    for file in ["state.db", "activity.db"] {
        let mode = std::fs::metadata(m.data_dir().join(file)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
}

#[test]
fn ids_are_never_reused() {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "a", "--command", "x"]);
    m.ok(&["token", "create", "a"]);
    m.ok(&["server", "delete", "a"]);
    m.ok(&["server", "create", "b", "--command", "x"]);
    let t = m.json(&["token", "create", "b"]);
    assert_eq!(t["id"], 2, "token 1 belonged to a deleted server");
    assert_eq!(t["name"], "token-2");
    assert_eq!(m.json(&["server", "show", "b"])["id"], 2);
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let m = Mcpcp::new();
    for i in 0..50 {
        m.ok(&["group", "create", &format!("g{i}")]);
    }
    let mut child = m
        .command(&["audit", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
