//! Redaction and size capping of what the activity log stores.
//!
//! A key matches when its lowercased name with `-` and `_` removed contains one of the
//! configured words (also normalised): `api_key`, `X-Api-Key` and `apiKey` all match `api_key`.
//! Over-redaction is the safe side of this trade.

use serde_json::Value;

/// Placed where a redacted value was.
pub const REDACTED: &str = "[redacted]";

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

    /// Cheap pre-check on raw JSON text: if no configured word appears anywhere (ignoring case,
    /// `-` and `_`), nothing can need redacting and the text is stored as it is.
    fn may_match(&self, raw: &str) -> bool {
        self.contains_word(raw)
    }

    /// Redacts JSON text; returns it unchanged when nothing matches.
    pub fn redact_text(&self, raw: &str) -> String {
        if !self.may_match(raw) {
            return raw.to_string();
        }
        match serde_json::from_str::<Value>(raw) {
            Ok(mut v) => {
                self.redact(&mut v);
                v.to_string()
            }
            Err(_) => raw.to_string(),
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
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("héllo".into(), 2), ("h".into(), true));
        assert_eq!(truncate("abc".into(), 3), ("abc".into(), false));
    }
}
