//! The change set of an audit entry: for each field that changed, its value before and after.

use serde::Serialize;
use serde_json::{Map, Value, json};

/// Field -> `{"before": …, "after": …}`; secrets appear only as `{"changed": true}`.
#[derive(Debug, Default)]
pub struct Changes(Map<String, Value>);

impl Changes {
    pub fn new() -> Changes {
        Changes::default()
    }

    /// Records `field` if its value differs.
    pub fn field(mut self, field: &str, before: impl Serialize, after: impl Serialize) -> Changes {
        let before = serde_json::to_value(before).unwrap_or(Value::Null);
        let after = serde_json::to_value(after).unwrap_or(Value::Null);
        if before != after {
            self.0.insert(field.to_string(), json!({ "before": before, "after": after }));
        }
        self
    }

    /// Records that a secret changed, without its value.
    pub fn secret(mut self, field: &str) -> Changes {
        self.0.insert(field.to_string(), json!({ "changed": true }));
        self
    }

    /// Records every field of a created record (`before` is null).
    pub fn created(mut self, record: &impl Serialize, skip: &[&str]) -> Changes {
        if let Ok(Value::Object(fields)) = serde_json::to_value(record) {
            for (k, v) in fields {
                if !skip.contains(&k.as_str()) && !is_empty(&v) {
                    self.0.insert(k, json!({ "before": null, "after": v }));
                }
            }
        }
        self
    }

    /// Records every field of a deleted record (`after` is null).
    pub fn deleted(mut self, record: &impl Serialize, skip: &[&str]) -> Changes {
        if let Ok(Value::Object(fields)) = serde_json::to_value(record) {
            for (k, v) in fields {
                if !skip.contains(&k.as_str()) && !is_empty(&v) {
                    self.0.insert(k, json!({ "before": v, "after": null }));
                }
            }
        }
        self
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// Null, `""` and `[]` carry no information in a created or deleted record's change set.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}
