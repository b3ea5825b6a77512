//! mcpcp's identity assertions for upstreams: short-lived JWTs (RFC 7519) signed with Ed25519
//! (JWS `EdDSA`, RFC 8037) by a key mcpcp generates, and the public keys as JWKs for
//! `/.well-known/jwks.json`.
//!
//! The key pair is aws-lc-rs's, the crypto provider rustls already brings; the private key leaves
//! this module only as a PKCS#8 document to be sealed (`secrets::purpose::signing_key`). A key's
//! id is its RFC 7638 JWK thumbprint, so it names the key itself and never repeats.

use std::fmt;

use aws_lc_rs::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::secrets::Secret;

/// The JWS algorithm of every key (RFC 8037 §3.1).
pub const ALGORITHM: &str = "EdDSA";

/// The longest a token lives: an upstream accepts it for at most this long after it was issued.
pub const MAX_LIFETIME_SECS: i64 = 60;

/// How long a replaced key stays published: twice the longest token lifetime, so every token it
/// signed (the gateway signs with it until it loads the new key, within a second) expires first.
pub const RETIRED_KEY_PUBLISHED_SECS: i64 = 2 * MAX_LIFETIME_SECS;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot generate an Ed25519 key")]
    Generate,
    #[error("the stored signing key is not a valid Ed25519 PKCS#8 document")]
    Parse,
    #[error("the stored signing key {0} does not match its key id")]
    Mismatch(String),
}

/// A signing key: the key pair, its id, and the encoded JWS header every token it signs starts
/// with.
pub struct SigningKey {
    kid: String,
    pair: Ed25519KeyPair,
    /// `base64url({"alg":"EdDSA","typ":"JWT","kid":…})`.
    header: String,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

/// A new key, and its private half as PKCS#8 (to be sealed and stored).
#[derive(Debug)]
pub struct Generated {
    pub key: SigningKey,
    pub pkcs8: PrivateKey,
}

/// A PKCS#8 private key document; `Debug` shows nothing of it.
pub struct PrivateKey(Vec<u8>);

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey([redacted])")
    }
}

impl PrivateKey {
    /// The document, for sealing only.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl SigningKey {
    /// Generates a new Ed25519 key.
    pub fn generate() -> Result<Generated, KeyError> {
        let pair = Ed25519KeyPair::generate().map_err(|_| KeyError::Generate)?;
        let pkcs8 = pair.to_pkcs8().map_err(|_| KeyError::Generate)?;
        let pkcs8 = PrivateKey(pkcs8.as_ref().to_vec());
        Ok(Generated { key: SigningKey::from_pair(pair), pkcs8 })
    }

    /// The key stored as `pkcs8` under id `kid`; refused if the document does not hold the key
    /// that id names.
    pub fn from_pkcs8(kid: &str, pkcs8: &[u8]) -> Result<SigningKey, KeyError> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| KeyError::Parse)?;
        let key = SigningKey::from_pair(pair);
        if key.kid != kid {
            return Err(KeyError::Mismatch(kid.to_string()));
        }
        Ok(key)
    }

    fn from_pair(pair: Ed25519KeyPair) -> SigningKey {
        let kid = thumbprint(pair.public_key().as_ref());
        let header = serde_json::json!({ "alg": ALGORITHM, "typ": "JWT", "kid": kid }).to_string();
        SigningKey { header: URL_SAFE_NO_PAD.encode(header), kid, pair }
    }

    /// The key id (`kid`): the public key's JWK thumbprint.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }

    /// A compact JWS over `claims` (a JSON object): `header.payload.signature`.
    pub fn sign(&self, claims: &str) -> Secret {
        let payload_len = base64::encoded_len(claims.len(), false).unwrap_or(0);
        let mut jwt = String::with_capacity(self.header.len() + payload_len + 90);
        jwt.push_str(&self.header);
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(claims, &mut jwt);
        let signature = self.pair.sign(jwt.as_bytes());
        jwt.push('.');
        URL_SAFE_NO_PAD.encode_string(signature.as_ref(), &mut jwt);
        Secret::new(jwt)
    }
}

/// The public JWK of a raw Ed25519 public key (RFC 8037 §2), as `/.well-known/jwks.json`
/// lists it.
pub fn jwk(public_key: &[u8]) -> serde_json::Value {
    serde_json::json!({
        "kty": "OKP",
        "crv": "Ed25519",
        "x": URL_SAFE_NO_PAD.encode(public_key),
        "kid": thumbprint(public_key),
        "alg": ALGORITHM,
        "use": "sig",
    })
}

/// The RFC 7638 thumbprint of a raw Ed25519 public key: SHA-256 over the required members in
/// lexicographic order, base64url.
pub fn thumbprint(public_key: &[u8]) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, URL_SAFE_NO_PAD.encode(public_key));
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// Checks a compact JWS's signature against a raw public key; the claims if it holds. For
/// tests and diagnostics: upstreams verify with their own JOSE library.
pub fn verify(jwt: &str, public_key: &[u8]) -> Option<serde_json::Value> {
    let (signed, signature) = jwt.rsplit_once('.')?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    UnparsedPublicKey::new(&ED25519, public_key).verify(signed.as_bytes(), &signature).ok()?;
    let (_, payload) = signed.split_once('.')?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_verifiable_tokens_with_a_stable_kid() {
        let Generated { key, pkcs8 } = SigningKey::generate().unwrap();
        let again = SigningKey::from_pkcs8(key.kid(), pkcs8.expose()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        let jwt = again.sign(r#"{"sub":"ada","exp":1}"#);
        let claims = verify(jwt.expose(), key.public_key()).unwrap();
        assert_eq!(claims["sub"], "ada");
        let (header, _) = jwt.expose().split_once('.').unwrap();
        let header: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
        assert_eq!(header, serde_json::json!({"alg": "EdDSA", "typ": "JWT", "kid": key.kid()}));
        let jwk = jwk(key.public_key());
        assert_eq!(
            (jwk["kty"].as_str(), jwk["crv"].as_str(), jwk["kid"].as_str()),
            (Some("OKP"), Some("Ed25519"), Some(key.kid()))
        );
        // A tampered payload or another key does not verify; a document under another id is refused.
        let other = SigningKey::generate().unwrap().key;
        assert!(verify(jwt.expose(), other.public_key()).is_none());
        let mut parts: Vec<&str> = jwt.expose().split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(r#"{"sub":"mallory","exp":1}"#);
        parts[1] = &forged;
        assert!(verify(&parts.join("."), key.public_key()).is_none());
        assert!(matches!(SigningKey::from_pkcs8(other.kid(), pkcs8.expose()), Err(KeyError::Mismatch(_))));
        assert!(format!("{pkcs8:?} {key:?}").contains("[redacted]"));
    }

    #[test]
    fn thumbprint_follows_rfc_8037_appendix_a3() {
        // RFC 8037 A.3: the thumbprint of the example key.
        let x = URL_SAFE_NO_PAD.decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").unwrap();
        assert_eq!(thumbprint(&x), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }
}
