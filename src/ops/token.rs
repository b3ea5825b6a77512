//! API token operations: create (the secret is returned once), list, revoke.

use serde::{Deserialize, Serialize};

use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query, server::find};
use crate::identity::token;
use crate::model::{Token, TokenStatus, parse_duration};
use crate::policy::rbac::Permission;
use crate::secrets::Secret;
use crate::store::{self, Db};

/// `token create`: a token for one server.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    pub server: String,
    #[serde(default)]
    pub name: Option<String>,
    /// A duration such as `30d`; `None` never expires.
    #[serde(default)]
    pub expires: Option<String>,
}

/// `token list`: the tokens of one server, or of every server the caller sees.
#[derive(Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListTokens {
    #[serde(default)]
    pub server: Option<String>,
}

/// `token revoke`.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeToken {
    pub id: String,
}

crate::operation!(CreateToken, Post "/servers/{server}/tokens", TOKEN_MANAGE, "Create an API token for a server (its secret is in the answer, once)", CreatedToken, |op, stores, ctx| create(stores.state()?, ctx, op));
crate::operation!(ListTokens, Get "/tokens", SERVER_READ, "List API tokens (never their secrets)", Vec<Token>, |op, stores, ctx| list(stores.state()?, ctx, op.server.as_deref()));
crate::operation!(RevokeToken, Delete "/tokens/{id}", TOKEN_MANAGE, "Revoke an API token", Token, |op, stores, ctx| revoke(stores.state()?, ctx, &op.id));

/// A created token and its secret, which exists nowhere else.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: Token,
    /// The secret, shown once.
    #[serde(rename = "token", with = "crate::secrets::wire::one")]
    #[schemars(with = "String")]
    pub secret: Secret,
}

fn check_name(name: &str) -> Result<()> {
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "invalid token name {name:?}: use 1-63 letters, digits and '.', '_', '-', starting with a letter or digit"
        )))
    }
}

pub fn create(db: &mut Db, ctx: &Ctx, req: CreateToken) -> Result<CreatedToken> {
    if let Some(name) = &req.name {
        check_name(name)?;
    }
    let expires_at = match &req.expires {
        Some(raw) => Some(store::timestamp(ctx.now + parse_duration(raw)?)),
        None => None,
    };
    let minted = token::mint().map_err(|e| Error::Internal(e.to_string()))?;
    let now = ctx.timestamp();
    let created_by = format!("{}:{}", ctx.actor.kind, ctx.actor.name);
    mutate(db, ctx, |tx| {
        let server = find(tx, &req.server)?;
        ctx.require(Permission::TOKEN_MANAGE, server.id, || format!("no server named {:?}", req.server))?;
        let name = match &req.name {
            Some(n) => n.clone(),
            None => format!("token-{}", store::tokens::next_id(tx)?),
        };
        if store::tokens::name_taken(tx, server.id, &name)? {
            return Err(Error::Conflict(format!("server {:?} already has a token named {name:?}", server.name)));
        }
        let id = store::tokens::insert(
            tx,
            &store::tokens::NewToken {
                server_id: server.id,
                name: &name,
                prefix: &minted.prefix,
                hash: &minted.hash,
                created_by: &created_by,
                expires_at: expires_at.as_deref(),
                now: &now,
            },
        )?;
        let token = store::tokens::get(tx, id, &now)?.ok_or_else(|| Error::Internal("token vanished".into()))?;
        let changes = Changes::new()
            .field("server", None::<&str>, &server.name)
            .field("name", None::<&str>, &name)
            .field("prefix", None::<&str>, &minted.prefix)
            .field("expires_at", None::<&str>, &expires_at)
            .secret("secret");
        let record = AuditRecord::new("token.create", "token", id, &format!("{}/{name}", server.name), changes);
        Ok((CreatedToken { token, secret: minted.secret }, record))
    })
}

pub fn list(db: &mut Db, ctx: &Ctx, server: Option<&str>) -> Result<Vec<Token>> {
    let now = ctx.timestamp();
    query(db, |tx| {
        let server_id = match server {
            Some(name) => {
                let id = find(tx, name)?.id;
                ctx.require(Permission::SERVER_READ, id, || format!("no server named {name:?}"))?;
                Some(id)
            }
            None => None,
        };
        let mut tokens = store::tokens::list(tx, server_id, &now)?;
        tokens.retain(|t| ctx.sees(Permission::SERVER_READ, t.server_id));
        Ok(tokens)
    })
}

pub fn revoke(db: &mut Db, ctx: &Ctx, id: &str) -> Result<Token> {
    let id: i64 = id
        .parse()
        .map_err(|_| Error::Invalid(format!("invalid token id {id:?}: it is the number in `mcpcp token list`")))?;
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let before =
            store::tokens::get(tx, id, &now)?.ok_or_else(|| Error::NotFound(format!("no token with id {id}")))?;
        ctx.require(Permission::TOKEN_MANAGE, before.server_id, || format!("no token with id {id}"))?;
        if before.status == TokenStatus::Revoked {
            return Err(Error::Conflict(format!("token {id} is already revoked")));
        }
        store::tokens::revoke(tx, id, &now)?;
        let after = store::tokens::get(tx, id, &now)?.ok_or_else(|| Error::Internal("token vanished".into()))?;
        let changes = Changes::new().field("status", before.status, after.status).field(
            "revoked_at",
            &before.revoked_at,
            &after.revoked_at,
        );
        let record =
            AuditRecord::new("token.revoke", "token", id, &format!("{}/{}", after.server, after.name), changes);
        Ok((after, record))
    })
}
