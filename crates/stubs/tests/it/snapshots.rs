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
