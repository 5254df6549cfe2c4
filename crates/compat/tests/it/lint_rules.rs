//! Data-driven lint tests: input YAML, expected `rule pointer` lines.

use crate::support::yaml;
use lambda_sync_compat::{CompatOptions, lint};

#[track_caller]
fn check_with(options: &CompatOptions, input: &str, expect: &str) {
    let doc = yaml(input);
    let got: Vec<String> = lint(&doc, options)
        .iter()
        .map(|d| format!("{} {}", d.rule, d.pointer))
        .collect();
    let want: Vec<String> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(got, want, "\n got: {got:#?}\nwant: {want:#?}");
}

#[track_caller]
fn check(input: &str, expect: &str) {
    check_with(&CompatOptions::default(), input, expect);
}

const V3: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
const V2: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\n";

fn v3(rest: &str) -> String {
    format!("{V3}{rest}")
}
fn v2(rest: &str) -> String {
    format!("{V2}{rest}")
}

#[test]
fn clean_definitions_have_no_findings() {
    check(&v3("paths: {}\n"), "");
    check(
        &v2(
            "paths:\n  /pets/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, type: string}]\n      responses: {'200': {description: ok, schema: {$ref: '#/definitions/Pet'}}}\ndefinitions:\n  Pet: {type: object, properties: {name: {type: string}}}\n",
        ),
        "",
    );
}

#[test]
fn schema_keywords() {
    check(
        &v3(
            "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      example: {}\n      discriminator: {propertyName: k}\n      xml: {name: a}\n      properties:\n        example: {type: string, readOnly: true}\n        n: {type: number, format: int64, exclusiveMinimum: true, minimum: 0}\n        d: {type: number, format: decimal}\n        i: {type: integer, format: int64}\n",
        ),
        "example /components/schemas/A/example
         discriminator /components/schemas/A/discriminator
         xml /components/schemas/A/xml
         read-only /components/schemas/A/properties/example/readOnly
         number-integer-format /components/schemas/A/properties/n/format
         exclusive-bound-boolean /components/schemas/A/properties/n/exclusiveMinimum
         decimal-format /components/schemas/A/properties/d/format",
    );
}

#[test]
fn examples_outside_schemas() {
    check(
        &v3(
            "paths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, example: x, schema: {type: string}}]\n      responses:\n        '200':\n          description: ok\n          headers: {X-A: {example: 1, schema: {type: integer}}}\n          content: {application/json: {examples: {a: {value: 1}}}}\n",
        ),
        "example /paths/~1a/get/parameters/0/example
         example /paths/~1a/get/responses/200/headers/X-A/example
         example /paths/~1a/get/responses/200/content/application~1json/examples",
    );
    check(
        &v2(
            "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok, examples: {application/json: {}}}}\n",
        ),
        "example /paths/~1a/get/responses/200/examples",
    );
}

#[test]
fn example_values_and_property_names_are_not_keywords() {
    check(
        &v3(
            "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        xml: {type: string}\n        readOnly: {type: boolean}\n        discriminator: {type: string}\n",
        ),
        "",
    );
}

#[test]
fn model_names_and_cycles() {
    check(
        &v2(
            "paths: {}\ndefinitions:\n  io.k8s.Pod: {type: object, properties: {owner: {$ref: '#/definitions/io.k8s.Pod'}}}\n  Good: {type: object}\n  account_balance: {type: object}\n",
        ),
        "model-name /definitions/io.k8s.Pod
         circular-ref /definitions/io.k8s.Pod/properties/owner/$ref
         model-name /definitions/account_balance",
    );
}

#[test]
fn parameters() {
    check(
        &v3(
            "paths:\n  /a:\n    parameters: [{name: c, in: cookie, schema: {type: string}}]\n    get:\n      parameters:\n        - {name: 'filter[status]', in: query, schema: {type: string}}\n        - {name: ok.name-$_, in: header, schema: {type: string}}\n        - {name: 'bad name', in: header, schema: {type: string}}\n        - {name: 'p[]', in: cookie, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
        ),
        "cookie-parameter /paths/~1a/parameters/0
         parameter-name /paths/~1a/get/parameters/0/name
         parameter-name /paths/~1a/get/parameters/2/name
         cookie-parameter /paths/~1a/get/parameters/3",
    );
    check(
        &v2(
            "paths:\n  /a:\n    post:\n      parameters: [{name: f, in: formData, type: string}]\n      responses: {'200': {description: ok}}\n",
        ),
        "form-data-parameter /paths/~1a/post/parameters/0",
    );
}

#[test]
fn responses() {
    check(
        &v3(
            "paths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok, content: {text/plain: {schema: {type: string}}}}\n        4XX: {description: e}\n        default: {description: d}\n        '404': {$ref: '#/components/responses/NF'}\ncomponents:\n  responses:\n    NF: {description: nf}\n",
        ),
        "non-object-response-schema /paths/~1a/get/responses/200/content/text~1plain/schema
         response-code-range /paths/~1a/get/responses/4XX
         ignored-default-response /paths/~1a/get/responses/default
         response-ref /paths/~1a/get/responses/404/$ref",
    );
}

#[test]
fn paths_and_trace() {
    check(
        &v3(
            "paths:\n  /a/{id}.json:\n    trace: {responses: {'200': {description: ok}}}\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /b/:\n    get: {responses: {'200': {description: ok}}}\n  /c/{proxy+}:\n    get:\n      parameters: [{name: proxy, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n",
        ),
        "mixed-path-segment /paths/~1a~1{id}.json
         trace-operation /paths/~1a~1{id}.json/trace
         trailing-slash /paths/~1b~1",
    );
    // With the repairs switched off, the old finding remains.
    check_with(
        &CompatOptions::default().with_disabled(["mixed-path-segment", "trailing-slash"]),
        &v3(
            "paths:\n  /a/{id}.json:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /b/:\n    get: {responses: {'200': {description: ok}}}\n",
        ),
        "path-segment /paths/~1a~1{id}.json
         path-segment /paths/~1b~1",
    );
    // A trailing slash that would give a path the definition already has cannot be repaired.
    check(
        &v3(
            "paths:\n  /b/:\n    get: {responses: {'200': {description: ok}}}\n  /b:\n    post: {responses: {'200': {description: ok}}}\n",
        ),
        "path-segment /paths/~1b~1",
    );
}

#[test]
fn strict_mode_repairs_nothing() {
    let doc = yaml(&v3(
        "paths:\n  /fees/{id}:\n    get: {responses: {'200': {description: ok}}}\n  /fees/{fee}/refunds/:\n    get: {responses: {'200': {description: ok}}}\n",
    ));
    let strict = CompatOptions::default().with_strict(true);
    let out = lambda_sync_compat::transform(&doc, &strict);
    assert!(out.changes.is_empty(), "{:#?}", out.changes);
    let blocking: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| lambda_sync_compat::blocks_push(d, &strict))
        .map(|d| format!("{} {}", d.rule, d.pointer))
        .collect();
    assert_eq!(
        blocking,
        [
            "trailing-slash /paths/~1fees~1{fee}~1refunds~1",
            "path-variable-conflict /paths/~1fees~1{fee}~1refunds~1"
        ]
    );
    let relaxed = lambda_sync_compat::transform(&doc, &CompatOptions::default());
    assert!(
        relaxed
            .document
            .get("/paths/~1fees~1{id}~1refunds")
            .is_some()
    );
    assert!(
        !relaxed
            .diagnostics
            .iter()
            .any(|d| lambda_sync_compat::blocks_push(d, &CompatOptions::default()))
    );
}

#[test]
fn security() {
    check(
        &v3(
            "security: [{k: []}]\npaths:\n  /a:\n    get: {responses: {'200': {description: ok}}}\ncomponents:\n  securitySchemes:\n    k: {type: apiKey, name: k, in: header}\n    o: {type: http, scheme: basic}\n",
        ),
        "root-security /security
         security-scheme-type /components/securitySchemes/o/type",
    );
}

#[test]
fn openapi_31() {
    check(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: [string, 'null'], const: x, if: {type: string}}\n",
        "openapi-31 /openapi
         openapi-31 /components/schemas/A/type
         openapi-31 /components/schemas/A/const
         openapi-31-feature /components/schemas/A/if",
    );
}

#[test]
fn disabled_rules_are_silent() {
    let opts = CompatOptions::default().with_disabled(["example", "model-name"]);
    check_with(
        &opts,
        &v2("paths: {}\ndefinitions:\n  a.b: {type: string, example: x, readOnly: true}\n"),
        "read-only /definitions/a.b/readOnly",
    );
}

#[test]
fn positions_are_filled_from_the_source() {
    let doc = yaml(&v3(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: string\n      example: x\n",
    ));
    let d = &lint(&doc, &CompatOptions::default())[0];
    assert_eq!((d.line, d.column), (Some(8), Some(7)));
    assert!(
        d.message.contains("x-disabled-for-amazon-gateway"),
        "{}",
        d.message
    );
}
