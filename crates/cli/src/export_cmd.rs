//! `lambda-sync export`: the synced API as a CloudFormation or SAM template.

use crate::exit::{FINDINGS as EXIT_FINDINGS, OK as EXIT_OK};
use crate::output::{OutputFormat, print_diagnostics};
use crate::sync::load_spec;
use anyhow::Context;
use lambda_sync::aws::BasePathMode;
use lambda_sync::integration::IntegrationType;
use lambda_sync::{ExportFileKind, ExportFormat, ExportOptions, Target};
use std::path::{Component, Path, PathBuf};

/// Template kinds on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateFormat {
    /// An AWS SAM template, for `sam deploy`.
    Sam,
    /// A CloudFormation template, for `aws cloudformation package` and `deploy`.
    #[value(name = "cloudformation")]
    CloudFormation,
}

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The OpenAPI definition.
    pub spec: PathBuf,
    /// The kind of template.
    #[arg(long, value_enum)]
    pub format: TemplateFormat,
    /// The template to write (`.yaml`/`.yml` or `.json`); nested templates and the API body,
    /// when needed, are written next to it.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Folder for the functions' code (default: `lambda-sync-code` next to the template).
    #[arg(long)]
    pub code_dir: Option<PathBuf>,
    /// Configuration file (default: `lambda-sync.toml` next to the definition, if present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// AWS region (needed only for a body too large to be inside the template).
    #[arg(long)]
    pub region: Option<String>,
    /// AWS account id (as --region).
    #[arg(long)]
    pub account: Option<String>,
    /// Role ARN for the functions (the default of the template's ExecutionRoleArn
    /// parameter); without it the template creates a role with basic execution.
    #[arg(long)]
    pub execution_role: Option<String>,
    /// Runtime of the functions (e.g. nodejs22.x, python3.13).
    #[arg(long)]
    pub runtime: Option<String>,
    /// How API Gateway reads basePath.
    #[arg(long, value_parser = ["ignore", "prepend", "split"])]
    pub basepath: Option<String>,
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
    /// Stage name (default: the configured stage, else `prod`).
    #[arg(long)]
    pub stage: Option<String>,
    /// Accept an import that API Gateway answers with warnings.
    #[arg(long)]
    pub allow_warnings: bool,
    /// Switch a compat rule off (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,
}

/// Runs `export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, OutputFormat::Text) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let mut config = crate::sync::config_file(&args.spec, args.config.as_deref())?;
    macro_rules! set {
        ($field:ident, $value:expr) => {
            if let Some(v) = $value {
                config.$field = v;
            }
        };
    }
    set!(region, args.region.clone().map(Some));
    set!(account_id, args.account.clone().map(Some));
    set!(execution_role, args.execution_role.clone().map(Some));
    set!(runtime, args.runtime.clone().map(Some));
    set!(
        basepath,
        args.basepath.as_deref().map(|m| match m {
            "prepend" => BasePathMode::Prepend,
            "split" => BasePathMode::Split,
            _ => BasePathMode::Ignore,
        })
    );
    set!(
        integration,
        args.integration.as_deref().map(|m| if m == "aws_proxy" {
            IntegrationType::AwsProxy
        } else {
            IntegrationType::Aws
        })
    );
    set!(name_template, args.name_template.clone().map(Some));
    set!(prefix, args.prefix.clone().map(Some));
    set!(
        granularity,
        crate::sync::granularity_of(args.granularity.as_deref())
    );
    set!(stage, args.stage.clone().map(Some));
    if args.allow_warnings {
        config.fail_on_warnings = false;
    }
    config.disable_rules.extend(args.disable.iter().cloned());
    let pinned =
        config.region.is_some() && (config.account_id.is_some() || config.execution_role.is_some());
    let role = config.execution_role.clone();
    let settings = config.resolve(Target::Local)?;
    let prepared = match lambda_sync::prepare(&doc, &settings) {
        Ok(p) => p,
        Err(lambda_sync::Error::Definition { diagnostics }) => {
            let mut diagnostics = diagnostics;
            doc.locate(&mut diagnostics);
            print_diagnostics(&args.spec, &diagnostics, OutputFormat::Text);
            eprintln!("{}: nothing was written", args.spec.display());
            return Ok(EXIT_FINDINGS);
        }
        Err(e) => return Err(e.into()),
    };

    let template_name = args
        .output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .context("--output must name a file")?;
    let out_dir = match args.output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let code_dir = match &args.code_dir {
        None => "lambda-sync-code".to_string(),
        Some(dir) => relative_to(dir, &out_dir)?,
    };
    let options = ExportOptions::new(match args.format {
        TemplateFormat::Sam => ExportFormat::Sam,
        TemplateFormat::CloudFormation => ExportFormat::CloudFormation,
    })
    .with_template_name(template_name)
    .with_code_dir(code_dir)
    .with_execution_role(role)
    .with_pinned_account(pinned);
    let export = lambda_sync::export(&prepared, &settings, &options)?;

    // Everything the template references first, the template last: a template on disk never
    // names a file that is not there. Each file is replaced atomically.
    for file in &export.files {
        let path = if Path::new(&file.path).is_absolute() {
            PathBuf::from(&file.path)
        } else {
            out_dir.join(&file.path)
        };
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        lambda_sync_spec::write_atomic(&path, &file.contents)
            .with_context(|| format!("writing {}", path.display()))?;
        if file.kind != ExportFileKind::Code {
            println!("{}", path.display());
        }
    }
    for d in prepared
        .diagnostics
        .iter()
        .filter(|d| d.severity == lambda_sync_spec::Severity::Warning)
    {
        eprintln!("warning: {}: {} (at {})", d.rule, d.message, d.pointer);
    }
    for note in &export.notes {
        eprintln!("note: {note}");
    }
    eprintln!(
        "{} function(s), {} permission(s), {} resource(s){}; stage {}; API body {}",
        export.functions,
        export.permissions,
        export.resources,
        if export.nested_stacks > 0 {
            format!(" in {} nested stack(s)", export.nested_stacks)
        } else {
            String::new()
        },
        export.stage,
        match export.body {
            lambda_sync::BodyPlacement::Inline => "inline",
            lambda_sync::BodyPlacement::Include => "in a file inserted with AWS::Include",
            lambda_sync::BodyPlacement::Location => "in a file referenced by location",
        }
    );
    Ok(EXIT_OK)
}

/// `dir` as a `/`-separated path relative to `base` when it is inside it (or both are
/// relative to the current folder), else absolute.
fn relative_to(dir: &Path, base: &Path) -> anyhow::Result<String> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let abs = |p: &Path| normalise(&cwd.join(p));
    let (dir, base) = (abs(dir), abs(base));
    let d: Vec<_> = dir.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = d.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return Ok(dir.display().to_string());
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        d[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Ok(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
