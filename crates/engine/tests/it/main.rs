//! Engine tests against the in-memory fake account.

mod granularity;
mod plan;
mod watch;

use lambda_sync::aws::{ApiGateway, Error as AwsError, FakeAws, Lambda, PutMode};
use lambda_sync::{ApplyOptions, Config, DeploymentMode, Engine, Settings, SyncReport, Target};
use lambda_sync_spec::{Document, load_str};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

mod export;
mod write_back;

const PETS: &str = r##"
openapi: 3.0.3
info: {title: Pets, version: "1.0", description: A pet store}
paths:
  /pets:
    get:
      operationId: listPets
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      responses: {"200": {description: ok}}
    post:
      operationId: createPet
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
      responses: {"201": {description: created}, "400": {description: bad input}}
  /pets/{petId}:
    get:
      operationId: showPetById
      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}, "404": {description: not found}}
components:
  schemas:
    Pet:
      type: object
      properties: {id: {type: integer, example: 7}, name: {type: string}}
"##;

fn doc(text: &str) -> Document {
    let loaded = load_str(text).expect("loads");
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.document
}

fn settings(config: Config) -> Settings {
    config.resolve(Target::Local).expect("valid config")
}

fn engine(account: &FakeAws, config: Config) -> Engine {
    Engine::new(
        settings(config),
        Arc::new(account.clone()),
        Arc::new(account.clone()),
    )
    .with_apply_options(
        ApplyOptions::default()
            .with_rate_scale(0.0)
            .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
    )
}

async fn push(
    account: &FakeAws,
    config: Config,
    d: &Document,
    recorded: Option<&str>,
) -> SyncReport {
    engine(account, config)
        .push(d, recorded)
        .await
        .expect("push succeeds")
}

/// What a push leaves in the account, with API ids normalised so two accounts compare.
async fn end_state(account: &FakeAws, api_id: &str) -> serde_json::Value {
    let mut functions = BTreeMap::new();
    for f in account.list_all_functions().await.unwrap() {
        let mut sids: Vec<String> = account
            .get_policy(&f.name)
            .await
            .unwrap()
            .into_iter()
            .map(|s| {
                format!(
                    "{} {}",
                    s.sid,
                    s.source_arn.unwrap_or_default().replace(api_id, "API")
                )
            })
            .collect();
        sids.sort();
        functions.insert(
            f.name.clone(),
            serde_json::json!({"sha": f.code_sha256, "policy": sids}),
        );
    }
    let resources: BTreeMap<String, Vec<String>> = account
        .get_resources(api_id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.path, r.methods.keys().cloned().collect()))
        .collect();
    let apis = account.list_rest_apis().await.unwrap().len();
    serde_json::json!({"functions": functions, "resources": resources, "apis": apis})
}

#[tokio::test]
async fn first_push_creates_everything() {
    let account = FakeAws::default();
    let r = push(&account, Config::default(), &doc(PETS), None).await;
    assert_eq!(
        r.functions_created,
        ["listPets", "createPet", "showPetById"]
    );
    assert!(r.functions_reused.is_empty());
    assert!(r.api_created);
    assert_eq!(r.permissions_added.len(), 3);
    let api_id = r.api_id.clone().unwrap();
    let api = account.get_rest_api(&api_id).await.unwrap();
    assert_eq!(api.name, "Pets");
    let resources = account.get_resources(&api_id).await.unwrap();
    let get = resources
        .iter()
        .find(|r| r.path == "/pets/{petId}")
        .unwrap();
    let integration = get.methods["GET"].integration.as_ref().unwrap();
    assert!(
        integration
            .uri
            .as_deref()
            .unwrap()
            .contains(":function:showPetById/invocations")
    );
    assert_eq!(r.calls.get("CreateFunction"), Some(&3));
    assert_eq!(r.calls.get("ImportRestApi"), Some(&1));
    assert_eq!(r.calls.get("AddPermission"), Some(&3));
    assert_eq!(
        r.calls.get("ListFunctions"),
        Some(&1),
        "one paginated listing, no per-function reads"
    );
    // The permission is least-privilege: this API, this method, this path.
    let policy = account.get_policy("showPetById").await.unwrap();
    assert_eq!(
        policy[0].source_arn.as_deref(),
        Some(format!("arn:aws:execute-api:us-east-1:123456789012:{api_id}/*/GET/pets/*").as_str())
    );
}

#[tokio::test]
async fn second_push_of_the_same_definition_writes_once() {
    let account = FakeAws::default();
    let d = doc(PETS);
    let first = push(&account, Config::default(), &d, None).await;
    let again = push(&account, Config::default(), &d, first.api_id.as_deref()).await;
    assert!(again.functions_created.is_empty());
    assert_eq!(again.functions_reused.len(), 3);
    assert!(again.permissions_added.is_empty());
    assert!(!again.api_created);
    assert_eq!(again.api_id, first.api_id);
    let writes: usize = [
        "CreateFunction",
        "ImportRestApi",
        "PutRestApi",
        "AddPermission",
        "CreateDeployment",
    ]
    .iter()
    .map(|op| again.calls.get(*op).copied().unwrap_or(0))
    .sum();
    assert_eq!(writes, 1, "{:?}", again.calls);
    assert_eq!(account.list_rest_apis().await.unwrap().len(), 1);
}

#[tokio::test]
async fn adding_one_operation_creates_one_function() {
    let account = FakeAws::default();
    let first = push(&account, Config::default(), &doc(PETS), None).await;
    let more = PETS.replace(
        "components:",
        "  /pets/{petId}/photo:\n    put:\n      operationId: uploadPhoto\n      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]\n      responses: {\"204\": {description: done}}\ncomponents:",
    );
    let r = push(
        &account,
        Config::default(),
        &doc(&more),
        first.api_id.as_deref(),
    )
    .await;
    assert_eq!(r.functions_created, ["uploadPhoto"]);
    assert_eq!(r.permissions_added.len(), 1);
    assert!(
        r.permissions_added[0].starts_with("uploadPhoto:"),
        "{:?}",
        r.permissions_added
    );
    assert_eq!(r.calls.get("CreateFunction"), Some(&1));
}

#[tokio::test]
async fn an_existing_function_is_reused_never_overwritten() {
    let account = FakeAws::default();
    let zip = lambda_sync::stubs::package(&lambda_sync::stubs::Stub {
        function_name: "showPetById".into(),
        runtime: "python3.12".into(),
        handler: "lambda_function.lambda_handler".into(),
        file_name: "lambda_function.py".into(),
        source: "def lambda_handler(event, context):\n    return 'mine'\n".into(),
    })
    .unwrap();
    let mine = account
        .create_function(lambda_sync::aws::CreateFunction::new(
            "showPetById",
            "arn:aws:iam::123456789012:role/mine",
            "python3.12",
            "lambda_function.lambda_handler",
            zip,
        ))
        .await
        .unwrap();
    let r = push(&account, Config::default(), &doc(PETS), None).await;
    assert_eq!(r.functions_reused, ["showPetById"]);
    assert_eq!(r.functions_created, ["listPets", "createPet"]);
    let after = account.get_function("showPetById").await.unwrap();
    assert_eq!(after.code_sha256, mine.code_sha256);
    assert_eq!(after.runtime.as_deref(), Some("python3.12"));
    assert_eq!(after.role, mine.role);
}

#[tokio::test]
async fn merge_keeps_what_overwrite_removes() {
    let account = FakeAws::default();
    let first = push(&account, Config::default(), &doc(PETS), None).await;
    let api_id = first.api_id.clone().unwrap();
    let only_one = r#"
openapi: 3.0.3
info: {title: Pets, version: "1.0", description: A pet store}
paths:
  /owners:
    get:
      operationId: listOwners
      responses: {"200": {description: ok}}
"#;
    let merge = Config {
        publish_mode: PutMode::Merge,
        ..Config::default()
    };
    push(&account, merge, &doc(only_one), Some(&api_id)).await;
    let paths: Vec<String> = account
        .get_resources(&api_id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert!(
        paths.contains(&"/owners".to_string()) && paths.contains(&"/pets".to_string()),
        "{paths:?}"
    );

    push(&account, Config::default(), &doc(only_one), Some(&api_id)).await;
    let paths: Vec<String> = account
        .get_resources(&api_id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert!(
        paths.contains(&"/owners".to_string()) && !paths.contains(&"/pets".to_string()),
        "{paths:?}"
    );
}

#[tokio::test]
async fn basepath_modes() {
    let spec = r#"
swagger: "2.0"
info: {title: Base, version: "1", description: d}
basePath: /a/b/c
paths:
  /e:
    get: {operationId: getE, responses: {"200": {description: ok}}}
"#;
    for (mode, expected) in [
        ("ignore", "/e"),
        ("prepend", "/a/b/c/e"),
        ("split", "/b/c/e"),
    ] {
        let account = FakeAws::default();
        let config: Config =
            Config::from_toml_str(&format!("basepath = \"{mode}\""), None).unwrap();
        let r = push(&account, config, &doc(spec), None).await;
        let paths: Vec<String> = account
            .get_resources(r.api_id.as_deref().unwrap())
            .await
            .unwrap()
            .into_iter()
            .filter(|r| !r.methods.is_empty())
            .map(|r| r.path)
            .collect();
        assert_eq!(paths, [expected], "basepath {mode}");
    }
}

#[tokio::test]
async fn disabled_or_never_sends_nothing() {
    for config in [
        Config {
            enabled: false,
            ..Config::default()
        },
        Config {
            deployment: DeploymentMode::Never,
            ..Config::default()
        },
    ] {
        let account = FakeAws::default();
        let r = push(&account, config, &doc(PETS), None).await;
        assert!(r.skipped.is_some());
        assert!(account.calls().is_empty(), "{:?}", account.calls());
        assert!(r.functions_created.is_empty());
    }
}

#[tokio::test]
async fn plan_is_a_dry_run() {
    let account = FakeAws::default();
    let outcome = engine(&account, Config::default())
        .plan(&doc(PETS), None)
        .await
        .unwrap();
    assert_eq!(outcome.plan.create_functions.len(), 3);
    assert!(
        account.calls().iter().all(|c| !c.mutating),
        "{:?}",
        account.calls()
    );
    let text = outcome.plan.to_string();
    assert!(text.contains("import a new REST API \"Pets\""), "{text}");
    assert!(text.contains("+ showPetById"), "{text}");
    let json = serde_json::to_value(&outcome.plan).unwrap();
    assert_eq!(json["api"]["action"], "import");
}

#[tokio::test]
async fn a_stage_gets_a_deployment() {
    let account = FakeAws::default();
    let r = push(
        &account,
        Config {
            stage: Some("dev".into()),
            ..Config::default()
        },
        &doc(PETS),
        None,
    )
    .await;
    assert_eq!(r.deployment.as_ref().map(|d| d.stage.as_str()), Some("dev"));
}

#[tokio::test]
async fn an_unknown_api_id_is_a_clear_error_and_changes_nothing() {
    let account = FakeAws::default();
    let err = engine(
        &account,
        Config {
            api_id: Some("zzzzzzzzzz".into()),
            ..Config::default()
        },
    )
    .push(&doc(PETS), None)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("zzzzzzzzzz"), "{err}");
    assert!(account.calls().iter().all(|c| !c.mutating));
}

/// The operations a clean push writes with, and how often.
const WRITE_OPS: [(&str, u64); 4] = [
    ("CreateFunction", 3),
    ("ImportRestApi", 1),
    ("AddPermission", 3),
    ("CreateDeployment", 1),
];

#[tokio::test]
async fn any_failure_then_a_rerun_equals_a_clean_push() {
    let config = || Config {
        stage: Some("dev".into()),
        ..Config::default()
    };
    let clean = FakeAws::default();
    let r = push(&clean, config(), &doc(PETS), None).await;
    let expected = end_state(&clean, r.api_id.as_deref().unwrap()).await;
    for (op, count) in WRITE_OPS {
        for n in 1..=count {
            let account = FakeAws::default();
            account.fail_nth(
                op,
                n,
                AwsError::AccessDenied {
                    message: "injected".into(),
                },
            );
            let failure = engine(&account, config())
                .push(&doc(PETS), None)
                .await
                .unwrap_err();
            assert!(
                failure.to_string().contains("injected"),
                "{op} #{n}: {failure}"
            );
            // What the failure report says was created really exists.
            for f in &failure.report.functions_created {
                account.get_function(f).await.unwrap();
            }
            if op == "CreateFunction" {
                assert!(
                    failure.report.api_id.is_none(),
                    "the API call must not be made after a failed function"
                );
                assert_eq!(account.call_count("ImportRestApi"), 0);
            }
            account.clear_faults();
            // The re-run uses the API id the failed push recorded (if it got that far).
            let again = engine(&account, config())
                .push(&doc(PETS), failure.report.api_id.as_deref())
                .await
                .unwrap();
            let state = end_state(&account, again.api_id.as_deref().unwrap()).await;
            assert_eq!(state, expected, "after failing {op} #{n}");
            let creates = account
                .calls()
                .iter()
                .filter(|c| c.operation == "CreateFunction")
                .count();
            assert!(
                creates <= 3 + 1,
                "{op} #{n}: {creates} CreateFunction calls"
            );
        }
    }
}

#[tokio::test]
async fn throttling_is_retried_and_never_reaches_the_user() {
    let account = FakeAws::default();
    account.fail_nth(
        "CreateFunction",
        2,
        AwsError::Throttled {
            message: "Rate exceeded".into(),
        },
    );
    account.fail_nth(
        "ImportRestApi",
        1,
        AwsError::Throttled {
            message: "Too Many Requests".into(),
        },
    );
    let r = push(&account, Config::default(), &doc(PETS), None).await;
    assert_eq!(r.functions_created.len(), 3);
    assert_eq!(r.retries, 2);
}

/// At AWS's own rates, on tokio's paused clock (it advances only while every task waits, so
/// the test takes no real time and the durations are exact): the fake answers `Throttled` past
/// those rates, and the engine's pacing keeps every call under them: the limiter lives as long
/// as the engine, so a second push right after the first (watch mode) waits for its import's
/// turn instead of being throttled, and neither push makes a single retry.
#[tokio::test(start_paused = true)]
async fn pacing_keeps_under_the_fakes_rate_limits() {
    let account = FakeAws::default().with_rate_limits(1.0);
    let engine = Engine::new(
        settings(Config::default()),
        Arc::new(account.clone()),
        Arc::new(account.clone()),
    )
    .with_apply_options(ApplyOptions::default().with_rate_scale(1.0));
    let start = tokio::time::Instant::now();
    let r = engine
        .push(&doc(PETS), None)
        .await
        .expect("no throttling error reaches the user");
    assert_eq!(r.functions_created.len(), 3);
    assert_eq!(r.retries, 0, "the first push is paced, never throttled");
    // Without state, a second push imports a second (edge-optimized) API: AWS allows one such
    // import per 30 s, so it comes no sooner than that.
    let r = engine.push(&doc(PETS), None).await.expect("second push");
    assert_eq!(r.retries, 0, "the second push is paced by the same limiter");
    // A clone of the engine shares its pacing too.
    let r = engine
        .clone()
        .push(&doc(PETS), None)
        .await
        .expect("third push");
    assert_eq!(r.retries, 0, "a clone is paced by the same limiter");
    let imports = account
        .calls()
        .iter()
        .filter(|c| c.operation == "ImportRestApi")
        .count();
    assert_eq!(imports, 3, "one import per push, none retried");
    assert_eq!(account.list_rest_apis().await.unwrap().len(), 3);
    let interval = lambda_sync::RateClass::ImportEdge.interval() * 2;
    assert!(
        start.elapsed() >= interval,
        "{:?} < {interval:?}",
        start.elapsed()
    );
}

/// Engines made one after another for one account (the CLI's watch mode) share pacing through
/// one limiter: the second engine's push waits for its import's turn, without a retry.
#[tokio::test(start_paused = true)]
async fn engines_sharing_a_limiter_are_paced_together() {
    let account = FakeAws::default().with_rate_limits(1.0);
    let limiter = Arc::new(lambda_sync::Limiter::new(1.0));
    for _ in 0..2 {
        let engine = Engine::new(
            settings(Config::default()),
            Arc::new(account.clone()),
            Arc::new(account.clone()),
        )
        .with_apply_options(ApplyOptions::default().with_rate_scale(1.0))
        .with_limiter(limiter.clone());
        let r = engine.push(&doc(PETS), None).await.expect("paced push");
        assert_eq!(r.retries, 0);
    }
    assert_eq!(account.call_count("ImportRestApi"), 2);
}

#[tokio::test]
async fn definition_errors_send_nothing() {
    let bad = r#"
openapi: 3.0.3
info: {title: Bad, version: "1"}
paths:
  /search:
    get:
      operationId: search
      parameters: [{name: "filter[status]", in: query, schema: {type: string}}]
      responses: {"200": {description: ok}}
"#;
    // Repaired by default; strict mode makes the repair an error.
    let account = FakeAws::default();
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    let failure = engine(&account, strict)
        .push(&doc(bad), None)
        .await
        .unwrap_err();
    assert!(
        matches!(failure.error, lambda_sync::Error::Definition { .. }),
        "{failure}"
    );
    assert!(account.calls().is_empty());
    // A path no repair can fix (an empty segment) is refused in any mode.
    let unfixable = bad.replace("/search:", "\"/se//arch\":");
    let failure = engine(&account, Config::default())
        .push(&doc(&unfixable), None)
        .await
        .unwrap_err();
    assert!(failure.to_string().contains("path-segment"), "{failure}");
    assert!(account.calls().is_empty());
}

#[tokio::test]
async fn write_back_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pets.yaml");
    let text = PETS.replace("      operationId: listPets\n", "");
    std::fs::write(&path, &text).unwrap();
    let account = FakeAws::default();
    let d = lambda_sync_spec::load_path(&path).unwrap().document;
    // Off: the file is never touched.
    let r = engine(&account, Config::default())
        .push_and_write_back(&d, None, &path)
        .await
        .unwrap();
    assert!(!r.definition_written);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // On: written back in YAML with the extensions, the generated operationId and the API id.
    let on = Config {
        update_definition: true,
        ..Config::default()
    };
    let r = engine(&account, on.clone())
        .push_and_write_back(&d, r.api_id.as_deref(), &path)
        .await
        .unwrap();
    assert!(r.definition_written);
    let back = lambda_sync_spec::load_path(&path).unwrap();
    assert_eq!(back.document.format(), lambda_sync_spec::Format::Yaml);
    let v = back.document.value();
    assert_eq!(v["x-aws-api-id"].as_str(), r.api_id.as_deref());
    assert!(v["paths"]["/pets"]["get"]["operationId"].is_string());
    assert!(v["paths"]["/pets"]["get"]["x-amazon-apigateway-integration"].is_object());
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys[..3], ["openapi", "info", "paths"]);
    // Pushing the written-back file changes nothing more.
    let again = engine(&account, on)
        .push_and_write_back(&back.document, None, &path)
        .await
        .unwrap();
    assert!(!again.definition_written);
    assert!(again.functions_created.is_empty());
    assert_eq!(again.api_id, r.api_id);
}

#[tokio::test]
async fn a_default_response_next_to_a_200_does_not_fail_the_import() {
    // AWS ignores such a `default` response; compat wraps it, so the import (with
    // failonwarnings, the default) runs clean and the response is kept in the wrapper.
    let spec = PETS.replace(
        "responses: {\"200\": {description: ok}, \"404\": {description: not found}}",
        "responses: {\"200\": {description: ok}, \"404\": {description: not found}, default: {description: unexpected}}",
    );
    assert_ne!(spec, PETS);
    let account = FakeAws::default();
    let r = push(&account, Config::default(), &doc(&spec), None).await;
    assert!(
        r.warnings.iter().all(|w| !w.contains("Response 'default'")),
        "{:?}",
        r.warnings
    );
    let body = account
        .stored_definition(r.api_id.as_deref().unwrap())
        .unwrap();
    let responses = &body["paths"]["/pets/{petId}"]["get"]["responses"];
    assert!(responses.get("default").is_none());
    // The slim body leaves out what compat set aside; the AWS-ready document keeps it.
    assert!(responses.get("x-disabled-for-amazon-gateway").is_none());
    let prepared = lambda_sync::prepare(&doc(&spec), &settings(Config::default())).unwrap();
    assert_eq!(
        prepared.document.value()["paths"]["/pets/{petId}"]["get"]["responses"]["x-disabled-for-amazon-gateway"]
            ["default"]["description"],
        "unexpected"
    );
}

#[tokio::test]
async fn two_names_for_one_path_variable_are_refused_before_any_function_is_created() {
    // Regression: Stripe- and Jira-style definitions created every function and then failed
    // the import ("A sibling ({fee}) of this resource ({id}) already has a variable path part").
    let spec = r#"
openapi: 3.0.3
info: {title: Fees, version: "1", description: d}
paths:
  /fees/{id}:
    get:
      operationId: getFee
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /fees/{fee}/refunds:
    get:
      operationId: listRefunds
      parameters: [{name: fee, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
"#;
    // Strict mode refuses it before any call.
    let account = FakeAws::default();
    let strict = Config {
        strict: true,
        ..Config::default()
    };
    let failure = engine(&account, strict)
        .push(&doc(spec), None)
        .await
        .unwrap_err();
    assert!(
        failure.to_string().contains("path-variable-conflict"),
        "{failure}"
    );
    assert!(account.calls().is_empty(), "{:?}", account.calls());
    // By default the variable is renamed (the fake refuses sibling variables as AWS does).
    let account = FakeAws::default();
    let r = engine(&account, Config::default())
        .push(&doc(spec), None)
        .await
        .unwrap();
    let body = account
        .stored_definition(r.api_id.as_deref().unwrap())
        .unwrap();
    assert!(body["paths"].get("/fees/{id}/refunds").is_some(), "{body}");
}

/// A definition with `n` paths under one prefix: `/items`, and `/items/iK` for K in 1..n.
fn many_paths(n: usize) -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: Many, version: \"1\"}\npaths:\n");
    for i in 1..=n {
        text.push_str(&format!(
            "  /items/i{i}:\n    get:\n      operationId: get{i}\n      responses: {{\"200\": {{description: ok}}}}\n"
        ));
    }
    text
}

#[tokio::test]
async fn the_resources_quota_is_checked_before_any_call_and_can_be_raised() {
    // The root, /items and 299 paths: 301 resources, one over AWS's default quota.
    let d = doc(&many_paths(299));
    let account = FakeAws::default();
    let failure = engine(&account, Config::default())
        .push(&d, None)
        .await
        .unwrap_err();
    match &failure.error {
        lambda_sync::Error::TooManyResources { count, quota } => {
            assert_eq!((*count, *quota), (301, 300));
        }
        other => panic!("{other}"),
    }
    let text = failure.error.to_string();
    for needle in [
        "301",
        "Resources per API",
        "resources_per_api",
        "Service Quotas",
    ] {
        assert!(text.contains(needle), "{text} lacks {needle}");
    }
    assert!(account.calls().is_empty(), "{:?}", account.calls());
    // 298 paths fit exactly; a raised quota (on the account and in the config) takes 301.
    push(&account, Config::default(), &doc(&many_paths(298)), None).await;
    let raised = Config {
        quotas: lambda_sync::Quotas {
            resources_per_api: 301,
        },
        ..Config::default()
    };
    let r = push(
        &FakeAws::default().with_resources_per_api(301),
        raised,
        &d,
        None,
    )
    .await;
    assert_eq!(r.functions_created.len(), 299);
}

#[tokio::test]
async fn the_basepath_mode_counts_in_the_resources() {
    let text =
        many_paths(297).replace("paths:\n", "servers: [{url: \"https://h/v1/x\"}]\npaths:\n");
    let d = doc(&text);
    // ignore: 299 resources; prepend adds /v1 and /v1/x (301); split adds /x (300).
    let count = |mode: &str| {
        let config = Config::from_toml_str(&format!("basepath = \"{mode}\""), None).unwrap();
        match lambda_sync::prepare(&d, &settings(config)) {
            Ok(p) => p.resources,
            Err(lambda_sync::Error::TooManyResources { count, .. }) => count,
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(count("ignore"), 299);
    assert_eq!(count("split"), 300);
    assert_eq!(count("prepend"), 301);
}

#[tokio::test]
async fn the_body_is_slim_and_the_write_back_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pets.yaml");
    let text = PETS
        .replace(
            "components:\n  schemas:\n",
            "components:\n  schemas:\n    Unused: {type: string, description: nobody refers to me}\n",
        )
        .replace(
            "paths:\n",
            "tags: [{name: pets, description: Everything about pets}]\npaths:\n",
        );
    std::fs::write(&path, &text).unwrap();
    let d = lambda_sync_spec::load_path(&path).unwrap().document;
    let account = FakeAws::default();
    let on = Config {
        update_definition: true,
        ..Config::default()
    };
    let r = engine(&account, on)
        .push_and_write_back(&d, None, &path)
        .await
        .unwrap();
    let sent = account
        .stored_definition(r.api_id.as_deref().unwrap())
        .unwrap();
    let sent_text = sent.to_string();
    for gone in [
        "Unused",
        "Everything about pets",
        "example",
        "x-disabled-for-amazon-gateway",
    ] {
        assert!(!sent_text.contains(gone), "{gone} was sent: {sent_text}");
    }
    // The API's description, with the import marker as its last line (see `journal`).
    let description = sent["info"]["description"].as_str().unwrap();
    assert!(
        description.starts_with("A pet store\n\nlambda-sync import "),
        "{description}"
    );
    assert!(sent["components"]["schemas"]["Pet"].is_object());
    assert!(sent["paths"]["/pets"]["get"]["x-amazon-apigateway-integration"].is_object());
    let back = std::fs::read_to_string(&path).unwrap();
    for kept in [
        "Unused",
        "nobody refers to me",
        "example: 7",
        "Everything about pets",
    ] {
        assert!(
            back.contains(kept),
            "{kept} missing from the write-back:\n{back}"
        );
    }
}

#[tokio::test]
async fn a_body_over_6_mb_is_refused_before_any_call_naming_what_takes_the_space() {
    // An enum API Gateway validates against is not documentation: it stays, and is too big.
    let values: Vec<String> = (0..420_000).map(|i| format!("value-{i:07}")).collect();
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: Big, version: \"1\"}}\npaths:\n  /small:\n    get:\n      responses: {{\"200\": {{description: ok}}}}\n  /big:\n    get:\n      parameters: [{{name: v, in: query, schema: {{$ref: \"#/components/schemas/Huge\"}}}}]\n      responses: {{\"200\": {{description: ok}}}}\ncomponents:\n  schemas:\n    Huge: {{type: string, enum: {}}}\n",
        serde_json::to_string(&values).unwrap()
    );
    let d = doc(&text);
    let account = FakeAws::default();
    let failure = engine(&account, Config::default())
        .push(&d, None)
        .await
        .unwrap_err();
    let lambda_sync::Error::BodyTooLarge {
        bytes,
        limit,
        largest,
    } = &failure.error
    else {
        panic!("{}", failure.error)
    };
    assert_eq!(*limit, lambda_sync::aws::limits::MAX_API_DEFINITION_BYTES);
    assert!(*bytes > *limit);
    assert_eq!(largest[0].0, "/components/schemas/Huge");
    let message = failure.error.to_string();
    assert!(
        message.contains(&format!("{} over", bytes - limit)),
        "{message}"
    );
    assert!(message.contains("/components/schemas/Huge"), "{message}");
    assert!(account.calls().is_empty());
}

#[tokio::test]
async fn a_re_push_with_the_policy_cache_reads_no_policy_and_writes_once() {
    let account = FakeAws::default();
    let d = doc(PETS);
    let e = engine(&account, Config::default());
    let prepared = lambda_sync::prepare(&d, e.settings()).unwrap();
    let first = e
        .push_recorded(&d, &prepared, &lambda_sync::Recorded::default(), None)
        .await
        .unwrap();
    assert_eq!(
        first.policies.len(),
        3,
        "created functions' policies are known"
    );
    let recorded = lambda_sync::Recorded {
        api_id: first.api_id.clone(),
        policies: Some(first.policies.clone()),
    };
    account.clear_calls();
    let again = e
        .push_recorded(&d, &prepared, &recorded, None)
        .await
        .unwrap();
    assert_eq!(account.call_count("GetPolicy"), 0, "{:?}", again.calls);
    assert_eq!(again.policies_read, 0);
    let writes: Vec<_> = account.calls().into_iter().filter(|c| c.mutating).collect();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(again.policies, first.policies);
    // Without the cache (`--refresh`), every policy is read and the result is the same.
    account.clear_calls();
    let refreshed = e
        .push_recorded(
            &d,
            &prepared,
            &lambda_sync::Recorded::api_id(first.api_id.as_deref()),
            None,
        )
        .await
        .unwrap();
    assert_eq!(account.call_count("GetPolicy"), 3);
    assert_eq!(refreshed.policies, first.policies);
}

#[tokio::test]
async fn a_second_api_and_a_re_created_api_get_statements_of_their_own() {
    let account = FakeAws::default();
    let d = doc(PETS);
    let first = push(&account, Config::default(), &d, None).await;
    // A second API from the same definition (a deleted state file, a moved folder).
    let second = push(&account, Config::default(), &d, None).await;
    assert_ne!(first.api_id, second.api_id);
    assert!(second.functions_created.is_empty());
    assert_eq!(second.permissions_added.len(), 3);
    assert!(second.permissions_removed.is_empty());
    for f in ["listPets", "createPet", "showPetById"] {
        let policy = account.get_policy(f).await.unwrap();
        for id in [&first.api_id, &second.api_id] {
            let id = id.as_deref().unwrap();
            assert!(
                policy
                    .iter()
                    .any(|s| s.sid.contains(id) && s.source_arn.as_deref().unwrap().contains(id)),
                "{f} has no statement for {id}: {policy:?}"
            );
        }
    }
}
/// A journal that keeps the intents in memory, as the CLI keeps them in its state folder.
#[derive(Debug, Default)]
struct MemJournal(std::sync::Mutex<Vec<lambda_sync::ImportIntent>>);

impl lambda_sync::Journal for MemJournal {
    fn before_import(&self, intent: &lambda_sync::ImportIntent) -> lambda_sync::Result<()> {
        self.0.lock().unwrap().push(intent.clone());
        Ok(())
    }
}

/// A push whose outcome was never recorded after its import (the process was killed): the next
/// push finds the API from the recorded intent and adopts it, so the account ends as after one
/// clean push, with one API. An API of the same name that existed before is left alone.
#[tokio::test]
async fn an_api_imported_by_a_killed_push_is_adopted_not_duplicated() {
    let d = doc(PETS);
    let clean = FakeAws::default();
    let r = push(&clean, Config::default(), &d, None).await;
    let clean_id = r.api_id.clone().unwrap();
    let want = end_state(&clean, &clean_id).await;

    let account = FakeAws::default();
    // Someone else's API with the same name, there before.
    let theirs = account
        .import_rest_api(lambda_sync::aws::ImportRestApi::new(
            r#"{"openapi": "3.0.1", "info": {"title": "Pets", "version": "1"}, "paths": {}}"#,
        ))
        .await
        .unwrap();
    let journal = Arc::new(MemJournal::default());
    let e = Engine::new(
        settings(Config::default()),
        Arc::new(account.clone()),
        Arc::new(account.clone()),
    )
    .with_apply_options(
        ApplyOptions::default()
            .with_rate_scale(0.0)
            .with_max_attempts(1)
            .with_journal(journal.clone()),
    );
    // The push stops after the import (as if killed there): its outcome is never recorded.
    account.fail_always(
        "AddPermission",
        AwsError::Service {
            code: "ServiceException".into(),
            message: "killed".into(),
        },
    );
    let failed = e.push(&d, None).await.expect_err("stops after the import");
    assert!(failed.report.api_created);
    account.clear_faults();
    let intents = journal.0.lock().unwrap().clone();
    assert_eq!(intents.len(), 1);
    assert_eq!(intents[0].api_name, "Pets");
    assert_eq!(intents[0].existing, vec![theirs.id.clone()]);
    let marker = intents[0]
        .marker
        .clone()
        .expect("an import intent has a marker");
    assert!(
        marker.starts_with(lambda_sync::IMPORT_MARKER_PREFIX),
        "{marker}"
    );
    // Someone else's API of the same name, created after the killed import: it has no marker,
    // so it is not taken for ours (by name alone the two could not be told apart).
    account
        .import_rest_api(lambda_sync::aws::ImportRestApi::new(
            r#"{"openapi": "3.0.1", "info": {"title": "Pets", "version": "1"}, "paths": {}}"#,
        ))
        .await
        .unwrap();
    let by_name_only = lambda_sync::ImportIntent {
        marker: None,
        ..intents[0].clone()
    };
    assert_eq!(e.adopt(&by_name_only, &[]).await.unwrap(), None);

    let adopted = e.adopt(&intents[0], &[]).await.unwrap().expect("found");
    let ours = account.get_rest_api(&adopted).await.unwrap();
    assert_eq!(
        ours.description.as_deref().and_then(|d| d.lines().last()),
        Some(marker.as_str())
    );
    assert_eq!(Some(&adopted), failed.report.api_id.as_ref());
    let again = e.push(&d, Some(&adopted)).await.expect("finishes the job");
    assert!(!again.api_created);
    assert_eq!(again.api_id.as_deref(), Some(adopted.as_str()));
    let mut got = end_state(&account, &adopted).await;
    // Theirs are still there, untouched: three APIs where the clean account has one.
    assert_eq!(got["apis"], 3);
    got["apis"] = want["apis"].clone();
    // Statement ids name the API: compare with both ids written `API`.
    assert_eq!(
        got.to_string().replace(&adopted, "API"),
        want.to_string().replace(&clean_id, "API")
    );
    // Nothing to adopt when the id is recorded for another definition.
    assert_eq!(e.adopt(&intents[0], &[adopted]).await.unwrap(), None);
}
