//! The error type of this crate.

use std::path::PathBuf;

/// What went wrong while running an API locally.
///
/// These are problems of the local set-up or of the account (a function that does not exist,
/// a runtime that cannot run here, an unreadable package, a template that does not evaluate).
/// What API Gateway itself would answer — a 403 for an unknown route, a 502 for a crash, a
/// 504 for a timeout — is a normal [`HttpResponse`](crate::HttpResponse), not an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The fake account answered an error (unknown API, unknown function, ...).
    #[error("account: {0}")]
    Aws(#[from] lambda_sync_aws::Error),
    /// A mapping template could not be evaluated.
    #[error("mapping template for {content_type}: {source}")]
    Mapping {
        /// The content type the template is keyed by.
        content_type: String,
        /// What the evaluator reported.
        #[source]
        source: lambda_sync_mapping::Error,
    },
    /// The integration cannot be run locally (not a Lambda integration, an unreadable `uri`).
    #[error("{method} {path}: {message}")]
    Integration {
        /// The HTTP method of the API method.
        method: String,
        /// The resource path.
        path: String,
        /// Why it cannot run.
        message: String,
    },
    /// The function's runtime is neither Node.js nor Python.
    #[error(
        "function {function}: runtime {runtime:?} cannot run locally (only nodejs* and python3*)"
    )]
    UnsupportedRuntime {
        /// The function name.
        function: String,
        /// Its runtime.
        runtime: String,
    },
    /// The function's handler setting is not `FILE.EXPORT`.
    #[error("function {function}: handler {handler:?} is not of the form FILE.EXPORT")]
    BadHandler {
        /// The function name.
        function: String,
        /// Its handler setting.
        handler: String,
    },
    /// The function's deployment package cannot be read or holds an unsafe entry.
    #[error("function {function}: package: {message}")]
    Package {
        /// The function name.
        function: String,
        /// What is wrong.
        message: String,
    },
    /// The interpreter (node or python3) could not be started.
    #[error("cannot start {program}: {source}")]
    Spawn {
        /// The program.
        program: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file system or network operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done (`write`, `bind`, ...).
        action: &'static str,
        /// The file or address concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A bad argument (`--query` without `=`, a non-loopback address, ...).
    #[error("{0}")]
    InvalidInput(String),
}

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
