//! Real-world definitions, when a folder of them is given: `LAMBDA_SYNC_SPEC_CORPUS=/path`
//! loads every `.json`/`.yaml` file in it (for example the GitHub REST API description from
//! the npm package `@octokit/openapi`). Nothing is downloaded here.

use crate::{ordered, spec_files};
use lambda_sync_spec::{load_path, load_str};

#[test]
fn corpus_loads_and_round_trips() {
    let Some(dir) = crate::env_or_skip(
        "LAMBDA_SYNC_SPEC_CORPUS",
        "set it to a folder of definitions, e.g. the JSON files of the npm package @octokit/openapi",
    ) else {
        return;
    };
    // Files that are not OpenAPI definitions (a package.json) are passed over; any other
    // failure to load fails the test, and so does a folder with no definition at all.
    let mut loaded_files = 0;
    let mut failures = Vec::new();
    for path in spec_files(std::path::Path::new(&dir)) {
        let loaded = match load_path(&path) {
            Ok(l) => l,
            Err(lambda_sync_spec::Error::Version(e)) => {
                eprintln!("{}: not a definition: {e}", path.display());
                continue;
            }
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        loaded_files += 1;
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
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(loaded_files > 0, "no definition in {dir}");
}
