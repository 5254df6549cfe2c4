//! The error type.

/// Why options could not be used. Problems with the definition itself are diagnostics, not
/// errors: every operation is still bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The region is not an AWS region name.
    #[error(
        "invalid region `{0}`: expected a region name such as `us-east-1`, `eu-west-2` or `cn-north-1`"
    )]
    InvalidRegion(String),
    /// The account id is not 12 digits.
    #[error("invalid AWS account id `{0}`: expected exactly 12 digits, such as `123456789012`")]
    InvalidAccount(String),
    /// The partition is unknown or does not hold the region.
    #[error("invalid partition `{partition}`: {reason}")]
    InvalidPartition {
        /// The partition given.
        partition: String,
        /// What is wrong.
        reason: String,
    },
    /// The function name template is malformed.
    #[error("invalid function name template `{template}`: {reason}")]
    InvalidTemplate {
        /// The template given.
        template: String,
        /// What is wrong.
        reason: String,
    },
    /// The alias or version qualifier is not one Lambda accepts.
    #[error(
        "invalid qualifier `{0}`: expected a version number, `$LATEST` or an alias name ([A-Za-z0-9_-], 1-128 characters, not only digits unless a version)"
    )]
    InvalidQualifier(String),
    /// The API id is not an API Gateway id.
    #[error(
        "invalid API id `{0}`: expected the id API Gateway assigned, such as `a1b2c3d4e5` (letters and digits)"
    )]
    InvalidApiId(String),
}

/// `Result<T, Error>`.
pub type Result<T> = std::result::Result<T, Error>;
