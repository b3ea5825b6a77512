//! One sink's delivery task: connect, send the batches after its positions, move its cursor once
//! the receiver acknowledged them, and on failure retry with exponential backoff and jitter from
//! the last acknowledged position (at least once). Syslog streams batches over a connection and
//! counts one as acknowledged when the connection outlived it by [`HOLD`]; the HTTP kinds POST
//! one batch at a time and a 2xx answer acknowledges it.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::format::Origin;
use super::read::{Batch, Positions, Reader};
use super::transport::http::Poster;
use super::transport::{self, Conn};
use crate::clock::Clock;
use crate::model::{SiemKind, SyslogTarget};
use crate::secrets::SealKey;
use crate::store::OpenOptions;
use crate::store::siem::SinkRow;

/// How long a stream connection must stay open after a batch was written and flushed for the
/// batch to count as acknowledged: a receiver that closes or resets it meanwhile gets it again.
pub const HOLD: Duration = Duration::from_secs(1);
/// How often an idle sink looks for new events.
const POLL: Duration = Duration::from_millis(200);
const BACKOFF_FIRST: Duration = Duration::from_millis(500);
const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// What a sink's task needs.
#[derive(Debug, Clone)]
pub struct Task {
    pub sink: SinkRow,
    pub instance: String,
    pub state_db: PathBuf,
    pub activity_db: PathBuf,
    pub options: OpenOptions,
    pub clock: Clock,
    /// Opens the sink's credentials.
    pub key: SealKey,
    pub cancel: CancellationToken,
}

/// Exponential backoff with jitter: each delay is drawn between half and all of a bound that
/// doubles from 0.5 s to 60 s, and starts again after a success.
#[derive(Debug, Default)]
struct Backoff {
    failures: u32,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        let bound = BACKOFF_FIRST.saturating_mul(1 << self.failures.min(7)).min(BACKOFF_MAX);
        self.failures += 1;
        let random = crate::secrets::random_bytes::<2>().map_or(0, u16::from_le_bytes);
        bound / 2 + bound.mul_f64(f64::from(random) / f64::from(u16::MAX) / 2.0)
    }
}

/// A batch written, waiting for its hold to pass.
#[derive(Debug)]
struct InFlight {
    upto: Positions,
    activity: i64,
    audit: i64,
    written: Instant,
}

/// Runs blocking work with the reader on a blocking thread, and gives it back.
async fn blocking<T: Send + 'static>(
    reader: Reader,
    f: impl FnOnce(&mut Reader) -> T + Send + 'static,
) -> Result<(Reader, T), String> {
    tokio::task::spawn_blocking(move || {
        let mut reader = reader;
        let out = f(&mut reader);
        (reader, out)
    })
    .await
    .map_err(|e| format!("internal error: {e}"))
}

impl Task {
    fn now(&self) -> String {
        crate::store::timestamp(self.clock.now())
    }

    /// Delivers until cancelled.
    pub async fn run(self) {
        let name = self.sink.name.clone();
        if let Err(e) = self.deliver().await {
            tracing::error!(sink = name, error = %e, "SIEM sink stopped");
        }
    }

    async fn deliver(self) -> Result<(), String> {
        let (state, activity, options, sink) =
            (self.state_db.clone(), self.activity_db.clone(), self.options, self.sink.clone());
        let origin = Origin::new(self.instance.clone());
        let reader = tokio::task::spawn_blocking(move || Reader::open(&state, &activity, options, &sink, origin))
            .await
            .map_err(|e| e.to_string())??;
        let sink = self.sink.clone();
        let (reader, acknowledged) = blocking(reader, move |r| r.start(&sink)).await?;
        let acknowledged = acknowledged?;
        match SiemKind::parse(&self.sink.kind) {
            Some(SiemKind::Syslog) => self.deliver_syslog(reader, acknowledged).await,
            Some(_) => self.deliver_http(reader, acknowledged).await,
            None => Err(format!("unknown kind of sink {:?}", self.sink.kind)),
        }
    }

    /// Delivers over syslog connections, reconnecting after failures.
    async fn deliver_syslog(&self, mut reader: Reader, mut acknowledged: Positions) -> Result<(), String> {
        let target = SyslogTarget::parse(&self.sink.url).map_err(|e| e.0)?;
        let mut backoff = Backoff::default();
        loop {
            let now = self.now();
            reader = blocking(reader, move |r| r.report("connecting", None, &now)).await?.0;
            let connected = tokio::select! {
                _ = self.cancel.cancelled() => return Ok(()),
                c = transport::connect(&target, self.sink.ca_pem.as_deref()) => c,
            };
            let failure = match connected {
                Ok(mut conn) => {
                    tracing::info!(sink = self.sink.name, connection = conn.description, "SIEM sink connected");
                    let now = self.now();
                    reader = blocking(reader, move |r| r.report("delivering", None, &now)).await?.0;
                    let (r, outcome) = self.stream(reader, &mut conn, &mut acknowledged, &mut backoff).await?;
                    reader = r;
                    conn.close().await;
                    match outcome {
                        None => return Ok(()),
                        Some(e) => e,
                    }
                }
                Err(e) => e,
            };
            tracing::warn!(sink = self.sink.name, error = %failure, "SIEM delivery failed; retrying");
            let now = self.now();
            reader = blocking(reader, move |r| r.report("retrying", Some(&failure), &now)).await?.0;
            let wait = backoff.next();
            tokio::select! {
                _ = self.cancel.cancelled() => return Ok(()),
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Sends batches over `conn` until it fails (the error) or the task is cancelled (`None`).
    /// `acknowledged` moves as the receiver acknowledges; the next connection starts from it.
    async fn stream(
        &self,
        mut reader: Reader,
        conn: &mut Conn,
        acknowledged: &mut Positions,
        backoff: &mut Backoff,
    ) -> Result<(Reader, Option<String>), String> {
        let hold = if conn.is_datagram() { Duration::ZERO } else { HOLD };
        let datagrams = conn.is_datagram();
        let mut sent = *acknowledged;
        let mut in_flight: VecDeque<InFlight> = VecDeque::new();
        loop {
            if self.cancel.is_cancelled() {
                return Ok((reader, None));
            }
            if let Some(why) = conn.closed() {
                return Ok((reader, Some(why)));
            }
            // Acknowledge what has been held long enough on a connection still open.
            let mut due = (Positions::default(), 0, 0);
            let mut any = false;
            while in_flight.front().is_some_and(|f| f.written.elapsed() >= hold) {
                if let Some(f) = in_flight.pop_front() {
                    due = (f.upto, due.1 + f.activity, due.2 + f.audit);
                    any = true;
                }
            }
            if any {
                let (upto, activity, audit) = due;
                let now = self.now();
                let (r, done) = blocking(reader, move |r| r.acknowledge(upto, activity, audit, &now)).await?;
                reader = r;
                done?;
                *acknowledged = upto;
                *backoff = Backoff::default();
            }
            let now = self.clock.now();
            let (r, batch) = blocking(reader, move |r| r.next(sent, datagrams, now)).await?;
            reader = r;
            let batch: Batch = batch?;
            if !batch.is_empty() {
                let result = if datagrams {
                    let mut result = Ok(());
                    for d in &batch.datagrams {
                        result = conn.send(d).await;
                        if result.is_err() {
                            break;
                        }
                    }
                    result
                } else {
                    tokio::select! {
                        _ = self.cancel.cancelled() => return Ok((reader, None)),
                        r = conn.write(&batch.bytes) => r,
                    }
                };
                if let Err(e) = result {
                    return Ok((reader, Some(e)));
                }
            }
            if batch.next != sent {
                in_flight.push_back(InFlight {
                    upto: batch.next,
                    activity: batch.activity,
                    audit: batch.audit,
                    written: Instant::now(),
                });
                sent = batch.next;
            }
            if batch.full {
                continue;
            }
            let wait = in_flight.front().map_or(POLL, |f| hold.saturating_sub(f.written.elapsed()).min(POLL));
            tokio::select! {
                _ = self.cancel.cancelled() => return Ok((reader, None)),
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Delivers to an HTTP receiver: one POST per batch, the next batch after a 2xx answer; a
    /// failure (no answer, a status other than 2xx) is retried from the same positions after a
    /// backoff (or the receiver's `Retry-After`, when longer).
    async fn deliver_http(&self, mut reader: Reader, mut acknowledged: Positions) -> Result<(), String> {
        let mut backoff = Backoff::default();
        let mut poster: Option<Poster> = None;
        // The batch after the one posted, read while it was in flight.
        let mut ahead: Option<Batch> = None;
        let mut state = "";
        loop {
            if self.cancel.is_cancelled() {
                return Ok(());
            }
            if poster.is_none() {
                let now = self.now();
                reader = blocking(reader, move |r| r.report("connecting", None, &now)).await?.0;
                state = "connecting";
                let made = crate::ops::siem::credentials_of(&self.key, &self.sink)
                    .map_err(|e| e.to_string())
                    .and_then(|c| Poster::new(&self.sink, &c, &self.instance));
                match made {
                    Ok(p) => {
                        tracing::info!(sink = self.sink.name, connection = p.description, "SIEM sink ready");
                        poster = Some(p);
                    }
                    Err(e) => {
                        reader = self.failed(reader, e, None, &mut backoff).await?;
                        continue;
                    }
                }
            }
            let Some(p) = &poster else { continue };
            let now = self.clock.now();
            let batch = match ahead.take() {
                Some(batch) => batch,
                None => {
                    let (r, batch) = blocking(reader, move |r| r.next(acknowledged, false, now)).await?;
                    reader = r;
                    batch?
                }
            };
            if !batch.is_empty() {
                // While the batch is posted, a full one's successor is read and rendered: the
                // receiver's round trip and the reading overlap. It is used only once the batch
                // was acknowledged (after a failure the positions are read again).
                let after = batch.next;
                let read_ahead = async {
                    if batch.full {
                        let (r, next) = blocking(reader, move |r| r.next(after, false, now)).await?;
                        Ok::<_, String>((r, Some(next)))
                    } else {
                        Ok((reader, None))
                    }
                };
                let (posted, read) = tokio::select! {
                    _ = self.cancel.cancelled() => return Ok(()),
                    both = async { tokio::join!(p.post(batch.bytes, now.timestamp()), read_ahead) } => both,
                };
                let (r, next) = read?;
                reader = r;
                if let Err(failure) = posted {
                    reader = self.failed(reader, failure.message, failure.retry_after, &mut backoff).await?;
                    state = "retrying";
                    continue;
                }
                ahead = next.transpose()?;
                backoff = Backoff::default();
            }
            if batch.next != acknowledged {
                let (upto, activity, audit) = (batch.next, batch.activity, batch.audit);
                let now = self.now();
                let (r, done) = blocking(reader, move |r| r.acknowledge(upto, activity, audit, &now)).await?;
                reader = r;
                done?;
                acknowledged = upto;
            }
            if state != "delivering" {
                let now = self.now();
                reader = blocking(reader, move |r| r.report("delivering", None, &now)).await?.0;
                state = "delivering";
            }
            if !batch.full {
                tokio::select! {
                    _ = self.cancel.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
        }
    }

    /// Records a failure and waits out the backoff (or `retry_after`, when longer).
    async fn failed(
        &self,
        reader: Reader,
        error: String,
        retry_after: Option<Duration>,
        backoff: &mut Backoff,
    ) -> Result<Reader, String> {
        tracing::warn!(sink = self.sink.name, error = %error, "SIEM delivery failed; retrying");
        let now = self.now();
        let reader = blocking(reader, move |r| r.report("retrying", Some(&error), &now)).await?.0;
        let wait = backoff.next().max(retry_after.unwrap_or_default());
        tokio::select! {
            _ = self.cancel.cancelled() => {}
            _ = tokio::time::sleep(wait) => {}
        }
        Ok(reader)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_a_minute() {
        let mut b = Backoff::default();
        let delays: Vec<Duration> = (0..12).map(|_| b.next()).collect();
        assert!(delays[0] >= Duration::from_millis(250) && delays[0] <= Duration::from_millis(500), "{delays:?}");
        assert!(delays[3] >= Duration::from_secs(2) && delays[3] <= Duration::from_secs(4), "{delays:?}");
        assert!(delays[11] >= Duration::from_secs(30) && delays[11] <= BACKOFF_MAX, "{delays:?}");
    }
}
