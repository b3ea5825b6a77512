//! What travels back to a client from a forwarded request: intermediate messages, the response
//! that ends it, and, when the gateway had to answer for a failed upstream, whose fault that was
//! and the whole story, which only the gateway's log and the activity record see.

use tokio::sync::mpsc;

use crate::jsonrpc::{self, code};
use crate::model::Fault;
use crate::observe::activity::Draft;

/// What travels to one downstream HTTP stream.
#[derive(Debug)]
pub enum Item {
    /// A notification or request related to the stream's request (or, on the GET stream, any).
    Message(String),
    /// The response that ends a POST stream.
    Final(Final),
    /// The upstream closed the request's stream before its response, and mcpcp resumes it
    /// (SEP-1699 polling): a resumable client stream closes its connection here too, so the
    /// client reconnects with `Last-Event-ID` (`resume.rs`); any other stream stays open.
    Paused,
}

/// The response to one client request.
#[derive(Debug)]
pub struct Final {
    /// The JSON-RPC response, with the client's id.
    pub json: String,
    /// Whether the upstream streamed it (the client then gets a stream too, even when nothing
    /// came before it).
    pub streamed: bool,
    /// Set when the gateway made this error response because the request could not be served.
    pub failure: Option<Box<Failure>>,
}

/// Why the gateway answered a request with an error of its own after admitting it.
#[derive(Debug)]
pub struct Failure {
    pub fault: Fault,
    pub code: i64,
    /// The whole story (upstream URLs, addresses, error chains): for the log and the record.
    pub detail: String,
    /// What the record is, when the failure says more than the call did (`upstream_auth_required`).
    pub kind: Option<&'static str>,
}

impl Final {
    /// A response that came from the upstream (or the gateway's own answer to `ping`).
    pub fn answer(json: String, streamed: bool) -> Final {
        Final { json, streamed, failure: None }
    }

    /// An error response for a request to `server` that failed after admission. The client is
    /// told the server's name and `reason`; `detail` stays with the log and the record.
    pub fn failed(id: &str, server: &str, fault: Fault, reason: &str, detail: impl Into<String>) -> Final {
        let message = format!("server {server:?}: {reason}");
        let data = serde_json::json!({ "fault": fault.as_str(), "server": server });
        let json = jsonrpc::error_response(id, code::INTERNAL_ERROR, &message, Some(&data));
        let failure = Failure { fault, code: code::INTERNAL_ERROR, detail: detail.into(), kind: None };
        Final { json, streamed: false, failure: Some(Box::new(failure)) }
    }

    /// A response of the gateway's own (`json`) that refuses the request, recorded as `failure`
    /// says.
    pub fn refusal(json: String, failure: Failure) -> Final {
        Final { json, streamed: false, failure: Some(Box::new(failure)) }
    }

    /// The response's body, shared with the draft of its record (not copied); a failure's
    /// fault and whole story go into the draft too.
    pub fn into_body(self, draft: &mut Draft) -> bytes::Bytes {
        self.note_failure(draft);
        let body = bytes::Bytes::from(self.json);
        draft.response = Some(body.clone());
        body
    }

    /// Puts a failure's fault and whole story into the draft.
    pub fn note_failure(&self, draft: &mut Draft) {
        if let Some(f) = &self.failure {
            draft.fault = Some(f.fault);
            draft.error = Some((f.code, f.detail.clone()));
            if let Some(kind) = f.kind {
                draft.kind = kind;
            }
        }
    }
}

/// Replies to a forwarded request.
#[derive(Debug)]
pub enum Reply {
    /// The whole answer was the response: send it as `application/json`.
    Json(Final),
    /// Stream as `text/event-stream`: the first item (a message, or a streamed response), then
    /// the rest, ending with the response.
    Stream(Item, mpsc::Receiver<Item>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_tells_the_client_the_server_and_reason_and_keeps_the_detail() {
        let f = Final::failed(
            "7",
            "github",
            Fault::Upstream,
            "the connection to the upstream was lost",
            "cannot reach upstream http://10.0.0.5:8080/mcp: connection refused",
        );
        let v: serde_json::Value = serde_json::from_str(&f.json).unwrap();
        assert_eq!(v["id"], 7);
        assert_eq!(v["error"]["data"]["fault"], "upstream");
        assert_eq!(v["error"]["data"]["server"], "github");
        assert!(!f.json.contains("10.0.0.5"), "{}", f.json);
        let mut draft = Draft::new("tool_call", crate::clock::Clock::system().now());
        let body = f.into_body(&mut draft);
        assert_eq!(draft.response.as_ref(), Some(&body));
        assert_eq!(draft.fault, Some(Fault::Upstream));
        assert!(draft.error.unwrap().1.contains("10.0.0.5"));
    }
}
