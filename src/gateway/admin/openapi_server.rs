//! OpenAPI servers' documents, read where the operation runs (the CLI's process, or the
//! gateway's through the admin API): a file path (the local CLI only), or an http(s) URL fetched
//! with a bounded size and time. `server create --openapi` (in `upstream::create`) and `server refresh` parse them
//! with `model::openapi` and store the result through `ops::openapi`.

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::model::openapi::{self, MAX_DOCUMENT_BYTES, Selection};
use crate::ops::openapi::{Document, RefreshPlan};
use crate::ops::operation::block_on;
use crate::ops::{Ctx, Error, Result};
use crate::policy::rbac::Permission;

/// How long fetching a document by URL may take, in all.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// `server refresh`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshServer {
    pub server: String,
    /// Read the document from here (a file path or an http(s) URL) from now on [default: where
    /// it was read from].
    #[serde(default)]
    pub openapi: Option<String>,
    /// The document itself, when `openapi` names a file of the caller's machine (the remote CLI
    /// reads it and sends it here).
    #[serde(default)]
    pub openapi_document: Option<String>,
    /// Apply the changes (without it, they are only shown).
    #[serde(default)]
    pub yes: bool,
}

crate::operation!(RefreshServer, Post "/servers/{server}/refresh", SERVER_UPDATE, "Read an OpenAPI server's document again: what changed, applied only with yes", RefreshPlan, |op, stores, ctx| refresh(op, stores, ctx));

fn refresh(op: RefreshServer, stores: &mut dyn crate::ops::operation::Stores, ctx: &Ctx) -> Result<RefreshPlan> {
    let (selection, skip, stored_source) =
        crate::ops::openapi::stored(stores.state()?, ctx, &op.server, Permission::SERVER_UPDATE)?;
    let source = op.openapi.unwrap_or(stored_source);
    let doc = read(&source, op.openapi_document, selection, skip, ctx)?;
    crate::ops::openapi::refresh(stores.state()?, ctx, &op.server, doc, op.yes)
}

/// The document at `source` (a file path or an http(s) URL), read and parsed for `selection`.
/// Through the admin API only a URL: a path would name a file of the gateway's host, which an
/// administrator with `server.create` must not be able to make the gateway read.
pub fn read(
    source: &str,
    sent: Option<String>,
    selection: Selection,
    skip_unsupported: bool,
    ctx: &Ctx,
) -> Result<Document> {
    if !selection.operations.is_empty() && selection.tag.is_some() {
        return Err(Error::Invalid("give --operations or --tag, not both".into()));
    }
    let (source, bytes) = match sent {
        Some(text) if text.len() > MAX_DOCUMENT_BYTES => {
            return Err(Error::Invalid(format!(
                "the OpenAPI document is larger than {} MiB",
                MAX_DOCUMENT_BYTES >> 20
            )));
        }
        Some(text) => (source.to_string(), text.into_bytes()),
        None if ctx.origin.starts_with("api ") && !is_url(source) => {
            return Err(Error::Invalid(format!(
                "--openapi {source:?}: through the admin API, give an http(s) URL or the document itself (a file \
                 path would be read on the gateway's host)"
            )));
        }
        None => fetch(source)?,
    };
    let imported = openapi::import(&bytes, &selection, skip_unsupported)?;
    let hash = crate::secrets::hex(&sha2::Sha256::digest(&bytes));
    Ok(Document { source, hash, selection, skip_unsupported, imported })
}

/// Whether `source` is an http(s) URL (else a file path).
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// The document a file path names, for the remote CLI to send (`openapi_document`): read on the
/// caller's machine, bounded like any document.
/// (the absolute path, as the local CLI stores it; the text).
pub fn read_local(path: &str) -> Result<(String, String)> {
    let (absolute, bytes) = fetch(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Invalid(format!("the OpenAPI document {path:?} is not UTF-8 text")))?;
    Ok((absolute, text))
}

/// (where it is read from, as stored; its bytes).
fn fetch(source: &str) -> Result<(String, Vec<u8>)> {
    let too_large = || Error::Invalid(format!("the OpenAPI document is larger than {} MiB", MAX_DOCUMENT_BYTES >> 20));
    if source.starts_with("http://") || source.starts_with("https://") {
        let url =
            crate::model::parse_upstream_url(source).map_err(|e| Error::Invalid(format!("--openapi: {}", e.0)))?;
        let bytes = block_on(async move {
            let client = reqwest::Client::builder()
                .timeout(FETCH_TIMEOUT)
                .redirect(reqwest::redirect::Policy::limited(5))
                .build()
                .map_err(|e| Error::Internal(e.to_string()))?;
            let failed = |e: reqwest::Error| Error::External(format!("cannot read the OpenAPI document at {url}: {e}"));
            let mut response =
                client.get(url.clone()).header("accept", "application/json").send().await.map_err(failed)?;
            if !response.status().is_success() {
                return Err(Error::External(format!(
                    "cannot read the OpenAPI document at {url}: it answered {}",
                    response.status()
                )));
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(failed)? {
                if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(body)
        })??;
        return Ok((source.to_string(), bytes));
    }
    if source.contains("://") {
        return Err(Error::Invalid(format!("--openapi {source:?}: give a file path or an http(s) URL")));
    }
    let path = std::path::absolute(source).map_err(|e| Error::Invalid(format!("--openapi {source:?}: {e}")))?;
    let unreadable =
        |e: std::io::Error| Error::Invalid(format!("cannot read the OpenAPI document {}: {e}", path.display()));
    let meta = std::fs::metadata(&path).map_err(unreadable)?;
    if meta.len() > MAX_DOCUMENT_BYTES as u64 {
        return Err(too_large());
    }
    let bytes = std::fs::read(&path).map_err(unreadable)?;
    Ok((path.display().to_string(), bytes))
}
