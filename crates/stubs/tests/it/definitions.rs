//! Stubs for every operation of real definitions, bound by lambda-sync-integration.

use std::path::PathBuf;

use lambda_sync_integration::{BindOptions, EventContract, IntegrationType, bind};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const DEFINITIONS: &[&str] = &[
    "../../docs/examples/petstore.yaml",
    "../../docs/examples/petstore-v2.json",
    "tests/fixtures/hostile-v3.json",
];

/// The event contracts of every operation of every definition, bound both as non-proxy and as
/// proxy integrations.
fn contracts() -> Vec<(String, EventContract)> {
    let mut out = Vec::new();
    for rel in DEFINITIONS {
        let path = fixture(rel);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc = lambda_sync_spec::load_str(&text)
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
            .document;
        for integration in [IntegrationType::Aws, IntegrationType::AwsProxy] {
            let options =
                BindOptions::new("us-east-1", "123456789012").with_integration(integration);
            let (bindings, _diags) = bind(&doc, &options).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert!(!bindings.bindings.is_empty(), "{rel}: no operations");
            for b in bindings.bindings {
                out.push((
                    format!("{rel} {} {}", b.method.as_str(), b.path),
                    b.contract,
                ));
            }
        }
    }
    out
}

#[test]
fn every_operation_of_the_fixtures_compiles_and_runs() {
    let all = contracts();
    // Three definitions, about 40 operations, each bound as aws and as aws_proxy.
    assert!(all.len() >= 80, "{}", all.len());
    let contracts: Vec<EventContract> = all.into_iter().map(|(_, c)| c).collect();
    crate::exec::check_contracts("fixture", &contracts);
}

#[test]
fn petstore_definition_snapshot() {
    let doc =
        lambda_sync_spec::load_str(&std::fs::read_to_string(fixture(DEFINITIONS[0])).unwrap())
            .unwrap()
            .document;
    let (bindings, _) = bind(&doc, &BindOptions::new("us-east-1", "123456789012")).unwrap();
    let get_user = bindings
        .bindings
        .iter()
        .find(|b| b.function_name == "getUserByName")
        .expect("the walkthrough's getUserByName");
    let templates = lambda_sync_stubs::Templates::builtin();
    let mut out = String::new();
    for rt in ["nodejs24.x", "python3.14"] {
        let stub = lambda_sync_stubs::render(
            &get_user.contract,
            lambda_sync_stubs::runtime(rt).unwrap(),
            &templates,
        )
        .unwrap();
        out.push_str(&format!(
            "===== {rt} {} =====\n{}\n",
            stub.file_name, stub.source
        ));
    }
    insta::assert_snapshot!(out);
}
