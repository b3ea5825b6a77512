//! One server as the gateway serves it and policy decides about it: who may reach it (its
//! sign-in method, enabled), from where (IP rules), how often (rate limits, usage quotas), which
//! tools (their states), and how its upstream is reached. The snapshot builds one per server
//! (`snapshot::ServerConfig` is this type); a [`super::Grant`] carries the one it admits to.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{AuthMethod, CaptureMode, IdentityForward, ToolState, Transport, UpstreamAuth};
use crate::secrets::Secret;

/// One server as the gateway serves it.
#[derive(Debug)]
pub struct ServerConfig {
    pub id: i64,
    pub name: String,
    pub transport: Transport,
    pub url: Option<String>,
    pub command: Vec<String>,
    /// The unsealed environment of a stdio server, or why it could not be unsealed.
    pub env: Result<Vec<(String, Secret)>, String>,
    /// How the gateway authenticates to the upstream.
    pub upstream_auth: UpstreamAuth,
    /// The unsealed static headers for the upstream (`upstream_auth` `header`), or why they
    /// could not be unsealed.
    pub upstream_headers: Result<Vec<(String, Secret)>, String>,
    /// How users sign in at the upstream (`upstream_auth` `oauth`).
    pub upstream_oauth: Option<UpstreamOauth>,
    pub auth: AuthMethod,
    pub enabled: bool,
    pub capture: CaptureMode,
    /// Client address rules, checked before authentication.
    pub ip_rules: super::ip::IpRules,
    /// The server-wide and per-principal rate limits on `tools/call`, with how they read.
    pub rate: Option<(super::rate::Gcra, String)>,
    pub rate_per_user: Option<(super::rate::Gcra, String)>,
    /// The server-wide and per-principal usage quotas on `tools/call`.
    pub quota: Option<super::quota::Quota>,
    pub quota_per_user: Option<super::quota::Quota>,
    /// Known tools and their state; a tool not listed here has not been synced yet.
    pub tools: HashMap<String, ToolState>,
    /// For a server whose users sign in upstream: its started tools as stored, a JSON array of
    /// `tools/list` entries, listed to a user who has not linked an account yet. For an OpenAPI
    /// server: the `tools/list` it answers.
    pub catalogue: Option<Arc<str>>,
    /// How the upstream learns who calls (`mcpcp server identity`); read per request, so a
    /// change applies to live sessions.
    pub identity_forward: IdentityForward,
    /// The header the signed JWT travels in (lowercase).
    pub identity_jwt_header: String,
    /// For a composed server (`transport` none): its tools, which forward to other servers'.
    pub composed: Option<Arc<super::Composed>>,
    /// For an OpenAPI server (`kind` openapi; `url` is its base URL): the operation each tool
    /// calls, by tool name.
    pub openapi: Option<Arc<OpenApiOperations>>,
}

/// An OpenAPI server's operations, by tool name.
pub type OpenApiOperations = HashMap<String, Arc<crate::model::openapi::Operation>>;

/// mcpcp as an OAuth client of a server's upstream authorization server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamOauth {
    /// The RFC 8707 `resource`: the upstream's URL.
    pub resource: String,
    pub issuer: Option<String>,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub revocation_endpoint: Option<String>,
    /// The server sends RFC 9207 `iss` in its callbacks.
    pub iss_parameter: bool,
    pub client_id: String,
    /// The unsealed client secret (none for a public client), or why it could not be unsealed.
    pub client_secret: Result<Option<Secret>, String>,
    pub auth_method: String,
    pub scopes: Vec<String>,
}

impl ServerConfig {
    /// True if the tool was stopped by an admin: hidden from `tools/list`, refused in `tools/call`.
    pub fn tool_stopped(&self, name: &str) -> bool {
        self.tools.get(name) == Some(&ToolState::Stopped)
    }

    /// True if the upstream connection settings are the same (sessions can keep their upstream).
    pub fn same_upstream(&self, other: &ServerConfig) -> bool {
        fn plain(secrets: &Result<Vec<(String, Secret)>, String>) -> Option<Vec<(&str, &str)>> {
            secrets.as_ref().ok().map(|e| e.iter().map(|(k, v)| (k.as_str(), v.expose())).collect())
        }
        self.transport == other.transport
            && self.openapi.is_some() == other.openapi.is_some()
            && self.url == other.url
            && self.command == other.command
            && plain(&self.env) == plain(&other.env)
            && self.upstream_auth == other.upstream_auth
            && plain(&self.upstream_headers) == plain(&other.upstream_headers)
            && self.upstream_oauth == other.upstream_oauth
    }
}
