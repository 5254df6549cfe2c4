//! `lambda-sync compat`, `render` and `stubs`: the documents and the code a push would send.

use crate::exit::{OK as EXIT_OK, USAGE as EXIT_USAGE, usage};
use crate::output::{OutputFormat, outln, print_diagnostics};
use crate::sync::load_spec;
use anyhow::Context;
use lambda_sync::{Config, Target};
use lambda_sync_spec::{Document, Format};
use std::path::{Path, PathBuf};

/// Arguments of `compat`.
#[derive(Debug, clap::Args)]
pub struct CompatArgs {
    /// The OpenAPI definition.
    pub spec: PathBuf,
    /// Where to write the result (`-` for stdout; the extension picks JSON or YAML).
    #[arg(short, long, default_value = "-")]
    pub output: PathBuf,
    /// Switch a rule off (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,
    /// Make no repair: each one is an error.
    #[arg(long)]
    pub strict: bool,
}

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The OpenAPI definition.
    pub spec: PathBuf,
    /// Where to write the result (`-` for stdout; the extension picks JSON or YAML).
    #[arg(short, long, default_value = "-")]
    pub output: PathBuf,
    /// AWS region of the functions.
    #[arg(long)]
    pub region: Option<String>,
    /// AWS account id of the functions.
    #[arg(long)]
    pub account: Option<String>,
    /// Integration type.
    #[arg(long, value_parser = ["aws", "aws_proxy"])]
    pub integration: Option<String>,
    /// Configuration file (default: `lambda-sync.toml` next to the definition, if present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Switch a compat rule off (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,
    /// Functions per operation, per tag or one per API (overrides `granularity` in the
    /// configuration file).
    #[arg(long, value_parser = ["operation", "tag", "api"])]
    pub granularity: Option<String>,
}

/// Arguments of `stubs`.
#[derive(Debug, clap::Args)]
pub struct StubsArgs {
    /// The OpenAPI definition.
    pub spec: PathBuf,
    /// Runtime (e.g. nodejs22.x, python3.13).
    #[arg(long)]
    pub runtime: Option<String>,
    /// Folder to write one sub-folder per function into.
    #[arg(long)]
    pub out_dir: PathBuf,
    /// Also write each function's deployment zip (`NAME.zip`).
    #[arg(long)]
    pub zip: bool,
    /// Folder of template overrides.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Integration type.
    #[arg(long, value_parser = ["aws", "aws_proxy"])]
    pub integration: Option<String>,
    /// Function name template ({prefix}, {title}, {version}, {operationId}).
    #[arg(long)]
    pub name_template: Option<String>,
    /// Functions per operation, per tag or one per API (a grouped function's stub is a
    /// router).
    #[arg(long, value_parser = ["operation", "tag", "api"])]
    pub granularity: Option<String>,
}

/// Leaves a command's large values (a loaded definition is tens of megabytes in memory, in
/// hundreds of thousands of allocations) to the end of the process instead of freeing them one
/// by one just before it exits: the operating system takes the memory back at once. Call it only
/// on a command's way out.
pub(crate) fn free_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Writes the document to stdout (`-`) or to `output`, atomically; an output that cannot be
/// written is a usage error (exit 2).
fn write_output(doc: &Document, output: &Path) -> anyhow::Result<()> {
    if output == Path::new("-") {
        let text = doc.to_text()?;
        crate::output::out(&text);
    } else {
        let mut doc = doc.clone();
        doc.set_format(Format::from_path(output).unwrap_or(doc.format()));
        doc.write_to(output).map_err(|e| {
            usage(anyhow::Error::new(e).context(format!("writing {}", output.display())))
        })?;
    }
    Ok(())
}

fn integration_of(s: Option<&str>) -> Option<lambda_sync::integration::IntegrationType> {
    s.map(|m| {
        if m == "aws_proxy" {
            lambda_sync::integration::IntegrationType::AwsProxy
        } else {
            lambda_sync::integration::IntegrationType::Aws
        }
    })
}

/// Runs `compat`.
pub fn compat(args: &CompatArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, OutputFormat::Text) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    lambda_sync::compat::validate_rule_ids(&args.disable)
        .map_err(|e| usage(anyhow::anyhow!("--disable: {e}")))?;
    let options = lambda_sync::compat::CompatOptions::default()
        .with_disabled(args.disable.iter().cloned())
        .with_strict(args.strict);
    let out = lambda_sync::compat::transform(&doc, &options);
    write_output(&out.document, &args.output)?;
    for c in &out.changes {
        eprintln!("{}: {} ({} -> {})", c.rule, c.message, c.before, c.after);
    }
    let mut remaining = out.diagnostics.clone();
    doc.locate(&mut remaining);
    for d in &remaining {
        eprintln!("{}", crate::output::diagnostic_line(&args.spec, d));
    }
    eprintln!(
        "{} change(s), {} finding(s) left",
        out.changes.len(),
        remaining.len()
    );
    Ok(EXIT_OK)
}

/// Runs `render`.
pub fn render(args: &RenderArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, OutputFormat::Text) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let mut config = crate::sync::config_file(&args.spec, args.config.as_deref())?;
    if let Some(r) = &args.region {
        config.region = Some(r.clone());
    }
    if let Some(a) = &args.account {
        config.account_id = Some(a.clone());
    }
    if let Some(i) = integration_of(args.integration.as_deref()) {
        config.integration = i;
    }
    config.disable_rules.extend(args.disable.iter().cloned());
    if let Some(g) = crate::sync::granularity_of(args.granularity.as_deref()) {
        config.granularity = g;
    }
    let settings = config.resolve(Target::Local)?;
    let doc_format = doc.format();
    // The document is given away (compat rewrites it in place): the refusal below reads the
    // file again for line numbers.
    let mut prepared = match lambda_sync::prepare_owned(doc, &settings) {
        Ok(p) => p,
        Err(lambda_sync::Error::Definition { diagnostics }) => {
            let mut diagnostics = diagnostics;
            if let Ok(loaded) = lambda_sync_spec::load_path(&args.spec) {
                loaded.document.locate(&mut diagnostics);
            }
            print_diagnostics(&args.spec, &diagnostics, OutputFormat::Text);
            eprintln!(
                "{}: {} error(s) that API Gateway would refuse; nothing was written",
                args.spec.display(),
                diagnostics.len()
            );
            return Ok(crate::EXIT_FINDINGS);
        }
        Err(e) => return Err(e.into()),
    };
    // Exactly the bytes a push sends (compact JSON); converted only when YAML is asked for.
    let format = if args.output == Path::new("-") {
        doc_format
    } else {
        Format::from_path(&args.output).unwrap_or(doc_format)
    };
    let bytes = if format == Format::Json {
        std::mem::take(&mut prepared.body)
    } else {
        let value: serde_json::Value = serde_json::from_slice(&prepared.body)?;
        lambda_sync_spec::to_text(&value, format)?.into_bytes()
    };
    if args.output == Path::new("-") {
        crate::output::out_bytes(&bytes);
    } else {
        lambda_sync_spec::write_atomic(&args.output, &bytes)
            .with_context(|| format!("writing {}", args.output.display()))?;
    }
    eprintln!(
        "{} operation(s) bound to {} function(s); body {} bytes, {} resource(s)",
        prepared.permissions.len(),
        prepared.functions.len(),
        bytes.len(),
        prepared.resources
    );
    free_at_exit((prepared, bytes));
    Ok(EXIT_OK)
}

/// Runs `stubs`.
pub fn stubs(args: &StubsArgs) -> anyhow::Result<u8> {
    let doc = match load_spec(&args.spec, OutputFormat::Text) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let runtime_id = args
        .runtime
        .clone()
        .unwrap_or_else(|| lambda_sync::stubs::DEFAULT_RUNTIME.to_string());
    let warnings = match lambda_sync::check_runtime(&runtime_id, crate::clock::today()?) {
        Ok(w) => w,
        Err(message) => {
            eprintln!("error: --runtime: {message}");
            return Ok(EXIT_USAGE);
        }
    };
    for w in warnings {
        eprintln!("warning: {w}");
    }
    let runtime = lambda_sync::stubs::runtime(&runtime_id).context("unknown runtime")?;
    let templates = match &args.templates {
        Some(dir) => lambda_sync::stubs::Templates::from_dir(dir).map_err(|e| {
            usage(anyhow::Error::new(e).context(format!("--templates {}", dir.display())))
        })?,
        None => lambda_sync::stubs::Templates::builtin(),
    };
    let mut config = Config::default();
    if let Some(i) = integration_of(args.integration.as_deref()) {
        config.integration = i;
    }
    config.name_template = args.name_template.clone();
    if let Some(g) = crate::sync::granularity_of(args.granularity.as_deref()) {
        config.granularity = g;
    }
    let settings = config.resolve(Target::Local)?;
    let options = lambda_sync::bind_options(&settings, None);
    let (bindings, _) = lambda_sync::integration::bind(&doc, &options)
        .map_err(|e| usage(lambda_sync::Error::from(e)))?;
    let unwritable = |e: std::io::Error, what: &Path| {
        usage(anyhow::Error::new(e).context(format!("writing {}", what.display())))
    };
    std::fs::create_dir_all(&args.out_dir).map_err(|e| unwritable(e, &args.out_dir))?;
    let mut seen = std::collections::BTreeSet::new();
    for b in &bindings.bindings {
        if !seen.insert(b.function_name.clone()) {
            continue;
        }
        // A function that serves several operations gets their router.
        let list: Vec<_> = bindings
            .bindings
            .iter()
            .filter(|m| m.function_name == b.function_name)
            .collect();
        let stub = lambda_sync::function_stub(&list, runtime, &templates)?;
        let dir = args.out_dir.join(&stub.function_name);
        std::fs::create_dir_all(&dir).map_err(|e| unwritable(e, &dir))?;
        let file = dir.join(&stub.file_name);
        lambda_sync_spec::write_atomic(&file, stub.source.as_bytes())?;
        outln!("{}", file.display());
        if args.zip {
            let zip = lambda_sync::stubs::package(&stub)?;
            let zpath = args.out_dir.join(format!("{}.zip", stub.function_name));
            lambda_sync_spec::write_atomic(&zpath, &zip)?;
            outln!("{}", zpath.display());
        }
    }
    Ok(EXIT_OK)
}
