//! The event contract and its one collision rule.

use super::{bind_default, load, v3};
use lambda_sync_integration::FieldSource;

/// `(key, source, name)` of each field of the first operation.
fn fields(paths: &str) -> Vec<(String, FieldSource, String)> {
    let (b, _) = bind_default(&load(&v3(paths)));
    b.bindings[0]
        .contract
        .fields
        .iter()
        .map(|f| (f.key.clone(), f.source, f.name.clone()))
        .collect()
}

#[track_caller]
fn check(paths: &str, expected: &[(&str, FieldSource, &str)]) {
    let got = fields(paths);
    let want: Vec<(String, FieldSource, String)> = expected
        .iter()
        .map(|(k, s, n)| (k.to_string(), *s, n.to_string()))
        .collect();
    assert_eq!(got, want);
}

use FieldSource::{Body, Header, Path, Query};

#[test]
fn each_parameter_is_a_field_named_after_it() {
    check(
        r#"  /user/{username}:
    post:
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: username, in: path, required: true, schema: {type: string}}
        - {name: sid, in: cookie, schema: {type: string}}
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
"#,
        &[
            ("username", Path, "username"),
            ("limit", Query, "limit"),
            ("X-Trace", Header, "X-Trace"),
            ("body", Body, "body"),
        ],
    );
}

#[test]
fn same_name_in_path_and_query() {
    check(
        r#"  /item/{id}:
    get:
      parameters:
        - {name: id, in: query, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: id, in: header, schema: {type: string}}
      responses: {'200': {description: ok}}
"#,
        &[
            ("id", Path, "id"),
            ("query_id", Query, "id"),
            ("header_id", Header, "id"),
        ],
    );
}

#[test]
fn a_parameter_called_body() {
    // `body` is reserved for the request body, with or without one.
    check(
        r#"  /a:
    post:
      parameters:
        - {name: body, in: query, schema: {type: string}}
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
"#,
        &[("query_body", Query, "body"), ("body", Body, "body")],
    );
    check(
        r#"  /a:
    get:
      parameters:
        - {name: body, in: header, schema: {type: string}}
      responses: {'200': {description: ok}}
"#,
        &[("header_body", Header, "body")],
    );
}

#[test]
fn headers_differing_only_in_case() {
    check(
        r#"  /a:
    get:
      parameters:
        - {name: X-Id, in: header, schema: {type: string}}
        - {name: x-id, in: header, schema: {type: string}}
        - {name: x-ID, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
"#,
        &[
            ("x-ID", Query, "x-ID"),
            ("X-Id", Header, "X-Id"),
            ("header_x-id", Header, "x-id"),
        ],
    );
}

#[test]
fn renamed_keys_that_are_taken_get_a_number() {
    check(
        r#"  /a/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: query_id, in: query, schema: {type: string}}
        - {name: id, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
"#,
        &[
            ("id", Path, "id"),
            ("query_id", Query, "query_id"),
            ("query_id_2", Query, "id"),
        ],
    );
}

#[test]
fn renames_are_reported() {
    let (_, diags) = bind_default(&load(&v3(
        "  /a/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: id, in: query, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
    )));
    let d = diags
        .iter()
        .find(|d| d.rule == "event-key-renamed")
        .unwrap();
    assert_eq!(d.pointer, "/paths/~1a~1{id}/get/parameters/1");
    assert!(d.message.contains("`event[\"query_id\"]`"), "{}", d.message);
}

#[test]
fn types_required_descriptions_travel() {
    let (b, _) = bind_default(&load(&v3(
        "  /a/{n}:\n    get:\n      parameters:\n        - {name: n, in: path, required: true, description: 'The \"n\"', schema: {type: integer, format: int64}}\n        - {name: q, in: query, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
    )));
    let f = &b.bindings[0].contract.fields;
    assert_eq!(f[0].type_name.as_deref(), Some("integer"));
    assert_eq!(f[0].format.as_deref(), Some("int64"));
    assert!(f[0].required);
    assert_eq!(f[0].description.as_deref(), Some("The \"n\""));
    assert!(!f[1].required);
}

#[test]
fn undeclared_path_names_still_reach_the_function() {
    check(
        "  /files/{proxy+}:\n    get:\n      responses: {'200': {description: ok}}\n",
        &[("proxy", Path, "proxy")],
    );
}

#[test]
fn success_status_and_errors() {
    let status = |responses: &str| {
        let (b, _) = bind_default(&load(&v3(&format!(
            "  /a:\n    post:\n      responses: {responses}\n"
        ))));
        let c = &b.bindings[0].contract;
        (
            c.success_status,
            c.errors.iter().map(|e| e.status).collect::<Vec<_>>(),
        )
    };
    assert_eq!(status("{'200': {description: ok}}"), (200, vec![]));
    assert_eq!(
        status("{'201': {description: ok}, '409': {description: c}}"),
        (201, vec![409])
    );
    assert_eq!(
        status("{'204': {description: ok}, '500': {description: e}, '404': {description: n}}"),
        (204, vec![500, 404])
    );
    assert_eq!(
        status("{'200': {description: ok}, '201': {description: ok}}"),
        (200, vec![])
    );
    assert_eq!(
        status("{'201': {description: ok}, '202': {description: ok}}"),
        (201, vec![])
    );
    assert_eq!(
        status("{default: {description: ok}, 4XX: {description: x}}"),
        (200, vec![])
    );
    let (b, _) = bind_default(&load(&v3(
        "  /a:\n    get:\n      responses: {'404': {description: Not here}}\n",
    )));
    let e = &b.bindings[0].contract.errors[0];
    assert_eq!(e.message_prefix, "[404]");
    assert_eq!(e.selection_pattern, r"^\[404\][\s\S]*");
    assert_eq!(e.description.as_deref(), Some("Not here"));
    let re = regex_lite::Regex::new(&e.selection_pattern).unwrap();
    assert!(re.is_match("[404] User not found\nat line 3"));
    assert!(!re.is_match("User [404]"));
}

#[test]
fn swagger2_body_parameter() {
    let (b, _) = bind_default(&load(
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    post:\n      parameters:\n        - {in: body, name: pet, required: true, description: The pet, schema: {type: object}}\n        - {in: formData, name: f, type: string}\n      responses: {'200': {description: ok}}\n",
    ));
    let f = &b.bindings[0].contract.fields;
    assert_eq!(f.len(), 1, "formData is not passed: API Gateway ignores it");
    assert_eq!((f[0].key.as_str(), f[0].name.as_str()), ("body", "pet"));
    assert!(f[0].required);
}

#[test]
fn names_api_gateway_refuses_are_flagged_but_bound() {
    let (b, diags) = bind_default(&load(&v3(
        "  /a:\n    get:\n      parameters:\n        - {name: 'a b', in: query, schema: {type: string}}\n        - {name: 'ok.$_-', in: header, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
    )));
    assert_eq!(b.bindings[0].contract.fields.len(), 2);
    let flagged: Vec<&str> = diags
        .iter()
        .filter(|d| d.rule == "parameter-name-unsupported")
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(flagged, ["/paths/~1a/get/parameters/0"]);
    let d = diags
        .iter()
        .find(|d| d.rule == "parameter-name-unsupported")
        .unwrap();
    assert_eq!(
        (d.line, d.column),
        (Some(7), Some(11)),
        "diagnostics carry a position"
    );
}
