//! Transform: apply every fix, record every change.

use crate::fxhash::FxHashMap;
use crate::options::CompatOptions;
use crate::report::{ChangeAction, RepairChange, Transformed};
use crate::rules::{rule, severity};
use crate::walk::{self, Op};
use crate::wrap::{self, ObjEdit, WRAPPER};
use crate::{graph, lint, names, refs, repair};
use lambda_sync_spec::{Diagnostic, Document, pointer};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Pointer prefixes that moved: old → new.
#[derive(Default)]
struct Remap(FxHashMap<String, String>);

impl Remap {
    fn apply(&self, p: &str) -> String {
        if self.0.is_empty() {
            return p.to_string();
        }
        let mut end = p.len();
        loop {
            if let Some(new) = self.0.get(&p[..end]) {
                return format!("{new}{}", &p[end..]);
            }
            match p[..end].rfind('/') {
                Some(i) if i > 0 => end = i,
                _ => return p.to_string(),
            }
        }
    }
}

/// Rewrites the document so that API Gateway imports it: every fixable finding of an enabled
/// rule is fixed in a way [`restore`](crate::restore) can undo, and every change is reported.
///
/// Idempotent: transforming the output again changes nothing.
///
/// ```
/// use lambda_sync_compat::{transform, CompatOptions};
/// let doc = lambda_sync_spec::load_str(r##"
/// swagger: "2.0"
/// info: {title: t, version: "1"}
/// paths: {}
/// definitions:
///   io.k8s.Pod: {type: object, properties: {owner: {$ref: "#/definitions/io.k8s.Pod"}}}
/// "##)?.document;
/// let out = transform(&doc, &CompatOptions::default());
/// let pod = out.document.get("/definitions/IoK8sPod").unwrap();
/// assert_eq!(pod["properties"]["owner"]["type"], "object");
/// assert_eq!(
///     pod["properties"]["owner"]["x-disabled-for-amazon-gateway"]["$ref"],
///     "#/definitions/IoK8sPod"
/// );
/// assert_eq!(pod["x-disabled-for-amazon-gateway"]["x-original-name"], "io.k8s.Pod");
/// # Ok::<(), lambda_sync_spec::Error>(())
/// ```
pub fn transform(doc: &Document, options: &CompatOptions) -> Transformed {
    let plan = repair::plan(doc, options);
    let mut findings = walk::walk(doc, options, &plan.handled);
    let format = doc.format();
    let mut root = doc.value().clone();
    let mut changes: Vec<RepairChange> = Vec::new();
    let mut remap = Remap::default();
    let mut losses: Vec<(usize, &'static str, String)> = Vec::new();

    // Round 1: boolean schemas and per-object edits.
    for f in &findings {
        for op in &f.ops {
            if let Op::PlainSet { pointer, value } = op
                && let Some(slot) = refs::pointer_mut(&mut root, pointer)
            {
                *slot = value.clone();
            }
        }
    }
    let mut order: Vec<String> = Vec::new();
    let mut edits: FxHashMap<String, ObjEdit> = FxHashMap::default();
    for f in &mut findings {
        for op in &mut f.ops {
            if let Op::Edit { object, edit } = op {
                let edit = std::mem::take(edit);
                match edits.get_mut(object.as_str()) {
                    Some(e) => e.merge(edit),
                    None => {
                        let object = std::mem::take(object);
                        order.push(object.clone());
                        edits.insert(object, edit);
                    }
                }
            }
        }
    }
    for (object, edit) in &plan.edits {
        match edits.get_mut(object.as_str()) {
            Some(e) => e.merge(edit.clone()),
            None => {
                order.push(object.clone());
                edits.insert(object.clone(), edit.clone());
            }
        }
    }
    // Children before their parents (a parameter before the list that moves it).
    order.sort_by_key(|p| p.bytes().filter(|&b| b == b'/').count());
    let mut param_after: FxHashMap<String, String> = FxHashMap::default();
    for obj in order.iter().rev() {
        let Some(edit) = edits.remove(obj) else {
            continue;
        };
        if let Some(Value::Object(map)) = refs::pointer_mut(&mut root, obj) {
            let moves = wrap::apply_edit(map, &edit);
            for (old, w) in moves.wrapped {
                param_after.insert(
                    format!("{obj}/parameters/{old}"),
                    format!("{obj}/{WRAPPER}/parameters/{w}"),
                );
            }
            for (old, new) in moves.kept {
                remap.0.insert(
                    format!("{obj}/parameters/{old}"),
                    format!("{obj}/parameters/{new}"),
                );
            }
        }
    }
    // Repaired paths get their new keys; left-out ones are under the wrapper of `paths`.
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        repair::rename_paths(paths, &plan.renames);
    }
    // Operations whose method is free on the path they collide with join that path item.
    repair::apply_merges(&mut root, &plan.merges);
    for (old, new) in &plan.renames {
        remap
            .0
            .insert(pointer::push("/paths", old), pointer::push("/paths", new));
    }
    for key in &plan.left_out {
        remap.0.insert(
            pointer::push("/paths", key),
            pointer::push(&pointer::push("/paths", WRAPPER), key),
        );
    }
    for m in &plan.merges {
        remap.0.insert(
            pointer::push(&pointer::push("/paths", &m.source), &m.method),
            pointer::push(&pointer::push("/paths", &m.target), &m.method),
        );
    }
    let first_changes = changes.len();
    if !options.strict() {
        for f in &plan.findings {
            changes.push(RepairChange {
                rule: f.rule.to_string(),
                before: f.pointer.clone(),
                after: f.after.clone(),
                action: f.action.clone(),
                message: f.message.clone(),
            });
        }
    }
    for (i, f) in findings.iter_mut().enumerate() {
        if f.ops.is_empty() || matches!(f.ops[0], Op::Inline { .. }) {
            continue;
        }
        let after = match f.after.take() {
            Some(a) => a,
            None => param_after
                .get(&f.pointer)
                .cloned()
                .unwrap_or_else(|| f.pointer.clone()),
        };
        let message = if f.loss {
            losses.push((i, f.rule, after.clone()));
            f.message.clone()
        } else {
            std::mem::take(&mut f.message)
        };
        changes.push(RepairChange {
            rule: f.rule.to_string(),
            before: std::mem::take(&mut f.pointer),
            after,
            action: f.action.clone(),
            message,
        });
    }

    // The version may have changed (3.1 lowered to 3.0).
    let version = match Document::from_value(root, format) {
        Ok(d) => {
            let v = d.version();
            root = d.into_value();
            v
        }
        Err(_) => return unchanged(doc, options),
    };

    // Round 2: break cycles at their back edges.
    if options.is_enabled("circular-ref") {
        for c in graph::cycles(&root, version) {
            let Some(Value::Object(map)) = refs::pointer_mut(&mut root, &c.back_edge) else {
                continue;
            };
            let mut edit = ObjEdit {
                wrap: vec!["$ref".to_string()],
                ..ObjEdit::default()
            };
            if !map.contains_key("type") {
                edit.add.push((
                    Some("$ref".to_string()),
                    "type".to_string(),
                    json!("object"),
                ));
            }
            wrap::apply_edit(map, &edit);
            changes.push(RepairChange {
                rule: "circular-ref".to_string(),
                before: format!("{}/$ref", c.back_edge),
                after: format!("{}/{WRAPPER}/$ref", c.back_edge),
                message: format!(
                    "broke the cycle {} by replacing the reference from `{}` to `{}` with `{{\"type\": \"object\"}}` (API Gateway cannot import circular models)",
                    c.describe(),
                    c.from,
                    c.to
                ),
                action: ChangeAction::CycleBroken {
                    cycle: c.names,
                    more: c.more,
                },
            });
        }
    }

    // Round 3: inline responses defined at the root.
    for f in &findings {
        for op in &f.ops {
            let Op::Inline { object, target } = op else {
                continue;
            };
            let Some(Value::Object(copy)) = root.pointer(target).cloned() else {
                continue;
            };
            let Some(Value::Object(site)) = refs::pointer_mut(&mut root, &remap.apply(object))
            else {
                continue;
            };
            let copy_restored = wrap::restored_keys(&copy);
            let mut edit = ObjEdit {
                wrap: vec!["$ref".to_string()],
                ..ObjEdit::default()
            };
            for (k, v) in copy {
                if k == WRAPPER {
                    if let Value::Object(w) = v {
                        for (wk, wv) in w {
                            if !wk.starts_with("x-") && !site.contains_key(&wk) {
                                edit.bookkeeping.push((wk, wv));
                            }
                        }
                    }
                } else if !site.contains_key(&k) {
                    edit.add.push((Some("$ref".to_string()), k, v));
                }
            }
            for k in copy_restored {
                if !site.contains_key(&k) && k != WRAPPER {
                    edit.extra_added.push(k);
                }
            }
            wrap::apply_edit(site, &edit);
            changes.push(RepairChange {
                rule: f.rule.to_string(),
                before: f.pointer.clone(),
                after: format!("{object}/{WRAPPER}/$ref"),
                action: ChangeAction::Inlined,
                message: f.message.clone(),
            });
        }
    }

    // Round 4: model names.
    if options.is_enabled("model-name") {
        let base = version.schemas_pointer();
        let list: Vec<String> = match root.pointer(base) {
            Some(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let refs: Vec<&str> = list.iter().map(String::as_str).collect();
        let plan = names::plan(&refs);
        if !plan.is_empty() {
            let mut rename: HashMap<String, String> = HashMap::new();
            let mut back = Remap::default();
            for (i, new) in &plan {
                let old = &list[*i];
                let old_ptr = pointer::push(base, old);
                let new_ptr = pointer::push(base, new);
                if let Some(Value::Object(m)) = refs::pointer_mut(&mut root, &old_ptr) {
                    let edit = ObjEdit {
                        bookkeeping: vec![(wrap::ORIGINAL_NAME.to_string(), json!(old))],
                        ..ObjEdit::default()
                    };
                    wrap::apply_edit(m, &edit);
                }
                changes.push(RepairChange {
                    rule: "model-name".to_string(),
                    before: old_ptr.clone(),
                    after: new_ptr.clone(),
                    action: ChangeAction::Renamed {
                        from: old.clone(),
                        to: new.clone(),
                    },
                    message: format!(
                        "renamed model `{old}` to `{new}` (API Gateway model names must be alphanumeric); the original name is kept in `{WRAPPER}.x-original-name`"
                    ),
                });
                remap.0.insert(old_ptr.clone(), new_ptr.clone());
                back.0.insert(new_ptr, old_ptr);
                rename.insert(old.clone(), new.clone());
            }
            if let Some(Value::Object(schemas)) = refs::pointer_mut(&mut root, base) {
                names::rename_keys(schemas, &rename);
            }
            for r in names::rewrite_refs(&mut root, version, &rename, names::encode_name) {
                let after = pointer::push(&r.holder, &r.key);
                changes.push(RepairChange {
                    rule: "model-name".to_string(),
                    before: back.apply(&after),
                    after,
                    message: format!("rewrote `{}` to `{}`", r.from, r.to),
                    action: ChangeAction::RefRewritten {
                        from: r.from,
                        to: r.to,
                    },
                });
            }
        }
    }
    for c in &mut changes[first_changes..] {
        c.after = remap.apply(&c.after);
    }

    let document = match Document::from_value(root, format) {
        Ok(d) => d,
        Err(_) => return unchanged(doc, options),
    };
    // What remains: the findings of the rules transform does not fix, where they are now (the
    // tests check that linting the output finds exactly these, and no fixable rule).
    // What is inside an operation left out no longer reaches AWS.
    let left_out: Vec<String> = plan
        .left_out
        .iter()
        .map(|k| pointer::push("/paths", k))
        .collect();
    let merged: Vec<String> = plan
        .merges
        .iter()
        .map(|m| pointer::push(&pointer::push("/paths", &m.source), &m.method))
        .collect();
    let under = |p: &str, l: &str| {
        p.strip_prefix(l)
            .is_some_and(|r| r.is_empty() || r.starts_with('/'))
    };
    let reaches_aws = |p: &str| {
        merged.iter().any(|m| under(p, m))
            || !left_out.iter().any(|l| {
                p.strip_prefix(l.as_str())
                    .is_some_and(|r| r.is_empty() || r.starts_with('/'))
            })
    };
    let mut diagnostics: Vec<Diagnostic> = findings
        .iter()
        .filter(|f| f.ops.is_empty() && !rule(f.rule).is_some_and(|r| r.fixable))
        .filter(|f| reaches_aws(&f.pointer))
        .map(|f| {
            Diagnostic::new(
                f.rule,
                severity(f.rule),
                remap.apply(&f.pointer),
                f.message.clone(),
            )
        })
        .collect();
    diagnostics.extend(lint::repair_diagnostics(plan, options, true));
    for (i, rule, after) in losses {
        if !reaches_aws(&after) {
            continue;
        }
        diagnostics.push(Diagnostic::new(
            rule,
            severity(rule),
            remap.apply(&after),
            std::mem::take(&mut findings[i].message),
        ));
    }
    lint::sort_in_document_order(document.value(), &mut diagnostics);
    let repairs = repair::repairs(&document);
    Transformed {
        document,
        changes,
        diagnostics,
        repairs,
    }
}

fn unchanged(doc: &Document, options: &CompatOptions) -> Transformed {
    Transformed {
        document: doc.clone(),
        changes: Vec::new(),
        diagnostics: lint::lint(doc, options),
        repairs: repair::repairs(doc),
    }
}
