//! Redaction of recorded inputs and outputs: for any text, `redact_text` returns without
//! panicking, and a secret stored under a redacted key never survives it, however the key is
//! spelled in JSON (escapes included).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcpcp::observe::redact::Redactor;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let redactor = Redactor::new(&["password".to_string(), "token".to_string()]);
    let out = redactor.redact_text(text);
    // Wrap the input as the value of a redacted key: the value must not come out.
    let marker = "S3CR3T-VALUE-4c1d";
    let doc = format!("{{\"pass\\u0077ord\":\"{marker}\",\"x\":{}}}", if serde_json::from_str::<serde_json::Value>(text).is_ok() { text } else { "0" });
    let redacted = redactor.redact_text(&doc);
    // The fuzzer's own text may hold the marker (under "x", where it is kept): look only at the
    // redacted key's value, as JSON decodes it.
    let value: serde_json::Value = serde_json::from_str(&redacted).expect("redaction keeps JSON valid");
    assert_ne!(value["password"], marker, "a secret survived: {redacted}");
    let _ = out;
});
