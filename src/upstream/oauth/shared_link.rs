//! The link an administrator opens to authorize a server's *shared* upstream connection
//! (`mcpcp server connect`): made where that operation runs (the CLI, or the gateway's admin
//! API), opened by the gateway, both holding the data directory's key. It is sealed with that key (so only they can make or read one), names the
//! server, the administrator (the audit row's actor) and its expiry, and carries a random nonce
//! the gateway takes once. It grants nothing before the upstream's own sign-in: the connection
//! is whatever account the administrator signs in with there.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::secrets::{SealKey, purpose};

/// The longest sealed link the gateway reads (a real one is about 250 characters).
pub const MAX_LEN: usize = 1024;

/// What a shared-connection link says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedLink {
    pub server_id: i64,
    /// Who asked for it: the audit row's actor (`kind`, `name`).
    pub actor_kind: String,
    pub actor_name: String,
    /// Unix seconds after which it is refused.
    pub expires_at: i64,
    /// Random, hex: the gateway takes each once.
    pub nonce: String,
}

/// Why a link does not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link is not one this gateway made")]
    Forged,
    #[error("the link has expired")]
    Expired,
}

impl SharedLink {
    /// The link's path segment: sealed, URL-safe base64.
    pub fn seal(&self, key: &SealKey) -> Result<String, crate::secrets::SealError> {
        let plain = serde_json::to_vec(self).unwrap_or_default();
        Ok(URL_SAFE_NO_PAD.encode(key.seal(purpose::SHARED_LINK, &plain)?))
    }

    /// Reads a link's path segment, refusing one that is too long, not sealed with `key`, or
    /// expired at `now` (Unix seconds).
    pub fn open(key: &SealKey, sealed: &str, now: i64) -> Result<SharedLink, LinkError> {
        if sealed.len() > MAX_LEN {
            return Err(LinkError::Forged);
        }
        let bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| LinkError::Forged)?;
        let plain = key.open(purpose::SHARED_LINK, &bytes).map_err(|_| LinkError::Forged)?;
        let link: SharedLink = serde_json::from_slice(&plain).map_err(|_| LinkError::Forged)?;
        if link.expires_at <= now {
            return Err(LinkError::Expired);
        }
        Ok(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(expires_at: i64) -> SharedLink {
        SharedLink {
            server_id: 3,
            actor_kind: "os_user".into(),
            actor_name: "ops".into(),
            expires_at,
            nonce: "00ff".into(),
        }
    }

    #[test]
    fn only_the_key_that_sealed_it_opens_it_and_only_before_it_expires() {
        let key = SealKey::from_bytes([7; 32]);
        let sealed = link(1_000).seal(&key).unwrap();
        assert_eq!(SharedLink::open(&key, &sealed, 999), Ok(link(1_000)));
        assert_eq!(SharedLink::open(&key, &sealed, 1_000), Err(LinkError::Expired));
        assert_eq!(SharedLink::open(&SealKey::from_bytes([8; 32]), &sealed, 999), Err(LinkError::Forged));
        let mut tampered = sealed.clone().into_bytes();
        tampered[10] = if tampered[10] == b'A' { b'B' } else { b'A' };
        assert_eq!(SharedLink::open(&key, &String::from_utf8(tampered).unwrap(), 999), Err(LinkError::Forged));
        assert_eq!(SharedLink::open(&key, &"A".repeat(MAX_LEN + 1), 999), Err(LinkError::Forged));
    }
}
