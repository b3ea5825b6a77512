//! The `admins`, `admin_roles`, `admin_bindings`, `admin_idp_bindings`, `admin_tokens` and
//! `admin_token_servers` tables. Admin tokens are kept as digests only.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::{Admin, AdminBinding, AdminToken, IdpBinding, Role, TokenStatus};

// ---- roles ----------------------------------------------------------------------------------

/// A custom role row.
#[derive(Debug, Clone)]
pub struct RoleRow {
    pub id: i64,
    pub role: Role,
}

fn role_from_row(row: &Row<'_>) -> rusqlite::Result<RoleRow> {
    let permissions: String = row.get(3)?;
    Ok(RoleRow {
        id: row.get(0)?,
        role: Role {
            name: row.get(1)?,
            description: row.get(2)?,
            permissions: permissions.split(',').map(String::from).collect(),
            builtin: false,
            created_at: Some(row.get(4)?),
            updated_at: Some(row.get(5)?),
        },
    })
}

const ROLE_SELECT: &str = "SELECT id, name, description, permissions, created_at, updated_at FROM admin_roles";

pub fn role_insert(
    conn: &Connection,
    name: &str,
    description: &str,
    permissions: &[&str],
    now: &str,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO admin_roles (name, description, permissions, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
        params![name, description, permissions.join(","), now],
        |r| r.get(0),
    )
}

pub fn role_get(conn: &Connection, name: &str) -> rusqlite::Result<Option<RoleRow>> {
    conn.query_row(&format!("{ROLE_SELECT} WHERE name = ?1"), [name], role_from_row).optional()
}

pub fn role_list(conn: &Connection) -> rusqlite::Result<Vec<RoleRow>> {
    let mut stmt = conn.prepare(&format!("{ROLE_SELECT} ORDER BY name"))?;
    stmt.query_map([], role_from_row)?.collect()
}

pub fn role_update(
    conn: &Connection,
    id: i64,
    description: &str,
    permissions: &[&str],
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE admin_roles SET description = ?2, permissions = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, description, permissions.join(","), now],
    )?;
    Ok(())
}

pub fn role_delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM admin_roles WHERE id = ?1", [id])?;
    Ok(())
}

/// How many bindings and tokens name a role.
pub fn role_uses(conn: &Connection, name: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM admin_bindings WHERE role = ?1)
              + (SELECT count(*) FROM admin_idp_bindings WHERE role = ?1)
              + (SELECT count(*) FROM admin_tokens WHERE role = ?1 AND revoked_at IS NULL)",
        [name],
        |r| r.get(0),
    )
}

// ---- admins ---------------------------------------------------------------------------------

const ADMIN_SELECT: &str =
    "SELECT id, name, email, password_hash IS NOT NULL, sso_subject, disabled, created_at, updated_at
     FROM admins";

fn admin_from_row(row: &Row<'_>) -> rusqlite::Result<Admin> {
    Ok(Admin {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        has_password: row.get(3)?,
        sso_subject: row.get(4)?,
        disabled: row.get(5)?,
        bindings: Vec::new(),
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

fn with_bindings(conn: &Connection, mut admin: Admin) -> rusqlite::Result<Admin> {
    admin.bindings = bindings_of(conn, admin.id)?.into_iter().map(|b| b.binding).collect();
    Ok(admin)
}

/// A new admin.
#[derive(Debug)]
pub struct NewAdmin<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub sso_subject: Option<&'a str>,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, a: &NewAdmin<'_>) -> rusqlite::Result<i64> {
    conn.query_row(
        "INSERT INTO admins (name, email, password_hash, sso_subject, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
        params![a.name, a.email, a.password_hash, a.sso_subject, a.now],
        |r| r.get(0),
    )
}

pub fn get(conn: &Connection, name: &str) -> rusqlite::Result<Option<Admin>> {
    let admin = conn.query_row(&format!("{ADMIN_SELECT} WHERE name = ?1"), [name], admin_from_row).optional()?;
    admin.map(|a| with_bindings(conn, a)).transpose()
}

pub fn get_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Admin>> {
    let admin = conn.query_row(&format!("{ADMIN_SELECT} WHERE id = ?1"), [id], admin_from_row).optional()?;
    admin.map(|a| with_bindings(conn, a)).transpose()
}

/// The admin bound to one of `subjects`, the first that matches.
pub fn by_subject(conn: &Connection, subjects: &[&str]) -> rusqlite::Result<Option<Admin>> {
    for subject in subjects {
        let found =
            conn.query_row(&format!("{ADMIN_SELECT} WHERE sso_subject = ?1"), [subject], admin_from_row).optional()?;
        if let Some(admin) = found {
            return with_bindings(conn, admin).map(Some);
        }
    }
    Ok(None)
}

pub fn subject_taken(conn: &Connection, subject: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM admins WHERE sso_subject = ?1)", [subject], |r| r.get(0))
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Admin>> {
    let mut stmt = conn.prepare(&format!("{ADMIN_SELECT} ORDER BY name"))?;
    let admins = stmt.query_map([], admin_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    admins.into_iter().map(|a| with_bindings(conn, a)).collect()
}

pub fn set_disabled(conn: &Connection, id: i64, disabled: bool, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE admins SET disabled = ?2, updated_at = ?3 WHERE id = ?1", params![id, disabled, now])?;
    Ok(())
}

pub fn set_password(conn: &Connection, id: i64, hash: &str, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE admins SET password_hash = ?2, updated_at = ?3 WHERE id = ?1", params![id, hash, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM admins WHERE id = ?1", [id])?;
    Ok(())
}

/// The enabled admins holding `role` everywhere (not only on some servers).
pub fn global_holders(conn: &Connection, role: &str) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT a.id FROM admins a JOIN admin_bindings b ON b.admin_id = a.id
         WHERE b.role = ?1 AND b.server_id IS NULL AND a.disabled = 0 ORDER BY a.id",
    )?;
    stmt.query_map([role], |r| r.get(0))?.collect()
}

// ---- bindings -------------------------------------------------------------------------------

/// A binding with the ids the decision needs.
#[derive(Debug, Clone)]
pub struct BindingRow {
    pub binding: AdminBinding,
    pub server_id: Option<i64>,
}

pub fn bindings_of(conn: &Connection, admin_id: i64) -> rusqlite::Result<Vec<BindingRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.role, s.name, b.server_id FROM admin_bindings b LEFT JOIN servers s ON s.id = b.server_id
         WHERE b.admin_id = ?1 ORDER BY b.role, s.name",
    )?;
    stmt.query_map([admin_id], |r| {
        Ok(BindingRow { binding: AdminBinding { role: r.get(0)?, server: r.get(1)? }, server_id: r.get(2)? })
    })?
    .collect()
}

/// Adds a binding; `false` when the admin already holds it.
pub fn bind(conn: &Connection, admin_id: i64, role: &str, server_id: Option<i64>, now: &str) -> rusqlite::Result<bool> {
    let added = conn.execute(
        "INSERT INTO admin_bindings (admin_id, role, server_id, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        params![admin_id, role, server_id, now],
    )?;
    Ok(added == 1)
}

/// Removes a binding; `false` when the admin did not hold it.
pub fn unbind(conn: &Connection, admin_id: i64, role: &str, server_id: Option<i64>) -> rusqlite::Result<bool> {
    let removed = conn.execute(
        "DELETE FROM admin_bindings WHERE admin_id = ?1 AND role = ?2 AND server_id IS ?3",
        params![admin_id, role, server_id],
    )?;
    Ok(removed == 1)
}

pub fn idp_bind(
    conn: &Connection,
    idp_group: &str,
    role: &str,
    server_id: Option<i64>,
    now: &str,
) -> rusqlite::Result<bool> {
    let added = conn.execute(
        "INSERT INTO admin_idp_bindings (idp_group, role, server_id, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        params![idp_group, role, server_id, now],
    )?;
    Ok(added == 1)
}

pub fn idp_unbind(conn: &Connection, idp_group: &str, role: &str, server_id: Option<i64>) -> rusqlite::Result<bool> {
    let removed = conn.execute(
        "DELETE FROM admin_idp_bindings WHERE idp_group = ?1 AND role = ?2 AND server_id IS ?3",
        params![idp_group, role, server_id],
    )?;
    Ok(removed == 1)
}

/// The identity provider groups some role is bound to.
pub fn idp_groups_bound(conn: &Connection) -> rusqlite::Result<std::collections::BTreeSet<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT idp_group FROM admin_idp_bindings")?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// The roles (and their servers) bound to the identity provider groups kept with token
/// `token_id`.
pub fn token_idp_bindings(conn: &Connection, token_id: i64) -> rusqlite::Result<Vec<BindingRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT b.role, s.name, b.server_id FROM admin_token_idp_groups g
         JOIN admin_idp_bindings b ON b.idp_group = g.idp_group LEFT JOIN servers s ON s.id = b.server_id
         WHERE g.token_id = ?1 ORDER BY b.role, s.name",
    )?;
    stmt.query_map([token_id], |r| {
        Ok(BindingRow { binding: AdminBinding { role: r.get(0)?, server: r.get(1)? }, server_id: r.get(2)? })
    })?
    .collect()
}

pub fn idp_bindings(conn: &Connection, role: Option<&str>) -> rusqlite::Result<Vec<IdpBinding>> {
    let mut stmt = conn.prepare(
        "SELECT b.idp_group, b.role, s.name, b.created_at FROM admin_idp_bindings b
         LEFT JOIN servers s ON s.id = b.server_id WHERE ?1 IS NULL OR b.role = ?1
         ORDER BY b.role, b.idp_group, s.name",
    )?;
    stmt.query_map([role], |r| {
        Ok(IdpBinding { idp_group: r.get(0)?, role: r.get(1)?, server: r.get(2)?, created_at: r.get(3)? })
    })?
    .collect()
}

// ---- tokens ---------------------------------------------------------------------------------

/// An admin token to insert.
#[derive(Debug)]
pub struct NewToken<'a> {
    pub admin_id: i64,
    pub name: &'a str,
    pub prefix: &'a str,
    pub hash: &'a str,
    pub role: Option<&'a str>,
    /// `Some`: narrowed to these servers.
    pub servers: Option<&'a [i64]>,
    pub expires_at: Option<&'a str>,
    /// How a sign-in issued it (`sso`); `None` for `admin token create`.
    pub sign_in: Option<&'a str>,
    /// The identity provider groups asserted at that sign-in.
    pub idp_groups: &'a [String],
    pub now: &'a str,
}

const TOKEN_SELECT: &str = "SELECT t.id, a.name, t.name, t.prefix, t.role, t.scoped, t.created_at, t.expires_at,
            t.revoked_at, t.admin_id, t.sign_in
     FROM admin_tokens t JOIN admins a ON a.id = t.admin_id";

/// A token row with the ids its authority is computed from.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub token: AdminToken,
    pub admin_id: i64,
    /// The ids of the servers it is narrowed to.
    pub server_ids: Option<Vec<i64>>,
}

fn token_from_row(conn: &Connection, row: &Row<'_>, now: &str) -> rusqlite::Result<TokenRow> {
    let id: i64 = row.get(0)?;
    let scoped: bool = row.get(5)?;
    let expires_at: Option<String> = row.get(7)?;
    let revoked_at: Option<String> = row.get(8)?;
    let status = if revoked_at.is_some() {
        TokenStatus::Revoked
    } else if expires_at.as_deref().is_some_and(|e| e <= now) {
        TokenStatus::Expired
    } else {
        TokenStatus::Active
    };
    let (servers, server_ids) = if scoped {
        let mut stmt = conn.prepare_cached(
            "SELECT s.name, s.id FROM admin_token_servers ts JOIN servers s ON s.id = ts.server_id
             WHERE ts.token_id = ?1 ORDER BY s.name",
        )?;
        let pairs = stmt
            .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (names, ids) = pairs.into_iter().unzip();
        (Some(names), Some(ids))
    } else {
        (None, None)
    };
    let sign_in: Option<String> = row.get(10)?;
    let idp_groups = if sign_in.is_some() {
        let mut stmt =
            conn.prepare_cached("SELECT idp_group FROM admin_token_idp_groups WHERE token_id = ?1 ORDER BY idp_group")?;
        stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?
    } else {
        Vec::new()
    };
    Ok(TokenRow {
        token: AdminToken {
            id,
            admin: row.get(1)?,
            name: row.get(2)?,
            prefix: row.get(3)?,
            role: row.get(4)?,
            servers,
            status,
            created_at: row.get(6)?,
            expires_at,
            revoked_at,
            sign_in,
            idp_groups,
        },
        admin_id: row.get(9)?,
        server_ids,
    })
}

fn tokens_where(
    conn: &Connection,
    clause: &str,
    param: &dyn rusqlite::ToSql,
    now: &str,
) -> rusqlite::Result<Vec<TokenRow>> {
    let mut stmt = conn.prepare(&format!("{TOKEN_SELECT} WHERE {clause} ORDER BY t.id"))?;
    let mut rows = stmt.query([param])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(token_from_row(conn, row, now)?);
    }
    Ok(out)
}

pub fn token_insert(conn: &Connection, t: &NewToken<'_>) -> rusqlite::Result<i64> {
    let id: i64 = conn.query_row(
        "INSERT INTO admin_tokens (admin_id, name, prefix, hash, role, scoped, created_at, expires_at, sign_in)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        params![t.admin_id, t.name, t.prefix, t.hash, t.role, t.servers.is_some(), t.now, t.expires_at, t.sign_in],
        |r| r.get(0),
    )?;
    for group in t.idp_groups {
        conn.execute(
            "INSERT OR IGNORE INTO admin_token_idp_groups (token_id, idp_group) VALUES (?1, ?2)",
            params![id, group],
        )?;
    }
    for server_id in t.servers.unwrap_or_default() {
        conn.execute("INSERT INTO admin_token_servers (token_id, server_id) VALUES (?1, ?2)", params![id, server_id])?;
    }
    Ok(id)
}

pub fn token_get(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<Option<TokenRow>> {
    Ok(tokens_where(conn, "t.id = ?1", &id, now)?.pop())
}

pub fn token_by_hash(conn: &Connection, hash: &str, now: &str) -> rusqlite::Result<Option<TokenRow>> {
    Ok(tokens_where(conn, "t.hash = ?1", &hash, now)?.pop())
}

/// The tokens of one admin, or of all (`None`).
pub fn token_list(conn: &Connection, admin_id: Option<i64>, now: &str) -> rusqlite::Result<Vec<TokenRow>> {
    tokens_where(conn, "?1 IS NULL OR t.admin_id = ?1", &admin_id, now)
}

pub fn token_name_taken(conn: &Connection, admin_id: i64, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM admin_tokens WHERE admin_id = ?1 AND name = ?2)",
        params![admin_id, name],
        |r| r.get(0),
    )
}

pub fn token_next_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'admin_tokens'), 0) + 1", [], |r| {
        r.get(0)
    })
}

pub fn token_revoke(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE admin_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", params![id, now])?;
    Ok(())
}

/// Revokes every live token of an admin; how many.
pub fn token_revoke_all(conn: &Connection, admin_id: i64, now: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE admin_tokens SET revoked_at = ?2 WHERE admin_id = ?1 AND revoked_at IS NULL",
        params![admin_id, now],
    )
}
