//! The slim body: what is left out, what is kept, and properties over every fixture.

use crate::support::yaml;
use lambda_sync_compat::{CompatOptions, lint, resource_paths, slim, slim_to_vec, transform};
use lambda_sync_spec::{collect_refs, pointer};
use serde_json::Value;
use std::collections::BTreeSet;

#[track_caller]
fn check(input: &str, expect: &str) {
    let doc = yaml(input).into_value();
    assert_same_bytes(&doc, "check");
    let got = slim(doc);
    let want = yaml(expect).into_value();
    assert_eq!(
        got,
        want,
        "\ngot:\n{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
}

#[test]
fn documentation_is_left_out_and_names_are_kept() {
    check(
        r##"
openapi: 3.0.3
info: {title: T, version: "1", description: The API, termsOfService: x, contact: {name: c}}
externalDocs: {url: "https://example.com"}
tags: [{name: pets, description: Pets}]
x-logo: {url: l.png}
servers: [{url: "https://{host}/v1", description: prod, variables: {host: {default: a.example.com, description: h}}}]
paths:
  x-internal: {a: 1}
  /pets/{id}:
    summary: one pet
    description: long text
    parameters:
      - {name: id, in: path, required: true, description: the id, example: "7", schema: {type: string}}
    get:
      operationId: getPet
      summary: Get
      description: Gets
      tags: [pets]
      deprecated: true
      externalDocs: {url: "https://example.com"}
      x-codegen: {skip: true}
      parameters:
        - {name: x-trace, in: header, description: trace, schema: {type: string, description: d}}
      responses:
        "200":
          description: ok
          headers:
            x-rate-limit: {description: left, schema: {type: integer}}
          links: {self: {operationId: getPet}}
          content:
            application/json:
              schema:
                type: object
                title: Pet
                required: [description]
                properties:
                  description: {type: string, description: a property named description, example: x}
                  x-extra: {type: string}
                  tags: {type: array, items: {type: string, example: t}}
              examples: {a: {value: {}}}
      x-amazon-apigateway-integration: {type: aws, description: kept as it is, example: too}
"##,
        r##"
openapi: 3.0.3
info: {title: T, version: "1", description: The API}
servers: [{url: "https://{host}/v1", variables: {host: {default: a.example.com}}}]
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getPet
      parameters:
        - {name: x-trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: ok
          headers:
            x-rate-limit: {schema: {type: integer}}
          content:
            application/json:
              schema:
                type: object
                required: [description]
                properties:
                  description: {type: string}
                  x-extra: {type: string}
                  tags: {type: array, items: {type: string}}
      x-amazon-apigateway-integration: {type: aws, description: kept as it is, example: too}
"##,
    );
}

#[test]
fn unused_models_go_and_used_ones_stay_through_other_models() {
    check(
        r##"
swagger: "2.0"
info: {title: T, version: "1"}
securityDefinitions:
  key: {type: apiKey, name: x-api-key, in: header, description: the key}
x-amazon-apigateway-request-validators: {all: {validateRequestBody: true}}
paths:
  /a:
    post:
      parameters:
        - {$ref: "#/parameters/Body"}
      responses:
        "200": {$ref: "#/responses/Ok"}
parameters:
  Body: {name: body, in: body, schema: {$ref: "#/definitions/A"}}
  Unused: {name: q, in: query, type: string}
responses:
  Ok: {description: ok, schema: {$ref: "#/definitions/C"}}
definitions:
  A: {type: object, properties: {b: {$ref: "#/definitions/B"}}}
  B: {type: array, items: {$ref: "#/definitions/A"}}
  C: {type: string}
  D: {type: object, properties: {a: {$ref: "#/definitions/A"}}}
  x-amazon-apigateway-kept: {type: string}
"##,
        r##"
swagger: "2.0"
info: {title: T, version: "1"}
securityDefinitions:
  key: {type: apiKey, name: x-api-key, in: header}
x-amazon-apigateway-request-validators: {all: {validateRequestBody: true}}
paths:
  /a:
    post:
      parameters:
        - {$ref: "#/parameters/Body"}
      responses:
        "200": {$ref: "#/responses/Ok"}
parameters:
  Body: {name: body, in: body, schema: {$ref: "#/definitions/A"}}
responses:
  Ok: {description: ok, schema: {$ref: "#/definitions/C"}}
definitions:
  A: {type: object, properties: {b: {$ref: "#/definitions/B"}}}
  B: {type: array, items: {$ref: "#/definitions/A"}}
  C: {type: string}
  x-amazon-apigateway-kept: {type: string}
"##,
    );
}

#[test]
fn what_compat_set_aside_is_left_out() {
    let doc = yaml(
        r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: session, in: cookie, schema: {$ref: "#/components/schemas/Session"}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string, example: x}}}}
    trace:
      responses: {"200": {description: ok}}
components:
  schemas:
    Session: {type: string}
  securitySchemes:
    bearer: {type: http, scheme: bearer}
"##,
    );
    let out = transform(&doc, &CompatOptions::default());
    let text = serde_json::to_string(out.document.value()).unwrap();
    assert!(text.contains("x-disabled-for-amazon-gateway"), "{text}");
    let body = slim(out.document.into_value());
    let text = serde_json::to_string(&body).unwrap();
    assert!(!text.contains("x-disabled-for-amazon-gateway"), "{text}");
    assert!(
        !text.contains("Session"),
        "the model only the cookie used: {text}"
    );
    assert_eq!(
        body["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

fn local_refs_dangling(doc: &Value) -> Vec<String> {
    collect_refs(doc)
        .into_iter()
        .filter(|site| match pointer::parse_ref(&site.target) {
            Some(pointer::Reference::Local(p)) => doc.pointer(&p).is_none(),
            _ => false,
        })
        .map(|s| format!("{} -> {}", s.pointer, s.target))
        .collect()
}

/// What API Gateway builds from a document: each path's methods with operation ids and
/// request parameters (name and place).
fn api_shape(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(op) = op.as_object() else { continue };
            if !op.contains_key("responses") {
                continue;
            }
            out.insert(format!(
                "{method} {path} {}",
                op.get("operationId").unwrap_or(&Value::Null)
            ));
            let params = item
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .chain(
                    op.get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                );
            for p in params {
                let p = match p.get("$ref").and_then(Value::as_str) {
                    Some(r) => doc.pointer(&r[1..]).unwrap_or(p),
                    None => p,
                };
                out.insert(format!("{method} {path} {} {}", p["in"], p["name"]));
            }
        }
    }
    out
}

#[test]
fn every_fixture_keeps_its_api_loses_no_target_and_gains_no_finding() {
    let options = CompatOptions::default();
    let mut checked = 0;
    for dir in ["tests/fixtures", "tests/fixtures/real"] {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("json" | "yaml")
                )
            })
            .collect();
        files.sort();
        for path in files {
            let Ok(loaded) = lambda_sync_spec::load_path(&path) else {
                continue;
            };
            let out = transform(&loaded.document, &options);
            let full = out.document.value().clone();
            let body = slim(full.clone());
            let name = path.display();
            assert_same_bytes(&full, &name.to_string());
            assert!(
                local_refs_dangling(&body).is_empty(),
                "{name}: {:?}",
                local_refs_dangling(&body)
            );
            assert_eq!(api_shape(&body), api_shape(&full), "{name}");
            assert_eq!(slim(body.clone()), body, "{name}: slim is idempotent");
            assert!(
                serde_json::to_vec(&body).unwrap().len()
                    <= serde_json::to_vec(&full).unwrap().len(),
                "{name}"
            );
            assert_eq!(
                resource_paths(&body, &[]),
                resource_paths(&full, &[]),
                "{name}"
            );
            let before: BTreeSet<String> = out.diagnostics.iter().map(|d| d.rule.clone()).collect();
            let doc = lambda_sync_spec::Document::from_value(body, loaded.document.format())
                .expect("the body is a definition");
            let after: BTreeSet<String> = lint(&doc, &options)
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.rule.clone())
                .collect();
            assert!(
                after.is_subset(&before),
                "{name}: the body has errors the full document has not: {:?}",
                after.difference(&before).collect::<Vec<_>>()
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} fixtures checked");
}

/// `slim_to_vec` writes exactly the bytes of the slim copy.
#[track_caller]
fn assert_same_bytes(doc: &Value, name: &str) {
    let want = serde_json::to_vec(&slim(doc)).unwrap();
    let got = slim_to_vec(doc);
    assert!(
        got == want,
        "{name}: slim_to_vec differs from the slim copy\ngot:  {}\nwant: {}",
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&want)
    );
}

/// The odd corners of the body written without a copy: maps of models left empty are removed
/// where they were (`serde_json::Map::remove` moves the last key into their place), values of
/// an unexpected shape are kept as they are, API Gateway's entries are kept unreferenced, and
/// references are followed only from what is kept.
#[test]
fn the_body_written_without_a_copy_is_the_slim_copy() {
    let cases = [
        // 2.0: unused `parameters` in the middle of the root, used `definitions`.
        r##"
swagger: "2.0"
info: {title: T, version: "1", x-logo: l}
parameters: {p: {name: p, in: query, type: string}}
definitions: {A: {type: object, properties: {b: {$ref: "#/definitions/B"}}}, B: {type: string}, C: {type: integer}}
paths:
  /a: {get: {responses: {"200": {description: ok, schema: {$ref: "#/definitions/A"}}}}}
responses: {r: {description: unused}}
host: example.com
x-amazon-apigateway-binary-media-types: [image/png]
tags: [{name: t}]
"##,
        // 3.x: components left with nothing, in the middle of the root.
        r##"
openapi: 3.0.3
components: {schemas: {U: {type: string}}, parameters: {}, x-other: 1}
info: {title: T, version: "1"}
paths:
  /a: {get: {responses: {"200": {description: ok}}}}
x-amazon-apigateway-policy: {Version: "2012-10-17"}
servers: [{url: "https://{h}/v1", description: d, variables: {h: {default: e.com, description: x}}}]
"##,
        // 3.x: some kinds kept, some emptied, API Gateway entries, references only from
        // documentation (not followed), a reference from a kept extension (followed), odd
        // shapes.
        r##"
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  x-amazon-apigateway-any: {$ref: "#/components/schemas/FromExt"}
  x-other: {$ref: "#/components/schemas/FromOther"}
  /a:
    parameters: not-a-list
    get:
      parameters: [{$ref: "#/components/parameters/P"}, {name: q, in: query, schema: [1, 2], example: {$ref: "#/components/schemas/FromExample"}}]
      requestBody: {$ref: "#/components/requestBodies/B"}
      responses:
        "200":
          description: ok
          headers: {X-A: {$ref: "#/components/headers/H"}, $ref: "#/components/headers/H2"}
          content: {application/json: {schema: {type: array, items: [{$ref: "#/components/schemas/T1"}], properties: 7, not: {$ref: "#/components/schemas/T2"}, description: {$ref: "#/components/schemas/FromDoc"}}}}
        x-amazon-apigateway-foo: {$ref: "#/components/responses/R"}
components:
  headers: {H: {schema: {type: string}}, H2: {schema: {type: integer}}, H3: {schema: {type: boolean}}}
  schemas:
    FromExt: {type: string}
    FromOther: {type: string}
    FromExample: {type: string}
    FromDoc: {type: string}
    T1: {allOf: [{$ref: "#/components/schemas/T3"}], additionalProperties: {$ref: "#/components/schemas/T4"}}
    T2: {type: string, title: t}
    T3: {type: string}
    T4: {type: string}
    x-amazon-apigateway-kept: {description: d, type: string, properties: {a: {$ref: "#/components/schemas/Never"}}}
    Never: {type: string}
  parameters: {P: {name: p, in: query, schema: {$ref: "#/components/schemas/T4"}}}
  requestBodies: {B: {content: {application/json: {schema: {type: object}}}}, Unused: {content: {}}}
  responses: {R: {description: r}, Unused: {description: u}}
  securitySchemes: {k: {type: apiKey, name: k, in: header, description: d, x-amazon-apigateway-authtype: custom}}
"##,
    ];
    for (i, text) in cases.iter().enumerate() {
        let doc = yaml(text).into_value();
        assert_same_bytes(&doc, &format!("case {i}"));
    }
    // Not a definition at all.
    for v in [
        serde_json::json!([1, 2]),
        serde_json::json!("x"),
        serde_json::json!({}),
    ] {
        assert_same_bytes(&v, "odd root");
    }
}
