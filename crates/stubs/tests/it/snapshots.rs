//! Golden files of the stubs for the petstore-like contracts and the hostile ones.

use lambda_sync_stubs::{Templates, render, runtime};

fn all(contracts: &[lambda_sync_integration::EventContract], rt: &str) -> String {
    let templates = Templates::builtin();
    let rt = runtime(rt).unwrap();
    let mut out = String::new();
    for c in contracts {
        let stub = render(c, rt, &templates).unwrap();
        out.push_str(&format!(
            "===== {} ({}, handler {}) =====\n{}\n",
            stub.function_name.escape_debug(),
            stub.file_name,
            stub.handler,
            stub.source
        ));
    }
    out
}

#[test]
fn petstore_node_esm() {
    insta::assert_snapshot!(all(&crate::petstore(), "nodejs24.x"));
}

#[test]
fn petstore_node_commonjs() {
    insta::assert_snapshot!(all(&crate::petstore(), "nodejs16.x"));
}

#[test]
fn petstore_python() {
    insta::assert_snapshot!(all(&crate::petstore(), "python3.14"));
}

#[test]
fn hostile_node_esm() {
    insta::assert_snapshot!(all(&crate::hostile(), "nodejs24.x"));
}

#[test]
fn hostile_python() {
    insta::assert_snapshot!(all(&crate::hostile(), "python3.14"));
}

/// A grouped function's router: the first three petstore operations, the second told apart
/// by a discriminating query parameter, in each module system and both integrations.
fn router(rt: &str, integration: lambda_sync_integration::IntegrationType) -> String {
    use lambda_sync_integration::{Discriminator, FieldSource};
    let contracts: Vec<_> = crate::petstore()
        .into_iter()
        .take(3)
        .map(|mut c| {
            c.integration = integration;
            c
        })
        .collect();
    let acl = [Discriminator {
        source: FieldSource::Query,
        name: "acl".into(),
        key: "acl".into(),
    }];
    let routes: Vec<lambda_sync_stubs::Route<'_>> = contracts
        .iter()
        .enumerate()
        .map(|(i, c)| lambda_sync_stubs::Route {
            contract: c,
            called_as: if i == 1 {
                &contracts[0].operation_id
            } else {
                &c.operation_id
            },
            discriminators: if i == 1 { &acl } else { &[] },
        })
        .collect();
    let stub = lambda_sync_stubs::render_router(
        "petRouter",
        &routes,
        runtime(rt).unwrap(),
        &Templates::builtin(),
    )
    .unwrap();
    format!(
        "===== {} ({}) =====\n{}",
        stub.function_name, stub.file_name, stub.source
    )
}

#[test]
fn router_snapshots() {
    use lambda_sync_integration::IntegrationType::{Aws, AwsProxy};
    insta::assert_snapshot!("router_node_esm_aws", router("nodejs24.x", Aws));
    insta::assert_snapshot!("router_node_commonjs_proxy", router("nodejs16.x", AwsProxy));
    insta::assert_snapshot!("router_python_aws", router("python3.14", Aws));
    insta::assert_snapshot!("router_python_proxy", router("python3.14", AwsProxy));
}
