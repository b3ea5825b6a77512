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

/// `server connect NAME`: prints a link for the administrator to authorize the server's shared
/// upstream connection in their browser (the account API tokens of the server reach the upstream
/// as), and waits, with a spinner, until the gateway stored it or `timeout` passed.
pub(super) fn connect(env: &mut Env, ctx: &crate::ops::Ctx, name: &str, timeout: &str) -> anyhow::Result<()> {
    use crate::upstream::oauth::shared_link::SharedLink;
    let timeout = crate::model::parse_duration(timeout)?
        .to_std()
        .ok()
        .filter(|t| !t.is_zero() && *t <= std::time::Duration::from_secs(600))
        .ok_or_else(|| super::UsageError("--timeout must be more than 0 and at most 10m".into()))?;
    let servers = crate::ops::server::list(env.db()?, ctx)?;
    let server = servers
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| crate::ops::Error::NotFound(format!("no server named {name:?}")))?;
    if server.upstream_auth != crate::model::UpstreamAuth::Oauth {
        return Err(super::UsageError(format!(
            "server {name:?} does not sign in at its upstream (its upstream auth is {}); \
             set it with `mcpcp server upstream-auth {name} oauth` first",
            server.upstream_auth.as_str()
        ))
        .into());
    }
    let shared = |env: &mut Env| -> anyhow::Result<Option<UpstreamConnection>> {
        Ok(crate::ops::connection::for_server(env.db()?, name)?.into_iter().find(|c| c.user.is_none()))
    };
    let before = shared(env)?.map(|c| c.id);
    let public = super::upstream_oauth::public_url(env)?;
    let nonce: [u8; 16] = crate::secrets::random_bytes()?;
    let link = SharedLink {
        server_id: server.id,
        actor_kind: ctx.actor.kind.clone(),
        actor_name: ctx.actor.name.clone(),
        expires_at: (ctx.now + chrono::Duration::from_std(timeout)?).timestamp(),
        nonce: crate::secrets::hex(&nonce),
    };
    let url = format!("{public}/connect/shared/{}", link.seal(&env.key()?)?);
    eprintln!(
        "Open this link in your browser and sign in at the upstream of server {name:?} with the account \
         its API tokens should use (it works once, until {}):\n\n  {url}\n",
        (ctx.now + chrono::Duration::from_std(timeout)?).format("%H:%M:%S UTC")
    );
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message("waiting for the sign-in to complete…");
    spinner.enable_steady_tick(std::time::Duration::from_millis(100));
    let deadline = std::time::Instant::now() + timeout;
    let linked = loop {
        if let Some(c) = shared(env)?.filter(|c| Some(c.id) != before) {
            break Some(c);
        }
        if std::time::Instant::now() >= deadline {
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    };
    spinner.finish_and_clear();
    let Some(linked) = linked else {
        anyhow::bail!("no sign-in completed within {} s; nothing was linked", timeout.as_secs());
    };
    env.done(&linked, || {
        let account = linked.subject.as_deref().map(|s| format!(" as {s:?}")).unwrap_or_default();
        format!("server {name:?} has a shared upstream connection{account}: its API tokens reach the upstream")
    })
}
