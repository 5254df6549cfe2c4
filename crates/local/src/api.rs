//! [`LocalApi`]: one imported REST API of a fake account, invocable like API Gateway.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use lambda_sync_aws::{
    ApiGateway as _, FakeAws, Integration, IntegrationResponse, Lambda as _, Resource,
};
use lambda_sync_mapping::Request;
use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;

use crate::environment::{CodeKey, FunctionSpec, Ran as Invocation};
use crate::http::{HttpRequest, HttpResponse};
use crate::pool::Pool;
use crate::route::Router;
use crate::runtime::{self, Language, Outcome};
use crate::{Error, Result};

/// Settings of a [`LocalApi`].
///
/// ```
/// use std::time::Duration;
/// let options = lambda_sync_local::LocalOptions::new("/tmp/lambda-sync-cache")
///     .with_functions_dir(".lambda-sync/functions")
///     .with_timeout(Duration::from_secs(10));
/// assert_eq!(options.node, std::path::PathBuf::from("node"));
/// assert_eq!(options.stage, "local");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalOptions {
    /// Where locally edited functions live (`.lambda-sync/functions`): a `NAME/` folder there
    /// is run instead of the function's stored zip.
    pub functions_dir: Option<PathBuf>,
    /// Where zips are extracted (one folder per package hash), the runtime shims written, and
    /// each invocation's scratch files kept while it runs.
    pub cache_dir: PathBuf,
    /// How long a function may run before it is killed and the request answers 504
    /// (default 3 s, Lambda's default timeout).
    pub timeout: Duration,
    /// The Node.js interpreter (default `node`, looked up on `PATH`).
    pub node: PathBuf,
    /// The Python interpreter (default `python3`).
    pub python: PathBuf,
    /// The stage name seen by templates and proxy events (default `local`).
    pub stage: String,
    /// How many calls may run at the same time, all functions together (default 4); more
    /// requests wait.
    pub max_processes: usize,
    /// How many execution environments one function may have (default 4): a call that finds
    /// them all busy waits for one.
    pub max_environments: usize,
    /// How long an idle execution environment is kept warm (default 5 minutes).
    pub keep_alive: Duration,
    /// Check each function's resource policy against the method ARN before invoking it, as
    /// API Gateway does (default on): without a statement that allows it, the request answers
    /// 500 `{"message": "Internal server error"}` and the log says why.
    pub check_policies: bool,
}

impl LocalOptions {
    /// Defaults with `cache_dir`.
    pub fn new(cache_dir: impl Into<PathBuf>) -> Self {
        LocalOptions {
            functions_dir: None,
            cache_dir: cache_dir.into(),
            timeout: Duration::from_secs(3),
            node: PathBuf::from("node"),
            python: PathBuf::from("python3"),
            stage: "local".to_string(),
            max_processes: 4,
            max_environments: 4,
            keep_alive: Duration::from_secs(300),
            check_policies: true,
        }
    }

    /// Sets the directory of locally edited functions.
    pub fn with_functions_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.functions_dir = Some(dir.into());
        self
    }

    /// Sets the function timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the Node.js interpreter.
    pub fn with_node(mut self, node: impl Into<PathBuf>) -> Self {
        self.node = node.into();
        self
    }

    /// Sets the Python interpreter.
    pub fn with_python(mut self, python: impl Into<PathBuf>) -> Self {
        self.python = python.into();
        self
    }

    /// Sets the stage name.
    pub fn with_stage(mut self, stage: impl Into<String>) -> Self {
        self.stage = stage.into();
        self
    }

    /// Turns the resource-policy check on or off.
    pub fn with_policy_check(mut self, check: bool) -> Self {
        self.check_policies = check;
        self
    }

    /// Sets how many calls may run at once (at least 1).
    pub fn with_max_processes(mut self, n: usize) -> Self {
        self.max_processes = n.max(1);
        self
    }

    /// Sets how many execution environments one function may have (at least 1).
    pub fn with_max_environments(mut self, n: usize) -> Self {
        self.max_environments = n.max(1);
        self
    }

    /// Sets how long an idle execution environment is kept warm.
    pub fn with_keep_alive(mut self, keep_alive: Duration) -> Self {
        self.keep_alive = keep_alive;
        self
    }
}

/// One REST API of a [`FakeAws`] account, run locally.
///
/// [`LocalApi::new`] takes a snapshot of the API's resources (build a new one when the API
/// changes); the functions' configuration and code are read at every invocation, so an edited
/// function runs with the edit at once.
#[derive(Debug)]
pub struct LocalApi {
    account: FakeAws,
    api_id: String,
    options: LocalOptions,
    resources: Vec<Resource>,
    router: Router,
    slots: Arc<Semaphore>,
    pool: Pool,
}

/// The default integration response and the patterned ones.
fn select_response<'a>(
    integration: &'a Integration,
    error_message: &str,
) -> Option<&'a IntegrationResponse> {
    let responses = &integration.integration_responses;
    responses
        .values()
        .filter_map(|r| Some((r, r.selection_pattern.as_deref()?)))
        .find(|(_, pattern)| selection_matches(pattern, error_message))
        .map(|(r, _)| r)
        .or_else(|| responses.values().find(|r| r.selection_pattern.is_none()))
}

/// Whether a `selectionPattern` (a Java regular expression) matches the whole error message,
/// as Java's `String.matches` does. `.` does not span line breaks (AWS advises patterns such
/// as `[\s\S]*` for multi-line messages). A pattern Rust's `regex` cannot read matches nothing.
pub(crate) fn selection_matches(pattern: &str, message: &str) -> bool {
    regex::Regex::new(&format!(r"\A(?:{pattern})\z"))
        .map(|re| re.is_match(message))
        .unwrap_or(false)
}

/// The function name in a Lambda invocation URI ([`lambda_sync_integration::LambdaUri`]).
fn function_of_uri(uri: &str) -> Option<String> {
    lambda_sync_integration::LambdaUri::parse(uri).map(|u| u.function_name)
}

fn request_id() -> String {
    let hex: String = (0..16)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect();
    format!(
        "{}-{}-4{}-{:x}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        8 + fastrand::u8(0..4),
        &hex[17..20],
        &hex[20..32]
    )
}

/// `dd/Mon/yyyy:HH:mm:ss +0000` as in `$context.requestTime`.
fn request_time(epoch_ms: u128) -> String {
    let secs = (epoch_ms / 1000) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{day:02}/{}/{year}:{:02}:{:02}:{:02} +0000",
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The media type of a Content-Type header, lower case, without parameters.
fn media_type(content_type: Option<&str>) -> String {
    content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "application/json".to_string())
}

/// What the request resolved to before a function runs.
struct Target<'a> {
    resource: &'a Resource,
    integration: &'a Integration,
    http_method: String,
    /// The method's operation name (the definition's operationId), which API Gateway puts
    /// in the proxy event's `requestContext.operationName` when the method has one.
    operation_name: Option<String>,
    params: BTreeMap<String, String>,
    function: String,
    request_id: String,
    epoch_ms: u128,
}

impl LocalApi {
    /// Reads the API `api_id` of `account` (its resources, methods and integrations).
    ///
    /// # Errors
    ///
    /// [`Error::Aws`] when the account has no such API.
    pub async fn new(
        account: FakeAws,
        api_id: impl Into<String>,
        options: LocalOptions,
    ) -> Result<LocalApi> {
        let api_id = api_id.into();
        let resources = account.get_resources(&api_id).await?;
        let router = Router::new(resources.iter().map(|r| r.path.as_str()));
        let slots = Arc::new(Semaphore::new(options.max_processes.max(1)));
        let cache_dir = std::path::absolute(&options.cache_dir)
            .map_err(|e| Error::io("resolve", &options.cache_dir, e))?;
        let pool = Pool::new(cache_dir, options.max_environments, options.keep_alive);
        Ok(LocalApi {
            account,
            api_id,
            options,
            resources,
            router,
            slots,
            pool,
        })
    }

    /// Ends every warm execution environment (those running a call end when it does, and
    /// none is kept from then on). Dropping the `LocalApi` does the same.
    pub fn shutdown(&self) {
        self.pool.shutdown();
    }

    /// How many execution environments are warm and idle, waiting for a call.
    pub fn idle_environments(&self) -> usize {
        self.pool.counts().idle
    }

    /// How many execution environments this API started (its cold starts), since it was made.
    pub fn environments_started(&self) -> u64 {
        self.pool.counts().started
    }

    /// The API id.
    pub fn api_id(&self) -> &str {
        &self.api_id
    }

    /// The account.
    pub fn account(&self) -> &FakeAws {
        &self.account
    }

    /// The options.
    pub fn options(&self) -> &LocalOptions {
        &self.options
    }

    /// Every route as `(METHOD, PATH, FUNCTION)`, sorted by path then method; the function is
    /// `None` for a method without a Lambda integration.
    pub fn routes(&self) -> Vec<(String, String, Option<String>)> {
        let mut out = Vec::new();
        for resource in &self.resources {
            for (method, m) in &resource.methods {
                let function = m
                    .integration
                    .as_ref()
                    .and_then(|i| i.uri.as_deref())
                    .and_then(function_of_uri);
                out.push((method.clone(), resource.path.clone(), function));
            }
        }
        out
    }

    /// Handles one request as API Gateway and Lambda would: route, request template or proxy
    /// event, the function in a child process, integration response or proxy response.
    ///
    /// API Gateway's own answers are responses: 403 `Missing Authentication Token` for an
    /// unknown route or method, 415 for a content type without a template when passthrough is
    /// refused, 502 for a crash or a malformed proxy response, 504 for a timeout.
    ///
    /// # Errors
    ///
    /// Set-up problems: a method without a Lambda integration, a function missing from the
    /// account, a runtime other than Node.js or Python, an unreadable package, a template that
    /// does not evaluate, an interpreter that cannot be started.
    pub async fn invoke(&self, request: HttpRequest) -> Result<HttpResponse> {
        let http_method = request.method.to_ascii_uppercase();
        let Some(found) = self.router.find(&request.path) else {
            return Ok(HttpResponse::message(403, "Missing Authentication Token"));
        };
        let resource = &self.resources[found.resource];
        let Some(method) = resource
            .methods
            .get(&http_method)
            .or_else(|| resource.methods.get("ANY"))
        else {
            return Ok(HttpResponse::message(403, "Missing Authentication Token"));
        };
        let setup = |message: &str| Error::Integration {
            method: method.http_method.clone(),
            path: resource.path.clone(),
            message: message.to_string(),
        };
        let integration = method
            .integration
            .as_ref()
            .ok_or_else(|| setup("no integration"))?;
        let function = integration
            .uri
            .as_deref()
            .and_then(function_of_uri)
            .ok_or_else(|| {
                setup(&format!(
                    "not a Lambda integration (uri {:?})",
                    integration.uri.as_deref().unwrap_or("")
                ))
            })?;
        if self.options.check_policies
            && let Some(denied) = self
                .policy_denies(&function, &http_method, &request.path)
                .await?
        {
            let mut response = HttpResponse::message(500, "Internal server error");
            response.logs = denied;
            response.function = Some(function);
            return Ok(response);
        }
        let target = Target {
            resource,
            integration,
            operation_name: method.operation_name.clone(),
            http_method,
            params: found.params,
            function,
            request_id: request_id(),
            epoch_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis(),
        };
        let mut response = match integration.integration_type.as_str() {
            "AWS" => self.invoke_aws(&request, &target).await?,
            "AWS_PROXY" => self.invoke_proxy(&request, &target).await?,
            other => {
                return Err(setup(&format!(
                    "integration type {other} cannot run locally"
                )));
            }
        };
        response.function = Some(target.function.clone());
        response
            .headers
            .push(("x-amzn-RequestId".into(), target.request_id.clone()));
        Ok(response)
    }

    /// The method ARN API Gateway invokes a function with for this request:
    /// `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH`, the path as requested.
    pub fn method_arn(&self, http_method: &str, path: &str) -> String {
        format!(
            "arn:aws:execute-api:{}:{}:{}/{}/{}/{}",
            self.account.region(),
            self.account.account_id(),
            self.api_id,
            self.options.stage,
            http_method,
            path.trim_start_matches('/')
        )
    }

    /// Why API Gateway may not invoke `function` for this request (the log line), or `None`
    /// when a statement of its resource policy allows it.
    async fn policy_denies(
        &self,
        function: &str,
        http_method: &str,
        path: &str,
    ) -> Result<Option<String>> {
        let statements = match self.account.get_policy(function).await {
            Ok(s) => s,
            // A missing function is reported where it is run.
            Err(lambda_sync_aws::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let arn = self.method_arn(http_method, path);
        if crate::policy::allows(&statements, &arn) {
            return Ok(None);
        }
        Ok(Some(format!(
            "Execution failed due to configuration error: Invalid permissions on Lambda function \
             {function}: no statement of its resource policy ({} statement(s)) allows \
             apigateway.amazonaws.com to invoke it from {arn} (push again, or add a permission \
             whose SourceArn matches)\n",
            statements.len()
        )))
    }

    /// The mapping-template view of the request.
    fn mapping_request(&self, request: &HttpRequest, target: &Target<'_>, body: String) -> Request {
        let mut out = Request::new(&target.http_method, &target.resource.path);
        out.path_params = target.params.clone();
        for (name, value) in &request.query {
            out.query
                .entry(name.clone())
                .or_default()
                .push(value.clone());
        }
        for (name, value) in &request.headers {
            out.headers
                .entry(name.clone())
                .or_default()
                .push(value.clone());
        }
        out.body = body;
        let context = self.context(request, target);
        for (key, value) in context {
            out.context.insert(key, value);
        }
        out
    }

    /// `$context` variables (flat, dotted keys).
    fn context(&self, request: &HttpRequest, target: &Target<'_>) -> Vec<(String, String)> {
        let mut context = vec![
            ("requestId".to_string(), target.request_id.clone()),
            ("extendedRequestId".to_string(), target.request_id.clone()),
            ("stage".to_string(), self.options.stage.clone()),
            ("apiId".to_string(), self.api_id.clone()),
            ("accountId".to_string(), self.account.account_id()),
            ("resourceId".to_string(), target.resource.id.clone()),
            ("resourcePath".to_string(), target.resource.path.clone()),
            ("httpMethod".to_string(), target.http_method.clone()),
            (
                "path".to_string(),
                format!("/{}{}", self.options.stage, request.path),
            ),
            ("protocol".to_string(), "HTTP/1.1".to_string()),
            ("requestTime".to_string(), request_time(target.epoch_ms)),
            ("requestTimeEpoch".to_string(), target.epoch_ms.to_string()),
            ("domainName".to_string(), self.domain_name()),
            ("domainPrefix".to_string(), self.api_id.clone()),
            ("identity.sourceIp".to_string(), "127.0.0.1".to_string()),
        ];
        if let Some(agent) = request.header("user-agent") {
            context.push(("identity.userAgent".to_string(), agent.to_string()));
        }
        context
    }

    fn domain_name(&self) -> String {
        format!(
            "{}.execute-api.{}.amazonaws.com",
            self.api_id,
            self.account.region()
        )
    }

    /// Runs the target's function with `event`.
    async fn run(&self, target: &Target<'_>, event: &[u8]) -> Result<Invocation> {
        let name = &target.function;
        let info = self.account.get_function(name).await?;
        let runtime = info.runtime.clone().unwrap_or_default();
        let language = Language::of_runtime(&runtime).ok_or_else(|| Error::UnsupportedRuntime {
            function: name.clone(),
            runtime: runtime.clone(),
        })?;
        let handler = info.handler.clone().unwrap_or_default();
        match handler.rsplit_once('.') {
            Some((module, export)) if !module.is_empty() && !export.is_empty() => {}
            _ => {
                return Err(Error::BadHandler {
                    function: name.clone(),
                    handler,
                });
            }
        }
        let edited = self
            .options
            .functions_dir
            .as_ref()
            .map(|dir| dir.join(name))
            .filter(|dir| dir.is_dir());
        let edited_code = edited.is_some();
        let code_dir = match edited {
            Some(dir) => std::path::absolute(&dir).map_err(|e| Error::io("resolve", &dir, e))?,
            None => {
                let zip = self
                    .account
                    .function_code(name)
                    .ok_or_else(|| Error::Package {
                        function: name.clone(),
                        message: "the account holds no code for it".into(),
                    })?;
                let cache = std::path::absolute(&self.options.cache_dir)
                    .map_err(|e| Error::io("resolve", &self.options.cache_dir, e))?;
                runtime::extract(&cache, name, &zip)?
            }
        };
        let program = match language {
            Language::Node => &self.options.node,
            Language::Python => &self.options.python,
        };
        let fingerprint = if edited_code {
            runtime::fingerprint(&code_dir)
        } else {
            0
        };
        let spec = FunctionSpec {
            key: CodeKey {
                language,
                program: program.clone(),
                code_dir,
                handler,
                fingerprint,
            },
            function_name: name.clone(),
            function_arn: info.arn.clone(),
            region: self.account.region(),
        };
        let _slot = self
            .slots
            .acquire()
            .await
            .expect("the semaphore is never closed");
        self.pool
            .invoke(&spec, &target.request_id, event, self.options.timeout)
            .await
    }

    async fn invoke_aws(&self, request: &HttpRequest, target: &Target<'_>) -> Result<HttpResponse> {
        let integration = target.integration;
        let media = media_type(request.header("content-type"));
        let template = integration
            .request_templates
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(&media));
        let body_text = String::from_utf8_lossy(&request.body).into_owned();
        let event = match template {
            Some((key, template)) => {
                if let Some(message) = unparsable_body(template, &body_text) {
                    return Ok(HttpResponse::message(400, &message));
                }
                let req = self.mapping_request(request, target, body_text);
                lambda_sync_mapping::evaluate(template, &req)
                    .map_err(|source| Error::Mapping {
                        content_type: key.clone(),
                        source,
                    })?
                    .into_bytes()
            }
            None => {
                let behavior = integration
                    .passthrough_behavior
                    .as_deref()
                    .unwrap_or("WHEN_NO_MATCH")
                    .to_ascii_uppercase();
                let pass = match behavior.as_str() {
                    "NEVER" => false,
                    "WHEN_NO_TEMPLATES" => integration.request_templates.is_empty(),
                    _ => true,
                };
                if !pass {
                    return Ok(HttpResponse::message(415, "Unsupported Media Type"));
                }
                request.body.clone()
            }
        };
        if !event.iter().all(u8::is_ascii_whitespace)
            && let Err(e) = serde_json::from_slice::<Value>(&event)
        {
            // Lambda refuses a payload that is not JSON; API Gateway answers 500.
            let mut response = HttpResponse::message(500, "Internal server error");
            response.logs = format!(
                "lambda-sync: the integration request is not valid JSON ({e}), so Lambda would refuse it:\n{}\n",
                String::from_utf8_lossy(&event)
            );
            return Ok(response);
        }
        let invocation = self.run(target, &event).await?;
        let (payload, error_message) = match invocation.outcome {
            Outcome::Timeout => return Ok(with_logs(timeout(), invocation.logs)),
            Outcome::Crash(_) => return Ok(with_logs(crash(), invocation.logs)),
            Outcome::Success(text) => (text, String::new()),
            Outcome::Error(value) => {
                let message = match value.get("errorMessage") {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                (value.to_string(), message)
            }
        };
        let Some(selected) = select_response(integration, &error_message) else {
            // "No match for output mapping and no default output mapping configured."
            let mut response = HttpResponse::message(500, "Internal server error");
            response.logs = invocation.logs;
            return Ok(response);
        };
        let status: u16 = selected
            .status_code
            .parse()
            .map_err(|_| Error::Integration {
                method: target.http_method.clone(),
                path: target.resource.path.clone(),
                message: format!("integration response status {:?}", selected.status_code),
            })?;
        let accept = media_type(request.header("accept"));
        let template = selected
            .response_templates
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(&accept))
            .or_else(|| {
                selected
                    .response_templates
                    .get_key_value("application/json")
            })
            .or_else(|| selected.response_templates.iter().next())
            .filter(|(_, t)| !t.trim().is_empty());
        let (content_type, body) = match template {
            Some((key, template)) => {
                let req = self.mapping_request(request, target, payload);
                let body = lambda_sync_mapping::evaluate(template, &req).map_err(|source| {
                    Error::Mapping {
                        content_type: key.clone(),
                        source,
                    }
                })?;
                (key.clone(), body)
            }
            None => ("application/json".to_string(), payload),
        };
        Ok(HttpResponse {
            status,
            headers: vec![("Content-Type".into(), content_type)],
            body: body.into_bytes(),
            function: None,
            logs: invocation.logs,
        })
    }

    /// The REST API (payload format 1.0) proxy event.
    fn proxy_event(&self, request: &HttpRequest, target: &Target<'_>) -> Value {
        fn single_and_multi(pairs: &[(String, String)]) -> (Value, Value) {
            if pairs.is_empty() {
                return (Value::Null, Value::Null);
            }
            let mut single = Map::new();
            let mut multi: Map<String, Value> = Map::new();
            for (name, value) in pairs {
                single.insert(name.clone(), json!(value));
                match multi.get_mut(name) {
                    Some(Value::Array(values)) => values.push(json!(value)),
                    _ => {
                        multi.insert(name.clone(), json!([value]));
                    }
                }
            }
            (Value::Object(single), Value::Object(multi))
        }
        let (headers, multi_headers) = single_and_multi(&request.headers);
        let (query, multi_query) = single_and_multi(&request.query);
        let path_parameters = if target.params.is_empty() {
            Value::Null
        } else {
            json!(target.params)
        };
        let (body, base64) = if request.body.is_empty() {
            (Value::Null, false)
        } else {
            match std::str::from_utf8(&request.body) {
                Ok(text) => (json!(text), false),
                Err(_) => (
                    json!(base64::engine::general_purpose::STANDARD.encode(&request.body)),
                    true,
                ),
            }
        };
        json!({
            "resource": target.resource.path,
            "path": request.path,
            "httpMethod": target.http_method,
            "headers": headers,
            "multiValueHeaders": multi_headers,
            "queryStringParameters": query,
            "multiValueQueryStringParameters": multi_query,
            "pathParameters": path_parameters,
            "stageVariables": Value::Null,
            "requestContext": {
                "resourceId": target.resource.id,
                "resourcePath": target.resource.path,
                "httpMethod": target.http_method,
                "extendedRequestId": target.request_id,
                "requestTime": request_time(target.epoch_ms),
                "path": format!("/{}{}", self.options.stage, request.path),
                "accountId": self.account.account_id(),
                "protocol": "HTTP/1.1",
                "stage": self.options.stage,
                "domainPrefix": self.api_id,
                "requestTimeEpoch": target.epoch_ms as u64,
                "requestId": target.request_id,
                "identity": {
                    "cognitoIdentityPoolId": null,
                    "accountId": null,
                    "cognitoIdentityId": null,
                    "caller": null,
                    "sourceIp": "127.0.0.1",
                    "principalOrgId": null,
                    "accessKey": null,
                    "cognitoAuthenticationType": null,
                    "cognitoAuthenticationProvider": null,
                    "userArn": null,
                    "userAgent": request.header("user-agent"),
                    "user": null
                },
                "domainName": self.domain_name(),
                "apiId": self.api_id
            },
            "body": body,
            "isBase64Encoded": base64
        })
    }

    async fn invoke_proxy(
        &self,
        request: &HttpRequest,
        target: &Target<'_>,
    ) -> Result<HttpResponse> {
        let mut event = self.proxy_event(request, target);
        if let (Some(name), Some(context)) = (
            &target.operation_name,
            event
                .get_mut("requestContext")
                .and_then(Value::as_object_mut),
        ) {
            context.insert("operationName".into(), Value::String(name.clone()));
        }
        let event = event.to_string();
        let invocation = self.run(target, event.as_bytes()).await?;
        let response = match &invocation.outcome {
            Outcome::Timeout => timeout(),
            Outcome::Crash(_) | Outcome::Error(_) => crash(),
            Outcome::Success(text) => proxy_response(text).unwrap_or_else(crash),
        };
        Ok(with_logs(response, invocation.logs))
    }
}

/// API Gateway's 400 message when a request template reads the body as JSON
/// (`$input.json`, `$input.path`) and the body is not JSON; `None` when it is (or is empty, or
/// the template does not read it as JSON). The first part is API Gateway's own text; the
/// parser's detail is serde_json's where API Gateway gives its JSON parser's.
fn unparsable_body(template: &str, body: &str) -> Option<String> {
    if body.trim().is_empty()
        || !(template.contains("$input.json") || template.contains("$input.path"))
    {
        return None;
    }
    let error = serde_json::from_str::<Value>(body).err()?;
    let detail = error.to_string();
    let detail = detail
        .rsplit_once(" at line ")
        .map_or(detail.as_str(), |(d, _)| d);
    const SHOWN: usize = 500;
    let mut source: String = body.chars().take(SHOWN).collect();
    if source.len() < body.len() {
        source.push_str(&format!("[truncated {} bytes]", body.len() - source.len()));
    }
    Some(format!(
        "Could not parse request body into json: Could not parse payload into json: {detail}\n at [Source: (byte[])\"{source}\"; line: {}, column: {}]",
        error.line(),
        error.column()
    ))
}

fn timeout() -> HttpResponse {
    HttpResponse::message(504, "Endpoint request timed out")
}

fn crash() -> HttpResponse {
    HttpResponse::message(502, "Internal server error")
}

fn with_logs(mut response: HttpResponse, logs: String) -> HttpResponse {
    response.logs = logs;
    response
}

/// Reads a proxy integration's result; `None` when API Gateway would call it malformed.
pub(crate) fn proxy_response(text: &str) -> Option<HttpResponse> {
    let value: Value = serde_json::from_str(text).ok()?;
    let object = value.as_object()?;
    const KEYS: [&str; 5] = [
        "statusCode",
        "headers",
        "multiValueHeaders",
        "body",
        "isBase64Encoded",
    ];
    if object.keys().any(|k| !KEYS.contains(&k.as_str())) {
        return None;
    }
    let status = match object.get("statusCode")? {
        Value::Number(n) => u16::try_from(n.as_u64()?).ok()?,
        Value::String(s) => s.parse().ok()?,
        _ => return None,
    };
    if !(100..=599).contains(&status) {
        return None;
    }
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let mut single: Vec<(String, String)> = Vec::new();
    match object.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (k, v) in map {
                single.push((k.clone(), scalar(v)?));
            }
        }
        Some(_) => return None,
    }
    let mut multi: Vec<(String, String)> = Vec::new();
    match object.get("multiValueHeaders") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (k, v) in map {
                for item in v.as_array()? {
                    multi.push((k.clone(), scalar(item)?));
                }
            }
        }
        Some(_) => return None,
    }
    // A header given in both keeps only its multiValueHeaders values.
    single.retain(|(k, _)| !multi.iter().any(|(m, _)| m.eq_ignore_ascii_case(k)));
    let mut headers = single;
    headers.extend(multi);
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.insert(0, ("Content-Type".into(), "application/json".into()));
    }
    let encoded = match object.get("isBase64Encoded") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return None,
    };
    let body = match object.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if encoded => {
            base64::engine::general_purpose::STANDARD.decode(s).ok()?
        }
        Some(Value::String(s)) => s.clone().into_bytes(),
        Some(_) => return None,
    };
    Some(HttpResponse {
        status,
        headers,
        body,
        function: None,
        logs: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_function() {
        let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:getPet/invocations";
        assert_eq!(function_of_uri(uri).as_deref(), Some("getPet"));
        let qualified = uri.replace("getPet/", "getPet:live/");
        assert_eq!(function_of_uri(&qualified).as_deref(), Some("getPet"));
        assert_eq!(function_of_uri("http://example.com"), None);
        let staged = uri.replace("getPet", "${stageVariables.fn}");
        assert_eq!(function_of_uri(&staged), None);
    }

    #[test]
    fn selection() {
        assert!(selection_matches(
            r"^\[404\][\s\S]*",
            "[404] not found\nat x"
        ));
        assert!(!selection_matches(r"\[404\].*", "[404] not found\nat x"));
        assert!(!selection_matches("404", "[404] not found"));
        assert!(selection_matches(".*404.*", "[404] not found"));
        assert!(!selection_matches("(?<=x)", "x"));
    }

    #[test]
    fn time_format() {
        assert_eq!(request_time(0), "01/Jan/1970:00:00:00 +0000");
        assert_eq!(
            request_time(1_795_897_800_000),
            "28/Nov/2026:20:30:00 +0000"
        );
    }

    #[test]
    fn ids() {
        let id = request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }

    #[test]
    fn proxy_results() {
        let ok = proxy_response(r#"{"statusCode": 201, "headers": {"a": "1", "n": 2}, "multiValueHeaders": {"a": ["x", "y"]}, "body": "hi"}"#).unwrap();
        assert_eq!(ok.status, 201);
        assert_eq!(ok.body, b"hi");
        assert_eq!(
            ok.headers,
            [
                ("Content-Type".into(), "application/json".into()),
                ("n".into(), "2".into()),
                ("a".into(), "x".into()),
                ("a".into(), "y".into())
            ]
        );
        let b64 = proxy_response(r#"{"statusCode": 200, "body": "aGk=", "isBase64Encoded": true}"#)
            .unwrap();
        assert_eq!(b64.body, b"hi");
        for bad in [
            "null",
            "\"x\"",
            "{}",
            r#"{"statusCode": "x"}"#,
            r#"{"statusCode": 200, "body": {"a": 1}}"#,
            r#"{"statusCode": 200, "extra": 1}"#,
            r#"{"statusCode": 200, "headers": {"a": [1]}}"#,
            r#"{"statusCode": 200, "body": "!", "isBase64Encoded": true}"#,
            r#"{"statusCode": 99}"#,
        ] {
            assert!(proxy_response(bad).is_none(), "{bad}");
        }
    }
}
