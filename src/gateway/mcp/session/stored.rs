//! Client sessions kept across a restart of the gateway: each session's row in `activity.db`
//! (`sessions`), written behind the request path by a thread of its own (`mcpcp-sessions`), and
//! the sessions a previous run left, read once at start and kept in memory until a client's
//! request resumes one (`resumed.rs`), it goes idle, or its principal loses the server.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Session, Sessions};
use crate::jsonrpc::Message;
use crate::policy::{Principal, ServerConfig};
use crate::secrets::{SealKey, Secret, purpose};
use crate::snapshot::Snapshot;
use crate::store::sessions::SessionRow;
use crate::store::{self, Db, OpenOptions, Schema, StoreError};

/// After a change the writer waits this long for more, so that the changes of a burst of
/// sessions share one transaction. A SIGKILL loses at most the changes of this window and of
/// the transaction in flight (the row is committed, with `synchronous=NORMAL` in WAL mode, some
/// 10 to 20 ms after the session's `initialize` was answered).
const GATHER: Duration = Duration::from_millis(10);
/// A session's last use is written again once it moved on this far (the idle expiry of a session
/// that a restart interrupted is that exact).
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// How long shutdown waits for the writer to commit what it holds.
const FLUSH_WAIT: Duration = Duration::from_secs(5);

/// What a stored session keeps of its upstream, sealed: the upstream's own session id (Streamable
/// HTTP) and a digest of the server's upstream settings (a change ends the session, as it ends a
/// live one).
#[derive(Serialize, Deserialize)]
struct UpstreamKept {
    session: Option<String>,
    settings: String,
}

/// A session a previous run of the gateway left, not resumed yet.
pub(super) struct Dormant {
    pub(super) server_id: i64,
    principal: String,
    pub(super) protocol_version: String,
    /// The client's `initialize` (id 0).
    pub(super) init: String,
    /// The upstream's session id (Streamable HTTP), if it named one.
    pub(super) upstream_session: Option<Secret>,
    /// The upstream settings' digest; `None` for a composed server's session.
    settings: Option<String>,
    last_used: DateTime<Utc>,
}

enum Op {
    Put(Box<SessionRow>, Option<UpstreamKept>),
    Upstream(String, UpstreamKept),
    Touch(String, String),
    Delete(String),
    Flush(tokio::sync::oneshot::Sender<()>),
}

/// The stored sessions: the way to their writer, the sessions of the previous run not resumed
/// yet (by id hash), and when each live session's use was last written (by session id).
#[derive(Default)]
pub struct Stored {
    writer: Option<std::sync::mpsc::Sender<Op>>,
    pub(super) dormant: Mutex<HashMap<String, Dormant>>,
    written_use: Mutex<HashMap<String, (String, DateTime<Utc>)>>,
}

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dormant = self.dormant.lock().map(|d| d.len()).unwrap_or(0);
        f.debug_struct("Stored").field("writing", &self.writer.is_some()).field("dormant", &dormant).finish()
    }
}

/// What [`Stored::open`] needs.
#[derive(Debug)]
pub struct Setup<'a> {
    /// `activity.db`.
    pub path: &'a Path,
    pub options: OpenOptions,
    pub key: SealKey,
    pub now: DateTime<Utc>,
    pub idle: Duration,
    pub per_principal: usize,
    pub snapshot: &'a Snapshot,
}

/// The stored form of a session id: its SHA-256, as tokens are stored.
pub fn id_hash(id: &str) -> String {
    crate::identity::token::hash(id)
}

/// Who holds a session, as stored: `token:ID`, or `user:ID:GRANT` (a user's session belongs to
/// the sign-in that made it, as a live one does).
pub(crate) fn principal_key(principal: &Principal) -> String {
    match principal {
        Principal::ApiToken { token_id, .. } => format!("token:{token_id}"),
        Principal::User { user_id, grant_id, .. } => format!("user:{user_id}:{grant_id}"),
    }
}

/// A digest of what a session's upstream connection is made from (`ServerConfig::same_upstream`).
fn settings_digest(server: &ServerConfig) -> String {
    use sha2::Digest;
    let plain = |pairs: &Result<Vec<(String, Secret)>, String>| match pairs {
        Ok(pairs) => pairs.iter().map(|(k, v)| format!("{k}={}", v.expose())).collect::<Vec<_>>().join("\n"),
        Err(e) => format!("unreadable: {e}"),
    };
    let text = format!(
        "{:?}\n{:?}\n{:?}\n{}\n{:?}\n{}\n{:?}",
        server.transport,
        server.url,
        server.command,
        plain(&server.env),
        server.upstream_auth,
        plain(&server.upstream_headers),
        server.upstream_oauth
    );
    crate::secrets::hex(&sha2::Sha256::digest(text.as_bytes()))
}

/// Whether the principal stored as `principal` may still hold a session on server `server_id`
/// (the checks `maintain` makes of live sessions).
fn allowed(snapshot: &Snapshot, server_id: i64, principal: &str, now: DateTime<Utc>) -> bool {
    let Some(server) = snapshot.servers().find(|s| s.id == server_id) else { return false };
    if !server.enabled {
        return false;
    }
    let mut parts = principal.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("token"), Some(id), None) => {
            id.parse().ok().and_then(|id| snapshot.token_ids_entry(id)).is_some_and(|t| !t.expired(now))
        }
        (Some("user"), Some(user), Some(grant)) => match (user.parse::<i64>(), grant.parse::<i64>()) {
            (Ok(user), Ok(grant)) => {
                snapshot.user(user).is_some_and(|u| !u.disabled && u.servers.contains(&server_id))
                    && snapshot.grant_live(grant)
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether a dormant session may still be resumed under `snapshot` at `now` (`digests`: the
/// servers' upstream settings digests worked out so far).
fn still_good(
    d: &Dormant,
    snapshot: &Snapshot,
    now: DateTime<Utc>,
    idle: Duration,
    digests: &mut HashMap<i64, String>,
) -> bool {
    let idle = chrono::TimeDelta::from_std(idle).unwrap_or(chrono::TimeDelta::MAX);
    if d.last_used.checked_add_signed(idle).is_some_and(|until| until < now) {
        return false;
    }
    if !allowed(snapshot, d.server_id, &d.principal, now) {
        return false;
    }
    let server = snapshot.servers().find(|s| s.id == d.server_id);
    match (&d.settings, server) {
        (None, Some(s)) => s.composed.is_some(),
        (Some(settings), Some(s)) => {
            s.composed.is_none() && *settings == *digests.entry(s.id).or_insert_with(|| settings_digest(s))
        }
        (_, None) => false,
    }
}

impl Stored {
    /// Reads the sessions the previous run left (once, at start: those gone idle, whose principal
    /// lost the server, whose server's upstream changed, or past a principal's share are deleted)
    /// and starts the writer. Without its table the gateway serves on, its sessions kept in memory
    /// only.
    pub fn open(setup: Setup<'_>) -> Stored {
        match Self::try_open(setup) {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!(error = %e, "sessions will not survive a restart: their table cannot be used");
                Stored::default()
            }
        }
    }

    fn try_open(setup: Setup<'_>) -> Result<Stored, StoreError> {
        let mut db = Db::open(setup.path, Schema::Activity, setup.options)?;
        let rows = db.read_sql(|tx| store::sessions::load(tx))?;
        let mut gone = Vec::new();
        let mut kept: Vec<(String, Dormant)> = Vec::new();
        let mut digests = HashMap::new();
        for row in rows {
            match dormant(&setup.key, &row) {
                Some(d) if still_good(&d, setup.snapshot, setup.now, setup.idle, &mut digests) => {
                    kept.push((row.id_hash, d))
                }
                _ => gone.push(row.id_hash),
            }
        }
        // A principal keeps at most its share of sessions on a server: the most recently used.
        kept.sort_by_key(|(_, d)| std::cmp::Reverse(d.last_used));
        let mut share: HashMap<(i64, String), usize> = HashMap::new();
        let mut dormant = HashMap::new();
        for (hash, d) in kept {
            let held = share.entry((d.server_id, d.principal.clone())).or_default();
            *held += 1;
            if *held > setup.per_principal {
                gone.push(hash);
            } else {
                dormant.insert(hash, d);
            }
        }
        if !gone.is_empty() {
            let path = setup.path.to_path_buf();
            db.write(|tx| {
                for hash in &gone {
                    store::sessions::delete(tx, hash)
                        .map_err(|e| store::SqlError::from(e).at(&path, Duration::ZERO))?;
                }
                Ok::<(), StoreError>(())
            })?;
        }
        if !dormant.is_empty() {
            tracing::info!(sessions = dormant.len(), ended = gone.len(), "sessions of the previous run can resume");
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let key = setup.key;
        std::thread::Builder::new()
            .name("mcpcp-sessions".into())
            .spawn(move || write_behind(db, &key, &rx))
            .map_err(|e| StoreError::Other { path: setup.path.to_path_buf(), detail: e.to_string() })?;
        Ok(Stored { writer: Some(tx), dormant: Mutex::new(dormant), written_use: Mutex::default() })
    }

    fn send(&self, op: Op) {
        if let Some(writer) = &self.writer {
            let _ = writer.send(op);
        }
    }

    /// A session started (its `initialize` answered): its row goes to the writer.
    pub(super) fn created(&self, session: &Session, init: &Message, server: &ServerConfig, now: DateTime<Utc>) {
        if self.writer.is_none() || session.legacy {
            return;
        }
        let hash = id_hash(&session.id);
        let at = store::timestamp(now);
        let kept = server.composed.is_none().then(|| UpstreamKept {
            session: session.upstream.get().and_then(|u| u.outbound.upstream_session()).map(String::from),
            settings: settings_digest(server),
        });
        let row = SessionRow {
            id_hash: hash.clone(),
            server_id: server.id,
            principal: principal_key(&session.principal),
            protocol_version: session.version().to_string(),
            init: init.with_id("0"),
            upstream_sealed: None,
            created_at: at.clone(),
            last_used_at: at,
        };
        if let Ok(mut used) = self.written_use.lock() {
            used.insert(session.id.clone(), (hash, now));
        }
        self.send(Op::Put(Box::new(row), kept));
    }

    /// Session `id`'s upstream connected (again), perhaps under a new upstream session.
    pub(super) fn upstream_changed(&self, id: &str, upstream_session: Option<String>, server: &ServerConfig) {
        if self.writer.is_none() || server.composed.is_some() {
            return;
        }
        let kept = UpstreamKept { session: upstream_session, settings: settings_digest(server) };
        let hash = self.written_use.lock().ok().and_then(|u| u.get(id).map(|(hash, _)| hash.clone()));
        self.send(Op::Upstream(hash.unwrap_or_else(|| id_hash(id)), kept));
    }

    /// A session ended: its row goes.
    pub(super) fn ended(&self, session: &Session) {
        if self.writer.is_none() || session.legacy {
            return;
        }
        let hash = self.written_use.lock().ok().and_then(|mut u| u.remove(&session.id)).map(|(hash, _)| hash);
        self.send(Op::Delete(hash.unwrap_or_else(|| id_hash(&session.id))));
    }

    /// A session resumed: it is in use now.
    pub(super) fn resumed(&self, id: &str, hash: String, now: DateTime<Utc>) {
        self.send(Op::Touch(hash.clone(), store::timestamp(now)));
        if let Ok(mut used) = self.written_use.lock() {
            used.insert(id.to_string(), (hash, now));
        }
    }

    /// Waits (at most `FLUSH_WAIT`) until the writer has committed every change sent before.
    pub async fn flush(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.writer.is_none() {
            return;
        }
        self.send(Op::Flush(tx));
        if tokio::time::timeout(FLUSH_WAIT, rx).await.is_err() {
            tracing::warn!("the sessions' table was not written in time; some sessions may not resume");
        }
    }

    /// Once a second (`maintain`): the use of live sessions written when it moved on, dormant
    /// sessions that went idle deleted.
    pub(crate) fn tick(&self, sessions: &[std::sync::Arc<Session>], now: DateTime<Utc>, idle: Duration) {
        if self.writer.is_none() {
            return;
        }
        let mut touched = Vec::new();
        if let Ok(mut used) = self.written_use.lock() {
            for session in sessions {
                let Some((hash, written)) = used.get_mut(&session.id) else { continue };
                let Ok(idle_for) = chrono::TimeDelta::from_std(session.idle_for()) else { continue };
                let last = now - idle_for;
                if last - *written >= TOUCH_EVERY {
                    *written = last;
                    touched.push(Op::Touch(hash.clone(), store::timestamp(last)));
                }
            }
        }
        for op in touched {
            self.send(op);
        }
        let idle = chrono::TimeDelta::from_std(idle).unwrap_or(chrono::TimeDelta::MAX);
        self.forget_dormant(|d| d.last_used.checked_add_signed(idle).is_some_and(|until| until < now));
    }

    /// A new snapshot: dormant sessions whose principal lost the server, or whose server was
    /// deleted, disabled or changed its upstream settings, are deleted (as live ones end).
    pub(crate) fn apply(&self, snapshot: &Snapshot, now: DateTime<Utc>) {
        if self.writer.is_none() {
            return;
        }
        let mut digests = HashMap::new();
        self.forget_dormant(|d| !still_good(d, snapshot, now, Duration::MAX, &mut digests));
    }

    fn forget_dormant(&self, mut gone: impl FnMut(&Dormant) -> bool) {
        let removed: Vec<String> = match self.dormant.lock() {
            Ok(mut dormant) => {
                let hashes: Vec<String> = dormant.iter().filter(|(_, d)| gone(d)).map(|(h, _)| h.clone()).collect();
                hashes.into_iter().filter(|h| dormant.remove(h).is_some()).collect()
            }
            Err(_) => Vec::new(),
        };
        for hash in removed {
            self.send(Op::Delete(hash));
        }
    }

    /// The dormant session `hash` if `principal` holds it on `server`; one whose server's
    /// upstream settings changed since is deleted instead. The caller holds the dormant table.
    pub(super) fn take(
        &self,
        dormant: &mut HashMap<String, Dormant>,
        hash: &str,
        server: &ServerConfig,
        principal: &Principal,
    ) -> Option<Dormant> {
        let d = dormant.get(hash)?;
        if d.server_id != server.id || d.principal != principal_key(principal) {
            return None;
        }
        let same = match &d.settings {
            None => server.composed.is_some(),
            Some(settings) => server.composed.is_none() && *settings == settings_digest(server),
        };
        let d = dormant.remove(hash)?;
        if !same {
            self.send(Op::Delete(hash.to_string()));
            return None;
        }
        Some(d)
    }
}

impl Sessions {
    /// The sessions the previous run left and the writer of this run's.
    pub fn with_store(stored: Stored) -> Sessions {
        Sessions { stored, ..Sessions::default() }
    }

    /// The sessions' rows (`maintain` keeps them current).
    pub(crate) fn stored(&self) -> &Stored {
        &self.stored
    }

    /// Waits until the stored sessions' changes are written (at shutdown).
    pub async fn flush(&self) {
        self.stored.flush().await;
    }

    /// Removes the live sessions for a restart of the gateway: their streams close and their
    /// upstream connections too, but their rows stay and an HTTP upstream's session is not ended,
    /// so each continues with its client's next request to the next run. Legacy HTTP+SSE
    /// sessions, bound to their event stream, end (they are returned).
    pub fn suspend(&self) -> Vec<std::sync::Arc<Session>> {
        let all: Vec<std::sync::Arc<Session>> = match self.map.write() {
            Ok(mut map) => map.drain().map(|(_, s)| s).collect(),
            Err(_) => return Vec::new(),
        };
        let mut ended = Vec::new();
        for session in all {
            if session.legacy || self.stored.writer.is_none() {
                ended.push(session);
                continue;
            }
            if let Some(u) = session.upstream.get() {
                u.outbound.keep_upstream_session();
            }
            session.shutdown();
        }
        if !ended.is_empty()
            && let Ok(mut map) = self.map.write()
        {
            for s in &ended {
                map.insert(s.id.clone(), s.clone());
            }
        }
        ended
    }
}

/// A stored row as a dormant session (`None`: it cannot be read, so it goes).
fn dormant(key: &SealKey, row: &SessionRow) -> Option<Dormant> {
    let last_used = store::parse_timestamp(&row.last_used_at)?;
    let kept = match &row.upstream_sealed {
        Some(sealed) => {
            let plain = key.open(&purpose::session_upstream(&row.id_hash), sealed).ok()?;
            Some(serde_json::from_slice::<UpstreamKept>(&plain).ok()?)
        }
        None => None,
    };
    let (upstream_session, settings) = match kept {
        Some(k) => (k.session.map(Secret::new), Some(k.settings)),
        None => (None, None),
    };
    Some(Dormant {
        server_id: row.server_id,
        principal: row.principal.clone(),
        protocol_version: row.protocol_version.clone(),
        init: row.init.clone(),
        upstream_session,
        settings,
        last_used,
    })
}

/// The writer: gathers changes for `GATHER`, then commits them in one transaction (a flush at
/// once), sealing what a row keeps of its upstream.
fn write_behind(mut db: Db, key: &SealKey, rx: &std::sync::mpsc::Receiver<Op>) {
    while let Ok(first) = rx.recv() {
        let mut ops = vec![first];
        let deadline = Instant::now() + GATHER;
        while !matches!(ops.last(), Some(Op::Flush(_))) {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(op) => ops.push(op),
                Err(_) => break,
            }
        }
        let mut flushed = Vec::new();
        let mut writes = Vec::new();
        for op in ops {
            match op {
                Op::Flush(ack) => flushed.push(ack),
                Op::Put(mut row, kept) => {
                    row.upstream_sealed = kept.and_then(|k| seal(key, &row.id_hash, &k));
                    writes.push(Op::Put(row, None));
                }
                other => writes.push(other),
            }
        }
        let path = db.path().to_path_buf();
        let sql = |e: store::SqliteError| store::SqlError::from(e).at(&path, Duration::ZERO);
        let written = db.write(|tx| {
            for op in &writes {
                match op {
                    Op::Put(row, _) => store::sessions::put(tx, row).map_err(sql)?,
                    Op::Upstream(hash, kept) => {
                        store::sessions::set_upstream(tx, hash, seal(key, hash, kept).as_deref()).map_err(sql)?
                    }
                    Op::Touch(hash, at) => store::sessions::touch(tx, hash, at).map_err(sql)?,
                    Op::Delete(hash) => store::sessions::delete(tx, hash).map_err(sql)?,
                    Op::Flush(_) => {}
                }
            }
            Ok::<(), StoreError>(())
        });
        if let Err(e) = written {
            tracing::warn!(error = %e, changes = writes.len(), "cannot write the sessions' table; those sessions will not resume after a restart");
        }
        for ack in flushed {
            let _ = ack.send(());
        }
    }
}

fn seal(key: &SealKey, hash: &str, kept: &UpstreamKept) -> Option<Vec<u8>> {
    let plain = serde_json::to_vec(kept).ok()?;
    match key.seal(&purpose::session_upstream(hash), &plain) {
        Ok(sealed) => Some(sealed),
        Err(e) => {
            tracing::warn!(error = %e, "cannot seal a session's upstream; it will start a new one after a restart");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::mcp::testing::Fixture;

    fn dormant_at(principal: &str, settings: Option<String>, last_used: DateTime<Utc>) -> Dormant {
        Dormant {
            server_id: 1,
            principal: principal.into(),
            protocol_version: "2025-11-25".into(),
            init: "{}".into(),
            upstream_session: None,
            settings,
            last_used,
        }
    }

    #[test]
    fn a_dormant_session_resumes_only_while_it_would_have_lived() {
        let gw = Fixture::default().start();
        let snapshot = gw.shared.live.load();
        let now = crate::clock::Clock::system().now();
        let digest = settings_digest(snapshot.server("fx").unwrap());
        let hour = Duration::from_secs(3600);
        let good = |d: &Dormant| still_good(d, &snapshot, now, hour, &mut HashMap::new());
        assert!(good(&dormant_at("token:1", Some(digest.clone()), now)));
        let two_hours = chrono::TimeDelta::hours(2);
        assert!(!good(&dormant_at("token:1", Some(digest.clone()), now - two_hours)), "idle");
        assert!(!good(&dormant_at("token:9", Some(digest.clone()), now)), "a token no longer there");
        assert!(!good(&dormant_at("user:1:1", Some(digest.clone()), now)), "a user no longer there");
        assert!(!good(&dormant_at("token", Some(digest.clone()), now)), "unreadable principal");
        assert!(!good(&dormant_at("token:1", Some("0".repeat(64)), now)), "the upstream settings changed");
        assert!(!good(&dormant_at("token:1", None, now)), "a proxy server's session has upstream settings");
        let token = snapshot.token_ids_entry(1).unwrap();
        assert_eq!(
            principal_key(&Principal::ApiToken { token_id: 1, token_name: token.name.clone(), server_id: 1 }),
            "token:1"
        );
    }

    #[test]
    fn the_id_is_stored_as_its_hash_and_the_upstream_sealed_to_it() {
        let id = "ab".repeat(32);
        let hash = id_hash(&id);
        assert_eq!(hash, crate::identity::token::hash(&id));
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, id);
        let key = SealKey::from_bytes([3; crate::secrets::KEY_LEN]);
        let kept = UpstreamKept { session: Some("upstream-session-7".into()), settings: "digest".into() };
        let sealed = seal(&key, &hash, &kept).unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("upstream-session-7"));
        let row = SessionRow {
            id_hash: hash.clone(),
            server_id: 1,
            principal: "token:1".into(),
            protocol_version: "2025-11-25".into(),
            init: "{}".into(),
            upstream_sealed: Some(sealed),
            created_at: "2026-12-07T00:00:00.000000Z".into(),
            last_used_at: "2026-12-07T00:00:00.000000Z".into(),
        };
        let d = dormant(&key, &row).unwrap();
        assert_eq!(d.upstream_session.as_ref().map(Secret::expose), Some("upstream-session-7"));
        assert_eq!(d.settings.as_deref(), Some("digest"));
        // Moved to another session's row, the sealed value does not open: the row goes.
        let moved = SessionRow { id_hash: id_hash("another"), ..row };
        assert!(dormant(&key, &moved).is_none());
    }
}
