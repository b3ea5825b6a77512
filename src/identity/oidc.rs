//! mcpcp as an OpenID Connect relying party: sends users to the configured IdP (authorization
//! code + PKCE S256 + nonce), then validates the ID token it gets back (signature from the
//! provider's JWKS, issuer, audience, expiry, nonce) and reads who signed in.
//!
//! The provider's discovery document (and so its JWKS) is cached for `METADATA_TTL`. HTTP goes
//! through our own reqwest client: no redirects followed, bounded time and body size. The issuer
//! is the operator's choice and is reached as configured; any other host is one the discovery
//! document named (JWKS, token, userinfo endpoints), learned from the network, so it is held to
//! `netpolicy` like a client metadata document: public addresses only (unless
//! `client_metadata_private_networks`), pinned to the checked address, no proxy.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};

use super::netpolicy;
use crate::secrets::Secret;

/// The enabled settings with the client secret unsealed, for the gateway's sign-in flow.
#[derive(Debug, Clone)]
pub struct SsoConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub scopes: Vec<String>,
    pub groups_claim: Option<String>,
    pub group_map: Vec<(String, String)>,
}

/// Who the IdP says signed in.
#[derive(Debug, Clone)]
pub struct IdpIdentity {
    /// `iss` and `sub` together: unique and stable across providers.
    pub subject: String,
    /// The name to create the user under (`preferred_username`, else the email, else `sub`).
    pub name: String,
    pub email: Option<String>,
    /// The IdP groups, when the groups claim is configured (`None`: claim absent).
    pub groups: Option<Vec<String>>,
}

/// How long a provider's discovery document and keys are reused.
const METADATA_TTL: Duration = Duration::from_secs(300);
/// The largest response accepted from the provider.
const MAX_BODY: usize = 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OidcError(String);

fn err(context: &str, e: impl std::fmt::Display) -> OidcError {
    OidcError(format!("{context}: {e}"))
}

/// An authorization request sent to the IdP, kept until the browser comes back.
#[derive(Debug)]
pub struct Flow {
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
}

pub struct RelyingParty {
    http: reqwest::Client,
    /// `client_metadata_private_networks`: hosts a discovery document names may be private.
    private_ok: bool,
    metadata: Mutex<HashMap<String, (CoreProviderMetadata, Instant)>>,
}

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty").finish_non_exhaustive()
    }
}

/// Where the requests of one sign-in may go: the configured issuer's origin through the shared
/// client; any other origin only at a public address, pinned (see the module's comment).
#[derive(Clone)]
struct Route {
    http: reqwest::Client,
    issuer: String,
    private_ok: bool,
}

impl Route {
    /// The client to send a request for `url` with.
    async fn client_for(&self, url: &str) -> Result<reqwest::Client, OidcError> {
        let url = url::Url::parse(url).map_err(|e| err("the identity provider named an invalid URL", e))?;
        let issuer = url::Url::parse(&self.issuer).map_err(|e| err("invalid issuer", e))?;
        if url.origin() == issuer.origin() {
            return Ok(self.http.clone());
        }
        let host =
            url.host_str().ok_or_else(|| OidcError("the identity provider named a URL without a host".into()))?;
        let port = url.port_or_known_default().unwrap_or(443);
        let addr = netpolicy::resolve_checked(host, port, self.private_ok, TIMEOUT)
            .await
            .map_err(|why| OidcError(format!("the identity provider named a host that is {why}")))?;
        netpolicy::pinned_client(host, addr, TIMEOUT).map_err(OidcError)
    }
}

/// Sends one request for openidconnect through reqwest, capping the body.
async fn send(route: Route, req: openidconnect::HttpRequest) -> Result<openidconnect::HttpResponse, OidcError> {
    let (parts, body) = req.into_parts();
    let url = parts.uri.to_string();
    let client = route.client_for(&url).await?;
    let mut builder = client.request(parts.method, url).headers(parts.headers).body(body);
    builder = builder.timeout(TIMEOUT);
    let mut resp = builder.send().await.map_err(|e| err("request to the identity provider failed", e))?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| err("reading the identity provider's answer", e))? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(OidcError("the identity provider's answer is too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    let mut out = openidconnect::http::Response::new(body);
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

impl RelyingParty {
    /// `private_ok` (`client_metadata_private_networks`) lets the discovery document name hosts
    /// on private networks.
    pub fn new(private_ok: bool) -> Result<RelyingParty, OidcError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| err("cannot build the HTTP client", e))?;
        Ok(RelyingParty { http, private_ok, metadata: Mutex::new(HashMap::new()) })
    }

    fn route(&self, issuer: &str) -> Route {
        Route { http: self.http.clone(), issuer: issuer.to_string(), private_ok: self.private_ok }
    }

    async fn provider(&self, issuer: &str) -> Result<CoreProviderMetadata, OidcError> {
        if let Ok(cache) = self.metadata.lock()
            && let Some((m, at)) = cache.get(issuer)
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let url = IssuerUrl::new(issuer.to_string()).map_err(|e| err("invalid issuer", e))?;
        let route = self.route(issuer);
        let http = move |req| send(route.clone(), req);
        let m = CoreProviderMetadata::discover_async(url, &http)
            .await
            .map_err(|e| err(&format!("discovery of {issuer} failed"), crate::error_chain(&e)))?;
        if let Ok(mut cache) = self.metadata.lock() {
            cache.insert(issuer.to_string(), (m.clone(), Instant::now()));
        }
        Ok(m)
    }

    fn client(
        config: &SsoConfig,
        metadata: CoreProviderMetadata,
        redirect: &str,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        OidcError,
    > {
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            Some(ClientSecret::new(config.client_secret.expose().to_string())),
        )
        .set_redirect_uri(RedirectUrl::new(redirect.to_string()).map_err(|e| err("invalid redirect URL", e))?))
    }

    /// The URL to send the browser to, and what to keep for the callback. `state` is ours.
    pub async fn start(&self, config: &SsoConfig, redirect: &str, state: &str) -> Result<(String, Flow), OidcError> {
        let metadata = self.provider(&config.issuer).await?;
        let client = Self::client(config, metadata, redirect)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let state = state.to_string();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(state),
            Nonce::new_random,
        );
        for scope in config.scopes.iter().filter(|s| s.as_str() != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, _state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok((url.to_string(), Flow { nonce, verifier }))
    }

    /// Redeems the code and validates the ID token; returns who signed in.
    pub async fn finish(
        &self,
        config: &SsoConfig,
        redirect: &str,
        flow: Flow,
        code: &str,
    ) -> Result<IdpIdentity, OidcError> {
        let metadata = self.provider(&config.issuer).await?;
        let userinfo_url = metadata.userinfo_endpoint().map(|u| u.url().clone());
        let client = Self::client(config, metadata, redirect)?;
        let route = self.route(&config.issuer);
        let http = move |req| send(route.clone(), req);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| err("the identity provider has no token endpoint", e))?
            .set_pkce_verifier(flow.verifier)
            .request_async(&http)
            .await
            .map_err(|e| err("the identity provider refused the code", crate::error_chain(&e)))?;
        let id_token = tokens.id_token().ok_or_else(|| OidcError("the identity provider sent no ID token".into()))?;
        let verifier = client.id_token_verifier();
        let claims = id_token.claims(&verifier, &flow.nonce).map_err(|e| err("the ID token is not valid", e))?;
        let subject = claims.subject().as_str().to_string();
        let name = claims
            .preferred_username()
            .map(|n| n.as_str().to_string())
            .or_else(|| claims.email().map(|e| e.as_str().to_string()))
            .unwrap_or_else(|| subject.clone());
        let email = claims.email().map(|e| e.as_str().to_string());
        // The signature, issuer, audience, expiry and nonce are verified above, so the payload
        // can be read for claims openidconnect does not model (the groups claim).
        let mut groups = None;
        if let Some(claim) = &config.groups_claim {
            let payload = id_token_payload(&id_token.to_string());
            groups = payload.as_ref().and_then(|p| string_list(p.get(claim)));
            if groups.is_none()
                && let Some(url) = userinfo_url
            {
                let info = self.userinfo(&config.issuer, url.as_str(), tokens.access_token().secret()).await?;
                if info.get("sub").and_then(|s| s.as_str()) != Some(subject.as_str()) {
                    return Err(OidcError("the userinfo answer is for another subject".into()));
                }
                groups = string_list(info.get(claim)).or(Some(Vec::new()));
            }
        }
        Ok(IdpIdentity { subject: format!("{}|{}", config.issuer, subject), name, email, groups })
    }

    async fn userinfo(&self, issuer: &str, url: &str, access: &str) -> Result<serde_json::Value, OidcError> {
        let mut req = openidconnect::http::Request::new(Vec::new());
        *req.uri_mut() = url.parse().map_err(|e| err("invalid userinfo URL", e))?;
        let auth = format!("Bearer {access}");
        req.headers_mut().insert(
            openidconnect::http::header::AUTHORIZATION,
            auth.parse().map_err(|e| err("invalid access token", e))?,
        );
        req.headers_mut().insert(
            openidconnect::http::header::ACCEPT,
            openidconnect::http::HeaderValue::from_static("application/json"),
        );
        let resp = send(self.route(issuer), req).await?;
        if !resp.status().is_success() {
            return Err(OidcError(format!("the userinfo endpoint answered {}", resp.status())));
        }
        serde_json::from_slice(resp.body()).map_err(|e| err("the userinfo answer is not JSON", e))
    }
}

/// The JSON payload of a compact JWS.
fn id_token_payload(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A claim holding a list of strings (or one string).
fn string_list(v: Option<&serde_json::Value>) -> Option<Vec<String>> {
    match v? {
        serde_json::Value::Array(a) => Some(a.iter().filter_map(|x| x.as_str().map(String::from)).collect()),
        serde_json::Value::String(s) => Some(vec![s.clone()]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_group_claims() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"groups":["a","b"],"g":"x","n":1}"#);
        let p = id_token_payload(&format!("h.{payload}.s")).unwrap_or_default();
        assert_eq!(string_list(p.get("groups")), Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(string_list(p.get("g")), Some(vec!["x".to_string()]));
        assert_eq!(string_list(p.get("n")), None);
        assert_eq!(string_list(p.get("missing")), None);
    }
}
