//! Pure OAuth 2.1 rules for mcpcp's authorization server: PKCE, redirect URI registration and
//! matching, and the opaque tokens it issues.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::secrets::{SealError, Secret, random_bytes};

/// Prefix of access tokens mcpcp issues (API tokens start with `mcpcp_`).
pub const ACCESS_PREFIX: &str = "mcpat_";
/// Prefix of refresh tokens.
pub const REFRESH_PREFIX: &str = "mcprt_";
/// Prefix of authorization codes.
pub const CODE_PREFIX: &str = "mcpac_";

/// A fresh secret with `prefix` and 256 random bits.
pub fn mint(prefix: &str) -> Result<Secret, SealError> {
    let bytes: [u8; 32] = random_bytes()?;
    Ok(Secret::new(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))))
}

/// PKCE S256 (RFC 7636 §4.6): `BASE64URL(SHA256(verifier)) == challenge`, compared in constant time.
/// The verifier must be 43-128 characters of the unreserved set (§4.1).
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let valid = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !valid {
        return false;
    }
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    computed.as_bytes().ct_eq(challenge.as_bytes()).into()
}

/// Whether `host` is a loopback name or address (RFC 8252 §7.3: any port is allowed there).
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Checks a redirect URI a client registers: absolute, no fragment, no userinfo; `https`, or
/// `http` on a loopback host (RFC 8252 §7.3), or a private-use scheme such as
/// `cursor://anysphere.cursor-mcp/oauth/callback` (RFC 8252 §7.1). Schemes that run content in the
/// browser are refused. The one redirect policy: dynamic registration, client ID metadata
/// documents (`cimd::parse`) and the sign-in pages' `form-action` source all apply it.
pub fn check_redirect_uri(raw: &str) -> Result<(), String> {
    let u = url::Url::parse(raw).map_err(|e| format!("{raw:?} is not an absolute URI: {e}"))?;
    if u.fragment().is_some() {
        return Err(format!("{raw:?} has a fragment"));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(format!("{raw:?} has user information"));
    }
    match u.scheme() {
        "https" if u.host_str().is_some() => Ok(()),
        "http" if u.host_str().is_some_and(is_loopback) => Ok(()),
        "http" => Err(format!("{raw:?}: http is allowed only on loopback hosts; use https")),
        "javascript" | "data" | "file" | "vbscript" | "about" | "blob" | "ws" | "wss" | "ftp" => {
            Err(format!("{raw:?}: the {} scheme is not allowed", u.scheme()))
        }
        // A private-use scheme (RFC 8252 §7.1) names an app, not a web origin.
        _ => Ok(()),
    }
}

/// Whether `presented` matches one of the registered redirect URIs: exactly, character for
/// character, except that the port of a loopback `http` URI may differ (RFC 8252 §7.3).
pub fn redirect_matches(registered: &[String], presented: &str) -> bool {
    if registered.iter().any(|r| r == presented) {
        return true;
    }
    let Ok(p) = url::Url::parse(presented) else { return false };
    if p.scheme() != "http" || !p.host_str().is_some_and(is_loopback) {
        return false;
    }
    registered.iter().any(|r| {
        let Ok(r) = url::Url::parse(r) else { return false };
        r.scheme() == "http"
            && r.host_str() == p.host_str()
            && r.path() == p.path()
            && r.query() == p.query()
            && p.fragment().is_none()
            && p.username().is_empty()
            && p.password().is_none()
            && presented.starts_with(&format!("http://{}", p.host_str().unwrap_or_default()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256() {
        // RFC 7636 Appendix B.
        assert!(pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches("short", "x"));
    }

    #[test]
    fn redirect_registration() {
        for ok in [
            "https://claude.ai/api/mcp/auth_callback",
            "http://localhost:8787/callback",
            "http://127.0.0.1:6276/oauth/callback",
            "http://[::1]:9/cb",
            "cursor://anysphere.cursor-mcp/oauth/callback",
        ] {
            assert!(check_redirect_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://evil.example/cb",
            "javascript:alert(1)",
            "data:text/html,hi",
            "https://good.example/cb#frag",
            "https://user@good.example/cb",
            "/relative",
            "file:///etc/passwd",
        ] {
            assert!(check_redirect_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redirect_matching_is_exact_except_loopback_ports() {
        let reg = vec!["https://app.example/cb".to_string(), "http://127.0.0.1:3000/callback".to_string()];
        assert!(redirect_matches(&reg, "https://app.example/cb"));
        assert!(redirect_matches(&reg, "http://127.0.0.1:49152/callback"));
        for bad in [
            "https://app.example/cb/",
            "https://app.example/CB",
            "https://app.example/cb?x=1",
            "https://app.example.evil/cb",
            "https://app.example@evil.example/cb",
            "https://app.example/cb#f",
            "http://app.example/cb",
            "http://127.0.0.1:49152/callback/",
            "http://127.0.0.1:49152/callback?x",
            "http://localhost:3000/callback",
            "https://app.example:443/cb",
        ] {
            assert!(!redirect_matches(&reg, bad), "{bad}");
        }
    }
}
