//! The loader's diagnostics: rule, pointer, and line:column in YAML and JSON sources.

use crate::fixture;
use lambda_sync_spec::{Diagnostic, Format, Severity, load_path, load_str};

/// (rule, pointer, line, column)
type Expect<'a> = (&'a str, &'a str, usize, usize);

#[track_caller]
fn check(diags: &[Diagnostic], expect: &[Expect<'_>]) {
    let got: Vec<(&str, &str, usize, usize)> = diags
        .iter()
        .map(|d| {
            (
                d.rule.as_str(),
                d.pointer.as_str(),
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(got, expect);
    assert!(diags.iter().all(|d| d.severity == Severity::Error));
}

const USERS: &str = "/paths/~1users~1{id}/get";
const ORDERS: &str = "/paths/~1orders~1{orderId}/get";

fn expected(fmt: Format) -> Vec<(&'static str, String, usize, usize)> {
    let schema_ref = format!("{USERS}/responses/200/content/application~1json/schema/$ref");
    let (r, o, u, p, d) = match fmt {
        Format::Yaml => ((16, 24), (19, 7), (18, 5), (21, 11), (10, 11)),
        Format::Json => ((41, 19), (51, 9), (50, 7), (53, 11), (27, 11)),
    };
    vec![
        ("unresolved-ref", schema_ref, r.0, r.1),
        (
            "duplicate-operation-id",
            format!("{ORDERS}/operationId"),
            o.0,
            o.1,
        ),
        ("undeclared-path-parameter", ORDERS.to_string(), u.0, u.1),
        (
            "unused-path-parameter",
            format!("{ORDERS}/parameters/0"),
            p.0,
            p.1,
        ),
        (
            "duplicate-parameter",
            format!("{USERS}/parameters/2"),
            d.0,
            d.1,
        ),
    ]
}

#[test]
fn diagnostics_in_yaml_and_json() {
    for (file, fmt) in [
        ("specs/diagnostics.yaml", Format::Yaml),
        ("specs/diagnostics.json", Format::Json),
    ] {
        let loaded = load_path(fixture(file)).unwrap();
        assert_eq!(loaded.document.format(), fmt);
        assert!(loaded.has_errors());
        let want = expected(fmt);
        let want: Vec<Expect<'_>> = want
            .iter()
            .map(|(a, b, c, d)| (*a, b.as_str(), *c, *d))
            .collect();
        check(&loaded.diagnostics, &want);
        let msgs: Vec<&str> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            msgs[0].contains("#/components/schemas/Missing"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("`getUser`") && msgs[1].contains(&format!("already used at {USERS}")),
            "{}",
            msgs[1]
        );
        assert!(msgs[2].contains("`{orderId}`"), "{}", msgs[2]);
        assert!(msgs[3].contains("`extra`"), "{}", msgs[3]);
        assert!(
            msgs[4].contains("parameter `q` (in: query) is declared twice"),
            "{}",
            msgs[4]
        );
    }
}

#[test]
fn display_has_position_rule_and_pointer() {
    let loaded = load_path(fixture("specs/diagnostics.yaml")).unwrap();
    let text = loaded.diagnostics[1].to_string();
    assert!(
        text.starts_with("19:7: error[duplicate-operation-id]: operationId `getUser`"),
        "{text}"
    );
    assert!(
        text.ends_with("(at /paths/~1orders~1{orderId}/get/operationId)"),
        "{text}"
    );
    let json = serde_json::to_value(&loaded.diagnostics[1]).unwrap();
    assert_eq!(json["severity"], "error");
    assert_eq!(json["line"], 19);
}

#[test]
fn more_diagnostics() {
    // Local refs: a missing target, a fragment that is not a pointer, and escaped ones that
    // resolve.
    let loaded = load_str(
        r##"openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /a/{x}:
    parameters:
      - {name: x, in: path, required: true, schema: {type: string}}
      - {name: H, in: header, schema: {type: string}}
      - {$ref: '#/components/parameters/h'}
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/a~1b'}
        "201":
          $ref: '#/components/responses/Nope'
        "202":
          $ref: '#Anchor'
components:
  parameters:
    h: {name: h, in: header, schema: {type: string}}
  schemas:
    a/b: {type: string}
"##,
    )
    .unwrap();
    check(
        &loaded.diagnostics,
        &[
            (
                "unresolved-ref",
                "/paths/~1a~1{x}/get/responses/201/$ref",
                17,
                11,
            ),
            (
                "unresolved-ref",
                "/paths/~1a~1{x}/get/responses/202/$ref",
                19,
                11,
            ),
            ("duplicate-parameter", "/paths/~1a~1{x}/parameters/2", 8, 9),
        ],
    );
    assert!(loaded.diagnostics[1].message.contains("not a JSON Pointer"));
    // Header names are case-insensitive: `H` and `h` are the same header.
    assert!(
        loaded.diagnostics[2]
            .message
            .contains("first at /paths/~1a~1{x}/parameters/1")
    );

    // A greedy path parameter `{proxy+}` is declared as `proxy`; operations without path
    // parameters and a valid document are clean.
    let loaded = load_str(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /{proxy+}:\n    x-amazon-apigateway-any-method:\n      responses: {}\n    get:\n      parameters: [{name: proxy, in: path, required: true, type: string}]\n      responses: {'200': {description: ok}}\n",
    )
    .unwrap();
    assert_eq!(loaded.diagnostics, vec![]);
}

#[test]
fn locate_is_available_for_diagnostics_made_later() {
    let loaded = load_path(fixture("specs/petstore-v3.json")).unwrap();
    let doc = &loaded.document;
    let mut diags = vec![
        Diagnostic::warning(
            "x",
            "/components/schemas/Pet/properties/weight/example",
            "m",
        ),
        Diagnostic::warning("x", "/paths/~1pets/get/parameters/1", "m"),
        Diagnostic::warning("x", "/not/in/the/source", "m"),
        Diagnostic::warning("x", "", "m"),
    ];
    doc.locate(&mut diags);
    let pos: Vec<_> = diags.iter().map(|d| (d.line, d.column)).collect();
    assert_eq!(
        pos,
        vec![
            (Some(202), Some(13)),
            (Some(26), Some(11)),
            (None, None),
            (Some(1), Some(1))
        ]
    );
}
