//! `$ref`s resolved inside the document: only local references (`#/…`), never fetched; a
//! reference to itself (directly or through others) is refused as recursive, and the expanded
//! schema is bounded in depth and size, so a small document cannot expand into a huge one.

use serde_json::{Map, Value};

/// How deep an expanded schema may nest.
pub const MAX_DEPTH: usize = 48;
/// How many JSON values one operation's expanded schemas may hold together.
pub const MAX_NODES: usize = 50_000;

/// Resolves local references in one operation's schemas against `doc`, counting what it builds.
#[derive(Debug)]
pub struct Resolver<'a> {
    doc: &'a Value,
    nodes: usize,
}

impl<'a> Resolver<'a> {
    pub fn new(doc: &'a Value) -> Resolver<'a> {
        Resolver { doc, nodes: 0 }
    }

    /// `value` with every `$ref` replaced by what it names (its siblings laid over it, as
    /// OpenAPI 3.1 allows), or why not.
    pub fn expand(&mut self, value: &Value) -> Result<Value, String> {
        self.walk(value, &mut Vec::new(), 0)
    }

    /// The object `value` is, or the one its `$ref` names (one level, for parameters, request
    /// bodies and their `$ref`s).
    pub fn deref<'v>(&self, value: &'v Value) -> Result<&'v Value, String>
    where
        'a: 'v,
    {
        let mut current = value;
        for _ in 0..16 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => current = self.target(r)?,
                None => return Ok(current),
            }
        }
        Err("a chain of more than 16 $refs".into())
    }

    fn target(&self, reference: &str) -> Result<&'a Value, String> {
        let Some(pointer) = reference.strip_prefix('#') else {
            return Err(format!("$ref {reference:?} points outside the document (only local #/… references are read)"));
        };
        let decoded = percent_decode(pointer);
        self.doc.pointer(&decoded).ok_or_else(|| format!("$ref {reference:?} names nothing in the document"))
    }

    fn walk(&mut self, value: &Value, stack: &mut Vec<String>, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(format!("a schema nests deeper than {MAX_DEPTH} levels"));
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(format!("its schemas expand to more than {MAX_NODES} values"));
        }
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    if stack.iter().any(|r| r == reference) {
                        return Err(format!(
                            "recursive schema: {reference} refers to itself (through {})",
                            stack.join(" → ")
                        ));
                    }
                    let target = self.target(reference)?;
                    stack.push(reference.to_string());
                    let resolved = self.walk(target, stack, depth + 1);
                    stack.pop();
                    let mut resolved = resolved?;
                    // OpenAPI 3.1: keywords beside a $ref apply too (3.0 ignores them; harmless).
                    if let Value::Object(out) = &mut resolved {
                        for (k, v) in map.iter().filter(|(k, _)| *k != "$ref") {
                            let expanded = self.walk(v, stack, depth + 1)?;
                            out.insert(k.clone(), expanded);
                        }
                    }
                    return Ok(resolved);
                }
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    // Examples are documentation: whatever they hold is kept as it is.
                    let expanded = if k == "example" || k == "examples" || k == "default" || k == "enum" || k == "const"
                    {
                        v.clone()
                    } else {
                        self.walk(v, stack, depth + 1)?
                    };
                    out.insert(k.clone(), expanded);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => {
                items.iter().map(|v| self.walk(v, stack, depth + 1)).collect::<Result<Vec<_>, _>>().map(Value::Array)
            }
            other => Ok(other.clone()),
        }
    }
}

/// A JSON pointer's `%XX` escapes decoded (a `$ref` is a URI fragment).
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn local_refs_resolve_with_siblings() {
        let doc = json!({"components": {"schemas": {
            "Pet": {"type": "object", "properties": {"tag": {"$ref": "#/components/schemas/Tag"}}},
            "Tag": {"type": "string"}
        }}});
        let mut r = Resolver::new(&doc);
        let out = r.expand(&json!({"$ref": "#/components/schemas/Pet", "description": "a pet"})).unwrap();
        assert_eq!(out, json!({"type": "object", "properties": {"tag": {"type": "string"}}, "description": "a pet"}));
    }

    #[test]
    fn cycles_external_and_missing_refs_are_refused() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}},
            "A": {"$ref": "#/components/schemas/B"}, "B": {"items": {"$ref": "#/components/schemas/A"}}
        }}});
        let mut r = Resolver::new(&doc);
        let e = r.expand(&json!({"$ref": "#/components/schemas/Node"})).unwrap_err();
        assert!(e.contains("recursive schema"), "{e}");
        let e = r.expand(&json!({"$ref": "#/components/schemas/A"})).unwrap_err();
        assert!(e.contains("recursive schema"), "{e}");
        let e = r.expand(&json!({"$ref": "https://example.com/pet.json"})).unwrap_err();
        assert!(e.contains("outside the document"), "{e}");
        let e = r.expand(&json!({"$ref": "other.yaml#/Pet"})).unwrap_err();
        assert!(e.contains("outside the document"), "{e}");
        let e = r.expand(&json!({"$ref": "#/components/schemas/Nope"})).unwrap_err();
        assert!(e.contains("names nothing"), "{e}");
    }

    #[test]
    fn expansion_is_bounded() {
        // Each level refers to the next three times: 3^12 values once expanded, from 12 small
        // schemas (and 36 levels deep, within the depth bound).
        let mut schemas = Map::new();
        for i in 0..12 {
            let next = format!("#/components/schemas/S{}", i + 1);
            schemas.insert(
                format!("S{i}"),
                json!({"properties": {"a": {"$ref": next}, "b": {"$ref": next}, "c": {"$ref": next}}}),
            );
        }
        schemas.insert("S12".into(), json!({"type": "string"}));
        let doc = json!({"components": {"schemas": schemas}});
        let e = Resolver::new(&doc).expand(&json!({"$ref": "#/components/schemas/S0"})).unwrap_err();
        assert!(e.contains("more than"), "{e}");
        let mut deep = json!({"type": "string"});
        for _ in 0..100 {
            deep = json!({"items": deep});
        }
        let e = Resolver::new(&doc).expand(&deep).unwrap_err();
        assert!(e.contains("deeper"), "{e}");
    }

    #[test]
    fn pointers_are_unescaped() {
        let doc = json!({"paths": {"/a/{b}": {"x": 1}}});
        let r = Resolver::new(&doc);
        assert_eq!(r.deref(&json!({"$ref": "#/paths/~1a~1%7Bb%7D"})).unwrap(), &json!({"x": 1}));
    }
}
