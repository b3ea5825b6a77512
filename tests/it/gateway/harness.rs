//! Starting `mcpcp serve` on port 0 in a temp data directory, and the fixture upstreams.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use crate::fixture_server;
use crate::support::Mcpcp;

/// A running gateway. Dropping it sends SIGTERM and waits (then kills).
pub struct Gateway {
    pub m: Mcpcp,
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Everything the gateway wrote to stdout and stderr so far.
    pub output: Arc<Mutex<String>>,
}

impl Gateway {
    /// Starts `mcpcp serve --listen 127.0.0.1:0` with `extra` arguments and waits until it listens.
    pub fn start(m: Mcpcp, extra: &[&str]) -> Gateway {
        // A test with a gateway of its own compares no remote twin from here on.
        let m = m.alone();
        let (child, base, output) = spawn(&m, extra);
        Gateway { m, child: Some(child), base, output }
    }

    /// Stops the gateway (SIGTERM) and starts it again on the same data directory.
    pub fn restart(&mut self, extra: &[&str]) {
        self.stop();
        let (child, base, output) = spawn(&self.m, extra);
        (self.child, self.base, self.output) = (Some(child), base, output);
    }

    /// Kills the gateway with SIGKILL and waits until it is gone.
    pub fn kill_9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let status = std::process::Command::new("kill").args(["-KILL", &child.id().to_string()]).status().unwrap();
            assert!(status.success());
            let _ = child.wait();
        }
    }
}

/// Runs `mcpcp serve` and waits until it listens: (child, base URL, its output so far).
fn spawn(m: &Mcpcp, extra: &[&str]) -> (Child, String, Arc<Mutex<String>>) {
    {
        let mut args = vec!["serve"];
        if !extra.contains(&"--listen") {
            args.extend_from_slice(&["--listen", "127.0.0.1:0"]);
        }
        args.extend_from_slice(extra);
        let mut cmd = m.command(&args);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        if std::env::var_os("MCPCP_TEST_LOG").is_some() {
            cmd.env("MCPCP_LOG", "debug");
        }
        let mut child = cmd.spawn().expect("spawn mcpcp serve");
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let out = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("mcpcp serving on ") {
                    let base = rest.split_whitespace().next().unwrap_or("").to_string();
                    let _ = tx.send(base);
                }
                out.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let stderr = child.stderr.take().unwrap();
        let out = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if std::env::var_os("MCPCP_TEST_LOG").is_some() {
                    eprintln!("[gateway] {line}");
                }
                out.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let base = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(base) => base,
            Err(_) => {
                let _ = child.kill();
                panic!("gateway did not start:\n{}", output.lock().unwrap());
            }
        };
        (child, base, output)
    }
}

impl Gateway {
    pub fn url(&self, server: &str) -> String {
        format!("{}/mcp/{server}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// Sends SIGTERM and waits for the exit; returns the exit code.
    pub fn stop(&mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The stdio fixture server binary (built by `cargo test` as an example).
pub fn fixture_stdio() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|d| d.parent()).unwrap();
    let path = dir.join("examples").join("fixture-stdio");
    assert!(path.exists(), "{} is missing: run `cargo build --examples` (cargo test builds it)", path.display());
    path
}

/// The rmcp fixture over Streamable HTTP on 127.0.0.1:0; stops when the guard drops.
pub struct HttpUpstream {
    pub url: String,
    shutdown: CancellationToken,
}

impl HttpUpstream {
    pub async fn start() -> HttpUpstream {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        tokio::spawn(fixture_server::serve_http(listener, shutdown.clone()));
        HttpUpstream { url: format!("http://{addr}/mcp"), shutdown }
    }
}

impl Drop for HttpUpstream {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A gateway with one stdio fixture server `fx` and a token for it.
pub fn with_stdio_fixture() -> (Gateway, String) {
    let m = Mcpcp::new();
    m.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let token = m.ok(&["token", "create", "fx"]).trim().to_string();
    (Gateway::start(m, &[]), token)
}

/// The rmcp fixture over Streamable HTTP, and a gateway with it as server `remote` and a token
/// for it. Keep the upstream alive as long as the gateway.
pub async fn with_http_fixture() -> (HttpUpstream, Gateway, String) {
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    let token = m.ok(&["token", "create", "remote"]).trim().to_string();
    (upstream, Gateway::start(m, &[]), token)
}

/// Child processes of `pid` (from /proc), to check that upstreams are started and stopped.
pub fn children_of(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return out };
    for entry in entries.flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else { continue };
        // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
        let Some(after) = stat.rsplit_once(')').map(|(_, a)| a) else { continue };
        let fields: Vec<&str> = after.split_whitespace().collect();
        if fields.get(1).and_then(|f| f.parse::<u32>().ok()) == Some(pid) {
            out.push(p);
        }
    }
    out
}

/// The state letter of a process (`Z` for a zombie), if it exists.
pub fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.split_whitespace().next()?.chars().next()
}

/// Polls an async condition until it holds or the deadline passes; returns the time it took.
pub async fn eventually<F, Fut>(what: &str, deadline: Duration, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < deadline, "timed out after {deadline:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A gateway run inside the test process through `gateway::launch`, set up the way `mcpcp serve`
/// sets it up, but with a wall clock the test moves (quota periods).
pub struct InProcess {
    pub base: String,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _watcher: mcpcp::snapshot::WatcherGuard,
    /// The authorization server's in-memory state, to see how much it holds.
    pub oauth: Arc<mcpcp::gateway::oauth::AuthState>,
}

impl InProcess {
    pub async fn start(m: &Mcpcp, clock: mcpcp::gateway::Clock) -> InProcess {
        use mcpcp::observe::activity::{self, Recorder};
        let dir = mcpcp::datadir::DataDir::open_or_create(&m.data_dir()).unwrap();
        let options = mcpcp::store::OpenOptions { busy_timeout: Duration::from_secs(5) };
        let mut db = dir.open_state(options).unwrap();
        let key = dir.key().unwrap();
        let live = mcpcp::snapshot::Live::new(mcpcp::snapshot::load(&mut db, &key).unwrap());
        drop(db);
        let recorder = Recorder::start(
            &dir.activity_path(),
            activity::Options {
                retention_days: 30,
                max_output_bytes: 64 * 1024,
                redact_keys: vec!["token".into()],
                open: options,
                clock: clock.clone(),
            },
        )
        .unwrap();
        let watcher = mcpcp::snapshot::watch(dir.state_path(), key.clone(), live.clone(), options).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let oauth = Arc::new(mcpcp::gateway::oauth::AuthState::default());
        let settings = mcpcp::gateway::Settings {
            live,
            recorder,
            public_url: base.clone(),
            key,
            state_db: dir.state_path(),
            db_options: options,
            origins: mcpcp::gateway::OriginPolicy::new(addr, None, &[], false),
            limits: mcpcp::gateway::Limits::default(),
            tls: None,
            client_metadata_private_networks: false,
            trusted_proxies: Vec::new(),
            clock,
            oauth: oauth.clone(),
            metrics: Default::default(),
            admin_listener: None,
        };
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(mcpcp::gateway::launch(settings, listener, shutdown.clone()));
        InProcess { base, shutdown, task, _watcher: watcher, oauth }
    }

    pub fn url(&self, server: &str) -> String {
        format!("{}/mcp/{server}", self.base)
    }

    /// Shuts down the way SIGTERM does and waits until the gateway (and its writer) finished.
    pub async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.unwrap().unwrap();
    }
}

/// A gateway a test can reach: the `mcpcp serve` process or the in-process one.
pub trait Served {
    /// `http://127.0.0.1:PORT`
    fn base(&self) -> &str;

    fn url(&self, server: &str) -> String {
        format!("{}/mcp/{server}", self.base())
    }
}

impl Served for Gateway {
    fn base(&self) -> &str {
        &self.base
    }
}

impl Served for InProcess {
    fn base(&self) -> &str {
        &self.base
    }
}
