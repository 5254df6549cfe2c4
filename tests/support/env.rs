//! Shared by the test suites of several crates (each includes this file with `#[path]`): one
//! rule for tests that need something from the environment (moto, cfn-lint, a corpus folder).

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
