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
