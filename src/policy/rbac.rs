//! Who may administer what: the permissions, the built-in roles, and the decision for one
//! admin's bindings. Pure: the bindings are passed in, nothing is read here.
//!
//! A permission names a resource and a verb (`server.update`). A role is a set of permissions; an
//! admin holds roles through bindings, each either global or scoped to servers. A scoped binding
//! counts only for that server's resources (the server itself, its tools, tokens, limits and
//! activity records); permissions over resources of no server (users, groups, SSO, SIEM sinks, the
//! audit trail, admins, and creating a server) come from global bindings only.
//!
//! Architecture invariant: [`PERMISSIONS`] is the one list of permissions; roles, the CLI
//! (`role permissions`) and the admin API's routes all name permissions from it.

use std::collections::BTreeSet;

use serde::Serialize;

/// One permission: its name and what it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(into = "&'static str")]
#[schemars(with = "String")]
pub struct Permission(&'static str);

impl From<Permission> for &'static str {
    fn from(p: Permission) -> &'static str {
        p.0
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Whether a permission concerns one server's resources (a scoped binding can hold it) or
/// resources of no server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Reach {
    /// A server's own resources: a binding scoped to that server may grant it.
    Server,
    /// Everything else: only a global binding grants it.
    Global,
}

/// A permission as `role permissions` prints it.
#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct PermissionInfo {
    pub name: Permission,
    pub reach: Reach,
    pub description: &'static str,
}

macro_rules! permissions {
    ($($konst:ident = $name:literal, $reach:ident, $description:literal;)*) => {
        impl Permission {
            $(pub const $konst: Permission = Permission($name);)*
        }
        /// Every permission, in the order `role permissions` prints them.
        pub const PERMISSIONS: &[PermissionInfo] = &[
            $(PermissionInfo { name: Permission::$konst, reach: Reach::$reach, description: $description },)*
        ];
    };
}

permissions! {
    SERVER_READ = "server.read", Server,
        "see servers and their tools, tokens (never a secret), limits, IP rules and settings";
    SERVER_CREATE = "server.create", Global, "create servers";
    SERVER_UPDATE = "server.update", Server,
        "change a server: rename, enable, disable, capture, upstream, identity forwarding";
    SERVER_DELETE = "server.delete", Server, "delete servers";
    TOOL_MANAGE = "tool.manage", Server, "sync, start and stop a server's tools";
    TOKEN_MANAGE = "token.manage", Server, "create and revoke a server's API tokens";
    POLICY_MANAGE = "policy.manage", Server, "set a server's rate limits, quotas and IP rules";
    USER_READ = "user.read", Global, "see users and their upstream connections";
    USER_MANAGE = "user.manage", Global, "create, change, disable and delete users";
    GROUP_READ = "group.read", Global, "see groups, their members and grants";
    GROUP_MANAGE = "group.manage", Global, "create and delete groups, change members and grants";
    SSO_READ = "sso.read", Global, "see the SSO settings (never the client secret)";
    SSO_MANAGE = "sso.manage", Global, "set and disable SSO";
    SIEM_READ = "siem.read", Global, "see SIEM sinks and their delivery status";
    SIEM_MANAGE = "siem.manage", Global, "add, pause, resume, test and remove SIEM sinks";
    LOGS_READ = "logs.read", Server, "read the activity log (of the servers in scope)";
    AUDIT_READ = "audit.read", Global, "read and verify the audit trail";
    ADMIN_READ = "admin.read", Global, "see admins, roles, bindings and admin tokens";
    ADMIN_MANAGE = "admin.manage", Global,
        "create and change admins, roles, bindings and admin tokens; rotate signing keys";
}

impl Permission {
    /// The permission of this name.
    pub fn parse(name: &str) -> Option<Permission> {
        PERMISSIONS.iter().map(|p| p.name).find(|p| p.0 == name)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    pub fn reach(self) -> Reach {
        PERMISSIONS.iter().find(|p| p.name == self).map_or(Reach::Global, |p| p.reach)
    }
}

/// Parses a list of permission names; `server.*` stands for every permission of that resource
/// and `*` for all. Unknown names are errors naming them.
pub fn parse_permissions(items: &[String]) -> Result<BTreeSet<Permission>, String> {
    let mut out = BTreeSet::new();
    for item in items.iter().flat_map(|i| i.split(',')).map(str::trim).filter(|i| !i.is_empty()) {
        if item == "*" {
            out.extend(PERMISSIONS.iter().map(|p| p.name));
        } else if let Some(resource) = item.strip_suffix(".*") {
            let before = out.len();
            out.extend(PERMISSIONS.iter().map(|p| p.name).filter(|p| p.0.split('.').next() == Some(resource)));
            if out.len() == before && !PERMISSIONS.iter().any(|p| p.name.0.starts_with(&format!("{resource}."))) {
                return Err(format!(
                    "unknown permission {item:?}: no permission of resource {resource:?} (see `mcpcp role permissions`)"
                ));
            }
        } else {
            out.insert(
                Permission::parse(item)
                    .ok_or_else(|| format!("unknown permission {item:?} (see `mcpcp role permissions`)"))?,
            );
        }
    }
    if out.is_empty() {
        return Err("a role needs at least one permission".into());
    }
    Ok(out)
}

/// A built-in role.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinRole {
    pub name: &'static str,
    pub description: &'static str,
    permissions: fn(Permission) -> bool,
}

impl BuiltinRole {
    pub fn permissions(&self) -> BTreeSet<Permission> {
        PERMISSIONS.iter().map(|p| p.name).filter(|p| (self.permissions)(*p)).collect()
    }
}

/// The role the person at the machine acts with.
pub const OWNER: &str = "owner";

/// The built-in roles; they cannot be changed or deleted.
pub const BUILTIN_ROLES: &[BuiltinRole] = &[
    BuiltinRole { name: OWNER, description: "everything", permissions: |_| true },
    BuiltinRole {
        name: "admin",
        description: "everything but managing admins, roles and admin tokens",
        permissions: |p| p != Permission::ADMIN_MANAGE,
    },
    BuiltinRole {
        name: "server-manager",
        description: "servers, their tools, tokens and limits, and their activity log",
        permissions: |p| {
            matches!(p.0.split('.').next(), Some("server" | "tool" | "token" | "policy")) || p == Permission::LOGS_READ
        },
    },
    BuiltinRole {
        name: "auditor",
        description: "the activity log and the audit trail, read-only",
        permissions: |p| p == Permission::LOGS_READ || p == Permission::AUDIT_READ,
    },
    BuiltinRole {
        name: "viewer",
        description: "read-only listings of the configuration (not the activity log or the audit trail)",
        permissions: |p| p.0.ends_with(".read") && p != Permission::LOGS_READ && p != Permission::AUDIT_READ,
    },
];

pub fn builtin_role(name: &str) -> Option<&'static BuiltinRole> {
    BUILTIN_ROLES.iter().find(|r| r.name == name)
}

/// One binding as the decision sees it: a role's permissions, globally or on some servers (by id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub role: String,
    pub permissions: BTreeSet<Permission>,
    /// `None`: every server and the global resources. `Some`: these servers only.
    pub servers: Option<BTreeSet<i64>>,
}

/// What one admin (or one of its tokens) may do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Authority {
    pub bindings: Vec<Binding>,
    /// A narrowing (an admin token's role and servers): what is allowed must be allowed by both.
    pub within: Option<Box<Authority>>,
}

/// The answer to "may this admin do P (on server S)?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// Refused, naming the missing permission (HTTP 403).
    Forbidden(Permission),
    /// The server is outside every binding: it is not revealed (HTTP 404).
    Hidden,
}

impl Authority {
    /// The authority of one role held globally (the person at the machine holds `owner`).
    pub fn global(role: &BuiltinRole) -> Authority {
        Authority {
            bindings: vec![Binding { role: role.name.into(), permissions: role.permissions(), servers: None }],
            within: None,
        }
    }

    /// This authority, limited to what `by` allows too.
    pub fn narrowed(self, by: Authority) -> Authority {
        match self.within {
            None => Authority { bindings: self.bindings, within: Some(Box::new(by)) },
            Some(inner) => Authority { bindings: self.bindings, within: Some(Box::new(inner.narrowed(by))) },
        }
    }

    /// May the holder do `permission`, on `server` (its id) when the permission reaches servers?
    pub fn decide(&self, permission: Permission, server: Option<i64>) -> Decision {
        let own = self.decide_own(permission, server);
        match (&self.within, own) {
            (Some(within), Decision::Allowed) => within.decide(permission, server),
            (_, own) => own,
        }
    }

    fn decide_own(&self, permission: Permission, server: Option<i64>) -> Decision {
        let covers = |b: &Binding| match (&b.servers, server, permission.reach()) {
            (None, _, _) => true,
            (Some(ids), Some(id), Reach::Server) => ids.contains(&id),
            _ => false,
        };
        if self.bindings.iter().any(|b| b.permissions.contains(&permission) && covers(b)) {
            return Decision::Allowed;
        }
        match server {
            Some(id) if !self.sees_server(id) => Decision::Hidden,
            _ => Decision::Forbidden(permission),
        }
    }

    /// Whether any binding reaches this server (so its existence may be revealed).
    pub fn sees_server(&self, id: i64) -> bool {
        self.bindings.iter().any(|b| b.servers.as_ref().is_none_or(|ids| ids.contains(&id)))
            && self.within.as_ref().is_none_or(|w| w.sees_server(id))
    }

    /// The servers `permission` is held on: `None` for all of them.
    pub fn servers_with(&self, permission: Permission) -> Option<BTreeSet<i64>> {
        let mut own = Some(BTreeSet::new());
        for b in self.bindings.iter().filter(|b| b.permissions.contains(&permission)) {
            match (&b.servers, own.as_mut()) {
                (None, _) => {
                    own = None;
                    break;
                }
                (Some(s), Some(ids)) => ids.extend(s.iter().copied()),
                (Some(_), None) => {}
            }
        }
        match (own, self.within.as_ref().map(|w| w.servers_with(permission))) {
            (own, None) => own,
            (None, Some(within)) => within,
            (Some(own), Some(None)) => Some(own),
            (Some(own), Some(Some(within))) => Some(own.intersection(&within).copied().collect()),
        }
    }

    /// Whether `narrow` asks for nothing this authority lacks: each of its permissions on each
    /// of its servers (or globally) is allowed here. (A scoped binding's permissions that reach
    /// no server grant nothing, so they ask for nothing.)
    pub fn covers(&self, narrow: &Authority) -> Result<(), Permission> {
        for b in &narrow.bindings {
            let effective = b.permissions.iter().filter(|p| b.servers.is_none() || p.reach() == Reach::Server);
            for p in effective {
                let ok = match &b.servers {
                    None => self.bindings.iter().any(|mine| mine.servers.is_none() && mine.permissions.contains(p)),
                    Some(ids) => ids.iter().all(|id| self.decide(*p, Some(*id)) == Decision::Allowed),
                };
                if !ok {
                    return Err(*p);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> BTreeSet<Permission> {
        builtin_role(name).unwrap().permissions()
    }

    fn scoped(name: &str, servers: &[i64]) -> Authority {
        Authority {
            bindings: vec![Binding {
                role: name.into(),
                permissions: role(name),
                servers: Some(servers.iter().copied().collect()),
            }],
            within: None,
        }
    }

    #[test]
    fn builtin_roles_hold_what_the_table_says() {
        assert_eq!(role("owner").len(), PERMISSIONS.len());
        assert!(!role("admin").contains(&Permission::ADMIN_MANAGE));
        assert_eq!(role("admin").len(), PERMISSIONS.len() - 1);
        assert_eq!(role("auditor"), [Permission::LOGS_READ, Permission::AUDIT_READ].into_iter().collect());
        let manager = role("server-manager");
        for p in [
            Permission::SERVER_READ,
            Permission::SERVER_CREATE,
            Permission::SERVER_UPDATE,
            Permission::SERVER_DELETE,
            Permission::TOOL_MANAGE,
            Permission::TOKEN_MANAGE,
            Permission::POLICY_MANAGE,
            Permission::LOGS_READ,
        ] {
            assert!(manager.contains(&p), "{p}");
        }
        assert_eq!(manager.len(), 8);
        let viewer = role("viewer");
        assert!(viewer.iter().all(|p| p.as_str().ends_with(".read")));
        assert!(!viewer.contains(&Permission::LOGS_READ) && !viewer.contains(&Permission::AUDIT_READ));
    }

    #[test]
    fn a_scoped_binding_reaches_its_servers_only_and_hides_the_others() {
        let a = scoped("server-manager", &[1]);
        assert_eq!(a.decide(Permission::TOKEN_MANAGE, Some(1)), Decision::Allowed);
        assert_eq!(a.decide(Permission::TOKEN_MANAGE, Some(2)), Decision::Hidden);
        assert_eq!(a.decide(Permission::USER_MANAGE, Some(1)), Decision::Forbidden(Permission::USER_MANAGE));
        // Creating a server reaches no server: a scoped binding cannot grant it.
        assert_eq!(a.decide(Permission::SERVER_CREATE, None), Decision::Forbidden(Permission::SERVER_CREATE));
        assert_eq!(a.servers_with(Permission::LOGS_READ), Some([1].into_iter().collect()));
        let auditor = Authority::global(builtin_role("auditor").unwrap());
        assert_eq!(auditor.decide(Permission::LOGS_READ, Some(7)), Decision::Allowed);
        assert_eq!(auditor.decide(Permission::TOKEN_MANAGE, Some(7)), Decision::Forbidden(Permission::TOKEN_MANAGE));
        assert_eq!(auditor.servers_with(Permission::LOGS_READ), None);
    }

    #[test]
    fn narrowing_is_checked_against_what_is_held() {
        let manager_a = scoped("server-manager", &[1]);
        // Scoped to a, auditor's logs.read on a is held; its audit.read reaches no server there.
        assert_eq!(manager_a.covers(&scoped("auditor", &[1])), Ok(()));
        let auditor = Authority::global(builtin_role("auditor").unwrap());
        assert_eq!(manager_a.covers(&auditor), Err(Permission::AUDIT_READ));
        assert_eq!(manager_a.covers(&scoped("server-manager", &[1])), Ok(()));
        assert_eq!(manager_a.covers(&scoped("server-manager", &[2])).map_err(|p| p.reach()), Err(Reach::Server));
        let owner = Authority::global(builtin_role("owner").unwrap());
        assert_eq!(owner.covers(&Authority::global(builtin_role("admin").unwrap())), Ok(()));
        assert!(manager_a.covers(&Authority::global(builtin_role("viewer").unwrap())).is_err());
    }

    #[test]
    fn a_narrowed_authority_allows_what_both_allow() {
        let admin = Authority::global(builtin_role("admin").unwrap());
        let token = admin.clone().narrowed(scoped("server-manager", &[1]));
        assert_eq!(token.decide(Permission::TOKEN_MANAGE, Some(1)), Decision::Allowed);
        assert_eq!(token.decide(Permission::TOKEN_MANAGE, Some(2)), Decision::Hidden);
        assert_eq!(token.decide(Permission::USER_MANAGE, None), Decision::Forbidden(Permission::USER_MANAGE));
        assert_eq!(token.servers_with(Permission::LOGS_READ), Some([1].into_iter().collect()));
        assert!(token.sees_server(1) && !token.sees_server(2));
        let auditor = Authority::global(builtin_role("auditor").unwrap()).narrowed(scoped("owner", &[1, 2]));
        assert_eq!(auditor.decide(Permission::TOKEN_MANAGE, Some(1)), Decision::Forbidden(Permission::TOKEN_MANAGE));
        assert_eq!(auditor.servers_with(Permission::LOGS_READ), Some([1, 2].into_iter().collect()));
    }

    #[test]
    fn permission_lists_parse_with_wildcards_and_name_unknown_ones() {
        let all = parse_permissions(&["server.*".into()]).unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(parse_permissions(&["*".into()]).unwrap().len(), PERMISSIONS.len());
        assert_eq!(parse_permissions(&["logs.read, audit.read".into()]).unwrap().len(), 2);
        assert!(parse_permissions(&["logs.write".into()]).unwrap_err().contains("\"logs.write\""));
        assert!(parse_permissions(&["bogus.*".into()]).unwrap_err().contains("bogus"));
        assert!(parse_permissions(&[]).is_err());
    }
}
