//! `lambda-sync check`.

use crate::exit::{FINDINGS, OK, usage};
use crate::output::{OutputFormat, print_diagnostics, report_load_error};
use std::path::PathBuf;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The OpenAPI definition (YAML or JSON).
    pub spec: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// Switch an API Gateway rule off (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,
}

/// Runs `check`; returns the exit code.
pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    // Usage first: a bad flag is reported whatever the definition.
    lambda_sync::compat::validate_rule_ids(&args.disable)
        .map_err(|e| usage(anyhow::anyhow!("--disable: {e}")))?;
    let loaded = match lambda_sync_spec::load_path(&args.spec) {
        Ok(l) => l,
        Err(e) => return Ok(report_load_error(&args.spec, &e, args.format)),
    };
    let options =
        lambda_sync::compat::CompatOptions::default().with_disabled(args.disable.iter().cloned());
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(lambda_sync::compat::lint(&loaded.document, &options));
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column));
    print_diagnostics(&args.spec, &diagnostics, args.format);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if args.format == OutputFormat::Text {
        let warnings = diagnostics.len() - errors;
        eprintln!(
            "{}: {errors} error(s), {warnings} warning(s) or note(s)",
            args.spec.display()
        );
    }
    Ok(if errors > 0 { FINDINGS } else { OK })
}
