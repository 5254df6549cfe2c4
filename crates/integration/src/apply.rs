//! Writing the bindings into a copy of the definition.

use crate::bind::{Bindings, EXTENSION};
use crate::contract::IntegrationType;
use crate::extension::integration_extension;
use crate::options::BindOptions;
use lambda_sync_spec::{Document, pointer};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// What [`apply`] changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionChange {
    /// What kind of change.
    pub kind: ChangeKind,
    /// Where: the key that was added.
    pub pointer: String,
    /// A sentence for people.
    pub message: String,
}

/// The kinds of [`ExtensionChange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// An `x-amazon-apigateway-integration` was added to an operation.
    IntegrationAdded,
    /// A generated operationId was written into an operation.
    OperationIdWritten,
    /// A response was declared for a status the integration maps to (so API Gateway has a
    /// method response for it).
    ResponseAdded,
    /// A method was added to a path for operations compat left out of it (API Gateway cannot
    /// tell them apart): its function dispatches on their parameters.
    DispatchMethodAdded,
}

/// Returns a copy of `doc` with an `x-amazon-apigateway-integration` on every bound operation
/// that lacks one, and the list of changes.
///
/// - Existing integrations are never touched.
/// - The new key goes at the end of the operation object; every other key keeps its place and
///   value.
/// - With [`BindOptions::with_write_operation_ids`], generated operationIds are written into
///   their operations (after `tags`, `summary` and `description` when present, else first).
/// - For `aws` integrations, when the success status has no method response (no such code
///   declared, and no `default` response that API Gateway would import as 200), a response
///   `{description: "Success"}` is added for it at the end of `responses`.
///
/// Pure and deterministic: the same input gives the same output.
pub fn apply(
    doc: &Document,
    bindings: &Bindings,
    options: &BindOptions,
) -> (Document, Vec<ExtensionChange>) {
    let mut out = doc.clone();
    let changes = apply_in_place(&mut out, bindings, options);
    (out, changes)
}

/// [`apply`] on a document the caller owns: the same changes, made in place, without copying
/// the document (a large definition is tens of megabytes in memory).
pub fn apply_in_place(
    out: &mut Document,
    bindings: &Bindings,
    options: &BindOptions,
) -> Vec<ExtensionChange> {
    let mut changes = Vec::new();
    let v2 = out.version().is_v2();
    for b in &bindings.bindings {
        if b.via_method {
            // Reached through another operation's method; nothing of its own to write.
            continue;
        }
        let target = match &b.dispatch_path {
            Some(path) => {
                let at = pointer::push(&pointer::push("/paths", path), b.method.as_str());
                let Some(Value::Object(item)) =
                    out.value_mut().pointer_mut(&pointer::push("/paths", path))
                else {
                    continue;
                };
                if item.contains_key(b.method.as_str()) {
                    continue;
                }
                item.insert(b.method.as_str().to_string(), dispatch_method(b, path, v2));
                changes.push(ExtensionChange {
                    kind: ChangeKind::DispatchMethodAdded,
                    pointer: at.clone(),
                    message: format!(
                        "{} {}: added a method that dispatches to {} (compat left it out: API Gateway cannot tell it apart from the path's other operations)",
                        b.method, path, b.operation_id
                    ),
                });
                at
            }
            None => b.pointer.clone(),
        };
        let Some(Value::Object(op)) = out.value_mut().pointer_mut(&target) else {
            continue;
        };
        // A grouped function learns the operation from the method's operation name
        // (`aws_proxy`), so the method needs an operationId.
        if b.operation_id_generated
            && (options.write_operation_ids() || b.grouped)
            && !op.contains_key("operationId")
        {
            insert_operation_id(op, &b.operation_id);
            changes.push(ExtensionChange {
                kind: ChangeKind::OperationIdWritten,
                pointer: pointer::push(&target, "operationId"),
                message: format!(
                    "{} {}: wrote the generated operationId `{}`",
                    b.method, b.path, b.operation_id
                ),
            });
        }
        if b.existing_integration || op.contains_key(EXTENSION) {
            continue;
        }
        if options.integration() == IntegrationType::Aws {
            let status = b.contract.success_status;
            let responses = op
                .entry("responses")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(responses) = responses {
                let unknown = crate::bind::unknown_operation_error();
                let mut wanted: Vec<(u16, &str)> = vec![(status, "Success")];
                for e in &b.extra_errors {
                    wanted.push((e.status, e.description.as_deref().unwrap_or("Error")));
                }
                if b.grouped {
                    wanted.push((unknown.status, "Unknown operation"));
                }
                for (status, description) in wanted {
                    let code = status.to_string();
                    let declared = responses.contains_key(&code)
                        || (status == 200 && responses.contains_key("default"));
                    if declared {
                        continue;
                    }
                    responses.insert(code.clone(), json!({ "description": description }));
                    changes.push(ExtensionChange {
                        kind: ChangeKind::ResponseAdded,
                        pointer: pointer::push(&pointer::push(&target, "responses"), &code),
                        message: format!(
                            "{} {}: declared response {code}, which the integration answers with",
                            b.method, b.path
                        ),
                    });
                }
            }
        }
        op.insert(EXTENSION.to_string(), integration_extension(b, options));
        changes.push(ExtensionChange {
            kind: ChangeKind::IntegrationAdded,
            pointer: pointer::push(&target, EXTENSION),
            message: format!(
                "{} {}: added an `{}` integration with Lambda function `{}`",
                b.method,
                b.path,
                options.integration().as_str(),
                b.function_name
            ),
        });
    }
    changes
}

fn insert_operation_id(op: &mut Map<String, Value>, id: &str) {
    let after = ["tags", "summary", "description"]
        .iter()
        .filter_map(|k| op.keys().position(|x| x == k))
        .max();
    let old = std::mem::take(op);
    let mut placed = false;
    if after.is_none() {
        op.insert("operationId".into(), json!(id));
        placed = true;
    }
    for (i, (k, v)) in old.into_iter().enumerate() {
        op.insert(k, v);
        if Some(i) == after && !placed {
            op.insert("operationId".into(), json!(id));
            placed = true;
        }
    }
}

/// The method added at `path` for a left-out operation: its operationId, the path's variables,
/// its responses' codes (the integration is added after).
fn dispatch_method(b: &crate::Binding, path: &str, v2: bool) -> Value {
    let parameters: Vec<Value> = lambda_sync_spec::path_template_names(path)
        .into_iter()
        .map(|name| {
            if v2 {
                json!({"name": name, "in": "path", "required": true, "type": "string"})
            } else {
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
            }
        })
        .collect();
    let mut responses = Map::new();
    responses.insert(
        b.contract.success_status.to_string(),
        json!({"description": "Success"}),
    );
    for e in &b.contract.errors {
        responses.insert(
            e.status.to_string(),
            json!({"description": e.description.as_deref().unwrap_or("Error")}),
        );
    }
    let mut m = Map::new();
    m.insert("operationId".into(), json!(b.operation_id));
    m.insert("parameters".into(), Value::Array(parameters));
    m.insert("responses".into(), Value::Object(responses));
    Value::Object(m)
}
