//! The in-memory fake backend: AWS's documented behaviour, plus test helpers.

mod import;
mod lambda;
mod persist;

pub use import::resource_path;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    AddPermission, ApiGateway, CreateFunction, Deployment, Error, FunctionInfo, FunctionPage,
    ImportRestApi, Lambda, PolicyStatement, PutMode, PutRestApi, Resource, RestApi, Result,
};

/// One call made to a [`FakeAws`], as recorded by its call log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    /// The AWS operation name: `ImportRestApi`, `PutRestApi`, `GetRestApi`, `GetRestApis`,
    /// `GetResources`, `CreateDeployment`, `GetFunction`, `ListFunctions`, `CreateFunction`,
    /// `GetPolicy`, `AddPermission` or `RemovePermission`.
    pub operation: String,
    /// What the call was about: the API id, the function name, the stage, ... (`None` for
    /// listings and imports).
    pub target: Option<String>,
    /// Whether the operation changes the account (when it succeeds).
    pub mutating: bool,
}

#[derive(Debug, Clone)]
struct Fault {
    operation: String,
    /// Calls of `operation` still to go before this fault fires; `None` fires on every call.
    remaining: Option<u64>,
    error: Error,
}

/// The persistent part of the fake: one AWS account in one region.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Account {
    pub format: u32,
    pub region: String,
    pub account_id: String,
    pub next_id: u64,
    /// Shared so that copying the account for a mutating call copies only pointers; an entry
    /// is cloned when a call changes it (`Arc::make_mut`).
    pub apis: BTreeMap<String, Arc<StoredApi>>,
    /// Shared likewise.
    pub functions: BTreeMap<String, Arc<lambda::StoredFunction>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredApi {
    pub api: RestApi,
    /// Resources by path.
    pub resources: BTreeMap<String, Resource>,
    pub definition: Option<serde_json::Value>,
    pub deployments: Vec<Deployment>,
    /// Stage name → deployment id.
    pub stages: BTreeMap<String, String>,
}

struct Inner {
    account: Account,
    calls: Vec<Call>,
    faults: Vec<Fault>,
    latency: Option<Duration>,
    rate_scale: Option<f64>,
    rate_history: HashMap<&'static str, VecDeque<tokio::time::Instant>>,
    resources_per_api: usize,
    /// The day Lambda's runtime rules are applied for (see [`FakeAws::set_today`]).
    today: crate::Date,
}

/// An in-memory AWS account implementing both [`ApiGateway`] and [`Lambda`] the way AWS
/// documents them, for tests and offline use.
///
/// Cloning is cheap and clones share the same account. Besides the traits it offers a call
/// log ([`FakeAws::calls`]), fault injection ([`FakeAws::fail_nth`]), latency
/// ([`FakeAws::with_latency`]), AWS's rate limits ([`FakeAws::with_rate_limits`]) and
/// persistence ([`FakeAws::save`], [`FakeAws::load`]).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
/// use lambda_sync_aws::{ApiGateway, Error, FakeAws, ImportRestApi};
/// let aws = FakeAws::new("eu-west-1", "111122223333");
/// aws.fail_nth("ImportRestApi", 1, Error::Throttled { message: "try later".into() });
/// let body = r#"{"swagger": "2.0", "info": {"title": "t"}, "paths": {}}"#;
/// assert!(aws.import_rest_api(ImportRestApi::new(body)).await.is_err());
/// assert!(aws.import_rest_api(ImportRestApi::new(body)).await.is_ok());
/// assert_eq!(aws.call_count("ImportRestApi"), 2);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct FakeAws {
    inner: Arc<Mutex<Inner>>,
}

impl fmt::Debug for FakeAws {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.lock();
        f.debug_struct("FakeAws")
            .field("region", &inner.account.region)
            .field("account_id", &inner.account.account_id)
            .field("apis", &inner.account.apis.len())
            .field("functions", &inner.account.functions.len())
            .field("calls", &inner.calls.len())
            .finish_non_exhaustive()
    }
}

impl Default for FakeAws {
    /// An empty account `123456789012` in `us-east-1`.
    fn default() -> Self {
        FakeAws::new("us-east-1", "123456789012")
    }
}

/// A rate-limited bucket: (bucket, window, requests allowed per window).
type Bucket = (&'static str, Duration, usize);

/// The rate-limited buckets of AWS's documented rates ([`crate::limits`]). `ImportRestApi`
/// depends on the endpoint type; this is the regional/private one (see [`import_bucket`]).
fn rate_bucket(operation: &str) -> Option<Bucket> {
    use crate::limits;
    match operation {
        "ImportRestApi" => Some(import_bucket(crate::EndpointType::Regional)),
        "PutRestApi" => Some(("PutRestApi", limits::PUT_REST_API_INTERVAL, 1)),
        "CreateDeployment" => Some(("CreateDeployment", limits::CREATE_DEPLOYMENT_INTERVAL, 1)),
        "GetFunction" | "ListFunctions" | "CreateFunction" | "GetPolicy" | "AddPermission"
        | "RemovePermission" => Some((
            "Lambda",
            Duration::from_secs(1),
            limits::LAMBDA_CONTROL_PLANE_PER_SECOND as usize,
        )),
        _ => None,
    }
}

/// `ImportRestApi`'s bucket for an endpoint type: one import per 30 s for edge-optimized APIs,
/// per 3 s otherwise (each type counted on its own, as the engine's limiter paces them).
fn import_bucket(endpoint_type: crate::EndpointType) -> Bucket {
    let bucket = match endpoint_type {
        crate::EndpointType::Edge => "ImportRestApiEdge",
        _ => "ImportRestApi",
    };
    (bucket, endpoint_type.import_interval(), 1)
}

fn short_id(seed: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    Sha256::digest(seed.as_bytes())
        .iter()
        .take(10)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

impl Account {
    fn new(region: &str, account_id: &str) -> Self {
        Account {
            format: persist::FORMAT,
            region: region.to_string(),
            account_id: account_id.to_string(),
            next_id: 0,
            apis: BTreeMap::new(),
            functions: BTreeMap::new(),
        }
    }

    fn new_id(&mut self) -> String {
        self.next_id += 1;
        short_id(&format!(
            "{}:{}:{}",
            self.account_id, self.region, self.next_id
        ))
    }

    fn api(&self, api_id: &str) -> Result<&StoredApi> {
        self.apis.get(api_id).map(|a| &**a).ok_or_else(|| {
            Error::not_found(format!(
                "Invalid API identifier specified {}:{api_id}",
                self.account_id
            ))
        })
    }

    /// Builds the stored resources for `paths`, reusing ids from `existing` for equal paths.
    fn build_resources(
        &mut self,
        paths: BTreeMap<String, BTreeMap<String, crate::GatewayMethod>>,
        existing: &BTreeMap<String, Resource>,
    ) -> BTreeMap<String, Resource> {
        let mut out: BTreeMap<String, Resource> = BTreeMap::new();
        // BTreeMap order puts every parent before its children.
        for (path, methods) in paths {
            let id = match existing.get(&path) {
                Some(r) => r.id.clone(),
                None => self.new_id(),
            };
            let (parent_id, path_part) = match path.rsplit_once('/') {
                _ if path == "/" => (None, None),
                Some((parent, part)) => {
                    let parent = if parent.is_empty() { "/" } else { parent };
                    (
                        out.get(parent).map(|r| r.id.clone()),
                        Some(part.to_string()),
                    )
                }
                None => (None, None),
            };
            out.insert(
                path.clone(),
                Resource {
                    id,
                    parent_id,
                    path,
                    path_part,
                    methods,
                },
            );
        }
        out
    }

    fn import(&mut self, req: &ImportRestApi, resources_per_api: usize) -> Result<RestApi> {
        check_body_size(&req.body)?;
        let parsed = import::parse(&req.body, req.basepath)?;
        check_warnings(req.fail_on_warnings, &parsed.warnings)?;
        check_resources(parsed.resources.len(), resources_per_api)?;
        let mut id = self.new_id();
        while self.apis.contains_key(&id) {
            id = self.new_id();
        }
        let resources = self.build_resources(parsed.resources, &BTreeMap::new());
        let api = RestApi {
            id: id.clone(),
            name: parsed.name,
            description: parsed.description,
            version: parsed.version,
            warnings: Vec::new(),
        };
        self.apis.insert(
            id,
            Arc::new(StoredApi {
                api: api.clone(),
                resources,
                definition: Some(parsed.definition),
                deployments: Vec::new(),
                stages: BTreeMap::new(),
            }),
        );
        Ok(RestApi {
            warnings: parsed.warnings,
            ..api
        })
    }

    fn put(&mut self, req: &PutRestApi, resources_per_api: usize) -> Result<RestApi> {
        let existing = self.api(&req.api_id)?.resources.clone();
        check_body_size(&req.body)?;
        let parsed = import::parse(&req.body, req.basepath)?;
        check_warnings(req.fail_on_warnings, &parsed.warnings)?;
        let paths = match req.mode {
            PutMode::Overwrite => parsed.resources,
            PutMode::Merge => {
                let mut merged: BTreeMap<String, BTreeMap<String, crate::GatewayMethod>> = existing
                    .iter()
                    .map(|(path, r)| (path.clone(), r.methods.clone()))
                    .collect();
                for (path, methods) in parsed.resources {
                    merged.entry(path).or_default().extend(methods);
                }
                import::check_sibling_variables(merged.keys().map(String::as_str))?;
                merged
            }
        };
        check_resources(paths.len(), resources_per_api)?;
        let resources = self.build_resources(paths, &existing);
        let stored = Arc::make_mut(self.apis.get_mut(&req.api_id).expect("checked above"));
        stored.resources = resources;
        stored.definition = Some(parsed.definition);
        stored.api.name = parsed.name;
        if parsed.description.is_some() || req.mode == PutMode::Overwrite {
            stored.api.description = parsed.description;
        }
        if parsed.version.is_some() || req.mode == PutMode::Overwrite {
            stored.api.version = parsed.version;
        }
        Ok(RestApi {
            warnings: parsed.warnings,
            ..stored.api.clone()
        })
    }

    fn deploy(&mut self, api_id: &str, stage: &str) -> Result<Deployment> {
        let resources = &self.api(api_id)?.resources;
        let has_methods = resources.values().any(|r| !r.methods.is_empty());
        let without_integration = resources.values().find_map(|r| {
            r.methods
                .values()
                .find(|m| m.integration.is_none())
                .map(|m| format!("{} {}", m.http_method, r.path))
        });
        if stage.is_empty()
            || stage.len() > 128
            || !stage
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(Error::invalid(format!(
                "Stage name only allows a-zA-Z0-9_- (got '{stage}')"
            )));
        }
        if !has_methods {
            return Err(Error::invalid("The REST API doesn't contain any methods"));
        }
        if let Some(method) = without_integration {
            return Err(Error::invalid(format!(
                "No integration defined for method ({method})"
            )));
        }
        let id = self.new_id();
        let stored = Arc::make_mut(self.apis.get_mut(api_id).expect("checked above"));
        let deployment = Deployment {
            id: id.clone(),
            stage: stage.to_string(),
        };
        stored.deployments.push(deployment.clone());
        stored.stages.insert(stage.to_string(), id);
        Ok(deployment)
    }
}

/// API Gateway refuses a definition over its size limit before reading it.
fn check_body_size(body: &[u8]) -> Result<()> {
    let limit = crate::limits::MAX_API_DEFINITION_BYTES;
    if body.len() > limit {
        return Err(Error::invalid(format!(
            "Request body is too large: the API definition is {} bytes; the maximum size of the API definition file is 6MB ({limit} bytes)",
            body.len()
        )));
    }
    Ok(())
}

/// API Gateway's "Resources per API" quota, counting the root resource.
fn check_resources(count: usize, quota: usize) -> Result<()> {
    if count > quota {
        return Err(Error::Service {
            code: crate::limits::QUOTA_EXCEEDED_CODE.to_string(),
            message: format!(
                "{} (the definition needs {count} resources; the quota is {quota})",
                crate::limits::RESOURCES_QUOTA_MESSAGE
            ),
        });
    }
    Ok(())
}

fn check_warnings(fail_on_warnings: bool, warnings: &[String]) -> Result<()> {
    if fail_on_warnings && !warnings.is_empty() {
        return Err(Error::invalid(format!(
            "Warnings found during import (failonwarnings is set, nothing was changed): {}",
            warnings.join("; ")
        )));
    }
    Ok(())
}

fn catalogue_date() -> crate::Date {
    crate::Date::parse(crate::runtimes::CATALOGUE_DATE).expect("the catalogue date is a date")
}

impl FakeAws {
    /// An empty account `account_id` in `region`.
    pub fn new(region: impl Into<String>, account_id: impl Into<String>) -> Self {
        FakeAws::from_account(Account::new(&region.into(), &account_id.into()))
    }

    fn from_account(account: Account) -> Self {
        FakeAws {
            inner: Arc::new(Mutex::new(Inner {
                account,
                calls: Vec::new(),
                faults: Vec::new(),
                latency: None,
                rate_scale: None,
                rate_history: HashMap::new(),
                resources_per_api: crate::limits::DEFAULT_RESOURCES_PER_API,
                today: catalogue_date(),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the account half changed (changes are
        // made on a copy and swapped in), so a poisoned lock is safe to use.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies Lambda's runtime rules (which runtimes are blocked for new functions, from
    /// [`crate::runtimes`]) as on `today`; by default as on
    /// [`CATALOGUE_DATE`](crate::runtimes::CATALOGUE_DATE), so that the fake reads no clock.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use lambda_sync_aws::{CreateFunction, Date, FakeAws, Lambda, minimal_zip};
    /// let aws = FakeAws::default().with_today(Date::parse("2027-02-01").unwrap());
    /// let role = "arn:aws:iam::123456789012:role/r";
    /// let zip = minimal_zip("index.mjs", b"export const handler = async () => 1;");
    /// let req = CreateFunction::new("f", role, "nodejs20.x", "index.handler", zip);
    /// assert!(aws.create_function(req).await.is_err());
    /// # }
    /// ```
    pub fn with_today(self, today: crate::Date) -> Self {
        self.set_today(today);
        self
    }

    /// Changes the day of Lambda's runtime rules (see [`FakeAws::with_today`]).
    pub fn set_today(&self, today: crate::Date) {
        self.lock().today = today;
    }

    /// The region of this account.
    pub fn region(&self) -> String {
        self.lock().account.region.clone()
    }

    /// The account id.
    pub fn account_id(&self) -> String {
        self.lock().account.account_id.clone()
    }

    /// Adds `latency` to every call (a `tokio::time::sleep` before the call is handled).
    pub fn with_latency(self, latency: Duration) -> Self {
        self.set_latency(Some(latency));
        self
    }

    /// Sets or removes the latency added to every call.
    pub fn set_latency(&self, latency: Option<Duration>) {
        self.lock().latency = latency;
    }

    /// Answers [`Error::Throttled`] past AWS's documented rates — `ImportRestApi` 1 per 3 s,
    /// `PutRestApi` 1 per second, `CreateDeployment` 1 per 5 s, the Lambda control plane 15 per
    /// second — with every interval multiplied by `scale` (for example `0.01` in tests).
    /// A throttled call changes nothing and does not use up the rate.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use lambda_sync_aws::{ApiGateway, Error, FakeAws, ImportRestApi};
    /// let aws = FakeAws::default().with_rate_limits(1.0);
    /// let body = r#"{"swagger": "2.0", "info": {"title": "t"}, "paths": {}}"#;
    /// assert!(aws.import_rest_api(ImportRestApi::new(body)).await.is_ok());
    /// let second = aws.import_rest_api(ImportRestApi::new(body)).await;
    /// assert!(matches!(second, Err(Error::Throttled { .. })));
    /// assert_eq!(aws.list_rest_apis().await.unwrap().len(), 1);
    /// # }
    /// ```
    pub fn with_rate_limits(self, scale: f64) -> Self {
        self.set_rate_limits(Some(scale));
        self
    }

    /// Sets the account's "Resources per API" quota (default
    /// [`DEFAULT_RESOURCES_PER_API`](crate::limits::DEFAULT_RESOURCES_PER_API)), as when it is
    /// raised in Service Quotas. An import or put that needs more resources fails with
    /// `LimitExceededException`, as on AWS.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use lambda_sync_aws::{ApiGateway, Error, FakeAws, ImportRestApi};
    /// let aws = FakeAws::default().with_resources_per_api(2);
    /// let body = r#"{"swagger": "2.0", "info": {"title": "t"}, "paths": {"/a/b": {}}}"#;
    /// let err = aws.import_rest_api(ImportRestApi::new(body)).await.unwrap_err();
    /// assert!(matches!(err, Error::Service { ref code, .. } if code == "LimitExceededException"));
    /// aws.set_resources_per_api(3);
    /// assert!(aws.import_rest_api(ImportRestApi::new(body)).await.is_ok());
    /// # }
    /// ```
    pub fn with_resources_per_api(self, quota: usize) -> Self {
        self.set_resources_per_api(quota);
        self
    }

    /// Changes the "Resources per API" quota (see [`FakeAws::with_resources_per_api`]).
    pub fn set_resources_per_api(&self, quota: usize) {
        self.lock().resources_per_api = quota;
    }

    /// The "Resources per API" quota.
    pub fn resources_per_api(&self) -> usize {
        self.lock().resources_per_api
    }

    /// Turns the rate limits on (with a scale) or off.
    pub fn set_rate_limits(&self, scale: Option<f64>) {
        let mut inner = self.lock();
        inner.rate_scale = scale.filter(|s| s.is_finite() && *s > 0.0);
        inner.rate_history.clear();
    }

    /// Every call made so far (since the last [`FakeAws::clear_calls`]), in order, including
    /// those that failed.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// How many calls of `operation` (for example `"CreateFunction"`) were made.
    pub fn call_count(&self, operation: &str) -> usize {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.operation == operation)
            .count()
    }

    /// Forgets the calls made so far.
    pub fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    /// Makes the `n`th call of `operation` from now on (1-based) fail with `error`, doing
    /// nothing. `n == 0` is taken as 1.
    pub fn fail_nth(&self, operation: &str, n: u64, error: Error) {
        self.lock().faults.push(Fault {
            operation: operation.to_string(),
            remaining: Some(n.max(1)),
            error,
        });
    }

    /// Makes every call of `operation` fail with `error`, doing nothing, until
    /// [`FakeAws::clear_faults`].
    pub fn fail_always(&self, operation: &str, error: Error) {
        self.lock().faults.push(Fault {
            operation: operation.to_string(),
            remaining: None,
            error,
        });
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// The zip package a function was created from.
    pub fn function_code(&self, name: &str) -> Option<Vec<u8>> {
        self.lock()
            .account
            .functions
            .get(name)
            .map(|f| f.zip.as_ref().clone())
    }

    /// The definition last imported or put for an API, as JSON.
    pub fn stored_definition(&self, api_id: &str) -> Option<serde_json::Value> {
        self.lock()
            .account
            .apis
            .get(api_id)
            .and_then(|a| a.definition.clone())
    }

    /// Deletes a REST API as `DeleteRestApi` would (a test helper: lambda-sync never deletes
    /// an API). Returns whether it existed. The functions and their policies stay.
    pub fn delete_rest_api(&self, api_id: &str) -> bool {
        self.lock().account.apis.remove(api_id).is_some()
    }

    /// The deployments made of an API, oldest first.
    pub fn deployments(&self, api_id: &str) -> Vec<Deployment> {
        self.lock()
            .account
            .apis
            .get(api_id)
            .map(|a| a.deployments.clone())
            .unwrap_or_default()
    }

    /// Handles one call: latency, call log, faults, rate limit, then `f` on the account.
    /// [`Change::Copy`] calls work on a copy that replaces the account only when `f`
    /// succeeds, so a failed call changes nothing.
    async fn call<T>(
        &self,
        operation: &'static str,
        target: Option<&str>,
        change: Change,
        f: impl FnOnce(&mut Account) -> Result<T>,
    ) -> Result<T> {
        self.call_in(operation, rate_bucket(operation), target, change, f)
            .await
    }

    /// [`FakeAws::call`] with an explicit rate bucket.
    async fn call_in<T>(
        &self,
        operation: &'static str,
        bucket: Option<Bucket>,
        target: Option<&str>,
        change: Change,
        f: impl FnOnce(&mut Account) -> Result<T>,
    ) -> Result<T> {
        let mutating = change != Change::Read;
        let latency = self.lock().latency;
        if let Some(latency) = latency {
            tokio::time::sleep(latency).await;
        }
        let mut inner = self.lock();
        inner.calls.push(Call {
            operation: operation.to_string(),
            target: target.map(str::to_string),
            mutating,
        });
        let mut fired = None;
        inner.faults.retain_mut(|fault| {
            if fault.operation != operation {
                return true;
            }
            match &mut fault.remaining {
                None => {
                    fired.get_or_insert_with(|| fault.error.clone());
                    true
                }
                Some(remaining) => {
                    *remaining -= 1;
                    if *remaining == 0 {
                        fired.get_or_insert_with(|| fault.error.clone());
                        false
                    } else {
                        true
                    }
                }
            }
        });
        if let Some(error) = fired {
            return Err(error);
        }
        if let (Some(scale), Some((bucket, window, allowed))) = (inner.rate_scale, bucket) {
            let window = window.mul_f64(scale);
            let now = tokio::time::Instant::now();
            let history = inner.rate_history.entry(bucket).or_default();
            while history
                .front()
                .is_some_and(|t| now.duration_since(*t) >= window)
            {
                history.pop_front();
            }
            if history.len() >= allowed {
                let message = if bucket == "Lambda" {
                    "Rate exceeded".to_string()
                } else {
                    "Too Many Requests".to_string()
                };
                return Err(Error::Throttled { message });
            }
            history.push_back(now);
        }
        if change == Change::Copy {
            let mut copy = inner.account.clone();
            let out = f(&mut copy)?;
            inner.account = copy;
            Ok(out)
        } else {
            f(&mut inner.account)
        }
    }
}

/// How a call changes the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Not at all (a read).
    Read,
    /// On a copy of the account that replaces it only when the call succeeds: for calls that
    /// may fail half way (an import or put builds the resources as it goes).
    Copy,
    /// In place: the call checks everything it can fail on before it changes anything, or
    /// undoes its change before failing. For the calls made once per function (creating a
    /// function, adding or removing a statement), where copying the account (a pointer per
    /// function) on every call would cost time quadratic in the number of functions.
    InPlace,
}

#[async_trait::async_trait]
impl ApiGateway for FakeAws {
    async fn import_rest_api(&self, req: ImportRestApi) -> Result<RestApi> {
        let bucket = import_bucket(req.endpoint_type);
        let quota = self.resources_per_api();
        self.call_in("ImportRestApi", Some(bucket), None, Change::Copy, |a| {
            a.import(&req, quota)
        })
        .await
    }

    async fn put_rest_api(&self, req: PutRestApi) -> Result<RestApi> {
        let quota = self.resources_per_api();
        self.call("PutRestApi", Some(&req.api_id), Change::Copy, |a| {
            a.put(&req, quota)
        })
        .await
    }

    async fn get_rest_api(&self, api_id: &str) -> Result<RestApi> {
        self.call("GetRestApi", Some(api_id), Change::Read, |a| {
            Ok(a.api(api_id)?.api.clone())
        })
        .await
    }

    async fn list_rest_apis(&self) -> Result<Vec<RestApi>> {
        self.call("GetRestApis", None, Change::Read, |a| {
            Ok(a.apis.values().map(|s| s.api.clone()).collect())
        })
        .await
    }

    async fn get_resources(&self, api_id: &str) -> Result<Vec<Resource>> {
        self.call("GetResources", Some(api_id), Change::Read, |a| {
            Ok(a.api(api_id)?.resources.values().cloned().collect())
        })
        .await
    }

    async fn create_deployment(
        &self,
        api_id: &str,
        stage: &str,
        _description: Option<&str>,
    ) -> Result<Deployment> {
        self.call("CreateDeployment", Some(api_id), Change::Copy, |a| {
            a.deploy(api_id, stage)
        })
        .await
    }
}

#[async_trait::async_trait]
impl Lambda for FakeAws {
    async fn get_function(&self, name: &str) -> Result<FunctionInfo> {
        self.call("GetFunction", Some(name), Change::Read, |a| {
            Ok(a.function(name)?.info.clone())
        })
        .await
    }

    async fn get_function_code(&self, name: &str) -> Result<Vec<u8>> {
        self.call("GetFunction", Some(name), Change::Read, |a| {
            Ok(a.function(name)?.zip.as_ref().clone())
        })
        .await
    }

    async fn list_functions(&self, marker: Option<String>) -> Result<FunctionPage> {
        self.call("ListFunctions", None, Change::Read, |a| {
            a.list_functions(marker.as_deref())
        })
        .await
    }

    async fn create_function(&self, req: CreateFunction) -> Result<FunctionInfo> {
        let today = self.lock().today;
        self.call("CreateFunction", Some(&req.name), Change::InPlace, |a| {
            a.create_function(&req, today)
        })
        .await
    }

    async fn get_policy(&self, function_name: &str) -> Result<Vec<PolicyStatement>> {
        self.call("GetPolicy", Some(function_name), Change::Read, |a| {
            Ok(a.function(function_name)?.policy.clone())
        })
        .await
    }

    async fn add_permission(&self, req: AddPermission) -> Result<()> {
        self.call(
            "AddPermission",
            Some(&req.function_name),
            Change::InPlace,
            |a| a.add_permission(&req),
        )
        .await
    }

    async fn remove_permission(&self, function_name: &str, statement_id: &str) -> Result<()> {
        self.call(
            "RemovePermission",
            Some(function_name),
            Change::InPlace,
            |a| a.remove_permission(function_name, statement_id),
        )
        .await
    }
}
