//! `aws_proxy` integrations: the proxy event and the proxy response format; passthrough.

use lambda_sync_aws::FakeAws;
use lambda_sync_local::{HttpRequest, LocalApi};
use serde_json::{Value, json};

use crate::support::*;

const NODE_PROXY: &str = r#"
exports.handler = async (event) => {
  if (event.path.endsWith('/malformed')) return {statusCode: 200, body: {not: 'a string'}};
  if (event.path.endsWith('/extra')) return {statusCode: 200, body: '', cookies: ['a=b']};
  if (event.path.endsWith('/nothing')) return undefined;
  if (event.path.endsWith('/throw')) throw new Error('proxy failure');
  if (event.path.endsWith('/binary')) return {statusCode: 200, headers: {'Content-Type': 'image/png'}, body: Buffer.from([0, 159, 146, 150]).toString('base64'), isBase64Encoded: true};
  return {
    statusCode: 201,
    headers: {'X-Single': 'one', 'Content-Type': 'application/json'},
    multiValueHeaders: {'X-Multi': ['a', 'b']},
    body: JSON.stringify(event),
  };
};
"#;

const PYTHON_PROXY: &str = r#"
import base64, json
def lambda_handler(event, context):
    path = event['path']
    if path.endswith('/malformed'):
        return {'statusCode': 200, 'body': {'not': 'a string'}}
    if path.endswith('/extra'):
        return {'statusCode': 200, 'body': '', 'cookies': ['a=b']}
    if path.endswith('/nothing'):
        return None
    if path.endswith('/throw'):
        raise RuntimeError('proxy failure')
    if path.endswith('/binary'):
        return {'statusCode': 200, 'headers': {'Content-Type': 'image/png'}, 'body': base64.b64encode(bytes([0, 159, 146, 150])).decode(), 'isBase64Encoded': True}
    return {'statusCode': 201, 'headers': {'X-Single': 'one', 'Content-Type': 'application/json'},
            'multiValueHeaders': {'X-Multi': ['a', 'b']}, 'body': json.dumps(event)}
"#;

async fn api(lang: Lang) -> (LocalApi, tempfile::TempDir) {
    let aws = FakeAws::default();
    let spec = json!({
        "openapi": "3.0.1",
        "info": {"title": "proxy", "version": "1"},
        "paths": {
            "/things/{id}/{rest+}": {"x-amazon-apigateway-any-method": {
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": proxy_integration("proxy")}}
        }
    });
    let api_id = import(&aws, &spec).await;
    let source = match lang {
        Lang::Node => NODE_PROXY,
        Lang::Python => PYTHON_PROXY,
    };
    create(&aws, "proxy", lang, source).await;
    local(&aws, &api_id).await
}

async fn round_trip(lang: Lang) {
    let (api, _cache) = api(lang).await;
    let hostile = "O'Brien \"x\" \\ 🎉\n${y}";
    let request = HttpRequest::new("POST", "/things/a%20b/c/d")
        .with_query("q", hostile)
        .with_query("tag", "1")
        .with_query("tag", "2")
        .with_header("X-Id", "first")
        .with_header("X-Id", "second")
        .with_header("User-Agent", "tests")
        .with_body(format!("raw {hostile}"));
    let r = api.invoke(request).await.unwrap();
    assert_eq!(r.status, 201, "{}\n{}", r.body_text(), r.logs);
    assert_eq!(r.header("x-single"), Some("one"));
    let multi: Vec<&str> = r
        .headers
        .iter()
        .filter(|(k, _)| k == "X-Multi")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(multi, ["a", "b"]);
    assert_eq!(r.function.as_deref(), Some("proxy"));
    let event = json_body(&r);
    assert_eq!(event["resource"], "/things/{id}/{rest+}");
    assert_eq!(event["path"], "/things/a%20b/c/d");
    assert_eq!(event["httpMethod"], "POST");
    assert_eq!(event["pathParameters"], json!({"id": "a b", "rest": "c/d"}));
    assert_eq!(
        event["queryStringParameters"],
        json!({"q": hostile, "tag": "2"})
    );
    assert_eq!(
        event["multiValueQueryStringParameters"],
        json!({"q": [hostile], "tag": ["1", "2"]})
    );
    assert_eq!(event["headers"]["X-Id"], "second");
    assert_eq!(
        event["multiValueHeaders"]["X-Id"],
        json!(["first", "second"])
    );
    assert_eq!(event["body"], format!("raw {hostile}"));
    assert_eq!(event["isBase64Encoded"], false);
    assert_eq!(event["stageVariables"], Value::Null);
    let context = &event["requestContext"];
    assert_eq!(context["resourcePath"], "/things/{id}/{rest+}");
    assert_eq!(context["httpMethod"], "POST");
    assert_eq!(context["stage"], "local");
    assert_eq!(context["path"], "/local/things/a%20b/c/d");
    assert_eq!(context["identity"]["userAgent"], "tests");
    assert_eq!(context["requestId"].as_str().unwrap().len(), 36);
    assert_eq!(r.header("x-amzn-requestid"), context["requestId"].as_str());

    let r = api
        .invoke(HttpRequest::new("GET", "/things/1/binary"))
        .await
        .unwrap();
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, &[0u8, 159, 146, 150][..])
    );
    assert_eq!(r.header("content-type"), Some("image/png"));

    // An empty request: null maps and body.
    let r = api
        .invoke(HttpRequest::new("GET", "/things/1/x"))
        .await
        .unwrap();
    let event = json_body(&r);
    for key in [
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "body",
    ] {
        assert_eq!(event[key], Value::Null, "{key}");
    }

    for bad in ["malformed", "extra", "nothing", "throw"] {
        let r = api
            .invoke(HttpRequest::new("GET", format!("/things/1/{bad}")))
            .await
            .unwrap();
        assert_eq!(
            (r.status, json_body(&r)),
            (502, json!({"message": "Internal server error"})),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn proxy_round_trip_node() {
    node();
    bounded(round_trip(Lang::Node)).await;
}

#[tokio::test]
async fn proxy_round_trip_python() {
    python();
    bounded(round_trip(Lang::Python)).await;
}

/// `passthroughBehavior` with a request whose Content-Type has no template.
#[tokio::test]
async fn passthrough_behaviours() {
    bounded(async {
        let aws = FakeAws::default();
        let with = |behaviour: &str, templates: Value| {
            json!({"post": {"responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "aws", "httpMethod": "POST", "uri": uri("echo"),
                    "passthroughBehavior": behaviour, "requestTemplates": templates,
                    "responses": {"default": {"statusCode": "200"}}}}})
        };
        let template = json!({"application/json": "{\"templated\": $input.json('$')}"});
        let spec = json!({
            "swagger": "2.0", "info": {"title": "passthrough", "version": "1"},
            "paths": {
                "/match": with("when_no_match", template.clone()),
                "/templates": with("when_no_templates", template.clone()),
                "/none": with("when_no_templates", json!({})),
                "/never": with("never", json!({})),
                "/never-json": with("never", template.clone()),
            }
        });
        let api_id = import(&aws, &spec).await;
        create(&aws, "echo", Lang::Node, Lang::Node.echo()).await;
        let (api, _cache) = local(&aws, &api_id).await;
        let post = |path: &str, content_type: Option<&str>| {
            let mut r = HttpRequest::new("POST", path).with_body(r#"{"a": 1}"#);
            if let Some(c) = content_type {
                r = r.with_header("Content-Type", c);
            }
            api.invoke(r)
        };
        let templated = json!({"templated": {"a": 1}});
        let raw = json!({"a": 1});
        let unsupported = json!({"message": "Unsupported Media Type"});
        // (path, content type, status, body)
        let rows: Vec<(&str, Option<&str>, u16, Value)> = vec![
            ("/match", None, 200, templated.clone()),
            (
                "/match",
                Some("Application/JSON; charset=utf-8"),
                200,
                templated.clone(),
            ),
            ("/match", Some("text/plain"), 200, raw.clone()),
            ("/templates", Some("text/plain"), 415, unsupported.clone()),
            ("/templates", None, 200, templated.clone()),
            ("/none", Some("text/plain"), 200, raw.clone()),
            ("/never", None, 415, unsupported.clone()),
            (
                "/never-json",
                Some("application/json"),
                200,
                templated.clone(),
            ),
            (
                "/never-json",
                Some("application/xml"),
                415,
                unsupported.clone(),
            ),
        ];
        for (path, content_type, status, body) in rows {
            let r = post(path, content_type).await.unwrap();
            assert_eq!(
                (r.status, json_body(&r)),
                (status, body),
                "{path} {content_type:?}"
            );
        }
        // A body that is not JSON passed through: Lambda would refuse the payload.
        let r = api
            .invoke(
                HttpRequest::new("POST", "/match")
                    .with_header("Content-Type", "text/plain")
                    .with_body("not json"),
            )
            .await
            .unwrap();
        assert_eq!(r.status, 500);
        assert!(r.logs.contains("not valid JSON"), "{}", r.logs);
    })
    .await;
}
