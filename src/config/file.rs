//! Reading `mcpcp.toml` by the table of keys: every key optional, unknown keys refused with the
//! names that are allowed, values typed by their key's [`Kind`], errors placed by toml's spans.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use super::LogFormat;
use super::keys::{FIELDS, Key, Kind, Value, find};

/// What a file sets: each key with its value in the order written, and the tables present
/// (an empty `[tls]` still counts as given).
#[derive(Debug, Default)]
pub(super) struct FileValues {
    pub values: Vec<(&'static Key, Value)>,
    pub tables: Vec<&'static str>,
}

/// Parses the text of a configuration file.
pub(super) fn parse(text: &str) -> Result<FileValues, toml::de::Error> {
    let mut out = FileValues::default();
    Table { name: "", out: &mut out }.deserialize(toml::Deserializer::parse(text)?)?;
    Ok(out)
}

fn fields(table: &str) -> &'static [&'static str] {
    FIELDS.get(table).map_or(&[], Vec::as_slice)
}

/// A table of the file (`""`: the top level), collecting into `out`.
struct Table<'a> {
    name: &'static str,
    out: &'a mut FileValues,
}

impl<'de> DeserializeSeed<'de> for Table<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let name = if self.name.is_empty() { "Config" } else { self.name };
        d.deserialize_struct(name, fields(self.name), self)
    }
}

impl<'de> Visitor<'de> for Table<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(entry) = map.next_key_seed(Field { table: self.name })? {
            match entry {
                Entry::Key(key) => {
                    let value = map.next_value_seed(Typed(key.kind))?;
                    self.out.values.push((key, value));
                }
                Entry::Table(name) => {
                    self.out.tables.push(name);
                    map.next_value_seed(Table { name, out: &mut *self.out })?;
                }
            }
        }
        Ok(())
    }
}

/// A name inside a table: a key, or a nested table.
enum Entry {
    Key(&'static Key),
    Table(&'static str),
}

struct Field {
    table: &'static str,
}

impl<'de> DeserializeSeed<'de> for Field {
    type Value = Entry;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Entry, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Field {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Entry, E> {
        if let Some(key) = find(self.table, v) {
            return Ok(Entry::Key(key));
        }
        if self.table.is_empty()
            && let Some(name) = FIELDS.keys().find(|t| !t.is_empty() && **t == v)
        {
            return Ok(Entry::Table(name));
        }
        Err(E::unknown_field(v, fields(self.table)))
    }
}

/// A value of a key's kind, with serde's own type errors.
struct Typed(Kind);

impl<'de> DeserializeSeed<'de> for Typed {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Ok(match self.0 {
            Kind::Bool => Value::Bool(bool::deserialize(d)?),
            Kind::U32 => Value::U32(u32::deserialize(d)?),
            Kind::U64 => Value::U64(u64::deserialize(d)?),
            Kind::Usize => Value::Usize(usize::deserialize(d)?),
            Kind::Text => Value::Text(String::deserialize(d)?),
            Kind::Path => Value::Path(PathBuf::deserialize(d)?),
            Kind::List => Value::List(Vec::<String>::deserialize(d)?),
            Kind::LogFormat => Value::LogFormat(LogFormat::deserialize(d)?),
        })
    }
}
