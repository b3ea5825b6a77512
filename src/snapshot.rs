//! The hot path's immutable view of the state database, and the watcher that swaps in a new one
//! when another process (the admin CLI) commits.
//!
//! Architecture invariant: request handling reads only a `Snapshot`; it never runs SQL. A new
//! snapshot is published within `POLL_INTERVAL` of a commit by another process (`PRAGMA
//! data_version` changes), and subscribers get it to end sessions that lost their access.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::model::ToolState;
pub use crate::policy::ServerConfig;
use crate::secrets::{SealKey, Secret};
use crate::store::{self, Db, OpenOptions, Schema, StoreError};

mod composed;

/// How often the watcher asks SQLite whether another process committed.
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// An API token that is not revoked.
#[derive(Debug, Clone)]
pub struct TokenEntry {
    pub id: i64,
    pub server_id: i64,
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

impl TokenEntry {
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }
}

/// An end user as authorization sees them, and as their identity is told to upstreams.
#[derive(Debug, Clone)]
pub struct UserEntry {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub disabled: bool,
    /// Servers the user reaches through a group.
    pub servers: std::collections::HashSet<i64>,
    /// The servers of which the user's groups grant some tools only, with those tools (by the
    /// names the server's clients see); a server reached but not here: every tool.
    pub tools: HashMap<i64, Arc<std::collections::HashSet<String>>>,
    /// The groups the user is in: (id, name), by name.
    pub groups: Vec<(i64, String)>,
}

impl UserEntry {
    /// Whether the user's groups grant `tool` of server `server_id` (a user who reaches the
    /// server through a group granting all of it: every tool).
    pub fn may_use(&self, server_id: i64, tool: &str) -> bool {
        self.tools.get(&server_id).is_none_or(|granted| granted.contains(tool))
    }
}

/// An identity signing key as `/.well-known/jwks.json` publishes it.
#[derive(Debug, Clone)]
pub struct PublishedKey {
    /// The public JWK.
    pub jwk: serde_json::Value,
    /// When a newer key replaced it (`None`: the current key). It is published for
    /// `identity::jwt::RETIRED_KEY_PUBLISHED_SECS` after that.
    pub retired_at: Option<DateTime<Utc>>,
}

impl PublishedKey {
    /// Whether the key is still published at `now`: current, or retired so recently that a token
    /// it signed may still be unexpired.
    pub fn published(&self, now: DateTime<Utc>) -> bool {
        let keep = chrono::Duration::seconds(crate::identity::jwt::RETIRED_KEY_PUBLISHED_SECS);
        self.retired_at.is_none_or(|retired| now < retired + keep)
    }
}

/// An OAuth access token mcpcp issued.
#[derive(Debug, Clone)]
pub struct AccessEntry {
    pub grant_id: i64,
    pub user_id: i64,
    /// The server the token was issued for (its audience).
    pub server_id: i64,
    /// How the user signed in: `Password` or `Sso`.
    pub method: crate::model::AuthMethod,
    pub expires_at: Option<DateTime<Utc>>,
}

impl AccessEntry {
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|e| e <= now)
    }
}

/// Everything a request needs to be decided, as of one state generation.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub generation: i64,
    servers: HashMap<String, Arc<ServerConfig>>,
    tokens: HashMap<String, TokenEntry>,
    token_by_id: HashMap<i64, String>,
    users: HashMap<i64, UserEntry>,
    access: HashMap<String, AccessEntry>,
    grants: std::collections::HashSet<i64>,
    /// Linked upstream accounts of servers whose users sign in upstream, by (server id, user id;
    /// `None` for the shared one), their access tokens unsealed.
    connections: HashMap<(i64, Option<i64>), ConnectionEntry>,
    /// The key identity JWTs are signed with now, its private half unsealed.
    signing_key: Option<Arc<crate::identity::jwt::SigningKey>>,
    /// Every stored signing key's public half.
    published_keys: Vec<PublishedKey>,
}

/// A linked upstream account as the gateway uses it.
#[derive(Debug, Clone)]
pub struct ConnectionEntry {
    /// `Authorization: Bearer …` for the upstream, marked sensitive; `None` if the sealed
    /// tokens did not open (the connection is treated as missing).
    pub authorization: Option<axum::http::HeaderValue>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the tokens were issued (linked or last refreshed).
    pub issued_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The upstream account, when the upstream said it (for the activity record).
    pub subject: Option<Arc<str>>,
}

impl ConnectionEntry {
    /// Whether the access token should be refreshed before use at `now`: it expires within a
    /// quarter of its lifetime, or 60 s, whichever is shorter (a token without expiry never).
    pub fn refresh_due(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        let Some(expires) = self.expires_at else { return false };
        let lifetime = self.issued_at.map_or(chrono::Duration::seconds(240), |i| expires - i);
        let ahead = (lifetime / 4).min(chrono::Duration::seconds(60));
        expires - now <= ahead
    }
}

/// OpenAPI servers' operations, by server id and tool (an operation that does not parse, written
/// by a newer mcpcp, is left out: its tool is then refused as unknown).
fn openapi_operations(rows: Vec<(i64, String, String)>) -> HashMap<i64, crate::policy::OpenApiOperations> {
    let mut out: HashMap<i64, crate::policy::OpenApiOperations> = HashMap::new();
    for (server_id, tool, operation) in rows {
        if let Ok(op) = serde_json::from_str::<crate::model::openapi::Operation>(&operation) {
            out.entry(server_id).or_default().insert(tool, Arc::new(op));
        }
    }
    out
}

impl Snapshot {
    /// Builds a snapshot from the rows, unsealing stdio environments with `key`.
    pub fn build(rows: store::snapshot::Rows, key: &SealKey) -> Snapshot {
        let mut composed = composed::build(rows.composed);
        let mut openapi = openapi_operations(rows.openapi);
        let mut tools: HashMap<i64, HashMap<String, ToolState>> = HashMap::new();
        let mut catalogues: HashMap<i64, Vec<String>> = HashMap::new();
        for t in rows.tools {
            if let Some(definition) = t.definition {
                catalogues.entry(t.server_id).or_default().push(definition);
            }
            tools.entry(t.server_id).or_default().insert(t.name, t.state);
        }
        let servers: HashMap<String, Arc<ServerConfig>> = rows
            .servers
            .into_iter()
            .map(|s| {
                let env = match &s.env_sealed {
                    None => Ok(Vec::new()),
                    Some(sealed) => unseal(key, crate::secrets::purpose::SERVER_ENV, sealed),
                };
                let upstream_headers = match &s.upstream_headers_sealed {
                    None => Ok(Vec::new()),
                    Some(sealed) => unseal(key, crate::secrets::purpose::SERVER_UPSTREAM_HEADERS, sealed),
                };
                let config = ServerConfig {
                    id: s.id,
                    name: s.name.clone(),
                    transport: s.transport,
                    url: s.url,
                    command: s.command,
                    env,
                    upstream_auth: s.upstream_auth,
                    upstream_headers,
                    upstream_oauth: s.upstream_oauth.as_ref().map(|o| upstream_oauth(key, o)),
                    auth: s.auth,
                    enabled: s.enabled,
                    capture: s.capture,
                    ip_rules: ip_rules(&s.ip_rules),
                    rate: rate_limit(&s.rate_limits, "server"),
                    rate_per_user: rate_limit(&s.rate_limits, "user"),
                    quota: quota(&s.quotas, "server"),
                    quota_per_user: quota(&s.quotas, "user"),
                    tools: tools.remove(&s.id).unwrap_or_default(),
                    catalogue: (s.upstream_auth == crate::model::UpstreamAuth::Oauth || s.kind == "openapi").then(
                        || {
                            let entries = catalogues.remove(&s.id).unwrap_or_default();
                            Arc::from(format!("[{}]", entries.join(",")))
                        },
                    ),
                    identity_forward: s.identity_forward,
                    identity_jwt_header: s.identity_jwt_header,
                    composed: (s.transport == crate::model::Transport::None)
                        .then(|| composed.remove(&s.id).unwrap_or_default()),
                    openapi: (s.kind == "openapi").then(|| Arc::new(openapi.remove(&s.id).unwrap_or_default())),
                };
                (s.name, Arc::new(config))
            })
            .collect();
        let tokens: HashMap<String, TokenEntry> = rows
            .tokens
            .into_iter()
            .map(|t| {
                let expires_at = t.expires_at.as_deref().and_then(store::parse_timestamp);
                (t.hash, TokenEntry { id: t.id, server_id: t.server_id, name: t.name, expires_at })
            })
            .collect();
        let token_by_id = tokens.iter().map(|(hash, t): (&String, &TokenEntry)| (t.id, hash.clone())).collect();
        let mut users: HashMap<i64, UserEntry> = rows
            .users
            .into_iter()
            .map(|u| {
                let entry = UserEntry {
                    id: u.id,
                    name: u.name,
                    email: u.email,
                    disabled: u.disabled,
                    servers: Default::default(),
                    tools: HashMap::new(),
                    groups: Vec::new(),
                };
                (u.id, entry)
            })
            .collect();
        // A server's tools a user may use: all of them if any of their groups grants all,
        // else those any of their groups grants.
        let mut limits: HashMap<(i64, i64), Option<std::collections::HashSet<String>>> = HashMap::new();
        for (user, server, tools) in rows.reach {
            if let Some(u) = users.get_mut(&user) {
                u.servers.insert(server);
            }
            let granted: Option<Vec<String>> = tools.map(|t| serde_json::from_str(&t).unwrap_or_default());
            let limit = limits.entry((user, server)).or_insert_with(|| Some(Default::default()));
            match (limit.as_mut(), granted) {
                (Some(set), Some(granted)) => set.extend(granted),
                (_, None) => *limit = None,
                (None, Some(_)) => {}
            }
        }
        for ((user, server), limit) in limits {
            if let (Some(u), Some(set)) = (users.get_mut(&user), limit) {
                u.tools.insert(server, Arc::new(set));
            }
        }
        for (user, group_id, group) in rows.memberships {
            if let Some(u) = users.get_mut(&user) {
                u.groups.push((group_id, group));
            }
        }
        let (signing_key, published_keys) = signing_keys(key, rows.signing_keys);
        let grants = rows.live_grants.into_iter().collect();
        let access = rows
            .access
            .into_iter()
            .map(|a| {
                let entry = AccessEntry {
                    grant_id: a.grant_id,
                    user_id: a.user_id,
                    server_id: a.server_id,
                    method: if a.method == "sso" {
                        crate::model::AuthMethod::Sso
                    } else {
                        crate::model::AuthMethod::Password
                    },
                    expires_at: store::parse_timestamp(&a.expires_at),
                };
                (a.hash, entry)
            })
            .collect();
        let oauth_servers: std::collections::HashSet<i64> =
            servers.values().filter(|s| s.upstream_auth == crate::model::UpstreamAuth::Oauth).map(|s| s.id).collect();
        let connections = rows
            .connections
            .into_iter()
            .filter(|c| oauth_servers.contains(&c.server_id))
            .map(|c| {
                let authorization = crate::secrets::UpstreamTokens::open(key, c.server_id, c.user_id, &c.tokens_sealed)
                    .ok()
                    .and_then(|t| axum::http::HeaderValue::from_str(&format!("Bearer {}", t.access)).ok())
                    .map(|mut v| {
                        v.set_sensitive(true);
                        v
                    });
                let expires_at = c.expires_at.as_deref().and_then(store::parse_timestamp);
                let issued_at = store::parse_timestamp(&c.issued_at);
                let subject = c.subject.map(Arc::from);
                ((c.server_id, c.user_id), ConnectionEntry { authorization, expires_at, issued_at, subject })
            })
            .collect();
        Snapshot {
            generation: rows.generation,
            servers,
            tokens,
            token_by_id,
            users,
            access,
            grants,
            connections,
            signing_key,
            published_keys,
        }
    }

    pub fn server(&self, name: &str) -> Option<&Arc<ServerConfig>> {
        self.servers.get(name)
    }

    pub fn servers(&self) -> impl Iterator<Item = &Arc<ServerConfig>> {
        self.servers.values()
    }

    /// The unrevoked token whose SHA-256 is `hash`.
    pub fn token(&self, hash: &str) -> Option<&TokenEntry> {
        self.tokens.get(hash)
    }

    pub fn user(&self, id: i64) -> Option<&UserEntry> {
        self.users.get(&id)
    }

    /// The access token (issued by mcpcp's authorization server) whose SHA-256 is `hash`.
    pub fn access_token(&self, hash: &str) -> Option<&AccessEntry> {
        self.access.get(hash)
    }

    /// Whether a grant (token family) is neither revoked nor past its absolute expiry.
    /// The linked upstream account of `user_id` (`None`: the shared one) for a server.
    pub fn connection(&self, server_id: i64, user_id: Option<i64>) -> Option<&ConnectionEntry> {
        self.connections.get(&(server_id, user_id)).filter(|c| c.authorization.is_some())
    }

    pub fn grant_live(&self, grant_id: i64) -> bool {
        self.grants.contains(&grant_id)
    }

    /// The key to sign identity JWTs with, if one was made.
    pub fn signing_key(&self) -> Option<&Arc<crate::identity::jwt::SigningKey>> {
        self.signing_key.as_ref()
    }

    /// The public keys of `/.well-known/jwks.json` at `now`: the current one, and those retired
    /// recently enough that a token they signed may not have expired.
    pub fn published_keys(&self, now: DateTime<Utc>) -> impl Iterator<Item = &serde_json::Value> {
        self.published_keys.iter().filter(move |k| k.published(now)).map(|k| &k.jwk)
    }

    /// The unrevoked token with this id.
    pub fn token_ids_entry(&self, id: i64) -> Option<&TokenEntry> {
        self.token_by_id.get(&id).and_then(|hash| self.tokens.get(hash))
    }
}

/// The current signing key (unsealed) and every key's public JWK. A key that does not open is
/// left out with a warning: no token is signed rather than one nobody can verify.
fn signing_keys(
    key: &SealKey,
    rows: Vec<store::signing_keys::KeyRow>,
) -> (Option<Arc<crate::identity::jwt::SigningKey>>, Vec<PublishedKey>) {
    let mut current = None;
    let mut published = Vec::new();
    for row in rows {
        let retired_at = row.retired_at.as_deref().and_then(store::parse_timestamp);
        if row.retired_at.is_none() {
            let opened = key
                .open(&crate::secrets::purpose::signing_key(&row.kid), &row.private_key_sealed)
                .map_err(|e| e.to_string())
                .and_then(|pkcs8| {
                    crate::identity::jwt::SigningKey::from_pkcs8(&row.kid, &pkcs8).map_err(|e| e.to_string())
                });
            match opened {
                Ok(k) => current = Some(Arc::new(k)),
                Err(e) => {
                    tracing::warn!(kid = row.kid, error = %e, "the identity signing key does not open; no JWT is signed")
                }
            }
        }
        published.push(PublishedKey { jwk: crate::identity::jwt::jwk(&row.public_key), retired_at });
    }
    (current, published)
}

/// mcpcp's client at a server's upstream, its secret unsealed.
fn upstream_oauth(key: &SealKey, o: &store::servers::OauthRow) -> crate::policy::UpstreamOauth {
    let client_secret = match &o.client_secret_sealed {
        None => Ok(None),
        Some(sealed) => key
            .open(crate::secrets::purpose::UPSTREAM_CLIENT_SECRET, sealed)
            .map_err(|e| e.to_string())
            .and_then(|plain| String::from_utf8(plain).map_err(|e| e.to_string()))
            .map(|s| Some(Secret::new(s))),
    };
    crate::policy::UpstreamOauth {
        resource: o.resource.clone(),
        issuer: o.issuer.clone(),
        authorization_endpoint: o.authorization_endpoint.clone(),
        token_endpoint: o.token_endpoint.clone(),
        revocation_endpoint: o.revocation_endpoint.clone(),
        iss_parameter: o.iss_parameter,
        client_id: o.client_id.clone(),
        client_secret,
        auth_method: o.auth_method.clone(),
        scopes: o.scopes.split_whitespace().map(String::from).collect(),
    }
}

/// A sealed JSON object of names and secret values (a stdio server's environment, an upstream's
/// headers).
fn unseal(key: &SealKey, purpose: &str, sealed: &[u8]) -> Result<Vec<(String, Secret)>, String> {
    let plain = key.open(purpose, sealed).map_err(|e| e.to_string())?;
    let map: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&plain).map_err(|e| format!("sealed {purpose} is not a JSON object: {e}"))?;
    Ok(map.into_iter().map(|(k, v)| (k, Secret::new(v))).collect())
}

/// The current snapshot, swapped atomically, plus a channel announcing each new one.
#[derive(Debug)]
pub struct Live {
    current: ArcSwap<Snapshot>,
    announce: watch::Sender<Arc<Snapshot>>,
    /// Held across each reload's load and publish (`reload`).
    reloading: std::sync::Mutex<()>,
}

impl Live {
    pub fn new(first: Snapshot) -> Arc<Live> {
        let first = Arc::new(first);
        let (announce, _) = watch::channel(first.clone());
        Arc::new(Live { current: ArcSwap::new(first), announce, reloading: std::sync::Mutex::new(()) })
    }

    /// The snapshot to decide the current request with.
    pub fn load(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// The generation of the current snapshot (read without taking a reference to it).
    pub fn generation(&self) -> i64 {
        self.current.load().generation
    }

    /// Receives every new snapshot.
    pub fn subscribe(&self) -> watch::Receiver<Arc<Snapshot>> {
        self.announce.subscribe()
    }

    pub fn publish(&self, next: Snapshot) {
        let next = Arc::new(next);
        self.current.store(next.clone());
        self.announce.send_replace(next);
    }

    /// Loads a snapshot with `load` and publishes it; returns its generation. Reloads run one at
    /// a time, so they publish in the order they read: a snapshot read before a commit never
    /// replaces one read after it (the gateway reloads after its own writes and answers once the
    /// reload is done; the watcher reloads too, and either may be slower).
    pub fn reload<E>(&self, load: impl FnOnce() -> Result<Snapshot, E>) -> Result<i64, E> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let next = load()?;
        let generation = next.generation;
        self.publish(next);
        Ok(generation)
    }
}

/// Loads a snapshot from the database now.
/// The limit of `scope` from the rows.
fn rate_limit(rows: &[store::servers::RateRow], scope: &str) -> Option<(crate::policy::rate::Gcra, String)> {
    let (_, count, period_ms, burst) = rows.iter().find(|r| r.0 == scope)?;
    let period = std::time::Duration::from_millis(u64::try_from(*period_ms).ok()?);
    let rate = crate::policy::rate::Rate { count: *count, period };
    Some((crate::policy::rate::Gcra::new(rate, *burst), format!("{count} per {period:?}, burst {burst}")))
}

/// The rules from their rows (rows that do not parse are skipped; the CLI stores only valid ones).
fn quota(rows: &[store::servers::QuotaRow], scope: &str) -> Option<crate::policy::quota::Quota> {
    let (_, count, period, timezone) = rows.iter().find(|r| r.0 == scope)?;
    let text = format!("{count}/{period}");
    // A zone this build does not know (older tz data than the CLI that stored it) falls back to
    // UTC rather than dropping the quota.
    crate::policy::quota::Quota::parse(&text, Some(timezone))
        .or_else(|e| {
            tracing::warn!(error = %e, "stored quota {text} uses an unknown time zone; counting in UTC");
            crate::policy::quota::Quota::parse(&text, None)
        })
        .ok()
}

fn ip_rules(rows: &[(String, String)]) -> crate::policy::ip::IpRules {
    let mut rules = crate::policy::ip::IpRules::default();
    for (cidr, action) in rows {
        if let Ok(net) = cidr.parse() {
            if action == "deny" { rules.deny.push(net) } else { rules.allow.push(net) }
        }
    }
    rules
}

pub fn load(db: &mut Db, key: &SealKey) -> Result<Snapshot, StoreError> {
    let rows = db.read_sql(|tx| store::snapshot::load(tx))?;
    Ok(Snapshot::build(rows, key))
}

/// Stops the watcher thread when dropped.
#[derive(Debug)]
pub struct WatcherGuard(Arc<AtomicBool>);

impl Drop for WatcherGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Starts a thread that polls `state_db` and publishes a new snapshot on every change.
pub fn watch(
    state_db: PathBuf,
    key: SealKey,
    live: Arc<Live>,
    options: OpenOptions,
) -> Result<WatcherGuard, StoreError> {
    let mut db = Db::open(&state_db, Schema::State, options)?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let spawned = std::thread::Builder::new().name("mcpcp-snapshot".into()).spawn(move || {
        let mut seen = db.data_version().ok();
        while !stopped.load(Ordering::Relaxed) {
            std::thread::sleep(POLL_INTERVAL);
            let version = match db.data_version() {
                Ok(v) => v,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot poll the state database");
                    continue;
                }
            };
            if Some(version) == seen {
                continue;
            }
            match live.reload(|| load(&mut db, &key)) {
                Ok(generation) => {
                    seen = Some(version);
                    tracing::debug!(generation, "state changed; new snapshot");
                }
                Err(e) => tracing::warn!(error = %e, "cannot load a new snapshot; keeping the current one"),
            }
        }
    });
    spawned
        .map_err(|e| StoreError::Other { path: state_db.clone(), detail: format!("cannot start the watcher: {e}") })?;
    Ok(WatcherGuard(stop))
}
