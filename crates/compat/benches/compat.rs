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
    let schema = |n: usize| format!("#/components/schemas/{}", model_name(n % MODELS));
    for p in 0..40 {
        // About one property in four has something API Gateway cannot take, roughly the
        // density of GitHub's definition (7,500 findings in 13 MB).
        let v = match (p % 16, p < 16) {
            (0, _) => json!({
                "type": "string",
                "example": format!("value {p}"),
                "description": "A string property with an example and a description long enough to weigh what the descriptions of real definitions weigh.",
            }),
            (1, true) => {
                json!({"type": "integer", "format": "int64", "readOnly": true, "description": "An identifier."})
            }
            (2, true) => json!({"type": "number", "format": "int32", "xml": {"attribute": true}}),
            (3, true) => json!({"$ref": schema(i + p + 1)}),
            (4, true) => json!({"type": "array", "items": {"$ref": schema(i * 7 + p)}}),
            (5, true) => json!({"type": "object", "additionalProperties": {"type": "string"}}),
            (6 | 7, _) => {
                json!({"type": "string", "format": "date-time", "nullable": true, "description": "When it happened, as an RFC 3339 date and time."})
            }
            (8..=10, _) => {
                json!({"type": "integer", "minimum": 0, "maximum": 1000, "description": "A count of the things it counts."})
            }
            _ => {
                json!({"type": "string", "enum": ["one", "two", "three"], "description": "An enumeration of the states it can be in."})
            }
        };
        props.insert(format!("property{p}"), v);
    }
    let mut m = json!({
        "type": "object",
        "description": format!("Model {i}: a generated model with enough text to weigh what real models weigh."),
        "required": ["property0"],
        "properties": props,
    });
    if i.is_multiple_of(5) {
        m["xml"] = json!({"name": format!("model{i}")});
        m["example"] = json!({"property0": "x", "property1": 1});
    }
    m
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

/// A definition of roughly 13 MB when written as pretty JSON.
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
    let text = serde_json::to_string_pretty(doc.value()).unwrap_or_default();
    if let Some(path) = std::env::var_os("COMPAT_BENCH_WRITE") {
        // To time loading too, or to compare with `jq -c .` on the same file.
        std::fs::write(path, &text).expect("writes the synthetic definition");
    }
    eprintln!(
        "synthetic definition: {} bytes, {} operations",
        text.len(),
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
