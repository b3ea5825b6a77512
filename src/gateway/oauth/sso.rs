//! Signing in through the external OpenID Connect provider: users of `--auth sso` servers, and
//! admins (`mcpcp admin login`, see `admin_login`).
//!
//! `/authorize` keeps the client's request pending (or `/api/v1/login` the admin's) and sends the
//! browser to the IdP (code + PKCE + nonce, our own `state`, and a short-lived cookie binding the
//! flow to this browser). The IdP sends it back to `/sso/callback`: the ID token is validated,
//! then the flow continues what started it. For a user, the user is created on first sign-in and
//! put in groups by the claim mapping, and the request continues to mcpcp's own consent page, as
//! for a password sign-in; for an admin, see `admin_login::finish`.

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
use crate::identity::oidc::{Flow, IdpIdentity, RelyingParty, SsoConfig};
use crate::identity::token;
use crate::model::AuthMethod;
use crate::ops::{self, Ctx};

/// How long the browser may take at the IdP.
const FLOW_LIFETIME: Duration = Duration::from_secs(600);

/// What a sign-in at the IdP continues once the identity is verified.
#[derive(Debug, Clone)]
pub(super) enum Continuation {
    /// A user's pending authorization request (`/authorize`), by id.
    Authorize(String),
    /// An admin sign-in (`/api/v1/login`), by id.
    AdminLogin(String),
}

/// A sign-in sent to the IdP.
#[derive(Debug)]
pub(super) struct SsoFlow {
    /// What it continues.
    next: Continuation,
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

/// Sends the browser to the IdP, to continue `next` once it comes back.
pub(super) async fn start(shared: &Arc<Shared>, next: Continuation) -> Response {
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
        flows.insert(state, SsoFlow { next, browser: token::hash(&browser), config, flow, created: Instant::now() });
    }
    let mut response = see_other(&url);
    set_cookie(shared, &mut response, FLOW_COOKIE, &browser, FLOW_LIFETIME);
    response
}

#[derive(Debug, Deserialize)]
pub(super) struct CallbackQuery {
    pub(super) code: Option<String>,
    state: Option<String>,
    pub(super) error: Option<String>,
}

/// The page for a callback that no flow of this browser is waiting for.
pub(super) fn expired() -> Response {
    pages::error(
        StatusCode::BAD_REQUEST,
        "This sign-in has expired or was not started in this browser. Start again from the application.",
    )
}

/// The identity the IdP's `code` stands for, its ID token verified; or the error page.
pub(super) async fn identity(
    shared: &Arc<Shared>,
    config: &SsoConfig,
    flow: Flow,
    code: &str,
) -> Result<IdpIdentity, (Response, String)> {
    let Some(rp) = relying_party(shared) else {
        let page = pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot finish single sign-on.");
        return Err((page, "mcpcp cannot finish single sign-on".into()));
    };
    rp.finish(config, &callback_url(shared), flow, code).await.map_err(|e| {
        tracing::warn!(error = %e, issuer = %config.issuer, "single sign-on failed");
        let page = pages::error(StatusCode::BAD_GATEWAY, "The identity provider's answer could not be verified.");
        (page, e.to_string())
    })
}

pub(super) async fn callback(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Response {
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
    let mut response = match sso.next.clone() {
        Continuation::Authorize(request) => authorize(&shared, peer, &q, &headers, sso, &request).await,
        Continuation::AdminLogin(id) => {
            super::admin_login::finish(&shared, peer, &q, &headers, &id, sso.config, sso.flow).await
        }
    };
    // The flow cookie has done its job.
    set_cookie(&shared, &mut response, FLOW_COOKIE, "", Duration::ZERO);
    response
}

/// Continues a user's pending authorization request `request` after the IdP's answer.
async fn authorize(
    shared: &Arc<Shared>,
    peer: std::net::SocketAddr,
    q: &CallbackQuery,
    headers: &HeaderMap,
    sso: SsoFlow,
    request: &str,
) -> Response {
    let pending = shared.oauth.pending.lock().ok().and_then(|p| p.get(request).cloned());
    let Some(pending) = pending.filter(|p| p.created.elapsed() < REQUEST_LIFETIME) else {
        return expired();
    };
    let mut d = draft(shared, "sign_in", peer, headers);
    d.server = Some(pending.server.clone());
    d.auth_method = Some("sso");
    d.client_name = Some(pending.client_name.clone());
    let fail = |mut d: crate::observe::activity::Draft, status: u16, why: String| {
        d.http_status = status;
        d.error = Some((0, why));
        d
    };
    if let Some(error) = &q.error {
        record(shared, fail(d, 401, format!("the identity provider answered {error}"))).await;
        if let Ok(mut map) = shared.oauth.pending.lock() {
            map.remove(request);
        }
        return redirect_error(
            shared,
            &pending.redirect_uri,
            pending.state.as_deref(),
            "access_denied",
            "the identity provider did not sign the user in",
        );
    }
    let Some(code) = q.code.as_deref() else { return expired() };
    let identity = match identity(shared, &sso.config, sso.flow, code).await {
        Ok(i) => i,
        Err((page, why)) => {
            record(shared, fail(d, 401, why)).await;
            return page;
        }
    };
    d.principal = Some(identity.name.clone());
    let group_map = sso.config.group_map.clone();
    let who = identity.clone();
    let ctx = Ctx::system("sso", &shared.clock);
    let signed = with_db(shared, move |db| ops::sso::sign_in(db, &ctx, &who, &group_map)).await;
    let user = match signed {
        Ok(u) => u,
        Err(ops::Error::Conflict(why)) => {
            record(shared, fail(d, 409, why.clone())).await;
            return pages::error(StatusCode::CONFLICT, &format!("{why}. Ask an administrator."));
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot record a single sign-on");
            return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot record the sign-in right now.");
        }
    };
    d.principal = Some(user.name.clone());
    if user.disabled {
        record(shared, fail(d, 403, "the user is disabled".into())).await;
        return pages::error(StatusCode::FORBIDDEN, "This account is disabled in mcpcp.");
    }
    d.params = Some(json!({ "created": user.created, "idp_groups": identity.groups }).to_string());
    d.status_ok();
    record(shared, d).await;
    signed_in(shared, request, pending, user.user_id, &user.name, AuthMethod::Sso).await
}
