//! Reading what exists, and carrying a plan out: bounded concurrency, client-side pacing under
//! AWS's rates, retries with exponential backoff and jitter.

use crate::error::{Error, Result};
use crate::journal::{ImportIntent, Journal};
use crate::limiter::{Limiter, RateClass};
use crate::plan::{ApiAction, Observed, Plan};
use crate::prepare::Prepared;
use futures::stream::{self, StreamExt};
use lambda_sync_aws::{
    AddPermission, ApiGateway, CreateFunction, Deployment, ImportRestApi, Lambda, PutRestApi,
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
    /// The deployment made, if any.
    pub deployment: Option<Deployment>,
    /// Warnings (API Gateway's import warnings, compat notes).
    pub warnings: Vec<String>,
    /// AWS calls made, by operation.
    pub calls: BTreeMap<String, usize>,
    /// Calls retried after throttling or a transient error.
    pub retries: usize,
    /// Why nothing was sent, if so.
    pub skipped: Option<String>,
    /// Whether the definition file was rewritten.
    pub definition_written: bool,
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
    pub limiter: Limiter,
    pub retries: AtomicUsize,
}

impl<'a> Runner<'a> {
    pub fn new(
        gateway: &'a dyn ApiGateway,
        lambda: &'a dyn Lambda,
        options: &'a ApplyOptions,
    ) -> Self {
        Runner {
            gateway,
            lambda,
            options,
            limiter: Limiter::new(options.rate_scale),
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
    /// and the policies of the existing functions the definition uses.
    pub async fn observe(
        &self,
        prepared: &Prepared,
        api_id: Option<&str>,
        region: &str,
    ) -> Result<Observed> {
        // One paginated listing; each page is paced and retried on its own.
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
                _ => break,
            }
        }
        let api = match api_id {
            Some(id) => match self
                .call(RateClass::GatewayRead, || self.gateway.get_rest_api(id))
                .await
            {
                Ok(api) => Some(api),
                Err(lambda_sync_aws::Error::NotFound { .. }) => {
                    return Err(Error::ApiNotFound {
                        api_id: id.to_string(),
                        region: region.to_string(),
                    });
                }
                Err(source) => {
                    return Err(Error::Aws {
                        step: format!("reading REST API {id}"),
                        source,
                    });
                }
            },
            None => None,
        };
        let mut policies = BTreeMap::new();
        if api_id.is_some() {
            let existing: Vec<&str> = prepared
                .functions
                .iter()
                .map(|f| f.name.as_str())
                .filter(|n| names.contains(*n))
                .collect();
            let results: Vec<_> = stream::iter(existing)
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
        }
        Ok(Observed {
            functions: names,
            api,
            policies,
        })
    }

    /// Carries out a plan. Stops before the API call when a function could not be created.
    pub async fn apply(
        &self,
        plan: &Plan,
        prepared: &Prepared,
        role: Option<&str>,
        report: &mut SyncReport,
    ) -> Result<()> {
        report.api_name = plan.api_name.clone();
        if let Some(why) = &plan.skipped {
            report.skipped = Some(why.clone());
            return Ok(());
        }
        let progress = self.options.progress.as_deref();
        if let Some(p) = progress {
            p.start(plan.write_calls());
        }
        let result = self
            .apply_inner(plan, prepared, role, report, progress)
            .await;
        if let Some(p) = progress {
            p.finish();
        }
        result
    }

    async fn apply_inner(
        &self,
        plan: &Plan,
        prepared: &Prepared,
        role: Option<&str>,
        report: &mut SyncReport,
        progress: Option<&dyn Progress>,
    ) -> Result<()> {
        // 1. Functions: only the missing ones; an existing one is never touched.
        report.functions_reused = plan.reuse_functions.clone();
        let wanted: Vec<_> = plan
            .create_functions
            .iter()
            .filter_map(|name| prepared.functions.iter().find(|f| &f.name == name))
            .collect();
        let role = role.unwrap_or_default();
        let results: Vec<_> = stream::iter(wanted)
            .map(|f| async move {
                let req = CreateFunction::new(
                    f.name.clone(),
                    role.to_string(),
                    f.runtime.clone(),
                    f.handler.clone(),
                    f.zip.clone(),
                )
                .with_description(f.description.clone())
                .with_tag("managed-by", "lambda-sync");
                let r = self
                    .call(RateClass::Lambda, || {
                        self.lambda.create_function(req.clone())
                    })
                    .await;
                if let Some(p) = progress {
                    p.step(&format!("function {}", f.name));
                }
                (f.name.clone(), r)
            })
            .buffer_unordered(self.options.concurrency.max(1))
            .collect()
            .await;
        let mut first_error = None;
        let mut created = Vec::new();
        for (name, r) in results {
            match r {
                Ok(_) => created.push(name),
                // Created meanwhile by someone else: used as it is, never overwritten.
                Err(lambda_sync_aws::Error::Conflict { .. }) => report.functions_reused.push(name),
                Err(source) => {
                    if first_error.is_none() {
                        first_error = Some(Error::Aws {
                            step: format!("creating function {name}"),
                            source,
                        });
                    }
                }
            }
        }
        // Report in plan order, whatever order the calls finished in.
        report.functions_created = plan
            .create_functions
            .iter()
            .filter(|n| created.contains(n))
            .cloned()
            .collect();
        if let Some(e) = first_error {
            return Err(e);
        }
        crate::fault::point("functions-created");

        // 2. The API.
        let api = match &plan.api {
            ApiAction::Import => {
                if let Some(journal) = &self.options.journal {
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
                    })?;
                }
                let req = ImportRestApi::new(prepared.body.clone())
                    .with_basepath(plan.basepath)
                    .with_fail_on_warnings(plan.fail_on_warnings);
                let api = self
                    .call(RateClass::Import, || {
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
                let req = PutRestApi::new(api_id.clone(), prepared.body.clone())
                    .with_mode(*mode)
                    .with_basepath(plan.basepath)
                    .with_fail_on_warnings(plan.fail_on_warnings);
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
        if let Some(p) = progress {
            p.step(&format!("REST API {}", api.id));
        }
        report.api_id = Some(api.id.clone());
        report.warnings.extend(api.warnings.iter().cloned());

        // 3. Permissions (a duplicate statement means it is there already).
        let api_id = api.id.clone();
        let perms: Vec<_> = plan
            .add_permissions
            .iter()
            .map(|p| {
                let source_arn = p.source_arn.clone().unwrap_or_else(|| {
                    prepared
                        .permissions
                        .iter()
                        .find(|d| d.statement_id == p.statement_id && d.function == p.function)
                        .map(|d| d.source_arn(&api_id))
                        .unwrap_or_default()
                });
                (p, source_arn)
            })
            .collect();
        let results: Vec<_> = stream::iter(perms)
            .map(|(p, source_arn)| async move {
                let req = AddPermission::new(p.function.clone(), p.statement_id.clone())
                    .with_source_arn(source_arn);
                let r = self
                    .call(RateClass::Lambda, || {
                        self.lambda.add_permission(req.clone())
                    })
                    .await;
                if let Some(pr) = progress {
                    pr.step(&format!("permission {}", p.statement_id));
                }
                (p, r)
            })
            .buffer_unordered(self.options.concurrency.max(1))
            .collect()
            .await;
        let mut first_error = None;
        let mut added = Vec::new();
        for (p, r) in results {
            match r {
                Ok(()) => added.push(format!("{}:{}", p.function, p.statement_id)),
                Err(lambda_sync_aws::Error::Conflict { .. }) => {}
                Err(source) => {
                    if first_error.is_none() {
                        first_error = Some(Error::Aws {
                            step: format!("adding permission {} to {}", p.statement_id, p.function),
                            source,
                        });
                    }
                }
            }
        }
        added.sort();
        report.permissions_added = added;
        if let Some(e) = first_error {
            return Err(e);
        }
        crate::fault::point("permissions-added");

        // 4. Deployment.
        if let Some(stage) = &plan.deployment {
            let d = self
                .call(RateClass::Deployment, || {
                    self.gateway
                        .create_deployment(&api_id, stage, Some("lambda-sync push"))
                })
                .await
                .map_err(|source| Error::Aws {
                    step: format!("deploying REST API {api_id} to stage {stage}"),
                    source,
                })?;
            if let Some(p) = progress {
                p.step(&format!("deployment to {stage}"));
            }
            report.deployment = Some(d);
        }
        Ok(())
    }
}
