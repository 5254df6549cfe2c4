//! Printing diagnostics as text or JSON.

use lambda_sync_spec::Diagnostic;
use std::io::Write;
use std::path::Path;

/// Output format of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// Machine-readable JSON.
    Json,
}

/// One diagnostic as a line: `file:line:col: severity[rule]: message`.
pub fn diagnostic_line(file: &Path, d: &Diagnostic) -> String {
    let file = file.display();
    match (d.line, d.column) {
        (Some(l), c) => format!(
            "{file}:{l}:{}: {}[{}]: {}",
            c.unwrap_or(1),
            d.severity,
            d.rule,
            d.message
        ),
        _ => format!(
            "{file}: {}[{}]: {} (at {})",
            d.severity,
            d.rule,
            d.message,
            if d.pointer.is_empty() {
                "/"
            } else {
                &d.pointer
            }
        ),
    }
}

/// Writes diagnostics to stdout in the chosen format.
pub fn print_diagnostics(
    file: &Path,
    diagnostics: &[Diagnostic],
    format: OutputFormat,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        OutputFormat::Text => {
            for d in diagnostics {
                writeln!(out, "{}", diagnostic_line(file, d))?;
            }
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, diagnostics)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// A one-line message for a definition that cannot be loaded, with its position when known.
pub fn load_error(file: &Path, e: &lambda_sync_spec::Error) -> String {
    match e.position() {
        Some((l, c)) => format!("{}:{l}:{c}: error: {e}", file.display())
            .replace(&format!(" at line {l}, column {c}"), ""),
        None => format!("{}: error: {e}", file.display()),
    }
}
