//! Client ID metadata documents (MCP 2025-11-25 basic/authorization, draft-ietf-oauth-client-id-
//! metadata-document): a client whose `client_id` is an HTTPS URL is described by the JSON
//! document at that URL, which mcpcp fetches when the client first asks to authorize.
//!
//! Fetching a URL a stranger chose is a server-side request forgery risk, so: HTTPS only; the host
//! must resolve only to global unicast addresses (`netpolicy`), and the request is pinned to the
//! address that was checked (no second DNS answer, no proxy); no redirects; a short timeout and a
//! small body cap. `client_metadata_private_networks` lifts the address rule (and allows plain
//! HTTP on loopback) for deployments whose clients live inside. The document's redirect URIs are
//! held to the policy of dynamic registration (`oauth::check_redirect_uri`).

use std::time::Duration;

use super::netpolicy;

const TIMEOUT: Duration = Duration::from_secs(5);
/// The largest document accepted (the draft suggests 5 KB; a little headroom).
const MAX_BODY: usize = 16 * 1024;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CimdError(pub String);

/// What mcpcp keeps of a document.
#[derive(Debug, Clone)]
pub struct ClientDocument {
    pub client_name: String,
    pub redirect_uris: Vec<String>,
    /// The document as received, for the record.
    pub raw: String,
}

/// Whether a `client_id` names a metadata document rather than a registered client.
pub fn is_document_id(client_id: &str) -> bool {
    client_id.starts_with("https://") || client_id.starts_with("http://")
}

/// Checks the URL itself: HTTPS (or HTTP on loopback when private networks are allowed), a path,
/// no fragment, no credentials, and written in normal form (so one client has one id).
fn check_url(client_id: &str, private_ok: bool) -> Result<url::Url, CimdError> {
    let bad = |why: &str| CimdError(format!("the client_id URL {why}"));
    let url = url::Url::parse(client_id).map_err(|_| bad("is not a valid URL"))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => return Err(bad("has no host")),
    };
    match url.scheme() {
        "https" => {}
        "http" if private_ok && loopback => {}
        _ => return Err(bad("must use https")),
    }
    if url.path() == "/" || url.path().is_empty() {
        return Err(bad("must have a path"));
    }
    if url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not have a fragment or credentials"));
    }
    if url.as_str() != client_id {
        return Err(bad("is not in normal form"));
    }
    Ok(url)
}

/// Fetches and validates the document at `client_id`.
pub async fn fetch(client_id: &str, private_ok: bool) -> Result<ClientDocument, CimdError> {
    let url = check_url(client_id, private_ok)?;
    let host = url.host_str().unwrap_or_default().to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let addr = netpolicy::resolve_checked(&host, port, private_ok, TIMEOUT)
        .await
        .map_err(|why| CimdError(format!("the client_id host is {why}")))?;
    let client = netpolicy::pinned_client(&host, addr, TIMEOUT).map_err(CimdError)?;
    let mut resp = client
        .get(url.as_str())
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| CimdError(format!("cannot fetch the client metadata document: {e}")))?;
    if resp.status() != reqwest::StatusCode::OK {
        return Err(CimdError(format!("fetching the client metadata document answered {}", resp.status())));
    }
    let mut body = Vec::new();
    while let Some(chunk) =
        resp.chunk().await.map_err(|e| CimdError(format!("reading the client metadata document: {e}")))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(CimdError(format!("the client metadata document is larger than {MAX_BODY} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    parse(client_id, &body)
}

/// Validates a document's content against the URL it came from.
pub fn parse(client_id: &str, body: &[u8]) -> Result<ClientDocument, CimdError> {
    let doc: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| CimdError(format!("the client metadata document is not JSON: {e}")))?;
    let obj = doc.as_object().ok_or_else(|| CimdError("the client metadata document is not a JSON object".into()))?;
    if obj.get("client_id").and_then(|v| v.as_str()) != Some(client_id) {
        return Err(CimdError("the document's client_id is not the URL it was fetched from".into()));
    }
    let uris: Vec<String> = obj
        .get("redirect_uris")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|u| u.as_str().map(String::from)).collect())
        .unwrap_or_default();
    if uris.is_empty() {
        return Err(CimdError("the client metadata document lists no redirect_uris".into()));
    }
    // The same policy as dynamic registration: a document is a registration by another route.
    for u in &uris {
        crate::identity::oauth::check_redirect_uri(u).map_err(|why| CimdError(format!("redirect URI {why}")))?;
    }
    match obj.get("token_endpoint_auth_method").and_then(|v| v.as_str()) {
        None | Some("none") => {}
        Some(other) => {
            return Err(CimdError(format!(
                "token_endpoint_auth_method {other:?} is not supported for metadata documents"
            )));
        }
    }
    let name = obj
        .get("client_name")
        .and_then(|v| v.as_str())
        .map(|s| s.chars().take(200).collect::<String>())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| client_id.to_string());
    Ok(ClientDocument { client_name: name, redirect_uris: uris, raw: String::from_utf8_lossy(body).into_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_url() {
        assert!(check_url("https://app.example/client.json", false).is_ok());
        for bad in [
            "http://app.example/client.json",
            "https://app.example/",
            "https://app.example",
            "https://u:p@app.example/c.json",
            "https://app.example/c.json#x",
            "https://APP.example/c.json",
            "http://127.0.0.1:9/c.json",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:9/c.json", true).is_ok());
        assert!(check_url("http://10.0.0.1/c.json", true).is_err());
    }

    #[test]
    fn validates_the_document() {
        let id = "https://app.example/c.json";
        let ok = format!(r#"{{"client_id":"{id}","client_name":"App","redirect_uris":["http://127.0.0.1/cb"]}}"#);
        assert_eq!(parse(id, ok.as_bytes()).map(|d| d.client_name).unwrap_or_default(), "App");
        for bad in [
            r#"{"client_id":"https://other.example/c.json","redirect_uris":["http://127.0.0.1/cb"]}"#.to_string(),
            format!(r#"{{"client_id":"{id}","redirect_uris":[]}}"#),
            format!(r#"{{"client_id":"{id}","redirect_uris":["http://127.0.0.1/cb#f"]}}"#),
            format!(r#"{{"client_id":"{id}","redirect_uris":["http://evil.example/cb"]}}"#),
            format!(r#"{{"client_id":"{id}","redirect_uris":["http://127.0.0.1/cb","javascript:alert(1)"]}}"#),
            format!(r#"{{"client_id":"{id}","redirect_uris":["JavaScript:alert(1)"]}}"#),
            format!(r#"{{"client_id":"{id}","redirect_uris":["data:text/html,x"]}}"#),
            format!(r#"{{"client_id":"{id}","redirect_uris":["file:///etc/passwd"]}}"#),
            format!(r#"{{"client_id":"{id}","redirect_uris":["vbscript:x"]}}"#),
            format!(r#"{{"client_id":"{id}","redirect_uris":["https://u@app.example/cb"]}}"#),
            format!(
                r#"{{"client_id":"{id}","redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"private_key_jwt"}}"#
            ),
            "[]".to_string(),
            "not json".to_string(),
        ] {
            assert!(parse(id, bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
