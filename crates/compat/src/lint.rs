//! Lint: every finding as a diagnostic, without changing anything.

use crate::options::CompatOptions;
use crate::rules::severity;
use crate::{graph, names, walk};
use lambda_sync_spec::{Diagnostic, Document, pointer};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

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
    let mut out: Vec<Diagnostic> = walk::walk(doc, options)
        .into_iter()
        .map(|f| Diagnostic::new(f.rule, severity(f.rule), f.pointer, f.message))
        .collect();
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
                    "models with circular references cannot be imported by API Gateway: {} → {}; compat replaces this reference (from `{}` to `{}`) by `{{\"type\": \"object\"}}` and keeps it under the wrapper",
                    c.names.join(" → "),
                    c.names[0],
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

/// Sorts diagnostics by where their pointers are in the document (pre-order, keys in document
/// order); the walk visits only the branches that lead to a diagnostic.
fn sort_in_document_order(root: &Value, diags: &mut [Diagnostic]) {
    if diags.len() < 2 {
        return;
    }
    let mut prefixes: HashSet<&str> = HashSet::new();
    for d in diags.iter() {
        let p = d.pointer.as_str();
        prefixes.insert(p);
        let mut end = p.len();
        while let Some(i) = p[..end].rfind('/') {
            prefixes.insert(&p[..i]);
            end = i;
        }
    }
    let mut order: HashMap<String, usize> = HashMap::new();
    let mut stack: Vec<(&Value, String)> = vec![(root, String::new())];
    while let Some((v, at)) = stack.pop() {
        let n = order.len();
        order.entry(at.clone()).or_insert(n);
        let kids: Vec<(&Value, String)> = match v {
            Value::Object(m) => m
                .iter()
                .map(|(k, c)| (c, pointer::push(&at, k)))
                .filter(|(_, p)| prefixes.contains(p.as_str()))
                .collect(),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, c)| (c, format!("{at}/{i}")))
                .filter(|(_, p)| prefixes.contains(p.as_str()))
                .collect(),
            _ => Vec::new(),
        };
        for (c, p) in kids.into_iter().rev() {
            stack.push((c, p));
        }
    }
    diags.sort_by_key(|d| order.get(&d.pointer).copied().unwrap_or(usize::MAX));
}
