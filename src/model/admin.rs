//! Administrators, their roles and bindings, and their API tokens, as `mcpcp admin` and
//! `mcpcp role` print them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::TokenStatus;

/// A role: built-in or custom, with the permissions it grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Role {
    pub name: String,
    pub description: String,
    /// Permission names, sorted.
    pub permissions: Vec<String>,
    /// Built-in roles cannot be changed or deleted.
    pub builtin: bool,
    /// `None` for built-in roles.
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// A role held by an admin (or by an identity provider's group): everywhere, or on one server.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct AdminBinding {
    pub role: String,
    /// `None`: every server and the resources of no server.
    pub server: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Admin {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub has_password: bool,
    /// The identity provider's subject of an SSO admin.
    pub sso_subject: Option<String>,
    pub disabled: bool,
    pub bindings: Vec<AdminBinding>,
    pub created_at: String,
    pub updated_at: String,
}

/// A role every SSO admin in an identity provider's group holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IdpBinding {
    pub idp_group: String,
    pub role: String,
    pub server: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AdminToken {
    pub id: i64,
    pub admin: String,
    pub name: String,
    /// The first characters of the secret, enough to recognise it; never the secret.
    pub prefix: String,
    /// The one role the token is narrowed to, if any (else all of its admin's).
    pub role: Option<String>,
    /// The servers the token is narrowed to, if any (`None`: not narrowed by server).
    pub servers: Option<Vec<String>>,
    pub status: TokenStatus,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    /// How a sign-in issued the token (`sso`: `mcpcp admin login`); absent for `admin token
    /// create`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<String>,
    /// The identity provider groups asserted at that sign-in: the roles bound to them
    /// (`role bind --idp-group`) count in the token's authority.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub idp_groups: Vec<String>,
}
