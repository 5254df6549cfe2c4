//! The graph of references between named schemas, its cycles and strongly connected
//! components, computed without recursion.

use crate::document::Document;
use crate::pointer;
use crate::refs::collect_refs_at;
use std::collections::HashMap;

/// A reference from one named schema to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Index of the referenced schema in [`SchemaGraph::names`].
    pub to: usize,
    /// Pointer to the object holding the `$ref`.
    pub pointer: String,
}

/// Named schemas and the references between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaGraph {
    /// Schema names, in document order.
    pub names: Vec<String>,
    /// For each schema, its references to other named schemas, in document order.
    pub edges: Vec<Vec<Edge>>,
}

/// The most schema names a [`Cycle`] lists. A hostile definition can have thousands of long
/// cycles; listing every schema of each would take time and memory that grow with their product.
pub const MAX_CYCLE_NAMES: usize = 64;

/// A cycle among named schemas, found by a depth-first search in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The schemas on the cycle, starting with the one the closing reference points at and
    /// ending with the one that holds it. A cycle of more than [`MAX_CYCLE_NAMES`] schemas
    /// lists the first `MAX_CYCLE_NAMES - 1` and the last; [`Cycle::len`] is its full length.
    pub names: Vec<String>,
    /// How many schemas are on the cycle.
    pub len: usize,
    /// Pointer to the object holding the `$ref` that closes the cycle (the back edge). Removing
    /// every back edge leaves a graph without cycles.
    pub back_edge: String,
    /// The schema that holds the closing reference.
    pub from: String,
    /// The schema the closing reference points at.
    pub to: String,
}

impl Document {
    /// The graph of references between named schemas.
    pub fn schema_graph(&self) -> SchemaGraph {
        let schemas = self.schemas();
        let index: HashMap<&str, usize> = schemas
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name, i))
            .collect();
        let prefix = crate::views::schema_ref_prefix(self.version());
        let edges = schemas
            .iter()
            .map(|s| {
                collect_refs_at(s.value, &s.pointer)
                    .into_iter()
                    .filter_map(|site| {
                        let reference = pointer::parse_ref(&site.target)?;
                        let local = match reference {
                            pointer::Reference::Local(p) => format!("#{p}"),
                            _ => return None,
                        };
                        let rest = local.strip_prefix(prefix)?;
                        let name_token = rest.split('/').next()?;
                        let name = pointer::unescape(name_token);
                        let &to = index.get(name.as_ref())?;
                        Some(Edge {
                            to,
                            pointer: site.pointer,
                        })
                    })
                    .collect()
            })
            .collect();
        SchemaGraph {
            names: schemas.iter().map(|s| s.name.to_string()).collect(),
            edges,
        }
    }

    /// Every cycle among named schemas, one per back edge (see [`SchemaGraph::cycles`]).
    pub fn schema_cycles(&self) -> Vec<Cycle> {
        self.schema_graph().cycles()
    }
}

impl SchemaGraph {
    /// One cycle per back edge of a depth-first search that visits schemas and their references
    /// in document order, so the result is deterministic. Removing every back edge leaves the
    /// graph without cycles. Iterative: a long chain of schemas cannot overflow the stack.
    pub fn cycles(&self) -> Vec<Cycle> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            New,
            OnStack,
            Done,
        }
        let n = self.names.len();
        let mut state = vec![State::New; n];
        // Where each schema is on the search stack, while it is on it.
        let mut depth_of = vec![0usize; n];
        let mut out = Vec::new();
        for start in 0..n {
            if state[start] != State::New {
                continue;
            }
            // (node, next edge index)
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = State::OnStack;
            depth_of[start] = 0;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(edge) = self.edges[node].get(*next) {
                    *next += 1;
                    match state[edge.to] {
                        State::New => {
                            state[edge.to] = State::OnStack;
                            depth_of[edge.to] = stack.len();
                            stack.push((edge.to, 0));
                        }
                        State::OnStack => {
                            let on_cycle = &stack[depth_of[edge.to]..];
                            let names = if on_cycle.len() <= MAX_CYCLE_NAMES {
                                on_cycle.iter().collect::<Vec<_>>()
                            } else {
                                on_cycle[..MAX_CYCLE_NAMES - 1]
                                    .iter()
                                    .chain(on_cycle.last())
                                    .collect()
                            };
                            out.push(Cycle {
                                names: names
                                    .into_iter()
                                    .map(|&(v, _)| self.names[v].clone())
                                    .collect(),
                                len: on_cycle.len(),
                                back_edge: edge.pointer.clone(),
                                from: self.names[node].clone(),
                                to: self.names[edge.to].clone(),
                            });
                        }
                        State::Done => {}
                    }
                } else {
                    state[node] = State::Done;
                    stack.pop();
                }
            }
        }
        out
    }

    /// The strongly connected components that contain a cycle (more than one schema, or one
    /// that refers to itself), each in document order; Tarjan's algorithm, iteratively.
    pub fn cyclic_components(&self) -> Vec<Vec<usize>> {
        let n = self.names.len();
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0usize; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut next_index = 0;
        let mut out = Vec::new();
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            let mut call: Vec<(usize, usize)> = vec![(root, 0)];
            index[root] = next_index;
            low[root] = next_index;
            next_index += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (v, ref mut ei)) = call.last_mut() {
                if let Some(e) = self.edges[v].get(*ei) {
                    *ei += 1;
                    let w = e.to;
                    if index[w] == usize::MAX {
                        index[w] = next_index;
                        low[w] = next_index;
                        next_index += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        call.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                } else {
                    call.pop();
                    if let Some(&(parent, _)) = call.last() {
                        low[parent] = low[parent].min(low[v]);
                    }
                    if low[v] == index[v] {
                        let mut comp = Vec::new();
                        loop {
                            let w = stack.pop().expect("tarjan stack");
                            on_stack[w] = false;
                            comp.push(w);
                            if w == v {
                                break;
                            }
                        }
                        let self_loop = comp.len() == 1 && self.edges[v].iter().any(|e| e.to == v);
                        if comp.len() > 1 || self_loop {
                            comp.sort_unstable();
                            out.push(comp);
                        }
                    }
                }
            }
        }
        out.sort();
        out
    }
}
