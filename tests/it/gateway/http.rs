//! The Streamable HTTP rules at the wire: authentication, sessions, versions, Origin/Host, CORS,
//! malformed and oversized input, batches, the legacy HTTP+SSE transport, and the workers' polling.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::harness::{Gateway, fixture_stdio, with_stdio_fixture};

/// A raw HTTP MCP client.
#[derive(Clone)]
pub struct Raw {
    pub http: reqwest::Client,
    pub url: String,
    pub token: Option<String>,
    pub session: Option<String>,
    pub version: Option<String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The JSON document, or the messages of an SSE body.
    pub fn messages(&self) -> Vec<Value> {
        if self.headers.get("content-type").is_some_and(|v| v.to_str().unwrap().starts_with("text/event-stream")) {
            return self
                .body
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .filter(|d| !d.is_empty())
                .map(|d| serde_json::from_str(d).unwrap())
                .collect();
        }
        match serde_json::from_str(&self.body) {
            Ok(Value::Array(items)) => items,
            Ok(v) => vec![v],
            Err(_) => Vec::new(),
        }
    }

    pub fn json(&self) -> Value {
        self.messages().pop().unwrap_or_else(|| panic!("no JSON in {} {:?}", self.status, self.body))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_string())
    }
}

impl Raw {
    pub fn new(url: &str, token: &str) -> Raw {
        Raw {
            http: reqwest::Client::new(),
            url: url.to_string(),
            token: Some(token.to_string()),
            session: None,
            version: None,
        }
    }

    pub fn request(&self, method: reqwest::Method) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method, &self.url).header("accept", "application/json, text/event-stream");
        if let Some(t) = &self.token {
            r = r.bearer_auth(t);
        }
        if let Some(s) = &self.session {
            r = r.header("mcp-session-id", s);
        }
        if let Some(v) = &self.version {
            r = r.header("mcp-protocol-version", v);
        }
        r
    }

    pub async fn send(&self, r: reqwest::RequestBuilder) -> Answer {
        let response = r.send().await.expect("request");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Answer { status, headers, body }
    }

    pub async fn post(&self, body: impl Into<String>) -> Answer {
        self.send(self.request(reqwest::Method::POST).header("content-type", "application/json").body(body.into()))
            .await
    }

    pub async fn post_json(&self, v: Value) -> Answer {
        self.post(v.to_string()).await
    }

    /// initialize + initialized; remembers the session.
    pub async fn handshake(&mut self, version: &str) -> Value {
        let a = self
            .post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        self.session = Some(a.header("mcp-session-id").expect("session id"));
        self.version = Some(version.to_string());
        let n = self.post_json(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
        assert_eq!(n.status, StatusCode::ACCEPTED);
        a.json()
    }
}

fn error_code(a: &Answer) -> i64 {
    a.json()["error"]["code"].as_i64().unwrap_or_else(|| panic!("no JSON-RPC error in {}", a.body))
}

#[tokio::test]
async fn authentication_is_required_and_scoped_to_the_server() {
    let (gw, token) = with_stdio_fixture();
    gw.m.ok(&["server", "create", "other", "--command", fixture_stdio().to_str().unwrap()]);
    let other_token = gw.m.ok(&["token", "create", "other"]).trim().to_string();
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});

    let mut anonymous = Raw::new(&gw.url("fx"), "");
    anonymous.token = None;
    let a = anonymous.post_json(init.clone()).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.header("www-authenticate").unwrap().starts_with("Bearer"), "{:?}", a.headers);
    assert_eq!(error_code(&a), -32000);

    for (name, bad) in
        [("wrong", "mcpcp_not-a-real-token"), ("not bearer", ""), ("other server's", other_token.as_str())]
    {
        let a = Raw::new(&gw.url("fx"), bad).post_json(init.clone()).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{name} token: {}", a.body);
        assert!(a.header("www-authenticate").unwrap().contains("Bearer"), "{name}");
    }
    // Unknown servers answer like a bad token: nothing about which servers exist leaks.
    let a = Raw::new(&gw.url("no-such-server"), &token).post_json(init.clone()).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    // The right token works.
    let mut ok = Raw::new(&gw.url("fx"), &token);
    let init_result = ok.handshake("2025-06-18").await;
    assert_eq!(init_result["result"]["serverInfo"]["name"], "mcpcp-fixture");
    let session = ok.session.clone().unwrap();
    assert!(session.len() >= 32 && session.bytes().all(|b| (0x21..=0x7e).contains(&b)), "{session}");
    // A name written with percent-escapes (served through the router, not the direct way) is
    // the same server, under the same rules.
    let mut escaped = Raw::new(&gw.url("f%78"), &token);
    assert_eq!(escaped.handshake("2025-06-18").await["result"]["serverInfo"]["name"], "mcpcp-fixture");
    let a = Raw::new(&gw.url("f%78"), &other_token).post_json(init.clone()).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
    // The client's credential never reaches the upstream (the fixture echoes mcpcp headers only
    // over HTTP; over stdio there is no header at all) and the token is not in the gateway log.
    assert!(!gw.log().contains(&token));
}

#[tokio::test]
async fn sessions_are_bound_to_their_principal() {
    let (gw, token) = with_stdio_fixture();
    let second = gw.m.ok(&["token", "create", "fx", "--name", "second"]).trim().to_string();
    let mut other = Raw::new(&gw.url("fx"), &second);
    super::harness::eventually("the new token is live", Duration::from_secs(2), || {
        let other = other.clone();
        async move {
            other.post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"})).await.status
                != StatusCode::UNAUTHORIZED
        }
    })
    .await;
    other.handshake("2025-06-18").await;
    let mut owner = Raw::new(&gw.url("fx"), &token);
    owner.handshake("2025-06-18").await;
    let mut thief = Raw::new(&gw.url("fx"), &second);
    thief.session = owner.session.clone();
    thief.version = owner.version.clone();
    let a = thief.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "another principal's session id is unknown to it");
    assert_eq!(error_code(&a), -32001);
    let a = owner.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::OK);
    // Unknown ids and missing ids.
    let mut stranger = Raw::new(&gw.url("fx"), &token);
    stranger.session = Some("f".repeat(64));
    let a = stranger.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    stranger.session = None;
    let a = stranger.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("Mcp-Session-Id header is required"), "{}", a.body);
    // DELETE ends it; afterwards it is 404.
    let d = owner.send(owner.request(reqwest::Method::DELETE)).await;
    assert_eq!(d.status, StatusCode::OK);
    let a = owner.post_json(json!({"jsonrpc": "2.0", "id": 3, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn protocol_rules() {
    let (gw, token) = with_stdio_fixture();
    let mut c = Raw::new(&gw.url("fx"), &token);
    c.handshake("2025-11-25").await;

    c.version = Some("1999-01-01".into());
    let a = c.post_json(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("Unsupported protocol version"), "{}", a.body);
    c.version = Some("2025-11-25".into());

    let a = c.post("{\"jsonrpc\": \"2.0\", \"id\": ").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&a), -32700);
    assert_eq!(a.json()["id"], Value::Null);
    let a = c.post_json(json!({"id": 2, "method": "tools/list"})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&a), -32600);

    let a = c.send(c.request(reqwest::Method::POST).header("content-type", "text/plain").body("{}")).await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let a = c
        .send(
            c.http
                .post(&c.url)
                .bearer_auth(&token)
                .header("accept", "text/html")
                .header("content-type", "application/json")
                .header("mcp-session-id", c.session.clone().unwrap())
                .body(json!({"jsonrpc": "2.0", "id": 9, "method": "ping"}).to_string()),
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE);
    // Media types match whatever their case; parameters after the type are allowed.
    for (content_type, accept) in
        [("Application/JSON; charset=utf-8", "TEXT/EVENT-STREAM"), ("application/json", "Application/Json")]
    {
        let a = c
            .send(
                c.http
                    .post(&c.url)
                    .bearer_auth(&token)
                    .header("accept", accept)
                    .header("content-type", content_type)
                    .header("mcp-session-id", c.session.clone().unwrap())
                    .body(json!({"jsonrpc": "2.0", "id": 10, "method": "ping"}).to_string()),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{content_type} / {accept}: {}", a.body);
    }

    // Oversized bodies are refused before they are read: the gateway answers 413 after the
    // headers alone, so memory stays bounded.
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = gw.base.trim_start_matches("http://").to_string();
        let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /mcp/fx HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMcp-Session-Id: {}\r\nContent-Length: {}\r\n\r\n{{\"jsonrpc\"",
            c.session.clone().unwrap(),
            64 * 1024 * 1024
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let mut reply = vec![0u8; 512];
        let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut reply))
            .await
            .expect("an answer without the body")
            .unwrap();
        let reply = String::from_utf8_lossy(&reply[..n]).to_string();
        assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    }

    // ping is answered by the gateway; a re-initialize on a session is refused.
    let a = c.post_json(json!({"jsonrpc": "2.0", "id": "p", "method": "ping"})).await;
    assert_eq!(a.json(), json!({"jsonrpc": "2.0", "id": "p", "result": {}}));
    let a = c
        .post_json(json!({"jsonrpc": "2.0", "id": 7, "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);

    // GET: one standalone stream per session.
    let get = |c: &Raw| c.request(reqwest::Method::GET).header("accept", "text/event-stream").send();
    let first = get(&c).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["content-type"], "text/event-stream");
    let second = get(&c).await.unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    drop(first);

    // ids are passed back exactly as the client sent them.
    for id in [json!(0), json!(-7), json!("a \"quoted\" id"), json!(9_007_199_254_740_993_i64)] {
        let a = c.post_json(json!({"jsonrpc": "2.0", "id": id, "method": "tools/list"})).await;
        assert_eq!(a.json()["id"], id);
    }
}

/// Reads one HTTP/1.1 response with a Content-Length body from `conn`: (status line and
/// headers, lowercased, and the body), or `None` if the server closed the connection first.
async fn read_response(conn: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> Option<(String, String)> {
    use tokio::io::AsyncReadExt;
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize =
                head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap());
            if buf.len() >= end + 4 + length {
                let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
                buf.drain(..end + 4 + length);
                return Some((head, body));
            }
        }
        let mut chunk = [0u8; 4096];
        match tokio::time::timeout(Duration::from_secs(10), conn.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return None,
            Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => panic!("no response within 10 s"),
        }
    }
}

/// A POST refused before its body is read (here: no credential) closes its connection and says
/// so (`Connection: close`), so a client does not send its next request into a closing
/// connection. A POST refused for its headers once the caller is known (an unsupported
/// protocol version) is refused after its body was read, and the connection serves the client's
/// fallback request.
#[tokio::test]
async fn refusals_keep_or_close_the_connection_as_they_say() {
    use tokio::io::AsyncWriteExt;
    let (gw, token) = with_stdio_fixture();
    let host = gw.base.trim_start_matches("http://").to_string();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
        "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})
    .to_string();
    let head = |auth: &str, version: &str| {
        format!(
            "POST /mcp/fx HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n\
             accept: application/json, text/event-stream\r\n{auth}{version}content-length: {}\r\n\r\n",
            body.len()
        )
    };

    // No credential: refused on the headers alone, before the body was sent.
    let mut conn = tokio::net::TcpStream::connect(&host).await.unwrap();
    let mut buf = Vec::new();
    conn.write_all(head("", "").as_bytes()).await.unwrap();
    let (head401, _) = read_response(&mut conn, &mut buf).await.expect("an answer");
    assert!(head401.starts_with("http/1.1 401"), "{head401}");
    assert!(head401.contains("connection: close"), "{head401}");

    // An unsupported version from a known caller: the body is read first (sent a moment after
    // the headers), the refusal follows, and the same connection then serves the fallback.
    let mut conn = tokio::net::TcpStream::connect(&host).await.unwrap();
    let mut buf = Vec::new();
    let auth = format!("authorization: Bearer {token}\r\n");
    conn.write_all(head(&auth, "mcp-protocol-version: 1999-01-01\r\n").as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await; // lets the server see the headers alone
    conn.write_all(body.as_bytes()).await.unwrap();
    let (head400, body400) = read_response(&mut conn, &mut buf).await.expect("an answer");
    assert!(head400.starts_with("http/1.1 400"), "{head400}");
    assert!(body400.contains("Unsupported protocol version"), "{body400}");
    assert!(!head400.contains("connection: close"), "{head400}");
    conn.write_all(format!("{}{body}", head(&auth, "")).as_bytes()).await.unwrap();
    let (head200, body200) =
        read_response(&mut conn, &mut buf).await.expect("the fallback was answered on the same connection");
    assert!(head200.starts_with("http/1.1 200"), "{head200}");
    assert!(body200.contains("protocolVersion"), "{body200}");
}

#[tokio::test]
async fn origin_and_host_are_validated_and_cors_answers() {
    let (gw, token) = with_stdio_fixture();
    let port = gw.base.rsplit(':').next().unwrap().to_string();
    let c = Raw::new(&gw.url("fx"), &token);
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})
    .to_string();
    let a = c
        .send(
            c.request(reqwest::Method::POST)
                .header("content-type", "application/json")
                .header("origin", "http://evil.example.com")
                .body(init.clone()),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = c
        .send(
            c.request(reqwest::Method::POST)
                .header("content-type", "application/json")
                .header("host", "evil.example.com")
                .body(init.clone()),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // Over HTTP/2 cleartext the host is `:authority`: a rebound name is refused there too, also
    // on the routes the router serves, and the gateway's own name is served.
    let addr: std::net::SocketAddr = gw.base.trim_start_matches("http://").parse().unwrap();
    let h2 = reqwest::Client::builder().http2_prior_knowledge().resolve("rebound.example", addr).build().unwrap();
    for (method, path) in [("POST", "/mcp/fx"), ("POST", "/mcp/f%78"), ("GET", "/mcp/fx/sse")] {
        let r = h2
            .request(method.parse().unwrap(), format!("http://rebound.example:{port}{path}"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .body(if method == "POST" { init.clone() } else { String::new() })
            .send()
            .await
            .unwrap();
        assert_eq!((r.version(), r.status()), (reqwest::Version::HTTP_2, StatusCode::FORBIDDEN), "{method} {path}");
    }
    let r = h2
        .post(format!("http://127.0.0.1:{port}/mcp/fx"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(init.clone())
        .send()
        .await
        .unwrap();
    assert_eq!((r.version(), r.status()), (reqwest::Version::HTTP_2, StatusCode::OK));
    let origin = format!("http://localhost:{port}");
    let a = c
        .send(
            c.request(reqwest::Method::POST)
                .header("content-type", "application/json")
                .header("origin", &origin)
                .body(init.clone()),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.header("access-control-allow-origin").as_deref(), Some(origin.as_str()));
    let exposed = a.header("access-control-expose-headers").unwrap();
    assert!(exposed.contains("Mcp-Session-Id") && exposed.contains("WWW-Authenticate"), "{exposed}");
    let pre = c
        .send(
            c.http
                .request(reqwest::Method::OPTIONS, &c.url)
                .header("origin", &origin)
                .header("access-control-request-method", "POST"),
        )
        .await;
    assert_eq!(pre.status, StatusCode::NO_CONTENT);
    assert!(pre.header("access-control-allow-headers").unwrap().contains("Mcp-Session-Id"));
    let pre = c
        .send(
            c.http
                .request(reqwest::Method::OPTIONS, &c.url)
                .header("origin", "http://evil.example.com")
                .header("access-control-request-method", "POST"),
        )
        .await;
    assert_eq!(pre.status, StatusCode::FORBIDDEN);
    // A 401 still carries CORS headers, so a browser client can read the challenge.
    let a = c
        .send(c.http.post(&c.url).header("origin", &origin).header("content-type", "application/json").body(init))
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.header("access-control-allow-origin").is_some());
}

#[tokio::test]
async fn batches_only_on_2025_03_26() {
    let (gw, token) = with_stdio_fixture();
    let mut old = Raw::new(&gw.url("fx"), &token);
    old.handshake("2025-03-26").await;
    let a = old
        .post_json(json!([
            {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "one"}}},
            {"jsonrpc": "2.0", "method": "notifications/roots/list_changed"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "two"}}}
        ]))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let answers = a.messages();
    assert_eq!(answers.len(), 2, "{}", a.body);
    assert_eq!(answers[0]["id"], 1);
    assert_eq!(answers[0]["result"]["content"][0]["text"], "one");
    assert_eq!(answers[1]["result"]["content"][0]["text"], "two");
    let mut new = Raw::new(&gw.url("fx"), &token);
    new.handshake("2025-06-18").await;
    let a = new.post_json(json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn legacy_http_sse_clients_are_served() {
    use futures_util::{FutureExt, StreamExt};
    let (gw, token) = with_stdio_fixture();
    let http = reqwest::Client::new();
    let response = http
        .get(format!("{}/sse", gw.url("fx")))
        .bearer_auth(&token)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut next_event = async || -> (String, String) {
        loop {
            if let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                let name = event.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("message").to_string();
                let data = event.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or("").to_string();
                if !event.starts_with(':') {
                    return (name, data);
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), stream.next())
                .await
                .expect("event in time")
                .expect("stream open")
                .unwrap();
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    let (name, endpoint) = next_event().await;
    assert_eq!(name, "endpoint");
    assert!(endpoint.starts_with("/mcp/fx/messages?sessionId="), "{endpoint}");
    let post = |body: Value| {
        http.post(format!("{}{endpoint}", gw.base))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    // Another principal's message to the stream, before it is initialized, is refused and leaves
    // the owner's stream as it was.
    let other = gw.m.ok(&["token", "create", "fx"]).trim().to_string();
    let probe = Raw::new(&gw.url("fx"), &other);
    super::harness::eventually("the new token is live", Duration::from_secs(2), || {
        let probe = probe.clone();
        async move {
            probe.post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"})).await.status
                != StatusCode::UNAUTHORIZED
        }
    })
    .await;
    let foreign = |id: i64| {
        http.post(format!("{}{endpoint}", gw.base))
            .bearer_auth(&other)
            .header("content-type", "application/json")
            .body(json!({"jsonrpc": "2.0", "id": id, "method": "ping"}).to_string())
            .send()
            .map(Result::unwrap)
    };
    assert_eq!(foreign(0).await.status(), StatusCode::NOT_FOUND);
    let r = post(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "old", "version": "1"}}}))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let (_, init) = next_event().await;
    let init: Value = serde_json::from_str(&init).unwrap();
    assert_eq!(init["id"], 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "mcpcp-fixture");
    assert_eq!(
        post(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    let r = post(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "old"}}})).await.unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let (_, answer) = next_event().await;
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["id"], 2);
    assert_eq!(answer["result"]["content"][0]["text"], "old");
    // Another principal cannot post into this session.
    let r = foreign(3).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_disabled_server_is_refused() {
    let (gw, token) = with_stdio_fixture();
    gw.m.ok(&["server", "disable", "fx"]);
    let c = Raw::new(&gw.url("fx"), &token);
    let started = Instant::now();
    loop {
        let a = c
            .post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
            .await;
        if a.status == StatusCode::SERVICE_UNAVAILABLE {
            assert!(a.body.contains("disabled"), "{}", a.body);
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(1), "still served after 1 s: {}", a.status);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The client's credential is never forwarded: a recording upstream sees the gateway's own
/// request, without the client's Authorization header or token.
#[tokio::test]
async fn the_client_credential_is_never_forwarded_upstream() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let recorded = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
        }
        let _ = socket
            .write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await;
        String::from_utf8_lossy(&request).to_string()
    });
    let m = crate::support::Mcpcp::new();
    m.ok(&["server", "create", "rec", "--url", &format!("http://{addr}/mcp")]);
    let token = m.ok(&["token", "create", "rec"]).trim().to_string();
    let gw = super::harness::Gateway::start(m, &[]);
    let a = Raw::new(&gw.url("rec"), &token)
        .post_json(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}))
        .await;
    let request = tokio::time::timeout(Duration::from_secs(5), recorded).await.unwrap().unwrap();
    assert!(request.starts_with("POST /mcp HTTP/1.1"), "{request}");
    assert!(!request.to_ascii_lowercase().contains("authorization:"), "{request}");
    assert!(!request.contains(&token));
    // The upstream failed: the client gets a clean JSON-RPC error and no session.
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(error_code(&a), -32603);
    assert!(a.header("mcp-session-id").is_none());
}

/// What the gateway's worker threads have done so far, from /proc: CPU time (ns, from
/// `schedstat`), how many times they went to sleep (voluntary context switches), and whether
/// all of them are asleep now.
fn workers_seen(pid: u32) -> (u64, u64, bool) {
    let (mut cpu_ns, mut sleeps, mut asleep) = (0, 0, true);
    for entry in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().flatten() {
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let Some((head, after)) = stat.rsplit_once(')') else { continue };
        if !head.contains("(mcpcp-worker") {
            continue;
        }
        // The state follows the name: `S` sleeping, `R` running.
        asleep &= after.split_whitespace().next() == Some("S");
        let schedstat = std::fs::read_to_string(entry.path().join("schedstat")).unwrap_or_default();
        cpu_ns += schedstat.split_whitespace().next().and_then(|t| t.parse::<u64>().ok()).unwrap_or(0);
        let status = std::fs::read_to_string(entry.path().join("status")).unwrap_or_default();
        sleeps += status
            .lines()
            .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0);
    }
    (cpu_ns, sleeps, asleep)
}

/// After a request starts, its worker thread polls for work for `busy_poll_us` (so the CPU does
/// not halt before the upstream answers), but only for an upstream whose answers come within that
/// window, then sleeps. Seen from /proc without depending on the machine's speed: with polling,
/// back-to-back calls to a quick upstream put the workers to sleep less often than without;
/// calls to an upstream slower than the window cost about the CPU they cost without polling
/// (polling each would add a whole window); once requests stop, the workers sleep. How much CPU
/// polling takes is measured by `cargo bench` (section 5), not asserted here.
#[tokio::test]
async fn workers_poll_while_answers_fit_the_window_then_sleep() {
    let (mut fast_sleeps, mut slow_cpu_ms) = (Vec::new(), Vec::new());
    let slow_calls: u64 = 20;
    for window_us in ["10000", "0"] {
        let m = crate::support::Mcpcp::new().env("MCPCP_BUSY_POLL_US", window_us);
        for server in ["fx", "slow"] {
            m.ok(&["server", "create", server, "--command", fixture_stdio().to_str().unwrap()]);
        }
        let fx_token = m.ok(&["token", "create", "fx"]).trim().to_string();
        let slow_token = m.ok(&["token", "create", "slow"]).trim().to_string();
        let gw = Gateway::start(m, &[]);
        let (mut fast, mut slow) = (Raw::new(&gw.url("fx"), &fx_token), Raw::new(&gw.url("slow"), &slow_token));
        fast.handshake("2025-11-25").await;
        slow.handshake("2025-11-25").await;
        let call = |id: u64, name: &str, arguments: Value| json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": name, "arguments": arguments}});
        // Back to back to an upstream that answers at once.
        let (_, before, _) = workers_seen(gw.pid());
        for id in 0..20 {
            let a = fast.post_json(call(id, "echo", json!({"text": "hi"}))).await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        }
        fast_sleeps.push(workers_seen(gw.pid()).1 - before);
        // To an upstream that answers after 30 ms, three times the window.
        let (before, _, _) = workers_seen(gw.pid());
        for id in 0..slow_calls {
            let a = slow.post_json(call(id, "sleep", json!({"ms": 30}))).await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        }
        slow_cpu_ms.push((workers_seen(gw.pid()).0 - before) / 1_000_000);
        // No request: the workers go to sleep (a poller that never stopped would keep them running).
        let deadline = Instant::now() + Duration::from_secs(10);
        while !workers_seen(gw.pid()).2 {
            assert!(Instant::now() < deadline, "window {window_us} µs: the workers never went to sleep");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    eprintln!("polling on, off: quick calls slept {fast_sleeps:?} times; slow calls took {slow_cpu_ms:?} ms of CPU");
    assert!(
        fast_sleeps[0] < fast_sleeps[1],
        "20 quick calls: the workers slept {} times with polling, {} without",
        fast_sleeps[0],
        fast_sleeps[1]
    );
    // The first slow answer settles the estimate: about one window polled, not one per call.
    let every_call = slow_calls * 10;
    assert!(
        slow_cpu_ms[0] < slow_cpu_ms[1] + every_call / 2,
        "{slow_calls} calls slower than a 10 ms window took {} ms of CPU with polling, {} ms without",
        slow_cpu_ms[0],
        slow_cpu_ms[1]
    );
}
