//! Paths: path keys, path items and operations (callbacks are maps of path items).

use super::{Children, Ctx, Finding, Walker, child};
use crate::wrap::{ObjEdit, WRAPPER};
use lambda_sync_spec::pointer;
use serde_json::{Map, Value, json};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

impl<'a> Walker<'a> {
    pub(super) fn paths(&mut self, map: &'a Map<String, Value>, at: &str, out: &mut Children<'a>) {
        for (path, item) in map {
            if path.starts_with("x-") {
                continue;
            }
            let problems = path_problems(path);
            if !problems.is_empty() && !self.handled.contains(path.as_str()) {
                self.emit(Finding::new(
                    "path-segment",
                    pointer::push(at, path),
                    format!(
                        "API Gateway cannot create a resource for path `{path}`: {}; the import fails",
                        problems.join("; ")
                    ),
                ));
            }
            child(out, item, path, Ctx::PathItem);
        }
    }

    pub(super) fn path_item(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        out: &mut Children<'a>,
    ) {
        for (k, v) in map {
            if METHODS.contains(&k.as_str()) {
                child(out, v, k, Ctx::Operation);
            } else if k == "trace" {
                if self.on("trace-operation") {
                    self.emit(Finding::wrap(
                        "trace-operation",
                        at,
                        "trace",
                        format!(
                            "API Gateway does not support TRACE operations; compat moves the operation under `{WRAPPER}`; use the `x-amazon-apigateway-any-method` extension to handle TRACE"
                        ),
                    ));
                } else {
                    child(out, v, k, Ctx::Operation);
                }
            } else if k == "parameters" {
                child(out, v, k, Ctx::ParamList);
            }
        }
    }

    pub(super) fn operation(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        out: &mut Children<'a>,
    ) {
        if self.lower && !map.contains_key("responses") {
            let edit = ObjEdit {
                add: vec![(
                    None,
                    "responses".to_string(),
                    json!({"200": {"description": "OK"}}),
                )],
                ..ObjEdit::default()
            };
            self.emit(Finding::lower(
                "openapi-31",
                at,
                "responses",
                "OpenAPI 3.0 requires `responses`; compat adds a `200` response (the smallest valid choice)".to_string(),
                edit,
            ));
        }
        for (k, v) in map {
            match k.as_str() {
                "parameters" => child(out, v, k, Ctx::ParamList),
                "requestBody" => child(out, v, k, Ctx::RequestBody),
                "responses" => child(out, v, k, Ctx::Responses),
                "callbacks" => child(out, v, k, Ctx::CallbackMap),
                _ => {}
            }
        }
    }
}

/// What is wrong with a path key, if anything.
pub(crate) fn path_problems(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !path.starts_with('/') {
        out.push("it does not start with `/`".to_string());
    }
    if path.contains('?') {
        out.push("it holds a query string (`?`); declare query parameters instead".to_string());
    }
    if path.len() > 1 && path.ends_with('/') {
        out.push("it ends with `/`; remove the trailing slash".to_string());
    }
    let body = path.strip_prefix('/').unwrap_or(path);
    let body = body.split('?').next().unwrap_or("");
    let body = body.strip_suffix('/').unwrap_or(body);
    if body.is_empty() {
        return out;
    }
    let segments: Vec<&str> = body.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            out.push("it has an empty segment (`//`)".to_string());
            continue;
        }
        if seg.contains('{') || seg.contains('}') {
            let inner = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
            match inner {
                Some(name)
                    if !name.is_empty()
                        && !name.contains(['{', '}'])
                        && name.trim_end_matches('+').bytes().all(|b| {
                            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')
                        })
                        && !name.trim_end_matches('+').is_empty() =>
                {
                    if name.ends_with('+') && i != last {
                        out.push(format!(
                            "the greedy parameter `{seg}` is not the last segment"
                        ));
                    }
                }
                _ => out.push(format!(
                    "segment `{seg}`: a path parameter must be a whole segment on its own, like `/{{name}}`"
                )),
            }
            continue;
        }
        let bad: Vec<char> = seg
            .chars()
            .filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':' | ',')))
            .collect();
        if !bad.is_empty() {
            let mut uniq: Vec<char> = Vec::new();
            for c in bad {
                if !uniq.contains(&c) {
                    uniq.push(c);
                }
            }
            out.push(format!(
                "segment `{seg}` has {} (only letters, digits, `-`, `.`, `_`, `:` and `,` are allowed)",
                uniq.iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    out
}
