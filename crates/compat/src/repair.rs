//! Repairs of what API Gateway refuses in paths and parameter names, each reversible and each
//! remembered in the document so that the event keeps the definition's own names:
//!
//! - `path-fragment`: `/{Bucket}#acl` or `/search?q=x` → the path without its `#...`/`?...`
//!   part, when no other path takes it;
//! - `indistinguishable-operation`: when it is taken, the path item is left out of what AWS sees
//!   (kept under the wrapper of `paths`), one warning per operation;
//! - `trailing-slash`: `/api/` → `/api`, when no other path takes it (else a `path-segment`
//!   error naming both);
//! - `mixed-path-segment`: `{Sid}.json`, `{base}...{head}`, `v{version}` → one whole variable;
//! - `path-variable-conflict`: one variable name per position of the resource tree (the most
//!   used, ties by document order), renamed in every path and its `in: path` parameters;
//! - `literal-segment`: `$count`, `delta()`, `(ref` → the segment without the characters API
//!   Gateway refuses (`x` and the hex of its bytes when none is left);
//! - `parameter-name`: query and header parameters whose names API Gateway refuses are left out
//!   of the method (kept under the wrapper); the request template still reads them.
//!
//! The path item of a renamed path keeps its original key in its wrapper's `x-original-path`;
//! [`repairs`] reads the bookkeeping back as data for the integration crate.

use crate::options::CompatOptions;
use crate::report::ChangeAction;
use crate::wrap::{ADDED, MERGED_FROM, ORIGINAL_PATH, ObjEdit, WRAPPER};
use lambda_sync_spec::{Document, pointer};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

const ANY_METHOD: &str = "x-amazon-apigateway-any-method";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The rules that are repairs (`strict` turns them into errors).
pub(crate) const REPAIR_RULES: [&str; 7] = [
    "path-fragment",
    "indistinguishable-operation",
    "trailing-slash",
    "mixed-path-segment",
    "path-variable-conflict",
    "literal-segment",
    "parameter-name",
];

/// One piece of an original path segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum SegmentPart {
    /// Literal text (`.json`, `...`, `v`).
    Text(String),
    /// A variable, by its name in the definition.
    Variable(String),
}

/// How one segment of a repaired path maps back to the definition's variables: API Gateway
/// sees the whole segment as the variable `variable`; the definition wrote it as `parts`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct RepairedSegment {
    /// The variable's name in the path API Gateway sees.
    pub variable: String,
    /// The segment as the definition writes it (`[Variable("base"), Text("..."),
    /// Variable("head")]`).
    pub parts: Vec<SegmentPart>,
}

impl RepairedSegment {
    /// Whether the segment is one variable under another name only (no text around it).
    pub fn is_rename(&self) -> bool {
        matches!(self.parts.as_slice(), [SegmentPart::Variable(_)])
    }

    /// The value of the definition's variable `name` in the segment value `value` (as the
    /// request template computes it): the text before and after is stripped when present, then
    /// the variables are cut at the first occurrence of each separator, in order; a missing
    /// separator leaves the rest to the variable before it and `""` to the ones after.
    ///
    /// ```
    /// use lambda_sync_compat::{RepairedSegment, SegmentPart::*};
    /// let s = RepairedSegment {
    ///     variable: "base_head".into(),
    ///     parts: vec![Variable("base".into()), Text("...".into()), Variable("head".into())],
    /// };
    /// assert_eq!(s.extract("main...feature/x", "head").as_deref(), Some("feature/x"));
    /// ```
    pub fn extract(&self, value: &str, name: &str) -> Option<String> {
        let mut parts: &[SegmentPart] = &self.parts;
        let mut rest = value;
        if let Some((SegmentPart::Text(t), tail)) = parts.split_first() {
            rest = rest.strip_prefix(t.as_str()).unwrap_or(rest);
            parts = tail;
        }
        if let Some((SegmentPart::Text(t), head)) = parts.split_last() {
            rest = rest.strip_suffix(t.as_str()).unwrap_or(rest);
            parts = head;
        }
        let mut i = 0;
        while i < parts.len() {
            let SegmentPart::Variable(v) = &parts[i] else {
                i += 1;
                continue;
            };
            let value = match parts.get(i + 1) {
                Some(SegmentPart::Text(sep)) => match rest.find(sep.as_str()) {
                    Some(at) => {
                        let v = &rest[..at];
                        rest = &rest[at + sep.len()..];
                        v
                    }
                    None => std::mem::take(&mut rest),
                },
                _ => std::mem::take(&mut rest),
            };
            if v == name {
                return Some(value.to_string());
            }
            i += 1;
        }
        None
    }
}

/// One path variable of the definition and where its value is in the repaired path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathVariable {
    /// The variable's name in the definition.
    pub name: String,
    /// Its segment in the path API Gateway sees.
    pub segment: RepairedSegment,
}

/// A query or header parameter left out of the method because API Gateway refuses its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HiddenParameter {
    /// `query` or `header`.
    pub location: String,
    /// Its name in the definition (`filter[status]`).
    pub name: String,
    /// Whether the definition requires it.
    pub required: bool,
    /// The declared type, when known.
    pub type_name: Option<String>,
    /// The description, as written.
    pub description: Option<String>,
}

/// What was repaired in one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OperationRepairs {
    /// The path key as the definition writes it (when the path was repaired).
    pub original_path: Option<String>,
    /// Every variable of the original path, in order, with where it is now (only when the path
    /// was repaired).
    pub path_variables: Vec<PathVariable>,
    /// Query and header parameters left out of the method.
    pub hidden_parameters: Vec<HiddenParameter>,
}

/// An operation left out of what AWS sees because another operation has the same method and
/// path once its path is repaired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The path key as the definition writes it.
    pub path: String,
    /// The path API Gateway would have needed (taken by another operation), as pushed: literal
    /// segments cleaned and variables renamed as in the pushed definition.
    pub repaired_path: String,
    /// Where the operation is now (under the wrapper of `paths`).
    pub pointer: String,
    /// Its `operationId`, if it has one.
    pub operation_id: Option<String>,
    /// Why it is left out, in words.
    pub reason: String,
    /// Every variable of its path, in order, with where it is in `repaired_path`, when that
    /// path names them differently (the operation reached through that path's method reads
    /// each of its variables from there); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path_variables: Vec<PathVariable>,
}

/// The repairs recorded in a transformed document, as data (read by the integration crate so
/// that each function still receives the definition's own names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Repairs {
    /// By operation pointer in the transformed document (`/paths/~1fees~1{id}~1refunds/get`).
    pub operations: BTreeMap<String, OperationRepairs>,
    /// Operations left out, in document order.
    pub left_out: Vec<LeftOut>,
}

impl Repairs {
    /// The repairs of the operation at `pointer`, if any.
    pub fn operation(&self, pointer: &str) -> Option<&OperationRepairs> {
        self.operations.get(pointer)
    }

    /// Whether nothing was repaired.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.left_out.is_empty()
    }
}

pub(crate) fn param_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'$'))
}

fn var_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

fn text_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':' | ',')
}

fn text_ok(s: &str) -> bool {
    s.chars().all(text_char_ok)
}

/// A literal segment without the characters API Gateway refuses (`$count` → `count`,
/// `delta()` → `delta`); `x` and the hex of its bytes when none is left (`~` → `x7e`).
pub(crate) fn clean_literal(seg: &str) -> String {
    let kept: String = seg.chars().filter(|&c| text_char_ok(c)).collect();
    if !kept.is_empty() {
        return kept;
    }
    let mut out = String::from("x");
    for b in seg.bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A segment split into parts; `None` when the braces do not pair or a name is not usable.
fn parse_segment(seg: &str) -> Option<Vec<SegmentPart>> {
    let mut parts = Vec::new();
    let mut rest = seg;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                parts.push(SegmentPart::Text(rest.to_string()));
                break;
            }
            Some(i) => {
                if rest.as_bytes()[i] == b'}' {
                    return None;
                }
                if i > 0 {
                    parts.push(SegmentPart::Text(rest[..i].to_string()));
                }
                let after = &rest[i + 1..];
                let end = after.find(['{', '}'])?;
                if after.as_bytes()[end] != b'}' {
                    return None;
                }
                let name = &after[..end];
                if !var_name_ok(name.strip_suffix('+').unwrap_or(name)) {
                    return None;
                }
                if matches!(parts.last(), Some(SegmentPart::Variable(_))) {
                    // `{a}{b}`: no text to cut at.
                    return None;
                }
                parts.push(SegmentPart::Variable(name.to_string()));
                rest = &after[end + 1..];
            }
        }
    }
    Some(parts)
}

/// A path segment after splitting.
#[derive(Debug, Clone)]
enum Seg {
    Text(String),
    /// A whole variable: its name in the definition's segment, and the parts when the segment
    /// was mixed.
    Var {
        name: String,
        mixed: Option<Vec<SegmentPart>>,
    },
}

/// The path key without `#...`/`?...`, and what was cut.
fn cut_fragment(key: &str) -> (&str, Option<&str>) {
    match key.find(['#', '?']) {
        Some(i) => (&key[..i], Some(&key[i..])),
        None => (key, None),
    }
}

fn strip_trailing(path: &str) -> (&str, bool) {
    if path.len() > 1 && path.ends_with('/') {
        (&path[..path.len() - 1], true)
    } else {
        (path, false)
    }
}

/// The segments of a path (without fragment or trailing slash), or `None` when a segment cannot
/// be repaired; literal segments with refused characters are cleaned when `literal` (each one
/// is pushed to `cleaned`).
fn segments(path: &str, split: bool, literal: bool, cleaned: &mut Vec<String>) -> Option<Vec<Seg>> {
    let body = path.strip_prefix('/')?;
    if body.is_empty() {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    for seg in body.split('/') {
        if seg.is_empty() {
            return None;
        }
        if !seg.contains(['{', '}']) {
            if !text_ok(seg) {
                if !literal {
                    return None;
                }
                cleaned.push(seg.to_string());
                out.push(Seg::Text(clean_literal(seg)));
                continue;
            }
            out.push(Seg::Text(seg.to_string()));
            continue;
        }
        let parts = parse_segment(seg)?;
        match parts.as_slice() {
            [SegmentPart::Variable(name)] => out.push(Seg::Var {
                name: name.clone(),
                mixed: None,
            }),
            _ => {
                if !split {
                    return None;
                }
                let names: Vec<&str> = parts
                    .iter()
                    .filter_map(|p| match p {
                        SegmentPart::Variable(v) => Some(v.as_str()),
                        SegmentPart::Text(_) => None,
                    })
                    .collect();
                if names.iter().any(|n| n.ends_with('+')) {
                    return None;
                }
                out.push(Seg::Var {
                    name: names.join("_"),
                    mixed: Some(parts),
                });
            }
        }
    }
    Some(out)
}

/// One repair finding (lint reports it; transform applies it unless strict).
#[derive(Debug, Clone)]
pub(crate) struct RepairFinding {
    pub rule: &'static str,
    pub pointer: String,
    pub message: String,
    /// Where the thing is after transform (when repaired).
    pub after: String,
    pub action: ChangeAction,
}

/// Everything the repairs would do to a document.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub findings: Vec<RepairFinding>,
    /// Findings that are not repairs (conflicting trailing slashes): `(pointer, message)`,
    /// reported as `path-segment` errors.
    pub blocked: Vec<(String, String)>,
    /// Path keys whose every `path-segment` problem is handled by a repair.
    pub handled: HashSet<String>,
    /// Old key → new key.
    pub renames: Vec<(String, String)>,
    /// Path keys left out (moved under the wrapper of `paths`).
    pub left_out: Vec<String>,
    /// Operations of left-out path items whose method is free on the path they collide with:
    /// a copy goes there.
    pub merges: Vec<Merge>,
    /// Object edits at pointers of the input.
    pub edits: Vec<(String, ObjEdit)>,
}

/// An operation of a left-out path item copied into the path item that took its repaired path
/// (its method was free there).
#[derive(Debug, Clone)]
pub(crate) struct Merge {
    /// The path key as the definition writes it.
    pub source: String,
    /// The key of the path item it joins (after renames).
    pub target: String,
    /// `get`, `post`, ...
    pub method: String,
    /// Path parameter name → its new name, or `None` when it moves under the copy's wrapper
    /// (the second and later variables of a mixed segment).
    pub params: HashMap<String, Option<String>>,
}

struct PathInfo<'a> {
    key: &'a str,
    segs: Vec<Seg>,
    /// Literal segments cleaned of refused characters, as the definition writes them.
    cleaned: Vec<String>,
    fragment: Option<&'a str>,
    trailing: bool,
}

fn on(opts: &CompatOptions, rule: &str) -> bool {
    opts.is_enabled(rule)
}

/// Why a repaired path collides with `other` (its new key is `new`), in words: each repair
/// that made the two paths one, naming what changed (`indistinguishable-operation`).
fn collision_cause(
    info: &PathInfo<'_>,
    vars: &[(String, String, Option<Vec<SegmentPart>>)],
    new: &str,
    other: &str,
) -> String {
    let mut steps = Vec::new();
    if let Some(f) = info.fragment {
        steps.push(format!(
            "its `{f}` is dropped (API Gateway routes by method and resource path only; a path holds no `#fragment` or query string)"
        ));
    }
    if info.trailing {
        steps.push("its trailing `/` is dropped".to_string());
    }
    let around: Vec<String> = vars
        .iter()
        .filter(|(_, _, parts)| parts.is_some())
        .map(|(name, c, _)| format!("`{name}` → `{{{c}}}`"))
        .collect();
    if !around.is_empty() {
        steps.push(format!(
            "the text around a variable is dropped, one variable per segment ({})",
            around.join(", ")
        ));
    }
    if !info.cleaned.is_empty() {
        let list: Vec<String> = info
            .cleaned
            .iter()
            .map(|seg| format!("`{seg}` → `{}`", clean_literal(seg)))
            .collect();
        steps.push(format!(
            "its literal segments are cleaned of characters API Gateway refuses ({})",
            list.join(", ")
        ));
    }
    let renamed: Vec<String> = vars
        .iter()
        .filter(|(name, c, parts)| parts.is_none() && name != c)
        .map(|(name, c, _)| format!("`{{{name}}}` → `{{{c}}}`"))
        .collect();
    if !renamed.is_empty() {
        steps.push(format!(
            "its path variables are renamed to those of the other paths at the same positions ({}; API Gateway allows one variable name per position)",
            renamed.join(", ")
        ));
    }
    let same = if new == other {
        format!("the two paths are identical (`{new}`) once")
    } else {
        format!("the two paths are the same resource (`{new}`) once")
    };
    if steps.is_empty() {
        format!("the two paths are the same resource (`{new}`)")
    } else {
        format!("{same} {}", steps.join(", and "))
    }
}

/// Plans the repairs of a document's paths and parameter names.
pub(crate) fn plan(doc: &Document, opts: &CompatOptions) -> Plan {
    let mut plan = Plan::default();
    let Some(paths) = doc.value().get("paths").and_then(Value::as_object) else {
        return plan;
    };
    let strict = opts.strict();
    let fragments = on(opts, "path-fragment");
    let trailing = on(opts, "trailing-slash");
    let split = on(opts, "mixed-path-segment");
    let rename = on(opts, "path-variable-conflict");
    let literal = on(opts, "literal-segment");

    // 1. Parse every path; the ones that a disabled repair would need stay as they are.
    let mut infos: Vec<PathInfo<'_>> = Vec::new();
    for key in paths.keys() {
        if key.starts_with("x-") {
            continue;
        }
        let (base, fragment) = cut_fragment(key);
        let (base, slash) = strip_trailing(base);
        if (fragment.is_some() && !fragments) || (slash && !trailing) {
            continue;
        }
        let mut cleaned = Vec::new();
        let Some(segs) = segments(base, split, literal, &mut cleaned) else {
            continue;
        };
        infos.push(PathInfo {
            key,
            segs,
            cleaned,
            fragment,
            trailing: slash,
        });
    }

    // 2. One name per position: the most used, ties by document order.
    //    position → name → (count, first index)
    let mut positions: HashMap<String, NameUses> = HashMap::new();
    let position_of = |segs: &[Seg], upto: usize| -> String {
        let mut p = String::new();
        for s in &segs[..upto] {
            p.push('/');
            match s {
                Seg::Text(t) => p.push_str(t),
                Seg::Var { .. } => p.push_str("{}"),
            }
        }
        p
    };
    for (idx, info) in infos.iter().enumerate() {
        for (i, s) in info.segs.iter().enumerate() {
            if let Seg::Var { name, .. } = s {
                let e = positions
                    .entry(position_of(&info.segs, i))
                    .or_default()
                    .entry(name.clone())
                    .or_insert((0, idx));
                e.0 += 1;
            }
        }
    }
    // Names used deeper in the paths through each position: a name chosen here must not be one
    // of them when another name will do, or a path would hold one variable twice.
    let mut deeper: HashMap<String, HashSet<&str>> = HashMap::new();
    for info in &infos {
        let vars: Vec<(usize, &str)> = info
            .segs
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Seg::Var { name, .. } => Some((i, name.as_str())),
                Seg::Text(_) => None,
            })
            .collect();
        for (k, (i, _)) in vars.iter().enumerate() {
            let set = deeper.entry(position_of(&info.segs, *i)).or_default();
            set.extend(vars[k + 1..].iter().map(|(_, n)| *n));
        }
    }
    let canonical = canonical_names(positions, &deeper);
    // 3. New keys; collisions.
    let existing: HashSet<&str> = paths.keys().map(String::as_str).collect();
    let mut taken: HashMap<String, &str> = HashMap::new();
    // Unchanged keys first: they keep their place.
    struct Target<'a> {
        info: usize,
        new: String,
        /// original variable name → canonical variable, and the mixed parts
        vars: Vec<(String, String, Option<Vec<SegmentPart>>)>,
        renamed: bool,
        mixed: bool,
        key: &'a str,
    }
    let mut targets: Vec<Target<'_>> = Vec::new();
    // Methods of the path items at each new key (filled when a left-out item collides there).
    let mut target_methods: HashMap<String, HashSet<String>> = HashMap::new();
    for (idx, info) in infos.iter().enumerate() {
        let mut new = String::new();
        let mut vars = Vec::new();
        let mut renamed = false;
        let mut mixed = false;
        let mut ok = true;
        let mut seen: HashSet<String> = HashSet::new();
        for (i, s) in info.segs.iter().enumerate() {
            new.push('/');
            match s {
                Seg::Text(t) => new.push_str(t),
                Seg::Var { name, mixed: parts } => {
                    let c = if name.ends_with('+') || !rename {
                        name.clone()
                    } else {
                        canonical
                            .get(&position_of(&info.segs, i))
                            .cloned()
                            .unwrap_or_else(|| name.clone())
                    };
                    if !seen.insert(c.clone()) {
                        ok = false;
                    }
                    renamed |= c != *name && parts.is_none();
                    mixed |= parts.is_some();
                    new.push('{');
                    new.push_str(&c);
                    new.push('}');
                    vars.push((name.clone(), c, parts.clone()));
                }
            }
        }
        if new.is_empty() {
            new.push('/');
        }
        if !ok {
            continue;
        }
        if new == info.key {
            taken.insert(new, info.key);
            continue;
        }
        targets.push(Target {
            info: idx,
            new,
            vars,
            renamed,
            mixed,
            key: info.key,
        });
    }
    for t in &targets {
        let info = &infos[t.info];
        let p = pointer::push("/paths", t.key);
        let clash = taken
            .get(t.new.as_str())
            .copied()
            .or_else(|| (existing.contains(t.new.as_str())).then_some(t.new.as_str()));
        if let Some(other) = clash {
            if info.fragment.is_none() && !t.renamed && !t.mixed && info.cleaned.is_empty() {
                // Only the trailing slash differs: the user must choose.
                plan.blocked.push((
                    p,
                    format!(
                        "API Gateway cannot create a resource for path `{}` (it ends with `/`), and without the slash it is `{other}`, which the definition also has: merge the two paths or rename one",
                        t.key
                    ),
                ));
                plan.handled.insert(t.key.to_string());
                continue;
            }
            plan.handled.insert(t.key.to_string());
            plan.left_out.push(t.key.to_string());
            // Methods free on the path item that took the key move there (a copy; the original
            // stays under the wrapper of `paths`); the others are left out.
            let holder = taken.get(t.new.as_str()).copied();
            let on_target: &mut HashSet<String> =
                target_methods.entry(t.new.clone()).or_insert_with(|| {
                    match holder.and_then(|k| paths.get(k)).and_then(Value::as_object) {
                        Some(item) if item.contains_key(ANY_METHOD) => {
                            METHODS.iter().map(|m| m.to_string()).collect()
                        }
                        Some(item) => item
                            .keys()
                            .filter(|k| METHODS.contains(&k.as_str()))
                            .cloned()
                            .collect(),
                        // An unrepaired key, or one renamed away: nothing moves there.
                        None => METHODS.iter().map(|m| m.to_string()).collect(),
                    }
                });
            let rule = if info.fragment.is_some() {
                "path-fragment"
            } else if info.trailing {
                "trailing-slash"
            } else if t.mixed {
                "mixed-path-segment"
            } else if !info.cleaned.is_empty() {
                "literal-segment"
            } else {
                "path-variable-conflict"
            };
            if let Some(Value::Object(item)) = paths.get(t.key) {
                for m in item.keys().filter(|k| METHODS.contains(&k.as_str())) {
                    if m != "trace" && on_target.insert(m.clone()) {
                        plan.merges.push(Merge {
                            source: t.key.to_string(),
                            target: t.new.clone(),
                            method: m.clone(),
                            params: param_plan(&t.vars),
                        });
                        plan.findings.push(RepairFinding {
                            rule,
                            pointer: pointer::push(&p, m),
                            message: format!(
                                "API Gateway cannot create a resource for path `{}`; compat pushes {} `{}` as {} `{}`, next to the operations of `{other}` (the path item is kept under `paths.{WRAPPER}`; the function still receives the definition's own names)",
                                t.key,
                                m.to_ascii_uppercase(),
                                t.key,
                                m.to_ascii_uppercase(),
                                t.new,
                            ),
                            after: pointer::push(&pointer::push("/paths", &t.new), m),
                            action: ChangeAction::Renamed {
                                from: t.key.to_string(),
                                to: t.new.clone(),
                            },
                        });
                        continue;
                    }
                    plan.findings.push(RepairFinding {
                        rule: "indistinguishable-operation",
                        pointer: pointer::push(&p, m),
                        message: format!(
                            "API Gateway cannot tell {} `{}` apart from {} `{other}`: {}; compat leaves this operation out of what AWS sees and keeps it under `paths.{WRAPPER}`; the rest of the API is pushed",
                            m.to_ascii_uppercase(),
                            t.key,
                            m.to_ascii_uppercase(),
                            collision_cause(info, &t.vars, &t.new, other),
                        ),
                        after: pointer::push(
                            &pointer::push(&pointer::push("/paths", WRAPPER), t.key),
                            m,
                        ),
                        action: ChangeAction::Wrapped,
                    });
                }
            }
            continue;
        }
        taken.insert(t.new.clone(), t.key);
        plan.handled.insert(t.key.to_string());
        plan.renames.push((t.key.to_string(), t.new.clone()));
        let after = pointer::push("/paths", &t.new);
        let mut say = |rule: &'static str, message: String| {
            plan.findings.push(RepairFinding {
                rule,
                pointer: p.clone(),
                message,
                after: after.clone(),
                action: ChangeAction::Renamed {
                    from: t.key.to_string(),
                    to: t.new.clone(),
                },
            });
        };
        if let Some(f) = info.fragment {
            say(
                "path-fragment",
                format!(
                    "path `{}` holds `{f}`, which API Gateway refuses in a resource path; compat pushes it as `{}` (the original key is kept in `{WRAPPER}.{ORIGINAL_PATH}`)",
                    t.key, t.new
                ),
            );
        }
        if info.trailing {
            say(
                "trailing-slash",
                format!(
                    "path `{}` ends with `/`, which API Gateway refuses; compat pushes it as `{}` (the original key is kept in `{WRAPPER}.{ORIGINAL_PATH}`)",
                    t.key, t.new
                ),
            );
        }
        if !info.cleaned.is_empty() {
            let list: Vec<String> = info
                .cleaned
                .iter()
                .map(|seg| format!("`{seg}` → `{}`", clean_literal(seg)))
                .collect();
            say(
                "literal-segment",
                format!(
                    "path `{}` has characters API Gateway refuses in a resource path (only letters, digits, `-`, `.`, `_`, `:` and `,`): compat pushes it as `{}` ({}), so on API Gateway and in `serve` its URL is `{}`, not the definition's (the original key is kept in `{WRAPPER}.{ORIGINAL_PATH}`)",
                    t.key,
                    t.new,
                    list.join(", "),
                    t.new
                ),
            );
        }
        if t.mixed {
            for (_, c, parts) in &t.vars {
                if let Some(parts) = parts {
                    let seg: String = parts
                        .iter()
                        .map(|p| match p {
                            SegmentPart::Text(s) => s.clone(),
                            SegmentPart::Variable(v) => format!("{{{v}}}"),
                        })
                        .collect();
                    say(
                        "mixed-path-segment",
                        format!(
                            "segment `{seg}` of `{}` mixes a variable with text, which API Gateway refuses; compat makes the whole segment the variable `{{{c}}}` and the request template extracts each original variable from it, so the function still receives them by their names",
                            t.key
                        ),
                    );
                }
            }
        }
        if t.renamed {
            let list: Vec<String> = t
                .vars
                .iter()
                .filter(|(n, c, parts)| parts.is_none() && n != c)
                .map(|(n, c, _)| format!("`{{{n}}}` → `{{{c}}}`"))
                .collect();
            say(
                "path-variable-conflict",
                format!(
                    "API Gateway allows one variable name per position of the resource tree; compat renames {} in `{}` (the name chosen for that position: the most used one that no other variable of the same paths has) and in its path parameters; the function still receives `{}` by its own name",
                    list.join(", "),
                    t.key,
                    t.vars
                        .iter()
                        .filter(|(n, c, p)| p.is_none() && n != c)
                        .map(|(n, _, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join("`, `")
                ),
            );
        }
        // Bookkeeping on the path item, and the parameters.
        plan.edits.push((
            p.clone(),
            ObjEdit {
                bookkeeping: vec![(ORIGINAL_PATH.to_string(), json!(t.key))],
                ..ObjEdit::default()
            },
        ));
        // name → (new name, wrap?)
        let param_plan = param_plan(&t.vars);
        if !param_plan.is_empty()
            && let Some(Value::Object(item)) = paths.get(t.key)
        {
            for (holder, list) in parameter_holders(&p, item) {
                let Some(list) = list.as_array() else {
                    continue;
                };
                let mut wrap = Vec::new();
                for (i, entry) in list.iter().enumerate() {
                    let resolved = doc.deref(entry).map_or(entry, |(v, _)| v);
                    if resolved.get("in").and_then(Value::as_str) != Some("path") {
                        continue;
                    }
                    let Some(name) = resolved.get("name").and_then(Value::as_str) else {
                        continue;
                    };
                    let at = format!("{holder}/parameters/{i}");
                    match param_plan.get(name).map(Option::as_ref) {
                        Some(Some(new)) => {
                            let edit = if entry.get("$ref").is_some() {
                                // A shared parameter may be used at another position under its
                                // own name: a renamed copy replaces the reference here.
                                let mut e = ObjEdit {
                                    wrap: vec!["$ref".to_string()],
                                    ..ObjEdit::default()
                                };
                                if let Some(obj) = resolved.as_object() {
                                    for (k, v) in obj {
                                        if k == WRAPPER {
                                            continue;
                                        }
                                        let v = if k == "name" { json!(new) } else { v.clone() };
                                        e.add.push((Some("$ref".to_string()), k.clone(), v));
                                    }
                                }
                                e
                            } else {
                                ObjEdit {
                                    replace: vec![("name".to_string(), json!(new))],
                                    ..ObjEdit::default()
                                }
                            };
                            plan.edits.push((at, edit));
                        }
                        Some(None) => wrap.push(i),
                        None => {}
                    }
                }
                if !wrap.is_empty() {
                    plan.edits.push((
                        holder,
                        ObjEdit {
                            wrap_params: wrap,
                            ..ObjEdit::default()
                        },
                    ));
                }
            }
        }
    }
    if !plan.left_out.is_empty() {
        plan.edits.push((
            "/paths".to_string(),
            ObjEdit {
                wrap: plan.left_out.clone(),
                ..ObjEdit::default()
            },
        ));
    }

    // 4. Parameter names.
    if on(opts, "parameter-name") {
        let left: HashSet<&str> = plan.left_out.iter().map(String::as_str).collect();
        for (key, item) in paths {
            if key.starts_with("x-") || left.contains(key.as_str()) {
                continue;
            }
            let Some(item) = item.as_object() else {
                continue;
            };
            let p = pointer::push("/paths", key);
            for (holder, list) in parameter_holders(&p, item) {
                let Some(list) = list.as_array() else {
                    continue;
                };
                let mut wrap = Vec::new();
                for (i, entry) in list.iter().enumerate() {
                    let resolved = doc.deref(entry).map_or(entry, |(v, _)| v);
                    let loc = resolved.get("in").and_then(Value::as_str).unwrap_or("");
                    let name = resolved.get("name").and_then(Value::as_str).unwrap_or("");
                    if !matches!(loc, "query" | "header") || param_name_ok(name) {
                        continue;
                    }
                    let at = format!("{holder}/parameters/{i}/name");
                    plan.findings.push(RepairFinding {
                        rule: "parameter-name",
                        pointer: at,
                        message: format!(
                            "{loc} parameter name `{name}` has characters API Gateway refuses (allowed: `A-Z a-z 0-9 - . _ $`); compat leaves it out of the method's request parameters (kept under `{WRAPPER}`) and the request template reads it by its real name, so the function still receives it"
                        ),
                        after: format!("{holder}/{WRAPPER}/parameters"),
                        action: ChangeAction::Wrapped,
                    });
                    wrap.push(i);
                }
                if !wrap.is_empty() {
                    plan.edits.push((
                        holder,
                        ObjEdit {
                            wrap_params: wrap,
                            ..ObjEdit::default()
                        },
                    ));
                }
            }
        }
    }
    if strict {
        // Nothing is changed: every finding is an error the user fixes.
        plan.renames.clear();
        plan.left_out.clear();
        plan.merges.clear();
        plan.edits.clear();
    }
    plan
}

/// Path parameter name → its new name, or `None` when it moves under the wrapper (the second and
/// later variables of a mixed segment), from `(original name, canonical, mixed parts)`.
fn param_plan(
    vars: &[(String, String, Option<Vec<SegmentPart>>)],
) -> HashMap<String, Option<String>> {
    let mut out = HashMap::new();
    for (n, c, parts) in vars {
        match parts {
            None => {
                if n != c {
                    out.insert(n.clone(), Some(c.clone()));
                }
            }
            Some(parts) => {
                let mut first = true;
                for part in parts {
                    if let SegmentPart::Variable(v) = part {
                        if first {
                            if v != c {
                                out.insert(v.clone(), Some(c.clone()));
                            }
                            first = false;
                        } else {
                            out.insert(v.clone(), None);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Name → (how many paths use it at a position, the first path's index).
type NameUses = HashMap<String, (usize, usize)>;

/// One variable name per position of the resource tree, chosen from the shallowest position
/// down: never a name an enclosing position already took (a path cannot hold one variable twice);
/// preferably not a name that deeper variables of the same paths use; then the most used, ties by
/// document order. When every name at a position is taken above it, a fresh one (`id_2`).
/// Greedy variables are never renamed (nor renamed to).
fn canonical_names(
    positions: HashMap<String, NameUses>,
    deeper: &HashMap<String, HashSet<&str>>,
) -> HashMap<String, String> {
    let mut order: Vec<(String, NameUses)> = positions.into_iter().collect();
    order.sort_by(|a, b| {
        let depth = |p: &str| p.matches('/').count();
        depth(&a.0).cmp(&depth(&b.0)).then_with(|| a.0.cmp(&b.0))
    });
    let mut canonical: HashMap<String, String> = HashMap::new();
    for (pos, names) in order {
        // A position is the path up to its variable (`/fees/{}/refunds` for the refund's); the
        // variables above it sit at the prefixes that a `{}` segment ends.
        let mut above: HashSet<&str> = HashSet::new();
        let mut prefix = String::new();
        for seg in pos.split('/').skip(1) {
            if seg == "{}"
                && let Some(c) = canonical.get(&prefix)
            {
                above.insert(c.as_str());
            }
            prefix.push('/');
            prefix.push_str(seg);
        }
        let below = deeper.get(&pos);
        let rank = |(n, (count, first)): (&String, &(usize, usize))| {
            let clash = below.is_some_and(|b| b.contains(n.as_str()));
            (!clash, *count, std::cmp::Reverse(*first))
        };
        let usable = names.iter().filter(|(n, _)| !n.ends_with('+'));
        let best = usable
            .clone()
            .filter(|(n, _)| !above.contains(n.as_str()))
            .max_by_key(|e| rank(*e))
            .map(|(n, _)| n.clone());
        let best = match best {
            Some(n) => n,
            None => {
                let Some(base) = usable.max_by_key(|e| rank(*e)).map(|(n, _)| n.clone()) else {
                    continue;
                };
                (2..)
                    .map(|k| format!("{base}_{k}"))
                    .find(|n| !above.contains(n.as_str()) && !names.contains_key(n))
                    .unwrap_or(base)
            }
        };
        canonical.insert(pos, best);
    }
    canonical
}

/// Renames path keys in place (order kept).
pub(crate) fn rename_paths(paths: &mut Map<String, Value>, renames: &[(String, String)]) {
    if renames.is_empty() {
        return;
    }
    let map: HashMap<&str, &str> = renames
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let old = std::mem::take(paths);
    for (k, v) in old {
        match map.get(k.as_str()) {
            Some(n) => paths.insert((*n).to_string(), v),
            None => paths.insert(k, v),
        };
    }
}

/// Copies each merged operation (already transformed, under the wrapper of `paths`) into the
/// path item that took its repaired path: the path item's parameters it did not override join
/// its own, path parameters get their new names (a `$ref` one is inlined under it), and the ones
/// API Gateway cannot take (refused names, the later variables of a mixed segment) move under
/// the copy's wrapper. The target lists the method in `x-added` (restore drops the copy) and its
/// source in `x-merged-from`.
pub(crate) fn apply_merges(root: &mut Value, merges: &[Merge]) {
    for merge in merges {
        let Some(copy) = merged_copy(root, merge) else {
            continue;
        };
        let Some(Value::Object(item)) = root
            .get_mut("paths")
            .and_then(|p| p.get_mut(merge.target.as_str()))
        else {
            continue;
        };
        if item.contains_key(&merge.method)
            || matches!(item.get(WRAPPER), Some(w) if !w.is_object())
        {
            continue;
        }
        item.insert(merge.method.clone(), copy);
        let Value::Object(w) = item
            .entry(WRAPPER.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
        else {
            continue;
        };
        let added = w
            .entry(ADDED.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = added {
            a.push(json!(merge.method));
        }
        let from = w
            .entry(MERGED_FROM.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(f) = from {
            f.insert(merge.method.clone(), json!(merge.source));
        }
    }
}

fn resolve<'a>(root: &'a Value, v: &'a Value) -> &'a Value {
    let mut cur = v;
    for _ in 0..16 {
        match cur
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p))
        {
            Some(next) => cur = next,
            None => break,
        }
    }
    cur
}

fn merged_copy(root: &Value, merge: &Merge) -> Option<Value> {
    let item = root
        .get("paths")?
        .get(WRAPPER)?
        .get(merge.source.as_str())?;
    let mut op = item.get(merge.method.as_str())?.as_object()?.clone();
    let key = |p: &Value| {
        let r = resolve(root, p);
        (
            r.get("name").and_then(Value::as_str).map(str::to_string),
            r.get("in").and_then(Value::as_str).map(str::to_string),
        )
    };
    let mut params: Vec<Value> = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let had_params = op.contains_key("parameters");
    if let Some(Value::Array(shared)) = item.get("parameters") {
        let own: Vec<_> = params.iter().map(key).collect();
        params.extend(shared.iter().filter(|p| !own.contains(&key(p))).cloned());
    }
    let mut kept = Vec::with_capacity(params.len());
    let mut aside = Vec::new();
    for p in params {
        let r = resolve(root, &p);
        let name = r.get("name").and_then(Value::as_str).unwrap_or("");
        match r.get("in").and_then(Value::as_str).unwrap_or("") {
            "path" => match merge.params.get(name) {
                Some(Some(new)) => {
                    let mut inlined = r.clone();
                    if let Value::Object(o) = &mut inlined {
                        o.remove(WRAPPER);
                        o.insert("name".to_string(), json!(new));
                    }
                    kept.push(inlined);
                }
                Some(None) => aside.push(p),
                None => kept.push(p),
            },
            "query" | "header" if !param_name_ok(name) => aside.push(p),
            _ => kept.push(p),
        }
    }
    if had_params || !kept.is_empty() {
        op.insert("parameters".to_string(), Value::Array(kept));
    }
    if !aside.is_empty() {
        let w = op
            .entry(WRAPPER.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(w) = w {
            let list = w
                .entry("parameters".to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.extend(aside);
            }
        }
    }
    Some(Value::Object(op))
}

/// Gives repaired paths their original keys back (read from `x-original-path`).
pub(crate) fn restore_paths(root: &mut Value) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    let taken: HashSet<String> = paths.keys().cloned().collect();
    let mut back: Vec<(String, String)> = Vec::new();
    for (k, item) in paths.iter() {
        if let Some(orig) = item
            .get(WRAPPER)
            .and_then(|w| w.get(ORIGINAL_PATH))
            .and_then(Value::as_str)
            && orig != k
            && !taken.contains(orig)
        {
            back.push((k.clone(), orig.to_string()));
        }
    }
    rename_paths(paths, &back);
}

fn hidden(doc: &Document, list: Option<&Value>, out: &mut Vec<HiddenParameter>) {
    let Some(Value::Array(list)) = list else {
        return;
    };
    for entry in list {
        let p = doc.deref(entry).map_or(entry, |(v, _)| v);
        let loc = p.get("in").and_then(Value::as_str).unwrap_or("");
        let name = p.get("name").and_then(Value::as_str).unwrap_or("");
        if !matches!(loc, "query" | "header") || param_name_ok(name) {
            continue;
        }
        if out.iter().any(|h| h.location == loc && h.name == name) {
            continue;
        }
        let schema = p.get("schema").unwrap_or(p);
        out.push(HiddenParameter {
            location: loc.to_string(),
            name: name.to_string(),
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
            type_name: schema
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_string),
            description: p
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
}

/// Every variable of the original path `orig`, in order, with where it is in `key`.
fn path_variables_of(orig: &str, key: &str) -> Vec<PathVariable> {
    let mut out = Vec::new();
    let (base, _) = cut_fragment(orig);
    let (base, _) = strip_trailing(base);
    let old: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let new: Vec<&str> = key.split('/').filter(|s| !s.is_empty()).collect();
    if old.len() != new.len() {
        return out;
    }
    for (o, n) in old.iter().zip(&new) {
        if !o.contains('{') {
            continue;
        }
        let Some(parts) = parse_segment(o) else {
            continue;
        };
        let variable = n
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(n)
            .to_string();
        let segment = RepairedSegment { variable, parts };
        for part in &segment.parts {
            if let SegmentPart::Variable(v) = part {
                out.push(PathVariable {
                    name: v.trim_end_matches('+').to_string(),
                    segment: segment.clone(),
                });
            }
        }
    }
    out
}

/// `/a/{x}/b` → `/a/{}/b`: the resource API Gateway sees, whatever the variables' names (two
/// paths of one shape cannot both be resources of one API).
///
/// ```
/// assert_eq!(lambda_sync_compat::resource_shape("/a/{x}/b/{y+}"), "/a/{}/b/{}");
/// ```
pub fn resource_shape(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                "{}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the repairs recorded in a (transformed) document: renamed and split path variables,
/// parameters left out for their names, operations left out.
///
/// ```
/// use lambda_sync_compat::{repairs, transform, CompatOptions};
/// let doc = lambda_sync_spec::load_str(r#"
/// openapi: 3.0.3
/// info: {title: t, version: "1"}
/// paths:
///   /compare/{base}...{head}:
///     get: {responses: {"200": {description: ok}}}
/// "#)?.document;
/// let out = transform(&doc, &CompatOptions::default());
/// assert!(out.document.get("/paths/~1compare~1{base_head}").is_some());
/// let r = repairs(&out.document);
/// let op = r.operation("/paths/~1compare~1{base_head}/get").unwrap();
/// let names: Vec<&str> = op.path_variables.iter().map(|v| v.name.as_str()).collect();
/// assert_eq!(names, ["base", "head"]);
/// # Ok::<(), lambda_sync_spec::Error>(())
/// ```
pub fn repairs(doc: &Document) -> Repairs {
    let mut out = Repairs::default();
    let Some(paths) = doc.value().get("paths").and_then(Value::as_object) else {
        return out;
    };
    // (original path, method) of the operations copied into another path item.
    let merged: HashSet<(&str, &str)> = paths
        .values()
        .filter_map(|item| item.get(WRAPPER)?.get(MERGED_FROM)?.as_object())
        .flat_map(|f| {
            f.iter()
                .filter_map(|(m, from)| Some((from.as_str()?, m.as_str())))
        })
        .collect();
    // Active keys by the resource API Gateway sees (variables unnamed).
    let active_by_shape: HashMap<String, &str> = paths
        .keys()
        .filter(|k| !k.starts_with("x-"))
        .map(|k| (resource_shape(k), k.as_str()))
        .collect();
    for (key, item) in paths {
        if key == WRAPPER {
            if let Value::Object(w) = item {
                for (orig, item) in w {
                    if orig.starts_with("x-") {
                        continue;
                    }
                    let Some(item) = item.as_object() else {
                        continue;
                    };
                    let (base, _) = cut_fragment(orig);
                    let (base, _) = strip_trailing(base);
                    // Literal segments as `literal-segment` cleans them (the variables keep the
                    // definition's names here).
                    let base: String = base
                        .split('/')
                        .enumerate()
                        .map(|(i, seg)| {
                            if i == 0 || seg.contains(['{', '}']) || text_ok(seg) {
                                seg.to_string()
                            } else {
                                clean_literal(seg)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("/");
                    // The path as pushed: the active key API Gateway sees as the same resource
                    // (its variables renamed as compat renamed them), else the cleaned one.
                    let base = active_by_shape
                        .get(&resource_shape(&base))
                        .map_or(base, |k| k.to_string());
                    let path_variables: Vec<PathVariable> = path_variables_of(orig, &base);
                    let path_variables = if path_variables
                        .iter()
                        .all(|v| v.segment.is_rename() && v.segment.variable == v.name)
                    {
                        Vec::new()
                    } else {
                        path_variables
                    };
                    for m in item.keys().filter(|k| METHODS.contains(&k.as_str())) {
                        if merged.contains(&(orig.as_str(), m.as_str())) {
                            continue;
                        }
                        let method = m.to_ascii_uppercase();
                        out.left_out.push(LeftOut {
                            reason: format!(
                                "API Gateway cannot tell it apart from {method} `{base}`, which another operation has (it routes by method and resource path only)"
                            ),
                            operation_id: item
                                .get(m)
                                .and_then(|op| op.get("operationId"))
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            method,
                            path: orig.clone(),
                            repaired_path: base.to_string(),
                            path_variables: path_variables.clone(),
                            pointer: pointer::push(
                                &pointer::push(&pointer::push("/paths", WRAPPER), orig),
                                m,
                            ),
                        });
                    }
                }
            }
            continue;
        }
        if key.starts_with("x-") {
            continue;
        }
        let Some(item_obj) = item.as_object() else {
            continue;
        };
        let original = item_obj
            .get(WRAPPER)
            .and_then(|w| w.get(ORIGINAL_PATH))
            .and_then(Value::as_str);
        let path_variables = original
            .map(|o| path_variables_of(o, key))
            .unwrap_or_default();
        let merged_from = item_obj.get(WRAPPER).and_then(|w| w.get(MERGED_FROM));
        let item_pointer = pointer::push("/paths", key);
        let mut item_hidden = Vec::new();
        hidden(
            doc,
            item_obj.get(WRAPPER).and_then(|w| w.get("parameters")),
            &mut item_hidden,
        );
        for (m, op) in item_obj {
            if !METHODS.contains(&m.as_str()) || m == "trace" {
                continue;
            }
            let mut h = Vec::new();
            hidden(
                doc,
                op.get(WRAPPER).and_then(|w| w.get("parameters")),
                &mut h,
            );
            for x in &item_hidden {
                if !h
                    .iter()
                    .any(|y| y.location == x.location && y.name == x.name)
                {
                    h.push(x.clone());
                }
            }
            let from = merged_from.and_then(|f| f.get(m)).and_then(Value::as_str);
            let (original, path_variables) = match from {
                Some(f) => (Some(f), path_variables_of(f, key)),
                None => (original, path_variables.clone()),
            };
            if original.is_none() && h.is_empty() {
                continue;
            }
            out.operations.insert(
                pointer::push(&item_pointer, m),
                OperationRepairs {
                    original_path: original.map(str::to_string),
                    path_variables,
                    hidden_parameters: h,
                },
            );
        }
    }
    out
}

/// The parameter lists of a path item (at `p`) and of its operations, each with the pointer of
/// the object that holds it.
fn parameter_holders<'a>(p: &str, item: &'a Map<String, Value>) -> Vec<(String, &'a Value)> {
    let mut holders = Vec::new();
    if let Some(list) = item.get("parameters") {
        holders.push((p.to_string(), list));
    }
    for (m, op) in item {
        if METHODS.contains(&m.as_str())
            && let Some(list) = op.get("parameters")
        {
            holders.push((pointer::push(p, m), list));
        }
    }
    holders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split() {
        assert_eq!(
            parse_segment("{base}...{head}"),
            Some(vec![
                SegmentPart::Variable("base".into()),
                SegmentPart::Text("...".into()),
                SegmentPart::Variable("head".into())
            ])
        );
        assert_eq!(parse_segment("{a}{b}"), None);
        assert_eq!(parse_segment("{a"), None);
        assert_eq!(parse_segment("a}"), None);
    }
}
