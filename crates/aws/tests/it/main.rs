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

#[path = "../../../../tests/support/env.rs"]
mod env;
pub use env::env_or_skip;
