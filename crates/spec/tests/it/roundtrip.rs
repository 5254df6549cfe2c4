//! Loading and writing back keeps every key, in place, with its value, in the input's format.

use crate::{fixtures, ordered, spec_files};
use lambda_sync_spec::{Format, load_path, load_str, parse, to_text};

#[test]
fn every_fixture_round_trips() {
    let files = spec_files(&fixtures());
    assert!(files.len() >= 20, "fixtures went missing: {files:?}");
    let mut documents = 0;
    for path in &files {
        let name = path.strip_prefix(fixtures()).unwrap().display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let expected_format = Format::from_path(path).unwrap();

        // Every fixture, definition or fragment, round-trips through the parser and writer.
        let (value, format) = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            format, expected_format,
            "{name}: format detected from content"
        );
        let written = to_text(&value, format).unwrap();
        let (again, format_again) = parse(&written).unwrap();
        assert_eq!(
            format_again, format,
            "{name}: YAML stays YAML, JSON stays JSON"
        );
        assert_eq!(
            ordered(&again),
            ordered(&value),
            "{name}: keys, order and values"
        );
        if format == Format::Json {
            assert_eq!(
                written, text,
                "{name}: 2-space JSON re-serialises byte for byte"
            );
        }

        // Definitions round-trip through the loader too (bundled ones compare after bundling).
        if let Ok(loaded) = load_path(path) {
            documents += 1;
            let doc = &loaded.document;
            assert_eq!(doc.format(), expected_format, "{name}");
            let text2 = doc.to_text().unwrap();
            let reloaded = load_str(&text2).unwrap();
            assert_eq!(reloaded.document.format(), doc.format(), "{name}");
            assert_eq!(
                ordered(reloaded.document.value()),
                ordered(doc.value()),
                "{name}: load → to_text → load"
            );
            assert_eq!(
                reloaded.document.to_text().unwrap(),
                text2,
                "{name}: stable"
            );
        }
    }
    assert!(
        documents >= 8,
        "only {documents} fixtures loaded as definitions"
    );
}

#[test]
fn json_keeps_two_space_indent_and_trailing_newline() {
    let loaded = load_str(
        "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{}}",
    )
    .unwrap();
    assert_eq!(
        loaded.document.to_text().unwrap(),
        "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\n    \"title\": \"t\",\n    \"version\": \"1\"\n  },\n  \"paths\": {}\n}\n"
    );
}

#[test]
fn yaml_output_keeps_order_and_quotes_what_needs_quotes() {
    let src = "openapi: 3.0.0\ninfo:\n  version: '1.0'\n  title: t\npaths: {}\nx-z: 'yes'\nx-a: '007'\nx-n: 'null'\n";
    let loaded = load_str(src).unwrap();
    let out = loaded.document.to_text().unwrap();
    insta::assert_snapshot!(out, @r"
    openapi: 3.0.0
    info:
      version: '1.0'
      title: t
    paths: {}
    x-z: yes
    x-a: '007'
    x-n: 'null'
    ");
    assert_eq!(
        ordered(load_str(&out).unwrap().document.value()),
        ordered(loaded.document.value())
    );
}

#[test]
fn write_to_replaces_the_file_atomically_in_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let src = crate::fixture("specs/petstore-v3.json");
    let path = dir.path().join("api.json");
    std::fs::copy(&src, &path).unwrap();
    let loaded = load_path(&path).unwrap();
    loaded.document.write_to(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&src).unwrap());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}
