//! Plan and push OpenAPI definitions to Amazon API Gateway, backed by AWS Lambda functions.
//!
//! This is the engine behind the `lambda-sync` command, usable from any Rust program:
//!
//! 1. [`Config`] (from `lambda-sync.toml` and flags) resolves to validated [`Settings`].
//! 2. [`prepare`] (pure) makes the definition AWS-ready (compat transforms, then an
//!    `x-amazon-apigateway-integration` per operation) and generates a stub per function.
//! 3. The engine reads what exists ([`Observed`]: one paginated listing of functions, the API,
//!    the policies of existing functions), and [`plan`] (pure) decides what to do.
//! 4. `apply` does exactly the plan, under AWS's rates, with retries: only missing functions
//!    are created (an existing function is never overwritten, updated or deleted), the API is
//!    imported or put, each invoke permission is added once, and the API is deployed when a
//!    stage is configured. A push that fails half way can be run again and finishes the job.
//! 5. Or [`export()`] (pure) writes the same desired state as a CloudFormation or SAM template.
//!
//! ```
//! use lambda_sync::{Config, Engine, Target};
//! use lambda_sync_aws::FakeAws;
//! use std::sync::Arc;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let doc = lambda_sync_spec::load_str(r#"
//! openapi: 3.0.3
//! info: {title: Users, version: "1", description: demo}
//! paths:
//!   /user/{username}:
//!     get:
//!       operationId: getUserByName
//!       parameters: [{name: username, in: path, required: true, schema: {type: string}}]
//!       responses: {"200": {description: ok}}
//! "#)?.document;
//! let account = FakeAws::default();
//! let settings = Config::default().resolve(Target::Local)?;
//! let engine = Engine::new(settings, Arc::new(account.clone()), Arc::new(account.clone()));
//! let report = engine.push(&doc, None).await?;
//! assert_eq!(report.functions_created, ["getUserByName"]);
//!
//! // A second push of the same definition creates nothing.
//! let again = engine.push(&doc, report.api_id.as_deref()).await?;
//! assert!(again.functions_created.is_empty());
//! assert_eq!(again.functions_reused, ["getUserByName"]);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod apply;
mod config;
mod dispatched;
mod error;
mod export;
#[doc(hidden)]
pub mod fault;
mod journal;
mod limiter;
mod plan;
mod prepare;
mod recorder;
mod state;
pub mod watch;

pub use apply::{ApplyOptions, Failure, Progress, SyncReport};
pub use config::{
    CONFIG_FILE_NAME, Config, DeploymentMode, LOCAL_ACCOUNT_ID, LOCAL_REGION, LOCAL_ROLE, Quotas,
    Settings, Target, role_account, valid_region,
};
pub use dispatched::Dispatched;
pub use error::{Error, Result};
pub use export::{
    BodyPlacement, DEFAULT_EXPORT_STAGE, Export, ExportFile, ExportFileKind, ExportFormat,
    ExportOptions, export, logical_ids as export_logical_ids,
};
pub use journal::{
    ImportIntent, Journal, MARKER_PREFIX as IMPORT_MARKER_PREFIX, mark_body as mark_import_body,
};
pub use limiter::{Limiter, RateClass};
pub use plan::{
    AddPermissionStep, ApiAction, ApiId, ApiScoped, ApiStep, CreateFunctionStep, DeployStep,
    Observed, Plan, RemovePermissionStep, api_statement_id, made_for_api, plan,
};
pub use prepare::{
    API_ID_KEY, DesiredFunction, DesiredPermission, FunctionCode, Prepared, bind_options,
    check_runtime, function_stub, prepare, prepare_owned, write_back_document,
};
pub use state::{FileWriter, LOCK_FILE, LockMode, PolicyCache, State, StateDir, definition_key};

pub use lambda_sync_aws as aws;
pub use lambda_sync_compat as compat;
pub use lambda_sync_integration as integration;
pub use lambda_sync_spec as spec;
pub use lambda_sync_stubs as stubs;

use lambda_sync_aws::{ApiGateway, Lambda};
use lambda_sync_spec::Document;
use std::sync::Arc;

/// The result of planning: what is wanted, what exists, what would be done.
#[derive(Debug, Clone)]
pub struct PlanOutcome {
    /// What the definition wants.
    pub prepared: Prepared,
    /// What exists.
    pub observed: Observed,
    /// What a push would do.
    pub plan: Plan,
    /// The API id the push would use (`None`: a new API).
    pub api_id: Option<String>,
    /// Read calls made while planning, by operation.
    pub calls: std::collections::BTreeMap<String, usize>,
}

/// What earlier pushes recorded about a definition's target (see [`State`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorded {
    /// The API id an earlier push of this definition created or updated.
    pub api_id: Option<String>,
    /// The statements known on each function of this account and region; `None` (no cache,
    /// or `--refresh`) reads every policy.
    pub policies: Option<PolicyCache>,
}

impl Recorded {
    /// Only an API id, no policy cache.
    pub fn api_id(api_id: Option<&str>) -> Recorded {
        Recorded {
            api_id: api_id.map(str::to_string),
            policies: None,
        }
    }
}

/// Runs syncs against one pair of clients (the fake or the real backend).
#[derive(Debug, Clone)]
pub struct Engine {
    settings: Settings,
    gateway: Arc<dyn ApiGateway>,
    lambda: Arc<dyn Lambda>,
    options: ApplyOptions,
    /// Paces the calls of every push of this engine (and of its clones), so that a push right
    /// after another one waits for AWS's rates instead of being throttled.
    limiter: Arc<Limiter>,
}

impl Engine {
    /// An engine with these settings and clients; concurrency from the settings.
    pub fn new(
        settings: Settings,
        gateway: Arc<dyn ApiGateway>,
        lambda: Arc<dyn Lambda>,
    ) -> Engine {
        let options = ApplyOptions::default().with_concurrency(settings.concurrency);
        let limiter = Arc::new(Limiter::new(options.rate_scale));
        Engine {
            settings,
            gateway,
            lambda,
            options,
            limiter,
        }
    }

    /// Changes how calls are made (pacing, retries, progress). The engine's pacing starts
    /// afresh at the new rate scale.
    pub fn with_apply_options(mut self, options: ApplyOptions) -> Engine {
        self.limiter = Arc::new(Limiter::new(options.rate_scale));
        self.options = options;
        self
    }

    /// Paces this engine's calls with `limiter`, shared with whatever else holds it: engines
    /// made one after another for the same account (the CLI's watch mode opens one per push)
    /// then keep under AWS's rates together. Call it after [`Engine::with_apply_options`].
    pub fn with_limiter(mut self, limiter: Arc<Limiter>) -> Engine {
        self.limiter = limiter;
        self
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The API id a push of `doc` goes to: the configured `api_id`, else the definition's root
    /// `x-aws-api-id`, else `recorded` (what an earlier push recorded), else none (a new API).
    pub fn resolve_api_id(&self, doc: &Document, recorded: Option<&str>) -> Option<String> {
        let in_document = doc
            .value()
            .get(API_ID_KEY)
            .and_then(serde_json::Value::as_str);
        self.resolve_api_id_in(in_document, recorded)
    }

    /// [`Engine::resolve_api_id`] from the definition's root `x-aws-api-id` alone (as
    /// [`Prepared::api_id_in_document`] holds it).
    fn resolve_api_id_in(
        &self,
        in_document: Option<&str>,
        recorded: Option<&str>,
    ) -> Option<String> {
        self.settings
            .api_id
            .clone()
            .or_else(|| in_document.map(str::to_string))
            .or_else(|| recorded.map(str::to_string))
    }

    /// The API that a push killed after its import (and before its caller recorded the id)
    /// created, found from the [`ImportIntent`] the push recorded: the one API of that name
    /// that did not exist before and is not in `taken` (the ids recorded for other
    /// definitions). `None` when there is none, or more than one to tell apart.
    pub async fn adopt(&self, intent: &ImportIntent, taken: &[String]) -> Result<Option<String>> {
        journal::find_adoptable(self.gateway.as_ref(), intent, taken)
            .await
            .map_err(|source| Error::Aws {
                step: "looking for the REST API of an interrupted push".into(),
                source,
            })
    }

    /// A dry run: prepares, reads what exists, and plans. No call that writes is made.
    pub async fn plan(&self, doc: &Document, recorded_api_id: Option<&str>) -> Result<PlanOutcome> {
        self.plan_recorded(doc, &Recorded::api_id(recorded_api_id))
            .await
    }

    /// [`Engine::plan`] with what earlier pushes recorded (the API id and the policy cache).
    pub async fn plan_recorded(&self, doc: &Document, recorded: &Recorded) -> Result<PlanOutcome> {
        self.plan_prepared(prepare(doc, &self.settings)?, recorded)
            .await
    }

    /// [`Engine::plan_recorded`] of a definition the caller gives away: it is prepared with
    /// [`prepare_owned`], without a copy of its tree.
    pub async fn plan_recorded_owned(
        &self,
        doc: Document,
        recorded: &Recorded,
    ) -> Result<PlanOutcome> {
        self.plan_prepared(prepare_owned(doc, &self.settings)?, recorded)
            .await
    }

    /// Plans what was prepared.
    async fn plan_prepared(&self, prepared: Prepared, recorded: &Recorded) -> Result<PlanOutcome> {
        let api_id = self.resolve_api_id_in(
            prepared.api_id_in_document.as_deref(),
            recorded.api_id.as_deref(),
        );
        let recorder = recorder::Recorder::new(self.gateway.as_ref(), self.lambda.as_ref());
        let runner = apply::Runner::new(&recorder, &recorder, &self.options, &self.limiter);
        let observed =
            if self.settings.enabled && self.settings.deployment == DeploymentMode::OnSave {
                runner
                    .observe(
                        &prepared,
                        api_id.as_deref(),
                        &self.settings.region,
                        recorded.policies.as_ref(),
                    )
                    .await?
            } else {
                Observed::default()
            };
        let plan = plan::plan(&prepared, &observed, &self.settings, api_id.as_deref())?;
        Ok(PlanOutcome {
            prepared,
            observed,
            plan,
            api_id,
            calls: recorder.calls(),
        })
    }

    /// Pushes a definition: plan, then apply. `recorded_api_id` is the id an earlier push of
    /// this definition recorded (see [`State`]). On failure the [`Failure`] says what was done,
    /// including the id of an API that was created before the failure, so that it can be
    /// recorded and the next push finishes the job on the same API.
    pub async fn push(
        &self,
        doc: &Document,
        recorded_api_id: Option<&str>,
    ) -> Result<SyncReport, Failure> {
        let prepared = prepare(doc, &self.settings).map_err(|e| Self::nothing_done(doc, e))?;
        self.push_prepared(doc, &prepared, recorded_api_id, None)
            .await
    }

    /// Pushes, then (when `update_definition` is on and the push succeeded) writes the AWS-ready
    /// definition back to `path`, with `x-aws-api-id` recorded: as edits of the file's own text
    /// ([`lambda_sync_spec::write_back`]), so comments, layout and every untouched byte stay;
    /// atomically; and only if the file still holds what `doc` was loaded from. Spots that had to
    /// be rewritten rather than edited are reported as warnings. With `update_definition` off the
    /// file is never touched.
    pub async fn push_and_write_back(
        &self,
        doc: &Document,
        recorded_api_id: Option<&str>,
        path: &std::path::Path,
    ) -> Result<SyncReport, Failure> {
        let prepared = prepare(doc, &self.settings).map_err(|e| Self::nothing_done(doc, e))?;
        self.push_prepared(doc, &prepared, recorded_api_id, Some(path))
            .await
    }

    /// The failure of a push that stopped before sending anything.
    fn nothing_done(doc: &Document, error: Error) -> Failure {
        Failure {
            report: SyncReport {
                api_name: doc.title().unwrap_or_default().to_string(),
                ..SyncReport::default()
            },
            error,
        }
    }

    /// Pushes what [`prepare`] made of `doc` (so a caller that also needs the functions' code
    /// prepares once), and writes the definition back to `write_back` when it is given and
    /// `update_definition` is on (see [`Engine::push_and_write_back`]).
    pub async fn push_prepared(
        &self,
        doc: &Document,
        prepared: &Prepared,
        recorded_api_id: Option<&str>,
        write_back: Option<&std::path::Path>,
    ) -> Result<SyncReport, Failure> {
        self.push_recorded(
            doc,
            prepared,
            &Recorded::api_id(recorded_api_id),
            write_back,
        )
        .await
    }

    /// [`Engine::push_prepared`] with what earlier pushes recorded: with a policy cache, the
    /// policies of the functions it knows are not read (an unchanged re-push makes one write
    /// and reads no policy). The report's `policies` is the cache to record after the push.
    pub async fn push_recorded(
        &self,
        doc: &Document,
        prepared: &Prepared,
        recorded: &Recorded,
        write_back: Option<&std::path::Path>,
    ) -> Result<SyncReport, Failure> {
        let in_document = doc
            .value()
            .get(API_ID_KEY)
            .and_then(serde_json::Value::as_str);
        self.push_from(
            doc.title().unwrap_or_default(),
            in_document,
            prepared,
            recorded,
            write_back.map(|path| (doc, path)),
        )
        .await
    }

    /// [`Engine::push_recorded`] of a definition the caller no longer has (it gave it to
    /// [`prepare_owned`], which saves a copy of its tree): `title` is its `info.title` (the
    /// report's `api_name`). Nothing is written back: a caller that writes the definition back
    /// keeps it and calls [`Engine::push_recorded`].
    pub async fn push_recorded_prepared(
        &self,
        title: &str,
        prepared: &Prepared,
        recorded: &Recorded,
    ) -> Result<SyncReport, Failure> {
        self.push_from(
            title,
            prepared.api_id_in_document.as_deref(),
            prepared,
            recorded,
            None,
        )
        .await
    }

    /// The push: `title` and `in_document` (the root `x-aws-api-id`) are the definition's,
    /// `write_back` the definition and its file when it is to be written back.
    async fn push_from(
        &self,
        title: &str,
        in_document: Option<&str>,
        prepared: &Prepared,
        recorded: &Recorded,
        write_back: Option<(&Document, &std::path::Path)>,
    ) -> Result<SyncReport, Failure> {
        let fail = |error, report| Failure { report, error };
        let mut report = SyncReport {
            api_name: title.to_string(),
            ..SyncReport::default()
        };
        report.warnings.extend(
            prepared
                .diagnostics
                .iter()
                .filter(|d| d.severity == lambda_sync_spec::Severity::Warning)
                .map(|d| format!("{}: {} (at {})", d.rule, d.message, d.pointer)),
        );
        let api_id = self.resolve_api_id_in(in_document, recorded.api_id.as_deref());
        report.api_id = api_id.clone();
        let skipped = !self.settings.enabled || self.settings.deployment == DeploymentMode::Never;
        let recorder = recorder::Recorder::new(self.gateway.as_ref(), self.lambda.as_ref());
        let runner = apply::Runner::new(&recorder, &recorder, &self.options, &self.limiter);
        let result = async {
            let observed = if skipped {
                Observed::default()
            } else {
                runner
                    .observe(
                        prepared,
                        api_id.as_deref(),
                        &self.settings.region,
                        recorded.policies.as_ref(),
                    )
                    .await?
            };
            report.policies_read = observed.policies.len() - observed.cached_policies.len();
            let plan = plan::plan(prepared, &observed, &self.settings, api_id.as_deref())?;
            runner.apply(&plan, &observed.policies, &mut report).await
        }
        .await;
        report.calls = recorder.calls();
        report.retries = runner.retries.load(std::sync::atomic::Ordering::Relaxed);
        if let Err(e) = result {
            return Err(fail(e, report));
        }
        if let Some((doc, path)) = write_back
            && self.settings.update_definition
            && report.skipped.is_none()
        {
            let out = write_back_document(prepared, report.api_id.as_deref());
            if out.value() != doc.value() {
                // Edits of the user's text, never a re-serialisation (comments and layout stay).
                match lambda_sync_spec::write_back(doc, out.value(), path) {
                    Ok(w) => {
                        report.definition_written = w.written;
                        report
                            .warnings
                            .extend(w.warnings.into_iter().map(|w| format!("write-back: {w}")));
                    }
                    Err(e) => return Err(fail(Error::Spec(e), report)),
                }
            }
        }
        Ok(report)
    }
}
