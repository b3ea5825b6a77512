//! Finding an upstream's authorization server (MCP authorization, 2025-11-25): the upstream's
//! `401` challenge names its protected resource metadata (RFC 9728 §5.1), else the well-known
//! locations are tried (path-inserted, then root); the metadata names the authorization server,
//! whose own metadata is found at RFC 8414 or OpenID discovery locations and must name itself
//! as issuer. PKCE with S256 is required: an authorization server that does not advertise it is
//! refused, as MCP clients must.

use serde::{Deserialize, Serialize};

use super::{OauthError, fail, get_json, send};

/// What discovery found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovered {
    /// The upstream's canonical resource identifier (RFC 8707 `resource`).
    pub resource: String,
    /// Scopes the resource says it supports, or the challenge asked for.
    pub scopes: Vec<String>,
    pub authorization_server: AuthorizationServer,
}

/// An authorization server's metadata, the parts mcpcp uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationServer {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub registration_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    /// RFC 9207: the authorization response carries `iss`, which mcpcp then checks.
    pub iss_parameter: bool,
    /// Client ID metadata documents are accepted as `client_id`.
    pub client_id_metadata_documents: bool,
    pub token_endpoint_auth_methods: Vec<String>,
}

/// What a `WWW-Authenticate: Bearer …` challenge says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Challenge {
    pub resource_metadata: Option<String>,
    pub scope: Option<String>,
    pub error: Option<String>,
}

/// Parses the `Bearer` challenge of a `WWW-Authenticate` value (RFC 6750 §3, RFC 9728 §5.1):
/// `auth-param`s as `name=token` or `name="quoted"`. `None` if there is no Bearer challenge.
pub fn parse_challenge(value: &str) -> Option<Challenge> {
    let start = value.to_ascii_lowercase().find("bearer")?;
    let mut rest = &value[start + "bearer".len()..];
    let mut challenge = Challenge::default();
    loop {
        rest = rest.trim_start_matches([' ', ',', '\t']);
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim().to_ascii_lowercase();
        if name.contains(' ') {
            break; // the next scheme begins
        }
        rest = &rest[eq + 1..];
        let value = if let Some(quoted) = rest.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            out.push(next);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    _ => out.push(c),
                }
            }
            rest = &quoted[end.min(quoted.len())..];
            out
        } else {
            let end = rest.find([',', ' ']).unwrap_or(rest.len());
            let token = rest[..end].to_string();
            rest = &rest[end..];
            token
        };
        match name.as_str() {
            "resource_metadata" => challenge.resource_metadata = Some(value),
            "scope" => challenge.scope = Some(value),
            "error" => challenge.error = Some(value),
            _ => {}
        }
    }
    Some(challenge)
}

/// The well-known URL `suffix` for `base`, path-inserted (RFC 8414 §3.1, RFC 9728 §3.1):
/// `https://h/p` → `https://h/.well-known/SUFFIX/p`; the root form when `path_inserted` is false.
fn well_known(base: &url::Url, suffix: &str, path_inserted: bool) -> url::Url {
    let mut url = base.clone();
    let path = base.path().trim_end_matches('/');
    let path = if path_inserted && !path.is_empty() {
        format!("/.well-known/{suffix}{path}")
    } else {
        format!("/.well-known/{suffix}")
    };
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// Asks the upstream, without a credential, what authorization it wants: the challenge of its
/// `401`, if it answers one to an `initialize`.
pub async fn challenge(upstream: &url::Url, private_ok: bool) -> Result<Option<Challenge>, OauthError> {
    let init = serde_json::json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "mcpcp", "version": env!("CARGO_PKG_VERSION")}}});
    let (status, headers, _) = send(upstream, private_ok, |c| {
        c.post(upstream.as_str())
            .header(reqwest::header::ACCEPT, "application/json, text/event-stream")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(init.to_string())
    })
    .await?;
    if status != reqwest::StatusCode::UNAUTHORIZED {
        return Ok(None);
    }
    Ok(headers
        .get_all(reqwest::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(parse_challenge))
}

/// Discovers the upstream's authorization server.
pub async fn discover(upstream: &url::Url, private_ok: bool) -> Result<Discovered, OauthError> {
    let challenge = challenge(upstream, private_ok).await?.unwrap_or_default();
    let mut candidates = Vec::new();
    if let Some(u) = &challenge.resource_metadata {
        let url = upstream.join(u).map_err(|e| fail(format!("the challenge's resource_metadata {u:?}: {e}")))?;
        candidates.push(url);
    }
    candidates.push(well_known(upstream, "oauth-protected-resource", true));
    candidates.push(well_known(upstream, "oauth-protected-resource", false));
    let mut metadata = None;
    for url in &candidates {
        if let Some(doc) = get_json(url, private_ok).await? {
            metadata = Some((url.clone(), doc));
            break;
        }
    }
    let (from, prm) = metadata.ok_or_else(|| {
        fail(format!(
            "{upstream} publishes no protected resource metadata (RFC 9728); give --authorization-url and --token-url"
        ))
    })?;
    #[derive(Deserialize)]
    struct Prm {
        resource: Option<String>,
        #[serde(default)]
        authorization_servers: Vec<String>,
        #[serde(default)]
        scopes_supported: Vec<String>,
    }
    let prm: Prm = serde_json::from_value(prm).map_err(|e| fail(format!("{from}: {e}")))?;
    let resource = prm.resource.unwrap_or_else(|| upstream.to_string());
    // RFC 9728 §3.3: the metadata must be about the resource that was asked.
    if !same_resource(&resource, upstream) {
        return Err(fail(format!("{from} describes resource {resource:?}, not {upstream}")));
    }
    let issuer =
        prm.authorization_servers.first().ok_or_else(|| fail(format!("{from} names no authorization server")))?;
    let issuer = url::Url::parse(issuer).map_err(|e| fail(format!("{from}: authorization server {issuer:?}: {e}")))?;
    let authorization_server = authorization_server(&issuer, private_ok).await?;
    let scopes = match challenge.scope {
        Some(s) => s.split_whitespace().map(String::from).collect(),
        None => prm.scopes_supported,
    };
    Ok(Discovered { resource, scopes, authorization_server })
}

/// Whether a metadata document's `resource` names `upstream` (ignoring a trailing slash).
fn same_resource(resource: &str, upstream: &url::Url) -> bool {
    url::Url::parse(resource).is_ok_and(|r| r.as_str().trim_end_matches('/') == upstream.as_str().trim_end_matches('/'))
}

/// The metadata of the authorization server `issuer`: RFC 8414 (path-inserted), OpenID
/// discovery (path-inserted, then appended). It must name `issuer` as its issuer.
pub async fn authorization_server(issuer: &url::Url, private_ok: bool) -> Result<AuthorizationServer, OauthError> {
    let mut appended = issuer.clone();
    appended.set_path(&format!("{}/.well-known/openid-configuration", issuer.path().trim_end_matches('/')));
    let candidates = [
        well_known(issuer, "oauth-authorization-server", true),
        well_known(issuer, "openid-configuration", true),
        appended,
    ];
    let mut found = None;
    for url in &candidates {
        if let Some(doc) = get_json(url, private_ok).await? {
            found = Some((url.clone(), doc));
            break;
        }
    }
    let (from, doc) =
        found.ok_or_else(|| fail(format!("authorization server {issuer} publishes no metadata (RFC 8414)")))?;
    #[derive(Deserialize)]
    struct Metadata {
        issuer: String,
        authorization_endpoint: String,
        token_endpoint: String,
        registration_endpoint: Option<String>,
        revocation_endpoint: Option<String>,
        #[serde(default)]
        code_challenge_methods_supported: Vec<String>,
        #[serde(default)]
        authorization_response_iss_parameter_supported: bool,
        #[serde(default)]
        client_id_metadata_document_supported: bool,
        #[serde(default)]
        token_endpoint_auth_methods_supported: Vec<String>,
    }
    let m: Metadata = serde_json::from_value(doc).map_err(|e| fail(format!("{from}: {e}")))?;
    if m.issuer.trim_end_matches('/') != issuer.as_str().trim_end_matches('/') {
        return Err(fail(format!("{from} names issuer {:?}, not {issuer}", m.issuer)));
    }
    if !m.code_challenge_methods_supported.iter().any(|c| c == "S256") {
        return Err(fail(format!("authorization server {issuer} does not advertise PKCE with S256")));
    }
    for endpoint in [&m.authorization_endpoint, &m.token_endpoint] {
        url::Url::parse(endpoint).map_err(|e| fail(format!("{from}: endpoint {endpoint:?}: {e}")))?;
    }
    Ok(AuthorizationServer {
        issuer: m.issuer,
        authorization_endpoint: m.authorization_endpoint,
        token_endpoint: m.token_endpoint,
        registration_endpoint: m.registration_endpoint,
        revocation_endpoint: m.revocation_endpoint,
        iss_parameter: m.authorization_response_iss_parameter_supported,
        client_id_metadata_documents: m.client_id_metadata_document_supported,
        token_endpoint_auth_methods: m.token_endpoint_auth_methods_supported,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_challenge_gives_its_resource_metadata_and_scope() {
        let c = parse_challenge(
            r#"Bearer realm="x", resource_metadata="https://a.example/.well-known/oauth-protected-resource/mcp", scope="files:read files:write", error="invalid_token""#,
        )
        .unwrap();
        assert_eq!(c.resource_metadata.as_deref(), Some("https://a.example/.well-known/oauth-protected-resource/mcp"));
        assert_eq!(c.scope.as_deref(), Some("files:read files:write"));
        assert_eq!(c.error.as_deref(), Some("invalid_token"));
        let t = parse_challenge("Basic realm=\"a\", Bearer error=invalid_token, scope=mcp").unwrap();
        assert_eq!((t.error.as_deref(), t.scope.as_deref()), (Some("invalid_token"), Some("mcp")));
        let escaped = parse_challenge(r#"Bearer scope="a \"b\"""#).unwrap();
        assert_eq!(escaped.scope.as_deref(), Some("a \"b\""));
        assert_eq!(parse_challenge("Basic realm=\"a\""), None);
    }

    #[test]
    fn well_known_locations_are_path_inserted() {
        let u = url::Url::parse("https://h.example/tenant/mcp?x=1").unwrap();
        assert_eq!(
            well_known(&u, "oauth-protected-resource", true).as_str(),
            "https://h.example/.well-known/oauth-protected-resource/tenant/mcp"
        );
        assert_eq!(
            well_known(&u, "oauth-protected-resource", false).as_str(),
            "https://h.example/.well-known/oauth-protected-resource"
        );
        let root = url::Url::parse("https://as.example").unwrap();
        assert_eq!(
            well_known(&root, "oauth-authorization-server", true).as_str(),
            "https://as.example/.well-known/oauth-authorization-server"
        );
    }

    #[test]
    fn metadata_must_describe_the_resource_asked_about() {
        let u = url::Url::parse("https://h.example/mcp").unwrap();
        assert!(same_resource("https://h.example/mcp/", &u));
        assert!(!same_resource("https://evil.example/mcp", &u));
        assert!(!same_resource("https://h.example/other", &u));
    }
}
