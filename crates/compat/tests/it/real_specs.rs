//! Real-world definitions: small public ones are committed (tests/fixtures/real, see its
//! README); large ones (GitHub, Stripe, Kubernetes, Jira, Twilio) are read from the folder
//! named by `LAMBDA_SYNC_REAL_SPECS` when it is set.

use crate::support::check_properties;
use lambda_sync_compat::{CompatOptions, lint, transform};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

fn counts(diags: &[lambda_sync_spec::Diagnostic]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for d in diags {
        *out.entry(d.rule.clone()).or_insert(0) += 1;
    }
    out
}

#[test]
fn committed_real_definitions() {
    insta::glob!("../fixtures/real", "*.json", |path| {
        let doc = lambda_sync_spec::load_path(path).expect("loads").document;
        let options = CompatOptions::default();
        let found = lint(&doc, &options);
        let out = transform(&doc, &options);
        let summary = serde_json::json!({
            "lint": counts(&found),
            "changes": out.changes.len(),
            "remaining": counts(&out.diagnostics),
        });
        insta::assert_json_snapshot!("summary", summary);
        let lowered_booleans = out
            .changes
            .iter()
            .any(|c| c.message.contains("boolean schema"));
        check_properties(&doc, &options, !lowered_booleans);
    });
}

/// Runs on every `.json`/`.yaml` file in `$LAMBDA_SYNC_REAL_SPECS` and prints what it found and
/// how long lint + transform took (for the record, never asserted); checks the transform
/// properties (restore included); writes the outputs into `$LAMBDA_SYNC_REAL_SPECS_OUT` when
/// that is set (to run a validator on them).
#[test]
fn large_real_definitions_from_env() {
    let Some(dir) = crate::support::env_or_skip(
        "LAMBDA_SYNC_REAL_SPECS",
        "set it to a folder of large definitions (scripts/real-specs.sh fetches some)",
    ) else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(Path::new(&dir))
        .expect("LAMBDA_SYNC_REAL_SPECS is a folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .collect();
    files.sort();
    for path in files {
        let t0 = Instant::now();
        let doc = lambda_sync_spec::load_path(&path).expect("loads").document;
        let load = t0.elapsed();
        let options = CompatOptions::default();
        let t1 = Instant::now();
        let found = lint(&doc, &options);
        let lint_time = t1.elapsed();
        let t2 = Instant::now();
        let out = transform(&doc, &options);
        let transform_time = t2.elapsed();
        eprintln!(
            "{}: {} {} operations, load {:?}, lint {:?}, transform {:?}, {} changes\n  lint: {:?}\n  remaining: {:?}",
            path.display(),
            doc.version(),
            doc.operations().len(),
            load,
            lint_time,
            transform_time,
            out.changes.len(),
            counts(&found),
            counts(&out.diagnostics),
        );
        check_properties(&doc, &options, true);
        if let Some(out_dir) = std::env::var_os("LAMBDA_SYNC_REAL_SPECS_OUT") {
            let name = path.file_name().expect("a file name");
            std::fs::write(
                Path::new(&out_dir).join(name),
                out.document.to_text().expect("writes"),
            )
            .expect("writes the output");
        }
    }
}
