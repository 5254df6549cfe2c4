//! Targeted transform and restore cases.

use crate::support::{check_properties, yaml};
use lambda_sync_compat::{ChangeAction, CompatOptions, WRAPPER, restore, transform};
use serde_json::json;

#[test]
fn parameters_move_whole_into_the_wrapper_and_come_back_in_place() {
    let doc = yaml(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: string, example: x}}\n        - {name: c, in: cookie, schema: {type: string}}\n        - {name: h, in: header, schema: {type: string, example: y}}\n      responses: {'200': {description: ok}}\n",
    );
    let out = transform(&doc, &CompatOptions::default());
    let op = &out.document.value()["paths"]["/a"]["get"];
    assert_eq!(op["parameters"].as_array().unwrap().len(), 2);
    assert_eq!(op[WRAPPER]["parameters"][0]["name"], "c");
    assert_eq!(op[WRAPPER]["x-parameter-indices"], json!([1]));
    // The change report points at where things are now.
    let after: Vec<&str> = out.changes.iter().map(|c| c.after.as_str()).collect();
    assert!(after.contains(&"/paths/~1a/get/x-disabled-for-amazon-gateway/parameters/0"));
    assert!(
        after.contains(&"/paths/~1a/get/parameters/1/schema/x-disabled-for-amazon-gateway/example")
    );
    assert_eq!(restore(&out.document).value(), doc.value());
    check_properties(&doc, &CompatOptions::default(), true);
}

#[test]
fn trace_moves_under_the_path_item_wrapper() {
    let doc = yaml(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    trace: {operationId: t, responses: {'200': {description: ok}}}\n    get: {responses: {'200': {description: ok}}}\n",
    );
    let out = transform(&doc, &CompatOptions::default());
    let item = &out.document.value()["paths"]["/a"];
    assert!(item.get("trace").is_none());
    assert_eq!(item[WRAPPER]["trace"]["operationId"], "t");
    check_properties(&doc, &CompatOptions::default(), true);
}

#[test]
fn an_existing_wrapper_is_merged_into() {
    let doc = yaml(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: string\n      x-disabled-for-amazon-gateway: {x-note: kept}\n      example: x\n",
    );
    let out = transform(&doc, &CompatOptions::default());
    let a = &out.document.value()["components"]["schemas"]["A"];
    assert_eq!(a[WRAPPER]["x-note"], "kept");
    assert_eq!(a[WRAPPER]["example"], "x");
    check_properties(&doc, &CompatOptions::default(), true);
}

#[test]
fn renames_resolve_collisions_in_document_order() {
    let doc = yaml(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  a.b: {type: object}\n  AB: {type: object}\n  a-b: {type: object}\n  a_b: {$ref: '#/definitions/a-b'}\n",
    );
    let out = transform(&doc, &CompatOptions::default());
    let keys: Vec<&String> = out.document.value()["definitions"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["AB2", "AB", "AB3", "AB4"]);
    assert_eq!(
        out.document.value()["definitions"]["AB4"]["$ref"],
        "#/definitions/AB3"
    );
    let renamed: Vec<_> = out
        .changes
        .iter()
        .filter_map(|c| match &c.action {
            ChangeAction::Renamed { from, to } => Some(format!("{from}->{to}")),
            _ => None,
        })
        .collect();
    assert_eq!(renamed, ["a.b->AB2", "a-b->AB3", "a_b->AB4"]);
    check_properties(&doc, &CompatOptions::default(), true);
}

#[test]
fn lowering_with_exclusive_bounds_kept_is_exact_3_0() {
    let doc = yaml(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: integer, exclusiveMinimum: 0}\n",
    );
    let opts = CompatOptions::default().with_disabled(["exclusive-bound-boolean"]);
    let out = transform(&doc, &opts);
    let a = &out.document.value()["components"]["schemas"]["A"];
    assert_eq!(a["minimum"], 0);
    assert_eq!(a["exclusiveMinimum"], true);
    assert_eq!(out.document.value()["openapi"], "3.0.3");
    let strict = transform(&doc, &CompatOptions::default());
    let a = &strict.document.value()["components"]["schemas"]["A"];
    assert_eq!(a["minimum"], 0);
    assert!(a.get("exclusiveMinimum").is_none());
    // Lowering is undone by restore too.
    assert_eq!(restore(&strict.document).value(), doc.value());
    check_properties(&doc, &opts, true);
}

#[test]
fn examples_lowering_keeps_the_first_when_the_example_rule_is_off() {
    let doc = yaml(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string, examples: [a, b]}\n",
    );
    let opts = CompatOptions::default().with_disabled(["example"]);
    let out = transform(&doc, &opts);
    let a = &out.document.value()["components"]["schemas"]["A"];
    assert_eq!(a["example"], "a");
    assert_eq!(a[WRAPPER]["examples"], json!(["a", "b"]));
    check_properties(&doc, &opts, true);
}

#[test]
fn disabled_rules_change_nothing() {
    let doc = yaml(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  a.b: {type: string, example: x}\n",
    );
    let opts = CompatOptions::default().with_disabled(["example", "model-name"]);
    let out = transform(&doc, &opts);
    assert!(out.changes.is_empty());
    assert_eq!(out.document.value(), doc.value());
}

#[test]
fn output_is_byte_identical_for_the_same_input() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/model-name-v2.yaml"
    ))
    .unwrap();
    let a = transform(&yaml(&text), &CompatOptions::default());
    let b = transform(&yaml(&text), &CompatOptions::default());
    assert_eq!(a.document.to_text().unwrap(), b.document.to_text().unwrap());
    assert_eq!(
        serde_json::to_string(&a.changes).unwrap(),
        serde_json::to_string(&b.changes).unwrap()
    );
}

#[test]
fn a_colliding_path_moves_method_by_method() {
    let doc = lambda_sync_spec::load_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/indistinguishable-operation-merge-v3.yaml"
    ))
    .expect("fixture loads")
    .document;
    let out = transform(&doc, &CompatOptions::default());
    let r = lambda_sync_compat::repairs(&out.document);
    let left: Vec<(String, String)> = r
        .left_out
        .iter()
        .map(|l| (l.method.clone(), l.path.clone()))
        .collect();
    assert_eq!(
        left,
        [
            ("GET".to_string(), "/{Bucket}/{Key}#uploads".to_string()),
            ("POST".to_string(), "/{Bucket}/{Key}#restore".to_string()),
        ]
    );
    // The moved DELETE keeps its original path, and its `{Object}` arrives by its own name.
    let delete = r
        .operation("/paths/~1{Bucket}~1{Key}/delete")
        .expect("the moved DELETE is recorded");
    assert_eq!(
        delete.original_path.as_deref(),
        Some("/{Bucket}/{Object}#tagging")
    );
    let names: Vec<(&str, &str)> = delete
        .path_variables
        .iter()
        .map(|v| (v.name.as_str(), v.segment.variable.as_str()))
        .collect();
    assert_eq!(names, [("Bucket", "Bucket"), ("Object", "Key")]);
    // The moved POST reads its refused header by name.
    let post = r
        .operation("/paths/~1{Bucket}~1{Key}/post")
        .expect("the moved POST is recorded");
    let hidden: Vec<&str> = post
        .hidden_parameters
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(hidden, ["x-amz-meta-[name]"]);
    assert_eq!(restore(&out.document).value(), doc.value());
}

/// The `indistinguishable-operation` warning names what made the two paths one (a dropped
/// `#fragment`, literal-segment cleaning, variable renames), and the left-out record's
/// `repaired_path` is the path as pushed (variables renamed too).
#[test]
fn a_left_out_operation_says_why_and_where_it_would_have_gone() {
    // (paths, the left-out path, words of the warning, its repaired_path)
    let cases = [
        (
            "  /{Bucket}:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n  /{Bucket}#acl:\n    get: {operationId: b, responses: {'200': {description: ok}}}\n",
            "/{Bucket}#acl",
            "the two paths are identical (`/{Bucket}`) once its `#acl` is dropped",
            "/{Bucket}",
        ),
        (
            "  /items/count:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n  /items/$count:\n    get: {operationId: b, responses: {'200': {description: ok}}}\n",
            "/items/$count",
            "once its literal segments are cleaned of characters API Gateway refuses (`$count` → `count`)",
            "/items/count",
        ),
        (
            "  /items/{id}:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n  /items/{itemId}:\n    get: {operationId: b, responses: {'200': {description: ok}}}\n",
            "/items/{itemId}",
            "once its path variables are renamed to those of the other paths at the same positions (`{itemId}` → `{id}`",
            "/items/{id}",
        ),
        (
            "  /{Bucket}/{Key}:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n  /{Bucket}/{Object}#uploads:\n    get: {operationId: b, responses: {'200': {description: ok}}}\n",
            "/{Bucket}/{Object}#uploads",
            "the two paths are identical (`/{Bucket}/{Key}`) once its `#uploads` is dropped (API Gateway routes by method and resource path only; a path holds no `#fragment` or query string), and its path variables are renamed to those of the other paths at the same positions (`{Object}` → `{Key}`;",
            "/{Bucket}/{Key}",
        ),
    ];
    for (paths, left, words, repaired) in cases {
        let doc = yaml(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}"
        ));
        let out = transform(&doc, &CompatOptions::default());
        let warning = out
            .diagnostics
            .iter()
            .find(|d| d.rule == "indistinguishable-operation")
            .unwrap_or_else(|| panic!("{left}: no warning in {:?}", out.diagnostics));
        assert!(
            warning.message.starts_with(&format!(
                "API Gateway cannot tell GET `{left}` apart from GET `"
            )),
            "{}",
            warning.message
        );
        assert!(
            warning.message.contains(words),
            "{left}: {}",
            warning.message
        );
        let r = lambda_sync_compat::repairs(&out.document);
        let got: Vec<(&str, &str)> = r
            .left_out
            .iter()
            .map(|l| (l.path.as_str(), l.repaired_path.as_str()))
            .collect();
        assert_eq!(got, [(left, repaired)], "{paths}");
    }
}
