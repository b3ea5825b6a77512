//! RFC 9457 problem details, the admin API's one error shape:
//! `{"type", "title", "status", "detail"}` as `application/problem+json`, plus `permission` on a
//! 403 (the one the caller lacks).

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::policy::rbac::Permission;

#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    permission: Option<Permission>,
    #[serde(skip)]
    retry_after: Option<Duration>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: &str) -> Problem {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: detail.to_string(),
            permission: None,
            retry_after: None,
        }
    }

    pub fn bad_request(detail: &str) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn unauthorized(detail: &str) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, detail)
    }

    pub fn forbidden(permission: Permission) -> Problem {
        let mut p =
            Problem::new(StatusCode::FORBIDDEN, &format!("not permitted: this needs the permission {permission}"));
        p.permission = Some(permission);
        p
    }

    pub fn rate_limited(retry_after: Duration) -> Problem {
        Problem::too_many("too many admin API requests with this token; retry later", retry_after)
    }

    /// A 429 saying why, with `Retry-After`.
    pub fn too_many(detail: &str, retry_after: Duration) -> Problem {
        let mut p = Problem::new(StatusCode::TOO_MANY_REQUESTS, detail);
        p.retry_after = Some(retry_after);
        p
    }

    /// An internal failure: logged in full, answered without its details.
    pub fn internal(detail: &str) -> Problem {
        tracing::error!(error = detail, "admin API request failed");
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error (see the gateway's log)")
    }

    /// An operation's error as the status it stands for.
    pub fn from_ops(e: &crate::ops::Error) -> Problem {
        use crate::ops::Error;
        match e {
            Error::Invalid(m) => Problem::bad_request(m),
            Error::NotFound(m) => Problem::new(StatusCode::NOT_FOUND, m),
            Error::Conflict(m) => Problem::new(StatusCode::CONFLICT, m),
            Error::Forbidden(p) => Problem::forbidden(*p),
            Error::External(m) => Problem::new(StatusCode::BAD_GATEWAY, m),
            Error::Store(_) | Error::Internal(_) | Error::Sql(_) => Problem::internal(&e.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after;
        let mut response = (status, axum::Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"mcpcp admin API\""));
        }
        if let Some(after) = retry_after
            && let Ok(v) = HeaderValue::from_str(&after.as_secs().max(1).to_string())
        {
            headers.insert(header::RETRY_AFTER, v);
        }
        response
    }
}
