//! The catalogue of API Gateway import rules.

use crate::error::{Error, Result};
use lambda_sync_spec::Severity;

/// One API Gateway import rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable kebab-case id (used in diagnostics, changes and `--disable`).
    pub id: &'static str,
    /// Error: the import fails or loses meaning. Warning: AWS ignores or changes something.
    /// Info: worth knowing, nothing is lost at import.
    pub severity: Severity,
    /// One line: what the rule finds.
    pub title: &'static str,
    /// What AWS does with it, and why it matters.
    pub rationale: &'static str,
    /// How to fix it by hand, when there is a way.
    pub fix: Option<&'static str>,
    /// Whether [`transform`](crate::transform) fixes it.
    pub fixable: bool,
    /// Where the rule comes from.
    pub source: &'static str,
}

const AWS_NOTES: &str = "AWS: Amazon API Gateway important notes for REST APIs (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis)";
const REF_LIMITS: &str = "lambda-sync reference (Lambda Sync), \"Limitations\"";
const AWS_IMPORT: &str = "AWS: Develop REST APIs using OpenAPI in API Gateway (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html): OpenAPI 2.0 and 3.0 only";

macro_rules! rule {
    ($id:literal, $sev:ident, $fixable:literal, $title:literal, $rationale:literal, $fix:expr, $source:expr) => {
        Rule {
            id: $id,
            severity: Severity::$sev,
            title: $title,
            rationale: $rationale,
            fix: $fix,
            fixable: $fixable,
            source: $source,
        }
    };
}

static RULES: &[Rule] = &[
    rule!(
        "example",
        Error,
        true,
        "`example`/`examples` in schemas, parameters, headers, media types and responses",
        "API Gateway models are JSON Schema draft 4, which has no `example`; AWS lists the `example` tag as not supported and rejects models that use it (\"Unsupported keyword(s)\").",
        Some(
            "Move the examples into documentation, or let compat wrap them under `x-disabled-for-amazon-gateway`."
        ),
        "AWS: important notes for REST APIs, \"The example tag is not supported\"; import error \"Invalid model schema specified. Unsupported keyword(s): [\\\"example\\\"]\" (github.com/awslabs/aws-api-gateway-developer-portal issue 571); lambda-sync reference, \"Update definition with extensions\" (disabling `example`)"
    ),
    rule!(
        "read-only",
        Error,
        true,
        "`readOnly` in a schema",
        "AWS lists the `readOnly` field as not supported in models.",
        Some("Remove `readOnly`, or let compat wrap it."),
        "AWS: important notes for REST APIs, \"The readOnly field is not supported\"; lambda-sync reference, \"Update definition with extensions\" (disabling `readOnly`)"
    ),
    rule!(
        "discriminator",
        Error,
        true,
        "`discriminator` in a schema",
        "AWS does not support `discriminator` in any schema object.",
        Some(
            "Remove `discriminator` (the `allOf`/`oneOf` structure stays), or let compat wrap it."
        ),
        "AWS: important notes for REST APIs, \"The discriminator parameter is not supported in any schema object\""
    ),
    rule!(
        "exclusive-bound-boolean",
        Error,
        true,
        "`exclusiveMinimum`/`exclusiveMaximum` in a schema",
        "AWS does not support `exclusiveMinimum` (nor its twin `exclusiveMaximum`), not even in the boolean draft-4 form that OpenAPI 2.0/3.0 use; the bound becomes inclusive once they are wrapped.",
        Some(
            "Use an inclusive `minimum`/`maximum` (for integers, add or subtract one), or let compat wrap the flag."
        ),
        "AWS: important notes for REST APIs, \"exclusiveMinimum is not supported by API Gateway\""
    ),
    rule!(
        "number-integer-format",
        Error,
        true,
        "`format: int32`/`int64` on `type: number`",
        "AWS does not support numbers of the Int32 or Int64 format.",
        Some("Use `type: integer` with that format, or drop the format; compat wraps the format."),
        "AWS: important notes for REST APIs, \"Numbers of the Int32 or Int64 type are not supported\""
    ),
    rule!(
        "decimal-format",
        Error,
        true,
        "`format: decimal` in a schema",
        "AWS does not support the decimal number format in a schema definition.",
        Some("Use `type: number` without a format (or `format: double`); compat wraps the format."),
        "AWS: important notes for REST APIs, \"Decimal number format type is not supported in a schema definition\""
    ),
    rule!(
        "xml",
        Error,
        true,
        "`xml` objects in schemas",
        "API Gateway models are JSON Schema draft 4 and have no `xml` keyword; Lambda Sync removes `xml` keys before import.",
        Some(
            "Remove `xml`; compat moves it under `x-disabled-for-amazon-gateway` so nothing is lost."
        ),
        "lambda-sync reference, \"Update definition with extensions\" (removing `xml` keys); AWS: important notes for REST APIs (models are JSON Schema draft 4)"
    ),
    rule!(
        "model-name",
        Error,
        true,
        "model (definition / `components.schemas`) names that are not alphanumeric",
        "API Gateway creates one model per named schema and refuses names that are not alphanumeric (\"Model name must be alphanumeric\"): the whole import fails.",
        Some(
            "Rename the schema to letters and digits only and update every `$ref`; compat does both and records the original name."
        ),
        "AWS: important notes for REST APIs, \"Model names can only contain alphanumeric characters\"; lambda-sync reference, \"Update definition with extensions\" (simplifying model definition names)"
    ),
    rule!(
        "circular-ref",
        Error,
        true,
        "models that refer to themselves, directly or through other models",
        "API Gateway cannot import models with circular references.",
        Some(
            "Replace one reference of each cycle by an inline `type: object`; compat breaks each cycle at one deterministic reference and keeps the original `$ref` under the wrapper."
        ),
        "lambda-sync reference, \"Limitations\": \"Models with circular references are not supported\""
    ),
    rule!(
        "response-ref",
        Warning,
        true,
        "a response that is a `$ref` to a response defined at the document root",
        "AWS does not support response definitions of the `\"500\": {\"$ref\": \"#/responses/UnexpectedError\"}` form.",
        Some(
            "Replace the reference by the response itself; compat inlines it and keeps the `$ref` under the wrapper."
        ),
        "AWS: important notes for REST APIs, \"Response definitions of the \\\"500\\\": {\\\"$ref\\\": ...} form is not supported\""
    ),
    rule!(
        "default-response",
        Warning,
        false,
        "`default` responses",
        "AWS imports a `default` response as a 200 response, unless the operation also has a 200 response; then the `default` response is ignored.",
        Some("List the status codes explicitly."),
        REF_LIMITS
    ),
    rule!(
        "ignored-default-response",
        Warning,
        true,
        "`default` responses next to a 200 response",
        "AWS ignores a `default` response when the operation also has a 200 response (and may warn about it on import).",
        Some(
            "List the status codes explicitly; compat moves the ignored `default` response under the wrapper."
        ),
        REF_LIMITS
    ),
    rule!(
        "form-data-parameter",
        Warning,
        true,
        "Swagger 2.0 `in: formData` parameters",
        "AWS does not support form parameters and ignores them.",
        Some(
            "Describe the form as a request body model, or let compat wrap the parameter (its whole body is kept under the wrapper)."
        ),
        REF_LIMITS
    ),
    rule!(
        "cookie-parameter",
        Warning,
        true,
        "OpenAPI 3 `in: cookie` parameters",
        "AWS does not support cookie parameters and ignores them.",
        Some("Read the `Cookie` header instead, or let compat wrap the parameter."),
        REF_LIMITS
    ),
    rule!(
        "response-code-range",
        Warning,
        true,
        "response code ranges (`4XX`)",
        "AWS does not support response code ranges.",
        Some(
            "List the specific codes (for `4XX`, e.g. 400, 401, 403, 404); compat wraps the range."
        ),
        REF_LIMITS
    ),
    rule!(
        "trace-operation",
        Warning,
        true,
        "TRACE operations",
        "AWS does not support TRACE operation definitions.",
        Some(
            "Handle TRACE with the `x-amazon-apigateway-any-method` extension; compat wraps the operation."
        ),
        REF_LIMITS
    ),
    rule!(
        "parameter-name",
        Error,
        true,
        "query and header parameter names outside `A-Z a-z 0-9 - . _ $` (`filter[status]`, `StartTime<`)",
        "API Gateway refuses request parameter names with other characters, so the import fails.",
        Some(
            "Rename the parameter (for `filter[status]`, e.g. `filter.status`), or let compat repair it: the parameter is left out of the method's request parameters (kept under the wrapper) and the request template reads it by its real name from `$input.params().querystring` / `.header`, so the function still receives it."
        ),
        REF_LIMITS
    ),
    rule!(
        "path-segment",
        Error,
        false,
        "path keys API Gateway cannot turn into resources (and no repair applies)",
        "A path segment may only contain letters, digits, `-`, `.`, `_`, `:` and `,`, or be one whole `{parameter}` (`{proxy+}` greedy, last); other characters, an empty segment, or a path that a repair would make equal to another one make the import fail.",
        Some(
            "Make each path parameter a whole segment (`/{Sid}.json` → `/{Sid}`), drop query strings and trailing slashes; the repairs `path-fragment`, `trailing-slash` and `mixed-path-segment` do this when they can."
        ),
        AWS_NOTES
    ),
    rule!(
        "path-fragment",
        Error,
        true,
        "a `#fragment` or `?query` in a path key (`/{Bucket}#acl`, S3-style definitions)",
        "API Gateway refuses `#` and `?` in a resource path, so the import fails.",
        Some(
            "Drop the `#...`/`?...` part; compat does it when no other path takes the result (the original key is kept in the path item's wrapper, `x-original-path`)."
        ),
        AWS_NOTES
    ),
    rule!(
        "indistinguishable-operation",
        Warning,
        true,
        "operations API Gateway cannot tell apart (the same method and path once a `#fragment` or query discriminator is removed)",
        "API Gateway routes by method and resource path only: two operations that differ by a fragment or a query discriminator cannot both exist.",
        Some(
            "Give the operations distinct paths, or let compat merge method by method: an operation whose method is free on the path that took its repaired path moves there (a copy; the path item stays under the wrapper of `paths`), and only one whose method is taken is left out (the rest of the API is pushed)."
        ),
        AWS_NOTES
    ),
    rule!(
        "trailing-slash",
        Error,
        true,
        "a path key that ends with `/` (`/api/`)",
        "API Gateway refuses a resource path with an empty last segment, so the import fails.",
        Some(
            "Drop the trailing slash; compat does it when no other path takes the result (else a `path-segment` error names both paths)."
        ),
        AWS_NOTES
    ),
    rule!(
        "mixed-path-segment",
        Error,
        true,
        "a path segment that mixes a variable with text (`{Sid}.json`, `{base}...{head}`, `v{version}`)",
        "A path parameter must be a whole segment in API Gateway, so the import fails.",
        Some(
            "Make each variable a whole segment, or let compat make the whole segment one variable; the request template then extracts each original variable (text before and after stripped, cut at the literal separators), so the function still receives them by their names."
        ),
        AWS_NOTES
    ),
    rule!(
        "path-variable-conflict",
        Error,
        true,
        "two names for the path variable at one position (`/fees/{id}` and `/fees/{fee}/refunds`)",
        "API Gateway's resource tree allows one variable child per resource; paths that name it differently make the import fail with \"A sibling ({fee}) of this resource ({id}) already has a variable path part -- only one is allowed\".",
        Some(
            "Use the same variable name at that position in every path (and rename the `in: path` parameters to match), or let compat do it: names are chosen from the root down, never one an enclosing variable took and preferably not one used deeper in the same paths, then the most used (ties by document order; a fresh `name_2` when every name is taken above); the original is kept, and the request template maps the variable back so the function still receives its own name."
        ),
        "AWS: ImportRestApi error \"A sibling (...) of this resource (...) already has a variable path part -- only one is allowed\""
    ),
    rule!(
        "literal-segment",
        Error,
        true,
        "a literal path segment with characters API Gateway refuses (`$count`, `delta()`, `(ref`)",
        "A path segment may only contain letters, digits, `-`, `.`, `_`, `:` and `,`, so the import fails.",
        Some(
            "Rename the segment, or let compat push it without the refused characters (`$count` → `count`, `delta()` → `delta`; a segment with none left becomes `x` and the hex of its bytes): the URL on API Gateway (and in `serve`) is then the repaired one, which the warning names; the original key is kept in the path item's wrapper (`x-original-path`); a repaired path that another one takes is merged method by method like `path-fragment`."
        ),
        AWS_NOTES
    ),
    rule!(
        "root-security",
        Warning,
        false,
        "root-level `security` that some operations rely on",
        "API Gateway does not use root-level security: operations without their own `security` are imported unprotected.",
        Some("Repeat the requirement in every operation's `security`."),
        "AWS: important notes for REST APIs, \"API Gateway doesn't use root level security defined in the OpenAPI specification\""
    ),
    rule!(
        "security-scheme-type",
        Warning,
        false,
        "security schemes whose type is not `apiKey`",
        "The security scheme type, if used, must be `apiKey`; OAuth 2 and HTTP Basic need a Lambda authorizer configured with the `x-amazon-apigateway-authorizer` extension.",
        Some(
            "Add `x-amazon-apigateway-authorizer` (a Lambda authorizer) or use an `apiKey` scheme."
        ),
        "AWS: important notes for REST APIs, \"The securitySchemes type, if used, must be apiKey\""
    ),
    rule!(
        "non-object-response-schema",
        Warning,
        false,
        "inline response schemas of a primitive type",
        "In method responses the schema must be of an object type; an inline `{\"type\": \"string\"}` is not supported.",
        Some("Move the schema into a named model and `$ref` it (AWS's own workaround)."),
        "AWS: important notes for REST APIs, \"In method responses, schema definition must be of an object type\""
    ),
    rule!(
        "one-of-v2",
        Warning,
        true,
        "`oneOf`/`anyOf` in a Swagger 2.0 definition",
        "Swagger 2.0 has no `oneOf`/`anyOf`, and AWS lists `oneOf` as not supported: the model does not mean what the author intended, and the file is not valid Swagger 2.0.",
        Some(
            "Use `allOf` or separate operations, or move to OpenAPI 3.0; compat wraps the keyword (the alternatives are then not checked)."
        ),
        "AWS: important notes for REST APIs, \"oneOf is not supported by API Gateway\"; Swagger 2.0 Schema Object"
    ),
    rule!(
        "one-of-any-of",
        Info,
        false,
        "`oneOf`/`anyOf` in OpenAPI 3 models",
        "AWS lists `oneOf` and `anyOf` as not supported in models; the import accepts them, but request validation may not behave as the definition says.",
        None,
        AWS_NOTES
    ),
    rule!(
        "additional-properties",
        Info,
        false,
        "`additionalProperties` in models",
        "AWS lists `additionalProperties` as not supported in models; request validation may ignore it.",
        None,
        AWS_NOTES
    ),
    rule!(
        "openapi-31",
        Error,
        true,
        "OpenAPI 3.1 definitions",
        "API Gateway imports OpenAPI 2.0 and 3.0 only. compat lowers 3.1 to 3.0.3 where the meaning is kept: `type: [x, \"null\"]` → `type: x` + `nullable: true`, `const` → one-value `enum`, `examples` → `example`, numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` (inclusive, see `exclusive-bound-boolean`), several types → `anyOf`; `$schema`, `$id`, `$comment`, `webhooks`, `jsonSchemaDialect`, `components.pathItems`, `info.summary`, `license.identifier` are wrapped; an operation without `responses` gets a `200` response (3.0 requires one).",
        Some("Write the definition as OpenAPI 3.0.3, or let compat lower it."),
        AWS_IMPORT
    ),
    rule!(
        "openapi-31-feature",
        Warning,
        true,
        "OpenAPI 3.1 / JSON Schema 2020-12 features that OpenAPI 3.0 cannot express",
        "Keywords such as `if`/`then`/`else`, `prefixItems`, `patternProperties`, `dependentSchemas`, `unevaluatedProperties`, `$defs` or `type: \"null\"` have no 3.0 equivalent: compat wraps them so the document is valid 3.0, and their meaning is lost at import.",
        Some("Rewrite the schema with 3.0 keywords."),
        AWS_IMPORT
    ),
];

/// Every rule, in catalogue order.
///
/// ```
/// let ids: Vec<&str> = lambda_sync_compat::rules().iter().map(|r| r.id).collect();
/// assert!(ids.contains(&"model-name"));
/// ```
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Whether a finding blocks a push with these options: an error that compat does not fix
/// (repairs are not made in strict mode).
///
/// ```
/// use lambda_sync_compat::{blocks_push, CompatOptions};
/// use lambda_sync_spec::{Diagnostic, Severity};
/// let d = Diagnostic::new("trailing-slash", Severity::Error, "/paths/~1api~1", "");
/// assert!(!blocks_push(&d, &CompatOptions::default()));
/// assert!(blocks_push(&d, &CompatOptions::default().with_strict(true)));
/// ```
pub fn blocks_push(d: &lambda_sync_spec::Diagnostic, options: &crate::CompatOptions) -> bool {
    if !d.is_error() {
        return false;
    }
    match rule(&d.rule) {
        Some(r) if r.fixable => options.strict() && crate::repair::REPAIR_RULES.contains(&r.id),
        _ => true,
    }
}

pub(crate) fn severity(id: &str) -> Severity {
    rule(id).map_or(Severity::Warning, |r| r.severity)
}

/// Checks that every id names a rule; the error names the first unknown id and lists the valid
/// ones.
///
/// ```
/// assert!(lambda_sync_compat::validate_rule_ids(&["example".to_string()]).is_ok());
/// let err = lambda_sync_compat::validate_rule_ids(&["exmaple".to_string()]).unwrap_err();
/// assert!(err.to_string().contains("exmaple"));
/// ```
pub fn validate_rule_ids(ids: &[String]) -> Result<()> {
    for id in ids {
        if rule(id).is_none() {
            return Err(Error::UnknownRule {
                id: id.clone(),
                valid: RULES.iter().map(|r| r.id).collect(),
            });
        }
    }
    Ok(())
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The catalogue as a Markdown document (committed as `crates/compat/RULES.md`).
pub fn rules_markdown() -> String {
    let mut out = String::new();
    out.push_str("# API Gateway compatibility rules\n\n");
    out.push_str(
        "Generated by `lambda_sync_compat::rules_markdown()`; do not edit by hand (a test checks that this file is up to date).\n\n",
    );
    out.push_str(
        "Severity: **error** = the import fails or loses meaning; **warning** = AWS ignores or changes something; **info** = worth knowing. \"Fixed by compat\" rules are rewritten by `lambda-sync compat` in a way `restore` can undo: what is disabled moves under `x-disabled-for-amazon-gateway` in the same object. Any rule can be switched off by id.\n\n",
    );
    out.push_str("| id | severity | fixed by compat | finds | what AWS does | fix | source |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            r.id,
            r.severity,
            if r.fixable { "yes" } else { "no" },
            cell(r.title),
            cell(r.rationale),
            cell(r.fix.unwrap_or("—")),
            cell(r.source),
        ));
    }
    out.push_str(
        "\n## Decisions\n\n\
- `exclusiveMinimum`/`exclusiveMaximum`: the boolean form is the OpenAPI 3.0 form, yet AWS does not support it, so `exclusive-bound-boolean` wraps it (the bound becomes inclusive). When 3.1 is lowered, a numeric `exclusiveMinimum: n` becomes `minimum: n` directly (the `exclusiveMinimum: true` that an exact 3.0 rendering needs would be wrapped by that rule anyway); with `exclusive-bound-boolean` disabled, it becomes `minimum: n` + `exclusiveMinimum: true`.\n\
- `examples` arrays in 3.1 schemas are wrapped by `example`; with `example` disabled, lowering keeps the first one as `example`.\n\
- Parameter, header and response checks run where the object is defined; a parameter used through `$ref` is wrapped where it is used (`cookie-parameter`, `form-data-parameter`).\n\
- Bookkeeping inside the wrapper uses keys that start with `x-` (`x-original-name`, `x-original-path`, `x-added`, `x-key-order`, `x-parameter-indices`); every other key in the wrapper is an original key.\n\
- Repairs (`path-fragment`, `indistinguishable-operation`, `trailing-slash`, `mixed-path-segment`, `path-variable-conflict`, `literal-segment`, `parameter-name`) keep the definition's names for the functions: the request template maps each repaired variable or parameter back. Strict mode (`strict = true`, `--strict`) makes none of them; each finding is then an error. A repaired path keeps its original key in its path item's wrapper (`x-original-path`); a `$ref`'d path parameter that is renamed is replaced, at that use only, by a renamed copy (the `$ref` is kept under the wrapper). Lint reports each repair at the original place with the rule's severity; after transform each is a warning at the repaired place.\n",
    );
    out
}
