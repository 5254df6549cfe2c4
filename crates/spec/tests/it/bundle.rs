//! External `$ref`s are bundled into the one document API Gateway takes.

use crate::{fixture, ordered};
use lambda_sync_spec::pointer::{Reference, parse_ref};
use lambda_sync_spec::{Diagnostic, Document, Loader, collect_refs, load_path, load_str};
use serde_json::Value;

/// Every `$ref` of the document is local and resolves.
#[track_caller]
fn all_refs_local_and_resolving(doc: &Document) {
    let refs = collect_refs(doc.value());
    for site in refs {
        match parse_ref(&site.target) {
            Some(Reference::Local(p)) => assert!(
                doc.value().pointer(&p).is_some(),
                "{} at {} does not resolve",
                site.target,
                site.pointer
            ),
            other => panic!(
                "{} at {} is not local: {other:?}",
                site.target, site.pointer
            ),
        }
    }
}

fn rules(diags: &[Diagnostic]) -> Vec<(&str, &str)> {
    diags
        .iter()
        .map(|d| (d.rule.as_str(), d.pointer.as_str()))
        .collect()
}

#[test]
fn bundles_external_refs_into_components() {
    let loaded = load_path(fixture("bundle/main.yaml")).unwrap();
    assert_eq!(loaded.diagnostics, vec![], "no diagnostics");
    let doc = &loaded.document;
    all_refs_local_and_resolving(doc);
    let v = doc.value();

    let names: Vec<&str> = v["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        names,
        ["Local", "Pet", "common", "Pet_2", "A", "Tag", "Owner", "B"]
    );
    // The external Pet, its own `#/definitions/Tag`, a third file, and the main file.
    let pet = &v["components"]["schemas"]["Pet"]["properties"];
    assert_eq!(pet["tag"]["$ref"], "#/components/schemas/Tag");
    assert_eq!(pet["owner"]["$ref"], "#/components/schemas/Owner");
    assert_eq!(pet["local"]["$ref"], "#/components/schemas/Local");
    assert_eq!(
        v["components"]["schemas"]["Pet_2"]["description"],
        "a second schema called Pet, from another file"
    );
    // The loop across two files ends, each schema copied once.
    assert_eq!(
        v["components"]["schemas"]["A"]["properties"]["b"]["$ref"],
        "#/components/schemas/B"
    );
    assert_eq!(
        v["components"]["schemas"]["B"]["properties"]["a"]["$ref"],
        "#/components/schemas/A"
    );
    // A parameter and a response go to their sections; the same parameter referenced from two
    // files is copied once.
    assert_eq!(v["components"]["parameters"].as_object().unwrap().len(), 1);
    assert_eq!(v["components"]["parameters"]["Limit"]["name"], "limit");
    assert_eq!(
        v["components"]["responses"]["NotFound"]["description"],
        "not found"
    );
    // The path item is inlined, its own refs rewritten.
    let pets = &v["paths"]["/pets"];
    assert_eq!(pets["get"]["operationId"], "listPets");
    assert_eq!(
        pets["get"]["parameters"][0]["$ref"],
        "#/components/parameters/Limit"
    );

    let ops = doc.operations();
    let ids: Vec<_> = ops.iter().map(|o| o.operation_id.unwrap()).collect();
    assert_eq!(ids, ["listPets", "getPet", "getOther"]);
    assert_eq!(ops[1].parameters[1].name, "limit");
    assert_eq!(
        ops[0].parameters[0].resolved_pointer.as_deref(),
        Some("/components/parameters/Limit")
    );

    insta::assert_yaml_snapshot!("bundled_main", v);
    // The bundled document keeps no trace of the files: loaded from text, it is the same.
    let again = load_str(&doc.to_text().unwrap()).unwrap();
    assert_eq!(again.diagnostics, vec![]);
    assert_eq!(ordered(again.document.value()), ordered(v));
}

#[test]
fn broken_external_refs_are_diagnostics_at_the_ref() {
    let loaded = load_path(fixture("bundle/broken.yaml")).unwrap();
    let props = "/paths/~1x/get/responses/200/schema/properties";
    assert_eq!(
        rules(&loaded.diagnostics),
        vec![
            (
                "unresolved-ref",
                format!("{props}/missingFile/$ref").as_str()
            ),
            (
                "unresolved-ref",
                format!("{props}/missingFragment/$ref").as_str()
            ),
            ("remote-ref", format!("{props}/remote/$ref").as_str()),
        ]
    );
    let d = &loaded.diagnostics;
    assert!(d[0].message.contains("missing.yaml"), "{}", d[0].message);
    assert!(
        d[1].message.contains("`#/Nope` does not exist"),
        "{}",
        d[1].message
    );
    assert!(d[2].message.contains("never downloads"), "{}", d[2].message);
    // Each is located at its `$ref` in broken.yaml (line 14, 15, 16).
    let lines: Vec<_> = d.iter().map(|d| (d.line, d.column)).collect();
    assert_eq!(
        lines,
        vec![
            (Some(14), Some(29)),
            (Some(15), Some(33)),
            (Some(16), Some(24))
        ]
    );

    // The rest is bundled, Swagger 2.0 style.
    let v = loaded.document.value();
    assert_eq!(
        v["paths"]["/x"]["get"]["parameters"][0]["$ref"],
        "#/parameters/Limit"
    );
    assert_eq!(v["parameters"]["Limit"]["type"], "integer");
    assert_eq!(
        v["definitions"]["Pet"]["properties"]["tag"]["$ref"],
        "#/definitions/Tag"
    );
    // `main.yaml` is just another file here: its `Local` collides with this file's `Local`.
    assert_eq!(
        v["definitions"]["Pet"]["properties"]["local"]["$ref"],
        "#/definitions/Local_2"
    );
    assert_eq!(
        v["definitions"]["Local_2"]["description"],
        "referred to from an external file"
    );
    insta::assert_yaml_snapshot!("bundled_broken_definitions", v["definitions"]);
}

#[test]
fn path_items_that_refer_to_each_other_end() {
    let loaded = load_path(fixture("bundle/inline-loop.yaml")).unwrap();
    let doc = &loaded.document;
    all_refs_local_and_resolving(doc);
    let v = doc.value();
    assert_eq!(
        v["paths"]["/a"]["get"]["responses"]["200"]["links"]["again"]["$ref"],
        "#/paths/~1a"
    );
    assert_eq!(v["paths"]["/self"]["$ref"], "#/paths/~1self");
    assert_eq!(doc.operations().len(), 1);
}

#[test]
fn text_without_a_folder_cannot_resolve_files() {
    let text = std::fs::read_to_string(fixture("bundle/main.yaml")).unwrap();
    let loaded = load_str(&text).unwrap();
    assert!(!loaded.diagnostics.is_empty());
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.rule == "unresolved-ref")
    );
    assert!(
        loaded.diagnostics[0]
            .message
            .contains("not loaded from a file")
    );
    assert!(loaded.diagnostics.iter().all(|d| d.line.is_some()));

    let from_dir = Loader::new()
        .with_base_dir(fixture("bundle"))
        .load_str(&text)
        .unwrap();
    assert_eq!(from_dir.diagnostics, vec![]);
    let from_file = load_path(fixture("bundle/main.yaml")).unwrap();
    // The main file is not recognised from text, so its `Local` is copied in as `Local_2`.
    assert!(from_dir.document.value()["components"]["schemas"]["Local_2"].is_object());
    assert!(from_file.document.value()["components"]["schemas"]["Local_2"].is_null());
}

#[test]
fn external_refs_can_be_turned_off() {
    let loaded = Loader::new()
        .with_external_refs(false)
        .load_path(fixture("bundle/broken.yaml"))
        .unwrap();
    let got: Vec<_> = loaded.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(
        got,
        [
            "external-ref",
            "external-ref",
            "external-ref",
            "remote-ref",
            "external-ref"
        ]
    );
    assert!(loaded.document.value()["definitions"]["Pet"].is_null());
}

#[test]
fn too_many_files_is_a_diagnostic() {
    let loaded = Loader::new()
        .with_max_external_files(2)
        .load_path(fixture("bundle/main.yaml"))
        .unwrap();
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("more than 2 external files")),
        "{:?}",
        loaded.diagnostics
    );
}

/// Path items that each link to the next (and twice, to multiply): bundling inlines them,
/// within the nesting limit and a bounded number of copies.
#[test]
fn chains_of_inlined_path_items_stay_bounded() {
    let dir = tempfile::tempdir().unwrap();
    for (name, links_per_item) in [("chain", 1), ("fanout", 2)] {
        let mut paths = serde_json::Map::new();
        for i in 0..300 {
            let mut links = serde_json::Map::new();
            for l in 0..links_per_item {
                links.insert(
                    format!("next{l}"),
                    serde_json::json!({"$ref": format!("#/paths/~1p{}", i + 1)}),
                );
            }
            paths.insert(
                format!("/p{i}"),
                serde_json::json!({"get": {"responses": {"200": {"description": "ok", "links": links}}}}),
            );
        }
        let ext = serde_json::json!({"paths": paths});
        std::fs::write(dir.path().join(format!("{name}.json")), ext.to_string()).unwrap();
        let main = dir.path().join(format!("{name}-main.yaml"));
        std::fs::write(
            &main,
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /start:\n    $ref: '{name}.json#/paths/~1p0'\n"),
        )
        .unwrap();
        let loaded = load_path(&main).unwrap();
        assert!(
            loaded.diagnostics.iter().any(|d| d.rule == "unresolved-ref"
                && (d.message.contains("levels deep")
                    || d.message.contains("more than 10000 values"))),
            "{name}: {:?}",
            loaded.diagnostics.first()
        );
        let text = loaded.document.to_text().unwrap();
        load_str(&text).unwrap_or_else(|e| panic!("{name}: the bundled document reloads: {e}"));
    }
}

#[test]
fn sub_values_and_whole_files() {
    // The whole file `common.json` is one schema named after the file.
    let v: Value = load_path(fixture("bundle/main.yaml"))
        .unwrap()
        .document
        .into_value();
    let default_schema = &v["paths"]["/pets/{petId}"]["get"]["responses"]["default"]["content"]["application/json"]
        ["schema"];
    assert_eq!(default_schema["$ref"], "#/components/schemas/common");
    assert_eq!(
        v["components"]["schemas"]["common"]["properties"]["code"]["type"],
        "integer"
    );
}
