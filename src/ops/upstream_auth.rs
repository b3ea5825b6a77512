//! How the gateway authenticates to a server's upstream: no credential, static headers (sealed,
//! never shown), or each user's own sign-in at the upstream's authorization server. Every change
//! is audited (`server.upstream_auth`) in the transaction that makes it; values and secrets
//! appear in the audit trail only as changed.

use std::collections::BTreeMap;

use super::server::find;
use super::{AuditRecord, Changes, Ctx, Error, Result, mutate};
use crate::model::{Server, Transport, UpstreamAuth, parse_upstream_header};
use crate::policy::rbac::Permission;
use crate::secrets::{SealKey, purpose};
use crate::store::{self, Db};

/// How the gateway is to authenticate to a server's upstream.
#[derive(Debug, Default)]
pub enum UpstreamAuthSpec {
    #[default]
    None,
    /// Static headers: (name, value) pairs; values are credentials.
    Headers(Vec<(String, crate::secrets::Secret)>),
    /// Each user signs in at the upstream's authorization server.
    Oauth(Box<UpstreamOauthSetup>),
}

/// Checked and sealed upstream credentials, ready to store.
pub(crate) struct SealedUpstream {
    pub(crate) auth: UpstreamAuth,
    pub(crate) names: Vec<String>,
    pub(crate) sealed: Option<Vec<u8>>,
    /// The upstream sign-in settings to store (its `server_id` set once the server exists).
    pub(crate) oauth: Option<store::servers::OauthRow>,
}

impl SealedUpstream {
    pub(crate) fn row(&self) -> store::servers::UpstreamCredentials<'_> {
        store::servers::UpstreamCredentials {
            auth: self.auth,
            header_names: &self.names,
            headers_sealed: self.sealed.as_deref(),
        }
    }
}

/// Checks the headers (names the gateway may set, values that fit a header, no name twice) and
/// seals their values.
pub(crate) fn seal_upstream(key: &SealKey, spec: UpstreamAuthSpec) -> Result<SealedUpstream> {
    let headers = match spec {
        UpstreamAuthSpec::None => {
            return Ok(SealedUpstream { auth: UpstreamAuth::None, names: Vec::new(), sealed: None, oauth: None });
        }
        UpstreamAuthSpec::Oauth(setup) => {
            let row = oauth_row(key, 0, &setup)?;
            return Ok(SealedUpstream { auth: UpstreamAuth::Oauth, names: Vec::new(), sealed: None, oauth: Some(row) });
        }
        UpstreamAuthSpec::Headers(headers) => headers,
    };
    if headers.is_empty() {
        return Err(Error::Invalid("--upstream-auth header needs at least one --header NAME".into()));
    }
    let mut values = BTreeMap::new();
    for (name, value) in &headers {
        let (name, value) = parse_upstream_header(name, value.expose())?;
        if values.insert(name.clone(), value).is_some() {
            return Err(Error::Invalid(format!("--header {name} is given twice")));
        }
    }
    let plain = serde_json::to_vec(&values).map_err(|e| Error::Internal(e.to_string()))?;
    let sealed = key.seal(purpose::SERVER_UPSTREAM_HEADERS, &plain).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(SealedUpstream {
        auth: UpstreamAuth::Header,
        names: values.into_keys().collect(),
        sealed: Some(sealed),
        oauth: None,
    })
}

/// Changes how the gateway authenticates to a server's upstream. Live sessions of the server end
/// (their upstream connections carry the old credential); clients start new ones.
pub fn set_upstream_auth(db: &mut Db, ctx: &Ctx, key: &SealKey, name: &str, spec: UpstreamAuthSpec) -> Result<Server> {
    if let UpstreamAuthSpec::Oauth(setup) = spec {
        return set_upstream_oauth(db, ctx, key, name, *setup);
    }
    let upstream = seal_upstream(key, spec)?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let before = find(tx, name)?;
        ctx.require(Permission::SERVER_UPDATE, before.id, || format!("no server named {name:?}"))?;
        if before.transport == Transport::None && upstream.auth != UpstreamAuth::None {
            return Err(Error::Invalid(format!(
                "server {name:?} is composed: it has no upstream of its own (its tools call their source servers \
                 with those servers' credentials)"
            )));
        }
        if before.transport == Transport::Stdio && upstream.auth != UpstreamAuth::None {
            return Err(Error::Invalid(format!(
                "server {name:?} runs a command: give it credentials with --env, not --upstream-auth"
            )));
        }
        if before.upstream_auth == UpstreamAuth::None && upstream.auth == UpstreamAuth::None {
            return Err(Error::Invalid(format!("server {name:?} already sends no upstream credential")));
        }
        store::servers::set_upstream(tx, before.id, &upstream.row(), &now)?;
        let after = find(tx, name)?;
        let mut changes = Changes::new().field("upstream_auth", before.upstream_auth, after.upstream_auth).field(
            "upstream_headers",
            &before.upstream_headers,
            &after.upstream_headers,
        );
        if upstream.sealed.is_some() {
            changes = changes.secret("upstream_header_values");
        }
        changes = leave_oauth(tx, before.id, changes)?;
        Ok((after, AuditRecord::new("server.upstream_auth", "server", before.id, name, changes)))
    })
}

/// Forgets how users signed in at the upstream, and the accounts they linked there.
/// The connections go first: their tokens are queued for revocation with the settings that
/// say where (`upstream_revocations`).
fn leave_oauth(tx: &store::Connection, server_id: i64, mut changes: Changes) -> Result<Changes> {
    let removed = store::connections::delete_for_server(tx, server_id)?;
    if removed > 0 {
        changes = changes.field("upstream_connections_removed", 0, removed);
    }
    if let Some(old) = store::servers::oauth(tx, server_id)? {
        store::servers::delete_oauth(tx, server_id)?;
        changes = changes.field("upstream_oauth", oauth_view(&old), Option::<serde_json::Value>::None);
    }
    Ok(changes)
}

/// What the audit trail keeps of a server's upstream sign-in settings (never the secret).
pub(crate) fn oauth_view(o: &store::servers::OauthRow) -> serde_json::Value {
    serde_json::json!({
        "resource": o.resource,
        "issuer": o.issuer,
        "authorization_endpoint": o.authorization_endpoint,
        "token_endpoint": o.token_endpoint,
        "client_id": o.client_id,
        "auth_method": o.auth_method,
        "registration": o.registration,
        "scopes": o.scopes,
    })
}

/// How mcpcp is to sign users in at a server's upstream: the authorization server (found by
/// discovery or given by an administrator) and mcpcp's client there.
#[derive(Debug)]
pub struct UpstreamOauthSetup {
    pub resource: String,
    pub issuer: Option<String>,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub revocation_endpoint: Option<String>,
    pub iss_parameter: bool,
    pub client_id: String,
    pub client_secret: Option<crate::secrets::Secret>,
    /// `client_secret_basic`, `client_secret_post` or `none`.
    pub auth_method: String,
    /// How the client came to be: `admin` (given), `metadata_document` (mcpcp's client ID
    /// metadata document is the client) or `dynamic` (registered, RFC 7591).
    pub registration: &'static str,
    pub scopes: Vec<String>,
}

/// Checks what an administrator or discovery gave: http(s) endpoints, a usable client id, and a
/// secret exactly when the auth method needs one.
fn check_oauth(o: &UpstreamOauthSetup) -> Result<()> {
    for (what, url) in [("authorization endpoint", &o.authorization_endpoint), ("token endpoint", &o.token_endpoint)] {
        let parsed = url::Url::parse(url).map_err(|e| Error::Invalid(format!("{what} {url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "https" | "http") {
            return Err(Error::Invalid(format!("{what} {url:?} is not an http(s) URL")));
        }
    }
    if o.client_id.is_empty() || o.client_id.len() > 1024 || o.client_id.chars().any(char::is_control) {
        return Err(Error::Invalid("the client id must be 1-1024 characters without control characters".into()));
    }
    if o.registration == "metadata_document" && o.auth_method != "none" {
        return Err(Error::Invalid("a client ID metadata document names a public client (auth method none)".into()));
    }
    match (o.auth_method.as_str(), &o.client_secret) {
        ("none", None) | ("client_secret_basic" | "client_secret_post", Some(_)) => Ok(()),
        ("none", Some(_)) => Err(Error::Invalid("a public client (auth method none) has no secret".into())),
        ("client_secret_basic" | "client_secret_post", None) => {
            Err(Error::Invalid(format!("auth method {} needs the client secret", o.auth_method)))
        }
        (other, _) => Err(Error::Invalid(format!("unknown token endpoint auth method {other:?}"))),
    }
}

/// Checks the settings and seals the client secret: the row to store for `server_id`.
fn oauth_row(key: &SealKey, server_id: i64, o: &UpstreamOauthSetup) -> Result<store::servers::OauthRow> {
    check_oauth(o)?;
    let client_secret_sealed = o
        .client_secret
        .as_ref()
        .map(|secret| key.seal(purpose::UPSTREAM_CLIENT_SECRET, secret.expose().as_bytes()))
        .transpose()
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(store::servers::OauthRow {
        server_id,
        resource: o.resource.clone(),
        issuer: o.issuer.clone(),
        authorization_endpoint: o.authorization_endpoint.clone(),
        token_endpoint: o.token_endpoint.clone(),
        revocation_endpoint: o.revocation_endpoint.clone(),
        iss_parameter: o.iss_parameter,
        client_id: o.client_id.clone(),
        client_secret_sealed,
        auth_method: o.auth_method.clone(),
        registration: o.registration.to_string(),
        scopes: o.scopes.join(" "),
    })
}

/// Makes a `--url` server sign each user in at its upstream (`upstream_auth` `oauth`). Accounts
/// users linked stay only if the authorization server and client stay the same.
pub fn set_upstream_oauth(db: &mut Db, ctx: &Ctx, key: &SealKey, name: &str, o: UpstreamOauthSetup) -> Result<Server> {
    let mut row = oauth_row(key, 0, &o)?;
    let sealed = row.client_secret_sealed.clone();
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let before = find(tx, name)?;
        ctx.require(Permission::SERVER_UPDATE, before.id, || format!("no server named {name:?}"))?;
        if before.transport == Transport::None {
            return Err(Error::Invalid(format!("server {name:?} is composed: it has no upstream to sign in at")));
        }
        if before.transport == Transport::Stdio {
            return Err(Error::Invalid(format!("server {name:?} runs a command: users cannot sign in at it")));
        }
        let old = store::servers::oauth(tx, before.id)?;
        row.server_id = before.id;
        let mut changes = Changes::new();
        // Links made with another authorization server or client are not this one's.
        let same_client = old.as_ref().is_some_and(|p| p.issuer == row.issuer && p.client_id == row.client_id);
        if !same_client {
            let removed = store::connections::delete_for_server(tx, before.id)?;
            if removed > 0 {
                changes = changes.field("upstream_connections_removed", 0, removed);
            }
        }
        store::servers::set_oauth(tx, &row, &now)?;
        let credentials =
            store::servers::UpstreamCredentials { auth: UpstreamAuth::Oauth, header_names: &[], headers_sealed: None };
        store::servers::set_upstream(tx, before.id, &credentials, &now)?;
        let after = find(tx, name)?;
        changes = changes
            .field("upstream_auth", before.upstream_auth, after.upstream_auth)
            .field("upstream_headers", &before.upstream_headers, &after.upstream_headers)
            .field("upstream_oauth", old.as_ref().map(oauth_view), oauth_view(&row));
        if sealed.is_some() {
            changes = changes.secret("upstream_client_secret");
        }
        Ok((after, AuditRecord::new("server.upstream_auth", "server", before.id, name, changes)))
    })
}
