//! The generated request templates, evaluated with the mapping evaluator over hostile
//! requests: the result is JSON and every field equals what was sent.

use super::{fixtures_dir, load, opts, v3};
use lambda_sync_integration::{Binding, FieldSource, bind, integration_extension};
use lambda_sync_mapping::{Request, evaluate};
use proptest::prelude::*;
use serde_json::Value;

const HOSTILE: &[&str] = &[
    "",
    "'",
    "\"",
    "\\",
    "\\'",
    "'\\",
    "\\\\''\\\"",
    "it's \"quoted\"",
    "line\nbreak\r\ttab",
    "\u{0}\u{1}\u{1f}\u{7f}",
    "é ü 日本語",
    "😀🎉",
    "$input.body",
    "#set($p = 1)#end",
    "${p} $!p ## not a comment",
    "</script>",
    "\\u0041",
    "{\"a\": 1}",
    "null",
    "  spaced  ",
];

/// One request: a value (or nothing) per field key, a body and its media type.
struct Sent<'a> {
    values: Vec<(&'a str, Option<String>)>,
    body: &'a str,
    media: &'a str,
}

/// Evaluates the binding's template for `sent` and checks every field of the event.
#[track_caller]
fn roundtrip(binding: &Binding, sent: &Sent<'_>) {
    let ext = integration_extension(binding, &opts());
    let template = ext["requestTemplates"][sent.media]
        .as_str()
        .unwrap_or_else(|| panic!("no template for {}", sent.media));
    let mut request =
        Request::new(binding.method.as_upper(), binding.path.clone()).with_body(sent.body);
    for f in &binding.contract.fields {
        let Some((_, Some(v))) = sent.values.iter().find(|(k, _)| *k == f.key) else {
            continue;
        };
        request = match f.source {
            FieldSource::Path => request.with_path_param(f.name.clone(), v.clone()),
            FieldSource::Query => request.with_query(f.name.clone(), v.clone()),
            FieldSource::Header => request.with_header(f.name.clone(), v.clone()),
            FieldSource::Body => request,
        };
    }
    let out = evaluate(template, &request)
        .unwrap_or_else(|e| panic!("{}: template fails: {e}\n{template}", binding.function_name));
    let event: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{}: not JSON ({e}):\n{out}", binding.function_name));
    let obj = event.as_object().expect("an object");
    assert_eq!(obj.len(), binding.contract.fields.len(), "{out}");
    for f in &binding.contract.fields {
        let got = &event[&f.key];
        if f.source == FieldSource::Body {
            let want = if sent.media.contains("json") {
                if sent.body.trim().is_empty() {
                    serde_json::json!({})
                } else {
                    serde_json::from_str(sent.body)
                        .unwrap_or_else(|_| Value::String(sent.body.to_string()))
                }
            } else {
                Value::String(sent.body.to_string())
            };
            assert_eq!(got, &want, "body of {}", binding.function_name);
            continue;
        }
        let want = sent
            .values
            .iter()
            .find(|(k, _)| *k == f.key)
            .and_then(|(_, v)| v.clone())
            .map_or(Value::Null, Value::String);
        assert_eq!(got, &want, "field {} of {}", f.key, binding.function_name);
    }
}

fn bindings_of(text: &str) -> Vec<Binding> {
    bind(&load(text), &opts()).unwrap().0.bindings
}

fn fixture_bindings() -> Vec<Binding> {
    let mut out = Vec::new();
    for f in ["petstore-v2.yaml", "petstore-v3.yaml"] {
        let doc = lambda_sync_spec::load_path(fixtures_dir().join(f))
            .unwrap()
            .document;
        out.extend(
            bind(&doc, &opts())
                .unwrap()
                .0
                .bindings
                .into_iter()
                .filter(|b| !b.existing_integration),
        );
    }
    out
}

const NAMES: &str = r##"  /odd/{it's}/{a"b}/{back\slash}:
    post:
      operationId: oddNames
      parameters:
        - {name: "it's", in: path, required: true, schema: {type: string}}
        - {name: "a\"b", in: path, required: true, schema: {type: string}}
        - {name: "back\\slash", in: path, required: true, schema: {type: string}}
        - {name: "$top", in: query, schema: {type: string}}
        - {name: "#frag", in: query, schema: {type: string}}
        - {name: "$p", in: query, schema: {type: string}}
        - {name: "line\nbreak", in: query, schema: {type: string}}
        - {name: "X-$Weird", in: header, schema: {type: string}}
        - {name: "body", in: header, schema: {type: string}}
        - {name: "id", in: query, schema: {type: string}}
        - {name: "id", in: header, schema: {type: string}}
      requestBody:
        content:
          application/json: {schema: {type: object}}
          application/problem+json: {schema: {type: object}}
          text/plain: {schema: {type: string}}
          application/x-www-form-urlencoded: {schema: {type: object}}
      responses: {'200': {description: ok}}
"##;

fn all_bindings() -> Vec<Binding> {
    let mut b = fixture_bindings();
    b.extend(bindings_of(&v3(NAMES)));
    b
}

fn media_types(b: &Binding) -> Vec<String> {
    let ext = integration_extension(b, &opts());
    ext["requestTemplates"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn hostile_values_round_trip() {
    for b in all_bindings() {
        for (i, value) in HOSTILE.iter().enumerate() {
            let values: Vec<(&str, Option<String>)> = b
                .contract
                .fields
                .iter()
                .enumerate()
                .map(|(k, f)| {
                    (
                        f.key.as_str(),
                        Some(HOSTILE[(i + k) % HOSTILE.len()].to_string()),
                    )
                })
                .collect();
            for media in media_types(&b) {
                let body = if media.contains("json") {
                    r#"{"name": "Rex \"the\" 'dog' \\ 😀", "n": [1, 2.5, null, true]}"#
                } else {
                    value
                };
                roundtrip(
                    &b,
                    &Sent {
                        values: values.clone(),
                        body,
                        media: &media,
                    },
                );
            }
        }
    }
}

#[test]
fn missing_optional_parameters_are_null() {
    for b in all_bindings() {
        let values: Vec<(&str, Option<String>)> = b
            .contract
            .fields
            .iter()
            .map(|f| {
                (
                    f.key.as_str(),
                    (f.source == FieldSource::Path).then(|| "p".to_string()),
                )
            })
            .collect();
        roundtrip(
            &b,
            &Sent {
                values,
                body: "",
                media: "application/json",
            },
        );
    }
}

#[test]
fn bodies_that_are_not_json_stay_json() {
    for b in all_bindings().iter().filter(|b| {
        b.contract
            .fields
            .iter()
            .any(|f| f.source == FieldSource::Body)
    }) {
        for body in [
            "not json",
            "{\"unterminated\": ",
            "'single'",
            "\\",
            "<xml a='1'/>",
            "  ",
            "42",
            "\"s\"",
        ] {
            let values: Vec<(&str, Option<String>)> = b
                .contract
                .fields
                .iter()
                .map(|f| (f.key.as_str(), Some("v".into())))
                .collect();
            roundtrip(
                b,
                &Sent {
                    values,
                    body,
                    media: "application/json",
                },
            );
        }
    }
}

#[test]
fn repeated_query_parameters_and_headers_give_the_last_value() {
    let b = &bindings_of(&v3(
        "  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: tag, in: query, schema: {type: array, items: {type: string}}}\n        - {name: X-Id, in: header, schema: {type: string}}\n        - {name: x-id, in: header, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
    ))[0];
    let ext = integration_extension(b, &opts());
    let t = ext["requestTemplates"]["application/json"]
        .as_str()
        .unwrap();
    let r = Request::new("GET", "/a")
        .with_query("tag", "a")
        .with_query("tag", "b,c")
        .with_header("x-ID", "1")
        .with_header("x-ID", "2");
    let event: Value = serde_json::from_str(&evaluate(t, &r).unwrap()).unwrap();
    assert_eq!(
        event,
        serde_json::json!({"tag": "b,c", "X-Id": "2", "header_x-id": "2"})
    );
}

#[test]
fn error_response_templates() {
    let b = &bindings_of(&v3(
        "  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}, '404': {description: nope}}\n",
    ))[0];
    let ext = integration_extension(b, &opts());
    let resp = &ext["responses"][r"^\[404\][\s\S]*"];
    assert_eq!(resp["statusCode"], "404");
    let t = resp["responseTemplates"]["application/json"]
        .as_str()
        .unwrap();
    for (message, want) in [
        (
            "[404] User 'x' \"not\" found\nsecond line",
            "User 'x' \"not\" found\nsecond line",
        ),
        ("[404]", ""),
        ("[404]no space", "no space"),
    ] {
        let lambda_error = serde_json::json!({"errorMessage": message, "errorType": "Error"});
        let r = Request::new("GET", "/a").with_body(lambda_error.to_string());
        let out: Value = serde_json::from_str(&evaluate(t, &r).unwrap()).unwrap();
        assert_eq!(out, serde_json::json!({"message": want}));
    }
    let out: Value =
        serde_json::from_str(&evaluate(t, &Request::new("GET", "/a").with_body("{}")).unwrap())
            .unwrap();
    assert_eq!(out, serde_json::json!({"message": ""}));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any values, any presence, any body: the event is JSON and holds exactly what was sent.
    #[test]
    fn any_request_round_trips(
        values in proptest::collection::vec(proptest::option::of(any::<String>()), 16),
        body in prop_oneof![
            any::<String>(),
            any::<String>().prop_map(|s| serde_json::json!({"s": s, "n": [1, {"k": s}]}).to_string()),
        ],
        pick in any::<proptest::sample::Index>(),
    ) {
        let bindings = all_bindings();
        let b = pick.get(&bindings);
        let sent: Vec<(&str, Option<String>)> = b
            .contract
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let v = values[i % values.len()].clone();
                // Path parameters are always there when the route matched.
                (f.key.as_str(), if f.source == FieldSource::Path { Some(v.unwrap_or_default()) } else { v })
            })
            .collect();
        for media in media_types(b) {
            roundtrip(b, &Sent { values: sent.clone(), body: &body, media: &media });
        }
    }
}

#[test]
fn odd_names_template() {
    let b = &bindings_of(&v3(NAMES))[0];
    let ext = integration_extension(b, &opts());
    insta::assert_snapshot!(
        ext["requestTemplates"]["application/json"]
            .as_str()
            .unwrap()
    );
    insta::assert_snapshot!(ext["requestTemplates"]["text/plain"].as_str().unwrap());
}

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_.$-]{0,8}",
        "[ -~]{1,8}",
        "\\PC{1,6}",
        proptest::sample::select(vec![
            "body", "Body", "$p", "$params", "#end", "##", "#*", "'", "''", "\\", "\"", "${x}",
            "query_id", "id", "ID", "$!{a}",
        ])
        .prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any parameter names in any locations: the template is valid, the event is JSON and
    /// holds exactly what was sent, under the keys the contract gives.
    #[test]
    fn any_parameter_names_round_trip(
        params in proptest::collection::vec(
            (arb_name(), proptest::sample::select(vec!["query", "header"])),
            0..8,
        ),
        values in proptest::collection::vec(proptest::option::of("\\PC{0,6}|['\"\\\\$#]{0,4}"), 8),
        with_body in any::<bool>(),
    ) {
        let mut op = serde_json::json!({
            "operationId": "op",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        });
        let mut seen = std::collections::BTreeSet::new();
        for (name, loc) in &params {
            // One parameter per name and location, as OpenAPI requires.
            if seen.insert((name.clone(), *loc)) {
                op["parameters"].as_array_mut().unwrap().push(
                    serde_json::json!({"name": name, "in": loc, "schema": {"type": "string"}}),
                );
            }
        }
        if with_body {
            op["requestBody"] = serde_json::json!({"content": {"application/json": {"schema": {"type": "object"}}}});
        }
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a/{id}": {"post": op}}
        });
        let doc = lambda_sync_spec::Document::from_value(doc, lambda_sync_spec::Format::Json).unwrap();
        let (b, _) = bind(&doc, &opts()).unwrap();
        let b = &b.bindings[0];
        // Headers that differ only in case are one HTTP header: send each header once.
        let mut header_names = std::collections::BTreeSet::new();
        let sent: Vec<(&str, Option<String>)> = b
            .contract
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let v = values[i % values.len()].clone();
                let v = match f.source {
                    FieldSource::Path => Some(v.unwrap_or_default()),
                    FieldSource::Header if !header_names.insert(f.name.to_ascii_lowercase()) => None,
                    _ => v,
                };
                (f.key.as_str(), v)
            })
            .collect();
        // A header sent once reaches every field that names it, whatever the case.
        let mut expected = sent.clone();
        for (i, f) in b.contract.fields.iter().enumerate() {
            if f.source == FieldSource::Header {
                let first = b.contract.fields.iter().position(|g| {
                    g.source == FieldSource::Header && g.name.eq_ignore_ascii_case(&f.name)
                });
                if let Some(first) = first {
                    expected[i].1 = sent[first].1.clone();
                }
            }
        }
        let ext = integration_extension(b, &opts());
        let template = ext["requestTemplates"]["application/json"].as_str().unwrap();
        let mut request = Request::new("POST", "/a/{id}").with_body(r#"{"k": "v"}"#);
        for (f, (_, v)) in b.contract.fields.iter().zip(&sent) {
            if let Some(v) = v {
                request = match f.source {
                    FieldSource::Path => request.with_path_param(f.name.clone(), v.clone()),
                    FieldSource::Query => request.with_query(f.name.clone(), v.clone()),
                    FieldSource::Header => request.with_header(f.name.clone(), v.clone()),
                    FieldSource::Body => request,
                };
            }
        }
        let out = evaluate(template, &request).map_err(|e| TestCaseError::fail(format!("{e}\n{template}")))?;
        let event: Value = serde_json::from_str(&out).map_err(|e| TestCaseError::fail(format!("{e}\n{out}")))?;
        prop_assert_eq!(event.as_object().unwrap().len(), b.contract.fields.len());
        for (f, (key, v)) in b.contract.fields.iter().zip(&expected) {
            if f.source == FieldSource::Body {
                prop_assert_eq!(&event["body"], &serde_json::json!({"k": "v"}));
            } else {
                prop_assert_eq!(&event[*key], &v.clone().map_or(Value::Null, Value::String), "field {}", key);
            }
        }
    }
}
