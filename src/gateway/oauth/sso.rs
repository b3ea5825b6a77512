//! Signing in to `--auth sso` servers through the external OpenID Connect provider.
//!
//! `/authorize` keeps the client's request pending and sends the browser to the IdP (code + PKCE +
//! nonce, our own `state`, and a short-lived cookie binding the flow to this browser). The IdP
//! sends it back to `/sso/callback`: the ID token is validated, the user is created on first
//! sign-in and put in groups by the claim mapping, and the request continues to mcpcp's own
//! consent page, as for a password sign-in.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{
    REQUEST_LIFETIME, cookie_name, draft, login_cookie, pages, random_id, record, redirect_error, see_other,
    set_cookie, signed_in, with_db,
};
use crate::gateway::Shared;
use crate::identity::oidc::{Flow, RelyingParty, SsoConfig};
use crate::identity::token;
use crate::model::AuthMethod;
use crate::ops::{self, Ctx};

/// How long the browser may take at the IdP.
const FLOW_LIFETIME: Duration = Duration::from_secs(600);

/// A sign-in sent to the IdP.
#[derive(Debug)]
pub(super) struct SsoFlow {
    /// The pending authorization request it continues.
    request: String,
    /// Digest of the cookie set on the browser that was sent.
    browser: String,
    config: SsoConfig,
    flow: Flow,
    created: Instant,
}

/// Binds a flow to the browser that started it.
const FLOW_COOKIE: &str = "mcpcp_sso";

fn callback_url(shared: &Shared) -> String {
    format!("{}/sso/callback", shared.public_url)
}

fn relying_party(shared: &Shared) -> Option<&RelyingParty> {
    if shared.oauth.rp.get().is_none() {
        match RelyingParty::new(shared.client_metadata_private_networks) {
            Ok(rp) => {
                let _ = shared.oauth.rp.set(rp);
            }
            Err(e) => tracing::warn!(error = %e, "cannot set up single sign-on"),
        }
    }
    shared.oauth.rp.get()
}

/// Sends the browser to the IdP for pending request `request`.
pub(super) async fn start(shared: &Arc<Shared>, request: &str) -> Response {
    let key = shared.key.clone();
    let config = with_db(shared, move |db| ops::sso::config(db, &key)).await;
    let config = match config {
        Ok(Some(c)) => c,
        Ok(None) => {
            return pages::error(StatusCode::SERVICE_UNAVAILABLE, "Single sign-on is not configured on this mcpcp.");
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the single sign-on settings");
            return pages::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "mcpcp cannot read its sign-on settings right now.",
            );
        }
    };
    let Some(rp) = relying_party(shared) else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot start single sign-on.");
    };
    let (Ok(state), Ok(browser)) = (random_id(), random_id()) else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp could not start the sign-in.");
    };
    let (url, flow) = match rp.start(&config, &callback_url(shared), &state).await {
        Ok(x) => x,
        Err(e) => {
            tracing::warn!(error = %e, issuer = %config.issuer, "cannot start single sign-on");
            return pages::error(StatusCode::BAD_GATEWAY, "The identity provider cannot be reached right now.");
        }
    };
    if let Ok(mut flows) = shared.oauth.sso_flows.lock() {
        flows.retain(|f| f.created.elapsed() < FLOW_LIFETIME);
        flows.insert(
            state,
            SsoFlow {
                request: request.to_string(),
                browser: token::hash(&browser),
                config,
                flow,
                created: Instant::now(),
            },
        );
    }
    let mut response = see_other(&url);
    set_cookie(shared, &mut response, FLOW_COOKIE, &browser, FLOW_LIFETIME);
    response
}

#[derive(Debug, Deserialize)]
pub(super) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub(super) async fn callback(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
    let expired = || {
        pages::error(
            StatusCode::BAD_REQUEST,
            "This sign-in has expired or was not started in this browser. Start again from the application.",
        )
    };
    let Some(state) = q.state.as_deref() else { return expired() };
    let Some(sso) = shared.oauth.sso_flows.lock().ok().and_then(|mut f| f.remove(state)) else {
        return expired();
    };
    let browser =
        login_cookie(&headers, &cookie_name(&shared, FLOW_COOKIE)).map(|c| token::hash(&c)).unwrap_or_default();
    let same_browser: bool = {
        use subtle::ConstantTimeEq;
        sso.browser.as_bytes().ct_eq(browser.as_bytes()).into()
    };
    if !same_browser || sso.created.elapsed() >= FLOW_LIFETIME {
        return expired();
    }
    let pending = shared.oauth.pending.lock().ok().and_then(|p| p.get(&sso.request).cloned());
    let Some(pending) = pending.filter(|p| p.created.elapsed() < REQUEST_LIFETIME) else {
        return expired();
    };
    let mut d = draft(&shared, "sign_in", peer, &headers);
    d.server = Some(pending.server.clone());
    d.auth_method = Some("sso");
    d.client_name = Some(pending.client_name.clone());
    let fail = |mut d: crate::observe::activity::Draft, status: u16, why: String| {
        d.http_status = status;
        d.error = Some((0, why));
        d
    };
    if let Some(error) = &q.error {
        record(&shared, fail(d, 401, format!("the identity provider answered {error}"))).await;
        if let Ok(mut map) = shared.oauth.pending.lock() {
            map.remove(&sso.request);
        }
        return redirect_error(
            &shared,
            &pending.redirect_uri,
            pending.state.as_deref(),
            "access_denied",
            "the identity provider did not sign the user in",
        );
    }
    let Some(code) = q.code.as_deref() else { return expired() };
    let Some(rp) = relying_party(&shared) else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot finish single sign-on.");
    };
    let identity = match rp.finish(&sso.config, &callback_url(&shared), sso.flow, code).await {
        Ok(i) => i,
        Err(e) => {
            tracing::warn!(error = %e, issuer = %sso.config.issuer, "single sign-on failed");
            record(&shared, fail(d, 401, e.to_string())).await;
            return pages::error(StatusCode::BAD_GATEWAY, "The identity provider's answer could not be verified.");
        }
    };
    d.principal = Some(identity.name.clone());
    let group_map = sso.config.group_map.clone();
    let who = identity.clone();
    let ctx = Ctx::system("sso", &shared.clock);
    let signed = with_db(&shared, move |db| ops::sso::sign_in(db, &ctx, &who, &group_map)).await;
    let user = match signed {
        Ok(u) => u,
        Err(ops::Error::Conflict(why)) => {
            record(&shared, fail(d, 409, why.clone())).await;
            return pages::error(StatusCode::CONFLICT, &format!("{why}. Ask an administrator."));
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot record a single sign-on");
            return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot record the sign-in right now.");
        }
    };
    d.principal = Some(user.name.clone());
    if user.disabled {
        record(&shared, fail(d, 403, "the user is disabled".into())).await;
        return pages::error(StatusCode::FORBIDDEN, "This account is disabled in mcpcp.");
    }
    d.params = Some(json!({ "created": user.created, "idp_groups": identity.groups }).to_string());
    d.status_ok();
    record(&shared, d).await;
    let mut response = signed_in(&shared, &sso.request, pending, user.user_id, &user.name, AuthMethod::Sso).await;
    // The flow cookie has done its job.
    set_cookie(&shared, &mut response, FLOW_COOKIE, "", Duration::ZERO);
    response
}
