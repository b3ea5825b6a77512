//! The static headers an administrator gives a server's upstream (`--upstream-auth header`):
//! a name the gateway may set and a value that can travel in an HTTP header.

use super::Invalid;

/// Headers the gateway sets itself or that frame the request: an administrator may not.
pub(super) const RESERVED: &[&str] = &[
    "host",
    "content-length",
    "content-type",
    "accept",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "upgrade",
    "expect",
    "mcp-session-id",
    "mcp-protocol-version",
    "last-event-id",
];

/// The longest header value accepted (an API key or bearer token fits many times over).
const MAX_VALUE_BYTES: usize = 8192;

/// Checks one header: its name (lowercased) and value (surrounding whitespace removed).
pub fn parse_upstream_header(name: &str, value: &str) -> Result<(String, String), Invalid> {
    check_header(name, value, RESERVED)
}

/// Checks a header an administrator gives: a token name not in `reserved` (lowercase), and a
/// value of visible ASCII, spaces and tabs, never echoed in an error (it may be a credential).
pub(super) fn check_header(name: &str, value: &str, reserved: &[&str]) -> Result<(String, String), Invalid> {
    let lower = name.to_ascii_lowercase();
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if lower.is_empty() || lower.len() > 64 || !lower.chars().all(token) {
        return Err(Invalid(format!(
            "invalid header name {name:?}: use 1-64 letters, digits and !#$%&'*+-.^_`|~ (e.g. Authorization, X-Api-Key)"
        )));
    }
    if reserved.contains(&lower.as_str()) {
        return Err(Invalid(format!("header {name:?} is set by the gateway itself and cannot be given")));
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid(format!("header {name:?} has an empty value")));
    }
    if value.len() > MAX_VALUE_BYTES {
        return Err(Invalid(format!("header {name:?} has a value over {MAX_VALUE_BYTES} bytes")));
    }
    if value.bytes().any(|b| !(b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b))) {
        // The value is a credential: never echo it.
        return Err(Invalid(format!("header {name:?} has a value with a line break, control or non-ASCII character")));
    }
    Ok((lower, value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_tokens_the_gateway_does_not_set() {
        assert_eq!(parse_upstream_header("X-Api-Key", " k1 ").unwrap(), ("x-api-key".into(), "k1".into()));
        assert!(parse_upstream_header("Authorization", "Bearer abc.def").is_ok());
        for bad in ["", "X Api", "x:y", "Mcp-Session-Id", "Host", "Content-Length", "é"] {
            assert!(parse_upstream_header(bad, "v").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn values_are_one_line_of_visible_ascii_and_never_echoed() {
        for bad in ["", "a\r\nX-Injected: 1", "nul\0", "caf\u{e9}", &"x".repeat(8193)] {
            let e = parse_upstream_header("X-Key", bad).unwrap_err();
            assert!(bad.is_empty() || !e.0.contains(bad), "{e}");
        }
    }
}
