//! The view model: everything a template needs, already made safe for the target language.
//!
//! Templates only paste these values; every piece of text from the definition reaches them as
//! comment text (no line terminators or control characters) or as a string literal.

use lambda_sync_integration::{EventContract, EventField, FieldSource, IntegrationType};
use serde::Serialize;

use crate::ident::{Namer, is_js_property_name};
use crate::runtime::{Family, RuntimeInfo};
use crate::text::{comment_line, comment_lines, string_literal};

/// What the placeholder return value says.
#[doc(hidden)] // Exported for the crate's tests only.
pub const PLACEHOLDER_MESSAGE: &str = "created by lambda-sync";

/// The data a stub template is rendered with.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// The runtime id (`nodejs24.x`).
    pub runtime: String,
    /// Whether this is a Node.js ES module handler.
    pub esm: bool,
    /// The function's name, as comment text.
    pub function_name: String,
    /// The function's name as a string literal.
    pub function_name_literal: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, as comment text.
    pub path: String,
    /// The operation id, as comment text.
    pub operation_id: String,
    /// The summary's comment lines (possibly empty).
    pub summary: Vec<String>,
    /// The description's comment lines (possibly empty).
    pub description: Vec<String>,
    /// `"aws"` or `"aws_proxy"`.
    pub integration: String,
    /// Whether API Gateway calls the function with the proxy event.
    pub proxy: bool,
    /// One entry per event field, in the contract's order.
    pub fields: Vec<FieldView>,
    /// One entry per declared error response.
    pub errors: Vec<ErrorView>,
    /// The status a successful call answers with.
    pub success_status: u16,
    /// Whether the success response has a body (`false` for 204).
    pub has_body: bool,
    /// The placeholder message as a string literal.
    pub message_literal: String,
    /// Whether this is one handler of a grouped function's router (its placeholder answer
    /// also names the operation).
    pub grouped: bool,
    /// The operation id as a string literal.
    pub operation_id_literal: String,
}

/// One event field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    /// The variable name (unique, not reserved, valid in the target language).
    pub ident: String,
    /// The expression that reads the value from `event`.
    pub access: String,
    /// The field's key in the (non-proxy) event, as a string literal.
    pub key_literal: String,
    /// The parameter's name, as a string literal.
    pub name_literal: String,
    /// `"path"`, `"query"`, `"header"` or `"body"`.
    pub source: String,
    /// Whether the definition requires it.
    pub required: bool,
    /// Comment lines: `string: (required) The name that needs to be fetched.` then any further
    /// lines of the description.
    pub comment: Vec<String>,
}

/// One declared error response.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    /// The HTTP status.
    pub status: u16,
    /// Comment lines describing it (`404: Pet not found`).
    pub comment: Vec<String>,
    /// The message prefix API Gateway matches, as a string literal.
    pub prefix_literal: String,
    /// The error message of the example, as a string literal.
    pub message_literal: String,
    /// One line of code that returns this error (shown commented out).
    pub example: String,
}

fn source_name(s: FieldSource) -> &'static str {
    match s {
        FieldSource::Path => "path",
        FieldSource::Query => "query",
        FieldSource::Header => "header",
        FieldSource::Body => "body",
    }
}

fn proxy_container(s: FieldSource) -> Option<&'static str> {
    match s {
        FieldSource::Path => Some("pathParameters"),
        FieldSource::Query => Some("queryStringParameters"),
        FieldSource::Header => Some("headers"),
        FieldSource::Body => None,
    }
}

fn js_member(object: &str, key: &str) -> String {
    if is_js_property_name(key) {
        format!("{object}.{key}")
    } else {
        format!("{object}[{}]", string_literal(key))
    }
}

/// A regular expression (JavaScript and Python agree on it) that cuts a repaired segment into
/// the definition's variables as the request template does: text before and after stripped
/// when present, each variable up to the first occurrence of the text after it.
fn segment_pattern(seg: &lambda_sync_compat::RepairedSegment) -> String {
    use lambda_sync_compat::SegmentPart;
    let esc = |t: &str| -> String {
        let mut o = String::new();
        for c in t.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                o.push(c);
            } else if c.is_ascii() {
                o.push('\\');
                o.push(c);
            } else {
                o.push(c);
            }
        }
        o
    };
    let mut out = String::from("^");
    let n = seg.parts.len();
    for (i, p) in seg.parts.iter().enumerate() {
        match p {
            SegmentPart::Text(t) if i == 0 || i + 1 == n => {
                out.push_str(&format!("(?:{})?", esc(t)));
            }
            SegmentPart::Text(t) => out.push_str(&esc(t)),
            SegmentPart::Variable(_) => out.push_str("([\\s\\S]*?)"),
        }
    }
    out.push('$');
    out
}

/// Which group of [`segment_pattern`] holds `name` (1-based).
fn segment_group(seg: &lambda_sync_compat::RepairedSegment, name: &str) -> usize {
    seg.parts
        .iter()
        .filter_map(|p| match p {
            lambda_sync_compat::SegmentPart::Variable(v) => Some(v.trim_end_matches('+')),
            lambda_sync_compat::SegmentPart::Text(_) => None,
        })
        .position(|v| v == name)
        .map_or(1, |i| i + 1)
}

fn access(family: Family, integration: IntegrationType, field: &EventField) -> String {
    if integration == IntegrationType::AwsProxy
        && let Some(seg) = &field.segment
    {
        // API Gateway knows the repaired variable only: read it, and cut it when the
        // definition's segment had text around or between variables.
        let raw = match family {
            Family::Node => js_member("(event.pathParameters || {})", &seg.variable),
            Family::Python => format!(
                "(event.get(\"pathParameters\") or {{}}).get({})",
                string_literal(&seg.variable)
            ),
        };
        if seg.is_rename() {
            return raw;
        }
        let pattern = string_literal(&segment_pattern(seg));
        let group = segment_group(seg, &field.name);
        return match family {
            Family::Node => {
                format!("((({raw}) || \"\").match(new RegExp({pattern})) || [])[{group}]")
            }
            Family::Python => format!(
                "(lambda m: m.group({group}) if m else None)(__import__(\"re\").match({pattern}, ({raw}) or \"\"))"
            ),
        };
    }
    match (family, integration) {
        (Family::Node, IntegrationType::Aws) => js_member("event", &field.key),
        (Family::Python, IntegrationType::Aws) => {
            format!("event.get({})", string_literal(&field.key))
        }
        (Family::Node, IntegrationType::AwsProxy) => match proxy_container(field.source) {
            Some(c) => js_member(&format!("(event.{c} || {{}})"), &field.name),
            None => "event.body".to_string(),
        },
        (Family::Python, IntegrationType::AwsProxy) => match proxy_container(field.source) {
            Some(c) => format!(
                "(event.get(\"{c}\") or {{}}).get({})",
                string_literal(&field.name)
            ),
            None => "event.get(\"body\")".to_string(),
        },
    }
}

fn field_comment(field: &EventField, proxy: bool) -> Vec<String> {
    let mut ty = field
        .type_name
        .as_deref()
        .map(comment_line)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "any".to_string());
    if let Some(format) = field
        .format
        .as_deref()
        .map(comment_line)
        .filter(|f| !f.is_empty())
    {
        ty = format!("{ty} ({format})");
    }
    if proxy && field.source == FieldSource::Body {
        ty = format!("{ty}, sent as a string");
    }
    let mut desc = field
        .description
        .as_deref()
        .map(comment_lines)
        .unwrap_or_default();
    let mut first = ty;
    if field.required || !desc.is_empty() {
        first.push(':');
    }
    if field.required {
        first.push_str(" (required)");
    }
    if !desc.is_empty() {
        first.push(' ');
        first.push_str(&desc.remove(0));
    }
    let mut lines = vec![first];
    lines.extend(
        desc.into_iter()
            .map(|l| if l.is_empty() { l } else { format!("  {l}") }),
    );
    lines
}

/// Builds the view model of `contract` for `runtime`.
#[doc(hidden)] // Exported (as `view_model`) for the crate's tests only; `render` calls it.
pub fn build(contract: &EventContract, runtime: &RuntimeInfo) -> View {
    let family = runtime.family;
    let proxy = contract.integration == IntegrationType::AwsProxy;
    let mut namer = Namer::new(family);
    let fields = contract
        .fields
        .iter()
        .map(|f| FieldView {
            // Name the variable after the parameter; the key may carry a disambiguating prefix.
            ident: namer.name(if f.source == FieldSource::Body {
                &f.key
            } else {
                &f.name
            }),
            access: access(family, contract.integration, f),
            key_literal: string_literal(&f.key),
            name_literal: string_literal(&f.name),
            source: source_name(f.source).to_string(),
            required: f.required,
            comment: field_comment(f, proxy),
        })
        .collect();
    let errors = contract
        .errors
        .iter()
        .map(|e| {
            let description = e
                .description
                .as_deref()
                .map(comment_line)
                .filter(|d| !d.is_empty());
            let text = e
                .description
                .as_deref()
                .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                .unwrap_or("Error");
            let mut comment = vec![match &description {
                Some(d) => format!("{}: {d}", e.status),
                None => e.status.to_string(),
            }];
            if !proxy {
                comment.push(format!(
                    "API Gateway answers {} when the error message matches {}",
                    e.status,
                    comment_line(&e.selection_pattern)
                ));
            }
            let message = if proxy {
                text.to_string()
            } else {
                format!("{} {text}", e.message_prefix)
            };
            let message_literal = string_literal(&message);
            let example = match (family, proxy) {
                (Family::Node, false) => format!("throw new Error({message_literal});"),
                (Family::Python, false) => format!("raise Exception({message_literal})"),
                (Family::Node, true) => format!(
                    "return {{ statusCode: {}, headers: {{ \"Content-Type\": \"application/json\" }}, body: JSON.stringify({{ message: {message_literal} }}) }};",
                    e.status
                ),
                (Family::Python, true) => format!(
                    "return {{\"statusCode\": {}, \"headers\": {{\"Content-Type\": \"application/json\"}}, \"body\": json.dumps({{\"message\": {message_literal}}})}}",
                    e.status
                ),
            };
            ErrorView {
                status: e.status,
                comment,
                prefix_literal: string_literal(&e.message_prefix),
                message_literal,
                example,
            }
        })
        .collect();
    View {
        runtime: runtime.id.to_string(),
        esm: runtime.node_module() == Some(crate::runtime::NodeModule::Esm),
        function_name: comment_line(&contract.function_name),
        function_name_literal: string_literal(&contract.function_name),
        method: contract.method.as_str().to_ascii_uppercase(),
        path: comment_line(&contract.path),
        operation_id: comment_line(&contract.operation_id),
        summary: contract
            .summary
            .as_deref()
            .map(comment_lines)
            .unwrap_or_default(),
        description: contract
            .description
            .as_deref()
            .map(comment_lines)
            .unwrap_or_default(),
        integration: contract.integration.as_str().to_string(),
        proxy,
        fields,
        errors,
        success_status: contract.success_status,
        has_body: contract.success_status != 204,
        message_literal: string_literal(PLACEHOLDER_MESSAGE),
        grouped: false,
        operation_id_literal: string_literal(&contract.operation_id),
    }
}

/// One operation of a grouped function, as the router sees it.
#[derive(Debug, Clone, Copy)]
pub struct Route<'a> {
    /// The operation's event contract.
    pub contract: &'a EventContract,
    /// The operationId API Gateway reports for the method that reaches it.
    pub called_as: &'a str,
    /// The parameters whose presence selects it among operations that share its method.
    pub discriminators: &'a [lambda_sync_integration::Discriminator],
}

/// The data a router template is rendered with.
#[derive(Debug, Clone, Serialize)]
pub struct RouterView {
    /// The runtime id.
    pub runtime: String,
    /// Whether this is a Node.js ES module handler.
    pub esm: bool,
    /// The function's name, as comment text.
    pub function_name: String,
    /// Whether API Gateway calls the function with the proxy event.
    pub proxy: bool,
    /// How many operations the function serves.
    pub count: usize,
    /// The expression that reads the called operation from `event`.
    pub operation_access: String,
    /// One entry per operation, most specific (most discriminators) first.
    pub routes: Vec<RouteView>,
}

/// One operation of a router.
#[derive(Debug, Clone, Serialize)]
pub struct RouteView {
    /// The handler function's name (unique in the file, not reserved).
    pub handler: String,
    /// The operationId API Gateway reports, as a string literal.
    pub called_as_literal: String,
    /// Expressions that are true when a discriminating parameter is present (all must be).
    pub checks: Vec<String>,
    /// The handler's own view (its parameter variables, errors, placeholder answer).
    pub view: View,
}

/// Builds the view model of a router over `routes` for `runtime`.
pub fn build_router(
    function_name: &str,
    routes: &[Route<'_>],
    runtime: &RuntimeInfo,
) -> RouterView {
    let family = runtime.family;
    let proxy = routes
        .first()
        .is_some_and(|r| r.contract.integration == IntegrationType::AwsProxy);
    let mut namer = Namer::new(family);
    for reserved in [
        "routes",
        "handler",
        "route",
        "operation",
        "lambda_handler",
        "ROUTES",
        "json",
        "handle",
        "matches",
        "called_as",
    ] {
        namer.name(reserved);
    }
    let mut order: Vec<&Route<'_>> = routes.iter().collect();
    order.sort_by_key(|r| std::cmp::Reverse(r.discriminators.len()));
    let routes = order
        .into_iter()
        .map(|r| {
            let mut view = build(r.contract, runtime);
            view.grouped = true;
            let checks = r
                .discriminators
                .iter()
                .map(|d| check(family, proxy, d))
                .collect();
            RouteView {
                handler: namer.name(&format!("handle_{}", r.contract.operation_id)),
                called_as_literal: string_literal(r.called_as),
                checks,
                view,
            }
        })
        .collect::<Vec<_>>();
    let operation_access = match (family, proxy) {
        (Family::Node, false) => js_member("event", lambda_sync_integration::OPERATION_KEY),
        (Family::Python, false) => format!(
            "event.get({})",
            string_literal(lambda_sync_integration::OPERATION_KEY)
        ),
        (Family::Node, true) => "(event.requestContext || {}).operationName".to_string(),
        (Family::Python, true) => {
            "(event.get(\"requestContext\") or {}).get(\"operationName\")".to_string()
        }
    };
    RouterView {
        runtime: runtime.id.to_string(),
        esm: runtime.node_module() == Some(crate::runtime::NodeModule::Esm),
        function_name: comment_line(function_name),
        proxy,
        count: routes.len(),
        operation_access,
        routes,
    }
}

/// An expression that is true when the discriminating parameter `d` was sent.
fn check(family: Family, proxy: bool, d: &lambda_sync_integration::Discriminator) -> String {
    match (family, proxy, d.source) {
        (Family::Node, false, _) => format!("{} != null", js_member("event", &d.key)),
        (Family::Python, false, _) => {
            format!("event.get({}) is not None", string_literal(&d.key))
        }
        (Family::Node, true, FieldSource::Header) => format!(
            "Object.keys(event.headers || {{}}).some((k) => k.toLowerCase() === {})",
            string_literal(&d.name.to_ascii_lowercase())
        ),
        (Family::Python, true, FieldSource::Header) => format!(
            "any(k.lower() == {} for k in (event.get(\"headers\") or {{}}))",
            string_literal(&d.name.to_ascii_lowercase())
        ),
        (Family::Node, true, _) => format!(
            "{} != null",
            js_member("(event.queryStringParameters || {})", &d.name)
        ),
        (Family::Python, true, _) => format!(
            "(event.get(\"queryStringParameters\") or {{}}).get({}) is not None",
            string_literal(&d.name)
        ),
    }
}
