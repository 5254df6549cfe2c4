//! Version detection: what is accepted, and errors that name what was found.

use lambda_sync_spec::{Error, Format, SpecVersion, load_bytes};

/// `Ok((version, declared))` or `Err(substring of the message)`.
type Expect<'a> = Result<(SpecVersion, &'a str), &'a str>;

#[track_caller]
fn check(input: &str, expect: Expect<'_>) {
    let got = load_bytes(input.as_bytes());
    match (got, expect) {
        (Ok(loaded), Ok((version, declared))) => {
            assert_eq!(loaded.document.version(), version, "input: {input:?}");
            assert_eq!(
                loaded.document.declared_version(),
                declared,
                "input: {input:?}"
            );
        }
        (Err(e), Err(needle)) => {
            let msg = e.to_string();
            assert!(
                msg.contains(needle),
                "input: {input:?}\nmessage: {msg}\nexpected it to contain: {needle}"
            );
        }
        (got, expect) => panic!("input: {input:?}\ngot: {got:?}\nexpected: {expect:?}"),
    }
}

const INFO: &str = "info: {title: t, version: '1'}\npaths: {}\n";

fn yaml(version_line: &str) -> String {
    format!("{version_line}\n{INFO}")
}

#[test]
fn versions() {
    use SpecVersion::*;
    check(&yaml("swagger: \"2.0\""), Ok((Swagger2, "2.0")));
    check(&yaml("swagger: '2.0'"), Ok((Swagger2, "2.0")));
    check(&yaml("swagger: 2.0"), Ok((Swagger2, "2.0")));
    check(&yaml("openapi: 3.0.0"), Ok((OpenApi30, "3.0.0")));
    check(&yaml("openapi: 3.0.3"), Ok((OpenApi30, "3.0.3")));
    check(&yaml("openapi: \"3.0\""), Ok((OpenApi30, "3.0")));
    check(&yaml("openapi: 3.0"), Ok((OpenApi30, "3.0")));
    check(&yaml("openapi: 3.1"), Ok((OpenApi31, "3.1")));
    check(&yaml("openapi: 3.1.0"), Ok((OpenApi31, "3.1.0")));
    check(&yaml("openapi: 3.1.1"), Ok((OpenApi31, "3.1.1")));
    check(
        r#"{"openapi": "3.0.2", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
        Ok((OpenApi30, "3.0.2")),
    );
    check(
        r#"{"swagger": 2.0, "info": {}, "paths": {}}"#,
        Ok((Swagger2, "2.0")),
    );

    check(
        &yaml("swaggerVersion: \"1.2\""),
        Err("Swagger 1.2 (`swaggerVersion`) is not supported"),
    );
    check(
        &yaml("swagger: \"1.2\""),
        Err("unsupported Swagger version `swagger: 1.2`"),
    );
    check(
        &yaml("openapi: 3.2.0"),
        Err("unsupported OpenAPI version `openapi: 3.2.0`"),
    );
    check(
        &yaml("openapi: 2.0"),
        Err("unsupported OpenAPI version `openapi: 2.0`"),
    );
    // A bare `3` reads as 3.0, as `swagger: 2` reads as 2.0.
    check(&yaml("openapi: 3"), Ok((OpenApi30, "3.0")));
    check(
        &yaml("openapi: true"),
        Err("unsupported OpenAPI version `openapi: a boolean`"),
    );
    check(
        &yaml("openapi: 3.0."),
        Err("unsupported OpenAPI version `openapi: 3.0.`"),
    );
    check(
        INFO,
        Err("no `swagger` or `openapi` key at the top level (found `info`, `paths`)"),
    );
    check("{}", Err("the document is an empty object"));
    check(
        r#"[{"openapi": "3.0.0"}]"#,
        Err("the top level is an array"),
    );
    check("- openapi: 3.0.0\n", Err("the top level is an array"));
    check("just some plain text\n", Err("the top level is a string"));
    check("42\n", Err("the top level is a number"));
    check("", Err("the top level is empty (null)"));
    check("   \n\n", Err("the top level is empty (null)"));
    check("# only a comment\n", Err("the top level is empty (null)"));
}

#[test]
fn version_errors_are_the_version_variant() {
    let err = load_bytes(b"openapi: 3.2.0\n").unwrap_err();
    assert!(matches!(err, Error::Version(_)), "{err:?}");
    assert_eq!(err.position(), None);
}

#[test]
fn format_is_detected_from_content_not_name() {
    let dir = tempfile::tempdir().unwrap();
    let json_named_yaml = dir.path().join("api.yaml");
    std::fs::write(
        &json_named_yaml,
        r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    )
    .unwrap();
    let doc = lambda_sync_spec::load_path(&json_named_yaml)
        .unwrap()
        .document;
    assert_eq!(doc.format(), Format::Json);
    // ... and the file is written back as it was read, whatever its name says.
    assert_eq!(lambda_sync_spec::output_format(&doc, None), Format::Json);
    // A YAML flow mapping that is not JSON is YAML.
    let doc =
        lambda_sync_spec::load_str("{openapi: 3.0.0, info: {title: t, version: '1'}, paths: {}}")
            .unwrap()
            .document;
    assert_eq!(doc.format(), Format::Yaml);
}
