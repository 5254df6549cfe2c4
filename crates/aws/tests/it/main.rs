//! Integration tests of lambda-sync-aws: the conformance suite against the fake (always) and
//! the real backend (when `LAMBDA_SYNC_TEST_ENDPOINT` is set), and the fake's own behaviour.

mod conformance;
mod fake_api;
mod fake_helpers;
mod fake_lambda;
mod persistence;
mod properties;

use std::future::Future;

/// Runs a future to completion on a fresh current-thread runtime, so data-driven `check`
/// helpers can stay synchronous (and `#[track_caller]`).
pub fn block<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(future)
}

pub const ROLE: &str = "arn:aws:iam::123456789012:role/lambda-exec";

pub const PETS3: &str = r#"{"openapi": "3.0.1", "info": {"title": "pets", "description": "d", "version": "1"},
  "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {"description": "ok"}}}}}}"#;

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
