//! The records admins manage, as read from the state database. Their serde form is the JSON
//! contract of `--output json` (its JSON Schemas are generated into `packaging/schema/`); change it only compatibly.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AuthMethod, CaptureMode, ToolState, UpstreamAuth};

/// How a proxy server reaches its upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// A remote MCP server over Streamable HTTP (falling back to legacy HTTP+SSE).
    Http,
    /// A local process speaking MCP over stdin/stdout.
    Stdio,
    /// None: a composed server (`kind` `composed`), whose tools forward to other servers' tools.
    None,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Http => "http",
            Transport::Stdio => "stdio",
            Transport::None => "none",
        }
    }

    /// The stored spelling back (an unknown one reads as `http`).
    pub fn parse(s: &str) -> Transport {
        match s {
            "stdio" => Transport::Stdio,
            "none" => Transport::None,
            _ => Transport::Http,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Server {
    pub id: i64,
    pub name: String,
    /// `proxy` (it has an upstream), `composed` (its tools are picked from other servers) or
    /// `openapi` (its tools are a REST API's operations; `url` is the API's base URL).
    pub kind: String,
    pub transport: Transport,
    /// Set for `http` servers.
    pub url: Option<String>,
    /// argv, set for `stdio` servers.
    pub command: Option<Vec<String>>,
    /// Names of the environment variables given to the process; their values are sealed.
    pub env: Vec<String>,
    pub auth: AuthMethod,
    /// How the gateway authenticates to the upstream.
    pub upstream_auth: UpstreamAuth,
    /// Names of the headers sent to the upstream (`upstream_auth` `header`); their values are
    /// sealed and never shown.
    pub upstream_headers: Vec<String>,
    pub description: String,
    pub enabled: bool,
    /// What the activity log keeps of this server's requests.
    pub capture: CaptureMode,
    /// How the upstream learns who calls (`mcpcp server identity`): any of `headers`, `jwt`,
    /// `meta`; empty for none.
    pub identity_forward: super::IdentityForward,
    /// The header carrying the signed JWT when `identity_forward` holds `jwt` (lowercase).
    pub identity_jwt_header: String,
    /// For an OpenAPI server: where its document is read from, and what was skipped of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openapi: Option<OpenApiDocument>,
    pub created_at: String,
    pub updated_at: String,
}

/// An OpenAPI server's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OpenApiDocument {
    /// The file path or URL it is read from (`server refresh` reads it again).
    pub source: String,
    /// The SHA-256 (hex) of the document the tools come from.
    pub hash: String,
    /// Operations left out (`--skip-unsupported`), and why.
    #[serde(default)]
    pub skipped: Vec<super::openapi::Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    pub id: i64,
    pub server: String,
    pub name: String,
    pub title: Option<String>,
    pub description: String,
    pub state: ToolState,
    pub created_at: String,
    pub updated_at: String,
}

/// A tool of a composed server: it forwards to a tool of another server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ComposedTool {
    pub id: i64,
    /// The composed server.
    pub server: String,
    /// The name clients see and call.
    pub name: String,
    /// The server whose tool it forwards to (its name when the tool was added, if it was deleted).
    pub source_server: String,
    pub source_tool: String,
    /// The description clients see; `None`: the source tool's.
    pub description: Option<String>,
    /// Arguments the gateway sets: removed from the schema clients see; a value a client sends for
    /// one is replaced.
    pub fixed: std::collections::BTreeMap<String, serde_json::Value>,
    /// Optional arguments removed from the schema clients see; a value a client sends is dropped.
    pub hidden: Vec<String>,
    /// Whether calls reach the source tool: `ok`, or why not (`source_stopped`, `source_missing`:
    /// the source server no longer offers it, `source_deleted`: the source server was deleted).
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Token {
    pub id: i64,
    pub server: String,
    /// The server's id, for authorization; not part of the JSON.
    #[serde(skip)]
    #[schemars(skip)]
    pub server_id: i64,
    pub name: String,
    /// The first characters of the secret, enough to recognise it; never the secret.
    pub prefix: String,
    pub status: TokenStatus,
    pub created_at: String,
    pub created_by: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub has_password: bool,
    /// The IdP subject, for users created by SSO sign-in.
    pub sso_subject: Option<String>,
    pub disabled: bool,
    pub groups: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub members: Vec<String>,
    pub servers: Vec<String>,
    /// The servers the group grants some tools of only, with those tools (absent: every tool of
    /// each server it grants).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tools: std::collections::BTreeMap<String, Vec<String>>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Actor {
    /// `os_user` for the local CLI; later also `admin` and `system`.
    pub kind: String,
    pub name: String,
}

/// Who made an audited change, and how: `via` is `cli` (the local CLI), `api` (the admin API,
/// `token` then the admin token's prefix) or the mcpcp component that acted (`gateway`, …).
/// `via` and `token` are read from the entry's `origin`, which the hash chain covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuditActor {
    pub kind: String,
    pub name: String,
    pub via: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl AuditActor {
    /// The actor of an entry with `origin` (`cli …`, `api IP token PREFIX`, a component).
    pub fn of(actor: Actor, origin: &str) -> AuditActor {
        let via = origin.split_whitespace().next().unwrap_or("").to_string();
        let token = match via.as_str() {
            "api" => origin.split_once(" token ").map(|(_, t)| t.trim().to_string()),
            _ => None,
        };
        AuditActor { kind: actor.kind, name: actor.name, via, token }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResourceRef {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub time: String,
    pub actor: AuditActor,
    pub action: String,
    pub resource: ResourceRef,
    /// field -> `{"before": …, "after": …}`, or `{"changed": true}` for secrets.
    pub changes: serde_json::Value,
    pub origin: String,
    pub prev_hash: String,
    pub hash: String,
}

/// One activity record: a request the gateway received. The JSON form is `mcpcp logs`' contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityEntry {
    pub id: i64,
    pub time: String,
    pub server: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub level: String,
    pub principal: Option<String>,
    pub auth_method: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub client_name: Option<String>,
    pub client_version: Option<String>,
    pub session_id: Option<String>,
    pub method: Option<String>,
    pub tool: Option<String>,
    /// The request's arguments (redacted), when the server captures them.
    pub input: Option<serde_json::Value>,
    /// The result or error (redacted), when captured. A string when it was truncated.
    pub output: Option<serde_json::Value>,
    pub output_size: Option<i64>,
    pub output_truncated: bool,
    pub duration_us: i64,
    pub status: String,
    pub http_status: Option<i64>,
    pub error_code: Option<i64>,
    pub error_message: Option<String>,
    pub trace_id: String,
    /// Whose fault a failure was: `client`, `upstream`, `operator` or `internal`.
    pub fault: Option<String>,
    /// Which credential a forwarded call carried to the upstream: `none`, `header` (the
    /// server's static headers), `user` (the caller's linked upstream account) or `shared` (the
    /// server's shared connection); never the credential.
    pub upstream_auth: Option<String>,
    /// For a call that carried a linked upstream account: its subject there, when known.
    pub upstream_subject: Option<String>,
    /// The call's span in its trace (16 hex digits): the parent of what the upstream did.
    pub span_id: Option<String>,
    /// The caller's span, when the call came with a `traceparent` that was continued.
    pub parent_span_id: Option<String>,
    /// Where the trace came from: `new` (mcpcp started it), `continued` (the caller's
    /// `traceparent`), `malformed` (a `traceparent` that is not valid came: ignored).
    pub trace_origin: Option<String>,
    /// The call's steps: `[phase, start µs, duration µs]`, with `"failed"` as a fourth member
    /// for the step that failed. Phases: accept, authenticate, authorize, limit, route, forward,
    /// record, and upstream.handshake, upstream.headers, upstream.body.
    pub spans: Option<serde_json::Value>,
    /// How many times the call's answer stream was resumed (2025-11-25 SEP-1699): the client
    /// reconnecting with `Last-Event-ID`, and mcpcp continuing an upstream's stream that closed
    /// before the response. `null` when it never was.
    #[serde(default)]
    pub resumed: Option<i64>,
    /// For a call to a composed server's tool: the source tool it forwarded to (`SERVER:TOOL`).
    #[serde(default)]
    pub origin: Option<String>,
    /// For a call to a composed server's tool: each call the gateway made for it, in order:
    /// `target` (`SERVER:TOOL`), `connection` (which credential it carried: `none`, `header`,
    /// `user`, `shared`), `input` and `output` (redacted and capped like the record's; absent
    /// unless the server captures `full`), `status`, `offset_us` and `duration_us`, `error`.
    #[serde(default)]
    pub steps: Option<serde_json::Value>,
}

/// A linked upstream account: a user's (or, with no user, the server's shared) OAuth connection
/// to a server's upstream. The tokens are never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UpstreamConnection {
    pub id: i64,
    pub server: String,
    /// The mcpcp user; `null` for the server's shared connection.
    pub user: Option<String>,
    /// The upstream account, when the upstream says which it is.
    pub subject: Option<String>,
    pub scopes: Vec<String>,
    /// When the access token expires (it is refreshed ahead of that).
    pub expires_at: Option<String>,
    pub created_at: String,
    pub refreshed_at: Option<String>,
}
