//! The one error type of this crate, by meaning rather than by backend.

/// The result type of every fallible operation in this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// What went wrong talking to API Gateway or Lambda, whichever backend answered.
///
/// Variants are named by meaning so callers match on what happened (`NotFound`, `Conflict`, ...)
/// rather than on which backend or which AWS error code produced it. Messages never contain
/// credentials.
#[non_exhaustive]
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum Error {
    /// The API, resource, function or policy does not exist.
    #[error("not found: {what}")]
    NotFound {
        /// What was looked for, as the service described it.
        what: String,
    },
    /// The thing already exists (a function name, a permission statement id, ...).
    #[error("conflict: {message}")]
    Conflict {
        /// The service's explanation.
        message: String,
    },
    /// The request rate was exceeded; retry later with back-off.
    #[error("throttled: {message}")]
    Throttled {
        /// The service's explanation.
        message: String,
    },
    /// The request was refused as invalid (bad definition, bad name, bad role ARN, ...).
    #[error("invalid input: {message}")]
    InvalidInput {
        /// The service's explanation.
        message: String,
    },
    /// The caller is not allowed to do this, or its credentials were refused.
    #[error("access denied: {message}")]
    AccessDenied {
        /// The service's explanation.
        message: String,
    },
    /// Any other error reported by the service, with its error code.
    #[error("service error {code}: {message}")]
    Service {
        /// The service's error code (for example `ServiceException`), or `http-NNN` when the
        /// response carried none.
        code: String,
        /// The service's explanation.
        message: String,
    },
    /// The request did not get an answer: connection failure, timeout, unreadable response.
    #[error("transport error: {message}")]
    Transport {
        /// What failed.
        message: String,
    },
    /// No usable credentials: none found in the chain, or they have expired. Nothing was
    /// sent; the message names the chain that was tried and how to fix it.
    #[error("{message}")]
    Credentials {
        /// What was tried and how to fix it (two lines).
        message: String,
    },
    /// Local storage failed (saving or loading the fake account).
    #[error("i/o error: {message}")]
    Io {
        /// What failed, naming the file.
        message: String,
    },
}

/// Service error codes (and `http-5xx` pseudo codes) that are worth retrying.
const RETRYABLE_CODES: &[&str] = &[
    "InternalFailure",
    "InternalServerError",
    "InternalServerErrorException",
    "ServiceException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "RequestTimeout",
    "RequestTimeoutException",
    "EC2ThrottledException",
];

impl Error {
    /// Whether the same request may succeed if it is simply sent again later: throttling,
    /// transport failures and server-side (5xx-like) service errors.
    ///
    /// ```
    /// use lambda_sync_aws::Error;
    /// assert!(Error::Throttled { message: "slow down".into() }.is_retryable());
    /// assert!(!Error::Conflict { message: "exists".into() }.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Throttled { .. } | Error::Transport { .. } => true,
            Error::Service { code, .. } => {
                RETRYABLE_CODES.contains(&code.as_str()) || code.starts_with("http-5")
            }
            _ => false,
        }
    }

    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound { what: what.into() }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
        }
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
        }
    }
}
