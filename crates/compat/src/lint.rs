//! Lint: every finding as a diagnostic, without changing anything.

use crate::fxhash::FxHashMap;
use crate::options::CompatOptions;
use crate::rules::severity;
use crate::{graph, names, repair, walk};
use lambda_sync_spec::Severity;
use lambda_sync_spec::{Diagnostic, Document, pointer};
use serde_json::Value;
use std::borrow::Cow;

/// Reports every place API Gateway cannot import as it is, by rule, at its JSON Pointer, with
/// line and column when the document was loaded from text, in document order. Nothing is
/// changed.
///
/// ```
/// use lambda_sync_compat::{lint, CompatOptions};
/// let doc = lambda_sync_spec::load_str(r#"
/// swagger: "2.0"
/// info: {title: t, version: "1"}
/// paths: {}
/// definitions:
///   io.k8s.Pod: {type: object, properties: {name: {type: string, example: web}}}
/// "#)?.document;
/// let found = lint(&doc, &CompatOptions::default());
/// let rules: Vec<&str> = found.iter().map(|d| d.rule.as_str()).collect();
/// assert_eq!(rules, ["model-name", "example"]);
/// assert_eq!(found[1].pointer, "/definitions/io.k8s.Pod/properties/name/example");
/// assert_eq!(found[1].line, Some(6));
/// # Ok::<(), lambda_sync_spec::Error>(())
/// ```
pub fn lint(doc: &Document, options: &CompatOptions) -> Vec<Diagnostic> {
    let plan = repair::plan(doc, options);
    let mut out: Vec<Diagnostic> = walk::walk(doc, options, &plan.handled)
        .into_iter()
        .map(|f| Diagnostic::new(f.rule, severity(f.rule), f.pointer, f.message))
        .collect();
    out.extend(repair_diagnostics(plan, options, false));
    let version = doc.version();
    if options.is_enabled("model-name")
        && let Some(Value::Object(schemas)) = doc.get(version.schemas_pointer())
    {
        let list: Vec<&str> = schemas.keys().map(String::as_str).collect();
        for (i, new) in names::plan(&list) {
            out.push(Diagnostic::new(
                    "model-name",
                    severity("model-name"),
                    pointer::push(version.schemas_pointer(), list[i]),
                    format!(
                        "model name `{}` is not alphanumeric and API Gateway refuses it (\"Model name must be alphanumeric\"), so the import fails; compat renames it to `{new}` and rewrites every `$ref` to it",
                        list[i]
                    ),
                ));
        }
    }
    if options.is_enabled("circular-ref") {
        for c in graph::cycles(doc.value(), version) {
            out.push(Diagnostic::new(
                "circular-ref",
                severity("circular-ref"),
                format!("{}/$ref", c.back_edge),
                format!(
                    "models with circular references cannot be imported by API Gateway: {}; compat replaces this reference (from `{}` to `{}`) by `{{\"type\": \"object\"}}` and keeps it under the wrapper",
                    c.describe(),
                    c.from,
                    c.to
                ),
            ));
        }
    }
    sort_in_document_order(doc.value(), &mut out);
    doc.locate(&mut out);
    out
}

/// The diagnostics of the repairs: in lint, each finding with its rule's severity (an error in
/// strict mode); after transform (`transformed`), a warning at the repaired place. Conflicts no
/// repair can solve are `path-segment` errors.
pub(crate) fn repair_diagnostics(
    plan: repair::Plan,
    options: &CompatOptions,
    transformed: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::with_capacity(plan.findings.len() + plan.blocked.len());
    for (p, message) in plan.blocked {
        out.push(Diagnostic::new(
            "path-segment",
            severity("path-segment"),
            p,
            message,
        ));
    }
    for f in plan.findings {
        let (sev, at, message) = if options.strict() {
            (
                Severity::Error,
                f.pointer,
                format!(
                    "{} (strict mode: nothing is repaired; fix it in the definition or turn strict off)",
                    f.message
                ),
            )
        } else if transformed {
            (Severity::Warning, f.after, f.message)
        } else {
            (severity(f.rule), f.pointer, f.message)
        };
        out.push(Diagnostic::new(f.rule, sev, at, message));
    }
    out
}

/// Sorts diagnostics by where their pointers are in the document (pre-order, keys in document
/// order). The walk follows a trie of the wanted pointers, so it visits only the branches that
/// lead to a diagnostic and allocates nothing per node.
pub(crate) fn sort_in_document_order(root: &Value, diags: &mut Vec<Diagnostic>) {
    if diags.len() < 2 {
        return;
    }
    // Trie of (unescaped) tokens, borrowed from the pointers where no unescaping is needed.
    let mut children: Vec<FxHashMap<Cow<'_, str>, usize>> = vec![FxHashMap::default()];
    let mut node_of: Vec<usize> = Vec::with_capacity(diags.len());
    for d in diags.iter() {
        let mut n = 0;
        let body = d.pointer.strip_prefix('/');
        for tok in body.into_iter().flat_map(|b| b.split('/')) {
            let tok = pointer::unescape(tok);
            n = match children[n].get(tok.as_ref()) {
                Some(&c) => c,
                None => {
                    children.push(FxHashMap::default());
                    let c = children.len() - 1;
                    children[n].insert(tok, c);
                    c
                }
            };
        }
        node_of.push(n);
    }
    let mut rank = vec![usize::MAX; children.len()];
    let mut next = 0;
    let mut stack: Vec<(&Value, usize)> = vec![(root, 0)];
    let mut kids: Vec<(&Value, usize)> = Vec::new();
    let mut index = String::new();
    while let Some((v, n)) = stack.pop() {
        rank[n] = next;
        next += 1;
        if children[n].is_empty() {
            continue;
        }
        kids.clear();
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    if let Some(&cn) = children[n].get(k.as_str()) {
                        kids.push((c, cn));
                    }
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    use std::fmt::Write;
                    index.clear();
                    let _ = write!(index, "{i}");
                    if let Some(&cn) = children[n].get(index.as_str()) {
                        kids.push((c, cn));
                    }
                }
            }
            _ => {}
        }
        stack.extend(kids.drain(..).rev());
    }
    let mut keyed: Vec<(usize, Diagnostic)> = node_of
        .iter()
        .map(|&n| rank[n])
        .zip(std::mem::take(diags))
        .collect();
    keyed.sort_by_key(|(r, _)| *r);
    diags.extend(keyed.into_iter().map(|(_, d)| d));
}
