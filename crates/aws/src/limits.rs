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

/// The largest resource-based policy of a Lambda function: "Function resource-based policy:
/// 20 KB" (Lambda quotas, not adjustable). Past it, `AddPermission` answers
/// `PolicyLengthExceededException`.
pub const MAX_FUNCTION_POLICY_BYTES: usize = 20 * 1024;

/// `ImportRestApi` for an edge-optimized API: "1 request every 30 seconds per account" (API
/// Gateway quotas, "API Gateway quotas for configuring and running a REST API").
pub const IMPORT_REST_API_EDGE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);

/// `ImportRestApi` for a regional or private API: "1 request every 3 seconds per account"
/// (API Gateway quotas).
pub const IMPORT_REST_API_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3);

/// `PutRestApi`: "1 request per second per account" (API Gateway quotas).
pub const PUT_REST_API_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// `CreateDeployment`: "1 request every 5 seconds per account" (API Gateway quotas).
pub const CREATE_DEPLOYMENT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// Lambda's control-plane API: "Control plane API request rate (excludes invocation,
/// GetFunction and GetPolicy requests): 15 requests per second" (Lambda quotas).
pub const LAMBDA_CONTROL_PLANE_PER_SECOND: u32 = 15;

/// Other API Gateway reads (`GetRestApi`, `GetResources`, ...): "10 requests per second per
/// account" for the management API's other operations (API Gateway quotas).
pub const GATEWAY_READS_PER_SECOND: u32 = 10;

/// The shortest integration timeout: "Integration timeout: 50 milliseconds - 29 seconds for
/// all integration types" (API Gateway quotas); `timeoutInMillis` below it is refused.
pub const MIN_INTEGRATION_TIMEOUT_MS: u64 = 50;

/// The longest default integration timeout (29 seconds, same quota; raising it needs a quota
/// increase for regional and private APIs, which the fake does not model).
pub const MAX_INTEGRATION_TIMEOUT_MS: u64 = 29_000;
