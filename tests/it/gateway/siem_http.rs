//! SIEM delivery to HTTP receivers started here (hyper, over TLS with a CA made here or plain on
//! 127.0.0.1): a Splunk HEC receiver that checks the path, `Authorization: Splunk TOKEN` and each
//! event's envelope and fields; an NDJSON receiver whose HMAC signature is verified with another
//! implementation (RustCrypto's `hmac`) than the gateway's (aws-lc-rs); a receiver refusing with
//! 401 that shows in `siem status` and holds the cursor until it accepts. Every call's record
//! arrives, compared by event id.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

use super::harness::{Gateway, HttpUpstream};
use super::siem::{call_ids, certificates, echo, session, status};
use crate::support::{Mcpcp, wait_for};

const TOKEN: &str = "5f0c1e2d-3b4a-4c5d-8e9f-hec-token-test";
const SECRET: &str = "a-signing-secret-for-the-ndjson-receiver";
const API_KEY: &str = "api-key-from-standard-input";

/// One request a receiver took, and the status it answered.
#[derive(Debug, Clone)]
struct Got {
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
    answered: u16,
}

/// An HTTP receiver on 127.0.0.1 (TLS when given a server configuration) that keeps every
/// request and answers with the status and body set in `answer`.
struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Got>>>,
    answer: Arc<Mutex<(u16, String)>>,
    /// When not 0, every request whose number (from 1) is a multiple of it gets a 503.
    fail_every: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    async fn start(tls: Option<Arc<rustls::ServerConfig>>, status: u16, body: &str) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let got: Arc<Mutex<Vec<Got>>> = Arc::default();
        let answer = Arc::new(Mutex::new((status, body.to_string())));
        let fail_every: Arc<AtomicUsize> = Arc::default();
        let (g, a, f) = (got.clone(), answer.clone(), fail_every.clone());
        let task = tokio::spawn(async move {
            let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
            loop {
                let Ok((tcp, _)) = listener.accept().await else { return };
                let (g, a, f, acceptor) = (g.clone(), a.clone(), f.clone(), acceptor.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                        let (g, a, f) = (g.clone(), a.clone(), f.clone());
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body.collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
                            let (mut code, mut text) = a.lock().unwrap().clone();
                            let every = f.load(Ordering::Relaxed);
                            if every > 0 && (g.lock().unwrap().len() + 1) % every == 0 {
                                (code, text) = (503, r#"{"text":"Server is busy","code":9}"#.to_string());
                            }
                            let headers = parts
                                .headers
                                .iter()
                                .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
                                .collect();
                            g.lock().unwrap().push(Got { path: parts.uri.to_string(), headers, body, answered: code });
                            let response = hyper::Response::builder()
                                .status(code)
                                .header("content-type", "application/json")
                                .body(Full::new(Bytes::from(text)))
                                .unwrap();
                            Ok::<_, Infallible>(response)
                        }
                    });
                    let http = hyper::server::conn::http1::Builder::new();
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(tls) = acceptor.accept(tcp).await {
                                let _ = http.serve_connection(TokioIo::new(tls), service).await;
                            }
                        }
                        None => {
                            let _ = http.serve_connection(TokioIo::new(tcp), service).await;
                        }
                    }
                });
            }
        });
        Receiver { port, got, answer, fail_every, task }
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }

    fn answer(&self, status: u16, body: &str) {
        *self.answer.lock().unwrap() = (status, body.to_string());
    }
}

/// A TLS server configuration with the certificate `certificates` made in `dir` (for localhost
/// and 127.0.0.1, signed by its CA `dir/ca.pem`).
fn server_tls(dir: &std::path::Path) -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    certificates(dir);
    let certs: Vec<_> =
        rustls::pki_types::CertificateDer::pem_file_iter(dir.join("cert.pem")).unwrap().map(|c| c.unwrap()).collect();
    let key = rustls::pki_types::PrivateKeyDer::from_pem_file(dir.join("key.pem")).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    Arc::new(config)
}

fn add_with_stdin(m: &Mcpcp, args: &[&str], input: &str) {
    let mut all = vec!["siem", "add"];
    all.extend_from_slice(args);
    let r = m.run_stdin(&all, input);
    assert_eq!(r.code, 0, "mcpcp {all:?}: {}{}", r.stdout, r.stderr);
}

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).unwrap()).collect()
}

/// Verifies `X-MCPCP-Signature: t=T,v1=HEX` over `body` with RustCrypto's HMAC-SHA256.
fn signature_holds(header: &str, body: &[u8]) -> bool {
    use hmac::{KeyInit, Mac};
    let parts: HashMap<&str, &str> = header.split(',').filter_map(|p| p.split_once('=')).collect();
    let (Some(t), Some(v1)) = (parts.get("t"), parts.get("v1")) else { return false };
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&hex_decode(v1)).is_ok()
}

/// The events of a HEC body: one JSON object per line.
fn hec_events(body: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(body).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a HEC event ({e}): {l}"))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_reaches_hec_and_a_signed_ndjson_receiver_checked_field_by_field() {
    let scratch = tempfile::tempdir().unwrap();
    let tls = server_tls(scratch.path());
    let ca = scratch.path().join("ca.pem");
    let hec = Receiver::start(Some(tls), 200, r#"{"text":"Success","code":0}"#).await;
    let ndjson = Receiver::start(None, 202, "").await;
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    let token = m.ok(&["token", "create", "remote"]).trim().to_string();
    let hec_url = format!("https://localhost:{}/", hec.port);
    add_with_stdin(
        &m,
        &["splunk", "--hec", &hec_url, "--ca", ca.to_str().unwrap(), "--token-stdin", "--index", "main"],
        &format!("{TOKEN}\n"),
    );
    // Without the CA the receiver's certificate is not trusted: an error, never a downgrade.
    add_with_stdin(&m, &["untrusted", "--hec", &hec_url, "--token-stdin", "--streams", "audit"], "x\n");
    let ndjson_url = format!("http://127.0.0.1:{}/ingest", ndjson.port);
    add_with_stdin(
        &m,
        &["hook", "--http", &ndjson_url, "--secret-stdin", "--header", "X-Tenant=acme", "--header", "X-Api-Key"],
        &format!("{SECRET}\n{API_KEY}\n"),
    );
    let gw = Gateway::start(m, &[]);
    let c = session(&gw, &token).await;
    let tricky = "quote \" backslash \\ newline \n é";
    for i in 0..40 {
        assert!(echo(&c, 10 + i, &format!("{tricky} #{i}")).await);
    }
    let calls = call_ids(&gw.m);
    assert_eq!(calls.len(), 40);
    let instance: String =
        gw.m.sqlite().query_row("SELECT value FROM meta WHERE key = 'instance'", [], |r| r.get(0)).unwrap();
    let want: Vec<String> = calls.iter().map(|id| format!("{instance}:activity:{id}")).collect();

    // HEC: the path, the token, the envelope of every event, and every call's record.
    let hec_ids = || -> Vec<String> {
        hec.got()
            .iter()
            .flat_map(|g| hec_events(&g.body))
            .filter_map(|e| e["event"]["event_id"].as_str().map(str::to_string))
            .collect()
    };
    wait_for("every call at the HEC receiver", Duration::from_secs(30), || {
        want.iter().all(|id| hec_ids().contains(id))
    });
    let mut audit_seen = false;
    for g in hec.got().iter().filter(|g| g.headers.get("authorization").is_some_and(|a| a != "Splunk x")) {
        assert_eq!(g.path, "/services/collector/event");
        assert_eq!(g.headers["authorization"], format!("Splunk {TOKEN}"));
        assert_eq!(g.headers["content-type"], "application/json");
        assert_eq!(g.headers["x-splunk-request-channel"].len(), 36, "{:?}", g.headers);
        assert!(g.body.len() <= 800_000);
        for e in hec_events(&g.body) {
            let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["event", "host", "index", "source", "sourcetype", "time"], "{e}");
            assert_eq!((e["source"].as_str(), e["index"].as_str()), (Some("mcpcp"), Some("main")));
            assert!(!e["host"].as_str().unwrap().is_empty());
            let event = &e["event"];
            let time = chrono::DateTime::parse_from_rfc3339(event["time"].as_str().unwrap()).unwrap();
            let epoch = time.timestamp() as f64 + f64::from(time.timestamp_subsec_micros()) / 1e6;
            assert!((e["time"].as_f64().unwrap() - epoch).abs() < 1e-5, "{e}");
            match event["stream"].as_str().unwrap() {
                "activity" => {
                    assert_eq!(e["sourcetype"], "mcpcp:activity");
                    assert_eq!(event["event_id"], json!(format!("{instance}:activity:{}", event["id"])));
                    assert_eq!(event["instance"], json!(instance));
                    if event["type"] == "tool_call" {
                        assert_eq!((event["server"].as_str(), event["tool"].as_str()), (Some("remote"), Some("echo")));
                        assert_eq!(event["status"], "success");
                        assert!(event["input"]["text"].as_str().unwrap().starts_with(tricky), "{e}");
                    }
                }
                "audit" => {
                    assert_eq!(e["sourcetype"], "mcpcp:audit");
                    audit_seen |= event["action"] == "siem.add";
                    // The audit trail carries the sinks' creation, never their credentials.
                    assert!(!e.to_string().contains(TOKEN) && !e.to_string().contains(API_KEY), "{e}");
                }
                other => panic!("unknown stream {other}: {e}"),
            }
        }
    }
    assert!(audit_seen, "the siem.add entries reach HEC too");

    // NDJSON: content type, extra headers, one event per line, the signature checked
    // independently, and a tampered body fails it.
    let ndjson_ids = || -> Vec<String> {
        ndjson
            .got()
            .iter()
            .flat_map(|g| {
                let text = String::from_utf8(g.body.clone()).unwrap();
                text.lines()
                    .map(|l| serde_json::from_str::<Value>(l).unwrap()["event_id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    wait_for("every call at the NDJSON receiver", Duration::from_secs(30), || {
        want.iter().all(|id| ndjson_ids().contains(id))
    });
    let now = chrono::Utc::now().timestamp();
    for g in ndjson.got() {
        assert_eq!(g.path, "/ingest");
        assert_eq!(g.headers["content-type"], "application/x-ndjson");
        assert_eq!((g.headers["x-tenant"].as_str(), g.headers["x-api-key"].as_str()), ("acme", API_KEY));
        assert!(g.body.ends_with(b"\n"));
        let signature = &g.headers["x-mcpcp-signature"];
        assert!(signature_holds(signature, &g.body), "{signature}");
        let t: i64 = signature.trim_start_matches("t=").split(',').next().unwrap().parse().unwrap();
        assert!((now - t).abs() < 300, "t={t} now={now}");
        let mut tampered = g.body.clone();
        tampered[0] ^= 1;
        assert!(!signature_holds(signature, &tampered));
        for line in std::str::from_utf8(&g.body).unwrap().lines() {
            let event: Value = serde_json::from_str(line).unwrap();
            assert!(event["event_id"].as_str().unwrap().starts_with(&instance));
        }
    }

    // The untrusted sink fails verification and delivers nothing.
    wait_for("the untrusted sink to report its failure", Duration::from_secs(10), || {
        status(&gw.m, "untrusted")["last_error"].as_str().is_some_and(|e| e.contains("certificate"))
    });
    let untrusted = status(&gw.m, "untrusted");
    eprintln!("the untrusted sink: {}", untrusted["last_error"]);
    assert_eq!((untrusted["state"].as_str(), untrusted["delivered"].as_i64()), (Some("retrying"), Some(0)));
    assert!(hec.got().iter().all(|g| g.headers["authorization"] != "Splunk x"), "no request got through");
    wait_for("the sinks to catch up", Duration::from_secs(10), || {
        ["splunk", "hook"].iter().all(|s| status(&gw.m, s)["lag_events"] == 0)
    });
    let splunk = status(&gw.m, "splunk");
    assert_eq!((splunk["state"].as_str(), splunk["lost"].as_i64()), (Some("delivering"), Some(0)), "{splunk}");

    // `siem test` sends one event and reports the answer; the cursors do not move.
    let before = status(&gw.m, "splunk")["delivered"].clone();
    let test = gw.m.json(&["siem", "test", "splunk"]);
    assert_eq!(test["http_status"], 200, "{test}");
    assert!(test["answer"].as_str().unwrap().contains("200 OK: {\"text\":\"Success\",\"code\":0}"), "{test}");
    assert!(test["connection"].as_str().unwrap().contains("certificate verified for localhost"), "{test}");
    let last = hec.got().pop().unwrap();
    assert_eq!(hec_events(&last.body)[0]["event"]["type"], "siem_test");
    assert_eq!(gw.m.json(&["siem", "test", "hook"])["http_status"], 202);
    assert!(signature_holds(
        &ndjson.got().pop().unwrap().headers["x-mcpcp-signature"],
        &ndjson.got().pop().unwrap().body
    ));
    let err = gw.m.fails(&["siem", "test", "untrusted"], 1);
    assert!(err.contains("certificate"), "{err}");
    assert_eq!(status(&gw.m, "splunk")["delivered"], before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusing_receiver_shows_in_status_and_gets_every_event_once_it_accepts() {
    // A 401 with a body that tries to forge a line in a terminal.
    let refusal = "{\"text\":\"Invalid token\",\"code\":4}\u{1b}[2K\r\nforged";
    let hec = Receiver::start(None, 401, refusal).await;
    let upstream = HttpUpstream::start().await;
    let m = Mcpcp::new();
    m.ok(&["server", "create", "remote", "--url", &upstream.url]);
    let token = m.ok(&["token", "create", "remote"]).trim().to_string();
    let url = format!("http://127.0.0.1:{}", hec.port);
    add_with_stdin(&m, &["splunk", "--hec", &url, "--token-stdin", "--streams", "activity"], "wrong-token\n");
    let gw = Gateway::start(m, &[]);
    let c = session(&gw, &token).await;
    for i in 0..10 {
        assert!(echo(&c, 10 + i, &format!("while refused #{i}")).await);
    }
    wait_for("the refusal in siem status", Duration::from_secs(10), || {
        status(&gw.m, "splunk")["last_error"].as_str().is_some_and(|e| e.contains("401"))
    });
    let refused = status(&gw.m, "splunk");
    let error = refused["last_error"].as_str().unwrap();
    assert!(error.starts_with(&format!("HTTP 401 Unauthorized from {url}/services/collector/event: ")), "{error}");
    assert!(error.contains("Invalid token") && error.contains("\\u{1b}") && !error.contains('\u{1b}'), "{error}");
    assert!(!error.contains('\n') && !error.contains('\r'), "{error}");
    assert_eq!((refused["state"].as_str(), refused["delivered"].as_i64()), (Some("retrying"), Some(0)), "{refused}");
    let table = gw.m.ok(&["siem", "status"]);
    assert!(table.contains("retrying") && table.contains("HTTP 401 Unauthorized"), "{table}");
    // Retried with backoff, and the cursor did not move.
    wait_for("a retry", Duration::from_secs(10), || hec.got().len() >= 2);
    assert!(status(&gw.m, "splunk")["lag_events"].as_i64().unwrap() >= 10);

    hec.answer(200, r#"{"text":"Success","code":0}"#);
    wait_for("the sink to catch up once accepted", Duration::from_secs(30), || {
        status(&gw.m, "splunk")["lag_events"] == 0
    });
    let calls = call_ids(&gw.m);
    let instance: String =
        gw.m.sqlite().query_row("SELECT value FROM meta WHERE key = 'instance'", [], |r| r.get(0)).unwrap();
    let mut accepted: HashMap<String, usize> = HashMap::new();
    for g in hec.got().iter().filter(|g| g.answered == 200) {
        for e in hec_events(&g.body) {
            *accepted.entry(e["event"]["event_id"].as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    for id in &calls {
        assert_eq!(accepted.get(&format!("{instance}:activity:{id}")), Some(&1), "call {id}: {accepted:?}");
    }
    let caught_up = status(&gw.m, "splunk");
    assert_eq!(caught_up["state"], "delivering", "{caught_up}");
    assert_eq!(caught_up["delivered"].as_i64(), Some(accepted.len() as i64), "{caught_up}");
}

/// Writes `n` tool-call records (ids 1..=n) into the activity database of `m`.
fn prefill(m: &Mcpcp, n: i64) {
    m.ok(&["logs", "tail", "-n", "1"]);
    let conn = rusqlite::Connection::open(m.data_dir().join("activity.db")).unwrap();
    conn.execute(
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?1)
         INSERT INTO activity (id, time, server, type, level, principal, auth_method, method, tool, input,
           duration_us, status, trace_id)
         SELECT i, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now', '-1 hour'), 'files', 'tool_call', 'info', 'ci',
           'api_token', 'tools/call', 'search', '{\"q\":\"call ' || i || ' ' || hex(randomblob(200)) || '\"}',
           900 + i % 300, 'success', printf('%032x', i)
         FROM c",
        [n],
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_through_a_flaky_receiver_is_accepted_exactly_once_per_event() {
    // A backlog of full batches (read ahead while the previous one is posted) to a receiver
    // that answers every third request with a 503: each event is accepted exactly once, and
    // none is skipped.
    let hec = Receiver::start(None, 200, r#"{"text":"Success","code":0}"#).await;
    hec.fail_every.store(3, Ordering::Relaxed);
    let m = Mcpcp::new();
    let n = 5000;
    prefill(&m, n);
    let url = format!("http://127.0.0.1:{}", hec.port);
    add_with_stdin(
        &m,
        &["splunk", "--hec", &url, "--token-stdin", "--streams", "activity", "--from", "beginning"],
        "t\n",
    );
    let gw = Gateway::start(m, &[]);
    wait_for("the backlog to drain", Duration::from_secs(60), || status(&gw.m, "splunk")["lag_events"] == 0);
    let got = hec.got();
    let failed = got.iter().filter(|g| g.answered == 503).count();
    let mut accepted: HashMap<i64, usize> = HashMap::new();
    for g in got.iter().filter(|g| g.answered == 200) {
        assert!(g.body.len() <= 800_000, "{}", g.body.len());
        for e in hec_events(&g.body) {
            *accepted.entry(e["event"]["id"].as_i64().unwrap()).or_default() += 1;
        }
    }
    eprintln!("{} requests, {failed} refused with 503, {} events accepted", got.len(), accepted.len());
    assert!(failed >= 2, "the receiver refused too little to show anything: {failed}");
    let wrong: Vec<(i64, usize)> =
        (1..=n).map(|id| (id, accepted.get(&id).copied().unwrap_or(0))).filter(|(_, k)| *k != 1).collect();
    assert!(wrong.is_empty(), "events accepted other than once: {:?}", &wrong[..wrong.len().min(10)]);
    assert_eq!(status(&gw.m, "splunk")["delivered"], n);
}
