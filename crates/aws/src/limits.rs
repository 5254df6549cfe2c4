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
/// The error code API Gateway answers when a quota such as "Resources per API" is reached
/// (HTTP 429, like throttling, but retrying does not help).
pub const QUOTA_EXCEEDED_CODE: &str = "LimitExceededException";

/// API Gateway's message when an import or put needs more resources than the "Resources per
/// API" quota (as reported by AWS users, e.g. boto/boto3#1296).
pub const RESOURCES_QUOTA_MESSAGE: &str = "Maximum number of Resources for this API has been reached. Please contact AWS if you need additional Resources.";
/// The largest template CloudFormation accepts inline in a request (`TemplateBody` of
/// `CreateStack`, `UpdateStack`, `CreateChangeSet`, `ValidateTemplate`): "Template body size
/// in a request: 51,200 bytes" (CloudFormation quotas, not adjustable). Larger templates go
/// through S3, which `aws cloudformation package` / `deploy --s3-bucket` and `sam deploy` do.
pub const MAX_TEMPLATE_BODY_BYTES: usize = 51_200;

/// The largest template CloudFormation reads from S3, and the largest *processed* template
/// (after transforms such as `AWS::Include` have inserted their files): "Template body size in
/// an Amazon S3 object: 1 MB" (CloudFormation quotas; "Troubleshoot the processed template").
pub const MAX_TEMPLATE_S3_BYTES: usize = 1024 * 1024;

/// The most resources one CloudFormation template declares: "Resources: 500 per template"
/// (CloudFormation quotas). More go into nested stacks.
pub const MAX_TEMPLATE_RESOURCES: usize = 500;

/// The longest logical id of a template resource: "Logical ID ... must be alphanumeric
/// (A-Za-z0-9) and unique within the template"; "Resource name: 255 characters"
/// (CloudFormation quotas and the Resources section reference).
pub const MAX_LOGICAL_ID_CHARS: usize = 255;
