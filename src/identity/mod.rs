//! Credentials: API tokens and passwords (creation, hashing, verification).

pub mod cimd;
pub mod netpolicy;
pub mod oauth;
pub mod oidc;
pub mod password;
pub mod token;
