//! The loader's fatal errors.

use std::path::PathBuf;

/// What went wrong when a definition could not be loaded at all.
///
/// Problems that still leave a usable document (an unresolvable `$ref`, a duplicate
/// `operationId`, ...) are [`Diagnostic`](crate::Diagnostic)s instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input is larger than the configured limit.
    #[error("the definition is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The input is not UTF-8.
    #[error(
        "the definition is not valid UTF-8 (invalid byte at line {line}, column {column}, offset {offset}); save it as UTF-8"
    )]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column (in characters) of the first invalid byte.
        column: usize,
    },
    /// The input is not well-formed JSON or YAML.
    #[error("{format} syntax error{}: {message}", position_suffix(*line, *column))]
    Parse {
        /// `"JSON"` or `"YAML"`.
        format: &'static str,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
        /// The parser's message.
        message: String,
    },
    /// The input parsed, but it is not an OpenAPI definition of a supported version.
    #[error("{0}")]
    Version(String),
    /// The file changed after it was read, so write-back refused to overwrite it.
    #[error(
        "{}: the file changed after it was read; nothing was written back. Push again to write the extensions into the new version",
        path.display()
    )]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// The document does not fit a typed model it was converted to
    /// (`Document::to_openapiv3`, feature `openapiv3`).
    #[error(
        "the definition does not fit {model}: {message}; fix that value in the definition (the OpenAPI 3.0 specification says what it must be)"
    )]
    Model {
        /// The model, e.g. `"openapiv3::OpenAPI"`.
        model: &'static str,
        /// The deserialiser's message (what did not fit).
        message: String,
    },
    /// A document could not be serialised.
    #[error("could not write the definition as {format}: {message}")]
    Write {
        /// `"JSON"` or `"YAML"`.
        format: &'static str,
        /// The serialiser's message.
        message: String,
    },
}

fn position_suffix(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    }
}

impl Error {
    /// The 1-based line and column the error points at, when known.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            Error::Parse {
                line: Some(l),
                column,
                ..
            } => Some((*l, column.unwrap_or(1))),
            Error::NotUtf8 { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
