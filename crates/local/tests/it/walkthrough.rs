//! The reference walkthrough end to end: push the petstore example to a fake account, edit
//! `getUserByName` to return the user name, and `GET /user/user1` returns it.

use std::io::Cursor;
use std::sync::Arc;

use lambda_sync::{Config, Engine, Target};
use lambda_sync_aws::{FakeAws, Lambda as _};
use lambda_sync_local::{HttpRequest, LocalApi, LocalOptions};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn petstore_walkthrough() {
    bounded(walkthrough(None)).await;
}

#[tokio::test]
async fn petstore_walkthrough_python() {
    bounded(walkthrough(Some("python3.13"))).await;
}

async fn walkthrough(runtime: Option<&str>) {
    {
        let spec = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/examples/petstore.yaml"
        );
        let doc = lambda_sync_spec::load_path(spec).unwrap().document;
        let account = FakeAws::default();
        let config = Config {
            runtime: runtime.map(str::to_string),
            ..Config::default()
        };
        let settings = config.resolve(Target::Local).unwrap();
        let engine = Engine::new(
            settings,
            Arc::new(account.clone()),
            Arc::new(account.clone()),
        );
        let report = engine.push(&doc, None).await.unwrap();
        assert!(
            report
                .functions_created
                .iter()
                .any(|f| f == "getUserByName")
        );
        let api_id = report.api_id.unwrap();

        // The saved account, as the CLI leaves it, loads and runs.
        let state = tempfile::tempdir().unwrap();
        let account_file = state.path().join("account.json");
        account.save(&account_file).unwrap();
        let account = FakeAws::load(&account_file).unwrap();

        let functions = state.path().join("functions");
        let options = LocalOptions::new(state.path().join("cache"))
            .with_functions_dir(&functions)
            .with_node(node())
            .with_python(python());
        let api = LocalApi::new(account.clone(), &api_id, options)
            .await
            .unwrap();

        // The generated stub runs as pushed.
        let stub = api
            .invoke(HttpRequest::new("GET", "/user/user1"))
            .await
            .unwrap();
        assert_eq!(stub.function.as_deref(), Some("getUserByName"));
        assert!(
            matches!(stub.status, 200 | 404 | 501),
            "{} {}\n{}",
            stub.status,
            stub.body_text(),
            stub.logs
        );

        // Edit the function where `lambda-sync push` writes its source.
        let info = account.get_function("getUserByName").await.unwrap();
        let zip = account.function_code("getUserByName").unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        let file_name = archive.by_index(0).unwrap().name().unwrap().into_owned();
        let edited = match file_name.rsplit_once('.').unwrap().1 {
            "mjs" => "export const handler = async (event) => event.username;\n",
            "js" => "exports.handler = async (event) => event.username;\n",
            "py" => "def lambda_handler(event, context):\n    return event['username']\n",
            other => panic!(
                "unexpected stub file {other} for runtime {:?}",
                info.runtime
            ),
        };
        std::fs::create_dir_all(functions.join("getUserByName")).unwrap();
        std::fs::write(functions.join("getUserByName").join(&file_name), edited).unwrap();

        let response = api
            .invoke(HttpRequest::new("GET", "/user/user1"))
            .await
            .unwrap();
        assert_eq!(
            response.status,
            200,
            "{}\n{}",
            response.body_text(),
            response.logs
        );
        assert_eq!(json_body(&response), json!("user1"));

        // Other operations still run their stubs; unknown routes are API Gateway's 403.
        let other = api
            .invoke(HttpRequest::new("GET", "/store/inventory"))
            .await
            .unwrap();
        assert_eq!(other.function.as_deref(), Some("getInventory"));
        assert_eq!(
            api.invoke(HttpRequest::new("GET", "/users"))
                .await
                .unwrap()
                .status,
            403
        );
        if let Some(runtime) = runtime {
            assert_eq!(info.runtime.as_deref(), Some(runtime));
        }
    }
}
