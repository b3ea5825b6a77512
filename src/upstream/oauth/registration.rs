//! Registering mcpcp as a client of an upstream's authorization server, whose redirect URI is
//! the gateway's `/connect/callback`: by a client ID metadata document (draft-ietf-oauth-client-
//! id-metadata-document, MCP 2025-11-25), which the gateway serves at `/connect/client.json` and
//! whose URL is the client id (a public client, PKCE alone; nothing to register), or by dynamic
//! client registration (RFC 7591): one client per server, confidential (`client_secret_basic`)
//! where the server offers it, else public.

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

/// Where the gateway serves mcpcp's client ID metadata document, under its public URL.
pub const DOCUMENT_PATH: &str = "/connect/client.json";
/// Where an upstream's authorization server sends users back to, under the public URL.
pub const CALLBACK_PATH: &str = "/connect/callback";

/// The gateway's redirect URI, for the public URL `public_url` (without a trailing slash).
pub fn redirect_uri(public_url: &str) -> String {
    format!("{public_url}{CALLBACK_PATH}")
}

/// The URL of mcpcp's client ID metadata document: its client id where it is used, in normal
/// form (an authorization server compares it with the document's `client_id` as a string).
pub fn document_url(public_url: &str) -> String {
    let raw = format!("{public_url}{DOCUMENT_PATH}");
    url::Url::parse(&raw).map(String::from).unwrap_or(raw)
}

/// mcpcp's client ID metadata document, made from the public URL alone: the same for every
/// upstream (the redirect URI is the gateway's one callback), a public client with PKCE.
pub fn metadata_document(public_url: &str) -> serde_json::Value {
    serde_json::json!({
        "client_id": document_url(public_url),
        "client_name": "mcpcp",
        "client_uri": public_url,
        "redirect_uris": [redirect_uri(public_url)],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    })
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The client id mcpcp has at `server` by its metadata document, or why it has none there: the
/// server must accept documents and public clients (`none`; a server that lists no auth methods
/// is taken to accept the public clients documents name), and be able to fetch the document.
/// The draft requires an https client id; plain http is accepted only when the public URL and
/// the authorization server are both on loopback (a gateway and an authorization server on one
/// machine, as in tests, where there is no certificate). A document on loopback is of no use to
/// an authorization server elsewhere, which could not fetch it.
pub fn document_client_id(public_url: &str, server: &AuthorizationServer) -> Result<String, String> {
    if !server.client_id_metadata_documents {
        return Err("it does not accept client ID metadata documents".into());
    }
    let methods = &server.token_endpoint_auth_methods;
    if !methods.is_empty() && !methods.iter().any(|m| m == "none") {
        return Err("it accepts no public clients (token endpoint auth method none)".into());
    }
    let id = document_url(public_url);
    let url = url::Url::parse(&id).map_err(|e| format!("the public URL {public_url:?}: {e}"))?;
    let issuer_local = url::Url::parse(&server.issuer).is_ok_and(|i| is_loopback(&i));
    if is_loopback(&url) && !issuer_local {
        return Err(format!("the public URL {public_url} is on loopback, where {} cannot fetch {id}", server.issuer));
    }
    match url.scheme() {
        "https" => Ok(id),
        "http" if is_loopback(&url) => Ok(id),
        _ => Err(format!("the public URL {public_url} is not https, as a client id must be")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn server(issuer: &str, cimd: bool, methods: &[&str]) -> AuthorizationServer {
        AuthorizationServer {
            issuer: issuer.into(),
            authorization_endpoint: format!("{issuer}/auth"),
            token_endpoint: format!("{issuer}/token"),
            registration_endpoint: None,
            revocation_endpoint: None,
            iss_parameter: true,
            client_id_metadata_documents: cimd,
            token_endpoint_auth_methods: methods.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn the_document_names_its_own_url_and_the_gateways_callback() {
        let doc = metadata_document("https://gw.example");
        assert_eq!(doc["client_id"], "https://gw.example/connect/client.json");
        assert_eq!(doc["redirect_uris"], serde_json::json!(["https://gw.example/connect/callback"]));
        assert_eq!(doc["token_endpoint_auth_method"], "none");
        assert!(doc.get("client_secret").is_none());
        // What mcpcp itself requires of a client's document, it meets.
        let parsed = crate::identity::cimd::parse(&document_url("https://gw.example"), doc.to_string().as_bytes());
        assert_eq!(parsed.unwrap().redirect_uris, ["https://gw.example/connect/callback"]);
    }

    #[test]
    fn a_document_is_the_client_id_only_where_the_server_can_use_and_fetch_it() {
        let public = server("https://as.example", true, &["client_secret_basic", "none"]);
        assert_eq!(
            document_client_id("https://gw.example", &public).unwrap(),
            "https://gw.example/connect/client.json"
        );
        assert_eq!(
            document_client_id("https://gw.example", &server("https://as.example", true, &[])).unwrap(),
            "https://gw.example/connect/client.json",
            "no list of methods: none is not ruled out"
        );
        let local = server("http://127.0.0.1:9/as", true, &[]);
        assert_eq!(
            document_client_id("http://127.0.0.1:7330", &local).unwrap(),
            "http://127.0.0.1:7330/connect/client.json"
        );
        assert_eq!(document_client_id("http://[::1]:7330", &local).unwrap(), "http://[::1]:7330/connect/client.json");
        for (public_url, server, why) in [
            ("https://gw.example", server("https://as.example", false, &[]), "does not accept"),
            ("https://gw.example", server("https://as.example", true, &["client_secret_basic"]), "no public clients"),
            ("http://gw.example", public.clone(), "not https"),
            ("http://127.0.0.1:7330", public.clone(), "on loopback"),
            ("https://localhost:7330", public.clone(), "on loopback"),
        ] {
            let refused = document_client_id(public_url, &server).unwrap_err();
            assert!(refused.contains(why), "{public_url}: {refused}");
        }
    }
}
