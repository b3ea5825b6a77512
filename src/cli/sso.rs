//! `mcpcp sso …`

use std::io::Read;

use anyhow::Context;
use clap::Subcommand;

use super::{Env, output};
use crate::ops::sso::{self, DisableSso, SetSso, ShowSso};
use crate::secrets::Secret;

#[derive(Debug, Subcommand)]
pub enum SsoCommand {
    /// Set up single sign-on through an OpenID Connect provider (replaces earlier settings).
    ///
    /// Register mcpcp at the provider with the redirect URI PUBLIC_URL/sso/callback.
    Set {
        /// The provider's issuer URL (its discovery document is ISSUER/.well-known/openid-configuration).
        #[arg(long)]
        issuer: String,
        /// The client id mcpcp was registered under at the provider.
        #[arg(long)]
        client_id: String,
        /// Read the client secret from standard input (first line). Required: the secret is
        /// never taken from the command line.
        #[arg(long, required = true)]
        client_secret_stdin: bool,
        /// Scopes to request (default: openid profile email).
        #[arg(long, value_name = "SCOPE", num_args = 1..)]
        scopes: Vec<String>,
        /// The ID token (or userinfo) claim listing the user's IdP groups.
        #[arg(long, value_name = "CLAIM")]
        groups_claim: Option<String>,
        /// Put users whose groups claim holds IDP_GROUP in mcpcp group GROUP (repeatable).
        #[arg(long, value_name = "IDP_GROUP=GROUP", num_args = 1..)]
        group_map: Vec<String>,
    },
    /// Show the single sign-on settings (never the secret).
    Show,
    /// Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`.
    Disable,
}

fn secret_from_stdin() -> anyhow::Result<Secret> {
    let mut raw = String::new();
    std::io::stdin().read_to_string(&mut raw).context("cannot read the client secret from standard input")?;
    let line = raw.lines().next().unwrap_or("").to_string();
    if line.is_empty() {
        anyhow::bail!(super::UsageError(
            "no client secret on standard input (--client-secret-stdin reads its first line)".into()
        ));
    }
    Ok(Secret::new(line))
}

fn print(view: &sso::SsoView) {
    let map: Vec<String> = view.group_map.iter().map(|(k, v)| format!("{k}={v}")).collect();
    output::print_fields(&[
        ("issuer", view.issuer.clone()),
        ("client id", view.client_id.clone()),
        ("client secret", "(set, encrypted at rest)".into()),
        ("scopes", view.scopes.join(" ")),
        ("groups claim", view.groups_claim.clone().unwrap_or_else(|| "-".into())),
        ("group map", output::list(&map)),
        ("enabled", if view.enabled { "yes".into() } else { "no".into() }),
        ("updated", output::time(&view.updated_at)),
    ]);
}

pub fn run(cmd: SsoCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        SsoCommand::Set { issuer, client_id, client_secret_stdin: _, scopes, groups_claim, group_map } => {
            let client_secret = secret_from_stdin()?;
            let view = env.op(SetSso { issuer, client_id, client_secret, scopes, groups_claim, group_map })?;
            env.done(&view, || format!("single sign-on set up with {}", view.issuer))
        }
        SsoCommand::Show => {
            let view = env.op(ShowSso {})?;
            if env.json() {
                return output::json(&view);
            }
            print(&view);
            Ok(())
        }
        SsoCommand::Disable => {
            let view = env.op(DisableSso {})?;
            env.done(&view, || format!("single sign-on with {} disabled", view.issuer))
        }
    }
}
