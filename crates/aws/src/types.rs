//! Plain data exchanged with the backends: requests and what the services answer.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// How API Gateway treats the definition's base path (`basePath` in Swagger 2.0, the path of
/// `servers[0].url` in OpenAPI 3.0) on import: the `basepath` import parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BasePathMode {
    /// The base path is ignored: `/a/b/c` + `/e` gives `/e`.
    #[default]
    Ignore,
    /// The base path is prepended to every path: `/a/b/c` + `/e` gives `/a/b/c/e`.
    Prepend,
    /// The first segment of the base path (taken as the stage) is removed and the rest is
    /// prepended: `/a/b/c` + `/e` gives `/b/c/e`.
    Split,
}

impl BasePathMode {
    /// The value of the `basepath` import parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            BasePathMode::Ignore => "ignore",
            BasePathMode::Prepend => "prepend",
            BasePathMode::Split => "split",
        }
    }
}

/// The endpoint type of a REST API (`endpointConfigurationTypes` on import).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum EndpointType {
    /// Edge-optimized (AWS's default): served through CloudFront.
    #[default]
    #[serde(alias = "edge")]
    Edge,
    /// Regional.
    #[serde(alias = "regional")]
    Regional,
    /// Private (reachable only from a VPC endpoint).
    #[serde(alias = "private")]
    Private,
}

impl EndpointType {
    /// The value of the `endpointConfigurationTypes` import parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointType::Edge => "EDGE",
            EndpointType::Regional => "REGIONAL",
            EndpointType::Private => "PRIVATE",
        }
    }

    /// The documented interval between two `ImportRestApi` calls for an API of this type
    /// ([`crate::limits::IMPORT_REST_API_EDGE_INTERVAL`] for edge-optimized APIs,
    /// [`crate::limits::IMPORT_REST_API_INTERVAL`] otherwise).
    pub fn import_interval(self) -> std::time::Duration {
        match self {
            EndpointType::Edge => crate::limits::IMPORT_REST_API_EDGE_INTERVAL,
            EndpointType::Regional | EndpointType::Private => {
                crate::limits::IMPORT_REST_API_INTERVAL
            }
        }
    }
}

/// How `PutRestApi` combines the new definition with the API's current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PutMode {
    /// New resources and methods are added; on a conflict the incoming definition wins; the
    /// rest of the existing API is left as it is.
    Merge,
    /// The API's resources are replaced by the definition's.
    #[default]
    Overwrite,
}

impl PutMode {
    /// The value of the `mode` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            PutMode::Merge => "merge",
            PutMode::Overwrite => "overwrite",
        }
    }
}

struct Bytes<'a>(&'a [u8]);

impl fmt::Debug for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// A request to create a new REST API from an OpenAPI definition (`ImportRestApi`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRestApi {
    /// The OpenAPI 2.0 or 3.0 definition, JSON or YAML.
    pub body: Vec<u8>,
    /// How the base path is treated.
    pub basepath: BasePathMode,
    /// Whether any import warning fails the import (and nothing is created).
    pub fail_on_warnings: bool,
    /// The endpoint type of the new API.
    #[serde(default)]
    pub endpoint_type: EndpointType,
}

impl ImportRestApi {
    /// An import of `body` with base path `ignore`, warnings allowed, an edge-optimized
    /// endpoint.
    pub fn new(body: impl Into<Vec<u8>>) -> Self {
        ImportRestApi {
            body: body.into(),
            basepath: BasePathMode::default(),
            fail_on_warnings: false,
            endpoint_type: EndpointType::default(),
        }
    }

    /// Sets the endpoint type.
    pub fn with_endpoint_type(mut self, endpoint_type: EndpointType) -> Self {
        self.endpoint_type = endpoint_type;
        self
    }

    /// Sets the base path mode.
    pub fn with_basepath(mut self, basepath: BasePathMode) -> Self {
        self.basepath = basepath;
        self
    }

    /// Sets whether warnings fail the import.
    pub fn with_fail_on_warnings(mut self, fail: bool) -> Self {
        self.fail_on_warnings = fail;
        self
    }
}

impl fmt::Debug for ImportRestApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportRestApi")
            .field("body", &Bytes(&self.body))
            .field("basepath", &self.basepath)
            .field("endpoint_type", &self.endpoint_type)
            .field("fail_on_warnings", &self.fail_on_warnings)
            .finish()
    }
}

/// A request to update an existing REST API from an OpenAPI definition (`PutRestApi`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct PutRestApi {
    /// The API to update.
    pub api_id: String,
    /// Merge into or overwrite the current definition.
    pub mode: PutMode,
    /// The OpenAPI 2.0 or 3.0 definition, JSON or YAML.
    pub body: Vec<u8>,
    /// How the base path is treated.
    pub basepath: BasePathMode,
    /// Whether any import warning fails the update (and nothing is changed).
    pub fail_on_warnings: bool,
}

impl PutRestApi {
    /// An `overwrite` of API `api_id` with `body`, base path `ignore`, warnings allowed.
    pub fn new(api_id: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        PutRestApi {
            api_id: api_id.into(),
            mode: PutMode::default(),
            body: body.into(),
            basepath: BasePathMode::default(),
            fail_on_warnings: false,
        }
    }

    /// Sets the put mode.
    pub fn with_mode(mut self, mode: PutMode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the base path mode.
    pub fn with_basepath(mut self, basepath: BasePathMode) -> Self {
        self.basepath = basepath;
        self
    }

    /// Sets whether warnings fail the update.
    pub fn with_fail_on_warnings(mut self, fail: bool) -> Self {
        self.fail_on_warnings = fail;
        self
    }
}

impl fmt::Debug for PutRestApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PutRestApi")
            .field("api_id", &self.api_id)
            .field("mode", &self.mode)
            .field("body", &Bytes(&self.body))
            .field("basepath", &self.basepath)
            .field("fail_on_warnings", &self.fail_on_warnings)
            .finish()
    }
}

/// A REST API as API Gateway describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestApi {
    /// The API id (10 lowercase alphanumeric characters on AWS).
    pub id: String,
    /// The name (`info.title` of the imported definition).
    pub name: String,
    /// The description (`info.description`).
    pub description: Option<String>,
    /// The version (`info.version`).
    pub version: Option<String>,
    /// Warnings of the import or put that returned this value (empty otherwise).
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// One resource (path) of a REST API with its methods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// The resource id.
    pub id: String,
    /// The parent resource's id; `None` for the root `/`.
    pub parent_id: Option<String>,
    /// The full path, such as `/pets/{id}`.
    pub path: String,
    /// The last segment of the path; `None` for the root.
    pub path_part: Option<String>,
    /// Methods by HTTP method (`GET`, `POST`, ..., `ANY`).
    #[serde(default)]
    pub methods: BTreeMap<String, GatewayMethod>,
}

/// One method of a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatewayMethod {
    /// The HTTP method (`GET`, ..., `ANY`).
    pub http_method: String,
    /// The operation name (the definition's `operationId`).
    pub operation_name: Option<String>,
    /// Request parameters (`method.request.querystring.NAME`, ...) and whether each is required.
    #[serde(default)]
    pub request_parameters: BTreeMap<String, bool>,
    /// The method response status codes, sorted.
    #[serde(default)]
    pub method_responses: Vec<String>,
    /// The integration, if one is set.
    pub integration: Option<Integration>,
}

/// The integration of a method (`x-amazon-apigateway-integration`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Integration {
    /// `AWS`, `AWS_PROXY`, `HTTP`, `HTTP_PROXY` or `MOCK`.
    pub integration_type: String,
    /// The integration URI (for Lambda, the function's invocation ARN).
    pub uri: Option<String>,
    /// The HTTP method used to call the backend (`POST` for Lambda).
    pub http_method: Option<String>,
    /// `WHEN_NO_MATCH`, `WHEN_NO_TEMPLATES` or `NEVER`.
    pub passthrough_behavior: Option<String>,
    /// Request mapping templates by content type.
    #[serde(default)]
    pub request_templates: BTreeMap<String, String>,
    /// Integration responses by status code.
    #[serde(default)]
    pub integration_responses: BTreeMap<String, IntegrationResponse>,
}

/// One integration response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrationResponse {
    /// The method response status code it maps to.
    pub status_code: String,
    /// The selection pattern (regular expression on the backend error); `None` for the default.
    pub selection_pattern: Option<String>,
    /// Response mapping templates by content type.
    #[serde(default)]
    pub response_templates: BTreeMap<String, String>,
}

/// A deployment of a REST API to a stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// The deployment id.
    pub id: String,
    /// The stage it was deployed to.
    pub stage: String,
}

/// A request to create a Lambda function from a zip package (`CreateFunction`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateFunction {
    /// The function name (`[A-Za-z0-9_-]{1,64}`).
    pub name: String,
    /// The execution role ARN (`arn:aws:iam::123456789012:role/NAME`).
    pub role: String,
    /// The runtime identifier (`nodejs22.x`, `python3.13`, ...).
    pub runtime: String,
    /// The handler (`index.handler`, `lambda_function.lambda_handler`, ...).
    pub handler: String,
    /// The description.
    pub description: Option<String>,
    /// The deployment package (a zip file).
    pub zip: Vec<u8>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Timeout in seconds (1..=900); the service default (3) when `None`.
    pub timeout_seconds: Option<u32>,
    /// Memory in MB (128..=10240); the service default (128) when `None`.
    pub memory_mb: Option<u32>,
}

impl CreateFunction {
    /// A function with no description, no tags and the service's default timeout and memory.
    pub fn new(
        name: impl Into<String>,
        role: impl Into<String>,
        runtime: impl Into<String>,
        handler: impl Into<String>,
        zip: impl Into<Vec<u8>>,
    ) -> Self {
        CreateFunction {
            name: name.into(),
            role: role.into(),
            runtime: runtime.into(),
            handler: handler.into(),
            description: None,
            zip: zip.into(),
            tags: BTreeMap::new(),
            timeout_seconds: None,
            memory_mb: None,
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds a tag.
    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Sets the timeout in seconds.
    pub fn with_timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }

    /// Sets the memory size in MB.
    pub fn with_memory_mb(mut self, mb: u32) -> Self {
        self.memory_mb = Some(mb);
        self
    }
}

impl fmt::Debug for CreateFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateFunction")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("runtime", &self.runtime)
            .field("handler", &self.handler)
            .field("description", &self.description)
            .field("zip", &Bytes(&self.zip))
            .field("tags", &self.tags)
            .field("timeout_seconds", &self.timeout_seconds)
            .field("memory_mb", &self.memory_mb)
            .finish()
    }
}

/// A Lambda function's configuration as the service reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionInfo {
    /// The function name.
    pub name: String,
    /// The function ARN.
    pub arn: String,
    /// The runtime.
    pub runtime: Option<String>,
    /// The handler.
    pub handler: Option<String>,
    /// The execution role ARN.
    pub role: Option<String>,
    /// Base64 of the SHA-256 of the deployment package.
    pub code_sha256: Option<String>,
    /// Size of the deployment package in bytes.
    pub code_size: Option<u64>,
    /// The description.
    pub description: Option<String>,
}

/// One page of `ListFunctions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionPage {
    /// The functions on this page.
    pub functions: Vec<FunctionInfo>,
    /// The marker of the next page; `None` on the last page.
    pub next_marker: Option<String>,
}

/// A request to add a statement to a function's resource policy (`AddPermission`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddPermission {
    /// The function name or ARN.
    pub function_name: String,
    /// The statement id, unique within the policy.
    pub statement_id: String,
    /// The action, normally `lambda:InvokeFunction`.
    pub action: String,
    /// The principal, normally `apigateway.amazonaws.com`.
    pub principal: String,
    /// The source ARN the permission is restricted to (for API Gateway,
    /// `arn:aws:execute-api:REGION:ACCOUNT:API_ID/*/METHOD/PATH`).
    pub source_arn: Option<String>,
}

impl AddPermission {
    /// Allows API Gateway (`apigateway.amazonaws.com`) to invoke (`lambda:InvokeFunction`)
    /// the function, from any source until [`AddPermission::with_source_arn`] narrows it.
    pub fn new(function_name: impl Into<String>, statement_id: impl Into<String>) -> Self {
        AddPermission {
            function_name: function_name.into(),
            statement_id: statement_id.into(),
            action: "lambda:InvokeFunction".into(),
            principal: "apigateway.amazonaws.com".into(),
            source_arn: None,
        }
    }

    /// Sets the action.
    pub fn with_action(mut self, action: impl Into<String>) -> Self {
        self.action = action.into();
        self
    }

    /// Sets the principal.
    pub fn with_principal(mut self, principal: impl Into<String>) -> Self {
        self.principal = principal.into();
        self
    }

    /// Restricts the permission to a source ARN.
    pub fn with_source_arn(mut self, source_arn: impl Into<String>) -> Self {
        self.source_arn = Some(source_arn.into());
        self
    }
}

/// One statement of a function's resource policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyStatement {
    /// The statement id.
    pub sid: String,
    /// The action (`lambda:InvokeFunction`).
    pub action: Option<String>,
    /// The principal (service or account).
    pub principal: Option<String>,
    /// The `AWS:SourceArn` condition, if any.
    pub source_arn: Option<String>,
}

impl PolicyStatement {
    /// Reads the statements of a Lambda resource policy document (the JSON `GetPolicy`
    /// returns).
    pub fn parse_policy(document: &str) -> crate::Result<Vec<PolicyStatement>> {
        let value: serde_json::Value = serde_json::from_str(document)
            .map_err(|e| crate::Error::invalid(format!("unreadable policy document: {e}")))?;
        let statements = match value.get("Statement") {
            Some(serde_json::Value::Array(items)) => items.clone(),
            Some(one @ serde_json::Value::Object(_)) => vec![one.clone()],
            _ => Vec::new(),
        };
        Ok(statements.iter().map(statement_from_json).collect())
    }

    /// This statement as it appears in a policy document.
    pub fn to_json(&self, resource: &str) -> serde_json::Value {
        let mut statement = serde_json::json!({
            "Sid": self.sid,
            "Effect": "Allow",
            "Resource": resource,
        });
        if let Some(principal) = &self.principal {
            statement["Principal"] = if principal.ends_with(".amazonaws.com") {
                serde_json::json!({ "Service": principal })
            } else {
                serde_json::json!({ "AWS": principal })
            };
        }
        if let Some(action) = &self.action {
            statement["Action"] = serde_json::json!(action);
        }
        if let Some(arn) = &self.source_arn {
            statement["Condition"] = serde_json::json!({ "ArnLike": { "AWS:SourceArn": arn } });
        }
        statement
    }
}

/// The length in bytes of a function's resource policy document as Lambda stores it
/// (`{"Version":"2012-10-17","Id":"default","Statement":[...]}`, compact JSON), the measure of
/// [`crate::limits::MAX_FUNCTION_POLICY_BYTES`].
///
/// ```
/// use lambda_sync_aws::{PolicyStatement, policy_document_len};
/// let arn = "arn:aws:lambda:us-east-1:123456789012:function:f";
/// let one = PolicyStatement {
///     sid: "s1".into(),
///     action: Some("lambda:InvokeFunction".into()),
///     principal: Some("apigateway.amazonaws.com".into()),
///     source_arn: Some("arn:aws:execute-api:us-east-1:123456789012:abcdefghij/*/GET/pets".into()),
/// };
/// let two = vec![one.clone(), PolicyStatement { sid: "s2".into(), ..one.clone() }];
/// assert!(policy_document_len(arn, &two) > policy_document_len(arn, &[one]));
/// ```
pub fn policy_document_len(function_arn: &str, statements: &[PolicyStatement]) -> usize {
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Id": "default",
        "Statement": statements.iter().map(|s| s.to_json(function_arn)).collect::<Vec<_>>(),
    });
    serde_json::to_vec(&doc)
        .map(|v| v.len())
        .unwrap_or(usize::MAX)
}

fn first_string(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(items) => items.iter().find_map(|v| first_string(Some(v))),
        serde_json::Value::Object(map) => map.values().find_map(|v| first_string(Some(v))),
        _ => None,
    }
}

fn statement_from_json(statement: &serde_json::Value) -> PolicyStatement {
    let source_arn = statement
        .get("Condition")
        .and_then(|c| c.as_object())
        .and_then(|conditions| {
            conditions.values().find_map(|operator| {
                operator.as_object().and_then(|keys| {
                    keys.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("AWS:SourceArn"))
                        .and_then(|(_, v)| first_string(Some(v)))
                })
            })
        });
    PolicyStatement {
        sid: statement
            .get("Sid")
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        action: first_string(statement.get("Action")),
        principal: first_string(statement.get("Principal")),
        source_arn,
    }
}
