//! Benchmark: write-back as text edits on a large definition. Every operation gets an
//! `x-amazon-apigateway-integration` block like the one a push adds (and an `operationId` when it
//! has none), the root gets `x-aws-api-id`; `edit_text` makes the edits and parses the result
//! again to check it. The full rewrite it replaces is timed for comparison.
//!
//! `cargo bench -p lambda-sync-spec --bench write_back -- FILE` (for example GitHub's 13 MB
//! `api.github.com.json` from the npm package `@octokit/openapi`).

use serde_json::{Value, json};
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench -p lambda-sync-spec --bench write_back -- FILE");
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable");
    let t = Instant::now();
    let loaded = lambda_sync_spec::load_str(&text).expect("loads");
    let load = t.elapsed();
    let mut target = loaded.document.value().clone();
    let mut operations = 0;
    if let Some(paths) = target.get_mut("paths").and_then(Value::as_object_mut) {
        for (p, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (m, op) in item.iter_mut() {
                let Some(op) = op.as_object_mut() else {
                    continue;
                };
                if !["get", "put", "post", "delete", "patch", "head", "options"]
                    .contains(&m.as_str())
                {
                    continue;
                }
                operations += 1;
                let name = format!("op{operations}");
                if !op.contains_key("operationId") {
                    op.insert("operationId".into(), json!(name));
                }
                op.insert(
                    "x-amazon-apigateway-integration".into(),
                    json!({
                        "type": "aws",
                        "uri": format!("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:{name}/invocations"),
                        "httpMethod": "POST",
                        "passthroughBehavior": "when_no_templates",
                        "requestTemplates": {"application/json": format!("## {m} {p}\n#set($params = $input.params())\n{{\n}}")},
                        "responses": {"default": {"statusCode": "200"}}
                    }),
                );
            }
        }
    }
    target["x-aws-api-id"] = json!("a1b2c3d4e5");
    let t = Instant::now();
    let edited = lambda_sync_spec::edit_text(&text, &target).expect("edits");
    let edit = t.elapsed();
    let t = Instant::now();
    let again = lambda_sync_spec::edit_text(&edited.text, &target).expect("edits");
    let second = t.elapsed();
    let t = Instant::now();
    let full = lambda_sync_spec::to_text(&target, loaded.document.format()).expect("serialises");
    let rewrite = t.elapsed();
    let added: usize = edited.edits.iter().map(|e| e.text.len()).sum();
    println!("{path}: {} bytes, {operations} operations", text.len());
    println!("  load {load:.2?}");
    println!(
        "  edit_text {edit:.2?}: {} edits, {added} bytes added, {} warnings (includes parsing the result again)",
        edited.edits.len(),
        edited.warnings.len()
    );
    println!(
        "  second write-back {second:.2?}: {} edits",
        again.edits.len()
    );
    println!(
        "  full rewrite (serialise only) {rewrite:.2?}, {} bytes",
        full.len()
    );
}
