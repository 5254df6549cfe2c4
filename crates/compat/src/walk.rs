//! One OpenAPI-aware pass over the document that finds what API Gateway cannot import and says
//! how to fix it. Lint reports the findings; transform applies their operations.

use crate::options::CompatOptions;
use crate::report::ChangeAction;
use crate::wrap::{ObjEdit, WRAPPER};
use lambda_sync_spec::{Document, SpecVersion, pointer};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// One thing a rule found, with what transform does about it.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub rule: &'static str,
    /// Where it is (before any change).
    pub pointer: String,
    pub message: String,
    /// What transform does; empty when the rule only reports.
    pub ops: Vec<Op>,
    pub action: ChangeAction,
    /// Where the thing ends up (before renames and parameter moves are applied).
    pub after: Option<String>,
    /// A lowering that loses meaning: reported as a warning after transform.
    pub loss: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Op {
    Edit { object: String, edit: ObjEdit },
    PlainSet { pointer: String, value: Value },
    Inline { object: String, target: String },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    Root,
    Info,
    License,
    Paths,
    PathItem,
    Operation,
    ParamList,
    Parameter,
    RequestBody,
    Content,
    MediaType,
    Encodings,
    Responses,
    Response,
    Headers,
    Header,
    Schema,
    SchemaMap,
    SchemaList,
    Components,
    ParamMap,
    ResponseMap,
    RequestBodyMap,
    CallbackMap,
    Callback,
    SecuritySchemes,
}

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

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

struct Walker<'a> {
    doc: &'a Document,
    opts: &'a CompatOptions,
    /// Path keys whose problems the repairs handle.
    handled: &'a HashSet<String>,
    v2: bool,
    v31: bool,
    lower: bool,
    out: Vec<Finding>,
}

/// Finds everything the per-object rules see, in document order.
pub(crate) fn walk(
    doc: &Document,
    opts: &CompatOptions,
    handled: &HashSet<String>,
) -> Vec<Finding> {
    let version = doc.version();
    let mut w = Walker {
        doc,
        opts,
        handled,
        v2: version.is_v2(),
        v31: version == SpecVersion::OpenApi31,
        lower: version == SpecVersion::OpenApi31 && opts.is_enabled("openapi-31"),
        out: Vec::new(),
    };
    let mut stack: Vec<(&Value, String, Ctx)> = vec![(doc.value(), String::new(), Ctx::Root)];
    let mut children: Vec<(&Value, String, Ctx)> = Vec::new();
    while let Some((value, at, ctx)) = stack.pop() {
        children.clear();
        w.visit(value, &at, ctx, &mut children);
        while let Some(c) = children.pop() {
            stack.push(c);
        }
    }
    w.out
}

fn type_of(v: &Map<String, Value>) -> Option<&str> {
    match v.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(a) => a.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

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

impl<'a> Walker<'a> {
    fn on(&self, rule: &str) -> bool {
        self.opts.is_enabled(rule)
    }

    fn report(&mut self, rule: &'static str, pointer: String, message: String) {
        if self.on(rule) {
            self.out.push(Finding {
                rule,
                pointer,
                message,
                ops: Vec::new(),
                action: ChangeAction::Wrapped,
                after: None,
                loss: false,
            });
        }
    }

    fn wrap_key(&mut self, rule: &'static str, obj: &str, key: &str, message: String) {
        self.wrap_key_as(rule, obj, key, message, ChangeAction::Wrapped, false);
    }

    fn wrap_key_as(
        &mut self,
        rule: &'static str,
        obj: &str,
        key: &str,
        message: String,
        action: ChangeAction,
        loss: bool,
    ) {
        if !self.on(rule) {
            return;
        }
        self.out.push(Finding {
            rule,
            pointer: pointer::push(obj, key),
            message,
            ops: vec![Op::Edit {
                object: obj.to_string(),
                edit: ObjEdit {
                    wrap: vec![key.to_string()],
                    ..ObjEdit::default()
                },
            }],
            action,
            after: Some(pointer::push(&pointer::push(obj, WRAPPER), key)),
            loss,
        });
    }

    fn lowered(
        &mut self,
        rule: &'static str,
        obj: &str,
        key: &str,
        message: String,
        edit: ObjEdit,
        loss: bool,
    ) {
        if !self.on(rule) {
            return;
        }
        self.out.push(Finding {
            rule,
            pointer: pointer::push(obj, key),
            message,
            ops: vec![Op::Edit {
                object: obj.to_string(),
                edit,
            }],
            action: ChangeAction::Lowered,
            after: Some(obj.to_string()),
            loss,
        });
    }

    fn examples(&mut self, map: &Map<String, Value>, at: &str, what: &str) {
        for key in ["example", "examples"] {
            if map.contains_key(key) {
                self.wrap_key(
                    "example",
                    at,
                    key,
                    format!(
                        "`{key}` in {what} is not supported by API Gateway (the import rejects it); compat moves it under `{WRAPPER}`, or remove it"
                    ),
                );
            }
        }
    }

    fn visit(
        &mut self,
        value: &'a Value,
        at: &str,
        ctx: Ctx,
        children: &mut Vec<(&'a Value, String, Ctx)>,
    ) {
        let mut push = |v: &'a Value, key: &str, c: Ctx| {
            children.push((v, pointer::push(at, key), c));
        };
        if ctx == Ctx::SchemaList {
            if let Value::Array(items) = value {
                for (i, item) in items.iter().enumerate() {
                    self.schema_child(item, &format!("{at}/{i}"), children);
                }
            }
            return;
        }
        if ctx == Ctx::ParamList {
            self.param_list(value, at, children);
            return;
        }
        let Value::Object(map) = value else {
            return;
        };
        match ctx {
            Ctx::Root => {
                if self.lower {
                    if map.contains_key("openapi") {
                        self.lowered(
                            "openapi-31",
                            at,
                            "openapi",
                            format!(
                                "API Gateway imports OpenAPI 2.0 and 3.0 only, not `openapi: {}`; compat lowers the definition to 3.0.3 (and reports what 3.0 cannot say)",
                                self.doc.declared_version()
                            ),
                            ObjEdit {
                                replace: vec![("openapi".to_string(), json!("3.0.3"))],
                                ..ObjEdit::default()
                            },
                            false,
                        );
                    }
                    for key in ["jsonSchemaDialect", "webhooks"] {
                        if map.contains_key(key) {
                            self.wrap_key_as(
                                "openapi-31",
                                at,
                                key,
                                format!("`{key}` does not exist in OpenAPI 3.0 and API Gateway does not import it; compat wraps it"),
                                ChangeAction::Lowered,
                                false,
                            );
                        }
                    }
                    if !map.contains_key("paths") {
                        self.lowered(
                            "openapi-31",
                            at,
                            "paths",
                            "OpenAPI 3.0 requires `paths`; compat adds an empty one".to_string(),
                            ObjEdit {
                                add: vec![(None, "paths".to_string(), json!({}))],
                                ..ObjEdit::default()
                            },
                            false,
                        );
                    }
                } else if self.v31 {
                    self.report(
                        "openapi-31",
                        "/openapi".to_string(),
                        format!(
                            "API Gateway imports OpenAPI 2.0 and 3.0 only, not `openapi: {}`; write the definition as 3.0.3",
                            self.doc.declared_version()
                        ),
                    );
                }
                self.root_security(map);
                for (k, v) in map {
                    match k.as_str() {
                        "info" => push(v, k, Ctx::Info),
                        "paths" => push(v, k, Ctx::Paths),
                        "definitions" if self.v2 => push(v, k, Ctx::SchemaMap),
                        "parameters" if self.v2 => push(v, k, Ctx::ParamMap),
                        "responses" if self.v2 => push(v, k, Ctx::ResponseMap),
                        "securityDefinitions" if self.v2 => push(v, k, Ctx::SecuritySchemes),
                        "components" if !self.v2 => push(v, k, Ctx::Components),
                        _ => {}
                    }
                }
            }
            Ctx::Info => {
                if self.lower && map.contains_key("summary") {
                    self.wrap_key_as(
                        "openapi-31",
                        at,
                        "summary",
                        "`info.summary` does not exist in OpenAPI 3.0; compat wraps it".to_string(),
                        ChangeAction::Lowered,
                        false,
                    );
                }
                if let Some(v) = map.get("license") {
                    push(v, "license", Ctx::License);
                }
            }
            Ctx::License => {
                if self.lower && map.contains_key("identifier") {
                    self.wrap_key_as(
                        "openapi-31",
                        at,
                        "identifier",
                        "`license.identifier` does not exist in OpenAPI 3.0; compat wraps it"
                            .to_string(),
                        ChangeAction::Lowered,
                        false,
                    );
                }
            }
            Ctx::Paths => {
                for (path, item) in map {
                    if path.starts_with("x-") {
                        continue;
                    }
                    let problems = path_problems(path);
                    if !problems.is_empty() && !self.handled.contains(path.as_str()) {
                        self.report(
                            "path-segment",
                            pointer::push(at, path),
                            format!(
                                "API Gateway cannot create a resource for path `{path}`: {}; the import fails",
                                problems.join("; ")
                            ),
                        );
                    }
                    push(item, path, Ctx::PathItem);
                }
            }
            Ctx::PathItem => {
                for (k, v) in map {
                    if METHODS.contains(&k.as_str()) {
                        push(v, k, Ctx::Operation);
                    } else if k == "trace" {
                        if self.on("trace-operation") {
                            self.wrap_key(
                                "trace-operation",
                                at,
                                "trace",
                                format!(
                                    "API Gateway does not support TRACE operations; compat moves the operation under `{WRAPPER}`; use the `x-amazon-apigateway-any-method` extension to handle TRACE"
                                ),
                            );
                        } else {
                            push(v, k, Ctx::Operation);
                        }
                    } else if k == "parameters" {
                        push(v, k, Ctx::ParamList);
                    }
                }
            }
            Ctx::Operation => {
                if self.lower && !map.contains_key("responses") {
                    self.lowered(
                        "openapi-31",
                        at,
                        "responses",
                        "OpenAPI 3.0 requires `responses`; compat adds a `200` response (the smallest valid choice)".to_string(),
                        ObjEdit {
                            add: vec![(None, "responses".to_string(), json!({"200": {"description": "OK"}}))],
                            ..ObjEdit::default()
                        },
                        false,
                    );
                }
                for (k, v) in map {
                    match k.as_str() {
                        "parameters" => push(v, k, Ctx::ParamList),
                        "requestBody" => push(v, k, Ctx::RequestBody),
                        "responses" => push(v, k, Ctx::Responses),
                        "callbacks" => push(v, k, Ctx::CallbackMap),
                        _ => {}
                    }
                }
            }
            // Maps whose every non-extension entry is of one kind.
            Ctx::CallbackMap
            | Ctx::Callback
            | Ctx::ParamMap
            | Ctx::ResponseMap
            | Ctx::RequestBodyMap => {
                let child = match ctx {
                    Ctx::CallbackMap => Ctx::Callback,
                    Ctx::Callback => Ctx::PathItem,
                    Ctx::ParamMap => Ctx::Parameter,
                    Ctx::ResponseMap => Ctx::Response,
                    _ => Ctx::RequestBody,
                };
                for (k, v) in map {
                    if !k.starts_with("x-") {
                        push(v, k, child);
                    }
                }
            }
            Ctx::Components => {
                for (k, v) in map {
                    match k.as_str() {
                        "schemas" => push(v, k, Ctx::SchemaMap),
                        "responses" => push(v, k, Ctx::ResponseMap),
                        "parameters" => push(v, k, Ctx::ParamMap),
                        "requestBodies" => push(v, k, Ctx::RequestBodyMap),
                        "headers" => push(v, k, Ctx::Headers),
                        "securitySchemes" => push(v, k, Ctx::SecuritySchemes),
                        "callbacks" => push(v, k, Ctx::CallbackMap),
                        "pathItems" if self.lower => self.wrap_key_as(
                            "openapi-31",
                            at,
                            "pathItems",
                            "`components.pathItems` does not exist in OpenAPI 3.0; compat wraps it"
                                .to_string(),
                            ChangeAction::Lowered,
                            false,
                        ),
                        _ => {}
                    }
                }
            }
            Ctx::SecuritySchemes => {
                for (name, scheme) in map {
                    if name.starts_with("x-") {
                        continue;
                    }
                    let Some(s) = scheme.as_object() else {
                        continue;
                    };
                    if s.contains_key("$ref") {
                        continue;
                    }
                    let ty = s.get("type").and_then(Value::as_str).unwrap_or("");
                    if ty != "apiKey" && !s.contains_key("x-amazon-apigateway-authorizer") {
                        self.report(
                            "security-scheme-type",
                            pointer::push(&pointer::push(at, name), "type"),
                            format!(
                                "security scheme `{name}` has type `{ty}`; API Gateway only takes `apiKey` schemes, so it is not enforced: configure a Lambda authorizer with `x-amazon-apigateway-authorizer`"
                            ),
                        );
                    }
                }
            }
            Ctx::Parameter => {
                if map.contains_key("$ref") {
                    return;
                }
                self.examples(map, at, "a parameter");
                for (k, v) in map {
                    match k.as_str() {
                        "schema" => self.schema_child(v, &pointer::push(at, k), children),
                        "content" => children.push((v, pointer::push(at, k), Ctx::Content)),
                        _ => {}
                    }
                }
            }
            Ctx::RequestBody => {
                if let Some(v) = map.get("content") {
                    push(v, "content", Ctx::Content);
                }
            }
            Ctx::Content => {
                for (k, v) in map {
                    if !k.starts_with("x-") {
                        push(v, k, Ctx::MediaType);
                    }
                }
            }
            Ctx::MediaType => {
                self.examples(map, at, "a media type");
                for (k, v) in map {
                    match k.as_str() {
                        "schema" => self.schema_child(v, &pointer::push(at, k), children),
                        "encoding" => children.push((v, pointer::push(at, k), Ctx::Encodings)),
                        _ => {}
                    }
                }
            }
            Ctx::Encodings => {
                for (k, v) in map {
                    if let Some(h) = v.get("headers") {
                        children.push((
                            h,
                            pointer::push(&pointer::push(at, k), "headers"),
                            Ctx::Headers,
                        ));
                    }
                }
            }
            Ctx::Responses => self.responses(map, at, children),
            Ctx::Response => {
                if map.contains_key("$ref") {
                    return;
                }
                if self.v2 {
                    if map.contains_key("examples") {
                        self.wrap_key(
                            "example",
                            at,
                            "examples",
                            format!("`examples` in a response is not supported by API Gateway; compat moves it under `{WRAPPER}`, or remove it"),
                        );
                    }
                    if let Some(s) = map.get("schema") {
                        self.response_schema(s, &pointer::push(at, "schema"));
                    }
                } else if let Some(Value::Object(content)) = map.get("content") {
                    for (mt, m) in content {
                        if let Some(s) = m.get("schema") {
                            let p = pointer::push(
                                &pointer::push(&pointer::push(at, "content"), mt),
                                "schema",
                            );
                            self.response_schema(s, &p);
                        }
                    }
                }
                for (k, v) in map {
                    match k.as_str() {
                        "schema" if self.v2 => {
                            self.schema_child(v, &pointer::push(at, k), children)
                        }
                        "headers" => children.push((v, pointer::push(at, k), Ctx::Headers)),
                        "content" if !self.v2 => {
                            children.push((v, pointer::push(at, k), Ctx::Content))
                        }
                        _ => {}
                    }
                }
            }
            Ctx::Headers => {
                for (k, v) in map {
                    if !k.starts_with("x-") {
                        push(v, k, Ctx::Header);
                    }
                }
            }
            Ctx::Header => {
                if map.contains_key("$ref") {
                    return;
                }
                self.examples(map, at, "a header");
                for (k, v) in map {
                    match k.as_str() {
                        "schema" => self.schema_child(v, &pointer::push(at, k), children),
                        "content" => children.push((v, pointer::push(at, k), Ctx::Content)),
                        _ => {}
                    }
                }
            }
            Ctx::SchemaMap => {
                for (k, v) in map {
                    self.schema_child(v, &pointer::push(at, k), children);
                }
            }
            Ctx::Schema => self.schema(map, at, children),
            Ctx::SchemaList | Ctx::ParamList => {}
        }
    }

    /// A value in a schema position: objects are walked; 3.1 boolean schemas are lowered.
    fn schema_child(
        &mut self,
        v: &'a Value,
        at: &str,
        children: &mut Vec<(&'a Value, String, Ctx)>,
    ) {
        match v {
            Value::Object(_) => children.push((v, at.to_string(), Ctx::Schema)),
            Value::Bool(b) if self.lower => {
                let value = if *b { json!({}) } else { json!({"not": {}}) };
                if self.on("openapi-31") {
                    self.out.push(Finding {
                        rule: "openapi-31",
                        pointer: at.to_string(),
                        message: format!(
                            "the boolean schema `{b}` does not exist in OpenAPI 3.0; compat writes `{value}`"
                        ),
                        ops: vec![Op::PlainSet {
                            pointer: at.to_string(),
                            value,
                        }],
                        action: ChangeAction::Lowered,
                        after: Some(at.to_string()),
                        loss: false,
                    });
                }
            }
            _ => {}
        }
    }

    fn root_security(&mut self, map: &Map<String, Value>) {
        let Some(Value::Array(reqs)) = map.get("security") else {
            return;
        };
        if reqs.is_empty() || !self.on("root-security") {
            return;
        }
        let mut count = 0;
        let mut first = None;
        for op in self.doc.operations() {
            if op.value.get("security").is_none() {
                count += 1;
                if first.is_none() {
                    first = Some(format!("{} {}", op.method, op.path));
                }
            }
        }
        if count > 0 {
            self.report(
                "root-security",
                "/security".to_string(),
                format!(
                    "API Gateway does not use root-level `security`: {count} operation(s) without their own `security` (first: {}) are imported without it; repeat the requirement in each operation",
                    first.unwrap_or_default()
                ),
            );
        }
    }

    fn param_list(
        &mut self,
        value: &'a Value,
        at: &str,
        children: &mut Vec<(&'a Value, String, Ctx)>,
    ) {
        let Value::Array(items) = value else {
            return;
        };
        let owner = at.strip_suffix("/parameters").unwrap_or(at).to_string();
        for (i, raw) in items.iter().enumerate() {
            let here = format!("{at}/{i}");
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
                self.out.push(Finding {
                    rule,
                    pointer: here,
                    message,
                    ops: vec![Op::Edit {
                        object: owner.clone(),
                        edit: ObjEdit {
                            wrap_params: vec![i],
                            ..ObjEdit::default()
                        },
                    }],
                    action: ChangeAction::Wrapped,
                    after: None,
                    loss: false,
                });
                continue;
            }
            if raw.get("$ref").is_none() {
                children.push((raw, here, Ctx::Parameter));
            }
        }
    }

    fn responses(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        children: &mut Vec<(&'a Value, String, Ctx)>,
    ) {
        let has_200 = map.contains_key("200");
        let prefix = if self.v2 {
            "#/responses/"
        } else {
            "#/components/responses/"
        };
        for (code, resp) in map {
            if code.starts_with("x-") {
                continue;
            }
            let here = pointer::push(at, code);
            if code == "default" {
                if has_200 && self.on("ignored-default-response") {
                    // AWS drops it anyway; wrapping keeps it and lets the import run clean.
                    self.wrap_key(
                        "ignored-default-response",
                        at,
                        code,
                        format!(
                            "API Gateway ignores this `default` response because the operation also has a 200 response; compat moves it under `{WRAPPER}`: list the status codes explicitly"
                        ),
                    );
                    continue;
                }
                self.report(
                    "default-response",
                    here.clone(),
                    if has_200 {
                        "API Gateway ignores this `default` response because the operation also has a 200 response; list the status codes explicitly".to_string()
                    } else {
                        "API Gateway imports this `default` response as a 200 response; list the status codes explicitly".to_string()
                    },
                );
            }
            if is_range(code) && self.on("response-code-range") {
                self.wrap_key(
                    "response-code-range",
                    at,
                    code,
                    format!(
                        "API Gateway does not support the response code range `{code}`; compat moves it under `{WRAPPER}`: list the specific codes instead (e.g. {})",
                        range_advice(code)
                    ),
                );
                continue;
            }
            if let Some(target) = resp.get("$ref").and_then(Value::as_str) {
                if target.starts_with(prefix)
                    && self.on("response-ref")
                    && let Some((_, Some(target_ptr))) = self.doc.deref(resp)
                {
                    self.out.push(Finding {
                            rule: "response-ref",
                            pointer: pointer::push(&here, "$ref"),
                            message: format!(
                                "API Gateway does not support responses of the form `{{\"$ref\": \"{target}\"}}`; compat inlines the response and keeps the `$ref` under `{WRAPPER}`"
                            ),
                            ops: vec![Op::Inline {
                                object: here.clone(),
                                target: target_ptr,
                            }],
                            action: ChangeAction::Inlined,
                            after: Some(here.clone()),
                            loss: false,
                        });
                }
                continue;
            }
            children.push((resp, here, Ctx::Response));
        }
    }

    fn response_schema(&mut self, s: &Value, at: &str) {
        let Some(m) = s.as_object() else {
            return;
        };
        if m.contains_key("$ref") || !self.on("non-object-response-schema") {
            return;
        }
        if let Some(t) = type_of(m)
            && matches!(t, "string" | "number" | "integer" | "boolean" | "null")
        {
            self.report(
                    "non-object-response-schema",
                    at.to_string(),
                    format!(
                        "API Gateway requires response schemas of an object type; this inline `type: {t}` schema is not supported: move it into a named model and `$ref` it"
                    ),
                );
        }
    }

    fn schema(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        children: &mut Vec<(&'a Value, String, Ctx)>,
    ) {
        let mut wrapped: HashSet<&str> = HashSet::new();
        let ty = type_of(map);
        if self.lower {
            self.lower_schema(map, at, &mut wrapped);
        }
        for (k, v) in map {
            let k = k.as_str();
            if wrapped.contains(k) {
                continue;
            }
            match k {
                "example" if self.on("example") => {
                    wrapped.insert(k);
                    self.wrap_key("example", at, k, format!("`example` is not supported in API Gateway models (JSON Schema draft 4; the import rejects it); compat moves it under `{WRAPPER}`"));
                }
                "examples" if self.on("example") => {
                    wrapped.insert(k);
                    self.wrap_key("example", at, k, format!("`examples` is not supported in API Gateway models; compat moves it under `{WRAPPER}`"));
                }
                "readOnly" if self.on("read-only") => {
                    wrapped.insert(k);
                    self.wrap_key("read-only", at, k, format!("`readOnly` is not supported in API Gateway models; compat moves it under `{WRAPPER}`"));
                }
                "discriminator" if self.on("discriminator") => {
                    wrapped.insert(k);
                    self.wrap_key("discriminator", at, k, format!("`discriminator` is not supported in any API Gateway schema; compat moves it under `{WRAPPER}` (the composition stays)"));
                }
                "exclusiveMinimum" | "exclusiveMaximum" if self.on("exclusive-bound-boolean") => {
                    wrapped.insert(k);
                    let bound = if k == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    self.wrap_key("exclusive-bound-boolean", at, k, format!("`{k}` is not supported by API Gateway; compat moves it under `{WRAPPER}`, so the `{bound}` becomes inclusive (adjust the bound if that matters)"));
                }
                "format" => {
                    let f = v.as_str().unwrap_or("");
                    if ty == Some("number")
                        && matches!(f, "int32" | "int64")
                        && self.on("number-integer-format")
                    {
                        wrapped.insert(k);
                        self.wrap_key("number-integer-format", at, k, format!("`type: number` with `format: {f}` is not supported by API Gateway; compat moves the format under `{WRAPPER}` (use `type: integer` for whole numbers)"));
                    } else if f == "decimal" && self.on("decimal-format") {
                        wrapped.insert(k);
                        self.wrap_key("decimal-format", at, k, format!("`format: decimal` is not supported by API Gateway; compat moves it under `{WRAPPER}`"));
                    }
                }
                "xml" if self.on("xml") => {
                    wrapped.insert(k);
                    self.wrap_key_as("xml", at, k, format!("`xml` is not part of API Gateway models (JSON Schema draft 4); compat removes it and keeps it under `{WRAPPER}`"), ChangeAction::Removed, false);
                }
                "oneOf" | "anyOf" => {
                    if self.v2 {
                        if self.on("one-of-v2") {
                            wrapped.insert(k);
                            self.wrap_key_as("one-of-v2", at, k, format!("`{k}` is not part of Swagger 2.0 and API Gateway does not support it; compat moves it under `{WRAPPER}` (the alternatives are no longer checked): use `allOf` or move to OpenAPI 3.0"), ChangeAction::Wrapped, true);
                        }
                    } else {
                        self.report("one-of-any-of", pointer::push(at, k), format!("AWS lists `{k}` as not supported in models; request validation may not follow it"));
                    }
                }
                "additionalProperties" => {
                    self.report("additional-properties", pointer::push(at, k), "AWS lists `additionalProperties` as not supported in models; request validation may ignore it".to_string());
                }
                _ => {}
            }
        }
        for (k, v) in map {
            if wrapped.contains(k.as_str()) {
                continue;
            }
            match k.as_str() {
                "properties" | "patternProperties" if v.is_object() => {
                    children.push((v, pointer::push(at, k), Ctx::SchemaMap));
                }
                "additionalProperties" | "not" | "additionalItems" if v.is_object() => {
                    children.push((v, pointer::push(at, k), Ctx::Schema));
                }
                "items" => match v {
                    Value::Array(_) => children.push((v, pointer::push(at, k), Ctx::SchemaList)),
                    _ => self.schema_child(v, &pointer::push(at, k), children),
                },
                "allOf" | "anyOf" | "oneOf" if v.is_array() => {
                    children.push((v, pointer::push(at, k), Ctx::SchemaList));
                }
                _ => {}
            }
        }
    }

    /// 3.1 → 3.0 lowering of one schema object.
    fn lower_schema(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        wrapped: &mut HashSet<&'a str>,
    ) {
        for (k, v) in map {
            let key = k.as_str();
            match key {
                "type" if v.as_str() == Some("null") => {
                    wrapped.insert(key);
                    let mut edit = ObjEdit {
                        wrap: vec!["type".into()],
                        ..ObjEdit::default()
                    };
                    if !map.contains_key("nullable") {
                        edit.add
                            .push((Some("type".into()), "nullable".into(), json!(true)));
                    }
                    self.lowered("openapi-31-feature", at, key, "`type: \"null\"` has no OpenAPI 3.0 equivalent; compat wraps it and writes `nullable: true`".to_string(), edit, true);
                }
                "type" => {
                    let Value::Array(types) = v else { continue };
                    let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                    let has_null = names.contains(&"null");
                    let non_null: Vec<&str> =
                        names.iter().copied().filter(|t| *t != "null").collect();
                    let mut edit = ObjEdit::default();
                    let nullable = has_null && !map.contains_key("nullable");
                    let (message, loss) = match non_null.len() {
                        1 => {
                            edit.replace.push(("type".into(), json!(non_null[0])));
                            if nullable {
                                edit.add.push((
                                    Some("type".into()),
                                    "nullable".into(),
                                    json!(true),
                                ));
                            }
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
                            if nullable {
                                edit.add.push((
                                    Some("type".into()),
                                    "nullable".into(),
                                    json!(true),
                                ));
                            }
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
                        _ => {
                            if map.contains_key("anyOf") || map.contains_key("oneOf") {
                                edit.wrap.push("type".into());
                                (
                                    format!(
                                        "`type: {v}` (several types) cannot be lowered next to an existing `anyOf`/`oneOf`; compat wraps it and the type check is lost"
                                    ),
                                    true,
                                )
                            } else {
                                edit.wrap.push("type".into());
                                let alts: Vec<Value> =
                                    non_null.iter().map(|t| json!({"type": t})).collect();
                                edit.add.push((
                                    Some("type".into()),
                                    "anyOf".into(),
                                    Value::Array(alts),
                                ));
                                if nullable {
                                    edit.add.push((
                                        Some("type".into()),
                                        "nullable".into(),
                                        json!(true),
                                    ));
                                }
                                (
                                    format!(
                                        "`type: {v}` becomes `anyOf` of one schema per type in OpenAPI 3.0"
                                    ),
                                    false,
                                )
                            }
                        }
                    };
                    wrapped.insert(key);
                    let rule = if loss {
                        "openapi-31-feature"
                    } else {
                        "openapi-31"
                    };
                    self.lowered(rule, at, key, message, edit, loss);
                }
                "const" => {
                    wrapped.insert(key);
                    match map.get("enum") {
                        None => self.lowered(
                            "openapi-31",
                            at,
                            key,
                            "`const` becomes a one-value `enum` in OpenAPI 3.0".to_string(),
                            ObjEdit {
                                wrap: vec!["const".into()],
                                add: vec![(Some("const".into()), "enum".into(), json!([v]))],
                                ..ObjEdit::default()
                            },
                            false,
                        ),
                        Some(_) => self.wrap_key_as(
                            "openapi-31-feature",
                            at,
                            key,
                            "`const` next to `enum` cannot be lowered to OpenAPI 3.0; compat wraps `const` and keeps `enum`".to_string(),
                            ChangeAction::Lowered,
                            true,
                        ),
                    }
                }
                "examples" if v.is_array() && !self.on("example") => {
                    wrapped.insert(key);
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
                    self.lowered("openapi-31", at, key, "`examples` becomes `example` (the first one) in OpenAPI 3.0; the list is kept under the wrapper".to_string(), edit, false);
                }
                "exclusiveMinimum" | "exclusiveMaximum" if v.is_number() => {
                    wrapped.insert(key);
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
                    let exact = !self.on("exclusive-bound-boolean");
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
                        format!(
                            "`{key}: {v}` becomes `{bound}: {v}` + `{key}: true` in OpenAPI 3.0"
                        )
                    } else {
                        format!(
                            "`{key}: {v}` becomes `{bound}: {v}` in OpenAPI 3.0 (inclusive: API Gateway supports no exclusive bounds, see `exclusive-bound-boolean`)"
                        )
                    };
                    self.lowered("openapi-31", at, key, message, edit, false);
                }
                "items" if v.is_array() => {
                    wrapped.insert(key);
                    self.wrap_key_as("openapi-31-feature", at, key, "`items` as a list (a tuple) has no OpenAPI 3.0 equivalent; compat wraps it and its meaning is lost".to_string(), ChangeAction::Lowered, true);
                }
                _ if V31_HARMLESS.contains(&key) => {
                    wrapped.insert(key);
                    self.wrap_key_as(
                        "openapi-31",
                        at,
                        key,
                        format!("`{key}` does not exist in OpenAPI 3.0 schemas; compat wraps it"),
                        ChangeAction::Lowered,
                        false,
                    );
                }
                _ if V31_LOST.contains(&key) => {
                    wrapped.insert(key);
                    self.wrap_key_as("openapi-31-feature", at, key, format!("`{key}` has no OpenAPI 3.0 equivalent; compat wraps it and API Gateway will not apply it"), ChangeAction::Lowered, true);
                }
                _ => {}
            }
        }
    }
}
