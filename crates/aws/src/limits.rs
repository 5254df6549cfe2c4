//! AWS's documented limits and quotas, in one place.
//!
//! The fake enforces each of them with AWS's error code and message, the engine's planner
//! checks them before any call, and the conformance suite proves both. Each constant names the
//! AWS document it comes from.

/// The largest OpenAPI body `ImportRestApi` and `PutRestApi` accept: "API definition file
/// size: 6 MB" (API Gateway quotas, not adjustable).
pub const MAX_API_DEFINITION_BYTES: usize = 6 * 1024 * 1024;

/// API Gateway's default quota of resources per REST API ("Resources per API", adjustable in
/// Service Quotas).
pub const DEFAULT_RESOURCES_PER_API: usize = 300;

/// The error code API Gateway answers when a quota such as "Resources per API" is reached
/// (HTTP 429, like throttling, but retrying does not help).
pub const QUOTA_EXCEEDED_CODE: &str = "LimitExceededException";

/// API Gateway's message when an import or put needs more resources than the "Resources per
/// API" quota (as reported by AWS users, e.g. boto/boto3#1296).
pub const RESOURCES_QUOTA_MESSAGE: &str = "Maximum number of Resources for this API has been reached. Please contact AWS if you need additional Resources.";
