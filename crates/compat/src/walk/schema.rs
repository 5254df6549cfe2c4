//! Schemas: the keywords API Gateway's models (JSON Schema draft 4) do not take, and the
//! positions that hold schemas (`properties`, `items`, `allOf`, ...).

use super::{Children, Ctx, Finding, Op, Seg, Walker, child};
use crate::report::ChangeAction;
use crate::wrap::WRAPPER;
use lambda_sync_spec::pointer;
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// A schema's type; of a 3.1 list of types, the first that is not `null`.
pub(super) fn type_of(v: &Map<String, Value>) -> Option<&str> {
    match v.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(a) => a.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

impl<'a> Walker<'a> {
    /// A value in a schema position: objects are walked; 3.1 boolean schemas are lowered.
    /// `at` is the pointer of the object that holds the value, `seg` where the value is in it.
    pub(super) fn schema_child(
        &mut self,
        v: &'a Value,
        at: &str,
        seg: Seg<'a>,
        out: &mut Children<'a>,
    ) {
        match v {
            Value::Object(_) => out.push((v, seg, Ctx::Schema)),
            Value::Bool(b) if self.lower => {
                let at = seg.pointer(at);
                let value = if *b { json!({}) } else { json!({"not": {}}) };
                let message = format!(
                    "the boolean schema `{b}` does not exist in OpenAPI 3.0; compat writes `{value}`"
                );
                self.emit(
                    Finding::new("openapi-31", at.to_string(), message)
                        .op(Op::PlainSet {
                            pointer: at.to_string(),
                            value,
                        })
                        .action(ChangeAction::Lowered)
                        .after(at.to_string()),
                );
            }
            _ => {}
        }
    }

    /// A list of schemas (`allOf`, `anyOf`, `oneOf`, tuple `items`).
    pub(super) fn schema_list(&mut self, value: &'a Value, at: &str, out: &mut Children<'a>) {
        if let Value::Array(items) = value {
            for (i, item) in items.iter().enumerate() {
                self.schema_child(item, at, Seg::Index(i), out);
            }
        }
    }

    /// A map of named schemas (`definitions`, `components.schemas`, `properties`).
    pub(super) fn schema_map(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        out: &mut Children<'a>,
    ) {
        for (k, v) in map {
            self.schema_child(v, at, Seg::Key(k), out);
        }
    }

    pub(super) fn schema(&mut self, map: &'a Map<String, Value>, at: &str, out: &mut Children<'a>) {
        let mut wrapped: HashSet<&str> = HashSet::new();
        let ty = type_of(map);
        if self.lower {
            self.lower_schema(map, at, &mut wrapped);
        }
        for (k, v) in map {
            let k = k.as_str();
            if !wrapped.contains(k) && self.schema_keyword(k, v, ty, at) {
                wrapped.insert(k);
            }
        }
        for (k, v) in map {
            if wrapped.contains(k.as_str()) {
                continue;
            }
            match k.as_str() {
                "properties" | "patternProperties" if v.is_object() => {
                    child(out, v, k, Ctx::SchemaMap);
                }
                "additionalProperties" | "not" | "additionalItems" if v.is_object() => {
                    child(out, v, k, Ctx::Schema);
                }
                "items" => match v {
                    Value::Array(_) => child(out, v, k, Ctx::SchemaList),
                    _ => self.schema_child(v, at, Seg::Key(k), out),
                },
                "allOf" | "anyOf" | "oneOf" if v.is_array() => {
                    child(out, v, k, Ctx::SchemaList);
                }
                _ => {}
            }
        }
    }

    /// The rules on one keyword `k` (value `v`) of the schema at `at` whose type is `ty`.
    /// Returns whether compat moves the keyword under the wrapper (its value is then not
    /// walked).
    fn schema_keyword(&mut self, k: &str, v: &Value, ty: Option<&str>, at: &str) -> bool {
        let wrap = |rule: &'static str, message: String| Finding::wrap(rule, at, k, message);
        let finding = match k {
            "example" if self.on("example") => wrap("example", format!("`example` is not supported in API Gateway models (JSON Schema draft 4; the import rejects it); compat moves it under `{WRAPPER}`")),
            "examples" if self.on("example") => wrap("example", format!("`examples` is not supported in API Gateway models; compat moves it under `{WRAPPER}`")),
            "readOnly" if self.on("read-only") => wrap("read-only", format!("`readOnly` is not supported in API Gateway models; compat moves it under `{WRAPPER}`")),
            "discriminator" if self.on("discriminator") => wrap("discriminator", format!("`discriminator` is not supported in any API Gateway schema; compat moves it under `{WRAPPER}` (the composition stays)")),
            "exclusiveMinimum" | "exclusiveMaximum" if self.on("exclusive-bound-boolean") => {
                let bound = if k == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                wrap("exclusive-bound-boolean", format!("`{k}` is not supported by API Gateway; compat moves it under `{WRAPPER}`, so the `{bound}` becomes inclusive (adjust the bound if that matters)"))
            }
            "format" => {
                let f = v.as_str().unwrap_or("");
                if ty == Some("number")
                    && matches!(f, "int32" | "int64")
                    && self.on("number-integer-format")
                {
                    wrap("number-integer-format", format!("`type: number` with `format: {f}` is not supported by API Gateway; compat moves the format under `{WRAPPER}` (use `type: integer` for whole numbers)"))
                } else if f == "decimal" && self.on("decimal-format") {
                    wrap("decimal-format", format!("`format: decimal` is not supported by API Gateway; compat moves it under `{WRAPPER}`"))
                } else {
                    return false;
                }
            }
            "xml" if self.on("xml") => wrap("xml", format!("`xml` is not part of API Gateway models (JSON Schema draft 4); compat removes it and keeps it under `{WRAPPER}`")).action(ChangeAction::Removed),
            "oneOf" | "anyOf" if self.v2 => {
                if !self.on("one-of-v2") {
                    return false;
                }
                wrap("one-of-v2", format!("`{k}` is not part of Swagger 2.0 and API Gateway does not support it; compat moves it under `{WRAPPER}` (the alternatives are no longer checked): use `allOf` or move to OpenAPI 3.0")).lossy(true)
            }
            "oneOf" | "anyOf" => {
                self.emit(Finding::new("one-of-any-of", pointer::push(at, k), format!("AWS lists `{k}` as not supported in models; request validation may not follow it")));
                return false;
            }
            "additionalProperties" => {
                self.emit(Finding::new("additional-properties", pointer::push(at, k), "AWS lists `additionalProperties` as not supported in models; request validation may ignore it".to_string()));
                return false;
            }
            _ => return false,
        };
        self.emit(finding);
        true
    }
}
