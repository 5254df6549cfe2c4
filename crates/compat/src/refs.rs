//! Finding `$ref`s (and discriminator mappings) without recursion, with or without the
//! contents of the wrapper. Pointers are built only for the references found: the walk keeps
//! a parent-linked list of tokens instead of a string per node.

use crate::wrap::WRAPPER;
use serde_json::Value;

/// One reference: the object holding it and the target as written.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub holder: String,
    pub target: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    Properties,
    ExamplesMap,
    RefOnly,
    Discriminator,
    Mapping,
}

#[derive(Clone, Copy)]
enum Tok<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

struct Arena<'a> {
    nodes: Vec<(usize, Tok<'a>)>,
}

impl<'a> Arena<'a> {
    fn pointer(&self, base: &str, mut at: usize) -> String {
        let mut toks = Vec::with_capacity(16);
        // Room for the tokens unescaped, a `/` each, and a short index.
        let mut len = base.len();
        loop {
            let (parent, tok) = self.nodes[at];
            match tok {
                Tok::Root => break,
                t => {
                    len += match t {
                        Tok::Key(k) => k.len() + 1,
                        _ => 4,
                    };
                    toks.push(t)
                }
            }
            at = parent;
        }
        let mut out = String::with_capacity(len + 8);
        out.push_str(base);
        for t in toks.iter().rev() {
            match t {
                Tok::Key(k) => {
                    out.push('/');
                    // `pointer::escape`, written in place.
                    if k.contains(['~', '/']) {
                        for c in k.chars() {
                            match c {
                                '~' => out.push_str("~0"),
                                '/' => out.push_str("~1"),
                                c => out.push(c),
                            }
                        }
                    } else {
                        out.push_str(k);
                    }
                }
                Tok::Index(i) => {
                    use std::fmt::Write as _;
                    let _ = write!(out, "/{i}");
                }
                Tok::Root => {}
            }
        }
        out
    }
}

/// The mode of a child of an object in `mode`, or `None` when the child holds no references.
fn child_mode(mode: Mode, key: &str, child: &Value, everything: bool) -> Option<Mode> {
    Some(match mode {
        Mode::Properties => Mode::Normal,
        Mode::ExamplesMap => {
            if child.get("$ref").is_some_and(Value::is_string) {
                Mode::RefOnly
            } else {
                return None;
            }
        }
        Mode::Discriminator => {
            if key == "mapping" && everything {
                Mode::Mapping
            } else {
                return None;
            }
        }
        Mode::RefOnly | Mode::Mapping => return None,
        Mode::Normal => match key {
            "example" | "x-examples" | "enum" | "const" | "default" => return None,
            "examples" if child.is_object() => Mode::ExamplesMap,
            "examples" => return None,
            "discriminator" => Mode::Discriminator,
            "properties" | "patternProperties" if child.is_object() => Mode::Properties,
            // The wrapper's keys are keywords of the object that holds it.
            WRAPPER if everything => Mode::Normal,
            // API Gateway's own extensions are never changed.
            _ if key.starts_with("x-amazon-apigateway-") => return None,
            _ if key.starts_with("x-") && !everything => return None,
            _ => Mode::Normal,
        },
    })
}

/// Every reference under `root` (whose pointer is `base`), in document order.
///
/// With `everything`, extensions (the wrapper included) are searched too, and discriminator
/// mappings are reported; without it, `x-` keys are skipped, so a reference kept under the
/// wrapper does not count (this is what the model graph uses).
pub(crate) fn collect(root: &Value, base: &str, everything: bool) -> Vec<Site> {
    let mut out = Vec::new();
    let mut arena = Arena {
        nodes: vec![(0, Tok::Root)],
    };
    let mut stack: Vec<(&Value, usize, Mode)> = vec![(root, 0, Mode::Normal)];
    while let Some((value, at, mode)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if mode == Mode::Mapping {
                    for v in map.values() {
                        if let Value::String(t) = v {
                            out.push(Site {
                                holder: arena.pointer(base, at),
                                target: t.clone(),
                            });
                        }
                    }
                    continue;
                }
                if matches!(mode, Mode::Normal | Mode::RefOnly)
                    && let Some(Value::String(t)) = map.get("$ref")
                {
                    out.push(Site {
                        holder: arena.pointer(base, at),
                        target: t.clone(),
                    });
                }
                for (k, v) in map.iter().rev() {
                    if !matches!(v, Value::Object(_) | Value::Array(_)) {
                        continue;
                    }
                    if let Some(child) = child_mode(mode, k, v, everything) {
                        arena.nodes.push((at, Tok::Key(k)));
                        stack.push((v, arena.nodes.len() - 1, child));
                    }
                }
            }
            Value::Array(items) => {
                if matches!(mode, Mode::RefOnly | Mode::Mapping) {
                    continue;
                }
                for (i, v) in items.iter().enumerate().rev() {
                    if matches!(v, Value::Object(_) | Value::Array(_)) {
                        arena.nodes.push((at, Tok::Index(i)));
                        stack.push((v, arena.nodes.len() - 1, Mode::Normal));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Rewrites references in place, in one pass: `f(target, is_mapping)` gives the new target.
/// Returns the rewritten sites (holder pointer, key, old target, new target).
pub(crate) fn rewrite(
    root: &mut Value,
    mut f: impl FnMut(&str, bool) -> Option<String>,
) -> Vec<(String, String, String, String)> {
    let mut found: Vec<(usize, String, String, String)> = Vec::new();
    let mut arena: Vec<(usize, Tok<'_>)> = vec![(0, Tok::Root)];
    let mut stack: Vec<(&mut Value, usize, Mode)> = vec![(root, 0, Mode::Normal)];
    while let Some((value, at, mode)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if mode == Mode::Mapping {
                    for (k, v) in map.iter_mut() {
                        if let Value::String(t) = v
                            && let Some(new) = f(t, true)
                        {
                            found.push((at, k.clone(), std::mem::replace(t, new.clone()), new));
                        }
                    }
                    continue;
                }
                if matches!(mode, Mode::Normal | Mode::RefOnly)
                    && let Some(Value::String(t)) = map.get_mut("$ref")
                    && let Some(new) = f(t, false)
                {
                    found.push((
                        at,
                        "$ref".to_string(),
                        std::mem::replace(t, new.clone()),
                        new,
                    ));
                }
                // The children go on the stack in reverse, so they are visited in order
                // (pushed in order, then that end of the stack turned around: no list of
                // children per object).
                let start = stack.len();
                for (k, v) in map.iter_mut() {
                    if !matches!(v, Value::Object(_) | Value::Array(_)) {
                        continue;
                    }
                    if let Some(child) = child_mode(mode, k, v, true) {
                        arena.push((at, Tok::Key(k)));
                        stack.push((v, arena.len() - 1, child));
                    }
                }
                stack[start..].reverse();
            }
            Value::Array(items) => {
                if matches!(mode, Mode::RefOnly | Mode::Mapping) {
                    continue;
                }
                let start = stack.len();
                for (i, v) in items.iter_mut().enumerate() {
                    if matches!(v, Value::Object(_) | Value::Array(_)) {
                        arena.push((at, Tok::Index(i)));
                        stack.push((v, arena.len() - 1, Mode::Normal));
                    }
                }
                stack[start..].reverse();
            }
            _ => {}
        }
    }
    let arena = Arena { nodes: arena };
    found
        .into_iter()
        .map(|(at, key, from, to)| (arena.pointer("", at), key, from, to))
        .collect()
}

/// The workspace's one mutable pointer lookup ([`lambda_sync_spec::pointer::get_mut`]), under the name the
/// transforms use.
pub(crate) use lambda_sync_spec::pointer::get_mut as pointer_mut;
