//! mcpcp, an MCP control plane: one gateway in front of every MCP server a team uses, with
//! identity, group authorization, limits, an activity log and an audit trail of admin changes.
//!
//! See ARCHITECTURE.md for the map. In short: `cli` parses and renders, `ops` performs admin
//! operations (one transaction with its audit entry each), `store` is the only code that
//! speaks SQL, `model` validates input, `identity` and `secrets` own credentials.

pub mod cli;
pub mod clock;
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
pub mod siem;
pub mod snapshot;
pub mod store;
pub mod upstream;

/// An error followed by each of its sources, after a colon. HTTP and OIDC clients keep the
/// useful detail ("connection refused", the provider's message) in the sources; their own
/// message is often only the outermost layer ("error sending request").
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
