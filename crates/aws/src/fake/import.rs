//! Reading an OpenAPI 2.0 / 3.0 definition the way API Gateway's importer does.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{BasePathMode, Error, GatewayMethod, Integration, IntegrationResponse, Result};

/// What an import or put would produce, before anything is stored.
#[derive(Debug)]
pub(crate) struct ParsedApi {
    pub name: String,
    pub description: Option<String>,
    pub version: Option<String>,
    /// Every resource path (root and intermediate ones included) with its methods.
    pub resources: BTreeMap<String, BTreeMap<String, GatewayMethod>>,
    pub warnings: Vec<String>,
    pub definition: Value,
}

const OPERATIONS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("put", "PUT"),
    ("post", "POST"),
    ("delete", "DELETE"),
    ("options", "OPTIONS"),
    ("head", "HEAD"),
    ("patch", "PATCH"),
    ("x-amazon-apigateway-any-method", "ANY"),
];

/// Parses the body (JSON or YAML) into a JSON value.
pub(crate) fn parse_body(body: &[u8]) -> Result<Value> {
    let text = std::str::from_utf8(body)
        .map_err(|e| Error::invalid(format!("Invalid OpenAPI input: not UTF-8: {e}")))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(Error::invalid("Invalid OpenAPI input: the body is empty"));
    }
    let value: Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text)
            .map_err(|e| Error::invalid(format!("Invalid OpenAPI input: JSON: {e}")))?
    } else {
        serde_yaml::from_str(text)
            .map_err(|e| Error::invalid(format!("Invalid OpenAPI input: YAML: {e}")))?
    };
    if !value.is_object() {
        return Err(Error::invalid(
            "Invalid OpenAPI input: the definition is not an object",
        ));
    }
    Ok(value)
}

#[derive(Clone, Copy, PartialEq)]
enum Version {
    Swagger2,
    OpenApi3,
}

fn version_of(doc: &Value) -> Result<Version> {
    match doc.get("swagger") {
        Some(Value::String(s)) if s == "2.0" => return Ok(Version::Swagger2),
        Some(Value::Number(n)) if n.as_f64() == Some(2.0) => return Ok(Version::Swagger2),
        Some(other) => {
            return Err(Error::invalid(format!(
                "Invalid OpenAPI input: unsupported swagger version {other}"
            )));
        }
        None => {}
    }
    match doc.get("openapi") {
        Some(Value::String(s)) if s.starts_with("3.0") => Ok(Version::OpenApi3),
        Some(other) => Err(Error::invalid(format!(
            "Invalid OpenAPI input: unsupported openapi version {other} (API Gateway imports 2.0 and 3.0)"
        ))),
        None => Err(Error::invalid(
            "Invalid OpenAPI input: neither `swagger: \"2.0\"` nor `openapi: 3.0.x` is present",
        )),
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn join(segments: &[String]) -> String {
    if segments.is_empty() {
        "/".to_string()
    } else {
        format!("/{}", segments.join("/"))
    }
}

/// The path API Gateway gives the resource of `path` when `definition` is imported with the
/// base path mode `basepath`: `ignore` drops the base path, `prepend` puts it in front, `split`
/// puts all but its first segment in front. The base path is `basePath` (Swagger 2.0) or the
/// path of `servers[0].url` with its variables at their defaults (OpenAPI 3.0).
///
/// ```
/// use lambda_sync_aws::{BasePathMode, resource_path};
/// let doc = serde_json::json!({"swagger": "2.0", "basePath": "/v2/beta", "paths": {}});
/// assert_eq!(resource_path(&doc, BasePathMode::Ignore, "/pet/{petId}"), "/pet/{petId}");
/// assert_eq!(resource_path(&doc, BasePathMode::Prepend, "/pet/{petId}"), "/v2/beta/pet/{petId}");
/// assert_eq!(resource_path(&doc, BasePathMode::Split, "/pet/{petId}"), "/beta/pet/{petId}");
/// ```
pub fn resource_path(definition: &Value, basepath: BasePathMode, path: &str) -> String {
    let base = lambda_sync_spec::base_path_segments(definition);
    let mut full: Vec<String> = match basepath {
        BasePathMode::Ignore => Vec::new(),
        BasePathMode::Prepend => base,
        BasePathMode::Split => base.get(1..).map(<[String]>::to_vec).unwrap_or_default(),
    };
    full.extend(segments(path));
    join(&full)
}

fn valid_path_part(part: &str) -> bool {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | ','))
    };
    if let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        let inner = inner.strip_suffix('+').unwrap_or(inner);
        plain(inner)
    } else {
        plain(part)
    }
}

fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..16 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => match doc.pointer(&r[1..]) {
                Some(target) => current = target,
                None => return current,
            },
            _ => return current,
        }
    }
    current
}

fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn integration(value: &Value, where_: &str) -> Result<Integration> {
    let integration_type = value
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase)
        .ok_or_else(|| {
            Error::invalid(format!(
                "Errors found during import: Unable to put integration on {where_}: Invalid integration type"
            ))
        })?;
    if !matches!(
        integration_type.as_str(),
        "AWS" | "AWS_PROXY" | "HTTP" | "HTTP_PROXY" | "MOCK"
    ) {
        return Err(Error::invalid(format!(
            "Errors found during import: Unable to put integration on {where_}: Invalid integration type {integration_type}"
        )));
    }
    if let Some(timeout) = value.get("timeoutInMillis") {
        let ms = timeout
            .as_u64()
            .or_else(|| timeout.as_str().and_then(|t| t.parse().ok()));
        let (min, max) = (
            crate::limits::MIN_INTEGRATION_TIMEOUT_MS,
            crate::limits::MAX_INTEGRATION_TIMEOUT_MS,
        );
        if !ms.is_some_and(|ms| (min..=max).contains(&ms)) {
            return Err(Error::invalid(format!(
                "Errors found during import: Unable to put integration on {where_}: Timeout should be between {min} ms and {max} ms"
            )));
        }
    }
    let uri = value.get("uri").and_then(Value::as_str);
    let lambda = matches!(integration_type.as_str(), "AWS" | "AWS_PROXY")
        && uri.is_some_and(|u| u.contains(":lambda:path/") && u.contains("/functions/"));
    let http_method = value.get("httpMethod").and_then(Value::as_str);
    if lambda && !http_method.is_some_and(|m| m.eq_ignore_ascii_case("POST")) {
        return Err(Error::invalid(format!(
            "Errors found during import: Unable to put integration on {where_}: Lambda function integrations must use the POST HTTP method (httpMethod is {})",
            http_method.unwrap_or("missing")
        )));
    }
    let mut integration_responses = BTreeMap::new();
    if let Some(responses) = value.get("responses").and_then(Value::as_object) {
        for (pattern, response) in responses {
            let status_code = match response.get("statusCode") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    return Err(Error::invalid(format!(
                        "Errors found during import: Unable to put integration response on {where_} for pattern '{pattern}': statusCode is required"
                    )));
                }
            };
            integration_responses.insert(
                status_code.clone(),
                IntegrationResponse {
                    status_code,
                    selection_pattern: (pattern != "default").then(|| pattern.clone()),
                    response_templates: string_map(response.get("responseTemplates")),
                },
            );
        }
    }
    Ok(Integration {
        integration_type,
        uri: value.get("uri").and_then(Value::as_str).map(str::to_string),
        http_method: value
            .get("httpMethod")
            .and_then(Value::as_str)
            .map(str::to_ascii_uppercase),
        passthrough_behavior: value
            .get("passthroughBehavior")
            .and_then(Value::as_str)
            .map(str::to_ascii_uppercase),
        request_templates: string_map(value.get("requestTemplates")),
        integration_responses,
    })
}

fn is_status_range(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 3 && (b'1'..=b'5').contains(&b[0]) && b[1..].eq_ignore_ascii_case(b"XX")
}

fn is_status(code: &str) -> bool {
    code.len() == 3
        && code.bytes().all(|b| b.is_ascii_digit())
        && (b'1'..=b'5').contains(&code.as_bytes()[0])
}

#[allow(clippy::too_many_arguments)]
fn method(
    doc: &Value,
    version: Version,
    path: &str,
    http_method: &str,
    operation: &Value,
    path_parameters: &[Value],
    warnings: &mut Vec<String>,
) -> Result<GatewayMethod> {
    let where_ = format!("'{http_method}' for resource at path '{path}'");
    // Path-level parameters, overridden by operation-level ones with the same name and place.
    let mut parameters: Vec<&Value> = Vec::new();
    let op_parameters: Vec<&Value> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|p| resolve(doc, p)).collect())
        .unwrap_or_default();
    let key = |p: &Value| {
        (
            p.get("name").and_then(Value::as_str).map(str::to_string),
            p.get("in").and_then(Value::as_str).map(str::to_string),
        )
    };
    for p in path_parameters {
        let p = resolve(doc, p);
        if !op_parameters.iter().any(|o| key(o) == key(p)) {
            parameters.push(p);
        }
    }
    parameters.extend(op_parameters);

    let mut request_parameters = BTreeMap::new();
    for p in parameters {
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        match p.get("in").and_then(Value::as_str).unwrap_or_default() {
            "path" => {
                request_parameters.insert(format!("method.request.path.{name}"), true);
            }
            "query" => {
                request_parameters.insert(format!("method.request.querystring.{name}"), required);
            }
            "header" => {
                request_parameters.insert(format!("method.request.header.{name}"), required);
            }
            "formData" if version == Version::Swagger2 => warnings.push(format!(
                "Parameter '{name}' of {where_}: formData parameters are not supported, ignoring"
            )),
            "cookie" => warnings.push(format!(
                "Parameter '{name}' of {where_}: cookie parameters are not supported, ignoring"
            )),
            _ => {}
        }
    }

    let mut statuses = BTreeSet::new();
    let mut has_default = false;
    if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
        for code in responses.keys() {
            if code.starts_with("x-") {
                continue;
            }
            if code == "default" {
                has_default = true;
            } else if is_status(code) {
                statuses.insert(code.clone());
            } else if is_status_range(code) {
                warnings.push(format!(
                    "Response '{code}' of {where_}: status code ranges are not supported, ignoring"
                ));
            } else {
                warnings.push(format!(
                    "Response '{code}' of {where_}: not a valid status code, ignoring"
                ));
            }
        }
    }
    if has_default {
        if statuses.contains("200") {
            warnings.push(format!(
                "Response 'default' of {where_}: ignored because a 200 response is defined"
            ));
        } else {
            statuses.insert("200".to_string());
        }
    }

    let integration = match operation.get("x-amazon-apigateway-integration") {
        Some(value) => Some(integration(resolve(doc, value), &where_)?),
        None => None,
    };
    Ok(GatewayMethod {
        http_method: http_method.to_string(),
        operation_name: operation
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string),
        request_parameters,
        method_responses: statuses.into_iter().collect(),
        integration,
    })
}

/// Refuses two different variable path parts among the children of one resource (on a merge,
/// the existing resources count), as API Gateway does.
pub(crate) fn check_sibling_variables<'a>(paths: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut variable_child: BTreeMap<String, String> = BTreeMap::new();
    for path in paths {
        let parts = segments(path);
        for (i, part) in parts.iter().enumerate() {
            if !part.starts_with('{') {
                continue;
            }
            let parent = join(&parts[..i]);
            match variable_child.get(&parent) {
                Some(existing) if existing != part => {
                    return Err(Error::invalid(format!(
                        "Errors found during import: A sibling ({existing}) of this resource ({part}) already has a variable path part -- only one is allowed"
                    )));
                }
                Some(_) => {}
                None => {
                    variable_child.insert(parent, part.clone());
                }
            }
        }
    }
    Ok(())
}

/// Reads `body` as API Gateway's importer would with the given base path mode.
pub(crate) fn parse(body: &[u8], basepath: BasePathMode) -> Result<ParsedApi> {
    let doc = parse_body(body)?;
    let version = version_of(&doc)?;
    let info = doc.get("info").and_then(Value::as_object);
    let name = info
        .and_then(|i| i.get("title"))
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            Error::invalid("Invalid OpenAPI input: info.title is required (it names the API)")
        })?
        .to_string();
    let text = |key: &str| {
        info.and_then(|i| i.get(key)).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let description = text("description");
    let version_text = text("version");

    let base = lambda_sync_spec::base_path_segments(&doc);
    let prefix: &[String] = match basepath {
        BasePathMode::Ignore => &[],
        BasePathMode::Prepend => &base,
        BasePathMode::Split => base.get(1..).unwrap_or(&[]),
    };

    let mut warnings = Vec::new();
    let mut resources: BTreeMap<String, BTreeMap<String, GatewayMethod>> = BTreeMap::new();
    resources.insert("/".to_string(), BTreeMap::new());
    // Children of each resource, to refuse two different variables among siblings.
    let mut variable_child: BTreeMap<String, String> = BTreeMap::new();

    let paths = doc.get("paths").and_then(Value::as_object);
    for (raw_path, item) in paths.into_iter().flatten() {
        // Specification extensions are not paths; the importer ignores the ones it does not know.
        if raw_path.starts_with("x-") {
            continue;
        }
        let mut full: Vec<String> = prefix.to_vec();
        full.extend(segments(raw_path));
        for (i, part) in full.iter().enumerate() {
            if !valid_path_part(part) {
                return Err(Error::invalid(format!(
                    "Errors found during import: Resource name '{part}' in path '{raw_path}' is invalid: only a-zA-Z0-9._-:, and curly braces at the beginning and the end with an optional plus sign before the closing brace are allowed"
                )));
            }
            if part.ends_with("+}") && i + 1 != full.len() {
                return Err(Error::invalid(format!(
                    "Errors found during import: A greedy path variable ({part}) must be the last part of the path '{raw_path}'"
                )));
            }
            let parent = join(&full[..i]);
            if part.starts_with('{') {
                match variable_child.get(&parent) {
                    Some(existing) if existing != part => {
                        return Err(Error::invalid(format!(
                            "Errors found during import: A sibling ({existing}) of this resource ({part}) already has a variable path part -- only one is allowed"
                        )));
                    }
                    Some(_) => {}
                    None => {
                        variable_child.insert(parent, part.clone());
                    }
                }
            }
            resources.entry(join(&full[..=i])).or_default();
        }
        let path = join(&full);
        let item = resolve(&doc, item);
        let Some(item) = item.as_object() else {
            continue;
        };
        let path_parameters: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if item.contains_key("trace") {
            warnings.push(format!(
                "Method 'TRACE' for resource at path '{path}': TRACE is not supported by API Gateway, ignoring"
            ));
        }
        for (key, http_method) in OPERATIONS {
            if let Some(operation) = item.get(*key) {
                let m = method(
                    &doc,
                    version,
                    &path,
                    http_method,
                    operation,
                    &path_parameters,
                    &mut warnings,
                )?;
                resources
                    .get_mut(&path)
                    .expect("resource inserted above")
                    .insert(http_method.to_string(), m);
            }
        }
    }
    Ok(ParsedApi {
        name,
        description,
        version: version_text,
        resources,
        warnings,
        definition: doc,
    })
}
