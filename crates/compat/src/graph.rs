//! The graph of references between models, without what is kept under the wrapper.

use crate::names;
use crate::refs;
use lambda_sync_spec::{Cycle, Edge, SchemaGraph, SpecVersion, pointer, schema_ref_prefix};
use serde_json::Value;
use std::collections::HashMap;

/// Like [`lambda_sync_spec::Document::schema_graph`], but references under the wrapper (and in
/// other extensions) do not count, so a broken cycle stays broken.
pub(crate) fn graph(root: &Value, version: SpecVersion) -> SchemaGraph {
    let base = version.schemas_pointer();
    let prefix = schema_ref_prefix(version);
    let Some(Value::Object(schemas)) = root.pointer(base) else {
        return SchemaGraph::default();
    };
    let index: HashMap<&str, usize> = schemas
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

/// Every cycle, one per back edge of a depth-first search in document order.
pub(crate) fn cycles(root: &Value, version: SpecVersion) -> Vec<Cycle> {
    graph(root, version).cycles()
}
