//! JSON-RPC 2.0 messages as the gateway moves them: an envelope over raw JSON.
//!
//! Only `id`, `method` and the shape are read; `params`, `result` and `error` stay raw bytes and
//! are copied through unchanged, so `_meta`, unknown fields and number formatting survive the
//! proxy. Rewriting a message (new id) is string assembly around the raw parts, never a
//! re-serialisation of the payload.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Standard and MCP error codes the gateway emits.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    /// Transport-level rejections, as the TypeScript SDK uses it.
    pub const TRANSPORT: i64 = -32000;
    /// Unknown or terminated session (with HTTP 404).
    pub const SESSION_NOT_FOUND: i64 = -32001;
    /// 2025-11-25: the request needs the user to open a URL first (URL-mode elicitation).
    pub const URL_ELICITATION_REQUIRED: i64 = -32042;
}

/// One parsed JSON-RPC message.
#[derive(Debug, Deserialize)]
pub struct Message {
    /// `"jsonrpc": "2.0"` is there (read without keeping the text).
    #[serde(default, rename = "jsonrpc", deserialize_with = "version_2")]
    pub jsonrpc_2: bool,
    #[serde(default)]
    pub id: Option<Box<RawValue>>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub params: Option<Box<RawValue>>,
    #[serde(default)]
    pub result: Option<Box<RawValue>>,
    #[serde(default)]
    pub error: Option<Box<RawValue>>,
}

/// Whether a `jsonrpc` member says `"2.0"`: `null` does not; anything else but a string is a
/// parse error, as for any string field.
fn version_2<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Visit;
    impl<'de> serde::de::Visitor<'de> for Visit {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
            Ok(v == "2.0")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_str(Visit)
        }
    }
    d.deserialize_option(Visit)
}

/// The deepest nesting of arrays and objects a message may have (serde_json's own recursion
/// limit for parsed values, and so what SDK-built upstreams accept).
pub const MAX_DEPTH: usize = 128;

/// Whether JSON text nests arrays and objects deeper than `limit`: one pass over the bytes,
/// skipping strings (a bracket inside a string does not count).
pub fn nested_deeper_than(bytes: &[u8], limit: usize) -> bool {
    // Nesting deeper than `limit` takes more than `limit` opening brackets: most messages have
    // far fewer, and counting them is a much quicker pass than following strings.
    if bytes.iter().filter(|b| matches!(b, b'[' | b'{')).count() <= limit {
        return false;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// What a message is, by which fields it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Notification,
    Response,
}

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("parse error: {0}")]
    Json(String),
    #[error("invalid request: {0}")]
    Invalid(&'static str),
}

impl Message {
    /// Parses one message (not a batch).
    pub fn parse(bytes: &[u8]) -> Result<Message, ParseError> {
        // Raw values (`params`, `result`) are taken without a nesting limit; a message nested
        // deeper than anyone's parser takes would reach the upstream only to be dropped there.
        if nested_deeper_than(bytes, MAX_DEPTH) {
            return Err(ParseError::Json(format!("JSON nested deeper than {MAX_DEPTH} levels")));
        }
        let m: Message = serde_json::from_slice(bytes).map_err(|e| ParseError::Json(e.to_string()))?;
        m.kind()?;
        Ok(m)
    }

    /// Classifies the message; a message that is none of the three is invalid.
    pub fn kind(&self) -> Result<Kind, ParseError> {
        if !self.jsonrpc_2 {
            return Err(ParseError::Invalid("\"jsonrpc\" must be \"2.0\""));
        }
        match (&self.method, &self.id, &self.result, &self.error) {
            (Some(_), Some(id), None, None) if is_valid_id(id) => Ok(Kind::Request),
            (Some(_), Some(_), None, None) => Err(ParseError::Invalid("a request id must be a string or an integer")),
            (Some(_), None, None, None) => Ok(Kind::Notification),
            (None, Some(_), Some(_), None) | (None, Some(_), None, Some(_)) | (None, None, None, Some(_)) => {
                Ok(Kind::Response)
            }
            _ => Err(ParseError::Invalid("not a request, notification or response")),
        }
    }

    pub fn method(&self) -> &str {
        self.method.as_deref().unwrap_or("")
    }

    /// The id as raw JSON text (`1`, `"abc"`), or `null`.
    pub fn id_text(&self) -> &str {
        self.id.as_deref().map_or("null", RawValue::get)
    }

    /// Parses `params` into a borrowed view.
    pub fn params_as<'a, T: Deserialize<'a>>(&'a self) -> Option<T> {
        self.params.as_deref().and_then(|p| serde_json::from_str(p.get()).ok())
    }

    /// This message as JSON text with a different id (payload copied raw).
    pub fn with_id(&self, id: &str) -> String {
        let mut out = String::with_capacity(64 + self.payload_len());
        out.push_str("{\"jsonrpc\":\"2.0\",\"id\":");
        out.push_str(id);
        if let Some(method) = &self.method {
            out.push_str(",\"method\":");
            push_json_string(&mut out, method);
        }
        if let Some(p) = &self.params {
            out.push_str(",\"params\":");
            out.push_str(p.get());
        }
        if let Some(r) = &self.result {
            out.push_str(",\"result\":");
            out.push_str(r.get());
        }
        if let Some(e) = &self.error {
            out.push_str(",\"error\":");
            out.push_str(e.get());
        }
        out.push('}');
        out
    }

    /// This message as JSON text with a different id and members of `params._meta` set or
    /// removed: `(key, Some(raw JSON))` sets a member (replacing any of that name),
    /// `(key, None)` removes it. Everything else is copied raw, never re-serialised: the members
    /// beside `_meta` keep their bytes, and a request whose params name no `_meta` gets it spliced
    /// in without being parsed. Params that are not an object are left as they are.
    ///
    /// A member is looked for under every spelling JSON allows: keys are compared decoded (a
    /// client's `"\u005fmeta"` is `_meta`), and a `params` holding `_meta` twice comes out with
    /// one, so what the gateway sets is the only value of its key an upstream can read.
    pub fn with_id_and_meta(&self, id: &str, members: &[(&str, Option<&str>)]) -> String {
        let set_len: usize = members.iter().map(|(k, v)| k.len() + v.map_or(0, str::len) + 6).sum();
        let mut out = String::with_capacity(64 + set_len + self.payload_len());
        out.push_str("{\"jsonrpc\":\"2.0\",\"id\":");
        out.push_str(id);
        if let Some(method) = &self.method {
            out.push_str(",\"method\":");
            push_json_string(&mut out, method);
        }
        out.push_str(",\"params\":");
        if !self.push_params_with_meta(&mut out, members) {
            return self.with_id(id);
        }
        out.push('}');
        out
    }

    /// Appends `params` with the `_meta` members set or removed to `out`; `false` (and `out` left
    /// as it was) when nothing changes.
    fn push_params_with_meta(&self, out: &mut String, members: &[(&str, Option<&str>)]) -> bool {
        let setting = members.iter().any(|(_, v)| v.is_some());
        // `"params": null` is no params.
        let Some(raw) = self.params.as_deref().map(RawValue::get).filter(|p| p.trim() != "null") else {
            if setting {
                out.push_str("{\"_meta\":");
                push_meta_object(out, &[], members);
                out.push('}');
            }
            return setting;
        };
        // `_meta` can only be spelled with those bytes or with a `\u` escape. (The searchers are
        // built once: building one is most of the cost of a search in a short text.)
        static META: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"_meta"));
        static ESCAPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\\u"));
        let plain = META.find(raw.as_bytes()).is_none() && ESCAPE.find(raw.as_bytes()).is_none();
        if plain && !setting {
            return false;
        }
        if plain {
            let Some(rest) = raw.trim_start().strip_prefix('{') else { return false };
            out.push_str("{\"_meta\":");
            push_meta_object(out, &[], members);
            if rest.trim_start().starts_with('}') {
                out.push('}');
            } else {
                out.push(',');
                out.push_str(rest);
            }
            return true;
        }
        let Ok(Entries(entries)) = serde_json::from_str(raw) else { return false };
        let metas: Vec<&RawValue> = entries.iter().filter(|(k, _)| k.0 == "_meta").map(|(_, v)| *v).collect();
        if metas.is_empty() && !setting {
            return false;
        }
        out.push('{');
        let mut first = true;
        let mut meta_written = false;
        for (key, value) in &entries {
            if key.0 == "_meta" && meta_written {
                continue;
            }
            if !std::mem::take(&mut first) {
                out.push(',');
            }
            push_json_string(out, &key.0);
            out.push(':');
            if key.0 == "_meta" {
                push_meta_object(out, &metas, members);
                meta_written = true;
            } else {
                out.push_str(value.get());
            }
        }
        if !meta_written {
            if !first {
                out.push(',');
            }
            out.push_str("\"_meta\":");
            push_meta_object(out, &[], members);
        }
        out.push('}');
        true
    }

    /// This message with a replaced `params` (for the few rewrites the gateway makes).
    pub fn with_params(&self, params: &str) -> String {
        let mut out = String::with_capacity(64 + params.len());
        out.push_str("{\"jsonrpc\":\"2.0\"");
        if let Some(id) = &self.id {
            out.push_str(",\"id\":");
            out.push_str(id.get());
        }
        if let Some(method) = &self.method {
            out.push_str(",\"method\":");
            push_json_string(&mut out, method);
        }
        out.push_str(",\"params\":");
        out.push_str(params);
        out.push('}');
        out
    }

    /// A response carrying a replaced `result` with the given id.
    pub fn result_with(id: &str, result: &str) -> String {
        format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{result}}}")
    }

    fn payload_len(&self) -> usize {
        [&self.params, &self.result, &self.error]
            .iter()
            .filter_map(|v| v.as_deref())
            .map(|v| v.get().len())
            .sum::<usize>()
            + self.method.as_deref().map_or(0, str::len)
    }
}

/// The members of a JSON object in their order, values raw (duplicates kept).
struct Entries<'a>(Vec<(Key<'a>, &'a RawValue)>);

/// An object's key as JSON decodes it (borrowed when it holds no escape).
struct Key<'a>(std::borrow::Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(Visit)
    }
}

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// A `_meta` object: the members of `existing` (objects; anything else is dropped) whose keys
/// `members` does not name, then the members set.
fn push_meta_object(out: &mut String, existing: &[&RawValue], members: &[(&str, Option<&str>)]) {
    out.push('{');
    let mut first = true;
    let mut push = |out: &mut String, key: &str, value: &str| {
        if !std::mem::take(&mut first) {
            out.push(',');
        }
        push_json_string(out, key);
        out.push(':');
        out.push_str(value);
    };
    for meta in existing {
        let Ok(Entries(entries)) = serde_json::from_str::<Entries<'_>>(meta.get()) else { continue };
        for (key, value) in entries {
            if !members.iter().any(|(k, _)| *k == key.0) {
                push(out, &key.0, value.get());
            }
        }
    }
    for (key, value) in members {
        if let Some(value) = value {
            push(out, key, value);
        }
    }
    out.push('}');
}

/// JSON-RPC ids are strings or integers (MCP: never null).
fn is_valid_id(id: &RawValue) -> bool {
    let t = id.get();
    t.starts_with('"')
        || (!t.is_empty() && t.bytes().enumerate().all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-')))
}

/// The decimal digits of `n` (what `write!` prints, without the formatting machinery), written
/// into `buf`; for the numbers the request path writes into messages, heads and records.
pub fn decimal(n: u64, buf: &mut [u8; 20]) -> &str {
    let (mut n, mut at) = (n, buf.len());
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

/// Appends `s` as a JSON string literal, escaped as `serde_json` escapes it (`"`, `\` and the
/// control characters; nothing else), without a string of its own.
pub fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        plain = i + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

/// An error response. `id` is raw JSON text (`null` when the request id is unknown).
pub fn error_response(id: &str, code: i64, message: &str, data: Option<&serde_json::Value>) -> String {
    let mut out = String::with_capacity(96 + message.len());
    out.push_str("{\"jsonrpc\":\"2.0\",\"id\":");
    out.push_str(id);
    out.push_str(",\"error\":{\"code\":");
    out.push_str(&code.to_string());
    out.push_str(",\"message\":");
    push_json_string(&mut out, message);
    if let Some(data) = data {
        out.push_str(",\"data\":");
        out.push_str(&data.to_string());
    }
    out.push_str("}}");
    out
}

/// A request made by the gateway itself.
pub fn request(id: &str, method: &str, params: Option<&str>) -> String {
    let mut out = String::with_capacity(64 + method.len() + params.map_or(0, str::len));
    out.push_str("{\"jsonrpc\":\"2.0\",\"id\":");
    out.push_str(id);
    out.push_str(",\"method\":");
    push_json_string(&mut out, method);
    if let Some(p) = params {
        out.push_str(",\"params\":");
        out.push_str(p);
    }
    out.push('}');
    out
}

/// A notification made by the gateway itself.
pub fn notification(method: &str, params: Option<&str>) -> String {
    let mut out = String::with_capacity(48 + method.len() + params.map_or(0, str::len));
    out.push_str("{\"jsonrpc\":\"2.0\",\"method\":");
    push_json_string(&mut out, method);
    if let Some(p) = params {
        out.push_str(",\"params\":");
        out.push_str(p);
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_format_writes_them() {
        for n in [0, 7, 10, 99, 1_000_001, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(decimal(n, &mut [0; 20]), n.to_string());
        }
    }

    #[test]
    fn the_version_must_be_the_string_2_0() {
        for (text, valid) in [
            (r#"{"jsonrpc":"2.0","method":"x"}"#, true),
            (r#"{"jsonrpc":"2\u002e0","method":"x"}"#, true),
            (r#"{"jsonrpc":null,"method":"x"}"#, false),
            (r#"{"method":"x"}"#, false),
            (r#"{"jsonrpc":"2.1","method":"x"}"#, false),
        ] {
            let parsed = Message::parse(text.as_bytes());
            assert_eq!(parsed.is_ok(), valid, "{text}");
            if !valid {
                assert!(matches!(parsed, Err(ParseError::Invalid(_))), "{text}");
            }
        }
        assert!(matches!(Message::parse(br#"{"jsonrpc":2,"method":"x"}"#), Err(ParseError::Json(_))));
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_control: String = (0u8..0x20).map(char::from).collect();
        every_control.push_str("\u{7f}\"\\/é€😀 plain");
        for s in ["", "plain", "a\"b", "back\\slash", "line\nbreak\ttab", "\u{0}\u{1f}", &every_control] {
            let mut out = String::from("[");
            push_json_string(&mut out, s);
            assert_eq!(out[1..], serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        let nested = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert!(!nested_deeper_than(nested(128).as_bytes(), 128));
        assert!(nested_deeper_than(nested(129).as_bytes(), 128));
        let quoted = format!("{{\"a\":\"{}\\\"{}\"}}", "[".repeat(500), "{".repeat(500));
        assert!(!nested_deeper_than(quoted.as_bytes(), 2), "{quoted}");
        let deep = format!("{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{}}}", nested(100_000));
        assert!(matches!(Message::parse(deep.as_bytes()), Err(ParseError::Json(e)) if e.contains("deeper than 128")));
    }

    #[test]
    fn classifies_and_keeps_payload_bytes() {
        let m = Message::parse(
            br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"x":1.50,"_meta":{"progressToken":"p"}}}"#,
        )
        .unwrap();
        assert_eq!(m.kind().unwrap(), Kind::Request);
        assert_eq!(
            m.with_id("42"),
            r#"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"x":1.50,"_meta":{"progressToken":"p"}}}"#
        );
        let r = Message::parse(br#"{"jsonrpc":"2.0","id":"a","result":{"n":1e3}}"#).unwrap();
        assert_eq!(r.kind().unwrap(), Kind::Response);
        assert_eq!(r.with_id("\"b\""), r#"{"jsonrpc":"2.0","id":"b","result":{"n":1e3}}"#);
        let n = Message::parse(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap();
        assert_eq!(n.kind().unwrap(), Kind::Notification);
    }

    #[test]
    fn rejects_what_is_not_json_rpc() {
        assert!(matches!(Message::parse(b"{nope"), Err(ParseError::Json(_))));
        assert!(matches!(Message::parse(br#"{"jsonrpc":"1.0","id":1,"method":"x"}"#), Err(ParseError::Invalid(_))));
        assert!(matches!(
            Message::parse(br#"{"jsonrpc":"2.0","id":null,"method":"x"}"#),
            Err(ParseError::Invalid(_)) | Ok(_)
        ));
        assert!(matches!(Message::parse(br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#), Err(ParseError::Invalid(_))));
        assert!(matches!(Message::parse(br#"{"jsonrpc":"2.0"}"#), Err(ParseError::Invalid(_))));
    }

    #[test]
    fn meta_members_are_set_and_removed_around_raw_params() {
        let id = "9";
        let m = |params: &str| {
            Message::parse(format!(r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{params}}}"#).as_bytes())
                .unwrap()
        };
        let params = |out: String| -> String {
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["id"].as_i64(), Some(9), "{out}");
            assert!(v["method"].is_string(), "{out}");
            let start = out.find(",\"params\":").unwrap() + 10;
            out[start..out.len() - 1].to_string()
        };
        let set = [("io.mcpcp/identity", Some(r#"{"sub":"ada"}"#))];
        let remove = [("io.mcpcp/identity", None)];
        // No _meta: spliced in front, the rest byte for byte.
        let raw = r#"{"name":"echo","arguments":{"x":1.50, "y" : [1,2]}}"#;
        assert_eq!(
            params(m(raw).with_id_and_meta(id, &set)),
            r#"{"_meta":{"io.mcpcp/identity":{"sub":"ada"}},"name":"echo","arguments":{"x":1.50, "y" : [1,2]}}"#
        );
        assert_eq!(params(m(" { } ").with_id_and_meta(id, &set)), r#"{"_meta":{"io.mcpcp/identity":{"sub":"ada"}}}"#);
        let bare = Message::parse(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).unwrap();
        assert_eq!(params(bare.with_id_and_meta(id, &set)), r#"{"_meta":{"io.mcpcp/identity":{"sub":"ada"}}}"#);
        assert_eq!(bare.with_id_and_meta(id, &remove), bare.with_id(id));
        let null = Message::parse(br#"{"jsonrpc":"2.0","id":1,"method":"ping","params":null}"#).unwrap();
        assert_eq!(params(null.with_id_and_meta(id, &set)), r#"{"_meta":{"io.mcpcp/identity":{"sub":"ada"}}}"#);
        // Nothing to remove: the message as with_id makes it.
        assert_eq!(m(raw).with_id_and_meta(id, &remove), m(raw).with_id(id));
        // An existing _meta keeps its other members; a forged value is replaced or removed,
        // however its key or _meta's is spelled, and two _meta objects become one.
        let forged = r#"{"_meta":{"progressToken":"p","io.mcpcp/identity":{"sub":"mallory"}},"name":"echo"}"#;
        assert_eq!(
            params(m(forged).with_id_and_meta(id, &set)),
            r#"{"_meta":{"progressToken":"p","io.mcpcp/identity":{"sub":"ada"}},"name":"echo"}"#
        );
        assert_eq!(params(m(forged).with_id_and_meta(id, &remove)), r#"{"_meta":{"progressToken":"p"},"name":"echo"}"#);
        let escaped = r#"{"name":"echo","\u005fmeta":{"io.mcpcp\/identity":{"sub":"mallory"},"k":[1]},"_meta":{"io.mcpcp/identity":2}}"#;
        assert_eq!(params(m(escaped).with_id_and_meta(id, &remove)), r#"{"name":"echo","_meta":{"k":[1]}}"#);
        assert_eq!(
            params(m(escaped).with_id_and_meta(id, &set)),
            r#"{"name":"echo","_meta":{"k":[1],"io.mcpcp/identity":{"sub":"ada"}}}"#
        );
        // A _meta that is not an object is replaced; a nested "_meta" is not the request's.
        assert_eq!(
            params(m(r#"{"_meta":7}"#).with_id_and_meta(id, &set)),
            r#"{"_meta":{"io.mcpcp/identity":{"sub":"ada"}}}"#
        );
        let nested = r#"{"arguments":{"_meta":{"io.mcpcp/identity":1}}}"#;
        assert_eq!(m(nested).with_id_and_meta(id, &remove), m(nested).with_id(id));
        // Several members at once, for the traces' `traceparent` beside the identity.
        let two = [("traceparent", Some(r#""00-ab-cd-01""#)), ("io.mcpcp/identity", Some("{}"))];
        assert_eq!(
            params(m(raw).with_id_and_meta(id, &two)),
            format!(r#"{{"_meta":{{"traceparent":"00-ab-cd-01","io.mcpcp/identity":{{}}}},{}"#, &raw[1..])
        );
        // Params that are not an object cannot carry _meta: left alone.
        let list = Message::parse(br#"{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}"#).unwrap();
        assert_eq!(list.with_id_and_meta(id, &set), list.with_id(id));
    }

    #[test]
    fn error_responses_escape_messages() {
        let e = error_response("null", code::PARSE_ERROR, "bad \"json\"", None);
        let v: serde_json::Value = serde_json::from_str(&e).unwrap();
        assert_eq!(v["error"]["message"], "bad \"json\"");
        assert_eq!(v["id"], serde_json::Value::Null);
    }
}
