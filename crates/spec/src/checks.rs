//! The loader's own checks: references, operation ids and parameters.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::pointer::{self, Reference};
use crate::refs::RefSite;
use crate::views::{ParameterLocation, path_template_names};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Runs the loader's checks; `sites` are the `$ref`s of `doc` ([`crate::collect_refs`]).
pub(crate) fn check(doc: &Document, sites: &[RefSite], diags: &mut Vec<Diagnostic>) {
    check_refs(doc, sites, diags);
    check_operations(doc, diags);
}

fn check_refs(doc: &Document, sites: &[RefSite], diags: &mut Vec<Diagnostic>) {
    let already: HashSet<&str> = diags.iter().map(|d| d.pointer.as_str()).collect();
    let mut found = Vec::new();
    // Targets seen to resolve: most `$ref`s name a few shared components, each looked up once.
    let mut resolves: FxHashSet<&str> = FxHashSet::default();
    for site in sites {
        if resolves.contains(site.target.as_str()) {
            continue;
        }
        let problem = match pointer::parse_ref(&site.target) {
            Some(Reference::Local(p)) => {
                if pointer::get(doc.value(), &p).is_some() {
                    resolves.insert(&site.target);
                    continue;
                }
                format!(
                    "`$ref: {}` points at nothing: there is no `{}` in this definition",
                    site.target,
                    if p.is_empty() { "/" } else { &p }
                )
            }
            None => format!(
                "`$ref: {}` is not a JSON Pointer reference; write it as `#/path/to/target`",
                site.target
            ),
            // External and remote references were handled (bundled or reported) already.
            Some(_) => continue,
        };
        let at = site.ref_pointer();
        if !already.contains(at.as_str()) {
            found.push(Diagnostic::error("unresolved-ref", at, problem));
        }
    }
    diags.extend(found);
}

fn check_operations(doc: &Document, diags: &mut Vec<Diagnostic>) {
    let mut ids: HashMap<&str, String> = HashMap::new();
    for op in doc.operations() {
        if let Some(id) = op.operation_id {
            let here = format!("{}/operationId", op.pointer);
            if let Some(first) = ids.get(id) {
                diags.push(Diagnostic::error(
                    "duplicate-operation-id",
                    here,
                    format!(
                        "operationId `{id}` of {} {} is already used at {first}; operationIds must be unique (each names a Lambda function)",
                        op.method, op.path
                    ),
                ));
            } else {
                ids.insert(id, op.pointer.to_string());
            }
        }
        let template: Vec<&str> = path_template_names(op.path)
            .into_iter()
            .map(|n| n.trim_end_matches('+'))
            .collect();
        let declared: HashSet<&str> = op
            .parameters_in(ParameterLocation::Path)
            .map(|p| p.name)
            .collect();
        let template_set: HashSet<&str> = template.iter().copied().collect();
        let mut capped = Capped::new("undeclared-path-parameter", &op.pointer);
        for name in &template {
            if !declared.contains(name) {
                capped.push(diags, op.pointer.clone(), || {
                    format!(
                        "{} {}: the path has `{{{name}}}` but no `in: path` parameter named `{name}` is declared; add one with `required: true`",
                        op.method, op.path
                    )
                });
            }
        }
        capped.finish(diags, "path template names have no `in: path` parameter");
        let mut capped = Capped::new("unused-path-parameter", &op.pointer);
        for p in op.parameters_in(ParameterLocation::Path) {
            if !template_set.contains(p.name) {
                capped.push(diags, p.pointer.clone(), || {
                    format!(
                        "{} {}: path parameter `{}` does not appear in the path; remove it or add `{{{}}}` to the path",
                        op.method, op.path, p.name, p.name
                    )
                });
            }
        }
        capped.finish(diags, "path parameters do not appear in the path");
    }
    // The same name and location declared twice in one `parameters` list.
    let Some(paths) = doc.value().get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, item) in paths {
        let item_pointer = pointer::push("/paths", path);
        let Some(item_obj) = item.as_object() else {
            continue;
        };
        let mut lists = vec![(
            format!("{item_pointer}/parameters"),
            item_obj.get("parameters"),
        )];
        for (k, op) in item_obj {
            if crate::views::HttpMethod::from_key(k).is_some() {
                lists.push((
                    format!("{}/parameters", pointer::push(&item_pointer, k)),
                    op.get("parameters"),
                ));
            }
        }
        for (list_pointer, list) in lists {
            let Some(items) = list.and_then(Value::as_array) else {
                continue;
            };
            let mut seen: FxHashMap<(Cow<'_, str>, &str), usize> = FxHashMap::default();
            let mut capped = Capped::new("duplicate-parameter", &list_pointer);
            for (i, raw) in items.iter().enumerate() {
                let Some((p, _)) = doc.deref(raw) else {
                    continue;
                };
                let (Some(name), Some(loc)) = (
                    p.get("name").and_then(Value::as_str),
                    p.get("in").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let key = if loc == "header" {
                    (Cow::Owned(name.to_ascii_lowercase()), loc)
                } else {
                    (Cow::Borrowed(name), loc)
                };
                if let Some(first) = seen.get(&key) {
                    capped.push(diags, format!("{list_pointer}/{i}"), || {
                        format!(
                            "parameter `{name}` (in: {loc}) is declared twice in this list (first at {list_pointer}/{first}); remove one"
                        )
                    });
                } else {
                    seen.insert(key, i);
                }
            }
            capped.finish(diags, "parameters are declared twice in this list");
        }
    }
}

/// At most this many diagnostics of one rule for one operation (or one parameter list); the
/// rest are counted in one more. Each diagnostic names its operation (whose path can be long),
/// so a hostile definition with thousands of problems in one operation cannot make the
/// diagnostics grow with the product of the two.
const MAX_PER_PLACE: usize = 10;

struct Capped<'a> {
    rule: &'static str,
    place: &'a str,
    count: usize,
}

impl<'a> Capped<'a> {
    fn new(rule: &'static str, place: &'a str) -> Self {
        Capped {
            rule,
            place,
            count: 0,
        }
    }

    fn push(&mut self, diags: &mut Vec<Diagnostic>, at: String, message: impl FnOnce() -> String) {
        self.count += 1;
        if self.count <= MAX_PER_PLACE {
            diags.push(Diagnostic::error(self.rule, at, message()));
        }
    }

    fn finish(self, diags: &mut Vec<Diagnostic>, what: &str) {
        if self.count > MAX_PER_PLACE {
            diags.push(Diagnostic::error(
                self.rule,
                self.place,
                format!(
                    "{} more {what} (only the first {MAX_PER_PLACE} are listed)",
                    self.count - MAX_PER_PLACE
                ),
            ));
        }
    }
}
