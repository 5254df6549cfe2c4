//! Responses: the responses of an operation (status codes, `default`, ranges, `$ref`s) and
//! each response object.

use super::{Children, Ctx, Finding, Op, Seg, Walker, child};
use crate::report::ChangeAction;
use crate::wrap::WRAPPER;
use lambda_sync_spec::pointer;
use serde_json::{Map, Value};

fn is_range(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 3 && (b'1'..=b'5').contains(&b[0]) && b[1..].eq_ignore_ascii_case(b"xx")
}

fn range_advice(code: &str) -> &'static str {
    match code.as_bytes()[0] {
        b'1' => "100, 101",
        b'2' => "200, 201, 202, 204",
        b'3' => "301, 302, 304",
        b'4' => "400, 401, 403, 404, 409, 422, 429",
        _ => "500, 502, 503, 504",
    }
}

impl<'a> Walker<'a> {
    /// An operation's `responses`.
    pub(super) fn responses(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        out: &mut Children<'a>,
    ) {
        let has_200 = map.contains_key("200");
        for (code, resp) in map {
            if code.starts_with("x-") {
                continue;
            }
            let here = pointer::push(at, code);
            if code == "default" {
                if has_200 && self.on("ignored-default-response") {
                    // AWS drops it anyway; wrapping keeps it and lets the import run clean.
                    self.emit(Finding::wrap(
                        "ignored-default-response",
                        at,
                        code,
                        format!(
                            "API Gateway ignores this `default` response because the operation also has a 200 response; compat moves it under `{WRAPPER}`: list the status codes explicitly"
                        ),
                    ));
                    continue;
                }
                self.emit(Finding::new(
                    "default-response",
                    here.clone(),
                    if has_200 {
                        "API Gateway ignores this `default` response because the operation also has a 200 response; list the status codes explicitly".to_string()
                    } else {
                        "API Gateway imports this `default` response as a 200 response; list the status codes explicitly".to_string()
                    },
                ));
            }
            if is_range(code) && self.on("response-code-range") {
                self.emit(Finding::wrap(
                    "response-code-range",
                    at,
                    code,
                    format!(
                        "API Gateway does not support the response code range `{code}`; compat moves it under `{WRAPPER}`: list the specific codes instead (e.g. {})",
                        range_advice(code)
                    ),
                ));
                continue;
            }
            if let Some(target) = resp.get("$ref").and_then(Value::as_str) {
                self.response_ref(resp, target, &here);
                continue;
            }
            out.push((resp, Seg::Key(code), Ctx::Response));
        }
    }

    /// A response that is only a `$ref` to a shared response: inlined.
    fn response_ref(&mut self, resp: &Value, target: &str, here: &str) {
        let prefix = if self.v2 {
            "#/responses/"
        } else {
            "#/components/responses/"
        };
        if target.starts_with(prefix)
            && self.on("response-ref")
            && let Some((_, Some(target_ptr))) = self.doc.deref(resp)
        {
            self.emit(
                Finding::new(
                    "response-ref",
                    pointer::push(here, "$ref"),
                    format!(
                        "API Gateway does not support responses of the form `{{\"$ref\": \"{target}\"}}`; compat inlines the response and keeps the `$ref` under `{WRAPPER}`"
                    ),
                )
                .op(Op::Inline {
                    object: here.to_string(),
                    target: target_ptr,
                })
                .action(ChangeAction::Inlined)
                .after(here.to_string()),
            );
        }
    }

    pub(super) fn response(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        out: &mut Children<'a>,
    ) {
        if map.contains_key("$ref") {
            return;
        }
        if self.v2 {
            if map.contains_key("examples") {
                self.emit(Finding::wrap(
                    "example",
                    at,
                    "examples",
                    format!("`examples` in a response is not supported by API Gateway; compat moves it under `{WRAPPER}`, or remove it"),
                ));
            }
            if let Some(s) = map.get("schema") {
                self.response_schema(s, &pointer::push(at, "schema"));
            }
        } else if let Some(Value::Object(content)) = map.get("content") {
            for (mt, m) in content {
                if let Some(s) = m.get("schema") {
                    let p =
                        pointer::push(&pointer::push(&pointer::push(at, "content"), mt), "schema");
                    self.response_schema(s, &p);
                }
            }
        }
        for (k, v) in map {
            match k.as_str() {
                "schema" if self.v2 => self.schema_child(v, at, Seg::Key(k), out),
                "headers" => child(out, v, k, Ctx::Headers),
                "content" if !self.v2 => child(out, v, k, Ctx::Content),
                _ => {}
            }
        }
    }

    /// A response's schema, which API Gateway wants of an object type.
    fn response_schema(&mut self, s: &Value, at: &str) {
        let Some(m) = s.as_object() else {
            return;
        };
        if m.contains_key("$ref") || !self.on("non-object-response-schema") {
            return;
        }
        if let Some(t) = super::schema::type_of(m)
            && matches!(t, "string" | "number" | "integer" | "boolean" | "null")
        {
            self.emit(Finding::new(
                "non-object-response-schema",
                at.to_string(),
                format!(
                    "API Gateway requires response schemas of an object type; this inline `type: {t}` schema is not supported: move it into a named model and `$ref` it"
                ),
            ));
        }
    }
}
