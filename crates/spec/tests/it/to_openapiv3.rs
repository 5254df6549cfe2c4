//! `Document::to_openapiv3` (feature `openapiv3`, on for the crate's own tests).

use crate::{fixture, spec_files};
use lambda_sync_spec::{Error, load_path, load_str};
use std::path::Path;

/// `(path, method, operationId)` of every operation.
fn ours(doc: &lambda_sync_spec::Document) -> Vec<(String, String, Option<String>)> {
    doc.operations()
        .iter()
        .map(|op| {
            (
                op.path.to_string(),
                op.method.as_str().to_ascii_lowercase(),
                op.operation_id.map(str::to_string),
            )
        })
        .collect()
}

/// Converts a 3.0 file and checks what the model holds against the loader's views; the model
/// serialised and read back is the same model (nothing is lost between the two).
#[track_caller]
fn check(path: &Path) {
    let doc = load_path(path).unwrap().document;
    let api = doc
        .to_openapiv3()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // `openapiv3` lists the methods of a path in its own order (get, put, post, ...).
    let mut theirs: Vec<(String, String, Option<String>)> = api
        .operations()
        .map(|(p, m, op)| (p.to_string(), m.to_string(), op.operation_id.clone()))
        .collect();
    let mut ours = ours(&doc);
    theirs.sort();
    ours.sort();
    assert!(!ours.is_empty(), "{}", path.display());
    assert_eq!(theirs, ours, "{}", path.display());
    assert_eq!(
        Some(api.info.title.as_str()),
        doc.value()["info"]["title"].as_str()
    );
    let schemas = api.components.as_ref().map_or(0, |c| c.schemas.len());
    let declared = doc
        .value()
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map_or(0, |s| s.len());
    assert_eq!(schemas, declared, "{}", path.display());
    let again: openapiv3::OpenAPI =
        serde_json::from_value(serde_json::to_value(&api).unwrap()).unwrap();
    assert_eq!(again, api, "{}", path.display());
}

#[test]
fn the_pet_store_converts() {
    check(&fixture("specs/petstore-v3.json"));
}

/// Real definitions from APIs.guru (the CLI's fixtures; see its README for their sources).
#[test]
fn real_definitions_convert() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/fixtures/real");
    let files = spec_files(&dir);
    assert!(files.len() >= 5, "{files:?}");
    for path in files {
        check(&path);
    }
}

#[test]
fn other_versions_are_refused_with_the_way_forward() {
    let v31 = load_path(fixture("specs/petstore-v31.yaml"))
        .unwrap()
        .document;
    match v31.to_openapiv3() {
        Err(Error::Version(m)) => assert!(m.contains("lower it to 3.0 first"), "{m}"),
        other => panic!("{other:?}"),
    }
    let v2 = load_path(fixture("specs/petstore-v2.yaml"))
        .unwrap()
        .document;
    match v2.to_openapiv3() {
        Err(Error::Version(m)) => assert!(m.contains("Swagger 2.0"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_value_that_does_not_fit_the_model_is_named() {
    let bad = load_str(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: [not, text]}}\n",
    )
    .unwrap()
    .document;
    match bad.to_openapiv3() {
        Err(e @ Error::Model { .. }) => {
            let m = e.to_string();
            assert!(m.contains("openapiv3::OpenAPI"), "{m}");
        }
        other => panic!("{other:?}"),
    }
}
