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
    words: Vec<String>,
}

/// Lowercased (ASCII), without `-` and `_`. Key words are ASCII; other characters pass as they are.
fn normalise(s: &str) -> String {
    let bytes: Vec<u8> = s.bytes().filter(|b| *b != b'_' && *b != b'-').map(|b| b.to_ascii_lowercase()).collect();
    String::from_utf8(bytes).unwrap_or_default()
}

impl Redactor {
    pub fn new(keys: &[String]) -> Redactor {
        Redactor { words: keys.iter().map(|k| normalise(k)).filter(|k| !k.is_empty()).collect() }
    }

    fn matches(&self, key: &str) -> bool {
        let k = normalise(key);
        self.words.iter().any(|w| k.contains(w.as_str()))
    }

    /// Cheap pre-check on raw JSON text: if no configured word appears anywhere (ignoring case,
    /// `-` and `_`), nothing can need redacting and the text is stored as it is.
    fn may_match(&self, raw: &str) -> bool {
        let n = normalise(raw);
        self.words.iter().any(|w| n.contains(w.as_str()))
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
