//! What the authorization server keeps in memory between requests: pending authorization
//! requests, browsers' sign-in sessions, authorization codes, failure counters, SSO flows and
//! fetched client metadata documents.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use super::sso;
use crate::model::AuthMethod;
use crate::store;

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
    /// The grant the code was redeemed for: a replay revokes it (RFC 9700 §4.2.4, ASVS 10.4.2).
    pub(super) redeemed: Option<i64>,
}

/// What the authorization server keeps in memory.
#[derive(Debug, Default)]
pub struct AuthState {
    pub(super) pending: Mutex<HashMap<String, PendingRequest>>,
    pub(super) logins: Mutex<HashMap<String, LoginSession>>,
    pub(super) codes: Mutex<HashMap<String, Code>>,
    pub(super) failures: Mutex<HashMap<String, (u32, Instant)>>,
    /// Sign-ins sent to the external IdP, by the `state` sent with them.
    pub(super) sso_flows: Mutex<HashMap<String, sso::SsoFlow>>,
    /// Client ID metadata documents fetched, by URL.
    pub(super) documents: Mutex<HashMap<String, (store::oauth::Client, Instant)>>,
    /// The OpenID Connect relying party (made on first use).
    pub(super) rp: std::sync::OnceLock<crate::identity::oidc::RelyingParty>,
}
