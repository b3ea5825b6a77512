//! `mcpcp key …`: the keys identity JWTs are signed with.

use clap::Subcommand;

use super::{Env, output};
use crate::ops::identity::{ListKeys, RotateKey};

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Replace the signing key: new JWTs are signed with a new key; the old one stays published
    /// until the tokens it signed have expired.
    Rotate,
    /// List the signing keys: the current one and those retired (never a private key).
    List,
}

pub fn run(cmd: KeyCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        KeyCommand::Rotate => {
            let r = env.op(RotateKey {})?;
            env.done(&r, || match (&r.previous, &r.previous_published_until) {
                (Some(old), Some(until)) => format!(
                    "new signing key {}; the previous key {old} stays published until {}",
                    r.kid,
                    output::time(until)
                ),
                _ => format!("new signing key {}", r.kid),
            })
        }
        KeyCommand::List => {
            let keys = env.op(ListKeys {})?;
            if env.json() {
                return output::json(&keys);
            }
            let rows = keys
                .iter()
                .map(|k| {
                    vec![
                        k.kid.clone(),
                        k.algorithm.clone(),
                        k.status.clone(),
                        output::time(&k.created_at),
                        k.retired_at.as_deref().map_or_else(|| "-".into(), output::time),
                        k.published_until.as_deref().map_or_else(|| "-".into(), output::time),
                    ]
                })
                .collect();
            output::print_table(
                &["kid", "algorithm", "status", "created", "retired", "published until"],
                rows,
                "no signing keys (one is made when a server first forwards a JWT, or by `mcpcp key rotate`)",
            );
            Ok(())
        }
    }
}
