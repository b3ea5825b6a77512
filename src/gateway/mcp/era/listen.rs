//! `subscriptions/listen` (2026-07-28 basic/patterns/subscriptions): a modern client's one
//! long-lived POST whose SSE answer carries the list-changed notifications it opted into, each
//! tagged with `_meta["io.modelcontextprotocol/subscriptionId"]` (the listen request's id). They
//! come from two places: mcpcp itself, when what the listener may see of the server's tools
//! changes (an admin stops or starts a tool, `tool sync` changes the list, the principal's group
//! grants change: `maintain.rs`), and the upstream, whose notifications on the principal's pooled
//! session are relayed (`relay`). Resource subscriptions (`resourceSubscriptions`) are not
//! honoured: the acknowledgment leaves them out, as the spec asks of what a server will not send.

use std::sync::Mutex;

use serde::Deserialize;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::gateway::mcp::reply::Item;
use crate::jsonrpc::Message;
use crate::policy::Principal;

const SUBSCRIPTION_ID: &str = "io.modelcontextprotocol/subscriptionId";

/// What a listener opted into and was granted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    pub tools: bool,
    pub prompts: bool,
    pub resources: bool,
}

impl Filter {
    /// The types a listen request asks for (`params.notifications`).
    pub(crate) fn asked(message: &Message) -> Filter {
        #[derive(Deserialize, Default)]
        struct Asked {
            #[serde(rename = "toolsListChanged", default)]
            tools: bool,
            #[serde(rename = "promptsListChanged", default)]
            prompts: bool,
            #[serde(rename = "resourcesListChanged", default)]
            resources: bool,
        }
        #[derive(Deserialize)]
        struct Params {
            #[serde(default)]
            notifications: Option<Asked>,
        }
        let asked = message.params_as::<Params>().and_then(|p| p.notifications).unwrap_or_default();
        Filter { tools: asked.tools, prompts: asked.prompts, resources: asked.resources }
    }

    /// The acknowledgment's `notifications`: what will be sent.
    fn json(self) -> String {
        let mut parts = Vec::new();
        for (on, name) in [
            (self.tools, "toolsListChanged"),
            (self.prompts, "promptsListChanged"),
            (self.resources, "resourcesListChanged"),
        ] {
            if on {
                parts.push(format!("\"{name}\":true"));
            }
        }
        format!("{{{}}}", parts.join(","))
    }

    fn wants(self, method: &str) -> bool {
        match method {
            "notifications/tools/list_changed" => self.tools,
            "notifications/prompts/list_changed" => self.prompts,
            "notifications/resources/list_changed" => self.resources,
            _ => false,
        }
    }
}

struct Listener {
    server_id: i64,
    principal: Principal,
    /// The listen request's id, raw JSON text.
    subscription: String,
    filter: Filter,
    tx: mpsc::Sender<Item>,
}

/// Every open listen stream.
#[derive(Default)]
pub struct Listeners {
    list: Mutex<Vec<Listener>>,
    /// Ends every stream (the gateway shuts down).
    pub(crate) closed: CancellationToken,
}

impl std::fmt::Debug for Listeners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listeners").finish_non_exhaustive()
    }
}

impl Listeners {
    /// Opens a listen stream of `principal` on `server_id` for `filter`: the acknowledgment (its
    /// first message) and what follows.
    pub(crate) fn open(
        &self,
        server_id: i64,
        principal: &Principal,
        subscription: &str,
        filter: Filter,
    ) -> (String, mpsc::Receiver<Item>) {
        let (tx, rx) = mpsc::channel(64);
        let ack = format!(
            "{{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{{\"_meta\":{{\"{SUBSCRIPTION_ID}\":{subscription}}},\"notifications\":{}}}}}",
            filter.json()
        );
        if let Ok(mut list) = self.list.lock() {
            list.retain(|l| !l.tx.is_closed());
            let listener = Listener {
                server_id,
                principal: principal.clone(),
                subscription: subscription.to_string(),
                filter,
                tx,
            };
            list.push(listener);
        }
        (ack, rx)
    }

    /// Sends `method` (a list-changed notification) to the listeners of `server_id` that asked
    /// for it and for whom `concerns` holds.
    pub(crate) fn notify(&self, server_id: i64, method: &str, concerns: impl Fn(&Principal) -> bool) {
        let Ok(mut list) = self.list.lock() else { return };
        list.retain(|l| !l.tx.is_closed());
        for l in list.iter().filter(|l| l.server_id == server_id && l.filter.wants(method) && concerns(&l.principal)) {
            let json = format!(
                "{{\"jsonrpc\":\"2.0\",\"method\":\"{method}\",\"params\":{{\"_meta\":{{\"{SUBSCRIPTION_ID}\":{}}}}}}}",
                l.subscription
            );
            let _ = l.tx.try_send(Item::Message(json));
        }
    }

    /// Whether any listener is open on `server_id`.
    pub(crate) fn on(&self, server_id: i64) -> bool {
        self.list.lock().is_ok_and(|l| l.iter().any(|l| l.server_id == server_id && !l.tx.is_closed()))
    }

    /// Relays what the upstream sent `principal`'s pooled session on `server_id` unasked: its
    /// list-changed notifications go to the principal's listeners that asked for them.
    pub(crate) fn relay(&self, server_id: i64, principal: &Principal, json: &str) {
        let Ok(message) = Message::parse(json.as_bytes()) else { return };
        if message.id.is_some() {
            return;
        }
        self.notify(server_id, message.method(), |p| p == principal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listener_gets_what_it_asked_for_tagged_with_its_id() {
        let listeners = Listeners::default();
        let ada = Principal::ApiToken { token_id: 1, token_name: "ada".into(), server_id: 7 };
        let bob = Principal::ApiToken { token_id: 2, token_name: "bob".into(), server_id: 7 };
        let asked = Message::parse(
            br#"{"jsonrpc":"2.0","id":"L1","method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true,"resourceSubscriptions":["x://y"]}}}"#,
        )
        .unwrap();
        let filter = Filter::asked(&asked);
        assert_eq!(filter, Filter { tools: true, ..Filter::default() });
        let (ack, mut rx) = listeners.open(7, &ada, "\"L1\"", filter);
        let ack: serde_json::Value = serde_json::from_str(&ack).unwrap();
        assert_eq!(ack["params"]["notifications"], serde_json::json!({"toolsListChanged": true}));
        assert_eq!(ack["params"]["_meta"][SUBSCRIPTION_ID], "L1");
        listeners.notify(7, "notifications/prompts/list_changed", |_| true);
        listeners.notify(8, "notifications/tools/list_changed", |_| true);
        listeners.relay(7, &bob, r#"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#);
        assert!(rx.try_recv().is_err(), "nothing it did not ask for, of another server or principal");
        listeners.relay(7, &ada, r#"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#);
        let Ok(Item::Message(json)) = rx.try_recv() else { panic!("a notification") };
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["method"], "notifications/tools/list_changed");
        assert_eq!(v["params"]["_meta"][SUBSCRIPTION_ID], "L1");
    }
}
