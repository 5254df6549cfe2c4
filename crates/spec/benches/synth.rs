//! A synthetic, realistic OpenAPI 3.0 definition for benchmarks: 2,000 operations and 1,500
//! schemas (about 13 MB of JSON with a 2-space indent) with path, query and header parameters,
//! `$ref`s to parameters, request bodies, responses and schemas, descriptions, enums, examples
//! and nested objects. Deterministic (a fixed xorshift seed).

use serde_json::{Map, Value, json};

/// Operations in the synthetic definition.
pub const OPERATIONS: usize = 2_000;
/// Named schemas in the synthetic definition.
pub const SCHEMAS: usize = 1_500;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "account",
    "order",
    "invoice",
    "customer",
    "payment",
    "shipment",
    "product",
    "catalog",
    "inventory",
    "warehouse",
    "address",
    "region",
    "tenant",
    "user",
    "session",
    "token",
    "webhook",
    "event",
    "subscription",
    "plan",
    "discount",
    "coupon",
    "refund",
    "dispute",
    "balance",
    "transfer",
    "report",
    "export",
    "import",
    "job",
    "status",
    "metadata",
];

fn words(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut s = words(rng, n);
    s.push('.');
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn schema_name(i: usize) -> String {
    let w = WORDS[i % WORDS.len()];
    let mut c = w.chars();
    let cap: String = c.next().unwrap().to_uppercase().chain(c).collect();
    format!("{cap}Model{i}")
}

fn property(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 1 { 6 } else { 8 }) {
        0 => {
            json!({"type": "string", "description": sentence(rng, 8), "maxLength": 255, "example": words(rng, 2)})
        }
        1 => {
            json!({"type": "integer", "format": "int64", "minimum": 0, "description": sentence(rng, 6)})
        }
        2 => {
            json!({"type": "string", "format": "date-time", "description": sentence(rng, 5), "readOnly": true})
        }
        3 => json!({"type": "boolean", "default": false, "description": sentence(rng, 7)}),
        4 => {
            json!({"type": "string", "enum": ["active", "inactive", "pending", "archived"], "description": sentence(rng, 6)})
        }
        5 => {
            json!({"$ref": format!("#/components/schemas/{}", schema_name(rng.below(SCHEMAS - 1)))})
        }
        6 => {
            json!({"type": "array", "description": sentence(rng, 6), "items": {"$ref": format!("#/components/schemas/{}", schema_name(rng.below(SCHEMAS - 1)))}})
        }
        _ => {
            let mut props = Map::new();
            for _ in 0..(2 + rng.below(4)) {
                props.insert(
                    format!("{}_{}", WORDS[rng.below(WORDS.len())], rng.below(100)),
                    property(rng, depth + 1),
                );
            }
            json!({"type": "object", "description": sentence(rng, 10), "properties": props})
        }
    }
}

fn schema(rng: &mut Rng) -> Value {
    let mut props = Map::new();
    props.insert("id".into(), json!({"type": "string", "format": "uuid", "description": "Unique identifier.", "readOnly": true}));
    for _ in 0..(7 + rng.below(12)) {
        props.insert(
            format!("{}_{}", WORDS[rng.below(WORDS.len())], rng.below(1000)),
            property(rng, 0),
        );
    }
    json!({
        "type": "object",
        "description": sentence(rng, 40),
        "required": ["id"],
        "properties": props,
        "additionalProperties": false
    })
}

/// The synthetic definition as a value.
pub fn definition() -> Value {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut paths = Map::new();
    let methods = ["get", "post", "put", "delete", "patch"];
    let mut ops = 0;
    let mut p = 0;
    while ops < OPERATIONS {
        let resource = WORDS[p % WORDS.len()];
        let path = format!("/v1/{resource}s{p}/{{{resource}Id}}/items/{{itemId}}");
        let mut item = Map::new();
        item.insert(
            "parameters".into(),
            json!([
                {"name": format!("{resource}Id"), "in": "path", "required": true, "description": sentence(&mut rng, 8), "schema": {"type": "string"}},
                {"name": "itemId", "in": "path", "required": true, "description": sentence(&mut rng, 8), "schema": {"type": "string", "format": "uuid"}}
            ]),
        );
        for m in methods.iter().take(1 + rng.below(methods.len())) {
            if ops == OPERATIONS {
                break;
            }
            let model = schema_name(rng.below(SCHEMAS - 1));
            let mut op = json!({
                "operationId": format!("{m}{resource}{p}"),
                "summary": sentence(&mut rng, 5),
                "description": sentence(&mut rng, 70),
                "tags": [resource],
                "parameters": [
                    {"$ref": "#/components/parameters/RequestId"},
                    {"name": "expand", "in": "query", "description": sentence(&mut rng, 12), "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "limit", "in": "query", "description": sentence(&mut rng, 8), "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}
                ],
                "responses": {
                    "200": {"description": sentence(&mut rng, 6), "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{model}")}}}},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "default": {"$ref": "#/components/responses/Error"}
                }
            });
            if matches!(*m, "post" | "put" | "patch") {
                op["requestBody"] = json!({
                    "required": true,
                    "description": sentence(&mut rng, 10),
                    "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{model}")}}}
                });
            }
            item.insert((*m).to_string(), op);
            ops += 1;
        }
        paths.insert(path, Value::Object(item));
        p += 1;
    }
    let mut schemas = Map::new();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}),
    );
    for i in 0..SCHEMAS - 1 {
        schemas.insert(schema_name(i), schema(&mut rng));
    }
    let error = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic API", "version": "1.0.0", "description": sentence(&mut rng, 50)},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {
            "parameters": {"RequestId": {"name": "X-Request-Id", "in": "header", "description": "Correlates logs.", "schema": {"type": "string", "format": "uuid"}}},
            "responses": {"BadRequest": error("Bad request."), "NotFound": error("Not found."), "Error": error("Unexpected error.")},
            "schemas": schemas
        }
    })
}

/// The synthetic definition as JSON text with a 2-space indent.
pub fn json_text() -> String {
    let mut s = serde_json::to_string_pretty(&definition()).expect("serialises");
    s.push('\n');
    s
}
