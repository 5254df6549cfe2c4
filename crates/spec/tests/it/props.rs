//! Properties: the parser never panics, documents round-trip, positions point at their node.

use crate::ordered;
use lambda_sync_spec::{Diagnostic, Format, Loader, load_bytes, load_str, parse, to_text};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9_]{0,6}",
        "[a-z /~{}.0-9é-]{0,6}",
        Just("200".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("yes".to_string()),
        Just("1.5".to_string()),
        Just("- x".to_string()),
        Just("a: b".to_string()),
        Just("#x".to_string()),
        Just("~".to_string()),
        Just("".to_string()),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        key().prop_map(Value::String),
        Just(Value::String("line one\nline two\n".into())),
        Just(Value::String(" leading and trailing ".into())),
        Just(Value::String("3.0".into())),
        Just(Value::String("0x1F".into())),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((key(), tree()), 0..6).prop_map(|kv| kv.into_iter().collect())
}

/// An OpenAPI-ish document with arbitrary nested objects under `paths` and `components`.
fn document() -> impl Strategy<Value = Value> {
    (object(), object(), any::<bool>()).prop_map(|(paths, components, v2)| {
        let mut root = Map::new();
        if v2 {
            root.insert("swagger".into(), json!("2.0"));
        } else {
            root.insert("openapi".into(), json!("3.0.3"));
        }
        root.insert("info".into(), json!({"title": "generated", "version": "1"}));
        root.insert("paths".into(), Value::Object(paths));
        root.insert("components".into(), Value::Object(components));
        Value::Object(root)
    })
}

/// Every pointer of a value in document order (pre-order, the root excluded), each with
/// whether its parent is an object (the pointer names a key).
fn pointers(v: &Value) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![(v, String::new(), false)];
    while let Some((v, at, is_key)) = stack.pop() {
        if !at.is_empty() {
            out.push((at.clone(), is_key));
        }
        match v {
            Value::Object(m) => {
                for (k, c) in m.iter().rev() {
                    stack.push((c, lambda_sync_spec::pointer::push(&at, k), true));
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate().rev() {
                    stack.push((c, format!("{at}/{i}"), false));
                }
            }
            _ => {}
        }
    }
    out
}

/// The text from 1-based (line, column in characters) to the end of that line.
fn at(text: &str, (line, column): (usize, usize)) -> &str {
    let l = text.split('\n').nth(line - 1).unwrap_or("");
    let start = l.char_indices().nth(column - 1).map_or(l.len(), |(i, _)| i);
    &l[start..]
}

/// The text of the line before (line, column), trimmed at the end.
fn before(text: &str, (line, column): (usize, usize)) -> &str {
    let l = text.split('\n').nth(line - 1).unwrap_or("");
    let end = l.char_indices().nth(column - 1).map_or(l.len(), |(i, _)| i);
    l[..end].trim_end()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn loading_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = load_bytes(&bytes);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,256}") {
        let _ = parse(&text);
        let _ = load_str(&text);
    }

    #[test]
    fn parsing_yamlish_and_jsonish_text_never_panics(
        text in "(openapi: 3.0.0\n|swagger: '2.0'\n|\\{|\\}|\\[|\\]|: |- |, |&a |\\*a |<<: |\"|'|\n|  |#|\\$ref: |'#/a'|x|1|~|!!str |\\?|\\||>)*"
    ) {
        if let Ok(loaded) = load_str(&text) {
            let doc = &loaded.document;
            let _ = doc.operations();
            let _ = doc.schema_cycles();
            let _ = doc.to_text();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn documents_round_trip(doc in document()) {
        for fmt in [Format::Json, Format::Yaml] {
            let text = to_text(&doc, fmt).unwrap();
            let loaded = Loader::new().load_str(&text).unwrap();
            prop_assert_eq!(loaded.document.format(), fmt);
            prop_assert_eq!(ordered(loaded.document.value()), ordered(&doc));
            prop_assert_eq!(loaded.document.to_text().unwrap(), text);
            let _ = loaded.document.operations();
            let _ = loaded.document.schema_cycles();
        }
        // Compact JSON too.
        let compact = serde_json::to_string(&doc).unwrap();
        let loaded = load_str(&compact).unwrap();
        prop_assert_eq!(ordered(loaded.document.value()), ordered(&doc));
    }

    #[test]
    fn every_pointer_is_located_at_its_node(doc in document()) {
        let all = pointers(&doc);
        let compact = serde_json::to_string(&doc).unwrap();
        for (text, fmt) in [
            (to_text(&doc, Format::Json).unwrap(), Format::Json),
            (compact, Format::Json),
            (to_text(&doc, Format::Yaml).unwrap(), Format::Yaml),
        ] {
            let loaded = load_str(&text).unwrap();
            let mut diags: Vec<Diagnostic> =
                all.iter().map(|(p, _)| Diagnostic::warning("t", p.clone(), "")).collect();
            loaded.document.locate(&mut diags);
            let mut last = (0, 0);
            for (d, (p, is_key)) in diags.iter().zip(&all) {
                let pos = (d.line.unwrap_or(0), d.column.unwrap_or(0));
                prop_assert!(pos.0 > 0, "{} not located in {}:\n{}", p, fmt, text);
                prop_assert!(pos >= last, "{} at {:?} before {:?}", p, pos, last);
                last = pos;
                let here = at(&text, pos);
                let value = doc.pointer(p).unwrap();
                if *is_key {
                    let key = lambda_sync_spec::pointer::last_token(p).unwrap();
                    let written = match fmt {
                        Format::Json => serde_json::to_string(&key).unwrap(),
                        Format::Yaml => {
                            to_text(&Value::String(key.to_string()), Format::Yaml).unwrap().trim_end().to_string()
                        }
                    };
                    prop_assert!(here.starts_with(&written), "{} at {:?}: {:?} is not {:?}", p, pos, here, written);
                } else if fmt == Format::Json {
                    let first = serde_json::to_string(value).unwrap().chars().next().unwrap();
                    prop_assert!(here.starts_with(first), "{} at {:?}: {:?}", p, pos, here);
                } else {
                    let prev = before(&text, pos);
                    // A block scalar (`- |`) is found at its first line of content.
                    let block = value.as_str().is_some_and(|s| s.contains('\n')) && prev.is_empty();
                    prop_assert!(
                        block ||
                        prev.ends_with('-') || prev.ends_with('[') || prev.ends_with(','),
                        "{} at {:?}: {:?} after {:?}", p, pos, here, prev
                    );
                    prop_assert!(!here.starts_with(' '));
                }
            }
        }
    }
}

/// Nesting depth of a value: 0 for a scalar, 1 for a flat list or object.
fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// JSON text is YAML flow: the pre-scan sees exactly the value's depth.
    #[test]
    fn flow_depth_of_json_text_is_the_value_depth(v in tree()) {
        let text = serde_json::to_string_pretty(&v).unwrap();
        let scan = lambda_sync_spec::flow_depth(&text, 1_000);
        prop_assert_eq!(scan.max, depth(&v));
        prop_assert!(scan.steps <= text.len());
    }

    /// The pre-scan never counts deeper than the parser nests (so it never refuses a document
    /// the parser takes), and visits each byte at most once.
    #[test]
    fn flow_depth_never_exceeds_the_parsed_depth(
        text in "([\\[\\]{}:,'\"#|>!&*?%@` \\-\\n\\t]|[a-c]|\\\\|\u{85}|\u{2028}|'x'|\"y\"|: |- ){0,48}",
        v in tree(),
    ) {
        let scan = lambda_sync_spec::flow_depth(&text, 1_000);
        prop_assert!(scan.steps <= text.len());
        if let Ok(parsed) = lambda_sync_spec::parse_yaml(&text) {
            prop_assert!(scan.max <= depth(&parsed), "{:?}: {} > {}", text, scan.max, depth(&parsed));
        }
        // Block YAML as written for a value: never deeper than the value.
        let yaml = to_text(&v, Format::Yaml).unwrap();
        let scan = lambda_sync_spec::flow_depth(&yaml, 1_000);
        prop_assert!(scan.max <= depth(&v), "{}", yaml);
    }
}

/// The document as YAML whose top-level members hold flow collections (`paths: {"/a": ...}`).
fn yaml_with_flow_members(doc: &Value) -> String {
    let mut text = String::new();
    for (k, v) in doc.as_object().unwrap() {
        text.push_str(&serde_json::to_string(k).unwrap());
        text.push_str(": ");
        text.push_str(&serde_json::to_string(v).unwrap());
        text.push('\n');
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Write-back: adding a member to any mapping and replacing any value, in block or flow
    /// YAML, gives text that parses back to the edited document.
    #[test]
    fn edited_text_parses_back_to_the_edited_document(
        doc in document(),
        at in any::<prop::sample::Index>(),
        (k, added) in (key(), tree()),
        at2 in any::<prop::sample::Index>(),
        replaced in prop_oneof![leaf(), key().prop_map(Value::String)],
    ) {
        let mut target = doc.clone();
        let all = pointers(&doc);
        let maps: Vec<&str> = std::iter::once("")
            .chain(all.iter().map(|(p, _)| p.as_str()))
            .filter(|p| doc.pointer(p).is_some_and(Value::is_object))
            .collect();
        let map = maps[at.index(maps.len())];
        target.pointer_mut(map).unwrap().as_object_mut().unwrap().insert(k, added);
        let (p, _) = &all[at2.index(all.len())];
        if let Some(slot) = target.pointer_mut(p) {
            *slot = replaced;
        }
        for src in [to_text(&doc, Format::Yaml).unwrap(), yaml_with_flow_members(&doc)] {
            let edited = lambda_sync_spec::edit_text(&src, &target);
            prop_assert!(edited.is_ok(), "{:?}\n--- source ---\n{}\n--- target ---\n{}", edited.err(), src, to_text(&target, Format::Yaml).unwrap());
            let back = parse(&edited.unwrap().text).unwrap().0;
            prop_assert_eq!(ordered(&back), ordered(&target));
        }
    }
}
