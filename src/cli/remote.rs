//! The remote side of the CLI: `--remote URL` sends each admin operation to a gateway's admin API
//! instead of running it on a local database. The operation is the same type either way
//! (`ops::operation`), so arguments, output and exit codes are the same too: the API's problem
//! details become the same errors the local operation would have returned.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::ops::operation::{Method, Operation, path_fields};
use crate::secrets::Secret;

/// How long one admin request may take.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The largest answer read (a `logs` page is the largest).
const MAX_ANSWER: u64 = 64 << 20;

/// A gateway's admin API, and the token to call it with.
#[derive(Debug)]
pub struct Remote {
    base: String,
    token: Secret,
    http: reqwest::blocking::Client,
    /// For streams: no overall timeout (the connection's own still applies).
    streams: reqwest::blocking::Client,
}

impl Remote {
    /// `url` is the gateway's base URL: https, or http on a loopback address; `ca` a PEM file
    /// of a private CA (else the system's trust store).
    pub fn new(url: &str, token: Secret, ca: Option<&Path>) -> anyhow::Result<Remote> {
        let parsed =
            reqwest::Url::parse(url).map_err(|e| super::UsageError(format!("invalid --remote URL {url:?}: {e}")))?;
        let loopback = match parsed.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d == "localhost",
            None => false,
        };
        match parsed.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(super::UsageError(format!(
                    "--remote {url}: use https (http only to a loopback address): the admin token would cross the network in clear"
                ))
                .into());
            }
            other => return Err(super::UsageError(format!("--remote {url}: unknown scheme {other:?}")).into()),
        }
        let roots = match ca {
            Some(ca) => read_ca(ca)?,
            None => Vec::new(),
        };
        let client = |timeout: Option<Duration>| {
            let mut builder = reqwest::blocking::Client::builder()
                .timeout(timeout)
                .connect_timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("mcpcp/", env!("CARGO_PKG_VERSION"), " (remote CLI)"));
            for cert in &roots {
                builder = builder.add_root_certificate(cert.clone());
            }
            builder.build().context("cannot set up the HTTP client")
        };
        Ok(Remote {
            base: url.trim_end_matches('/').to_string(),
            token,
            http: client(Some(TIMEOUT))?,
            streams: client(None)?,
        })
    }

    /// The admin API at `url` without a token, for `admin login`, which gets one.
    pub fn anonymous(url: &str, ca: Option<&Path>) -> anyhow::Result<Remote> {
        Remote::new(url, Secret::new(String::new()), ca)
    }

    /// The URL of the admin API's `path` (`/login`).
    pub fn api_url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// Redeems the one-time code of an admin sign-in with its PKCE verifier: the admin token.
    pub fn redeem_login(&self, code: &str, verifier: &str) -> anyhow::Result<crate::ops::admin::CreatedToken> {
        let request = self
            .http
            .post(self.api_url("/login/token"))
            .json(&serde_json::json!({ "code": code, "code_verifier": verifier }));
        let response = self.send(request)?;
        let status = response.status();
        let mut body = Vec::new();
        use std::io::Read;
        response
            .take(MAX_ANSWER)
            .read_to_end(&mut body)
            .with_context(|| format!("cannot read the admin API's answer from {}", self.base))?;
        if !status.is_success() {
            let detail = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(String::from))
                .unwrap_or_else(|| format!("the admin API answered {status}"));
            anyhow::bail!("the gateway refused the sign-in: {detail}");
        }
        serde_json::from_slice(&body)
            .with_context(|| format!("the admin API at {} answered {status} with an unexpected document", self.base))
    }

    /// The URL and method of operation `op`'s request, and its body's fields.
    fn request<O: Operation>(
        &self,
        client: &reqwest::blocking::Client,
        op: &O,
    ) -> anyhow::Result<reqwest::blocking::RequestBuilder> {
        let mut fields = match serde_json::to_value(op).context("cannot encode the request")? {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let mut path = String::new();
        for segment in O::PATH.split('/').filter(|s| !s.is_empty()) {
            path.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let value = match fields.remove(name) {
                        Some(serde_json::Value::String(s)) => s,
                        Some(other) => other.to_string(),
                        None => anyhow::bail!("internal error: the request has no field {name}"),
                    };
                    path.push_str(&percent_encode(&value));
                }
                None => path.push_str(segment),
            }
        }
        debug_assert!(path_fields(O::PATH).all(|f| !fields.contains_key(f)));
        let mut url = format!("{}/api/v1{path}", self.base);
        fields.retain(|_, v| !v.is_null());
        if O::METHOD.in_query() && !fields.is_empty() {
            url.push('?');
            url.push_str(&serde_html_form::to_string(&fields).context("cannot encode the request")?);
        }
        let method = match O::METHOD {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut request = client.request(method, &url).bearer_auth(self.token.expose());
        if let Some(patience) = op.patience() {
            // The operation waits on something itself (an upstream): longer, with some to spare.
            request = request.timeout(TIMEOUT.max(patience + Duration::from_secs(30)));
        }
        if !O::METHOD.in_query() {
            request = request.json(&fields);
        }
        Ok(request)
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder) -> anyhow::Result<reqwest::blocking::Response> {
        request.send().map_err(|e| anyhow::anyhow!("cannot reach the admin API at {}: {}", self.base, chain(&e)))
    }

    /// Sends one operation and reads its output.
    pub fn call<O: Operation>(&self, op: &O) -> anyhow::Result<O::Output> {
        let response = self.send(self.request(&self.http, op)?)?;
        let status = response.status();
        let mut body = Vec::new();
        use std::io::Read;
        response
            .take(MAX_ANSWER)
            .read_to_end(&mut body)
            .with_context(|| format!("cannot read the admin API's answer from {}", self.base))?;
        if status.is_success() {
            return serde_json::from_slice(&body).with_context(|| {
                format!("the admin API at {} answered {status} with an unexpected document", self.base)
            });
        }
        Err(problem(status, &body))
    }

    /// Follows the activity log from `from` (`GET /logs?follow=true`, NDJSON), calling `each`
    /// for every record, until the gateway ends the stream.
    pub fn follow_logs(
        &self,
        from: &crate::ops::logs::TailLogs,
        mut each: impl FnMut(&crate::model::ActivityEntry),
    ) -> anyhow::Result<()> {
        use std::io::{BufRead, Read};
        let follow = crate::ops::logs::TailLogs { follow: true, ..from.clone() };
        let request = self.request(&self.streams, &follow)?.header(reqwest::header::ACCEPT, "application/x-ndjson");
        let response = self.send(request)?;
        let status = response.status();
        if !status.is_success() {
            let mut body = Vec::new();
            response.take(MAX_ANSWER).read_to_end(&mut body).ok();
            return Err(problem(status, &body));
        }
        let mut lines = std::io::BufReader::new(response);
        let mut line = Vec::new();
        loop {
            line.clear();
            // One record a line; a line longer than any answer is not a record.
            let read = std::io::Read::take(&mut lines, MAX_ANSWER).read_until(b'\n', &mut line)?;
            if read == 0 {
                return Ok(());
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue; // keep-alive
            }
            let entry = serde_json::from_slice(&line).with_context(|| {
                format!("the admin API at {} sent a log stream line that is not a record", self.base)
            })?;
            each(&entry);
        }
    }
}

/// The certificates of a PEM file (`--remote-ca`).
fn read_ca(ca: &Path) -> anyhow::Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(ca).with_context(|| format!("cannot read --remote-ca {}", ca.display()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| super::UsageError(format!("--remote-ca {}: not a PEM certificate: {e}", ca.display())))?;
    if certs.is_empty() {
        return Err(super::UsageError(format!("--remote-ca {}: no PEM certificate in it", ca.display())).into());
    }
    Ok(certs)
}

/// The error a problem-details answer stands for: a 400 is the caller's mistake (exit code 2),
/// like a local `Invalid`; the rest exit with 1. The message is the problem's `detail`.
fn problem(status: reqwest::StatusCode, body: &[u8]) -> anyhow::Error {
    let detail = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(String::from))
        .unwrap_or_else(|| format!("the admin API answered {status}"));
    match status.as_u16() {
        400 | 422 => super::UsageError(detail).into(),
        401 => anyhow::anyhow!("the admin API refused the admin token: {detail}"),
        _ => anyhow::anyhow!(detail),
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Percent-encodes a path segment: everything but unreserved characters (RFC 3986 §2.3).
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
