//! What transform did.

use lambda_sync_spec::{Diagnostic, Document};
use serde::Serialize;

/// What was done at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ChangeAction {
    /// A key, parameter or operation moved under `x-disabled-for-amazon-gateway`.
    Wrapped,
    /// A key was removed from what AWS sees (kept under the wrapper, nothing is lost).
    Removed,
    /// A model was renamed.
    Renamed {
        /// The original name.
        from: String,
        /// The new name.
        to: String,
    },
    /// A `$ref` (or discriminator mapping) to a renamed model was rewritten.
    RefRewritten {
        /// The reference before.
        from: String,
        /// The reference after.
        to: String,
    },
    /// A reference that closed a cycle of models was replaced by `{"type": "object"}`.
    CycleBroken {
        /// The models on the cycle, starting with the one the reference pointed at (at most
        /// twelve are listed).
        cycle: Vec<String>,
        /// How many more models the cycle has than `cycle` lists.
        more: usize,
    },
    /// OpenAPI 3.1 was lowered to 3.0.
    Lowered,
    /// A `$ref` to a response was replaced by the response itself.
    Inlined,
}

/// One change made by [`transform`](crate::transform).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepairChange {
    /// The rule id.
    pub rule: String,
    /// JSON Pointer of the changed place in the input.
    pub before: String,
    /// JSON Pointer of the same thing in the output.
    pub after: String,
    /// What was done.
    pub action: ChangeAction,
    /// What was done and why, in words.
    pub message: String,
}

/// The result of [`transform`](crate::transform).
#[derive(Debug, Clone)]
pub struct Transformed {
    /// The document to send to API Gateway (3.0.3 when a 3.1 input was lowered).
    pub document: Document,
    /// Every change, in the order it was made.
    pub changes: Vec<RepairChange>,
    /// What remains after transforming: findings no transform fixes (parameter names, path
    /// segments, `default` responses, ...) and what a 3.1 lowering could not keep.
    pub diagnostics: Vec<Diagnostic>,
    /// The repairs recorded in `document` (renamed and split path variables, parameters left
    /// out for their names, operations left out), as [`repairs`](crate::repairs) reads them.
    pub repairs: crate::Repairs,
}

impl Transformed {
    /// Whether anything was changed.
    pub fn changed(&self) -> bool {
        !self.changes.is_empty()
    }
}
