//! Typed, read-only views of operations, parameters, request bodies, responses and schemas,
//! the same for Swagger 2.0 and OpenAPI 3.x.

use crate::document::{Document, SpecVersion};
use crate::pointer;
use serde_json::Value;
use std::fmt;

/// An HTTP method that OpenAPI can describe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum HttpMethod {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl HttpMethod {
    /// Every method, in the order OpenAPI lists them.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The method for a path-item key (`"get"`), case-sensitive as OpenAPI requires.
    pub fn from_key(key: &str) -> Option<HttpMethod> {
        HttpMethod::ALL.into_iter().find(|m| m.as_str() == key)
    }

    /// The path-item key: `"get"`, `"post"`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The HTTP name: `"GET"`, `"POST"`, ...
    pub fn as_upper(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_upper())
    }
}

/// Where a parameter is sent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ParameterLocation {
    /// A path template segment.
    #[serde(rename = "path")]
    Path,
    /// The query string.
    #[serde(rename = "query")]
    Query,
    /// A request header.
    #[serde(rename = "header")]
    Header,
    /// A cookie (3.x).
    #[serde(rename = "cookie")]
    Cookie,
    /// A form field (2.0 `formData`).
    #[serde(rename = "formData")]
    FormData,
    /// The request body (2.0 `in: body`).
    #[serde(rename = "body")]
    Body,
}

impl ParameterLocation {
    /// The `in` value for this location.
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
            ParameterLocation::FormData => "formData",
            ParameterLocation::Body => "body",
        }
    }

    /// Parses an `in` value.
    pub fn parse(s: &str) -> Option<ParameterLocation> {
        Some(match s {
            "path" => ParameterLocation::Path,
            "query" => ParameterLocation::Query,
            "header" => ParameterLocation::Header,
            "cookie" => ParameterLocation::Cookie,
            "formData" => ParameterLocation::FormData,
            "body" => ParameterLocation::Body,
            _ => return None,
        })
    }
}

impl fmt::Display for ParameterLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parameter of an operation, `$ref` resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter<'a> {
    /// `name`.
    pub name: &'a str,
    /// `in`.
    pub location: ParameterLocation,
    /// `required` (path parameters are always required).
    pub required: bool,
    /// `description`.
    pub description: Option<&'a str>,
    /// The type: 2.0 `type`, or 3.x `schema.type` (the first non-null one of a 3.1 list).
    pub type_name: Option<&'a str>,
    /// The format: 2.0 `format`, or 3.x `schema.format`.
    pub format: Option<&'a str>,
    /// 3.x `schema` (resolved), or for 2.0 the parameter object itself (its type keywords).
    pub schema: Option<&'a Value>,
    /// Where the parameter is listed (the entry of the `parameters` array).
    pub pointer: String,
    /// Where its definition is, when the entry is a `$ref`.
    pub resolved_pointer: Option<String>,
    /// Whether it comes from the path item rather than the operation.
    pub from_path_item: bool,
    /// The parameter object (resolved).
    pub value: &'a Value,
}

/// The body of an operation: 2.0 `in: body` or 3.x `requestBody`.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody<'a> {
    /// The 2.0 body parameter's name.
    pub name: Option<&'a str>,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<&'a str>,
    /// Media types: 3.x `content` keys; 2.0 `consumes` (operation, else root, else
    /// `application/json`).
    pub content_types: Vec<&'a str>,
    /// The schema: of `application/json` when present, else of the first media type.
    pub schema: Option<&'a Value>,
    /// Where it is declared.
    pub pointer: String,
}

/// One declared response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<'a> {
    /// The status code key: `"200"`, `"default"`, `"4XX"`.
    pub code: &'a str,
    /// `description`.
    pub description: Option<&'a str>,
    /// The schema of the `application/json` (or first) content (3.x) or `schema` (2.0).
    pub schema: Option<&'a Value>,
    /// Where it is declared.
    pub pointer: String,
    /// The response object (resolved).
    pub value: &'a Value,
}

/// An operation: one method on one path.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation<'a> {
    /// The method.
    pub method: HttpMethod,
    /// The path key (`/pets/{id}`).
    pub path: &'a str,
    /// Pointer to the operation object.
    pub pointer: String,
    /// `operationId`.
    pub operation_id: Option<&'a str>,
    /// `summary`.
    pub summary: Option<&'a str>,
    /// `description`.
    pub description: Option<&'a str>,
    /// `tags`.
    pub tags: Vec<&'a str>,
    /// Parameters from the path item and the operation (the operation's win on the same name
    /// and location), `$ref`s resolved, without the 2.0 body parameter.
    pub parameters: Vec<Parameter<'a>>,
    /// The request body.
    pub request_body: Option<RequestBody<'a>>,
    /// The responses, in document order.
    pub responses: Vec<Response<'a>>,
    /// The operation object.
    pub value: &'a Value,
}

impl Operation<'_> {
    /// The parameters in one location.
    pub fn parameters_in(
        &self,
        location: ParameterLocation,
    ) -> impl Iterator<Item = &Parameter<'_>> {
        self.parameters
            .iter()
            .filter(move |p| p.location == location)
    }

    /// The names in the path template, in order (`/a/{x}/b/{y+}` → `x`, `y+`).
    pub fn path_template_names(&self) -> Vec<&str> {
        path_template_names(self.path)
    }
}

/// The names in a path template, in order (`/a/{x}/b/{y+}` → `x`, `y+`).
pub fn path_template_names(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

/// A named schema (2.0 `definitions`, 3.x `components/schemas`).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSchema<'a> {
    /// The name.
    pub name: &'a str,
    /// Pointer to it.
    pub pointer: String,
    /// The schema.
    pub value: &'a Value,
}

/// `{pointer}/{token}` for a token that needs no escaping (no `format!`: the views make one
/// per parameter).
fn join(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    out.push_str(token);
    out
}

/// `{pointer}/{i}`.
fn index(pointer: &str, i: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(pointer.len() + 4);
    out.push_str(pointer);
    let _ = write!(out, "/{i}");
    out
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn first_type(v: &Value) -> Option<&str> {
    match v.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(a) => a.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

/// Where the `$ref`s of the operations being listed resolve.
#[derive(Clone, Copy)]
struct Scope<'a> {
    doc: &'a Document,
    /// Path items that stand for the document's `paths`: references into `#/paths/...` resolve
    /// in them ([`Document::operations_in`]).
    paths: Option<&'a Value>,
}

impl<'a> Scope<'a> {
    /// [`Document::deref`], with `#/paths/...` resolved in `self.paths` when it is set.
    fn deref(&self, value: &'a Value) -> Option<(&'a Value, Option<String>)> {
        let Some(paths) = self.paths else {
            return self.doc.deref(value);
        };
        self.doc
            .deref_with(value, |p| match p.strip_prefix("/paths") {
                Some("") => Some(paths),
                // The copy this stands for has no `x-` path keys.
                Some(rest) if rest.starts_with('/') => {
                    let first = rest[1..].split('/').next().unwrap_or("");
                    if first.starts_with("x-") {
                        return None;
                    }
                    pointer::get(paths, rest)
                }
                _ => pointer::get(self.doc.value(), p),
            })
    }
}

impl Document {
    /// Every operation, in document order (paths, then methods in the order written).
    ///
    /// ```
    /// let doc = lambda_sync_spec::load_str(r#"
    /// swagger: "2.0"
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets/{id}:
    ///     parameters: [{name: id, in: path, required: true, type: integer}]
    ///     get: {operationId: getPet, responses: {"200": {description: ok}}}
    /// "#).unwrap().document;
    /// let ops = doc.operations();
    /// assert_eq!(ops[0].operation_id, Some("getPet"));
    /// assert_eq!(ops[0].parameters[0].name, "id");
    /// assert_eq!(ops[0].parameters[0].type_name, Some("integer"));
    /// ```
    pub fn operations(&self) -> Vec<Operation<'_>> {
        match self.value().get("paths") {
            Some(paths) => self.operations_of(
                Scope {
                    doc: self,
                    paths: None,
                },
                paths,
            ),
            None => Vec::new(),
        }
    }

    /// The operations of the path items in `paths`, an object shaped like the root `paths`
    /// that is somewhere else in this document (what compat set aside, for one), as if it were
    /// the document's `paths`: in its order, pointers under `/paths/`, `$ref`s resolved in
    /// this document except those into `#/paths/...`, which resolve in `paths`. The same as
    /// [`Document::operations`] of a copy of the document whose `paths` are `paths` without
    /// their `x-` keys, without making the copy.
    ///
    /// ```
    /// let doc = lambda_sync_spec::load_str(r##"
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1"}
    /// paths:
    ///   /pets: {get: {operationId: listPets, responses: {"200": {description: ok}}}}
    ///   x-aside:
    ///     /pets/{id}:
    ///       get:
    ///         operationId: getPet
    ///         parameters: [{$ref: "#/components/parameters/id"}]
    ///         responses: {"200": {description: ok}}
    /// components:
    ///   parameters:
    ///     id: {name: id, in: path, required: true, schema: {type: integer}}
    /// "##).unwrap().document;
    /// let aside = doc.value().pointer("/paths/x-aside").unwrap();
    /// let ops = doc.operations_in(aside);
    /// assert_eq!(ops.len(), 1);
    /// assert_eq!(ops[0].pointer, "/paths/~1pets~1{id}/get");
    /// assert_eq!(ops[0].parameters[0].type_name, Some("integer"));
    /// ```
    pub fn operations_in<'a>(&'a self, paths: &'a Value) -> Vec<Operation<'a>> {
        self.operations_of(
            Scope {
                doc: self,
                paths: Some(paths),
            },
            paths,
        )
    }

    fn operations_of<'a>(&'a self, scope: Scope<'a>, paths: &'a Value) -> Vec<Operation<'a>> {
        let mut out = Vec::new();
        let Some(paths) = paths.as_object() else {
            return out;
        };
        for (path, item) in paths {
            if path.starts_with("x-") {
                continue;
            }
            let item_pointer = pointer::push("/paths", path);
            let item = scope.deref(item).map_or(item, |(v, _)| v);
            let Some(item_obj) = item.as_object() else {
                continue;
            };
            let path_params = item_obj.get("parameters");
            for (key, op) in item_obj {
                let Some(method) = HttpMethod::from_key(key) else {
                    continue;
                };
                if !op.is_object() {
                    continue;
                }
                let op_pointer = pointer::push(&item_pointer, key);
                out.push(self.operation(
                    scope,
                    method,
                    path,
                    op_pointer,
                    &item_pointer,
                    path_params,
                    op,
                ));
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn operation<'a>(
        &'a self,
        scope: Scope<'a>,
        method: HttpMethod,
        path: &'a str,
        op_pointer: String,
        item_pointer: &str,
        path_params: Option<&'a Value>,
        op: &'a Value,
    ) -> Operation<'a> {
        let mut parameters: Vec<Parameter<'a>> = Vec::new();
        // (name, location) → index in `parameters`: the operation's own win over the path
        // item's, in linear time however long the lists are.
        let mut seen: std::collections::HashMap<(&str, ParameterLocation), usize> =
            std::collections::HashMap::new();
        let mut body = None;
        let lists = [
            (path_params, join(item_pointer, "parameters"), true),
            (op.get("parameters"), join(&op_pointer, "parameters"), false),
        ];
        for (list, list_pointer, from_path_item) in lists {
            let Some(items) = list.and_then(Value::as_array) else {
                continue;
            };
            for (i, raw) in items.iter().enumerate() {
                let Some((value, resolved_pointer)) = scope.deref(raw) else {
                    continue;
                };
                let (Some(name), Some(location)) = (
                    str_at(value, "name"),
                    str_at(value, "in").and_then(ParameterLocation::parse),
                ) else {
                    continue;
                };
                let pointer = index(&list_pointer, i);
                if location == ParameterLocation::Body {
                    body = Some(RequestBody {
                        name: Some(name),
                        required: value
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        description: str_at(value, "description"),
                        content_types: self.consumes(op),
                        schema: value
                            .get("schema")
                            .map(|s| scope.deref(s).map_or(s, |(v, _)| v)),
                        pointer,
                    });
                    continue;
                }
                let schema = if self.version().is_v2() {
                    Some(value)
                } else {
                    value
                        .get("schema")
                        .map(|s| scope.deref(s).map_or(s, |(v, _)| v))
                };
                let param = Parameter {
                    name,
                    location,
                    required: location == ParameterLocation::Path
                        || value
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    description: str_at(value, "description"),
                    type_name: schema.and_then(first_type),
                    format: schema.and_then(|s| str_at(s, "format")),
                    schema,
                    pointer,
                    resolved_pointer,
                    from_path_item,
                    value,
                };
                match seen.entry((name, location)) {
                    std::collections::hash_map::Entry::Occupied(e) => {
                        let existing = &mut parameters[*e.get()];
                        if existing.from_path_item && !from_path_item {
                            *existing = param;
                        }
                    }
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(parameters.len());
                        parameters.push(param);
                    }
                }
            }
        }
        if self.version().is_v3()
            && let Some(raw) = op.get("requestBody")
            && let Some((rb, _)) = scope.deref(raw)
        {
            let content = rb.get("content").and_then(Value::as_object);
            let content_types: Vec<&str> = content
                .map(|c| c.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let media =
                content.and_then(|c| c.get("application/json").or_else(|| c.values().next()));
            body = Some(RequestBody {
                name: None,
                required: rb.get("required").and_then(Value::as_bool).unwrap_or(false),
                description: str_at(rb, "description"),
                content_types,
                schema: media
                    .and_then(|m| m.get("schema"))
                    .map(|s| scope.deref(s).map_or(s, |(v, _)| v)),
                pointer: join(&op_pointer, "requestBody"),
            });
        }
        let mut responses = Vec::new();
        if let Some(map) = op.get("responses").and_then(Value::as_object) {
            let rp = join(&op_pointer, "responses");
            for (code, raw) in map {
                if code.starts_with("x-") {
                    continue;
                }
                let value = scope.deref(raw).map_or(raw, |(v, _)| v);
                let schema = if self.version().is_v2() {
                    value.get("schema")
                } else {
                    value
                        .get("content")
                        .and_then(Value::as_object)
                        .and_then(|c| c.get("application/json").or_else(|| c.values().next()))
                        .and_then(|m| m.get("schema"))
                };
                responses.push(Response {
                    code,
                    description: str_at(value, "description"),
                    schema: schema.map(|s| scope.deref(s).map_or(s, |(v, _)| v)),
                    pointer: pointer::push(&rp, code),
                    value,
                });
            }
        }
        Operation {
            method,
            path,
            pointer: op_pointer,
            operation_id: str_at(op, "operationId"),
            summary: str_at(op, "summary"),
            description: str_at(op, "description"),
            tags: op
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default(),
            parameters,
            request_body: body,
            responses,
            value: op,
        }
    }

    fn consumes<'a>(&'a self, op: &'a Value) -> Vec<&'a str> {
        let list = op
            .get("consumes")
            .or_else(|| self.value().get("consumes"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
            .unwrap_or_default();
        if list.is_empty() {
            vec!["application/json"]
        } else {
            list
        }
    }

    /// The named schemas (2.0 `definitions`, 3.x `components/schemas`), in document order.
    pub fn schemas(&self) -> Vec<NamedSchema<'_>> {
        let base = self.version().schemas_pointer();
        self.get(base)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(name, value)| NamedSchema {
                        name,
                        pointer: pointer::push(base, name),
                        value,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The prefix of a local `$ref` to a named schema in this version: `#/definitions/` or
/// `#/components/schemas/`.
pub fn schema_ref_prefix(version: SpecVersion) -> &'static str {
    if version.is_v2() {
        "#/definitions/"
    } else {
        "#/components/schemas/"
    }
}
