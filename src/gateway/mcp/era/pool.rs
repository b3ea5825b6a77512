//! The upstream sessions modern clients' requests go through: one per principal and server,
//! opened on the first request (`session::open_bridge`), shared by every modern request of that
//! principal to that server, and opened again when the upstream lost it (the session ended), the
//! server's upstream settings changed, the principal lost access, or it sat idle. Kept apart from
//! the gateway's session table: no client names these sessions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::listen::Listeners;
use crate::gateway::Shared;
use crate::gateway::mcp::reply::{Final, Item};
use crate::gateway::mcp::session::{Session, open_bridge};
use crate::policy::{Grant, Principal};

/// Whose session: the server and the principal (a user's sign-in, or an API token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    server_id: i64,
    token_id: Option<i64>,
    user: Option<(i64, i64)>,
}

impl Key {
    fn of(grant: &Grant) -> Key {
        let server_id = grant.server().id;
        match grant.principal() {
            Principal::ApiToken { token_id, .. } => Key { server_id, token_id: Some(*token_id), user: None },
            Principal::User { user_id, grant_id, .. } => {
                Key { server_id, token_id: None, user: Some((*user_id, *grant_id)) }
            }
        }
    }
}

/// One pooled session and what its upstream said at `initialize` (the `result`, JSON text).
#[derive(Debug)]
pub struct Bridge {
    pub session: Arc<Session>,
    pub init: String,
}

/// Every pooled session.
#[derive(Debug, Default)]
pub struct Pool {
    map: Mutex<HashMap<Key, Arc<OnceCell<Arc<Bridge>>>>>,
    /// The modern clients' `subscriptions/listen` streams.
    pub listeners: Listeners,
}

impl Pool {
    /// The pooled session of `grant`'s principal on its server, opened if there is none (or the
    /// last one ended); the failure's answer to request `id` otherwise.
    pub(crate) async fn get(
        &self,
        shared: &Arc<Shared>,
        grant: &Grant,
        id: &str,
        trace_id: &str,
    ) -> Result<Arc<Bridge>, Final> {
        let cell = {
            let Ok(mut map) = self.map.lock() else {
                let why = "the gateway's upstream sessions are unavailable";
                return Err(Final::failed(id, &grant.server().name, crate::model::Fault::Internal, why, why));
            };
            let cell = map.entry(Key::of(grant)).or_default();
            if cell.get().is_some_and(|b| b.session.closed.is_cancelled()) {
                *cell = Arc::default();
            }
            cell.clone()
        };
        let bridge = cell
            .get_or_try_init(|| async {
                let (session, init) = open_bridge(shared, grant, id, trace_id).await?;
                // What the upstream sends unasked (its list-changed notifications) goes to the
                // principal's listen streams.
                if let Some(mut unasked) = session.attach_get_stream() {
                    let (shared, server_id, principal) = (shared.clone(), session.server_id, session.principal.clone());
                    tokio::spawn(async move {
                        while let Some(item) = unasked.recv().await {
                            if let Item::Message(json) = item {
                                shared.bridges.listeners.relay(server_id, &principal, &json);
                            }
                        }
                    });
                }
                Ok::<_, Final>(Arc::new(Bridge { session, init }))
            })
            .await?;
        bridge.session.touch();
        Ok(bridge.clone())
    }

    /// The pooled sessions open now.
    pub fn sessions(&self) -> Vec<Arc<Session>> {
        let Ok(map) = self.map.lock() else { return Vec::new() };
        map.values().filter_map(|c| c.get().map(|b| b.session.clone())).collect()
    }

    /// Ends a pooled session (the next request opens another).
    pub fn end(&self, session: &Session, why: &str) {
        let removed = self.map.lock().ok().and_then(|mut map| {
            let key = map.iter().find(|(_, c)| c.get().is_some_and(|b| b.session.id == session.id)).map(|(k, _)| *k)?;
            map.remove(&key)
        });
        if removed.is_some() {
            tracing::info!(server = session.server_name, why, "upstream session of stateless clients closed");
        }
        session.shutdown();
    }

    /// Ends every pooled session and listen stream.
    pub fn clear(&self) {
        self.listeners.closed.cancel();
        let cells: Vec<_> = self.map.lock().map(|mut m| m.drain().map(|(_, c)| c).collect()).unwrap_or_default();
        for cell in cells {
            if let Some(b) = cell.get() {
                b.session.shutdown();
            }
        }
    }
}
