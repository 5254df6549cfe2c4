//! Helpers shared by the tests: the properties every transform must have.

use lambda_sync_compat::{CompatOptions, lint, restore, rule, transform};
use lambda_sync_spec::{Document, Format, collect_refs, pointer};
use serde_json::Value;

pub fn yaml(text: &str) -> Document {
    lambda_sync_spec::load_str(text)
        .expect("test input loads")
        .document
}

fn text(v: &Value) -> String {
    serde_json::to_string(v).expect("serialises")
}

fn local_refs_resolve(doc: &Value) -> Vec<String> {
    collect_refs(doc)
        .into_iter()
        .filter(|site| match pointer::parse_ref(&site.target) {
            Some(pointer::Reference::Local(p)) => doc.pointer(&p).is_none(),
            _ => false,
        })
        .map(|s| format!("{} -> {}", s.pointer, s.target))
        .collect()
}

/// Checks the properties of `transform` on one document:
/// idempotent; no fixable rule fires afterwards; `$ref`s that resolved still resolve; `restore`
/// gives the input back (values and key order) when `exact_restore`.
#[track_caller]
pub fn check_properties(doc: &Document, options: &CompatOptions, exact_restore: bool) {
    let out = transform(doc, options);
    let again = transform(&out.document, options);
    assert!(
        again.changes.is_empty(),
        "transform is not idempotent: second run changed {:#?}",
        &again.changes[..again.changes.len().min(5)]
    );
    assert_eq!(text(again.document.value()), text(out.document.value()));
    let relinted = lint(&out.document, options);
    for d in &relinted {
        let r = rule(&d.rule).expect("known rule");
        assert!(!r.fixable, "fixable rule still fires after transform: {d}");
    }
    // What transform says remains is what linting its output finds (inlined responses bring
    // copies of what they hold, and lowering 3.1 writes new `anyOf`s, so those are left out).
    let lowered = doc.version() == lambda_sync_spec::SpecVersion::OpenApi31;
    if !lowered && !out.changes.iter().any(|c| c.rule == "response-ref") {
        let mut said: Vec<(String, String)> = out
            .diagnostics
            .iter()
            .filter(|d| !rule(&d.rule).is_some_and(|r| r.fixable))
            .map(|d| (d.rule.clone(), d.pointer.clone()))
            .collect();
        let mut found: Vec<(String, String)> = relinted
            .iter()
            .map(|d| (d.rule.clone(), d.pointer.clone()))
            .collect();
        said.sort();
        found.sort();
        assert_eq!(
            said, found,
            "the remaining diagnostics differ from a lint of the output"
        );
    }
    let before = local_refs_resolve(doc.value());
    let after = local_refs_resolve(out.document.value());
    assert!(
        after.len() <= before.len(),
        "transform broke references: {:?}",
        &after[..after.len().min(5)]
    );
    let restored = restore(&out.document);
    if exact_restore {
        assert_eq!(
            restored.value(),
            doc.value(),
            "restore does not give the input back"
        );
        assert_eq!(
            text(restored.value()),
            text(doc.value()),
            "restore does not give the key order back"
        );
    }
    // The output is a document of a version lambda-sync can read again.
    let round = Document::from_value(out.document.value().clone(), Format::Json);
    assert!(round.is_ok());
}

#[path = "../../../../tests/support/env.rs"]
mod env;
pub use env::env_or_skip;
