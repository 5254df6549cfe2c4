//! The `x-amazon-apigateway-integration` object and its mapping templates.

use crate::bind::Binding;
use crate::contract::{EventContract, FieldSource, IntegrationType};
use crate::options::BindOptions;
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

/// The Lambda invocation `uri` for a function:
/// `arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/arn:{partition}:lambda:{region}:{account}:function:{name}[:{qualifier}]/invocations`.
///
/// ```
/// use lambda_sync_integration::{invocation_uri, BindOptions};
/// let o = BindOptions::new("us-gov-west-1", "123456789012").with_qualifier("live");
/// assert_eq!(
///     invocation_uri("addPet", &o),
///     "arn:aws-us-gov:apigateway:us-gov-west-1:lambda:path/2015-03-31/functions/arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:addPet:live/invocations"
/// );
/// ```
pub fn invocation_uri(function_name: &str, options: &BindOptions) -> String {
    let p = options.partition();
    let r = options.region();
    let qualifier = options
        .qualifier()
        .map(|q| format!(":{q}"))
        .unwrap_or_default();
    format!(
        "arn:{p}:apigateway:{r}:lambda:path/2015-03-31/functions/arn:{p}:lambda:{r}:{}:function:{function_name}{qualifier}/invocations",
        options.account_id()
    )
}

/// The `x-amazon-apigateway-integration` object for a binding.
///
/// - `type`: `aws` (default) or `aws_proxy`, from the options; `httpMethod: POST` (Lambda is
///   always invoked with POST); `uri` from [`invocation_uri`].
/// - `passthroughBehavior: when_no_templates`: every `aws` integration defines templates, so a
///   request whose Content-Type has none is refused (415) instead of reaching the function as
///   a raw payload it cannot read. `aws_proxy` integrations use `when_no_match`.
/// - `requestTemplates` (`aws`): see [`request_template`]; one for `application/json` (which
///   API Gateway also uses when a request has no Content-Type) and one for every other media
///   type the operation's body declares.
/// - `responses` (`aws`): `default` → the success status; each declared 4xx/5xx → an entry
///   keyed by the `selectionPattern` `^\[404\][\s\S]*` (an error whose message starts with
///   `[404]`), with a response template that answers `{"message": "..."}` — the message
///   without its `[404] ` prefix.
///
/// For a binding with an existing integration, the operation's own object should be kept:
/// [`apply`](crate::apply) never calls this for those.
///
/// For a grouped function (see [`Binding::grouped`]) the `aws` request template also passes
/// `"x-lambda-sync-operation": "OPERATION_ID"` (see [`OPERATION_KEY`](crate::OPERATION_KEY)),
/// the fields and error responses of the other operations that share the method, and maps an
/// error whose message starts with `[500]` (the router's answer to an operation it does not
/// know) to 500.
pub fn integration_extension(binding: &Binding, options: &BindOptions) -> Value {
    let merged;
    let contract = if binding.extra_fields.is_empty() && binding.extra_errors.is_empty() {
        &binding.contract
    } else {
        let mut c = binding.contract.clone();
        c.fields.extend(binding.extra_fields.iter().cloned());
        c.errors.extend(binding.extra_errors.iter().cloned());
        merged = c;
        &merged
    };
    let operation = binding.grouped.then_some(binding.called_as.as_str());
    let mut ext = Map::new();
    ext.insert("type".into(), json!(options.integration().as_str()));
    ext.insert(
        "uri".into(),
        json!(invocation_uri(&binding.function_name, options)),
    );
    ext.insert("httpMethod".into(), json!("POST"));
    match options.integration() {
        IntegrationType::AwsProxy => {
            ext.insert("passthroughBehavior".into(), json!("when_no_match"));
        }
        IntegrationType::Aws => {
            ext.insert("passthroughBehavior".into(), json!("when_no_templates"));
            let mut templates = Map::new();
            templates.insert(
                "application/json".into(),
                json!(template(contract, BodyKind::Json, operation)),
            );
            for media in &binding.body_content_types {
                if media != "application/json" && !templates.contains_key(media) {
                    let kind = if is_json_media(media) {
                        BodyKind::Json
                    } else {
                        BodyKind::Text
                    };
                    templates.insert(media.clone(), json!(template(contract, kind, operation)));
                }
            }
            ext.insert("requestTemplates".into(), Value::Object(templates));
            let mut responses = Map::new();
            responses.insert(
                "default".into(),
                json!({"statusCode": contract.success_status.to_string()}),
            );
            let unknown = crate::bind::unknown_operation_error();
            let grouped_errors = binding
                .grouped
                .then_some(&unknown)
                .filter(|u| !contract.errors.iter().any(|e| e.status == u.status));
            for e in contract.errors.iter().chain(grouped_errors) {
                responses.insert(
                    e.selection_pattern.clone(),
                    json!({
                        "statusCode": e.status.to_string(),
                        "responseTemplates": {"application/json": error_template(&e.message_prefix)}
                    }),
                );
            }
            ext.insert("responses".into(), Value::Object(responses));
        }
    }
    Value::Object(ext)
}

/// Whether a media type carries JSON (`application/json`, `application/problem+json`,
/// `text/json`).
pub(crate) fn is_json_media(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m == "text/json" || m.ends_with("+json")
}

/// How the body goes into the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `$input.json('$')`: the body as JSON (an empty body is `{}`).
    Json,
    /// The raw body as one JSON string.
    Text,
}

/// The request template that builds the event of `contract`.
///
/// Each field is written as
///
/// ```text
/// "KEY": #if($params.LOC.containsKey('NAME'))"$util.escapeJavaScript($params.LOC.get('NAME')).replaceAll("\\'","'")"#{else}null#end,
/// ```
///
/// with `$params = $input.params()` and LOC `path`, `querystring` or `header`:
///
/// - a parameter that was sent is a JSON string (`""` when sent empty); one that was not
///   sent is `null`;
/// - `$util.escapeJavaScript` escapes quotes, backslashes, control characters and non-ASCII
///   characters into valid JSON escapes except one: it turns `'` into `\'`, which JSON does
///   not allow. `.replaceAll("\\'","'")` (a Java regular expression: a backslash then a quote)
///   turns each `\'` back into `'`. It cannot damage an escaped backslash: in the escaped text
///   a `'` is always directly preceded by its own escaping backslash;
/// - a query parameter sent several times (`?tag=a&tag=b`) and a repeated header arrive as
///   their **last** value, as API Gateway's `$input.params()` gives them; an array parameter
///   sent as one value (`?tags=a,b`) arrives as that string, for the function to split;
/// - header names are matched without regard to case;
/// - keys and names that contain `$` or `#` are passed through `#set` single-quoted literals,
///   so the template never reads them as references or directives;
/// - the body is `$input.json('$')` for JSON media types, or the escaped raw text for others.
pub fn request_template(contract: &EventContract, body: BodyKind) -> String {
    template(contract, body, None)
}

/// The request template, with the operation key first when `operation` is set.
fn template(contract: &EventContract, body: BodyKind, operation: Option<&str>) -> String {
    let mut out = String::with_capacity(256);
    let _ = writeln!(
        out,
        "## lambda-sync: the event of {} (one field per parameter, then the body)",
        contract.function_name
    );
    out.push_str("#set($params = $input.params())\n");
    // Repaired path segments: each is cut once into the definition's variables.
    let mut segments: Vec<&lambda_sync_compat::RepairedSegment> = Vec::new();
    for f in &contract.fields {
        if let Some(seg) = &f.segment
            && !segments.contains(&seg)
        {
            out.push_str(&segment_block(segments.len(), seg));
            segments.push(seg);
        }
    }
    // The fields, written as they are made (`lines` joined by ",\n").
    let mut fields = String::new();
    let mut first = true;
    let mut line = |fields: &mut String| {
        if !first {
            fields.push_str(",\n");
        }
        first = false;
        fields.push_str("  ");
    };
    if let Some(op) = operation {
        let key =
            serde_json::to_string(crate::contract::OPERATION_KEY).expect("a string serialises");
        let value = serde_json::to_string(op).expect("a string serialises");
        line(&mut fields);
        fields.push_str(&key);
        fields.push_str(": ");
        if value.contains(['$', '#']) {
            out.push_str("#set($lsOperation = ");
            push_vtl_str(&mut out, &value);
            out.push_str(")\n");
            fields.push_str("${lsOperation}");
        } else {
            fields.push_str(&value);
        }
    }
    for (i, f) in contract.fields.iter().enumerate() {
        let key_json = serde_json::to_string(&f.key).expect("a string serialises");
        line(&mut fields);
        if key_json.contains(['$', '#']) {
            let _ = write!(out, "#set($lsKey{i} = ");
            push_vtl_str(&mut out, &key_json);
            out.push_str(")\n");
            let _ = write!(fields, "${{lsKey{i}}}");
        } else {
            fields.push_str(&key_json);
        }
        fields.push_str(": ");
        match f.source {
            FieldSource::Path if f.segment.is_some() => {
                let seg = f.segment.as_ref().expect("checked");
                let s = segments.iter().position(|x| *x == seg).unwrap_or(0);
                let v = seg
                    .parts
                    .iter()
                    .filter(|p| matches!(p, lambda_sync_compat::SegmentPart::Variable(_)))
                    .position(|p| {
                        matches!(p, lambda_sync_compat::SegmentPart::Variable(n) if n.trim_end_matches('+') == f.name)
                    })
                    .unwrap_or(0);
                fields.push('"');
                fields.push_str(ESCAPE_OPEN);
                let _ = write!(fields, "$lsSeg{s}v{v}");
                fields.push_str(ESCAPE_CLOSE);
                fields.push('"');
            }
            FieldSource::Body => match body {
                BodyKind::Json => fields.push_str("$input.json('$')"),
                BodyKind::Text => {
                    fields.push('"');
                    fields.push_str(ESCAPE_OPEN);
                    fields.push_str("$input.body");
                    fields.push_str(ESCAPE_CLOSE);
                    fields.push('"');
                }
            },
            source => {
                let loc = match source {
                    FieldSource::Path => "path",
                    FieldSource::Query => "querystring",
                    _ => "header",
                };
                let _ = write!(fields, "#if($params.{loc}.containsKey(");
                push_vtl_str(&mut fields, &f.name);
                fields.push_str("))\"");
                fields.push_str(ESCAPE_OPEN);
                let _ = write!(fields, "$params.{loc}.get(");
                push_vtl_str(&mut fields, &f.name);
                fields.push(')');
                fields.push_str(ESCAPE_CLOSE);
                fields.push_str("\"#{else}null#end");
            }
        }
    }
    out.push_str("{\n");
    out.push_str(&fields);
    if !first {
        out.push('\n');
    }
    out.push('}');
    out
}

/// VTL that cuts the repaired segment `seg` (the path variable `seg.variable`) into the
/// definition's variables `$lsSeg{n}v0`, `$lsSeg{n}v1`, ...: the text before the first variable
/// and after the last one is stripped when present, then each variable ends at the first
/// occurrence of the text that follows it (a missing separator leaves the rest to the variable
/// and `""` to the ones after). Only `$input.params()`, `#set`, `#if`, `startsWith`,
/// `endsWith`, `indexOf`, `length` and `substring` are used, with arithmetic in `#set` only.
fn segment_block(n: usize, seg: &lambda_sync_compat::RepairedSegment) -> String {
    use lambda_sync_compat::SegmentPart;
    let s = format!("$lsSeg{n}");
    let mut out = String::new();
    out.push_str(&format!("#set({s} = '')\n"));
    let var = vtl_str(&seg.variable);
    out.push_str(&format!(
        "#if($params.path.containsKey({var}))\n#set({s} = $params.path.get({var}))\n#end\n"
    ));
    let mut parts: &[SegmentPart] = &seg.parts;
    if let Some((SegmentPart::Text(t), rest)) = parts.split_first() {
        out.push_str(&format!("#set($lsText = {})\n", vtl_str(t)));
        out.push_str(&format!(
            "#if({s}.startsWith($lsText))\n#set($lsAt = $lsText.length())\n#set({s} = {s}.substring($lsAt))\n#end\n"
        ));
        parts = rest;
    }
    if let Some((SegmentPart::Text(t), rest)) = parts.split_last() {
        out.push_str(&format!("#set($lsText = {})\n", vtl_str(t)));
        out.push_str(&format!(
            "#if({s}.endsWith($lsText))\n#set($lsAt = {s}.length() - $lsText.length())\n#set({s} = {s}.substring(0, $lsAt))\n#end\n"
        ));
        parts = rest;
    }
    let mut v = 0;
    let mut i = 0;
    while i < parts.len() {
        if let SegmentPart::Variable(_) = &parts[i] {
            match parts.get(i + 1) {
                Some(SegmentPart::Text(sep)) => {
                    out.push_str(&format!("#set($lsText = {})\n", vtl_str(sep)));
                    out.push_str(&format!("#set($lsAt = {s}.indexOf($lsText))\n"));
                    out.push_str(&format!(
                        "#if($lsAt >= 0)\n#set({s}v{v} = {s}.substring(0, $lsAt))\n#set($lsAt = $lsAt + $lsText.length())\n#set({s} = {s}.substring($lsAt))\n#else\n#set({s}v{v} = {s})\n#set({s} = '')\n#end\n"
                    ));
                }
                _ => {
                    out.push_str(&format!("#set({s}v{v} = {s})\n#set({s} = '')\n"));
                }
            }
            v += 1;
        }
        i += 1;
    }
    out
}

/// `$util.escapeJavaScript(EXPR).replaceAll("\\'","'")` is written as `ESCAPE_OPEN`, the
/// expression, then `ESCAPE_CLOSE`.
const ESCAPE_OPEN: &str = "$util.escapeJavaScript(";
const ESCAPE_CLOSE: &str = ").replaceAll(\"\\\\'\",\"'\")";

/// Writes [`vtl_str`] of `s` to `out`.
fn push_vtl_str(out: &mut String, s: &str) {
    out.push('\'');
    for (i, part) in s.split('\'').enumerate() {
        if i > 0 {
            out.push_str("''");
        }
        out.push_str(part);
    }
    out.push('\'');
}

/// A Velocity single-quoted string literal: no interpolation; a quote is doubled.
fn vtl_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The response template of an error mapping: `{"message": "..."}` with the message minus its
/// `[404] ` prefix.
fn error_template(prefix: &str) -> String {
    let pattern = format!("^{} ?", regex_escape(prefix));
    format!(
        "#set($message = $input.path('$.errorMessage'))\n{{\"message\": \"$!util.escapeJavaScript($message.replaceFirst({}, '')).replaceAll(\"\\\\'\",\"'\")\"}}",
        vtl_str(&pattern)
    )
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{push_vtl_str, vtl_str};

    #[test]
    fn written_vtl_strings_are_the_literals() {
        for s in ["", "a", "'", "''", "it's", "'a'b'", "$x#y", "ünï'cödé"] {
            let mut out = String::from("x");
            push_vtl_str(&mut out, s);
            assert_eq!(out, format!("x{}", vtl_str(s)), "{s:?}");
        }
    }
}
