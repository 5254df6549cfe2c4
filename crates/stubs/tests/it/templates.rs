//! Template overrides and their errors.

use lambda_sync_stubs::{Error, Templates, render, runtime};

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn override_replaces_only_the_named_template() {
    let dir = dir_with(&[
        (
            "lambda_function.py.hbs",
            "# custom {{runtime}}\ndef lambda_handler(event, context):\n    return {{message_literal}}\n",
        ),
        ("README.md", "not a template, ignored"),
    ]);
    let t = Templates::from_dir(dir.path()).unwrap();
    let c = &crate::petstore()[0];
    let py = render(c, runtime("python3.13").unwrap(), &t).unwrap();
    assert_eq!(
        py.source,
        "# custom python3.13\ndef lambda_handler(event, context):\n    return \"created by lambda-sync\"\n"
    );
    let js = render(c, runtime("nodejs24.x").unwrap(), &t).unwrap();
    let builtin = render(c, runtime("nodejs24.x").unwrap(), &Templates::builtin()).unwrap();
    assert_eq!(js, builtin);
}

#[test]
fn overriding_a_partial_changes_both_node_templates() {
    let dir = dir_with(&[("node_header.hbs", "// {{function_name}} by me\n")]);
    let t = Templates::from_dir(dir.path()).unwrap();
    for rt in ["nodejs16.x", "nodejs24.x"] {
        let s = render(&crate::petstore()[0], runtime(rt).unwrap(), &t).unwrap();
        assert!(
            s.source.starts_with("// getUserByName by me\n\n"),
            "{}",
            s.source
        );
    }
}

#[test]
fn broken_template_names_file_and_line() {
    let dir = dir_with(&[(
        "index.mjs.hbs",
        "// ok\n// ok\nexport const handler = {{#each fields}}\n",
    )]);
    let err = Templates::from_dir(dir.path()).unwrap_err();
    let Error::Template { file, line, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(file.ends_with("index.mjs.hbs"), "{file}");
    assert!(file.contains(&*dir.path().to_string_lossy()), "{file}");
    assert!(line.is_some(), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("index.mjs.hbs") && msg.contains("line"),
        "{msg}"
    );
}

#[test]
fn unknown_variable_is_an_error_in_strict_mode() {
    let dir = dir_with(&[("index.mjs.hbs", "line one\n{{no_such_thing}}\n")]);
    let t = Templates::from_dir(dir.path()).unwrap();
    let err = render(&crate::petstore()[0], runtime("nodejs24.x").unwrap(), &t).unwrap_err();
    let Error::Render { file, line, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(file.ends_with("index.mjs.hbs"), "{file}");
    assert_eq!(*line, Some(2), "{err}");
    assert!(err.to_string().contains("no_such_thing"), "{err}");
}

#[test]
fn misspelt_override_is_an_error() {
    let dir = dir_with(&[("index.cjs.hbs", "x")]);
    let err = Templates::from_dir(dir.path()).unwrap_err();
    assert!(matches!(err, Error::UnknownTemplate { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("index.cjs.hbs") && msg.contains("index.mjs.hbs"),
        "{msg}"
    );
}

#[test]
fn missing_directory_is_an_io_error() {
    let err = Templates::from_dir("/definitely/not/here").unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
}

#[test]
fn builtin_sources_can_seed_an_override_dir() {
    let dir = tempfile::tempdir().unwrap();
    for f in Templates::file_names() {
        std::fs::write(dir.path().join(f), Templates::builtin_source(f).unwrap()).unwrap();
    }
    let t = Templates::from_dir(dir.path()).unwrap();
    for c in crate::petstore() {
        for rt in ["nodejs16.x", "nodejs24.x", "python3.14"] {
            let rt = runtime(rt).unwrap();
            assert_eq!(
                render(&c, rt, &t).unwrap(),
                render(&c, rt, &Templates::builtin()).unwrap()
            );
        }
    }
    assert_eq!(Templates::builtin_source("nope.hbs"), None);
}

#[test]
fn html_is_not_escaped() {
    let mut c = crate::petstore()[0].clone();
    c.summary = Some("<b>&amp; \"x\" 'y'</b>".into());
    let s = render(&c, runtime("nodejs24.x").unwrap(), &Templates::builtin()).unwrap();
    assert!(
        s.source.contains("// <b>&amp; \"x\" 'y'</b>\n"),
        "{}",
        s.source
    );
}
