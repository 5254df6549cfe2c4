//! The pure planner, table-driven: what exists + the prepared definition → the plan.

use lambda_sync::aws::{BasePathMode, PolicyStatement};
use lambda_sync::{Config, Observed, Plan, Target, plan, prepare};
use lambda_sync_spec::load_str;
use std::fmt::Write as _;

/// Swagger 2.0 with a base path, two functions.
const PETSTORE: &str = r#"
swagger: "2.0"
info: {title: Petstore, version: "1"}
basePath: /v2
paths:
  /pet/{petId}:
    get:
      operationId: getPetById
      parameters: [{name: petId, in: path, required: true, type: integer}]
      responses: {"200": {description: ok}}
  /store/inventory:
    get:
      operationId: getInventory
      responses: {"200": {description: ok}}
"#;

const ARN: &str = "arn:aws:execute-api:us-east-1:123456789012";

/// `count` operations that all call one existing function, `router`, through their own
/// integration (one router function behind a whole API).
fn router_api(count: usize) -> String {
    let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:router/invocations";
    let mut s = String::from("openapi: 3.0.3\ninfo: {title: Router, version: '1'}\npaths:\n");
    for i in 0..count {
        let _ = write!(
            s,
            "  /resource-number-{i}/{{id}}:\n    get:\n      operationId: op{i}\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\n      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: '{uri}'}}\n"
        );
    }
    s
}

fn statement(sid: &str, source_arn: &str) -> PolicyStatement {
    PolicyStatement {
        sid: sid.into(),
        action: Some("lambda:InvokeFunction".into()),
        principal: Some("apigateway.amazonaws.com".into()),
        source_arn: Some(source_arn.into()),
    }
}

/// A short, exact view of a plan's permission steps and function steps.
fn summary(p: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for f in &p.create_functions {
        out.push(format!("create {}", f.name));
    }
    for r in &p.remove_permissions {
        out.push(format!("remove {} {}", r.function, r.statement_id));
    }
    for a in &p.add_permissions {
        out.push(format!(
            "{} {} {} {}",
            if a.replaces { "replace" } else { "add" },
            a.function,
            a.statement_id,
            a.source_arn.as_str().replace(ARN, "ARN")
        ));
    }
    out.push(format!("keep {}", p.kept_permissions));
    out
}

struct Case {
    name: &'static str,
    definition: String,
    basepath: BasePathMode,
    api_id: Option<&'static str>,
    existing: Vec<(&'static str, Vec<PolicyStatement>)>,
    expect: Vec<String>,
}

#[track_caller]
fn check(case: Case) -> Plan {
    let doc = load_str(&case.definition).expect("loads").document;
    let settings = Config {
        basepath: case.basepath,
        ..Config::default()
    }
    .resolve(Target::Local)
    .expect("settings");
    let prepared = prepare(&doc, &settings).expect("prepares");
    let observed = Observed {
        functions: case.existing.iter().map(|(f, _)| f.to_string()).collect(),
        policies: case
            .existing
            .iter()
            .map(|(f, s)| (f.to_string(), s.clone()))
            .collect(),
        ..Observed::default()
    };
    let p = plan(&prepared, &observed, &settings, case.api_id).expect("plans");
    // Digest names of statements, so the table reads: `<id>-GET /pet/{petId}`.
    let got: Vec<String> = summary(&p)
        .into_iter()
        .map(|line| {
            prepared.permissions.iter().fold(line, |line, d| {
                let sid = d.statement_id("");
                let digest = sid.rsplit('-').next().unwrap();
                line.replace(digest, &format!("<{}>", d.operation()))
            })
        })
        .collect();
    assert_eq!(got, case.expect, "case {}", case.name);
    p
}

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn planner_table() {
    let sid = |api: &str, op: &str| format!("lambda-sync-{api}-<{op}>");
    // Real digests, for observed statements.
    let doc = load_str(PETSTORE).unwrap().document;
    let settings = Config::default().resolve(Target::Local).unwrap();
    let prepared = prepare(&doc, &settings).unwrap();
    let real = |api: &str, i: usize| prepared.permissions[i].statement_id(api);
    let pet_prepend = format!("{ARN}:aaaaaaaaaa/*/GET/v2/pet/*");
    let pet_ignore = format!("{ARN}:aaaaaaaaaa/*/GET/pet/*");
    let inventory_prepend = format!("{ARN}:aaaaaaaaaa/*/GET/v2/store/inventory");

    let cases = vec![
        Case {
            name: "a first push: every function created, every statement added with the new API's id to come",
            definition: PETSTORE.into(),
            basepath: BasePathMode::Prepend,
            api_id: None,
            existing: vec![],
            expect: lines(&[
                "create getPetById",
                "create getInventory",
                "add getPetById lambda-sync-{new-api-id}-<GET /pet/{petId}> ARN:{new-api-id}/*/GET/v2/pet/*",
                "add getInventory lambda-sync-{new-api-id}-<GET /store/inventory> ARN:{new-api-id}/*/GET/v2/store/inventory",
                "keep 0",
            ]),
        },
        Case {
            name: "basepath split: the first segment is the stage",
            definition: PETSTORE.replace("basePath: /v2", "basePath: /prod/v2"),
            basepath: BasePathMode::Split,
            api_id: Some("aaaaaaaaaa"),
            existing: vec![("getPetById", vec![]), ("getInventory", vec![])],
            expect: vec![
                format!(
                    "add getPetById {} ARN:aaaaaaaaaa/*/GET/v2/pet/*",
                    sid("aaaaaaaaaa", "GET /pet/{petId}")
                ),
                format!(
                    "add getInventory {} ARN:aaaaaaaaaa/*/GET/v2/store/inventory",
                    sid("aaaaaaaaaa", "GET /store/inventory")
                ),
                "keep 0".into(),
            ],
        },
        Case {
            name: "an unchanged re-push: nothing to add",
            definition: PETSTORE.into(),
            basepath: BasePathMode::Prepend,
            api_id: Some("aaaaaaaaaa"),
            existing: vec![
                (
                    "getPetById",
                    vec![statement(&real("aaaaaaaaaa", 0), &pet_prepend)],
                ),
                (
                    "getInventory",
                    vec![statement(&real("aaaaaaaaaa", 1), &inventory_prepend)],
                ),
            ],
            expect: lines(&["keep 2"]),
        },
        Case {
            name: "basepath changed from ignore to prepend: the statement is replaced",
            definition: PETSTORE.into(),
            basepath: BasePathMode::Prepend,
            api_id: Some("aaaaaaaaaa"),
            existing: vec![
                (
                    "getPetById",
                    vec![statement(&real("aaaaaaaaaa", 0), &pet_ignore)],
                ),
                (
                    "getInventory",
                    vec![statement(&real("aaaaaaaaaa", 1), &inventory_prepend)],
                ),
            ],
            expect: vec![
                format!("remove getPetById {}", real("aaaaaaaaaa", 0)).replace(
                    real("aaaaaaaaaa", 0).rsplit('-').next().unwrap(),
                    "<GET /pet/{petId}>",
                ),
                format!(
                    "replace getPetById {} ARN:aaaaaaaaaa/*/GET/v2/pet/*",
                    sid("aaaaaaaaaa", "GET /pet/{petId}")
                ),
                "keep 1".into(),
            ],
        },
        Case {
            name: "a second API reusing the functions: statements of its own; the first API's and foreign ones untouched",
            definition: PETSTORE.into(),
            basepath: BasePathMode::Ignore,
            api_id: Some("bbbbbbbbbb"),
            existing: vec![
                (
                    "getPetById",
                    vec![
                        statement(&real("aaaaaaaaaa", 0), &pet_ignore),
                        statement("my-own-statement", &format!("{ARN}:bbbbbbbbbb/*")),
                    ],
                ),
                ("getInventory", vec![]),
            ],
            expect: vec![
                format!(
                    "add getPetById {} ARN:bbbbbbbbbb/*/GET/pet/*",
                    sid("bbbbbbbbbb", "GET /pet/{petId}")
                ),
                format!(
                    "add getInventory {} ARN:bbbbbbbbbb/*/GET/store/inventory",
                    sid("bbbbbbbbbb", "GET /store/inventory")
                ),
                "keep 0".into(),
            ],
        },
        Case {
            name: "statements of earlier versions (no API in the id) and of removed operations go",
            definition: PETSTORE.into(),
            basepath: BasePathMode::Ignore,
            api_id: Some("aaaaaaaaaa"),
            existing: vec![
                (
                    "getPetById",
                    vec![
                        statement("lambda-sync-0123456789abcdef", &pet_ignore),
                        statement(
                            "lambda-sync-fedcba9876543210",
                            &format!("{ARN}:cccccccccc/*/GET/pet/*"),
                        ),
                        statement(
                            "lambda-sync-aaaaaaaaaa-00000000000000aa",
                            &format!("{ARN}:aaaaaaaaaa/*/DELETE/pet/*"),
                        ),
                        statement(&real("aaaaaaaaaa", 0), &pet_ignore),
                    ],
                ),
                ("getInventory", vec![]),
            ],
            expect: vec![
                "remove getPetById lambda-sync-0123456789abcdef".into(),
                "remove getPetById lambda-sync-aaaaaaaaaa-00000000000000aa".into(),
                format!(
                    "add getInventory {} ARN:aaaaaaaaaa/*/GET/store/inventory",
                    sid("aaaaaaaaaa", "GET /store/inventory")
                ),
                "keep 1".into(),
            ],
        },
    ];
    for case in cases {
        check(case);
    }
}

#[test]
fn one_statement_per_api_when_a_policy_would_pass_20_kb() {
    // 40 operations fit in one function's policy; 120 do not.
    let small = check(Case {
        name: "40 operations on one router",
        definition: router_api(40),
        basepath: BasePathMode::Ignore,
        api_id: Some("aaaaaaaaaa"),
        existing: vec![("router", vec![])],
        expect: {
            let mut e: Vec<String> = Vec::new();
            let doc = load_str(&router_api(40)).unwrap().document;
            let settings = Config::default().resolve(Target::Local).unwrap();
            for d in prepare(&doc, &settings).unwrap().permissions {
                e.push(format!(
                    "add router lambda-sync-aaaaaaaaaa-<{}> ARN:aaaaaaaaaa/*/GET/{}/*",
                    d.operation(),
                    d.path.trim_start_matches('/').trim_end_matches("/{id}")
                ));
            }
            e.push("keep 0".into());
            e
        },
    });
    assert!(small.warnings.is_empty());
    let big = check(Case {
        name: "120 operations on one router, with 3 per-method statements already there",
        definition: router_api(120),
        basepath: BasePathMode::Ignore,
        api_id: Some("aaaaaaaaaa"),
        existing: vec![(
            "router",
            (0..3)
                .map(|i| {
                    let doc = load_str(&router_api(120)).unwrap().document;
                    let settings = Config::default().resolve(Target::Local).unwrap();
                    let p = &prepare(&doc, &settings).unwrap().permissions[i];
                    statement(&p.statement_id("aaaaaaaaaa"), &p.source_arn("aaaaaaaaaa"))
                })
                .collect(),
        )],
        expect: lines(&[
            "remove router lambda-sync-aaaaaaaaaa-<GET /resource-number-0/{id}>",
            "remove router lambda-sync-aaaaaaaaaa-<GET /resource-number-1/{id}>",
            "remove router lambda-sync-aaaaaaaaaa-<GET /resource-number-2/{id}>",
            "add router lambda-sync-aaaaaaaaaa-api ARN:aaaaaaaaaa/*/*/*",
            "keep 0",
        ]),
    });
    assert_eq!(big.add_permissions[0].operations.len(), 120);
    assert_eq!(big.warnings.len(), 1, "{:?}", big.warnings);
    assert!(big.warnings[0].contains("router"), "{}", big.warnings[0]);
}

#[test]
fn the_plan_is_self_contained_json() {
    let doc = load_str(PETSTORE).unwrap().document;
    let settings = Config {
        endpoint_type: lambda_sync::aws::EndpointType::Regional,
        stage: Some("prod".into()),
        ..Config::default()
    }
    .resolve(Target::Local)
    .unwrap();
    let prepared = prepare(&doc, &settings).unwrap();
    let p = plan(&prepared, &Observed::default(), &settings, None).unwrap();
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["api"]["action"], "import");
    assert_eq!(json["api"]["endpoint_type"], "REGIONAL");
    assert_eq!(json["api"]["basepath"], "ignore");
    assert_eq!(json["api"]["fail_on_warnings"], true);
    // A new API's body carries the import marker in its description.
    let (marked, marker) = lambda_sync::mark_import_body(&prepared.body);
    assert_eq!(json["api"]["body_bytes"], marked.len());
    assert_eq!(json["api"]["marker"], marker.as_str());
    assert!(marker.starts_with(lambda_sync::IMPORT_MARKER_PREFIX));
    assert_eq!(json["api_id"], serde_json::Value::Null);
    let f = &json["create_functions"][0];
    assert_eq!(f["name"], "getPetById");
    assert_eq!(
        f["code_sha256"],
        prepared.functions[0].code().unwrap().code_sha256.as_str()
    );
    assert_eq!(f["role"], settings.execution_role.as_deref().unwrap());
    assert_eq!(
        json["add_permissions"][0]["source_arn"],
        format!("{ARN}:{{new-api-id}}/*/GET/pet/*")
    );
    assert_eq!(json["deployment"]["stage"], "prod");
    // Every write the plan makes, and the text form says the same.
    assert_eq!(p.write_calls(), 2 + 1 + 2 + 1);
    let text = p.to_string();
    assert!(
        text.contains("(REGIONAL, basepath ignore, fail on warnings)"),
        "{text}"
    );
    assert!(
        text.contains("add 2, replace 0, remove 0, keep 0"),
        "{text}"
    );
}
