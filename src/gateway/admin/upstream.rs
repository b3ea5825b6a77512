//! The admin operations that reach out to a server's upstream from where they run: `server
//! create` and `server upstream-auth` (with `oauth`, mcpcp finds the upstream's authorization
//! server and its client there, registering one if need be), `tool sync` (the upstream is asked
//! for its tools) and `server connect` (a link to the gateway, which the administrator opens to
//! authorize the server's shared upstream connection). Locally they run in the CLI's process;
//! through the admin API in the gateway's, on a blocking thread of its runtime, so the upstream is
//! reached from the gateway's network and a registration names the gateway's public URL.
//!
//! With `oauth`, mcpcp discovers the authorization server the way an MCP client must; its client
//! there is, in this order: the one the administrator gave (`--client-id`, a pre-registered
//! app); its client ID metadata document, served by the gateway (the document's URL is the
//! client id), where the server accepts documents; a client it registers (RFC 7591) with the
//! gateway's `/connect/callback` as redirect URI. `--authorization-url` and `--token-url` serve
//! an upstream that publishes no metadata. All of it happens before the one transaction that
//! stores the settings.
//!
//! They are operations like those of `ops`, and live here because they use `upstream` and
//! `snapshot`, which `ops` may not.

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{AuthMethod, CaptureMode, Server, Transport, UpstreamAuth};
use crate::ops::operation::{Operation, Stores, block_on};
use crate::ops::server::{NewServer, UpstreamSpec};
use crate::ops::tool::SyncReport;
use crate::ops::upstream_auth::{UpstreamAuthSpec, UpstreamOauthSetup};
use crate::ops::{Ctx, Error, Result, query};
use crate::policy::rbac::Permission;
use crate::secrets::Secret;
use crate::upstream::oauth::discovery::AuthorizationServer;
use crate::upstream::oauth::{discovery, private_ok, registration};

/// `server create`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateServer {
    pub name: String,
    /// A remote MCP server; or `command`.
    #[serde(default)]
    pub url: Option<String>,
    /// A local MCP server started as a process speaking stdio.
    #[serde(default)]
    pub command: Option<String>,
    /// A composed server: no upstream of its own; its tools are picked from other servers
    /// (`server tool add`). Not with `url` or `command`.
    #[serde(default)]
    pub composed: bool,
    /// An OpenAPI 3.0/3.1 document (a file path where the operation runs, or an http(s) URL)
    /// whose operations become the server's tools; needs `base_url`. Not with `url`, `command`
    /// or `composed`.
    #[serde(default)]
    pub openapi: Option<String>,
    /// The document itself, when `openapi` names a file of the caller's machine (the remote CLI
    /// reads it and sends it here): the admin API never reads a path of the gateway's host.
    #[serde(default)]
    pub openapi_document: Option<String>,
    /// The REST API's base URL (http or https), which operation paths are appended to.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Import only these operations (`operationId`s) [default: every operation].
    #[serde(default)]
    pub operations: Vec<String>,
    /// Import only the operations with this tag.
    #[serde(default)]
    pub tag: Option<String>,
    /// Import the supported operations and skip the rest (they are listed), instead of refusing.
    #[serde(default)]
    pub skip_unsupported: bool,
    /// `KEY=VALUE` environment variables of a `command` server (values are credentials).
    #[serde(default, with = "crate::secrets::wire::list")]
    #[schemars(with = "Vec<String>")]
    pub env: Vec<Secret>,
    /// How clients authenticate [default: api-token].
    #[serde(default)]
    pub auth: Option<AuthMethod>,
    #[serde(default)]
    pub description: Option<String>,
    /// What the activity log keeps [default: full].
    #[serde(default)]
    pub capture: Option<CaptureMode>,
    #[serde(default)]
    pub upstream_auth: UpstreamAuth,
    /// `header`: the headers (name, value) sent with every request; values are credentials.
    #[serde(default, with = "crate::secrets::wire::pairs")]
    #[schemars(with = "Vec<(String, String)>")]
    pub headers: Vec<(String, Secret)>,
    /// `oauth`: the authorization server and client, when not discovered.
    #[serde(default)]
    pub oauth: Option<OauthRequest>,
}

/// `server upstream-auth`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetUpstreamAuth {
    pub server: String,
    pub mode: UpstreamAuth,
    /// `header`: the headers (name, value) sent with every request; values are credentials.
    #[serde(default, with = "crate::secrets::wire::pairs")]
    #[schemars(with = "Vec<(String, String)>")]
    pub headers: Vec<(String, Secret)>,
    /// `oauth`: the authorization server and client, when not discovered.
    #[serde(default)]
    pub oauth: Option<OauthRequest>,
}

/// With `oauth`: mcpcp's client at the upstream's authorization server, given (a pre-registered
/// app) or not (mcpcp names itself by its client ID metadata document, or registers itself),
/// and the endpoints of an upstream that publishes no metadata.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OauthRequest {
    #[serde(default)]
    pub client_id: Option<String>,
    /// That client's secret (a credential).
    #[serde(default, with = "crate::secrets::wire::option")]
    #[schemars(with = "Option<String>")]
    pub client_secret: Option<Secret>,
    /// Space separated [default: what the upstream advertises].
    #[serde(default)]
    pub scopes: Option<String>,
    /// With `token_url` and `client_id`, for an upstream that publishes no metadata.
    #[serde(default)]
    pub authorization_url: Option<String>,
    #[serde(default)]
    pub token_url: Option<String>,
}

/// `tool sync`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncTools {
    pub server: String,
    /// How long to wait for the upstream, e.g. `60s` [default: 60s].
    #[serde(default)]
    pub timeout: Option<String>,
}

/// `server connect`: a link for the administrator to open.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkSharedConnection {
    pub server: String,
    /// How long the link works, e.g. `10m` (at most 10m).
    pub timeout: String,
}

/// A link that authorizes a server's shared upstream connection.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SharedConnectionLink {
    pub server: String,
    /// Open it in a browser: it leads to the upstream's sign-in, once.
    pub url: String,
    pub expires_at: String,
    /// The id of the shared connection there is now, which a new one replaces.
    pub replaces: Option<i64>,
}

crate::operation!(CreateServer, Post "/servers", SERVER_CREATE, "Create a server (with oauth upstream auth, the gateway discovers the upstream's authorization server)", Server, |op, stores, ctx| create(op, stores, ctx));
crate::operation!(SetUpstreamAuth, Post "/servers/{server}/upstream-auth", SERVER_UPDATE, "Set how the gateway authenticates to a server's upstream (credentials are never shown)", Server, |op, stores, ctx| set_upstream_auth(op, stores, ctx));
crate::operation!(LinkSharedConnection, Post "/servers/{server}/connection/link", SERVER_UPDATE, "A link to authorize a server's shared upstream connection in a browser", SharedConnectionLink, |op, stores, ctx| link(op, stores, ctx));

impl Operation for SyncTools {
    const METHOD: crate::ops::operation::Method = crate::ops::operation::Method::Post;
    const PATH: &'static str = "/servers/{server}/tools/sync";
    const PERMISSION: Permission = Permission::TOOL_MANAGE;
    const SUMMARY: &'static str = "Ask a server's upstream for its tools and record them";
    type Output = SyncReport;

    fn run(self, stores: &mut dyn Stores, ctx: &Ctx) -> Result<SyncReport> {
        sync(self, stores, ctx)
    }

    fn patience(&self) -> Option<Duration> {
        sync_timeout(self.timeout.as_deref()).ok()
    }
}

/// The server `name`, if the actor holds `permission` on it.
fn server(stores: &mut dyn Stores, ctx: &Ctx, name: &str, permission: Permission) -> Result<Server> {
    query(stores.state()?, |tx| {
        let server = crate::ops::server::find(tx, name)?;
        ctx.require(permission, server.id, || format!("no server named {name:?}"))?;
        Ok(server)
    })
}

fn create(op: CreateServer, stores: &mut dyn Stores, ctx: &Ctx) -> Result<Server> {
    // Refused before the upstream is reached on the actor's behalf.
    ctx.require_global(Permission::SERVER_CREATE)?;
    let openapi_flags = !op.operations.is_empty() || op.tag.is_some() || op.skip_unsupported;
    if op.openapi.is_none() && (op.base_url.is_some() || openapi_flags) {
        return Err(Error::Invalid(
            "--base-url, --operations, --tag and --skip-unsupported need --openapi FILE|URL".into(),
        ));
    }
    if let Some(source) = &op.openapi {
        if op.url.is_some() || op.command.is_some() || op.composed {
            return Err(Error::Invalid("give one of --url, --command, --composed and --openapi".into()));
        }
        if !op.env.is_empty() {
            return Err(Error::Invalid("--env applies to --command servers only".into()));
        }
        let Some(base_url) = op.base_url.clone() else {
            return Err(Error::Invalid("--openapi needs --base-url URL: where the API's operations are called".into()));
        };
        crate::model::parse_upstream_url(&base_url).map_err(|e| Error::Invalid(format!("--base-url: {}", e.0)))?;
        let upstream_auth = auth_spec(op.upstream_auth, op.headers, op.oauth, &base_url, stores)?;
        let selection = crate::model::openapi::Selection { operations: op.operations, tag: op.tag };
        let document = super::openapi_server::read(source, op.openapi_document, selection, op.skip_unsupported, ctx)?;
        let key = stores.key()?;
        let req = NewServer {
            name: op.name,
            upstream: UpstreamSpec::OpenApi { base_url, document: Box::new(document) },
            auth: op.auth.unwrap_or(AuthMethod::ApiToken),
            description: op.description,
            capture: op.capture.unwrap_or(CaptureMode::Full),
            upstream_auth,
        };
        return crate::ops::server::create(stores.state()?, ctx, &key, req);
    }
    let upstream = match (op.url, op.command) {
        (Some(_), _) | (_, Some(_)) if op.composed => {
            return Err(Error::Invalid("give one of --url, --command and --composed".into()));
        }
        (None, None) if op.composed => {
            if !op.env.is_empty() {
                return Err(Error::Invalid("--env applies to --command servers only".into()));
            }
            if op.upstream_auth != UpstreamAuth::None || !op.headers.is_empty() || op.oauth.is_some() {
                return Err(Error::Invalid(
                    "--upstream-auth applies to --url servers; a composed server's tools use their source \
                     servers' credentials"
                        .into(),
                ));
            }
            UpstreamSpec::Composed
        }
        (Some(_), Some(_)) => return Err(Error::Invalid("give --url or --command, not both".into())),
        (Some(_), None) if !op.env.is_empty() => {
            return Err(Error::Invalid("--env applies to --command servers only".into()));
        }
        (Some(url), None) => UpstreamSpec::Url(url),
        (None, Some(command)) => UpstreamSpec::Command { command, env: op.env },
        (None, None) => return Err(Error::Invalid("give --url, --command or --composed".into())),
    };
    let url = match &upstream {
        UpstreamSpec::Url(url) => Some(url.clone()),
        UpstreamSpec::Command { .. } | UpstreamSpec::Composed | UpstreamSpec::OpenApi { .. } => None,
    };
    let upstream_auth = match (op.upstream_auth, url) {
        (UpstreamAuth::Oauth, Some(url)) => auth_spec(UpstreamAuth::Oauth, op.headers, op.oauth, &url, stores)?,
        (UpstreamAuth::None, _) => auth_spec(UpstreamAuth::None, op.headers, op.oauth, "", stores)?,
        (_, None) => {
            return Err(Error::Invalid(
                "--upstream-auth applies to --url servers; give a stdio server its credentials with --env".into(),
            ));
        }
        (mode, Some(url)) => auth_spec(mode, op.headers, op.oauth, &url, stores)?,
    };
    let key = stores.key()?;
    let req = NewServer {
        name: op.name,
        upstream,
        auth: op.auth.unwrap_or(AuthMethod::ApiToken),
        description: op.description,
        capture: op.capture.unwrap_or(CaptureMode::Full),
        upstream_auth,
    };
    crate::ops::server::create(stores.state()?, ctx, &key, req)
}

fn set_upstream_auth(op: SetUpstreamAuth, stores: &mut dyn Stores, ctx: &Ctx) -> Result<Server> {
    let spec = if op.mode == UpstreamAuth::Oauth {
        let found = server(stores, ctx, &op.server, Permission::SERVER_UPDATE)?;
        if found.transport == Transport::None {
            return Err(Error::Invalid(format!(
                "server {:?} is composed: it has no upstream to sign in at",
                op.server
            )));
        }
        let Some(url) = found.url.filter(|_| found.transport != Transport::Stdio) else {
            return Err(Error::Invalid(format!("server {:?} runs a command: users cannot sign in at it", op.server)));
        };
        auth_spec(UpstreamAuth::Oauth, op.headers, op.oauth, &url, stores)?
    } else {
        auth_spec(op.mode, op.headers, op.oauth, "", stores)?
    };
    let key = stores.key()?;
    crate::ops::upstream_auth::set_upstream_auth(stores.state()?, ctx, &key, &op.server, spec)
}

/// The credentials `mode` asks for, from the request's headers or (`oauth`) what discovery
/// finds for the server at `url`.
fn auth_spec(
    mode: UpstreamAuth,
    headers: Vec<(String, Secret)>,
    oauth: Option<OauthRequest>,
    url: &str,
    stores: &mut dyn Stores,
) -> Result<UpstreamAuthSpec> {
    let needs_header = || Error::Invalid("--header and --value-stdin need --upstream-auth header".into());
    match mode {
        UpstreamAuth::Oauth if !headers.is_empty() => Err(needs_header()),
        UpstreamAuth::Oauth => {
            let public_url = stores.public_url()?;
            let setup = oauth_setup(oauth.unwrap_or_default(), url, &public_url)?;
            Ok(UpstreamAuthSpec::Oauth(Box::new(setup)))
        }
        _ if oauth.is_some() => Err(Error::Invalid(
            "--client-id, --client-secret-stdin, --scopes, --authorization-url and --token-url need --upstream-auth oauth"
                .into(),
        )),
        UpstreamAuth::None if !headers.is_empty() => Err(needs_header()),
        UpstreamAuth::None => Ok(UpstreamAuthSpec::None),
        UpstreamAuth::Header => Ok(UpstreamAuthSpec::Headers(headers)),
    }
}

/// The sign-in settings to store for the upstream at `upstream` (the server's URL): as given,
/// or found by discovery, with mcpcp's client there.
fn oauth_setup(req: OauthRequest, upstream: &str, public_url: &str) -> Result<UpstreamOauthSetup> {
    if req.client_secret.is_some() && req.client_id.is_none() {
        return Err(Error::Invalid("--client-secret-stdin needs --client-id".into()));
    }
    if req.authorization_url.is_some() != req.token_url.is_some() {
        return Err(Error::Invalid("--authorization-url and --token-url go together".into()));
    }
    if req.authorization_url.is_some() && req.client_id.is_none() {
        return Err(Error::Invalid(
            "--authorization-url needs --client-id (mcpcp cannot register without metadata)".into(),
        ));
    }
    let upstream_url =
        url::Url::parse(upstream).map_err(|e| Error::Invalid(format!("the server's URL {upstream:?}: {e}")))?;
    let secret = req.client_secret;
    let scopes = req.scopes.map(|s| s.split_whitespace().map(String::from).collect::<Vec<_>>());
    let auth_method = |secret: &Option<Secret>| if secret.is_some() { "client_secret_basic" } else { "none" };
    block_on(async move {
        let private = private_ok(&upstream_url).await;
        if let (Some(authorization), Some(token)) = (req.authorization_url, req.token_url) {
            return Ok(UpstreamOauthSetup {
                resource: upstream_url.to_string(),
                issuer: None,
                authorization_endpoint: authorization,
                token_endpoint: token,
                revocation_endpoint: None,
                iss_parameter: false,
                client_id: req.client_id.unwrap_or_default(),
                auth_method: auth_method(&secret).into(),
                client_secret: secret,
                registration: "admin",
                scopes: scopes.unwrap_or_default(),
            });
        }
        let found = discovery::discover(&upstream_url, private).await.map_err(|e| Error::External(e.to_string()))?;
        let server = &found.authorization_server;
        let (client_id, client_secret, method, registration) = match req.client_id {
            Some(id) => {
                let method = auth_method(&secret).to_string();
                (id, secret, method, "admin")
            }
            None => client(server, public_url, private).await?,
        };
        Ok(UpstreamOauthSetup {
            resource: found.resource,
            issuer: Some(server.issuer.clone()),
            authorization_endpoint: server.authorization_endpoint.clone(),
            token_endpoint: server.token_endpoint.clone(),
            revocation_endpoint: server.revocation_endpoint.clone(),
            iss_parameter: server.iss_parameter,
            client_id,
            client_secret,
            auth_method: method,
            registration,
            scopes: scopes.unwrap_or(found.scopes),
        })
    })?
}

/// mcpcp's client at `server` when the administrator gave none: its client ID metadata document
/// where the server accepts one (nothing is registered; a public client), else one registered
/// dynamically. (client id, secret, token endpoint auth method, how it came to be.)
async fn client(
    server: &AuthorizationServer,
    public_url: &str,
    private_ok: bool,
) -> Result<(String, Option<Secret>, String, &'static str)> {
    let why_not_document = match registration::document_client_id(public_url, server) {
        Ok(id) => return Ok((id, None, "none".into(), "metadata_document")),
        Err(why) => why,
    };
    if server.registration_endpoint.is_none() {
        return Err(Error::External(format!(
            "mcpcp cannot become a client of authorization server {}: it offers no dynamic client \
             registration, and a client ID metadata document cannot be used ({why_not_document}); \
             register mcpcp there (redirect URI {}) and give --client-id (and --client-secret-stdin)",
            server.issuer,
            registration::redirect_uri(public_url)
        )));
    }
    let r = registration::register(server, &registration::redirect_uri(public_url), private_ok)
        .await
        .map_err(|e| Error::External(e.to_string()))?;
    Ok((r.client_id, r.client_secret, r.auth_method, "dynamic"))
}

/// `tool sync --timeout`: how long the upstream has to answer.
pub fn sync_timeout(raw: Option<&str>) -> Result<Duration> {
    let default = Duration::from_secs(60);
    let Some(raw) = raw else { return Ok(default) };
    Ok(crate::model::parse_duration(raw)?.to_std().unwrap_or(default))
}

fn sync(op: SyncTools, stores: &mut dyn Stores, ctx: &Ctx) -> Result<SyncReport> {
    let timeout = sync_timeout(op.timeout.as_deref())?;
    let name = op.server;
    // Refused before the upstream is reached on the actor's behalf.
    let found = server(stores, ctx, &name, Permission::TOOL_MANAGE)?;
    if found.kind == "openapi" {
        return Err(Error::Invalid(format!(
            "server {name:?} is an OpenAPI server: its tools come from its document; `mcpcp server refresh {name}` \
             reads it again"
        )));
    }
    if found.transport == Transport::None {
        return Err(Error::Invalid(format!(
            "server {name:?} is composed: it has no upstream to ask; its tools are added with `mcpcp server tool add \
             {name} --from SERVER:TOOL`"
        )));
    }
    let key = stores.key()?;
    let snapshot = crate::snapshot::load(stores.state()?, &key)?;
    let config = snapshot.server(&name).cloned().ok_or_else(|| Error::NotFound(format!("no server named {name:?}")))?;
    // A server whose users sign in upstream is asked as its shared connection.
    let bearer = match config.upstream_auth {
        UpstreamAuth::Oauth => {
            let Some(authorization) = snapshot.connection(config.id, None).and_then(|c| c.authorization.clone()) else {
                return Err(Error::Conflict(format!(
                    "server {name:?} signs each user in at its upstream: link its shared connection first \
                     (`mcpcp server connect {name}`), or let a linked user's client list the tools"
                )));
            };
            Some(std::sync::Arc::new(move || Some(authorization.clone())) as crate::upstream::Bearer)
        }
        _ => None,
    };
    let listed = block_on(async {
        let http = crate::upstream::Clients::new(&crate::upstream::Options::default()).map_err(|e| e.to_string())?;
        crate::upstream::list_tools(&config, &http, timeout, bearer).await
    })?;
    let tools = listed.map_err(|e| Error::External(format!("cannot list the tools of {name:?}: {e}")))?;
    let definitions = tools.iter().filter_map(crate::gateway::tool_definition).collect();
    crate::ops::tool::sync(stores.state()?, ctx, &name, definitions)
}

/// `server connect --timeout`: how long the link works (and the CLI waits).
pub fn link_timeout(raw: &str) -> Result<Duration> {
    crate::model::parse_duration(raw)?
        .to_std()
        .ok()
        .filter(|t| !t.is_zero() && *t <= Duration::from_secs(600))
        .ok_or_else(|| Error::Invalid("--timeout must be more than 0 and at most 10m".into()))
}

fn link(op: LinkSharedConnection, stores: &mut dyn Stores, ctx: &Ctx) -> Result<SharedConnectionLink> {
    use crate::upstream::oauth::shared_link::SharedLink;
    let timeout = link_timeout(&op.timeout)?;
    let name = op.server;
    let server = server(stores, ctx, &name, Permission::SERVER_UPDATE)?;
    if server.upstream_auth != UpstreamAuth::Oauth {
        return Err(Error::Invalid(format!(
            "server {name:?} does not sign in at its upstream (its upstream auth is {}); \
             set it with `mcpcp server upstream-auth {name} oauth` first",
            server.upstream_auth.as_str()
        )));
    }
    let replaces = crate::ops::connection::for_server(stores.state()?, ctx, &name)?
        .into_iter()
        .find(|c| c.user.is_none())
        .map(|c| c.id);
    let public = stores.public_url()?;
    let nonce: [u8; 16] = crate::secrets::random_bytes().map_err(|e| Error::Internal(e.to_string()))?;
    let expires = ctx.now + chrono::Duration::from_std(timeout).map_err(|e| Error::Internal(e.to_string()))?;
    let link = SharedLink {
        server_id: server.id,
        actor_kind: ctx.actor.kind.clone(),
        actor_name: ctx.actor.name.clone(),
        expires_at: expires.timestamp(),
        nonce: crate::secrets::hex(&nonce),
    };
    let sealed = link.seal(&stores.key()?).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(SharedConnectionLink {
        server: name,
        url: format!("{public}/connect/shared/{sealed}"),
        expires_at: crate::store::timestamp(expires),
        replaces,
    })
}
