//! The real backend over aws-sdk-apigateway and aws-sdk-lambda.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use aws_sdk_apigateway::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_apigateway::primitives::Blob;

use crate::{
    AddPermission, ApiGateway, CreateFunction, Deployment, Error, FunctionInfo, FunctionPage,
    GatewayMethod, ImportRestApi, Integration, IntegrationResponse, Lambda, PolicyStatement,
    PutMode, PutRestApi, Resource, RestApi, Result,
};

/// How to configure [`SdkAws`]: everything not set here comes from the standard AWS chain
/// (environment, shared config and credentials files, SSO, instance metadata).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkOptions {
    /// The region (`us-east-1`, ...); from the chain when `None`.
    pub region: Option<String>,
    /// The named profile of the shared config files; the default profile when `None`.
    pub profile: Option<String>,
    /// An endpoint URL for both services (for an emulator such as moto on loopback).
    pub endpoint_url: Option<String>,
    /// Whether the SDK retries throttled and transient failures itself (its standard mode).
    /// Off by default: retries are the caller's policy (see [`Error::is_retryable`]).
    pub retries: bool,
}

impl Default for SdkOptions {
    /// Everything from the standard chain, SDK retries off.
    fn default() -> Self {
        SdkOptions {
            region: None,
            profile: None,
            endpoint_url: None,
            retries: false,
        }
    }
}

impl SdkOptions {
    /// Sets the region.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the profile.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Sets the endpoint URL.
    pub fn with_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Turns the SDK's own retries on or off.
    pub fn with_retries(mut self, retries: bool) -> Self {
        self.retries = retries;
        self
    }
}

/// Explicit credentials, for [`SdkAws::from_env_with_credentials`]. The secret parts never
/// appear in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticCredentials {
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
}

impl StaticCredentials {
    /// Long-term credentials (no session token).
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        StaticCredentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// Adds a session token.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }
}

impl fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// [`ApiGateway`] and [`Lambda`] over the AWS SDK for Rust.
///
/// ```no_run
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
/// use lambda_sync_aws::{ApiGateway, SdkAws, SdkOptions};
/// let aws = SdkAws::from_env(SdkOptions::default().with_region("eu-west-1")).await?;
/// for api in aws.list_rest_apis().await? {
///     println!("{} {}", api.id, api.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SdkAws {
    apigateway: aws_sdk_apigateway::Client,
    lambda: aws_sdk_lambda::Client,
    region: Option<String>,
    endpoint_url: Option<String>,
}

impl fmt::Debug for SdkAws {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkAws")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .finish_non_exhaustive()
    }
}

impl SdkAws {
    /// Loads the configuration from the standard chain, with `options` on top.
    /// [`Error::InvalidInput`] when no region can be found.
    pub async fn from_env(options: SdkOptions) -> Result<SdkAws> {
        SdkAws::load(options, None).await
    }

    /// As [`SdkAws::from_env`], with explicit credentials instead of the chain's.
    pub async fn from_env_with_credentials(
        options: SdkOptions,
        credentials: StaticCredentials,
    ) -> Result<SdkAws> {
        SdkAws::load(options, Some(credentials)).await
    }

    async fn load(options: SdkOptions, credentials: Option<StaticCredentials>) -> Result<SdkAws> {
        let explicit_credentials = credentials.is_some();
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(region) = &options.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader = loader.retry_config(if options.retries {
            aws_config::retry::RetryConfig::standard()
        } else {
            aws_config::retry::RetryConfig::disabled()
        });
        if let Some(c) = credentials {
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                c.access_key_id,
                c.secret_access_key,
                c.session_token,
                None,
                "lambda-sync",
            ));
        }
        let config = loader.load().await;
        if config.region().is_none() {
            return Err(Error::invalid(
                "no AWS region configured: set one in the options, AWS_REGION or the profile",
            ));
        }
        if !explicit_credentials {
            check_credentials(&config, options.profile.as_deref()).await?;
        }
        let mut aws = SdkAws::from_config(&config);
        aws.endpoint_url = options.endpoint_url;
        Ok(aws)
    }

    /// Both clients from an already loaded SDK configuration.
    pub fn from_config(config: &aws_config::SdkConfig) -> SdkAws {
        SdkAws {
            apigateway: aws_sdk_apigateway::Client::new(config),
            lambda: aws_sdk_lambda::Client::new(config),
            region: config.region().map(|r| r.to_string()),
            endpoint_url: config.endpoint_url().map(str::to_string),
        }
    }

    /// The region requests go to.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}

/// How long the credential chain may take before lambda-sync gives up on it: the chain ends
/// with the instance metadata service, which on a machine that is not in AWS only times out.
pub const CREDENTIALS_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(900);

/// Resolves the chain's credentials once, before any call: missing or expired credentials are
/// an [`Error::Credentials`] naming the chain tried and the fix, within
/// [`CREDENTIALS_TIMEOUT`], instead of a failed (and retried) first call.
async fn check_credentials(config: &aws_config::SdkConfig, profile: Option<&str>) -> Result<()> {
    use aws_credential_types::provider::ProvideCredentials;
    let profile = profile
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".into());
    let chain = format!(
        "environment (AWS_ACCESS_KEY_ID), profile `{profile}` (~/.aws/config, ~/.aws/credentials, SSO), web identity, container and instance metadata"
    );
    let fix = format!(
        "fix: `aws sso login --profile {profile}` or `aws configure --profile {profile}`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (--profile picks a profile)"
    );
    let Some(provider) = config.credentials_provider() else {
        return Err(Error::Credentials {
            message: format!("no AWS credentials provider is configured (tried: {chain})\n{fix}"),
        });
    };
    let resolved = tokio::time::timeout(CREDENTIALS_TIMEOUT, provider.provide_credentials()).await;
    let credentials = match resolved {
        Err(_) => {
            return Err(Error::Credentials {
                message: format!(
                    "no AWS credentials found within {} ms (tried: {chain})\n{fix}",
                    CREDENTIALS_TIMEOUT.as_millis()
                ),
            });
        }
        Ok(Err(_)) => {
            // Not the chain's error: it names only the last provider tried, and its debug form
            // is kilobytes long.
            return Err(Error::Credentials {
                message: format!("no AWS credentials found (tried: {chain})\n{fix}"),
            });
        }
        Ok(Ok(c)) => c,
    };
    if let Some(expiry) = credentials.expiry()
        && expiry <= std::time::SystemTime::now()
    {
        return Err(Error::Credentials {
            message: format!(
                "the AWS credentials of profile `{profile}` (or the environment) have expired (tried: {chain})\n{fix}"
            ),
        });
    }
    Ok(())
}

const NOT_FOUND: &[&str] = &["NotFoundException", "ResourceNotFoundException"];
const CONFLICT: &[&str] = &["ConflictException", "ResourceConflictException"];
const THROTTLED: &[&str] = &[
    "TooManyRequestsException",
    "ThrottlingException",
    "Throttling",
    "LimitExceededException",
    "RequestLimitExceeded",
];
const INVALID: &[&str] = &[
    "BadRequestException",
    "InvalidParameterValueException",
    "ValidationException",
    "InvalidRequestContentException",
    "RequestTooLargeException",
    "PolicyLengthExceededException",
];
const DENIED: &[&str] = &[
    "AccessDeniedException",
    "AccessDenied",
    "UnauthorizedException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "MissingAuthenticationTokenException",
    "IncompleteSignature",
];

/// Maps an error code (and, when there is none, the HTTP status) to an [`Error`].
pub(crate) fn error_from_code(code: Option<&str>, status: Option<u16>, message: String) -> Error {
    let code = code.filter(|c| !c.is_empty());
    let by_code = |list: &[&str]| code.is_some_and(|c| list.contains(&c));
    if code == Some(crate::limits::QUOTA_EXCEEDED_CODE) && message.contains("Maximum number") {
        // A quota, not a rate: sending again does not help.
        Error::Service {
            code: crate::limits::QUOTA_EXCEEDED_CODE.to_string(),
            message,
        }
    } else if by_code(NOT_FOUND) {
        Error::NotFound { what: message }
    } else if by_code(CONFLICT) {
        Error::Conflict { message }
    } else if by_code(THROTTLED) {
        Error::Throttled { message }
    } else if by_code(INVALID) {
        Error::InvalidInput { message }
    } else if by_code(DENIED) {
        Error::AccessDenied { message }
    } else if let Some(code) = code {
        Error::Service {
            code: code.to_string(),
            message,
        }
    } else {
        match status {
            Some(404) => Error::NotFound { what: message },
            Some(409) => Error::Conflict { message },
            Some(429) => Error::Throttled { message },
            Some(400) => Error::InvalidInput { message },
            Some(401 | 403) => Error::AccessDenied { message },
            Some(s) => Error::Service {
                code: format!("http-{s}"),
                message,
            },
            None => Error::Service {
                code: "Unknown".to_string(),
                message,
            },
        }
    }
}

/// GETs a presigned URL (a function's code location) over HTTPS with the operating system's
/// roots: hyper-util's client with hyper-rustls, the stack the SDK's own HTTP client is built
/// on (no new crate in the build).
async fn download(url: &str) -> Result<Vec<u8>> {
    use http_body_util::{BodyExt, Empty};
    let transport = |message: String| Error::Transport {
        message: format!("downloading the function's code: {message}"),
    };
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)
        .map_err(|e| transport(e.to_string()))?
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, Empty<bytes::Bytes>>(https);
    let uri: hyper::Uri = url.parse().map_err(|e| transport(format!("{e}")))?;
    let response = client
        .get(uri)
        .await
        .map_err(|e| transport(e.to_string()))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| transport(e.to_string()))?
        .to_bytes();
    if !status.is_success() {
        return Err(Error::Service {
            code: format!("http-{}", status.as_u16()),
            message: format!(
                "downloading the function's code: {}",
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(300)
                    .collect::<String>()
            ),
        });
    }
    Ok(body.to_vec())
}

fn map_err<E>(err: SdkError<E>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let status = service.raw().status().as_u16();
            let message = e
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| DisplayErrorContext(e).to_string());
            error_from_code(e.code(), Some(status), message)
        }
        SdkError::ConstructionFailure(_) => Error::InvalidInput {
            message: DisplayErrorContext(&err).to_string(),
        },
        _ => Error::Transport {
            message: DisplayErrorContext(&err).to_string(),
        },
    }
}

fn basepath_value(mode: crate::BasePathMode) -> &'static str {
    mode.as_str()
}

fn method_from_sdk(m: &aws_sdk_apigateway::types::Method) -> GatewayMethod {
    let mut method_responses: Vec<String> = m
        .method_responses()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    method_responses.sort();
    let to_btree = |m: Option<&HashMap<String, String>>| -> BTreeMap<String, String> {
        m.map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    let integration = m.method_integration().map(|i| Integration {
        integration_type: i
            .r#type()
            .map(|t| t.as_str().to_ascii_uppercase())
            .unwrap_or_default(),
        uri: i.uri().map(str::to_string),
        http_method: i.http_method().map(str::to_ascii_uppercase),
        // AWS answers these enums in upper case; emulators may echo the input's case.
        passthrough_behavior: i.passthrough_behavior().map(str::to_ascii_uppercase),
        request_templates: to_btree(i.request_templates()),
        integration_responses: i
            .integration_responses()
            .map(|responses| {
                responses
                    .iter()
                    .map(|(status, r)| {
                        (
                            status.clone(),
                            IntegrationResponse {
                                status_code: r.status_code().unwrap_or(status).to_string(),
                                selection_pattern: r
                                    .selection_pattern()
                                    .filter(|p| !p.is_empty())
                                    .map(str::to_string),
                                response_templates: to_btree(r.response_templates()),
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    });
    GatewayMethod {
        http_method: m.http_method().unwrap_or_default().to_string(),
        operation_name: m.operation_name().map(str::to_string),
        request_parameters: m
            .request_parameters()
            .map(|p| p.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default(),
        method_responses,
        integration,
    }
}

#[async_trait::async_trait]
impl ApiGateway for SdkAws {
    async fn import_rest_api(&self, req: ImportRestApi) -> Result<RestApi> {
        let out = self
            .apigateway
            .import_rest_api()
            .body(Blob::new(req.body))
            .fail_on_warnings(req.fail_on_warnings)
            .parameters("basepath", basepath_value(req.basepath))
            .parameters("endpointConfigurationTypes", req.endpoint_type.as_str())
            .send()
            .await
            .map_err(map_err)?;
        Ok(RestApi {
            id: out.id().unwrap_or_default().to_string(),
            name: out.name().unwrap_or_default().to_string(),
            description: out.description().map(str::to_string),
            version: out.version().map(str::to_string),
            warnings: out.warnings().to_vec(),
        })
    }

    async fn put_rest_api(&self, req: PutRestApi) -> Result<RestApi> {
        let mode = match req.mode {
            PutMode::Merge => aws_sdk_apigateway::types::PutMode::Merge,
            PutMode::Overwrite => aws_sdk_apigateway::types::PutMode::Overwrite,
        };
        let out = self
            .apigateway
            .put_rest_api()
            .rest_api_id(&req.api_id)
            .mode(mode)
            .body(Blob::new(req.body))
            .fail_on_warnings(req.fail_on_warnings)
            .parameters("basepath", basepath_value(req.basepath))
            .send()
            .await
            .map_err(map_err)?;
        Ok(RestApi {
            id: out.id().unwrap_or(&req.api_id).to_string(),
            name: out.name().unwrap_or_default().to_string(),
            description: out.description().map(str::to_string),
            version: out.version().map(str::to_string),
            warnings: out.warnings().to_vec(),
        })
    }

    async fn get_rest_api(&self, api_id: &str) -> Result<RestApi> {
        let out = self
            .apigateway
            .get_rest_api()
            .rest_api_id(api_id)
            .send()
            .await
            .map_err(map_err)?;
        Ok(RestApi {
            id: out.id().unwrap_or(api_id).to_string(),
            name: out.name().unwrap_or_default().to_string(),
            description: out.description().map(str::to_string),
            version: out.version().map(str::to_string),
            warnings: out.warnings().to_vec(),
        })
    }

    async fn list_rest_apis(&self) -> Result<Vec<RestApi>> {
        let mut all = Vec::new();
        let mut position: Option<String> = None;
        loop {
            let out = self
                .apigateway
                .get_rest_apis()
                .limit(500)
                .set_position(position.take())
                .send()
                .await
                .map_err(map_err)?;
            let items = out.items();
            all.extend(items.iter().map(|a| RestApi {
                id: a.id().unwrap_or_default().to_string(),
                name: a.name().unwrap_or_default().to_string(),
                description: a.description().map(str::to_string),
                version: a.version().map(str::to_string),
                warnings: Vec::new(),
            }));
            match out.position() {
                Some(p) if !p.is_empty() && !items.is_empty() => position = Some(p.to_string()),
                _ => return Ok(all),
            }
        }
    }

    async fn get_resources(&self, api_id: &str) -> Result<Vec<Resource>> {
        let mut all = Vec::new();
        let mut position: Option<String> = None;
        loop {
            let out = self
                .apigateway
                .get_resources()
                .rest_api_id(api_id)
                .embed("methods")
                .limit(500)
                .set_position(position.take())
                .send()
                .await
                .map_err(map_err)?;
            let items = out.items();
            all.extend(items.iter().map(|r| {
                Resource {
                    id: r.id().unwrap_or_default().to_string(),
                    parent_id: r.parent_id().map(str::to_string),
                    path: r.path().unwrap_or_default().to_string(),
                    path_part: r.path_part().map(str::to_string),
                    methods: r
                        .resource_methods()
                        .map(|m| {
                            m.iter()
                                .map(|(verb, method)| {
                                    let mut method = method_from_sdk(method);
                                    if method.http_method.is_empty() {
                                        method.http_method = verb.clone();
                                    }
                                    (verb.clone(), method)
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            }));
            match out.position() {
                Some(p) if !p.is_empty() && !items.is_empty() => position = Some(p.to_string()),
                _ => break,
            }
        }
        all.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(all)
    }

    async fn create_deployment(
        &self,
        api_id: &str,
        stage: &str,
        description: Option<&str>,
    ) -> Result<Deployment> {
        let out = self
            .apigateway
            .create_deployment()
            .rest_api_id(api_id)
            .stage_name(stage)
            .set_description(description.map(str::to_string))
            .send()
            .await
            .map_err(map_err)?;
        Ok(Deployment {
            id: out.id().unwrap_or_default().to_string(),
            stage: stage.to_string(),
        })
    }
}

fn function_from_sdk(f: &aws_sdk_lambda::types::FunctionConfiguration) -> FunctionInfo {
    FunctionInfo {
        name: f.function_name().unwrap_or_default().to_string(),
        arn: f.function_arn().unwrap_or_default().to_string(),
        runtime: f.runtime().map(|r| r.as_str().to_string()),
        handler: f.handler().map(str::to_string),
        role: f.role().map(str::to_string),
        code_sha256: f.code_sha256().map(str::to_string),
        code_size: u64::try_from(f.code_size()).ok(),
        description: f
            .description()
            .filter(|d| !d.is_empty())
            .map(str::to_string),
    }
}

#[async_trait::async_trait]
impl Lambda for SdkAws {
    async fn get_function(&self, name: &str) -> Result<FunctionInfo> {
        let out = self
            .lambda
            .get_function()
            .function_name(name)
            .send()
            .await
            .map_err(map_err)?;
        out.configuration()
            .map(function_from_sdk)
            .ok_or_else(|| Error::Service {
                code: "MissingConfiguration".into(),
                message: format!("GetFunction {name} returned no configuration"),
            })
    }

    async fn get_function_code(&self, name: &str) -> Result<Vec<u8>> {
        let out = self
            .lambda
            .get_function()
            .function_name(name)
            .send()
            .await
            .map_err(map_err)?;
        let location = out
            .code()
            .and_then(|c| c.location())
            .ok_or_else(|| Error::Service {
                code: "MissingCodeLocation".into(),
                message: format!(
                    "GetFunction {name} returned no code location (a container image has none)"
                ),
            })?;
        download(location).await
    }

    async fn list_functions(&self, marker: Option<String>) -> Result<FunctionPage> {
        let out = self
            .lambda
            .list_functions()
            .set_marker(marker)
            .max_items(50)
            .send()
            .await
            .map_err(map_err)?;
        Ok(FunctionPage {
            functions: out.functions().iter().map(function_from_sdk).collect(),
            next_marker: out
                .next_marker()
                .filter(|m| !m.is_empty())
                .map(str::to_string),
        })
    }

    async fn create_function(&self, req: CreateFunction) -> Result<FunctionInfo> {
        let code = aws_sdk_lambda::types::FunctionCode::builder()
            .zip_file(aws_sdk_lambda::primitives::Blob::new(req.zip))
            .build();
        let tags: HashMap<String, String> = req.tags.into_iter().collect();
        let out = self
            .lambda
            .create_function()
            .function_name(&req.name)
            .role(&req.role)
            .runtime(aws_sdk_lambda::types::Runtime::from(req.runtime.as_str()))
            .handler(&req.handler)
            .set_description(req.description)
            .code(code)
            .set_tags((!tags.is_empty()).then_some(tags))
            .set_timeout(req.timeout_seconds.map(|t| t.min(i32::MAX as u32) as i32))
            .set_memory_size(req.memory_mb.map(|m| m.min(i32::MAX as u32) as i32))
            .send()
            .await
            .map_err(map_err)?;
        Ok(FunctionInfo {
            name: out.function_name().unwrap_or(&req.name).to_string(),
            arn: out.function_arn().unwrap_or_default().to_string(),
            runtime: out.runtime().map(|r| r.as_str().to_string()),
            handler: out.handler().map(str::to_string),
            role: out.role().map(str::to_string),
            code_sha256: out.code_sha256().map(str::to_string),
            code_size: u64::try_from(out.code_size()).ok(),
            description: out
                .description()
                .filter(|d| !d.is_empty())
                .map(str::to_string),
        })
    }

    async fn get_policy(&self, function_name: &str) -> Result<Vec<PolicyStatement>> {
        match self
            .lambda
            .get_policy()
            .function_name(function_name)
            .send()
            .await
            .map_err(map_err)
        {
            Ok(out) => match out.policy() {
                Some(document) if !document.trim().is_empty() => {
                    PolicyStatement::parse_policy(document)
                }
                _ => Ok(Vec::new()),
            },
            // Lambda answers ResourceNotFoundException both for a missing function and for a
            // function without a policy: tell them apart.
            Err(Error::NotFound { what }) => match self.get_function(function_name).await {
                Ok(_) => Ok(Vec::new()),
                Err(Error::NotFound { .. }) => Err(Error::NotFound { what }),
                Err(other) => Err(other),
            },
            Err(other) => Err(other),
        }
    }

    async fn add_permission(&self, req: AddPermission) -> Result<()> {
        self.lambda
            .add_permission()
            .function_name(&req.function_name)
            .statement_id(&req.statement_id)
            .action(&req.action)
            .principal(&req.principal)
            .set_source_arn(req.source_arn)
            .send()
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn remove_permission(&self, function_name: &str, statement_id: &str) -> Result<()> {
        self.lambda
            .remove_permission()
            .function_name(function_name)
            .statement_id(statement_id)
            .send()
            .await
            .map_err(map_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(code: Option<&str>, status: Option<u16>, expect: &str) {
        let got = error_from_code(code, status, "m".into());
        let name = format!("{got:?}");
        assert!(name.starts_with(expect), "{code:?}/{status:?} gave {name}");
    }

    #[test]
    fn a_reached_quota_is_not_retried() {
        let got = error_from_code(
            Some("LimitExceededException"),
            Some(429),
            crate::limits::RESOURCES_QUOTA_MESSAGE.into(),
        );
        assert!(
            matches!(&got, Error::Service { code, .. } if code == "LimitExceededException"),
            "{got:?}"
        );
        assert!(!got.is_retryable());
    }

    #[test]
    fn error_codes_map_by_meaning() {
        check(Some("NotFoundException"), Some(404), "NotFound");
        check(Some("ResourceNotFoundException"), Some(404), "NotFound");
        check(Some("ConflictException"), Some(409), "Conflict");
        check(Some("ResourceConflictException"), Some(409), "Conflict");
        check(Some("TooManyRequestsException"), Some(429), "Throttled");
        check(Some("LimitExceededException"), Some(429), "Throttled");
        check(Some("BadRequestException"), Some(400), "InvalidInput");
        check(
            Some("InvalidParameterValueException"),
            Some(400),
            "InvalidInput",
        );
        check(
            Some("UnrecognizedClientException"),
            Some(403),
            "AccessDenied",
        );
        check(Some("AccessDeniedException"), Some(403), "AccessDenied");
        check(Some("ServiceException"), Some(500), "Service");
        check(None, Some(404), "NotFound");
        check(None, Some(503), "Service");
        assert!(error_from_code(None, Some(503), "m".into()).is_retryable());
        assert!(error_from_code(Some("ServiceException"), Some(500), "m".into()).is_retryable());
    }

    /// A one-request HTTP server on loopback answering `status` with `body`; the URL to ask.
    fn serve_once(status: &'static str, body: &'static [u8]) -> String {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://{}/code.zip?X-Amz-Signature=abc",
            listener.local_addr().unwrap()
        );
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            // The request line and headers, up to the blank line.
            while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
                line.clear();
            }
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            )
            .unwrap();
            stream.write_all(body).unwrap();
        });
        url
    }

    /// The code location GetFunction returns is fetched whole (restoring a missing code folder
    /// from the account); a refused download is an error naming what failed, not empty code.
    #[tokio::test]
    async fn code_locations_are_downloaded_and_refusals_reported() {
        let zip: &'static [u8] = b"PK\x03\x04 not really a zip, but bytes \x00\xff kept as sent";
        let got = download(&serve_once("200 OK", zip)).await.unwrap();
        assert_eq!(got, zip);
        let err = download(&serve_once("403 Forbidden", b"<Error>AccessDenied</Error>"))
            .await
            .unwrap_err();
        let shown = err.to_string();
        assert!(
            matches!(&err, Error::Service { code, .. } if code == "http-403")
                && shown.contains("AccessDenied"),
            "{err:?}"
        );
    }

    #[test]
    fn credentials_are_redacted() {
        let c = StaticCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI").with_session_token("tok");
        let shown = format!("{c:?}");
        assert!(!shown.contains("wJalrXUtnFEMI") && !shown.contains("tok\""));
    }
}
