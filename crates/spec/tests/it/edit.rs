//! Write-back as text edits: the file's own style, every other byte kept.

use lambda_sync_spec::{edit_text, parse};
use serde_json::{Value, json};

/// Applies `change` to the parsed `src`, edits the text, and checks the result against
/// `expect`; the edited text must parse to the changed document (checked by `edit_text`).
#[track_caller]
fn check(src: &str, change: impl FnOnce(&mut Value), expect: &str) {
    let mut target = parse(src).unwrap().0;
    change(&mut target);
    let edited = edit_text(src, &target).unwrap();
    assert_eq!(edited.text, expect, "\n--- got ---\n{}", edited.text);
}

fn set(v: &mut Value, pointer: &str, key: &str, value: Value) {
    v.pointer_mut(pointer)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert(key.to_string(), value);
}

#[test]
fn yaml_block_member_after_the_last_one_keeps_comments() {
    check(
        "# top\nopenapi: 3.0.3 # v\npaths: # all routes\n  /a:\n    get:   # op\n      responses: {'200': {description: ok}}\n\n# end\n",
        |v| {
            set(
                v,
                "/paths/~1a/get",
                "x-amazon-apigateway-integration",
                json!({"type": "aws", "uri": "arn:x", "requestTemplates": {"application/json": "{\n}"}}),
            )
        },
        "# top\nopenapi: 3.0.3 # v\npaths: # all routes\n  /a:\n    get:   # op\n      responses: {'200': {description: ok}}\n      x-amazon-apigateway-integration:\n        type: aws\n        uri: arn:x\n        requestTemplates:\n          application/json: |-\n            {\n            }\n\n# end\n",
    );
}

#[test]
fn yaml_root_key_at_the_end_without_a_final_line_break() {
    check(
        "openapi: 3.0.3\npaths: {}",
        |v| set(v, "", "x-aws-api-id", json!("abc")),
        "openapi: 3.0.3\npaths: {}\nx-aws-api-id: abc",
    );
}

#[test]
fn yaml_crlf_odd_indent_and_a_bom() {
    check(
        "\u{feff}openapi: 3.0.3\r\npaths:\r\n   /a:\r\n      get:\r\n         responses: {}\r\n",
        |v| {
            set(v, "/paths/~1a/get", "operationId", json!("getA"));
            set(
                v,
                "/paths/~1a/get",
                "x-i",
                json!({"a": {"b": [1, {"c": "200"}]}}),
            );
        },
        "\u{feff}openapi: 3.0.3\r\npaths:\r\n   /a:\r\n      get:\r\n         responses: {}\r\n         operationId: getA\r\n         x-i:\r\n            a:\r\n               b:\r\n                  - 1\r\n                  - c: '200'\r\n",
    );
}

#[test]
fn yaml_member_before_the_first_one_and_in_a_sequence_item() {
    check(
        "list:\n- b: 1\n  c: 2\n",
        |v| {
            let item = v.pointer_mut("/list/0").unwrap().as_object_mut().unwrap();
            item.shift_insert(0, "a".into(), json!(0));
            item.insert("d".into(), json!("x y"));
        },
        "list:\n- a: 0\n  b: 1\n  c: 2\n  d: x y\n",
    );
}

#[test]
fn yaml_flow_mapping_gets_a_flow_member() {
    check(
        "paths:\n  /a: {get: {responses: {}}} # one line\n",
        |v| {
            set(
                v,
                "/paths/~1a/get",
                "x-int",
                json!({"type": "aws", "uri": "a:b"}),
            )
        },
        "paths:\n  /a: {get: {responses: {}, x-int: {type: aws, uri: \"a:b\"}}} # one line\n",
    );
}

#[test]
fn yaml_quotes_in_the_file_style() {
    check(
        "a: \"x\"\nb: \"y\"\n",
        |v| set(v, "", "c", json!("200")),
        "a: \"x\"\nb: \"y\"\nc: \"200\"\n",
    );
    check(
        "a: 'x'\n",
        |v| set(v, "", "c", json!("it's: true")),
        "a: 'x'\nc: 'it''s: true'\n",
    );
}

#[test]
fn yaml_changed_scalar_keeps_its_quotes_and_numbers_elsewhere_stay() {
    check(
        "openapi: '3.1.0'\nn: 1.50\nh: 0x1F\n",
        |v| v["openapi"] = json!("3.0.3"),
        "openapi: '3.0.3'\nn: 1.50\nh: 0x1F\n",
    );
}

#[test]
fn yaml_renamed_key_and_removed_member() {
    check(
        "paths:\n  /a/{id}:   # c\n    get: {}\n  /b:\n    x: 1 # gone\n    y: 2\n",
        |v| {
            let paths = v["paths"].as_object_mut().unwrap();
            let a = paths.shift_remove("/a/{id}").unwrap();
            paths.shift_insert(0, "/a/{key}".into(), a);
            v["paths"]["/b"].as_object_mut().unwrap().shift_remove("x");
        },
        "paths:\n  /a/{key}:   # c\n    get: {}\n  /b:\n    y: 2\n",
    );
}

#[test]
fn yaml_alias_that_must_differ_is_written_out() {
    let src = "a: &op {k: 1}\nb: *op\n";
    let mut target = parse(src).unwrap().0;
    set(&mut target, "/b", "z", json!(2));
    let edited = edit_text(src, &target).unwrap();
    assert_eq!(edited.text, "a: &op {k: 1}\nb:\n  k: 1\n  z: 2\n");
    assert_eq!(edited.warnings.len(), 1, "{:?}", edited.warnings);
}

#[test]
fn yaml_anchor_change_that_the_aliases_share_stays_an_anchor() {
    check(
        "a: &op\n  k: 1\nb: *op\n",
        |v| {
            set(v, "/a", "z", json!(2));
            set(v, "/b", "z", json!(2));
        },
        "a: &op\n  k: 1\n  z: 2\nb: *op\n",
    );
}

#[test]
fn yaml_merge_key_mapping_is_rewritten_alone() {
    let src = "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\nkeep: 1 # kept\n";
    let mut target = parse(src).unwrap().0;
    set(&mut target, "/d", "z", json!(3));
    let edited = edit_text(src, &target).unwrap();
    assert_eq!(
        edited.text,
        "base: &b {x: 1}\nd:\n  y: 2\n  x: 1\n  z: 3\nkeep: 1 # kept\n"
    );
    assert_eq!(edited.warnings.len(), 1);
}

#[test]
fn json_pretty_in_its_own_indent_and_order() {
    check(
        "{\n    \"openapi\": \"3.0.3\",\n    \"paths\": {\n        \"/a\": {\n            \"get\": {\"responses\": {}}\n        }\n    },\n    \"n\": 1.0e3\n}\n",
        |v| {
            set(v, "/paths/~1a", "post", json!({"x": [1, 2]}));
            set(v, "", "x-aws-api-id", json!("abc"));
        },
        "{\n    \"openapi\": \"3.0.3\",\n    \"paths\": {\n        \"/a\": {\n            \"get\": {\"responses\": {}},\n            \"post\": {\n                \"x\": [\n                    1,\n                    2\n                ]\n            }\n        }\n    },\n    \"n\": 1.0e3,\n    \"x-aws-api-id\": \"abc\"\n}\n",
    );
}

#[test]
fn json_tabs_crlf_and_minified() {
    check(
        "{\r\n\t\"a\": {\r\n\t\t\"b\": 1\r\n\t}\r\n}",
        |v| set(v, "/a", "c", json!({"d": true})),
        "{\r\n\t\"a\": {\r\n\t\t\"b\": 1,\r\n\t\t\"c\": {\r\n\t\t\t\"d\": true\r\n\t\t}\r\n\t}\r\n}",
    );
    check(
        "{\"a\":{\"b\":1},\"c\":[]}",
        |v| {
            set(v, "/a", "x", json!({"d": "e"}));
            v["c"] = json!([1]);
        },
        "{\"a\":{\"b\":1, \"x\": {\"d\": \"e\"}},\"c\":[1]}",
    );
}

#[test]
fn nothing_to_change_is_no_edit() {
    let src = "a: 1 # c\n";
    let edited = edit_text(src, &parse(src).unwrap().0).unwrap();
    assert!(edited.edits.is_empty());
    assert_eq!(edited.text, src);
}

#[test]
fn an_empty_mapping_gets_members_without_a_warning() {
    for (src, expect) in [
        ("paths: {}\n", "paths:\n  /a:\n    get: {}\n"),
        (
            "{\n  \"paths\": {}\n}\n",
            "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n",
        ),
        ("{\"paths\":{}}", "{\"paths\":{\"/a\":{\"get\":{}}}}"),
    ] {
        let mut target = parse(src).unwrap().0;
        set(&mut target, "/paths", "/a", json!({"get": {}}));
        let edited = edit_text(src, &target).unwrap();
        assert_eq!(edited.text, expect);
        assert!(edited.warnings.is_empty(), "{:?}", edited.warnings);
    }
}

/// Inside a flow collection a plain scalar ends at `,`, `[`, `]`, `{` or `}`: every key and
/// string written there (added, renamed or replaced) is quoted when it holds one.
#[test]
fn yaml_flow_context_quotes_flow_indicators_in_keys_and_values() {
    let repaired = || json!({"x-repaired-path": "/{Bucket}/{Key}"});
    check(
        "paths: {'/a': {get: {}}}\n",
        |v| set(v, "/paths/~1a", "x-disabled-for-amazon-gateway", repaired()),
        "paths: {'/a': {get: {}, x-disabled-for-amazon-gateway: {x-repaired-path: \"/{Bucket}/{Key}\"}}}\n",
    );
    // An added key.
    check(
        "paths: {'/a': {get: {}}}\n",
        |v| set(v, "/paths", "/{Bucket}/{Key}", json!({"get": {}})),
        "paths: {'/a': {get: {}}, \"/{Bucket}/{Key}\": {get: {}}}\n",
    );
    // A renamed key.
    check(
        "paths: {\"/a\": {get: {}}}\n",
        |v| {
            let p = v["paths"].as_object_mut().unwrap();
            let a = p.shift_remove("/a").unwrap();
            p.insert("/{Bucket}/{Key}".into(), a);
        },
        "paths: {\"/{Bucket}/{Key}\": {get: {}}}\n",
    );
    // A renamed key keeps its quotes (YAML reads `{aa:1}` as one plain scalar).
    check(
        "p: {\"b\":{\"a\":null}}\n",
        |v| v["p"]["b"] = json!({"aa": 1}),
        "p: {\"b\":{\"aa\":1}}\n",
    );
    // A replaced value in a flow mapping and in a flow sequence.
    check(
        "a: {x: 1, y: [1, 2]}\n",
        |v| {
            v["a"]["x"] = json!("/{Bucket}/{Key}");
            v["a"]["y"][0] = json!("b, c");
            v["a"]["y"][1] = json!("[d]");
        },
        "a: {x: \"/{Bucket}/{Key}\", y: [\"b, c\", '[d]']}\n",
    );
    // Block context keeps them plain.
    check(
        "a:\n  x: 1\n",
        |v| v["a"]["x"] = json!("/{Bucket}/{Key}"),
        "a:\n  x: /{Bucket}/{Key}\n",
    );
}

/// A block sequence that is an item of a block sequence (`- - x`) after the first item starts
/// at its own dash, not at its parent's: replacing it keeps the parent's `- `.
#[test]
fn yaml_nested_block_sequence_item_replaced() {
    check(
        "c:\n  s:\n  - null\n  - - null\n    - x\nd: 1\n",
        |v| v["c"]["s"][1] = json!("~"),
        "c:\n  s:\n  - null\n  - '~'\nd: 1\n",
    );
    check(
        "s:\n- - a\n- - b\n  - c\n",
        |v| {
            v["s"][0] = json!(1);
            v["s"][1][1] = json!(2);
        },
        "s:\n- 1\n- - b\n  - 2\n",
    );
}

/// A block collection under a key replaced by a scalar: the scalar goes after the key (a block
/// sequence may sit at its key's column, where a scalar would read as a key), and a comment after
/// the key stays.
#[test]
fn yaml_block_collection_replaced_by_a_scalar() {
    check(
        "c:\n  x:\n  - 1\n  - null\n  y: 2\n",
        |v| v["c"]["x"] = json!("a: b"),
        "c:\n  x: 'a: b'\n  y: 2\n",
    );
    check(
        "x: # c\n  a: 1\n  b: 2\ny: 1\n",
        |v| v["x"] = json!(3),
        "x: 3 # c\ny: 1\n",
    );
    // A sequence at its key's column replaced by a mapping: the mapping is indented.
    check(
        "c:\n  x:\n  - {}\n  y: 2\n",
        |v| v["c"]["x"] = json!({"a": null}),
        "c:\n  x:\n    a: null\n  y: 2\n",
    );
}
