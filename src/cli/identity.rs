//! `mcpcp server identity …`: what a server's upstream is told about each caller.

use clap::Args;

use super::{Env, output};
use crate::model::IdentityForward;
use crate::ops::identity::{IdentitySettings, SetIdentity, ShowIdentity};

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
        env.op(ShowIdentity { server: a.name })?
    } else {
        env.op(SetIdentity { server: a.name, forward, jwt_header: a.jwt_header })?
    };
    if env.json() {
        return output::json(&settings);
    }
    print(&settings);
    Ok(())
}

fn print(s: &IdentitySettings) {
    let mut fields = vec![
        ("server", s.server.clone()),
        ("forward", s.forward.to_string()),
        ("jwt header", s.jwt_header.clone()),
        ("signing key", s.signing_key.clone().unwrap_or_else(|| "-".into())),
    ];
    if let Some(jwks) = &s.jwks {
        fields.push(("jwks", jwks.clone()));
    }
    output::print_fields(&fields);
}
