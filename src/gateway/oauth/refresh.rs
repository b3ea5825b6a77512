//! Keeping linked upstream accounts' tokens fresh (verified user access): before a call reaches
//! the upstream, an access token near its expiry is refreshed, once however many calls wait on
//! it (one lock per account; a waiter finds it fresh and goes on). The rotated refresh token is
//! stored in the same write as the new access token. A refresh token the upstream refuses
//! (`invalid_grant`: revoked, expired) removes the link, audited as `connection.refresh_failed`,
//! so the user's next call is refused with a link to link again, not failed over and over.

use std::sync::Arc;

use super::with_db;
use crate::gateway::Shared;
use crate::secrets::Secret;
use crate::upstream::oauth::token::{self as upstream_token, TokenError};

/// Refreshes the account of `user_id` (`None`: the shared one) at `server_id` if its token is
/// due; returns at once for any other.
pub(crate) async fn ensure_fresh(shared: &Arc<Shared>, server_id: i64, user_id: Option<i64>) {
    let due = || {
        let snapshot = shared.live.load();
        snapshot.connection(server_id, user_id).is_some_and(|c| c.refresh_due(shared.clock.now()))
    };
    if !due() {
        return;
    }
    let Some(lock) = account_lock(shared, server_id, user_id) else { return };
    let _one_at_a_time = lock.lock().await;
    if due() {
        refresh(shared, server_id, user_id).await;
    }
}

/// The upstream refused `sent`, this account's token: refreshes it once (unless another call
/// already did); whether there is now another token to retry with.
pub(crate) async fn refresh_refused(
    shared: &Arc<Shared>,
    server_id: i64,
    user_id: Option<i64>,
    sent: &axum::http::HeaderValue,
) -> bool {
    let current = || shared.live.load().connection(server_id, user_id).and_then(|c| c.authorization.clone());
    let Some(lock) = account_lock(shared, server_id, user_id) else { return false };
    let _one_at_a_time = lock.lock().await;
    if current().as_ref() == Some(sent) {
        refresh(shared, server_id, user_id).await;
    }
    current().is_some_and(|now| now != *sent)
}

/// The lock that lets one refresh of an account run at a time. Locks nobody holds or waits for
/// are dropped as new ones are made, so the map holds only accounts being refreshed.
fn account_lock(shared: &Shared, server_id: i64, user_id: Option<i64>) -> Option<Arc<tokio::sync::Mutex<()>>> {
    let mut locks = shared.oauth.refreshing.lock().ok()?;
    if !locks.contains_key(&(server_id, user_id)) {
        locks.retain(|_, lock| Arc::strong_count(lock) > 1);
    }
    Some(locks.entry((server_id, user_id)).or_default().clone())
}

async fn refresh(shared: &Arc<Shared>, server_id: i64, user_id: Option<i64>) {
    let snapshot = shared.live.load();
    let Some(oauth) = snapshot.servers().find(|s| s.id == server_id).and_then(|s| s.upstream_oauth.clone()) else {
        return;
    };
    let Some((server, client)) = super::connect::upstream(&oauth) else { return };
    let key = shared.key.clone();
    let tokens = with_db(shared, move |db| crate::ops::connection::tokens_of(db, &key, server_id, user_id)).await;
    let Some(refresh_token) = tokens.ok().flatten().and_then(|t| t.refresh) else { return };
    let private_ok = match url::Url::parse(&oauth.resource) {
        Ok(u) => crate::upstream::oauth::private_ok(&u).await,
        Err(_) => false,
    };
    let answer =
        upstream_token::refresh(&server, &client, &Secret::new(refresh_token), &oauth.resource, private_ok).await;
    let now = shared.clock.now();
    let key = shared.key.clone();
    let stored = match answer {
        Ok(granted) => {
            let expires_at =
                granted.expires_in.and_then(|s| chrono::Duration::try_seconds(i64::try_from(s).ok()?)).map(|d| now + d);
            let tokens = crate::secrets::UpstreamTokens {
                access: granted.access_token.expose().to_string(),
                refresh: granted.refresh_token.map(|r| r.expose().to_string()),
            };
            with_db(shared, move |db| {
                crate::ops::connection::refreshed(db, now, &key, server_id, user_id, &tokens, expires_at).map(|_| ())
            })
            .await
        }
        Err(TokenError::InvalidGrant) => {
            let ctx = crate::ops::Ctx::system("gateway", &shared.clock);
            with_db(shared, move |db| {
                crate::ops::connection::refresh_failed(
                    db,
                    &ctx,
                    server_id,
                    user_id,
                    "the upstream refused the refresh token",
                )
            })
            .await
        }
        Err(TokenError::Other(why)) => {
            tracing::warn!(server_id, why, "cannot refresh an upstream token");
            return;
        }
    };
    if let Err(e) = stored {
        tracing::warn!(server_id, error = %e, "cannot store a refreshed upstream token");
    }
    shared.reload_snapshot().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::mcp::testing::Fixture;

    #[test]
    fn one_lock_per_account_and_only_while_someone_holds_it() {
        let gw = Fixture::default().start();
        let a = account_lock(&gw.shared, 1, Some(1)).unwrap();
        let again = account_lock(&gw.shared, 1, Some(1)).unwrap();
        assert!(Arc::ptr_eq(&a, &again), "the same account shares one lock");
        let shared_one = account_lock(&gw.shared, 1, None).unwrap();
        assert!(!Arc::ptr_eq(&a, &shared_one));
        assert_eq!(gw.shared.oauth.refreshing.lock().unwrap().len(), 2);
        drop((a, again, shared_one));
        // Nobody holds them: they go when the next account's lock is made.
        let _b = account_lock(&gw.shared, 2, Some(7)).unwrap();
        assert_eq!(gw.shared.oauth.refreshing.lock().unwrap().len(), 1);
    }
}
