//! The authorization code flow toward an upstream's authorization server, with mcpcp as the
//! client: the authorization request (PKCE S256, `state`, RFC 8707 `resource`), the check of
//! the callback's `iss` (RFC 9207), the code exchange, refreshing (the rotated refresh token
//! replaces the old one), and revocation (RFC 7009). Token values are `Secret`s: no debug
//! output, log line or error shows one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::discovery::AuthorizationServer;
use super::{OauthError, fail, send};
use crate::secrets::Secret;

/// mcpcp as a client of one authorization server.
#[derive(Debug, Clone)]
pub struct Client {
    pub client_id: String,
    pub client_secret: Option<Secret>,
    /// `client_secret_basic`, `client_secret_post` or `none`.
    pub auth_method: String,
}

/// A PKCE pair (RFC 7636): the verifier kept, the S256 challenge sent.
#[derive(Debug)]
pub struct Pkce {
    pub verifier: Secret,
    pub challenge: String,
}

/// A fresh PKCE verifier (32 random bytes, base64url: 43 characters) and its challenge.
pub fn pkce() -> Result<Pkce, OauthError> {
    let bytes: [u8; 32] = crate::secrets::random_bytes().map_err(|e| fail(e.to_string()))?;
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Ok(Pkce { verifier: Secret::new(verifier), challenge })
}

/// The URL that starts a sign-in at the upstream's authorization server.
pub fn authorization_url(
    server: &AuthorizationServer,
    client: &Client,
    redirect_uri: &str,
    state: &str,
    challenge: &str,
    resource: &str,
    scopes: &[String],
) -> Result<url::Url, OauthError> {
    let mut url = url::Url::parse(&server.authorization_endpoint)
        .map_err(|e| fail(format!("authorization endpoint {:?}: {e}", server.authorization_endpoint)))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", &client.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("resource", resource);
        if !scopes.is_empty() {
            q.append_pair("scope", &scopes.join(" "));
        }
    }
    Ok(url)
}

/// RFC 9207: a server that says it sends `iss` must send its own issuer; a callback with an
/// `iss` of another server is refused whatever the server said (a mix-up attack).
pub fn check_iss(server: &AuthorizationServer, iss: Option<&str>) -> Result<(), OauthError> {
    match iss {
        Some(iss) if iss.trim_end_matches('/') != server.issuer.trim_end_matches('/') => {
            Err(fail(format!("the callback's iss {iss:?} is not the authorization server {}", server.issuer)))
        }
        None if server.iss_parameter => {
            Err(fail(format!("{} promised an iss in its callback and sent none", server.issuer)))
        }
        _ => Ok(()),
    }
}

/// What a token endpoint granted.
#[derive(Debug, Clone)]
pub struct Granted {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// Seconds the access token lives, if said.
    pub expires_in: Option<u64>,
    pub scopes: Vec<String>,
    /// The upstream account (`sub` of an ID token that came with them), when it says.
    pub subject: Option<String>,
}

/// Why a token request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The code or refresh token is no longer good (expired, used, revoked): sign in again.
    #[error("the authorization server refused the grant (invalid_grant): sign in again")]
    InvalidGrant,
    #[error("{0}")]
    Other(String),
}

/// Exchanges an authorization code (with its PKCE verifier) for tokens.
pub async fn exchange_code(
    server: &AuthorizationServer,
    client: &Client,
    code: &str,
    verifier: &Secret,
    redirect_uri: &str,
    resource: &str,
    private_ok: bool,
) -> Result<Granted, TokenError> {
    let form = vec![
        ("grant_type", "authorization_code".to_string()),
        ("code", code.to_string()),
        ("redirect_uri", redirect_uri.to_string()),
        ("code_verifier", verifier.expose().to_string()),
        ("resource", resource.to_string()),
    ];
    token_request(server, client, form, private_ok).await
}

/// Refreshes; the answer's refresh token (rotated) replaces the one sent, or the one sent stays.
pub async fn refresh(
    server: &AuthorizationServer,
    client: &Client,
    refresh_token: &Secret,
    resource: &str,
    private_ok: bool,
) -> Result<Granted, TokenError> {
    let form = vec![
        ("grant_type", "refresh_token".to_string()),
        ("refresh_token", refresh_token.expose().to_string()),
        ("resource", resource.to_string()),
    ];
    let mut granted = token_request(server, client, form, private_ok).await?;
    if granted.refresh_token.is_none() {
        granted.refresh_token = Some(refresh_token.clone());
    }
    Ok(granted)
}

/// Revokes a token at an authorization server's revocation `endpoint` (RFC 7009); the status it
/// answered (200 also for a token it no longer knows). An error: it could not be asked.
pub async fn revoke(
    endpoint: &str,
    client: &Client,
    token: &Secret,
    hint: &str,
    private_ok: bool,
) -> Result<reqwest::StatusCode, OauthError> {
    let url = url::Url::parse(endpoint).map_err(|e| fail(format!("revocation endpoint {endpoint:?}: {e}")))?;
    let form = vec![("token", token.expose().to_string()), ("token_type_hint", hint.to_string())];
    let (status, _, _) = send(&url, private_ok, |c| authenticated(c.post(url.as_str()), client, form)).await?;
    Ok(status)
}

/// A form POST authenticated as `client` (RFC 6749 §2.3.1; a public client names itself).
fn authenticated(
    request: reqwest::RequestBuilder,
    client: &Client,
    mut form: Vec<(&'static str, String)>,
) -> reqwest::RequestBuilder {
    let mut request = request.header(reqwest::header::ACCEPT, "application/json");
    match (client.auth_method.as_str(), &client.client_secret) {
        ("client_secret_basic", Some(secret)) => {
            let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let pair = format!("{}:{}", encode(&client.client_id), encode(secret.expose()));
            let basic = base64::engine::general_purpose::STANDARD.encode(pair);
            request = request.header(reqwest::header::AUTHORIZATION, format!("Basic {basic}"));
        }
        ("client_secret_post", Some(secret)) => {
            form.push(("client_id", client.client_id.clone()));
            form.push(("client_secret", secret.expose().to_string()));
        }
        _ => form.push(("client_id", client.client_id.clone())),
    }
    let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    request.header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(body)
}

async fn token_request(
    server: &AuthorizationServer,
    client: &Client,
    form: Vec<(&'static str, String)>,
    private_ok: bool,
) -> Result<Granted, TokenError> {
    let endpoint = &server.token_endpoint;
    let url = url::Url::parse(endpoint).map_err(|e| TokenError::Other(format!("token endpoint {endpoint:?}: {e}")))?;
    let (status, _, body) = send(&url, private_ok, |c| authenticated(c.post(url.as_str()), client, form))
        .await
        .map_err(|e| TokenError::Other(e.0))?;
    #[derive(Deserialize)]
    struct Answer {
        access_token: Option<String>,
        token_type: Option<String>,
        refresh_token: Option<String>,
        expires_in: Option<u64>,
        scope: Option<String>,
        id_token: Option<String>,
        error: Option<String>,
        error_description: Option<String>,
    }
    let answer: Answer = serde_json::from_slice(&body)
        .map_err(|e| TokenError::Other(format!("{endpoint} answered HTTP {status} without JSON: {e}")))?;
    if let Some(error) = answer.error {
        if error == "invalid_grant" {
            return Err(TokenError::InvalidGrant);
        }
        let description = answer.error_description.map(|d| format!(": {}", d.chars().take(300).collect::<String>()));
        return Err(TokenError::Other(format!(
            "{endpoint} refused the token request: {error}{}",
            description.unwrap_or_default()
        )));
    }
    let access = answer
        .access_token
        .filter(|t| !t.is_empty() && status.is_success())
        .ok_or_else(|| TokenError::Other(format!("{endpoint} answered HTTP {status} without an access token")))?;
    if !answer.token_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("bearer")) {
        return Err(TokenError::Other(format!("{endpoint} issued a token that is not a Bearer token")));
    }
    Ok(Granted {
        access_token: Secret::new(access),
        refresh_token: answer.refresh_token.map(Secret::new),
        expires_in: answer.expires_in,
        scopes: answer.scope.map(|s| s.split_whitespace().map(String::from).collect()).unwrap_or_default(),
        subject: answer.id_token.as_deref().and_then(|t| id_token_subject(t, &server.issuer, &client.client_id)),
    })
}

/// The `sub` of an ID token the token endpoint answered with, if its `iss` is the server's
/// issuer and its `aud` names mcpcp's client. Its signature is not checked: it came straight
/// from the token endpoint over the connection mcpcp made, which OpenID Connect Core (§3.1.3.7)
/// accepts in place of it; and the subject only names the account in listings and records,
/// it decides nothing.
fn id_token_subject(id_token: &str, issuer: &str, client_id: &str) -> Option<String> {
    use base64::Engine;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Audience {
        One(String),
        Many(Vec<String>),
    }
    #[derive(Deserialize)]
    struct Claims {
        iss: String,
        aud: Audience,
        sub: String,
    }
    if id_token.len() > 16 * 1024 {
        return None;
    }
    let payload = id_token.split('.').nth(1)?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Claims = serde_json::from_slice(&json).ok()?;
    let ours = match &claims.aud {
        Audience::One(a) => a == client_id,
        Audience::Many(all) => all.iter().any(|a| a == client_id),
    };
    (claims.iss == issuer && ours && !claims.sub.is_empty() && claims.sub.len() <= 255).then_some(claims.sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(iss_parameter: bool) -> AuthorizationServer {
        AuthorizationServer {
            issuer: "https://as.example".into(),
            authorization_endpoint: "https://as.example/auth?tenant=1".into(),
            token_endpoint: "https://as.example/token".into(),
            registration_endpoint: None,
            revocation_endpoint: None,
            iss_parameter,
            client_id_metadata_documents: false,
            token_endpoint_auth_methods: Vec::new(),
        }
    }

    #[test]
    fn the_subject_is_read_from_an_id_token_of_this_issuer_for_this_client() {
        use base64::Engine;
        let token = |claims: serde_json::Value| {
            let part = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
            format!("{}.{}.sig", part(&serde_json::json!({"alg": "RS256"})), part(&claims))
        };
        let (iss, client) = ("https://as.example", "mcpcp");
        let good = token(serde_json::json!({"iss": iss, "aud": [client, "x"], "sub": "alice"}));
        assert_eq!(id_token_subject(&good, iss, client).as_deref(), Some("alice"));
        let one = token(serde_json::json!({"iss": iss, "aud": client, "sub": "bob"}));
        assert_eq!(id_token_subject(&one, iss, client).as_deref(), Some("bob"));
        for bad in [
            token(serde_json::json!({"iss": "https://evil.example", "aud": client, "sub": "alice"})),
            token(serde_json::json!({"iss": iss, "aud": "another", "sub": "alice"})),
            token(serde_json::json!({"iss": iss, "aud": client})),
            "not a jwt".to_string(),
        ] {
            assert_eq!(id_token_subject(&bad, iss, client), None, "{bad}");
        }
    }

    #[test]
    fn pkce_pairs_are_fresh_and_match_by_s256() {
        let (a, b) = (pkce().unwrap(), pkce().unwrap());
        assert_eq!(a.verifier.expose().len(), 43);
        assert_ne!(a.verifier.expose(), b.verifier.expose());
        assert!(crate::identity::oauth::pkce_matches(a.verifier.expose(), &a.challenge));
    }

    #[test]
    fn the_authorization_request_carries_pkce_state_and_resource() {
        let client = Client { client_id: "mcpcp id".into(), client_secret: None, auth_method: "none".into() };
        let url = authorization_url(
            &server(true),
            &client,
            "https://gw.example/connect/callback",
            "st",
            "ch",
            "https://up.example/mcp",
            &["a".into(), "b".into()],
        )
        .unwrap();
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["tenant"], "1", "the endpoint's own query stays");
        assert_eq!(q["client_id"], "mcpcp id");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["resource"], "https://up.example/mcp");
        assert_eq!(q["scope"], "a b");
        assert_eq!(q["state"], "st");
    }

    #[test]
    fn the_callbacks_iss_must_be_the_servers() {
        assert!(check_iss(&server(true), Some("https://as.example/")).is_ok());
        assert!(check_iss(&server(true), None).is_err());
        assert!(check_iss(&server(false), None).is_ok());
        assert!(check_iss(&server(false), Some("https://evil.example")).is_err());
    }
}
