//! Cycles among named schemas: found without recursion, deterministically, in document order.

use lambda_sync_spec::{Cycle, Document, Format};
use serde_json::{Value, json};

fn doc_v2(definitions: Value) -> Document {
    Document::from_value(
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, "definitions": definitions}),
        Format::Json,
    )
    .unwrap()
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/definitions/{name}")})
}

/// (names, from, to, back edge) of each cycle.
fn summary(cycles: &[Cycle]) -> Vec<(Vec<&str>, &str, &str, &str)> {
    cycles
        .iter()
        .map(|c| {
            (
                c.names.iter().map(String::as_str).collect(),
                c.from.as_str(),
                c.to.as_str(),
                c.back_edge.as_str(),
            )
        })
        .collect()
}

#[track_caller]
fn check(definitions: Value, expect: &[(&[&str], &str, &str, &str)], components: &[&[&str]]) {
    let doc = doc_v2(definitions);
    let cycles = doc.schema_cycles();
    assert_eq!(cycles, doc.schema_cycles(), "deterministic");
    let want: Vec<_> = expect
        .iter()
        .map(|(n, f, t, b)| (n.to_vec(), *f, *t, *b))
        .collect();
    assert_eq!(summary(&cycles), want);
    let graph = doc.schema_graph();
    let comps: Vec<Vec<&str>> = graph
        .cyclic_components()
        .iter()
        .map(|c| c.iter().map(|&i| graph.names[i].as_str()).collect())
        .collect();
    let want: Vec<Vec<&str>> = components.iter().map(|c| c.to_vec()).collect();
    assert_eq!(comps, want);
}

#[test]
fn cycles() {
    // No cycle.
    check(json!({"A": r("B"), "B": {"type": "string"}}), &[], &[]);
    // Self-reference.
    check(
        json!({"Node": {"properties": {"next": r("Node")}}}),
        &[(
            &["Node"],
            "Node",
            "Node",
            "/definitions/Node/properties/next",
        )],
        &[&["Node"]],
    );
    // A → B → A.
    check(
        json!({"A": {"properties": {"b": r("B")}}, "B": {"items": r("A")}}),
        &[(&["A", "B"], "B", "A", "/definitions/B/items")],
        &[&["A", "B"]],
    );
    // A 3-cycle, found from the first schema in document order.
    check(
        json!({"X": {"type": "string"}, "C": {"allOf": [r("A")]}, "A": r("B"), "B": r("C")}),
        &[(&["C", "A", "B"], "B", "C", "/definitions/B")],
        &[&["C", "A", "B"]],
    );
    // Two independent cycles, plus a schema that refers into one of them.
    check(
        json!({
            "P": {"properties": {"q": r("Q")}},
            "Q": {"properties": {"p": r("P")}},
            "User": {"properties": {"p": r("P")}},
            "S": {"properties": {"s": r("S")}}
        }),
        &[
            (&["P", "Q"], "Q", "P", "/definitions/Q/properties/p"),
            (&["S"], "S", "S", "/definitions/S/properties/s"),
        ],
        &[&["P", "Q"], &["S"]],
    );
    // References to sub-pointers count as references to the named schema.
    check(
        json!({
            "A": {"properties": {"x": {"properties": {"y": r("B")}}}},
            "B": {"properties": {"z": {"$ref": "#/definitions/A/properties/x"}}}
        }),
        &[(&["A", "B"], "B", "A", "/definitions/B/properties/z")],
        &[&["A", "B"]],
    );
    // Escaped names.
    check(
        json!({"a/b": {"items": {"$ref": "#/definitions/a~1b"}}, "c d": {"items": {"$ref": "#/definitions/c%20d"}}}),
        &[
            (&["a/b"], "a/b", "a/b", "/definitions/a~1b/items"),
            (&["c d"], "c d", "c d", "/definitions/c d/items"),
        ],
        &[&["a/b"], &["c d"]],
    );
    // `$ref` inside an example, and a property called `$ref`, are not references.
    check(
        json!({"A": {"example": r("A"), "properties": {"$ref": {"type": "string"}}}}),
        &[],
        &[],
    );
}

#[test]
fn two_cycles_through_one_schema() {
    let doc = doc_v2(json!({
        "Hub": {"properties": {"a": r("A"), "b": r("B")}},
        "A": {"items": r("Hub")},
        "B": {"items": r("Hub")}
    }));
    let cycles = doc.schema_cycles();
    assert_eq!(
        summary(&cycles),
        vec![
            (vec!["Hub", "A"], "A", "Hub", "/definitions/A/items"),
            (vec!["Hub", "B"], "B", "Hub", "/definitions/B/items"),
        ]
    );
    let graph = doc.schema_graph();
    assert_eq!(graph.cyclic_components(), vec![vec![0, 1, 2]]);
    assert_eq!(graph.edges[0].len(), 2);
}

#[test]
fn a_chain_of_twenty_thousand_schemas_does_not_overflow() {
    let n = 20_000;
    let mut defs = serde_json::Map::new();
    for i in 0..n {
        defs.insert(format!("S{i}"), r(&format!("S{}", (i + 1) % n)));
    }
    let doc = doc_v2(Value::Object(defs));
    let cycles = doc.schema_cycles();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].len, n);
    assert_eq!(cycles[0].names.len(), lambda_sync_spec::MAX_CYCLE_NAMES);
    assert_eq!(cycles[0].names[0], "S0");
    assert_eq!(cycles[0].names.last().unwrap(), &format!("S{}", n - 1));
    assert_eq!(cycles[0].from, format!("S{}", n - 1));
    assert_eq!(cycles[0].to, "S0");
    let comps = doc.schema_graph().cyclic_components();
    assert_eq!(comps.len(), 1);
    assert_eq!(comps[0].len(), n);

    // The same as text, through the loader (checks, positions) and the writer.
    let text = doc.to_text().unwrap();
    let loaded = lambda_sync_spec::load_str(&text).unwrap();
    assert!(loaded.diagnostics.is_empty());
    assert_eq!(loaded.document.schema_cycles().len(), 1);
}

#[test]
fn openapi_3_schemas() {
    let doc = Document::from_value(
        json!({"openapi": "3.0.0", "info": {}, "paths": {}, "components": {"schemas": {
            "Tree": {"properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
            "Leaf": {"$ref": "#/definitions/Tree"}
        }}}),
        Format::Yaml,
    )
    .unwrap();
    let cycles = doc.schema_cycles();
    assert_eq!(
        summary(&cycles),
        vec![(
            vec!["Tree"],
            "Tree",
            "Tree",
            "/components/schemas/Tree/properties/children/items"
        )]
    );
    let names: Vec<_> = doc.schemas().iter().map(|s| s.name).collect();
    assert_eq!(names, ["Tree", "Leaf"]);
    assert_eq!(doc.schemas()[1].pointer, "/components/schemas/Leaf");
}

/// Every schema of a long chain also refers back to the first: as many cycles as schemas, each
/// as long as the chain so far. Listing them stays linear in the size of the definition.
#[test]
fn many_long_cycles_stay_bounded() {
    let n = 20_000;
    let mut defs = serde_json::Map::new();
    for i in 0..n {
        let mut props = serde_json::Map::new();
        props.insert("first".into(), r("S0"));
        if i + 1 < n {
            props.insert("next".into(), r(&format!("S{}", i + 1)));
        }
        defs.insert(format!("S{i}"), json!({"properties": props}));
    }
    let doc = doc_v2(Value::Object(defs));
    let cycles = doc.schema_cycles();
    assert_eq!(cycles.len(), n);
    assert_eq!(cycles[0].names, ["S0"]);
    assert_eq!(cycles[n - 1].len, n);
    assert!(
        cycles
            .iter()
            .all(|c| c.names.len() <= lambda_sync_spec::MAX_CYCLE_NAMES)
    );
    assert!(
        cycles
            .iter()
            .all(|c| c.names.len() == c.len.min(lambda_sync_spec::MAX_CYCLE_NAMES))
    );
    assert_eq!(doc.schema_graph().cyclic_components().len(), 1);
}
