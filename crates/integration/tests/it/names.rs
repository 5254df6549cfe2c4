//! Function names: valid, sanitised, generated, unique, stable.

use super::{bind_default, load, opts, v3};
use lambda_sync_integration::{bind, is_valid_function_name};
use proptest::prelude::*;

/// Binds a definition whose operations are `(method, path, operationId)` and returns
/// `METHOD path -> name` lines in document order.
fn names_of(
    ops: &[(&str, &str, Option<&str>)],
    options: &lambda_sync_integration::BindOptions,
) -> Vec<String> {
    type Methods<'a> = Vec<(&'a str, Option<&'a str>)>;
    let mut paths: Vec<(&str, Methods<'_>)> = Vec::new();
    for (m, p, id) in ops {
        match paths.iter_mut().find(|(q, _)| q == p) {
            Some((_, v)) => v.push((m, *id)),
            None => paths.push((p, vec![(m, *id)])),
        }
    }
    let mut doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {}
    });
    for (p, methods) in paths {
        let mut item = serde_json::Map::new();
        for (m, id) in methods {
            let mut op = serde_json::json!({"responses": {"200": {"description": "ok"}}});
            if let Some(id) = id {
                op["operationId"] = id.into();
            }
            item.insert(m.to_string(), op);
        }
        doc["paths"][p] = serde_json::Value::Object(item);
    }
    let doc = lambda_sync_spec::Document::from_value(doc, lambda_sync_spec::Format::Json).unwrap();
    let (b, _) = bind(&doc, options).unwrap();
    b.bindings
        .iter()
        .map(|b| format!("{} {} -> {}", b.method, b.path, b.function_name))
        .collect()
}

#[track_caller]
fn check(ops: &[(&str, &str, Option<&str>)], expected: &[&str]) {
    assert_eq!(names_of(ops, &opts()), expected);
}

#[test]
fn operation_ids_become_names() {
    check(
        &[("get", "/user/{username}", Some("getUserByName"))],
        &["GET /user/{username} -> getUserByName"],
    );
    check(
        &[("get", "/a", Some("repos/get-content"))],
        &["GET /a -> repos-get-content"],
    );
    check(
        &[("get", "/a", Some("storage.buckets.list"))],
        &["GET /a -> storage-buckets-list"],
    );
    check(
        &[("get", "/a", Some("put_files_id#add_shared_link"))],
        &["GET /a -> put_files_id-add_shared_link"],
    );
    check(
        &[("get", "/a", Some("  spaced  name "))],
        &["GET /a -> spaced-name"],
    );
    check(&[("get", "/a", Some("日本語"))], &["GET /a -> getA"]);
    check(&[("get", "/a", Some("ünïcode"))], &["GET /a -> n-code"]);
}

#[test]
fn missing_operation_ids_are_generated() {
    check(
        &[("get", "/user/{username}", None)],
        &["GET /user/{username} -> getUserByUsername"],
    );
    check(
        &[("post", "/pet/{petId}/uploadImage", None)],
        &["POST /pet/{petId}/uploadImage -> postPetByPetIdUploadImage"],
    );
    check(&[("get", "/", None)], &["GET / -> getRoot"]);
    // A generated id never takes an id that is written elsewhere.
    check(
        &[
            ("get", "/user/{username}", None),
            ("get", "/other", Some("getUserByUsername")),
        ],
        &[
            "GET /user/{username} -> getUserByUsername2",
            "GET /other -> getUserByUsername",
        ],
    );
}

#[test]
fn long_names_are_shortened_with_a_hash() {
    let a = format!("{}A", "x".repeat(70));
    let b = format!("{}B", "x".repeat(70));
    let names = names_of(&[("get", "/a", Some(&a)), ("get", "/b", Some(&b))], &opts());
    let na = names[0].rsplit(' ').next().unwrap();
    let nb = names[1].rsplit(' ').next().unwrap();
    assert_eq!(na.len(), 64);
    assert_eq!(nb.len(), 64);
    assert_ne!(na, nb);
    assert!(na.starts_with(&"x".repeat(55)));
}

#[test]
fn collisions_are_resolved_and_reported() {
    // The exact operationId keeps the name; the sanitised one gets a suffix.
    check(
        &[("get", "/b", Some("a.b")), ("get", "/a", Some("a-b"))],
        &["GET /b -> a-b-2", "GET /a -> a-b"],
    );
    // Duplicate operationIds: (method, path) order decides, not the position in the file.
    check(
        &[
            ("post", "/z", Some("dup")),
            ("get", "/z", Some("dup")),
            ("get", "/a", Some("dup")),
        ],
        &["POST /z -> dup-3", "GET /z -> dup-2", "GET /a -> dup"],
    );
    // Names that differ only in case collide.
    check(
        &[("get", "/a", Some("getPet")), ("get", "/b", Some("getpet"))],
        &["GET /a -> getPet", "GET /b -> getpet-2"],
    );
    // A suffix never steals a name that is wanted as it is.
    check(
        &[
            ("get", "/a", Some("x")),
            ("get", "/b", Some("x")),
            ("get", "/c", Some("x-2")),
        ],
        &["GET /a -> x", "GET /b -> x-3", "GET /c -> x-2"],
    );
    let doc = load(&v3(
        "  /a: {get: {operationId: dup, responses: {'200': {description: ok}}}}\n  /b: {get: {operationId: dup, responses: {'200': {description: ok}}}}\n",
    ));
    let (_, diags) = bind_default(&doc);
    let d = diags
        .iter()
        .find(|d| d.rule == "function-name-collision")
        .unwrap();
    assert_eq!(d.pointer, "/paths/~1b/get");
    assert_eq!(
        d.message,
        "function name `dup` is already used by GET /a; GET /b uses `dup-2` instead (give the operations distinct operationIds to choose the names yourself)"
    );
}

#[test]
fn name_template() {
    let o = opts()
        .with_prefix("shop")
        .with_name_template("{prefix}-{title}-v{version}-{operationId}");
    assert_eq!(
        names_of(&[("get", "/a", Some("getA"))], &o),
        ["GET /a -> shop-T-v1-getA"]
    );
    let o = opts()
        .with_prefix("my shop!")
        .with_name_template("{prefix}_{operationId}");
    assert_eq!(
        names_of(&[("get", "/a", Some("getA"))], &o),
        ["GET /a -> my-shop-_getA"]
    );
}

#[test]
fn existing_integrations_keep_their_function() {
    let doc = load(&v3(r#"  /a:
    get:
      operationId: getA
      responses: {'200': {description: ok}}
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:legacy:7/invocations
  /b:
    get:
      operationId: legacy
      responses: {'200': {description: ok}}
  /c:
    get:
      operationId: http
      responses: {'200': {description: ok}}
      x-amazon-apigateway-integration: {type: http_proxy, uri: 'https://example.com', httpMethod: GET}
"#));
    let (b, diags) = bind_default(&doc);
    assert_eq!(b.bindings.len(), 2, "the HTTP integration is not bound");
    assert_eq!(b.bindings[0].function_name, "legacy");
    assert_eq!(b.bindings[0].qualifier.as_deref(), Some("7"));
    assert!(b.bindings[0].existing_integration);
    assert_eq!(
        b.bindings[0].contract.integration,
        lambda_sync_integration::IntegrationType::AwsProxy
    );
    // A new function never takes an existing integration's name.
    assert_eq!(b.bindings[1].function_name, "legacy-2");
    assert!(diags.iter().any(|d| d.rule == "integration-not-lambda"));
}

#[test]
fn diagnostics_for_generated_and_sanitised() {
    let doc = load(&v3(
        "  /a: {get: {operationId: a.b, responses: {'200': {description: ok}}}}\n  /c: {get: {responses: {'200': {description: ok}}}}\n",
    ));
    let (_, diags) = bind_default(&doc);
    let rules: Vec<&str> = diags.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(rules, ["operation-id-generated", "function-name-sanitised"]);
}

fn arb_ops() -> impl Strategy<Value = Vec<(String, String, Option<String>)>> {
    let method = proptest::sample::select(vec!["get", "put", "post", "delete", "patch"]);
    let path = proptest::collection::vec(
        prop_oneof!["[a-z]{1,6}", "\\{[a-zA-Z_]{1,6}\\}", "[a-z.~-]{1,4}"],
        0..4,
    )
    .prop_map(|segs| format!("/{}", segs.join("/")));
    let id = proptest::option::of(prop_oneof![
        "[a-zA-Z]{1,8}",
        "[a-z]{1,3}",
        "[ -~]{0,12}",
        "[a-z/.#]{60,80}",
        "\\PC{0,6}",
    ]);
    proptest::collection::vec((method, path, id), 1..12).prop_map(|ops| {
        let mut seen = std::collections::BTreeSet::new();
        ops.into_iter()
            .filter(|(m, p, _)| seen.insert((m.to_string(), p.clone())))
            .map(|(m, p, id)| (m.to_string(), p, id))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every name is a valid Lambda name; names are unique (ignoring case); shuffling the
    /// paths changes no operation's name.
    #[test]
    fn names_are_valid_unique_and_stable(ops in arb_ops(), seed in any::<u64>()) {
        let as_refs: Vec<(&str, &str, Option<&str>)> =
            ops.iter().map(|(m, p, id)| (m.as_str(), p.as_str(), id.as_deref())).collect();
        let names = names_of(&as_refs, &opts());
        let mut seen = std::collections::BTreeSet::new();
        for line in &names {
            let name = line.rsplit(" -> ").next().unwrap();
            prop_assert!(is_valid_function_name(name), "{name}");
            prop_assert!(seen.insert(name.to_ascii_lowercase()), "duplicate {name}");
        }
        // Reverse and rotate the operations: the same operation keeps the same name.
        let mut shuffled = as_refs.clone();
        shuffled.reverse();
        let k = (seed as usize) % shuffled.len();
        shuffled.rotate_left(k);
        let mut a = names.clone();
        let mut b = names_of(&shuffled, &opts());
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
    }
}
