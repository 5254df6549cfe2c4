//! For every operation of a few definitions, the event the function sees holds exactly what
//! was sent, hostile strings included.

use lambda_sync_aws::FakeAws;
use lambda_sync_local::HttpRequest;
use serde_json::{Value, json};

use crate::support::*;

/// Values that break naive templates: quotes, backslashes, line breaks, unicode, VTL syntax.
const HOSTILE: &[&str] = &[
    "O'Brien \"the\" \\ 🎉",
    "line1\nline2\r\n\ttab",
    "${x} $input.body #set($a = 1) #end ## not a comment",
    "</script><b>é漢字</b> \u{2028} \u{7f}",
    "'; DROP TABLE users; --",
    "a&b=c?d#e/f%2F+",
    "\\'",
    "",
];

/// Header values cannot hold line breaks or control characters.
const HOSTILE_HEADERS: &[&str] = &[
    "O'Brien \"the\" \\ 🎉",
    "${x} $input.body #if(true)x#end",
    "</script> é漢字",
    "\\' \\\\'",
];

fn swagger() -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "Petstore subset", "version": "1"},
        "basePath": "/v2",
        "paths": {
            "/user/{username}": {
                "get": {"operationId": "getUserByName",
                    "parameters": [{"name": "username", "in": "path", "required": true, "type": "string"}],
                    "responses": {"200": {"description": "ok"}, "404": {"description": "nf"}}},
                "put": {"operationId": "updateUser",
                    "parameters": [{"name": "username", "in": "path", "required": true, "type": "string"},
                                   {"name": "body", "in": "body", "schema": {"type": "object"}}],
                    "responses": {"200": {"description": "ok"}}}
            },
            "/pet/findByStatus": {
                "get": {"operationId": "findPetsByStatus",
                    "parameters": [{"name": "status", "in": "query", "type": "string"},
                                   {"name": "limit", "in": "query", "type": "integer"}],
                    "responses": {"200": {"description": "ok"}}}
            },
            "/pet/{petId}": {
                "parameters": [{"name": "petId", "in": "path", "required": true, "type": "string"}],
                "post": {"operationId": "updatePetWithForm",
                    "parameters": [{"name": "api_key", "in": "header", "type": "string"},
                                   {"name": "name", "in": "query", "type": "string"},
                                   {"name": "payload", "in": "body", "schema": {"type": "object"}}],
                    "responses": {"200": {"description": "ok"}}}
            }
        }
    })
}

fn openapi3() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Files", "version": "1"},
        "paths": {
            "/files/{key}": {
                "get": {"operationId": "getFile",
                    "parameters": [{"name": "key", "in": "path", "required": true, "schema": {"type": "string"}},
                                   {"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"}},
                                   {"name": "version", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}}},
                "post": {"operationId": "putFile",
                    "parameters": [{"name": "key", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                    "responses": {"201": {"description": "created"}}}
            },
            "/search": {
                "get": {"operationId": "search",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}},
                                   {"name": "tag", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                                   {"name": "Accept-Language", "in": "header", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}}}
            }
        }
    })
}

/// Invokes every operation of `spec` `rounds` times with hostile values, checking the
/// event the echoing function saw.
async fn check_definition(mut spec: Value, lang: Lang) {
    let aws = FakeAws::default();
    let operations = bind_all(&mut spec);
    let api_id = import(&aws, &spec).await;
    for (_, _, function, _) in &operations {
        create(&aws, function, lang, lang.echo()).await;
    }
    let (api, _cache) = local(&aws, &api_id).await;
    for (round, value_at) in [0usize, 3, 6].into_iter().enumerate() {
        for (method, path, function, fields) in &operations {
            let mut request = HttpRequest::new(method.as_str(), "");
            let mut expected = serde_json::Map::new();
            let mut url = path.clone();
            for (i, (key, loc, name)) in fields.iter().enumerate() {
                let pick = |values: &[&'static str]| values[(value_at + i) % values.len()];
                match *loc {
                    "path" => {
                        // API Gateway never routes an empty path segment.
                        let value = match pick(HOSTILE) {
                            "" => "x",
                            v => v,
                        };
                        url = url.replace(&format!("{{{name}}}"), &encode_segment(value));
                        expected.insert(key.clone(), json!(value));
                    }
                    "querystring" => {
                        let value = pick(HOSTILE);
                        request = request.with_query(name.as_str(), value);
                        expected.insert(key.clone(), json!(value));
                    }
                    "header" => {
                        // Round 1 leaves the headers out: they must arrive as null.
                        if round == 1 {
                            expected.insert(key.clone(), Value::Null);
                        } else {
                            let value = pick(HOSTILE_HEADERS);
                            request = request.with_header(name.to_lowercase(), value);
                            expected.insert(key.clone(), json!(value));
                        }
                    }
                    _ => {
                        let body = json!({
                            "text": pick(HOSTILE),
                            "all": HOSTILE,
                            "n": [1, 2.5, -3, null, true],
                            "nested": {"$ref": "#/x", "${y}": "#end"}
                        });
                        request = request
                            .with_header("Content-Type", "application/json; charset=utf-8")
                            .with_body(body.to_string());
                        expected.insert(key.clone(), body);
                    }
                }
            }
            request.path = url;
            let response = api.invoke(request.clone()).await.unwrap();
            assert_eq!(
                response.status,
                if function == "putFile" { 201 } else { 200 },
                "{method} {path}: {}\n{}",
                response.body_text(),
                response.logs
            );
            assert_eq!(response.function.as_deref(), Some(function.as_str()));
            assert_eq!(
                json_body(&response),
                Value::Object(expected),
                "{lang:?} {method} {path} round {round}\n{request:?}"
            );
        }
    }
}

#[tokio::test]
async fn every_operation_swagger_node() {
    bounded(check_definition(swagger(), Lang::Node)).await;
}

#[tokio::test]
async fn every_operation_swagger_python() {
    bounded(check_definition(swagger(), Lang::Python)).await;
}

#[tokio::test]
async fn every_operation_openapi3_node() {
    bounded(check_definition(openapi3(), Lang::Node)).await;
}

#[tokio::test]
async fn every_operation_openapi3_python() {
    bounded(check_definition(openapi3(), Lang::Python)).await;
}

#[tokio::test]
async fn repeated_query_and_header_give_the_last_value_and_absent_ones_null() {
    bounded(async {
        let aws = FakeAws::default();
        let mut spec = openapi3();
        bind_all(&mut spec);
        let api_id = import(&aws, &spec).await;
        create(&aws, "search", Lang::Node, Lang::Node.echo()).await;
        let (api, _cache) = local(&aws, &api_id).await;
        let response = api
            .invoke(
                HttpRequest::new("GET", "/search")
                    .with_query("tag", "a")
                    .with_query("tag", "b")
                    .with_header("ACCEPT-LANGUAGE", "fr")
                    .with_header("accept-language", "de"),
            )
            .await
            .unwrap();
        assert_eq!(
            json_body(&response),
            json!({"q": null, "tag": "b", "Accept-Language": "de"})
        );
    })
    .await;
}
