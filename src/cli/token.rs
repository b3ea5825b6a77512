//! `mcpcp token …`

use clap::Subcommand;

use super::{Env, output};
use crate::ops::token::{CreateToken, ListTokens, RevokeToken};

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for one server; the token is printed once and never again.
    Create {
        server: String,
        /// A name to recognise the token by (default: token-ID).
        #[arg(long)]
        name: Option<String>,
        /// Lifetime, e.g. 12h, 30d, 2w (default: no expiry).
        #[arg(long, value_name = "DURATION")]
        expires: Option<String>,
    },
    /// List tokens (never their secrets), of one server or all.
    List { server: Option<String> },
    /// Revoke a token: it is refused from then on.
    Revoke {
        /// The token's id, as shown by `mcpcp token list`.
        id: String,
    },
}

pub fn run(cmd: TokenCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        TokenCommand::Create { server, name, expires } => {
            let created = env.op(CreateToken { server, name, expires })?;
            if env.json() {
                return output::json(&created);
            }
            let t = &created.token;
            eprintln!(
                "created token {} {:?} for server {:?}{}; it is shown only now, store it safely:",
                t.id,
                t.name,
                t.server,
                t.expires_at.as_deref().map(|e| format!(", expires {}", output::time(e))).unwrap_or_default()
            );
            output::outln!("{}", created.secret.expose());
            Ok(())
        }
        TokenCommand::List { server } => {
            let tokens = env.op(ListTokens { server })?;
            if env.json() {
                return output::json(&tokens);
            }
            let rows = tokens
                .iter()
                .map(|t| {
                    vec![
                        t.id.to_string(),
                        t.server.clone(),
                        t.name.clone(),
                        format!("{}…", t.prefix),
                        serde_json::to_value(t.status)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default(),
                        output::time(&t.created_at),
                        output::opt_time(t.expires_at.as_deref()),
                    ]
                })
                .collect();
            output::print_table(&["id", "server", "name", "prefix", "status", "created", "expires"], rows, "no tokens");
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            let t = env.op(RevokeToken { id })?;
            env.done(&t, || format!("revoked token {} {:?} of server {:?}", t.id, t.name, t.server))
        }
    }
}
