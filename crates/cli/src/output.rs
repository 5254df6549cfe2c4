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
    let mut line = String::new();
    push_diagnostic_line(&mut line, &file.display(), d, "");
    line
}

/// Appends [`diagnostic_line`] to `out`, with `tag` right after `[rule]` (e.g. `check`'s
/// ` [repaired by compat]`), without a line break.
pub fn push_diagnostic_line(
    out: &mut String,
    file: &impl std::fmt::Display,
    d: &Diagnostic,
    tag: &str,
) {
    use std::fmt::Write as _;
    let _ = match (d.line, d.column) {
        (Some(l), c) => write!(
            out,
            "{file}:{l}:{}: {}[{}]{tag}: {}",
            c.unwrap_or(1),
            d.severity,
            d.rule,
            d.message
        ),
        _ => write!(
            out,
            "{file}: {}[{}]{tag}: {} (at {})",
            d.severity,
            d.rule,
            d.message,
            if d.pointer.is_empty() {
                "/"
            } else {
                &d.pointer
            }
        ),
    };
}

/// Writes `bytes` to stdout. A reader that went away (`| head`) is not an error: the rest of
/// the output is dropped quietly and the command ends with its own exit code. Any other write
/// error is reported once on stderr.
pub fn out_bytes(bytes: &[u8]) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static CLOSED: AtomicBool = AtomicBool::new(false);
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing to stdout: {e}");
        }
    }
}

/// Writes `text` to stdout (see [`out_bytes`]).
pub fn out(text: &str) {
    out_bytes(text.as_bytes());
}

/// Writes `text` and a line break to stdout (see [`out_bytes`]).
pub fn out_line(text: &str) {
    let mut line = String::with_capacity(text.len() + 1);
    line.push_str(text);
    line.push('\n');
    out_bytes(line.as_bytes());
}

/// `println!` for stdout that ends quietly when stdout is closed (see [`out_bytes`]).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::out_line(&format!($($arg)*))
    };
}
pub(crate) use outln;

/// Writes diagnostics to stdout in the chosen format.
pub fn print_diagnostics(file: &Path, diagnostics: &[Diagnostic], format: OutputFormat) {
    match format {
        OutputFormat::Text => {
            let mut text = String::new();
            for d in diagnostics {
                text.push_str(&diagnostic_line(file, d));
                text.push('\n');
            }
            out(&text);
        }
        OutputFormat::Json => {
            out_line(&serde_json::to_string_pretty(diagnostics).unwrap_or_default());
        }
    }
}

/// The message of a definition that cannot be loaded, without the file name or position (those
/// are printed beside it) so that nothing is said twice.
pub fn load_message(e: &lambda_sync_spec::Error) -> String {
    match e {
        lambda_sync_spec::Error::Io { source, .. } => {
            format!("cannot read the definition: {source}")
        }
        _ => {
            let text = e.to_string();
            match e.position() {
                Some((l, c)) => text.replace(&format!(" at line {l}, column {c}"), ""),
                None => text,
            }
        }
    }
}

/// A one-line message for a definition that cannot be loaded, with its position when known:
/// `FILE[:LINE:COL]: error: MESSAGE`.
pub fn load_error(file: &Path, e: &lambda_sync_spec::Error) -> String {
    let message = load_message(e);
    match e.position() {
        Some((l, c)) => format!("{}:{l}:{c}: error: {message}", file.display()),
        None => format!("{}: error: {message}", file.display()),
    }
}

/// Reports a definition that cannot be loaded (stderr; with JSON also one object on stdout)
/// and returns the exit code, [`USAGE`](crate::exit::USAGE).
pub fn report_load_error(file: &Path, e: &lambda_sync_spec::Error, format: OutputFormat) -> u8 {
    eprintln!("{}", load_error(file, e));
    if format == OutputFormat::Json {
        crate::exit::json_error(
            crate::exit::USAGE,
            &load_message(e),
            Some((file, e.position())),
        );
    }
    crate::exit::USAGE
}
