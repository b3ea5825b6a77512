//! Passwords: argon2id hashes in PHC string form, checked in constant time.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::model::Invalid;
use crate::secrets::Secret;

/// Passwords shorter than this are refused (NIST SP 800-63B §3.1.1.2: at least 8).
pub const MIN_LEN: usize = 8;
/// Longer input is refused, so hashing cost stays bounded.
pub const MAX_LEN: usize = 1024;

/// Checks a new password against the length policy.
pub fn check_policy(password: &Secret) -> Result<(), Invalid> {
    let n = password.expose().chars().count();
    if n < MIN_LEN {
        return Err(Invalid(format!("password too short: use at least {MIN_LEN} characters")));
    }
    if password.expose().len() > MAX_LEN {
        return Err(Invalid(format!("password too long: use at most {MAX_LEN} bytes")));
    }
    Ok(())
}

/// Hashes a password with argon2id and the crate's default (OWASP-recommended) parameters.
pub fn hash(password: &Secret) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("password hashing failed: {e}"))
}

/// True if `password` matches the stored PHC string. The comparison is constant-time.
pub fn verify(password: &Secret, phc: &str) -> bool {
    Argon2::default().verify_password(password.expose().as_bytes(), phc).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let pw = Secret::new("correct horse".into());
        let phc = hash(&pw).unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(verify(&pw, &phc));
        assert!(!verify(&Secret::new("wrong horse".into()), &phc));
        assert!(!verify(&pw, "not a hash"));
    }

    #[test]
    fn policy() {
        assert!(check_policy(&Secret::new("short".into())).is_err());
        assert!(check_policy(&Secret::new("long enough".into())).is_ok());
        assert!(check_policy(&Secret::new("x".repeat(2000))).is_err());
    }
}
