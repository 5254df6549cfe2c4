//! Option validation.

use lambda_sync_integration::{BindOptions, Error};

#[track_caller]
fn check(options: BindOptions, expected: Result<(), &str>) {
    match (options.validate(), expected) {
        (Ok(()), Ok(())) => {}
        (Err(e), Err(want)) => assert_eq!(e.to_string(), want),
        (got, want) => panic!("got {got:?}, expected {want:?}"),
    }
}

#[test]
fn validation() {
    let o = |r: &str, a: &str| BindOptions::new(r, a);
    check(o("us-east-1", "123456789012"), Ok(()));
    check(o("us-gov-west-1", "123456789012"), Ok(()));
    check(
        o("cn-north-1", "123456789012").with_partition("aws-cn"),
        Ok(()),
    );
    check(
        o("US-EAST-1", "123456789012"),
        Err(
            "invalid region `US-EAST-1`: expected a region name such as `us-east-1`, `eu-west-2` or `cn-north-1`",
        ),
    );
    check(
        o("us-east-1", "12345"),
        Err("invalid AWS account id `12345`: expected exactly 12 digits, such as `123456789012`"),
    );
    check(
        o("us-east-1", "12345678901a"),
        Err(
            "invalid AWS account id `12345678901a`: expected exactly 12 digits, such as `123456789012`",
        ),
    );
    check(
        o("us-east-1", "123456789012").with_partition("aws-cn"),
        Err("invalid partition `aws-cn`: region `us-east-1` is in partition `aws`"),
    );
    check(
        o("us-east-1", "123456789012").with_partition("azure"),
        Err("invalid partition `azure`: expected `aws`, `aws-cn` or `aws-us-gov`"),
    );
    check(
        o("us-east-1", "123456789012").with_name_template("{prefix}-{operationID}"),
        Err(
            "invalid function name template `{prefix}-{operationID}`: unknown placeholder `{operationID}`; use {prefix}, {title}, {version}, {tag} or {operationId}",
        ),
    );
    check(
        o("us-east-1", "123456789012").with_name_template("{title}"),
        Err(
            "invalid function name template `{title}`: it must contain `{operationId}`, or every function would get the same name",
        ),
    );
    check(
        o("us-east-1", "123456789012").with_name_template("{prefix}-{operationId}"),
        Err(
            "invalid function name template `{prefix}-{operationId}`: it uses `{prefix}` but no prefix is set",
        ),
    );
    check(
        o("us-east-1", "123456789012").with_name_template("{operationId"),
        Err("invalid function name template `{operationId`: a `{` without its `}`"),
    );
    check(
        o("us-east-1", "123456789012").with_qualifier("a b"),
        Err(
            "invalid qualifier `a b`: expected a version number, `$LATEST` or an alias name ([A-Za-z0-9_-], 1-128 characters, not only digits unless a version)",
        ),
    );
    check(
        o("us-east-1", "123456789012").with_qualifier("$LATEST"),
        Ok(()),
    );
    check(
        o("us-east-1", "123456789012").with_api_id(Some("abc/def".into())),
        Err(
            "invalid API id `abc/def`: expected the id API Gateway assigned, such as `a1b2c3d4e5` (letters and digits)",
        ),
    );
}

#[test]
fn partitions_follow_regions() {
    assert_eq!(
        BindOptions::new("cn-northwest-1", "123456789012").partition(),
        "aws-cn"
    );
    assert_eq!(
        BindOptions::new("us-gov-east-1", "123456789012").partition(),
        "aws-us-gov"
    );
    assert_eq!(
        BindOptions::new("eu-west-1", "123456789012").partition(),
        "aws"
    );
}

#[test]
fn bind_refuses_bad_options() {
    let doc = super::load(&super::v3("  {}\n"));
    let err = lambda_sync_integration::bind(&doc, &BindOptions::new("mars-1", "123456789012"))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRegion(_)));
}
