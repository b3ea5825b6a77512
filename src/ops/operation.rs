//! The admin operations as one catalogue the CLI, the admin API and the remote CLI share.
//!
//! Each operation is a request type: its fields are the command's arguments, and it names the
//! HTTP method and path of its admin API route (`/api/v1` + `PATH`, whose `{field}` segments are
//! fields of the request), the permission the route requires, and the output it returns. The
//! local CLI runs it against the state database ([`Operation::run`]); the remote CLI sends it to
//! the admin API, which parses the same type back and runs the same `run`. So a command has one
//! code path whichever side of the network the database is on, and its output (a serde form of
//! `Output`) is the same document either way.
//!
//! Architecture invariant: a route of the admin API exists only as an `Operation`, and an
//! `Operation` cannot exist without a permission (`PERMISSION` has no default).

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Ctx, Result};
use crate::policy::rbac::Permission;
use crate::secrets::SealKey;
use crate::store::Db;

/// The databases and the key an operation may use, opened on first use, and what it may ask of
/// the place it runs in: the CLI's on its data directory, the admin API's on the gateway's.
pub trait Stores {
    /// `state.db`.
    fn state(&mut self) -> Result<&mut Db>;
    /// `activity.db`, with every answered call readable.
    fn activity(&mut self) -> Result<&mut Db>;
    /// The data directory's key for secrets at rest.
    fn key(&mut self) -> Result<SealKey>;
    /// The gateway's public URL (no trailing slash), as clients and upstreams reach it: where an
    /// upstream sends users back to, and where links an admin opens point. The CLI's comes from
    /// the configuration (a usage error when it cannot tell); the admin API's is the gateway's.
    fn public_url(&mut self) -> Result<String>;
    /// Whether a gateway serves this data directory now (for the admin API: itself).
    fn gateway_running(&mut self) -> Result<bool>;
}

/// The HTTP method of an operation's route: reads are `GET`, the rest carry a JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether the request's fields (other than the path's) travel in the query string.
    pub fn in_query(self) -> bool {
        matches!(self, Method::Get | Method::Delete)
    }
}

/// What an operation reads and writes.
pub trait Operation: Serialize + DeserializeOwned + JsonSchema + Send + 'static {
    const METHOD: Method;
    /// The route under `/api/v1`, e.g. `/servers/{server}/tokens`: each `{name}` is a string
    /// field of the request.
    const PATH: &'static str;
    /// Held by the caller (on the operation's server, for a server's resources), or the route
    /// answers 403; `run` checks it again, with the server, through `Ctx::require`.
    const PERMISSION: Permission;
    /// One line for the API's description.
    const SUMMARY: &'static str;
    type Output: Serialize + DeserializeOwned + JsonSchema + Send + 'static;

    fn run(self, stores: &mut dyn Stores, ctx: &Ctx) -> Result<Self::Output>;

    /// How long the operation itself may wait (on an upstream, say), for a caller that bounds
    /// each request: the remote CLI waits that long and some more. `None`: it answers at once.
    fn patience(&self) -> Option<std::time::Duration> {
        None
    }
}

/// Runs `future` to its end from an operation's `run` (one that reaches out: an upstream, a SIEM
/// receiver): on the gateway's runtime when the admin API runs it (on a blocking thread, where
/// waiting is allowed), else on a runtime of its own (the CLI has none).
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => Ok(handle.block_on(future)),
        Err(_) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| super::Error::Internal(format!("cannot start the async runtime: {e}")))?;
            Ok(runtime.block_on(future))
        }
    }
}

/// The names of the `{field}` segments of a path template.
pub fn path_fields(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// Implements [`Operation`] for a request type.
#[macro_export]
macro_rules! operation {
    ($ty:ty, $method:ident $path:literal, $permission:ident, $summary:literal, $output:ty, |$op:ident, $stores:ident, $ctx:ident| $body:expr) => {
        impl $crate::ops::operation::Operation for $ty {
            const METHOD: $crate::ops::operation::Method = $crate::ops::operation::Method::$method;
            const PATH: &'static str = $path;
            const PERMISSION: $crate::policy::rbac::Permission = $crate::policy::rbac::Permission::$permission;
            const SUMMARY: &'static str = $summary;
            type Output = $output;

            fn run(
                self,
                $stores: &mut dyn $crate::ops::operation::Stores,
                $ctx: &$crate::ops::Ctx,
            ) -> $crate::ops::Result<$output> {
                let $op = self;
                $body
            }
        }
    };
}
