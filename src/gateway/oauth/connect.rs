//! Linking a user's upstream account (verified user access): a single-use link, bound to one
//! mcpcp user and one server and good for ten minutes, leads the user's browser through mcpcp's
//! sign-in (a browser signed in as another user is refused), then to the upstream's
//! authorization server (PKCE S256, `state`, RFC 8707 `resource`); the upstream's callback lands
//! at `/connect/callback`, where `state` is taken once, `iss` is checked (RFC 9207), the code is
//! exchanged and the tokens are stored sealed (`ops::connection::link`, audited as the user).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::state::PendingRequest;
use super::{LOGIN_COOKIE, LOGIN_LIFETIME, cookie_name, draft, login_cookie, pages, random_id, record, see_other, sso};
use super::{REQUEST_LIFETIME, with_db};
use crate::gateway::Shared;
use crate::identity::token;
use crate::model::AuthMethod;
use crate::policy::UpstreamOauth;
use crate::secrets::Secret;
use crate::upstream::oauth::{discovery::AuthorizationServer, token as upstream_token};

/// How long a link, and a sign-in sent upstream, stay good.
const LINK_LIFETIME: Duration = Duration::from_secs(600);

/// A link for one user to link their account at one server's upstream, or for an
/// administrator to authorize the server's shared connection (`user_id` `None`).
#[derive(Debug, Clone)]
pub(crate) struct Link {
    user_id: Option<i64>,
    /// The user, or the administrator who asked for a shared connection.
    user: String,
    /// Who the link's audit row names: the user, or the administrator.
    actor: crate::model::Actor,
    server_id: i64,
    server: String,
    created: Instant,
}

/// A sign-in sent to an upstream's authorization server, waiting for its callback.
#[derive(Debug)]
pub(crate) struct Flow {
    link_id: String,
    link: Link,
    verifier: Secret,
    created: Instant,
}

/// The URL of a link for `user` to link their account at `server`'s upstream: the unexpired
/// one already made for them, or a new one. `None` if no random id could be made.
pub(crate) fn link_for(shared: &Shared, user_id: i64, user: &str, server_id: i64, server: &str) -> Option<String> {
    let mut links = shared.oauth.links.lock().ok()?;
    links.retain(|l| l.created.elapsed() < LINK_LIFETIME);
    let id = match links.find_key(|l| l.user_id == Some(user_id) && l.server_id == server_id) {
        Some(id) => id,
        None => {
            let id = random_id().ok()?;
            let link = Link {
                user_id: Some(user_id),
                user: user.to_string(),
                actor: crate::model::Actor { kind: "user".into(), name: user.to_string() },
                server_id,
                server: server.to_string(),
                created: Instant::now(),
            };
            links.insert(id.clone(), link);
            id
        }
    };
    Some(format!("{}/connect/{id}", shared.public_url))
}

/// The upstream's authorization server and mcpcp's client there, from the server's settings.
pub(super) fn upstream(o: &UpstreamOauth) -> Option<(AuthorizationServer, upstream_token::Client)> {
    let secret = o.client_secret.clone().ok()?;
    let server = AuthorizationServer {
        issuer: o.issuer.clone().unwrap_or_default(),
        authorization_endpoint: o.authorization_endpoint.clone(),
        token_endpoint: o.token_endpoint.clone(),
        registration_endpoint: None,
        revocation_endpoint: o.revocation_endpoint.clone(),
        iss_parameter: o.iss_parameter,
        client_id_metadata_documents: false,
        token_endpoint_auth_methods: Vec::new(),
    };
    let client = upstream_token::Client {
        client_id: o.client_id.clone(),
        client_secret: secret,
        auth_method: o.auth_method.clone(),
    };
    Some((server, client))
}

fn gone() -> Response {
    pages::page(
        StatusCode::NOT_FOUND,
        "Link expired",
        "<h1>This link has expired or was used</h1><p>Call the tool again from your client for a new link.</p>",
    )
}

/// `GET /connect/{id}`: the link. A browser signed in as its user goes on to the upstream; one
/// signed in as another user is refused; any other signs in first.
pub(super) async fn start(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let link = shared.oauth.links.lock().ok().and_then(|l| l.get(&id).cloned());
    let Some(link) = link.filter(|l| l.created.elapsed() < LINK_LIFETIME) else { return gone() };
    let snapshot = shared.live.load();
    let Some(server) = snapshot.servers().find(|s| s.id == link.server_id).cloned() else { return gone() };
    let Some(oauth) = server.upstream_oauth.clone() else {
        return pages::error(StatusCode::CONFLICT, "This server no longer signs users in at its upstream.");
    };
    let session = login_cookie(&headers, &cookie_name(&shared, LOGIN_COOKIE)).and_then(|c| {
        let logins = shared.oauth.logins.lock().ok()?;
        let s = logins.get(&token::hash(&c))?.clone();
        (s.created.elapsed() < LOGIN_LIFETIME && s.method == server.auth).then_some(s)
    });
    match session {
        Some(s) if Some(s.user_id) == link.user_id => go(&shared, &id, link, &oauth).await,
        Some(s) => {
            // Someone else's link: refused and recorded (a lure to link another user's account).
            let mut d = draft(&shared, "upstream_link", peer, &headers);
            d.server = Some(link.server.clone());
            d.principal = Some(s.name.clone());
            d.http_status = 403;
            d.fault = Some(crate::model::Fault::Client);
            d.error =
                Some((0, format!("the link is for user {:?}, the browser is signed in as {:?}", link.user, s.name)));
            record(&shared, d).await;
            pages::error(
                StatusCode::FORBIDDEN,
                &format!(
                    "You are signed in to mcpcp as {:?}, but this link is for another user. Nothing was linked.",
                    s.name
                ),
            )
        }
        None => sign_in_first(&shared, &id, &link, &oauth, server.auth).await,
    }
}

/// `GET /connect/shared/{sealed}`: an administrator's link to authorize a server's shared
/// upstream connection (`mcpcp server connect`). Made by the CLI or the admin API and sealed
/// with the data directory's key, it opens once and until it expires, and goes straight to the upstream's
/// authorization server: the shared connection is the account the administrator signs in with
/// there.
pub(super) async fn start_shared(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Path(sealed): Path<String>,
    headers: HeaderMap,
) -> Response {
    use crate::upstream::oauth::shared_link::SharedLink;
    let opened = SharedLink::open(&shared.key, &sealed, shared.clock.now().timestamp());
    let fresh = |l: &SharedLink| {
        let Ok(mut used) = shared.oauth.shared_links_used.lock() else { return false };
        used.retain(|at| at.elapsed() < LINK_LIFETIME * 2);
        if used.get(&l.nonce).is_some() {
            return false;
        }
        used.insert(l.nonce.clone(), Instant::now());
        true
    };
    let link = match opened {
        Ok(l) if fresh(&l) => l,
        Ok(_) | Err(_) => {
            let mut d = draft(&shared, "upstream_link", peer, &headers);
            d.http_status = 404;
            d.fault = Some(crate::model::Fault::Client);
            d.error = Some((
                0,
                format!(
                    "a shared-connection link that is {}",
                    match opened {
                        Ok(_) => "used".to_string(),
                        Err(e) => e.to_string(),
                    }
                ),
            ));
            record(&shared, d).await;
            return gone();
        }
    };
    let snapshot = shared.live.load();
    let Some(server) = snapshot.servers().find(|s| s.id == link.server_id).cloned() else { return gone() };
    let Some(oauth) = server.upstream_oauth.clone() else {
        return pages::error(StatusCode::CONFLICT, "This server no longer signs in at its upstream.");
    };
    let link = Link {
        user_id: None,
        user: link.actor_name.clone(),
        actor: crate::model::Actor { kind: link.actor_kind, name: link.actor_name },
        server_id: server.id,
        server: server.name.clone(),
        created: Instant::now(),
    };
    go(&shared, "", link, &oauth).await
}

/// mcpcp's sign-in for the link's server, coming back to the link.
async fn sign_in_first(
    shared: &Arc<Shared>,
    id: &str,
    link: &Link,
    oauth: &UpstreamOauth,
    method: AuthMethod,
) -> Response {
    let (Ok(request), Ok(csrf)) = (random_id(), random_id()) else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "the random number generator failed");
    };
    let pending = PendingRequest {
        client_id: String::new(),
        client_name: "mcpcp (linking your account)".into(),
        // Where the sign-in's redirects end: the upstream's authorization server (the pages'
        // form-action allows its origin).
        redirect_uri: oauth.authorization_endpoint.clone(),
        state: None,
        challenge: String::new(),
        scope: String::new(),
        server_id: link.server_id,
        server: link.server.clone(),
        method,
        csrf: csrf.clone(),
        force_consent: false,
        created: Instant::now(),
        user: None,
        connect: Some(id.to_string()),
    };
    shared.oauth.add_pending(request.clone(), pending, REQUEST_LIFETIME);
    match method {
        AuthMethod::Sso => sso::start(shared, sso::Continuation::Authorize(request.clone())).await,
        _ => pages::login(
            &request,
            &csrf,
            "mcpcp (linking your account)",
            &link.server,
            pages::return_source(&oauth.authorization_endpoint).as_deref(),
            None,
        ),
    }
}

/// The signed-in user goes to the upstream's authorization server.
async fn go(shared: &Arc<Shared>, id: &str, link: Link, oauth: &UpstreamOauth) -> Response {
    let Some((server, client)) = upstream(oauth) else {
        return pages::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "mcpcp cannot read its client settings for this server.",
        );
    };
    let (Ok(pkce), Ok(state)) = (upstream_token::pkce(), random_id()) else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "the random number generator failed");
    };
    let redirect = format!("{}/connect/callback", shared.public_url);
    let url = match upstream_token::authorization_url(
        &server,
        &client,
        &redirect,
        &state,
        &pkce.challenge,
        &oauth.resource,
        &oauth.scopes,
    ) {
        Ok(url) => url,
        Err(e) => return pages::error(StatusCode::INTERNAL_SERVER_ERROR, &e.0),
    };
    if let Ok(mut flows) = shared.oauth.connect_flows.lock() {
        flows.retain(|f| f.created.elapsed() < LINK_LIFETIME);
        flows.insert(
            token::hash(&state),
            Flow { link_id: id.to_string(), link, verifier: pkce.verifier, created: Instant::now() },
        );
    }
    see_other(url.as_str())
}

#[derive(Debug, Deserialize)]
pub(super) struct Callback {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

/// `GET /connect/callback`: the upstream's answer. Whatever goes wrong gets a page naming the
/// problem and a record, and stores nothing.
pub(super) async fn callback(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Response {
    let mut d = draft(&shared, "upstream_link", peer, &headers);
    let refuse = |d: &mut crate::observe::activity::Draft, status: StatusCode, why: &str| {
        d.http_status = status.as_u16();
        d.fault = Some(crate::model::Fault::Client);
        d.error = Some((0, why.to_string()));
        pages::error(status, why)
    };
    // `state` is taken once: a replayed callback finds nothing.
    let flow = q
        .state
        .as_deref()
        .filter(|s| s.len() <= 256)
        .and_then(|s| shared.oauth.connect_flows.lock().ok()?.remove(&token::hash(s)))
        .filter(|f| f.created.elapsed() < LINK_LIFETIME);
    let Some(flow) = flow else {
        let page = refuse(&mut d, StatusCode::BAD_REQUEST, "This sign-in is unknown, expired or was already used.");
        record(&shared, d).await;
        return page;
    };
    d.server = Some(flow.link.server.clone());
    d.principal = Some(flow.link.user.clone());
    let snapshot = shared.live.load();
    let oauth = snapshot.servers().find(|s| s.id == flow.link.server_id).and_then(|s| s.upstream_oauth.clone());
    let Some((server, client)) = oauth.as_ref().and_then(upstream) else {
        let page = refuse(&mut d, StatusCode::CONFLICT, "This server no longer signs users in at its upstream.");
        record(&shared, d).await;
        return page;
    };
    if let Some(error) = &q.error {
        let why = format!("The upstream refused the sign-in ({}).", error.chars().take(64).collect::<String>());
        let page = refuse(&mut d, StatusCode::BAD_REQUEST, &why);
        record(&shared, d).await;
        return page;
    }
    if let Err(e) = upstream_token::check_iss(&server, q.iss.as_deref()) {
        let page = refuse(&mut d, StatusCode::BAD_REQUEST, "The sign-in came back from another authorization server.");
        d.error = Some((0, e.0));
        record(&shared, d).await;
        return page;
    }
    let Some(code) = q.code.as_deref().filter(|c| !c.is_empty() && c.len() <= 2048) else {
        let page = refuse(&mut d, StatusCode::BAD_REQUEST, "The upstream sent no authorization code.");
        record(&shared, d).await;
        return page;
    };
    let Some(oauth) = oauth else { return gone() };
    let resource = oauth.resource.clone();
    let private_ok = match url::Url::parse(&resource) {
        Ok(u) => crate::upstream::oauth::private_ok(&u).await,
        Err(_) => false,
    };
    let redirect = format!("{}/connect/callback", shared.public_url);
    let granted =
        upstream_token::exchange_code(&server, &client, code, &flow.verifier, &redirect, &resource, private_ok).await;
    let granted = match granted {
        Ok(g) => g,
        Err(e) => {
            let page = refuse(&mut d, StatusCode::BAD_GATEWAY, "The upstream did not give mcpcp a token for you.");
            d.fault = Some(crate::model::Fault::Upstream);
            d.error = Some((0, e.to_string()));
            record(&shared, d).await;
            return page;
        }
    };
    let (server_name, user) = (flow.link.server.clone(), flow.link.user_id.map(|_| flow.link.user.clone()));
    let now = shared.clock.now();
    let expires_at =
        granted.expires_in.and_then(|s| chrono::Duration::try_seconds(i64::try_from(s).ok()?)).map(|d| now + d);
    let key = shared.key.clone();
    let ctx = crate::ops::Ctx {
        actor: flow.link.actor.clone(),
        origin: "gateway".into(),
        now,
        authority: crate::ops::owner(),
    };
    let linked = with_db(&shared, move |db| {
        let request = crate::ops::connection::Link {
            server: &server_name,
            user: user.as_deref(),
            access_token: granted.access_token,
            refresh_token: granted.refresh_token,
            expires_at,
            scopes: granted.scopes,
            subject: granted.subject,
        };
        crate::ops::connection::link(db, &ctx, &key, request)
    })
    .await;
    if let Err(e) = linked {
        tracing::warn!(error = %e, "cannot store a linked upstream account");
        let page = refuse(&mut d, StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot store the link right now.");
        d.fault = Some(crate::model::Fault::Internal);
        record(&shared, d).await;
        return page;
    }
    if let Ok(mut links) = shared.oauth.links.lock() {
        links.remove(&flow.link_id);
    }
    shared.reload_snapshot().await;
    if let Some(user_id) = flow.link.user_id {
        crate::gateway::mcp::session::linked(&shared, flow.link.server_id, user_id);
    }
    d.status_ok();
    record(&shared, d).await;
    let server = pages::escape(&flow.link.server);
    let told = match flow.link.user_id {
        Some(_) => format!(
            "<h1>Your account is linked</h1><p>Calls to server <b>{server}</b> now run as your account there. You can return to your client and try again.</p>"
        ),
        None => format!(
            "<h1>The shared connection is linked</h1><p>API tokens of server <b>{server}</b> now reach its upstream as the account you signed in with. You can close this page.</p>"
        ),
    };
    pages::page(StatusCode::OK, "Account linked", &told)
}
