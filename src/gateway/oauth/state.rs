//! What the authorization server keeps in memory between requests: pending authorization
//! requests, browsers' sign-in sessions, authorization codes, failure counters, SSO flows, admin
//! sign-ins and their codes, and fetched client metadata documents.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::sso;
use crate::model::AuthMethod;
use crate::ops::oauth::Client;

/// A linked upstream account: (server id, user id; `None` for the server's shared one).
pub(super) type Account = (i64, Option<i64>);

/// An authorization request waiting for the user to sign in and consent.
#[derive(Debug, Clone)]
pub(super) struct PendingRequest {
    pub(super) client_id: String,
    pub(super) client_name: String,
    pub(super) redirect_uri: String,
    pub(super) state: Option<String>,
    pub(super) challenge: String,
    pub(super) scope: String,
    pub(super) server_id: i64,
    pub(super) server: String,
    pub(super) method: AuthMethod,
    pub(super) csrf: String,
    /// `prompt=consent`: ask even if the user consented to this client before.
    pub(super) force_consent: bool,
    pub(super) created: Instant,
    /// The browser that started it (the login cookie's digest), once signed in.
    pub(super) user: Option<(i64, String)>,
    /// Set when the sign-in is for linking an upstream account (`connect`): the link's id. The
    /// signed-in browser then goes back to the link instead of on to consent.
    pub(super) connect: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct LoginSession {
    pub(super) user_id: i64,
    pub(super) name: String,
    /// How the browser signed in: it is reused only for servers asking for the same method.
    pub(super) method: AuthMethod,
    pub(super) created: Instant,
}

#[derive(Debug, Clone)]
pub(super) struct Code {
    pub(super) client_id: String,
    pub(super) redirect_uri: String,
    pub(super) challenge: String,
    pub(super) user_id: i64,
    pub(super) name: String,
    pub(super) server_id: i64,
    pub(super) server: String,
    pub(super) scope: String,
    pub(super) method: String,
    /// When it was issued, by the gateway's clock.
    pub(super) issued: chrono::DateTime<chrono::Utc>,
    /// Whether it was redeemed: checked and marked under the lock of the codes, so exactly one
    /// request redeems it; any other presentation is a replay (RFC 9700 §4.2.4, ASVS 10.4.2).
    pub(super) redemption: Redemption,
}

/// Where a code's redemption stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Redemption {
    Unused,
    /// A request won it and is issuing tokens; `replayed` once another presented it meanwhile,
    /// so the winner revokes what it issued.
    Running {
        replayed: bool,
    },
    /// Tokens were issued for it.
    Done,
}

/// An admin sign-in (`mcpcp admin login`) on its way through the identity provider.
#[derive(Debug, Clone)]
pub(super) struct AdminLogin {
    /// The command line's loopback redirect URI.
    pub(super) redirect_uri: String,
    /// The command line's `state`, sent back with the code.
    pub(super) state: String,
    /// Its PKCE challenge (S256): the code is redeemed only with the verifier.
    pub(super) challenge: String,
    pub(super) created: Instant,
    /// The admin the identity provider signed in, once it did: the sign-in then waits for the
    /// person at the browser to confirm it (`admin_login::confirm`).
    pub(super) signed: Option<SignedAdmin>,
}

/// The admin an admin sign-in signed in, waiting for the browser's confirmation.
#[derive(Debug, Clone)]
pub(super) struct SignedAdmin {
    pub(super) admin_id: i64,
    pub(super) admin: String,
    pub(super) groups: Vec<String>,
    /// The activity record's parameters of the sign-in, recorded with the browser's answer.
    pub(super) params: String,
}

/// A one-time code for an admin sign-in, held under its id (the part of the code before `.`).
#[derive(Debug, Clone)]
pub(super) struct AdminCode {
    /// SHA-256 of the code's secret part, compared in constant time.
    pub(super) secret_hash: String,
    pub(super) challenge: String,
    pub(super) admin_id: i64,
    pub(super) admin: String,
    /// The identity provider groups asserted at the sign-in, kept with the token.
    pub(super) groups: Vec<String>,
    /// When it was issued, by the gateway's clock.
    pub(super) issued: chrono::DateTime<chrono::Utc>,
}

/// Failed attempts under one throttling key in the current window.
#[derive(Debug, Clone, Copy)]
pub(super) struct Failures {
    pub(super) count: u32,
    pub(super) since: Instant,
}

/// The most authorization requests pending at once, and per client (the oldest is dropped).
pub const MAX_PENDING: usize = 1_000;
pub const MAX_PENDING_PER_CLIENT: usize = 100;
/// The most browsers signed in to mcpcp's pages at once.
pub const MAX_LOGINS: usize = 10_000;
/// The most authorization codes held (issued in the last ten minutes).
pub const MAX_CODES: usize = 5_000;
/// The most throttling keys counted at once.
pub const MAX_FAILURE_KEYS: usize = 10_000;
/// The most sign-ins at the external IdP at once.
pub const MAX_SSO_FLOWS: usize = 1_000;
/// Links to link an upstream account held at once, and sign-ins sent to upstreams.
pub const MAX_LINKS: usize = 1_000;
pub const MAX_CONNECT_FLOWS: usize = 1_000;
/// Admin sign-ins at the identity provider at once, and their codes not yet redeemed.
pub const MAX_ADMIN_LOGINS: usize = 1_000;
pub const MAX_ADMIN_CODES: usize = 1_000;
/// The most client ID metadata documents cached.
pub const MAX_DOCUMENTS: usize = 1_000;

/// What the authorization server keeps in memory. Every map is bounded in count (`MAX_*`); a
/// full map drops its oldest entry, so no sequence of requests makes it grow without limit.
#[derive(Debug)]
pub struct AuthState {
    /// Pending authorization requests, by the id in their forms.
    pub(super) pending: Mutex<Capped<PendingRequest>>,
    /// Browsers signed in, by the digest of their cookie.
    pub(super) logins: Mutex<Capped<LoginSession>>,
    /// Authorization codes, by digest.
    pub(super) codes: Mutex<Capped<Code>>,
    /// Failed sign-ins and registrations, by throttling key.
    pub(super) failures: Mutex<Capped<Failures>>,
    /// Sign-ins sent to the external IdP, by the `state` sent with them.
    pub(super) sso_flows: Mutex<Capped<sso::SsoFlow>>,
    /// Client ID metadata documents fetched, by URL.
    pub(super) documents: Mutex<Capped<(Client, Instant)>>,
    /// The OpenID Connect relying party (made on first use).
    pub(super) rp: std::sync::OnceLock<crate::identity::oidc::RelyingParty>,
    /// Links for users to link their upstream account, by id (`connect`).
    pub(super) links: Mutex<Capped<super::connect::Link>>,
    /// Sign-ins sent to upstream authorization servers, by the `state` sent with them.
    pub(super) connect_flows: Mutex<Capped<super::connect::Flow>>,
    /// The nonces of shared-connection links already opened (each opens once), with when.
    pub(super) shared_links_used: Mutex<Capped<Instant>>,
    /// Admin sign-ins (`mcpcp admin login`) sent to the identity provider, by id.
    pub(super) admin_logins: Mutex<Capped<AdminLogin>>,
    /// Admin sign-ins' one-time codes, by id.
    pub(super) admin_codes: Mutex<Capped<AdminCode>>,
    /// One lock per linked account being refreshed, so one refresh runs however many calls wait.
    pub(super) refreshing: Mutex<HashMap<Account, Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for AuthState {
    fn default() -> AuthState {
        AuthState {
            pending: Mutex::new(Capped::new(MAX_PENDING)),
            logins: Mutex::new(Capped::new(MAX_LOGINS)),
            codes: Mutex::new(Capped::new(MAX_CODES)),
            failures: Mutex::new(Capped::new(MAX_FAILURE_KEYS)),
            sso_flows: Mutex::new(Capped::new(MAX_SSO_FLOWS)),
            documents: Mutex::new(Capped::new(MAX_DOCUMENTS)),
            rp: std::sync::OnceLock::new(),
            links: Mutex::new(Capped::new(MAX_LINKS)),
            connect_flows: Mutex::new(Capped::new(MAX_CONNECT_FLOWS)),
            shared_links_used: Mutex::new(Capped::new(MAX_CONNECT_FLOWS)),
            admin_logins: Mutex::new(Capped::new(MAX_ADMIN_LOGINS)),
            admin_codes: Mutex::new(Capped::new(MAX_ADMIN_CODES)),
            refreshing: Mutex::new(HashMap::new()),
        }
    }
}

impl AuthState {
    /// How many authorization requests are pending (tests show the bound with it).
    pub fn pending_len(&self) -> usize {
        self.pending.lock().map_or(0, |m| m.len())
    }

    /// Keeps a new pending request `id`: expired ones go first, then, if its client already has
    /// `MAX_PENDING_PER_CLIENT`, that client's oldest; a full map drops its oldest.
    pub(super) fn add_pending(&self, id: String, request: PendingRequest, lifetime: std::time::Duration) {
        let Ok(mut map) = self.pending.lock() else { return };
        map.retain(|p| p.created.elapsed() < lifetime);
        if map.count(|p| p.client_id == request.client_id) >= MAX_PENDING_PER_CLIENT {
            map.remove_oldest(|p| p.client_id == request.client_id);
        }
        map.insert(id, request);
    }
}

/// A map that holds at most `cap` entries: inserting into a full map first drops the entry
/// inserted longest ago, so whatever a client sends, the map's size stays bounded.
#[derive(Debug)]
pub(super) struct Capped<V> {
    cap: usize,
    /// The next insertion's sequence number (insertion order).
    next: u64,
    entries: HashMap<String, (u64, V)>,
    /// Keys by sequence number, oldest first.
    order: BTreeMap<u64, String>,
}

impl<V> Capped<V> {
    pub(super) fn new(cap: usize) -> Capped<V> {
        Capped { cap: cap.max(1), next: 0, entries: HashMap::new(), order: BTreeMap::new() }
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key).map(|(_, v)| v)
    }

    pub(super) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.entries.get_mut(key).map(|(_, v)| v)
    }

    /// The key of the first entry `pred` holds for.
    pub(super) fn find_key(&self, mut pred: impl FnMut(&V) -> bool) -> Option<String> {
        self.entries.iter().find(|(_, (_, v))| pred(v)).map(|(k, _)| k.clone())
    }

    pub(super) fn remove(&mut self, key: &str) -> Option<V> {
        let (seq, value) = self.entries.remove(key)?;
        self.order.remove(&seq);
        Some(value)
    }

    /// Inserts `value` (replacing any entry under `key`) as the newest entry, evicting the oldest
    /// entries while the map is full.
    pub(super) fn insert(&mut self, key: String, value: V) {
        self.remove(&key);
        while self.entries.len() >= self.cap {
            let Some((_, oldest)) = self.order.pop_first() else { break };
            self.entries.remove(&oldest);
        }
        let seq = self.next;
        self.next += 1;
        self.order.insert(seq, key.clone());
        self.entries.insert(key, (seq, value));
    }

    /// Keeps only the entries for which `keep` holds.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        let order = &mut self.order;
        self.entries.retain(|_, (seq, value)| {
            let kept = keep(value);
            if !kept {
                order.remove(seq);
            }
            kept
        });
    }

    /// How many entries `pick` holds for.
    pub(super) fn count(&self, mut pick: impl FnMut(&V) -> bool) -> usize {
        self.entries.values().filter(|(_, v)| pick(v)).count()
    }

    /// Removes the oldest entry `pick` holds for.
    pub(super) fn remove_oldest(&mut self, mut pick: impl FnMut(&V) -> bool) -> Option<V> {
        let key = self.order.values().find(|k| self.entries.get(k.as_str()).is_some_and(|(_, v)| pick(v)))?.clone();
        self.remove(&key)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_full_map_drops_its_oldest_entry() {
        let mut map = Capped::new(3);
        for (k, v) in [("a", 1), ("b", 2), ("c", 3)] {
            map.insert(k.to_string(), v);
        }
        // Replacing an entry makes it the newest; it does not grow the map.
        map.insert("a".to_string(), 10);
        assert_eq!(map.len(), 3);
        map.insert("d".to_string(), 4);
        assert_eq!((map.len(), map.get("b"), map.get("a")), (3, None, Some(&10)));
        map.retain(|v| *v != 3);
        assert_eq!(map.len(), 2);
        assert_eq!(map.remove_oldest(|_| true), Some(10));
        assert_eq!(map.remove("d"), Some(4));
        assert_eq!(map.len(), 0);
        assert_eq!(map.order.len(), 0, "the order index follows the entries");
        for i in 0..10_000 {
            map.insert(format!("k{i}"), i);
        }
        assert_eq!((map.len(), map.order.len()), (3, 3));
    }

    fn request(client: &str) -> PendingRequest {
        PendingRequest {
            client_id: client.to_string(),
            client_name: String::new(),
            redirect_uri: String::new(),
            state: Some("x".repeat(1024)),
            challenge: String::new(),
            scope: String::new(),
            server_id: 1,
            server: String::new(),
            method: AuthMethod::Password,
            csrf: String::new(),
            force_consent: false,
            created: Instant::now(),
            user: None,
            connect: None,
        }
    }

    #[test]
    fn pending_requests_are_capped_per_client_and_in_all() {
        let state = AuthState::default();
        let lifetime = Duration::from_secs(600);
        for i in 0..MAX_PENDING_PER_CLIENT * 3 {
            state.add_pending(format!("one-{i}"), request("one"), lifetime);
        }
        assert_eq!(state.pending_len(), MAX_PENDING_PER_CLIENT);
        let held = |key: &str| state.pending.lock().unwrap().get(key).is_some();
        assert!(!held("one-0") && held(&format!("one-{}", MAX_PENDING_PER_CLIENT * 3 - 1)), "the client's oldest go");
        for i in 0..MAX_PENDING * 2 {
            state.add_pending(format!("many-{i}"), request(&format!("client-{}", i % 50)), lifetime);
        }
        assert_eq!(state.pending_len(), MAX_PENDING);
        // Expired requests make room first.
        state.add_pending("late".into(), request("late"), Duration::ZERO);
        assert_eq!(state.pending_len(), 1);
    }
}
