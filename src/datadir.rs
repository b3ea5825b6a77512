//! The data directory: its layout, its permissions and the key file for secrets at rest.
//!
//! ```text
//! <data-dir>/            mode 0700, created on first use
//!   state.db             configuration, identities, grants, tokens, audit (SQLite, WAL)
//!   activity.db          activity records and traces (SQLite, WAL)
//!   secret.key           32 random bytes, mode 0600: seals upstream credentials at rest
//!   mcpcp.toml           optional process configuration
//! ```

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::secrets::{KEY_LEN, SealKey, random_bytes};
use crate::store::{Db, OpenOptions, Schema, StoreError};

/// File names inside the data directory.
pub const STATE_DB: &str = "state.db";
pub const ACTIVITY_DB: &str = "activity.db";
pub const KEY_FILE: &str = "secret.key";
pub const CONFIG_FILE: &str = "mcpcp.toml";

#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    #[error("cannot create data directory {path}: {error}")]
    Create { path: PathBuf, error: io::Error },
    #[error("{path} exists but is not a directory")]
    NotADirectory { path: PathBuf },
    #[error("cannot use key file {path}: {detail}")]
    Key { path: PathBuf, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An opened data directory.
#[derive(Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Opens the data directory at `root`, creating it (mode 0700) and its key file if missing.
    pub fn open_or_create(root: &Path) -> Result<DataDir, DataDirError> {
        match fs::metadata(root) {
            Ok(m) if !m.is_dir() => return Err(DataDirError::NotADirectory { path: root.to_path_buf() }),
            Ok(m) => {
                if m.permissions().mode() & 0o077 != 0 {
                    tracing::warn!(
                        path = %root.display(),
                        mode = format!("{:o}", m.permissions().mode() & 0o777),
                        "data directory is readable by other users; chmod 700 it"
                    );
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(root)
                    .map_err(|error| DataDirError::Create { path: root.to_path_buf(), error })?;
            }
            Err(error) => return Err(DataDirError::Create { path: root.to_path_buf(), error }),
        }
        let dir = DataDir { root: root.to_path_buf() };
        dir.ensure_key()?;
        Ok(dir)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn state_path(&self) -> PathBuf {
        self.root.join(STATE_DB)
    }

    pub fn activity_path(&self) -> PathBuf {
        self.root.join(ACTIVITY_DB)
    }

    pub fn key_path(&self) -> PathBuf {
        self.root.join(KEY_FILE)
    }

    /// Opens `state.db` (and makes sure `activity.db` exists), migrating both if needed.
    pub fn open_state(&self, options: OpenOptions) -> Result<Db, DataDirError> {
        let state = Db::open(&self.state_path(), Schema::State, options)?;
        Db::open(&self.activity_path(), Schema::Activity, options)?;
        // SQLite creates files with the umask's mode; the -wal and -shm files copy the database's.
        for path in [self.state_path(), self.activity_path()] {
            if let Ok(meta) = fs::metadata(&path)
                && meta.permissions().mode() & 0o077 != 0
            {
                let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o600));
            }
        }
        Ok(state)
    }

    /// Reads the key for secrets at rest.
    pub fn key(&self) -> Result<SealKey, DataDirError> {
        let path = self.key_path();
        let bad = |detail: String| DataDirError::Key { path: path.clone(), detail };
        let bytes = fs::read(&path).map_err(|e| bad(e.to_string()))?;
        let bytes: [u8; KEY_LEN] =
            bytes.try_into().map_err(|b: Vec<u8>| bad(format!("it holds {} bytes, expected {KEY_LEN}", b.len())))?;
        Ok(SealKey::from_bytes(bytes))
    }

    /// Creates the key file if it does not exist. Concurrent first runs race safely: the key is
    /// written to a private temporary file and hard-linked into place, which fails if another
    /// process won, so every process ends up with the same complete key.
    fn ensure_key(&self) -> Result<(), DataDirError> {
        let path = self.key_path();
        if path.exists() {
            return Ok(());
        }
        let bad = |detail: String| DataDirError::Key { path: path.clone(), detail };
        // A database without its key: a new key could not open what the old one sealed.
        if self.state_path().exists() {
            return Err(bad(format!(
                "it is missing but {} exists; restore the key file from the backup it was made with",
                self.state_path().display()
            )));
        }
        let key: [u8; KEY_LEN] = random_bytes().map_err(|e| bad(e.to_string()))?;
        let tmp = self.root.join(format!(".{KEY_FILE}.{}", std::process::id()));
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| bad(format!("cannot create {}: {e}", tmp.display())))?;
        let written = file.write_all(&key).and_then(|()| file.sync_all());
        drop(file);
        let linked = written.and_then(|()| fs::hard_link(&tmp, &path));
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(bad(e.to_string())),
        }
    }
}
