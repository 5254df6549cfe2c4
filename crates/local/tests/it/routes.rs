//! Route matching as API Gateway does it.

use lambda_sync_aws::FakeAws;
use lambda_sync_local::{HttpRequest, LocalApi};
use serde_json::{Value, json};

use crate::support::*;

const ROUTER: &str = "exports.handler = async (e) => ({statusCode: 200, body: JSON.stringify({resource: e.resource, method: e.httpMethod, params: e.pathParameters})});";

async fn api() -> (LocalApi, tempfile::TempDir) {
    let aws = FakeAws::default();
    let op = |id: &str| json!({"operationId": id, "responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": proxy_integration("router")});
    let spec = json!({
        "swagger": "2.0",
        "info": {"title": "routes", "version": "1"},
        "paths": {
            "/": {"get": op("root")},
            "/pets": {"get": op("listPets"), "post": op("addPet")},
            "/pets/mine": {"get": op("myPets")},
            "/pets/{id}": {"get": op("getPet"), "delete": op("deletePet")},
            "/pets/{id}/toys/{toy}": {"get": op("getToy")},
            "/pets/{id}/photo": {"put": op("putPhoto")},
            "/files/{path+}": {"x-amazon-apigateway-any-method": op("files")},
            "/files/readme": {"get": op("readme")},
            "/stores/{store}/items": {"get": op("items")}
        }
    });
    let api_id = import(&aws, &spec).await;
    create(&aws, "router", Lang::Node, ROUTER).await;
    local(&aws, &api_id).await
}

/// `None` for a 403, else (resource, path parameters).
type Expect = Option<(&'static str, Value)>;

/// `expect`: `None` for a 403, else (resource, path parameters).
#[track_caller]
fn check(got: (u16, Value), expect: Expect) {
    let (status, body) = got;
    match expect {
        None => {
            assert_eq!(status, 403, "{body}");
            assert_eq!(body, json!({"message": "Missing Authentication Token"}));
        }
        Some((resource, params)) => {
            assert_eq!(status, 200, "{body}");
            assert_eq!(body["resource"], resource, "{body}");
            assert_eq!(body["params"], params, "{body}");
        }
    }
}

async fn call(api: &LocalApi, method: &str, path: &str) -> (u16, Value) {
    let response = api.invoke(HttpRequest::new(method, path)).await.unwrap();
    (response.status, json_body(&response))
}

#[tokio::test]
async fn route_table() {
    bounded(async {
        let (api, _cache) = api().await;
        let rows: Vec<(&str, &str, Expect)> = vec![
            ("GET", "/", Some(("/", Value::Null))),
            ("GET", "/pets", Some(("/pets", Value::Null))),
            ("get", "/pets/", Some(("/pets", Value::Null))),
            ("POST", "/pets", Some(("/pets", Value::Null))),
            // A literal segment wins over {param}.
            ("GET", "/pets/mine", Some(("/pets/mine", Value::Null))),
            ("GET", "/pets/7", Some(("/pets/{id}", json!({"id": "7"})))),
            (
                "GET",
                "/pets/a%20b%2Fc",
                Some(("/pets/{id}", json!({"id": "a b/c"}))),
            ),
            // The method belongs to the resource matched: DELETE /pets/mine does not fall back.
            ("DELETE", "/pets/mine", None),
            (
                "DELETE",
                "/pets/3",
                Some(("/pets/{id}", json!({"id": "3"}))),
            ),
            // A dead-end literal branch falls back to {param}.
            (
                "PUT",
                "/pets/mine/photo",
                Some(("/pets/{id}/photo", json!({"id": "mine"}))),
            ),
            (
                "GET",
                "/pets/1/toys/ball",
                Some(("/pets/{id}/toys/{toy}", json!({"id": "1", "toy": "ball"}))),
            ),
            (
                "GET",
                "/stores/s1/items",
                Some(("/stores/{store}/items", json!({"store": "s1"}))),
            ),
            // Greedy {proxy+} takes one or more segments, with ANY.
            (
                "GET",
                "/files/a",
                Some(("/files/{path+}", json!({"path": "a"}))),
            ),
            (
                "PATCH",
                "/files/a/b/c.txt",
                Some(("/files/{path+}", json!({"path": "a/b/c.txt"}))),
            ),
            ("GET", "/files/readme", Some(("/files/readme", Value::Null))),
            ("POST", "/files/readme", None),
            ("GET", "/files", None),
            // Unknown routes and methods.
            ("GET", "/cats", None),
            ("PUT", "/pets", None),
            ("GET", "/pets/1/toys", None),
            ("GET", "/Pets", None),
            ("GET", "/stores/s1", None),
        ];
        for (method, path, expect) in rows {
            let got = call(&api, method, path).await;
            eprintln!("{method} {path} -> {}", got.0);
            check(got, expect);
        }
        let routes = api.routes();
        assert!(routes.contains(&("ANY".into(), "/files/{path+}".into(), Some("router".into()))));
    })
    .await;
}
