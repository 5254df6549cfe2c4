//! Bundling external `$ref`s into the document, since API Gateway takes one body.
//!
//! `$ref: models/pet.yaml#/Pet` (relative to the file that holds it) is copied into the section
//! that fits the place of the reference — `definitions` / `components/schemas` for schemas,
//! `parameters`, `responses`, `requestBodies`, `headers`, `examples` for those — under the last
//! token of its fragment (or the file's stem), made unique with a `_2`, `_3`, ... suffix, and the
//! `$ref` is rewritten to point there. Path items (no reusable section in 2.0/3.0) are inlined.
//! References inside the copied value are followed the same way, with a work queue rather than
//! recursion; a value is copied once however often it is referenced, so reference loops across
//! files end. Remote (`http`) references are never fetched: each one is reported.

use crate::diagnostic::Diagnostic;
use crate::document::{Document, SpecVersion};
use crate::load::{Loader, read_limited};
use crate::parse::MAX_DEPTH;
use crate::pointer::{self, Reference};
use crate::refs::{RefSite, collect_refs_at};
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    Example,
    Inline,
}

fn section(kind: Kind, version: SpecVersion) -> Option<&'static [&'static str]> {
    let v2 = version.is_v2();
    Some(match kind {
        Kind::Schema if v2 => &["definitions"],
        Kind::Schema => &["components", "schemas"],
        Kind::Parameter if v2 => &["parameters"],
        Kind::Parameter => &["components", "parameters"],
        Kind::Response if v2 => &["responses"],
        Kind::Response => &["components", "responses"],
        Kind::RequestBody if !v2 => &["components", "requestBodies"],
        Kind::Header if !v2 => &["components", "headers"],
        Kind::Example if !v2 => &["components", "examples"],
        _ => return None,
    })
}

fn kind_from_fragment(tokens: &[String]) -> Option<Kind> {
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    Some(match t.as_slice() {
        ["definitions", _] | ["components", "schemas", _] => Kind::Schema,
        ["parameters", _] | ["components", "parameters", _] => Kind::Parameter,
        ["responses", _] | ["components", "responses", _] => Kind::Response,
        ["components", "requestBodies", _] => Kind::RequestBody,
        ["components", "headers", _] => Kind::Header,
        ["components", "examples", _] => Kind::Example,
        ["paths", _] => Kind::Inline,
        _ => return None,
    })
}

fn kind_from_site(site: &str) -> Kind {
    let t = pointer::tokens(site).unwrap_or_default();
    let n = t.len();
    let last = t.last().map(String::as_str).unwrap_or("");
    let parent = if n >= 2 { t[n - 2].as_str() } else { "" };
    if n == 2 && t[0] == "paths" {
        return Kind::Inline;
    }
    match (parent, last) {
        ("parameters", i) if i.parse::<usize>().is_ok() => Kind::Parameter,
        ("parameters", _) if n == 2 || (n == 3 && t[0] == "components") => Kind::Parameter,
        ("responses", _) => Kind::Response,
        (_, "requestBody") => Kind::RequestBody,
        ("requestBodies", _) => Kind::RequestBody,
        ("headers", _) => Kind::Header,
        ("examples", _) => Kind::Example,
        ("links", _) | ("callbacks", _) | ("securitySchemes", _) | ("pathItems", _) => Kind::Inline,
        _ => Kind::Schema,
    }
}

/// How deeply `value` nests: 0 for a scalar, 1 for an array or object of scalars, ...
fn depth(value: &Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(value, 1)];
    while let Some((v, d)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(o) => Box::new(o.values()),
            _ => continue,
        };
        max = max.max(d);
        stack.extend(
            children
                .filter(|c| matches!(c, Value::Array(_) | Value::Object(_)))
                .map(|c| (c, d + 1)),
        );
    }
    max
}

/// Whether `value` put at `slot` (a pointer of `slot_tokens` tokens) nests deeper than the
/// parsers read back: refused, so that what is written can be loaded again.
fn too_deep(slot_tokens: usize, value: &Value) -> Option<String> {
    let total = slot_tokens + depth(value);
    (total > MAX_DEPTH).then(|| {
        format!(
            "copied into the definition it would nest {total} levels deep, more than {MAX_DEPTH}"
        )
    })
}

fn pointer_len(p: &str) -> usize {
    p.bytes().filter(|&b| b == b'/').count()
}

fn sanitize_name(raw: &str) -> String {
    let s: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "Model".into() } else { s }
}

struct Pending {
    /// Where the value goes in the root (root coordinates).
    slot: String,
    value: Value,
    /// The file the value came from (canonical).
    file: PathBuf,
    /// Whether the value replaces the `$ref` object at `slot` (keeping its sibling keys).
    inline: bool,
    /// The inlined values this one is nested in, itself included when inlined: (file,
    /// fragment, slot). A reference to one of them is a loop, pointed at the slot instead of
    /// being inlined again.
    chain: Vec<(PathBuf, String, String)>,
}

enum RefTarget {
    Pointer(String),
    /// A value to copy in place of the reference: the value, its file and fragment.
    Inline(Value, PathBuf, String),
}

/// The most values inlined (path items, links, ...) into one definition. References that
/// multiply (each path item referring to two others, ...) cannot blow the document up.
const MAX_INLINED: usize = 10_000;

struct Bundler<'a> {
    loader: &'a Loader,
    version: SpecVersion,
    main: Option<PathBuf>,
    files: HashMap<PathBuf, Result<Value, String>>,
    assigned: HashMap<(PathBuf, String), String>,
    queue: VecDeque<Pending>,
    inlined: usize,
    suffixes: HashMap<(&'static [&'static str], String), usize>,
}

/// Reports external references without resolving them (external refs turned off).
pub(crate) fn report_external(sites: &[RefSite], diags: &mut Vec<Diagnostic>) {
    for site in sites {
        match pointer::parse_ref(&site.target) {
            Some(Reference::Remote(r)) => diags.push(remote(&site.ref_pointer(), &r)),
            Some(Reference::File { .. }) => diags.push(Diagnostic::error(
                "external-ref",
                site.ref_pointer(),
                format!(
                    "external reference `{}` is not resolved (external references are turned off)",
                    site.target
                ),
            )),
            _ => {}
        }
    }
}

fn remote(at: &str, r: &str) -> Diagnostic {
    Diagnostic::error(
        "remote-ref",
        at,
        format!(
            "remote reference `{r}` is not fetched (lambda-sync never downloads definitions); save it next to the definition and refer to the local file"
        ),
    )
}

/// Bundles the external references among `sites` (every `$ref` of `doc`). Returns whether
/// there were any (and so whether `doc` may have changed).
pub(crate) fn bundle(
    doc: &mut Document,
    sites: &[RefSite],
    path: Option<&Path>,
    base: Option<&Path>,
    loader: &Loader,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if !sites.iter().any(|s| {
        matches!(
            pointer::parse_ref(&s.target),
            Some(Reference::File { .. } | Reference::Remote(_))
        )
    }) {
        return false;
    }
    let main = path.and_then(|p| p.canonicalize().ok());
    let mut b = Bundler {
        loader,
        version: doc.version(),
        main: main.clone(),
        files: HashMap::new(),
        assigned: HashMap::new(),
        queue: VecDeque::new(),
        inlined: 0,
        suffixes: HashMap::new(),
    };
    let root = doc.value_mut();
    for site in sites.iter().cloned() {
        let at = site.ref_pointer();
        match pointer::parse_ref(&site.target) {
            Some(Reference::Remote(r)) => diags.push(remote(&at, &r)),
            Some(Reference::File {
                path: rel,
                pointer: frag,
            }) => {
                let Some(base) = base else {
                    diags.push(Diagnostic::error(
                        "unresolved-ref",
                        &at,
                        format!(
                            "external reference `{}` cannot be resolved: the definition was not loaded from a file (load it from its path, or set a base folder)",
                            site.target
                        ),
                    ));
                    continue;
                };
                let file = base.join(&rel);
                b.resolve_site(root, &site.pointer, &site.target, file, frag, diags);
            }
            _ => {}
        }
    }
    while let Some(p) = b.queue.pop_front() {
        b.process(root, p, diags);
    }
    true
}

impl Bundler<'_> {
    fn resolve_site(
        &mut self,
        root: &mut Value,
        site: &str,
        written: &str,
        file: PathBuf,
        frag: String,
        diags: &mut Vec<Diagnostic>,
    ) {
        let at = format!("{site}/$ref");
        match self.target(root, file, frag, kind_from_site(site)) {
            Ok(RefTarget::Pointer(p)) => {
                if let Some(obj) = root.pointer_mut(site).and_then(Value::as_object_mut) {
                    obj.insert("$ref".into(), Value::String(format!("#{p}")));
                }
            }
            Ok(RefTarget::Inline(value, file, frag)) => {
                if let Err(msg) = self
                    .count_inline()
                    .and_then(|()| too_deep(pointer_len(site), &value).map_or(Ok(()), Err))
                {
                    diags.push(Diagnostic::error(
                        "unresolved-ref",
                        at,
                        format!("cannot resolve `{written}`: {msg}"),
                    ));
                    return;
                }
                self.queue.push_back(Pending {
                    slot: site.to_string(),
                    value,
                    chain: vec![(file.clone(), frag, site.to_string())],
                    file,
                    inline: true,
                })
            }
            Err(msg) => diags.push(Diagnostic::error(
                "unresolved-ref",
                at,
                format!("cannot resolve `{written}`: {msg}"),
            )),
        }
    }

    fn count_inline(&mut self) -> Result<(), String> {
        self.inlined += 1;
        if self.inlined > MAX_INLINED {
            Err(format!(
                "more than {MAX_INLINED} values would be copied in place of references"
            ))
        } else {
            Ok(())
        }
    }

    fn load_file(&mut self, canonical: &Path) -> Result<&Value, String> {
        if !self.files.contains_key(canonical) {
            let loaded = if self.files.len() >= self.loader.max_external_files() {
                Err(format!(
                    "more than {} external files; refusing to read more",
                    self.loader.max_external_files()
                ))
            } else {
                read_limited(canonical, self.loader.max_size())
                    .and_then(crate::parse::decode)
                    .and_then(|t| crate::parse::parse(&t).map(|(v, _)| v))
                    .map_err(|e| e.to_string())
            };
            self.files.insert(canonical.to_path_buf(), loaded);
        }
        self.files[canonical].as_ref().map_err(Clone::clone)
    }

    fn target(
        &mut self,
        root: &mut Value,
        file: PathBuf,
        frag: String,
        site_kind: Kind,
    ) -> Result<RefTarget, String> {
        let canonical = file
            .canonicalize()
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        if Some(&canonical) == self.main.as_ref() {
            if frag.is_empty() {
                return Err("a reference to the whole definition itself".into());
            }
            return Ok(RefTarget::Pointer(frag));
        }
        if let Some(p) = self.assigned.get(&(canonical.clone(), frag.clone())) {
            return Ok(RefTarget::Pointer(p.clone()));
        }
        let content = self
            .load_file(&canonical)?
            .pointer(&frag)
            .cloned()
            .ok_or_else(|| format!("`#{frag}` does not exist in {}", file.display()))?;
        let tokens = pointer::tokens(&frag).unwrap_or_default();
        let kind = kind_from_fragment(&tokens).unwrap_or(site_kind);
        let Some(section) = section(kind, self.version) else {
            return Ok(RefTarget::Inline(content, canonical, frag));
        };
        if let Some(msg) = too_deep(section.len() + 1, &content) {
            return Err(msg);
        }
        let raw_name = match tokens.last() {
            Some(t) if !t.is_empty() => t.clone(),
            _ => canonical
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let base_name = sanitize_name(&raw_name);
        let map = ensure_object(root, section);
        let mut name = base_name.clone();
        // The next suffix to try for this name, so that many values of one name do not
        // probe `_2`, `_3`, ... from the start each time.
        let next = self
            .suffixes
            .entry((section, base_name.clone()))
            .or_insert(2);
        while map.contains_key(&name) {
            name = format!("{base_name}_{next}");
            *next += 1;
        }
        map.insert(name.clone(), Value::Null);
        let slot = pointer::from_tokens(section.iter().copied().chain([name.as_str()]));
        self.assigned
            .insert((canonical.clone(), frag), slot.clone());
        self.queue.push_back(Pending {
            slot: slot.clone(),
            value: content,
            file: canonical,
            inline: false,
            chain: Vec::new(),
        });
        Ok(RefTarget::Pointer(slot))
    }

    fn process(&mut self, root: &mut Value, mut p: Pending, diags: &mut Vec<Diagnostic>) {
        let dir = p.file.parent().map(Path::to_path_buf).unwrap_or_default();
        for site in collect_refs_at(&p.value, &p.slot) {
            let at = site.ref_pointer();
            let (file, frag) = match pointer::parse_ref(&site.target) {
                Some(Reference::Remote(r)) => {
                    diags.push(remote(&at, &r));
                    continue;
                }
                Some(Reference::Local(frag)) => (p.file.clone(), frag),
                Some(Reference::File { path, pointer }) => (dir.join(path), pointer),
                None => continue,
            };
            let rel = &site.pointer[p.slot.len()..];
            let target = self.target(root, file, frag, kind_from_site(&site.pointer));
            // A value inlined inside itself (a path item whose callback refers back to it):
            // refer to the copy that encloses this reference instead of copying it again.
            let target = match target {
                Ok(RefTarget::Inline(value, file, frag)) => {
                    match p.chain.iter().find(|(f, fr, _)| *f == file && *fr == frag) {
                        Some((_, _, slot)) => Ok(RefTarget::Pointer(slot.clone())),
                        None => self
                            .count_inline()
                            .and_then(|()| {
                                too_deep(pointer_len(&site.pointer), &value).map_or(Ok(()), Err)
                            })
                            .map(|()| RefTarget::Inline(value, file, frag)),
                    }
                }
                other => other,
            };
            match target {
                Ok(RefTarget::Pointer(ptr)) => {
                    if let Some(obj) = p.value.pointer_mut(rel).and_then(Value::as_object_mut) {
                        obj.insert("$ref".into(), Value::String(format!("#{ptr}")));
                    }
                }
                Ok(RefTarget::Inline(value, file, frag)) => {
                    let mut chain = p.chain.clone();
                    chain.push((file.clone(), frag, site.pointer.clone()));
                    self.queue.push_back(Pending {
                        slot: site.pointer.clone(),
                        value,
                        file,
                        inline: true,
                        chain,
                    })
                }
                Err(msg) => diags.push(Diagnostic::error(
                    "unresolved-ref",
                    at,
                    format!(
                        "cannot resolve `{}` (in {}): {msg}",
                        site.target,
                        p.file.display()
                    ),
                )),
            }
        }
        let Some(slot) = root.pointer_mut(&p.slot) else {
            return;
        };
        if p.inline {
            // The referenced value replaces the `$ref` object; keys written next to the `$ref`
            // (a `description`, say) are kept and win.
            let siblings = match std::mem::take(slot) {
                Value::Object(mut m) => {
                    m.remove("$ref");
                    m
                }
                _ => Map::new(),
            };
            if let Value::Object(content) = &mut p.value {
                for (k, v) in siblings {
                    content.insert(k, v);
                }
            }
        }
        *slot = p.value;
    }
}

fn ensure_object<'v>(root: &'v mut Value, path: &[&str]) -> &'v mut Map<String, Value> {
    let mut cur = root;
    for key in path {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let obj = cur.as_object_mut().expect("just made an object");
        let entry = obj
            .entry((*key).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        cur = entry;
    }
    cur.as_object_mut().expect("just made an object")
}
