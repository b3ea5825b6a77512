//! Secrets in memory and at rest: a redacting wrapper, and sealing with the data directory's key.
//!
//! Sealed values are XChaCha20-Poly1305 with a random 24-byte nonce per value and an associated
//! data string naming the value's purpose, so a sealed blob cannot be moved to another column.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// The purposes sealed values are bound to (the associated data of [`SealKey::seal`]): each names
/// its column, so a blob cannot be moved to another.
pub mod purpose {
    /// The environment values of a stdio server (`servers.env_sealed`).
    pub const SERVER_ENV: &str = "mcpcp/servers.env_sealed/v1";
    /// The client secret of the single sign-on provider (`sso.secret_sealed`).
    pub const SSO_CLIENT_SECRET: &str = "mcpcp/sso.secret_sealed/v1";
    /// The static headers the gateway sends a server's upstream (`servers.upstream_headers_sealed`).
    pub const SERVER_UPSTREAM_HEADERS: &str = "mcpcp/servers.upstream_headers_sealed/v1";

    /// mcpcp's client secret at a server's upstream authorization server
    /// (`server_upstream_oauth.client_secret_sealed`).
    pub const UPSTREAM_CLIENT_SECRET: &str = "mcpcp/server_upstream_oauth.client_secret_sealed/v1";

    /// A link for an administrator to authorize a server's shared upstream connection
    /// (`upstream::oauth::shared_link`).
    pub const SHARED_LINK: &str = "mcpcp/shared_link/v1";

    /// The private half of an identity signing key (`signing_keys.private_key_sealed`), bound to
    /// its key id: a sealed key copied to another row does not open.
    pub fn signing_key(kid: &str) -> String {
        format!("mcpcp/signing_keys.private_key_sealed/v1/kid={kid}")
    }

    /// The credentials of one SIEM sink (`siem_sinks.secret_sealed`: a HEC token, a signing
    /// secret, header values), bound to its id: a sealed value copied to another sink does not
    /// open.
    pub fn siem_credentials(sink_id: i64) -> String {
        format!("mcpcp/siem_sinks.secret_sealed/v1/sink={sink_id}")
    }

    /// The upstream tokens of one connection (`upstream_connections.tokens_sealed`), bound to
    /// its server and user (`shared` for the server's shared connection): a sealed value copied
    /// to another row does not open.
    pub fn upstream_tokens(server_id: i64, user_id: Option<i64>) -> String {
        let user = user_id.map_or_else(|| "shared".to_string(), |u| u.to_string());
        format!("mcpcp/upstream_connections.tokens_sealed/v1/server={server_id}/user={user}")
    }

    /// What a stored client session keeps of its upstream (`activity.db` `sessions.upstream_sealed`:
    /// the upstream's session id, a digest of the upstream settings), bound to the session's id
    /// hash: a sealed value copied to another row does not open.
    pub fn session_upstream(id_hash: &str) -> String {
        format!("mcpcp/sessions.upstream_sealed/v1/session={id_hash}")
    }
}

/// The tokens of one linked upstream account, as they are sealed
/// (`upstream_connections.tokens_sealed`, purpose [`purpose::upstream_tokens`]).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UpstreamTokens {
    pub access: String,
    pub refresh: Option<String>,
}

impl std::fmt::Debug for UpstreamTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpstreamTokens([redacted])")
    }
}

impl UpstreamTokens {
    /// Sealed for the connection of `user_id` (`None`: the shared one) to `server_id`.
    pub fn seal(&self, key: &SealKey, server_id: i64, user_id: Option<i64>) -> Result<Vec<u8>, SealError> {
        let plain = serde_json::to_vec(self).map_err(|_| SealError::Open)?;
        key.seal(&purpose::upstream_tokens(server_id, user_id), &plain)
    }

    /// Opens tokens sealed for that connection; fails for a value sealed for another.
    pub fn open(
        key: &SealKey,
        server_id: i64,
        user_id: Option<i64>,
        sealed: &[u8],
    ) -> Result<UpstreamTokens, SealError> {
        let plain = key.open(&purpose::upstream_tokens(server_id, user_id), sealed)?;
        serde_json::from_slice(&plain).map_err(|_| SealError::Open)
    }
}

/// The credentials of one SIEM sink, as they are sealed (`siem_sinks.secret_sealed`, purpose
/// [`purpose::siem_credentials`]): the Splunk HEC token, the HMAC secret that signs an HTTP
/// sink's requests, and the values of the sink's extra headers (which may hold API keys).
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SinkCredentials {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Header name (lowercase) to value.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub headers: std::collections::BTreeMap<String, String>,
}

impl std::fmt::Debug for SinkCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SinkCredentials([redacted])")
    }
}

impl SinkCredentials {
    pub fn is_empty(&self) -> bool {
        self.token.is_none() && self.secret.is_none() && self.headers.is_empty()
    }

    /// Sealed for the sink `sink_id`.
    pub fn seal(&self, key: &SealKey, sink_id: i64) -> Result<Vec<u8>, SealError> {
        let plain = serde_json::to_vec(self).map_err(|_| SealError::Open)?;
        key.seal(&purpose::siem_credentials(sink_id), &plain)
    }

    /// Opens credentials sealed for the sink `sink_id`; fails for a value sealed for another.
    pub fn open(key: &SealKey, sink_id: i64, sealed: &[u8]) -> Result<SinkCredentials, SealError> {
        let plain = key.open(&purpose::siem_credentials(sink_id), sealed)?;
        serde_json::from_slice(&plain).map_err(|_| SealError::Open)
    }
}

/// A secret string. Debug and Display print `[redacted]`, so no log line can show one.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The secret itself; call only where it must leave the process (hashing, a one-time print).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Secrets in the JSON of the admin API: a request's password, client secret, header values or
/// SIEM token (sent over TLS to the gateway), and an answer's secret shown once (a new token).
/// The JSON holds the value itself; `Debug` and `Display` stay redacted, so no log line shows
/// it. Use these only on such fields: `#[serde(with = "crate::secrets::wire::one")]`.
pub mod wire {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Secret;

    /// A `Secret`, as a JSON string.
    pub mod one {
        use super::*;

        pub fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(secret.expose())
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
            String::deserialize(d).map(Secret)
        }
    }

    /// An `Option<Secret>`, as a JSON string or `null`.
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(secret: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
            match secret {
                Some(p) => s.serialize_some(p.expose()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
            Ok(Option::<String>::deserialize(d)?.map(Secret))
        }
    }

    /// A `Vec<Secret>` (`KEY=VALUE` environment pairs), as an array of strings.
    pub mod list {
        use super::*;

        pub fn serialize<S: Serializer>(secrets: &[Secret], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(secrets.iter().map(Secret::expose))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Secret>, D::Error> {
            Ok(Vec::<String>::deserialize(d)?.into_iter().map(Secret).collect())
        }
    }

    /// Named secrets (header name, value), in their order, as an array of `[name, value]` pairs:
    /// a name given twice stays twice, for the operation to refuse.
    pub mod pairs {
        use super::*;

        pub fn serialize<S: Serializer>(pairs: &[(String, Secret)], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(pairs.iter().map(|(name, value)| (name, value.expose())))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Secret)>, D::Error> {
            Ok(Vec::<(String, String)>::deserialize(d)?.into_iter().map(|(n, v)| (n, Secret(v))).collect())
        }
    }
}

/// Length of the key file.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// Format byte in front of every sealed value, so the scheme can change later.
const SEAL_VERSION: u8 = 1;

/// The data directory's key for secrets at rest.
#[derive(Clone)]
pub struct SealKey([u8; KEY_LEN]);

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealKey([redacted])")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the system random number generator failed: {0}")]
    Random(String),
    #[error("a sealed value could not be opened: wrong key file, or the value was altered")]
    Open,
}

impl SealKey {
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> SealKey {
        SealKey(bytes)
    }

    /// Encrypts `plaintext` for the column named by `purpose`.
    pub fn seal(&self, purpose: &str, plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| SealError::Random(e.to_string()))?;
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let body = cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plaintext, aad: purpose.as_bytes() })
            .map_err(|_| SealError::Open)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + body.len());
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decrypts a value sealed for `purpose`.
    pub fn open(&self, purpose: &str, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let (version, rest) = sealed.split_first().ok_or(SealError::Open)?;
        if *version != SEAL_VERSION || rest.len() < NONCE_LEN {
            return Err(SealError::Open);
        }
        let (nonce, body) = rest.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        cipher
            .decrypt(
                &XNonce::try_from(nonce).map_err(|_| SealError::Open)?,
                Payload { msg: body, aad: purpose.as_bytes() },
            )
            .map_err(|_| SealError::Open)
    }
}

/// Lowercase hex of `bytes` (digests, random ids).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Fills a fresh buffer from the OS CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], SealError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| SealError::Random(e.to_string()))?;
    Ok(bytes)
}

/// Bytes the OS CSPRNG made, taken from a pool of this thread's that is refilled 256 bytes at a
/// time: for random identifiers drawn on the request path (a JWT's `jti`, one a request), which
/// would otherwise cost a system call each. Each byte is handed out once, then wiped from the
/// pool. Never for keys or credentials: [`random_bytes`] draws those fresh.
pub fn random_id<const N: usize>() -> Result<[u8; N], SealError> {
    const POOL: usize = 256;
    thread_local! {
        /// The pool, and how much of it was handed out.
        static IDS: std::cell::RefCell<(usize, [u8; POOL])> = const { std::cell::RefCell::new((POOL, [0; POOL])) };
    }
    if N > POOL {
        return random_bytes();
    }
    IDS.with(|pool| {
        let (used, bytes) = &mut *pool.borrow_mut();
        if *used + N > POOL {
            getrandom::fill(bytes).map_err(|e| SealError::Random(e.to_string()))?;
            *used = 0;
        }
        let mut out = [0u8; N];
        let taken = &mut bytes[*used..*used + N];
        out.copy_from_slice(taken);
        taken.fill(0);
        *used += N;
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_never_handed_out_twice() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            assert!(seen.insert(random_id::<16>().unwrap()), "a 128-bit id came twice");
        }
        assert_ne!(random_id::<300>().unwrap(), [0; 300], "larger than the pool: drawn fresh");
    }

    #[test]
    fn seal_round_trip_and_tamper() {
        let key = SealKey::from_bytes([7; KEY_LEN]);
        let sealed = key.seal("server.env", b"API_KEY=x").unwrap();
        assert_eq!(key.open("server.env", &sealed).unwrap(), b"API_KEY=x");
        assert!(key.open("other.purpose", &sealed).is_err(), "associated data binds the purpose");
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert!(key.open("server.env", &altered).is_err());
        assert!(SealKey::from_bytes([8; KEY_LEN]).open("server.env", &sealed).is_err());
    }

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("hunter2".into());
        assert_eq!(format!("{s} {s:?}"), "[redacted] [redacted]");
    }
}
