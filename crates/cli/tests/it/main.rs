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
fn check_says_which_findings_block_a_push_and_which_are_repaired() {
    let t = TestCommand::new();
    t.write(
        "fees.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /fees/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /fees/{fee}/refunds/:\n    get:\n      parameters: [{name: fee, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n",
    );
    let out = t.run(&["check", "fees.yaml"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "repaired findings do not fail the check"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error[trailing-slash] [repaired by compat]:")
            && text.contains("error[path-variable-conflict] [repaired by compat]:"),
        "{text}"
    );
    let out = t.run(&["check", "fees.yaml", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<(&str, bool)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["blocks_push"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [("trailing-slash", false), ("path-variable-conflict", false)]
    );
    let out = t.run(&["check", "fees.yaml", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[blocks push]"), "{text}");
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
    let out = t.run(&["push", "fees.yaml", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("path-variable-conflict") && err.contains("nothing was sent"),
        "{err}"
    );
    assert!(!t.path(".lambda-sync").exists(), "no state was written");
}
