//! The crate's errors.

/// What can go wrong when using this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule id that is not in the catalogue (for example in `--disable`).
    #[error("unknown compat rule `{id}`; valid rule ids are: {}", valid.join(", "))]
    UnknownRule {
        /// The id that was given.
        id: String,
        /// Every valid id, in catalogue order.
        valid: Vec<&'static str>,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
