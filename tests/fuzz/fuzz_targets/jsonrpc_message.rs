//! JSON-RPC message classification: whatever bytes a client POSTs, `Message::parse` returns a
//! message or an error (never panics), a parsed message re-assembles with another id into JSON
//! that parses again to the same kind, and the nesting check agrees with the parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcpcp::jsonrpc::{Message, nested_deeper_than};

fuzz_target!(|data: &[u8]| {
    let deep = nested_deeper_than(data, mcpcp::jsonrpc::MAX_DEPTH);
    let Ok(message) = Message::parse(data) else { return };
    assert!(!deep, "a message nested too deep was parsed");
    let kind = message.kind().expect("a parsed message has a kind");
    let _ = (message.method(), message.id_text());
    if message.id.is_some() {
        let again = Message::parse(message.with_id("42").as_bytes()).expect("with_id gives a message");
        assert_eq!(again.kind().expect("kind"), kind);
        assert_eq!(again.id_text(), "42");
    }
});
