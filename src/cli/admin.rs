//! `mcpcp admin …`

use clap::Subcommand;

use super::{Env, output};
use crate::model::{Admin, AdminToken};
use crate::ops::admin::{
    BindAdmin, CreateAdminToken, DeleteAdmin, ListAdminTokens, ListAdmins, NewAdmin, RevokeAdminToken,
    SetAdminDisabled, SetAdminPassword, ShowAdmin,
};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin (with a password from standard input, or bound to an SSO subject).
    Create {
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
        /// The identity provider's subject (`sub`) of an SSO admin.
        #[arg(long, value_name = "SUBJECT")]
        sso_subject: Option<String>,
    },
    /// List admins and the roles they hold.
    List,
    /// Show one admin.
    Show { name: String },
    /// Disable an admin: its tokens are refused until it is enabled again.
    Disable { name: String },
    /// Enable a disabled admin.
    Enable { name: String },
    /// Delete an admin with its roles and tokens.
    Delete { name: String },
    /// Set an admin's password (from standard input).
    Passwd {
        name: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Give an admin a role, everywhere or on some servers.
    Grant {
        name: String,
        role: String,
        /// Only on this server (repeatable).
        #[arg(long = "server", value_name = "SERVER")]
        servers: Vec<String>,
    },
    /// Take a role back from an admin (everywhere, or on the servers named).
    Revoke {
        name: String,
        role: String,
        #[arg(long = "server", value_name = "SERVER")]
        servers: Vec<String>,
    },
    /// Admin API tokens.
    #[command(subcommand)]
    Token(AdminTokenCommand),
    /// Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin
    /// token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which
    /// later --remote commands read.
    Login {
        /// How long to wait for the sign-in in the browser, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 300)]
        wait: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminTokenCommand {
    /// Create an API token for an admin; it is printed once and never again.
    Create {
        admin: String,
        #[arg(long)]
        name: Option<String>,
        /// Lifetime, e.g. 12h, 90d (default: no expiry).
        #[arg(long, value_name = "DURATION")]
        expires: Option<String>,
        /// Narrow the token to one role its admin holds.
        #[arg(long)]
        role: Option<String>,
        /// Narrow the token to this server (repeatable).
        #[arg(long = "server", value_name = "SERVER")]
        servers: Vec<String>,
    },
    /// List admin tokens (never their secrets), of one admin or all.
    List { admin: Option<String> },
    /// Revoke an admin token: refused from the next request on.
    Revoke { id: String },
}

pub fn run(cmd: AdminCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::Create { name, email, password_stdin, sso_subject } => {
            let pw = if password_stdin { Some(super::user::password_from_stdin()?) } else { None };
            let a = env.op(NewAdmin { name, email, password: pw, sso_subject })?;
            env.done(&a, || {
                format!("created admin {:?} ({}); it holds no role until `mcpcp admin grant`", a.name, sign_in(&a))
            })
        }
        AdminCommand::List => {
            let admins = env.op(ListAdmins {})?;
            if env.json() {
                return output::json(&admins);
            }
            let rows = admins
                .iter()
                .map(|a| {
                    vec![
                        a.name.clone(),
                        a.email.clone().unwrap_or_else(|| "-".into()),
                        status(a).into(),
                        sign_in(a),
                        roles(a),
                    ]
                })
                .collect();
            output::print_table(&["name", "email", "status", "sign-in", "roles"], rows, "no admins");
            Ok(())
        }
        AdminCommand::Show { name } => {
            let a = env.op(ShowAdmin { admin: name })?;
            if env.json() {
                return output::json(&a);
            }
            output::print_fields(&[
                ("name", a.name.clone()),
                ("email", a.email.clone().unwrap_or_else(|| "-".into())),
                ("status", status(&a).into()),
                ("sign-in", sign_in(&a)),
                ("roles", roles(&a)),
                ("created", output::time(&a.created_at)),
                ("updated", output::time(&a.updated_at)),
            ]);
            Ok(())
        }
        AdminCommand::Disable { name } => {
            let a = env.op(SetAdminDisabled { admin: name, disabled: true })?;
            env.done(&a, || format!("disabled admin {:?}", a.name))
        }
        AdminCommand::Enable { name } => {
            let a = env.op(SetAdminDisabled { admin: name, disabled: false })?;
            env.done(&a, || format!("enabled admin {:?}", a.name))
        }
        AdminCommand::Delete { name } => {
            let a = env.op(DeleteAdmin { admin: name })?;
            env.done(&a, || format!("deleted admin {:?}", a.name))
        }
        AdminCommand::Passwd { name, password_stdin: _ } => {
            let pw = super::user::password_from_stdin()?;
            let a = env.op(SetAdminPassword { admin: name, password: Some(pw) })?;
            env.done(&a, || format!("set the password of admin {:?}", a.name))
        }
        AdminCommand::Grant { name, role, servers } => {
            let a =
                env.op(BindAdmin { admin: name.clone(), role: role.clone(), servers: servers.clone(), revoke: false })?;
            env.done(&a, || format!("granted role {role:?} to admin {name:?} {}", super::role::place(&servers)))
        }
        AdminCommand::Revoke { name, role, servers } => {
            let a =
                env.op(BindAdmin { admin: name.clone(), role: role.clone(), servers: servers.clone(), revoke: true })?;
            env.done(&a, || format!("revoked role {role:?} from admin {name:?} {}", super::role::place(&servers)))
        }
        AdminCommand::Token(cmd) => token(cmd, env),
        // Run by `cli::run` before a token is needed.
        AdminCommand::Login { .. } => Err(super::UsageError("`admin login` needs --remote URL".into()).into()),
    }
}

fn token(cmd: AdminTokenCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        AdminTokenCommand::Create { admin: name, name: token_name, expires, role, servers } => {
            let created = env.op(CreateAdminToken { admin: name, name: token_name, expires, role, servers })?;
            if env.json() {
                return output::json(&created);
            }
            let t = &created.token;
            eprintln!(
                "created admin token {} {:?} for admin {:?}{}{}; it is shown only now, store it safely:",
                t.id,
                t.name,
                t.admin,
                narrowing(t),
                t.expires_at.as_deref().map(|e| format!(", expires {}", output::time(e))).unwrap_or_default()
            );
            output::outln!("{}", created.secret.expose());
            Ok(())
        }
        AdminTokenCommand::List { admin: name } => {
            let tokens = env.op(ListAdminTokens { admin: name })?;
            if env.json() {
                return output::json(&tokens);
            }
            let rows = tokens
                .iter()
                .map(|t| {
                    vec![
                        t.id.to_string(),
                        t.admin.clone(),
                        t.name.clone(),
                        format!("{}…", t.prefix),
                        t.role.clone().unwrap_or_else(|| "-".into()),
                        t.servers.as_ref().map_or_else(|| "*".into(), |s| output::list(s)),
                        serde_json::to_value(t.status)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default(),
                        output::time(&t.created_at),
                        output::opt_time(t.expires_at.as_deref()),
                    ]
                })
                .collect();
            output::print_table(
                &["id", "admin", "name", "prefix", "role", "servers", "status", "created", "expires"],
                rows,
                "no admin tokens",
            );
            Ok(())
        }
        AdminTokenCommand::Revoke { id } => {
            let t = env.op(RevokeAdminToken { id })?;
            env.done(&t, || format!("revoked admin token {} {:?} of admin {:?}", t.id, t.name, t.admin))
        }
    }
}

fn narrowing(t: &AdminToken) -> String {
    match (&t.role, &t.servers) {
        (None, None) => String::new(),
        (Some(r), None) => format!(", narrowed to role {r:?}"),
        (None, Some(s)) => format!(", narrowed to {}", super::role::place(s)),
        (Some(r), Some(s)) => format!(", narrowed to role {r:?} {}", super::role::place(s)),
    }
}

fn status(a: &Admin) -> &'static str {
    if a.disabled { "disabled" } else { "enabled" }
}

fn sign_in(a: &Admin) -> String {
    match (a.has_password, &a.sso_subject) {
        (true, Some(_)) => "password, sso".into(),
        (true, None) => "password".into(),
        (false, Some(_)) => "sso".into(),
        (false, None) => "tokens only".into(),
    }
}

fn roles(a: &Admin) -> String {
    if a.bindings.is_empty() {
        return "-".into();
    }
    a.bindings
        .iter()
        .map(|b| match &b.server {
            None => b.role.clone(),
            Some(s) => format!("{}@{s}", b.role),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
