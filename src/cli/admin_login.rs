//! `mcpcp admin login --remote URL`: an admin signs in through the gateway's identity provider in
//! a browser, as a native app does (RFC 8252), and the admin token the gateway issues is written
//! to a file that later `--remote` commands read.
//!
//! The command listens on a loopback port of its own, prints the URL of the gateway's
//! `/api/v1/login` (with its loopback redirect URI, a random `state` and a PKCE S256 challenge)
//! and the code the gateway's confirmation page will show (`verification_code(state)`), waits for
//! the browser to come back with a one-time code, and redeems it with the verifier at
//! `/api/v1/login/token`. Only a request carrying its `state` ends the wait; anything else sent
//! to the port is answered and ignored.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use base64::Engine;

use super::{UsageError, output, remote::Remote};
use crate::gateway::oauth::admin_login::{challenge_of, verification_code};
use crate::gateway::oauth::pages::escape;

/// The file name of the default token file, under `$XDG_CONFIG_HOME/mcpcp/` (or
/// `~/.config/mcpcp/`).
const TOKEN_FILE: &str = "admin-token";
/// The largest request head read from the browser.
const MAX_REQUEST: usize = 16 * 1024;
/// How long one connection to the loopback port may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The path the browser comes back to.
const CALLBACK_PATH: &str = "/callback";

/// Where `admin login` writes the token and `--remote` reads it when no other is given:
/// `$XDG_CONFIG_HOME/mcpcp/admin-token`, else `~/.config/mcpcp/admin-token`.
pub fn default_token_file() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .and_then(absolute)
        .or_else(|| std::env::var_os("HOME").and_then(absolute).map(|h| h.join(".config")))?;
    Some(config.join("mcpcp").join(TOKEN_FILE))
}

fn random() -> anyhow::Result<String> {
    let bytes = crate::secrets::random_bytes::<32>().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Signs in at the gateway `url` and writes the token to `token_file` (else the default file).
pub fn run(
    url: &str,
    ca: Option<&Path>,
    token_file: Option<PathBuf>,
    wait: Duration,
    format: output::Format,
) -> anyhow::Result<()> {
    let remote = Remote::anonymous(url, ca)?;
    let path = token_file.or_else(default_token_file).ok_or_else(|| {
        UsageError(
            "no place for the token: give --admin-token-file FILE (neither XDG_CONFIG_HOME nor HOME is set)".into(),
        )
    })?;
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot listen on a loopback port")?;
    let redirect_uri = format!("http://127.0.0.1:{}{CALLBACK_PATH}", listener.local_addr()?.port());
    let (state, verifier) = (random()?, random()?);
    let sign_in = format!(
        "{}?redirect_uri={}&state={}&code_challenge={}&code_challenge_method=S256",
        remote.api_url("/login"),
        urlencode(&redirect_uri),
        urlencode(&state),
        challenge_of(&verifier)
    );
    eprintln!("Open this URL in a browser on this computer to sign in (waiting up to {} s):\n", wait.as_secs());
    eprintln!("  {sign_in}\n");
    eprintln!("Continue on mcpcp's page only if it shows the code {}.\n", verification_code(&state));
    let code = wait_for_code(&listener, &state, Instant::now() + wait)?;
    let created = remote.redeem_login(&code, &verifier)?;
    write_token(&path, created.secret.expose())?;
    if format == output::Format::Json {
        return output::json(&created.token);
    }
    let t = &created.token;
    let groups =
        if t.idp_groups.is_empty() { String::new() } else { format!(" (IdP groups {})", output::list(&t.idp_groups)) };
    output::outln!(
        "signed in as admin {:?}{groups}; its token {:?} expires {} and is in {}",
        t.admin,
        t.name,
        t.expires_at.as_deref().map(output::time).unwrap_or_else(|| "never".into()),
        path.display()
    );
    Ok(())
}

/// Waits for the browser's request carrying `state`: its code, or the error it brings.
fn wait_for_code(listener: &TcpListener, state: &str, deadline: Instant) -> anyhow::Result<String> {
    listener.set_nonblocking(true)?;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                if let Some(outcome) = answer(stream, state) {
                    return outcome;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    anyhow::bail!("nobody signed in within the time allowed: run `mcpcp admin login` again");
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(e).context("cannot accept the browser's connection"),
        }
    }
}

/// Reads one request and answers it; `Some` when it carried our `state` (the sign-in's outcome).
fn answer(mut stream: TcpStream, state: &str) -> Option<anyhow::Result<String>> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    let target = read_target(&mut stream)?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    if path != CALLBACK_PATH {
        reply(&mut stream, "404 Not Found", "Not found", "This is mcpcp admin login's sign-in callback.");
        return None;
    }
    let mut fields = std::collections::BTreeMap::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        fields.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    use subtle::ConstantTimeEq;
    let ours: bool = fields.get("state").is_some_and(|s| s.as_bytes().ct_eq(state.as_bytes()).into());
    if !ours {
        reply(&mut stream, "400 Bad Request", "Sign-in failed", "This answer is not for the sign-in running here.");
        return None;
    }
    if let Some(error) = fields.get("error") {
        let why = fields.get("error_description").unwrap_or(error);
        reply(&mut stream, "200 OK", "Sign-in failed", &format!("The sign-in failed: {why}."));
        return Some(Err(anyhow::anyhow!("the sign-in failed: {why}")));
    }
    let Some(code) = fields.get("code").filter(|c| !c.is_empty() && c.len() <= 1024) else {
        reply(&mut stream, "400 Bad Request", "Sign-in failed", "The answer has no sign-in code.");
        return None;
    };
    reply(
        &mut stream,
        "200 OK",
        "Signed in",
        "You are signed in to mcpcp. You can close this window and go back to the terminal.",
    );
    Some(Ok(code.clone()))
}

/// The request target of a `GET` request, read up to the end of its head (bounded).
fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 || head.len() + n > MAX_REQUEST {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = head.split(|b| *b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end();
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("GET"), Some(target), Some(version)) if version.starts_with("HTTP/1.") => Some(target.to_string()),
        _ => None,
    }
}

fn reply(stream: &mut TcpStream, status: &str, title: &str, message: &str) {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} · mcpcp</title></head>\
<body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto\"><h1>{}</h1><p>{}</p></body></html>",
        escape(title),
        escape(title),
        escape(message)
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nCache-Control: no-store\r\n\
Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

/// Writes `token` to `path`, readable by its owner only (0600; the folder made 0700): written
/// beside it and renamed over it, so no reader sees half a token or looser permissions.
fn write_token(path: &Path, token: &str) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| TOKEN_FILE.into());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temp)?;
        file.write_all(format!("{token}\n").as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.with_context(|| format!("cannot write the admin token to {}", path.display()))
}

/// The admin token for `--remote` when neither `--admin-token-file` nor `MCPCP_ADMIN_TOKEN` gives
/// one: the first line of the default token file, if there is one.
pub fn token_from_default_file() -> Option<String> {
    let path = default_token_file()?;
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.lines().next().unwrap_or_default().trim().to_string()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(port: u16, request: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }

    #[test]
    fn only_the_request_with_our_state_ends_the_wait() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let waiter =
            std::thread::spawn(move || wait_for_code(&listener, "st8", Instant::now() + Duration::from_secs(20)));
        assert!(send(port, "GET /favicon.ico HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
        assert!(send(port, "GET /callback?state=other&code=x HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400"));
        assert_eq!(send(port, "POST /callback HTTP/1.1\r\n\r\n"), "", "not a GET: closed unanswered");
        let page = send(port, "GET /callback?code=c%2E1&state=st8 HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(page.starts_with("HTTP/1.1 200") && page.contains("You are signed in"), "{page}");
        assert_eq!(waiter.join().unwrap().unwrap(), "c.1");
    }

    #[test]
    fn an_error_with_our_state_ends_the_wait_and_is_escaped() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let waiter =
            std::thread::spawn(move || wait_for_code(&listener, "s", Instant::now() + Duration::from_secs(20)));
        let page = send(port, "GET /callback?state=s&error=access_denied&error_description=%3Cb%3E HTTP/1.1\r\n\r\n");
        assert!(page.contains("&lt;b&gt;") && !page.contains("<b>"), "{page}");
        assert!(waiter.join().unwrap().unwrap_err().to_string().contains("<b>"));
    }

    #[test]
    fn the_token_file_is_private_and_replaced_whole() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conf/mcpcp/admin-token");
        write_token(&path, "mcpcpa_one").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_token(&path, "mcpcpa_two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mcpcpa_two\n");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let folder = std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777;
        assert_eq!(folder, 0o700);
    }
}
