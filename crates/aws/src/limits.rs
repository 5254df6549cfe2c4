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

/// The memory setting of a Lambda function created without one: 128 MB ("Memory: 128 MB to
/// 10,240 MB", default 128 MB; Lambda quotas, and `MemorySize` in the `CreateFunction` API
/// reference).
pub const LAMBDA_DEFAULT_MEMORY_MB: u32 = 128;

/// The largest response of a synchronous Lambda invocation: "Invocation payload (request and
/// response): 6 MB each for request and response (synchronous)" (Lambda quotas). A larger
/// result fails with `Function.ResponseSizeTooLarge`, "Response payload size exceeded maximum
/// allowed payload size (6291556 bytes)."
pub const LAMBDA_SYNC_PAYLOAD_MAX_BYTES: usize = 6_291_556;

/// How long Lambda lets a function's init phase (starting the runtime, loading the handler
/// module) run: "The Init phase is limited to 10 seconds" (Lambda execution environment
/// lifecycle). It is not counted in the function's timeout.
pub const LAMBDA_INIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
