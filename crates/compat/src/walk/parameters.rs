//! Parameters and headers: parameter lists (the form and cookie parameters API Gateway
//! ignores), parameter and header objects, and the `example(s)` they hold.

use super::{Children, Ctx, Finding, Op, Seg, Walker, child};
use crate::wrap::{ObjEdit, WRAPPER};
use serde_json::{Map, Value};

impl<'a> Walker<'a> {
    /// A path item's or operation's `parameters`.
    pub(super) fn param_list(&mut self, value: &'a Value, at: &str, out: &mut Children<'a>) {
        let Value::Array(items) = value else {
            return;
        };
        let owner = at.strip_suffix("/parameters").unwrap_or(at).to_string();
        for (i, raw) in items.iter().enumerate() {
            let resolved = self.doc.deref(raw).map(|(v, _)| v).unwrap_or(raw);
            let loc = resolved.get("in").and_then(Value::as_str).unwrap_or("");
            let name = resolved.get("name").and_then(Value::as_str).unwrap_or("");
            let rule = match loc {
                "formData" if self.v2 => Some("form-data-parameter"),
                "cookie" if !self.v2 => Some("cookie-parameter"),
                _ => None,
            };
            if let Some(rule) = rule.filter(|r| self.on(r)) {
                let message = if rule == "cookie-parameter" {
                    format!(
                        "cookie parameter `{name}` is ignored by API Gateway; compat moves it under `{WRAPPER}` (read the `Cookie` header instead)"
                    )
                } else {
                    format!(
                        "form parameter `{name}` (in: formData) is ignored by API Gateway; compat moves it under `{WRAPPER}` (describe the form as a body model instead)"
                    )
                };
                let edit = ObjEdit {
                    wrap_params: vec![i],
                    ..ObjEdit::default()
                };
                self.emit(
                    Finding::new(rule, format!("{at}/{i}"), message).op(Op::Edit {
                        object: owner.clone(),
                        edit,
                    }),
                );
                continue;
            }
            if raw.get("$ref").is_none() {
                out.push((raw, Seg::Index(i), Ctx::Parameter));
            }
        }
    }

    pub(super) fn parameter(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        out: &mut Children<'a>,
    ) {
        if map.contains_key("$ref") {
            return;
        }
        self.examples(map, at, "a parameter");
        self.schema_or_content(map, at, out);
    }

    pub(super) fn header(&mut self, map: &'a Map<String, Value>, at: &str, out: &mut Children<'a>) {
        if map.contains_key("$ref") {
            return;
        }
        self.examples(map, at, "a header");
        self.schema_or_content(map, at, out);
    }

    /// The `schema` or `content` of a parameter or header.
    fn schema_or_content(&mut self, map: &'a Map<String, Value>, at: &str, out: &mut Children<'a>) {
        for (k, v) in map {
            match k.as_str() {
                "schema" => self.schema_child(v, at, Seg::Key(k), out),
                "content" => child(out, v, k, Ctx::Content),
                _ => {}
            }
        }
    }

    /// `example` and `examples` of a parameter, header or media type (`what`).
    pub(super) fn examples(&mut self, map: &Map<String, Value>, at: &str, what: &str) {
        for key in ["example", "examples"] {
            if map.contains_key(key) {
                self.emit(Finding::wrap(
                    "example",
                    at,
                    key,
                    format!(
                        "`{key}` in {what} is not supported by API Gateway (the import rejects it); compat moves it under `{WRAPPER}`, or remove it"
                    ),
                ));
            }
        }
    }
}
