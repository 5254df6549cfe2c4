//! Granularity: which function serves each operation, the operation key of a grouped event,
//! and dispatch of operations API Gateway cannot tell apart.

use super::{load, opts, v3};
use lambda_sync_integration::{
    BindOptions, Granularity, IntegrationType, OPERATION_KEY, apply, bind, integration_extension,
};
use serde_json::Value;

const PATHS: &str = "  /pets:
    get: {operationId: listPets, tags: [pets], responses: {'200': {description: ok}}}
    post: {operationId: createPet, tags: [pets, admin], responses: {'201': {description: ok}}}
  /store/inventory:
    get: {operationId: getInventory, tags: [store], responses: {'200': {description: ok}}}
  /health:
    get: {responses: {'200': {description: ok}}}
  /admin:
    x-lambda-sync-function: adminTools
    get: {operationId: getAdmin, tags: [pets], responses: {'200': {description: ok}}}
    delete:
      operationId: deleteAdmin
      x-lambda-sync-function: dangerous
      responses: {'200': {description: ok}}
";

/// `operationId -> function (grouped)` lines for `PATHS` with `options`.
#[track_caller]
fn check(options: BindOptions, expected: &[&str]) {
    let doc = load(&v3(PATHS));
    let (b, _) = bind(&doc, &options).unwrap();
    let got: Vec<String> = b
        .bindings
        .iter()
        .map(|b| {
            format!(
                "{} -> {}{}",
                b.operation_id,
                b.function_name,
                if b.grouped { " (grouped)" } else { "" }
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn functions_by_granularity_and_by_hand() {
    check(
        opts(),
        &[
            "listPets -> listPets",
            "createPet -> createPet",
            "getInventory -> getInventory",
            "getHealth -> getHealth",
            "getAdmin -> adminTools (grouped)",
            "deleteAdmin -> dangerous (grouped)",
        ],
    );
    check(
        opts().with_granularity(Granularity::Tag),
        &[
            "listPets -> pets (grouped)",
            "createPet -> pets (grouped)",
            "getInventory -> store (grouped)",
            "getHealth -> default (grouped)",
            "getAdmin -> adminTools (grouped)",
            "deleteAdmin -> dangerous (grouped)",
        ],
    );
    check(
        opts()
            .with_granularity(Granularity::Api)
            .with_prefix("shop")
            .with_name_template("{prefix}-{operationId}"),
        &[
            "listPets -> shop-T (grouped)",
            "createPet -> shop-T (grouped)",
            "getInventory -> shop-T (grouped)",
            "getHealth -> shop-T (grouped)",
            "getAdmin -> shop-adminTools (grouped)",
            "deleteAdmin -> shop-dangerous (grouped)",
        ],
    );
    // `{tag}` in a per-operation template.
    check(
        opts().with_name_template("{tag}-{operationId}"),
        &[
            "listPets -> pets-listPets",
            "createPet -> pets-createPet",
            "getInventory -> store-getInventory",
            "getHealth -> default-getHealth",
            "getAdmin -> pets-adminTools (grouped)",
            "deleteAdmin -> default-dangerous (grouped)",
        ],
    );
}

/// A group's name wins over an operation of its own with that name, which gets a suffix.
#[test]
fn a_group_name_is_not_taken_by_an_operation() {
    let doc = load(&v3("  /a:
    get: {operationId: pets, responses: {'200': {description: ok}}}
    post: {operationId: b, x-lambda-sync-function: pets, responses: {'200': {description: ok}}}
"));
    let (b, d) = bind(&doc, &opts()).unwrap();
    let names: Vec<&str> = b
        .bindings
        .iter()
        .map(|b| b.function_name.as_str())
        .collect();
    assert_eq!(names, ["pets-2", "pets"]);
    assert!(d.iter().any(|d| d.rule == "function-name-collision"));
}

/// The operation key is in a grouped function's `aws` event, never in one of its own; a
/// parameter of that name is renamed; an unknown operation maps to 500.
#[test]
fn the_operation_key_of_grouped_events() {
    let doc = load(&v3("  /x:
    get:
      operationId: getX
      parameters: [{name: x-lambda-sync-operation, in: header, schema: {type: string}}]
      responses: {'200': {description: ok}}
"));
    for (options, grouped) in [
        (opts(), false),
        (opts().with_granularity(Granularity::Api), true),
    ] {
        let (b, _) = bind(&doc, &options).unwrap();
        let b = &b.bindings[0];
        let ext = integration_extension(b, &options);
        let template = ext["requestTemplates"]["application/json"]
            .as_str()
            .unwrap();
        let line = format!("  \"{OPERATION_KEY}\": \"getX\"");
        assert_eq!(template.contains(&line), grouped, "{template}");
        let key = &b.contract.fields[0].key;
        assert_eq!(
            key,
            if grouped {
                "header_x-lambda-sync-operation"
            } else {
                OPERATION_KEY
            }
        );
        assert_eq!(
            ext["responses"].get("^\\[500\\][\\s\\S]*").is_some(),
            grouped,
            "{}",
            ext["responses"]
        );
        // The request template evaluates to an event with the operation key.
        let request = lambda_sync_mapping::Request::new("GET", "/x");
        let event = lambda_sync_mapping::evaluate(template, &request).unwrap();
        let event: Value = serde_json::from_str(&event).unwrap();
        assert_eq!(event[OPERATION_KEY] == "getX", grouped, "{event}");
    }
}

/// A grouped function without an operationId still learns its operation in proxy mode: the
/// generated id is written so the method has an operation name.
#[test]
fn grouped_operations_get_an_operation_id_for_the_operation_name() {
    let doc = load(&v3("  /health:
    get: {responses: {'200': {description: ok}}}
"));
    let options = opts()
        .with_granularity(Granularity::Api)
        .with_integration(IntegrationType::AwsProxy);
    let (b, _) = bind(&doc, &options).unwrap();
    let (out, _) = apply(&doc, &b, &options);
    assert_eq!(
        out.get("/paths/~1health/get/operationId"),
        Some(&"getHealth".into())
    );
}

const S3: &str = "  /{Bucket}:
    get: {operationId: ListObjects, parameters: [{name: Bucket, in: path, required: true, schema: {type: string}}], responses: {'200': {description: ok}}}
  /{Bucket}#acl:
    parameters:
      - {name: Bucket, in: path, required: true, schema: {type: string}}
      - {name: acl, in: query, required: true, schema: {type: boolean}}
    get: {operationId: GetBucketAcl, responses: {'200': {description: ok}, '403': {description: denied}}}
    put: {operationId: PutBucketAcl, responses: {'200': {description: ok}}}
  /{Bucket}#policy:
    parameters:
      - {name: Bucket, in: path, required: true, schema: {type: string}}
      - {name: policy, in: query, required: true, schema: {type: boolean}}
    put: {operationId: PutBucketPolicy, responses: {'200': {description: ok}}}
";

/// Operations compat left out join the function of the method that reaches them; a method the
/// API lacks is added for the first of them; the discriminators come from the fragment.
#[test]
fn operations_api_gateway_cannot_tell_apart_are_dispatched() {
    let doc = load(&v3(S3));
    let t = lambda_sync_compat::transform(&doc, &lambda_sync_compat::CompatOptions::default());
    let options = opts();
    let (b, _) = bind(&t.document, &options).unwrap();
    let got: Vec<String> = b
        .bindings
        .iter()
        .map(|b| {
            let d: Vec<&str> = b.discriminators.iter().map(|d| d.name.as_str()).collect();
            format!(
                "{} {} -> {} via {} [{}]{}{}",
                b.method,
                b.path,
                b.function_name,
                b.called_as,
                d.join(","),
                if b.via_method { " (via method)" } else { "" },
                b.dispatch_path
                    .as_deref()
                    .map(|p| format!(" (adds {p})"))
                    .unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "GET /{Bucket} -> ListObjects via ListObjects []",
            // PUT was free on /{Bucket}: compat moved it there (method-wise merge), so it has
            // a method of its own and is the router's fallback for PUT.
            "PUT /{Bucket} -> PutBucketAcl via PutBucketAcl []",
            "GET /{Bucket}#acl -> ListObjects via ListObjects [acl] (via method)",
            "PUT /{Bucket}#policy -> PutBucketAcl via PutBucketAcl [policy] (via method)",
        ]
    );
    let (out, _) = apply(&t.document, &b, &options);
    // The moved method calls the dispatching function; its template passes every member's
    // fields, and maps the members' errors.
    let put = out.get("/paths/~1{Bucket}/put").unwrap();
    assert_eq!(put["operationId"], "PutBucketAcl");
    let ext = &put["x-amazon-apigateway-integration"];
    let template = ext["requestTemplates"]["application/json"]
        .as_str()
        .unwrap();
    assert!(template.contains("\"policy\":"), "{template}");
    assert!(template.contains("\"acl\":"), "{template}");
    let get = out
        .get("/paths/~1{Bucket}/get/x-amazon-apigateway-integration")
        .unwrap();
    assert!(
        get["responses"].get("^\\[403\\][\\s\\S]*").is_some(),
        "{get}"
    );
    assert!(out.get("/paths/~1{Bucket}/get/responses/403").is_some());
    // Nothing is written into what compat set aside.
    assert!(
        out.get("/paths/x-disabled-for-amazon-gateway/~1{Bucket}#acl/get/x-amazon-apigateway-integration")
            .is_none()
    );
}
