//! `mcpcp user …`

use std::io::{IsTerminal, Read};

use anyhow::Context;
use clap::Subcommand;

use super::{Env, output};
use crate::model::User;
use crate::ops::connection::{DisconnectUser, ListUserConnections};
use crate::ops::user::{
    CreateUser, DeleteUser, ListUserSessions, ListUsers, SetUserDisabled, SetUserPassword, ShowUser, SignOutUser,
};
use crate::secrets::Secret;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an end user; without a password they can sign in only through SSO.
    Create {
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Show one user and their groups.
    Show { name: String },
    /// Disable a user: they can no longer sign in.
    Disable { name: String },
    /// Enable a disabled user.
    Enable { name: String },
    /// Delete a user with their group memberships and linked upstream accounts.
    Delete { name: String },
    /// The upstream accounts a user linked (per-user upstream access); never their tokens.
    Connections { name: String },
    /// Remove a user's linked upstream account for a server (they are asked to link it again).
    Disconnect { name: String, server: String },
    /// List a user's sign-ins (one per client and server), newest last.
    Sessions { name: String },
    /// End every sign-in of a user: their tokens stop working and open sessions close.
    Signout { name: String },
    /// Set a user's password (prompted on a terminal, or --password-stdin).
    Passwd {
        name: String,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Reads a password from stdin: its first line, without the line ending. Empty input is an error.
pub(super) fn password_from_stdin() -> anyhow::Result<Secret> {
    let mut raw = String::new();
    std::io::stdin().read_to_string(&mut raw).context("cannot read the password from standard input")?;
    let line = raw.lines().next().unwrap_or("").to_string();
    if line.is_empty() {
        anyhow::bail!(super::UsageError(
            "no password on standard input (--password-stdin reads its first line)".into()
        ));
    }
    Ok(Secret::new(line))
}

fn password_from_terminal() -> anyhow::Result<Secret> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(super::UsageError(
            "standard input is not a terminal: pass the password with --password-stdin".into()
        ));
    }
    let first = rpassword::prompt_password("New password: ").context("cannot read the password")?;
    let second = rpassword::prompt_password("Repeat password: ").context("cannot read the password")?;
    if first != second {
        anyhow::bail!("the passwords do not match");
    }
    if first.is_empty() {
        anyhow::bail!(super::UsageError("the password is empty".into()));
    }
    Ok(Secret::new(first))
}

pub fn run(cmd: UserCommand, env: &mut Env) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Create { name, email, password_stdin } => {
            let pw = if password_stdin { Some(password_from_stdin()?) } else { None };
            let u = env.op(CreateUser { name, email, password: pw })?;
            env.done(&u, || {
                let how = if u.has_password { "with a password" } else { "without a password (SSO sign-in only)" };
                format!("created user {:?} {how}", u.name)
            })
        }
        UserCommand::List => {
            let users = env.op(ListUsers {})?;
            if env.json() {
                return output::json(&users);
            }
            let rows = users.iter().map(row).collect();
            output::print_table(&["name", "email", "status", "sign-in", "groups"], rows, "no users");
            Ok(())
        }
        UserCommand::Show { name } => {
            let u = env.op(ShowUser { user: name })?;
            if env.json() {
                return output::json(&u);
            }
            output::print_fields(&[
                ("name", u.name.clone()),
                ("email", u.email.clone().unwrap_or_else(|| "-".into())),
                ("status", status(&u).into()),
                ("sign-in", sign_in(&u)),
                ("groups", output::list(&u.groups)),
                ("created", output::time(&u.created_at)),
                ("updated", output::time(&u.updated_at)),
            ]);
            Ok(())
        }
        UserCommand::Disable { name } => {
            let u = env.op(SetUserDisabled { user: name, disabled: true })?;
            env.done(&u, || format!("disabled user {:?}", u.name))
        }
        UserCommand::Enable { name } => {
            let u = env.op(SetUserDisabled { user: name, disabled: false })?;
            env.done(&u, || format!("enabled user {:?}", u.name))
        }
        UserCommand::Delete { name } => {
            let u = env.op(DeleteUser { user: name })?;
            env.done(&u, || format!("deleted user {:?}", u.name))
        }
        UserCommand::Connections { name } => {
            let linked = env.op(ListUserConnections { user: name.clone() })?;
            super::connections::print(env, &linked, &format!("user {name:?} has linked no upstream account"))
        }
        UserCommand::Disconnect { name, server } => {
            let gone = env.op(DisconnectUser { user: name.clone(), server: server.clone() })?;
            env.done(&gone, || format!("removed user {name:?}'s upstream account for server {server:?}"))
        }
        UserCommand::Sessions { name } => {
            let grants = env.op(ListUserSessions { user: name.clone() })?;
            if env.json() {
                return output::json(&grants);
            }
            let rows = grants
                .iter()
                .map(|g| {
                    vec![
                        g.id.to_string(),
                        g.server.clone(),
                        g.client_name.clone(),
                        g.method.clone(),
                        output::time(&g.created_at),
                        output::time(&g.expires_at),
                    ]
                })
                .collect();
            output::print_table(
                &["id", "server", "client", "method", "signed in", "expires"],
                rows,
                &format!("user {name:?} has no sign-ins"),
            );
            Ok(())
        }
        UserCommand::Signout { name } => {
            let out = env.op(SignOutUser { user: name.clone() })?;
            env.done(&out, || format!("ended {} sign-in(s) of user {name:?}", out.revoked))
        }
        UserCommand::Passwd { name, password_stdin } => {
            let pw = if password_stdin { password_from_stdin()? } else { password_from_terminal()? };
            let u = env.op(SetUserPassword { user: name, password: Some(pw) })?;
            env.done(&u, || format!("set the password of user {:?}", u.name))
        }
    }
}

fn status(u: &User) -> &'static str {
    if u.disabled { "disabled" } else { "enabled" }
}

fn sign_in(u: &User) -> String {
    match (u.has_password, &u.sso_subject) {
        (true, Some(_)) => "password, sso".into(),
        (true, None) => "password".into(),
        (false, Some(_)) => "sso".into(),
        (false, None) => "sso (no password)".into(),
    }
}

fn row(u: &User) -> Vec<String> {
    vec![
        u.name.clone(),
        u.email.clone().unwrap_or_else(|| "-".into()),
        status(u).into(),
        sign_in(u),
        output::list(&u.groups),
    ]
}
