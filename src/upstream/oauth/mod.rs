//! OAuth 2.1 toward an upstream MCP server, with mcpcp as the client: finding the upstream's
//! authorization server the way an MCP client must (`discovery`) and registering with it
//! (`registration`). Everything fetched is bounded in size and time, and a URL the network
//! named is fetched only from a public address unless the upstream itself is on a private one
//! (an internal upstream naming an internal authorization server is normal; a public one naming
//! an internal address is not).

pub mod discovery;
pub mod registration;
pub mod shared_link;
pub mod token;

use std::time::Duration;

use crate::identity::netpolicy;

/// How long one request to an upstream's authorization metadata or registration may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The largest metadata document or registration answer read.
const MAX_BODY: usize = 64 * 1024;

/// Why the upstream's authorization could not be discovered or used: a message naming the
/// problem, for the operator (it may name the upstream's URLs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OauthError(pub String);

fn fail(message: impl Into<String>) -> OauthError {
    OauthError(message.into())
}

/// Whether URLs the upstream names may be on private addresses: only if the upstream's own
/// host is on one.
pub async fn private_ok(upstream: &url::Url) -> bool {
    let Some(host) = upstream.host_str() else { return false };
    let port = upstream.port_or_known_default().unwrap_or(443);
    netpolicy::resolve_checked(host, port, false, TIMEOUT).await.is_err()
}

/// One bounded request to a URL the network named: the host resolved once and checked, the
/// request pinned to that address, no redirects. Returns the status, headers and body.
async fn send(
    url: &url::Url,
    private_ok: bool,
    build: impl FnOnce(&reqwest::Client) -> reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>), OauthError> {
    if !matches!(url.scheme(), "https" | "http") {
        return Err(fail(format!("{url} is not an http(s) URL")));
    }
    if url.scheme() == "http" && !private_ok {
        return Err(fail(format!("{url} is not https")));
    }
    let host = url.host_str().ok_or_else(|| fail(format!("{url} names no host")))?;
    let port = url.port_or_known_default().unwrap_or(443);
    let addr = netpolicy::resolve_checked(host, port, private_ok, TIMEOUT)
        .await
        .map_err(|why| fail(format!("{url}: the host is {why}")))?;
    let client = netpolicy::pinned_client(host, addr, TIMEOUT).map_err(fail)?;
    let mut response = build(&client).send().await.map_err(|e| fail(format!("cannot reach {url}: {e}")))?;
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| fail(format!("reading {url}: {e}")))? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(fail(format!("{url} answered more than {MAX_BODY} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, headers, body))
}

/// A JSON object fetched with GET; `None` for a 404 (the next well-known location may have it).
async fn get_json(url: &url::Url, private_ok: bool) -> Result<Option<serde_json::Value>, OauthError> {
    let (status, _, body) =
        send(url, private_ok, |c| c.get(url.as_str()).header(reqwest::header::ACCEPT, "application/json")).await?;
    if status == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !status.is_success() {
        return Err(fail(format!("{url} answered HTTP {status}")));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| fail(format!("{url} did not answer JSON: {e}")))?;
    if !value.is_object() {
        return Err(fail(format!("{url} did not answer a JSON object")));
    }
    Ok(Some(value))
}
