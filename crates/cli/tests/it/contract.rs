//! The exit-code contract: every command × every failure class, one table.

use crate::{PETS, TestCommand};
use serde_json::Value;

/// A definition with an error (`check` finds it; `plan`/`push` refuse it before any call).
const FINDINGS: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n";

/// Files written into the project folder before a run: (name, text).
type Files = &'static [(&'static str, &'static str)];

/// One row: what is set up, the command line, the exit code and a piece of stderr.
struct Row {
    class: &'static str,
    files: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    code: i32,
    stderr: &'static str,
}

const fn row(
    class: &'static str,
    files: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    code: i32,
    stderr: &'static str,
) -> Row {
    Row {
        class,
        files,
        args,
        code,
        stderr,
    }
}

const GOOD: &[(&str, &str)] = &[("pets.yaml", PETS)];
const BAD: &[(&str, &str)] = &[("pets.yaml", FINDINGS)];
const MALFORMED: &[(&str, &str)] = &[("pets.yaml", "openapi: 3.0.3\ninfo: [unclosed\n")];
const BAD_REGION: &[(&str, &str)] = &[
    ("pets.yaml", PETS),
    ("lambda-sync.toml", "region = \"mars-1\"\n"),
];
const BAD_RULE: &[(&str, &str)] = &[
    ("pets.yaml", PETS),
    ("lambda-sync.toml", "disable_rules = [\"no-such-rule\"]\n"),
];
const BAD_TEMPLATE: &[(&str, &str)] = &[
    ("pets.yaml", PETS),
    ("lambda-sync.toml", "name_template = \"{nope}\"\n"),
];
const BAD_TOML: &[(&str, &str)] = &[("pets.yaml", PETS), ("lambda-sync.toml", "region = [\n")];
const GONE_API: &[(&str, &str)] = &[
    ("pets.yaml", PETS),
    ("lambda-sync.toml", "api_id = \"abc123\"\n"),
];

fn table() -> Vec<Row> {
    let mut rows = vec![
        // check
        row("ok", GOOD, &["check", "pets.yaml"], 0, "0 error(s)"),
        row("findings", BAD, &["check", "pets.yaml"], 1, "1 error(s)"),
        row(
            "missing",
            GOOD,
            &["check", "missing.yaml"],
            2,
            "missing.yaml: error: cannot read",
        ),
        row(
            "malformed",
            MALFORMED,
            &["check", "pets.yaml"],
            2,
            "pets.yaml:3:1: error: YAML syntax error",
        ),
        row(
            "bad flag",
            GOOD,
            &["check", "pets.yaml", "--disable", "no-such-rule"],
            2,
            "no-such-rule",
        ),
        row("usage", GOOD, &["check"], 2, "Usage"),
        // compat
        row(
            "ok",
            GOOD,
            &["compat", "pets.yaml", "-o", "out.yaml"],
            0,
            "change(s)",
        ),
        row(
            "missing",
            GOOD,
            &["compat", "missing.yaml"],
            2,
            "cannot read",
        ),
        row(
            "malformed",
            MALFORMED,
            &["compat", "pets.yaml"],
            2,
            "YAML syntax error",
        ),
        row(
            "bad flag",
            GOOD,
            &["compat", "pets.yaml", "--disable", "no-such-rule"],
            2,
            "no-such-rule",
        ),
        row(
            "unwritable",
            GOOD,
            &["compat", "pets.yaml", "-o", "no/such/dir/out.yaml"],
            2,
            "writing no/such/dir/out.yaml",
        ),
        // render
        row(
            "ok",
            GOOD,
            &["render", "pets.yaml", "-o", "out.json"],
            0,
            "bound to",
        ),
        row(
            "findings",
            BAD,
            &["render", "pets.yaml"],
            1,
            "nothing was sent or written",
        ),
        row(
            "missing",
            GOOD,
            &["render", "missing.yaml"],
            2,
            "cannot read",
        ),
        row(
            "bad region",
            GOOD,
            &["render", "pets.yaml", "--region", "mars-1"],
            2,
            "region",
        ),
        row(
            "bad rule",
            BAD_RULE,
            &["render", "pets.yaml"],
            2,
            "no-such-rule",
        ),
        row(
            "bad template",
            BAD_TEMPLATE,
            &["render", "pets.yaml"],
            2,
            "nope",
        ),
        row(
            "bad toml",
            BAD_TOML,
            &["render", "pets.yaml"],
            2,
            "lambda-sync.toml",
        ),
        row(
            "unwritable",
            GOOD,
            &["render", "pets.yaml", "-o", "no/such/dir/out.json"],
            2,
            "writing",
        ),
        // stubs
        row(
            "ok",
            GOOD,
            &["stubs", "pets.yaml", "--out-dir", "stubs"],
            0,
            "",
        ),
        row(
            "missing",
            GOOD,
            &["stubs", "missing.yaml", "--out-dir", "stubs"],
            2,
            "cannot read",
        ),
        row(
            "bad runtime",
            GOOD,
            &[
                "stubs",
                "pets.yaml",
                "--out-dir",
                "s",
                "--runtime",
                "cobol1",
            ],
            2,
            "runtime",
        ),
        row(
            "bad template",
            GOOD,
            &[
                "stubs",
                "pets.yaml",
                "--out-dir",
                "s",
                "--name-template",
                "{nope}",
            ],
            2,
            "nope",
        ),
        row(
            "unwritable",
            GOOD,
            &["stubs", "pets.yaml", "--out-dir", "pets.yaml/x"],
            2,
            "writing",
        ),
        row("usage", GOOD, &["stubs", "pets.yaml"], 2, "--out-dir"),
    ];
    // plan, push and watch share the sync flags and the failure classes.
    for cmd in ["plan", "push", "watch"] {
        let with = |extra: &'static [&'static str]| -> &'static [&'static str] {
            let mut v = vec![cmd, "pets.yaml"];
            if cmd == "watch" {
                v.extend(["--exit-after", "1"]);
            }
            v.extend(extra);
            Box::leak(v.into_boxed_slice())
        };
        let missing: &'static [&'static str] = Box::leak(
            [cmd, "missing.yaml"]
                .into_iter()
                .chain(if cmd == "watch" {
                    vec!["--exit-after", "1"]
                } else {
                    vec![]
                })
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
        rows.extend([
            row("ok", GOOD, with(&[]), 0, ""),
            row("findings", BAD, with(&[]), 1, "nothing was sent"),
            row(
                "missing",
                GOOD,
                missing,
                2,
                "missing.yaml: error: cannot read the definition",
            ),
            row("malformed", MALFORMED, with(&[]), 2, "YAML syntax error"),
            row("bad region", BAD_REGION, with(&[]), 2, "mars-1"),
            row(
                "bad region flag",
                GOOD,
                with(&["--region", "mars-1"]),
                2,
                "mars-1",
            ),
            row("bad rule", BAD_RULE, with(&[]), 2, "no-such-rule"),
            row(
                "bad rule flag",
                GOOD,
                with(&["--disable", "no-such-rule"]),
                2,
                "no-such-rule",
            ),
            row("bad template", BAD_TEMPLATE, with(&[]), 2, "nope"),
            row("bad toml", BAD_TOML, with(&[]), 2, "lambda-sync.toml"),
            row(
                "bad runtime",
                GOOD,
                with(&["--runtime", "cobol1"]),
                2,
                "runtime",
            ),
        ]);
        if cmd != "plan" {
            rows.push(row("failed sync", GONE_API, with(&[]), 1, "abc123"));
        }
    }
    // invoke and serve push first: the same classes, plus their own.
    for cmd in ["invoke", "serve"] {
        let with = |extra: &'static [&'static str]| -> &'static [&'static str] {
            let mut v = vec![cmd, "pets.yaml"];
            if cmd == "invoke" {
                v.extend(["GET", "/pets"]);
            } else {
                v.extend(["--port", "0"]);
            }
            v.extend(extra);
            Box::leak(v.into_boxed_slice())
        };
        rows.extend([
            row("findings", BAD, with(&[]), 1, "nothing was sent"),
            row("malformed", MALFORMED, with(&[]), 2, "YAML syntax error"),
            row("bad region", BAD_REGION, with(&[]), 2, "mars-1"),
            row("bad rule", BAD_RULE, with(&[]), 2, "no-such-rule"),
            row("bad template", BAD_TEMPLATE, with(&[]), 2, "nope"),
            row("failed sync", GONE_API, with(&[]), 1, "abc123"),
            row(
                "aws",
                GOOD,
                with(&["--aws", "--region", "eu-west-1"]),
                2,
                "drop --aws",
            ),
        ]);
    }
    rows.extend([
        row(
            "ok",
            GOOD,
            &["invoke", "pets.yaml", "GET", "/pets"],
            0,
            "HTTP 200",
        ),
        row(
            "not 2xx",
            GOOD,
            &["invoke", "pets.yaml", "GET", "/nowhere"],
            1,
            "not a 2xx status",
        ),
        row(
            "not 2xx allowed",
            GOOD,
            &["invoke", "pets.yaml", "GET", "/nowhere", "--any-status"],
            0,
            "HTTP 4",
        ),
        row(
            "missing data",
            GOOD,
            &[
                "invoke",
                "pets.yaml",
                "GET",
                "/pets",
                "--data",
                "@missing.json",
            ],
            2,
            "--data: reading missing.json",
        ),
        row(
            "bad query",
            GOOD,
            &["invoke", "pets.yaml", "GET", "/pets", "--query", "novalue"],
            2,
            "--query",
        ),
        row("usage", GOOD, &["invoke", "pets.yaml"], 2, "Usage"),
        row("usage", GOOD, &["frobnicate"], 2, "unrecognized subcommand"),
    ]);
    rows
}

#[test]
fn every_command_and_failure_class_has_its_exit_code() {
    let mut failures = Vec::new();
    let rows = table();
    for r in &rows {
        let t = TestCommand::new();
        for (name, text) in r.files {
            t.write(name, text);
        }
        let out = t.run(r.args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        if code != Some(r.code) || !stderr.contains(r.stderr) {
            failures.push(format!(
                "{} {:?}: exit {code:?} (want {}), stderr:\n{stderr}",
                r.class, r.args, r.code
            ));
        }
        // Nothing is said twice: no line of stderr repeats the file name after `error:`.
        for line in stderr.lines() {
            if let Some((before, after)) = line.split_once("error: ")
                && before.contains("missing.yaml")
                && after.contains("missing.yaml")
            {
                failures.push(format!("{:?}: repeated: {line}", r.args));
            }
        }
        // A usage failure sent nothing and wrote no account.
        if r.code == 2 {
            assert!(
                !t.path(".lambda-sync/account.json").exists(),
                "{:?} wrote the account",
                r.args
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// `--format json` covers every outcome: success, findings, an unloadable definition, a bad
/// configuration and a failed sync are each one JSON object on stdout with `ok` and
/// `exit_code`.
#[test]
fn json_covers_every_outcome() {
    let cases: &[(Files, &[&str], i32)] = &[
        (GOOD, &["push", "pets.yaml"], 0),
        (GOOD, &["plan", "pets.yaml"], 0),
        (BAD, &["push", "pets.yaml"], 1),
        (BAD, &["plan", "pets.yaml"], 1),
        (GOOD, &["push", "missing.yaml"], 2),
        (MALFORMED, &["plan", "pets.yaml"], 2),
        (MALFORMED, &["check", "pets.yaml"], 2),
        (BAD_RULE, &["push", "pets.yaml"], 2),
        (BAD_REGION, &["plan", "pets.yaml"], 2),
        (GONE_API, &["push", "pets.yaml"], 1),
        (GOOD, &["invoke", "pets.yaml", "GET", "/nowhere"], 1),
        (
            GOOD,
            &[
                "invoke",
                "pets.yaml",
                "GET",
                "/pets",
                "--data",
                "@missing.json",
            ],
            2,
        ),
    ];
    for (files, args, code) in cases {
        let t = TestCommand::new();
        for (name, text) in *files {
            t.write(name, text);
        }
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        let out = t.run(&args);
        assert_eq!(out.status.code(), Some(*code), "{args:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        assert_eq!(v["ok"], *code == 0, "{args:?}: {v}");
        assert_eq!(v["exit_code"], *code, "{args:?}: {v}");
        if *code != 0 {
            assert!(
                v["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{args:?}: {v}"
            );
        }
    }
}

/// A failed push says what was done and what was not, and never reads like success.
#[test]
fn failure_summaries_say_what_was_and_was_not_done() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    t.write("lambda-sync.toml", "api_id = \"abc123\"\n");
    let out = t.run(&["push", "pets.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("FAILED"), "{stdout}");
    assert!(
        !stdout.contains("updated on"),
        "reads like success: {stdout}"
    );
    assert!(stdout.contains("not done:"), "{stdout}");

    let t = TestCommand::new();
    t.write("pets.yaml", FINDINGS);
    let out = t.run(&["push", "pets.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stdout.contains("functions: 0 created"), "{stdout}");
    assert!(stderr.contains("nothing was sent"), "{stderr}");
}

/// A reader that closes the pipe early (`| head`) ends the output quietly: no panic, the
/// command's own exit code.
#[cfg(unix)]
#[test]
fn closed_stdout_ends_quietly() {
    use std::process::{Command, Stdio};
    let t = TestCommand::new();
    // Enough findings to fill the pipe.
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for i in 0..3000 {
        spec.push_str(&format!(
            "  /a{i}/{{id}}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"
        ));
    }
    t.write("many.yaml", &spec);
    let mut big = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for i in 0..3000 {
        big.push_str(&format!(
            "  /a{i}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"
        ));
    }
    t.write("big.yaml", &big);
    // 3,001 resources: the quota raised as a user would, so that `render` writes the body.
    t.write("lambda-sync.toml", "[quotas]\nresources_per_api = 5000\n");
    for args in [
        &["check", "many.yaml"][..],
        &["check", "many.yaml", "--format", "json"][..],
        &["compat", "big.yaml"][..],
        &["render", "big.yaml"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
            .args(args)
            .current_dir(t.path("."))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        // Read one byte, then close the pipe as `head -c1` would.
        let mut stdout = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        std::io::Read::read_exact(&mut stdout, &mut one).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        let want = if args[1] == "many.yaml" { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(want), "{args:?}: {stderr}");
    }
}

/// `push` and `plan` warn about a deprecated runtime as `stubs` does.
#[test]
fn deprecated_runtime_is_warned_by_push_and_plan() {
    let t = TestCommand::on(crate::RUNTIME_TEST_DAY);
    t.write("pets.yaml", PETS);
    let stubs = t.run(&[
        "stubs",
        "pets.yaml",
        "--out-dir",
        "s",
        "--runtime",
        "nodejs18.x",
    ]);
    let want = String::from_utf8_lossy(&stubs.stderr)
        .lines()
        .find(|l| l.starts_with("warning:"))
        .map(str::to_string)
        .expect("stubs warns about nodejs18.x");
    for cmd in ["plan", "push"] {
        let out = t.run(&[cmd, "pets.yaml", "--runtime", "nodejs18.x"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&want), "{cmd}: {stderr}");
    }
}

/// The day comes from `LAMBDA_SYNC_TODAY` (else the clock): years ahead, the newest runtime of
/// a family is still accepted with a warning that the catalogue may be out of date (in the
/// JSON of `plan` and `push` too), an older one is refused with exit 2, and a bad date is a
/// usage error.
#[test]
fn the_day_is_injected_and_the_newest_runtime_is_kept() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let dated = |day: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
            .args(args)
            .current_dir(t.path("."))
            .env("LAMBDA_SYNC_TODAY", day)
            .output()
            .unwrap()
    };
    for cmd in ["plan", "push"] {
        let out = dated("2031-07-01", &[cmd, "pets.yaml", "--format", "json"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{cmd}: {stdout}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let warnings = v["warnings"].to_string();
        assert!(
            warnings.contains("nodejs24.x is the newest Node.js runtime")
                && warnings.contains("may be out of date"),
            "{cmd}: {warnings}"
        );
        let older = dated("2031-07-01", &[cmd, "pets.yaml", "--runtime", "nodejs22.x"]);
        let stderr = String::from_utf8_lossy(&older.stderr);
        assert_eq!(older.status.code(), Some(2), "{cmd}: {stderr}");
        assert!(stderr.contains("use nodejs24.x instead"), "{cmd}: {stderr}");
    }
    let today = dated("2026-12-01", &["plan", "pets.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&today.stdout).unwrap();
    assert_eq!(v["warnings"], serde_json::json!([]), "{v}");
    let bad = dated("2031-13-01", &["plan", "pets.yaml"]);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("LAMBDA_SYNC_TODAY=2031-13-01"), "{stderr}");
}

/// An argument clap refuses is a usage error (exit 2); with `--format json` it is the JSON
/// error object every other failure prints, with clap's message (and no usage text) in it.
#[test]
fn argument_errors_follow_the_format() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let cases: &[(&[&str], &str)] = &[
        (
            &["plan", "pets.yaml", "--format", "json", "--no-such-flag"],
            "--no-such-flag",
        ),
        (&["push", "--format=json"], "<SPEC>"),
        (
            &["check", "pets.yaml", "--format", "json", "--disable"],
            "--disable",
        ),
        (
            &[
                "push",
                "pets.yaml",
                "--format",
                "json",
                "--concurrency",
                "many",
            ],
            "many",
        ),
    ];
    for (args, names) in cases {
        let out = t.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
        assert_eq!(v["ok"], false, "{args:?}");
        assert_eq!(v["exit_code"], 2, "{args:?}");
        let error = v["error"].as_str().unwrap();
        assert!(error.contains(names), "{args:?}: {error}");
        assert!(
            !error.contains("Usage:") && !error.starts_with("error:"),
            "{error}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.matches("error:").count(), 1, "{args:?}: {stderr}");
    }
    // Without `--format json` clap's own text, still exit 2; help is exit 0.
    let text = t.run(&["plan", "pets.yaml", "--no-such-flag"]);
    assert_eq!(text.status.code(), Some(2));
    assert!(text.stdout.is_empty());
    assert!(String::from_utf8_lossy(&text.stderr).contains("Usage:"));
    assert_eq!(
        t.run(&["plan", "--help", "--format", "json"]).status.code(),
        Some(0)
    );
}

/// `--help` of the program and of every command states the contract.
#[test]
fn help_states_the_contract() {
    let t = TestCommand::new();
    for cmd in [
        "", "check", "compat", "render", "stubs", "plan", "push", "watch", "invoke", "serve",
    ] {
        let args: Vec<&str> = if cmd.is_empty() {
            vec!["--help"]
        } else {
            vec![cmd, "--help"]
        };
        let out = t.run(&args);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Exit codes (every command)"), "{cmd}: {text}");
    }
}

/// `push --aws` without credentials stops before any call, at once, with two lines: what was
/// tried and how to fix it (no retries, no debug dump).
#[test]
fn missing_credentials_are_two_clear_lines() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let home = t.path("home");
    std::fs::create_dir_all(&home).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
        .args([
            "push",
            "pets.yaml",
            "--aws",
            "--region",
            "eu-west-1",
            "--execution-role",
            "arn:aws:iam::123456789012:role/lambda-basic",
        ])
        .current_dir(t.path("."))
        .env_clear()
        .env("HOME", &home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        // No instance metadata probe in tests (no network).
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].contains("no AWS credentials"), "{stderr}");
    assert!(
        lines[0].contains("environment") && lines[0].contains("profile `default`"),
        "{stderr}"
    );
    assert!(lines[1].starts_with("fix:"), "{stderr}");
    assert!(!t.path(".lambda-sync/state.json").exists());
}
