//! The rules of composed tools: what `--from SERVER:TOOL`, `--set ARG=VALUE` and `--hide ARG` may
//! name, and the input schema a client sees (the source tool's, less the fixed and hidden
//! arguments).

use serde_json::{Map, Value};

use super::{Invalid, ServerName, ToolName};

/// The most `--set` and `--hide` arguments one tool takes (each).
pub const MAX_ARGUMENTS: usize = 64;
/// The longest description a composed tool takes, in characters.
pub const MAX_DESCRIPTION: usize = 4096;
/// The longest `--set` value, in bytes.
pub const MAX_VALUE_BYTES: usize = 16 * 1024;

/// `SERVER:TOOL`.
pub fn parse_source(raw: &str) -> Result<(ServerName, ToolName), Invalid> {
    let Some((server, tool)) = raw.split_once(':') else {
        return Err(Invalid(format!("--from {raw:?}: write SERVER:TOOL, e.g. github:create_issue")));
    };
    Ok((ServerName::parse(server)?, ToolName::parse(tool)?))
}

/// A source tool's input schema as its arguments: the `properties` object (empty when there is
/// none) and the `required` names.
#[derive(Debug)]
pub struct Arguments {
    pub properties: Map<String, Value>,
    pub required: Vec<String>,
}

impl Arguments {
    /// Reads a stored input schema (a schema that is not a JSON object has no arguments).
    pub fn of(schema: &str) -> Arguments {
        let schema: Value = serde_json::from_str(schema).unwrap_or(Value::Null);
        let properties = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        let required = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            .unwrap_or_default();
        Arguments { properties, required }
    }

    fn names(&self) -> String {
        if self.properties.is_empty() {
            return "it takes none".into();
        }
        let names: Vec<&str> = self.properties.keys().map(String::as_str).collect();
        format!("its arguments: {}", names.join(", "))
    }

    /// `--set ARG=VALUE`: the argument and its value. A string argument takes VALUE as it is;
    /// any other takes VALUE as JSON (`--set count=3`, `--set tags='["a"]'`).
    pub fn fixed(&self, tool: &str, raw: &str) -> Result<(String, Value), Invalid> {
        let Some((name, value)) = raw.split_once('=') else {
            return Err(Invalid(format!("--set {raw:?}: write ARG=VALUE, e.g. owner=acme")));
        };
        if value.len() > MAX_VALUE_BYTES {
            return Err(Invalid(format!("--set {name}: the value is longer than {MAX_VALUE_BYTES} bytes")));
        }
        let Some(property) = self.properties.get(name) else {
            return Err(Invalid(format!("--set {name}: tool {tool:?} has no argument {name:?} ({})", self.names())));
        };
        if takes_string(property) {
            return Ok((name.to_string(), Value::String(value.to_string())));
        }
        let parsed = serde_json::from_str(value).map_err(|_| {
            Invalid(format!(
                "--set {name}: {value:?} is not JSON, and argument {name:?} is not a string (write numbers, \
                 booleans, arrays and objects as JSON)"
            ))
        })?;
        Ok((name.to_string(), parsed))
    }

    /// `--hide ARG`: an optional argument.
    pub fn hidden(&self, tool: &str, name: &str) -> Result<String, Invalid> {
        if !self.properties.contains_key(name) {
            return Err(Invalid(format!("--hide {name}: tool {tool:?} has no argument {name:?} ({})", self.names())));
        }
        if self.required.iter().any(|r| r == name) {
            return Err(Invalid(format!(
                "--hide {name}: argument {name:?} is required; fix its value with --set {name}=VALUE instead"
            )));
        }
        Ok(name.to_string())
    }
}

/// Whether a property's schema says it is a string (and nothing else).
fn takes_string(property: &Value) -> bool {
    match property.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => {
            let types: Vec<&str> = types.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect();
            types == ["string"]
        }
        _ => property
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_string)),
    }
}

/// The input schema a client sees: the source tool's `schema` without the `removed` arguments
/// (in `properties` and `required`).
pub fn client_schema(schema: &str, removed: &[&str]) -> Value {
    let mut schema: Value = serde_json::from_str(schema).unwrap_or_else(|_| serde_json::json!({ "type": "object" }));
    if !schema.is_object() {
        schema = serde_json::json!({ "type": "object" });
    }
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for name in removed {
            properties.remove(*name);
        }
    }
    if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|r| r.as_str().is_none_or(|r| !removed.contains(&r)));
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"{"type":"object","properties":{"owner":{"type":"string"},"count":{"type":"integer"},
        "state":{"enum":["open","closed"]},"note":{"type":["string","null"]}},"required":["owner","count"]}"#;

    #[test]
    fn a_source_is_server_colon_tool() {
        let (s, t) = parse_source("github:create_issue").unwrap();
        assert_eq!((s.as_str(), t.as_str()), ("github", "create_issue"));
        for bad in ["github", "Git:x", "github:", "github:has space"] {
            assert!(parse_source(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_fixed_value_is_a_string_for_string_arguments_and_json_for_the_others() {
        let a = Arguments::of(SCHEMA);
        assert_eq!(a.fixed("t", "owner=acme").unwrap(), ("owner".into(), Value::from("acme")));
        assert_eq!(a.fixed("t", "owner=3").unwrap(), ("owner".into(), Value::from("3")));
        assert_eq!(a.fixed("t", "count=3").unwrap(), ("count".into(), Value::from(3)));
        assert_eq!(a.fixed("t", "state=open").unwrap(), ("state".into(), Value::from("open")));
        assert_eq!(a.fixed("t", "note=x=y").unwrap(), ("note".into(), Value::from("x=y")));
        assert!(a.fixed("t", "count=three").unwrap_err().0.contains("not JSON"));
        let e = a.fixed("t", "nope=1").unwrap_err().0;
        assert!(e.contains("no argument \"nope\"") && e.contains("count, note, owner, state"), "{e}");
        assert!(a.fixed("t", "owner").is_err());
    }

    #[test]
    fn only_optional_arguments_can_be_hidden() {
        let a = Arguments::of(SCHEMA);
        assert_eq!(a.hidden("t", "note").unwrap(), "note");
        assert!(a.hidden("t", "owner").unwrap_err().0.contains("required"));
        assert!(a.hidden("t", "nope").is_err());
    }

    #[test]
    fn the_client_schema_lacks_the_removed_arguments() {
        let s = client_schema(SCHEMA, &["owner", "note"]);
        let names: Vec<&String> = s["properties"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["count", "state"]);
        assert_eq!(s["required"], serde_json::json!(["count"]));
        assert_eq!(client_schema("not json", &[]), serde_json::json!({"type": "object"}));
    }
}
