//! Compiling and running generated stubs with the real node and python3.
//!
//! Nothing is skipped: without node or python3 on PATH these tests fail and say so.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use lambda_sync_integration::{EventContract, FieldSource, IntegrationType};
use lambda_sync_stubs::{Family, Stub, Templates, render, runtime};
use serde_json::{Map, Value, json};

/// Runtimes exercised: CommonJS, ES module and Python.
pub const RUNTIMES: [&str; 3] = ["nodejs16.x", "nodejs24.x", "python3.14"];

const NODE_RUNNER: &str = r#"
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = [];
for (const c of cases) {
  try {
    const mod = await import(pathToFileURL(c.file).href);
    const handler = mod.handler ?? (mod.default && mod.default.handler);
    const result = await handler(c.event, {});
    out.push({ ok: true, result: result === undefined ? null : result });
  } catch (e) {
    out.push({ ok: false, error: String((e && e.stack) || e) });
  }
}
process.stdout.write(JSON.stringify(out));
"#;

const PYTHON_RUNNER: &str = r#"
import importlib.util, json, sys, traceback
cases = json.load(open(sys.argv[1], encoding="utf-8"))
out = []
for i, c in enumerate(cases):
    try:
        spec = importlib.util.spec_from_file_location("stub_%d" % i, c["file"])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out.append({"ok": True, "result": mod.lambda_handler(c["event"], {})})
    except BaseException:
        out.append({"ok": False, "error": traceback.format_exc()})
sys.stdout.write(json.dumps(out))
"#;

/// The path of a required tool, or a failing test that says what is missing.
fn tool(name: &str) -> &'static str {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{name}` is required to compile and run generated stubs but was not found on PATH; \
         install it (node >= 18, python3 >= 3.9) — these tests are never skipped"
    );
    match name {
        "node" => "node",
        _ => "python3",
    }
}

/// One generated stub written to disk, with the event to call it with.
pub struct Case {
    pub label: String,
    pub family: Family,
    pub file: PathBuf,
    pub event: Value,
}

/// A directory of generated stubs that are checked and run in a few batched processes.
pub struct Batch {
    dir: tempfile::TempDir,
    pub cases: Vec<Case>,
}

impl Batch {
    pub fn new() -> Batch {
        let dir = tempfile::tempdir().unwrap();
        // Stops node looking further up for a package.json "type".
        std::fs::write(dir.path().join("package.json"), "{}").unwrap();
        Batch {
            dir,
            cases: Vec::new(),
        }
    }

    /// Writes `stub` to its own directory and records the event to call it with.
    pub fn add(&mut self, label: String, family: Family, stub: &Stub, event: Value) {
        let sub = self.dir.path().join(format!("case{}", self.cases.len()));
        std::fs::create_dir(&sub).unwrap();
        let file = sub.join(&stub.file_name);
        std::fs::write(&file, &stub.source).unwrap();
        self.cases.push(Case {
            label,
            family,
            file,
            event,
        });
    }

    /// Runs `node --check` on every Node.js stub (a few processes at a time) and
    /// `python3 -W error -m py_compile` on all Python stubs; panics with the source of the
    /// first one that does not compile.
    pub fn check_syntax(&self) {
        let node = tool("node");
        let python = tool("python3");
        let node_cases: Vec<&Case> = self
            .cases
            .iter()
            .filter(|c| c.family == Family::Node)
            .collect();
        for chunk in node_cases.chunks(8) {
            let children: Vec<_> = chunk
                .iter()
                .map(|case| {
                    Command::new(node)
                        .arg("--check")
                        .arg(&case.file)
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            for (case, child) in chunk.iter().zip(children) {
                let out = child.wait_with_output().unwrap();
                assert!(
                    out.status.success(),
                    "node --check failed for {}:\n{}\n--- source ---\n{}",
                    case.label,
                    String::from_utf8_lossy(&out.stderr),
                    std::fs::read_to_string(&case.file).unwrap()
                );
            }
        }
        let py_files: Vec<&Case> = self
            .cases
            .iter()
            .filter(|c| c.family == Family::Python)
            .collect();
        for chunk in py_files.chunks(64) {
            let out = Command::new(python)
                .args(["-W", "error", "-m", "py_compile"])
                .args(chunk.iter().map(|c| &c.file))
                .output()
                .unwrap();
            if !out.status.success() {
                let stderr = String::from_utf8_lossy(&out.stderr);
                let culprit = chunk
                    .iter()
                    .find(|c| stderr.contains(&*c.file.to_string_lossy()))
                    .map(|c| {
                        format!(
                            "{}:\n{}",
                            c.label,
                            std::fs::read_to_string(&c.file).unwrap()
                        )
                    })
                    .unwrap_or_default();
                panic!("py_compile failed:\n{stderr}\n--- source ---\n{culprit}");
            }
        }
    }

    /// Calls every handler with its event (one node and one python3 process for the whole
    /// batch) and returns what each returned, in case order; panics if any threw.
    pub fn run(&self) -> Vec<Value> {
        let mut results = vec![Value::Null; self.cases.len()];
        for family in [Family::Node, Family::Python] {
            let idx: Vec<usize> = (0..self.cases.len())
                .filter(|&i| self.cases[i].family == family)
                .collect();
            if idx.is_empty() {
                continue;
            }
            let input: Vec<Value> = idx
                .iter()
                .map(|&i| json!({"file": self.cases[i].file, "event": self.cases[i].event}))
                .collect();
            let cases_file = self.dir.path().join(format!("cases-{family:?}.json"));
            std::fs::write(&cases_file, serde_json::to_vec(&input).unwrap()).unwrap();
            let out = match family {
                Family::Node => {
                    let runner = self.dir.path().join("runner.mjs");
                    std::fs::write(&runner, NODE_RUNNER).unwrap();
                    Command::new(tool("node"))
                        .arg(&runner)
                        .arg(&cases_file)
                        .output()
                        .unwrap()
                }
                Family::Python => Command::new(tool("python3"))
                    .args(["-c", PYTHON_RUNNER])
                    .arg(&cases_file)
                    .output()
                    .unwrap(),
            };
            assert!(
                out.status.success(),
                "{family:?} runner failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let outputs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                panic!(
                    "{family:?} runner output is not JSON ({e}): {}",
                    String::from_utf8_lossy(&out.stdout)
                )
            });
            assert_eq!(outputs.len(), idx.len());
            for (o, &i) in outputs.into_iter().zip(&idx) {
                let case = &self.cases[i];
                assert_eq!(
                    o["ok"],
                    true,
                    "handler {} threw:\n{}\n--- source ---\n{}",
                    case.label,
                    o["error"].as_str().unwrap_or_default(),
                    std::fs::read_to_string(&case.file).unwrap()
                );
                results[i] = o["result"].clone();
            }
        }
        results
    }
}

/// A distinct sample value for field `i`, with characters that must survive the round trip.
pub fn sample_value(i: usize) -> String {
    format!("value {i}: \"quoted\" \\ ' ` ${{x}} \u{2028} é 😀")
}

/// The event API Gateway would send for `contract`, with field `i` set to [`sample_value`],
/// and the object a handler returning every variable under its event key should give back.
pub fn sample_event(contract: &EventContract) -> (Value, Value) {
    let mut expected = Map::new();
    let event = match contract.integration {
        IntegrationType::Aws => {
            let mut event = Map::new();
            for (i, f) in contract.fields.iter().enumerate() {
                event.insert(f.key.clone(), Value::String(sample_value(i)));
                expected.insert(f.key.clone(), Value::String(sample_value(i)));
            }
            Value::Object(event)
        }
        IntegrationType::AwsProxy => {
            let mut event = json!({
                "resource": contract.path,
                "path": contract.path,
                "httpMethod": contract.method.as_str().to_ascii_uppercase(),
                "pathParameters": null,
                "queryStringParameters": null,
                "headers": null,
                "body": null,
                "isBase64Encoded": false,
            });
            for (i, f) in contract.fields.iter().enumerate() {
                let v = Value::String(sample_value(i));
                let container = match f.source {
                    FieldSource::Path => "pathParameters",
                    FieldSource::Query => "queryStringParameters",
                    FieldSource::Header => "headers",
                    FieldSource::Body => {
                        event["body"] = v.clone();
                        expected.insert(f.key.clone(), v);
                        continue;
                    }
                };
                if event[container].is_null() {
                    event[container] = json!({});
                }
                event[container][&f.name] = v.clone();
                expected.insert(f.key.clone(), v);
            }
            event
        }
    };
    (event, Value::Object(expected))
}

/// Templates that return every variable under its event key, as the reference's `username`
/// example does. (JavaScript uses computed keys: a literal `"__proto__":` key would set the
/// prototype instead of a property.)
pub fn echo_templates() -> (tempfile::TempDir, Templates) {
    let dir = tempfile::tempdir().unwrap();
    let js_body = "{{#each fields}}\n  const {{ident}} = {{access}};\n{{/each}}\n  return { {{#each fields}}[{{key_literal}}]: {{ident}}, {{/each}} };\n};\n";
    std::fs::write(
        dir.path().join("index.js.hbs"),
        format!("exports.handler = async (event, context) => {{\n{js_body}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("index.mjs.hbs"),
        format!("export const handler = async (event, context) => {{\n{js_body}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("lambda_function.py.hbs"),
        "def lambda_handler(event, context):\n{{#each fields}}\n    {{ident}} = {{access}}\n{{/each}}\n    return { {{#each fields}}{{key_literal}}: {{ident}}, {{/each}} }\n",
    )
    .unwrap();
    let templates = Templates::from_dir(dir.path()).unwrap();
    (dir, templates)
}

/// Generates, compiles and runs the stubs of `contracts` in every tested runtime: the built-in
/// templates must return the placeholder, the echo templates every value sent.
pub fn check_contracts(what: &str, contracts: &[EventContract]) {
    let builtin = Templates::builtin();
    let (_dir, echo) = echo_templates();
    let mut batch = Batch::new();
    let mut expect = Vec::new();
    for (n, contract) in contracts.iter().enumerate() {
        let (event, echoed) = sample_event(contract);
        for rt in RUNTIMES {
            let rt = runtime(rt).unwrap();
            let stub = render(contract, rt, &builtin).unwrap();
            batch.add(
                format!("{what} #{n} {} (built-in)", rt.id),
                rt.family,
                &stub,
                event.clone(),
            );
            expect.push(Expect::Placeholder(
                contract.integration,
                contract.success_status,
            ));
            let stub = render(contract, rt, &echo).unwrap();
            batch.add(
                format!("{what} #{n} {} (echo)", rt.id),
                rt.family,
                &stub,
                event.clone(),
            );
            expect.push(Expect::Exactly(echoed.clone()));
        }
    }
    batch.check_syntax();
    let results = batch.run();
    for ((case, result), expect) in batch.cases.iter().zip(results).zip(expect) {
        match expect {
            Expect::Exactly(v) => {
                assert_eq!(result, v, "{}: variables differ from the event", case.label)
            }
            Expect::Placeholder(IntegrationType::Aws, _) => {
                assert_eq!(
                    result,
                    json!({"message": "created by lambda-sync"}),
                    "{}",
                    case.label
                );
            }
            Expect::Placeholder(IntegrationType::AwsProxy, status) => {
                assert_eq!(result["statusCode"], status, "{}", case.label);
                assert_eq!(
                    result["headers"]["Content-Type"], "application/json",
                    "{}",
                    case.label
                );
                let body = result["body"].as_str().unwrap();
                if status == 204 {
                    assert_eq!(body, "", "{}", case.label);
                } else {
                    let body: Value = serde_json::from_str(body).unwrap();
                    assert_eq!(
                        body,
                        json!({"message": "created by lambda-sync"}),
                        "{}",
                        case.label
                    );
                }
            }
        }
    }
}

enum Expect {
    Placeholder(IntegrationType, u16),
    Exactly(Value),
}

#[test]
fn petstore_stubs_compile_and_run() {
    check_contracts("petstore", &crate::petstore());
}

#[test]
fn hostile_stubs_compile_and_run() {
    check_contracts("hostile", &crate::hostile());
}

#[test]
fn missing_tool_is_a_failure_not_a_skip() {
    let result = std::panic::catch_unwind(|| tool("definitely-not-a-real-tool-lambda-sync"));
    assert!(result.is_err());
}
