//! Admin operations: each one validates, changes the state database and appends its audit entry
//! in one `BEGIN IMMEDIATE` transaction. The CLI (and any later admin API) calls only these.
//!
//! Architecture invariant: every mutating operation goes through [`mutate`], which appends exactly
//! one audit entry and bumps the state generation in the same transaction as the change; a failed
//! operation commits nothing.

pub mod admin;
pub mod admin_login;
pub mod audit;
mod changes;
pub mod composed;
pub mod connection;
pub mod group;
pub mod identity;
pub mod logs;
pub mod oauth;
pub mod openapi;
pub mod operation;
pub mod role;
pub mod server;
pub mod siem;
pub mod sso;
pub mod token;
pub mod tool;
pub mod upstream_auth;
pub mod user;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use changes::Changes;

use crate::clock::Clock;
use crate::model::{Actor, Invalid, ResourceRef};
use crate::policy::rbac::{Authority, Decision, OWNER, Permission, builtin_role};
use crate::store::{self, Db, DbFailure, SqlError, StoreError, Transaction};

/// Why an operation failed. `Invalid` is a usage error (exit code 2); the rest exit with 1.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The actor lacks a permission (HTTP 403).
    #[error("not permitted: this needs the permission {0}")]
    Forbidden(Permission),
    /// A party outside mcpcp the operation reached out to (an upstream, its authorization
    /// server, a SIEM receiver) failed or refused (HTTP 502).
    #[error("{0}")]
    External(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
    /// A SQL error inside a transaction; [`DbFailure::locate`] turns it into `Store`.
    #[error("database error: {0:?}")]
    Sql(SqlError),
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e.0)
    }
}

impl From<store::SqliteError> for Error {
    fn from(e: store::SqliteError) -> Self {
        Error::Sql(SqlError::from(e))
    }
}

impl DbFailure for Error {
    fn locate(self, path: &Path, waited: Duration) -> Self {
        match self {
            Error::Sql(e) => Error::Store(e.at(path, waited)),
            other => other,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The actor kind of the person at the machine (the local CLI).
pub const OS_USER: &str = "os_user";

/// Who is acting, from where, and when. Operations read the time from here, never the clock: a
/// `Ctx` is made from a [`Clock`] at the edge (the CLI's system clock, the gateway's).
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    /// Where the request came from: `cli`, later `api <ip>`.
    pub origin: String,
    pub now: DateTime<Utc>,
    /// What the actor may do: everything for the person at the machine and for mcpcp itself.
    pub authority: Authority,
}

impl Ctx {
    /// The context of a local CLI invocation: the OS user running it, now by `clock`.
    pub fn local_cli(clock: &Clock) -> Ctx {
        let (name, sudo_user) = os_user();
        let origin = match sudo_user {
            Some(by) => format!("cli (sudo from {by})"),
            None => "cli".to_string(),
        };
        Ctx { actor: Actor { kind: OS_USER.into(), name }, origin, now: clock.now(), authority: owner() }
    }

    /// The context of mcpcp acting on its own (the gateway recording discovered tools, an SSO
    /// sign-in), now by `clock` (the gateway's).
    pub fn system(component: &str, clock: &Clock) -> Ctx {
        Ctx {
            actor: Actor { kind: "system".into(), name: component.into() },
            origin: component.into(),
            now: clock.now(),
            authority: owner(),
        }
    }

    /// Refuses unless the actor holds `permission`, a permission over resources of no server.
    pub fn require_global(&self, permission: Permission) -> Result<()> {
        match self.authority.decide(permission, None) {
            Decision::Allowed => Ok(()),
            Decision::Hidden | Decision::Forbidden(_) => Err(Error::Forbidden(permission)),
        }
    }

    /// Refuses unless the actor holds `permission` on the server `server_id`. A server outside
    /// every binding of the actor is not revealed: the refusal is `NotFound` with `missing()`,
    /// the message the resource asked for would get if it did not exist.
    pub fn require(&self, permission: Permission, server_id: i64, missing: impl FnOnce() -> String) -> Result<()> {
        match self.authority.decide(permission, Some(server_id)) {
            Decision::Allowed => Ok(()),
            Decision::Hidden => Err(Error::NotFound(missing())),
            Decision::Forbidden(p) => Err(Error::Forbidden(p)),
        }
    }

    /// Whether the actor may see the server `server_id` in a listing of `permission`.
    pub fn sees(&self, permission: Permission, server_id: i64) -> bool {
        self.authority.decide(permission, Some(server_id)) == Decision::Allowed
    }

    /// `now` in the stored timestamp form.
    pub fn timestamp(&self) -> String {
        store::timestamp(self.now)
    }
}

/// The authority of the person at the machine and of mcpcp itself: the owner role, everywhere.
pub fn owner() -> Authority {
    builtin_role(OWNER).map(Authority::global).unwrap_or_default()
}

/// The name of the user owning this process (its real uid, looked up in /etc/passwd), and the
/// invoking user when run under sudo.
pub fn os_user() -> (String, Option<String>) {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).ok();
    let from_passwd = uid.and_then(|uid| {
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        passwd.lines().find_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let _password = fields.next()?;
            let id: u32 = fields.next()?.parse().ok()?;
            (id == uid).then(|| name.to_string())
        })
    });
    let name = from_passwd
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .or_else(|| uid.map(|u| format!("uid:{u}")))
        .unwrap_or_else(|| "unknown".into());
    let sudo_user = std::env::var("SUDO_USER").ok().filter(|u| !u.is_empty() && *u != name);
    (name, sudo_user)
}

/// What a mutation records about itself.
#[derive(Debug)]
pub struct AuditRecord {
    pub action: &'static str,
    pub resource: ResourceRef,
    pub changes: Changes,
}

impl AuditRecord {
    pub fn new(action: &'static str, kind: &str, id: i64, name: &str, changes: Changes) -> AuditRecord {
        AuditRecord {
            action,
            resource: ResourceRef { kind: kind.into(), id: id.to_string(), name: name.into() },
            changes,
        }
    }
}

/// Runs one mutation: `f` changes state and says what to audit; the audit entry and the
/// generation bump are written in the same transaction. Nothing is written if `f` fails.
pub fn mutate<T>(db: &mut Db, ctx: &Ctx, f: impl FnOnce(&Transaction<'_>) -> Result<(T, AuditRecord)>) -> Result<T> {
    let time = ctx.timestamp();
    db.write(|tx| {
        let (value, record) = f(tx)?;
        let changes = record.changes.into_value();
        store::audit::append(
            tx,
            &store::audit::NewEntry {
                time: &time,
                actor: &ctx.actor,
                action: record.action,
                resource: &record.resource,
                changes: &changes,
                origin: &ctx.origin,
            },
        )?;
        store::bump_generation(tx)?;
        Ok(value)
    })
}

/// Runs a read-only query against one consistent view.
pub fn query<T>(db: &mut Db, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
    db.read(f)
}
