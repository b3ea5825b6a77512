//! OpenAPI 3.0/3.1 operations as MCP tools (`server create NAME --openapi FILE|URL`): each
//! operation becomes a tool named from its `operationId` (sanitised to MCP's tool-name rules),
//! described by its summary and description, whose `inputSchema` holds its path, query and header
//! parameters and its JSON request body (an object body's properties beside the parameters when
//! no name clashes, else one `body` argument). `$ref`s are resolved inside the document only
//! (`schema.rs`). What the gateway needs to make the HTTP request is the [`Operation`], stored
//! with the tool; `call.rs` builds the request from it and a call's arguments.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::Invalid;

pub mod call;
pub mod schema;

/// The largest document read, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;
/// The most operations one server imports.
pub const MAX_OPERATIONS: usize = 1024;
/// The longest description a tool takes from its operation, in characters.
pub const MAX_DESCRIPTION: usize = 4096;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What the gateway needs to turn a tool call into the operation's HTTP request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub operation_id: String,
    /// Uppercase: `GET`, `POST`, …
    pub method: String,
    /// The path template, e.g. `/pets/{petId}`.
    pub path: String,
    pub params: Vec<Param>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

impl Operation {
    /// `METHOD /path/{template}`: the target of the call's step.
    pub fn target(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// A parameter, which the tool takes as the argument of the same name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    #[serde(rename = "in")]
    pub location: Location,
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
}

/// A JSON request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub required: bool,
    /// The media type sent (`application/json` or a `+json` one).
    pub content_type: String,
    /// The body's properties, taken as arguments of their own names; `None`: the whole body is
    /// the `body` argument.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat: Option<Vec<String>>,
}

/// One operation as a tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    pub name: String,
    pub description: String,
    /// The `inputSchema`, JSON.
    pub input_schema: String,
    pub operation: Operation,
}

/// An operation left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Skipped {
    /// Its `operationId`, or `METHOD /path` when it has none.
    pub operation: String,
    pub reason: String,
}

/// What to import: every operation, the ones named, or those of a tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Selection {
    /// `operationId`s (`--operations`); empty: not limited by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    /// A tag (`--tag`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// The tools a document gives, and what was skipped (only with `skip_unsupported`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub tools: Vec<Tool>,
    pub skipped: Vec<Skipped>,
}

/// The tools of document `text` (JSON) for `selection`. An invalid document, an unknown
/// `--operations` id or tag, two operations whose tools would share a name, or (unless
/// `skip_unsupported`) an operation that cannot be a tool is `Invalid`, saying which and why.
pub fn import(text: &[u8], selection: &Selection, skip_unsupported: bool) -> Result<Imported, Invalid> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Invalid(format!("the OpenAPI document is larger than {} MiB", MAX_DOCUMENT_BYTES >> 20)));
    }
    let doc: Value = serde_json::from_slice(text).map_err(|e| {
        let yaml = text.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b != b'{');
        let hint = if yaml { " (mcpcp reads JSON documents; convert a YAML one to JSON first)" } else { "" };
        Invalid(format!("the OpenAPI document is not valid JSON: {e}{hint}"))
    })?;
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or_default();
    if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
        let found = match (doc.get("openapi"), doc.get("swagger")) {
            (Some(v), _) => format!("openapi {v}"),
            (None, Some(v)) => format!("swagger {v}"),
            (None, None) => "no `openapi` field".into(),
        };
        return Err(Invalid(format!("not an OpenAPI 3.0 or 3.1 document ({found})")));
    }
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Err(Invalid("the OpenAPI document has no `paths` object".into()));
    };
    let mut seen_ids = BTreeMap::new();
    let mut candidates = Vec::new();
    for (path, item) in paths {
        if !path.starts_with('/') {
            return Err(Invalid(format!("path {path:?} does not start with '/'")));
        }
        let resolver = schema::Resolver::new(&doc);
        let item = resolver.deref(item).map_err(|e| Invalid(format!("path {path}: {e}")))?;
        let Some(item) = item.as_object() else {
            return Err(Invalid(format!("path {path}: not an object")));
        };
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            if !op.is_object() {
                return Err(Invalid(format!("{} {path}: not an object", method.to_uppercase())));
            }
            let label = op
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{} {path}", method.to_uppercase()), String::from);
            if let Some(id) = op.get("operationId").and_then(Value::as_str)
                && seen_ids.insert(id.to_string(), ()).is_some()
            {
                return Err(Invalid(format!("operationId {id:?} is used by more than one operation")));
            }
            candidates.push((label, method, path.as_str(), op, item.get("parameters")));
        }
    }
    for id in &selection.operations {
        if !seen_ids.contains_key(id) {
            return Err(Invalid(format!("--operations: the document has no operation {id:?}")));
        }
    }
    if let Some(tag) = &selection.tag {
        let tagged = candidates.iter().any(|(_, _, _, op, _)| has_tag(op, tag));
        if !tagged {
            return Err(Invalid(format!("--tag: no operation of the document has tag {tag:?}")));
        }
    }
    let chosen = candidates.into_iter().filter(|(label, _, _, op, _)| {
        (selection.operations.is_empty() || selection.operations.contains(label))
            && selection.tag.as_ref().is_none_or(|t| has_tag(op, t))
    });
    let mut tools: Vec<Tool> = Vec::new();
    let mut skipped = Vec::new();
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    for (label, method, path, op, shared) in chosen {
        match tool(&doc, method, path, op, shared) {
            Ok(t) => {
                if let Some(other) = by_name.insert(t.name.clone(), label.clone()) {
                    return Err(Invalid(format!(
                        "operations {other:?} and {label:?} would both be the tool {:?}; import one of them \
                         (--operations) or rename an operationId",
                        t.name
                    )));
                }
                tools.push(t);
            }
            Err(reason) => skipped.push(Skipped { operation: label, reason }),
        }
    }
    if !skipped.is_empty() && !skip_unsupported {
        let list: Vec<String> = skipped.iter().map(|s| format!("{}: {}", s.operation, s.reason)).collect();
        return Err(Invalid(format!(
            "unsupported operation(s) in the OpenAPI document: {}; --skip-unsupported imports the rest",
            list.join("; ")
        )));
    }
    if tools.len() > MAX_OPERATIONS {
        return Err(Invalid(format!(
            "the selection holds {} operations; import at most {MAX_OPERATIONS} (--operations or --tag)",
            tools.len()
        )));
    }
    if tools.is_empty() {
        return Err(Invalid("no operation of the OpenAPI document can be imported".into()));
    }
    Ok(Imported { tools, skipped })
}

fn has_tag(op: &Value, tag: &str) -> bool {
    op.get("tags").and_then(Value::as_array).is_some_and(|t| t.iter().any(|v| v.as_str() == Some(tag)))
}

/// An `operationId` as an MCP tool name: characters outside `A-Z a-z 0-9 _ - .` become `_`, at
/// most 128 bytes.
pub fn tool_name(operation_id: &str) -> String {
    let mut name: String =
        operation_id.chars().map(|c| if c.is_ascii_alphanumeric() || "_-.".contains(c) { c } else { '_' }).collect();
    name.truncate(128);
    name
}

/// One operation as a tool, or why it cannot be one.
fn tool(doc: &Value, method: &str, path: &str, op: &Value, shared: Option<&Value>) -> Result<Tool, String> {
    let Some(operation_id) = op.get("operationId").and_then(Value::as_str) else {
        return Err("it has no operationId (the tool's name)".into());
    };
    let name = tool_name(operation_id);
    if name.is_empty() {
        return Err("its operationId is empty".into());
    }
    let mut resolver = schema::Resolver::new(doc);
    // Path-level parameters, overridden by the operation's own of the same name and location.
    let mut raw_params: Vec<&Value> = Vec::new();
    for list in [shared, op.get("parameters")].into_iter().flatten() {
        let Some(list) = list.as_array() else { return Err("`parameters` is not an array".into()) };
        for p in list {
            let p = resolver.deref(p)?;
            let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
            raw_params.retain(|q| key(q) != key(p));
            raw_params.push(p);
        }
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut params = Vec::new();
    for p in raw_params {
        let pname = p.get("name").and_then(Value::as_str).ok_or("a parameter has no name")?;
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            Some("cookie") => return Err(format!("parameter {pname:?} is a cookie (not supported)")),
            other => return Err(format!("parameter {pname:?} has location {other:?}")),
        };
        if location == Location::Header
            && ["accept", "content-type", "authorization"].contains(&pname.to_ascii_lowercase().as_str())
        {
            // OpenAPI ignores these as parameters; the gateway sets them.
            continue;
        }
        let Some(raw_schema) = p.get("schema") else {
            return Err(format!("parameter {pname:?} has no schema (`content` parameters are not supported)"));
        };
        let mut s = resolver.expand(raw_schema)?;
        if is_object(&s) {
            return Err(format!("parameter {pname:?} is an object (only scalars and arrays are supported)"));
        }
        if let (Some(d), Value::Object(m)) = (p.get("description").and_then(Value::as_str), &mut s) {
            m.entry("description").or_insert_with(|| d.into());
        }
        let is_required = location == Location::Path || p.get("required").and_then(Value::as_bool) == Some(true);
        if properties.insert(pname.to_string(), s).is_some() {
            return Err(format!("two parameters are named {pname:?} (the tool's arguments need distinct names)"));
        }
        if is_required {
            required.push(pname.to_string());
        }
        params.push(Param { name: pname.to_string(), location, required: is_required });
    }
    for segment in path.split('{').skip(1) {
        let Some((var, _)) = segment.split_once('}') else { return Err("its path has an unclosed '{'".into()) };
        if !params.iter().any(|p| p.location == Location::Path && p.name == var) {
            return Err(format!("path parameter {var:?} is not declared"));
        }
    }
    let body = match op.get("requestBody") {
        None => None,
        Some(rb) => {
            let rb = resolver.deref(rb)?;
            let body_required = rb.get("required").and_then(Value::as_bool) == Some(true);
            let content = rb.get("content").and_then(Value::as_object).ok_or("its requestBody has no content")?;
            let json_type = content.keys().find(|k| {
                let base = k.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
                base == "application/json" || base.ends_with("+json")
            });
            let Some(content_type) = json_type else {
                let types: Vec<&str> = content.keys().map(String::as_str).collect();
                return Err(format!("its request body is {} (only JSON bodies are supported)", types.join(", ")));
            };
            let body_schema = match content[content_type].get("schema") {
                Some(s) => resolver.expand(s)?,
                None => json!({}),
            };
            let body_props = body_schema.get("properties").and_then(Value::as_object);
            let flat = match body_props {
                Some(props)
                    if is_object(&body_schema)
                        && !props.keys().any(|k| properties.contains_key(k))
                        && body_schema.get("additionalProperties").is_none_or(|a| a == &Value::Bool(false))
                        && !["allOf", "anyOf", "oneOf"].iter().any(|k| body_schema.get(*k).is_some()) =>
                {
                    let names: Vec<String> = props.keys().cloned().collect();
                    for (k, v) in props {
                        properties.insert(k.clone(), v.clone());
                    }
                    if body_required {
                        for r in body_schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                            if let Some(r) = r.as_str() {
                                required.push(r.to_string());
                            }
                        }
                    }
                    Some(names)
                }
                _ => {
                    if properties.contains_key("body") {
                        return Err("a parameter is named \"body\", which its request body needs".into());
                    }
                    let mut s = body_schema;
                    if let (Some(d), Value::Object(m)) = (rb.get("description").and_then(Value::as_str), &mut s) {
                        m.entry("description").or_insert_with(|| d.into());
                    }
                    properties.insert("body".into(), s);
                    if body_required {
                        required.push("body".into());
                    }
                    None
                }
            };
            Some(Body { required: body_required, content_type: content_type.clone(), flat })
        }
    };
    let mut input = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        input["required"] = required.into();
    }
    let summary = op.get("summary").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let details = op.get("description").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let mut description = match (summary, details) {
        (Some(s), Some(d)) if s != d => format!("{s}\n\n{d}"),
        (Some(s), _) => s.to_string(),
        (None, Some(d)) => d.to_string(),
        (None, None) => format!("{} {path}", method.to_uppercase()),
    };
    if let Some((cut, _)) = description.char_indices().nth(MAX_DESCRIPTION) {
        description.truncate(cut);
    }
    let operation = Operation {
        operation_id: operation_id.to_string(),
        method: method.to_uppercase(),
        path: path.to_string(),
        params,
        body,
    };
    Ok(Tool { name, description, input_schema: input.to_string(), operation })
}

fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || (schema.get("type").is_none() && schema.get("properties").is_some())
}

#[cfg(test)]
mod tests;
