//! The runtimes stubs can be generated for: the catalogue lives in
//! [`lambda_sync_aws::runtimes`] (the one home of Lambda's runtime facts); this module re-exports
//! it and maps its errors to this crate's [`Error`].

use crate::error::{Error, Result};
pub use lambda_sync_aws::Date;
pub use lambda_sync_aws::runtimes::{
    CATALOGUE_DATE, DEFAULT_RUNTIME, Family, NodeModule, RuntimeInfo, runtime, runtimes,
};

/// Checks that new functions can be created with runtime `id` on `today`: see
/// [`lambda_sync_aws::runtimes::check_runtime`].
///
/// ```
/// use lambda_sync_stubs::{check_runtime, Date};
/// let today = Date::parse("2026-11-28").unwrap();
/// assert!(check_runtime("nodejs24.x", today).unwrap().is_empty());
/// assert!(check_runtime("python3.8", today).unwrap_err().to_string().contains("python3.14"));
/// ```
pub fn check_runtime(id: &str, today: Date) -> Result<Vec<String>> {
    lambda_sync_aws::runtimes::check_runtime(id, today).map_err(Error::from)
}

impl From<lambda_sync_aws::runtimes::RuntimeError> for Error {
    fn from(e: lambda_sync_aws::runtimes::RuntimeError) -> Self {
        use lambda_sync_aws::runtimes::RuntimeError;
        match e {
            RuntimeError::Unknown { id, known } => Error::UnknownRuntime { id, known },
            RuntimeError::Blocked {
                id,
                since,
                replacement,
            } => Error::RuntimeBlocked {
                id,
                since,
                replacement,
            },
        }
    }
}

impl From<lambda_sync_aws::InvalidDate> for Error {
    fn from(e: lambda_sync_aws::InvalidDate) -> Self {
        Error::InvalidDate(e.0)
    }
}
