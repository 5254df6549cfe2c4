//! Integration tests of `lambda-sync-spec`: one test binary (see CONVENTIONS.md).

mod atomic;
mod bad_input;
mod bundle;
mod cycles;
mod diagnostics;
mod edit;
mod props;
mod real_world;
mod roundtrip;
mod to_openapiv3;
mod version;
mod views;

use std::path::{Path, PathBuf};

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture's path.
pub fn fixture(rel: &str) -> PathBuf {
    fixtures().join(rel)
}

/// Every `.json`, `.yaml` and `.yml` file under `dir`, sorted.
pub fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The value as compact JSON: unlike `==` on `serde_json::Value`, comparing these also compares
/// the order of keys.
pub fn ordered(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// The value of the environment variable `name`, or `None` when it is unset and the test that
/// needs it should be skipped (with a note on stderr saying how to run it). When CI says the
/// test must run — `LAMBDA_SYNC_REQUIRE` (set by `.ci/run`) lists `name` — an unset variable
/// fails the test instead, so a broken CI setup cannot pass by skipping.
pub fn env_or_skip(name: &str, how: &str) -> Option<String> {
    use std::io::Write as _;
    if let Ok(value) = std::env::var(name) {
        return Some(value);
    }
    let required = std::env::var("LAMBDA_SYNC_REQUIRE").unwrap_or_default();
    assert!(
        !required.split([' ', ',']).any(|r| r == name),
        "{name} is unset, but LAMBDA_SYNC_REQUIRE ({required}) says this test must run: {how}"
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {name} is unset ({how}; LAMBDA_SYNC_REQUIRE={name} makes this a failure)"
    );
    None
}
