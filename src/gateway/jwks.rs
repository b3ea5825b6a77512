//! `/.well-known/jwks.json`: the public keys an upstream verifies mcpcp's identity JWTs with
//! (`server identity NAME --forward jwt`), from the snapshot: the current key, and a retired one
//! until every token it signed has expired (`identity::jwt::RETIRED_KEY_PUBLISHED_SECS`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

use super::Shared;

pub(super) async fn keys(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let snapshot = shared.live.load();
    let keys: Vec<&serde_json::Value> = snapshot.published_keys(shared.clock.now()).collect();
    let body = serde_json::json!({ "keys": keys }).to_string();
    // A verifier that meets a kid it has not seen fetches the set again (after a rotation).
    ([(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "public, max-age=60")], body)
}
