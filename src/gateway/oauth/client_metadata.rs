//! `GET /connect/client.json`: mcpcp's client ID metadata document (draft-ietf-oauth-client-id-
//! metadata-document), which an upstream's authorization server fetches when mcpcp names itself
//! by this URL as `client_id` (`server create … --upstream-auth oauth` chooses that where the
//! server accepts documents). The content comes from the public URL alone
//! (`upstream::oauth::registration::metadata_document`): no database read, the same answer to
//! everyone, cacheable.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::gateway::Shared;
use crate::upstream::oauth::registration;

/// How long an authorization server may reuse the document. It changes only with the public
/// URL, which changes its URL too.
const MAX_AGE: &str = "public, max-age=3600";

pub(super) async fn document(State(shared): State<Arc<Shared>>) -> Response {
    let body = registration::metadata_document(&shared.public_url);
    let mut r = (StatusCode::OK, axum::Json(body)).into_response();
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(MAX_AGE));
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    r
}
