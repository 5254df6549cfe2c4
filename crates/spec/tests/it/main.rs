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

#[path = "../../../../tests/support/env.rs"]
mod env;
pub use env::env_or_skip;
