//! SIEM sink operations: add, list, show, pause, resume, remove (each audited), and the
//! delivery status read from both databases. A sink's credentials (a HEC token, a signing
//! secret, header values) are sealed with the data directory's key for the sink's id, never
//! shown, and appear in the audit trail only as set.

use super::operation::Stores;
use super::{AuditRecord, Changes, Ctx, Error, Result, mutate, query};
use crate::model::{
    ActivityFilter, HttpTarget, SiemFormat, SiemKind, SiemSink, SiemStatus, SiemStream, SinkOptions, StartFrom,
    SyslogTarget, SyslogTransport, check_hec_index, check_hec_sourcetype, check_hec_token, check_signing_secret,
    check_sink_name, describe_ca, parse_ca_pem, parse_sink_header,
};
use crate::policy::rbac::Permission;
use crate::secrets::{SealKey, Secret, SinkCredentials};
use crate::store::siem::SinkRow;
use crate::store::{self, Db};

/// `siem add`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddSink {
    pub name: String,
    pub kind: SiemKind,
    /// The receiver: `tcp://HOST:PORT`, `tls://HOST:PORT` or `udp://HOST:PORT` for syslog, an
    /// `https://` (or loopback `http://`) URL for the HTTP kinds.
    pub url: String,
    /// The PEM CA certificate(s) the receiver's certificate must chain to (`--ca`).
    #[serde(default)]
    pub ca_pem: Option<String>,
    #[serde(default)]
    pub format: Option<SiemFormat>,
    /// `activity,audit` (the default), `activity` or `audit`.
    #[serde(default)]
    pub streams: Option<String>,
    #[serde(default)]
    pub filter: ActivityFilter,
    /// `now` (the default), `beginning` or a time.
    #[serde(default)]
    pub from: Option<String>,
    /// HEC: the token (`--token-stdin`).
    #[serde(default, with = "crate::secrets::wire::option")]
    #[schemars(with = "Option<String>")]
    pub token: Option<Secret>,
    /// `--http`: the secret that signs each request (`--secret-stdin`).
    #[serde(default, with = "crate::secrets::wire::option")]
    #[schemars(with = "Option<String>")]
    pub secret: Option<Secret>,
    /// `--http` and `--otlp`: extra headers (name, value); values may be credentials.
    #[serde(default, with = "crate::secrets::wire::pairs")]
    #[schemars(with = "Vec<(String, String)>")]
    pub headers: Vec<(String, Secret)>,
    /// HEC: the index and the sourcetype.
    #[serde(default)]
    pub index: Option<String>,
    #[serde(default)]
    pub sourcetype: Option<String>,
    /// Allow `http://` to a host that is not loopback.
    #[serde(default)]
    pub insecure_http: bool,
}

/// `siem list`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSinks {}

/// `siem show`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowSink {
    pub sink: String,
}

/// `siem pause|resume`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetSinkPaused {
    pub sink: String,
    pub paused: bool,
}

/// `siem remove`.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveSink {
    pub sink: String,
}

/// `siem status`: every sink's, or one's.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SinkStatus {
    #[serde(default)]
    pub sink: Option<String>,
}

crate::operation!(AddSink, Post "/siem", SIEM_MANAGE, "Add a SIEM sink (its credentials are never shown)", SiemSink, |op, stores, ctx| add(stores, ctx, op));
crate::operation!(ListSinks, Get "/siem", SIEM_READ, "List the SIEM sinks", Vec<SiemSink>, |_op, stores, ctx| {
    ctx.require_global(Permission::SIEM_READ)?;
    list(stores.state()?)
});
crate::operation!(ShowSink, Get "/siem/{sink}", SIEM_READ, "Show a SIEM sink", SiemSink, |op, stores, ctx| {
    ctx.require_global(Permission::SIEM_READ)?;
    show(stores.state()?, &op.sink)
});
crate::operation!(SetSinkPaused, Post "/siem/{sink}/paused", SIEM_MANAGE, "Pause or resume a SIEM sink", SiemSink, |op, stores, ctx| {
    ctx.require_global(Permission::SIEM_MANAGE)?;
    set_paused(stores.state()?, ctx, &op.sink, op.paused)
});
crate::operation!(RemoveSink, Delete "/siem/{sink}", SIEM_MANAGE, "Remove a SIEM sink", SiemSink, |op, stores, ctx| {
    ctx.require_global(Permission::SIEM_MANAGE)?;
    remove(stores.state()?, ctx, &op.sink)
});
crate::operation!(SinkStatus, Get "/siem-status", SIEM_READ, "Each SIEM sink's delivery: state, events delivered, lag, last error, losses", Vec<SiemStatus>, |op, stores, ctx| {
    ctx.require_global(Permission::SIEM_READ)?;
    status(stores, ctx.now, op.sink.as_deref())
});

/// The sink as shown, from its row.
pub fn sink_of(row: &SinkRow) -> SiemSink {
    let options = options_of(row);
    SiemSink {
        id: row.id,
        name: row.name.clone(),
        kind: row.kind.clone(),
        url: row.url.clone(),
        format: SiemFormat::parse(&row.format).unwrap_or(SiemFormat::Rfc5424),
        ca: row.ca_pem.as_deref().map(describe_ca),
        index: options.index,
        sourcetype: options.sourcetype,
        headers: options.headers,
        token_set: row.kind == SiemKind::Hec.as_str() && row.secret_sealed.is_some(),
        secret_set: options.signed && row.secret_sealed.is_some(),
        streams: streams_of(row),
        filter: serde_json::from_str(&row.filter).unwrap_or_default(),
        from: row.start_from.clone(),
        paused: row.paused,
        created_at: row.created_at.clone(),
        updated_at: row.updated_at.clone(),
    }
}

/// The streams a stored sink takes.
pub fn streams_of(row: &SinkRow) -> Vec<SiemStream> {
    serde_json::from_str(&row.streams).unwrap_or_else(|_| SiemStream::ALL.to_vec())
}

/// The options of a stored sink (HEC's index and sourcetype, header names).
pub fn options_of(row: &SinkRow) -> SinkOptions {
    serde_json::from_str(&row.options).unwrap_or_default()
}

/// Opens a stored sink's credentials (none stored: empty).
pub fn credentials_of(key: &SealKey, row: &SinkRow) -> Result<SinkCredentials> {
    match &row.secret_sealed {
        None => Ok(SinkCredentials::default()),
        Some(sealed) => SinkCredentials::open(key, row.id, sealed)
            .map_err(|e| Error::Internal(format!("sink {:?}: its credentials: {e}", row.name))),
    }
}

/// A flag given for a kind of sink it does not apply to.
fn not_for(flag: &str, kind: SiemKind, applies: &str) -> Error {
    Error::Invalid(format!("{flag} applies to {applies} sinks only, not {}", kind.flag()))
}

/// Checks what is particular to the kind of sink: the URL as stored, whether `--ca` may apply,
/// the options and the credentials.
fn check_kind(req: &AddSink) -> Result<(String, SinkOptions, SinkCredentials)> {
    let kind = req.kind;
    let (url, tls) = match kind {
        SiemKind::Syslog => {
            let target = SyslogTarget::parse(&req.url)?;
            (target.url(), target.transport == SyslogTransport::Tls)
        }
        _ => {
            let target = HttpTarget::parse(kind, &req.url, req.insecure_http)?;
            (target.url.to_string(), target.is_tls())
        }
    };
    if req.format.is_some() && kind != SiemKind::Syslog {
        return Err(not_for("--format", kind, "--syslog"));
    }
    if req.insecure_http && kind == SiemKind::Syslog {
        return Err(not_for("--insecure-http", kind, "--hec, --http and --otlp"));
    }
    if req.token.is_some() && kind != SiemKind::Hec {
        return Err(not_for("--token-stdin", kind, "--hec"));
    }
    if req.index.is_some() && kind != SiemKind::Hec {
        return Err(not_for("--index", kind, "--hec"));
    }
    if req.sourcetype.is_some() && kind != SiemKind::Hec {
        return Err(not_for("--sourcetype", kind, "--hec"));
    }
    if req.secret.is_some() && kind != SiemKind::Http {
        return Err(not_for("--secret-stdin", kind, "--http"));
    }
    if !req.headers.is_empty() && !matches!(kind, SiemKind::Http | SiemKind::Otlp) {
        return Err(not_for("--header", kind, "--http and --otlp"));
    }
    let mut options = SinkOptions::default();
    let mut credentials = SinkCredentials::default();
    if kind == SiemKind::Hec {
        let token = req.token.as_ref().ok_or_else(|| {
            Error::Invalid("--hec needs --token-stdin: the HEC token is read from standard input".into())
        })?;
        check_hec_token(token.expose())?;
        credentials.token = Some(token.expose().to_string());
        if let Some(index) = &req.index {
            check_hec_index(index)?;
        }
        if let Some(sourcetype) = &req.sourcetype {
            check_hec_sourcetype(sourcetype)?;
        }
        options.index.clone_from(&req.index);
        options.sourcetype.clone_from(&req.sourcetype);
    }
    if let Some(secret) = &req.secret {
        check_signing_secret(secret.expose())?;
        credentials.secret = Some(secret.expose().to_string());
        options.signed = true;
    }
    for (name, value) in &req.headers {
        let (name, value) = parse_sink_header(name, value.expose())?;
        if credentials.headers.insert(name.clone(), value).is_some() {
            return Err(Error::Invalid(format!("--header {name} is given twice")));
        }
    }
    options.headers = credentials.headers.keys().cloned().collect();
    let what = match kind {
        SiemKind::Syslog => "tls:// receivers",
        _ => "https:// receivers",
    };
    if req.ca_pem.is_some() && !tls {
        return Err(Error::Invalid(format!("--ca applies to {what} only")));
    }
    Ok((url, options, credentials))
}

/// Validates a new sink and stores it, with its starting positions, in one audited transaction.
/// `activity` is the activity database, read for where `--from` starts the activity stream.
pub fn add(stores: &mut dyn Stores, ctx: &Ctx, req: AddSink) -> Result<SiemSink> {
    ctx.require_global(Permission::SIEM_MANAGE)?;
    check_sink_name(&req.name)?;
    let (url, options, credentials) = check_kind(&req)?;
    let ca_pem = match req.ca_pem {
        Some(pem) => {
            parse_ca_pem(pem.as_bytes())?;
            Some(pem)
        }
        None => None,
    };
    // The HTTP kinds send the `json` rendering of each event (in HEC's envelope, as NDJSON, or
    // as an OTLP log record's body).
    let format = match req.kind {
        SiemKind::Syslog => req.format.unwrap_or(SiemFormat::Rfc5424),
        _ => SiemFormat::Json,
    };
    let streams = match &req.streams {
        Some(raw) => SiemStream::parse_list(raw)?,
        None => SiemStream::ALL.to_vec(),
    };
    store::activity::filter_conditions(&req.filter)?;
    let from_raw = req.from.clone().unwrap_or_else(|| "now".into());
    let from = StartFrom::parse(&from_raw, ctx.now)?;
    let from_shown = match &from {
        StartFrom::Time(t) => store::timestamp(*t),
        _ => from_raw,
    };
    let activity_start = stores
        .activity()?
        .read_sql(|tx| match &from {
            StartFrom::Beginning => Ok(0),
            StartFrom::Now => store::activity::ids(tx).map(|(last, _)| last),
            StartFrom::Time(t) => store::activity::position_at(tx, &store::timestamp(*t)),
        })
        .map_err(Error::Store)?;
    let key = stores.key()?;
    let now = ctx.timestamp();
    mutate(stores.state()?, ctx, |tx| {
        if store::siem::by_name(tx, &req.name)?.is_some() {
            return Err(Error::Conflict(format!("a sink named {:?} already exists", req.name)));
        }
        let audit_start = match &from {
            StartFrom::Beginning => 0,
            // The sink's own `siem.add` entry, appended after this, is its first event.
            StartFrom::Now => store::audit::last_id(tx)?,
            StartFrom::Time(t) => store::audit::position_at(tx, &store::timestamp(*t))?,
        };
        let mut row = SinkRow {
            id: 0,
            name: req.name.clone(),
            kind: req.kind.as_str().into(),
            url: url.clone(),
            format: format.as_str().into(),
            ca_pem: ca_pem.clone(),
            streams: serde_json::to_string(&streams).map_err(|e| Error::Internal(e.to_string()))?,
            filter: serde_json::to_string(&req.filter).map_err(|e| Error::Internal(e.to_string()))?,
            options: serde_json::to_string(&options).map_err(|e| Error::Internal(e.to_string()))?,
            secret_sealed: None,
            start_from: from_shown,
            activity_start: activity_start.max(0),
            audit_start: audit_start.max(0),
            paused: false,
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        row.id = store::siem::insert(tx, &row)?;
        if !credentials.is_empty() {
            // Sealed for the id the row just got: a blob copied to another sink does not open.
            let sealed = credentials.seal(&key, row.id).map_err(|e| Error::Internal(e.to_string()))?;
            store::siem::set_secret(tx, row.id, &sealed)?;
            row.secret_sealed = Some(sealed);
        }
        let sink = sink_of(&row);
        let skip = ["id", "name", "created_at", "updated_at", "paused", "token_set", "secret_set"];
        let mut changes = Changes::new().created(&sink, &skip);
        if credentials.token.is_some() {
            changes = changes.secret("token");
        }
        if credentials.secret.is_some() {
            changes = changes.secret("secret");
        }
        if !credentials.headers.is_empty() {
            changes = changes.secret("header_values");
        }
        let record = AuditRecord::new("siem.add", "siem_sink", row.id, &row.name, changes);
        Ok((sink, record))
    })
}

fn find(tx: &store::Transaction<'_>, name: &str) -> Result<SinkRow> {
    store::siem::by_name(tx, name)?.ok_or_else(|| Error::NotFound(format!("no sink named {name:?}")))
}

pub fn list(db: &mut Db) -> Result<Vec<SiemSink>> {
    query(db, |tx| Ok(store::siem::list(tx)?.iter().map(sink_of).collect()))
}

pub fn show(db: &mut Db, name: &str) -> Result<SiemSink> {
    query(db, |tx| find(tx, name).map(|row| sink_of(&row)))
}

/// Every sink's row and the instance id, for the gateway's delivery.
pub fn sinks_for_delivery(db: &mut Db) -> Result<(String, Vec<SinkRow>)> {
    query(db, |tx| Ok((store::siem::instance(tx)?, store::siem::list(tx)?)))
}

/// Pauses (`true`) or resumes a sink; the gateway stops or starts its delivery within a second.
pub fn set_paused(db: &mut Db, ctx: &Ctx, name: &str, paused: bool) -> Result<SiemSink> {
    let now = ctx.timestamp();
    mutate(db, ctx, |tx| {
        let before = find(tx, name)?;
        if before.paused == paused {
            let state = if paused { "paused" } else { "not paused" };
            return Err(Error::Conflict(format!("sink {name:?} is already {state}")));
        }
        store::siem::set_paused(tx, before.id, paused, &now)?;
        let after = SinkRow { paused, updated_at: now.clone(), ..before.clone() };
        let changes = Changes::new().field("paused", before.paused, paused);
        let action = if paused { "siem.pause" } else { "siem.resume" };
        Ok((sink_of(&after), AuditRecord::new(action, "siem_sink", before.id, name, changes)))
    })
}

/// Removes a sink; its delivery stops and its cursors are dropped by the gateway.
pub fn remove(db: &mut Db, ctx: &Ctx, name: &str) -> Result<SiemSink> {
    mutate(db, ctx, |tx| {
        let row = find(tx, name)?;
        store::siem::delete(tx, row.id)?;
        let sink = sink_of(&row);
        let changes = Changes::new().deleted(&sink, &["id", "name", "created_at", "updated_at"]);
        Ok((sink, AuditRecord::new("siem.remove", "siem_sink", row.id, name, changes)))
    })
}

/// Each sink's delivery status (a sink is `stopped` while no gateway serves the data directory);
/// `now` measures the lag.
pub fn status(
    stores: &mut dyn Stores,
    now: chrono::DateTime<chrono::Utc>,
    only: Option<&str>,
) -> Result<Vec<SiemStatus>> {
    let rows = query(stores.state()?, |tx| match only {
        Some(name) => Ok(vec![find(tx, name)?]),
        None => Ok(store::siem::list(tx)?),
    })?;
    // Without a gateway nothing is delivered.
    let gateway_running = stores.gateway_running()?;
    let mut out = Vec::new();
    for row in rows {
        let streams = streams_of(&row);
        let filter: ActivityFilter = serde_json::from_str(&row.filter).unwrap_or_default();
        let conditions = store::activity::filter_conditions(&filter)?;
        let mut delivered = 0;
        let mut lag = 0;
        let mut oldest: Option<String> = None;
        let mut lost = 0;
        let progress = stores
            .activity()?
            .read_sql(|tx| {
                let a = store::siem::cursor(tx, row.id, "activity")?;
                let b = store::siem::cursor(tx, row.id, "audit")?;
                let status = store::siem::status(tx, row.id)?;
                let lost_at = store::siem::last_lost_at(tx, row.id)?;
                let pending = if streams.contains(&SiemStream::Activity) {
                    let after = a.map_or(row.activity_start, |c| c.position);
                    Some(store::activity::pending(tx, &conditions, after)?)
                } else {
                    None
                };
                Ok((a, b, status, lost_at, pending))
            })
            .map_err(Error::Store)?;
        let (a, b, status_row, last_lost_at, activity_pending) = progress;
        for c in [a, b].into_iter().flatten() {
            delivered += c.delivered;
            lost += c.lost;
        }
        if let Some((n, first)) = activity_pending {
            lag += n;
            oldest = first;
        }
        if streams.contains(&SiemStream::Audit) {
            let after = b.map_or(row.audit_start, |c| c.position);
            let (n, first) = query(stores.state()?, |tx| Ok(store::audit::pending(tx, after)?))?;
            lag += n;
            oldest = match (oldest, first) {
                (Some(x), Some(y)) => Some(if x <= y { x } else { y }),
                (x, y) => x.or(y),
            };
        }
        let lag_seconds = oldest
            .as_deref()
            .and_then(store::parse_timestamp)
            .map_or(0.0, |t| ((now - t).num_milliseconds().max(0) as f64) / 1000.0);
        let status_row = status_row.unwrap_or_default();
        let (state, since) = if row.paused {
            ("paused".to_string(), Some(row.updated_at.clone()))
        } else if !gateway_running {
            ("stopped".to_string(), None)
        } else if status_row.state.is_empty() {
            ("connecting".to_string(), None)
        } else {
            (status_row.state.clone(), Some(status_row.since.clone()))
        };
        out.push(SiemStatus {
            name: row.name.clone(),
            state,
            since,
            delivered,
            lag_events: lag,
            lag_seconds,
            oldest_undelivered: oldest,
            last_error: status_row.last_error,
            last_error_at: status_row.last_error_at,
            last_delivery_at: status_row.last_delivery_at,
            lost,
            last_lost_at,
        });
    }
    Ok(out)
}
