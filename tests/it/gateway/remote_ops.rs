//! The remote CLI for the last admin commands the admin API took on: `server create`,
//! `upstream-auth`, `identity`, `ip`, `connections`, `connect`, `disconnect`, `tool sync`, `user
//! connections|disconnect|sessions|signout`, `key`, `sso`, `siem` and `logs show|export`. With an
//! owner's token each prints what the local CLI prints (tables and JSON) and exits alike on bad
//! input; the gateway reaches upstreams itself (tool sync, oauth settings, `siem test`); a server
//! manager scoped to one server is told another does not exist, an auditor is refused every
//! change naming the permission; changes are audited as the admin; and no secret of a request
//! (header values, environment values, client secrets, SIEM credentials) comes back in an
//! answer, the gateway's log or the audit trail.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};

use super::harness::{Gateway, fixture_stdio};
use crate::support::{Mcpcp, Run};

/// The public URL both the gateway and the local CLI read from their configuration.
const PUBLIC: &str = "https://gw.example.com";

/// A gateway with servers `a` and `b` (a token each), its public URL in a configuration file
/// the local CLI reads too, and, when `activity` is given, that many activity records written
/// before it starts.
fn gateway(activity: usize) -> Gateway {
    let m = Mcpcp::new();
    let config = m.dir.path().join("mcpcp.toml");
    std::fs::write(&config, format!("public_url = \"{PUBLIC}\"\n")).unwrap();
    let m = m.env("MCPCP_CONFIG", config.to_str().unwrap());
    for s in ["a", "b"] {
        m.ok(&["server", "create", s, "--url", &format!("https://{s}.example.com/mcp")]);
        m.ok(&["token", "create", s, "--name", &format!("t{s}")]);
    }
    if activity > 0 {
        write_activity(&m, activity);
    }
    Gateway::start(m, &[])
}

/// `n` records of servers `a` and `b`, an hour old, seven at a time sharing their time (so a page
/// of an export can end inside a run of equal times), every tenth with a 20 KB input.
fn write_activity(m: &Mcpcp, n: usize) {
    let db = rusqlite::Connection::open(m.data_dir().join("activity.db")).unwrap();
    db.execute(
        "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?1)
         INSERT INTO activity (id, time, server, type, level, principal, method, tool, input, duration_us, status,
                               trace_id)
         SELECT n, strftime('%Y-%m-%dT%H:%M:%S', 'now', '-3600 seconds', '+' || (n / 7) || ' seconds') || '.000000Z',
                CASE n % 2 WHEN 0 THEN 'a' ELSE 'b' END, 'tool_call', 'info', 'ta', 'tools/call', 'search',
                CASE n % 10 WHEN 0 THEN json_object('q', printf('%.20000c', 'x')) ELSE json_object('q', n) END,
                100 + n, 'success', printf('%032x', n)
         FROM i",
        [i64::try_from(n).unwrap()],
    )
    .unwrap();
}

/// An admin token for `admin` holding `roles` (`role` or `role@server`).
fn admin_token(m: &Mcpcp, admin: &str, roles: &[&str]) -> String {
    m.ok(&["admin", "create", admin]);
    for r in roles {
        match r.split_once('@') {
            Some((role, server)) => m.ok(&["admin", "grant", admin, role, "--server", server]),
            None => m.ok(&["admin", "grant", admin, r]),
        };
    }
    m.ok(&["admin", "token", "create", admin]).trim().to_string()
}

/// The CLI pointed at the gateway's admin API with `token`.
fn remote(gw: &Gateway, token: &str) -> Mcpcp {
    Mcpcp::new().env("MCPCP_REMOTE", &gw.base).env("MCPCP_ADMIN_TOKEN", token)
}

/// Runs `args` (with `stdin`) locally and remotely: the same exit code and output, after
/// `normalize`.
fn alike_with(gw: &Gateway, r: &Mcpcp, args: &[&str], stdin: Option<&str>, normalize: fn(&str) -> String) -> Run {
    let run = |m: &Mcpcp| match stdin {
        Some(input) => m.run_stdin(args, input),
        None => m.run(args),
    };
    let (local, far) = (run(&gw.m), run(r));
    assert_eq!(
        (local.code, normalize(&local.stdout)),
        (far.code, normalize(&far.stdout)),
        "{args:?}: local stderr {}\nremote stderr {}",
        local.stderr,
        far.stderr
    );
    if local.code != 0 {
        assert_eq!(local.stderr, far.stderr, "{args:?}");
    }
    far
}

fn alike(gw: &Gateway, r: &Mcpcp, args: &[&str]) -> Run {
    alike_with(gw, r, args, None, str::to_string)
}

/// Fails alike locally and remotely, with `code`, and changes nothing.
fn fails_alike(gw: &Gateway, r: &Mcpcp, args: &[&str], stdin: Option<&str>, code: i32) {
    let before = gw.m.dump();
    let far = alike_with(gw, r, args, stdin, str::to_string);
    assert_eq!(far.code, code, "{args:?}: {}", far.stderr);
    assert_eq!(gw.m.dump(), before, "{args:?} failed but changed the database");
}

/// The newest audit entry was written by `admin` through the API.
fn audited_as(gw: &Gateway, admin: &str, action: &str) {
    let entry = gw.m.last_audit();
    let actor = &entry["actor"];
    assert_eq!(
        (entry["action"].as_str(), &actor["kind"], &actor["name"], &actor["via"]),
        (Some(action), &json!("admin"), &json!(admin), &json!("api"))
    );
    assert!(entry["origin"].as_str().unwrap().starts_with("api 127.0.0.1 token mcpcpa_"), "{entry}");
}

/// None of `secrets` is in the audit trail, the gateway's log or `outputs`.
fn nowhere(gw: &Gateway, secrets: &[&str], outputs: &[&str]) {
    let audit = gw.m.ok(&["-o", "json", "audit", "list", "-n", "100000"]);
    let log = gw.log();
    for secret in secrets {
        assert!(!audit.contains(secret), "{secret} is in the audit trail");
        assert!(!log.contains(secret), "{secret} is in the gateway's log");
        for out in outputs {
            assert!(!out.contains(secret), "{secret} was echoed: {out}");
        }
    }
}

#[test]
fn server_commands_remotely_print_and_exit_as_locally() {
    let gw = gateway(0);
    let r = remote(&gw, &admin_token(&gw.m, "olga", &["owner"]));
    // Made remotely, the secrets on standard input and in --env; audited as olga.
    let args = ["server", "create", "c", "--url", "https://c.example.com/mcp", "--upstream-auth", "header"];
    let made = r.run_stdin(&[&args[..], &["--header", "X-Api-Key", "--value-stdin"]].concat(), "c-header-s3cret\n");
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(made.stdout.contains("created server \"c\""), "{}", made.stdout);
    audited_as(&gw, "olga", "server.create");
    let stdio = r.json(&["server", "create", "d", "--command", "d-server --port 1", "--env", "API_KEY=d-env-s3cret"]);
    assert_eq!(stdio["env"], json!(["API_KEY"]));
    let auth = ["server", "upstream-auth", "a", "header", "--header", "Authorization", "--value-stdin"];
    let changed = r.run_stdin(&auth, "Bearer a-header-s3cret\n");
    assert_eq!(changed.code, 0, "{}", changed.stderr);
    audited_as(&gw, "olga", "server.upstream_auth");
    for (args, action) in [
        (&["server", "identity", "a", "--forward", "headers,jwt"][..], "server.identity"),
        (&["server", "ip", "a", "allow", "10.0.0.0/8"], "server.ip_allow"),
        (&["server", "ip", "a", "deny", "10.1.0.0/16"], "server.ip_deny"),
        (&["server", "ip", "a", "allow", "192.0.2.7"], "server.ip_allow"),
        (&["server", "ip", "a", "remove", "10.0.0.0/8"], "server.ip_remove"),
        (&["key", "rotate"], "key.rotate"),
    ] {
        r.ok(args);
        audited_as(&gw, "olga", action);
    }
    nowhere(
        &gw,
        &["c-header-s3cret", "d-env-s3cret", "a-header-s3cret"],
        &[&made.stdout, &made.stderr, &changed.stdout, &stdio.to_string()],
    );
    for args in [
        &["server", "show", "c"][..],
        &["-o", "json", "server", "show", "c"],
        &["-o", "json", "server", "show", "d"],
        &["server", "list"],
        &["server", "identity", "a"],
        &["-o", "json", "server", "identity", "a"],
        &["server", "identity", "b"],
        &["server", "ip", "a", "list"],
        &["-o", "json", "server", "ip", "a", "list"],
        &["key", "list"],
        &["-o", "json", "key", "list"],
        &["server", "connections", "a"],
        &["-o", "json", "server", "connections", "a"],
    ] {
        alike(&gw, &r, args);
    }
    assert!(r.ok(&["server", "identity", "a"]).contains(&format!("{PUBLIC}/.well-known/jwks.json")));
    // Bad input and refusals: the same exit code and message, nothing changed.
    for (args, code) in [
        (&["server", "ip", "a", "allow", "not-a-cidr"][..], 2),
        (&["server", "ip", "zzz", "list"], 1),
        (&["server", "ip", "a", "deny", "10.1.0.0/16"], 1),
        (&["server", "ip", "a", "remove", "172.16.0.0/12"], 1),
        (&["server", "identity", "a", "--jwt-header", "bad header"], 2),
        (&["server", "identity", "a", "--forward", "sideways"], 2),
        (&["server", "identity", "d", "--forward", "headers"], 2),
        (&["server", "identity", "zzz"], 1),
        (&["server", "create", "c", "--url", "https://c.example.com/mcp"], 1),
        (&["server", "create", "Bad_Name", "--url", "https://x.example.com/mcp"], 2),
        (&["server", "create", "e", "--command", "e-server", "--upstream-auth", "header"], 2),
        (&["server", "upstream-auth", "zzz", "none"], 1),
        (&["server", "upstream-auth", "b", "none"], 2),
        (&["server", "upstream-auth", "d", "oauth", "--client-id", "x"], 2),
        (&["server", "connect", "a"], 2),
        (&["server", "connect", "a", "--timeout", "11m"], 2),
        (&["server", "disconnect", "a"], 1),
        (&["server", "connections", "zzz"], 1),
        (&["tool", "sync", "zzz"], 1),
        (&["tool", "sync", "a", "--timeout", "soon"], 2),
    ] {
        fails_alike(&gw, &r, args, None, code);
    }
    let header = ["server", "upstream-auth", "b", "header", "--header", "X-A", "--header", "X-B", "--value-stdin"];
    fails_alike(&gw, &r, &header, Some("only-one\n"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_syncs_tools_and_settles_upstream_sign_in_itself() {
    let gw = gateway(0);
    let r = remote(&gw, &admin_token(&gw.m, "olga", &["owner"]));
    // tool sync: the gateway starts the stdio upstream and records its tools.
    r.ok(&["server", "create", "fx", "--command", fixture_stdio().to_str().unwrap()]);
    let synced = r.json(&["tool", "sync", "fx"]);
    assert!(!synced["added"].as_array().unwrap().is_empty(), "{synced}");
    audited_as(&gw, "olga", "tool.sync");
    assert!(gw.m.ok(&["tool", "sync", "fx"]).contains("\"fx\" is up to date"));
    alike(&gw, &r, &["tool", "sync", "fx"]);
    alike(&gw, &r, &["-o", "json", "tool", "sync", "fx"]);
    alike(&gw, &r, &["tool", "list", "fx"]);
    // oauth with endpoints given: no discovery; the client secret is kept, never shown.
    let oauth = [
        "server",
        "create",
        "o",
        "--url",
        "http://127.0.0.1:9/mcp",
        "--upstream-auth",
        "oauth",
        "--client-id",
        "mcpcp-at-o",
        "--client-secret-stdin",
        "--authorization-url",
        "https://as.example.com/authorize",
        "--token-url",
        "https://as.example.com/token",
        "--scopes",
        "read write",
    ];
    let made = r.run_stdin(&oauth, "o-client-s3cret\n");
    assert_eq!(made.code, 0, "{}", made.stderr);
    audited_as(&gw, "olga", "server.create");
    assert_eq!(gw.m.last_audit()["changes"]["upstream_oauth"]["after"]["client_id"], "mcpcp-at-o");
    nowhere(&gw, &["o-client-s3cret"], &[&made.stdout, &made.stderr]);
    alike(&gw, &r, &["server", "show", "o"]);
    alike(&gw, &r, &["-o", "json", "server", "show", "o"]);
    // Discovery runs where the operation does: the same refusal from the gateway as locally.
    fails_alike(&gw, &r, &["server", "upstream-auth", "o", "oauth"], None, 1);
    fails_alike(&gw, &r, &["server", "upstream-auth", "o", "oauth", "--authorization-url", "https://x"], None, 2);
    // server connect: the gateway makes the link (its public URL, sealed with its key), which
    // opens at the gateway and leads to the upstream's sign-in; the CLI waits for the sign-in.
    let mut child = r
        .command(&["server", "connect", "o", "--timeout", "3s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let prefix = format!("{PUBLIC}/connect/shared/");
    let mut line = String::new();
    let link = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no link printed");
        if let Some(at) = line.find(&prefix) {
            break line[at + prefix.len()..].trim().to_string();
        }
    };
    let opened = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/connect/shared/{link}", gw.base))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), reqwest::StatusCode::SEE_OTHER);
    let location = opened.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("https://as.example.com/authorize?"), "{location}");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert!(rest.contains("error: no sign-in completed within 3 s; nothing was linked"), "{rest}");
}

/// A user `ada` with a sign-in (a grant) at server `a` and a linked upstream account there,
/// and a's shared connection, as the gateway would have stored them.
fn signed_in_and_linked(m: &Mcpcp) {
    m.ok(&["user", "create", "ada"]);
    let db = m.sqlite();
    let t = "2026-01-01T00:00:00.000000Z";
    db.execute_batch(&format!(
        "INSERT INTO oauth_clients (client_id, kind, client_name, redirect_uris, auth_method, metadata, created_at)
           VALUES ('c1', 'dcr', 'Claude', '[]', 'none', '{{}}', '{t}');
         INSERT INTO oauth_grants (user_id, client_id, server_id, method, scope, created_at, expires_at)
           SELECT u.id, 'c1', s.id, 'password', 'mcp', '{t}', '2999-01-01T00:00:00.000000Z'
           FROM users u, servers s WHERE u.name = 'ada' AND s.name = 'a';
         INSERT INTO upstream_connections (server_id, user_id, subject, scopes, tokens_sealed, created_at)
           SELECT s.id, u.id, 'ada@upstream', 'read', x'00', '{t}' FROM users u, servers s
           WHERE u.name = 'ada' AND s.name = 'a';
         INSERT INTO upstream_connections (server_id, user_id, subject, scopes, tokens_sealed, created_at)
           SELECT id, NULL, 'robot@upstream', '', x'00', '{t}' FROM servers WHERE name = 'a';"
    ))
    .unwrap();
}

#[test]
fn users_connections_and_sso_remotely_print_and_exit_as_locally() {
    let gw = gateway(0);
    let r = remote(&gw, &admin_token(&gw.m, "olga", &["owner"]));
    signed_in_and_linked(&gw.m);
    for args in [
        &["user", "connections", "ada"][..],
        &["-o", "json", "user", "connections", "ada"],
        &["server", "connections", "a"],
        &["-o", "json", "server", "connections", "a"],
        &["user", "sessions", "ada"],
        &["-o", "json", "user", "sessions", "ada"],
    ] {
        alike(&gw, &r, args);
    }
    assert_eq!(r.json(&["user", "signout", "ada"]), json!({"revoked": 1, "user": "ada"}));
    audited_as(&gw, "olga", "user.signout");
    assert!(r.ok(&["user", "disconnect", "ada", "a"]).contains("removed user \"ada\"'s upstream account"));
    audited_as(&gw, "olga", "connection.unlink");
    assert_eq!(r.json(&["server", "disconnect", "a"])["subject"], "robot@upstream");
    audited_as(&gw, "olga", "connection.unlink");
    for (args, code) in [
        (&["user", "signout", "ada"][..], 1),
        (&["user", "sessions", "nobody"], 1),
        (&["user", "disconnect", "ada", "a"], 1),
        (&["user", "disconnect", "ada", "zzz"], 1),
        (&["user", "connections", "nobody"], 1),
        (&["server", "disconnect", "a"], 1),
        (&["sso", "show"], 1),
        (&["sso", "disable"], 1),
    ] {
        fails_alike(&gw, &r, args, None, code);
    }
    alike(&gw, &r, &["user", "sessions", "ada"]);
    // SSO: the client secret comes on standard input and goes nowhere else.
    let set = ["sso", "set", "--issuer", "https://idp.example.com", "--client-id", "mcpcp", "--client-secret-stdin"];
    fails_alike(
        &gw,
        &r,
        &["sso", "set", "--issuer", "http://idp.example.com", "--client-id", "m", "--client-secret-stdin"],
        Some("s\n"),
        2,
    );
    fails_alike(&gw, &r, &set, Some("\n"), 2);
    let made = r.run_stdin(
        &[&set[..], &["--scopes", "openid", "email", "--groups-claim", "groups"]].concat(),
        "sso-client-s3cret\n",
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    audited_as(&gw, "olga", "sso.set");
    alike(&gw, &r, &["sso", "show"]);
    alike(&gw, &r, &["-o", "json", "sso", "show"]);
    r.ok(&["sso", "disable"]);
    audited_as(&gw, "olga", "sso.disable");
    fails_alike(&gw, &r, &["sso", "disable"], None, 1);
    alike(&gw, &r, &["sso", "show"]);
    nowhere(&gw, &["sso-client-s3cret"], &[&made.stdout, &made.stderr]);
}

/// A syslog receiver on 127.0.0.1 that takes connections and reads what they send.
fn syslog_receiver() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut &stream, &mut std::io::sink());
            });
        }
    });
    port
}

/// `siem test` names the event it sent, a new one each time.
fn without_event_id(out: &str) -> String {
    out.lines()
        .map(|l| if l.starts_with("event:") || l.contains("\"event_id\"") { "(event id)" } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn siem_sinks_remotely_print_and_exit_as_locally() {
    let gw = gateway(0);
    let r = remote(&gw, &admin_token(&gw.m, "olga", &["owner"]));
    let port = syslog_receiver();
    let syslog = format!("tcp://127.0.0.1:{port}");
    r.ok(&["siem", "add", "s1", "--syslog", &syslog, "--streams", "activity", "--server", "a"]);
    audited_as(&gw, "olga", "siem.add");
    let http = ["siem", "add", "h1", "--http", "http://127.0.0.1:9/ingest", "--secret-stdin", "--header", "X-Api-Key"];
    let made = r.run_stdin(
        &[&http[..], &["--header", "X-Team=ops", "--streams", "activity"]].concat(),
        "siem-signing-s3cret-0123\nsiem-header-s3cret\n",
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    audited_as(&gw, "olga", "siem.add");
    for args in [
        &["siem", "list"][..],
        &["-o", "json", "siem", "list"],
        &["siem", "show", "h1"],
        &["-o", "json", "siem", "show", "h1"],
        &["siem", "show", "s1"],
    ] {
        alike(&gw, &r, args);
    }
    // The gateway sends the test event to the receiver, as the CLI does on its machine.
    let tested = alike_with(&gw, &r, &["siem", "test", "s1"], None, without_event_id);
    assert!(tested.stdout.contains(&format!("127.0.0.1:{port}")), "{}", tested.stdout);
    alike_with(&gw, &r, &["-o", "json", "siem", "test", "s1"], None, without_event_id);
    fails_alike(&gw, &r, &["siem", "test", "h1"], None, 1);
    for (args, action) in [(&["siem", "pause", "h1"][..], "siem.pause"), (&["siem", "pause", "s1"], "siem.pause")] {
        r.ok(args);
        audited_as(&gw, "olga", action);
    }
    // The gateway stops delivering to paused sinks within a second; then their status holds:
    // polled until the local and the remote status agree (a delivery may land between the two).
    crate::support::wait_for("the paused sinks' status to settle", Duration::from_secs(10), || {
        gw.m.run(&["siem", "status"]).stdout == r.run(&["siem", "status"]).stdout
    });
    alike(&gw, &r, &["siem", "status"]);
    alike(&gw, &r, &["-o", "json", "siem", "status", "h1"]);
    r.ok(&["siem", "resume", "h1"]);
    audited_as(&gw, "olga", "siem.resume");
    r.ok(&["siem", "remove", "h1"]);
    audited_as(&gw, "olga", "siem.remove");
    for (args, stdin, code) in [
        (&["siem", "show", "h1"][..], None, 1),
        (&["siem", "pause", "s1"], None, 1),
        (&["siem", "remove", "nope"], None, 1),
        (&["siem", "status", "nope"], None, 1),
        (&["siem", "test", "nope"], None, 1),
        (&["siem", "add", "s1", "--syslog", &syslog], None, 1),
        (&["siem", "add", "Bad", "--syslog", &syslog], None, 2),
        (&["siem", "add", "x", "--syslog", "ftp://127.0.0.1:1"], None, 2),
        (&["siem", "add", "x", "--hec", "https://127.0.0.1:9"], None, 2),
        (&["siem", "add", "x", "--hec", "https://127.0.0.1:9", "--token-stdin"], Some("two words\n"), 2),
        (&["siem", "add", "x", "--syslog", &syslog, "--from", "yesterday-ish"], None, 2),
    ] {
        fails_alike(&gw, &r, args, stdin, code);
    }
    nowhere(&gw, &["siem-signing-s3cret-0123", "siem-header-s3cret"], &[&made.stdout, &made.stderr]);
}

/// Two refused requests, one to `a` and one to `b`, from two addresses (refusals are sampled
/// per source); the ids of their records.
fn refusals(gw: &Gateway) -> (String, String) {
    for (server, source) in [("a", [127, 0, 0, 2]), ("b", [127, 0, 0, 3])] {
        let client =
            reqwest::blocking::Client::builder().local_address(std::net::IpAddr::from(source)).build().unwrap();
        let status = client
            .post(format!("{}/mcp/{server}", gw.base))
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .body(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
            .send()
            .unwrap()
            .status();
        assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED);
    }
    let mut found = Vec::new();
    crate::support::wait_for("both refusals recorded", Duration::from_secs(5), || {
        let out = gw.m.ok(&["-o", "json", "logs", "tail", "--type", "auth_failure"]);
        found = out.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).collect();
        found.len() == 2
    });
    let id = |server: &str| found.iter().find(|e| e["server"] == server).unwrap()["id"].to_string();
    (id("a"), id("b"))
}

/// Exports with `args` locally and remotely into files of their own: the same files, and the
/// same report but for the file's name.
fn export_alike(gw: &Gateway, r: &Mcpcp, args: &[&str]) -> String {
    let (here, there) = (gw.m.dir.path().join("export.local"), gw.m.dir.path().join("export.remote"));
    let run = |m: &Mcpcp, file: &std::path::Path| {
        let mut all = vec!["logs", "export", "--output-file", file.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = m.run(&all);
        assert_eq!(out.code, 0, "{all:?}: {}", out.stderr);
        out.stdout.replace(file.to_str().unwrap(), "FILE")
    };
    assert_eq!(run(&gw.m, &here), run(r, &there), "{args:?}");
    let (local, far) = (std::fs::read_to_string(&here).unwrap(), std::fs::read_to_string(&there).unwrap());
    assert!(local == far, "{args:?}: the exported files differ");
    far
}

#[test]
fn logs_show_and_export_remotely_print_what_they_print_locally_within_the_admins_scope() {
    let records = 2500;
    let gw = gateway(records);
    let token = admin_token(&gw.m, "olga", &["owner"]);
    let r = remote(&gw, &token);
    let (in_a, in_b) = refusals(&gw);
    for args in [&["logs", "show", &in_a][..], &["-o", "json", "logs", "show", &in_b], &["logs", "show", "7"]] {
        alike(&gw, &r, args);
    }
    for (args, code) in
        [(&["logs", "show", "999999"][..], 1), (&["logs", "export", "--output-file", "/nonexistent/x"], 1)]
    {
        fails_alike(&gw, &r, args, None, code);
    }
    let bad = ["logs", "export", "--output-file", "/tmp/never-written", "--trace", "xyz"];
    fails_alike(&gw, &r, &bad, None, 2);
    assert!(!std::path::Path::new("/tmp/never-written").exists());
    // Pages of an export end inside runs of equal times and at large records: nothing is lost
    // or repeated, in time order.
    let first: Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/logs/export", gw.base))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let page = (first["records"].as_array().unwrap().len(), &first["more"], &first["total"]);
    assert_eq!(page, (1000, &json!(true), &json!(records + 2)));
    let all = export_alike(&gw, &r, &[]);
    let ids: Vec<i64> =
        all.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), records + 2);
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "a record was exported twice");
    assert_eq!(&ids[..8], &[1, 2, 3, 4, 5, 6, 7, 8], "time order, then id order");
    let csv = export_alike(&gw, &r, &["--format", "csv", "--server", "a"]);
    assert_eq!(csv.lines().count(), 1 + records / 2 + 1);
    export_alike(&gw, &r, &["-o", "json", "--type", "auth_failure"]);
    // A server manager of a reads a's records only; others are not found.
    let dana = remote(&gw, &admin_token(&gw.m, "dana", &["server-manager@a"]));
    assert!(dana.ok(&["logs", "show", &in_a]).contains("server:"));
    let refused = dana.fails(&["logs", "show", &in_b], 1);
    assert!(refused.contains(&format!("no activity record with id {in_b}")), "{refused}");
    let file = gw.m.dir.path().join("dana.ndjson");
    let out = dana.json(&["logs", "export", "--output-file", file.to_str().unwrap(), "--type", "auth_failure"]);
    assert_eq!(out["records"], 1);
    let exported = std::fs::read_to_string(&file).unwrap();
    assert_eq!(serde_json::from_str::<Value>(exported.trim()).unwrap()["server"], "a");
}

#[test]
fn a_scoped_server_manager_is_told_other_servers_do_not_exist_and_an_auditor_changes_nothing() {
    let gw = gateway(0);
    signed_in_and_linked(&gw.m);
    gw.m.ok(&["siem", "add", "s1", "--syslog", "tcp://127.0.0.1:9"]);
    let dana = remote(&gw, &admin_token(&gw.m, "dana", &["server-manager@a"]));
    let audra = remote(&gw, &admin_token(&gw.m, "audra", &["auditor"]));
    let before = gw.m.dump();
    for args in [
        &["server", "ip", "b", "list"][..],
        &["server", "ip", "b", "allow", "10.0.0.0/8"],
        &["server", "identity", "b"],
        &["server", "identity", "b", "--forward", "headers"],
        &["server", "upstream-auth", "b", "none"],
        &["server", "upstream-auth", "b", "oauth", "--client-id", "x"],
        &["server", "connections", "b"],
        &["server", "disconnect", "b"],
        &["server", "connect", "b"],
        &["tool", "sync", "b"],
    ] {
        let err = dana.fails(args, 1);
        assert!(err.contains("no server named \"b\""), "{args:?}: {err}");
    }
    for (args, permission) in [
        (&["server", "create", "x", "--url", "https://x.example.com/mcp"][..], "server.create"),
        (&["key", "list"], "admin.read"),
        (&["key", "rotate"], "admin.manage"),
        (&["sso", "show"], "sso.read"),
        (&["siem", "list"], "siem.read"),
        (&["siem", "status"], "siem.read"),
        (&["user", "sessions", "ada"], "user.read"),
        (&["user", "connections", "ada"], "user.read"),
    ] {
        let err = dana.fails(args, 1);
        assert!(err.contains(&format!("needs the permission {permission}")), "{args:?}: {err}");
    }
    assert_eq!(gw.m.dump(), before, "a refused change changed the database");
    // Its own server is dana's to change.
    dana.ok(&["server", "ip", "a", "allow", "10.0.0.0/8"]);
    audited_as(&gw, "dana", "server.ip_allow");
    dana.ok(&["server", "identity", "a", "--forward", "headers"]);
    audited_as(&gw, "dana", "server.identity");
    assert_eq!(dana.json(&["server", "connections", "a"]).as_array().unwrap().len(), 2);
    dana.ok(&["server", "disconnect", "a"]);
    audited_as(&gw, "dana", "connection.unlink");
    // The auditor reads the logs and is refused every change, each naming the permission.
    let before = gw.m.dump();
    let secret = "auditor-s3cret-value";
    for (args, permission) in [
        (&["server", "ip", "a", "allow", "10.9.0.0/16"][..], "policy.manage"),
        (&["server", "ip", "a", "list"], "server.read"),
        (&["server", "identity", "a", "--forward", "jwt"], "server.update"),
        (&["server", "upstream-auth", "a", "none"], "server.update"),
        (&["server", "create", "x", "--url", "https://x.example.com/mcp"], "server.create"),
        (&["server", "connect", "a"], "server.update"),
        (&["server", "disconnect", "a"], "server.update"),
        (&["tool", "sync", "a"], "tool.manage"),
        (&["key", "rotate"], "admin.manage"),
        (&["sso", "disable"], "sso.manage"),
        (&["siem", "pause", "s1"], "siem.manage"),
        (&["siem", "remove", "s1"], "siem.manage"),
        (&["siem", "test", "s1"], "siem.manage"),
        (&["siem", "add", "s2", "--syslog", "tcp://127.0.0.1:9"], "siem.manage"),
        (&["user", "signout", "ada"], "user.manage"),
        (&["user", "disconnect", "ada", "a"], "user.manage"),
    ] {
        let err = audra.fails(args, 1);
        assert!(err.contains(&format!("needs the permission {permission}")), "{args:?}: {err}");
    }
    let sso = ["sso", "set", "--issuer", "https://idp.example.com", "--client-id", "m", "--client-secret-stdin"];
    let err = audra.fails_stdin(&sso, &format!("{secret}\n"), 1);
    assert!(err.contains("needs the permission sso.manage") && !err.contains(secret), "{err}");
    assert_eq!(gw.m.dump(), before, "a refused change changed the database");
    nowhere(&gw, &[secret], &[]);
    let file = gw.m.dir.path().join("audra.ndjson");
    assert_eq!(audra.json(&["logs", "export", "--output-file", file.to_str().unwrap()])["records"], 0);
}
