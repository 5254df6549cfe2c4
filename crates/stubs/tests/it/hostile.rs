//! Generated hostile contracts: every stub compiles and runs, in batches.

use lambda_sync_integration::{
    ErrorResponse, EventContract, EventField, FieldSource, IntegrationType,
};
use lambda_sync_spec::HttpMethod;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

/// Pieces that have broken code generators: comment and string terminators, template
/// syntax, line terminators of every kind, NUL and other controls, bidi overrides, words
/// that are reserved somewhere, and ordinary letters.
const PIECES: &[&str] = &[
    "*/",
    "/*",
    "//",
    "#",
    "\"\"\"",
    "'''",
    "\"",
    "'",
    "`",
    "${",
    "}",
    "{{",
    "}}",
    "\\",
    "\\u",
    "\n",
    "\r",
    "\r\n",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{b}",
    "\u{c}",
    "\0",
    "\u{1b}",
    "\u{7f}",
    "\u{202e}",
    "\u{2066}",
    "\u{feff}",
    "\t",
    " ",
    "-",
    "_",
    "$",
    ".",
    "[",
    "]",
    "0",
    "9",
    "a",
    "Z",
    "é",
    "名",
    "😀",
    "class",
    "None",
    "import",
    "await",
    "event",
    "context",
    "json",
    "JSON",
    "<!--",
    "-->",
    "</script>",
    "coding: latin-1",
    "-*- coding: ascii -*-",
    "process.exit(1)",
    "__proto__",
];

pub fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..8).prop_map(|v| v.concat())
}

fn source() -> impl Strategy<Value = FieldSource> {
    prop_oneof![
        Just(FieldSource::Path),
        Just(FieldSource::Query),
        Just(FieldSource::Header),
        Just(FieldSource::Body),
    ]
}

fn raw_field() -> impl Strategy<Value = EventField> {
    (
        text(),
        text(),
        source(),
        prop::option::of(text()),
        prop::option::of(text()),
        any::<bool>(),
        prop::option::of(text()),
    )
        .prop_map(
            |(key, name, source, type_name, format, required, description)| EventField {
                key,
                source,
                name,
                type_name,
                format,
                required,
                description,
                segment: None,
            },
        )
}

fn error_response() -> impl Strategy<Value = ErrorResponse> {
    (
        prop::sample::select(&[400u16, 403, 404, 409, 500][..]),
        prop::option::of(text()),
        text(),
        text(),
    )
        .prop_map(
            |(status, description, prefix, selection_pattern)| ErrorResponse {
                status,
                description,
                message_prefix: format!("[{status}]{prefix}"),
                selection_pattern,
            },
        )
}

/// A contract with hostile text everywhere. Keys are unique, as the integration crate
/// guarantees, and so are names within one proxy container (API Gateway's maps are keyed by
/// them); at most one field is the body.
pub fn contract() -> impl Strategy<Value = EventContract> {
    (
        (text(), text(), text()),
        (prop::option::of(text()), prop::option::of(text())),
        any::<bool>(),
        prop::collection::vec(raw_field(), 0..7),
        prop::sample::select(&[200u16, 201, 204][..]),
        prop::collection::vec(error_response(), 0..3),
    )
        .prop_map(
            |(
                (function_name, operation_id, path),
                (summary, description),
                proxy,
                raw,
                success_status,
                errors,
            )| {
                let mut fields: Vec<EventField> = Vec::new();
                for (i, mut f) in raw.into_iter().enumerate() {
                    if f.source == FieldSource::Body
                        && fields.iter().any(|g| g.source == FieldSource::Body)
                    {
                        f.source = FieldSource::Query;
                    }
                    if fields.iter().any(|g| g.key == f.key) {
                        f.key = format!("{}#{i}", f.key);
                    }
                    if fields
                        .iter()
                        .any(|g| g.source == f.source && g.name == f.name)
                    {
                        f.name = format!("{}#{i}", f.name);
                    }
                    fields.push(f);
                }
                EventContract {
                    function_name,
                    operation_id,
                    method: HttpMethod::Post,
                    path,
                    summary,
                    description,
                    integration: if proxy {
                        IntegrationType::AwsProxy
                    } else {
                        IntegrationType::Aws
                    },
                    fields,
                    success_status,
                    errors,
                }
            },
        )
}

/// 32 generated contracts (deterministic), rendered in every tested runtime with the built-in
/// and the echo templates, checked with node/python3 and executed in two processes.
#[test]
fn generated_hostile_contracts_compile_and_run() {
    let mut runner = TestRunner::deterministic();
    let strategy = contract();
    let contracts: Vec<EventContract> = (0..32)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    crate::exec::check_contracts("generated", &contracts);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Rendering never fails or panics with the built-in templates, and no line of a
    /// generated stub carries a raw control character or Unicode line separator.
    #[test]
    fn rendering_is_total_and_clean(contract in contract()) {
        let templates = lambda_sync_stubs::Templates::builtin();
        for rt in lambda_sync_stubs::runtimes() {
            let stub = lambda_sync_stubs::render(&contract, rt, &templates).unwrap();
            for c in stub.source.chars() {
                prop_assert!(c == '\n' || !(c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{202e}' || c == '\u{feff}'),
                    "raw {:?} in {}", c, rt.id);
            }
            // Rendering is deterministic.
            let again = lambda_sync_stubs::render(&contract, rt, &templates).unwrap();
            prop_assert_eq!(&stub, &again);
        }
    }
}
