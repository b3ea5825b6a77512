//! HTTP/1.1 on the wire for the upstream client (`super`): a POST written as one buffer, the
//! response head read with `httparse`, and the response body taken as its framing says
//! (RFC 9112 §6.3): a length, chunks, or everything until the connection closes.

use bytes::{Buf, Bytes, BytesMut};
use hyper::StatusCode;
use hyper::header::{
    CONNECTION, CONTENT_LENGTH, HOST, HeaderMap, HeaderName, HeaderValue, TRANSFER_ENCODING, USER_AGENT,
};

/// The most header fields a response head may have (hyper's default too).
const MAX_HEADERS: usize = 100;
/// The most bytes a response head may take.
pub(super) const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The longest chunk-size line (with its extensions) or trailer field line.
const MAX_LINE: usize = 4096;

/// Appends to `out` a POST of `body` to `path` (the request target: path and query), with the
/// `Host` and `User-Agent` given and `headers` (any `Host`, `User-Agent`, `Content-Length` or
/// `Transfer-Encoding` among them is left out: those are the client's to write).
pub(super) fn post(
    out: &mut Vec<u8>,
    path: &str,
    host: &HeaderValue,
    user_agent: &HeaderValue,
    headers: &HeaderMap,
    body: &[u8],
) {
    out.extend_from_slice(b"POST ");
    out.extend_from_slice(path.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\nhost: ");
    out.extend_from_slice(host.as_bytes());
    out.extend_from_slice(b"\r\nuser-agent: ");
    out.extend_from_slice(user_agent.as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        if [HOST, USER_AGENT, CONTENT_LENGTH, TRANSFER_ENCODING].contains(name) {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"content-length: ");
    out.extend_from_slice(crate::jsonrpc::decimal(body.len() as u64, &mut [0; 20]).as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
}

/// A response head.
#[derive(Debug)]
pub(super) struct Head {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Framing,
    /// The connection may carry another request once this response has been read whole.
    pub keep_alive: bool,
}

/// Reads the response head at the start of `buf` and takes it out of `buf`; `None` while it is
/// incomplete. Interim (1xx) responses before it are taken out and skipped.
pub(super) fn response_head(buf: &mut BytesMut) -> Result<Option<Head>, String> {
    loop {
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut slots);
        let used = match response.parse(buf) {
            Ok(httparse::Status::Complete(used)) => used,
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD_BYTES => {
                return Err(format!("response head larger than {MAX_HEAD_BYTES} bytes"));
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(e) => return Err(format!("invalid response head: {e}")),
        };
        let code = response.code.unwrap_or(0);
        if (100..200).contains(&code) && code != 101 {
            buf.advance(used);
            continue;
        }
        let status = StatusCode::from_u16(code).map_err(|_| format!("invalid response status {code}"))?;
        if code == 101 {
            return Err("the upstream switched protocols, which was not asked for".into());
        }
        let mut headers = HeaderMap::with_capacity(response.headers.len());
        let (mut length, mut chunked, mut other_coding, mut close) = (None::<u64>, false, false, false);
        for field in response.headers.iter() {
            let name =
                HeaderName::from_bytes(field.name.as_bytes()).map_err(|e| format!("invalid header name: {e}"))?;
            let value = HeaderValue::from_bytes(field.value).map_err(|e| format!("invalid header value: {e}"))?;
            if name == CONTENT_LENGTH {
                for part in field.value.split(|b| *b == b',') {
                    let n = decimal(part).ok_or("invalid content-length")?;
                    if length.is_some_and(|l| l != n) {
                        return Err("conflicting content-length".into());
                    }
                    length = Some(n);
                }
            } else if name == TRANSFER_ENCODING {
                // The last coding says whether the body is chunked (RFC 9112 §6.3).
                let last = field.value.rsplit(|b| *b == b',').next().unwrap_or_default();
                chunked = last.trim_ascii().eq_ignore_ascii_case(b"chunked");
                other_coding |= !chunked;
            } else if name == CONNECTION {
                close |= field.value.split(|b| *b == b',').any(|t| t.trim_ascii().eq_ignore_ascii_case(b"close"));
            }
            headers.append(name, value);
        }
        let http11 = response.version == Some(1);
        buf.advance(used);
        let body = if code == 204 || code == 304 {
            Framing::Length(0)
        } else if chunked && !other_coding {
            Framing::Chunked(Chunks::Size)
        } else if other_coding || chunked {
            // A coding after `chunked`, or one that is not: the body ends with the connection.
            Framing::Close
        } else {
            length.map_or(Framing::Close, Framing::Length)
        };
        // A body with both a length and a coding is read by the coding; the connection is not
        // trusted further (RFC 9112 §6.3, item 3).
        let keep_alive = http11 && !close && body != Framing::Close && !(length.is_some() && chunked);
        return Ok(Some(Head { status, headers, body, keep_alive }));
    }
}

/// A non-empty run of ASCII digits (surrounding spaces and tabs allowed) as a number.
fn decimal(text: &[u8]) -> Option<u64> {
    let text = text.trim_ascii();
    if text.is_empty() || text.len() > 19 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(text.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

/// How a response body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    /// After this many more bytes.
    Length(u64),
    /// `Transfer-Encoding: chunked`, at this point of a chunk.
    Chunked(Chunks),
    /// When the upstream closes the connection.
    Close,
}

/// Where a chunked body's reading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chunks {
    /// A chunk-size line comes next.
    Size,
    /// This many bytes of chunk data are still to come.
    Data(u64),
    /// The line end after a chunk's data.
    DataEnd,
    /// Trailer fields, up to an empty line.
    Trailers,
    Done,
}

/// What the body holds next.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Step {
    Data(Bytes),
    /// The body is over.
    Done,
    /// More bytes must be read first.
    More,
}

impl Framing {
    /// Takes the next piece of the body out of `buf`.
    pub(super) fn next(&mut self, buf: &mut BytesMut) -> Result<Step, String> {
        match self {
            Framing::Length(0) => Ok(Step::Done),
            Framing::Length(left) => {
                if buf.is_empty() {
                    return Ok(Step::More);
                }
                let n = usize::try_from(*left).unwrap_or(usize::MAX).min(buf.len());
                *left -= n as u64;
                Ok(Step::Data(buf.split_to(n).freeze()))
            }
            Framing::Close if buf.is_empty() => Ok(Step::More),
            Framing::Close => Ok(Step::Data(buf.split().freeze())),
            Framing::Chunked(chunks) => chunks.next(buf),
        }
    }

    /// Whether the body ends when the connection does (rather than being cut short).
    pub(super) fn ends_with_connection(&self) -> bool {
        *self == Framing::Close
    }
}

impl Chunks {
    fn next(&mut self, buf: &mut BytesMut) -> Result<Step, String> {
        loop {
            match *self {
                Chunks::Size => {
                    let Some(line) = line(buf)? else { return Ok(Step::More) };
                    let digits = line.split(|b| *b == b';').next().unwrap_or_default().trim_ascii();
                    if digits.is_empty() || digits.len() > 15 || !digits.iter().all(u8::is_ascii_hexdigit) {
                        return Err("invalid chunk size".into());
                    }
                    let size = u64::from_str_radix(std::str::from_utf8(digits).unwrap_or("0"), 16)
                        .map_err(|_| "invalid chunk size".to_string())?;
                    *self = if size == 0 { Chunks::Trailers } else { Chunks::Data(size) };
                }
                Chunks::Data(left) => {
                    if buf.is_empty() {
                        return Ok(Step::More);
                    }
                    let n = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
                    *self = if n as u64 == left { Chunks::DataEnd } else { Chunks::Data(left - n as u64) };
                    return Ok(Step::Data(buf.split_to(n).freeze()));
                }
                Chunks::DataEnd => {
                    let Some(line) = line(buf)? else { return Ok(Step::More) };
                    if !line.is_empty() {
                        return Err("chunk data longer than its size".into());
                    }
                    *self = Chunks::Size;
                }
                Chunks::Trailers => {
                    let Some(line) = line(buf)? else { return Ok(Step::More) };
                    if line.is_empty() {
                        *self = Chunks::Done;
                    }
                }
                Chunks::Done => return Ok(Step::Done),
            }
        }
    }
}

/// Takes one line out of `buf`, without its line end (CRLF, or a bare LF); `None` until a whole
/// one is there.
fn line(buf: &mut BytesMut) -> Result<Option<Bytes>, String> {
    let Some(end) = memchr::memchr(b'\n', buf) else {
        return if buf.len() > MAX_LINE { Err("chunk line too long".into()) } else { Ok(None) };
    };
    if end > MAX_LINE {
        return Err("chunk line too long".into());
    }
    let mut line = buf.split_to(end + 1);
    line.truncate(end);
    if line.last() == Some(&b'\r') {
        line.truncate(end - 1);
    }
    Ok(Some(line.freeze()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn head(text: &str) -> (Head, BytesMut) {
        let mut buf = BytesMut::from(text);
        let head = response_head(&mut buf).unwrap().unwrap();
        (head, buf)
    }

    /// Reads a whole body fed in pieces of `step` bytes.
    fn body(framing: Framing, wire: &[u8], step: usize) -> Result<Vec<u8>, String> {
        let (mut framing, mut buf, mut out) = (framing, BytesMut::new(), Vec::new());
        let mut fed = 0;
        loop {
            match framing.next(&mut buf)? {
                Step::Data(d) => out.extend_from_slice(&d),
                Step::Done => return Ok(out),
                Step::More if fed < wire.len() => {
                    let end = (fed + step).min(wire.len());
                    buf.extend_from_slice(&wire[fed..end]);
                    fed = end;
                }
                Step::More if framing.ends_with_connection() => return Ok(out),
                Step::More => return Err("cut short".into()),
            }
        }
    }

    #[test]
    fn a_request_is_one_buffer_with_the_clients_own_framing() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("host", HeaderValue::from_static("forged"));
        headers.insert("content-length", HeaderValue::from_static("1"));
        headers.append("x-two", HeaderValue::from_static("a"));
        headers.append("x-two", HeaderValue::from_static("b"));
        let mut out = Vec::new();
        post(&mut out, "/mcp?x=1", &HeaderValue::from_static("h:1"), &HeaderValue::from_static("ua"), &headers, b"{}");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "POST /mcp?x=1 HTTP/1.1\r\nhost: h:1\r\nuser-agent: ua\r\ncontent-type: application/json\r\n\
             x-two: a\r\nx-two: b\r\ncontent-length: 2\r\n\r\n{}"
        );
    }

    #[test]
    fn a_head_says_status_headers_and_how_the_body_ends() {
        let (h, rest) = head("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
        assert_eq!((h.status, h.body, h.keep_alive), (StatusCode::OK, Framing::Length(7), true));
        assert_eq!(h.headers["content-type"], "application/json");
        assert_eq!(&rest[..], b"{\"a\":1}");
        let (h, _) = head("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n");
        assert_eq!((h.status, h.body, h.keep_alive), (StatusCode::ACCEPTED, Framing::Length(0), true));
        let (h, _) = head("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
        assert_eq!((h.body, h.keep_alive), (Framing::Chunked(Chunks::Size), true));
        let (h, _) = head("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n");
        assert_eq!((h.body, h.keep_alive), (Framing::Chunked(Chunks::Size), false));
        let (h, _) = head("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\ncontent-length: 1\r\n\r\n");
        assert_eq!((h.body, h.keep_alive), (Framing::Length(1), false));
        for (text, framing, keep_alive) in [
            ("HTTP/1.1 200 OK\r\n\r\n", Framing::Close, false),
            ("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\n", Framing::Close, false),
            ("HTTP/1.0 200 OK\r\ncontent-length: 1\r\n\r\n", Framing::Length(1), false),
            ("HTTP/1.1 204 No Content\r\n\r\n", Framing::Length(0), true),
            ("HTTP/1.1 200 OK\r\ncontent-length: 3, 3\r\n\r\n", Framing::Length(3), true),
        ] {
            let (h, _) = head(text);
            assert_eq!((h.body, h.keep_alive), (framing, keep_alive), "{text}");
        }
        let mut partial = BytesMut::from("HTTP/1.1 200 OK\r\ncontent-le");
        assert!(response_head(&mut partial).unwrap().is_none());
        assert_eq!(partial.len(), 27, "an incomplete head stays in the buffer");
        for bad in [
            "HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\n\r\n",
            "garbage\r\n\r\n",
        ] {
            assert!(response_head(&mut BytesMut::from(bad)).is_err(), "{bad}");
        }
        let huge = format!("HTTP/1.1 200 OK\r\nx: {}", "a".repeat(MAX_HEAD_BYTES));
        assert!(response_head(&mut BytesMut::from(huge.as_str())).is_err());
    }

    #[test]
    fn bodies_are_read_whatever_the_pieces_they_arrive_in() {
        let chunked = b"7\r\n{\"a\":1}\r\n3;ext=1\r\nxyz\r\n0\r\ntrailer: t\r\n\r\n";
        for step in [1, 2, 3, 5, 64] {
            assert_eq!(body(Framing::Chunked(Chunks::Size), chunked, step).unwrap(), b"{\"a\":1}xyz", "{step}");
            assert_eq!(body(Framing::Length(4), b"abcd", step).unwrap(), b"abcd");
            assert_eq!(body(Framing::Close, b"until the end", step).unwrap(), b"until the end");
        }
        assert_eq!(body(Framing::Chunked(Chunks::Size), b"3\nabc\n0\n\n", 1).unwrap(), b"abc", "bare line feeds");
        assert!(body(Framing::Length(5), b"abcd", 2).is_err());
        assert!(body(Framing::Chunked(Chunks::Size), b"3\r\nabc", 2).is_err());
        for bad in [&b"x\r\n"[..], b"3\r\nabcd\r\n", b"ffffffffffffffff1\r\n"] {
            assert!(body(Framing::Chunked(Chunks::Size), bad, 64).is_err(), "{bad:?}");
        }
        let mut long = BytesMut::from("1".repeat(MAX_LINE + 1).as_str());
        assert!(Framing::Chunked(Chunks::Size).next(&mut long).is_err());
        // What follows a body stays in the buffer.
        let mut buf = BytesMut::from("abcdNEXT");
        let mut framing = Framing::Length(4);
        assert_eq!(framing.next(&mut buf).unwrap(), Step::Data(Bytes::from_static(b"abcd")));
        assert_eq!(framing.next(&mut buf).unwrap(), Step::Done);
        assert_eq!(&buf[..], b"NEXT");
    }
}
