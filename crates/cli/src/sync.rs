//! `lambda-sync plan`, `push` and `watch`: the sync against the local account or AWS.

use crate::output::{OutputFormat, load_error, print_diagnostics};
use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use anyhow::{Context, bail};
use lambda_sync::aws::{BasePathMode, FakeAws, PutMode, SdkAws, SdkOptions};
use lambda_sync::integration::IntegrationType;
use lambda_sync::{ApplyOptions, Config, Engine, Progress, State, SyncReport, Target};
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
    /// Make no repair: each one is an error (as `strict = true`).
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
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
    Ok(match &path {
        Some(p) => Config::from_path(p)?,
        None => Config::default(),
    })
}

/// A loaded definition, or the exit code that ends the command.
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
                let _ = print_diagnostics(spec, &errors, format);
                eprintln!(
                    "{}: {} error(s) in the definition; nothing was sent",
                    spec.display(),
                    errors.len()
                );
                return Err(EXIT_FINDINGS);
            }
            Ok(loaded.document)
        }
        Err(e) => {
            eprintln!("{}", load_error(spec, &e));
            Err(EXIT_USAGE)
        }
    }
}

/// The account the sync talks to.
struct Account {
    engine: Engine,
    local: Option<(FakeAws, PathBuf)>,
    state_path: PathBuf,
    state_key: String,
}

impl Account {
    async fn open(args: &SyncArgs, progress: bool) -> anyhow::Result<Account> {
        let settings = args.config()?.resolve(args.target())?;
        let canonical = args
            .spec
            .canonicalize()
            .unwrap_or_else(|_| args.spec.clone());
        let state_path = args.state.join("state.json");
        let state_key = State::key(
            if args.aws { "aws" } else { "local" },
            &settings.region,
            &settings.account_id,
            &canonical.display().to_string(),
        );
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
            let sdk = SdkAws::from_env(o)
                .await
                .context("configuring the AWS SDK")?;
            (Arc::new(sdk.clone()), Arc::new(sdk), None)
        } else {
            let path = args.state.join("account.json");
            let fake = FakeAws::load_or_default(
                &path,
                settings.region.clone(),
                settings.account_id.clone(),
            )
            .with_context(|| format!("opening the local account {}", path.display()))?;
            // The local account has the quotas the configuration says the account has.
            fake.set_resources_per_api(settings.quotas.resources_per_api);
            (
                Arc::new(fake.clone()),
                Arc::new(fake.clone()),
                Some((fake, path)),
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
        let engine = Engine::new(settings, gateway, lambda).with_apply_options(options);
        Ok(Account {
            engine,
            local,
            state_path,
            state_key,
        })
    }

    fn recorded_api_id(&self) -> anyhow::Result<Option<String>> {
        Ok(State::load(&self.state_path)?
            .apis
            .get(&self.state_key)
            .cloned())
    }

    /// Pushes (write-back included) and records the outcome: the local account, the code of
    /// each created function, the API id. Returns the report and the push's error, if any.
    async fn push(
        &self,
        args: &SyncArgs,
        doc: &Document,
    ) -> anyhow::Result<(SyncReport, Option<lambda_sync::Error>)> {
        let prepared = match lambda_sync::prepare(doc, self.engine.settings()) {
            Ok(p) => p,
            Err(e) => {
                let report = SyncReport {
                    api_name: doc.title().unwrap_or_default().to_string(),
                    ..SyncReport::default()
                };
                return Ok((report, Some(e)));
            }
        };
        let recorded = self.recorded_api_id()?;
        let (report, error) = match self
            .engine
            .push_prepared(doc, &prepared, recorded.as_deref(), Some(&args.spec))
            .await
        {
            Ok(r) => (r, None),
            Err(f) => (f.report, Some(f.error)),
        };
        self.record(&report, &prepared, args)?;
        Ok((report, error))
    }

    fn record(
        &self,
        report: &SyncReport,
        prepared: &lambda_sync::Prepared,
        args: &SyncArgs,
    ) -> anyhow::Result<()> {
        if report.skipped.is_some() || report.calls.is_empty() {
            // Nothing was sent, so nothing changed: the state folder is left as it is.
            return Ok(());
        }
        if let Some((fake, path)) = &self.local {
            std::fs::create_dir_all(&args.state)
                .with_context(|| format!("creating the state folder {}", args.state.display()))?;
            fake.save(path)
                .with_context(|| format!("saving the local account {}", path.display()))?;
            // Each created function's code, readable and editable next to the account.
            for f in prepared
                .functions
                .iter()
                .filter(|f| report.functions_created.contains(&f.name))
            {
                let dir = args.state.join("functions").join(&f.name);
                std::fs::create_dir_all(&dir)?;
                lambda_sync_spec::write_atomic(&dir.join(&f.file_name), f.source.as_bytes())?;
            }
        }
        if let Some(id) = &report.api_id {
            let mut state = State::load(&self.state_path)?;
            if state.apis.get(&self.state_key) != Some(id) {
                state.apis.insert(self.state_key.clone(), id.clone());
                state.save(&self.state_path)?;
            }
        }
        Ok(())
    }
}

/// `lambda-sync plan`.
pub async fn plan(args: &SyncArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, args.format) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let account = Account::open(args, false).await?;
    let outcome = account
        .engine
        .plan(&doc, account.recorded_api_id()?.as_deref())
        .await?;
    match args.format {
        OutputFormat::Text => {
            print!("{}", outcome.plan);
            for d in outcome
                .prepared
                .diagnostics
                .iter()
                .filter(|d| d.severity == lambda_sync_spec::Severity::Warning)
            {
                eprintln!("warning[{}]: {} (at {})", d.rule, d.message, d.pointer);
            }
        }
        OutputFormat::Json => {
            let v = serde_json::json!({
                "api_id": outcome.api_id,
                "plan": outcome.plan,
                "functions": outcome.prepared.functions,
                "calls": outcome.calls,
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
    }
    Ok(EXIT_OK)
}

/// `lambda-sync push`.
pub async fn push(args: &SyncArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, args.format) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let account = Account::open(args, true).await?;
    push_once(args, &account, &doc).await
}

async fn push_once(args: &SyncArgs, account: &Account, doc: &Document) -> anyhow::Result<u8> {
    let (report, error) = account.push(args, doc).await?;
    print_report(args, &report, error.as_ref())?;
    Ok(if error.is_some() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn print_report(
    args: &SyncArgs,
    report: &SyncReport,
    error: Option<&lambda_sync::Error>,
) -> anyhow::Result<()> {
    match args.format {
        OutputFormat::Json => {
            let mut v = serde_json::to_value(report)?;
            v["ok"] = serde_json::Value::Bool(error.is_none());
            if let Some(e) = error {
                v["error"] = serde_json::Value::String(e.to_string());
            }
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        OutputFormat::Text => {
            if let Some(why) = &report.skipped {
                println!("nothing sent: {why}");
                return Ok(());
            }
            let where_ = if args.aws { "AWS" } else { "the local account" };
            if let Some(id) = &report.api_id {
                println!(
                    "REST API {id} \"{}\" {} on {where_}",
                    report.api_name,
                    if report.api_created {
                        "created"
                    } else {
                        "updated"
                    }
                );
            }
            println!(
                "functions: {} created, {} reused",
                report.functions_created.len(),
                report.functions_reused.len()
            );
            for f in &report.functions_created {
                println!("  + {f}");
            }
            println!("permissions added: {}", report.permissions_added.len());
            if let Some(d) = &report.deployment {
                println!("deployed to stage {} ({})", d.stage, d.id);
            }
            if report.definition_written {
                println!("{} updated", args.spec.display());
            }
            if !args.aws && !report.functions_created.is_empty() {
                println!("function code: {}", args.state.join("functions").display());
            }
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            let calls: usize = report.calls.values().sum();
            println!("{calls} AWS call(s), {} retried", report.retries);
            if let Some(e) = error {
                eprintln!("error: {e}");
            }
        }
    }
    Ok(())
}

/// `lambda-sync watch`: push now and on every save of the definition (or its config).
pub async fn watch(args: &SyncArgs, exit_after: Option<usize>) -> anyhow::Result<u8> {
    use notify::{RecursiveMode, Watcher};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
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
    let spec_name = args.spec.file_name().map(|n| n.to_os_string());
    let mut pushes = 0usize;
    loop {
        eprintln!("[watch] pushing {}", args.spec.display());
        match run_watch_push(args).await {
            Ok(code) if code == EXIT_OK => eprintln!("[watch] push done"),
            Ok(code) => eprintln!("[watch] push failed (exit {code}); watching for the next save"),
            Err(e) => eprintln!("[watch] push failed: {e:#}; watching for the next save"),
        }
        pushes += 1;
        if exit_after.is_some_and(|n| pushes >= n) {
            return Ok(EXIT_OK);
        }
        // Wait for a relevant change, then let the editor finish writing (debounce).
        loop {
            let Some(paths) = rx.recv().await else {
                bail!("the file watcher stopped");
            };
            let relevant = paths.iter().any(|p| {
                let name = p.file_name().map(|n| n.to_os_string());
                name == spec_name
                    || name.as_deref() == Some(std::ffi::OsStr::new(lambda_sync::CONFIG_FILE_NAME))
            });
            if relevant {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        while rx.try_recv().is_ok() {}
    }
}

async fn run_watch_push(args: &SyncArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, args.format) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    // The account is reopened each time: the config may have changed.
    let account = Account::open(args, true).await?;
    push_once(args, &account, &doc).await
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
    let account = Account::open(args, false).await?;
    let (report, error) = account.push(args, doc).await?;
    if let Some(e) = error {
        eprintln!(
            "error: pushing {} to the local account: {e}",
            args.spec.display()
        );
        return Ok(Err(EXIT_FINDINGS));
    }
    if let Some(why) = &report.skipped {
        eprintln!("error: nothing was pushed ({why}); invoke and serve need a pushed API");
        return Ok(Err(EXIT_USAGE));
    }
    if !report.functions_created.is_empty() {
        eprintln!(
            "pushed {}: {} function(s) created",
            args.spec.display(),
            report.functions_created.len()
        );
    }
    let (fake, _) = account.local.expect("the local account");
    let api_id = report.api_id.expect("a successful push has an API id");
    Ok(Ok((fake, api_id)))
}
