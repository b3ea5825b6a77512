//! Revoking the tokens of removed upstream connections at the upstream's authorization server
//! (RFC 7009). Whatever removes a connection queues its tokens in the same transaction
//! (`upstream_revocations`, a trigger of the state database), whether the gateway or the admin
//! CLI removed it; this task empties the queue: at once when a commit is seen, and retries what
//! failed every `RETRY` until `MAX_ATTEMPTS`. The refresh token goes first (revoking it ends the
//! grant where the server ties access tokens to it), then the access token.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::with_db;
use crate::gateway::Shared;
use crate::ops::connection;
use crate::secrets::{Secret, UpstreamTokens, purpose};
use crate::store::connections::Revocation;
use crate::upstream::oauth::{private_ok, token};

/// How often failed revocations are tried again.
const RETRY: Duration = Duration::from_secs(60);
/// Tries before a revocation is given up (an hour of an unreachable endpoint).
const MAX_ATTEMPTS: i64 = 60;
/// Revocations taken from the queue at once.
const BATCH: usize = 32;

/// Empties the revocation queue until `shutdown`.
pub async fn revoke_removed(shared: Arc<Shared>, shutdown: CancellationToken) {
    let mut changes = shared.live.subscribe();
    let mut retry = tokio::time::interval(RETRY);
    loop {
        // A commit (the snapshot changed) queues new ones; the timer retries the failed.
        let retrying = tokio::select! {
            _ = shutdown.cancelled() => return,
            changed = changes.changed() => {
                if changed.is_err() {
                    return;
                }
                false
            }
            _ = retry.tick() => true,
        };
        let queued = with_db(&shared, |db| connection::queued_revocations(db, MAX_ATTEMPTS, BATCH)).await;
        let queued = match queued {
            Ok(q) => q,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the upstream revocation queue");
                continue;
            }
        };
        for r in queued.into_iter().filter(|r| retrying || r.attempts == 0) {
            let id = r.id;
            let done = revoke(&shared, &r).await;
            let stored = with_db(&shared, move |db| connection::revocation_tried(db, id, done, MAX_ATTEMPTS)).await;
            if let Err(e) = stored {
                tracing::warn!(error = %e, "cannot update the upstream revocation queue");
            }
        }
    }
}

/// Revokes one removed connection's tokens; whether it is done (revoked, or refused for good).
async fn revoke(shared: &Shared, r: &Revocation) -> bool {
    let Ok(tokens) = UpstreamTokens::open(&shared.key, r.server_id, r.user_id, &r.tokens_sealed) else {
        tracing::warn!(server_id = r.server_id, "a removed connection's tokens do not open: not revoked");
        return true;
    };
    let secret = match &r.client_secret_sealed {
        None => None,
        Some(sealed) => match shared.key.open(purpose::UPSTREAM_CLIENT_SECRET, sealed) {
            Ok(plain) => Some(Secret::new(String::from_utf8_lossy(&plain).into_owned())),
            Err(_) => {
                tracing::warn!(server_id = r.server_id, "mcpcp's client secret does not open: not revoked");
                return true;
            }
        },
    };
    let client =
        token::Client { client_id: r.client_id.clone(), client_secret: secret, auth_method: r.auth_method.clone() };
    let private = match url::Url::parse(&r.resource) {
        Ok(u) => private_ok(&u).await,
        Err(_) => false,
    };
    let mut all = Vec::new();
    if let Some(refresh) = tokens.refresh {
        all.push((Secret::new(refresh), "refresh_token"));
    }
    all.push((Secret::new(tokens.access), "access_token"));
    for (token, hint) in all {
        match token::revoke(&r.endpoint, &client, &token, hint, private).await {
            Ok(status) if status.is_success() => {}
            // Refused for good (a 4xx other than 429): trying again will not help.
            Ok(status) if status.is_client_error() && status != reqwest::StatusCode::TOO_MANY_REQUESTS => {
                tracing::warn!(server_id = r.server_id, %status, hint, "the upstream refused to revoke a removed connection's token");
            }
            Ok(status) => {
                tracing::info!(server_id = r.server_id, %status, hint, "revocation at the upstream failed; will retry");
                return false;
            }
            Err(e) => {
                tracing::info!(server_id = r.server_id, error = %e, hint, "revocation at the upstream failed; will retry");
                return false;
            }
        }
    }
    tracing::info!(server_id = r.server_id, "revoked a removed connection's tokens at the upstream");
    true
}
