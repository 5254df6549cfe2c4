//! Paths and parameter names that compat repaired: the event still carries every original name
//! with its value. The request templates are evaluated with the mapping evaluator, over
//! hostile values (proptest), and compared with `RepairedSegment::extract`, the reference
//! semantics of the cut.

use super::{load, opts};
use lambda_sync_compat::{CompatOptions, transform};
use lambda_sync_integration::{Binding, FieldSource, bind, integration_extension};
use lambda_sync_mapping::{Request, evaluate};
use proptest::prelude::*;
use serde_json::Value;

const REPAIRED: &str = r##"openapi: 3.0.3
info: {title: Repairs, version: "1"}
paths:
  /fees/{id}:
    get:
      operationId: getFee
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /fees/{fee}/refunds/{refund}.json:
    get:
      operationId: getRefund
      parameters:
        - {name: fee, in: path, required: true, schema: {type: string}}
        - {name: refund, in: path, required: true, schema: {type: integer}}
        - {name: "filter[status]", in: query, schema: {type: string}}
        - {name: "StartTime<", in: header, schema: {type: string}}
      responses: {"200": {description: ok}}
  /repos/{owner}/compare/{base}...{head}:
    get:
      operationId: compare
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
        - {name: base, in: path, required: true, schema: {type: string}}
        - {name: head, in: path, required: true, schema: {type: string}}
      responses: {"200": {description: ok}}
  /api/v{version}/x{a}-{b}.tar.gz/:
    get:
      operationId: archive
      responses: {"200": {description: ok}}
"##;

fn repaired_bindings() -> Vec<Binding> {
    let out = transform(&load(REPAIRED), &CompatOptions::default());
    assert!(
        out.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        out.diagnostics
    );
    bind(&out.document, &opts()).unwrap().0.bindings
}

/// The path API Gateway sees, filled with the values of the original variables.
fn request_for(b: &Binding, values: &[(String, String)], query: &[(String, String)]) -> Request {
    request_and_segments(b, values, query).0
}

/// The request, and the value API Gateway receives for each repaired variable.
fn request_and_segments(
    b: &Binding,
    values: &[(String, String)],
    query: &[(String, String)],
) -> (Request, Vec<(String, String)>) {
    let mut sent = Vec::new();
    let mut r = Request::new("GET", b.path.clone()).with_body("");
    // One value per repaired variable: the segment as the definition writes it, filled in.
    let mut done: Vec<String> = Vec::new();
    for f in &b.contract.fields {
        if f.source != FieldSource::Path {
            continue;
        }
        let value_of = |n: &str| {
            values
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        match &f.segment {
            None => r = r.with_path_param(f.name.clone(), value_of(&f.name)),
            Some(seg) if !done.contains(&seg.variable) => {
                done.push(seg.variable.clone());
                let full: String = seg
                    .parts
                    .iter()
                    .map(|p| match p {
                        lambda_sync_compat::SegmentPart::Text(t) => t.clone(),
                        lambda_sync_compat::SegmentPart::Variable(v) => value_of(v),
                    })
                    .collect();
                sent.push((seg.variable.clone(), full.clone()));
                r = r.with_path_param(seg.variable.clone(), full);
            }
            Some(_) => {}
        }
    }
    for (k, v) in query {
        r = r.with_query(k.clone(), v.clone());
    }
    (r, sent)
}

/// Evaluates the template and returns the event.
#[track_caller]
fn event(b: &Binding, r: &Request) -> Value {
    let ext = integration_extension(b, &opts());
    let template = ext["requestTemplates"]["application/json"]
        .as_str()
        .unwrap();
    let out = evaluate(template, r).unwrap_or_else(|e| panic!("template fails: {e}\n{template}"));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}\n{template}"))
}

#[test]
fn repaired_paths_and_the_names_the_function_sees() {
    let b = repaired_bindings();
    let summary: Vec<String> = b
        .iter()
        .map(|b| {
            let keys: Vec<&str> = b.contract.fields.iter().map(|f| f.key.as_str()).collect();
            format!("{} {}: {}", b.method.as_upper(), b.path, keys.join(", "))
        })
        .collect();
    assert_eq!(
        summary,
        [
            "GET /fees/{id}: id",
            "GET /fees/{id}/refunds/{refund}: fee, refund, filter[status], StartTime<",
            "GET /repos/{owner}/compare/{base_head}: owner, base, head",
            "GET /api/{version}/{a_b}: version, a, b",
        ]
    );
    let refund = &b[1];
    assert_eq!(
        refund.contract.fields[1].type_name.as_deref(),
        Some("integer")
    );
    let values = [
        ("fee".to_string(), "fee_1".to_string()),
        ("refund".to_string(), "re_9".to_string()),
    ];
    let r = request_for(refund, &values, &[("filter[status]".into(), "paid".into())])
        .with_header("StartTime<", "2026");
    let e = event(refund, &r);
    assert_eq!(
        e,
        serde_json::json!({"fee": "fee_1", "refund": "re_9", "filter[status]": "paid", "StartTime<": "2026"})
    );
    let archive = &b[3];
    let values = [
        ("version".to_string(), "2".to_string()),
        ("a".to_string(), "lib".to_string()),
        ("b".to_string(), "1.0".to_string()),
    ];
    let e = event(archive, &request_for(archive, &values, &[]));
    assert_eq!(
        e,
        serde_json::json!({"version": "2", "a": "lib", "b": "1.0"})
    );
}

#[test]
fn the_template_of_a_split_segment() {
    let b = repaired_bindings();
    let ext = integration_extension(&b[2], &opts());
    insta::assert_snapshot!(
        ext["requestTemplates"]["application/json"]
            .as_str()
            .unwrap()
    );
}

#[test]
fn hostile_values_in_repaired_segments() {
    let b = repaired_bindings();
    let hostile = [
        "",
        "'",
        "\"",
        "\\",
        "...",
        "a...b",
        ".json",
        "x.tar.gz",
        "v",
        "-",
        "😀",
        "\u{1}",
        "$input.body",
        "#set($x = 1)",
        "é日本",
    ];
    for binding in &b {
        for h in hostile {
            let values: Vec<(String, String)> = binding
                .contract
                .fields
                .iter()
                .map(|f| (f.name.clone(), h.to_string()))
                .collect();
            check_against_reference(binding, &values);
        }
    }
}

/// The event is JSON and each path field is what `RepairedSegment::extract` gives for the
/// value API Gateway received (the original value when it holds no separator).
#[track_caller]
fn check_against_reference(b: &Binding, values: &[(String, String)]) {
    let (r, sent) = request_and_segments(b, values, &[]);
    let e = event(b, &r);
    for f in &b.contract.fields {
        if f.source != FieldSource::Path {
            continue;
        }
        let want = match &f.segment {
            None => values.iter().find(|(k, _)| *k == f.name).unwrap().1.clone(),
            Some(seg) => {
                let full = &sent.iter().find(|(k, _)| *k == seg.variable).unwrap().1;
                seg.extract(full, &f.name).unwrap()
            }
        };
        assert_eq!(e[&f.key], Value::String(want), "{} of {}", f.key, b.path);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_values_in_repaired_segments(
        values in proptest::collection::vec(any::<String>(), 4),
        plain in proptest::collection::vec("[A-Za-z0-9_~ ]{0,12}", 4),
        pick in any::<proptest::sample::Index>(),
    ) {
        let b = repaired_bindings();
        let binding = pick.get(&b);
        let names: Vec<String> = binding.contract.fields.iter().map(|f| f.name.clone()).collect();
        // Anything: valid JSON, and the reference cut.
        let any: Vec<(String, String)> = names.iter().cloned().zip(values.iter().cloned()).collect();
        check_against_reference(binding, &any);
        // Values without separators come back exactly.
        let exact: Vec<(String, String)> = names.iter().cloned().zip(plain.iter().cloned()).collect();
        let e = event(binding, &request_for(binding, &exact, &[]));
        for (n, v) in &exact {
            let f = binding.contract.fields.iter().find(|f| &f.name == n).unwrap();
            if f.source == FieldSource::Path {
                prop_assert_eq!(&e[&f.key], &Value::String(v.clone()));
            }
        }
    }
}
