//! Transform: apply every fix, record every change.

use crate::fxhash::FxHashMap;
use crate::options::CompatOptions;
use crate::report::{ChangeAction, RepairChange, Transformed};
use crate::rules::{rule, severity};
use crate::walk::{self, Finding, Op};
use crate::wrap::{self, ObjEdit, WRAPPER};
use crate::{graph, lint, names, refs, repair};
use lambda_sync_spec::{Diagnostic, Document, SpecVersion, pointer};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Pointer prefixes that moved: old → new.
#[derive(Default)]
struct Remap {
    map: FxHashMap<String, String>,
    /// The length of the longest old prefix (a longer prefix of a pointer is none of them).
    max_len: usize,
}

impl Remap {
    fn insert(&mut self, old: String, new: String) {
        self.max_len = self.max_len.max(old.len());
        self.map.insert(old, new);
    }

    fn apply(&self, p: &str) -> String {
        if self.map.is_empty() {
            return p.to_string();
        }
        let mut end = p.len();
        if end > self.max_len {
            // The longest prefix (ending at a `/`) that is not longer than any old one.
            match p.as_bytes()[..=self.max_len]
                .iter()
                .rposition(|&b| b == b'/')
            {
                Some(i) if i > 0 => end = i,
                _ => return p.to_string(),
            }
        }
        loop {
            if let Some(new) = self.map.get(&p[..end]) {
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
    transform_owned(doc.clone(), options)
}

/// [`transform`] of a document the caller gives away: the rewrite happens in the document's
/// own tree (no copy of it), which is what a caller that only needs the result (the engine's
/// `prepare`) wants.
///
/// ```
/// use lambda_sync_compat::{transform, transform_owned, CompatOptions};
/// let doc = lambda_sync_spec::load_str(r##"
/// swagger: "2.0"
/// info: {title: t, version: "1"}
/// paths: {}
/// definitions:
///   io.k8s.Pod: {type: object}
/// "##)?.document;
/// let borrowed = transform(&doc, &CompatOptions::default());
/// let owned = transform_owned(doc, &CompatOptions::default());
/// assert_eq!(owned.document.value(), borrowed.document.value());
/// assert_eq!(owned.changes, borrowed.changes);
/// # Ok::<(), lambda_sync_spec::Error>(())
/// ```
pub fn transform_owned(doc: Document, options: &CompatOptions) -> Transformed {
    let plan = repair::plan(&doc, options);
    let mut findings = walk::walk(&doc, options, &plan.handled);
    let format = doc.format();
    let mut t = Rewrite {
        root: doc.into_value(),
        changes: Vec::new(),
        remap: Remap::default(),
    };

    // Round 1: boolean schemas, per-object edits, path repairs, and their report.
    t.set_plain_values(&findings);
    let param_after = t.apply_object_edits(&mut findings, &plan);
    t.apply_path_repairs(&plan);
    if !options.strict() {
        t.report_repairs(&plan);
    }
    let losses = t.report_findings(&mut findings, &param_after);

    // The version may have changed (3.1 lowered to 3.0). Transform only ever sets `openapi`
    // to "3.0.3", so the version stays one that [`SpecVersion::detect`] reads.
    let version = SpecVersion::detect(&t.root)
        .expect("transform keeps a readable OpenAPI version")
        .0;
    // Round 2: break cycles at their back edges.
    if options.is_enabled("circular-ref") {
        t.break_cycles(version);
    }
    // Round 3: inline responses defined at the root.
    t.inline_root_responses(&findings);
    // Round 4: model names.
    if options.is_enabled("model-name") {
        t.rename_models(version);
    }
    let Rewrite {
        root,
        mut changes,
        remap,
    } = t;
    for c in &mut changes {
        c.after = remap.apply(&c.after);
    }

    let document =
        Document::from_value(root, format).expect("transform keeps a readable OpenAPI version");
    let diagnostics = remaining_diagnostics(&document, findings, plan, losses, &remap, options);
    let repairs = repair::repairs(&document);
    Transformed {
        document,
        changes,
        diagnostics,
        repairs,
    }
}

/// A finding whose fix loses meaning: `(index in the findings, rule, where it ends up)`.
type Loss = (usize, &'static str, String);

/// The document being rewritten, the changes made so far and where pointers moved.
struct Rewrite {
    root: Value,
    changes: Vec<RepairChange>,
    remap: Remap,
}

impl Rewrite {
    /// Boolean schemas and other values replaced whole.
    fn set_plain_values(&mut self, findings: &[Finding]) {
        for f in findings {
            for op in &f.ops {
                if let Op::PlainSet { pointer, value } = op
                    && let Some(slot) = refs::pointer_mut(&mut self.root, pointer)
                {
                    *slot = value.clone();
                }
            }
        }
    }

    /// The per-object edits of the findings and of the path repairs, merged per object and
    /// applied children first. Returns where each wrapped parameter went (old pointer → new).
    fn apply_object_edits(
        &mut self,
        findings: &mut [Finding],
        plan: &repair::Plan,
    ) -> FxHashMap<String, String> {
        let mut order: Vec<String> = Vec::new();
        let mut edits: FxHashMap<String, ObjEdit> = FxHashMap::default();
        for f in findings.iter_mut() {
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
        // Children before their parents (a parameter before the list that moves it); stable,
        // each depth counted once.
        order.sort_by_cached_key(|p| p.bytes().filter(|&b| b == b'/').count());
        let mut param_after: FxHashMap<String, String> = FxHashMap::default();
        for obj in order.iter().rev() {
            let Some(edit) = edits.remove(obj) else {
                continue;
            };
            if let Some(Value::Object(map)) = refs::pointer_mut(&mut self.root, obj) {
                let moves = wrap::apply_edit(map, &edit);
                for (old, w) in moves.wrapped {
                    param_after.insert(
                        format!("{obj}/parameters/{old}"),
                        format!("{obj}/{WRAPPER}/parameters/{w}"),
                    );
                }
                for (old, new) in moves.kept {
                    self.remap.insert(
                        format!("{obj}/parameters/{old}"),
                        format!("{obj}/parameters/{new}"),
                    );
                }
            }
        }
        param_after
    }

    /// Repaired paths get their new keys; left-out ones go under the wrapper of `paths`;
    /// operations whose method is free on the path they collide with join that path item.
    fn apply_path_repairs(&mut self, plan: &repair::Plan) {
        if let Some(Value::Object(paths)) = self.root.get_mut("paths") {
            repair::rename_paths(paths, &plan.renames);
        }
        repair::apply_merges(&mut self.root, &plan.merges);
        for (old, new) in &plan.renames {
            self.remap
                .insert(pointer::push("/paths", old), pointer::push("/paths", new));
        }
        for key in &plan.left_out {
            self.remap.insert(
                pointer::push("/paths", key),
                pointer::push(&pointer::push("/paths", WRAPPER), key),
            );
        }
        for m in &plan.merges {
            self.remap.insert(
                pointer::push(&pointer::push("/paths", &m.source), &m.method),
                pointer::push(&pointer::push("/paths", &m.target), &m.method),
            );
        }
    }

    /// One change per path repair.
    fn report_repairs(&mut self, plan: &repair::Plan) {
        for f in &plan.findings {
            self.changes.push(RepairChange {
                rule: f.rule.to_string(),
                before: f.pointer.clone(),
                after: f.after.clone(),
                action: f.action.clone(),
                message: f.message.clone(),
            });
        }
    }

    /// One change per finding fixed in round 1; the fixes that lose meaning are returned (they
    /// are also warnings).
    fn report_findings(
        &mut self,
        findings: &mut [Finding],
        param_after: &FxHashMap<String, String>,
    ) -> Vec<Loss> {
        let mut losses = Vec::new();
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
            self.changes.push(RepairChange {
                rule: f.rule.to_string(),
                before: std::mem::take(&mut f.pointer),
                after,
                action: f.action.clone(),
                message,
            });
        }
        losses
    }

    /// Round 2: each cycle of models is broken at its back edge.
    fn break_cycles(&mut self, version: SpecVersion) {
        for c in graph::cycles(&self.root, version) {
            let Some(Value::Object(map)) = refs::pointer_mut(&mut self.root, &c.back_edge) else {
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
            self.changes.push(RepairChange {
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

    /// Round 3: a reference to a response defined at the root is replaced by a copy of it.
    fn inline_root_responses(&mut self, findings: &[Finding]) {
        for f in findings {
            for op in &f.ops {
                let Op::Inline { object, target } = op else {
                    continue;
                };
                let Some(Value::Object(copy)) = self.root.pointer(target).cloned() else {
                    continue;
                };
                let Some(Value::Object(site)) =
                    refs::pointer_mut(&mut self.root, &self.remap.apply(object))
                else {
                    continue;
                };
                inline_into(site, copy);
                self.changes.push(RepairChange {
                    rule: f.rule.to_string(),
                    before: f.pointer.clone(),
                    after: format!("{object}/{WRAPPER}/$ref"),
                    action: ChangeAction::Inlined,
                    message: f.message.clone(),
                });
            }
        }
    }

    /// Round 4: models get alphanumeric names, and every reference to them follows.
    fn rename_models(&mut self, version: SpecVersion) {
        let base = version.schemas_pointer();
        let list: Vec<String> = match self.root.pointer(base) {
            Some(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let refs: Vec<&str> = list.iter().map(String::as_str).collect();
        let plan = names::plan(&refs);
        if plan.is_empty() {
            return;
        }
        let mut rename: HashMap<String, String> = HashMap::new();
        let mut back = Remap::default();
        for (i, new) in &plan {
            let old = &list[*i];
            let old_ptr = pointer::push(base, old);
            let new_ptr = pointer::push(base, new);
            if let Some(Value::Object(m)) = refs::pointer_mut(&mut self.root, &old_ptr) {
                let edit = ObjEdit {
                    bookkeeping: vec![(wrap::ORIGINAL_NAME.to_string(), json!(old))],
                    ..ObjEdit::default()
                };
                wrap::apply_edit(m, &edit);
            }
            self.changes.push(RepairChange {
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
            self.remap.insert(old_ptr.clone(), new_ptr.clone());
            back.insert(new_ptr, old_ptr);
            rename.insert(old.clone(), new.clone());
        }
        if let Some(Value::Object(schemas)) = refs::pointer_mut(&mut self.root, base) {
            names::rename_keys(schemas, &rename);
        }
        for r in names::rewrite_refs(&mut self.root, version, &rename, names::encode_name) {
            let after = pointer::push(&r.holder, &r.key);
            self.changes.push(RepairChange {
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

/// Puts the keys of `copy` (a response defined at the root) into `site` (the object that
/// referred to it), setting the reference aside.
fn inline_into(site: &mut Map<String, Value>, copy: Map<String, Value>) {
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
}

/// What remains: the findings of the rules transform does not fix, where they are now (the
/// tests check that linting the output finds exactly these, and no fixable rule), the path
/// repairs' own diagnostics and the lowerings that lose meaning. What is inside an operation
/// left out no longer reaches AWS, and is not reported.
fn remaining_diagnostics(
    document: &Document,
    mut findings: Vec<Finding>,
    plan: repair::Plan,
    losses: Vec<Loss>,
    remap: &Remap,
    options: &CompatOptions,
) -> Vec<Diagnostic> {
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
    let reaches_aws =
        |p: &str| merged.iter().any(|m| under(p, m)) || !left_out.iter().any(|l| under(p, l));
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
    diagnostics
}
