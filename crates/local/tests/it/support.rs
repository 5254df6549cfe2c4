//! Shared helpers: interpreters, accounts with echoing functions, integration extensions in
//! the style lambda-sync-integration generates.

use std::future::Future;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use lambda_sync_aws::{
    AddPermission, ApiGateway, CreateFunction, FakeAws, ImportRestApi, Lambda, minimal_zip,
};
use lambda_sync_local::{LocalApi, LocalOptions};
use serde_json::{Value, json};

/// Every test is bounded in time.
pub async fn bounded<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(120), fut)
        .await
        .expect("test took longer than 120 s")
}

fn interpreter(program: &str) -> PathBuf {
    match Command::new(program).arg("--version").output() {
        Ok(out) if out.status.success() => PathBuf::from(program),
        Ok(out) => panic!(
            "{program} --version failed ({}): these tests need {program}",
            out.status
        ),
        Err(e) => panic!("{program} is not installed or not on PATH ({e}): these tests need it"),
    }
}

/// `node`, or a failing test that says it is missing.
pub fn node() -> PathBuf {
    interpreter("node")
}

/// `python3`, or a failing test that says it is missing.
pub fn python() -> PathBuf {
    interpreter("python3")
}

/// The two languages handlers are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Node,
    Python,
}

impl Lang {
    pub fn runtime(self) -> &'static str {
        match self {
            Lang::Node => "nodejs22.x",
            Lang::Python => "python3.13",
        }
    }

    pub fn handler(self) -> &'static str {
        match self {
            Lang::Node => "index.handler",
            Lang::Python => "lambda_function.lambda_handler",
        }
    }

    pub fn file(self) -> &'static str {
        match self {
            Lang::Node => "index.js",
            Lang::Python => "lambda_function.py",
        }
    }

    /// A handler that returns its event.
    pub fn echo(self) -> &'static str {
        match self {
            Lang::Node => "exports.handler = async (event, context) => event;\n",
            Lang::Python => "def lambda_handler(event, context):\n    return event\n",
        }
    }
}

pub const ROLE: &str = "arn:aws:iam::123456789012:role/lambda-exec";

/// The invocation URI of a function of the default fake account.
pub fn uri(function: &str) -> String {
    format!(
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:{function}/invocations"
    )
}

/// Creates function `name` from one source file, invocable by API Gateway from any API of
/// the account (as lambda-sync's per-API statement allows).
pub async fn create(aws: &FakeAws, name: &str, lang: Lang, source: &str) {
    let zip = minimal_zip(lang.file(), source.as_bytes());
    aws.create_function(CreateFunction::new(
        name,
        ROLE,
        lang.runtime(),
        lang.handler(),
        zip,
    ))
    .await
    .unwrap();
    allow(aws, name).await;
}

/// Lets API Gateway invoke `name` from any API of the default account.
pub async fn allow(aws: &FakeAws, name: &str) {
    aws.add_permission(
        AddPermission::new(name, "test-any-api")
            .with_source_arn("arn:aws:execute-api:us-east-1:123456789012:*/*/*/*"),
    )
    .await
    .unwrap();
}

/// Imports `spec` and returns the API id.
pub async fn import(aws: &FakeAws, spec: &Value) -> String {
    let api = aws
        .import_rest_api(ImportRestApi::new(spec.to_string()))
        .await
        .unwrap();
    api.id
}

/// A LocalApi over `aws` with a fresh cache dir (kept alive by the returned guard).
pub async fn local(aws: &FakeAws, api_id: &str) -> (LocalApi, tempfile::TempDir) {
    local_with(aws, api_id, |o| o).await
}

pub async fn local_with(
    aws: &FakeAws,
    api_id: &str,
    f: impl FnOnce(LocalOptions) -> LocalOptions,
) -> (LocalApi, tempfile::TempDir) {
    let cache = tempfile::tempdir().unwrap();
    // Generous: a loaded machine must not turn a slow start into a 504.
    let options = f(LocalOptions::new(cache.path())
        .with_timeout(Duration::from_secs(20))
        .with_node(node())
        .with_python(python())
        .with_max_processes(2));
    let api = LocalApi::new(aws.clone(), api_id, options).await.unwrap();
    (api, cache)
}

/// `$util.escapeJavaScript(EXPR).replaceAll("\\'","'")`, as the integration crate writes it.
fn escaped(expr: &str) -> String {
    format!("$util.escapeJavaScript({expr}).replaceAll(\"\\\\'\",\"'\")")
}

/// One event field: (key, location `path`/`querystring`/`header`/`body`, parameter name).
pub type Field = (String, &'static str, String);

/// The request template of lambda-sync-integration: one field per parameter, then the body.
pub fn request_template(fields: &[Field]) -> String {
    let mut lines = Vec::new();
    for (key, loc, name) in fields {
        let key = serde_json::to_string(key).unwrap();
        let value = if *loc == "body" {
            "$input.json('$')".to_string()
        } else {
            let name = format!("'{}'", name.replace('\'', "''"));
            format!(
                "#if($p.{loc}.containsKey({name}))\"{}\"#{{else}}null#end",
                escaped(&format!("$p.{loc}.get({name})"))
            )
        };
        lines.push(format!("  {key}: {value}"));
    }
    format!("#set($p = $input.params())\n{{\n{}\n}}", lines.join(",\n"))
}

/// The error response template of lambda-sync-integration (`{"message": ...}` without the
/// `[NNN] ` prefix).
pub fn error_template(status: u16) -> String {
    format!(
        "#set($message = $input.path('$.errorMessage'))\n{{\"message\": \"$!util.escapeJavaScript($message.replaceFirst('^\\[{status}\\] ?', '')).replaceAll(\"\\\\'\",\"'\")\"}}"
    )
}

/// An `aws` integration for `function` with the event of `fields` and an error response per
/// status in `errors`.
pub fn aws_integration(function: &str, fields: &[Field], success: u16, errors: &[u16]) -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert("default".into(), json!({"statusCode": success.to_string()}));
    for status in errors {
        responses.insert(
            format!("^\\[{status}\\][\\s\\S]*"),
            json!({
                "statusCode": status.to_string(),
                "responseTemplates": {"application/json": error_template(*status)}
            }),
        );
    }
    json!({
        "type": "aws",
        "httpMethod": "POST",
        "uri": uri(function),
        "passthroughBehavior": "when_no_templates",
        "requestTemplates": {"application/json": request_template(fields)},
        "responses": responses,
    })
}

/// An `aws_proxy` integration for `function`.
pub fn proxy_integration(function: &str) -> Value {
    json!({"type": "aws_proxy", "httpMethod": "POST", "uri": uri(function), "passthroughBehavior": "when_no_match"})
}

/// Binds every operation of `spec` with lambda-sync-integration (`bind` + `apply`, the
/// generated `aws` integrations) and returns, per operation, (method, path, function, event
/// fields as (key, location, name)).
pub fn bind_all(spec: &mut Value) -> Vec<(String, String, String, Vec<Field>)> {
    use lambda_sync_integration::{BindOptions, FieldSource, apply, bind};
    let doc = lambda_sync_spec::load_str(&spec.to_string())
        .unwrap()
        .document;
    let options = BindOptions::new("us-east-1", "123456789012");
    let (bindings, _) = bind(&doc, &options).unwrap();
    let (out_doc, _) = apply(&doc, &bindings, &options);
    *spec = out_doc.value().clone();
    bindings
        .bindings
        .iter()
        .map(|b| {
            let fields = b
                .contract
                .fields
                .iter()
                .map(|f| {
                    let loc = match f.source {
                        FieldSource::Path => "path",
                        FieldSource::Query => "querystring",
                        FieldSource::Header => "header",
                        FieldSource::Body => "body",
                    };
                    (f.key.clone(), loc, f.name.clone())
                })
                .collect();
            (
                b.method.as_upper().to_string(),
                b.path.clone(),
                b.function_name.clone(),
                fields,
            )
        })
        .collect()
}

/// The body of a response as JSON.
#[track_caller]
pub fn json_body(response: &lambda_sync_local::HttpResponse) -> Value {
    serde_json::from_slice(&response.body)
        .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", response.body_text()))
}

/// Percent-encodes one path segment.
pub fn encode_segment(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
