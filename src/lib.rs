//! mcpcp, an MCP control plane: one gateway in front of every MCP server a team uses, with
//! identity, group authorization, limits, an activity log and an audit trail of admin changes.
//!
//! See ARCHITECTURE.md for the map. In short: `cli` parses and renders, `ops` performs admin
//! operations (one transaction with its audit entry each), `store` is the only code that
//! speaks SQL, `model` validates input, `identity` and `secrets` own credentials.

pub mod cli;
pub mod config;
pub mod datadir;
pub mod gateway;
pub mod identity;
pub mod jsonrpc;
pub mod model;
pub mod observe;
pub mod ops;
pub mod policy;
pub mod secrets;
pub mod snapshot;
pub mod store;
pub mod upstream;
