//! What the walk finds, and the one builder every finding goes through.

use crate::report::ChangeAction;
use crate::wrap::{ObjEdit, WRAPPER};
use lambda_sync_spec::pointer;
use serde_json::Value;

/// One thing a rule found, with what transform does about it. Its severity is the rule's
/// (`rules::severity`), looked up where the finding becomes a diagnostic.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub rule: &'static str,
    /// Where it is (before any change).
    pub pointer: String,
    /// What AWS does and how to fix it.
    pub message: String,
    /// What transform does; empty when the rule only reports.
    pub ops: Vec<Op>,
    pub action: ChangeAction,
    /// Where the thing ends up (before renames and parameter moves are applied).
    pub after: Option<String>,
    /// A lowering that loses meaning: reported as a warning after transform.
    pub loss: bool,
}

/// One change transform makes for a finding.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Edit { object: String, edit: ObjEdit },
    PlainSet { pointer: String, value: Value },
    Inline { object: String, target: String },
}

impl Finding {
    /// A finding of `rule` at `pointer` that only reports (transform changes nothing).
    pub(super) fn new(rule: &'static str, pointer: String, message: String) -> Finding {
        Finding {
            rule,
            pointer,
            message,
            ops: Vec::new(),
            action: ChangeAction::Wrapped,
            after: None,
            loss: false,
        }
    }

    /// A finding at member `key` of the object at `obj`, which transform moves under the
    /// wrapper of that object.
    pub(super) fn wrap(rule: &'static str, obj: &str, key: &str, message: String) -> Finding {
        let edit = ObjEdit {
            wrap: vec![key.to_string()],
            ..ObjEdit::default()
        };
        Finding::new(rule, pointer::push(obj, key), message)
            .op(Op::Edit {
                object: obj.to_string(),
                edit,
            })
            .after(pointer::push(&pointer::push(obj, WRAPPER), key))
    }

    /// A finding at member `key` of the object at `obj`, which transform lowers to OpenAPI 3.0
    /// by `edit` on that object.
    pub(super) fn lower(
        rule: &'static str,
        obj: &str,
        key: &str,
        message: String,
        edit: ObjEdit,
    ) -> Finding {
        Finding::new(rule, pointer::push(obj, key), message)
            .op(Op::Edit {
                object: obj.to_string(),
                edit,
            })
            .action(ChangeAction::Lowered)
            .after(obj.to_string())
    }

    /// Adds a change transform makes.
    pub(super) fn op(mut self, op: Op) -> Finding {
        self.ops.push(op);
        self
    }

    /// Says how the change is reported.
    pub(super) fn action(mut self, action: ChangeAction) -> Finding {
        self.action = action;
        self
    }

    /// Says where the thing ends up.
    pub(super) fn after(mut self, at: String) -> Finding {
        self.after = Some(at);
        self
    }

    /// Marks a lowering that loses meaning (`lossy(true)`).
    pub(super) fn lossy(mut self, loss: bool) -> Finding {
        self.loss = loss;
        self
    }
}
