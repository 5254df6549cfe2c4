//! Operations compat left out of what AWS sees, split by whether a router still reaches them:
//! `dispatched` (through another operation's method, or a method added for them) or really
//! `left_out`.

use lambda_sync_compat::LeftOut;
use lambda_sync_integration::Bindings;
use serde::Serialize;

/// An operation compat left out of what AWS sees (API Gateway cannot tell it apart from
/// another one) that is still reachable: the function of the method API Gateway calls
/// dispatches to it on its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dispatched {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The path key as the definition writes it.
    pub path: String,
    /// Its `operationId` (as written, or generated).
    pub operation_id: String,
    /// The path of the method API Gateway calls for it, as pushed.
    pub via_path: String,
    /// The `operationId` of that method (the router's key), when not the operation's own.
    pub via_operation: Option<String>,
    /// The function that serves it (a router).
    pub function: String,
    /// The parameters whose presence selects it in the router (`query acl`, `header x-id`);
    /// empty when none tells it apart (a `dispatch-ambiguous` warning then says who answers).
    pub discriminators: Vec<String>,
}

/// Splits compat's `left_out` by the bindings: an operation with a binding that names a method
/// to reach it (another operation's, or one added for it) is dispatched; the others (an
/// existing integration of their own, or no path to dispatch them from) stay left out.
pub(crate) fn split(
    left_out: Vec<LeftOut>,
    bindings: &Bindings,
) -> (Vec<LeftOut>, Vec<Dispatched>) {
    let mut out = Vec::new();
    let mut dispatched = Vec::new();
    for lo in left_out {
        let reached = bindings.bindings.iter().find(|b| {
            b.pointer == lo.pointer && (b.dispatch_path.is_some() || b.called_as != b.operation_id)
        });
        match reached {
            Some(b) => dispatched.push(Dispatched {
                method: lo.method,
                path: lo.path,
                operation_id: b.operation_id.clone(),
                via_path: b.dispatch_path.clone().unwrap_or_else(|| {
                    // The carrier: the operation whose method API Gateway calls.
                    bindings
                        .bindings
                        .iter()
                        .find(|c| !c.via_method && c.operation_id == b.called_as)
                        .map(|c| c.dispatch_path.clone().unwrap_or_else(|| c.path.clone()))
                        .unwrap_or_default()
                }),
                via_operation: (b.called_as != b.operation_id).then(|| b.called_as.clone()),
                function: b.function_name.clone(),
                discriminators: b
                    .discriminators
                    .iter()
                    .map(|d| {
                        let source = serde_json::to_value(d.source)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default();
                        format!("{source} {}", d.name)
                    })
                    .collect(),
            }),
            None => out.push(lo),
        }
    }
    (out, dispatched)
}

impl Dispatched {
    /// One line: `GET /{Bucket}#acl (GetBucketAcl) via GET /{Bucket} → Buckets [query acl]`.
    pub fn summary(&self) -> String {
        let via = match &self.via_operation {
            Some(op) => format!("{} {} ({op})", self.method, self.via_path),
            None => format!("{} {} (a method added for it)", self.method, self.via_path),
        };
        let on = if self.discriminators.is_empty() {
            "with no discriminating parameter".to_string()
        } else {
            format!("on {}", self.discriminators.join(", "))
        };
        format!(
            "{} {} ({}) via {via} -> function {}, {on}",
            self.method, self.path, self.operation_id, self.function
        )
    }
}
