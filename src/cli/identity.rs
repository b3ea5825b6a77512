//! `mcpcp server identity …`: what a server's upstream is told about each caller.

use clap::Args;

use super::{Env, output};
use crate::model::IdentityForward;
use crate::ops::identity::{self, IdentitySettings};

#[derive(Debug, Args)]
pub struct IdentityArgs {
    pub name: String,
    /// none, or any of headers, jwt, meta joined by commas (e.g. headers,jwt).
    #[arg(long, value_name = "WAYS")]
    pub forward: Option<String>,
    /// The header the signed JWT travels in [default: X-MCPCP-Identity].
    #[arg(long, value_name = "NAME")]
    pub jwt_header: Option<String>,
}

pub fn run(a: IdentityArgs, env: &mut Env) -> anyhow::Result<()> {
    let forward = a.forward.as_deref().map(IdentityForward::parse).transpose().map_err(|e| super::UsageError(e.0))?;
    let settings = if forward.is_none() && a.jwt_header.is_none() {
        identity::show(env.db()?, &a.name)?
    } else {
        let ctx = env.ctx.clone();
        let key = env.key()?;
        identity::set(env.db()?, &ctx, &key, &a.name, forward, a.jwt_header.as_deref())?
    };
    if env.json() {
        return output::json(&settings);
    }
    print(env, &settings);
    Ok(())
}

fn print(env: &Env, s: &IdentitySettings) {
    let mut fields = vec![
        ("server", s.server.clone()),
        ("forward", s.forward.to_string()),
        ("jwt header", s.jwt_header.clone()),
        ("signing key", s.signing_key.clone().unwrap_or_else(|| "-".into())),
    ];
    if let Some(public) = &env.loaded.config.public_url {
        fields.push(("jwks", format!("{}/.well-known/jwks.json", public.as_str().trim_end_matches('/'))));
    }
    output::print_fields(&fields);
}
