//! Typed views of operations, the same for Swagger 2.0 and OpenAPI 3.x.

use crate::fixture;
use lambda_sync_spec::{HttpMethod, Operation, ParameterLocation as In, load_path, load_str};

/// One line per parameter: `in name required type format [path-item] [-> resolved]`.
fn params(op: &Operation<'_>) -> Vec<String> {
    op.parameters
        .iter()
        .map(|p| {
            let mut s = format!(
                "{} {} {} {} {}",
                p.location,
                p.name,
                p.required,
                p.type_name.unwrap_or("-"),
                p.format.unwrap_or("-")
            );
            if p.from_path_item {
                s.push_str(" [path-item]");
            }
            if let Some(r) = &p.resolved_pointer {
                s.push_str(&format!(" -> {r}"));
            }
            s
        })
        .collect()
}

fn codes<'a>(op: &Operation<'a>) -> Vec<&'a str> {
    op.responses.iter().map(|r| r.code).collect()
}

#[test]
fn swagger_2_operations() {
    let loaded = load_path(fixture("specs/petstore-v2.yaml")).unwrap();
    assert_eq!(loaded.diagnostics, vec![]);
    let doc = &loaded.document;
    let ops = doc.operations();
    let summary: Vec<_> = ops
        .iter()
        .map(|o| (o.method, o.path, o.operation_id.unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            (HttpMethod::Get, "/pets", "listPets"),
            (HttpMethod::Post, "/pets", "createPet"),
            (HttpMethod::Get, "/pets/{petId}", "showPetById"),
            (HttpMethod::Delete, "/pets/{petId}", "deletePet"),
        ]
    );

    let list = &ops[0];
    assert_eq!(list.pointer, "/paths/~1pets/get");
    assert_eq!(list.summary, Some("List all pets"));
    assert_eq!(list.tags, ["pets"]);
    assert_eq!(
        params(list),
        [
            "query limit false integer int32 -> /parameters/Limit",
            "query tag false array -"
        ]
    );
    assert_eq!(list.parameters[0].pointer, "/paths/~1pets/get/parameters/0");
    assert_eq!(
        list.parameters[0].description,
        Some("How many items to return at one time (max 100)")
    );
    assert_eq!(codes(list), ["200", "default"]);
    assert_eq!(
        list.responses[0].schema.unwrap()["type"],
        "array",
        "the `$ref` is resolved"
    );
    assert_eq!(
        list.responses[1].pointer,
        "/paths/~1pets/get/responses/default"
    );
    assert!(list.request_body.is_none());

    let create = &ops[1];
    assert!(create.parameters.is_empty(), "the body is not a parameter");
    let body = create.request_body.as_ref().unwrap();
    assert_eq!(body.name, Some("pet"));
    assert!(body.required);
    assert_eq!(body.description, Some("The pet to add"));
    assert_eq!(body.content_types, ["application/json", "application/xml"]);
    assert_eq!(body.pointer, "/paths/~1pets/post/parameters/0");
    assert!(body.schema.unwrap()["allOf"].is_array());
    assert_eq!(codes(create), ["201", "default"]);
    assert_eq!(create.responses[1].description, Some("unexpected error"));

    // Path-level parameters merged, the operation's header overriding the path item's.
    let show = &ops[2];
    assert_eq!(
        params(show),
        [
            "path petId true string - [path-item]",
            "header X-Request-Id true string uuid"
        ]
    );
    assert_eq!(
        show.parameters[1].description,
        Some("operation-level header wins")
    );
    assert_eq!(show.parameters_in(In::Path).count(), 1);
    assert_eq!(show.path_template_names(), ["petId"]);
    let delete = &ops[3];
    assert_eq!(
        params(delete),
        [
            "path petId true string - [path-item]",
            "header X-Request-Id false string - [path-item]"
        ]
    );
    assert_eq!(codes(delete), ["204"]);

    let names: Vec<_> = doc.schemas().iter().map(|s| s.name).collect();
    assert_eq!(names, ["Pet", "NewPet", "Owner", "Pets", "Error"]);
    let cycles = doc.schema_cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert_eq!(cycles[0].names, ["Pet", "Owner"]);
}

#[test]
fn openapi_3_operations() {
    let loaded = load_path(fixture("specs/petstore-v3.json")).unwrap();
    assert_eq!(loaded.diagnostics, vec![]);
    let doc = &loaded.document;
    let ops = doc.operations();
    let ids: Vec<_> = ops.iter().map(|o| o.operation_id.unwrap()).collect();
    assert_eq!(ids, ["listPets", "createPet", "showPetById", "updatePet"]);

    assert_eq!(
        params(&ops[0]),
        [
            "query limit false integer int32 -> /components/parameters/Limit",
            "query tag false array -"
        ]
    );
    assert_eq!(codes(&ops[0]), ["200", "default"]);
    assert_eq!(ops[0].responses[1].description, Some("unexpected error"));
    assert_eq!(
        ops[0].responses[1].schema.unwrap()["properties"]["code"]["type"],
        "integer"
    );

    let create = ops[1].request_body.as_ref().unwrap();
    assert_eq!((create.name, create.required), (None, true));
    assert_eq!(create.content_types, ["application/json"]);
    assert_eq!(create.pointer, "/paths/~1pets/post/requestBody");
    assert_eq!(create.schema.unwrap()["required"][0], "id");
    assert_eq!(codes(&ops[1]), ["201", "4XX"]);

    assert_eq!(
        params(&ops[2]),
        [
            "path petId true integer int64 [path-item]",
            "query verbose true string -"
        ]
    );
    assert!(ops[2].request_body.is_none());

    let update = ops[3].request_body.as_ref().unwrap();
    assert_eq!(
        update.content_types,
        ["application/xml", "application/json"]
    );
    assert_eq!(update.description, Some("the new pet"));
    assert_eq!(
        update.schema.unwrap()["type"],
        "object",
        "application/json is preferred"
    );
    assert_eq!(
        params(&ops[3]),
        [
            "path petId true integer int64 [path-item]",
            "query verbose false boolean - [path-item]"
        ]
    );
}

#[test]
fn openapi_3_1_type_lists() {
    let loaded = load_path(fixture("specs/petstore-v31.yaml")).unwrap();
    assert_eq!(loaded.diagnostics, vec![]);
    let ops = loaded.document.operations();
    assert_eq!(ops.len(), 1, "webhooks are not operations");
    assert_eq!(
        params(&ops[0]),
        [
            "query nickname false string nickname",
            "query age false integer -"
        ]
    );
    assert_eq!(loaded.document.schema_cycles().len(), 1);
}

#[test]
fn odd_shapes_do_not_confuse_the_views() {
    let loaded = load_str(
        r#"swagger: "2.0"
info: {title: t, version: "1"}
consumes: [text/plain]
paths:
  x-extension: {get: {operationId: notAnOperation}}
  /a:
    GET: {operationId: upperCaseIsNotAMethod}
    get: "not an object"
    put:
      parameters:
        - {name: b, in: body, schema: {type: string}}
        - {name: nameless}
        - {in: query}
        - {name: q, in: nowhere}
        - 42
        - {$ref: '#/parameters/missing'}
      responses:
        x-vendor: {description: not a response}
        "200": {description: ok}
  /b: 17
  /c:
    $ref: '#/x-items/c'
x-items:
  c:
    post: {operationId: fromARef, responses: {}}
"#,
    )
    .unwrap();
    let ops = loaded.document.operations();
    let got: Vec<_> = ops
        .iter()
        .map(|o| (o.method, o.path, o.operation_id))
        .collect();
    assert_eq!(
        got,
        [
            (HttpMethod::Put, "/a", None),
            (HttpMethod::Post, "/c", Some("fromARef"))
        ]
    );
    assert!(ops[0].parameters.is_empty());
    let body = ops[0].request_body.as_ref().unwrap();
    assert_eq!(body.content_types, ["text/plain"], "the root `consumes`");
    assert_eq!(codes(&ops[0]), ["200"]);
    assert_eq!(ops[1].pointer, "/paths/~1c/post");
}

/// `operations_in` lists path items kept elsewhere in the document exactly as `operations`
/// lists them in a copy whose `paths` are those items (without their `x-` keys): the same
/// pointers, parameters (resolved in the document, or among the items for `#/paths/...`),
/// bodies and responses.
#[test]
fn operations_in_reads_set_aside_path_items_like_a_copy() {
    let cases = [
        // 3.x: references into components, into the set-aside items, into an `x-` key.
        r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a: {get: {operationId: a, responses: {"200": {description: ok}}}}
  x-aside:
    x-note: not a path
    /b/{id}:
      parameters: [{$ref: "#/components/parameters/id"}]
      get:
        operationId: b
        parameters:
          - {$ref: "#/paths/~1b~1{id}/x-shared"}
          - {$ref: "#/paths/x-note"}
          - {name: q, in: query, schema: {$ref: "#/components/schemas/S"}}
        requestBody: {$ref: "#/components/requestBodies/B"}
        responses:
          "200": {$ref: "#/components/responses/R"}
          "404": {description: none}
      x-shared: {name: h, in: header, schema: {type: string}}
    /c: {$ref: "#/paths/~1b~1{id}"}
    /d: {$ref: "#/paths/~1a"}
components:
  parameters:
    id: {name: id, in: path, required: true, schema: {type: integer, format: int64}}
  schemas:
    S: {type: string, format: date}
  requestBodies:
    B: {content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
  responses:
    R: {description: ok, content: {application/json: {schema: {type: object}}}}
"##,
        // 2.0: `definitions`, a body parameter, root `consumes`.
        r##"
swagger: "2.0"
info: {title: T, version: "1"}
consumes: [application/xml]
paths:
  x-aside:
    /p/{id}:
      put:
        parameters:
          - {$ref: "#/parameters/id"}
          - {name: body, in: body, schema: {$ref: "#/definitions/P"}}
        responses: {"200": {description: ok, schema: {$ref: "#/definitions/P"}}}
parameters:
  id: {name: id, in: path, required: true, type: string}
definitions:
  P: {type: object}
"##,
    ];
    for text in cases {
        let doc = load_str(text).unwrap().document;
        let aside = doc.value().pointer("/paths/x-aside").unwrap();
        let mut copy = doc.value().clone();
        copy["paths"] = serde_json::Value::Object(
            aside
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| !k.starts_with("x-"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        let copy = lambda_sync_spec::Document::from_value(copy, doc.format()).unwrap();
        let expected = copy.operations();
        let got = doc.operations_in(aside);
        assert!(!got.is_empty());
        assert_eq!(got, expected);
    }
}
