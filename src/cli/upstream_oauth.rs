//! The flags of `--upstream-auth oauth` (`server create`, `server upstream-auth`): mcpcp's client
//! at the upstream's authorization server when the administrator gives one, its secret read from
//! standard input, the scopes, and the endpoints of an upstream that publishes no metadata. The
//! operation finds the rest where it runs (`gateway::admin::upstream`).

use clap::Args;

use super::UsageError;
use crate::gateway::admin::upstream::OauthRequest;
use crate::secrets::Secret;

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

    /// What these flags ask for, the client secret read from standard input: the operation
    /// finds the rest where it runs (`gateway::admin::upstream`).
    pub fn request(self) -> anyhow::Result<OauthRequest> {
        if self.client_secret_stdin && self.client_id.is_none() {
            return Err(UsageError("--client-secret-stdin needs --client-id".into()).into());
        }
        if self.authorization_url.is_some() != self.token_url.is_some() {
            return Err(UsageError("--authorization-url and --token-url go together".into()).into());
        }
        if self.authorization_url.is_some() && self.client_id.is_none() {
            return Err(UsageError(
                "--authorization-url needs --client-id (mcpcp cannot register without metadata)".into(),
            )
            .into());
        }
        let client_secret = if self.client_secret_stdin {
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
        Ok(OauthRequest {
            client_id: self.client_id,
            client_secret,
            scopes: self.scopes,
            authorization_url: self.authorization_url,
            token_url: self.token_url,
        })
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
