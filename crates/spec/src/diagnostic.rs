//! Diagnostics: a finding at a place in the document.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something to know; nothing is wrong.
    Info,
    /// Something is ignored or changed, but the definition still works.
    Warning,
    /// The definition cannot be used as it is.
    Error,
}

impl Severity {
    /// The lowercase name (`"error"`, `"warning"`, `"info"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding: a rule id, a severity, where (JSON Pointer and, when known, line:column) and
/// a message that says what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable rule id, e.g. `unresolved-ref`.
    pub rule: String,
    /// How serious it is.
    pub severity: Severity,
    /// JSON Pointer (RFC 6901) to the place in the document.
    pub pointer: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic without a position; [`Document::locate`](crate::Document::locate) fills it.
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            severity,
            pointer: pointer.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error-severity diagnostic.
    pub fn error(
        rule: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(rule, Severity::Error, pointer, message)
    }

    /// A warning-severity diagnostic.
    pub fn warning(
        rule: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(rule, Severity::Warning, pointer, message)
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `line:col: severity[rule]: message (at pointer)`, the line part only when known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "{line}:{}: ", self.column.unwrap_or(1))?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.rule, self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " (at {})", self.pointer)?;
        }
        Ok(())
    }
}
