//! `lambda-sync plan`, `push` and `watch`: the sync against the local account or AWS.

use crate::exit::{FINDINGS as EXIT_FINDINGS, OK as EXIT_OK, USAGE as EXIT_USAGE};
use crate::output::{OutputFormat, outln, print_diagnostics, report_load_error};
use anyhow::{Context, bail};
use lambda_sync::aws::{BasePathMode, EndpointType, FakeAws, PutMode, SdkAws, SdkOptions};
use lambda_sync::integration::IntegrationType;
use lambda_sync::{
    ApplyOptions, Config, Engine, LockMode, Progress, Recorded, State, StateDir, SyncReport, Target,
};
use lambda_sync_spec::Document;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Options shared by `plan`, `push` and `watch`.
#[derive(Debug, Clone, clap::Args)]
pub struct SyncArgs {
    /// The OpenAPI definition (YAML or JSON).
    pub spec: PathBuf,
    /// Configuration file (default: `lambda-sync.toml` next to the definition, if present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The local account's state folder.
    #[arg(long, default_value = ".lambda-sync")]
    pub state: PathBuf,
    /// Push to real AWS (credentials from the standard chain: env, profile, SSO) instead of the
    /// local account.
    #[arg(long)]
    pub aws: bool,
    /// AWS profile (with --aws).
    #[arg(long, requires = "aws")]
    pub profile: Option<String>,
    /// Endpoint URL for an emulator (with --aws).
    #[arg(long, requires = "aws")]
    pub endpoint_url: Option<String>,
    /// AWS region.
    #[arg(long)]
    pub region: Option<String>,
    /// AWS account id (default: from the execution role).
    #[arg(long)]
    pub account: Option<String>,
    /// The REST API to update.
    #[arg(long)]
    pub api_id: Option<String>,
    /// How an existing API is updated.
    #[arg(long, value_parser = ["overwrite", "merge"])]
    pub publish_mode: Option<String>,
    /// How API Gateway reads basePath.
    #[arg(long, value_parser = ["ignore", "prepend", "split"])]
    pub basepath: Option<String>,
    /// Write the AWS-ready definition back into SPEC.
    #[arg(long, overrides_with = "no_update_definition")]
    pub update_definition: bool,
    /// Never write SPEC (overrides the config file).
    #[arg(long)]
    pub no_update_definition: bool,
    /// Role ARN for new functions.
    #[arg(long)]
    pub execution_role: Option<String>,
    /// Runtime for new functions (e.g. nodejs22.x, python3.13).
    #[arg(long)]
    pub runtime: Option<String>,
    /// Integration type.
    #[arg(long, value_parser = ["aws", "aws_proxy"])]
    pub integration: Option<String>,
    /// Function name template ({prefix}, {title}, {version}, {operationId}).
    #[arg(long)]
    pub name_template: Option<String>,
    /// The {prefix} of the name template.
    #[arg(long)]
    pub prefix: Option<String>,
    /// Functions per operation, per tag or one per API (overrides `granularity` in the
    /// configuration file).
    #[arg(long, value_parser = ["operation", "tag", "api"])]
    pub granularity: Option<String>,
    /// Deploy to this stage after the push.
    #[arg(long)]
    pub stage: Option<String>,
    /// Accept an import that API Gateway answers with warnings.
    #[arg(long)]
    pub allow_warnings: bool,
    /// AWS calls in flight at once.
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Switch a compat rule off (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,
    /// Endpoint type of a new API (EDGE, REGIONAL or PRIVATE).
    #[arg(long, value_parser = ["EDGE", "REGIONAL", "PRIVATE"], ignore_case = true)]
    pub endpoint_type: Option<String>,
    /// Read every function's policy instead of the state's cache of known statements.
    #[arg(long)]
    pub refresh: bool,
    /// Make no repair: each one is an error (as `strict = true`).
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// Fail at once when another lambda-sync holds the state folder's lock (by default wait).
    #[arg(long)]
    pub no_wait: bool,
}

impl SyncArgs {
    fn target(&self) -> Target {
        if self.aws { Target::Aws } else { Target::Local }
    }

    /// The config file, then the flags over it.
    pub fn config(&self) -> anyhow::Result<Config> {
        let mut c = config_file(&self.spec, self.config.as_deref())?;
        macro_rules! set {
            ($field:ident, $value:expr) => {
                if let Some(v) = $value {
                    c.$field = v;
                }
            };
        }
        set!(region, self.region.clone().map(Some));
        if c.region.is_none() && self.aws {
            c.region = std::env::var("AWS_REGION")
                .or_else(|_| std::env::var("AWS_DEFAULT_REGION"))
                .ok();
        }
        set!(account_id, self.account.clone().map(Some));
        set!(api_id, self.api_id.clone().map(Some));
        set!(
            publish_mode,
            self.publish_mode.as_deref().map(|m| if m == "merge" {
                PutMode::Merge
            } else {
                PutMode::Overwrite
            })
        );
        set!(
            basepath,
            self.basepath.as_deref().map(|m| match m {
                "prepend" => BasePathMode::Prepend,
                "split" => BasePathMode::Split,
                _ => BasePathMode::Ignore,
            })
        );
        set!(
            endpoint_type,
            self.endpoint_type
                .as_deref()
                .map(|t| match t.to_ascii_uppercase().as_str() {
                    "REGIONAL" => EndpointType::Regional,
                    "PRIVATE" => EndpointType::Private,
                    _ => EndpointType::Edge,
                })
        );
        if self.update_definition {
            c.update_definition = true;
        }
        if self.no_update_definition {
            c.update_definition = false;
        }
        set!(execution_role, self.execution_role.clone().map(Some));
        set!(runtime, self.runtime.clone().map(Some));
        set!(
            integration,
            self.integration.as_deref().map(|m| if m == "aws_proxy" {
                IntegrationType::AwsProxy
            } else {
                IntegrationType::Aws
            })
        );
        set!(name_template, self.name_template.clone().map(Some));
        set!(prefix, self.prefix.clone().map(Some));
        set!(granularity, granularity_of(self.granularity.as_deref()));
        set!(stage, self.stage.clone().map(Some));
        if self.allow_warnings {
            c.fail_on_warnings = false;
        }
        set!(concurrency, self.concurrency);
        c.disable_rules.extend(self.disable.iter().cloned());
        if self.strict {
            c.strict = true;
        }
        Ok(c)
    }
}

/// `--granularity`: `operation`, `tag` or `api` (clap admits only those).
pub fn granularity_of(s: Option<&str>) -> Option<lambda_sync::integration::Granularity> {
    s.and_then(lambda_sync::integration::Granularity::parse)
}

/// The configuration: `explicit` (`--config`), else `lambda-sync.toml` next to the definition,
/// else the defaults.
pub fn config_file(spec: &Path, explicit: Option<&Path>) -> anyhow::Result<Config> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let next = spec
                .parent()
                .unwrap_or(Path::new("."))
                .join(lambda_sync::CONFIG_FILE_NAME);
            next.is_file().then_some(next)
        }
    };
    let mut config = match &path {
        Some(p) => Config::from_path(p)?,
        None => Config::default(),
    };
    config.today = Some(crate::clock::today()?);
    Ok(config)
}

/// A loaded definition, or the exit code that ends the command (the problem is reported: on
/// stderr, and with `--format json` as one JSON object on stdout).
pub fn load_spec(spec: &Path, format: OutputFormat) -> Result<Document, u8> {
    match lambda_sync_spec::load_path(spec) {
        Ok(loaded) => {
            if loaded.has_errors() {
                let errors: Vec<_> = loaded
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect();
                let message = format!(
                    "{} error(s) in the definition; nothing was sent or written",
                    errors.len()
                );
                match format {
                    OutputFormat::Text => print_diagnostics(spec, &errors, format),
                    OutputFormat::Json => {
                        let v = serde_json::json!({
                            "ok": false,
                            "exit_code": EXIT_FINDINGS,
                            "error": message,
                            "file": spec.display().to_string(),
                            "diagnostics": errors,
                        });
                        outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                    }
                }
                eprintln!("{}: {message}", spec.display());
                return Err(EXIT_FINDINGS);
            }
            Ok(loaded.document)
        }
        Err(e) => Err(report_load_error(spec, &e, format)),
    }
}

/// The warnings of the configured runtime (deprecated soon or already), as `stubs` shows them.
fn runtime_warnings(settings: &lambda_sync::Settings) -> Vec<String> {
    settings.runtime_warnings.clone()
}

/// The account the sync talks to, with the state folder locked for as long as it lives.
struct Account {
    engine: Engine,
    local: Option<(FakeAws, String)>,
    state: Arc<StateDir>,
    state_key: String,
    /// The key earlier versions used (the definition's absolute path), adopted when found.
    legacy_key: String,
    /// The key of this target, region and account (the policy cache's key).
    account_key: String,
}

impl Account {
    /// Opens the account. `writes`: the command may write the state folder (an exclusive lock,
    /// waiting unless `--no-wait`), else a shared lock.
    async fn open(
        args: &SyncArgs,
        settings: lambda_sync::Settings,
        progress: bool,
        writes: bool,
    ) -> anyhow::Result<Account> {
        let mode = match (writes, args.no_wait) {
            (false, _) => LockMode::Read,
            (true, false) => LockMode::Write,
            (true, true) => LockMode::WriteNoWait,
        };
        let state = Arc::new(StateDir::open(&args.state, mode, |line| {
            eprintln!("{line}")
        })?);
        let target = if args.aws { "aws" } else { "local" };
        let state_key = State::key(
            target,
            &settings.region,
            &settings.account_id,
            &lambda_sync::definition_key(&args.state, &args.spec),
        );
        let canonical = args
            .spec
            .canonicalize()
            .unwrap_or_else(|_| args.spec.clone());
        let legacy_key = State::key(
            target,
            &settings.region,
            &settings.account_id,
            &canonical.display().to_string(),
        );
        let account_key = State::account_key(target, &settings.region, &settings.account_id);
        let (gateway, lambda, local): (
            Arc<dyn lambda_sync::aws::ApiGateway>,
            Arc<dyn lambda_sync::aws::Lambda>,
            _,
        ) = if args.aws {
            let mut o = SdkOptions::default()
                .with_region(settings.region.clone())
                .with_retries(false);
            if let Some(p) = &args.profile {
                o = o.with_profile(p.clone());
            }
            if let Some(u) = &args.endpoint_url {
                o = o.with_endpoint_url(u.clone());
            }
            let sdk = SdkAws::from_env(o).await?;
            (Arc::new(sdk.clone()), Arc::new(sdk), None)
        } else {
            // `account.json` is read (and parsed) once: to tell whose it is, and as the account.
            let (file, loaded) =
                state.account_file_loaded(&settings.region, &settings.account_id)?;
            let fake = match loaded {
                Some(fake) => fake,
                None => {
                    let path = args.state.join(&file);
                    FakeAws::load_or_default(
                        &path,
                        settings.region.clone(),
                        settings.account_id.clone(),
                    )
                    .with_context(|| format!("opening the local account {}", path.display()))?
                }
            };
            // The local account has the quotas the configuration says the account has, and
            // applies Lambda's runtime rules as on the same day as the engine.
            fake.set_resources_per_api(settings.quotas.resources_per_api);
            fake.set_today(settings.today);
            (
                Arc::new(fake.clone()),
                Arc::new(fake.clone()),
                Some((fake, file)),
            )
        };
        let mut options = ApplyOptions::default().with_concurrency(settings.concurrency);
        if !args.aws {
            // The local account has no rate limits to respect.
            options = options.with_rate_scale(0.0);
        }
        if progress && args.format == OutputFormat::Text && std::io::stderr().is_terminal() {
            options = options.with_progress(Arc::new(Bar::default()));
        }
        if writes {
            options = options.with_journal(Arc::new(StateJournal {
                state: state.clone(),
                key: state_key.clone(),
            }));
        }
        let mut engine = Engine::new(settings, gateway, lambda).with_apply_options(options);
        if args.aws {
            // One limiter for the whole process: `watch` opens the account for each push.
            engine = engine.with_limiter(lambda_sync::watch::aws_limiter());
        }
        Ok(Account {
            engine,
            local,
            state,
            state_key,
            legacy_key,
            account_key,
        })
    }

    /// What earlier pushes recorded: the API id (under this definition's key, or the key of
    /// earlier versions; else the API that an interrupted push of it created, found from the
    /// intent it recorded, with a warning), and the policy cache of this account and region
    /// unless `refresh` (a missing cache means every policy is read).
    async fn recorded(&self, refresh: bool) -> anyhow::Result<(Recorded, Option<String>)> {
        let mut state = State::load(&self.state.state_path())?;
        let policies = if refresh {
            None
        } else {
            state.policies.remove(&self.account_key)
        };
        let recorded = |api_id| Recorded { api_id, policies };
        if let Some(id) = state
            .apis
            .get(&self.state_key)
            .or_else(|| state.apis.get(&self.legacy_key))
        {
            return Ok((recorded(Some(id.clone())), None));
        }
        let Some(intent) = state.pending.get(&self.state_key) else {
            return Ok((recorded(None), None));
        };
        let taken: Vec<String> = state.apis.values().cloned().collect();
        Ok(match self.engine.adopt(intent, &taken).await? {
            Some(id) => {
                let note = format!(
                    "REST API {id} \"{}\" was created by an interrupted push: it is adopted, not created again",
                    intent.api_name
                );
                (recorded(Some(id)), Some(note))
            }
            None => (recorded(None), None),
        })
    }

    /// Pushes what was prepared (write-back included) and records the outcome: the local
    /// account, the code of each created function, the API id. Returns the report and the
    /// push's error, if any.
    async fn push(
        &self,
        args: &SyncArgs,
        doc: Kept<'_>,
        prepared: &lambda_sync::Prepared,
    ) -> anyhow::Result<(SyncReport, Option<lambda_sync::Error>)> {
        let (recorded, adopted) = self.recorded(args.refresh).await?;
        let pushed = match doc {
            Kept::Document(doc) => {
                self.engine
                    .push_recorded(doc, prepared, &recorded, Some(&args.spec))
                    .await
            }
            Kept::Title(title) => {
                self.engine
                    .push_recorded_prepared(title, prepared, &recorded)
                    .await
            }
        };
        let (mut report, error) = match pushed {
            Ok(r) => (r, None),
            Err(f) => (f.report, Some(f.error)),
        };
        report.warnings.extend(adopted);
        self.record(&report, prepared).await?;
        Ok((report, error))
    }

    /// Records a push: the local account and `state.json` together (never one without the
    /// other), then the code of the functions for the local account.
    async fn record(
        &self,
        report: &SyncReport,
        prepared: &lambda_sync::Prepared,
    ) -> anyhow::Result<()> {
        if report.skipped.is_some() || report.calls.is_empty() {
            // Nothing was sent, so nothing changed: the state folder is left as it is.
            return Ok(());
        }
        let state_path = self.state.state_path();
        let mut state = State::load(&state_path)?;
        let mut state_changed = state.apis.remove(&self.legacy_key).is_some();
        if let Some(id) = &report.api_id
            && state.apis.get(&self.state_key) != Some(id)
        {
            state.apis.insert(self.state_key.clone(), id.clone());
            state_changed = true;
        }
        if report.api_created || report.api_updated {
            state_changed |= state.pending.remove(&self.state_key).is_some();
        }
        state_changed |= state.record_policies(
            &self.account_key,
            prepared.functions.iter().map(|f| f.name.as_str()),
            &report.policies,
        );
        // Each file is serialised straight into its pending file (the account holds every
        // zip and the API's definition: megabytes that are never built in memory).
        let mut files: Vec<(&str, lambda_sync::FileWriter<'_>)> = Vec::new();
        if state_changed {
            files.push(("state.json", Box::new(|out| state.write_json(out))));
        }
        if let Some((fake, file)) = &self.local {
            files.push((file.as_str(), Box::new(|out| fake.write_json(out))));
        }
        lambda_sync::fault::point("before-record");
        self.state.commit_with(files)?;
        lambda_sync::fault::point("after-record");
        if let Some((fake, _)) = &self.local {
            // Each function's code, readable and editable next to the account, in the folder of
            // this region and account: a created function's from its stub; a reused one's
            // folder that is missing (an interrupted push, a deleted folder) is restored from the
            // code the account stores, which is what runs.
            let settings = self.engine.settings();
            let root = self
                .state
                .functions_dir(&settings.region, &settings.account_id)?;
            // One listing of the folder (not a lookup per function); the partial folders a
            // killed run left are removed on the way.
            let existing = crate::unzip::remove_partial_folders(&root);
            let created: std::collections::HashSet<&str> = report
                .functions_created
                .iter()
                .map(String::as_str)
                .collect();
            let reused: std::collections::HashSet<&str> =
                report.functions_reused.iter().map(String::as_str).collect();
            let mut writer = crate::unzip::FolderWriter::new(&root);
            for f in &prepared.functions {
                let dir = root.join(&f.name);
                let exists = existing.contains(std::ffi::OsStr::new(&f.name));
                if created.contains(f.name.as_str()) && exists {
                    let source = f.code()?.source.as_bytes();
                    lambda_sync_spec::write_atomic(&dir.join(&f.file_name), source)?;
                } else if created.contains(f.name.as_str()) {
                    let source = f.code()?.source.as_bytes();
                    writer
                        .write_folder(&f.name, &[(&f.file_name, source)])
                        .with_context(|| format!("writing the code of function {}", f.name))?;
                } else if reused.contains(f.name.as_str()) && !exists {
                    use lambda_sync::aws::Lambda as _;
                    let zip = fake
                        .get_function_code(&f.name)
                        .await
                        .with_context(|| format!("reading the code of function {}", f.name))?;
                    crate::unzip::unzip_into(&zip, &dir)
                        .with_context(|| format!("restoring the code of function {}", f.name))?;
                }
            }
        }
        Ok(())
    }
}

/// Records intents in the state folder (under the lock the account holds).
#[derive(Debug)]
struct StateJournal {
    state: Arc<StateDir>,
    key: String,
}

impl lambda_sync::Journal for StateJournal {
    fn before_import(&self, intent: &lambda_sync::ImportIntent) -> lambda_sync::Result<()> {
        let path = self.state.state_path();
        let mut state = State::load(&path)?;
        state.pending.insert(self.key.clone(), intent.clone());
        self.state.commit(&[("state.json", &state.to_json())])
    }
}

/// `lambda-sync plan`.
pub async fn plan(args: &SyncArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, args.format) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let settings = args.config()?.resolve(args.target())?;
    let account = Account::open(args, settings, false, false).await?;
    let (recorded, adopted) = account.recorded(args.refresh).await?;
    // The definition is not needed after `prepare`: given away, not copied.
    let outcome = account.engine.plan_recorded_owned(doc, &recorded).await?;
    let mut warnings = runtime_warnings(account.engine.settings());
    warnings.extend(adopted);
    warnings.extend(
        outcome
            .prepared
            .diagnostics
            .iter()
            .filter(|d| d.severity == lambda_sync_spec::Severity::Warning)
            .map(|d| format!("{}: {} (at {})", d.rule, d.message, d.pointer)),
    );
    match args.format {
        OutputFormat::Text => {
            crate::output::out(&outcome.plan.to_string());
            for w in &warnings {
                eprintln!("warning: {w}");
            }
        }
        OutputFormat::Json => {
            let v = serde_json::json!({
                "ok": true,
                "exit_code": EXIT_OK,
                "api_id": outcome.api_id,
                "plan": outcome.plan,
                "functions": outcome.prepared.functions,
                "calls": outcome.calls,
                "warnings": warnings,
                "left_out": outcome.plan.left_out,
                "dispatched": outcome.plan.dispatched,
            });
            outln!("{}", serde_json::to_string_pretty(&v)?);
        }
    }
    Ok(EXIT_OK)
}

/// A push that ran (or was refused before it could start).
struct Pushed {
    /// The account, when the push got as far as opening it (its lock is held).
    account: Option<Account>,
    settings: lambda_sync::Settings,
    report: SyncReport,
    error: Option<lambda_sync::Error>,
}

/// Pushes `doc`: it is prepared first, so a definition or configuration that cannot be pushed
/// is refused before the state folder is opened (nothing is written, not even the lock); then
/// the account is opened (the state folder locked), pushed to, and the outcome recorded.
async fn push_doc(
    args: &SyncArgs,
    doc: std::borrow::Cow<'_, Document>,
    progress: bool,
) -> anyhow::Result<Pushed> {
    use std::borrow::Cow;
    let settings = args.config()?.resolve(args.target())?;
    let title = doc.title().unwrap_or_default().to_string();
    // A definition that is not written back is not needed after `prepare`: when it is ours, it
    // is given away (compat rewrites it in place instead of a copy of the whole tree).
    let (kept, prepared) = match doc {
        Cow::Owned(doc) if !settings.update_definition => {
            (None, lambda_sync::prepare_owned(doc, &settings))
        }
        doc => {
            let prepared = lambda_sync::prepare(&doc, &settings);
            (Some(doc), prepared)
        }
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            let report = SyncReport {
                api_name: title,
                ..SyncReport::default()
            };
            return Ok(Pushed {
                account: None,
                settings,
                report,
                error: Some(e),
            });
        }
    };
    let account = Account::open(args, settings.clone(), progress, true).await?;
    let doc = match &kept {
        Some(doc) => Kept::Document(doc),
        None => Kept::Title(&title),
    };
    let (report, error) = account.push(args, doc, &prepared).await?;
    Ok(Pushed {
        account: Some(account),
        settings,
        report,
        error,
    })
}

/// What a push has of its definition once it is prepared.
#[derive(Clone, Copy)]
enum Kept<'a> {
    /// The definition (it is written back, or the caller keeps it).
    Document(&'a Document),
    /// Only its title: the definition was given to `prepare_owned`.
    Title(&'a str),
}

/// `lambda-sync push`.
pub async fn push(args: &SyncArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, args.format) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    push_once(args, doc).await
}

async fn push_once(args: &SyncArgs, doc: Document) -> anyhow::Result<u8> {
    let Pushed {
        settings,
        mut report,
        error,
        ..
    } = push_doc(args, std::borrow::Cow::Owned(doc), true).await?;
    let mut warnings = runtime_warnings(&settings);
    warnings.append(&mut report.warnings);
    report.warnings = warnings;
    let code = error.as_ref().map_or(EXIT_OK, crate::exit::code_of_sync);
    print_report(args, &settings, &report, error.as_ref(), code);
    Ok(code)
}

/// What a failed push did not do (in order), judged from what it did.
fn not_done(
    report: &SyncReport,
    error: &lambda_sync::Error,
    settings: &lambda_sync::Settings,
) -> Vec<String> {
    if report.calls.is_empty() {
        return vec!["anything: nothing was sent".into()];
    }
    let step = match error {
        lambda_sync::Error::Aws { step, .. } => step.as_str(),
        _ => "",
    };
    let mut out = Vec::new();
    if step.starts_with("creating function") {
        out.push("creating every missing function".to_string());
    }
    let api_done = report.api_created || report.api_updated;
    if !api_done {
        out.push(if report.api_id.is_some() {
            "updating the REST API".to_string()
        } else {
            "importing the REST API".to_string()
        });
    }
    if !api_done || step.starts_with("adding permission") {
        out.push("adding every invoke permission".into());
    }
    if let Some(stage) = &settings.stage
        && report.deployment.is_none()
    {
        out.push(format!("deploying to stage {stage}"));
    }
    if out.is_empty() {
        out.push("writing the definition back".into());
    }
    out
}

fn print_report(
    args: &SyncArgs,
    settings: &lambda_sync::Settings,
    report: &SyncReport,
    error: Option<&lambda_sync::Error>,
    code: u8,
) {
    let not_done = error.map(|e| not_done(report, e, settings));
    match args.format {
        OutputFormat::Json => {
            let mut v = serde_json::to_value(report).unwrap_or_default();
            v["ok"] = serde_json::Value::Bool(error.is_none());
            v["exit_code"] = code.into();
            if let Some(e) = error {
                v["error"] = serde_json::Value::String(e.to_string());
            }
            if let Some(n) = &not_done {
                v["not_done"] = serde_json::json!(n);
            }
            outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        OutputFormat::Text => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            if let Some(why) = &report.skipped {
                outln!("nothing sent: {why}");
                return;
            }
            let where_ = if args.aws { "AWS" } else { "the local account" };
            let sent = !report.calls.is_empty();
            if error.is_some() {
                outln!(
                    "push of \"{}\" to {where_} FAILED{}",
                    report.api_name,
                    if sent {
                        "; done before the failure:"
                    } else {
                        ": nothing was sent, nothing changed"
                    }
                );
            }
            if let Some(id) = &report.api_id
                && (report.api_created || report.api_updated)
            {
                outln!(
                    "REST API {id} \"{}\" {} on {where_}",
                    report.api_name,
                    if report.api_created {
                        "created"
                    } else {
                        "updated"
                    }
                );
            }
            if error.is_none() || !report.functions_created.is_empty() {
                outln!(
                    "functions: {} created, {} reused",
                    report.functions_created.len(),
                    report.functions_reused.len()
                );
                // One write for the whole list (a line each would be a write each).
                let mut list = String::new();
                for f in &report.functions_created {
                    list.push_str("  + ");
                    list.push_str(f);
                    list.push('\n');
                }
                crate::output::out(&list);
            }
            if error.is_none()
                || !report.permissions_added.is_empty()
                || !report.permissions_removed.is_empty()
            {
                outln!(
                    "permissions: {} added, {} removed; {} function policies read",
                    report.permissions_added.len(),
                    report.permissions_removed.len(),
                    report.policies_read
                );
            }
            if !report.left_out.is_empty() {
                outln!(
                    "left out: {} operation(s) API Gateway cannot tell apart from another, reached by nothing:",
                    report.left_out.len()
                );
                for l in &report.left_out {
                    match &l.operation_id {
                        Some(id) => outln!("  {} {} ({id})", l.method, l.path),
                        None => outln!("  {} {}", l.method, l.path),
                    }
                }
            }
            if !report.dispatched.is_empty() {
                outln!(
                    "dispatched: {} operation(s) API Gateway cannot tell apart from another, reached through a router:",
                    report.dispatched.len()
                );
                for d in &report.dispatched {
                    outln!("  {}", d.summary());
                }
            }
            if let Some(d) = &report.deployment {
                outln!("deployed to stage {} ({})", d.stage, d.id);
            }
            if report.definition_written {
                outln!("{} updated", args.spec.display());
            }
            if !args.aws && !report.functions_created.is_empty() {
                outln!(
                    "function code: {}",
                    args.state
                        .join("functions")
                        .join(&settings.region)
                        .join(&settings.account_id)
                        .display()
                );
            }
            if sent {
                let calls: usize = report.calls.values().sum();
                outln!("{calls} AWS call(s), {} retried", report.retries);
            }
            if let Some(n) = &not_done
                && sent
            {
                outln!("not done: {}", n.join(", "));
                outln!("push again to finish: what was created is found and reused");
            }
            if let Some(e) = error {
                eprintln!("error: {e}");
            }
        }
    }
}

/// `lambda-sync watch`: push now and on every save of the definition (or its config). The
/// timing (debounce, one push per change) is `lambda_sync::watch`'s.
pub async fn watch(args: &SyncArgs, exit_after: Option<usize>) -> anyhow::Result<u8> {
    use lambda_sync::watch::{Changes, WatchEnd};
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev
            && (ev.kind.is_modify() || ev.kind.is_create() || ev.kind.is_remove())
        {
            let _ = tx.send(ev.paths);
        }
    })?;
    let dir = args
        .spec
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    let mut changes = Changes::new(rx, &args.spec);
    let end = lambda_sync::watch::run(&mut changes, exit_after, || async {
        eprintln!("[watch] pushing {}", args.spec.display());
        match run_watch_push(args).await {
            Ok(code) if code == EXIT_OK => {
                eprintln!("[watch] push done");
                code
            }
            Ok(code) => {
                eprintln!("[watch] push failed (exit {code}); watching for the next save");
                code
            }
            Err(e) => {
                let code = crate::exit::code_of(&e);
                eprintln!("[watch] push failed: {e:#}; watching for the next save");
                code
            }
        }
    })
    .await;
    drop(watcher);
    match end {
        // With --exit-after, the exit code is that of the last push.
        WatchEnd::Done(code) => Ok(code),
        WatchEnd::WatcherStopped => bail!("the file watcher stopped"),
    }
}

async fn run_watch_push(args: &SyncArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, args.format) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    // The account is reopened each time: the config may have changed.
    push_once(args, doc).await
}

/// A progress bar on stderr.
#[derive(Debug, Default)]
struct Bar(std::sync::Mutex<Option<indicatif::ProgressBar>>);

impl Progress for Bar {
    fn start(&self, total: usize) {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        *self.0.lock().expect("bar") = Some(bar);
    }
    fn step(&self, message: &str) {
        if let Some(b) = &*self.0.lock().expect("bar") {
            b.set_message(message.to_string());
            b.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(b) = self.0.lock().expect("bar").take() {
            b.finish_and_clear();
        }
    }
}

/// Pushes to the local account without printing a report (for `invoke` and `serve`): the
/// account and the API id, or the exit code when the push failed (its error is printed).
pub async fn quiet_push(
    args: &SyncArgs,
    doc: &Document,
) -> anyhow::Result<Result<(FakeAws, String), u8>> {
    let Pushed {
        account,
        settings,
        report,
        error,
    } = push_doc(args, std::borrow::Cow::Borrowed(doc), false).await?;
    for w in runtime_warnings(&settings) {
        eprintln!("warning: {w}");
    }
    if let Some(e) = error {
        let code = crate::exit::code_of_sync(&e);
        let message = format!("pushing {} to the local account: {e}", args.spec.display());
        eprintln!("error: {message}");
        if args.format == OutputFormat::Json {
            crate::exit::json_error(code, &message, None);
        }
        return Ok(Err(code));
    }
    if let Some(why) = &report.skipped {
        let message = format!("nothing was pushed ({why}); invoke and serve need a pushed API");
        eprintln!("error: {message}");
        if args.format == OutputFormat::Json {
            crate::exit::json_error(EXIT_USAGE, &message, None);
        }
        return Ok(Err(EXIT_USAGE));
    }
    if !report.functions_created.is_empty() {
        eprintln!(
            "pushed {}: {} function(s) created",
            args.spec.display(),
            report.functions_created.len()
        );
    }
    let account = account.expect("a push without error opened the account");
    let (fake, _) = account.local.expect("the local account");
    let api_id = report.api_id.expect("a successful push has an API id");
    Ok(Ok((fake, api_id)))
}

/// The local account as it is and the API the definition was pushed to (for `invoke
/// --no-push` and `serve --no-push`), or the exit code when there is none.
pub async fn local_as_is(
    args: &SyncArgs,
    doc: &Document,
) -> anyhow::Result<Result<(FakeAws, String), u8>> {
    let settings = args.config()?.resolve(args.target())?;
    let account = Account::open(args, settings, false, false).await?;
    let (recorded, _) = account.recorded(true).await?;
    let Some(api_id) = account
        .engine
        .resolve_api_id(doc, recorded.api_id.as_deref())
    else {
        return Err(crate::exit::usage(anyhow::anyhow!(
            "{} has not been pushed to the local account; push it, or drop --no-push",
            args.spec.display()
        )));
    };
    let (fake, _) = account.local.expect("the local account");
    Ok(Ok((fake, api_id)))
}
