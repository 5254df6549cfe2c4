//! The contract every backend must meet, as a public suite of async checks.
//!
//! Each function takes the backend as `&dyn ApiGateway` / `&dyn Lambda` and a [`ConformanceTarget`]
//! describing it, and returns [`Outcome::Passed`] or [`Outcome::NotSupported`] with the reason
//! when a known emulator difference ([`Quirks`]) keeps it from checking something. A broken
//! contract panics with a message saying what differed, like an assertion in a test.
//!
//! Names are made unique with [`ConformanceTarget::prefix`], so the suite can run again against the same
//! live endpoint without collisions.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use lambda_sync_aws::FakeAws;
//! use lambda_sync_aws::conformance::{self, Outcome, ConformanceTarget};
//! let aws = FakeAws::default();
//! let target = ConformanceTarget::new("arn:aws:iam::123456789012:role/lambda", "doc");
//! for (name, outcome) in conformance::run_all(&aws, &aws, &target).await {
//!     assert_eq!(outcome, Outcome::Passed, "{name}");
//! }
//! # }
//! ```

use std::collections::BTreeSet;
use std::fmt::Debug;

use base64::Engine as _;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{
    AddPermission, ApiGateway, BasePathMode, CreateFunction, Error, ImportRestApi, Lambda, PutMode,
    PutRestApi, Resource, Result, minimal_zip,
};

/// The result of one conformance check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Everything the check covers behaved as AWS documents.
    Passed,
    /// The backend is a known-different emulator: (part of) the check could not be made.
    NotSupported {
        /// What was not checked and why.
        reason: String,
    },
}

impl Outcome {
    fn not_supported(reason: impl Into<String>) -> Self {
        Outcome::NotSupported {
            reason: reason.into(),
        }
    }
}

/// Known differences of an emulator from AWS. [`Quirks::default`] (none) is AWS itself and the
/// fake; [`Quirks::moto`] is moto 5.2.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Quirks {
    /// Swagger 2.0 definitions are refused on import.
    pub swagger2_refused: bool,
    /// The `basepath` import parameter is ignored.
    pub basepath_ignored: bool,
    /// `PutRestApi` with `mode=merge` duplicates resources instead of merging them.
    pub merge_duplicates_resources: bool,
    /// `ListFunctions` ignores `MaxItems` (everything comes in one page).
    pub max_items_ignored: bool,
    /// `failonwarnings` and import warnings are not implemented.
    pub warnings_not_reported: bool,
    /// Imported methods lack request parameters, method responses or integration details.
    pub import_details_incomplete: bool,
    /// `CreateDeployment` accepts an API without methods.
    pub deploy_without_methods_accepted: bool,
    /// `CreateDeployment` answers `NotFoundException` (not `BadRequestException`) when a method
    /// has no integration.
    pub missing_integration_is_not_found: bool,
    /// Some `CreateFunction` input validation (names, role ARNs, runtimes, zips) is missing.
    pub lambda_validation_incomplete: bool,
    /// `AddPermission` accepts a statement id that is already in the policy.
    pub duplicate_statement_id_accepted: bool,
    /// Integration rules API Gateway enforces on import (the `timeoutInMillis` range, POST for
    /// Lambda integrations, sibling variables against existing resources on merge) are not.
    pub integration_rules_unchecked: bool,
    /// Lambda's resource-policy size limit is not enforced, or `RemovePermission` of a missing
    /// statement is accepted.
    pub policy_rules_unchecked: bool,
    /// The "Resources per API" quota is not enforced on import or put.
    pub resource_quota_not_enforced: bool,
    /// A definition over the 6 MB limit is accepted.
    pub body_size_not_enforced: bool,
}

impl Quirks {
    /// No quirks: AWS and [`crate::FakeAws`].
    pub fn none() -> Self {
        Quirks::default()
    }

    /// moto 5.2 in server mode.
    pub fn moto() -> Self {
        Quirks {
            swagger2_refused: true,
            basepath_ignored: true,
            merge_duplicates_resources: true,
            max_items_ignored: true,
            warnings_not_reported: true,
            import_details_incomplete: true,
            deploy_without_methods_accepted: false,
            missing_integration_is_not_found: true,
            lambda_validation_incomplete: true,
            duplicate_statement_id_accepted: true,
            integration_rules_unchecked: true,
            policy_rules_unchecked: true,
            resource_quota_not_enforced: true,
            body_size_not_enforced: true,
        }
    }
}

/// The backend under test: the execution role to create functions with, a prefix that makes
/// names unique to this run, and the emulator's quirks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConformanceTarget {
    /// An IAM role ARN the backend accepts for `CreateFunction`.
    pub role_arn: String,
    /// Prefix of every API and function name created (letters, digits, `-`, `_`).
    pub prefix: String,
    /// Known differences from AWS.
    pub quirks: Quirks,
    /// The backend's "Resources per API" quota (default: AWS's default, 300).
    pub resources_per_api: usize,
}

impl ConformanceTarget {
    /// A target without quirks.
    pub fn new(role_arn: impl Into<String>, prefix: impl Into<String>) -> Self {
        ConformanceTarget {
            role_arn: role_arn.into(),
            prefix: prefix.into(),
            quirks: Quirks::none(),
            resources_per_api: crate::limits::DEFAULT_RESOURCES_PER_API,
        }
    }

    /// Sets the backend's "Resources per API" quota (when it was raised in Service Quotas).
    pub fn with_resources_per_api(mut self, quota: usize) -> Self {
        self.resources_per_api = quota;
        self
    }

    /// Sets the quirks.
    pub fn with_quirks(mut self, quirks: Quirks) -> Self {
        self.quirks = quirks;
        self
    }

    fn name(&self, suffix: &str) -> String {
        format!("{}-{suffix}", self.prefix)
    }
}

#[track_caller]
fn ok<T>(what: &str, result: Result<T>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("{what}: unexpected error {e:?}"),
    }
}

#[track_caller]
fn expect_err<T: Debug>(what: &str, result: Result<T>, expected: fn(&Error) -> bool) -> Error {
    match result {
        Ok(value) => panic!("{what}: expected an error, got {value:?}"),
        Err(e) if expected(&e) => e,
        Err(e) => panic!("{what}: wrong error {e:?}"),
    }
}

fn paths(resources: &[Resource]) -> Vec<String> {
    let mut paths: Vec<String> = resources.iter().map(|r| r.path.clone()).collect();
    paths.sort();
    paths
}

#[track_caller]
fn resource<'a>(resources: &'a [Resource], path: &str) -> &'a Resource {
    resources
        .iter()
        .find(|r| r.path == path)
        .unwrap_or_else(|| panic!("no resource {path} in {:?}", paths(resources)))
}

fn lambda_uri(name: &str) -> String {
    format!(
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:{name}/invocations"
    )
}

fn ok_response() -> serde_json::Value {
    json!({"200": {"description": "ok"}})
}

/// An OpenAPI 3.0 body. moto needs `info.description`, so it is always set.
fn openapi3(title: &str, paths: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "openapi": "3.0.1",
        "info": {"title": title, "description": "conformance suite", "version": "1.0"},
        "paths": paths,
    }))
    .expect("serialisable")
}

fn sha256_b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

fn test_zip(name: &str) -> Vec<u8> {
    minimal_zip(
        "index.js",
        format!("exports.handler = async (event) => ({{ fn: {name:?}, event }});").as_bytes(),
    )
}

async fn create(
    lambda: &dyn Lambda,
    target: &ConformanceTarget,
    name: &str,
) -> crate::FunctionInfo {
    ok(
        "CreateFunction",
        lambda
            .create_function(
                CreateFunction::new(
                    name,
                    &target.role_arn,
                    "nodejs22.x",
                    "index.handler",
                    test_zip(name),
                )
                .with_description("conformance suite"),
            )
            .await,
    )
}

/// Imports an OpenAPI 3.0 definition and reads back the API, its resources, methods,
/// parameters, responses and integration.
pub async fn import_openapi3(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let title = target.name("import3");
    let body = openapi3(
        &title,
        json!({
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "parameters": [{"name": "limit", "in": "query", "required": false, "schema": {"type": "integer"}}],
                    "responses": ok_response(),
                },
                "post": {
                    "operationId": "createPet",
                    "responses": {"201": {"description": "created"}},
                    "x-amazon-apigateway-integration": {
                        "type": "aws_proxy",
                        "httpMethod": "POST",
                        "uri": lambda_uri("createPet"),
                        "passthroughBehavior": "when_no_match",
                    },
                },
            },
            "/pets/{petId}": {
                "get": {
                    "operationId": "getPet",
                    "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": ok_response(),
                    "x-amazon-apigateway-integration": {
                        "type": "aws",
                        "httpMethod": "POST",
                        "uri": lambda_uri("getPet"),
                        "requestTemplates": {"application/json": "{\"petId\": \"$input.params('petId')\"}"},
                        "responses": {"default": {"statusCode": "200"}},
                    },
                },
            },
        }),
    );
    let created = ok(
        "import",
        api.import_rest_api(ImportRestApi::new(body)).await,
    );
    assert_eq!(created.name, title, "API name is info.title");
    assert_eq!(created.description.as_deref(), Some("conformance suite"));
    let got = ok("get_rest_api", api.get_rest_api(&created.id).await);
    assert_eq!(got.id, created.id);
    assert_eq!(got.name, title);
    let found = ok("find", api.find_rest_apis_by_name(&title).await);
    assert!(
        found.iter().any(|a| a.id == created.id),
        "find_rest_apis_by_name({title}) misses {}",
        created.id
    );

    // The API's description is the imported `info.description`, several lines kept whole:
    // lambda-sync marks the APIs it imports with a last line there (tags cannot be set by an
    // import), and finds them again by name and that line after a killed push.
    let marked_title = format!("{title} marked");
    let marked_body = serde_json::to_vec(&json!({
        "openapi": "3.0.1",
        "info": {
            "title": marked_title,
            "description": "conformance suite\n\nlambda-sync import 0123456789abcdef",
            "version": "1.0",
        },
        "paths": {},
    }))
    .expect("serialisable");
    let marked = ok(
        "import (marked)",
        api.import_rest_api(ImportRestApi::new(marked_body)).await,
    );
    let found = ok(
        "find (marked)",
        api.find_rest_apis_by_name(&marked_title).await,
    );
    let last_line = found
        .iter()
        .find(|a| a.id == marked.id)
        .and_then(|a| a.description.as_deref())
        .and_then(|d| d.lines().last());
    assert_eq!(last_line, Some("lambda-sync import 0123456789abcdef"));

    let resources = ok("get_resources", api.get_resources(&created.id).await);
    assert_eq!(paths(&resources), ["/", "/pets", "/pets/{petId}"]);
    let root = resource(&resources, "/");
    assert_eq!(root.parent_id, None);
    let pets = resource(&resources, "/pets");
    assert_eq!(pets.parent_id.as_deref(), Some(root.id.as_str()));
    assert_eq!(pets.path_part.as_deref(), Some("pets"));
    let pet = resource(&resources, "/pets/{petId}");
    assert_eq!(pet.parent_id.as_deref(), Some(pets.id.as_str()));
    assert_eq!(
        pets.methods.keys().cloned().collect::<Vec<_>>(),
        ["GET", "POST"]
    );
    assert_eq!(pet.methods.keys().cloned().collect::<Vec<_>>(), ["GET"]);

    let mut missing = Vec::new();
    for (method, expected) in [
        (&pets.methods["GET"], "listPets"),
        (&pets.methods["POST"], "createPet"),
        (&pet.methods["GET"], "getPet"),
    ] {
        match method.operation_name.as_deref() {
            Some(name) => assert_eq!(name, expected, "operation name"),
            None => {
                if !missing.contains(&"operation names") {
                    missing.push("operation names");
                }
            }
        }
    }
    let post = &pets.methods["POST"];
    match &post.integration {
        Some(i) => {
            assert_eq!(i.integration_type, "AWS_PROXY");
            assert_eq!(i.uri.as_deref(), Some(lambda_uri("createPet").as_str()));
            assert_eq!(i.http_method.as_deref(), Some("POST"));
        }
        None => missing.push("integration of POST /pets"),
    }
    let get_pet = &pet.methods["GET"];
    match &get_pet.integration {
        Some(i) => {
            assert_eq!(i.integration_type, "AWS");
            if i.request_templates.contains_key("application/json") {
                assert!(i.request_templates["application/json"].contains("petId"));
            } else {
                missing.push("request templates");
            }
            match i.integration_responses.get("200") {
                Some(r) => assert_eq!(r.selection_pattern, None),
                None => missing.push("integration responses"),
            }
        }
        None => missing.push("integration of GET /pets/{petId}"),
    }
    match get_pet.request_parameters.get("method.request.path.petId") {
        Some(required) => assert!(*required, "path parameters are required"),
        None => missing.push("request parameters"),
    }
    if let Some(required) = pets.methods["GET"]
        .request_parameters
        .get("method.request.querystring.limit")
    {
        assert!(!*required, "limit is optional");
    } else {
        missing.push("query string parameters");
    }
    if get_pet.method_responses != ["200"] || post.method_responses != ["201"] {
        missing.push("method responses");
    }
    if missing.is_empty() {
        Outcome::Passed
    } else if target.quirks.import_details_incomplete {
        Outcome::not_supported(format!(
            "the emulator's import drops {}",
            missing.join(", ")
        ))
    } else {
        panic!("import lost {}", missing.join(", "));
    }
}

/// Imports a Swagger 2.0 definition (YAML) and reads back its resources.
pub async fn import_swagger2(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let title = target.name("import2");
    let body = format!(
        "swagger: \"2.0\"\ninfo:\n  title: {title}\n  description: conformance suite\n  version: \"2\"\nbasePath: /v1\npaths:\n  /items/{{id}}:\n    get:\n      operationId: getItem\n      parameters:\n        - {{name: id, in: path, required: true, type: string}}\n      responses:\n        default: {{description: ok}}\n"
    );
    let created = match api.import_rest_api(ImportRestApi::new(body)).await {
        Ok(created) => created,
        Err(e) if target.quirks.swagger2_refused => {
            return Outcome::not_supported(format!(
                "the emulator refuses Swagger 2.0 imports ({e})"
            ));
        }
        Err(e) => panic!("Swagger 2.0 import failed: {e:?}"),
    };
    assert_eq!(created.name, title);
    let resources = ok("get_resources", api.get_resources(&created.id).await);
    assert_eq!(paths(&resources), ["/", "/items", "/items/{id}"]);
    let get = &resource(&resources, "/items/{id}").methods["GET"];
    assert_eq!(get.operation_name.as_deref(), Some("getItem"));
    assert_eq!(get.method_responses, ["200"], "default becomes 200");
    Outcome::Passed
}

/// `basepath` ignore / prepend / split with base path `/a/b/c` and path `/e`.
pub async fn import_basepath_modes(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let mut failures = Vec::new();
    for (mode, expected) in [
        (BasePathMode::Ignore, vec!["/", "/e"]),
        (
            BasePathMode::Prepend,
            vec!["/", "/a", "/a/b", "/a/b/c", "/a/b/c/e"],
        ),
        (BasePathMode::Split, vec!["/", "/b", "/b/c", "/b/c/e"]),
    ] {
        let title = target.name(&format!("basepath-{}", mode.as_str()));
        let body = serde_json::to_vec(&json!({
            "openapi": "3.0.1",
            "info": {"title": title, "description": "conformance suite", "version": "1"},
            "servers": [{"url": "https://example.com/{basePath}", "variables": {"basePath": {"default": "a/b/c"}}}],
            "paths": {"/e": {"get": {"responses": ok_response()}}},
        }))
        .expect("serialisable");
        let created = ok(
            "import",
            api.import_rest_api(ImportRestApi::new(body).with_basepath(mode))
                .await,
        );
        let resources = ok("get_resources", api.get_resources(&created.id).await);
        let got = paths(&resources);
        if got != expected {
            failures.push(format!(
                "{}: got {got:?}, expected {expected:?}",
                mode.as_str()
            ));
            continue;
        }
        let leaf = resource(&resources, expected.last().expect("non-empty"));
        assert!(leaf.methods.contains_key("GET"));
        for r in &resources {
            if r.path != leaf.path {
                assert!(r.methods.is_empty(), "{} should have no methods", r.path);
            }
        }
    }
    if failures.is_empty() {
        Outcome::Passed
    } else if target.quirks.basepath_ignored {
        Outcome::not_supported(format!(
            "the emulator ignores the basepath parameter ({})",
            failures.join("; ")
        ))
    } else {
        panic!("basepath modes: {}", failures.join("; "));
    }
}

fn v1_paths() -> serde_json::Value {
    json!({
        "/a": {"get": {"operationId": "getA", "responses": ok_response()}},
        "/b": {"get": {"operationId": "oldGetB", "responses": ok_response()}},
        // The method responses tell which definition a method came from (moto drops
        // operation names).
    })
}

fn v2_paths() -> serde_json::Value {
    json!({
        "/b": {
            "get": {"operationId": "newGetB", "responses": {"202": {"description": "accepted"}}},
            "post": {"operationId": "postB", "responses": ok_response()},
        },
        "/c": {"get": {"operationId": "getC", "responses": ok_response()}},
    })
}

/// `PutRestApi` with `overwrite` replaces the resource tree.
pub async fn put_overwrite_replaces(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let title = target.name("overwrite");
    let created = ok(
        "import",
        api.import_rest_api(ImportRestApi::new(openapi3(&title, v1_paths())))
            .await,
    );
    let v2 = openapi3(&title, v2_paths());
    ok(
        "put overwrite",
        api.put_rest_api(PutRestApi::new(&created.id, v2).with_mode(PutMode::Overwrite))
            .await,
    );
    let resources = ok("get_resources", api.get_resources(&created.id).await);
    assert_eq!(paths(&resources), ["/", "/b", "/c"]);
    let b = resource(&resources, "/b");
    assert_eq!(
        b.methods.keys().cloned().collect::<Vec<_>>(),
        ["GET", "POST"]
    );
    assert_eq!(b.methods["GET"].method_responses, ["202"], "the new GET /b");
    assert_eq!(
        ok("get", api.get_rest_api(&created.id).await).name,
        title,
        "the API keeps its name"
    );
    Outcome::Passed
}

/// `PutRestApi` with `merge` adds resources and methods, the incoming definition winning on
/// conflicts, and keeps the rest.
pub async fn put_merge_keeps_others(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let title = target.name("merge");
    let created = ok(
        "import",
        api.import_rest_api(ImportRestApi::new(openapi3(&title, v1_paths())))
            .await,
    );
    let v2 = openapi3(&title, v2_paths());
    ok(
        "put merge",
        api.put_rest_api(PutRestApi::new(&created.id, v2).with_mode(PutMode::Merge))
            .await,
    );
    let resources = ok("get_resources", api.get_resources(&created.id).await);
    let got = paths(&resources);
    if got != ["/", "/a", "/b", "/c"] {
        if target.quirks.merge_duplicates_resources {
            return Outcome::not_supported(format!(
                "the emulator duplicates resources on merge (paths after merge: {got:?})"
            ));
        }
        panic!("merge gave {got:?}");
    }
    assert!(
        resource(&resources, "/a").methods.contains_key("GET"),
        "merge keeps what the definition does not mention"
    );
    let b = resource(&resources, "/b");
    assert_eq!(
        b.methods.keys().cloned().collect::<Vec<_>>(),
        ["GET", "POST"]
    );
    assert_eq!(
        b.methods["GET"].method_responses,
        ["202"],
        "the incoming definition wins"
    );
    assert!(resource(&resources, "/c").methods.contains_key("GET"));
    Outcome::Passed
}

/// A definition with import warnings: without `failonwarnings` they are returned; with it the
/// import fails and no API is left behind.
pub async fn fail_on_warnings(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let title = target.name("warnings");
    let body = openapi3(
        &title,
        json!({"/w": {"get": {"responses": {"200": {"description": "ok"}, "4XX": {"description": "client error"}}}}}),
    );
    let failed = api
        .import_rest_api(ImportRestApi::new(body.clone()).with_fail_on_warnings(true))
        .await;
    let after = ok("find", api.find_rest_apis_by_name(&title).await);
    match failed {
        Err(Error::InvalidInput { .. }) => {
            assert!(after.is_empty(), "a failed import left {after:?}");
        }
        other => {
            if target.quirks.warnings_not_reported {
                return Outcome::not_supported(format!(
                    "the emulator does not implement failonwarnings (the import {})",
                    brief(&other)
                ));
            }
            panic!("failonwarnings import gave {other:?}");
        }
    }
    let created = ok(
        "import",
        api.import_rest_api(ImportRestApi::new(body)).await,
    );
    assert!(
        !created.warnings.is_empty(),
        "an import with a 4XX response reports a warning"
    );
    Outcome::Passed
}

/// Reading a REST API that does not exist is `NotFound`.
pub async fn get_rest_api_not_found(api: &dyn ApiGateway, _target: &ConformanceTarget) -> Outcome {
    expect_err(
        "get missing API",
        api.get_rest_api("zz00000000").await,
        |e| matches!(e, Error::NotFound { .. }),
    );
    expect_err(
        "resources of a missing API",
        api.get_resources("zz00000000").await,
        |e| matches!(e, Error::NotFound { .. }),
    );
    Outcome::Passed
}

/// Deploying to a stage works; an API without methods, or with a method that has no
/// integration, cannot be deployed.
pub async fn create_deployment(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    // A Lambda proxy integration: moto fails with 500 on integrations without a uri (MOCK).
    let integration =
        json!({"type": "aws_proxy", "httpMethod": "POST", "uri": lambda_uri("deployed")});
    let title = target.name("deploy");
    let created = ok(
        "import",
        api.import_rest_api(ImportRestApi::new(openapi3(
            &title,
            json!({"/a": {"get": {"responses": ok_response(), "x-amazon-apigateway-integration": integration}}}),
        )))
        .await,
    );
    let deployment = ok(
        "deploy",
        api.create_deployment(&created.id, "test", Some("conformance"))
            .await,
    );
    assert!(!deployment.id.is_empty());
    assert_eq!(deployment.stage, "test");

    let mut differences = Vec::new();
    let empty = ok(
        "import empty",
        api.import_rest_api(ImportRestApi::new(openapi3(
            &target.name("deploy-empty"),
            json!({}),
        )))
        .await,
    );
    match api.create_deployment(&empty.id, "test", None).await {
        Err(Error::InvalidInput { .. }) => {}
        other if target.quirks.deploy_without_methods_accepted => differences.push(format!(
            "the emulator deploys an API without methods ({})",
            brief(&other)
        )),
        other => panic!("deploying an API without methods gave {other:?}"),
    }

    let bare = ok(
        "import without integration",
        api.import_rest_api(ImportRestApi::new(openapi3(
            &target.name("deploy-bare"),
            json!({"/a": {"get": {"responses": ok_response()}}}),
        )))
        .await,
    );
    match api.create_deployment(&bare.id, "test", None).await {
        Err(Error::InvalidInput { .. }) => {}
        Err(e @ Error::NotFound { .. }) if target.quirks.missing_integration_is_not_found => {
            differences.push(format!(
                "the emulator answers NotFound, not BadRequest, for a method without integration ({e})"
            ))
        }
        other => panic!("deploying a method without integration gave {other:?}"),
    }
    if differences.is_empty() {
        Outcome::Passed
    } else {
        Outcome::not_supported(differences.join("; "))
    }
}

/// Creating a function, reading it back by name and ARN, and its `CodeSha256`.
pub async fn create_and_get_function(lambda: &dyn Lambda, target: &ConformanceTarget) -> Outcome {
    let name = target.name("fn-get");
    let zip = test_zip(&name);
    let created = create(lambda, target, &name).await;
    assert_eq!(created.name, name);
    assert!(
        created.arn.starts_with("arn:aws:lambda:")
            && created.arn.ends_with(&format!(":function:{name}")),
        "ARN {}",
        created.arn
    );
    assert_eq!(
        created.code_sha256.as_deref(),
        Some(sha256_b64(&zip).as_str())
    );
    assert_eq!(created.code_size, Some(zip.len() as u64));
    assert_eq!(created.runtime.as_deref(), Some("nodejs22.x"));
    assert_eq!(created.handler.as_deref(), Some("index.handler"));
    assert_eq!(created.role.as_deref(), Some(target.role_arn.as_str()));
    let got = ok("get_function", lambda.get_function(&name).await);
    assert_eq!(got.arn, created.arn);
    assert_eq!(got.code_sha256, created.code_sha256);
    assert_eq!(got.description.as_deref(), Some("conformance suite"));
    let by_arn = ok(
        "get_function by ARN",
        lambda.get_function(&created.arn).await,
    );
    assert_eq!(by_arn.name, name);
    expect_err(
        "get missing function",
        lambda.get_function(&target.name("fn-missing")).await,
        |e| matches!(e, Error::NotFound { .. }),
    );
    Outcome::Passed
}

/// Creating a function whose name is taken is a `Conflict`.
pub async fn duplicate_function_conflict(
    lambda: &dyn Lambda,
    target: &ConformanceTarget,
) -> Outcome {
    let name = target.name("fn-dup");
    create(lambda, target, &name).await;
    expect_err(
        "duplicate CreateFunction",
        lambda
            .create_function(CreateFunction::new(
                &name,
                &target.role_arn,
                "nodejs22.x",
                "index.handler",
                test_zip(&name),
            ))
            .await,
        |e| matches!(e, Error::Conflict { .. }),
    );
    Outcome::Passed
}

/// Listing more than 50 functions: pages of at most 50 with a marker, and every function once.
pub async fn list_functions_pagination(lambda: &dyn Lambda, target: &ConformanceTarget) -> Outcome {
    let names: BTreeSet<String> = (0..55)
        .map(|i| target.name(&format!("fn-page-{i:02}")))
        .collect();
    for name in &names {
        create(lambda, target, name).await;
    }
    let first = ok("list_functions", lambda.list_functions(None).await);
    let paged = first.functions.len() <= 50 && first.next_marker.is_some();
    let all = ok("list_all_functions", lambda.list_all_functions().await);
    let ours: Vec<&str> = all
        .iter()
        .map(|f| f.name.as_str())
        .filter(|n| names.contains(*n))
        .collect();
    assert_eq!(
        ours.len(),
        names.len(),
        "every function listed exactly once"
    );
    assert_eq!(
        ours.iter().copied().collect::<BTreeSet<_>>().len(),
        names.len()
    );
    if paged {
        Outcome::Passed
    } else if target.quirks.max_items_ignored {
        Outcome::not_supported(format!(
            "the emulator ignores MaxItems: the first page had {} functions and no marker (listing all works)",
            first.functions.len()
        ))
    } else {
        panic!(
            "first page: {} functions, marker {:?}",
            first.functions.len(),
            first.next_marker
        );
    }
}

/// Bad function names, role ARNs, blocked runtimes and non-zip packages are `InvalidInput`.
pub async fn invalid_function_input(lambda: &dyn Lambda, target: &ConformanceTarget) -> Outcome {
    let good = |name: &str| {
        CreateFunction::new(
            name,
            &target.role_arn,
            "nodejs22.x",
            "index.handler",
            test_zip(name),
        )
    };
    let cases = [
        ("a bad name", good("bad name!")),
        ("a 65-character name", good(&"x".repeat(65))),
        (
            "a role that is not an ARN",
            CreateFunction {
                role: "not-a-role-arn".into(),
                ..good(&target.name("fn-badrole"))
            },
        ),
        (
            "a runtime AWS blocks (python3.8)",
            CreateFunction {
                runtime: "python3.8".into(),
                ..good(&target.name("fn-oldruntime"))
            },
        ),
        (
            "a package that is not a zip",
            CreateFunction {
                zip: b"not a zip".to_vec(),
                ..good(&target.name("fn-notzip"))
            },
        ),
    ];
    let mut accepted = Vec::new();
    for (what, request) in cases {
        match lambda.create_function(request).await {
            Err(Error::InvalidInput { .. }) => {}
            other if target.quirks.lambda_validation_incomplete => {
                accepted.push(format!("{what} ({})", brief(&other)))
            }
            other => panic!("CreateFunction with {what} gave {other:?}"),
        }
    }
    if accepted.is_empty() {
        Outcome::Passed
    } else {
        Outcome::not_supported(format!(
            "the emulator does not refuse {} as InvalidInput",
            accepted.join(", ")
        ))
    }
}

fn brief<T>(result: &Result<T>) -> String {
    match result {
        Ok(_) => "accepted".to_string(),
        Err(e) => e.to_string().chars().take(120).collect(),
    }
}

/// `AddPermission` and `GetPolicy`: no policy reads as empty, the statement reads back, a
/// duplicate statement id is a `Conflict`, a missing function is `NotFound`.
pub async fn permissions_and_policy(lambda: &dyn Lambda, target: &ConformanceTarget) -> Outcome {
    let name = target.name("fn-policy");
    create(lambda, target, &name).await;
    assert!(ok("get_policy", lambda.get_policy(&name).await).is_empty());
    let source_arn = "arn:aws:execute-api:us-east-1:123456789012:abcdef0123/*/GET/pets";
    let permission = AddPermission::new(&name, "apigateway-get-pets").with_source_arn(source_arn);
    ok(
        "add_permission",
        lambda.add_permission(permission.clone()).await,
    );
    let statements = ok("get_policy", lambda.get_policy(&name).await);
    assert_eq!(statements.len(), 1, "{statements:?}");
    assert_eq!(statements[0].sid, "apigateway-get-pets");
    assert_eq!(
        statements[0].action.as_deref(),
        Some("lambda:InvokeFunction")
    );
    assert_eq!(
        statements[0].principal.as_deref(),
        Some("apigateway.amazonaws.com")
    );
    assert_eq!(statements[0].source_arn.as_deref(), Some(source_arn));
    let mut differences = Vec::new();
    match lambda.add_permission(permission).await {
        Err(Error::Conflict { .. }) => {}
        other if target.quirks.duplicate_statement_id_accepted => differences.push(format!(
            "the emulator does not refuse a duplicate statement id ({})",
            brief(&other)
        )),
        other => panic!("duplicate statement id gave {other:?}"),
    }
    let missing = target.name("fn-nopolicy-missing");
    expect_err(
        "policy of a missing function",
        lambda.get_policy(&missing).await,
        |e| matches!(e, Error::NotFound { .. }),
    );
    expect_err(
        "permission on a missing function",
        lambda
            .add_permission(AddPermission::new(&missing, "sid"))
            .await,
        |e| matches!(e, Error::NotFound { .. }),
    );
    if differences.is_empty() {
        Outcome::Passed
    } else {
        Outcome::not_supported(differences.join("; "))
    }
}

/// An integration with `timeoutInMillis` outside 50–29,000 and a Lambda integration whose
/// `httpMethod` is not POST are refused (`BadRequestException`) and leave no API; commas in a
/// path part are accepted.
pub async fn integration_rules(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let title = target.name("integration-rules");
    let with = |integration: serde_json::Value| {
        openapi3(
            &title,
            json!({"/pets": {"post": {"responses": ok_response(),
                "x-amazon-apigateway-integration": integration}}}),
        )
    };
    let lambda = |method: &str, timeout: Option<u64>| {
        let mut i = json!({"type": "aws_proxy", "httpMethod": method, "uri": lambda_uri("fn")});
        if let Some(t) = timeout {
            i["timeoutInMillis"] = json!(t);
        }
        with(i)
    };
    let before = ok("list", api.list_rest_apis().await).len();
    let mut differences = Vec::new();
    for (what, body) in [
        ("timeoutInMillis 49", lambda("POST", Some(49))),
        ("timeoutInMillis 29001", lambda("POST", Some(29_001))),
        (
            "a Lambda integration with httpMethod GET",
            lambda("GET", None),
        ),
    ] {
        match api.import_rest_api(ImportRestApi::new(body)).await {
            Err(Error::InvalidInput { .. }) => {}
            other if target.quirks.integration_rules_unchecked => {
                differences.push(format!("the emulator accepts {what} ({})", brief(&other)));
            }
            other => panic!("{what}: expected BadRequestException, got {other:?}"),
        }
    }
    if differences.is_empty() {
        assert_eq!(
            ok("list", api.list_rest_apis().await).len(),
            before,
            "a refused import leaves no API"
        );
    }
    for ok_body in [lambda("POST", Some(50)), lambda("post", Some(29_000))] {
        ok(
            "import within the rules",
            api.import_rest_api(ImportRestApi::new(ok_body)).await,
        );
    }
    let commas = openapi3(
        &title,
        json!({"/a,b/{id}": {"get": {"responses": ok_response()}}}),
    );
    match api.import_rest_api(ImportRestApi::new(commas)).await {
        Ok(created) => {
            let resources = ok("get_resources", api.get_resources(&created.id).await);
            assert!(
                paths(&resources).contains(&"/a,b/{id}".to_string()),
                "{:?}",
                paths(&resources)
            );
        }
        Err(e) if target.quirks.integration_rules_unchecked => {
            differences.push(format!("the emulator refuses a comma in a path part ({e})"));
        }
        Err(e) => panic!("a comma in a path part is allowed: {e:?}"),
    }
    if differences.is_empty() {
        Outcome::Passed
    } else {
        Outcome::not_supported(differences.join("; "))
    }
}

/// A merge that gives an existing resource a second variable child (`/pets/{id}` exists,
/// `/pets/{petId}` comes) is refused (`BadRequestException`) and changes nothing.
pub async fn merge_sibling_variables(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let title = target.name("merge-siblings");
    let v1 = openapi3(
        &title,
        json!({"/pets/{id}": {"get": {"responses": ok_response()}}}),
    );
    let created = ok("import", api.import_rest_api(ImportRestApi::new(v1)).await);
    let v2 = openapi3(
        &title,
        json!({"/pets/{petId}": {"delete": {"responses": ok_response()}}}),
    );
    match api
        .put_rest_api(PutRestApi::new(&created.id, v2).with_mode(PutMode::Merge))
        .await
    {
        Err(Error::InvalidInput { .. }) => {}
        other
            if target.quirks.integration_rules_unchecked
                || target.quirks.merge_duplicates_resources =>
        {
            return Outcome::not_supported(format!(
                "the emulator accepts a second variable sibling on merge ({})",
                brief(&other)
            ));
        }
        other => panic!("merge with a second variable sibling gave {other:?}"),
    }
    let resources = ok("get_resources", api.get_resources(&created.id).await);
    assert_eq!(paths(&resources), ["/", "/pets", "/pets/{id}"]);
    Outcome::Passed
}

/// `RemovePermission` removes one statement (a missing one is `NotFound`), and a policy past
/// Lambda's 20 KB limit is refused with `PolicyLengthExceededException`, changing nothing.
pub async fn policy_limits(lambda: &dyn Lambda, target: &ConformanceTarget) -> Outcome {
    let name = target.name("fn-policy-limit");
    create(lambda, target, &name).await;
    let arn = |i: usize| {
        format!(
            "arn:aws:execute-api:us-east-1:123456789012:abcdef0123/*/GET/a-rather-long-resource-path/with/several/segments/number/{i}/*"
        )
    };
    let sid = |i: usize| format!("lambda-sync-abcdef0123-{i:016}");
    ok(
        "add_permission",
        lambda
            .add_permission(AddPermission::new(&name, sid(0)).with_source_arn(arn(0)))
            .await,
    );
    ok(
        "remove_permission",
        lambda.remove_permission(&name, &sid(0)).await,
    );
    assert!(ok("get_policy", lambda.get_policy(&name).await).is_empty());
    let mut differences = Vec::new();
    match lambda.remove_permission(&name, &sid(0)).await {
        Err(Error::NotFound { .. }) => {}
        other if target.quirks.policy_rules_unchecked => differences.push(format!(
            "the emulator removes a missing statement ({})",
            brief(&other)
        )),
        other => panic!("removing a missing statement gave {other:?}"),
    }
    let mut refused = None;
    for i in 1..200 {
        match lambda
            .add_permission(AddPermission::new(&name, sid(i)).with_source_arn(arn(i)))
            .await
        {
            Ok(()) => {}
            Err(e) => {
                refused = Some((i, e));
                break;
            }
        }
    }
    match refused {
        Some((i, Error::Service { code, .. })) if code == "PolicyLengthExceededException" => {
            let statements = ok("get_policy", lambda.get_policy(&name).await);
            assert_eq!(
                statements.len(),
                i - 1,
                "the refused statement was not added"
            );
            let function_arn = ok("get_function", lambda.get_function(&name).await).arn;
            let size = crate::policy_document_len(&function_arn, &statements);
            assert!(
                size <= crate::limits::MAX_FUNCTION_POLICY_BYTES,
                "{size} bytes were accepted"
            );
        }
        other if target.quirks.policy_rules_unchecked => differences.push(format!(
            "the emulator does not refuse a policy past 20 KB ({other:?})"
        )),
        other => panic!("a policy past 20 KB gave {other:?}"),
    }
    if differences.is_empty() {
        Outcome::Passed
    } else {
        Outcome::not_supported(differences.join("; "))
    }
}

/// An OpenAPI 3.0 body with `n` top-level resources (`/r1` ... `/rn`), one method each.
fn many_resources(title: &str, n: usize) -> Vec<u8> {
    let paths: serde_json::Map<String, serde_json::Value> = (1..=n)
        .map(|i| {
            (
                format!("/r{i}"),
                json!({"get": {"responses": ok_response()}}),
            )
        })
        .collect();
    openapi3(title, serde_json::Value::Object(paths))
}

fn is_quota_error(e: &Error) -> bool {
    matches!(e, Error::Service { code, .. } if code == crate::limits::QUOTA_EXCEEDED_CODE)
}

/// The "Resources per API" quota: a definition within it imports; one that needs more
/// resources than the quota is refused with `LimitExceededException` on import (no API is
/// left behind) and on put (the API keeps its resources).
pub async fn resources_per_api_quota(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let quota = target.resources_per_api;
    // Within the quota whether or not the root resource counts; over it either way.
    let within = many_resources(&target.name("quota"), quota - 1);
    let over_title = target.name("quota-over");
    let over = many_resources(&over_title, quota + 1);
    let created = ok(
        "import within the quota",
        api.import_rest_api(ImportRestApi::new(within)).await,
    );
    let before = paths(&ok("resources", api.get_resources(&created.id).await));
    assert_eq!(before.len(), quota, "the root and {} paths", quota - 1);
    let refused = api.import_rest_api(ImportRestApi::new(over.clone())).await;
    match &refused {
        Err(e) if is_quota_error(e) => {
            let left = ok("find", api.find_rest_apis_by_name(&over_title).await);
            assert!(left.is_empty(), "a refused import left {left:?}");
        }
        other => {
            if target.quirks.resource_quota_not_enforced {
                return Outcome::not_supported(format!(
                    "the emulator does not enforce \"Resources per API\" (an import of {} resources {})",
                    quota + 2,
                    brief(other)
                ));
            }
            panic!("an import over the resources quota gave {other:?}");
        }
    }
    expect_err(
        "put over the quota",
        api.put_rest_api(PutRestApi::new(created.id.clone(), over))
            .await,
        is_quota_error,
    );
    let after = paths(&ok("resources", api.get_resources(&created.id).await));
    assert_eq!(after, before, "a refused put changed the API");
    Outcome::Passed
}

/// The 6 MB limit on a definition: a bigger body is refused as invalid input, on import and
/// on put, and nothing changes.
pub async fn definition_size_limit(api: &dyn ApiGateway, target: &ConformanceTarget) -> Outcome {
    let title = target.name("too-big");
    let padding = "x".repeat(crate::limits::MAX_API_DEFINITION_BYTES);
    let body = serde_json::to_vec(&json!({
        "openapi": "3.0.1",
        "info": {"title": title, "description": padding, "version": "1.0"},
        "paths": {"/big": {"get": {"responses": ok_response()}}},
    }))
    .expect("serialisable");
    let too_big = |e: &Error| match e {
        Error::InvalidInput { .. } => true,
        Error::Service { code, .. } => code == "http-413" || code == "RequestEntityTooLarge",
        _ => false,
    };
    let refused = api.import_rest_api(ImportRestApi::new(body.clone())).await;
    match &refused {
        Err(e) if too_big(e) => {
            let left = ok("find", api.find_rest_apis_by_name(&title).await);
            assert!(left.is_empty(), "a refused import left {left:?}");
        }
        other => {
            if target.quirks.body_size_not_enforced {
                return Outcome::not_supported(format!(
                    "the emulator does not enforce the 6 MB definition limit (an import of {} bytes {})",
                    body.len(),
                    brief(other)
                ));
            }
            panic!("an import over 6 MB gave {other:?}");
        }
    }
    let small = openapi3(
        &target.name("small"),
        json!({"/s": {"get": {"responses": ok_response()}}}),
    );
    let created = ok(
        "import",
        api.import_rest_api(ImportRestApi::new(small)).await,
    );
    expect_err(
        "put over 6 MB",
        api.put_rest_api(PutRestApi::new(created.id.clone(), body))
            .await,
        too_big,
    );
    let after = paths(&ok("resources", api.get_resources(&created.id).await));
    assert_eq!(after, ["/", "/s"], "a refused put changed the API");
    Outcome::Passed
}

/// The names of the checks [`run_all`] runs, in order.
pub const CHECKS: &[&str] = &[
    "import_openapi3",
    "import_swagger2",
    "import_basepath_modes",
    "put_overwrite_replaces",
    "put_merge_keeps_others",
    "fail_on_warnings",
    "get_rest_api_not_found",
    "create_deployment",
    "resources_per_api_quota",
    "definition_size_limit",
    "create_and_get_function",
    "duplicate_function_conflict",
    "list_functions_pagination",
    "invalid_function_input",
    "permissions_and_policy",
    "integration_rules",
    "merge_sibling_variables",
    "policy_limits",
];

/// Runs every check in [`CHECKS`] order and returns each one's outcome. Panics on the first
/// broken contract.
pub async fn run_all(
    api: &dyn ApiGateway,
    lambda: &dyn Lambda,
    target: &ConformanceTarget,
) -> Vec<(&'static str, Outcome)> {
    vec![
        ("import_openapi3", import_openapi3(api, target).await),
        ("import_swagger2", import_swagger2(api, target).await),
        (
            "import_basepath_modes",
            import_basepath_modes(api, target).await,
        ),
        (
            "put_overwrite_replaces",
            put_overwrite_replaces(api, target).await,
        ),
        (
            "put_merge_keeps_others",
            put_merge_keeps_others(api, target).await,
        ),
        ("fail_on_warnings", fail_on_warnings(api, target).await),
        (
            "get_rest_api_not_found",
            get_rest_api_not_found(api, target).await,
        ),
        ("create_deployment", create_deployment(api, target).await),
        (
            "resources_per_api_quota",
            resources_per_api_quota(api, target).await,
        ),
        (
            "definition_size_limit",
            definition_size_limit(api, target).await,
        ),
        (
            "create_and_get_function",
            create_and_get_function(lambda, target).await,
        ),
        (
            "duplicate_function_conflict",
            duplicate_function_conflict(lambda, target).await,
        ),
        (
            "list_functions_pagination",
            list_functions_pagination(lambda, target).await,
        ),
        (
            "invalid_function_input",
            invalid_function_input(lambda, target).await,
        ),
        (
            "permissions_and_policy",
            permissions_and_policy(lambda, target).await,
        ),
        ("integration_rules", integration_rules(api, target).await),
        (
            "merge_sibling_variables",
            merge_sibling_variables(api, target).await,
        ),
        ("policy_limits", policy_limits(lambda, target).await),
    ]
}
