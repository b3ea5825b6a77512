//! Registering mcpcp as a client of an upstream's authorization server by dynamic client
//! registration (RFC 7591): one client per server, whose redirect URI is the gateway's
//! `/connect/callback`. A confidential client (`client_secret_basic`) where the server offers
//! it, else a public one (PKCE alone).

use serde::Deserialize;

use super::discovery::AuthorizationServer;
use super::{OauthError, fail, send};
use crate::secrets::Secret;

/// The client an authorization server registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub client_id: String,
    pub client_secret: Option<Secret>,
    /// `client_secret_basic` or `none`.
    pub auth_method: String,
}

/// How mcpcp authenticates at the token endpoint, given what the server supports (RFC 8414: an
/// absent list means `client_secret_basic`).
fn auth_method(server: &AuthorizationServer) -> &'static str {
    let methods = &server.token_endpoint_auth_methods;
    if methods.is_empty() || methods.iter().any(|m| m == "client_secret_basic") {
        "client_secret_basic"
    } else {
        "none"
    }
}

/// Registers mcpcp with `server`, redirecting to `redirect_uri`.
pub async fn register(
    server: &AuthorizationServer,
    redirect_uri: &str,
    private_ok: bool,
) -> Result<Registered, OauthError> {
    let endpoint = server.registration_endpoint.as_deref().ok_or_else(|| {
        fail(format!(
            "authorization server {} offers no dynamic client registration: register mcpcp there and give --client-id",
            server.issuer
        ))
    })?;
    let url = url::Url::parse(endpoint).map_err(|e| fail(format!("registration endpoint {endpoint:?}: {e}")))?;
    let method = auth_method(server);
    let request = serde_json::json!({
        "client_name": "mcpcp",
        "redirect_uris": [redirect_uri],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": method,
    });
    let (status, _, body) = send(&url, private_ok, |c| {
        c.post(url.as_str()).header(reqwest::header::CONTENT_TYPE, "application/json").body(request.to_string())
    })
    .await?;
    if !status.is_success() {
        #[derive(Deserialize)]
        struct Refusal {
            error: Option<String>,
            error_description: Option<String>,
        }
        let why = serde_json::from_slice::<Refusal>(&body)
            .ok()
            .map(|r| {
                format!(
                    "{}{}",
                    r.error.unwrap_or_default(),
                    r.error_description.map(|d| format!(": {d}")).unwrap_or_default()
                )
            })
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| format!("HTTP {status}"));
        return Err(fail(format!(
            "{endpoint} refused the registration: {}",
            why.chars().take(300).collect::<String>()
        )));
    }
    #[derive(Deserialize)]
    struct Answer {
        client_id: String,
        client_secret: Option<String>,
        token_endpoint_auth_method: Option<String>,
    }
    let answer: Answer =
        serde_json::from_slice(&body).map_err(|e| fail(format!("{endpoint} answered the registration with {e}")))?;
    if answer.client_id.is_empty() || answer.client_id.len() > 1024 {
        return Err(fail(format!("{endpoint} answered an unusable client_id")));
    }
    let auth_method = answer.token_endpoint_auth_method.unwrap_or_else(|| method.to_string());
    if auth_method != "none" && answer.client_secret.is_none() {
        return Err(fail(format!("{endpoint} registered a confidential client without a secret")));
    }
    Ok(Registered { client_id: answer.client_id, client_secret: answer.client_secret.map(Secret::new), auth_method })
}
