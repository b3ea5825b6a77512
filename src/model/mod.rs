//! Domain types and the validation of everything an operator types: names, durations, URLs.

mod admin;
pub mod composed;
mod duration;
mod identity_forward;
mod name;
pub mod openapi;
mod records;
mod siem;
mod siem_http;
mod upstream_header;

pub use admin::{Admin, AdminBinding, AdminToken, IdpBinding, Role};
pub use duration::{parse_duration, parse_since};
pub use identity_forward::{DEFAULT_JWT_HEADER, IDENTITY_HEADERS, IdentityForward, META_KEY, parse_jwt_header};
pub use name::{AdminName, GroupName, RoleName, ServerName, ToolName, UserName};
pub use records::{
    ActivityEntry, Actor, AuditActor, AuditEntry, ComposedTool, Group, OpenApiDocument, ResourceRef, Server, Token,
    TokenStatus, Tool, Transport, UpstreamConnection, User,
};
pub use siem::{
    ActivityFilter, SiemFormat, SiemSink, SiemStatus, SiemStream, StartFrom, SyslogTarget, SyslogTransport,
    check_sink_name, describe_ca, parse_ca_pem,
};
pub use siem_http::{
    HEC_EVENT_PATH, HttpTarget, MIN_SECRET_BYTES, OTLP_LOGS_PATH, SIGNATURE_HEADER, SiemKind, SinkOptions,
    check_hec_index, check_hec_sourcetype, check_hec_token, check_signing_secret, parse_sink_header,
};
pub use upstream_header::parse_upstream_header;

use serde::{Deserialize, Serialize};

/// Invalid input, with a message that names the problem. Always the user's to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// How clients authenticate to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMethod {
    /// Server-scoped API tokens (`mcpcp token create`).
    ApiToken,
    /// Users sign in with username and password (mcpcp is the OAuth authorization server).
    Password,
    /// Users sign in through the configured OIDC identity provider.
    Sso,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ApiToken => "api-token",
            AuthMethod::Password => "password",
            AuthMethod::Sso => "sso",
        }
    }

    /// The spelling of the activity log (`auth_method`), part of its JSON contract.
    pub fn record_name(self) -> &'static str {
        match self {
            AuthMethod::ApiToken => "api_token",
            AuthMethod::Password => "password",
            AuthMethod::Sso => "sso",
        }
    }

    pub fn parse(s: &str) -> Option<AuthMethod> {
        match s {
            "api-token" => Some(AuthMethod::ApiToken),
            "password" => Some(AuthMethod::Password),
            "sso" => Some(AuthMethod::Sso),
            _ => None,
        }
    }
}

/// How the gateway authenticates to a server's upstream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UpstreamAuth {
    /// No credential of the gateway's own (a client's credential is never forwarded).
    #[default]
    None,
    /// Static headers set by an administrator (`--header NAME --value-stdin`): one shared
    /// credential, such as an API key or a bearer token.
    Header,
    /// Each user signs in at the upstream's authorization server (linking their account the
    /// first time); calls carry that user's token.
    Oauth,
}

impl UpstreamAuth {
    pub fn as_str(self) -> &'static str {
        match self {
            UpstreamAuth::None => "none",
            UpstreamAuth::Header => "header",
            UpstreamAuth::Oauth => "oauth",
        }
    }

    pub fn parse(s: &str) -> Option<UpstreamAuth> {
        match s {
            "none" => Some(UpstreamAuth::None),
            "header" => Some(UpstreamAuth::Header),
            "oauth" => Some(UpstreamAuth::Oauth),
            _ => None,
        }
    }
}

/// Whose fault a refused or failed call is: the activity record's `fault` field, filterable
/// with `logs tail --fault`, and the `data.fault` of the JSON-RPC error the client gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fault {
    /// The request: malformed, unauthenticated, not allowed, over a limit.
    Client,
    /// The upstream server: unreachable, refused, timed out, answered nonsense.
    Upstream,
    /// The configuration: a server that cannot work as set up (a missing command, a disabled
    /// server, an unusable credential).
    Operator,
    /// mcpcp itself: the activity log cannot be written, a bug.
    Internal,
}

impl Fault {
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Client => "client",
            Fault::Upstream => "upstream",
            Fault::Operator => "operator",
            Fault::Internal => "internal",
        }
    }

    pub fn parse(s: &str) -> Option<Fault> {
        [Fault::Client, Fault::Upstream, Fault::Operator, Fault::Internal].into_iter().find(|f| f.as_str() == s)
    }
}

/// What the activity log keeps of a server's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaptureMode {
    /// Every request with its inputs and outputs (redacted, size-capped).
    Full,
    /// Every request without inputs and outputs.
    Metadata,
    /// No activity records.
    Off,
}

impl CaptureMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureMode::Full => "full",
            CaptureMode::Metadata => "metadata",
            CaptureMode::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<CaptureMode> {
        match s {
            "full" => Some(CaptureMode::Full),
            "metadata" => Some(CaptureMode::Metadata),
            "off" => Some(CaptureMode::Off),
            _ => None,
        }
    }
}

/// Whether a tool is offered to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ToolState {
    Started,
    Stopped,
}

impl ToolState {
    pub fn as_str(self) -> &'static str {
        match self {
            ToolState::Started => "started",
            ToolState::Stopped => "stopped",
        }
    }

    pub fn parse(s: &str) -> Option<ToolState> {
        match s {
            "started" => Some(ToolState::Started),
            "stopped" => Some(ToolState::Stopped),
            _ => None,
        }
    }
}

/// Validates an upstream URL: absolute http(s), a host, no credentials embedded.
pub fn parse_upstream_url(raw: &str) -> Result<url::Url, Invalid> {
    let url = url::Url::parse(raw).map_err(|e| Invalid(format!("invalid URL {raw:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Invalid(format!("invalid URL {raw:?}: the scheme must be http or https")));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Invalid(format!("invalid URL {raw:?}: it has no host")));
    }
    // The URL is not echoed here: it holds a secret.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Invalid(
            "invalid URL: credentials in the URL would be stored in clear and shown in listings; remove them".into(),
        ));
    }
    if let Some((name, _)) = url.query_pairs().find(|(name, _)| credential_parameter(name)) {
        return Err(Invalid(format!(
            "invalid URL: its query parameter {name:?} looks like a credential, which would be stored in clear \
             and shown in listings; remove it (credentials belong in the upstream's own configuration)"
        )));
    }
    if url.fragment().is_some() {
        return Err(Invalid(format!("invalid URL {raw:?}: a fragment is not allowed")));
    }
    Ok(url)
}

/// Whether a URL query parameter's name says it carries a credential (`api_key`, `token`,
/// `X-Amz-Signature`, `client_secret`, `sig`, …).
fn credential_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    const PARTS: &[&str] = &["key", "token", "secret", "password", "passwd", "auth", "signature", "credential"];
    PARTS.iter().any(|p| name.contains(p)) || matches!(name.as_str(), "sig" | "pwd" | "pass")
}

/// Splits a command line the way a POSIX shell would (quotes, escapes), without running a shell.
pub fn parse_command(raw: &str) -> Result<Vec<String>, Invalid> {
    let argv = shlex::split(raw).ok_or_else(|| Invalid(format!("invalid command {raw:?}: unbalanced quotes")))?;
    if argv.is_empty() {
        return Err(Invalid("invalid command: it is empty".into()));
    }
    Ok(argv)
}

/// Parses one `--env KEY=VALUE`; keys are portable environment variable names.
pub fn parse_env_pair(raw: &str) -> Result<(String, String), Invalid> {
    let (key, value) = raw
        .split_once('=')
        .ok_or_else(|| Invalid(format!("invalid --env {:?}: expected KEY=VALUE", redact_env(raw))))?;
    let valid = !key.is_empty()
        && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(Invalid(format!(
            "invalid --env key {key:?}: use letters, digits and '_', not starting with a digit"
        )));
    }
    Ok((key.to_string(), value.to_string()))
}

/// An env argument without an `=` might be a bare secret; never echo more than a hint of it.
fn redact_env(raw: &str) -> String {
    let shown: String = raw.chars().take(4).collect();
    if raw.chars().count() > 4 { format!("{shown}…") } else { shown }
}

/// Validates an email address loosely: one `@`, something on both sides, no spaces.
pub fn parse_email(raw: &str) -> Result<String, Invalid> {
    let ok = raw.len() <= 254
        && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
        && raw
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.contains('@'));
    if ok { Ok(raw.to_string()) } else { Err(Invalid(format!("invalid email address {raw:?}"))) }
}
