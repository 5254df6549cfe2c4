//! The wrapper: reversible edits of one object, and `restore`.
//!
//! A key that a rule disables moves into `x-disabled-for-amazon-gateway` in the same object. A key
//! whose value a rule changes keeps its original value there too. Keys a rule adds are listed in
//! `x-added`; disabled parameters are kept, whole, in the wrapper's `parameters` list with their
//! positions in `x-parameter-indices`; when putting the keys back at the wrapper's place would not
//! give the original key order, that order is kept in `x-key-order`. Keys of the wrapper that start
//! with `x-` are bookkeeping; every other key is an original key.

use crate::names;
use lambda_sync_spec::Document;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The extension that holds what was disabled for Amazon API Gateway.
pub const WRAPPER: &str = "x-disabled-for-amazon-gateway";
pub(crate) const ADDED: &str = "x-added";
pub(crate) const KEY_ORDER: &str = "x-key-order";
pub(crate) const PARAM_INDICES: &str = "x-parameter-indices";
pub(crate) const ORIGINAL_NAME: &str = "x-original-name";
pub(crate) const ORIGINAL_PATH: &str = "x-original-path";
/// In the wrapper of a path item: method → the path key (as the definition writes it) of an
/// operation that compat copied into this path item (its original stays under the wrapper of
/// `paths`; restore drops the copy, listed in `x-added`).
pub(crate) const MERGED_FROM: &str = "x-merged-from";

fn is_bookkeeping(key: &str) -> bool {
    matches!(
        key,
        ADDED | KEY_ORDER | PARAM_INDICES | ORIGINAL_NAME | ORIGINAL_PATH | MERGED_FROM
    )
}

/// Edits of one object, applied at once so that key positions are computed once.
#[derive(Debug, Default, Clone)]
pub(crate) struct ObjEdit {
    /// Keys that move into the wrapper.
    pub wrap: Vec<String>,
    /// Keys whose value changes; the original value is kept in the wrapper.
    pub replace: Vec<(String, Value)>,
    /// Keys that are added after an anchor key (at the anchor's place when it is wrapped), or at
    /// the end.
    pub add: Vec<(Option<String>, String, Value)>,
    /// Indices in `parameters` whose entries move into the wrapper.
    pub wrap_params: Vec<usize>,
    /// Entries set in the wrapper (bookkeeping, or original keys of an inlined copy).
    pub bookkeeping: Vec<(String, Value)>,
    /// Keys to list in `x-added` besides the ones `add` adds.
    pub extra_added: Vec<String>,
}

impl ObjEdit {
    pub(crate) fn merge(&mut self, other: ObjEdit) {
        for k in other.wrap {
            if !self.wrap.contains(&k) {
                self.wrap.push(k);
            }
        }
        for (k, v) in other.replace {
            if !self.replace.iter().any(|(rk, _)| *rk == k) {
                self.replace.push((k, v));
            }
        }
        for a in other.add {
            if !self.add.iter().any(|(_, k, _)| *k == a.1) {
                self.add.push(a);
            }
        }
        for i in other.wrap_params {
            if !self.wrap_params.contains(&i) {
                self.wrap_params.push(i);
            }
        }
        self.bookkeeping.extend(other.bookkeeping);
        self.extra_added.extend(other.extra_added);
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Applies an edit to an object. Returns the positions the wrapped parameters got in the
/// wrapper's `parameters` list, in the order of `edit.wrap_params` sorted ascending, and the
/// old → new indices of the parameters that stayed.
pub(crate) fn apply_edit(map: &mut Map<String, Value>, edit: &ObjEdit) -> ParamMoves {
    let mut moves = ParamMoves::default();
    if matches!(map.get(WRAPPER), Some(v) if !v.is_object()) {
        // Someone else's value under our name: leave the object alone.
        return moves;
    }
    let before = restored_keys(map);
    let old = std::mem::take(map);
    let mut wrapper = match old.get(WRAPPER) {
        Some(Value::Object(w)) => w.clone(),
        _ => Map::new(),
    };
    let mut added: Vec<String> = strings(wrapper.get(ADDED));
    let old_keys: HashSet<&str> = old.keys().map(String::as_str).collect();
    let mut adds: Vec<Option<(Option<String>, String, Value)>> = edit
        .add
        .iter()
        .filter(|(_, k, _)| !old_keys.contains(k.as_str()))
        .cloned()
        .map(Some)
        .collect();
    drop(old_keys);
    let mut new = Map::with_capacity(old.len() + 2);
    let mut slot = false;
    let emit_adds = |anchor: Option<&str>,
                     new: &mut Map<String, Value>,
                     adds: &mut Vec<Option<(Option<String>, String, Value)>>,
                     added: &mut Vec<String>| {
        for a in adds.iter_mut() {
            let matches = match (a.as_ref(), anchor) {
                (Some((Some(x), _, _)), Some(y)) => x == y,
                (Some((None, _, _)), None) => true,
                (Some(_), None) => true,
                _ => false,
            };
            if matches
                && let Some((_, k, v)) = a.take()
                && !new.contains_key(&k)
            {
                added.push(k.clone());
                new.insert(k, v);
            }
        }
    };
    for (k, v) in old {
        if k == WRAPPER {
            new.insert(k, Value::Null);
            slot = true;
            continue;
        }
        if edit.wrap.contains(&k) {
            emit_adds(Some(&k), &mut new, &mut adds, &mut added);
            if !slot {
                new.insert(WRAPPER.to_string(), Value::Null);
                slot = true;
            }
            wrapper.insert(k, v);
        } else if let Some((_, nv)) = edit.replace.iter().find(|(rk, _)| *rk == k) {
            if !wrapper.contains_key(&k) {
                wrapper.insert(k.clone(), v);
            }
            new.insert(k.clone(), nv.clone());
            emit_adds(Some(&k), &mut new, &mut adds, &mut added);
        } else if adds.iter().any(Option::is_some) {
            new.insert(k.clone(), v);
            emit_adds(Some(&k), &mut new, &mut adds, &mut added);
        } else {
            // Nothing left to add after a key: it moves over as it is.
            new.insert(k, v);
        }
    }
    emit_adds(None, &mut new, &mut adds, &mut added);
    if !edit.wrap_params.is_empty()
        && let Some(Value::Array(list)) = new.get_mut("parameters")
    {
        let mut idx: Vec<usize> = edit
            .wrap_params
            .iter()
            .copied()
            .filter(|&i| i < list.len())
            .collect();
        idx.sort_unstable();
        idx.dedup();
        let old_len = list.len();
        let mut taken = Vec::with_capacity(idx.len());
        for &i in idx.iter().rev() {
            taken.push((i, list.remove(i)));
        }
        taken.reverse();
        let mut kept = 0;
        for i in 0..old_len {
            if idx.binary_search(&i).is_err() {
                if kept != i {
                    moves.kept.push((i, kept));
                }
                kept += 1;
            }
        }
        let mut wl = match wrapper.shift_remove("parameters") {
            Some(Value::Array(a)) => a,
            Some(other) => vec![other],
            None => Vec::new(),
        };
        let mut wi: Vec<Value> = match wrapper.shift_remove(PARAM_INDICES) {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        for (i, v) in taken {
            moves.wrapped.push((i, wl.len()));
            wl.push(v);
            wi.push(Value::from(i));
        }
        wrapper.insert("parameters".to_string(), Value::Array(wl));
        wrapper.insert(PARAM_INDICES.to_string(), Value::Array(wi));
    }
    for (k, v) in &edit.bookkeeping {
        wrapper.insert(k.clone(), v.clone());
    }
    added.extend(edit.extra_added.iter().cloned());
    if !added.is_empty() {
        let mut seen = HashSet::new();
        added.retain(|k| seen.insert(k.clone()));
        wrapper.insert(
            ADDED.to_string(),
            Value::Array(added.into_iter().map(Value::String).collect()),
        );
    }
    if !slot {
        new.insert(WRAPPER.to_string(), Value::Null);
    }
    new.insert(WRAPPER.to_string(), Value::Object(wrapper));
    *map = new;
    let after = restored_keys(map);
    if after != before
        && let Some(Value::Object(w)) = map.get_mut(WRAPPER)
    {
        w.insert(
            KEY_ORDER.to_string(),
            Value::Array(before.into_iter().map(Value::String).collect()),
        );
    }
    moves
}

/// How an edit moved parameters: `(old index, index in the wrapper's list)` and
/// `(old index, new index)` of the ones that stayed but moved.
#[derive(Debug, Default)]
pub(crate) struct ParamMoves {
    pub wrapped: Vec<(usize, usize)>,
    pub kept: Vec<(usize, usize)>,
}

/// The keys, in order, that [`restore_object`] would give.
pub(crate) fn restored_keys(map: &Map<String, Value>) -> Vec<String> {
    let Some(Value::Object(w)) = map.get(WRAPPER) else {
        return map.keys().cloned().collect();
    };
    if let Some(Value::Array(order)) = w.get(KEY_ORDER) {
        let unordered = restored_keys_unordered(map, w);
        let present: HashSet<&str> = unordered.iter().map(String::as_str).collect();
        let mut out: Vec<String> = Vec::with_capacity(unordered.len());
        let mut listed: HashSet<&str> = HashSet::new();
        for k in order.iter().filter_map(Value::as_str) {
            if present.contains(k) && listed.insert(k) {
                out.push(k.to_string());
            }
        }
        // Keys that the recorded order does not know go at the end, as restore puts them.
        for k in &unordered {
            if !listed.contains(k.as_str()) {
                out.push(k.clone());
            }
        }
        return out;
    }
    restored_keys_unordered(map, w)
}

fn restored_keys_unordered(map: &Map<String, Value>, w: &Map<String, Value>) -> Vec<String> {
    let added: HashSet<String> = strings(w.get(ADDED)).into_iter().collect();
    let mut out = Vec::with_capacity(map.len() + w.len());
    for k in map.keys() {
        if k == WRAPPER {
            for wk in w.keys() {
                if wk.starts_with("x-") || map.contains_key(wk) || added.contains(wk) {
                    continue;
                }
                out.push(wk.clone());
            }
            if w.keys().any(|k| k.starts_with("x-") && !is_bookkeeping(k)) {
                out.push(WRAPPER.to_string());
            }
        } else if added.contains(k) {
            continue;
        } else {
            out.push(k.clone());
        }
    }
    out
}

/// Undoes the wrapper of one object (not of its children).
pub(crate) fn restore_object(map: &mut Map<String, Value>) {
    let w = match map.get_mut(WRAPPER) {
        Some(Value::Object(w)) => std::mem::take(w),
        _ => return,
    };
    let old = std::mem::take(map);
    let mut w = w;
    let order = w.shift_remove(KEY_ORDER).map(|v| strings(Some(&v)));
    let added: HashSet<String> = w
        .shift_remove(ADDED)
        .map(|v| strings(Some(&v)).into_iter().collect())
        .unwrap_or_default();
    let indices: Option<Vec<usize>> = w.shift_remove(PARAM_INDICES).map(|v| {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|i| usize::try_from(i.as_u64().unwrap_or(u64::MAX)).unwrap_or(usize::MAX))
                    .collect()
            })
            .unwrap_or_default()
    });
    w.shift_remove(ORIGINAL_NAME);
    w.shift_remove(ORIGINAL_PATH);
    w.shift_remove(MERGED_FROM);
    let mut wrapped_params: Option<Vec<Value>> = if indices.is_some() {
        match w.shift_remove("parameters") {
            Some(Value::Array(a)) => Some(a),
            Some(other) => Some(vec![other]),
            None => None,
        }
    } else {
        None
    };
    let mut user_x = Map::new();
    let mut originals = Map::new();
    for (k, v) in w {
        if k.starts_with("x-") {
            user_x.insert(k, v);
        } else {
            originals.insert(k, v);
        }
    }
    let old_keys: HashSet<String> = old.keys().cloned().collect();
    let mut new = Map::with_capacity(old.len() + originals.len());
    let mut user_x = Some(user_x);
    for (k, v) in old {
        if k == WRAPPER {
            let keys: Vec<String> = originals
                .keys()
                .filter(|ok| !old_keys.contains(*ok) && !added.contains(*ok))
                .cloned()
                .collect();
            for ok in keys {
                if let Some(ov) = originals.shift_remove(&ok) {
                    new.insert(ok, ov);
                }
            }
            if !old_keys.contains("parameters")
                && let Some(list) = wrapped_params.take()
            {
                new.insert("parameters".to_string(), Value::Array(list));
            }
            if let Some(ux) = user_x.take()
                && !ux.is_empty()
            {
                new.insert(WRAPPER.to_string(), Value::Object(ux));
            }
            continue;
        }
        if added.contains(&k) {
            continue;
        }
        if k == "parameters"
            && let (Some(list), Value::Array(mut cur)) = (wrapped_params.take(), v.clone())
        {
            let idx = indices.clone().unwrap_or_default();
            let mut pairs: Vec<(usize, Value)> = list
                .into_iter()
                .enumerate()
                .map(|(n, p)| (idx.get(n).copied().unwrap_or(usize::MAX), p))
                .collect();
            pairs.sort_by_key(|(i, _)| *i);
            for (i, p) in pairs {
                let at = i.min(cur.len());
                cur.insert(at, p);
            }
            new.insert(k, Value::Array(cur));
            continue;
        }
        if let Some(ov) = originals.shift_remove(&k) {
            new.insert(k, ov);
            continue;
        }
        new.insert(k, v);
    }
    if let Some(order) = order {
        let mut rest = new;
        let mut ordered = Map::with_capacity(rest.len());
        let pos: HashMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let mut entries: Vec<(usize, usize, String, Value)> = Vec::with_capacity(rest.len());
        for (n, (k, v)) in std::mem::take(&mut rest).into_iter().enumerate() {
            let p = pos.get(k.as_str()).copied().unwrap_or(usize::MAX);
            entries.push((p, n, k, v));
        }
        entries.sort_by_key(|(p, n, _, _)| (*p, *n));
        for (_, _, k, v) in entries {
            ordered.insert(k, v);
        }
        new = ordered;
    }
    *map = new;
}

/// Undoes every wrap: renamed models get their names back (and every `$ref` to them), repaired
/// paths their keys and path parameters their names, wrapped
/// keys go back to their objects and places, changed values get their original values, added
/// keys go away, disabled parameters and operations come back, broken cycles are closed again.
///
/// ```
/// use lambda_sync_compat::{restore, transform, CompatOptions};
/// let doc = lambda_sync_spec::load_str(r#"
/// openapi: 3.0.3
/// info: {title: t, version: "1"}
/// paths: {}
/// components:
///   schemas:
///     Pet: {type: object, example: {name: Rex}, properties: {name: {type: string, readOnly: true}}}
/// "#)?.document;
/// let out = transform(&doc, &CompatOptions::default());
/// assert!(out.document.get("/components/schemas/Pet/example").is_none());
/// assert_eq!(restore(&out.document).value(), doc.value());
/// # Ok::<(), lambda_sync_spec::Error>(())
/// ```
pub fn restore(doc: &Document) -> Document {
    let mut out = doc.clone();
    let version = out.version();
    names::restore_names(out.value_mut(), version);
    crate::repair::restore_paths(out.value_mut());
    let mut stack: Vec<&mut Value> = vec![out.value_mut()];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                restore_object(map);
                for (_, c) in map.iter_mut() {
                    if c.is_object() || c.is_array() {
                        stack.push(c);
                    }
                }
            }
            Value::Array(items) => {
                for c in items.iter_mut() {
                    if c.is_object() || c.is_array() {
                        stack.push(c);
                    }
                }
            }
            _ => {}
        }
    }
    let _ = out.refresh_version();
    out
}
