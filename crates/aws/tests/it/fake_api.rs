//! The fake's API Gateway: import semantics as AWS documents them.

use lambda_sync_aws::{
    ApiGateway, BasePathMode, Error, FakeAws, ImportRestApi, PutMode, PutRestApi, Resource, RestApi,
};

use crate::block;

fn import(aws: &FakeAws, body: &str, mode: BasePathMode) -> lambda_sync_aws::Result<RestApi> {
    block(aws.import_rest_api(ImportRestApi::new(body).with_basepath(mode)))
}

fn resources(aws: &FakeAws, api_id: &str) -> Vec<Resource> {
    block(aws.get_resources(api_id)).expect("resources")
}

fn paths(resources: &[Resource]) -> Vec<String> {
    resources.iter().map(|r| r.path.clone()).collect()
}

/// Imports `body` with `mode` and compares the resource paths.
#[track_caller]
fn check_paths(body: &str, mode: BasePathMode, expected: &[&str]) {
    let aws = FakeAws::default();
    let api = import(&aws, body, mode).expect("import");
    assert_eq!(paths(&resources(&aws, &api.id)), expected, "{mode:?}");
}

fn swagger_with_base(base: &str) -> String {
    format!(
        r#"{{"swagger": "2.0", "info": {{"title": "t"}}, "basePath": "{base}",
            "paths": {{"/e": {{"get": {{"responses": {{"200": {{"description": "ok"}}}}}}}}}}}}"#
    )
}

fn openapi_with_server(server: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.1", "info": {{"title": "t"}}, "servers": [{server}],
            "paths": {{"/e": {{"get": {{"responses": {{"200": {{"description": "ok"}}}}}}}}}}}}"#
    )
}

#[test]
fn basepath_table() {
    use BasePathMode::*;
    let abc = ["/", "/a", "/a/b", "/a/b/c", "/a/b/c/e"];
    let bc = ["/", "/b", "/b/c", "/b/c/e"];
    for body in [
        swagger_with_base("/a/b/c"),
        swagger_with_base("/a/b/c/"),
        openapi_with_server(r#"{"url": "https://example.com/a/b/c"}"#),
        openapi_with_server(r#"{"url": "/a/b/c"}"#),
        openapi_with_server(
            r#"{"url": "https://example.com/{basePath}", "variables": {"basePath": {"default": "a/b/c"}}}"#,
        ),
        openapi_with_server(
            r#"{"url": "https://{host}/{basePath}", "variables": {"host": {"default": "x.com"}, "basePath": {"default": "/a/b/c"}}}"#,
        ),
    ] {
        check_paths(&body, Ignore, &["/", "/e"]);
        check_paths(&body, Prepend, &abc);
        check_paths(&body, Split, &bc);
    }
    // One segment: split removes it all.
    check_paths(&swagger_with_base("/v1"), Split, &["/", "/e"]);
    check_paths(&swagger_with_base("/v1"), Prepend, &["/", "/v1", "/v1/e"]);
    // No or root base path.
    for body in [
        swagger_with_base("/"),
        openapi_with_server(r#"{"url": "https://example.com"}"#),
    ] {
        for mode in [Ignore, Prepend, Split] {
            check_paths(&body, mode, &["/", "/e"]);
        }
    }
}

#[test]
fn prepended_parents_have_no_methods() {
    let aws = FakeAws::default();
    let api = import(&aws, &swagger_with_base("/a/b"), BasePathMode::Prepend).unwrap();
    let rs = resources(&aws, &api.id);
    for r in &rs {
        assert_eq!(r.methods.is_empty(), r.path != "/a/b/e", "{}", r.path);
    }
}

#[test]
fn resource_tree_links_parents_and_path_parts() {
    let aws = FakeAws::default();
    let body = r#"{"openapi": "3.0.1", "info": {"title": "t"}, "paths": {
        "/users/{id}/files/{proxy+}": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/users": {"post": {"responses": {"201": {"description": "ok"}}}}}}"#;
    let api = import(&aws, body, BasePathMode::Ignore).unwrap();
    let rs = resources(&aws, &api.id);
    assert_eq!(
        paths(&rs),
        [
            "/",
            "/users",
            "/users/{id}",
            "/users/{id}/files",
            "/users/{id}/files/{proxy+}"
        ]
    );
    for r in &rs[1..] {
        let parent = rs
            .iter()
            .find(|p| Some(&p.id) == r.parent_id.as_ref())
            .unwrap();
        let expected = format!(
            "{}/{}",
            parent.path.trim_end_matches('/'),
            r.path_part.as_deref().unwrap()
        );
        assert_eq!(r.path, expected);
    }
    assert_eq!(rs[0].path_part, None);
    for r in &rs {
        assert_eq!(r.id.len(), 10);
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
    }
}

/// Imports one operation and checks one method's details and the warnings.
#[track_caller]
fn check_method(
    version: &str,
    operation: &str,
    method: &str,
    expect: impl FnOnce(&lambda_sync_aws::GatewayMethod),
    warnings: &[&str],
) {
    let header = if version == "2.0" {
        r#""swagger": "2.0""#.to_string()
    } else {
        format!(r#""openapi": "{version}""#)
    };
    let body = format!(
        r#"{{{header}, "info": {{"title": "t"}}, "paths": {{"/x/{{id}}": {{{operation}}}}}}}"#
    );
    let aws = FakeAws::default();
    let api = import(&aws, &body, BasePathMode::Ignore).expect("import");
    let rs = resources(&aws, &api.id);
    let r = rs.iter().find(|r| r.path == "/x/{id}").unwrap();
    expect(&r.methods[method]);
    assert_eq!(api.warnings.len(), warnings.len(), "{:?}", api.warnings);
    for (got, want) in api.warnings.iter().zip(warnings) {
        assert!(
            got.contains(want),
            "warning {got:?} should mention {want:?}"
        );
    }
}

#[test]
fn methods_from_operations() {
    check_method(
        "3.0.1",
        r#""get": {"operationId": "getX", "responses": {"default": {"description": "d"}}}"#,
        "GET",
        |m| {
            assert_eq!(m.operation_name.as_deref(), Some("getX"));
            assert_eq!(m.method_responses, ["200"]);
            assert_eq!(m.integration, None);
        },
        &[],
    );
    check_method(
        "3.0.1",
        r#""get": {"responses": {"default": {"description": "d"}, "200": {"description": "ok"}, "404": {"description": "nf"}}}"#,
        "GET",
        |m| assert_eq!(m.method_responses, ["200", "404"]),
        &["default"],
    );
    check_method(
        "3.0.1",
        r#""get": {"responses": {"201": {"description": "c"}, "4XX": {"description": "e"}}}"#,
        "GET",
        |m| assert_eq!(m.method_responses, ["201"]),
        &["4XX"],
    );
    check_method(
        "3.0.1",
        r#""x-amazon-apigateway-any-method": {"responses": {}}"#,
        "ANY",
        |m| assert_eq!(m.http_method, "ANY"),
        &[],
    );
    check_method(
        "3.0.1",
        r#""trace": {"responses": {}}, "patch": {"responses": {}}"#,
        "PATCH",
        |_| {},
        &["TRACE"],
    );
}

#[test]
fn request_parameters() {
    check_method(
        "3.0.1",
        r#""parameters": [{"name": "id", "in": "path", "required": true}],
           "get": {"parameters": [
              {"name": "q", "in": "query"},
              {"name": "X-Trace", "in": "header", "required": true},
              {"name": "session", "in": "cookie"}],
            "responses": {}}"#,
        "GET",
        |m| {
            let got: Vec<(&str, bool)> = m
                .request_parameters
                .iter()
                .map(|(k, v)| (k.as_str(), *v))
                .collect();
            assert_eq!(
                got,
                [
                    ("method.request.header.X-Trace", true),
                    ("method.request.path.id", true),
                    ("method.request.querystring.q", false),
                ]
            );
        },
        &["cookie"],
    );
    check_method(
        "2.0",
        r#""post": {"parameters": [
              {"name": "id", "in": "path", "required": true, "type": "string"},
              {"name": "file", "in": "formData", "type": "file"},
              {"name": "body", "in": "body", "schema": {}}],
            "responses": {}}"#,
        "POST",
        |m| {
            assert_eq!(
                m.request_parameters.keys().collect::<Vec<_>>(),
                ["method.request.path.id"]
            );
        },
        &["formData"],
    );
}

#[test]
fn parameter_refs_are_resolved() {
    let aws = FakeAws::default();
    let body = r##"{"openapi": "3.0.1", "info": {"title": "t"},
        "components": {"parameters": {"Limit": {"name": "limit", "in": "query", "required": true}}},
        "paths": {"/x": {"get": {"parameters": [{"$ref": "#/components/parameters/Limit"}], "responses": {}}}}}"##;
    let api = import(&aws, body, BasePathMode::Ignore).unwrap();
    let rs = resources(&aws, &api.id);
    assert!(rs[1].methods["GET"].request_parameters["method.request.querystring.limit"]);
}

#[test]
fn integration_from_extension() {
    check_method(
        "3.0.1",
        r#""post": {"responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
            "x-amazon-apigateway-integration": {
              "type": "aws", "httpMethod": "post", "passthroughBehavior": "when_no_templates",
              "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/f/invocations",
              "requestTemplates": {"application/json": "{\"id\": \"$input.params('id')\"}"},
              "responses": {
                "default": {"statusCode": "200", "responseTemplates": {"application/json": "$input.json('$')"}},
                "^bad.*": {"statusCode": 400}}}}"#,
        "POST",
        |m| {
            let i = m.integration.as_ref().unwrap();
            assert_eq!(i.integration_type, "AWS");
            assert_eq!(i.http_method.as_deref(), Some("POST"));
            assert_eq!(i.passthrough_behavior.as_deref(), Some("WHEN_NO_TEMPLATES"));
            assert!(i.uri.as_deref().unwrap().ends_with("/invocations"));
            assert!(i.request_templates["application/json"].contains("$input.params"));
            assert_eq!(i.integration_responses["200"].selection_pattern, None);
            assert_eq!(
                i.integration_responses["200"].response_templates["application/json"],
                "$input.json('$')"
            );
            assert_eq!(
                i.integration_responses["400"].selection_pattern.as_deref(),
                Some("^bad.*")
            );
        },
        &[],
    );
}

/// Imports `body` expecting `InvalidInput` whose message mentions `needle`.
#[track_caller]
fn check_refused(body: &str, needle: &str) {
    let aws = FakeAws::default();
    match import(&aws, body, BasePathMode::Ignore) {
        Err(Error::InvalidInput { message }) => {
            assert!(
                message.contains(needle),
                "{message:?} should mention {needle:?}"
            )
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(block(aws.list_rest_apis()).unwrap().is_empty());
}

#[test]
fn invalid_definitions_are_refused() {
    check_refused("", "empty");
    check_refused("{not json", "JSON");
    check_refused("openapi: [3.0\n  - x: {", "YAML");
    check_refused(r#"{"info": {"title": "t"}, "paths": {}}"#, "openapi");
    check_refused(
        r#"{"openapi": "3.1.0", "info": {"title": "t"}, "paths": {}}"#,
        "3.1.0",
    );
    check_refused(
        r#"{"openapi": "3.0.1", "info": {"version": "1"}, "paths": {}}"#,
        "title",
    );
    check_refused(r#"{"openapi": "3.0.1", "paths": {}}"#, "title");
    check_refused(
        r#"{"openapi": "3.0.1", "info": {"title": "t"}, "paths": {"/a/{x}": {}, "/a/{y}": {}}}"#,
        "sibling",
    );
    check_refused(
        r#"{"openapi": "3.0.1", "info": {"title": "t"}, "paths": {"/a/{p+}/b": {}}}"#,
        "greedy",
    );
    check_refused(
        r#"{"openapi": "3.0.1", "info": {"title": "t"}, "paths": {"/a b": {}}}"#,
        "a b",
    );
    check_refused(
        r#"{"openapi": "3.0.1", "info": {"title": "t"}, "paths": {"/a": {"get": {
            "x-amazon-apigateway-integration": {"uri": "x"}}}}}"#,
        "integration type",
    );
}

#[test]
fn name_description_version_and_yaml_bodies() {
    let aws = FakeAws::default();
    let body = "openapi: 3.0.3\ninfo:\n  title: Pet store\n  description: All the pets\n  version: 1.2.3\npaths: {}\n";
    let api = import(&aws, body, BasePathMode::Ignore).unwrap();
    assert_eq!(api.name, "Pet store");
    assert_eq!(api.description.as_deref(), Some("All the pets"));
    assert_eq!(api.version.as_deref(), Some("1.2.3"));
    let stored = aws.stored_definition(&api.id).unwrap();
    assert_eq!(stored["info"]["title"], "Pet store");
    assert_eq!(
        block(aws.get_rest_api(&api.id)).unwrap().warnings,
        Vec::<String>::new()
    );
    // A BOM is tolerated.
    let with_bom = format!("\u{feff}{body}");
    import(&aws, &with_bom, BasePathMode::Ignore).unwrap();
}

#[test]
fn fail_on_warnings_leaves_nothing() {
    let aws = FakeAws::default();
    let body = r#"{"openapi": "3.0.1", "info": {"title": "t"}, "paths": {"/a": {
        "get": {"parameters": [{"name": "c", "in": "cookie"}], "responses": {"5XX": {}}}}}}"#;
    let err = block(aws.import_rest_api(ImportRestApi::new(body).with_fail_on_warnings(true)))
        .unwrap_err();
    let Error::InvalidInput { message } = err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains("cookie") && message.contains("5XX"),
        "{message}"
    );
    assert!(block(aws.list_rest_apis()).unwrap().is_empty());

    // On put, the API stays as it was.
    let api = import(&aws, crate::PETS3, BasePathMode::Ignore).unwrap();
    let before = resources(&aws, &api.id);
    let put = PutRestApi::new(&api.id, body).with_fail_on_warnings(true);
    assert!(matches!(
        block(aws.put_rest_api(put)),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(resources(&aws, &api.id), before);
    assert_eq!(block(aws.get_rest_api(&api.id)).unwrap().name, "pets");
    assert_eq!(
        aws.stored_definition(&api.id).unwrap()["info"]["title"],
        "pets"
    );
}

#[test]
fn put_modes() {
    let aws = FakeAws::default();
    let v1 = r#"{"openapi": "3.0.1", "info": {"title": "v1", "description": "first"}, "paths": {
        "/a": {"get": {"operationId": "a1", "responses": {}}},
        "/b": {"get": {"operationId": "b1", "responses": {}}, "delete": {"operationId": "d1", "responses": {}}}}}"#;
    let v2 = r#"{"openapi": "3.0.1", "info": {"title": "v2"}, "paths": {
        "/b": {"get": {"operationId": "b2", "responses": {}}},
        "/c/d": {"put": {"operationId": "c2", "responses": {}}}}}"#;
    let op = |rs: &[Resource], path: &str, m: &str| {
        rs.iter()
            .find(|r| r.path == path)
            .and_then(|r| r.methods.get(m))
            .and_then(|m| m.operation_name.clone())
    };

    let api = import(&aws, v1, BasePathMode::Ignore).unwrap();
    let ids_before = resources(&aws, &api.id);
    let merged =
        block(aws.put_rest_api(PutRestApi::new(&api.id, v2).with_mode(PutMode::Merge))).unwrap();
    assert_eq!(merged.name, "v2");
    assert_eq!(
        merged.description.as_deref(),
        Some("first"),
        "merge keeps the description"
    );
    let rs = resources(&aws, &api.id);
    assert_eq!(paths(&rs), ["/", "/a", "/b", "/c", "/c/d"]);
    assert_eq!(op(&rs, "/a", "GET").as_deref(), Some("a1"));
    assert_eq!(op(&rs, "/b", "GET").as_deref(), Some("b2"));
    assert_eq!(op(&rs, "/b", "DELETE").as_deref(), Some("d1"));
    assert_eq!(op(&rs, "/c/d", "PUT").as_deref(), Some("c2"));
    assert_eq!(
        rs[1].id, ids_before[1].id,
        "existing resources keep their ids"
    );

    let api = import(&aws, v1, BasePathMode::Ignore).unwrap();
    let over = block(aws.put_rest_api(PutRestApi::new(&api.id, v2))).unwrap();
    assert_eq!(over.description, None, "overwrite takes the new info");
    let rs = resources(&aws, &api.id);
    assert_eq!(paths(&rs), ["/", "/b", "/c", "/c/d"]);
    assert_eq!(op(&rs, "/b", "DELETE"), None);
    assert_eq!(
        aws.stored_definition(&api.id).unwrap()["info"]["title"],
        "v2"
    );

    let missing = block(aws.put_rest_api(PutRestApi::new("nosuchapi0", v2)));
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
}

#[test]
fn deployments() {
    let aws = FakeAws::default();
    let with_integration = r#"{"openapi": "3.0.1", "info": {"title": "t"}, "paths": {"/a": {"get": {
        "responses": {}, "x-amazon-apigateway-integration": {"type": "mock"}}}}}"#;
    let api = import(&aws, with_integration, BasePathMode::Ignore).unwrap();
    let d1 = block(aws.create_deployment(&api.id, "prod", None)).unwrap();
    let d2 = block(aws.create_deployment(&api.id, "prod", Some("again"))).unwrap();
    assert_ne!(d1.id, d2.id);
    assert_eq!(aws.deployments(&api.id), [d1, d2]);

    let bad_stage = block(aws.create_deployment(&api.id, "pro d", None));
    assert!(matches!(bad_stage, Err(Error::InvalidInput { .. })));

    let empty = import(
        &aws,
        r#"{"swagger": "2.0", "info": {"title": "e"}, "paths": {}}"#,
        BasePathMode::Ignore,
    )
    .unwrap();
    let err = block(aws.create_deployment(&empty.id, "prod", None)).unwrap_err();
    assert_eq!(
        err,
        Error::InvalidInput {
            message: "The REST API doesn't contain any methods".into()
        }
    );
    let bare = import(&aws, crate::PETS3, BasePathMode::Ignore).unwrap();
    let err = block(aws.create_deployment(&bare.id, "prod", None)).unwrap_err();
    assert!(
        err.to_string()
            .contains("No integration defined for method"),
        "{err}"
    );
    assert!(matches!(
        block(aws.create_deployment("nosuchapi0", "prod", None)),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn ids_are_deterministic_and_listing_finds_by_name() {
    let ids = |aws: &FakeAws| {
        (0..3)
            .map(|_| import(aws, crate::PETS3, BasePathMode::Ignore).unwrap().id)
            .collect::<Vec<_>>()
    };
    let a = FakeAws::default();
    let first = ids(&a);
    assert_eq!(first, ids(&FakeAws::default()));
    assert_ne!(first, ids(&FakeAws::new("eu-west-1", "123456789012")));
    assert_eq!(block(a.find_rest_apis_by_name("pets")).unwrap().len(), 3);
    assert_eq!(block(a.list_rest_apis()).unwrap().len(), 3);
}

#[tokio::test]
async fn import_ignores_extensions_among_paths_and_responses() {
    let fake = FakeAws::default();
    let body = r#"{"openapi":"3.0.3","info":{"title":"x","version":"1","description":"d"},
      "paths":{"x-disabled-for-amazon-gateway":{"/gone":{}},
               "/a":{"get":{"responses":{"200":{"description":"ok"},
                     "x-disabled-for-amazon-gateway":{"default":{"description":"e"}}}}}}}"#;
    let api = fake
        .import_rest_api(ImportRestApi::new(body).with_fail_on_warnings(true))
        .await
        .expect("extensions are ignored without a warning");
    let paths: Vec<String> = fake
        .get_resources(&api.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert_eq!(paths, ["/", "/a"]);
}
