//! Reading and verifying the audit trail.

use super::{Ctx, Error, Result, query};
use crate::model::{AuditEntry, parse_since};
use crate::policy::rbac::Permission;
use crate::store::{self, Db, audit::Verification};

/// The most entries one `audit list` returns.
pub const MAX_LIMIT: u32 = 100_000;

/// `audit list`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListAudit {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default)]
    pub resource: Option<String>,
    /// At most this many entries, the newest (default 50).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// `audit verify`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyAudit {}

crate::operation!(ListAudit, Get "/audit", AUDIT_READ, "List audit entries, newest last", Vec<AuditEntry>, |op, stores, ctx| {
    ctx.require_global(Permission::AUDIT_READ)?;
    let limit = op.limit.unwrap_or(50);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::Invalid(format!("invalid limit {limit}: 1 to {MAX_LIMIT}")));
    }
    let q = AuditQuery { since: op.since, actor: op.actor, action: op.action, resource: op.resource, limit };
    list(stores.state()?, ctx, &q)
});
crate::operation!(VerifyAudit, Get "/audit/verify", AUDIT_READ, "Check the audit trail's hash chain", Verification, |_op, stores, ctx| {
    ctx.require_global(Permission::AUDIT_READ)?;
    verify(stores.state()?)
});

#[derive(Debug, Default)]
pub struct AuditQuery {
    pub since: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    pub limit: u32,
}

pub fn list(db: &mut Db, ctx: &Ctx, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
    let since = q.since.as_deref().map(|s| parse_since(s, ctx.now)).transpose()?.map(store::timestamp);
    query(db, |tx| {
        Ok(store::audit::list(
            tx,
            &store::audit::Filter {
                since: since.as_deref(),
                actor: q.actor.as_deref(),
                action: q.action.as_deref(),
                resource: q.resource.as_deref(),
                limit: q.limit,
            },
        )?)
    })
}

pub fn verify(db: &mut Db) -> Result<Verification> {
    query(db, |tx| Ok(store::audit::verify(tx)?))
}
