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

/// The largest resource-based policy of a Lambda function: "Function resource-based policy:
/// 20 KB" (Lambda quotas, not adjustable). Each `AddPermission` statement counts towards it.
pub const MAX_FUNCTION_POLICY_BYTES: usize = 20 * 1024;
