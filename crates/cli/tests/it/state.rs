//! The state folder: locked, written in pairs, keyed to survive a move, one account per region.

use crate::{PETS, TestCommand};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};

fn shop(i: usize) -> String {
    let mut s = format!("openapi: 3.0.3\ninfo: {{title: Shop{i}, version: '1'}}\npaths:\n");
    for op in 0..6 {
        s.push_str(&format!(
            "  /s{i}/op{op}:\n    get:\n      operationId: shop{i}Op{op}\n      responses: {{'200': {{description: ok}}}}\n"
        ));
    }
    s
}

fn account_functions(t: &TestCommand) -> Vec<String> {
    let v = t.account();
    let mut names: Vec<String> = v["functions"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

/// Two pushes of different definitions into one state folder at the same time: both APIs and
/// all their functions are in the account, and each definition's API id is recorded.
#[test]
fn concurrent_pushes_keep_both_apis_and_all_functions() {
    for round in 0..3 {
        let t = TestCommand::new();
        let specs: Vec<String> = (0..4).map(|i| format!("shop{i}.yaml")).collect();
        for (i, s) in specs.iter().enumerate() {
            t.write(s, &shop(i));
        }
        let children: Vec<_> = specs
            .iter()
            .map(|s| {
                Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
                    .args(["push", s, "--format", "json"])
                    .current_dir(t.path("."))
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("runs")
            })
            .collect();
        let mut ids = Vec::new();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            ids.push(v["api_id"].as_str().unwrap().to_string());
        }
        let mut want: Vec<String> = (0..4)
            .flat_map(|i| (0..6).map(move |op| format!("shop{i}Op{op}")))
            .collect();
        want.sort();
        assert_eq!(account_functions(&t), want, "round {round}");
        let account = t.account();
        for id in &ids {
            assert!(
                account["apis"].get(id).is_some(),
                "round {round}: API {id} missing"
            );
        }
        let state: Value = serde_json::from_str(
            &std::fs::read_to_string(t.path(".lambda-sync/state.json")).unwrap(),
        )
        .unwrap();
        let mut recorded: Vec<&str> = state["apis"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_str().unwrap())
            .collect();
        recorded.sort();
        let mut ids_sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
        ids_sorted.sort();
        assert_eq!(recorded, ids_sorted, "round {round}");
        // Each pushes again onto its own API.
        for (i, s) in specs.iter().enumerate() {
            let again = t.json(&["push", s, "--format", "json"]);
            assert_eq!(again["api_id"], ids[i].as_str());
            assert_eq!(again["api_created"], false);
        }
    }
}

/// With `--no-wait` a second writer fails at once, clearly; without it, it waits and says so.
#[test]
fn a_held_lock_waits_or_fails_with_no_wait() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    t.run_ok(&["push", "pets.yaml"]);
    // Hold the lock as another lambda-sync would.
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(t.path(".lambda-sync/lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = t.run(&["push", "pets.yaml", "--no-wait"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("locked by another lambda-sync"), "{err}");
    let mut waiting = Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
        .args(["push", "pets.yaml"])
        .current_dir(t.path("."))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The waiter says it waits (read before the lock is released), then finishes once it is.
    let mut stderr = std::io::BufReader::new(waiting.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    assert!(line.contains("waiting for another lambda-sync"), "{line}");
    lock.unlock().unwrap();
    let out = waiting.wait_with_output().unwrap();
    assert!(out.status.success());
}

/// A project folder moved with its state keeps its API: the key is the definition's path
/// relative to the state folder.
#[test]
fn a_moved_project_keeps_its_api() {
    let root = tempfile::tempdir().unwrap();
    let a = root.path().join("a");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::write(a.join("pets.yaml"), PETS).unwrap();
    let run = |dir: &std::path::Path| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
            .args(["push", "pets.yaml", "--format", "json"])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let first = run(&a);
    let b = root.path().join("b");
    std::fs::rename(&a, &b).unwrap();
    let again = run(&b);
    assert_eq!(again["api_id"], first["api_id"]);
    assert_eq!(again["api_created"], false);
    let state = std::fs::read_to_string(b.join(".lambda-sync/state.json")).unwrap();
    assert!(!state.contains(root.path().to_str().unwrap()), "{state}");
}

/// Another region (or account) in the same state folder is another local account: nothing of
/// the first is reused.
#[test]
fn each_region_has_its_own_local_account() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    let first = t.json(&["push", "pets.yaml", "--format", "json"]);
    assert_eq!(first["functions_created"].as_array().unwrap().len(), 2);
    let other = t.json(&[
        "push",
        "pets.yaml",
        "--format",
        "json",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(
        other["functions_created"].as_array().unwrap().len(),
        2,
        "{other}"
    );
    assert_eq!(other["api_created"], true);
    assert_ne!(other["api_id"], first["api_id"]);
    assert!(
        t.path(".lambda-sync/account-eu-west-1-123456789012.json")
            .is_file()
    );
    // Each region pushes again onto its own API.
    let back = t.json(&["push", "pets.yaml", "--format", "json"]);
    assert_eq!(back["api_id"], first["api_id"]);
    assert!(back["functions_created"].as_array().unwrap().is_empty());
    // And each has its own code folders: an edit in one region is not the other's code.
    let names = |a: &str| code_folders(&t, a).into_keys().collect::<Vec<_>>();
    assert_eq!(names("us-east-1/123456789012"), ["listPets", "showPetById"]);
    assert_eq!(names("eu-west-1/123456789012"), ["listPets", "showPetById"]);
    assert!(!t.path(".lambda-sync/functions/listPets").exists());
}

/// A code folder of the earlier layout (`functions/NAME/`, shared by every region) is moved
/// under the account of `account.json` by the next push, with the user's edits.
#[test]
fn an_old_functions_folder_is_moved_under_its_account() {
    let t = TestCommand::new();
    t.write("pets.yaml", PETS);
    t.run_ok(&["push", "pets.yaml"]);
    // Make the folder what an earlier version left: functions/NAME/, no layout marker.
    let root = t.path(".lambda-sync/functions");
    let account = root.join("us-east-1/123456789012");
    for name in ["listPets", "showPetById"] {
        std::fs::rename(account.join(name), root.join(name)).unwrap();
    }
    std::fs::remove_dir_all(root.join("us-east-1")).unwrap();
    std::fs::remove_file(root.join(".layout")).unwrap();
    let file = root.join("listPets/index.mjs");
    let edited = std::fs::read_to_string(&file).unwrap() + "// my edit\n";
    std::fs::write(&file, &edited).unwrap();
    // A push in another region migrates the folder to the first account, and writes its own.
    t.run_ok(&["push", "pets.yaml", "--region", "eu-west-1"]);
    let moved = code_folders(&t, "us-east-1/123456789012");
    assert_eq!(moved["listPets"]["index.mjs"], edited);
    assert_eq!(moved.len(), 2);
    assert_eq!(code_folders(&t, "eu-west-1/123456789012").len(), 2);
    assert!(!root.join("listPets").exists());
    assert!(!t.path(".lambda-sync/functions-migrating").exists());
    // The edit runs: invoke uses the migrated folder.
    t.run_ok(&["push", "pets.yaml"]);
    assert_eq!(code_folders(&t, "us-east-1/123456789012"), moved);
}

/// A missing code folder of a reused function is restored from the code the account stores
/// (what runs), not from today's stub: here the functions were created with Python, and the
/// definition is pushed again with the default Node.js runtime.
#[test]
fn a_missing_code_folder_is_restored_from_the_account() {
    let t = TestCommand::on(crate::RUNTIME_TEST_DAY);
    t.write("pets.yaml", PETS);
    t.run_ok(&["push", "pets.yaml", "--runtime", "python3.14"]);
    let before = code_folders(&t, "us-east-1/123456789012");
    assert!(before["listPets"].contains_key("lambda_function.py"));
    std::fs::remove_dir_all(t.path(".lambda-sync/functions/us-east-1/123456789012/listPets"))
        .unwrap();
    let again = t.json(&["push", "pets.yaml", "--format", "json"]);
    assert!(again["functions_created"].as_array().unwrap().is_empty());
    assert_eq!(code_folders(&t, "us-east-1/123456789012"), before);
}

/// The code folders of one local account (`REGION/ACCOUNT`): each function's files and their
/// text.
fn code_folders(t: &TestCommand, account: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let root = t.path(&format!(".lambda-sync/functions/{account}"));
    let mut folders = BTreeMap::new();
    for f in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        let files = std::fs::read_dir(f.path())
            .unwrap()
            .flatten()
            .map(|e| {
                let text = std::fs::read_to_string(e.path()).unwrap();
                (e.file_name().to_string_lossy().into_owned(), text)
            })
            .collect();
        folders.insert(f.file_name().to_string_lossy().into_owned(), files);
    }
    folders
}

/// What a push leaves in a project folder, independent of ids: the account's functions and
/// APIs, the recorded ids (each an API of the account), the code folders, no leftovers.
fn end_state(t: &TestCommand) -> Value {
    let account = t.account();
    let apis = account["apis"].as_object().unwrap();
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(t.path(".lambda-sync/state.json")).unwrap())
            .unwrap();
    let recorded: Vec<&Value> = state["apis"].as_object().unwrap().values().collect();
    for id in &recorded {
        assert!(
            apis.contains_key(id.as_str().unwrap()),
            "recorded {id} is in the account"
        );
    }
    let folders = code_folders(t, "us-east-1/123456789012");
    let mut leftovers: Vec<String> = std::fs::read_dir(t.path(".lambda-sync"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pending") || n == "commit" || n.contains(".tmp"))
        .collect();
    leftovers.sort();
    serde_json::json!({
        "functions": account_functions(t),
        "apis": apis.len(),
        "recorded": recorded.len(),
        "pending": state.get("pending").cloned(),
        "folders": folders,
        "leftovers": leftovers,
    })
}

/// A push killed at any point (a named crash point, or a real SIGKILL after a while), then
/// pushed again, ends in the state of a clean push: one API, every function, the id recorded,
/// every code folder, nothing half written.
#[cfg(unix)]
#[test]
fn a_push_killed_at_any_point_ends_as_a_clean_push_when_pushed_again() {
    let clean = TestCommand::new();
    clean.write("pets.yaml", PETS);
    clean.run_ok(&["push", "pets.yaml"]);
    let want = end_state(&clean);
    assert_eq!(want["apis"], 1);
    let check = |t: &TestCommand, how: &str| {
        t.run_ok(&["push", "pets.yaml"]);
        assert_eq!(end_state(t), want, "{how}");
        // And once more: nothing left to create.
        let again = t.json(&["push", "pets.yaml", "--format", "json"]);
        assert!(
            again["functions_created"].as_array().unwrap().is_empty(),
            "{how}"
        );
        assert_eq!(again["api_created"], false, "{how}");
    };
    for point in [
        "functions-created",
        "api-sent",
        "permissions-added",
        "before-record",
        "state-commit-marked",
        "after-record",
    ] {
        let t = TestCommand::new();
        t.write("pets.yaml", PETS);
        let out = Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
            .args(["push", "pets.yaml"])
            .current_dir(t.path("."))
            .env("LAMBDA_SYNC_FAULT", point)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            None,
            "{point}: killed by the crash point"
        );
        check(&t, point);
        // A killed second push (an update) is finished too.
        let out = Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
            .args(["push", "pets.yaml"])
            .current_dir(t.path("."))
            .env("LAMBDA_SYNC_FAULT", point)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), None, "{point} (update)");
        check(&t, &format!("{point} (update)"));
    }
    // Real SIGKILLs, wherever they land.
    for delay_ms in [0u64, 2, 5, 10, 20, 40, 80, 160] {
        let t = TestCommand::new();
        t.write("pets.yaml", PETS);
        let mut child = Command::new(env!("CARGO_BIN_EXE_lambda-sync"))
            .args(["push", "pets.yaml"])
            .current_dir(t.path("."))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        check(&t, &format!("SIGKILL after {delay_ms} ms"));
    }
}
