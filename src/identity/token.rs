//! API tokens: `mcpcp_` followed by 43 base64url characters (256 random bits).
//!
//! Only the SHA-256 of a token is stored. A token of 256 random bits needs no slow hash: nobody
//! can guess one from its digest, and a fast digest lets the gateway check every request cheaply.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::secrets::hex;
use crate::secrets::{SealError, Secret, random_bytes};

/// Every API token starts with this, so secret scanners and people recognise it.
pub const TOKEN_PREFIX: &str = "mcpcp_";
/// How many characters of a token are kept in clear to tell tokens apart in lists.
const SHOWN_LEN: usize = TOKEN_PREFIX.len() + 6;

/// A freshly minted token: the secret (to show once) and what is stored.
#[derive(Debug)]
pub struct NewToken {
    pub secret: Secret,
    pub hash: String,
    pub prefix: String,
}

/// Mints a new API token.
pub fn mint() -> Result<NewToken, SealError> {
    mint_with(TOKEN_PREFIX)
}

/// Mints a token that starts with `prefix` (admin tokens have their own).
pub fn mint_with(prefix: &str) -> Result<NewToken, SealError> {
    let bytes: [u8; 32] = random_bytes()?;
    let secret = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash(&secret);
    let prefix = secret.chars().take(prefix.len() + SHOWN_LEN - TOKEN_PREFIX.len()).collect();
    Ok(NewToken { secret: Secret::new(secret), hash, prefix })
}

/// SHA-256 of a presented token, lowercase hex: the key it is looked up by.
pub fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    hex(&digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_have_the_documented_shape() {
        let a = mint().unwrap();
        let b = mint().unwrap();
        assert!(a.secret.expose().starts_with("mcpcp_"));
        assert_eq!(a.secret.expose().len(), 6 + 43);
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.hash, hash(a.secret.expose()));
        assert_eq!(a.hash.len(), 64);
        assert!(a.secret.expose().starts_with(&a.prefix));
    }
}
