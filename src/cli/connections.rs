//! Printing linked upstream accounts (`user connections`, `server connections`).

use super::{Env, output};
use crate::model::UpstreamConnection;

pub(super) fn print(env: &Env, linked: &[UpstreamConnection], none: &str) -> anyhow::Result<()> {
    if env.json() {
        return output::json(&linked);
    }
    let dash = |v: &Option<String>| v.as_deref().map_or_else(|| "-".to_string(), output::time);
    let rows = linked
        .iter()
        .map(|c| {
            vec![
                c.server.clone(),
                c.user.clone().unwrap_or_else(|| "(shared)".into()),
                c.subject.clone().unwrap_or_else(|| "-".into()),
                if c.scopes.is_empty() { "-".into() } else { c.scopes.join(" ") },
                dash(&c.expires_at),
                dash(&c.refreshed_at),
                output::time(&c.created_at),
            ]
        })
        .collect();
    output::print_table(
        &["server", "user", "upstream account", "scopes", "expires", "refreshed", "linked"],
        rows,
        none,
    );
    Ok(())
}
