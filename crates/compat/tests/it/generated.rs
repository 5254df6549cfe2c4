//! Properties over generated OpenAPI-like documents.

use crate::support::check_properties;
use lambda_sync_compat::{CompatOptions, lint, restore, transform};
use lambda_sync_spec::{Document, Format};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const NAMES: [&str; 10] = [
    "Pet",
    "io.k8s.Pod",
    "IoK8sPod",
    "Comment--Base",
    "account_balance",
    "AccountBalance",
    "a.b",
    "x y",
    "Ünï",
    "Node",
];

fn object(entries: Vec<(String, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in entries {
        m.insert(k, v);
    }
    Value::Object(m)
}

fn schema(v2: bool, names: Vec<String>) -> impl Strategy<Value = Value> {
    let prefix = if v2 {
        "#/definitions/"
    } else {
        "#/components/schemas/"
    };
    let refs: Vec<Value> = names
        .iter()
        .map(|n| json!({"$ref": format!("{prefix}{}", lambda_sync_spec::pointer::escape(n))}))
        .collect();
    let n = refs.len().max(1);
    (
        prop::sample::subsequence(
            vec![
                ("type", json!("object")),
                ("description", json!("d")),
                ("example", json!({"a": 1})),
                ("readOnly", json!(true)),
                ("xml", json!({"name": "x"})),
                ("discriminator", if v2 { json!("kind") } else { json!({"propertyName": "kind"}) }),
                ("exclusiveMinimum", json!(true)),
                ("minimum", json!(0)),
                ("x-disabled-for-amazon-gateway", json!({"x-note": 1})),
                ("additionalProperties", json!({"type": "string", "example": "v"})),
            ],
            0..=10,
        )
        .prop_shuffle(),
        prop::collection::vec((0..n, any::<bool>(), 0..4u8), 0..4),
    )
        .prop_map(move |(keys, props)| {
            let mut entries: Vec<(String, Value)> =
                keys.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            if !props.is_empty() {
                let mut p = Map::new();
                for (i, (target, as_ref, kind)) in props.into_iter().enumerate() {
                    let value = if as_ref && !refs.is_empty() {
                        refs[target % refs.len()].clone()
                    } else {
                        match kind {
                            0 => json!({"type": "number", "format": "int32", "example": 1}),
                            1 => json!({"type": "number", "format": "decimal", "readOnly": true}),
                            2 => json!({"type": "array", "items": refs.get(target).cloned().unwrap_or(json!({"type": "string"}))}),
                            _ => json!({"type": "string", "xml": {"attribute": true}, "description": "s"}),
                        }
                    };
                    p.insert(format!("p{i}"), value);
                }
                entries.push(("properties".to_string(), Value::Object(p)));
            }
            object(entries)
        })
}

fn parameter(v2: bool) -> impl Strategy<Value = Value> {
    let locs: Vec<&'static str> = if v2 {
        vec!["query", "header", "formData"]
    } else {
        vec!["query", "header", "cookie"]
    };
    (
        prop::sample::select(locs),
        prop::sample::select(vec!["q", "filter[x]", "X-Id", "s"]),
        any::<bool>(),
    )
        .prop_map(move |(loc, name, example)| {
            let mut p = json!({"name": name, "in": loc});
            if v2 {
                p["type"] = json!("string");
            } else {
                p["schema"] = json!({"type": "string"});
            }
            if example {
                p[if v2 { "x-example" } else { "example" }] = json!("e");
            }
            p
        })
}

fn operation(v2: bool) -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(parameter(v2), 0..4),
        prop::sample::subsequence(vec!["200", "default", "4XX", "500"], 1..=4).prop_shuffle(),
    )
        .prop_map(move |(params, codes)| {
            let mut responses = Map::new();
            for c in codes {
                let r = if c == "500" {
                    if v2 {
                        json!({"$ref": "#/responses/Err"})
                    } else {
                        json!({"$ref": "#/components/responses/Err"})
                    }
                } else {
                    json!({"description": c})
                };
                responses.insert(c.to_string(), r);
            }
            json!({"parameters": params, "responses": responses})
        })
}

fn document() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::sample::subsequence(NAMES.to_vec(), 0..=NAMES.len()),
    )
        .prop_flat_map(|(v2, names)| {
            let names: Vec<String> = names.into_iter().map(str::to_string).collect();
            let schemas = prop::collection::vec(schema(v2, names.clone()), names.len());
            let paths = prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "/pets",
                        "/a.json",
                        "/{x}.json",
                        "/b/",
                        "/pets#x",
                        "/pets/$count",
                        "/pets/count",
                        "/p/{id}",
                        "/p/{q}/r/{id}",
                    ]),
                    prop::sample::subsequence(vec!["get", "trace", "post", "parameters"], 1..=3)
                        .prop_shuffle(),
                    operation(v2),
                    prop::collection::vec(parameter(v2), 0..2),
                ),
                0..5,
            );
            (Just(v2), Just(names), schemas, paths)
        })
        .prop_map(|(v2, names, schemas, paths)| {
            let mut models = Map::new();
            for (n, s) in names.into_iter().zip(schemas) {
                models.insert(n, s);
            }
            let mut p = Map::new();
            for (path, keys, op, item_params) in paths {
                let mut item = Map::new();
                for k in keys {
                    if k == "parameters" {
                        item.insert(k.to_string(), Value::Array(item_params.clone()));
                    } else {
                        item.insert(k.to_string(), op.clone());
                    }
                }
                p.insert(path.to_string(), Value::Object(item));
            }
            let err = json!({"description": "error"});
            if v2 {
                json!({"swagger": "2.0", "info": {"title": "g", "version": "1"}, "paths": p,
                       "responses": {"Err": err}, "definitions": models})
            } else {
                json!({"openapi": "3.0.3", "info": {"title": "g", "version": "1"}, "paths": p,
                       "components": {"responses": {"Err": err}, "schemas": models}})
            }
        })
}

/// OpenAPI 3.1 documents: the 3.0 ones with 3.1 keywords put into every model.
fn document_31() -> impl Strategy<Value = Value> {
    (document(), any::<[bool; 5]>()).prop_map(|(mut v, flags)| {
        if v.get("openapi").is_none() {
            return v;
        }
        v["openapi"] = json!("3.1.0");
        if let Some(Value::Object(models)) = v.pointer_mut("/components/schemas") {
            for (_, m) in models.iter_mut() {
                let Value::Object(m) = m else { continue };
                if flags[0] {
                    m.insert("type".into(), json!(["object", "null"]));
                }
                if flags[1] {
                    m.insert("examples".into(), json!([{"a": 1}, {"a": 2}]));
                }
                if flags[2] {
                    m.insert("const".into(), json!({"a": 1}));
                }
                if flags[3] {
                    m.insert("exclusiveMaximum".into(), json!(10));
                    m.insert("$comment".into(), json!("a comment"));
                }
                if flags[4] {
                    m.insert("if".into(), json!({"type": "object"}));
                }
            }
        }
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lowering_properties_hold(
        v in document_31(),
        disabled in prop::sample::subsequence(vec!["example", "exclusive-bound-boolean", "model-name"], 0..3),
    ) {
        let doc = Document::from_value(v, Format::Json).unwrap();
        check_properties(&doc, &CompatOptions::default().with_disabled(disabled), true);
    }

    #[test]
    fn transform_properties_hold(v in document()) {
        let doc = Document::from_value(v, Format::Json).unwrap();
        check_properties(&doc, &CompatOptions::default(), true);
    }

    #[test]
    fn properties_hold_with_rules_disabled(
        v in document(),
        disabled in prop::sample::subsequence(
            vec!["example", "model-name", "circular-ref", "xml", "read-only", "cookie-parameter", "response-ref"], 0..4)
    ) {
        let doc = Document::from_value(v, Format::Json).unwrap();
        check_properties(&doc, &CompatOptions::default().with_disabled(disabled), true);
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "$ref",
        "type",
        "example",
        "examples",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "parameters",
        "responses",
        "get",
        "trace",
        "in",
        "name",
        "schema",
        "content",
        "x-disabled-for-amazon-gateway",
        "x-added",
        "x-key-order",
        "x-parameter-indices",
        "discriminator",
        "mapping",
        "const",
        "exclusiveMinimum",
        "xml",
        "4XX",
        "default",
        "/a",
        "io.k8s.Pod",
        "cookie",
        "formData",
        "query",
        "#/definitions/io.k8s.Pod",
        "#/components/schemas/io.k8s.Pod",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|i| json!(i)),
        keys.clone().prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| {
                object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn nothing_panics_on_arbitrary_values(
        v2 in any::<bool>(),
        v31 in any::<bool>(),
        paths in arbitrary_json(),
        schemas in arbitrary_json(),
        params in arbitrary_json(),
    ) {
        let root = if v2 {
            json!({"swagger": "2.0", "paths": paths, "definitions": schemas, "parameters": params, "responses": params})
        } else {
            json!({"openapi": if v31 { "3.1.0" } else { "3.0.3" }, "paths": paths,
                   "components": {"schemas": schemas, "parameters": params, "responses": params}})
        };
        let doc = Document::from_value(root, Format::Json).unwrap();
        let opts = CompatOptions::default();
        let _ = lint(&doc, &opts);
        let out = transform(&doc, &opts);
        let _ = restore(&out.document);
        let again = transform(&out.document, &opts);
        let _ = lint(&again.document, &opts);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// `slim_to_vec` writes the bytes of the slim copy, whatever the values (references into
    /// maps of models that are there or not, maps left empty between other keys, odd shapes),
    /// before and after compat.
    #[test]
    fn the_body_written_without_a_copy_is_the_slim_copy_on_arbitrary_values(
        v2 in any::<bool>(),
        paths in arbitrary_json(),
        schemas in arbitrary_json(),
        params in arbitrary_json(),
        extra in arbitrary_json(),
    ) {
        let root = if v2 {
            json!({"swagger": "2.0", "info": extra, "parameters": params, "paths": paths,
                   "definitions": schemas, "responses": params,
                   "x-amazon-apigateway-x": extra, "tags": extra})
        } else {
            json!({"openapi": "3.0.3",
                   "components": {"parameters": params, "schemas": schemas,
                                  "x-amazon-apigateway-y": extra, "responses": params,
                                  "headers": params, "requestBodies": params},
                   "paths": paths, "servers": extra, "x-amazon-apigateway-x": extra})
        };
        prop_assert_eq!(
            lambda_sync_compat::slim_to_vec(&root),
            serde_json::to_vec(&lambda_sync_compat::slim(&root)).unwrap()
        );
        let doc = Document::from_value(root, Format::Json).unwrap();
        let out = transform(&doc, &CompatOptions::default());
        let v = out.document.value();
        prop_assert_eq!(
            lambda_sync_compat::slim_to_vec(v),
            serde_json::to_vec(&lambda_sync_compat::slim(v)).unwrap()
        );
    }
}
