//! Turning a draft into the row recorded: status, level and error from the response; inputs and
//! outputs redacted and capped; every text taken from a request bounded.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::draft::{Draft, Early};
use super::redact::{Redactor, truncate};
use crate::model::CaptureMode;
use crate::store;
use crate::store::activity::NewRow;

/// The most bytes a record keeps of a name taken from a request (server name from the path,
/// tool, method, client name and version, session id, principal); longer ones are cut.
pub const MAX_NAME_BYTES: usize = 128;
/// The most bytes a record keeps of a `User-Agent`.
pub const MAX_USER_AGENT_BYTES: usize = 256;
/// The most bytes a record keeps of an error message.
pub const MAX_ERROR_BYTES: usize = 1024;
/// The most bytes of a call's inputs a record keeps; larger inputs are replaced by a marker.
/// Inputs are what an audit most needs, so they are kept whole up to this (the request body
/// limit is 4 MiB).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// Turns drafts into rows: redaction and the output cap.
#[derive(Debug)]
pub(super) struct Shaper {
    pub(super) redactor: Redactor,
    pub(super) max_output: usize,
}

impl Shaper {
    /// See [`super::activity::Recorder::prepare`].
    pub(super) fn prepare(&self, draft: &mut Draft) {
        if draft.capture == CaptureMode::Off || draft.early.is_some() {
            return;
        }
        let input = match draft.capture {
            CaptureMode::Full => draft.params.as_deref().and_then(|p| self.input_of(draft.kind, p)),
            _ => None,
        };
        draft.early = Some(Early { time: store::timestamp(draft.time), input });
    }

    /// Completes a draft: status, level and error from the response; inputs and outputs
    /// redacted and capped, when the server captures them.
    pub(super) fn row(&self, d: Draft) -> NewRow {
        #[derive(Deserialize)]
        struct Response<'a> {
            #[serde(borrow)]
            result: Option<&'a RawValue>,
            #[serde(borrow)]
            error: Option<&'a RawValue>,
        }
        #[derive(Deserialize)]
        struct RpcError {
            code: Option<i64>,
            message: Option<String>,
        }
        #[derive(Deserialize)]
        struct ToolResult {
            #[serde(rename = "isError", default)]
            is_error: bool,
        }
        #[derive(Deserialize)]
        struct ToolContent {
            #[serde(default)]
            content: Vec<serde_json::Value>,
        }
        let response: Option<Response<'_>> = d.response.as_deref().and_then(|r| serde_json::from_slice(r).ok());
        let rpc_error: Option<RpcError> =
            response.as_ref().and_then(|r| r.error).and_then(|e| serde_json::from_str(e.get()).ok());
        // Only a tool error's content is read (for its message); other results are not parsed.
        let tool_error = (d.kind == "tool_call")
            .then(|| response.as_ref().and_then(|r| r.result))
            .flatten()
            .filter(|r| may_be_tool_error(r.get()))
            .filter(|r| serde_json::from_str::<ToolResult>(r.get()).is_ok_and(|t| t.is_error))
            .and_then(|r| serde_json::from_str::<ToolContent>(r.get()).ok());
        let (error_code, error_message) = match (&d.error, &rpc_error, &tool_error) {
            (Some((code, message)), _, _) => (Some(*code), Some(message.clone())),
            (None, Some(e), _) => (e.code, e.message.clone()),
            (None, None, Some(t)) => (
                None,
                t.content.iter().find_map(|c| c.get("text")?.as_str().map(String::from)).or(Some("tool error".into())),
            ),
            _ => (None, None),
        };
        let failed = d.http_status >= 400 || error_code.is_some() || error_message.is_some();
        let fault = d.fault.or_else(|| failed.then(|| fault_of_answer(error_code)));
        let level = if d.http_status >= 500 || error_code == Some(-32603) {
            "error"
        } else if failed {
            "warn"
        } else {
            "info"
        };
        let (time, early_input) = match d.early {
            Some(Early { time, input }) => (time, Some(input)),
            None => (store::timestamp(d.time), None),
        };
        let (mut input, mut output, mut output_size, mut output_truncated) = (None, None, None, false);
        if d.capture == CaptureMode::Full {
            input = early_input.unwrap_or_else(|| d.params.as_deref().and_then(|p| self.input_of(d.kind, p)));
            let out = response.as_ref().and_then(|r| r.result.or(r.error)).map(|v| self.redactor.redact_text(v.get()));
            if let Some(out) = out {
                output_size = Some(out.len() as i64);
                let (text, cut) = truncate(out, self.max_output);
                output = Some(text);
                output_truncated = cut;
            }
        }
        let steps = self.steps(&d.steps, d.capture, output.as_deref(), failed);
        NewRow {
            origin: capped(d.origin, MAX_NAME_BYTES),
            steps,
            time,
            server: capped(d.server, MAX_NAME_BYTES),
            kind: d.kind.into(),
            level: level.into(),
            principal: capped(d.principal, MAX_NAME_BYTES),
            auth_method: d.auth_method.map(Into::into),
            source_ip: d.source_ip,
            user_agent: capped(d.user_agent, MAX_USER_AGENT_BYTES),
            client_name: capped(d.client_name, MAX_NAME_BYTES),
            client_version: capped(d.client_version, MAX_NAME_BYTES),
            session_id: capped(d.session_id, MAX_NAME_BYTES),
            method: capped(d.method, MAX_NAME_BYTES),
            tool: capped(d.tool, MAX_NAME_BYTES),
            input: input.map(|i| input_within(i, MAX_INPUT_BYTES)),
            output,
            output_size,
            output_truncated,
            duration_us: i64::try_from(d.duration.as_micros()).unwrap_or(i64::MAX),
            status: if failed { "failure" } else { "success" }.into(),
            http_status: Some(i64::from(d.http_status)),
            error_code,
            error_message: capped(error_message, MAX_ERROR_BYTES),
            trace_id: d.trace_id,
            fault: fault.map(|f| f.as_str().into()),
            upstream_auth: d.upstream_auth.map(Into::into),
            upstream_subject: capped(d.upstream_subject.map(|s| s.to_string()), MAX_NAME_BYTES),
            spans: d.trace.encode(),
            span_id: Some(d.trace.span_id),
            parent_span_id: d.trace.parent_span_id,
            trace_origin: Some(d.trace.origin.as_str().into()),
            resumed: (d.resumed > 0).then_some(i64::from(d.resumed)),
        }
    }

    /// The steps of a call to a composed server's tool, as the record keeps them (a JSON array):
    /// each step's input (the `arguments` it sent) redacted and capped like the record's input,
    /// and, the last step's answer being the call's, the call's output (already redacted and
    /// capped); inputs and outputs only when the server captures `full`.
    fn steps(
        &self,
        steps: &[super::draft::Step],
        capture: CaptureMode,
        output: Option<&str>,
        failed: bool,
    ) -> Option<String> {
        /// A recorded text: kept as the JSON it is (no tree built, nothing re-serialized), or as
        /// a JSON string when it is not JSON (an output cut at the cap).
        #[derive(serde::Serialize)]
        #[serde(untagged)]
        enum Json<'a> {
            Raw(&'a RawValue),
            Text(&'a str),
        }
        fn json(text: Option<&str>) -> Option<Json<'_>> {
            text.map(|t| serde_json::from_str::<&RawValue>(t).map_or(Json::Text(t), Json::Raw))
        }
        #[derive(serde::Serialize)]
        struct Recorded<'a> {
            target: Option<String>,
            connection: &'a str,
            input: Option<Json<'a>>,
            output: Option<Json<'a>>,
            status: &'a str,
            offset_us: u64,
            duration_us: u64,
            error: Option<String>,
        }
        if steps.is_empty() {
            return None;
        }
        let full = capture == CaptureMode::Full;
        let last = steps.len() - 1;
        let inputs: Vec<Option<String>> = steps
            .iter()
            .map(|s| {
                let input = full.then(|| self.input_of("tool_call", &s.params)).flatten();
                input.map(|i| input_within(i, MAX_INPUT_BYTES))
            })
            .collect();
        let each: Vec<Recorded<'_>> = steps
            .iter()
            .zip(&inputs)
            .enumerate()
            .map(|(i, (s, input))| Recorded {
                target: capped(Some(s.target.clone()), MAX_NAME_BYTES),
                connection: s.connection,
                input: json(input.as_deref()),
                output: json(output.filter(|_| full && i == last)),
                status: if s.error.is_some() || (i == last && failed) { "failure" } else { "success" },
                offset_us: u64::try_from(s.offset.as_micros()).unwrap_or(u64::MAX),
                duration_us: u64::try_from(s.duration.as_micros()).unwrap_or(u64::MAX),
                error: capped(s.error.clone(), MAX_ERROR_BYTES),
            })
            .collect();
        serde_json::to_string(&each).ok()
    }

    /// The call's inputs: `arguments` of tools/call and prompts/get, else the params without
    /// `_meta`. Raw text is kept as it is unless something must be removed or redacted.
    fn input_of(&self, kind: &str, params: &str) -> Option<String> {
        #[derive(Deserialize)]
        struct Arguments<'a> {
            #[serde(borrow)]
            arguments: Option<&'a RawValue>,
        }
        if matches!(kind, "tool_call" | "prompt_get") {
            let args: Arguments<'_> = serde_json::from_str(params).ok()?;
            return Some(args.arguments.map_or_else(|| "{}".to_string(), |a| self.redactor.redact_text(a.get())));
        }
        if !params.contains("\"_meta\"") {
            return Some(self.redactor.redact_text(params));
        }
        let mut v: serde_json::Value = serde_json::from_str(params).ok()?;
        if let Some(map) = v.as_object_mut() {
            map.remove("_meta");
        }
        self.redactor.redact(&mut v);
        Some(v.to_string())
    }
}

/// Whose fault an error the upstream answered with is (the gateway's own refusals and failures
/// say it themselves): a request the upstream calls malformed, unknown or with bad params is the
/// client's; any other error, or a tool's `isError` result, the upstream's.
pub(super) fn fault_of_answer(error_code: Option<i64>) -> crate::model::Fault {
    use crate::jsonrpc::code;
    match error_code {
        Some(code::PARSE_ERROR | code::INVALID_REQUEST | code::METHOD_NOT_FOUND | code::INVALID_PARAMS) => {
            crate::model::Fault::Client
        }
        _ => crate::model::Fault::Upstream,
    }
}

/// `text` cut to at most `max` bytes (at a character boundary) and marked as cut: every text a
/// record takes from a request is bounded before it costs disk.
pub(super) fn capped(text: Option<String>, max: usize) -> Option<String> {
    let text = text?;
    if text.len() <= max {
        return Some(text);
    }
    let (mut cut, _) = truncate(text, max);
    cut.push_str("…[cut]");
    Some(cut)
}

/// The largest char boundary of `t` at or below `max`.
pub(super) fn floor_char(t: &str, max: usize) -> usize {
    let mut end = max.min(t.len());
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// A call's recorded inputs, or, past `max` bytes, a marker saying how large they were (a cut
/// JSON text would not parse, and `logs` shows inputs as JSON).
fn input_within(input: String, max: usize) -> String {
    if input.len() <= max {
        return input;
    }
    format!("\"[not recorded: {} bytes of input, over the {max}-byte limit]\"", input.len())
}

/// Whether a tool result's text may say `"isError": true` somewhere (the parse decides): most
/// results say nothing or `false`, and are not parsed again.
pub(super) fn may_be_tool_error(result: &str) -> bool {
    static IS_ERROR: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"isError\""));
    IS_ERROR.find_iter(result.as_bytes()).any(|at| {
        let after = result[at + "\"isError\"".len()..].trim_start();
        after.strip_prefix(':').is_some_and(|v| v.trim_start().starts_with("true"))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn only_results_that_say_is_error_true_are_parsed_for_it() {
        assert!(may_be_tool_error(r#"{"content":[],"isError":true}"#));
        assert!(may_be_tool_error(r#"{"content":[], "isError" :  true }"#));
        assert!(may_be_tool_error(r#"{"isError":false,"structuredContent":{"isError":true}}"#));
        assert!(!may_be_tool_error(r#"{"content":[],"isError":false}"#));
        assert!(!may_be_tool_error(r#"{"content":[{"type":"text","text":"\"isError\": true"}]}"#));
        assert!(!may_be_tool_error(r#"{"content":[]}"#));
    }

    /// A composed tool's step keeps what reached the source tool, redacted like the record's
    /// input, and the call's output; under `metadata` neither.
    #[test]
    fn a_step_keeps_its_redacted_input_and_the_calls_output_under_full_capture_only() {
        let shaper = Shaper { redactor: Redactor::new(&["password".to_string()]), max_output: 1024 };
        for capture in [CaptureMode::Full, CaptureMode::Metadata] {
            let mut draft = Draft::new("tool_call", crate::clock::Clock::system().now());
            draft.capture = capture;
            draft.params = Some(r#"{"name":"plus","arguments":{"b":2}}"#.into());
            draft.response = Some(bytes::Bytes::from_static(br#"{"jsonrpc":"2.0","id":1,"result":{"n":42}}"#));
            draft.origin = Some("fx:add".into());
            draft.steps.push(crate::observe::draft::Step {
                target: "fx:add".into(),
                connection: "header",
                params: r#"{"name":"add","arguments":{"a":40,"b":2,"password":"p"}}"#.into(),
                offset: std::time::Duration::from_micros(10),
                duration: std::time::Duration::from_micros(5),
                error: None,
            });
            let row = shaper.row(draft);
            assert_eq!(row.origin.as_deref(), Some("fx:add"));
            let steps: serde_json::Value = serde_json::from_str(row.steps.as_deref().unwrap()).unwrap();
            let step = &steps[0];
            assert_eq!((step["target"].as_str(), step["connection"].as_str()), (Some("fx:add"), Some("header")));
            assert_eq!((step["offset_us"].as_u64(), step["duration_us"].as_u64()), (Some(10), Some(5)));
            assert_eq!(step["status"], "success");
            if capture == CaptureMode::Full {
                assert_eq!(step["input"]["a"], 40);
                assert_ne!(step["input"]["password"], "p", "{step}");
                assert_eq!(step["output"], serde_json::json!({"n": 42}));
            } else {
                assert!(step["input"].is_null() && step["output"].is_null(), "{step}");
            }
        }
    }

    /// A draft shaped early (while the upstream works) becomes the record it would have become
    /// shaped at the commit: inputs redacted, `_meta` left out, nothing captured under
    /// `metadata`.
    #[test]
    fn a_draft_prepared_early_becomes_the_same_record() {
        let shaper = Shaper { redactor: Redactor::new(&["password".to_string()]), max_output: 16 };
        let requests = [
            ("tool_call", r#"{"name":"echo","arguments":{"n":1,"deep":[{"password":"p"}]}}"#),
            ("tool_call", r#"{"name":"echo"}"#),
            ("list", r#"{"cursor":"c","_meta":{"progressToken":1},"password":"p"}"#),
            ("resource_read", r#"{"uri":"file:///a"}"#),
        ];
        for (kind, params) in requests {
            for capture in [CaptureMode::Full, CaptureMode::Metadata] {
                let mut draft = Draft::new(kind, crate::clock::Clock::system().now());
                draft.capture = capture;
                draft.params = Some(params.to_string());
                draft.response = Some(bytes::Bytes::from_static(
                    br#"{"jsonrpc":"2.0","id":1,"result":{"password":"x","text":"0123456789abcdefghij"}}"#,
                ));
                let mut early = draft.clone();
                shaper.prepare(&mut early);
                assert!(early.early.is_some());
                let (late, early) = (shaper.row(draft), shaper.row(early));
                assert_eq!(early, late, "{kind} {capture:?}");
                if capture == CaptureMode::Full {
                    let input = early.input.unwrap();
                    assert!(!input.contains("\"p\"") && !input.contains("_meta"), "{input}");
                } else {
                    assert_eq!(early.input, None);
                }
            }
        }
    }
}
