//! SIEM delivery to a real syslog receiver: Debian's rsyslogd (installed by
//! `tests/interop/run.sh --setup-only`, which `tests/run-all.sh` runs first), started here with
//! its own configuration: imtcp plain and over TLS (gtls, certificates made here), every message
//! parsed as RFC 5424 and written to a file as JSON. Every call's record arrives with its
//! structured data intact; TLS verification failures are errors; a kill -9 of the gateway and a
//! receiver down for 30 s lose nothing; a sink that never reads leaves the gateway's latency alone.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::harness::{Gateway, HttpUpstream};
use super::http::Raw;
use crate::support::{Mcpcp, wait_for};

const RSYSLOGD: &str = "/usr/sbin/rsyslogd";

/// A free TCP port on 127.0.0.1.
pub(super) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A test CA and a certificate for localhost and 127.0.0.1 signed by it, as PEM files in `dir`.
pub(super) fn certificates(dir: &Path) -> PathBuf {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "mcpcp test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();
    std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    dir.join("ca.pem")
}

/// rsyslogd with a plain and a TLS imtcp input, each writing what it parsed to a file.
struct Rsyslog {
    dir: PathBuf,
    tcp: u16,
    tls: u16,
    child: Option<Child>,
}

impl Rsyslog {
    fn start(dir: &Path) -> Rsyslog {
        assert!(
            Path::new(RSYSLOGD).exists(),
            "{RSYSLOGD} is missing: `tests/interop/run.sh --setup-only` installs rsyslog and rsyslog-gnutls"
        );
        std::fs::create_dir_all(dir).unwrap();
        certificates(dir);
        let mut r = Rsyslog { dir: dir.to_path_buf(), tcp: free_port(), tls: free_port(), child: None };
        r.restart();
        r
    }

    fn restart(&mut self) {
        let d = self.dir.display();
        let conf = format!(
            r#"global(workDirectory="{d}" maxMessageSize="1m"
  DefaultNetstreamDriverCAFile="{d}/ca.pem" DefaultNetstreamDriverCertFile="{d}/cert.pem"
  DefaultNetstreamDriverKeyFile="{d}/key.pem")
module(load="imtcp")
input(type="imtcp" port="{tcp}" ruleset="tcp")
input(type="imtcp" port="{tls}" ruleset="tls" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
template(name="j" type="list" option.jsonf="on") {{
  property(outname="proto" name="protocol-version" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}}
ruleset(name="tcp") {{ action(type="omfile" file="{d}/tcp.log" template="j") }}
ruleset(name="tls") {{ action(type="omfile" file="{d}/tls.log" template="j") }}
"#,
            tcp = self.tcp,
            tls = self.tls
        );
        std::fs::write(self.dir.join("rsyslog.conf"), conf).unwrap();
        let child = Command::new(RSYSLOGD)
            .args(["-n", "-f"])
            .arg(self.dir.join("rsyslog.conf"))
            .arg("-i")
            .arg(self.dir.join("rsyslogd.pid"))
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(self.dir.join("rsyslogd.err")).unwrap())
            .spawn()
            .expect("start rsyslogd");
        self.child = Some(child);
        wait_for("rsyslogd to listen", Duration::from_secs(10), || {
            std::net::TcpStream::connect(("127.0.0.1", self.tcp)).is_ok()
                && std::net::TcpStream::connect(("127.0.0.1", self.tls)).is_ok()
        });
    }

    /// Stops rsyslogd with SIGTERM (it writes out what it took in) and waits for it.
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
            let _ = child.wait();
        }
    }

    /// The messages received on an input, as rsyslog parsed them.
    fn received(&self, input: &str) -> Vec<Received> {
        let text = std::fs::read_to_string(self.dir.join(format!("{input}.log"))).unwrap_or_default();
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .map(|v| {
                let msg = v["msg"].as_str().unwrap_or_default().trim_start_matches('\u{feff}').to_string();
                Received {
                    proto: v["proto"].as_str().unwrap_or_default().to_string(),
                    app: v["app"].as_str().unwrap_or_default().to_string(),
                    msgid: v["msgid"].as_str().unwrap_or_default().to_string(),
                    params: sd_params(v["sd"].as_str().unwrap_or_default()),
                    event: serde_json::from_str(&msg).unwrap_or(Value::Null),
                }
            })
            .collect()
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One message as rsyslog parsed it.
#[derive(Debug)]
struct Received {
    proto: String,
    app: String,
    msgid: String,
    /// The `mcpcp@32473` element's parameters, unescaped.
    params: BTreeMap<String, String>,
    /// MSG, the event as JSON.
    event: Value,
}

impl Received {
    fn id(&self) -> &str {
        self.params.get("id").map_or("", String::as_str)
    }
}

/// Parses `[mcpcp@32473 k="v" …]` (RFC 5424 §6.3.3: `\"`, `\\` and `\]` inside values).
fn sd_params(sd: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(body) = sd.strip_prefix("[mcpcp@32473 ") else { return out };
    let mut chars = body.chars().peekable();
    loop {
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if name.is_empty() || chars.next() != Some('"') {
            break;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => value.extend(chars.next()),
                '"' => break,
                c => value.push(c),
            }
        }
        out.insert(name.trim().to_string(), value);
        if chars.peek() == Some(&']') {
            break;
        }
        chars.next();
    }
    out
}

/// A session with the fixture's `echo`.
pub(super) async fn session(gw: &Gateway, token: &str) -> Raw {
    let mut c = Raw::new(&gw.url("remote"), token);
    c.handshake("2025-06-18").await;
    c
}

pub(super) async fn echo(c: &Raw, id: u64, text: &str) -> bool {
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": "echo", "arguments": {"text": text}}});
    let Ok(response) =
        c.request(reqwest::Method::POST).header("content-type", "application/json").body(body.to_string()).send().await
    else {
        return false;
    };
    response.status().is_success() && response.text().await.is_ok()
}

/// The activity record ids of every `tools/call` the gateway recorded.
pub(super) fn call_ids(m: &Mcpcp) -> Vec<i64> {
    let out = m.ok(&["-o", "json", "logs", "tail", "-n", "1000000", "--type", "tool_call"]);
    out.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).filter_map(|v| v["id"].as_i64()).collect()
}

pub(super) fn status(m: &Mcpcp, sink: &str) -> Value {
    m.json(&["siem", "status", sink])[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_arrives_at_rsyslog_over_tcp_and_tls_as_rfc5424_with_its_structured_data() {
    let scratch = tempfile::tempdir().unwrap();
    let rsyslog = Rsyslog::start(&scratch.path().join("rsyslog"));
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    let token = m.ok(&["token", "create", "remote"]).trim().to_string();
    let ca = rsyslog.dir.join("ca.pem");
    m.ok(&["siem", "add", "plain", "--syslog", &format!("tcp://127.0.0.1:{}", rsyslog.tcp)]);
    m.ok(&[
        "siem",
        "add",
        "secure",
        "--syslog",
        &format!("tls://localhost:{}", rsyslog.tls),
        "--ca",
        ca.to_str().unwrap(),
    ]);
    // Without the CA the receiver's certificate is not trusted: an error, never plain TCP.
    m.ok(&["siem", "add", "untrusted", "--syslog", &format!("tls://localhost:{}", rsyslog.tls), "--streams", "audit"]);
    let gw = Gateway::start(m, &[]);
    let c = session(&gw, &token).await;
    let tricky = "quote \" backslash \\ bracket ] é";
    for i in 0..40 {
        assert!(echo(&c, 10 + i, &format!("{tricky} #{i}")).await);
    }
    let calls = call_ids(&gw.m);
    assert_eq!(calls.len(), 40);
    let instance: String =
        gw.m.sqlite().query_row("SELECT value FROM meta WHERE key = 'instance'", [], |r| r.get(0)).unwrap();
    for input in ["tcp", "tls"] {
        let want: Vec<String> = calls.iter().map(|id| format!("{instance}:activity:{id}")).collect();
        wait_for(&format!("every call at rsyslog over {input}"), Duration::from_secs(30), || {
            let got: Vec<String> = rsyslog.received(input).iter().map(|r| r.id().to_string()).collect();
            want.iter().all(|id| got.contains(id))
        });
        let received = rsyslog.received(input);
        for id in &calls {
            let r = received.iter().find(|r| r.id() == format!("{instance}:activity:{id}")).unwrap();
            assert_eq!((r.proto.as_str(), r.app.as_str(), r.msgid.as_str()), ("1", "mcpcp", "tool_call"), "{r:?}");
            assert_eq!(r.params["stream"], "activity");
            assert_eq!(r.params["server"], "remote");
            assert_eq!(r.params["tool"], "echo");
            assert_eq!(r.params["status"], "success");
            assert_eq!(r.params["method"], "tools/call");
            assert_eq!(r.event["id"], json!(id));
            assert_eq!(r.event["event_id"], json!(format!("{instance}:activity:{id}")));
            assert!(r.event["input"]["text"].as_str().unwrap().starts_with(tricky), "{r:?}");
        }
        // The audit trail too: the sinks' own creation, escaped values and all.
        assert!(received.iter().any(|r| r.msgid == "audit" && r.params["action"] == "siem.add"), "{input}");
    }
    // Between two attempts the sink is retrying; an attempt under way shows another state.
    wait_for("the untrusted sink to report its failure and retry", Duration::from_secs(10), || {
        let s = status(&gw.m, "untrusted");
        s["last_error"].as_str().is_some_and(|e| e.contains("certificate")) && s["state"] == "retrying"
    });
    let untrusted = status(&gw.m, "untrusted");
    assert_eq!(untrusted["delivered"], 0);
    let plain = status(&gw.m, "plain");
    assert_eq!(plain["state"], "delivering", "{plain}");
    assert_eq!(plain["lost"], 0);
    // `siem test` reports what the receiver did.
    let test = gw.m.json(&["siem", "test", "secure"]);
    assert!(test["connection"].as_str().unwrap().contains("certificate verified for localhost"), "{test}");
    assert!(test["answer"].as_str().unwrap().contains("still open"), "{test}");
    gw.m.fails(&["siem", "test", "untrusted"], 1);
    // Pausing stops delivery within a second; resuming continues from the cursor.
    gw.m.ok(&["siem", "pause", "plain"]);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(echo(&c, 100, "while paused").await);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let paused = status(&gw.m, "plain");
    assert_eq!((paused["state"].as_str(), paused["lag_events"].as_i64()), (Some("paused"), Some(2)), "{paused}");
    gw.m.ok(&["siem", "resume", "plain"]);
    wait_for("the paused sink to catch up", Duration::from_secs(10), || status(&gw.m, "plain")["lag_events"] == 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_of_the_gateway_and_a_receiver_down_30_s_lose_no_event() {
    let scratch = tempfile::tempdir().unwrap();
    let mut rsyslog = Rsyslog::start(&scratch.path().join("rsyslog"));
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    let token = m.ok(&["token", "create", "remote"]).trim().to_string();
    m.ok(&["siem", "add", "soc", "--syslog", &format!("tcp://127.0.0.1:{}", rsyslog.tcp), "--streams", "activity"]);
    let mut gw = Gateway::start(m, &[]);
    // Load: four clients calling as fast as they can for `secs`.
    let load = |gw: &Gateway, secs: u64| {
        let (url, token) = (gw.url("remote"), token.clone());
        (0..4)
            .map(|n| {
                let (url, token) = (url.clone(), token.clone());
                tokio::spawn(async move {
                    let mut c = Raw::new(&url, &token);
                    c.handshake("2025-06-18").await;
                    let until = Instant::now() + Duration::from_secs(secs);
                    let mut i = 0;
                    while Instant::now() < until {
                        i += 1;
                        if !echo(&c, i, &format!("load {n}-{i}")).await {
                            break;
                        }
                    }
                })
            })
            .collect::<Vec<_>>()
    };
    let streaming = load(&gw, 30);
    tokio::time::sleep(Duration::from_secs(2)).await;
    gw.kill_9();
    for task in streaming {
        let _ = task.await;
    }
    gw.restart(&[]);
    // The receiver goes away for 30 s while calls go on, then comes back.
    rsyslog.stop();
    let during = load(&gw, 30);
    for task in during {
        task.await.unwrap();
    }
    let down = status(&gw.m, "soc");
    assert_eq!(down["state"], "retrying", "{down}");
    assert!(down["lag_events"].as_i64().unwrap() > 0, "{down}");
    rsyslog.restart();
    let calls = call_ids(&gw.m);
    wait_for("the sink to catch up", Duration::from_secs(60), || status(&gw.m, "soc")["lag_events"] == 0);
    let instance: String =
        gw.m.sqlite().query_row("SELECT value FROM meta WHERE key = 'instance'", [], |r| r.get(0)).unwrap();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in rsyslog.received("tcp") {
        *seen.entry(r.id().to_string()).or_default() += 1;
    }
    let missing: Vec<i64> =
        calls.iter().copied().filter(|id| !seen.contains_key(&format!("{instance}:activity:{id}"))).collect();
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    eprintln!(
        "at least once: {} calls recorded, {} distinct events at the receiver, {duplicates} duplicates, {} missing",
        calls.len(),
        seen.len(),
        missing.len()
    );
    assert!(calls.len() > 100, "too little load to show anything: {}", calls.len());
    assert!(missing.is_empty(), "events never delivered: {missing:?}");
}

/// p50 of `n` sequential calls.
async fn p50(c: &Raw, n: u64, base: u64) -> Duration {
    let mut times = Vec::new();
    for i in 0..n {
        let start = Instant::now();
        assert!(echo(c, base + i, "latency").await);
        times.push(start.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sink_that_never_reads_does_not_slow_calls() {
    // A receiver that accepts and never reads, with a small receive buffer: the sink's writes
    // stall at once.
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.bind(&"127.0.0.1:0".parse::<std::net::SocketAddr>().unwrap().into()).unwrap();
    socket.listen(16).unwrap();
    let listener: std::net::TcpListener = socket.into();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().take(4).flatten() {
            held.push(s);
        }
        std::thread::sleep(Duration::from_secs(120));
    });
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    let token = m.ok(&["token", "create", "remote"]).trim().to_string();
    m.ok(&["siem", "add", "stuck", "--syslog", &format!("tcp://127.0.0.1:{port}"), "--streams", "activity"]);
    m.ok(&["siem", "pause", "stuck"]);
    let gw = Gateway::start(m, &[]);
    let c = session(&gw, &token).await;
    p50(&c, 50, 1000).await;
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for round in 0..3u64 {
        without.push(p50(&c, 100, 10_000 * (round + 1)).await);
        gw.m.ok(&["siem", "resume", "stuck"]);
        tokio::time::sleep(Duration::from_millis(1200)).await;
        with.push(p50(&c, 100, 10_000 * (round + 1) + 5000).await);
        gw.m.ok(&["siem", "pause", "stuck"]);
        tokio::time::sleep(Duration::from_millis(600)).await;
    }
    gw.m.ok(&["siem", "resume", "stuck"]);
    wait_for("the stuck sink to have a backlog", Duration::from_secs(10), || {
        status(&gw.m, "stuck")["lag_events"].as_i64().unwrap_or(0) > 0
    });
    without.sort();
    with.sort();
    let (a, b) = (without[1], with[1]);
    eprintln!("p50 without the stuck sink {a:?}, with it {b:?} (rounds: {without:?} / {with:?})");
    assert!(b < a * 2 + Duration::from_millis(2), "a sink that never reads slowed calls: p50 {a:?} -> {b:?}");
    drop(accepted);
}
