//! The fake's Lambda: validation, conflicts, pagination, policies.

use lambda_sync_aws::{
    AddPermission, CreateFunction, Error, FakeAws, FunctionInfo, Lambda, minimal_zip,
};

use crate::{ROLE, block};

fn zip() -> Vec<u8> {
    minimal_zip("index.js", b"exports.handler = async () => 1;")
}

fn request(name: &str) -> CreateFunction {
    CreateFunction::new(name, ROLE, "nodejs22.x", "index.handler", zip())
}

/// Creates `req` on a fresh fake: `Ok(())` expects success, `Err(needle)` an `InvalidInput`
/// whose message mentions `needle`.
#[track_caller]
fn check_create(req: CreateFunction, expect: Result<(), &str>) {
    let aws = FakeAws::default();
    let got = block(aws.create_function(req.clone()));
    match (got, expect) {
        (Ok(info), Ok(())) => assert_eq!(info.name, req.name),
        (Err(Error::InvalidInput { message }), Err(needle)) => {
            assert!(
                message.contains(needle),
                "{message:?} should mention {needle:?}"
            );
            assert!(block(aws.list_all_functions()).unwrap().is_empty());
        }
        (got, expect) => panic!("{req:?}: got {got:?}, expected {expect:?}"),
    }
}

#[test]
fn create_function_validation() {
    check_create(request("getPet"), Ok(()));
    check_create(request("a-b_C9"), Ok(()));
    check_create(request(&"x".repeat(64)), Ok(()));
    check_create(request(&"x".repeat(65)), Err("functionName"));
    check_create(request(""), Err("functionName"));
    check_create(request("get pet"), Err("functionName"));
    check_create(request("get.pet"), Err("functionName"));
    for role in [
        "arn:aws:iam::123456789012:role/service-role/x",
        "arn:aws-cn:iam::123456789012:role/x",
        "arn:aws-us-gov:iam::123456789012:role/a+=,.@-_b",
    ] {
        check_create(
            CreateFunction {
                role: role.into(),
                ..request("f")
            },
            Ok(()),
        );
    }
    for role in [
        "",
        "lambda-exec",
        "arn:aws:iam::12345678901:role/x",
        "arn:aws:iam::123456789012:user/x",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:s3::123456789012:role/x",
    ] {
        check_create(
            CreateFunction {
                role: role.into(),
                ..request("f")
            },
            Err("role"),
        );
    }
    for runtime in [
        "nodejs12.x",
        "nodejs14.x",
        "nodejs16.x",
        "python3.6",
        "python3.7",
        "python3.8",
    ] {
        check_create(
            CreateFunction {
                runtime: runtime.into(),
                ..request("f")
            },
            Err(runtime),
        );
    }
    for runtime in [
        "nodejs18.x",
        "nodejs20.x",
        "nodejs22.x",
        "nodejs24.x",
        "python3.9",
        "python3.12",
        "python3.13",
        "python3.14",
        "provided.al2023",
        "java21",
    ] {
        check_create(
            CreateFunction {
                runtime: runtime.into(),
                ..request("f")
            },
            Ok(()),
        );
    }
    check_create(
        CreateFunction {
            runtime: "cobol85".into(),
            ..request("f")
        },
        Err("runtime"),
    );
    check_create(
        CreateFunction {
            handler: "".into(),
            ..request("f")
        },
        Err("handler"),
    );
    check_create(
        CreateFunction {
            zip: Vec::new(),
            ..request("f")
        },
        Err("unzip"),
    );
    check_create(
        CreateFunction {
            zip: b"hello".to_vec(),
            ..request("f")
        },
        Err("unzip"),
    );
    check_create(
        CreateFunction {
            zip: b"PK\x05\x06".iter().copied().chain([0; 18]).collect(),
            ..request("f")
        },
        Ok(()),
    );
    check_create(request("f").with_timeout_seconds(0), Err("timeout"));
    check_create(request("f").with_timeout_seconds(901), Err("timeout"));
    check_create(request("f").with_memory_mb(64), Err("memorySize"));
    check_create(
        request("f").with_memory_mb(10240).with_timeout_seconds(900),
        Ok(()),
    );
    check_create(
        request("f").with_description("d".repeat(257)),
        Err("description"),
    );
}

#[test]
fn created_function_reads_back_with_code_hash() {
    let aws = FakeAws::new("eu-central-1", "111122223333");
    let req = request("getPet")
        .with_description("Reads a pet")
        .with_tag("app", "pets");
    let info = block(aws.create_function(req.clone())).unwrap();
    assert_eq!(
        info,
        FunctionInfo {
            name: "getPet".into(),
            arn: "arn:aws:lambda:eu-central-1:111122223333:function:getPet".into(),
            runtime: Some("nodejs22.x".into()),
            handler: Some("index.handler".into()),
            role: Some(ROLE.into()),
            // base64(sha256(zip)), checked independently with sha2 + base64.
            code_sha256: Some({
                use base64::Engine as _;
                use sha2::Digest as _;
                base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(zip()))
            }),
            code_size: Some(zip().len() as u64),
            description: Some("Reads a pet".into()),
        }
    );
    assert_eq!(aws.function_code("getPet"), Some(zip()));
    assert_eq!(aws.function_code("other"), None);
    for name in [
        "getPet",
        "arn:aws:lambda:eu-central-1:111122223333:function:getPet",
        "arn:aws:lambda:eu-central-1:111122223333:function:getPet:$LATEST",
        "111122223333:function:getPet",
        "getPet:$LATEST",
    ] {
        assert_eq!(block(aws.get_function(name)).unwrap(), info, "{name}");
    }
    let dup = block(aws.create_function(req)).unwrap_err();
    assert_eq!(
        dup,
        Error::Conflict {
            message: "Function already exist: getPet".into()
        }
    );
    assert!(matches!(
        block(aws.get_function("nope")),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        block(aws.get_function("bad name")),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn pagination_50_per_page_sorted_by_name() {
    let aws = FakeAws::default();
    // Created out of order.
    for i in (0..120).rev() {
        block(aws.create_function(request(&format!("fn-{i:03}")))).unwrap();
    }
    let mut marker = None;
    let mut sizes = Vec::new();
    let mut names = Vec::new();
    loop {
        let page = block(aws.list_functions(marker.take())).unwrap();
        sizes.push(page.functions.len());
        names.extend(page.functions.into_iter().map(|f| f.name));
        match page.next_marker {
            Some(m) => marker = Some(m),
            None => break,
        }
    }
    assert_eq!(sizes, [50, 50, 20]);
    let expected: Vec<String> = (0..120).map(|i| format!("fn-{i:03}")).collect();
    assert_eq!(names, expected);
    assert_eq!(block(aws.list_all_functions()).unwrap().len(), 120);
    // Exactly 50: one page, no marker.
    let aws = FakeAws::default();
    for i in 0..50 {
        block(aws.create_function(request(&format!("f{i}")))).unwrap();
    }
    let page = block(aws.list_functions(None)).unwrap();
    assert_eq!((page.functions.len(), page.next_marker), (50, None));
    assert!(matches!(
        block(aws.list_functions(Some("garbage!".into()))),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn permissions() {
    let aws = FakeAws::default();
    block(aws.create_function(request("f"))).unwrap();
    assert_eq!(block(aws.get_policy("f")).unwrap(), []);
    let p = AddPermission::new("f", "sid-1")
        .with_source_arn("arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/x");
    block(aws.add_permission(p.clone())).unwrap();
    block(aws.add_permission(AddPermission::new("f", "sid-2").with_principal("123456789012")))
        .unwrap();
    let policy = block(aws.get_policy("f")).unwrap();
    assert_eq!(policy.len(), 2);
    assert_eq!(policy[0].source_arn, p.source_arn);
    assert_eq!(policy[1].principal.as_deref(), Some("123456789012"));
    assert_eq!(
        block(aws.add_permission(p)).unwrap_err(),
        Error::Conflict {
            message: "The statement id (sid-1) provided already exists. Please provide a new statement id, or remove the existing statement.".into()
        }
    );
    assert!(matches!(
        block(aws.add_permission(AddPermission::new("f", "bad sid"))),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        block(aws.get_policy("g")),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        block(aws.add_permission(AddPermission::new("g", "s"))),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn policy_documents_parse_and_round_trip() {
    let doc = r#"{"Version": "2012-10-17", "Id": "default", "Statement": [
        {"Sid": "a", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
         "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
         "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:1:x/*"}}},
        {"Sid": "b", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
         "Action": ["lambda:GetFunction"], "Resource": "r"}]}"#;
    let statements = lambda_sync_aws::PolicyStatement::parse_policy(doc).unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(
        statements[0].source_arn.as_deref(),
        Some("arn:aws:execute-api:us-east-1:1:x/*")
    );
    assert_eq!(statements[1].action.as_deref(), Some("lambda:GetFunction"));
    let again = serde_json::json!({"Statement": [statements[0].to_json("r")]}).to_string();
    assert_eq!(
        lambda_sync_aws::PolicyStatement::parse_policy(&again).unwrap()[0],
        statements[0]
    );
    assert!(lambda_sync_aws::PolicyStatement::parse_policy("{").is_err());
}

/// Creating a function and adding or removing a statement change the account in place (no copy
/// of it per call): a call that fails must still change nothing, as the saved account shows.
#[test]
fn failed_calls_made_in_place_change_nothing() {
    let aws = FakeAws::default();
    block(aws.create_function(request("getPet"))).unwrap();
    block(aws.add_permission(AddPermission::new("getPet", "s0"))).unwrap();
    let before = aws.to_json().unwrap();
    // Each refused: a duplicate function, a bad zip, a duplicate statement, a missing one,
    // a statement that takes the policy past Lambda's size limit.
    assert!(block(aws.create_function(request("getPet"))).is_err());
    let mut bad_zip = request("other");
    bad_zip.zip = b"not a zip".to_vec();
    assert!(block(aws.create_function(bad_zip)).is_err());
    assert!(block(aws.add_permission(AddPermission::new("getPet", "s0"))).is_err());
    assert!(block(aws.remove_permission("getPet", "missing")).is_err());
    let long = format!(
        "arn:aws:execute-api:us-east-1:123456789012:{}",
        "x".repeat(25_000)
    );
    assert!(
        block(aws.add_permission(AddPermission::new("getPet", "big").with_source_arn(long)))
            .is_err()
    );
    assert_eq!(aws.to_json().unwrap(), before);
    // A removal that succeeds still removes.
    block(aws.remove_permission("getPet", "s0")).unwrap();
    assert!(block(aws.get_policy("getPet")).unwrap().is_empty());
}
