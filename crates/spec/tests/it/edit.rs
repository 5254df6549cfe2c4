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
        "# top\nopenapi: 3.0.3 # v\npaths: # all routes\n  /a:\n    get:   # op\n      responses: {'200': {description: ok}}\n      x-amazon-apigateway-integration:\n        type: aws\n        uri: arn:x\n        requestTemplates:\n          application/json: \"{\\n}\"\n\n# end\n",
    );
}
