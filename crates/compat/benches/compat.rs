//! Lint and transform of a synthetic definition of the size of GitHub's (1,200 operations, 1,500
//! models with dotted names, examples, `xml`, cycles), generated here so the benchmark needs no
//! file. Run with `cargo bench -p lambda-sync-compat`.

use criterion::{Criterion, criterion_group, criterion_main};
use lambda_sync_compat::{CompatOptions, lint, transform};
use lambda_sync_spec::{Document, Format};
use serde_json::{Map, Value, json};
use std::hint::black_box;

const OPERATIONS: usize = 1_200;
const MODELS: usize = 1_500;

fn model_name(i: usize) -> String {
    format!("io.example.api.v{}.Model{i}", i % 7)
}

fn model(i: usize) -> Value {
    let mut props = Map::new();
    for p in 0..12 {
        let v = match p % 6 {
            0 => {
                json!({"type": "string", "example": format!("value {p}"), "description": "A string property with an example, as generated definitions have."})
            }
            1 => json!({"type": "integer", "format": "int64", "readOnly": true}),
            2 => json!({"type": "number", "format": "int32", "xml": {"attribute": true}}),
            3 => {
                json!({"$ref": format!("#/components/schemas/{}", model_name((i + p + 1) % MODELS))})
            }
            4 => {
                json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{}", model_name((i * 7 + p) % MODELS))}})
            }
            _ => {
                json!({"type": "object", "additionalProperties": {"type": "string"}, "example": {"k": "v"}})
            }
        };
        props.insert(format!("property{p}"), v);
    }
    json!({
        "type": "object",
        "description": format!("Model {i}: a generated model with enough text to weigh what real models weigh."),
        "required": ["property0"],
        "xml": {"name": format!("model{i}")},
        "properties": props,
        "example": {"property0": "x", "property1": 1},
    })
}

fn operation(i: usize) -> Value {
    json!({
        "operationId": format!("operation{i}"),
        "summary": format!("Operation {i}"),
        "description": "Does what operation number i does, described at the length real definitions use for it.",
        "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "example": "abc"}},
            {"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 30, "example": 10}},
            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/{}", model_name(i % MODELS))},
                "examples": {"default": {"value": {"property0": "x"}}},
            }}},
            "4XX": {"description": "client error"},
            "default": {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    })
}

/// A definition of roughly 13 MB when written as JSON.
pub fn definition() -> Document {
    let mut paths = Map::new();
    for i in 0..OPERATIONS / 2 {
        let a = operation(2 * i);
        let b = operation(2 * i + 1);
        paths.insert(format!("/resources{i}/{{id}}"), json!({"get": a, "put": b}));
    }
    let mut schemas = Map::new();
    for i in 0..MODELS {
        schemas.insert(model_name(i), model(i));
    }
    schemas.insert(
        "Error".to_string(),
        json!({"type": "object", "properties": {"message": {"type": "string", "example": "boom"}}}),
    );
    let root = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    });
    Document::from_value(root, Format::Json).expect("a 3.0 definition")
}

fn bench(c: &mut Criterion) {
    let doc = definition();
    let size = serde_json::to_string(doc.value())
        .map(|s| s.len())
        .unwrap_or(0);
    eprintln!(
        "synthetic definition: {size} bytes, {} operations",
        doc.operations().len()
    );
    let options = CompatOptions::default();
    let mut group = c.benchmark_group("compat");
    group.sample_size(10);
    group.bench_function("lint", |b| b.iter(|| black_box(lint(&doc, &options))));
    group.bench_function("transform", |b| {
        b.iter_with_large_drop(|| black_box(transform(&doc, &options)))
    });
    group.bench_function("lint+transform", |b| {
        b.iter_with_large_drop(|| (lint(&doc, &options), transform(&doc, &options)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
