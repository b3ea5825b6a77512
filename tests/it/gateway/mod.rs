//! The gateway end to end: real MCP clients (rmcp) through a real `mcpcp serve` to real upstreams
//! (the rmcp fixture over Streamable HTTP and over stdio).

// rmcp marks logging, sampling, roots and resources/subscribe deprecated for 2026-07-28; the
// gateway serves the 2025 revisions, where they are current.
#![allow(deprecated)]

mod activity;
mod admin_api;
mod admin_follow;
mod admin_login;
mod admin_rbac;
mod cimd;
mod client;
mod composed;
mod group_tools;
mod harness;
mod hostile;
mod http;
mod identity;
mod lifecycle;
mod limits;
mod live;
mod metrics;
mod modern;
mod oauth;
mod oauth_hostile;
mod oauth_refusals;
mod openapi;
mod pipeline;
mod proxy;
mod quota;
mod remote_ops;
mod restart;
mod resume;
mod resume_upstream;
mod siem;
mod siem_http;
mod traces;
mod upstream_auth;
mod verified_access;
