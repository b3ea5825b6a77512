//! The remote twin of a CLI test (`MCPCP_TEST_TWIN=1`): every command a test runs through
//! [`Mcpcp`](crate::support::Mcpcp) also runs, with `--remote`, against a gateway serving a
//! second data directory, and the two runs must give the same exit code and output. The test's
//! own assertions see the local run, so the whole CLI suite doubles as the remote CLI's
//! scenario scripts.
//!
//! The remote side acts as an owner admin named like the OS user the local side audits as; that
//! admin and its token are written into the twin's database directly (ids below every id the
//! CLI gives, no audit entry), so both databases hold the same rows otherwise. What legitimately
//! differs is normalized before comparing: secrets and digests (tokens, hashes), times, the data
//! directories' paths, how the actor reached mcpcp (`os_user` through `cli`, `admin` through
//! `api`), and the harness admin's own rows. Commands that cannot run remotely (`serve`,
//! `config`, `completions`, and any the API does not have yet) run locally on the twin too. A
//! test that touches a database directly (`Mcpcp::sqlite`) leaves the twins unlike: comparing
//! stops there.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::support::Run;

/// Whether this test run doubles CLI commands on a remote twin.
pub fn enabled() -> bool {
    std::env::var_os("MCPCP_TEST_TWIN").is_some_and(|v| v == "1")
}

/// The twin of one test's data directory, and the gateway serving it once a command needs it.
pub struct Twin {
    dir: tempfile::TempDir,
    gateway: OnceLock<Served>,
    /// Set once the local database was changed behind the CLI's back.
    diverged: AtomicBool,
}

struct Served {
    child: Child,
    base: String,
    token: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The harness admin's token (a fixed value is fine: each twin has its own database).
const TOKEN: &str = "mcpcpa_twin0000000000000000000000000000000000000";

impl Twin {
    pub fn new() -> Twin {
        Twin { dir: tempfile::tempdir().expect("tempdir"), gateway: OnceLock::new(), diverged: AtomicBool::new(false) }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The local database changed behind the CLI: the twins no longer compare.
    pub fn diverge(&self) {
        self.diverged.store(true, Ordering::SeqCst);
    }

    pub fn diverged(&self) -> bool {
        self.diverged.load(Ordering::SeqCst)
    }

    /// Runs `args` on the twin (remotely when the command goes through the admin API) and
    /// checks it did what `local` did.
    pub fn compare(
        &self,
        args: &[&str],
        stdin: Option<&str>,
        local: &Run,
        local_dir: &std::path::Path,
        command: impl Fn(&[&str]) -> Command,
    ) {
        if self.diverged() {
            return;
        }
        // What reads or writes the data directory's files rather than its databases has no
        // remote form, and a test of it puts its files in the local directory only.
        if args.iter().any(|a| ["serve", "config", "completions"].contains(a)) {
            return;
        }
        // A sink's delivery state is the running gateway's: the twin has one, the local side
        // (in these tests) none.
        if args.windows(2).any(|w| w == ["siem", "status"]) {
            return;
        }
        let local_only = args.iter().any(|a| ["--help", "-h", "help"].contains(a));
        let run = |cmd: Command| crate::support::run_with(cmd, stdin);
        let far = if local_only {
            run(command(args))
        } else {
            let served = self.gateway.get_or_init(|| self.serve(&command));
            let mut remote = command(args);
            remote.env("MCPCP_REMOTE", &served.base).env("MCPCP_ADMIN_TOKEN", &served.token);
            let far = run(remote);
            if far.code == 2 && far.stderr.contains("does not work with --remote yet") {
                run(command(args))
            } else {
                far
            }
        };
        let (l, f) = (self.normalize(local, local_dir), self.normalize(&far, local_dir));
        assert_eq!(
            l, f,
            "mcpcp {args:?}: the remote CLI differs from the local one\nlocal stderr: {}\nremote stderr: {}",
            local.stderr, far.stderr
        );
    }

    /// Starts `mcpcp serve` on the twin's data directory and adds the harness admin.
    fn serve(&self, command: &impl Fn(&[&str]) -> Command) -> Served {
        let mut cmd = command(&["serve", "--listen", "127.0.0.1:0"]);
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
        let mut child = cmd.spawn().expect("spawn the twin's gateway");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("mcpcp serving on ") {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_string());
                }
            }
        });
        let base = rx.recv_timeout(Duration::from_secs(30)).expect("the twin's gateway did not start");
        let (name, _) = mcpcp::ops::os_user();
        let db = rusqlite::Connection::open(self.data_dir().join("state.db")).expect("open the twin's state.db");
        db.busy_timeout(Duration::from_secs(5)).expect("busy timeout");
        let at = "2026-01-01T00:00:00.000000Z";
        db.execute_batch("BEGIN").expect("begin");
        db.execute(
            "INSERT INTO admins (id, name, created_at, updated_at) VALUES (-1, ?1, ?2, ?2)",
            rusqlite::params![name, at],
        )
        .expect("the harness admin");
        db.execute(
            "INSERT INTO admin_bindings (id, admin_id, role, created_at) VALUES (-1, -1, 'owner', ?1)",
            rusqlite::params![at],
        )
        .expect("its binding");
        db.execute(
            "INSERT INTO admin_tokens (id, admin_id, name, prefix, hash, created_at) VALUES (-1, -1, 'twin', ?1, ?2, ?3)",
            rusqlite::params![&TOKEN[..13], mcpcp::identity::token::hash(TOKEN), at],
        )
        .expect("its token");
        db.execute_batch("COMMIT").expect("commit");
        Served { child, base, token: TOKEN.to_string() }
    }

    /// A run as it compares: (code, stdout, stderr), each normalized.
    fn normalize(&self, run: &Run, local_dir: &std::path::Path) -> (i32, String, String) {
        (run.code, self.text(&run.stdout, local_dir), self.text(&run.stderr, local_dir))
    }

    fn text(&self, text: &str, local_dir: &std::path::Path) -> String {
        let mut text = text
            .replace(&self.data_dir().display().to_string(), "<data>")
            .replace(&local_dir.display().to_string(), "<data>");
        // The gateway's URL: the local CLI knows the configured one (the default listener's),
        // the remote side the URL of the gateway that answered.
        if let Some(served) = self.gateway.get() {
            text = text.replace(&served.base, "<gateway>");
        }
        let text = text.replace("http://127.0.0.1:7330", "<gateway>");
        if let Ok(doc) = serde_json::from_str::<Value>(&text) {
            return serde_json::to_string_pretty(&json(without_harness_admin(doc))).unwrap_or_default();
        }
        let lines: Option<Vec<Value>> = text.lines().map(|l| serde_json::from_str(l).ok()).collect();
        if let Some(lines) = lines.filter(|l| !l.is_empty()) {
            return lines.into_iter().map(|l| format!("{}\n", json(l))).collect();
        }
        // Tables: the harness admin's rows go (by id, or by name in `admin list`), and columns
        // are compared without their alignment (a wider cell on one side widens its column).
        let (harness, _) = mcpcp::ops::os_user();
        let kept: String = text
            .lines()
            .filter(|l| !l.starts_with("-1 ") && l.split_whitespace().next() != Some(harness.as_str()))
            .map(|l| format!("{}\n", l.split_whitespace().collect::<Vec<_>>().join(" ")))
            .collect();
        actor(&mask(&kept))
    }
}

/// How the actor came, as the local side says it: the remote side's `admin` through `api`
/// reads as the `os_user` through `cli`.
fn actor(text: &str) -> String {
    text.replace(" (api)", "").replace("admin:", "os_user:")
}

/// `doc` without the harness admin's rows (id -1) in a list.
fn without_harness_admin(doc: Value) -> Value {
    match doc {
        Value::Array(items) => Value::Array(items.into_iter().filter(|i| i["id"] != -1).collect()),
        other => other,
    }
}

/// A JSON document normalized: audit actors and origins as the local side's, and every string
/// masked ([`mask`]).
fn json(v: Value) -> Value {
    match v {
        Value::Object(mut map) => {
            if map.contains_key("via") && map.get("kind").is_some_and(|k| k == "admin") {
                map.insert("kind".into(), Value::from("os_user"));
                map.insert("via".into(), Value::from("cli"));
                map.remove("token");
            }
            if let Some(Value::String(origin)) = map.get("origin")
                && origin.starts_with("api ")
            {
                map.insert("origin".into(), Value::from("cli"));
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, json(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(json).collect()),
        Value::String(s) => Value::String(actor(&mask(&s))),
        other => other,
    }
}

/// `text` with what differs by design masked: tokens (`mcpcp_…`, `mcpcpa_…`), 64-digit hex
/// digests, key ids, and times (`2026-12-06T23:17:43.678030Z`, `2026-12-06 23:17`).
fn mask(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    while i < b.len() {
        let rest = &b[i..];
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if boundary && (rest.starts_with(b"mcpcp_") || rest.starts_with(b"mcpcpa_")) {
            let start = if rest.starts_with(b"mcpcpa_") { 7 } else { 6 };
            let len = rest[start..].iter().take_while(|c| word(**c)).count();
            if len >= 6 {
                out.push_str("<token>");
                i += start + len;
                continue;
            }
        }
        let hex = rest.iter().take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()).count();
        if boundary && hex == 64 && rest.get(64).is_none_or(|c| !c.is_ascii_alphanumeric()) {
            out.push_str("<digest>");
            i += 64;
            continue;
        }
        // A key id or fingerprint: 43 base64url characters (a SHA-256), each data directory's own.
        let key = rest.iter().take_while(|c| word(**c)).count();
        if boundary && key == 43 {
            out.push_str("<key>");
            i += 43;
            continue;
        }
        if let Some(len) = time_at(rest) {
            out.push_str("<time>");
            i += len;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// The length of a time at the start of `b`: `dddd-dd-dd`, `T` or a space, `dd:dd`, then
/// optionally `:dd`, a fraction and `Z`.
fn time_at(b: &[u8]) -> Option<usize> {
    let digits = |at: usize, n: usize| b.get(at..at + n).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let is = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(digits(0, 4) && is(4, b'-') && digits(5, 2) && is(7, b'-') && digits(8, 2)) {
        return None;
    }
    if !((is(10, b'T') || is(10, b' ')) && digits(11, 2) && is(13, b':') && digits(14, 2)) {
        return None;
    }
    let mut len = 16;
    if is(len, b':') && digits(len + 1, 2) {
        len += 3;
        if is(len, b'.') {
            len += 1 + b[len + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        }
    }
    if is(len, b'Z') {
        len += 1;
    }
    Some(len)
}
