//! Several CLI processes writing one database at once: no failures, no lost or forked audit
//! entries. This is what `BEGIN IMMEDIATE` and `busy_timeout` are for.

use std::process::Stdio;
use std::thread;

use crate::support::Mcpcp;

#[test]
fn four_processes_times_one_hundred_commands() {
    const WRITERS: usize = 4;
    const COMMANDS: usize = 100;
    let m = Mcpcp::new();
    // All four start on a directory that does not exist yet: first use races too.
    let results: Vec<Vec<String>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let m = &m;
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for i in 0..COMMANDS {
                        // Alternate kinds of writes so several tables are touched.
                        let name = format!("w{w}-n{i}");
                        let args: Vec<&str> = match i % 4 {
                            0 | 1 => vec!["server", "create", &name, "--url", "https://a.example/mcp"],
                            2 => vec!["group", "create", &name],
                            _ => vec!["user", "create", &name],
                        };
                        let out = m.command(&args).stdout(Stdio::null()).output().expect("run");
                        if !out.status.success() {
                            failures.push(format!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("writer thread")).collect()
    });
    let failures: Vec<String> = results.into_iter().flatten().collect();
    assert!(failures.is_empty(), "{} failures, first: {:?}", failures.len(), failures.first());
    let entries = m.audit();
    assert_eq!(entries.len(), WRITERS * COMMANDS);
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, (1..=(WRITERS * COMMANDS) as i64).collect::<Vec<_>>());
    let v = m.json(&["audit", "verify"]);
    assert_eq!(v["entries"], 400);
    assert_eq!(v["broken"], serde_json::Value::Null);
    assert_eq!(m.json(&["server", "list"]).as_array().unwrap().len(), WRITERS * COMMANDS / 2);
}
