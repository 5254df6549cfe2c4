//! The fake's test helpers: call log, faults, latency, rate limits; and the plain types.

use std::sync::Arc;
use std::time::Duration;

use lambda_sync_aws::{
    ApiGateway, BasePathMode, Call, CreateFunction, Error, FakeAws, ImportRestApi, Lambda, PutMode,
    minimal_zip,
};

use crate::{PETS3, ROLE, block};

fn create(aws: &FakeAws, name: &str) -> lambda_sync_aws::Result<lambda_sync_aws::FunctionInfo> {
    block(aws.create_function(CreateFunction::new(
        name,
        ROLE,
        "python3.13",
        "app.handler",
        minimal_zip("app.py", b"def handler(e, c): return e"),
    )))
}

#[test]
fn call_log_records_operation_target_and_mutation() {
    let aws = FakeAws::default();
    let api = block(aws.import_rest_api(ImportRestApi::new(PETS3))).unwrap();
    block(aws.get_rest_api(&api.id)).unwrap();
    let _ = block(aws.get_function("missing"));
    create(&aws, "f").unwrap();
    let call = |op: &str, target: Option<&str>, mutating| Call {
        operation: op.into(),
        target: target.map(Into::into),
        mutating,
    };
    assert_eq!(
        aws.calls(),
        [
            call("ImportRestApi", None, true),
            call("GetRestApi", Some(&api.id), false),
            call("GetFunction", Some("missing"), false),
            call("CreateFunction", Some("f"), true),
        ]
    );
    assert_eq!(aws.call_count("GetFunction"), 1);
    aws.clear_calls();
    assert!(aws.calls().is_empty());
    // Clones share the account and the log.
    let clone = aws.clone();
    block(clone.list_functions(None)).unwrap();
    assert_eq!(aws.call_count("ListFunctions"), 1);
}

#[test]
fn fail_nth_fails_once_and_changes_nothing() {
    let aws = FakeAws::default();
    let boom = Error::Service {
        code: "ServiceException".into(),
        message: "boom".into(),
    };
    aws.fail_nth("CreateFunction", 2, boom.clone());
    create(&aws, "one").unwrap();
    assert_eq!(create(&aws, "two").unwrap_err(), boom);
    assert!(
        aws.function_code("two").is_none(),
        "a faulted call does nothing"
    );
    create(&aws, "two").unwrap();
    create(&aws, "three").unwrap();
    assert_eq!(aws.call_count("CreateFunction"), 4);
    // Other operations are not affected.
    aws.fail_nth("GetFunction", 1, boom.clone());
    create(&aws, "four").unwrap();
    assert!(block(aws.get_function("four")).is_err());
    assert!(block(aws.get_function("four")).is_ok());
}

#[test]
fn fail_always_until_cleared() {
    let aws = FakeAws::default();
    let throttled = Error::Throttled {
        message: "Rate exceeded".into(),
    };
    aws.fail_always("ImportRestApi", throttled.clone());
    for _ in 0..3 {
        assert_eq!(
            block(aws.import_rest_api(ImportRestApi::new(PETS3))).unwrap_err(),
            throttled
        );
    }
    assert!(block(aws.list_rest_apis()).unwrap().is_empty());
    aws.clear_faults();
    assert!(block(aws.import_rest_api(ImportRestApi::new(PETS3))).is_ok());
}

#[tokio::test(start_paused = true)]
async fn rate_limits_throttle_past_documented_rates() {
    let aws = FakeAws::default().with_rate_limits(1.0);
    // A regional API: 1 import per 3 s (an edge-optimized one: 1 per 30 s, below).
    let import = || {
        aws.import_rest_api(
            ImportRestApi::new(PETS3).with_endpoint_type(lambda_sync_aws::EndpointType::Regional),
        )
    };
    let api = import().await.unwrap();
    let throttled = import().await.unwrap_err();
    assert!(matches!(throttled, Error::Throttled { .. }) && throttled.is_retryable());
    assert_eq!(
        aws.list_rest_apis().await.unwrap().len(),
        1,
        "throttled calls change nothing"
    );
    // PutRestApi has its own bucket: 1 per second.
    let put = || {
        aws.put_rest_api(lambda_sync_aws::PutRestApi::new(&api.id, PETS3).with_mode(PutMode::Merge))
    };
    put().await.unwrap();
    assert!(matches!(put().await, Err(Error::Throttled { .. })));
    tokio::time::advance(Duration::from_millis(1001)).await;
    put().await.unwrap();
    // Import is back after 3 s.
    tokio::time::advance(Duration::from_secs(2)).await;
    import().await.unwrap();

    // Lambda: 15 calls per second across the control plane.
    let mut ok = 0;
    let mut throttled = 0;
    for i in 0..20 {
        let zip = minimal_zip("a", b"");
        match aws
            .create_function(CreateFunction::new(
                format!("f{i}"),
                ROLE,
                "nodejs22.x",
                "a.h",
                zip,
            ))
            .await
        {
            Ok(_) => ok += 1,
            Err(Error::Throttled { .. }) => throttled += 1,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!((ok, throttled), (15, 5));
    assert_eq!(
        aws.list_functions(None).await.unwrap_err(),
        Error::Throttled {
            message: "Rate exceeded".into()
        }
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(aws.list_all_functions().await.unwrap().len(), 15);
    // Reads of API Gateway are not limited.
    for _ in 0..50 {
        aws.get_rest_api(&api.id).await.unwrap();
    }
    // Edge-optimized imports: 1 per 30 s.
    let edge = || aws.import_rest_api(ImportRestApi::new(PETS3));
    tokio::time::advance(Duration::from_secs(3)).await;
    edge().await.unwrap();
    tokio::time::advance(Duration::from_secs(29)).await;
    assert!(matches!(edge().await, Err(Error::Throttled { .. })));
    tokio::time::advance(Duration::from_millis(1001)).await;
    edge().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn rate_limit_scale_shrinks_the_windows() {
    let aws = FakeAws::default().with_rate_limits(0.01);
    aws.import_rest_api(ImportRestApi::new(PETS3))
        .await
        .unwrap();
    assert!(
        aws.import_rest_api(ImportRestApi::new(PETS3))
            .await
            .is_err()
    );
    // Edge-optimized (the default): 30 s × 0.01.
    tokio::time::advance(Duration::from_millis(301)).await;
    aws.import_rest_api(ImportRestApi::new(PETS3))
        .await
        .unwrap();
    aws.set_rate_limits(None);
    for _ in 0..5 {
        aws.import_rest_api(ImportRestApi::new(PETS3))
            .await
            .unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn latency_delays_every_call() {
    let aws = FakeAws::default().with_latency(Duration::from_secs(10));
    let start = tokio::time::Instant::now();
    aws.list_rest_apis().await.unwrap();
    aws.list_functions(None).await.unwrap();
    // Virtual time under a paused clock: no wall-clock assertion.
    assert!(start.elapsed() >= Duration::from_secs(20));
    aws.set_latency(None);
    let start = tokio::time::Instant::now();
    aws.list_rest_apis().await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test]
async fn object_safe_and_shareable_across_tasks() {
    let aws = FakeAws::default();
    let api: Arc<dyn ApiGateway> = Arc::new(aws.clone());
    let lambda: Arc<dyn Lambda> = Arc::new(aws.clone());
    let mut tasks = Vec::new();
    for i in 0..8 {
        let lambda = lambda.clone();
        tasks.push(tokio::spawn(async move {
            lambda
                .create_function(CreateFunction::new(
                    format!("t{i}"),
                    ROLE,
                    "nodejs22.x",
                    "i.h",
                    minimal_zip("i.js", b""),
                ))
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(lambda.list_all_functions().await.unwrap().len(), 8);
    assert!(api.list_rest_apis().await.unwrap().is_empty());
    assert!(format!("{api:?}").contains("functions: 8"));
}

#[test]
fn retryable_errors() {
    let cases = [
        (
            Error::Throttled {
                message: String::new(),
            },
            true,
        ),
        (
            Error::Transport {
                message: String::new(),
            },
            true,
        ),
        (
            Error::Service {
                code: "ServiceException".into(),
                message: String::new(),
            },
            true,
        ),
        (
            Error::Service {
                code: "http-503".into(),
                message: String::new(),
            },
            true,
        ),
        (
            Error::Service {
                code: "KMSAccessDeniedException".into(),
                message: String::new(),
            },
            false,
        ),
        (
            Error::NotFound {
                what: String::new(),
            },
            false,
        ),
        (
            Error::Conflict {
                message: String::new(),
            },
            false,
        ),
        (
            Error::InvalidInput {
                message: String::new(),
            },
            false,
        ),
        (
            Error::AccessDenied {
                message: String::new(),
            },
            false,
        ),
    ];
    for (error, retryable) in cases {
        assert_eq!(error.is_retryable(), retryable, "{error:?}");
    }
}

#[test]
fn debug_output_hides_package_and_body_bytes() {
    let req = CreateFunction::new("f", ROLE, "nodejs22.x", "i.h", vec![0x50; 4096]);
    let shown = format!("{req:?}");
    assert!(shown.contains("<4096 bytes>"), "{shown}");
    assert!(shown.len() < 400, "{shown}");
    let import = format!("{:?}", ImportRestApi::new(PETS3));
    assert!(
        import.contains("bytes>") && !import.contains("listPets"),
        "{import}"
    );
}

#[test]
fn modes_serialise_lowercase_with_defaults() {
    assert_eq!(
        serde_json::to_string(&BasePathMode::Split).unwrap(),
        "\"split\""
    );
    assert_eq!(serde_json::to_string(&PutMode::Merge).unwrap(), "\"merge\"");
    assert_eq!(BasePathMode::default(), BasePathMode::Ignore);
    assert_eq!(PutMode::default(), PutMode::Overwrite);
    let mode: BasePathMode = serde_json::from_str("\"prepend\"").unwrap();
    assert_eq!(mode.as_str(), "prepend");
}
