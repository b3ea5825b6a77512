//! The `sso` table: the one external OpenID Connect provider users sign in with.

use rusqlite::{Connection, OptionalExtension, params};

/// The stored settings (the client secret still sealed).
#[derive(Debug, Clone)]
pub struct SsoRow {
    pub issuer: String,
    pub client_id: String,
    pub secret_sealed: Vec<u8>,
    pub scopes: Vec<String>,
    pub groups_claim: Option<String>,
    /// IdP group → mcpcp group, sorted by IdP group.
    pub group_map: Vec<(String, String)>,
    pub enabled: bool,
    pub updated_at: String,
}

pub fn get(conn: &Connection) -> rusqlite::Result<Option<SsoRow>> {
    conn.query_row(
        "SELECT issuer, client_id, secret_sealed, scopes, groups_claim, group_map, enabled, updated_at FROM sso WHERE id = 1",
        [],
        |r| {
            let scopes: String = r.get(3)?;
            let map: String = r.get(5)?;
            let map: std::collections::BTreeMap<String, String> = serde_json::from_str(&map).unwrap_or_default();
            Ok(SsoRow {
                issuer: r.get(0)?,
                client_id: r.get(1)?,
                secret_sealed: r.get(2)?,
                scopes: serde_json::from_str(&scopes).unwrap_or_default(),
                groups_claim: r.get(4)?,
                group_map: map.into_iter().collect(),
                enabled: r.get(6)?,
                updated_at: r.get(7)?,
            })
        },
    )
    .optional()
}

pub fn put(conn: &Connection, row: &SsoRow) -> rusqlite::Result<()> {
    let scopes = serde_json::to_string(&row.scopes).unwrap_or_else(|_| "[]".into());
    let map: serde_json::Map<String, serde_json::Value> =
        row.group_map.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
    let map = serde_json::Value::Object(map).to_string();
    conn.execute(
        "INSERT INTO sso (id, issuer, client_id, secret_sealed, scopes, groups_claim, group_map, enabled, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET issuer = ?1, client_id = ?2, secret_sealed = ?3, scopes = ?4,
             groups_claim = ?5, group_map = ?6, enabled = ?7, updated_at = ?8",
        params![
            row.issuer,
            row.client_id,
            row.secret_sealed,
            scopes,
            row.groups_claim,
            map,
            row.enabled,
            row.updated_at
        ],
    )?;
    Ok(())
}

pub fn set_enabled(conn: &Connection, enabled: bool, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE sso SET enabled = ?1, updated_at = ?2 WHERE id = 1", params![enabled, now])?;
    Ok(())
}
