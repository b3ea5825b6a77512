//! Credentials: API tokens and passwords (creation, hashing, verification), and the signed
//! identity assertions mcpcp gives upstreams (`jwt`).

pub mod cimd;
pub mod jwt;
pub mod netpolicy;
pub mod oauth;
pub mod oidc;
pub mod password;
pub mod token;
