//! A tool call as its operation's HTTP request: path parameters substituted (percent-encoded),
//! query parameters appended (arrays repeated, `explode` form), header parameters set, and the
//! JSON body built from its arguments. A missing required argument, or one of the wrong shape,
//! is the caller's mistake, said before anything is sent.

use serde_json::{Map, Value};

use super::{Location, Operation};

/// The request to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// (media type, bytes).
    pub body: Option<(String, Vec<u8>)>,
}

/// The request for `op` at `base_url` with `arguments`.
pub fn request(op: &Operation, base_url: &str, arguments: &Map<String, Value>) -> Result<Request, String> {
    let mut path = op.path.clone();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers = Vec::new();
    for p in &op.params {
        let Some(value) = arguments.get(&p.name).filter(|v| !v.is_null()) else {
            if p.required {
                return Err(format!("missing required argument {:?}", p.name));
            }
            continue;
        };
        match p.location {
            Location::Path => {
                let text = scalar(&p.name, value)?;
                if text.is_empty() || text == "." || text == ".." {
                    return Err(format!("argument {:?} cannot be {text:?} (a path segment)", p.name));
                }
                path = path.replace(&format!("{{{}}}", p.name), &encode_segment(&text));
            }
            Location::Query => match value {
                Value::Array(items) => {
                    for item in items {
                        query.push((p.name.clone(), scalar(&p.name, item)?));
                    }
                }
                other => query.push((p.name.clone(), scalar(&p.name, other)?)),
            },
            Location::Header => {
                let text = match value {
                    Value::Array(items) => {
                        items.iter().map(|i| scalar(&p.name, i)).collect::<Result<Vec<_>, _>>()?.join(",")
                    }
                    other => scalar(&p.name, other)?,
                };
                if text.bytes().any(|b| b < 0x20 || b == 0x7f) || !text.is_ascii() {
                    return Err(format!("argument {:?}: a header value must be printable ASCII", p.name));
                }
                headers.push((p.name.clone(), text));
            }
        }
    }
    let body = match &op.body {
        None => None,
        Some(b) => {
            let value = match &b.flat {
                Some(names) => {
                    let taken: Map<String, Value> =
                        names.iter().filter_map(|n| arguments.get(n).map(|v| (n.clone(), v.clone()))).collect();
                    (!taken.is_empty() || b.required).then_some(Value::Object(taken))
                }
                None => arguments.get("body").cloned(),
            };
            match value {
                Some(v) => Some((b.content_type.clone(), serde_json::to_vec(&v).map_err(|e| e.to_string())?)),
                None if b.required => return Err("missing required argument \"body\"".into()),
                None => None,
            }
        }
    };
    let mut url = url::Url::parse(&join(base_url, &path)).map_err(|e| format!("the request URL: {e}"))?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in &query {
            pairs.append_pair(k, v);
        }
    }
    Ok(Request { method: op.method.clone(), url: url.to_string(), headers, body })
}

/// `base` (a server's base URL, perhaps with a path) and an operation's path.
pub fn join(base: &str, path: &str) -> String {
    let base = base.split(['?', '#']).next().unwrap_or(base);
    format!("{}{}", base.trim_end_matches('/'), path)
}

fn scalar(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(format!("argument {name:?} must be a string, number or boolean")),
    }
}

/// A path segment: everything but RFC 3986's unreserved characters percent-encoded (so `/`, `?`
/// and `..` cannot leave the operation's path).
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
