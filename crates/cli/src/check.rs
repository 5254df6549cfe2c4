//! `lambda-sync check`.

use crate::exit::{FINDINGS, OK, usage};
use crate::output::{OutputFormat, out, out_line, push_diagnostic_line, report_load_error};
use lambda_sync_spec::Diagnostic;
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
    /// Make no repair: each one is an error that blocks a push.
    #[arg(long)]
    pub strict: bool,
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
    let options = lambda_sync::compat::CompatOptions::default()
        .with_disabled(args.disable.iter().cloned())
        .with_strict(args.strict);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(lambda_sync::compat::lint(&loaded.document, &options));
    crate::docs_cmds::free_at_exit(loaded.document);
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column));
    let blocks: Vec<bool> = diagnostics
        .iter()
        .map(|d| lambda_sync::compat::blocks_push(d, &options))
        .collect();
    print_findings(&args.spec, &diagnostics, &blocks, args.format);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if args.format == OutputFormat::Text {
        let warnings = diagnostics.len() - errors;
        let blocking = blocks.iter().filter(|b| **b).count();
        eprintln!(
            "{}: {errors} error(s) ({blocking} block a push, the others are repaired by compat), {warnings} warning(s) or note(s)",
            args.spec.display()
        );
    }
    // Findings compat repairs on push do not fail the check; only blocking ones do.
    Ok(if blocks.iter().any(|b| *b) {
        FINDINGS
    } else {
        OK
    })
}

/// The findings, each marked with whether it blocks a push: in text, a `[repaired by compat]`
/// or `[blocks push]` tag after the severity of each error; in JSON, a `blocks_push` field.
fn print_findings(
    file: &std::path::Path,
    diagnostics: &[Diagnostic],
    blocks: &[bool],
    format: OutputFormat,
) {
    match format {
        OutputFormat::Text => {
            let file = file.display();
            let mut text = String::with_capacity(diagnostics.len() * 160);
            for (d, b) in diagnostics.iter().zip(blocks) {
                let tag = match (d.is_error(), b) {
                    (true, true) => " [blocks push]",
                    (true, false) => " [repaired by compat]",
                    _ => "",
                };
                push_diagnostic_line(&mut text, &file, d, tag);
                text.push('\n');
            }
            out(&text);
        }
        OutputFormat::Json => {
            /// A diagnostic with whether it blocks a push, serialised straight to text (no
            /// intermediate `Value`): the diagnostic's fields, then `blocks_push`.
            #[derive(serde::Serialize)]
            struct Finding<'a> {
                #[serde(flatten)]
                diagnostic: &'a Diagnostic,
                blocks_push: bool,
            }
            let list: Vec<Finding<'_>> = diagnostics
                .iter()
                .zip(blocks)
                .map(|(d, b)| Finding {
                    diagnostic: d,
                    blocks_push: *b,
                })
                .collect();
            out_line(&serde_json::to_string_pretty(&list).unwrap_or_default());
        }
    }
}
