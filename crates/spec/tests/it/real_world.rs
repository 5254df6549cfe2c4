//! Real-world definitions, when a folder of them is given: `LAMBDA_SYNC_SPEC_CORPUS=/path`
//! loads every `.json`/`.yaml` file in it (for example the GitHub REST API description from
//! the npm package `@octokit/openapi`). Nothing is downloaded here.

use crate::{ordered, spec_files};
use lambda_sync_spec::{load_path, load_str};

#[test]
fn corpus_loads_and_round_trips() {
    let Some(dir) = std::env::var_os("LAMBDA_SYNC_SPEC_CORPUS") else {
        return;
    };
    for path in spec_files(std::path::Path::new(&dir)) {
        let loaded = match load_path(&path) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        let doc = &loaded.document;
        let ops = doc.operations();
        eprintln!(
            "{}: {} {}, {} operations, {} schemas, {} cycles, {} diagnostics",
            path.display(),
            doc.version(),
            doc.format(),
            ops.len(),
            doc.schemas().len(),
            doc.schema_cycles().len(),
            loaded.diagnostics.len()
        );
        for d in loaded.diagnostics.iter().take(5) {
            eprintln!("  {d}");
        }
        let text = doc.to_text().unwrap();
        let again = load_str(&text).unwrap();
        assert_eq!(
            ordered(again.document.value()),
            ordered(doc.value()),
            "{}",
            path.display()
        );
    }
}
