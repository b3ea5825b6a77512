//! What a server's upstream is told about the caller of each request (`mcpcp server identity
//! NAME --forward …`): nothing, or any combination of HTTP headers, a signed JWT in a header,
//! and a `params._meta` member.

use std::fmt;

use super::Invalid;

/// The JWT's header when none is chosen.
pub const DEFAULT_JWT_HEADER: &str = "x-mcpcp-identity";

/// The headers `headers` forwarding sets (lowercase, as HTTP/2 sends them).
pub const IDENTITY_HEADERS: [&str; 5] =
    ["x-mcpcp-user", "x-mcpcp-user-email", "x-mcpcp-user-groups", "x-mcpcp-auth-method", "x-mcpcp-trace-id"];

/// The `params._meta` key `meta` forwarding sets.
pub const META_KEY: &str = "io.mcpcp/identity";

/// Which ways a server's upstream learns the caller's identity. All off is `none`, the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct IdentityForward {
    /// `X-MCPCP-User`, `-User-Email`, `-User-Groups`, `-Auth-Method`, `-Trace-Id` on every HTTP
    /// request.
    pub headers: bool,
    /// A signed JWT in a header (`X-MCPCP-Identity` unless chosen otherwise).
    pub jwt: bool,
    /// `params._meta["io.mcpcp/identity"]` in every request (stdio included).
    pub meta: bool,
}

impl IdentityForward {
    pub const NONE: IdentityForward = IdentityForward { headers: false, jwt: false, meta: false };

    /// Parses `--forward`: `none`, or a comma-separated list of `headers`, `jwt`, `meta` (each
    /// at most once, in any order). `none` cannot be combined with the others.
    pub fn parse(raw: &str) -> Result<IdentityForward, Invalid> {
        let bad = |why: String| {
            Invalid(format!(
                "invalid --forward {raw:?}: {why}; use none, or any of headers, jwt, meta joined by commas (e.g. headers,jwt)"
            ))
        };
        let mut out = IdentityForward::NONE;
        let words: Vec<&str> = raw.split(',').map(str::trim).collect();
        if words == ["none"] {
            return Ok(out);
        }
        for word in words {
            let flag = match word {
                "headers" => &mut out.headers,
                "jwt" => &mut out.jwt,
                "meta" => &mut out.meta,
                "none" => return Err(bad("none cannot be combined with another way".into())),
                "" => return Err(bad("an empty item".into())),
                other => return Err(bad(format!("unknown way {other:?}"))),
            };
            if *flag {
                return Err(bad(format!("{word} is given twice")));
            }
            *flag = true;
        }
        Ok(out)
    }

    pub fn is_none(self) -> bool {
        self == IdentityForward::NONE
    }

    /// The ways that are on, in their canonical order.
    pub fn ways(self) -> Vec<&'static str> {
        [(self.headers, "headers"), (self.jwt, "jwt"), (self.meta, "meta")]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect()
    }

    /// The stored and shown form: `none`, or the ways joined by commas (`headers,jwt`).
    pub fn as_text(self) -> String {
        if self.is_none() { "none".into() } else { self.ways().join(",") }
    }
}

impl fmt::Display for IdentityForward {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_text())
    }
}

/// In JSON: the list of ways that are on (`[]` for none).
impl serde::Serialize for IdentityForward {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ways())
    }
}

impl<'de> serde::Deserialize<'de> for IdentityForward {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<IdentityForward, D::Error> {
        let ways = <Vec<String> as serde::Deserialize>::deserialize(d)?;
        if ways.is_empty() {
            return Ok(IdentityForward::NONE);
        }
        IdentityForward::parse(&ways.join(",")).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for IdentityForward {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IdentityForward".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The ways the upstream learns the caller's identity; empty for none.",
            "type": "array",
            "items": { "type": "string", "enum": ["headers", "jwt", "meta"] },
            "uniqueItems": true
        })
    }
}

/// Checks the name of the JWT's header (`--jwt-header`), lowercased: an HTTP token the gateway
/// does not set for another purpose.
pub fn parse_jwt_header(name: &str) -> Result<String, Invalid> {
    let lower = name.to_ascii_lowercase();
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if lower.is_empty() || lower.len() > 64 || !lower.chars().all(token) {
        return Err(Invalid(format!(
            "invalid --jwt-header {name:?}: use 1-64 letters, digits and !#$%&'*+-.^_`|~ (e.g. X-MCPCP-Identity)"
        )));
    }
    let taken = super::upstream_header::RESERVED.contains(&lower.as_str())
        || IDENTITY_HEADERS.contains(&lower.as_str())
        || ["authorization", "traceparent", "tracestate", "cookie"].contains(&lower.as_str());
    if taken {
        return Err(Invalid(format!("--jwt-header {name:?} is a header the gateway sets for another purpose")));
    }
    Ok(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_lists_parse_in_any_order_and_print_canonically() {
        let all = IdentityForward::parse("meta, jwt,headers").unwrap();
        assert_eq!(all, IdentityForward { headers: true, jwt: true, meta: true });
        assert_eq!(all.as_text(), "headers,jwt,meta");
        assert_eq!(IdentityForward::parse("none").unwrap().as_text(), "none");
        assert_eq!(IdentityForward::parse("jwt").unwrap().ways(), ["jwt"]);
        assert_eq!(
            serde_json::to_value(IdentityForward::parse("meta,headers").unwrap()).unwrap(),
            serde_json::json!(["headers", "meta"])
        );
        for bad in ["", "none,jwt", "jwt,jwt", "headers,", "cookies", "JWT"] {
            assert!(IdentityForward::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_jwt_header_is_a_token_the_gateway_does_not_use() {
        assert_eq!(parse_jwt_header("X-Backend-Identity").unwrap(), "x-backend-identity");
        for bad in ["", "X Bad", "Authorization", "X-MCPCP-User", "mcp-session-id", "Host", "a\nb"] {
            assert!(parse_jwt_header(bad).is_err(), "{bad:?}");
        }
    }
}
