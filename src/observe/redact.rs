//! Redaction and size capping of what the activity log stores.
//!
//! A key matches when its lowercased name with `-` and `_` removed contains one of the
//! configured words (also normalised): `api_key`, `X-Api-Key` and `apiKey` all match `api_key`.
//! Over-redaction is the safe side of this trade.
//!
//! Keys are compared as JSON decodes them (`"pass\u0077ord"` is `password`). Redaction fails
//! closed: a text that cannot be inspected (nested deeper than serde_json's limit of 128, larger
//! than `MAX_INSPECTED`, or not JSON) is stored as a marker string instead of its value.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Placed where a redacted value was.
pub const REDACTED: &str = "[redacted]";
/// Stored instead of a text nested too deeply to be parsed.
pub const NOT_INSPECTED_DEEP: &str = "[not inspected: too deep]";
/// Stored instead of a text larger than `MAX_INSPECTED`.
pub const NOT_INSPECTED_LARGE: &str = "[not inspected: too large]";
/// Stored instead of a text that is not JSON.
pub const NOT_INSPECTED_INVALID: &str = "[not inspected: not JSON]";
/// The largest text parsed for redaction (request bodies are capped at 4 MiB; this bounds what
/// an upstream's answer can make the gateway parse).
pub const MAX_INSPECTED: usize = 16 * 1024 * 1024;

/// Why a text could not be inspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Uninspectable {
    TooDeep,
    TooLarge,
    NotJson,
}

impl Uninspectable {
    fn of(e: &serde_json::Error) -> Uninspectable {
        // serde_json has no category of its own for its recursion limit; its message is stable.
        if e.to_string().starts_with("recursion limit exceeded") {
            Uninspectable::TooDeep
        } else {
            Uninspectable::NotJson
        }
    }

    /// The marker as JSON text (a JSON string), so the stored column stays JSON.
    fn marker(self) -> String {
        let text = match self {
            Uninspectable::TooDeep => NOT_INSPECTED_DEEP,
            Uninspectable::TooLarge => NOT_INSPECTED_LARGE,
            Uninspectable::NotJson => NOT_INSPECTED_INVALID,
        };
        format!("\"{text}\"")
    }
}

#[derive(Debug, Clone)]
pub struct Redactor {
    /// The configured words, normalised, each with its searcher.
    words: Vec<memchr::memmem::Finder<'static>>,
}

/// Writes `s` into `out` lowercased (ASCII), without `-` and `_`. Key words are ASCII; other
/// bytes pass as they are.
fn normalise_into(s: &str, out: &mut Vec<u8>) {
    out.clear();
    out.extend(s.bytes().filter(|b| *b != b'_' && *b != b'-').map(|b| b.to_ascii_lowercase()));
}

impl Redactor {
    pub fn new(keys: &[String]) -> Redactor {
        let mut word = Vec::new();
        let mut words = Vec::new();
        for key in keys {
            normalise_into(key, &mut word);
            if !word.is_empty() {
                words.push(memchr::memmem::Finder::new(&word).into_owned());
            }
        }
        Redactor { words }
    }

    /// Whether `text`, normalised, contains a configured word. The normalised copy goes into a
    /// buffer of the thread's, reused: nothing is allocated per call. A buffer grown past
    /// 64 KiB by a large text is let go.
    fn contains_word(&self, text: &str) -> bool {
        const KEPT_BUFFER: usize = 64 * 1024;
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let search = |n: &mut Vec<u8>| {
            normalise_into(text, n);
            let found = self.words.iter().any(|w| w.find(n).is_some());
            if n.capacity() > KEPT_BUFFER {
                *n = Vec::new();
            }
            found
        };
        BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut n) => search(&mut n),
            Err(_) => search(&mut Vec::new()),
        })
    }

    fn matches(&self, key: &str) -> bool {
        self.contains_word(key)
    }

    /// Cheap pre-check on raw JSON text: if it has no escape sequence (so every key is written
    /// in the text as it decodes) and no configured word appears anywhere (ignoring case, `-`
    /// and `_`), no key can match, however deep or large the text, and it is stored as it is.
    fn may_match(&self, raw: &str) -> bool {
        memchr::memchr(b'\\', raw.as_bytes()).is_some() || self.contains_word(raw)
    }

    /// Whether a decoded key of `raw` matches, found by walking it without building it.
    fn any_key_matches(&self, raw: &str) -> Result<bool, Uninspectable> {
        let mut de = serde_json::Deserializer::from_str(raw);
        let found = KeyProbe(self).deserialize(&mut de).map_err(|e| Uninspectable::of(&e))?;
        de.end().map_err(|e| Uninspectable::of(&e))?;
        Ok(found)
    }

    /// Redacts JSON text; returns it unchanged when nothing matches, and a marker (a JSON string)
    /// when it cannot be inspected.
    pub fn redact_text(&self, raw: &str) -> String {
        if !self.may_match(raw) {
            return raw.to_string();
        }
        if raw.len() > MAX_INSPECTED {
            return Uninspectable::TooLarge.marker();
        }
        match self.any_key_matches(raw) {
            Ok(false) => raw.to_string(),
            Ok(true) => match serde_json::from_str::<Value>(raw) {
                Ok(mut v) => {
                    self.redact(&mut v);
                    v.to_string()
                }
                Err(e) => Uninspectable::of(&e).marker(),
            },
            Err(why) => why.marker(),
        }
    }

    /// Replaces the value of every matching key, at any depth.
    pub fn redact(&self, v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, val) in map.iter_mut() {
                    if self.matches(k) {
                        *val = Value::String(REDACTED.into());
                    } else {
                        self.redact(val);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.redact(i)),
            _ => {}
        }
    }
}

/// Walks a JSON value and answers whether any of its keys (decoded) matches; values are skipped
/// without being built. serde_json's recursion limit applies, as it does to parsing a `Value`.
struct KeyProbe<'r>(&'r Redactor);

impl<'de> DeserializeSeed<'de> for KeyProbe<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A key, matched against the words where it is decoded.
struct KeyMatch<'r>(&'r Redactor);

impl<'de> DeserializeSeed<'de> for KeyMatch<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyMatch<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(self.0.matches(key))
    }
}

impl<'de> Visitor<'de> for KeyProbe<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(f) = seq.next_element_seed(KeyProbe(self.0))? {
            found |= f;
        }
        Ok(found)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key_seed(KeyMatch(self.0))? {
            if key {
                // The value is replaced; only its syntax matters (the depth limit still applies).
                map.next_value::<IgnoredAny>()?;
                found = true;
            } else {
                found |= map.next_value_seed(KeyProbe(self.0))?;
            }
        }
        Ok(found)
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary; returns it and whether it was cut.
pub fn truncate(text: String, max: usize) -> (String, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text[..end].to_string(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_at_any_depth_and_spelling() {
        let r = Redactor::new(&["password".into(), "api_key".into(), "token".into()]);
        let out = r.redact_text(
            r#"{"user":"a","Password":"x","nested":[{"apiKey":"k","ok":1},{"deep":{"refresh_token":"t"}}]}"#,
        );
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["Password"], REDACTED);
        assert_eq!(v["nested"][0]["apiKey"], REDACTED);
        assert_eq!(v["nested"][0]["ok"], 1);
        assert_eq!(v["nested"][1]["deep"]["refresh_token"], REDACTED);
        assert_eq!(v["user"], "a");
    }

    #[test]
    fn leaves_text_without_matches_byte_exact() {
        let r = Redactor::new(&["password".into()]);
        let raw = r#"{"x": 1.50, "y":"z"}"#;
        assert_eq!(r.redact_text(raw), raw);
    }

    #[test]
    fn matches_keys_as_json_decodes_them() {
        let r = Redactor::new(&["password".into(), "api_key".into()]);
        for raw in [
            r#"{"pass\u0077ord":"hunter2"}"#,
            r#"{"PASS\u0057ORD":"hunter2"}"#,
            r#"{"a":[{"\u0070assword":"hunter2"}]}"#,
            r#"{"api\u005fkey":"hunter2"}"#,
            r#"{"pass\u005fword":"hunter2","x":"\n"}"#,
        ] {
            let out = r.redact_text(raw);
            assert!(!out.contains("hunter2"), "{raw} -> {out}");
            assert!(out.contains(REDACTED), "{raw} -> {out}");
        }
        // Escapes elsewhere, and words in values, leave the text as it was.
        for raw in [r#"{"text":"line\none \"password\"", "n": 1.50}"#, r#"["\u0041"]"#] {
            assert_eq!(r.redact_text(raw), raw);
        }
    }

    #[test]
    fn what_cannot_be_inspected_is_never_stored() {
        let r = Redactor::new(&["password".into()]);
        let deep = |n: usize| format!(r#"{{"password":"hunter2","x":{}1{}}}"#, "[".repeat(n), "]".repeat(n));
        assert_eq!(r.redact_text(&deep(200)), format!("\"{NOT_INSPECTED_DEEP}\""));
        let escaped_deep = format!(r#"{{"pass\u0077ord":"hunter2","x":{}1{}}}"#, "[".repeat(200), "]".repeat(200));
        assert_eq!(r.redact_text(&escaped_deep), format!("\"{NOT_INSPECTED_DEEP}\""));
        // Within the limit the deep value is kept and the key redacted.
        let ok = r.redact_text(&deep(100));
        assert!(!ok.contains("hunter2") && ok.contains(REDACTED), "{ok}");
        assert_eq!(r.redact_text(r#"{"password": hunter2}"#), format!("\"{NOT_INSPECTED_INVALID}\""));
        let large = format!(r#"{{"password":"{}"}}"#, "x".repeat(MAX_INSPECTED));
        assert_eq!(r.redact_text(&large), format!("\"{NOT_INSPECTED_LARGE}\""));
        // Every marker is a JSON string.
        for m in [NOT_INSPECTED_DEEP, NOT_INSPECTED_LARGE, NOT_INSPECTED_INVALID] {
            let v: Value = serde_json::from_str(&format!("\"{m}\"")).unwrap();
            assert_eq!(v, m);
        }
        // Deep text with no escape and no word anywhere cannot hold a matching key: kept as is.
        let plain = format!(r#"{{"x":{}1{}}}"#, "[".repeat(200), "]".repeat(200));
        assert_eq!(r.redact_text(&plain), plain);
    }

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("héllo".into(), 2), ("h".into(), true));
        assert_eq!(truncate("abc".into(), 3), ("abc".into(), false));
    }
}
