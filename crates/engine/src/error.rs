//! The engine's errors.

use lambda_sync_spec::Diagnostic;
use std::path::PathBuf;

/// What went wrong in a sync.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration value is wrong; `key` names it (empty when the file itself is bad).
    #[error("{}{message}", if key.is_empty() { String::new() } else { format!("config `{key}`: ") })]
    Config {
        /// The key at fault.
        key: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The definition could not be loaded.
    #[error(transparent)]
    Spec(#[from] lambda_sync_spec::Error),
    /// The definition has errors that API Gateway would refuse; nothing was sent.
    #[error("the definition has {} error(s) that API Gateway would refuse; nothing was sent:\n{}", diagnostics.len(), diagnostics.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n"))]
    Definition {
        /// The errors.
        diagnostics: Vec<Diagnostic>,
    },
    /// Binding operations to functions failed (bad region, account, template, ...).
    #[error(transparent)]
    Integration(#[from] lambda_sync_integration::Error),
    /// A stub could not be generated.
    #[error(transparent)]
    Stubs(#[from] lambda_sync_stubs::Error),
    /// The API named by `api_id` / `x-aws-api-id` does not exist.
    #[error(
        "REST API `{api_id}` does not exist in {region}; remove `api_id` (or `x-aws-api-id`) to create a new API, or fix the id"
    )]
    ApiNotFound {
        /// The id.
        api_id: String,
        /// The region.
        region: String,
    },
    /// Functions must be created but no execution role is configured.
    #[error(
        "{count} function(s) must be created ({names}) but no execution role is configured: set `execution_role` to a role ARN"
    )]
    NoExecutionRole {
        /// How many.
        count: usize,
        /// Some of their names.
        names: String,
    },
    /// An AWS call failed.
    #[error("{step}: {source}")]
    Aws {
        /// What was being done.
        step: String,
        /// The error.
        #[source]
        source: lambda_sync_aws::Error,
    },
    /// The body is over API Gateway's size limit even without documentation; nothing was sent.
    #[error(
        "the body for API Gateway is {bytes} bytes, {} over its limit of {limit} bytes (6 MB, not adjustable), even without descriptions, examples and unused models; nothing was sent. The largest parts: {}. Split the definition into several APIs (or switch operations off with `x-disabled-for-amazon-gateway`)",
        bytes - limit,
        largest.iter().map(|(p, n)| format!("{p} ({n} bytes)")).collect::<Vec<_>>().join(", ")
    )]
    BodyTooLarge {
        /// The size of the slim body (compact JSON).
        bytes: usize,
        /// The limit.
        limit: usize,
        /// The largest parts, by JSON Pointer, with their sizes.
        largest: Vec<(String, usize)>,
    },
    /// The definition needs more resources than the account's quota; nothing was sent.
    #[error(
        "the definition needs {count} API Gateway resources (every path and each of its prefixes, with the basepath mode applied), more than the quota of {quota} \"Resources per API\"; nothing was sent. Ask for more in Service Quotas (API Gateway, \"Resources per API\"), then set `[quotas] resources_per_api = N` in lambda-sync.toml"
    )]
    TooManyResources {
        /// Resources the definition needs.
        count: usize,
        /// The configured quota.
        quota: usize,
    },
    /// The desired state cannot be exported as a template (a CloudFormation limit, or a
    /// definition CloudFormation would misread); the message says how to fix it.
    #[error("export: {message}")]
    Export {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The state directory could not be read or written.
    #[error("{}: {message}", path.display())]
    State {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
