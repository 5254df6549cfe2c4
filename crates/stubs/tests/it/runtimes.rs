//! The runtime catalogue and `check_runtime`.

use lambda_sync_stubs::{
    DEFAULT_RUNTIME, Date, Error, Family, NodeModule, check_runtime, runtime, runtimes,
};

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn catalogue_covers_node_12_to_24_and_python_36_to_314() {
    let ids: Vec<&str> = runtimes().iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        [
            "nodejs12.x",
            "nodejs14.x",
            "nodejs16.x",
            "nodejs18.x",
            "nodejs20.x",
            "nodejs22.x",
            "nodejs24.x",
            "python3.6",
            "python3.7",
            "python3.8",
            "python3.9",
            "python3.10",
            "python3.11",
            "python3.12",
            "python3.13",
            "python3.14",
        ]
    );
    for r in runtimes() {
        for d in [r.deprecated, r.block_create, r.block_update]
            .into_iter()
            .flatten()
        {
            Date::parse(d).unwrap_or_else(|_| panic!("{}: bad date {d}", r.id));
        }
        if let (Some(c), Some(u)) = (r.block_create, r.block_update) {
            assert!(
                day(c) <= day(u),
                "{}: creation is blocked before updates",
                r.id
            );
        }
        assert!(runtime(r.replacement).is_some());
        assert_eq!(runtime(r.replacement).unwrap().family, r.family);
        match r.family {
            Family::Node => {
                assert_eq!(r.handler, "index.handler");
                assert_eq!(r.replacement, "nodejs24.x");
                let esm = r.node_module() == Some(NodeModule::Esm);
                assert_eq!(r.handler_file, if esm { "index.mjs" } else { "index.js" });
            }
            Family::Python => {
                assert_eq!(r.handler, "lambda_function.lambda_handler");
                assert_eq!(r.handler_file, "lambda_function.py");
                assert_eq!(r.replacement, "python3.14");
                assert_eq!(r.node_module(), None);
            }
        }
    }
    assert_eq!(runtime("nodejs18.x").unwrap().handler_file, "index.mjs");
    assert_eq!(runtime("nodejs16.x").unwrap().handler_file, "index.js");
}

#[test]
fn default_runtime_is_current() {
    let rt = runtime(DEFAULT_RUNTIME).unwrap();
    assert_eq!(
        check_runtime(DEFAULT_RUNTIME, day("2026-11-28")).unwrap(),
        Vec::<String>::new()
    );
    assert!(!rt.is_deprecated(day("2027-12-31")));
}

#[track_caller]
fn check(id: &str, today: &str, expect: &str) {
    let got = match check_runtime(id, day(today)) {
        Ok(w) if w.is_empty() => "ok".to_string(),
        Ok(w) => format!("warn: {}", w.join(" | ")),
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expect);
}

#[test]
fn check_runtime_by_date() {
    check("nodejs24.x", "2026-11-28", "ok");
    check("python3.14", "2026-11-28", "ok");
    check("nodejs22.x", "2026-11-28", "ok");
    check(
        "nodejs22.x",
        "2027-03-01",
        "warn: nodejs22.x will be deprecated on 2027-04-30, in 60 days; AWS blocks creating functions with it from 2027-06-01 and updating them from 2027-07-01; consider nodejs24.x",
    );
    check(
        "nodejs20.x",
        "2026-11-28",
        "warn: nodejs20.x was deprecated on 2026-04-30; AWS blocks creating functions with it from 2027-02-01 and updating them from 2027-03-03; move to nodejs24.x",
    );
    check(
        "nodejs20.x",
        "2027-02-01",
        "error: AWS Lambda has blocked creating functions with nodejs20.x since 2027-02-01; use nodejs24.x instead",
    );
    check(
        "nodejs12.x",
        "2026-11-28",
        "error: AWS Lambda has blocked creating functions with nodejs12.x since 2023-03-31; use nodejs24.x instead",
    );
    check(
        "python3.8",
        "2026-11-28",
        "error: AWS Lambda has blocked creating functions with python3.8 since 2025-10-01; use python3.14 instead",
    );
    check(
        "python3.11",
        "2027-07-01",
        "warn: python3.11 was deprecated on 2027-06-30; move to python3.14",
    );
    // The day before a deprecation is not yet deprecated.
    check("python3.12", "2028-08-01", "ok");
    assert!(check_runtime("python3.12", day("2028-10-30")).unwrap()[0].contains("in 1 days"));
}

#[test]
fn unknown_runtime_lists_known_ones() {
    let err = check_runtime("java21", day("2026-11-28")).unwrap_err();
    assert!(matches!(err, Error::UnknownRuntime { .. }));
    let msg = err.to_string();
    assert!(
        msg.starts_with("unknown Lambda runtime \"java21\"; known runtimes: nodejs12.x, "),
        "{msg}"
    );
    assert!(msg.ends_with("python3.14"), "{msg}");
    assert!(runtime("nodejs").is_none());
}

#[test]
fn dates() {
    assert_eq!(day("2026-11-28").to_string(), "2026-11-28");
    assert_eq!(day("1970-01-01").days_since_epoch(), 0);
    assert_eq!(day("2026-11-28").days_since_epoch(), 20_785);
    assert_eq!(
        day("2024-02-29").days_since_epoch() - day("2024-02-28").days_since_epoch(),
        1
    );
    for bad in [
        "2026-2-28",
        "2026-13-01",
        "2023-02-29",
        "2026-11-28T00:00",
        "",
        "+026-11-28",
        "2026-00-10",
    ] {
        assert!(Date::parse(bad).is_err(), "{bad}");
    }
    assert!(day("2026-12-31") < day("2027-01-01"));
}

/// The newest runtime of a family is never refused, whatever the day: the catalogue may be out
/// of date, so the check warns and points to the `runtime` setting instead.
#[test]
fn newest_of_a_family_is_never_refused() {
    for (id, today, step) in [
        (
            "nodejs24.x",
            "2031-07-01",
            "blocks creating functions with it from 2028-06-01",
        ),
        ("nodejs24.x", "2028-05-01", "deprecates it on 2028-04-30"),
        (
            "python3.14",
            "2040-01-01",
            "blocks creating functions with it from 2029-07-31",
        ),
    ] {
        let warnings = check_runtime(id, day(today)).unwrap();
        assert_eq!(warnings.len(), 1, "{id} on {today}: {warnings:?}");
        let w = &warnings[0];
        for part in [step, id, "may be out of date", "runtime = ", "2026-11-28"] {
            assert!(w.contains(part), "{id} on {today}: {w}");
        }
    }
    // An older one is still refused on the same day.
    assert!(matches!(
        check_runtime("nodejs22.x", day("2031-07-01")),
        Err(Error::RuntimeBlocked { .. })
    ));
    for family in [Family::Node, Family::Python] {
        let newest: Vec<_> = runtimes()
            .iter()
            .filter(|r| r.family == family && r.is_newest())
            .collect();
        assert_eq!(newest.len(), 1, "{family:?}");
    }
}
