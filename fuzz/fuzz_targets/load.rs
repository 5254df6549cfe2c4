//! Arbitrary bytes into the loader, and what loads into every view.
#![no_main]

use lambda_sync_spec::{Diagnostic, Loader, collect_refs, load_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Only text loaded from bytes: no base folder, so no file is read.
    let Ok(loaded) = Loader::new().with_max_size(1 << 20).load_bytes(data) else {
        return;
    };
    let doc = &loaded.document;
    for op in doc.operations() {
        let _ = op.path_template_names();
        let _ = op.parameters.len() + op.responses.len();
    }
    let _ = doc.schemas();
    let graph = doc.schema_graph();
    let cycles = doc.schema_cycles();
    let _ = graph.cyclic_components();
    assert_eq!(cycles, doc.schema_cycles(), "cycles are deterministic");
    let _ = collect_refs(doc.value());

    // Locate every diagnostic, and a pointer to every ref.
    let mut diags = loaded.diagnostics.clone();
    for d in &mut diags {
        d.line = None;
        d.column = None;
    }
    diags.extend(
        collect_refs(doc.value())
            .into_iter()
            .map(|r| Diagnostic::warning("fuzz", r.ref_pointer(), "")),
    );
    doc.locate(&mut diags);

    // What was loaded writes back and loads again, the same.
    let text = doc.to_text().expect("a loaded document can be written");
    let again = load_str(&text).expect("what was written loads again");
    assert_eq!(
        serde_json::to_string(again.document.value()).unwrap(),
        serde_json::to_string(doc.value()).unwrap(),
        "round trip"
    );
});
