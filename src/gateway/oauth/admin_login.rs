//! `mcpcp admin login`: an admin signs in through the identity provider, as a native app does
//! (RFC 8252), and the command line gets a short-lived admin token.
//!
//! 1. The command line listens on a loopback port and has the browser open
//!    `/api/v1/login?redirect_uri=http://127.0.0.1:PORT/callback&state=…&code_challenge=…&code_challenge_method=S256`.
//!    Only loopback redirect URIs are accepted; a refusal is a page, never a redirect. The
//!    request is kept (bounded, expiring) and the browser goes on to `/sso/admin-login` at the
//!    public URL, so the flow cookie lands on the origin of `/sso/callback` even when the admin
//!    API has a listener of its own.
//! 2. From there the sign-in at the IdP runs as a user's does (`sso::start`, `/sso/callback`:
//!    PKCE, nonce, the browser's cookie). [`finish`] takes the verified identity: the admin it is
//!    (`ops::admin_login::sign_in`: by `sso_subject`, or created from a bound IdP group), or a
//!    page saying it is none, or that the admin is disabled; every outcome is recorded in the
//!    activity log (`admin_sign_in`).
//! 3. The person at the browser confirms: a page names the admin, the loopback port and a code
//!    derived from the command line's `state` (`verification_code`, which the command line
//!    printed too), so an admin lured into opening someone else's sign-in URL (a program of
//!    another user listening on a loopback port of a shared computer) does not hand it a token
//!    unawares while the identity provider signs them in silently. [`confirm`] takes the answer;
//!    Cancel goes back to the command line with `access_denied`.
//! 4. The browser is sent to the loopback with a one-time code (`ID.SECRET`: single use, 60 s,
//!    bound to the PKCE challenge; its secret compared in constant time).
//! 5. The command line redeems it at `POST /api/v1/login/token` with `code` and `code_verifier`
//!    and gets the token (`ops::admin_login::issue_token`: 12 h, stored hashed, audited).
//!    Refusals are RFC 9457 problems; failures are throttled per address.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Form, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use sha2::Digest;

use super::sso::{self, CallbackQuery, Continuation};
use super::state::{AdminCode, AdminLogin, SignedAdmin};
use super::throttle::{note_failure, throttled};
use super::{draft, pages, random_id, record, see_other, urlencode, with_db};
use crate::gateway::Shared;
use crate::gateway::admin::problem::Problem;
use crate::identity::oidc::{Flow, SsoConfig};
use crate::identity::token;
use crate::model::Actor;
use crate::ops::{self, Ctx};

/// How long an admin sign-in may take, from `/api/v1/login` to the IdP's answer.
const LOGIN_LIFETIME: Duration = Duration::from_secs(600);
/// How long a sign-in's code may be redeemed.
pub const CODE_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// The longest redirect URI and `state` accepted.
const MAX_REDIRECT_URI: usize = 512;
const MAX_STATE: usize = 512;
/// The largest code exchange body.
const MAX_EXCHANGE_BODY: usize = 4096;
/// Failed code exchanges from one address before it is refused for a while.
const EXCHANGE_FAILURES: u32 = 20;

/// Checks a redirect URI of the command line: `http` to a loopback IP literal (127.0.0.0/8 or
/// `[::1]`) with an explicit port, and nothing that could carry it elsewhere (no user
/// information, query or fragment).
pub fn check_loopback_redirect(raw: &str) -> Result<url::Url, String> {
    if raw.len() > MAX_REDIRECT_URI {
        return Err(format!("redirect_uri is longer than {MAX_REDIRECT_URI} bytes"));
    }
    let url = url::Url::parse(raw).map_err(|e| format!("redirect_uri is not an absolute URL: {e}"))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if url.scheme() != "http" || !loopback {
        return Err("redirect_uri must be http://127.0.0.1:PORT/… or http://[::1]:PORT/… (a loopback address of \
             the computer running `mcpcp admin login`)"
            .into());
    }
    if url.port().is_none() {
        return Err("redirect_uri must name its port".into());
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
        return Err("redirect_uri must have no user information, query or fragment".into());
    }
    Ok(url)
}

/// The code the confirmation page shows and the command line prints for a sign-in with `state`:
/// 40 bits of its SHA-256 as `XXXX-XXXX` in an alphabet without look-alike characters.
pub fn verification_code(state: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let digest = sha2::Sha256::digest(format!("mcpcp admin login\0{state}").as_bytes());
    let bits = digest[..5].iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut out = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[((bits >> (35 - 5 * i)) & 31) as usize]));
    }
    out
}

/// The S256 PKCE challenge of `verifier` (RFC 7636 §4.2).
pub fn challenge_of(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// Whether `s` is `min..=max` characters of the PKCE alphabet (RFC 7636 §4.1).
fn pkce_syntax(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// The query of `/api/v1/login`, each field once.
fn login_query(raw: Option<&str>) -> Result<AdminLogin, String> {
    let mut fields: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if fields.insert(k.to_string(), v.into_owned()).is_some() {
            return Err(format!("{k} is given twice"));
        }
    }
    let field = |name: &str| fields.get(name).filter(|v| !v.is_empty()).ok_or_else(|| format!("{name} is missing"));
    let redirect_uri = check_loopback_redirect(field("redirect_uri")?)?;
    let state = field("state")?;
    if state.len() > MAX_STATE || !state.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!("state must be 1-{MAX_STATE} visible ASCII characters"));
    }
    if field("code_challenge_method")? != "S256" {
        return Err("code_challenge_method must be S256".into());
    }
    let challenge = field("code_challenge")?;
    if !pkce_syntax(challenge, 43, 43) {
        return Err("code_challenge must be the 43-character S256 challenge of the verifier".into());
    }
    Ok(AdminLogin {
        redirect_uri: redirect_uri.to_string(),
        state: state.clone(),
        challenge: challenge.clone(),
        created: Instant::now(),
        signed: None,
    })
}

/// `GET /api/v1/login`: checks the command line's request, keeps it, and sends the browser on to
/// the sign-in at the public URL.
pub async fn login(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let login = match login_query(query.as_deref()) {
        Ok(l) => l,
        Err(why) => return pages::error(StatusCode::BAD_REQUEST, &format!("This sign-in request is invalid: {why}.")),
    };
    let Ok(id) = random_id() else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp could not start the sign-in.");
    };
    if let Ok(mut logins) = shared.oauth.admin_logins.lock() {
        logins.retain(|l| l.created.elapsed() < LOGIN_LIFETIME);
        logins.insert(id.clone(), login);
    }
    see_other(&format!("{}/sso/admin-login?request={}", shared.public_url, urlencode(&id)))
}

/// `GET /sso/admin-login?request=ID`: the sign-in at the IdP for a kept admin sign-in.
pub(super) async fn start(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let id = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "request")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let live = shared
        .oauth
        .admin_logins
        .lock()
        .ok()
        .is_some_and(|m| m.get(&id).is_some_and(|l| l.created.elapsed() < LOGIN_LIFETIME));
    if !live {
        return pages::error(
            StatusCode::BAD_REQUEST,
            "This sign-in has expired or is unknown. Run `mcpcp admin login` again.",
        );
    }
    sso::start(&shared, Continuation::AdminLogin(id)).await
}

/// The IdP answered an admin sign-in `id`: the admin signs in (a code for the command line) or
/// is refused with a page (recorded), or asked to confirm (recorded with the answer).
pub(super) async fn finish(
    shared: &Arc<Shared>,
    peer: SocketAddr,
    q: &CallbackQuery,
    headers: &HeaderMap,
    id: &str,
    config: SsoConfig,
    flow: Flow,
) -> Response {
    // Single use: whatever the answer, this sign-in is over.
    let login = shared.oauth.admin_logins.lock().ok().and_then(|mut m| m.remove(id));
    let Some(login) = login.filter(|l| l.created.elapsed() < LOGIN_LIFETIME) else { return sso::expired() };
    let mut d = draft(shared, "admin_sign_in", peer, headers);
    d.auth_method = Some("sso");
    d.client_name = Some("mcpcp admin login".into());
    let fail = |mut d: crate::observe::activity::Draft, status: u16, why: String| {
        d.http_status = status;
        d.error = Some((0, why));
        d
    };
    if let Some(error) = &q.error {
        record(shared, fail(d, 401, format!("the identity provider answered {error}"))).await;
        return back(
            shared,
            &login,
            &[("error", "access_denied"), ("error_description", "the identity provider did not sign you in")],
        );
    }
    let Some(code) = q.code.as_deref() else { return sso::expired() };
    let identity = match sso::identity(shared, &config, flow, code).await {
        Ok(i) => i,
        Err((page, why)) => {
            record(shared, fail(d, 401, why)).await;
            return page;
        }
    };
    d.principal = Some(identity.name.clone());
    let (who, issuer) = (identity.clone(), config.issuer.clone());
    let ctx = Ctx::system("sso", &shared.clock);
    let signed = with_db(shared, move |db| ops::admin_login::sign_in(db, &ctx, &who, &issuer)).await;
    let signed = match signed {
        Ok(Some(s)) => s,
        Ok(None) => {
            record(shared, fail(d, 403, "not an administrator".into())).await;
            let sub = identity.subject.strip_prefix(&format!("{}|", config.issuer)).unwrap_or(&identity.subject);
            return pages::page(
                StatusCode::FORBIDDEN,
                "Not an administrator",
                &format!(
                    "<h1>Not an administrator</h1><p class=\"error\" role=\"alert\">You signed in at the identity \
provider as <strong>{}</strong>, who is not an administrator of this mcpcp.</p>\
<p class=\"muted\">An owner can make you one: <code>mcpcp admin create NAME --sso-subject {}</code>, or bind a role to one \
of your identity provider groups with <code>mcpcp role bind ROLE --idp-group GROUP</code>.</p>",
                    pages::escape(&identity.name),
                    pages::escape(sub),
                ),
            );
        }
        Err(ops::Error::Conflict(why)) => {
            record(shared, fail(d, 409, why.clone())).await;
            return pages::error(StatusCode::CONFLICT, &format!("{why}. Ask an owner of this mcpcp."));
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot record an admin sign-in");
            return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp cannot record the sign-in right now.");
        }
    };
    d.principal = Some(signed.admin.name.clone());
    if signed.admin.disabled {
        record(shared, fail(d, 403, "the admin is disabled".into())).await;
        return pages::error(StatusCode::FORBIDDEN, "This admin is disabled in mcpcp.");
    }
    let Ok(confirmation) = random_id() else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp could not finish the sign-in.");
    };
    // Recorded once the browser answers the confirmation (`confirm`), with these parameters.
    let params =
        json!({ "admin": signed.admin.name, "created": signed.created, "idp_groups": signed.bound }).to_string();
    let listening = url::Url::parse(&login.redirect_uri)
        .ok()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port()?)))
        .unwrap_or_else(|| login.redirect_uri.clone());
    let page = pages::admin_confirm(
        &confirmation,
        &signed.admin.name,
        &listening,
        &verification_code(&login.state),
        pages::loopback_source(&login.redirect_uri).as_deref(),
    );
    let mut login = login;
    login.signed =
        Some(SignedAdmin { admin_id: signed.admin.id, admin: signed.admin.name, groups: signed.groups, params });
    if let Ok(mut logins) = shared.oauth.admin_logins.lock() {
        logins.insert(confirmation, login);
    }
    page
}

/// The confirmation page's form.
#[derive(Debug, Deserialize)]
pub(super) struct ConfirmForm {
    request: String,
    decision: String,
}

/// `POST /sso/admin-login/confirm`: the person at the browser confirmed (a one-time code for the
/// command line) or cancelled (`access_denied`, recorded) a signed-in admin sign-in.
pub(super) async fn confirm(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Response {
    // Only a sign-in the identity provider finished is taken (and so ended): the id of one still
    // on its way (in `/sso/admin-login`'s URL) is not a confirmation.
    let held = shared.oauth.admin_logins.lock().ok().and_then(|mut m| {
        m.get(&form.request).is_some_and(|l| l.signed.is_some()).then(|| m.remove(&form.request)).flatten()
    });
    let Some((login, signed)) =
        held.filter(|l| l.created.elapsed() < LOGIN_LIFETIME).and_then(|l| l.signed.clone().map(|s| (l, s)))
    else {
        return pages::error(
            StatusCode::BAD_REQUEST,
            "This sign-in has expired or was already answered. Run `mcpcp admin login` again.",
        );
    };
    let mut d = draft(&shared, "admin_sign_in", peer, &headers);
    d.auth_method = Some("sso");
    d.client_name = Some("mcpcp admin login".into());
    d.principal = Some(signed.admin.clone());
    d.params = Some(signed.params.clone());
    if form.decision != "allow" {
        d.http_status = 403;
        d.error = Some((0, "cancelled at the confirmation page".into()));
        record(&shared, d).await;
        return back(
            &shared,
            &login,
            &[("error", "access_denied"), ("error_description", "the sign-in was cancelled in the browser")],
        );
    }
    let issued = shared.clock.now();
    let Some(code) =
        shared.oauth.issue_admin_code(signed.admin_id, &signed.admin, signed.groups, &login.challenge, issued)
    else {
        return pages::error(StatusCode::INTERNAL_SERVER_ERROR, "mcpcp could not finish the sign-in.");
    };
    d.status_ok();
    record(&shared, d).await;
    back(&shared, &login, &[("code", code.as_str())])
}

impl super::AuthState {
    /// Issues the one-time code of an admin sign-in as `/sso/callback` does once the identity
    /// provider signed `admin` in with `groups`, bound to the PKCE `challenge`, at `issued`: the
    /// code exchange can so be tested without an identity provider.
    pub fn issue_admin_code(
        &self,
        admin_id: i64,
        admin: &str,
        groups: Vec<String>,
        challenge: &str,
        issued: chrono::DateTime<chrono::Utc>,
    ) -> Option<String> {
        let (Ok(id), Ok(secret)) = (random_id(), random_id()) else { return None };
        let code = AdminCode {
            secret_hash: token::hash(&secret),
            challenge: challenge.to_string(),
            admin_id,
            admin: admin.to_string(),
            groups,
            issued,
        };
        let mut codes = self.admin_codes.lock().ok()?;
        codes.retain(|c| issued - c.issued < CODE_LIFETIME);
        codes.insert(id.clone(), code);
        Some(format!("{id}.{secret}"))
    }

    /// How many admin sign-ins and codes are held (tests show the bounds with it).
    pub fn admin_login_len(&self) -> (usize, usize) {
        let logins = self.admin_logins.lock().map_or(0, |m| m.len());
        (logins, self.admin_codes.lock().map_or(0, |m| m.len()))
    }
}

/// Sends the browser back to the command line's loopback with `params`, its `state` and `iss`.
fn back(shared: &Shared, login: &AdminLogin, params: &[(&str, &str)]) -> Response {
    let mut url = format!("{}?", login.redirect_uri);
    for (k, v) in params {
        url.push_str(&format!("{k}={}&", urlencode(v)));
    }
    url.push_str(&format!("state={}&iss={}", urlencode(&login.state), urlencode(&shared.public_url)));
    see_other(&url)
}

/// The body of `POST /api/v1/login/token`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exchange {
    code: String,
    code_verifier: String,
}

/// Why a code was not redeemed: the same answer for each, so nothing is learnt from it.
const BAD_CODE: &str = "the sign-in code is unknown, already used, expired, or does not match the code_verifier: \
     run `mcpcp admin login` again";

/// Redeems a code: removed at once (single use), then its secret, its age and the PKCE verifier
/// are checked.
fn redeem(shared: &Shared, code: &str, verifier: &str) -> Option<AdminCode> {
    let (id, secret) = code.split_once('.')?;
    let held = shared.oauth.admin_codes.lock().ok()?.remove(id)?;
    use subtle::ConstantTimeEq;
    let secret_ok: bool = held.secret_hash.as_bytes().ct_eq(token::hash(secret).as_bytes()).into();
    let fresh = shared.clock.now() - held.issued < CODE_LIFETIME;
    let pkce_ok: bool = pkce_syntax(verifier, 43, 128)
        && bool::from(held.challenge.as_bytes().ct_eq(challenge_of(verifier).as_bytes()));
    (secret_ok && fresh && pkce_ok).then_some(held)
}

/// `POST /api/v1/login/token` with `{"code", "code_verifier"}`: the admin token of a sign-in.
pub async fn exchange(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ip = shared.client_ip(peer, &headers);
    let key = format!("admin-code:{ip}");
    if throttled(&shared, &key, EXCHANGE_FAILURES) {
        let why = "too many failed sign-in code exchanges from this address; retry later";
        return Problem::too_many(why, Duration::from_secs(60)).into_response();
    }
    if body.len() > MAX_EXCHANGE_BODY {
        note_failure(&shared, &key);
        let why = format!("the request body exceeds {MAX_EXCHANGE_BODY} bytes");
        return Problem::new(StatusCode::PAYLOAD_TOO_LARGE, &why).into_response();
    }
    let request = match serde_json::from_slice::<Exchange>(&body) {
        Ok(r) => r,
        Err(e) => {
            note_failure(&shared, &key);
            let why = format!("the body must be a JSON object with code and code_verifier: {e}");
            return Problem::bad_request(&why).into_response();
        }
    };
    let Some(code) = redeem(&shared, &request.code, &request.code_verifier) else {
        note_failure(&shared, &key);
        return Problem::bad_request(BAD_CODE).into_response();
    };
    let ctx = Ctx {
        actor: Actor { kind: "admin".into(), name: code.admin.clone() },
        origin: format!("sso {ip}"),
        now: shared.clock.now(),
        authority: Default::default(),
    };
    let (admin_id, groups) = (code.admin_id, code.groups.clone());
    match with_db(&shared, move |db| ops::admin_login::issue_token(db, &ctx, admin_id, &groups)).await {
        Ok(created) => {
            let mut response = axum::Json(&created).into_response();
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(ops::Error::Conflict(why) | ops::Error::NotFound(why)) => {
            Problem::new(StatusCode::FORBIDDEN, &why).into_response()
        }
        Err(e) => Problem::from_ops(&e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verification_code_is_eight_unambiguous_characters_of_the_state() {
        let a = verification_code("state-one");
        assert_eq!(a.len(), 9, "{a}");
        assert_eq!(a.as_bytes()[4], b'-');
        assert!(a.bytes().filter(|b| *b != b'-').all(|b| b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains(&b)), "{a}");
        assert_eq!(a, verification_code("state-one"));
        assert_ne!(a, verification_code("state-two"));
    }

    #[test]
    fn only_loopback_redirect_uris_with_a_port_are_accepted() {
        for ok in ["http://127.0.0.1:8123/callback", "http://[::1]:9/cb", "http://127.0.0.2:8080/"] {
            assert!(check_loopback_redirect(ok).is_ok(), "{ok}");
        }
        for bad in [
            "https://127.0.0.1:8123/callback",
            "http://localhost:8123/callback",
            "http://evil.example:8123/callback",
            "http://127.0.0.1/callback",
            "http://user@127.0.0.1:1/callback",
            "http://127.0.0.1:1/callback?x=1",
            "http://127.0.0.1:1/callback#f",
            "http://10.0.0.1:1/callback",
            "cursor://callback",
            "/callback",
        ] {
            assert!(check_loopback_redirect(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_login_query_is_checked_field_by_field() {
        let challenge = challenge_of(&"v".repeat(43));
        let good = format!(
            "redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2Fcallback&state=s1&code_challenge={challenge}&code_challenge_method=S256"
        );
        assert_eq!(login_query(Some(&good)).unwrap().challenge, challenge);
        assert!(login_query(Some(&format!("{good}&state=again"))).unwrap_err().contains("twice"));
        assert!(login_query(Some(&good.replace("S256", "plain"))).unwrap_err().contains("S256"));
        assert!(login_query(Some(&good.replace(&challenge, "short"))).unwrap_err().contains("code_challenge"));
        assert!(login_query(Some(&good.replace("state=s1", "state=%0A"))).unwrap_err().contains("state"));
        assert!(login_query(None).unwrap_err().contains("missing"));
    }
}
