//! The exit-code contract, in one place: the codes, the text `--help` and the guide show, and
//! how an error that ends a command maps to its code and is printed (text or JSON).

use crate::output::OutputFormat;

/// Exit code: everything went well.
pub const OK: u8 = 0;
/// Exit code: findings (errors in the definition), a failed sync, or (`invoke`) a response
/// whose status is not 2xx.
pub const FINDINGS: u8 = 1;
/// Exit code: wrong usage, or an input that cannot be used at all (a definition or config file
/// that is missing or malformed, a bad config value, an unreadable `--data` file, an output
/// that cannot be written). Nothing was sent.
pub const USAGE: u8 = 2;

/// The contract as `--help` shows it (the guide has the same table).
pub const CONTRACT: &str = "\
Exit codes (every command):
  0  ok
  1  findings in the definition, a failed sync (what was done is reported), or (invoke) a
     response that is not 2xx (--any-status turns that off)
  2  usage error, or an input that cannot be used: a missing or malformed definition or
     config, a bad config value, an unreadable --data file, an unwritable output; nothing
     was sent
With --format json the outcome (including these errors) is one JSON object on stdout.
A closed stdout (`| head`) ends the output quietly; the exit code stays that of the command.";

/// An error that is the user's to fix before anything runs (exit [`USAGE`]).
#[derive(Debug)]
pub struct Usage(pub anyhow::Error);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `{:#}` keeps the context chain on one line.
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for Usage {}

/// Marks `e` as a usage error (exit [`USAGE`]).
pub fn usage(e: impl Into<anyhow::Error>) -> anyhow::Error {
    anyhow::Error::new(Usage(e.into()))
}

/// The exit code of an error that ended a command.
pub fn code_of(e: &anyhow::Error) -> u8 {
    for cause in e.chain() {
        if cause.is::<Usage>() || cause.is::<lambda_sync_spec::Error>() {
            return USAGE;
        }
        if let Some(e) = cause.downcast_ref::<lambda_sync::Error>() {
            return code_of_sync(e);
        }
        if let Some(lambda_sync::aws::Error::Credentials { .. }) =
            cause.downcast_ref::<lambda_sync::aws::Error>()
        {
            return USAGE;
        }
    }
    FINDINGS
}

/// The exit code of a sync error: a bad configuration (rule ids, name template, region, ...) or
/// an unloadable definition is a usage error; the rest (findings, AWS refusals) are failures.
pub fn code_of_sync(e: &lambda_sync::Error) -> u8 {
    match e {
        lambda_sync::Error::Config { .. }
        | lambda_sync::Error::Spec(_)
        | lambda_sync::Error::Integration(_)
        | lambda_sync::Error::Stubs(_) => USAGE,
        _ => FINDINGS,
    }
}

/// Prints the error that ended a command (on stderr; with `--format json` also as one JSON
/// object on stdout) and returns its exit code.
pub fn report(e: &anyhow::Error, format: OutputFormat) -> u8 {
    let code = code_of(e);
    let message = format!("{e:#}");
    eprintln!("error: {message}");
    if format == OutputFormat::Json {
        json_error(code, &message, None);
    }
    code
}

/// The JSON object of a failed command: `{"ok": false, "exit_code": N, "error": "...", ...}`
/// with `file`, `line` and `column` when the error points into a file.
pub fn json_error(code: u8, message: &str, at: Option<(&std::path::Path, Option<(usize, usize)>)>) {
    let mut v = serde_json::json!({ "ok": false, "exit_code": code, "error": message });
    if let Some((file, pos)) = at {
        v["file"] = serde_json::Value::String(file.display().to_string());
        if let Some((line, column)) = pos {
            v["line"] = line.into();
            v["column"] = column.into();
        }
    }
    crate::output::out_line(&serde_json::to_string_pretty(&v).unwrap_or_default());
}
