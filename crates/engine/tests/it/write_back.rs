//! Write-back edits the user's file: over every fixture, the written text reads as the
//! AWS-ready definition, and undoing the edits gives back the original bytes.

use lambda_sync::aws::FakeAws;
use lambda_sync::integration::IntegrationType;
use lambda_sync::{Config, prepare, write_back_document};
use lambda_sync_spec::{Edited, Format, TextEdit, edit_text, parse};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture_dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const HANDWRITTEN: &str = include_str!("../fixtures/write-back/handwritten.yaml");

/// Every YAML and JSON fixture of the workspace that a push accepts, by name.
fn fixtures() -> Vec<(String, String)> {
    let mut out = vec![("handwritten.yaml".to_string(), HANDWRITTEN.to_string())];
    for dir in [
        "../compat/tests/fixtures",
        "../compat/tests/fixtures/real",
        "../integration/tests/fixtures",
    ] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(fixture_dir(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| Format::from_path(p).is_some())
            .collect();
        entries.sort();
        for p in entries {
            let text = std::fs::read_to_string(&p).unwrap();
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), text));
        }
    }
    out
}

/// The text variants a fixture is tried in: as it is, CRLF, a BOM, and (from its value) JSON
/// with 2 spaces, 4 spaces, tabs, and minified.
fn variants(text: &str) -> Vec<(&'static str, String)> {
    let value = parse(text).unwrap().0;
    let pretty = |unit: &[u8]| {
        use serde::Serialize;
        let mut buf = Vec::new();
        let f = serde_json::ser::PrettyFormatter::with_indent(unit);
        value
            .serialize(&mut serde_json::Serializer::with_formatter(&mut buf, f))
            .unwrap();
        String::from_utf8(buf).unwrap() + "\n"
    };
    vec![
        ("as is", text.to_string()),
        ("crlf", text.replace('\n', "\r\n")),
        ("bom", format!("\u{feff}{text}")),
        ("json 2", pretty(b"  ")),
        ("json 4 crlf", pretty(b"    ").replace('\n', "\r\n")),
        ("json tab", pretty(b"\t")),
        ("json minified", serde_json::to_string(&value).unwrap()),
    ]
}

/// The document a full rewrite would write (the AWS-ready definition with the API id), or
/// `None` when a push refuses the definition.
fn wanted(text: &str, config: Config, api_id: Option<&str>) -> Option<Value> {
    wanted_and_repairs(text, config, api_id).map(|(v, _)| v)
}

/// [`wanted`], and whether compat changed anything (else write-back only adds).
fn wanted_and_repairs(text: &str, config: Config, api_id: Option<&str>) -> Option<(Value, bool)> {
    let loaded = lambda_sync_spec::load_str(text).ok()?;
    if loaded.has_errors() {
        return None;
    }
    let settings = config.resolve(lambda_sync::Target::Local).unwrap();
    let prepared = prepare(&loaded.document, &settings).ok()?;
    let repaired = !prepared.changes.is_empty();
    Some((
        write_back_document(&prepared, api_id).into_value(),
        repaired,
    ))
}

fn same_in_order(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same_in_order(va, vb))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_in_order(a, b))
        }
        _ => a == b,
    }
}

/// Takes the edits out of the edited text again: the original bytes must come back.
fn undo(source: &str, edited: &Edited) -> String {
    let mut back = String::new();
    let (mut src, mut out) = (0, 0);
    for TextEdit { start, end, text } in &edited.edits {
        let same = start - src;
        back.push_str(&edited.text[out..out + same]);
        out += same + text.len();
        back.push_str(&source[*start..*end]);
        src = *end;
    }
    back.push_str(&edited.text[out..]);
    back
}

#[track_caller]
fn check(name: &str, source: &str, target: &Value) -> Edited {
    let edited = edit_text(source, target).unwrap_or_else(|e| panic!("{name}: {e}"));
    let back = parse(edited.text.trim_start_matches('\u{feff}')).unwrap().0;
    assert!(
        same_in_order(&back, target),
        "{name}: reads back differently"
    );
    assert_eq!(undo(source, &edited), source, "{name}: undoing the edits");
    // A second write-back has nothing to do.
    let again = edit_text(&edited.text, target).unwrap();
    assert!(again.edits.is_empty(), "{name}: a second write-back edits");
    // The file's line breaks are used.
    if source.contains("\r\n") {
        for e in &edited.edits {
            assert!(
                !e.text.replace("\r\n", "").contains('\n'),
                "{name}: a bare line feed in {:?}",
                e.text
            );
        }
    }
    edited
}

#[test]
fn every_fixture_in_every_variant() {
    let config = || Config {
        update_definition: true,
        ..Config::default()
    };
    let mut checked = 0;
    let mut only_insertions = 0;
    for (name, text) in fixtures() {
        let Some(_) = wanted(&text, config(), Some("a1b2c3d4e5")) else {
            continue;
        };
        for (variant, source) in variants(&text) {
            let (target, repaired) =
                wanted_and_repairs(&source, config(), Some("a1b2c3d4e5")).unwrap();
            let label = format!("{name} ({variant})");
            let edited = check(&label, &source, &target);
            checked += 1;
            // Without compat repairs, write-back only inserts: removing the added text gives
            // back the original bytes.
            if !repaired {
                assert!(
                    edited.edits.iter().all(|e| e.start == e.end),
                    "{label}: {:?}",
                    edited.edits
                );
                only_insertions += 1;
            }
        }
    }
    assert!(
        checked >= 7 * 40,
        "only {checked} fixture variants were checked"
    );
    assert!(
        only_insertions >= 7 * 10,
        "only {only_insertions} insertion-only variants"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random fixture, text variant, integration type, API id, and operationIds removed.
    #[test]
    fn write_back_reads_as_a_full_rewrite_and_undoes_to_the_original(
        pick in any::<prop::sample::Index>(),
        variant in 0usize..7,
        proxy in any::<bool>(),
        api_id in proptest::option::of("[a-z0-9]{10}"),
        drop in proptest::collection::vec(any::<bool>(), 0..64),
    ) {
        let all = fixtures();
        let (name, text) = &all[pick.index(all.len())];
        // Remove some block-style `operationId:` lines, so that generated ones are written back.
        let mut n = 0;
        let text: String = text
            .split_inclusive('\n')
            .filter(|line| {
                if line.trim_start().starts_with("operationId:") && !line.contains('{') {
                    n += 1;
                    !drop.get(n).copied().unwrap_or(false)
                } else {
                    true
                }
            })
            .collect();
        let config = Config {
            update_definition: true,
            integration: if proxy { IntegrationType::AwsProxy } else { IntegrationType::Aws },
            ..Config::default()
        };
        prop_assume!(wanted(&text, config.clone(), api_id.as_deref()).is_some());
        let (label, source) = variants(&text).swap_remove(variant);
        let target = wanted(&source, config, api_id.as_deref()).unwrap();
        check(&format!("{name} ({label})"), &source, &target);
    }
}

/// The hand-written fixture through a real push: only added lines, in the file's own style.
#[tokio::test]
async fn handwritten_fixture_gets_only_added_lines() {
    for (variant, source) in [
        ("lf", HANDWRITTEN.to_string()),
        ("crlf", HANDWRITTEN.replace('\n', "\r\n")),
        (
            "bom crlf",
            format!("\u{feff}{}", HANDWRITTEN.replace('\n', "\r\n")),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("api.yaml");
        std::fs::write(&path, &source).unwrap();
        let account = FakeAws::default();
        let config = Config {
            update_definition: true,
            ..Config::default()
        };
        let d = lambda_sync_spec::load_path(&path).unwrap().document;
        let r = super::engine(&account, config.clone())
            .push_and_write_back(&d, None, &path)
            .await
            .unwrap();
        assert!(r.definition_written, "{variant}");
        // The two one-line flow mappings get their members inline, and say so.
        let wb: Vec<&String> = r
            .warnings
            .iter()
            .filter(|w| w.starts_with("write-back"))
            .collect();
        assert_eq!(wb.len(), 2, "{variant}: {wb:?}");
        assert!(
            wb[0].contains("/paths/~1users/post: a flow mapping"),
            "{wb:?}"
        );
        assert!(
            wb[1].contains("/paths/~1health/get: a flow mapping"),
            "{wb:?}"
        );
        let written = std::fs::read_to_string(&path).unwrap();
        let target = wanted(&source, config.clone(), r.api_id.as_deref()).unwrap();
        let edited = check(variant, &source, &target);
        assert_eq!(written, edited.text, "{variant}");
        // Only insertions, each of whole lines in a block or one member in a flow mapping.
        for e in &edited.edits {
            assert_eq!(e.start, e.end, "{variant}: {e:?} replaces text");
        }
        if variant == "lf" {
            let added: Vec<String> = edited
                .edits
                .iter()
                .map(|e| {
                    let line = source[..e.start].matches('\n').count() + 1;
                    format!("@ line {line}\n{}", e.text)
                })
                .collect();
            insta::assert_snapshot!(
                added
                    .join("\n")
                    .replace(r.api_id.as_deref().unwrap(), "API_ID")
            );
        }
        // A second push writes nothing: same bytes, same modification time.
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        let d2 = lambda_sync_spec::load_path(&path).unwrap().document;
        let again = super::engine(&account, config)
            .push_and_write_back(&d2, None, &path)
            .await
            .unwrap();
        assert!(!again.definition_written, "{variant}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            before
        );
    }
}

#[tokio::test]
async fn a_file_changed_since_it_was_read_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api.yaml");
    std::fs::write(&path, HANDWRITTEN).unwrap();
    let d = lambda_sync_spec::load_path(&path).unwrap().document;
    let edited_meanwhile = format!("{HANDWRITTEN}# saved in the editor meanwhile\n");
    std::fs::write(&path, &edited_meanwhile).unwrap();
    let account = FakeAws::default();
    let config = Config {
        update_definition: true,
        ..Config::default()
    };
    let failure = super::engine(&account, config)
        .push_and_write_back(&d, None, &path)
        .await
        .unwrap_err();
    assert!(
        matches!(
            failure.error,
            lambda_sync::Error::Spec(lambda_sync_spec::Error::Changed { .. })
        ),
        "{failure}"
    );
    assert!(
        failure.to_string().contains("changed after it was read"),
        "{failure}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited_meanwhile);
    // Nothing but the file is left in the folder (no temporary file).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
