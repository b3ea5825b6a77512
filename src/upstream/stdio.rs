//! Stdio upstreams: a supervised child process speaking newline-delimited JSON-RPC.
//!
//! The child runs in its own process group, so stopping it also stops whatever it started
//! (`npx` starts `node`, for instance): close stdin, wait, SIGTERM the group, wait, SIGKILL the
//! group, and always reap. If the child exits while the session lives, it is restarted with
//! exponential backoff and re-initialized with the client's original `initialize` parameters.

use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Inbound, MAX_MESSAGE_BYTES, Outbound, Queued, parse};
use crate::jsonrpc::{self, Kind};
use crate::model::Fault;
use crate::secrets::Secret;

/// Variables of the gateway's own environment that a child gets; everything else is withheld,
/// so the gateway's configuration (and any secret in it) never leaks into upstream processes.
const INHERITED_ENV: &[&str] =
    &["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SHELL"];

const RESTART_BACKOFF_START: Duration = Duration::from_millis(100);
const RESTART_BACKOFF_MAX: Duration = Duration::from_secs(30);
/// A child that ran this long resets the backoff.
const HEALTHY_AFTER: Duration = Duration::from_secs(60);
const STOP_GRACE: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct Spec {
    pub server: String,
    pub command: Vec<String>,
    pub env: Vec<(String, Secret)>,
}

struct Running {
    child: Child,
    pgid: Option<Pid>,
    stdin: ChildStdin,
    lines: mpsc::Receiver<Vec<u8>>,
}

fn spawn(spec: &Spec) -> std::io::Result<Running> {
    let (program, args) = spec.command.split_first().ok_or_else(|| std::io::Error::other("empty command"))?;
    let mut cmd = Command::new(program);
    cmd.args(args).env_clear();
    for key in INHERITED_ENV {
        if let Ok(v) = std::env::var(key) {
            cmd.env(key, v);
        }
    }
    for (k, v) in &spec.env {
        cmd.env(k, v.expose());
    }
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0).kill_on_drop(true);
    let mut child = cmd.spawn()?;
    let pgid = child.id().and_then(|id| i32::try_from(id).ok()).map(Pid::from_raw);
    let stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("no stdin"))?;
    let stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("no stdout"))?;
    let stderr = child.stderr.take().ok_or_else(|| std::io::Error::other("no stderr"))?;
    let (line_tx, lines) = mpsc::channel(64);
    let server = spec.server.clone();
    tokio::spawn(async move {
        let mut reader = BufReader::with_capacity(64 * 1024, stdout);
        loop {
            let mut line = Vec::new();
            // Bounded read: a child cannot make the gateway buffer an unbounded line.
            let read = (&mut reader).take(MAX_MESSAGE_BYTES as u64 + 1).read_until(b'\n', &mut line).await;
            match read {
                Ok(0) => break,
                Ok(_) if line.len() > MAX_MESSAGE_BYTES => {
                    tracing::warn!(server, "upstream wrote a line over {MAX_MESSAGE_BYTES} bytes; stopping it");
                    break;
                }
                Ok(_) => {
                    if line_tx.send(line).await.is_err() {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(server, error = %e, "cannot read from upstream");
                    break;
                }
            }
        }
    });
    let server = spec.server.clone();
    tokio::spawn(async move {
        let mut lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            tracing::info!(target: "mcpcp::upstream::stderr", server, "{line}");
        }
    });
    Ok(Running { child, pgid, stdin, lines })
}

/// Stops a child and everything in its process group, and reaps it.
async fn stop(mut running: Running) {
    drop(running.stdin);
    let exited = tokio::time::timeout(STOP_GRACE, running.child.wait()).await;
    if exited.is_err() {
        if let Some(pgid) = running.pgid {
            let _ = killpg(pgid, Signal::SIGTERM);
        }
        if tokio::time::timeout(STOP_GRACE, running.child.wait()).await.is_err() {
            let _ = running.child.start_kill();
            let _ = running.child.wait().await;
        }
    }
    // Whatever the leader left behind in its group goes too.
    if let Some(pgid) = running.pgid {
        let _ = killpg(pgid, Signal::SIGKILL);
    }
}

async fn write_line(stdin: &mut ChildStdin, json: &str) -> std::io::Result<()> {
    // JSON text from the gateway never holds a raw newline (serde escapes them in strings).
    let mut buf = Vec::with_capacity(json.len() + 1);
    buf.extend_from_slice(json.as_bytes());
    buf.push(b'\n');
    stdin.write_all(&buf).await?;
    stdin.flush().await
}

pub async fn run(
    spec: Spec,
    mut outbound: mpsc::Receiver<(Outbound, Queued)>,
    inbound: mpsc::Sender<Inbound>,
    shutdown: CancellationToken,
) {
    let mut backoff = RESTART_BACKOFF_START;
    // The client's initialize request and initialized notification, replayed after a restart.
    let mut handshake: Option<(String, Option<String>)> = None;
    let mut restarts: u64 = 0;
    loop {
        let mut running = match spawn(&spec) {
            Ok(r) => r,
            Err(e) => {
                // The reason reaches the caller (a client's error, `tool sync`'s message), which logs it.
                let reason = format!("cannot start `{}`: {e}", spec.command.join(" "));
                tracing::debug!(server = spec.server, "{reason}");
                let _ = inbound.send(Inbound::Lost { reason, restarting: false, fault: Fault::Operator }).await;
                return;
            }
        };
        tracing::info!(server = spec.server, pid = running.child.id(), restarts, "started upstream process");
        let started = tokio::time::Instant::now();
        if restarts > 0
            && let Some((init, initialized)) = &handshake
            && !replay_handshake(&spec, &mut running, init, initialized.as_deref()).await
        {
            tracing::warn!(server = spec.server, "restarted upstream did not re-initialize");
        }
        let reason = loop {
            tokio::select! {
                _ = shutdown.cancelled() => {
                    stop(running).await;
                    return;
                }
                msg = outbound.recv() => {
                    let Some((msg, _queued)) = msg else {
                        stop(running).await;
                        return;
                    };
                    match msg.method.as_deref() {
                        Some("initialize") => handshake = Some((msg.json.clone(), None)),
                        Some("notifications/initialized") => {
                            if let Some((_, initialized)) = handshake.as_mut() {
                                *initialized = Some(msg.json.clone());
                            }
                        }
                        _ => {}
                    }
                    if let Err(e) = write_line(&mut running.stdin, &msg.json).await {
                        break format!("cannot write to the upstream process: {e}");
                    }
                }
                line = running.lines.recv() => {
                    let Some(line) = line else {
                        let status = running.child.wait().await.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
                        break format!("upstream process exited ({status})");
                    };
                    let trimmed = line.trim_ascii();
                    if trimmed.is_empty() {
                        continue;
                    }
                    if let Some(message) = parse(&spec.server, trimmed)
                        && inbound.send(Inbound::Message { message, related: None, streamed: true }).await.is_err() {
                            stop(running).await;
                            return;
                        }
                }
            }
        };
        tracing::warn!(server = spec.server, "{reason}; restarting");
        stop(running).await;
        if inbound.send(Inbound::Lost { reason, restarting: true, fault: Fault::Upstream }).await.is_err() {
            return;
        }
        if started.elapsed() >= HEALTHY_AFTER {
            backoff = RESTART_BACKOFF_START;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(RESTART_BACKOFF_MAX);
        restarts += 1;
    }
}

/// Sends the original `initialize` (under a private id) and `initialized` to a restarted child,
/// and swallows the answer: the client already has one.
async fn replay_handshake(spec: &Spec, running: &mut Running, init: &str, initialized: Option<&str>) -> bool {
    let Ok(original) = jsonrpc::Message::parse(init.as_bytes()) else { return false };
    let replay = original.with_id("\"mcpcp-reinit\"");
    if write_line(&mut running.stdin, &replay).await.is_err() {
        return false;
    }
    let deadline = tokio::time::sleep(Duration::from_secs(30));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            _ = &mut deadline => return false,
            line = running.lines.recv() => {
                let Some(line) = line else { return false };
                let Some(m) = parse(&spec.server, line.trim_ascii()) else { continue };
                if m.kind().ok() == Some(Kind::Response) && m.id_text() == "\"mcpcp-reinit\"" {
                    break;
                }
            }
        }
    }
    match initialized {
        Some(n) => write_line(&mut running.stdin, n).await.is_ok(),
        None => true,
    }
}
