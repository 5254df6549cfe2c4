//! Turning bytes and text into a JSON value, JSON or YAML detected from the content.

use crate::document::Format;
use crate::error::{Error, Result};
use serde_json::Value;

/// Nesting deeper than this is refused (the parsers' own recursion limit).
pub const MAX_DEPTH: usize = 128;

/// Decodes input bytes: strips a UTF-8 byte-order mark, decodes UTF-16 with a byte-order mark,
/// and refuses anything that is not UTF-8 with the position of the first bad byte.
pub fn decode(bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units = bytes[2..].chunks(2).map(|c| {
            let pair = [c[0], *c.get(1).unwrap_or(&0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| Error::Parse {
                format: "UTF-16",
                line: None,
                column: None,
                message: "invalid UTF-16 text; save the file as UTF-8".into(),
            });
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..offset]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Error::NotUtf8 {
                offset,
                line,
                column,
            })
        }
    }
}

/// Parses text as JSON or YAML, detected from the content: text whose first non-blank character
/// is `{` or `[` is read as JSON, anything else as YAML. A YAML flow mapping with a plain first
/// key (`{openapi: 3.0.0, ...}`) is not JSON, so it is read as YAML; text that starts like JSON
/// (`{"openapi": ...`) but is not valid JSON gets the JSON error, rather than being read as
/// YAML and written back in another format. A leading byte-order mark is ignored.
///
/// Keys must be unique within an object (the later one would silently replace the earlier).
pub fn parse(text: &str) -> Result<(Value, Format)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let first = trimmed.chars().next();
    if matches!(first, Some('{') | Some('[')) {
        let json_like = first == Some('[') || trimmed[1..].trim_start().starts_with(['"', '}']);
        match parse_json(text) {
            Ok(v) => Ok((v, Format::Json)),
            Err(json_err) if json_like => Err(json_err),
            Err(json_err) => match parse_yaml(text) {
                Ok(v @ Value::Object(_)) => Ok((v, Format::Yaml)),
                _ => Err(json_err),
            },
        }
    } else {
        parse_yaml(text).map(|v| (v, Format::Yaml))
    }
}

/// Parses JSON (order-preserving). A key repeated within one object is an error.
///
/// A fast parser reads the documents it can ([`fast_json`](crate::fast_json)); for anything else,
/// errors included, serde_json decides, so the value and the error are serde_json's.
pub fn parse_json(text: &str) -> Result<Value> {
    match crate::fast_json::parse(text) {
        Some(v) => Ok(v),
        None => parse_json_serde(text),
    }
}

/// [`parse_json`] through serde_json only (the route the fast parser is checked against).
pub fn parse_json_serde(text: &str) -> Result<Value> {
    serde_json::from_str::<Strict>(text).map(|s| s.0).map_err(|e| {
        let mut message = e.to_string();
        // serde_json appends " at line L column C"; the position is reported separately.
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
        if message.contains("recursion limit") {
            message = format!(
                "nesting is deeper than {MAX_DEPTH} levels; no OpenAPI definition needs that much"
            );
        }
        Error::Parse {
            format: "JSON",
            line: Some(e.line()),
            column: Some(e.column()),
            message,
        }
    })
}

/// Parses YAML (order-preserving). Anchors and aliases are expanded with the YAML parser's
/// limit on repetition, so an "exponential entity" document is refused; merge keys (`<<`) are
/// applied; keys that are numbers or booleans become strings. A key repeated within one mapping
/// is an error.
///
/// Flow collections (`[...]`, `{...}`) nested deeper than [`MAX_DEPTH`] are refused by a linear
/// pre-scan ([`flow_depth`](crate::flow_depth)) before the YAML parser starts, whose time on
/// such input grows with the square of its size.
pub fn parse_yaml(text: &str) -> Result<Value> {
    if let Some((line, column)) = crate::flow_depth(text, MAX_DEPTH).too_deep_at {
        return Err(Error::Parse {
            format: "YAML",
            line: Some(line),
            column: Some(column),
            message: format!(
                "nesting is deeper than {MAX_DEPTH} levels (flow collections, `[` or `{{`); no OpenAPI definition needs that much"
            ),
        });
    }
    let yaml_err = |e: serde_yaml::Error| {
        let loc = e.location();
        let mut message = e.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        if message.contains("recursion limit exceeded") {
            message = format!(
                "nesting is deeper than {MAX_DEPTH} levels; no OpenAPI definition needs that much"
            );
        } else if message.contains("repetition limit exceeded") {
            message = "aliases expand to too many nodes (an \"exponential entity\" / billion laughs document); remove the aliases".into();
        }
        Error::Parse {
            format: "YAML",
            line: loc.as_ref().map(|l| l.line()),
            column: loc.as_ref().map(|l| l.column()),
            message,
        }
    };
    // The typed route straight into serde_json keeps memory low; it cannot take non-string
    // keys, tags or merge keys, so those go through the generic YAML value.
    match serde_yaml::from_str::<Strict>(text).map(|s| s.0) {
        Ok(v) if !text.contains("<<") => Ok(v),
        first => {
            let mut generic: serde_yaml::Value = match serde_yaml::from_str(text) {
                Ok(v) => v,
                Err(e) => return Err(first.err().map_or_else(|| yaml_err(e), yaml_err)),
            };
            generic.apply_merge().map_err(yaml_err)?;
            yaml_to_json(generic)
        }
    }
}

/// A JSON value read by a visitor that refuses a key repeated within one object (serde_json's
/// own keeps the last one, which would silently drop a path or a schema).
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        out.shrink_to_fit();
        Ok(Value::Array(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        use serde::de::Error as _;
        use serde_json::map::Entry;
        // Most objects are small: their members are gathered in a list (a duplicate found by
        // a linear scan) and the map is made at its exact size, which keeps a large document's
        // memory down. Objects with many members switch to the map as they go.
        const SMALL: usize = 32;
        let duplicate = |key: &str| {
            A::Error::custom(format!(
                "duplicate key `{key}` in one object; keys must be unique"
            ))
        };
        let mut small: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if small.iter().any(|(k, _)| *k == key) {
                return Err(duplicate(&key));
            }
            let Strict(v) = map.next_value()?;
            small.push((key, v));
            if small.len() == SMALL {
                let mut out = serde_json::Map::with_capacity(SMALL * 2);
                out.extend(small);
                while let Some(key) = map.next_key::<String>()? {
                    match out.entry(key) {
                        Entry::Occupied(e) => return Err(duplicate(e.key())),
                        Entry::Vacant(e) => {
                            let Strict(v) = map.next_value()?;
                            e.insert(v);
                        }
                    }
                }
                return Ok(Value::Object(out));
            }
        }
        let mut out = serde_json::Map::with_capacity(small.len());
        out.extend(small);
        Ok(Value::Object(out))
    }
}

fn yaml_to_json(root: serde_yaml::Value) -> Result<Value> {
    use serde_yaml::Value as Y;
    fn key_string(k: Y) -> Result<String> {
        Ok(match k {
            Y::String(s) => s,
            Y::Number(n) => n.to_string(),
            Y::Bool(b) => b.to_string(),
            Y::Null => "null".into(),
            Y::Tagged(t) => key_string(t.value)?,
            Y::Sequence(_) | Y::Mapping(_) => {
                return Err(Error::Parse {
                    format: "YAML",
                    line: None,
                    column: None,
                    message:
                        "a mapping key is itself a list or a mapping; OpenAPI keys must be strings"
                            .into(),
                });
            }
        })
    }
    fn conv(v: Y, depth: usize) -> Result<Value> {
        if depth > MAX_DEPTH * 2 {
            return Err(Error::Parse {
                format: "YAML",
                line: None,
                column: None,
                message: format!("nesting is deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(match v {
            Y::Null => Value::Null,
            Y::Bool(b) => Value::Bool(b),
            Y::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::from(i)
                } else if let Some(u) = n.as_u64() {
                    Value::from(u)
                } else {
                    let f = n.as_f64().unwrap_or(f64::NAN);
                    serde_json::Number::from_f64(f)
                        .map_or_else(|| Value::String(n.to_string()), Value::Number)
                }
            }
            Y::String(s) => Value::String(s),
            Y::Sequence(items) => Value::Array(
                items
                    .into_iter()
                    .map(|i| conv(i, depth + 1))
                    .collect::<Result<_>>()?,
            ),
            Y::Mapping(m) => {
                let mut out = serde_json::Map::with_capacity(m.len());
                for (k, v) in m {
                    out.insert(key_string(k)?, conv(v, depth + 1)?);
                }
                Value::Object(out)
            }
            Y::Tagged(t) => conv(t.value, depth + 1)?,
        })
    }
    conv(root, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_keys_become_strings() {
        let (v, f) = parse("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(f, Format::Yaml);
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn merge_keys_apply() {
        let (v, _) = parse("base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n").unwrap();
        assert_eq!(v["derived"]["x"], 1);
        assert_eq!(v["derived"]["y"], 2);
    }

    #[test]
    fn json_with_bom() {
        let (v, f) = parse("\u{feff}{\"a\": 1}").unwrap();
        assert_eq!((v["a"].as_i64(), f), (Some(1), Format::Json));
    }

    #[test]
    fn yaml_flow_mapping_is_yaml() {
        let (v, f) = parse("{a: 1}").unwrap();
        assert_eq!((v["a"].as_i64(), f), (Some(1), Format::Yaml));
    }

    #[test]
    fn utf16_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "{\"a\":1}".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(bytes).unwrap(), "{\"a\":1}");
    }
}
