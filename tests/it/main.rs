//! mcpcp's integration tests: one binary, one module per area. Tests run the real built `mcpcp`
//! binary against a temporary data directory, the way an operator or a CI script would.

// A panic is how a test fails; helpers outside #[test] functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod admin_login;
mod audit;
mod composed;
mod concurrency;
mod config;
mod connection;
mod datadir;
mod docs;
#[path = "../fixtures/fixture_server.rs"]
mod fixture_server;
mod gateway;
mod group;
mod identity;
mod migration;
mod openapi;
mod server;
mod siem;
mod sso;
mod support;
mod tidy;
mod token;
mod tool;
mod twin;
mod upstream_oauth;
mod user;
