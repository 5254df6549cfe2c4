//! Invoke permissions as API Gateway checks them, in every basepath mode, for a first API, a
//! second API that reuses the functions, and an API re-created after its deletion: every
//! method answers 200 through the local runner with policies enforced.

use std::sync::Arc;

use lambda_sync::aws::{AddPermission, BasePathMode, FakeAws, Lambda as _};
use lambda_sync::{Config, Engine, Target};
use lambda_sync_local::{HttpRequest, LocalApi, LocalOptions};

use crate::support::*;

/// Swagger 2.0 with a two-segment base path (`split` takes `/prod` as the stage).
const PETSTORE: &str = r#"
swagger: "2.0"
info: {title: Petstore, version: "1"}
basePath: /prod/v2
paths:
  /pet/{petId}:
    get:
      operationId: getPetById
      parameters: [{name: petId, in: path, required: true, type: integer}]
      responses: {"200": {description: ok}}
  /store/inventory:
    get:
      operationId: getInventory
      responses: {"200": {description: ok}}
  /store/order:
    post:
      operationId: placeOrder
      parameters: [{name: body, in: body, schema: {type: object}}]
      responses: {"200": {description: ok}}
"#;

/// Every method of the pushed API, with the path each is called at.
fn requests(mode: BasePathMode) -> Vec<HttpRequest> {
    let prefix = match mode {
        BasePathMode::Ignore => "",
        BasePathMode::Prepend => "/prod/v2",
        BasePathMode::Split => "/v2",
    };
    vec![
        HttpRequest::new("GET", format!("{prefix}/pet/7")),
        HttpRequest::new("GET", format!("{prefix}/store/inventory")),
        HttpRequest::new("POST", format!("{prefix}/store/order"))
            .with_header("Content-Type", "application/json")
            .with_body(b"{}".to_vec()),
    ]
}

async fn push(account: &FakeAws, mode: BasePathMode) -> String {
    let doc = lambda_sync_spec::load_str(PETSTORE).unwrap().document;
    let settings = Config {
        basepath: mode,
        ..Config::default()
    }
    .resolve(Target::Local)
    .unwrap();
    let engine = Engine::new(
        settings,
        Arc::new(account.clone()),
        Arc::new(account.clone()),
    );
    let report = engine.push(&doc, None).await.expect("push");
    report.api_id.expect("an API id")
}

#[track_caller]
fn assert_all_200(label: &str, responses: &[(String, u16, String)]) {
    for (what, status, detail) in responses {
        assert_eq!(*status, 200, "{label}: {what} answered {status}: {detail}");
    }
}

async fn call_all(
    account: &FakeAws,
    api_id: &str,
    mode: BasePathMode,
) -> Vec<(String, u16, String)> {
    let cache = tempfile::tempdir().unwrap();
    let options = LocalOptions::new(cache.path())
        .with_timeout(std::time::Duration::from_secs(20))
        .with_node(node())
        .with_python(python());
    assert!(options.check_policies, "policies are checked by default");
    let api = LocalApi::new(account.clone(), api_id, options)
        .await
        .unwrap();
    let mut out = Vec::new();
    for request in requests(mode) {
        let what = format!("{} {}", request.method, request.path);
        let r = api.invoke(request).await.unwrap();
        out.push((what, r.status, format!("{} {}", r.body_text(), r.logs)));
    }
    out
}

#[tokio::test]
async fn every_method_answers_200_in_every_basepath_mode_and_api_generation() {
    // 36 function runs: a wider safety net than `bounded`'s.
    let run = async {
        for mode in [
            BasePathMode::Ignore,
            BasePathMode::Prepend,
            BasePathMode::Split,
        ] {
            let account = FakeAws::default();
            let label = |what: &str| format!("{} / {what}", mode.as_str());
            let first = push(&account, mode).await;
            assert_all_200(&label("first API"), &call_all(&account, &first, mode).await);

            // A second API that reuses the functions: both APIs can call them.
            let second = push(&account, mode).await;
            assert_ne!(first, second);
            assert_all_200(
                &label("second API"),
                &call_all(&account, &second, mode).await,
            );
            assert_all_200(
                &label("first API after the second"),
                &call_all(&account, &first, mode).await,
            );

            // The API deleted, then created again by a push.
            assert!(account.delete_rest_api(&second));
            let third = push(&account, mode).await;
            assert_all_200(
                &label("re-created API"),
                &call_all(&account, &third, mode).await,
            );
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(900), run)
        .await
        .expect("the matrix took longer than 15 minutes");
}

#[tokio::test]
async fn without_permission_the_answer_is_500_and_the_log_says_why() {
    bounded(async {
        let account = FakeAws::default();
        let api_id = push(&account, BasePathMode::Ignore).await;
        // A statement for another API only.
        account
            .remove_permission(
                "getInventory",
                &account.get_policy("getInventory").await.unwrap()[0].sid,
            )
            .await
            .unwrap();
        account
            .add_permission(
                AddPermission::new("getInventory", "other-api").with_source_arn(
                    "arn:aws:execute-api:us-east-1:123456789012:otherapi00/*/GET/store/inventory",
                ),
            )
            .await
            .unwrap();
        let responses = call_all(&account, &api_id, BasePathMode::Ignore).await;
        let (what, status, detail) = &responses[1];
        assert_eq!(*status, 500, "{what}: {detail}");
        assert!(
            detail.contains(r#"{"message":"Internal server error"}"#)
                || detail.contains("Internal server error"),
            "{detail}"
        );
        assert!(
            detail.contains("Invalid permissions on Lambda function getInventory"),
            "{detail}"
        );
        assert!(
            detail.contains(&format!("{api_id}/local/GET/store/inventory")),
            "{detail}"
        );
        // The other methods are unaffected.
        assert_eq!(responses[0].1, 200, "{}", responses[0].2);

        // With the check off, the function runs.
        let cache = tempfile::tempdir().unwrap();
        let api = LocalApi::new(
            account.clone(),
            &api_id,
            LocalOptions::new(cache.path())
                .with_node(node())
                .with_python(python())
                .with_timeout(std::time::Duration::from_secs(20))
                .with_policy_check(false),
        )
        .await
        .unwrap();
        let r = api
            .invoke(HttpRequest::new("GET", "/store/inventory"))
            .await
            .unwrap();
        assert_eq!(r.status, 200, "{}", r.body_text());
    })
    .await;
}
