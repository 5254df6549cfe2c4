//! Writes the transform output of every fixture into a folder, for checking with an external
//! validator (`scripts/validate-compat.sh` runs `openapi-spec-validator` on each file).
//!
//! `cargo run -p lambda-sync-compat --example compat-fixtures -- OUTDIR`
//!
//! Each output keeps its input's name and format; a line `NAME VERSION` per file is printed on
//! stdout (the version of the output: `2.0` or `3.0`).

use lambda_sync_compat::{CompatOptions, transform};
use std::path::Path;

fn main() {
    let out_dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/compat-fixtures".to_string());
    let out_dir = Path::new(&out_dir);
    std::fs::create_dir_all(out_dir).expect("creates the output folder");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut inputs = Vec::new();
    for dir in [root.clone(), root.join("real")] {
        for entry in std::fs::read_dir(&dir).expect("reads the fixtures folder") {
            let path = entry.expect("lists a fixture").path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            ) {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    for path in inputs {
        let doc = lambda_sync_spec::load_path(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .document;
        let out = transform(&doc, &CompatOptions::default());
        let name = path.file_name().expect("file name");
        let text = out.document.to_text().expect("writes the output");
        std::fs::write(out_dir.join(name), text).expect("writes the output file");
        println!(
            "{} {}",
            name.to_string_lossy(),
            out.document.version().label()
        );
    }
}
