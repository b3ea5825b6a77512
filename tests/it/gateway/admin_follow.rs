//! `logs tail -f` through the admin API: `GET /api/v1/logs?follow=true` streams the records
//! committed after the request (NDJSON, or SSE with resumption by `Last-Event-ID`), within the
//! admin's scope, bounded in number, and ended within a second when the admin token is revoked.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::{Gateway, fixture_stdio};
use crate::support::Mcpcp;

/// A gateway with stdio servers `a` and `b`, a token for each, and admin `dana`, a
/// server-manager of `a` only, with an admin token.
fn gateway() -> (Gateway, [String; 2], String) {
    let m = Mcpcp::new();
    let mut tokens = Vec::new();
    for s in ["a", "b"] {
        m.ok(&["server", "create", s, "--command", fixture_stdio().to_str().unwrap()]);
        tokens.push(m.ok(&["token", "create", s]).trim().to_string());
    }
    m.ok(&["admin", "create", "dana"]);
    m.ok(&["admin", "grant", "dana", "server-manager", "--server", "a"]);
    let admin = m.ok(&["admin", "token", "create", "dana"]).trim().to_string();
    let tokens: [String; 2] = tokens.try_into().unwrap();
    (Gateway::start(m, &[]), tokens, admin)
}

/// One request to `server` that the gateway records (an `initialize`).
async fn call(gw: &Gateway, server: &str, token: &str) {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "follow-test", "version": "1"}}});
    let response = reqwest::Client::new()
        .post(gw.url(server))
        .bearer_auth(token)
        .header("accept", "application/json, text/event-stream")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// Lines a child process prints, as they come.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_remote_follower_sees_new_records_of_its_servers_only_and_stops_when_revoked() {
    let (gw, [ta, tb], admin) = gateway();
    let remote = Mcpcp::new().env("MCPCP_REMOTE", &gw.base).env("MCPCP_ADMIN_TOKEN", &admin);
    let mut follower = remote
        .command(&["-o", "json", "logs", "tail", "-f", "-n", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut follower);
    // Calls to b, then to a, until the follower prints one: it started at the end of the log,
    // and the first record it prints is a's (b's are outside dana's scope).
    let deadline = Instant::now() + Duration::from_secs(15);
    let first = loop {
        assert!(Instant::now() < deadline, "the remote follower printed nothing");
        call(&gw, "b", &tb).await;
        call(&gw, "a", &ta).await;
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(300)) {
            break line;
        }
    };
    let mut seen = vec![serde_json::from_str::<Value>(&first).unwrap()];
    for _ in 0..3 {
        call(&gw, "b", &tb).await;
        call(&gw, "a", &ta).await;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.len() < 4 && Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            seen.push(serde_json::from_str(&line).unwrap());
        }
    }
    assert!(seen.len() >= 4, "the follower printed {} of the later calls' records", seen.len());
    assert!(seen.iter().all(|e| e["server"] == "a"), "a record of another server was streamed: {seen:?}");
    let ids: Vec<i64> = seen.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "records repeated or out of order: {ids:?}");

    // Revoking the admin token ends the stream within about a second: the CLI exits 1.
    let id = gw.m.json(&["admin", "token", "list"])[0]["id"].to_string();
    gw.m.ok(&["admin", "token", "revoke", &id]);
    let revoked = Instant::now();
    let status = loop {
        if let Some(status) = follower.try_wait().unwrap() {
            break status;
        }
        assert!(revoked.elapsed() < Duration::from_secs(5), "the follower kept running after its token was revoked");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(revoked.elapsed() < Duration::from_secs(3), "took {:?}", revoked.elapsed());
    assert_eq!(status.code(), Some(1));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut follower.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("ended the log stream"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sse_streams_resume_after_last_event_id_and_streams_are_bounded() {
    let (gw, [ta, _], _) = gateway();
    let owner = {
        gw.m.ok(&["admin", "create", "olga"]);
        gw.m.ok(&["admin", "grant", "olga", "owner"]);
        gw.m.ok(&["admin", "token", "create", "olga"]).trim().to_string()
    };
    for _ in 0..3 {
        call(&gw, "a", &ta).await;
    }
    let records = gw.m.ok(&["-o", "json", "logs", "tail", "--server", "a"]);
    let ids: Vec<i64> =
        records.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{records}");
    // Resuming after the first record: the stream sends the other two, as events whose ids are
    // the records', then what comes next.
    let http = reqwest::Client::new();
    let mut stream = http
        .get(format!("{}/api/v1/logs?follow=true&server=a", gw.base))
        .bearer_auth(&owner)
        .header("accept", "text/event-stream")
        .header("last-event-id", ids[0].to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    call(&gw, "a", &ta).await;
    let mut text = String::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    let events = loop {
        let events: Vec<(i64, Value)> = text
            .split("\n\n")
            .filter_map(|event| {
                let id = event.lines().find_map(|l| l.strip_prefix("id: "))?.parse().ok()?;
                let data = event.lines().find_map(|l| l.strip_prefix("data: "))?;
                Some((id, serde_json::from_str(data).ok()?))
            })
            .collect();
        if events.len() >= 3 {
            break events;
        }
        assert!(Instant::now() < deadline, "stream so far: {text}");
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.chunk()).await.unwrap().unwrap().unwrap();
        text.push_str(std::str::from_utf8(&chunk).unwrap());
    };
    assert_eq!(events[0].0, ids[1]);
    assert_eq!(events[1].0, ids[2]);
    assert!(events[2].0 > ids[2] && events[2].1["server"] == "a", "{events:?}");
    assert!(events.iter().all(|(id, e)| e["id"] == *id));

    // At most 4 streams per admin token: the fifth is refused with a problem, not queued.
    let mut open = vec![stream];
    for _ in 0..3 {
        let r = http.get(format!("{}/api/v1/logs?follow=true", gw.base)).bearer_auth(&owner).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/x-ndjson");
        open.push(r);
    }
    let refused = http.get(format!("{}/api/v1/logs?follow=true", gw.base)).bearer_auth(&owner).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let problem: Value = refused.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("too many log streams"), "{problem}");
    // A closed stream frees its place (within the stream's poll).
    drop(open.pop());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let r = http.get(format!("{}/api/v1/logs?follow=true", gw.base)).bearer_auth(&owner).send().await.unwrap();
        if r.status() == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "a closed stream kept its place");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A bad filter is a 400 before any stream starts.
    let bad =
        http.get(format!("{}/api/v1/logs?follow=true&since=soon", gw.base)).bearer_auth(&owner).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}
