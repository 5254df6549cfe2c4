//! Reading what exists, and carrying a plan out: bounded concurrency, client-side pacing under
//! AWS's rates, retries with exponential backoff and jitter.

use crate::error::{Error, Result};
use crate::journal::{ImportIntent, Journal};
use crate::limiter::{Limiter, RateClass};
use crate::plan::{
    AddPermissionStep, ApiAction, ApiStep, CreateFunctionStep, DeployStep, Observed, Plan,
    RemovePermissionStep,
};
use crate::prepare::Prepared;
use futures::stream::{self, StreamExt};
use lambda_sync_aws::{
    AddPermission, ApiGateway, CreateFunction, Deployment, ImportRestApi, Lambda, PolicyStatement,
    PutRestApi, RestApi,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Receives progress events during `apply` (the CLI draws a progress bar from them).
pub trait Progress: Send + Sync + std::fmt::Debug {
    /// The number of steps about to run.
    fn start(&self, total: usize);
    /// One step finished.
    fn step(&self, message: &str);
    /// All steps finished (or the sync stopped).
    fn finish(&self);
}

/// How `apply` talks to AWS.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Calls in flight at once.
    pub concurrency: usize,
    /// Multiplier of AWS's documented intervals for client-side pacing (1.0 = AWS's rates,
    /// 0 = no pacing).
    pub rate_scale: f64,
    /// Attempts per call for throttling and transient errors.
    pub max_attempts: u32,
    /// First backoff delay; doubled on each attempt (with full jitter), capped at `max_backoff`.
    pub base_backoff: Duration,
    /// Longest backoff delay.
    pub max_backoff: Duration,
    /// Progress receiver.
    pub progress: Option<Arc<dyn Progress>>,
    /// Where intents are recorded before the calls that create something (see [`Journal`]).
    pub journal: Option<Arc<dyn Journal>>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            concurrency: 4,
            rate_scale: 1.0,
            max_attempts: 8,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            progress: None,
            journal: None,
        }
    }
}

impl ApplyOptions {
    /// Records intents in `journal` before the calls that create something.
    pub fn with_journal(mut self, journal: Arc<dyn Journal>) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Sets the concurrency (at least 1).
    pub fn with_concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }
    /// Sets the pacing scale.
    pub fn with_rate_scale(mut self, scale: f64) -> Self {
        self.rate_scale = scale;
        self
    }
    /// Sets the backoff (base and cap).
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_backoff = base;
        self.max_backoff = max;
        self
    }
    /// Sets the attempts per call.
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    /// Sets the progress receiver.
    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Self {
        self.progress = Some(progress);
        self
    }
}

/// What a push did. On failure, what was done before it stopped.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// The REST API id (known once imported).
    pub api_id: Option<String>,
    /// The API name.
    pub api_name: String,
    /// Whether this push created the API.
    pub api_created: bool,
    /// Whether this push updated an existing API (its definition was put).
    pub api_updated: bool,
    /// Functions created.
    pub functions_created: Vec<String>,
    /// Functions that existed and were used as they are.
    pub functions_reused: Vec<String>,
    /// Statement ids of the permissions added (`function:statement`).
    pub permissions_added: Vec<String>,
    /// Statement ids of the permissions removed (`function:statement`): stale ones
    /// lambda-sync made for this API, and those replaced by an added one.
    pub permissions_removed: Vec<String>,
    /// Functions whose policy was read with `GetPolicy` (the others came from the state's
    /// cache or were created by this push).
    pub policies_read: usize,
    /// Warnings (API Gateway's import warnings, compat notes, the plan's warnings).
    /// The deployment made, if any.
    pub deployment: Option<Deployment>,
    /// Warnings (API Gateway's import warnings, compat notes).
    pub warnings: Vec<String>,
    /// Operations compat left out because API Gateway cannot tell them apart from another one
    /// (method, path, `operationId`, reason; each is also a warning).
    pub left_out: Vec<lambda_sync_compat::LeftOut>,
    /// Operations compat left out that a router reaches (see [`Plan::dispatched`](crate::Plan)).
    pub dispatched: Vec<crate::Dispatched>,
    /// AWS calls made, by operation.
    pub calls: BTreeMap<String, usize>,
    /// Calls retried after throttling or a transient error.
    pub retries: usize,
    /// Why nothing was sent, if so.
    pub skipped: Option<String>,
    /// Whether the definition file was rewritten.
    pub definition_written: bool,
    /// The statements known, after this push, on each function it used (what was read or
    /// cached, with this push's additions and removals): the state's policy cache.
    #[serde(skip)]
    pub policies: BTreeMap<String, Vec<PolicyStatement>>,
}

/// A push that stopped: the error and what was done before it.
#[derive(Debug)]
pub struct Failure {
    /// What was done.
    pub report: SyncReport,
    /// Why it stopped.
    pub error: Error,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

pub(crate) struct Runner<'a> {
    pub gateway: &'a dyn ApiGateway,
    pub lambda: &'a dyn Lambda,
    pub options: &'a ApplyOptions,
    /// The engine's limiter: pacing carries over from one push to the next.
    pub limiter: &'a Limiter,
    pub retries: AtomicUsize,
}

impl<'a> Runner<'a> {
    pub fn new(
        gateway: &'a dyn ApiGateway,
        lambda: &'a dyn Lambda,
        options: &'a ApplyOptions,
        limiter: &'a Limiter,
    ) -> Self {
        Runner {
            gateway,
            lambda,
            options,
            limiter,
            retries: AtomicUsize::new(0),
        }
    }

    /// Runs one AWS call with pacing and retries.
    pub async fn call<T, F, Fut>(&self, class: RateClass, mut f: F) -> lambda_sync_aws::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = lambda_sync_aws::Result<T>>,
    {
        let mut attempt = 0u32;
        loop {
            self.limiter.acquire(class).await;
            match f().await {
                Err(e) if e.is_retryable() && attempt + 1 < self.options.max_attempts => {
                    attempt += 1;
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    let cap = self
                        .options
                        .base_backoff
                        .saturating_mul(1u32 << attempt.min(16))
                        .min(self.options.max_backoff);
                    // Full jitter: a random delay between half the cap and the cap.
                    let delay = cap.mul_f64(0.5 + fastrand::f64() * 0.5);
                    tokio::time::sleep(delay).await;
                }
                other => return other,
            }
        }
    }

    /// Reads what exists: one paginated listing of functions, the API (when an id is known)
    /// and the policies of the existing functions the definition uses — from `cached` when it
    /// has the function (the state's cache), else with `GetPolicy`.
    pub async fn observe(
        &self,
        prepared: &Prepared,
        api_id: Option<&str>,
        region: &str,
        cached: Option<&BTreeMap<String, Vec<PolicyStatement>>>,
    ) -> Result<Observed> {
        let names = self.list_function_names().await?;
        let api = match api_id {
            Some(id) => Some(self.read_api(id, region).await?),
            None => None,
        };
        // The functions the API calls today (a granularity change leaves some unused).
        let mut api_functions = std::collections::BTreeSet::new();
        if let Some(id) = api_id {
            let resources = self
                .call(RateClass::GatewayRead, || self.gateway.get_resources(id))
                .await
                .map_err(|source| Error::Aws {
                    step: format!("reading the resources of REST API {id}"),
                    source,
                })?;
            for m in resources.iter().flat_map(|r| r.methods.values()) {
                if let Some((name, _)) = m
                    .integration
                    .as_ref()
                    .and_then(|i| i.uri.as_deref())
                    .and_then(lambda_sync_integration::function_from_uri)
                {
                    api_functions.insert(name);
                }
            }
        }
        let mut policies = BTreeMap::new();
        let mut cached_policies = std::collections::BTreeSet::new();
        let mut to_read = Vec::new();
        for f in prepared
            .functions
            .iter()
            .filter(|f| names.contains(&f.name))
        {
            match cached.and_then(|c| c.get(&f.name)) {
                Some(statements) => {
                    policies.insert(f.name.clone(), statements.clone());
                    cached_policies.insert(f.name.clone());
                }
                None => to_read.push(f.name.as_str()),
            }
        }
        let results: Vec<_> = stream::iter(to_read)
            .map(|name| async move {
                let r = self
                    .call(RateClass::Lambda, || self.lambda.get_policy(name))
                    .await;
                (name, r)
            })
            .buffer_unordered(self.options.concurrency.max(1))
            .collect()
            .await;
        for (name, r) in results {
            match r {
                Ok(st) => {
                    policies.insert(name.to_string(), st);
                }
                Err(lambda_sync_aws::Error::NotFound { .. }) => {}
                Err(source) => {
                    return Err(Error::Aws {
                        step: format!("reading the policy of function {name}"),
                        source,
                    });
                }
            }
        }
        Ok(Observed {
            functions: names,
            api,
            api_functions,
            policies,
            cached_policies,
        })
    }

    /// Every function name of the region: one paginated listing, each page paced and retried.
    async fn list_function_names(&self) -> Result<std::collections::BTreeSet<String>> {
        let mut names = std::collections::BTreeSet::new();
        let mut marker: Option<String> = None;
        loop {
            let page = self
                .call(RateClass::Lambda, || {
                    self.lambda.list_functions(marker.clone())
                })
                .await
                .map_err(|source| Error::Aws {
                    step: "listing Lambda functions".into(),
                    source,
                })?;
            names.extend(page.functions.into_iter().map(|f| f.name));
            match page.next_marker {
                Some(next) if Some(&next) != marker.as_ref() => marker = Some(next),
                _ => return Ok(names),
            }
        }
    }

    async fn read_api(&self, id: &str, region: &str) -> Result<RestApi> {
        match self
            .call(RateClass::GatewayRead, || self.gateway.get_rest_api(id))
            .await
        {
            Ok(api) => Ok(api),
            Err(lambda_sync_aws::Error::NotFound { .. }) => Err(Error::ApiNotFound {
                api_id: id.to_string(),
                region: region.to_string(),
            }),
            Err(source) => Err(Error::Aws {
                step: format!("reading REST API {id}"),
                source,
            }),
        }
    }

    /// Carries out a plan, step by step: functions, the API, statement removals, statement
    /// additions, the deployment. Stops before the API call when a function could not be
    /// created, and at the end of the first step that failed. `known` is the statements known
    /// on each function before the push; the report's `policies` is it after.
    pub async fn apply(
        &self,
        plan: &Plan,
        known: &BTreeMap<String, Vec<PolicyStatement>>,
        report: &mut SyncReport,
    ) -> Result<()> {
        report.api_name = plan.api_name.clone();
        report.warnings.extend(plan.warnings.iter().cloned());
        report.left_out = plan.left_out.clone();
        report.dispatched = plan.dispatched.clone();
        if let Some(why) = &plan.skipped {
            report.skipped = Some(why.clone());
            return Ok(());
        }
        report.policies = known.clone();
        for step in &plan.create_functions {
            report.policies.insert(step.name.clone(), Vec::new());
        }
        let progress = self.options.progress.as_deref();
        if let Some(p) = progress {
            p.start(plan.write_calls());
        }
        let result = async {
            self.create_functions(plan, report).await?;
            crate::fault::point("functions-created");
            self.record_intent(plan).await?;
            let api_id = self.publish(&plan.api, report).await?;
            self.remove_permissions(&plan.remove_permissions, report)
                .await?;
            self.add_permissions(&plan.add_permissions, &api_id, report)
                .await?;
            crate::fault::point("permissions-added");
            if let Some(step) = &plan.deployment {
                self.deploy(step, &api_id, report).await?;
            }
            Ok(())
        }
        .await;
        if let Some(p) = progress {
            p.finish();
        }
        result
    }

    fn step_done(&self, message: impl FnOnce() -> String) {
        if let Some(p) = self.options.progress.as_deref() {
            p.step(&message());
        }
    }

    /// Runs `run` on every item, `concurrency` at a time, and returns each item with its result.
    async fn each<'s, I, T, F, Fut>(
        &self,
        items: I,
        run: F,
    ) -> Vec<(&'s T, lambda_sync_aws::Result<()>)>
    where
        I: IntoIterator<Item = &'s T>,
        T: 's,
        F: Fn(&'s T) -> Fut,
        Fut: Future<Output = lambda_sync_aws::Result<()>>,
    {
        stream::iter(items)
            .map(|item| {
                let fut = run(item);
                async move { (item, fut.await) }
            })
            .buffer_unordered(self.options.concurrency.max(1))
            .collect()
            .await
    }

    /// Step 1: the missing functions. A function created meanwhile by someone else is used as
    /// it is, never overwritten.
    async fn create_functions(&self, plan: &Plan, report: &mut SyncReport) -> Result<()> {
        report.functions_reused = plan.reuse_functions.clone();
        let results = self
            .each(
                &plan.create_functions,
                |f: &CreateFunctionStep| async move {
                    let mut req = CreateFunction::new(
                        f.name.clone(),
                        f.role.clone(),
                        f.runtime.clone(),
                        f.handler.clone(),
                        f.zip.as_ref().clone(),
                    )
                    .with_description(f.description.clone());
                    for (k, v) in &f.tags {
                        req = req.with_tag(k.clone(), v.clone());
                    }
                    let r = self
                        .call(RateClass::Lambda, || {
                            self.lambda.create_function(req.clone())
                        })
                        .await
                        .map(|_| ());
                    self.step_done(|| format!("function {}", f.name));
                    r
                },
            )
            .await;
        let mut first_error = None;
        let mut created = std::collections::BTreeSet::new();
        for (f, r) in results {
            match r {
                Ok(()) => {
                    created.insert(f.name.as_str());
                }
                Err(lambda_sync_aws::Error::Conflict { .. }) => {
                    report.functions_reused.push(f.name.clone());
                    // Someone else's function: its policy is unknown.
                    report.policies.remove(&f.name);
                }
                Err(source) => {
                    report.policies.remove(&f.name);
                    first_error.get_or_insert(Error::Aws {
                        step: format!("creating function {}", f.name),
                        source,
                    });
                }
            }
        }
        // Report in plan order, whatever order the calls finished in.
        report.functions_created = plan
            .create_functions
            .iter()
            .filter(|f| created.contains(f.name.as_str()))
            .map(|f| f.name.clone())
            .collect();
        first_error.map_or(Ok(()), Err)
    }

    /// Before an import: records its intent in the journal, if there is one (see
    /// [`Journal`]), with the APIs that already have the name.
    async fn record_intent(&self, plan: &Plan) -> Result<()> {
        let (Some(journal), ApiAction::Import { .. }) = (&self.options.journal, &plan.api.action)
        else {
            return Ok(());
        };
        let existing = self
            .gateway
            .find_rest_apis_by_name(&plan.api_name)
            .await
            .map_err(|source| Error::Aws {
                step: "listing the REST APIs".into(),
                source,
            })?;
        journal.before_import(&ImportIntent {
            api_name: plan.api_name.clone(),
            existing: existing.into_iter().map(|a| a.id).collect(),
            marker: plan.api.marker.clone(),
        })
    }

    /// Step 2: the import or put. Returns the API id.
    async fn publish(&self, step: &ApiStep, report: &mut SyncReport) -> Result<String> {
        let body = step.body.as_ref().clone();
        let api = match &step.action {
            ApiAction::Import { endpoint_type } => {
                let req = ImportRestApi::new(body)
                    .with_basepath(step.basepath)
                    .with_fail_on_warnings(step.fail_on_warnings)
                    .with_endpoint_type(*endpoint_type);
                let api = self
                    .call(RateClass::import(*endpoint_type), || {
                        self.gateway.import_rest_api(req.clone())
                    })
                    .await
                    .map_err(|source| Error::Aws {
                        step: "importing the REST API".into(),
                        source,
                    })?;
                report.api_created = true;
                api
            }
            ApiAction::Put { api_id, mode } => {
                let req = PutRestApi::new(api_id.clone(), body)
                    .with_mode(*mode)
                    .with_basepath(step.basepath)
                    .with_fail_on_warnings(step.fail_on_warnings);
                let api = self
                    .call(RateClass::Put, || self.gateway.put_rest_api(req.clone()))
                    .await
                    .map_err(|source| Error::Aws {
                        step: format!("updating REST API {api_id}"),
                        source,
                    })?;
                report.api_updated = true;
                api
            }
        };
        crate::fault::point("api-sent");
        self.step_done(|| format!("REST API {}", api.id));
        report.api_id = Some(api.id.clone());
        report.warnings.extend(api.warnings.iter().cloned());
        Ok(api.id)
    }

    /// Step 3: stale statements lambda-sync made for this API (a statement already gone is
    /// what was wanted).
    async fn remove_permissions(
        &self,
        steps: &[RemovePermissionStep],
        report: &mut SyncReport,
    ) -> Result<()> {
        let results = self
            .each(steps, |r: &RemovePermissionStep| async move {
                let out = self
                    .call(RateClass::Lambda, || {
                        self.lambda.remove_permission(&r.function, &r.statement_id)
                    })
                    .await;
                self.step_done(|| format!("remove permission {}", r.statement_id));
                out
            })
            .await;
        let mut first_error = None;
        let mut removed = Vec::new();
        for (r, out) in results {
            match out {
                Ok(()) | Err(lambda_sync_aws::Error::NotFound { .. }) => {
                    removed.push(format!("{}:{}", r.function, r.statement_id));
                    if let Some(known) = report.policies.get_mut(&r.function) {
                        known.retain(|s| s.sid != r.statement_id);
                    }
                }
                Err(source) => {
                    first_error.get_or_insert(Error::Aws {
                        step: format!("removing permission {} from {}", r.statement_id, r.function),
                        source,
                    });
                }
            }
        }
        removed.sort();
        report.permissions_removed = removed;
        first_error.map_or(Ok(()), Err)
    }

    /// Step 4: the statements to add, with the API id in place (a duplicate statement id means
    /// the statement is there already).
    async fn add_permissions(
        &self,
        steps: &[AddPermissionStep],
        api_id: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        let results = self
            .each(steps, |p: &AddPermissionStep| async move {
                let req = AddPermission::new(p.function.clone(), p.statement_id.resolve(api_id))
                    .with_action(p.action.clone())
                    .with_principal(p.principal.clone())
                    .with_source_arn(p.source_arn.resolve(api_id));
                let out = self
                    .call(RateClass::Lambda, || {
                        self.lambda.add_permission(req.clone())
                    })
                    .await;
                self.step_done(|| format!("permission {}", req.statement_id));
                out
            })
            .await;
        let mut first_error = None;
        let mut added = Vec::new();
        for (p, out) in results {
            let sid = p.statement_id.resolve(api_id);
            match out {
                Ok(()) => {
                    added.push(format!("{}:{sid}", p.function));
                    if let Some(known) = report.policies.get_mut(&p.function) {
                        known.push(PolicyStatement {
                            sid,
                            action: Some(p.action.clone()),
                            principal: Some(p.principal.clone()),
                            source_arn: Some(p.source_arn.resolve(api_id)),
                        });
                    }
                }
                // There already: what it says is unknown, so the cache forgets this policy
                // and the next push reads it.
                Err(lambda_sync_aws::Error::Conflict { .. }) => {
                    report.policies.remove(&p.function);
                }
                Err(source) => {
                    report.policies.remove(&p.function);
                    first_error.get_or_insert(Error::Aws {
                        step: format!("adding permission {sid} to {}", p.function),
                        source,
                    });
                }
            }
        }
        added.sort();
        report.permissions_added = added;
        first_error.map_or(Ok(()), Err)
    }

    /// Step 5: the deployment.
    async fn deploy(&self, step: &DeployStep, api_id: &str, report: &mut SyncReport) -> Result<()> {
        let d = self
            .call(RateClass::Deployment, || {
                self.gateway
                    .create_deployment(api_id, &step.stage, Some(&step.description))
            })
            .await
            .map_err(|source| Error::Aws {
                step: format!("deploying REST API {api_id} to stage {}", step.stage),
                source,
            })?;
        self.step_done(|| format!("deployment to {}", step.stage));
        report.deployment = Some(d);
        Ok(())
    }
}
