//! Model names: simplification to alphanumeric, renaming with `$ref` rewriting, and undoing it.

use crate::refs;
use crate::wrap::{ORIGINAL_NAME, WRAPPER};
use lambda_sync_spec::{SpecVersion, pointer, schema_ref_prefix};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Whether API Gateway takes this model name (ASCII letters and digits only).
pub(crate) fn is_valid(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `io.k8s.api.core.v1.Pod` → `IoK8sApiCoreV1Pod`, `Comment--Base` → `CommentBase`,
/// `account_balance` → `AccountBalance`; a name with no letter or digit becomes `Model`.
pub(crate) fn simplify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if out.is_empty() {
        out.push_str("Model");
    }
    out
}

/// New names for the names that are not valid, in document order: valid names are kept and
/// reserved first; a simplified name that is taken gets the suffix 2, 3, ...
pub(crate) fn plan(names: &[&str]) -> Vec<(usize, String)> {
    let mut taken: HashSet<String> = names
        .iter()
        .filter(|n| is_valid(n))
        .map(|n| (*n).to_string())
        .collect();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if is_valid(name) {
            continue;
        }
        let base = simplify(name);
        let mut candidate = base.clone();
        if taken.contains(&candidate) {
            let n = next_suffix.entry(base.clone()).or_insert(2);
            loop {
                candidate = format!("{base}{n}");
                *n += 1;
                if !taken.contains(&candidate) {
                    break;
                }
            }
        }
        taken.insert(candidate.clone());
        out.push((i, candidate));
    }
    out
}

/// The schema name a `$ref` (or a discriminator mapping value) points at, with the raw rest of
/// the string after the name.
pub(crate) fn ref_name<'a>(target: &'a str, prefix: &str) -> Option<(Cow<'a, str>, &'a str)> {
    let rest = target.strip_prefix(prefix)?;
    let end = rest.find('/').unwrap_or(rest.len());
    let raw = &rest[..end];
    if !raw.contains(['%', '~']) {
        return Some((Cow::Borrowed(raw), &rest[end..]));
    }
    let decoded = match pointer::parse_ref(&format!("#/{raw}"))? {
        pointer::Reference::Local(p) => p,
        _ => return None,
    };
    let name = pointer::unescape(decoded.strip_prefix('/')?).into_owned();
    Some((Cow::Owned(name), &rest[end..]))
}

/// Writes a schema name into a `$ref`: `~` and `/` escaped, nothing percent-encoded (a `$ref`
/// to `Foo Bar` reads `#/definitions/Foo Bar`, as most definitions write it).
pub(crate) fn encode_name(name: &str) -> String {
    pointer::escape(name).into_owned()
}

/// A `$ref` that was rewritten: where, and from what to what.
#[derive(Debug, Clone)]
pub(crate) struct Rewritten {
    pub holder: String,
    pub key: String,
    pub from: String,
    pub to: String,
}

/// Rewrites every reference to a renamed schema (one pass, one map lookup per reference).
/// `rename` maps old names to new ones; `encode` writes a new name into a reference.
pub(crate) fn rewrite_refs(
    root: &mut Value,
    version: SpecVersion,
    rename: &HashMap<String, String>,
    encode: fn(&str) -> String,
) -> Vec<Rewritten> {
    if rename.is_empty() {
        return Vec::new();
    }
    let prefix = schema_ref_prefix(version);
    refs::rewrite(root, |target, mapping| {
        if let Some((name, rest)) = ref_name(target, prefix) {
            rename
                .get(name.as_ref())
                .map(|n| format!("{prefix}{}{rest}", encode(n)))
        } else if mapping && !target.contains('/') {
            // A discriminator mapping may name the schema directly.
            rename.get(target).cloned()
        } else {
            None
        }
    })
    .into_iter()
    .map(|(holder, key, from, to)| Rewritten {
        holder,
        key,
        from,
        to,
    })
    .collect()
}

/// Renames keys of the schemas map in place (order kept). `rename` maps old to new names.
pub(crate) fn rename_keys(schemas: &mut Map<String, Value>, rename: &HashMap<String, String>) {
    let old = std::mem::take(schemas);
    for (k, v) in old {
        match rename.get(&k) {
            Some(n) => schemas.insert(n.clone(), v),
            None => schemas.insert(k, v),
        };
    }
}

/// Gives renamed models their original names back (read from `x-original-name` in their
/// wrapper) and rewrites every reference back.
pub(crate) fn restore_names(root: &mut Value, version: SpecVersion) {
    let base = version.schemas_pointer();
    let Some(Value::Object(schemas)) = root.pointer_mut(base) else {
        return;
    };
    let mut back: HashMap<String, String> = HashMap::new();
    let taken: HashSet<String> = schemas.keys().cloned().collect();
    for (name, schema) in schemas.iter() {
        if let Some(orig) = schema
            .get(WRAPPER)
            .and_then(|w| w.get(ORIGINAL_NAME))
            .and_then(Value::as_str)
            && orig != name
            && (!taken.contains(orig))
        {
            back.insert(name.clone(), orig.to_string());
        }
    }
    if back.is_empty() {
        return;
    }
    rename_keys(schemas, &back);
    rewrite_refs(root, version, &back, encode_name);
}
