//! Reading and verifying the audit trail.

use super::{Ctx, Result, query};
use crate::model::{AuditEntry, parse_since};
use crate::store::{self, Db, audit::Verification};

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
