//! End-to-end tests: the real `lambda-sync` binary on temporary folders.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PETS: &str = r#"openapi: 3.0.3
info:
  title: Pets
  version: "1.0"
  description: A pet store
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
      responses:
        "200":
          description: ok
  /pets/{petId}:
    get:
      operationId: showPetById
      parameters:
        - name: petId
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: ok
        "404":
          description: not found
"#;

/// A temporary project folder and the binary, run inside it.
struct TestCommand {
    dir: tempfile::TempDir,
}

impl TestCommand {
    fn new() -> TestCommand {
        TestCommand {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("AWS_REGION")
            .output()
            .expect("the binary runs")
    }

    #[track_caller]
    fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    #[track_caller]
    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.run_ok(args)).expect("JSON output")
    }

    fn account(&self) -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(self.path(".lambda-sync/account.json")).expect("account"),
        )
        .expect("account json")
    }
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn first_push_then_repush_creates_nothing() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let r = t.json(&["push", "pets.yaml", "--format", "json"]);
    assert_eq!(names(&r["functions_created"]), ["listPets", "showPetById"]);
    assert_eq!(r["ok"], true);
    let api_id = r["api_id"].as_str().unwrap().to_string();
    assert!(t.path(".lambda-sync/functions/showPetById").is_dir());
    let again = t.json(&["push", "pets.yaml", "--format", "json"]);
    assert!(names(&again["functions_created"]).is_empty());
    assert_eq!(
        names(&again["functions_reused"]),
        ["listPets", "showPetById"]
    );
    assert_eq!(
        again["api_id"],
        api_id.as_str(),
        "the second push updates the same API"
    );
    assert_eq!(again["calls"]["PutRestApi"], 1);
    assert!(again["calls"].get("CreateFunction").is_none());
    // The file was not touched (update_definition is off by default).
    assert_eq!(std::fs::read_to_string(t.path("pets.yaml")).unwrap(), PETS);
}

#[test]
fn adding_an_operation_creates_one_function() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    t.run_ok(&["push", "pets.yaml"]);
    let more = format!(
        "{PETS}  /owners:\n    get:\n      operationId: listOwners\n      responses:\n        \"200\":\n          description: ok\n"
    );
    t.write("pets.yaml", &more);
    let r = t.json(&["push", "pets.yaml", "--format", "json"]);
    assert_eq!(names(&r["functions_created"]), ["listOwners"]);
    assert_eq!(r["calls"]["CreateFunction"], 1);
}

#[test]
fn plan_changes_nothing() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let out = t.run_ok(&["plan", "pets.yaml"]);
    assert!(out.contains("import a new REST API \"Pets\""), "{out}");
    assert!(out.contains("+ listPets"), "{out}");
    assert!(
        !t.path(".lambda-sync/account.json").exists()
            || t.account()["functions"].as_object().unwrap().is_empty()
    );
}

#[test]
fn write_back_round_trip() {
    let t = TestCommand::new();
    t.write(
        "pets.yaml",
        &PETS.replace("      operationId: listPets\n", ""),
    );
    t.write("lambda-sync.toml", "update_definition = true\n");
    let r = t.json(&["push", "pets.yaml", "--format", "json"]);
    assert_eq!(r["definition_written"], true);
    let text = std::fs::read_to_string(t.path("pets.yaml")).unwrap();
    assert!(text.starts_with("openapi: 3.0.3\ninfo:\n"), "{text}");
    assert!(text.contains("x-amazon-apigateway-integration:"), "{text}");
    assert!(
        text.contains(&format!("x-aws-api-id: {}", r["api_id"].as_str().unwrap())),
        "{text}"
    );
    let again = t.json(&["push", "pets.yaml", "--format", "json"]);
    assert_eq!(again["definition_written"], false);
    assert!(names(&again["functions_created"]).is_empty());
}

#[test]
fn disabled_sends_nothing() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    t.write("lambda-sync.toml", "enabled = false\n");
    let out = t.run_ok(&["push", "pets.yaml"]);
    assert!(out.contains("nothing sent"), "{out}");
    assert!(!t.path(".lambda-sync/state.json").exists());
}

#[test]
fn bad_config_is_a_usage_error_naming_the_key() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    t.write("lambda-sync.toml", "execution_role = \"not-an-arn\"\n");
    let out = t.run(&["push", "pets.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("execution_role"), "{err}");
    assert!(!t.path(".lambda-sync/account.json").exists());
}

#[test]
fn bad_spec_leaves_the_local_account_unchanged() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    t.run_ok(&["push", "pets.yaml"]);
    let before = std::fs::read(t.path(".lambda-sync/account.json")).unwrap();
    t.write("pets.yaml", "openapi: 3.0.3\ninfo: [unclosed\n");
    let out = t.run(&["push", "pets.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pets.yaml:"), "{err}");
    assert_eq!(
        std::fs::read(t.path(".lambda-sync/account.json")).unwrap(),
        before
    );
}

#[test]
fn check_reports_in_text_and_json_with_exit_codes() {
    let t = TestCommand::new();
    t.write(
        "bad.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
    );
    let out = t.run(&["check", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("bad.yaml:5:5: error[undeclared-path-parameter]"),
        "{text}"
    );
    let out = t.run(&["check", "bad.yaml", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v[0];
    for key in ["rule", "severity", "pointer", "line", "column", "message"] {
        assert!(d.get(key).is_some(), "{key} in {d}");
    }
    t.write("ok.yaml", PETS);
    assert_eq!(t.run(&["check", "ok.yaml"]).status.code(), Some(0));
    assert_eq!(t.run(&["check", "missing.yaml"]).status.code(), Some(2));
    assert_eq!(t.run(&["check"]).status.code(), Some(2));
}

#[test]
fn render_writes_the_body_a_push_sends() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    t.run_ok(&[
        "render",
        "pets.yaml",
        "-o",
        "out.json",
        "--region",
        "eu-west-1",
        "--account",
        "111122223333",
    ]);
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(t.path("out.json")).unwrap()).unwrap();
    let uri = v["paths"]["/pets"]["get"]["x-amazon-apigateway-integration"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(
        uri,
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:listPets/invocations"
    );
    let out = t.run(&["render", "pets.yaml", "--region", "nowhere"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn stubs_writes_handlers_and_zips() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let out = t.run_ok(&[
        "stubs",
        "pets.yaml",
        "--runtime",
        "python3.12",
        "--out-dir",
        "stubs",
        "--zip",
    ]);
    assert!(out.contains("lambda_function.py"), "{out}");
    let py = std::fs::read_to_string(t.path("stubs/showPetById/lambda_function.py")).unwrap();
    assert!(py.contains("def lambda_handler(event, context):"), "{py}");
    assert!(t.path("stubs/showPetById.zip").is_file());
    let out = t.run(&[
        "stubs",
        "pets.yaml",
        "--runtime",
        "python3.6",
        "--out-dir",
        "stubs",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("python3"),
        "names the replacement"
    );
}

#[test]
fn compat_writes_the_transformed_document() {
    let t = TestCommand::new();
    t.write(
        "x.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    io.k8s.Pod:\n      type: object\n      example: {a: 1}\n",
    );
    t.run_ok(&["compat", "x.yaml", "-o", "out.yaml"]);
    let out = std::fs::read_to_string(t.path("out.yaml")).unwrap();
    assert!(out.contains("x-disabled-for-amazon-gateway"), "{out}");
    assert!(!out.contains("io.k8s.Pod:"), "{out}");
}

#[test]
fn watch_pushes_on_start() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let out = t.run(&["watch", "pets.yaml", "--exit-after", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Path::new(&t.path(".lambda-sync/account.json")).is_file());
}

#[test]
fn the_reference_walkthrough_with_invoke() {
    // Push the pet store, edit getUserByName to return the user name, call GET /user/user1.
    let t = TestCommand::new();
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/petstore.yaml"
    ))
    .unwrap();
    t.write("petstore.yaml", &spec);
    let first = t.json(&[
        "invoke",
        "petstore.yaml",
        "GET",
        "/user/user1",
        "--format",
        "json",
    ]);
    assert_eq!(first["status"], 200);
    assert_eq!(first["function"], "getUserByName");
    let dir = t.path(".lambda-sync/functions/getUserByName");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let code = std::fs::read_to_string(&file).unwrap();
    let edited = code.replace(
        "return { message: \"created by lambda-sync\" };",
        "return { message: \"created by lambda-sync\", username: event.username };",
    );
    assert_ne!(code, edited, "the stub has the placeholder return:\n{code}");
    std::fs::write(&file, edited).unwrap();
    let out = t.run_ok(&["invoke", "petstore.yaml", "GET", "/user/user1"]);
    let body: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(body["username"], "user1");
    // An unknown route is API Gateway's 403.
    let r = t.json(&[
        "invoke",
        "petstore.yaml",
        "GET",
        "/nowhere",
        "--format",
        "json",
    ]);
    assert_eq!(r["status"], 403);
    assert_eq!(r["body"], "{\"message\":\"Missing Authentication Token\"}");
}

#[test]
fn serve_answers_over_http_and_reloads() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let mut child = Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
        .args(["serve", "pets.yaml", "--port", "0"])
        .current_dir(t.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut child = Kill(child);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    let get = |path: &str| -> String {
        let mut s = TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    let r = get("/pets/42");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert!(r.contains("created by lambda-sync"), "{r}");
    assert!(get("/cats").starts_with("HTTP/1.1 403"));
    // Add an operation: the server pushes and reloads it.
    let more = format!(
        "{PETS}  /owners:\n    get:\n      operationId: listOwners\n      responses:\n        \"200\":\n          description: ok\n"
    );
    t.write("pets.yaml", &more);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if get("/owners").starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new operation was not served within 60 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = child.0.kill();
}

#[test]
fn watch_pushes_again_on_save() {
    use std::time::{Duration, Instant};
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let child = Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
        .args(["watch", "pets.yaml", "--exit-after", "2"])
        .current_dir(t.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first push, then save a change.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !t.path(".lambda-sync/state.json").exists() {
        assert!(Instant::now() < deadline, "no first push");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    let more = format!(
        "{PETS}  /owners:\n    get:\n      operationId: listOwners\n      responses:\n        \"200\":\n          description: ok\n"
    );
    t.write("pets.yaml", &more);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let account = t.account();
    assert!(
        account["functions"].get("listOwners").is_some(),
        "the save was pushed"
    );
}

/// The same push against moto (an AWS emulator on loopback), when `scripts/with-moto.sh` runs
/// the tests: first push, re-push, one added operation. Without it the test says so.
#[test]
fn push_to_moto() {
    let Ok(endpoint) = std::env::var("LAMBDA_SYNC_TEST_ENDPOINT") else {
        println!(
            "push_to_moto: LAMBDA_SYNC_TEST_ENDPOINT is unset, so the push against moto did not run (scripts/with-moto.sh sets it)"
        );
        return;
    };
    let role =
        std::env::var("LAMBDA_SYNC_TEST_ROLE").expect("with-moto.sh sets LAMBDA_SYNC_TEST_ROLE");
    let region = std::env::var("LAMBDA_SYNC_TEST_REGION").unwrap_or_else(|_| "us-east-1".into());
    let t = TestCommand::new();
    // Unique operation ids: the moto account is shared by the whole test run.
    let suffix = std::process::id();
    let spec = PETS
        .replace(
            "operationId: listPets",
            &format!("operationId: listPets{suffix}"),
        )
        .replace(
            "operationId: showPetById",
            &format!("operationId: showPetById{suffix}"),
        );
    t.write("pets.yaml", &spec);
    let aws = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "push",
            "pets.yaml",
            "--aws",
            "--endpoint-url",
            &endpoint,
            "--region",
            &region,
            "--execution-role",
            &role,
            "--format",
            "json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let run = |args: Vec<String>| -> Value {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        t.json(&refs)
    };
    let first = run(aws(&[]));
    assert_eq!(first["ok"], true, "{first}");
    assert_eq!(
        first["functions_created"].as_array().unwrap().len(),
        2,
        "{first}"
    );
    assert_eq!(first["api_created"], true);
    let again = run(aws(&[]));
    assert!(
        again["functions_created"].as_array().unwrap().is_empty(),
        "{again}"
    );
    assert_eq!(again["functions_reused"].as_array().unwrap().len(), 2);
    assert_eq!(again["api_id"], first["api_id"]);
    assert_eq!(again["calls"]["PutRestApi"], 1);
    let more = format!(
        "{spec}  /owners:\n    get:\n      operationId: listOwners{suffix}\n      responses:\n        \"200\":\n          description: ok\n"
    );
    t.write("pets.yaml", &more);
    let added = run(aws(&[]));
    assert_eq!(
        added["functions_created"],
        serde_json::json!([format!("listOwners{suffix}")]),
        "{added}"
    );
    println!("push_to_moto: first push, re-push and one added operation passed against {endpoint}");
}

#[test]
fn a_definition_aws_would_refuse_sends_nothing_and_writes_nothing() {
    let t = TestCommand::new();
    t.write(
        "fees.yaml",
        "openapi: 3.0.3\ninfo: {title: Fees, version: '1', description: d}\npaths:\n  /fees/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /fees/{fee}/refunds:\n    get:\n      parameters: [{name: fee, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n",
    );
    let out = t.run(&["push", "fees.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("path-variable-conflict") && err.contains("nothing was sent"),
        "{err}"
    );
    assert!(!t.path(".lambda-sync").exists(), "no state was written");
}

// --- export ---

const PETSTORE: &str = include_str!("../../../engine/tests/fixtures/petstore.yaml");

/// A definition with `n` operations, each with a description of `pad` bytes.
fn many_operations(n: usize, pad: usize) -> String {
    let mut s = String::from("openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths:\n");
    let text = "x".repeat(pad);
    for i in 0..n {
        s.push_str(&format!(
            "  /items{i}/{{id}}:\n    get:\n      operationId: getItem{i}\n      description: {text}\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\n"
        ));
    }
    s
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read");
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn export_writes_the_template_and_the_code_it_names() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETSTORE);
    t.run_ok(&[
        "export",
        "pets.yaml",
        "--format",
        "sam",
        "-o",
        "out/template.yaml",
    ]);
    for name in ["listPets", "createPet", "showPetById", "deletePet"] {
        assert!(
            t.path(&format!("out/lambda-sync-code/{name}/index.mjs"))
                .is_file()
        );
    }
    let sam = tree(&t.path("out"));
    // Same input, same bytes.
    t.run_ok(&[
        "export",
        "pets.yaml",
        "--format",
        "sam",
        "-o",
        "out/template.yaml",
    ]);
    assert_eq!(tree(&t.path("out")), sam);

    // CloudFormation: zips, in a code folder given relative to the current folder.
    t.run_ok(&[
        "export",
        "pets.yaml",
        "--format",
        "cloudformation",
        "-o",
        "cf/stack.json",
        "--code-dir",
        "build/code",
        "--runtime",
        "python3.13",
    ]);
    let stack: Value =
        serde_json::from_str(&std::fs::read_to_string(t.path("cf/stack.json")).unwrap()).unwrap();
    assert_eq!(
        stack["Resources"]["FnListPets"]["Properties"]["Code"],
        "../build/code/listPets.zip"
    );
    let zip = std::fs::read(t.path("build/code/listPets.zip")).unwrap();
    assert_eq!(&zip[..2], b"PK");
}

#[test]
fn export_of_a_refused_definition_writes_nothing() {
    let t = TestCommand::new();
    t.write(
        "bad.yaml",
        "openapi: 3.0.3\ninfo: {title: Bad, version: '1'}\npaths:\n  /a/{x}:\n    get:\n      operationId: a\n      parameters: [{name: x, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /a/{y}/b:\n    get:\n      operationId: b\n      parameters: [{name: y, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n",
    );
    let out = t.run(&["export", "bad.yaml", "--format", "sam", "-o", "out/t.yaml"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!t.path("out").exists());

    // A body too large for the template without a pinned account: a clear error, no file.
    t.write("huge.yaml", &many_operations(40, 40_000));
    let out = t.run(&["export", "huge.yaml", "--format", "sam", "-o", "out/t.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("account_id") && err.contains("1048576"),
        "{err}"
    );
    assert!(!t.path("out").exists());
}

/// Runs cfn-lint (path in `LAMBDA_SYNC_CFN_LINT`, set by `scripts/with-cfn-lint.sh`) on
/// templates. W3002 ("may only work with the package command") is expected: local code,
/// body and nested-template paths are what `aws cloudformation package` uploads.
#[track_caller]
fn cfn_lint(lint: &Path, dir: &Path, templates: &[PathBuf]) {
    let out = Command::new(lint)
        .args(["--ignore-checks", "W3002", "--"])
        .args(templates)
        .current_dir(dir)
        .output()
        .expect("cfn-lint runs");
    assert!(
        out.status.success(),
        "cfn-lint found problems in {templates:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn exported_templates_pass_cfn_lint() {
    let Some(lint) = std::env::var_os("LAMBDA_SYNC_CFN_LINT") else {
        return;
    };
    let lint = PathBuf::from(lint);
    assert!(
        lint.is_file(),
        "LAMBDA_SYNC_CFN_LINT is set but {} does not exist: run scripts/with-cfn-lint.sh",
        lint.display()
    );
    let t = TestCommand::new();
    t.write("pets.yaml", PETSTORE);
    t.write("many.yaml", &many_operations(300, 10));
    t.write("large.yaml", &many_operations(60, 2000));
    t.write("huge.yaml", &many_operations(40, 40_000));
    let cases: &[(&str, &[&str])] = &[
        ("pets.yaml", &[]),
        ("pets.yaml", &["--basepath", "prepend", "--stage", "v1"]),
        (
            "pets.yaml",
            &[
                "--execution-role",
                "arn:aws:iam::111122223333:role/pets",
                "--runtime",
                "python3.13",
            ],
        ),
        ("many.yaml", &[]),
        ("large.yaml", &[]),
        (
            "huge.yaml",
            &["--region", "eu-west-1", "--account", "111122223333"],
        ),
    ];
    let mut all = Vec::new();
    for (i, (spec, extra)) in cases.iter().enumerate() {
        for format in ["sam", "cloudformation"] {
            let dir = format!("{format}-{i}");
            let template = format!("{dir}/template.json");
            let mut args = vec!["export", spec, "--format", format, "-o", &template];
            args.extend_from_slice(extra);
            t.run_ok(&args);
            let mut templates: Vec<PathBuf> = std::fs::read_dir(t.path(&dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .filter(|p| !p.to_string_lossy().ends_with("-api.json"))
                .collect();
            templates.sort();
            // What CloudFormation lints after AWS::Include: the body inserted in place.
            let include = t.path(&format!("{dir}/template-api.json"));
            let mut main: Value =
                serde_json::from_str(&std::fs::read_to_string(t.path(&template)).unwrap()).unwrap();
            let mut included = false;
            let props = &mut main["Resources"]["Api"]["Properties"];
            for key in ["Body", "DefinitionBody"] {
                if props
                    .get(key)
                    .and_then(|b| b.get("Fn::Transform"))
                    .is_some()
                {
                    props[key] =
                        serde_json::from_str(&std::fs::read_to_string(&include).unwrap()).unwrap();
                    included = true;
                }
            }
            if included {
                let processed = t.path(&format!("{dir}/processed.json"));
                std::fs::write(&processed, serde_json::to_vec(&main).unwrap()).unwrap();
                templates.push(processed);
            }
            all.extend(templates);
        }
    }
    // One run (cfn-lint takes seconds to start); the paths are absolute.
    cfn_lint(&lint, t.dir.path(), &all);
}
