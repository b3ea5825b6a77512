//! The `servers` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::{AuthMethod, CaptureMode, IdentityForward, Server, Transport, UpstreamAuth};

/// A server to insert.
#[derive(Debug)]
pub struct NewServer<'a> {
    pub name: &'a str,
    /// `proxy`, `composed` or `openapi`.
    pub kind: &'a str,
    pub transport: Transport,
    pub url: Option<&'a str>,
    pub command: Option<&'a [String]>,
    pub env_keys: &'a [String],
    pub env_sealed: Option<&'a [u8]>,
    pub auth: AuthMethod,
    pub description: &'a str,
    pub capture: CaptureMode,
    pub upstream: UpstreamCredentials<'a>,
    pub now: &'a str,
}

/// How the gateway authenticates to the upstream: the mode, the header names, and their values
/// sealed.
#[derive(Debug, Clone, Copy)]
pub struct UpstreamCredentials<'a> {
    pub auth: UpstreamAuth,
    pub header_names: &'a [String],
    pub headers_sealed: Option<&'a [u8]>,
}

const COLUMNS: &str = "id, name, kind, transport, url, command, env_keys, auth, description, enabled, created_at,
    updated_at, capture, upstream_auth, upstream_header_names, identity_forward, identity_jwt_header,
    (SELECT json_object('source', d.source, 'hash', d.hash, 'skipped', json(d.skipped))
       FROM openapi_documents d WHERE d.server_id = servers.id)";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Server> {
    let transport: String = row.get(3)?;
    let command: Option<String> = row.get(5)?;
    let env_keys: Option<String> = row.get(6)?;
    let auth: String = row.get(7)?;
    let upstream_auth: String = row.get(13)?;
    let header_names: Option<String> = row.get(14)?;
    Ok(Server {
        id: row.get(0)?,
        name: row.get(1)?,
        kind: row.get(2)?,
        transport: Transport::parse(&transport),
        url: row.get(4)?,
        command: command.map(|c| json_list(&c)),
        env: env_keys.map(|k| json_list(&k)).unwrap_or_default(),
        auth: AuthMethod::parse(&auth).unwrap_or(AuthMethod::ApiToken),
        description: row.get(8)?,
        enabled: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
        capture: CaptureMode::parse(&row.get::<_, String>(12)?).unwrap_or(CaptureMode::Full),
        upstream_auth: UpstreamAuth::parse(&upstream_auth).unwrap_or_default(),
        upstream_headers: header_names.map(|k| json_list(&k)).unwrap_or_default(),
        identity_forward: IdentityForward::parse(&row.get::<_, String>(15)?).unwrap_or_default(),
        identity_jwt_header: row.get(16)?,
        openapi: row.get::<_, Option<String>>(17)?.and_then(|d| serde_json::from_str(&d).ok()),
    })
}

fn json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

fn to_json(list: &[String]) -> String {
    serde_json::Value::from(list.to_vec()).to_string()
}

pub fn insert(conn: &Connection, s: &NewServer<'_>) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO servers (name, transport, url, command, env_keys, env_sealed, auth, description, created_at, updated_at,
           capture, upstream_auth, upstream_header_names, upstream_headers_sealed, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
        params![
            s.name,
            s.transport.as_str(),
            s.url,
            s.command.map(to_json),
            (!s.env_keys.is_empty()).then(|| to_json(s.env_keys)),
            s.env_sealed,
            s.auth.as_str(),
            s.description,
            s.now,
            s.capture.as_str(),
            s.upstream.auth.as_str(),
            (!s.upstream.header_names.is_empty()).then(|| to_json(s.upstream.header_names)),
            s.upstream.headers_sealed,
            s.kind,
        ],
        |r| r.get(0),
    )
}

pub fn get(conn: &Connection, name: &str) -> rusqlite::Result<Option<Server>> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM servers WHERE name = ?1"), [name], from_row).optional()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Server>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM servers ORDER BY name"))?;
    stmt.query_map([], from_row)?.collect()
}

/// The sealed environment of a stdio server, if it has one.
pub fn sealed_env(conn: &Connection, id: i64) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.query_row("SELECT env_sealed FROM servers WHERE id = ?1", [id], |r| r.get(0)).optional().map(Option::flatten)
}

/// Sets what the server's upstream is told about each caller, and the JWT's header.
pub fn set_identity(
    conn: &Connection,
    id: i64,
    forward: IdentityForward,
    jwt_header: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE servers SET identity_forward = ?2, identity_jwt_header = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, forward.as_text(), jwt_header, now],
    )?;
    Ok(())
}

/// Sets how the gateway authenticates to the server's upstream.
pub fn set_upstream(conn: &Connection, id: i64, up: &UpstreamCredentials<'_>, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE servers SET upstream_auth = ?2, upstream_header_names = ?3, upstream_headers_sealed = ?4, updated_at = ?5
         WHERE id = ?1",
        params![
            id,
            up.auth.as_str(),
            (!up.header_names.is_empty()).then(|| to_json(up.header_names)),
            up.headers_sealed,
            now
        ],
    )?;
    Ok(())
}

pub fn rename(conn: &Connection, id: i64, name: &str, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE servers SET name = ?2, updated_at = ?3 WHERE id = ?1", params![id, name, now])?;
    Ok(())
}

pub fn set_enabled(conn: &Connection, id: i64, enabled: bool, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE servers SET enabled = ?2, updated_at = ?3 WHERE id = ?1", params![id, enabled, now])?;
    Ok(())
}

/// Deletes a server; its linked upstream accounts first, while its sign-in settings still say
/// where their tokens are revoked (`upstream_revocations`).
pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    super::connections::delete_for_server(conn, id)?;
    conn.execute("DELETE FROM servers WHERE id = ?1", [id])?;
    Ok(())
}

pub fn set_capture(conn: &Connection, id: i64, capture: CaptureMode, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE servers SET capture = ?2, updated_at = ?3 WHERE id = ?1", params![id, capture.as_str(), now])?;
    Ok(())
}

/// A server's IP rules as (cidr, action), ordered by cidr.
pub fn ip_rules(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT cidr, action FROM server_ip_rules WHERE server_id = ?1 ORDER BY cidr")?;
    stmt.query_map([server_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// Adds or replaces the rule for `cidr`.
pub fn set_ip_rule(conn: &Connection, server_id: i64, cidr: &str, action: &str, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO server_ip_rules (server_id, cidr, action, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (server_id, cidr) DO UPDATE SET action = excluded.action",
        params![server_id, cidr, action, now],
    )?;
    Ok(())
}

/// Removes the rule for `cidr`; whether there was one.
pub fn remove_ip_rule(conn: &Connection, server_id: i64, cidr: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM server_ip_rules WHERE server_id = ?1 AND cidr = ?2", params![server_id, cidr])? > 0)
}

/// A stored rate limit: (scope `server` | `user`, count, period in ms, burst).
pub type RateRow = (String, u32, i64, u32);

pub fn rate_limits(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<RateRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT scope, count, period_ms, burst FROM server_rate_limits WHERE server_id = ?1 ORDER BY scope",
    )?;
    stmt.query_map([server_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect()
}

pub fn set_rate_limit(conn: &Connection, server_id: i64, row: &RateRow, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO server_rate_limits (server_id, scope, count, period_ms, burst, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (server_id, scope) DO UPDATE SET count = excluded.count, period_ms = excluded.period_ms,
             burst = excluded.burst, updated_at = excluded.updated_at",
        params![server_id, row.0, row.1, row.2, row.3, now],
    )?;
    Ok(())
}

pub fn remove_rate_limit(conn: &Connection, server_id: i64, scope: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM server_rate_limits WHERE server_id = ?1 AND scope = ?2", params![server_id, scope])?
        > 0)
}

/// A stored quota: (scope `server` | `user`, count, period, time zone).
pub type QuotaRow = (String, i64, String, String);

pub fn quotas(conn: &Connection, server_id: i64) -> rusqlite::Result<Vec<QuotaRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT scope, count, period, timezone FROM server_quotas WHERE server_id = ?1 ORDER BY scope",
    )?;
    stmt.query_map([server_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect()
}

pub fn set_quota(conn: &Connection, server_id: i64, row: &QuotaRow, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO server_quotas (server_id, scope, count, period, timezone, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (server_id, scope) DO UPDATE SET count = excluded.count, period = excluded.period,
             timezone = excluded.timezone, updated_at = excluded.updated_at",
        params![server_id, row.0, row.1, row.2, row.3, now],
    )?;
    Ok(())
}

pub fn remove_quota(conn: &Connection, server_id: i64, scope: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM server_quotas WHERE server_id = ?1 AND scope = ?2", params![server_id, scope])? > 0)
}

/// How mcpcp signs users in at a server's upstream (`upstream_auth` `oauth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OauthRow {
    pub server_id: i64,
    pub resource: String,
    pub issuer: Option<String>,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub revocation_endpoint: Option<String>,
    pub iss_parameter: bool,
    pub client_id: String,
    pub client_secret_sealed: Option<Vec<u8>>,
    /// `client_secret_basic`, `client_secret_post` or `none`.
    pub auth_method: String,
    /// `admin` (given) or `dynamic` (registered by mcpcp).
    pub registration: String,
    pub scopes: String,
}

const OAUTH_COLUMNS: &str = "server_id, resource, issuer, authorization_endpoint, token_endpoint, revocation_endpoint,
    iss_parameter, client_id, client_secret_sealed, auth_method, registration, scopes";

fn oauth_row(r: &Row<'_>) -> rusqlite::Result<OauthRow> {
    Ok(OauthRow {
        server_id: r.get(0)?,
        resource: r.get(1)?,
        issuer: r.get(2)?,
        authorization_endpoint: r.get(3)?,
        token_endpoint: r.get(4)?,
        revocation_endpoint: r.get(5)?,
        iss_parameter: r.get(6)?,
        client_id: r.get(7)?,
        client_secret_sealed: r.get(8)?,
        auth_method: r.get(9)?,
        registration: r.get(10)?,
        scopes: r.get(11)?,
    })
}

/// Stores (or replaces) a server's upstream sign-in settings.
pub fn set_oauth(conn: &Connection, o: &OauthRow, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO server_upstream_oauth ({OAUTH_COLUMNS}, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        ),
        params![
            o.server_id,
            o.resource,
            o.issuer,
            o.authorization_endpoint,
            o.token_endpoint,
            o.revocation_endpoint,
            o.iss_parameter,
            o.client_id,
            o.client_secret_sealed,
            o.auth_method,
            o.registration,
            o.scopes,
            now
        ],
    )?;
    Ok(())
}

pub fn oauth(conn: &Connection, server_id: i64) -> rusqlite::Result<Option<OauthRow>> {
    conn.query_row(
        &format!("SELECT {OAUTH_COLUMNS} FROM server_upstream_oauth WHERE server_id = ?1"),
        [server_id],
        oauth_row,
    )
    .optional()
}

pub fn all_oauth(conn: &Connection) -> rusqlite::Result<Vec<OauthRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {OAUTH_COLUMNS} FROM server_upstream_oauth"))?;
    stmt.query_map([], oauth_row)?.collect()
}

pub fn delete_oauth(conn: &Connection, server_id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM server_upstream_oauth WHERE server_id = ?1", [server_id])? > 0)
}
