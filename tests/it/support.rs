//! Test harness: a temporary data directory and a runner for the real `mcpcp` binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The result of one CLI run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// A data directory of its own and the binary to run against it.
pub struct Mcpcp {
    pub dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    /// With `MCPCP_TEST_TWIN=1`: every command also runs remotely on a twin (`twin.rs`).
    twin: Option<crate::twin::Twin>,
}

impl Mcpcp {
    pub fn new() -> Mcpcp {
        let twin = crate::twin::enabled().then(crate::twin::Twin::new);
        Mcpcp { dir: tempfile::tempdir().expect("tempdir"), env: Vec::new(), twin }
    }

    /// Without a remote twin, whatever the environment says (for tests that run their own
    /// gateway on the data directory, or compare local and remote runs themselves).
    pub fn alone(mut self) -> Mcpcp {
        self.twin = None;
        self
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn state_db(&self) -> PathBuf {
        self.data_dir().join("state.db")
    }

    /// Sets an environment variable for every later run.
    pub fn env(mut self, key: &str, value: &str) -> Mcpcp {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn command(&self, args: &[&str]) -> Command {
        self.command_in(&self.data_dir(), args)
    }

    fn command_in(&self, data_dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mcpcp"));
        cmd.arg("--data-dir").arg(data_dir).args(args);
        // Isolate from the developer's environment.
        for (k, _) in std::env::vars() {
            if k.starts_with("MCPCP_") {
                cmd.env_remove(k);
            }
        }
        // … and from the token file `admin login` writes there.
        cmd.env("XDG_CONFIG_HOME", self.dir.path().join("config"));
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.twinned(args, None)
    }

    /// Runs with `input` on stdin.
    pub fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        self.twinned(args, Some(input))
    }

    /// Runs `args` here, and on the twin when there is one.
    fn twinned(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let local = run_with(self.command(args), stdin);
        if let Some(twin) = &self.twin {
            twin.compare(args, stdin, &local, &self.data_dir(), |a| self.command_in(&twin.data_dir(), a));
        }
        local
    }

    /// Runs a command that must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(r.code, 0, "mcpcp {args:?} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        r.stdout
    }

    /// Runs a command with `-o json` that must succeed; returns the parsed document.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["-o", "json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("mcpcp {args:?} printed invalid JSON ({e}):\n{out}"))
    }

    /// Runs a command that must fail with `code`; returns stderr, which must be one `error:` line.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        self.fails_run(self.run(args), args, code)
    }

    pub fn fails_stdin(&self, args: &[&str], input: &str, code: i32) -> String {
        self.fails_run(self.run_stdin(args, input), args, code)
    }

    fn fails_run(&self, r: Run, args: &[&str], code: i32) -> String {
        assert_eq!(r.code, code, "mcpcp {args:?}: expected exit {code}\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        assert!(r.stderr.starts_with("error: "), "mcpcp {args:?}: stderr should start with 'error: ': {}", r.stderr);
        r.stderr
    }

    /// All audit entries, oldest first.
    pub fn audit(&self) -> Vec<Value> {
        match self.json(&["audit", "list", "-n", "100000"]) {
            Value::Array(entries) => entries,
            other => panic!("audit list is not an array: {other}"),
        }
    }

    /// The newest audit entry.
    pub fn last_audit(&self) -> Value {
        self.audit().pop().expect("at least one audit entry")
    }

    /// The test changes the database behind the CLI's back: its remote twin, if any, stops
    /// being compared.
    pub fn diverge(&self) {
        if let Some(twin) = &self.twin {
            twin.diverge();
        }
    }

    /// Direct SQL access, for fixtures the CLI cannot create and for tampering.
    pub fn sqlite(&self) -> rusqlite::Connection {
        self.diverge();
        let conn = rusqlite::Connection::open(self.state_db()).expect("open state.db");
        conn.busy_timeout(Duration::from_secs(5)).expect("busy timeout");
        conn
    }

    /// Adds a tool row as the gateway's `tool sync` will (on the twin too).
    pub fn insert_tool(&self, server: &str, tool: &str, state: &str) {
        self.insert_tool_with_schema(server, tool, state, r#"{"type":"object"}"#);
    }

    /// Adds a tool row with its input schema (on the twin too).
    pub fn insert_tool_with_schema(&self, server: &str, tool: &str, state: &str, schema: &str) {
        let mut dbs = vec![self.state_db()];
        if let Some(twin) = &self.twin {
            dbs.push(twin.data_dir().join("state.db"));
        }
        for db in dbs {
            let conn = rusqlite::Connection::open(db).expect("open state.db");
            conn.busy_timeout(Duration::from_secs(5)).expect("busy timeout");
            conn.execute(
                "INSERT INTO tools (server_id, name, description, state, input_schema, created_at, updated_at)
                 SELECT id, ?2, 'a test tool', ?3, ?4, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z' FROM servers WHERE name = ?1",
                rusqlite::params![server, tool, state, schema],
            )
            .expect("insert tool");
        }
    }

    /// A snapshot of every table's contents, to show a failed command changed nothing.
    pub fn dump(&self) -> String {
        dump(&self.state_db())
    }
}

/// Runs `cmd`, with `stdin` as its input (else none).
pub fn run_with(mut cmd: Command, stdin: Option<&str>) -> Run {
    let Some(input) = stdin else { return Run::from(cmd.output().expect("run mcpcp")) };
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn mcpcp");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    Run::from(child.wait_with_output().expect("wait mcpcp"))
}

/// Every row of every table, in a stable order.
pub fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid")).unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|")))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.push_str(&format!("{t}: {}\n", rows.join("\n  ")));
    }
    out
}

/// The change set `{"field": {"before": b, "after": a}}` with one entry per (field, before, after).
pub fn changes(pairs: &[(&str, Value, Value)]) -> Value {
    let mut map = serde_json::Map::new();
    for (field, before, after) in pairs {
        map.insert(field.to_string(), serde_json::json!({ "before": before, "after": after }));
    }
    Value::Object(map)
}

/// Polls `condition` until it holds or `deadline` passes.
pub fn wait_for(what: &str, deadline: Duration, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < deadline, "timed out after {deadline:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a command that must fail with `code`, name the problem (`needle`) and change nothing.
pub fn refused(m: &Mcpcp, args: &[&str], code: i32, needle: &str) {
    let before = m.dump();
    let err = m.fails(args, code);
    assert!(err.contains(needle), "mcpcp {args:?}: error should mention {needle:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "mcpcp {args:?}: error should be one line: {err}");
    assert_eq!(m.dump(), before, "mcpcp {args:?} failed but changed the database");
}
