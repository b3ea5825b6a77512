//! The JSON Schemas of `--output json`: one per document shape, generated from the types whose
//! serde form is printed. A test keeps the copies in `packaging/schema/` current.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use crate::model::{ActivityEntry, AuditEntry, Group, Server, Token, Tool, User};
use crate::ops::server::{IpLists, RateLimits, ServerDetail};
use crate::ops::sso::SsoView;
use crate::ops::token::CreatedToken;
use crate::ops::tool::SyncReport;
use crate::store::audit::Verification;

/// A shape's file stem under `packaging/schema/`, the commands that print it, and its schema.
#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    pub printed_by: &'static str,
    pub schema: Schema,
}

fn shape<T: JsonSchema>(name: &'static str, printed_by: &'static str) -> Shape {
    let mut schema = SchemaSettings::draft2020_12().for_serialize().into_generator().into_root_schema_for::<T>();
    schema
        .insert("$comment".into(), format!("Printed by {printed_by}. Generated from the source; do not edit.").into());
    Shape { name, printed_by, schema }
}

/// Every document shape of `--output json`.
pub fn json_schemas() -> Vec<Shape> {
    vec![
        shape::<Server>(
            "server",
            "`server list` (an array), `server create`, `rename`, `enable`, `disable`, `capture`, `upstream-auth` and `delete`",
        ),
        shape::<ServerDetail>("server-detail", "`server show`"),
        shape::<RateLimits>("server-limits", "`server limits` (with or without changes)"),
        shape::<IpLists>("server-ip", "`server ip … list`, `allow`, `deny` and `remove`"),
        shape::<Tool>("tool", "`tool list` (an array), `tool start` and `tool stop`"),
        shape::<SyncReport>("tool-sync", "`tool sync`"),
        shape::<crate::ops::openapi::RefreshPlan>("server-refresh", "`server refresh` (with or without --yes)"),
        shape::<crate::model::ComposedTool>(
            "composed-tool",
            "`server tool list` (an array), `server tool add` and `server tool remove`",
        ),
        shape::<Token>("token", "`token list` (an array) and `token revoke`"),
        shape::<CreatedToken>("created-token", "`token create`"),
        shape::<User>(
            "user",
            "`user list` (an array), `user show`, `create`, `disable`, `enable`, `delete` and `passwd`",
        ),
        shape::<Group>(
            "group",
            "`group list` (an array), `group show`, `create`, `delete`, `add`, `remove`, `grant` and `revoke`",
        ),
        shape::<crate::model::UpstreamConnection>(
            "upstream-connection",
            "`user connections` and `server connections` (arrays), `user disconnect`, `server connect` and `server disconnect`",
        ),
        shape::<SsoView>("sso", "`sso set`, `sso show` and `sso disable`"),
        shape::<crate::ops::identity::IdentitySettings>(
            "server-identity",
            "`server identity` (with or without changes)",
        ),
        shape::<crate::ops::identity::SigningKeyView>("signing-key", "`key list` (an array)"),
        shape::<crate::ops::identity::KeyRotation>("key-rotation", "`key rotate`"),
        shape::<Vec<crate::policy::rbac::PermissionInfo>>("permissions", "`role permissions`"),
        shape::<crate::model::Role>("role", "`role list` (an array), `role show`, `create`, `update` and `delete`"),
        shape::<crate::model::IdpBinding>("idp-binding", "`role bindings`, `role bind` and `role unbind` (arrays)"),
        shape::<crate::model::Admin>(
            "admin",
            "`admin list` (an array), `admin show`, `create`, `disable`, `enable`, `delete`, `passwd`, `grant` and `revoke`",
        ),
        shape::<crate::model::AdminToken>(
            "admin-token",
            "`admin token list` (an array), `admin token revoke` and `admin login` (the token it wrote)",
        ),
        shape::<crate::ops::admin::CreatedToken>("created-admin-token", "`admin token create`"),
        shape::<AuditEntry>("audit-entry", "`audit list` (an array, oldest first)"),
        shape::<Verification>("audit-verify", "`audit verify`"),
        shape::<ActivityEntry>("activity-record", "`logs tail` and `logs export` (one object per line, NDJSON)"),
        shape::<crate::model::SiemSink>(
            "siem-sink",
            "`siem list` (an array), `siem show`, `siem add`, `pause`, `resume` and `remove`",
        ),
        shape::<crate::model::SiemStatus>("siem-status", "`siem status` (an array)"),
        shape::<crate::siem::TestReport>("siem-test", "`siem test`"),
        shape::<super::config::Checked<'static>>("config-check", "`config check`"),
    ]
}
