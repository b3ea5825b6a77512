//! A gateway's shared state for the phases' unit tests: one server `fx` (stdio, never started),
//! a token for it and one for `other`, a stopped tool, address rules, a rate limit and a quota,
//! all from snapshot rows, with the activity log in a temporary directory.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue};

use super::pipeline::Call;
use crate::gateway::{Clock, Limits, Settings, Shared};
use crate::model::{AuthMethod, CaptureMode, ToolState, Transport};
use crate::snapshot::{Live, Snapshot};
use crate::store::snapshot::{Rows, ServerRow, TokenRow, ToolRow};

pub(super) const TOKEN: &str = "mcpcp_fx-token";
pub(super) const OTHER_TOKEN: &str = "mcpcp_other-token";

/// What the fixture's servers are set up with.
#[derive(Default)]
pub(crate) struct Fixture {
    pub deny: Option<&'static str>,
    pub rate: Option<u32>,
    pub quota: Option<i64>,
    pub disabled: bool,
}

pub(crate) struct Gateway {
    pub shared: Arc<Shared>,
    _dir: tempfile::TempDir,
}

impl Fixture {
    pub(crate) fn start(self) -> Gateway {
        let server = |id: i64, name: &str| ServerRow {
            id,
            name: name.into(),
            transport: Transport::Stdio,
            url: None,
            command: vec!["/nonexistent".into()],
            env_sealed: None,
            auth: AuthMethod::ApiToken,
            enabled: true,
            capture: CaptureMode::Full,
            ip_rules: Vec::new(),
            rate_limits: Vec::new(),
            quotas: Vec::new(),
            upstream_auth: crate::model::UpstreamAuth::None,
            upstream_headers_sealed: None,
            upstream_oauth: None,
            identity_forward: Default::default(),
            identity_jwt_header: crate::model::DEFAULT_JWT_HEADER.into(),
            kind: "proxy".into(),
        };
        let mut fx = server(1, "fx");
        fx.enabled = !self.disabled;
        fx.ip_rules = self.deny.map(|cidr| vec![(cidr.to_string(), "deny".to_string())]).unwrap_or_default();
        fx.rate_limits = self.rate.map(|n| vec![("server".to_string(), n, 3_600_000, n)]).unwrap_or_default();
        fx.quotas = self.quota.map(|n| vec![("server".into(), n, "day".into(), "UTC".into())]).unwrap_or_default();
        let token = |id, server_id, value: &str| TokenRow {
            id,
            server_id,
            name: format!("t{id}"),
            hash: crate::identity::token::hash(value),
            expires_at: None,
        };
        let rows = Rows {
            generation: 1,
            servers: vec![fx, server(2, "other")],
            tools: vec![ToolRow { server_id: 1, name: "stopped".into(), state: ToolState::Stopped, definition: None }],
            tokens: vec![token(1, 1, TOKEN), token(2, 2, OTHER_TOKEN)],
            ..Rows::default()
        };
        let key = crate::secrets::SealKey::from_bytes([7; crate::secrets::KEY_LEN]);
        let dir = tempfile::tempdir().expect("a temporary directory");
        let options = crate::observe::activity::Options {
            retention_days: 1,
            max_output_bytes: 1024,
            redact_keys: Vec::new(),
            open: crate::store::OpenOptions::default(),
            clock: Clock::system(),
        };
        let recorder = crate::observe::activity::Recorder::start(&dir.path().join("activity.db"), options)
            .expect("the activity log opens");
        let listen = "127.0.0.1:8080".parse().expect("an address");
        let settings = Settings {
            live: Live::new(Snapshot::build(rows, &key)),
            recorder,
            public_url: "http://127.0.0.1:8080".into(),
            key,
            state_db: dir.path().join("state.db"),
            db_options: crate::store::OpenOptions::default(),
            origins: crate::gateway::OriginPolicy::new(listen, None, &[], false),
            limits: Limits::default(),
            tls: None,
            client_metadata_private_networks: false,
            trusted_proxies: Vec::new(),
            clock: Clock::system(),
            oauth: Arc::default(),
            metrics: Default::default(),
            admin_listener: None,
        };
        Gateway { shared: Shared::new(settings).expect("the gateway's state"), _dir: dir }
    }
}

impl Gateway {
    /// A call from 192.0.2.1 to `fx`.
    pub(super) fn call(&self) -> Call {
        Call::arrive(&self.shared, "fx", "request", "192.0.2.1:5000".parse().expect("an address"), &HeaderMap::new())
    }
}

/// Headers of a request to `http://127.0.0.1:8080` with `token`.
pub(super) fn headers(token: Option<&str>) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("host", HeaderValue::from_static("127.0.0.1:8080"));
    if let Some(t) = token {
        h.insert("authorization", HeaderValue::from_str(&format!("Bearer {t}")).expect("a header value"));
    }
    h
}
