//! Hand-written mapping templates using the features issue 8 lists, request and response side.

use lambda_sync_aws::FakeAws;
use lambda_sync_local::HttpRequest;
use serde_json::json;

use crate::support::*;

const REQUEST: &str = r##"#set($body = $util.parseJson($input.body))
#set($tags = [])
#foreach($t in $body.tags)#if($t != "skip")#set($ignore = $tags.add("$t"))#end#end
{
  "id": "$util.escapeJavaScript($input.params('id'))",
  "q": "$util.escapeJavaScript($input.params('q'))",
  "token": "$util.escapeJavaScript($input.params().header.get('x-token'))",
  "name": $input.json('$.name'),
  "first": "$input.path('$.tags[0]')",
  "count": $input.path('$.tags').size(),
  "kept": "#foreach($t in $tags)$t#if($foreach.hasNext),#end#end",
  "encoded": "$util.urlEncode($input.params('q'))",
  "b64": "$util.base64Encode($input.params('id'))",
  "raw": "$util.escapeJavaScript($input.body).replaceAll("\\'","'")",
  "method": "$context.httpMethod",
  "resource": "$context.resourcePath",
  "stage": "$context.stage",
  "requestIdLength": $context.requestId.length()
}"##;

const RESPONSE: &str = r##"#set($r = $input.path('$'))
{"wrapped": $input.json('$'), "upper": "$r.name.toUpperCase()", "stage": "$context.stage"}"##;

#[tokio::test]
async fn hand_written_templates() {
    bounded(async {
        let aws = FakeAws::default();
        let spec = json!({
            "swagger": "2.0", "info": {"title": "templates", "version": "1"},
            "paths": {"/things/{id}": {"post": {
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "aws", "httpMethod": "POST", "uri": uri("echo"),
                    "requestTemplates": {"application/json": REQUEST},
                    "responses": {"default": {"statusCode": "200",
                        "responseTemplates": {"application/json": RESPONSE}}}}}}}
        });
        let api_id = import(&aws, &spec).await;
        create(&aws, "echo", Lang::Python, Lang::Python.echo()).await;
        let (api, _cache) = local_with(&aws, &api_id, |o| o.with_stage("dev")).await;
        let body = r#"{"name": "O'Brien", "tags": ["a", "skip", "b c"]}"#;
        let r = api
            .invoke(
                HttpRequest::new("POST", "/things/7")
                    .with_query("q", "a b&c")
                    .with_header("X-Token", "t\"1")
                    .with_body(body),
            )
            .await
            .unwrap();
        assert_eq!(r.status, 200, "{}\n{}", r.body_text(), r.logs);
        let out = json_body(&r);
        assert_eq!(out["upper"], "O'BRIEN");
        assert_eq!(out["stage"], "dev");
        assert_eq!(
            out["wrapped"],
            json!({
                "id": "7", "q": "a b&c", "token": "t\"1", "name": "O'Brien", "first": "a",
                "count": 3, "kept": "a,b c", "encoded": "a+b%26c", "b64": "Nw==", "raw": body,
                "method": "POST", "resource": "/things/{id}", "stage": "dev", "requestIdLength": 36
            })
        );
    })
    .await;
}

#[tokio::test]
async fn a_body_that_is_not_json_answers_400_when_the_template_reads_json() {
    bounded(async {
        let aws = FakeAws::default();
        let raw = r#"{"raw": "$util.escapeJavaScript($input.body).replaceAll("\\'","'")"}"#;
        let spec = json!({
            "swagger": "2.0", "info": {"title": "bodies", "version": "1"},
            "paths": {
                "/json": {"post": {"responses": {"200": {"description": "ok"}},
                    "x-amazon-apigateway-integration": aws_integration("echo", &[("body".into(), "body", "body".into())], 200, &[])}},
                "/raw": {"post": {"responses": {"200": {"description": "ok"}},
                    "x-amazon-apigateway-integration": {"type": "aws", "httpMethod": "POST", "uri": uri("echo"),
                        "requestTemplates": {"application/json": raw},
                        "responses": {"default": {"statusCode": "200"}}}}}
            }
        });
        let api_id = import(&aws, &spec).await;
        create(&aws, "echo", Lang::Node, Lang::Node.echo()).await;
        let (api, _cache) = local(&aws, &api_id).await;
        let post = |path: &str, body: &str| {
            api.invoke(
                HttpRequest::new("POST", path)
                    .with_header("Content-Type", "application/json")
                    .with_body(body.as_bytes().to_vec()),
            )
        };
        for (body, line, column) in [("abc", 1, 1), ("{\"a\": 1,\n \"b\" 2}", 2, 6)] {
            let r = post("/json", body).await.unwrap();
            assert_eq!(r.status, 400, "{body}: {}", r.body_text());
            let message = json_body(&r)["message"].as_str().unwrap().to_string();
            let prefix = "Could not parse request body into json: Could not parse payload into json: ";
            assert!(message.starts_with(prefix), "{message}");
            let source = format!("\n at [Source: (byte[])\"{body}\"; line: {line}, column: {column}]");
            assert!(message.ends_with(&source), "{message}");
            assert_eq!(r.function.as_deref(), Some("echo"));
            assert!(r.logs.is_empty(), "the function must not run: {}", r.logs);
        }
        // JSON bodies and empty bodies still reach the function.
        let r = post("/json", r#"{"a": [1]}"#).await.unwrap();
        assert_eq!(json_body(&r), json!({"body": {"a": [1]}}));
        let r = post("/json", "").await.unwrap();
        assert_eq!(json_body(&r), json!({"body": {}}));
        // A template that reads the body as text gets the text.
        let r = post("/raw", "not json").await.unwrap();
        assert_eq!(json_body(&r), json!({"raw": "not json"}));
    })
    .await;
}
