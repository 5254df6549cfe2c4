//! Integration tests of lambda-sync-compat (one test binary).

mod fixtures;
mod generated;
mod lint_rules;
mod real_specs;
mod slim;
mod support;
mod transform_cases;
