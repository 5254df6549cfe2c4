//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong while choosing a runtime, loading templates, rendering or
/// packaging a stub.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The runtime id is not in the catalogue.
    #[error("unknown Lambda runtime {id:?}; known runtimes: {}", known.join(", "))]
    UnknownRuntime {
        /// The id that was asked for.
        id: String,
        /// Every id the catalogue knows, oldest first per family.
        known: Vec<String>,
    },
    /// AWS no longer lets anyone create functions with this runtime.
    #[error(
        "AWS Lambda has blocked creating functions with {id} since {since}; use {replacement} instead"
    )]
    RuntimeBlocked {
        /// The blocked runtime.
        id: String,
        /// The date creation was blocked (`YYYY-MM-DD`).
        since: String,
        /// The newest runtime of the same language.
        replacement: String,
    },
    /// A date was not of the form `YYYY-MM-DD` or does not exist.
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    InvalidDate(String),
    /// A template does not parse.
    #[error("template {file}{}: {message}", location(*line, *column))]
    Template {
        /// The template's file name (`index.mjs.hbs`), with its directory for user templates.
        file: String,
        /// 1-based line of the problem, when handlebars knows it.
        line: Option<usize>,
        /// 1-based column of the problem, when handlebars knows it.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A template directory holds a file that overrides nothing.
    #[error("template directory {dir}: {file} is not a known template (known: {})", known.join(", "))]
    UnknownTemplate {
        /// The directory.
        dir: PathBuf,
        /// The offending file name.
        file: String,
        /// The file names that can be overridden.
        known: Vec<String>,
    },
    /// Reading a template directory failed.
    #[error("reading templates from {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Rendering failed (with the built-in templates this is a bug; with user templates it is
    /// usually a variable the view model does not have: strict mode is on).
    #[error("rendering template {file}{}: {message}", location(*line, *column))]
    Render {
        /// The template's file name.
        file: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
        /// What went wrong.
        message: String,
    },
    /// Writing the zip archive failed.
    #[error("packaging {file}: {message}")]
    Zip {
        /// The entry being written.
        file: String,
        /// What went wrong.
        message: String,
    },
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
