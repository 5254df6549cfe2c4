//! Routers of grouped functions: compiled and run with node and python3. Every operation's
//! handler answers its own calls with the parameter variables a function of its own has; the
//! discriminating parameters choose among operations that share a method; an unknown
//! operation is a 500.

use lambda_sync_integration::{
    Discriminator, EventContract, FieldSource, IntegrationType, OPERATION_KEY,
};
use lambda_sync_stubs::{Route, Templates, render_router, runtime};
use serde_json::{Value, json};

use crate::exec::{Batch, RUNTIMES, sample_event};

/// The event of a call of `contract` reported as `called`.
fn called(contract: &EventContract, called: &str) -> Value {
    let (mut event, _) = sample_event(contract);
    match contract.integration {
        IntegrationType::Aws => event[OPERATION_KEY] = json!(called),
        IntegrationType::AwsProxy => event["requestContext"] = json!({"operationName": called}),
    }
    event
}

/// What a handler's placeholder answers for `operation`.
#[track_caller]
fn check_answer(
    result: &Value,
    integration: IntegrationType,
    status: u16,
    operation: &str,
    label: &str,
) {
    match integration {
        IntegrationType::Aws => assert_eq!(
            result,
            &json!({"message": "created by lambda-sync", "operation": operation}),
            "{label}"
        ),
        IntegrationType::AwsProxy => {
            assert_eq!(result["statusCode"], status, "{label}");
            if status != 204 {
                let body: Value = serde_json::from_str(result["body"].as_str().unwrap()).unwrap();
                let want = if status == 500 {
                    json!({"message": format!("unknown operation: {operation}")})
                } else {
                    json!({"message": "created by lambda-sync", "operation": operation})
                };
                assert_eq!(body, want, "{label}");
            }
        }
    }
}

fn with_integration(
    contracts: Vec<EventContract>,
    integration: IntegrationType,
) -> Vec<EventContract> {
    let mut seen = std::collections::BTreeSet::new();
    contracts
        .into_iter()
        .filter(|c| seen.insert(c.operation_id.clone()))
        .map(|mut c| {
            c.integration = integration;
            c
        })
        .collect()
}

#[test]
fn every_operation_reaches_its_handler() {
    let builtin = Templates::builtin();
    let mut batch = Batch::new();
    let mut expect = Vec::new();
    for integration in [IntegrationType::Aws, IntegrationType::AwsProxy] {
        for (what, set) in [
            ("petstore", crate::petstore()),
            ("hostile", crate::hostile()),
        ] {
            let contracts = with_integration(set, integration);
            let routes: Vec<Route<'_>> = contracts
                .iter()
                .map(|c| Route {
                    contract: c,
                    called_as: &c.operation_id,
                    discriminators: &[],
                })
                .collect();
            for rt in RUNTIMES {
                let rt = runtime(rt).unwrap();
                let stub = render_router("grouped", &routes, rt, &builtin).unwrap();
                // Every petstore operation; the hostile ones compile and a few run (each case
                // loads the whole router).
                let calls = if what == "petstore" {
                    contracts.len()
                } else {
                    3
                };
                for c in contracts.iter().take(calls) {
                    batch.add(
                        format!(
                            "{what} {} {} {}",
                            integration.as_str(),
                            rt.id,
                            c.operation_id
                        ),
                        rt.family,
                        &stub,
                        called(c, &c.operation_id),
                    );
                    expect.push((integration, c.success_status, c.operation_id.clone()));
                }
                if integration == IntegrationType::AwsProxy {
                    batch.add(
                        format!("{what} unknown {}", rt.id),
                        rt.family,
                        &stub,
                        called(&contracts[0], "noSuchOperation"),
                    );
                    expect.push((integration, 500, "noSuchOperation".into()));
                }
            }
        }
    }
    batch.check_syntax();
    let results = batch.run();
    for ((case, result), (integration, status, op)) in batch.cases.iter().zip(results).zip(expect) {
        check_answer(&result, integration, status, &op, &case.label);
    }
}

/// Two operations on one method: the one whose discriminator was sent, else the fallback.
#[test]
fn discriminators_choose_among_operations_of_one_method() {
    let builtin = Templates::builtin();
    let mut batch = Batch::new();
    let mut expect = Vec::new();
    for integration in [IntegrationType::Aws, IntegrationType::AwsProxy] {
        let base = crate::petstore().into_iter().next().unwrap();
        let mut list = base.clone();
        list.operation_id = "ListObjects".into();
        list.integration = integration;
        let mut acl = base.clone();
        acl.operation_id = "GetBucketAcl".into();
        acl.integration = integration;
        acl.fields.push(crate::field(
            "acl",
            FieldSource::Query,
            Some("boolean"),
            None,
            true,
            None,
        ));
        let mut copy = base;
        copy.operation_id = "CopyObject".into();
        copy.integration = integration;
        copy.fields.push(crate::field(
            "x-amz-copy-source",
            FieldSource::Header,
            Some("string"),
            None,
            true,
            None,
        ));
        let acl_d = [Discriminator {
            source: FieldSource::Query,
            name: "acl".into(),
            key: "acl".into(),
        }];
        let copy_d = [Discriminator {
            source: FieldSource::Header,
            name: "x-amz-copy-source".into(),
            key: "x-amz-copy-source".into(),
        }];
        let routes = [
            Route {
                contract: &list,
                called_as: "ListObjects",
                discriminators: &[],
            },
            Route {
                contract: &acl,
                called_as: "ListObjects",
                discriminators: &acl_d,
            },
            Route {
                contract: &copy,
                called_as: "ListObjects",
                discriminators: &copy_d,
            },
        ];
        for rt in RUNTIMES {
            let rt = runtime(rt).unwrap();
            let stub = render_router("bucket", &routes, rt, &builtin).unwrap();
            let mut plain = called(&list, "ListObjects");
            let mut with_acl = called(&acl, "ListObjects");
            let mut with_copy = called(&copy, "ListObjects");
            if integration == IntegrationType::AwsProxy {
                // Header names arrive in any case.
                let headers = with_copy["headers"].as_object_mut().unwrap();
                let v = headers.remove("x-amz-copy-source").unwrap();
                headers.insert("X-Amz-Copy-Source".into(), v);
                plain["queryStringParameters"] = Value::Null;
            } else {
                plain.as_object_mut().unwrap().remove("acl");
                with_acl["acl"] = json!("");
                with_copy.as_object_mut().unwrap().remove("acl");
            }
            for (event, op) in [
                (plain, "ListObjects"),
                (with_acl, "GetBucketAcl"),
                (with_copy, "CopyObject"),
            ] {
                batch.add(
                    format!("{} {} {op}", integration.as_str(), rt.id),
                    rt.family,
                    &stub,
                    event,
                );
                expect.push((integration, list.success_status, op));
            }
        }
    }
    batch.check_syntax();
    let results = batch.run();
    for ((case, result), (integration, status, op)) in batch.cases.iter().zip(results).zip(expect) {
        check_answer(&result, integration, status, op, &case.label);
    }
}
