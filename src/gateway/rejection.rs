//! The one way a request is refused: status, JSON-RPC error, whose fault it is, a public message
//! for the client and a private detail for the log and the record (never sent).

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::jsonrpc::{self, code};
use crate::model::Fault;

#[derive(Debug)]
pub struct Rejection {
    pub status: StatusCode,
    pub code: i64,
    pub message: String,
    /// What only the gateway's log and the activity record see.
    pub notes: Option<Box<Notes>>,
    /// The JSON-RPC id of the refused request, raw (`null` when unknown).
    pub id: Box<str>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The activity record type, when the status alone does not say it (`ip_denied`).
    pub kind: Option<&'static str>,
    /// Whose fault the refusal is; the JSON-RPC error's `data.fault` says it.
    pub fault: Fault,
    /// More of the JSON-RPC error's `data` (an object's members), beside `fault`.
    pub data: Option<Box<serde_json::Map<String, serde_json::Value>>>,
}

/// The private side of a refusal (boxed: most refusals have none).
#[derive(Debug, Default)]
pub struct Notes {
    /// For the log only.
    pub detail: Option<String>,
    /// What the activity record says when it is not the public message (the true reason of a
    /// refusal the client is told less about).
    pub reason: Option<String>,
}

impl Rejection {
    pub fn new(status: StatusCode, code: i64, message: impl Into<String>) -> Rejection {
        Rejection {
            status,
            code,
            message: message.into(),
            notes: None,
            id: "null".into(),
            headers: Vec::new(),
            kind: None,
            fault: Fault::Client,
            data: None,
        }
    }

    /// The refusal is `fault`'s (a client's, unless said otherwise).
    pub fn fault(mut self, fault: Fault) -> Rejection {
        self.fault = fault;
        self
    }

    /// Adds the members of `data` (a JSON object) to the JSON-RPC error's `data`.
    pub fn data(mut self, data: serde_json::Value) -> Rejection {
        if let serde_json::Value::Object(map) = data {
            self.data.get_or_insert_default().extend(map);
        }
        self
    }

    /// Records the refusal as `kind` in the activity log.
    pub fn recorded_as(mut self, kind: &'static str) -> Rejection {
        self.kind = Some(kind);
        self
    }

    /// Records `reason` instead of the public message.
    pub fn record_reason(mut self, reason: impl Into<String>) -> Rejection {
        self.notes.get_or_insert_default().reason = Some(reason.into());
        self
    }

    /// The message the activity record keeps.
    pub fn recorded_message(&self) -> String {
        self.notes.as_ref().and_then(|n| n.reason.as_deref()).unwrap_or(&self.message).to_string()
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Rejection {
        self.notes.get_or_insert_default().detail = Some(detail.into());
        self
    }

    pub fn id(mut self, id: &str) -> Rejection {
        self.id = id.into();
        self
    }

    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Rejection {
        self.headers.push((name, value));
        self
    }

    /// For a refusal sent while the request's body is still unread: the connection then closes
    /// after the answer (the server cannot tell where a next request would start), and the
    /// answer says so. Without the header a client sends its next request on a connection the
    /// server is closing, and sees it drop without an answer.
    pub fn closing(self) -> Rejection {
        self.header(header::CONNECTION, HeaderValue::from_static("close"))
    }

    pub fn bad_request(message: impl Into<String>) -> Rejection {
        Rejection::new(StatusCode::BAD_REQUEST, code::TRANSPORT, message)
    }

    /// 404 for a session that does not exist or is not the caller's; recorded as an invalid
    /// request whatever the message was.
    pub fn session_not_found() -> Rejection {
        Rejection::new(StatusCode::NOT_FOUND, code::SESSION_NOT_FOUND, "Session not found")
            .recorded_as("invalid_request")
    }

    /// 401 for a missing or unusable credential (RFC 6750 §3).
    pub fn unauthorized(error: Option<&str>, description: &str) -> Rejection {
        Rejection::challenge(error, description, None)
    }

    /// 401 whose challenge names the protected resource metadata (RFC 9728 §5.1), so MCP clients
    /// can discover mcpcp's authorization server and sign the user in.
    pub fn challenge(error: Option<&str>, description: &str, resource_metadata: Option<&str>) -> Rejection {
        let mut challenge = "Bearer realm=\"mcpcp\"".to_string();
        if let Some(url) = resource_metadata {
            challenge.push_str(&format!(", resource_metadata=\"{url}\", scope=\"mcp\""));
        }
        if let Some(e) = error {
            challenge.push_str(&format!(", error=\"{e}\", error_description=\"{description}\""));
        }
        let value =
            HeaderValue::from_str(&challenge).unwrap_or_else(|_| HeaderValue::from_static("Bearer realm=\"mcpcp\""));
        let message = if resource_metadata.is_some() {
            "Unauthorized: sign in to use this server"
        } else {
            "Unauthorized: a valid API token for this server is required"
        };
        Rejection::new(StatusCode::UNAUTHORIZED, code::TRANSPORT, message).header(header::WWW_AUTHENTICATE, value)
    }

    pub fn forbidden(message: impl Into<String>) -> Rejection {
        Rejection::new(StatusCode::FORBIDDEN, code::TRANSPORT, message)
    }

    /// The JSON-RPC error response: `data` holds the fault and any more members.
    pub fn body(&self) -> String {
        let mut data = serde_json::Map::new();
        data.insert("fault".into(), self.fault.as_str().into());
        if let Some(more) = &self.data {
            data.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        jsonrpc::error_response(&self.id, self.code, &self.message, Some(&serde_json::Value::Object(data)))
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        if let Some(detail) = self.notes.as_ref().and_then(|n| n.detail.as_deref()) {
            tracing::info!(status = self.status.as_u16(), message = %self.message, detail, "request refused");
        } else {
            tracing::debug!(status = self.status.as_u16(), message = %self.message, "request refused");
        }
        let body = self.body();
        let mut response =
            (self.status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response();
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}
