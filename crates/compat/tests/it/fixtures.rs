//! One small fixture per rule: the transformed output and the report are insta snapshots.

use crate::support::check_properties;
use lambda_sync_compat::{CompatOptions, lint, transform};
use serde_json::json;

#[test]
fn every_fixture() {
    insta::glob!("../fixtures", "*.yaml", |path| {
        let doc = lambda_sync_spec::load_path(path)
            .expect("fixture loads")
            .document;
        let options = CompatOptions::default();
        let found = lint(&doc, &options);
        let out = transform(&doc, &options);
        insta::assert_json_snapshot!(
            "report",
            json!({
                "lint": found,
                "changes": out.changes,
                "remaining": out.diagnostics,
            })
        );
        insta::assert_snapshot!("output", out.document.to_text().expect("writes"));
        // Cycles are broken at the back edges the spec crate finds.
        let mut spec_edges: Vec<String> = doc
            .schema_cycles()
            .into_iter()
            .map(|c| format!("{}/$ref", c.back_edge))
            .collect();
        let mut ours: Vec<String> = found
            .iter()
            .filter(|d| d.rule == "circular-ref")
            .map(|d| d.pointer.clone())
            .collect();
        spec_edges.sort();
        ours.sort();
        assert_eq!(ours, spec_edges);
        let lowered_booleans = out
            .changes
            .iter()
            .any(|c| c.rule == "openapi-31" && c.message.contains("boolean schema"));
        // A wrapper that was in the input is undone by restore too, so that input does not
        // come back as it was.
        let had_wrapper = path.to_string_lossy().contains("existing-wrapper");
        check_properties(&doc, &options, !lowered_booleans && !had_wrapper);
    });
}

#[test]
fn every_rule_has_a_fixture() {
    let names: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
            .expect("fixtures folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
    for r in lambda_sync_compat::rules() {
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(&format!("{}-", r.id)) || n == &format!("{}.yaml", r.id)),
            "rule `{}` has no fixture in tests/fixtures",
            r.id
        );
    }
}

#[test]
fn rules_md_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/RULES.md");
    let want = lambda_sync_compat::rules_markdown();
    if std::env::var_os("UPDATE_RULES_MD").is_some() {
        std::fs::write(path, &want).expect("writes RULES.md");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "crates/compat/RULES.md is out of date; run `UPDATE_RULES_MD=1 cargo test -p lambda-sync-compat rules_md`"
    );
}

#[test]
fn catalogue_ids_are_unique_kebab_case_and_sourced() {
    let mut seen = std::collections::HashSet::new();
    for r in lambda_sync_compat::rules() {
        assert!(seen.insert(r.id), "duplicate id {}", r.id);
        assert!(
            r.id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        );
        assert!(!r.source.is_empty() && !r.rationale.is_empty() && !r.title.is_empty());
    }
}

#[test]
fn unknown_rule_ids_are_named_with_the_valid_ones() {
    let err = lambda_sync_compat::validate_rule_ids(&["example".into(), "exmaple".into()])
        .unwrap_err()
        .to_string();
    assert!(err.contains("`exmaple`"), "{err}");
    assert!(
        err.contains("model-name") && err.contains("circular-ref"),
        "{err}"
    );
    let opts = CompatOptions::default().with_disabled(["nope"]);
    assert!(opts.validate().is_err());
}
