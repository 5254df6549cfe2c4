//! Golden tests: bindings and generated extensions for the pet-store fixtures.

use super::{fixtures_dir, opts};
use lambda_sync_integration::{apply, bind, integration_extension};
use serde_json::{Value, json};

fn summary(path: &std::path::Path) -> Value {
    let doc = lambda_sync_spec::load_path(path).unwrap().document;
    let options = opts().with_write_operation_ids(true);
    let (bindings, diagnostics) = bind(&doc, &options).unwrap();
    let (out, changes) = apply(&doc, &bindings, &options);
    let ops: Vec<Value> = bindings
        .bindings
        .iter()
        .map(|b| {
            json!({
                "operation": format!("{} {}", b.method, b.path),
                "operationId": b.operation_id,
                "generated": b.operation_id_generated,
                "function": b.function_name,
                "existing": b.existing_integration,
                "contract": b.contract,
                "statementId": b.permission.statement_id,
                "sourceArn": b.permission.source_arn("a1b2c3d4e5"),
                "extension": out.get(&format!("{}/x-amazon-apigateway-integration", b.pointer)),
            })
        })
        .collect();
    json!({
        "operations": ops,
        "changes": changes,
        // Without line:column, which differ between the YAML and JSON twins.
        "diagnostics": diagnostics
            .iter()
            .map(|d| format!("{}[{}] {}: {}", d.severity, d.rule, d.pointer, d.message))
            .collect::<Vec<_>>(),
    })
}

#[test]
fn petstore_fixtures() {
    insta::glob!("../fixtures", "petstore-*.*", |path| {
        insta::assert_yaml_snapshot!(summary(path));
    });
}

#[test]
fn yaml_and_json_twins_agree() {
    for v in ["v2", "v3"] {
        let dir = fixtures_dir();
        let yaml = summary(&dir.join(format!("petstore-{v}.yaml")));
        let json = summary(&dir.join(format!("petstore-{v}.json")));
        assert_eq!(yaml, json, "{v}");
    }
}

#[test]
fn docs_example_petstore() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    for file in ["petstore.yaml", "petstore-v2.json"] {
        let doc = lambda_sync_spec::load_path(root.join(file))
            .unwrap()
            .document;
        let (bindings, diagnostics) = bind(&doc, &opts()).unwrap();
        assert!(diagnostics.is_empty(), "{file}: {diagnostics:?}");
        let names: Vec<String> = bindings
            .bindings
            .iter()
            .map(|b| format!("{} {} -> {}", b.method, b.path, b.function_name))
            .collect();
        insta::assert_yaml_snapshot!(format!("docs_{file}"), names);
        let user = bindings
            .bindings
            .iter()
            .find(|b| b.function_name == "getUserByName")
            .unwrap();
        assert_eq!(user.contract.fields[0].key, "username");
        assert_eq!(
            user.contract.fields[0].description.as_deref(),
            Some("The name that needs to be fetched. Use user1 for testing.")
        );
        let ext = integration_extension(user, &opts());
        assert_eq!(ext["type"], "aws");
    }
}
