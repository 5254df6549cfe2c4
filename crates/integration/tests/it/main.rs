//! Integration tests of lambda-sync-integration.

mod apply;
mod contract;
mod granularity;
mod names;
mod options;
mod repairs;
mod snapshots;
mod templates;

use lambda_sync_integration::{BindOptions, Bindings, bind};
use lambda_sync_spec::{Diagnostic, Document};

/// Loads a definition from text.
#[track_caller]
fn load(text: &str) -> Document {
    lambda_sync_spec::load_str(text)
        .expect("the test definition loads")
        .document
}

/// The default options of the tests.
fn opts() -> BindOptions {
    BindOptions::new("us-east-1", "123456789012")
}

/// Binds with the default options.
#[track_caller]
fn bind_default(doc: &Document) -> (Bindings, Vec<Diagnostic>) {
    bind(doc, &opts()).expect("valid options")
}

/// A 3.0 definition with the given `paths` block (indented by 2).
fn v3(paths: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}")
}

fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}
