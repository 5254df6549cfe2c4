//! The slim body: the AWS-ready document without what API Gateway does not read, and the
//! resource count that its quota limits.
//!
//! API Gateway reads paths, operations (their ids, parameters, bodies, responses, security),
//! models, security schemes, `servers`/`basePath` and its own `x-amazon-apigateway-*`
//! extensions. Documentation (descriptions, summaries, examples, `externalDocs`, tags), other
//! vendors' extensions, what compat set aside under `x-disabled-for-amazon-gateway`, and models
//! nothing refers to only make the body bigger: [`slim`] leaves them out. The user's file and
//! the `compat` output keep all of it.

use lambda_sync_spec::pointer;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

const AWS_PREFIX: &str = "x-amazon-apigateway-";

/// HTTP methods of a path item, and API Gateway's `ANY`.
const OPERATIONS: &[&str] = &[
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "x-amazon-apigateway-any-method",
];

/// Maps of reusable entries that `$ref` points into: `(container pointer tokens)`.
const CONTAINERS_V2: &[&str] = &["definitions", "parameters", "responses"];
const CONTAINERS_V3: &[&str] = &[
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
];

fn is_aws(key: &str) -> bool {
    key.starts_with(AWS_PREFIX)
}

/// Schema keywords that only document (API Gateway's models are JSON Schema draft 4 and
/// validation ignores them).
const SCHEMA_DOCS: &[&str] = &[
    "description",
    "example",
    "examples",
    "externalDocs",
    "title",
    "xml",
    "deprecated",
    "$comment",
];

/// The body API Gateway needs, from an AWS-ready document (after compat and integration).
///
/// Left out: descriptions (except `info.description`, the API's description, and responses'
/// `description`, which OpenAPI requires), summaries, examples, `externalDocs`, tags, every
/// `x-` extension that is not `x-amazon-apigateway-*` (so `x-disabled-for-amazon-gateway` with
/// what it holds), and reusable models, parameters, responses, request bodies and headers that
/// nothing kept refers to. `x-amazon-apigateway-*` extensions are kept exactly. Pure and
/// deterministic; keys keep their order.
///
/// Takes the document by value or by reference: only what is kept is copied (the body is a
/// fraction of a documented definition), so a caller that keeps its document passes `&doc`.
///
/// ```
/// let doc = serde_json::json!({
///     "openapi": "3.0.3",
///     "info": {"title": "T", "version": "1", "x-logo": {"url": "l.png"}},
///     "tags": [{"name": "pets", "description": "Everything about pets"}],
///     "paths": {"/pets": {"get": {
///         "summary": "List pets", "operationId": "listPets",
///         "responses": {"200": {"description": "ok", "content": {"application/json": {
///             "schema": {"$ref": "#/components/schemas/Pet"},
///             "example": {"name": "Rex"}}}}}}}},
///     "components": {"schemas": {
///         "Pet": {"type": "object", "properties": {"description": {"type": "string", "description": "a property named description"}}},
///         "Unused": {"type": "string"}}}
/// });
/// let slim = lambda_sync_compat::slim(doc);
/// assert_eq!(slim, serde_json::json!({
///     "openapi": "3.0.3",
///     "info": {"title": "T", "version": "1"},
///     "paths": {"/pets": {"get": {
///         "operationId": "listPets",
///         "responses": {"200": {"description": "ok", "content": {"application/json": {
///             "schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
///     "components": {"schemas": {
///         "Pet": {"type": "object", "properties": {"description": {"type": "string"}}}}}
/// }));
/// ```
pub fn slim(document: impl std::borrow::Borrow<Value>) -> Value {
    let Value::Object(root) = document.borrow() else {
        return document.borrow().clone();
    };
    let v3 = root.contains_key("openapi");
    // The maps of reusable entries are copied last, and only the entries something kept
    // refers to: they stay empty in the copy until then.
    let mut deferred: Vec<Container<'_>> = Vec::new();
    let mut out = Map::new();
    for (key, value) in root {
        let kept = match key.as_str() {
            "swagger" | "openapi" | "host" | "basePath" | "schemes" | "consumes" | "produces"
            | "security" => Some(value.clone()),
            "info" => Some(slim_info(value)),
            "servers" => Some(slim_servers(value)),
            "paths" => Some(slim_paths(value)),
            "definitions" => Some(defer(&mut deferred, !v3, key, value, slim_schema)),
            "parameters" => Some(defer(&mut deferred, !v3, key, value, slim_parameter)),
            "responses" => Some(defer(&mut deferred, !v3, key, value, slim_response)),
            "securityDefinitions" => Some(map_values(value, slim_security_scheme)),
            "components" => Some(slim_components(value, v3, &mut deferred)),
            k if is_aws(k) => Some(value.clone()),
            _ => None,
        };
        if let Some(v) = kept {
            out.insert(key.clone(), v);
        }
    }
    let mut out = Value::Object(out);
    prune_unreferenced(&mut out, v3, deferred);
    out
}

/// A map of reusable entries (`definitions`, `components/schemas`, ...) of the document,
/// copied only in part: each entry is slimmed when something kept refers to it.
struct Container<'a> {
    kind: &'a str,
    entries: &'a Map<String, Value>,
    slim: fn(&Value) -> Value,
    /// The entries reached so far, slimmed.
    kept: std::collections::HashMap<&'a str, Value>,
}

/// The copy of a map of reusable entries: when `lazy` (it is one that [`prune_unreferenced`]
/// prunes), an empty map, and the map is set aside in `deferred`; otherwise each entry
/// slimmed.
fn defer<'a>(
    deferred: &mut Vec<Container<'a>>,
    lazy: bool,
    kind: &'a str,
    value: &'a Value,
    slim: fn(&Value) -> Value,
) -> Value {
    match value {
        Value::Object(entries) if lazy => {
            deferred.push(Container {
                kind,
                entries,
                slim,
                kept: std::collections::HashMap::new(),
            });
            Value::Object(Map::new())
        }
        other => map_values(other, slim),
    }
}

/// Each value of a map whose keys are names (models, properties, headers, media types).
fn map_values(value: &Value, f: fn(&Value) -> Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), f(v))).collect()),
        other => other.clone(),
    }
}

/// Each value of a map that may also hold extensions (`paths`, `responses`): other vendors'
/// extensions are left out, API Gateway's kept as they are.
fn map_values_ext(value: &Value, f: fn(&Value) -> Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with("x-") || is_aws(k))
                .map(|(k, v)| {
                    if is_aws(k) {
                        (k.clone(), v.clone())
                    } else {
                        (k.clone(), f(v))
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn array_values(value: &Value, f: fn(&Value) -> Value) -> Value {
    match value {
        Value::Array(a) => Value::Array(a.iter().map(f).collect()),
        other => other.clone(),
    }
}

/// Keeps the keys `keep` says yes to (and every `x-amazon-apigateway-*` key), each passed
/// through `f`.
fn filter_object(
    value: &Value,
    keep: impl Fn(&str) -> bool,
    f: impl Fn(&str, &Value) -> Value,
) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter_map(|(k, v)| {
                    if is_aws(k) {
                        Some((k.clone(), v.clone()))
                    } else if keep(k) {
                        Some((k.clone(), f(k, v)))
                    } else {
                        None
                    }
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn not_doc_or_extension(k: &str) -> bool {
    !k.starts_with("x-")
        && !matches!(
            k,
            "description" | "summary" | "example" | "examples" | "externalDocs" | "deprecated"
        )
}

fn slim_info(value: &Value) -> Value {
    filter_object(
        value,
        |k| matches!(k, "title" | "version" | "description"),
        |_, v| v.clone(),
    )
}

fn slim_servers(value: &Value) -> Value {
    array_values(value, |server| {
        filter_object(
            server,
            |k| matches!(k, "url" | "variables"),
            |k, v| {
                if k == "variables" {
                    map_values(v, |var| {
                        filter_object(var, |k| matches!(k, "default" | "enum"), |_, v| v.clone())
                    })
                } else {
                    v.clone()
                }
            },
        )
    })
}

fn slim_paths(value: &Value) -> Value {
    map_values_ext(value, slim_path_item)
}

fn slim_path_item(value: &Value) -> Value {
    filter_object(
        value,
        |k| k == "$ref" || k == "parameters" || OPERATIONS.contains(&k),
        |k, v| match k {
            "parameters" => array_values(v, slim_parameter),
            "$ref" => v.clone(),
            _ => slim_operation(v),
        },
    )
}

fn slim_operation(value: &Value) -> Value {
    filter_object(
        value,
        |k| {
            matches!(
                k,
                "operationId"
                    | "parameters"
                    | "requestBody"
                    | "responses"
                    | "security"
                    | "consumes"
                    | "produces"
                    | "schemes"
            )
        },
        |k, v| match k {
            "parameters" => array_values(v, slim_parameter),
            "requestBody" => slim_request_body(v),
            "responses" => map_values_ext(v, slim_response),
            _ => v.clone(),
        },
    )
}

fn slim_parameter(value: &Value) -> Value {
    filter_object(value, not_doc_or_extension, |k, v| match k {
        "schema" | "items" => slim_schema(v),
        "content" => map_values(v, slim_media_type),
        _ => v.clone(),
    })
}

fn slim_request_body(value: &Value) -> Value {
    filter_object(value, not_doc_or_extension, |k, v| match k {
        "content" => map_values(v, slim_media_type),
        _ => v.clone(),
    })
}

fn slim_media_type(value: &Value) -> Value {
    filter_object(value, |k| k == "schema", |_, v| slim_schema(v))
}

fn slim_response(value: &Value) -> Value {
    filter_object(
        value,
        |k| matches!(k, "$ref" | "description" | "schema" | "headers" | "content"),
        |k, v| match k {
            "schema" => slim_schema(v),
            "headers" => map_values(v, slim_parameter),
            "content" => map_values(v, slim_media_type),
            _ => v.clone(),
        },
    )
}

fn slim_security_scheme(value: &Value) -> Value {
    filter_object(
        value,
        |k| !k.starts_with("x-") && k != "description",
        |_, v| v.clone(),
    )
}

fn slim_components<'a>(value: &'a Value, v3: bool, deferred: &mut Vec<Container<'a>>) -> Value {
    let Value::Object(m) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (k, v) in m {
        let kept = match k.as_str() {
            k if is_aws(k) => v.clone(),
            "schemas" => defer(deferred, v3, k, v, slim_schema),
            "parameters" | "headers" => defer(deferred, v3, k, v, slim_parameter),
            "responses" => defer(deferred, v3, k, v, slim_response),
            "requestBodies" => defer(deferred, v3, k, v, slim_request_body),
            "securitySchemes" => map_values(v, slim_security_scheme),
            _ => continue,
        };
        out.insert(k.clone(), kept);
    }
    Value::Object(out)
}

/// A copy of a schema without its documentation keywords, nested schemas included (one pass
/// with an explicit stack, no recursion; what is left out is never copied).
fn slim_schema(value: &Value) -> Value {
    let mut out = Value::Null;
    let mut stack: Vec<(&Value, &mut Value)> = vec![(value, &mut out)];
    while let Some((src, dst)) = stack.pop() {
        let Value::Object(m) = src else {
            *dst = src.clone();
            continue;
        };
        // Nested schemas get a placeholder here and are copied when they are popped.
        let copy: Map<String, Value> = m
            .iter()
            .filter(|(k, _)| {
                is_aws(k) || (!SCHEMA_DOCS.contains(&k.as_str()) && !k.starts_with("x-"))
            })
            .map(|(k, child)| {
                let c = match (k.as_str(), child) {
                    ("properties" | "patternProperties" | "definitions", Value::Object(named)) => {
                        Value::Object(named.keys().map(|n| (n.clone(), Value::Null)).collect())
                    }
                    ("items" | "allOf" | "anyOf" | "oneOf", Value::Array(list)) => {
                        Value::Array(vec![Value::Null; list.len()])
                    }
                    ("items" | "additionalProperties" | "not", _) => Value::Null,
                    _ => child.clone(),
                };
                (k.clone(), c)
            })
            .collect();
        *dst = Value::Object(copy);
        let Value::Object(copy) = dst else {
            continue;
        };
        for (k, d) in copy.iter_mut() {
            let Some(s) = m.get(k) else { continue };
            match (k.as_str(), s, d) {
                (
                    "properties" | "patternProperties" | "definitions",
                    Value::Object(named),
                    Value::Object(slots),
                ) => {
                    for (n, slot) in slots.iter_mut() {
                        if let Some(child) = named.get(n) {
                            stack.push((child, slot));
                        }
                    }
                }
                (
                    "items" | "allOf" | "anyOf" | "oneOf",
                    Value::Array(list),
                    Value::Array(slots),
                ) => stack.extend(list.iter().zip(slots.iter_mut())),
                ("items" | "additionalProperties" | "not", s, d) => stack.push((s, d)),
                _ => {}
            }
        }
    }
    out
}

/// The `(container, entry)` a local `$ref` points into, if it is a reusable entry.
fn ref_target(reference: &str, v3: bool) -> Option<(String, String)> {
    let tokens = pointer::tokens(reference.strip_prefix('#')?)?;
    if v3 {
        match tokens.as_slice() {
            [c, kind, name, ..] if c == "components" && CONTAINERS_V3.contains(&kind.as_str()) => {
                Some((kind.clone(), name.clone()))
            }
            _ => None,
        }
    } else {
        match tokens.as_slice() {
            [kind, name, ..] if CONTAINERS_V2.contains(&kind.as_str()) => {
                Some((kind.clone(), name.clone()))
            }
            _ => None,
        }
    }
}

fn collect_refs(value: &Value, v3: bool, out: &mut Vec<(String, String)>) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref")
                    && let Some(t) = ref_target(r, v3)
                {
                    out.push(t);
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
}

/// Fills the maps of reusable entries set aside in `deferred` with the entries that something
/// kept refers to, directly or through other entries (each slimmed once; the others are never
/// copied), and removes the maps left empty.
fn prune_unreferenced(doc: &mut Value, v3: bool, mut deferred: Vec<Container<'_>>) {
    let kinds: &[&str] = if v3 { CONTAINERS_V3 } else { CONTAINERS_V2 };
    // What is in `doc` now (the containers are empty) is the part that is always kept.
    let mut queue = Vec::new();
    collect_refs(doc, v3, &mut queue);
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    while let Some(target) = queue.pop() {
        if reached.contains(&target) {
            continue;
        }
        if let Some(c) = deferred.iter_mut().find(|c| c.kind == target.0)
            && let Some((name, entry)) = c.entries.get_key_value(&target.1)
        {
            let copy = (c.slim)(entry);
            collect_refs(&copy, v3, &mut queue);
            c.kept.insert(name.as_str(), copy);
        }
        reached.insert(target);
    }
    // In the order of the kinds' names, as the maps were always put back.
    deferred.sort_by(|a, b| a.kind.cmp(b.kind));
    let taken = deferred.into_iter().map(|mut c| {
        let kept: Map<String, Value> = c
            .entries
            .iter()
            .filter_map(|(name, entry)| match c.kept.remove(name.as_str()) {
                Some(copy) => Some((name.clone(), copy)),
                None if is_aws(name) => Some((name.clone(), (c.slim)(entry))),
                None => None,
            })
            .collect();
        (c.kind.to_string(), kept)
    });
    for (kind, kept) in taken {
        let parent = if v3 {
            &mut doc["components"]
        } else {
            &mut *doc
        };
        let Some(parent) = parent.as_object_mut() else {
            continue;
        };
        if kept.is_empty() {
            parent.remove(&kind);
        } else {
            parent.insert(kind, Value::Object(kept));
        }
    }
    // Empty containers the body does not need.
    if v3 {
        for kind in kinds {
            if let Some(c) = doc.get_mut("components").and_then(Value::as_object_mut)
                && c.get(*kind)
                    .is_some_and(|v| v.as_object().is_some_and(Map::is_empty))
            {
                c.remove(*kind);
            }
        }
        if let Some(obj) = doc.as_object_mut()
            && obj
                .get("components")
                .is_some_and(|c| c.as_object().is_some_and(Map::is_empty))
        {
            obj.remove("components");
        }
    }
}

/// The biggest parts of a body, as `(JSON Pointer, bytes of compact JSON)`, largest first:
/// each path item, each reusable entry, and each other top-level member. Says what takes the
/// space when a body is over API Gateway's size limit.
pub fn largest_parts(body: &Value, n: usize) -> Vec<(String, usize)> {
    let size = |v: &Value| serde_json::to_vec(v).map(|b| b.len()).unwrap_or(0);
    let mut parts: Vec<(String, usize)> = Vec::new();
    let Some(root) = body.as_object() else {
        return parts;
    };
    for (key, value) in root {
        let here = pointer::push("", key);
        let nested: Option<&Map<String, Value>> = match key.as_str() {
            "paths" | "definitions" | "parameters" | "responses" => value.as_object(),
            _ => None,
        };
        if let Some(m) = nested {
            parts.extend(m.iter().map(|(k, v)| (pointer::push(&here, k), size(v))));
        } else if key == "components"
            && let Some(c) = value.as_object()
        {
            for (kind, entries) in c {
                let at = pointer::push(&here, kind);
                match entries.as_object() {
                    Some(m) => {
                        parts.extend(m.iter().map(|(k, v)| (pointer::push(&at, k), size(v))))
                    }
                    None => parts.push((at, size(entries))),
                }
            }
        } else {
            parts.push((here, size(value)));
        }
    }
    parts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    parts.truncate(n);
    parts
}

/// Every resource API Gateway creates for the document's paths under `prefix` (the base path
/// segments the basepath mode puts in front): the root `/`, each path and each of its prefixes,
/// counted once. Its length is what the "Resources per API" quota limits.
///
/// ```
/// let doc = serde_json::json!({"paths": {"/a/b/{id}": {}, "/a/c": {}, "x-tag": {}}});
/// let resources = lambda_sync_compat::resource_paths(&doc, &[]);
/// assert_eq!(resources.iter().collect::<Vec<_>>(), ["/", "/a", "/a/b", "/a/b/{id}", "/a/c"]);
/// ```
pub fn resource_paths(document: &Value, prefix: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.insert("/".to_string());
    let mut current = String::new();
    for p in prefix {
        current.push('/');
        current.push_str(p);
        out.insert(current.clone());
    }
    let base = current;
    if let Some(paths) = document.get("paths").and_then(Value::as_object) {
        for key in paths.keys().filter(|k| !k.starts_with("x-")) {
            let mut at = base.clone();
            for segment in key.split('/').filter(|s| !s.is_empty()) {
                at.push('/');
                at.push_str(segment);
                if !out.contains(&at) {
                    out.insert(at.clone());
                }
            }
        }
    }
    out
}

/// [`slim`] written straight to compact JSON: the same bytes as
/// `serde_json::to_vec(&slim(document))`, without the copy (what is kept is read from
/// `document` as it is written, what is left out is never touched).
///
/// ```
/// let doc = serde_json::json!({
///     "openapi": "3.0.3",
///     "info": {"title": "T", "version": "1", "x-logo": {"url": "l.png"}},
///     "paths": {"/pets": {"get": {"summary": "List", "operationId": "listPets",
///         "responses": {"200": {"description": "ok", "content": {"application/json": {
///             "schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
///     "components": {"schemas": {"Pet": {"type": "object"}, "Unused": {"type": "string"}}}
/// });
/// let bytes = lambda_sync_compat::slim_to_vec(&doc);
/// assert_eq!(bytes, serde_json::to_vec(&lambda_sync_compat::slim(&doc)).unwrap());
/// ```
pub fn slim_to_vec(document: &Value) -> Vec<u8> {
    let Value::Object(root) = document else {
        return serde_json::to_vec(document).expect("a JSON value serialises");
    };
    let v3 = root.contains_key("openapi");
    let mut containers: Vec<Reusable<'_>> = Vec::new();
    let mut root_entries = Vec::new();
    let mut components_entries = Vec::new();
    for (key, value) in root {
        let part = match key.as_str() {
            "swagger" | "openapi" | "host" | "basePath" | "schemes" | "consumes" | "produces"
            | "security" => Part::Verbatim,
            "info" => Part::Info,
            "servers" => Part::Array(&Part::Server),
            "paths" => Part::MapExt(&Part::PathItem),
            "definitions" => reusable(&mut containers, !v3, key, value, &Part::Schema),
            "parameters" => reusable(&mut containers, !v3, key, value, &Part::Parameter),
            "responses" => reusable(&mut containers, !v3, key, value, &Part::Response),
            "securityDefinitions" => Part::Map(&Part::SecurityScheme),
            "components" => match value {
                Value::Object(m) => {
                    for (k, v) in m {
                        let part = match k.as_str() {
                            k if is_aws(k) => Part::Verbatim,
                            "schemas" => reusable(&mut containers, v3, k, v, &Part::Schema),
                            "parameters" | "headers" => {
                                reusable(&mut containers, v3, k, v, &Part::Parameter)
                            }
                            "responses" => reusable(&mut containers, v3, k, v, &Part::Response),
                            "requestBodies" => {
                                reusable(&mut containers, v3, k, v, &Part::RequestBody)
                            }
                            "securitySchemes" => Part::Map(&Part::SecurityScheme),
                            _ => continue,
                        };
                        components_entries.push((k.as_str(), v, part));
                    }
                    Part::Components
                }
                _ => Part::Verbatim,
            },
            k if is_aws(k) => Part::Verbatim,
            _ => continue,
        };
        root_entries.push((key.as_str(), value, part));
    }
    // What is always kept refers to entries of the maps of reusable entries, which refer to
    // others: each one reached is kept (as `prune_unreferenced` finds them).
    let mut queue = Vec::new();
    for (_, value, part) in &root_entries {
        match part {
            Part::Components => {
                for (_, v, p) in &components_entries {
                    part_refs(v, *p, v3, &mut queue);
                }
            }
            p => part_refs(value, *p, v3, &mut queue),
        }
    }
    let mut reached: std::collections::HashSet<Target<'_>> = std::collections::HashSet::new();
    while let Some(target) = queue.pop() {
        if reached.contains(&target) {
            continue;
        }
        if let Some(c) = containers.iter_mut().find(|c| c.kind == target.0)
            && let Some((name, entry)) = c.entries.get_key_value(target.1.as_ref())
        {
            part_refs(entry, *c.elem, v3, &mut queue);
            c.reached.insert(name.as_str());
        }
        reached.insert(target);
    }
    // A map left empty is removed, as `prune_unreferenced` removes it from the copy (in the
    // order of the kinds' names; `serde_json::Map::remove` swaps the last key into its place).
    let mut order: Vec<usize> = (0..containers.len()).collect();
    order.sort_by(|&a, &b| containers[a].kind.cmp(containers[b].kind));
    for i in order {
        let c = &containers[i];
        if c.entries.keys().any(|name| c.keeps(name)) {
            continue;
        }
        let list = if v3 {
            &mut components_entries
        } else {
            &mut root_entries
        };
        if let Some(at) = list.iter().position(|(_, _, p)| *p == Part::Container(i)) {
            list.swap_remove(at);
        }
    }
    if v3
        && components_entries.is_empty()
        && let Some(at) = root_entries
            .iter()
            .position(|(_, _, p)| *p == Part::Components)
    {
        root_entries.swap_remove(at);
    }
    let body = Body {
        root: root_entries,
        components: components_entries,
        containers,
    };
    let mut out = Vec::with_capacity(1 << 16);
    serde::Serialize::serialize(
        &Node {
            value: document,
            part: Part::Root,
            body: &body,
        },
        &mut serde_json::Serializer::new(&mut out),
    )
    .expect("a JSON value serialises");
    out
}

/// What a part of the document is in the slim body: which of its keys are kept, and what each
/// of them is (the functions of [`slim`], as data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Kept as it is.
    Verbatim,
    /// The root (its kept members are listed in [`Body::root`]).
    Root,
    /// `components` (its kept members are listed in [`Body::components`]).
    Components,
    /// A map of reusable entries ([`Body::containers`]): the entries reached, and those named
    /// `x-amazon-apigateway-*`.
    Container(usize),
    /// Each value of a map whose keys are names.
    Map(&'static Part),
    /// Each value of a map that may hold extensions: API Gateway's kept as they are, others'
    /// left out.
    MapExt(&'static Part),
    /// Each item of a list.
    Array(&'static Part),
    Info,
    Server,
    ServerVariable,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Response,
    SecurityScheme,
    Schema,
}

impl Part {
    /// The part a member `key` whose value is `child` of an object of this part is, or `None`
    /// when the member is left out.
    fn member(self, key: &str, child: &Value) -> Option<Part> {
        use Part::*;
        if let Map(e) = self {
            return Some(*e);
        }
        if is_aws(key) {
            return Some(Verbatim);
        }
        let part = match self {
            MapExt(e) => (!key.starts_with("x-")).then_some(*e)?,
            Info => matches!(key, "title" | "version" | "description").then_some(Verbatim)?,
            Server => match key {
                "url" => Verbatim,
                "variables" => Map(&ServerVariable),
                _ => return None,
            },
            ServerVariable => matches!(key, "default" | "enum").then_some(Verbatim)?,
            PathItem => match key {
                "parameters" => Array(&Parameter),
                "$ref" => Verbatim,
                k if OPERATIONS.contains(&k) => Operation,
                _ => return None,
            },
            Operation => match key {
                "parameters" => Array(&Parameter),
                "requestBody" => RequestBody,
                "responses" => MapExt(&Response),
                "operationId" | "security" | "consumes" | "produces" | "schemes" => Verbatim,
                _ => return None,
            },
            Parameter if not_doc_or_extension(key) => match key {
                "schema" | "items" => Schema,
                "content" => Map(&MediaType),
                _ => Verbatim,
            },
            RequestBody if not_doc_or_extension(key) => match key {
                "content" => Map(&MediaType),
                _ => Verbatim,
            },
            MediaType => (key == "schema").then_some(Schema)?,
            Response => match key {
                "$ref" | "description" => Verbatim,
                "schema" => Schema,
                "headers" => Map(&Parameter),
                "content" => Map(&MediaType),
                _ => return None,
            },
            SecurityScheme => {
                (!key.starts_with("x-") && key != "description").then_some(Verbatim)?
            }
            Schema if !SCHEMA_DOCS.contains(&key) && !key.starts_with("x-") => match (key, child) {
                ("properties" | "patternProperties" | "definitions", Value::Object(_)) => {
                    Map(&Schema)
                }
                ("items" | "allOf" | "anyOf" | "oneOf", Value::Array(_)) => Array(&Schema),
                ("items" | "additionalProperties" | "not", _) => Schema,
                _ => Verbatim,
            },
            _ => return None,
        };
        Some(part)
    }

    /// What `value` is when it is of this part: the slim functions keep a value of another
    /// shape than they read as it is.
    fn of(self, value: &Value) -> Part {
        match (self, value) {
            (Part::Array(_), Value::Array(_)) => self,
            (Part::Array(_), _) => Part::Verbatim,
            (Part::Verbatim | Part::Root | Part::Components | Part::Container(_), _) => self,
            (_, Value::Object(_)) => self,
            _ => Part::Verbatim,
        }
    }
}

/// A map of reusable entries of the document, written in part.
struct Reusable<'a> {
    kind: &'a str,
    entries: &'a Map<String, Value>,
    /// What each entry is.
    elem: &'static Part,
    /// The names of the entries something kept refers to.
    reached: std::collections::HashSet<&'a str>,
}

impl Reusable<'_> {
    fn keeps(&self, name: &str) -> bool {
        self.reached.contains(name) || is_aws(name)
    }
}

/// The part a map of reusable entries is: one written in part when `lazy` (and it is a map),
/// otherwise each entry slimmed.
fn reusable<'a>(
    containers: &mut Vec<Reusable<'a>>,
    lazy: bool,
    kind: &'a str,
    value: &'a Value,
    elem: &'static Part,
) -> Part {
    match value {
        Value::Object(entries) if lazy => {
            containers.push(Reusable {
                kind,
                entries,
                elem,
                reached: std::collections::HashSet::new(),
            });
            Part::Container(containers.len() - 1)
        }
        _ => Part::Map(elem),
    }
}

/// The references to reusable entries in what the slim body keeps of `value` (a part of
/// `part`); [`Part::Container`]s hold none yet.
/// A reusable entry a `$ref` points to: `(kind, name)`, borrowed from the document.
type Target<'a> = (&'static str, std::borrow::Cow<'a, str>);

/// [`ref_target`], without copying: the kind is one of the containers' names, the name is
/// borrowed unless it is escaped.
fn ref_target_in(reference: &str, v3: bool) -> Option<Target<'_>> {
    let rest = reference.strip_prefix('#')?.strip_prefix('/')?;
    let mut tokens = rest.split('/');
    // A token that is escaped is never one of these names: comparing it as written is
    // comparing it unescaped.
    if v3 && tokens.next()? != "components" {
        return None;
    }
    let kind = tokens.next()?;
    let name = tokens.next()?;
    let kinds = if v3 { CONTAINERS_V3 } else { CONTAINERS_V2 };
    let kind = kinds.iter().find(|k| **k == kind)?;
    Some((kind, pointer::unescape(name)))
}

/// [`collect_refs`], without copying.
fn collect_refs_in<'a>(value: &'a Value, v3: bool, out: &mut Vec<Target<'a>>) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref")
                    && let Some(t) = ref_target_in(r, v3)
                {
                    out.push(t);
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
}

fn part_refs<'a>(value: &'a Value, part: Part, v3: bool, out: &mut Vec<Target<'a>>) {
    let mut stack = vec![(value, part)];
    while let Some((v, part)) = stack.pop() {
        match (part.of(v), v) {
            (Part::Verbatim, v) => collect_refs_in(v, v3, out),
            (Part::Container(_) | Part::Root | Part::Components, _) => {}
            (Part::Array(e), Value::Array(items)) => stack.extend(items.iter().map(|i| (i, *e))),
            (part, Value::Object(m)) => {
                for (k, child) in m {
                    let Some(p) = part.member(k, child) else {
                        continue;
                    };
                    if k == "$ref"
                        && let Value::String(r) = child
                        && let Some(t) = ref_target_in(r, v3)
                    {
                        out.push(t);
                    }
                    stack.push((child, p));
                }
            }
            _ => {}
        }
    }
}

/// The kept members of the root and of `components`, and the maps of reusable entries.
struct Body<'a> {
    root: Vec<(&'a str, &'a Value, Part)>,
    components: Vec<(&'a str, &'a Value, Part)>,
    containers: Vec<Reusable<'a>>,
}

/// A value of the document written as the slim body has it.
struct Node<'a, 'b> {
    value: &'a Value,
    part: Part,
    body: &'b Body<'a>,
}

impl<'a> serde::Serialize for Node<'a, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let node = |value: &'a Value, part| Node {
            value,
            part,
            body: self.body,
        };
        let members = |list: &[(&str, &'a Value, Part)], serializer: S| {
            let mut map = serializer.serialize_map(Some(list.len()))?;
            for (k, v, p) in list {
                map.serialize_entry(k, &node(v, *p))?;
            }
            map.end()
        };
        match (self.part.of(self.value), self.value) {
            (Part::Verbatim, v) => v.serialize(serializer),
            (Part::Root, _) => members(&self.body.root, serializer),
            (Part::Components, _) => members(&self.body.components, serializer),
            (Part::Container(i), _) => {
                let c = &self.body.containers[i];
                let mut map = serializer.serialize_map(None)?;
                for (name, entry) in c.entries {
                    if c.keeps(name) {
                        map.serialize_entry(name, &node(entry, *c.elem))?;
                    }
                }
                map.end()
            }
            (Part::Array(e), Value::Array(items)) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&node(item, *e))?;
                }
                seq.end()
            }
            (part, Value::Object(m)) => {
                let mut map = serializer.serialize_map(None)?;
                for (k, child) in m {
                    if let Some(p) = part.member(k, child) {
                        map.serialize_entry(k, &node(child, p))?;
                    }
                }
                map.end()
            }
            (_, v) => v.serialize(serializer),
        }
    }
}
