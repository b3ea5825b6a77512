//! Reads everything the gateway serves from in one consistent transaction: servers, their tools
//! (and composed servers' tools),
//! the API tokens that are still valid, users with their groups, and the identity signing keys.

use rusqlite::Connection;

use crate::model::{AuthMethod, CaptureMode, IdentityForward, ToolState, Transport, UpstreamAuth};

/// A server row as the gateway needs it (secrets still sealed).
#[derive(Debug, Clone)]
pub struct ServerRow {
    pub id: i64,
    pub name: String,
    pub transport: Transport,
    pub url: Option<String>,
    pub command: Vec<String>,
    pub env_sealed: Option<Vec<u8>>,
    pub auth: AuthMethod,
    pub enabled: bool,
    pub capture: CaptureMode,
    /// (cidr, `allow` | `deny`).
    pub ip_rules: Vec<(String, String)>,
    pub rate_limits: Vec<super::servers::RateRow>,
    pub quotas: Vec<super::servers::QuotaRow>,
    pub upstream_auth: UpstreamAuth,
    pub upstream_headers_sealed: Option<Vec<u8>>,
    pub upstream_oauth: Option<super::servers::OauthRow>,
    pub identity_forward: IdentityForward,
    pub identity_jwt_header: String,
    /// `proxy`, `composed` or `openapi`.
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct ToolRow {
    pub server_id: i64,
    pub name: String,
    pub state: ToolState,
    /// The stored definition, as a `tools/list` entry, for a started tool of a server whose
    /// users sign in upstream (the gateway lists those before a user has linked an account) or
    /// of an OpenAPI server (whose tools the gateway lists itself).
    pub definition: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: i64,
    pub server_id: i64,
    pub name: String,
    pub hash: String,
    pub expires_at: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub disabled: bool,
}

/// An access token mcpcp issued, with what its grant says.
#[derive(Debug, Clone)]
pub struct AccessRow {
    pub hash: String,
    pub grant_id: i64,
    pub user_id: i64,
    pub server_id: i64,
    pub method: String,
    pub expires_at: String,
}

#[derive(Debug, Default)]
pub struct Rows {
    pub generation: i64,
    pub servers: Vec<ServerRow>,
    pub tools: Vec<ToolRow>,
    pub tokens: Vec<TokenRow>,
    pub users: Vec<UserRow>,
    /// (user id, server id, tools) for every group that lets a user reach a server: `tools` the
    /// JSON array of the tools it grants, `None` for all of them.
    pub reach: Vec<(i64, i64, Option<String>)>,
    pub access: Vec<AccessRow>,
    /// Grants neither revoked nor past their absolute expiry.
    pub live_grants: Vec<i64>,
    /// Linked upstream accounts.
    pub connections: Vec<ConnectionRow>,
    /// (user id, group id, group name) for every membership.
    pub memberships: Vec<(i64, i64, String)>,
    /// The identity signing keys, current and retired.
    pub signing_keys: Vec<super::signing_keys::KeyRow>,
    /// The tools of composed servers, with their source tools as stored.
    pub composed: Vec<super::composed::ComposedRow>,
    /// The operations of OpenAPI servers: (server id, tool, operation JSON).
    pub openapi: Vec<(i64, String, String)>,
}

/// A linked upstream account, its tokens sealed.
#[derive(Debug, Clone)]
pub struct ConnectionRow {
    pub server_id: i64,
    pub user_id: Option<i64>,
    pub tokens_sealed: Vec<u8>,
    pub expires_at: Option<String>,
    /// When the tokens were issued: the last refresh, else the link.
    pub issued_at: String,
    /// The upstream account, when the upstream said it.
    pub subject: Option<String>,
}

/// Loads the rows; revoked tokens are left out (expiry is checked per request against the clock).
pub fn load(conn: &Connection) -> rusqlite::Result<Rows> {
    let generation = super::generation(conn)?;
    let mut stmt = conn.prepare(
        "SELECT id, name, transport, url, command, env_sealed, auth, enabled, capture, upstream_auth,
               upstream_headers_sealed, identity_forward, identity_jwt_header, kind FROM servers",
    )?;
    let servers = stmt
        .query_map([], |r| {
            let transport: String = r.get(2)?;
            let command: Option<String> = r.get(4)?;
            let auth: String = r.get(6)?;
            Ok(ServerRow {
                id: r.get(0)?,
                name: r.get(1)?,
                transport: Transport::parse(&transport),
                url: r.get(3)?,
                command: command.and_then(|c| serde_json::from_str(&c).ok()).unwrap_or_default(),
                env_sealed: r.get(5)?,
                auth: AuthMethod::parse(&auth).unwrap_or(AuthMethod::ApiToken),
                enabled: r.get(7)?,
                capture: CaptureMode::parse(&r.get::<_, String>(8)?).unwrap_or(CaptureMode::Full),
                ip_rules: Vec::new(),
                rate_limits: Vec::new(),
                quotas: Vec::new(),
                upstream_auth: UpstreamAuth::parse(&r.get::<_, String>(9)?).unwrap_or_default(),
                upstream_headers_sealed: r.get(10)?,
                upstream_oauth: None,
                identity_forward: IdentityForward::parse(&r.get::<_, String>(11)?).unwrap_or_default(),
                identity_jwt_header: r.get(12)?,
                kind: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut servers = servers;
    for row in super::servers::all_oauth(conn)? {
        if let Some(s) = servers.iter_mut().find(|s| s.id == row.server_id) {
            s.upstream_oauth = Some(row);
        }
    }
    let mut stmt = conn.prepare("SELECT server_id, cidr, action FROM server_ip_rules")?;
    let rules = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (server_id, cidr, action) in rules {
        if let Some(s) = servers.iter_mut().find(|s| s.id == server_id) {
            s.ip_rules.push((cidr, action));
        }
    }
    let mut stmt = conn.prepare("SELECT server_id, scope, count, period_ms, burst FROM server_rate_limits")?;
    let limits = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (server_id, row) in limits {
        if let Some(s) = servers.iter_mut().find(|s| s.id == server_id) {
            s.rate_limits.push(row);
        }
    }
    let mut stmt = conn.prepare("SELECT server_id, scope, count, period, timezone FROM server_quotas")?;
    let quotas = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (server_id, row) in quotas {
        if let Some(s) = servers.iter_mut().find(|s| s.id == server_id) {
            s.quotas.push(row);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT t.server_id, t.name, t.state, s.upstream_auth = 'oauth' OR s.kind = 'openapi', t.title, t.description, t.input_schema
         FROM tools t JOIN servers s ON s.id = t.server_id ORDER BY t.server_id, t.name",
    )?;
    let tools = stmt
        .query_map([], |r| {
            let state = ToolState::parse(&r.get::<_, String>(2)?).unwrap_or(ToolState::Stopped);
            let name: String = r.get(1)?;
            let definition = if r.get(3)? && state == ToolState::Started {
                let (title, description, schema) =
                    (r.get::<_, Option<String>>(4)?, r.get::<_, String>(5)?, r.get::<_, String>(6)?);
                Some(tool_entry(&name, title.as_deref(), &description, &schema))
            } else {
                None
            };
            Ok(ToolRow { server_id: r.get(0)?, name, state, definition })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare("SELECT id, server_id, name, hash, expires_at FROM tokens WHERE revoked_at IS NULL")?;
    let tokens = stmt
        .query_map([], |r| {
            Ok(TokenRow {
                id: r.get(0)?,
                server_id: r.get(1)?,
                name: r.get(2)?,
                hash: r.get(3)?,
                expires_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare("SELECT id, name, email, disabled FROM users")?;
    let users = stmt
        .query_map([], |r| Ok(UserRow { id: r.get(0)?, name: r.get(1)?, email: r.get(2)?, disabled: r.get(3)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT m.user_id, g.id, g.name FROM group_members m JOIN groups g ON g.id = m.group_id ORDER BY m.user_id, g.name",
    )?;
    let memberships =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let signing_keys = super::signing_keys::all(conn)?;
    let mut stmt = conn.prepare(
        "SELECT m.user_id, s.server_id, s.tools FROM group_members m JOIN group_servers s ON s.group_id = m.group_id",
    )?;
    let reach = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    // Access tokens of live grants that have not expired (an hour of slack for clock skew).
    let mut stmt = conn.prepare(
        "SELECT t.hash, t.grant_id, g.user_id, g.server_id, g.method, t.expires_at
         FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id
         WHERE t.kind = 'access' AND g.revoked_at IS NULL AND t.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour')",
    )?;
    let access = stmt
        .query_map([], |r| {
            Ok(AccessRow {
                hash: r.get(0)?,
                grant_id: r.get(1)?,
                user_id: r.get(2)?,
                server_id: r.get(3)?,
                method: r.get(4)?,
                expires_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT id FROM oauth_grants WHERE revoked_at IS NULL AND expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )?;
    let live_grants = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT server_id, user_id, tokens_sealed, expires_at, COALESCE(refreshed_at, created_at), subject
             FROM upstream_connections",
    )?;
    let connections = stmt
        .query_map([], |r| {
            Ok(ConnectionRow {
                server_id: r.get(0)?,
                user_id: r.get(1)?,
                tokens_sealed: r.get(2)?,
                expires_at: r.get(3)?,
                issued_at: r.get(4)?,
                subject: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let composed = super::composed::rows(conn)?;
    let openapi = super::openapi::all_operations(conn)?;
    Ok(Rows {
        composed,
        openapi,
        generation,
        servers,
        tools,
        tokens,
        users,
        reach,
        access,
        live_grants,
        connections,
        memberships,
        signing_keys,
    })
}

/// `PRAGMA data_version`: changes whenever another connection commits to the database.
pub fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
}

/// A `tools/list` entry from a stored definition (a schema that is not JSON becomes `{}`).
fn tool_entry(name: &str, title: Option<&str>, description: &str, schema: &str) -> String {
    let schema: serde_json::Value =
        serde_json::from_str(schema).unwrap_or_else(|_| serde_json::json!({ "type": "object" }));
    let mut entry = serde_json::json!({ "name": name, "description": description, "inputSchema": schema });
    if let Some(title) = title {
        entry["title"] = title.into();
    }
    entry.to_string()
}
