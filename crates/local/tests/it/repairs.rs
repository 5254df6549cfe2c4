//! A definition whose paths compat repaired (a renamed variable, a split segment, a refused
//! query parameter name), pushed to a FakeAws and invoked through `LocalApi` with echo
//! handlers: the event carries each original name with its value.

use lambda_sync::compat::{CompatOptions, transform};
use lambda_sync_aws::FakeAws;
use lambda_sync_local::HttpRequest;
use serde_json::{Value, json};

use crate::support::*;

fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Repairs", "version": "1"},
        "paths": {
            "/fees/{id}": {"get": {"operationId": "getFee",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}},
            "/fees/{fee}/refunds": {"get": {"operationId": "listRefunds",
                "parameters": [{"name": "fee", "in": "path", "required": true, "schema": {"type": "string"}},
                               {"name": "filter[status]", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}},
            "/repos/{owner}/compare/{base}...{head}": {"get": {"operationId": "compare",
                "parameters": [{"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}},
                               {"name": "base", "in": "path", "required": true, "schema": {"type": "string"}},
                               {"name": "head", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}},
            "/Calls/{Sid}.json": {"get": {"operationId": "getCall",
                "parameters": [{"name": "Sid", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}}}
        }
    })
}

async fn check(lang: Lang) {
    let doc = lambda_sync_spec::load_str(&spec().to_string())
        .unwrap()
        .document;
    let out = transform(&doc, &CompatOptions::default());
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        out.diagnostics
    );
    let mut repaired = out.document.value().clone();
    let operations = bind_all(&mut repaired);
    let aws = FakeAws::default();
    let api_id = import(&aws, &repaired).await;
    for (_, _, function, _) in &operations {
        create(&aws, function, lang, lang.echo()).await;
    }
    let (api, _cache) = local(&aws, &api_id).await;
    let cases = [
        (
            HttpRequest::new("GET", "/fees/fee_1%27x/refunds")
                .with_query("filter[status]", "it's \"paid\""),
            json!({"fee": "fee_1'x", "filter[status]": "it's \"paid\""}),
        ),
        (
            HttpRequest::new("GET", "/fees/fee_2"),
            json!({"id": "fee_2"}),
        ),
        (
            HttpRequest::new("GET", "/repos/octo/compare/main...feature%2Fx%22y"),
            json!({"owner": "octo", "base": "main", "head": "feature/x\"y"}),
        ),
        (
            HttpRequest::new("GET", "/Calls/CA123.json"),
            json!({"Sid": "CA123"}),
        ),
    ];
    for (request, want) in cases {
        let r = api.invoke(request.clone()).await.unwrap();
        assert_eq!(r.status, 200, "{request:?}: {}\n{}", r.body_text(), r.logs);
        assert_eq!(json_body(&r), want, "{lang:?} {request:?}");
    }
}

#[tokio::test]
async fn repaired_names_reach_node_handlers() {
    bounded(check(Lang::Node)).await;
}

#[tokio::test]
async fn repaired_names_reach_python_handlers() {
    bounded(check(Lang::Python)).await;
}

/// Stub templates whose handler answers, as a proxy response, every variable the generated code
/// read, under its event key (the generated `access` expressions are the code under test).
fn proxy_echo_templates() -> (tempfile::TempDir, lambda_sync_stubs::Templates) {
    let dir = tempfile::tempdir().unwrap();
    let js = "exports.handler = async (event, context) => {\n{{#each fields}}\n  const {{ident}} = {{access}};\n{{/each}}\n  const out = {};\n{{#each fields}}\n  out[{{key_literal}}] = {{ident}};\n{{/each}}\n  return { statusCode: 200, body: JSON.stringify(out) };\n};\n";
    for file in ["index.js.hbs", "index.mjs.hbs"] {
        std::fs::write(dir.path().join(file), js).unwrap();
    }
    std::fs::write(
        dir.path().join("lambda_function.py.hbs"),
        "import json\ndef lambda_handler(event, context):\n{{#each fields}}\n    {{ident}} = {{access}}\n{{/each}}\n    return {\"statusCode\": 200, \"body\": json.dumps({ {{#each fields}}{{key_literal}}: {{ident}}, {{/each}} })}\n",
    )
    .unwrap();
    let templates = lambda_sync_stubs::Templates::from_dir(dir.path()).unwrap();
    (dir, templates)
}

/// In `aws_proxy` mode API Gateway passes only the repaired variable
/// (`pathParameters.base_head`); the generated stub reads it and cuts it into the definition's
/// variables.
async fn check_proxy(lang: Lang) {
    use lambda_sync_integration::{BindOptions, IntegrationType, apply, bind};
    let doc = lambda_sync_spec::load_str(&spec().to_string())
        .unwrap()
        .document;
    let out = transform(&doc, &CompatOptions::default());
    let options =
        BindOptions::new("us-east-1", "123456789012").with_integration(IntegrationType::AwsProxy);
    let (bindings, _) = bind(&out.document, &options).unwrap();
    let (bound, _) = apply(&out.document, &bindings, &options);
    let aws = FakeAws::default();
    let api_id = import(&aws, bound.value()).await;
    let (_dir, templates) = proxy_echo_templates();
    let runtime = lambda_sync_stubs::runtime(lang.runtime()).unwrap();
    for b in &bindings.bindings {
        assert_eq!(b.contract.integration, IntegrationType::AwsProxy);
        let stub = lambda_sync_stubs::render(&b.contract, runtime, &templates).unwrap();
        create(&aws, &b.function_name, lang, &stub.source).await;
    }
    let (api, _cache) = local(&aws, &api_id).await;
    let cases = [
        (
            HttpRequest::new("GET", "/repos/octo/compare/main...feature%2Fx%22y"),
            (
                "compare",
                json!({"owner": "octo", "base": "main", "head": "feature/x\"y"}),
            ),
        ),
        (
            HttpRequest::new("GET", "/Calls/CA123.json"),
            ("getCall", json!({"Sid": "CA123"})),
        ),
        (
            HttpRequest::new("GET", "/fees/fee_1/refunds"),
            ("listRefunds", json!({"fee": "fee_1"})),
        ),
    ];
    for (request, (what, want)) in cases {
        let r = api.invoke(request.clone()).await.unwrap();
        assert_eq!(r.status, 200, "{request:?}: {}\n{}", r.body_text(), r.logs);
        let got = json_body(&r);
        for (k, v) in want.as_object().unwrap() {
            assert_eq!(&got[k], v, "{lang:?} {what}: {k} in {got}");
        }
    }
}

#[tokio::test]
async fn proxy_stubs_cut_repaired_segments_in_node() {
    bounded(check_proxy(Lang::Node)).await;
}

#[tokio::test]
async fn proxy_stubs_cut_repaired_segments_in_python() {
    bounded(check_proxy(Lang::Python)).await;
}
