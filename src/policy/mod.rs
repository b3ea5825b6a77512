//! Pure access decisions: who may reach which server. No IO, no clock: time and state are passed in.
//!
//! Architecture invariant: a [`Grant`] can only be made here, and forwarding a request to an
//! upstream takes one, so a code path that skips authorization does not compile.

mod composed;
pub mod ip;
pub mod limiter;
pub mod quota;
pub mod rate;
pub mod rbac;
mod server;

use std::sync::Arc;

pub use composed::{Composed, ComposedTool};
pub use server::{OpenApiOperations, ServerConfig, UpstreamOauth};

use crate::model::AuthMethod;

/// Who is calling, as established by authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A server-scoped API token.
    ApiToken { token_id: i64, token_name: String, server_id: i64 },
    /// An end user signed in through mcpcp's authorization server. `server_id` is the audience
    /// of the access token; `grant_id` its token family; `method` how the user signed in
    /// (`Password` or `Sso`).
    User { user_id: i64, name: String, method: AuthMethod, grant_id: i64, server_id: i64 },
}

impl Principal {
    /// The name to show in logs.
    pub fn display_name(&self) -> &str {
        match self {
            Principal::ApiToken { token_name, .. } => token_name,
            Principal::User { name, .. } => name,
        }
    }

    /// How the principal authenticated.
    pub fn method(&self) -> AuthMethod {
        match self {
            Principal::ApiToken { .. } => AuthMethod::ApiToken,
            Principal::User { method, .. } => *method,
        }
    }

    /// How the principal authenticated, as the activity log spells it.
    pub fn auth_method(&self) -> &'static str {
        self.method().record_name()
    }

    /// The user, for a principal that is one.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Principal::User { user_id, .. } => Some(*user_id),
            Principal::ApiToken { .. } => None,
        }
    }

    pub fn token_id(&self) -> Option<i64> {
        match self {
            Principal::ApiToken { token_id, .. } => Some(*token_id),
            Principal::User { .. } => None,
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

/// Proof that a caller of a composed server's tool may reach the tool's source server as
/// themselves: `grant` (to the composed server) carried over to `source`. The composed server's
/// administrator picked the tool, so its callers reach that tool through it; the session that
/// forwards the call is the composed server's, and asks only for the picked tool. Refused when
/// `grant` is not a composed server's, `source` is one, or `source` is disabled.
pub fn compose(grant: &Grant, source: &Arc<ServerConfig>) -> Result<Grant, Denial> {
    if grant.server.composed.is_none() || source.composed.is_some() {
        return Err(Denial::WrongServer);
    }
    if !source.enabled {
        return Err(Denial::Disabled);
    }
    Ok(Grant { server: source.clone(), principal: grant.principal.clone() })
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
    /// The user is disabled.
    UserDisabled,
    /// No group of the user grants the server (nobody has implicit access, admins included).
    NoGroup { user: String },
}

/// What authorization needs to know about a user.
#[derive(Debug, Clone, Copy)]
pub struct UserFacts<'a> {
    pub disabled: bool,
    pub reaches: &'a std::collections::HashSet<i64>,
}

/// Decides whether `principal` may use `server`. `user` describes the principal when it is a user.
pub fn authorize(
    principal: &Principal,
    server: &Arc<ServerConfig>,
    user: Option<UserFacts<'_>>,
) -> Result<Grant, Denial> {
    match principal {
        Principal::ApiToken { server_id, .. } => {
            if *server_id != server.id {
                return Err(Denial::WrongServer);
            }
            if server.auth != AuthMethod::ApiToken {
                return Err(Denial::WrongMethod { required: server.auth });
            }
        }
        Principal::User { server_id, method, name, .. } => {
            // The token's audience is one server (RFC 8707): never accepted by another.
            if *server_id != server.id {
                return Err(Denial::WrongServer);
            }
            if server.auth != *method {
                return Err(Denial::WrongMethod { required: server.auth });
            }
            let Some(user) = user else { return Err(Denial::UserDisabled) };
            if user.disabled {
                return Err(Denial::UserDisabled);
            }
            if !user.reaches.contains(&server.id) {
                return Err(Denial::NoGroup { user: name.clone() });
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
            upstream_auth: crate::model::UpstreamAuth::None,
            upstream_headers: Ok(Vec::new()),
            upstream_oauth: None,
            auth,
            enabled,
            capture: crate::model::CaptureMode::Full,
            ip_rules: Default::default(),
            rate: None,
            rate_per_user: None,
            quota: None,
            quota_per_user: None,
            tools: HashMap::new(),
            catalogue: None,
            composed: None,
            openapi: None,
            identity_forward: Default::default(),
            identity_jwt_header: crate::model::DEFAULT_JWT_HEADER.into(),
        })
    }

    #[test]
    fn a_token_reaches_only_its_own_enabled_server() {
        let p = Principal::ApiToken { token_id: 1, token_name: "t".into(), server_id: 7 };
        assert!(authorize(&p, &server(7, AuthMethod::ApiToken, true), None).is_ok());
        assert_eq!(authorize(&p, &server(8, AuthMethod::ApiToken, true), None).unwrap_err(), Denial::WrongServer);
        assert_eq!(authorize(&p, &server(7, AuthMethod::ApiToken, false), None).unwrap_err(), Denial::Disabled);
        assert_eq!(
            authorize(&p, &server(7, AuthMethod::Password, true), None).unwrap_err(),
            Denial::WrongMethod { required: AuthMethod::Password }
        );
    }

    #[test]
    fn a_user_reaches_a_server_only_through_a_group() {
        let p =
            Principal::User { user_id: 3, name: "ada".into(), method: AuthMethod::Password, grant_id: 1, server_id: 7 };
        let granted: std::collections::HashSet<i64> = [7].into();
        let none = std::collections::HashSet::new();
        let s = server(7, AuthMethod::Password, true);
        assert!(authorize(&p, &s, Some(UserFacts { disabled: false, reaches: &granted })).is_ok());
        assert_eq!(
            authorize(&p, &s, Some(UserFacts { disabled: false, reaches: &none })).unwrap_err(),
            Denial::NoGroup { user: "ada".into() }
        );
        assert_eq!(
            authorize(&p, &s, Some(UserFacts { disabled: true, reaches: &granted })).unwrap_err(),
            Denial::UserDisabled
        );
        assert_eq!(authorize(&p, &s, None).unwrap_err(), Denial::UserDisabled);
        assert_eq!(
            authorize(
                &p,
                &server(8, AuthMethod::Password, true),
                Some(UserFacts { disabled: false, reaches: &granted })
            )
            .unwrap_err(),
            Denial::WrongServer
        );
        assert_eq!(
            authorize(&p, &server(7, AuthMethod::Sso, true), Some(UserFacts { disabled: false, reaches: &granted }))
                .unwrap_err(),
            Denial::WrongMethod { required: AuthMethod::Sso }
        );
    }
}
