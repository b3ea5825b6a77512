//! Pure access decisions: who may reach which server. No IO, no clock: time and state are passed in.
//!
//! Architecture invariant: a [`Grant`] can only be made here, and forwarding a request to an
//! upstream takes one, so a code path that skips authorization does not compile.

use std::sync::Arc;

use crate::model::AuthMethod;
use crate::snapshot::ServerConfig;

/// Who is calling, as established by authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A server-scoped API token.
    ApiToken { token_id: i64, token_name: String, server_id: i64 },
}

impl Principal {
    /// The name to show in logs.
    pub fn display_name(&self) -> &str {
        match self {
            Principal::ApiToken { token_name, .. } => token_name,
        }
    }

    pub fn auth_method(&self) -> &'static str {
        match self {
            Principal::ApiToken { .. } => "api_token",
        }
    }

    pub fn token_id(&self) -> Option<i64> {
        match self {
            Principal::ApiToken { token_id, .. } => Some(*token_id),
        }
    }
}

/// Proof that `principal` may use `server`. Only [`authorize`] makes one.
#[derive(Debug, Clone)]
pub struct Grant {
    server: Arc<ServerConfig>,
    principal: Principal,
}

impl Grant {
    pub fn server(&self) -> &Arc<ServerConfig> {
        &self.server
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }
}

/// Why access was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denial {
    /// The credential is not valid for this server (tell the client as 401, like a bad token).
    WrongServer,
    /// The server is disabled by an administrator.
    Disabled,
    /// The server requires another way to sign in.
    WrongMethod { required: AuthMethod },
}

/// Decides whether `principal` may use `server`.
pub fn authorize(principal: &Principal, server: &Arc<ServerConfig>) -> Result<Grant, Denial> {
    match principal {
        Principal::ApiToken { server_id, .. } => {
            if *server_id != server.id {
                return Err(Denial::WrongServer);
            }
            if server.auth != AuthMethod::ApiToken {
                return Err(Denial::WrongMethod { required: server.auth });
            }
        }
    }
    if !server.enabled {
        return Err(Denial::Disabled);
    }
    Ok(Grant { server: server.clone(), principal: principal.clone() })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::model::Transport;

    fn server(id: i64, auth: AuthMethod, enabled: bool) -> Arc<ServerConfig> {
        Arc::new(ServerConfig {
            id,
            name: format!("s{id}"),
            transport: Transport::Http,
            url: Some("http://127.0.0.1:1/mcp".into()),
            command: Vec::new(),
            env: Ok(Vec::new()),
            auth,
            enabled,
            capture: crate::model::CaptureMode::Full,
            tools: HashMap::new(),
        })
    }

    #[test]
    fn a_token_reaches_only_its_own_enabled_server() {
        let p = Principal::ApiToken { token_id: 1, token_name: "t".into(), server_id: 7 };
        assert!(authorize(&p, &server(7, AuthMethod::ApiToken, true)).is_ok());
        assert_eq!(authorize(&p, &server(8, AuthMethod::ApiToken, true)).unwrap_err(), Denial::WrongServer);
        assert_eq!(authorize(&p, &server(7, AuthMethod::ApiToken, false)).unwrap_err(), Denial::Disabled);
        assert_eq!(
            authorize(&p, &server(7, AuthMethod::Password, true)).unwrap_err(),
            Denial::WrongMethod { required: AuthMethod::Password }
        );
    }
}
