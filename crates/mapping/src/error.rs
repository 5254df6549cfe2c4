//! The error type.

/// Why a template could not be evaluated. Every variant that comes from the template's text
/// carries the 1-based line and column of the construct at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The template is not well-formed (an unclosed `#if`, a stray `#end`, a bad expression).
    #[error("{line}:{column}: syntax error: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The template uses Velocity or API Gateway syntax this evaluator does not implement
    /// (`#macro`, `#parse`, `#include`, ...).
    #[error("{line}:{column}: unsupported: {message}")]
    Unsupported {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is not supported.
        message: String,
    },
    /// Evaluation failed (`$util.parseJson` on text that is not JSON, an integer overflow, ...).
    #[error("{line}:{column}: {message}")]
    Eval {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What went wrong.
        message: String,
    },
    /// The template did more work or produced more output than the [`Limits`](crate::Limits)
    /// allow: it was stopped.
    #[error("{line}:{column}: limit exceeded: {message}")]
    Limit {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// Which limit.
        message: String,
    },
}

impl Error {
    /// The 1-based `(line, column)` the error points at.
    pub fn position(&self) -> (usize, usize) {
        match self {
            Error::Syntax { line, column, .. }
            | Error::Unsupported { line, column, .. }
            | Error::Eval { line, column, .. }
            | Error::Limit { line, column, .. } => (*line, *column),
        }
    }
}

/// `Result<T, Error>`.
pub type Result<T> = std::result::Result<T, Error>;

/// What kind of error to build at a position (the position is filled in by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Syntax,
    Unsupported,
    Eval,
    Limit,
}

pub(crate) fn make(kind: Kind, (line, column): (usize, usize), message: String) -> Error {
    match kind {
        Kind::Syntax => Error::Syntax {
            line,
            column,
            message,
        },
        Kind::Unsupported => Error::Unsupported {
            line,
            column,
            message,
        },
        Kind::Eval => Error::Eval {
            line,
            column,
            message,
        },
        Kind::Limit => Error::Limit {
            line,
            column,
            message,
        },
    }
}

/// Converts a character offset into a 1-based (line, column).
pub(crate) fn line_col(chars: &[char], offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut col = 1;
    for &c in chars.iter().take(offset) {
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}
