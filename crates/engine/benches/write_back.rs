//! Benchmark: the write-back of a large real definition — the edits that put an
//! `x-amazon-apigateway-integration` (and any generated `operationId`) into every operation and
//! `x-aws-api-id` at the root, checked by parsing the result again — and, for comparison, the
//! full rewrite it replaces.
//!
//! `cargo bench -p lambda-sync --bench write_back -- FILE [RULE...]`: FILE is a definition (for
//! example GitHub's 13 MB `api.github.com.json` from the npm package `@octokit/openapi`); each
//! RULE is a compat rule switched off so that the definition prepares (GitHub's needs
//! `path-variable-conflict`). Without FILE a generated 2,000-operation definition is used.

use lambda_sync::{Config, Target, prepare, write_back_document};
use std::fmt::Write as _;
use std::time::Instant;

fn generated(operations: usize) -> String {
    let mut s =
        String::from("# generated\nopenapi: 3.0.3\ninfo: {title: Bench, version: '1'}\npaths:\n");
    for i in 0..operations {
        let _ = write!(
            s,
            "  /items{i}/{{id}}:   # item {i}\n    get:\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\n"
        );
    }
    s
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let (name, text) = match args.first() {
        Some(p) => (
            p.clone(),
            std::fs::read_to_string(p).expect("the definition is readable"),
        ),
        None => ("generated 2,000 operations".to_string(), generated(2000)),
    };
    let ext = if text.trim_start().starts_with('{') {
        "json"
    } else {
        "yaml"
    };
    let path = dir.path().join(format!("api.{ext}"));
    std::fs::write(&path, &text).expect("write");

    let t = Instant::now();
    let doc = lambda_sync_spec::load_path(&path).expect("loads").document;
    let load = t.elapsed();
    let config = Config {
        update_definition: true,
        disable_rules: args.iter().skip(1).cloned().collect(),
        ..Config::default()
    };
    let settings = config.resolve(Target::Local).expect("settings");
    let t = Instant::now();
    let prepared = prepare(&doc, &settings).expect("the definition prepares");
    let prep = t.elapsed();
    let target = write_back_document(&prepared, Some("a1b2c3d4e5"));

    let t = Instant::now();
    let edited = lambda_sync_spec::edit_text(&text, target.value()).expect("edits");
    let edit = t.elapsed();
    let t = Instant::now();
    let w = lambda_sync_spec::write_back(&doc, target.value(), &path).expect("writes");
    let write = t.elapsed();
    let t = Instant::now();
    let full = target.to_text().expect("serialises");
    let rewrite = t.elapsed();
    let added: usize = edited.edits.iter().map(|e| e.text.len()).sum();
    println!(
        "{name}: {} bytes, {} operations",
        text.len(),
        doc.operations().len()
    );
    println!("  load {load:.2?}, prepare {prep:.2?}");
    println!(
        "  edit_text {edit:.2?} ({} edits, {added} bytes added, {} warnings; includes the re-parse check)",
        edited.edits.len(),
        edited.warnings.len()
    );
    println!(
        "  write_back (read, fingerprint, edit, atomic write) {write:.2?}; written: {}",
        w.written
    );
    println!(
        "  full rewrite (serialise only, for comparison) {rewrite:.2?}, {} bytes",
        full.len()
    );
}
