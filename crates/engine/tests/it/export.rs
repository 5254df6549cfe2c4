//! `export`: the desired state as a SAM or CloudFormation template.

use lambda_sync::aws::{BasePathMode, limits};
use lambda_sync::{
    BodyPlacement, Config, Error, Export, ExportFileKind, ExportFormat, ExportOptions, Target,
    export, prepare,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const PETSTORE: &str = include_str!("../fixtures/petstore.yaml");

fn run(text: &str, config: Config, options: &ExportOptions) -> lambda_sync::Result<Export> {
    let doc = lambda_sync_spec::load_str(text).expect("loads").document;
    let settings = config.resolve(Target::Local).expect("valid config");
    let prepared = prepare(&doc, &settings).expect("prepares");
    export(&prepared, &settings, options)
}

#[track_caller]
fn ok(text: &str, config: Config, options: &ExportOptions) -> Export {
    run(text, config, options).expect("exports")
}

/// A template's text as a value (YAML or JSON).
fn parse(bytes: &[u8]) -> Value {
    serde_yaml::from_slice(bytes).expect("a template parses")
}

fn file<'a>(export: &'a Export, path: &str) -> &'a [u8] {
    &export
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no file {path}"))
        .contents
}

fn resources(template: &Value) -> &serde_json::Map<String, Value> {
    template["Resources"].as_object().expect("resources")
}

fn of_type<'a>(template: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    resources(template)
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

/// A definition with `n` operations, each with a description of `pad` bytes.
/// `many(300, _)` needs 601 resources: the quota raised as a user would, in `[quotas]`.
fn raised_quota() -> Config {
    Config {
        quotas: lambda_sync::Quotas {
            resources_per_api: 1000,
        },
        ..Config::default()
    }
}

fn many(n: usize, pad: usize) -> String {
    let mut s = String::from("openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths:\n");
    let text = "x".repeat(pad);
    for i in 0..n {
        s.push_str(&format!(
            "  /items{i}/{{id}}:\n    get:\n      operationId: getItem{i}\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string, pattern: '{text}'}}}}]\n      responses: {{'200': {{description: ok}}}}\n"
        ));
    }
    s
}

#[test]
fn pet_store_sam_snapshot() {
    let e = ok(
        PETSTORE,
        Config::default(),
        &ExportOptions::new(ExportFormat::Sam),
    );
    assert_eq!(e.body, BodyPlacement::Inline);
    let paths: Vec<_> = e.files.iter().map(|f| (f.kind, f.path.as_str())).collect();
    insta::assert_debug_snapshot!("pet_store_sam_files", paths);
    insta::assert_snapshot!(
        "pet_store_sam",
        String::from_utf8(e.template().to_vec()).unwrap()
    );
}

#[test]
fn pet_store_cloudformation_snapshot() {
    let config = Config {
        runtime: Some("python3.13".into()),
        stage: Some("v1".into()),
        ..Config::default()
    };
    let options = ExportOptions::new(ExportFormat::CloudFormation)
        .with_execution_role(Some("arn:aws:iam::111122223333:role/pets".into()));
    let e = ok(PETSTORE, config, &options);
    let paths: Vec<_> = e.files.iter().map(|f| (f.kind, f.path.as_str())).collect();
    insta::assert_debug_snapshot!("pet_store_cloudformation_files", paths);
    insta::assert_snapshot!(
        "pet_store_cloudformation",
        String::from_utf8(e.template().to_vec()).unwrap()
    );
    // The zips are the ones push uploads.
    let doc = lambda_sync_spec::load_str(PETSTORE).unwrap().document;
    let settings = Config {
        runtime: Some("python3.13".into()),
        ..Config::default()
    }
    .resolve(Target::Local)
    .unwrap();
    let prepared = prepare(&doc, &settings).unwrap();
    for f in &prepared.functions {
        assert_eq!(
            file(&e, &format!("lambda-sync-code/{}.zip", f.name)),
            f.code().unwrap().zip.as_slice()
        );
    }
}

#[test]
fn same_input_same_bytes() {
    for format in [ExportFormat::Sam, ExportFormat::CloudFormation] {
        for text in [PETSTORE.to_string(), many(300, 10), many(60, 2000)] {
            let options = ExportOptions::new(format);
            let a = ok(&text, raised_quota(), &options);
            let b = ok(&text, raised_quota(), &options);
            assert_eq!(a, b);
            assert!(
                a.files
                    .iter()
                    .zip(&b.files)
                    .all(|(x, y)| x.contents == y.contents)
            );
        }
    }
}

#[test]
fn integration_uris_and_source_arns_follow_the_account_and_region() {
    for format in [ExportFormat::Sam, ExportFormat::CloudFormation] {
        let e = ok(PETSTORE, Config::default(), &ExportOptions::new(format));
        let text = String::from_utf8(e.template().to_vec()).unwrap();
        // Nothing of the local account or region is left.
        assert!(!text.contains("123456789012"), "{text}");
        assert!(!text.contains("us-east-1"), "{text}");
        let t = parse(e.template());
        let body = &t["Resources"]["Api"]["Properties"][if format == ExportFormat::Sam {
            "DefinitionBody"
        } else {
            "Body"
        }];
        assert_eq!(
            body["paths"]["/pets/{petId}"]["get"]["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"],
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FnShowPetById.Arn}/invocations"
        );
        let perms = of_type(&t, "AWS::Lambda::Permission");
        assert_eq!(perms.len(), 4);
        let arns: BTreeSet<_> = perms
            .iter()
            .map(|(_, p)| p["Properties"]["SourceArn"]["Fn::Sub"].as_str().unwrap())
            .collect();
        assert!(arns.contains(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/DELETE/pets/*"
        ));
    }
}

#[test]
fn basepath_modes_give_the_real_resource_path_and_the_import_parameter() {
    for (mode, expect) in [
        (BasePathMode::Ignore, "${Api}/*/GET/pets/*"),
        (BasePathMode::Prepend, "${Api}/*/GET/v1/pets/*"),
        (BasePathMode::Split, "${Api}/*/GET/pets/*"),
    ] {
        let config = Config {
            basepath: mode,
            ..Config::default()
        };
        let e = ok(PETSTORE, config, &ExportOptions::new(ExportFormat::Sam));
        let t = parse(e.template());
        let api = &t["Resources"]["Api"];
        if mode == BasePathMode::Ignore {
            assert_eq!(api["Type"], "AWS::Serverless::Api");
        } else {
            // Only the plain resource takes the import parameter.
            assert_eq!(api["Type"], "AWS::ApiGateway::RestApi");
            assert_eq!(api["Properties"]["Parameters"]["basepath"], mode.as_str());
            assert_eq!(of_type(&t, "AWS::ApiGateway::Stage").len(), 1);
        }
        let arn = t["Resources"]["PermShowPetById6FA28182"]["Properties"]["SourceArn"]["Fn::Sub"]
            .as_str()
            .unwrap();
        assert!(arn.ends_with(expect), "{mode:?}: {arn}");
    }
}

#[test]
fn a_configured_role_is_a_parameter_else_a_role_is_created() {
    let role = "arn:aws:iam::111122223333:role/r";
    let e = ok(
        PETSTORE,
        Config::default(),
        &ExportOptions::new(ExportFormat::CloudFormation).with_execution_role(Some(role.into())),
    );
    let t = parse(e.template());
    assert_eq!(t["Parameters"]["ExecutionRoleArn"]["Default"], role);
    assert!(of_type(&t, "AWS::IAM::Role").is_empty());
    assert_eq!(
        t["Resources"]["FnListPets"]["Properties"]["Role"]["Ref"],
        "ExecutionRoleArn"
    );
    let e = ok(
        PETSTORE,
        Config::default(),
        &ExportOptions::new(ExportFormat::CloudFormation),
    );
    let t = parse(e.template());
    assert!(t.get("Parameters").is_none());
    assert_eq!(of_type(&t, "AWS::IAM::Role").len(), 1);
    assert_eq!(
        t["Resources"]["FnListPets"]["Properties"]["Role"]["Fn::GetAtt"][0],
        "ExecutionRole"
    );
}

#[test]
fn more_than_500_resources_go_into_nested_stacks() {
    for format in [ExportFormat::Sam, ExportFormat::CloudFormation] {
        let e = ok(&many(300, 10), raised_quota(), &ExportOptions::new(format));
        assert_eq!(e.functions, 300);
        assert_eq!(e.permissions, 300);
        assert!(e.nested_stacks >= 2, "{}", e.nested_stacks);
        let main = parse(e.template());
        let stack_type = if format == ExportFormat::Sam {
            "AWS::Serverless::Application"
        } else {
            "AWS::CloudFormation::Stack"
        };
        assert_eq!(of_type(&main, stack_type).len(), e.nested_stacks);
        let mut names = BTreeSet::new();
        let mut count = resources(&main).len();
        for f in e
            .files
            .iter()
            .filter(|f| f.kind == ExportFileKind::NestedTemplate)
        {
            let t = parse(&f.contents);
            let r = resources(&t);
            assert!(r.len() <= limits::MAX_TEMPLATE_RESOURCES);
            count += r.len();
            for (_, f) in r
                .iter()
                .filter(|(_, r)| r["Type"] != "AWS::Lambda::Permission")
            {
                assert!(
                    names.insert(
                        f["Properties"]["FunctionName"]
                            .as_str()
                            .unwrap()
                            .to_string()
                    )
                );
            }
            // A function's permission is in the function's stack; the API id comes in.
            for (_, p) in r
                .iter()
                .filter(|(_, r)| r["Type"] == "AWS::Lambda::Permission")
            {
                let target = p["Properties"]["FunctionName"]["Ref"].as_str().unwrap();
                assert!(r.contains_key(target));
                assert!(
                    p["Properties"]["SourceArn"]["Fn::Sub"]
                        .as_str()
                        .unwrap()
                        .contains("${ApiId}/*/GET/items")
                );
            }
        }
        assert_eq!(names.len(), 300);
        assert_eq!(count, e.resources);
        // The body names the functions by ARN (no reference into a nested stack).
        assert_eq!(e.body, BodyPlacement::Include);
        let text = String::from_utf8(file(&e, "template-api.json").to_vec()).unwrap();
        assert!(text.contains(
            "functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:getItem7/invocations"
        ));
    }
}

#[test]
fn a_large_body_goes_to_an_included_file_a_huge_one_to_a_location() {
    // Over 51,200 bytes inline, under 1 MB processed: AWS::Include.
    let e = ok(
        &many(60, 2000),
        Config::default(),
        &ExportOptions::new(ExportFormat::Sam),
    );
    assert_eq!(e.body, BodyPlacement::Include);
    assert!(e.template().len() <= limits::MAX_TEMPLATE_BODY_BYTES);
    let t = parse(e.template());
    assert_eq!(
        t["Resources"]["Api"]["Properties"]["DefinitionBody"]["Fn::Transform"],
        serde_json::json!({"Name": "AWS::Include", "Parameters": {"Location": "template-api.json"}})
    );
    let body: Value = serde_json::from_slice(file(&e, "template-api.json")).unwrap();
    assert_eq!(
        body["paths"]["/items3/{id}"]["get"]["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"],
        "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FnGetItem3.Arn}/invocations"
    );

    // Over 1 MB processed: refused unless the account is pinned, then by location.
    let huge = many(40, 40_000);
    let err = run(
        &huge,
        Config::default(),
        &ExportOptions::new(ExportFormat::CloudFormation),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Export { .. }));
    let text = err.to_string();
    assert!(
        text.contains("1048576") && text.contains("region"),
        "{text}"
    );
    let config = Config {
        region: Some("eu-west-1".into()),
        account_id: Some("111122223333".into()),
        ..Config::default()
    };
    let e = ok(
        &huge,
        config,
        &ExportOptions::new(ExportFormat::CloudFormation)
            .with_template_name("stack.json")
            .with_pinned_account(true),
    );
    assert_eq!(e.body, BodyPlacement::Location);
    let t = parse(e.template());
    assert_eq!(
        t["Resources"]["Api"]["Properties"]["BodyS3Location"],
        "stack-api.json"
    );
    let body = String::from_utf8(file(&e, "stack-api.json").to_vec()).unwrap();
    assert!(body.contains("arn:aws:lambda:eu-west-1:111122223333:function:getItem3/invocations"));
    assert!(!e.notes.is_empty());
}

#[test]
fn logical_ids_are_alphanumeric_unique_and_bounded() {
    let long = "a".repeat(64);
    let names = [
        "get-pet",
        "getPet",
        "get_pet",
        "list",
        "_",
        "x-1",
        "X1",
        long.as_str(),
    ];
    let ids = lambda_sync::export_logical_ids(names);
    let unique: BTreeSet<_> = ids.values().collect();
    assert_eq!(unique.len(), names.len());
    for id in ids.values() {
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
        assert!(id.len() <= limits::MAX_LOGICAL_ID_CHARS);
    }
    assert_eq!(ids["list"], "FnList");
    // Colliding names all carry a hash, whatever their order.
    assert!(ids["get-pet"].len() > "FnGetPet".len());
    assert_eq!(
        lambda_sync::export_logical_ids(["getPet", "get-pet"])["getPet"],
        ids["getPet"]
    );
}

/// Operations whose own integration names one function: the function is referenced, not
/// created, and its many permissions merge into one when the policy would pass 20 KB.
#[test]
fn existing_integrations_are_referenced_and_big_policies_merge() {
    let mut s = String::from("openapi: 3.0.3\ninfo: {title: Shared, version: '1'}\npaths:\n");
    for i in 0..80 {
        s.push_str(&format!(
            "  /some/rather/long/resource/path/number{i}/{{id}}:\n    get:\n      operationId: op{i}\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\n      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:444455556666:function:shared/invocations'}}\n"
        ));
    }
    let e = ok(
        &s,
        Config::default(),
        &ExportOptions::new(ExportFormat::CloudFormation),
    );
    let t = parse(e.template());
    assert!(of_type(&t, "AWS::Lambda::Function").is_empty());
    let perms = of_type(&t, "AWS::Lambda::Permission");
    assert_eq!(perms.len(), 1);
    let p = &perms[0].1["Properties"];
    assert_eq!(
        p["FunctionName"],
        "arn:aws:lambda:us-east-1:444455556666:function:shared"
    );
    assert!(
        p["SourceArn"]["Fn::Sub"]
            .as_str()
            .unwrap()
            .ends_with("${Api}/*")
    );
    assert_eq!(e.notes.len(), 2, "{:?}", e.notes);
    // The user's own integrations are kept as they are.
    let text = String::from_utf8(e.template().to_vec()).unwrap();
    assert!(text.contains("function:shared/invocations"));
}

#[test]
fn a_key_cloudformation_would_evaluate_is_refused() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {Ref: {type: string}}}}}}}\n";
    // `properties` has the single key `Ref`.
    let err = run(
        text,
        Config::default(),
        &ExportOptions::new(ExportFormat::Sam),
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("/properties") && message.contains("Ref"),
        "{message}"
    );
}

#[test]
fn the_endpoint_type_is_exported_unless_it_is_aws_default() {
    for (format, key, want) in [
        (ExportFormat::Sam, "Type", json!("REGIONAL")),
        (ExportFormat::CloudFormation, "Types", json!(["REGIONAL"])),
    ] {
        let regional = Config {
            endpoint_type: lambda_sync::aws::EndpointType::Regional,
            ..Config::default()
        };
        let t = parse(ok(PETSTORE, regional, &ExportOptions::new(format)).template());
        assert_eq!(
            t["Resources"]["Api"]["Properties"]["EndpointConfiguration"][key],
            want
        );
        // EDGE is AWS's default: left unsaid, as push leaves it.
        let t = parse(ok(PETSTORE, Config::default(), &ExportOptions::new(format)).template());
        assert!(
            t["Resources"]["Api"]["Properties"]
                .get("EndpointConfiguration")
                .is_none()
        );
    }
}

/// The export follows granularity: one function per group, its code the router, one
/// permission per grouped function for the whole API, every integration calling the group.
#[test]
fn export_follows_granularity() {
    use lambda_sync::integration::Granularity;
    for (granularity, functions) in [
        (Granularity::Operation, 4),
        // `pets`, and `default` for deletePet, which has no tag.
        (Granularity::Tag, 2),
        (Granularity::Api, 1),
    ] {
        for format in [ExportFormat::Sam, ExportFormat::CloudFormation] {
            let config = Config {
                granularity,
                ..Config::default()
            };
            let e = ok(PETSTORE, config, &ExportOptions::new(format));
            let t = parse(e.template());
            let fns = of_type(
                &t,
                if format == ExportFormat::Sam {
                    "AWS::Serverless::Function"
                } else {
                    "AWS::Lambda::Function"
                },
            );
            assert_eq!(fns.len(), functions, "{granularity:?} {format:?}");
            let perms = of_type(&t, "AWS::Lambda::Permission");
            assert_eq!(perms.len(), functions, "{granularity:?} {format:?}");
            if granularity != Granularity::Operation {
                let arn = perms[0].1["Properties"]["SourceArn"]["Fn::Sub"]
                    .as_str()
                    .unwrap();
                assert!(arn.ends_with(":${Api}/*"), "{arn}");
                // The function's code is the router.
                let code: Vec<_> = e
                    .files
                    .iter()
                    .filter(|f| f.path.ends_with("index.mjs"))
                    .collect();
                if format == ExportFormat::Sam {
                    assert_eq!(code.len(), functions);
                    let source: String = code
                        .iter()
                        .map(|c| String::from_utf8(c.contents.clone()).unwrap())
                        .collect();
                    assert!(source.contains("const routes = ["), "{source}");
                    assert!(source.contains("\"showPetById\""), "{source}");
                }
            }
        }
    }
}
