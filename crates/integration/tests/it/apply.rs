//! Writing the extensions into the definition.

use super::{load, opts, v3};
use lambda_sync_integration::{ChangeKind, IntegrationType, apply, bind};

const DEF: &str = r#"  /b:
    get:
      tags: [t]
      summary: s
      responses: {'404': {description: missing}}
      x-custom: 1
  /a:
    post:
      operationId: keep
      responses: {'201': {description: made}}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:mine/invocations
        custom: untouched
"#;

#[test]
fn adds_missing_integrations_only() {
    let doc = load(&v3(DEF));
    let options = opts().with_write_operation_ids(true);
    let (b, _) = bind(&doc, &options).unwrap();
    let (out, changes) = apply(&doc, &b, &options);
    let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::OperationIdWritten,
            ChangeKind::ResponseAdded,
            ChangeKind::IntegrationAdded
        ]
    );
    // Key order: everything kept in place, operationId after summary, the extension last.
    let op = out.get("/paths/~1b/get").unwrap().as_object().unwrap();
    let keys: Vec<&str> = op.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "tags",
            "summary",
            "operationId",
            "responses",
            "x-custom",
            "x-amazon-apigateway-integration"
        ]
    );
    assert_eq!(op["operationId"], "getB");
    let responses: Vec<&str> = op["responses"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(responses, ["404", "200"]);
    // The existing integration is untouched.
    assert_eq!(out.get("/paths/~1a/post"), doc.get("/paths/~1a/post"));
    // Paths keep their order too.
    let paths: Vec<&str> = out
        .get("/paths")
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(paths, ["/b", "/a"]);
}

#[test]
fn without_write_back_operation_ids_stay_absent() {
    let doc = load(&v3(DEF));
    let (b, _) = bind(&doc, &opts()).unwrap();
    let (out, _) = apply(&doc, &b, &opts());
    assert!(out.get("/paths/~1b/get/operationId").is_none());
    // The generated id still names the function.
    assert!(
        out.get("/paths/~1b/get/x-amazon-apigateway-integration/uri")
            .unwrap()
            .as_str()
            .unwrap()
            .contains(":function:getB/invocations")
    );
}

#[test]
fn applying_twice_changes_nothing_more() {
    let doc = load(&v3(DEF));
    let options = opts().with_write_operation_ids(true);
    let (b, _) = bind(&doc, &options).unwrap();
    let (once, _) = apply(&doc, &b, &options);
    let (b2, _) = bind(&once, &options).unwrap();
    let (twice, changes) = apply(&once, &b2, &options);
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(once.value(), twice.value());
    // And the names are the same on the second run.
    let n1: Vec<&str> = b
        .bindings
        .iter()
        .map(|x| x.function_name.as_str())
        .collect();
    let n2: Vec<&str> = b2
        .bindings
        .iter()
        .map(|x| x.function_name.as_str())
        .collect();
    assert_eq!(n1, n2);
}

#[test]
fn proxy_integrations() {
    let doc = load(&v3(DEF));
    let options = opts()
        .with_integration(IntegrationType::AwsProxy)
        .with_qualifier("live");
    let (b, _) = bind(&doc, &options).unwrap();
    let (out, changes) = apply(&doc, &b, &options);
    assert_eq!(
        changes.len(),
        1,
        "no response is added for a proxy integration"
    );
    let ext = out
        .get("/paths/~1b/get/x-amazon-apigateway-integration")
        .unwrap();
    assert_eq!(
        ext,
        &serde_json::json!({
            "type": "aws_proxy",
            "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:getB:live/invocations",
            "httpMethod": "POST",
            "passthroughBehavior": "when_no_match"
        })
    );
}

#[test]
fn permissions() {
    let doc = load(&v3(DEF));
    let (b, _) = bind(&doc, &opts()).unwrap();
    let p = &b.bindings[0].permission;
    assert_eq!(p.action, "lambda:InvokeFunction");
    assert_eq!(p.principal, "apigateway.amazonaws.com");
    assert!(p.statement_id.starts_with("lambda-sync-"));
    assert_eq!(p.statement_id.len(), "lambda-sync-".len() + 16);
    assert_ne!(p.statement_id, b.bindings[1].permission.statement_id);
    // Stable across runs; different per API.
    let (again, _) = bind(&doc, &opts()).unwrap();
    assert_eq!(again.bindings[0].permission.statement_id, p.statement_id);
    let (other, _) = bind(&doc, &opts().with_api_id(Some("abc123".into()))).unwrap();
    assert_ne!(other.bindings[0].permission.statement_id, p.statement_id);
    assert_eq!(
        p.source_arn("abc123"),
        "arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/b"
    );
    let cn = lambda_sync_integration::BindOptions::new("cn-north-1", "123456789012");
    let doc = load(&v3(
        "  /:\n    get: {responses: {'200': {description: ok}}}\n  /f/{proxy+}/{id}:\n    get: {responses: {'200': {description: ok}}}\n",
    ));
    let (b, _) = bind(&doc, &cn).unwrap();
    assert_eq!(
        b.bindings[0].permission.source_arn("x1"),
        "arn:aws-cn:execute-api:cn-north-1:123456789012:x1/*/GET/"
    );
    assert_eq!(
        b.bindings[1].permission.source_arn("x1"),
        "arn:aws-cn:execute-api:cn-north-1:123456789012:x1/*/GET/f/*/*"
    );
}
