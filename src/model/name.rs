//! Validated names of servers, groups, users and tools.

use std::fmt;

use super::Invalid;

macro_rules! name_type {
    ($(#[$doc:meta])* $ty:ident, $what:literal, $rule:literal, $valid:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $ty(String);

        impl $ty {
            /// Checks `raw` against the naming rule.
            pub fn parse(raw: &str) -> Result<Self, Invalid> {
                let valid: fn(&str) -> bool = $valid;
                if valid(raw) {
                    Ok(Self(raw.to_string()))
                } else {
                    Err(Invalid(format!(concat!("invalid ", $what, " name {:?}: ", $rule), raw)))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $ty {
            type Err = Invalid;
            fn from_str(s: &str) -> Result<Self, Invalid> {
                Self::parse(s)
            }
        }
    };
}

/// `[a-z0-9][a-z0-9-]{0,62}`: safe in URLs (`/mcp/{server}`), file names and log fields.
fn slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

name_type!(
    /// A server name, the path segment of `/mcp/{server}`.
    ServerName, "server", "use 1-63 lowercase letters, digits and '-', starting with a letter or digit", slug
);
name_type!(
    /// A group name.
    GroupName, "group", "use 1-63 lowercase letters, digits and '-', starting with a letter or digit", slug
);
name_type!(
    /// A user name: lowercase, may hold `.`, `_`, `-` and `@` so an email can serve as one.
    UserName,
    "user",
    "use 1-64 lowercase letters, digits and '.', '_', '-', '@', starting with a letter or digit",
    |s| {
        let b = s.as_bytes();
        !b.is_empty()
            && b.len() <= 64
            && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-@".contains(c))
    }
);
name_type!(
    /// An admin name: the rule of user names.
    AdminName,
    "admin",
    "use 1-64 lowercase letters, digits and '.', '_', '-', '@', starting with a letter or digit",
    |s| {
        let b = s.as_bytes();
        !b.is_empty()
            && b.len() <= 64
            && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-@".contains(c))
    }
);
name_type!(
    /// A role name, built-in or custom.
    RoleName, "role", "use 1-63 lowercase letters, digits and '-', starting with a letter or digit", slug
);
name_type!(
    /// A tool name as MCP defines it (2025-11-25 `server/tools`: 1-128 of `A-Z a-z 0-9 _ - .`).
    ToolName,
    "tool",
    "use 1-128 letters, digits and '_', '-', '.'",
    |s| !s.is_empty() && s.len() <= 128 && s.bytes().all(|c| c.is_ascii_alphanumeric() || b"_-.".contains(&c))
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names() {
        for ok in ["a", "0", "files", "my-server-2", &"a".repeat(63)] {
            assert!(ServerName::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "A", "a_b", "a.b", "a b", "é", &"a".repeat(64), "../x"] {
            let err = ServerName::parse(bad).unwrap_err();
            assert!(err.0.contains("invalid server name"), "{bad}: {err}");
        }
    }

    #[test]
    fn user_names() {
        for ok in ["alice", "alice.smith@example.com", "a_b-c"] {
            assert!(UserName::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Alice", ".a", "a b", &"a".repeat(65)] {
            assert!(UserName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tool_names() {
        assert!(ToolName::parse("get_weather.v2-beta").is_ok());
        assert!(ToolName::parse("has space").is_err());
        assert!(ToolName::parse(&"t".repeat(129)).is_err());
    }
}
