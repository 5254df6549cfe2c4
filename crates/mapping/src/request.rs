//! The request a template is evaluated against.

use std::collections::BTreeMap;

/// An HTTP request as API Gateway hands it to a mapping template.
///
/// Multi-valued query parameters and repeated headers keep every value here; the template
/// sees the **last** one through `$input.params()`, as API Gateway's single-value maps do.
/// Header names are matched case-insensitively (`$input.params('x-id')` finds `X-Id`).
///
/// `$context` holds `httpMethod` (from [`Request::method`]), `resourcePath` (from
/// [`Request::resource_path`]), `stage` (default `test-invoke-stage`), `requestId` (default
/// `test-invoke-request`) and every entry of [`Request::context`]; a dotted key
/// (`identity.sourceIp`) is reachable as `$context.identity.sourceIp`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The HTTP method (`GET`).
    pub method: String,
    /// The API resource path template (`/user/{username}`).
    pub resource_path: String,
    /// Path parameters, already URL-decoded.
    pub path_params: BTreeMap<String, String>,
    /// Query string parameters, URL-decoded, every value in the order sent.
    pub query: BTreeMap<String, Vec<String>>,
    /// Headers, every value in the order sent.
    pub headers: BTreeMap<String, Vec<String>>,
    /// The raw body (empty when there is none).
    pub body: String,
    /// Extra `$context` variables (`requestId`, `stage`, `identity.sourceIp`, ...).
    pub context: BTreeMap<String, String>,
    /// `$stageVariables`.
    pub stage_variables: BTreeMap<String, String>,
}

impl Request {
    /// A request without parameters or body.
    pub fn new(method: impl Into<String>, resource_path: impl Into<String>) -> Request {
        Request {
            method: method.into(),
            resource_path: resource_path.into(),
            ..Request::default()
        }
    }

    /// Sets a path parameter.
    pub fn with_path_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.path_params.insert(name.into(), value.into());
        self
    }

    /// Adds a value of a query parameter (call again to repeat it).
    pub fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query
            .entry(name.into())
            .or_default()
            .push(value.into());
        self
    }

    /// Adds a value of a header (call again to repeat it).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .entry(name.into())
            .or_default()
            .push(value.into());
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets a `$context` variable.
    pub fn with_context(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.context.insert(name.into(), value.into());
        self
    }

    /// Sets a stage variable.
    pub fn with_stage_variable(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.stage_variables.insert(name.into(), value.into());
        self
    }
}
