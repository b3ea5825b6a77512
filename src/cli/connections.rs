//! Printing linked upstream accounts (`user connections`, `server connections`).

use super::{Env, output};
use crate::model::UpstreamConnection;
use crate::ops::connection::ListServerConnections;

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

/// `server connect NAME`: prints a link for the administrator to authorize the server's shared
/// upstream connection in their browser (the account API tokens of the server reach the upstream
/// as), and waits, with a spinner, until the gateway stored it or `timeout` passed.
pub(super) fn connect(env: &mut Env, name: &str, timeout: &str) -> anyhow::Result<()> {
    use crate::gateway::admin::upstream::{LinkSharedConnection, link_timeout};
    let wait = link_timeout(timeout)?;
    let link = env.op(LinkSharedConnection { server: name.to_string(), timeout: timeout.to_string() })?;
    let until = crate::store::parse_timestamp(&link.expires_at)
        .map_or_else(|| link.expires_at.clone(), |t| t.format("%H:%M:%S UTC").to_string());
    eprintln!(
        "Open this link in your browser and sign in at the upstream of server {name:?} with the account \
         its API tokens should use (it works once, until {until}):\n\n  {}\n",
        link.url
    );
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message("waiting for the sign-in to complete…");
    spinner.enable_steady_tick(std::time::Duration::from_millis(100));
    let deadline = std::time::Instant::now() + wait;
    let linked = loop {
        let shared = env.op(ListServerConnections { server: name.to_string() });
        let shared = match shared {
            Ok(all) => all.into_iter().find(|c| c.user.is_none()),
            Err(e) => {
                spinner.finish_and_clear();
                return Err(e);
            }
        };
        if let Some(c) = shared.filter(|c| Some(c.id) != link.replaces) {
            break Some(c);
        }
        if std::time::Instant::now() >= deadline {
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    };
    spinner.finish_and_clear();
    let Some(linked) = linked else {
        anyhow::bail!("no sign-in completed within {} s; nothing was linked", wait.as_secs());
    };
    env.done(&linked, || {
        let account = linked.subject.as_deref().map(|s| format!(" as {s:?}")).unwrap_or_default();
        format!("server {name:?} has a shared upstream connection{account}: its API tokens reach the upstream")
    })
}
