//! The admin API under `/api/v1`: every admin operation (`ops::operation`) as a route, called with
//! an admin token (`Authorization: Bearer mcpcpa_…`).
//!
//! A request is authenticated (the token's digest looked up in `state.db`: a revoked token is
//! refused from the next request on), rate-limited per token, checked against the route's
//! permission (403 naming it), parsed strictly into the operation's type (unknown fields are
//! errors; the body is capped), and run by the same `Operation::run` as the local CLI, on a
//! blocking thread, as the admin (the audit entry names it, `via api`, and the token's prefix).
//! The operation checks the permission again on its server: a server outside the admin's
//! bindings is answered 404 as if it did not exist. Errors are RFC 9457 problem details.
//!
//! Architecture invariant: a route is added only by [`Api::op`], from an `Operation`, which
//! cannot exist without its permission; `routes()` is the one list, and the OpenAPI document is
//! generated from it.

mod follow;
mod openapi;
pub mod openapi_server;
pub(crate) mod problem;
pub mod upstream;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post};

pub use openapi::document;
use problem::Problem;

use super::Shared;
use crate::ops::admin::{ADMIN_TOKEN_PREFIX, AdminPrincipal};
use crate::ops::operation::{Method, Operation};
use crate::ops::{self, Ctx};
use crate::policy::rate::{Gcra, Rate};
use crate::policy::rbac::{Decision, Permission, Reach};
use crate::store::Db;

/// The largest request body.
pub const MAX_BODY: usize = 1 << 20;
/// Connections the admin API's own listener (`admin.listen`) serves at once.
pub const MAX_CONNECTIONS: usize = 64;
/// Requests per admin token: 20 a second, bursts of 100.
const RATE: Rate = Rate { count: 20, period: Duration::from_secs(1) };
const BURST: u32 = 100;

/// The admin API's own state: each token's rate-limit state.
#[derive(Debug, Default)]
pub struct ApiState {
    rates: Mutex<HashMap<i64, u64>>,
    streams: follow::Streams,
    started: std::sync::OnceLock<std::time::Instant>,
}

impl ApiState {
    fn admit(&self, token_id: i64) -> Result<(), Duration> {
        let start = *self.started.get_or_init(std::time::Instant::now);
        let now = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let mut rates = self.rates.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if rates.len() > 10_000 {
            rates.retain(|_, tat| *tat > now);
        }
        let tat = rates.entry(token_id).or_insert(0);
        Gcra::new(RATE, BURST).check(tat, now).map_err(|l| l.retry_after)
    }
}

/// One route as the OpenAPI document and the route test see it.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    /// Under `/api/v1`, with `{field}` segments.
    pub path: &'static str,
    pub permission: Permission,
    pub summary: &'static str,
    /// The operation's type name (its `operationId`).
    pub name: &'static str,
    pub input: schemars::Schema,
    pub output: schemars::Schema,
}

/// The routes being built, with what each declares.
struct Api {
    router: Router<Arc<Shared>>,
    routes: Vec<RouteInfo>,
}

impl Api {
    fn new() -> Api {
        Api { router: Router::new(), routes: Vec::new() }
    }

    /// Adds the route of operation `O`.
    fn op<O: Operation>(self) -> Api {
        self.op_with::<O, _, _>(handle::<O>)
    }

    /// Adds the route of operation `O` served by `handler`, which admits requests as
    /// [`handle`] does ([`admit`]) and may answer more than the operation's output (a stream).
    fn op_with<O: Operation, H: axum::handler::Handler<T, Arc<Shared>>, T: 'static>(mut self, handler: H) -> Api {
        let method: MethodRouter<Arc<Shared>> = match O::METHOD {
            Method::Get => get(handler),
            Method::Post => post(handler),
            Method::Patch => patch(handler),
            Method::Delete => delete(handler),
        };
        let name = std::any::type_name::<O>().rsplit("::").next().unwrap_or("operation");
        self.routes.push(RouteInfo {
            method: O::METHOD,
            path: O::PATH,
            permission: O::PERMISSION,
            summary: O::SUMMARY,
            name,
            input: schemars::schema_for!(O),
            output: schemars::schema_for!(O::Output),
        });
        self.router = self.router.route(O::PATH, method);
        self
    }
}

/// Every operation of the admin API.
fn api() -> Api {
    use crate::ops::admin::{
        BindAdmin, CreateAdminToken, DeleteAdmin, ListAdminTokens, ListAdmins, NewAdmin, RevokeAdminToken,
        SetAdminDisabled, SetAdminPassword, ShowAdmin,
    };
    use crate::ops::audit::{ListAudit, VerifyAudit};
    use crate::ops::composed::{AddComposedTool, ListComposedTools, RemoveComposedTool};
    use crate::ops::connection::{DisconnectServer, DisconnectUser, ListServerConnections, ListUserConnections};
    use crate::ops::group::{CreateGroup, DeleteGroup, EditGroup, ListGroups, ShowGroup};
    use crate::ops::identity::{ListKeys, RotateKey, SetIdentity, ShowIdentity};
    use crate::ops::logs::{ExportLogs, ShowLog, TailLogs};
    use crate::ops::role::{BindRole, CreateRole, DeleteRole, ListIdpBindings, ListRoles, ShowRole, UpdateRole};
    use crate::ops::server::{
        DeleteServer, EditIpRules, ListIpRules, ListServers, RenameServer, SetCapture, SetLimits, SetServerEnabled,
        ShowLimits, ShowServer,
    };
    use crate::ops::siem::{AddSink, ListSinks, RemoveSink, SetSinkPaused, ShowSink, SinkStatus};
    use crate::ops::sso::{DisableSso, SetSso, ShowSso};
    use crate::ops::token::{CreateToken, ListTokens, RevokeToken};
    use crate::ops::tool::{ListTools, SetToolState};
    use crate::ops::user::{
        CreateUser, DeleteUser, ListUserSessions, ListUsers, SetUserDisabled, SetUserPassword, ShowUser, SignOutUser,
    };
    use crate::siem::TestSink;
    use upstream::{CreateServer, LinkSharedConnection, SetUpstreamAuth, SyncTools};
    Api::new()
        .op::<ListServers>()
        .op::<ShowServer>()
        .op::<CreateServer>()
        .op::<RenameServer>()
        .op::<SetServerEnabled>()
        .op::<SetCapture>()
        .op::<DeleteServer>()
        .op::<SetUpstreamAuth>()
        .op::<ShowIdentity>()
        .op::<SetIdentity>()
        .op::<ListIpRules>()
        .op::<EditIpRules>()
        .op::<ListServerConnections>()
        .op::<LinkSharedConnection>()
        .op::<DisconnectServer>()
        .op::<ListTools>()
        .op::<SyncTools>()
        .op::<openapi_server::RefreshServer>()
        .op::<SetToolState>()
        .op::<ListComposedTools>()
        .op::<AddComposedTool>()
        .op::<RemoveComposedTool>()
        .op::<ShowLimits>()
        .op::<SetLimits>()
        .op::<CreateToken>()
        .op::<ListTokens>()
        .op::<RevokeToken>()
        .op::<ListUsers>()
        .op::<ShowUser>()
        .op::<CreateUser>()
        .op::<SetUserDisabled>()
        .op::<DeleteUser>()
        .op::<SetUserPassword>()
        .op::<ListUserConnections>()
        .op::<DisconnectUser>()
        .op::<ListUserSessions>()
        .op::<SignOutUser>()
        .op::<ListGroups>()
        .op::<ShowGroup>()
        .op::<CreateGroup>()
        .op::<EditGroup>()
        .op::<DeleteGroup>()
        .op_with::<TailLogs, _, _>(follow::logs)
        .op::<ShowLog>()
        .op::<ExportLogs>()
        .op::<ListKeys>()
        .op::<RotateKey>()
        .op::<ShowSso>()
        .op::<SetSso>()
        .op::<DisableSso>()
        .op::<ListSinks>()
        .op::<ShowSink>()
        .op::<AddSink>()
        .op::<SetSinkPaused>()
        .op::<RemoveSink>()
        .op::<TestSink>()
        .op::<SinkStatus>()
        .op::<ListAdmins>()
        .op::<ShowAdmin>()
        .op::<NewAdmin>()
        .op::<SetAdminDisabled>()
        .op::<DeleteAdmin>()
        .op::<SetAdminPassword>()
        .op::<BindAdmin>()
        .op::<CreateAdminToken>()
        .op::<ListAdminTokens>()
        .op::<RevokeAdminToken>()
        .op::<ListRoles>()
        .op::<ShowRole>()
        .op::<CreateRole>()
        .op::<UpdateRole>()
        .op::<DeleteRole>()
        .op::<BindRole>()
        .op::<ListIdpBindings>()
        .op::<ListAudit>()
        .op::<VerifyAudit>()
}

/// What every route declares, in registration order.
pub fn routes() -> Vec<RouteInfo> {
    api().routes
}

/// The admin API's router, to nest under `/api/v1`.
pub fn router() -> Router<Arc<Shared>> {
    api()
        .router
        .route("/openapi.json", get(openapi_json))
        // `mcpcp admin login`: no admin token yet; see `oauth::admin_login`.
        .route("/login", get(super::oauth::admin_login::login))
        .route("/login/token", post(super::oauth::admin_login::exchange))
        .fallback(|| async {
            Problem::new(StatusCode::NOT_FOUND, "no such admin API route (see /api/v1/openapi.json)").into_response()
        })
}

async fn openapi_json(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(document(&shared.public_url)).into_response()
}

/// The gateway's databases and key, opened for one request on its blocking thread.
pub(super) struct GatewayStores {
    state_path: std::path::PathBuf,
    activity_path: std::path::PathBuf,
    options: crate::store::OpenOptions,
    key: crate::secrets::SealKey,
    public_url: String,
    state: Option<Db>,
    activity: Option<Db>,
}

impl GatewayStores {
    fn new(shared: &Shared) -> GatewayStores {
        GatewayStores {
            state_path: shared.state_db.clone(),
            activity_path: shared.recorder.path().to_path_buf(),
            options: shared.db_options,
            key: shared.key.clone(),
            public_url: shared.public_url.clone(),
            state: None,
            activity: None,
        }
    }
}

impl ops::operation::Stores for GatewayStores {
    fn state(&mut self) -> ops::Result<&mut Db> {
        if self.state.is_none() {
            self.state = Some(Db::open(&self.state_path, crate::store::Schema::State, self.options)?);
        }
        self.state.as_mut().ok_or_else(|| ops::Error::Internal("state database unavailable".into()))
    }

    fn activity(&mut self) -> ops::Result<&mut Db> {
        if self.activity.is_none() {
            self.activity = Some(Db::open(&self.activity_path, crate::store::Schema::Activity, self.options)?);
        }
        self.activity.as_mut().ok_or_else(|| ops::Error::Internal("activity database unavailable".into()))
    }

    fn key(&mut self) -> ops::Result<crate::secrets::SealKey> {
        Ok(self.key.clone())
    }

    fn public_url(&mut self) -> ops::Result<String> {
        Ok(self.public_url.clone())
    }

    fn gateway_running(&mut self) -> ops::Result<bool> {
        Ok(true)
    }
}

/// The admin a request's bearer token names, or the 401 to answer.
async fn authenticate(shared: &Arc<Shared>, headers: &HeaderMap) -> Result<AdminPrincipal, Problem> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| t.starts_with(ADMIN_TOKEN_PREFIX) && t.len() <= 128)
        .ok_or_else(|| Problem::unauthorized("an admin token is required: Authorization: Bearer mcpcpa_…"))?
        .to_string();
    let (path, options, now) = (shared.state_db.clone(), shared.db_options, shared.clock.now());
    let found = tokio::task::spawn_blocking(move || -> ops::Result<Option<AdminPrincipal>> {
        let mut db = Db::open(&path, crate::store::Schema::State, options)?;
        ops::admin::authenticate(&mut db, now, &presented)
    })
    .await
    .map_err(|e| Problem::internal(&e.to_string()))?
    .map_err(|e| Problem::from_ops(&e))?;
    found.ok_or_else(|| {
        Problem::unauthorized("the admin token is unknown, revoked or expired, or its admin is disabled")
    })
}

/// Whether `authority` holds `permission` anywhere (the route's check; the operation checks it
/// on its server).
fn holds_anywhere(principal: &AdminPrincipal, permission: Permission) -> bool {
    match permission.reach() {
        Reach::Global => principal.authority.decide(permission, None) == Decision::Allowed,
        Reach::Server => principal.authority.servers_with(permission).is_none_or(|ids| !ids.is_empty()),
    }
}

/// The request's fields: the path's `{field}` segments, and the query (GET, DELETE) or the JSON
/// body's members (POST, PATCH).
fn parse<O: Operation>(path: HashMap<String, String>, query: Option<String>, body: &Bytes) -> Result<O, Problem> {
    if O::METHOD.in_query() {
        if !body.is_empty() {
            return Err(Problem::bad_request("this route takes no request body"));
        }
        let mut pairs: Vec<(String, String)> = match &query {
            Some(q) => serde_html_form::from_str(q).map_err(|e| Problem::bad_request(&format!("bad query: {e}")))?,
            None => Vec::new(),
        };
        if pairs.iter().any(|(k, _)| path.contains_key(k)) {
            return Err(Problem::bad_request("a path field is repeated in the query"));
        }
        pairs.extend(path);
        let encoded = serde_html_form::to_string(&pairs).map_err(|e| Problem::internal(&e.to_string()))?;
        serde_html_form::from_str(&encoded).map_err(|e| Problem::bad_request(&format!("bad request: {e}")))
    } else {
        if query.as_deref().is_some_and(|q| !q.is_empty()) {
            return Err(Problem::bad_request("this route takes its fields in a JSON body, not the query"));
        }
        let mut fields = if body.is_empty() {
            serde_json::Map::new()
        } else {
            match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(serde_json::Value::Object(map)) => map,
                Ok(_) => return Err(Problem::bad_request("the request body must be a JSON object")),
                Err(e) => return Err(Problem::bad_request(&format!("the request body is not valid JSON: {e}"))),
            }
        };
        for (k, v) in path {
            if fields.insert(k.clone(), serde_json::Value::String(v)).is_some() {
                return Err(Problem::bad_request(&format!("{k:?} is in the path; leave it out of the body")));
            }
        }
        serde_json::from_value(serde_json::Value::Object(fields))
            .map_err(|e| Problem::bad_request(&format!("bad request: {e}")))
    }
}

async fn handle<O: Operation>(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(path): Path<HashMap<String, String>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let result = async {
        let admitted = admit::<O>(&shared, peer, &headers, path, query, &body).await?;
        admitted.execute().await
    };
    match result.await {
        Ok(output) => axum::Json(output).into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// A request that passed the checks every route makes, ready to run.
struct Admitted<O> {
    op: O,
    ctx: Ctx,
    stores: GatewayStores,
    /// The admin token's id (its rate and its follow streams).
    token_id: i64,
}

impl<O: Operation> Admitted<O> {
    /// Runs the operation on a blocking thread.
    async fn execute(self) -> Result<O::Output, Problem> {
        let Admitted { op, ctx, mut stores, .. } = self;
        tokio::task::spawn_blocking(move || op.run(&mut stores, &ctx))
            .await
            .map_err(|e| Problem::internal(&e.to_string()))?
            .map_err(|e| Problem::from_ops(&e))
    }
}

/// The checks of every route, in order: body size, authentication (401), the token's rate
/// (429), the route's permission (403), strict parsing (400). The operation checks the
/// permission again on its server when it runs.
async fn admit<O: Operation>(
    shared: &Arc<Shared>,
    peer: SocketAddr,
    headers: &HeaderMap,
    path: HashMap<String, String>,
    query: Option<String>,
    body: &Bytes,
) -> Result<Admitted<O>, Problem> {
    if body.len() > MAX_BODY {
        return Err(Problem::new(StatusCode::PAYLOAD_TOO_LARGE, &format!("the request body exceeds {MAX_BODY} bytes")));
    }
    let principal = authenticate(shared, headers).await?;
    shared.admin_api.admit(principal.token.id).map_err(Problem::rate_limited)?;
    if !holds_anywhere(&principal, O::PERMISSION) {
        return Err(Problem::forbidden(O::PERMISSION));
    }
    let op = parse::<O>(path, query, body)?;
    let ip = shared.client_ip(peer, headers);
    let token_id = principal.token.id;
    let ctx = Ctx {
        actor: crate::model::Actor { kind: "admin".into(), name: principal.admin.name.clone() },
        origin: format!("api {ip} token {}", principal.token.prefix),
        now: shared.clock.now(),
        authority: principal.authority,
    };
    Ok(Admitted { op, ctx, stores: GatewayStores::new(shared), token_id })
}
