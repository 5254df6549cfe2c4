//! Identifiers, comments and literals.

use lambda_sync_stubs::{
    Family, base_identifier, comment_lines, is_reserved, runtime, string_literal, view_model,
};
use proptest::prelude::*;

#[track_caller]
fn check_ident(name: &str, js: &str, py: &str) {
    assert_eq!(base_identifier(Family::Node, name), js, "js of {name:?}");
    assert_eq!(
        base_identifier(Family::Python, name),
        py,
        "python of {name:?}"
    );
}

#[test]
fn identifiers_are_readable() {
    check_ident("username", "username", "username");
    check_ident("petId", "petId", "pet_id");
    check_ident("X-Request-ID", "xRequestId", "x_request_id");
    check_ident("api_key", "apiKey", "api_key");
    check_ident("HTTPMethod", "httpMethod", "http_method");
    check_ident("page[size]", "pageSize", "page_size");
    check_ident("v2Name", "v2Name", "v2_name");
    check_ident("2fa", "_2fa", "_2fa");
    check_ident("名前", "param", "param");
    check_ident("", "param", "param");
    check_ident("$filter", "filter", "filter");
}

#[track_caller]
fn check_names(family: Family, keys: &[&str], expect: &[&str]) {
    let fields = keys
        .iter()
        .map(|k| {
            crate::field(
                k,
                lambda_sync_integration::FieldSource::Query,
                None,
                None,
                false,
                None,
            )
        })
        .collect();
    let c = crate::contract(
        "f",
        lambda_sync_spec::HttpMethod::Get,
        "/",
        "",
        Default::default(),
        fields,
        200,
        vec![],
    );
    let rt = match family {
        Family::Node => runtime("nodejs24.x").unwrap(),
        Family::Python => runtime("python3.14").unwrap(),
    };
    let names: Vec<String> = view_model(&c, rt)
        .fields
        .into_iter()
        .map(|f| f.ident)
        .collect();
    assert_eq!(names, expect);
}

#[test]
fn identifiers_avoid_reserved_words_and_collisions() {
    check_names(
        Family::Node,
        &[
            "class", "from", "import", "default", "return", "await", "event", "context", "JSON",
            "None",
        ],
        &[
            "class_", "from_", "import_", "default_", "return_", "await_", "event_", "context_",
            "json", "none",
        ],
    );
    check_names(
        Family::Python,
        &[
            "class", "from", "import", "None", "True", "lambda", "id", "type", "json", "event",
            "context", "match",
        ],
        &[
            "class_", "from_", "import_", "none", "true", "lambda_", "id_", "type_", "json_",
            "event_", "context_", "match_",
        ],
    );
    check_names(
        Family::Node,
        &["petId", "pet_id", "PetID", "pet-id"],
        &["petId", "petId2", "petId3", "petId4"],
    );
    check_names(
        Family::Python,
        &["class", "class_", "Class"],
        &["class_", "class_2", "class_3"],
    );
    check_names(
        Family::Node,
        &["名前", "", "ü"],
        &["param", "param2", "param3"],
    );
}

#[test]
fn access_uses_brackets_when_the_key_is_not_an_identifier() {
    let fields = ["X-Request-ID", "petId", "class", "a\u{2028}b"]
        .iter()
        .map(|k| {
            crate::field(
                k,
                lambda_sync_integration::FieldSource::Header,
                None,
                None,
                false,
                None,
            )
        })
        .collect();
    let c = crate::contract(
        "f",
        lambda_sync_spec::HttpMethod::Get,
        "/",
        "",
        Default::default(),
        fields,
        200,
        vec![],
    );
    let js: Vec<String> = view_model(&c, runtime("nodejs24.x").unwrap())
        .fields
        .into_iter()
        .map(|f| f.access)
        .collect();
    assert_eq!(
        js,
        [
            "event[\"X-Request-ID\"]",
            "event.petId",
            "event.class",
            "event[\"a\\u2028b\"]"
        ]
    );
    let py: Vec<String> = view_model(&c, runtime("python3.14").unwrap())
        .fields
        .into_iter()
        .map(|f| f.access)
        .collect();
    assert_eq!(
        py,
        [
            "event.get(\"X-Request-ID\")",
            "event.get(\"petId\")",
            "event.get(\"class\")",
            "event.get(\"a\\u2028b\")"
        ]
    );
}

#[test]
fn comments() {
    assert_eq!(
        comment_lines("  \n\nfirst\r\n\tsecond */ \"\"\"  \n\n"),
        ["first", " second */ \"\"\""]
    );
    assert_eq!(
        comment_lines("a\u{2028}b\u{2029}c\u{85}d\re"),
        ["a", "b", "c", "d", "e"]
    );
    assert_eq!(
        comment_lines("nul\0 esc\u{1b} bidi\u{202e} bom\u{feff}"),
        ["nul\\u0000 esc\\u001b bidi\\u202e bom\\ufeff"]
    );
    assert!(comment_lines("\n \n").is_empty());
}

#[test]
fn reserved_words() {
    for w in [
        "class",
        "default",
        "await",
        "event",
        "context",
        "JSON",
        "undefined",
    ] {
        assert!(is_reserved(Family::Node, w), "{w}");
    }
    for w in [
        "class", "None", "lambda", "id", "print", "json", "match", "_",
    ] {
        assert!(is_reserved(Family::Python, w), "{w}");
    }
    assert!(!is_reserved(Family::Node, "petId"));
    assert!(!is_reserved(Family::Python, "pet_id"));
}

fn valid_ident(family: Family, s: &str) -> bool {
    let mut cs = s.chars();
    cs.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_reserved(family, s)
}

fn raw_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202e}' | '\u{feff}')
}

proptest! {
    #[test]
    fn literal_round_trips_through_json(s in any::<String>()) {
        let lit = string_literal(&s);
        prop_assert_eq!(serde_json::from_str::<String>(&lit).unwrap(), s);
        prop_assert!(!lit.chars().any(raw_unsafe), "{}", lit);
    }

    #[test]
    fn comment_lines_are_single_clean_lines(s in any::<String>()) {
        for line in comment_lines(&s) {
            prop_assert!(!line.chars().any(raw_unsafe), "{}", line);
        }
    }

    #[test]
    fn identifiers_are_valid_unique_and_unreserved(keys in prop::collection::vec(crate::hostile::text(), 0..12)) {
        let mut keys = keys;
        keys.sort();
        keys.dedup();
        let fields = keys
            .iter()
            .map(|k| crate::field(k, lambda_sync_integration::FieldSource::Query, None, None, false, None))
            .collect();
        let c = crate::contract("f", lambda_sync_spec::HttpMethod::Get, "/", "", Default::default(), fields, 200, vec![]);
        for (family, rt) in [(Family::Node, "nodejs24.x"), (Family::Python, "python3.14")] {
            let names: Vec<String> = view_model(&c, runtime(rt).unwrap()).fields.into_iter().map(|f| f.ident).collect();
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), names.len());
            for n in &names {
                prop_assert!(valid_ident(family, n), "{}", n);
            }
        }
    }
}
