//! OpenAPI 3.1 → 3.0 lowering of one schema object: what 3.0 can say is rewritten (`const`,
//! type lists, numeric exclusive bounds, `examples`), the rest is wrapped and reported.

use super::{Finding, Walker};
use crate::report::ChangeAction;
use crate::wrap::ObjEdit;
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// 3.1 schema keywords that are wrapped without losing what API Gateway would use.
const V31_HARMLESS: [&str; 8] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "$vocabulary",
    "contentEncoding",
    "contentMediaType",
];
/// 3.1 schema keywords that OpenAPI 3.0 cannot express: wrapped, meaning lost.
const V31_LOST: [&str; 17] = [
    "$defs",
    "$dynamicRef",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Adds `nullable: true` after `type` to `edit` when `nullable`.
fn add_nullable(edit: &mut ObjEdit, nullable: bool) {
    if nullable {
        edit.add
            .push((Some("type".into()), "nullable".into(), json!(true)));
    }
}

impl<'a> Walker<'a> {
    /// Lowers the schema at `at`; the keys it rewrites or wraps go into `wrapped` (whether or
    /// not their rule is on), so the draft-4 rules and the walk leave them alone.
    pub(super) fn lower_schema(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        wrapped: &mut HashSet<&'a str>,
    ) {
        for (k, v) in map {
            let key = k.as_str();
            let finding = match key {
                "type" if v.as_str() == Some("null") => {
                    let mut edit = ObjEdit {
                        wrap: vec!["type".into()],
                        ..ObjEdit::default()
                    };
                    add_nullable(&mut edit, !map.contains_key("nullable"));
                    Finding::lower("openapi-31-feature", at, key, "`type: \"null\"` has no OpenAPI 3.0 equivalent; compat wraps it and writes `nullable: true`".to_string(), edit).lossy(true)
                }
                "type" => {
                    let Value::Array(types) = v else { continue };
                    lower_type_list(map, at, v, types)
                }
                "const" => match map.get("enum") {
                    None => {
                        let edit = ObjEdit {
                            wrap: vec!["const".into()],
                            add: vec![(Some("const".into()), "enum".into(), json!([v]))],
                            ..ObjEdit::default()
                        };
                        Finding::lower(
                            "openapi-31",
                            at,
                            key,
                            "`const` becomes a one-value `enum` in OpenAPI 3.0".to_string(),
                            edit,
                        )
                    }
                    Some(_) => Finding::wrap(
                        "openapi-31-feature",
                        at,
                        key,
                        "`const` next to `enum` cannot be lowered to OpenAPI 3.0; compat wraps `const` and keeps `enum`".to_string(),
                    )
                    .action(ChangeAction::Lowered)
                    .lossy(true),
                },
                "examples" if v.is_array() && !self.on("example") => {
                    let mut edit = ObjEdit {
                        wrap: vec!["examples".into()],
                        ..ObjEdit::default()
                    };
                    if let (Some(first), false) = (
                        v.as_array().and_then(|a| a.first()),
                        map.contains_key("example"),
                    ) {
                        edit.add
                            .push((Some("examples".into()), "example".into(), first.clone()));
                    }
                    Finding::lower("openapi-31", at, key, "`examples` becomes `example` (the first one) in OpenAPI 3.0; the list is kept under the wrapper".to_string(), edit)
                }
                "exclusiveMinimum" | "exclusiveMaximum" if v.is_number() => {
                    let exact = !self.on("exclusive-bound-boolean");
                    lower_exclusive(map, at, key, v, exact)
                }
                "items" if v.is_array() => Finding::wrap("openapi-31-feature", at, key, "`items` as a list (a tuple) has no OpenAPI 3.0 equivalent; compat wraps it and its meaning is lost".to_string()).action(ChangeAction::Lowered).lossy(true),
                _ if V31_HARMLESS.contains(&key) => Finding::wrap(
                    "openapi-31",
                    at,
                    key,
                    format!("`{key}` does not exist in OpenAPI 3.0 schemas; compat wraps it"),
                )
                .action(ChangeAction::Lowered),
                _ if V31_LOST.contains(&key) => Finding::wrap("openapi-31-feature", at, key, format!("`{key}` has no OpenAPI 3.0 equivalent; compat wraps it and API Gateway will not apply it")).action(ChangeAction::Lowered).lossy(true),
                _ => continue,
            };
            wrapped.insert(key);
            self.emit(finding);
        }
    }
}

/// `type: [a, b, ...]`: one type (with `nullable` for `null`) or an `anyOf` of one schema per
/// type; wrapped when neither works.
fn lower_type_list(map: &Map<String, Value>, at: &str, v: &Value, types: &[Value]) -> Finding {
    let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
    let has_null = names.contains(&"null");
    let non_null: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
    let mut edit = ObjEdit::default();
    let nullable = has_null && !map.contains_key("nullable");
    let (message, loss) = match non_null.len() {
        1 => {
            edit.replace.push(("type".into(), json!(non_null[0])));
            add_nullable(&mut edit, nullable);
            (
                format!(
                    "`type: {v}` becomes `type: {}`{} in OpenAPI 3.0",
                    non_null[0],
                    if has_null { " + `nullable: true`" } else { "" }
                ),
                false,
            )
        }
        0 => {
            edit.wrap.push("type".into());
            add_nullable(&mut edit, nullable);
            (
                format!(
                    "`type: {v}` has no OpenAPI 3.0 equivalent; compat wraps it{}",
                    if has_null {
                        " and writes `nullable: true`"
                    } else {
                        ""
                    }
                ),
                true,
            )
        }
        _ if map.contains_key("anyOf") || map.contains_key("oneOf") => {
            edit.wrap.push("type".into());
            (
                format!(
                    "`type: {v}` (several types) cannot be lowered next to an existing `anyOf`/`oneOf`; compat wraps it and the type check is lost"
                ),
                true,
            )
        }
        _ => {
            edit.wrap.push("type".into());
            let alts: Vec<Value> = non_null.iter().map(|t| json!({"type": t})).collect();
            edit.add
                .push((Some("type".into()), "anyOf".into(), Value::Array(alts)));
            add_nullable(&mut edit, nullable);
            (
                format!("`type: {v}` becomes `anyOf` of one schema per type in OpenAPI 3.0"),
                false,
            )
        }
    };
    let rule = if loss {
        "openapi-31-feature"
    } else {
        "openapi-31"
    };
    Finding::lower(rule, at, "type", message, edit).lossy(loss)
}

/// A numeric `exclusiveMinimum`/`exclusiveMaximum` (`key`, value `v`): becomes the bound, plus
/// the 3.0 boolean when `exact` (the `exclusive-bound-boolean` rule is off), unless an existing
/// bound is already stricter.
fn lower_exclusive(
    map: &Map<String, Value>,
    at: &str,
    key: &str,
    v: &Value,
    exact: bool,
) -> Finding {
    let bound = if key == "exclusiveMinimum" {
        "minimum"
    } else {
        "maximum"
    };
    let n = v.as_f64().unwrap_or(0.0);
    let stricter = |existing: f64| {
        if bound == "minimum" {
            n >= existing
        } else {
            n <= existing
        }
    };
    let mut edit = ObjEdit::default();
    match map.get(bound).and_then(Value::as_f64) {
        Some(existing) if !stricter(existing) => {
            edit.wrap.push(key.into());
        }
        Some(_) => {
            edit.replace.push((bound.into(), v.clone()));
            if exact {
                edit.replace.push((key.into(), json!(true)));
            } else {
                edit.wrap.push(key.into());
            }
        }
        None => {
            if exact {
                edit.replace.push((key.into(), json!(true)));
            } else {
                edit.wrap.push(key.into());
            }
            edit.add.push((Some(key.into()), bound.into(), v.clone()));
        }
    }
    let message = if exact {
        format!("`{key}: {v}` becomes `{bound}: {v}` + `{key}: true` in OpenAPI 3.0")
    } else {
        format!(
            "`{key}: {v}` becomes `{bound}: {v}` in OpenAPI 3.0 (inclusive: API Gateway supports no exclusive bounds, see `exclusive-bound-boolean`)"
        )
    };
    Finding::lower("openapi-31", at, key, message, edit)
}
