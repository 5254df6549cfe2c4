//! The graph of references between models, without what is kept under the wrapper, and its
//! cycles.

use crate::fxhash::FxHashMap;
use crate::names;
use crate::refs;
use lambda_sync_spec::{Edge, SchemaGraph, SpecVersion, pointer, schema_ref_prefix};
use serde_json::Value;

/// At most this many names are listed for one cycle (the rest are counted): a definition with
/// long cycles would otherwise give output quadratic in its size.
pub(crate) const MAX_CYCLE_NAMES: usize = 12;

/// Like [`lambda_sync_spec::Document::schema_graph`], but references under the wrapper (and in
/// other extensions) do not count, so a broken cycle stays broken.
pub(crate) fn graph(root: &Value, version: SpecVersion) -> SchemaGraph {
    let base = version.schemas_pointer();
    let prefix = schema_ref_prefix(version);
    let Some(Value::Object(schemas)) = root.pointer(base) else {
        return SchemaGraph::default();
    };
    let index: FxHashMap<&str, usize> = schemas
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let edges = schemas
        .iter()
        .map(|(name, value)| {
            refs::collect(value, &pointer::push(base, name), false)
                .into_iter()
                .filter_map(|site| {
                    let (target, _) = names::ref_name(&site.target, prefix)?;
                    let &to = index.get(target.as_ref())?;
                    Some(Edge {
                        to,
                        pointer: site.holder,
                    })
                })
                .collect()
        })
        .collect();
    SchemaGraph {
        names: schemas.keys().cloned().collect(),
        edges,
    }
}

/// A cycle closed by one back edge.
#[derive(Debug, Clone)]
pub(crate) struct Cycle {
    /// The models on the cycle, starting with the one the closing reference points at; at most
    /// [`MAX_CYCLE_NAMES`].
    pub names: Vec<String>,
    /// How many more models the cycle has than `names` lists.
    pub more: usize,
    /// Pointer to the object holding the closing `$ref`.
    pub back_edge: String,
    /// The model that holds the closing reference.
    pub from: String,
    /// The model it points at.
    pub to: String,
}

impl Cycle {
    /// `A → B → A`, shortened when long.
    pub(crate) fn describe(&self) -> String {
        let mut s = self.names.join(" → ");
        if self.more > 0 {
            s.push_str(&format!(" → … ({} more)", self.more));
        }
        s.push_str(" → ");
        s.push_str(&self.to);
        s
    }
}

/// One cycle per back edge of a depth-first search that visits models and their references in
/// document order — the same search, and so the same back edges, as
/// [`lambda_sync_spec::SchemaGraph::cycles`], in time linear in the graph (plus the names
/// listed).
pub(crate) fn cycles(root: &Value, version: SpecVersion) -> Vec<Cycle> {
    let g = graph(root, version);
    let n = g.names.len();
    const NEW: usize = usize::MAX;
    const DONE: usize = usize::MAX - 1;
    // For each node: NEW, DONE, or its position on the stack.
    let mut state = vec![NEW; n];
    let mut out = Vec::new();
    for start in 0..n {
        if state[start] != NEW {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 0;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(edge) = g.edges[node].get(*next) {
                *next += 1;
                match state[edge.to] {
                    NEW => {
                        state[edge.to] = stack.len();
                        stack.push((edge.to, 0));
                    }
                    DONE => {}
                    pos => {
                        let len = stack.len() - pos;
                        out.push(Cycle {
                            names: stack[pos..]
                                .iter()
                                .take(MAX_CYCLE_NAMES)
                                .map(|&(v, _)| g.names[v].clone())
                                .collect(),
                            more: len.saturating_sub(MAX_CYCLE_NAMES),
                            back_edge: edge.pointer.clone(),
                            from: g.names[node].clone(),
                            to: g.names[edge.to].clone(),
                        });
                    }
                }
            } else {
                state[node] = DONE;
                stack.pop();
            }
        }
    }
    out
}
