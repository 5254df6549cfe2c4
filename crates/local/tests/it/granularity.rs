//! Granularity end to end: the pet store pushed with one function per operation, per tag and
//! for the whole API, `aws` and `aws_proxy`, Node and Python; every operation is called once
//! through the local runner and must be answered by the right handler of the right function.
//! The S3-style fixture: operations API Gateway cannot tell apart are dispatched by their
//! discriminating parameter.

use std::collections::BTreeSet;
use std::sync::Arc;

use lambda_sync::integration::{Granularity, IntegrationType};
use lambda_sync::{Config, Engine, Target};
use lambda_sync_aws::FakeAws;
use lambda_sync_local::{HttpRequest, LocalApi, LocalOptions};
use serde_json::json;

use crate::support::*;

/// What one push and one call of every operation measured.
#[derive(Debug)]
struct Measured {
    functions: usize,
    permissions: usize,
    calls: usize,
    cold_starts: u64,
}

/// A request for `op` that satisfies its required parameters.
fn request_for(op: &lambda_sync_spec::Operation<'_>) -> HttpRequest {
    let path: Vec<String> = op
        .path
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                "1".to_string()
            } else {
                s.to_string()
            }
        })
        .collect();
    let mut request = HttpRequest::new(op.method.as_upper(), path.join("/"));
    for p in &op.parameters {
        match p.location {
            lambda_sync_spec::ParameterLocation::Query if p.required => {
                request = request.with_query(p.name, "1");
            }
            lambda_sync_spec::ParameterLocation::Header if p.required => {
                request = request.with_header(p.name, "1");
            }
            _ => {}
        }
    }
    if let Some(body) = &op.request_body {
        let media = body
            .content_types
            .first()
            .copied()
            .unwrap_or("application/json");
        let content = if media.contains("json") { "{}" } else { "x" };
        request = request
            .with_header("Content-Type", media)
            .with_body(content.as_bytes().to_vec());
    }
    request
}

/// Pushes `spec` with `granularity` and calls every operation; `expect` gives the function
/// that must answer each operation id.
async fn push_and_call(
    spec: &str,
    granularity: Granularity,
    integration: IntegrationType,
    lang: Lang,
    expect: impl Fn(&str, &lambda_sync_spec::Operation<'_>) -> String,
) -> Measured {
    let loaded = lambda_sync_spec::load_path(spec).unwrap().document;
    let account = FakeAws::default();
    let settings = Config {
        runtime: Some(lang.runtime().to_string()),
        granularity,
        integration,
        ..Config::default()
    }
    .resolve(Target::Local)
    .unwrap();
    let engine = Engine::new(
        settings,
        Arc::new(account.clone()),
        Arc::new(account.clone()),
    );
    let report = engine.push(&loaded, None).await.unwrap();
    let calls: usize = report.calls.values().sum();
    let api_id = report.api_id.clone().unwrap();
    let state = tempfile::tempdir().unwrap();
    let options = LocalOptions::new(state.path().join("cache"))
        .with_node(node())
        .with_python(python());
    let api = LocalApi::new(account.clone(), &api_id, options)
        .await
        .unwrap();
    let mut functions = BTreeSet::new();
    // Every operation as the definition writes it (S3-style `/{Bucket}#acl` included).
    let operations = loaded.operations();
    let shared = |name: &str| {
        operations
            .iter()
            .filter(|o| expect(o.operation_id.unwrap(), o) == name)
            .count()
            > 1
    };
    for op in &operations {
        let id = op.operation_id.unwrap();
        let mut request = request_for(op);
        // `/{Bucket}#acl`: the fragment is no part of the URL; its names are query parameters
        // (or headers) the request sends.
        if let Some((base, fragment)) = op.path.split_once('#') {
            let path: Vec<String> = base
                .split('/')
                .map(|s| {
                    if s.starts_with('{') {
                        "1".into()
                    } else {
                        s.into()
                    }
                })
                .collect();
            request.path = path.join("/");
            for name in fragment.split('&') {
                let header = op.parameters.iter().any(|p| {
                    p.name.eq_ignore_ascii_case(name)
                        && p.location == lambda_sync_spec::ParameterLocation::Header
                });
                if !header && !request.query.iter().any(|(n, _)| n == name) {
                    request = request.with_query(name, "");
                }
            }
        }
        let response = api.invoke(request).await.unwrap();
        let want = expect(id, op);
        assert_eq!(
            response.function.as_deref(),
            Some(want.as_str()),
            "{} {} ({id}): {} {}\n{}",
            op.method,
            op.path,
            response.status,
            response.body_text(),
            response.logs
        );
        assert_eq!(
            response.status,
            200,
            "{} {} ({id}): {}\n{}",
            op.method,
            op.path,
            response.body_text(),
            response.logs
        );
        let body = json_body(&response);
        assert_eq!(body["message"], json!("created by lambda-sync"), "{id}");
        if granularity != Granularity::Operation || shared(&want) {
            assert_eq!(body["operation"], json!(id), "{} {}", op.method, op.path);
        }
        functions.insert(want);
    }
    let cold_starts = api.environments_started();
    api.shutdown();
    assert_eq!(report.functions_created.len(), functions.len());
    Measured {
        functions: functions.len(),
        permissions: account.call_count("AddPermission"),
        calls,
        cold_starts,
    }
}

fn petstore() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/petstore.yaml"
    )
    .to_string()
}

async fn petstore_in(
    granularity: Granularity,
    integration: IntegrationType,
    lang: Lang,
) -> Measured {
    let m = push_and_call(
        &petstore(),
        granularity,
        integration,
        lang,
        |id, op| match granularity {
            Granularity::Operation => id.to_string(),
            Granularity::Tag => op.tags[0].to_string(),
            Granularity::Api => "Swagger-Petstore".to_string(),
        },
    )
    .await;
    let expected_functions = match granularity {
        Granularity::Operation => 19,
        Granularity::Tag => 3,
        Granularity::Api => 1,
    };
    assert_eq!(m.functions, expected_functions);
    // One statement per method for functions of their own, one per API for a grouped one.
    let expected_permissions = match granularity {
        Granularity::Operation => 19,
        _ => expected_functions,
    };
    assert_eq!(m.permissions, expected_permissions);
    eprintln!(
        "petstore {} {} {:?}: {} functions, {} permissions, {} AWS calls, {} cold starts",
        granularity.as_str(),
        integration.as_str(),
        lang,
        m.functions,
        m.permissions,
        m.calls,
        m.cold_starts
    );
    assert_eq!(m.cold_starts, m.functions as u64);
    m
}

#[tokio::test]
async fn petstore_per_operation() {
    bounded(async {
        petstore_in(Granularity::Operation, IntegrationType::Aws, Lang::Node).await;
        petstore_in(Granularity::Operation, IntegrationType::Aws, Lang::Python).await;
    })
    .await;
}

#[tokio::test]
async fn petstore_per_tag() {
    bounded(async {
        for integration in [IntegrationType::Aws, IntegrationType::AwsProxy] {
            for lang in [Lang::Node, Lang::Python] {
                petstore_in(Granularity::Tag, integration, lang).await;
            }
        }
    })
    .await;
}

#[tokio::test]
async fn petstore_one_function() {
    bounded(async {
        for integration in [IntegrationType::Aws, IntegrationType::AwsProxy] {
            for lang in [Lang::Node, Lang::Python] {
                petstore_in(Granularity::Api, integration, lang).await;
            }
        }
    })
    .await;
}

fn s3_style() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../engine/tests/fixtures/s3-style.yaml"
    )
    .to_string()
}

/// The function that serves each operation of the S3-style fixture, one function per
/// operation: an operation compat left out is served by the function of the method that
/// reaches it (the first left-out one carries a method the API lacked).
fn s3_function(id: &str) -> &'static str {
    match id {
        "CreateBucket" | "PutBucketAcl" => "CreateBucket",
        "ListObjects" | "GetBucketAcl" => "ListObjects",
        "DeleteBucket" => "DeleteBucket",
        "DeleteObjects" | "ListMultipartUploads" => "DeleteObjects",
        "GetObject" | "ListParts" => "GetObject",
        "PutObject" | "CopyObject" => "PutObject",
        "AbortMultipartUpload" => "AbortMultipartUpload",
        other => panic!("unexpected operation {other}"),
    }
}

#[tokio::test]
async fn s3_style_operations_are_dispatched_by_their_discriminator() {
    bounded(async {
        for integration in [IntegrationType::Aws, IntegrationType::AwsProxy] {
            for lang in [Lang::Node, Lang::Python] {
                let m = push_and_call(
                    &s3_style(),
                    Granularity::Operation,
                    integration,
                    lang,
                    |id, _| s3_function(id).to_string(),
                )
                .await;
                assert_eq!(m.functions, 7);
                // The four functions that dispatch get one statement each; the three of their
                // own one per method.
                assert_eq!(m.permissions, 7);
                let one =
                    push_and_call(&s3_style(), Granularity::Api, integration, lang, |_, _| {
                        "S3-style".to_string()
                    })
                    .await;
                assert_eq!((one.functions, one.permissions, one.cold_starts), (1, 1, 1));
            }
        }
    })
    .await;
}
