//! `--upstream-auth oauth`: finding the upstream's authorization server and mcpcp's client there
//! before the one transaction that stores them. mcpcp discovers the authorization server the way
//! an MCP client must; its client there is, in this order: the one the administrator gave
//! (`--client-id`, a pre-registered app); its client ID metadata document, served by the gateway
//! (the document's URL is the client id), where the server accepts documents; a client it
//! registers (RFC 7591) with the gateway's `/connect/callback` as redirect URI. `--authorization-url`
//! and `--token-url` serve an upstream that publishes no metadata.

use clap::Args;

use super::{Env, UsageError};
use crate::ops::upstream_auth::UpstreamOauthSetup;
use crate::secrets::Secret;
use crate::upstream::oauth::discovery::AuthorizationServer;
use crate::upstream::oauth::{discovery, private_ok, registration};

#[derive(Debug, Args)]
pub struct OauthArgs {
    /// With --upstream-auth oauth: mcpcp's client id at the upstream's authorization server (a
    /// pre-registered app); without it mcpcp names itself by its client ID metadata document
    /// or registers itself there.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Read that client's secret from standard input (its first line).
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// The scopes to ask for, space separated [default: what the upstream advertises].
    #[arg(long, value_name = "SCOPES")]
    pub scopes: Option<String>,
    /// The authorization endpoint, for an upstream that publishes no metadata (with --token-url
    /// and --client-id).
    #[arg(long, value_name = "URL")]
    pub authorization_url: Option<String>,
    /// The token endpoint (with --authorization-url).
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
}

impl OauthArgs {
    fn given(&self) -> bool {
        self.client_id.is_some()
            || self.client_secret_stdin
            || self.scopes.is_some()
            || self.authorization_url.is_some()
            || self.token_url.is_some()
    }

    /// Refuses these flags without `--upstream-auth oauth`.
    pub fn unused(&self) -> anyhow::Result<()> {
        if self.given() {
            return Err(UsageError(
                "--client-id, --client-secret-stdin, --scopes, --authorization-url and --token-url need --upstream-auth oauth"
                    .into(),
            )
            .into());
        }
        Ok(())
    }
}

/// The gateway's public URL, as clients and upstreams reach it.
pub(super) fn public_url(env: &Env) -> anyhow::Result<String> {
    let config = &env.loaded.config;
    if let Some(u) = &config.public_url {
        return Ok(u.as_str().trim_end_matches('/').to_string());
    }
    if config.listen.port() == 0 {
        return Err(UsageError(
            "set public_url (the gateway listens on port 0): the upstream sends users back to it".into(),
        )
        .into());
    }
    let tls = config.tls.cert.is_some() || config.tls.self_signed;
    Ok(crate::gateway::base_url(config.listen, tls))
}

/// The settings to store for `upstream` (the server's URL).
pub fn setup(args: OauthArgs, upstream: &str, env: &Env) -> anyhow::Result<UpstreamOauthSetup> {
    if args.client_secret_stdin && args.client_id.is_none() {
        return Err(UsageError("--client-secret-stdin needs --client-id".into()).into());
    }
    if args.authorization_url.is_some() != args.token_url.is_some() {
        return Err(UsageError("--authorization-url and --token-url go together".into()).into());
    }
    if args.authorization_url.is_some() && args.client_id.is_none() {
        return Err(UsageError(
            "--authorization-url needs --client-id (mcpcp cannot register without metadata)".into(),
        )
        .into());
    }
    let secret = if args.client_secret_stdin {
        let mut raw = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut raw)
            .map_err(|e| anyhow::anyhow!("cannot read the client secret from standard input: {e}"))?;
        let first = raw.lines().next().unwrap_or("").trim().to_string();
        if first.is_empty() {
            return Err(UsageError(
                "no client secret on standard input (--client-secret-stdin reads its first line)".into(),
            )
            .into());
        }
        Some(Secret::new(first))
    } else {
        None
    };
    let upstream_url = url::Url::parse(upstream).map_err(|e| anyhow::anyhow!("the server's URL {upstream:?}: {e}"))?;
    let public_url = public_url(env)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async move {
        let private = private_ok(&upstream_url).await;
        let auth_method = |secret: &Option<Secret>| if secret.is_some() { "client_secret_basic" } else { "none" };
        if let (Some(authorization), Some(token)) = (args.authorization_url, args.token_url) {
            let client_id = args.client_id.unwrap_or_default();
            return Ok(UpstreamOauthSetup {
                resource: upstream_url.to_string(),
                issuer: None,
                authorization_endpoint: authorization,
                token_endpoint: token,
                revocation_endpoint: None,
                iss_parameter: false,
                client_id,
                auth_method: auth_method(&secret).into(),
                client_secret: secret,
                registration: "admin",
                scopes: args.scopes.map(|s| s.split_whitespace().map(String::from).collect()).unwrap_or_default(),
            });
        }
        let found = discovery::discover(&upstream_url, private).await?;
        let server = &found.authorization_server;
        let (client_id, client_secret, method, registration) = match args.client_id {
            Some(id) => {
                let method = auth_method(&secret).to_string();
                (id, secret, method, "admin")
            }
            None => client(server, &public_url, private).await?,
        };
        let scopes = args.scopes.map(|s| s.split_whitespace().map(String::from).collect()).unwrap_or(found.scopes);
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
            scopes,
        })
    })
}

/// mcpcp's client at `server` when the administrator gave none: its client ID metadata document
/// where the server accepts one (nothing is registered; a public client), else one registered
/// dynamically. (client id, secret, token endpoint auth method, how it came to be.)
async fn client(
    server: &AuthorizationServer,
    public_url: &str,
    private_ok: bool,
) -> anyhow::Result<(String, Option<Secret>, String, &'static str)> {
    let why_not_document = match registration::document_client_id(public_url, server) {
        Ok(id) => return Ok((id, None, "none".into(), "metadata_document")),
        Err(why) => why,
    };
    if server.registration_endpoint.is_none() {
        return Err(anyhow::anyhow!(
            "mcpcp cannot become a client of authorization server {}: it offers no dynamic client \
             registration, and a client ID metadata document cannot be used ({why_not_document}); \
             register mcpcp there (redirect URI {}) and give --client-id (and --client-secret-stdin)",
            server.issuer,
            registration::redirect_uri(public_url)
        ));
    }
    let r = registration::register(server, &registration::redirect_uri(public_url), private_ok).await?;
    Ok((r.client_id, r.client_secret, r.auth_method, "dynamic"))
}
