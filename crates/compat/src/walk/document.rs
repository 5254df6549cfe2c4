//! The document level: the root, `info`, `license`, `components`, security schemes and the
//! root-level `security` requirement.

use super::{Children, Ctx, Finding, Walker, child};
use crate::report::ChangeAction;
use crate::wrap::ObjEdit;
use lambda_sync_spec::pointer;
use serde_json::{Map, Value, json};

impl<'a> Walker<'a> {
    pub(super) fn root(&mut self, map: &'a Map<String, Value>, at: &str, out: &mut Children<'a>) {
        if self.lower {
            self.lower_root(map, at);
        } else if self.v31 {
            self.emit(Finding::new(
                "openapi-31",
                "/openapi".to_string(),
                format!(
                    "API Gateway imports OpenAPI 2.0 and 3.0 only, not `openapi: {}`; write the definition as 3.0.3",
                    self.doc.declared_version()
                ),
            ));
        }
        self.root_security(map);
        for (k, v) in map {
            match k.as_str() {
                "info" => child(out, v, k, Ctx::Info),
                "paths" => child(out, v, k, Ctx::Paths),
                "definitions" if self.v2 => child(out, v, k, Ctx::SchemaMap),
                "parameters" if self.v2 => child(out, v, k, Ctx::ParamMap),
                "responses" if self.v2 => child(out, v, k, Ctx::ResponseMap),
                "securityDefinitions" if self.v2 => child(out, v, k, Ctx::SecuritySchemes),
                "components" if !self.v2 => child(out, v, k, Ctx::Components),
                _ => {}
            }
        }
    }

    /// OpenAPI 3.1 → 3.0 at the root: the version, the keys 3.0 lacks, the `paths` it needs.
    fn lower_root(&mut self, map: &Map<String, Value>, at: &str) {
        if map.contains_key("openapi") {
            let edit = ObjEdit {
                replace: vec![("openapi".to_string(), json!("3.0.3"))],
                ..ObjEdit::default()
            };
            self.emit(Finding::lower(
                "openapi-31",
                at,
                "openapi",
                format!(
                    "API Gateway imports OpenAPI 2.0 and 3.0 only, not `openapi: {}`; compat lowers the definition to 3.0.3 (and reports what 3.0 cannot say)",
                    self.doc.declared_version()
                ),
                edit,
            ));
        }
        for key in ["jsonSchemaDialect", "webhooks"] {
            if map.contains_key(key) {
                self.emit(
                    Finding::wrap(
                        "openapi-31",
                        at,
                        key,
                        format!("`{key}` does not exist in OpenAPI 3.0 and API Gateway does not import it; compat wraps it"),
                    )
                    .action(ChangeAction::Lowered),
                );
            }
        }
        if !map.contains_key("paths") {
            let edit = ObjEdit {
                add: vec![(None, "paths".to_string(), json!({}))],
                ..ObjEdit::default()
            };
            self.emit(Finding::lower(
                "openapi-31",
                at,
                "paths",
                "OpenAPI 3.0 requires `paths`; compat adds an empty one".to_string(),
                edit,
            ));
        }
    }

    pub(super) fn info(&mut self, map: &'a Map<String, Value>, at: &str, out: &mut Children<'a>) {
        if self.lower && map.contains_key("summary") {
            self.emit(
                Finding::wrap(
                    "openapi-31",
                    at,
                    "summary",
                    "`info.summary` does not exist in OpenAPI 3.0; compat wraps it".to_string(),
                )
                .action(ChangeAction::Lowered),
            );
        }
        if let Some(v) = map.get("license") {
            child(out, v, "license", Ctx::License);
        }
    }

    pub(super) fn license(&mut self, map: &Map<String, Value>, at: &str) {
        if self.lower && map.contains_key("identifier") {
            self.emit(
                Finding::wrap(
                    "openapi-31",
                    at,
                    "identifier",
                    "`license.identifier` does not exist in OpenAPI 3.0; compat wraps it"
                        .to_string(),
                )
                .action(ChangeAction::Lowered),
            );
        }
    }

    pub(super) fn components(
        &mut self,
        map: &'a Map<String, Value>,
        at: &str,
        out: &mut Children<'a>,
    ) {
        for (k, v) in map {
            match k.as_str() {
                "schemas" => child(out, v, k, Ctx::SchemaMap),
                "responses" => child(out, v, k, Ctx::ResponseMap),
                "parameters" => child(out, v, k, Ctx::ParamMap),
                "requestBodies" => child(out, v, k, Ctx::RequestBodyMap),
                "headers" => child(out, v, k, Ctx::Headers),
                "securitySchemes" => child(out, v, k, Ctx::SecuritySchemes),
                "callbacks" => child(out, v, k, Ctx::CallbackMap),
                "pathItems" if self.lower => self.emit(
                    Finding::wrap(
                        "openapi-31",
                        at,
                        "pathItems",
                        "`components.pathItems` does not exist in OpenAPI 3.0; compat wraps it"
                            .to_string(),
                    )
                    .action(ChangeAction::Lowered),
                ),
                _ => {}
            }
        }
    }

    /// `securityDefinitions` (2.0) or `components.securitySchemes` (3.x).
    pub(super) fn security_schemes(&mut self, map: &Map<String, Value>, at: &str) {
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
                self.emit(Finding::new(
                    "security-scheme-type",
                    pointer::push(&pointer::push(at, name), "type"),
                    format!(
                        "security scheme `{name}` has type `{ty}`; API Gateway only takes `apiKey` schemes, so it is not enforced: configure a Lambda authorizer with `x-amazon-apigateway-authorizer`"
                    ),
                ));
            }
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
            self.emit(Finding::new(
                "root-security",
                "/security".to_string(),
                format!(
                    "API Gateway does not use root-level `security`: {count} operation(s) without their own `security` (first: {}) are imported without it; repeat the requirement in each operation",
                    first.unwrap_or_default()
                ),
            ));
        }
    }
}
