//! Bad input gets a clear error: no panic, no hang, no stack overflow.

use lambda_sync_spec::{
    Error, Format, Loader, MAX_DEPTH, collect_refs, load_bytes, load_path, load_str,
};

/// Loads `input` and expects an error whose message contains `needle` and, when given, whose
/// position is `pos`.
#[track_caller]
fn check_err(input: &[u8], needle: &str, pos: Option<(usize, usize)>) -> Error {
    let err = load_bytes(input).expect_err("expected an error");
    let msg = err.to_string();
    assert!(msg.contains(needle), "message: {msg}\nexpected: {needle}");
    if let Some(pos) = pos {
        assert_eq!(err.position(), Some(pos), "{msg}");
        assert!(msg.contains(&format!("line {}", pos.0)), "{msg}");
    }
    err
}

#[test]
fn malformed_yaml_has_line_and_column() {
    let err = check_err(
        b"openapi: 3.0.0\ninfo:\n  title: t\n   version: 1\npaths: {}\n",
        "YAML syntax error",
        None,
    );
    let (line, _) = err.position().expect("a position");
    assert_eq!(line, 4, "{err}");
    check_err(
        b"openapi: 3.0.0\ninfo: {title: t\npaths: {}\n",
        "YAML syntax error",
        None,
    );
    let err = load_bytes(b"openapi: 3.0.0\npaths:\n  /a: [1, 2\n").unwrap_err();
    assert!(err.position().is_some(), "{err}");
    let err = load_bytes(b"a: b\na: c\n").unwrap_err();
    assert!(err.to_string().contains("duplicate"), "{err}");
    assert!(err.position().is_some(), "{err}");
    check_err(b"key: \"unterminated\n", "YAML syntax error", None);
    check_err(b"\t- tab indented\n", "YAML syntax error", None);
}

#[test]
fn malformed_json_has_line_and_column() {
    check_err(
        b"{\n  \"openapi\": \"3.0.0\",\n  \"info\": }\n",
        "JSON syntax error",
        Some((3, 11)),
    );
    check_err(
        b"{\"openapi\": \"3.0.0\",}",
        "JSON syntax error",
        Some((1, 21)),
    );
    check_err(
        b"{\"openapi\": \"3.0.0\"",
        "JSON syntax error",
        Some((1, 19)),
    );
    check_err(b"[1, 2", "JSON syntax error", None);
    // Not JSON, but a YAML flow mapping would not be an object either: the JSON error wins.
    check_err(b"{\"a\": 1} trailing", "JSON syntax error", Some((1, 10)));
}

#[test]
fn yaml_billion_laughs_is_refused() {
    let mut doc = String::from(
        "openapi: 3.0.0\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        doc.push_str(&format!(
            "lol{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    check_err(doc.as_bytes(), "billion laughs", None);
    // The same shape through the merge-key route.
    let mut doc = String::from(
        "openapi: 3.0.0\nbase: &b {x: 1}\nm: {<<: *b}\nl0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        doc.push_str(&format!(
            "l{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    check_err(doc.as_bytes(), "billion laughs", None);
}

#[test]
fn a_few_aliases_are_fine() {
    let loaded = load_str(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a {k: [1, 2]}\nx-b: *a\nx-c: *a\n",
    )
    .unwrap();
    assert_eq!(loaded.document.value()["x-c"]["k"][1], 2);
}

#[test]
fn recursive_alias_is_an_error() {
    let err = load_bytes(b"openapi: 3.0.0\na: &x [1, *x]\n").unwrap_err();
    assert!(matches!(err, Error::Parse { .. }), "{err:?}");
}

fn deep_forms(depth: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "json arrays",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "json objects",
            format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth)),
        ),
        (
            "json inside a definition",
            format!(
                "{{\"openapi\": \"3.0.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"x-deep\": {}{}}}",
                "[".repeat(depth),
                "]".repeat(depth)
            ),
        ),
        (
            "yaml flow sequences",
            format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "yaml flow mappings",
            format!("a: {}1{}\n", "{a: ".repeat(depth), "}".repeat(depth)),
        ),
        ("yaml block sequences", format!("{}x\n", "- ".repeat(depth))),
        (
            "yaml block mappings",
            (0..depth.min(2_000))
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect::<String>(),
        ),
    ]
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    for (form, text) in deep_forms(10_000) {
        let err = load_bytes(text.as_bytes()).expect_err(form);
        let msg = err.to_string();
        assert!(msg.contains("nesting is deeper than 128"), "{form}: {msg}");
    }
}

#[test]
fn nesting_up_to_the_limit_loads_and_every_operation_copes() {
    // The deepest document the parsers take goes through every walk of the crate.
    for fmt in [Format::Json, Format::Yaml] {
        let mut loaded_depth = 0;
        for depth in (MAX_DEPTH - 8)..(MAX_DEPTH + 8) {
            let inner = depth - 4; // root, components, schemas, Deep
            let mut schema = serde_json::json!({"$ref": "#/components/schemas/Missing"});
            for _ in 0..inner {
                schema = serde_json::json!({ "items": schema });
            }
            let doc = serde_json::json!({
                "openapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {"schemas": {"Deep": schema}}
            });
            let text = lambda_sync_spec::to_text(&doc, fmt).unwrap();
            match load_str(&text) {
                Ok(loaded) => {
                    loaded_depth = depth;
                    let doc = &loaded.document;
                    assert_eq!(collect_refs(doc.value()).len(), 1);
                    let d = &loaded.diagnostics;
                    assert_eq!(d.len(), 1, "{d:?}");
                    assert!(d[0].line.is_some(), "located: {:?}", d[0]);
                    assert!(doc.schema_cycles().is_empty());
                    let written = doc.to_text().unwrap();
                    let again = load_str(&written).unwrap();
                    assert_eq!(again.document.value(), doc.value());
                }
                Err(e) => assert!(e.to_string().contains("nesting"), "{fmt} {depth}: {e}"),
            }
        }
        assert!(
            loaded_depth >= MAX_DEPTH - 2,
            "{fmt}: loaded up to {loaded_depth}"
        );
    }
}

/// Writes a valid JSON definition of about `size` bytes.
fn big_spec(size: usize) -> Vec<u8> {
    let mut out = String::with_capacity(size + 10_000);
    out.push_str(
        "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"big\", \"version\": \"1\"}, \"paths\": {",
    );
    let description = "lorem ipsum dolor sit amet ".repeat(200);
    let mut i = 0;
    while out.len() < size {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "\n  \"/r{i}/{{id}}\": {{\"get\": {{\"operationId\": \"op{i}\", \"description\": \"{description}\", \"parameters\": [{{\"name\": \"id\", \"in\": \"path\", \"required\": true, \"schema\": {{\"type\": \"string\"}}}}], \"responses\": {{\"200\": {{\"description\": \"ok\"}}}}}}}}"
        ));
        i += 1;
    }
    out.push_str("}}\n");
    out.into_bytes()
}

#[test]
fn fifty_megabytes() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    std::fs::write(&big, big_spec(50 << 20)).unwrap();
    let loaded = load_path(&big).unwrap();
    assert!(loaded.diagnostics.is_empty());
    assert!(loaded.document.operations().len() > 9_000);
    drop(loaded);

    // 50 MB of garbage: printable noise, and noise behind an opening brace.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut noise: Vec<u8> = (0..50usize << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let table = b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~\n";
            table[(state % table.len() as u64) as usize]
        })
        .collect();
    let garbage = dir.path().join("garbage.yaml");
    std::fs::write(&garbage, &noise).unwrap();
    assert!(load_path(&garbage).is_err());
    noise[0] = b'{';
    std::fs::write(&garbage, &noise).unwrap();
    assert!(load_path(&garbage).is_err());
    // Binary garbage stops at the first byte that is not UTF-8.
    noise[100] = 0xFF;
    let err = load_bytes(&noise).unwrap_err();
    assert!(matches!(err, Error::NotUtf8 { offset: 100, .. }), "{err:?}");
}

#[test]
fn non_utf8_is_refused_with_its_position() {
    let err = check_err(
        b"openapi: 3.0.0\ninfo:\n  title: caf\xE9\n",
        "not valid UTF-8",
        Some((3, 13)),
    );
    assert!(matches!(err, Error::NotUtf8 { offset: 33, .. }), "{err:?}");
    // Columns count characters, not bytes.
    let mut bytes = "a: \"ü€".as_bytes().to_vec();
    bytes.push(0xC3); // a truncated sequence
    let err = load_bytes(&bytes).unwrap_err();
    assert_eq!(err.position(), Some((1, 7)), "{err}");
    check_err(b"\xFF\xFF\xFF", "not valid UTF-8", Some((1, 1)));
}

#[test]
fn byte_order_marks() {
    let yaml = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let json =
        "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
    for (text, fmt) in [(yaml, Format::Yaml), (json, Format::Json)] {
        let mut utf8 = vec![0xEF, 0xBB, 0xBF];
        utf8.extend(text.as_bytes());
        let loaded = load_bytes(&utf8).unwrap();
        assert_eq!(loaded.document.format(), fmt);
        assert!(!loaded.document.to_text().unwrap().starts_with('\u{feff}'));
        for le in [true, false] {
            let mut utf16 = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in text.encode_utf16() {
                utf16.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            let loaded = load_bytes(&utf16).unwrap();
            assert_eq!(loaded.document.format(), fmt);
            assert_eq!(loaded.document.title(), Some("t"));
        }
    }
    // A lone surrogate or an odd byte count in UTF-16 is an error, not a panic.
    let err = load_bytes(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]).unwrap_err();
    assert!(err.to_string().contains("UTF-16"), "{err}");
    assert!(load_bytes(&[0xFF, 0xFE, 0x41]).is_err());
    assert!(load_bytes(&[0xFF, 0xFE]).is_err());
}

#[test]
fn files_that_are_not_there_or_not_files() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_path(dir.path()).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("is a directory"), "{err}");
    let missing = dir.path().join("nope.yaml");
    let err = load_path(&missing).unwrap_err();
    match &err {
        Error::Io { path, source } => {
            assert_eq!(path, &missing);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("nope.yaml"), "{err}");
}

#[test]
fn size_limit() {
    let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let loader = Loader::new().with_max_size(10);
    let err = loader.load_str(text).unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: 10, .. }), "{err:?}");
    assert!(
        err.to_string().contains("more than the limit of 10 bytes"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api.yaml");
    std::fs::write(&path, text).unwrap();
    let err = loader.load_path(&path).unwrap_err();
    assert!(matches!(err, Error::TooLarge { size, limit: 10 } if size == text.len() as u64));
    assert!(
        Loader::new()
            .with_max_size(text.len() as u64)
            .load_path(&path)
            .is_ok()
    );
    // A device whose size the metadata does not tell: reading stops after the limit.
    if std::path::Path::new("/dev/zero").exists() {
        let err = Loader::new()
            .with_max_size(1 << 20)
            .load_path("/dev/zero")
            .unwrap_err();
        assert!(
            matches!(err, Error::TooLarge { limit: 1048576, .. }),
            "{err:?}"
        );
    }
}

#[test]
fn duplicate_keys_are_errors_at_the_second_key() {
    // JSON: serde_json alone would keep the last `/pets` and silently drop the first.
    let err = check_err(
        b"{\"openapi\": \"3.0.0\",\n \"paths\": {\n  \"/pets\": {},\n  \"/pets\": {}\n }\n}",
        "duplicate key `/pets` in one object",
        None,
    );
    assert_eq!(err.position().map(|p| p.0), Some(4), "{err}");
    // YAML: the YAML parser places the error at the object that holds the duplicate.
    let err = check_err(
        b"openapi: 3.0.0\npaths:\n  /a: {}\n  /a: {}\n",
        "paths: duplicate key `/a` in one object",
        None,
    );
    assert_eq!(err.position().map(|p| p.0), Some(3), "{err}");
    // Objects with many members take another route; the same rule holds.
    let mut big = String::from("{\"openapi\": \"3.0.0\", \"paths\": {");
    for i in 0..100 {
        big.push_str(&format!("\"/p{i}\": {{}}, "));
    }
    big.push_str("\"/p7\": {}}}");
    check_err(big.as_bytes(), "duplicate key `/p7`", None);
    let unique = big.replace("\"/p7\": {}}}", "\"/p100\": {}}}");
    let v = lambda_sync_spec::parse_json(&unique).unwrap();
    assert_eq!(v["paths"].as_object().unwrap().len(), 101);
    assert_eq!(
        v["paths"].as_object().unwrap().keys().nth(100).unwrap(),
        "/p100"
    );
}

#[test]
fn aliases_cannot_nest_past_the_limit() {
    // Each alias adds a level: an anchor 100 deep used 50 levels down is 150 deep.
    let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let nested = format!("{}*a{}", "[".repeat(50), "]".repeat(50));
    let text = format!(
        "openapi: 3.0.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-a: &a {deep}\nx-b: {nested}\n"
    );
    let err = load_str(&text).unwrap_err();
    assert!(
        err.to_string().contains("nesting is deeper than 128"),
        "{err}"
    );
    // The same through the merge-key route.
    let text = format!("{text}x-m: {{<<: {{k: 1}}}}\n");
    let err = load_str(&text).unwrap_err();
    assert!(
        err.to_string().contains("nesting is deeper than 128"),
        "{err}"
    );
}

/// Shapes that cost quadratic time in a naive loader: an operation with 20,000 parameters, a
/// path with 20,000 template names, and 5,000 external schemas of one name.
#[test]
fn hostile_shapes_load() {
    let n = 20_000;
    for (path, params) in [(n, 1), (1, n)] {
        let path: String = (0..path).map(|i| format!("/{{p{i}}}")).collect();
        let params: Vec<serde_json::Value> = (0..params)
            .map(|i| serde_json::json!({"name": format!("p{}", i + 1), "in": "path", "required": true, "type": "string"}))
            .collect();
        let count = params.len();
        let doc = serde_json::json!({
            "swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {path: {"get": {"parameters": params, "responses": {}}}}
        });
        let loaded = load_str(&doc.to_string()).unwrap();
        // Ten diagnostics of a rule per operation, then one that counts the rest.
        let d = &loaded.diagnostics;
        let rule = if count == 1 {
            "undeclared-path-parameter"
        } else {
            "unused-path-parameter"
        };
        let other = if count == 1 {
            "unused-path-parameter"
        } else {
            "undeclared-path-parameter"
        };
        assert_eq!(
            d.iter().filter(|d| d.rule == rule).count(),
            11,
            "{:?}",
            d.last()
        );
        assert_eq!(
            d.iter().filter(|d| d.rule == other).count(),
            usize::from(count > 1)
        );
        let more = if count == 1 {
            "19989 more"
        } else {
            "19990 more"
        };
        assert!(
            d.iter().any(|d| d.message.starts_with(more)),
            "{:?}",
            d.last()
        );
        assert_eq!(loaded.document.operations()[0].parameters.len(), count);
    }

    let dir = tempfile::tempdir().unwrap();
    let m = 5_000;
    let ext: serde_json::Map<String, serde_json::Value> = (0..m)
        .map(|i| {
            (
                format!("g{i}"),
                serde_json::json!({"Pet": {"type": "string", "maxLength": i}}),
            )
        })
        .collect();
    std::fs::write(
        dir.path().join("pets.json"),
        serde_json::Value::Object(ext).to_string(),
    )
    .unwrap();
    let refs: serde_json::Map<String, serde_json::Value> = (0..m)
        .map(|i| {
            (
                format!("p{i}"),
                serde_json::json!({"$ref": format!("pets.json#/g{i}/Pet")}),
            )
        })
        .collect();
    let main = serde_json::json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "definitions": {"All": {"properties": refs}}
    });
    let main_path = dir.path().join("main.json");
    std::fs::write(&main_path, main.to_string()).unwrap();
    let loaded = load_path(&main_path).unwrap();
    assert_eq!(loaded.diagnostics, vec![]);
    let defs = loaded.document.value()["definitions"].as_object().unwrap();
    assert_eq!(defs.len(), m + 1);
    assert_eq!(defs[&format!("Pet_{m}")]["maxLength"], m - 1);
}

/// Deep YAML flow nesting is refused by the linear pre-scan before the YAML parser reads the
/// document: the error points at the first `[` beyond the limit even when the document is
/// never closed (the parser, had it run, would report the unclosed end instead), and the scan
/// stepped over the text up to that bracket only, whatever follows it.
#[test]
fn deep_yaml_flow_is_refused_before_the_parser_reads_it() {
    use lambda_sync_spec::{flow_depth, parse_yaml};
    let prefix = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-deep: ";
    for (form, open) in [("sequences", "["), ("mappings", "{a: "), ("mixed", "[{a: ")] {
        let per = open.matches(['[', '{']).count();
        let opens_to_refusal = MAX_DEPTH / per + 1;
        for size in [10_000, 100_000, 1_000_000] {
            let text = format!("{prefix}{}!@`", open.repeat(size / open.len()));
            let err = parse_yaml(&text).expect_err(form);
            let msg = err.to_string();
            assert!(msg.contains("nesting is deeper than 128"), "{form}: {msg}");
            // The first bracket beyond the limit: line 4, after `x-deep: `.
            let (line, column) = err.position().expect("a position");
            assert_eq!(line, 4, "{form}: {msg}");
            let before = &text[prefix.len()..];
            let at = before
                .char_indices()
                .filter(|(_, c)| matches!(c, '[' | '{'))
                .nth(MAX_DEPTH)
                .map(|(i, _)| i)
                .unwrap();
            assert_eq!(column, "x-deep: ".len() + at + 1, "{form} {size}");
            let scan = flow_depth(&text, MAX_DEPTH);
            assert_eq!(scan.max, MAX_DEPTH + 1);
            assert_eq!(scan.too_deep_at, Some((line, column)));
            // Work done: the bytes up to the refused bracket, the same for every size.
            assert!(
                scan.steps <= prefix.len() + opens_to_refusal * open.len(),
                "{form} {size}: {} steps",
                scan.steps
            );
        }
    }
}

/// The pre-scan reads quoted, plain and block scalars and comments as YAML does: brackets in
/// them are not nesting, so a definition full of them loads.
#[test]
fn brackets_inside_scalars_are_not_nesting() {
    let deep = "[".repeat(500);
    let text = format!(
        "openapi: 3.0.0\ninfo:\n  title: '{deep}'\n  version: \"{deep}\"\n  description: |\n    {deep}\n    {deep}\n  summary: >-\n\n      {deep}\n  x-plain: a {deep}\n    continued {deep}\n  # {deep}\n  x-flow: ['{deep}', \"{deep}\"]\npaths: {{}}\n"
    );
    let loaded = load_str(&text).expect("loads");
    let v = loaded.document.value();
    assert_eq!(v["info"]["title"], deep.as_str());
    assert_eq!(
        v["info"]["description"],
        format!("{deep}\n{deep}\n").as_str()
    );
    assert_eq!(lambda_sync_spec::flow_depth(&text, MAX_DEPTH).max, 1);
}
