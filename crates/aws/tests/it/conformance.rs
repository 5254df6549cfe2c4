//! The public conformance suite against the fake and, when configured, the real backend.

use std::io::Write as _;

use lambda_sync_aws::FakeAws;
use lambda_sync_aws::conformance::{self, ConformanceTarget, Outcome, Quirks};

/// Writes straight to stderr, past libtest's output capture, so the lines show in a normal
/// `cargo test` run.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn fake_target() -> ConformanceTarget {
    ConformanceTarget::new(crate::ROLE, "fake")
}

macro_rules! against_fake {
    ($($name:ident: $kind:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $name() {
            let aws = FakeAws::default();
            let backend = against_fake!(@backend $kind aws);
            assert_eq!(conformance::$name(backend, &fake_target()).await, Outcome::Passed);
        }
    )*};
    (@backend api $aws:ident) => { &$aws as &dyn lambda_sync_aws::ApiGateway };
    (@backend lambda $aws:ident) => { &$aws as &dyn lambda_sync_aws::Lambda };
}

mod fake {
    use super::*;

    against_fake! {
        import_openapi3: api,
        import_swagger2: api,
        import_basepath_modes: api,
        put_overwrite_replaces: api,
        put_merge_keeps_others: api,
        fail_on_warnings: api,
        get_rest_api_not_found: api,
        create_deployment: api,
        resources_per_api_quota: api,
        definition_size_limit: api,
        create_and_get_function: lambda,
        duplicate_function_conflict: lambda,
        list_functions_pagination: lambda,
        invalid_function_input: lambda,
        permissions_and_policy: lambda,
        integration_rules: api,
        merge_sibling_variables: api,
        policy_limits: lambda,
    }

    #[tokio::test]
    async fn run_all_passes_every_check_on_one_account() {
        let aws = FakeAws::default();
        let outcomes = conformance::run_all(&aws, &aws, &fake_target()).await;
        assert_eq!(outcomes.len(), conformance::CHECKS.len());
        for ((name, outcome), expected) in outcomes.iter().zip(conformance::CHECKS) {
            assert_eq!(name, expected);
            assert_eq!(outcome, &Outcome::Passed, "{name}");
        }
    }

    #[tokio::test]
    async fn a_raised_quota_is_the_one_enforced() {
        let aws = FakeAws::default().with_resources_per_api(40);
        let target = fake_target().with_resources_per_api(40);
        assert_eq!(
            conformance::resources_per_api_quota(&aws, &target).await,
            Outcome::Passed
        );
    }

    #[tokio::test]
    async fn the_fake_passes_even_when_the_moto_quirks_are_allowed() {
        // Quirks only excuse differences; the fake has none, so nothing is "not supported".
        let aws = FakeAws::default();
        let target = fake_target().with_quirks(Quirks::moto());
        for (name, outcome) in conformance::run_all(&aws, &aws, &target).await {
            assert_eq!(outcome, Outcome::Passed, "{name}");
        }
    }
}

#[cfg(feature = "sdk")]
#[tokio::test(flavor = "multi_thread")]
async fn real_backend_conformance() {
    use lambda_sync_aws::{SdkAws, SdkOptions};

    let Some(endpoint) =
        crate::env_or_skip("LAMBDA_SYNC_TEST_ENDPOINT", "scripts/with-moto.sh sets it")
    else {
        return;
    };
    let region =
        std::env::var("LAMBDA_SYNC_TEST_REGION").unwrap_or_else(|_| "us-east-1".to_string());
    let role = std::env::var("LAMBDA_SYNC_TEST_ROLE")
        .expect("LAMBDA_SYNC_TEST_ROLE must name an IAM role the endpoint accepts");
    let quirks = match std::env::var("LAMBDA_SYNC_TEST_QUIRKS").as_deref() {
        Ok("none") => Quirks::none(),
        _ => Quirks::moto(),
    };
    let aws = SdkAws::from_env(
        SdkOptions::default()
            .with_region(region)
            .with_endpoint_url(&endpoint)
            .with_retries(false),
    )
    .await
    .expect("SDK configuration");
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let target = ConformanceTarget::new(role, format!("ls{stamp}")).with_quirks(quirks);
    report(&format!("real-backend conformance run against {endpoint}"));
    let mut passed = 0;
    let mut not_supported = 0;
    for (name, outcome) in conformance::run_all(&aws, &aws, &target).await {
        match outcome {
            Outcome::Passed => {
                passed += 1;
                report(&format!("conformance: {name}: passed"));
            }
            Outcome::NotSupported { reason } => {
                not_supported += 1;
                report(&format!("NOT SUPPORTED BY THE EMULATOR: {name}: {reason}"));
            }
        }
    }
    report(&format!(
        "real-backend conformance: {passed} checks passed, {not_supported} not supported by the emulator"
    ));
}

/// Without the `sdk` feature there is no real backend: the suite cannot run, which is a failure
/// when an endpoint is given or CI requires one.
#[cfg(not(feature = "sdk"))]
#[test]
fn real_backend_conformance() {
    if crate::env_or_skip("LAMBDA_SYNC_TEST_ENDPOINT", "scripts/with-moto.sh sets it").is_some() {
        panic!(
            "LAMBDA_SYNC_TEST_ENDPOINT is set, but this build has no `sdk` feature, so the \
             real-backend conformance suite cannot run: test with the default features"
        );
    }
}
