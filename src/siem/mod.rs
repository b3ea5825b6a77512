//! Streaming the activity log and the audit trail to SIEMs. The gateway runs [`run`]: one task
//! per sink that is not paused (`sink`), started, stopped and restarted as `mcpcp siem` changes
//! the sinks in `state.db`; each reads its events from the databases (`read`), renders them
//! (`format`: syslog; `encode`: the request bodies of HEC, NDJSON and OTLP) and sends them
//! (`transport`: syslog connections, HTTP requests). Nothing here is on a request's path: calls only
//! append to the activity journal, and sinks read what the writer committed.

pub mod encode;
pub mod format;
mod read;
pub mod sink;
pub mod transport;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::model::{SiemFormat, SiemKind, SiemStream, SyslogTarget};
use crate::secrets::SealKey;
use crate::store::siem::SinkRow;
use crate::store::{Db, OpenOptions, Schema};

/// How often the sinks in `state.db` are looked at (a commit there shows in `data_version`).
const WATCH: Duration = Duration::from_millis(250);

/// Where the delivery reads from and what it runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub state_db: PathBuf,
    pub activity_db: PathBuf,
    pub options: OpenOptions,
    pub clock: Clock,
    /// The data directory's key: sinks' credentials are sealed with it.
    pub key: SealKey,
}

/// Runs every sink's delivery until `shutdown`; applies changes to the sinks within a second.
pub async fn run(settings: Settings, shutdown: CancellationToken) {
    let mut running: HashMap<i64, (String, CancellationToken)> = HashMap::new();
    let mut watched: Option<(Db, i64)> = None;
    let mut tick = tokio::time::interval(WATCH);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tick.tick() => {}
        }
        let s = settings.clone();
        let previous = watched.take();
        let looked = tokio::task::spawn_blocking(move || look(&s, previous)).await;
        let (db, version, sinks) = match looked {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot read the SIEM sinks");
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the SIEM sinks");
                continue;
            }
        };
        watched = Some((db, version));
        let Some((instance, sinks)) = sinks else { continue };
        // Stop what was removed, paused or changed; start what is new or resumed.
        let wanted: HashMap<i64, &SinkRow> = sinks.iter().filter(|s| !s.paused).map(|s| (s.id, s)).collect();
        running.retain(|id, (version, cancel)| {
            let keep = wanted.get(id).is_some_and(|s| &s.updated_at == version);
            if !keep {
                cancel.cancel();
            }
            keep
        });
        for (id, sink) in wanted {
            if running.contains_key(&id) {
                continue;
            }
            let cancel = shutdown.child_token();
            let task = sink::Task {
                sink: sink.clone(),
                instance: instance.clone(),
                state_db: settings.state_db.clone(),
                activity_db: settings.activity_db.clone(),
                options: settings.options,
                clock: settings.clock.clone(),
                key: settings.key.clone(),
                cancel: cancel.clone(),
            };
            tracing::info!(sink = sink.name, url = sink.url, "SIEM sink starting");
            tokio::spawn(task.run());
            running.insert(id, (sink.updated_at.clone(), cancel));
        }
        // Removed sinks no longer hold retention back.
        let keep: Vec<i64> = sinks.iter().map(|s| s.id).collect();
        let s = settings.clone();
        let forgotten = tokio::task::spawn_blocking(move || {
            let mut db = Db::open(&s.activity_db, Schema::Activity, s.options)?;
            db.write(|tx| {
                crate::store::siem::forget_others(tx, &keep)
                    .map_err(|e| crate::store::SqlError::from(e).at(&s.activity_db, Duration::ZERO))
            })
        })
        .await;
        if let Ok(Err(e)) = forgotten {
            tracing::warn!(error = %e, "cannot drop the cursors of removed SIEM sinks");
        }
    }
    for (_, (_, cancel)) in running {
        cancel.cancel();
    }
}

type Looked = (Db, i64, Option<(String, Vec<SinkRow>)>);

/// Reads the sinks when `state.db` changed since `previous` (always the first time).
fn look(settings: &Settings, previous: Option<(Db, i64)>) -> Result<Looked, String> {
    let (mut db, seen) = match previous {
        Some((db, version)) => (db, Some(version)),
        None => (Db::open(&settings.state_db, Schema::State, settings.options).map_err(|e| e.to_string())?, None),
    };
    let version = db.data_version().map_err(|e| e.to_string())?;
    if seen == Some(version) {
        return Ok((db, version, None));
    }
    let sinks = crate::ops::siem::sinks_for_delivery(&mut db).map_err(|e| e.to_string())?;
    Ok((db, version, Some(sinks)))
}

/// `siem test`: one test event to a sink's receiver, from where the operation runs (through
/// the admin API: from the gateway, which delivers to it).
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSink {
    pub sink: String,
}

crate::operation!(TestSink, Post "/siem/{sink}/test", SIEM_MANAGE, "Send one test event to a SIEM sink's receiver and report its answer", TestReport, |op, stores, ctx| {
    use crate::ops::Error;
    ctx.require_global(TestSink::PERMISSION)?;
    let (instance, sinks) = crate::ops::siem::sinks_for_delivery(stores.state()?)?;
    let name = op.sink;
    let sink = sinks
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| Error::NotFound(format!("no sink named {name:?}")))?;
    let key = stores.key()?;
    let now = ctx.now;
    let clock = Clock::from_fn(move || now);
    crate::ops::operation::block_on(test(&sink, &instance, &clock, &key))?
        .map_err(|e| Error::External(format!("sink {name:?}: {e}")))
});

/// What `siem test` found.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct TestReport {
    pub sink: String,
    /// The connection: transport, address, TLS version and verification (for the HTTP kinds:
    /// the request, and whose trust the certificate was verified against).
    pub connection: String,
    /// The test event's id.
    pub event_id: String,
    pub bytes: usize,
    /// What the receiver did: syslog receivers send no answer, so this says whether the
    /// connection was still open a second after the event was written and flushed; HTTP
    /// receivers answer with a status and a body (its start, escaped).
    pub answer: String,
    /// The HTTP status of the answer (the HTTP kinds); `null` for syslog.
    pub http_status: Option<u16>,
}

/// The test event.
fn test_event(clock: &Clock) -> format::Event {
    format::Event {
        stream: SiemStream::Activity,
        seq: 0,
        body: format::Body::Test { time: crate::store::timestamp(clock.now()) },
    }
}

/// Sends one test event to a sink's receiver and reports what it did; the sink's cursor is
/// untouched. `key` opens the sink's credentials.
pub async fn test(sink: &SinkRow, instance: &str, clock: &Clock, key: &SealKey) -> Result<TestReport, String> {
    match SiemKind::parse(&sink.kind) {
        Some(SiemKind::Syslog) => test_syslog(sink, instance, clock).await,
        Some(kind) => test_http(sink, kind, instance, clock, key).await,
        None => Err(format!("unknown kind of sink {:?}", sink.kind)),
    }
}

async fn test_http(
    sink: &SinkRow,
    kind: SiemKind,
    instance: &str,
    clock: &Clock,
    key: &SealKey,
) -> Result<TestReport, String> {
    let credentials = crate::ops::siem::credentials_of(key, sink).map_err(|e| e.to_string())?;
    let poster = transport::http::Poster::new(sink, &credentials, instance)?;
    let origin = format::Origin::new(instance.to_string());
    let event = test_event(clock);
    let encoder = encode::Encoder::for_kind(kind, &crate::ops::siem::options_of(sink))
        .ok_or_else(|| "internal error: no encoder for an HTTP sink".to_string())?;
    let now = clock.now();
    let mut body = encoder.body(&origin, now);
    body.push(&event);
    let bytes = body.finish();
    let size = bytes.len();
    let answer = poster.post(bytes, now.timestamp()).await.map_err(|f| f.message)?;
    let shown = if answer.excerpt.is_empty() { String::new() } else { format!(": {}", answer.excerpt) };
    Ok(TestReport {
        sink: sink.name.clone(),
        connection: poster.description.clone(),
        event_id: event.id(&origin),
        bytes: size,
        answer: format!("{}{shown}", answer.status),
        http_status: Some(answer.code),
    })
}

async fn test_syslog(sink: &SinkRow, instance: &str, clock: &Clock) -> Result<TestReport, String> {
    let target = SyslogTarget::parse(&sink.url).map_err(|e| e.0)?;
    let format = SiemFormat::parse(&sink.format).unwrap_or(SiemFormat::Rfc5424);
    let origin = format::Origin::new(instance.to_string());
    let event = test_event(clock);
    let mut conn = transport::connect(&target, sink.ca_pem.as_deref()).await?;
    let message = event.render(format, &origin, conn.is_datagram().then_some(format::MAX_DATAGRAM));
    let answer = if conn.is_datagram() {
        conn.send(&message).await?;
        if let Some(why) = conn.refusal(Duration::from_millis(500)).await {
            return Err(format!("the receiver refused the datagram: {why}"));
        }
        "datagram sent (UDP has no acknowledgement; no refusal came back within 0.5 s)".to_string()
    } else {
        let mut framed = Vec::new();
        format::frame(format, &message, &mut framed);
        conn.write(&framed).await?;
        tokio::time::sleep(sink::HOLD).await;
        let closed = conn.closed();
        conn.close().await;
        match closed {
            Some(why) => return Err(format!("written, then {why}")),
            None => format!(
                "written and flushed; the connection was still open {} s later (syslog receivers send no answer)",
                sink::HOLD.as_secs()
            ),
        }
    };
    Ok(TestReport {
        sink: sink.name.clone(),
        connection: conn.description.clone(),
        event_id: event.id(&origin),
        bytes: message.len(),
        answer,
        http_status: None,
    })
}
